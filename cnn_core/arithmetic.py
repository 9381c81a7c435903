"""Convolution arithmetic: output sizes and receptive fields.

Every size in this module is measured along one spatial axis (H or W); the two axes are
independent, so a 2-D layer simply applies the same formula twice. Symbols follow
Dumoulin & Visin, "A guide to convolution arithmetic for deep learning" (arXiv 1603.07285):

    i  input size          k  kernel size        s  stride
    p  zero padding        d  dilation           o  output size
    i' input size of a transposed convolution,   o' its output size,
    a  output padding of a transposed convolution (0 <= a < s).

Receptive fields follow Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional
Neural Networks" (Distill, 2019), extended to dilated kernels.

All functions check their arguments and raise ``ValueError`` naming the parameter and its
valid range. Sizes must be Python or numpy integers; bools and floats (even ``2.0``) are refused.
"""
from dataclasses import dataclass, field
from typing import Callable

from .validation import check_int

_NAMES = {"i": "input size i", "k": "kernel size k", "s": "stride s", "p": "padding p",
          "d": "dilation d", "a": "output padding a", "row": "row", "col": "col"}
_MINIMUM = {"i": 1, "k": 1, "s": 1, "p": 0, "d": 1, "a": 0, "row": 0, "col": 0}


def _check(symbol, value, where=""):
    """Return ``value`` as an int, or raise ValueError naming the parameter and its range."""
    return check_int(where + _NAMES[symbol], value, _MINIMUM[symbol])


def _check_output_padding(a, s):
    a = _check("a", a)
    if a >= s:
        raise ValueError(f"output padding a must satisfy 0 <= a < s = {s}, got a = {a}")
    return a


# ----------------------------------------------------------------------------- output sizes
def effective_kernel_size(k, d=1):
    """Span of a dilated kernel: ``k_eff = k + (k - 1)(d - 1)``.

    Dilation inserts ``d - 1`` gaps between each of the ``k - 1`` neighbouring taps, so a
    3-tap kernel with d = 2 spans 5 pixels while still reading only 3 of them.
    """
    k, d = _check("k", k), _check("d", d)
    return k + (k - 1) * (d - 1)


def conv_output_size(i, k, s=1, p=0, d=1):
    """Output size of a (dilated) convolution: ``o = floor((i + 2p - k_eff) / s) + 1``.

    The padded input has ``i + 2p`` pixels. The first window starts at 0 and a window
    starting at ``t`` fits while ``t + k_eff <= i + 2p``; starts are ``0, s, 2s, ...``, so
    ``floor((i + 2p - k_eff) / s)`` further windows fit after the first one.
    This is relationship 15 of Dumoulin & Visin; relationships 1-6 are its special cases.
    """
    i, k, s, p, d = (_check(n, v) for n, v in zip("ikspd", (i, k, s, p, d)))
    k_eff = effective_kernel_size(k, d)
    if k_eff > i + 2 * p:
        raise ValueError(
            f"effective kernel size {k_eff} is larger than the padded input {i + 2 * p} "
            f"(i + 2p); kernel size k (with dilation d) must satisfy k + (k - 1)(d - 1) <= "
            f"i + 2p: use a smaller kernel or dilation, or more padding p")
    return (i + 2 * p - k_eff) // s + 1


def pool_output_size(i, k, s=None):
    """Output size of max/average pooling: ``o = floor((i - k) / s) + 1``.

    Pooling slides a window exactly like an unpadded convolution (relationship 7). The
    stride defaults to the window size, giving non-overlapping windows.
    """
    i, k = _check("i", i), _check("k", k)
    s = k if s is None else _check("s", s)
    if k > i:
        raise ValueError(f"kernel size k = {k} is larger than the input i = {i}; "
                         f"pooling needs 1 <= k <= i")
    return (i - k) // s + 1


def transposed_conv_output_size(i, k, s=1, p=0, a=0):
    """Output size of a transposed convolution: ``o' = s(i' - 1) + a + k - 2p``.

    Here ``i`` is the transposed layer's input size i' and ``k, s, p`` describe the direct
    convolution it transposes. Geometrically (relationship 14): put ``s - 1`` zeros between
    input pixels (``s(i' - 1) + 1`` pixels), add ``a`` zeros at the far edge, pad both sides
    with ``k - p - 1`` zeros and slide the kernel with unit stride. A stride-s convolution
    maps s different input sizes to the same output size; ``a`` picks which one to recover.
    """
    i, k, s, p = (_check(n, v) for n, v in zip("iksp", (i, k, s, p)))
    a = _check_output_padding(a, s)
    out = s * (i - 1) + a + k - 2 * p
    if out < 1:
        largest = (s * (i - 1) + a + k - 1) // 2
        raise ValueError(f"padding p = {p} is too large: s(i' - 1) + a + k - 2p = {out} < 1; "
                         f"padding p must satisfy 0 <= p <= {largest} here")
    return out


