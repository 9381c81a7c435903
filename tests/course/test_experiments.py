"""Tests for cnn_core.course.hyperparameters.experiments: configs, model variants, sweeps, search,
activation stats."""
import math

import numpy as np
import pytest

from cnn_core.course.hyperparameters.experiments import (
    SEARCH_SPACE,
    Config,
    Lab,
    activation_statistics,
    build_cnn,
    deep_conv_stack,
    multiply_adds,
    random_search,
    results_table,
    run_sweep,
    run_trial,
    sample_config,
)
from cnn_core.layers import BatchNorm2D, Conv2D, Dropout, MaxPool2D
from cnn_core.recipes import Recipe, build_augment, build_callbacks
from cnn_core.zoo import small_cnn


@pytest.fixture(scope="module")
def tiny_data(train_digits):
    x, y = train_digits
    return x[:120], y[:120], x[120:180], y[120:180]


def quick(**changes):
    return Config(epochs=1, batch_size=32, filters=(2, 4)).replace(**changes)


def test_default_config_builds_exactly_the_course_small_cnn():
    built = build_cnn(Config(), np.random.default_rng(3))
    reference = small_cnn(rng=np.random.default_rng(3))
    assert built.architecture() == reference.architecture()
    for (name, a, _), (_, b, _) in zip(built.named_params(), reference.named_params()):
        np.testing.assert_array_equal(a, b, err_msg=name)


@pytest.mark.parametrize("changes, out_hw", [
    ({}, 7),
    ({"padding": "valid"}, 5),                  # 28 -> 26 -> 13 -> 11 -> 5
    ({"downsample": "stride"}, 7),              # 28 -> 14 -> 7
    ({"kernel_size": 5, "padding": "valid"}, 4),  # 28 -> 24 -> 12 -> 8 -> 4
])
def test_variants_have_the_expected_feature_size(changes, out_hw):
    model = build_cnn(Config(**changes), np.random.default_rng(0))
    summary = model.summary((1, 28, 28))
    flatten_row = [row for row in summary.rows if row[0] == "Flatten()"][0]
    assert flatten_row[1] == (16 * out_hw * out_hw,)
    assert model.forward(np.zeros((2, 1, 28, 28), np.float32)).shape == (2, 10)


def test_options_add_the_right_layers():
    model = build_cnn(Config(batchnorm=True, dropout=0.3, downsample="stride"),
                      np.random.default_rng(0))
    kinds = [type(layer) for layer in model.layers]
    assert kinds.count(BatchNorm2D) == 2 and kinds.count(Dropout) == 1
    assert MaxPool2D not in kinds
    assert all(layer.stride == 2 for layer in model.layers if isinstance(layer, Conv2D))


def test_init_scale_multiplies_the_conv_weights():
    plain = build_cnn(Config(), np.random.default_rng(1))
    scaled = build_cnn(Config(init_scale=3.0), np.random.default_rng(1))
    np.testing.assert_allclose(scaled.layers[0].params["W"], 3 * plain.layers[0].params["W"],
                               rtol=1e-6)


@pytest.mark.parametrize("field, value", [
    ("lr", 0), ("lr", -1e-3), ("optimizer", "rmsprop"), ("batch_size", 0), ("epochs", 0),
    ("filters", (8,)), ("filters", (8, 0)), ("kernel_size", 9), ("downsample", "avg"),
    ("padding", "full"), ("dropout", 1.0), ("batchnorm", 1), ("init_scale", 0),
    ("max_shift", 28), ("seed", -1)])
def test_invalid_config_values_name_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        Config(**{field: value})


@pytest.mark.parametrize("field, value", [("lr", 0), ("epochs", 0), ("filters", (8,)),
                                          ("optimizer", "rmsprop"), ("max_shift", 28)])
def test_config_is_a_recipe_with_the_same_checks_and_messages(field, value):
    assert issubclass(Config, Recipe)
    with pytest.raises(ValueError) as from_recipe:
        Recipe(**{field: value})
    with pytest.raises(ValueError) as from_config:
        Config(**{field: value})
    assert str(from_config.value) == str(from_recipe.value)


def test_config_defaults_are_the_chapters_short_runs_not_the_recipe():
    config = Config()
    assert (config.epochs, config.lr, config.max_shift, config.lr_drop_at) == (3, 2e-3, 0, 1.0)
    assert build_callbacks(config) == [] and build_augment(config) is None


def test_multiply_adds_counted_by_hand():
    model = build_cnn(Config(), np.random.default_rng(0))
    conv1 = 8 * 1 * 9 * 28 * 28
    conv2 = 16 * 8 * 9 * 14 * 14
    dense = 16 * 7 * 7 * 10
    assert multiply_adds(model, (1, 28, 28)) == conv1 + conv2 + dense


