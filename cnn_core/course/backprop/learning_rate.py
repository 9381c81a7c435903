"""What the learning rate does: gradient descent on a 2-D bowl, and a short real training run.

A loss surface with two weights can be drawn as a contour map; gradient descent is a ball that
steps downhill, ``w <- w - lr * gradient``.  On the quadratic bowl

    L(w) = 1/2 (w - w_min)^T A (w - w_min),   A = R diag(curvatures) R^T

each step multiplies the distance to the minimum along the i-th principal direction by
``1 - lr * curvature_i``.  So a tiny ``lr`` crawls, a moderate one converges, and once
``lr > 2 / max(curvatures)`` the steep direction overshoots further every step: divergence.
:func:`short_training_run` shows the same three regimes on the course's small CNN.
"""
import math
from dataclasses import dataclass, field

import numpy as np

from cnn_core.losses import SoftmaxCrossEntropy
from cnn_core.optim import SGD
from cnn_core.train import evaluate, fit
from cnn_core.validation import check_int, check_real
from cnn_core.zoo import small_cnn

DEFAULT_START = (-4.0, 3.0)


class QuadraticSurface:
    """An elongated bowl over two weights (w1, w2): steep across the valley, shallow along it.

    Parameters
    ----------
    curvatures : (float, float)
        Second derivatives along the bowl's two principal directions (both > 0).
        Their ratio is the condition number: the larger, the narrower the valley.
    angle : float
        Rotation of the valley in degrees (0: the shallow direction is the w1 axis).
    minimum : (float, float)
        Where the loss is 0.
    """

    def __init__(self, curvatures=(0.5, 2.5), angle=30.0, minimum=(0.0, 0.0)):
        if len(tuple(curvatures)) != 2:
            raise ValueError(f"curvatures must be two numbers > 0, got {curvatures!r}")
        self.curvatures = tuple(check_real("curvatures", c, 0, low_open=True) for c in curvatures)
        self.angle = check_real("angle", angle)
        self.minimum = np.asarray(minimum, dtype=np.float64)
        if self.minimum.shape != (2,):
            raise ValueError(f"minimum must be a point (w1, w2), got {minimum!r}")
        t = np.deg2rad(self.angle)
        rotation = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
        self.hessian = rotation @ np.diag(self.curvatures) @ rotation.T

    @property
    def critical_lr(self):
        """Learning rate above which gradient descent diverges: 2 / largest curvature."""
        return 2.0 / max(self.curvatures)

    def loss(self, w):
        """Loss at points w (..., 2) -> (...)."""
        d = np.asarray(w, dtype=np.float64) - self.minimum
        return 0.5 * np.einsum("...i,ij,...j->...", d, self.hessian, d)

    def gradient(self, w):
        """Gradient at points w (..., 2) -> (..., 2)."""
        return (np.asarray(w, dtype=np.float64) - self.minimum) @ self.hessian

    def __repr__(self):
        return f"QuadraticSurface(curvatures={self.curvatures}, angle={self.angle:g})"


@dataclass
class DescentPath:
    """The points visited by gradient descent and the loss at each.

    ``points`` (steps_taken + 1, 2) starts at the start point; ``losses`` (steps_taken + 1,).
    ``diverged`` is True when the loss ends higher than it started (or is no longer finite);
    ``message`` then says why.
    """

    lr: float
    points: np.ndarray
    losses: np.ndarray
    diverged: bool = False
    message: str = ""

    @property
    def steps(self):
        return len(self.points) - 1


def gradient_descent_path(lr, steps=40, start=DEFAULT_START, surface=None, explode_factor=20.0):
    """Run ``steps`` of plain gradient descent on ``surface`` (default :class:`QuadraticSurface`).

    Returns a :class:`DescentPath`.  It stops early once the loss exceeds ``explode_factor``
    times the starting loss or is no longer finite; ``diverged`` is True when the loss ends
    higher than it started.
    """
    lr = check_real("lr (learning rate)", lr, 0, low_open=True)
    steps = check_int("steps", steps, 1)
    surface = QuadraticSurface() if surface is None else surface
    w = np.asarray(start, dtype=np.float64)
    if w.shape != (2,):
        raise ValueError(f"start must be a point (w1, w2), got {start!r}")
    points, losses = [w], [float(surface.loss(w))]
    for step in range(1, steps + 1):
        w = w - lr * surface.gradient(w)
        points.append(w)
        losses.append(float(surface.loss(w)))
        if not math.isfinite(losses[-1]) or losses[-1] > explode_factor * losses[0]:
            break
    diverged = not math.isfinite(losses[-1]) or losses[-1] > losses[0]
    message = _divergence_message(lr, losses, surface) if diverged else ""
    return DescentPath(lr, np.array(points), np.array(losses), diverged, message)


