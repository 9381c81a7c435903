"""Tests for cnn_core.course.backprop.gradient_flow: one-hot footprints, flipped kernels, weight
correlations."""
import numpy as np
import pytest

from cnn_core.course.backprop.gradient_flow import (
    conv_gradient_footprint,
    flip_kernel,
    input_gradient_by_full_convolution,
    spread_out,
    weight_gradient_by_correlation,
)
from cnn_core.functional import conv2d_backward, conv2d_forward

CONFIGS = [(1, 0, 1), (2, 0, 1), (1, 1, 1), (2, 1, 1), (3, 2, 1), (1, 0, 2), (2, 1, 2), (3, 0, 1)]


def window_cells(h, w, k, stride, padding, dilation, row, col):
    """Input cells (row, col) under the window of output (row, col), worked out by geometry."""
    rows = [row * stride + a * dilation - padding for a in range(k)]
    cols = [col * stride + b * dilation - padding for b in range(k)]
    return {(r, c) for r in rows for c in cols if 0 <= r < h and 0 <= c < w}


def test_footprint_of_hand_worked_2x2_case():
    x = np.arange(1.0, 10.0).reshape(1, 3, 3)          # 1 2 3 / 4 5 6 / 7 8 9
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    fp = conv_gradient_footprint(x, w, out_cell=(0, 1, 1))
    assert fp.input_cells == [(0, 1, 1), (0, 1, 2), (0, 2, 1), (0, 2, 2)]
    assert np.array_equal(fp.dx[0, 1:, 1:], w[0, 0])              # each cell gets its weight
    assert np.array_equal(fp.dw[0, 0], [[5.0, 6.0], [8.0, 9.0]])  # each weight gets its input
    assert fp.output[0, 1, 1] == 5 + 12 + 24 + 36
    assert np.array_equal(fp.db, [1.0]) and fp.window == (1, 1, 2, 2)


