"""The contract every layer follows.

``forward(x) -> y`` remembers what ``backward`` needs; ``backward(dout) -> dx`` returns the
gradient with respect to the input and fills ``grads`` (same keys and shapes as ``params``).
``train()`` / ``eval()`` switch the mode of the layers that behave differently (Dropout,
BatchNorm2D).  Layers never print, plot or own an optimizer.
"""
import numbers

import numpy as np

from ..validation import check_int


class Layer:
    """Base class: parameter dicts, train/eval mode, a guard against backward-before-forward."""

    preserves_space = False   # True for pointwise layers (ReLU, Dropout, BatchNorm2D)

    def __init__(self):
        self.params = {}
        self.grads = {}
        self.buffers = {}     # saved with the model but not trained (BatchNorm running stats)
        self.training = True
        self._cache = None

    def train(self):
        """Switch to training mode; returns self."""
        self.training = True
        return self

    def eval(self):
        """Switch to evaluation mode; returns self."""
        self.training = False
        return self

    def forward(self, x):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def __call__(self, x):
        return self.forward(x)

    def output_shape(self, input_shape):
        """Shape of one sample's output, (C, H, W) or (features,), without running the layer."""
        return tuple(input_shape)

    def num_params(self):
        """Number of trainable numbers in this layer."""
        return int(sum(p.size for p in self.params.values()))

    def _saved(self):
        """What forward stored; a clear error if backward comes first."""
        if self._cache is None:
            raise ValueError(f"{type(self).__name__}.backward() called before forward(): "
                             "run forward(x) first so the layer knows its input")
        return self._cache

    def _check_dout(self, dout, expected_shape):
        if not isinstance(dout, np.ndarray) or dout.shape != tuple(expected_shape):
            raise ValueError(f"{type(self).__name__}.backward: dout must have the output's shape "
                             f"{tuple(expected_shape)}, got {getattr(dout, 'shape', dout)}")

    def __repr__(self):
        return f"{type(self).__name__}()"


def make_rng(rng):
    """Return ``rng`` if it is a numpy Generator, a fresh one for None, else a clear error."""
    if rng is None:
        return np.random.default_rng()
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)) "
                         f"or None, got {type(rng).__name__}")
    return rng


def check_probability(name, value, upper_inclusive=False):
    """A float in [0, 1) (or [0, 1] if ``upper_inclusive``)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and 0 <= value and (
        value <= 1 if upper_inclusive else value < 1)
    if not ok:
        bound = "1]" if upper_inclusive else "1)"
        raise ValueError(f"{name} must be a number in [0, {bound}, got {value!r}")
    return float(value)


__all__ = ["Layer", "make_rng", "check_int", "check_probability"]
