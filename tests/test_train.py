"""Tests for cnn_core.train: training sanity on the bundled digits, history, callbacks,
divergence guard, determinism and invalid input."""
import math

import numpy as np
import pytest

from cnn_core.data import load_digits
from cnn_core.losses import SoftmaxCrossEntropy
from cnn_core.model import Sequential
from cnn_core.optim import SGD, Adam
from cnn_core.train import (
    Callback,
    EarlyStopping,
    History,
    TrainingDiverged,
    TrainingState,
    evaluate,
    fit,
)
from cnn_core.zoo import small_cnn


@pytest.fixture(scope="module")
def digits(train_digits):
    x, y = train_digits
    return x[:200], y[:200]


def quick_fit(model, x, y, **kwargs):
    options = dict(epochs=1, batch_size=16, rng=np.random.default_rng(0))
    options.update(kwargs)
    optimizer = options.pop("optimizer", SGD(lr=0.05, momentum=0.9))
    return fit(model, SoftmaxCrossEntropy(), optimizer, x, y, **options)


# ---------------------------------------------------------------------- training sanity
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_initial_loss_is_close_to_log_10(digits, seed):
    x, y = digits
    model = small_cnn(rng=np.random.default_rng(seed))
    loss, acc = evaluate(model, SoftmaxCrossEntropy(), x, y)
    assert abs(loss - math.log(10)) < 0.1
    assert 0.0 <= acc <= 0.3          # a fresh model is guessing


def test_small_model_overfits_20_digits(digits):
    x, y = digits[0][:20], digits[1][:20]
    assert len(np.unique(y)) >= 8                     # a real mix of classes, not one digit
    model = small_cnn(rng=np.random.default_rng(0))
    history = fit(model, SoftmaxCrossEntropy(), Adam(lr=1e-2), x, y, epochs=30, batch_size=20,
                  rng=np.random.default_rng(0))
    assert len(history.batch_loss) == 30               # 30 steps of Adam
    loss, acc = evaluate(model, SoftmaxCrossEntropy(), x, y)
    assert acc == 1.0
    assert loss < 0.05 < history.train_loss[0]


def test_same_seed_same_weights_different_seed_differs(digits):
    x, y = digits[0][:64], digits[1][:64]

    def train(seed):
        model = small_cnn(rng=np.random.default_rng(seed))
        quick_fit(model, x, y, epochs=1, batch_size=16, rng=np.random.default_rng(seed))
        return [param.copy() for _, param, _ in model.named_params()]

    first, again, other = train(7), train(7), train(8)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not any(np.array_equal(a, c) for a, c in zip(first, other) if a.ndim > 1)


def test_shuffle_order_depends_on_fit_rng(digits):
    x, y = digits[0][:64], digits[1][:64]
    results = []
    for seed in (1, 1, 2):
        model = small_cnn(rng=np.random.default_rng(0))
        history = quick_fit(model, x, y, rng=np.random.default_rng(seed))
        results.append(history.batch_loss)
    assert results[0] == results[1] and results[0] != results[2]


def test_history_records_every_epoch(digits):
    x, y = digits
    model = small_cnn(rng=np.random.default_rng(0))
    history = quick_fit(model, x[:100], y[:100], epochs=3, batch_size=32,
                        x_val=x[100:150], y_val=y[100:150])
    assert isinstance(history, History) and history.epochs == 3
    for name in ("train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds"):
        assert len(getattr(history, name)) == 3, name
    assert len(history.batch_loss) == 3 * 4           # ceil(100 / 32) = 4 steps per epoch
    assert history.train_loss[0] == pytest.approx(np.mean(history.batch_loss[:4]))
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.stopped_reason == ""
    assert history.val_loss[-1] == pytest.approx(
        evaluate(model, SoftmaxCrossEntropy(), x[100:150], y[100:150])[0])


def test_evaluate_matches_a_manual_computation_and_restores_mode(digits):
    x, y = digits
    model = small_cnn(rng=np.random.default_rng(3)).train()
    loss, acc = evaluate(model, SoftmaxCrossEntropy(), x, y, batch_size=64)   # 64+64+64+8
    scores = model.forward(x)
    expected_loss = SoftmaxCrossEntropy().forward(scores, y)
    assert loss == pytest.approx(expected_loss, rel=1e-6)
    assert acc == np.mean(scores.argmax(axis=1) == y)
    assert all(layer.training for layer in model.layers)


# -------------------------------------------------------------------------- divergence
def test_diverging_learning_rate_raises_training_diverged(digits):
    x, y = digits
    model = small_cnn(rng=np.random.default_rng(0))
    with pytest.raises(TrainingDiverged, match=r"learning rate \(1000\) is probably too high"):
        quick_fit(model, x, y, epochs=2, batch_size=32, optimizer=SGD(lr=1e3))


def test_diverging_with_stop_returns_history(digits):
    x, y = digits
    model = small_cnn(rng=np.random.default_rng(0))
    history = quick_fit(model, x, y, epochs=3, batch_size=32, optimizer=SGD(lr=1e3),
                        on_divergence="stop")
    assert "learning rate (1000)" in history.stopped_reason
    assert history.epochs <= 1 and len(history.batch_loss) < 7
    assert all(math.isfinite(v) for v in history.batch_loss)   # the bad step is not recorded


