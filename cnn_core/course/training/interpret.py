"""Opening a trained network: what it gets wrong, what it looks at, what each layer computes.

- :func:`predict_proba`: class probabilities (N, K) in eval mode.
- :func:`confusion_matrix` and :func:`misclassified`: where the mistakes are.
- :func:`layer_activations`: the output of every layer for a batch, as Zeiler & Fergus did.
- :func:`saliency_map`: the gradient of one class score with respect to the input pixels,
  computed by the model's own backward pass from a one-hot ``dout``.
- :func:`occlusion_map`: cover part of the image with a patch and measure how much the
  probability of the true class drops.

Every function runs the model in eval mode (Dropout off, BatchNorm on running statistics) and
puts each layer back in the mode it was in.
"""

import numpy as np

from cnn_core.losses import check_labels, softmax
from cnn_core.validation import check_images, check_int


def predict_proba(model, x, batch_size=100):
    """Softmax probabilities (N, K) for images x (N, C, H, W), in eval mode."""
    check_images(x, "x")
    return softmax(model.scores(x, batch_size).astype(np.float64))


def confusion_matrix(y_true, y_pred, num_classes=10):
    """Counts (K, K): entry [t, p] is how many samples of true class t were predicted as p.

    The diagonal holds the correct answers; each row sums to the size of that class.
    """
    num_classes = check_int("num_classes", num_classes, 1)
    y_true = check_labels(y_true, len(np.asarray(y_true)), num_classes, "y_true")
    y_pred = check_labels(y_pred, len(y_true), num_classes, "y_pred")
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def misclassified(y_true, y_pred):
    """Indices (M,) of the samples whose prediction differs from the label, in order."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"y_true and y_pred must be label vectors of one shape (N,), "
                         f"got {y_true.shape} and {y_pred.shape}")
    return np.flatnonzero(y_true != y_pred)


def layer_activations(model, x):
    """Run x (N, C, H, W) through the model in eval mode and keep every layer's output.

    Returns a list of (layer name, output) pairs, one per layer, e.g.
    ("0 Conv2D(1, 8, kernel_size=3, padding=1)", array of shape (N, 8, 28, 28)).
    """
    check_images(x, "x")
    outputs = []
    with model.evaluating():
        for i, layer in enumerate(model.layers):
            x = layer.forward(x)
            outputs.append((f"{i} {layer!r}", x))
    return outputs


def saliency_map(model, x, labels):
    """Gradient of each sample's class score with respect to its input pixels.

    A large value means: changing this pixel a little changes the score of that class a lot.
    The backward pass starts from ``dout`` = one-hot(labels) on the scores, so the result is
    d score[label] / d x, not the gradient of the loss.

    Parameters
    ----------
    model : Sequential whose output is scores (N, K)
    x : ndarray (N, C, H, W)
    labels : int array (N,), the class whose score is explained for each sample

    Returns
    -------
    ndarray (N, C, H, W), same dtype as the scores.  Plot ``np.abs(...).max(axis=1)``.
    """
    check_images(x, "x")
    with model.evaluating():
        scores = model.forward(x)
        labels = check_labels(labels, len(x), scores.shape[1])
        dout = np.zeros_like(scores)
        dout[np.arange(len(x)), labels] = 1
        return model.backward(dout)


def occlusion_map(model, image, label, patch_size=7, fill=0.0, batch_size=256):
    """How much the probability of ``label`` drops when a patch hides each part of the image.

    A ``patch_size`` x ``patch_size`` square of value ``fill`` is centred on every pixel in
    turn (clipped at the borders); all the occluded copies go through the model in batches.

    Parameters
    ----------
    model : Sequential whose output is scores (1, K)
    image : ndarray (C, H, W) or (1, C, H, W)
    label : int, the class whose probability is watched (usually the true class)
    patch_size : int >= 1
    fill : float, the value painted into the patch (0 = background of the digits)

    Returns
    -------
    drops : ndarray (H, W)
        ``drops[i, j]`` = p(label | image) - p(label | image with the patch centred at (i, j)).
        Positive where hiding the region hurts the prediction.
    """
    image = np.asarray(image)
    if image.ndim == 3:
        image = image[None]
    check_images(image, "image")
    if image.shape[0] != 1:
        raise ValueError(f"image must be one image (C, H, W) or (1, C, H, W), got {image.shape}")
    patch_size = check_int("patch_size", patch_size, 1)
    _, _, height, width = image.shape
    if patch_size > min(height, width):
        raise ValueError(f"patch_size must be in [1, {min(height, width)}] (the image size), "
                         f"got {patch_size}")
    base = predict_proba(model, image)
    label = int(check_labels(np.array([label]), 1, base.shape[1], "label")[0])
    centres = [(i, j) for i in range(height) for j in range(width)]
    half = patch_size // 2
    probs = []
    for start in range(0, len(centres), batch_size):
        chunk = centres[start:start + batch_size]
        batch = np.repeat(image, len(chunk), axis=0)
        for k, (i, j) in enumerate(chunk):
            top, left = max(i - half, 0), max(j - half, 0)
            batch[k, :, top:i - half + patch_size, left:j - half + patch_size] = fill
        probs.append(predict_proba(model, batch)[:, label])
    return base[0, label] - np.concatenate(probs).reshape(height, width)
