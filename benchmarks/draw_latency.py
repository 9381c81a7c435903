"""How long after the end of a stroke does the drawing pad show its answer?  In the browser.

    python benchmarks/draw_latency.py [--repeats 10]

Runs ``tests/browser/test_draw.py::test_stroke_latency`` (a real JupyterLab, Debian's
Chromium, the chapter-10 pad): a "1" is drawn with the mouse ``--repeats`` times, Clear in
between.  For each stroke the page records ``performance.now()`` at the mouseup on the canvas
and again when the answer line changes (kernel round trip: the stroke's events, preprocessing,
the network's forward and backward pass, the answer sent back and drawn).  Prints every time
and the median.  The figures below the answer (feature maps, saliency) arrive later and are
not part of this number.
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
        times = json.loads(out.read_text())
    print(f"stroke end -> answer in the browser, {len(times)} strokes (ms): "
          + " ".join(f"{t:.0f}" for t in times))
    print(f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, "
          f"max {max(times):.0f} ms   (target: 150 ms)")


if __name__ == "__main__":
    main()
