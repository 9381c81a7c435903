"""The default training recipe: validation, builders, the learning-rate step-down, logging."""
import numpy as np
import pytest

from cnn_core.layers import Conv2D, Dense
from cnn_core.optim import SGD, Adam
from cnn_core.recipes import (
    DEFAULT_RECIPE,
    SUGGESTED_LR,
    CosineLR,
    Recipe,
    StepDownLR,
    build_augment,
    build_callbacks,
    build_criterion,
    build_model,
    build_optimizer,
    describe,
    format_epoch,
    lr_drop_epoch,
    recipe_from_options,
    train_recipe,
)
from cnn_core.train import History


@pytest.fixture(scope="module")
def digits(train_digits):
    x, y = train_digits
    return x[:96], y[:96]


@pytest.mark.parametrize("field, value", [
    ("epochs", 0), ("epochs", 2.0), ("lr", 0), ("lr", -1e-3), ("lr", float("inf")),
    ("batch_size", 0), ("optimizer", "rmsprop"), ("filters", (8,)), ("filters", (8, 0)),
    ("max_shift", -1), ("max_shift", 28), ("lr_drop_at", 0), ("lr_drop_at", 1.25),
    ("lr_drop_factor", 0), ("lr_drop_factor", 1.5), ("seed", -1), ("seed", True),
    ("schedule", "linear"), ("schedule", None), ("warmup", -0.1), ("warmup", 1.0),
    ("label_smoothing", -0.1), ("label_smoothing", 1.0), ("label_smoothing", "0.1"),
])
def test_bad_field_raises_naming_it(field, value):
    with pytest.raises(ValueError, match=field):
        Recipe(**{field: value})


def test_replace_checks_and_keeps_the_rest():
    recipe = DEFAULT_RECIPE.replace(epochs=3)
    assert recipe.epochs == 3 and recipe.lr == DEFAULT_RECIPE.lr
    with pytest.raises(ValueError, match="batch_size"):
        DEFAULT_RECIPE.replace(batch_size=0)


def test_recipe_from_options_ignores_none_and_suggests_an_lr():
    assert recipe_from_options(epochs=None, lr=None) == DEFAULT_RECIPE
    assert recipe_from_options(optimizer="sgd").lr == SUGGESTED_LR["sgd"]
    assert recipe_from_options(optimizer="sgd", lr=0.3).lr == 0.3
    assert recipe_from_options(optimizer=DEFAULT_RECIPE.optimizer).lr == DEFAULT_RECIPE.lr


def test_build_optimizer_for_each_name():
    adam = build_optimizer(Recipe(optimizer="adam", lr=0.004))
    assert isinstance(adam, Adam) and adam.lr == 0.004
    momentum = build_optimizer(Recipe(optimizer="momentum", lr=0.02))
    assert isinstance(momentum, SGD) and momentum.momentum == 0.9
    assert build_optimizer(Recipe(optimizer="sgd", lr=0.1)).momentum == 0.0


def test_build_model_uses_the_filters():
    model = build_model(Recipe(filters=(4, 6)), np.random.default_rng(0))
    convs = [layer for layer in model.layers if isinstance(layer, Conv2D)]
    assert [c.params["W"].shape[0] for c in convs] == [4, 6]
    dense = [layer for layer in model.layers if isinstance(layer, Dense)][0]
    assert dense.params["W"].shape == (6 * 7 * 7, 10)


def test_build_augment_shifts_whole_digits(digits):
    assert build_augment(Recipe(max_shift=0)) is None
    x = digits[0][:32]
    shifted = build_augment(Recipe(max_shift=2))(x, np.random.default_rng(0))
    assert shifted.shape == x.shape and shifted.dtype == x.dtype
    assert not np.array_equal(shifted, x)
    # MNIST digits sit inside a blank border of 4 px, so a 2 px shift loses no ink
    np.testing.assert_allclose(shifted.sum(axis=(1, 2, 3)), x.sum(axis=(1, 2, 3)), rtol=1e-5)


@pytest.mark.parametrize("epochs, drop_at, expected", [
    (20, 0.75, 15), (4, 0.75, 3), (3, 0.75, 3), (1, 0.75, 1), (10, 0.1, 1), (10, 1.0, 10),
    (7, 0.5, 4)])
def test_lr_drop_epoch(epochs, drop_at, expected):
    assert lr_drop_epoch(Recipe(epochs=epochs, lr_drop_at=drop_at)) == expected


def test_default_schedule_drops_after_60_percent():
    (callback,) = build_callbacks(DEFAULT_RECIPE)
    assert callback.drop_after == 18 and DEFAULT_RECIPE.epochs == 30
    assert build_callbacks(DEFAULT_RECIPE.replace(lr_drop_at=1.0)) == []
    assert build_callbacks(DEFAULT_RECIPE.replace(lr_drop_factor=1.0)) == []
    assert build_callbacks(DEFAULT_RECIPE.replace(epochs=1)) == []   # short runs keep full lr


@pytest.mark.parametrize("drop_at, expected", [
    (0.5, [1e-3, 1e-3, 1e-4, 1e-4]), (1.0, [1e-3] * 4), (0.25, [1e-3, 1e-4, 1e-4, 1e-4])])
def test_train_recipe_follows_the_schedule(digits, drop_at, expected):
    recipe = Recipe(epochs=4, lr=1e-3, batch_size=48, filters=(2, 2), lr_drop_at=drop_at)
    rng = np.random.default_rng(0)
    history = train_recipe(build_model(recipe, rng), recipe, *digits, rng=rng)
    np.testing.assert_allclose(history.lr, expected)


