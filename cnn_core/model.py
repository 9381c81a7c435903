"""Sequential: a stack of layers run one after another, with summary and save/load."""
from contextlib import contextmanager

import numpy as np

from .arithmetic import receptive_fields
from .checkpoint import read_checkpoint, write_checkpoint
from .layers import Conv2D, Layer, MaxPool2D, ReLU
from .validation import ArgumentTypeError, check_int


class Sequential:
    """Layers applied in order: ``forward`` runs them first to last, ``backward`` last to first.

    Parameters are addressed as "index.name", e.g. "0.W" for the first layer's weights.

    Raises
    ------
    TypeError
        ``layers`` is not a list (or other iterable) of cnn_core layers, e.g.
        ``Sequential(ReLU())`` instead of ``Sequential([ReLU()])``.
    ValueError
        ``layers`` is empty.
    """

    reorder = True      # run ReLU -> MaxPool2D pairs as MaxPool2D -> ReLU (see run_order)

    def __init__(self, layers):
        if isinstance(layers, Layer) or not hasattr(layers, "__iter__"):
            raise ArgumentTypeError(f"layers must be a list of layers, e.g. "
                                    f"Sequential([Conv2D(...), ReLU()]), "
                                    f"got {type(layers).__name__}")
        layers = list(layers)
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise ArgumentTypeError(f"layers[{i}] must be a cnn_core layer, "
                                        f"got {type(layer).__name__}")
        if not layers:
            raise ValueError("layers must contain at least one layer")
        self.layers = layers
        self._order = None

    def forward(self, x):
        """x (N, ...) -> output of the last layer, e.g. scores (N, classes).
        Raises ValueError / TypeError from the first layer that cannot take its input (the
        message names the layer).
        """
        self._order = run_order(self.layers) if self.reorder else range(len(self.layers))
        for i in self._order:
            x = self.layers[i].forward(x)
        return x

    __call__ = forward

    def backward(self, dout, need_dx=True):
        """Send dout (the gradient of the loss w.r.t. the output) back through every layer.

        Fills each layer's ``grads`` and returns dx, the gradient w.r.t. the input (or None when
        ``need_dx=False`` and the first layer is a convolution, which then skips that work).
        Raises ValueError if called before forward or with a dout of another shape.
        """
        order = self._order
        if order is None or len(order) != len(self.layers):
            order = range(len(self.layers))     # no forward yet: the last layer says so
        for i in reversed(order):
            layer = self.layers[i]
            if i == order[0] and not need_dx and isinstance(layer, Conv2D):
                return layer.backward(dout, need_dx=False)
            dout = layer.backward(dout)
        return dout

    def train(self):
        """Training mode for every layer (Dropout drops, BatchNorm uses batch statistics)."""
        for layer in self.layers:
            layer.train()
        return self

    def eval(self):
        """Evaluation mode for every layer."""
        for layer in self.layers:
            layer.eval()
        return self

    def named_params(self):
        """Yield (name, param, grad) for every trainable array, e.g. ("0.W", W, dW)."""
        for i, layer in enumerate(self.layers):
            for key, value in layer.params.items():
                yield f"{i}.{key}", value, layer.grads[key]

    def num_params(self):
        """Total number of trainable numbers."""
        return sum(layer.num_params() for layer in self.layers)

    @contextmanager
    def evaluating(self):
        """``with model.evaluating():`` runs a block in eval mode, then gives every layer back
        the mode it had (so evaluating in the middle of training changes nothing)."""
        was_training = [layer.training for layer in self.layers]
        self.eval()
        try:
            yield self
        finally:
            for layer, mode in zip(self.layers, was_training):
                layer.training = mode

    def scores(self, x, batch_size=100):
        """The model's output for every sample, in eval mode, ``batch_size`` samples at a time.

        x (N, C, H, W) -> scores (N, classes).  The one batched evaluation loop of the engine:
        :meth:`predict`, :func:`cnn_core.train.evaluate` and the course's probabilities use it.
        Layers get back the mode they had.  Raises ValueError for an empty x or a batch_size < 1.
        The default of 100 keeps each layer's buffers small (measured on 1,000 digits with the
        default recipe's model: 0.061 s per pass at 100, 0.080 s at 500, which also page-faults).
        """
        batch_size = check_int("batch_size", batch_size, 1)
        if len(x) == 0:
            raise ValueError(f"x must hold at least one sample, got shape {np.shape(x)}")
        with self.evaluating():
            batches = [self.forward(x[i:i + batch_size]) for i in range(0, len(x), batch_size)]
        return np.concatenate(batches)

    def predict(self, x, batch_size=100):
        """Class predictions (N,) in eval mode, computed in batches."""
        return self.scores(x, batch_size).argmax(axis=1)

    def summary(self, input_shape):
        """Per-layer output shape, parameter count and receptive field, for one sample of shape
        ``input_shape`` (C, H, W).  Computed from the layer definitions, nothing is run.

        Raises ValueError if ``input_shape`` is not three integers >= 1 (a full batch shape
        (N, C, H, W) is refused with a hint to drop N) or a layer cannot take that shape.
        """
        return Summary(self, check_sample_shape(input_shape))

    def architecture(self):
        """One line per layer (its repr, built from its ``settings()``): what a saved file must
        match to be loaded into this model."""
        return "\n".join(repr(layer) for layer in self.layers)

    def layer_settings(self):
        """[{"layer": class name, "settings": layer.settings()}, ...], one entry per layer."""
        return [{"layer": type(layer).__name__, "settings": layer.settings()}
                for layer in self.layers]

    def arrays(self):
        """{"index.name": array} of every parameter and buffer, e.g. "0.W", "1.running_mean"."""
        return {f"{i}.{key}": value for i, layer in enumerate(self.layers)
                for key, value in {**layer.params, **layer.buffers}.items()}

    def save(self, path):
        """Write every parameter and buffer to an ``.npz`` file (no pickle); returns its Path.

        ``.npz`` is added when ``path`` does not end with it (``load`` does the same).  The
        file is written next to its destination first and then renamed, so an interrupted save
        never leaves half a file.  Raises ValueError if ``path`` is a directory or its folder
        does not exist.
        """
        return write_checkpoint(path, self.layer_settings(), self.architecture(), self.arrays())

    def load(self, path):
        """Load parameters saved by :meth:`save` into this (identically built) model.

        Atomic: the whole file is read and checked against the model (layer types and
        settings, every array name, shape and dtype kind, no object arrays) before the first
        weight is assigned, so on any error the model is left exactly as it was.
        Raises ValueError (a FileNotFoundError too when the file is missing).
        """
        stored = read_checkpoint(path, self.layer_settings(), self.architecture(), self.arrays())
        for name, target in self.arrays().items():
            target[...] = stored[name]
        return self

    def __repr__(self):
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential([\n{inner}\n])"


