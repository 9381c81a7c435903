"""Checks for the exercises of chapter 2, "Convolution arithmetic".

Each check compares a student's answer with the engine and prints a PASS line, or raises
AssertionError with a hint.  Random test inputs come from a Generator seeded here, so a check
gives the same verdict every run.
"""
import itertools

import numpy as np

from cnn_core.arithmetic import conv_output_size, effective_kernel_size
from cnn_core.course.exercises._answers import call, number_array, whole_number
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
        want = conv_output_size(i, k, s, p, d)
        got = whole_number(call(output_size, "output_size", i, k, s, p, d),
                           f"output_size({i}, {k}, {s}, {p}, {d})")
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
        got = number_array(call(conv2d_single, "conv2d_single", x.copy(), kernel.copy(), s),
                           f"conv2d_single(x{x.shape}, kernel{kernel.shape}, {s})")
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
    """``output_padding(i, k, s, p)`` -> the output padding ``a`` with which the transposed
    convolution brings the output of the convolution ``(i, k, s, p)`` back to size ``i``;
    checked with the engine's transposed convolution on every fitting combination with
    i <= 12, k <= 5, s <= 3, p <= 2 (so a guess cannot pass)."""
    count = 0
    for i, k, s, p in itertools.product(range(1, 13), range(1, 6), range(1, 4), range(3)):
        if k > i + 2 * p or p >= k:
            continue
        o = conv_output_size(i, k, s, p)
        got = whole_number(call(output_padding, "output_padding", i, k, s, p),
                           f"output_padding({i}, {k}, {s}, {p})")
        expect(0 <= got < s, f"output_padding(i={i}, k={k}, s={s}, p={p}) = {got}: the output "
               f"padding must satisfy 0 <= a < s = {s}")
        back = s * (o - 1) + got + k - 2 * p                 # o' of the transposed conv
        twin = [j for j in range(max(1, i - s + 1), i + s) if j != i
                and k <= j + 2 * p and conv_output_size(j, k, s, p) == o]
        expect(back == i, f"output_padding(i={i}, k={k}, s={s}, p={p}) = {got}: the "
               f"convolution maps {i} to {o}, and the transposed convolution with a = {got} "
               f"returns {back}, not {i}. "
               + (f"Input sizes {sorted(twin + [i])} all map to {o}; a picks which one comes "
                  f"back: a = (i + 2p - k) mod s" if twin else
                  "Use o' = s(o - 1) + a + k - 2p and solve for a"))
        count += 1
    y, _ = conv2d_forward(np.ones((1, 1, 8, 8)), np.ones((1, 1, 3, 3)), None, stride=2, padding=1)
    a = output_padding(8, 3, 2, 1)
    back = conv_transpose2d(y, np.ones((1, 1, 3, 3)), None, stride=2, padding=1, output_padding=a)
    expect(back.shape[2:] == (8, 8), f"8x8 -> 4x4 -> {back.shape[2:]} with output_padding={a}")
    passed(f"output_padding agrees with the engine on {count} combinations; 8x8 -> 4x4 -> 8x8 "
           f"with a = {a} (7x7 also gives 4x4: a = 0 returns 7x7)")


def check_conv_matrix(matrix, kernel):
    """``matrix`` (4, 9): C of the convolution of a 3x3 input with the 2x2 ``kernel``
    (stride 1, no padding), such that ``matrix @ x.ravel()`` equals the engine's output."""
    matrix = number_array(matrix, "C_small").astype(float)
    kernel = np.asarray(kernel, dtype=float)
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
