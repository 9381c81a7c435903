"""Tests for cnn_core.optim: SGD, momentum and Adam updates computed by hand."""
import math

import numpy as np
import pytest

from cnn_core.layers import Dense, ReLU
from cnn_core.model import Sequential
from cnn_core.optim import SGD, Adam


def tiny_model():
    """Dense(2, 2) -> ReLU -> Dense(2, 1) in float64 with known weights."""
    model = Sequential([Dense(2, 2, rng=np.random.default_rng(0), dtype=np.float64), ReLU(),
                        Dense(2, 1, rng=np.random.default_rng(1), dtype=np.float64)])
    model.layers[0].params["W"][...] = [[1.0, -2.0], [0.5, 3.0]]
    model.layers[0].params["b"][...] = [0.1, -0.1]
    model.layers[2].params["W"][...] = [[2.0], [-1.0]]
    model.layers[2].params["b"][...] = [0.0]
    return model


def set_grads(model, grads):
    for (name, _, grad) in model.named_params():
        grad[...] = grads[name]


def params_of(model):
    return {name: param.copy() for name, param, _ in model.named_params()}


G1 = {"0.W": np.array([[1.0, -2.0], [0.0, 4.0]]), "0.b": np.array([0.5, -0.5]),
      "2.W": np.array([[3.0], [-1.0]]), "2.b": np.array([2.0])}
G2 = {"0.W": np.array([[-1.0, 1.0], [2.0, 0.0]]), "0.b": np.array([0.25, 1.0]),
      "2.W": np.array([[1.0], [1.0]]), "2.b": np.array([-4.0])}


def test_sgd_step_by_hand():
    model = tiny_model()
    before = params_of(model)
    set_grads(model, G1)
    SGD(lr=0.1).step(model)
    # w <- w - lr * g, e.g. 0.W[0, 1]: -2 - 0.1 * (-2) = -1.8
    assert model.layers[0].params["W"][0, 1] == pytest.approx(-1.8, abs=1e-15)
    for name, param, _ in model.named_params():
        np.testing.assert_allclose(param, before[name] - 0.1 * G1[name], rtol=1e-15, atol=1e-15)


def test_sgd_on_a_real_backward_pass_lowers_the_loss():
    model = tiny_model()
    x = np.array([[1.0, 2.0], [-1.0, 0.5]])
    target = np.array([[1.0], [0.0]])

    def loss_and_backward():
        out = model.forward(x)
        model.backward((out - target) / len(x))
        return 0.5 * float(((out - target) ** 2).sum()) / len(x)

    first = loss_and_backward()
    SGD(lr=0.05).step(model)
    assert loss_and_backward() < first


def test_sgd_momentum_velocity_over_two_steps_by_hand():
    model = tiny_model()
    w0 = params_of(model)
    optimizer = SGD(lr=0.1, momentum=0.9)
    set_grads(model, G1)
    optimizer.step(model)
    # step 1: v1 = g1, w1 = w0 - lr * g1
    for name, param, _ in model.named_params():
        np.testing.assert_allclose(optimizer.state[name], G1[name], rtol=1e-15)
        np.testing.assert_allclose(param, w0[name] - 0.1 * G1[name], rtol=1e-14, atol=1e-15)
    set_grads(model, G2)
    optimizer.step(model)
    # step 2: v2 = 0.9 * g1 + g2, w2 = w1 - lr * v2.  E.g. 2.b: v2 = 1.8 - 4 = -2.2,
    # w2 = 0 - 0.2 + 0.22 = 0.02
    assert model.layers[2].params["b"][0] == pytest.approx(0.02, abs=1e-15)
    for name, param, _ in model.named_params():
        v2 = 0.9 * G1[name] + G2[name]
        np.testing.assert_allclose(optimizer.state[name], v2, rtol=1e-14)
        np.testing.assert_allclose(param, w0[name] - 0.1 * G1[name] - 0.1 * v2,
                                   rtol=1e-14, atol=1e-15)


def test_plain_sgd_keeps_no_state():
    model = tiny_model()
    set_grads(model, G1)
    optimizer = SGD(lr=0.1)
    optimizer.step(model)
    assert optimizer.state == {}


def test_adam_first_step_is_lr_times_sign_of_gradient():
    model = tiny_model()
    w0 = params_of(model)
    set_grads(model, G1)
    optimizer = Adam(lr=0.01, eps=1e-300)    # eps negligible: see test_adam_two_steps_by_hand
    optimizer.step(model)
    # Bias correction: m_hat = (1-b1) g / (1-b1) = g and v_hat = g^2, so the first step is
    # lr * g / |g| = lr * sign(g) whatever the gradient's size (and exactly 0 where g = 0:
    # 0.W[1, 0]).  Without the correction it would be 0.1 g / sqrt(0.001 g^2) = 3.16 lr sign(g).
    for name, param, _ in model.named_params():
        np.testing.assert_allclose(param - w0[name], -0.01 * np.sign(G1[name]), rtol=1e-13, atol=0)
    assert model.layers[0].params["W"][1, 0] == w0["0.W"][1, 0]
    assert optimizer.t == 1


