"""The layer contract (see cnn_core/layers/base.py), checked on every layer in ``LAYERS``.

Each test runs over the registry, building the layer from its example in
cnn_core/layers/examples.py: a new layer is covered by every test here as soon as it is defined,
and fails ``test_every_layer_has_an_example`` until it has an example.
"""
import inspect

import numpy as np
import pytest

import cnn_core.layers as layers_pkg
from cnn_core.layers import LAYERS, Layer, ReLU, example

# ------------------------------------------------------- the contract, over every layer
NAMES = sorted(LAYERS)


def build(name, seed=0):
    return example(name, np.random.default_rng(seed))


def test_registry_holds_every_public_layer_class():
    """Every public Layer subclass of cnn_core.layers is registered, and nothing else."""
    found = {cls.__name__ for module in vars(layers_pkg).values() if inspect.ismodule(module)
             for cls in vars(module).values()
             if inspect.isclass(cls) and issubclass(cls, Layer) and cls is not Layer
             and not cls.__name__.startswith("_") and cls.__module__ == module.__name__}
    assert found == set(LAYERS)
    assert {"Conv2D", "MaxPool2D", "AvgPool2D", "ReLU", "Flatten", "Dense", "Dropout",
            "BatchNorm2D"} <= set(LAYERS)

    class Custom(Layer):          # a subclass outside the engine stays out of the registry
        pass
    assert "Custom" not in LAYERS


@pytest.mark.parametrize("name", NAMES)
def test_every_layer_has_an_example(name):
    layer, x = build(name)
    assert type(layer) is LAYERS[name]
    assert isinstance(x, np.ndarray) and x.dtype == np.float64


def test_example_of_unknown_or_unexampled_layer_is_a_clear_error(monkeypatch):
    with pytest.raises(ValueError, match=r"name must be one of the layers .*got 'Conv3D'"):
        example("Conv3D", np.random.default_rng(0))

    class LeakyReLU(ReLU):
        pass
    monkeypatch.setitem(LAYERS, "LeakyReLU", LeakyReLU)
    with pytest.raises(ValueError, match=r"LeakyReLU has no example: add one to EXAMPLES"):
        example("LeakyReLU", np.random.default_rng(0))


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("name", NAMES)
def test_contract_gradients(name, training, assert_gradients_ok, freeze_randomness):
    layer, x = build(name)
    layer.train() if training else layer.eval()
    assert_gradients_ok(freeze_randomness(layer), x)


@pytest.mark.parametrize("name", NAMES)
def test_contract_params_and_grads_match(name):
    layer, x = build(name)
    out = layer.forward(x)
    for stage in ("built", "after backward"):
        assert set(layer.grads) == set(layer.params), stage
        for key, value in layer.params.items():
            assert layer.grads[key].shape == value.shape, (stage, key)
            assert layer.grads[key].dtype == value.dtype, (stage, key)
            assert layer.grads[key] is not value, (stage, key)
        layer.backward(np.ones_like(out))
    assert layer.num_params() == sum(p.size for p in layer.params.values())


@pytest.mark.parametrize("name", NAMES)
def test_contract_output_shape_matches_forward(name):
    layer, x = build(name)
    assert layer.forward(x).shape == (x.shape[0], *layer.output_shape(x.shape[1:]))


@pytest.mark.parametrize("name", NAMES)
def test_contract_backward_returns_input_shape(name):
    layer, x = build(name)
    out = layer.forward(x)
    assert layer.backward(np.ones_like(out)).shape == x.shape


@pytest.mark.parametrize("name", NAMES)
def test_backward_before_forward_raises(name):
    layer, _ = build(name)
    with pytest.raises(ValueError, match=rf"{name}\.backward\(\) called before forward\(\)"):
        layer.backward(np.zeros((2, 3)))


@pytest.mark.parametrize("name", NAMES)
def test_dout_of_wrong_shape_raises(name):
    layer, x = build(name)
    out = layer.forward(x)
    wrong = np.zeros(out.shape[:-1] + (out.shape[-1] + 1,))
    with pytest.raises(ValueError, match=rf"{name}\.backward: dout must have the output's shape "
                                         rf"\({out.shape[0]}, {out.shape[1]}"):
        layer.backward(wrong)


@pytest.mark.parametrize("name", NAMES)
def test_layers_have_no_side_effects_on_input(name):
    layer, x = build(name)
    original = x.copy()
    out = layer.forward(x)
    layer.backward(np.ones_like(out))
    np.testing.assert_array_equal(x, original, err_msg=repr(layer))


@pytest.mark.parametrize("name", NAMES)
def test_contract_float32_in_float32_out(name):
    """A default (float32) layer keeps float32 data float32 on the way forward and back."""
    layer64, x = build(name)
    kwargs = {k: v for k, v in vars(layer64).items()
              if k in inspect.signature(type(layer64)).parameters}
    if "rng" in inspect.signature(type(layer64)).parameters:
        kwargs["rng"] = np.random.default_rng(0)
    kwargs.pop("dtype", None)
    layer = type(layer64)(**kwargs)
    out = layer.forward(x.astype(np.float32))
    assert out.dtype == np.float32
    assert layer.backward(np.ones_like(out)).dtype == np.float32


@pytest.mark.parametrize("name", NAMES)
def test_contract_train_eval_return_self_and_switch_mode(name):
    layer, _ = build(name)
    assert layer.training is True
    assert layer.eval() is layer and layer.training is False
    assert layer.train() is layer and layer.training is True


@pytest.mark.parametrize("name", NAMES)
def test_contract_layers_never_print(name, capsys):
    layer, x = build(name)
    for mode in (layer.train, layer.eval):
        mode()
        out = layer.forward(x)
        layer.backward(np.ones_like(out))
        repr(layer)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("name", NAMES)
def test_contract_repr_names_the_class_and_its_settings(name):
    """repr shows the class and every setting the example gives a non-default value."""
    layer, _ = build(name)
    text = repr(layer)
    assert text.startswith(f"{name}(") and text.endswith(")")
    for setting, parameter in inspect.signature(type(layer)).parameters.items():
        value = getattr(layer, setting, None)
        if setting in ("rng", "dtype") or value is None or value == parameter.default:
            continue
        assert str(value) in text, f"{text} does not show {setting}={value}"
