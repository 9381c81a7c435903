"""What a trained network makes of one drawing: probabilities, feature maps, saliency.

:func:`read_canvas` is the pure function behind the drawing pad: canvas ink (H, W) in, a
:class:`Reading` out.  :func:`read_strokes` paints pen strokes first.  No browser, no figure:
tests call them directly, the pad and the plots only show what they return.
"""
from dataclasses import dataclass

import numpy as np

from ..training.interpret import layer_activations, predict_proba, saliency_map
from .preprocess import Steps, preprocess, rasterize_strokes

_KINDS = {"Conv2D": "conv", "MaxPool2D": "pool", "AvgPool2D": "pool", "ReLU": "relu",
          "Dense": "dense", "Flatten": "flatten", "Dropout": "dropout", "BatchNorm2D": "bn"}


@dataclass(frozen=True)
class Reading:
    """The network's view of one drawing.

    steps          :class:`~cnn_core.course.draw.preprocess.Steps`, every preprocessing image
    probabilities  (10,) softmax probabilities, summing to 1
    guess          int, the most probable digit
    feature_maps   list of (name, layer index, maps (C, H, W)) for every layer whose output is
                   still an image (conv1, relu1, pool1, ...)
    saliency       (28, 28) |d score[guess] / d pixel|: where a small change moves the answer
    """

    steps: Steps
    probabilities: np.ndarray
    guess: int
    feature_maps: list
    saliency: np.ndarray

    @property
    def digit(self):
        """(28, 28) the image the network read."""
        return self.steps.digit

    def describe(self):
        """One line: the top guess and the runner-up, with their probabilities."""
        order = np.argsort(self.probabilities)[::-1]
        first, second = int(order[0]), int(order[1])
        return (f"I read a {first} ({100 * self.probabilities[first]:.1f}%); "
                f"next best {second} ({100 * self.probabilities[second]:.1f}%)")


def layer_names(model):
    """Short names for the layers of ``model``: conv1, relu1, pool1, conv2, ..., dense1."""
    counts, names = {}, []
    for layer in model.layers:
        kind = _KINDS.get(type(layer).__name__, type(layer).__name__.lower())
        counts[kind] = counts.get(kind, 0) + 1
        names.append(f"{kind}{counts[kind]}")
    return names


def image_layers(model):
    """Indices of the leading layers whose output is still an image (before Flatten)."""
    indices = []
    for i, layer in enumerate(model.layers):
        if not (getattr(type(layer), "preserves_space", False) or hasattr(layer, "kernel_size")):
            break
        indices.append(i)
    return indices


def read_digit(model, digit):
    """Probabilities (10,), feature maps and saliency (28, 28) for a preprocessed digit (28, 28).

    Returns (probabilities, feature_maps, saliency) as described in :class:`Reading`.
    """
    x = np.asarray(digit, dtype=np.float32)[None, None]
    probabilities = predict_proba(model, x)[0]
    guess = int(np.argmax(probabilities))
    names, outputs = layer_names(model), layer_activations(model, x)
    maps = [(names[i], i, outputs[i][1][0]) for i in image_layers(model)]
    saliency = np.abs(saliency_map(model, x, np.array([guess]))[0]).max(axis=0)
    return probabilities, maps, saliency.astype(np.float64)


def read_canvas(model, pixels):
    """Preprocess canvas ink ``pixels`` (H, W) in [0, 1] as MNIST did and read it with ``model``.

    Raises ValueError if ``pixels`` is not such an array or holds no ink.
    """
    steps = preprocess(pixels)
    probabilities, maps, saliency = read_digit(model, steps.digit)
    return Reading(steps, probabilities, int(np.argmax(probabilities)), maps, saliency)


def read_strokes(model, strokes, size, pen_width):
    """Paint ``strokes`` (lists of (x, y) points) on a ``size`` x ``size`` canvas with a round
    pen of ``pen_width`` pixels, then :func:`read_canvas`."""
    return read_canvas(model, rasterize_strokes(strokes, size, size, pen_width))
