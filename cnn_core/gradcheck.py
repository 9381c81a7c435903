"""Gradient checking: compare a backward pass with finite differences.

The numerical gradient of f at x nudges one number at a time:
    df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2h)
It is slow (two forward passes per number) but almost impossible to get wrong, so it is the
referee for every hand-written backward pass.  Use float64: in float32 the rounding error of f
swamps the tiny differences (a correct float32 Dense layer shows errors near 1e-4).
"""
import copy
import numbers

import numpy as np


def numerical_gradient(f, x, dout=None, h=1e-5):
    """Central-difference gradient with respect to the array ``x``, in two forms.

    Closure form, ``numerical_gradient(f, x)``: ``f()`` takes no arguments, reads ``x`` and
    returns a number L; the result is dL/dx.

    CS231n form, ``numerical_gradient(f, x, dout)``: ``f(x)`` returns an array y; the result is
    the gradient of sum(y * dout), i.e. what a backward pass returns as dx when given ``dout``.

    Parameters
    ----------
    f : callable
        ``f()`` (closure form) or ``f(x)`` (CS231n form).
    x : numpy.ndarray of floats, any shape
        Nudged in place one entry at a time; always restored, even if ``f`` raises.
    dout : numpy.ndarray shaped like f(x), optional
        The upstream gradient.  (For older code a plain number in this place is the step h.)
    h : float
        The step of the central difference.

    Returns
    -------
    numpy.ndarray, shape of x, float64.

    Raises
    ------
    ValueError
        If x is not a contiguous floating-point array, or f(x) and dout differ in shape.
    """
    if isinstance(dout, numbers.Real):           # numerical_gradient(f, x, 1e-4): the old h
        dout, h = None, float(dout)
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError("x must be a floating-point numpy array, "
                         f"got {getattr(x, 'dtype', type(x))}")
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so it can be nudged in place")
    loss = f if dout is None else _weighted_sum(f, x, np.asarray(dout))
    for i in range(flat.size):
        old = flat[i]
        try:
            flat[i] = old + h
            plus = loss()
            flat[i] = old - h
            minus = loss()
        finally:
            flat[i] = old
        gflat[i] = (plus - minus) / (2 * h)
    return grad


def _weighted_sum(f, x, dout):
    """The scalar sum(f(x) * dout), whose gradient with respect to f(x) is dout."""
    def loss():
        y = np.asarray(f(x))
        if y.shape != dout.shape:
            raise ValueError(f"dout must have the shape of f(x), {y.shape}, got {dout.shape}")
        return float(np.sum(y * dout))
    return loss


def relative_error(a, b, eps=1e-12):
    """||a - b|| / (||a|| + ||b||): 0 for identical arrays, about 1e-7 or less for a correct
    float64 backward pass, near 1 for an unrelated one."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), eps))


def float64_copy(layer):
    """A deep copy of ``layer`` whose params, grads and buffers are float64 arrays."""
    twin = copy.deepcopy(layer)
    for store in (twin.params, twin.grads, twin.buffers):
        for key, value in store.items():
            if np.issubdtype(value.dtype, np.floating):
                store[key] = value.astype(np.float64)
    return twin


def check_layer_gradients(layer, x, rng, h=1e-5):
    """Relative error of every gradient a layer computes: the input and each parameter.

    The check runs in float64 on a copy of the layer (:func:`float64_copy`), so a default
    float32 layer gets an honest answer and the layer itself (its params, grads, BatchNorm's
    running statistics) is left untouched.  It uses the scalar loss L = sum(forward(x) * g) for
    a fixed random g, whose gradient with respect to the output is exactly g.

    Parameters
    ----------
    layer : Layer
        Any layer; one with randomness (Dropout) must draw the same numbers on every forward.
    x : array, the layer's input, e.g. (N, C, H, W); converted to float64.
    rng : numpy.random.Generator, draws g.

    Returns
    -------
    dict {"x": err, "W": err, ...}: one relative error per gradient.
    """
    layer = float64_copy(layer)
    x = np.array(x, dtype=np.float64)
    out = layer.forward(x)
    g = rng.standard_normal(out.shape)
    dx = layer.backward(g)
    analytic = {"x": dx, **{k: v.copy() for k, v in layer.grads.items()}}

    def loss():
        return float(np.sum(layer.forward(x) * g))

    errors = {"x": relative_error(analytic["x"], numerical_gradient(loss, x, h=h))}
    for name, param in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(loss, param, h=h))
    return errors
