"""Dropout and BatchNorm2D: layers that behave differently in training and evaluation."""
import numpy as np

from ..validation import (
    as_float_images,
    check_float_dtype,
    check_int,
    check_probability,
    check_real,
    make_rng,
)
from .base import Layer


class Dropout(Layer):
    """During training, zero each value with probability ``p`` and scale the survivors by
    1/(1-p) ("inverted dropout"), so evaluation needs no rescaling: in eval mode it does nothing.

    Raises ValueError if ``p`` is not a number in [0, 1); TypeError if ``rng`` is not a numpy
    Generator.
    """

    preserves_space = True
    _defaults = {}

    def __init__(self, p=0.5, rng=None):
        super().__init__()
        self.p = check_probability("p", p)
        self.rng = make_rng(rng)

    def settings(self):
        """p, the probability of dropping a value."""
        return {"p": self.p}

    def forward(self, x):
        """x (any shape) -> x with values dropped (training) or x itself (eval).

        Integer inputs become float32 (scaling by 1/(1-p) needs fractions).
        """
        x = self._float_input(x)
        if not self.training or self.p == 0:
            self._cache = np.ones((), dtype=x.dtype), x.shape
            return x
        keep = (self.rng.random(x.shape) >= self.p).astype(x.dtype) / x.dtype.type(1 - self.p)
        self._cache = keep, x.shape
        return x * keep

    def backward(self, dout):
        """dout -> dx = dout * mask / (1 - p) (the same mask as the forward pass).
        Raises ValueError if called before forward or if dout's shape differs.
        """
        keep, shape = self._saved()
        dout = self._check_dout(dout, shape)
        return dout * keep


class BatchNorm2D(Layer):
    """Normalise each channel to zero mean and unit variance over (N, H, W), then scale and
    shift by the learned ``gamma`` and ``beta`` (both (C,)).

    Training mode uses the statistics of the current batch and updates running averages
    (``buffers["running_mean"]``, ``buffers["running_var"]``); eval mode uses those averages, so a
    single image gives the same answer whatever batch it comes in.

    Raises
    ------
    ValueError
        ``num_features`` not an integer >= 1, ``momentum`` not in [0, 1], ``eps`` not a finite
        number > 0.
    TypeError
        ``dtype`` not a floating type.
    """

    preserves_space = True
    _positional = ("num_features",)
    _defaults = {"momentum": 0.1, "eps": 1e-5}

    def __init__(self, num_features, momentum=0.1, eps=1e-5, dtype=np.float32):
        super().__init__()
        self.num_features = check_int("num_features", num_features, 1)
        self.momentum = check_probability("momentum", momentum, upper_inclusive=True)
        self.eps = check_real("eps", eps, 0.0, low_open=True)
        dtype = check_float_dtype(dtype)
        self.params = {"gamma": np.ones(num_features, dtype), "beta": np.zeros(num_features, dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.buffers = {"running_mean": np.zeros(num_features, dtype),
                        "running_var": np.ones(num_features, dtype)}

    def settings(self):
        """num_features, momentum, eps."""
        return {"num_features": self.num_features, "momentum": self.momentum, "eps": self.eps}

    def forward(self, x):
        """x (N, C, H, W) -> (N, C, H, W), each channel normalised, scaled and shifted.

        Raises ValueError if C != num_features, or in training mode when each channel holds a
        single value (N*H*W = 1): its batch variance would be 0, so the output would be all
        zeros and the running variance would be dragged towards 0.
        """
        x = as_float_images(x, "x")
        if x.shape[1] != self.num_features:
            raise ValueError(f"{self!r} expects C = num_features = {self.num_features} channels, "
                             f"got input of shape {x.shape}")
        if self.training and x.shape[0] * x.shape[2] * x.shape[3] == 1:
            raise ValueError(f"{self!r} in training mode needs more than one value per channel "
                             f"(N*H*W > 1), got x of shape {x.shape}; use a batch of N >= 2 "
                             "or call model.eval() first")
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
        Raises ValueError if called before forward or if dout's shape differs.
        """
        x_hat, inv_std, training = self._saved()
        dout = self._check_dout(dout, x_hat.shape)
        self.grads["gamma"][...] = (dout * x_hat).sum(axis=(0, 2, 3))
        self.grads["beta"][...] = dout.sum(axis=(0, 2, 3))
        g = (self.params["gamma"] * inv_std)[None, :, None, None]
        if not training:
            return dout * g
        dmean = dout.mean(axis=(0, 2, 3), keepdims=True)
        dproj = (dout * x_hat).mean(axis=(0, 2, 3), keepdims=True)
        return g * (dout - dmean - x_hat * dproj)
