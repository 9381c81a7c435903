"""Many short labels drawn as one collection of glyph outlines, instead of one Text each.

A grid of numbers written with separate ``Text`` artists spends most of a redraw on text
layout (about 0.4 ms per label, 1 ms at the explorers' 2x resolution); one
:class:`~matplotlib.collections.PathCollection` of glyph outlines draws a hundred labels in a
few milliseconds.  The glyphs are sized in points, so they scale with the figure's dpi like
text does; each label is placed by its outline's bounding box.
"""
import functools

from matplotlib.collections import PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

_ANCHOR = {"left": 0.0, "center": 0.5, "right": 1.0, "bottom": 0.0, "top": 1.0}


@functools.lru_cache(maxsize=1024)
def glyph_outline(text, fontsize, ha="center", va="center", weight="normal"):
    """The outline of ``text`` in points, shifted so that the point of its bounding box named by
    ``ha`` and ``va`` sits at (0, 0): the path :func:`glyph_labels` draws for one label.

    Kept once per (text, size, anchor, weight): an explorer writes the same few numbers on every
    redraw, and outlining one costs about 0.3 ms.  The path is read-only, so sharing is safe.
    """
    path = TextPath((0, 0), text, prop=FontProperties(family="DejaVu Sans", size=fontsize,
                                                       weight=weight))
    (x_lo, y_lo), (x_hi, y_hi) = path.vertices.min(axis=0), path.vertices.max(axis=0)
    anchor = (x_lo + _ANCHOR[ha] * (x_hi - x_lo), y_lo + _ANCHOR[va] * (y_hi - y_lo))
    return Path(path.vertices - anchor, path.codes, readonly=True)


def glyph_labels(ax, labels, fontsize, ha="center", va="center", weight="normal",
                 color="black", zorder=4):
    """Write ``labels``, a list of (x, y, text) in data coordinates, as one collection.

    ``ha`` ("left", "center", "right") and ``va`` ("bottom", "center", "top") say which point
    of each label's outline sits at (x, y).  Empty texts are skipped.  Returns a list holding
    the collection (empty when there is nothing to write); its paths are the labels' outlines
    (:func:`glyph_outline`), in the order given.
    """
    labels = [(x, y, text) for x, y, text in labels if text]
    if not labels:
        return []
    points_to_pixels = Affine2D().scale(1 / 72) + ax.figure.dpi_scale_trans
    collection = PathCollection([glyph_outline(text, fontsize, ha, va, weight)
                                 for _, _, text in labels],
                                offsets=[(x, y) for x, y, _ in labels],
                                offset_transform=ax.transData, transform=points_to_pixels,
                                facecolors=color, edgecolors="none", zorder=zorder)
    ax.add_collection(collection, autolim=False)
    return [collection]
