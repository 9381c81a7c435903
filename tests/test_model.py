"""Tests for cnn_core.model: Sequential forward/backward, modes, summary, save/load."""
import numpy as np
import pytest

from cnn_core.arithmetic import ReceptiveField, pool_output_size
from cnn_core.data import load_digits
from cnn_core.gradcheck import numerical_gradient, relative_error
from cnn_core.layers import AvgPool2D, BatchNorm2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from cnn_core.losses import SoftmaxCrossEntropy
from cnn_core.model import Sequential, run_order
from cnn_core.optim import SGD
from cnn_core.train import fit
from cnn_core.zoo import small_cnn


def tiny_model(seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return Sequential([
        Conv2D(2, 3, kernel_size=3, padding=1, rng=rng, dtype=dtype),
        BatchNorm2D(3, dtype=dtype), ReLU(),
        MaxPool2D(kernel_size=3, stride=2),
        Conv2D(3, 4, kernel_size=2, stride=1, dilation=2, rng=rng, dtype=dtype), ReLU(),
        AvgPool2D(kernel_size=2, stride=1),
        Flatten(),
        Dense(4, 3, rng=rng, dtype=dtype),
    ])


def bn_model(seed):
    """A float32 digit model with BatchNorm (running statistics to save) and Dropout."""
    rng = np.random.default_rng(seed)
    return Sequential([
        Conv2D(1, 4, kernel_size=3, padding=1, rng=rng), BatchNorm2D(4), ReLU(),
        MaxPool2D(kernel_size=4), Flatten(), Dropout(0.3, rng=rng), Dense(4 * 7 * 7, 10, rng=rng),
    ])


# ------------------------------------------------------------------- forward / backward
def test_forward_is_the_layers_in_order():
    model = tiny_model(0)
    x = np.random.default_rng(1).standard_normal((2, 2, 9, 9))
    expected = x
    for layer in model.layers:
        expected = layer.forward(expected)
    np.testing.assert_array_equal(model.forward(x), expected)
    np.testing.assert_array_equal(model(x), expected)
    assert expected.shape == (2, 3)


def test_whole_model_gradient_check_float64():
    # Every parameter of a conv-bn-relu-pool-conv-relu-avgpool-dense stack, through the loss.
    model = tiny_model(0)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 2, 9, 9))
    labels = np.array([0, 2, 1])
    criterion = SoftmaxCrossEntropy()

    def loss():
        return criterion.forward(model.forward(x), labels)

    loss()
    dx = model.backward(criterion.backward())
    assert relative_error(dx, numerical_gradient(loss, x)) < 1e-7
    names = []
    for name, param, grad in model.named_params():
        analytic, numeric = grad.copy(), numerical_gradient(loss, param)
        if name == "0.b":
            # A bias right before BatchNorm cannot change anything (BatchNorm subtracts the
            # channel mean), so both gradients are zero up to rounding: no relative error exists.
            assert np.abs(analytic).max() < 1e-12 and np.abs(numeric).max() < 1e-9
        else:
            assert relative_error(analytic, numeric) < 1e-7, name
        names.append(name)
    assert names == ["0.W", "0.b", "1.gamma", "1.beta", "4.W", "4.b", "8.W", "8.b"]


def test_backward_need_dx_false_returns_none_and_same_grads():
    model = small_cnn(rng=np.random.default_rng(0))
    x = np.random.default_rng(1).random((4, 1, 28, 28), dtype=np.float32)
    dout = np.random.default_rng(2).standard_normal((4, 10)).astype(np.float32)
    model.forward(x)
    dx = model.backward(dout)
    assert dx.shape == x.shape
    full = {name: grad.copy() for name, _, grad in model.named_params()}
    for _, _, grad in model.named_params():
        grad[...] = 0
    assert model.backward(dout, need_dx=False) is None
    for name, _, grad in model.named_params():
        np.testing.assert_array_equal(grad, full[name], err_msg=name)


