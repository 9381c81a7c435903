"""Tests for cnn_core.functional: convolution, pooling and transposed convolution.

Three kinds of evidence:
- small cases computed by hand (the expected numbers are derived in the comments);
- the fast functions equal their naive loop twins on a seeded sweep of random shapes;
- algebraic identities: transposed convolution is the adjoint of convolution, and equals the
  input gradient of a convolution; im2col and col2im are adjoints of each other.
Gradient checks of the layers built on these functions live in tests/test_layers.py.
"""
import numpy as np
import pytest

from cnn_core import functional as F

RTOL = 1e-10   # float64: fast and naive only differ by the order of additions
ATOL = 1e-12


def effective(k, d):
    return d * (k - 1) + 1


def conv_out(size, k, s, p, d):
    return (size + 2 * p - effective(k, d)) // s + 1


# ------------------------------------------------------------------------- seeded sweeps
def conv_cases(n_cases, seed):
    """Random (N, C, H, W, F, K, stride, padding, dilation), every one a valid convolution."""
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < n_cases:
        n, c, f = rng.integers(1, 4, size=3)
        k, s, p, d = rng.integers(1, 5), rng.integers(1, 4), rng.integers(0, 3), rng.integers(1, 4)
        low = max(1, effective(k, d) - 2 * p)
        h, w = rng.integers(low, low + 7, size=2)
        cases.append(tuple(int(v) for v in (n, c, h, w, f, k, s, p, d)))
    return cases


