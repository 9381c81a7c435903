"""Where the gradient of a convolution goes: footprints, flipped kernels and correlations.

Everything here is computed by the engine's own backward pass (:func:`conv2d_backward`) or its
forward convolution (:func:`conv2d_forward`); nothing re-implements the maths a second way.

- :func:`conv_gradient_footprint` sends a gradient of exactly 1 back from a single output cell
  (a one-hot ``dout``) and reports which input cells and which weights receive some of it.
- :func:`input_gradient_by_full_convolution` rebuilds ``dx`` as a *full* convolution of the
  (zero-padded, stride-spread) upstream gradient with the flipped, channel-swapped kernel.
- :func:`weight_gradient_by_correlation` rebuilds ``dw`` as a correlation of the input with the
  upstream gradient.

Shapes: x (N, C, H, W), w (F, C, KH, KW), dout (N, F, H_out, W_out).
"""
from dataclasses import dataclass

import numpy as np

from cnn_core.functional import conv2d_backward, conv2d_forward, pad_images
from cnn_core.validation import check_images, check_int


@dataclass
class GradientFootprint:
    """What one output cell of a convolution sends back when its gradient is 1.

    Attributes
    ----------
    out_cell : (f, row, col)
        The output cell, in the output map of filter ``f``.
    x_padded : ndarray (C, H + 2*padding, W + 2*padding)
        The input with its zero border.
    output : ndarray (F, H_out, W_out)
        The convolution's output (bias 0) for the input.
    dx : ndarray (C, H, W)
        Gradient reaching each input cell: the weights of filter ``f`` laid over the window.
    dx_padded : ndarray (C, H + 2*padding, W + 2*padding)
        The same on the padded grid; the border part falls on padding zeros and is dropped.
    dw : ndarray (F, C, KH, KW)
        Gradient reaching each weight: the input values under the window (only filter ``f``).
    db : ndarray (F,)
        1 for filter ``f``, 0 for the others.
    window : (top, left, bottom, right)
        Rows/columns spanned by the window on the padded grid (inclusive).
    stride, padding, dilation : int
    """

    out_cell: tuple
    x_padded: np.ndarray
    output: np.ndarray
    dx: np.ndarray
    dx_padded: np.ndarray
    dw: np.ndarray
    db: np.ndarray
    window: tuple
    stride: int
    padding: int
    dilation: int

    @property
    def input_cells(self):
        """Sorted list of (c, row, col) input cells whose gradient is non-zero."""
        return [tuple(int(v) for v in idx) for idx in np.argwhere(self.dx != 0)]

    @property
    def weight_cells(self):
        """Sorted list of (f, c, a, b) weights whose gradient is non-zero."""
        return [tuple(int(v) for v in idx) for idx in np.argwhere(self.dw != 0)]

    @property
    def wasted_on_padding(self):
        """Number of gradient entries that land on padding cells (and are dropped)."""
        return int(np.count_nonzero(self.dx_padded)) - int(np.count_nonzero(self.dx))


