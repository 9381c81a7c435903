"""Tests for cnn_core.layers: gradient checks, behaviour, repr, and invalid input.

Gradient checks run in float64 (layers built with dtype=np.float64) and require a relative
error below 1e-7 for the input and for every parameter.
"""

import numpy as np
import pytest

from cnn_core.layers import (
    AvgPool2D,
    BatchNorm2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Layer,
    MaxPool2D,
    ReLU,
)
from cnn_core.layers.examples import away_from_zero, distinct_values

# ------------------------------------------------------------------------ gradient checks
CONV_CONFIGS = [
    # (C, F, kernel_size, stride, padding, dilation, (N, H, W))
    (2, 3, 3, 1, 0, 1, (2, 6, 6)),
    (3, 4, 3, 2, 1, 1, (2, 7, 5)),      # stride 2, padding, odd rectangular input
    (2, 3, 3, 1, 2, 2, (1, 7, 5)),      # dilation 2 with padding
    (1, 2, 2, 3, 1, 3, (2, 8, 6)),      # stride 3, dilation 3
    (3, 2, 1, 2, 0, 1, (2, 5, 7)),      # 1x1 kernel, stride 2
    (2, 2, 5, 2, 2, 1, (1, 9, 4)),      # large kernel on a thin input
    (1, 1, 3, 1, 0, 1, (1, 3, 3)),      # window exactly the input
]


@pytest.mark.parametrize("c, f, k, s, p, d, nhw", CONV_CONFIGS, ids=str)
def test_conv2d_gradients(c, f, k, s, p, d, nhw, assert_gradients_ok):
    rng = np.random.default_rng(k + 10 * s + 100 * p + 1000 * d)
    layer = Conv2D(c, f, kernel_size=k, stride=s, padding=p, dilation=d, rng=rng,
                   dtype=np.float64)
    layer.params["b"][...] = rng.standard_normal(f)
    n, h, w = nhw
    assert_gradients_ok(layer, rng.standard_normal((n, c, h, w)))


@pytest.mark.parametrize("layer_cls", [MaxPool2D, AvgPool2D])
@pytest.mark.parametrize("k, s, shape", [
    (2, 2, (2, 2, 6, 6)),
    (3, 2, (2, 3, 7, 5)),     # overlapping windows, odd rectangular input
    (3, 1, (1, 2, 5, 7)),     # heavily overlapping
    (2, 3, (2, 1, 8, 7)),     # gaps between windows: some inputs get no gradient
    (4, 4, (1, 2, 9, 5)),     # leftover rows/cols ignored
], ids=str)
def test_pool_gradients(layer_cls, k, s, shape, assert_gradients_ok):
    rng = np.random.default_rng(k * 7 + s)
    assert_gradients_ok(layer_cls(kernel_size=k, stride=s), distinct_values(shape, rng))


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("shape", [(4, 3, 5, 7), (2, 2, 3, 1)], ids=str)
def test_batchnorm_gradients(training, shape, assert_gradients_ok):
    rng = np.random.default_rng(3)
    c = shape[1]
    layer = BatchNorm2D(c, dtype=np.float64)
    layer.params["gamma"][...] = rng.uniform(0.5, 2.0, c)
    layer.params["beta"][...] = rng.standard_normal(c)
    layer.buffers["running_mean"][...] = rng.standard_normal(c)
    layer.buffers["running_var"][...] = rng.uniform(0.5, 2.0, c)
    if not training:
        layer.eval()
    assert_gradients_ok(layer, rng.standard_normal(shape) * 2 + 1)


@pytest.mark.parametrize("p", [0.3, 0.5])
def test_dropout_gradients_with_fixed_mask(p, assert_gradients_ok, freeze_randomness):
    rng = np.random.default_rng(5)
    layer = freeze_randomness(Dropout(p, rng=np.random.default_rng(11)))
    x = rng.standard_normal((3, 2, 4, 5))
    y = layer.forward(x)
    assert np.array_equal(layer.forward(x), y)          # the mask really is fixed
    assert 0 < np.mean(y == 0) < 1                       # and it drops something
    assert_gradients_ok(layer, x)


