"""Argument checks for every public boundary of cnn_core: one place, one style of message.

Every check raises an error that names the parameter, the value it got and the valid range or
the next step.  Wrong *kinds* of value raise :class:`ArgumentTypeError`, which is both a
``TypeError`` and a ``ValueError`` (so ``except ValueError`` still catches every bad argument).

Error policy (what is accepted, converted, refused)
---------------------------------------------------
Accepted and converted
    * integer or bool images (e.g. uint8 pixels 0..255) given to a layer or functional op:
      converted to float32 first, so 200 x 4 is 800, not 32, and naive and fast agree;
    * a Python int where a float is asked for (``lr=1``);
    * a saved weight of another floating dtype: cast to the dtype of the model's parameter;
    * ``save("name")`` and ``load("name")``: both add the ``.npz`` suffix numpy adds.
Refused (ValueError or ArgumentTypeError)
    * Python lists, strings, None where an array is asked for (use ``np.asarray``);
    * complex, object or string arrays; integer or bool ``dtype`` for a layer's parameters
      (its weights would be truncated to zeros);
    * bools where a number is asked for; NaN or inf where a real number is asked for;
    * an empty batch (N = 0); a ``dout`` whose shape is not the forward output's;
    * NaN or inf in training or validation data: reported as bad data before training starts,
      never as divergence (:class:`cnn_core.train.TrainingDiverged` means the *loss* blew up);
    * BatchNorm2D in training mode with one value per channel (N*H*W = 1): the batch variance
      is 0, as PyTorch refuses too;
    * a save/load path that is a directory, or whose folder does not exist; a file to load that
      is not an ``.npz`` written by :meth:`cnn_core.model.Sequential.save`, holds object
      arrays, or differs in any name, shape or dtype kind.  Loading checks everything before
      the first weight is assigned, so a failed load leaves the model unchanged.  cnn_core never
      suggests ``allow_pickle``: the course does not unpickle files it did not write.
"""
import math
import numbers
import os
from pathlib import Path

import numpy as np


class ArgumentTypeError(TypeError, ValueError):
    """A value of the wrong kind (a list for an array, a float for a count, ...)."""


class MissingFileError(FileNotFoundError, ValueError):
    """A file to read does not exist (also a ValueError, like every bad argument)."""


def _is_bool(value):
    return isinstance(value, (bool, np.bool_))


# ------------------------------------------------------------------------------ numbers

def check_int(name, value, minimum, maximum=None):
    """Return ``value`` as int, or raise naming ``name`` and the valid range.

    Raises
    ------
    ArgumentTypeError
        ``value`` is not an integer (bools and floats such as 2.5 or 2.0 are refused).
    ValueError
        ``value`` is outside [minimum, maximum].
    """
    if type(value) is int and minimum <= value and (maximum is None or value <= maximum):
        return value    # the common case, without the slower abstract-class test below
    valid = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
    if _is_bool(value) or not isinstance(value, numbers.Integral):
        raise ArgumentTypeError(f"{name} must be an integer {valid}, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be an integer {valid}, got {value}")
    return int(value)


def check_real(name, value, low=-math.inf, high=math.inf, low_open=False, high_open=False):
    """Return ``value`` as a finite float in the range, or raise naming ``name`` and the range.

    ``low_open`` / ``high_open`` exclude the end points, e.g. ``check_real("lr", lr, 0,
    low_open=True)`` asks for lr > 0.

    Raises
    ------
    ArgumentTypeError
        ``value`` is not a real number (bools, strings, arrays are refused).
    ValueError
        ``value`` is NaN, infinite, or outside the range.
    """
    valid = _describe_range(low, high, low_open, high_open)
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(f"{name} must be {valid}, got {value!r}")
    number = float(value)
    inside = ((number > low if low_open else number >= low)
              and (number < high if high_open else number <= high))
    if not (math.isfinite(number) and inside):
        raise ValueError(f"{name} must be {valid}, got {value!r}")
    return number


def _describe_range(low, high, low_open, high_open):
    if low == -math.inf and high == math.inf:
        return "a finite number"
    if high == math.inf:
        return f"a finite number {'>' if low_open else '>='} {low:g}"
    if low == -math.inf:
        return f"a finite number {'<' if high_open else '<='} {high:g}"
    return (f"a number in {'(' if low_open else '['}{low:g}, {high:g}"
            f"{')' if high_open else ']'}")


