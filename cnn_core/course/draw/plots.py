"""Figures for the drawing pad: preprocessing steps, probability bars, feature maps of every
layer, saliency, and one traced unit.

Pure ``plot_*`` functions: they draw on the axes (or figure) they are given and return the
artists; they never create figures of their own or change matplotlib's settings.
"""
import numpy as np
from matplotlib.patches import Rectangle

from ..common.plots import plot_image
from ..convolution.plots import plot_kernel
from ..receptive.plots import plot_receptive_field_box
from .preprocess import BOX, FIELD

GUESS_COLOR = "#d62728"
OTHER_COLOR = "#7f7f7f"
TITLE_SIZE = 10


def plot_steps(axes, steps):
    """Four panels, one per preprocessing step: the canvas with the ink's bounding box, the
    crop, the crop scaled into the 20x20 box, and the 28x28 digit with its centre of mass (+)
    and the field's centre (x)."""
    ax_canvas, ax_crop, ax_scaled, ax_digit = np.ravel(axes)
    top, left, bottom, right = steps.box
    plot_image(ax_canvas, steps.canvas, f"1. drawing {steps.canvas.shape[0]}x"
               f"{steps.canvas.shape[1]}", vmin=0, vmax=1, title_size=TITLE_SIZE)
    ax_canvas.add_patch(Rectangle((left - 0.5, top - 0.5), right - left + 1, bottom - top + 1,
                                  fill=False, edgecolor=GUESS_COLOR, linewidth=1.5))
    h, w = steps.cropped.shape
    plot_image(ax_crop, steps.cropped, f"2. crop {h}x{w}", vmin=0, vmax=1,
               title_size=TITLE_SIZE)
    h, w = steps.scaled.shape
    framed = np.full((BOX, BOX), np.nan)
    framed[(BOX - h) // 2:(BOX - h) // 2 + h, (BOX - w) // 2:(BOX - w) // 2 + w] = steps.scaled
    plot_image(ax_scaled, np.nan_to_num(framed), f"3. {h}x{w} in {BOX}x{BOX} box",
               vmin=0, vmax=1, title_size=TITLE_SIZE)
    artist = plot_image(ax_digit, steps.digit, f"4. centred {FIELD}x{FIELD}", vmin=0,
                        vmax=1, title_size=TITLE_SIZE)
    row, col = steps.center_of_mass
    centre = (FIELD - 1) / 2
    ax_digit.plot([col], [row], "+", color=GUESS_COLOR, markersize=12, mew=2)
    ax_digit.plot([centre], [centre], "x", color="#1f77b4", markersize=8, mew=1.5)
    return artist


def plot_probabilities(ax, probabilities, title="what the network reads"):
    """Ten bars, one per digit; the most probable one in red with its percentage."""
    probabilities = np.asarray(probabilities, dtype=float)
    guess = int(np.argmax(probabilities))
    colors = [GUESS_COLOR if d == guess else OTHER_COLOR for d in range(len(probabilities))]
    bars = ax.bar(np.arange(len(probabilities)), probabilities, color=colors)
    ax.set_xticks(np.arange(len(probabilities)))
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("probability")
    ax.text(guess, probabilities[guess] + 0.02, f"{100 * probabilities[guess]:.1f}%",
            ha="center", va="bottom", color=GUESS_COLOR, fontsize=9)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.spines[["top", "right"]].set_visible(False)
    return bars


def plot_saliency(ax, digit, saliency, guess):
    """The digit in grey with |d score / d pixel| on top (transparent where it is small)."""
    plot_image(ax, digit, f"saliency for '{guess}'", vmin=0, vmax=1, title_size=TITLE_SIZE)
    scaled = saliency / (saliency.max() or 1.0)
    overlay = np.zeros((*saliency.shape, 4))
    overlay[..., 0], overlay[..., 1], overlay[..., 3] = 1.0, 0.35, 0.85 * scaled
    return ax.imshow(overlay, interpolation="nearest")


def tile_maps(maps, columns, gap=1):
    """Feature maps (C, H, W) tiled into one image, ``columns`` wide, NaN in the gaps."""
    count, height, width = maps.shape
    rows = -(-count // columns)
    mosaic = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan)
    for i, image in enumerate(maps):
        r, c = divmod(i, columns)
        mosaic[r * (height + gap):r * (height + gap) + height,
               c * (width + gap):c * (width + gap) + width] = image
    return mosaic


def layer_scale(maps):
    """(cmap, vmin, vmax) shared by every map of one layer: symmetric blue-white-red when the
    layer has negative values, black-to-yellow from 0 when it has none (after ReLU, pooling)."""
    low, high = float(np.min(maps)), float(np.max(maps))
    if low < 0:
        limit = max(-low, high) or 1.0
        return "RdBu_r", -limit, limit
    return "magma", 0.0, high or 1.0


def plot_feature_maps(axes, feature_maps, columns=8):
    """One row per layer: all its channels side by side on ONE colour scale, with a colour bar.

    ``feature_maps`` is a list of (name, layer index, maps (C, H, W)), as in
    :class:`~cnn_core.course.draw.reading.Reading`.  Channel c sits at row c // columns,
    column c % columns of its layer's tile.  Returns the list of AxesImage.
    """
    artists = []
    for ax, (name, _, maps) in zip(np.ravel(axes), feature_maps):
        cmap, vmin, vmax = layer_scale(maps)
        artist = plot_image(ax, tile_maps(maps, columns), cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_title(f"{name}: {maps.shape[0]} maps of {maps.shape[1]}x{maps.shape[2]}",
                     loc="left", fontsize=TITLE_SIZE)
        ax.figure.colorbar(artist, ax=ax, fraction=0.04, pad=0.01)
        artists.append(artist)
    return artists


def plot_unit_trace(axes, reading, trace):
    """Three panels for a :class:`~cnn_core.course.draw.unit_trace.UnitTrace`: the digit with
    the unit's receptive field outlined; the unit marked on its feature map (with the layer's
    colour bar); the numbers that made it (window and weights of the input channel that
    contributed most, or the pooling window / the value below a ReLU)."""
    ax_digit, ax_map, ax_numbers = np.ravel(axes)
    channel, row, col = trace.unit
    plot_receptive_field_box(ax_digit, reading.digit, trace.box, margin=2, zoom=False,
                             title=f"receptive field {trace.box[2] - trace.box[0] + 1}x"
                                   f"{trace.box[3] - trace.box[1] + 1}")
    maps = dict((name, m) for name, _, m in reading.feature_maps)[trace.name]
    cmap, vmin, vmax = layer_scale(maps)
    shown = plot_image(ax_map, maps[channel], f"{trace.name} channel {channel}", cmap=cmap,
                       vmin=vmin, vmax=vmax, title_size=TITLE_SIZE)
    ax_map.figure.colorbar(shown, ax=ax_map, fraction=0.046, pad=0.02)   # the layer's scale
    for colour, width in (("white", 3.5), ("black", 1.5)):     # visible on any cell colour
        ax_map.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor=colour,
                                   linewidth=width))
    if trace.kind == "conv":
        source = int(np.argmax(np.abs(trace.contributions())))
        product = trace.inputs[source] * trace.weights[source]
        return plot_kernel(ax_numbers, product, f"window x weights, input channel {source}",
                           fmt="{:.2f}", title_size=TITLE_SIZE)
    title = "the value below" if trace.kind == "relu" else "pooling window"
    return plot_kernel(ax_numbers, trace.inputs[0], title, fmt="{:.2f}", title_size=TITLE_SIZE)
