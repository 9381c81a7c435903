"""Gradient checking: compare a backward pass with finite differences.

The numerical gradient of f at x nudges one number at a time:
    df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2h)
It is slow (two forward passes per number) but almost impossible to get wrong, so it is the
referee for every hand-written backward pass.  Use float64: in float32 the rounding error of f
swamps the tiny differences.
"""
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of the scalar function ``f()`` with respect to array ``x``.

    ``f`` takes no arguments and reads ``x``, which is changed in place one entry at a time and
    restored.  Returns an array shaped like x.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"x must be a floating-point numpy array, got {getattr(x, 'dtype', type(x))}")
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so it can be nudged in place")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        plus = f()
        flat[i] = old - h
        minus = f()
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b, eps=1e-12):
    """||a - b|| / (||a|| + ||b||): 0 for identical arrays, about 1e-7 or less for a correct
    float64 backward pass, near 1 for an unrelated one."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), eps))


def check_layer_gradients(layer, x, rng, h=1e-5):
    """Relative error of every gradient a layer computes: the input and each parameter.

    Uses the scalar loss L = sum(layer.forward(x) * g) for a fixed random g, whose gradient with
    respect to the output is exactly g.  Returns a dict {"x": err, "W": err, ...}.
    Layers with randomness (Dropout) must be given a fresh, identically seeded rng per forward.
    """
    x = np.array(x, dtype=np.float64)
    out = layer.forward(x)
    g = rng.standard_normal(out.shape)
    dx = layer.backward(g)
    analytic = {"x": dx, **{k: v.copy() for k, v in layer.grads.items()}}

    def loss():
        return float(np.sum(layer.forward(x) * g))

    errors = {"x": relative_error(analytic["x"], numerical_gradient(loss, x, h))}
    for name, param in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(loss, param, h))
    return errors
