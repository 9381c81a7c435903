"""The course's small CNN in PyTorch, for an interleaved speed comparison (benchmark only).

PyTorch is not a dependency of the course.  To include it in ``make bench``, install the CPU
build into a separate environment (the default ``pip install torch`` pulls a multi-GB CUDA
build)::

    python3 -m venv /path/to/venv-bench
    /path/to/venv-bench/bin/pip install -r requirements.txt
    /path/to/venv-bench/bin/pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
    make bench BENCH_PYTHON=/path/to/venv-bench/bin/python

Both engines train the same architecture on the same digits with the same minibatch order,
starting from the same weights: cnn_core's ``zoo.small_cnn`` and its PyTorch twin below,
float32, plain SGD with momentum, cross-entropy.  Epochs alternate between the two in one
process, so both see the same machine load.
"""
import importlib.util
import time

import numpy as np

from cnn_core import losses, optim, train, zoo
from cnn_core.data import iterate_minibatches


def available():
    """True when PyTorch is installed (it is imported only when a comparison runs)."""
    return importlib.util.find_spec("torch") is not None


def version():
    import torch
    return torch.__version__


def twin_of(model):
    """A torch.nn.Sequential with the same layers and weights as ``zoo.small_cnn()``."""
    import torch
    nn = torch.nn
    conv1, conv2, dense = model.layers[0], model.layers[3], model.layers[7]
    net = nn.Sequential(
        nn.Conv2d(conv1.in_channels, conv1.out_channels, conv1.kernel_size, padding=conv1.padding),
        nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(conv2.in_channels, conv2.out_channels, conv2.kernel_size, padding=conv2.padding),
        nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(dense.in_features, dense.out_features))
    with torch.no_grad():
        for ours, theirs in ((conv1, net[0]), (conv2, net[3])):
            theirs.weight.copy_(torch.from_numpy(ours.params["W"]))
            theirs.bias.copy_(torch.from_numpy(ours.params["b"]))
        net[7].weight.copy_(torch.from_numpy(dense.params["W"].T.copy()))
        net[7].bias.copy_(torch.from_numpy(dense.params["b"]))
    return net


class Pair:
    """One cnn_core model and its torch twin, each trained one epoch at a time."""

    def __init__(self, x, y, batch_size, lr=0.05, seed=0):
        import torch
        self.x, self.y, self.batch_size = x, y, batch_size
        self.model = zoo.small_cnn(rng=np.random.default_rng(seed))
        self.net = twin_of(self.model)
        self.criterion, self.optimizer = losses.SoftmaxCrossEntropy(), optim.SGD(lr, momentum=0.9)
        self.torch_optimizer = torch.optim.SGD(self.net.parameters(), lr=lr, momentum=0.9)
        self.ours_rng, self.torch_rng = np.random.default_rng(seed), np.random.default_rng(seed)

    def cnn_core_epoch(self):
        """(wall seconds, CPU seconds of the process) for one epoch of ``train.fit``."""
        start, cpu = time.perf_counter(), time.process_time()
        train.fit(self.model, self.criterion, self.optimizer, self.x, self.y, epochs=1,
                  batch_size=self.batch_size, rng=self.ours_rng)
        return time.perf_counter() - start, time.process_time() - cpu

    def torch_epoch(self):
        """(wall seconds, CPU seconds of the process) for one epoch of the usual PyTorch loop
        over the same kind of minibatches."""
        import torch
        loss_fn = torch.nn.CrossEntropyLoss()
        start, cpu = time.perf_counter(), time.process_time()
        for xb, yb in iterate_minibatches(self.x, self.y, self.batch_size, rng=self.torch_rng):
            xb, yb = torch.from_numpy(xb), torch.from_numpy(yb.astype(np.int64))
            self.torch_optimizer.zero_grad()
            loss = loss_fn(self.net(xb), yb)
            loss.backward()
            self.torch_optimizer.step()
        return time.perf_counter() - start, time.process_time() - cpu


def interleaved_epochs(x, y, batch_size, rounds, threads):
    """(cnn_core, torch) lists of (wall, CPU) seconds per round, the two epochs of a round
    back to back.

    ``threads`` is passed to ``torch.set_num_threads`` (match OPENBLAS_NUM_THREADS).  One
    warm-up round is run and dropped; the order inside a round alternates.
    """
    import torch
    torch.set_num_threads(threads)
    pair = Pair(x, y, batch_size)
    pair.cnn_core_epoch(), pair.torch_epoch()
    ours, theirs = [], []
    for index in range(rounds):
        if index % 2:
            theirs.append(pair.torch_epoch())
            ours.append(pair.cnn_core_epoch())
        else:
            ours.append(pair.cnn_core_epoch())
            theirs.append(pair.torch_epoch())
    return ours, theirs
