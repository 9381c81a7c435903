"""Tests for cnn_core.course.training.dashboard_widget, driven without a browser."""
import base64
import threading

import numpy as np
import pytest

from cnn_core.course.training.dashboard_widget import (
    TrainingSession,
    build_training_dashboard,
    render_curves,
)
from cnn_core.optim import SGD, Adam
from cnn_core.recipes import (
    SUGGESTED_LR,
    Recipe,
    build_augment,
    build_criterion,
    build_model,
    build_optimizer,
)
from cnn_core.train import History, fit

RECIPE = Recipe(epochs=2, filters=(2, 4), batch_size=40, lr=3e-3, seed=4)


@pytest.fixture(scope="module")
def data(train_digits, test_digits):
    (x, y), (xt, yt) = train_digits, test_digits
    return x[:200], y[:200], xt[:100], yt[:100]


def session_for(data, **changes):
    return TrainingSession(*data, recipe=RECIPE.replace(**changes))


def dashboard_for(data, background=False, **changes):
    return build_training_dashboard(*data, recipe=RECIPE.replace(**changes),
                                    background=background)


# ----------------------------------------------------------------------------- session
def test_epochs_of_a_session_are_the_epochs_of_fit(data):
    session = session_for(data)
    assert session.run_epoch() and session.run_epoch()
    rng = np.random.default_rng(RECIPE.seed)
    model = build_model(RECIPE, rng)
    expected = fit(model, build_criterion(RECIPE), build_optimizer(RECIPE), *data[:2], epochs=2,
                   batch_size=RECIPE.batch_size, rng=rng, x_val=data[2], y_val=data[3],
                   augment=build_augment(RECIPE))
    assert session.history.train_loss == expected.train_loss
    assert session.history.val_acc == expected.val_acc
    assert len(session.history.batch_loss) == 10 and session.epochs_done == 2


def test_a_session_trains_with_the_recipes_label_smoothing(data):
    assert session_for(data, label_smoothing=0.2).criterion.label_smoothing == 0.2
    assert session_for(data, label_smoothing=0.0).criterion.label_smoothing == 0.0


def test_set_lr_between_epochs_is_used_from_the_next_epoch(data):
    session = session_for(data)
    session.epoch_listeners.append(lambda s: s.set_lr(1e-4) if s.epochs_done == 1 else None)
    session.run(3)
    assert session.history.lr == [3e-3, 1e-4, 1e-4]
    assert session.optimizer.lr == 1e-4
    with pytest.raises(ValueError, match="lr"):
        session.set_lr(-1.0)


def test_stop_ends_the_run_after_the_current_step_and_is_then_forgotten(data):
    session = session_for(data)
    session.step_listeners.append(lambda s, step, steps: s.stop() if step == 2 else None)
    history = session.run(3)
    assert len(history.batch_loss) == 2 and history.epochs == 1
    assert "stopped" in history.stopped_reason and not session.stop_requested
    session.step_listeners.clear()
    assert session.run_epoch()                       # the next epoch runs to its end
    assert len(history.batch_loss) == 2 + 5 and history.stopped_reason == ""


def test_stop_between_epochs_ends_the_run_before_the_next_one(data):
    session = session_for(data)
    session.epoch_listeners.append(lambda s: s.stop())
    history = session.run(3)
    assert history.epochs == 1 and len(history.batch_loss) == 5
    assert history.stopped_reason == "stopped by request after epoch 1"
    assert not session.stop_requested


def test_divergence_stops_the_session_without_raising(data):
    session = session_for(data, lr=5.0)
    session.run(3)
    assert session.diverged and "learning rate" in session.history.stopped_reason
    assert session.run_epoch() is False


def test_batch_size_change_applies_from_the_next_epoch(data):
    session = session_for(data)
    session.run_epoch()
    session.batch_size = 100
    session.run_epoch()
    assert len(session.history.batch_loss) == 5 + 2


