"""Pictures of what a filter does: kernel values, photo -> feature map, conv volumes, flattening.

Pure ``plot_*(ax, ...)`` functions: they draw on the axes they are given and return the
artists; they never create figures or change matplotlib's settings.  Grids of many maps or
filters live in :mod:`cnn_core.course.common.plots`.
"""
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import Polygon, Rectangle

from cnn_core.course.common.plots import CATEGORY_COLORS, plot_image

_CHANNEL_COLOURS = tuple(CATEGORY_COLORS[i] for i in (5, 0, 2, 3, 1, 4))   # colour-blind-safe
_INPUT_COLOURS = ("#f4a6a6", "#a8dba8", "#a6c8f0")          # light red, green, blue
# Filter i and its output map share a colour: light tints of the colour-blind-safe palette.
_FILTER_COLOURS = tuple(tuple(0.55 * np.array(to_rgb(CATEGORY_COLORS[i])) + 0.45)
                        for i in (3, 1, 4, 2, 0, 5))


def plot_kernel(ax, kernel, title=None, fmt="{:.2g}", limit=None, title_size=None):
    """A small kernel (KH, KW) as coloured cells with its weights written in them.

    Blue is negative, red positive, white zero, on a scale symmetric around zero
    (``limit`` sets it; default: the largest absolute weight).  ``title_size`` is the title's
    font size in points (default: that of :func:`cnn_core.course.common.plots.plot_image`).
    Returns the AxesImage.
    """
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 2:
        raise ValueError(f"kernel must have shape (KH, KW), got shape {kernel.shape}")
    if limit is None:
        limit = float(np.abs(kernel).max()) or 1.0
    artist = plot_image(ax, kernel, title, cmap="RdBu_r", vmin=-limit, vmax=limit,
                        title_size=title_size)
    fontsize = 12 if max(kernel.shape) <= 3 else 10 if max(kernel.shape) <= 5 else 8
    for (row, col), value in np.ndenumerate(kernel):
        colour = "white" if abs(value) > 0.6 * limit else "black"
        ax.text(col, row, fmt.format(value), ha="center", va="center", color=colour,
                fontsize=fontsize)
    ax.set_xticks(np.arange(-0.5, kernel.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, kernel.shape[0]), minor=True)
    ax.grid(which="minor", color="0.4", linewidth=1)
    ax.tick_params(which="minor", length=0)
    return artist


def plot_filter_response(axes, image, kernel, feature_map, titles=None):
    """Three panels: the image, the kernel with its weights, the feature map it produces.

    Parameters
    ----------
    axes : three matplotlib Axes
    image : ndarray (H, W) gray or (H, W, 3) colour, values in [0, 1]
    kernel : ndarray (KH, KW)
    feature_map : ndarray (H_out, W_out), shown in gray on its own range (white = largest),
        with a colour bar giving the values
    titles : three strings, optional

    Returns the list of the three AxesImage.
    """
    axes = np.ravel(axes)
    if len(axes) != 3:
        raise ValueError(f"axes must hold exactly 3 Axes, got {len(axes)}")
    feature_map = np.asarray(feature_map)
    if feature_map.ndim != 2:
        raise ValueError(f"feature_map must have shape (H_out, W_out), got {feature_map.shape}")
    h, w = np.shape(image)[:2]
    if titles is None:
        titles = (f"input {h}x{w}", "kernel",
                  f"feature map {feature_map.shape[0]}x{feature_map.shape[1]}")
    image_artist = plot_image(axes[0], image, titles[0], vmin=0, vmax=1, title_size=11)
    kernel_artist = plot_kernel(axes[1], kernel, titles[1], title_size=11)
    map_artist = plot_image(axes[2], feature_map, titles[2], title_size=11)
    axes[2].figure.colorbar(map_artist, ax=axes[2], shrink=0.8)
    return [image_artist, kernel_artist, map_artist]


# ------------------------------------------------------------------------------ volumes
def _box(ax, x, y, width, height, depth, face, offset, **style):
    """Draw a box in oblique projection: front face at (x, y), depth going up-right."""
    dx, dy = offset[0] * depth, offset[1] * depth
    front = [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]
    top = [(x, y + height), (x + width, y + height), (x + width + dx, y + height + dy),
           (x + dx, y + height + dy)]
    side = [(x + width, y), (x + width + dx, y + dy), (x + width + dx, y + height + dy),
            (x + width, y + height)]
    patches = []
    for corners, shade in ((top, 0.9), (side, 0.75), (front, 1.0)):
        rgb = np.array(to_rgb(face)) * shade
        patches.append(ax.add_patch(Polygon(corners, closed=True, facecolor=rgb, **style)))
    return patches


def _volume(ax, x, shape, colours, offset, label):
    """A (C, H, W) volume as C slabs, the back one drawn first; slab 0 is in front."""
    channels, height, width = shape
    for c in reversed(range(channels)):
        _box(ax, x + offset[0] * c, offset[1] * c, width, height, 1, colours[c % len(colours)],
             offset, edgecolor="0.25", linewidth=0.8)
    ax.text(x + width / 2, -2, label, ha="center", va="top", fontsize=11)


