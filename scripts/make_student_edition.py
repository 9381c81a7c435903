"""Write the student edition of the course with nbgrader: solutions cut to stubs, checks graded.

The committed notebooks are the one source.  In each exercise a collapsed solution cell marks
the answer with ``### BEGIN SOLUTION`` / ``### END SOLUTION`` (signature and docstring stay
outside), and the check after it is an nbgrader test cell with points, some with
``### BEGIN HIDDEN TESTS`` that only the grader runs.  This script

1. writes each notebook into an nbgrader course folder as the source of one assignment
   (``ch02`` for ``02_convolution_arithmetic.ipynb``), dropping the try-first exercise cells
   (in the release the solution cell, stubbed, is where the student writes);
2. runs ``nbgrader generate_assignment`` (file-based: a local sqlite gradebook, no hub, no
   server), which cuts the solution regions, removes hidden tests and outputs, locks the checks;
3. copies the released notebooks to ``--out``.

Usage (the instructor requirements, ``requirements-instructor.txt``, hold nbgrader):

    python scripts/make_student_edition.py [--out build/student] [--chapters 02 06]
"""
import argparse
import os
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTION_NOTE = "# Solution: open it when stuck."     # first line of every solution cell
STUB = ("# YOUR CODE HERE: replace this line with your answer, then run the check below\n"
        "raise NotImplementedError(\"your answer goes here\")")


def assignment_id(notebook):
    """nbgrader assignment of a chapter notebook: ``ch02`` for ``02_convolution_...ipynb``."""
    return "ch" + Path(notebook).name[:2]


def chapter_notebooks(chapters=None, notebooks_dir=NOTEBOOKS):
    """The course notebooks, or those whose two-digit prefix is in ``chapters``."""
    paths = sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))
    return [p for p in paths if chapters is None or p.name[:2] in chapters]


def is_tagged(cell, tag):
    return tag in cell.get("metadata", {}).get("tags", [])


def source_version(nb):
    """The notebook as nbgrader's source: no exercise cells; solution cells shown, without
    the "open it when stuck" note (the release stub is where the student writes)."""
    nb = nbformat.from_dict(nb)
    nb.cells = [cell for cell in nb.cells if not is_tagged(cell, "exercise")]
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
            if not cell.metadata.get("jupyter", True):
                del cell.metadata["jupyter"]
            lines = cell.source.split("\n")
            if lines[0].startswith(SOLUTION_NOTE):
                cell.source = "\n".join(lines[1:])
    return nb


def nbgrader_api(course_dir):
    """An NbGraderAPI on ``course_dir`` (its gradebook is ``course_dir/gradebook.db``)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    # nbgrader creates the gradebook by running `alembic`, found on PATH: use this venv's.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    config = Config()
    config.CourseDirectory.root = str(Path(course_dir).resolve())
    config.ClearSolutions.code_stub = {"python": STUB}
    config.Execute.timeout = 300                 # per cell; chapter 08 trains for ~30 s
    return NbGraderAPI(config=config)


def _ok(result, what):
    if not result.get("success"):
        raise RuntimeError(f"nbgrader {what} failed:\n{result.get('error') or ''}\n"
                           f"{result.get('log') or ''}")
    return result


def make_course(course_dir, notebooks):
    """Write ``notebooks`` as assignment sources into ``course_dir`` and generate the
    release of each; returns the API (its gradebook now knows every test cell)."""
    course_dir = Path(course_dir)
    if course_dir.exists():
        shutil.rmtree(course_dir)
    api = nbgrader_api(course_dir)
    for path in notebooks:
        source = course_dir / "source" / assignment_id(path) / path.name
        source.parent.mkdir(parents=True)
        nbformat.write(source_version(nbformat.read(path, as_version=4)), source)
        _ok(api.generate_assignment(assignment_id(path)), f"generate_assignment {path.name}")
    return api


def write_student_edition(out_dir, course_dir, notebooks):
    """Release ``notebooks`` through nbgrader into ``out_dir``; returns the written paths."""
    make_course(course_dir, notebooks)
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    written = []
    for path in notebooks:
        released = Path(course_dir) / "release" / assignment_id(path) / path.name
        shutil.copy(released, out_dir / path.name)
        written.append(out_dir / path.name)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "student"),
                        help="folder for the student notebooks (default: build/student)")
    parser.add_argument("--course-dir", default=str(ROOT / "build" / "nbgrader"),
                        help="nbgrader course folder, rewritten each run (default: build/nbgrader)")
    parser.add_argument("--chapters", nargs="*", help="two-digit chapter numbers (default: all)")
    args = parser.parse_args()
    for path in write_student_edition(args.out, args.course_dir, chapter_notebooks(args.chapters)):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
