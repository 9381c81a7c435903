"""Tests for cnn_core.arithmetic.

Formulas are checked three ways: against the worked examples (figures) of Dumoulin & Visin,
"A guide to convolution arithmetic for deep learning" (arXiv 1603.07285); against tiny
brute-force counters written here independently of the module; and, for receptive fields,
against the tables of Araujo, Norris & Sim, "Computing Receptive Fields of CNNs" (Distill 2019).
"""
import itertools

import numpy as np
import pytest

from cnn_core.arithmetic import (
    RELATIONSHIPS,
    ReceptiveField,
    conv_output_size,
    effective_kernel_size,
    pool_output_size,
    receptive_field,
    receptive_field_box,
    receptive_fields,
    relationships,
    transposed_conv_output_size,
    transposed_output_padding,
    unreached_pixels,
)


# ------------------------------------------------------------------ brute-force references
def window_taps(i, k, s, p, d):
    """Every window that fits in the padded input, as the list of indices it reads."""
    length = i + 2 * p
    windows = []
    for start in range(0, length, s):
        taps = [start + j * d for j in range(k)]
        if taps[-1] < length:
            windows.append(taps)
    return windows


def count_windows(i, k, s, p, d=1):
    return len(window_taps(i, k, s, p, d))


def count_unreached(i, k, s, p, d=1):
    """Rows after the last row any window reads (padded coordinates)."""
    last_read = max(tap for taps in window_taps(i, k, s, p, d) for tap in taps)
    return i + 2 * p - 1 - last_read


def transposed_by_construction(i_t, k, s, p, a):
    """Paper's recipe: stretch the input, add a zeros, pad by k - p - 1, slide k with stride 1."""
    signal = [1]
    for _ in range(i_t - 1):
        signal += [0] * (s - 1) + [1]
    signal += [0] * a
    pad = k - p - 1
    signal = [0] * pad + signal + [0] * pad if pad >= 0 else signal[-pad:pad]
    return sum(1 for start in range(len(signal)) if start + k <= len(signal))


# ------------------------------------------------------------ worked examples from the paper
# (relationship number, engine function, arguments, expected output size, figure)
PAPER_EXAMPLES = [
    (1, conv_output_size, dict(i=4, k=3), 2, "fig 2.1"),
    (1, conv_output_size, dict(i=5, k=3), 3, "fig 1.1"),
    (2, conv_output_size, dict(i=5, k=4, p=2), 6, "fig 2.2"),
    (3, conv_output_size, dict(i=5, k=3, p=1), 5, "fig 2.3 half padding"),
    (4, conv_output_size, dict(i=5, k=3, p=2), 7, "fig 2.4 full padding"),
    (5, conv_output_size, dict(i=5, k=3, s=2), 2, "fig 2.5"),
    (6, conv_output_size, dict(i=5, k=3, s=2, p=1), 3, "fig 2.6"),
    (6, conv_output_size, dict(i=6, k=3, s=2, p=1), 3, "fig 2.7"),
    (7, pool_output_size, dict(i=5, k=3, s=1), 3, "fig 1.3 pooling"),
    (8, transposed_conv_output_size, dict(i=2, k=3), 4, "fig 4.1"),
    (9, transposed_conv_output_size, dict(i=6, k=4, p=2), 5, "fig 4.2"),
    (10, transposed_conv_output_size, dict(i=5, k=3, p=1), 5, "fig 4.3"),
    (11, transposed_conv_output_size, dict(i=7, k=3, p=2), 5, "fig 4.4"),
    (12, transposed_conv_output_size, dict(i=2, k=3, s=2), 5, "fig 4.5"),
    (13, transposed_conv_output_size, dict(i=3, k=3, s=2, p=1), 5, "fig 4.6"),
    (14, transposed_conv_output_size, dict(i=3, k=3, s=2, p=1, a=1), 6, "fig 4.7 a=1"),
    (15, conv_output_size, dict(i=7, k=3, d=2), 3, "fig 5.1 dilation"),
]
EXAMPLE_IDS = [example[-1] for example in PAPER_EXAMPLES]


@pytest.mark.parametrize("number, engine, args, expected, figure", PAPER_EXAMPLES,
                         ids=EXAMPLE_IDS)
def test_paper_example_engine(number, engine, args, expected, figure):
    assert engine(**args) == expected


@pytest.mark.parametrize("number, engine, args, expected, figure", PAPER_EXAMPLES,
                         ids=EXAMPLE_IDS)
def test_paper_example_relationship(number, engine, args, expected, figure):
    rel = RELATIONSHIPS[number - 1]
    assert rel.number == number
    assert rel.applies(**args)
    assert rel(**args) == expected


