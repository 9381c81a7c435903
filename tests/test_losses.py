"""Tests for cnn_core.losses: softmax, cross-entropy and MSE, values and gradients."""
import math

import numpy as np
import pytest

from cnn_core.gradcheck import numerical_gradient, relative_error
from cnn_core.losses import MSE, SoftmaxCrossEntropy, log_softmax, one_hot, softmax

TOL = 1e-7


# ---------------------------------------------------------------------------- softmax
def test_softmax_of_equal_large_scores_is_stable():
    probs = softmax(np.array([[1000.0, 1000.0]]))
    np.testing.assert_array_equal(probs, [[0.5, 0.5]])
    probs = softmax(np.array([[-1000.0, -1000.0, -1000.0, -1000.0]]))
    np.testing.assert_array_equal(probs, [[0.25] * 4])


def test_softmax_by_hand_and_shift_invariance():
    # softmax([0, ln 2, ln 5]) = [1, 2, 5] / 8
    scores = np.array([[0.0, math.log(2), math.log(5)]])
    np.testing.assert_allclose(softmax(scores), [[1 / 8, 2 / 8, 5 / 8]], rtol=1e-14)
    np.testing.assert_allclose(softmax(scores + 700.0), softmax(scores), rtol=1e-12)
    rows = np.random.default_rng(0).standard_normal((5, 7)) * 30
    np.testing.assert_allclose(softmax(rows).sum(axis=1), 1.0, rtol=1e-14)


def test_log_softmax_is_finite_where_softmax_underflows():
    scores = np.array([[0.0, -2000.0]])
    np.testing.assert_array_equal(log_softmax(scores), [[0.0, -2000.0]])
    assert softmax(scores)[0, 1] == 0.0


def test_one_hot():
    np.testing.assert_array_equal(one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])


# ----------------------------------------------------------------------- cross-entropy
def test_cross_entropy_of_uniform_scores_is_log_k():
    loss = SoftmaxCrossEntropy().forward(np.zeros((4, 10)), np.array([0, 3, 9, 5]))
    assert loss == pytest.approx(math.log(10), rel=1e-14)


def test_cross_entropy_by_hand():
    # Row 1: probabilities [1, 2, 5]/8, label 2 -> -ln(5/8).  Row 2: [1, 1, 2]/4, label 0 -> ln 4.
    scores = np.array([[0.0, math.log(2), math.log(5)], [0.0, 0.0, math.log(2)]])
    criterion = SoftmaxCrossEntropy()
    loss = criterion.forward(scores, np.array([2, 0]))
    assert loss == pytest.approx((-math.log(5 / 8) + math.log(4)) / 2, rel=1e-14)
    # dscores = (probabilities - one_hot) / N
    expected = np.array([[1 / 8, 2 / 8, 5 / 8 - 1], [1 / 4 - 1, 1 / 4, 2 / 4]]) / 2
    np.testing.assert_allclose(criterion.backward(), expected, rtol=1e-13, atol=1e-16)


def test_cross_entropy_of_huge_logits_is_finite_and_correct():
    scores = np.array([[1e4, -1e4], [1e4, -1e4]])
    criterion = SoftmaxCrossEntropy()
    # Row 1 is right with certainty: loss 0.  Row 2 is wrong by a margin of 2e4: loss 2e4.
    loss = criterion.forward(scores, np.array([0, 1]))
    assert loss == 1e4                      # mean of 0 and 2e4
    grad = criterion.backward()
    assert np.all(np.isfinite(grad))
    np.testing.assert_array_equal(grad, [[0.0, 0.0], [0.5, -0.5]])


@pytest.mark.parametrize("seed", [0, 1])
def test_cross_entropy_gradient_check(seed):
    rng = np.random.default_rng(seed)
    scores = rng.standard_normal((6, 10)) * 3
    labels = rng.integers(0, 10, size=6)
    criterion = SoftmaxCrossEntropy()
    criterion.forward(scores, labels)
    analytic = criterion.backward()
    numeric = numerical_gradient(lambda: criterion.forward(scores, labels), scores)
    assert relative_error(analytic, numeric) < TOL


def test_cross_entropy_keeps_score_dtype():
    scores = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    criterion = SoftmaxCrossEntropy()
    assert isinstance(criterion.forward(scores, np.array([0, 1, 2])), float)
    assert criterion.backward().dtype == np.float32


def test_label_smoothing_by_hand():
    # Scores of 0 for 4 classes: every log-probability is ln(1/4), whatever the target.
    # e = 0.2: target [0.05, 0.85, 0.05, 0.05]; loss = -sum_k t_k ln(1/4) = ln 4.
    criterion = SoftmaxCrossEntropy(label_smoothing=0.2)
    assert criterion.forward(np.zeros((1, 4)), np.array([1])) == pytest.approx(math.log(4))
    np.testing.assert_allclose(criterion.backward(), [[0.2, -0.6, 0.2, 0.2]], rtol=1e-13)
    # Row [0, ln 3]: p = [1/4, 3/4], label 1, e = 0.5 -> target [1/4, 3/4]: gradient 0,
    # loss = -(1/4 ln 1/4 + 3/4 ln 3/4), the target's entropy (the smallest loss possible).
    criterion = SoftmaxCrossEntropy(label_smoothing=0.5)
    loss = criterion.forward(np.array([[0.0, math.log(3)]]), np.array([1]))
    assert loss == pytest.approx(-(0.25 * math.log(0.25) + 0.75 * math.log(0.75)), rel=1e-13)
    np.testing.assert_allclose(criterion.backward(), [[0.0, 0.0]], atol=1e-15)


