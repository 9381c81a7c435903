"""cnn_core: a small, readable numpy engine for learning convolutional neural networks.

Modules, in the order data flows: arithmetic, functional -> layers -> model -> train;
plus losses, optim, gradcheck, data, zoo, recipes, validation. The course wing (figures, widgets,
exercises) lives in ``cnn_core.course`` and is never imported by the engine.

The names a notebook needs are importable from the package itself, e.g.
``from cnn_core import Conv2D, Sequential, SoftmaxCrossEntropy, Adam, fit, load_digits``;
each still lives in (and is documented in) the module named in the comments below.
Importing cnn_core loads numpy only (no matplotlib, no ipywidgets).
"""
__version__ = "0.1.0"

from . import (
    arithmetic,
    data,
    functional,
    gradcheck,
    layers,
    losses,
    model,
    optim,
    recipes,
    train,
    validation,
    zoo,
)

# output sizes and receptive fields
from .arithmetic import (
    RELATIONSHIPS,
    conv_output_size,
    effective_kernel_size,
    pool_output_size,
    receptive_field,
    receptive_field_box,
    receptive_fields,
    transposed_conv_output_size,
    transposed_output_padding,
    unreached_pixels,
)

# data: the bundled digits, a photo, synthetic shapes, batching and augmentation
from .data import (
    iterate_minibatches,
    load_digits,
    load_photo,
    make_shapes,
    shift_augment,
    stratified_split,
    to_nchw,
)

# the array operations, forward and backward
from .functional import (
    conv2d_backward,
    conv2d_forward,
    conv_transpose2d,
    im2col,
    maxpool2d_backward,
    maxpool2d_forward,
)

# gradient checking
from .gradcheck import check_layer_gradients, numerical_gradient, relative_error

# layers, losses, the model, optimizers
from .layers import AvgPool2D, BatchNorm2D, Conv2D, Dense, Dropout, Flatten, Layer, MaxPool2D, ReLU
from .losses import MSE, SoftmaxCrossEntropy, softmax
from .model import Sequential, run_order
from .optim import SGD, Adam

# training: the loop, its record and callbacks; the course's default recipe
from .recipes import DEFAULT_RECIPE, SUGGESTED_LR, Recipe, build_model, train_recipe
from .train import Callback, EarlyStopping, History, ProgressBar, TrainingDiverged, evaluate, fit

# ready-made architectures
from .zoo import lenet5, small_cnn, vgg16

__all__ = [
    "arithmetic", "data", "functional", "gradcheck", "layers", "losses", "model", "optim",
    "recipes", "train", "validation", "zoo",
    "RELATIONSHIPS", "conv_output_size", "effective_kernel_size", "pool_output_size",
    "receptive_field", "receptive_field_box", "receptive_fields", "transposed_conv_output_size",
    "transposed_output_padding", "unreached_pixels",
    "iterate_minibatches", "load_digits", "load_photo", "make_shapes", "shift_augment",
    "stratified_split", "to_nchw",
    "conv2d_backward", "conv2d_forward", "conv_transpose2d", "im2col", "maxpool2d_backward",
    "maxpool2d_forward",
    "check_layer_gradients", "numerical_gradient", "relative_error",
    "AvgPool2D", "BatchNorm2D", "Conv2D", "Dense", "Dropout", "Flatten", "Layer", "MaxPool2D",
    "ReLU", "MSE", "SoftmaxCrossEntropy", "softmax", "Sequential", "run_order", "SGD", "Adam",
    "DEFAULT_RECIPE", "SUGGESTED_LR", "Recipe", "build_model", "train_recipe",
    "Callback", "EarlyStopping", "History", "ProgressBar", "TrainingDiverged", "evaluate", "fit",
    "lenet5", "small_cnn", "vgg16",
]
