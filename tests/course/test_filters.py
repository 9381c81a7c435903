"""Tests for cnn_core.course.convolution.filters: the named 3x3 kernels and applying them with the
engine."""
import numpy as np
import pytest

from cnn_core.course.convolution.filters import (
    DESCRIPTIONS,
    FILTER_NAMES,
    apply_filter,
    apply_filters,
    filter_bank,
    get_filter,
)
from cnn_core.data import load_photo


def step_image(axis, size=9, low=0.2, high=0.8):
    """Dark half then bright half along ``axis`` (0: top->bottom, 1: left->right)."""
    ramp = np.where(np.arange(size) < size // 2, low, high)
    return np.tile(ramp[:, None], (1, size)) if axis == 0 else np.tile(ramp, (size, 1))


def sliding_reference(image, kernel):
    """Cross-correlation written as plain loops (no engine), valid positions only."""
    kh, kw = kernel.shape
    h, w = image.shape
    out = np.zeros((h - kh + 1, w - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


def test_every_named_filter_is_3x3_described_and_a_fresh_copy():
    assert set(FILTER_NAMES) == set(DESCRIPTIONS)
    assert {"horizontal_edge", "vertical_edge", "diagonal_down", "diagonal_up", "blur",
            "sharpen", "identity"} <= set(FILTER_NAMES)
    for name in FILTER_NAMES:
        kernel = get_filter(name)
        assert kernel.shape == (3, 3)
        kernel[...] = 99.0
        assert not np.any(get_filter(name) == 99.0)


@pytest.mark.parametrize("name", ["horizontal_edge", "vertical_edge", "diagonal_down",
                                  "diagonal_up"])
def test_edge_filters_ignore_flat_regions(name):
    flat = np.full((7, 7), 0.37)
    np.testing.assert_allclose(apply_filter(flat, get_filter(name)), 0.0, atol=1e-12)


def test_blur_sharpen_identity_keep_flat_brightness():
    flat = np.full((6, 6), 0.37)
    for name in ("blur", "sharpen", "identity"):
        np.testing.assert_allclose(apply_filter(flat, get_filter(name)), 0.37, atol=1e-12)


def test_edge_filters_respond_to_their_own_direction_with_the_documented_sign():
    down, right = step_image(axis=0), step_image(axis=1)
    horizontal, vertical = get_filter("horizontal_edge"), get_filter("vertical_edge")
    assert apply_filter(down, horizontal).max() > 1.0         # brighter below -> positive
    assert apply_filter(down, horizontal).min() >= -1e-12    # (rounding only)
    assert np.allclose(apply_filter(down, vertical), 0.0)     # wrong direction -> nothing
    assert apply_filter(right, vertical).max() > 1.0          # brighter right -> positive
    assert apply_filter(right[:, ::-1], vertical).max() <= 1e-12  # brighter left: negative
    assert np.allclose(apply_filter(right, horizontal), 0.0)


def test_diagonal_filters_tell_the_two_diagonals_apart():
    size = 12
    rows, cols = np.mgrid[0:size, 0:size]
    bright_top_right = (cols - rows > 0).astype(float)              # an edge running like "\"
    bright_bottom_right = (rows + cols > size - 1).astype(float)     # an edge running like "/"
    down, up = get_filter("diagonal_down"), get_filter("diagonal_up")
    for image, right, wrong in ((bright_top_right, down, up), (bright_bottom_right, up, down)):
        assert apply_filter(image, right).max() > 2 * apply_filter(image, wrong).max()


def test_apply_filter_matches_plain_loop_cross_correlation_without_flipping():
    rng = np.random.default_rng(0)
    image = rng.uniform(size=(10, 13))
    kernel = rng.normal(size=(3, 4))                 # asymmetric: a flip would show
    np.testing.assert_allclose(apply_filter(image, kernel), sliding_reference(image, kernel))


def test_colour_image_is_filtered_as_the_channel_average():
    rng = np.random.default_rng(1)
    colour = rng.uniform(size=(9, 8, 3))
    kernel = rng.normal(size=(3, 3))
    np.testing.assert_allclose(apply_filter(colour, kernel),
                               apply_filter(colour.mean(axis=2), kernel), atol=1e-12)


def test_relu_and_padding_options():
    rng = np.random.default_rng(2)
    image = rng.uniform(size=(8, 8))
    kernel = get_filter("vertical_edge")
    raw = apply_filter(image, kernel)
    np.testing.assert_array_equal(apply_filter(image, kernel, relu=True), np.maximum(raw, 0))
    padded = apply_filter(image, kernel, padding=1)
    assert padded.shape == (8, 8)
    np.testing.assert_allclose(padded[1:-1, 1:-1], raw)


def test_apply_filters_stacks_one_map_per_kernel_on_the_photo():
    photo = load_photo(size=40, gray=True)
    names = ["blur", "vertical_edge", "identity"]
    maps = apply_filters(photo, filter_bank(names)[:, 0])
    assert maps.shape == (3, 38, 38)
    np.testing.assert_allclose(maps[2], photo[1:-1, 1:-1], atol=1e-6)
    for i, name in enumerate(names):
        np.testing.assert_allclose(maps[i], apply_filter(photo, get_filter(name)))


def test_filter_bank_shapes_and_order():
    bank = filter_bank(["sharpen", "blur"])
    assert bank.shape == (2, 1, 3, 3)
    np.testing.assert_array_equal(bank[0, 0], get_filter("sharpen"))
    assert filter_bank().shape == (len(FILTER_NAMES), 1, 3, 3)


@pytest.mark.parametrize("call, word", [
    (lambda: get_filter("edgy"), "name"),
    (lambda: filter_bank("blur"), "names"),
    (lambda: filter_bank([]), "names"),
    (lambda: apply_filter(np.zeros(5), np.ones((3, 3))), "image"),
    (lambda: apply_filter(np.full((5, 5), np.nan), np.ones((3, 3))), "image"),
    (lambda: apply_filter(np.zeros((5, 5)), np.ones(3)), "kernel"),
    (lambda: apply_filters(np.zeros((5, 5)), np.ones((3, 3))), "kernels"),
    (lambda: apply_filter(np.zeros((5, 5)), np.ones((3, 3)), padding=-1), "padding"),
    (lambda: apply_filter(np.zeros((2, 2)), np.ones((3, 3))), "kernel"),
])
def test_bad_input_raises_value_error_naming_the_parameter(call, word):
    with pytest.raises(ValueError, match=word):
        call()
