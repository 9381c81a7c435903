"""The training dashboard: train the digit CNN live, change the learning rate while it runs.

Two layers, so that everything can be tested without a browser:

- :class:`TrainingSession` (no widgets): a model, its optimizer and its History; ``run_epoch()``
  trains one epoch, ``run(epochs)`` several, ``stop()`` asks a run to end after the current
  step, ``set_lr()`` changes the learning rate, also in the middle of a run.  Listeners are
  called after every step and every epoch.
- :class:`TrainingDashboard` (an ipywidgets VBox): sliders and menus for learning rate, batch
  size, epochs, optimizer and filters; Train / Stop / New model buttons; a progress bar; the
  loss and accuracy curves, redrawn after every epoch.  Train runs the session in a background
  thread, so Stop and the learning-rate slider keep working while it trains.

In a notebook that must give the same output on every run, call ``dashboard.run(epochs)``
from code instead of clicking Train: it trains in the calling thread, step for step the same.
"""
import math
import threading

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cnn_core.course.common.plots import plot_history
from cnn_core.course.common.png_plots import figure_output
from cnn_core.recipes import (
    DEFAULT_RECIPE,
    OPTIMIZERS,
    SUGGESTED_LR,
    Recipe,
    build_augment,
    build_criterion,
    build_model,
    build_optimizer,
)
from cnn_core.train import Callback, History, fit
from cnn_core.validation import ArgumentTypeError

BATCH_SIZES = (8, 16, 32, 64, 128, 256)
FILTER_CHOICES = ((4, 8), (8, 16), (16, 32))


class _SessionHooks(Callback):
    """Connects :func:`fit` to a session: reports every step, honours a stop request."""

    def __init__(self, session):
        self.session = session

    def on_batch_end(self, state):
        for listener in self.session.step_listeners:
            listener(self.session, state.step + 1, state.steps_per_epoch)
        if self.session.stop_requested:
            state.stop = True


class TrainingSession:
    """One model being trained on (x, y), scored on (x_val, y_val) after every epoch.

    Parameters
    ----------
    x : ndarray (N, 1, 28, 28), y : int ndarray (N,)
    x_val, y_val : the held-out digits whose loss and accuracy are recorded per epoch
    recipe : cnn_core.recipes.Recipe
        Supplies filters, loss (label smoothing), optimizer, learning rate, batch size, shift
        augmentation and seed (its epochs and schedule are not used: the caller decides when
        to run and to change lr).

    Attributes
    ----------
    model, optimizer, history (cnn_core.train.History, one entry per epoch), batch_size (read
    at the start of each epoch), step_listeners (called as ``f(session, step, steps_per_epoch)``)
    and epoch_listeners (called as ``f(session)``).
    """

    def __init__(self, x, y, x_val, y_val, recipe=DEFAULT_RECIPE):
        self.recipe = recipe
        self.x, self.y, self.x_val, self.y_val = x, y, x_val, y_val
        self.rng = np.random.default_rng(recipe.seed)
        self.model = build_model(recipe, self.rng)
        self.optimizer = build_optimizer(recipe)
        self.augment = build_augment(recipe)
        self.batch_size = recipe.batch_size
        self.criterion = build_criterion(recipe)
        self.history = History()
        self.step_listeners, self.epoch_listeners = [], []
        self.diverged = False
        self._stop = threading.Event()

    @property
    def lr(self):
        """The optimizer's current learning rate."""
        return self.optimizer.lr

    def set_lr(self, lr):
        """Use learning rate ``lr`` (> 0) from the next step on, even in the middle of a run."""
        self.optimizer.lr = lr

    def stop(self):
        """Ask the running epoch to end after its current step (safe from another thread)."""
        self._stop.set()

    @property
    def stop_requested(self):
        """True between a :meth:`stop` and the moment a run honours it."""
        return self._stop.is_set()

    def clear_stop(self):
        """Forget a stop request that no run has honoured yet."""
        self._stop.clear()

    @property
    def epochs_done(self):
        return self.history.epochs

    def run_epoch(self):
        """Train one epoch (or until :meth:`stop`), then score the held-out digits.

        Returns True if the epoch ran to its end, False if it was stopped or diverged.
        """
        if self.diverged:
            return False
        self.history.stopped_reason = ""
        part = fit(self.model, self.criterion, self.optimizer, self.x, self.y, epochs=1,
                   batch_size=self.batch_size, rng=self.rng, x_val=self.x_val, y_val=self.y_val,
                   augment=self.augment, callbacks=[_SessionHooks(self)], on_divergence="stop")
        for name in ("train_loss", "train_acc", "val_loss", "val_acc", "lr", "batch_loss",
                     "seconds"):
            getattr(self.history, name).extend(getattr(part, name))
        stopped = self._stop.is_set()
        if part.stopped_reason:
            self.diverged = True
            self.history.stopped_reason = part.stopped_reason
        elif stopped:
            self.history.stopped_reason = f"stopped by request during epoch {self.epochs_done}"
        self._stop.clear()
        for listener in self.epoch_listeners:
            listener(self)
        return not (stopped or self.diverged)

    def run(self, epochs):
        """Train up to ``epochs`` epochs; a :meth:`stop` request or divergence ends it early.
        Returns the history."""
        for _ in range(epochs):
            if self._stop.is_set():          # asked to stop between two epochs
                self._stop.clear()
                self.history.stopped_reason = f"stopped by request after epoch {self.epochs_done}"
                break
            if not self.run_epoch():
                break
        return self.history


