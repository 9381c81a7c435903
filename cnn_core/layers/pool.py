"""Pooling layers: MaxPool2D and AvgPool2D."""
from .. import functional as F
from ..validation import check_images
from .base import Layer, check_int
from .conv import _out_size


class _Pool2D(Layer):
    """Shared bookkeeping of the two pooling layers (no parameters)."""

    padding, dilation = 0, 1
    _forward = _backward = None

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = check_int("kernel_size", kernel_size, 1)
        self.stride = self.kernel_size if stride is None else check_int("stride", stride, 1)

    def forward(self, x):
        check_images(x, "x")
        out, self._cache = type(self)._forward(x, self.kernel_size, self.stride)
        self._out_shape = out.shape
        return out

    def backward(self, dout):
        """dout (N, C, H_out, W_out) -> dx (N, C, H, W)."""
        cache = self._saved()
        self._check_dout(dout, self._out_shape)
        return type(self)._backward(dout, cache)

    def output_shape(self, input_shape):
        c, h, w = input_shape
        if self.kernel_size > min(h, w):
            raise ValueError(f"{self!r}: pooling window {self.kernel_size} is larger than the "
                             f"input {h}x{w}")
        return (c, _out_size(h, self.kernel_size, self.stride, 0),
                _out_size(w, self.kernel_size, self.stride, 0))

    def __repr__(self):
        extra = "" if self.stride == self.kernel_size else f", stride={self.stride}"
        return f"{type(self).__name__}(kernel_size={self.kernel_size}{extra})"


class MaxPool2D(_Pool2D):
    """Keep the largest value of each window; the gradient goes to that winner only."""

    _forward = staticmethod(F.maxpool2d_forward)
    _backward = staticmethod(F.maxpool2d_backward)


class AvgPool2D(_Pool2D):
    """Keep the mean of each window; the gradient is shared equally inside the window."""

    _forward = staticmethod(F.avgpool2d_forward)
    _backward = staticmethod(F.avgpool2d_backward)
