"""Data for the course: bundled MNIST digits, an IDX reader, synthetic shapes, a photo, batching.

Images come out in NCHW layout, ``x.shape == (N, C, H, W)``, ready for the layers.

- ``load_digits``: 5,000 real MNIST digits bundled in ``cnn_core/assets/`` (package data,
  checksum-verified),
  with a fixed stratified split of 4,000 train / 1,000 test images.
- ``read_idx``: reads IDX files, the format of the original MNIST downloads (raw or gzip'd).
- ``make_shapes``: a synthetic set of lines, curves, squares, circles and triangles.
- ``load_photo`` / ``to_nchw``: the photo of Grace Hopper that ships with matplotlib.
- ``iterate_minibatches`` / ``shift_augment``: batching and a simple data augmentation.

Nothing here touches numpy's global random state: randomness comes from a
``numpy.random.Generator`` passed in as ``rng``.
"""
import gzip
import math
import zlib
from pathlib import Path

import numpy as np

from .bundled import DataIntegrityError, assets_dir, read_verified  # noqa: F401 (re-exported)
from .validation import (
    check_array,
    check_choice,
    check_float_dtype,
    check_int,
    check_real,
    check_rng,
)

DIGIT_CLASSES = tuple("0123456789")
SHAPE_CLASSES = ("line", "curve", "square", "circle", "triangle")
SPLIT_SEED = 2026
N_TEST_PER_CLASS = 100
IMAGES_FILE = "mnist5k-images-idx3-ubyte.gz"
LABELS_FILE = "mnist5k-labels-idx1-ubyte.gz"
SHA256 = {
    IMAGES_FILE: "66f9ac540966baaec46dc847ef780170f83ff188761931c0115f3f60497c4797",
    LABELS_FILE: "0bd1c3ebe2126da16fe15ba87422f75d0a4b37066970e0e29aa16577a2857965",
}
# IDX type byte -> element type (multi-byte types are stored big-endian).
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_SPLITS = ("train", "test", "all")


def default_data_dir():
    """Return the folder of the bundled digits, ``cnn_core/assets`` (package data).

    A ``pathlib.Path`` for every ordinary install; see ``cnn_core.bundled.assets_dir``.
    """
    return assets_dir()


