"""Checks for the exercises of notebook 06 (fully connected layer, softmax and losses)."""
import math

import numpy as np

from cnn_core.course.exercises._answers import (
    call,
    number_array,
    real_number,
    whole_number,
)
from cnn_core.course.exercises._report import expect, passed
from cnn_core.course.losses.comparison import mse_on_probabilities_with_gradient
from cnn_core.gradcheck import numerical_gradient, relative_error
from cnn_core.layers import Flatten
from cnn_core.losses import SoftmaxCrossEntropy, softmax
from cnn_core.model import Sequential
from cnn_core.train import evaluate


def check_stable_softmax(my_softmax):
    """``my_softmax(scores (N, K)) -> probabilities (N, K)`` that survives huge scores."""
    rng = np.random.default_rng(6)
    cases = {"ordinary scores": rng.normal(size=(4, 10)),
             "scores around 1000": np.array([[1000.0, 1000.0, 999.0], [1000.0, 0.0, -1000.0]]),
             "scores around -1000": np.array([[-1000.0, -1001.0, -999.0]])}
    for name, scores in cases.items():
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            got = number_array(call(my_softmax, "my_softmax", scores.copy()),
                               f"my_softmax({name})").astype(np.float64)
        expect(got.shape == scores.shape, f"{name}: output shape should be {scores.shape}, "
               f"got {got.shape}")
        expect(np.all(np.isfinite(got)), f"{name}: the output contains nan or inf - exp() of a "
               f"big score overflows; subtract each row's maximum before exponentiating")
        expect(np.allclose(got.sum(axis=1), 1.0), f"{name}: every row must sum to 1 "
               f"(normalise over axis=1, per sample), got row sums {got.sum(axis=1)}")
        expect(np.allclose(got, softmax(scores), atol=1e-12),
               f"{name}: values differ from the softmax definition exp(z_k) / sum_j exp(z_j)")
    passed("your softmax is correct and stable for scores of +-1000")


def check_flat_index(flat_index):
    """``flat_index(channel, row, col, shape=(C, H, W)) -> int``: the position of that feature
    in the flattened vector, i.e. the row of the Dense weight matrix it multiplies."""
    flatten = Flatten()
    for shape in ((16, 7, 7), (3, 5, 4), (1, 28, 28)):
        volume = np.arange(np.prod(shape)).reshape(1, *shape)
        flat = flatten.forward(volume)[0]
        for channel, row, col in ((0, 0, 0), (shape[0] - 1, shape[1] - 1, shape[2] - 1),
                                  (shape[0] // 2, 1, shape[2] - 2), (0, shape[1] - 1, 0)):
            got = whole_number(call(flat_index, "flat_index", channel, row, col, shape),
                               f"flat_index({channel}, {row}, {col}, {shape})")
            want = int(np.flatnonzero(flat == volume[0, channel, row, col])[0])
            expect(got == want, f"for shape {shape}, (channel, row, col) = ({channel}, {row}, "
                   f"{col}) sits at position {want} of the flattened vector, you gave {got}: "
                   f"Flatten lays out channel by channel, each channel row by row")
    passed("your index matches Flatten: W[flat_index(c, r, q), j] connects map c at (r, q) "
           "to class j")


def check_mse_gradient(my_mse_gradient):
    """``my_mse_gradient(scores (N, K), labels (N,)) -> dL/dscores (N, K)`` for the MSE on
    softmax probabilities, L = mean over N of 1/2 * sum_k (one_hot_k - p_k)^2."""
    rng = np.random.default_rng(7)
    scores = rng.normal(scale=3.0, size=(5, 10))
    labels = rng.integers(0, 10, size=5)
    got = number_array(call(my_mse_gradient, "my_mse_gradient", scores.copy(), labels.copy()),
                       "my_mse_gradient(scores, labels)").astype(np.float64)
    expect(got.shape == scores.shape, f"the gradient must have the shape of the scores "
           f"{scores.shape}, got {got.shape}")
    numeric = numerical_gradient(lambda: mse_on_probabilities_with_gradient(scores, labels)[0],
                                 scores)
    error = relative_error(got, numeric)
    expect(error < 1e-6, f"relative error {error:.2e} against the numerical gradient (want "
           f"< 1e-6). Did you divide by N, and chain through softmax: "
           f"dz_j = p_j (dp_j - sum_i dp_i p_i)?")
    passed(f"your gradient matches the numerical one (relative error {error:.1e})")


def check_fresh_loss(num_classes, predicted, measured, model, x, y):
    """A fresh ``num_classes``-way classifier: the predicted starting loss ln K, and the loss
    ``measured`` on (x, y) with ``model``; the check measures it again itself, so ``measured``
    must really come from the model."""
    predicted = real_number(predicted, "predicted")
    measured = real_number(measured, "measured")
    expect(abs(predicted - math.log(num_classes)) < 1e-3,
           f"a network that spreads its bets evenly over {num_classes} classes gives each "
           f"probability 1/{num_classes}; its cross-entropy is -ln(1/{num_classes}) = "
           f"{math.log(num_classes):.4f}, you predicted {predicted:.4f}")
    expect(isinstance(model, Sequential),
           f"`model` should be the network you measured, got {type(model).__name__}")
    with model.evaluating():
        classes = model.forward(x[:1]).shape[1]
    expect(classes == num_classes, f"the model gives {classes} scores per image; build it "
           f"with num_classes={num_classes}")
    loss, _ = evaluate(model, SoftmaxCrossEntropy(), x, y)
    expect(abs(measured - loss) < 1e-6,
           f"`measured` is {measured:.4f}, but this model's loss on these images is {loss:.4f}: "
           f"measure it with evaluate(model, SoftmaxCrossEntropy(), x, y), don't type it in")
    expect(abs(measured - predicted) < 0.15,
           f"the measured loss {measured:.4f} is far from ln {num_classes} = {predicted:.4f}: "
           f"did you use a freshly built network (zoo.small_cnn(num_classes={num_classes}))?")
    passed(f"fresh {num_classes}-class loss {measured:.3f} is close to ln {num_classes} = "
           f"{predicted:.3f}")