def adam_by_hand(grads, lr, beta1, beta2):
    """Total Adam update after the given gradients (eps negligible): the textbook formulas."""
    m = v = 0.0
    total = 0.0
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        moving = v_hat > 0                  # a weight whose gradients were all 0 stays put
        total = total - lr * np.where(moving, m_hat, 0) / np.sqrt(np.where(moving, v_hat, 1))
    return m, v, total


def test_adam_two_steps_by_hand():
    # eps is set negligible (1e-300) so that this checks moments and bias correction exactly,
    # independently of where an implementation adds eps.
    model = tiny_model()
    w0 = params_of(model)
    optimizer = Adam(lr=0.01, beta1=0.8, beta2=0.99, eps=1e-300)
    for grads in (G1, G2):
        set_grads(model, grads)
        optimizer.step(model)
    assert optimizer.t == 2
    for name, param, _ in model.named_params():
        m, v, total = adam_by_hand([G1[name], G2[name]], 0.01, 0.8, 0.99)
        np.testing.assert_allclose(optimizer.state[name][0], m, rtol=1e-14)
        np.testing.assert_allclose(optimizer.state[name][1], v, rtol=1e-14)
        np.testing.assert_allclose(param - w0[name], total, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("make", [lambda: SGD(lr=0.1, momentum=0.5), lambda: Adam(lr=0.1)],
                         ids=["momentum", "adam"])
def test_state_is_kept_per_parameter(make):
    model = tiny_model()
    set_grads(model, G1)
    optimizer = make()
    optimizer.step(model)
    assert set(optimizer.state) == {"0.W", "0.b", "2.W", "2.b"}
    for name, param, _ in model.named_params():
        state = optimizer.state[name]
        arrays = state if isinstance(state, tuple) else (state,)
        for array in arrays:
            assert array.shape == param.shape and not np.shares_memory(array, param)
    # the two layers' states are separate arrays, not one shared buffer
    first = optimizer.state["0.b"]
    first = first[0] if isinstance(first, tuple) else first
    second = optimizer.state["2.b"]
    second = second[0] if isinstance(second, tuple) else second
    assert not np.shares_memory(first, second)


def test_learning_rate_can_be_changed_between_steps():
    model = tiny_model()
    optimizer = SGD(lr=0.1)
    set_grads(model, G1)
    w0 = params_of(model)
    optimizer.lr = 0.5
    assert optimizer.lr == 0.5
    optimizer.step(model)
    np.testing.assert_allclose(model.layers[2].params["b"], w0["2.b"] - 0.5 * G1["2.b"])


def test_float32_parameters_stay_float32():
    model = Sequential([Dense(3, 2, rng=np.random.default_rng(0))])
    model.layers[0].grads["W"][...] = 1.0
    for optimizer in (SGD(0.1), SGD(0.1, momentum=0.9), Adam(0.1)):
        optimizer.step(model)
        assert model.layers[0].params["W"].dtype == np.float32


def test_repr():
    assert repr(SGD(lr=0.1, momentum=0.9)) == "SGD(lr=0.1, momentum=0.9)"
    assert repr(Adam(lr=0.001)) == "Adam(lr=0.001)"


# ------------------------------------------------------------------------ invalid input
INVALID = {
    "sgd lr 0": (lambda: SGD(lr=0), r"lr \(learning rate\) must be a finite number > 0, got 0"),
    "sgd lr negative": (lambda: SGD(lr=-0.1), r"lr \(learning rate\) must be a finite number > 0"),
    "sgd lr nan": (lambda: SGD(lr=math.nan),
                   r"lr \(learning rate\) must be a finite number > 0, got nan"),
    "sgd lr inf": (lambda: SGD(lr=math.inf), r"lr \(learning rate\) must be a finite number > 0"),
    "sgd lr string": (lambda: SGD(lr="0.1"), r"lr \(learning rate\) must be a finite number > 0"),
    "sgd momentum 1": (lambda: SGD(lr=0.1, momentum=1), r"momentum must be a number in \[0, 1\)"),
    "sgd momentum negative": (lambda: SGD(lr=0.1, momentum=-0.5),
                              r"momentum must be a number in \[0, 1\)"),
    "adam beta1 1.0": (lambda: Adam(beta1=1.0), r"beta1 must be a number in \[0, 1\), got 1\.0"),
    "adam beta2 1.0": (lambda: Adam(beta2=1.0), r"beta2 must be a number in \[0, 1\)"),
    "adam eps 0": (lambda: Adam(eps=0), r"eps must be a finite number > 0"),
    "adam lr 0": (lambda: Adam(lr=0.0), r"lr \(learning rate\) must be a finite number > 0"),
}


@pytest.mark.parametrize("build, pattern", INVALID.values(), ids=INVALID.keys())
def test_invalid_hyperparameters_raise_value_error(build, pattern):
    with pytest.raises(ValueError, match=pattern):
        build()


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan], ids=["zero", "negative", "nan"])
def test_setting_an_invalid_lr_raises_and_keeps_the_old_one(bad):
    optimizer = Adam(lr=0.01)
    with pytest.raises(ValueError, match=r"lr \(learning rate\) must be a finite number > 0"):
        optimizer.lr = bad
    assert optimizer.lr == 0.01
