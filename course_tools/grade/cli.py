"""``python -m course_lib.grade SUBMISSIONS... --out grades.csv [options]``: the instructors' command.

Exit status: 0 when every submission was graded with status ``ok``; 1 when some could not be
(``timeout``, ``error: ...``, ``not a notebook``: their rows are in ``grades.csv`` all the same);
2 for a mistake in the command itself (no such file, unknown question in the points file, ...)
or a machine without the sandbox (:mod:`course_tools.grade.sandbox`), which grades nothing unless
``--no-sandbox`` is given.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from course_lib import checks

from .assignment import assignment_questions, find_submissions
from .key import read_students, write_answer_key
from .grader import grade
from .report import points_text, write_feedback, write_grades
from .rubric import merge_rubrics, write_rubric_sheet
from .sandbox import SandboxUnavailable

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.grade",
        description="Run each submitted notebook in a fresh kernel, score the answers it passed to check(), "
                    "and write a gradebook (CSV) and a feedback file per submission.",
    )
    parser.add_argument("submissions", nargs="*", help="submitted notebooks, or folders searched for *.ipynb")
    parser.add_argument("--out", required=True, help="the gradebook to write (CSV), such as grades.csv "
                                                     "(with --answer-key: the answer key, such as key.csv)")
    parser.add_argument("--answer-key", metavar="STUDENTS",
                        help="write each student's own numbers and expected answers instead of grading: "
                             "identities separated by commas (alice,bob), or a file with one a line "
                             "(every course question, or the --assignment's)")
    parser.add_argument("--points", help="CSV file question,points (default: 1 point per question); a scoring.toml "
                                         "beside it sets the scoring policy (docs/grading.md)")
    parser.add_argument("--scoring", help="the scoring policy, a scoring.toml (default: the one beside --points, if any)")
    parser.add_argument("--rubric-dir", help="folder for the rubric sheet of reflections and the capstone: rubric.csv and "
                                             "an HTML page per submission (default: rubric/ beside --out)")
    parser.add_argument("--rubrics", metavar="FILLED_CSV",
                        help="instead of grading: add the points of a filled-in rubric.csv to the gradebook --out")
    parser.add_argument("--assignment", help="the course's notebook the submissions answer "
                                             "(default: the course notebook named in the submissions' file names)")
    parser.add_argument("--feedback", help="folder for the feedback files (default: feedback/ beside --out)")
    parser.add_argument("--jobs", type=int, default=None, help=f"submissions run at a time (default: the number of cores, {os.cpu_count()})")
    parser.add_argument("--cell-timeout", type=float, default=60.0, help="seconds a cell may run (default 60)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a whole notebook may run (default 600)")
    parser.add_argument("--memory", type=int, default=2048, help="MB of memory a notebook's data may take (default 2048; 0: no limit)")
    parser.add_argument("--disk", type=int, default=256,
                        help="MB a notebook may write in its folder, inside the sandbox (default 256)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run the submissions without the sandbox (with your rights, files and network): "
                             "only for notebooks you trust, on a machine without bubblewrap")
    parser.add_argument("--quiet", action="store_true", help="no line per submission while grading")
    parser.add_argument("--report", metavar="DIR",
                        help="also write the item analysis of the class's attempt logs to DIR: index.html (one page "
                             "that works offline), items.csv and students.csv")
    return parser


def _answer_key(args: argparse.Namespace, out: Path) -> int:
    try:
        students = read_students(args.answer_key)
        questions = None
        if args.assignment:
            questions = assignment_questions(checks.file_path(args.assignment, "assignment"))
        written = write_answer_key(students, out, questions)
    except (TypeError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Answer key for {len(students)} students written to {written}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Grade, write the gradebook and the feedback; returns the exit status (see the module's docstring)."""
    args = _parser().parse_args(argv)
    out = Path(args.out)
    feedback = Path(args.feedback) if args.feedback else out.parent / "feedback"
    rubric_dir = Path(args.rubric_dir) if args.rubric_dir else out.parent / "rubric"
    if out.suffix.lower() == ".ipynb":
        print(f"error: --out {args.out} would overwrite a notebook: name a .csv file", file=sys.stderr)
        return 2
    if args.answer_key is not None:
        return _answer_key(args, out)
    if args.rubrics is not None:
        try:
            merge_rubrics(checks.file_path(out, "out"), checks.file_path(args.rubrics, "rubrics"))
        except (TypeError, ValueError, FileNotFoundError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"Rubric points from {args.rubrics} merged into {out}")
        return 0
    if not args.submissions:
        print("error: name the submissions to grade (files or folders), or give --answer-key", file=sys.stderr)
        return 2
    count = {"done": 0}

    def progress(name: str, status: str, seconds: float) -> None:
        count["done"] += 1
        if not args.quiet:
            print(f"[{count['done']}] {name}: {status} ({seconds:.1f} s)", file=sys.stderr, flush=True)

    try:
        submitted = {s.path.resolve() for s in find_submissions(args.submissions)}
        if out.resolve() in submitted or feedback.resolve() in submitted:
            raise ValueError("--out and --feedback must not name a submitted file: the grader never overwrites one")
        book = grade(args.submissions, assignment=args.assignment, points=args.points, jobs=args.jobs,
                     cell_timeout=args.cell_timeout, timeout=args.timeout, memory=args.memory,
                     exclude=[out, feedback, rubric_dir], progress=progress, policy=args.scoring,
                     sandbox=not args.no_sandbox, disk=args.disk)
    except SandboxUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (TypeError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing written", file=sys.stderr)
        return 130
    write_grades(book, out)
    written = write_feedback(book, feedback)
    sheet = write_rubric_sheet(book, rubric_dir)
    failed = [g for g in book.grades if g.status != "ok"]
    mean = sum(g.total for g in book.grades) / len(book.grades)
    print(f"{len(book.grades)} submissions of {book.assignment.name} graded: mean {points_text(mean)} / "
          f"{points_text(book.grades[0].max)}; {len(failed)} not graded in full. "
          f"Gradebook: {out}; {len(written)} feedback files in {feedback}"
          + (f"; rubric sheet for the instructor: {sheet[0]}" if sheet else ""))
    for g in failed:
        print(f"  {g.submission}: {g.status}", file=sys.stderr)
    if args.report:
        report = _item_report(book, Path(args.report))
        if report is None:
            return 2
    return 0 if book.ok else 1


def _item_report(book: object, folder: Path) -> Path | None:
    """Write the item analysis of ``book``'s attempt logs to ``folder``; None (and why, on stderr) if it cannot."""
    from .items import write_report

    # The class's attempts, one row each (course_tools.grade.attempts.class_table), imported only when asked for.
    class_table = importlib.import_module(f"{__package__}.attempts").class_table
    try:
        page = write_report(class_table(book), folder)
    except (TypeError, ValueError, OSError) as error:
        print(f"error: item analysis not written: {error}", file=sys.stderr)
        return None
    print(f"Item analysis: {page} (with items.csv and students.csv)")
    return page
