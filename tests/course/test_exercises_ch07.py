"""Tests for cnn_core.course.exercises.ch07: each check passes a right answer and catches wrong
ones."""
import numpy as np
import pytest

from cnn_core.course.backprop.learning_rate import QuadraticSurface
from cnn_core.course.exercises.ch07 import (
    check_conv_input_gradient,
    check_critical_learning_rate,
    check_maxpool_backward,
    check_update_count,
)


def maxpool_backward(x, dout, k, s, accumulate=True):
    dx = np.zeros_like(x)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            window = x[i * s:i * s + k, j * s:j * s + k]
            a, b = np.unravel_index(np.argmax(window), window.shape)
            if accumulate:
                dx[i * s + a, j * s + b] += dout[i, j]
            else:
                dx[i * s + a, j * s + b] = dout[i, j]
    return dx


def conv_input_gradient(dout, w, flip=True):
    kh, kw = w.shape
    padded = np.pad(dout, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    kernel = w[::-1, ::-1] if flip else w
    h, width = dout.shape[0] + kh - 1, dout.shape[1] + kw - 1
    return np.array([[np.sum(padded[r:r + kh, c:c + kw] * kernel) for c in range(width)]
                     for r in range(h)])


def test_update_count(capsys):
    check_update_count(189)
    assert capsys.readouterr().out.startswith("PASS: 3 epochs x 63 minibatches = 189")
    with pytest.raises(AssertionError, match="ONE epoch"):
        check_update_count(63)
    with pytest.raises(AssertionError, match="round up"):
        check_update_count(186)
    with pytest.raises(AssertionError, match="whole number"):
        check_update_count(189.0)
    check_update_count(4, n_samples=10, batch_size=5, epochs=2)


def test_maxpool_backward(capsys):
    check_maxpool_backward(maxpool_backward)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="dx should sum to"):
        check_maxpool_backward(lambda x, d, k, s: maxpool_backward(x, d, k, s, accumulate=False))
    with pytest.raises(AssertionError, match="shape of x"):
        check_maxpool_backward(lambda x, d, k, s: d)


def test_conv_input_gradient(capsys):
    check_conv_input_gradient(conv_input_gradient)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="UNflipped"):
        check_conv_input_gradient(lambda d, w: conv_input_gradient(d, w, flip=False))
    with pytest.raises(AssertionError, match="must have shape"):
        check_conv_input_gradient(lambda d, w: np.zeros((0, 0)))
    with pytest.raises(AssertionError, match="differs"):
        check_conv_input_gradient(lambda d, w: 2 * conv_input_gradient(d, w))


def test_critical_learning_rate(capsys):
    surface = QuadraticSurface()
    check_critical_learning_rate(0.8)
    assert "PASS: critical learning rate 0.8" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="SMALLEST"):
        check_critical_learning_rate(4.0)
    with pytest.raises(AssertionError, match="1 / curvature"):
        check_critical_learning_rate(0.4)
    with pytest.raises(AssertionError, match="steepest direction"):
        check_critical_learning_rate(0.5)
    with pytest.raises(AssertionError, match="positive number"):
        check_critical_learning_rate(-1)
    other = QuadraticSurface(curvatures=(1.0, 8.0))
    check_critical_learning_rate(0.25, surface=other)
    assert surface.critical_lr == 0.8
