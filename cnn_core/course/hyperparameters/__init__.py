"""Hyperparameters (chapter 09): configurable networks, sweeps and activation statistics."""