@pytest.mark.parametrize("shape", [(3, 7), (2, 3, 5, 4)], ids=str)
def test_relu_gradients(shape, assert_gradients_ok):
    rng = np.random.default_rng(7)
    assert_gradients_ok(ReLU(), away_from_zero(shape, rng))


# ------------------------------------------------------------------------------ behaviour
SHAPE_CASES = [      # configurations beyond the examples (see test_contract_output_shape...)
    (Conv2D(3, 5, kernel_size=3, stride=2, padding=1, rng=np.random.default_rng(0)), (3, 7, 5)),
    (Conv2D(2, 4, kernel_size=3, dilation=2, rng=np.random.default_rng(0)), (2, 9, 6)),
    (AvgPool2D(kernel_size=2), (4, 7, 5)),
    (Dense(12, 3, rng=np.random.default_rng(0)), (12,)),
    (Dropout(0.5, rng=np.random.default_rng(0)), (3, 4, 4)),
]


@pytest.mark.parametrize("layer, input_shape", SHAPE_CASES, ids=lambda v: repr(v))
def test_output_shape_matches_forward(layer, input_shape):
    x = np.random.default_rng(0).standard_normal((2, *input_shape)).astype(np.float32)
    assert layer.forward(x).shape == (2, *layer.output_shape(input_shape))


def test_conv2d_he_initialisation_and_dtype():
    layer = Conv2D(16, 64, kernel_size=3, rng=np.random.default_rng(0))
    assert layer.params["W"].shape == (64, 16, 3, 3) and layer.params["W"].dtype == np.float32
    assert layer.params["b"].shape == (64,) and not layer.params["b"].any()
    expected_std = np.sqrt(2.0 / (16 * 9))
    assert abs(layer.params["W"].std() / expected_std - 1) < 0.05
    assert set(layer.grads) == set(layer.params)
    for key in layer.params:
        assert layer.grads[key].shape == layer.params[key].shape
    layer64 = Conv2D(1, 2, 3, rng=np.random.default_rng(0), dtype=np.float64)
    assert layer64.params["W"].dtype == np.float64


def test_same_rng_seed_gives_same_weights():
    a = Conv2D(2, 3, 3, rng=np.random.default_rng(42))
    b = Conv2D(2, 3, 3, rng=np.random.default_rng(42))
    c = Conv2D(2, 3, 3, rng=np.random.default_rng(43))
    assert np.array_equal(a.params["W"], b.params["W"])
    assert not np.array_equal(a.params["W"], c.params["W"])


def test_dense_is_x_times_w_plus_b():
    layer = Dense(3, 2, rng=np.random.default_rng(0), dtype=np.float64)
    layer.params["W"][...] = [[1, 0], [0, 1], [1, -1]]
    layer.params["b"][...] = [0.5, -0.5]
    out = layer.forward(np.array([[1.0, 2.0, 3.0]]))
    np.testing.assert_array_equal(out, [[1 + 3 + 0.5, 2 - 3 - 0.5]])
    dx = layer.backward(np.array([[1.0, 10.0]]))
    np.testing.assert_array_equal(dx, [[1, 10, -9]])
    np.testing.assert_array_equal(layer.grads["W"], [[1, 10], [2, 20], [3, 30]])
    np.testing.assert_array_equal(layer.grads["b"], [1, 10])


def test_relu_forward_backward_by_hand():
    layer = ReLU()
    out = layer.forward(np.array([[-2.0, 0.0, 3.0]]))
    np.testing.assert_array_equal(out, [[0, 0, 3]])
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 6.0, 7.0]])), [[0, 0, 7]])


def test_dropout_train_and_eval():
    layer = Dropout(0.25, rng=np.random.default_rng(0))
    x = np.ones((200, 50))
    y = layer.forward(x)
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(y[kept], 1 / 0.75)       # inverted dropout scaling
    dx = layer.backward(np.full(x.shape, 2.0))
    np.testing.assert_array_equal(dx != 0, kept)         # same mask on the way back
    np.testing.assert_allclose(dx[kept], 2 / 0.75)
    layer.eval()
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(x), x)
    assert np.array_equal(Dropout(0.0, rng=np.random.default_rng(0)).forward(x), x)


