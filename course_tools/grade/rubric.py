"""The rubric sheet: reflections and the capstone, for the instructor to score, then merged into grades.csv.

Reflections and the capstone earn no automatic points (:mod:`~course_tools.grade.policy`). The
grader writes them into a sheet instead: ``rubric.csv``, one row per submission and item (a
reflection's question id, or ``economics.capstone/<slot>`` for each slot of the capstone), with
the answer, the rubric, a ``flag`` (``filler``: a word repeated or only a few distinct words;
``too short``; ``empty``) and a blank ``points`` column; and one HTML page per submission with the
rubric beside each answer, to read (plain HTML, no script, nothing fetched). The instructor fills in
``points`` (and, if they like, ``comment``); then::

    python -m course_lib.grade --rubrics rubric/rubric.csv --out grades.csv

adds the points to ``grades.csv`` (a capstone's slots summed in the column ``economics.capstone``)
and recomputes ``total`` and ``max``.

>>> flag("blah " * 15), flag("Energy is a cost that the table makes comparable across very different products."), flag("")
('filler', '', 'empty')
"""

from __future__ import annotations

import csv
import html
import math
from pathlib import Path
from typing import Any

from course_lib import _answers, exercises

from .report import feedback_path, points_text

__all__ = ["RUBRIC_COLUMNS", "CAPSTONE_COLUMN", "flag", "rubric_rows", "write_rubric_sheet", "merge_rubrics"]

#: The columns of ``rubric.csv``, in order; the instructor fills in ``points`` and ``comment``.
RUBRIC_COLUMNS = ("submission", "student", "item", "title", "answer", "flag", "review", "rubric", "max_points",
                  "points", "comment")
#: The gradebook column that sums a capstone's slots.
CAPSTONE_COLUMN = "economics.capstone"
_SHORT_WORDS = 8


def flag(text: str) -> str:
    """What the instructor should know before reading an answer: ``empty``, ``filler``, ``too short`` or ``""``."""
    words = text.split()
    if not words:
        return "empty"
    if len(words) < _SHORT_WORDS:
        return "too short"
    return "filler" if _answers.is_filler(text) else ""


def rubric_rows(book: Any) -> list[dict[str, str]]:
    """One row per submission and rubric item of the gradebook ``book`` (columns :data:`RUBRIC_COLUMNS`)."""
    rows = []
    for grade in book.grades:
        for item in grade.scores:
            if item.kind != "rubric":
                continue
            question = exercises.question(item.question)
            text = grade.texts.get(item.question, "")
            rows.append({"submission": grade.submission, "student": grade.student or "", "item": item.question,
                         "title": question.title or item.question, "answer": text, "flag": flag(text), "review": "",
                         "rubric": " | ".join(question.rubric), "max_points": points_text(item.points),
                         "points": "", "comment": ""})
        for slot in grade.capstone if isinstance(grade.capstone, list) else []:
            if not isinstance(slot, dict):
                continue
            text = str(slot.get("answer", ""))
            parts = [text] + [f"{key}: {slot[key]}" for key in ("figure", "source") if slot.get(key)]
            marked = "filler" if slot.get("status") == "filler" else flag(text)
            rows.append({"submission": grade.submission, "student": grade.student or "",
                         "item": f"{CAPSTONE_COLUMN}/{slot.get('item', '')}", "title": str(slot.get("title", "")),
                         "answer": "\n".join(parts), "flag": marked,
                         "review": f"{slot.get('status', '')}: {slot.get('feedback', '')}", "rubric": str(slot.get("rubric", "")),
                         "max_points": points_text(float(slot.get("points", 0) or 0)), "points": "", "comment": ""})
    return rows


