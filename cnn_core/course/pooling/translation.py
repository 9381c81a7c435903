"""Shift images by whole pixels and measure how much a representation changes.

Notebook 04 asks how sensitive feature maps are to a small shift of the input, before and
after pooling: :func:`shift_images` makes the shifted copy of a batch, :func:`relative_change`
says how different two maps (or two batches of maps) are, on a scale where 0 means identical
and 1 means a change as large as the original.
"""
import numpy as np


def _slices(shift, length):
    """(destination, source) slices that move content by ``shift`` pixels along one axis."""
    return (slice(max(shift, 0), length + min(shift, 0)),
            slice(max(-shift, 0), length - max(shift, 0)))


def shift_images(x, rows=0, cols=0):
    """Move the content of every image down by ``rows`` and right by ``cols`` pixels.

    Negative values move it up / left.  The uncovered border is filled with zeros; content
    moved past the border is lost.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    rows, cols : int, with |rows| < H and |cols| < W

    Returns
    -------
    ndarray, shape (N, C, H, W), same dtype as ``x`` (a new array).
    """
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (N, C, H, W), got shape {x.shape}")
    height, width = x.shape[2:]
    for name, shift, size in (("rows", rows, height), ("cols", cols, width)):
        if not isinstance(shift, (int, np.integer)) or abs(shift) >= size:
            raise ValueError(f"{name} must be a whole number in [{1 - size}, {size - 1}] for "
                             f"images of size {height}x{width}, got {shift!r}")
    out = np.zeros_like(x)
    (row_to, row_from), (col_to, col_from) = _slices(rows, height), _slices(cols, width)
    out[..., row_to, col_to] = x[..., row_from, col_from]
    return out


def relative_change(reference, changed):
    """How different ``changed`` is from ``reference``: ||changed - reference|| / ||reference||.

    Both arrays have the same shape (any); the norm runs over all their entries.  0 means
    identical, 1 means the difference is as large as the reference itself.
    """
    reference = np.asarray(reference, dtype=np.float64)
    changed = np.asarray(changed, dtype=np.float64)
    if reference.shape != changed.shape:
        raise ValueError(f"changed must have the shape of reference {reference.shape}, "
                         f"got {changed.shape}")
    size = np.linalg.norm(reference)
    if size == 0:
        raise ValueError("reference must not be all zeros (its size is the unit of change)")
    return float(np.linalg.norm(changed - reference) / size)
