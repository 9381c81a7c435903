"""The layer contract, written once: every layer in :mod:`cnn_core.layers` follows it.

A layer is a ``Layer`` subclass with

``forward(x) -> y``
    Computes the output and remembers what ``backward`` needs (in ``self._cache``).  Images are
    NCHW, x (N, C, H, W); a Dense layer takes x (N, in_features).
``backward(dout) -> dx``
    dout has the shape of y, dx the shape of x.  Fills ``grads``.  Called before ``forward`` it
    raises ValueError ("backward() called before forward()"); a dout of the wrong shape too.
``params`` and ``grads``
    Dicts with identical keys and identical shapes and dtypes: ``"W"``, ``"b"`` (Conv2D: W
    (F, C, KH, KW), b (F,); Dense: W (in_features, out_features), b (out_features,)), BatchNorm2D
    ``"gamma"``, ``"beta"`` (C,).  Layers without weights have empty dicts.  ``buffers`` holds
    arrays saved with the model but not trained (BatchNorm2D's running statistics).
``train()`` / ``eval()``
    Switch the mode (it matters for Dropout and BatchNorm2D) and return the layer.
``output_shape(input_shape)``
    One sample's output shape, (C, H, W) or (features,), without running the layer.

Constructor arguments use the shared names ``in_channels``, ``out_channels``, ``kernel_size``,
``stride``, ``padding``, ``dilation``, ``in_features``, ``out_features``, and ``rng`` (a
``numpy.random.Generator``) for anything random; a layer that draws random numbers during
``forward`` keeps its Generator in ``self.rng``.  Nothing touches numpy's global seed.  Each
setting is kept in an attribute of the same name and shown by ``repr``: those settings are
what saving and loading a model record and compare, so two layers with equal settings and equal
params/buffers compute the same thing.

Layers never print, plot or own an optimizer (the optimizer reads ``params`` and ``grads``).

Every public layer class defined in ``cnn_core.layers`` is entered in :data:`LAYERS` when it is
defined, and needs a small example in :mod:`cnn_core.layers.examples`: the contract tests
(tests/test_layers.py) run over ``LAYERS``, so a new layer is checked by all of them and a
missing example fails a test.
"""
import numbers

import numpy as np

from ..validation import check_int

LAYERS = {}
"""Every public layer class of :mod:`cnn_core.layers`, by name (filled by ``Layer``)."""

_PACKAGE = __name__.rpartition(".")[0]      # "cnn_core.layers"


class Layer:
    """Base class: parameter dicts, train/eval mode, a guard against backward-before-forward.

    See the module docstring for the contract every subclass follows.
    """

    preserves_space = False   # True for pointwise layers (ReLU, Dropout, BatchNorm2D)

    def __init_subclass__(cls, **kwargs):
        """Enter every public layer class defined in cnn_core.layers in ``LAYERS``."""
        super().__init_subclass__(**kwargs)
        if cls.__module__.startswith(_PACKAGE + ".") and not cls.__name__.startswith("_"):
            LAYERS[cls.__name__] = cls

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


__all__ = ["LAYERS", "Layer", "make_rng", "check_int", "check_probability"]
