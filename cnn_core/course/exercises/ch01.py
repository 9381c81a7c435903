"""Checks for the exercises of chapter 1, "What is a CNN?".

Each check compares a student's answer with what the engine computes and prints a PASS line,
or raises AssertionError with a hint.
"""
from cnn_core.course.exercises._answers import call, require, whole_number
from cnn_core.course.exercises._report import expect, passed
from cnn_core.layers import Conv2D, Dense

_CONV_CASES = ((3, 3, 5), (1, 6, 5), (6, 16, 5), (3, 64, 3), (64, 128, 3), (8, 1, 1), (2, 4, 7))
_DENSE_CASES = ((400, 120), (120, 84), (84, 10), (1, 1), (3072, 10), (25, 7))


def _call(fn, name, *args):
    return whole_number(call(fn, name, *args), f"{name}{args}")


def check_conv_params(conv_params):
    """``conv_params(in_channels, out_channels, kernel_size)`` -> weights plus biases of a
    convolution layer, compared with :meth:`Conv2D.num_params` on several layers."""
    for c_in, c_out, k in _CONV_CASES:
        want = Conv2D(in_channels=c_in, out_channels=c_out, kernel_size=k).num_params()
        got = _call(conv_params, "conv_params", c_in, c_out, k)
        expect(got != c_out * c_in * k * k or got == want,
               f"conv_params({c_in}, {c_out}, {k}) = {got}: you counted the weights; every "
               f"filter also has one bias")
        expect(got == want,
               f"conv_params({c_in}, {c_out}, {k}) = {got}, expected {want:,}. Each of the "
               f"out_channels filters has kernel_size x kernel_size weights per input channel, "
               f"plus one bias")
    passed(f"conv_params matches Conv2D.num_params() on {len(_CONV_CASES)} layers")


def check_dense_params(dense_params):
    """``dense_params(in_features, out_features)`` -> weights plus biases of a fully connected
    layer, compared with :meth:`Dense.num_params`."""
    for n_in, n_out in _DENSE_CASES:
        want = Dense(in_features=n_in, out_features=n_out).num_params()
        got = _call(dense_params, "dense_params", n_in, n_out)
        expect(got == want,
               f"dense_params({n_in}, {n_out}) = {got}, expected {want:,}: every output is "
               f"connected to every input (a weight each) and has its own bias")
    passed(f"dense_params matches Dense.num_params() on {len(_DENSE_CASES)} layers")


def check_same_size_layer(layer):
    """A Conv2D with 16 filters of size 5x5 that keeps a (1, 28, 28) input at 28x28."""
    require(layer, "same_size")
    expect(isinstance(layer, Conv2D), f"expected a Conv2D layer, got {type(layer).__name__}")
    expect(layer.in_channels == 1,
           f"the input has 1 channel, but in_channels = {layer.in_channels}")
    expect(layer.out_channels == 16, f"use 16 filters (out_channels), got {layer.out_channels}")
    expect(layer.kernel_size == 5, f"use a 5x5 kernel (kernel_size=5), got {layer.kernel_size}")
    shape = layer.output_shape((1, 28, 28))
    expect(layer.stride == 1, f"with stride {layer.stride} the output shrinks to {shape[1:]}; "
                              f"keep stride=1")
    expect(shape == (16, 28, 28),
           f"output shape is {shape}, expected (16, 28, 28): a 5x5 kernel loses 4 pixels per "
           f"axis without padding; how much padding on each side gives them back?")
    passed("16 filters of 5x5 with padding 2 keep the 28x28 size: (16, 28, 28)")
