"""cnn_core: a small, readable numpy engine for learning convolutional neural networks.

Modules, in the order data flows: arithmetic, functional -> layers -> model -> train;
plus losses, optim, gradcheck, data, zoo, recipes, validation. The course wing (figures, widgets,
exercises) lives in ``cnn_core.course`` and is never imported by the engine.
"""
__version__ = "0.1.0"
