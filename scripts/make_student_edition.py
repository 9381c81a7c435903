"""Write the student edition of the course: exercise solutions replaced by stubs.

Every code cell tagged ``solution`` becomes a stub that raises NotImplementedError with a hint;
the check cells that follow stay, so a student gets PASS once their own code is in place.
All outputs are cleared.  Usage:

    python scripts/make_student_edition.py [--out build/student]
"""
import argparse
import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
STUB = (
    "# Exercise {number}: your code goes here (see the task above), then run the check below.\n"
    "raise NotImplementedError(\"Exercise {number}: replace this line with your solution\")\n"
)


def is_solution(cell):
    """True for a code cell tagged ``solution``."""
    return cell.cell_type == "code" and "solution" in cell.get("metadata", {}).get("tags", [])


def student_version(nb):
    """Return a copy of notebook ``nb`` with solutions stubbed and outputs cleared."""
    nb = nbformat.from_dict(nb)
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if is_solution(cell):
            number += 1
            cell.source = STUB.format(number=number)
        cell.outputs = []
        cell.execution_count = None
    return nb


def write_student_edition(out_dir, notebooks_dir=ROOT / "notebooks"):
    """Write a student copy of every notebook into ``out_dir``; returns the written paths."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    written = []
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        nb = student_version(nbformat.read(path, as_version=4))
        nbformat.validate(nb)
        target = out_dir / path.name
        nbformat.write(nb, target)
        written.append(target)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "student"),
                        help="folder to write the student notebooks to (default: build/student)")
    args = parser.parse_args()
    for path in write_student_edition(args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
