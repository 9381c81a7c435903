"""Tests for cnn_core.course.draw.unit_trace: the rebuilt value equals the network's, the
receptive field matches cnn_core.arithmetic, bad units are refused."""
import numpy as np
import pytest

from cnn_core.course.draw.bundled_model import load_bundled_model
from cnn_core.course.draw.reading import read_strokes
from cnn_core.course.draw.unit_trace import trace_unit


@pytest.fixture(scope="module")
def model_and_reading():
    model = load_bundled_model()
    return model, read_strokes(model, [[(60, 50), (220, 50), (120, 250)]], 280, 20)


@pytest.mark.parametrize("layer, kind, size", [(0, "conv", 3), (1, "relu", 3),
                                               (2, "max-pool", 4), (3, "conv", 8),
                                               (4, "relu", 8), (5, "max-pool", 10)])
def test_every_layer_rebuilds_its_value(model_and_reading, layer, kind, size):
    model, reading = model_and_reading
    maps = reading.feature_maps[layer][2]
    channel, row, col = np.unravel_index(np.argmax(maps), maps.shape)   # an active unit
    trace = trace_unit(model, reading, layer, int(channel), int(row), int(col))
    assert trace.kind == kind and trace.value > 0
    assert trace.rebuilt == pytest.approx(trace.value, rel=1e-4, abs=1e-5)
    top, left, bottom, right = trace.box
    assert bottom - top + 1 == size and right - left + 1 == size


def test_conv2_unit_sums_every_input_channel(model_and_reading):
    model, reading = model_and_reading
    trace = trace_unit(model, reading, 3, 5, 4, 3)
    channels = model.layers[0].out_channels
    assert trace.inputs.shape == trace.weights.shape == (channels, 3, 3)
    assert trace.contributions().sum() + trace.bias == pytest.approx(trace.rebuilt)
    # by hand: conv2 row 4 reads pool1 rows 3..5, which read relu1/conv1 rows 6..11, which
    # read input rows 5..12; likewise column 3 -> pool1 2..4 -> conv1 4..9 -> input 3..10
    assert trace.box == (5, 3, 12, 10)
    assert f"{channels} input channel(s)" in trace.describe()


def test_corner_unit_reads_zero_padding(model_and_reading):
    model, reading = model_and_reading
    trace = trace_unit(model, reading, 0, 0, 0, 0)
    assert trace.box == (-1, -1, 1, 1)
    assert np.all(trace.inputs[:, 0, :] == 0) and np.all(trace.inputs[:, :, 0] == 0)


@pytest.mark.parametrize("args, word", [((6, 0, 0, 0), "layer"), ((0, 99, 0, 0), "channel"),
                                        ((2, 0, 14, 0), "row"), ((5, 0, 0, -1), "col"),
                                        ((True, 0, 0, 0), "layer")])
def test_bad_unit_is_refused(model_and_reading, args, word):
    model, reading = model_and_reading
    with pytest.raises(ValueError, match=word):
        trace_unit(model, reading, *args)
