"""Optimizers: turn the gradients a backward pass left in the layers into weight updates.

Call ``optimizer.step(model)`` after ``model.backward(...)``.  The optimizer keeps its own state
(velocities, moment estimates) keyed by parameter name, and ``optimizer.lr`` may be changed
between steps (e.g. by a slider while training runs).
"""
import math
import numbers

import numpy as np


def _check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (
            math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr (learning rate) must be a finite number > 0, got {lr!r}")
    return float(lr)


class Optimizer:
    """Shared part: a validated learning rate and per-parameter state."""

    def __init__(self, lr):
        self.lr = lr
        self.state = {}

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = _check_lr(value)

    def step(self, model):
        """Update every parameter of ``model`` in place from its current gradient."""
        for name, param, grad in model.named_params():
            self._update(name, param, grad)

    def _update(self, name, param, grad):
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum.

    Plain:    w <- w - lr * g
    Momentum: v <- momentum * v + g;  w <- w - lr * v   (a ball that keeps rolling downhill)
    """

    def __init__(self, lr, momentum=0.0):
        super().__init__(lr)
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) or not (
                0 <= momentum < 1):
            raise ValueError(f"momentum must be a number in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)

    def _update(self, name, param, grad):
        if self.momentum == 0:
            param -= self.lr * grad
            return
        velocity = self.state.setdefault(name, np.zeros_like(param))
        velocity *= self.momentum
        velocity += grad
        param -= self.lr * velocity

    def __repr__(self):
        return f"SGD(lr={self.lr:g}, momentum={self.momentum:g})"


class Adam(Optimizer):
    """Adam: momentum on the gradient (m) and a per-weight step size from its recent squared
    size (v), both bias-corrected for the first steps.

    m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;  w <- w - lr * m_hat / (sqrt(v_hat) + eps)
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        for name, value in (("beta1", beta1), ("beta2", beta2)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
                raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
        if not (isinstance(eps, numbers.Real) and eps > 0):
            raise ValueError(f"eps must be a number > 0, got {eps!r}")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.t = 0

    def step(self, model):
        self.t += 1
        super().step(model)

    def _update(self, name, param, grad):
        m, v = self.state.setdefault(name, (np.zeros_like(param), np.zeros_like(param)))
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        m_hat = m / (1 - self.beta1 ** self.t)      # undo the zero start of the averages
        v_hat = v / (1 - self.beta2 ** self.t)
        param -= (self.lr * m_hat / (np.sqrt(v_hat) + self.eps)).astype(param.dtype)

    def __repr__(self):
        return f"Adam(lr={self.lr:g})"
