"""Image, feature-map and filter grids on the Agg backend."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnn_core.plotting.grids import (plot_feature_maps, plot_filters, plot_image,  # noqa: E402
                                     plot_image_grid)


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
