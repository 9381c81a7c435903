"""Which network reads the drawing: the one the student trained in chapter 08, or the bundled one.

The bundled model is the course's small CNN trained with the default recipe on the 4,000
bundled training digits by ``python scripts/make_bundled_model.py`` (seeded: one command
reproduces it).  Its weights ship as ``cnn_core/assets/digits_cnn.npz`` next to
``digits_cnn.npz.sha256`` (``sha256sum -c`` format); the checksum is verified before loading,
and loading goes through ``Sequential.load`` (``np.load(allow_pickle=False)``): no pickle, so
opening a weight file cannot run code.
"""
import hashlib
from pathlib import Path

import numpy as np

from cnn_core.bundled import assets_dir, read_verified
from cnn_core.recipes import DEFAULT_RECIPE, build_model

BUNDLED_MODEL = Path(str(assets_dir())) / "digits_cnn.npz"
# Chapter 08 saves the student's trained network here (relative to notebooks/).
STUDENT_MODEL = Path("my_digits_cnn.npz")


def file_sha256(path):
    """Hex SHA-256 of the bytes of ``path``."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_sha256(path):
    """Write ``<path>.sha256`` in ``sha256sum`` format and return the hex digest."""
    path = Path(path)
    digest = file_sha256(path)
    Path(f"{path}.sha256").write_text(f"{digest}  {path.name}\n")
    return digest


def expected_sha256(path):
    """The digest recorded in ``<path>.sha256``."""
    record = Path(f"{path}.sha256")
    if not record.is_file():
        raise FileNotFoundError(f"checksum file missing: {record}. Rebuild both files with "
                                "`python scripts/make_bundled_model.py`")
    return record.read_text().split()[0]


def load_bundled_model(path=BUNDLED_MODEL):
    """The bundled small CNN (input (N, 1, 28, 28), scores (N, 10)), checksum verified.

    Raises FileNotFoundError for a missing file and ``cnn_core.bundled.DataIntegrityError``
    (a ValueError) for a changed one, each saying how to get it back.
    """
    path = Path(path)
    data_dir = None if path == BUNDLED_MODEL else path.parent
    read_verified(path.name, expected_sha256(path), data_dir=data_dir)
    return build_model(DEFAULT_RECIPE, np.random.default_rng(0)).load(path).eval()


def load_pad_model(student_path=STUDENT_MODEL, bundled_path=BUNDLED_MODEL):
    """(model, where it came from): the student's saved network if ``student_path`` holds one
    with the default recipe's architecture, else the bundled model (and the reason, in words)."""
    student_path = Path(student_path)
    if student_path.is_file():
        try:
            model = build_model(DEFAULT_RECIPE, np.random.default_rng(0)).load(student_path)
            return model.eval(), f"your network from chapter 08 ({student_path})"
        except (ValueError, OSError) as error:
            first_line = str(error).splitlines()[0].rstrip(":")
            reason = f"{student_path} could not be loaded ({first_line})"
    else:
        reason = f"no {student_path} yet (chapter 08 saves it)"
    return load_bundled_model(bundled_path), f"the bundled network: {reason}"
