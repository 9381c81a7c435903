"""Bad input, theme "types": a value of the wrong kind is refused by cnn_core with a message
that names the parameter (never a traceback from inside numpy).  See cnn_core.validation."""
import numpy as np
import pytest

from cnn_core import arithmetic
from cnn_core import functional as F
from cnn_core.data import iterate_minibatches, make_shapes, shift_augment
from cnn_core.layers import AvgPool2D, BatchNorm2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from cnn_core.losses import MSE, SoftmaxCrossEntropy
from cnn_core.model import Sequential
from cnn_core.optim import SGD, Adam
from cnn_core.recipes import Recipe
from cnn_core.train import EarlyStopping, LivePlot, fit
from cnn_core.validation import ArgumentTypeError

X = np.zeros((2, 1, 6, 6), dtype=np.float32)
W = np.zeros((2, 1, 3, 3), dtype=np.float32)


def small_model():
    rng = np.random.default_rng(0)
    return Sequential([Conv2D(1, 2, 3, rng=rng), ReLU(), Flatten(), Dense(32, 3, rng=rng)])


CASES = {
    # constructors: counts must be integers, not floats, bools or strings
    "Conv2D kernel_size 2.5": (lambda: Conv2D(1, 2, 2.5), "kernel_size"),
    "Conv2D in_channels '1'": (lambda: Conv2D("1", 2, 3), "in_channels"),
    "Conv2D stride True": (lambda: Conv2D(1, 2, 3, stride=True), "stride"),
    "Conv2D padding 1.0": (lambda: Conv2D(1, 2, 3, padding=1.0), "padding"),
    "Conv2D dilation None": (lambda: Conv2D(1, 2, 3, dilation=None), "dilation"),
    "Conv2D rng seed": (lambda: Conv2D(1, 2, 3, rng=0), "rng"),
    "Conv2D dtype 'float'": (lambda: Conv2D(1, 2, 3, dtype="banana"), "dtype"),
    "Dense out_features 10.0": (lambda: Dense(4, 10.0), "out_features"),
    "Dense weight_scale '0.1'": (lambda: Dense(4, 2, weight_scale="0.1"), "weight_scale"),
    "Dense rng RandomState": (lambda: Dense(4, 2, rng=np.random.RandomState(0)), "rng"),
    "MaxPool2D kernel_size 2.0": (lambda: MaxPool2D(2.0), "kernel_size"),
    "AvgPool2D stride '2'": (lambda: AvgPool2D(2, stride="2"), "stride"),
    "Dropout p '0.5'": (lambda: Dropout("0.5"), "p"),
    "Dropout p None": (lambda: Dropout(None), "p"),
    "BatchNorm2D num_features 2.0": (lambda: BatchNorm2D(2.0), "num_features"),
    "BatchNorm2D momentum True": (lambda: BatchNorm2D(2, momentum=True), "momentum"),
    "BatchNorm2D eps '1e-5'": (lambda: BatchNorm2D(2, eps="1e-5"), "eps"),
    "Sequential of one layer": (lambda: Sequential(ReLU()), "layers"),
    "Sequential of a function": (lambda: Sequential([ReLU(), np.tanh]), r"layers\[1\]"),
    "Sequential of None": (lambda: Sequential(None), "layers"),
    "SGD lr '0.1'": (lambda: SGD(lr="0.1"), "lr"),
    "SGD momentum None": (lambda: SGD(0.1, momentum=None), "momentum"),
    "Adam beta1 '0.9'": (lambda: Adam(beta1="0.9"), "beta1"),
    "Adam eps None": (lambda: Adam(eps=None), "eps"),
    "EarlyStopping patience 2.5": (lambda: EarlyStopping(2.5), "patience"),
    "LivePlot update not callable": (lambda: LivePlot("redraw"), "update"),
    "Recipe epochs 2.5": (lambda: Recipe(epochs=2.5), "epochs"),
    "Recipe filters '8,16'": (lambda: Recipe(filters="8,16"), "filters"),
    "Recipe optimizer 'Adam'": (lambda: Recipe(optimizer="Adam"), "optimizer"),
    # forward passes and functional ops: arrays, not lists
    "Conv2D forward list": (lambda: Conv2D(1, 2, 3).forward(X.tolist()), "x"),
    "Dense forward list": (lambda: Dense(4, 2).forward([[1, 2, 3, 4]]), "x"),
    "Flatten forward list": (lambda: Flatten().forward([[1.0]]), "x"),
    "ReLU forward complex": (lambda: ReLU().forward(np.ones(3, dtype=complex)), "x"),
    "MaxPool2D forward strings": (lambda: MaxPool2D(2).forward(np.full((1, 1, 2, 2), "a")), "x"),
    "conv2d_forward w list": (lambda: F.conv2d_forward(X, W.tolist(), None), "w"),
    "conv2d_forward b list": (lambda: F.conv2d_forward(X, W, [0.0, 0.0]), "b"),
    "conv2d_forward_naive x object": (lambda: F.conv2d_forward_naive(X.astype(object), W, None),
                                      "x"),
    "maxpool2d_forward kernel 1.5": (lambda: F.maxpool2d_forward(X, 1.5), "kernel_size"),
    "avgpool2d_forward stride '2'": (lambda: F.avgpool2d_forward(X, 2, "2"), "stride"),
    "conv_transpose2d x list": (lambda: F.conv_transpose2d(X.tolist(), W, None), "x"),
    "conv2d_backward cache None": (lambda: F.conv2d_backward(X, None), "cache"),
    "pad_images padding 1.5": (lambda: F.pad_images(X, 1.5), "padding"),
    "im2col kh 2.5": (lambda: F.im2col(X, 2.5, 2), "kh"),
    "conv_output_size k 2.5": (lambda: arithmetic.conv_output_size(5, 2.5), "k"),
    # losses, optimizer, training, data
    "cross-entropy scores list": (lambda: SoftmaxCrossEntropy().forward([[1.0, 2.0]], [0]),
                                  "scores"),
    "cross-entropy float labels": (lambda: SoftmaxCrossEntropy().forward(
        np.zeros((2, 3)), np.array([0.0, 1.0])), "labels"),
    "MSE ragged targets": (lambda: MSE().forward(np.zeros((2, 2)), [[1.0], [1.0, 2.0]]),
                           "targets"),
    "optimizer step of a layer": (lambda: SGD(0.1).step(Dense(2, 2)), "model"),
    "fit x list": (lambda: fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), X.tolist(),
                               np.zeros(2, dtype=int)), "x"),
    "fit y list": (lambda: fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), X, [0, 1]), "y"),
    "fit rng seed": (lambda: fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), X,
                                 np.zeros(2, dtype=int), rng=42), "rng"),
    "fit callbacks one callback": (lambda: fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), X,
                                               np.zeros(2, dtype=int),
                                               callbacks=EarlyStopping()), "callbacks"),
    "fit augment not callable": (lambda: fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), X,
                                             np.zeros(2, dtype=int), augment=2), "augment"),
    "iterate_minibatches batch_size 8.0": (lambda: list(iterate_minibatches(
        X, np.zeros(2), 8.0, rng=np.random.default_rng(0))), "batch_size"),
    "iterate_minibatches x list": (lambda: list(iterate_minibatches(
        X.tolist(), np.zeros(2), 1, rng=np.random.default_rng(0))), "x"),
    "shift_augment max_shift 1.5": (lambda: shift_augment(X, 1.5, np.random.default_rng(0)),
                                    "max_shift"),
    "make_shapes noise '0.1'": (lambda: make_shapes(1, rng=np.random.default_rng(0),
                                                    noise="0.1"), "noise"),
    "summary input_shape int": (lambda: small_model().summary(6), "input_shape"),
}


@pytest.mark.parametrize("call, name", CASES.values(), ids=CASES.keys())
def test_wrong_kind_of_value_is_refused_naming_the_parameter(call, name):
    with pytest.raises((TypeError, ValueError), match=rf"(?<![\w.]){name}(?!\w)") as info:
        call()
    assert type(info.value).__module__ in ("builtins", "cnn_core.validation")
    assert info.value.__traceback__ is not None
    # raised by cnn_core, not from inside numpy
    frames = [f.tb_frame.f_code.co_filename for f in _walk(info.value.__traceback__)]
    assert "cnn_core" in frames[-1], frames[-1]


def _walk(tb):
    while tb is not None:
        yield tb
        tb = tb.tb_next


def test_type_errors_are_also_value_errors():
    with pytest.raises(TypeError, match="kernel_size must be an integer >= 1, got 2.5"):
        Conv2D(1, 2, 2.5)
    assert issubclass(ArgumentTypeError, ValueError)
