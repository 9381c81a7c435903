"""Convolution explorers: sliders for the sizes, a Play button that slides the kernel.

Two widgets built the same way:

- :func:`build_conv_explorer` - sliders "input size", "kernel size", "stride", "padding",
  "dilation" and "step" (with Play), wired to :func:`render_conv`;
- :func:`build_transposed_explorer` - sliders "input size", "kernel size", "stride", "padding",
  "output padding" and "step", wired to :func:`render_transposed`.

Each ``render_*`` is pure: one compute call (:mod:`cnn_core.course.convolution.frames`) and one plot
call (:mod:`cnn_core.course.convolution.diagram_plots`); it returns an :class:`ExplorerResult`
holding the text lines shown under the picture (the first reads "output size: 3 × 3") and the
figure.  Every combination of slider values renders; one without output explains why instead of
raising.
"""
import functools
import html
from dataclasses import dataclass, replace

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cnn_core.course.common.png_plots import (
    RECENT_PICTURES,
    figure_png,
    reuse_axes,
    with_static_picture,
)
from cnn_core.course.convolution.diagram_plots import (
    frame_axes_rect,
    frame_figsize,
    plot_conv_frame,
    plot_transposed_frame,
)
from cnn_core.course.convolution.explain import describe_conv, describe_transposed
from cnn_core.course.convolution.frames import conv_frame, transposed_conv_frame
from cnn_core.validation import check_int

# Slider bounds: (min, max) per control.  Every combination inside them renders.
CONV_RANGES = {"input size": (3, 9), "kernel size": (1, 5), "stride": (1, 3),
               "padding": (0, 3), "dilation": (1, 3)}
TRANSPOSED_RANGES = {"input size": (2, 6), "kernel size": (1, 5), "stride": (1, 3),
                     "padding": (0, 3), "output padding": (0, 2)}
OUTPUT_CLASS = "conv-explorer-output"              # CSS class of the convolution explorer's text
TRANSPOSED_OUTPUT_CLASS = "transposed-explorer-output"
SCREEN_DPI = 96          # CSS pixels per inch: the picture is shown at its figure size
PNG_DPI = 2 * SCREEN_DPI     # two image pixels per CSS pixel: sharp on a high-density screen


@dataclass(frozen=True)
class ExplorerResult:
    """What an explorer shows for one setting: text lines, output size, frames, figure."""

    lines: list
    output_size: int | None
    n_steps: int
    figure: Figure | None = None

    @property
    def text(self):
        """The lines as plain text, one per line."""
        return "\n".join(self.lines)

    @property
    def headline_html(self):
        """The first line ("output size: ...") as bold HTML."""
        return f"<b>{html.escape(self.lines[0])}</b>"

    @property
    def details_html(self):
        """The other lines as HTML paragraphs."""
        return "".join(f"<div>{html.escape(line)}</div>" for line in self.lines[1:])


def _axes(frame, ax, figure):
    """The given axes, else the one axes of ``figure`` (or of a new non-pyplot figure) sized
    for the frame and emptied (:func:`reuse_axes`)."""
    if ax is not None:
        return ax
    size = frame_figsize(frame)
    figure = Figure(figsize=size) if figure is None else figure
    return reuse_axes(figure, size, [frame_axes_rect(frame)])[0]


def conv_result(input_size, kernel_size, stride=1, padding=0, dilation=1, step=0):
    """The frame and the explorer's text for one setting, without drawing (fast)."""
    frame = conv_frame(input_size, kernel_size, stride, padding, dilation, step)
    return frame, ExplorerResult(describe_conv(frame), frame.output_size, frame.n_steps)


def transposed_result(input_size, kernel_size, stride=1, padding=0, output_padding=0, step=0):
    """The frame and the transposed explorer's text for one setting, without drawing (fast)."""
    frame = transposed_conv_frame(input_size, kernel_size, stride, padding, output_padding, step)
    return frame, ExplorerResult(describe_transposed(frame), frame.output_size, frame.n_steps)


def render_conv(input_size, kernel_size, stride=1, padding=0, dilation=1, step=0, ax=None,
                figure=None):
    """Compute and draw one frame of a convolution; returns an :class:`ExplorerResult`.

    ``ax`` None draws into ``figure``, resized for the frame and emptied first, or into a new
    figure sized for the frame when ``figure`` is None too (``result.figure``).
    """
    frame, result = conv_result(input_size, kernel_size, stride, padding, dilation, step)
    ax = _axes(frame, ax, figure)
    plot_conv_frame(ax, frame)
    return ExplorerResult(result.lines, result.output_size, result.n_steps, ax.figure)


def render_transposed(input_size, kernel_size, stride=1, padding=0, output_padding=0, step=0,
                      ax=None, figure=None):
    """Compute and draw one frame of a transposed convolution; returns an ExplorerResult
    (``ax`` and ``figure`` as for :func:`render_conv`)."""
    frame, result = transposed_result(input_size, kernel_size, stride, padding, output_padding,
                                      step)
    ax = _axes(frame, ax, figure)
    plot_transposed_frame(ax, frame)
    return ExplorerResult(result.lines, result.output_size, result.n_steps, ax.figure)


