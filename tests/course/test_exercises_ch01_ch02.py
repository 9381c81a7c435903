"""Tests for the exercise checks of chapters 1 and 2: right answers pass with a PASS line,
typical wrong answers fail with a helpful "Not yet" hint."""
import numpy as np
import pytest

from cnn_core.course.exercises import ch01, ch02
from cnn_core.layers import Conv2D


# ------------------------------------------------------------------------------- chapter 1
def test_conv_params(capsys):
    ch01.check_conv_params(lambda c_in, c_out, k: c_out * (c_in * k * k + 1))
    assert capsys.readouterr().out.startswith("PASS:")
    with pytest.raises(AssertionError, match="Not yet: .*also has one bias"):
        ch01.check_conv_params(lambda c_in, c_out, k: c_out * c_in * k * k)
    with pytest.raises(AssertionError, match="Not yet"):
        ch01.check_conv_params(lambda c_in, c_out, k: c_out * (k * k + 1))   # forgot channels
    with pytest.raises(AssertionError, match="whole number"):
        ch01.check_conv_params(lambda c_in, c_out, k: "many")


def test_dense_params(capsys):
    ch01.check_dense_params(lambda n_in, n_out: n_in * n_out + n_out)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="Not yet"):
        ch01.check_dense_params(lambda n_in, n_out: n_in * n_out)


def test_same_size_layer(capsys):
    ch01.check_same_size_layer(Conv2D(in_channels=1, out_channels=16, kernel_size=5, padding=2))
    assert "(16, 28, 28)" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="how much padding"):
        ch01.check_same_size_layer(Conv2D(in_channels=1, out_channels=16, kernel_size=5))
    with pytest.raises(AssertionError, match="16 filters"):
        ch01.check_same_size_layer(Conv2D(in_channels=1, out_channels=8, kernel_size=5, padding=2))
    with pytest.raises(AssertionError, match="stride"):
        ch01.check_same_size_layer(Conv2D(in_channels=1, out_channels=16, kernel_size=5,
                                          padding=2, stride=2))
    with pytest.raises(AssertionError, match="Conv2D"):
        ch01.check_same_size_layer("conv")


# ------------------------------------------------------------------------------- chapter 2
def test_output_size(capsys):
    ch02.check_output_size(lambda i, k, s, p, d: (i + 2 * p - k - (k - 1) * (d - 1)) // s + 1)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="Dilation spreads"):
        ch02.check_output_size(lambda i, k, s, p, d: (i + 2 * p - k) // s + 1)
    with pytest.raises(AssertionError, match="floor division"):
        ch02.check_output_size(lambda i, k, s, p, d:
                               round((i + 2 * p - k - (k - 1) * (d - 1)) / s + 1))


def solution_conv2d(x, kernel, stride):
    k = len(kernel)
    n_rows = (x.shape[0] - k) // stride + 1
    n_cols = (x.shape[1] - k) // stride + 1
    out = np.zeros((n_rows, n_cols))
    for r in range(n_rows):
        for c in range(n_cols):
            out[r, c] = np.sum(x[r * stride:r * stride + k, c * stride:c * stride + k] * kernel)
    return out


def test_conv2d_loops(capsys):
    ch02.check_conv2d_loops(solution_conv2d)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="flipped kernel"):
        ch02.check_conv2d_loops(lambda x, k, s: solution_conv2d(x, k[::-1, ::-1], s))
    with pytest.raises(AssertionError, match="output shape"):
        ch02.check_conv2d_loops(lambda x, k, s: solution_conv2d(x, k, 1))


def test_output_padding(capsys):
    ch02.check_output_padding(lambda i, k, s, p: (i + 2 * p - k) % s)
    assert "8x8 -> 4x4 -> 8x8" in capsys.readouterr().out


@pytest.mark.parametrize("guess", [0, 1])
def test_output_padding_cannot_be_guessed(guess):
    """Either constant guess fails: the check covers strides 1 to 3 and many sizes."""
    with pytest.raises(AssertionError, match="Not yet"):
        ch02.check_output_padding(lambda i, k, s, p: guess)


def test_output_padding_hints():
    with pytest.raises(AssertionError, match=r"all map to .*a picks which one comes back"):
        ch02.check_output_padding(lambda i, k, s, p: (i + 2 * p - k + 1) % s)
    with pytest.raises(AssertionError, match="0 <= a < s"):
        ch02.check_output_padding(lambda i, k, s, p: (i + 2 * p - k) % s + s)
    with pytest.raises(AssertionError, match="whole number"):
        ch02.check_output_padding(lambda i, k, s, p: float((i + 2 * p - k) % s))


def test_conv_matrix(capsys):
    kernel = np.array([[1.0, 2.0], [3.0, 4.0]])
    matrix = np.zeros((4, 9))
    for r in range(2):
        for c in range(2):
            for a in range(2):
                for b in range(2):
                    matrix[r * 2 + c, (r + a) * 3 + c + b] = kernel[a, b]
    ch02.check_conv_matrix(matrix, kernel)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match=r"shape \(9, 4\)"):
        ch02.check_conv_matrix(matrix.T, kernel)
    wrong = matrix.copy()
    wrong[3] = np.roll(wrong[3], 1)
    with pytest.raises(AssertionError, match=r"row 3 of C \(output cell \(1, 1\)\)"):
        ch02.check_conv_matrix(wrong, kernel)
