"""Tests for cnn_core.course.draw.pad_widget without a browser: the render functions, and the
pad driven from code (add_stroke / undo / clear / unit picker)."""
import threading

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

from cnn_core.course.draw.bundled_model import load_bundled_model  # noqa: E402
from cnn_core.course.draw.pad_widget import (  # noqa: E402
    EMPTY,
    DrawingPad,
    render_feature_maps,
    render_overview,
    render_unit,
)
from cnn_core.course.draw.reading import read_strokes
from cnn_core.recipes import DEFAULT_RECIPE  # noqa: E402

ONE = [(140, 35), (143, 140), (140, 245)]
SEVEN_BAR, SEVEN_LEG = [(60, 50), (220, 50)], [(220, 50), (120, 250)]


@pytest.fixture(scope="module")
def model():
    return load_bundled_model()


def test_render_functions_build_their_figures(model):
    reading = read_strokes(model, [ONE], 280, 20)
    assert len(render_overview(reading).axes) == 6
    assert len(render_feature_maps(reading).axes) == 12
    fig, trace = render_unit(model, reading, 2, 0, 7, 7)
    assert len(fig.axes) == 4 and trace.name == "pool1"     # three panels + the map's colour bar


def test_pad_answers_after_each_stroke_and_undo_and_clear_work(model):
    pad = DrawingPad(model, "bundled", background=False)
    assert EMPTY in pad.answer.value and pad.reading is None
    pad.add_stroke(SEVEN_BAR)
    first = pad.reading.guess
    pad.add_stroke(SEVEN_LEG)
    assert pad.reading.guess == 7 and "guess: <b>7</b>" in pad.answer.value
    assert "2 stroke(s)" in pad.answer.value
    assert pad.overview.value[:4] == b"\x89PNG" and pad.maps.value[:4] == b"\x89PNG"
    pad.undo()
    assert len(pad.strokes) == 1 and pad.reading.guess == first
    pad.clear()
    assert pad.strokes == [] and pad.reading is None and EMPTY in pad.answer.value
    assert pad.overview.value == b""


def test_unit_picker_ranges_follow_the_layer(model):
    pad = DrawingPad(model, "bundled", background=False)
    pad.add_stroke(ONE)
    pad.layer_menu.value = 0
    f1, f2 = DEFAULT_RECIPE.filters
    assert (pad.channel_slider.max, pad.row_slider.max, pad.col_slider.max) == (f1 - 1, 27, 27)
    pad.layer_menu.value = 5
    assert (pad.channel_slider.max, pad.row_slider.max) == (f2 - 1, 6)
    pad.channel_slider.value = 3
    assert "pool2, channel 3" in pad.unit_text.value


def test_mouse_events_make_a_stroke(model):
    pad = DrawingPad(model, "bundled", background=False)
    pad._start(*ONE[0])
    for point in ONE[1:]:
        pad._move(*point)
    pad._end()
    pad._end()                       # a second mouse-out adds nothing
    assert len(pad.strokes) == 1 and pad.reading.guess == 1


def test_background_figures_arrive_for_the_newest_drawing(model):
    pad = DrawingPad(model, "bundled")                     # background=True, as in the notebook
    pad.add_stroke(SEVEN_BAR)
    pad.add_stroke(SEVEN_LEG)
    assert pad.reading.guess == 7                           # the answer is there at once
    done = threading.Event()
    pad.status.observe(lambda change: "up to date" in change["new"] and done.set(), "value")
    if "up to date" not in pad.status.value:
        assert done.wait(timeout=120), f"figures never finished: {pad.status.value!r}"
    assert "2 stroke(s)" in pad.status.value
    assert pad.overview.value[:4] == b"\x89PNG" and pad.unit_image.value[:4] == b"\x89PNG"
    pad.clear()
    assert pad.overview.value == b"" and pad.status.value == ""


def test_picker_starts_on_the_most_active_channel_until_the_student_moves_it(model):
    pad = DrawingPad(model, "bundled", background=False)
    pad.add_stroke(ONE)
    maps = pad.reading.feature_maps[pad.layer_menu.value][2]
    row, col = pad.row_slider.value, pad.col_slider.value
    assert pad.channel_slider.value == int(maps[:, row, col].argmax())
    assert maps[pad.channel_slider.value, row, col] > 0
    chosen = (pad.channel_slider.value + 1) % (pad.channel_slider.max + 1)
    pad.channel_slider.value = chosen                 # the student's choice now stays
    pad.add_stroke(SEVEN_BAR)
    assert pad.channel_slider.value == chosen
