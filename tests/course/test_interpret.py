"""Tests for cnn_core.course.training.interpret: saliency, occlusion, confusion matrix,
activations."""
import numpy as np
import pytest

from cnn_core.course.training.interpret import (
    confusion_matrix,
    layer_activations,
    misclassified,
    occlusion_map,
    predict_proba,
    saliency_map,
)
from cnn_core.gradcheck import numerical_gradient, relative_error
from cnn_core.layers import Dense, Dropout, Flatten, ReLU
from cnn_core.model import Sequential
from cnn_core.zoo import small_cnn


@pytest.fixture
def rng():
    return np.random.default_rng(5)


def linear_model(rng, shape=(1, 6, 5), classes=4, dtype=np.float64):
    c, h, w = shape
    return Sequential([Flatten(), Dense(c * h * w, classes, rng=rng, dtype=dtype)])


def tiny_cnn(rng):
    return small_cnn(filters=(2, 3), rng=rng)


# ----------------------------------------------------------------------------- saliency
def test_saliency_of_a_linear_model_is_its_weight_column(rng):
    model = linear_model(rng)
    x = rng.standard_normal((3, 1, 6, 5))
    labels = np.array([2, 0, 3])
    sal = saliency_map(model, x, labels)
    weights = model.layers[1].params["W"]
    assert sal.shape == x.shape
    for n, label in enumerate(labels):
        np.testing.assert_allclose(sal[n], weights[:, label].reshape(1, 6, 5))


def test_saliency_of_a_cnn_matches_finite_differences(rng):
    model = small_cnn(filters=(2, 3), rng=rng)
    for layer in model.layers:
        for key in layer.params:
            layer.params[key] = layer.params[key].astype(np.float64)
            layer.grads[key] = layer.grads[key].astype(np.float64)
    x = rng.random((1, 1, 28, 28))
    sal = saliency_map(model, x, np.array([7]))
    patch = x[0, 0, 10:13, 10:13].copy()

    def score():
        x[0, 0, 10:13, 10:13] = patch
        return model.forward(x)[0, 7]
    numeric = numerical_gradient(score, patch)
    assert relative_error(sal[0, 0, 10:13, 10:13], numeric) < 1e-6


def test_saliency_leaves_layer_modes_as_they_were(rng):
    model = Sequential([Flatten(), Dropout(0.5, rng=rng), Dense(30, 4, rng=rng)])
    model.train()
    x = rng.standard_normal((2, 1, 6, 5)).astype(np.float32)
    first = saliency_map(model, x, np.array([1, 2]))
    second = saliency_map(model, x, np.array([1, 2]))
    np.testing.assert_array_equal(first, second)        # eval mode: no random dropout mask
    assert all(layer.training for layer in model.layers)


def test_saliency_rejects_bad_labels(rng):
    model = linear_model(rng)
    x = rng.standard_normal((2, 1, 6, 5))
    with pytest.raises(ValueError, match="labels"):
        saliency_map(model, x, np.array([0, 4]))
    with pytest.raises(ValueError, match="labels"):
        saliency_map(model, x, np.array([0]))


# ----------------------------------------------------------------------------- occlusion
def test_occluding_a_blank_region_changes_nothing(rng):
    model = tiny_cnn(rng)
    image = np.zeros((1, 28, 28), dtype=np.float32)
    image[0, 4:12, 5:15] = rng.random((8, 10))      # ink only in the top left
    drops = occlusion_map(model, image, label=3, patch_size=5, fill=0.0)
    assert drops.shape == (28, 28)
    # A 5x5 patch centred at row >= 14 or col >= 17 lies entirely on blank pixels: the input is
    # unchanged, so the drop is zero up to float32 rounding (the copies go through in a
    # different batch size than the original, which reorders sums in the matrix products).
    assert np.abs(drops[14:, :]).max() < 1e-7 and np.abs(drops[:, 17:]).max() < 1e-7
    assert np.abs(drops[4:12, 5:15]).max() > 1e-3  # hiding the ink does change something


def test_occlusion_of_an_all_blank_image_is_zero_everywhere(rng):
    drops = occlusion_map(tiny_cnn(rng), np.zeros((1, 1, 28, 28), np.float32), label=0)
    np.testing.assert_array_equal(drops, 0)


