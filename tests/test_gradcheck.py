"""Tests for cnn_core.gradcheck: the referee must itself be right, and must catch wrong
backward passes."""
import numpy as np
import pytest

from cnn_core.gradcheck import check_layer_gradients, numerical_gradient, relative_error
from cnn_core.layers import BatchNorm2D, Conv2D, Dense, Dropout, Layer, ReLU


def test_numerical_gradient_of_known_functions():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    a = rng.standard_normal((3, 4))
    # f = sum(a * x^3)  ->  df/dx = 3 a x^2
    grad = numerical_gradient(lambda: float(np.sum(a * x ** 3)), x)
    np.testing.assert_allclose(grad, 3 * a * x ** 2, rtol=1e-8, atol=1e-9)
    # a quadratic: central differences are exact up to rounding
    grad = numerical_gradient(lambda: float(np.sum(x ** 2)), x)
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-9, atol=1e-10)


def test_numerical_gradient_restores_x_and_returns_float64():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    original = x.copy()
    grad = numerical_gradient(lambda: float(np.sum(np.sin(x))), x)
    np.testing.assert_array_equal(x, original)
    assert grad.shape == x.shape and grad.dtype == np.float64
    np.testing.assert_allclose(grad, np.cos(x), rtol=1e-9)


def test_numerical_gradient_step_size_matters():
    # f = x^3 at x = 1: the central difference is 3 + h^2 exactly, so a big h is visibly off.
    x = np.array([1.0])
    coarse = numerical_gradient(lambda: float(x[0] ** 3), x, h=0.1)
    np.testing.assert_allclose(coarse, [3.01], rtol=1e-12)


def test_relative_error_values():
    a = np.array([1.0, 2.0, 2.0])            # norm 3
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == 1.0
    assert relative_error(a, np.zeros(3)) == 1.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    # ||a - 2a|| / (||a|| + ||2a||) = 3 / 9
    assert relative_error(a, 2 * a) == pytest.approx(1 / 3, rel=1e-15)


class HalfGradientDense(Dense):
    """A Dense layer with a deliberately broken backward (input gradient halved)."""

    def backward(self, dout):
        return 0.5 * super().backward(dout)


class ForgetfulBias(Dense):
    """A Dense layer that forgets the bias gradient."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.grads["b"][...] = 0
        return dx


def test_check_layer_gradients_passes_a_correct_layer():
    layer = Dense(4, 3, rng=np.random.default_rng(0), dtype=np.float64)
    errors = check_layer_gradients(layer, np.random.default_rng(1).standard_normal((5, 4)),
                                   np.random.default_rng(2))
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < 1e-9


@pytest.mark.parametrize("layer_cls, broken", [(HalfGradientDense, "x"), (ForgetfulBias, "b")])
def test_check_layer_gradients_catches_a_broken_backward(layer_cls, broken):
    layer = layer_cls(4, 3, rng=np.random.default_rng(0), dtype=np.float64)
    errors = check_layer_gradients(layer, np.random.default_rng(1).standard_normal((5, 4)),
                                   np.random.default_rng(2))
    assert errors[broken] > 0.1
    assert all(err < 1e-9 for name, err in errors.items() if name != broken)


def test_check_layer_gradients_converts_input_to_float64():
    # float32 input is promoted, so the check stays precise for a layer without parameters.
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    x += np.sign(x) * 0.05
    errors = check_layer_gradients(ReLU(), x, np.random.default_rng(1))
    assert errors["x"] < 1e-9


def test_check_layer_gradients_detects_an_unused_parameter_gradient():
    class ScaleByTwo(Layer):
        """y = 2 x w (w a scalar), with a wrong dw of zero."""

        def __init__(self):
            super().__init__()
            self.params = {"w": np.array([1.5])}
            self.grads = {"w": np.zeros(1)}

        def forward(self, x):
            self._cache = x
            return 2 * x * self.params["w"]

        def backward(self, dout):
            self._saved()
            return 2 * dout * self.params["w"]

    errors = check_layer_gradients(ScaleByTwo(), np.ones((2, 2)), np.random.default_rng(0))
    assert errors["x"] < 1e-9 and errors["w"] == 1.0


def test_cs231n_form_takes_f_of_x_and_dout():
    """numerical_gradient(f, x, dout) is the gradient of sum(f(x) * dout): a backward's dx."""
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))
    dout = rng.standard_normal((4, 2))
    grad = numerical_gradient(lambda v: np.tanh(v @ w), x, dout)
    expected = ((1 - np.tanh(x @ w) ** 2) * dout) @ w.T
    np.testing.assert_allclose(grad, expected, rtol=1e-7, atol=1e-9)
    closure = numerical_gradient(lambda: float(np.sum(np.tanh(x @ w) * dout)), x)
    np.testing.assert_allclose(grad, closure, rtol=1e-12)


