"""Slider-to-picture latency of the course's explorers in a real JupyterLab (a benchmark, not a
test: it prints numbers and asserts nothing).

Starts JupyterLab on a free loopback port with a generated notebook that displays each
explorer, opens it in Debian's headless Chromium through Playwright, runs it, then moves every
slider back and forth between slider positions by typing a value into its read-out and pressing
Enter, as a student can.  For each move it measures, inside the page, the time from the Enter key
to the moment the explorer's picture changes (its ``<img>`` gets new pixels).  It prints per control
the median and the largest latency, and the same over all moves.

    OPENBLAS_NUM_THREADS=1 python benchmarks/slider_latency.py [--moves 6] [--settle 30] [--cold]

The kernel imports cnn_core from this checkout; set COURSE_ROOT to another checkout to measure
that one instead (e.g. the main branch, for a before/after comparison).

Needs a Chromium (``make browser-deps``), found as the browser tests find it.  Times include
the kernel's computing and drawing, the websocket round trip and the browser decoding the PNG;
they grow with the machine's load, which is printed before and after.
"""
import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    _free_port,
    _wait_for_server,
    find_chromium,
)
from tests.browser.test_jupyterlab import open_notebook, run_all_cells  # noqa: E402

# (explorer, CSS class of a widget inside it, code that builds and displays it,
#  {control: slider positions typed in turn, starting away from the initial value})
EXPLORERS = [
    ("convolution", "conv-explorer-output",
     ("from cnn_core.course.convolution.explorer_widget import build_conv_explorer\n"
      "display(build_conv_explorer(input_size=5, kernel_size=3))"),
     {"stride": (2, 1), "padding": (1, 0), "dilation": (2, 1)}),
    ("pooling", "pooling-explorer-box",
     ("import numpy as np\n"
      "from cnn_core.course.pooling.explorer_widget import build_pooling_explorer\n"
      "box = build_pooling_explorer(np.arange(64.0).reshape(8, 8) % 7)\n"
      "box.add_class('pooling-explorer-box')\ndisplay(box)"),
     {"window size": (3, 2), "stride": (1, 2)}),
    ("receptive field", "rf-explorer-box",
     ("from cnn_core.course.receptive.explorer_widget import build_rf_explorer\n"
      "box = build_rf_explorer(network='VGG-16', layer='pool3')\n"
      "box.add_class('rf-explorer-box')\ndisplay(box)"),
     {"row": (3, 2), "column": (3, 2)}),
    ("learning rate", "lr-explorer-output",
     ("from cnn_core.course.backprop.lr_widget import build_lr_explorer, training_subset\n"
      "display(build_lr_explorer(*training_subset(256)))"),
     {"learning rate": (0.01, 0.001, 1, 0.1)}),
]
# --cold: slider positions that, moved in this order from the initial settings, show a setting
# never shown before on every move (the explorers keep the pictures of recent settings, so the
# back-and-forth moves above mostly measure pictures already drawn).
COLD = {("convolution", "stride"): (2, 3), ("convolution", "padding"): (1, 2, 3),
        ("convolution", "dilation"): (2, 3),
        ("pooling", "window size"): (3, 4, 5, 1), ("pooling", "stride"): (1, 3, 4, 5),
        ("receptive field", "row"): (1, 2, 3, 4, 5, 6),
        ("receptive field", "column"): (1, 2, 3, 4, 5, 6)}

# Stores in window.__latency a promise of the milliseconds from the next Enter key to the first
# change of an <img> inside the output area that holds ``css`` (a new image, or new pixels in
# the same element).  Returns nothing, so that Playwright does not wait for the promise.
MEASURE = """([css, timeout]) => { window.__latency = new Promise(resolve => {
    const area = [...document.querySelectorAll('.jp-OutputArea-output')]
        .find(el => el.querySelector('.' + css));
    const sources = () => [...area.querySelectorAll('img')].map(img => img.src).join('|');
    const before = sources();
    let start = null;
    const onKey = event => {
        if (event.key === 'Enter' && start === null) start = performance.now(); };
    document.addEventListener('keydown', onKey, true);
    const done = value => { observer.disconnect();
        document.removeEventListener('keydown', onKey, true); resolve(value); };
    const observer = new MutationObserver(() => {
        if (start !== null && sources() !== before) done(performance.now() - start);
    });
    observer.observe(area, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ['src']});
    setTimeout(() => done(null), timeout);
}); }"""


