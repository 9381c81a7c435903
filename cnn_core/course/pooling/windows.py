"""The numbers behind the pooling diagrams: who wins each window, and the setting in words.

No drawing here: :mod:`cnn_core.course.pooling.plots` draws what these functions compute, and
the explorer widget shows :func:`describe`'s sentences.  Sizes come from
:mod:`cnn_core.arithmetic`, windows from the engine's ``sliding_windows``.
"""
import numpy as np

from cnn_core.arithmetic import pool_output_size, unreached_pixels
from cnn_core.functional import sliding_windows

MODES = ("max", "average")


def window_winners(x, kernel_size, stride):
    """Position of the largest value in every pooling window.

    Ties go to the first cell in reading order, as in the engine's max-pool backward pass.

    Parameters
    ----------
    x : ndarray (H, W)
    kernel_size, stride : int >= 1, with kernel_size <= min(H, W)

    Returns
    -------
    ndarray of int, shape (H_out, W_out, 2): (row, col) in ``x`` of each window's winner.
    """
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (H, W), got shape {x.shape}")
    if not 1 <= kernel_size <= min(x.shape) or stride < 1:
        raise ValueError(f"kernel_size must be in [1, {min(x.shape)}] and stride >= 1, "
                         f"got kernel_size={kernel_size}, stride={stride}")
    windows = sliding_windows(x[None, None], kernel_size, kernel_size, stride, 1)[0, 0]
    k = kernel_size
    flat = windows.reshape(k * k, *windows.shape[2:])          # (K*K, H_out, W_out)
    a, b = np.divmod(flat.argmax(axis=0), k)
    h_out, w_out = flat.shape[1:]
    rows = np.arange(h_out)[:, None] * stride + a
    cols = np.arange(w_out)[None, :] * stride + b
    return np.stack([rows, cols], axis=-1)


def describe(input_shape, window_size, stride):
    """A few plain sentences about one pooling setting: sizes, overlap, skipped cells, parameters.

    Parameters
    ----------
    input_shape : (H, W)
    window_size, stride : int >= 1, with window_size <= min(H, W)

    Returns
    -------
    str, the sentences joined by "; ".  The output size and the rows/columns no window reaches
    come from :func:`cnn_core.arithmetic.pool_output_size` and
    :func:`cnn_core.arithmetic.unreached_pixels` (which raise ValueError for a bad setting).
    """
    h, w = input_shape
    h_out, w_out = (pool_output_size(n, window_size, stride) for n in (h, w))
    if stride < window_size:
        overlap = "windows overlap (stride < window size): some cells are in several windows"
    elif stride == window_size:
        overlap = "windows tile the input without overlap"
    else:
        overlap = "windows leave gaps (stride > window size): some cells are skipped"
    unreached_rows, unreached_cols = (unreached_pixels(n, window_size, stride) for n in (h, w))
    lines = [f"input {h}x{w}, window size {window_size}, stride {stride} "
             f"-> output {h_out}x{w_out}", overlap]
    if unreached_rows or unreached_cols:
        lines.append(f"{unreached_rows} row(s) and {unreached_cols} column(s) at the end are "
                     "never in a window (hatched)")
    lines.append("pooling has no trainable parameters: 0 weights to learn")
    return "; ".join(lines)