def test_output_padding_and_unreached_rows_of_figures_2_6_and_2_7():
    # i=5 and i=6 both give o=3 with k=3, s=2, p=1; only i=6 leaves a padded row unreached,
    # and that row is the output padding a=1 the transposed convolution (fig 4.7) adds back.
    assert transposed_output_padding(5, 3, 2, 1) == 0
    assert transposed_output_padding(6, 3, 2, 1) == 1
    assert unreached_pixels(5, 3, 2, 1) == 0
    assert unreached_pixels(6, 3, 2, 1) == 1


# ------------------------------------------------------------------ brute force over grids
CONV_GRID = list(itertools.product(range(1, 13), range(1, 7), range(1, 5), range(0, 4),
                                   range(1, 4)))


def test_conv_output_size_matches_brute_force():
    for i, k, s, p, d in CONV_GRID:
        expected = count_windows(i, k, s, p, d)
        if expected == 0:
            with pytest.raises(ValueError, match="effective kernel size"):
                conv_output_size(i, k, s, p, d)
        else:
            assert conv_output_size(i, k, s, p, d) == expected, (i, k, s, p, d)


def test_unreached_pixels_matches_brute_force():
    for i, k, s, p, d in CONV_GRID:
        if count_windows(i, k, s, p, d):
            assert unreached_pixels(i, k, s, p, d) == count_unreached(i, k, s, p, d)


def test_pool_output_size_matches_brute_force():
    for i, k, s in itertools.product(range(1, 13), range(1, 7), range(1, 5)):
        if k <= i:
            assert pool_output_size(i, k, s) == count_windows(i, k, s, 0)
            assert pool_output_size(i, k) == count_windows(i, k, k, 0)


def test_effective_kernel_size_is_span_of_taps():
    for k, d in itertools.product(range(1, 8), range(1, 6)):
        taps = [j * d for j in range(k)]
        assert effective_kernel_size(k, d) == taps[-1] - taps[0] + 1


TRANSPOSED_GRID = list(itertools.product(range(1, 13), range(1, 6), range(1, 5), range(0, 4)))


def test_transposed_convolution_recovers_input_size():
    for i, k, s, p in TRANSPOSED_GRID:
        if k <= i + 2 * p:
            o = conv_output_size(i, k, s, p)
            a = transposed_output_padding(i, k, s, p)
            assert transposed_conv_output_size(o, k, s, p, a) == i, (i, k, s, p)


def test_transposed_output_sizes_are_all_inputs_that_map_to_i_prime():
    # A stride-s convolution sends up to s input sizes to the same i'; a in 0..s-1 lists them.
    for i_t, k, s, p in itertools.product(range(1, 7), range(1, 6), range(1, 5), range(0, 4)):
        by_brute_force = {i for i in range(1, 40) if count_windows(i, k, s, p) == i_t}
        by_formula = set()
        for a in range(s):
            try:
                by_formula.add(transposed_conv_output_size(i_t, k, s, p, a))
            except ValueError:
                pass
        assert by_formula == by_brute_force, (i_t, k, s, p)


def test_transposed_matches_paper_construction():
    for i_t, k, s, p in TRANSPOSED_GRID:
        for a in range(s):
            expected = transposed_by_construction(i_t, k, s, p, a)
            if expected >= 1:
                assert transposed_conv_output_size(i_t, k, s, p, a) == expected
            else:
                with pytest.raises(ValueError, match="padding p"):
                    transposed_conv_output_size(i_t, k, s, p, a)


# --------------------------------------------------------------------------- relationships
def test_relationship_table_is_complete():
    assert [rel.number for rel in RELATIONSHIPS] == list(range(1, 16))
    assert len({rel.name for rel in RELATIONSHIPS}) == 15
    assert all(rel.formula and rel.conditions for rel in RELATIONSHIPS)
    assert relationships() == list(RELATIONSHIPS)
    assert relationships() is not relationships()


def _engine_for(number):
    if number == 7:
        return lambda i, k, s, p, a, d: pool_output_size(i, k, s)
    if 8 <= number <= 14:
        return lambda i, k, s, p, a, d: transposed_conv_output_size(i, k, s, p, a)
    return lambda i, k, s, p, a, d: conv_output_size(i, k, s, p, d)


@pytest.mark.parametrize("rel", RELATIONSHIPS, ids=lambda rel: f"relationship {rel.number}")
def test_relationship_agrees_with_engine(rel):
    engine, applicable = _engine_for(rel.number), 0
    grid = itertools.product(range(1, 10), range(1, 6), range(1, 4), range(0, 5), range(0, 3),
                             range(1, 4))
    for args in grid:
        if not rel.applies(*args):
            continue
        applicable += 1
        try:
            expected = engine(*args)
        except ValueError:
            with pytest.raises(ValueError):
                rel(*args)
            continue
        assert rel(*args) == expected, args
        assert rel.engine(*args) == expected, args
    assert applicable >= 20  # the conditions are not vacuous on this grid


