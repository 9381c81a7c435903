"""Tests for cnn_core.course.losses.plots (Agg backend)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnn_core.course.losses.comparison import sweep_true_class_probability
from cnn_core.course.losses.plots import (
    plot_gradient_bars,
    plot_loss_vs_confidence,
    plot_probabilities,
)

EXAMPLE = np.array([0, .1, .1, .75, 0, 0, 0, 0, 0, .05])


def test_probability_bars(ax):
    bars = plot_probabilities(ax, EXAMPLE, title="p", true_class=2)
    np.testing.assert_allclose([b.get_height() for b in bars], EXAMPLE)
    assert bars[3].get_facecolor() != bars[1].get_facecolor()       # the winner stands out
    assert bars[2].get_linewidth() == 2
    labels = sorted(t.get_text() for t in ax.texts)
    assert labels == ["10%", "10%", "5%", "75%"]                    # zeros are not labelled
    assert ax.get_title() == "p"


def test_probability_bars_with_names(ax):
    bars = plot_probabilities(ax, [0.2, 0.8], class_names=["cat", "dog"])
    assert len(bars) == 2 and [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog"]


@pytest.mark.parametrize("probs, names, word", [
    (np.ones((2, 2)) / 2, None, "shape"), (EXAMPLE, ["a", "b"], "class_names")])
def test_probability_bars_reject_bad_input(ax, probs, names, word):
    with pytest.raises(ValueError, match=word):
        plot_probabilities(ax, probs, class_names=names)


def test_loss_vs_confidence_panels():
    fig, (left, right) = plt.subplots(1, 2)
    sweep = sweep_true_class_probability(points=20)
    lines = plot_loss_vs_confidence(left, right, sweep, mark=0.01)
    assert len(lines) == 4
    np.testing.assert_allclose(lines[0].get_ydata(), sweep.cross_entropy)
    np.testing.assert_allclose(lines[3].get_ydata(), sweep.mse_grad)
    assert [line.get_label() for line in left.get_legend().get_lines()] == ["cross-entropy", "MSE"]
    assert any(t.get_text().startswith("confidently") for t in right.texts)
    plt.close(fig)


def test_the_mark_puts_a_dot_on_each_curve_not_on_the_dashed_line():
    fig, (left, right) = plt.subplots(1, 2)
    sweep = sweep_true_class_probability(points=50)
    plot_loss_vs_confidence(left, right, sweep, mark=0.01)
    k = int(np.argmin(np.abs(sweep.p_true - 0.01)))
    for ax, curves in ((left, (sweep.cross_entropy, sweep.mse)),
                       (right, (sweep.cross_entropy_grad, sweep.mse_grad))):
        dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
        assert [d.get_ydata()[0] for d in dots] == [c[k] for c in curves]
        assert not any(t.arrow_patch for t in ax.texts)          # no arrow to miss the curve
    plt.close(fig)


def test_gradient_bars(ax):
    ce, mse = np.linspace(-1, 1, 10), np.linspace(0.1, 0.2, 10)
    containers = plot_gradient_bars(ax, {"cross-entropy": ce, "MSE": mse}, true_class=3)
    assert len(containers) == 2
    np.testing.assert_allclose([b.get_height() for b in containers[1]], mse)
    assert ax.get_xticklabels()[3].get_text() == "3*"
