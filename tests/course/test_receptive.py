"""Tests for cnn_core.course.receptive.fields: unit boxes and centres against hand-worked cases,
layer tables
against Araujo et al. (Distill 2019), and the effective receptive field against the kernel
itself, the theoretical box and finite differences."""
import numpy as np
import pytest

from cnn_core.arithmetic import receptive_field, receptive_field_box
from cnn_core.course.receptive.fields import (
    alexnet_layer_specs,
    conv_relu_stack,
    effective_receptive_field,
    feature_map_sizes,
    fraction_in_center,
    locate_unit,
    mean_effective_receptive_field,
    receptive_field_center,
    spatial_layer_specs,
    vgg16_layer_specs,
)
from cnn_core.gradcheck import numerical_gradient
from cnn_core.layers import Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from cnn_core.model import Sequential
from cnn_core.zoo import small_cnn

STACK = [(3, 1, 1), (3, 1, 1), (2, 2, 0)]     # worked example of notebook 05: (6, 2, 2)


def box_mask(shape, box):
    """Boolean (H, W) mask of the part of an inclusive box that lies on the image."""
    top, left, bottom, right = box
    mask = np.zeros(shape, dtype=bool)
    mask[max(top, 0):bottom + 1, max(left, 0):right + 1] = True
    return mask


# ------------------------------------------------------------------------ layer tables
def test_vgg16_table_matches_distill():
    specs = vgg16_layer_specs()
    assert len(specs) == 18 and specs[0][0] == "conv1_1" and specs[-1][0] == "pool5"
    field = receptive_field([s for _, s in specs])
    assert (field.size, field.stride, field.padding) == (212, 32, 90)


def test_alexnet_table_matches_distill():
    field = receptive_field([s for _, s in alexnet_layer_specs()])
    assert (field.size, field.stride, field.padding) == (195, 32, 64)


def test_spatial_layer_specs_of_small_cnn():
    model = small_cnn(rng=np.random.default_rng(0))
    named = spatial_layer_specs(model)
    assert [name for name, _ in named] == ["conv1", "pool1", "conv2", "pool2"]
    assert receptive_field([layer for _, layer in named]) == model.summary((1, 28, 28)).rows[5][3]


# ------------------------------------------------------------------- sizes, centres, boxes
def test_feature_map_sizes_vgg16_on_224():
    sizes = feature_map_sizes([s for _, s in vgg16_layer_specs()], 224)
    assert sizes[:3] == [224, 224, 112] and sizes[-1] == 7


def test_feature_map_sizes_hand_worked():
    # 11x11 stride 4 on 224: floor(213 / 4) + 1 = 54; pool 3 stride 2: floor(51 / 2) + 1 = 26
    assert feature_map_sizes([(11, 4, 0), (3, 2, 0)], 224) == [54, 26]
    assert feature_map_sizes([(3, 1, 2, 2)], 10) == [10]     # dilated "same" convolution


@pytest.mark.parametrize("specs, unit, center", [
    (STACK, (3, 3), (6.5, 6.5)),            # pixels 4..9
    ([(3, 1, 0)], (0, 0), (1.0, 1.0)),       # pixels 0..2
    ([(3, 2, 1)], (2, 1), (4.0, 2.0)),       # rows 3..5, cols 1..3
    ([(2, 2, 0)], (0, 4), (0.5, 8.5)),       # even window: centre between two pixels
    ([(3, 1, 2, 2)], (0, 0), (0.0, 0.0)),    # dilated, padded: centred on the unit itself
])
def test_receptive_field_center_hand_worked(specs, unit, center):
    assert receptive_field_center(specs, *unit) == center


def test_center_is_middle_of_box_for_random_stacks():
    rng = np.random.default_rng(1)
    for _ in range(50):
        specs = [tuple(int(v) for v in (rng.integers(1, 6), rng.integers(1, 4), rng.integers(0, 3),
                                        rng.integers(1, 3))) for _ in range(rng.integers(1, 5))]
        row, col = (int(v) for v in rng.integers(0, 6, size=2))
        top, left, bottom, right = receptive_field_box(specs, row, col)
        assert receptive_field_center(specs, row, col) == ((top + bottom) / 2, (left + right) / 2)


def test_locate_unit_small_cnn_border_unit():
    specs = [layer for _, layer in spatial_layer_specs(small_cnn(rng=np.random.default_rng(0)))]
    unit = locate_unit(specs, (28, 28), 0, 3)
    # field (10, 4, 3): row 0 -> -3..6, col 3 -> 9..18
    assert unit.out_size == (7, 7) and unit.box == (-3, 9, 6, 18)
    assert unit.spill == (3, 0, 0, 0) and unit.center == (1.5, 13.5)
    assert unit.inside_fraction == pytest.approx(0.7)
    assert "3 top" in unit.describe()


