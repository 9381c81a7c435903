"""Tests for cnn_core.course.losses.comparison: gradients against finite differences, the closed
forms
of cross-entropy, and the confidence sweep."""
import math

import numpy as np
import pytest

from cnn_core.course.losses.comparison import (
    cross_entropy_with_gradient,
    mse_on_probabilities_with_gradient,
    scores_for_probabilities,
    softmax_backward,
    sweep_true_class_probability,
)
from cnn_core.gradcheck import numerical_gradient, relative_error
from cnn_core.losses import softmax


@pytest.fixture
def batch():
    rng = np.random.default_rng(0)
    return rng.normal(scale=2.0, size=(4, 6)), rng.integers(0, 6, size=4)


def test_softmax_backward_matches_finite_differences():
    rng = np.random.default_rng(1)
    z, g = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))

    def loss():
        return float((softmax(z) * g).sum())

    analytic = softmax_backward(softmax(z), g)
    assert relative_error(analytic, numerical_gradient(loss, z)) < 1e-7


def test_cross_entropy_gradient_is_p_minus_t(batch):
    scores, labels = batch
    value, grad = cross_entropy_with_gradient(scores, labels)
    p = softmax(scores)
    assert value == pytest.approx(-np.log(p[np.arange(4), labels]).mean())
    np.testing.assert_allclose(grad, (p - np.eye(6)[labels]) / 4, atol=1e-12)


def test_mse_on_probabilities_value_and_gradient(batch):
    scores, labels = batch
    value, grad = mse_on_probabilities_with_gradient(scores, labels)
    p, t = softmax(scores), np.eye(6)[labels]
    assert value == pytest.approx(0.5 * ((t - p) ** 2).sum() / 4)
    numeric = numerical_gradient(lambda: mse_on_probabilities_with_gradient(scores, labels)[0],
                                 scores)
    assert relative_error(grad, numeric) < 1e-7


def test_scores_for_probabilities_round_trip():
    probs = np.array([[0.1, 0.2, 0.7], [0.0, 0.5, 0.5]])
    np.testing.assert_allclose(softmax(scores_for_probabilities(probs)), probs, atol=1e-20)


@pytest.mark.parametrize("probs", [np.array([0.5, 0.5]), np.array([[0.5, 0.6]]),
                                   np.array([[1.5, -0.5]])])
def test_scores_for_probabilities_rejects_non_distributions(probs):
    with pytest.raises(ValueError, match="probs"):
        scores_for_probabilities(probs)


def test_confidently_wrong_prediction():
    probs = np.full(10, 0.09 / 8)
    probs[3], probs[5] = 0.01, 0.90
    scores, label = scores_for_probabilities(probs[None]), np.array([3])
    ce, ce_grad = cross_entropy_with_gradient(scores, label)
    _, mse_grad = mse_on_probabilities_with_gradient(scores, label)
    assert ce == pytest.approx(-math.log(0.01))
    assert ce_grad[0, 3] == pytest.approx(-0.99)
    # MSE's push is multiplied by the softmax slope: p_3 * ((p_3 - 1) - sum_k (p_k - t_k) p_k)
    expected = 0.01 * ((0.01 - 1) - ((probs - np.eye(10)[3]) * probs).sum())
    assert mse_grad[0, 3] == pytest.approx(expected)
    assert abs(mse_grad[0, 3]) < abs(ce_grad[0, 3]) / 20


def test_sweep_closed_forms():
    sweep = sweep_true_class_probability(num_classes=10, points=51)
    p = sweep.p_true
    assert p[0] == pytest.approx(0.005) and p[-1] == pytest.approx(0.995)
    np.testing.assert_allclose(sweep.cross_entropy, -np.log(p))
    np.testing.assert_allclose(sweep.cross_entropy_grad, p - 1)
    others = (1 - p) / 9
    np.testing.assert_allclose(sweep.mse, 0.5 * ((1 - p) ** 2 + 9 * others ** 2))
    assert np.all(sweep.mse_grad < 0) and abs(sweep.mse_grad[0]) < 0.01


@pytest.mark.parametrize("kwargs, word", [(dict(num_classes=1), "num_classes"),
                                          (dict(points=1), "points")])
def test_sweep_rejects_bad_arguments(kwargs, word):
    with pytest.raises(ValueError, match=word):
        sweep_true_class_probability(**kwargs)


def test_softmax_backward_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="probs and dprobs"):
        softmax_backward(np.ones((2, 3)) / 3, np.ones((2, 4)))
