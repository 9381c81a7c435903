"""Argument checks shared by the array operations (one place, clear messages)."""
import numbers

import numpy as np


def check_int(name, value, minimum):
    """Return ``value`` as int, or raise ValueError naming ``name`` and the valid range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def check_images(x, name="x"):
    """Require an NCHW array: shape (N, C, H, W) with N >= 1."""
    if not isinstance(x, np.ndarray):
        raise ValueError(f"{name} must be a numpy array of shape (N, C, H, W), "
                         f"got {type(x).__name__}")
    if x.ndim != 4:
        raise ValueError(
            f"{name} must have 4 dimensions (N, C, H, W), got {x.ndim}-D shape {x.shape}; "
            "a single image needs a batch axis: x[None]")
    if x.shape[0] < 1:
        raise ValueError(f"{name} must hold at least one image (N >= 1), got shape {x.shape}")
    return x


def check_window_fits(size, padding, k_eff, what="kernel"):
    """Raise if a window of effective size ``k_eff`` is larger than the padded input."""
    if k_eff > size + 2 * padding:
        raise ValueError(
            f"{what} size {k_eff} (effective) is larger than the padded input "
            f"{size} + 2*{padding} = {size + 2 * padding}; use a smaller kernel_size/dilation "
            "or more padding")
