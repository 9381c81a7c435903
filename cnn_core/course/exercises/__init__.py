"""Check functions for the notebooks' exercises: one submodule per chapter (``ch02``, ...).

A check prints a clear PASS message, or raises AssertionError with a hint about what to fix.
"""
