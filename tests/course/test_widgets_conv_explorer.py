"""Tests for cnn_core.course.convolution.explorer_widget: the widgets driven by setting their
controls,
and the explorers' compute + text for every combination of slider values.

Drawing every combination would take minutes, so the exhaustive tests here run the compute and
text half of ``render_*`` (``conv_result`` / ``transposed_result``) for every slider setting
and several steps; the drawing half is exercised on a stratified cross-section of the same
space in tests/test_plotting_conv_diagram.py and on a few settings below.
"""
import io
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cnn_core.arithmetic import conv_output_size, effective_kernel_size
from cnn_core.course.convolution.explorer_widget import (
    CONV_RANGES,
    OUTPUT_CLASS,
    PNG_DPI,
    TRANSPOSED_OUTPUT_CLASS,
    TRANSPOSED_RANGES,
    ExplorerResult,
    build_conv_explorer,
    build_transposed_explorer,
    conv_result,
    figure_png,
    render_conv,
    render_transposed,
    transposed_result,
)

PNG_MAGIC = b"\x89PNG"


def slider_space(ranges):
    return itertools.product(*(range(lo, hi + 1) for lo, hi in ranges.values()))


# ------------------------------------------------------------------------------ the widgets
def test_conv_explorer_controls_are_labelled_plainly():
    explorer = build_conv_explorer()
    assert list(explorer.controls) == ["input size", "kernel size", "stride", "padding",
                                       "dilation", "step"]
    for label, control in explorer.controls.items():
        assert control.description == label
    assert OUTPUT_CLASS in explorer.summary._dom_classes
    assert bytes(explorer.image.value).startswith(PNG_MAGIC)
    assert explorer.text.splitlines()[0] == "output size: 3 \u00d7 3"
    assert all(not c.continuous_update for c in explorer.controls.values())
    png_width = int.from_bytes(bytes(explorer.image.value)[16:20], "big")   # IHDR
    assert PNG_DPI == 2 * 96 and explorer.result.figure is None
    assert explorer.image.layout.width == f"{round(png_width / 2)}px"  # shown at figure size


def test_moving_stride_and_padding_changes_the_output_text():
    explorer = build_conv_explorer(input_size=7, kernel_size=3)
    assert "output size: 5 \u00d7 5" in explorer.summary.value
    first_image = explorer.image.value
    explorer.controls["stride"].value = 2
    assert explorer.text.splitlines()[0] == "output size: 3 \u00d7 3"
    explorer.controls["padding"].value = 2
    size = conv_output_size(7, 3, 2, 2)
    assert explorer.text.splitlines()[0] == f"output size: {size} \u00d7 {size}"
    assert "\u230a(7 + 2\u00b72 \u2212 3) / 2\u230b" in explorer.text
    assert explorer.image.value != first_image


def test_step_control_follows_the_number_of_output_cells():
    explorer = build_conv_explorer(input_size=5, kernel_size=3, stride=2, padding=1)
    step = explorer.controls["step"]
    assert step.max == explorer.play.max == 8
    step.value = 5
    assert "step 6 of 9: output cell (1, 2)" in explorer.text
    explorer.play.value = 2                      # the Play button drives the step slider
    assert step.value == 2 and "step 3 of 9" in explorer.text
    step.value = 8
    explorer.controls["kernel size"].value = 5   # 2 x 2 output: the step is clamped to 3
    assert step.max == 3 and step.value == 3
    assert "step 4 of 4: output cell (1, 1)" in explorer.text


def test_impossible_setting_shows_an_explanation():
    explorer = build_conv_explorer(input_size=3, kernel_size=3)
    explorer.controls["kernel size"].value = 5
    explorer.controls["dilation"].value = 2
    lines = explorer.text.splitlines()
    assert lines[0] == "output size: none"
    assert "no window fits" in explorer.text and "more padding" in explorer.text
    assert explorer.controls["step"].max == 0
    assert bytes(explorer.image.value).startswith(PNG_MAGIC)
    explorer.controls["padding"].value = 3       # 3 + 6 = 9 = k_eff: one window fits again
    assert explorer.text.splitlines()[0] == "output size: 1 \u00d7 1"


def test_unreached_rows_are_explained_in_the_widget():
    explorer = build_conv_explorer(input_size=6, kernel_size=3, stride=2)
    assert "Never reached: the last 1 row and 1 column" in explorer.text
    explorer.controls["input size"].value = 7
    assert "Every row and column of the padded input is read" in explorer.text


def test_transposed_explorer_is_driven_by_its_controls():
    explorer = build_transposed_explorer()
    assert list(explorer.controls) == ["input size", "kernel size", "stride", "padding",
                                       "output padding", "step"]
    assert explorer.text.splitlines()[0] == "output size: 7 \u00d7 7"
    explorer.controls["padding"].value = 1
    assert explorer.text.splitlines()[0] == "output size: 5 \u00d7 5"
    explorer.controls["output padding"].value = 1
    assert explorer.text.splitlines()[0] == "output size: 6 \u00d7 6"
    explorer.controls["stride"].value = 1        # a = 1 is no longer < s = 1
    assert explorer.text.splitlines()[0] == "output size: none"
    assert "smaller than the stride" in explorer.text
    explorer.controls["output padding"].value = 0
    explorer.controls["step"].value = 4
    assert "step 5 of 9" in explorer.text
    assert explorer.summary._dom_classes == (TRANSPOSED_OUTPUT_CLASS,)


