"""Small, measured hyperparameter experiments for chapter 9.

A :class:`Config` holds every knob of one training run of a small two-block CNN.  A sweep
changes one field and keeps everything else fixed (:meth:`Lab.sweep`); a random search draws
several fields at once (:func:`random_search`).  A :class:`Lab` holds the data of a series of
experiments and remembers every trial, so a shared baseline is trained once.  Every run is
seeded, so a sweep gives the same numbers each time, and every run is scored on a
*validation* set carved out of the training digits (``cnn_core.data.stratified_split``),
never on the test set.

:func:`activation_statistics` and :func:`deep_conv_stack` show what the initial weight scale
does to the activations of a deep stack, layer by layer.
"""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from cnn_core.layers import Conv2D, Dense, ReLU
from cnn_core.model import Sequential
from cnn_core.recipes import (
    Recipe,
    build_augment,
    build_callbacks,
    build_criterion,
    build_optimizer,
)
from cnn_core.train import fit
from cnn_core.validation import check_choice, check_images, check_int, check_probability, check_real
from cnn_core.zoo import DOWNSAMPLING, small_cnn

PADDINGS = ("same", "valid")


@dataclass(frozen=True)
class Config(Recipe):
    """A training :class:`~cnn_core.recipes.Recipe` plus the architecture knobs of chapter 9:
    conv (+ BatchNorm) + ReLU + downsampling, twice; then Dense (``zoo.small_cnn``'s variants).

    The training fields (epochs, lr, batch_size, optimizer, filters, max_shift, schedule,
    lr_drop_at, lr_drop_factor, warmup, label_smoothing, seed) mean and are checked exactly as
    in Recipe; only their defaults are the chapter's short runs: 3 epochs at lr 2e-3, no
    augmentation, a constant learning rate, no label smoothing.

    Attributes added to Recipe's
    ----------------------------
    kernel_size : int in [1, 7]    KH = KW of both convolutions
    downsample : "pool" | "stride" 2x2 max-pool after each conv, or the conv itself with stride 2
    padding : "same" | "valid"     kernel_size // 2 zeros around the input, or none
    dropout : float in [0, 1)      Dropout probability before the output layer (0: no Dropout)
    batchnorm : bool               BatchNorm2D after each convolution
    init_scale : float in (0, 100] multiplies the He-initialised conv weights (1: plain He)
    """

    epochs: int = 3
    lr: float = 2e-3
    batch_size: int = 64
    optimizer: str = "adam"
    filters: tuple = (8, 16)
    max_shift: int = 0
    schedule: str = "step"
    lr_drop_at: float = 1.0
    lr_drop_factor: float = 0.1
    warmup: float = 0.0
    label_smoothing: float = 0.0
    seed: int = 0
    kernel_size: int = 3
    downsample: str = "pool"
    padding: str = "same"
    dropout: float = 0.0
    batchnorm: bool = False
    init_scale: float = 1.0

    def __post_init__(self):
        super().__post_init__()
        check_int("kernel_size", self.kernel_size, 1, 7)
        check_choice("downsample", self.downsample, DOWNSAMPLING)
        check_choice("padding", self.padding, PADDINGS)
        check_probability("dropout", self.dropout)
        check_choice("batchnorm", self.batchnorm, (True, False))
        check_real("init_scale", self.init_scale, 0, 100, low_open=True)


def build_cnn(config, rng, input_shape=(1, 28, 28), num_classes=10):
    """The two-block CNN described by ``config``: ``zoo.small_cnn`` with the config's options,
    its convolution weights then multiplied by ``config.init_scale``.  With the default Config it
    is exactly ``zoo.small_cnn()``.  Input (N, 1, 28, 28) -> scores (N, 10)."""
    model = small_cnn(filters=config.filters, kernel_size=config.kernel_size,
                      num_classes=num_classes, rng=rng,
                      padding=None if config.padding == "same" else 0,
                      downsample=config.downsample, batchnorm=config.batchnorm,
                      dropout=config.dropout, input_shape=input_shape)
    for layer in model.layers:
        if isinstance(layer, Conv2D):
            layer.params["W"] *= np.float32(config.init_scale)
    return model


def multiply_adds(model, input_shape):
    """Multiply-adds for one sample of shape (C, H, W) through the convolutions and Dense
    layers: F*C*KH*KW*H_out*W_out per conv, in*out per Dense.  A machine-independent cost."""
    total, shape = 0, tuple(input_shape)
    for layer in model.layers:
        out = layer.output_shape(shape)
        if isinstance(layer, Conv2D):
            total += out[0] * shape[0] * layer.kernel_size ** 2 * out[1] * out[2]
        elif isinstance(layer, Dense):
            total += layer.in_features * layer.out_features
        shape = out
    return total


@dataclass
class TrialResult:
    """One run: its config, its History, the model's size and cost, and the wall time."""

    config: Config
    history: object
    params: int
    multiply_adds: int
    seconds: float
    diverged: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def val_acc(self):
        """Validation accuracy after the last epoch (0 if the run diverged before one)."""
        return self.history.val_acc[-1] if self.history.val_acc else 0.0

    @property
    def train_loss(self):
        """Mean training loss of the last epoch (nan if none finished)."""
        return self.history.train_loss[-1] if self.history.train_loss else math.nan


