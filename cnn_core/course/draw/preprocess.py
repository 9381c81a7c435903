"""From pen strokes to a 28x28 digit, the way MNIST's digits were made.

LeCun, Cortes and Burges describe it: each handwritten digit was scaled to fit a 20x20 box
keeping its aspect ratio (anti-aliasing gives grey levels), then placed in a 28x28 field so
that its centre of mass sits at the centre.  A network trained on MNIST expects exactly that,
so a drawing goes through the same three steps before the network sees it:

1. crop: keep the bounding box of the ink;
2. scale: shrink (or grow) it so that its longer side is 20 pixels, averaging the pixels that
   fall into each new pixel (area averaging);
3. centre: put it into a 28x28 field, shifted by whole pixels so that its centre of mass is as
   close as possible to the field's centre (13.5, 13.5).

Strokes are lists of (x, y) points in canvas pixels (x to the right, y down), as a drawing pad
records them; :func:`rasterize_strokes` paints them with a round pen into an (H, W) array of
ink in [0, 1].  Everything here is numpy only and works without a browser.
"""
import math
import numbers
from dataclasses import dataclass

import numpy as np

BOX = 20              # MNIST: the digit is scaled into a 20x20 box ...
FIELD = 28            # ... and centred in a 28x28 field
INK_THRESHOLD = 0.05  # pixels above this count as ink when cropping


@dataclass(frozen=True)
class Steps:
    """Every intermediate image of :func:`preprocess`, for a student to look at.

    canvas   (H, W) the drawing as painted, ink in [0, 1]
    box      (top, left, bottom, right) inclusive bounding box of the ink on the canvas
    cropped  (h, w) the canvas inside ``box``
    scaled   (h', w') ``cropped`` with its longer side scaled to 20, max ink 1
    digit    (28, 28) ``scaled`` placed so its centre of mass is near (13.5, 13.5)
    shift    (row, col) where the top-left corner of ``scaled`` went in ``digit``
    center_of_mass (row, col) of ``digit``
    """

    canvas: np.ndarray
    box: tuple
    cropped: np.ndarray
    scaled: np.ndarray
    digit: np.ndarray
    shift: tuple
    center_of_mass: tuple


