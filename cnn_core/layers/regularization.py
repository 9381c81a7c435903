"""Dropout and BatchNorm2D: layers that behave differently in training and evaluation."""
import numpy as np

from ..validation import check_images
from .base import Layer, check_int, check_probability, make_rng


class Dropout(Layer):
    """During training, zero each value with probability ``p`` and scale the survivors by
    1/(1-p) ("inverted dropout"), so evaluation needs no rescaling: in eval mode it does nothing.
    """

    preserves_space = True

    def __init__(self, p=0.5, rng=None):
        super().__init__()
        self.p = check_probability("p", p)
        self.rng = make_rng(rng)

    def forward(self, x):
        if not isinstance(x, np.ndarray):
            raise ValueError(f"Dropout expects a numpy array, got {type(x).__name__}")
        if not self.training or self.p == 0:
            self._cache = np.ones((), dtype=x.dtype), x.shape
            return x
        keep = (self.rng.random(x.shape) >= self.p).astype(x.dtype) / x.dtype.type(1 - self.p)
        self._cache = keep, x.shape
        return x * keep

    def backward(self, dout):
        """dout -> dx = dout * mask / (1 - p) (the same mask as the forward pass)."""
        keep, shape = self._saved()
        self._check_dout(dout, shape)
        return dout * keep

    def __repr__(self):
        return f"Dropout(p={self.p})"


class BatchNorm2D(Layer):
    """Normalise each channel to zero mean and unit variance over (N, H, W), then scale and
    shift by the learned ``gamma`` and ``beta`` (both (C,)).

    Training mode uses the statistics of the current batch and updates running averages
    (``buffers["running_mean"]``, ``buffers["running_var"]``); eval mode uses those averages, so a
    single image gives the same answer whatever batch it comes in.
    """

    preserves_space = True

    def __init__(self, num_features, momentum=0.1, eps=1e-5, dtype=np.float32):
        super().__init__()
        self.num_features = check_int("num_features", num_features, 1)
        self.momentum = check_probability("momentum", momentum, upper_inclusive=True)
        self.eps = float(eps)
        self.params = {"gamma": np.ones(num_features, dtype), "beta": np.zeros(num_features, dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.buffers = {"running_mean": np.zeros(num_features, dtype),
                        "running_var": np.ones(num_features, dtype)}

    def forward(self, x):
        check_images(x, "x")
        if x.shape[1] != self.num_features:
            raise ValueError(f"{self!r} expects C = num_features = {self.num_features} channels, "
                             f"got input of shape {x.shape}")
        if self.training:
            mean = x.mean(axis=(0, 2, 3))
            var = x.var(axis=(0, 2, 3))
            count = x.size // self.num_features
            m = self.momentum
            self.buffers["running_mean"][...] = (1 - m) * self.buffers["running_mean"] + m * mean
            unbiased = var * count / max(count - 1, 1)
            self.buffers["running_var"][...] = (1 - m) * self.buffers["running_var"] + m * unbiased
        else:
            mean, var = self.buffers["running_mean"], self.buffers["running_var"]
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mean[None, :, None, None]) * inv_std[None, :, None, None]
        self._cache = x_hat, inv_std, self.training
        gamma, beta = self.params["gamma"], self.params["beta"]
        return gamma[None, :, None, None] * x_hat + beta[None, :, None, None]

    def backward(self, dout):
        """dout (N, C, H, W) -> dx (N, C, H, W); fills grads["gamma"], grads["beta"].

        In training mode the mean and variance depend on every input of the batch, which adds
        two correction terms to the plain ``gamma * inv_std * dout``.
        """
        x_hat, inv_std, training = self._saved()
        self._check_dout(dout, x_hat.shape)
        self.grads["gamma"][...] = (dout * x_hat).sum(axis=(0, 2, 3))
        self.grads["beta"][...] = dout.sum(axis=(0, 2, 3))
        g = (self.params["gamma"] * inv_std)[None, :, None, None]
        if not training:
            return dout * g
        dmean = dout.mean(axis=(0, 2, 3), keepdims=True)
        dproj = (dout * x_hat).mean(axis=(0, 2, 3), keepdims=True)
        return g * (dout - dmean - x_hat * dproj)

    def __repr__(self):
        return f"BatchNorm2D({self.num_features})"
