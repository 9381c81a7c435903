"""Checks for the exercises of notebook 03 (filters and feature maps)."""
import numpy as np

from cnn_core.arithmetic import conv_output_size
from cnn_core.course.convolution.filters import apply_filter
from cnn_core.course.exercises._answers import (
    call,
    number_array,
    real_number,
    whole_number,
    whole_numbers,
)
from cnn_core.course.exercises._report import expect, passed
from cnn_core.functional import conv2d_forward
from cnn_core.layers import Conv2D

# Exercise 1: a 64x64 colour photo through ten 7x7x3 filters, stride 1, no padding.
VOLUME_TASK = {"size": 64, "channels": 3, "filters": 10, "kernel_size": 7}


def check_volume_shape(out_shape, n_params):
    """``out_shape`` = the engine's output shape (N, F, H_out, W_out) for one image of
    :data:`VOLUME_TASK`; ``n_params`` = the conv layer's trainable numbers (weights + biases)."""
    t = VOLUME_TASK
    side = conv_output_size(t["size"], t["kernel_size"])
    want_shape = (1, t["filters"], side, side)
    layer = Conv2D(t["channels"], t["filters"], t["kernel_size"], rng=np.random.default_rng(0))
    want_params = layer.num_params()
    out_shape = whole_numbers(out_shape, "out_shape (N, F, H_out, W_out)", 4)
    n_params = whole_number(n_params, "n_params")
    expect(out_shape[1] != t["channels"] or t["channels"] == t["filters"],
           "the number of output maps is the number of filters, not of input channels")
    expect(out_shape[2:] != (t["size"] - t["kernel_size"],) * 2,
           "off by one: a kernel of size k fits i - k + 1 times into i pixels")
    expect(out_shape == want_shape, f"the output shape should follow o = i - k + 1 for each "
           f"side, with one map per filter; got {out_shape}")
    weights_only = t["filters"] * t["channels"] * t["kernel_size"] ** 2
    expect(n_params != weights_only, "don't forget the biases: one per filter")
    expect(n_params != t["filters"] * t["kernel_size"] ** 2 + t["filters"],
           "each filter is 7x7x3: it has weights for every input channel")
    expect(n_params == want_params, f"count F * (C * K * K) weights plus F biases; got {n_params}")
    passed(f"{want_shape} output and {want_params} parameters; both follow from the sizes "
           "alone, whatever values the weights have")


def check_one_output(one_output):
    """``one_output(patch, weights, bias) -> float``: patch and weights (C, KH, KW), bias a
    number; the value a filter writes at one position of its feature map."""
    rng = np.random.default_rng(3)
    for channels, k in ((3, 5), (1, 3), (4, 2)):
        patch = rng.normal(size=(channels, k, k))
        weights = rng.normal(size=(channels, k, k))
        bias = float(rng.normal())
        want = conv2d_forward(patch[None], weights[None], np.array([bias]))[0].item()
        got = call(one_output, "one_output", patch.copy(), weights.copy(), bias)
        expect(not isinstance(got, np.ndarray) or got.ndim == 0,
               f"return a single number, got an array of shape {getattr(got, 'shape', None)}: "
               "sum everything")
        got = real_number(got, "one_output(patch, weights, bias)")
        first_channel = float(np.sum(patch[0] * weights[0]) + bias)
        expect(channels == 1 or not np.isclose(got, first_channel),
               "sum over *all* input channels, not only channel 0")
        expect(not np.isclose(got, want - bias) or np.isclose(bias, 0),
               "add the bias once, after the sum")
        expect(np.isclose(got, want), f"for a {channels}x{k}x{k} patch the engine gives "
               f"{want:.4f}, you gave {got:.4f}: multiply element by element, sum everything, "
               "add the bias")
    passed("your single output value matches the engine's conv2d_forward for 1, 3 and 4 "
           "input channels")


def _line_images(size=11):
    """Test images (H, W): flat, a thin vertical line, a horizontal line, a wide bright band."""
    mid = size // 2
    flat = np.full((size, size), 0.6)
    vertical = np.zeros((size, size))
    vertical[:, mid] = 1.0
    horizontal = vertical.T.copy()
    band = np.zeros((size, size))
    band[:, mid - 2:mid + 3] = 1.0
    return flat, vertical, horizontal, band


def check_line_filter(kernel):
    """``kernel`` (3, 3): large on a thin bright vertical line, zero on flat regions, weak on a
    horizontal line and on a wide bright band."""
    kernel = number_array(kernel, "line_kernel", shape=(3, 3)).astype(float)
    expect(np.all(np.isfinite(kernel)), "kernel must hold finite numbers")
    flat, vertical, horizontal, band = _line_images()
    expect(np.allclose(apply_filter(flat, kernel), 0, atol=1e-9),
           "a flat region should give 0: make the weights add up to zero")
    on_line = apply_filter(vertical, kernel)
    peak = on_line.max()
    mid = on_line.shape[1] // 2
    expect(peak > 0 and np.isclose(on_line[:, mid], peak).all(),
           "the feature map should be largest exactly on the thin vertical line: give the "
           "middle column positive weights")
    expect(apply_filter(horizontal, kernel).max() <= 0.25 * peak,
           "a horizontal line also excites your filter: make each row of the kernel add up to "
           "zero on its own")
    expect(apply_filter(band, kernel).max() <= 0.75 * peak,
           "a wide bright band looks like a line to your filter: punish brightness on both "
           "sides of the middle column")
    passed(f"line response {peak:.2f}; flat regions give 0, a horizontal line and a wide band "
           "give much less")
