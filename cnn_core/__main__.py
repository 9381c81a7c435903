"""Command line: ``python -m cnn_core train`` trains the course's small CNN on the bundled digits.

    python -m cnn_core train                       # the default recipe (cnn_core.recipes)
    python -m cnn_core train --epochs 5 --optimizer momentum --filters 16,32 --save model.npz
    python -m cnn_core train --schedule step --label-smoothing 0.1

Prints one line per epoch and ends with ``test accuracy: 0.XXXX``.  The hyperparameters and
how the model, optimizer and schedule are built live in :mod:`cnn_core.recipes`.
"""
import argparse
import math
import sys
from pathlib import Path

import numpy as np

from .data import load_digits
from .losses import SoftmaxCrossEntropy
from .recipes import (
    DEFAULT_RECIPE,
    OPTIMIZERS,
    SCHEDULES,
    SUGGESTED_LR,
    PrintEpochs,
    build_model,
    describe,
    recipe_from_options,
    train_recipe,
)
from .train import ProgressBar, TrainingDiverged, evaluate
from .validation import check_writable


def _int_at_least(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}, got {text!r}")
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}, got {value}")
        return value
    parse.__name__ = f"integer >= {minimum}"
    return parse


def _learning_rate(text):
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number > 0 (e.g. 0.003), got {text!r}")
    return value


def _label_smoothing(text):
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1) (e.g. 0.1), got {text!r}")
    return value


def _filters(text):
    parts = text.split(",")
    if len(parts) != 2 or not all(p.strip().isdigit() and int(p) >= 1 for p in parts):
        raise argparse.ArgumentTypeError(f"must be two integers >= 1 separated by a comma "
                                         f"(e.g. 8,16), got {text!r}")
    return tuple(int(p) for p in parts)


def _npz_path(text):
    """--save PATH, checked before training so that no run ends with its weights lost."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a directory; give a file name inside it, "
                                         f"e.g. {str(path / 'model.npz')!r}")
    if path.suffix != ".npz":
        raise argparse.ArgumentTypeError(f"must be a file name ending in .npz, got {text!r}")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder {str(path.parent)!r} does not exist")
    try:
        check_writable(path, "--save")
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return path


def build_parser():
    """The argparse parser with its ``train`` sub-command."""
    d = DEFAULT_RECIPE
    parser = argparse.ArgumentParser(prog="python -m cnn_core",
                                     description="CNNs from scratch in numpy: the course engine.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    train = commands.add_parser("train", help="train the small CNN on the bundled digits",
                                description="Train the course's small CNN on the 4,000 bundled "
                                "training digits and report accuracy on the 1,000 test digits.")
    train.add_argument("--epochs", type=_int_at_least(1), help=f"default {d.epochs}")
    train.add_argument("--lr", type=_learning_rate, help="learning rate > 0; default "
                       + ", ".join(f"{v:g} for {k}" for k, v in SUGGESTED_LR.items()))
    train.add_argument("--batch-size", type=_int_at_least(1), help=f"default {d.batch_size}")
    train.add_argument("--optimizer", choices=OPTIMIZERS, help=f"default {d.optimizer}")
    train.add_argument("--seed", type=_int_at_least(0), help=f"default {d.seed}")
    train.add_argument("--filters", type=_filters, metavar="F1,F2",
                       help="channels of the two convolutions; default "
                       + ",".join(map(str, d.filters)))
    train.add_argument("--schedule", choices=SCHEDULES,
                       help=f"learning-rate schedule (see cnn_core.recipes); default {d.schedule}")
    train.add_argument("--label-smoothing", type=_label_smoothing, metavar="E",
                       help=f"soften the one-hot targets by E in [0, 1); default "
                       f"{d.label_smoothing:g}")
    train.add_argument("--augment", action=argparse.BooleanOptionalAction, default=True,
                       help=f"shift training images by up to {d.max_shift} px (default: on)")
    train.add_argument("--progress", action=argparse.BooleanOptionalAction, default=True,
                       help="show a progress bar (default: on)")
    train.add_argument("--save", type=_npz_path, metavar="PATH",
                       help="save the trained weights to PATH (.npz)")
    return parser


def recipe_from_args(args):
    """The :class:`cnn_core.recipes.Recipe` for parsed ``train`` options (defaults filled in)."""
    return recipe_from_options(epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                               optimizer=args.optimizer, seed=args.seed, filters=args.filters,
                               schedule=args.schedule, label_smoothing=args.label_smoothing,
                               max_shift=None if args.augment else 0)


def train_command(args):
    """Run ``train`` for parsed ``args``; prints the log, returns the test accuracy."""
    recipe = recipe_from_args(args)
    x, y = load_digits("train")
    x_test, y_test = load_digits("test")
    rng = np.random.default_rng(recipe.seed)
    model = build_model(recipe, rng)
    print(f"recipe: {describe(recipe)}")
    print(f"data: {len(x):,} train / {len(x_test):,} test digits (scored once, at the end); "
          f"model: {model.num_params():,} parameters")
    callbacks = [ProgressBar(leave=False)] if args.progress else []
    # The recipe was chosen on a validation split (see cnn_core.recipes); this run trains on all
    # 4,000 training digits and scores the test digits once, at the end, never while training.
    train_recipe(model, recipe, x, y, rng=rng, callbacks=[*callbacks, PrintEpochs()])
    if args.save is not None:
        model.save(args.save)
        print(f"saved: {args.save}")
    accuracy = evaluate(model, SoftmaxCrossEntropy(), x_test, y_test)[1]
    print(f"test accuracy: {accuracy:.4f}")
    return accuracy


def main(argv=None):
    """Entry point; ``argv`` defaults to the command line.  Returns the exit status: 0 on
    success, 2 for a bad option (argparse), 1 when training diverges or saving fails; those
    print one message to stderr, no traceback.  Bad options are refused (argparse names the
    option) before any training.
    """
    args = build_parser().parse_args(argv)
    try:
        if args.command == "train":
            train_command(args)
    except TrainingDiverged as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
