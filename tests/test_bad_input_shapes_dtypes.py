"""Bad input, theme "shapes and dtypes": wrong shapes are refused naming the parameter;
integer images are converted (the dtype policy in cnn_core.validation), integer layer dtypes
refused."""
import numpy as np
import pytest

from cnn_core import functional as F
from cnn_core.layers import AvgPool2D, BatchNorm2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from cnn_core.losses import MSE, SoftmaxCrossEntropy, one_hot
from cnn_core.model import Sequential

RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 1, 6, 6)).astype(np.float32)
W = RNG.standard_normal((2, 1, 3, 3)).astype(np.float32)


def small_model():
    rng = np.random.default_rng(0)
    return Sequential([Conv2D(1, 2, 3, rng=rng), ReLU(), Flatten(), Dense(32, 3, rng=rng)])


CASES = {
    "conv x 3-D": (lambda: F.conv2d_forward(X[0], W, None), "x"),
    "conv x empty batch": (lambda: F.conv2d_forward(X[:0], W, None), "x"),
    "conv w 3-D": (lambda: F.conv2d_forward(X, W[0], None), "w"),
    "conv w channels": (lambda: F.conv2d_forward(X, np.zeros((2, 3, 3, 3)), None), "C"),
    "conv b shape": (lambda: F.conv2d_forward(X, W, np.zeros(3)), "b"),
    "conv kernel too big": (lambda: F.conv2d_forward(X, np.zeros((1, 1, 7, 7)), None),
                            "kernel_size"),
    "naive conv dilation too big": (lambda: F.conv2d_forward_naive(X, W, None, dilation=4),
                                    "dilation"),
    "transposed w shape": (lambda: F.conv_transpose2d(X, np.zeros((3, 1, 3, 3)), None), "w"),
    "transposed b shape": (lambda: F.conv_transpose2d(X, np.zeros((1, 2, 3, 3)), np.zeros(3)),
                           "b"),
    "transposed output_padding": (lambda: F.conv_transpose2d(X, np.zeros((1, 2, 3, 3)), None,
                                                             stride=2, output_padding=2),
                                  "output_padding"),
    "maxpool window too big": (lambda: F.maxpool2d_forward(X, 7), "kernel_size"),
    "avgpool naive x 2-D": (lambda: F.avgpool2d_forward_naive(X[0, 0], 2), "x"),
    "Conv2D wrong channels": (lambda: Conv2D(3, 2, 3).forward(X), "in_channels"),
    "Conv2D 1 image without batch axis": (lambda: Conv2D(1, 2, 3).forward(X[0]), "x"),
    "Dense without Flatten": (lambda: Dense(36, 2).forward(X), "in_features"),
    "Dense wrong features": (lambda: Dense(5, 2).forward(np.zeros((2, 4))), "in_features"),
    "Dense empty batch": (lambda: Dense(4, 2).forward(np.zeros((0, 4))), "x"),
    "Flatten empty batch": (lambda: Flatten().forward(np.zeros((0, 1, 2, 2))), "x"),
    "Flatten no batch axis": (lambda: Flatten().forward(np.zeros(3)), "x"),
    "BatchNorm2D wrong channels": (lambda: BatchNorm2D(3).forward(X), "num_features"),
    "MaxPool2D window too big": (lambda: MaxPool2D(7).forward(X), "kernel_size"),
    "AvgPool2D x 3-D": (lambda: AvgPool2D(2).forward(X[0]), "x"),
    "Conv2D dtype int32": (lambda: Conv2D(1, 2, 3, dtype=np.int32), "dtype"),
    "Dense dtype uint8": (lambda: Dense(4, 2, dtype=np.uint8), "dtype"),
    "BatchNorm2D dtype bool": (lambda: BatchNorm2D(2, dtype=bool), "dtype"),
    "cross-entropy zero classes": (lambda: SoftmaxCrossEntropy().forward(np.zeros((2, 0)),
                                                                         np.zeros(2, int)),
                                   "scores"),
    "cross-entropy scores 1-D": (lambda: SoftmaxCrossEntropy().forward(np.zeros(3), [0]),
                                 "scores"),
    "cross-entropy labels shape": (lambda: SoftmaxCrossEntropy().forward(np.zeros((2, 3)),
                                                                         np.zeros(3, int)),
                                   "labels"),
    "cross-entropy label out of range": (lambda: SoftmaxCrossEntropy().forward(
        np.zeros((2, 3)), np.array([0, 3])), "labels"),
    "MSE targets shape": (lambda: MSE().forward(np.zeros((2, 3)), np.zeros((2, 2))), "targets"),
    "MSE NaN targets": (lambda: MSE().forward(np.zeros((2, 3)), np.full((2, 3), np.nan)),
                        "targets"),
    "one_hot zero classes": (lambda: one_hot(np.array([0]), 0), "num_classes"),
    "summary full batch shape": (lambda: small_model().summary((8, 1, 6, 6)), "input_shape"),
    "summary negative size": (lambda: small_model().summary((1, -6, 6)), r"input_shape\[1\]"),
    "summary wrong channels": (lambda: small_model().summary((3, 6, 6)), "in_channels"),
}


@pytest.mark.parametrize("call, name", CASES.values(), ids=CASES.keys())
def test_wrong_shape_or_dtype_is_refused_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"(?<![\w.]){name}(?!\w)"):     # the word itself
        call()


# ------------------------------------------------------------------- converted, not refused
def test_uint8_convolution_does_not_wrap_around():
    x = np.full((1, 1, 2, 2), 200, dtype=np.uint8)
    w = np.ones((1, 1, 2, 2), dtype=np.uint8)
    out, _ = F.conv2d_forward(x, w, None)
    assert out.dtype.kind == "f" and out[0, 0, 0, 0] == 800      # not 800 % 256 = 32
    np.testing.assert_array_equal(out, F.conv2d_forward_naive(x, w, None)[0])


@pytest.mark.parametrize("forward", [F.avgpool2d_forward, F.avgpool2d_forward_naive])
def test_uint8_average_pooling_keeps_fractions(forward):
    x = np.array([[[[1, 2], [3, 5]]]], dtype=np.uint8)
    out, _ = forward(x, 2)
    assert out.dtype == np.float32 and out[0, 0, 0, 0] == pytest.approx(2.75)


@pytest.mark.parametrize("layer", [Conv2D(1, 2, 3, rng=np.random.default_rng(0)), MaxPool2D(2),
                                   AvgPool2D(2), ReLU(), Flatten(), BatchNorm2D(1),
                                   Dropout(0.5, rng=np.random.default_rng(0))],
                         ids=lambda layer: type(layer).__name__)
def test_layers_take_integer_pixels_as_float32(layer):
    pixels = np.random.default_rng(1).integers(0, 256, (2, 1, 6, 6)).astype(np.uint8)
    out = layer.forward(pixels)
    assert out.dtype.kind == "f" and np.all(np.isfinite(out))


def test_dropout_of_integer_input_scales_instead_of_overflowing():
    out = Dropout(0.5, rng=np.random.default_rng(0)).forward(np.full((4, 4), 3, dtype=np.int8))
    assert set(np.unique(out)) <= {0.0, 6.0}


def test_layer_with_integer_dtype_is_refused_with_the_reason():
    with pytest.raises(TypeError, match=r"dtype must be a floating numpy dtype .*got int64"):
        Dense(4, 2, dtype=np.int64)


def test_float64_layers_still_allowed():
    layer = Conv2D(1, 2, 3, dtype=np.float64, rng=np.random.default_rng(0))
    assert layer.params["W"].dtype == np.float64
