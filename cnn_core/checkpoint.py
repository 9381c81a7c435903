"""Saved models: the ``.npz`` files written by ``Sequential.save`` and read by ``load``.

A file holds one array per parameter and buffer ("0.W", "0.b", "1.running_mean", ...) and,
under the key ``architecture``, a JSON text listing each layer's type and ``settings()``.  No
pickle is involved, so loading a file cannot run code.

Reading is all-or-nothing: :func:`read_checkpoint` opens the file, reads every array, and
checks layer settings, names, shapes and dtypes before it returns anything; the caller assigns
weights only after that, so a failed load never leaves a model half old, half new.
"""
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .validation import MissingFileError, check_writable, npz_path

KEY = "architecture"


def write_checkpoint(path, layer_settings, architecture_text, arrays):
    """Write ``arrays`` and the layer settings to ``path`` (``.npz`` added if missing).

    The data goes to a temporary file in the same folder that is then renamed over ``path``,
    so an interrupted save leaves any previous file intact.  Returns the Path written.
    Raises ValueError if ``path`` is a directory, its folder is missing or not writable.
    """
    path = check_writable(npz_path(path), "path")
    handle, temporary = tempfile.mkstemp(suffix=".tmp", prefix=path.name, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **{KEY: np.array(json.dumps(layer_settings))}, **arrays)
        os.chmod(temporary, 0o644)          # mkstemp makes it private; a model file is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def resolve_existing(path):
    """The file ``load(path)`` reads: ``path`` + ".npz" when that is what ``save(path)`` wrote.

    Raises ValueError for a directory, MissingFileError (a FileNotFoundError and ValueError)
    when neither ``path`` nor ``path.npz`` exists.
    """
    candidate = npz_path(path)
    if candidate.is_file():
        return candidate
    if Path(path).is_file():
        return Path(path)
    tried = {str(Path(path)), str(candidate)}
    raise MissingFileError(f"path: no saved model at {' or '.join(sorted(tried))}; "
                           "check the name, or save one first with model.save(path)")


def read_checkpoint(path, layer_settings, architecture_text, expected):
    """Read a file written by :func:`write_checkpoint` and check it against a model.

    ``expected`` maps each name ("0.W", ...) to the model's current array.  Returns
    {name: array} cast to the model's dtypes.  Raises ValueError naming the path and the first
    problem: not an .npz, damaged, object arrays, other layers or settings, a missing, extra
    or wrongly shaped array, or a non-float array.
    """
    path = resolve_existing(path)
    stored = _read_all(path)
    _check_layers(path, stored.pop(KEY, None), layer_settings, architecture_text)
    missing = sorted(set(expected) - set(stored))
    extra = sorted(set(stored) - set(expected))
    if missing or extra:
        raise ValueError(f"{path}: the arrays do not match this model (missing {missing}, "
                         f"unexpected {extra}); was it saved from another model?")
    for name, target in expected.items():
        array = stored[name]
        if array.shape != target.shape:
            raise ValueError(f"{path}: {name} has shape {array.shape}, expected {target.shape}")
        if array.dtype.kind != "f":
            raise ValueError(f"{path}: {name} has dtype {array.dtype}, expected a floating "
                             f"dtype like {target.dtype}")
        stored[name] = array.astype(target.dtype, copy=False)
    return stored


def _read_all(path):
    """Every array of the .npz at ``path`` in memory, or a ValueError saying what is wrong."""
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise ValueError(f"path {str(path)!r} is not a model file written by Sequential.save "
                         f"(numpy could not read it as .npz: {type(err).__name__})") from None
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"path {str(path)!r} holds a single array (.npy), not a model saved "
                         "by Sequential.save (an .npz archive of named arrays)")
    with data:
        arrays = {}
        for name in data.files:
            arrays[name] = _read_one(path, data, name)
    return arrays


def _read_one(path, data, name):
    try:
        return data[name]
    except ValueError:
        raise ValueError(f"{path}: array {name!r} holds Python objects (dtype object), which "
                         "cnn_core refuses to load: a model file only holds numbers. Save the "
                         "model again with Sequential.save") from None
    except (OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile):
        raise ValueError(f"{path}: array {name!r} is damaged or truncated; save the model "
                         "again with Sequential.save") from None


def _check_layers(path, saved, layer_settings, architecture_text):
    """Compare the saved layer list with the model's; accepts files of the older repr format."""
    ours = json.loads(json.dumps(layer_settings))          # tuples -> lists, as in the file
    described, expected = "<missing>", architecture_text
    if saved is not None and saved.dtype.kind == "U" and saved.shape == ():
        text = str(saved)
        try:
            saved_layers = json.loads(text)
        except json.JSONDecodeError:            # files written before settings() existed
            if text == architecture_text:
                return
            described = text
        else:
            if saved_layers == ours:
                return
            described, expected = _describe(saved_layers), _describe(ours)
    raise ValueError(f"{path} holds a different architecture:\n{described}\n"
                     f"but this model is:\n{expected}")


def _describe(saved_layers):
    """One readable line per saved layer, e.g. ``Conv2D(in_channels=1, ...)``."""
    try:
        return "\n".join(f"{entry['layer']}(" + ", ".join(
            f"{k}={v}" for k, v in entry["settings"].items()) + ")" for entry in saved_layers)
    except (TypeError, KeyError, AttributeError):
        return "<unreadable layer list>"
