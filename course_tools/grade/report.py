"""Write a gradebook out: ``grades.csv`` for the learning platform, a Markdown file per student.

``grades.csv`` has one row per submission and the columns ``submission``, one per question id
(points earned), ``total``, ``max`` and ``status``: plain UTF-8 CSV with a header, numbers with a
decimal point, the shape Canvas's and Moodle's gradebook imports read (see docs/grading.md).

>>> print(points_text(1.0), points_text(0.5), points_text(2 / 3))
1 0.5 0.6667
"""

from __future__ import annotations

import csv
from pathlib import Path

from .assignment import NO_NOTEBOOK
from .grader import NOT_A_NOTEBOOK, NOT_THIS_ASSIGNMENT, Grade, Gradebook
from .scoring import QuestionScore

__all__ = ["COLUMNS_BEFORE", "COLUMNS_AFTER", "points_text", "write_grades", "feedback_markdown",
           "feedback_path", "write_feedback"]

COLUMNS_BEFORE = ("submission", "student")
COLUMNS_AFTER = ("total", "max", "status")
_SHOWN_ERRORS = 10


def points_text(value: float) -> str:
    """A number of points as the CSV writes it: ``1``, ``0.5``, ``0.6667`` (at most 4 decimals)."""
    rounded = round(float(value), 4)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:g}"


def write_grades(book: Gradebook, path: str | Path) -> Path:
    """Write ``book`` as ``grades.csv`` at ``path`` (folders made as needed); returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*COLUMNS_BEFORE, *book.questions, *COLUMNS_AFTER])
        for grade in book.grades:
            earned = {s.question: s.earned for s in grade.scores}
            status = "; ".join(part for part in (grade.status, grade.identity_note, grade.log_note) if part)
            writer.writerow([grade.submission, grade.student or "", *(points_text(earned[q]) for q in book.questions),
                             points_text(grade.total), points_text(grade.max), status])
    return target


def _status_words(book: Gradebook, grade: Grade) -> str:
    """What the status means, said to the student."""
    limits = book.limits
    if grade.status == "ok":
        return ""
    if grade.status == NOT_A_NOTEBOOK:
        return ("The file could not be read as a Jupyter notebook (it is not valid notebook JSON), so nothing "
                "could be graded. Check that you handed in the `.ipynb` file itself.")
    if grade.status == NOT_THIS_ASSIGNMENT:
        return (f"This notebook checks none of the questions of {book.title}: it may be the notebook of another "
                "assignment or course, so it was not run. Check that you handed in this assignment's notebook.")
    if grade.status.startswith(NO_NOTEBOOK):
        return (f"Your work zip (the in-browser course's \"Download all my work\") holds no notebook of {book.title}, "
                "so nothing could be graded. Open that notebook in the in-browser course, work in it, and "
                "download your work again.")
    if grade.status == "timeout":
        return (f"Your notebook did not finish in time: a cell may run at most {limits.cell_timeout:g} s and the "
                f"whole notebook {limits.timeout:g} s. A cell that ran over was stopped; the answers checked "
                "before the notebook was stopped still count.")
    return (f"Your notebook could not be graded in full: {grade.status.removeprefix('error: ')}. "
            "The answers it checked before that (and, if it went on, after) still count.")


def _question_section(number: int, item: QuestionScore) -> list[str]:
    mark = "✅" if item.correct else ("—" if not item.answered else "❌")
    lines = [f"## {number}. `{item.question}`: {points_text(item.earned)} / {points_text(item.points)} {mark}", ""]
    if item.prompt:
        lines += [f"> {item.prompt}", ""]
    if item.reflection:
        lines += ["*A reflection: it earns no automatic points; your instructor scores it with its rubric "
                  "(the points are added to your grade afterwards).*", ""]
    if item.answered:
        lines += [f"Your answer: `{item.answer}`", ""]
    if item.log:
        lines += [f"*Your attempt log for this question is {item.log}: it was scored from your final answer "
                  "as an attempt after the first (no first-attempt credit).*", ""]
    elif item.attempts > 1 and not item.reflection:
        lines += [f"*{item.attempts} attempts.*", ""]
    lines += ["```text", item.feedback, "```", ""]
    return lines


def feedback_markdown(book: Gradebook, grade: Grade) -> str:
    """The feedback for one submission, in Markdown: the score, then each question's verdict and hints."""
    lines = [f"# Feedback: {book.title}", "",
             f"Submission: `{grade.submission}`  ",
             f"Score: **{points_text(grade.total)} / {points_text(grade.max)}** points  ",
             f"Status: {grade.status}", ""]
    if grade.student:
        lines += [f"Graded with the exercise numbers of: `{grade.student}`" + (f" ({grade.identity_note})" if grade.identity_note else ""), ""]
    words = _status_words(book, grade)
    if words:
        lines += [words, ""]
    lines += ["Your notebook was run from top to bottom in a fresh kernel; each answer you passed to "
              "`check(...)` was judged again, with the same checks you saw. Your attempts, as the log your notebook "
              "carries shows them, are scored by the course's policy (multiple choice and predictions: the first "
              "attempt; numbers: less for each wrong attempt before the right one; lists: a share for each item right).", ""]
    lines += ["| Question | Points |", "|---|---|"]
    lines += [f"| `{s.question}` | {points_text(s.earned)} / {points_text(s.points)} |" for s in grade.scores]
    lines.append("")
    for number, item in enumerate(grade.scores, start=1):
        lines += _question_section(number, item)
    if grade.errors:
        lines += ["## Cells that raised an error", "",
                  "When your notebook ran from top to bottom, these cells stopped with an error "
                  "(a check() below the error in the same cell did not run):", ""]
        for error in grade.errors[:_SHOWN_ERRORS]:
            message = f"{error.get('ename', '')}: {error.get('evalue', '')}".strip(": ")
            lines.append(f"- {error.get('where', 'a cell')}: `{message}`")
        if len(grade.errors) > _SHOWN_ERRORS:
            lines.append(f"- ... and {len(grade.errors) - _SHOWN_ERRORS} more")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def feedback_path(folder: Path, submission: str) -> Path:
    """Where the feedback of ``submission`` goes: its name (folders kept) with ``.md``."""
    parts = [part for part in submission.split("/") if part not in ("", ".", "..")] or ["submission"]
    return folder.joinpath(*parts[:-1], parts[-1] + ".md")


def write_feedback(book: Gradebook, folder: str | Path) -> list[Path]:
    """Write one Markdown feedback file per submission into ``folder``; returns the files written."""
    root = Path(folder)
    written = []
    for grade in book.grades:
        path = feedback_path(root, grade.submission)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(feedback_markdown(book, grade), encoding="utf-8")
        written.append(path)
    return written
