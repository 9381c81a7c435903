"""Backpropagation (chapter 07): gradient footprints of a convolution, learning-rate
experiments; their figures and the backward and learning-rate explorers."""
