"""plot_history draws the curves a History recorded, on the Agg backend."""

import matplotlib.pyplot as plt
import pytest

from cnn_core.course.common.plots import plot_history
from cnn_core.train import History


def test_train_and_test_curves_are_drawn_with_whole_epoch_ticks():
    history = History(train_loss=[2.0, 1.0, 0.5], val_loss=[2.1, 1.2, 0.9],
                      train_acc=[0.3, 0.7, 0.9], val_acc=[0.3, 0.6, 0.8])
    fig, ax = plt.subplots()
    lines = plot_history(ax, history, "loss")
    assert [list(line.get_ydata()) for line in lines] == [history.train_loss, history.val_loss]
    assert list(lines[0].get_xdata()) == [1, 2, 3]
    fig.canvas.draw()
    assert all(float(t).is_integer() for t in ax.get_xticks())
    plt.close(fig)


def test_without_validation_only_the_training_curve_is_drawn():
    fig, ax = plt.subplots()
    lines = plot_history(ax, History(train_acc=[0.5, 0.8], train_loss=[1, 0.5]), "acc")
    assert len(lines) == 1 and ax.get_ylabel() == "accuracy"
    plt.close(fig)


def test_unknown_metric_is_rejected():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="metric"):
        plot_history(ax, History(), "precision")
    plt.close(fig)


def test_a_learning_rate_drop_is_marked_between_the_two_epochs():
    history = History(train_loss=[2.0, 1.0, 0.5, 0.4], val_loss=[2.1, 1.2, 0.9, 0.8],
                      lr=[3e-3, 3e-3, 3e-4, 3e-4])
    fig, ax = plt.subplots()
    lines = plot_history(ax, history, "loss")
    marks = [line for line in lines if line.get_label().startswith("learning rate")]
    assert len(marks) == 1 and list(marks[0].get_xdata()) == [2.5, 2.5]
    assert marks[0].get_label() == "learning rate \u00d70.1"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "train loss", "validation loss", "learning rate \u00d70.1"]
    plt.close(fig)


def test_a_constant_learning_rate_is_not_marked():
    fig, ax = plt.subplots()
    lines = plot_history(ax, History(train_loss=[1, 0.5], lr=[0.1, 0.1]), "loss")
    assert len(lines) == 1
    plt.close(fig)
