"""Image, feature-map and filter grids on the Agg backend."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnn_core.course.common.plots import (
    plot_feature_maps,
    plot_filters,
    plot_image,
    plot_image_grid,
)


def test_image_grid_fills_axes_and_hides_the_rest():
    images = np.arange(3 * 1 * 4 * 4, dtype=float).reshape(3, 1, 4, 4)
    fig, axes = plt.subplots(2, 2)
    artists = plot_image_grid(axes, images, titles=["a", "b", "c"])
    assert len(artists) == 3
    np.testing.assert_array_equal(artists[1].get_array(), images[1, 0])
    assert not axes[1, 1].get_visible() and axes[0, 1].get_title() == "b"
    plt.close(fig)


def test_more_images_than_axes_is_an_error():
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="images has 3 entries"):
        plot_image_grid(axes, np.zeros((3, 4, 4)))
    plt.close(fig)


def test_filters_use_a_colour_scale_symmetric_around_zero():
    weights = np.array([[[[1.0, -3.0], [0.5, 0.0]]], [[[2.0, 0.0], [0.0, -1.0]]]])
    fig, axes = plt.subplots(1, 2)
    artists = plot_filters(axes, weights)
    assert artists[0].get_clim() == (-3.0, 3.0) and artists[1].get_clim() == (-3.0, 3.0)
    plt.close(fig)


def test_feature_maps_need_three_dimensions():
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match=r"maps must have shape \(C, H, W\)"):
        plot_feature_maps(axes, np.zeros((1, 2, 4, 4)))
    artists = plot_feature_maps(axes, np.ones((2, 4, 4)))
    assert axes[0].get_title() == "map 0" and len(artists) == 2
    plt.close(fig)


def test_single_image_has_no_ticks():
    fig, ax = plt.subplots()
    plot_image(ax, np.eye(3), title="eye")
    assert list(ax.get_xticks()) == [] and ax.get_title() == "eye"
    plt.close(fig)


def test_titles_are_9_pt_unless_title_size_is_given():
    fig, axes = plt.subplots(1, 3)
    plot_image(axes[0], np.eye(3), title="default")
    plot_image_grid(axes[1:], np.zeros((2, 4, 4)), ["a", "b"], title_size=13)
    assert [ax.title.get_fontsize() for ax in axes] == [9, 13, 13]
    plt.close(fig)


def test_title_size_reaches_feature_maps_and_filters():
    fig, axes = plt.subplots(2, 2)
    plot_feature_maps(axes[0], np.ones((2, 4, 4)), title_size=12)
    plot_filters(axes[1], np.ones((2, 3, 2, 2)), titles=["f0", "f1"], title_size=11)
    assert [ax.title.get_fontsize() for ax in axes.ravel()] == [12, 12, 11, 11]
    plt.close(fig)