# ----------------------------------------------------------------------------- dashboard
def test_train_button_trains_the_epochs_slider_and_draws_the_curves(data):
    dash = dashboard_for(data)
    dash.epochs.value = 2
    dash.train_button.click()
    history = dash.session.history
    assert history.epochs == 2 and len(history.val_acc) == 2
    assert dash.progress.value == dash.progress.max == 10
    assert f"val acc {history.val_acc[-1]:.4f}" in dash.status.value
    png = base64.b64decode(dash.plot.outputs[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG")
    assert not dash.train_button.disabled and dash.stop_button.disabled


def test_lr_slider_moved_between_epochs_changes_the_running_optimizer(data):
    dash = dashboard_for(data)
    dash.epochs.value = 2
    dash.session.epoch_listeners.append(
        lambda s: setattr(dash.lr_slider, "value", 1e-3) if s.epochs_done == 1 else None)
    dash.train_button.click()
    assert dash.session.history.lr == [3e-3, 1e-3]


def test_stop_button_during_a_run_ends_it(data):
    dash = dashboard_for(data)
    dash.epochs.value = 3
    clicks = []

    def click_stop(session, step, steps):
        if step == 3 and not clicks:
            clicks.append(dash.stop_button.disabled)
            dash.stop_button.click()
    dash.session.step_listeners.append(click_stop)
    dash.train_button.click()
    assert clicks == [False]                         # Stop was enabled while training
    assert len(dash.session.history.batch_loss) == 3
    assert "stopped" in dash.status.value and dash.stop_button.disabled


def test_background_training_can_be_stopped_and_retuned_from_the_main_thread(data):
    dash = dashboard_for(data, background=True)
    dash.epochs.value = 3
    first_step, go_on = threading.Event(), threading.Event()

    def pause_after_first_step(session, step, steps):
        if not first_step.is_set():
            first_step.set()
            go_on.wait(timeout=30)
    dash.session.step_listeners.append(pause_after_first_step)
    dash.train_button.click()
    assert first_step.wait(timeout=30) and dash.running and dash.train_button.disabled
    dash.lr_slider.value = 5e-4                      # moved while the thread is training
    dash.stop_button.click()
    go_on.set()
    dash.wait(timeout=60)
    assert not dash.running and not dash.thread.is_alive()
    assert len(dash.session.history.batch_loss) == 1
    assert dash.session.history.lr == [5e-4]


def test_optimizer_change_suggests_its_lr_and_next_train_starts_a_new_model(data):
    dash = dashboard_for(data)
    dash.epochs.value = 1
    dash.train_button.click()
    old = dash.session
    dash.optimizer.value = "momentum"
    assert dash.lr_slider.value == SUGGESTED_LR["momentum"]
    assert "new model" in dash.status.value
    dash.filters.value = (4, 8)
    dash.train_button.click()
    assert dash.session is not old and dash.session.history.epochs == 1
    assert isinstance(dash.session.optimizer, SGD) and dash.session.optimizer.momentum == 0.9
    assert dash.session.model.layers[0].out_channels == 4
    assert isinstance(old.optimizer, Adam)


def test_new_model_button_starts_from_fresh_weights(data):
    dash = dashboard_for(data)
    dash.epochs.value = 1
    dash.train_button.click()
    trained = dash.session.model.layers[0].params["W"].copy()
    dash.new_button.click()
    assert dash.session.history.epochs == 0
    fresh = build_model(RECIPE, np.random.default_rng(RECIPE.seed)).layers[0].params["W"]
    np.testing.assert_array_equal(dash.session.model.layers[0].params["W"], fresh)
    assert not np.array_equal(trained, fresh)


def test_render_curves_has_loss_and_accuracy_panels_with_train_and_test():
    history = History(train_loss=[2.0, 1.0], train_acc=[0.3, 0.6], val_loss=[1.8, 1.1],
                      val_acc=[0.4, 0.5])
    fig = render_curves(history)
    loss_ax, acc_ax = fig.axes
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    np.testing.assert_allclose(acc_ax.lines[1].get_ydata(), [0.4, 0.5])
    assert loss_ax.get_ylabel() == "loss"
    empty = render_curves(History())
    assert any(t.get_text() == "press Train" for t in empty.axes[0].texts)
