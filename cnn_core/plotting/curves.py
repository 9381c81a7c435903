"""Training curves from a :class:`cnn_core.train.History`."""
from matplotlib.ticker import MaxNLocator


def plot_history(ax, history, metric="loss", title=None):
    """Draw train (and validation, if recorded) ``metric`` per epoch: "loss" or "acc".

    Returns the list of Line2D.
    """
    if metric not in ("loss", "acc"):
        raise ValueError(f"metric must be 'loss' or 'acc', got {metric!r}")
    train, val = getattr(history, f"train_{metric}"), getattr(history, f"val_{metric}")
    epochs = range(1, len(train) + 1)
    lines = ax.plot(epochs, train, "o-", label=f"train {metric}")
    if val:
        lines += ax.plot(range(1, len(val) + 1), val, "s--", label=f"test {metric}")
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("accuracy" if metric == "acc" else "loss")
    ax.set_title(title or ("accuracy" if metric == "acc" else "loss") + " per epoch")
    ax.grid(alpha=0.3)
    ax.legend()
    return lines