def pool_cases(n_cases, seed):
    """Random (N, C, H, W, kernel_size, stride) with stride < kernel_size in about half."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(n_cases):
        n, c = rng.integers(1, 4, size=2)
        k, s = rng.integers(1, 5), rng.integers(1, 5)
        h, w = rng.integers(k, k + 8, size=2)
        cases.append(tuple(int(v) for v in (n, c, h, w, k, s)))
    return cases


def transposed_cases(n_cases, seed):
    """Random (N, C_in, C_out, H, W, K, stride, padding, output_padding, dilation)."""
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < n_cases:
        n, c_in, c_out = rng.integers(1, 4, size=3)
        h, w = rng.integers(1, 6, size=2)
        k, s, p, d = rng.integers(1, 5), rng.integers(1, 4), rng.integers(0, 3), rng.integers(1, 3)
        a = rng.integers(0, s)
        if min(s * (h - 1), s * (w - 1)) + effective(k, d) - 2 * p + a < 1:
            continue
        cases.append(tuple(int(v) for v in (n, c_in, c_out, h, w, k, s, p, a, d)))
    return cases


def adjoint_cases(n_cases, seed):
    """Convolutions (N, C, H, W, F, K, stride, padding, dilation, a) whose transposed
    convolution maps back to exactly H x W with output padding ``a`` (the far-edge remainder,
    chosen equal on both axes because output_padding is one number)."""
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < n_cases:
        n, c, f = rng.integers(1, 4, size=3)
        k, s, p, d = rng.integers(1, 5), rng.integers(1, 4), rng.integers(0, 3), rng.integers(1, 3)
        h_out, w_out = rng.integers(1, 5, size=2)
        a = rng.integers(0, s)
        h = (h_out - 1) * s + effective(k, d) - 2 * p + a
        w = (w_out - 1) * s + effective(k, d) - 2 * p + a
        if min(h, w) < 1:
            continue
        cases.append(tuple(int(v) for v in (n, c, h, w, f, k, s, p, d, a)))
    return cases


def case_id(case):
    return "-".join(str(v) for v in case)


# ------------------------------------------------------------------- hand-computed cases
# A 5x5 input and an asymmetric 3x3 kernel, so that flipping the kernel matters.
HAND_X = np.array([[1, 2, 0, 1, 3],
                   [0, 1, 2, 3, 1],
                   [1, 0, 1, 2, 0],
                   [2, 1, 0, 1, 1],
                   [0, 2, 1, 0, 2]], dtype=np.float64)
HAND_K = np.array([[1, 0, 2],
                   [0, 1, 0],
                   [-1, 0, 0]], dtype=np.float64)
# Cross-correlation (no flip): out[i, j] = sum_ab K[a, b] * X[i + a, j + b]
#                                        = X[i, j] + 2 X[i, j+2] + X[i+1, j+1] - X[i+2, j]
#   (0,0): 1 + 2*0 + 1 - 1 = 1    (0,1): 2 + 2*1 + 2 - 0 = 6    (0,2): 0 + 2*3 + 3 - 1 = 8
#   (1,0): 0 + 2*2 + 0 - 2 = 2    (1,1): 1 + 2*3 + 1 - 1 = 7    (1,2): 2 + 2*1 + 2 - 0 = 6
#   (2,0): 1 + 2*1 + 1 - 0 = 4    (2,1): 0 + 2*2 + 0 - 2 = 2    (2,2): 1 + 2*0 + 1 - 1 = 1
HAND_CORRELATION = np.array([[1, 6, 8],
                             [2, 7, 6],
                             [4, 2, 1]], dtype=np.float64)
# True convolution flips the kernel: K[2-a, 2-b] = [[0, 0, -1], [0, 1, 0], [2, 0, 1]], so
#   out[i, j] = -X[i, j+2] + X[i+1, j+1] + 2 X[i+2, j] + X[i+2, j+2]
#   (0,0): -0 + 1 + 2*1 + 1 = 4   (0,1): -1 + 2 + 2*0 + 2 = 3   (0,2): -3 + 3 + 2*1 + 0 = 2
#   (1,0): -2 + 0 + 2*2 + 0 = 2   (1,1): -3 + 1 + 2*1 + 1 = 1   (1,2): -1 + 2 + 2*0 + 1 = 2
#   (2,0): -1 + 1 + 2*0 + 1 = 1   (2,1): -2 + 0 + 2*2 + 0 = 2   (2,2): -0 + 1 + 2*1 + 2 = 5
HAND_FLIPPED = np.array([[4, 3, 2],
                         [2, 1, 2],
                         [1, 2, 5]], dtype=np.float64)


@pytest.mark.parametrize("forward", [F.conv2d_forward, F.conv2d_forward_naive])
def test_conv_5x5_by_hand_is_cross_correlation(forward):
    out, _ = forward(HAND_X[None, None], HAND_K[None, None], None)
    np.testing.assert_array_equal(out[0, 0], HAND_CORRELATION)


@pytest.mark.parametrize("forward", [F.conv2d_forward, F.conv2d_forward_naive])
def test_flipping_the_kernel_gives_a_different_result(forward):
    flipped = HAND_K[::-1, ::-1].copy()
    out, _ = forward(HAND_X[None, None], flipped[None, None], None)
    np.testing.assert_array_equal(out[0, 0], HAND_FLIPPED)
    assert not np.array_equal(HAND_FLIPPED, HAND_CORRELATION)


@pytest.mark.parametrize("forward", [F.conv2d_forward, F.conv2d_forward_naive])
def test_conv_stride_2_and_bias_by_hand(forward):
    # stride 2 keeps the windows starting at rows/cols 0 and 2: the corners of HAND_CORRELATION,
    # and the bias 0.5 is added to every output.
    out, _ = forward(HAND_X[None, None], HAND_K[None, None], np.array([0.5]), stride=2)
    np.testing.assert_array_equal(out[0, 0], [[1.5, 8.5], [4.5, 1.5]])


@pytest.mark.parametrize("forward", [F.conv2d_forward, F.conv2d_forward_naive])
def test_conv_padding_1_corner_by_hand(forward):
    # With one ring of zeros, the top-left window covers padded rows/cols -1..1; only the taps
    # landing inside the image count: K[1,1]*X[0,0] + K[0,2]*X[-1,1](=0) + K[2,0]*X[1,-1](=0) = 1.
    # Bottom-right window (rows/cols 3..5): K[0,0]*X[3,3] + K[1,1]*X[4,4] = 1 + 2 = 3.
    out, _ = forward(HAND_X[None, None], HAND_K[None, None], None, padding=1)
    assert out.shape == (1, 1, 5, 5)
    assert out[0, 0, 0, 0] == 1.0 and out[0, 0, 4, 4] == 3.0
    np.testing.assert_array_equal(out[0, 0, 1:4, 1:4], HAND_CORRELATION)


@pytest.mark.parametrize("backward_forward", [(F.conv2d_backward, F.conv2d_forward),
                                              (F.conv2d_backward_naive, F.conv2d_forward_naive)])
def test_conv_backward_single_output_by_hand(backward_forward):
    backward, forward = backward_forward
    # dout is 1 at output (1, 2) only: that output read the window X[1:4, 2:5] with K, so
    # dw = X[1:4, 2:5], dx = K placed at rows 1..3, cols 2..4, db = 1.
    _, cache = forward(HAND_X[None, None], HAND_K[None, None], np.zeros(1))
    dout = np.zeros((1, 1, 3, 3))
    dout[0, 0, 1, 2] = 1.0
    dx, dw, db = backward(dout, cache)
    expected_dx = np.zeros((5, 5))
    expected_dx[1:4, 2:5] = HAND_K
    np.testing.assert_array_equal(dx[0, 0], expected_dx)
    np.testing.assert_array_equal(dw[0, 0], HAND_X[1:4, 2:5])
    np.testing.assert_array_equal(db, [1.0])


POOL_X = np.array([[1, 3, 2, 0],
                   [4, 2, 1, 5],
                   [0, 1, 3, 2],
                   [2, 6, 1, 1]], dtype=np.float64)


@pytest.mark.parametrize("naive", [False, True])
def test_maxpool_4x4_by_hand(naive):
    forward = F.maxpool2d_forward_naive if naive else F.maxpool2d_forward
    backward = F.maxpool2d_backward_naive if naive else F.maxpool2d_backward
    # Windows: [[1,3],[4,2]] -> 4, [[2,0],[1,5]] -> 5, [[0,1],[2,6]] -> 6, [[3,2],[1,1]] -> 3.
    out, cache = forward(POOL_X[None, None], 2)
    np.testing.assert_array_equal(out[0, 0], [[4, 5], [6, 3]])
    # Each gradient goes to its window's winner: (1,0), (1,3), (3,1), (2,2).
    dx = backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), cache)
    expected = np.zeros((4, 4))
    expected[1, 0], expected[1, 3], expected[3, 1], expected[2, 2] = 1, 2, 3, 4
    np.testing.assert_array_equal(dx[0, 0], expected)


@pytest.mark.parametrize("naive", [False, True])
def test_avgpool_4x4_by_hand(naive):
    forward = F.avgpool2d_forward_naive if naive else F.avgpool2d_forward
    backward = F.avgpool2d_backward_naive if naive else F.avgpool2d_backward
    # Window sums 10, 8, 9, 7 divided by 4.
    out, cache = forward(POOL_X[None, None], 2)
    np.testing.assert_array_equal(out[0, 0], [[2.5, 2.0], [2.25, 1.75]])
    # Each window's gradient is shared by its 4 cells: dout / 4.
    dx = backward(np.array([[[[4.0, 8.0], [12.0, 16.0]]]]), cache)
    np.testing.assert_array_equal(dx[0, 0],
                                  [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])


@pytest.mark.parametrize("naive", [False, True])
def test_overlapping_maxpool_by_hand(naive):
    forward = F.maxpool2d_forward_naive if naive else F.maxpool2d_forward
    backward = F.maxpool2d_backward_naive if naive else F.maxpool2d_backward
    # kernel 3, stride 1 on POOL_X: windows at (0,0),(0,1),(1,0),(1,1).
    # (0,0) rows 0-2 cols 0-2 -> 4 at (1,0); (0,1) rows 0-2 cols 1-3 -> 5 at (1,3);
    # (1,0) rows 1-3 cols 0-2 -> 6 at (3,1); (1,1) rows 1-3 cols 1-3 -> 6 at (3,1) again.
    out, cache = forward(POOL_X[None, None], 3, 1)
    np.testing.assert_array_equal(out[0, 0], [[4, 5], [6, 6]])
    dx = backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), cache)
    expected = np.zeros((4, 4))
    expected[1, 0], expected[1, 3], expected[3, 1] = 1, 2, 3 + 4   # (3,1) wins twice
    np.testing.assert_array_equal(dx[0, 0], expected)


@pytest.mark.parametrize("naive", [False, True])
def test_maxpool_tie_goes_to_first_in_reading_order(naive):
    forward = F.maxpool2d_forward_naive if naive else F.maxpool2d_forward
    backward = F.maxpool2d_backward_naive if naive else F.maxpool2d_backward
    # Left window all zeros (as after a ReLU): the top-left cell wins.  Right window: two
    # cells tie at 7, (0,3) comes before (1,2) in reading order.
    x = np.array([[0.0, 0.0, 1.0, 7.0],
                  [0.0, 0.0, 7.0, 2.0]])[None, None]
    out, cache = forward(x, 2)
    np.testing.assert_array_equal(out[0, 0], [[0.0, 7.0]])
    dx = backward(np.array([[[[5.0, 9.0]]]]), cache)
    np.testing.assert_array_equal(dx[0, 0], [[5, 0, 0, 9], [0, 0, 0, 0]])


@pytest.mark.parametrize("transposed", [F.conv_transpose2d, F.conv_transpose2d_naive])
def test_conv_transpose_stamps_kernel_by_hand(transposed):
    # stride 2, kernel 2x2 [[1, 2], [3, 4]]: each input value stamps value*kernel onto its own
    # 2x2 block of the 4x4 output, blocks do not overlap.
    x = np.array([[1.0, 10.0], [100.0, 0.0]])[None, None]
    k = np.array([[1.0, 2.0], [3.0, 4.0]])[None, None]
    out = transposed(x, k, None, stride=2)
    np.testing.assert_array_equal(out[0, 0], [[1, 2, 10, 20],
                                              [3, 4, 30, 40],
                                              [100, 200, 0, 0],
                                              [300, 400, 0, 0]])
    # stride 1: stamps overlap and add. out[1,1] = 1*4 + 10*3 + 100*2 + 0*1 = 234.
    out = transposed(x, k, np.array([0.5]), stride=1)
    assert out.shape == (1, 1, 3, 3)
    np.testing.assert_array_equal(out[0, 0], [[1.5, 12.5, 20.5],
                                              [103.5, 234.5, 40.5],
                                              [300.5, 400.5, 0.5]])


# ------------------------------------------------------------------- fast equals naive
@pytest.mark.parametrize("case", conv_cases(24, seed=11), ids=case_id)
def test_conv_fast_equals_naive(case):
    n, c, h, w, f, k, s, p, d = case
    rng = np.random.default_rng(sum(case))
    x = rng.standard_normal((n, c, h, w))
    wt = rng.standard_normal((f, c, k, k))
    b = rng.standard_normal(f)
    out_fast, cache_fast = F.conv2d_forward(x, wt, b, stride=s, padding=p, dilation=d)
    out_naive, cache_naive = F.conv2d_forward_naive(x, wt, b, stride=s, padding=p, dilation=d)
    assert out_fast.shape == (n, f, conv_out(h, k, s, p, d), conv_out(w, k, s, p, d))
    np.testing.assert_allclose(out_fast, out_naive, rtol=RTOL, atol=ATOL)
    dout = rng.standard_normal(out_fast.shape)
    for fast, naive in zip(F.conv2d_backward(dout, cache_fast),
                           F.conv2d_backward_naive(dout, cache_naive)):
        assert fast.shape == naive.shape
        np.testing.assert_allclose(fast, naive, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("case", conv_cases(6, seed=12), ids=case_id)
def test_conv_backward_need_dx_false_skips_dx_only(case):
    n, c, h, w, f, k, s, p, d = case
    rng = np.random.default_rng(sum(case))
    x, wt = rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, k, k))
    out, cache = F.conv2d_forward(x, wt, None, stride=s, padding=p, dilation=d)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = F.conv2d_backward(dout, cache)
    none, dw2, db2 = F.conv2d_backward(dout, cache, need_dx=False)
    assert dx is not None and none is None
    np.testing.assert_array_equal(dw, dw2)
    np.testing.assert_array_equal(db, db2)


def pool_inputs(shape, rng):
    """Three inputs per shape: distinct values, ReLU'd (many zero ties), small integers (ties)."""
    return {"normal": rng.standard_normal(shape),
            "relu": np.maximum(rng.standard_normal(shape), 0.0),
            "integers": rng.integers(0, 3, size=shape).astype(np.float64)}


