"""Tests for cnn_core.course.convolution.explain: the sentences shown with the convolution
diagrams."""
import numpy as np
import pytest

from cnn_core.arithmetic import conv_output_size, unreached_pixels
from cnn_core.course.convolution.explain import (
    describe_conv,
    describe_transposed,
    format_number,
    sum_lines,
)
from cnn_core.course.convolution.frames import conv_frame, transposed_conv_frame

MINUS = "\u2212"


@pytest.mark.parametrize("value, text", [(3.0, "3"), (-2.0, f"{MINUS}2"), (0.5, "0.50"),
                                         (-0.0, "0"), (-0.001, "0"), (2.999, "3"),
                                         (np.float32(1.25), "1.25")])
def test_format_number(value, text):
    assert format_number(value) == text


def test_sum_written_out_for_a_hand_worked_case():
    x = np.arange(9.0).reshape(3, 3)            # 0 1 2 / 3 4 5 / 6 7 8
    kernel = np.array([[1.0, 0.0], [-1.0, 2.0]])
    frame = conv_frame(3, 2, step=3, x=x, kernel=kernel)     # output cell (1, 1)
    # 4*1 + 5*0 + 7*(-1) + 8*2 = 13
    assert sum_lines(frame) == ["y[1, 1] = 4\u00b71 + 5\u00b70",
                                f"        + 7\u00b7({MINUS}1) + 8\u00b72",
                                "        = 13"]


def test_description_evaluates_the_formula_with_the_current_numbers():
    lines = describe_conv(conv_frame(5, 3, 2, 1, 1, step=4))
    assert lines[0] == "output size: 3 \u00d7 3"
    assert lines[1].endswith(
        f"\u230a(5 + 2\u00b71 {MINUS} 3) / 2\u230b + 1 = \u230a4/2\u230b + 1 = 3")
    assert lines[2].startswith("step 5 of 9: output cell (1, 1)")
    assert lines[3] == "Every row and column of the padded input is read at least once."


def test_unreached_rows_are_explained_with_the_engine_count():
    for i, k, s, p in [(6, 3, 2, 0), (8, 3, 3, 0), (7, 2, 3, 1)]:
        far = unreached_pixels(i, k, s, p)
        text = "\n".join(describe_conv(conv_frame(i, k, s, p)))
        assert far > 0
        assert f"mod {s} = {far}" in text and "allowed" in text
        assert f"output size: {conv_output_size(i, k, s, p)} \u00d7" in text


def test_rows_skipped_inside_by_dilation_and_stride_are_listed():
    text = "\n".join(describe_conv(conv_frame(5, 3, 2, 0, 2)))
    assert "rows and columns 1, 3" in text and "dilation d = 2" in text
    assert "k_eff = k + (k \u2212 1)(d \u2212 1) = 3 + 2\u00b71 = 5" in text


def test_no_output_is_explained_not_raised():
    lines = describe_conv(conv_frame(3, 5, 1, 0, 2))
    assert lines[0] == "output size: none"
    assert any("no window fits" in line for line in lines)
    assert any("smaller kernel size or dilation, or more padding" in line for line in lines)
    assert sum_lines(conv_frame(3, 5, 1, 0, 2)) == []


def test_transposed_description():
    lines = describe_transposed(transposed_conv_frame(3, 3, 2, 1, 0, step=2))
    assert lines[0] == "output size: 5 \u00d7 5"
    assert lines[1].endswith(f"= 2\u00b7(3 {MINUS} 1) + 0 + 3 {MINUS} 2\u00b71 = 5")
    assert "1 zero inserted" in lines[2] and "zero border k" in lines[2]
    cropped = "\n".join(describe_transposed(transposed_conv_frame(3, 3, 2, 3, 1)))
    assert "1 row and 1 column are cropped from each side" in cropped
    bad = describe_transposed(transposed_conv_frame(3, 3, 2, 0, 2))
    assert bad[0] == "output size: none" and "smaller than the stride" in bad[-1]


@pytest.mark.parametrize("i, k, s, p, a", [(3, 3, 2, 1, 0), (3, 3, 2, 1, 1), (2, 4, 3, 1, 2),
                                           (4, 5, 3, 2, 1)])
def test_transposed_description_explains_output_padding_with_true_sizes(i, k, s, p, a):
    line = next(t for t in describe_transposed(transposed_conv_frame(i, k, s, p, a))
                if t.startswith("Why output padding"))
    smallest = s * (i - 1) + k - 2 * p
    assert f"from {smallest} to {smallest + s - 1} into {i} \u00d7 {i}" in line
    assert f"a = {a} picks {smallest + a}" in line
    # the sizes named really are all the convolution inputs that give i, and no others
    sizes = [n for n in range(1, smallest + 2 * s) if n + 2 * p >= k
             and conv_output_size(n, k, s, p) == i]
    assert sizes == list(range(smallest, smallest + s))


def test_transposed_description_has_no_output_padding_note_at_stride_1():
    lines = describe_transposed(transposed_conv_frame(3, 3, 1, 1, 0))
    assert not any(t.startswith("Why output padding") for t in lines)
