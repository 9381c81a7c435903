"""Tests for cnn_core.plotting.grids (Agg backend, no display)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnn_core.plotting.grids import (TITLE_SIZE, plot_feature_maps, plot_filters,  # noqa: E402
                                     plot_image, plot_image_grid)


@pytest.fixture
def fig():
    figure = plt.figure()
    yield figure
    plt.close(figure)


def test_image_has_no_ticks_and_a_small_title_by_default(fig):
    ax = fig.subplots()
    artist = plot_image(ax, np.arange(6.0).reshape(2, 3), "two rows")
    np.testing.assert_array_equal(artist.get_array(), np.arange(6.0).reshape(2, 3))
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    assert ax.get_title() == "two rows" and ax.title.get_fontsize() == TITLE_SIZE == 9


def test_title_size_reaches_every_panel(fig):
    axes = fig.subplots(1, 3)
    plot_image_grid(axes, np.zeros((3, 4, 4)), ["a", "b", "c"], title_size=13)
    assert [ax.title.get_fontsize() for ax in axes] == [13, 13, 13]
    axes = fig.subplots(1, 2)
    plot_feature_maps(axes, np.ones((2, 5, 5)), title_size=12)
    assert [ax.get_title() for ax in axes] == ["map 0", "map 1"]
    assert {ax.title.get_fontsize() for ax in axes} == {12}


def test_grid_shares_a_scale_only_when_asked_and_hides_spare_axes(fig):
    axes = fig.subplots(1, 3)
    images = np.stack([np.zeros((4, 4)), np.full((4, 4), 2.0)]) + np.eye(4)
    own = plot_image_grid(axes, images)
    assert [a.get_clim() for a in own] == [(0.0, 1.0), (2.0, 3.0)]
    assert not axes[2].get_visible()
    shared = plot_image_grid(fig.subplots(1, 2), images, vmin=0, vmax=3)
    assert {a.get_clim() for a in shared} == {(0, 3)}


def test_grid_accepts_a_channel_axis_and_rejects_too_many_images(fig):
    artists = plot_image_grid(fig.subplots(1, 2), np.zeros((2, 1, 6, 6)))
    assert [a.get_array().shape for a in artists] == [(6, 6), (6, 6)]
    with pytest.raises(ValueError, match="images"):
        plot_image_grid(fig.subplots(1, 2), np.zeros((3, 6, 6)))


def test_feature_maps_must_be_three_dimensional(fig):
    with pytest.raises(ValueError, match="maps"):
        plot_feature_maps(fig.subplots(1, 2), np.zeros((1, 2, 6, 6)))


def test_filters_are_symmetric_around_zero_and_colour_filters_are_rgb(fig):
    weights = np.zeros((2, 1, 3, 3))
    weights[0, 0, 0, 0], weights[1, 0, 2, 2] = -0.5, 2.0
    artists = plot_filters(fig.subplots(1, 2), weights, ["f0", "f1"], title_size=11)
    assert {a.get_clim() for a in artists} == {(-2.0, 2.0)}
    assert artists[0].axes.title.get_fontsize() == 11
    rgb = plot_filters(fig.subplots(1, 2), np.arange(54.0).reshape(2, 3, 3, 3))
    assert rgb[0].get_array().shape == (3, 3, 3)
    assert rgb[0].get_array().min() == 0 and rgb[1].get_array().max() == 1
    with pytest.raises(ValueError, match="weights"):
        plot_filters(fig.subplots(1, 2), np.zeros((2, 3, 3)))
