"""Flatten and the fully connected layer Dense."""
import numpy as np

from ..validation import as_float, check_batch, check_float_dtype, check_int, check_real, make_rng
from .base import Layer


class Flatten(Layer):
    """(N, C, H, W) -> (N, C*H*W): lays each sample's volume out as one long vector."""

    def forward(self, x):
        """x (N, ...) -> (N, product of the other axes).

        Raises ValueError for an array without a batch axis or an empty batch (N = 0).
        """
        x = as_float(check_batch(x, "x"), "x")
        if x.ndim < 2:
            raise ValueError(f"Flatten expects an array with a batch axis (N, ...): "
                             f"x has shape {x.shape}")
        self._cache = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        """dout (N, C*H*W) -> dx (N, C, H, W).
        Raises ValueError if called before forward or if dout is not (N, C*H*W).
        """
        shape = self._saved()
        dout = self._check_dout(dout, (shape[0], int(np.prod(shape[1:]))))
        return dout.reshape(shape)

    def output_shape(self, input_shape):
        """(C, H, W) -> (C*H*W,)."""
        return (int(np.prod(input_shape)),)


class Dense(Layer):
    """Fully connected layer: y = x @ W + b, every input connected to every output.

    forward: x (N, in_features) -> (N, out_features).
    params: ``W`` (in_features, out_features), ``b`` (out_features,); He initialisation,
    N(0, 2 / in_features), times ``weight_scale``.  A classifier's output layer uses a small
    ``weight_scale`` so that a fresh network gives near-equal scores (loss close to ln K).

    Raises
    ------
    ValueError
        ``in_features`` / ``out_features`` not integers >= 1; ``weight_scale`` not a finite
        number >= 0.
    TypeError
        ``rng`` not a numpy Generator; ``dtype`` not a floating type.
    """

    _positional = ("in_features", "out_features")

    def __init__(self, in_features, out_features, rng=None, dtype=np.float32, weight_scale=1.0):
        super().__init__()
        self.in_features = check_int("in_features", in_features, 1)
        self.out_features = check_int("out_features", out_features, 1)
        weight_scale = check_real("weight_scale", weight_scale, 0.0)
        dtype = check_float_dtype(dtype)
        scale = np.sqrt(2.0 / self.in_features) * weight_scale
        shape = (self.in_features, self.out_features)
        weights = make_rng(rng).standard_normal(shape, dtype=np.float32).astype(dtype)
        self.params["W"] = weights * dtype.type(scale)
        self.params["b"] = np.zeros(self.out_features, dtype=dtype)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def settings(self):
        """in_features, out_features."""
        return {"in_features": self.in_features, "out_features": self.out_features}

    def forward(self, x):
        """x (N, in_features) -> (N, out_features).  Integer inputs become float32.

        Raises ValueError if x is not (N, in_features) with N >= 1.
        """
        x = as_float(check_batch(x, "x"), "x")
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(f"{self!r} expects input of shape "
                             f"(N, in_features={self.in_features}), "
                             f"got {x.shape}; put a Flatten() before Dense")
        self._cache = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, dout):
        """dout (N, out_features) -> dx (N, in_features); dW = x.T @ dout, db = sum of dout.
        Raises ValueError if called before forward or if dout is not (N, out_features).
        """
        x = self._saved()
        dout = self._check_dout(dout, (x.shape[0], self.out_features))
        self.grads["W"][...] = x.T @ dout
        self.grads["b"][...] = dout.sum(axis=0)
        return dout @ self.params["W"].T

    def output_shape(self, input_shape):
        """(in_features,) -> (out_features,).
        Raises ValueError for any other input shape.
        """
        if tuple(input_shape) != (self.in_features,):
            raise ValueError(f"{self!r} expects ({self.in_features},) features per sample, "
                             f"got {tuple(input_shape)}")
        return (self.out_features,)