def transposed_output_padding(i, k, s=1, p=0):
    """Output padding ``a = (i + 2p - k) mod s`` that makes a transposed convolution
    return to the original input size i of the convolution ``(i, k, s, p)``.

    Because of the floor in ``conv_output_size``, the ``s`` input sizes ``i`` with the same
    ``(i + 2p - k) // s`` give the same output size; ``a`` is the remainder the floor threw
    away, and picks which of those sizes the transposed convolution returns to.
    """
    conv_output_size(i, k, s, p)  # validates: the convolution must exist
    return (i + 2 * p - k) % s


def unreached_pixels(i, k, s=1, p=0, d=1):
    """Rows at the far edge of the padded input that no window covers: ``(i + 2p - k_eff) mod s``.

    The last window starts at ``(o - 1)s`` and ends at ``(o - 1)s + k_eff - 1``; the
    ``i + 2p - (o - 1)s - k_eff`` rows after it are skipped, and that equals the remainder.
    """
    conv_output_size(i, k, s, p, d)
    return (i + 2 * p - effective_kernel_size(k, d)) % s


# ----------------------------------------------------------- the 15 relationships of the guide
@dataclass(frozen=True)
class Relationship:
    """One numbered relationship of Dumoulin & Visin, shown as a table row and callable.

    ``rel(i, k, s=1, p=0, a=0, d=1)`` evaluates the paper's own formula (for transposed
    relationships ``i`` is i' and ``k, s, p`` describe the direct convolution);
    ``rel.applies(...)`` says whether the conditions hold; ``rel.engine(...)`` computes the
    same size with the general engine function, so a notebook can check the two agree.
    """

    number: int
    name: str
    kind: str  # "convolution", "pooling", "transposed" or "dilated"
    conditions: str
    formula: str
    holds: Callable[..., bool] = field(repr=False)
    output: Callable[..., int] = field(repr=False)

    def applies(self, i, k, s=1, p=0, a=0, d=1):
        """True if ``(i, k, s, p, a, d)`` satisfy this relationship's conditions."""
        return bool(self.holds(i, k, s, p, a, d))

    def __call__(self, i, k, s=1, p=0, a=0, d=1):
        """The output size o this relationship gives for input size i, kernel k, stride s,
        padding p, output padding a, dilation d.  Raises ValueError if a size is not an
        integer in range or the arguments break the relationship's conditions."""
        i, k, s, p, a, d = (_check(n, v) for n, v in zip("ikspad", (i, k, s, p, a, d)))
        if not self.applies(i, k, s, p, a, d):
            raise ValueError(f"relationship {self.number} requires {self.conditions}; "
                             f"got i={i}, k={k}, s={s}, p={p}, a={a}, d={d}")
        out = self.output(i, k, s, p, a, d)
        if out < 1:
            raise ValueError(f"relationship {self.number} gives output size {out} < 1: "
                             f"kernel size k is too large for input size i={i}")
        return out

    def engine(self, i, k, s=1, p=0, a=0, d=1):
        """The same output size from conv/pool/transposed_conv_output_size."""
        if self.kind == "pooling":
            return pool_output_size(i, k, s)
        if self.kind == "transposed":
            return transposed_conv_output_size(i, k, s, p, a)
        return conv_output_size(i, k, s, p, d)


def _odd_half(k, p):
    return k % 2 == 1 and p == k // 2


