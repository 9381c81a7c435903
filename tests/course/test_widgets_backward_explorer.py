"""Tests for cnn_core.course.backprop.backward_widget: built and driven without a browser."""
import base64

import ipywidgets as widgets
import numpy as np

from cnn_core.course.backprop.backward_widget import (
    build_backward_explorer,
    describe,
    example_input,
    render,
)


def highlighted_cells(fig, panel):
    """(row, col) of the cells a panel colours in (the ones not masked out)."""
    image = fig.axes[panel].get_images()[0]
    return {tuple(int(v) for v in rc) for rc in np.argwhere(~np.ma.getmaskarray(image.get_array()))}


def test_render_highlights_match_the_gradient_nonzeros():
    x, w = example_input()
    for stride, padding, cell in [(1, 0, (0, 0, 0)), (2, 1, (1, 1, 2)), (3, 2, (0, 2, 0))]:
        fig, fp = render(*cell, stride=stride, padding=padding)
        assert fp.out_cell == cell
        nonzero = {tuple(int(v) for v in rc) for rc in np.argwhere(fp.dx_padded[0] != 0)}
        assert highlighted_cells(fig, 2) == nonzero
        f = cell[0]
        assert highlighted_cells(fig, 3 + f) == {tuple(int(v) for v in rc)
                                                 for rc in np.argwhere(fp.dw[f, 0] != 0)}
        assert highlighted_cells(fig, 3 + (1 - f)) == set()
        top, left, bottom, right = fp.window
        assert np.array_equal(fp.dx_padded[0, top:bottom + 1, left:right + 1], w[f, 0])


def test_render_accepts_its_own_input():
    x = np.ones((1, 4, 4))
    w = np.full((1, 1, 2, 2), 3.0)
    fig, fp = render(0, 2, 2, x=x, w=w)
    assert fp.input_cells == [(0, 2, 2), (0, 2, 3), (0, 3, 2), (0, 3, 3)]
    assert len(fig.axes) == 4


def test_widget_sliders_drive_the_footprint():
    box = build_backward_explorer()
    c = box.controls
    assert set(c) == {"filter", "row", "column", "stride", "padding"}
    assert all(isinstance(s, widgets.IntSlider) and s.description == name for name, s in c.items())
    assert c["row"].max == 3 and c["column"].max == 3              # 6x6 input, 3x3 kernel
    assert len(box.output.outputs) == 1
    before = box.output.outputs[0]["data"]["image/png"]
    assert base64.b64decode(before).startswith(b"\x89PNG")
    c["row"].value = 2
    c["filter"].value = 1
    assert box.result.out_cell == (1, 2, 0)
    assert box.readout.value.startswith("output[filter 1, row 2, column 0]")
    assert "9 input cells" in box.readout.value and "Filter 0: nothing" in box.readout.value
    assert box.output.outputs[0]["data"]["image/png"] != before      # the picture follows


def test_stride_and_padding_re_range_the_sliders():
    x = np.arange(1.0, 17.0).reshape(1, 4, 4)                        # a small input: quick to draw
    box = build_backward_explorer(x, np.ones((1, 1, 3, 3)))
    c = box.controls
    assert c["filter"].max == 0 and c["row"].max == 1
    c["padding"].value = 2                                           # 8x8 padded -> 6x6 output
    assert c["row"].max == 5 and c["column"].max == 5
    c["row"].value = 5
    assert box.result.out_cell == (0, 5, 0)
    # window rows 5..7 and columns 0..2 of the padded grid: only image cell (3, 0) is real
    assert box.result.input_cells == [(0, 3, 0)]
    assert box.result.wasted_on_padding == 8 and "8 more land on padding" in box.readout.value
    c["stride"].value = 3                                            # 8 padded, 3x3 -> 2 rows
    assert c["row"].max == 1 and c["row"].value == 1
    assert box.result.out_cell == (0, 1, 0) and box.result.stride == 3
    assert {r for _, r, _ in box.result.input_cells} == {1, 2, 3}    # padded rows 3..5


def test_describe_counts_cells():
    _, fp = render(0, 0, 0, padding=1)
    text = describe(fp)
    assert "reaches 4 input cells" in text and "5 more land on padding" in text