def test_step_down_rejects_bad_arguments():
    with pytest.raises(ValueError, match="drop_after"):
        StepDownLR(-1)
    with pytest.raises(ValueError, match="factor"):
        StepDownLR(2, factor=0)


def test_same_seed_same_training(digits):
    recipe = Recipe(epochs=2, batch_size=32, filters=(2, 4), max_shift=1, lr_drop_at=0.5)

    def run():
        rng = np.random.default_rng(5)
        model = build_model(recipe, rng)
        history = train_recipe(model, recipe, *digits, rng=rng, x_val=digits[0], y_val=digits[1])
        return history, model

    (h1, m1), (h2, m2) = run(), run()
    assert h1.train_loss == h2.train_loss and h1.val_acc == h2.val_acc
    for (_, w1, _), (_, w2, _) in zip(m1.named_params(), m2.named_params()):
        np.testing.assert_array_equal(w1, w2)


def test_format_epoch():
    h = History(train_loss=[0.5], train_acc=[0.875], val_loss=[0.25], val_acc=[0.9375],
                lr=[0.002], seconds=[1.26])
    assert format_epoch(h, 0, 20) == ("epoch  1/20  train loss 0.5000 acc 0.8750  "
                                      "val loss 0.2500 acc 0.9375  lr 0.002  1.3 s")
    h.val_loss, h.val_acc = [], []
    assert format_epoch(h, 0, 3) == "epoch 1/3  train loss 0.5000 acc 0.8750  lr 0.002  1.3 s"


def test_describe_names_the_knobs():
    text = describe(DEFAULT_RECIPE)
    for part in ("filters (16, 32)", "adam lr 0.003", "lr x0.1 after epoch 18", "batch 64",
                 "30 epochs", "2 px", "seed 0"):
        assert part in text
    assert "no augmentation" in describe(DEFAULT_RECIPE.replace(max_shift=0))


def test_step_down_at_zero_drops_from_the_start(digits):
    recipe = Recipe(epochs=2, lr=1e-3, batch_size=48, filters=(2, 2), lr_drop_at=1.0)
    rng = np.random.default_rng(0)
    history = train_recipe(build_model(recipe, rng), recipe, *digits, rng=rng,
                           callbacks=[StepDownLR(0, factor=0.5)])
    np.testing.assert_allclose(history.lr, [5e-4, 5e-4])


def test_warmup_needs_the_cosine_schedule():
    with pytest.raises(ValueError, match=r"warmup applies to schedule 'cosine' only.*0\.2"):
        Recipe(schedule="step", warmup=0.2)
    assert Recipe(schedule="cosine", warmup=0.2).warmup == 0.2
    # switching a cosine-with-warmup recipe to "step" drops the warmup unless it is given
    cosine = Recipe(schedule="cosine", warmup=0.2)
    assert recipe_from_options(cosine, schedule="step").warmup == 0.0
    with pytest.raises(ValueError, match="warmup"):
        recipe_from_options(cosine, schedule="step", warmup=0.2)


def test_cosine_rates_by_hand():
    cosine = CosineLR(warmup=0.25)
    cosine.total_steps, cosine.warmup_steps = 8, 2
    # warmup 1/2, 2/2; then (1 + cos(pi * p)) / 2 for p = 0, 1/6, ..., 5/6; then the last again
    expected = [0.5, 1.0] + [(1 + np.cos(np.pi * k / 6)) / 2 for k in range(6)]
    np.testing.assert_allclose([cosine.rate(s) for s in range(9)], expected + expected[-1:])
    assert min(cosine.rate(s) for s in range(9)) > 0


@pytest.mark.parametrize("warmup", [-0.5, 1.0, float("nan")])
def test_cosine_rejects_a_bad_warmup(warmup):
    with pytest.raises(ValueError, match=r"warmup must be a number in \[0, 1\)"):
        CosineLR(warmup)


@pytest.mark.parametrize("warmup", [0.0, 0.5])
def test_train_recipe_follows_the_cosine_schedule(digits, warmup):
    # 96 digits in batches of 48: 2 steps per epoch, 4 epochs = 8 steps; history.lr holds the
    # rate set for the step after each epoch's last one.
    recipe = Recipe(epochs=4, lr=1e-3, batch_size=48, filters=(2, 2), schedule="cosine",
                    warmup=warmup)
    rng = np.random.default_rng(0)
    history = train_recipe(build_model(recipe, rng), recipe, *digits, rng=rng)
    (cosine,) = build_callbacks(recipe)
    cosine.total_steps, cosine.warmup_steps = 8, int(8 * warmup)
    np.testing.assert_allclose(history.lr, [1e-3 * cosine.rate(s) for s in (2, 4, 6, 8)])
    if not warmup:
        assert history.lr == sorted(history.lr, reverse=True)


def test_build_criterion_smooths_the_labels():
    assert build_criterion(Recipe()).label_smoothing == Recipe().label_smoothing
    assert build_criterion(Recipe(label_smoothing=0.1)).label_smoothing == 0.1


def test_describe_names_schedule_and_smoothing():
    text = describe(Recipe(schedule="cosine", warmup=0.2, label_smoothing=0.1))
    assert "cosine decay after 20% warmup" in text and "label smoothing 0.1" in text
    assert "cosine decay," in describe(Recipe(schedule="cosine"))
    assert "label smoothing" not in describe(Recipe(label_smoothing=0.0))
