"""Tests for cnn_core.course.convolution.frames: the numbers behind the convolution diagrams.

The frames' outputs come from the engine; here they are checked against brute-force loops
written independently, every step's written-out sum is checked against the output cell, and
the "never read" bookkeeping against a direct count of the taps.
"""
import dataclasses
import itertools

import numpy as np
import pytest

from cnn_core.arithmetic import (
    conv_output_size,
    effective_kernel_size,
    transposed_conv_output_size,
    transposed_output_padding,
    unreached_pixels,
)
from cnn_core.course.convolution.frames import (
    ConvFrame,
    TransposedFrame,
    conv_frame,
    example_values,
    transposed_conv_frame,
)

CONV_GRID = list(itertools.product(range(1, 10), range(1, 6), range(1, 4), range(4), range(1, 4)))
TRANSPOSED_GRID = list(itertools.product(range(1, 7), range(1, 6), range(1, 4), range(4), range(3)))


def brute_conv(x, kernel, s, p, d):
    """Direct definition: out[r, c] = sum_ab xpad[r*s + a*d, c*s + b*d] * kernel[a, b]."""
    xp = np.pad(x, p)
    k = len(kernel)
    span = d * (k - 1) + 1
    n = (len(xp) - span) // s + 1
    out = np.zeros((n, n))
    for r in range(n):
        for c in range(n):
            for a in range(k):
                for b in range(k):
                    out[r, c] += xp[r * s + a * d, c * s + b * d] * kernel[a, b]
    return out


def brute_transposed(x, kernel, s, p, a):
    """Scatter definition: each x[r, c] stamps x[r, c] * kernel at (r*s, c*s); crop p each side,
    keep a extra rows/columns at the far edge."""
    k, n = len(kernel), len(x)
    full = np.zeros((s * (n - 1) + k + a, s * (n - 1) + k + a))
    for r in range(n):
        for c in range(n):
            full[r * s:r * s + k, c * s:c * s + k] += x[r, c] * kernel
    size = s * (n - 1) + a + k - 2 * p
    return full[p:p + size, p:p + size]


def every_step(frame):
    return [dataclasses.replace(frame, step=step) for step in range(frame.n_steps)]


def written_sum(frame):
    return sum(value * weight for row in frame.terms() for value, weight in row)


# ------------------------------------------------------------------------ direct convolution
@pytest.mark.parametrize("i, k, s, p, d", [(5, 3, 1, 0, 1), (5, 3, 2, 1, 1), (6, 3, 2, 0, 1),
                                           (7, 3, 2, 2, 2), (4, 1, 3, 3, 1), (9, 5, 3, 1, 2)])
def test_output_matches_brute_force(i, k, s, p, d):
    rng = np.random.default_rng(0)
    x, kernel = rng.standard_normal((i, i)), rng.standard_normal((k, k))
    frame = conv_frame(i, k, s, p, d, x=x, kernel=kernel)
    np.testing.assert_allclose(frame.output, brute_conv(x, kernel, s, p, d), atol=1e-12)


def test_every_combination_has_the_engine_size_or_an_explanation():
    for i, k, s, p, d in CONV_GRID:
        frame = conv_frame(i, k, s, p, d)
        if effective_kernel_size(k, d) > i + 2 * p:
            assert frame.output is None and frame.n_steps == 0
            assert "no window fits" in frame.problem
        else:
            assert frame.problem is None
            assert frame.output.shape == (conv_output_size(i, k, s, p, d),) * 2


def test_written_sum_equals_output_at_every_step():
    for i, k, s, p, d in CONV_GRID[::7]:
        frame = conv_frame(i, k, s, p, d)
        for step in every_step(frame):
            assert np.isclose(written_sum(step), step.output[step.row, step.col])


def test_read_rows_match_a_direct_count_of_the_taps():
    for i, k, s, p, d in CONV_GRID:
        frame = conv_frame(i, k, s, p, d)
        if frame.output is None:
            continue
        touched = set()
        for step in every_step(frame)[:frame.output_size]:     # the first row of windows
            touched.update(step.taps[1].tolist())
        assert set(np.flatnonzero(frame.read).tolist()) == touched
        trailing = len(frame.read) - 1 - int(np.flatnonzero(frame.read).max())
        assert trailing == frame.far_edge == unreached_pixels(i, k, s, p, d)


def test_steps_walk_in_reading_order_and_clamp_at_the_end():
    frame = conv_frame(5, 3, 2, 1, 1, step=5)
    assert (frame.row, frame.col) == (1, 2)
    rows, cols = frame.taps
    assert rows.tolist() == [2, 3, 4] and cols.tolist() == [4, 5, 6]
    assert conv_frame(5, 3, 2, 1, 1, step=100).step == 8


