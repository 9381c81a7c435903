"""The drawing pad: draw a digit with the mouse (or a finger), and watch the network read it.

``render_overview(reading)``, ``render_feature_maps(reading)`` and
``render_unit(model, reading, layer, channel, row, col)`` are the pure functions behind the
pad: one compute call, one figure each, testable without a browser.  :class:`DrawingPad`
wires an ipycanvas ``Canvas`` (its JavaScript ships inside the Python package, nothing loads
from the internet) to them: after each stroke the answer line appears first, then the
figures; Clear and Undo; a unit picker (layer, channel, row, column) traces one unit.
"""
import html
import threading

import ipywidgets as widgets
import numpy as np
from ipycanvas import Canvas, hold_canvas
from matplotlib.figure import Figure

from ..common.png_plots import figure_png
from . import plots
from .bundled_model import load_pad_model
from .preprocess import rasterize_strokes
from .reading import image_layers, layer_names, read_canvas
from .unit_trace import trace_unit

SIZE = 280            # canvas pixels; a digit drawn to fill it is ~10x MNIST's 20-pixel box
PEN_WIDTH = 20        # so the pen becomes ~2 pixels after scaling, like MNIST's strokes
COLUMNS = 16          # feature maps per row of a layer's tile
EMPTY = "Draw a digit in the black square (one stroke is enough for a 1)."


def render_overview(reading):
    """Figure: the four preprocessing steps, the ten probabilities and the saliency map."""
    fig = Figure(figsize=(13, 2.9), layout="constrained")
    axes = fig.subplots(1, 6, gridspec_kw={"width_ratios": [1, 1, 1, 1, 1.7, 1]})
    plots.plot_steps(axes[:4], reading.steps)
    plots.plot_probabilities(axes[4], reading.probabilities)
    plots.plot_saliency(axes[5], reading.digit, reading.saliency, reading.guess)
    return fig


