"""Drawings for backpropagation: number grids, gradient footprints, loss surfaces, loss curves.

Pure ``plot_*(ax, ...)`` functions: they draw on the axes they are given and return the artists.
"""
import math

import numpy as np
from matplotlib.patches import Rectangle

from cnn_core.course.common.plots import CATEGORY_COLORS

_POSITIVE = "#b2182b"
_FRAME = "#f07800"      # orange: visible on white, grey, black, red and blue cells
# The CNN panel's y-axis starts at [0, CNN_LOSS_TOP], so runs with different learning rates compare
# at a glance; the bowl's log-scale axis follows its data with BOWL_LOG_MARGIN decades to spare.
CNN_LOSS_TOP = 3.5
BOWL_LOG_MARGIN = 0.5
FONTSIZE = 10           # smallest text in these figures (points): readable at notebook size


def _text_colour(value, lo, hi, symmetric):
    strength = abs(value) / hi if symmetric else (value - lo) / (hi - lo)
    return "white" if strength > 0.6 else "black"


def plot_number_grid(ax, values, title=None, fmt="{:g}", vmax=None, mask_zeros=False, box=None,
                     shade=None, fontsize=FONTSIZE, cmap="RdBu_r", symmetric=True, offset=0):
    """Draw a 2-D array (H, W) as a grid of coloured cells, each labelled with its number.

    Parameters
    ----------
    values : array (H, W)
    fmt : str
        Format of the cell labels, e.g. "{:.2f}".
    vmax : float, optional
        Colour limit; the scale runs symmetric from -vmax (blue) to +vmax (red).  Default: the
        largest absolute value.
    symmetric : bool
        False: a plain scale from the smallest to the largest value (for inputs and outputs,
        with a sequential ``cmap`` such as "Greys"); ``vmax`` is then ignored.
    mask_zeros : bool
        Leave cells that are exactly 0 white and unlabelled, so the non-zero ones stand out.
    box : (top, left, bottom, right), optional
        Inclusive cell range outlined with a thick orange frame (e.g. a kernel window).
    shade : bool array (H, W), optional
        Cells to hatch in grey (e.g. the zero-padding border); zeros there are left unlabelled.
    offset : int
        Subtracted from the row/column tick labels: with ``offset=padding`` a padded grid is
        labelled in the image's own coordinates (the padding border becomes row -1, ...).

    Returns
    -------
    dict with "image" (AxesImage, its array masked where a cell is left blank), "texts" (list),
    "box" (Rectangle or None), "shade" (list of Rectangle).
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"values must be a 2-D array (H, W), got shape {values.shape}")
    if symmetric:
        hi = float(vmax) if vmax is not None else float(np.abs(values).max()) or 1.0
        lo = -hi
    else:
        lo, hi = float(values.min()), float(values.max())
        hi = hi if hi > lo else lo + 1.0
    shown = np.ma.masked_equal(values, 0.0) if mask_zeros else np.ma.masked_array(values)
    image = ax.imshow(shown, cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
    texts = []
    for (r, c), v in np.ndenumerate(values):
        if v == 0 and (mask_zeros or (shade is not None and shade[r, c])):
            continue
        texts.append(ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=fontsize,
                             color=_text_colour(v, lo, hi, symmetric)))
    shaded = []
    if shade is not None:
        for r, c in np.argwhere(shade):
            shaded.append(ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor="0.85",
                                                 alpha=0.6, hatch="///", edgecolor="0.6", lw=0)))
    frame = None
    if box is not None:
        top, left, bottom, right = box
        frame = ax.add_patch(Rectangle((left - 0.5, top - 0.5), right - left + 1, bottom - top + 1,
                                       fill=False, edgecolor=_FRAME, lw=3))
    h, w = values.shape
    ax.set_xticks(np.arange(w), [str(c - offset) for c in range(w)])
    ax.set_yticks(np.arange(h), [str(r - offset) for r in range(h)])
    ax.tick_params(labelsize=FONTSIZE, length=0)
    ax.vlines(np.arange(-0.5, w), -0.5, h - 0.5, color="0.75", lw=0.6)
    ax.hlines(np.arange(-0.5, h), -0.5, w - 0.5, color="0.75", lw=0.6)
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)
    if title is not None:
        ax.set_title(title, fontsize=FONTSIZE + 1)
    return {"image": image, "texts": texts, "box": frame, "shade": shaded}


def _padding_mask(shape, padding):
    mask = np.ones(shape, dtype=bool)
    mask[padding:shape[0] - padding, padding:shape[1] - padding] = False
    return mask


def plot_conv_footprint(axes, footprint, channel=0, fmt="{:g}"):
    """Where one output cell's gradient goes, in 3 + F panels (input channel ``channel``).

    axes[0]: the padded input with the kernel window outlined;
    axes[1]: the output map of the chosen filter with the chosen cell outlined;
    axes[2]: dx on the padded grid (non-zero cells coloured, padding hatched);
    axes[3:]: dw, one grid per filter (only the chosen filter's weights receive gradient).

    ``footprint`` is a :class:`cnn_core.course.backprop.gradient_flow.GradientFootprint`; ``fmt``
    formats the numbers in the cells (e.g. "{:.2f}" for non-integer data).  Returns a list with
    one :func:`plot_number_grid` result per panel.
    """
    fp = footprint
    n_filters = fp.dw.shape[0]
    axes = np.ravel(axes)
    if len(axes) != 3 + n_filters:
        raise ValueError(f"axes must hold 3 + F = {3 + n_filters} axes, got {len(axes)}")
    f, row, col = fp.out_cell
    shade = _padding_mask(fp.x_padded.shape[1:], fp.padding) if fp.padding else None
    cell_box = (row, col, row, col)
    dw_limit = float(np.abs(fp.dw).max()) or 1.0
    results = [
        plot_number_grid(axes[0], fp.x_padded[channel], "input x\n(window outlined)",
                         fmt=fmt, box=fp.window, shade=shade, cmap="Greys", symmetric=False,
                         offset=fp.padding),
        plot_number_grid(axes[1], fp.output[f], f"output of filter {f}\ncell ({row}, {col})",
                         fmt=fmt, box=cell_box, cmap="PuOr_r"),
        plot_number_grid(axes[2], fp.dx_padded[channel], "dx: gradient reaching\neach input cell",
                         fmt=fmt, mask_zeros=True, box=fp.window, shade=shade, offset=fp.padding),
    ]
    for g in range(n_filters):
        results.append(plot_number_grid(axes[3 + g], fp.dw[g, channel], f"dw of filter {g}",
                                        fmt=fmt, vmax=dw_limit, mask_zeros=True))
    return results


def plot_loss_surface(ax, surface, path=None, extent=5.0, levels=12):
    """Contours of a 2-D loss surface, with an optional gradient-descent path on top.

    ``surface`` is a :class:`cnn_core.course.backprop.learning_rate.QuadraticSurface`, ``path`` a
    :class:`cnn_core.course.backprop.learning_rate.DescentPath`.  The view is fixed to [-extent,
    extent] around the minimum, so a diverging path visibly leaves it.  The legend sits below the
    axes, where it cannot hide any part of the path.  Returns a list of artists.
    """
    cx, cy = surface.minimum
    grid = np.linspace(-extent, extent, 121)
    w1, w2 = np.meshgrid(cx + grid, cy + grid)
    z = surface.loss(np.stack([w1, w2], axis=-1))
    level_values = np.geomspace(0.05, z.max(), levels)
    artists = [ax.contourf(w1, w2, z, levels=np.concatenate([[0], level_values]), cmap="Blues",
                           alpha=0.75),
               ax.contour(w1, w2, z, levels=level_values, colors="0.4", linewidths=0.5)]
    artists += ax.plot([cx], [cy], marker="*", color="gold", markersize=14, markeredgecolor="k",
                       linestyle="none", label="minimum")
    if path is not None:
        colour = _POSITIVE if path.diverged else "black"
        artists += ax.plot(path.points[:, 0], path.points[:, 1], "-o", color=colour, lw=1.3,
                           markersize=3.5, label=f"lr = {path.lr:g}, {path.steps} "
                                                 f"step{'s' if path.steps != 1 else ''}")
        artists += ax.plot(*path.points[0], "s", color=CATEGORY_COLORS[2], markersize=8,
                           markeredgecolor="k", label="start")
        if path.diverged:
            artists.append(ax.text(0.03, 0.04, "diverged", transform=ax.transAxes, color=_POSITIVE,
                                   fontsize=11, fontweight="bold"))
    ax.set_xlim(cx - extent, cx + extent)
    ax.set_ylim(cy - extent, cy + extent)
    ax.set_aspect("equal")
    ax.set_xlabel("weight $w_1$")
    ax.set_ylabel("weight $w_2$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=FONTSIZE,
              frameon=False, borderaxespad=0, columnspacing=1.0, handlelength=1.5)
    return artists


def plot_step_losses(ax, losses_by_label, logy=False, title="loss per step"):
    """One line per run: ``losses_by_label`` maps a label to its loss per step.

    A run that stopped early simply ends early (its last point is marked with an x).
    Returns the list of Line2D.
    """
    lines = []
    for k, (label, losses) in enumerate(losses_by_label.items()):
        losses = np.asarray(losses, dtype=np.float64)
        marker = "." if len(losses) < 60 else None
        line, = ax.plot(np.arange(len(losses)), losses, "-", marker=marker, label=label,
                        color=CATEGORY_COLORS[k % len(CATEGORY_COLORS)])
        lines.append(line)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    if logy:
        ax.set_yscale("log")
    ax.set_title(title, fontsize=FONTSIZE + 1)
    ax.grid(alpha=0.3)
    if losses_by_label:
        ax.legend(fontsize=FONTSIZE)
    return lines


def plot_training_runs(ax, runs, title="small CNN on digits: loss per step", top=CNN_LOSS_TOP):
    """Loss per step of :class:`cnn_core.course.backprop.learning_rate.TrainingRun` s, one line per
    run.

    A diverged run's line continues, dashed, to a red x one step after its last recorded loss:
    the loss on the whole subset after that update (at the top edge, with the value written
    next to it, when it is off the chart).  The y-axis runs from 0 to ``top`` (or higher, to fit
    every step's loss) so runs with different learning rates compare at a glance.
    Returns the artists.
    """
    top = max([top] + [1.05 * max(run.batch_loss) for run in runs if run.batch_loss])
    if any(run.diverged for run in runs):
        top *= 1.25                     # a free band at the top for the divergence labels
    artists = plot_step_losses(ax, {f"lr = {run.lr:g}" + (" (diverged)" if run.diverged else ""):
                                    run.batch_loss for run in runs}, title=title)
    for run, line in zip(runs, list(artists)):
        if run.diverged:
            artists += _mark_divergence(ax, run, top, line.get_color())
    ax.set_ylim(0, top)
    return artists


def _mark_divergence(ax, run, top, colour):
    """The dashed jump from a diverged run's last loss to its marker, and the label beside it.

    A loss that fits on the chart gets an x at its value.  One that does not (or nan) gets an
    upward arrow at the top edge, and the label says it is off the scale, so the marker's
    height is never read as the loss.
    """
    off_scale = not run.loss_after <= top                 # also True for nan
    shown = 0.95 * top if off_scale else run.loss_after
    artists = []
    if run.batch_loss:
        artists += ax.plot([run.steps - 1, run.steps], [run.batch_loss[-1], shown], "--",
                           color=colour, lw=2)
    artists += ax.plot([run.steps], [shown], "^" if off_scale else "x", color=_POSITIVE,
                       markersize=12, mew=3)
    value = "nan" if math.isnan(run.loss_after) else f"{run.loss_after:.3g}"
    where = f"loss {value}, off the scale" if off_scale else f"loss {value}"
    # three short lines: the label starts next to the marker, near the left edge, and must fit
    # in the panel's width
    label = (f"lr = {run.lr:g}: diverged\nafter {run.steps} "
             f"step{'s' if run.steps != 1 else ''}\n{where}")
    artists.append(ax.annotate(label, (run.steps, shown), xytext=(12, -4 if off_scale else 0),
                               textcoords="offset points", color=_POSITIVE, fontsize=FONTSIZE,
                               fontweight="bold", va="top" if off_scale else "center",
                               linespacing=1.15))
    return artists


def bowl_loss_limits(losses, margin=BOWL_LOG_MARGIN):
    """Log-scale y-limits (low, high) around the finite, positive ``losses``, ``margin`` decades
    wider on each side (at least one decade in all)."""
    losses = np.asarray(losses, dtype=np.float64)
    shown = losses[np.isfinite(losses) & (losses > 0)]
    if shown.size == 0:
        return 0.1, 10.0
    lo, hi = np.log10(shown.min()), np.log10(shown.max())
    pad = max(margin, (1.0 - (hi - lo)) / 2)
    return 10 ** (lo - pad), 10 ** (hi + pad)


def plot_learning_rate_result(axes, result, surface):
    """Three panels for one learning rate: the descent path on ``surface``, its loss per step
    (log scale, limits from the data), and the small CNN's loss per training step.

    ``result`` is a :class:`cnn_core.course.backprop.learning_rate.LearningRateResult`.  Returns the
    artists.
    """
    ax_path, ax_bowl, ax_cnn = np.ravel(axes)
    artists = plot_loss_surface(ax_path, surface, result.path)
    ax_path.set_title(f"2-D bowl, lr = {result.lr:.3g}", fontsize=FONTSIZE + 1)
    artists += plot_step_losses(ax_bowl, {"2-D bowl": result.path.losses}, logy=True,
                                title="2-D bowl: loss per step\n(log scale)")
    ax_bowl.set_xlim(-1, result.steps + 1)
    ax_bowl.set_ylim(bowl_loss_limits(result.path.losses))
    artists += plot_training_runs(ax_cnn, [result.run], title="small CNN on digits:\nloss per step")
    ax_cnn.set_xlim(-1, max(result.steps, result.run.steps) + 1)
    return artists
