"""The layers of a CNN.  Every layer follows the contract in :mod:`cnn_core.layers.base`."""
from .base import LAYERS, Layer
from .activations import ReLU
from .conv import Conv2D
from .dense import Dense, Flatten
from .pool import AvgPool2D, MaxPool2D
from .regularization import BatchNorm2D, Dropout
from .examples import example

__all__ = ["LAYERS", "Layer", "example", "Conv2D", "MaxPool2D", "AvgPool2D", "ReLU", "Flatten",
           "Dense", "Dropout", "BatchNorm2D"]
