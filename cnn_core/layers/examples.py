"""One small, valid example of every layer: ``example(name, rng) -> (layer, x)``.

The contract tests run over :data:`cnn_core.layers.LAYERS` and build each layer from here, so a
new layer needs one entry below.  Each example is in float64 (ready for a gradient check), has
non-trivial parameters, and an input ``x`` that ``layer.forward`` accepts and that sits away
from the layer's kinks (no ties inside a max-pool window, no value near 0 for ReLU), so a
finite difference of 1e-5 never crosses one.
"""
import numpy as np

from .activations import ReLU
from .base import LAYERS
from .conv import Conv2D
from .dense import Dense, Flatten
from .pool import AvgPool2D, MaxPool2D
from .regularization import BatchNorm2D, Dropout


def distinct_values(shape, rng):
    """Values that differ pairwise by at least 0.01 (a max never flips under a 1e-5 nudge)."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.01 - 0.5


def away_from_zero(shape, rng):
    """Normal values pushed at least 0.05 away from 0."""
    x = rng.standard_normal(shape)
    return x + 0.05 * np.sign(x)


def _conv(rng):
    layer = Conv2D(2, 3, kernel_size=3, stride=2, padding=1, rng=rng, dtype=np.float64)
    layer.params["b"][...] = rng.standard_normal(3)
    return layer, rng.standard_normal((2, 2, 7, 6))


def _dense(rng):
    layer = Dense(5, 3, rng=rng, dtype=np.float64)
    layer.params["b"][...] = rng.standard_normal(3)
    return layer, rng.standard_normal((4, 5))


def _batchnorm(rng):
    layer = BatchNorm2D(3, dtype=np.float64)
    layer.params["gamma"][...] = rng.uniform(0.5, 2.0, 3)
    layer.params["beta"][...] = rng.standard_normal(3)
    return layer, rng.standard_normal((4, 3, 3, 5)) * 2 + 1


EXAMPLES = {
    "Conv2D": _conv,
    "MaxPool2D": lambda rng: (MaxPool2D(kernel_size=3, stride=2),
                              distinct_values((2, 2, 7, 5), rng)),
    "AvgPool2D": lambda rng: (AvgPool2D(kernel_size=2), rng.standard_normal((2, 2, 6, 5))),
    "ReLU": lambda rng: (ReLU(), away_from_zero((2, 3, 4, 4), rng)),
    "Flatten": lambda rng: (Flatten(), rng.standard_normal((2, 3, 4, 2))),
    "Dense": _dense,
    "Dropout": lambda rng: (Dropout(0.5, rng=rng), rng.standard_normal((3, 2, 4, 5))),
    "BatchNorm2D": _batchnorm,
}
"""Layer name -> function(rng) returning (layer, x)."""


def example(name, rng):
    """A small float64 instance of the layer called ``name`` and an input x for it.

    Parameters
    ----------
    name : str
        A key of :data:`cnn_core.layers.LAYERS`, e.g. "Conv2D".
    rng : numpy.random.Generator
        Draws the weights and the input.

    Returns
    -------
    (layer, x) : a fresh layer and a float64 array it accepts.

    Raises
    ------
    ValueError
        If ``name`` is not a layer, or the layer has no example yet.
    """
    if name not in LAYERS:
        raise ValueError(f"name must be one of the layers {sorted(LAYERS)}, got {name!r}")
    if name not in EXAMPLES:
        raise ValueError(f"layer {name} has no example: add one to EXAMPLES in "
                         f"cnn_core/layers/examples.py so the contract tests cover it")
    return EXAMPLES[name](rng)
