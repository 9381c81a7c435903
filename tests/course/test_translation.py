"""Tests for cnn_core.course.pooling.translation."""
import numpy as np
import pytest

from cnn_core.course.pooling.translation import relative_change, shift_images


def test_shift_moves_content_and_fills_with_zeros():
    x = np.arange(1, 10, dtype=np.float32).reshape(1, 1, 3, 3)
    right = shift_images(x, cols=1)
    np.testing.assert_array_equal(right[0, 0], [[0, 1, 2], [0, 4, 5], [0, 7, 8]])
    up_left = shift_images(x, rows=-1, cols=-2)
    np.testing.assert_array_equal(up_left[0, 0], [[6, 0, 0], [9, 0, 0], [0, 0, 0]])
    assert right.dtype == np.float32 and right.shape == x.shape
    np.testing.assert_array_equal(shift_images(x), x)
    assert shift_images(x) is not x


def test_shift_there_and_back_loses_only_the_border():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 5, 6))
    back = shift_images(shift_images(x, rows=2, cols=-1), rows=-2, cols=1)
    np.testing.assert_array_equal(back[..., :3, 1:], x[..., :3, 1:])
    assert np.all(back[..., 3:, :] == 0) and np.all(back[..., :, :1] == 0)


@pytest.mark.parametrize("kwargs, word", [(dict(rows=3), "rows"), (dict(cols=-4), "cols"),
                                          (dict(rows=1.5), "rows")])
def test_shift_rejects_shifts_as_large_as_the_image(kwargs, word):
    with pytest.raises(ValueError, match=word):
        shift_images(np.zeros((1, 1, 3, 4)), **kwargs)
    with pytest.raises(ValueError, match="x must"):
        shift_images(np.zeros((3, 4)))


def test_relative_change_hand_worked():
    reference = np.array([[3.0, 4.0]])                       # size 5
    assert relative_change(reference, reference) == 0
    assert relative_change(reference, np.array([[3.0, 9.0]])) == pytest.approx(1.0)
    assert relative_change(reference, np.zeros((1, 2))) == pytest.approx(1.0)
    assert relative_change(reference, np.array([[0.0, 4.0]])) == pytest.approx(0.6)


def test_relative_change_rejects_mismatched_or_zero_reference():
    with pytest.raises(ValueError, match="shape"):
        relative_change(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="reference"):
        relative_change(np.zeros(3), np.ones(3))
