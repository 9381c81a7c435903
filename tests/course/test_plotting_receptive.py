"""Tests for cnn_core.course.receptive.plots (Agg backend)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnn_core.arithmetic import receptive_fields
from cnn_core.course.receptive.plots import (
    plot_effective_receptive_field,
    plot_receptive_field_box,
    plot_receptive_field_growth,
    plot_unit_grid,
)


def test_box_on_gray_image_spilling_onto_padding(ax):
    artists = plot_receptive_field_box(ax, np.zeros((28, 28)), (-3, 9, 6, 18), center=(1.5, 13.5))
    box = artists["box"]
    assert (box.get_x(), box.get_y(), box.get_width(), box.get_height()) == (8.5, -3.5, 10, 10)
    assert ax.get_xlim() == (-3.5, 30.5) and ax.get_ylim() == (30.5, -3.5)   # 3-pixel frame
    pad = artists["padding"]
    assert (pad.get_x(), pad.get_width()) == (-3.5, 34)
    assert tuple(artists["center"].get_xydata()[0]) == (13.5, 1.5)
    assert artists["image"].get_extent() == [-0.5, 27.5, 27.5, -0.5]


def test_box_on_rgb_image_with_fixed_margin(ax):
    image = np.random.default_rng(0).random((20, 30, 3))
    artists = plot_receptive_field_box(ax, image, (2, 3, 7, 8), margin=5, title="t")
    assert ax.get_xlim() == (-5.5, 34.5) and ax.get_title() == "t"
    assert artists["image"].get_array().shape == (20, 30, 3)


def test_unit_grid_small_and_large(ax):
    image = plot_unit_grid(ax, (7, 5), (2, 4))
    data = image.get_array()
    assert data.shape == (7, 5) and data[2, 4] == 1 and data.sum() == 1
    assert "7x5" in ax.get_title()
    fig, big = plt.subplots()
    plot_unit_grid(big, (224, 224), (100, 50))
    assert tuple(big.lines[0].get_xydata()[0]) == (50, 100)
    plt.close(fig)


def test_effective_receptive_field_heat_map():
    fig, ax = plt.subplots()
    erf = np.zeros((20, 20))
    erf[5:10, 6:11] = np.arange(25).reshape(5, 5)
    image = plot_effective_receptive_field(ax, erf, (5, 6, 9, 10), margin=2, title="erf")
    assert image.get_array().max() == 1.0                  # scaled to the strongest pixel
    assert ax.get_xlim() == (3.5, 12.5) and ax.get_ylim() == (11.5, 2.5)
    assert len(fig.axes) == 2                              # the colour bar
    plt.close(fig)


def test_effective_receptive_field_crop_stays_on_image(ax):
    plot_effective_receptive_field(ax, np.ones((8, 8)), (-3, -3, 6, 6), colorbar=False)
    assert ax.get_xlim() == (-0.5, 7.5) and ax.get_ylim() == (7.5, -0.5)


def test_growth_plot_lines(ax):
    fields = receptive_fields([(3, 1, 0), (2, 2, 0), (3, 1, 1)])
    lines = plot_receptive_field_growth(ax, fields, ["conv", "pool", "conv"], title="g")
    assert len(lines) == 3
    np.testing.assert_array_equal(lines[0].get_ydata(), [3, 4, 8])
    np.testing.assert_array_equal(lines[1].get_ydata(), [1, 2, 2])
    assert np.isnan(lines[2].get_ydata()[0]) and lines[2].get_ydata()[2] == 2   # padding 0 hidden
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["conv", "pool", "conv"]


def test_growth_plot_rejects_mismatched_names(ax):
    with pytest.raises(ValueError, match="same length"):
        plot_receptive_field_growth(ax, receptive_fields([(3, 1, 0)]), ["a", "b"])


def test_tiny_box_gets_a_zoom_inset_inside_the_frame(ax):
    artists = plot_receptive_field_box(ax, np.zeros((224, 224)), (0, 221, 2, 223), margin=1)
    inset = artists["zoom"]
    assert inset.get_xlim() == (224 - 19 - 0.5 + 1, 224 + 1 - 0.5)    # 19 pixels, moved inside
    assert inset.get_ylim() == (-1 + 19 - 0.5, -1.5)
    assert inset.get_position().x0 < ax.get_position().x0 + 0.5 * ax.get_position().width


def test_large_box_has_no_zoom(ax):
    assert "zoom" not in plot_receptive_field_box(ax, np.zeros((28, 28)), (0, 0, 9, 9))
    assert "zoom" not in plot_receptive_field_box(ax, np.zeros((224, 224)), (5, 5, 7, 7),
                                                  zoom=False)