def test_cs231n_form_rejects_dout_of_the_wrong_shape():
    x = np.ones((2, 3))
    with pytest.raises(ValueError,
                       match=r"dout must have the shape of f\(x\), \(2, 3\), got \(3,\)"):
        numerical_gradient(lambda v: 2 * v, x, np.ones(3))
    np.testing.assert_array_equal(x, 1.0)


def test_a_number_in_third_place_is_still_the_step():
    x = np.array([1.0])
    np.testing.assert_allclose(numerical_gradient(lambda: float(x[0] ** 3), x, 0.1), [3.01],
                               rtol=1e-12)


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def fails_on_second_entry():
        calls.append(x.copy())
        if len(calls) == 3:           # the first call with entry 1 nudged
            raise RuntimeError("boom")
        return float(x.sum())

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(fails_on_second_entry, x)
    assert calls[2][1] != 2.0                          # f really saw a nudged x
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])  # and the caller's array is back


@pytest.mark.parametrize("build, shape", [
    (lambda: Dense(12, 5, rng=np.random.default_rng(0)), (3, 12)),
    (lambda: Conv2D(3, 4, 3, stride=2, padding=1, rng=np.random.default_rng(0)), (2, 3, 7, 7)),
    (lambda: BatchNorm2D(3), (4, 3, 3, 3)),
], ids=["Dense", "Conv2D", "BatchNorm2D"])
def test_default_float32_layer_gets_an_honest_answer(build, shape):
    """A correct default (float32) layer passes the float64 threshold: the check runs on a float64
    copy, and the layer itself is left as it was."""
    layer = build()
    before = {k: v.copy() for k, v in {**layer.params, **layer.buffers}.items()}
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    errors = check_layer_gradients(layer, x, np.random.default_rng(2))
    assert max(errors.values()) < 1e-7, errors
    for key, value in {**layer.params, **layer.buffers}.items():
        assert value.dtype == np.float32
        np.testing.assert_array_equal(value, before[key])


def test_float32_check_in_place_would_have_failed():
    """Why the copy matters: the same check done in float32 reports a large error."""
    layer = Dense(12, 5, rng=np.random.default_rng(0))
    x = np.random.default_rng(1).standard_normal((3, 12)).astype(np.float32)
    layer.forward(x)
    g = np.random.default_rng(2).standard_normal((3, 5)).astype(np.float32)
    layer.backward(g)
    numeric = numerical_gradient(lambda: float(np.sum(layer.forward(x) * g)), layer.params["W"])
    assert relative_error(layer.grads["W"], numeric) > 1e-6


def test_check_layer_gradients_catches_a_layer_with_fresh_randomness():
    """Dropout redraws its mask on each forward: the check must not pass it by accident."""
    errors = check_layer_gradients(Dropout(0.5, rng=np.random.default_rng(0)),
                                   np.ones((3, 8)), np.random.default_rng(1))
    assert errors["x"] > 0.1


# ------------------------------------------------------------------------ invalid input
@pytest.mark.parametrize("call, pattern", [
    (lambda: numerical_gradient(lambda: 0.0, np.arange(3)),
     r"x must be a floating-point numpy array, got int"),
    (lambda: numerical_gradient(lambda: 0.0, [1.0, 2.0]),
     r"x must be a floating-point numpy array"),
    (lambda: numerical_gradient(lambda: 0.0, np.ones((4, 4))[:, :2]), r"x must be contiguous"),
    (lambda: relative_error(np.ones(3), np.ones(4)),
     r"a and b must have the same shape, got \(3,\) and \(4,\)"),
], ids=["int array", "list", "non-contiguous", "shape mismatch"])
def test_invalid_arguments_raise_value_error(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()