def plot_conv_volume(ax, input_shape, kernel_size, n_filters, position=(0, 0), depth=2.5):
    """Diagram of a multi-channel convolution: input volume, F filters, output volume.

    The input (C, H, W) is drawn as C slabs (red, green, blue for a colour image); the window
    under filter 0 at output ``position`` = (row, col) is a yellow box through *all* C
    channels, joined through filter 0 (dashed lines) to the one output value it produces in map
    0 (the front slab).  Each
    filter is (C, K, K); filter i makes output slab i (same colour).  Stride 1, no padding.
    ``depth`` is the drawn thickness of one channel.  Returns the list of patches drawn.
    """
    c, h, w = (int(v) for v in input_shape)
    k, f = int(kernel_size), int(n_filters)
    if min(c, h, w) < 1 or not 1 <= k <= min(h, w) or f < 1:
        raise ValueError(f"need input_shape (C, H, W) >= 1, 1 <= kernel_size <= min(H, W) "
                         f"and n_filters >= 1; got {input_shape}, {kernel_size}, {n_filters}")
    h_out, w_out = h - k + 1, w - k + 1
    row, col = position
    if not (0 <= row < h_out and 0 <= col < w_out):
        raise ValueError(f"position must be inside the {h_out}x{w_out} output, got {position}")
    offset = (depth * 0.8, depth * 0.6)
    in_colours = _INPUT_COLOURS if c == 3 else ("0.8",)
    _volume(ax, 0, (c, h, w), in_colours, offset, f"input {h}x{w}x{c}")
    top = h - row - k                              # image rows go down, y goes up
    patches = _box(ax, col, top, k, k, c, "#ffd92f", offset, edgecolor="black", linewidth=1.5)
    fx = w + offset[0] * c + 0.25 * w
    spacing = max(h / f, k + offset[1] * c + 1)
    for i in range(f):                             # filter i: a small (C, K, K) box
        _box(ax, fx, h - k - i * spacing, k, k, c, _FILTER_COLOURS[i % len(_FILTER_COLOURS)],
             offset, edgecolor="black", linewidth=1.0)
    ax.text(fx + k / 2, -2, f"{f} filters\n{k}x{k}x{c}", ha="center", va="top", fontsize=11)
    ox = fx + k + offset[0] * c + 0.25 * w
    _volume(ax, ox, (f, h_out, w_out), _FILTER_COLOURS, offset, f"output {h_out}x{w_out}x{f}")
    cell = (ox + col, h_out - row - 1)
    patches.append(ax.add_patch(Rectangle(cell, 1, 1, facecolor="#ffd92f", edgecolor="black",
                                          linewidth=1.5, zorder=5)))
    f0_top = h - k                                 # filter 0's front face: (fx, f0_top), k x k
    for dy in (k, 0):                              # window -> filter 0 -> its output cell
        ax.plot([col + k, fx, fx + k, cell[0]], [top + dy, f0_top + dy, f0_top + dy,
                                                  cell[1] + dy / k], color="black",
                linewidth=1, linestyle="--", zorder=4)
    bottom = min(-2 - 0.12 * h, h - k - (f - 1) * spacing - 1)
    ax.set_xlim(-1, ox + w_out + offset[0] * f + 1)
    ax.set_ylim(bottom, max(h + offset[1] * c, h - k + offset[1] * c + 1) + 1)
    ax.set_aspect("equal")
    ax.axis("off")
    return patches


def plot_flatten(ax, volume, fmt="{:.0f}"):
    """Show how a volume (C, H, W) is laid out as one vector (C*H*W,), channel by channel.

    Top: the C grids, each in its own colour, values written in.  Bottom: the flattened
    vector, cells coloured by the channel they came from, in ``reshape`` order
    (index = c*H*W + row*W + col).  Meant for small volumes (C*H*W up to about 40).
    Returns the list of Rectangles.
    """
    volume = np.asarray(volume)
    if volume.ndim != 3 or volume.size > 60:
        raise ValueError(f"volume must have shape (C, H, W) with at most 60 values, "
                         f"got shape {volume.shape}")
    c, h, w = volume.shape
    cells, n = [], volume.size
    for ch in range(c):
        x0 = ch * (w + 1.5)
        colour = _CHANNEL_COLOURS[ch % len(_CHANNEL_COLOURS)]
        for (r, q), value in np.ndenumerate(volume[ch]):
            cells.append(_cell(ax, x0 + q, h - 1 - r + 2, fmt.format(value), colour))
        ax.text(x0 + w / 2, h + 2.2, f"channel {ch}", ha="center", va="bottom", fontsize=11)
    for i, value in enumerate(volume.ravel()):
        colour = _CHANNEL_COLOURS[(i // (h * w)) % len(_CHANNEL_COLOURS)]
        cells.append(_cell(ax, i, 0, fmt.format(value), colour))
    ax.text(0, -0.3, f"flattened: vector of {c}x{h}x{w} = {n} numbers", ha="left",
            va="top", fontsize=11)
    last = (c - 1, h - 1, w - 1)                   # a worked example: the last value
    ax.text(c * (w + 1.5), 2 + h / 2, f"value at (channel c, row r, column q)\n"
            f"goes to position c*{h * w} + r*{w} + q,\ne.g. {last} -> "
            f"{last[0] * h * w + last[1] * w + last[2]}", ha="left", va="center", fontsize=11)
    ax.set_xlim(-0.5, max(c * (w + 1.5), n) + 0.5)
    ax.set_ylim(-1.4, h + 3.2)
    ax.set_aspect("equal")
    ax.axis("off")
    return cells


def _cell(ax, x, y, text, colour):
    rect = ax.add_artist(Rectangle((x, y), 1, 1, facecolor=colour, alpha=0.35, edgecolor="0.3"))
    ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=10)
    return rect
