"""Where a unit looks: theoretical and effective receptive fields.

The *theoretical* receptive field of an output unit is the box of input pixels that can
influence it at all; :mod:`cnn_core.arithmetic` computes its size, effective stride ("jump") and
effective padding from the layer definitions alone.  This module adds what a notebook needs
around it:

- the box, centre and feature-map size of one chosen unit (:func:`locate_unit`), including how
  far the box spills over the image border into the zero padding;
- the layer tables of two classic networks (:func:`vgg16_layer_specs`,
  :func:`alexnet_layer_specs`) written as ``(kernel_size, stride, padding)`` tuples, so their
  receptive fields can be computed without allocating a single weight;
- the *effective* receptive field (Luo et al., 2016): the gradient of one output unit with
  respect to the input, computed by backpropagation through the engine
  (:func:`effective_receptive_field`).  It is non-zero only inside the theoretical box, and
  usually concentrated near its centre; :func:`conv_relu_stack` builds random stacks to
  measure it on, :func:`mean_effective_receptive_field` averages it over weight draws.

A "spec" is anything :func:`cnn_core.arithmetic.receptive_fields` accepts: a
``(kernel_size, stride, padding[, dilation])`` tuple, a spatial layer (Conv2D, MaxPool2D,
AvgPool2D) or a pointwise layer (ReLU, Dropout, BatchNorm2D).
"""
from dataclasses import dataclass

import numpy as np

from cnn_core.arithmetic import ReceptiveField, conv_output_size, layer_geometry, receptive_field
from cnn_core.layers import Conv2D, ReLU
from cnn_core.model import Sequential
from cnn_core.validation import check_int, make_rng
from cnn_core.zoo import VGG16_STAGES


# ------------------------------------------------------------------ layer tables of two networks
def vgg16_layer_specs():
    """The 18 spatial layers of VGG-16 (13 convolutions, 5 max-pools) as (name, spec) pairs.

    Built from ``cnn_core.zoo.VGG16_STAGES``: each convolution is 3x3, stride 1, padding 1, each
    stage ends in a 2x2 max-pool with stride 2.  Names follow the paper: conv1_1 ... pool5.
    """
    specs = []
    for stage, (_, depth) in enumerate(VGG16_STAGES, start=1):
        specs += [(f"conv{stage}_{j}", (3, 1, 1)) for j in range(1, depth + 1)]
        specs.append((f"pool{stage}", (2, 2, 0)))
    return specs


def alexnet_layer_specs():
    """The 8 spatial layers of AlexNet as used in Araujo et al.'s table (TF-slim alexnet_v2).

    conv1 11x11 stride 4 *without* padding ("VALID"), 3x3 max-pools with stride 2, conv2 5x5
    padding 2, conv3-conv5 3x3 padding 1.  (torchvision's AlexNet pads conv1 by 2, which only
    changes the effective padding: 66 instead of 64.)
    """
    return [("conv1", (11, 4, 0)), ("pool1", (3, 2, 0)), ("conv2", (5, 1, 2)),
            ("pool2", (3, 2, 0)), ("conv3", (3, 1, 1)), ("conv4", (3, 1, 1)),
            ("conv5", (3, 1, 1)), ("pool5", (3, 2, 0))]


def spatial_layer_specs(model):
    """(name, layer) for every convolution and pooling layer of ``model`` before its first
    non-spatial layer (Flatten), e.g. ("conv1", Conv2D(...)), ("pool1", MaxPool2D(...)).

    Pointwise layers (ReLU, ...) are left out: they do not change the receptive field.
    """
    named, counts = [], {"conv": 0, "pool": 0}
    for layer in model.layers:
        if getattr(type(layer), "preserves_space", False):
            continue
        if not hasattr(layer, "kernel_size"):
            break
        kind = "conv" if type(layer).__name__.startswith("Conv") else "pool"
        counts[kind] += 1
        named.append((f"{kind}{counts[kind]}", layer))
    return named


# ------------------------------------------------------------------------- one unit, one box
def feature_map_sizes(specs, input_size):
    """Spatial size (one axis) of the output of every layer in ``specs`` for an input of
    ``input_size`` pixels: ``o = floor((i + 2p - k_eff) / s) + 1`` applied layer by layer."""
    size, sizes = check_int("input_size", input_size, 1), []
    for index, item in enumerate(specs):
        k, s, p, d = layer_geometry(item, index)
        size = conv_output_size(size, k, s, p, d)
        sizes.append(size)
    return sizes


def receptive_field_center(specs, row, col):
    """Centre (row, col) of output unit (row, col)'s receptive field, in input pixels.

    The box of unit u starts at ``u * S0 - P0`` and is ``r0`` wide, so its centre is
    ``u * S0 - P0 + (r0 - 1) / 2`` (a half-integer when r0 is even).
    """
    row, col = check_int("row", row, 0), check_int("col", col, 0)
    field = receptive_field(specs)
    offset = (field.size - 1) / 2 - field.padding
    return row * field.stride + offset, col * field.stride + offset


