"""Checks for the exercises of chapter 7 (backpropagation).

Each check prints "PASS: ..." or raises AssertionError("Not yet: <hint>").  Function-valued
answers are tested on several random cases against the engine's own backward pass.
"""
import math

import numpy as np

from cnn_core.course.backprop.learning_rate import (
    QuadraticSurface,
    gradient_descent_path,
)
from cnn_core.course.exercises._answers import (
    call,
    number_array,
    real_number,
    whole_number,
)
from cnn_core.course.exercises._report import expect, passed
from cnn_core.data import iterate_minibatches
from cnn_core.functional import (
    conv2d_backward,
    conv2d_forward,
    maxpool2d_backward,
    maxpool2d_forward,
)


def check_update_count(answer, n_samples=4000, batch_size=64, epochs=3):
    """Exercise 1: how many weight updates does training make for ``epochs`` epochs?

    The reference is counted, not computed: the batches of ``iterate_minibatches`` are walked.
    """
    rng = np.random.default_rng(0)
    labels = np.zeros(n_samples)
    per_epoch = sum(1 for _ in iterate_minibatches(labels, labels, batch_size, rng=rng))
    answer = whole_number(answer, "updates")
    expect(answer != per_epoch, f"{answer} is the number of steps in ONE epoch; there are {epochs}")
    expect(n_samples % batch_size == 0 or answer != epochs * (n_samples // batch_size),
           "the last, smaller batch of each epoch is a step too (round up, not down)")
    expect(answer == epochs * per_epoch,
           f"one step per minibatch: {n_samples} samples in batches of {batch_size}, "
           f"{epochs} times over")
    passed(f"{epochs} epochs x {per_epoch} minibatches = {answer} weight updates")


def _random_pool_case(rng):
    k = int(rng.integers(2, 4))
    s = int(rng.integers(1, k + 1))
    h, w = (int(v) for v in rng.integers(k, k + 5, size=2))
    x = rng.permutation(h * w).reshape(h, w).astype(np.float64)      # distinct: no ties
    return x, k, s


def check_maxpool_backward(maxpool_backward, trials=20):
    """Exercise 2: ``maxpool_backward(x, dout, kernel_size, stride) -> dx`` for one 2-D map.

    x (H, W), dout (H_out, W_out), dx (H, W).  Compared with the engine on random cases,
    including overlapping windows (stride < kernel_size).
    """
    rng = np.random.default_rng(7)
    for _ in range(trials):
        x, k, s = _random_pool_case(rng)
        out, cache = maxpool2d_forward(x[None, None], k, s)
        dout = rng.integers(1, 10, size=out.shape[2:]).astype(np.float64)
        expected = maxpool2d_backward(dout[None, None], cache)[0, 0]
        got = number_array(call(maxpool_backward, "maxpool_backward", x.copy(), dout.copy(), k, s),
                           "maxpool_backward(x, dout, kernel_size, stride)").astype(np.float64)
        expect(got.shape == x.shape, f"dx must have the shape of x {x.shape}, got {got.shape}")
        where = f"x of shape {x.shape}, kernel_size={k}, stride={s}"
        expect(math.isclose(got.sum(), dout.sum()),
               f"({where}) every output's gradient must land somewhere: dx should sum to "
               f"{dout.sum():g}, got {got.sum():g}")
        expect(np.allclose(got, expected),
               f"({where}) dx differs from the engine's. Send each dout value to the position of "
               f"the maximum inside its window, and ADD (+=) when windows overlap")
    passed(f"max-pool backward matches the engine on {trials} random cases, overlapping windows "
           "included")


def check_conv_input_gradient(conv_input_gradient, trials=20):
    """Exercise 3: ``conv_input_gradient(dout, w) -> dx`` for one channel, stride 1, no padding,
    computed as a full convolution of ``dout`` with the flipped kernel.

    dout (H_out, W_out), w (KH, KW), dx (H_out + KH - 1, W_out + KW - 1).
    """
    rng = np.random.default_rng(11)
    for _ in range(trials):
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        h, w = int(rng.integers(kh, kh + 5)), int(rng.integers(kw, kw + 5))
        x = rng.standard_normal((1, 1, h, w))
        kernel = rng.standard_normal((1, 1, kh, kw))
        out, cache = conv2d_forward(x, kernel, None)
        dout = rng.standard_normal(out.shape)
        expected = conv2d_backward(dout, cache)[0][0, 0]
        got = number_array(call(conv_input_gradient, "conv_input_gradient", dout[0, 0].copy(),
                                kernel[0, 0].copy()), "conv_input_gradient(dout, w)")
        expect(got.shape == (h, w), f"for dout {dout.shape[2:]} and a {kh}x{kw} kernel, dx must "
               f"have shape {(h, w)}: pad dout by KH-1 rows and KW-1 columns on each side")
        unflipped = np.allclose(got, _correlate_unflipped(dout[0, 0], kernel[0, 0]))
        expect(np.allclose(got, expected) or not unflipped,
               "this is the correlation with the UNflipped kernel; rotate w by 180 degrees "
               "(w[::-1, ::-1]) first")
        expect(np.allclose(got, expected), f"dx differs from conv2d_backward's for a {kh}x{kw} "
               "kernel: zero-pad dout, then slide the flipped kernel over it")
    passed(f"full convolution with the flipped kernel equals conv2d_backward's dx on {trials} "
           "random cases")


def _correlate_unflipped(dout, w):
    """The common mistake: a full correlation with w as it is (not rotated)."""
    kh, kw = w.shape
    padded = np.pad(dout, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    out, _ = conv2d_forward(padded[None, None], w[None, None], None)
    return out[0, 0]


def check_critical_learning_rate(lr, surface=None):
    """Exercise 4: the largest learning rate for which gradient descent on ``surface`` (default
    :class:`QuadraticSurface`) does not diverge, computed from its Hessian."""
    surface = QuadraticSurface() if surface is None else surface
    lr = real_number(lr, "critical_lr")
    expect(lr > 0, f"give a positive number, got {lr!r}")
    eigenvalues = np.linalg.eigvalsh(surface.hessian)
    expect(not math.isclose(lr, 2 / eigenvalues.min(), rel_tol=1e-3),
           "that uses the SMALLEST curvature; the steep direction overshoots first")
    expect(not math.isclose(lr, 1 / eigenvalues.max(), rel_tol=1e-3),
           "1 / curvature lands exactly on the minimum in one step along that direction; how "
           "far can you go before the step overshoots by more than it gains?")
    expect(math.isclose(lr, 2 / eigenvalues.max(), rel_tol=1e-3),
           "along a direction of curvature c one step multiplies the distance to the minimum by "
           "(1 - lr * c); find the lr where that factor reaches -1 for the steepest direction "
           "(np.linalg.eigvalsh(surface.hessian))")
    below = gradient_descent_path(0.95 * lr, steps=200, surface=surface)
    above = gradient_descent_path(1.05 * lr, steps=200, surface=surface)
    expect(not below.diverged and above.diverged, "the run just below your value should "
           "converge and the one just above diverge")
    passed(f"critical learning rate {lr:.4g} = 2 / {eigenvalues.max():.4g}: 5% below converges, "
           "5% above diverges")
