"""Tests for cnn_core.course.draw.preprocess: MNIST's crop / 20x20 box / centre of mass, on
strokes whose answers are known by construction."""
import numpy as np
import pytest

from cnn_core.course.draw.preprocess import (
    BOX,
    FIELD,
    area_matrix,
    center_of_mass,
    ink_box,
    place_centered,
    preprocess,
    rasterize_strokes,
    scale_into_box,
)

CENTRE = (FIELD - 1) / 2


def test_rasterize_a_dot_is_a_disc_of_the_pen_width():
    ink = rasterize_strokes([[(50.0, 40.0)]], 100, 100, pen_width=10)
    rows, cols = np.nonzero(ink >= 0.5)
    assert rows.min() == 35 and rows.max() == 44 and cols.min() == 45 and cols.max() == 54
    assert ink[40, 50] == 1 and ink[0, 0] == 0
    assert center_of_mass(ink) == pytest.approx((39.5, 49.5), abs=0.05)


def test_rasterize_a_horizontal_line_covers_it_and_its_round_caps():
    ink = rasterize_strokes([[(20, 50), (80, 50)]], 100, 100, pen_width=6)
    assert np.all(ink[49, 20:80] == 1)
    top, left, bottom, right = ink_box(ink)
    # 6 rows (the pen width) tall; 60 + 2 caps of radius 3 = 66 columns long
    assert (top, bottom) == (47, 52) and (left, right) == (17, 82)


def test_area_matrix_rows_average_and_preserve_mass():
    m = area_matrix(7, 3)
    assert m.shape == (3, 7)
    np.testing.assert_allclose(m.sum(axis=1), 1)
    # output pixel 0 covers input [0, 7/3): pixels 0 and 1 fully, a third of pixel 2
    np.testing.assert_allclose(m[0, :3] * 7 / 3, [1, 1, 1 / 3])
    line = np.arange(7.0)
    assert (m @ line).mean() == pytest.approx(line.mean())


@pytest.mark.parametrize("shape", [(200, 40), (40, 200), (100, 100), (5, 3)])
def test_scale_into_box_keeps_the_aspect_ratio(shape):
    scaled = scale_into_box(np.ones(shape))
    h, w = shape
    assert max(scaled.shape) == BOX
    assert min(scaled.shape) == max(1, round(BOX * min(h, w) / max(h, w)))
    assert scaled.max() == 1


def test_tall_thin_stroke_becomes_a_tall_thin_digit():
    steps = preprocess(rasterize_strokes([[(140, 30), (140, 250)]], 280, 280, pen_width=20))
    h, w = steps.scaled.shape
    assert h == BOX and w <= 3             # 240 x 20 pixels of ink -> 20 x 2
    assert steps.digit.shape == (FIELD, FIELD)


@pytest.mark.parametrize("strokes", [
    [[(140, 30), (140, 250)]],                                      # a "1"
    [[(60, 50), (220, 50), (120, 250)]],                            # a "7", heavy at the top
    [[(30, 200), (250, 200)], [(240, 20), (240, 260)]],             # ink off to the side
])
def test_center_of_mass_lands_within_half_a_pixel_of_the_centre(strokes):
    steps = preprocess(rasterize_strokes(strokes, 280, 280, pen_width=20))
    row, col = steps.center_of_mass
    assert abs(row - CENTRE) <= 0.5 and abs(col - CENTRE) <= 0.5
    # nothing was cut off: all the scaled ink is in the 28x28 field
    assert steps.digit.sum() == pytest.approx(steps.scaled.sum())


def test_position_on_the_canvas_does_not_matter():
    stroke = [(40, 30), (90, 120), (60, 110)]
    moved = [(x + 150, y + 130) for x, y in stroke]
    a = preprocess(rasterize_strokes([stroke], 280, 280, 20)).digit
    b = preprocess(rasterize_strokes([moved], 280, 280, 20)).digit
    np.testing.assert_allclose(a, b, atol=1e-12)


def test_place_centered_cuts_what_falls_outside():
    scaled = np.zeros((20, 20))
    scaled[0, :] = 1                        # all ink in the top row: the centre of mass is row 0
    digit, (top, left) = place_centered(scaled)
    assert top == 14 and digit.sum() == 20  # moved down by 14 (13.5 rounded up), all kept
    assert center_of_mass(digit)[0] == 14


@pytest.mark.parametrize("pixels, word", [
    (np.zeros((10, 10)), "no ink"),
    (np.full((3, 3), 2.0), "[0, 1]"),
    (np.full((3, 3), np.nan), "finite"),
    (np.ones((2, 3, 3)), "2-D"),
    ([[0, 1]], "2-D"),
])
def test_bad_canvas_is_refused_with_a_message(pixels, word):
    with pytest.raises(ValueError, match="pixels") as info:
        preprocess(pixels)
    assert word in str(info.value)


@pytest.mark.parametrize("strokes, error, word", [
    ("a stroke", TypeError, "strokes"),
    ([[(1, 2), (3,)]], ValueError, r"strokes\[0\]"),
    ([[]], ValueError, r"strokes\[0\]"),
    ([[(1, np.inf)]], ValueError, "finite"),
])
def test_bad_strokes_are_refused(strokes, error, word):
    with pytest.raises(error, match=word):
        rasterize_strokes(strokes, 10, 10, 2)


@pytest.mark.parametrize("pen_width", [0, -1, 50, "thick", True])
def test_bad_pen_width(pen_width):
    with pytest.raises(ValueError, match="pen_width"):
        rasterize_strokes([[(1, 1)]], 10, 10, pen_width)