def run_trial(config, x, y, x_val, y_val):
    """Build, train and score one model.  x (N, 1, 28, 28), y (N,); validation likewise.

    The loss, optimizer, augmentation and schedule come from the Recipe builders.  A diverging run
    (loss nan or exploding) is stopped and marked, not raised.
    """
    rng = np.random.default_rng(config.seed)
    model = build_cnn(config, rng, input_shape=x.shape[1:])
    start = time.perf_counter()
    history = fit(model, build_criterion(config), build_optimizer(config), x, y,
                  epochs=config.epochs, batch_size=config.batch_size, rng=rng, x_val=x_val,
                  y_val=y_val, augment=build_augment(config), callbacks=build_callbacks(config),
                  on_divergence="stop")
    return TrialResult(config, history, model.num_params(), multiply_adds(model, x.shape[1:]),
                       time.perf_counter() - start, diverged=history.stopped_reason != "",
                       extra={"model": model})


def run_sweep(name, values, x, y, x_val, y_val, base=Config()):
    """Run one trial per value of the Config field ``name``, all else as in ``base``.

    Returns a list of :class:`TrialResult` in the order of ``values``.
    """
    return Lab(x, y, x_val, y_val).sweep(name, values, base)


class Lab:
    """One training subset and one validation set, and every trial run on them so far.

    ``lab.run(config)`` trains once per distinct config and remembers the result, so the
    baseline that appears in several sweeps is trained only once.
    """

    def __init__(self, x, y, x_val, y_val):
        self.x, self.y, self.x_val, self.y_val = x, y, x_val, y_val
        self.results = {}

    def run(self, config):
        """The :class:`TrialResult` of ``config`` (trained now, or remembered)."""
        if config not in self.results:
            self.results[config] = run_trial(config, self.x, self.y, self.x_val, self.y_val)
        return self.results[config]

    def sweep(self, name, values, base=Config()):
        """One result per value of the Config field ``name``, all other fields from ``base``."""
        if name not in Config.__dataclass_fields__:
            raise ValueError(f"name must be a Config field {tuple(Config.__dataclass_fields__)},"
                             f" got {name!r}")
        return [self.run(base.replace(**{name: value})) for value in values]


# The ranges random_search draws from: lr log-uniformly, the others uniformly from the lists.
SEARCH_SPACE = {"lr": (1e-4, 3e-2), "batch_size": (16, 32, 64, 128),
                "filters": ((4, 8), (8, 16), (12, 24))}


def sample_config(rng, base=Config()):
    """Draw lr, batch_size and filters from :data:`SEARCH_SPACE`; the rest comes from base."""
    low, high = SEARCH_SPACE["lr"]
    lr = float(10 ** rng.uniform(math.log10(low), math.log10(high)))
    batch_size = int(rng.choice(SEARCH_SPACE["batch_size"]))
    filters = SEARCH_SPACE["filters"][int(rng.integers(len(SEARCH_SPACE["filters"])))]
    return base.replace(lr=lr, batch_size=batch_size, filters=filters)


def random_search(lab, n_trials, rng, base=Config()):
    """Sample ``n_trials`` configs with :func:`sample_config` and run each one in ``lab``
    (a :class:`Lab`).  Returns the results sorted best first (highest validation accuracy).
    """
    n_trials = check_int("n_trials", n_trials, 1)
    results = [lab.run(sample_config(rng, base)) for _ in range(n_trials)]
    return sorted(results, key=lambda r: -r.val_acc)


def results_table(results, columns=("lr", "batch_size", "filters")):
    """A text table, one row per result: the chosen Config fields, parameters, multiply-adds,
    last training loss and validation accuracy (4 decimals).  Wall times are left out on
    purpose: they change from run to run, the other numbers do not."""
    header = [*columns, "params", "mult-adds", "train loss", "val acc"]
    rows = []
    for r in results:
        cells = [_fmt(getattr(r.config, c)) for c in columns]
        loss = "diverged" if r.diverged and not r.history.train_loss else f"{r.train_loss:.4f}"
        rows.append([*cells, f"{r.params:,}", f"{r.multiply_adds:,}", loss, f"{r.val_acc:.4f}"])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)


# ----------------------------------------------------------------------------- initialisation
def deep_conv_stack(depth, channels, init_scale, rng, in_channels=1):
    """``depth`` blocks of 3x3 convolution (padding 1) + ReLU, ``channels`` filters each, with
    He weights times ``init_scale``.  Built to watch activations, not to be trained."""
    depth = check_int("depth", depth, 1)
    channels = check_int("channels", channels, 1)
    scale = np.float32(check_real("init_scale", init_scale, 0, 100, low_open=True))
    layers = []
    for i in range(depth):
        conv = Conv2D(in_channels=in_channels if i == 0 else channels, out_channels=channels,
                      kernel_size=3, padding=1, rng=rng)
        conv.params["W"] *= scale
        layers += [conv, ReLU()]
    return Sequential(layers)


@dataclass
class LayerStats:
    """Statistics of one layer's output over a batch."""

    name: str
    mean: float
    std: float
    fraction_zero: float


def activation_statistics(model, x, kinds=(ReLU,)):
    """Mean, standard deviation and fraction of exact zeros of the output of every layer whose
    type is in ``kinds`` (default: after each ReLU), for a batch x (N, C, H, W), in eval mode."""
    check_images(x, "x")
    stats = []
    with model.evaluating():
        for i, layer in enumerate(model.layers):
            x = layer.forward(x)
            if isinstance(layer, kinds):
                values = x.astype(np.float64)
                stats.append(LayerStats(f"{i} {layer!r}", float(values.mean()),
                                        float(values.std()), float((values == 0).mean())))
    return stats