def _page(submission: str, rows: list[dict[str, str]]) -> str:
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Rubric sheet: {esc(submission)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5;"
             "color:#111;background:#fff}.item{display:grid;grid-template-columns:1fr 1fr;gap:1rem;border-top:1px solid #555;"
             "padding:.5rem 0}.answer{white-space:pre-wrap}.flag{font-weight:bold;color:#8a1c00}"
             "@media (max-width:40rem){.item{grid-template-columns:1fr}}</style>",
             "</head>", "<body>", "<main>", f"<h1>Rubric sheet: {esc(submission)}</h1>",
             "<p>Each answer is shown beside its rubric. Write the points in the column <code>points</code> of "
             "<code>rubric.csv</code> (the same rows), then merge it into the gradebook.</p>"]
    for row in rows:
        parts += [f'<section class="item" aria-labelledby="h-{esc(row["item"])}">',
                  "<div>", f'<h2 id="h-{esc(row["item"])}">{esc(row["title"])} <small>({esc(row["item"])}, '
                           f'at most {esc(row["max_points"])} points)</small></h2>']
        if row["flag"]:
            parts.append(f'<p class="flag">Flagged: {esc(row["flag"])}.</p>')
        parts += ["<h3>Answer</h3>", f'<p class="answer">{esc(row["answer"]) or "<em>No answer.</em>"}</p>']
        if row["review"]:
            parts.append(f"<p>Completeness check: {esc(row['review'])}</p>")
        parts += ["</div>", "<div>", "<h3>Rubric</h3>", "<ul>"]
        parts += [f"<li>{esc(line.strip())}</li>" for line in row["rubric"].split(" | ") if line.strip()]
        parts += ["</ul>", "</div>", "</section>"]
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def write_rubric_sheet(book: Any, folder: str | Path) -> list[Path]:
    """Write ``rubric.csv`` and one HTML page per submission with rubric items into ``folder``;
    returns the files written (none when the assignment has no reflection and no capstone)."""
    rows = rubric_rows(book)
    if not rows:
        return []
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    sheet = root / "rubric.csv"
    with open(sheet, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=RUBRIC_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    written = [sheet]
    for submission in dict.fromkeys(r["submission"] for r in rows):
        page = feedback_path(root, submission).with_suffix(".html")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(submission, [r for r in rows if r["submission"] == submission]), encoding="utf-8")
        written.append(page)
    return written


def _number(value: str, where: str, most: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{where}: points={value!r} is not a number") from None
    if not math.isfinite(number) or not 0 <= number <= most:
        raise ValueError(f"{where}: points={value!r} must be a number from 0 to {points_text(most)}")
    return number


def merge_rubrics(grades: str | Path, filled: str | Path, out: str | Path | None = None) -> Path:
    """Add the points of the filled rubric sheet ``filled`` to the gradebook ``grades`` (rewritten,
    or written to ``out``); rows left blank count 0 and the status says how many are still to score."""
    with open(grades, encoding="utf-8-sig", newline="") as handle:
        rows_in = list(csv.reader(handle))
    if not rows_in or rows_in[0][:2] != ["submission", "student"] or rows_in[0][-3:] != ["total", "max", "status"]:
        raise ValueError(f"grades={str(grades)!r} is not a gradebook this grader wrote (submission, student, ..., total, max, status)")
    header, body = rows_in[0], rows_in[1:]
    with open(filled, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("submission", "item", "max_points", "points") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"rubrics={str(filled)!r} lacks the columns {missing}: give the rubric.csv the grader wrote")
        sheet = list(reader)
    earned: dict[str, dict[str, float]] = {}
    capstone_max: dict[str, float] = {}
    pending: dict[str, int] = {}
    for line, row in enumerate(sheet, start=2):
        item, submission = row["item"].strip(), row["submission"].strip()
        most = _number(row["max_points"].strip(), f"rubrics={str(filled)!r}, line {line}", math.inf)
        column = CAPSTONE_COLUMN if item.startswith(CAPSTONE_COLUMN + "/") else item
        if column != CAPSTONE_COLUMN and column not in header:
            raise ValueError(f"rubrics={str(filled)!r}, line {line}: item {item!r} is not a column of {str(grades)!r}")
        if column == CAPSTONE_COLUMN:
            capstone_max[submission] = capstone_max.get(submission, 0.0) + most
        value = row["points"].strip()
        if not value:
            pending[submission] = pending.get(submission, 0) + 1
            continue
        points = _number(value, f"rubrics={str(filled)!r}, line {line}", most)
        mine = earned.setdefault(submission, {})
        mine[column] = mine.get(column, 0.0) + points if column == CAPSTONE_COLUMN else points
    if capstone_max and CAPSTONE_COLUMN not in header:
        most = max(capstone_max.values())
        header = [*header[:-3], CAPSTONE_COLUMN, *header[-3:]]
        body = [[*r[:-3], "0", r[-3], points_text(float(r[-2]) + most), r[-1]] for r in body]
    questions = header[2:-3]
    merged = [header]
    for r in body:
        values = dict(zip(header, r))
        for column, points in earned.get(values["submission"], {}).items():
            values[column] = points_text(points)
        values["total"] = points_text(sum(float(values[q] or 0) for q in questions))
        status = [part for part in values["status"].split("; ") if not part.startswith("rubric: ")]
        if pending.get(values["submission"]):
            status.append(f"rubric: {pending[values['submission']]} items not scored yet")
        values["status"] = "; ".join(status)
        merged.append([values[c] for c in header])
    target = Path(out) if out is not None else Path(grades)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(merged)
    return target

