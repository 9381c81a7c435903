"""Tests for cnn_core.course.convolution.diagram_plots on the Agg backend.

Besides "it draws", the layout is checked: every piece of text lies inside the figure, the
three titles do not overlap, nothing is written smaller than 7 pt, and the picture holds what
the frame says (one label per input value, hatching exactly on never-read cells).
"""
import itertools

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.text import Text

from cnn_core.course.convolution.diagram_plots import (
    frame_axes_rect,
    frame_figsize,
    plot_conv_frame,
    plot_conv_matrix,
    plot_transposed_frame,
)
from cnn_core.course.convolution.explain import sum_lines
from cnn_core.course.convolution.frames import conv_frame, transposed_conv_frame
from cnn_core.course.convolution.matrix import conv_matrix_labels


def draw(frame, plot):
    fig = Figure(figsize=frame_figsize(frame), dpi=50)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(frame_axes_rect(frame))
    artists = plot(ax, frame)
    fig.canvas.draw()
    return fig, ax, artists


def texts(artists):
    return [a for a in artists if isinstance(a, Text)]


def glyph_count(artists):
    return sum(len(a.get_paths()) for a in artists
               if isinstance(a, PathCollection) and not a.get_hatch())


def hatched_cells(artists):
    """(row, col) of every hatched square, counted from the input grid's top-left cell (the
    hatching is one compound path of unit squares; each square starts with a MOVETO)."""
    patches = [a for a in artists if isinstance(a, Collection) and a.get_hatch()]
    if not patches:
        return []
    assert len(patches) == 1 and len(patches[0].get_paths()) == 1
    grid = [a for a in artists if isinstance(a, PolyCollection)][1]   # kernel, then input
    x0 = grid.get_paths()[0].vertices[:, 0].min()
    path = patches[0].get_paths()[0]
    corners = path.vertices[path.codes == Path.MOVETO]
    assert len(path.vertices) == 5 * len(corners)          # closed squares only
    return sorted((round(y), round(x - x0)) for x, y in corners)


def assert_readable_layout(fig, artists):
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    boxes = []
    for text in texts(artists):
        assert text.get_fontsize() >= 7
        box = text.get_window_extent(renderer)
        assert box.x0 >= -1 and box.x1 <= width + 1 and box.y0 >= -1 and box.y1 <= height + 1, \
            f"text {text.get_text()!r} sticks out of the figure"
        if text.get_fontweight() == "bold":
            boxes.append(box)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), "two titles overlap"
    legends = [a for a in artists if isinstance(a, matplotlib.legend.Legend)]
    for legend in legends:
        box = legend.get_window_extent(renderer)
        assert box.x0 >= -1 and box.x1 <= width + 1 and box.y0 >= -1


@pytest.mark.parametrize("i, k, s, p, d, step", [(5, 3, 1, 0, 1, 0), (5, 3, 2, 1, 1, 4),
                                                 (6, 3, 2, 0, 1, 3), (5, 3, 2, 0, 2, 0),
                                                 (9, 5, 1, 3, 1, 20), (3, 1, 1, 0, 1, 8)])
def test_conv_frame_shows_what_the_frame_says(i, k, s, p, d, step):
    frame = conv_frame(i, k, s, p, d, step)
    fig, ax, artists = draw(frame, plot_conv_frame)
    assert glyph_count(artists) == k * k + i * i + frame.step + 1
    assert "\n".join(sum_lines(frame)) in [t.get_text() for t in texts(artists)]
    never = [(r, c) for r in range(frame.padded_size) for c in range(frame.padded_size)
             if not (frame.read[r] and frame.read[c])]
    assert hatched_cells(artists) == never
    assert_readable_layout(fig, artists)


def test_conv_frame_without_output_explains_and_outlines_the_kernel():
    frame = conv_frame(3, 5, 1, 0, 2)
    fig, ax, artists = draw(frame, plot_conv_frame)
    words = " ".join(t.get_text() for t in texts(artists))
    assert "no output" in words and "no window fits" in words.replace("\n", " ")
    dashed = [a for a in artists if isinstance(a, matplotlib.patches.Rectangle)]
    assert dashed[0].get_width() == frame.effective_kernel
    assert_readable_layout(fig, artists)


