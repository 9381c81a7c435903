"""Pooling explorer: max or average pooling on a small grid, with any window size and stride
(overlapping windows allowed), showing which input cell won each window.

``render(x, mode, window_size, stride, cell)`` is the pure function behind the widget: one
compute call (the engine's ``maxpool2d_forward`` / ``avgpool2d_forward``) and one drawing
(:func:`cnn_core.course.pooling.plots.plot_pooling`).  ``build_pooling_explorer(x)`` wires a
"pooling" toggle, "window size" and "stride" sliders and an "output cell" dropdown to it.
"""
import functools
from dataclasses import dataclass, replace

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpec

from cnn_core.course.common.png_plots import (
    RECENT_PICTURES,
    figure_output,
    reuse_axes,
    with_static_picture,
)
from cnn_core.course.pooling.plots import plot_pooling
from cnn_core.course.pooling.windows import MODES, describe
from cnn_core.functional import avgpool2d_forward, maxpool2d_forward
from cnn_core.validation import check_choice, check_int

MAX_SLIDER = 5               # largest window size / stride offered by the sliders
# Fixed margins (figure fractions): room for the titles above and the two-line explanation
# below.  Constrained layout found about the same ones but took 50 ms of every slider move.
MARGINS = dict(left=0.01, right=0.99, bottom=0.12, top=0.93, wspace=0.06)
FIGSIZE = (11, 5.2)          # inches


@dataclass(frozen=True)
class PoolingView:
    """What one render produced: the figure, the pooled grid (H_out, W_out), a summary text."""

    figure: Figure
    output: np.ndarray
    text: str


def _axes_rects(x_shape, out_shape):
    """[left, bottom, width, height] of the input and output axes: two columns as wide as the
    grids (the output's at least 0.6 of the input's), inside :data:`MARGINS`."""
    ratios = (x_shape[1], max(out_shape[1], 0.6 * x_shape[1]))
    grid = GridSpec(1, 2, width_ratios=ratios, **MARGINS)
    return [grid[0, n].get_position(None).bounds for n in range(2)]


def render(x, mode="max", window_size=2, stride=2, cell=(0, 0), figure=None):
    """Pool the grid ``x`` (H, W) and draw it.  Returns a :class:`PoolingView`.

    ``mode`` is "max" or "average"; ``cell`` = (row, col) is the output cell explained.
    The drawing goes into ``figure`` (emptied first, :func:`reuse_axes`), or into a new
    figure when it is None.
    """
    check_choice("mode", mode, tuple(MODES))
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (H, W), got shape {x.shape}")
    check_int("window_size", window_size, 1, min(x.shape))
    check_int("stride", stride, 1)
    pool = maxpool2d_forward if mode == "max" else avgpool2d_forward
    out = pool(x[None, None], window_size, stride)[0][0, 0]
    if len(cell) != 2 or not all(0 <= c < n for c, n in zip(cell, out.shape)):
        raise ValueError(f"cell must be (row, col) of an output cell inside "
                         f"{out.shape[0]}x{out.shape[1]}, got {cell!r}")
    figure = Figure() if figure is None else figure
    axes = reuse_axes(figure, FIGSIZE, _axes_rects(x.shape, out.shape))
    plot_pooling(axes, x, out, window_size, stride, mode, selected=cell)
    return PoolingView(figure, out, describe(x.shape, window_size, stride))


def _cells(shape):
    return [(f"({i}, {j})", (i, j)) for i in range(shape[0]) for j in range(shape[1])]


def build_pooling_explorer(x, mode="max", window_size=2, stride=2):
    """The explorer widget for a small grid ``x`` (H, W), 2 <= H, W <= 12.

    Returns an ipywidgets.VBox exposing ``.controls`` (dict: "pooling", "window size",
    "stride", "output cell"), ``.readout`` (HTML summary: sizes, overlap, no parameters),
    ``.output`` (the figure as one PNG) and ``.result`` (the last :class:`PoolingView`, its
    ``figure`` None: the explorer draws every picture into one kept figure and keeps only the
    PNGs of recent settings).
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or not (2 <= min(x.shape) and max(x.shape) <= 12):
        raise ValueError(f"x must have shape (H, W) with 2 <= H, W <= 12, got shape {x.shape}")
    largest = min(MAX_SLIDER, min(x.shape))
    check_choice("mode", mode, tuple(MODES))
    check_int("window_size", window_size, 1, largest)
    check_int("stride", stride, 1, MAX_SLIDER)
    style = {"description_width": "initial"}
    mode_control = widgets.ToggleButtons(options=list(MODES), value=mode, description="pooling")
    size = widgets.IntSlider(window_size, 1, largest, description="window size", style=style,
                             continuous_update=False)
    step = widgets.IntSlider(stride, 1, MAX_SLIDER, description="stride", style=style,
                             continuous_update=False)
    cell = widgets.Dropdown(description="output cell", style=style,
                            layout=widgets.Layout(width="200px"))
    readout, output = widgets.HTML(), widgets.Output()
    box = widgets.VBox([mode_control, widgets.HBox([size, step, cell]), readout, output])
    box.controls = {"pooling": mode_control, "window size": size, "stride": step,
                    "output cell": cell}
    box.readout, box.output, box.result = readout, output, None
    busy = {"flag": False}       # no redraw while the output-cell list is being rebuilt
    figure = Figure()
    FigureCanvasAgg(figure)      # its renderer is kept from one picture to the next

    @functools.lru_cache(maxsize=RECENT_PICTURES)
    def picture(mode, window_size, stride, cell):
        view = render(x, mode, window_size, stride, cell, figure)
        return (replace(view, figure=None),
                figure_output(figure, "<pooling explorer figure>", scale=2))

    def update(_=None):
        if busy["flag"]:
            return
        view, entry = picture(mode_control.value, size.value, step.value, cell.value)
        box.result = view
        readout.value = view.text
        output.outputs = (entry,)

    def reshape(_=None):
        shape = ((x.shape[0] - size.value) // step.value + 1,
                 (x.shape[1] - size.value) // step.value + 1)
        previous = cell.value
        busy["flag"] = True
        cell.options = _cells(shape)
        inside = previous is not None and previous[0] < shape[0] and previous[1] < shape[1]
        cell.value = previous if inside else (0, 0)
        busy["flag"] = False
        update()

    mode_control.observe(update, names="value")
    size.observe(reshape, names="value")
    step.observe(reshape, names="value")
    cell.observe(update, names="value")
    reshape()
    return with_static_picture(box, lambda: render(x, mode_control.value, size.value, step.value,
                                                   cell.value, figure).figure)