def test_locate_unit_vgg16_pool5_corner_and_middle():
    specs = [s for _, s in vgg16_layer_specs()]
    corner = locate_unit(specs, (224, 224), 0, 0)
    assert corner.box == (-90, -90, 121, 121) and corner.spill == (90, 90, 0, 0)
    assert corner.inside_fraction == pytest.approx(122 ** 2 / 212 ** 2)
    last = locate_unit(specs, (224, 224), 6, 6)
    assert last.spill == (0, 0, 90, 90)
    assert locate_unit(specs, (224, 224), 3, 3).spill == (0, 0, 0, 0)


def test_locate_unit_non_square_image():
    unit = locate_unit([(3, 2, 1)], (9, 5), 4, 2)     # output 5 x 3
    assert unit.out_size == (5, 3) and unit.box == (7, 3, 9, 5) and unit.spill == (0, 0, 1, 1)


@pytest.mark.parametrize("args, word", [
    (([(3, 1, 1)], (8, 8), 8, 0), "row"),
    (([(3, 1, 1)], (8, 8), 0, 8), "col"),
    (([(3, 1, 1)], (8, 8), -1, 0), "row"),
    (([(3, 1, 1)], (0, 8), 0, 0), "image height"),
    (([], (8, 8), 0, 0), "specs"),
])
def test_locate_unit_rejects_bad_input(args, word):
    with pytest.raises(ValueError, match=word):
        locate_unit(*args)


# ------------------------------------------------------------ effective receptive field
def conv(c_in, c_out, k=3, stride=1, padding=0, dilation=1, seed=0):
    return Conv2D(c_in, c_out, kernel_size=k, stride=stride, padding=padding, dilation=dilation,
                  rng=np.random.default_rng(seed), dtype=np.float64)


def test_erf_of_single_conv_is_its_kernel():
    layer = conv(2, 3, padding=1)
    erf = effective_receptive_field([layer], (2, 10, 10), (4, 6), channel=1,
                                    rng=np.random.default_rng(0))
    expected = np.zeros((10, 10))
    expected[3:6, 5:8] = np.abs(layer.params["W"][1]).mean(axis=0)
    np.testing.assert_allclose(erf, expected, rtol=1e-6)
    assert np.array_equal(erf != 0, box_mask((10, 10), receptive_field_box([layer], 4, 6)))


def test_erf_all_channels_sums_the_filters():
    layer = conv(1, 4, stride=2, padding=1)
    erf = effective_receptive_field([layer], (1, 9, 9), (2, 3), n_samples=2,
                                    rng=np.random.default_rng(0))
    top, left, _, _ = receptive_field_box([layer], 2, 3)      # (3, 5)
    expected = np.zeros((9, 9))
    expected[top:top + 3, left:left + 3] = np.abs(layer.params["W"][:, 0].sum(axis=0))
    np.testing.assert_allclose(erf, expected, rtol=1e-6)


def test_erf_of_dilated_conv_touches_only_the_taps():
    layer = conv(1, 1, dilation=2)
    erf = effective_receptive_field([layer], (1, 7, 7), (1, 2), rng=np.random.default_rng(0))
    taps = np.zeros((7, 7), dtype=bool)
    taps[1:6:2, 2:7:2] = True
    assert np.array_equal(erf != 0, taps)


@pytest.mark.parametrize("unit", [(3, 4), (0, 0), (6, 2)])
def test_erf_of_two_layer_stack_fills_exactly_the_box(unit):
    layers = [conv(1, 4, padding=1, seed=1), ReLU(), MaxPool2D(kernel_size=2),
              conv(4, 4, padding=1, seed=2), ReLU()]
    erf = effective_receptive_field(layers, (1, 14, 14), unit, n_samples=32,
                                    rng=np.random.default_rng(3))
    assert np.array_equal(erf != 0, box_mask((14, 14), receptive_field_box(layers, *unit)))


def test_erf_matches_finite_differences():
    layers = [conv(2, 3, padding=1, seed=4), ReLU(), conv(3, 2, stride=2, seed=5)]
    x = np.random.default_rng(6).standard_normal((3, 2, 9, 9))
    model = Sequential(layers)

    def unit_sum():      # sum over the batch of output channel 1 at (1, 2)
        return float(model.forward(x)[:, 1, 1, 2].sum())

    numeric = np.abs(numerical_gradient(unit_sum, x)).mean(axis=(0, 1))
    erf = effective_receptive_field(model, (2, 9, 9), (1, 2), channel=1, inputs=x)
    np.testing.assert_allclose(erf, numeric, rtol=1e-3, atol=1e-6)


def test_erf_runs_in_eval_mode_and_restores_the_mode():
    model = Sequential([conv(1, 4, padding=1), Dropout(0.5, rng=np.random.default_rng(0)),
                        conv(4, 2, padding=1, seed=1)])
    x = np.random.default_rng(2).standard_normal((4, 1, 8, 8))
    first = effective_receptive_field(model, (1, 8, 8), (4, 4), inputs=x)
    second = effective_receptive_field(model, (1, 8, 8), (4, 4), inputs=x)
    np.testing.assert_array_equal(first, second)      # no dropout mask was drawn
    assert all(layer.training for layer in model.layers)


