"""The layers of a CNN.  Every layer follows the contract in :mod:`cnn_core.layers.base`."""
from .activations import ReLU
from .base import LAYERS, Layer
from .conv import Conv2D
from .dense import Dense, Flatten
from .examples import example
from .pool import AvgPool2D, MaxPool2D
from .regularization import BatchNorm2D, Dropout

__all__ = ["LAYERS", "Layer", "example", "Conv2D", "MaxPool2D", "AvgPool2D", "ReLU", "Flatten",
           "Dense", "Dropout", "BatchNorm2D"]
