"""Flatten and the fully connected layer Dense."""
import numpy as np

from .base import Layer, check_int, make_rng


class Flatten(Layer):
    """(N, C, H, W) -> (N, C*H*W): lays each sample's volume out as one long vector."""

    def forward(self, x):
        if not isinstance(x, np.ndarray) or x.ndim < 2:
            raise ValueError(f"Flatten expects an array with a batch axis (N, ...), "
                             f"got {getattr(x, 'shape', x)}")
        self._cache = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        """dout (N, C*H*W) -> dx (N, C, H, W)."""
        shape = self._saved()
        self._check_dout(dout, (shape[0], int(np.prod(shape[1:]))))
        return dout.reshape(shape)

    def output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)


class Dense(Layer):
    """Fully connected layer: y = x @ W + b, every input connected to every output.

    forward: x (N, in_features) -> (N, out_features).
    params: ``W`` (in_features, out_features), ``b`` (out_features,); He initialisation,
    N(0, 2 / in_features), times ``weight_scale``.  A classifier's output layer uses a small
    ``weight_scale`` so that a fresh network gives near-equal scores (loss close to ln K).
    """

    def __init__(self, in_features, out_features, rng=None, dtype=np.float32, weight_scale=1.0):
        super().__init__()
        self.in_features = check_int("in_features", in_features, 1)
        self.out_features = check_int("out_features", out_features, 1)
        scale = np.sqrt(2.0 / self.in_features) * float(weight_scale)
        shape = (self.in_features, self.out_features)
        weights = make_rng(rng).standard_normal(shape, dtype=np.float32).astype(dtype)
        self.params["W"] = weights * np.dtype(dtype).type(scale)
        self.params["b"] = np.zeros(self.out_features, dtype=dtype)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def forward(self, x):
        if not isinstance(x, np.ndarray) or x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(f"{self!r} expects input of shape "
                             f"(N, in_features={self.in_features}), "
                             f"got {getattr(x, 'shape', x)}; put a Flatten() before Dense")
        self._cache = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, dout):
        """dout (N, out_features) -> dx (N, in_features); dW = x.T @ dout, db = sum of dout."""
        x = self._saved()
        self._check_dout(dout, (x.shape[0], self.out_features))
        self.grads["W"][...] = x.T @ dout
        self.grads["b"][...] = dout.sum(axis=0)
        return dout @ self.params["W"].T

    def output_shape(self, input_shape):
        if tuple(input_shape) != (self.in_features,):
            raise ValueError(f"{self!r} expects ({self.in_features},) features per sample, "
                             f"got {tuple(input_shape)}")
        return (self.out_features,)

    def __repr__(self):
        return f"Dense({self.in_features}, {self.out_features})"
