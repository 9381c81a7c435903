"""figure_output: a figure as one Output-widget PNG entry, optionally drawn at 2x for sharpness."""
import base64
import struct

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from cnn_core.course.common.figure_png import figure_output  # noqa: E402


def png_size(entry):
    png = base64.b64decode(entry["data"]["image/png"])
    assert png.startswith(b"\x89PNG")
    return struct.unpack(">II", png[16:24])             # width, height from the IHDR chunk


def test_plain_entry_is_drawn_at_dpi_without_size_metadata():
    fig = Figure(figsize=(4, 2))
    entry = figure_output(fig, "<f>", dpi=50)
    assert png_size(entry) == (200, 100) and entry["metadata"] == {}
    assert entry["data"]["text/plain"] == "<f>"


def test_scaled_entry_has_twice_the_pixels_but_is_shown_at_the_unscaled_width():
    fig = Figure(figsize=(4, 2))
    entry = figure_output(fig, "<f>", dpi=50, scale=2)
    assert png_size(entry) == (400, 200)
    assert entry["metadata"] == {"image/png": {"width": 200}}


def test_a_widget_with_a_static_picture_displays_a_png_beside_its_live_view():
    import ipywidgets as widgets
    from IPython.core.formatters import DisplayFormatter

    from cnn_core.course.common.figure_png import with_static_picture

    figure = {"now": Figure(figsize=(2, 1))}
    box = with_static_picture(widgets.VBox([]), lambda: figure["now"], dpi=50)
    data, _ = DisplayFormatter().format(box)
    assert "application/vnd.jupyter.widget-view+json" in data          # still the live widget
    png = base64.b64decode(data["image/png"])
    assert struct.unpack(">II", png[16:24]) == (100, 50)
    figure["now"] = None                                               # nothing to show yet
    data, _ = DisplayFormatter().format(box)
    assert "image/png" not in data and "text/plain" in data
