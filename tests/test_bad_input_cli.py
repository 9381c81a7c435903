"""Bad input, theme "command line": every unusable option is refused before training starts,
with one line naming the option; a diverging run ends with its message, not a traceback."""
import os
import subprocess
import sys

import pytest

from cnn_core.__main__ import main


@pytest.fixture
def folder(tmp_path):
    return tmp_path


def refused(capsys, *args):
    """Run ``train`` with ``args``; it must stop with a usage error before it prints the recipe
    (the first thing a training run prints).  Returns stderr."""
    with pytest.raises(SystemExit) as info:
        main(["train", *args])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    return err


def test_save_into_a_directory_is_refused_before_training(capsys, folder):
    err = refused(capsys, "--save", str(folder))
    assert "argument --save:" in err and "is a directory" in err


def test_save_into_a_directory_named_like_a_file(capsys, folder):
    (folder / "model.npz").mkdir()
    err = refused(capsys, "--save", str(folder / "model.npz"))
    assert "argument --save:" in err and "is a directory" in err


def test_save_into_a_missing_folder_is_refused(capsys, folder):
    err = refused(capsys, "--save", str(folder / "missing" / "m.npz"))
    assert "argument --save:" in err and "does not exist" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_save_into_a_read_only_folder_is_refused(capsys, folder):
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        err = refused(capsys, "--save", str(locked / "m.npz"))
    finally:
        locked.chmod(0o700)
    assert "argument --save:" in err and "cannot be written" in err


@pytest.mark.parametrize("option, value", [
    ("--lr", "inf"), ("--lr", "1e"), ("--epochs", "-3"), ("--batch-size", "8.0"),
    ("--seed", "zero"), ("--filters", ",16"), ("--save", "model"), ("--optimizer", "Adam"),
])
def test_more_bad_options_name_the_option(capsys, option, value):
    err = refused(capsys, option, value)
    assert f"argument {option}:" in err
    assert "Traceback" not in err


def test_divergence_prints_one_message_and_no_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "cnn_core", "train", "--lr", "1000", "--epochs", "1",
         "--no-progress"], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: training stopped: the loss")
    assert "learning rate (1000) is probably too high" in result.stderr
