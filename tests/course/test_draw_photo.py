"""Tests for cnn_core.course.draw.photo and upload_widget, and the upload button of the filter
editor and the receptive-field explorer: real image files made with Pillow."""
import datetime
import io

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from cnn_core.course.convolution.filter_editor_widget import build_filter_editor  # noqa: E402
from cnn_core.course.draw.photo import decode_image  # noqa: E402
from cnn_core.course.draw.upload_widget import build_photo_upload  # noqa: E402
from cnn_core.course.receptive.explorer_widget import build_rf_explorer  # noqa: E402


def image_bytes(array, fmt="PNG"):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt)
    return buffer.getvalue()


def wide_picture():
    """100 rows x 200 columns: left third black, middle third white, right third black."""
    array = np.zeros((100, 200, 3), dtype=np.uint8)
    array[:, 50:150] = (255, 0, 0)            # a red square in the middle
    return array


def upload_value(name, data):
    return ({"name": name, "type": "image/png", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)},)


def test_decode_crops_the_centre_square_and_resizes():
    rgb = decode_image(image_bytes(wide_picture()), size=20)
    assert rgb.shape == (20, 20, 3) and rgb.dtype == np.float64
    # the centre square (columns 50..149) is the red square: red everywhere, no black edges
    np.testing.assert_allclose(rgb[..., 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(rgb[..., 1:], 0.0, atol=1e-6)
    gray = decode_image(image_bytes(wide_picture(), "JPEG"), size=16, gray=True)
    assert gray.shape == (16, 16) and 0.2 < gray.mean() < 0.4     # red -> grey 0.299


@pytest.mark.parametrize("data, word", [(b"this is a text file", "not an image"),
                                        (b"", "1 byte"),
                                        (b"\x89PNG\r\n\x1a\n broken", "not an image")])
def test_a_file_that_is_not_an_image_is_refused_by_name(data, word):
    with pytest.raises(ValueError, match="notes.txt") as info:
        decode_image(data, 28, name="notes.txt")
    assert word in str(info.value)


@pytest.mark.parametrize("kwargs, error, word", [(dict(data="a.png", size=28), TypeError, "data"),
                                                 (dict(data=b"x", size=4), ValueError, "size"),
                                                 (dict(data=b"x", size=2.5), ValueError, "size")])
def test_bad_arguments(kwargs, error, word):
    with pytest.raises(error, match=word):
        decode_image(**kwargs)


def test_upload_control_hands_over_the_picture_or_explains():
    received = []
    box = build_photo_upload(received.append, size=32, gray=True)
    box.upload.value = upload_value("notes.txt", b"plain text")
    assert received == [] and "not an image" in box.message.value
    box.upload.value = upload_value("red.png", image_bytes(wide_picture()))
    assert len(received) == 1 and received[0].shape == (32, 32)
    assert "red.png" in box.message.value


def test_filter_editor_filters_the_uploaded_photo():
    editor = build_filter_editor(np.zeros((40, 40)), preset="identity")
    assert editor.result.feature_map.max() == 0
    editor.upload.upload.value = upload_value("red.png", image_bytes(wide_picture()))
    assert editor.result.feature_map.shape == (38, 38)
    assert editor.result.feature_map.max() > 0.2       # the identity filter shows the photo


def test_rf_explorer_shows_the_uploaded_photo():
    explorer = build_rf_explorer(network="small CNN")
    before = explorer.output.outputs
    explorer.upload.upload.value = upload_value("red.png", image_bytes(wide_picture()))
    assert explorer.output.outputs != before
    assert "showing red.png (28x28)" in explorer.upload.message.value
