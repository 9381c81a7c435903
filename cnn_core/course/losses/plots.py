"""Probabilities and losses drawn: softmax outputs as bars, cross-entropy against MSE.

Pure ``plot_*(ax, ...)`` functions (matplotlib only); the numbers come from
:mod:`cnn_core.losses` and :mod:`cnn_core.course.losses.comparison`.
"""
import numpy as np

from cnn_core.course.common.plots import CATEGORY_COLORS

LOSS_COLORS = {"cross-entropy": CATEGORY_COLORS[0], "MSE": CATEGORY_COLORS[5]}


def _class_names(names, count):
    names = [str(k) for k in range(count)] if names is None else [str(n) for n in names]
    if len(names) != count:
        raise ValueError(f"class_names must have {count} entries, got {len(names)}")
    return names


def plot_probabilities(ax, probs, class_names=None, title=None, true_class=None):
    """Bar chart of one probability vector (K,), each bar labelled with its percentage.

    The most probable class is drawn in a strong colour; ``true_class`` (optional) gets a
    black outline.  Returns the BarContainer.
    """
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 1:
        raise ValueError(f"probs must have shape (K,), got {probs.shape}")
    names = _class_names(class_names, len(probs))
    colors = ["#9ecae1"] * len(probs)
    colors[int(probs.argmax())] = "#08519c"
    bars = ax.bar(names, probs, color=colors, edgecolor="none")
    if true_class is not None:
        bars[true_class].set_edgecolor("black")
        bars[true_class].set_linewidth(2)
    for bar, p in zip(bars, probs):
        if p >= 0.005:
            ax.annotate(f"{100 * p:.0f}%", (bar.get_x() + bar.get_width() / 2, p),
                        xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
    ax.set_ylim(0, max(1.0, probs.max() * 1.15))
    ax.set_xlabel("class")
    ax.set_ylabel("probability")
    if title is not None:
        ax.set_title(title)
    return bars


def plot_loss_vs_confidence(ax_value, ax_grad, sweep, mark=None):
    """Left: loss against the probability p of the true class; right: dL/dz_y against p.

    ``sweep`` is a :class:`cnn_core.course.losses.comparison.ConfidenceSweep`.  ``mark`` (a p value)
    draws a vertical line, e.g. at a confidently wrong prediction.  Returns the list of Line2D.
    """
    curves = (("cross-entropy", sweep.cross_entropy, sweep.cross_entropy_grad),
              ("MSE", sweep.mse, sweep.mse_grad))
    lines = []
    for name, value, grad in curves:
        lines += ax_value.plot(sweep.p_true, value, color=LOSS_COLORS[name], label=name, lw=2)
        lines += ax_grad.plot(sweep.p_true, grad, color=LOSS_COLORS[name], label=name, lw=2)
    ax_value.set_ylabel("loss")
    ax_value.set_title("loss value")
    ax_grad.set_ylabel("dL / d(score of the true class)")
    ax_grad.set_title("gradient the network learns from")
    ax_grad.axhline(0, color="black", lw=0.8)
    for ax in (ax_value, ax_grad):
        ax.set_xlabel("probability given to the true class")
        ax.set_xlim(0, 1)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right" if ax is ax_value else "lower right")
    if mark is not None:
        _mark_confidence(ax_value, ax_grad, sweep, curves, mark)
    return lines


def _mark_confidence(ax_value, ax_grad, sweep, curves, mark):
    """A dashed line at p = ``mark``, a dot where each curve crosses it, and one label."""
    k = int(np.argmin(np.abs(sweep.p_true - mark)))
    dots = []
    for ax, column, height in ((ax_value, 1, 0.75), (ax_grad, 2, 0.5)):   # label clear of curves
        ax.axvline(mark, color="gray", ls="--", lw=1)
        for curve in curves:
            dots += ax.plot([sweep.p_true[k]], [curve[column][k]], "o", markersize=7,
                            color=LOSS_COLORS[curve[0]], markeredgecolor="black", zorder=3)
        ax.annotate(f"confidently wrong: p = {mark:g}\n(dots: each loss there)", (mark, height),
                    xycoords=("data", "axes fraction"), xytext=(8, 0),
                    textcoords="offset points", va="center", color="0.25", fontsize=9)
    return dots


def plot_gradient_bars(ax, gradients, true_class, class_names=None, title=None):
    """Grouped bars of dL/dz per class (K,) for each loss in ``gradients`` {name: (K,)}.

    The true class is marked on the x axis with an asterisk.  Returns the list of BarContainer.
    """
    names = list(gradients)
    count = len(np.asarray(gradients[names[0]]))
    labels = _class_names(class_names, count)
    labels[true_class] = labels[true_class] + "*"
    x, width = np.arange(count), 0.8 / len(names)
    containers = []
    for i, name in enumerate(names):
        values = np.asarray(gradients[name], dtype=np.float64)
        containers.append(ax.bar(x + (i - (len(names) - 1) / 2) * width, values, width,
                                 label=name, color=LOSS_COLORS.get(name)))
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x)
    ax.set_xticklabels(labels)
    ax.set_xlabel("class (* = true class)")
    ax.set_ylabel("dL / d(score)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend()
    if title is not None:
        ax.set_title(title)
    return containers
