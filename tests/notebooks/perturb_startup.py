"""IPython startup file for the perturbed notebook check (see test_perturbed_notebooks.py).

It simulates running the notebooks on another CPU. Training in float32 follows the summation
order of the BLAS kernel the CPU picks, so another machine's weights differ from ours in the
last bits after the first step, and the difference grows over the run. Here, right after the
first step of every optimizer, every parameter moves by one unit in the last place (ulp). A
notebook passes the check when every output nbval compares exactly is unchanged and every
in-cell tolerance assert still holds.

Each perturbation appends one line to the file named by CNN_CORE_PERTURB_LOG, so the test can
tell that the perturbation really happened.
"""
import os

import numpy as np

import cnn_core.optim

_original_step = cnn_core.optim.Optimizer.step


def _step_then_perturb(self, model):
    _original_step(self, model)
    if getattr(self, "_perturbed_once", False):
        return
    self._perturbed_once = True
    for _, param, _ in model.named_params():
        param[...] = np.nextafter(param, np.array(np.inf, dtype=param.dtype))
    with open(os.environ["CNN_CORE_PERTURB_LOG"], "a") as log:
        log.write(f"{type(self).__name__} perturbed by 1 ulp after its first step\n")


cnn_core.optim.Optimizer.step = _step_then_perturb
