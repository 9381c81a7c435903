"""Tests for the exercise checks of notebooks 08 and 09: right answers pass, typical wrong
answers fail with a helpful hint."""
import numpy as np
import pytest

from cnn_core.course.exercises import ch08, ch09
from cnn_core.course.hyperparameters.experiments import Config, build_cnn
from cnn_core.course.training.interpret import occlusion_map, predict_proba
from cnn_core.data import load_digits, stratified_split
from cnn_core.zoo import small_cnn


@pytest.fixture(scope="module")
def model_and_digits():
    x, y = load_digits("test")
    return small_cnn(filters=(2, 4), rng=np.random.default_rng(0)), x[:60], y[:60]


# ----------------------------------------------------------------------------- chapter 8
def good_confusion(y_true, y_pred, k):
    m = np.zeros((k, k), int)
    for t, p in zip(y_true, y_pred):
        m[t, p] += 1
    return m


def test_confusion_matrix_check_passes_a_correct_function(capsys):
    ch08.check_confusion_matrix(good_confusion)
    assert capsys.readouterr().out.startswith("PASS")


def test_confusion_matrix_check_spots_swapped_axes_and_wrong_shape():
    with pytest.raises(AssertionError, match="swapped"):
        ch08.check_confusion_matrix(lambda t, p, k: good_confusion(t, p, k).T)
    with pytest.raises(AssertionError, match="shape"):
        ch08.check_confusion_matrix(lambda t, p, k: np.zeros((k, k + 1)))


def test_most_confident_mistake_check(model_and_digits, capsys):
    model, x, y = model_and_digits
    probs = predict_proba(model, x)
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    best = int(wrong[np.argmax(probs[wrong, pred[wrong]])])
    ch08.check_most_confident_mistake(best, model, x, y)
    assert "PASS" in capsys.readouterr().out
    right = int(np.flatnonzero(pred == y)[0]) if np.any(pred == y) else None
    if right is not None:
        with pytest.raises(AssertionError, match="classified correctly"):
            ch08.check_most_confident_mistake(right, model, x, y)
    least = int(wrong[np.argmin(probs[wrong, pred[wrong]])])
    with pytest.raises(AssertionError, match="more confidently"):
        ch08.check_most_confident_mistake(least, model, x, y)
    with pytest.raises(AssertionError, match="index"):
        ch08.check_most_confident_mistake(len(x), model, x, y)


def test_occlusion_by_hand_check(model_and_digits, capsys):
    model, x, _ = model_and_digits
    image, label = x[0], 3
    drops = occlusion_map(model, image, label, patch_size=5, fill=0.5)
    row, col = (int(v) for v in np.unravel_index(np.abs(drops).argmax(), drops.shape))
    hidden = image.copy()
    hidden[:, row - 2:row + 3, col - 2:col + 3] = 0.5
    before = predict_proba(model, image[None])[0, label]
    after = predict_proba(model, hidden[None])[0, label]
    assert abs(before - after) > 1e-5                 # the check can tell the cases apart
    ch08.check_occlusion_by_hand(before - after, model, image, label, (row, col), 5, 0.5)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="sign"):
        ch08.check_occlusion_by_hand(after - before, model, image, label, (row, col), 5, 0.5)
    corner = image.copy()
    corner[:, row:row + 5, col:col + 5] = 0.5
    wrong = before - predict_proba(model, corner[None])[0, label]
    with pytest.raises(AssertionError, match="centred"):
        ch08.check_occlusion_by_hand(wrong, model, image, label, (row, col), 5, 0.5)
    with pytest.raises(AssertionError, match="probabilities"):
        ch08.check_occlusion_by_hand(before - after + 0.01, model, image, label, (row, col), 5,
                                     0.5)


def test_occlusion_by_hand_wants_the_strongest_pixel(model_and_digits):
    """Any centre used to pass as long as the drop matched it."""
    model, x, _ = model_and_digits
    image, label = x[0], 3
    drops = occlusion_map(model, image, label, patch_size=5, fill=0.5)
    other = (int(np.abs(drops).argmin() // drops.shape[1]), int(np.abs(drops).argmin() % 28))
    with pytest.raises(AssertionError, match="largest absolute"):
        ch08.check_occlusion_by_hand(float(drops[other]), model, image, label, other, 5, 0.5)


# ----------------------------------------------------------------------------- chapter 9
def test_param_count_check(capsys):
    right = build_cnn(Config(**ch09.PARAM_TASK), np.random.default_rng(0)).num_params()
    ch09.check_param_count(right)
    assert "PASS" in capsys.readouterr().out
    no_biases = 16 * 25 + 32 * 16 * 25 + 32 * 49 * 10
    with pytest.raises(AssertionError, match="bias"):
        ch09.check_param_count(no_biases)
    with pytest.raises(AssertionError, match="Dense"):
        ch09.check_param_count(16 * 26 + 32 * (16 * 25 + 1))
    with pytest.raises(AssertionError, match="whole number"):
        ch09.check_param_count(float(right))


def test_validation_split_check():
    labels = np.repeat(np.arange(10), 20)
    train_idx, val_idx = stratified_split(labels, 5, np.random.default_rng(1))
    ch09.check_validation_split(train_idx, val_idx, labels, 5)
    ch09.check_validation_split(train_idx[::-1], val_idx[::-1], labels, 5)   # order is free
    other_seed = stratified_split(labels, 5, np.random.default_rng(0))
    with pytest.raises(AssertionError, match="seeded 1"):
        ch09.check_validation_split(*other_seed, labels, 5)
    with pytest.raises(AssertionError, match="both parts"):
        ch09.check_validation_split(np.arange(200), val_idx, labels, 5)
    with pytest.raises(AssertionError, match="5 digits of every class"):
        ch09.check_validation_split(np.arange(50, 200), np.arange(50), labels, 5)


def test_log_uniform_check(capsys):
    def log_uniform(rng, low, high, n):
        return 10 ** rng.uniform(np.log10(low), np.log10(high), n)
    ch09.check_log_uniform(log_uniform)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="uniform sampling"):
        ch09.check_log_uniform(lambda rng, low, high, n: rng.uniform(low, high, n))
    with pytest.raises(AssertionError, match=r"\[low, high\]"):
        ch09.check_log_uniform(lambda rng, low, high, n: 10 ** rng.uniform(-6, -1, n))