class SliderExplorer(widgets.VBox):
    """Sliders + Play/step control + picture + text, re-rendered whenever a control changes.

    ``controls`` maps each label ("stride", "step", ...) to its widget; ``summary`` is the
    HTML widget with the one-line output size (CSS class ``css_class``, so a browser test can
    find it), ``details`` the HTML widget with the other lines; ``result`` the latest
    :class:`ExplorerResult` (its ``figure`` None: the explorer draws every picture into one
    kept figure, :func:`reuse_axes`, and keeps only the PNGs of recent settings).  Built by
    :func:`build_conv_explorer` and :func:`build_transposed_explorer`.
    """

    def __init__(self, render, ranges, values, keywords, css_class, play_interval=900):
        self._render, self._keywords, self._updating = render, keywords, False
        self._figure = Figure()
        FigureCanvasAgg(self._figure)   # its renderer is kept while the figure size stays
        self._picture = functools.lru_cache(maxsize=RECENT_PICTURES)(self._draw)
        for label, (lo, hi) in ranges.items():     # the slider's range; 2.5 is not rounded
            check_int(keywords[label], values[label], lo, hi)
        sliders = {label: widgets.IntSlider(value=values[label], min=lo, max=hi,
                                            description=label, continuous_update=False,
                                            style={"description_width": "initial"})
                   for label, (lo, hi) in ranges.items()}
        step = widgets.IntSlider(value=0, min=0, max=0, description="step",
                                 continuous_update=False)
        self.play = widgets.Play(value=0, min=0, max=0, interval=play_interval)
        widgets.link((self.play, "value"), (step, "value"))
        self.controls = {**sliders, "step": step}
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.summary = widgets.HTML()
        self.summary.add_class(css_class)
        self.details = widgets.HTML()
        self.result = None
        rows = [widgets.HBox(list(sliders.values())[:3]),
                widgets.HBox(list(sliders.values())[3:] + [self.play, step])]
        super().__init__(rows + [self.summary, self.details, self.image])
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self._update()
        with_static_picture(self, lambda: self._render(**self.params(), figure=self._figure).figure)

    def params(self):
        """The current control values as keyword arguments of the render function."""
        return {self._keywords[label]: control.value for label, control in self.controls.items()}

    @property
    def text(self):
        """The text currently shown under the controls."""
        return self.result.text

    def _draw(self, params):
        """The render result (without figure), its PNG and the width (CSS px) to show it at,
        for ``params``, a tuple of (keyword, value) pairs."""
        result = self._render(**dict(params), figure=self._figure)
        width = f"{round(self._figure.get_figwidth() * SCREEN_DPI)}px"
        return replace(result, figure=None), figure_png(self._figure, dpi=PNG_DPI), width

    def _update(self, change=None):
        if self._updating:   # a clamp below changed another control: already rendered
            return
        self._updating = True
        try:
            result, png, width = self._picture(tuple(self.params().items()))
            last = max(result.n_steps - 1, 0)
            # Lowering max clamps a step past the end; render already showed the last frame.
            self.play.max = self.controls["step"].max = last
            self.result = result
            self.image.value = png
            self.image.layout.width = width
            self.details.value = result.details_html
            self.summary.value = result.headline_html   # last: the picture is ready by now
        finally:
            self._updating = False


# Slider label -> keyword argument of the render function.
_CONV_KEYWORDS = {"input size": "input_size", "kernel size": "kernel_size", "stride": "stride",
                  "padding": "padding", "dilation": "dilation", "step": "step"}
_TRANSPOSED_KEYWORDS = {"input size": "input_size", "kernel size": "kernel_size",
                        "stride": "stride", "padding": "padding",
                        "output padding": "output_padding", "step": "step"}


def build_conv_explorer(input_size=5, kernel_size=3, stride=1, padding=0, dilation=1):
    """The convolution explorer: a :class:`SliderExplorer` around :func:`render_conv`."""
    values = {"input size": input_size, "kernel size": kernel_size, "stride": stride,
              "padding": padding, "dilation": dilation}
    return SliderExplorer(render_conv, CONV_RANGES, values, _CONV_KEYWORDS, OUTPUT_CLASS)


def build_transposed_explorer(input_size=3, kernel_size=3, stride=2, padding=0,
                              output_padding=0):
    """The transposed-convolution explorer: a :class:`SliderExplorer` around
    :func:`render_transposed`."""
    values = {"input size": input_size, "kernel size": kernel_size, "stride": stride,
              "padding": padding, "output padding": output_padding}
    return SliderExplorer(render_transposed, TRANSPOSED_RANGES, values, _TRANSPOSED_KEYWORDS,
                          TRANSPOSED_OUTPUT_CLASS)
