"""Checks for the exercises of notebook 05 (receptive fields)."""
import numpy as np

from cnn_core.arithmetic import receptive_field
from cnn_core.course.exercises._answers import call, number_array, whole_numbers
from cnn_core.course.exercises._report import expect, passed
from cnn_core.course.receptive.fields import (
    alexnet_layer_specs,
    effective_receptive_field,
    locate_unit,
    spatial_layer_specs,
    vgg16_layer_specs,
)
from cnn_core.layers import Conv2D
from cnn_core.zoo import small_cnn


def _test_stacks():
    """Hand-picked stacks (incl. dilation) plus seeded random ones."""
    stacks = [[(3, 1, 1)], [(2, 2, 0)], [(3, 1, 1), (2, 2, 0), (3, 1, 1), (2, 2, 0)],
              [(3, 1, 1, 1), (3, 1, 2, 2), (3, 1, 4, 4)], [(5, 2, 2), (3, 2, 0, 3), (1, 1, 0)],
              [s for _, s in vgg16_layer_specs()], [s for _, s in alexnet_layer_specs()]]
    rng = np.random.default_rng(5)
    for _ in range(20):
        stacks.append([(int(rng.integers(1, 8)), int(rng.integers(1, 4)), int(rng.integers(0, 4)),
                        int(rng.integers(1, 4))) for _ in range(int(rng.integers(1, 7)))])
    return stacks


def check_receptive_field_function(my_receptive_field):
    """``my_receptive_field(specs) -> (size, stride, padding)`` for (k, s, p[, d]) tuples."""
    for specs in _test_stacks():
        want = receptive_field(specs)
        got = call(my_receptive_field, "my_receptive_field", [tuple(s) for s in specs])
        size, stride, padding = whole_numbers(got, f"my_receptive_field({specs}) "
                                                   "(size, stride, padding)", 3)
        expect(stride == want.stride, f"for {specs} the effective stride (jump) should be "
               f"{want.stride}, got {stride}: it is the product of all the strides")
        expect(padding == want.padding, f"for {specs} the effective padding should be "
               f"{want.padding}, got {padding}: each layer's padding p counts p * (product of the "
               f"strides of the layers *before* it)")
        dilated = any(len(s) == 4 and s[3] > 1 for s in specs)
        expect(size == want.size, f"for {specs} the size should be {want.size}, got {size}: each "
               f"layer adds (k_eff - 1) * (product of the strides before it)"
               + (", with k_eff = d(k - 1) + 1 for a dilated layer" if dilated else ""))
    passed(f"your function matches cnn_core.arithmetic.receptive_field on "
           f"{len(_test_stacks())} stacks, including VGG-16, AlexNet and dilated layers")


def hole_free_footprint(dilations):
    """The ERF of three single-channel 3x3 convolutions with all-ones weights (no padding),
    computed by backpropagation: (size, footprint as a 2-D boolean array of non-zeros)."""
    specs = [(3, 1, 0, d) for d in dilations]
    size = receptive_field(specs).size
    layers = []
    for d in dilations:
        conv = Conv2D(1, 1, kernel_size=3, dilation=d, rng=np.random.default_rng(0),
                      dtype=np.float64)
        conv.params["W"][...] = 1.0
        layers.append(conv)
    erf = effective_receptive_field(layers, (1, size, size), (0, 0),
                                    inputs=np.ones((1, 1, size, size)))
    return size, erf > 0


def check_dilations(dilations):
    """Three dilated 3x3 layers with the largest receptive field that has no holes."""
    dilations = whole_numbers(dilations, "my_dilations", 3)
    expect(all(1 <= d <= 50 for d in dilations),
           f"give three dilations between 1 and 50, got {dilations}")
    size, footprint = hole_free_footprint(dilations)
    holes = int((~footprint).sum())
    expect(holes == 0, f"dilations {tuple(dilations)} reach a {size}x{size} field but "
           f"{holes} of its pixels never influence the output (holes): a layer's dilation must "
           f"not exceed the width already covered by the layers before it")
    expect(size == 27, f"no holes - good - but the field is only {size}x{size}; three 3x3 "
           f"layers can cover more without holes (think of the 3 x 3 x 3 sums of offsets)")
    passed(f"dilations {tuple(dilations)} see a 27x27 field with no holes: every offset from "
           f"-13 to 13 is a sum of one of (-d, 0, d) per layer, 3^3 = 27 of them")


def check_inside_mask(mask):
    """Boolean (7, 7) mask of the small CNN's pool2 units whose field lies inside a 28x28
    digit, touching no padding."""
    mask = number_array(mask, "inside")
    expect(mask.shape == (7, 7), f"the mask must have the shape of the pool2 map (7, 7), "
           f"got {mask.shape}")
    expect(mask.dtype == bool or np.isin(mask, (0, 1)).all(),
           "`inside` should hold True/False (or 1/0) for each unit")
    specs = [layer for _, layer in spatial_layer_specs(small_cnn(rng=np.random.default_rng(0)))]
    want = np.array([[not any(locate_unit(specs, (28, 28), r, c).spill) for c in range(7)]
                     for r in range(7)])
    wrong = np.argwhere(mask.astype(bool) != want)
    expect(len(wrong) == 0, f"{len(wrong)} unit(s) are wrong, e.g. (row, col) = "
           f"{tuple(int(v) for v in wrong[0]) if len(wrong) else None}: a unit is inside when its "
           f"box (top, left, bottom, right) has top, left >= 0 and bottom, right <= 27")
    passed(f"{int(want.sum())} of the 49 pool2 units see only image pixels; the "
           f"{49 - int(want.sum())} on the border also see the zero padding")