def test_run_trial_is_reproducible_and_learns(tiny_data):
    x, y, xv, yv = tiny_data
    first = run_trial(quick(epochs=3, filters=(4, 8)), x, y, xv, yv)
    again = run_trial(quick(epochs=3, filters=(4, 8)), x, y, xv, yv)
    assert first.history.val_acc == again.history.val_acc
    assert first.history.train_loss[-1] < first.history.train_loss[0]
    assert not first.diverged and first.params == first.extra["model"].num_params()


def test_run_trial_marks_divergence_instead_of_raising(tiny_data):
    x, y, xv, yv = tiny_data
    result = run_trial(quick(lr=1.0, optimizer="adam", epochs=2), x, y, xv, yv)
    assert result.diverged
    assert "learning rate" in result.history.stopped_reason


def test_run_sweep_changes_only_the_named_field(tiny_data):
    x, y, xv, yv = tiny_data
    results = run_sweep("batch_size", [16, 60], x, y, xv, yv, base=quick())
    assert [r.config.batch_size for r in results] == [16, 60]
    assert all(r.config.replace(batch_size=32) == quick() for r in results)
    assert len(results[0].history.batch_loss) == 8 and len(results[1].history.batch_loss) == 2
    with pytest.raises(ValueError, match="name"):
        run_sweep("learning_rate", [0.1], x, y, xv, yv)


def test_lab_trains_each_config_once_and_remembers_it(tiny_data):
    lab = Lab(*tiny_data)
    first = lab.sweep("lr", [1e-3, 2e-3], base=quick())
    again = lab.sweep("filters", [(2, 4), (4, 4)], base=quick())
    assert again[0] is first[1]                       # quick() has lr 2e-3 and filters (2, 4)
    assert len(lab.results) == 3
    assert again[1].config.filters == (4, 4) and again[1].config.lr == 2e-3


def test_sample_config_stays_in_the_search_space():
    rng = np.random.default_rng(0)
    configs = [sample_config(rng) for _ in range(200)]
    low, high = SEARCH_SPACE["lr"]
    lrs = np.array([c.lr for c in configs])
    assert lrs.min() >= low and lrs.max() <= high
    # log-uniform: about as many draws below the geometric middle as above it
    middle = math.sqrt(low * high)
    assert 70 < np.sum(lrs < middle) < 130
    assert {c.batch_size for c in configs} == set(SEARCH_SPACE["batch_size"])
    assert {c.filters for c in configs} == set(SEARCH_SPACE["filters"])


def test_random_search_sorts_best_first_and_table_lists_every_run(tiny_data):
    x, y, xv, yv = tiny_data
    lab = Lab(x, y, xv, yv)
    results = random_search(lab, 3, np.random.default_rng(2), base=quick())
    accs = [r.val_acc for r in results]
    assert accs == sorted(accs, reverse=True)
    table = results_table(results).splitlines()
    assert len(table) == 4 and "val acc" in table[0]
    assert f"{results[0].val_acc:.4f}" in table[1]
    with pytest.raises(ValueError, match="n_trials"):
        random_search(lab, 0, np.random.default_rng(2))


def test_he_init_keeps_activations_steady_and_scaling_makes_them_vanish_or_explode():
    rng = np.random.default_rng(0)
    x = rng.random((16, 1, 12, 12)).astype(np.float32)
    stds = {}
    for scale in (0.5, 1.0, 2.0):
        model = deep_conv_stack(6, 8, scale, np.random.default_rng(1))
        stats = activation_statistics(model, x)
        assert len(stats) == 6
        stds[scale] = np.array([s.std for s in stats])
    ratio_small = stds[0.5] / stds[1.0]
    ratio_large = stds[2.0] / stds[1.0]
    # each block multiplies the activations by the scale: 0.5**6 and 2**6 after six blocks
    np.testing.assert_allclose(ratio_small, 0.5 ** np.arange(1, 7), rtol=1e-4)
    np.testing.assert_allclose(ratio_large, 2.0 ** np.arange(1, 7), rtol=1e-4)
    assert 0.1 < stds[1.0][-1] / stds[1.0][0] < 10


def test_activation_statistics_fraction_zero_after_relu():
    model = deep_conv_stack(1, 4, 1.0, np.random.default_rng(0))
    x = np.ones((2, 1, 5, 5), np.float32)
    model.layers[0].params["W"][...] = 0
    model.layers[0].params["b"][...] = np.array([1, -1, 1, -1], np.float32)
    stats = activation_statistics(model, x)
    assert stats[0].fraction_zero == 0.5 and stats[0].mean == 0.5
    with pytest.raises(ValueError, match="depth"):
        deep_conv_stack(0, 4, 1.0, np.random.default_rng(0))