@pytest.mark.parametrize("kwargs, word", [
    (dict(unit=(5, 0)), "unit row"),
    (dict(unit=(0, 5)), "unit column"),
    (dict(unit=(0, 0), channel=2), "channel"),
    (dict(unit=(0, 0), inputs=np.zeros((2, 1, 6, 6))), "inputs"),
    (dict(unit=(0, 0), n_samples=0), "n_samples"),
])
def test_erf_rejects_bad_arguments(kwargs, word):
    with pytest.raises(ValueError, match=word):
        effective_receptive_field([conv(1, 2)], (1, 7, 7), rng=np.random.default_rng(0), **kwargs)


def test_erf_refuses_a_model_without_feature_maps():
    layers = [conv(1, 2), Flatten(), Dense(50, 3, rng=np.random.default_rng(0))]
    with pytest.raises(ValueError, match="feature maps"):
        effective_receptive_field(layers, (1, 7, 7), (0, 0), rng=np.random.default_rng(0))


def test_erf_rejects_bad_input_shape():
    with pytest.raises(ValueError, match="input_shape"):
        effective_receptive_field([conv(1, 2)], (7, 7), (0, 0))


# ------------------------------------------------------------------- fraction in centre
def test_fraction_in_center_uniform_and_peaked():
    box = (2, 2, 11, 11)                      # 10 x 10
    uniform = box_mask((14, 14), box).astype(float)
    # half of 10 is 5, widened to 6 so the part stays centred on whole pixels
    assert fraction_in_center(uniform, box, 0.5) == pytest.approx(36 / 100)
    peaked = np.zeros((14, 14))
    peaked[6, 7] = 1.0
    assert fraction_in_center(peaked, box) == 1.0


def test_fraction_in_center_clips_a_box_on_the_padding():
    box = (-3, -3, 6, 6)                      # 10 x 10, centre part rows/cols -1..4 -> 0..4
    erf = box_mask((8, 8), box).astype(float)
    assert fraction_in_center(erf, box, 0.6) == pytest.approx(25 / 49)


@pytest.mark.parametrize("erf, fraction, word", [
    (np.ones((4, 4)), 0.0, "fraction"), (np.zeros((4, 4)), 0.5, "erf")])
def test_fraction_in_center_rejects_bad_input(erf, fraction, word):
    with pytest.raises(ValueError, match=word):
        fraction_in_center(erf, (0, 0, 3, 3), fraction)


# ------------------------------------------------------------- random stacks and their mean ERF
def test_conv_relu_stack_has_the_geometry_of_its_specs():
    specs = [(3, 1, 1), (3, 2, 2, 2), (5, 1, 0)]
    layers = conv_relu_stack(specs, channels=4, in_channels=3, rng=np.random.default_rng(0))
    assert [type(layer) for layer in layers] == [Conv2D, ReLU] * 3
    convs = layers[::2]
    assert [(c.in_channels, c.out_channels) for c in convs] == [(3, 4), (4, 4), (4, 4)]
    assert [(c.kernel_size, c.stride, c.padding, c.dilation) for c in convs] == [
        (3, 1, 1, 1), (3, 2, 2, 2), (5, 1, 0, 1)]
    assert receptive_field(layers) == receptive_field(specs)
    out = Sequential(layers).forward(np.ones((2, 3, 16, 16), dtype=np.float32))
    assert out.shape == (2, 4, 4, 4) and out.min() >= 0


def test_conv_relu_stack_is_reproducible_and_rejects_bad_specs():
    first, second = (conv_relu_stack([(3, 1, 1)] * 2, rng=np.random.default_rng(5))
                     for _ in range(2))
    np.testing.assert_array_equal(first[2].params["W"], second[2].params["W"])
    with pytest.raises(ValueError, match="specs"):
        conv_relu_stack([])
    with pytest.raises(ValueError, match=r"specs\[1\]"):
        conv_relu_stack([(3, 1, 1), (3, 1)])
    with pytest.raises(ValueError, match="channels"):
        conv_relu_stack([(3, 1, 1)], channels=0)


def test_mean_erf_averages_independent_draws():
    specs, shape, unit = [(3, 1, 1), (3, 1, 2, 2)], (1, 11, 11), (5, 5)
    mean = mean_effective_receptive_field(specs, shape, unit, draws=3, channels=2, n_samples=4,
                                          rng=np.random.default_rng(7))
    rng = np.random.default_rng(7)                 # the same draws, one at a time
    singles = [effective_receptive_field(conv_relu_stack(specs, 2, 1, rng), shape, unit,
                                         n_samples=4, rng=rng) for _ in range(3)]
    np.testing.assert_allclose(mean, np.mean(singles, axis=0))
    assert not np.allclose(singles[0], singles[1])
    inside = box_mask((11, 11), receptive_field_box(specs, *unit))
    assert np.all(mean[~inside] == 0) and mean.shape == (11, 11)
    with pytest.raises(ValueError, match="draws"):
        mean_effective_receptive_field(specs, shape, unit, draws=0)

