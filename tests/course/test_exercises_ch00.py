"""Checks of notebook 00's exercises: right answers pass, typical mistakes get a hint."""
import numpy as np
import pytest

from cnn_core.course.exercises.ch00 import (
    check_accuracy_function,
    check_misclassified,
    check_parameter_count,
)
from cnn_core.data import load_digits
from cnn_core.recipes import DEFAULT_RECIPE, build_model
from cnn_core.zoo import small_cnn


@pytest.fixture(scope="module")
def model():
    return small_cnn(rng=np.random.default_rng(0))   # untrained: most digits are wrong


def test_parameter_count_by_hand_passes(model, capsys):
    by_hand = (8 * 1 * 3 * 3 + 8) + (16 * 8 * 3 * 3 + 16) + (16 * 7 * 7 * 10 + 10)
    check_parameter_count(by_hand, model)
    assert capsys.readouterr().out.startswith("PASS: 9,098 parameters")


@pytest.mark.parametrize("wrong, hint", [
    (8 * 9 + 16 * 8 * 9 + 784 * 10, "bias"),
    (9000, "Count layer by layer"),
    (9098.0, "whole number"),
])
def test_parameter_count_mistakes_get_hints(model, wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        check_parameter_count(wrong, model)


def test_parameter_count_of_the_notebooks_recipe_model(capsys):
    """Notebook 00 counts the parameters of DEFAULT_RECIPE's model: filters (16, 32)."""
    recipe_model = build_model(DEFAULT_RECIPE, np.random.default_rng(0))
    f1, f2 = DEFAULT_RECIPE.filters
    check_parameter_count((f1 * 9 + f1) + (f2 * f1 * 9 + f2) + (f2 * 49 * 10 + 10), recipe_model)
    assert capsys.readouterr().out.startswith("PASS: 20,490 parameters")
    with pytest.raises(AssertionError, match="Count layer by layer"):
        check_parameter_count(9098, recipe_model)          # the count of the (8, 16) network


def test_parameter_count_follows_the_model():
    wide = small_cnn(filters=(4, 6), rng=np.random.default_rng(0))
    check_parameter_count((4 * 9 + 4) + (6 * 4 * 9 + 6) + (6 * 49 * 10 + 10), wide)


def test_accuracy_function_passes(capsys):
    check_accuracy_function(lambda p, y: float(np.mean(p == y)))
    assert capsys.readouterr().out.startswith("PASS")


@pytest.mark.parametrize("wrong, hint", [
    (lambda p, y: int(np.sum(p == y)), "divide by the number of samples"),
    (lambda p, y: 100 * float(np.mean(p == y)), "not a percentage"),
    (lambda p, y: None, "return statement"),
    (lambda p, y: p == y, "one number"),
    (lambda p, y: float(np.mean(p != y)), "expected"),
])
def test_accuracy_mistakes_get_hints(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        check_accuracy_function(wrong)


def test_misclassified(model, capsys):
    x, y = load_digits("test")
    x, y = x[:50], y[:50]
    predictions = model.predict(x)
    wrong, right = np.flatnonzero(predictions != y), np.flatnonzero(predictions == y)
    assert len(wrong) and len(right)
    check_misclassified(int(wrong[0]), model, x, y)
    assert "but the model says" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="gets test digit"):
        check_misclassified(int(right[0]), model, x, y)
    with pytest.raises(AssertionError, match="between 0 and 49"):
        check_misclassified(50, model, x, y)
    with pytest.raises(AssertionError, match="whole number"):
        check_misclassified("3", model, x, y)


@pytest.mark.parametrize("cell", ["n_params = model.num_params()",
                                  "n_params = model.summary((1, 28, 28)).total_params",
                                  "n_params = sum(p.size for _, p, _ in model.named_params())"])
def test_asking_the_model_fails_the_hidden_test(cell):
    """The visible check cannot tell how n_params was made; the hidden test reads the cell."""
    from cnn_core.course.exercises.ch00 import SHORTCUTS
    from cnn_core.course.exercises.own_work import check_own_work
    with pytest.raises(AssertionError, match="Not yet: your answer uses"):
        check_own_work(cell, forbidden=SHORTCUTS)
    check_own_work("n_params = (8 * 9 + 8) + (16 * 8 * 9 + 16) + (784 * 10 + 10)",
                   forbidden=SHORTCUTS)
