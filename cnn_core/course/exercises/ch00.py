"""Checks for the exercises of notebook 00 (quickstart)."""
import numpy as np

from cnn_core.course.exercises._answers import call, real_number, require, whole_number
from cnn_core.course.exercises._report import expect, passed
from cnn_core.layers import Conv2D, Dense

# Ways of asking the model instead of counting (exercise 1), refused by the hidden test.
SHORTCUTS = ("num_params", "summary", "named_params", "params")


def _layer_counts(model):
    """(description, weights, biases) for every conv and dense layer of ``model``."""
    rows = []
    for layer in model.layers:
        if isinstance(layer, Conv2D):
            f, c, kh, kw = layer.params["W"].shape
            rows.append((f"conv {c}->{f} {kh}x{kw}: {f}*{c}*{kh}*{kw} + {f}", f * c * kh * kw, f))
        elif isinstance(layer, Dense):
            n_in, n_out = layer.params["W"].shape
            rows.append((f"dense {n_in}->{n_out}: {n_in}*{n_out} + {n_out}", n_in * n_out, n_out))
    return rows


def check_parameter_count(n_params, model):
    """``n_params``: the number of trainable numbers in ``model``, counted by hand."""
    n_params = whole_number(n_params, "n_params")
    rows = _layer_counts(model)
    expect(n_params != sum(weights for _, weights, _ in rows),
           "close: that is the weights only; every output channel (conv) and every output "
           "unit (dense) also has one bias")
    expect(n_params == model.num_params(),
           f"got {n_params:,}. Count layer by layer; a conv layer with F filters of size "
           "C x KH x KW has F*C*KH*KW weights plus F biases, a dense layer in -> out has "
           "in*out weights plus out biases, and ReLU, pooling and Flatten have none")
    passed(f"{n_params:,} parameters (weights + biases): "
           + "; ".join(f"{d} = {w + b:,}" for d, w, b in rows))


def check_accuracy_function(accuracy):
    """``accuracy(predictions, labels) -> float``: the fraction of predictions that are right."""
    rng = np.random.default_rng(0)
    cases = [(np.array([3, 1, 4, 1]), np.array([3, 1, 4, 1]), 1.0),
             (np.array([0, 1, 2]), np.array([0, 1, 0]), 2 / 3),
             (np.array([5, 5]), np.array([6, 7]), 0.0)]
    labels = rng.integers(0, 10, size=500)
    noisy = np.where(rng.random(500) < 0.8, labels, rng.integers(0, 10, size=500))
    cases.append((noisy, labels, float(np.mean(noisy == labels))))
    for predictions, truth, want in cases:
        got = call(accuracy, "accuracy", predictions.copy(), truth.copy())
        expect(not isinstance(got, np.ndarray) or got.ndim == 0,
               f"return one number, got an array of shape {getattr(got, 'shape', None)}")
        got = real_number(got, "accuracy(predictions, labels)")
        expect(not (want > 0 and np.isclose(got, want * len(truth))),
               f"for {len(truth)} samples you returned {got:g}, the number of correct "
               "predictions: divide by the number of samples")
        expect(not (want > 0 and np.isclose(got, 100 * want)),
               f"you returned {got:g}: give a fraction between 0 and 1, not a percentage")
        expect(np.isclose(got, want), f"for predictions {predictions[:6]} and labels "
               f"{truth[:6]} (first 6 of {len(truth)}) expected {want:.4f}, got {got:.4f}")
    passed(f"your accuracy function is right on {len(cases)} test cases")


def check_misclassified(index, model, x, y):
    """``index``: a position in (x, y) where ``model`` predicts the wrong digit."""
    require(index, "index")
    index = whole_number(index, "index (a position in the test set)")
    expect(0 <= index < len(y), f"index must be between 0 and {len(y) - 1}, got {index}")
    predicted = int(model.predict(x[index:index + 1])[0])
    expect(predicted != y[index], f"the model gets test digit {index} right (it is a "
           f"{y[index]}): look for a position where predictions != labels, e.g. with "
           "np.flatnonzero")
    passed(f"test digit {index} is a {y[index]}, but the model says {predicted}")
