"""Score a submission from its answer log, in the grader's own process.

While a submission runs, every ``check("<id>", answer, unit)`` call appends the answer to a log
(:data:`course_lib.exercises.ANSWER_LOG`). Here the log is read back and each answer judged with
:func:`course_lib.exercises.evaluate`: the same tolerances, unit conversions and hints as
``check()``, but in a process the student's code never ran in. So a notebook that prints
"✅ Correct", redefines ``check`` or edits the question bank changes nothing here: only the answers
it actually passed to the course's ``check`` count, and only if they are right.

The attempts are scored by the course's policy (:mod:`~course_tools.grade.policy`): the grader
passes each question's attempts, checked against the student's attempt log
(:mod:`~course_tools.grade.attempts`); without them the last answer counts as a first attempt.
A question never answered scores 0; a reflection earns no automatic points (the instructor scores
it on the rubric sheet, :mod:`~course_tools.grade.rubric`).

>>> import json
>>> lines = [json.dumps({"id": "start.food_day_kwh", "answer": 3.5, "unit": None}),
...          json.dumps({"id": "start.food_day_kwh", "answer": 2.32, "unit": None})]
>>> records = read_records(lines)
>>> [(s.question, s.earned, s.points) for s in score(records, ["start.food_day_kwh"], {"start.food_day_kwh": 2.0})]
[('start.food_day_kwh', 2.0, 2.0)]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pint

from course_lib import _answers, exercises, formats

from .attempts import Attempt, Checked
from .policy import Policy, item_kind

__all__ = ["Record", "QuestionScore", "read_log", "read_records", "score", "MAX_LOG_BYTES"]

#: At most this much of an answer log is read (a notebook that floods it only loses its own answers).
MAX_LOG_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Record:
    """One recorded ``check`` call: the question id, the answer as recorded, and the unit given."""

    question: str
    answer: object
    unit: str | None


@dataclass(frozen=True)
class QuestionScore:
    """The verdict on one question of one submission.

    ``feedback`` is the text ``check()`` prints for the answer that counted (or says that no
    answer was recorded); ``answer`` is that answer as text ("" when there is none).
    """

    question: str
    points: float
    earned: float
    answered: bool
    correct: bool
    answer: str
    feedback: str
    prompt: str = ""
    reflection: bool = False
    kind: str = ""
    attempts: int = 0
    log: str | None = None  # what is wrong with the question's attempt log (missing, rewritten, inconsistent)


def read_records(lines: Iterable[str]) -> dict[str, Record]:
    """The last record per question id among JSON ``lines`` (lines that cannot be read are skipped)."""
    last: dict[str, Record] = {}
    for line in lines:
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            continue
        unit = data.get("unit")
        last[data["id"]] = Record(data["id"], data.get("answer"), unit if isinstance(unit, str) or unit is None else str(unit))
    return last


def read_log(path: Path) -> dict[str, Record]:
    """The last record per question in the answer log at ``path`` (none if it was never written)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(MAX_LOG_BYTES)
    except OSError:
        return {}
    return read_records(text.splitlines())


def _describe(question_id: str, student: str | None) -> tuple[str, bool]:
    """The question's prompt with the student's own numbers, and whether it is a reflection (completion credit)."""
    return exercises.prompt(question_id, student), exercises.question(question_id).kind == "reflection"


def _shown(answer: object, unit: str | None) -> str:
    """The answer as a student would recognise it: ``2.9``, ``10,460 kJ``, ``'income only'``."""
    if isinstance(answer, pint.Quantity):
        try:
            text = formats.quantity(answer)
        except Exception:
            text = str(answer)
    elif isinstance(answer, float) and answer.is_integer() and abs(answer) < 1e15:
        text = str(int(answer))
    else:
        text = repr(answer)
    if unit is not None:
        text += f" (unit={unit!r})"
    return text if len(text) <= 300 else text[:297] + "..."


def score(records: Mapping[str, Record], questions: Sequence[str], points: Mapping[str, float], *,
          student: str | None = None, checked: Mapping[str, Checked] | None = None,
          policy: Policy | None = None) -> list[QuestionScore]:
    """Score each of ``questions`` against ``student``'s own variant (None: the default numbers):
    the feedback on the last recorded answer, the points by ``policy`` from the attempts in
    ``checked`` (default: the last answer as the only attempt); ``points`` gives each one's worth."""
    policy = policy or Policy()
    scores = []
    for question in questions:
        worth = float(points.get(question, 1.0))
        prompt, reflection = _describe(question, student)
        kind = item_kind(question)
        record = records.get(question)
        if record is None:
            scores.append(QuestionScore(question, worth, 0.0, False, False, "",
                                        f'No answer recorded: no cell ran check("{question}", ...) to the end.',
                                        prompt, reflection, kind))
            continue
        try:
            answer = _answers.from_record(record.answer)
            verdict, _ = exercises._judged(question, answer, record.unit, student, 1)
            correct, text = bool(verdict.correct), str(verdict)
            credit = float(verdict.credit) if verdict.credit is not None else float(correct)
            answer = exercises.option_named(question, answer, student)
        except Exception as error:  # a record a notebook forged into something unreadable: no credit
            answer, correct, credit = record.answer, False, 0.0
            text = f"❌ Not yet: the answer could not be read ({type(error).__name__})."
        found = checked.get(question) if checked is not None else None
        tries = found.attempts if found is not None else [Attempt(answer, record.unit, credit, correct)]
        earned = policy.points(kind, [t.credit for t in tries], worth)
        scores.append(QuestionScore(question, worth, earned, True, correct, _shown(answer, record.unit), text,
                                    prompt, reflection, kind, len(tries), found.problem if found is not None else None))
    return scores
