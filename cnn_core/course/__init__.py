"""The course wing: everything behind the notebooks' figures, widgets and exercises.

Grouped by topic, not by chapter (see ``README.md`` in this folder). Inside a topic, imports
run one way: numbers (numpy only) -> plots (``plots.py``, ``*_plots.py``: matplotlib) ->
widgets (``*_widget.py``: ipywidgets). The engine (``cnn_core`` outside this folder) never
imports anything from here; ``tests/test_layout.py`` enforces both rules.
"""