def write_notebook(folder):
    """The generated notebook: one cell per explorer."""
    import nbformat
    cells = [nbformat.v4.new_code_cell(code) for _, _, code, _ in EXPLORERS]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / "slider_latency.ipynb")


def start_jupyterlab(folder):
    port, token = _free_port(), secrets.token_hex(16)
    log = open(folder / "jupyterlab.log", "w")      # noqa: SIM115 (open while the server runs)
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
         "--LabApp.news_url="] + (["--allow-root"] if os.geteuid() == 0 else []),
        stdout=log, stderr=subprocess.STDOUT, cwd=folder,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(folder / "jupyter-config"),
             "PYTHONPATH": os.environ.get("COURSE_ROOT", str(ROOT))})
    base = f"http://127.0.0.1:{port}"
    _wait_for_server(f"{base}/api/status?token={token}", process)
    return process, (base, token)


def readout_of(page, css, label):
    """The editable read-out of slider ``label`` in the explorer holding ``css``."""
    area = page.locator(".jp-OutputArea-output", has=page.locator("." + css)).first
    slider = area.locator(".widget-slider", has=page.locator(".widget-label", has_text=label))
    return slider.first.locator(".widget-readout").first


def measure_control(page, css, label, values, moves, timeout_ms=20_000):
    """Latencies (ms, None for no picture within the timeout) of ``moves`` moves of slider
    ``label`` through ``values`` in turn."""
    readout = readout_of(page, css, label)
    readout.scroll_into_view_if_needed()
    latencies = []
    for move in range(moves):
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(str(values[move % len(values)]))
        page.evaluate(MEASURE, [css, timeout_ms])
        page.keyboard.press("Enter")
        latencies.append(page.evaluate("() => window.__latency"))
        page.wait_for_timeout(300)              # let the text read-out follow the picture
    return latencies


def describe(values):
    got = [v for v in values if v is not None]
    if not got:
        return "no picture"
    missing = len(values) - len(got)
    return (f"median {statistics.median(got):7.0f} ms   max {max(got):7.0f} ms   n={len(got)}"
            + (f"   {missing} moves gave no picture" if missing else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=6, help="moves per control (default 6)")
    parser.add_argument("--cold", action="store_true",
                        help="move every slider only to settings not shown before (COLD)")
    parser.add_argument("--settle", type=float, default=30,
                        help="seconds to wait after running the notebook, so the learning-rate "
                             "explorer's background thread can draw ahead (default 30)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    print("load average {:.2f} {:.2f} {:.2f} (before)".format(*os.getloadavg()))
    folder = Path(tempfile.mkdtemp(prefix="slider-latency-"))
    write_notebook(folder)
    process, server = start_jupyterlab(folder)
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), headless=True,
                                                 args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(120_000)
            open_notebook(page, server, "slider_latency.ipynb")
            run_all_cells(page)
            page.wait_for_timeout(1000 * args.settle)
            for name, css, _, controls in EXPLORERS:
                for label, values in controls.items():
                    values = COLD.get((name, label), values) if args.cold else values
                    moves = len(values) if args.cold else args.moves
                    results[(name, label)] = measure_control(page, css, label, values, moves)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    every = []
    print(f"slider move -> new picture, "
          f"{'settings never shown before' if args.cold else f'{args.moves} moves per control'}"
          f", headless Chromium, "
          f"JupyterLab on loopback, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    for (name, label), values in results.items():
        print(f"  {name + ' / ' + label:<34}{describe(values)}")
        every += values
    print(f"  {'all controls':<34}{describe(every)}")
    print("load average {:.2f} {:.2f} {:.2f} (after)".format(*os.getloadavg()))
    print(json.dumps({f"{n}/{lbl}": v for (n, lbl), v in results.items()}))


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"took {time.perf_counter() - started:.0f} s")
