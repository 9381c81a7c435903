"""Check functions for the notebooks' exercises: one submodule per chapter (``ch02``, ...).

A check prints a clear PASS message, or raises AssertionError with a hint about what to fix.
"""

from cnn_core.course.exercises.own_work import install_cell_recorder

# The hidden own-work checks read the source of the cell that computed an answer: start
# recording cells as soon as a notebook imports its chapter's checks.
install_cell_recorder()
