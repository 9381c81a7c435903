"""Tests for cnn_core.course.backprop.plots (Agg backend, no display)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnn_core.course.backprop.gradient_flow import conv_gradient_footprint
from cnn_core.course.backprop.learning_rate import (
    DescentPath,
    LearningRateResult,
    QuadraticSurface,
    TrainingRun,
    gradient_descent_path,
)
from cnn_core.course.backprop.plots import (
    bowl_loss_limits,
    plot_conv_footprint,
    plot_learning_rate_result,
    plot_loss_surface,
    plot_number_grid,
    plot_step_losses,
    plot_training_runs,
)


def test_number_grid_labels_every_cell_and_masks_zeros(ax):
    values = np.array([[0.0, 1.5], [-2.0, 0.0], [3.0, 4.0]])
    drawn = plot_number_grid(ax, values, fmt="{:.1f}", mask_zeros=True, box=(1, 0, 2, 1))
    assert np.array_equal(drawn["image"].get_array().mask, values == 0)
    assert sorted(t.get_text() for t in drawn["texts"]) == ["-2.0", "1.5", "3.0", "4.0"]
    assert drawn["box"].get_xy() == (-0.5, 0.5)
    assert (drawn["box"].get_width(), drawn["box"].get_height()) == (2, 2)
    assert drawn["image"].get_clim() == (-4.0, 4.0)          # symmetric around 0


def test_number_grid_shade_offset_and_plain_scale(ax):
    values = np.arange(16.0).reshape(4, 4)
    shade = np.zeros((4, 4), bool)
    shade[0] = True
    drawn = plot_number_grid(ax, values, shade=shade, symmetric=False, offset=1)
    assert len(drawn["shade"]) == 4 and len(drawn["texts"]) == 15     # the shaded 0 unlabelled
    assert drawn["image"].get_clim() == (0.0, 15.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["-1", "0", "1", "2"]


def test_number_grid_rejects_1d(ax):
    with pytest.raises(ValueError, match="2-D array"):
        plot_number_grid(ax, np.ones(3))


def test_conv_footprint_highlights_exactly_the_nonzero_gradients():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 10, size=(1, 6, 6))
    w = rng.choice([-2.0, -1.0, 0.0, 1.0, 2.0], size=(2, 1, 3, 3))
    fp = conv_gradient_footprint(x, w, stride=2, padding=1, out_cell=(1, 1, 2))
    fig, axes = plt.subplots(1, 5)
    drawn = plot_conv_footprint(axes, fp)
    assert np.array_equal(~drawn[2]["image"].get_array().mask, fp.dx_padded[0] != 0)
    for g in range(2):
        assert np.array_equal(~drawn[3 + g]["image"].get_array().mask, fp.dw[g, 0] != 0)
    assert len(drawn[0]["shade"]) == 8 * 8 - 6 * 6                   # the padding ring
    top, left, bottom, right = fp.window
    assert drawn[0]["box"].get_xy() == (left - 0.5, top - 0.5)
    assert axes[1].get_title() == "output of filter 1\ncell (1, 2)"
    with pytest.raises(ValueError, match="3 \\+ F = 5 axes"):
        plot_conv_footprint(axes[:4], fp)
    plt.close(fig)


def test_loss_surface_draws_the_path_and_flags_divergence(ax):
    surface = QuadraticSurface()
    path = gradient_descent_path(0.1, steps=10)
    plot_loss_surface(ax, surface, path)
    line = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 11][0]
    assert np.allclose(np.column_stack([line.get_xdata(), line.get_ydata()]), path.points)
    assert not any(t.get_text() == "diverged" for t in ax.texts)
    fig, ax2 = plt.subplots()
    plot_loss_surface(ax2, surface, gradient_descent_path(3.0))
    assert any(t.get_text() == "diverged" for t in ax2.texts)
    assert ax2.get_xlim() == (-5.0, 5.0)
    fig.canvas.draw()                               # the legend sits below the axes, off the path
    legend_box = ax2.get_legend().get_window_extent()
    assert legend_box.y1 < ax2.get_window_extent().y0
    plt.close(fig)


def test_step_losses_one_line_per_run(ax):
    lines = plot_step_losses(ax, {"a": [3, 2, 1], "b": [1, 1e-3]}, logy=True)
    assert [ln.get_label() for ln in lines] == ["a", "b"]
    assert ax.get_yscale() == "log"
    assert np.array_equal(lines[1].get_ydata(), [1, 1e-3])


def test_learning_rate_result_marks_a_diverged_run():
    path = DescentPath(2.0, np.zeros((2, 2)), np.array([1.0, 50.0]), True, "diverged")
    run = TrainingRun(2.0, [2.3], 2.3, 57.0, True, "training stopped: ...")
    fig, axes = plt.subplots(1, 3)
    plot_learning_rate_result(axes, LearningRateResult(2.0, path, run, 40), QuadraticSurface())
    assert [t.get_text() for t in axes[2].texts] == [
        "lr = 2: diverged\nafter 1 step\nloss 57, off the scale"]
    assert axes[2].get_xlim()[1] == 41 and axes[1].get_yscale() == "log"
    assert np.allclose(np.log10(axes[1].get_ylim()), [-0.5, np.log10(50) + 0.5])
    plt.close(fig)


def test_training_runs_mark_only_diverged_runs(ax):
    calm = TrainingRun(0.1, [2.3, 2.0, 1.5], 2.3, 1.4, False, "")
    wild = TrainingRun(3.0, [2.3], 2.3, float("nan"), True, "training stopped: ...")
    plot_training_runs(ax, [calm, wild])
    assert [ln.get_label() for ln in ax.get_lines()[:2]] == ["lr = 0.1", "lr = 3 (diverged)"]
    crosses = [ln for ln in ax.get_lines() if ln.get_marker() == "^"]   # off the scale: arrow
    assert len(crosses) == 1 and crosses[0].get_xdata()[0] == 1
    assert crosses[0].get_ydata()[0] < ax.get_ylim()[1]         # nan drawn at the top edge
    assert not [ln for ln in ax.get_lines() if ln.get_marker() == "x"]
    assert ax.texts[0].get_text() == "lr = 3: diverged\nafter 1 step\nloss nan, off the scale"
    assert ax.get_ylim() == (0, 3.5 * 1.25)                       # room for the label
    jump = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(jump) == 1 and list(jump[0].get_xdata()) == [0, 1]  # last loss -> the x
    assert jump[0].get_ydata()[0] == 2.3 and jump[0].get_ydata()[1] == crosses[0].get_ydata()[0]
    assert jump[0].get_color() == ax.get_lines()[1].get_color()


def test_a_divergence_that_fits_on_the_chart_gets_an_x_at_its_value(ax):
    run = TrainingRun(1.0, [2.3, 2.5], 2.3, 3.0, True, "training stopped: ...")
    plot_training_runs(ax, [run])
    crosses = [ln for ln in ax.get_lines() if ln.get_marker() == "x"]
    assert len(crosses) == 1 and crosses[0].get_ydata()[0] == 3.0
    assert ax.texts[0].get_text() == "lr = 1: diverged\nafter 2 steps\nloss 3"


def test_bowl_loss_limits_follow_the_data():
    lo, hi = bowl_loss_limits([1e-3, 1.0, np.inf, 10.0])
    assert np.allclose(np.log10([lo, hi]), [-3.5, 1.5])          # finite values, 0.5 decades spare
    lo, hi = bowl_loss_limits([2.0, 2.0])                          # flat: still one decade in all
    assert np.isclose(np.log10(hi / lo), 1.0) and lo < 2.0 < hi
