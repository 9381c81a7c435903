"""Figure helpers shared by every topic: grids of small images (digits, feature maps,
filters) and training curves.

Titles are 9 pt by default, small enough for a row of ten digits; pass ``title_size`` for
larger panels (e.g. 12 for three or four images side by side).
"""
import math

import numpy as np
from matplotlib.ticker import MaxNLocator

TITLE_SIZE = 9               # default title font size in points


def plot_image(ax, image, title=None, cmap="gray", vmin=None, vmax=None, title_size=None):
    """Show one image (H, W) or (H, W, 3) without ticks.  Returns the AxesImage.

    ``title_size`` is the title's font size in points (default :data:`TITLE_SIZE`).
    """
    artist = ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=TITLE_SIZE if title_size is None else title_size)
    return artist


def plot_image_grid(axes, images, titles=None, cmap="gray", vmin=None, vmax=None,
                    title_size=None):
    """Fill an array of axes with images (N, H, W), (N, 1, H, W) or (N, H, W, 3).

    Extra axes are hidden.  ``vmin``/``vmax`` default to each image's own range; pass them to
    put every image on one shared scale.  ``title_size`` as in :func:`plot_image`.
    Returns the list of AxesImage.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    axes = np.ravel(axes)
    if len(images) > len(axes):
        raise ValueError(f"images has {len(images)} entries but only {len(axes)} axes were given")
    artists = []
    for i, ax in enumerate(axes):
        if i >= len(images):
            ax.set_visible(False)
            continue
        title = None if titles is None else titles[i]
        artists.append(plot_image(ax, images[i], title, cmap, vmin, vmax, title_size))
    return artists


def plot_feature_maps(axes, maps, titles=None, cmap="viridis", title_size=None):
    """Feature maps (C, H, W) of one image, one per axis, each on its own colour scale."""
    maps = np.asarray(maps)
    if maps.ndim != 3:
        raise ValueError(f"maps must have shape (C, H, W), got {maps.shape}")
    if titles is None:
        titles = [f"map {c}" for c in range(len(maps))]
    return plot_image_grid(axes, maps, titles, cmap=cmap, title_size=title_size)


def plot_filters(axes, weights, titles=None, title_size=None):
    """Conv filters (F, C, KH, KW): one axis per filter (channel 0, or RGB when C == 3), on a
    diverging colour scale symmetric around zero so positive and negative weights are clear."""
    weights = np.asarray(weights)
    if weights.ndim != 4:
        raise ValueError(f"weights must have shape (F, C, KH, KW), got {weights.shape}")
    if weights.shape[1] == 3:
        lo, hi = weights.min(), weights.max()
        images = (weights.transpose(0, 2, 3, 1) - lo) / max(hi - lo, 1e-12)
        return plot_image_grid(axes, images, titles, title_size=title_size)
    limit = float(np.abs(weights[:, 0]).max()) or 1.0
    return plot_image_grid(axes, weights[:, 0], titles, cmap="RdBu_r", vmin=-limit, vmax=limit,
                           title_size=title_size)


# ---------------------------------------------------------------- training curves


def plot_history(ax, history, metric="loss", title=None, val_label="validation"):
    """Draw train (and validation, if recorded) ``metric`` per epoch: "loss" or "acc".

    A dotted vertical line marks every change of the learning rate between two epochs (read
    from ``history.lr``), labelled with its factor, e.g. "learning rate x0.1".
    ``val_label`` names the held-out digits the History's ``val_*`` lists were scored on.
    Returns the list of Line2D.
    """
    if metric not in ("loss", "acc"):
        raise ValueError(f"metric must be 'loss' or 'acc', got {metric!r}")
    train, val = getattr(history, f"train_{metric}"), getattr(history, f"val_{metric}")
    epochs = range(1, len(train) + 1)
    lines = ax.plot(epochs, train, "o-", color=CATEGORY_COLORS[0], label=f"train {metric}")
    if val:
        lines += ax.plot(range(1, len(val) + 1), val, "s--", color=CATEGORY_COLORS[1],
                         label=f"{val_label} {metric}")
    for epoch, factor in lr_changes(history.lr):
        lines.append(ax.axvline(epoch + 0.5, color="0.35", ls=":", lw=1.5,
                                label=f"learning rate \u00d7{factor:.3g}"))
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("accuracy" if metric == "acc" else "loss")
    ax.set_title(title or ("accuracy" if metric == "acc" else "loss") + " per epoch")
    ax.grid(alpha=0.3)
    ax.legend()
    return lines


def lr_changes(lrs):
    """(epoch, factor) for every epoch (counted from 1) after which the learning rate in ``lrs``
    (one value per epoch) changed, e.g. ``[(15, 0.1)]``."""
    return [(e + 1, lrs[e + 1] / lrs[e]) for e in range(len(lrs) - 1)
            if lrs[e] > 0 and not math.isclose(lrs[e + 1], lrs[e])]


# ---------------------------------------------------------------- colours
# Okabe & Ito's colour-blind-safe palette (Okabe and Ito, "Color Universal Design", 2008):
# use these, in this order, wherever categories are told apart by colour.
CATEGORY_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                   "#F0E442", "#000000")