def render_feature_maps(reading):
    """Figure: every image layer's feature maps, one row per layer, shared scale per layer."""
    tile_rows = [-(-maps.shape[0] // COLUMNS) for _, _, maps in reading.feature_maps]
    fig = Figure(figsize=(11, 0.68 * sum(tile_rows) + 0.3 * len(tile_rows)), layout="constrained")
    axes = fig.subplots(len(tile_rows), 1, squeeze=False, height_ratios=tile_rows)[:, 0]
    plots.plot_feature_maps(axes, reading.feature_maps, columns=COLUMNS)
    return fig


def render_unit(model, reading, layer, channel, row, col):
    """(figure, trace): the unit's receptive field, its place in its map, its numbers."""
    trace = trace_unit(model, reading, layer, channel, row, col)
    fig = Figure(figsize=(11, 3.2), layout="constrained")
    plots.plot_unit_trace(fig.subplots(1, 3), reading, trace)
    return fig, trace


def answer_html(reading, strokes):
    """The live answer: top guess and ten small bars in plain HTML (no figure to render)."""
    if reading is None:
        return f"<b>{EMPTY}</b>"
    bars = "".join(
        f"<div style='display:flex;align-items:center;gap:6px;font-family:monospace'>"
        f"<span>{d}</span><span style='display:inline-block;height:10px;"
        f"width:{max(1, round(160 * p))}px;background:"
        f"{plots.GUESS_COLOR if d == reading.guess else plots.OTHER_COLOR}'></span>"
        f"<span>{100 * p:.1f}%</span></div>" for d, p in enumerate(reading.probabilities))
    return (f"<div class='draw-pad-guess' style='font-size:20px'>guess: <b>{reading.guess}"
            f"</b></div><div>{html.escape(reading.describe())}; {strokes} stroke(s)</div>{bars}")


class DrawingPad:
    """A canvas, Clear and Undo, the live answer, the figures and the unit picker.

    ``model`` reads the drawings (default: :func:`load_pad_model`, the student's network from
    chapter 08 if saved, else the bundled one).  ``add_stroke(points)`` draws from code, as
    the mouse does.  ``widget`` is the ipywidgets box to display; ``status`` says when the
    figures below the answer are up to date.

    With ``background=True`` the figures are drawn in a background thread, always for the
    newest drawing, so the kernel keeps answering the mouse meanwhile (the next stroke's ink
    and answer do not wait for the previous stroke's figures).  ``background=False`` draws
    them before :meth:`update` returns (tests, and code that needs them at once).
    """

    def __init__(self, model=None, source=None, background=True):
        if model is None:
            model, source = load_pad_model()
        self.model, self.source = model, source or "a model passed in"
        self.strokes, self.reading, self._current = [], None, None
        self._moving_sliders, self.background = False, background
        self._unit_chosen = False     # True once the student moves the unit picker
        self._generation, self._lock = 0, threading.Lock()
        self._figures_wanted, self._worker = threading.Event(), None
        self.canvas = Canvas(width=SIZE, height=SIZE, layout=widgets.Layout(
            width=f"{SIZE}px", height=f"{SIZE}px", border="1px solid #888"))
        self.canvas.add_class("draw-pad-canvas")
        self.answer = widgets.HTML(f"<b>{EMPTY}</b>", layout=widgets.Layout(width="400px"))
        self.answer.add_class("draw-pad-answer")
        self.clear_button = widgets.Button(description="Clear", icon="trash")
        self.undo_button = widgets.Button(description="Undo", icon="undo")
        self.overview, self.maps, self.unit_image = (widgets.Image(format="png")
                                                     for _ in range(3))
        self.unit_text = widgets.HTML()
        self.unit_text.add_class("draw-pad-unit")
        self.status = widgets.HTML()
        self.status.add_class("draw-pad-status")
        self._build_picker()
        self._wire()
        self._paint()
        self.widget = self._layout()

    # ----------------------------------------------------------------- layout and events
    def _build_picker(self):
        names = layer_names(self.model)
        options = [(names[i], i) for i in image_layers(self.model)]
        self.layer_menu = widgets.Dropdown(options=options, value=options[-1][1],
                                           description="layer")
        self.channel_slider, self.row_slider, self.col_slider = (
            widgets.IntSlider(min=0, max=1, description=d, continuous_update=False)
            for d in ("channel", "row", "column"))
        self._update_picker_ranges()

    def _wire(self):
        self.canvas.on_mouse_down(self._start)
        self.canvas.on_mouse_move(self._move)
        self.canvas.on_mouse_up(self._end)
        self.canvas.on_mouse_out(self._end)
        self.canvas.on_touch_start(lambda touches: self._start(*touches[0]))
        self.canvas.on_touch_move(lambda touches: self._move(*touches[0]))
        self.canvas.on_touch_end(lambda touches: self._end())
        self.canvas.on_client_ready(self._paint)
        self.clear_button.on_click(lambda _: self.clear())
        self.undo_button.on_click(lambda _: self.undo())
        self.layer_menu.observe(self._layer_changed, "value")
        for slider in (self.channel_slider, self.row_slider, self.col_slider):
            slider.observe(self._picker_moved, "value")

    def _layout(self):
        """The whole pad as one ipywidgets box."""
        buttons = widgets.HBox([self.clear_button, self.undo_button])
        top = widgets.HBox([widgets.VBox([self.canvas, buttons, self.status]), self.answer])
        picker = widgets.HBox([self.layer_menu, self.channel_slider, self.row_slider,
                               self.col_slider])
        box = widgets.VBox([widgets.HTML(f"network: {html.escape(self.source)}"), top,
                            self.overview, self.maps, picker, self.unit_text, self.unit_image])
        box.add_class("draw-pad")
        return box

    def _start(self, x, y):
        self._current = [(float(x), float(y))]
        self._draw_segment(self._current[0], self._current[0])

    def _move(self, x, y):
        if self._current is not None:
            self._current.append((float(x), float(y)))
            self._draw_segment(self._current[-2], self._current[-1])

    def _end(self, *_):
        if self._current is not None:
            stroke, self._current = self._current, None
            self.strokes.append(stroke)
            self.update()

    # ----------------------------------------------------------------- drawing
    def _paint(self):
        """Repaint the canvas from ``self.strokes`` (after Clear, Undo or a reload)."""
        with hold_canvas():
            self.canvas.fill_style = "black"
            self.canvas.fill_rect(0, 0, SIZE, SIZE)
            self.canvas.stroke_style, self.canvas.line_width = "white", PEN_WIDTH
            self.canvas.line_cap = self.canvas.line_join = "round"
            for stroke in self.strokes:
                self.canvas.stroke_lines(stroke if len(stroke) > 1 else stroke * 2)

    def _draw_segment(self, start, end):
        with hold_canvas():
            self.canvas.stroke_line(*start, *end)

    def add_stroke(self, points):
        """Draw a stroke from code: a list of (x, y) canvas points.  Updates the answer."""
        self.strokes.append([(float(x), float(y)) for x, y in points])
        self._paint()
        self.update()

    def undo(self):
        """Remove the last stroke."""
        if self.strokes:
            self.strokes.pop()
        self._paint()
        self.update()

    def clear(self):
        """Remove every stroke."""
        self.strokes = []
        self._paint()
        self.update()

    # ----------------------------------------------------------------- the network's answer
    def update(self):
        """Read the strokes; show the answer line first, then the figures."""
        ink = rasterize_strokes(self.strokes, SIZE, SIZE, PEN_WIDTH)
        reading = read_canvas(self.model, ink) if self.strokes and ink.max() > 0 else None
        with self._lock:
            self._generation += 1
            self.reading = reading
            self.answer.value = answer_html(reading, len(self.strokes))
            if reading is None:
                for image in (self.overview, self.maps, self.unit_image):
                    image.value = b""
                self.unit_text.value = self.status.value = ""
                return
            self.status.value = "<i>drawing the figures ...</i>"
            if not self._unit_chosen:
                self._pick_active_channel(reading)
        if not self.background:
            self._draw_figures(self._generation)
            return
        if self._worker is None:
            self._worker = threading.Thread(target=self._figure_loop, daemon=True)
            self._worker.start()
        self._figures_wanted.set()

    def _figure_loop(self):
        while True:
            self._figures_wanted.wait()
            self._figures_wanted.clear()
            try:
                self._draw_figures(self._generation)
            except Exception as error:        # shown, not lost in a background thread
                self.status.value = f"figures failed: {html.escape(repr(error))}"

    def _publish(self, generation, image, png):
        """Show ``png`` unless a newer drawing (or Clear) came meanwhile; False if stale."""
        with self._lock:
            if generation != self._generation:
                return False
            image.value = png
            return True

    def _draw_figures(self, generation):
        reading, strokes = self.reading, len(self.strokes)
        if reading is None:
            return
        for image, render in ((self.overview, render_overview),
                              (self.maps, render_feature_maps)):
            if not self._publish(generation, image, figure_png(render(reading), dpi=72)):
                return
        self._show_unit(generation)
        with self._lock:
            if generation == self._generation:
                self.status.value = f"figures up to date ({strokes} stroke(s))"

    def _update_picker_ranges(self):
        """New slider ranges for the chosen layer; the unit is shown once, after all three."""
        maps = self.model.layers[self.layer_menu.value].output_shape(
            self._shape_before(self.layer_menu.value))
        self._moving_sliders = True
        try:
            for slider, top in zip((self.channel_slider, self.row_slider, self.col_slider),
                                   maps):
                slider.max = top - 1
                slider.value = top // 2 if slider is not self.channel_slider else 0
        finally:
            self._moving_sliders = False

    def _shape_before(self, index):
        shape = (1, 28, 28)
        for layer in self.model.layers[:index]:
            shape = layer.output_shape(shape)
        return shape

    def _picker_moved(self, _):
        if not self._moving_sliders:
            self._unit_chosen = True
            self._show_unit()

    def _pick_active_channel(self, reading):
        """Until the student picks a unit, show the most active channel at the picked place."""
        maps = dict((index, m) for _, index, m in reading.feature_maps)[self.layer_menu.value]
        self._moving_sliders = True
        try:
            self.channel_slider.value = int(np.argmax(
                maps[:, self.row_slider.value, self.col_slider.value]))
        finally:
            self._moving_sliders = False

    def _layer_changed(self, _):
        self._update_picker_ranges()
        self._show_unit()

    def _show_unit(self, generation=None):
        """Trace the picked unit of the current drawing (``generation``: see update)."""
        reading = self.reading
        if reading is None or self._moving_sliders:
            return
        fig, trace = render_unit(self.model, reading, self.layer_menu.value,
                                 self.channel_slider.value, self.row_slider.value,
                                 self.col_slider.value)
        generation = self._generation if generation is None else generation
        if self._publish(generation, self.unit_image, figure_png(fig, dpi=72)):
            self.unit_text.value = f"<pre>{html.escape(trace.describe())}</pre>"


def build_drawing_pad(model=None, source=None, background=True):
    """A :class:`DrawingPad` (display ``pad.widget``)."""
    return DrawingPad(model, source, background)


def strokes_to_array(strokes):
    """Canvas ink (SIZE, SIZE) painted from ``strokes`` with the pad's pen."""
    return rasterize_strokes(strokes, SIZE, SIZE, PEN_WIDTH)
