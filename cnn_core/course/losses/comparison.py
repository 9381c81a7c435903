"""Cross-entropy against mean squared error for a classifier: values and gradients.

A classifier's scores (logits) z (N, K) become probabilities p = softmax(z).  Two ways to say
how wrong p is for the true class y (one-hot target t):

- cross-entropy   L = -log p_y                   (:class:`cnn_core.losses.SoftmaxCrossEntropy`)
- MSE on p        L = 1/2 * sum_k (t_k - p_k)^2  (:class:`cnn_core.losses.MSE` on softmax(z))

What the network can change is z, so what matters is dL/dz.  For cross-entropy it is simply
p - t.  For MSE it has to pass back through softmax, whose Jacobian multiplies by p_y: when the
network is confidently wrong (p_y near 0) the MSE gradient almost vanishes while the
cross-entropy gradient is as large as it can be.  Both losses here are the engine's own classes.
"""
from dataclasses import dataclass

import numpy as np

from cnn_core.losses import MSE, SoftmaxCrossEntropy, check_labels, softmax


def softmax_backward(probs, dprobs):
    """Chain rule through softmax: dprobs (N, K) = dL/dp -> dscores (N, K) = dL/dz.

    dp_i/dz_j = p_i (delta_ij - p_j), so dL/dz_j = p_j (dL/dp_j - sum_i dL/dp_i p_i).
    """
    probs, dprobs = np.asarray(probs, dtype=np.float64), np.asarray(dprobs, dtype=np.float64)
    if probs.shape != dprobs.shape or probs.ndim != 2:
        raise ValueError(f"probs and dprobs must both have shape (N, K), got {probs.shape} "
                         f"and {dprobs.shape}")
    return probs * (dprobs - (dprobs * probs).sum(axis=1, keepdims=True))


def cross_entropy_with_gradient(scores, labels):
    """Mean cross-entropy of scores (N, K) for int labels (N,), and dL/dscores (N, K)."""
    criterion = SoftmaxCrossEntropy()
    value = criterion.forward(np.asarray(scores, dtype=np.float64), labels)
    return value, criterion.backward()


def mse_on_probabilities_with_gradient(scores, labels):
    """Mean of 1/2 * sum_k (one_hot_k - softmax(scores)_k)^2, and its gradient w.r.t. the
    scores (N, K): the engine's MSE on the probabilities, then :func:`softmax_backward`."""
    scores = np.asarray(scores, dtype=np.float64)
    criterion = MSE()
    probs = softmax(scores)
    value = criterion.forward(probs, check_labels(labels, *scores.shape))
    return value, softmax_backward(probs, criterion.backward())


def scores_for_probabilities(probs):
    """Scores (logits) whose softmax is ``probs`` (N, K): z = log p (zeros become -50)."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or np.any(probs < 0) or not np.allclose(probs.sum(axis=1), 1.0):
        raise ValueError("probs must have shape (N, K) with non-negative rows summing to 1, "
                         f"got shape {probs.shape}")
    return np.log(np.maximum(probs, np.exp(-50.0)))


@dataclass(frozen=True)
class ConfidenceSweep:
    """Losses and gradients as the probability of the true class goes from ~0 to ~1.

    All arrays have shape (M,).  ``*_grad`` is dL/dz_y, the gradient with respect to the true
    class's own score (negative: raising that score lowers the loss).
    """

    p_true: np.ndarray
    cross_entropy: np.ndarray
    mse: np.ndarray
    cross_entropy_grad: np.ndarray
    mse_grad: np.ndarray


def sweep_true_class_probability(num_classes=10, points=199):
    """Evaluate both losses for predictions giving the true class probability p (from 0.005
    to 0.995) and sharing 1 - p equally among the other ``num_classes - 1`` classes."""
    if not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")
    if not isinstance(points, int) or points < 2:
        raise ValueError(f"points must be an integer >= 2, got {points!r}")
    p = np.linspace(0.005, 0.995, points)
    probs = np.repeat(((1 - p) / (num_classes - 1))[:, None], num_classes, axis=1)
    probs[:, 0] = p
    scores, label = scores_for_probabilities(probs), np.zeros(1, dtype=np.int64)
    rows = [(cross_entropy_with_gradient(z[None], label),
             mse_on_probabilities_with_gradient(z[None], label)) for z in scores]
    return ConfidenceSweep(
        p_true=p,
        cross_entropy=np.array([ce[0] for ce, _ in rows]),
        mse=np.array([mse[0] for _, mse in rows]),
        cross_entropy_grad=np.array([ce[1][0, 0] for ce, _ in rows]),
        mse_grad=np.array([mse[1][0, 0] for _, mse in rows]))
