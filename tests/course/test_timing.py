"""Tests for course/training/timing.py and plot_layer_times (chapter 08's "where the time goes").

Nothing here checks a speed: times depend on the machine.  What is checked is what gets timed
(which layers, in which order, on which shapes), the operation counts, and that timing leaves
the model as it was.
"""
import numpy as np
import pytest

from cnn_core.course.training.plots import plot_layer_times
from cnn_core.course.training.timing import (
    LayerTime,
    conv_flops,
    layer_flops,
    matmul_gflops,
    time_layers,
)
from cnn_core.layers import Conv2D, Dense, ReLU
from cnn_core.zoo import small_cnn


@pytest.fixture(scope="module")
def timed():
    model = small_cnn(filters=(4, 8), rng=np.random.default_rng(0)).eval()
    before = {name: value.copy() for name, value in model.arrays().items()}
    x = np.random.default_rng(1).standard_normal((8, 1, 28, 28)).astype(np.float32)
    return model, before, time_layers(model, x, repeats=2)


def test_layers_are_timed_in_training_order(timed):
    model, _, rows = timed
    assert [row.index for row in rows] == [0, 2, 1, 3, 5, 4, 6, 7]
    assert [row.name for row in rows] == [repr(model.layers[row.index]) for row in rows]
    for row in rows:
        assert np.isfinite(row.forward) and row.forward > 0
        assert np.isfinite(row.backward) and row.backward >= 0
        assert row.total == row.forward + row.backward


def test_flops_are_counted_for_the_matrix_layers_only(timed):
    _, _, rows = timed
    flops = {row.index: row.flops for row in rows}
    conv1 = 2 * 8 * 4 * 1 * 9 * 28 * 28           # N F C KH KW H_out W_out, 2 per multiply-add
    conv2 = 2 * 8 * 8 * 4 * 9 * 14 * 14
    dense = 2 * 8 * 8 * 7 * 7 * 10
    assert flops == {0: 2 * conv1, 2: None, 1: None, 3: 3 * conv2, 5: None, 4: None, 6: None,
                     7: 3 * dense}


def test_timing_changes_neither_weights_nor_mode(timed):
    model, before, _ = timed
    for name, value in model.arrays().items():
        np.testing.assert_array_equal(value, before[name])
    assert not any(layer.training for layer in model.layers)


def test_conv_and_layer_flops():
    conv = Conv2D(3, 5, kernel_size=3, stride=2, padding=1)
    forward = 2 * 2 * 5 * 3 * 9 * 4 * 4               # 8x8 input, stride 2 -> 4x4
    assert conv_flops(conv, (2, 3, 8, 8)) == (forward, 2 * forward)
    assert conv_flops(conv, (2, 3, 8, 8), first=True) == (forward, forward)
    assert layer_flops(Dense(6, 4), (5, 6), first=True) == 3 * 2 * 5 * 6 * 4
    assert layer_flops(ReLU(), (5, 6)) is None


def test_matmul_gflops_is_a_positive_rate():
    rate = matmul_gflops(size=64, repeats=2)
    assert np.isfinite(rate) and rate > 0


@pytest.mark.parametrize("model, x, repeats, kind, words", [
    ("not a model", np.zeros((1, 1, 28, 28)), 1, TypeError, "model must be a cnn_core Sequential"),
    (None, [[0.0]], 1, TypeError, "xb"),
    (None, np.zeros((1, 1, 28, 28)), 0, ValueError, "repeats must be an integer >= 1, got 0"),
])
def test_bad_input_names_the_argument(model, x, repeats, kind, words):
    model = small_cnn(rng=np.random.default_rng(0)) if model is None else model
    with pytest.raises(kind, match=words):
        time_layers(model, x, repeats=repeats)


def test_plot_layer_times_draws_one_bar_pair_per_layer(ax, timed):
    _, _, rows = timed
    forward, backward = plot_layer_times(ax, rows, matmul_rate=100.0)
    assert len(forward) == len(backward) == len(rows)
    assert [t.get_text() for t in ax.get_yticklabels()][:3] == ["0: Conv2D", "2: MaxPool2D",
                                                                "1: ReLU"]
    notes = [t.get_text() for t in ax.texts]
    shares = [float(note.split("%")[0]) for note in notes]
    assert abs(sum(shares) - 100) <= len(rows) / 2          # each rounded to a whole percent
    assert sum("of matmul speed" in note for note in notes) == 3


def test_plot_layer_times_refuses_no_rows(ax):
    with pytest.raises(ValueError, match="rows must hold at least one LayerTime"):
        plot_layer_times(ax, [])
    assert LayerTime(0, "x", 1.0, 2.0, None).total == 3.0
