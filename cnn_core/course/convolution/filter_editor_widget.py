"""Filter editor: type the nine weights of a 3x3 kernel (or pick a preset) and watch the
feature map of the photo change.

``render(image, kernel, relu)`` is the pure function behind the widget: one compute call
(:func:`cnn_core.course.convolution.filters.apply_filter`, i.e. the engine's ``conv2d_forward``) and
one drawing (:func:`cnn_core.course.convolution.plots.plot_filter_response`).
``build_filter_editor()`` wires a 3x3 grid of number boxes, a "preset" dropdown and a "ReLU"
checkbox to it.
"""
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from cnn_core.course.common.png_plots import figure_output, with_static_picture
from cnn_core.course.convolution.filters import DESCRIPTIONS, FILTER_NAMES, apply_filter, get_filter
from cnn_core.course.convolution.plots import plot_filter_response
from cnn_core.course.draw.upload_widget import build_photo_upload
from cnn_core.data import load_photo
from cnn_core.validation import check_choice

CUSTOM = "custom"
WEIGHT_LIMIT = 10.0          # the number boxes accept weights in [-10, 10]


@dataclass(frozen=True)
class FilterView:
    """What one render produced: the figure, the feature map (H_out, W_out), a one-line text."""

    figure: Figure
    feature_map: np.ndarray
    text: str


def describe(feature_map):
    """One line of numbers about a feature map: size, range, mean, share of positive values."""
    h, w = feature_map.shape
    positive = 100 * np.mean(feature_map > 0)
    return (f"feature map {h}x{w}: min {feature_map.min():.2f}, max {feature_map.max():.2f}, "
            f"mean {feature_map.mean():.3f}, {positive:.1f}% of values > 0")


def render(image, kernel, relu=False):
    """Filter ``image`` (H, W) or (H, W, 3) with ``kernel`` (KH, KW), ReLU optional, and draw
    image | kernel | feature map.  Returns a :class:`FilterView`."""
    feature_map = apply_filter(image, kernel, relu=relu)
    fig = Figure(figsize=(11, 4), layout="constrained")
    h, w = feature_map.shape
    titles = (f"photo {image.shape[0]}x{image.shape[1]}", "kernel (3x3 weights)",
              f"feature map {h}x{w}" + (" after ReLU" if relu else ""))
    plot_filter_response(fig.subplots(1, 3), image, kernel, feature_map, titles)
    return FilterView(fig, feature_map, describe(feature_map))


def _weight_boxes(kernel):
    return [widgets.BoundedFloatText(value=float(v), min=-WEIGHT_LIMIT, max=WEIGHT_LIMIT,
                                     step=0.1, continuous_update=False,
                                     layout=widgets.Layout(width="80px"))
            for v in np.ravel(kernel)]


def build_filter_editor(image=None, preset="vertical_edge", relu=False, upload=True):
    """The editor widget.

    Parameters
    ----------
    image : ndarray (H, W) or (H, W, 3), optional; default the 160x160 gray photo
    preset : one of :data:`cnn_core.course.convolution.filters.FILTER_NAMES`, the starting kernel
    relu : bool, the starting state of the "ReLU" checkbox
    upload : bool, add a "your own photo" upload button (the picture replaces ``image``)

    Returns
    -------
    ipywidgets.VBox exposing ``.controls`` (dict: "preset", "ReLU", "weights" = list of the
    nine number boxes, row by row), ``.readout`` (HTML with the numbers of the feature map),
    ``.output`` (the figure as one PNG) and ``.result`` (the last :class:`FilterView`).
    """
    image = load_photo(size=160, gray=True) if image is None else np.asarray(image)
    shown = {"image": image}     # replaced by an uploaded photo
    kernel = get_filter(check_choice("preset", preset, tuple(FILTER_NAMES)))
    relu = check_choice("relu", relu, (True, False))
    weights = _weight_boxes(kernel)
    options = [(f"{name}: {DESCRIPTIONS[name]}", name) for name in FILTER_NAMES]
    preset_control = widgets.Dropdown(options=options + [("custom (edited by hand)", CUSTOM)],
                                      value=preset, description="preset",
                                      layout=widgets.Layout(width="420px"))
    relu_control = widgets.Checkbox(value=bool(relu), description="ReLU")
    grid = widgets.GridBox(weights, layout=widgets.Layout(grid_template_columns="repeat(3, 84px)"))
    readout, output = widgets.HTML(), widgets.Output()
    box = widgets.VBox([widgets.HBox([grid, widgets.VBox([preset_control, relu_control])]),
                        readout, output])
    box.controls = {"preset": preset_control, "ReLU": relu_control, "weights": weights}
    box.readout, box.output, box.result = readout, output, None
    busy = {"flag": False}       # no redraw while a preset fills the nine boxes

    def current_kernel():
        return np.array([b.value for b in weights], dtype=np.float64).reshape(3, 3)

    def update(_=None):
        if busy["flag"]:
            return
        view = render(shown["image"], current_kernel(), relu_control.value)
        box.result = view
        readout.value = view.text
        output.outputs = (figure_output(view.figure, "<filter editor figure>", scale=2),)

    def on_preset(change):
        if change["new"] == CUSTOM:
            return
        busy["flag"] = True
        for b, value in zip(weights, np.ravel(get_filter(change["new"]))):
            b.value = float(value)
        busy["flag"] = False
        update()

    def on_weight(_):
        if busy["flag"]:
            return
        if preset_control.value != CUSTOM and not np.allclose(
                current_kernel(), get_filter(preset_control.value)):
            busy["flag"] = True
            preset_control.value = CUSTOM
            busy["flag"] = False
        update()

    preset_control.observe(on_preset, names="value")
    relu_control.observe(update, names="value")
    for b in weights:
        b.observe(on_weight, names="value")
    if upload:
        def on_image(picture):
            shown["image"] = picture
            update()
        box.upload = build_photo_upload(on_image, size=image.shape[0], gray=image.ndim == 2)
        box.children = (box.upload, *box.children)
    update()
    return with_static_picture(box, lambda: box.result.figure)
