"""Convolution (chapters 02-03): animation frames, the written-out sums, the convolution
matrix, hand-made filters; their figures and the explorer and filter-editor widgets."""
