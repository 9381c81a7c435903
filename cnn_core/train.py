"""The training loop: minibatches, the four steps, history and callbacks.

One step of training is the four steps of backpropagation:
  1. forward pass   scores = model.forward(xb)
  2. loss           loss = criterion.forward(scores, yb)
  3. backward pass  model.backward(criterion.backward())
  4. update         optimizer.step(model)
One epoch is one pass over the training set in minibatches.
"""
import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from .data import iterate_minibatches
from .validation import (
    ArgumentTypeError,
    check_batch,
    check_choice,
    check_finite,
    check_int,
    check_real,
    make_rng,
)


class TrainingDiverged(RuntimeError):
    """The loss became nan/inf or exploded: almost always a learning rate that is too high.

    Raised only when the data are clean: NaN or inf in x or y is refused before training starts
    with a ValueError that says it is bad data.
    """


def check_dataset(x, y, name_x="x", name_y="y"):
    """Check a data set before training or evaluating on it.

    x (N, ...) numeric array, y (N,) or (N, K); same N >= 1; no NaN or inf in either.

    Raises
    ------
    TypeError
        x or y is not a numpy array of numbers (e.g. a Python list: use np.asarray).
    ValueError
        N = 0, different lengths, or NaN/inf in the data ("bad data", not divergence).
    """
    check_batch(x, name_x)
    check_batch(y, name_y)
    if len(x) != len(y):
        raise ValueError(f"{name_x} and {name_y} must have the same length, "
                         f"got {len(x)} and {len(y)}")
    check_finite(x, name_x, what="input data")
    check_finite(y, name_y, what="target data")


@dataclass
class History:
    """What happened during :func:`fit`, one entry per epoch (``batch_loss`` per step)."""

    train_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_acc: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    stopped_reason: str = ""

    @property
    def epochs(self):
        """Number of epochs completed."""
        return len(self.train_loss)


class Callback:
    """Hooks called by :func:`fit`; set ``state.stop = True`` from any hook to stop after the
    current step.  ``state`` carries model, optimizer, history, epoch, step and batch loss."""

    def on_train_begin(self, state):
        """Called once before the first epoch."""

    def on_batch_end(self, state):
        """Called after every optimizer step; ``state.loss`` is that batch's loss."""

    def on_epoch_end(self, state):
        """Called after every epoch, once ``state.history`` holds its numbers."""

    def on_train_end(self, state):
        """Called once when training ends (also after an early stop)."""


class TrainingState:
    """Mutable record shared with callbacks during :func:`fit`."""

    def __init__(self, model, optimizer, history, epochs, steps_per_epoch):
        self.model, self.optimizer, self.history = model, optimizer, history
        self.epochs, self.steps_per_epoch = epochs, steps_per_epoch
        self.epoch = self.step = 0
        self.loss = math.nan
        self.stop = False


class EarlyStopping(Callback):
    """Stop when the validation loss has not improved for ``patience`` epochs."""

    def __init__(self, patience=3):
        self.patience = check_int("patience", patience, 1)

    def on_epoch_end(self, state):
        """Stop when the best validation loss is ``patience`` or more epochs old."""
        losses = state.history.val_loss
        if losses and len(losses) - 1 - int(np.argmin(losses)) >= self.patience:
            state.stop = True
            state.history.stopped_reason = (f"early stop: validation loss has not improved for "
                                            f"{self.patience} epochs")


class LivePlot(Callback):
    """Call ``update(history)`` after every epoch (e.g. to redraw a loss curve)."""

    def __init__(self, update):
        if not callable(update):
            raise ArgumentTypeError(f"update must be a function update(history), "
                            f"got {type(update).__name__}")
        self.update = update

    def on_epoch_end(self, state):
        """Call ``update(history)``."""
        self.update(state.history)