_CONV, _TRANS = "convolution", "transposed"
# Each row: number, name, kind, conditions, formula, holds(i, k, s, p, a, d), output(...).
# Output padding a = 0 except in relationship 14 (with s = 1 it must be 0: 0 <= a < s);
# all but relationship 15 are undilated (d = 1).
RELATIONSHIPS = tuple(Relationship(*row) for row in (
    (1, "No zero padding, unit strides", _CONV, "s = 1, p = 0", "o = (i - k) + 1",
     lambda i, k, s, p, a, d: s == 1 and p == 0 and a == 0 and d == 1,
     lambda i, k, s, p, a, d: (i - k) + 1),
    (2, "Zero padding, unit strides", _CONV, "s = 1", "o = (i - k) + 2p + 1",
     lambda i, k, s, p, a, d: s == 1 and a == 0 and d == 1,
     lambda i, k, s, p, a, d: (i - k) + 2 * p + 1),
    (3, "Half (same) padding", _CONV, "s = 1, k odd, p = floor(k / 2)", "o = i",
     lambda i, k, s, p, a, d: s == 1 and _odd_half(k, p) and a == 0 and d == 1,
     lambda i, k, s, p, a, d: i),
    (4, "Full padding", _CONV, "s = 1, p = k - 1", "o = i + (k - 1)",
     lambda i, k, s, p, a, d: s == 1 and p == k - 1 and a == 0 and d == 1,
     lambda i, k, s, p, a, d: i + (k - 1)),
    (5, "No zero padding, non-unit strides", _CONV, "p = 0", "o = floor((i - k) / s) + 1",
     lambda i, k, s, p, a, d: p == 0 and a == 0 and d == 1,
     lambda i, k, s, p, a, d: (i - k) // s + 1),
    (6, "Zero padding, non-unit strides", _CONV, "any i, k, s, p",
     "o = floor((i + 2p - k) / s) + 1",
     lambda i, k, s, p, a, d: a == 0 and d == 1,
     lambda i, k, s, p, a, d: (i + 2 * p - k) // s + 1),
    (7, "Pooling", "pooling", "any i, k, s; no padding (p = 0)", "o = floor((i - k) / s) + 1",
     lambda i, k, s, p, a, d: p == 0 and a == 0 and d == 1,
     lambda i, k, s, p, a, d: (i - k) // s + 1),
    (8, "Transposed: no zero padding, unit strides", _TRANS,
     "s = 1, p = 0 (transposed: k' = k, s' = 1, p' = k - 1)", "o' = i' + (k - 1)",
     lambda i, k, s, p, a, d: s == 1 and p == 0 and a == 0 and d == 1,
     lambda i, k, s, p, a, d: i + (k - 1)),
    (9, "Transposed: zero padding, unit strides", _TRANS,
     "s = 1 (transposed: p' = k - p - 1)", "o' = i' + (k - 1) - 2p",
     lambda i, k, s, p, a, d: s == 1 and a == 0 and d == 1,
     lambda i, k, s, p, a, d: i + (k - 1) - 2 * p),
    (10, "Transposed: half (same) padding", _TRANS,
     "s = 1, k odd, p = floor(k / 2) (transposed: p' = p)", "o' = i'",
     lambda i, k, s, p, a, d: s == 1 and _odd_half(k, p) and a == 0 and d == 1,
     lambda i, k, s, p, a, d: i),
    (11, "Transposed: full padding", _TRANS,
     "s = 1, p = k - 1 (transposed: p' = 0)", "o' = i' - (k - 1)",
     lambda i, k, s, p, a, d: s == 1 and p == k - 1 and a == 0 and d == 1,
     lambda i, k, s, p, a, d: i - (k - 1)),
    (12, "Transposed: no zero padding, non-unit strides", _TRANS,
     "p = 0 and i - k a multiple of s, so a = 0 (transposed: s - 1 zeros between input "
     "units, s' = 1, p' = k - 1)", "o' = s(i' - 1) + k",
     lambda i, k, s, p, a, d: p == 0 and a == 0 and d == 1,
     lambda i, k, s, p, a, d: s * (i - 1) + k),
    (13, "Transposed: zero padding, non-unit strides", _TRANS,
     "i + 2p - k a multiple of s, so a = 0 (transposed: s - 1 zeros between input units, "
     "s' = 1, p' = k - p - 1)", "o' = s(i' - 1) + k - 2p",
     lambda i, k, s, p, a, d: a == 0 and d == 1,
     lambda i, k, s, p, a, d: s * (i - 1) + k - 2 * p),
    (14, "Transposed: zero padding, non-unit strides, any i", _TRANS,
     "a = (i + 2p - k) mod s zeros added at the far edge, 0 <= a < s (transposed: "
     "s' = 1, p' = k - p - 1)", "o' = s(i' - 1) + a + k - 2p",
     lambda i, k, s, p, a, d: a < s and d == 1,
     lambda i, k, s, p, a, d: s * (i - 1) + a + k - 2 * p),
    (15, "Dilated convolution", "dilated", "any i, k, s, p, d",
     "o = floor((i + 2p - k - (k - 1)(d - 1)) / s) + 1",
     lambda i, k, s, p, a, d: a == 0,
     lambda i, k, s, p, a, d: (i + 2 * p - k - (k - 1) * (d - 1)) // s + 1),
))


def relationships():
    """The 15 relationships as a list (a fresh copy, safe to sort or filter)."""
    return list(RELATIONSHIPS)


# --------------------------------------------------------------------------- receptive fields
@dataclass(frozen=True)
class ReceptiveField:
    """Receptive field of one output unit, measured on the input.

    size     r0: how many input pixels (per axis) can influence the unit.
    stride   S0: how far the field moves when the output index grows by 1 ("jump").
    padding  P0: how far the field of output unit 0 starts before input pixel 0.
    """

    size: int
    stride: int
    padding: int

    def span(self, u):
        """First and last input index (inclusive) seen by output unit ``u``: start = u*S0 - P0."""
        start = u * self.stride - self.padding
        return start, start + self.size - 1


def layer_geometry(item, index):
    """(k, s, p, d) of one spec: a tuple, a spatial layer, or a pointwise layer."""
    where = f"specs[{index}]: "
    if isinstance(item, (tuple, list)):
        if len(item) not in (3, 4):
            raise ValueError(f"{where}expected (kernel_size, stride, padding[, dilation]), "
                             f"a tuple of length 3 or 4, got length {len(item)}")
        k, s, p, d = (*item, 1) if len(item) == 3 else item
    elif hasattr(item, "kernel_size"):
        s = item.kernel_size if item.stride is None else item.stride
        k, p, d = item.kernel_size, item.padding, getattr(item, "dilation", 1)
    elif getattr(type(item), "preserves_space", False) is True:
        k, s, p, d = 1, 1, 0, 1
    else:
        raise ValueError(f"{where}{type(item).__name__} has no kernel: receptive fields are "
                         f"defined for spatial layers only (convolution, pooling, pointwise)")
    return tuple(_check(n, v, where) for n, v in zip("kspd", (k, s, p, d)))


def receptive_fields(specs):
    """Receptive field after each layer of ``specs`` (one ReceptiveField per prefix).

    Walking from the input forward with ``S`` = product of the strides so far:
    ``r += (k_eff - 1) * S``, ``P += p * S``, then ``S *= s``. Unrolled, these are
    Araujo et al.'s closed forms ``r0 = 1 + sum_l (k_l - 1) prod_{j<l} s_j``,
    ``S0 = prod_l s_l`` and ``P0 = sum_l p_l prod_{j<l} s_j``, with ``k_l`` the effective
    kernel size ``d(k - 1) + 1`` of a dilated layer.

    Parameters
    ----------
    specs : iterable
        Layers from input to output, each a ``(kernel_size, stride, padding[, dilation])``
        tuple, a spatial layer (attributes ``kernel_size``, ``stride``, ``padding`` and
        optionally ``dilation``) or a pointwise layer (class attribute
        ``preserves_space = True``, counted as a 1x1 kernel). Anything else raises ValueError.

    Returns
    -------
    list of ReceptiveField
        ``fields[l]`` describes the output of layer ``l`` measured on the input.
    """
    size, stride, padding, fields = 1, 1, 0, []
    for index, item in enumerate(specs):
        k, s, p, d = layer_geometry(item, index)
        size += (effective_kernel_size(k, d) - 1) * stride
        padding += p * stride
        stride *= s
        fields.append(ReceptiveField(size, stride, padding))
    return fields


def receptive_field(specs):
    """Receptive field of the whole stack ``specs``; an empty stack sees one pixel (1, 1, 0)."""
    fields = receptive_fields(specs)
    return fields[-1] if fields else ReceptiveField(1, 1, 0)


def receptive_field_box(specs, row, col):
    """Input pixels (top, left, bottom, right), inclusive, seen by output unit (row, col).

    Coordinates may be negative or beyond the image: that part of the field lies on padding.
    """
    row, col = _check("row", row), _check("col", col)
    field_ = receptive_field(specs)
    (top, bottom), (left, right) = field_.span(row), field_.span(col)
    return top, left, bottom, right