def test_relationship_outside_its_conditions_raises():
    with pytest.raises(ValueError, match="relationship 1 requires s = 1, p = 0"):
        RELATIONSHIPS[0](i=5, k=3, s=2)
    with pytest.raises(ValueError, match="relationship 3 requires"):
        RELATIONSHIPS[2](i=5, k=4, p=2)  # even kernel: no half padding


# ------------------------------------------------------------------------ receptive fields
def conv3(p=1):
    return (3, 1, p, 1)


POOL2 = (2, 2, 0, 1)
VGG16 = [conv3(), conv3(), POOL2, conv3(), conv3(), POOL2,
         conv3(), conv3(), conv3(), POOL2, conv3(), conv3(), conv3(), POOL2,
         conv3(), conv3(), conv3(), POOL2]


def alexnet(conv1_padding):
    pool = (3, 2, 0, 1)
    return [(11, 4, conv1_padding, 1), pool, (5, 1, 2, 1), pool,
            conv3(), conv3(), conv3(), pool]


def test_vgg16_matches_distill_table():
    assert receptive_field(VGG16) == ReceptiveField(size=212, stride=32, padding=90)
    sizes = [field.size for field in receptive_fields(VGG16)]
    assert sizes == [3, 5, 6, 10, 14, 16, 24, 32, 40, 44, 60, 76, 92, 100, 132, 164, 196, 212]


def test_alexnet_matches_distill_table():
    # Distill lists alexnet_v2 as r=195, S=32, P=64. That network (TF-slim) runs conv1 with
    # 'VALID' padding (p=0); conv2-5 use 'SAME' (p=2, p=1), pools are unpadded. With the
    # original AlexNet's conv1 padding p=2 the size and stride are unchanged but P0 grows
    # by p * 1 = 2, because conv1 is the first layer (product of earlier strides is 1).
    assert receptive_field(alexnet(conv1_padding=0)) == ReceptiveField(195, 32, 64)
    assert receptive_field(alexnet(conv1_padding=2)) == ReceptiveField(195, 32, 66)


def test_dilated_stack_grows_exponentially():
    assert receptive_field([(3, 1, 0, 1), (3, 1, 0, 2), (3, 1, 0, 4)]) == ReceptiveField(15, 1, 0)
    same = receptive_field([(3, 1, 1, 1), (3, 1, 2, 2), (3, 1, 4, 4)])
    assert same == ReceptiveField(15, 1, 7)  # 'same' padding p = d keeps the field centred


def test_three_tuples_default_to_dilation_one_and_empty_stack_sees_one_pixel():
    assert receptive_field([(3, 2, 1), (3, 1, 1)]) == receptive_field([(3, 2, 1, 1), (3, 1, 1, 1)])
    assert receptive_field([]) == ReceptiveField(1, 1, 0)
    assert receptive_field(iter(VGG16)) == receptive_field(VGG16)


class FakeConv:
    def __init__(self, kernel_size, stride=1, padding=0, dilation=1):
        self.kernel_size, self.stride = kernel_size, stride
        self.padding, self.dilation = padding, dilation


class FakePool:  # no dilation attribute; stride None means "same as the window"
    def __init__(self, kernel_size, stride=None):
        self.kernel_size, self.stride, self.padding = kernel_size, stride, 0


class FakeReLU:
    preserves_space = True


class FakeFlatten:
    pass


def test_layer_objects_are_read_like_tuples():
    layers = [FakeConv(3, padding=1), FakeReLU(), FakePool(2), FakeConv(3, 1, 2, 2), FakeReLU()]
    tuples = [(3, 1, 1, 1), (1, 1, 0, 1), (2, 2, 0, 1), (3, 1, 2, 2), (1, 1, 0, 1)]
    assert receptive_fields(layers) == receptive_fields(tuples)
    assert receptive_field(layers) == ReceptiveField(size=12, stride=2, padding=5)


def test_real_cnn_core_layers():
    layers = pytest.importorskip("cnn_core.layers")
    stack = [layers.Conv2D(in_channels=1, out_channels=2, kernel_size=3, padding=1,
                           rng=np.random.default_rng(0)),
             layers.ReLU(), layers.MaxPool2D(kernel_size=2)]
    assert receptive_field(stack) == ReceptiveField(4, 2, 1)
    with pytest.raises(ValueError, match=r"specs\[3\].*spatial layers only"):
        receptive_field(stack + [layers.Flatten()])


