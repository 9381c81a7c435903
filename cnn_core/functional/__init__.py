"""Stateless array operations behind the layers: forward and backward, naive and fast.

Every fast function has a naive twin with the same signature and the same result; the naive one
is the readable definition, the fast one is what the layers use.
"""
from .conv import (
                   col2im,
                   conv2d_backward,
                   conv2d_backward_naive,
                   conv2d_forward,
                   conv2d_forward_naive,
                   im2col,
                   pad_images,
                   sliding_windows,
)
from .pool import (
                   avgpool2d_backward,
                   avgpool2d_backward_naive,
                   avgpool2d_forward,
                   avgpool2d_forward_naive,
                   maxpool2d_backward,
                   maxpool2d_backward_naive,
                   maxpool2d_forward,
                   maxpool2d_forward_naive,
)
from .transposed import conv_transpose2d, conv_transpose2d_naive

__all__ = [name for name in dir() if not name.startswith("_")]
