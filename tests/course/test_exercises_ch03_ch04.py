"""Tests for the exercise checks of notebooks 03 and 04: right answers pass, typical mistakes
get a hint."""
import numpy as np
import pytest

from cnn_core.course.convolution.filters import get_filter
from cnn_core.course.exercises import ch03, ch04
from cnn_core.functional import conv2d_forward, conv_transpose2d


def fails_with(call, hint_word):
    with pytest.raises(AssertionError, match=f"Not yet: .*{hint_word}"):
        call()


# ----------------------------------------------------------------------------- chapter 3
def test_volume_shape_passes_with_the_formula_answer(capsys):
    t = ch03.VOLUME_TASK
    side = t["size"] - t["kernel_size"] + 1
    n_params = t["filters"] * (t["channels"] * t["kernel_size"] ** 2 + 1)
    ch03.check_volume_shape((1, t["filters"], side, side), n_params)
    assert capsys.readouterr().out.startswith("PASS")


def test_volume_shape_hints_at_typical_mistakes():
    good = 10 * (3 * 49 + 1)
    fails_with(lambda: ch03.check_volume_shape((1, 3, 58, 58), good), "number of filters")
    fails_with(lambda: ch03.check_volume_shape((1, 10, 57, 57), good), "off by one")
    fails_with(lambda: ch03.check_volume_shape((10, 58, 58), good), "4 whole numbers")
    fails_with(lambda: ch03.check_volume_shape((1, 10, 58, 58), 10 * 3 * 49), "biases")
    fails_with(lambda: ch03.check_volume_shape((1, 10, 58, 58), 10 * 49 + 10), "every input")


def test_one_output_accepts_the_dot_product_and_rejects_partial_sums(capsys):
    ch03.check_one_output(lambda patch, w, b: float(np.sum(patch * w) + b))
    assert "PASS" in capsys.readouterr().out
    fails_with(lambda: ch03.check_one_output(lambda p, w, b: np.sum(p[0] * w[0]) + b),
               "all")
    fails_with(lambda: ch03.check_one_output(lambda p, w, b: np.sum(p * w)), "bias")
    fails_with(lambda: ch03.check_one_output(lambda p, w, b: p * w + b), "single number")


def test_line_filter_accepts_a_line_detector_and_rejects_edge_and_wrong_ones(capsys):
    ch03.check_line_filter([[-1, 2, -1]] * 3)
    assert "PASS" in capsys.readouterr().out
    fails_with(lambda: ch03.check_line_filter(get_filter("blur")), "flat")
    fails_with(lambda: ch03.check_line_filter(get_filter("vertical_edge")), "largest")
    horizontal_line = [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]]
    fails_with(lambda: ch03.check_line_filter(horizontal_line), "largest")
    fails_with(lambda: ch03.check_line_filter([[-1, 1, 0]] * 3), "wide bright band")
    fails_with(lambda: ch03.check_line_filter(np.ones((5, 5))), "shape")


# ----------------------------------------------------------------------------- chapter 4
def test_composed_kernel_from_the_engine_passes(capsys):
    k1, k2 = get_filter("blur"), get_filter("vertical_edge")
    kernel = conv_transpose2d(k2[None, None], k1[None, None], None)[0, 0]
    ch04.check_composed_kernel(k1, k2, kernel)
    assert "PASS" in capsys.readouterr().out


def test_composed_kernel_rejects_wrong_size_flipped_and_wrong_values():
    k1 = np.arange(9, dtype=float).reshape(3, 3)
    k2 = get_filter("vertical_edge")
    right = conv_transpose2d(k2[None, None], k1[None, None], None)[0, 0]
    fails_with(lambda: ch04.check_composed_kernel(k1, k2, k1 * k2), "shape")
    fails_with(lambda: ch04.check_composed_kernel(k1, k2, right[::-1, ::-1]), "flipped")
    fails_with(lambda: ch04.check_composed_kernel(k1, k2, right + 0.01), "differs")


def test_composed_kernel_check_really_compares_with_two_convolutions():
    rng = np.random.default_rng(9)
    k1, k2 = rng.normal(size=(2, 3)), rng.normal(size=(3, 3))
    kernel = conv_transpose2d(k2[None, None], k1[None, None], None)[0, 0]
    x = rng.normal(size=(1, 1, 7, 7))
    two = conv2d_forward(conv2d_forward(x, k1[None, None], None)[0], k2[None, None], None)[0]
    np.testing.assert_allclose(conv2d_forward(x, kernel[None, None], None)[0], two)
    ch04.check_composed_kernel(k1, k2, kernel)


def test_flatten_size_passes_and_hints():
    ch04.check_flatten_size(16 * 7 * 7, 16 * 7 * 7 * 10 + 10)
    fails_with(lambda: ch04.check_flatten_size(16 * 5 * 5, 4010), "pads")
    fails_with(lambda: ch04.check_flatten_size(8 * 7 * 7, 3930), "16 filters")
    fails_with(lambda: ch04.check_flatten_size(16 * 14 * 14, 31370), "follow the sides")
    fails_with(lambda: ch04.check_flatten_size(784, 7840), "bias")
    fails_with(lambda: ch04.check_flatten_size(784, 7850 + 1), "Dense layer has")


def test_relu_pool_order_needs_both_answers_right(capsys):
    ch04.check_relu_pool_order(True, False, [[-3, 1], [0, 0]])
    assert "PASS" in capsys.readouterr().out
    fails_with(lambda: ch04.check_relu_pool_order(True, True, [[-3, 1], [0, 0]]), "average")
    fails_with(lambda: ch04.check_relu_pool_order(False, False, [[-3, 1], [0, 0]]), "max")
    fails_with(lambda: ch04.check_relu_pool_order("yes", False, [[-3, 1], [0, 0]]),
               "True or False")


@pytest.mark.parametrize("window", [[[1, 2], [3, 4]], [[-1, -2], [-3, -4]], [[0.0]]])
def test_relu_pool_order_needs_evidence(window):
    """The right booleans alone are a 1-in-4 guess: the window must show the difference."""
    fails_with(lambda: ch04.check_relu_pool_order(True, False, window), "differ")
