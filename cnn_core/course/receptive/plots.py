"""Receptive fields drawn: a unit's box on an image, its effective field as a heat map, and how
the field grows layer by layer.  Pure ``plot_*(ax, ...)`` functions (matplotlib only).

Pixel (row, col) of an image is drawn as the unit square centred on (col, row), so a box
(top, left, bottom, right) of inclusive pixel indices covers ``[left - 0.5, right + 0.5]``
horizontally.  Indices below 0 or beyond the image lie on the zero padding.
"""
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from cnn_core.course.common.plots import CATEGORY_COLORS

PADDING_COLOR = "#d9d9d9"
BOX_COLOR = "#e8112d"


def _box_patch(box, **style):
    top, left, bottom, right = box
    return Rectangle((left - 0.5, top - 0.5), right - left + 1, bottom - top + 1, **style)


def _window_start(start, side, span, low, high):
    """First index of a ``span``-pixel window centred on [start, start + side), moved (not
    shrunk) so that it stays inside [low, high) when it can."""
    first = start - (span - side) // 2
    return max(low, min(first, high - span)) if span <= high - low else low


def _add_zoom(ax, image, box, margin):
    """An inset magnifying a small box, in the corner of ``ax`` farthest from it."""
    top, left, bottom, right = box
    height, width = image.shape[:2]
    side = bottom - top + 1
    x0 = 0.02 if (left + right) / 2 > width / 2 else 0.6
    y0 = 0.6 if (top + bottom) / 2 > height / 2 else 0.02
    inset = ax.inset_axes([x0, y0, 0.38, 0.38])
    plot_receptive_field_box(inset, image, box, margin=margin, zoom=False)
    span = 5 * side + 4                         # the box and 2 box-widths (+2) around it
    first_row = _window_start(top, side, span, -margin, height + margin)
    first_col = _window_start(left, side, span, -margin, width + margin)
    inset.set_xlim(first_col - 0.5, first_col + span - 0.5)
    inset.set_ylim(first_row + span - 0.5, first_row - 0.5)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    for spine in inset.spines.values():
        spine.set_edgecolor(BOX_COLOR)
    return inset, ax.indicate_inset_zoom(inset, edgecolor=BOX_COLOR)


def plot_receptive_field_box(ax, image, box, margin=None, title=None, center=None, zoom=True):
    """Show ``image`` (H, W) or (H, W, 3) inside a grey frame of zero padding, with ``box``.

    Parameters
    ----------
    box : (top, left, bottom, right)
        Inclusive input pixels of the receptive field; may extend past the image.
    margin : int or None
        Width of the padded frame drawn around the image; None makes it just wide enough for
        the box (at least 1 pixel), so the part of the box on the padding is visible.
    center : (row, col) or None
        Marks the centre of the receptive field with a cross.
    zoom : bool
        If the box is tiny next to the picture (side < 1/12 of the image), add a magnified
        inset around it so its pixels can be seen.

    Returns
    -------
    dict of artists: "image", "padding", "box" (and "center", and "zoom" for the inset axes
    with "zoom_indicator" for its outline on ``ax``).  :func:`move_receptive_field_box` moves
    them to another box of the same size.
    """
    image = np.asarray(image)
    height, width = image.shape[:2]
    top, left, bottom, right = box
    if margin is None:
        margin = max(1, -top, -left, bottom - height + 1, right - width + 1)
    extent = (-0.5, width - 0.5, height - 0.5, -0.5)
    artists = {"padding": ax.add_patch(Rectangle(
        (-margin - 0.5, -margin - 0.5), width + 2 * margin, height + 2 * margin,
        facecolor=PADDING_COLOR, edgecolor="#8c8c8c", hatch="//", linewidth=0, zorder=0))}
    gray = image.ndim == 2
    artists["image"] = ax.imshow(image, cmap="gray" if gray else None, extent=extent,
                                 interpolation="nearest", zorder=1,
                                 vmin=0 if gray else None, vmax=1 if gray else None)
    ax.add_patch(_box_patch((0, 0, height - 1, width - 1), fill=False, edgecolor="black",
                            linewidth=0.8, zorder=2))
    artists["box"] = ax.add_patch(_box_patch(box, facecolor=to_rgba(BOX_COLOR, 0.18),
                                             edgecolor=BOX_COLOR, linewidth=2, zorder=3))
    if center is not None:
        artists["center"], = ax.plot(center[1], center[0], "+", color=BOX_COLOR,
                                     markersize=12, markeredgewidth=2, zorder=5)
    ax.set_xlim(-margin - 0.5, width + margin - 0.5)
    ax.set_ylim(height + margin - 0.5, -margin - 0.5)
    ax.set_aspect("equal")
    if zoom and 12 * (bottom - top + 1) < max(height, width):
        artists["zoom"], artists["zoom_indicator"] = _add_zoom(ax, image, box, margin)
    ax.set_xlabel("input column (grey hatching: zero padding)")
    ax.set_ylabel("input row")
    if title is not None:
        ax.set_title(title)
    return artists


