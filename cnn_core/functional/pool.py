"""Max and average pooling, forward and backward: naive loops and fast numpy.

A pooling window of ``kernel_size`` x ``kernel_size`` slides over each channel separately with
``stride``; max pooling keeps the largest value of each window, average pooling the mean.
Pooling has no parameters.  Windows may overlap (stride < kernel_size); input rows/columns that
no window reaches are ignored.  Shapes:

    x    (N, C, H, W)
    out  (N, C, H_out, W_out),   H_out = (H - kernel_size) // stride + 1
"""
import numpy as np

from ..arithmetic import pool_output_size
from ..validation import as_float_images, check_cache, check_dout, check_int, check_window_fits
from .scratch import reusable


def _check_pool_args(x, kernel_size, stride):
    """Validate pooling arguments; returns x as floats, k, s, H_out, W_out.

    Integer pixels become float32, so average pooling never truncates.
    """
    x = as_float_images(x, "x")
    kernel_size = check_int("kernel_size", kernel_size, 1)
    stride = kernel_size if stride is None else check_int("stride", stride, 1)
    check_window_fits(x.shape[2], 0, kernel_size, "pooling window")
    check_window_fits(x.shape[3], 0, kernel_size, "pooling window")
    h_out = pool_output_size(x.shape[2], kernel_size, stride)
    w_out = pool_output_size(x.shape[3], kernel_size, stride)
    return x, kernel_size, stride, h_out, w_out


def _pooled_shape(x_shape, k, s):
    return tuple(x_shape[:2]) + (pool_output_size(x_shape[2], k, s),
                                 pool_output_size(x_shape[3], k, s))


def _window(i, j, k, s):
    return slice(i * s, i * s + k), slice(j * s, j * s + k)


# ----------------------------------------------------------------------------------- naive

