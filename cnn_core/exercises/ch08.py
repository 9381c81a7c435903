"""Checks for the exercises of notebook 08 (training a CNN and opening it up)."""
import numbers

import numpy as np

from ..interpret import confusion_matrix, misclassified, predict_proba, saliency_map
from ._report import expect, passed


def check_confusion_matrix(my_confusion_matrix):
    """``my_confusion_matrix(y_true, y_pred, num_classes) -> (K, K)`` counts, rows = true
    class, columns = predicted class."""
    rng = np.random.default_rng(8)
    for k, n in ((3, 12), (10, 300), (4, 1)):
        y_true, y_pred = rng.integers(0, k, n), rng.integers(0, k, n)
        want = confusion_matrix(y_true, y_pred, k)
        got = np.asarray(my_confusion_matrix(y_true.copy(), y_pred.copy(), k))
        expect(got.shape == (k, k), f"for {k} classes return a ({k}, {k}) array, "
               f"got shape {got.shape}")
        expect(not (np.array_equal(got, want.T) and not np.array_equal(got, want)),
               "rows and columns are swapped: row = true class, column = predicted class")
        expect(got.sum() == n, f"the counts should add up to the number of samples ({n}), "
               f"got {got.sum()}")
        expect(np.array_equal(got, want), f"entry [t, p] counts the samples with label t that "
               f"were predicted as p; for {k} classes and {n} samples the counts differ")
    passed("your confusion matrix matches cnn_core.interpret.confusion_matrix")


def check_most_confident_mistake(index, model, x, y):
    """``index``: position in (x, y) of the misclassified digit to which the model gave the
    highest probability for its (wrong) predicted class."""
    probs = predict_proba(model, x)
    pred = probs.argmax(axis=1)
    wrong = misclassified(y, pred)
    expect(len(wrong) > 0, "this model makes no mistakes on these digits")
    expect(isinstance(index, numbers.Integral) and not isinstance(index, bool),
           f"give one integer index into x, got {index!r}")
    expect(0 <= index < len(x), f"the index must be in [0, {len(x) - 1}], got {index}")
    expect(pred[index] != y[index], f"digit {index} is classified correctly (as {pred[index]}):"
           " only look at the misclassified ones")
    confidence = probs[wrong, pred[wrong]]
    best = int(wrong[np.argmax(confidence)])
    expect(probs[index, pred[index]] >= confidence.max(),
           f"digit {index} is a mistake made with probability {probs[index, pred[index]]:.3f};"
           " another one is made more confidently - take the probability of the *predicted* "
           "class, and the largest over all mistakes")
    passed(f"digit {best} is a {y[best]} that the model calls a {pred[best]} with "
           f"probability {probs[best, pred[best]]:.3f}: look at it - would you agree?")


def check_saliency_by_nudging(estimate, model, image, label, pixel, h):
    """``estimate``: (score after - score before) / h when ``pixel`` (row, col) of ``image``
    (1, H, W) is raised by ``h``; it should match the saliency map at that pixel."""
    expect(isinstance(estimate, numbers.Real) or np.ndim(estimate) == 0,
           f"give one number, got {type(estimate).__name__} of shape {np.shape(estimate)}")
    row, col = pixel
    gradient = float(saliency_map(model, image[None], np.array([label]))[0, 0, row, col])
    estimate = float(estimate)
    tolerance = 0.05 * abs(gradient) + 1e-3
    forgot_h = abs(estimate / h - gradient) <= tolerance and abs(estimate - gradient) > tolerance
    expect(not forgot_h, "divide the change of the score by h")
    expect(abs(estimate - gradient) <= tolerance,
           f"your estimate {estimate:.4f} differs from the backward pass's {gradient:.4f}: use "
           f"the *score* (model.forward output) of class {label}, not a probability, and "
           "change only that one pixel")
    passed(f"nudging pixel {tuple(pixel)} changes the score of class {label} at the rate "
           f"{gradient:.4f}, exactly what one backward pass gives for every pixel at once")
