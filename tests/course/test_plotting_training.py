"""Tests for cnn_core.course.training.plots (Agg backend, no display)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnn_core.course.hyperparameters.experiments import Config, LayerStats, TrialResult
from cnn_core.course.training.plots import (
    plot_activation_histograms,
    plot_activation_std,
    plot_confusion_matrix,
    plot_layer_activations,
    plot_misclassified,
    plot_occlusion,
    plot_random_search,
    plot_saliency,
    plot_seed_scores,
    plot_sweep,
    plot_sweep_curves,
)
from cnn_core.train import History


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def result(val_accs, diverged=False, **config):
    history = History(train_loss=[1.0 - 0.1 * i for i in range(len(val_accs))],
                      val_acc=list(val_accs), batch_loss=[2.0, 1.5, 1.2])
    return TrialResult(Config(**config), history, params=100, multiply_adds=1000,
                       seconds=0.1, diverged=diverged)


def test_confusion_matrix_writes_every_count_and_labels_axes():
    matrix = np.array([[5, 1, 0], [0, 6, 2], [1, 0, 7]])
    fig, ax = plt.subplots()
    image = plot_confusion_matrix(ax, matrix, class_names=("a", "b", "c"))
    texts = [t.get_text() for t in ax.texts]
    assert texts == [str(v) for v in matrix.ravel()]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    shown = image.get_array()
    assert shown[1, 2] == 2 and shown[1, 1] == 0        # the diagonal is not coloured
    with pytest.raises(ValueError, match="class_names"):
        plot_confusion_matrix(ax, matrix)
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(ax, np.zeros((2, 3)))


def test_misclassified_titles_show_predicted_and_true_labels():
    fig, axes = plt.subplots(1, 3)
    images = np.random.default_rng(0).random((2, 1, 28, 28))
    artists = plot_misclassified(axes, images, np.array([2, 5]), np.array([7, 3]),
                                 probs=np.array([0.91, 0.55]))
    assert len(artists) == 2
    assert axes[0].get_title() == "pred 7 / true 2\np = 0.91"
    assert axes[1].get_title().startswith("pred 3 / true 5")
    assert not axes[2].get_visible()
    with pytest.raises(ValueError, match="axes"):
        plot_misclassified(axes[:1], images, np.array([2, 5]), np.array([7, 3]))


def test_saliency_signed_for_one_channel_and_absolute_max_for_several():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    one = np.zeros((1, 4, 4))
    one[0, 1, 1], one[0, 2, 3] = -3.0, 1.0
    image = np.zeros((4, 4))
    image[1:3, 1:3] = 1.0
    signed = plot_saliency(ax1, one, image=image)
    assert signed.get_array()[1, 1] == -3.0 and signed.get_clim() == (-3.0, 3.0)
    assert len(ax1.collections) == 1                   # the digit's outline
    sal = np.zeros((2, 4, 4))
    sal[0, 1, 1], sal[1, 1, 1], sal[1, 2, 3] = -3.0, 2.0, -1.0
    shown = plot_saliency(ax2, sal).get_array()
    assert shown[1, 1] == 3.0 and shown[2, 3] == 1.0 and shown.min() == 0
    assert len(ax2.collections) == 0
    with pytest.raises(ValueError, match="saliency"):
        plot_saliency(ax1, np.zeros(5))


def test_occlusion_shows_drops_with_a_symmetric_scale_and_the_outline():
    image = np.zeros((1, 6, 6))
    image[0, 2:4, 2:4] = 1.0
    drops = np.zeros((6, 6))
    drops[2, 3] = 0.4
    drops[0, 0] = -0.2
    fig, ax = plt.subplots()
    shown = plot_occlusion(ax, image, drops)
    assert shown.get_clim() == (-0.4, 0.4) and shown.get_array()[2, 3] == 0.4
    assert len(ax.collections) == 1
    small = plot_occlusion(ax, image, drops * 0.01)
    assert small.get_clim() == (-0.1, 0.1)
    with pytest.raises(ValueError, match="drops"):
        plot_occlusion(ax, image, np.zeros((5, 5)))


def test_layer_activations_one_row_per_layer():
    acts = [("0 Conv2D", np.ones((3, 8, 8))), ("2 MaxPool2D", np.ones((3, 4, 4))),
            ("3 Conv2D", np.ones((5, 4, 4)))]
    fig, axes = plt.subplots(4, 4)
    artists = plot_layer_activations(axes, acts)
    assert len(artists) == 3 + 3 + 4
    assert axes[0, 0].get_ylabel() == "0 Conv2D"
    assert not axes[0, 3].get_visible() and axes[2, 3].get_visible()
    assert not any(ax.get_visible() for ax in axes[3])
    with pytest.raises(ValueError, match="rows"):
        plot_layer_activations(axes[:2], acts)


def test_activation_std_draws_one_log_line_per_setting():
    stats = {"He": [LayerStats("a", 0.5, 1.0, 0.5), LayerStats("b", 0.5, 0.9, 0.5)],
             "He x 0.5": [LayerStats("a", 0.2, 0.5, 0.5), LayerStats("b", 0.1, 0.25, 0.5)]}
    fig, ax = plt.subplots()
    lines = plot_activation_std(ax, stats)
    assert len(lines) == 2 and ax.get_yscale() == "log"
    np.testing.assert_allclose(lines[1].get_ydata(), [0.5, 0.25])


def test_activation_histograms_one_axis_per_layer():
    fig, axes = plt.subplots(1, 3)
    values = [np.arange(10.0), np.arange(5.0)]
    bars = plot_activation_histograms(axes, values, ["layer 1", "layer 2"], bins=5, log_x=False)
    assert len(bars) == 2 and sum(p.get_height() for p in bars[0]) == 10
    assert not axes[2].get_visible()
    with pytest.raises(ValueError, match="label"):
        plot_activation_histograms(axes, values, ["only one"])


def test_activation_histograms_share_one_log_axis():
    fig, axes = plt.subplots(1, 2)
    small, large = np.full(8, 1e-3), np.array([0.0, 0.5, 1.0, 2.0])     # the 0 is not drawn
    bars = plot_activation_histograms(axes, [small, large], ["small", "large"], bins=6)
    assert [ax.get_xscale() for ax in axes] == ["log", "log"]
    assert axes[0].get_xlim() == axes[1].get_xlim() == (1e-3, 2.0)
    assert sum(p.get_height() for p in bars[0]) == 8 and sum(p.get_height() for p in bars[1]) == 3
    plt.close(fig)


def test_layer_activations_share_a_scale_per_row_and_use_a_diverging_map_for_signed_rows():
    acts = [("conv", np.array([[[-2.0, 1.0]], [[0.5, 0.0]]])), ("relu", np.array([[[0.0, 3.0]],
                                                                                   [[1.0, 0.0]]]))]
    fig, axes = plt.subplots(2, 2)
    artists = plot_layer_activations(axes, acts)
    assert [a.get_clim() for a in artists] == [(-2.0, 2.0)] * 2 + [(0.0, 3.0)] * 2
    assert artists[0].get_cmap().name == "RdBu_r" and artists[2].get_cmap().name == "viridis"
    assert len(fig.axes) == 4 + 2                                   # one colour bar per row
    plt.close(fig)


def test_sweep_plots_numeric_and_categorical_values_and_marks_divergence():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    results = [result([0.5, 0.8]), result([0.6, 0.9]), result([0.1], diverged=True)]
    artists = plot_sweep(ax1, [1e-3, 1e-2, 1e-1], results, "learning rate", log_x=True)
    assert ax1.get_xscale() == "log"
    np.testing.assert_allclose(artists[0].get_ydata(), [0.8, 0.9, 0.1])
    assert len(artists) == 2                          # the line and the red crosses
    plot_sweep(ax2, ["pool", "stride"], results[:2], "downsampling")
    assert [t.get_text() for t in ax2.get_xticklabels()] == ["pool", "stride"]
    with pytest.raises(ValueError, match="same length"):
        plot_sweep(ax2, [1, 2], results, "x")


def test_sweep_curves_one_line_per_run():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    results = [result([0.5, 0.8, 0.85]), result([0.6, 0.9, 0.95])]
    lines = plot_sweep_curves(ax1, results, ["a", "b"], metric="val_acc")
    assert len(lines) == 2 and list(lines[0].get_xdata()) == [1, 2, 3]
    steps = plot_sweep_curves(ax2, results, ["a", "b"], metric="batch_loss")
    assert list(steps[0].get_xdata()) == [0, 1, 2] and ax2.get_xlabel() == "step"
    with pytest.raises(ValueError, match="label"):
        plot_sweep_curves(ax1, results, ["a"])


def test_random_search_scatter_groups_by_batch_size_and_circles_the_best():
    results = [result([0.7], lr=1e-3, batch_size=32), result([0.9], lr=3e-3, batch_size=64),
               result([0.8], lr=1e-2, batch_size=32, filters=(4, 8))]
    fig, ax = plt.subplots()
    artists = plot_random_search(ax, results)
    assert len(artists) == 3                          # batch 32, batch 64, best ring
    sizes = ax.get_legend()                           # the marker-size legend, one per filters
    assert sizes.get_title().get_text() == "marker size"
    assert [t.get_text() for t in sizes.get_texts()] == ["filters 4,8", "filters 8,16"]
    np.testing.assert_allclose(artists[-1].get_offsets(), [[3e-3, 0.9]])
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="results"):
        plot_random_search(ax, [])


def test_seed_scores_one_dot_per_seed_and_a_bar_at_the_mean():
    fig, ax = plt.subplots()
    scores = {"plain": [(0.9, 0.8), (0.95, 0.84)], "dropout": [(0.85, 0.82), (0.87, 0.8)]}
    artists = plot_seed_scores(ax, scores)
    dots = [a for a in artists if hasattr(a, "get_offsets")]
    bars = [a for a in artists if not hasattr(a, "get_offsets")]
    assert len(dots) == 4 and len(bars) == 4                  # 2 settings x 2 metrics
    np.testing.assert_allclose(dots[0].get_offsets()[:, 1], [0.9, 0.95])
    np.testing.assert_allclose(bars[0].get_ydata(), [0.925, 0.925])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["plain", "dropout"]
    with pytest.raises(ValueError, match="scores"):
        plot_seed_scores(ax, {})
    plt.close(fig)
