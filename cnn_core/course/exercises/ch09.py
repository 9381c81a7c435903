"""Checks for the exercises of notebook 09 (hyperparameters)."""
import math
import numbers

import numpy as np

from cnn_core.course.exercises._report import expect, passed
from cnn_core.course.hyperparameters.experiments import Config, build_cnn

# Exercise 1: the two-block CNN with larger filters and kernels.
PARAM_TASK = {"filters": (16, 32), "kernel_size": 5}


def check_param_count(count):
    """``count``: trainable numbers of ``build_cnn(Config(**PARAM_TASK))`` (same padding,
    pooling), worked out with the formulas, not by asking the model."""
    f1, f2 = PARAM_TASK["filters"]
    k = PARAM_TASK["kernel_size"]
    want = build_cnn(Config(**PARAM_TASK), np.random.default_rng(0)).num_params()
    conv1, conv2, dense = f1 * (k * k + 1), f2 * (f1 * k * k + 1), (f2 * 7 * 7 + 1) * 10
    expect(isinstance(count, numbers.Integral) and not isinstance(count, bool),
           f"give a whole number, got {count!r}")
    expect(count != conv1 + conv2, "don't forget the Dense layer: 32 maps of 7x7 -> 10 scores")
    expect(count != want - f1 - f2 - 10, "each filter and each output unit has one bias too")
    expect(count != f1 * (k * k + 1) + f2 * (k * k + 1) + dense,
           "a filter of the second convolution spans all 16 input channels: 16 * 5 * 5 weights")
    expect(count == want, f"conv: F * (C * K * K + 1); dense: (features + 1) * 10 with "
           f"features = F2 * 7 * 7 after two 2x2 pools; got {count}, expected another number")
    passed(f"{want:,} parameters: {conv1:,} + {conv2:,} in the convolutions, {dense:,} in the "
           "Dense layer")


def check_validation_split(train_idx, val_idx, labels, n_per_class):
    """``train_idx``, ``val_idx``: indices into ``labels`` (the training labels) that split
    them into a training part and a validation part with ``n_per_class`` digits per class."""
    train_idx, val_idx = np.asarray(train_idx), np.asarray(val_idx)
    expect(np.issubdtype(train_idx.dtype, np.integer) and np.issubdtype(val_idx.dtype, np.integer),
           "return integer index arrays (e.g. from cnn_core.data.stratified_split)")
    expect(len(np.intersect1d(train_idx, val_idx)) == 0,
           "a digit is in both parts: the validation digits must never be trained on")
    expect(len(train_idx) + len(val_idx) == len(labels)
           and len(np.union1d(train_idx, val_idx)) == len(labels),
           f"together the two parts should cover all {len(labels)} training digits once")
    counts = np.bincount(labels[val_idx], minlength=labels.max() + 1)
    expect(np.all(counts == n_per_class), f"the validation part should hold {n_per_class} "
           f"digits of every class, it holds {counts.tolist()}")
    passed(f"{len(train_idx)} digits to train on, {len(val_idx)} to tune on, and the test set "
           "still untouched")


def check_log_uniform(sample):
    """``sample(rng, low, high, n) -> (n,)`` values between low and high whose logarithm is
    uniformly spread (every decade gets about the same number of draws)."""
    values = np.asarray(sample(np.random.default_rng(9), 1e-5, 1e-1, 20000), dtype=float)
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
