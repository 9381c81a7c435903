"""Many short labels drawn as one collection of glyph outlines, instead of one Text each.

A grid of numbers written with separate ``Text`` artists spends most of a redraw on text
layout (about 0.4 ms per label); one :class:`~matplotlib.collections.PathCollection` of glyph
outlines draws a hundred labels in a few milliseconds.  The glyphs are sized in points, so they
scale with the figure's dpi like text does; each label is placed by its outline's bounding box.
"""
from matplotlib.collections import PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

_ANCHOR = {"left": 0.0, "center": 0.5, "right": 1.0, "bottom": 0.0, "top": 1.0}


def glyph_labels(ax, labels, fontsize, ha="center", va="center", weight="normal",
                 color="black", zorder=4):
    """Write ``labels``, a list of (x, y, text) in data coordinates, as one collection.

    ``ha`` ("left", "center", "right") and ``va`` ("bottom", "center", "top") say which point
    of each label's outline sits at (x, y).  Empty texts are skipped.  Returns a list holding
    the collection (empty when there is nothing to write).
    """
    labels = [(x, y, text) for x, y, text in labels if text]
    if not labels:
        return []
    prop = FontProperties(family="DejaVu Sans", size=fontsize, weight=weight)
    fx, fy = _ANCHOR[ha], _ANCHOR[va]
    shapes = {}
    for text in {text for _, _, text in labels}:
        path = TextPath((0, 0), text, prop=prop)
        (x_lo, y_lo), (x_hi, y_hi) = path.vertices.min(axis=0), path.vertices.max(axis=0)
        anchor = (x_lo + fx * (x_hi - x_lo), y_lo + fy * (y_hi - y_lo))
        shapes[text] = Path(path.vertices - anchor, path.codes)
    points_to_pixels = Affine2D().scale(1 / 72) + ax.figure.dpi_scale_trans
    collection = PathCollection([shapes[text] for _, _, text in labels],
                                offsets=[(x, y) for x, y, _ in labels],
                                offset_transform=ax.transData, transform=points_to_pixels,
                                facecolors=color, edgecolors="none", zorder=zorder)
    ax.add_collection(collection, autolim=False)
    return [collection]
