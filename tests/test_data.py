"""Tests for cnn_core.data: bundled digits, IDX reader, batching, augmentation, shapes, photo."""
import gzip
import hashlib
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from cnn_core import data
from cnn_core.data import (
    DIGIT_CLASSES,
    N_TEST_PER_CLASS,
    SHAPE_CLASSES,
    SPLIT_SEED,
    DataIntegrityError,
    iterate_minibatches,
    load_digits,
    load_photo,
    make_shapes,
    read_idx,
    shift_augment,
    stratified_split,
    to_nchw,
)


@pytest.fixture(scope="module")
def digits():
    """The three splits, loaded once for the module."""
    return {split: load_digits(split) for split in ("train", "test", "all")}


def idx_bytes(array, type_byte):
    """Encode ``array`` as an IDX file by hand (big-endian header and data)."""
    header = struct.pack(">HBB", 0, type_byte, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


# ----------------------------------------------------------------------------- bundled digits
def test_digit_splits_have_expected_shapes_and_class_counts(digits):
    for split, n in (("train", 4000), ("test", 1000), ("all", 5000)):
        x, y = digits[split]
        assert x.shape == (n, 1, 28, 28) and x.dtype == np.float32
        assert y.shape == (n,) and y.dtype == np.int64
        assert np.array_equal(np.bincount(y, minlength=10), np.full(10, n // 10))
        assert x.min() == 0.0 and x.max() == 1.0
    assert DIGIT_CLASSES == tuple("0123456789")


def test_all_split_is_file_order_sorted_by_label(digits):
    _, y_all = digits["all"]
    assert np.array_equal(y_all, np.repeat(np.arange(10), 500))


def test_unnormalized_digits_are_raw_uint8(digits):
    x_raw, y_raw = load_digits("test", normalize=False)
    x, y = digits["test"]
    assert x_raw.dtype == np.uint8 and x_raw.max() == 255
    assert np.array_equal(x_raw.astype(np.float32) / 255, x)
    assert np.array_equal(y_raw, y)
    x64, _ = load_digits("test", dtype=np.float64)
    assert x64.dtype == np.float64 and np.allclose(x64, x)


def test_split_is_deterministic_and_shuffled(digits):
    x_again, y_again = load_digits("train")
    assert np.array_equal(x_again, digits["train"][0])
    assert np.array_equal(y_again, digits["train"][1])
    # shuffled: the labels are not in sorted blocks
    assert len(np.unique(digits["train"][1][:50])) > 5
    assert len(np.unique(digits["test"][1][:50])) > 5


def test_split_follows_documented_recipe_and_is_disjoint(digits):
    x_all, y_all = digits["all"]
    rng = np.random.Generator(np.random.PCG64(SPLIT_SEED))
    train_idx, test_idx = stratified_split(y_all, N_TEST_PER_CLASS, rng)
    assert np.array_equal(x_all[train_idx], digits["train"][0])
    assert np.array_equal(x_all[test_idx], digits["test"][0])
    assert np.array_equal(y_all[test_idx], digits["test"][1])
    assert not set(train_idx.tolist()) & set(test_idx.tolist())
    assert sorted(np.concatenate([train_idx, test_idx]).tolist()) == list(range(5000))
    # and no test image appears (pixel for pixel) among the training images
    train_rows = {row.tobytes() for row in digits["train"][0]}
    assert not any(row.tobytes() in train_rows for row in digits["test"][0])


def test_invalid_split_and_dtype_are_rejected():
    with pytest.raises(ValueError, match=r"split must be one of .*'train'.*got 'validation'"):
        load_digits("validation")
    with pytest.raises(ValueError, match="dtype"):
        load_digits("train", dtype=np.int32)


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of the bundled data directory."""
    return shutil.copytree(data.default_data_dir(), tmp_path / "data")


def test_intact_copy_loads_like_bundled_data(data_copy, digits):
    x, y = load_digits("test", data_dir=data_copy)
    assert np.array_equal(x, digits["test"][0]) and np.array_equal(y, digits["test"][1])


def test_corrupted_file_raises_clear_integrity_error(data_copy):
    path = data_copy / data.IMAGES_FILE
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(DataIntegrityError) as info:
        load_digits("train", data_dir=data_copy)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert data.IMAGES_FILE in message and data.SHA256[data.IMAGES_FILE] in message
    assert hashlib.sha256(bytes(raw)).hexdigest() in message
    assert "leave out data_dir to use the bundled copy" in message


def test_missing_file_says_which_and_what_to_do(data_copy):
    (data_copy / data.LABELS_FILE).unlink()
    with pytest.raises(FileNotFoundError, match=data.LABELS_FILE + r".*leave out data_dir"):
        load_digits("all", data_dir=data_copy)


def test_default_data_dir_is_package_data():
    assert data.default_data_dir() == Path(data.__file__).parent / "assets"
    assert (data.default_data_dir() / data.IMAGES_FILE).is_file()


# ----------------------------------------------------------------------------- read_idx
@pytest.mark.parametrize("array, type_byte", [
    (np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4), 0x08),
    (np.array([-3, 0, 7], dtype=np.int8), 0x09),
    (np.array([[-300, 2], [1000, -1]], dtype=np.int16), 0x0B),
    (np.array([1.5, -2.25, 1e6], dtype=np.float32), 0x0D),
    (np.array([[np.pi]], dtype=np.float64), 0x0E),
])
def test_read_idx_raw_and_gzip(tmp_path, array, type_byte):
    content = idx_bytes(array, type_byte)
    (tmp_path / "raw.gz").write_bytes(content)            # misleading name: raw bytes
    (tmp_path / "packed.idx").write_bytes(gzip.compress(content))  # gzip without .gz name
    for name in ("raw.gz", "packed.idx"):
        result = read_idx(tmp_path / name)
        assert result.dtype == array.dtype and result.dtype.isnative
        assert np.array_equal(result, array)


def test_read_idx_reads_bundled_files():
    images = read_idx(data.default_data_dir() / data.IMAGES_FILE)
    labels = read_idx(data.default_data_dir() / data.LABELS_FILE)
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (5000,) and set(labels.tolist()) == set(range(10))


def test_read_idx_wrong_magic(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"\x12\x34\x56\x78 some text")
    with pytest.raises(ValueError, match=r"notes.txt is not an IDX file: magic number "
                                         r"0x12345678 \(expected 0x0000"):
        read_idx(path)


def test_read_idx_truncated(tmp_path):
    content = idx_bytes(np.zeros((4, 5, 5), dtype=np.uint8), 0x08)  # 16 + 100 bytes
    (tmp_path / "short").write_bytes(content[:-10])
    with pytest.raises(ValueError, match=r"truncated: expected 116 bytes .* found 106"):
        read_idx(tmp_path / "short")
    (tmp_path / "header").write_bytes(content[:9])
    with pytest.raises(ValueError, match=r"truncated: expected 16 header bytes, found 9"):
        read_idx(tmp_path / "header")
    (tmp_path / "short.gz").write_bytes(gzip.compress(content)[:-12])
    with pytest.raises(ValueError, match="truncated gzip"):
        read_idx(tmp_path / "short.gz")


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="IDX file not found: .*nothing-here"):
        read_idx(tmp_path / "nothing-here")


# ----------------------------------------------------------------------------- minibatches
def test_minibatches_cover_every_sample_once_and_stay_aligned():
    x, y = np.arange(23)[:, None] * 10, np.arange(23)
    batches = list(iterate_minibatches(x, y, 5, rng=np.random.default_rng(0)))
    assert [len(yb) for _, yb in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([yb for _, yb in batches])
    assert sorted(seen.tolist()) == list(range(23)) and not np.array_equal(seen, y)
    assert all(np.array_equal(xb[:, 0], 10 * yb) for xb, yb in batches)
    dropped = list(iterate_minibatches(x, y, 5, rng=np.random.default_rng(0), drop_last=True))
    assert [len(yb) for _, yb in dropped] == [5, 5, 5, 5]


def test_minibatch_order_depends_only_on_rng_seed():
    x, y = np.zeros((50, 1)), np.arange(50)

    def order(seed):
        return np.concatenate([yb for _, yb in
                               iterate_minibatches(x, y, 8, rng=np.random.default_rng(seed))])

    assert np.array_equal(order(3), order(3))
    assert not np.array_equal(order(3), order(4))
    fixed = [yb for _, yb in iterate_minibatches(x, y, 8, shuffle=False)]
    assert np.array_equal(np.concatenate(fixed), y)


@pytest.mark.parametrize("batch_size", [0, -2, 2.5, True, "8"])
def test_minibatches_reject_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        iterate_minibatches(np.zeros((4, 1)), np.zeros(4), batch_size, shuffle=False)


def test_minibatches_reject_mismatched_lengths_and_missing_rng():
    with pytest.raises(ValueError, match=r"len\(x\) = 10, len\(y\) = 9"):
        iterate_minibatches(np.zeros((10, 2)), np.zeros(9), 4, shuffle=False)
    with pytest.raises(ValueError, match="rng, a numpy.random.Generator"):
        iterate_minibatches(np.zeros((10, 2)), np.zeros(10), 4)


# ----------------------------------------------------------------------------- shift_augment
def test_shift_zero_returns_identical_copy(digits):
    x = digits["test"][0][:20]
    out = shift_augment(x, 0, np.random.default_rng(0))
    assert np.array_equal(out, x) and out is not x


def test_shift_is_a_zero_filled_translation_within_range(digits):
    x = digits["test"][0]
    x = x[np.abs(x[:, :, [0, 1, 26, 27], :]).sum(axis=(1, 2, 3)) == 0]      # clear top/bottom
    x = x[np.abs(x[:, :, :, [0, 1, 26, 27]]).sum(axis=(1, 2, 3)) == 0][:60]  # clear left/right
    out = shift_augment(x, 2, np.random.default_rng(1))
    assert out.shape == x.shape and out.dtype == x.dtype
    assert np.allclose(out.sum(axis=(1, 2, 3)), x.sum(axis=(1, 2, 3)), rtol=1e-5)
    found = set()
    for before, after in zip(x, out):
        matches = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)
                   if np.array_equal(np.roll(before, (dy, dx), axis=(1, 2)), after)]
        assert matches, "each output must be the input moved by at most 2 pixels"
        found.add(matches[0])
    assert len(found) > 10  # offsets really vary from sample to sample


def test_shift_fills_uncovered_border_with_zeros():
    x = np.ones((200, 2, 6, 7), dtype=np.float32)
    out = shift_augment(x, 1, np.random.default_rng(2))
    sums = out.sum(axis=(1, 2, 3)) / 2
    assert set(sums.tolist()) == {42.0, 36.0, 35.0, 30.0}  # (6-|dy|) * (7-|dx|)


@pytest.mark.parametrize("max_shift", [-1, 28, 1.5])
def test_shift_rejects_bad_max_shift(max_shift):
    with pytest.raises(ValueError, match=r"max_shift must be an integer in \[0, 27\]"):
        shift_augment(np.zeros((2, 1, 28, 28)), max_shift, np.random.default_rng(0))


def test_shift_rejects_bad_input_shape_and_rng():
    with pytest.raises(ValueError, match=r"x must have shape \(N, C, H, W\)"):
        shift_augment(np.zeros((2, 28, 28)), 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="rng"):
        shift_augment(np.zeros((2, 1, 28, 28)), 1, rng=None)


# ----------------------------------------------------------------------------- make_shapes
def test_make_shapes_shapes_classes_and_range():
    x, y, names = make_shapes(12, rng=np.random.default_rng(0))
    assert names == SHAPE_CLASSES == ("line", "curve", "square", "circle", "triangle")
    assert x.shape == (60, 1, 28, 28) and x.dtype == np.float32 and y.dtype == np.int64
    assert np.array_equal(np.bincount(y), np.full(5, 12))
    assert set(np.unique(x).tolist()) == {0.0, 1.0}
    assert (x.sum(axis=(1, 2, 3)) >= 10).all()  # every image has a visible stroke
    border = np.concatenate([x[:, 0, 0], x[:, 0, -1], x[:, 0, :, 0], x[:, 0, :, -1]])
    assert not border.any()  # shapes lie fully inside the image
    assert len(np.unique(y[:10])) > 1  # classes are mixed, not in blocks


def test_make_shapes_is_deterministic_given_rng():
    a = make_shapes(4, size=20, rng=np.random.default_rng(5))
    b = make_shapes(4, size=20, rng=np.random.default_rng(5))
    c = make_shapes(4, size=20, rng=np.random.default_rng(6))
    assert a[0].shape == (20, 1, 20, 20)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_make_shapes_noise_stays_in_range():
    clean, _, _ = make_shapes(3, rng=np.random.default_rng(7))
    noisy, _, _ = make_shapes(3, rng=np.random.default_rng(7), noise=0.2)
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0
    assert 0.05 < np.abs(noisy - clean).mean() < 0.2


@pytest.mark.parametrize("kwargs, name", [
    ({"n_per_class": 0}, "n_per_class"), ({"n_per_class": 2.0}, "n_per_class"),
    ({"size": 8}, "size"), ({"noise": -0.1}, "noise"), ({"noise": float("nan")}, "noise"),
    ({"rng": None}, "rng"),
])
def test_make_shapes_rejects_bad_arguments(kwargs, name):
    args = {"n_per_class": 2, "rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(ValueError, match=name):
        make_shapes(**args)


# ----------------------------------------------------------------------------- photo
def test_load_photo_full_and_gray():
    img = load_photo()
    assert img.shape == (600, 512, 3) and img.dtype == np.float32
    assert img.min() >= 0.0 and img.max() <= 1.0 and img.std() > 0.1
    gray = load_photo(gray=True)
    assert gray.shape == (600, 512) and gray.dtype == np.float32
    assert np.allclose(gray, 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2],
                       atol=1e-6)


def test_load_photo_size_crops_centre_and_block_averages():
    full = load_photo()
    small = load_photo(size=256)  # side 512, k = 2: rows 44..555, all 512 columns
    expected = full[44:556].reshape(256, 2, 256, 2, 3).mean(axis=(1, 3))
    assert small.shape == (256, 256, 3) and np.allclose(small, expected, atol=1e-6)
    assert load_photo(size=30, gray=True).shape == (30, 30)


@pytest.mark.parametrize("size", [0, 513, 2.5])
def test_load_photo_rejects_bad_size(size):
    with pytest.raises(ValueError, match=r"size \(or None\) must be an integer in \[1, 512\]"):
        load_photo(size=size)


def test_to_nchw():
    img = np.arange(2 * 3 * 4).reshape(2, 3, 4)
    out = to_nchw(img)
    assert out.shape == (1, 4, 2, 3) and out[0, 3, 1, 2] == img[1, 2, 3]
    assert to_nchw(img[..., 0]).shape == (1, 1, 2, 3)
    with pytest.raises(ValueError, match="img must have shape"):
        to_nchw(np.zeros((1, 2, 3, 4)))
