"""Start a real JupyterLab on a free loopback port, on a temporary copy of the notebooks, and
open it in a headless Chromium through Playwright (never a browser that Playwright downloads).

Which Chromium: the setting CNN_CORE_CHROMIUM (a path or a command name), else the first of
chromium, chromium-browser, google-chrome, google-chrome-stable found on PATH (Debian's
`apt-get install chromium` gives /usr/bin/chromium). With none, the browser tests are skipped
with one line saying how to enable them, except under CI=true, where they fail.
"""
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_SETTING = "CNN_CORE_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_server(url, process, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer at {url} within {timeout} s")


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory):
    """Yield (base_url, token) of a JupyterLab serving a temporary copy of notebooks/."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(os.environ.get("COURSE_NOTEBOOKS", ROOT / "notebooks"), root / "notebooks")
    port, token = _free_port(), secrets.token_hex(16)
    log = open(root / "jupyterlab.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root / 'notebooks'}",
         "--LabApp.news_url="] + (["--allow-root"] if os.geteuid() == 0 else []),
        stdout=log, stderr=subprocess.STDOUT, cwd=root,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(root / "jupyter-config")})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(f"{base}/api/status?token={token}", process)
        yield base, token
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def find_chromium(environ=os.environ):
    """The Chromium to drive: CNN_CORE_CHROMIUM (path or command name), else one on PATH.

    Returns a path, or None when there is none. A setting that names no executable is an
    error, not a skip: the user asked for that browser.
    """
    setting = environ.get(CHROMIUM_SETTING, "").strip()
    if setting:
        found = shutil.which(setting)
        if found is None:
            pytest.fail(f"{CHROMIUM_SETTING}={setting!r} is not an executable Chromium: give "
                        "its full path or a command on PATH")
        return found
    return next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)


NO_CHROMIUM = (f"no Chromium found ({', '.join(CHROMIUM_NAMES)} on PATH, or {CHROMIUM_SETTING}): "
               "install one (`make test` does it as root with apt-get) or set "
               f"{CHROMIUM_SETTING}=/path/to/chromium")


def _under_ci():
    return os.environ.get("CI", "").lower() == "true"


def pytest_report_header(config):
    """The one loud line when the browser tests are going to be skipped."""
    if not _under_ci() and not os.environ.get(CHROMIUM_SETTING) and find_chromium() is None:
        return f"*** BROWSER TESTS SKIPPED: {NO_CHROMIUM} ***"
    return None


@pytest.fixture(scope="session")
def browser():
    """Chromium driven by Playwright: skipped when missing, except under CI=true."""
    chromium_path = find_chromium()
    if chromium_path is None:
        if _under_ci():
            pytest.fail(f"CI=true requires the browser test: {NO_CHROMIUM}")
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