def _as_batch(x):
    """Accept one image (C, H, W) or a batch of one (1, C, H, W); return (1, C, H, W) float64."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 3:
        x = x[None]
    check_images(x, "x")
    if x.shape[0] != 1:
        raise ValueError(f"x must be one image (C, H, W) or (1, C, H, W), got shape {x.shape}")
    return x


def _check_out_cell(out_cell, out_shape):
    """out_cell must be (f, row, col) inside out_shape (F, H_out, W_out)."""
    if len(tuple(out_cell)) != 3:
        raise ValueError(f"out_cell must be (f, row, col), got {out_cell!r}")
    for name, value, size in zip(("filter f", "row", "col"), out_cell, out_shape):
        is_int = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
        if not is_int or not 0 <= value < size:
            raise ValueError(f"out_cell {name} must be an integer in [0, {size - 1}] for an output "
                             f"of shape (F, H_out, W_out) = {tuple(out_shape)}, got {value!r}")
    return tuple(int(v) for v in out_cell)


def conv_gradient_footprint(x, w, stride=1, padding=0, dilation=1, out_cell=(0, 0, 0)):
    """Backpropagate a gradient of 1 from one output cell of a convolution.

    Parameters
    ----------
    x : ndarray (C, H, W) or (1, C, H, W)
        The input image.
    w : ndarray (F, C, KH, KW)
        The filters.
    stride, padding, dilation : int
    out_cell : (f, row, col)
        Which output value to start from.

    Returns
    -------
    GradientFootprint
        ``dx`` is non-zero exactly where filter ``f``'s non-zero weights lie over the image;
        ``dw`` is non-zero only for filter ``f``, where the window covers non-zero inputs.
    """
    x = _as_batch(x)
    w = np.asarray(w, dtype=np.float64)
    bias = np.zeros(w.shape[0]) if w.ndim == 4 else None
    out, cache = conv2d_forward(x, w, bias, stride, padding, dilation)
    f, row, col = _check_out_cell(out_cell, out.shape[1:])
    dout = np.zeros_like(out)
    dout[0, f, row, col] = 1.0
    dx, dw, db = conv2d_backward(dout, cache)
    _, cache_padded = conv2d_forward(pad_images(x, padding), w, bias, stride, 0, dilation)
    dx_padded, _, _ = conv2d_backward(dout, cache_padded)
    kh_eff = dilation * (w.shape[2] - 1) + 1
    kw_eff = dilation * (w.shape[3] - 1) + 1
    top, left = row * stride, col * stride
    return GradientFootprint((f, row, col), pad_images(x, padding)[0], out[0], dx[0],
                             dx_padded[0], dw, db, (top, left, top + kh_eff - 1, left + kw_eff - 1),
                             int(stride), int(padding), int(dilation))


def flip_kernel(w):
    """Rotate every kernel by 180 degrees and swap the filter and channel axes.

    w (F, C, KH, KW) -> (C, F, KH, KW) with ``out[c, f, a, b] == w[f, c, KH-1-a, KW-1-b]``:
    the kernel that carries a gradient from the F output maps back to the C input maps.
    """
    w = np.asarray(w)
    if w.ndim != 4:
        raise ValueError(f"w must have shape (F, C, KH, KW), got {w.shape}")
    return np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))


def spread_out(dout, stride):
    """Insert ``stride - 1`` zeros between neighbouring values of each map.

    dout (N, F, H_out, W_out) -> (N, F, (H_out-1)*stride + 1, (W_out-1)*stride + 1).  With stride 1
    nothing changes; with stride 2 each gradient lands back on the pixel grid step it came from.
    """
    stride = check_int("stride", stride, 1)
    n, f, h_out, w_out = dout.shape
    spread = np.zeros((n, f, (h_out - 1) * stride + 1, (w_out - 1) * stride + 1), dtype=dout.dtype)
    spread[:, :, ::stride, ::stride] = dout
    return spread


def input_gradient_by_full_convolution(dout, w, x_shape, stride=1, padding=0, dilation=1):
    """dx of a convolution, computed as a full convolution with the flipped kernel.

    1. spread ``dout`` out by the stride (:func:`spread_out`),
    2. zero-pad it by (effective kernel size - 1) on every side, so the kernel can hang off the
       edges ("full" convolution),
    3. convolve (the engine's conv2d_forward) with :func:`flip_kernel` ``(w)``, dilated like w,
    4. the result is the gradient on the padded input: add the rows/columns no window reached
       (zeros) and cut the padding off.

    Parameters
    ----------
    dout : ndarray (N, F, H_out, W_out)
    w : ndarray (F, C, KH, KW)
    x_shape : tuple (N, C, H, W)
    stride, padding, dilation : int
        Those of the forward convolution.

    Returns
    -------
    dx : ndarray (N, C, H, W), equal to ``conv2d_backward``'s dx.
    """
    check_images(dout, "dout")
    stride = check_int("stride", stride, 1)
    padding = check_int("padding", padding, 0)
    dilation = check_int("dilation", dilation, 1)
    n, c, h, wd = x_shape
    kh_eff = dilation * (w.shape[2] - 1) + 1
    kw_eff = dilation * (w.shape[3] - 1) + 1
    spread = spread_out(dout, stride)
    full = np.pad(spread, ((0, 0), (0, 0), (kh_eff - 1, kh_eff - 1), (kw_eff - 1, kw_eff - 1)))
    dx_reached, _ = conv2d_forward(full, flip_kernel(w), None, 1, 0, dilation)
    hp, wp = h + 2 * padding, wd + 2 * padding
    dxp = np.zeros((n, c, hp, wp), dtype=dx_reached.dtype)
    dxp[:, :, :dx_reached.shape[2], :dx_reached.shape[3]] = dx_reached
    return dxp[:, :, padding:padding + h, padding:padding + wd]


def weight_gradient_by_correlation(x, dout, kernel_size, stride=1, padding=0, dilation=1):
    """dw of a convolution, computed as a correlation of the input with the upstream gradient.

    ``dw[f, c, a, b] = sum over n, i, j of dout[n, f, i, j] * xp[n, c, i*stride + a*dilation,
    j*stride + b*dilation]``: slide the map ``dout[:, f]`` over the padded input channel
    ``xp[:, c]`` and take a dot product at each offset (a, b).  That is a convolution in which the
    images play the channels' role (the batch axis is summed) and ``dout`` is the kernel; the
    stride of the forward pass becomes the kernel's dilation, and the dilation becomes the stride.

    Parameters
    ----------
    x : ndarray (N, C, H, W)
    dout : ndarray (N, F, H_out, W_out)
    kernel_size : (KH, KW) or int
    stride, padding, dilation : int

    Returns
    -------
    dw : ndarray (F, C, KH, KW), equal to ``conv2d_backward``'s dw.
    """
    check_images(x, "x")
    check_images(dout, "dout")
    kh, kw = (kernel_size, kernel_size) if np.ndim(kernel_size) == 0 else kernel_size
    xp = pad_images(x, check_int("padding", padding, 0))
    images_as_channels = np.ascontiguousarray(xp.transpose(1, 0, 2, 3))       # (C, N, Hp, Wp)
    dout_as_kernels = np.ascontiguousarray(dout.transpose(1, 0, 2, 3))        # (F, N, H_out, W_out)
    corr, _ = conv2d_forward(images_as_channels, dout_as_kernels, None,
                             stride=check_int("dilation", dilation, 1),
                             dilation=check_int("stride", stride, 1))         # (C, F, >=KH, >=KW)
    return np.ascontiguousarray(corr[:, :, :kh, :kw].transpose(1, 0, 2, 3))
