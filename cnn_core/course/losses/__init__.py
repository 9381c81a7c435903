"""Losses (chapter 06): cross-entropy against MSE on probabilities, with gradients; their
figures."""
