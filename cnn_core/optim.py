"""Optimizers: turn the gradients a backward pass left in the layers into weight updates.

Call ``optimizer.step(model)`` after ``model.backward(...)``.  The optimizer keeps its own state
(velocities, moment estimates) keyed by parameter name, and ``optimizer.lr`` may be changed
between steps (e.g. by a slider while training runs).
"""
import numpy as np

from .validation import ArgumentTypeError, check_real


class Optimizer:
    """Shared part: a validated learning rate and per-parameter state.

    Raises ValueError if ``lr`` (also when set later) is not a finite number > 0.
    """

    def __init__(self, lr):
        self.lr = lr
        self.state = {}

    @property
    def lr(self):
        """The learning rate: a finite number > 0, may be changed between steps."""
        return self._lr

    @lr.setter
    def lr(self, value):
        """Set the learning rate; raises ValueError unless it is a finite number > 0."""
        self._lr = check_real("lr (learning rate)", value, 0.0, low_open=True)

    def step(self, model):
        """Update every parameter of ``model`` in place from its current gradient.

        Raises TypeError if ``model`` has no ``named_params``, ValueError if a parameter's
        shape no longer matches the state this optimizer keeps for it (the model was rebuilt:
        create a new optimizer).
        """
        if not hasattr(model, "named_params"):
            raise ArgumentTypeError(f"model must be a cnn_core Sequential (with named_params), "
                                    f"got {type(model).__name__}")
        for name, param, grad in model.named_params():
            self._check_state(name, param)
            self._update(name, param, grad)

    def _check_state(self, name, param):
        kept = self.state.get(name)
        kept = kept[0] if isinstance(kept, tuple) else kept
        if kept is not None and kept.shape != param.shape:
            raise ValueError(f"{type(self).__name__}.step: parameter {name} now has shape "
                             f"{param.shape} but this optimizer's state for it has shape "
                             f"{kept.shape}: the model was rebuilt; create a new optimizer for it")

    def _update(self, name, param, grad):
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum.

    Plain:    w <- w - lr * g
    Momentum: v <- momentum * v + g;  w <- w - lr * v   (a ball that keeps rolling downhill)

    Raises ValueError if ``lr`` is not a finite number > 0 or ``momentum`` not in [0, 1).
    """

    def __init__(self, lr, momentum=0.0):
        super().__init__(lr)
        self.momentum = check_real("momentum", momentum, 0.0, 1.0, high_open=True)

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

    Raises ValueError if ``lr`` or ``eps`` is not a finite number > 0, or ``beta1`` /
    ``beta2`` not in [0, 1).
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = check_real("beta1", beta1, 0.0, 1.0, high_open=True)
        self.beta2 = check_real("beta2", beta2, 0.0, 1.0, high_open=True)
        self.eps = check_real("eps", eps, 0.0, low_open=True)
        self.t = 0

    def step(self, model):
        """One Adam update of every parameter of ``model`` (see :meth:`Optimizer.step`).
        Raises as :meth:`Optimizer.step`.
        """
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
