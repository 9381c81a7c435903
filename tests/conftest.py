"""Shared test setup: matplotlib's Agg backend (set once, before any test module is imported)
and fixtures used by several test files."""
import numpy as np
import pytest

from cnn_core.data import load_digits
from cnn_core.gradcheck import check_layer_gradients


def pytest_configure(config):
    """Draw off-screen: no window ever opens, figures render the same on every machine."""


@pytest.fixture
def ax():
    """A fresh matplotlib Axes, closed after the test."""
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


def _read_only(*arrays):
    for array in arrays:
        array.flags.writeable = False
    return arrays


@pytest.fixture(scope="session")
def train_digits():
    """The bundled training digits (x (N, 1, 28, 28) float32, y (N,)), loaded once per run.

    Read-only, so a test (or an engine function) that writes into its input fails loudly
    instead of changing the data every later test sees.  Slice what you need: x[:200].
    """
    return _read_only(*load_digits("train"))


@pytest.fixture(scope="session")
def test_digits():
    """The bundled test digits, loaded once per run, read-only (see ``train_digits``)."""
    return _read_only(*load_digits("test"))


@pytest.fixture
def rng():
    """A seeded Generator (seed 0) for tests that need any reproducible random numbers."""
    return np.random.default_rng(0)


@pytest.fixture
def assert_gradients_ok():
    """``assert_gradients_ok(layer, x)``: every gradient of the layer (input and each parameter)
    matches the numerical one to a relative error below 1e-7; returns the errors."""
    def check(layer, x, seed=0):
        errors = check_layer_gradients(layer, x, np.random.default_rng(seed))
        assert set(errors) == {"x", *layer.params}
        for name, err in errors.items():
            assert err < 1e-7, f"{layer!r}: relative error of d{name} is {err:.2e}"
        return errors
    return check


@pytest.fixture
def freeze_randomness():
    """``freeze_randomness(layer)``: a layer that draws from ``layer.rng`` (Dropout) draws the
    same numbers on every forward from now on, so a gradient check sees one fixed function."""
    def freeze(layer):
        if not hasattr(layer, "rng"):
            return layer

        class Frozen(type(layer)):
            def forward(self, x):
                self.rng.bit_generator.state = self.frozen_state
                return super().forward(x)

        layer.__class__ = Frozen
        layer.frozen_state = layer.rng.bit_generator.state
        return layer
    return freeze
