"""How long after the end of a stroke does the drawing pad show its answer?  In the browser.

    python benchmarks/draw_latency.py [--repeats 10]

Runs ``tests/browser/test_draw.py::test_stroke_latency`` (a real JupyterLab, Debian's
Chromium, the chapter-10 pad): a "1" is drawn with the mouse, then at once a base under it
(while the figures of the first stroke are still being drawn), then Clear, ``--repeats``
times, the mouse reporting at 60 Hz like a real one.  For each stroke the page records
``performance.now()`` at the mouseup on the canvas, when the answer line changes (kernel
round trip: preprocessing, the network's forward and backward pass, the answer sent back) and
when the status line says the figures below it (steps, saliency, feature maps, traced unit)
are up to date.  Prints every time and the medians.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "latency.json"
        env = {**os.environ, "DRAW_LATENCY_OUT": str(out),
               "DRAW_LATENCY_REPEATS": str(args.repeats),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                           os.environ.get("PYTHONPATH")]))}
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-s",
                        "tests/browser/test_draw.py::test_stroke_latency"],
                       cwd=ROOT, env=env, check=True)
        results = json.loads(out.read_text())
    for what, times in results.items():
        print(f"stroke end -> {'figures' if what == 'figures' else 'answer'} ({what}), "
              f"{len(times)} strokes (ms): " + " ".join(f"{t:.0f}" for t in times))
        print(f"  median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, "
              f"max {max(times):.0f} ms")
    print("target for the answer: 150 ms")

if __name__ == "__main__":
    main()
