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
setting is kept in an attribute of the same name and returned by ``settings()``; ``repr`` is
built from it, and saving and loading a model record and compare it (not the repr text), so two
layers with equal settings and equal params/buffers compute the same thing.  Arguments are
checked by :mod:`cnn_core.validation`: integer images become float32, integer dtypes are
refused.

Layers never print, plot or own an optimizer (the optimizer reads ``params`` and ``grads``).

Every public layer class defined in ``cnn_core.layers`` is entered in :data:`LAYERS` when it is
defined, and needs a small example in :mod:`cnn_core.layers.examples`: the contract tests
(tests/test_layers.py) run over ``LAYERS``, so a new layer is checked by all of them and a
missing example fails a test.
"""
import numpy as np

from ..validation import (
    ArgumentTypeError,
    as_float,
    check_dout,
    check_int,
    check_probability,
    make_rng,
)

LAYERS = {}
"""Every public layer class of :mod:`cnn_core.layers`, by name (filled by ``Layer``)."""

_PACKAGE = __name__.rpartition(".")[0]      # "cnn_core.layers"


class Layer:
    """Base class: parameter dicts, train/eval mode, a guard against backward-before-forward.

    See the module docstring for the contract every subclass follows.
    """

    preserves_space = False   # True for pointwise layers (ReLU, Dropout, BatchNorm2D)
    _positional = ()
    _defaults = {}

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
        self._scratch = {}    # temporaries reused between calls (cnn_core.functional.scratch)

    def settings(self):
        """The constructor arguments that define this layer, e.g. ``{"kernel_size": 3, ...}``.

        Initialisation-only arguments (``rng``, ``weight_scale``, ``dtype``) are not included:
        they do not change what a loaded layer computes.
        """
        return {}

    def train(self):
        """Switch to training mode; returns self."""
        self.training = True
        return self

    def eval(self):
        """Switch to evaluation mode; returns self."""
        self.training = False
        return self

    def forward(self, x):
        """x (N, ...) -> y (N, ...); remembers what :meth:`backward` needs."""
        raise NotImplementedError

    def backward(self, dout):
        """dout (the shape of the forward output) -> dx (the shape of x); fills ``grads``.
        Raises ValueError if called before forward or with a dout of another shape.
        """
        raise NotImplementedError

    def __call__(self, x):
        """Same as :meth:`forward`."""
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

    def _float_input(self, x):
        """x as floats (integer pixels become float32), or an error naming the layer and x."""
        if not isinstance(x, np.ndarray):
            raise ArgumentTypeError(f"{type(self).__name__} expects a numpy array, got "
                                    f"{type(x).__name__} (x must be a numpy array: "
                                    "np.asarray(x))")
        return as_float(x, "x")

    def _check_dout(self, dout, expected_shape):
        """``dout`` checked against the output's shape (and as floats), or a clear error."""
        return check_dout(dout, expected_shape, f"{type(self).__name__}.backward")

    def __repr__(self):
        settings = self.settings()
        parts = [str(settings[name]) for name in self._positional]
        parts += [f"{name}={value}" for name, value in settings.items()
                  if name not in self._positional and self._defaults.get(name, object()) != value]
        return f"{type(self).__name__}({', '.join(parts)})"


__all__ = ["LAYERS", "Layer", "make_rng", "check_int", "check_probability"]