def _check_size(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def check_strokes(strokes):
    """Return ``strokes`` as a list of float arrays (P, 2) of (x, y) points, or raise."""
    if isinstance(strokes, np.ndarray) or not isinstance(strokes, (list, tuple)):
        raise TypeError(f"strokes must be a list of strokes, each a list of (x, y) points, "
                        f"got {type(strokes).__name__}")
    checked = []
    for i, stroke in enumerate(strokes):
        try:
            points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        except (TypeError, ValueError):
            raise ValueError(f"strokes[{i}] must be a list of (x, y) number pairs, "
                             f"got {stroke!r:.80}") from None
        if len(points) == 0 or not np.all(np.isfinite(points)):
            raise ValueError(f"strokes[{i}] must hold at least one point and only finite "
                             f"coordinates, got {len(points)} points")
        checked.append(points)
    return checked


def _segment_distance(rows, cols, start, end):
    """Distance from every pixel centre (rows, cols grids) to the segment start-end (x, y)."""
    direction = end - start
    length2 = float(direction @ direction)
    px, py = cols - start[0], rows - start[1]
    t = 0.0 if length2 == 0 else np.clip((px * direction[0] + py * direction[1]) / length2, 0, 1)
    return np.hypot(px - t * direction[0], py - t * direction[1])


def rasterize_strokes(strokes, height, width, pen_width):
    """Paint ``strokes`` with a round pen of diameter ``pen_width`` pixels.

    Returns (height, width) float64 ink: 1 within the pen, falling to 0 over one pixel at its
    edge (anti-aliased), 0 elsewhere.  Only the pixels near each segment are computed.
    """
    height, width = _check_size("height", height), _check_size("width", width)
    if isinstance(pen_width, bool) or not isinstance(pen_width, numbers.Real) or not (
            0 < pen_width <= max(height, width)):
        raise ValueError(f"pen_width must be a number in (0, {max(height, width)}], "
                         f"got {pen_width!r}")
    ink = np.zeros((height, width))
    radius = pen_width / 2
    for points in check_strokes(strokes):
        pairs = zip(points, points[1:]) if len(points) > 1 else [(points[0], points[0])]
        for start, end in pairs:
            low = np.floor(np.minimum(start, end) - radius - 1).astype(int)
            high = np.ceil(np.maximum(start, end) + radius + 1).astype(int)
            c0, r0 = max(low[0], 0), max(low[1], 0)
            c1, r1 = min(high[0], width), min(high[1], height)
            if c0 >= c1 or r0 >= r1:
                continue
            rows, cols = np.mgrid[r0:r1, c0:c1] + 0.5
            coverage = np.clip(radius + 0.5 - _segment_distance(rows, cols, start, end), 0, 1)
            np.maximum(ink[r0:r1, c0:c1], coverage, out=ink[r0:r1, c0:c1])
    return ink


def check_canvas(pixels, name="pixels"):
    """Return ``pixels`` as a float64 (H, W) array of ink in [0, 1], or raise ValueError."""
    if not isinstance(pixels, np.ndarray) or pixels.ndim != 2 or pixels.dtype.kind not in "uif":
        shape = getattr(pixels, "shape", None)
        raise ValueError(f"{name} must be a 2-D numeric array (H, W) of ink in [0, 1], got "
                         f"{type(pixels).__name__} with shape {shape}")
    pixels = pixels.astype(np.float64)
    if pixels.size == 0 or not np.all(np.isfinite(pixels)):
        raise ValueError(f"{name} must be a non-empty array of finite values, got shape "
                         f"{pixels.shape} with {np.count_nonzero(~np.isfinite(pixels))} non-finite")
    if pixels.min() < 0 or pixels.max() > 1:
        raise ValueError(f"{name} must hold ink in [0, 1] (0 = paper, 1 = ink), got values "
                         f"from {pixels.min():g} to {pixels.max():g}")
    return pixels


def has_ink(pixels):
    """True if any pixel of the (H, W) canvas is above the ink threshold."""
    return bool(np.any(check_canvas(pixels) > INK_THRESHOLD))


def ink_box(pixels):
    """(top, left, bottom, right), inclusive, of the pixels above the ink threshold."""
    pixels = check_canvas(pixels)
    rows = np.flatnonzero(np.any(pixels > INK_THRESHOLD, axis=1))
    cols = np.flatnonzero(np.any(pixels > INK_THRESHOLD, axis=0))
    if len(rows) == 0:
        raise ValueError("pixels has no ink (every value <= "
                         f"{INK_THRESHOLD}): draw a digit first")
    return int(rows[0]), int(cols[0]), int(rows[-1]), int(cols[-1])


def area_matrix(n_in, n_out):
    """(n_out, n_in) matrix that resamples a line of ``n_in`` pixels to ``n_out`` pixels.

    Output pixel i covers the input interval [i * n_in / n_out, (i + 1) * n_in / n_out); its
    value is the average of the input pixels weighted by how much of each lies inside.
    """
    edges = np.arange(n_out + 1) * (n_in / n_out)
    lo, hi = edges[:-1, None], edges[1:, None]
    pixel = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, pixel + 1) - np.maximum(lo, pixel), 0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def scale_into_box(cropped, box=BOX):
    """Resize (h, w) so that its longer side is ``box`` pixels, keeping the aspect ratio.

    The shorter side becomes ``max(1, round(box * short / long))``.  The result's brightest
    pixel is set to 1, so a thin drawing still has strokes as bright as MNIST's.
    """
    h, w = cropped.shape
    scale = box / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    scaled = area_matrix(h, new_h) @ cropped @ area_matrix(w, new_w).T
    return scaled / scaled.max()


def center_of_mass(image):
    """(row, col) of the ink-weighted mean pixel position of a 2-D image (pixel i at i)."""
    total = image.sum()
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def place_centered(scaled, field=FIELD):
    """Put ``scaled`` (h, w <= field) into a (field, field) array, shifted by whole pixels so
    that its centre of mass lands nearest to the field's centre ((field - 1) / 2 on each axis).

    Returns (digit, (row, col) of the top-left corner).  Ink shifted past the edge is cut off.
    """
    com = center_of_mass(scaled)
    centre = (field - 1) / 2
    top, left = (int(math.floor(centre - c + 0.5)) for c in com)
    digit = np.zeros((field, field))
    h, w = scaled.shape
    r0, c0 = max(top, 0), max(left, 0)
    r1, c1 = min(top + h, field), min(left + w, field)
    if r0 < r1 and c0 < c1:
        digit[r0:r1, c0:c1] = scaled[r0 - top:r1 - top, c0 - left:c1 - left]
    return digit, (top, left)


def preprocess(pixels):
    """Crop, scale into 20x20 and centre in 28x28: every step of MNIST's preprocessing.

    Parameters
    ----------
    pixels : ndarray (H, W), ink in [0, 1] (0 = paper)

    Returns
    -------
    Steps; ``steps.digit`` (28, 28) is what the network reads (add axes: digit[None, None]).
    """
    pixels = check_canvas(pixels)
    top, left, bottom, right = ink_box(pixels)
    cropped = pixels[top:bottom + 1, left:right + 1]
    scaled = scale_into_box(cropped)
    digit, shift = place_centered(scaled)
    return Steps(pixels, (top, left, bottom, right), cropped, scaled, digit, shift,
                 center_of_mass(digit))
