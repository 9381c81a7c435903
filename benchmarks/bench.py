"""Speed and memory of the cnn_core engine: prints a table, asserts nothing.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench.py``); it takes under a minute.
What it measures, on the course's digit model ``zoo.small_cnn()`` (float32, batch 64):

1. training:   seconds per epoch over the 4,000 training digits with ``train.fit`` (median of
               5 epochs after 1 warm-up), and the CPU seconds the process used per epoch;
2. conv layers: forward + backward GFLOP/s of each convolution, counting 2*N*F*C*KH*KW*H_out*W_out
               per direction (backward = dw + dx, no dx for the first layer, as in training), and
               that as a fraction of numpy's matmul speed on a large float32 GEMM in the same run;
3. fast/naive: how much faster the fast functions are than their loop twins (8 images);
4. memory:     peak resident memory (ru_maxrss), resident memory after each epoch (it should not
               grow) and the peak of numpy allocations during one epoch (tracemalloc);
5. layers:     forward + backward milliseconds of every layer on one batch, its share of the sum,
               and for the layers that multiply matrices, the fraction of the GEMM rate;
6. PyTorch:    when ``torch`` is importable, epochs of cnn_core and of the same network in
               PyTorch's CPU build, alternating in this process (same digits, same minibatch
               order, same starting weights, ``torch.set_num_threads`` = OPENBLAS_NUM_THREADS),
               and the peak resident memory of each engine training alone in a fresh process.
               PyTorch is not a dependency; see benchmarks/torch_twin.py for how to install it.

The machine may be shared: timings are medians of repeats, and the load average is printed
next to them.  Compare numbers taken at similar load.
"""
import math
import os
import resource
import statistics
import sys
import time
import tracemalloc

import numpy as np
import torch_twin

from cnn_core import data, losses, optim, train, zoo
from cnn_core import functional as F
from cnn_core.course.training.timing import conv_flops, layer_flops
from cnn_core.layers import Conv2D
from cnn_core.model import run_order

BATCH = 64
EPOCHS = 5
SEED = 0


def median_seconds(fn, repeats, warmup=1):
    """Median wall-clock seconds of ``fn()`` over ``repeats`` calls, after ``warmup`` calls."""
    return median_times(fn, repeats, warmup)[0]