def test_need_dx_false_still_returns_dx_when_first_layer_is_not_conv():
    model = Sequential([Flatten(), Dense(4, 2, rng=np.random.default_rng(0))])
    model.forward(np.ones((3, 1, 2, 2), dtype=np.float32))
    dx = model.backward(np.ones((3, 2), dtype=np.float32), need_dx=False)
    assert dx.shape == (3, 1, 2, 2)


def test_named_params_and_num_params():
    model = small_cnn(rng=np.random.default_rng(0))
    names = [name for name, _, _ in model.named_params()]
    assert names == ["0.W", "0.b", "3.W", "3.b", "7.W", "7.b"]
    for _, param, grad in model.named_params():
        assert param.shape == grad.shape and param is not grad
    assert model.num_params() == 9098


def test_train_eval_switch_every_layer_and_predict_restores_mode():
    model = bn_model(0)
    assert model.eval() is model and not any(layer.training for layer in model.layers)
    assert model.train() is model and all(layer.training for layer in model.layers)
    x = np.random.default_rng(1).random((7, 1, 28, 28), dtype=np.float32)
    predictions = model.predict(x, batch_size=3)        # batches of 3, 3, 1
    assert all(layer.training for layer in model.layers)
    model.eval()
    np.testing.assert_array_equal(predictions, model.forward(x).argmax(axis=1))
    assert predictions.shape == (7,) and predictions.dtype.kind == "i"


