"""Convolution diagrams: a kernel sliding over a padded input, and convolution as a matrix.

Three pictures, each a pure ``plot_*(ax, ...)`` function:

- :func:`plot_conv_frame` - one frame of a direct convolution (from
  :func:`cnn_core.course.convolution.frames.conv_frame`): the kernel, the padded input with the
  kernel's taps, rows and columns that no tap ever reads (hatched), the output filled in up to the
  current cell, and that cell's sum written out;
- :func:`plot_transposed_frame` - the same for a transposed convolution: the input spread out
  with zeros inserted, its zero border (or cropped rows), the output;
- :func:`plot_conv_matrix` - the sparse matrix C of a convolution, with named weights.

Every grid cell is one unit of data coordinates, row 0 at the top.  Font sizes follow the
drawn cell size, so a diagram stays readable in any axes; :func:`frame_figsize` gives a figure
size at which one cell is about half an inch and the text is 12 pt (700-900 px wide at 100 dpi
for the usual settings, at most 10 inches).
"""
import textwrap

import numpy as np
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path

from cnn_core.course.common.glyph_plots import glyph_labels
from cnn_core.course.convolution.explain import format_number, sum_lines
from cnn_core.course.convolution.frames import ConvFrame

INPUT, PADDING, INSERTED, KERNEL = "#9ecae1", "#e6e6e6", "#ffffff", "#fdd0a2"
# "output so far" is a light reddish purple, not green: orange against green is the pair that
# red-green colour-blind readers confuse (the current cell is orange).
TAP, WINDOW, DONE, CURRENT, NEVER = "#fdae6b", "#a63603", "#e5bcd3", "#fd8d3c", "#636363"
CELL_INCHES, MAX_WIDTH_INCHES, GAP = 0.48, 10.0, 1.4
TITLE_CELLS, TITLE_CHAR, LEGEND_ROW_INCHES, LINE = 1.6, 0.27, 0.3, 1.2
LEGEND_COLUMN_INCHES = 1.9


# ------------------------------------------------------------------------ layout and cells
def _titles(frame):
    """Two-line titles of the three grids: kernel, input, output."""
    i = frame.input_size
    o = "none" if frame.output is None else f"{frame.output_size}\u00d7{frame.output_size}"
    if isinstance(frame, ConvFrame):
        p, size = frame.padding, frame.padded_size
        second = f"padded to {size}\u00d7{size}" if p else "no padding"
        kernel = f"{frame.kernel_size}\u00d7{frame.kernel_size}"
        return f"kernel\n{kernel}", f"input {i}\u00d7{i}\n{second}", f"output\n{o}"
    size = frame.grid_size
    return ("kernel\nrotated 180\u00b0", f"input {i}\u00d7{i}\nspread to {size}\u00d7{size}",
            f"output\n{o}")


def _content(frame):
    """Grid sizes (kernel, input, output), column widths and the number of text lines below."""
    direct = isinstance(frame, ConvFrame)
    big = frame.padded_size if direct else frame.grid_size
    if frame.output is None:
        sizes = [frame.kernel_size, max(big, frame.effective_kernel if direct else 0), 0]
        n_lines = 3
    else:
        sizes = [frame.kernel_size, big, frame.output_size]
        n_lines = frame.kernel_size + 1
    widths = [max(size, TITLE_CHAR * max(len(line) for line in title.split("\n")))
              for size, title in zip(sizes, _titles(frame))]
    return sizes, widths, n_lines


def _offsets(widths):
    """x offsets of the three columns and the total width, in cells."""
    xs = list(np.cumsum([0.0] + [w + GAP for w in widths[:-1]]))
    return xs, xs[-1] + widths[-1]


def _fit(ax, width_cells, grid_cells, n_text_lines):
    """Set limits/aspect so the content fits ``ax``; return the font size in points."""
    fig = ax.figure
    box = ax.get_position()
    w_pt = box.width * fig.get_figwidth() * 72
    h_pt = box.height * fig.get_figheight() * 72
    cell_pt = w_pt / (width_cells + 0.4)
    for _ in range(2):   # width-limited first; shrink once if the height does not fit
        fontsize = float(np.clip(0.4 * cell_pt, 8.0, 12.0))
        height = grid_cells + 0.6 + n_text_lines * LINE * fontsize / cell_pt
        cell_pt = min(cell_pt, h_pt / (height + TITLE_CELLS))
    ax.set_xlim(-0.2, width_cells + 0.2)
    ax.set_ylim(height, -TITLE_CELLS)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fontsize


