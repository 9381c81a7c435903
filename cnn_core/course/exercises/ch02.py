"""Checks for the exercises of chapter 2, "Convolution arithmetic".

Each check compares a student's answer with the engine and prints a PASS line, or raises
AssertionError with a hint.  Random test inputs come from a Generator seeded here, so a check
gives the same verdict every run.
"""
import itertools

import numpy as np

from cnn_core.arithmetic import conv_output_size, effective_kernel_size
from cnn_core.course.exercises._report import expect, passed
from cnn_core.functional import conv2d_forward, conv_transpose2d


def check_output_size(output_size):
    """``output_size(i, k, s, p, d)`` -> the output size of a dilated convolution, compared
    with :func:`cnn_core.arithmetic.conv_output_size` on every fitting combination with
    i <= 12, k <= 5, s <= 3, p <= 3, d <= 3."""
    count = 0
    for i, k, s, p, d in itertools.product(range(1, 13), range(1, 6), range(1, 4), range(4),
                                           range(1, 4)):
        if effective_kernel_size(k, d) > i + 2 * p:
            continue
        want, got = conv_output_size(i, k, s, p, d), output_size(i, k, s, p, d)
        hint = f"output_size(i={i}, k={k}, s={s}, p={p}, d={d}) = {got!r}, expected {want}. "
        if d > 1 and got == conv_output_size(i, k, s, p):
            hint += "Dilation spreads the kernel: use k + (k - 1)(d - 1) in place of k."
        elif s > 1 and got != want:
            hint += "Use floor division // : a window that does not fit is not counted."
        expect(got == want, hint)
        count += 1
    passed(f"output_size agrees with the engine on {count} combinations")


def check_conv2d_loops(conv2d_single):
    """``conv2d_single(x, kernel, stride)`` for 2-D arrays (no padding), compared with
    :func:`cnn_core.functional.conv2d_forward` on random inputs."""
    rng = np.random.default_rng(2)
    for h, w, k, s in ((5, 5, 3, 1), (6, 7, 3, 2), (4, 4, 1, 1), (7, 5, 2, 3), (5, 5, 5, 1)):
        x, kernel = rng.standard_normal((h, w)), rng.standard_normal((k, k))
        want = conv2d_forward(x[None, None], kernel[None, None], None, stride=s)[0][0, 0]
        got = np.asarray(conv2d_single(x, kernel, s))
        expect(got.shape == want.shape,
               f"x {x.shape}, kernel {kernel.shape}, stride {s}: output shape {got.shape}, "
               f"expected {want.shape} (o = (i - k) // s + 1 per axis)")
        flipped = conv2d_forward(x[None, None], kernel[None, None, ::-1, ::-1].copy(), None,
                                 stride=s)[0][0, 0]
        expect(k == 1 or not np.allclose(got, flipped),
               "your result is the convolution with a flipped kernel; deep learning's "
               "'convolution' slides the kernel as it is (cross-correlation)")
        expect(np.allclose(got, want),
               f"x {x.shape}, kernel {kernel.shape}, stride {s}: values differ from the "
               f"engine; output[r, c] = sum(x[r*s : r*s + k, c*s : c*s + k] * kernel)")
    passed("conv2d_single matches conv2d_forward on 5 random cases")


def check_output_padding(output_padding):
    """The output padding that brings a 3x3, stride-2, padding-1 convolution's output of an
    8x8 input back to 8x8 with a transposed convolution; checked with the engine."""
    expect(isinstance(output_padding, (int, np.integer)) and not isinstance(output_padding, bool),
           f"output_padding must be an int, got {output_padding!r}")
    expect(0 <= output_padding < 2,
           f"output padding must satisfy 0 <= a < stride = 2, got {output_padding}")
    x = np.ones((1, 1, 8, 8))
    w = np.ones((1, 1, 3, 3))
    y, _ = conv2d_forward(x, w, None, stride=2, padding=1)
    back = conv_transpose2d(y, w, None, stride=2, padding=1, output_padding=int(output_padding))
    expect(back.shape[2:] == (8, 8),
           f"with output_padding={output_padding} the transposed convolution returns "
           f"{back.shape[2]}x{back.shape[3]}, not 8x8; the direct convolution left "
           f"(i + 2p - k) mod s rows unused at the far edge")
    passed(f"8x8 -> {y.shape[2]}x{y.shape[3]} -> 8x8 with output_padding={output_padding}")


def check_conv_matrix(matrix, kernel):
    """``matrix`` (4, 9): C of the convolution of a 3x3 input with the 2x2 ``kernel``
    (stride 1, no padding), such that ``matrix @ x.ravel()`` equals the engine's output."""
    matrix, kernel = np.asarray(matrix, dtype=float), np.asarray(kernel, dtype=float)
    expect(matrix.shape == (4, 9),
           f"C has shape {matrix.shape}, expected (4, 9): one row per output cell (2x2 = 4), "
           f"one column per input pixel (3x3 = 9)")
    rng = np.random.default_rng(5)
    for _ in range(3):
        x = rng.standard_normal((3, 3))
        want = conv2d_forward(x[None, None], kernel[None, None], None)[0].ravel()
        got = matrix @ x.ravel()
        bad = np.flatnonzero(~np.isclose(got, want))
        expect(bad.size == 0,
               f"row {bad[0] if bad.size else 0} of C (output cell "
               f"{divmod(int(bad[0]), 2) if bad.size else (0, 0)}) gives the wrong value: it "
               f"must hold the kernel weights in the columns of the 4 input pixels that cell reads")
    passed("C @ x.ravel() equals the convolution for random inputs")
