"""Hand-designed 3x3 filters and a small function that runs them over a photo.

Before a network learns its filters, it helps to build some by hand.  Each kernel here is a
3x3 grid of weights; sliding it over an image (a cross-correlation: the kernel is not flipped)
gives a feature map that is large where the image patch looks like the kernel.

Edge kernels use the gradient convention: the feature map is positive where brightness
*increases* in the kernel's direction (downwards, rightwards, ...) and negative where it
decreases; ReLU keeps only the positive side.

    name               responds to
    identity           the pixel itself (the feature map is the image)
    horizontal_edge    horizontal edges: brighter below than above
    vertical_edge      vertical edges: brighter right than left
    diagonal_down      edges running like "\\": brighter towards the top right
    diagonal_up        edges running like "/": brighter towards the bottom right
    blur               the 3x3 neighbourhood's average (smooths noise and detail)
    sharpen            the pixel minus its neighbours, added back (boosts detail)

All the work is done by the engine's :func:`cnn_core.functional.conv2d_forward`.
"""
import numpy as np

from cnn_core.functional import conv2d_forward

# Stored as tuples so nobody can change them by accident; get_filter() returns a fresh array.
_KERNELS = {
    "identity": ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
    "horizontal_edge": ((-1, -1, -1), (0, 0, 0), (1, 1, 1)),
    "vertical_edge": ((-1, 0, 1), (-1, 0, 1), (-1, 0, 1)),
    "diagonal_down": ((0, 1, 1), (-1, 0, 1), (-1, -1, 0)),
    "diagonal_up": ((-1, -1, 0), (-1, 0, 1), (0, 1, 1)),
    "blur": ((1 / 9, 1 / 9, 1 / 9), (1 / 9, 1 / 9, 1 / 9), (1 / 9, 1 / 9, 1 / 9)),
    "sharpen": ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
}

FILTER_NAMES = tuple(_KERNELS)

DESCRIPTIONS = {
    "identity": "copies each pixel",
    "horizontal_edge": "horizontal edges (brighter below)",
    "vertical_edge": "vertical edges (brighter to the right)",
    "diagonal_down": "diagonal edges like \\",
    "diagonal_up": "diagonal edges like /",
    "blur": "average of the 3x3 neighbourhood",
    "sharpen": "pixel minus its neighbours, boosted",
}


def get_filter(name):
    """Return the named 3x3 kernel as a new float64 array (KH, KW) = (3, 3).

    ``name`` is one of :data:`FILTER_NAMES`.
    """
    if name not in _KERNELS:
        raise ValueError(f"name must be one of {', '.join(FILTER_NAMES)}; got {name!r}")
    return np.array(_KERNELS[name], dtype=np.float64)


def filter_bank(names=FILTER_NAMES):
    """Stack named kernels into conv weights of shape (F, 1, 3, 3), one filter per name."""
    if isinstance(names, str):
        raise ValueError(f"names must be a list of filter names, not the single string {names!r}")
    names = list(names)
    if not names:
        raise ValueError("names must hold at least one filter name")
    return np.stack([get_filter(name) for name in names])[:, None]


def _check_image(image):
    image = np.asarray(image)
    if image.ndim not in (2, 3) or image.size == 0:
        raise ValueError(f"image must have shape (H, W) or (H, W, C), got shape {image.shape}")
    if not np.all(np.isfinite(image)):
        raise ValueError("image must hold finite numbers (no NaN or inf)")
    return image if image.ndim == 3 else image[:, :, None]


def _check_kernels(kernels):
    kernels = np.asarray(kernels, dtype=np.float64)
    if kernels.ndim != 3 or min(kernels.shape) < 1:
        raise ValueError(f"kernels must have shape (F, KH, KW), got shape {kernels.shape}")
    if not np.all(np.isfinite(kernels)):
        raise ValueError("kernels must hold finite numbers (no NaN or inf)")
    return kernels


def apply_filters(image, kernels, relu=False, padding=0):
    """Slide each 2-D kernel over an image with the engine's ``conv2d_forward``.

    A colour image (C channels) gets each kernel on every channel with weight 1/C, so a
    filter sees the average brightness; pass a gray image to filter one channel exactly.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C), the layout of :func:`cnn_core.data.load_photo`
    kernels : ndarray, shape (F, KH, KW)
    relu : bool
        Replace negative values by zero (keep only where the kernel matches).
    padding : int >= 0
        Zeros added around the image; 0 ("valid") gives H_out = H - KH + 1.

    Returns
    -------
    ndarray, shape (F, H_out, W_out): one feature map per kernel.
    """
    image = _check_image(image)
    kernels = _check_kernels(kernels)
    n_channels = image.shape[2]
    x = np.transpose(image, (2, 0, 1))[None].astype(np.float64)          # (1, C, H, W)
    w = np.repeat(kernels[:, None], n_channels, axis=1) / n_channels      # (F, C, KH, KW)
    maps, _ = conv2d_forward(x, w, None, stride=1, padding=padding)
    maps = maps[0]
    return np.maximum(maps, 0.0) if relu else maps


def apply_filter(image, kernel, relu=False, padding=0):
    """One kernel (KH, KW) over an image (H, W) or (H, W, C) -> feature map (H_out, W_out).

    See :func:`apply_filters` for the parameters.
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2:
        raise ValueError(f"kernel must have shape (KH, KW), got shape {kernel.shape}")
    return apply_filters(image, kernel[None], relu=relu, padding=padding)[0]
