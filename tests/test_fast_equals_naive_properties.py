"""Property-based tests (hypothesis): the fast and naive version of every functional op give the
same numbers on random shapes, strides, paddings, dilations and dtypes, forward and backward.

Integer dtypes are included: both versions convert integer images to float32 first (the dtype
policy of cnn_core.validation), so they must agree there too.
"""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_core import functional as F

DTYPES = st.sampled_from([np.float32, np.float64, np.uint8, np.int32])
SETTINGS = settings(max_examples=40, deadline=None)


def tolerance(*arrays):
    single = any(np.asarray(a).dtype != np.float64 for a in arrays)
    return dict(rtol=1e-4, atol=1e-4) if single else dict(rtol=1e-10, atol=1e-10)


def draw_array(draw, shape, dtype):
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(0, 20, shape).astype(dtype)


@st.composite
def conv_case(draw):
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride, padding, dilation = draw(st.integers(1, 3)), draw(st.integers(0, 2)), draw(
        st.integers(1, 2))
    h = draw(st.integers(max(1, dilation * (kh - 1) + 1 - 2 * padding), 7))
    w = draw(st.integers(max(1, dilation * (kw - 1) + 1 - 2 * padding), 7))
    dtype = draw(DTYPES)
    x = draw_array(draw, (n, c, h, w), dtype)
    weights = draw_array(draw, (f, c, kh, kw), draw(st.sampled_from([np.float32, np.float64])))
    bias = draw(st.one_of(st.none(), st.just(draw_array(draw, (f,), weights.dtype))))
    return x, weights, bias, stride, padding, dilation


@SETTINGS
@given(conv_case())
def test_conv2d_fast_equals_naive(case):
    x, w, b, stride, padding, dilation = case
    out, cache = F.conv2d_forward(x, w, b, stride, padding, dilation)
    ref, ref_cache = F.conv2d_forward_naive(x, w, b, stride, padding, dilation)
    assert out.shape == ref.shape and out.dtype.kind == "f"
    np.testing.assert_allclose(out, ref, **tolerance(out, ref))
    dout = np.random.default_rng(0).standard_normal(out.shape).astype(out.dtype)
    for fast, slow in zip(F.conv2d_backward(dout, cache), F.conv2d_backward_naive(dout, ref_cache)):
        assert fast.shape == slow.shape
        np.testing.assert_allclose(fast, slow, **tolerance(fast, slow))


@st.composite
def pool_case(draw):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    k = draw(st.integers(1, 3))
    stride = draw(st.one_of(st.none(), st.integers(1, 3)))
    h, w = draw(st.integers(k, 8)), draw(st.integers(k, 8))
    return draw_array(draw, (n, c, h, w), draw(DTYPES)), k, stride


@SETTINGS
@given(pool_case())
def test_maxpool_fast_equals_naive(case):
    x, k, stride = case
    out, cache = F.maxpool2d_forward(x, k, stride)
    ref, ref_cache = F.maxpool2d_forward_naive(x, k, stride)
    np.testing.assert_array_equal(out, ref)
    dout = np.random.default_rng(1).standard_normal(out.shape).astype(out.dtype)
    np.testing.assert_allclose(F.maxpool2d_backward(dout, cache),
                               F.maxpool2d_backward_naive(dout, ref_cache), **tolerance(dout))


@SETTINGS
@given(pool_case())
def test_avgpool_fast_equals_naive(case):
    x, k, stride = case
    out, cache = F.avgpool2d_forward(x, k, stride)
    ref, ref_cache = F.avgpool2d_forward_naive(x, k, stride)
    assert out.dtype.kind == "f"
    np.testing.assert_allclose(out, ref, **tolerance(out, ref))
    dout = np.random.default_rng(2).standard_normal(out.shape).astype(out.dtype)
    np.testing.assert_allclose(F.avgpool2d_backward(dout, cache),
                               F.avgpool2d_backward_naive(dout, ref_cache), **tolerance(dout))


@st.composite
def transposed_case(draw):
    n, c_in, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, dilation = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    output_padding = draw(st.integers(0, stride - 1))
    smallest = min(stride * (h - 1) + dilation * (kh - 1) + 1,
                   stride * (w - 1) + dilation * (kw - 1) + 1) + output_padding
    padding = draw(st.integers(0, max(0, (smallest - 1) // 2)))
    x = draw_array(draw, (n, c_in, h, w), draw(DTYPES))
    weights = draw_array(draw, (c_in, c_out, kh, kw), np.float64)
    bias = draw(st.one_of(st.none(), st.just(draw_array(draw, (c_out,), np.float64))))
    return x, weights, bias, stride, padding, output_padding, dilation


@SETTINGS
@given(transposed_case())
def test_conv_transpose2d_fast_equals_naive(case):
    x, w, b, stride, padding, output_padding, dilation = case
    out = F.conv_transpose2d(x, w, b, stride, padding, output_padding, dilation)
    ref = F.conv_transpose2d_naive(x, w, b, stride, padding, output_padding, dilation)
    assert out.shape == ref.shape
    np.testing.assert_allclose(out, ref, **tolerance(x, out, ref))
