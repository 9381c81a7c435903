"""Files that ship inside the package, in ``cnn_core/assets/``: find them, read them verified.

They are package data, read with ``importlib.resources``, so they come along with every kind
of install: a git clone, ``pip install .``, ``pip install git+<url>``, a wheel, a JupyterHub or
Colab image. When one is missing or damaged, the error says how to get it back for the kind
of install at hand (see ``repair_hint``).
"""
import hashlib
import importlib.metadata
import importlib.resources
import json
from pathlib import Path

PACKAGE = "cnn_core"
ASSETS = "assets"


class DataIntegrityError(ValueError):
    """A data file does not have the SHA-256 checksum it should have."""


def assets_dir():
    """Return the folder of bundled files, ``cnn_core/assets`` inside the installed package.

    A ``pathlib.Path`` for every ordinary install (an ``importlib.resources`` Traversable
    otherwise): use ``/ name`` and ``read_bytes()`` on it.
    """
    return importlib.resources.files(PACKAGE) / ASSETS


def _installed_from():
    """The URL pip recorded for this install (``direct_url.json``, PEP 610), or None."""
    try:
        record = importlib.metadata.distribution(PACKAGE).read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return None
    if not record:
        return None
    info = json.loads(record)
    if "vcs_info" in info:
        commit = info["vcs_info"].get("commit_id")
        return f"git+{info['url']}" + (f"@{commit}" if commit else "")
    if info.get("dir_info", {}).get("editable"):
        return None
    return info.get("url")


def repair_hint(package_dir, installed_from):
    """What a user should do to get the bundled files back, for their kind of install.

    Parameters
    ----------
    package_dir : Path
        The folder of the ``cnn_core`` package that is imported.
    installed_from : str or None
        The URL pip recorded for a non-editable install (a wheel, a source folder,
        ``git+https://...``), or None.
    """
    if (Path(package_dir).parent / ".git").exists():
        return (f"restore it with `git checkout -- {PACKAGE}/{ASSETS}/` in the repository "
                "(or clone the repository again)")
    if installed_from:
        return ("reinstall the package: "
                f"`pip install --force-reinstall --no-deps \"{installed_from}\"`")
    return ("reinstall the package the way you installed it, e.g. "
            "`pip install --force-reinstall --no-deps <the wheel file or git+URL>`")


def _bundled_hint():
    package_dir = Path(str(importlib.resources.files(PACKAGE)))
    return repair_hint(package_dir, _installed_from())


def read_verified(name, sha256, data_dir=None):
    """Return the bytes of data file ``name`` after checking its SHA-256.

    ``data_dir=None`` reads the copy bundled in ``cnn_core/assets/``; otherwise ``name`` is
    read from the folder ``data_dir``. Raises FileNotFoundError (missing file) or
    DataIntegrityError (wrong checksum), each saying what to do about it.
    """
    if data_dir is None:
        path, hint = assets_dir() / name, _bundled_hint()
    else:
        path = Path(data_dir) / name
        hint = (f"copy {name} from the bundled folder {assets_dir()} into {data_dir}, "
                "or leave out data_dir to use the bundled copy")
    if not path.is_file():
        raise FileNotFoundError(f"Data file missing: {path}. It ships with cnn_core; {hint}.")
    raw = path.read_bytes()
    actual = hashlib.sha256(raw).hexdigest()
    if actual != sha256:
        raise DataIntegrityError(f"Checksum mismatch for {path}: expected SHA-256 {sha256}, "
                                 f"got {actual}. The file is damaged or was modified; {hint}.")
    return raw