# ----------------------------------------------------------------------------- IDX files
def read_idx(path):
    """Read an IDX file (the MNIST format), raw or gzip'd (recognised by its magic bytes).

    Header: two zero bytes, a type byte (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
    0x0D float32, 0x0E float64), the number of dimensions, each dimension as big-endian uint32.
    ``path`` may be e.g. ``train-images-idx3-ubyte.gz`` from the full MNIST download.

    Returns an ndarray in native byte order with the header's shape:
    (N, H, W) for images, (N,) for labels.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"IDX file not found: {path} (check the path and file name, "
                                "e.g. 'train-images-idx3-ubyte.gz')")
    return _parse_idx(path.read_bytes(), path)


def _parse_idx(raw, path):
    """Parse the bytes of an IDX file (raw or gzip'd); ``path`` only names it in errors."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as err:
            raise ValueError(f"{path} is a damaged or truncated gzip file: {err}") from None
    if len(raw) < 4:
        raise ValueError(f"{path} is truncated: expected at least 4 header bytes, found {len(raw)}")
    magic = int.from_bytes(raw[:4], "big")
    if raw[:2] != b"\x00\x00" or raw[2] not in _IDX_DTYPES or raw[3] == 0:
        raise ValueError(f"{path} is not an IDX file: magic number 0x{magic:08X} (expected "
                         "0x0000TTDD: type TT in 08..0E, DD >= 1 dimensions; e.g. 0x00000803 "
                         "for MNIST images, 0x00000801 for labels)")
    ndim, dtype = raw[3], np.dtype(_IDX_DTYPES[raw[2]])
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(f"{path} is truncated: expected {header_size} header bytes, "
                         f"found {len(raw)}")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = header_size + math.prod(shape) * dtype.itemsize
    if len(raw) != expected:
        problem = "is truncated" if len(raw) < expected else "has trailing bytes"
        raise ValueError(f"{path} {problem}: expected {expected} bytes for shape {shape} "
                         f"({header_size} header + data), found {len(raw)}")
    data = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


# ----------------------------------------------------------------------------- MNIST digits
def stratified_split(labels, n_test_per_class, rng):
    """Split indices so that every class has exactly ``n_test_per_class`` test samples.

    ``labels`` has shape (N,); ``n_test_per_class`` is an int from 0 to the smallest class
    size; ``rng`` is a numpy.random.Generator. Returns ``(train_idx, test_idx)``: disjoint
    int64 indices into ``labels`` that together cover all N samples, each set shuffled.
    Raises ValueError / TypeError naming n_test_per_class or rng.
    """
    labels = np.asarray(labels)
    check_rng(rng, "stratified_split")
    counts = np.unique(labels, return_counts=True)[1]
    check_int("n_test_per_class", n_test_per_class, 0, int(counts.min()))
    train, test = [], []
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        test.append(idx[:n_test_per_class])
        train.append(idx[n_test_per_class:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def load_digits(split="train", normalize=True, dtype=np.float32, data_dir=None):
    """Load the bundled 5,000 MNIST digits (500 per class), checksum-verified.

    The split is fixed: ``stratified_split(y_all, N_TEST_PER_CLASS,
    np.random.Generator(np.random.PCG64(SPLIT_SEED)))`` gives 4,000 train and
    1,000 test digits (100 per class), each set shuffled, identical on every call.

    Parameters
    ----------
    split : {"train", "test", "all"}
        "all" returns the 5,000 digits in file order, which is sorted by label.
    normalize : bool
        True: floats in [0, 1] of type ``dtype``. False: the raw uint8 pixels 0..255.
    dtype : floating dtype
        Used when ``normalize`` is True.
    data_dir : str or Path, optional
        A folder holding copies of the two IDX files; default: the copy bundled in the
        package (``default_data_dir()``), read with ``importlib.resources``.

    Returns
    -------
    x : ndarray, shape (N, 1, 28, 28)
    y : ndarray of int64, shape (N,), the digit 0..9 (names in ``DIGIT_CLASSES``)
    """
    check_choice("split", split, _SPLITS)
    check_choice("normalize", normalize, (True, False))
    if normalize:
        dtype = check_float_dtype(dtype)
    images = _parse_idx(read_verified(IMAGES_FILE, SHA256[IMAGES_FILE], data_dir), IMAGES_FILE)
    labels = _parse_idx(read_verified(LABELS_FILE, SHA256[LABELS_FILE], data_dir),
                        LABELS_FILE).astype(np.int64)
    if split == "all":
        idx = np.arange(len(labels))
    else:
        rng = np.random.Generator(np.random.PCG64(SPLIT_SEED))
        train_idx, test_idx = stratified_split(labels, N_TEST_PER_CLASS, rng)
        idx = train_idx if split == "train" else test_idx
    x = images[idx, None, :, :]
    if normalize:
        x = x.astype(dtype) / np.asarray(255, dtype=dtype)
    return x, labels[idx]


# ----------------------------------------------------------------------------- batching
def iterate_minibatches(x, y, batch_size, rng=None, shuffle=True, drop_last=False):
    """Yield ``(xb, yb)`` mini-batches that together cover ``x`` and ``y`` once (one epoch).

    ``x`` has shape (N, ...), ``y`` shape (N, ...), ``batch_size`` is an int >= 1.
    ``shuffle=True`` draws a fresh order from ``rng`` (a numpy.random.Generator, required);
    ``shuffle=False`` keeps the order of ``x``. ``drop_last=True`` skips a last batch
    smaller than ``batch_size``.
    Raises ValueError / TypeError naming batch_size, x, y or rng.
    """
    batch_size = check_int("batch_size", batch_size, 1)
    check_array(x, "x")
    check_array(y, "y")
    check_choice("shuffle", shuffle, (True, False))
    check_choice("drop_last", drop_last, (True, False))
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length (first dimension): "
                         f"len(x) = {len(x)}, len(y) = {len(y)}")
    if shuffle:
        check_rng(rng, "iterate_minibatches(shuffle=True)")
    order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
    return _batches(x, y, order, batch_size, drop_last)


def _batches(x, y, order, batch_size, drop_last):
    """The generator behind iterate_minibatches (so that arguments are checked at call time)."""
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        if drop_last and len(idx) < batch_size:
            return
        yield x[idx], y[idx]


# ----------------------------------------------------------------------------- augmentation
def _shift_slices(shift, length):
    """(destination, source) slices that move content by ``shift`` pixels along one axis."""
    return (slice(max(shift, 0), length + min(shift, 0)),
            slice(max(-shift, 0), length - max(shift, 0)))


def shift_augment(x, max_shift, rng):
    """Shift each image by random whole pixels, filling the uncovered border with zeros.

    Every sample gets its own offsets (dy, dx), each drawn uniformly from
    ``-max_shift..max_shift``; positive dy moves content down, positive dx right.
    Content shifted past the border is lost.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    max_shift : int, 0 <= max_shift < min(H, W)
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, shape (N, C, H, W), same dtype; a copy of ``x`` when ``max_shift`` is 0.
    Raises ValueError / TypeError naming x, max_shift or rng.
    """
    x = check_array(np.asarray(x), "x")
    if x.ndim != 4:
        raise ValueError(f"x must have shape (N, C, H, W), got shape {x.shape}")
    H, W = x.shape[2:]
    check_int("max_shift", max_shift, 0, min(H, W) - 1)
    check_rng(rng, "shift_augment")
    dy, dx = rng.integers(-max_shift, max_shift + 1, size=(2, len(x)))
    out = np.zeros_like(x)
    for sy in range(-max_shift, max_shift + 1):
        for sx in range(-max_shift, max_shift + 1):
            sel = np.flatnonzero((dy == sy) & (dx == sx))
            (dst_r, src_r), (dst_c, src_c) = _shift_slices(sy, H), _shift_slices(sx, W)
            out[sel, :, dst_r, dst_c] = x[sel, :, src_r, src_c]
    return out


# ----------------------------------------------------------------------------- synthetic shapes
def _unit_outline(name, rng):
    """Points (P, 2) of a polyline for one shape, centred, fitting in the unit disc."""
    if name == "line":
        return np.array([[-1.0, 0.0], [1.0, 0.0]])
    if name == "curve":  # an arc of 110 to 200 degrees
        t = np.linspace(0, np.deg2rad(rng.uniform(110, 200)), 24)
    elif name == "circle":
        t = np.linspace(0, 2 * np.pi, 33)
    else:
        corners = 4 if name == "square" else 3
        t = 2 * np.pi * np.arange(corners + 1) / corners
        if name == "triangle":  # jitter the corners a little so triangles vary
            t[:-1] += rng.uniform(-0.25, 0.25, size=corners)
            t[-1] = t[0] + 2 * np.pi
    pts = np.stack([np.cos(t), np.sin(t)], axis=1)
    pts -= (pts.min(axis=0) + pts.max(axis=0)) / 2
    return pts / np.linalg.norm(pts, axis=1).max()


def _draw_polyline(points, half_width, size):
    """Image (size, size) that is 1 where a pixel centre lies within half_width of the polyline."""
    rows, cols = np.mgrid[0:size, 0:size]
    grid = np.stack([rows.ravel(), cols.ravel()], axis=1).astype(float)     # (H*W, 2)
    a, b = points[:-1], points[1:]                                          # (S, 2) each
    ab = b - a
    t = ((grid[:, None, :] - a) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12)
    nearest = a + np.clip(t, 0, 1)[..., None] * ab                          # (H*W, S, 2)
    dist = np.linalg.norm(grid[:, None, :] - nearest, axis=-1).min(axis=1)
    return (dist <= half_width).astype(np.float32).reshape(size, size)


def make_shapes(n_per_class, size=28, rng=None, noise=0.0):
    """Draw a synthetic data set of outlined shapes: ``SHAPE_CLASSES``.

    Each image is one shape (line, curve, square, circle or triangle) drawn as a
    stroke about ``size / 14`` pixels wide, at a random position, size and
    orientation, on a black background. Useful for tiny, fast demos.

    Parameters
    ----------
    n_per_class : int >= 1
    size : int >= 12, image height and width
    rng : numpy.random.Generator (required)
    noise : float >= 0, std of Gaussian noise added (then clipped to [0, 1])

    Returns
    -------
    x : float32, shape (N, 1, size, size), N = 5 * n_per_class, values in [0, 1]
    y : int64, shape (N,), index into ``class_names``; samples in random order
    class_names : ``SHAPE_CLASSES``
    Raises ValueError / TypeError naming n_per_class, size, noise or rng.
    """
    check_int("n_per_class", n_per_class, 1)
    check_int("size", size, 12)
    check_real("noise", noise, 0.0)
    check_rng(rng, "make_shapes")
    y = rng.permutation(np.repeat(np.arange(len(SHAPE_CLASSES)), n_per_class))
    half_width = size / 28
    x = np.zeros((len(y), 1, size, size), dtype=np.float32)
    for i, label in enumerate(y):
        radius = rng.uniform(0.22, 0.40) * size
        margin = radius + half_width + 0.5
        centre = rng.uniform(margin, size - 1 - margin, size=2)
        angle = rng.uniform(0, 2 * np.pi)
        rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        points = _unit_outline(SHAPE_CLASSES[label], rng) @ rotation.T * radius + centre
        x[i, 0] = _draw_polyline(points, half_width, size)
    if noise > 0:
        x = np.clip(x + rng.normal(0, noise, size=x.shape).astype(np.float32), 0, 1)
    return x, y.astype(np.int64), SHAPE_CLASSES


# ----------------------------------------------------------------------------- photo
def load_photo(size=None, gray=False):
    """Load the photo of Grace Hopper that ships with matplotlib, as floats in [0, 1].

    Parameters
    ----------
    size : int, optional
        None: the full 600 x 512 photo. Otherwise an exact ``size`` x ``size`` image:
        with ``side = min(H, W)`` and ``k = side // size``, the centred square of side
        ``k * size`` is cropped and averaged over k x k pixel blocks.
        Valid range: 1 <= size <= min(H, W).
    gray : bool
        Return luminance ``0.299 R + 0.587 G + 0.114 B`` instead of colour.

    Returns
    -------
    ndarray of float32, shape (H, W, 3), or (H, W) when ``gray`` is True.
    """
    import matplotlib.cbook  # imported here: the rest of the module needs only numpy
    import matplotlib.image

    path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    img = matplotlib.image.imread(path).astype(np.float32) / 255
    side = min(img.shape[:2])
    if size is not None:
        check_int("size (or None)", size, 1, side)
        k = side // size
        top, left = (img.shape[0] - k * size) // 2, (img.shape[1] - k * size) // 2
        crop = img[top:top + k * size, left:left + k * size]
        img = crop.reshape(size, k, size, k, 3).mean(axis=(1, 3))
    if gray:
        img = img @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return img.astype(np.float32)


def to_nchw(img):
    """Turn one image (H, W) or (H, W, C) into a batch of one, shape (1, C, H, W).
    Raises ValueError for any other number of dimensions.
    """
    img = np.asarray(img)
    if img.ndim == 2:
        return img[None, None, :, :]
    if img.ndim == 3:
        return np.transpose(img, (2, 0, 1))[None]
    raise ValueError(f"img must have shape (H, W) or (H, W, C), got shape {img.shape}")