def test_occlusion_matches_hiding_one_patch_by_hand(rng):
    model = tiny_cnn(rng)
    image = rng.random((1, 28, 28)).astype(np.float32)
    drops = occlusion_map(model, image, label=4, patch_size=3, fill=0.5, batch_size=100)
    hidden = image.copy()
    hidden[0, 9:12, 19:22] = 0.5                    # the patch centred at (10, 20)
    expected = predict_proba(model, image[None])[0, 4] - predict_proba(model, hidden[None])[0, 4]
    assert drops[10, 20] == pytest.approx(expected, abs=1e-9)
    corner = image.copy()
    corner[0, 0:2, 0:2] = 0.5                       # centred at (0, 0): clipped to 2x2
    expected = predict_proba(model, image[None])[0, 4] - predict_proba(model, corner[None])[0, 4]
    assert drops[0, 0] == pytest.approx(expected, abs=1e-9)


def test_occlusion_rejects_bad_arguments(rng):
    model = tiny_cnn(rng)
    image = np.zeros((1, 28, 28), np.float32)
    with pytest.raises(ValueError, match="patch_size"):
        occlusion_map(model, image, 0, patch_size=29)
    with pytest.raises(ValueError, match="patch_size"):
        occlusion_map(model, image, 0, patch_size=0)
    with pytest.raises(ValueError, match="label"):
        occlusion_map(model, image, 10)
    with pytest.raises(ValueError, match="one image"):
        occlusion_map(model, np.zeros((2, 1, 28, 28), np.float32), 0)


# ----------------------------------------------------------------------------- mistakes
def test_confusion_matrix_counts_by_hand():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    expected = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, num_classes=3), expected)


def test_confusion_matrix_rows_sum_to_class_sizes(rng):
    y_true = rng.integers(0, 10, 200)
    y_pred = rng.integers(0, 10, 200)
    matrix = confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(y_true, minlength=10))
    assert np.trace(matrix) == np.sum(y_true == y_pred)


def test_confusion_matrix_rejects_out_of_range_labels():
    with pytest.raises(ValueError, match="y_pred"):
        confusion_matrix(np.array([0, 1]), np.array([0, 3]), num_classes=3)
    with pytest.raises(ValueError, match="y_pred"):
        confusion_matrix(np.array([0, 1]), np.array([0]), num_classes=3)


def test_misclassified_returns_the_wrong_indices():
    np.testing.assert_array_equal(misclassified(np.array([1, 2, 3, 4]), np.array([1, 0, 3, 0])),
                                  [1, 3])
    with pytest.raises(ValueError, match="y_true and y_pred"):
        misclassified(np.array([1, 2]), np.array([1]))


# ----------------------------------------------------------------------------- activations
def test_layer_activations_gives_every_layer_output_and_the_final_scores(rng):
    model = tiny_cnn(rng)
    x = rng.random((2, 1, 28, 28)).astype(np.float32)
    acts = layer_activations(model, x)
    assert len(acts) == len(model.layers)
    shapes = [a.shape for _, a in acts]
    assert shapes[0] == (2, 2, 28, 28) and shapes[2] == (2, 2, 14, 14) and shapes[5] == (2, 3, 7, 7)
    assert acts[0][0].startswith("0 Conv2D")
    np.testing.assert_allclose(acts[-1][1], model.forward(x), rtol=1e-6)
    assert np.all(acts[1][1] >= 0)                   # after ReLU


def test_predict_proba_rows_sum_to_one(rng):
    probs = predict_proba(tiny_cnn(rng), rng.random((5, 1, 28, 28)).astype(np.float32))
    assert probs.shape == (5, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_relu_model_saliency_is_zero_where_relu_blocks(rng):
    model = Sequential([Flatten(), ReLU(), Dense(4, 2, rng=rng, dtype=np.float64)])
    x = np.array([[[[1.0, -2.0], [3.0, -4.0]]]])
    sal = saliency_map(model, x, np.array([1]))
    assert sal[0, 0, 0, 1] == 0 and sal[0, 0, 1, 1] == 0
    assert sal[0, 0, 0, 0] == model.layers[2].params["W"][0, 1]
