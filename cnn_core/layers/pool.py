"""Pooling layers: MaxPool2D and AvgPool2D."""
from .. import functional as F
from ..arithmetic import pool_output_size
from ..validation import as_float_images, check_int
from .base import Layer


class _Pool2D(Layer):
    """Shared bookkeeping of the two pooling layers (no parameters).

    Raises ValueError when ``kernel_size`` or ``stride`` is not an integer >= 1.
    """

    padding, dilation = 0, 1
    _forward = _backward = None

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = check_int("kernel_size", kernel_size, 1)
        self.stride = self.kernel_size if stride is None else check_int("stride", stride, 1)

    def settings(self):
        """kernel_size, stride (equal to kernel_size unless given)."""
        return {"kernel_size": self.kernel_size, "stride": self.stride}

    @property
    def _defaults(self):
        return {"stride": self.kernel_size}

    def forward(self, x):
        """x (N, C, H, W) -> out (N, C, H_out, W_out).  Integer pixels become float32.

        Raises ValueError if x is not 4-D or the window is larger than the input.
        """
        x = as_float_images(x, "x")
        out, self._cache = self._pool(x)
        self._out_shape = out.shape
        return out

    def _pool(self, x):
        """(out, cache) of the functional forward pass."""
        return type(self)._forward(x, self.kernel_size, self.stride)

    def backward(self, dout):
        """dout (N, C, H_out, W_out) -> dx (N, C, H, W).
        Raises ValueError if called before forward or if dout's shape differs.
        """
        cache = self._saved()
        dout = self._check_dout(dout, self._out_shape)
        return type(self)._backward(dout, cache)

    def output_shape(self, input_shape):
        """(C, H, W) -> (C, H_out, W_out).
        Raises ValueError if the window is larger than H or W.
        """
        c, h, w = input_shape
        if self.kernel_size > min(h, w):
            raise ValueError(f"{self!r}: pooling window {self.kernel_size} is larger than the "
                             f"input {h}x{w}")
        return (c, pool_output_size(h, self.kernel_size, self.stride),
                pool_output_size(w, self.kernel_size, self.stride))


class MaxPool2D(_Pool2D):
    """Keep the largest value of each window; the gradient goes to that winner only."""

    _forward = staticmethod(F.maxpool2d_forward)
    _backward = staticmethod(F.maxpool2d_backward)

    def _pool(self, x):
        """(out, cache), the window cells in memory reused from the previous call."""
        return F.maxpool2d_forward(x, self.kernel_size, self.stride, scratch=self._scratch)


class AvgPool2D(_Pool2D):
    """Keep the mean of each window; the gradient is shared equally inside the window."""

    _forward = staticmethod(F.avgpool2d_forward)
    _backward = staticmethod(F.avgpool2d_backward)