# --------------------------------------------------------------------------- callbacks
class Recorder(Callback):
    def __init__(self, stop_after_steps=None):
        self.events, self.stop_after_steps, self.steps = [], stop_after_steps, 0

    def on_train_begin(self, state):
        self.events.append("begin")

    def on_batch_end(self, state):
        self.steps += 1
        assert isinstance(state, TrainingState) and math.isfinite(state.loss)
        if self.stop_after_steps is not None and self.steps >= self.stop_after_steps:
            state.stop = True

    def on_epoch_end(self, state):
        self.events.append(f"epoch {state.epoch}")

    def on_train_end(self, state):
        self.events.append("end")


def test_callbacks_are_called_in_order(digits):
    x, y = digits[0][:40], digits[1][:40]
    recorder = Recorder()
    quick_fit(small_cnn(rng=np.random.default_rng(0)), x, y, epochs=2, batch_size=16,
              callbacks=[recorder])
    assert recorder.events == ["begin", "epoch 0", "epoch 1", "end"]
    assert recorder.steps == 2 * 3


def test_callback_setting_stop_stops_training(digits):
    x, y = digits
    recorder = Recorder(stop_after_steps=3)
    history = quick_fit(small_cnn(rng=np.random.default_rng(0)), x, y, epochs=5, batch_size=16,
                        callbacks=[recorder])
    assert len(history.batch_loss) == 3 and history.epochs == 1
    assert recorder.events == ["begin", "epoch 0", "end"]


class HalveLearningRate(Callback):
    def on_epoch_end(self, state):
        state.optimizer.lr = state.optimizer.lr / 2


def test_learning_rate_changes_are_recorded_in_history(digits):
    x, y = digits[0][:32], digits[1][:32]
    optimizer = SGD(lr=0.08)
    history = quick_fit(small_cnn(rng=np.random.default_rng(0)), x, y, epochs=3, batch_size=16,
                        optimizer=optimizer, callbacks=[HalveLearningRate()])
    assert history.lr == [0.08, 0.04, 0.02]
    assert optimizer.lr == 0.01


def test_early_stopping_rule():
    history = History()
    state = TrainingState(model=None, optimizer=None, history=history, epochs=10,
                          steps_per_epoch=1)
    stopper = EarlyStopping(patience=2)
    for val_loss, should_stop in [(1.0, False), (0.8, False), (0.9, False), (0.85, True)]:
        history.val_loss.append(val_loss)
        stopper.on_epoch_end(state)
        assert state.stop is should_stop, history.val_loss
    assert "has not improved for 2 epochs" in history.stopped_reason


def test_early_stopping_stops_fit(digits):
    # Validate on the training images with every label shifted by one: the better the model
    # learns the real labels, the worse the validation loss, so it stops improving at once.
    x, y = digits[0][:64], digits[1][:64]
    history = quick_fit(small_cnn(rng=np.random.default_rng(0)), x, y, epochs=20,
                        batch_size=16, optimizer=Adam(lr=3e-3), x_val=x, y_val=(y + 1) % 10,
                        callbacks=[EarlyStopping(patience=2)])
    assert history.epochs < 20
    assert history.stopped_reason.startswith("early stop")
    best = int(np.argmin(history.val_loss))
    assert history.epochs - 1 - best == 2


def test_augment_is_applied_to_every_batch(digits):
    x, y = digits[0][:40], digits[1][:40]
    seen = []

    def augment(xb, rng):
        assert isinstance(rng, np.random.Generator)
        seen.append(len(xb))
        return xb[:, :, ::-1, :]

    quick_fit(small_cnn(rng=np.random.default_rng(0)), x, y, batch_size=16, augment=augment)
    assert seen == [16, 16, 8]


def test_zero_epochs_is_a_no_op(digits):
    x, y = digits
    model = small_cnn(rng=np.random.default_rng(0))
    before = model.layers[0].params["W"].copy()
    history = quick_fit(model, x, y, epochs=0)
    assert history.epochs == 0 and history.batch_loss == []
    np.testing.assert_array_equal(model.layers[0].params["W"], before)


# ------------------------------------------------------------------------ invalid input
X = np.zeros((10, 1, 28, 28), dtype=np.float32)
Y = np.zeros(10, dtype=np.int64)
INVALID = {
    "x and y lengths differ": (dict(y=Y[:9]), r"x and y must have the same length, got 10 and 9"),
    "batch_size 0": (dict(batch_size=0), r"batch_size must be an integer >= 1"),
    "batch_size float": (dict(batch_size=8.0), r"batch_size must be an integer >= 1"),
    "epochs -1": (dict(epochs=-1), r"epochs must be an integer >= 0"),
    "rng is an int": (dict(rng=0), r"rng must be a numpy\.random\.Generator"),
    "rng is a RandomState": (dict(rng=np.random.RandomState(0)),
                             r"rng must be a numpy\.random\.Generator"),
    "x_val without y_val": (dict(x_val=X), r"x_val and y_val must be given together"),
    "on_divergence unknown": (dict(on_divergence="ignore"),
                              r"on_divergence must be 'raise' or 'stop'"),
}