@pytest.mark.parametrize("smoothing", [0.1, 0.5])
def test_label_smoothing_gradient_check(smoothing):
    rng = np.random.default_rng(3)
    scores = rng.standard_normal((5, 10)) * 3
    labels = rng.integers(0, 10, size=5)
    criterion = SoftmaxCrossEntropy(label_smoothing=smoothing)
    criterion.forward(scores, labels)
    analytic = criterion.backward()
    numeric = numerical_gradient(lambda: criterion.forward(scores, labels), scores)
    assert relative_error(analytic, numeric) < TOL


def test_label_smoothing_zero_is_the_plain_loss():
    rng = np.random.default_rng(4)
    scores, labels = rng.standard_normal((6, 10)), rng.integers(0, 10, size=6)
    plain, zero = SoftmaxCrossEntropy(), SoftmaxCrossEntropy(label_smoothing=0.0)
    assert zero.forward(scores, labels) == plain.forward(scores, labels)
    np.testing.assert_array_equal(zero.backward(), plain.backward())


@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5, float("nan")])
def test_bad_label_smoothing_raises_naming_it(value):
    with pytest.raises(ValueError, match=r"label_smoothing must be .*\[0, 1\)"):
        SoftmaxCrossEntropy(label_smoothing=value)
    with pytest.raises(TypeError, match="label_smoothing"):
        SoftmaxCrossEntropy(label_smoothing="0.1")


# ---------------------------------------------------------------------------------- MSE
def test_mse_value_and_gradient_by_hand():
    scores = np.array([[1.0, 2.0], [3.0, 5.0]])
    targets = np.array([[0.0, 2.0], [1.0, 1.0]])
    # diff = [[1, 0], [2, 4]]; 1/2 * (1 + 0 + 4 + 16) / N=2 = 5.25
    criterion = MSE()
    assert criterion.forward(scores, targets) == 5.25
    # dscores = diff / N
    np.testing.assert_array_equal(criterion.backward(), [[0.5, 0.0], [1.0, 2.0]])


def test_mse_integer_labels_become_one_hot():
    scores = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 2.0]])
    # targets [[0,1,0],[0,0,1]] -> diff [[0.5, -0.5, 0], [0, 0, 1]] -> 1/2 * 1.5 / 2 = 0.375
    criterion = MSE()
    assert criterion.forward(scores, np.array([1, 2])) == 0.375
    np.testing.assert_array_equal(criterion.backward(), [[0.25, -0.25, 0.0], [0.0, 0.0, 0.5]])


@pytest.mark.parametrize("targets", ["dense", "labels"])
def test_mse_gradient_check(targets):
    rng = np.random.default_rng(2)
    scores = rng.standard_normal((5, 4))
    t = rng.standard_normal((5, 4)) if targets == "dense" else rng.integers(0, 4, size=5)
    criterion = MSE()
    criterion.forward(scores, t)
    analytic = criterion.backward()
    numeric = numerical_gradient(lambda: criterion.forward(scores, t), scores)
    assert relative_error(analytic, numeric) < TOL


def test_repr():
    assert repr(MSE()) == "MSE()" and repr(SoftmaxCrossEntropy()) == "SoftmaxCrossEntropy()"
    assert repr(SoftmaxCrossEntropy(0.1)) == "SoftmaxCrossEntropy(label_smoothing=0.1)"


def test_call_is_forward():
    scores = np.zeros((2, 3))
    assert SoftmaxCrossEntropy()(scores, np.array([0, 1])) == pytest.approx(math.log(3))


# ------------------------------------------------------------------------ invalid input
S = np.zeros((3, 10))
INVALID = {
    "label too large": (SoftmaxCrossEntropy, S, np.array([0, 10, 2]),
                        r"labels must be in the range \[0, 9\] for 10 classes"),
    "negative label": (SoftmaxCrossEntropy, S, np.array([0, -1, 2]),
                       r"labels must be in the range \[0, 9\]"),
    "float labels": (SoftmaxCrossEntropy, S, np.array([0.0, 1.0, 2.0]),
                     r"labels must be an integer array of shape \(3,\)"),
    "wrong label length": (SoftmaxCrossEntropy, S, np.array([0, 1]),
                           r"labels must be an integer array of shape \(3,\).*shape \(2,\)"),
    "2-D labels": (SoftmaxCrossEntropy, S, np.zeros((3, 1), dtype=int),
                   r"labels must be an integer array of shape \(3,\)"),
    "1-D scores": (SoftmaxCrossEntropy, np.zeros(10), np.array([1]),
                   r"scores must be an array of shape \(N, K\)"),
    "nan scores": (SoftmaxCrossEntropy, np.full((3, 10), np.nan), np.array([0, 1, 2]),
                   r"scores contain nan or inf.*learning rate"),
    "mse label out of range": (MSE, S, np.array([0, 1, 10]),
                               r"labels must be in the range \[0, 9\]"),
    "mse targets wrong shape": (MSE, S, np.zeros((3, 9)),
                                r"targets must have the shape of scores \(3, 10\)"),
    "mse empty batch": (MSE, np.zeros((0, 10)), np.zeros((0, 10)),
                        r"scores must be an array of shape \(N, K\) with N >= 1"),
}


@pytest.mark.parametrize("loss_cls, scores, targets, pattern", INVALID.values(), ids=INVALID.keys())
def test_invalid_scores_and_labels_raise_value_error(loss_cls, scores, targets, pattern):
    with pytest.raises(ValueError, match=pattern):
        loss_cls().forward(scores, targets)


@pytest.mark.parametrize("loss_cls", [SoftmaxCrossEntropy, MSE])
def test_backward_before_forward_raises(loss_cls):
    pattern = rf"{loss_cls.__name__}\.backward\(\) called before forward\(\)"
    with pytest.raises(ValueError, match=pattern):
        loss_cls().backward()
