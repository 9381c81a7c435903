"""Tests for cnn_core.course.draw.plots: what each figure shows, checked on its artists."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cnn_core.course.draw import plots  # noqa: E402
from cnn_core.course.draw.bundled_model import load_bundled_model  # noqa: E402
from cnn_core.course.draw.reading import read_strokes  # noqa: E402
from cnn_core.course.draw.unit_trace import trace_unit  # noqa: E402


@pytest.fixture(scope="module")
def model_and_reading():
    model = load_bundled_model()
    return model, read_strokes(model, [[(60, 50), (220, 50), (120, 250)]], 280, 20)


def test_tile_maps_places_channels_with_nan_gaps():
    maps = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2)
    mosaic = plots.tile_maps(maps, columns=2)
    assert mosaic.shape == (5, 5)
    np.testing.assert_array_equal(mosaic[:2, :2], maps[0])
    np.testing.assert_array_equal(mosaic[:2, 3:], maps[1])
    np.testing.assert_array_equal(mosaic[3:, :2], maps[2])
    assert np.isnan(mosaic[2]).all() and np.isnan(mosaic[3:, 3:]).all()


def test_layer_scale_is_symmetric_with_negatives_and_from_zero_without():
    assert plots.layer_scale(np.array([-2.0, 1.0])) == ("RdBu_r", -2.0, 2.0)
    assert plots.layer_scale(np.array([0.0, 3.0])) == ("magma", 0.0, 3.0)


def test_feature_maps_share_one_scale_per_layer_with_a_colour_bar(model_and_reading):
    _, reading = model_and_reading
    fig = Figure()
    axes = fig.subplots(len(reading.feature_maps), 1)
    artists = plots.plot_feature_maps(axes, reading.feature_maps)
    assert len(artists) == 6 and len(fig.axes) == 12          # 6 layers + 6 colour bars
    for artist, (_, _, maps) in zip(artists, reading.feature_maps):
        low, high = artist.get_clim()
        assert high == pytest.approx(max(maps.max(), -maps.min() if maps.min() < 0 else 0))
        assert low <= maps.min()


def test_probability_bars_highlight_the_guess(model_and_reading):
    _, reading = model_and_reading
    ax = Figure().subplots()
    bars = plots.plot_probabilities(ax, reading.probabilities)
    heights = [bar.get_height() for bar in bars]
    np.testing.assert_allclose(heights, reading.probabilities)
    colours = [bar.get_facecolor() for bar in bars]
    assert colours.count(colours[reading.guess]) == 1


def test_steps_show_four_images_and_the_centre_of_mass(model_and_reading):
    _, reading = model_and_reading
    axes = Figure().subplots(1, 4)
    plots.plot_steps(axes, reading.steps)
    assert axes[1].get_images()[0].get_array().shape == reading.steps.cropped.shape
    assert axes[2].get_images()[0].get_array().shape == (20, 20)
    (x,), (y,) = axes[3].lines[0].get_data()
    assert (y, x) == pytest.approx(reading.steps.center_of_mass)


def test_unit_trace_outlines_the_receptive_field(model_and_reading):
    model, reading = model_and_reading
    trace = trace_unit(model, reading, 3, 5, 4, 3)
    axes = Figure().subplots(1, 3)
    plots.plot_unit_trace(axes, reading, trace)
    box = [p for p in axes[0].patches if p.get_width() == 8]
    assert box and box[0].get_xy() == (3 - 0.5, 5 - 0.5)
    assert axes[2].get_images()[0].get_array().shape == (3, 3)
