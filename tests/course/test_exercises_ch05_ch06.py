"""Tests for the exercise checks of notebooks 05 and 06: right answers pass, wrong ones fail
with a hint."""
import math

import numpy as np
import pytest

from cnn_core.course.exercises import ch05, ch06
from cnn_core.course.losses.comparison import mse_on_probabilities_with_gradient
from cnn_core.data import make_shapes
from cnn_core.losses import SoftmaxCrossEntropy, softmax
from cnn_core.train import evaluate
from cnn_core.zoo import small_cnn


def good_receptive_field(specs):
    size, jump, padding = 1, 1, 0
    for spec in specs:
        k, s, p, d = spec if len(spec) == 4 else (*spec, 1)
        size += d * (k - 1) * jump
        padding += p * jump
        jump *= s
    return size, jump, padding


def test_ch05_receptive_field_function(capsys):
    ch05.check_receptive_field_function(good_receptive_field)
    assert capsys.readouterr().out.startswith("PASS")


@pytest.mark.parametrize("wrong, word", [
    (lambda specs: good_receptive_field([s[:3] for s in specs]), "k_eff"),      # ignores dilation
    (lambda specs: (*good_receptive_field(specs)[:2], 0), "padding"),
    (lambda specs: good_receptive_field(specs)[0], "tuple"),
])
def test_ch05_receptive_field_function_rejects(wrong, word):
    with pytest.raises(AssertionError, match=word):
        ch05.check_receptive_field_function(wrong)


def test_ch05_hole_free_footprint():
    size, footprint = ch05.hole_free_footprint((1, 2, 4))
    assert size == 15 and footprint.all()
    size, footprint = ch05.hole_free_footprint((1, 5, 5))
    # reachable offsets per axis: {-10, -5, 0, 5, 10} + {-1, 0, 1}: 15 of the 23, so -8 is a hole
    assert size == 23 and footprint.sum() == 15 * 15 and not footprint[11, 11 - 8]


@pytest.mark.parametrize("answer", [(1, 3, 9), (9, 1, 3)])
def test_ch05_dilations_pass(answer, capsys):
    ch05.check_dilations(answer)
    assert "27x27" in capsys.readouterr().out


@pytest.mark.parametrize("answer, word", [((1, 3, 10), "holes"), ((1, 2, 4), "only 15x15"),
                                          ((1, 3), "3 whole numbers"), ((1, 0, 3), "three")])
def test_ch05_dilations_fail(answer, word):
    with pytest.raises(AssertionError, match=word):
        ch05.check_dilations(answer)


def test_ch05_inside_mask(capsys):
    mask = np.zeros((7, 7), dtype=bool)
    mask[1:6, 1:6] = True
    ch05.check_inside_mask(mask)
    assert "25 of the 49" in capsys.readouterr().out
    mask[0, 0] = True
    with pytest.raises(AssertionError, match="1 unit"):
        ch05.check_inside_mask(mask)
    with pytest.raises(AssertionError, match="shape"):
        ch05.check_inside_mask(np.ones((6, 6)))


def test_ch06_stable_softmax():
    ch06.check_stable_softmax(softmax)

    def naive(z):
        return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)

    with pytest.raises(AssertionError, match="nan or inf"):
        ch06.check_stable_softmax(naive)
    with pytest.raises(AssertionError, match="sum to 1"):
        ch06.check_stable_softmax(lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum())


def test_ch06_flat_index():
    ch06.check_flat_index(lambda c, r, q, shape: c * shape[1] * shape[2] + r * shape[2] + q)
    with pytest.raises(AssertionError, match="channel by channel"):     # row-major over H, W, C
        ch06.check_flat_index(lambda c, r, q, shape: (r * shape[2] + q) * shape[0] + c)


def test_ch06_mse_gradient():
    ch06.check_mse_gradient(lambda z, y: mse_on_probabilities_with_gradient(z, y)[1])
    with pytest.raises(AssertionError, match="relative error"):        # forgot softmax
        ch06.check_mse_gradient(lambda z, y: (softmax(z) - np.eye(10)[y]) / len(z))


@pytest.fixture(scope="module")
def fresh_shapes():
    x, y, names = make_shapes(8, rng=np.random.default_rng(0))
    model = small_cnn(num_classes=len(names), rng=np.random.default_rng(1))
    loss, _ = evaluate(model, SoftmaxCrossEntropy(), x, y)
    return model, x, y, loss


def test_ch06_fresh_loss(fresh_shapes, capsys):
    model, x, y, loss = fresh_shapes
    ch06.check_fresh_loss(5, math.log(5), loss, model, x, y)
    assert "PASS" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="ln"):
        ch06.check_fresh_loss(5, math.log(10), loss, model, x, y)


def test_ch06_fresh_loss_refuses_a_typed_in_measurement(fresh_shapes):
    """`measured = predicted` used to pass: the check now measures the model itself."""
    model, x, y, loss = fresh_shapes
    assert abs(loss - math.log(5)) > 1e-6
    with pytest.raises(AssertionError, match="don't type it in"):
        ch06.check_fresh_loss(5, math.log(5), math.log(5), model, x, y)


def test_ch06_fresh_loss_wants_the_right_number_of_classes(fresh_shapes):
    _, x, y, _ = fresh_shapes
    ten = small_cnn(rng=np.random.default_rng(1))
    loss, _ = evaluate(ten, SoftmaxCrossEntropy(), x, y)
    with pytest.raises(AssertionError, match="num_classes=5"):
        ch06.check_fresh_loss(5, math.log(5), loss, ten, x, y)
