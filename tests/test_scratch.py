"""Tests for cnn_core.functional.scratch: temporaries reused between calls.

Reuse must never change a result and never overwrite an array already handed to the caller.
"""
import numpy as np
import pytest

from cnn_core import functional as F
from cnn_core.functional.scratch import reusable, reusable_zeros
from cnn_core.layers import Conv2D, MaxPool2D


def test_reusable_returns_the_stored_array_while_shape_and_dtype_match():
    scratch = {}
    first = reusable(scratch, "a", (2, 3), np.float32)
    assert reusable(scratch, "a", (2, 3), np.float32) is first
    assert reusable(scratch, "a", (3, 2), np.float32) is not first           # new shape
    assert reusable(scratch, "a", (3, 2), np.float64).dtype == np.float64     # new dtype
    assert scratch["a"].dtype == np.float64
    assert reusable(None, "a", (3, 2), np.float64) is not scratch["a"]        # no scratch


def test_reusable_zeros_are_zero_on_every_call():
    scratch = {}
    array = reusable_zeros(scratch, "z", (4,), np.float32)
    array[:] = 7
    again = reusable_zeros(scratch, "z", (4,), np.float32)
    assert again is array and not again.any()
    assert not reusable_zeros(None, "z", (4,), np.float32).any()


@pytest.mark.parametrize("padding, stride, dilation", [(1, 1, 1), (0, 1, 1), (2, 1, 2), (1, 2, 1)])
def test_conv_with_scratch_equals_conv_without(padding, stride, dilation):
    """Several calls with new data (and a change of batch size) through one scratch: every output
    and gradient is bitwise what a fresh allocation gives."""
    rng = np.random.default_rng(padding + 3 * stride + 5 * dilation)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    scratch = {}
    for n in (5, 5, 2, 5):
        x = rng.standard_normal((n, 3, 9, 9)).astype(np.float32)
        out, cache = F.conv2d_forward(x, w, b, stride, padding, dilation, scratch=scratch)
        plain_out, plain_cache = F.conv2d_forward(x, w, b, stride, padding, dilation)
        np.testing.assert_array_equal(out, plain_out)
        dout = rng.standard_normal(out.shape).astype(np.float32)
        for got, want in zip(F.conv2d_backward(dout, cache, scratch=scratch),
                             F.conv2d_backward(dout, plain_cache)):
            np.testing.assert_array_equal(got, want)


def test_conv_layer_reuses_its_columns_and_never_overwrites_results():
    rng = np.random.default_rng(0)
    for padding in (0, 1):      # padding 0: dx is the whole frame, still a copy
        conv = Conv2D(2, 3, 3, padding=padding, rng=rng)
        x1, x2 = (rng.standard_normal((4, 2, 8, 8)).astype(np.float32) for _ in range(2))
        out1 = conv.forward(x1)
        dx1 = conv.backward(np.ones_like(out1))
        columns = conv._cache[1]
        kept_out, kept_dx = out1.copy(), dx1.copy()
        out2 = conv.forward(x2)
        dx2 = conv.backward(np.full_like(out2, 2.0))
        assert conv._cache[1] is columns                     # the same memory, reused
        np.testing.assert_array_equal(out1, kept_out)        # earlier results untouched
        np.testing.assert_array_equal(dx1, kept_dx)
        assert not np.shares_memory(dx1, dx2) and not np.shares_memory(out1, out2)


def test_maxpool_layer_reuses_its_cells_and_gives_the_plain_results():
    rng = np.random.default_rng(1)
    pool = MaxPool2D(2)
    outs, first_cells = [], None
    for _ in range(3):
        x = rng.standard_normal((3, 2, 6, 6)).astype(np.float32)
        out = pool.forward(x)
        first_cells = pool._cache[0] if first_cells is None else first_cells
        plain_out, plain_cache = F.maxpool2d_forward(x, 2)
        np.testing.assert_array_equal(out, plain_out)
        dout = rng.standard_normal(out.shape).astype(np.float32)
        np.testing.assert_array_equal(pool.backward(dout),
                                      F.maxpool2d_backward(dout, plain_cache))
        outs.append((out, out.copy()))
    assert pool._cache[0] is first_cells                    # the same memory, reused
    for out, kept in outs:
        np.testing.assert_array_equal(out, kept)