def _divergence_message(lr, losses, surface):
    steps = len(losses) - 1
    return (f"gradient descent diverged: the loss grew from {losses[0]:.3g} to {losses[-1]:.3g} "
            f"in {steps} step{'s' if steps != 1 else ''}. The learning rate ({lr:g}) is above "
            f"2 / (steepest curvature) = {surface.critical_lr:.3g}: try a smaller one.")


@dataclass
class TrainingRun:
    """A few SGD steps of the small CNN: per-step losses and the loss before and after.

    ``loss_before``/``loss_after`` are measured on the whole training subset, ``loss_after`` with
    the weights as training left them (nan if they no longer give finite scores).  When training
    diverged, ``diverged`` is True and ``message`` holds the engine's divergence message.
    """

    lr: float
    batch_loss: list = field(default_factory=list)
    loss_before: float = math.nan
    loss_after: float = math.nan
    diverged: bool = False
    message: str = ""

    @property
    def steps(self):
        return len(self.batch_loss)


def short_training_run(lr, x, y, epochs=5, batch_size=32, seed=0):
    """Train a fresh :func:`cnn_core.zoo.small_cnn` with plain SGD for a few epochs on (x, y).

    The same ``seed`` gives the same starting weights and batch order, so runs with different
    learning rates differ only in ``lr``.  Divergence stops training
    (``fit(..., on_divergence="stop")``) and is reported in the result, never raised.

    Parameters
    ----------
    lr : float > 0
    x : ndarray (N, 1, 28, 28), y : ndarray (N,) int labels
    epochs, batch_size : int
        ``epochs * ceil(N / batch_size)`` steps in all.
    seed : int
        Seeds the weights and the batch order.

    Returns
    -------
    TrainingRun
    """
    lr = check_real("lr (learning rate)", lr, 0, low_open=True)
    model = small_cnn(rng=np.random.default_rng(seed))
    criterion = SoftmaxCrossEntropy()
    loss_before, _ = evaluate(model, criterion, x, y)
    history = fit(model, criterion, SGD(lr), x, y, epochs=epochs, batch_size=batch_size,
                  rng=np.random.default_rng(seed + 1), on_divergence="stop")
    try:
        loss_after, _ = evaluate(model, criterion, x, y)
    except ValueError:          # scores became nan/inf: there is no loss to report
        loss_after = math.nan
    diverged = bool(history.stopped_reason)
    return TrainingRun(lr, list(history.batch_loss), loss_before, loss_after, diverged,
                       history.stopped_reason)


@dataclass
class LearningRateResult:
    """One learning rate tried on both the 2-D bowl and the small CNN (``steps`` planned)."""

    lr: float
    path: DescentPath
    run: TrainingRun
    steps: int

    @property
    def summary(self):
        """Two lines of plain text: what happened on the bowl and on the CNN."""
        p, r = self.path, self.run
        bowl = (f"2-D bowl: {p.message}" if p.diverged else
                f"2-D bowl: loss {p.losses[0]:.3g} -> {p.losses[-1]:.3g} after {p.steps} steps")
        cnn = (f"small CNN: {r.message}" if r.diverged else
               f"small CNN: loss {r.loss_before:.2f} -> {r.loss_after:.2f} after {r.steps} steps")
        return f"learning rate {self.lr:.3g}\n{bowl}\n{cnn}"


def learning_rate_experiment(lr, x, y, steps=40, surface=None, batch_size=32, seed=0):
    """Try ``lr`` on the bowl (``steps`` steps) and on the small CNN (about ``steps`` steps).

    The CNN runs ``ceil(steps / steps_per_epoch)`` epochs over (x, y) in batches of
    ``batch_size``.  Returns a :class:`LearningRateResult`.
    """
    per_epoch = math.ceil(len(x) / batch_size)
    path = gradient_descent_path(lr, steps, surface=surface)
    run = short_training_run(lr, x, y, epochs=math.ceil(steps / per_epoch),
                             batch_size=batch_size, seed=seed)
    return LearningRateResult(float(lr), path, run, steps)
