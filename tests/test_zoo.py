"""Tests for cnn_core.zoo: the course's small CNN, LeNet-5 and VGG-16 (parameter counts,
shapes, receptive fields)."""
import math

import numpy as np
import pytest

from cnn_core.layers import Conv2D, Dense, MaxPool2D
from cnn_core.losses import softmax
from cnn_core.zoo import lenet5, small_cnn, vgg16


def test_small_cnn_summary_rows():
    summary = small_cnn(rng=np.random.default_rng(0)).summary((1, 28, 28))
    assert [row[0] for row in summary.rows] == [
        "Conv2D(1, 8, kernel_size=3, padding=1)", "ReLU()", "MaxPool2D(kernel_size=2)",
        "Conv2D(8, 16, kernel_size=3, padding=1)", "ReLU()", "MaxPool2D(kernel_size=2)",
        "Flatten()", "Dense(784, 10)"]
    assert [row[1] for row in summary.rows] == [
        (8, 28, 28), (8, 28, 28), (8, 14, 14), (16, 14, 14), (16, 14, 14), (16, 7, 7),
        (784,), (10,)]
    # conv1: 8*(1*9)+8 = 80; conv2: 16*(8*9)+16 = 1168; dense: 784*10+10 = 7850
    assert [row[2] for row in summary.rows] == [80, 0, 0, 1168, 0, 0, 0, 7850]
    assert summary.total_params == 9098
    # receptive fields: 3; ReLU keeps 3; pool +1 -> 4 (stride 2); conv +2*2 -> 8; pool +1*2 -> 10
    sizes = [row[3].size if row[3] else None for row in summary.rows]
    assert sizes == [3, 3, 4, 8, 8, 10, None, None]
    assert [row[3].stride for row in summary.rows[:6]] == [1, 1, 2, 2, 2, 4]
    text = str(summary)
    assert "total parameters: 9,098" in text
    assert "10x10 (stride 4, pad 3)" in text


def test_small_cnn_filters_and_kernel_size_options():
    model = small_cnn(filters=(4, 6), kernel_size=5, num_classes=3, rng=np.random.default_rng(0))
    summary = model.summary((1, 28, 28))
    # conv1: 4*25+4 = 104; conv2: 6*4*25+6 = 606; dense: 6*49*3+3 = 885
    assert summary.total_params == 104 + 606 + 885
    assert summary.rows[0][1] == (4, 28, 28) and summary.output_shape == (3,)


def test_small_cnn_variant_options():
    model = small_cnn(filters=(3, 5), rng=np.random.default_rng(0), padding=0,
                      downsample="stride", batchnorm=True, dropout=0.25, input_shape=(2, 20, 20))
    assert model.architecture().splitlines() == [
        "Conv2D(2, 3, kernel_size=3, stride=2)", "BatchNorm2D(3)", "ReLU()",
        "Conv2D(3, 5, kernel_size=3, stride=2)", "BatchNorm2D(5)", "ReLU()",
        "Flatten()", "Dropout(p=0.25)", "Dense(80, 10)"]     # 20 -> 9 -> 4: 5*4*4 = 80
    assert model.forward(np.zeros((2, 2, 20, 20), np.float32)).shape == (2, 10)


def test_small_cnn_rejects_an_unknown_downsampling():
    with pytest.raises(ValueError, match=r"downsample must be 'pool' or 'stride', got 'avg'"):
        small_cnn(downsample="avg")


def test_small_cnn_forward_on_digits_gives_near_uniform_probabilities():
    from cnn_core.data import load_digits
    x, _ = load_digits("test")
    scores = small_cnn(rng=np.random.default_rng(0)).forward(x[:32])
    assert scores.shape == (32, 10) and scores.dtype == np.float32
    probs = softmax(scores.astype(np.float64))
    assert np.all(np.abs(probs - 0.1) < 0.05)
    assert abs(-np.log(probs).mean() - math.log(10)) < 0.1


def test_zoo_models_are_seeded():
    a, b, c = (small_cnn(rng=np.random.default_rng(s)) for s in (5, 5, 6))
    for (name, pa, _), (_, pb, _), (_, pc, _) in zip(a.named_params(), b.named_params(),
                                                     c.named_params()):
        np.testing.assert_array_equal(pa, pb, err_msg=name)
        if name.endswith("W"):
            assert not np.array_equal(pa, pc), name


def test_lenet5_summary():
    model = lenet5(rng=np.random.default_rng(0))
    summary = model.summary((1, 28, 28))
    assert summary.total_params == 61706 == model.num_params()
    shapes = [row[1] for row in summary.rows]
    assert shapes[:7] == [(6, 28, 28), (6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 10, 10),
                          (16, 5, 5), (400,)]
    assert summary.output_shape == (10,)
    # 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706
    assert [row[2] for row in summary.rows if row[2]] == [156, 2416, 48120, 10164, 850]
    assert "total parameters: 61,706" in str(summary)
    x = np.zeros((2, 1, 28, 28), dtype=np.float32)
    assert model.forward(x).shape == (2, 10)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lenet5_initial_loss_is_close_to_log_10(seed):
    # The small output layer (zoo.OUTPUT_SCALE) makes a fresh classifier guess uniformly.
    from cnn_core.data import load_digits
    from cnn_core.losses import SoftmaxCrossEntropy
    x, y = load_digits("test")
    scores = lenet5(rng=np.random.default_rng(seed)).forward(x[:100])
    assert abs(SoftmaxCrossEntropy().forward(scores, y[:100]) - math.log(10)) < 0.1


def test_vgg16_parameter_count():
    # The only test that builds VGG-16: about 553 MB of float32 weights, a few seconds.
    model = vgg16(rng=np.random.default_rng(0))
    summary = model.summary((3, 224, 224))
    assert summary.total_params == 138_357_544 == model.num_params()
    assert summary.output_shape == (1000,)
    convs = [layer for layer in model.layers if isinstance(layer, Conv2D)]
    denses = [layer for layer in model.layers if isinstance(layer, Dense)]
    assert len(convs) == 13 and len(denses) == 3
    assert sum(isinstance(layer, MaxPool2D) for layer in model.layers) == 5
    assert summary.rows[-4][1] == (4096,) and summary.rows[-1][1] == (1000,)
    flatten_row = next(row for row in summary.rows if row[0] == "Flatten()")
    assert flatten_row[1] == (512 * 7 * 7,)
    # last conv/pool receptive field of VGG-16: 212 pixels with stride 32
    last_pool = [row for row in summary.rows if row[3] is not None][-1]
    assert (last_pool[3].size, last_pool[3].stride) == (212, 32)
    assert all(layer.params["W"].dtype == np.float32 for layer in convs + denses)
    del model


@pytest.mark.parametrize("build", [small_cnn, lenet5])
def test_zoo_rejects_rng_that_is_not_a_generator(build):
    with pytest.raises(ValueError, match=r"rng must be a numpy\.random\.Generator"):
        build(rng=123)
