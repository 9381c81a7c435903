"""How a check reads a student's answer: a missing or malformed answer gets "Not yet", never a
TypeError, and nothing is rounded or truncated into a pass.

Every reader takes the answer and the name the notebook gives it, and returns it in the form the
check compares (an ``int``, a ``float``, a numpy array, a function's result), or raises
AssertionError("Not yet: ...") through :func:`expect`.
"""
import numbers

import numpy as np

from cnn_core.course.exercises._report import expect

# Values a notebook puts where the student's answer goes, or that an unfinished cell leaves.
_PLACEHOLDER_TEXT = {"", "...", "?", "todo", "your answer", "your code here"}


def is_missing(value):
    """True for None, ``...``, NotImplemented and placeholder text such as "..." or "TODO"."""
    if value is None or value is Ellipsis or value is NotImplemented:
        return True
    return isinstance(value, str) and value.strip().lower() in _PLACEHOLDER_TEXT


def require(value, name):
    """Stop with "Not yet" if ``value`` is still a placeholder; otherwise return it."""
    expect(not is_missing(value),
           f"`{name}` has no answer yet (it is {value!r}): write it in the exercise cell, run "
           f"that cell, then run this check again")
    return value


def whole_number(value, name):
    """``value`` as an int; a bool, a fraction (58.5) or an integral float (58.0) is refused."""
    require(value, name)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    expect(not isinstance(value, (bool, np.bool_)),
           f"`{name}` should be a whole number, got the truth value {value!r}")
    expect(not (isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral)),
           f"`{name}` should be a whole number (int), got {value!r}: use // (floor division) "
           f"instead of /, and count, don't estimate")
    expect(isinstance(value, numbers.Integral),
           f"`{name}` should be a whole number (int), got {type(value).__name__} {value!r}")
    return int(value)


def real_number(value, name):
    """``value`` as a finite float (a Python or numpy number, or a 0-d array)."""
    require(value, name)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    expect(isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)),
           f"`{name}` should be one number, got {type(value).__name__} {_short(value)}")
    expect(np.isfinite(value), f"`{name}` should be a finite number, got {value!r}")
    return float(value)


def truth_value(value, name):
    """``value`` as a bool; only True or False (Python or numpy) are accepted."""
    require(value, name)
    expect(isinstance(value, (bool, np.bool_)),
           f"`{name}` should be True or False, got {type(value).__name__} {_short(value)}")
    return bool(value)


def number_array(value, name, shape=None, integer=False):
    """``value`` as a numeric numpy array, optionally of a given ``shape``; a ragged list, text
    or an object array gets "Not yet"."""
    require(value, name)
    expect(not isinstance(value, (str, bytes, dict, set)),
           f"`{name}` should be an array of numbers, got {type(value).__name__} {_short(value)}")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        array = None
    expect(array is not None and array.dtype != object,
           f"`{name}` should be a rectangular array of numbers; {_short(value)} has rows of "
           f"different lengths or entries that are not numbers")
    expect(np.issubdtype(array.dtype, np.number) or array.dtype == bool,
           f"`{name}` should hold numbers, got an array of {array.dtype}")
    if integer:
        expect(np.issubdtype(array.dtype, np.integer),
               f"`{name}` should hold whole numbers (an integer array), got {array.dtype}")
    if shape is not None:
        expect(array.shape == tuple(shape),
               f"`{name}` should have shape {tuple(shape)}, got {array.shape}")
    return array


def whole_numbers(value, name, length):
    """A tuple of ``length`` ints (a shape, a list of dilations, ...), each read by
    :func:`whole_number`."""
    require(value, name)
    expect(isinstance(value, (tuple, list, np.ndarray)) and len(value) == length,
           f"`{name}` should be {length} whole numbers in a tuple, got {_short(value)}")
    return tuple(whole_number(v, f"{name}[{i}]") for i, v in enumerate(value))


def function(fn, name):
    """Stop with "Not yet" unless ``fn`` is a function the check can call."""
    require(fn, name)
    expect(callable(fn), f"`{name}` should be a function (def {name}(...): ...), got "
           f"{type(fn).__name__} {_short(fn)}")
    return fn


def call(fn, name, *args):
    """``fn(*args)``; an unfinished body (NotImplementedError, returns None or ``...``) gets
    "Not yet", and an error inside the student's code is reported with the inputs that caused
    it (the original traceback stays attached)."""
    function(fn, name)
    try:
        result = fn(*args)
    except NotImplementedError as error:
        raise AssertionError(f"Not yet: `{name}` is not written yet (it raises "
                             f"NotImplementedError): replace the stub with your code") from error
    except Exception as error:  # the student's code failed: say where, keep the traceback
        raise AssertionError(f"Not yet: {name}({_describe(args)}) raised "
                             f"{type(error).__name__}: {error}") from error
    expect(result is not None, f"`{name}` returns None: end it with a return statement")
    expect(result is not Ellipsis, f"`{name}` returns ... : the body is still the placeholder")
    return result


def _describe(args):
    """Short text for the arguments of a call, arrays by shape."""
    return ", ".join(f"array{np.shape(a)}" if isinstance(a, np.ndarray) else _short(a)
                     for a in args)


def _short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."
