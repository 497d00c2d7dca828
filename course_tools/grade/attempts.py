"""The attempt log a student hands in, checked against the grader's own run, and the class table.

A submitted notebook carries its attempt log in its outputs: every ``check()`` output holds, in
its metadata, the question's history so far (:mod:`course_lib.attempts`). :func:`submitted_log`
gathers it. A student's work zip of the in-browser course carries the whole log beside the
notebooks (:data:`~course_tools.grade.archive.ATTEMPT_LOG`, every session of that browser:
:func:`work_log`); per question the longer of the two histories counts (:func:`longer_histories`).
A re-run replays only the final answers, so the log is what shows first attempts; but
student code can delete or rewrite it, so :func:`cross_check` compares it with the re-run and
re-judges every logged answer in the grader's process. A question's log is

* ``missing``: the re-run answers the question, the log has no attempt at it;
* ``rewritten``: its attempts are not numbered 1, 2, 3 ... in order, or its times go backwards;
* ``inconsistent``: a logged verdict is not what the answer logged gets, or the last answer logged
  is not the answer the re-run gives.

Such a question is scored from the re-run's answer as an attempt after the first (no first-attempt
credit), and the gradebook's status names it. :func:`class_table` gives the records of a class, one
row per attempt, for item analysis.

>>> rerun = {"start.food_day_kwh": (2.32, None)}
>>> log = [{"question": "start.food_day_kwh", "student": None, "answer": 3.5, "unit": None,
...         "verdict": "wrong", "attempt": 1, "time": "2026-12-07T19:30:00Z"},
...        {"question": "start.food_day_kwh", "student": None, "answer": 2.32, "unit": None,
...         "verdict": "right", "attempt": 2, "time": "2026-12-07T19:31:00Z"}]
>>> checked = cross_check(log, rerun, ["start.food_day_kwh"], None)
>>> checked["start.food_day_kwh"].problem, [a.credit for a in checked["start.food_day_kwh"].attempts]
(None, [0.0, 1.0])
>>> cross_check(log[1:], rerun, ["start.food_day_kwh"], None)["start.food_day_kwh"].problem
'rewritten'
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from course_lib import _answers, exercises
from course_lib.attempts import parse as parse_log

from . import archive
from .assignment import read_notebook

__all__ = ["submitted_log", "work_log", "longer_histories", "Attempt", "Checked", "cross_check", "class_table", "CLASS_COLUMNS", "PROBLEMS"]

#: The columns of :func:`class_table`, in order.
CLASS_COLUMNS = ("student", "question", "attempt", "verdict", "slip", "option", "answer", "time", "score")
#: What can be wrong with a question's log, as the gradebook's status says it.
PROBLEMS = ("missing", "rewritten", "inconsistent")


def submitted_log(notebook: str | Path | nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The attempt records a saved notebook carries in its ``check()`` outputs, oldest first per question.

    Each output holds the whole history of its question so far; for each question and student the
    longest history found counts (a later run of the same cell holds the earlier one).
    """
    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else read_notebook(Path(notebook))
    if nb is None:
        return []
    best: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            meta = output.get("metadata") if isinstance(output, dict) else None
            course = meta.get("course") if isinstance(meta, dict) else None
            found = course.get("attempts") if isinstance(course, dict) else None
            if not isinstance(found, list):
                continue
            records = [r for r in found if isinstance(r, dict) and isinstance(r.get("question"), str)]
            for key in {(r["question"], r.get("student")) for r in records}:
                mine = [r for r in records if (r["question"], r.get("student")) == key]
                if len(mine) > len(best.get(key, [])):
                    best[key] = mine
    return [dict(r) for records in best.values() for r in records]


def work_log(folder: Path) -> list[dict[str, Any]]:
    """The attempt records of the log file a work zip carries (unpacked in ``folder``), in order.

    One JSON record a line (:mod:`course_lib.attempts`); a line that is not one is skipped (its
    question then shows as rewritten or missing in the cross-check); at most
    :data:`~course_tools.grade.archive.MAX_MEMBER_MB` MB are read. No file: no records.
    """
    try:
        with open(folder / archive.ATTEMPT_LOG, "rb") as handle:
            data = handle.read(archive.MAX_MEMBER_MB * 1024 * 1024)
    except OSError:
        return []
    return parse_log(data)


def longer_histories(from_file: Iterable[Mapping[str, Any]], from_notebook: Iterable[Mapping[str, Any]],
                     questions: Sequence[str], student: str | None) -> list[dict[str, Any]]:
    """The submitted log of ``student`` for ``questions``: per question, the longer of two histories.

    A work zip's log file holds every session of the browser; the notebook's outputs hold its
    last run's (after a page reload the in-browser kernel may start counting at 1 again). The
    longer one counts, the file's when they are as long: a line deleted from either never earns
    first-attempt credit, since the other still shows it.

    >>> wrong = {"question": "q.x", "student": "al", "verdict": "wrong", "attempt": 1}
    >>> right = {"question": "q.x", "student": "al", "verdict": "right", "attempt": 1}
    >>> [r["verdict"] for r in longer_histories([wrong, right], [right], ["q.x"], "al")]
    ['wrong', 'right']
    """
    file_records = [dict(r) for r in from_file if r.get("student") == student]
    notebook_records = [dict(r) for r in from_notebook if r.get("student") == student]
    merged = []
    for question in questions:
        mine = [r for r in file_records if r.get("question") == question]
        embedded = [r for r in notebook_records if r.get("question") == question]
        merged += embedded if len(embedded) > len(mine) else mine
    return merged


