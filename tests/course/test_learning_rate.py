"""Tests for cnn_core.course.backprop.learning_rate: the 2-D bowl, gradient descent paths, short
CNN runs."""
import math

import numpy as np
import pytest

from cnn_core.course.backprop.learning_rate import (
    DEFAULT_START,
    QuadraticSurface,
    gradient_descent_path,
    learning_rate_experiment,
    short_training_run,
)
from cnn_core.gradcheck import numerical_gradient, relative_error


@pytest.fixture(scope="module")
def digits(train_digits):
    x, y = train_digits
    return x[:64], y[:64]


def test_surface_gradient_matches_numerical_gradient():
    surface = QuadraticSurface(curvatures=(0.3, 4.0), angle=25, minimum=(1.0, -2.0))
    w = np.array([0.7, 1.9])
    numeric = numerical_gradient(lambda: float(surface.loss(w)), w)
    assert relative_error(surface.gradient(w), numeric) < 1e-8
    assert surface.loss(surface.minimum) == 0
    assert np.allclose(np.linalg.eigvalsh(surface.hessian), [0.3, 4.0])
    assert math.isclose(surface.critical_lr, 0.5)


def test_surface_loss_is_vectorised_over_a_grid():
    surface = QuadraticSurface()
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-2, 2, 3)), axis=-1)
    losses = surface.loss(grid)
    assert losses.shape == (3, 4)
    assert math.isclose(losses[2, 3], float(surface.loss(grid[2, 3])))


def test_surface_rejects_bad_curvatures():
    with pytest.raises(ValueError, match="curvatures must be a finite number > 0"):
        QuadraticSurface(curvatures=(1.0, 0.0))
    with pytest.raises(ValueError, match="curvatures must be two numbers"):
        QuadraticSurface(curvatures=(1.0,))


def test_descent_follows_the_update_rule():
    surface = QuadraticSurface()
    path = gradient_descent_path(0.2, steps=5, surface=surface)
    for k in range(5):
        expected = path.points[k] - 0.2 * surface.gradient(path.points[k])
        assert np.allclose(path.points[k + 1], expected)
    assert np.allclose(path.losses, surface.loss(path.points))
    assert np.array_equal(path.points[0], DEFAULT_START) and path.steps == 5


def test_small_learning_rate_crawls_and_moderate_one_converges():
    crawl, good = gradient_descent_path(0.001), gradient_descent_path(0.1)
    assert not crawl.diverged and not good.diverged
    assert 0.5 * crawl.losses[0] < crawl.losses[-1] < crawl.losses[0]
    assert good.losses[-1] < 1e-2 * good.losses[0]


def test_learning_rate_above_critical_diverges_with_message():
    surface = QuadraticSurface()
    just_below = gradient_descent_path(0.98 * surface.critical_lr, steps=200)
    assert not just_below.diverged and just_below.message == ""
    for lr in (1.02 * surface.critical_lr, 1.0, 3.0):
        path = gradient_descent_path(lr)
        assert path.diverged and path.losses[-1] > path.losses[0]
        assert "learning rate" in path.message and f"{lr:g}" in path.message
    assert gradient_descent_path(3.0).steps < 40       # stopped early once it exploded


def test_descent_rejects_bad_arguments():
    with pytest.raises(ValueError, match="learning rate"):
        gradient_descent_path(0.0)
    with pytest.raises(ValueError, match="steps must be an integer >= 1"):
        gradient_descent_path(0.1, steps=0)
    with pytest.raises(ValueError, match="start must be a point"):
        gradient_descent_path(0.1, start=(1.0, 2.0, 3.0))


def test_short_training_run_regimes(digits):
    x, y = digits
    slow = short_training_run(0.001, x, y, epochs=8)
    good = short_training_run(0.1, x, y, epochs=8)
    wild = short_training_run(3.0, x, y, epochs=8)
    assert slow.loss_before == good.loss_before == wild.loss_before     # same starting weights
    assert abs(slow.loss_before - math.log(10)) < 0.1
    assert slow.steps == good.steps == 16 and not slow.diverged and not good.diverged
    assert 0.9 * slow.loss_before < slow.loss_after < slow.loss_before
    assert good.loss_after < 0.5 * good.loss_before
    assert wild.diverged and wild.steps < 16
    assert not wild.loss_after < 5 * wild.loss_before          # exploded (or nan)
    assert "learning rate" in wild.message
    with pytest.raises(ValueError, match="learning rate"):
        short_training_run(-1.0, x, y)


def test_experiment_summary_reports_both_runs(digits):
    x, y = digits
    result = learning_rate_experiment(3.0, x, y, steps=8)
    lines = result.summary.splitlines()
    assert lines[0] == "learning rate 3"
    assert lines[1].startswith("2-D bowl: gradient descent diverged")
    assert lines[2].startswith("small CNN: training stopped") and "learning rate" in lines[2]
    calm = learning_rate_experiment(0.1, x, y, steps=8)
    assert calm.steps == 8 and calm.run.steps == 8 and calm.path.steps == 8
    run = calm.run
    assert f"loss {run.loss_before:.2f} -> {run.loss_after:.2f} after 8 steps" in calm.summary
