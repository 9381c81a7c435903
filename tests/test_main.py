"""The command line, ``python -m cnn_core train``: output format, option checks, --save."""
import re
import subprocess
import sys

import numpy as np
import pytest

from cnn_core.__main__ import build_parser, main, recipe_from_args
from cnn_core.data import load_digits
from cnn_core.recipes import DEFAULT_RECIPE, SUGGESTED_LR
from cnn_core.zoo import small_cnn

# The test digits are never watched while training: no validation column in the CLI's log.
EPOCH_LINE = re.compile(r"^epoch (\d+)/(\d+)  train loss (\d+\.\d{4}) acc (\d\.\d{4})  "
                        r"lr \S+  \d+\.\d s$")
FINAL_LINE = re.compile(r"^test accuracy: (\d\.\d{4})$")


def run_cli(capsys, *args):
    """Run the CLI in-process; return (stdout lines, stderr)."""
    assert main(["train", *args]) == 0
    out, err = capsys.readouterr()
    return out.splitlines(), err


def test_help_lists_the_train_command():
    result = subprocess.run([sys.executable, "-m", "cnn_core", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "train" in result.stdout
    assert "python -m cnn_core" in result.stdout


def test_one_epoch_prints_epoch_lines_and_final_accuracy(capsys):
    lines, err = run_cli(capsys, "--epochs", "2", "--filters", "4,8", "--batch-size", "128")
    epochs = [EPOCH_LINE.match(line) for line in lines if line.startswith("epoch")]
    assert len(epochs) == 2 and all(epochs), lines
    assert [m.group(1, 2) for m in epochs] == [("1", "2"), ("2", "2")]
    final = FINAL_LINE.match(lines[-1])
    assert final, f"last line should be 'test accuracy: 0.XXXX', got {lines[-1]!r}"
    accuracy = float(final.group(1))
    assert 0.0 <= accuracy <= 1.0
    assert sum("test accuracy" in line for line in lines) == 1   # scored once, at the end
    assert accuracy > 0.5, "two epochs on 4,000 digits should beat guessing by far"
    assert "epoch 1/2" in err                       # the progress bar goes to stderr


def test_save_writes_a_loadable_npz(tmp_path, capsys):
    path = tmp_path / "digits.npz"
    lines, _ = run_cli(capsys, "--epochs", "1", "--filters", "4,8", "--batch-size", "128",
                       "--no-augment", "--no-progress", "--save", str(path))
    assert path.is_file()
    assert f"saved: {path}" in lines
    model = small_cnn(filters=(4, 8), rng=np.random.default_rng(99)).load(path)
    x, y = load_digits("test")
    accuracy = float(np.mean(model.predict(x) == y))
    assert lines[-1] == f"test accuracy: {accuracy:.4f}"


@pytest.mark.parametrize("option, value", [
    ("--lr", "0"), ("--lr", "-0.1"), ("--lr", "nan"), ("--lr", "fast"),
    ("--epochs", "0"), ("--epochs", "2.5"), ("--batch-size", "0"), ("--seed", "-1"),
    ("--filters", "8"), ("--filters", "8,0"), ("--filters", "8,x"), ("--filters", "8,16,32"),
    ("--optimizer", "rmsprop"), ("--save", "model.txt"), ("--save", "no/such/folder/m.npz"),
    ("--schedule", "linear"), ("--label-smoothing", "1"), ("--label-smoothing", "-0.1"),
    ("--label-smoothing", "nan"), ("--label-smoothing", "some"),
])
def test_bad_option_exits_with_a_message_naming_it(option, value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", option, value])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert f"argument {option}" in err, err


def test_bad_option_fails_as_a_process():
    result = subprocess.run([sys.executable, "-m", "cnn_core", "train", "--lr", "-1"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "argument --lr: must be a number > 0" in result.stderr


def test_missing_command_is_an_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code != 0
    assert "command" in capsys.readouterr().err


def test_no_options_gives_the_default_recipe():
    assert recipe_from_args(build_parser().parse_args(["train"])) == DEFAULT_RECIPE


def test_options_reach_the_recipe():
    args = build_parser().parse_args(["train", "--epochs", "3", "--batch-size", "32", "--seed",
                                      "7", "--filters", "16,32", "--no-augment",
                                      "--optimizer", "momentum"])
    recipe = recipe_from_args(args)
    assert (recipe.epochs, recipe.batch_size, recipe.seed) == (3, 32, 7)
    assert recipe.filters == (16, 32) and recipe.max_shift == 0
    assert recipe.optimizer == "momentum" and recipe.lr == SUGGESTED_LR["momentum"]
    explicit = recipe_from_args(build_parser().parse_args(["train", "--optimizer", "sgd",
                                                           "--lr", "0.05"]))
    assert explicit.lr == 0.05


def test_schedule_and_label_smoothing_reach_the_recipe():
    args = build_parser().parse_args(["train", "--schedule", "cosine", "--label-smoothing", "0.1"])
    recipe = recipe_from_args(args)
    assert recipe.schedule == "cosine" and recipe.label_smoothing == 0.1
    step = recipe_from_args(build_parser().parse_args(["train", "--schedule", "step",
                                                       "--label-smoothing", "0"]))
    assert step.schedule == "step" and step.warmup == 0 and step.label_smoothing == 0