def render_curves(history, figsize=(9.0, 3.4)):
    """A matplotlib Figure (no pyplot, safe in a thread): loss and accuracy per epoch, train
    and test, side by side."""
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    loss_ax, acc_ax = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
    plot_history(loss_ax, history, "loss")
    plot_history(acc_ax, history, "acc")
    if not history.train_loss:
        for ax in (loss_ax, acc_ax):
            ax.text(0.5, 0.5, "press Train", ha="center", va="center", transform=ax.transAxes)
    return fig


class TrainingDashboard(widgets.VBox):
    """Controls, buttons, progress bar and live curves around a :class:`TrainingSession`.

    Changing the learning rate or batch size applies to the running session; changing the
    optimizer or filters makes the next Train start a new model (and moves the learning rate
    to a good value for that optimizer).  ``background=False`` makes Train block until done.
    """

    def __init__(self, x, y, x_val, y_val, recipe=DEFAULT_RECIPE, background=True):
        super().__init__()
        if not isinstance(recipe, Recipe):
            raise ArgumentTypeError(f"recipe must be a cnn_core.recipes.Recipe, "
                                    f"got {type(recipe).__name__}")
        self.data, self.recipe, self.background = (x, y, x_val, y_val), recipe, background
        self.thread, self._needs_new_model, self._run_steps, self._busy = None, False, 0, False
        self._build_controls(recipe)
        self.session = self._new_session()
        self.refresh()

    def _build_controls(self, recipe):
        wide = {"description_width": "initial"}
        # The sliders' ranges grow to hold the recipe's values: a slider never clamps them.
        log_lr = math.log10(recipe.lr)
        self.lr_slider = widgets.FloatLogSlider(
            value=recipe.lr, base=10, min=min(-4, math.floor(log_lr)),
            max=max(0, math.ceil(log_lr)), step=0.1, description="learning rate",
            readout_format=".1e", continuous_update=False, style=wide)
        self.batch_size = widgets.SelectionSlider(
            options=sorted({*BATCH_SIZES, recipe.batch_size}), value=recipe.batch_size,
            description="batch size", continuous_update=False, style=wide)
        self.epochs = widgets.IntSlider(value=recipe.epochs, min=1, max=max(40, recipe.epochs),
                                        description="epochs", continuous_update=False)
        self.optimizer = widgets.Dropdown(options=OPTIMIZERS, value=recipe.optimizer,
                                          description="optimizer")
        filters = sorted({*FILTER_CHOICES, recipe.filters})
        self.filters = widgets.Dropdown(options=[(f"{a}, {b}", (a, b)) for a, b in filters],
                                        value=recipe.filters, description="filters")
        self.train_button = widgets.Button(description="Train", button_style="success")
        self.stop_button = widgets.Button(description="Stop", button_style="danger",
                                          disabled=True)
        self.new_button = widgets.Button(description="New model")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="progress")
        self.status = widgets.HTML()
        self.plot = widgets.Output()
        self.lr_slider.observe(lambda change: self.session.set_lr(change.new), "value")
        self.batch_size.observe(self._on_batch_size, "value")
        self.optimizer.observe(self._on_optimizer, "value")
        self.filters.observe(self._on_model_change, "value")
        self.train_button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())
        self.new_button.on_click(lambda _: self.new_model())
        self.children = [
            widgets.HBox([self.lr_slider, self.batch_size, self.epochs]),
            widgets.HBox([self.optimizer, self.filters]),
            widgets.HBox([self.train_button, self.stop_button, self.new_button, self.progress]),
            self.status, self.plot]

    # --------------------------------------------------------------------- session
    def _new_session(self):
        recipe = self.recipe.replace(lr=self.lr_slider.value, batch_size=self.batch_size.value,
                                     optimizer=self.optimizer.value, filters=self.filters.value)
        session = TrainingSession(*self.data, recipe=recipe)
        session.step_listeners.append(self._on_step)
        session.epoch_listeners.append(lambda _: self.refresh())
        self._needs_new_model = False
        return session

    def new_model(self):
        """Start again from freshly initialised weights with the current settings."""
        if not self.running:
            self.session = self._new_session()
            self.refresh()

    def _on_batch_size(self, change):
        self.session.batch_size = change.new

    def _on_optimizer(self, change):
        self.lr_slider.value = SUGGESTED_LR[change.new]
        self._on_model_change(change)

    def _on_model_change(self, _change):
        self._needs_new_model = True
        self.refresh(note="the next Train starts a new model with these settings", plot=False)

    def _on_step(self, session, step, steps_per_epoch):
        # At most ~100 updates per run: every update is a message to the browser, and a flood
        # of them (one per step) can overflow the kernel's output queue.
        self._run_steps += 1
        done = min(self._run_steps, self.progress.max)
        if done == self.progress.max or done % max(1, self.progress.max // 100) == 0:
            self.progress.value = done

    # --------------------------------------------------------------------- running
    @property
    def running(self):
        """True while a run (threaded or not) is in progress."""
        return self._busy

    def _prepare(self, epochs):
        if self._needs_new_model:
            self.session = self._new_session()
        self.session.clear_stop()
        steps = -(-len(self.data[0]) // self.session.batch_size)
        self._run_steps, self.progress.value, self.progress.max = 0, 0, epochs * steps
        self._set_running(True)

    def _set_running(self, running):
        self._busy = running
        self.train_button.disabled = self.new_button.disabled = running
        self.optimizer.disabled = self.filters.disabled = running
        self.stop_button.disabled = not running

    def run(self, epochs=None):
        """Train ``epochs`` (default: the epochs slider) in the calling thread; returns the
        session's history.  The same as Train, without the thread."""
        epochs = self.epochs.value if epochs is None else epochs
        self._prepare(epochs)
        return self._execute(epochs)

    def start(self):
        """What Train does: run the epochs slider's number of epochs, in a background thread
        unless ``background=False``."""
        if self.running:
            return
        if not self.background:
            self.run()
            return
        epochs = self.epochs.value
        self._prepare(epochs)
        self.thread = threading.Thread(target=self._execute, args=(epochs,), daemon=True)
        self.thread.start()

    def _execute(self, epochs):
        try:
            return self.session.run(epochs)
        finally:
            self._set_running(False)
            self.refresh(plot=False)

    def stop(self):
        """What Stop does: end the run after the current step (nothing if none is running)."""
        if not self.running:
            return
        self.session.stop()
        self.refresh(note="stopping after the current step", plot=False)

    def wait(self, timeout=None):
        """Block until a background run has finished (for scripts and tests)."""
        if self.thread is not None:
            self.thread.join(timeout)

    # --------------------------------------------------------------------- display
    def refresh(self, note="", plot=True):
        """Redraw the status line (and, if ``plot``, the curves) from the session's history."""
        h, s = self.session.history, self.session
        parts = [f"epochs trained: {h.epochs}", f"learning rate: {s.lr:.2g}"]
        if h.epochs:
            parts += [f"train loss {h.train_loss[-1]:.4f}", f"train acc {h.train_acc[-1]:.4f}",
                      f"val acc {h.val_acc[-1]:.4f}"]
        if h.stopped_reason:
            parts.append(h.stopped_reason)
        if note:
            parts.append(note)
        if plot:        # the picture first, then the text that describes it
            self.plot.outputs = (figure_output(render_curves(h), "<training curves>", dpi=80,
                                               scale=2),)
        self.status.value = " &middot; ".join(parts)


def build_training_dashboard(x, y, x_val, y_val, recipe=DEFAULT_RECIPE, background=True):
    """The training dashboard for digits x (N, 1, 28, 28), y (N,), scored on (x_val, y_val).

    Returns a :class:`TrainingDashboard`: ``display(dashboard)`` shows it; its controls are
    ``lr_slider``, ``batch_size``, ``epochs``, ``optimizer``, ``filters``, ``train_button``,
    ``stop_button``, ``new_button``; ``dashboard.session`` is the :class:`TrainingSession`.
    """
    return TrainingDashboard(x, y, x_val, y_val, recipe=recipe, background=background)
