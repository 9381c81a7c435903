"""Tests for cnn_core.course.convolution.matrix: convolution as the sparse matrix C."""
import itertools

import numpy as np
import pytest

from cnn_core.arithmetic import transposed_output_padding
from cnn_core.course.convolution.matrix import conv_matrix, conv_matrix_labels, weight_index_labels
from cnn_core.functional import conv2d_backward, conv2d_forward, conv_transpose2d


def test_four_by_four_input_three_by_three_kernel_matches_the_guide():
    # Dumoulin & Visin, section 4.1: C is 4 x 16, each row the kernel unrolled with gaps.
    labels = conv_matrix_labels(4, 3)
    assert labels.shape == (4, 16)
    first = ["w00", "w01", "w02", "", "w10", "w11", "w12", "", "w20", "w21", "w22",
             "", "", "", "", ""]
    assert labels[0].tolist() == first
    assert labels[1].tolist() == [""] + first[:-1]
    assert labels[2].tolist() == [""] * 4 + first[:-4]
    assert labels[3].tolist() == [""] * 5 + first[:-5]


def test_weight_index_labels():
    assert weight_index_labels(2).tolist() == [["w00", "w01"], ["w10", "w11"]]


CASES = [(4, 3, 1, 0, 1), (5, 3, 2, 1, 1), (7, 3, 2, 2, 2), (6, 2, 3, 0, 1), (5, 1, 1, 0, 1),
         (6, 4, 2, 3, 1)]


@pytest.mark.parametrize("i, k, s, p, d", CASES)
def test_matrix_times_input_is_the_convolution(i, k, s, p, d):
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((i, i)), rng.standard_normal((k, k))
    y, _ = conv2d_forward(x[None, None], w[None, None], None, s, p, d)
    np.testing.assert_allclose(conv_matrix(i, w, s, p, d) @ x.ravel(), y.ravel(), atol=1e-12)


@pytest.mark.parametrize("i, k, s, p, d", CASES)
def test_transpose_is_the_backward_pass(i, k, s, p, d):
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((i, i)), rng.standard_normal((k, k))
    y, cache = conv2d_forward(x[None, None], w[None, None], None, s, p, d)
    dout = rng.standard_normal(y.shape)
    dx, _, _ = conv2d_backward(dout, cache)
    np.testing.assert_allclose(conv_matrix(i, w, s, p, d).T @ dout.ravel(), dx.ravel(),
                               atol=1e-12)


def test_transpose_is_the_transposed_convolution():
    rng = np.random.default_rng(2)
    for i, k, s, p in itertools.product(range(3, 8), range(1, 4), range(1, 3), range(2)):
        w = rng.standard_normal((k, k))
        matrix = conv_matrix(i, w, s, p)
        o = int(round(np.sqrt(matrix.shape[0])))
        y = rng.standard_normal((o, o))
        a = transposed_output_padding(i, k, s, p)
        back = conv_transpose2d(y[None, None], w[None, None], None, s, p, a)
        np.testing.assert_allclose(matrix.T @ y.ravel(), back.ravel(), atol=1e-12)


def test_sparsity_each_row_holds_the_kernel_once():
    w = np.arange(1.0, 10.0).reshape(3, 3)
    matrix = conv_matrix(5, w)
    assert matrix.shape == (9, 25)
    assert (np.count_nonzero(matrix, axis=1) == 9).all()
    np.testing.assert_array_equal(np.sort(matrix, axis=1)[:, -9:],
                                  np.tile(np.arange(1, 10), (9, 1)))


def test_padding_leaves_fewer_entries_at_the_border():
    matrix = conv_matrix(3, np.ones((3, 3)), padding=1)
    assert matrix.shape == (9, 9)
    assert np.count_nonzero(matrix[0]) == 4 and np.count_nonzero(matrix[4]) == 9


def test_bad_kernels_are_refused():
    with pytest.raises(ValueError, match="kernel must be a square"):
        conv_matrix(4, np.ones((2, 3)))
    with pytest.raises(ValueError, match="kernel size k"):
        conv_matrix(2, np.ones((3, 3)))
    with pytest.raises(ValueError, match="input_size"):
        conv_matrix(0, np.ones((1, 1)))