def maxpool2d_forward_naive(x, kernel_size, stride=None):
    """Max pooling with loops.  Returns out (N, C, H_out, W_out) and a cache.
    Integer images become float32.  Raises ValueError / TypeError naming x, kernel_size or
    stride.
    """
    x, k, s, h_out, w_out = _check_pool_args(x, kernel_size, stride)
    out = np.zeros(x.shape[:2] + (h_out, w_out), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            rows, cols = _window(i, j, k, s)
            out[:, :, i, j] = x[:, :, rows, cols].max(axis=(2, 3))
    return out, (x, k, s)


def maxpool2d_backward_naive(dout, cache):
    """Each output's gradient goes to the input cell that won its window (first one on ties);
    where windows overlap, a cell that wins several times collects every share.
    Returns dx (N, C, H, W).  Raises ValueError if dout is not (N, C, H_out, W_out)."""
    x, k, s = check_cache(cache, 3, "maxpool2d_backward_naive")
    dout = check_dout(dout, _pooled_shape(x.shape, k, s), "maxpool2d_backward_naive")
    dx = np.zeros(x.shape, dtype=np.result_type(x, dout))
    n_images, n_channels, h_out, w_out = dout.shape
    for n in range(n_images):
        for c in range(n_channels):
            for i in range(h_out):
                for j in range(w_out):
                    rows, cols = _window(i, j, k, s)
                    a, b = np.unravel_index(np.argmax(x[n, c, rows, cols]), (k, k))
                    dx[n, c, i * s + a, j * s + b] += dout[n, c, i, j]
    return dx


def avgpool2d_forward_naive(x, kernel_size, stride=None):
    """Average pooling with loops.  Returns out (N, C, H_out, W_out) and a cache.
    Integer images become float32.  Raises ValueError / TypeError naming x, kernel_size or
    stride.
    """
    x, k, s, h_out, w_out = _check_pool_args(x, kernel_size, stride)
    out = np.zeros(x.shape[:2] + (h_out, w_out), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            rows, cols = _window(i, j, k, s)
            out[:, :, i, j] = x[:, :, rows, cols].mean(axis=(2, 3))
    return out, (x.shape, k, s)


def avgpool2d_backward_naive(dout, cache):
    """Each output's gradient is shared equally by the k*k cells of its window.

    Returns dx (N, C, H, W).  Raises ValueError if dout is not (N, C, H_out, W_out)."""
    x_shape, k, s = check_cache(cache, 3, "avgpool2d_backward_naive")
    dout = check_dout(dout, _pooled_shape(x_shape, k, s), "avgpool2d_backward_naive")
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = _window(i, j, k, s)
            dx[:, :, rows, cols] += dout[:, :, i, j, None, None] / (k * k)
    return dx


# ------------------------------------------------------------------------------------ fast

def _offset_slices(k, s, h_out, w_out):
    """For each window offset (a, b): the strided slices picking that cell of every window."""
    for a in range(k):
        for b in range(k):
            rows = slice(a, a + s * (h_out - 1) + 1, s)
            cols = slice(b, b + s * (w_out - 1) + 1, s)
            yield a * k + b, (rows, cols)


def _window_cells(x, k, s, h_out, w_out, scratch=None):
    """Copy cell (a, b) of every window into ``cells[a*k + b]``.

    x (N, C, H, W) -> cells (k*k, N, C, H_out, W_out), contiguous.  Each copy reads one strided
    slice of x; after that, every per-cell operation runs over contiguous memory, which numpy
    does several times faster than over strided slices.  The cells may come from ``scratch``.
    """
    cells = reusable(scratch, "cells", (k * k,) + x.shape[:2] + (h_out, w_out), x.dtype)
    for index, (rows, cols) in _offset_slices(k, s, h_out, w_out):
        cells[index] = x[:, :, rows, cols]
    return cells


def maxpool2d_forward(x, kernel_size, stride=None, *, scratch=None):
    """Fast max pooling: gather the k*k cells of every window, then one maximum over them.

    ``cells[a*k + b]`` holds cell (a, b) of every window (see :func:`_window_cells`), so the
    pooled output is ``cells.max(axis=0)``: k*k whole-array operations replace the loop over
    windows.  The cells are kept for the backward pass; ``scratch`` (a dict the caller keeps
    between calls, as the MaxPool2D layer does) reuses their memory, see :mod:`.scratch`.
    Returns out (N, C, H_out, W_out) and a cache.
    Raises ValueError / TypeError naming x, kernel_size or stride.
    """
    x, k, s, h_out, w_out = _check_pool_args(x, kernel_size, stride)
    cells = _window_cells(x, k, s, h_out, w_out, scratch)
    out = cells.max(axis=0)
    return out, (cells, out, x.shape, k, s)


def maxpool2d_backward(dout, cache):
    """Fast max-pool gradient: route ``dout`` to the cell of each window that equals the max.

    Where several cells tie (e.g. zeros after a ReLU), only the first in reading order wins, as
    in the naive version: ``unclaimed`` marks the windows that have no winner yet.  Comparisons
    run on the contiguous cells saved by the forward pass; each cell's share is written straight
    into its strided slice of dx (added, where overlapping windows share input cells).
    A window holding NaN has NaN as its max and no cell equal to it; like ``np.argmax`` in
    the naive version, its gradient then goes to its first NaN cell (never silently dropped).
    Returns dx (N, C, H, W).  Raises ValueError if dout is not (N, C, H_out, W_out).
    """
    cells, out, x_shape, k, s = check_cache(cache, 5, "maxpool2d_backward")
    dout = check_dout(dout, out.shape, "maxpool2d_backward")
    h_out, w_out = out.shape[2:]
    dtype = np.result_type(cells, dout)
    # When the windows tile x exactly, every cell of dx is written below: no need to zero it.
    tiled = s == k and x_shape[2] == k * h_out and x_shape[3] == k * w_out
    dx = np.empty(x_shape, dtype=dtype) if tiled else np.zeros(x_shape, dtype=dtype)
    unclaimed = np.ones(out.shape, dtype=bool)
    for index, (rows, cols) in _offset_slices(k, s, h_out, w_out):
        wins = cells[index] == out
        wins &= unclaimed
        unclaimed ^= wins
        if s >= k:      # windows do not overlap: each input cell belongs to one window
            np.multiply(dout, wins, out=dx[:, :, rows, cols])
        else:
            dx[:, :, rows, cols] += dout * wins
    if unclaimed.any():         # only windows holding NaN are left
        _route_to_first_nan(dx, dout, cells, unclaimed, k, s)
    return dx


def _route_to_first_nan(dx, dout, cells, unclaimed, k, s):
    """Give each unclaimed window's gradient to its first NaN cell (as np.argmax does)."""
    for index, (rows, cols) in _offset_slices(k, s, *dout.shape[2:]):
        wins = np.isnan(cells[index]) & unclaimed
        unclaimed ^= wins
        dx[:, :, rows, cols] += dout * wins


def avgpool2d_forward(x, kernel_size, stride=None):
    """Fast average pooling: the sum of the k*k strided slices, divided by k*k.
    Integer images become float32.  Raises ValueError / TypeError naming x, kernel_size or
    stride.
    """
    x, k, s, h_out, w_out = _check_pool_args(x, kernel_size, stride)
    out = np.zeros(x.shape[:2] + (h_out, w_out), dtype=x.dtype)
    for _, (rows, cols) in _offset_slices(k, s, h_out, w_out):
        out += x[:, :, rows, cols]
    out /= k * k
    return out, (x.shape, k, s)


def avgpool2d_backward(dout, cache):
    """Fast average-pool gradient: every window cell receives dout / (k*k).

    Returns dx (N, C, H, W).  Raises ValueError if dout is not (N, C, H_out, W_out)."""
    x_shape, k, s = check_cache(cache, 3, "avgpool2d_backward")
    dout = check_dout(dout, _pooled_shape(x_shape, k, s), "avgpool2d_backward")
    dx = np.zeros(x_shape, dtype=dout.dtype)
    share = dout / (k * k)
    for _, (rows, cols) in _offset_slices(k, s, *dout.shape[2:]):
        dx[:, :, rows, cols] += share
    return dx
