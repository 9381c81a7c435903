"""Checks for the exercises of notebook 09 (hyperparameters)."""
import math

import numpy as np

from cnn_core.course.exercises._answers import call, number_array, whole_number
from cnn_core.course.exercises._report import expect, passed
from cnn_core.course.hyperparameters.experiments import Config, build_cnn
from cnn_core.data import stratified_split

# Exercise 1: the two-block CNN with larger filters and kernels.
PARAM_TASK = {"filters": (16, 32), "kernel_size": 5}


def check_param_count(count):
    """``count``: trainable numbers of ``build_cnn(Config(**PARAM_TASK))`` (same padding,
    pooling), worked out with the formulas, not by asking the model."""
    f1, f2 = PARAM_TASK["filters"]
    k = PARAM_TASK["kernel_size"]
    want = build_cnn(Config(**PARAM_TASK), np.random.default_rng(0)).num_params()
    conv1, conv2, dense = f1 * (k * k + 1), f2 * (f1 * k * k + 1), (f2 * 7 * 7 + 1) * 10
    count = whole_number(count, "count")
    expect(count != conv1 + conv2, "don't forget the Dense layer: 32 maps of 7x7 -> 10 scores")
    expect(count != want - f1 - f2 - 10, "each filter and each output unit has one bias too")
    expect(count != f1 * (k * k + 1) + f2 * (k * k + 1) + dense,
           "a filter of the second convolution spans all 16 input channels: 16 * 5 * 5 weights")
    expect(count == want, f"conv: F * (C * K * K + 1); dense: (features + 1) * 10 with "
           f"features = F2 * 7 * 7 after two 2x2 pools; got {count}, expected another number")
    passed(f"{want:,} parameters: {conv1:,} + {conv2:,} in the convolutions, {dense:,} in the "
           "Dense layer")


def check_validation_split(train_idx, val_idx, labels, n_per_class, seed=1):
    """``train_idx``, ``val_idx``: indices into ``labels`` (the training labels) that split
    them into a training part and a validation part with ``n_per_class`` digits per class,
    drawn with ``stratified_split`` and a generator seeded ``seed`` (so the split is the one
    anybody can reproduce)."""
    train_idx = number_array(train_idx, "my_train_idx", integer=True).ravel()
    val_idx = number_array(val_idx, "my_val_idx", integer=True).ravel()
    expect(train_idx.size and val_idx.size and train_idx.min() >= 0 and val_idx.min() >= 0
           and max(train_idx.max(), val_idx.max()) < len(labels),
           f"indices must lie between 0 and {len(labels) - 1}")
    expect(len(np.intersect1d(train_idx, val_idx)) == 0,
           "a digit is in both parts: the validation digits must never be trained on")
    expect(len(train_idx) + len(val_idx) == len(labels)
           and len(np.union1d(train_idx, val_idx)) == len(labels),
           f"together the two parts should cover all {len(labels)} training digits once")
    counts = np.bincount(labels[val_idx], minlength=labels.max() + 1)
    expect(np.all(counts == n_per_class), f"the validation part should hold {n_per_class} "
           f"digits of every class, it holds {counts.tolist()}")
    want_train, want_val = stratified_split(labels, n_per_class, np.random.default_rng(seed))
    expect(np.array_equal(np.sort(val_idx), np.sort(want_val))
           and np.array_equal(np.sort(train_idx), np.sort(want_train)),
           f"a valid split, but not the one the task asks for: use stratified_split with a "
           f"generator seeded {seed}, np.random.default_rng({seed}), so that others can "
           f"reproduce your validation digits")
    passed(f"{len(train_idx)} digits to train on, {len(val_idx)} to tune on, and the test set "
           "still untouched")


def check_log_uniform(sample):
    """``sample(rng, low, high, n) -> (n,)`` values between low and high whose logarithm is
    uniformly spread (every decade gets about the same number of draws)."""
    values = number_array(call(sample, "sample_log_uniform", np.random.default_rng(9), 1e-5,
                               1e-1, 20000), "sample_log_uniform(rng, low, high, n)")
    values = values.astype(float)
    expect(values.shape == (20000,), f"return n values in a 1-D array, got shape {values.shape}")
    expect(values.min() >= 1e-5 and values.max() <= 1e-1,
           f"values must lie in [low, high] = [1e-05, 0.1], got [{values.min():.3g}, "
           f"{values.max():.3g}]")
    per_decade = np.histogram(np.log10(values), bins=4, range=(-5, -1))[0] / len(values)
    expect(per_decade[-1] < 0.5, f"{per_decade[-1]:.0%} of the draws are above 0.01: that is "
           "uniform sampling, which almost never tries small learning rates; draw the "
           "exponent uniformly instead, 10 ** rng.uniform(log10(low), log10(high))")
    expect(np.all(np.abs(per_decade - 0.25) < 0.03),
           f"each of the 4 decades should get about 25% of the draws, got "
           f"{[f'{p:.0%}' for p in per_decade]}")
    median = float(np.median(values))
    passed(f"each decade gets about a quarter of the draws; the median {median:.2g} is close "
           f"to the geometric middle {math.sqrt(1e-5 * 1e-1):.2g}")
