"""Tests for cnn_core.course.convolution.filter_editor_widget: built and driven without a
browser."""

import ipywidgets as widgets
import numpy as np
import pytest

from cnn_core.course.convolution.filter_editor_widget import (
    CUSTOM,
    build_filter_editor,
    describe,
    render,
)
from cnn_core.course.convolution.filters import FILTER_NAMES, apply_filter, get_filter
from cnn_core.data import load_photo


@pytest.fixture(scope="module")
def photo():
    return load_photo(size=48, gray=True)


def test_render_draws_photo_kernel_and_the_engines_feature_map(photo):
    kernel = get_filter("diagonal_up")
    view = render(photo, kernel, relu=True)
    np.testing.assert_array_equal(view.feature_map, apply_filter(photo, kernel, relu=True))
    assert view.feature_map.min() >= 0
    assert len(view.figure.axes) == 4                   # photo, kernel, map, its colour bar
    assert view.figure.axes[2].get_title() == "feature map 46x46 after ReLU"
    assert view.text == describe(view.feature_map)


def test_describe_reports_size_range_and_share_of_positive_values():
    text = describe(np.array([[-1.0, 0.0], [2.0, 3.0]]))
    assert text == ("feature map 2x2: min -1.00, max 3.00, mean 1.000, "
                    "50.0% of values > 0")


def test_editor_has_plain_labels_and_nine_weight_boxes(photo):
    box = build_filter_editor(photo, preset="blur")
    assert isinstance(box, widgets.VBox)
    assert box.controls["preset"].description == "preset"
    assert box.controls["ReLU"].description == "ReLU"
    weights = box.controls["weights"]
    assert len(weights) == 9 and all(not w.continuous_update for w in weights)
    np.testing.assert_allclose([w.value for w in weights], get_filter("blur").ravel())
    np.testing.assert_allclose(box.result.feature_map, apply_filter(photo, get_filter("blur")))
    assert set(FILTER_NAMES) | {CUSTOM} == {v for _, v in box.controls["preset"].options}


def test_choosing_a_preset_fills_the_grid_and_redraws(photo):
    box = build_filter_editor(photo, preset="identity")
    box.controls["preset"].value = "horizontal_edge"
    np.testing.assert_allclose([w.value for w in box.controls["weights"]],
                               get_filter("horizontal_edge").ravel())
    want = apply_filter(photo, get_filter("horizontal_edge"))
    np.testing.assert_allclose(box.result.feature_map, want)
    assert box.readout.value == describe(want)


def test_relu_checkbox_clips_negative_values(photo):
    box = build_filter_editor(photo, preset="vertical_edge")
    assert box.result.feature_map.min() < 0
    box.controls["ReLU"].value = True
    np.testing.assert_allclose(box.result.feature_map,
                               apply_filter(photo, get_filter("vertical_edge"), relu=True))
    assert box.result.feature_map.min() == 0


def test_typing_a_weight_switches_to_custom_and_uses_the_new_kernel(photo):
    box = build_filter_editor(photo, preset="identity")
    box.controls["weights"][4].value = 2.0          # centre weight: the photo doubled
    assert box.controls["preset"].value == CUSTOM
    np.testing.assert_allclose(box.result.feature_map, 2 * photo[1:-1, 1:-1], rtol=1e-6)
    box.controls["weights"][0].value = -1.0
    kernel = np.array([[-1, 0, 0], [0, 2, 0], [0, 0, 0]], dtype=float)
    np.testing.assert_allclose(box.result.feature_map, apply_filter(photo, kernel))


def test_unknown_preset_raises(photo):
    with pytest.raises(ValueError, match="preset must be one of"):
        build_filter_editor(photo, preset="emboss")


def test_output_holds_one_png_of_the_current_figure(photo):
    box = build_filter_editor(photo, preset="blur")
    first = box.output.outputs
    assert len(first) == 1 and first[0]["data"]["image/png"]
    box.controls["preset"].value = "sharpen"
    assert len(box.output.outputs) == 1
    assert box.output.outputs[0]["data"]["image/png"] != first[0]["data"]["image/png"]


def test_the_editor_displays_a_static_picture_of_its_preset():
    from IPython.core.formatters import DisplayFormatter
    editor = build_filter_editor(np.zeros((12, 12)), preset="blur")
    data, _ = DisplayFormatter().format(editor)
    assert data["image/png"] and "application/vnd.jupyter.widget-view+json" in data
    assert editor.controls["preset"].value == "blur"
