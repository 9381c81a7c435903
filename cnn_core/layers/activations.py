"""Activation layers: element-wise non-linearities (ReLU)."""
import numpy as np

from .base import Layer


class ReLU(Layer):
    """max(0, x), element by element; the gradient passes where x > 0 and is blocked elsewhere."""

    preserves_space = True

    def forward(self, x):
        """x (any shape) -> max(0, x), same shape.  Integer inputs become float32.

        Raises TypeError if x is not a numpy array of real numbers.
        """
        x = self._float_input(x)
        self._cache = x > 0
        return np.maximum(x, 0)

    def backward(self, dout):
        """dout (same shape as x) -> dx = dout where x > 0, else 0.
        Raises ValueError if called before forward or if dout's shape differs.
        """
        mask = self._saved()
        dout = self._check_dout(dout, mask.shape)
        dx = dout * mask
        dx += 0.0        # turns the -0.0 of blocked negative gradients into a plain 0.0
        return dx