def test_scores_in_batches_equal_one_eval_forward_and_restore_mode():
    model = bn_model(0).train()
    x = np.random.default_rng(1).random((7, 1, 28, 28), dtype=np.float32)
    scores = model.scores(x, batch_size=3)              # batches of 3, 3, 1
    assert all(layer.training for layer in model.layers)
    expected = model.eval().forward(x)
    assert scores.shape == (7, 10) and scores.dtype == expected.dtype
    np.testing.assert_allclose(scores, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("x, batch_size, pattern", [
    (np.zeros((0, 1, 28, 28), np.float32), 500, r"x must hold at least one sample, got shape \(0,"),
    (np.zeros((2, 1, 28, 28), np.float32), 0, r"batch_size must be an integer >= 1, got 0"),
], ids=["empty", "batch 0"])
def test_scores_rejects_empty_input_and_bad_batch_size(x, batch_size, pattern):
    with pytest.raises(ValueError, match=pattern):
        bn_model(0).scores(x, batch_size)


def test_predict_is_deterministic_despite_dropout():
    model = bn_model(0).train()
    x = np.random.default_rng(1).random((20, 1, 28, 28), dtype=np.float32)
    np.testing.assert_array_equal(model.predict(x), model.predict(x))


def test_repr_lists_layers():
    model = Sequential([Conv2D(1, 2, kernel_size=3, rng=np.random.default_rng(0)), ReLU()])
    assert repr(model) == "Sequential([\n  Conv2D(1, 2, kernel_size=3),\n  ReLU()\n])"


# ------------------------------------------------------------------------------ summary
def test_summary_rows_of_a_strided_dilated_stack():
    model = Sequential([
        Conv2D(3, 4, kernel_size=3, stride=2, padding=1, rng=np.random.default_rng(0)),
        ReLU(),
        Conv2D(4, 2, kernel_size=3, dilation=2, rng=np.random.default_rng(0)),
        MaxPool2D(kernel_size=2),
        Flatten(),
        Dense(2 * 3 * 2, 5, rng=np.random.default_rng(0)),
    ])
    summary = model.summary((3, 21, 17))
    shapes = [row[1] for row in summary.rows]
    # conv1: (21+2-3)//2+1 = 11, (17+2-3)//2+1 = 9; conv2 (k_eff 5): 7, 5; pool: 3, 2
    assert shapes == [(4, 11, 9), (4, 11, 9), (2, 7, 5), (2, 3, 2), (12,), (5,)]
    assert [row[2] for row in summary.rows] == [4 * 27 + 4, 0, 2 * 36 + 2, 0, 0, 65]
    # receptive fields: 3 (stride 2, pad 1); ReLU same; +(5-1)*2 = 11 (pad 1); pool +1*2 = 13
    assert [row[3] for row in summary.rows] == [
        ReceptiveField(3, 2, 1), ReceptiveField(3, 2, 1), ReceptiveField(11, 2, 1),
        ReceptiveField(13, 4, 1), None, None]
    assert summary.total_params == 112 + 74 + 65 == model.num_params()
    assert summary.output_shape == (5,)
    text = str(summary)
    assert "input (3, 21, 17)" in text and "total parameters: 251" in text
    assert "13x13 (stride 4, pad 1)" in text and "whole input" in text
    # the summary agrees with a real forward pass
    x = np.zeros((1, 3, 21, 17), dtype=np.float32)
    assert model.forward(x).shape == (1, 5)


# ----------------------------------------------------------------------------- save/load
def trained_bn_model(seed, x, y):
    """A bn_model after a few SGD steps: weights and running statistics are not the initial ones."""
    model = bn_model(seed)
    criterion, optimizer = SoftmaxCrossEntropy(), SGD(lr=0.1)
    for start in range(0, 48, 16):
        criterion.forward(model.forward(x[start:start + 16]), y[start:start + 16])
        model.backward(criterion.backward())
        optimizer.step(model)
    return model


@pytest.fixture(scope="module")
def digits48(train_digits):
    x, y = train_digits
    return x[:48], y[:48]


def test_save_load_round_trip(tmp_path, digits48):
    x, y = digits48
    model = trained_bn_model(0, x, y)
    bn = model.layers[1]
    assert not np.allclose(bn.buffers["running_mean"], 0)        # statistics have moved
    path = tmp_path / "model.npz"
    model.save(path)

    other = bn_model(seed=99)
    model.eval()
    other.eval()
    assert not np.array_equal(other.forward(x), model.forward(x))
    assert other.load(path) is other
    np.testing.assert_array_equal(other.forward(x), model.forward(x))
    np.testing.assert_array_equal(other.predict(x), model.predict(x))
    for key in ("running_mean", "running_var"):
        np.testing.assert_array_equal(other.layers[1].buffers[key], bn.buffers[key])
    for (name, p1, _), (_, p2, _) in zip(model.named_params(), other.named_params()):
        np.testing.assert_array_equal(p1, p2, err_msg=name)
        assert p2.dtype == p1.dtype


def test_save_uses_no_pickle(tmp_path):
    path = tmp_path / "m.npz"
    small_cnn(rng=np.random.default_rng(0)).save(path)
    with np.load(path, allow_pickle=False) as data:
        assert "architecture" in data and "0.W" in data and "7.b" in data


def test_load_into_a_different_architecture_raises(tmp_path):
    path = tmp_path / "small.npz"
    small_cnn(rng=np.random.default_rng(0)).save(path)
    model = small_cnn(filters=(4, 8), rng=np.random.default_rng(0))
    before = model.layers[0].params["W"].copy()
    with pytest.raises(ValueError, match=r"holds a different architecture"):
        model.load(path)
    np.testing.assert_array_equal(model.layers[0].params["W"], before)   # nothing half-loaded


def test_load_of_a_file_without_architecture_raises(tmp_path):
    path = tmp_path / "foreign.npz"
    np.savez(path, weights=np.zeros(3))
    with pytest.raises(ValueError, match=r"holds a different architecture:\n<missing>"):
        small_cnn(rng=np.random.default_rng(0)).load(path)


# ------------------------------------------------------------------------ invalid input
@pytest.mark.parametrize("layers, pattern", [
    ([Conv2D(1, 2, 3, rng=np.random.default_rng(0)), "relu"],
     r"layers\[1\] must be a cnn_core layer, got str"),
    ([lambda x: x], r"layers\[0\] must be a cnn_core layer, got function"),
    ([], r"layers must contain at least one layer"),
], ids=["string", "function", "empty"])
def test_sequential_of_non_layers_raises(layers, pattern):
    with pytest.raises(ValueError, match=pattern):
        Sequential(layers)


@pytest.mark.parametrize("input_shape, pattern", [
    ((1, 2, 2), r"MaxPool2D\(kernel_size=2\): pooling window 2 is larger than the input 1x1"),
    ((3, 28, 28), r"expects in_channels=1, got C=3"),
], ids=["too small", "wrong channels"])
def test_summary_on_impossible_input_raises(input_shape, pattern):
    with pytest.raises(ValueError, match=pattern):
        small_cnn(rng=np.random.default_rng(0)).summary(input_shape)


# ------------------------------------------------ run order: ReLU -> MaxPool2D runs pool first
def test_run_order_swaps_only_relu_directly_before_maxpool():
    layers = [Conv2D(1, 2, 3), ReLU(), MaxPool2D(2), Conv2D(2, 2, 3), ReLU(), AvgPool2D(2),
              MaxPool2D(1), ReLU(), Flatten(), ReLU(), MaxPool2D(1)]
    assert run_order(layers) == [0, 2, 1, 3, 4, 5, 6, 7, 8, 10, 9]
    assert run_order([ReLU()]) == [0]
    assert run_order([MaxPool2D(2), ReLU()]) == [0, 1]


def _forward_backward(model, x, dout_seed):
    out = model.forward(x)
    dout = np.random.default_rng(dout_seed).standard_normal(out.shape).astype(out.dtype)
    dx = model.backward(dout)
    return out, dx, {name: grad.copy() for name, _, grad in model.named_params()}


@pytest.mark.parametrize("kernel, stride", [(2, 2), (3, 3), (3, 2)])
def test_reordered_relu_pool_is_bitwise_the_plain_order(kernel, stride, monkeypatch):
    """Outputs, dx and every weight gradient equal the list order bit for bit, on inputs full of
    ties: whole windows of zeros, of equal positives and of negatives (rounded to halves), with
    tiling and with overlapping windows."""
    rng = np.random.default_rng(kernel + stride)
    side = pool_output_size(12, kernel, stride)
    model = Sequential([Conv2D(2, 3, 3, padding=1, rng=rng), ReLU(), MaxPool2D(kernel, stride),
                        Flatten(), Dense(3 * side ** 2, 4, rng=rng)])
    x = np.round(rng.standard_normal((5, 2, 12, 12)) * 2).astype(np.float32) / 2
    x[0] = 0.0                                   # every conv output is its bias: ties
    model.layers[0].params["b"][:] = [0.0, -0.5, 0.5]
    fast = _forward_backward(model, x, 1)
    assert model._order == [0, 2, 1, 3, 4]
    monkeypatch.setattr(Sequential, "reorder", False)
    plain = _forward_backward(model, x, 1)
    assert list(model._order) == [0, 1, 2, 3, 4]
    for a, b in [(fast[0], plain[0]), (fast[1], plain[1]),
                 *((fast[2][k], plain[2][k]) for k in plain[2])]:
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(np.signbit(a), np.signbit(b))     # even the zeros
        assert a.dtype == b.dtype


def test_reordered_training_gives_the_same_weights(monkeypatch):
    """Two epochs of the course's network on real digits: identical weights either way."""
    x, y = load_digits("train")
    x, y = x[:256], y[:256]
    weights = []
    for reorder in (True, False):
        monkeypatch.setattr(Sequential, "reorder", reorder)
        model = small_cnn(rng=np.random.default_rng(0))
        fit(model, SoftmaxCrossEntropy(), SGD(0.05, momentum=0.9), x, y, epochs=2,
            batch_size=64, rng=np.random.default_rng(0))
        weights.append(model.arrays())
    for name in weights[1]:
        np.testing.assert_array_equal(weights[0][name], weights[1][name])
