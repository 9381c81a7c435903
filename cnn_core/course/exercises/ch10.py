"""Checks for the exercises of notebook 10 (your own digit)."""
import numpy as np

from cnn_core.arithmetic import receptive_field_box
from cnn_core.course.draw.preprocess import place_centered
from cnn_core.course.exercises._answers import real_number, whole_numbers
from cnn_core.course.exercises._report import expect, passed


def check_centering(my_shift, scaled):
    """``my_shift`` = (top, left) where the scaled digit's corner goes in the 28x28 field."""
    want = place_centered(scaled)[1]
    got = whole_numbers(my_shift, "my_shift", 2)
    expect(got == want,
           "the corner should go where the centre of mass lands nearest to (13.5, 13.5): "
           "top = floor(13.5 - row_of_mass + 0.5), likewise for left, with the centre of "
           "mass measured on the scaled digit (pixel i at position i)")
    passed(f"corner at {want}: the centre of mass is now within half a pixel of the centre")


def check_box_by_hand(my_box, model, layer, row, col):
    """``my_box`` = (top, left, bottom, right) of unit (row, col) after ``model.layers[layer]``."""
    want = receptive_field_box(model.layers[:layer + 1], row, col)
    top, left, bottom, right = whole_numbers(my_box, "my_box", 4)
    size = want[2] - want[0] + 1
    expect(bottom - top == right - left == size - 1,
           f"the box should be {size}x{size}: r grows by (k - 1) x (product of the strides "
           "before the layer) at every convolution and pooling layer")
    expect((top, left, bottom, right) == want, "the size is right but the box is in the wrong "
           "place: it starts at u x jump - padding, with jump = product of the strides and "
           "padding = sum of p x (product of the strides before that layer)")
    passed(f"unit ({row}, {col}) sees input rows {want[0]}..{want[2]}, "
           f"columns {want[1]}..{want[3]}")


def check_conv1_by_hand(my_value, model, digit, channel, row, col):
    """``my_value`` = conv1's output at (channel, row, col) for the 28x28 ``digit``."""
    conv = model.layers[0]
    x = np.asarray(digit, dtype=np.float32)[None, None]
    want = float(conv.forward(x)[0, channel, row, col])
    got = real_number(my_value, "my_value")
    expect(abs(got - want) <= 1e-4 * max(1.0, abs(want)),
           "multiply the 3x3 window of the digit centred on (row, col) (zeros outside the "
           "image: padding 1) element by element with W[channel, 0], add them up, then add "
           "b[channel]")
    passed(f"{got:.4f}: the same number the engine's conv2d_forward computes")
