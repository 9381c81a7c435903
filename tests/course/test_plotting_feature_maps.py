"""Tests for cnn_core.course.convolution.plots (Agg backend, no display)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from cnn_core.course.convolution.filters import apply_filter, get_filter
from cnn_core.course.convolution.plots import (
    plot_conv_volume,
    plot_filter_response,
    plot_flatten,
    plot_kernel,
)
from cnn_core.data import load_photo


@pytest.fixture
def fig():
    figure = plt.figure()
    yield figure
    plt.close(figure)


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_kernel_writes_every_weight_on_a_symmetric_scale(fig):
    ax = fig.subplots()
    kernel = np.array([[-1.0, 0.0, 2.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.25]])
    image = plot_kernel(ax, kernel, title="k")
    assert texts(ax) == ["-1", "0", "2", "0.5", "0", "0", "0", "0", "0.25"]
    assert image.get_clim() == (-2.0, 2.0)
    np.testing.assert_array_equal(image.get_array(), kernel)
    assert ax.get_title() == "k"


def test_kernel_title_size_is_adjustable(fig):
    small, large = fig.subplots(1, 2)
    plot_kernel(small, np.eye(3), title="default")
    plot_kernel(large, np.eye(3), title="large", title_size=14)
    assert small.title.get_fontsize() == 9 and large.title.get_fontsize() == 14


def test_kernel_rejects_non_2d(fig):
    with pytest.raises(ValueError, match="kernel"):
        plot_kernel(fig.subplots(), np.ones((1, 3, 3)))


def test_filter_response_shows_image_kernel_and_map(fig):
    axes = fig.subplots(1, 3)
    photo = load_photo(size=32, gray=True)
    kernel = get_filter("sharpen")
    fmap = apply_filter(photo, kernel)
    artists = plot_filter_response(axes, photo, kernel, fmap)
    assert [a.get_array().shape for a in artists] == [(32, 32), (3, 3), (30, 30)]
    np.testing.assert_array_equal(artists[2].get_array(), fmap)
    assert axes[2].get_title() == "feature map 30x30"
    assert len(axes[1].texts) == 9
    assert len(fig.axes) == 4                          # the feature map has a colour bar
    assert {ax.title.get_fontsize() for ax in axes} == {11}


def test_filter_response_needs_three_axes_and_a_2d_map(fig):
    photo = load_photo(size=16, gray=True)
    with pytest.raises(ValueError, match="axes"):
        plot_filter_response(fig.subplots(1, 2), photo, np.eye(3), np.ones((14, 14)))
    with pytest.raises(ValueError, match="feature_map"):
        plot_filter_response(fig.subplots(1, 3), photo, np.eye(3), np.ones((1, 14, 14)))


def test_conv_volume_labels_the_three_shapes_and_marks_one_output(fig):
    ax = fig.subplots()
    patches = plot_conv_volume(ax, (3, 32, 32), kernel_size=5, n_filters=3, position=(10, 12))
    assert {"input 32x32x3", "3 filters\n5x5x3", "output 28x28x3"} <= set(texts(ax))
    marked = patches[-1]
    assert isinstance(marked, Rectangle) and (marked.get_width(), marked.get_height()) == (1, 1)
    window_front = patches[2]                       # the yellow box: front face is K x K
    corners = window_front.get_xy()
    assert np.ptp(corners[:, 0]) == 5 and np.ptp(corners[:, 1]) == 5
    assert corners[:, 0].min() == 12                 # starts at the output's column


@pytest.mark.parametrize("args", [((3, 8, 8), 9, 2, (0, 0)), ((3, 8, 8), 3, 0, (0, 0)),
                                  ((3, 8, 8), 3, 2, (6, 0)), ((0, 8, 8), 3, 2, (0, 0))])
def test_conv_volume_rejects_impossible_settings(fig, args):
    with pytest.raises(ValueError):
        plot_conv_volume(fig.subplots(), *args)


def test_flatten_lays_channels_out_one_after_another(fig):
    ax = fig.subplots()
    volume = np.arange(12).reshape(2, 2, 3) * 10
    cells = plot_flatten(ax, volume)
    assert len(cells) == 2 * volume.size               # the grids, then the strip
    strip = cells[volume.size:]
    assert [c.get_x() for c in strip] == list(range(volume.size))
    cell_texts = [t for t in texts(ax) if not t.startswith(("channel", "flattened", "value"))]
    assert cell_texts[volume.size:] == [str(v) for v in volume.ravel()]
    assert strip[5].get_facecolor() != strip[6].get_facecolor()     # channel 0 | channel 1
    assert "flattened: vector of 2x2x3 = 12 numbers" in texts(ax)
    assert any(t.endswith("e.g. (1, 1, 2) -> 11") for t in texts(ax))   # 1*6 + 1*3 + 2


def test_flatten_rejects_big_or_flat_input(fig):
    with pytest.raises(ValueError, match="volume"):
        plot_flatten(fig.subplots(), np.zeros((4, 4, 4)))
    with pytest.raises(ValueError, match="volume"):
        plot_flatten(fig.subplots(), np.zeros((4, 4)))