def test_batchnorm_training_statistics_and_running_averages():
    rng = np.random.default_rng(1)
    layer = BatchNorm2D(3, momentum=0.1, dtype=np.float64)
    x = rng.standard_normal((4, 3, 5, 6)) * np.array([1, 2, 3])[None, :, None, None] + 5
    y = layer.forward(x)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), x.var(axis=(0, 2, 3)) /
                               (x.var(axis=(0, 2, 3)) + 1e-5), rtol=1e-12)
    count = 4 * 5 * 6
    expected_mean = 0.9 * 0 + 0.1 * x.mean(axis=(0, 2, 3))
    expected_var = 0.9 * 1 + 0.1 * x.var(axis=(0, 2, 3)) * count / (count - 1)
    np.testing.assert_allclose(layer.buffers["running_mean"], expected_mean, rtol=1e-12)
    np.testing.assert_allclose(layer.buffers["running_var"], expected_var, rtol=1e-12)


def test_batchnorm_eval_uses_running_statistics():
    layer = BatchNorm2D(2, dtype=np.float64).eval()
    layer.buffers["running_mean"][...] = [1.0, -2.0]
    layer.buffers["running_var"][...] = [4.0, 0.25]
    layer.params["gamma"][...] = [2.0, 1.0]
    layer.params["beta"][...] = [0.0, 3.0]
    layer.eps = 0.0
    x = np.array([3.0, -1.0]).reshape(1, 2, 1, 1)
    # channel 0: 2 * (3 - 1) / 2 + 0 = 2;  channel 1: 1 * (-1 + 2) / 0.5 + 3 = 5
    np.testing.assert_allclose(layer.forward(x).ravel(), [2.0, 5.0])
    np.testing.assert_array_equal(layer.buffers["running_mean"], [1.0, -2.0])   # unchanged


def test_num_params():
    assert Conv2D(3, 8, kernel_size=5, rng=np.random.default_rng(0)).num_params() == 8 * 3 * 25 + 8
    assert Dense(10, 4, rng=np.random.default_rng(0)).num_params() == 44
    assert BatchNorm2D(6).num_params() == 12
    assert MaxPool2D(2).num_params() == ReLU().num_params() == Flatten().num_params() == 0


