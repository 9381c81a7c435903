"""Receptive fields (chapter 05): layer specs of real networks, locating a unit, the effective
receptive field; their figures and the explorer."""