@pytest.mark.parametrize("case", pool_cases(20, seed=21) + [(2, 2, 7, 5, 3, 2), (1, 3, 6, 9, 3, 1)],
                         ids=case_id)
def test_pool_fast_equals_naive(case):
    n, c, h, w, k, s = case
    rng = np.random.default_rng(sum(case))
    for kind, x in pool_inputs((n, c, h, w), rng).items():
        for name in ("maxpool2d", "avgpool2d"):
            fwd, fwd_naive = getattr(F, f"{name}_forward"), getattr(F, f"{name}_forward_naive")
            bwd, bwd_naive = getattr(F, f"{name}_backward"), getattr(F, f"{name}_backward_naive")
            out, cache = fwd(x, k, s)
            out_naive, cache_naive = fwd_naive(x, k, s)
            assert out.shape == (n, c, (h - k) // s + 1, (w - k) // s + 1), (kind, name)
            np.testing.assert_allclose(out, out_naive, rtol=RTOL, atol=ATOL,
                                       err_msg=f"{kind} {name}")
            dout = rng.standard_normal(out.shape)
            np.testing.assert_allclose(bwd(dout, cache), bwd_naive(dout, cache_naive),
                                       rtol=RTOL, atol=ATOL, err_msg=f"{kind} {name}")


@pytest.mark.parametrize("k, s", [(3, 2), (3, 1), (2, 1)])
def test_maxpool_backward_relu_ties_overlapping(k, s):
    # A ReLU'd input: most windows contain several zeros. Every window's gradient goes to exactly
    # one cell (the first maximal one), so dx sums to dout's sum and fast == naive exactly.
    rng = np.random.default_rng(k * 10 + s)
    x = np.maximum(rng.standard_normal((2, 3, 9, 8)) - 1.5, 0.0)
    out, cache = F.maxpool2d_forward(x, k, s)
    _, cache_naive = F.maxpool2d_forward_naive(x, k, s)
    assert (out == 0).mean() > 0.2   # the test really exercises ties
    dout = np.ones(out.shape)
    dx = F.maxpool2d_backward(dout, cache)
    np.testing.assert_array_equal(dx, F.maxpool2d_backward_naive(dout, cache_naive))
    assert dx.sum() == dout.sum()


@pytest.mark.parametrize("case", transposed_cases(20, seed=31), ids=case_id)
def test_conv_transpose_fast_equals_naive(case):
    n, c_in, c_out, h, w, k, s, p, a, d = case
    rng = np.random.default_rng(sum(case))
    x = rng.standard_normal((n, c_in, h, w))
    wt = rng.standard_normal((c_in, c_out, k, k))
    b = rng.standard_normal(c_out)
    fast = F.conv_transpose2d(x, wt, b, stride=s, padding=p, output_padding=a, dilation=d)
    naive = F.conv_transpose2d_naive(x, wt, b, stride=s, padding=p, output_padding=a, dilation=d)
    expected_h = s * (h - 1) + effective(k, d) - 2 * p + a
    expected_w = s * (w - 1) + effective(k, d) - 2 * p + a
    assert fast.shape == (n, c_out, expected_h, expected_w)
    np.testing.assert_allclose(fast, naive, rtol=RTOL, atol=ATOL)


# ----------------------------------------------------------------------------- adjoints
@pytest.mark.parametrize("case", adjoint_cases(20, seed=41), ids=case_id)
def test_conv_transpose_is_adjoint_of_conv(case):
    # <conv(x), y> == <x, conv_transpose(y)> for the same weights (F, C, KH, KW), no bias:
    # the transposed convolution reads them as (C_in=F, C_out=C, KH, KW).
    n, c, h, w, f, k, s, p, d, a = case
    rng = np.random.default_rng(sum(case))
    x = rng.standard_normal((n, c, h, w))
    wt = rng.standard_normal((f, c, k, k))
    conv_x, _ = F.conv2d_forward(x, wt, None, stride=s, padding=p, dilation=d)
    y = rng.standard_normal(conv_x.shape)
    back = F.conv_transpose2d(y, wt, None, stride=s, padding=p, output_padding=a, dilation=d)
    assert back.shape == x.shape
    lhs, rhs = np.sum(conv_x * y), np.sum(x * back)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("case", adjoint_cases(12, seed=42), ids=case_id)
def test_conv_transpose_equals_conv_input_gradient(case):
    n, c, h, w, f, k, s, p, d, a = case
    rng = np.random.default_rng(sum(case))
    x = rng.standard_normal((n, c, h, w))
    wt = rng.standard_normal((f, c, k, k))
    out, cache = F.conv2d_forward(x, wt, rng.standard_normal(f), stride=s, padding=p, dilation=d)
    dout = rng.standard_normal(out.shape)
    dx, _, _ = F.conv2d_backward(dout, cache)
    transposed = F.conv_transpose2d(dout, wt, None, stride=s, padding=p, output_padding=a,
                                    dilation=d)
    np.testing.assert_allclose(transposed, dx, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("case", conv_cases(8, seed=51), ids=case_id)
def test_im2col_and_col2im_are_adjoint(case):
    n, c, h, w, _, k, s, p, d = case
    rng = np.random.default_rng(sum(case))
    x = rng.standard_normal((n, c, h, w))
    cols, (h_out, w_out) = F.im2col(x, k, k, s, p, d)
    assert cols.shape == (n, c * k * k, h_out * w_out)
    z = rng.standard_normal(cols.shape)
    back = F.col2im(z, x.shape, k, k, s, p, d)
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(cols * z), np.sum(x * back), rtol=1e-10, atol=1e-10)


def test_sliding_windows_indexing():
    rng = np.random.default_rng(0)
    xp = rng.standard_normal((2, 3, 9, 8))
    view = F.sliding_windows(xp, 3, 2, stride=2, dilation=2)
    # h_out = (9 - 5) // 2 + 1 = 3, w_out = (8 - 3) // 2 + 1 = 3
    assert view.shape == (2, 3, 3, 2, 3, 3)
    for (n, c, a, b, i, j) in [(0, 0, 0, 0, 0, 0), (1, 2, 2, 1, 2, 2), (0, 1, 1, 0, 1, 2)]:
        assert view[n, c, a, b, i, j] == xp[n, c, i * 2 + a * 2, j * 2 + b * 2]
    assert not view.flags.writeable
    assert np.shares_memory(view, xp)


def test_pad_images_adds_zero_border():
    x = np.ones((1, 2, 3, 4))
    padded = F.pad_images(x, 2)
    assert padded.shape == (1, 2, 7, 8)
    assert padded.sum() == x.sum()
    np.testing.assert_array_equal(padded[:, :, 2:5, 2:6], x)
    assert F.pad_images(x, 0) is x


def test_float32_stays_float32():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 6, 6), dtype=np.float32)
    wt = rng.standard_normal((4, 3, 3, 3), dtype=np.float32)
    out, cache = F.conv2d_forward(x, wt, np.zeros(4, np.float32), padding=1)
    assert out.dtype == np.float32
    dx, dw, db = F.conv2d_backward(np.ones_like(out), cache)
    assert dx.dtype == dw.dtype == np.float32
    assert F.maxpool2d_forward(x, 2)[0].dtype == np.float32
    assert F.avgpool2d_forward(x, 2)[0].dtype == np.float32