@pytest.mark.parametrize("overrides, pattern", INVALID.values(), ids=INVALID.keys())
def test_invalid_fit_arguments_raise_value_error(overrides, pattern):
    model = small_cnn(rng=np.random.default_rng(0))
    before = model.layers[0].params["W"].copy()
    kwargs = dict(x=X, y=Y, epochs=1, batch_size=4, rng=np.random.default_rng(0))
    kwargs.update(overrides)
    with pytest.raises(ValueError, match=pattern):
        fit(model, SoftmaxCrossEntropy(), SGD(lr=0.1), **kwargs)
    np.testing.assert_array_equal(model.layers[0].params["W"], before)   # nothing trained


def test_invalid_labels_in_fit_raise_value_error():
    with pytest.raises(ValueError, match=r"labels must be in the range \[0, 9\]"):
        fit(small_cnn(rng=np.random.default_rng(0)), SoftmaxCrossEntropy(), SGD(lr=0.1), X,
            np.full(10, 10), epochs=1, batch_size=4, rng=np.random.default_rng(0))


def test_early_stopping_patience_must_be_positive():
    with pytest.raises(ValueError, match=r"patience must be an integer >= 1"):
        EarlyStopping(patience=0)


def test_fit_works_with_a_sequential_not_from_the_zoo(digits):
    from cnn_core.layers import Dense, Flatten
    x, y = digits
    model = Sequential([Flatten(), Dense(784, 10, rng=np.random.default_rng(0))])
    history = quick_fit(model, x, y, epochs=2, batch_size=50, optimizer=SGD(lr=0.1))
    assert history.train_loss[1] < history.train_loss[0]


def test_fit_on_a_trained_model_is_not_mistaken_for_divergence():
    """A second fit starts from a tiny loss; ordinary noise above it is not an explosion."""
    import numpy as np

    from cnn_core.losses import SoftmaxCrossEntropy
    from cnn_core.optim import SGD, Adam
    from cnn_core.train import fit
    from cnn_core.zoo import small_cnn

    x, y = load_digits("train")
    x, y = x[:40], y[:40]
    rng = np.random.default_rng(3)
    model = small_cnn(rng=rng)
    criterion = SoftmaxCrossEntropy()
    fit(model, criterion, Adam(3e-3), x, y, epochs=40, batch_size=20, rng=rng)
    first = criterion.forward(model.forward(x[:20]), y[:20])
    assert first < 0.05, "the model should have memorised 40 digits"
    history = fit(model, criterion, SGD(0.05, momentum=0.9), x, y, epochs=3, batch_size=8, rng=rng)
    assert history.epochs == 3 and history.stopped_reason == ""


def test_divergence_reference_is_at_least_one():
    """From a first loss of 0.01, a loss of 0.5 is noise, not an explosion; 25 is one."""
    from cnn_core.train import _diverged
    assert not _diverged(0.5, 0.01, 20.0)
    assert _diverged(25.0, 0.01, 20.0)
    assert _diverged(float("nan"), None, 20.0)
    assert not _diverged(40.0, 2.3, 20.0) and _diverged(47.0, 2.3, 20.0)


def test_progress_bar_saved_text_is_the_finished_bar_in_a_notebook(tmp_path, monkeypatch):
    """Execute a real notebook (kernel and all) and read what a reader without a kernel sees:
    the plain-text fallback of each epoch's bar must be the finished bar, not "0%"."""
    import os
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    code = ("import numpy as np\n"
            "from cnn_core.layers import Dense, Flatten\n"
            "from cnn_core.losses import SoftmaxCrossEntropy\n"
            "from cnn_core.model import Sequential\n"
            "from cnn_core.optim import SGD\n"
            "from cnn_core.train import ProgressBar, fit\n"
            "rng = np.random.default_rng(0)\n"
            "x, y = rng.standard_normal((40, 1, 2, 2)), np.arange(40) % 2\n"
            "model = Sequential([Flatten(), Dense(4, 2, rng=rng)])\n"
            "fit(model, SoftmaxCrossEntropy(), SGD(lr=0.1), x, y, epochs=2, batch_size=8,\n"
            "    rng=rng, x_val=x, y_val=y, callbacks=[ProgressBar()])\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    env_path = os.pathsep.join([str(Path(__file__).resolve().parents[1]),
                                os.environ.get("PYTHONPATH", "")])
    monkeypatch.setenv("PYTHONPATH", env_path)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={
        "metadata": {"path": str(tmp_path)}}).execute()
    texts = [o["data"]["text/plain"] for o in nb.cells[0].outputs
             if o.get("output_type") == "display_data" and "text/plain" in o.get("data", {})]
    assert len(texts) == 2, texts                           # one bar per epoch
    for epoch, text in enumerate(texts, start=1):
        assert text.startswith(f"epoch {epoch}/2: 100%"), text
        assert "5/5" in text and "loss=" in text and "val_acc=" in text, text