BOX_CASES = [  # (specs, row, col, (top, left, bottom, right)), worked by hand
    ([(3, 1, 1)], 0, 0, (-1, -1, 1, 1)),  # corner unit reaches one pixel into the padding
    ([(3, 2, 1)], 2, 1, (3, 1, 5, 3)),  # start = u * 2 - 1
    ([(3, 1, 0), (2, 2, 0)], 1, 0, (2, 0, 5, 3)),  # pool unit 1 <- conv rows 2,3 <- input 2..5
    ([(3, 1, 0, 2)], 0, 4, (0, 4, 4, 8)),  # dilated: taps 4, 6, 8 span 5 pixels
    (VGG16, 0, 0, (-90, -90, 121, 121)),
]


@pytest.mark.parametrize("specs, row, col, box", BOX_CASES)
def test_receptive_field_box_hand_worked(specs, row, col, box):
    assert receptive_field_box(specs, row, col) == box


def test_receptive_field_box_matches_backward_tracing():
    rng = np.random.default_rng(7)
    for _ in range(150):
        specs = [tuple(int(v) for v in (rng.integers(1, 6), rng.integers(1, 4),
                                        rng.integers(0, 3), rng.integers(1, 4)))
                 for _ in range(rng.integers(1, 5))]
        for unit in range(3):
            seen = {unit}  # trace the output unit back to the input, layer by layer
            for k, s, p, d in reversed(specs):
                seen = {x * s - p + j * d for x in seen for j in range(k)}
            top, left, bottom, right = receptive_field_box(specs, unit, unit)
            assert (top, bottom) == (min(seen), max(seen)), specs
            assert bottom - top + 1 == receptive_field(specs).size


# --------------------------------------------------------------------------- validation
INVALID = [
    (lambda: conv_output_size(5, 0), r"kernel size k must be an integer >= 1, got 0"),
    (lambda: conv_output_size(5, 3, s=0), r"stride s must be an integer >= 1"),
    (lambda: conv_output_size(5, 3, p=-1), r"padding p must be an integer >= 0"),
    (lambda: conv_output_size(5, 3, d=0), r"dilation d must be an integer >= 1"),
    (lambda: conv_output_size(0, 3), r"input size i must be an integer >= 1"),
    (lambda: conv_output_size(5.0, 3), r"input size i must be an integer"),
    (lambda: conv_output_size(5, 2.0), r"kernel size k must be an integer"),
    (lambda: conv_output_size(5, True), r"kernel size k must be an integer"),
    (lambda: conv_output_size(5, 3, s=np.True_), r"stride s must be an integer"),
    (lambda: conv_output_size(5, 7), r"effective kernel size 7 is larger than the padded "
                                     r"input 5 \(i \+ 2p\)"),
    (lambda: conv_output_size(5, 3, d=3), r"effective kernel size 7 is larger"),
    (lambda: pool_output_size(3, 4), r"kernel size k = 4 is larger than the input i = 3"),
    (lambda: pool_output_size(5, 2, 0), r"stride s must be an integer >= 1"),
    (lambda: transposed_conv_output_size(3, 3, s=2, a=2), r"a must satisfy 0 <= a < s"),
    (lambda: transposed_conv_output_size(3, 3, a=1), r"a must satisfy 0 <= a < s = 1"),
    (lambda: transposed_conv_output_size(3, 3, a=-1), r"output padding a must be an integer"),
    (lambda: transposed_conv_output_size(1, 1, p=1), r"padding p = 1 is too large.*0 <= p <= 0"),
    (lambda: transposed_output_padding(3, 5, 2), r"effective kernel size 5 is larger"),
    (lambda: unreached_pixels(5, 3, s=0), r"stride s must be"),
    (lambda: effective_kernel_size(3, 0), r"dilation d must be an integer >= 1"),
    (lambda: receptive_field([(3, 1, 1), (3, 0, 1)]), r"specs\[1\]: stride s must be"),
    (lambda: receptive_field([(3, 1)]), r"specs\[0\].*length 3 or 4"),
    (lambda: receptive_field([FakeConv(3), FakeFlatten()]),
     r"specs\[1\]: FakeFlatten .*spatial layers only"),
    (lambda: receptive_field_box([(3, 1, 1)], -1, 0), r"row must be an integer >= 0"),
    (lambda: receptive_field_box([(3, 1, 1)], 0, 1.5), r"col must be an integer >= 0"),
]


@pytest.mark.parametrize("call, message", INVALID, ids=[m for _, m in INVALID])
def test_invalid_arguments_raise_value_error_naming_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_numpy_integers_are_accepted_and_plain_ints_returned():
    out = conv_output_size(np.int64(5), np.int32(3), s=np.int16(2), p=np.uint8(1))
    assert out == 3 and type(out) is int
    assert type(transposed_conv_output_size(np.int64(3), 3, 2, 1, np.int64(1))) is int
