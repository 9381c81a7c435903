"""The committed notebooks as the one source of the course's exercises: try first (an exercise
cell with the signature, then the collapsed solution, then a graded check), marked for nbgrader,
and the checks really check (run in a kernel on chapter 06)."""
import ast
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from make_student_edition import SOLUTION_NOTE, chapter_notebooks, source_version  # noqa: E402

NOTEBOOKS = chapter_notebooks()
EXECUTED = ROOT / "notebooks" / "06_fully_connected_softmax_and_losses.ipynb"


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _exercises(nb):
    """(exercise cell, solution cell, check cell) indices, in order."""
    found = []
    for i, cell in enumerate(nb.cells):
        if _nbgrader(cell).get("solution"):
            exercise = max(j for j in range(i) if "exercise" in _tags(nb.cells[j]))
            check = min(j for j in range(i + 1, len(nb.cells))
                        if _nbgrader(nb.cells[j]).get("grade"))
            found.append((exercise, i, check))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_is_try_first_and_graded(path):
    nb = nbformat.read(path, as_version=4)
    exercises = _exercises(nb)
    assert len(exercises) >= 3
    previous_check = -1
    for exercise, solution, check in exercises:
        assert previous_check < exercise < solution < check      # try, solution, check
        sol, chk = nb.cells[solution], nb.cells[check]
        assert sol.metadata["jupyter"]["source_hidden"] is True   # collapsed by default
        assert sol.source.startswith(SOLUTION_NOTE)
        assert sol.source.count("### BEGIN SOLUTION") == sol.source.count("### END SOLUTION") == 1
        assert "solution" in _tags(sol)
        assert _nbgrader(chk)["points"] > 0 and _nbgrader(chk)["locked"] is True
        assert "### BEGIN SOLUTION" not in nb.cells[exercise].source
        assert not nb.cells[exercise].outputs
        previous_check = check
    grade_ids = [_nbgrader(c)["grade_id"] for c in nb.cells if _nbgrader(c)]
    assert len(grade_ids) == len(set(grade_ids)) == 2 * len(exercises)


def _signature_and_docstring(source):
    """(def line, docstring) of every function defined at the top of ``source``."""
    tree = ast.parse(source)
    lines = source.split("\n")
    return [(lines[node.lineno - 1], ast.get_docstring(node))
            for node in tree.body if isinstance(node, ast.FunctionDef)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_exercise_cell_offers_what_the_solution_fills_in(path):
    """Same signature and docstring in the student's cell and in the solution."""
    nb = nbformat.read(path, as_version=4)
    for exercise, solution, _ in _exercises(nb):
        offered = _signature_and_docstring(nb.cells[exercise].source)
        solved = _signature_and_docstring(nb.cells[solution].source)
        assert offered == solved
        assert all(doc for _, doc in solved)


def test_the_nbgrader_source_has_no_exercise_cells_and_shows_the_solutions():
    nb = nbformat.read(EXECUTED, as_version=4)
    source = source_version(nb)
    assert len(source.cells) == len(nb.cells) - len(_exercises(nb))
    for cell in source.cells:
        assert "exercise" not in _tags(cell)
        if _nbgrader(cell).get("solution"):
            assert "source_hidden" not in cell.metadata.get("jupyter", {})
            assert not cell.source.startswith(SOLUTION_NOTE)
            assert cell.source.split("\n")[0] != ""


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


def test_checks_say_not_yet_on_the_exercise_cell_and_pass_with_the_solution():
    """What a self-learner meets: run the exercise cell as it is, then the check: "Not yet"
    and a hint, never PASS and never a TypeError; the solution then passes."""
    nb = nbformat.read(EXECUTED, as_version=4)
    exercises = _exercises(nb)
    manager, kernel = start_new_kernel(kernel_name="python3", cwd=str(EXECUTED.parent))
    try:
        done = 0
        for exercise, solution, check in exercises:
            for cell in nb.cells[done:exercise]:
                if cell.cell_type == "code":
                    _run(kernel, cell.source)
            _run(kernel, nb.cells[exercise].source)
            untouched = _run(kernel, nb.cells[check].source)
            assert "AssertionError: Not yet" in untouched and "PASS" not in untouched
            assert "TypeError" not in untouched
            _run(kernel, nb.cells[solution].source)
            assert _run(kernel, nb.cells[check].source).count("PASS") >= 1
            done = check + 1
    finally:
        kernel.stop_channels()
        manager.shutdown_kernel(now=True)