def test_dilated_taps_skip_pixels():
    frame = conv_frame(7, 3, 1, 0, 3, step=0)
    assert frame.taps[0].tolist() == [0, 3, 6]
    assert frame.effective_kernel == 7 and frame.output_size == 1


def test_example_values_are_fixed_small_integers():
    x, kernel = example_values(9, 5)
    x2, kernel2 = example_values(4, 2)
    np.testing.assert_array_equal(x[:4, :4], x2)
    np.testing.assert_array_equal(kernel[:2, :2], kernel2)
    assert set(np.unique(x)) <= {0, 1, 2, 3} and set(np.unique(kernel)) <= {-1, 0, 1, 2}


@pytest.mark.parametrize("kwargs, name", [({"input_size": 0}, "input_size"),
                                          ({"kernel_size": 0}, "kernel_size"),
                                          ({"stride": 0}, "stride"), ({"padding": -1}, "padding"),
                                          ({"dilation": 0}, "dilation"), ({"step": -1}, "step"),
                                          ({"input_size": 2.0}, "input_size")])
def test_bad_arguments_name_the_parameter(kwargs, name):
    args = {"input_size": 5, "kernel_size": 3, **kwargs}
    with pytest.raises(ValueError, match=name):
        conv_frame(**args)


def test_values_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match="x must have shape"):
        conv_frame(5, 3, x=np.zeros((4, 4)))
    with pytest.raises(ValueError, match="kernel must have shape"):
        conv_frame(5, 3, kernel=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="input_size"):
        example_values(17, 3)


# ---------------------------------------------------------------------- transposed convolution
@pytest.mark.parametrize("i, k, s, p, a", [(3, 3, 2, 0, 0), (3, 3, 2, 1, 1), (2, 4, 3, 1, 2),
                                           (4, 2, 1, 0, 0), (3, 3, 2, 3, 1), (4, 2, 2, 2, 1)])
def test_transposed_output_matches_the_scatter_definition(i, k, s, p, a):
    rng = np.random.default_rng(1)
    x, kernel = rng.standard_normal((i, i)), rng.standard_normal((k, k))
    frame = transposed_conv_frame(i, k, s, p, a, x=x, kernel=kernel)
    np.testing.assert_allclose(frame.output, brute_transposed(x, kernel, s, p, a), atol=1e-12)


def test_transposed_written_sum_equals_output_at_every_step():
    for i, k, s, p, a in TRANSPOSED_GRID[::8]:
        frame = transposed_conv_frame(i, k, s, p, a)
        for step in every_step(frame):
            assert np.isclose(written_sum(step), step.output[step.row, step.col])


def test_transposed_grid_spreads_the_input_with_zeros():
    frame = transposed_conv_frame(3, 3, 2, 0, 1)
    assert frame.border == 2 and frame.spread_size == 6 and frame.grid_size == 10
    assert frame.input_positions.tolist() == [2, 4, 6]
    grid = frame.grid
    np.testing.assert_array_equal(grid[np.ix_([2, 4, 6], [2, 4, 6])], frame.x)
    mask = np.ones_like(grid, dtype=bool)
    mask[np.ix_([2, 4, 6], [2, 4, 6])] = False
    assert not grid[mask].any()


def test_transposed_sizes_or_explanations_for_every_combination():
    for i, k, s, p, a in TRANSPOSED_GRID:
        frame = transposed_conv_frame(i, k, s, p, a)
        size = s * (i - 1) + a + k - 2 * p
        if a >= s:
            assert frame.output is None and "smaller than the stride" in frame.problem
        elif size < 1:
            assert frame.output is None and "crops away" in frame.problem
        else:
            assert frame.output_size == transposed_conv_output_size(i, k, s, p, a)


def test_transposed_undoes_the_size_change_of_a_convolution():
    for i, k, s, p in itertools.product(range(3, 10), range(1, 6), range(1, 4), range(3)):
        if k > i + 2 * p:
            continue
        o, a = conv_output_size(i, k, s, p), transposed_output_padding(i, k, s, p)
        if k - 2 * p + s * (o - 1) + a >= 1:
            assert transposed_conv_frame(o, k, s, p, a).output_size == i


def test_frames_are_plain_dataclasses():
    assert dataclasses.is_dataclass(ConvFrame) and dataclasses.is_dataclass(TransposedFrame)
    with pytest.raises(ValueError, match="output_padding"):
        transposed_conv_frame(3, 3, 2, 0, -1)
