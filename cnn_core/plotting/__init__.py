"""Matplotlib drawings for the course: pure ``plot_*(ax, data) -> artists`` functions.

One submodule per topic; import from the submodule, e.g.
``from cnn_core.plotting.grids import plot_image_grid``.  Nothing here changes matplotlib's
global settings, creates widgets or keeps state.
"""
