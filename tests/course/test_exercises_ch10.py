"""Tests for cnn_core.course.exercises.ch10: right answers pass, wrong ones get a hint."""
import numpy as np
import pytest

from cnn_core.course.draw.bundled_model import load_bundled_model
from cnn_core.course.draw.preprocess import preprocess, rasterize_strokes
from cnn_core.course.exercises import ch10


@pytest.fixture(scope="module")
def model():
    return load_bundled_model()


def test_centering(capsys):
    steps = preprocess(rasterize_strokes([[(60, 50), (220, 50), (120, 250)]], 280, 280, 20))
    ch10.check_centering(steps.shift, steps.scaled)
    assert "PASS" in capsys.readouterr().out
    top, left = steps.shift
    for wrong in [(top + 1, left), (4, 4), "centre", ...]:
        with pytest.raises(AssertionError, match="Not yet"):
            ch10.check_centering(wrong, steps.scaled)


def test_box_by_hand(model, capsys):
    ch10.check_box_by_hand((9, 5, 18, 14), model, 5, 3, 2)      # pool2: 10x10, jump 4, pad 3
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="10x10"):
        ch10.check_box_by_hand((9, 5, 16, 12), model, 5, 3, 2)
    with pytest.raises(AssertionError, match="wrong place"):
        ch10.check_box_by_hand((12, 8, 21, 17), model, 5, 3, 2)


def test_conv1_by_hand(model, capsys):
    digit = np.zeros((28, 28))
    digit[5:20, 12:15] = 1.0
    conv = model.layers[0]
    w, b = conv.params["W"][2, 0].astype(np.float64), float(conv.params["b"][2])
    value = float((digit[9:12, 10:13] * w).sum() + b)
    ch10.check_conv1_by_hand(value, model, digit, 2, 10, 11)
    assert "PASS" in capsys.readouterr().out
    for wrong in [value + 0.01, value - b + 0.5, None, ...]:
        with pytest.raises(AssertionError, match="Not yet"):
            ch10.check_conv1_by_hand(wrong, model, digit, 2, 10, 11)
