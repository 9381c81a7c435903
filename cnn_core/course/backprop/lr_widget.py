"""Learning-rate explorer: one log-scale slider, gradient descent on a 2-D bowl and a few real
training steps of the small CNN on digits, side by side.

``render(lr=..., x=..., y=...)`` is the pure function behind the widget: one compute call
(:func:`cnn_core.course.backprop.learning_rate.learning_rate_experiment`) and one drawing
(:func:`cnn_core.course.backprop.plots.plot_learning_rate_result`).  ``build_lr_explorer()`` wires a
"learning rate" slider to it; its text read-out (CSS class ``lr-explorer-output``) says what
happened, including the engine's message when training diverges.

Speed.  One learning rate costs about 0.1 s of training and 0.2 s of drawing (2-core machine),
too slow for a slider that should answer within 0.1 s.  So the widget keeps every picture it
has drawn, and right after it is built a background thread draws the picture of every slider
position (36 of them, nearest to the starting value first) while the student reads.  Once that
is done (a few seconds), a move only sends a stored PNG.  The pictures are what ``render`` would
draw at that moment: same seed, same data, so the same numbers.  Drawing uses a fixed layout
(margins set by hand) instead of matplotlib's constrained layout, which took most of the
drawing time.
"""
import html
import math
import threading

import ipywidgets as widgets
from matplotlib.figure import Figure

from cnn_core.course.backprop.learning_rate import (
    QuadraticSurface,
    learning_rate_experiment,
)
from cnn_core.course.backprop.plots import plot_learning_rate_result
from cnn_core.course.common.png_plots import figure_output
from cnn_core.data import load_digits
from cnn_core.validation import check_real

OUTPUT_CLASS = "lr-explorer-output"
LOG_LR_RANGE = (-3.0, 0.5)      # the slider spans 0.001 ... about 3
FIGSIZE, PNG_DPI = (10, 4.2), 100   # shown 1000 px wide (drawn at 2x for sharp screens)
# fixed margins (fractions of the figure) that fit the titles, tick labels and the legend below
# the bowl; constrained layout found the same places but took most of the drawing time
MARGINS = {"left": 0.055, "right": 0.985, "bottom": 0.2, "top": 0.87, "wspace": 0.3}
SLIDER_STEP = 0.1               # in powers of ten


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
    fig = Figure(figsize=FIGSIZE)
    axes = fig.subplots(1, 3, width_ratios=(1, 1.1, 1.1), gridspec_kw=MARGINS)
    plot_learning_rate_result(axes, result, surface)
    return fig, result


class _Pictures:
    """The explorer's pictures by learning rate: drawn once, then kept.

    ``get(lr)`` returns (PNG output entry, LearningRateResult), drawing it if nobody has yet;
    ``fill(lrs)`` draws the missing ones of ``lrs`` in a daemon thread.  One lock lets only one
    thread draw at a time (matplotlib is not thread-safe); a value the slider asks for jumps
    the queue, because the background thread takes the lock again for every picture.
    """

    def __init__(self, x, y, steps, seed):
        self._x, self._y, self._steps, self._seed = x, y, steps, seed
        self._pictures, self._drawing = {}, threading.Lock()

    @staticmethod
    def _key(lr):
        # the browser computes 10 ** exponent itself: equal slider positions may differ in
        # their last bit, so positions are told apart by the exponent, rounded
        return round(math.log10(lr), 6)

    def get(self, lr):
        key = self._key(lr)
        with self._drawing:
            if key not in self._pictures:
                fig, result = render(lr, self._x, self._y, steps=self._steps, seed=self._seed)
                self._pictures[key] = (figure_output(fig, "<learning-rate explorer figure>",
                                                     PNG_DPI, scale=2), result)
            return self._pictures[key]

    def fill(self, lrs):
        thread = threading.Thread(target=lambda: [self.get(lr) for lr in lrs], daemon=True,
                                  name="lr-explorer-pictures")
        thread.start()
        return thread


def slider_positions(start):
    """Every learning rate the slider can show, nearest to ``start`` first (log scale)."""
    low, high = LOG_LR_RANGE
    exponents = [round(low + i * SLIDER_STEP, 10)
                 for i in range(round((high - low) / SLIDER_STEP) + 1)]
    centre = math.log10(start)
    return [10 ** e for e in sorted(exponents, key=lambda e: (abs(e - centre), e))]


def build_lr_explorer(x=None, y=None, lr=0.1, steps=40, seed=0):
    """The explorer widget: a "learning rate" log-scale slider (0.001 to about 3), a text
    read-out and the figure.  (x, y) default to :func:`training_subset`.

    The returned VBox exposes ``.controls`` ({"learning rate": slider}), ``.readout`` (the HTML
    text widget, CSS class "lr-explorer-output"), ``.output`` (the figure, one PNG)
    and ``.result`` (the last LearningRateResult).  Building it starts a background thread
    that draws the picture of every slider position (see the module docstring).
    """
    low, high = (10 ** e for e in LOG_LR_RANGE)
    check_real("lr (learning rate)", lr, round(low, 3), round(high, 2))   # the slider's range
    if x is None or y is None:
        x, y = training_subset()
    slider = widgets.FloatLogSlider(value=lr, base=10, min=LOG_LR_RANGE[0], max=LOG_LR_RANGE[1],
                                    step=SLIDER_STEP, description="learning rate",
                                    readout_format=".3g", continuous_update=False,
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="520px"))
    readout, output = widgets.HTML(), widgets.Output()
    readout.add_class(OUTPUT_CLASS)
    box = widgets.VBox([slider, readout, output])
    box.controls, box.readout, box.output = {"learning rate": slider}, readout, output
    box.result = None
    pictures = _Pictures(x, y, steps, seed)

    def update(_=None):
        picture, result = pictures.get(slider.value)
        box.result = result
        output.outputs = (picture,)
        # the text changes last, so whoever waits for it also sees the matching figure
        readout.value = "<br>".join(html.escape(line) for line in result.summary.splitlines())

    slider.observe(update, names="value")
    update()
    box.background = pictures.fill(slider_positions(slider.value))
    return box
