"""The convolution layer Conv2D (shapes NCHW)."""
import numpy as np

from .. import functional as F
from ..arithmetic import conv_output_size, effective_kernel_size
from ..validation import as_float_images, check_float_dtype, check_int, make_rng
from .base import Layer


class Conv2D(Layer):
    """A bank of ``out_channels`` filters, each (in_channels, kernel_size, kernel_size).

    forward: x (N, C, H, W) -> (N, F, H_out, W_out).  params: ``W`` (F, C, KH, KW), ``b`` (F,).
    Weights use He initialisation, N(0, 2 / (C*KH*KW)), which keeps activations at a steady
    scale through ReLU layers; biases start at zero.

    Raises
    ------
    ValueError
        a size is not an integer in its range (``in_channels``, ``out_channels``,
        ``kernel_size``, ``stride`` >= 1, ``padding`` >= 0, ``dilation`` >= 1).
    TypeError
        ``rng`` is not a numpy Generator; ``dtype`` is not a floating type.
    """

    _positional = ("in_channels", "out_channels")
    _defaults = {"stride": 1, "padding": 0, "dilation": 1}

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 rng=None, dtype=np.float32):
        super().__init__()
        self.in_channels = check_int("in_channels", in_channels, 1)
        self.out_channels = check_int("out_channels", out_channels, 1)
        self.kernel_size = check_int("kernel_size", kernel_size, 1)
        self.stride = check_int("stride", stride, 1)
        self.padding = check_int("padding", padding, 0)
        self.dilation = check_int("dilation", dilation, 1)
        dtype = check_float_dtype(dtype)
        rng = make_rng(rng)
        fan_in = self.in_channels * self.kernel_size ** 2
        shape = (self.out_channels, self.in_channels, self.kernel_size, self.kernel_size)
        scale = np.sqrt(2.0 / fan_in)
        weights = rng.standard_normal(shape, dtype=np.float32).astype(dtype)
        self.params["W"] = weights * dtype.type(scale)
        self.params["b"] = np.zeros(self.out_channels, dtype=dtype)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def settings(self):
        """in_channels, out_channels, kernel_size, stride, padding, dilation."""
        return {name: getattr(self, name) for name in (
            "in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation")}

    def forward(self, x):
        """x (N, C, H, W) -> out (N, F, H_out, W_out).  Integer pixels become float32.

        Raises ValueError if x is not 4-D, or C != in_channels, or the kernel does not fit.
        """
        x = self._check_input(x)
        out, self._cache = F.conv2d_forward(x, self.params["W"], self.params["b"],
                                            self.stride, self.padding, self.dilation,
                                            scratch=self._scratch)
        self._out_shape = out.shape
        return out

    def backward(self, dout, need_dx=True):
        """dout (N, F, H_out, W_out) -> dx (N, C, H, W); fills grads["W"], grads["b"].

        ``need_dx=False`` skips the input gradient (returns None): a model's first layer has no
        use for it, and it is the most expensive part of the backward pass.
        Raises ValueError if called before forward or if dout is not (N, F, H_out, W_out).
        """
        cache = self._saved()
        dout = self._check_dout(dout, self._out_shape)
        dx, dw, db = F.conv2d_backward(dout, cache, need_dx=need_dx, scratch=self._scratch)
        self.grads["W"][...] = dw
        self.grads["b"][...] = db
        return dx

    def _check_input(self, x):
        x = as_float_images(x, "x")
        if x.shape[1] != self.in_channels:
            raise ValueError(f"{self!r} expects in_channels={self.in_channels}, "
                             f"got input with C={x.shape[1]} (shape {x.shape})")
        return x

    def output_shape(self, input_shape):
        """(C, H, W) -> (F, H_out, W_out).  Raises ValueError if C != in_channels or the
        kernel does not fit the padded input."""
        c, h, w = input_shape
        if c != self.in_channels:
            raise ValueError(f"{self!r} expects in_channels={self.in_channels}, got C={c}")
        k_eff = effective_kernel_size(self.kernel_size, self.dilation)
        if k_eff > min(h, w) + 2 * self.padding:
            raise ValueError(f"{self!r}: kernel (effective size {k_eff}) is larger than the "
                             f"padded input {h}x{w} + 2*{self.padding}")
        return (self.out_channels,
                conv_output_size(h, self.kernel_size, self.stride, self.padding, self.dilation),
                conv_output_size(w, self.kernel_size, self.stride, self.padding, self.dilation))
