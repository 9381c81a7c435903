"""Backward-pass explorer: pick one output cell of a convolution and see where its gradient goes.

``render(filter=..., row=..., column=..., stride=..., padding=...)`` is the pure function behind
the widget: one compute call
(:func:`cnn_core.course.backprop.gradient_flow.conv_gradient_footprint`, which runs the engine's
``conv2d_backward`` on a one-hot ``dout``) and one drawing
(:func:`cnn_core.course.backprop.plots.plot_conv_footprint`).  ``build_backward_explorer()`` wires
"filter", "row", "column", "stride" and "padding" sliders to it.
"""
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from cnn_core.arithmetic import conv_output_size
from cnn_core.course.backprop.gradient_flow import conv_gradient_footprint
from cnn_core.course.backprop.plots import plot_conv_footprint
from cnn_core.course.common.png_plots import figure_output

MAX_STRIDE, MAX_PADDING = 3, 2
MAX_WIDTH_INCHES, PNG_DPI = 10.0, 100   # shown at most 1000 px wide, drawn at 2x (sharp)


def example_input():
    """The explorer's default example: a 6x6 image of small integers (1, 6, 6) and two 3x3
    filters (2, 1, 3, 3) with weights in {-2, -1, 1, 2}, so every number is easy to follow."""
    rng = np.random.default_rng(7)
    x = rng.integers(0, 10, size=(1, 6, 6)).astype(np.float64)
    w = rng.choice([-2.0, -1.0, 1.0, 2.0], size=(2, 1, 3, 3))
    return x, w


def describe(footprint):
    """One paragraph of plain text: what the chosen output cell sends back, and to where."""
    fp = footprint
    f, row, col = fp.out_cell
    n_filters = fp.dw.shape[0]
    others = [g for g in range(n_filters) if g != f]
    n_in, n_w = np.count_nonzero(fp.dx), np.count_nonzero(fp.dw)
    text = (f"output[filter {f}, row {row}, column {col}] = {fp.output[f, row, col]:g}. "
            f"A gradient of 1 there reaches {n_in} input cells, each receiving the weight it was "
            f"multiplied by")
    if fp.wasted_on_padding:
        text += f" ({fp.wasted_on_padding} more land on padding and are dropped)"
    text += (f", and {n_w} weights of filter {f}, each receiving the input value it was "
             f"multiplied by.")
    if others:
        text += f" Filter{'s' if len(others) > 1 else ''} {', '.join(map(str, others))}: nothing."
    return text


def render(filter=0, row=0, column=0, stride=1, padding=0, x=None, w=None):
    """Draw where the gradient of output cell (filter, row, column) goes.

    ``x`` (C, H, W) and ``w`` (F, C, KH, KW) default to :func:`example_input`.
    Returns (figure, GradientFootprint).
    """
    if x is None or w is None:
        x, w = example_input()
    fp = conv_gradient_footprint(x, w, stride=stride, padding=padding,
                                 out_cell=(filter, row, column))
    n_filters = w.shape[0]
    hp, h_out = fp.x_padded.shape[1], fp.output.shape[1]
    ratios = [hp, max(h_out, 3)] + [hp] + [w.shape[2] + 0.5] * n_filters
    width = min(MAX_WIDTH_INCHES, 0.45 * sum(ratios) + 0.8)
    fig = Figure(figsize=(width, 3.9), layout="constrained")
    axes = fig.subplots(1, 3 + n_filters, width_ratios=ratios)
    plot_conv_footprint(axes, fp)
    return fig, fp


def build_backward_explorer(x=None, w=None):
    """The explorer widget: "filter", "row", "column", "stride" and "padding" sliders, a
    read-out paragraph and the figure.  The returned VBox exposes ``.controls`` (dict of the
    five sliders), ``.readout`` (HTML), ``.output`` (the figure, one PNG) and
    ``.result`` (the last GradientFootprint)."""
    if x is None or w is None:
        x, w = example_input()
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)

    def slider(name, high, value=0):
        return widgets.IntSlider(value, 0 if name != "stride" else 1, high, description=name,
                                 continuous_update=False)

    controls = {"filter": slider("filter", w.shape[0] - 1), "row": slider("row", 0),
                "column": slider("column", 0), "stride": slider("stride", MAX_STRIDE, 1),
                "padding": slider("padding", MAX_PADDING)}
    readout, output = widgets.HTML(), widgets.Output()
    rows = [widgets.HBox([controls[k] for k in ("filter", "row", "column")]),
            widgets.HBox([controls["stride"], controls["padding"]])]
    box = widgets.VBox(rows + [readout, output])
    box.controls, box.readout, box.output, box.result = controls, readout, output, None
    busy = {"flag": False}      # no redraw while row/column are being re-ranged

    def update(_=None):
        if busy["flag"]:
            return
        values = {name: c.value for name, c in controls.items()}
        fig, fp = render(**values, x=x, w=w)
        box.result = fp
        readout.value = html.escape(describe(fp))
        output.outputs = (figure_output(fig, "<backward-pass explorer figure>", PNG_DPI, scale=2),)

    def rerange(_=None):
        stride, padding = controls["stride"].value, controls["padding"].value
        busy["flag"] = True
        for name, size in (("row", x.shape[-2]), ("column", x.shape[-1])):
            top = conv_output_size(size, w.shape[2 if name == "row" else 3], stride, padding) - 1
            controls[name].value = min(controls[name].value, top)
            controls[name].max = top
        busy["flag"] = False
        update()

    for name in ("filter", "row", "column"):
        controls[name].observe(update, names="value")
    for name in ("stride", "padding"):
        controls[name].observe(rerange, names="value")
    rerange()
    return box
