"""The student edition: solutions become stubs, checks stay, and the checks really check."""
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from make_student_edition import is_solution, student_version, write_student_edition  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# A quick chapter whose exercises are executed for real in a kernel below.
EXECUTED = ROOT / "notebooks" / "06_fully_connected_softmax_and_losses.ipynb"


def test_there_are_notebooks_with_solutions():
    solutions = [nb for nb in NOTEBOOKS
                 if any(is_solution(c) for c in nbformat.read(nb, as_version=4).cells)]
    assert len(solutions) == len(NOTEBOOKS), "every chapter should have tagged solution cells"


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    write_student_edition(out)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_is_valid_and_stubbed(path, student_dir):
    original = nbformat.read(path, as_version=4)
    student = nbformat.read(student_dir / path.name, as_version=4)
    nbformat.validate(student)
    assert len(student.cells) == len(original.cells)
    for before, after in zip(original.cells, student.cells):
        if is_solution(before):
            assert "raise NotImplementedError" in after.source
            assert after.source != before.source
        else:
            assert after.source == before.source
        if after.cell_type == "code":
            assert after.outputs == [] and after.execution_count is None


def _run(kernel, source):
    """Execute ``source`` in the kernel; return its stdout and any error as text."""
    texts = []

    def collect(msg):
        content = msg["content"]
        if msg["msg_type"] == "stream":
            texts.append(content["text"])
        elif msg["msg_type"] == "error":
            texts.append(f"{content['ename']}: {content['evalue']}")

    kernel.execute_interactive(source, output_hook=collect, timeout=300)
    return "".join(texts)


def _exercise_blocks(nb):
    """(index of solution cell, index of the check cell after it) for each exercise."""
    blocks = []
    for i, cell in enumerate(nb.cells):
        if is_solution(cell):
            check = next(j for j in range(i + 1, len(nb.cells))
                         if nb.cells[j].cell_type == "code" and "check" in nb.cells[j].source)
            blocks.append((i, check))
    return blocks


@pytest.mark.skipif(not EXECUTED.exists(), reason="chapter 06 not present")
def test_checks_fail_on_stub_and_pass_with_solution():
    original = nbformat.read(EXECUTED, as_version=4)
    student = student_version(original)
    blocks = _exercise_blocks(original)
    assert len(blocks) >= 3
    manager, kernel = start_new_kernel(kernel_name="python3", cwd=str(EXECUTED.parent))
    try:
        first_solution = blocks[0][0]
        for cell in original.cells[:first_solution]:
            if cell.cell_type == "code":
                _run(kernel, cell.source)
        for solution, check in blocks:
            for j in range(solution + 1, check):      # cells between (rare) run as they are
                if original.cells[j].cell_type == "code":
                    _run(kernel, original.cells[j].source)
            stub_out = _run(kernel, student.cells[solution].source)
            assert "NotImplementedError" in stub_out
            check_out = _run(kernel, original.cells[check].source)
            assert "PASS" not in check_out, "a check passed although the solution was a stub"
            _run(kernel, original.cells[solution].source)
            assert "PASS" in _run(kernel, original.cells[check].source)
    finally:
        kernel.stop_channels()
        manager.shutdown_kernel(now=True)
