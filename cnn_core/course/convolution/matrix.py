"""Convolution as a matrix product: the sparse matrix C with ``y.ravel() == C @ x.ravel()``.

A convolution is linear in its input, so for a fixed kernel it is one matrix C acting on the
flattened input.  Row ``r * W_out + c`` of C holds the kernel's weights in the columns of the
input pixels that output cell (r, c) reads; every other entry is zero.  Two consequences the
course uses:

- the backward pass: with ``y = C x``, the input gradient is ``dx = C.T @ dout``;
- the transposed convolution is the map ``C.T``: it takes an (H_out, W_out) array back to an
  (H, W) one, which is why it is called *transposed*.

Building C costs O(H_out * W_out * KH * KW) and stores (H_out * W_out) x (H * W) numbers: it is a
teaching device for small inputs, not how the engine computes (see :mod:`cnn_core.functional`).
"""
import numpy as np

from cnn_core.arithmetic import conv_output_size
from cnn_core.validation import check_int


def conv_matrix(input_size, kernel, stride=1, padding=0, dilation=1):
    """The matrix C of a single-channel convolution of a square input with ``kernel``.

    Parameters
    ----------
    input_size : int >= 1
        H = W of the input.
    kernel : array (KH, KW) with KH == KW
    stride, dilation : int >= 1
    padding : int >= 0
        Padding zeros contribute nothing, so they simply leave no entry in C.

    Returns
    -------
    C : ndarray (H_out * W_out, H * W)
        ``conv2d(x, kernel).ravel() == C @ x.ravel()`` for any x of shape (H, W).
    """
    input_size = check_int("input_size", input_size, 1)
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"kernel must be a square array (KH, KW) with KH == KW, "
                         f"got shape {kernel.shape}")
    k = kernel.shape[0]
    out = conv_output_size(input_size, k, stride, padding, dilation)
    matrix = np.zeros((out * out, input_size * input_size))
    taps = np.arange(k) * dilation
    for r in range(out):
        for c in range(out):
            rows = r * stride + taps - padding      # input rows read by output cell (r, c)
            cols = c * stride + taps - padding
            inside_r = (rows >= 0) & (rows < input_size)
            inside_c = (cols >= 0) & (cols < input_size)
            target = (rows[inside_r][:, None] * input_size + cols[inside_c][None, :]).ravel()
            matrix[r * out + c, target] = kernel[np.ix_(inside_r, inside_c)].ravel()
    return matrix


def weight_index_labels(kernel_size):
    """Labels "w00" .. for a kernel (KH, KW): ``labels[a, b] == f"w{a}{b}"``."""
    kernel_size = check_int("kernel_size", kernel_size, 1)
    return np.array([[f"w{a}{b}" for b in range(kernel_size)] for a in range(kernel_size)])


def conv_matrix_labels(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """C with weight names instead of numbers: an array of str, "" where C is zero.

    Shapes as :func:`conv_matrix`; entry ``[row, col]`` names the kernel weight that
    multiplies input pixel ``col`` for output cell ``row``.
    """
    kernel_size = check_int("kernel_size", kernel_size, 1)
    numbered = np.arange(1, kernel_size * kernel_size + 1).reshape(kernel_size, kernel_size)
    index = conv_matrix(input_size, numbered, stride, padding, dilation).astype(int)
    names = np.concatenate([[""], weight_index_labels(kernel_size).ravel()])
    return names[index]
