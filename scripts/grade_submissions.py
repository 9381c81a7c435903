"""Autograde a folder of submitted notebooks with nbgrader, offline, into a CSV of scores.

Layout of the submissions folder: one sub-folder per student, holding that student's
notebooks under their course names (any chapters, any nesting):

    submissions/ada/02_convolution_arithmetic.ipynb
    submissions/ben/02_convolution_arithmetic.ipynb

The gradebook is rebuilt from the committed notebooks on every run (see
make_student_edition.py), so the hidden tests and points are always the current ones, and
nbgrader restores every test cell from it before running a submission: editing a check in the
student's copy changes nothing.  Writes ``grades.csv`` (one row per student and exercise) and
``feedback/<student>/<notebook>.html`` (the graded notebook the student reads) into ``--out``.

    python scripts/grade_submissions.py SUBMISSIONS [--out build/grades]
"""
import argparse
import csv
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_student_edition import (  # noqa: E402
    ROOT,
    _ok,
    assignment_id,
    chapter_notebooks,
    make_course,
    nbgrader_api,
)

FIELDS = ("student", "assignment", "notebook", "exercise", "score", "max_score")


def find_submissions(submissions_dir, course_notebooks):
    """{(student, notebook path in the course): submitted file} for every notebook in a
    student's folder whose name is a course notebook's name."""
    by_name = {path.name: path for path in course_notebooks}
    found = {}
    for student_dir in sorted(p for p in Path(submissions_dir).iterdir() if p.is_dir()):
        for submitted in sorted(student_dir.rglob("*.ipynb")):
            if submitted.name in by_name and ".ipynb_checkpoints" not in submitted.parts:
                found[(student_dir.name, by_name[submitted.name])] = submitted
    return found


def grade(submissions_dir, out_dir, course_dir, rebuild=True):
    """Autograde every submission; returns the rows written to ``out_dir/grades.csv``.

    ``rebuild=False`` reuses the gradebook that make_student_edition.py left in
    ``course_dir`` (same notebooks), instead of generating the assignments again."""
    submissions = find_submissions(submissions_dir, chapter_notebooks())
    if not submissions:
        raise SystemExit(f"no course notebooks found under {submissions_dir}/<student>/")
    notebooks = sorted({path for _, path in submissions})
    api = make_course(course_dir, notebooks) if rebuild else nbgrader_api(course_dir)
    for (student, path), submitted in submissions.items():
        target = Path(course_dir) / "submitted" / student / assignment_id(path) / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(submitted, target)
    out_dir = Path(out_dir)
    rows = []
    for (student, path) in sorted(submissions):
        _ok(api.autograde(assignment_id(path), student), f"autograde {student}/{path.name}")
    for path in notebooks:
        _ok(api.generate_feedback(assignment_id(path)), f"feedback {path.name}")
    for (student, path) in sorted(submissions):
        feedback = (Path(course_dir) / "feedback" / student / assignment_id(path)
                    / f"{path.stem}.html")
        (out_dir / "feedback" / student).mkdir(parents=True, exist_ok=True)
        shutil.copy(feedback, out_dir / "feedback" / student / feedback.name)
        rows += _scores(api, student, assignment_id(path), path.stem)
    with open(out_dir / "grades.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _scores(api, student, assignment, notebook):
    """One row per graded cell of one autograded notebook, in the notebook's order."""
    with api.gradebook as gradebook:
        submitted = gradebook.find_submission_notebook(notebook, assignment, student)
        grades = sorted(submitted.grades, key=lambda g: (len(g.name), g.name))
        return [{"student": student, "assignment": assignment, "notebook": notebook,
                 "exercise": g.name, "score": g.score, "max_score": g.max_score}
                for g in grades]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", help="folder with one sub-folder of notebooks per student")
    parser.add_argument("--out", default=str(ROOT / "build" / "grades"),
                        help="where grades.csv and feedback/ go (default: build/grades)")
    parser.add_argument("--course-dir", default=str(ROOT / "build" / "nbgrader-grading"),
                        help="nbgrader course folder, rewritten each run")
    args = parser.parse_args()
    rows = grade(args.submissions, args.out, args.course_dir)
    totals = {}
    for row in rows:
        score, best = totals.get(row["student"], (0.0, 0.0))
        totals[row["student"]] = (score + row["score"], best + row["max_score"])
    for student, (score, best) in sorted(totals.items()):
        print(f"{student}: {score:g} / {best:g} points")
    print(f"wrote {Path(args.out) / 'grades.csv'} and {Path(args.out) / 'feedback'}/")


if __name__ == "__main__":
    main()
