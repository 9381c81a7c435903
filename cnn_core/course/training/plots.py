"""Pictures of a trained network and of hyperparameter experiments (chapters 8 and 9).

Pure ``plot_*(ax, ...)`` functions: they draw on the axes they are given and return the
artists; they never create figures or change matplotlib's settings.
"""
import numpy as np

from cnn_core.course.common.plots import CATEGORY_COLORS, plot_image, plot_image_grid

DIGIT_NAMES = tuple("0123456789")


def plot_confusion_matrix(ax, matrix, class_names=DIGIT_NAMES, title="confusion matrix"):
    """Counts (K, K) as a grid: rows are the true class, columns the predicted class.

    Every cell is labelled with its count; off-diagonal cells (the mistakes) are drawn on
    their own colour scale so that a handful of errors is visible next to 100 correct answers.
    Returns the AxesImage.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square (K, K), got shape {matrix.shape}")
    k = matrix.shape[0]
    if len(class_names) != k:
        raise ValueError(f"class_names must have {k} entries, got {len(class_names)}")
    errors = np.where(np.eye(k, dtype=bool), 0, matrix)
    artist = ax.imshow(errors, cmap="Reds", vmin=0, vmax=max(int(errors.max()), 1))
    for (t, p), count in np.ndenumerate(matrix):
        diagonal = t == p
        colour = "white" if not diagonal and count > 0.6 * max(errors.max(), 1) else "black"
        ax.text(p, t, str(count), ha="center", va="center", color=colour,
                fontsize=9, fontweight="bold" if diagonal else "normal")
    ax.set_xticks(range(k), class_names)
    ax.set_yticks(range(k), class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    return artist


def plot_misclassified(axes, images, y_true, y_pred, probs=None):
    """Digits (M, 1, H, W) or (M, H, W) titled "pred 7 / true 2" (with the predicted class's
    probability when ``probs`` (M,) is given).  Extra axes are hidden.  Returns the AxesImages."""
    titles = [f"pred {p} / true {t}" + ("" if probs is None else f"\np = {q:.2f}")
              for p, t, q in zip(y_pred, y_true, probs if probs is not None else y_pred)]
    artists = plot_image_grid(axes, images, titles, vmin=0, vmax=1)
    for artist in artists:
        artist.axes.title.set_color("firebrick")
    return artists


def _outline(ax, image):
    """Draw the outline of the strokes of a digit (H, W) in [0, 1] as a thin black line."""
    if image is not None and np.ptp(image) > 0:
        ax.contour(image, levels=[0.5 * (np.min(image) + np.max(image))], colors="black",
                   linewidths=0.8)


def _image_2d(image, name):
    image = np.asarray(image)
    while image.ndim > 2 and image.shape[0] == 1:
        image = image[0]
    if image.ndim != 2:
        raise ValueError(f"{name} must have shape (H, W), (1, H, W) or (1, 1, H, W), "
                         f"got {np.shape(image)}")
    return image


def plot_saliency(ax, saliency, image=None, signed=True, title="saliency d score / d pixel"):
    """The input gradient of a class score, with the digit's outline on top.

    ``saliency`` (1, H, W) or (H, W) with ``signed=True``: red where brightening the pixel
    raises the score, blue where it lowers it (symmetric scale).  ``signed=False`` (also for
    (C, H, W) with C > 1): the largest absolute value over channels, bright = large.
    ``image`` (H, W) or (1, H, W), optional, is outlined.  Returns the AxesImage.
    """
    saliency = np.asarray(saliency, dtype=float)
    if saliency.ndim == 3 and (saliency.shape[0] > 1 or not signed):
        saliency, signed = np.abs(saliency).max(axis=0), False
    saliency = _image_2d(saliency, "saliency")
    if signed:
        limit = float(np.abs(saliency).max()) or 1.0
        artist = plot_image(ax, saliency, title, cmap="RdBu_r", vmin=-limit, vmax=limit)
    else:
        artist = plot_image(ax, np.abs(saliency), title, cmap="hot", vmin=0)
    _outline(ax, None if image is None else _image_2d(image, "image"))
    return artist


def plot_occlusion(ax, image, drops, title="occlusion: drop in p(true)"):
    """The probability drops (H, W) of :func:`cnn_core.course.training.interpret.occlusion_map` with
    the digit's outline on top: red where hiding a patch lowers the true class's probability,
    blue where it raises it.  The colour scale is symmetric and runs to at least +-0.1, so a
    network that barely reacts stays pale.  Returns the AxesImage of the drops."""
    image, drops = _image_2d(image, "image"), np.asarray(drops)
    if drops.shape != image.shape:
        raise ValueError(f"drops must have the image's shape {image.shape}, got {drops.shape}")
    limit = max(float(np.abs(drops).max()), 0.1)
    artist = plot_image(ax, drops, title, cmap="RdBu_r", vmin=-limit, vmax=limit)
    _outline(ax, image)
    return artist


def plot_layer_activations(axes, activations, max_maps=None, colorbar=True):
    """One row of axes per layer: the first feature maps of one image's activation (C, H, W)
    in each row, with the layer name on the left.

    ``activations`` is a list of (name, array (C, H, W)); ``axes`` is a 2-D array (layers,
    maps).  All maps of a row share one colour scale, so a bright map is a strong one: a
    diverging scale symmetric around 0 (red +, blue -) for a layer with negative values (a
    convolution before its ReLU), 0 to the row's maximum otherwise.  ``colorbar`` adds one
    colour bar per row.  Unused axes are hidden.  Returns the AxesImages.
    """
    axes = np.atleast_2d(axes)
    if len(activations) > axes.shape[0]:
        raise ValueError(f"{len(activations)} layers but only {axes.shape[0]} rows of axes")
    n_cols = axes.shape[1] if max_maps is None else min(max_maps, axes.shape[1])
    artists = []
    for row, ax_row in enumerate(axes):
        if row >= len(activations):
            for ax in ax_row:
                ax.set_visible(False)
            continue
        name, maps = activations[row]
        maps = np.asarray(maps, dtype=np.float64)
        shown = maps[:n_cols]
        if shown.min() < 0:
            limit = float(np.abs(shown).max()) or 1.0
            style = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
        else:
            style = {"cmap": "viridis", "vmin": 0.0, "vmax": float(shown.max()) or 1.0}
        row_artists = []
        for col, ax in enumerate(ax_row):
            if col >= len(shown):
                ax.set_visible(False)
                continue
            row_artists.append(plot_image(ax, shown[col], **style))
        ax_row[0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
        if colorbar and row_artists:
            ax_row[0].figure.colorbar(row_artists[0], ax=list(ax_row[:len(shown)]),
                                      fraction=0.02, pad=0.01, aspect=8)
        artists += row_artists
    return artists


def plot_activation_std(ax, stats_by_label, title="activation scale per layer"):
    """Standard deviation of the activations after each layer (log scale), one line per
    setting: ``stats_by_label`` maps a label (e.g. "He x 0.5") to a list of LayerStats."""
    lines = []
    for (label, stats), color in zip(stats_by_label.items(), _cycle_colors()):
        stds = [max(s.std, 1e-30) for s in stats]
        lines += ax.plot(range(1, len(stds) + 1), stds, "o-", label=label, color=color)
    ax.set_yscale("log")
    ax.set_xlabel("layer (conv + ReLU block)")
    ax.set_ylabel("std of activations")
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return lines


def plot_activation_histograms(axes, stats_values, labels, bins=40, log_x=True):
    """Histograms of activation values, one axis per setting or layer: ``stats_values`` is a
    list of 1-D arrays (the non-zero activations), ``labels`` their titles.

    With ``log_x`` (the default) every panel gets the same logarithmic value axis and
    log-spaced bins, so values on scales hundreds of times apart sit visibly apart instead of
    hiding in an axis offset label.  Returns the lists of bar patches.
    """
    axes = np.ravel(axes)
    if len(stats_values) != len(labels) or len(stats_values) > len(axes):
        raise ValueError(f"need one label and one axis per layer: {len(stats_values)} layers, "
                         f"{len(labels)} labels, {len(axes)} axes")
    values = [np.ravel(v).astype(np.float64) for v in stats_values]
    edges = bins
    if log_x:
        positive = np.concatenate([v[v > 0] for v in values])
        if positive.size == 0:
            raise ValueError("log_x=True needs some positive values")
        edges = np.geomspace(positive.min(), positive.max(), bins + 1)
    artists = []
    for ax, v, label, color in zip(axes, values, labels, _cycle_colors()):
        artists.append(ax.hist(v[v > 0] if log_x else v, bins=edges, color=color)[2])
        ax.set_title(label, fontsize=9)
        ax.set_yticks([])
        if log_x:
            ax.set_xscale("log")
            ax.set_xlim(edges[0], edges[-1])
    for ax in axes[len(stats_values):]:
        ax.set_visible(False)
    return artists


def _cycle_colors():
    """The colour-blind-safe category colours, repeated as often as needed."""
    while True:
        yield from CATEGORY_COLORS


def _sweep_labels(values):
    return [",".join(map(str, v)) if isinstance(v, tuple) else f"{v:g}"
            if isinstance(v, float) else str(v) for v in values]


def plot_sweep(ax, values, results, xlabel, log_x=False, title=None):
    """Final validation accuracy of each run of a sweep against the swept value.

    Numeric values are placed on a (log) number line, anything else side by side as
    categories; a run that diverged is marked with a red cross at 0.  Returns the artists.
    """
    if len(values) != len(results):
        raise ValueError(f"values and results must have the same length, got {len(values)} "
                         f"and {len(results)}")
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    xs = list(values) if numeric else list(range(len(values)))
    accs = [r.val_acc for r in results]
    artists = ax.plot(xs, accs, "o-", color=CATEGORY_COLORS[0], label="validation accuracy")
    bad = [(x, 0.0) for x, r in zip(xs, results) if r.diverged]
    if bad:
        artists += ax.plot(*zip(*bad), "x", color=CATEGORY_COLORS[5], markersize=12, mew=3,
                           label="diverged")
    for x, acc, r in zip(xs, accs, results):
        if not r.diverged:
            ax.annotate(f"{acc:.3f}", (x, acc), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=9)
    if log_x:
        ax.set_xscale("log")
    if numeric and not log_x:
        ax.set_xticks(xs)
    if not numeric:
        ax.set_xticks(xs, _sweep_labels(values))
        ax.set_xlim(-0.5, len(xs) - 0.5)
    else:
        ax.margins(x=0.1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("validation accuracy")
    ax.set_ylim(min([0.0] + [a - 0.05 for a in accs]) if bad else max(0, min(accs) - 0.05),
                min(1.0, max(accs) + 0.05))
    ax.set_title(title or f"accuracy vs {xlabel}")
    ax.grid(alpha=0.3)
    if bad:
        ax.legend(loc="lower left")
    return artists


def plot_sweep_curves(ax, results, labels, metric="val_acc", title=None):
    """One curve per run: ``metric`` is a History list ("train_loss", "val_acc", ...) per
    epoch, or "batch_loss" per step.  Returns the Line2D list."""
    if len(labels) != len(results):
        raise ValueError(f"need one label per result, got {len(labels)} labels and "
                         f"{len(results)} results")
    lines = []
    for result, label, color in zip(results, labels, _cycle_colors()):
        values = getattr(result.history, metric)
        start = 1 if metric != "batch_loss" else 0
        style = "-" if metric == "batch_loss" else "o-"
        lines += ax.plot(range(start, len(values) + start), values, style, label=str(label),
                         color=color, linewidth=1 if metric == "batch_loss" else 1.5)
    ax.set_xlabel("step" if metric == "batch_loss" else "epoch")
    ax.set_ylabel(metric.replace("_", " ").replace("acc", "accuracy").replace("val", "validation"))
    ax.set_title(title or ax.get_ylabel())
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return lines


def plot_random_search(ax, results, title="random search"):
    """Validation accuracy against learning rate (log scale), one colour per batch size and
    one marker size per filter setting (both explained in the legend); the best run is
    circled.  Returns the artists: one scatter per batch size, then the ring."""
    if not results:
        raise ValueError("results must hold at least one TrialResult")
    artists = []
    sizes = sorted({r.config.filters for r in results})

    def area(filters):
        return 40 + 50 * sizes.index(filters)

    batches = sorted({r.config.batch_size for r in results})
    for batch, color in zip(batches, _cycle_colors()):
        chosen = [r for r in results if r.config.batch_size == batch]
        artists.append(ax.scatter([r.config.lr for r in chosen], [r.val_acc for r in chosen],
                                  s=[area(r.config.filters) for r in chosen], color=color,
                                  label=f"batch size {batch}", alpha=0.85))
    best = max(results, key=lambda r: r.val_acc)
    artists.append(ax.scatter([best.config.lr], [best.val_acc], s=320, facecolors="none",
                              edgecolors="black", linewidths=1.5, label="best"))
    colours = ax.legend(loc="lower right", fontsize=8, title="colour", title_fontsize=8)
    for handle in colours.legend_handles:           # one size here: size has its own legend
        handle.set_sizes([60])
    ax.add_artist(colours)
    # a second legend for the marker size: grey markers, one per filter setting
    handles = [ax.scatter([], [], s=area(f), color="0.55",
                          label="filters " + ",".join(map(str, f))) for f in sizes]
    ax.legend(handles=handles, loc="lower center", fontsize=8, title="marker size",
              title_fontsize=8)
    ax.set_xscale("log")
    ax.margins(x=0.08, y=0.12)
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel("validation accuracy")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return artists


def plot_seed_scores(ax, scores, metrics=("training digits (eval mode)", "validation digits"),
                     title="one dot per seed, bar = mean"):
    """Accuracies of several settings, each trained with several seeds.

    ``scores`` maps a setting's label to a list of per-seed tuples, one accuracy per entry of
    ``metrics`` (e.g. (training accuracy, validation accuracy)).  Each setting gets a group of
    columns, one per metric: a dot per seed and a short bar at their mean, so the spread
    between seeds is as visible as the differences between settings.  Returns the artists.
    """
    if not scores:
        raise ValueError("scores must hold at least one setting")
    labels = list(scores)
    width = 0.8 / len(metrics)
    artists = []
    for m, (metric, color) in enumerate(zip(metrics, _cycle_colors())):
        for k, label in enumerate(labels):
            values = np.array([seed_scores[m] for seed_scores in scores[label]], dtype=float)
            x = k + (m - (len(metrics) - 1) / 2) * width
            artists.append(ax.scatter(np.full(len(values), x), values, s=30, color=color,
                                      alpha=0.8, label=metric if k == 0 else None, zorder=3))
            artists += ax.plot([x - 0.35 * width, x + 0.35 * width], [values.mean()] * 2,
                               color=color, lw=3)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylabel("accuracy")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(metrics),
              frameon=False)               # below the axes: never on top of a dot
    return artists


def plot_layer_times(ax, rows, matmul_rate=None, title="one training step, layer by layer"):
    """Horizontal bars of each layer's forward and backward milliseconds, top to bottom in the
    order training runs them (``rows``: :class:`~cnn_core.course.training.timing.LayerTime`).

    Each bar is labelled with the layer's share of the step; with ``matmul_rate`` (GFLOP/s of
    numpy's large matrix product) the layers that multiply matrices also show their speed as
    a fraction of it.  Returns the two BarContainers (forward, backward).
    """
    if not rows:
        raise ValueError("rows must hold at least one LayerTime")
    names = [f"{row.index}: {row.name.split('(')[0]}" for row in rows]
    forward = np.array([row.forward for row in rows]) * 1e3
    backward = np.array([row.backward for row in rows]) * 1e3
    total = forward.sum() + backward.sum()
    y = np.arange(len(rows))
    bars = (ax.barh(y, forward, color=CATEGORY_COLORS[0], label="forward"),
            ax.barh(y, backward, left=forward, color=CATEGORY_COLORS[1], label="backward"))
    for i, row in enumerate(rows):
        note = f" {100 * (forward[i] + backward[i]) / total:.0f}%"
        if matmul_rate and row.flops:
            note += f" (at {100 * row.flops / row.total / 1e9 / matmul_rate:.0f}% of matmul speed)"
        ax.text(forward[i] + backward[i], i, note, va="center", fontsize=9)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.45 * (forward + backward).max())
    ax.set_xlabel("milliseconds per minibatch (median)")
    ax.set_title(title)
    ax.legend(loc="lower right", frameon=False)
    return bars
