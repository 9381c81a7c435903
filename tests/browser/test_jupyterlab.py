"""The course as a student uses it: real JupyterLab, real Chromium, real widgets.

Opens a notebook, runs all cells, moves sliders and checks that the widget's own output text
(computed by the kernel) changes accordingly.  Screenshots land in build/screenshots/.
"""
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser


def open_notebook(page, jupyterlab, name):
    """Open ``name`` in JupyterLab with the file browser collapsed, once its kernel is idle."""
    base, token = jupyterlab
    page.goto(f"{base}/lab/tree/{name}?token={token}&reset")
    page.locator(".jp-Notebook").first.wait_for()
    accept_kernel_dialog(page)
    wait_for_idle_kernel(page)
    current_tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if current_tab.count():
        current_tab.first.click()       # collapse the file browser: more room for the notebook
    dismiss_news_prompt(page)


def accept_kernel_dialog(page):
    """On a busy machine JupyterLab may ask which kernel to start: accept its default choice."""
    dialog = page.locator(".jp-Dialog .jp-mod-accept")
    try:
        dialog.first.wait_for(timeout=8_000)
    except PlaywrightTimeout:
        return
    dialog.first.click()


def menu(page, top, item):
    """Click menu ``top`` (e.g. "Run"), then its entry ``item``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$")).click()


def dismiss_news_prompt(page):
    """JupyterLab asks once whether to fetch news; answer No so it stays out of screenshots."""
    no = page.locator(".jp-Notification-Toast-Close, .Toastify__toast button", has_text="No")
    if no.count():
        no.first.click()


def wait_for_idle_kernel(page, timeout=120_000):
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=timeout)


ALL_CELLS_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""
NO_CELL_RAN = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .every(p => !/\\d/.test(p.textContent))"""
ANY_CELL_STARTED = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""


def run_all_cells(page, timeout=240_000):
    """Clear the committed outputs, then Run > Run All Cells (retried while the freshly opened
    app is still wiring its kernel), then wait until every code cell shows an execution number."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(NO_CELL_RAN, timeout=30_000)
    for _ in range(5):
        menu(page, "Run", "Run All Cells")
        try:
            page.wait_for_function(ANY_CELL_STARTED, timeout=15_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    page.wait_for_function(ALL_CELLS_RAN, timeout=timeout)
    wait_for_idle_kernel(page, timeout=timeout)


def slider(page, label):
    """The first slider whose description is exactly ``label``."""
    return page.locator(".widget-slider", has=page.locator(".widget-label",
                                                           has_text=re.compile(f"^{label}$"))).first


def set_slider(page, label, value):
    """Type ``value`` into a slider's editable readout and press Enter, as a student can."""
    readout = slider(page, label).locator(".widget-readout")
    readout.scroll_into_view_if_needed()
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")


def widget_area(page, css):
    """The cell output that holds the widget with CSS class ``css``."""
    return page.locator(".jp-OutputArea-output", has=page.locator(css)).first


def wait_for_text_change(locator, old, timeout=30_000):
    locator.page.wait_for_function(
        "([el, old]) => el.textContent.trim() !== old", arg=[locator.element_handle(), old],
        timeout=timeout)
    return locator.text_content().strip()


def test_convolution_explorer_responds_to_sliders(page, jupyterlab, screenshot_dir):
    open_notebook(page, jupyterlab, "02_convolution_arithmetic.ipynb")
    run_all_cells(page)
    output = page.locator(".conv-explorer-output").first
    output.scroll_into_view_if_needed()
    before = output.text_content().strip()
    page.screenshot(path=screenshot_dir / "conv_explorer_before.png")

    set_slider(page, "stride", 2)
    after_stride = wait_for_text_change(output, before)
    set_slider(page, "padding", 0)
    after_padding = wait_for_text_change(output, after_stride)
    output.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)      # let the browser paint the new figure
    widget_area(page, ".conv-explorer-output").screenshot(path=screenshot_dir / "conv_explorer.png")
    page.screenshot(path=screenshot_dir / "conv_explorer_after.png")

    assert before != after_stride != after_padding
    assert "output size" in after_padding


def test_learning_rate_explorer_shows_divergence(page, jupyterlab, screenshot_dir):
    open_notebook(page, jupyterlab, "07_backpropagation.ipynb")
    run_all_cells(page)
    output = page.locator(".lr-explorer-output").first
    output.scroll_into_view_if_needed()
    before = output.text_content().strip()

    set_slider(page, "learning rate", 0.001)
    small = wait_for_text_change(output, before, timeout=60_000)
    set_slider(page, "learning rate", 50)
    large = wait_for_text_change(output, small, timeout=60_000)
    output.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)      # let the browser paint the new figure
    widget_area(page, ".lr-explorer-output").screenshot(path=screenshot_dir / "lr_explorer.png")

    assert "learning rate" in large.lower()
    assert small != large
