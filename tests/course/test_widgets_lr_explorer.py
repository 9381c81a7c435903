"""Tests for cnn_core.course.backprop.lr_widget: built and driven without a browser."""
import base64
import html

import ipywidgets as widgets
import numpy as np
import pytest

from cnn_core.course.backprop.lr_widget import (
    LOG_LR_RANGE,
    OUTPUT_CLASS,
    SLIDER_STEP,
    build_lr_explorer,
    render,
    slider_positions,
    training_subset,
)


@pytest.fixture(scope="module")
def subset():
    return training_subset(64)


def test_training_subset_is_the_first_digits():
    x, y = training_subset(10)
    assert x.shape == (10, 1, 28, 28) and y.shape == (10,)


def test_render_small_lr_crawls_and_large_lr_diverges(subset):
    x, y = subset
    fig, slow = render(0.001, x, y, steps=16)
    assert not slow.run.diverged and not slow.path.diverged
    assert 0.9 * slow.run.loss_before < slow.run.loss_after < slow.run.loss_before
    assert 0.5 * slow.path.losses[0] < slow.path.losses[-1] < slow.path.losses[0]
    assert len(fig.axes) == 3
    _, wild = render(3.0, x, y, steps=16)
    assert wild.run.diverged and wild.path.diverged
    assert "learning rate" in wild.run.message and "learning rate" in wild.path.message


def test_widget_slider_changes_the_readout(subset):
    x, y = subset
    box = build_lr_explorer(x, y, lr=0.1, steps=16)
    slider = box.controls["learning rate"]
    assert isinstance(slider, widgets.FloatLogSlider) and slider.description == "learning rate"
    assert slider.continuous_update is False and slider.base == 10
    assert slider.min <= -3 and 10 ** slider.max >= 2
    assert OUTPUT_CLASS in box.readout._dom_classes and OUTPUT_CLASS == "lr-explorer-output"
    good = html.unescape(box.readout.value)
    assert good.startswith("learning rate 0.1<br>") and "small CNN: loss 2.29 -> " in good
    picture = box.output.outputs[0]["data"]["image/png"]
    assert base64.b64decode(picture).startswith(b"\x89PNG") and len(box.output.outputs) == 1
    slider.value = 0.001
    assert box.result.lr == pytest.approx(0.001) and box.readout.value != good
    assert box.output.outputs[0]["data"]["image/png"] != picture
    assert box.result.run.loss_after > 2.0
    slider.value = 3.0
    assert box.result.run.diverged
    assert "small CNN: training stopped" in box.readout.value
    assert "learning rate (3) is probably too high" in box.readout.value


def test_slider_positions_cover_the_slider_nearest_first():
    positions = slider_positions(0.1)
    assert positions[0] == pytest.approx(0.1) and len(positions) == 36
    assert min(positions) == pytest.approx(10 ** LOG_LR_RANGE[0])
    assert max(positions) == pytest.approx(10 ** LOG_LR_RANGE[1])
    assert len({round(p, 12) for p in positions}) == len(positions)
    gaps = [abs(np.log10(p) + 1) for p in positions]
    assert gaps == sorted(gaps) and gaps[1] == pytest.approx(SLIDER_STEP)


def test_background_pictures_match_a_fresh_render(subset):
    x, y = subset
    box = build_lr_explorer(x, y, lr=0.1, steps=8)
    box.background.join(timeout=300)
    assert not box.background.is_alive()
    slider = box.controls["learning rate"]
    slider.value = 10 ** -2.0
    stored = box.result
    _, fresh = render(10 ** -2.0, x, y, steps=8)
    assert stored.summary == fresh.summary and stored.run.batch_loss == fresh.run.batch_loss
    slider.value = 10 ** -1.0
    slider.value = 10 ** -2.0 * (1 + 1e-15)   # the browser's 10 ** -2 may differ in the last bit
    assert box.result is stored
