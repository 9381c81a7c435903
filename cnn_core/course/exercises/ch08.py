"""Checks for the exercises of notebook 08 (training a CNN and opening it up)."""
import numpy as np

from cnn_core.course.exercises._answers import (
    call,
    number_array,
    real_number,
    whole_number,
    whole_numbers,
)
from cnn_core.course.exercises._report import expect, passed
from cnn_core.course.training.interpret import (
    confusion_matrix,
    misclassified,
    occlusion_map,
    predict_proba,
)


def check_confusion_matrix(my_confusion_matrix):
    """``my_confusion_matrix(y_true, y_pred, num_classes) -> (K, K)`` counts, rows = true
    class, columns = predicted class."""
    rng = np.random.default_rng(8)
    for k, n in ((3, 12), (10, 300), (4, 1)):
        y_true, y_pred = rng.integers(0, k, n), rng.integers(0, k, n)
        want = confusion_matrix(y_true, y_pred, k)
        got = number_array(call(my_confusion_matrix, "my_confusion_matrix", y_true.copy(),
                                y_pred.copy(), k), "my_confusion_matrix(y_true, y_pred, k)")
        expect(got.shape == (k, k), f"for {k} classes return a ({k}, {k}) array, "
               f"got shape {got.shape}")
        expect(not (np.array_equal(got, want.T) and not np.array_equal(got, want)),
               "rows and columns are swapped: row = true class, column = predicted class")
        expect(got.sum() == n, f"the counts should add up to the number of samples ({n}), "
               f"got {got.sum()}")
        expect(np.array_equal(got, want), f"entry [t, p] counts the samples with label t that "
               f"were predicted as p; for {k} classes and {n} samples the counts differ")
    passed("your confusion matrix matches cnn_core.course.training.interpret.confusion_matrix")


def check_most_confident_mistake(index, model, x, y):
    """``index``: position in (x, y) of the misclassified digit to which the model gave the
    highest probability for its (wrong) predicted class."""
    probs = predict_proba(model, x)
    pred = probs.argmax(axis=1)
    wrong = misclassified(y, pred)
    expect(len(wrong) > 0, "this model makes no mistakes on these digits")
    index = whole_number(index, "index")
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


def check_occlusion_by_hand(drop, model, image, label, centre, patch_size, fill):
    """``drop``: p(label | image) - p(label | image with a ``patch_size`` square of value
    ``fill`` centred on ``centre`` (row, col)), for one ``image`` (1, H, W); it should equal
    that entry of :func:`cnn_core.course.training.interpret.occlusion_map`."""
    drop = real_number(drop, "drop")
    row, col = centre = whole_numbers(centre, "(row, col)", 2)
    height, width = image.shape[1:]
    expect(0 <= row < height and 0 <= col < width,
           f"the centre {centre} lies outside the {height}x{width} image")
    drops = occlusion_map(model, image, label, patch_size=patch_size, fill=fill)
    strongest = tuple(int(v) for v in np.unravel_index(np.abs(drops).argmax(), drops.shape))
    expect(centre == strongest,
           f"the task asks for the pixel where the occlusion map has the largest absolute "
           f"value; that is {strongest}, not {centre} (np.unravel_index of np.abs(...).argmax())")
    want = float(drops[row, col])
    expect(not (np.isclose(drop, -want, atol=1e-6) and not np.isclose(drop, want, atol=1e-6)),
           "the sign is flipped: the drop is the probability *before* minus the one *after*")
    half = patch_size // 2
    hidden = image.copy()
    hidden[:, row:row + patch_size, col:col + patch_size] = fill
    corner = float(predict_proba(model, image[None])[0, label]
                   - predict_proba(model, hidden[None])[0, label])
    expect(not np.isclose(drop, corner, atol=1e-6) or np.isclose(want, corner, atol=1e-6),
           f"the patch should be *centred* on {tuple(centre)}: rows {row - half} to "
           f"{row - half + patch_size - 1}, not start there")
    expect(np.isclose(drop, want, atol=1e-5),
           f"your drop {drop:.4f} differs from occlusion_map's {want:.4f}: compare softmax "
           f"probabilities of class {label} (predict_proba), not raw scores")
    passed(f"hiding a {patch_size}x{patch_size} patch at {tuple(centre)} changes p({label}) by "
           f"{-want:+.4f}; occlusion_map does this for every pixel, in batches")