def move_receptive_field_box(ax, artists, image, box, margin, title=None, center=None):
    """Move a picture drawn by :func:`plot_receptive_field_box` (its ``artists``, same
    ``image`` and ``margin``) to another ``box`` of the same size, as if drawn anew: the box,
    the centre cross, the title and the zoom inset (placed and cropped again).

    Redrawing only these is what keeps a slider move fast: a new figure costs its axes,
    ticks and image again.
    """
    top, left, bottom, right = box
    artists["box"].set_bounds(left - 0.5, top - 0.5, right - left + 1, bottom - top + 1)
    if center is not None:
        artists["center"].set_data([center[1]], [center[0]])
    if "zoom" in artists:
        artists.pop("zoom_indicator").remove()
        artists.pop("zoom").remove()
        artists["zoom"], artists["zoom_indicator"] = _add_zoom(ax, image, box, margin)
    if title is not None:
        ax.set_title(title)
    return artists


def move_unit(ax, artist, unit, title):
    """Move the unit of a grid drawn by :func:`plot_unit_grid` (its AxesImage ``artist``)."""
    grid = np.zeros(artist.get_array().shape)
    grid[unit] = 1.0
    artist.set_data(grid)
    for marker in ax.lines:                            # the large map's square
        marker.set_data([unit[1]], [unit[0]])
    ax.set_title(title)
    return artist


def plot_unit_grid(ax, out_size, unit, title=None):
    """A feature map of ``out_size`` (H_out, W_out) cells with ``unit`` (row, col) filled in.

    Grid lines are drawn when the map is at most 32 cells wide.  Returns the AxesImage.
    """
    rows, cols = out_size
    grid = np.zeros((rows, cols))
    grid[unit] = 1.0
    artist = ax.imshow(grid, cmap="Reds", vmin=0, vmax=1.25, interpolation="nearest")
    if max(rows, cols) <= 32:     # one collection: minor ticks as grid took 40 ms for 28x28
        lines = ([[(x, -0.5), (x, rows - 0.5)] for x in np.arange(-0.5, cols, 1)]
                 + [[(-0.5, y), (cols - 0.5, y)] for y in np.arange(-0.5, rows, 1)])
        ax.add_collection(LineCollection(lines, colors="#999999", linewidths=0.6, zorder=1.5),
                          autolim=False)
    else:
        ax.plot(unit[1], unit[0], "s", markersize=8, markerfacecolor="none",
                markeredgecolor=BOX_COLOR, markeredgewidth=2)
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title(title or f"feature map {rows}x{cols}, unit ({unit[0]}, {unit[1]})")
    return artist


def plot_effective_receptive_field(ax, erf, box, title=None, margin=2, colorbar=True,
                                   cmap="magma"):
    """Heat map of an effective receptive field (H, W), with the theoretical ``box`` outlined.

    The view is cropped to the box plus ``margin`` pixels (and to the image).  Values are
    scaled so the strongest pixel is 1.  Returns the AxesImage.
    """
    erf = np.asarray(erf, dtype=np.float64)
    peak = erf.max()
    shown = erf / peak if peak > 0 else erf
    artist = ax.imshow(shown, cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    ax.add_patch(_box_patch(box, fill=False, edgecolor="#27c4f5", linewidth=2,
                            linestyle="--"))
    top, left, bottom, right = box
    height, width = erf.shape
    ax.set_xlim(max(left - margin, 0) - 0.5, min(right + margin, width - 1) + 0.5)
    ax.set_ylim(min(bottom + margin, height - 1) + 0.5, max(top - margin, 0) - 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("input column")
    ax.set_ylabel("input row")
    if title is not None:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(artist, ax=ax, fraction=0.046, pad=0.04,
                           label="|gradient| / max")
    return artist


def plot_receptive_field_growth(ax, fields, names, title=None):
    """Size, effective stride (jump) and effective padding after each layer, on a log scale.

    ``fields`` is a list of ReceptiveField (e.g. from ``arithmetic.receptive_fields``), one per
    name.  The last values are written next to the lines.  Returns the list of Line2D.
    """
    if len(fields) != len(names):
        raise ValueError(f"fields and names must have the same length, got {len(fields)} "
                         f"and {len(names)}")
    x = np.arange(len(fields))
    series = (("size r", [f.size for f in fields], "o-", CATEGORY_COLORS[0]),
              ("effective stride S (jump)", [f.stride for f in fields], "s--", CATEGORY_COLORS[2]),
              ("effective padding P", [f.padding for f in fields], "^:", CATEGORY_COLORS[1]))
    lines = []
    for label, values, style, color in series:
        positive = np.array(values, dtype=float)
        positive[positive <= 0] = np.nan          # log scale: padding 0 is simply not drawn
        lines += ax.plot(x, positive, style, color=color, label=label)
        ax.annotate(f"{values[-1]}", (x[-1], values[-1]), xytext=(6, 0),
                    textcoords="offset points", va="center", color=color, fontweight="bold")
    ax.set_yscale("log", base=2)
    ax.set_xticks(x)
    ax.set_xticklabels(names, rotation=60, ha="right")
    ax.set_ylabel("input pixels (log scale)")
    ax.set_xlim(-0.5, len(fields) - 0.2)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    if title is not None:
        ax.set_title(title)
    return lines
