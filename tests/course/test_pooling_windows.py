"""Tests for cnn_core.course.pooling.windows: window winners and the setting in words."""
import numpy as np
import pytest

from cnn_core.course.pooling.windows import describe, window_winners
from cnn_core.functional import maxpool2d_backward_naive, maxpool2d_forward_naive


def winners_from_backward(x, k, s):
    """Reference: the engine's naive backward sends a one-hot gradient to the winner."""
    _, cache = maxpool2d_forward_naive(x[None, None], k, s)
    h_out, w_out = (x.shape[0] - k) // s + 1, (x.shape[1] - k) // s + 1
    found = np.zeros((h_out, w_out, 2), dtype=int)
    for i in range(h_out):
        for j in range(w_out):
            dout = np.zeros((1, 1, h_out, w_out))
            dout[0, 0, i, j] = 1.0
            dx = maxpool2d_backward_naive(dout, cache)[0, 0]
            found[i, j] = np.argwhere(dx == 1.0)[0]
    return found


@pytest.mark.parametrize("shape, k, s", [((6, 6), 2, 2), ((7, 8), 3, 2), ((6, 5), 3, 1),
                                         ((9, 9), 2, 3), ((5, 5), 5, 1)])
def test_window_winners_agree_with_the_engines_backward_pass(shape, k, s):
    x = np.random.default_rng(sum(shape) + k + s).normal(size=shape)
    np.testing.assert_array_equal(window_winners(x, k, s), winners_from_backward(x, k, s))


def test_window_winners_break_ties_in_reading_order():
    x = np.zeros((4, 4))
    x[1, 0] = x[0, 1] = 1.0                   # both in window (0, 0): (0, 1) comes first
    assert tuple(window_winners(x, 2, 2)[0, 0]) == (0, 1)
    assert tuple(window_winners(x, 2, 2)[1, 1]) == (2, 2)   # all zeros: the first cell


@pytest.mark.parametrize("k, s", [(0, 1), (5, 1), (2, 0)])
def test_window_winners_rejects_bad_sizes(k, s):
    with pytest.raises(ValueError, match="kernel_size"):
        window_winners(np.zeros((4, 4)), k, s)


def test_describe_says_overlap_gaps_unreached_cells_and_no_parameters():
    overlap = describe((8, 8), 3, 2)
    assert "windows overlap" in overlap
    assert "1 row(s) and 1 column(s) at the end are never in a window" in overlap
    assert "no trainable parameters" in overlap
    assert "tile the input without overlap" in describe((8, 8), 2, 2)
    assert "never in a window" not in describe((8, 8), 2, 2)
    assert "leave gaps" in describe((8, 8), 2, 3)


def test_describe_counts_skipped_cells_per_axis_and_rejects_impossible_settings():
    text = describe((7, 9), 2, 3)        # rows: (7 - 2) % 3 = 2; columns: (9 - 2) % 3 = 1
    assert "output 2x3" in text
    assert "2 row(s) and 1 column(s) at the end are never in a window" in text
    with pytest.raises(ValueError, match="larger than the input"):
        describe((3, 3), 4, 1)
