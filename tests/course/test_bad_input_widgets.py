"""Bad input, theme "widgets": a widget never clamps, rounds or replaces what the caller asked
for; it refuses with the valid range (or widens its slider to hold the value)."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnn_core.course.backprop.lr_widget import build_lr_explorer  # noqa: E402
from cnn_core.course.convolution.explorer_widget import (  # noqa: E402
    build_conv_explorer,
    build_transposed_explorer,
    render_conv,
)
from cnn_core.course.convolution.filter_editor_widget import build_filter_editor  # noqa: E402
from cnn_core.course.pooling.explorer_widget import build_pooling_explorer  # noqa: E402
from cnn_core.course.receptive.explorer_widget import build_rf_explorer  # noqa: E402
from cnn_core.course.training.dashboard_widget import build_training_dashboard  # noqa: E402
from cnn_core.recipes import Recipe  # noqa: E402

GRID = np.arange(36, dtype=float).reshape(6, 6)
TINY = np.zeros((4, 4))
X = np.zeros((4, 1, 28, 28), dtype=np.float32)
Y = np.arange(4)

REFUSED = {
    "conv kernel_size 2.5": (lambda: build_conv_explorer(kernel_size=2.5),
                             r"kernel_size must be an integer in \[1, 5\], got 2.5"),
    "conv input_size 20": (lambda: build_conv_explorer(input_size=20),
                           r"input_size must be an integer in \[3, 9\], got 20"),
    "conv dilation 0": (lambda: build_conv_explorer(dilation=0), r"dilation must be an integer"),
    "conv padding True": (lambda: build_conv_explorer(padding=True), r"padding must be an integer"),
    "transposed stride 1.0": (lambda: build_transposed_explorer(stride=1.0),
                              r"stride must be an integer in \[1, 3\], got 1.0"),
    "render_conv kernel 2.5": (lambda: render_conv(5, 2.5),
                               r"kernel_size must be an integer >= 1, got 2.5"),
    "pooling window_size 2.5": (lambda: build_pooling_explorer(GRID, window_size=2.5),
                                r"window_size must be an integer in \[1, \d\], got 2.5"),
    "pooling stride 0": (lambda: build_pooling_explorer(GRID, stride=0), r"stride must be an"),
    "pooling mode 'mean'": (lambda: build_pooling_explorer(GRID, mode="mean"),
                            r"mode must be 'max' or 'average', got 'mean'"),
    "pooling x too big": (lambda: build_pooling_explorer(np.zeros((20, 20))), r"x must have"),
    "filter editor preset": (lambda: build_filter_editor(TINY, preset="sharpen!"),
                             r"preset must be one of .*got 'sharpen!'"),
    "filter editor relu 'no'": (lambda: build_filter_editor(TINY, relu="no"),
                                r"relu must be True or False, got 'no'"),
    "rf explorer layer": (lambda: build_rf_explorer(layer="conv9_9"),
                          r"layer must be one of .*got 'conv9_9'"),
    "rf explorer network": (lambda: build_rf_explorer(network="ResNet"),
                            r"network must be one of .*got 'ResNet'"),
    "lr explorer lr 0": (lambda: build_lr_explorer(X, Y, lr=0),
                         r"lr \(learning rate\) must be a number in \[0.001, 3.16\], got 0"),
    "lr explorer lr 100": (lambda: build_lr_explorer(X, Y, lr=100),
                           r"lr \(learning rate\) must be a number in \[0.001, 3.16\], got 100"),
    "lr explorer lr nan": (lambda: build_lr_explorer(X, Y, lr=float("nan")), r"lr \(learning"),
    "dashboard recipe dict": (lambda: build_training_dashboard(X, Y, X, Y, recipe={"lr": 1}),
                              r"recipe must be a cnn_core.recipes.Recipe, got dict"),
}


@pytest.mark.parametrize("call, pattern", REFUSED.values(), ids=REFUSED.keys())
def test_widget_refuses_instead_of_substituting(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


@pytest.mark.parametrize("changes, control, expected", [
    (dict(epochs=100), "epochs", 100), (dict(lr=1e-6), "lr_slider", 1e-6),
    (dict(lr=5.0), "lr_slider", 5.0)], ids=["100 epochs", "lr 1e-6", "lr 5"])
def test_dashboard_slider_holds_the_recipe_value_it_was_given(changes, control, expected):
    recipe = Recipe(filters=(2, 4), batch_size=4, **changes)
    board = build_training_dashboard(X, Y, X, Y, recipe=recipe, background=False)
    assert getattr(board, control).value == pytest.approx(expected)


RENDER_REFUSED = {
    "pooling render window_size 2.5": (dict(window_size=2.5),
                                       r"window_size must be an integer in \[1, 6\], got 2.5"),
    "pooling render cell outside": (dict(cell=(9, 9)), r"cell must be .* inside 3x3, got \(9, 9\)"),
    "pooling render mode": (dict(mode="min"), r"mode must be 'max' or 'average', got 'min'"),
}


@pytest.mark.parametrize("kwargs, pattern", RENDER_REFUSED.values(), ids=RENDER_REFUSED.keys())
def test_pooling_render_names_the_parameter(kwargs, pattern):
    from cnn_core.course.pooling.explorer_widget import render
    with pytest.raises(ValueError, match=pattern):
        render(GRID, **kwargs)
