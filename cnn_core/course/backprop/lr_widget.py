"""Learning-rate explorer: one log-scale slider, gradient descent on a 2-D bowl and a few real
training steps of the small CNN on digits, side by side.

``render(lr=..., x=..., y=...)`` is the pure function behind the widget: one compute call
(:func:`cnn_core.course.backprop.learning_rate.learning_rate_experiment`) and one drawing
(:func:`cnn_core.course.backprop.plots.plot_learning_rate_result`).  ``build_lr_explorer()`` wires a
"learning rate" slider to it; its text read-out (CSS class ``lr-explorer-output``) says what
happened, including the engine's message when training diverges.
"""
import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from cnn_core.course.backprop.learning_rate import QuadraticSurface, learning_rate_experiment
from cnn_core.course.backprop.plots import plot_learning_rate_result
from cnn_core.course.common.figure_png import figure_output
from cnn_core.data import load_digits
from cnn_core.validation import check_real

OUTPUT_CLASS = "lr-explorer-output"
LOG_LR_RANGE = (-3.0, 0.5)      # the slider spans 0.001 ... about 3
FIGSIZE, PNG_DPI = (10, 4.2), 100   # shown 1000 px wide (drawn at 2x for sharp screens)


def training_subset(n_samples=256):
    """The first ``n_samples`` training digits: x (n, 1, 28, 28) float32, y (n,)."""
    x, y = load_digits("train")
    return x[:n_samples], y[:n_samples]


def render(lr, x, y, steps=40, surface=None, batch_size=32, seed=0):
    """Try learning rate ``lr`` on the 2-D bowl and on the small CNN trained on (x, y).

    Returns (figure, LearningRateResult); ``result.summary`` is the text the widget shows.
    """
    surface = QuadraticSurface() if surface is None else surface
    result = learning_rate_experiment(lr, x, y, steps=steps, surface=surface,
                                      batch_size=batch_size, seed=seed)
    fig = Figure(figsize=FIGSIZE, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=(1, 1.1, 1.1))
    plot_learning_rate_result(axes, result, surface)
    return fig, result


def build_lr_explorer(x=None, y=None, lr=0.1, steps=40, seed=0):
    """The explorer widget: a "learning rate" log-scale slider (0.001 to about 3), a text
    read-out and the figure.  (x, y) default to :func:`training_subset`.

    The returned VBox exposes ``.controls`` ({"learning rate": slider}), ``.readout`` (the HTML
    text widget, CSS class "lr-explorer-output"), ``.output`` (the figure, one PNG)
    and ``.result`` (the last LearningRateResult).
    """
    low, high = (10 ** e for e in LOG_LR_RANGE)
    check_real("lr (learning rate)", lr, round(low, 3), round(high, 2))   # the slider's range
    if x is None or y is None:
        x, y = training_subset()
    slider = widgets.FloatLogSlider(value=lr, base=10, min=LOG_LR_RANGE[0], max=LOG_LR_RANGE[1],
                                    step=0.1, description="learning rate", readout_format=".3g",
                                    continuous_update=False,
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="520px"))
    readout, output = widgets.HTML(), widgets.Output()
    readout.add_class(OUTPUT_CLASS)
    box = widgets.VBox([slider, readout, output])
    box.controls, box.readout, box.output = {"learning rate": slider}, readout, output
    box.result = None

    def update(_=None):
        fig, result = render(slider.value, x, y, steps=steps, seed=seed)
        box.result = result
        output.outputs = (figure_output(fig, "<learning-rate explorer figure>", PNG_DPI,
                                        scale=2),)
        # the text changes last, so whoever waits for it also sees the matching figure
        readout.value = "<br>".join(html.escape(line) for line in result.summary.splitlines())

    slider.observe(update, names="value")
    update()
    return box