@dataclass(frozen=True)
class UnitField:
    """Where one output unit looks on an image of ``image_size`` = (H, W).

    field     ReceptiveField (size, stride, padding) of the layer.
    out_size  (H_out, W_out) of the layer's feature map.
    unit      (row, col) of the unit in that map.
    box       (top, left, bottom, right) inclusive input pixels; may be negative or >= H, W.
    center    (row, col) centre of the box in input pixels.
    spill     (top, left, bottom, right) pixels of the box that lie on the zero padding.
    """

    field: ReceptiveField
    out_size: tuple
    unit: tuple
    box: tuple
    center: tuple
    spill: tuple
    image_size: tuple

    @property
    def inside_fraction(self):
        """Fraction of the box's pixels that lie on the image (1.0: no padding seen)."""
        top, left, bottom, right = self.box
        rows = min(bottom, self.image_size[0] - 1) - max(top, 0) + 1
        cols = min(right, self.image_size[1] - 1) - max(left, 0) + 1
        return max(rows, 0) * max(cols, 0) / self.field.size ** 2

    def describe(self):
        """One line a student can read, e.g. for a widget's read-out."""
        top, left, bottom, right = self.box
        text = (f"unit (row {self.unit[0]}, column {self.unit[1]}) of a "
                f"{self.out_size[0]}x{self.out_size[1]} map sees a {self.field.size}x"
                f"{self.field.size} box: rows {top}..{bottom}, columns {left}..{right} "
                f"(centre {self.center[0]:g}, {self.center[1]:g})")
        if any(self.spill):
            text += (f"; on the padding: {self.spill[0]} top, {self.spill[1]} left, "
                     f"{self.spill[2]} bottom, {self.spill[3]} right")
        return text


def locate_unit(specs, image_size, row, col):
    """The receptive field of unit (row, col) at the output of ``specs`` on an image (H, W).

    Raises ValueError if (row, col) is outside the layer's feature map (H_out, W_out).
    """
    specs = list(specs)
    height, width = (check_int(name, v, 1) for name, v in zip(("image height", "image width"),
                                                                image_size))
    if not specs:
        raise ValueError("specs must contain at least one layer")
    out_size = (feature_map_sizes(specs, height)[-1], feature_map_sizes(specs, width)[-1])
    for name, value, limit in (("row", row, out_size[0]), ("col", col, out_size[1])):
        check_int(name, value, 0)
        if value >= limit:
            raise ValueError(f"{name} must be in [0, {limit - 1}] for this {out_size[0]}x"
                             f"{out_size[1]} feature map, got {value}")
    field = receptive_field(specs)
    (top, bottom), (left, right) = field.span(row), field.span(col)
    spill = (max(0, -top), max(0, -left), max(0, bottom - height + 1), max(0, right - width + 1))
    return UnitField(field, out_size, (int(row), int(col)), (top, left, bottom, right),
                     receptive_field_center(specs, row, col), spill, (height, width))


# ---------------------------------------------------------------- effective receptive field
def _output_unit_gradient(model, x, unit, channel):
    """Backpropagate a one-hot dout (1 at [n, channel, row, col] for every n) to the input."""
    out = model.forward(x)
    if out.ndim != 4:
        raise ValueError(f"model must output feature maps (N, F, H_out, W_out), got shape "
                         f"{out.shape}: use only the layers before Flatten")
    row, col = unit
    for name, value, limit in (("unit row", row, out.shape[2]), ("unit column", col, out.shape[3])):
        check_int(name, value, 0)
        if value >= limit:
            raise ValueError(f"{name} must be in [0, {limit - 1}] for the {out.shape[2]}x"
                             f"{out.shape[3]} output map, got {value}")
    if channel is not None and not (0 <= check_int("channel", channel, 0) < out.shape[1]):
        raise ValueError(f"channel must be None or in [0, {out.shape[1] - 1}], got {channel}")
    dout = np.zeros_like(out)
    channels = slice(None) if channel is None else channel
    dout[:, channels, row, col] = 1
    return model.backward(dout)