@pytest.mark.parametrize("i, k, s, p, a, step", [(3, 3, 2, 1, 0, 2), (3, 3, 2, 3, 1, 2),
                                                 (2, 1, 1, 0, 0, 0), (6, 5, 3, 0, 2, 30)])
def test_transposed_frame_shows_what_the_frame_says(i, k, s, p, a, step):
    frame = transposed_conv_frame(i, k, s, p, a, step)
    fig, ax, artists = draw(frame, plot_transposed_frame)
    assert glyph_count(artists) == k * k + i * i + frame.step + 1
    assert "\n".join(sum_lines(frame)) in [t.get_text() for t in texts(artists)]
    crop = 2 * max(-frame.border, 0)
    cropped = frame.grid_size ** 2 - (frame.grid_size - crop) ** 2
    inside = range(frame.offset, frame.grid_size - frame.offset)
    assert len(hatched_cells(artists)) == cropped
    assert not any(r in inside and c in inside for r, c in hatched_cells(artists))
    titles = " ".join(t.get_text() for t in texts(artists))
    assert f"input {i}\u00d7{i}" in titles and "output" in titles
    assert_readable_layout(fig, artists)


def test_transposed_frame_without_output_explains():
    fig, ax, artists = draw(transposed_conv_frame(2, 3, 3, 0, 3), plot_transposed_frame)
    assert any("smaller than the stride" in t.get_text().replace("\n", " ")
               for t in texts(artists))
    assert_readable_layout(fig, artists)


def stratified_conv():
    """Every third (stride, padding, dilation) triple, input and kernel sizes cycling through
    their ranges, plus the largest grid: a cross-section of the explorer's slider space (the
    widget tests cover every combination without drawing)."""
    combos = list(itertools.product(range(1, 4), range(4), range(1, 4)))
    for n in range(0, len(combos), 3):
        s, p, d = combos[n]
        yield 3 + n % 7, 1 + (3 * n) % 5, s, p, d, n
    yield 9, 1, 1, 3, 1, 10 ** 6


@pytest.mark.parametrize("params", list(stratified_conv()))
def test_conv_frames_across_the_slider_space_draw_cleanly(params):
    frame = conv_frame(*params)
    fig, ax, artists = draw(frame, plot_conv_frame)
    assert_readable_layout(fig, artists)


@pytest.mark.parametrize("n", range(0, 36, 5))
def test_transposed_frames_across_the_slider_space_draw_cleanly(n):
    s, p, a = 1 + n % 3, (n // 3) % 4, n % 3
    frame = transposed_conv_frame(2 + n % 5, 1 + (2 * n) % 5, s, p, a, step=n)
    fig, ax, artists = draw(frame, plot_transposed_frame)
    assert_readable_layout(fig, artists)


def test_plot_in_any_axes():
    fig = Figure(figsize=(6, 3))
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2)
    plot_conv_frame(axes[0], conv_frame(5, 3))
    plot_transposed_frame(axes[1], transposed_conv_frame(2, 3, 2))
    fig.canvas.draw()
    assert axes[0].get_aspect() == 1.0 and not axes[0].axison


def test_conv_matrix_plot():
    fig = Figure(figsize=(10, 3.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = conv_matrix_labels(4, 3)
    artists = plot_conv_matrix(ax, labels, input_size=4, output_size=2, title="C")
    fig.canvas.draw()
    assert glyph_count(artists) == 4 * 9
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["x[0,0]", "x[0,1]"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["y[0,0]", "y[0,1]", "y[1,0]", "y[1,1]"]
    assert ax.get_title() == "C"
    with pytest.raises(ValueError, match="labels must have shape"):
        plot_conv_matrix(ax, labels, input_size=3, output_size=2)
    assert np.all(ax.get_xlim() == np.array([0, 16]))
