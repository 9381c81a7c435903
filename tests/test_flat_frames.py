"""The stride-1 "flat frames" input gradient equals the naive loops and the plain col2im route.

``conv2d_backward`` sends every stride-1 input gradient through cnn_core.functional.flat_frames,
so the plain col2im route is checked here directly at stride 1 too (it stays the readable twin).
float64 throughout: the routes differ only in the order of additions.
"""
import numpy as np
import pytest

from cnn_core import functional as F
from cnn_core.functional import conv, flat_frames

RTOL, ATOL = 1e-10, 1e-12

# (N, C, H, W, F, K, padding, dilation): odd and even sizes, padding 0-3, dilation 1-3,
# 1x1 kernels, a kernel exactly as large as the padded input, and the course's two layers.
CASES = [(2, 3, 7, 5, 4, 3, 1, 1), (1, 1, 5, 5, 2, 5, 0, 1), (3, 2, 6, 9, 3, 2, 0, 2),
         (2, 2, 4, 3, 2, 3, 2, 2), (1, 4, 8, 8, 5, 1, 0, 1), (2, 1, 3, 4, 3, 3, 3, 3),
         (4, 1, 28, 28, 8, 3, 1, 1), (4, 8, 14, 14, 16, 3, 1, 1), (1, 2, 1, 1, 2, 3, 1, 1)]


def case_id(case):
    return "-".join(str(v) for v in case)


def make(case, seed, bias=True):
    n, c, h, w, f, k = case[:6]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, h, w))
    wt = rng.standard_normal((f, c, k, k))
    b = rng.standard_normal(f) if bias else None
    return rng, x, wt, b


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_flat_frames_input_gradient_equals_naive_and_col2im(case):
    *_, p, d = case
    rng, x, wt, b = make(case, sum(case))
    out, cache_naive = F.conv2d_forward_naive(x, wt, b, padding=p, dilation=d)
    dout = rng.standard_normal(out.shape)
    dx_naive = F.conv2d_backward_naive(dout, cache_naive)[0]
    dx_flat = flat_frames.input_gradient_flat(dout, wt, x.shape, p, d)
    assert dx_flat.shape == x.shape and dx_flat.flags.c_contiguous
    np.testing.assert_allclose(dx_flat, dx_naive, rtol=RTOL, atol=ATOL)
    dx_plain = conv._input_gradient_col2im(dout, wt, x.shape, 1, p, d)
    np.testing.assert_allclose(dx_plain, dx_naive, rtol=RTOL, atol=ATOL)


def test_float32_stays_float32():
    rng = np.random.default_rng(3)
    dout = rng.standard_normal((2, 4, 6, 6), dtype=np.float32)
    wt = rng.standard_normal((4, 3, 3, 3), dtype=np.float32)
    assert flat_frames.input_gradient_flat(dout, wt, (2, 3, 6, 6), 1, 1).dtype == np.float32