def test_out_of_range_start_values_name_the_parameter():
    with pytest.raises(ValueError, match=r"stride must be an integer in \[1, 3\]"):
        build_conv_explorer(stride=4)
    with pytest.raises(ValueError, match="output_padding"):
        build_transposed_explorer(output_padding=5)


# ------------------------------------------------------------------- the pure render functions
def test_render_conv_draws_into_given_axes_or_a_new_figure():
    fig = Figure(figsize=(8, 4))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    result = render_conv(5, 3, 2, 1, 1, step=3, ax=ax)
    assert isinstance(result, ExplorerResult) and result.figure is fig
    assert result.output_size == 3 and result.n_steps == 9
    fresh = render_conv(4, 2, 1, 0, 2)
    assert fresh.figure is not fig and figure_png(fresh.figure, dpi=30).startswith(PNG_MAGIC)
    assert render_transposed(2, 3, 2, 0, 1).output_size == 6


def test_result_html_escapes_and_bolds_the_size():
    result = ExplorerResult(["output size: 1 \u00d7 1", "a < b"], 1, 1)
    assert result.headline_html == "<b>output size: 1 \u00d7 1</b>"
    assert result.details_html == "<div>a &lt; b</div>"


def test_the_css_class_holds_only_the_output_size_line():
    explorer = build_conv_explorer(input_size=6, kernel_size=3, stride=2)
    assert explorer.summary.value == "<b>output size: 2 \u00d7 2</b>"
    assert "Never reached" in explorer.details.value
    explorer.controls["padding"].value = 1
    assert explorer.summary.value == "<b>output size: 3 \u00d7 3</b>"


def test_every_conv_setting_computes_and_explains():
    count = 0
    for i, k, s, p, d in slider_space(CONV_RANGES):
        frame, result = conv_result(i, k, s, p, d)
        fits = effective_kernel_size(k, d) <= i + 2 * p
        if not fits:
            assert result.lines[0] == "output size: none" and result.n_steps == 0
            assert "no window fits" in result.text
            continue
        o = conv_output_size(i, k, s, p, d)
        assert result.lines[0] == f"output size: {o} \u00d7 {o}"
        for step in {0, result.n_steps // 2, result.n_steps - 1}:
            _, at_step = conv_result(i, k, s, p, d, step)
            assert f"step {step + 1} of {o * o}:" in at_step.text
        count += 1
    assert count > 900


def test_every_transposed_setting_computes_and_explains():
    for i, k, s, p, a in slider_space(TRANSPOSED_RANGES):
        frame, result = transposed_result(i, k, s, p, a)
        size = s * (i - 1) + a + k - 2 * p
        if a >= s or size < 1:
            assert result.lines[0] == "output size: none" and result.n_steps == 0
            continue
        assert result.lines[0] == f"output size: {size} \u00d7 {size}"
        _, last = transposed_result(i, k, s, p, a, step=size * size - 1)
        assert f"step {size * size} of {size * size}:" in last.text


@pytest.mark.parametrize("build", [build_conv_explorer, build_transposed_explorer])
def test_each_explorer_displays_a_static_picture(build):
    from IPython.core.formatters import DisplayFormatter
    data, _ = DisplayFormatter().format(build())
    assert data["image/png"] and "application/vnd.jupyter.widget-view+json" in data


def test_a_picture_shown_again_is_the_one_a_fresh_render_draws():
    explorer = build_conv_explorer(input_size=6, kernel_size=3)
    first = explorer.image.value
    explorer.controls["stride"].value = 2
    assert explorer.image.value != first
    explorer.controls["stride"].value = 1                 # back: the kept picture
    assert explorer.image.value == first
    assert first == figure_png(render_conv(6, 3).figure, dpi=PNG_DPI)
    assert explorer.text == render_conv(6, 3).text


def pixels(png):
    return plt.imread(io.BytesIO(bytes(png)), format="png")


@pytest.mark.parametrize("build, render, moves", [
    (build_conv_explorer, render_conv,
     [("stride", 2), ("padding", 3), ("dilation", 3), ("kernel size", 5), ("input size", 3),
      ("step", 0), ("input size", 9), ("kernel size", 1), ("step", 40)]),
    (build_transposed_explorer, render_transposed,
     [("stride", 3), ("padding", 2), ("output padding", 2), ("padding", 0), ("step", 7)])])
def test_pictures_drawn_into_the_kept_figure_are_those_of_a_new_figure(build, render, moves):
    """The explorer redraws one figure (resized, emptied) for every new setting: each picture
    must have the pixels and the shown width of a fresh render of that setting."""
    explorer = build()
    for label, value in moves:
        explorer.controls[label].value = value
        fresh = render(**explorer.params()).figure
        shown = pixels(explorer.image.value)
        expected = pixels(figure_png(fresh, dpi=PNG_DPI))
        assert shown.shape == expected.shape, f"after {label} = {value}"
        assert np.array_equal(shown, expected), \
            f"after {label} = {value}: {np.sum(np.any(shown != expected, axis=2))} pixels differ"
        assert explorer.image.layout.width == f"{round(fresh.get_figwidth() * 96)}px"