def _legend_columns(width_inches, n_entries):
    return int(np.clip(width_inches // LEGEND_COLUMN_INCHES, 2, n_entries))


def _legend_rows(width_inches, n_entries=5):
    return -(-n_entries // _legend_columns(width_inches, n_entries))


def frame_figsize(frame):
    """A figure size (width, height) in inches showing the frame's diagram at ~0.48 in per cell."""
    sizes, widths, n_lines = _content(frame)
    width_cells = sum(widths) + GAP * (len(widths) - 1) + 0.4
    cell = min(CELL_INCHES, (MAX_WIDTH_INCHES - 0.2) / width_cells)
    fontsize = float(np.clip(0.4 * cell * 72, 8.0, 12.0))
    width = width_cells * cell + 0.2
    height = (TITLE_CELLS + max(sizes) + 0.6) * cell + n_lines * LINE * fontsize / 72
    return width, height + _legend_rows(width) * LEGEND_ROW_INCHES + 0.1


def frame_axes_rect(frame):
    """Axes rectangle [left, bottom, width, height] (figure fractions) for :func:`frame_figsize`,
    leaving room below for the legend."""
    width, height = frame_figsize(frame)
    bottom = (_legend_rows(width) * LEGEND_ROW_INCHES + 0.1) / height
    return [0.1 / width, bottom, 1 - 0.2 / width, 1 - bottom]


def _squares(x0, cells):
    """Vertices (n, 4, 2) of unit squares at (row, col) ``cells``, column offset ``x0``."""
    cells = np.asarray(cells, dtype=float).reshape(-1, 2)
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    return corners[None] + np.stack([x0 + cells[:, 1], cells[:, 0]], axis=1)[:, None]


def _cells(ax, x0, values, faces, fontsize, texts=None):
    """Draw a grid of cells at column offset ``x0`` (top at y = 0) with their labels.

    ``faces`` (R, C, 4) are the cell colours; ``texts`` (R, C) the labels (default: the values,
    formatted); an empty label draws nothing.
    """
    n_rows, n_cols = faces.shape[:2]
    grid = np.indices((n_rows, n_cols)).reshape(2, -1).T
    coll = PolyCollection(_squares(x0, grid), facecolors=faces.reshape(-1, 4),
                          edgecolors="#4d4d4d", linewidths=0.6)
    ax.add_collection(coll)
    if texts is None:
        texts = [[format_number(v) for v in row] for row in values]
    centres = [(x0 + c + 0.5, r + 0.5, texts[r][c]) for r, c in grid if texts[r][c]]
    return [coll] + glyph_labels(ax, centres, fontsize)


def _labels(values, mask):
    """Formatted values where ``mask`` is True, "" elsewhere (zeros we added stay blank)."""
    return [[format_number(v) if m else "" for v, m in zip(vr, mr)]
            for vr, mr in zip(values, mask)]


def _faces(shape, color):
    """An RGBA array of ``shape`` + (4,) filled with one colour."""
    return np.tile(np.array(to_rgba(color)), shape + (1,))


def _hatch(ax, x0, cells):
    """Hatch the given (row, col) cells at column offset x0 (never read, or cropped).

    The cells are one compound path: Agg sets up a hatch pattern once per path, so 105 cells
    hatched one square each took 49 ms to draw at the explorer's resolution, one path 3 ms.
    """
    if not cells:
        return []
    squares = _squares(x0, cells)
    vertices = np.concatenate([squares, squares[:, :1]], axis=1).reshape(-1, 2)
    codes = np.tile([Path.MOVETO] + [Path.LINETO] * 3 + [Path.CLOSEPOLY], len(squares))
    coll = PathCollection([Path(vertices, codes)], facecolor="none", edgecolor=NEVER,
                          hatch="///", linewidth=0)
    ax.add_collection(coll)
    return [coll]


def _title(ax, x, text, fontsize):
    return ax.text(x, -0.3, text, ha="left", va="bottom", fontsize=fontsize, fontweight="bold",
                   linespacing=1.1)


def _box(ax, x0, top, left, size, color, style="-"):
    rect = Rectangle((x0 + left, top), size, size, fill=False, edgecolor=color, linewidth=2.5,
                     linestyle=style, zorder=5)
    ax.add_patch(rect)
    return rect


def _taps(ax, x0, rows, cols):
    """Shade the cells the kernel reads now (their values stay written on top)."""
    cells = [(r, c) for r in rows for c in cols]
    coll = PolyCollection(_squares(x0, cells), facecolor=TAP, edgecolor="#4d4d4d",
                          linewidth=0.6, zorder=2)
    ax.add_collection(coll)
    return coll


def _legend(ax, entries, fontsize):
    handles = [Patch(facecolor=face, edgecolor="#4d4d4d", hatch=hatch, label=label)
               for label, face, hatch in entries]
    width = ax.get_position().width * ax.figure.get_figwidth()
    return ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.0),
                     ncol=_legend_columns(width, len(handles)), fontsize=min(fontsize, 11.0),
                     frameon=False, handlelength=1.4, columnspacing=1.0, borderaxespad=0.2)


def _output(ax, x0, frame, fontsize):
    """Output cells done so far (green), the current one (orange), the rest empty."""
    o = frame.output_size
    order = np.arange(o * o).reshape(o, o)
    faces = _faces((o, o), "white")
    faces[order < frame.step] = _faces((1,), DONE)[0]
    faces[frame.row, frame.col] = _faces((1,), CURRENT)[0]
    return _cells(ax, x0, frame.output, faces, fontsize,
                  texts=_labels(frame.output, order <= frame.step))


def _below(ax, y, frame, fontsize):
    """The current cell's sum (monospace, under the input), or the reason there is no output."""
    if frame.output is None:
        text = "\n".join(textwrap.wrap(frame.problem, 64))
        return ax.text(0.0, y, text, ha="left", va="top", fontsize=fontsize, color="firebrick",
                       linespacing=1.25)
    return ax.text(0.0, y, "\n".join(sum_lines(frame)), ha="left", va="top",
                   fontsize=fontsize, family="monospace", linespacing=1.25)


def _frame(ax, frame, grid, faces, texts, window, taps, never, entries):
    """Shared drawing of both frame kinds.

    ``window`` is (top, left, size) of the kernel's footprint (drawn dashed red when there is
    no output) or None; ``taps`` the (rows, cols) read now; ``never`` the cells to hatch.
    """
    sizes, widths, n_lines = _content(frame)
    (xk, xi, xo), width = _offsets(widths)
    fontsize = _fit(ax, width, max(sizes), n_lines)
    titles = _titles(frame)
    kernel = frame.kernel if isinstance(frame, ConvFrame) else frame.flipped_kernel
    artists = _cells(ax, xk, kernel, _faces(kernel.shape, KERNEL), fontsize)
    artists += _cells(ax, xi, grid, faces, fontsize, texts=texts)
    artists += [_title(ax, x, t, fontsize) for x, t in zip((xk, xi, xo), titles)]
    artists += _hatch(ax, xi, never)
    artists.append(_below(ax, max(sizes) + 0.6, frame, fontsize))
    if frame.output is None:
        if window is not None:
            artists.append(_box(ax, xi, *window, "firebrick", "--"))
        artists.append(ax.text(xo, 0.5, "no output", ha="left", va="center", color="firebrick",
                               fontsize=fontsize, fontweight="bold"))
        return artists
    artists.append(_box(ax, xi, *window, WINDOW))
    artists.append(_taps(ax, xi, *taps))
    artists += _output(ax, xo, frame, fontsize)
    entries = [entry for entry in entries if entry[2] is None or never]
    artists.append(_legend(ax, entries, fontsize))
    return artists


# ------------------------------------------------------------------------------- the plots
def plot_conv_frame(ax, frame):
    """Draw one frame of a direct convolution (a
    :class:`cnn_core.course.convolution.frames.ConvFrame`).

    Left to right: the kernel (KH, KW); the padded input (H + 2p, W + 2p) with padding cells in
    grey, the cells the kernel reads now shaded orange inside the window outline, and rows and
    columns that no tap ever reads hatched; the output (H_out, W_out) filled in up to the
    current cell, whose sum is written out below.  When the kernel does not fit, its footprint
    is drawn dashed in red over the input and the reason is written instead.
    Returns the list of artists.
    """
    i, p, P = frame.input_size, frame.padding, frame.padded_size
    inside = np.zeros((P, P), dtype=bool)
    inside[p:p + i, p:p + i] = True
    faces = _faces((P, P), PADDING)
    faces[inside] = _faces((1,), INPUT)[0]
    never, window, taps = [], (0, 0, frame.effective_kernel), None
    if frame.output is not None:
        never = [(r, c) for r in range(P) for c in range(P)
                 if not (frame.read[r] and frame.read[c])]
        taps = frame.taps
        window = (taps[0][0], taps[1][0], frame.effective_kernel)
    entries = [("input", INPUT, None), ("padding (zeros)", PADDING, None),
               ("read now", TAP, None), ("never read", "white", "///"),
               ("output so far", DONE, None)]
    return _frame(ax, frame, frame.padded, faces, _labels(frame.padded, inside), window, taps,
                  never, entries)


def plot_transposed_frame(ax, frame):
    """Draw one frame of a transposed convolution (a
    :class:`cnn_core.course.convolution.frames.TransposedFrame`).

    Left to right: the kernel rotated by 180 degrees; the transposed convolution's input spread
    out with s - 1 zeros between values (white), the output padding and the zero border (grey)
    or the cropped rows (hatched); the output with the current cell's sum below.
    Returns the list of artists.
    """
    G, k = frame.grid_size, frame.kernel_size
    is_input = np.zeros((G, G), dtype=bool)
    is_input[np.ix_(frame.input_positions, frame.input_positions)] = True
    lo = max(frame.border, 0)
    hi = lo + frame.spread_size - frame.output_padding
    faces = _faces((G, G), PADDING)
    faces[lo:hi, lo:hi] = _faces((1,), INSERTED)[0]
    faces[is_input] = _faces((1,), INPUT)[0]
    off, end = frame.offset, G - frame.offset
    cropped = [(r, c) for r in range(G) for c in range(G)
               if not (off <= r < end and off <= c < end)]
    window, taps = None, None
    if frame.output is not None:
        window = (off + frame.row, off + frame.col, k)
        taps = (range(window[0], window[0] + k), range(window[1], window[1] + k))
    entries = [("input", INPUT, None), ("inserted zeros", INSERTED, None),
               ("border zeros", PADDING, None), ("read now", TAP, None),
               ("cropped", "white", "///")]
    return _frame(ax, frame, frame.grid, faces, _labels(frame.grid, is_input), window, taps,
                  cropped, entries)


def plot_conv_matrix(ax, labels, input_size, output_size, title=None):
    """Draw the matrix C of a convolution (rows: output cells, columns: input pixels).

    ``labels`` (H_out * W_out, H * W) holds the text of each entry ("" for zero), e.g. from
    :func:`cnn_core.course.convolution.matrix.conv_matrix_labels`; non-empty entries are shaded.
    Rows are labelled y[r, c] and columns x[r, c].  Returns the list of artists.
    """
    labels = np.asarray(labels, dtype=str)
    n_out, n_in = output_size * output_size, input_size * input_size
    if labels.shape != (n_out, n_in):
        raise ValueError(f"labels must have shape (H_out * W_out, H * W) = ({n_out}, {n_in}), "
                         f"got {labels.shape}")
    faces = _faces(labels.shape, "white")
    faces[labels != ""] = _faces((1,), KERNEL)[0]
    fig = ax.figure
    cell_pt = ax.get_position().width * fig.get_figwidth() * 72 / n_in
    fontsize = float(np.clip(0.33 * cell_pt, 8.0, 11.0))
    artists = _cells(ax, 0.0, None, faces, fontsize, texts=labels.tolist())
    ax.set_xlim(0, n_in)
    ax.set_ylim(n_out, 0)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(n_in) + 0.5,
                  [f"x[{j // input_size},{j % input_size}]" for j in range(n_in)],
                  rotation=90, fontsize=fontsize)
    ax.set_yticks(np.arange(n_out) + 0.5,
                  [f"y[{j // output_size},{j % output_size}]" for j in range(n_out)],
                  fontsize=fontsize)
    ax.tick_params(length=0)
    ax.set_xlabel(f"input pixel (x flattened, {n_in} values)", fontsize=fontsize + 1)
    ax.set_ylabel(f"output cell ({n_out} values)", fontsize=fontsize + 1)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        artists.append(ax.set_title(title, fontsize=fontsize + 2))
    return artists