def run_order(layers):
    """The order in which :meth:`Sequential.forward` runs ``layers``: list order, except that a
    ReLU directly followed by a MaxPool2D runs after it (indices, e.g. [0, 2, 1, 3, 5, 4, ...]).

    Max pooling and ReLU commute exactly: max(relu(a), relu(b)) == relu(max(a, b)), because
    ReLU never puts a smaller number above a larger one.  Pooling first lets ReLU work on the
    pooled map, kernel_size**2 times smaller (4x for 2x2 windows).  The gradients are the same
    too: a window whose largest value is <= 0 sends no gradient either way (ReLU blocks it), and
    in any other window the same cell wins, with the same first-in-reading-order tie rule.
    The model's output and every gradient are bitwise equal to the plain list order (tested
    with ties and zeros in tests/test_model.py; ``Sequential.reorder = False`` runs it).

    Measured gain (``make bench``; small_cnn, batch 64, float32, one BLAS thread): ReLU's
    forward + backward fell from 0.35 to 0.09 ms per batch, and the epoch by 4-8% (interleaved
    before/after runs, loaded machine).
    """
    order, i = [], 0
    while i < len(layers):
        if (i + 1 < len(layers) and type(layers[i]) is ReLU
                and type(layers[i + 1]) is MaxPool2D):
            order += [i + 1, i]
            i += 2
        else:
            order.append(i)
            i += 1
    return order


def check_sample_shape(input_shape):
    """``input_shape`` of one sample as a tuple of ints >= 1: (C, H, W) or (features,).
    Raises TypeError for a non-tuple, ValueError for a batch shape (N, C, H, W) or a size < 1.
    """
    if not isinstance(input_shape, (tuple, list)):
        raise ArgumentTypeError(f"input_shape must be a tuple such as (1, 28, 28), "
                                f"got {type(input_shape).__name__}")
    if len(input_shape) == 4:
        raise ValueError(f"input_shape must be the shape of one sample (C, H, W), got the "
                         f"batch shape {tuple(input_shape)}: drop N, i.e. x.shape[1:]")
    return tuple(check_int(f"input_shape[{i}]", v, 1) for i, v in enumerate(input_shape))


class Summary:
    """The table built by :meth:`Sequential.summary`; ``rows`` holds the numbers, str() the table.

    Each row: (layer repr, output shape, parameter count, receptive field or None).  Receptive
    fields (size, effective stride, effective padding) are given while the data is still an image;
    after Flatten every unit sees the whole input.
    """

    def __init__(self, model, input_shape):
        self.input_shape = input_shape
        self.rows = []
        shape, spatial = input_shape, []
        for layer in model.layers:
            shape = layer.output_shape(shape)
            rf = None
            if len(shape) == 3:
                spatial.append(layer)
                rf = receptive_fields(spatial)[-1]
            self.rows.append((repr(layer), shape, layer.num_params(), rf))
        self.total_params = sum(row[2] for row in self.rows)
        self.output_shape = shape

    def __str__(self):
        name_w = max(len("layer"), *(len(row[0]) for row in self.rows)) + 2
        shape_w = max(len("output shape"), *(len(str(row[1])) for row in self.rows)) + 2
        header = f"{'layer':<{name_w}}{'output shape':>{shape_w}}{'params':>13}   receptive field"
        lines = [f"input {self.input_shape}", header, "-" * (len(header) + 14)]
        for name, shape, count, rf in self.rows:
            rf_text = (f"{rf.size}x{rf.size} (stride {rf.stride}, pad {rf.padding})"
                       if rf else "whole input")
            lines.append(f"{name:<{name_w}}{str(shape):>{shape_w}}{count:>13,}   {rf_text}")
        lines.append("-" * (len(header) + 14))
        lines.append(f"total parameters: {self.total_params:,}")
        return "\n".join(lines)

    __repr__ = __str__
