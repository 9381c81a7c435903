"""Trace one unit of a feature map: where it looks on the digit and which numbers made it.

A unit is (layer, channel, row, col).  Its receptive field on the 28x28 input comes from
:func:`cnn_core.arithmetic.receptive_field_box` over the layers up to it.  Its value is
rebuilt from the previous layer's output:

- convolution: sum over input channels of (input window * weights), plus the bias;
- ReLU: max(0, the value below it);
- pooling: the largest (max-pool) or the mean (average-pool) of its window.

:func:`trace_unit` returns both the value the network computed and the rebuilt one, so a
student (and a test) can check they agree.
"""
import numbers
from dataclasses import dataclass

import numpy as np

from ...arithmetic import receptive_field_box
from .reading import image_layers, layer_names


@dataclass(frozen=True)
class UnitTrace:
    """One unit and the arithmetic behind its value.

    name      layer name, e.g. "conv2"
    kind      "conv", "relu", "max-pool" or "avg-pool"
    unit      (channel, row, col)
    value     the unit's value in the network's forward pass
    rebuilt   the same value recomputed from ``inputs`` (and ``weights``, ``bias``)
    box       (top, left, bottom, right) inclusive receptive field on the 28x28 input
              (may reach past the border, onto the zero padding)
    inputs    (C_in, KH, KW) the window of the previous output the unit reads (zeros on padding)
    weights   (C_in, KH, KW) the kernel of this channel, or None
    bias      float, or None
    """

    name: str
    kind: str
    unit: tuple
    value: float
    rebuilt: float
    box: tuple
    inputs: np.ndarray
    weights: object = None
    bias: object = None

    def contributions(self):
        """(C_in,) what each input channel adds to a convolution unit (before the bias)."""
        return (self.inputs * self.weights).sum(axis=(1, 2))

    def describe(self):
        """A few lines a student can check by hand."""
        channel, row, col = self.unit
        top, left, bottom, right = self.box
        lines = [f"{self.name}, channel {channel}, row {row}, column {col}: value "
                 f"{self.value:.4f}",
                 f"receptive field on the 28x28 digit: rows {top}..{bottom}, "
                 f"columns {left}..{right} ({bottom - top + 1}x{right - left + 1})"]
        if self.kind == "conv":
            parts = " + ".join(f"{c:.3f}" for c in self.contributions())
            lines.append(f"= sum over {len(self.inputs)} input channel(s) of window * weights "
                         f"+ bias = {parts} + {self.bias:.3f} = {self.rebuilt:.4f}")
        elif self.kind == "relu":
            lines.append(f"= max(0, {self.inputs.item():.4f}) = {self.rebuilt:.4f}")
        else:
            window = ", ".join(f"{v:.3f}" for v in self.inputs.ravel())
            lines.append(f"= {self.kind} of the window [{window}] = {self.rebuilt:.4f}")
        return "\n".join(lines)


def _window(previous, layer, row, col):
    """(C_in, K, K) input window of output (row, col), zeros where it lies on the padding."""
    k, s = layer.kernel_size, layer.stride
    p, d = getattr(layer, "padding", 0), getattr(layer, "dilation", 1)
    rows, cols = row * s - p + d * np.arange(k), col * s - p + d * np.arange(k)
    _, height, width = previous.shape
    inside = (rows[:, None] >= 0) & (rows[:, None] < height) & (cols >= 0) & (cols < width)
    window = previous[:, np.clip(rows, 0, height - 1)[:, None], np.clip(cols, 0, width - 1)]
    return np.where(inside, window, 0.0)


def _check_index(name, value, size):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not (
            0 <= value < size):
        raise ValueError(f"{name} must be an integer in [0, {size - 1}], got {value!r}")
    return int(value)


def trace_unit(model, reading, layer, channel, row, col):
    """The :class:`UnitTrace` of unit (channel, row, col) in layer index ``layer`` of ``model``.

    ``reading`` is the :class:`~cnn_core.course.draw.reading.Reading` of the digit (its
    feature maps hold every layer's output).  Raises ValueError for a layer that is not an
    image layer or a unit outside its feature map.
    """
    spatial = image_layers(model)
    if isinstance(layer, bool) or layer not in spatial:
        raise ValueError(f"layer must be the index of an image layer, one of {spatial}, "
                         f"got {layer!r}")
    outputs = {index: maps for _, index, maps in reading.feature_maps}
    maps = outputs[layer]
    channel = _check_index("channel", channel, maps.shape[0])
    row, col = _check_index("row", row, maps.shape[1]), _check_index("col", col, maps.shape[2])
    previous = outputs[layer - 1] if layer > 0 else reading.digit[None]
    module = model.layers[layer]
    box = receptive_field_box(model.layers[:layer + 1], row, col)
    value = float(maps[channel, row, col])
    if hasattr(module, "params") and "W" in module.params:
        inputs = _window(previous.astype(np.float64), module, row, col)
        weights = module.params["W"][channel].astype(np.float64)
        bias = float(module.params["b"][channel])
        rebuilt = float((inputs * weights).sum() + bias)
        return UnitTrace(layer_names(model)[layer], "conv", (channel, row, col), value,
                         rebuilt, box, inputs, weights, bias)
    if hasattr(module, "kernel_size"):
        inputs = _window(previous[channel:channel + 1].astype(np.float64), module, row, col)
        is_max = type(module).__name__.startswith("Max")
        rebuilt = float(inputs.max() if is_max else inputs.mean())
        return UnitTrace(layer_names(model)[layer], "max-pool" if is_max else "avg-pool",
                         (channel, row, col), value, rebuilt, box, inputs)
    inputs = previous[channel:channel + 1, row:row + 1, col:col + 1].astype(np.float64)
    return UnitTrace(layer_names(model)[layer], "relu", (channel, row, col), value,
                     float(max(inputs.item(), 0.0)), box, inputs)
