"""Checks for the exercises of notebook 04 (non-linearity, pooling, flattening)."""
import numpy as np

from ..functional import avgpool2d_forward, conv2d_forward, maxpool2d_forward
from ..layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from ._report import expect, passed

# Exercise 2: the course's small digit network, up to the point where it flattens.
FLATTEN_TASK = {"input": (1, 28, 28), "filters": (8, 16), "kernel_size": 3, "pool": 2,
                "classes": 10}


def _conv(x, kernel):
    return conv2d_forward(x, np.asarray(kernel, dtype=float)[None, None], None)[0]


def check_composed_kernel(k1, k2, kernel):
    """``kernel`` (KH1 + KH2 - 1, KW1 + KW2 - 1): one filter doing what filtering with ``k1``
    and then with ``k2`` does (no bias, no padding, stride 1)."""
    k1, k2, kernel = (np.asarray(k, dtype=float) for k in (k1, k2, kernel))
    size = (k1.shape[0] + k2.shape[0] - 1, k1.shape[1] + k2.shape[1] - 1)
    expect(kernel.shape == size, f"two stacked {k1.shape[0]}x{k1.shape[1]} and "
           f"{k2.shape[0]}x{k2.shape[1]} filters see a {size[0]}x{size[1]} window: "
           f"kernel must have shape {size}, got {kernel.shape}")
    x = np.random.default_rng(4).normal(size=(2, 1, 12, 12))
    two_steps = _conv(_conv(x, k1), k2)
    one_step = _conv(x, kernel)
    flipped = _conv(x, kernel[::-1, ::-1])
    expect(not np.allclose(flipped, two_steps) or np.allclose(one_step, two_steps),
           "your kernel is flipped: conv2d is a cross-correlation, so compute with "
           "conv_transpose2d(k2, k1) (which stamps k1 once for every weight of k2)")
    error = np.abs(one_step - two_steps).max()
    expect(error < 1e-9 * max(1.0, np.abs(two_steps).max()),
           f"one convolution with your kernel differs from the two steps by up to {error:.3g}")
    passed(f"one {size[0]}x{size[1]} filter reproduces the two stacked filters "
           f"(largest difference {error:.1e})")


def _flatten_stack():
    t = FLATTEN_TASK
    rng = np.random.default_rng(0)
    layers, channels = [], t["input"][0]
    for filters in t["filters"]:
        layers += [Conv2D(channels, filters, t["kernel_size"], rng=rng), ReLU(),
                   MaxPool2D(t["pool"])]
        channels = filters
    return layers + [Flatten()]


def check_flatten_size(in_features, n_params):
    """``in_features``: the length of the vector Flatten makes in :data:`FLATTEN_TASK`;
    ``n_params``: the trainable numbers of the Dense layer from it to the classes."""
    shape = FLATTEN_TASK["input"]
    sides = [shape[1]]
    for layer in _flatten_stack():
        shape = layer.output_shape(shape)
        if len(shape) == 3 and shape[1] != sides[-1]:
            sides.append(shape[1])
    want = shape[0]
    dense = Dense(want, FLATTEN_TASK["classes"], rng=np.random.default_rng(0))
    expect(in_features != FLATTEN_TASK["filters"][-1] * 6 * 6,
           "pooling rounds down: an 11x11 map pooled 2x2 with stride 2 becomes 5x5")
    expect(in_features == want, f"follow the sides {' -> '.join(map(str, sides))} and multiply "
           f"by the number of maps; got {in_features}")
    expect(n_params != want * FLATTEN_TASK["classes"], "don't forget one bias per class")
    expect(n_params == dense.num_params(), f"a Dense layer has in_features x out_features "
           f"weights plus out_features biases; got {n_params}")
    passed(f"{want} numbers go into the Dense layer, which has {dense.num_params()} parameters")


def check_relu_pool_order(max_commutes, avg_commutes):
    """Booleans: does ReLU-then-pool equal pool-then-ReLU for max pooling? for average?"""
    x = np.random.default_rng(6).normal(size=(4, 3, 8, 8))
    answers = {}
    for name, pool in (("max", maxpool2d_forward), ("average", avgpool2d_forward)):
        relu_first = pool(np.maximum(x, 0), 2)[0]
        pool_first = np.maximum(pool(x, 2)[0], 0)
        answers[name] = bool(np.allclose(relu_first, pool_first))
    for name, given in (("max", max_commutes), ("average", avg_commutes)):
        expect(isinstance(given, (bool, np.bool_)), f"answer True or False for {name} pooling")
        expect(bool(given) == answers[name], f"try it for {name} pooling on a window with "
               "mixed signs, e.g. [[-3, 1], [0, 0]]: compare pool(relu(w)) with relu(pool(w))")
    passed("max pooling and ReLU can swap places (both keep the largest value), average "
           "pooling and ReLU cannot (the negatives pull the average down first)")
