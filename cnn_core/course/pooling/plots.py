"""Pooling diagrams: the input grid with its windows, the output grid, and who won.

Every output cell gets its own colour.  On the input, each window is outlined in its output
cell's colour (slightly inset, so overlapping windows stay visible); for max pooling a dot of
that colour marks the input cell that won the window (a cell that wins several overlapping
windows gets several dots).  Rows/columns that no window reaches are hatched.
"""
import numpy as np
from matplotlib.collections import PatchCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Circle, Rectangle

from cnn_core.course.common.glyph_plots import glyph_labels
from cnn_core.course.common.plots import CATEGORY_COLORS
from cnn_core.course.pooling.windows import MODES, window_winners

# The colour-blind-safe CATEGORY_COLORS, reordered so that in a 3-wide output no two
# neighbouring (overlapping) windows get the similar pairs blue/sky blue or orange/vermillion.
_PALETTE = tuple(CATEGORY_COLORS[i] for i in (0, 1, 4, 3, 7, 2, 5, 6))


def _colour(i, j, w_out):
    return _PALETTE[(i * w_out + j) % len(_PALETTE)]


def _draw_grid(ax, values, fmt, fill=None, bold=()):
    """Cells with their values written in; ``fill`` maps (r, c) -> face colour; the cells in
    ``bold`` get bold numbers.  The cells are one collection, the numbers glyph collections
    (:func:`glyph_labels`: a 12x12 grid's 170 Text artists took 60 ms to draw, an 8x8
    output's 64 took 50 ms at the explorer's resolution): first the normal-weight numbers in
    row-major order, then the bold ones, then the row numbers, then the column numbers."""
    h, w = values.shape
    fill = fill or {}
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    cells = corners[None] + np.array([(c, r) for r, c in np.ndindex(h, w)], dtype=float)[:, None]
    faces = [to_rgba(fill[rc], 0.45) if rc in fill else (1, 1, 1, 1) for rc in np.ndindex(h, w)]
    ax.add_collection(PolyCollection(cells, facecolors=faces, edgecolors="0.55",
                                     linewidths=0.8), autolim=False)
    size = number_size(values.shape)
    numbers = [(c + 0.5, r + 0.45, fmt.format(value), (r, c) in bold)
               for (r, c), value in np.ndenumerate(values)]
    rows = [(-0.15, i + 0.5, str(i)) for i in range(h)]   # cheaper than ticks
    columns = [(j + 0.5, h + 0.15, str(j)) for j in range(w)]
    for weight in ("normal", "bold"):
        glyph_labels(ax, [(x, y, t) for x, y, t, b in numbers if b == (weight == "bold")],
                     size, weight=weight)
    glyph_labels(ax, rows, 10, ha="right", color="0.4")
    glyph_labels(ax, columns, 10, va="top", color="0.4")
    ax.set_xlim(-0.5, w + 0.1)
    ax.set_ylim(h + 0.5, -0.1)                     # row 0 at the top, like an image
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def number_size(shape):
    """Font size (points) of the numbers written in a grid of ``shape`` (H, W)."""
    return 11 if max(shape) <= 8 else 8


def _hatch_unreached(ax, shape, reach):
    """Hatch the input rows/columns beyond ``reach`` = (rows, cols) that windows cover."""
    (h, w), (rh, rw) = shape, reach
    for x, y, width, height in ((0, rh, w, h - rh), (rw, 0, w - rw, rh)):
        if width > 0 and height > 0:
            ax.add_artist(Rectangle((x, y), width, height, facecolor="none", edgecolor="0.5",
                                   hatch="///", linewidth=0))