def check_probability(name, value, upper_inclusive=False):
    """A float in [0, 1) (or [0, 1] if ``upper_inclusive``); see :func:`check_real`.
    Raises ArgumentTypeError for a non-number, ValueError outside the range or NaN.
    """
    return check_real(name, value, 0.0, 1.0, high_open=not upper_inclusive)


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices``, else raise ValueError listing them."""
    if not any(value is c or (type(value) is type(c) and value == c) for c in choices):
        listed = " or ".join(repr(c) for c in choices) if len(choices) == 2 else tuple(choices)
        raise ValueError(f"{name} must be {'' if len(choices) == 2 else 'one of '}{listed}, "
                         f"got {value!r}")
    return value


def check_rng(rng, where):
    """Require a numpy Generator (None refused: ``where`` needs reproducible randomness).

    Raises ArgumentTypeError naming ``rng`` and showing how to make one.
    """
    if not isinstance(rng, np.random.Generator):
        raise ArgumentTypeError(f"{where} needs rng, a numpy.random.Generator "
                                f"(e.g. rng=np.random.default_rng(0)), got {rng!r}")
    return rng


def check_filters(filters, name="filters"):
    """``filters`` as a tuple of two ints >= 1 (F1, F2) (the small CNN's two convolutions).

    Raises ValueError for anything but two integers >= 1.
    """
    if not hasattr(filters, "__len__") or isinstance(filters, str) or len(filters) != 2:
        raise ValueError(f"{name} must be two integers >= 1 (F1, F2), got {filters!r}")
    return tuple(check_int(name, f, 1) for f in filters)


def make_rng(rng, name="rng"):
    """Return ``rng`` if it is a numpy Generator, a fresh one for None.

    Raises
    ------
    ArgumentTypeError
        ``rng`` is anything else (e.g. a seed: pass ``np.random.default_rng(seed)``).
    """
    if rng is None:
        return np.random.default_rng()
    if not isinstance(rng, np.random.Generator):
        raise ArgumentTypeError(f"{name} must be a numpy.random.Generator "
                                f"(np.random.default_rng(seed)) or None, got {type(rng).__name__}")
    return rng


# ------------------------------------------------------------------------------- arrays

def check_array(x, name="x"):
    """Require a numpy array of real numbers (int, bool or float).

    Raises
    ------
    ArgumentTypeError
        ``x`` is a list, a tensor of another library, or a complex / object / string array.
    """
    if not isinstance(x, np.ndarray):
        hint = "; convert it with np.asarray(...)" if isinstance(x, (list, tuple)) else ""
        raise ArgumentTypeError(f"{name} must be a numpy array, got {type(x).__name__}{hint}")
    if x.dtype.kind not in "biuf":
        raise ArgumentTypeError(f"{name} must hold real numbers (int or float), "
                                f"got dtype {x.dtype}")
    return x


def as_float(x, name="x"):
    """``x`` as a float array: integer and bool arrays (pixels) become float32, floats stay.
    Raises ArgumentTypeError as :func:`check_array`.
    """
    check_array(x, name)
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def check_batch(x, name="x"):
    """A real-valued array with a batch axis holding at least one sample: (N, ...), N >= 1.
    Raises ArgumentTypeError as :func:`check_array`; ValueError for N = 0 or a 0-d array.
    """
    check_array(x, name)
    if x.ndim < 1 or x.shape[0] < 1:
        raise ValueError(f"{name} must hold at least one sample (N >= 1), got shape {x.shape}")
    return x


def check_images(x, name="x"):
    """Require an NCHW array: shape (N, C, H, W) with N >= 1 and real-valued entries.

    Raises
    ------
    ArgumentTypeError
        not a numpy array of real numbers.
    ValueError
        not 4-D, or N = 0.
    """
    if not isinstance(x, np.ndarray):
        raise ArgumentTypeError(f"{name} must be a numpy array of shape (N, C, H, W), "
                                f"got {type(x).__name__}")
    check_array(x, name)
    if x.ndim != 4:
        raise ValueError(
            f"{name} must have 4 dimensions (N, C, H, W), got {x.ndim}-D shape {x.shape}; "
            "a single image needs a batch axis: x[None]")
    if x.shape[0] < 1:
        raise ValueError(f"{name} must hold at least one image (N >= 1), got shape {x.shape}")
    return x


def as_float_images(x, name="x"):
    """:func:`check_images`, then integer pixels converted to float32 (see the policy above).
    Raises as :func:`check_images`.
    """
    return as_float(check_images(x, name), name)


def check_float_dtype(dtype, name="dtype"):
    """Return ``np.dtype(dtype)`` if it is a floating type; parameters of another type would be
    truncated (He-initialised weights in an integer array are all 0).

    Raises
    ------
    ArgumentTypeError
        not a dtype, or not a floating one.
    """
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise ArgumentTypeError(f"{name} must be a floating numpy dtype (np.float32 or "
                                f"np.float64), got {dtype!r}") from None
    if resolved.kind != "f":
        raise ArgumentTypeError(f"{name} must be a floating numpy dtype (np.float32 or "
                                f"np.float64), got {resolved}")
    return resolved


def check_dout(dout, expected_shape, where):
    """Require ``dout`` to be a real array of the forward output's shape; returns it as floats.

    Raises
    ------
    ArgumentTypeError
        not a numpy array of real numbers.
    ValueError
        wrong shape; the message gives the expected (N, ...) shape.
    """
    check_array(dout, "dout")
    if dout.shape != tuple(expected_shape):
        raise ValueError(f"{where}: dout must have the output's shape "
                         f"{tuple(expected_shape)}, got {dout.shape}")
    return as_float(dout, "dout")


def check_cache(cache, size, where):
    """The cache a matching forward returned (a tuple of ``size`` items), or a clear error.
    Raises ValueError for anything else (e.g. a naive forward's cache given to a fast backward).
    """
    if not isinstance(cache, tuple) or len(cache) != size:
        got = f"a tuple of {len(cache)}" if isinstance(cache, tuple) else type(cache).__name__
        raise ValueError(f"{where}: cache must be the second value returned by the matching "
                         f"forward function (a tuple of {size}), got {got}")
    return cache


def check_finite(x, name, what="data"):
    """Raise ValueError if ``x`` holds NaN or inf, saying where the first one is."""
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        bad = np.argwhere(~np.isfinite(x))
        raise ValueError(f"{name} holds {len(bad)} NaN/inf value(s), the first at index "
                         f"{tuple(int(i) for i in bad[0])}: this is bad {what}, not a "
                         "training problem; clean or drop those samples")
    return x


def check_window_fits(size, padding, k_eff, what="kernel"):
    """Raise if a window of effective size ``k_eff`` is larger than the padded input."""
    if k_eff > size + 2 * padding:
        raise ValueError(
            f"{what} size {k_eff} (effective) is larger than the padded input "
            f"{size} + 2*{padding} = {size + 2 * padding}; use a smaller kernel_size/dilation "
            "or more padding")


# -------------------------------------------------------------------------------- files

def npz_path(path, name="path"):
    """``path`` as a Path ending in ``.npz`` (added if missing, as ``np.savez`` does).

    Raises
    ------
    ArgumentTypeError
        ``path`` is not a str or os.PathLike.
    ValueError
        ``path`` is an existing directory.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentTypeError(f"{name} must be a file name (str or pathlib.Path), "
                                f"got {type(path).__name__}")
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{name} {str(path)!r} is a directory; give a file name inside it, "
                         f"e.g. {str(path / 'model.npz')!r}")
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    if path.is_dir():
        raise ValueError(f"{name} {str(path)!r} is a directory; give a file name inside it")
    return path


def check_writable(path, name="path"):
    """Raise ValueError unless a file can be written at ``path`` (its folder exists and is
    writable, and ``path`` is not a directory)."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{name} {str(path)!r} is a directory; give a file name inside it")
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(f"{name} {str(path)!r}: folder {str(folder)!r} does not exist; "
                         "create it first")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValueError(f"{name} {str(path)!r} cannot be written (no permission)")
    return path
