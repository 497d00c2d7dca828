"""Exercise checks with instant feedback.

A question lives in the ``questions`` module of the topic it belongs to
(``course_lib/start/questions.py``, ``course_lib/energy/questions.py``, ...), registered with
:func:`register`; its expected answer is *computed from the datasets*, so an instructor who adapts
the data gets consistent answers. Question ids read ``"<topic>.<name>"``: ``check`` imports
``course_lib.<topic>.questions`` on demand (found on disk, never listed here), so a notebook never
has to.

>>> from course_lib.exercises import check
>>> check("start.food_day_kwh", 2.9)
✅ Correct: 2.9 kWh (expected 2.906 kWh, within 2%).
>>> check("start.food_day_kwh", 10460, "kJ")
✅ Correct: 10,460 kJ = 2.906 kWh (expected 2.906 kWh, within 2%).
>>> check("start.food_day_kwh", 3.5)
❌ Not yet: 3.5 kWh is 20% too high (expected within 2%).
   Hint: 1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ.

Numbers without a unit are read in the question's unit; pint quantities in any unit of the same
dimension are converted first, so an answer in MJ is right if it equals the expected kcal.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Callable

import pint

from . import _topics, checks, formats
from .units import Q_

__all__ = ["Question", "Feedback", "register", "check", "evaluate", "questions"]

_REGISTRY: dict[str, "Question"] = {}


@dataclass(frozen=True)
class Question:
    """One checkable question.

    ``expected`` is a function returning the answer (a pint Quantity for numbers, a string for a
    choice, a dict for a sorting task), so it is computed from the data when checked.
    """

    id: str
    prompt: str
    expected: Callable[[], object]
    unit: str | None = None  # the unit a bare number is read in
    rel_tol: float = 0.02
    hints: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()


@dataclass
class Feedback:
    """The verdict on one answer; ``str(feedback)`` is what ``check`` prints."""

    correct: bool
    message: str
    hints: list[str] = field(default_factory=list)
    relative_error: float | None = None

    def __str__(self) -> str:
        lines = [self.message] + [f"   Hint: {hint}" for hint in self.hints]
        return "\n".join(lines)

    def __bool__(self) -> bool:
        return self.correct


def register(question: Question) -> Question:
    """Add ``question`` to the course's question bank (ids are unique)."""
    if not isinstance(question, Question):
        raise TypeError(f"question must be a Question, got {type(question).__name__}")
    topic, _, name = question.id.partition(".")
    if not topic or not name:
        raise ValueError(f"question id {question.id!r} must read '<topic>.<name>', such as 'energy.aluminium_kwh'")
    if question.id in _REGISTRY and _REGISTRY[question.id] != question:
        raise ValueError(f"question id {question.id!r} is already registered")
    if question.unit is not None:
        checks.unit(question.unit, "unit")
    _REGISTRY[question.id] = question
    return question


def _question(question_id: object) -> Question:
    if not isinstance(question_id, str):
        raise TypeError(f"question_id must be a string such as 'start.food_day_kwh', got {question_id!r}")
    if question_id not in _REGISTRY:
        _topics.load("questions", (question_id.split(".", 1)[0],))
    if question_id not in _REGISTRY:
        known = questions()
        raise ValueError(
            f"question_id={question_id!r} is not a course question{checks.suggest(question_id, known)}; "
            f"known questions: {', '.join(known)}"
        )
    return _REGISTRY[question_id]


def questions() -> list[str]:
    """The ids of every question the course defines (every topic's questions are loaded)."""
    _topics.load("questions")
    return sorted(_REGISTRY)


_dimension = checks.dimension_words
_fmt = formats.quantity


def _evaluate_number(question: Question, expected: pint.Quantity, answer: object, unit: str | None) -> Feedback:
    if isinstance(answer, pint.Quantity):
        if unit is not None:
            raise ValueError("unit must be None when answer is already a pint Quantity")
        given = answer
    else:
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            raise TypeError(f"answer must be a number or a pint Quantity, got {answer!r} of type {type(answer).__name__}")
        if not math.isfinite(answer):
            raise ValueError(f"answer={answer!r} is not a finite number")
        given = Q_(answer, checks.unit(unit, "unit") if unit is not None else question.unit or expected.units)
    if given.dimensionality != expected.dimensionality:
        return Feedback(
            False,
            f"❌ Not yet: {_fmt(given)} is {_dimension(given)} but the question asks for "
            f"{_dimension(expected)} (for example in {formats.unit(expected.units)}).",
            list(question.hints[:1]),
        )
    in_expected = given.to(expected.units)
    shown = _fmt(given) if given.units == expected.units else f"{_fmt(given)} = {_fmt(in_expected)}"
    error = (in_expected.magnitude - expected.magnitude) / expected.magnitude if expected.magnitude else in_expected.magnitude
    tolerance = f"within {question.rel_tol * 100:g}%" if question.rel_tol else "exactly"
    if abs(error) <= question.rel_tol:
        return Feedback(True, f"✅ Correct: {shown} (expected {_fmt(expected)}, {tolerance}).", [], error)
    direction = "too high" if error > 0 else "too low"
    ratio = in_expected.magnitude / expected.magnitude if expected.magnitude else math.inf
    size = f"{abs(error):.0%}" if abs(error) < 2 else f"{formats.number(ratio, digits=3)} times the answer,"
    hints = list(question.hints[: 2 if abs(error) > 0.5 else 1])
    if ratio >= 8 or 0 < ratio <= 0.125:
        hints.append("You are off by a power of ten or more: check the unit prefixes (k, M, G) and the exponents.")
    return Feedback(False, f"❌ Not yet: {shown} is {size} {direction} (expected {tolerance}).", hints, error)


def evaluate(question_id: str, answer: object, unit: str | None = None) -> Feedback:
    """Judge ``answer`` to question ``question_id`` and return a :class:`Feedback`."""
    question = _question(question_id)
    expected = question.expected()
    if isinstance(expected, pint.Quantity):
        return _evaluate_number(question, expected, answer, unit)
    if unit is not None:
        raise ValueError(f"unit={unit!r} makes no sense here: question {question_id!r} is not numeric")
    if isinstance(expected, dict):
        if not isinstance(answer, dict):
            raise TypeError(f"answer must be a dict (item -> category) for {question_id!r}, got {type(answer).__name__}")
        norm = {str(k).strip().lower(): str(v).strip().lower() for k, v in answer.items()}
        wrong = [k for k, v in expected.items() if norm.get(str(k).lower()) != str(v).lower()]
        if not wrong:
            return Feedback(True, f"✅ Correct: all {len(expected)} items are in the right place.")
        return Feedback(
            False,
            f"❌ Not yet: {len(expected) - len(wrong)} of {len(expected)} right. Look again at: {', '.join(sorted(wrong))}.",
            list(question.hints[:1]),
        )
    if not isinstance(answer, str):
        raise TypeError(f"answer must be a string (one of {list(question.choices)}), got {answer!r}")
    if question.choices and answer.strip().lower() not in [c.lower() for c in question.choices]:
        raise ValueError(f"answer={answer!r} is not one of the choices {list(question.choices)}")
    if answer.strip().lower() == str(expected).lower():
        return Feedback(True, f"✅ Correct: {answer}.")
    return Feedback(False, f"❌ Not yet: {answer} is not the answer.", list(question.hints[:1]))


def check(question_id: str, answer: object, unit: str | None = None) -> None:
    """Print instant feedback on ``answer``: correct or not, how far off, which way, and a hint.

    ``unit`` says what unit a bare number is in (default: the question's unit).
    """
    print(evaluate(question_id, answer, unit))
