"""Tests for cnn_core.course.receptive.explorer_widget: render() directly, then the widget driven
through
its controls."""
import base64

import numpy as np
import pytest

from cnn_core.course.receptive.explorer_widget import (
    NETWORKS,
    build_rf_explorer,
    network_layers,
    render,
)


def test_render_vgg16_corner_unit():
    fig, unit = render("pool5", 0, 0, network="VGG-16")
    assert unit.box == (-90, -90, 121, 121) and unit.spill == (90, 90, 0, 0)
    ax_map, ax_image = fig.axes
    assert ax_map.get_images()[0].get_array().shape == (7, 7)
    assert ax_image.get_xlim() == (-90.5, 313.5)       # one 90-pixel frame for the whole layer
    assert "212x212" in ax_image.get_title()


def test_render_small_cnn_on_a_custom_image():
    image = np.linspace(0, 1, 28 * 28).reshape(28, 28)
    fig, unit = render("pool2", 6, 6, network="small CNN", image=image)
    assert unit.box == (21, 21, 30, 30) and unit.spill == (0, 0, 3, 3)
    assert fig.axes[1].get_images()[0].get_array().shape == (28, 28)


@pytest.mark.parametrize("network", NETWORKS)
def test_every_network_has_named_spatial_layers(network):
    names = [name for name, _ in network_layers(network)]
    assert names[-1].startswith("pool") and len(set(names)) == len(names)


@pytest.mark.parametrize("kwargs, word", [
    (dict(layer="fc6", row=0, column=0), "layer"),
    (dict(layer="pool5", row=7, column=0), "row"),
    (dict(layer="pool5", row=0, column=0, network="ResNet"), "network"),
])
def test_render_rejects_bad_choices(kwargs, word):
    with pytest.raises(ValueError, match=word):
        render(**kwargs)


def test_widget_driven_through_its_controls():
    explorer = build_rf_explorer(network="VGG-16", layer="pool5")
    layer, row, column = (explorer.controls[k] for k in ("layer", "row", "column"))
    assert (layer.description, row.description, column.description) == ("layer", "row", "column")
    assert row.max == 6 and not row.continuous_update
    row.value, column.value = 3, 2
    assert explorer.result.box == (6, -26, 217, 185)
    assert "rows 6..217" in explorer.readout.value and "columns -26..185" in explorer.readout.value
    (figure,) = explorer.output.outputs
    assert base64.b64decode(figure["data"]["image/png"]).startswith(b"\x89PNG")
    layer.value = "conv1_1"                            # 224 x 224 map: sliders re-ranged
    assert row.max == 223 and explorer.result.box == (2, 1, 4, 3)
    row.value = 200
    layer.value = "pool4"                              # 14 x 14: row clamped to 13
    assert row.value == 13 and explorer.result.unit == (13, 2)
    assert explorer.result.field.size == 100


def test_widget_on_alexnet_shows_far_side_padding():
    explorer = build_rf_explorer(network="AlexNet")
    assert explorer.controls["layer"].value == "pool5" and explorer.controls["row"].max == 4
    explorer.controls["row"].value = explorer.controls["column"].value = 4
    assert explorer.result.spill == (0, 0, 35, 35)
    assert "35 bottom" in explorer.readout.value


def test_a_page_without_widgets_gets_the_current_figure_as_a_picture():
    explorer = build_rf_explorer(network="small CNN", upload=False)
    explorer.controls["row"].value = 3
    data = explorer._repr_mimebundle_()
    png = base64.b64decode(data["image/png"])
    assert png.startswith(b"\x89PNG") and "application/vnd.jupyter.widget-view+json" in data
    assert explorer.figure is not None
    assert explorer.result.box == (9, -3, 18, 6)     # pool2, row 3, column 0


@pytest.mark.parametrize("layer", ["pool3", "conv2_1", "pool5"])   # conv2_1: with a zoom inset
def test_moving_a_unit_draws_what_a_fresh_render_draws(layer):
    """The kept figure, moved and redrawn only where it changes (blitting), gives exactly the
    pixels of a new figure."""
    from cnn_core.course.common.png_plots import figure_output
    explorer = build_rf_explorer(network="VGG-16", layer=layer, upload=False)
    row, column = explorer.controls["row"], explorer.controls["column"]
    picture = explorer.picture
    for r, c in [(row.max, 0), (row.max, column.max), (1, 2), (0, 0)]:
        row.value, column.value = r, c
        assert explorer.picture is picture                 # the same figure, moved
        fresh, unit = render(layer, r, c, network="VGG-16")
        assert explorer.result == unit
        entry = figure_output(fresh, "<receptive-field explorer figure>", scale=2)
        assert explorer.output.outputs[0] == entry


def test_after_an_upload_a_setting_shown_before_shows_the_new_photo():
    import datetime
    import io

    from PIL import Image

    from cnn_core.course.common.png_plots import figure_output
    from cnn_core.course.draw.photo import decode_image
    explorer = build_rf_explorer(network="small CNN", layer="pool2")
    row = explorer.controls["row"]
    row.value = 1                                        # a picture kept for row 1
    buffer = io.BytesIO()
    Image.fromarray(np.tri(40, dtype=np.uint8) * 255).save(buffer, format="png")
    data = buffer.getvalue()
    explorer.upload.upload.value = ({"name": "tri.png", "type": "image/png", "size": len(data),
                                     "content": memoryview(data), "last_modified":
                                     datetime.datetime(2026, 1, 1,
                                                       tzinfo=datetime.timezone.utc)},)
    row.value = 0
    row.value = 1                                        # back to row 1, on the new photo
    photo = decode_image(data, 28, gray=True)
    fresh, _ = render("pool2", 1, 0, network="small CNN", image=photo)
    entry = figure_output(fresh, "<receptive-field explorer figure>", scale=2)
    assert explorer.output.outputs[0] == entry


def test_the_static_picture_shows_the_current_unit_after_a_kept_picture_is_shown():
    from cnn_core.course.common.png_plots import figure_png
    explorer = build_rf_explorer(network="small CNN", upload=False)
    row = explorer.controls["row"]
    row.value, row.value, row.value = 3, 2, 3          # the last one: a kept picture
    picture = base64.b64decode(explorer._repr_mimebundle_()["image/png"])
    assert picture == figure_png(render("pool2", 3, 0, network="small CNN")[0], dpi=90)
