"""figure_output: a figure as one Output-widget PNG entry, optionally drawn at 2x for sharpness;
figure_png / encode_png: the same pixels as savefig, encoded faster; reuse_axes: a kept figure
redrawn shows what a new one shows."""
import base64
import io
import struct

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnn_core.course.common.png_plots import encode_png, figure_output, figure_png, reuse_axes


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

    from cnn_core.course.common.png_plots import with_static_picture

    figure = {"now": Figure(figsize=(2, 1))}
    box = with_static_picture(widgets.VBox([]), lambda: figure["now"], dpi=50)
    data, _ = DisplayFormatter().format(box)
    assert "application/vnd.jupyter.widget-view+json" in data          # still the live widget
    png = base64.b64decode(data["image/png"])
    assert struct.unpack(">II", png[16:24]) == (100, 50)
    figure["now"] = None                                               # nothing to show yet
    data, _ = DisplayFormatter().format(box)
    assert "image/png" not in data and "text/plain" in data


def decoded(png):
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def savefig_png(fig, dpi):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


@pytest.mark.parametrize("transparent", [False, True])
def test_figure_png_has_the_pixels_savefig_gives(transparent):
    fig = Figure(figsize=(3, 2), facecolor="none" if transparent else "white")
    ax = fig.add_subplot()
    ax.imshow(np.random.default_rng(0).random((9, 9)), cmap="magma")
    ax.set_title("x[0, 1] = 2.5")
    ax.plot([0, 8], [0, 5], "r--")
    shown_dpi = fig.dpi
    png = figure_png(fig, dpi=70)
    assert png.startswith(b"\x89PNG") and fig.dpi == shown_dpi         # dpi restored
    np.testing.assert_array_equal(decoded(png), decoded(savefig_png(fig, 70)))


def test_encode_png_round_trips_any_rgba_image():
    pixels = np.random.default_rng(1).integers(0, 256, size=(5, 7, 4), dtype=np.uint8)
    np.testing.assert_array_equal(decoded(encode_png(pixels)), pixels)
    with pytest.raises(ValueError, match="pixels must have shape"):
        encode_png(pixels[..., :3])


def picture(fig, dpi=40):
    return decoded(figure_png(fig, dpi))


def draw_equal_grid(ax, n, title):
    """A small drawing in the explorers' style: equal aspect, limits set every time."""
    ax.imshow(np.arange(n * n).reshape(n, n), cmap="viridis")
    ax.text(0, 0, str(n))
    ax.plot([0, n - 1], [0, n - 1], "w-")
    ax.legend(handles=ax.lines, labels=["diagonal"], loc="lower right")
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_title(title)


def test_a_reused_figure_shows_what_a_new_one_shows():
    settings = [((4, 3), [[0.1, 0.1, 0.5, 0.8], [0.6, 0.1, 0.3, 0.8]], (3, 7)),
                ((5, 2), [[0.05, 0.2, 0.4, 0.7], [0.5, 0.1, 0.45, 0.6]], (9, 2)),
                ((3, 3), [[0.1, 0.1, 0.8, 0.8]], (5,))]
    kept = Figure()
    for size, rects, grids in settings:
        fresh = Figure()
        for fig in (kept, fresh):
            axes = reuse_axes(fig, size, rects)
            assert len(axes) == len(rects) == len(fig.axes)
            for ax, n in zip(axes, grids):
                draw_equal_grid(ax, n, f"{n} x {n}")
        np.testing.assert_array_equal(picture(kept), picture(fresh))
    assert len(kept.axes[0].images) == 1 and len(kept.axes[0].texts) == 1


def test_reuse_axes_empties_titles_labels_and_legends():
    fig = Figure()
    [ax] = reuse_axes(fig, (3, 2), [[0.1, 0.1, 0.8, 0.8]])
    draw_equal_grid(ax, 4, "old")
    ax.set_xlabel("x")
    [again] = reuse_axes(fig, (3, 2), [[0.1, 0.1, 0.8, 0.8]])
    assert again is ax and fig.get_size_inches().tolist() == [3, 2]
    assert ax.get_title() == ax.get_xlabel() == "" and ax.get_legend() is None
    assert not (ax.images or ax.texts or ax.lines) and ax.get_aspect() == "auto"