def effective_receptive_field(model, input_shape, unit, channel=None, inputs=None,
                              n_samples=8, rng=None):
    """How strongly each input pixel moves one output unit: mean |d out / d x| -> (H, W).

    Parameters
    ----------
    model : Sequential or list of layers
        Maps x (N, C, H, W) to feature maps (N, F, H_out, W_out) (no Flatten/Dense).
    input_shape : (C, H, W)
        Shape of one input image.
    unit : (row, col)
        The output unit, 0 <= row < H_out, 0 <= col < W_out.
    channel : int or None
        Which of the F output maps; None backpropagates from all F maps at (row, col) at once.
    inputs : ndarray (N, C, H, W) or None
        Real images to average over; None draws ``n_samples`` standard-normal images from
        ``rng`` (a numpy Generator).
    n_samples : int >= 1
        Number of random images when ``inputs`` is None.

    Returns
    -------
    erf : ndarray (H, W), float64
        The gradient magnitude averaged over the N images and C input channels.  It is zero
        outside the theoretical receptive field.  The model runs in eval mode (so images do not
        interact through BatchNorm); its previous modes are restored.
    """
    model = model if isinstance(model, Sequential) else Sequential(model)
    shape = tuple(check_int("input_shape", v, 1) for v in input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {tuple(input_shape)}")
    if inputs is None:
        n = check_int("n_samples", n_samples, 1)
        x = make_rng(rng).standard_normal((n, *shape)).astype(np.float32)
    else:
        x = np.asarray(inputs, dtype=np.float32)
        if x.ndim != 4 or x.shape[1:] != shape:
            raise ValueError(f"inputs must have shape (N, {shape[0]}, {shape[1]}, {shape[2]}) "
                             f"to match input_shape, got {x.shape}")
    modes = [layer.training for layer in model.layers]
    model.eval()
    try:
        dx = _output_unit_gradient(model, x, tuple(unit), channel)
    finally:
        for layer, mode in zip(model.layers, modes):
            layer.training = mode
    return np.abs(dx.astype(np.float64)).mean(axis=(0, 1))


def conv_relu_stack(specs, channels=8, in_channels=1, rng=None):
    """A randomly initialised stack of Conv2D + ReLU pairs, one pair per spec.

    Parameters
    ----------
    specs : list of (kernel_size, stride, padding) or (kernel_size, stride, padding, dilation)
    channels : int >= 1, the number of filters F of every convolution
    in_channels : int >= 1, the channels C of the input images
    rng : numpy.random.Generator or None, for the (He-initialised) weights

    Returns
    -------
    list of layers, ready for :func:`effective_receptive_field` (or ``Sequential``).
    """
    specs = list(specs)
    if not specs:
        raise ValueError("specs must hold at least one (kernel_size, stride, padding) tuple")
    check_int("channels", channels, 1)
    rng = make_rng(rng)
    layers = []
    for i, spec in enumerate(specs):
        if len(spec) not in (3, 4):
            raise ValueError(f"specs[{i}] must be (kernel_size, stride, padding[, dilation]), "
                             f"got {spec!r}")
        k, s, p, d = (*spec, 1) if len(spec) == 3 else spec
        layers += [Conv2D(in_channels if i == 0 else channels, channels, kernel_size=k, stride=s,
                          padding=p, dilation=d, rng=rng), ReLU()]
    return layers


def mean_effective_receptive_field(specs, input_shape, unit, draws, channels=8, n_samples=32,
                                   rng=None):
    """The effective receptive field of a random :func:`conv_relu_stack`, averaged over
    ``draws`` independent draws of the weights (each with ``n_samples`` random images).

    One draw of random weights can have a single strong path that hides the rest; the mean over
    several draws shows what the architecture does.  ``input_shape`` = (C, H, W); ``unit`` =
    (row, col) of the last layer's output.  Returns the mean map (H, W), float64.
    """
    check_int("draws", draws, 1)
    rng = make_rng(rng)
    maps = [effective_receptive_field(conv_relu_stack(specs, channels, input_shape[0], rng),
                                      input_shape, unit, n_samples=n_samples, rng=rng)
            for _ in range(draws)]
    return np.mean(maps, axis=0)


def fraction_in_center(erf, box, fraction=0.5):
    """Share of the ERF's total gradient that falls in the central square of ``box``.

    The central square is the box shrunk about its centre to ``fraction`` of its *side*
    (rounded to whole pixels, same parity as the box), clipped to the image: with the default
    0.5, the middle 11x11 of a 21x21 box, 27% of its area (not half of it), and the middle
    9x9 of a 15x15 box, 36%.  A uniform ERF gives that share of the area, ``fraction ** 2``
    only for large boxes; a Gaussian-like one concentrated on the centre gives much more.
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    erf = np.asarray(erf, dtype=np.float64)
    total = erf.sum()
    if erf.ndim != 2 or total <= 0:
        raise ValueError(f"erf must be a non-negative (H, W) map with a positive sum, "
                         f"got shape {erf.shape} and sum {total}")
    top, left, bottom, right = box
    side = bottom - top + 1
    inner = max(1, int(round(side * fraction)))
    inner += (side - inner) % 2                    # keep it centred on whole pixels
    margin = (side - inner) // 2
    rows = slice(max(top + margin, 0), max(top + margin + inner, 0))
    cols = slice(max(left + margin, 0), max(left + margin + inner, 0))
    return float(erf[rows, cols].sum() / total)
