"""Bad input, theme "state and order of calls": backward before forward, a dout of the wrong
shape, a cache from another function, an optimizer reused after the model was rebuilt,
BatchNorm2D training on one value per channel."""
import numpy as np
import pytest

from cnn_core import functional as F
from cnn_core.layers import AvgPool2D, BatchNorm2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from cnn_core.losses import MSE, SoftmaxCrossEntropy
from cnn_core.model import Sequential
from cnn_core.optim import SGD, Adam

RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 1, 6, 6)).astype(np.float32)
W = RNG.standard_normal((2, 1, 3, 3)).astype(np.float32)
B = np.zeros(2, dtype=np.float32)


def model(filters=2):
    rng = np.random.default_rng(0)
    return Sequential([Conv2D(1, filters, 3, rng=rng), ReLU(), Flatten(),
                       Dense(filters * 16, 3, rng=rng)])


# ---------------------------------------------------- functional backward: dout and cache
BACKWARDS = {
    "conv2d_backward": (F.conv2d_forward, F.conv2d_backward, (X, W, B)),
    "conv2d_backward_naive": (F.conv2d_forward_naive, F.conv2d_backward_naive, (X, W, B)),
    "maxpool2d_backward": (F.maxpool2d_forward, F.maxpool2d_backward, (X, 2)),
    "maxpool2d_backward_naive": (F.maxpool2d_forward_naive, F.maxpool2d_backward_naive, (X, 2)),
    "avgpool2d_backward": (F.avgpool2d_forward, F.avgpool2d_backward, (X, 2)),
    "avgpool2d_backward_naive": (F.avgpool2d_forward_naive, F.avgpool2d_backward_naive, (X, 2)),
}


@pytest.mark.parametrize("forward, backward, args", BACKWARDS.values(), ids=BACKWARDS.keys())
def test_functional_backward_refuses_a_dout_of_another_shape(forward, backward, args):
    out, cache = forward(*args)
    wrong = np.ones(out.shape[:-1] + (out.shape[-1] + 1,), dtype=out.dtype)
    with pytest.raises(ValueError, match=rf"{backward.__name__}: dout must have the output's "
                                         rf"shape \({out.shape[0]}, {out.shape[1]}"):
        backward(wrong, cache)


@pytest.mark.parametrize("forward, backward, args", BACKWARDS.values(), ids=BACKWARDS.keys())
def test_functional_backward_refuses_a_dout_list(forward, backward, args):
    out, cache = forward(*args)
    with pytest.raises(TypeError, match="dout must be a numpy array"):
        backward(out.tolist(), cache)


def test_fast_backward_refuses_the_naive_cache():
    out, cache = F.conv2d_forward_naive(X, W, B)
    with pytest.raises(ValueError, match=r"conv2d_backward: cache must be .*"
                                         r"\(a tuple of 7\), got a tuple of 6"):
        F.conv2d_backward(out, cache)


# -------------------------------------------------------- layers: order of calls, dout
LAYERS = {
    "Conv2D": lambda: Conv2D(1, 2, 3, rng=np.random.default_rng(0)),
    "MaxPool2D": lambda: MaxPool2D(2), "AvgPool2D": lambda: AvgPool2D(2),
    "ReLU": ReLU, "Flatten": Flatten, "BatchNorm2D": lambda: BatchNorm2D(1),
    "Dropout": lambda: Dropout(0.5, rng=np.random.default_rng(0)),
}


@pytest.mark.parametrize("make", LAYERS.values(), ids=LAYERS.keys())
def test_layer_backward_with_a_list_dout_names_dout(make):
    layer = make()
    out = layer.forward(X)
    with pytest.raises(TypeError, match="dout must be a numpy array"):
        layer.backward(out.tolist())


def test_dense_backward_before_forward():
    with pytest.raises(ValueError, match=r"Dense.backward\(\) called before forward\(\)"):
        Dense(2, 2).backward(np.zeros((1, 2)))


@pytest.mark.parametrize("loss", [SoftmaxCrossEntropy(), MSE()], ids=["cross-entropy", "MSE"])
def test_loss_backward_before_forward(loss):
    with pytest.raises(ValueError, match=r"backward\(\) called before forward\(\)"):
        loss.backward()


# ---------------------------------------------------------------------- BatchNorm2D
def test_batchnorm_training_on_one_value_per_channel_is_refused():
    bn = BatchNorm2D(3)
    before = bn.buffers["running_var"].copy()
    with pytest.raises(ValueError, match=r"N\*H\*W > 1\), got x of shape \(1, 3, 1, 1\)"):
        bn.forward(np.ones((1, 3, 1, 1), dtype=np.float32))
    np.testing.assert_array_equal(bn.buffers["running_var"], before)


def test_batchnorm_one_value_per_channel_is_fine_in_eval_mode():
    out = BatchNorm2D(3).eval().forward(np.ones((1, 3, 1, 1), dtype=np.float32))
    assert out.shape == (1, 3, 1, 1)


@pytest.mark.parametrize("eps", [-1e-5, 0.0, float("nan"), float("inf")])
def test_batchnorm_eps_must_be_a_finite_positive_number(eps):
    with pytest.raises(ValueError, match=r"eps must be a finite number > 0"):
        BatchNorm2D(2, eps=eps)


@pytest.mark.parametrize("scale", [float("nan"), -1.0, float("inf")])
def test_dense_weight_scale_must_be_finite_and_not_negative(scale):
    with pytest.raises(ValueError, match=r"weight_scale must be a finite number >= 0"):
        Dense(4, 2, weight_scale=scale)


# ------------------------------------------------------------------------- optimizer
@pytest.mark.parametrize("make", [lambda: SGD(0.1, momentum=0.9), lambda: Adam()],
                         ids=["SGD momentum", "Adam"])
def test_optimizer_reused_after_rebuilding_the_model_says_so(make):
    optimizer, net = make(), model(2)
    loss = SoftmaxCrossEntropy()
    loss.forward(net.forward(X), [0, 1])
    net.backward(loss.backward())
    optimizer.step(net)
    rebuilt = model(4)
    rebuilt.forward(X)
    with pytest.raises(ValueError, match=r"parameter 0.W now has shape \(4, 1, 3, 3\).*"
                                         r"create a new optimizer"):
        optimizer.step(rebuilt)


def test_lr_set_later_is_checked_too():
    optimizer = SGD(0.1)
    with pytest.raises(ValueError, match=r"lr \(learning rate\) must be a finite number > 0"):
        optimizer.lr = float("nan")
    assert optimizer.lr == 0.1


# -------------------------------------------------------------------- max-pool and NaN
@pytest.mark.parametrize("stride", [1, 2])
def test_maxpool_backward_routes_the_gradient_of_a_nan_window_like_the_naive_one(stride):
    x = np.arange(32, dtype=np.float64).reshape(1, 2, 4, 4)
    x[0, 0, 1, 1] = np.nan
    out, cache = F.maxpool2d_forward(x, 2, stride)
    naive_out, naive_cache = F.maxpool2d_forward_naive(x, 2, stride)
    dout = np.ones_like(out)
    dx = F.maxpool2d_backward(dout, cache)
    np.testing.assert_array_equal(dx, F.maxpool2d_backward_naive(dout, naive_cache))
    assert dx.sum() == dout.sum()                # no window's gradient is dropped
