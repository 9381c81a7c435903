"""Transposed convolution ("deconvolution"), naive and fast.

A transposed convolution runs a convolution's backward pass (its input gradient) forwards: every
input value stamps a scaled copy of the kernel onto the output, ``stride`` pixels apart, and the
``padding`` rows/columns at the border are cropped away.  Equivalently: insert ``stride - 1``
zeros between input units, pad with ``dilation*(K-1) - padding`` zeros and run a plain stride-1
convolution with the flipped kernel.  Shapes (PyTorch's convention):

    x    (N, C_in, H, W)
    w    (C_in, C_out, KH, KW)
    b    (C_out,)
    out  (N, C_out, H_out, W_out),
    H_out = stride*(H - 1) + dilation*(KH - 1) + 1 - 2*padding + output_padding
"""
import numpy as np

from ..arithmetic import effective_kernel_size, transposed_conv_output_size
from ..validation import as_float, as_float_images, check_int
from .conv import _input_gradient


def _check_transposed_args(x, w, b, stride, padding, output_padding, dilation):
    """Validate; returns x, w, b as floats, the four ints and (H_out, W_out)."""
    x = as_float_images(x, "x")
    w = as_float(w, "w")
    if w.ndim != 4 or w.shape[0] != x.shape[1]:
        raise ValueError(f"w must have shape (C_in={x.shape[1]}, C_out, KH, KW), got {w.shape}")
    if b is not None:
        b = as_float(b, "b")
        if b.shape != (w.shape[1],):
            raise ValueError(f"b must have shape (C_out,) = ({w.shape[1]},), got {b.shape}")
    stride = check_int("stride", stride, 1)
    padding = check_int("padding", padding, 0)
    dilation = check_int("dilation", dilation, 1)
    output_padding = check_int("output_padding", output_padding, 0)
    if output_padding >= stride:
        raise ValueError(f"output_padding must satisfy 0 <= output_padding < stride={stride}, "
                         f"got {output_padding}")
    # arithmetic's formula for the uncropped output (p = 0 cannot fail), minus the 2p cropped
    # here, so that a too-large padding is reported with this function's parameter names
    sizes = [transposed_conv_output_size(x.shape[2 + i],
                                         effective_kernel_size(w.shape[2 + i], dilation),
                                         stride, 0, output_padding) - 2 * padding
             for i in (0, 1)]
    if min(sizes) < 1:
        raise ValueError(f"padding={padding} crops the whole output (output size {tuple(sizes)}); "
                         "padding must be smaller")
    return x, w, b, stride, padding, output_padding, dilation, tuple(sizes)


def conv_transpose2d_naive(x, w, b, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed convolution with loops: each input value stamps ``x * w`` onto the output.

    Returns out (N, C_out, H_out, W_out).  Integer images become float32; raises ValueError /
    TypeError naming a bad argument.
    """
    x, w, b, stride, padding, output_padding, dilation, (h_out, w_out) = _check_transposed_args(
        x, w, b, stride, padding, output_padding, dilation)
    n_images, c_in, h, wd = x.shape
    c_out, kh, kw = w.shape[1:]
    full = np.zeros((n_images, c_out, h_out + 2 * padding, w_out + 2 * padding),
                    dtype=np.result_type(x, w))
    for n in range(n_images):
        for c in range(c_in):
            for i in range(h):
                for j in range(wd):
                    for a in range(kh):
                        for bb in range(kw):
                            full[n, :, i * stride + a * dilation, j * stride + bb * dilation] += (
                                x[n, c, i, j] * w[c, :, a, bb])
    out = full[:, :, padding:padding + h_out, padding:padding + w_out]
    if b is not None:
        out = out + b.reshape(1, -1, 1, 1)
    return out


def conv_transpose2d(x, w, b, stride=1, padding=0, output_padding=0, dilation=1):
    """Fast transposed convolution: exactly the input gradient of a convolution.

    Read ``w`` as the weights (F=C_in, C=C_out, KH, KW) of an ordinary convolution that maps
    an image of this function's output size onto x's grid.  That convolution's input gradient,
    with x in the role of ``dout``, stamps ``x * w`` onto the output: the transposed
    convolution.  So this re-uses the convolution's backward code (matrix products, then the
    stamps are added up).  Same signature and result as :func:`conv_transpose2d_naive`.
    Raises ValueError / TypeError naming the bad argument.
    """
    x, w, b, stride, padding, output_padding, dilation, (h_out, w_out) = _check_transposed_args(
        x, w, b, stride, padding, output_padding, dilation)
    out_shape = (x.shape[0], w.shape[1], h_out, w_out)
    out = _input_gradient(x, w, out_shape, stride, padding, dilation)
    if b is not None:
        out = out + b.reshape(1, -1, 1, 1)
    return out