# ----------------------------------------------------------------------------------- repr
@pytest.mark.parametrize("layer, text", [
    (Conv2D(3, 8, kernel_size=3, rng=np.random.default_rng(0)), "Conv2D(3, 8, kernel_size=3)"),
    (Conv2D(3, 8, kernel_size=5, stride=2, padding=2, dilation=2, rng=np.random.default_rng(0)),
     "Conv2D(3, 8, kernel_size=5, stride=2, padding=2, dilation=2)"),
    (MaxPool2D(kernel_size=2), "MaxPool2D(kernel_size=2)"),
    (MaxPool2D(kernel_size=3, stride=2), "MaxPool2D(kernel_size=3, stride=2)"),
    (AvgPool2D(kernel_size=2, stride=1), "AvgPool2D(kernel_size=2, stride=1)"),
    (ReLU(), "ReLU()"),
    (Flatten(), "Flatten()"),
    (Dense(784, 10, rng=np.random.default_rng(0)), "Dense(784, 10)"),
    (Dropout(0.25, rng=np.random.default_rng(0)), "Dropout(p=0.25)"),
    (BatchNorm2D(16), "BatchNorm2D(16)"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_repr_is_readable(layer, text):
    assert repr(layer) == text


def test_spatial_attributes_and_pointwise_marker():
    pool = MaxPool2D(kernel_size=3)
    assert (pool.kernel_size, pool.stride, pool.padding, pool.dilation) == (3, 3, 0, 1)
    conv = Conv2D(1, 1, kernel_size=np.int64(3), stride=2, rng=np.random.default_rng(0))
    assert type(conv.kernel_size) is int and conv.stride == 2
    assert ReLU.preserves_space and Dropout.preserves_space and BatchNorm2D.preserves_space
    assert not Conv2D.preserves_space and not Flatten.preserves_space and not Dense.preserves_space


# ------------------------------------------------------------------------ invalid input
def rng0():
    return np.random.default_rng(0)


INVALID_CONSTRUCTORS = {
    "conv kernel 0": (lambda: Conv2D(1, 2, kernel_size=0), r"kernel_size must be an integer >= 1"),
    "conv stride 0": (lambda: Conv2D(1, 2, 3, stride=0), r"stride must be an integer >= 1"),
    "conv negative padding": (lambda: Conv2D(1, 2, 3, padding=-1),
                              r"padding must be an integer >= 0"),
    "conv dilation 0": (lambda: Conv2D(1, 2, 3, dilation=0), r"dilation must be an integer >= 1"),
    "conv float kernel": (lambda: Conv2D(1, 2, kernel_size=3.0),
                          r"kernel_size must be an integer >= 1, got 3\.0"),
    "conv bool kernel": (lambda: Conv2D(1, 2, kernel_size=True),
                         r"kernel_size must be an integer >= 1, got True"),
    "conv in_channels 0": (lambda: Conv2D(0, 2, 3), r"in_channels must be an integer >= 1"),
    "conv out_channels float": (lambda: Conv2D(1, 2.5, 3), r"out_channels must be an integer >= 1"),
    "conv rng int": (lambda: Conv2D(1, 2, 3, rng=42), r"rng must be a numpy\.random\.Generator"),
    "maxpool kernel 0": (lambda: MaxPool2D(kernel_size=0), r"kernel_size must be an integer >= 1"),
    "maxpool stride 0": (lambda: MaxPool2D(2, stride=0), r"stride must be an integer >= 1"),
    "avgpool float kernel": (lambda: AvgPool2D(kernel_size=2.5),
                             r"kernel_size must be an integer >= 1"),
    "avgpool bool stride": (lambda: AvgPool2D(2, stride=False), r"stride must be an integer >= 1"),
    "dense in_features 0": (lambda: Dense(0, 3), r"in_features must be an integer >= 1"),
    "dense out_features -1": (lambda: Dense(3, -1), r"out_features must be an integer >= 1"),
    "dense rng RandomState": (lambda: Dense(3, 2, rng=np.random.RandomState(0)),
                              r"rng must be a numpy\.random\.Generator"),
    "dropout p=1": (lambda: Dropout(p=1), r"p must be a number in \[0, 1\)"),
    "dropout p=-0.1": (lambda: Dropout(p=-0.1), r"p must be a number in \[0, 1\)"),
    "dropout p=True": (lambda: Dropout(p=True), r"p must be a number in \[0, 1\)"),
    "dropout rng seed": (lambda: Dropout(0.5, rng=0), r"rng must be a numpy\.random\.Generator"),
    "batchnorm 0 features": (lambda: BatchNorm2D(0), r"num_features must be an integer >= 1"),
    "batchnorm momentum 1.5": (lambda: BatchNorm2D(3, momentum=1.5),
                               r"momentum must be a number in \[0, 1\]"),
}


@pytest.mark.parametrize("build, pattern", INVALID_CONSTRUCTORS.values(),
                         ids=INVALID_CONSTRUCTORS.keys())
def test_invalid_hyperparameters_raise_value_error(build, pattern):
    with pytest.raises(ValueError, match=pattern):
        build()


INVALID_FORWARDS = {
    "conv wrong channels": (lambda: Conv2D(3, 2, 3, rng=rng0()), (1, 2, 5, 5),
                            r"expects in_channels=3, got input with C=2"),
    "conv 3-D input": (lambda: Conv2D(3, 2, 3, rng=rng0()), (3, 5, 5),
                       r"x must have 4 dimensions \(N, C, H, W\).*x\[None\]"),
    "conv kernel larger than input": (lambda: Conv2D(1, 1, 5, rng=rng0()), (1, 1, 3, 3),
                                      r"kernel size 5 \(effective\) is larger than the "
                                      r"padded input 3"),
    "conv dilated kernel larger than input": (
        lambda: Conv2D(1, 1, 3, dilation=3, padding=0, rng=rng0()), (1, 1, 9, 6),
        r"kernel size 7 \(effective\) is larger than the padded input 6"),
    "maxpool window larger than input": (lambda: MaxPool2D(3), (1, 1, 2, 2),
                                         r"pooling window size 3 .*larger than the padded input 2"),
    "avgpool window larger than width": (lambda: AvgPool2D(3, stride=1), (1, 1, 7, 2),
                                         r"pooling window size 3 .*larger than the padded input 2"),
    "maxpool 3-D input": (lambda: MaxPool2D(2), (1, 4, 4), r"x must have 4 dimensions"),
    "dense without flatten": (lambda: Dense(12, 3, rng=rng0()), (2, 3, 2, 2),
                              r"expects input of shape \(N, in_features=12\).*Flatten"),
    "dense wrong features": (lambda: Dense(12, 3, rng=rng0()), (2, 11),
                             r"expects input of shape \(N, in_features=12\)"),
    "batchnorm wrong channels": (lambda: BatchNorm2D(3), (2, 4, 5, 5),
                                 r"BatchNorm2D\(3\) expects C = num_features = 3 channels"),
    "batchnorm 2-D input": (lambda: BatchNorm2D(3), (2, 3), r"x must have 4 dimensions"),
    "flatten 1-D input": (lambda: Flatten(), (5,), r"Flatten expects an array with a batch axis"),
}


@pytest.mark.parametrize("build, shape, pattern", INVALID_FORWARDS.values(),
                         ids=INVALID_FORWARDS.keys())
def test_invalid_input_shapes_raise_value_error(build, shape, pattern):
    with pytest.raises(ValueError, match=pattern):
        build().forward(np.zeros(shape, dtype=np.float32))


def test_relu_and_dropout_reject_non_arrays():
    with pytest.raises(ValueError, match=r"ReLU expects a numpy array, got list"):
        ReLU().forward([1.0, -1.0])
    with pytest.raises(ValueError, match=r"Dropout expects a numpy array, got list"):
        Dropout(0.5, rng=rng0()).forward([1.0, -1.0])


@pytest.mark.parametrize("layer, input_shape, pattern", [
    (Conv2D(3, 2, 3, rng=np.random.default_rng(0)), (2, 8, 8), r"expects in_channels=3, got C=2"),
    (Conv2D(1, 2, 5, padding=1, rng=np.random.default_rng(0)), (1, 2, 8),
     r"kernel \(effective size 5\) is larger than the padded input 2x8 \+ 2\*1"),
    (MaxPool2D(3), (1, 8, 2), r"pooling window 3 is larger than the input 8x2"),
    (Dense(10, 2, rng=np.random.default_rng(0)), (9,), r"expects \(10,\) features per sample"),
], ids=["conv channels", "conv too small", "pool too small", "dense features"])
def test_output_shape_rejects_impossible_inputs(layer, input_shape, pattern):
    with pytest.raises(ValueError, match=pattern):
        layer.output_shape(input_shape)


def test_base_layer_is_abstract():
    with pytest.raises(NotImplementedError):
        Layer().forward(np.zeros(1))


def test_relu_blocks_gradient_with_a_plain_zero():
    """A blocked negative gradient comes back as 0.0, not -0.0 (students print these)."""
    relu = ReLU()
    relu.forward(np.array([[-1.0, 2.0, 0.0]], dtype=np.float32))
    dx = relu.backward(np.array([[-3.0, -4.0, -5.0]], dtype=np.float32))
    np.testing.assert_array_equal(dx, [[0.0, -4.0, 0.0]])
    assert not np.signbit(dx[0, 0]) and not np.signbit(dx[0, 2])