@pytest.mark.parametrize("stride,padding,dilation", CONFIGS)
def test_footprint_cells_match_window_geometry(stride, padding, dilation):
    rng = np.random.default_rng(stride * 10 + padding + 100 * dilation)
    x = rng.uniform(1, 2, size=(2, 7, 6))                        # no zero inputs
    w = rng.choice([-2.0, -1.0, 1.0, 2.0], size=(3, 2, 3, 3))    # no zero weights
    out, _ = conv2d_forward(x[None], w, None, stride, padding, dilation)
    last_row, last_col = out.shape[2] - 1, out.shape[3] - 1
    for f, row, col in [(0, 0, 0), (2, last_row, last_col), (1, last_row // 2, 0)]:
        fp = conv_gradient_footprint(x, w, stride, padding, dilation, out_cell=(f, row, col))
        cells = window_cells(7, 6, 3, stride, padding, dilation, row, col)
        assert {(r, c) for _, r, c in fp.input_cells} == cells
        assert {g for g, *_ in fp.weight_cells} <= {f}
        assert not np.any(np.delete(fp.dw, f, axis=0))
        assert np.array_equal(fp.db, np.eye(3)[f])
        top, left, bottom, right = fp.window
        window = fp.dx_padded[:, top:bottom + 1:dilation, left:right + 1:dilation]
        assert np.array_equal(window, w[f])
        patch = fp.x_padded[:, top:bottom + 1:dilation, left:right + 1:dilation]
        assert np.array_equal(fp.dw[f], patch)
        inner = fp.dx_padded[:, padding:padding + 7, padding:padding + 6]
        assert np.array_equal(inner, fp.dx)
        assert fp.wasted_on_padding == 2 * 9 - 2 * len(cells)


def test_corner_cell_with_padding_wastes_gradient_on_the_border():
    x = np.ones((1, 4, 4))
    fp = conv_gradient_footprint(x, np.ones((1, 1, 3, 3)), padding=1, out_cell=(0, 0, 0))
    assert fp.input_cells == [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1)]
    assert fp.wasted_on_padding == 5
    assert np.count_nonzero(fp.dw) == 4       # the weights over padding multiplied zeros


def test_footprint_rejects_bad_out_cell_and_batches():
    x, w = np.ones((1, 5, 5)), np.ones((2, 1, 3, 3))
    with pytest.raises(ValueError, match=r"row must be an integer in \[0, 2\]"):
        conv_gradient_footprint(x, w, out_cell=(0, 3, 0))
    with pytest.raises(ValueError, match=r"filter f must be an integer in \[0, 1\]"):
        conv_gradient_footprint(x, w, out_cell=(2, 0, 0))
    with pytest.raises(ValueError, match="out_cell must be"):
        conv_gradient_footprint(x, w, out_cell=(0, 0))
    with pytest.raises(ValueError, match="one image"):
        conv_gradient_footprint(np.ones((2, 1, 5, 5)), w)
    with pytest.raises(ValueError, match="stride"):
        conv_gradient_footprint(x, w, stride=0)


def test_flip_kernel_rotates_and_swaps_axes():
    w = np.arange(2 * 3 * 2 * 2.0).reshape(2, 3, 2, 2)
    flipped = flip_kernel(w)
    assert flipped.shape == (3, 2, 2, 2)
    assert flipped[1, 0, 0, 0] == w[0, 1, 1, 1] and flipped[2, 1, 1, 0] == w[1, 2, 0, 1]
    with pytest.raises(ValueError, match="w must have shape"):
        flip_kernel(np.ones((3, 3)))


def test_spread_out_inserts_zeros_between_values():
    dout = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    assert np.array_equal(spread_out(dout, 1), dout)
    assert np.array_equal(spread_out(dout, 2)[0, 0], [[1, 0, 2], [0, 0, 0], [3, 0, 4]])
    with pytest.raises(ValueError, match="stride"):
        spread_out(dout, 0)


def test_full_convolution_by_hand_for_stride_1():
    """Independent loop version: pad dout by K-1 and slide the rotated kernel over it."""
    rng = np.random.default_rng(3)
    dout, w = rng.standard_normal((1, 1, 3, 4)), rng.standard_normal((1, 1, 2, 3))
    padded = np.pad(dout[0, 0], ((1, 1), (2, 2)))
    rotated = w[0, 0, ::-1, ::-1]
    by_hand = np.array([[np.sum(padded[i:i + 2, j:j + 3] * rotated) for j in range(6)]
                        for i in range(4)])
    got = input_gradient_by_full_convolution(dout, w, (1, 1, 4, 6))
    assert np.allclose(got[0, 0], by_hand)


@pytest.mark.parametrize("stride,padding,dilation", CONFIGS)
def test_full_convolution_with_flipped_kernel_equals_engine_dx(stride, padding, dilation):
    rng = np.random.default_rng(7 + stride + 3 * padding + 11 * dilation)
    for h, w_size in [(7, 7), (8, 6), (9, 5)]:
        x = rng.standard_normal((2, 3, h, w_size))
        w = rng.standard_normal((4, 3, 3, 2))
        out, cache = conv2d_forward(x, w, None, stride, padding, dilation)
        dout = rng.standard_normal(out.shape)
        dx, _, _ = conv2d_backward(dout, cache)
        assert np.allclose(input_gradient_by_full_convolution(dout, w, x.shape, stride, padding,
                                                              dilation), dx)


@pytest.mark.parametrize("stride,padding,dilation", CONFIGS)
def test_weight_gradient_correlation_equals_engine_dw(stride, padding, dilation):
    rng = np.random.default_rng(17 + stride + 3 * padding + 11 * dilation)
    for h, w_size in [(7, 7), (8, 6)]:
        x = rng.standard_normal((3, 2, h, w_size))
        w = rng.standard_normal((4, 2, 3, 2))
        out, cache = conv2d_forward(x, w, None, stride, padding, dilation)
        dout = rng.standard_normal(out.shape)
        _, dw, _ = conv2d_backward(dout, cache)
        got = weight_gradient_by_correlation(x, dout, (3, 2), stride, padding, dilation)
        assert got.shape == dw.shape and np.allclose(got, dw)
    square = rng.standard_normal((1, 1, 5, 5))
    out, cache = conv2d_forward(square, np.ones((1, 1, 3, 3)), None, stride, padding, dilation)
    assert np.allclose(weight_gradient_by_correlation(square, out, 3, stride, padding, dilation),
                       conv2d_backward(out, cache)[1])
