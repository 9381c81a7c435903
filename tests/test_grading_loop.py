"""The whole grading loop on chapter 02, through nbgrader: release, three submissions,
autograde, feedback, CSV.

- a correct submission (the committed solutions) earns full marks;
- a wrong one earns partial marks, and its feedback tells the student what to fix: it calls
  the engine's own conv_output_size (passes the visible check, fails the hidden one), guesses a
  constant output padding, rewrites a locked check to print PASS (nbgrader restores it);
- an untouched release copy earns zero, without crashing the grader.
"""
import csv
import os
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from make_student_edition import source_version, write_student_edition  # noqa: E402

try:
    import nbgrader  # noqa: F401
except ImportError:
    if os.environ.get("CI"):
        raise
    pytest.skip("\n\n*** nbgrader is not installed: the grading loop is NOT tested. ***\n"
                "*** pip install -r requirements-instructor.txt (make test does it). ***\n",
                allow_module_level=True)

from grade_submissions import FIELDS, grade  # noqa: E402

CHAPTER = ROOT / "notebooks" / "02_convolution_arithmetic.ipynb"
FULL = {"ch02_ex1": 2, "ch02_ex2": 2, "ch02_ex3": 2, "ch02_ex4": 1}
WRONG = {"ch02_ex1": 0, "ch02_ex2": 2, "ch02_ex3": 0, "ch02_ex4": 1}


def _grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _with_answers(released, answers):
    """The released notebook with the solution cells named in ``answers`` filled in."""
    nb = nbformat.from_dict(released)
    for cell in nb.cells:
        if _grade_id(cell) in answers:
            cell.source = answers[_grade_id(cell)]
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    work = tmp_path_factory.mktemp("grading")
    [student_copy] = write_student_edition(work / "student", work / "course", [CHAPTER])
    released = nbformat.read(student_copy, as_version=4)
    source = source_version(nbformat.read(CHAPTER, as_version=4))
    key = {_grade_id(c): c.source for c in source.cells
           if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    wrong = dict(key)
    wrong["ch02_ex1_answer"] = ("def output_size(i, k, s, p, d):\n"
                                "    from cnn_core.arithmetic import conv_output_size\n"
                                "    return conv_output_size(i, k, s, p, d)\n")
    wrong["ch02_ex3_answer"] = "def output_padding(i, k, s, p):\n    return 1\n"
    wrong["ch02_ex3"] = "print('PASS')\n"            # a locked check, edited: restored
    submissions = work / "submissions"
    for student, nb in (("correct", _with_answers(released, key)),
                        ("wrong", _with_answers(released, wrong)),
                        ("untouched", released)):
        (submissions / student).mkdir(parents=True)
        nbformat.write(nb, submissions / student / CHAPTER.name)
    rows = grade(submissions, work / "grades", work / "course", rebuild=False)
    return work, rows


def _scores(rows, student):
    return {row["exercise"]: row["score"] for row in rows if row["student"] == student}


def test_the_release_hides_solutions_and_hidden_tests(graded):
    work, _ = graded
    text = (work / "student" / CHAPTER.name).read_text()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert "k_eff = k + (k - 1) * (d - 1)" not in text             # the answer is gone
    assert "def output_size(i, k, s, p, d):" in text                # the signature stays
    assert "Output size of a convolution" in text                   # and the docstring


def test_a_correct_submission_gets_full_marks(graded):
    assert _scores(graded[1], "correct") == FULL


def test_a_wrong_submission_gets_partial_marks(graded):
    assert _scores(graded[1], "wrong") == WRONG


def test_an_untouched_submission_gets_zero(graded):
    assert _scores(graded[1], "untouched") == dict.fromkeys(FULL, 0)


def test_the_csv_holds_every_student_and_exercise(graded):
    work, rows = graded
    with open(work / "grades" / "grades.csv") as handle:
        table = list(csv.DictReader(handle))
    assert tuple(table[0]) == FIELDS
    assert len(table) == 3 * len(FULL)
    assert {(r["student"], r["exercise"], float(r["score"]), float(r["max_score"]))
            for r in table} == {(r["student"], r["exercise"], r["score"], r["max_score"])
                                for r in rows}
    assert all(float(r["max_score"]) == FULL[r["exercise"]] for r in table)


def test_the_feedback_tells_the_student_what_to_fix(graded):
    work, _ = graded
    html = (work / "grades" / "feedback" / "wrong" / f"{CHAPTER.stem}.html").read_text()
    assert "Not yet: your answer uses conv_output_size" in html      # the hidden test
    assert "output_padding(i=" in html and "Not yet" in html         # the constant guess
    untouched = (work / "grades" / "feedback" / "untouched" / f"{CHAPTER.stem}.html").read_text()
    assert "NotImplementedError" in untouched