def plot_pooling(axes, x, out, kernel_size, stride, mode="max", selected=(0, 0), fmt="{:.1f}"):
    """Draw a pooling step on two axes: input with windows (left), output (right).

    Parameters
    ----------
    axes : two matplotlib Axes
    x : ndarray (H, W), the input (one channel)
    out : ndarray (H_out, W_out), the pooled result computed by the engine
    kernel_size, stride : int, the window size and the step between windows
    mode : "max" or "average"
    selected : (row, col) of the output cell whose window is drawn bold and explained in
        the output's x-label
    fmt : format of the numbers written in the cells

    Returns the list of window Rectangles (row-major, one per output cell).
    """
    x, out = np.asarray(x), np.asarray(out)
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    h_out, w_out = out.shape
    expected = ((x.shape[0] - kernel_size) // stride + 1, (x.shape[1] - kernel_size) // stride + 1)
    if out.shape != expected:
        raise ValueError(f"out must have shape {expected} for x {x.shape}, window size "
                         f"{kernel_size}, stride {stride}; got {out.shape}")
    si, sj = selected
    if not (0 <= si < h_out and 0 <= sj < w_out):
        raise ValueError(f"selected must be an output cell inside {h_out}x{w_out}, got {selected}")
    ax_in, ax_out = np.ravel(axes)
    winners = window_winners(x, kernel_size, stride) if mode == "max" else None
    won = set() if winners is None else {tuple(int(v) for v in rc) for rc in winners.reshape(-1, 2)}
    _draw_grid(ax_in, x, fmt, bold=won)
    _hatch_unreached(ax_in, x.shape, ((h_out - 1) * stride + kernel_size,
                                      (w_out - 1) * stride + kernel_size))
    windows = _draw_windows(ax_in, h_out, w_out, kernel_size, stride, selected)
    if winners is not None:
        _draw_winners(ax_in, winners, w_out)
    ax_in.set_title(f"input {x.shape[0]}x{x.shape[1]}: window size {kernel_size}, "
                    f"stride {stride}", fontsize=11)
    fill = {(i, j): _colour(i, j, w_out) for i in range(h_out) for j in range(w_out)}
    _draw_grid(ax_out, out, fmt, fill)
    ax_out.add_artist(Rectangle((sj, si), 1, 1, facecolor="none", edgecolor="black",
                               linewidth=3))
    ax_out.set_title(f"{mode} pooling output {h_out}x{w_out}", fontsize=11)
    ax_out.set_xlabel(_explain(x, out, kernel_size, stride, mode, selected), fontsize=10)
    return windows


def _draw_windows(ax, h_out, w_out, k, s, selected):
    """Outline every window in its colour; the selected one bold and lightly filled.
    Returns the window Rectangles (drawn together as one collection)."""
    windows = []
    crowded = h_out * w_out > 9
    for i in range(h_out):
        for j in range(w_out):
            inset = 0.06 + 0.07 * ((i % 2) + 2 * (j % 2))     # neighbours get different insets
            bold = (i, j) == tuple(selected)
            colour = to_rgba(_colour(i, j, w_out), 1.0 if bold or not crowded else 0.6)
            windows.append(Rectangle((j * s + inset, i * s + inset), k - 2 * inset,
                                     k - 2 * inset, facecolor="none", edgecolor=colour,
                                     linewidth=3.5 if bold else 1.5))
            if bold:
                ax.add_artist(Rectangle((j * s, i * s), k, k, facecolor=colour, alpha=0.15,
                                        edgecolor="none", zorder=1))
    order = sorted(range(len(windows)), key=lambda n: windows[n].get_linewidth())  # bold last
    ax.add_collection(PatchCollection([windows[n] for n in order], match_original=True,
                                      zorder=2, label="windows"), autolim=False)
    return windows


def _draw_winners(ax, winners, w_out):
    """One dot per won window, in the window's colour, below the winning cell's number.
    Returns the collection of dots."""
    wins = {}
    for (i, j), (r, c) in zip(np.ndindex(winners.shape[:2]), winners.reshape(-1, 2)):
        wins.setdefault((int(r), int(c)), []).append(_colour(i, j, w_out))
    dots, colours = [], []
    for (r, c), cell_colours in wins.items():
        for n, colour in enumerate(cell_colours):
            row_of_dots = min(len(cell_colours) - 4 * (n // 4), 4)
            dots.append(Circle((c + 0.5 + 0.21 * (n % 4 - (row_of_dots - 1) / 2),
                                r + 0.8 - 0.2 * (n // 4)), 0.1))
            colours.append(colour)
    return ax.add_collection(PatchCollection(dots, facecolors=colours, edgecolors="black",
                                             linewidths=0.5, zorder=4, label="winners"),
                             autolim=False)


def _explain(x, out, k, s, mode, selected):
    """One line saying how the selected output value came about."""
    i, j = selected
    value = out[i, j]
    if mode == "max":
        r, c = window_winners(x, k, s)[i, j]
        return (f"output ({i}, {j}) = max of its {k}x{k} window\n"
                f"= {value:.2f}, the value at input ({r}, {c})")
    return f"output ({i}, {j}) = average of the {k * k} values\nin its {k}x{k} window = {value:.2f}"
