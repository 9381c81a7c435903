"""The built wheel works from anywhere: package data inside, CLI and data loading from a temp dir.

Builds the wheel from a clean copy of the sources, installs it with ``--no-deps`` into a fresh
virtual environment that sees the dependencies already installed here (no download), and runs
``python -m cnn_core train`` and ``load_digits()`` from a temporary folder, outside the
repository. Takes about half a minute.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["cnn_core", "pyproject.toml", "README.md", "LICENSE"]


def _run(args, cwd, **kwargs):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg", PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build the wheel from a copy of the sources (no build/ or egg-info left in the repo)."""
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, src / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                         if (ROOT / name).is_dir() else {}))
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--wheel-dir", dist, src], cwd=src)
    (path,) = dist.glob("cnn_core-*.whl")
    return path


@pytest.fixture(scope="module")
def venv_python(wheel, tmp_path_factory):
    """A fresh venv with only the wheel installed; the deps come from this environment."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=venv).stdout.strip())
    # Reuse the installed numpy, matplotlib, ...: their folders go on the venv's path. An
    # editable cnn_core there is not picked up: .pth files in an added folder are not run.
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "reuse_installed_deps.pth").write_text("\n".join(sorted(here)) + "\n")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
          "--no-index", wheel], cwd=venv)
    return python


def test_wheel_holds_the_package_and_its_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"cnn_core/assets/mnist5k-images-idx3-ubyte.gz",
            "cnn_core/assets/mnist5k-labels-idx1-ubyte.gz",
            "cnn_core/assets/README.md"} <= names
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "cnn_core").rglob("*.py")}
    assert sources <= names, f"modules missing from the wheel: {sorted(sources - names)}"
    assert not [n for n in names if n.startswith(("tests/", "notebooks/", "data/"))]


def test_installed_wheel_loads_digits_from_any_folder(venv_python, tmp_path):
    code = ("import cnn_core, cnn_core.data as d; x, y = d.load_digits('test'); "
            "print(cnn_core.__file__); print(x.shape, y.shape); print(d.default_data_dir())")
    out = _run([venv_python, "-c", code], cwd=tmp_path).stdout.splitlines()
    venv = venv_python.parent.parent
    assert Path(out[0]).is_relative_to(venv), f"imported {out[0]}, not the installed wheel"
    assert out[1] == "(1000, 1, 28, 28) (1000,)"
    assert Path(out[2]).is_relative_to(venv)


def test_installed_wheel_trains_from_the_command_line(venv_python, tmp_path):
    result = _run([venv_python, "-m", "cnn_core", "train", "--epochs", "1", "--no-progress",
                   "--save", tmp_path / "model.npz"], cwd=tmp_path)
    assert "test accuracy" in result.stdout.lower(), result.stdout
    assert (tmp_path / "model.npz").is_file()


def test_damaged_data_in_a_wheel_install_says_how_to_reinstall(venv_python, wheel, tmp_path):
    find = "import cnn_core.data as d; print(d.default_data_dir() / d.LABELS_FILE)"
    labels = Path(_run([venv_python, "-c", find], cwd=tmp_path).stdout.strip())
    original = labels.read_bytes()
    labels.write_bytes(original[:-10])
    try:
        result = subprocess.run([venv_python, "-c", "import cnn_core.data as d; d.load_digits()"],
                                cwd=tmp_path, capture_output=True, text=True, timeout=120,
                                env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    finally:
        labels.write_bytes(original)
    assert result.returncode != 0
    assert "DataIntegrityError" in result.stderr
    assert f'pip install --force-reinstall --no-deps "{wheel.as_uri()}"' in result.stderr
