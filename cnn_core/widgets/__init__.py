"""ipywidgets controls for the course: thin ``build_*`` functions.

Each widget wires its controls to a pure ``render(**params)`` (one compute call from the engine,
one plot call from :mod:`cnn_core.plotting`) that can be called and tested without a browser.
One submodule per widget; import from the submodule.
"""