# ------------------------------------------------------------------------ invalid input
X = np.zeros((1, 2, 5, 5))
W3 = np.zeros((4, 2, 3, 3))

INVALID_CALLS = {
    "conv stride 0": (lambda: F.conv2d_forward(X, W3, None, stride=0),
                      r"stride must be an integer >= 1"),
    "conv negative padding": (lambda: F.conv2d_forward(X, W3, None, padding=-1),
                              r"padding must be an integer >= 0"),
    "conv dilation 0": (lambda: F.conv2d_forward(X, W3, None, dilation=0),
                        r"dilation must be an integer >= 1"),
    "conv float stride": (lambda: F.conv2d_forward(X, W3, None, stride=1.5),
                          r"stride must be an integer >= 1, got 1.5"),
    "conv bool padding": (lambda: F.conv2d_forward(X, W3, None, padding=True),
                          r"padding must be an integer >= 0, got True"),
    "conv wrong channels": (lambda: F.conv2d_forward(np.zeros((1, 3, 5, 5)), W3, None),
                            r"x has C=3 channels but w expects C=2.*in_channels"),
    "conv 3-D input": (lambda: F.conv2d_forward(np.zeros((2, 5, 5)), W3, None),
                       r"x must have 4 dimensions \(N, C, H, W\)"),
    "conv empty batch": (lambda: F.conv2d_forward(np.zeros((0, 2, 5, 5)), W3, None),
                         r"x must hold at least one image \(N >= 1\)"),
    "conv w 3-D": (lambda: F.conv2d_forward(X, np.zeros((4, 3, 3)), None),
                   r"w must be an array of shape \(F, C, KH, KW\)"),
    "conv bias shape": (lambda: F.conv2d_forward(X, W3, np.zeros(3)),
                        r"b must have shape \(F,\) = \(4,\)"),
    "conv kernel larger than padded input": (
        lambda: F.conv2d_forward(np.zeros((1, 2, 2, 5)), W3, None),
        r"kernel size 3 \(effective\) is larger than the padded input 2 \+ 2\*0 = 2"),
    "conv dilated kernel larger than padded input": (
        lambda: F.conv2d_forward(X, W3, None, padding=1, dilation=4),
        r"kernel size 9 \(effective\) is larger than the padded input 5 \+ 2\*1 = 7"),
    "naive conv stride 0": (lambda: F.conv2d_forward_naive(X, W3, None, stride=0),
                            r"stride must be an integer >= 1"),
    "pool kernel 0": (lambda: F.maxpool2d_forward(X, 0), r"kernel_size must be an integer >= 1"),
    "pool float kernel": (lambda: F.avgpool2d_forward(X, 2.0),
                          r"kernel_size must be an integer >= 1, got 2.0"),
    "pool stride 0": (lambda: F.maxpool2d_forward_naive(X, 2, 0),
                      r"stride must be an integer >= 1"),
    "pool window larger than input": (lambda: F.maxpool2d_forward(np.zeros((1, 1, 6, 2)), 3),
                                      r"pooling window size 3 .*larger than the padded input 2"),
    "pool 3-D input": (lambda: F.avgpool2d_forward(np.zeros((1, 4, 4)), 2),
                       r"x must have 4 dimensions"),
    "transposed output_padding >= stride": (
        lambda: F.conv_transpose2d(X, np.zeros((2, 3, 3, 3)), None, stride=2, output_padding=2),
        r"output_padding must satisfy 0 <= output_padding < stride=2"),
    "transposed padding crops everything": (
        lambda: F.conv_transpose2d(np.zeros((1, 2, 1, 1)), np.zeros((2, 3, 1, 1)), None, padding=1),
        r"padding=1 crops the whole output"),
    "transposed wrong channels": (lambda: F.conv_transpose2d(X, np.zeros((3, 3, 3, 3)), None),
                                  r"w must have shape \(C_in=2, C_out, KH, KW\)"),
    "transposed bias shape": (lambda: F.conv_transpose2d(X, np.zeros((2, 3, 3, 3)), np.zeros(2)),
                              r"b must have shape \(C_out,\) = \(3,\)"),
}


@pytest.mark.parametrize("call, pattern", INVALID_CALLS.values(), ids=INVALID_CALLS.keys())
def test_invalid_arguments_raise_value_error(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()