@dataclass(frozen=True)
class Attempt:
    """One real attempt as the grader judged it: the answer, its credit (1 right, 0 wrong, a share
    for lists and sortings), and the record it came from (None for the re-run's answer)."""

    answer: object
    unit: str | None
    credit: float
    correct: bool
    record: Mapping[str, Any] | None = None


@dataclass
class Checked:
    """A question's log after the cross-check: the attempts to score, and what is wrong with the log."""

    question: str
    attempts: list[Attempt] = field(default_factory=list)
    problem: str | None = None
    records: list[dict[str, Any]] = field(default_factory=list)


def _judge(question: str, answer: object, unit: Any, student: str | None) -> Any:
    try:
        verdict, _ = exercises._judged(question, answer, unit if isinstance(unit, str) else None, student, 1)
    except Exception:  # a record forged into something unreadable: no credit
        return None
    return verdict


def _credit(verdict: Any) -> float:
    if verdict is None or not verdict.attempted:
        return 0.0
    if verdict.credit is not None:
        return float(verdict.credit)
    return 1.0 if verdict.correct else 0.0


def _same(a: object, b: object) -> bool:
    """Whether two recorded answers are the same answer (numbers to 1 part in a billion)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict) and "quantity" in a and "quantity" in b:
        try:
            (x, ux), (y, uy) = a["quantity"], b["quantity"]
            return ux == uy and math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def _problem(records: list[dict[str, Any]], judged: list[Any], final: tuple[object, Any] | None) -> str | None:
    real = [(r, v) for r, v in zip(records, judged) if r.get("verdict") != "unread"]
    if final is not None and not real:
        return "missing"
    if [r.get("attempt") for r, _ in real] != list(range(1, len(real) + 1)):
        return "rewritten"
    times = [str(r.get("time", "")) for r in records]
    if times != sorted(times):
        return "rewritten"
    for r, v in zip(records, judged):
        if r.get("slip") == exercises.LOOKED_UP and r.get("verdict") == "wrong":
            continue  # an answer looked up with expected(): a wrong attempt by rule, nothing to re-judge
        verdict = "unread" if v is None or not v.attempted else ("right" if v.correct else "wrong")
        if r.get("verdict") != verdict and not (v is None and r.get("verdict") == "wrong"):
            return "inconsistent"
    if final is not None and not (_same(real[-1][0].get("answer"), final[0]) and real[-1][0].get("unit") == final[1]):
        return "inconsistent"
    return None


def cross_check(submitted: Iterable[Mapping[str, Any]], rerun: Mapping[str, tuple[object, Any]],
                questions: Sequence[str], student: str | None) -> dict[str, Checked]:
    """Each question's attempts to score, from the submitted log checked against the re-run.

    ``rerun`` maps a question to the re-run's final answer (as recorded) and unit. Records of
    another student are left out. A sound log gives its attempts, each re-judged; a missing,
    rewritten or inconsistent one gives a first attempt that earns nothing, then the re-run's answer.
    """
    mine = [dict(r) for r in submitted if r.get("student") == student]
    result = {}
    for question in questions:
        records = [r for r in mine if r.get("question") == question]
        judged = [_judge(question, _answers.from_record(r.get("answer")), r.get("unit"), student) for r in records]
        final = rerun.get(question)
        final_verdict = _judge(question, _answers.from_record(final[0]), final[1], student) if final is not None else None
        cleared = final_verdict is not None and not final_verdict.attempted
        if cleared:
            final = None  # the re-run leaves the placeholder: nothing to score
        problem = _problem(records, judged, final) if (records or final is not None) else None
        if cleared and problem is None and any(r.get("verdict") != "unread" for r in records):
            problem = "inconsistent"  # the log has answers the notebook handed in no longer gives
        checked = Checked(question, problem=problem, records=records)
        if problem is None and not cleared:
            checked.attempts = [Attempt(_answers.from_record(r.get("answer")), r.get("unit"), _credit(v),
                                        bool(v is not None and v.correct), r)
                                for r, v in zip(records, judged) if r.get("verdict") != "unread"]
        elif final is not None:
            answer = _answers.from_record(final[0])
            checked.attempts = [Attempt(None, None, 0.0, False),  # the first attempt nobody can vouch for
                                Attempt(answer, final[1], _credit(final_verdict), bool(final_verdict and final_verdict.correct))]
        result[question] = checked
    return result


def class_table(source: Any, scores: Mapping[tuple[str, str], float] | None = None) -> pd.DataFrame:
    """One row per attempt of a class: the columns :data:`CLASS_COLUMNS`.

    ``source`` is a gradebook (:class:`~course_tools.grade.grader.Gradebook`: each submission's
    checked attempts, scored) or a mapping of student name to records (a submitted log each), with
    ``scores`` giving (student, question) -> points when known.
    """
    rows = []
    if hasattr(source, "grades"):
        for grade in source.grades:
            name = grade.student or grade.submission
            earned = {s.question: s.earned for s in grade.scores}
            for question, checked in getattr(grade, "checked", {}).items():
                for number, attempt in enumerate(checked.attempts, start=1):
                    record = attempt.record or {}
                    rows.append({"student": name, "question": question, "attempt": number,
                                 "verdict": "right" if attempt.correct else "wrong", "slip": record.get("slip"),
                                 "option": record.get("option"), "answer": record.get("answer", _answers.to_record(attempt.answer)),
                                 "time": record.get("time"), "score": earned.get(question)})
    else:
        for name, records in source.items():
            for record in records:
                rows.append({"student": name, **{c: record.get(c) for c in CLASS_COLUMNS[1:-1]},
                             "score": (scores or {}).get((name, str(record.get("question"))))})
    return pd.DataFrame(rows, columns=list(CLASS_COLUMNS))
