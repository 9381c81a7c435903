"""Shared by every topic: grids of images, training curves, figures to PNG for widgets."""
