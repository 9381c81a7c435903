"""Checks for the exercises of notebook 04 (non-linearity, pooling, flattening)."""
import numpy as np

from cnn_core.course.exercises._answers import number_array, truth_value, whole_number
from cnn_core.course.exercises._report import expect, passed
from cnn_core.functional import avgpool2d_forward, conv2d_forward, maxpool2d_forward
from cnn_core.zoo import small_cnn

# Exercise 2: the course's digit network, cnn_core.zoo.small_cnn, on (1, 28, 28) digits.
FLATTEN_INPUT = (1, 28, 28)


def _conv(x, kernel):
    return conv2d_forward(x, np.asarray(kernel, dtype=float)[None, None], None)[0]


def check_composed_kernel(k1, k2, kernel):
    """``kernel`` (KH1 + KH2 - 1, KW1 + KW2 - 1): one filter doing what filtering with ``k1``
    and then with ``k2`` does (no bias, no padding, stride 1)."""
    k1, k2 = (np.asarray(k, dtype=float) for k in (k1, k2))
    kernel = number_array(kernel, "K_hand").astype(float)
    size = (k1.shape[0] + k2.shape[0] - 1, k1.shape[1] + k2.shape[1] - 1)
    expect(kernel.shape == size, f"two stacked {k1.shape[0]}x{k1.shape[1]} and "
           f"{k2.shape[0]}x{k2.shape[1]} filters see a {size[0]}x{size[1]} window: "
           f"kernel must have shape {size}, got {kernel.shape}")
    x = np.random.default_rng(4).normal(size=(2, 1, 12, 12))
    two_steps = _conv(_conv(x, k1), k2)
    one_step = _conv(x, kernel)
    flipped = _conv(x, kernel[::-1, ::-1])
    expect(not np.allclose(flipped, two_steps) or np.allclose(one_step, two_steps),
           "your kernel is flipped: conv2d is a cross-correlation, so stamp k1 at offset "
           "(a, b) with weight k2[a, b] as it is, without rotating either kernel")
    error = np.abs(one_step - two_steps).max()
    expect(error < 1e-9 * max(1.0, np.abs(two_steps).max()),
           f"one convolution with your kernel differs from the two steps by up to {error:.3g}")
    passed(f"one {size[0]}x{size[1]} filter reproduces the two stacked filters (up to "
           "rounding errors)")


def check_flatten_size(in_features, n_params):
    """``in_features``: the length of the vector Flatten makes inside
    :func:`cnn_core.zoo.small_cnn` for one digit; ``n_params``: the trainable numbers of the
    Dense layer that follows it."""
    in_features = whole_number(in_features, "in_features")
    n_params = whole_number(n_params, "n_params")
    model = small_cnn(rng=np.random.default_rng(0))
    shape, sides = FLATTEN_INPUT, [FLATTEN_INPUT[1]]
    for layer in model.layers[:-1]:
        shape = layer.output_shape(shape)
        if len(shape) == 3 and shape[1] != sides[-1]:
            sides.append(shape[1])
    want, dense = shape[0], model.layers[-1]
    channels = model.layers[3].out_channels
    expect(in_features != channels * 5 * 5, "small_cnn pads each 3x3 convolution by 1, so "
           "the convolutions keep the size; only the pools halve it")
    expect(in_features != model.layers[0].out_channels * sides[-1] ** 2,
           f"the last convolution has {channels} filters: multiply by {channels}")
    expect(in_features == want, f"follow the sides {' -> '.join(map(str, sides))} and multiply "
           f"by the number of maps; got {in_features}")
    expect(n_params != want * dense.out_features, "don't forget one bias per class")
    expect(n_params == dense.num_params(), f"a Dense layer has in_features x out_features "
           f"weights plus out_features biases; got {n_params}")
    passed(f"{want} numbers go into the Dense layer, which has {dense.num_params()} parameters")


def check_relu_pool_order(max_commutes, avg_commutes, window):
    """Booleans: does ReLU-then-pool equal pool-then-ReLU for max pooling? for average? And
    ``window``, a small 2-D array on which the order matters for the pooling that does not
    commute (the evidence, so that a guess of two booleans cannot pass)."""
    x = np.random.default_rng(6).normal(size=(4, 3, 8, 8))
    answers = {}
    for name, pool in (("max", maxpool2d_forward), ("average", avgpool2d_forward)):
        relu_first = pool(np.maximum(x, 0), 2)[0]
        pool_first = np.maximum(pool(x, 2)[0], 0)
        answers[name] = bool(np.allclose(relu_first, pool_first))
    for name, given in (("max", max_commutes), ("average", avg_commutes)):
        given = truth_value(given, f"{name[:3]}_commutes")
        expect(given == answers[name], f"try it for {name} pooling on a window with "
               "mixed signs: compare pool(relu(w)) with relu(pool(w))")
    window = number_array(window, "window").astype(float)
    expect(window.ndim == 2 and 1 <= min(window.shape) and window.size <= 64,
           f"`window` should be one small 2-D window (at most 8x8), got shape {window.shape}")
    relu_then_avg = np.maximum(window, 0).mean()
    avg_then_relu = max(window.mean(), 0.0)
    expect(not np.isclose(relu_then_avg, avg_then_relu),
           f"on your window both orders give {relu_then_avg:g} for average pooling: find one "
           "where they differ (it needs negative and positive values)")
    passed(f"max pooling and ReLU can swap places (both keep the largest value), average "
           f"pooling and ReLU cannot: on your window avg(relu(w)) = {relu_then_avg:g} but "
           f"relu(avg(w)) = {avg_then_relu:g} (the negatives pull the average down first)")
