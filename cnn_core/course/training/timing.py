"""Where a training step's time goes: every layer's forward and backward pass, timed.

Chapter 08 ("Where the time goes") and ``benchmarks/bench.py`` use it.  Layers are timed in
the order training runs them (:func:`cnn_core.model.run_order`: a ReLU just before a max
pooling runs after it, on the pooled map), each on the input it sees in training, and the
first layer skips its input gradient as training does.  Times are medians of several runs:
they depend on the computer and on what else it is doing, so read the proportions.

For the layers that multiply matrices (Conv2D, Dense) the floating-point operations are
counted, so their speed can be compared with :func:`matmul_gflops`, the rate numpy reaches on
one large matrix product: the ceiling that the same arithmetic could reach.
"""
import statistics
import time
from dataclasses import dataclass

import numpy as np

from cnn_core.layers import Conv2D, Dense
from cnn_core.model import Sequential, run_order
from cnn_core.validation import check_images, check_int


@dataclass(frozen=True)
class LayerTime:
    """One layer's share of a training step (seconds are medians over the repeats)."""

    index: int            # position in model.layers
    name: str             # repr of the layer
    forward: float        # seconds
    backward: float       # seconds (no input gradient for the first layer)
    flops: int | None     # forward + backward floating-point operations, Conv2D/Dense only

    @property
    def total(self):
        """Forward + backward seconds."""
        return self.forward + self.backward


def conv_flops(layer, x_shape, first=False):
    """(forward, backward) FLOPs of a Conv2D on input (N, C, H, W): 2 per multiply-add.

    Forward: 2*N*F*C*KH*KW*H_out*W_out.  Backward: the same again for dw, and once more for
    dx unless ``first`` (the first layer never needs dx).
    """
    n = x_shape[0]
    f, h_out, w_out = layer.output_shape(x_shape[1:])
    forward = 2 * n * f * layer.in_channels * layer.kernel_size ** 2 * h_out * w_out
    return forward, forward if first else 2 * forward


def layer_flops(layer, x_shape, first=False):
    """Forward + backward FLOPs of a Conv2D or Dense layer on input ``x_shape``, else None.

    ``first``: a Conv2D that runs first skips dx (as :meth:`Sequential.backward` does); a Dense
    layer always computes its three products (forward, dW, dx).
    """
    if isinstance(layer, Conv2D):
        return sum(conv_flops(layer, x_shape, first))
    if isinstance(layer, Dense):
        return 3 * 2 * x_shape[0] * layer.in_features * layer.out_features
    return None


def _median_seconds(fn, repeats):
    fn()                                            # warm-up: first-touch memory, caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_layers(model, xb, repeats=20):
    """Time every layer of ``model`` on the minibatch ``xb`` (N, C, H, W), in training mode.

    Returns a list of :class:`LayerTime` in the order training runs the layers.  The model's
    mode is restored afterwards; its weights are not changed (no optimizer step).
    Raises TypeError / ValueError for a model that is not a Sequential, bad images, or
    ``repeats`` not an integer >= 1.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a cnn_core Sequential, got {type(model).__name__}")
    xb = check_images(xb, "xb")
    repeats = check_int("repeats", repeats, 1)
    was_training = [layer.training for layer in model.layers]
    model.train()
    rows, x = [], xb
    try:
        for position, index in enumerate(run_order(model.layers)):
            layer = model.layers[index]
            first = position == 0 and isinstance(layer, Conv2D)     # skips dx, as in training
            out = layer.forward(x)
            dout = np.ones_like(out)

            def backward(layer=layer, x=x, dout=dout, first=first):
                layer.forward(x)            # backward needs its own forward's cache
                return layer.backward(dout, need_dx=False) if first else layer.backward(dout)

            forward = _median_seconds(lambda layer=layer, x=x: layer.forward(x), repeats)
            both = _median_seconds(backward, repeats)
            rows.append(LayerTime(index, repr(layer), forward, max(both - forward, 0.0),
                                  layer_flops(layer, x.shape, first)))
            x = out
    finally:
        for layer, mode in zip(model.layers, was_training):
            layer.training = mode
    return rows


def matmul_gflops(size=512, repeats=5):
    """numpy's float32 matrix-product speed in GFLOP/s (best of ``repeats``, size^3 product).

    A product this large runs near the machine's peak: the ceiling for the layers' own
    products, which are many small ones.
    """
    size, repeats = check_int("size", size, 1), check_int("repeats", repeats, 1)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size), dtype=np.float32)
    b = rng.standard_normal((size, size), dtype=np.float32)
    a @ b
    best = min(_median_seconds(lambda: a @ b, 1) for _ in range(repeats))
    return 2 * size ** 3 / best / 1e9
