"""Tests for cnn_core.course.pooling.explorer_widget: built and driven without a browser."""

import base64
import io

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnn_core.course.common.png_plots import figure_output
from cnn_core.course.pooling.explorer_widget import MAX_SLIDER, build_pooling_explorer, render
from cnn_core.functional import avgpool2d_forward_naive, maxpool2d_forward_naive


@pytest.fixture
def grid():
    return np.random.default_rng(7).integers(0, 10, size=(8, 8)).astype(float)


def reference(x, mode, k, s):
    pool = maxpool2d_forward_naive if mode == "max" else avgpool2d_forward_naive
    return pool(x[None, None], k, s)[0][0, 0]


def test_render_matches_the_naive_engine_for_every_slider_setting(grid):
    for k in range(1, MAX_SLIDER + 1):
        for s in range(1, MAX_SLIDER + 1):
            view = render(grid, "max", k, s)
            np.testing.assert_allclose(view.output, reference(grid, "max", k, s))
            assert len(view.figure.axes) == 2


@pytest.mark.parametrize("k, s", [(1, 1), (2, 2), (3, 2), (2, 3), (5, 1)])
def test_render_average_matches_the_naive_engine(grid, k, s):
    np.testing.assert_allclose(render(grid, "average", k, s).output,
                               reference(grid, "average", k, s))


def test_sliders_are_labelled_plainly_and_drive_the_output(grid):
    box = build_pooling_explorer(grid)
    c = box.controls
    assert (c["window size"].description, c["stride"].description) == ("window size", "stride")
    assert not c["window size"].continuous_update and not c["stride"].continuous_update
    assert box.result.output.shape == (4, 4)
    c["window size"].value = 3                        # overlapping: stride 2 < window 3
    np.testing.assert_allclose(box.result.output, reference(grid, "max", 3, 2))
    assert "windows overlap" in box.readout.value
    c["pooling"].value = "average"
    np.testing.assert_allclose(box.result.output, reference(grid, "average", 3, 2))
    before = box.output.outputs[0]["data"]["image/png"]
    c["stride"].value = 1
    assert box.result.output.shape == (6, 6)
    assert len(box.output.outputs) == 1                # the figure, as one PNG
    assert box.output.outputs[0]["data"]["image/png"] != before


def shown(grid, mode, k, s, cell):
    """The Output entry of a fresh render of this setting."""
    return figure_output(render(grid, mode, k, s, cell).figure, "<pooling explorer figure>",
                         scale=2)


def test_output_cell_choices_follow_the_output_size(grid):
    box = build_pooling_explorer(grid, window_size=2, stride=1)
    cell = box.controls["output cell"]
    assert len(cell.options) == 49
    cell.value = (6, 6)
    assert box.output.outputs[0] == shown(grid, "max", 2, 1, (6, 6))
    assert "output (6, 6)" in render(grid, "max", 2, 1, (6, 6)).figure.axes[1].get_xlabel()
    box.controls["stride"].value = 4                   # 2x2 output: (6, 6) no longer exists
    assert len(cell.options) == 4 and cell.value == (0, 0)
    cell.value = (1, 1)
    box.controls["pooling"].value = "max"
    assert box.output.outputs[0] == shown(grid, "max", 2, 4, (1, 1))
    winner_value = box.result.output[1, 1]
    assert winner_value == grid[4:6, 4:6].max()


@pytest.mark.parametrize("kwargs", [dict(x=np.zeros(5)), dict(x=np.zeros((1, 5))),
                                    dict(x=np.zeros((13, 5))),
                                    dict(x=np.zeros((4, 4)), window_size=5),
                                    dict(x=np.zeros((8, 8)), stride=0)])
def test_bad_settings_raise(kwargs):
    with pytest.raises(ValueError):
        build_pooling_explorer(**kwargs)


def test_render_rejects_unknown_mode(grid):
    with pytest.raises(ValueError, match="mode"):
        render(grid, "median")


def test_the_explorer_displays_a_static_picture():
    from IPython.core.formatters import DisplayFormatter
    data, _ = DisplayFormatter().format(build_pooling_explorer(np.arange(16.0).reshape(4, 4)))
    assert data["image/png"] and "application/vnd.jupyter.widget-view+json" in data


def test_a_picture_shown_again_is_the_one_a_fresh_render_draws(grid):
    box = build_pooling_explorer(grid)
    first = box.output.outputs[0]
    box.controls["window size"].value = 3
    assert box.output.outputs[0]["data"]["image/png"] != first["data"]["image/png"]
    box.controls["window size"].value = 2                 # back: the kept picture
    assert box.output.outputs[0] == first
    assert first == shown(grid, "max", 2, 2, (0, 0))


def pixels(entry):
    return plt.imread(io.BytesIO(base64.b64decode(entry["data"]["image/png"])), format="png")


def test_pictures_drawn_into_the_kept_figure_are_those_of_a_new_figure(grid):
    """The explorer redraws one figure (emptied, its two axes moved for the output's width)
    for every new setting: each picture must have the pixels of a fresh render."""
    box = build_pooling_explorer(grid)
    c = box.controls
    for label, value in [("window size", 3), ("stride", 1), ("output cell", (5, 4)),
                         ("pooling", "average"), ("window size", 1), ("stride", 5),
                         ("window size", 5), ("pooling", "max")]:
        c[label].value = value
        expected = pixels(shown(grid, c["pooling"].value, c["window size"].value,
                                c["stride"].value, c["output cell"].value))
        got = pixels(box.output.outputs[0])
        assert np.array_equal(got, expected), \
            f"after {label} = {value}: {np.sum(np.any(got != expected, axis=2))} pixels differ"
