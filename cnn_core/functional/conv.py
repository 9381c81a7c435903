"""2-D convolution (cross-correlation), forward and backward: naive loops and fast numpy.

Convolution here means *cross-correlation*: the kernel is slid over the input without being
flipped, as in every deep-learning framework.  Shapes:

    x    (N, C, H, W)       input images
    w    (F, C, KH, KW)     F filters, each spanning all C input channels
    b    (F,)               one bias per filter
    out  (N, F, H_out, W_out)
    H_out = (H + 2*padding - (dilation*(KH-1) + 1)) // stride + 1   (same for W)

The naive functions are what you read first; the fast ones compute exactly the same numbers
(tested against each other) with matrix products and whole-array copies instead of Python loops
over pixels.  Two facts about numpy shape the fast code: an operation on a strided slice pays a
fixed cost per short row it walks (so long contiguous runs are much cheaper than 2-D slices of
small images), and a batched ``np.matmul`` runs one small matrix product per image, which the
BLAS library does on one thread, without the start-up cost of its thread pool.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..arithmetic import conv_output_size
from ..validation import (
    as_float,
    as_float_images,
    check_cache,
    check_dout,
    check_int,
    check_window_fits,
)
from .flat_frames import input_gradient_flat
from .scratch import reusable, reusable_zeros


def _check_conv_args(x, w, b, stride, padding, dilation):
    """Validate a convolution's arguments; returns x, w, b as floats and the three ints.

    Raises ValueError / TypeError naming the argument (see :mod:`cnn_core.validation`).
    """
    x = as_float_images(x, "x")
    w = as_float(w, "w")
    if w.ndim != 4:
        raise ValueError(f"w must be an array of shape (F, C, KH, KW), got shape {w.shape}")
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"x has C={x.shape[1]} channels but w expects C={w.shape[1]} "
                         f"(w shape {w.shape}); in_channels must match")
    if b is not None:
        b = as_float(b, "b")
        if b.shape != (w.shape[0],):
            raise ValueError(f"b must have shape (F,) = ({w.shape[0]},), got {b.shape}")
    stride = check_int("stride", stride, 1)
    padding = check_int("padding", padding, 0)
    dilation = check_int("dilation", dilation, 1)
    kh, kw = w.shape[2:]
    check_window_fits(x.shape[2], padding, dilation * (kh - 1) + 1)
    check_window_fits(x.shape[3], padding, dilation * (kw - 1) + 1)
    return x, w, b, stride, padding, dilation


def _output_shape(x_shape, w_shape, stride, padding, dilation):
    """(N, F, H_out, W_out) of a convolution, from :func:`cnn_core.arithmetic.conv_output_size`."""
    return (x_shape[0], w_shape[0]) + tuple(
        conv_output_size(x_shape[2 + i], w_shape[2 + i], stride, padding, dilation) for i in (0, 1))


def _output_hw(x, w, stride, padding, dilation):
    """(H_out, W_out) of a convolution of x by w (see :func:`_output_shape`)."""
    return _output_shape(x.shape, w.shape, stride, padding, dilation)[2:]


def pad_images(x, padding):
    """Zero-pad the two spatial axes of x (N, C, H, W) by ``padding`` on every side.

    Returns x itself when ``padding == 0``; otherwise a new (N, C, H + 2p, W + 2p) array.
    Raises ValueError if ``padding`` is not an integer >= 0.
    """
    return _padded(x, check_int("padding", padding, 0))


def _padded(x, padding, scratch=None):
    """:func:`pad_images` without the check; the padded array may come from ``scratch``."""
    if padding == 0:
        return x
    n, c, h, w = x.shape
    xp = reusable_zeros(scratch, "padded", (n, c, h + 2 * padding, w + 2 * padding), x.dtype)
    xp[:, :, padding:padding + h, padding:padding + w] = x
    return xp


# ----------------------------------------------------------------------------------- naive

def conv2d_forward_naive(x, w, b, stride=1, padding=0, dilation=1):
    """Convolution with explicit loops: one dot product per output value.

    Returns ``out`` (N, F, H_out, W_out) and a ``cache`` for :func:`conv2d_backward_naive`.
    Integer images are converted to float32.  Raises ValueError / TypeError for a bad argument.
    """
    x, w, b, stride, padding, dilation = _check_conv_args(x, w, b, stride, padding, dilation)
    n_images, n_filters = x.shape[0], w.shape[0]
    kh, kw = w.shape[2:]
    h_out, w_out = _output_hw(x, w, stride, padding, dilation)
    xp = pad_images(x, padding)
    out = np.zeros((n_images, n_filters, h_out, w_out), dtype=np.result_type(x, w))
    for n in range(n_images):
        for f in range(n_filters):
            for i in range(h_out):
                for j in range(w_out):
                    top, left = i * stride, j * stride
                    patch = xp[n, :, top:top + dilation * (kh - 1) + 1:dilation,
                               left:left + dilation * (kw - 1) + 1:dilation]
                    out[n, f, i, j] = np.sum(patch * w[f]) + (b[f] if b is not None else 0)
    return out, (x, w, b, stride, padding, dilation)


def conv2d_backward_naive(dout, cache):
    """Gradients of a convolution with explicit loops.

    Each output value ``out[n, f, i, j]`` was a dot product of one input patch with ``w[f]``,
    so its upstream gradient flows back to exactly that patch (times ``w[f]``) and to ``w[f]``
    (times the patch).  Returns ``dx`` (N, C, H, W), ``dw`` (F, C, KH, KW), ``db`` (F,).
    Raises ValueError if dout is not (N, F, H_out, W_out) of the forward output.
    """
    x, w, b, stride, padding, dilation = check_cache(cache, 6, "conv2d_backward_naive")
    dout = check_dout(dout, _output_shape(x.shape, w.shape, stride, padding, dilation),
                      "conv2d_backward_naive")
    kh, kw = w.shape[2:]
    xp = pad_images(x, padding)
    dxp = np.zeros_like(xp, dtype=np.result_type(x, w, dout))
    dw = np.zeros_like(w, dtype=dxp.dtype)
    n_images, n_filters, h_out, w_out = dout.shape
    for n in range(n_images):
        for f in range(n_filters):
            for i in range(h_out):
                for j in range(w_out):
                    rows = slice(i * stride, i * stride + dilation * (kh - 1) + 1, dilation)
                    cols = slice(j * stride, j * stride + dilation * (kw - 1) + 1, dilation)
                    dw[f] += dout[n, f, i, j] * xp[n, :, rows, cols]
                    dxp[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    dx = dxp[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]]
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw, db


# ------------------------------------------------------------------------------------ fast

def sliding_windows(xp, kh, kw, stride, dilation):
    """A read-only view of every kernel window of the padded input.

    xp (N, C, Hp, Wp) -> view (N, C, KH, KW, H_out, W_out) where
    ``view[n, c, a, b, i, j] == xp[n, c, i*stride + a*dilation, j*stride + b*dilation]``.
    No data is copied: the view re-uses the input's memory with different strides.
    xp is assumed valid (internal helper of the checked functions).
    """
    n, c, hp, wp = xp.shape
    h_out = conv_output_size(hp, kh, stride, 0, dilation)
    w_out = conv_output_size(wp, kw, stride, 0, dilation)
    sn, sc, sh, sw = xp.strides
    return as_strided(xp, shape=(n, c, kh, kw, h_out, w_out),
                      strides=(sn, sc, sh * dilation, sw * dilation, sh * stride, sw * stride),
                      writeable=False)


def im2col(x, kh, kw, stride=1, padding=0, dilation=1):
    """Copy every window into columns: x (N, C, H, W) -> cols (N, C*KH*KW, H_out*W_out).

    Returns ``(cols, (H_out, W_out))``.  Raises ValueError / TypeError for a bad argument.
    """
    kernel = np.empty((1, np.shape(x)[1] if np.ndim(x) == 4 else 1,
                       check_int("kh", kh, 1), check_int("kw", kw, 1)))
    x, _, _, stride, padding, dilation = _check_conv_args(x, kernel, None, stride, padding,
                                                          dilation)
    return _columns(x, kh, kw, stride, padding, dilation, ones_row=False)


def _columns(x, kh, kw, stride, padding, dilation, ones_row, scratch=None):
    """:func:`im2col`, optionally with one more row of ones: (N, C*KH*KW + 1, H_out*W_out).

    With the ones row, a weight matrix with the bias as its last column computes
    ``w @ patch + b`` in the same matrix product (the "bias trick"), saving a pass over the
    output, and the backward product gives db as the last column of dw for free.
    The padded input and the columns may come from ``scratch`` (see :mod:`.scratch`).
    """
    windows = sliding_windows(_padded(x, padding, scratch), kh, kw, stride, dilation)
    n, c, _, _, h_out, w_out = windows.shape
    rows = c * kh * kw
    cols = reusable(scratch, "columns", (n, rows + int(ones_row), h_out * w_out), x.dtype)
    np.copyto(cols[:, :rows].reshape(windows.shape), windows)
    if ones_row:
        cols[:, rows] = 1
    return cols, (h_out, w_out)


def col2im(dcols, x_shape, kh, kw, stride=1, padding=0, dilation=1):
    """Inverse bookkeeping of :func:`im2col`: add every column back onto the pixels it came from.

    dcols (N, C*KH*KW, H_out*W_out) -> dx (N, C, H, W).  Overlapping windows accumulate; this is
    done with KH*KW strided slice-adds (one per kernel offset), never a loop over pixels.
    dcols is assumed to come from im2col of x_shape (no checks: internal bookkeeping).
    """
    n, c, h, w = x_shape
    hp, wp = h + 2 * padding, w + 2 * padding
    h_out = conv_output_size(h, kh, stride, padding, dilation)
    w_out = conv_output_size(w, kw, stride, padding, dilation)
    dcols = dcols.reshape(n, c, kh, kw, h_out, w_out)
    dxp = np.zeros((n, c, hp, wp), dtype=dcols.dtype)
    for a in range(kh):
        for b in range(kw):
            top, left = a * dilation, b * dilation
            dxp[:, :, top:top + stride * (h_out - 1) + 1:stride,
                left:left + stride * (w_out - 1) + 1:stride] += dcols[:, :, a, b]
    return dxp[:, :, padding:padding + h, padding:padding + w]


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, *, scratch=None):
    """Fast convolution: im2col, then one matrix product per image.

    ``w`` reshaped to (F, C*KH*KW) times ``cols`` (N, C*KH*KW, H_out*W_out) gives
    (N, F, H_out*W_out), which is already NCHW after a reshape.  The bias rides along as one
    more weight column against a row of ones in ``cols`` (see :func:`_columns`).  Same
    signature and result as :func:`conv2d_forward_naive`.  ``scratch``: a dict the caller keeps
    between calls (the Conv2D layer does) to reuse the columns' memory, see :mod:`.scratch`;
    the columns then live until the next call with the same scratch.
    Raises ValueError / TypeError naming the bad argument (x, w, b, stride, padding, dilation).
    """
    x, w, b, stride, padding, dilation = _check_conv_args(x, w, b, stride, padding, dilation)
    n_filters, _, kh, kw = w.shape
    cols, (h_out, w_out) = _columns(x, kh, kw, stride, padding, dilation, ones_row=b is not None,
                                    scratch=scratch)
    weights = w.reshape(n_filters, -1)
    if b is not None:
        weights = np.concatenate([weights, b.reshape(n_filters, 1).astype(w.dtype)], axis=1)
    out = np.matmul(weights, cols).reshape(x.shape[0], n_filters, h_out, w_out)
    return out, (x.shape, cols, w, b is not None, stride, padding, dilation)


def conv2d_backward(dout, cache, need_dx=True, *, scratch=None):
    """Fast gradients of :func:`conv2d_forward`.

    dw = sum over images of dout (F, L) @ cols.T (L, C*KH*KW), re-using the forward's columns
    (whose ones row, if any, makes the last column of that product db); db = sum of dout over
    images and positions; dx: see :func:`_input_gradient`.
    ``need_dx=False`` skips dx (returns None) - the first layer never needs it.  ``scratch``:
    as in :func:`conv2d_forward` (reuses the temporaries of dx; dx itself is always new).
    Returns ``dx`` (N, C, H, W) or None, ``dw`` (F, C, KH, KW), ``db`` (F,).
    Raises ValueError if dout is not (N, F, H_out, W_out) of the forward output.
    """
    x_shape, cols, w, has_bias, stride, padding, dilation = check_cache(cache, 7,
                                                                         "conv2d_backward")
    dout = check_dout(dout, _output_shape(x_shape, w.shape, stride, padding, dilation),
                      "conv2d_backward")
    n_filters = w.shape[0]
    dout2 = dout.reshape(dout.shape[0], n_filters, -1)            # (N, F, L)
    dw = np.matmul(dout2, cols.transpose(0, 2, 1)).sum(axis=0)
    if has_bias:
        dw, db = dw[:, :-1], dw[:, -1]
    else:
        db = np.einsum("nfl->f", dout2)
    dw = np.ascontiguousarray(dw).reshape(w.shape)
    dx = _input_gradient(dout, w, x_shape, stride, padding, dilation, scratch) if need_dx else None
    return dx, dw, db


def _input_gradient(dout, w, x_shape, stride, padding, dilation, scratch=None):
    """dx (N, C, H, W) of a convolution from dout (N, F, H_out, W_out).

    Stride 1 (the common case) takes the faster flat-frame route of
    :mod:`cnn_core.functional.flat_frames`; :func:`_input_gradient_col2im` is the plain
    version of the same sums, used for every other stride (and tested at stride 1 too).
    """
    if stride == 1:
        return input_gradient_flat(dout, w, x_shape, padding, dilation, scratch)
    return _input_gradient_col2im(dout, w, x_shape, stride, padding, dilation)


def _input_gradient_col2im(dout, w, x_shape, stride, padding, dilation):
    """dx of a convolution: every output's gradient, times its filter, goes back to its window.

    One matrix product per image, w.T (C*KH*KW, F) @ dout (F, H_out*W_out), gives each
    window's share of dx as a column; :func:`col2im` adds the columns back onto the pixels.
    """
    n_filters = w.shape[0]
    dtype = np.result_type(dout, w)
    dcols = np.matmul(w.reshape(n_filters, -1).T.astype(dtype, copy=False),
                      dout.reshape(dout.shape[0], n_filters, -1))       # (N, C*KH*KW, L)
    return col2im(dcols, x_shape, w.shape[2], w.shape[3], stride, padding, dilation)
