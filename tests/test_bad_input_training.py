"""Bad input, theme "training": bad data is told apart from divergence, empty data and bad
batch sizes are refused before any work is done, and nothing is trained when the arguments are
wrong."""
import numpy as np
import pytest

from cnn_core.layers import Conv2D, Dense, Flatten, ReLU
from cnn_core.losses import SoftmaxCrossEntropy
from cnn_core.model import Sequential
from cnn_core.optim import SGD
from cnn_core.recipes import StepDownLR
from cnn_core.train import TrainingDiverged, evaluate, fit

RNG = np.random.default_rng(0)
X = RNG.random((8, 1, 6, 6)).astype(np.float32)
Y = np.arange(8) % 3


def model():
    rng = np.random.default_rng(0)
    return Sequential([Conv2D(1, 2, 3, rng=rng), ReLU(), Flatten(), Dense(32, 3, rng=rng)])


def run(**overrides):
    net = model()
    kwargs = dict(x=X, y=Y, epochs=1, batch_size=4, rng=np.random.default_rng(0))
    kwargs.update(overrides)
    before = net.layers[0].params["W"].copy()
    try:
        return fit(net, SoftmaxCrossEntropy(), SGD(0.1), **kwargs)
    finally:
        run.unchanged = np.array_equal(before, net.layers[0].params["W"])


def with_nan(array, index):
    array = array.astype(np.float32).copy()
    array[index] = np.nan
    return array


REFUSED = {
    "NaN pixel in x": (dict(x=with_nan(X, (3, 0, 2, 2))), r"x holds 1 NaN/inf .*\(3, 0, 2, 2\)"
                                                         r".*bad input data"),
    "inf pixel in x": (dict(x=np.where(X > 0.99, np.inf, X)), r"x holds .* NaN/inf"),
    "NaN in x_val": (dict(x_val=with_nan(X, (0, 0, 0, 0)), y_val=Y), r"x_val holds 1 NaN/inf"),
    "NaN in float targets": (dict(y=with_nan(Y, 2)), r"y holds 1 NaN/inf .*bad target data"),
    "empty data": (dict(x=X[:0], y=Y[:0]), r"x must hold at least one sample \(N >= 1\)"),
    "empty validation data": (dict(x_val=X[:0], y_val=Y[:0]), r"x_val must hold at least one"),
    "different lengths": (dict(y=Y[:5]), r"x and y must have the same length, got 8 and 5"),
    "x_val alone": (dict(x_val=X), r"x_val and y_val must be given together"),
    "batch_size 0": (dict(batch_size=0), r"batch_size must be an integer >= 1, got 0"),
    "batch_size 2.5": (dict(batch_size=2.5), r"batch_size must be an integer >= 1, got 2.5"),
    "epochs -1": (dict(epochs=-1), r"epochs must be an integer >= 0, got -1"),
    "explode_factor 1": (dict(explode_factor=1), r"explode_factor must be a finite number > 1"),
    "explode_factor nan": (dict(explode_factor=float("nan")), r"explode_factor must be"),
    "on_divergence 'warn'": (dict(on_divergence="warn"), r"on_divergence must be 'raise' or"),
    "callback not a Callback": (dict(callbacks=[print]), r"callbacks\[0\] must be a cnn_core"),
    "y a list": (dict(y=list(Y)), r"y must be a numpy array, got list"),
}


@pytest.mark.parametrize("overrides, pattern", REFUSED.values(), ids=REFUSED.keys())
def test_bad_training_arguments_are_refused_before_any_step(overrides, pattern):
    with pytest.raises(ValueError, match=pattern) as info:
        run(**overrides)
    assert not isinstance(info.value, TrainingDiverged)
    assert run.unchanged


def test_nan_in_the_data_is_not_called_a_learning_rate_problem():
    with pytest.raises(ValueError) as info:
        run(x=with_nan(X, (0, 0, 0, 0)))
    assert "learning rate" not in str(info.value) and "bad input data" in str(info.value)


def test_divergence_on_clean_data_still_blames_the_learning_rate():
    net = model()
    with pytest.raises(TrainingDiverged, match=r"learning rate \(1e\+06\) is probably too high"):
        fit(net, SoftmaxCrossEntropy(), SGD(1e6), X, Y, epochs=3, batch_size=4,
            rng=np.random.default_rng(0))


EVALUATE = {
    "batch_size 0": (dict(batch_size=0), r"batch_size must be an integer >= 1, got 0"),
    "empty": (dict(x=X[:0], y=Y[:0]), r"x must hold at least one sample"),
    "lengths": (dict(y=Y[:3]), r"x and y must have the same length"),
    "NaN": (dict(x=with_nan(X, (1, 0, 0, 0))), r"x holds 1 NaN/inf"),
    "list": (dict(x=X.tolist()), r"x must be a numpy array"),
}


@pytest.mark.parametrize("overrides, pattern", EVALUATE.values(), ids=EVALUATE.keys())
def test_evaluate_refuses_bad_arguments(overrides, pattern):
    kwargs = dict(x=X, y=Y)
    kwargs.update(overrides)
    with pytest.raises(ValueError, match=pattern):
        evaluate(model(), SoftmaxCrossEntropy(), **kwargs)


@pytest.mark.parametrize("drop_after, factor, name", [(-1, 0.1, "drop_after"),
                                                      (2, 0, "factor"), (2, "x", "factor")])
def test_step_down_schedule_checks_its_arguments(drop_after, factor, name):
    with pytest.raises(ValueError, match=name):
        StepDownLR(drop_after, factor)


def test_zero_epochs_is_allowed():
    history = run(epochs=0)
    assert history.epochs == 0
