"""Tests for cnn_core.course.common.glyph_plots (Agg backend, no display)."""
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath

from cnn_core.course.common.glyph_plots import glyph_labels, glyph_outline


@pytest.mark.parametrize("ha, va, fx, fy", [("center", "center", 0.5, 0.5),
                                            ("left", "bottom", 0.0, 0.0),
                                            ("right", "top", 1.0, 1.0)])
def test_outline_is_the_text_shifted_to_its_anchor(ha, va, fx, fy):
    outline = glyph_outline("3.5", 11, ha, va)
    text = TextPath((0, 0), "3.5", prop=FontProperties(family="DejaVu Sans", size=11))
    lo, hi = outline.vertices.min(axis=0), outline.vertices.max(axis=0)
    assert np.allclose(lo + (fx, fy) * (hi - lo), 0)
    assert np.allclose(outline.vertices - lo, text.vertices - text.vertices.min(axis=0))
    assert np.array_equal(outline.codes, text.codes)


def test_outlines_differ_between_texts_sizes_and_weights_and_are_shared_read_only():
    three = glyph_outline("3.5", 11)
    assert glyph_outline("3.5", 11) is three
    for other in (glyph_outline("3.6", 11), glyph_outline("3.5", 8),
                  glyph_outline("3.5", 11, weight="bold")):
        assert other.vertices.shape != three.vertices.shape or \
            not np.allclose(other.vertices, three.vertices)
    with pytest.raises(AttributeError):
        three.vertices = three.vertices * 2


def test_labels_are_one_collection_in_the_given_order_without_empty_texts():
    ax = Figure().add_subplot()
    [collection] = glyph_labels(ax, [(1, 2, "7"), (3, 4, ""), (5, 6, "12")], 10, ha="left")
    assert np.allclose(collection.get_offsets(), [(1, 2), (5, 6)])
    for path, text in zip(collection.get_paths(), ("7", "12"), strict=True):
        assert np.array_equal(path.vertices, glyph_outline(text, 10, "left").vertices)
    assert glyph_labels(ax, [(0, 0, "")], 10) == []
    assert list(ax.collections) == [collection]