class ProgressBar(Callback):
    """A tqdm progress bar over the steps of each epoch, with the running loss.

    In a notebook tqdm draws a widget.  A saved notebook keeps, for a reader without a kernel,
    the plain text the widget had when it was first shown ("0%| | 0/63"); so the bar is shown
    through a display handle and shown again when the epoch ends, and the saved text is the
    finished bar with the epoch's loss (and val_acc).
    """

    def __init__(self, leave=True):
        self.leave, self._bar, self._handle = leave, None, None

    def on_batch_end(self, state):
        """Advance the bar by one step (opening it at an epoch's first step)."""
        if self._bar is None:
            self._bar, self._handle = _open_bar(state.steps_per_epoch, self.leave,
                                                f"epoch {state.epoch + 1}/{state.epochs}")
        self._bar.update(1)
        self._bar.set_postfix(loss=f"{state.loss:.4f}", refresh=False)

    def on_epoch_end(self, state):
        """Show the epoch's loss (and validation accuracy) and close the bar."""
        if self._bar is not None:
            h = state.history
            if h.val_acc:
                self._bar.set_postfix(loss=f"{h.train_loss[-1]:.4f}",
                                      val_acc=f"{h.val_acc[-1]:.4f}")
            self._bar.close()
            if self._handle is not None and self.leave:
                self._handle.update(self._bar.container)     # the saved text: the final bar
            self._bar, self._handle = None, None


def _open_bar(total, leave, desc):
    """A tqdm bar (a widget in a notebook, text in a terminal) and, for a widget, the display
    handle it was shown with (else None)."""
    from tqdm.auto import tqdm
    # The engine imports no IPython; a notebook bar means the kernel has loaded it already.
    ipython_display = sys.modules.get("IPython.display")
    if ipython_display is None or not any(c.__name__ == "tqdm_notebook" for c in tqdm.__mro__):
        return tqdm(total=total, leave=leave, desc=desc), None
    bar = tqdm(total=total, leave=leave, desc=desc, display=False)
    return bar, ipython_display.display(bar.container, display_id=True)


def evaluate(model, criterion, x, y, batch_size=100):
    """Mean loss and accuracy of ``model`` on x (N, C, H, W), y (N,), in eval mode.

    Returns (loss, accuracy).  Raises ValueError if ``batch_size`` is not an integer >= 1 or
    the data are empty, of different lengths or hold NaN/inf; TypeError for non-arrays.
    The scores come from :meth:`Sequential.scores` (in batches of ``batch_size``).
    """
    batch_size = check_int("batch_size", batch_size, 1)
    check_dataset(x, y)
    scores = model.scores(x, batch_size)
    return float(criterion.forward(scores, y)), float(np.mean(scores.argmax(axis=1) == y))


def _diverged(loss, first_loss, explode_factor):
    """nan/inf, or ``explode_factor`` times the first loss of this run.  The reference is at
    least 1.0, so a model that is already trained (first loss near 0) may still wobble."""
    if not math.isfinite(loss):
        return True
    return first_loss is not None and loss > explode_factor * max(first_loss, 1.0)


def _divergence_message(state, loss):
    what = "became nan/inf" if not math.isfinite(loss) else f"exploded to {loss:.3g}"
    return (f"training stopped: the loss {what} at epoch {state.epoch + 1}, step {state.step + 1}. "
            f"The learning rate ({state.optimizer.lr:g}) is probably too high: try one about "
            f"10x smaller.")


def _check_hooks(augment, callbacks):
    if augment is not None and not callable(augment):
        raise ArgumentTypeError(f"augment must be a function augment(xb, rng) -> xb or None, "
                        f"got {type(augment).__name__}")
    if isinstance(callbacks, Callback) or not hasattr(callbacks, "__iter__"):
        raise ArgumentTypeError(f"callbacks must be a list of Callback objects, "
                        f"got {type(callbacks).__name__}")
    for i, cb in enumerate(callbacks):
        if not isinstance(cb, Callback):
            raise ArgumentTypeError(f"callbacks[{i}] must be a cnn_core.train.Callback, "
                            f"got {type(cb).__name__}")