def median_times(fn, repeats, warmup=1):
    """Medians of (wall-clock seconds, CPU seconds of this thread) of ``fn()`` over ``repeats``.

    On a busy machine the CPU time is the steadier of the two: it leaves out the time the
    process waited for a core.
    """
    for _ in range(warmup):
        fn()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.thread_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.thread_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def resident_mb():
    """Current resident set size in MB (Linux /proc), or the peak if /proc is unavailable."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return peak_resident_mb()


def peak_resident_mb():
    """Peak resident set size of this process in MB: VmHWM from /proc (Linux), else ru_maxrss
    (which Linux carries over from the parent across exec, so it misleads in a child process)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10
    except (OSError, ValueError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def load_average():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


class EpochRecorder(train.Callback):
    """Record the resident memory and the CPU time (all threads) of every epoch."""

    def __init__(self):
        self.resident_mb, self.cpu_seconds = [], []
        self._start = None

    def on_train_begin(self, state):
        self._start = time.process_time()

    def on_epoch_end(self, state):
        now = time.process_time()
        self.cpu_seconds.append(now - self._start)
        self._start = now
        self.resident_mb.append(resident_mb())


# ------------------------------------------------------------------------------ 1. training
def bench_training(x, y):
    """Train a fresh small_cnn for 1 + EPOCHS epochs; return (history, recorder, model)."""
    model = zoo.small_cnn(rng=np.random.default_rng(SEED))
    recorder = EpochRecorder()
    history = train.fit(model, losses.SoftmaxCrossEntropy(), optim.SGD(0.05, momentum=0.9), x, y,
                        epochs=EPOCHS + 1, batch_size=BATCH, rng=np.random.default_rng(SEED),
                        callbacks=[recorder])
    return history, recorder, model


# --------------------------------------------------------------------------- 2. conv layers
def gemm_gflops(size=1024, repeats=5):
    """numpy matmul speed on a large float32 GEMM (size^3), the ceiling: best of ``repeats``.

    Returns (GFLOP/s of wall-clock time, GFLOP/s per CPU-second).  BLAS uses all its threads
    for a product this large; the second figure divides by the CPU time of all of them.
    """
    rng = np.random.default_rng(SEED)
    a = rng.standard_normal((size, size), dtype=np.float32)
    b = rng.standard_normal((size, size), dtype=np.float32)
    a @ b
    best_wall = best_cpu = math.inf
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        a @ b
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    flops = 2 * size**3
    return flops / best_wall / 1e9, flops / max(best_cpu, 1e-9) / 1e9


def bench_conv_layers(model, xb, repeats=20):
    """Forward+backward time and GFLOP/s of every Conv2D of ``model`` on the batch ``xb``.

    Returns rows (index, name, input shape, wall seconds, GFLOP/s by wall time, GFLOP/s by CPU
    time).
    """
    rows, x = [], xb
    for index, layer in enumerate(model.layers):
        if isinstance(layer, Conv2D):
            first = x is xb
            out = layer.forward(x)
            dout = np.random.default_rng(SEED).standard_normal(out.shape, dtype=out.dtype)

            def step(layer=layer, x=x, dout=dout, first=first):
                layer.forward(x)
                layer.backward(dout, need_dx=not first)

            wall, cpu = median_times(step, repeats)
            flops = sum(conv_flops(layer, x.shape, first))
            rows.append((index, repr(layer), x.shape, wall, flops / wall / 1e9, flops / cpu / 1e9))
        x = layer.forward(x)
    return rows


# ---------------------------------------------------------------------------- 3. fast/naive
def bench_speedups(rng, n_images=8):
    """(name, naive seconds, fast seconds) for conv and max-pool, on ``n_images`` images."""
    x = rng.standard_normal((n_images, 8, 14, 14), dtype=np.float32)
    w = rng.standard_normal((16, 8, 3, 3), dtype=np.float32)
    b = np.zeros(16, dtype=np.float32)
    out, cache = F.conv2d_forward(x, w, b, padding=1)
    _, cache_naive = F.conv2d_forward_naive(x, w, b, padding=1)
    dout = rng.standard_normal(out.shape, dtype=np.float32)
    pool_x = np.maximum(rng.standard_normal((n_images, 8, 28, 28), dtype=np.float32), 0)
    pooled, pool_cache = F.maxpool2d_forward(pool_x, 2)
    _, pool_cache_naive = F.maxpool2d_forward_naive(pool_x, 2)
    dpool = rng.standard_normal(pooled.shape, dtype=np.float32)
    pairs = [
        ("conv forward  8->16, 3x3, 14x14", lambda: F.conv2d_forward_naive(x, w, b, padding=1),
         lambda: F.conv2d_forward(x, w, b, padding=1)),
        ("conv backward 8->16, 3x3, 14x14", lambda: F.conv2d_backward_naive(dout, cache_naive),
         lambda: F.conv2d_backward(dout, cache)),
        ("maxpool forward  2x2, 8x28x28", lambda: F.maxpool2d_forward_naive(pool_x, 2),
         lambda: F.maxpool2d_forward(pool_x, 2)),
        ("maxpool backward 2x2, 8x28x28",
         lambda: F.maxpool2d_backward_naive(dpool, pool_cache_naive),
         lambda: F.maxpool2d_backward(dpool, pool_cache)),
    ]
    return [(name, median_seconds(naive, 2, warmup=0), median_seconds(fast, 30))
            for name, naive, fast in pairs]


def bench_flat_frames(rng, n_images=BATCH):
    """(col2im seconds, flat-frame seconds) for dx of the small CNN's second convolution, or
    None for an engine without the flat-frames module (e.g. an older checkout, for comparison)."""
    try:
        from cnn_core.functional import conv, flat_frames
    except ImportError:
        return None
    dout = rng.standard_normal((n_images, 16, 14, 14), dtype=np.float32)
    w = rng.standard_normal((16, 8, 3, 3), dtype=np.float32)
    x_shape = (n_images, 8, 14, 14)
    plain = median_seconds(lambda: conv._input_gradient_col2im(dout, w, x_shape, 1, 1, 1), 30)
    flat = median_seconds(lambda: flat_frames.input_gradient_flat(dout, w, x_shape, 1, 1), 30)
    return plain, flat


# ---------------------------------------------------------------------------------- 4. memory
def traced_peak_mb(x, y):
    """Peak of memory allocated through Python/numpy during one training epoch (tracemalloc)."""
    model = zoo.small_cnn(rng=np.random.default_rng(SEED))
    tracemalloc.start()
    try:
        train.fit(model, losses.SoftmaxCrossEntropy(), optim.SGD(0.05, momentum=0.9), x, y,
                  epochs=1, batch_size=BATCH, rng=np.random.default_rng(SEED))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


# ---------------------------------------------------------------------------------- 5. layers
def bench_layers(model, xb, repeats=30):
    """Rows (index, repr, wall seconds, CPU seconds, FLOPs or None) of forward + backward, one
    per layer, on the batch ``xb``, in the order training runs them (``cnn_core.model.run_order``:
    a ReLU before a max pooling runs after it, on the pooled map); the first layer skips dx."""
    rows, x = [], xb
    for index in run_order(model.layers):
        layer = model.layers[index]
        out = layer.forward(x)
        dout = np.random.default_rng(SEED).standard_normal(out.shape).astype(out.dtype)
        first = x is xb

        def step(layer=layer, x=x, dout=dout, first=first):
            layer.forward(x)
            layer.backward(dout, need_dx=False) if first else layer.backward(dout)

        wall, cpu = median_times(step, repeats)
        rows.append((index, repr(layer), wall, cpu, layer_flops(layer, x.shape, first)))
        x = out
    return rows


# --------------------------------------------------------------------------------- 6. PyTorch
def peak_memory_of(engine):
    """Peak resident MB of a fresh process that imports ``engine`` and trains 2 epochs with it,
    and its resident MB just before training (the libraries alone)."""
    import subprocess
    out = subprocess.run([sys.executable, __file__, "--peak-memory", engine], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def train_alone(engine):
    """Child process of :func:`peak_memory_of`: print peak and pre-training resident MB."""
    x, y = data.load_digits("train")
    x = x.astype(np.float32, copy=False)
    if engine == "torch":
        import torch
        torch.set_num_threads(int(os.environ.get("OPENBLAS_NUM_THREADS", os.cpu_count())))
        epoch = torch_twin.Pair(x, y, BATCH).torch_epoch
    else:                       # no torch import: its libraries would count against cnn_core
        model, rng = zoo.small_cnn(rng=np.random.default_rng(SEED)), np.random.default_rng(SEED)
        criterion, optimizer = losses.SoftmaxCrossEntropy(), optim.SGD(0.05, momentum=0.9)

        def epoch():
            train.fit(model, criterion, optimizer, x, y, epochs=1, batch_size=BATCH, rng=rng)
    before = resident_mb()
    for _ in range(2):
        epoch()
    print(f"{peak_resident_mb():.1f} {before:.1f}")


def report_torch(x, y, rounds=11):
    threads = int(os.environ.get("OPENBLAS_NUM_THREADS", os.cpu_count()))
    print(f"6. PyTorch {torch_twin.version()} (CPU build), same network, interleaved "
          f"epochs, torch threads = {threads}")
    ours, theirs = torch_twin.interleaved_epochs(x, y, BATCH, rounds, threads)
    for kind, column in (("wall", 0), ("CPU", 1)):
        a, b = [t[column] for t in ours], [t[column] for t in theirs]
        ratios = [u / v for u, v in zip(a, b)]
        print(f"   {kind} seconds per epoch")
        print("     cnn_core: " + " ".join(f"{s:.3f}" for s in a))
        print("     PyTorch:  " + " ".join(f"{s:.3f}" for s in b))
        print(f"     medians: cnn_core {statistics.median(a):.3f} s, PyTorch "
              f"{statistics.median(b):.3f} s; ratio cnn_core / PyTorch: median of rounds "
              f"{statistics.median(ratios):.2f} (range {min(ratios):.2f}-{max(ratios):.2f})")
    print(f"   (CPU = process time, steadier than wall time on a busy machine)   "
          f"[{load_average()}]")
    (ours_peak, ours_base), (torch_peak, torch_base) = map(peak_memory_of, ("cnn_core", "torch"))
    print(f"   peak resident MB training alone: cnn_core {ours_peak:.0f} "
          f"(libraries {ours_base:.0f}), PyTorch {torch_peak:.0f} (libraries {torch_base:.0f}); "
          f"ratio {ours_peak / torch_peak:.2f}\n")


# ------------------------------------------------------------------------------------ report
def main():
    started = time.perf_counter()
    threads = {k: v for k, v in os.environ.items() if k.endswith("_NUM_THREADS")}
    print(f"cnn_core benchmark: numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"thread settings {threads or 'default'}")
    print(f"before: {load_average()}\n")
    x, y = data.load_digits("train")
    x = x.astype(np.float32, copy=False)

    history, recorder, model = bench_training(x, y)
    cpu, rss = recorder.cpu_seconds, recorder.resident_mb
    wall = history.seconds[1:]
    print(f"1. training epoch: small_cnn, {len(x)} digits, batch {BATCH}, float32, SGD momentum")
    print("   epoch seconds (first = warm-up): " + " ".join(f"{s:.3f}" for s in history.seconds))
    print(f"   median {statistics.median(wall):.3f} s wall, {statistics.median(cpu[1:]):.3f} s CPU "
          f"(process time, all threads)   [{load_average()}]")
    print(f"   final training loss {history.train_loss[-1]:.4f}, "
          f"accuracy {history.train_acc[-1]:.3f}\n")

    ceiling, per_cpu = gemm_gflops()
    print(f"2. conv layers, forward + backward, batch {BATCH}; numpy float32 1024^3 GEMM: "
          f"{ceiling:.1f} GFLOP/s ({per_cpu:.1f} per CPU-second)")
    print(f"   {'layer':<42}{'input':>18}{'ms':>8}{'GFLOP/s':>9}{'of GEMM':>9}{'CPU-based':>11}")
    for index, name, shape, seconds, gflops, cpu_gflops in bench_conv_layers(model, x[:BATCH]):
        print(f"   {index}: {name:<39}{shape!s:>18}{seconds * 1e3:8.2f}{gflops:9.2f}"
              f"{gflops / ceiling:9.1%}{cpu_gflops:8.2f} ({cpu_gflops / per_cpu:.0%})")
    print("   (the first layer skips dx, as in training; CPU-based = FLOPs per CPU-second,\n"
          "   and its share of the GEMM's FLOPs per CPU-second)\n")

    print("3. fast vs naive, 8 images")
    print(f"   {'operation':<36}{'naive ms':>10}{'fast ms':>10}{'speed-up':>10}")
    for name, naive, fast in bench_speedups(np.random.default_rng(SEED)):
        print(f"   {name:<36}{naive * 1e3:10.1f}{fast * 1e3:10.3f}{naive / fast:9.0f}x")
    print()

    flat_result = bench_flat_frames(np.random.default_rng(SEED))
    plain, flat = flat_result or (math.nan, math.nan)
    print(f"   dx of conv 8->16, 3x3, 14x14, batch {BATCH}: col2im {plain * 1e3:.3f} ms, "
          f"flat frames {flat * 1e3:.3f} ms ({plain / flat:.1f}x)\n")

    print("4. memory")
    print("   resident MB after each timed epoch: " + " ".join(f"{m:.1f}" for m in rss[1:]))
    print(f"   growth over the timed epochs: {rss[-1] - rss[1]:+.1f} MB")
    print(f"   peak resident memory (VmHWM): {peak_resident_mb():.1f} MB")
    print("   peak traced allocations during one epoch (tracemalloc): "
          f"{traced_peak_mb(x, y):.1f} MB")
    print()

    print(f"5. layers, forward + backward on one batch of {BATCH}; rates per CPU-second "
          f"(steadier than wall time on a shared machine), GEMM {per_cpu:.1f} GFLOP/s")
    rows = bench_layers(model, x[:BATCH])
    total = sum(cpu for *_, cpu, _ in rows)
    print(f"   {'layer':<42}{'wall ms':>9}{'CPU ms':>8}{'share':>8}{'GFLOP/s':>9}{'of GEMM':>9}")
    for index, name, wall, cpu, flops in rows:
        rate = f"{flops / cpu / 1e9:9.2f}{flops / cpu / 1e9 / per_cpu:9.1%}" if flops else ""
        print(f"   {index}: {name:<39}{wall * 1e3:9.3f}{cpu * 1e3:8.3f}{cpu / total:8.1%}{rate}")
    batches = math.ceil(len(x) / BATCH)
    print(f"   sum {total * 1e3:.2f} CPU ms per batch, x {batches} batches = "
          f"{total * batches:.3f} s per epoch without the training loop's own work\n")

    if torch_twin.available():
        report_torch(x, y)
    else:
        print("6. PyTorch: not importable, comparison skipped (see benchmarks/torch_twin.py)")
    print(f"\nafter: {load_average()}; benchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--peak-memory"]:
        train_alone(sys.argv[2])
    else:
        main()
