"""cnn_core: a small, readable numpy engine for learning convolutional neural networks.

Modules, in the order data flows: arithmetic, functional -> layers -> model -> train;
plus losses, optim, gradcheck, data, zoo, and the course's plotting and widgets.
"""
__version__ = "0.1.0"