def fit(model, criterion, optimizer, x, y, *, epochs=1, batch_size=64, rng=None, x_val=None,
        y_val=None, callbacks=(), augment=None, on_divergence="raise", explode_factor=20.0):
    """Train ``model`` on (x, y) and return a :class:`History`.

    x (N, C, H, W), y (N,) int labels.  Each epoch shuffles with ``rng`` (a numpy Generator),
    runs the four steps on every minibatch, then evaluates on (x_val, y_val) if given.
    ``augment(xb, rng) -> xb`` optionally transforms each training batch (e.g. random shifts).
    Divergence (a nan/inf loss, or one ``explode_factor`` times max(first loss, 1)) raises
    :class:`TrainingDiverged`, or with ``on_divergence="stop"`` ends training and records the
    message in ``history.stopped_reason``.

    Raises
    ------
    ValueError
        ``epochs`` not an integer >= 0, ``batch_size`` not >= 1, ``explode_factor`` not > 1,
        ``on_divergence`` not "raise" / "stop"; empty data, x and y of different lengths,
        x_val without y_val; NaN or inf in any data (bad data, reported before training).
    TypeError
        data that are not numpy arrays; ``rng`` not a Generator; ``augment`` or a callback of
        the wrong kind.
    TrainingDiverged
        the loss blew up on clean data (``on_divergence="raise"``).
    """
    epochs = check_int("epochs", epochs, 0)
    batch_size = check_int("batch_size", batch_size, 1)
    rng = make_rng(rng)
    explode_factor = check_real("explode_factor", explode_factor, 1.0, low_open=True)
    check_choice("on_divergence", on_divergence, ("raise", "stop"))
    _check_hooks(augment, callbacks)
    check_dataset(x, y)
    if (x_val is None) != (y_val is None):
        raise ValueError("x_val and y_val must be given together (or neither)")
    if x_val is not None:
        check_dataset(x_val, y_val, "x_val", "y_val")
    history = History()
    state = TrainingState(model, optimizer, history, epochs, math.ceil(len(x) / batch_size))
    first_loss = None
    for cb in callbacks:
        cb.on_train_begin(state)
    for state.epoch in range(epochs):
        start, losses, correct, seen = time.perf_counter(), [], 0, 0
        model.train()
        for state.step, (xb, yb) in enumerate(iterate_minibatches(x, y, batch_size, rng=rng)):
            if augment is not None:
                xb = augment(xb, rng)
            scores = model.forward(xb)
            loss = criterion.forward(scores, yb) if np.all(np.isfinite(scores)) else math.nan
            if _diverged(loss, first_loss, explode_factor):
                history.stopped_reason = _divergence_message(state, loss)
                if on_divergence == "raise":
                    raise TrainingDiverged(history.stopped_reason)
                state.stop = True
                break
            first_loss = loss if first_loss is None else first_loss
            model.backward(criterion.backward(), need_dx=False)
            optimizer.step(model)
            state.loss = loss
            losses.append(loss)
            correct += int((scores.argmax(axis=1) == yb).sum())
            seen += len(yb)
            history.batch_loss.append(loss)
            for cb in callbacks:
                cb.on_batch_end(state)
            if state.stop:
                break
        if losses:
            history.train_loss.append(float(np.mean(losses)))
            history.train_acc.append(correct / seen)
            history.lr.append(optimizer.lr)
            if x_val is not None:
                val_loss, val_acc = evaluate(model, criterion, x_val, y_val)
                history.val_loss.append(val_loss)
                history.val_acc.append(val_acc)
            history.seconds.append(time.perf_counter() - start)
            for cb in callbacks:
                cb.on_epoch_end(state)
        if state.stop:
            break
    for cb in callbacks:
        cb.on_train_end(state)
    return history
