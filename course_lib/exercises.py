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

import json
import math
import numbers
import os
from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
from typing import Callable

import pint

from . import _answers, _topics, checks, formats
from .units import Q_

__all__ = ["Question", "Feedback", "register", "check", "evaluate", "question", "questions", "KINDS", "ANSWER_LOG"]

_REGISTRY: dict[str, "Question"] = {}

#: What an exercise asks a student to do (exercise-design patterns): a new case, a prediction
#: checked with a control, a misconception confronted, a value read off a chart, an open
#: reflection with a rubric, or a value recalled from the text.
KINDS = ("transfer", "predict", "misconception", "chart", "reflection", "recall")
#: A reflection is acknowledged (and its model answer shown) once it has this many words.
REFLECTION_WORDS = 15


@dataclass(frozen=True)
class Question:
    """One checkable question.

    ``expected`` is a function returning the answer (a pint Quantity for numbers, a string for a
    choice, a dict for a sorting task), so it is computed from the data when checked.

    For choice questions, ``choices`` are the option ids; ``labels`` (id -> text) lets a student
    answer with the text instead, and ``explanations`` (id -> text) says what is wrong with each
    wrong option (a misconception named), shown when that option is chosen. ``also`` returns other
    answers that are right too, each with a note (a lower vs a higher heating value, say). ``kind``
    says what the exercise asks a student to do: ``transfer``, ``predict``, ``misconception``,
    ``chart``, ``reflection`` or ``recall``.
    """

    id: str
    prompt: str
    expected: Callable[[], object]
    unit: str | None = None  # the unit a bare number is read in
    rel_tol: float = 0.02
    hints: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    explanations: Mapping[str, str] = field(default_factory=dict, hash=False)
    also: Callable[[], Sequence[tuple[pint.Quantity, str]]] | None = field(default=None, hash=False)
    kind: str = ""
    rubric: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind and self.kind not in KINDS:
            raise ValueError(f"kind={self.kind!r} is not an exercise kind; choose one of: {', '.join(KINDS)}")
        if self.kind == "reflection" and not self.rubric:
            raise ValueError(f"question {self.id!r} is a reflection: give its rubric (what a full, a partial and a missing answer hold)")


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
        topic = question_id.split(".", 1)[0]
        same_topic = [q for q in known if q.split(".", 1)[0] == topic]
        listing = (f"the {topic} questions are: {', '.join(same_topic)}" if same_topic else
                   f"the topics are: {', '.join(sorted({q.split('.', 1)[0] for q in known}))}")
        raise ValueError(f"question_id={question_id!r} is not a course question{checks.suggest(question_id, known)}; {listing}")
    return _REGISTRY[question_id]


def question(question_id: str) -> Question:
    """The registered :class:`Question` ``question_id`` (its topic's questions are loaded on demand).

    >>> question("start.food_day_kwh").unit
    'kWh'
    """
    return _question(question_id)


def questions() -> list[str]:
    """The ids of every question the course defines (every topic's questions are loaded)."""
    _topics.load("questions")
    return sorted(_REGISTRY)


_fmt = formats.quantity


def _not_read(message: str, question: Question) -> Feedback:
    """A one-line verdict for an answer that cannot be read: never a traceback for a student.

    No hint: an answer not yet given is not an attempt, and a hint could give a prediction away.
    """
    return Feedback(False, f"❌ Not yet: {message}", [])


def _asked_for(expected: pint.Quantity) -> str:
    unit = formats.unit(expected.units)
    return f"a number of {unit}" if unit else "a number"


def _given_quantity(question: Question, expected: pint.Quantity, answer: object,
                    unit: str | None) -> pint.Quantity | Feedback:
    """The answer as a quantity, or the verdict saying why it cannot be read."""
    if isinstance(answer, str):
        try:
            answer = _answers.parse_number(answer)
        except _answers.Unreadable as exc:
            return _not_read(f"{exc}; the question asks for {_asked_for(expected)}, such as {_fmt(Q_(1, expected.units))}.", question)
    if isinstance(answer, pint.Quantity):
        if unit is not None:
            return _not_read(f"{_fmt(answer)} already has a unit, so leave out unit={unit!r}.", question)
        return answer
    if not _answers.is_real_number(answer):
        kind = "nothing" if answer is None else f"{answer!r}"
        return _not_read(f"the answer is {kind}; the question asks for {_asked_for(expected)}.", question)
    value = float(answer)  # type: ignore[arg-type]
    if not math.isfinite(value):
        return _not_read(f"{answer!r} is not a finite number; the question asks for {_asked_for(expected)}.", question)
    try:
        read_in = checks.unit(unit, "unit") if unit is not None else (question.unit or expected.units)
    except (TypeError, ValueError) as exc:
        return _not_read(f"{exc}.", question)
    return Q_(value, read_in)


def _evaluate_number(question: Question, expected: pint.Quantity, answer: object, unit: str | None) -> Feedback:
    given = _given_quantity(question, expected, answer, unit)
    if isinstance(given, Feedback):
        return given
    for other, note in (question.also() if question.also else ()):
        if other.dimensionality == given.dimensionality:
            gap = (given.to(other.units).magnitude - other.magnitude) / other.magnitude if other.magnitude else math.inf
            if abs(gap) <= question.rel_tol:
                shown_other = _fmt(given) if given.units == other.units else f"{_fmt(given)} = {_fmt(given.to(other.units))}"
                return Feedback(True, f"✅ Correct: {shown_other} ({note}; the course's own figure is {_fmt(expected)}).", [], gap)
    if given.dimensionality != expected.dimensionality:
        inverse = given.dimensionality == (1 / expected).dimensionality and not expected.dimensionless
        extra = " It is the inverse: check which quantity goes on top." if inverse else ""
        return Feedback(
            False,
            f"❌ Not yet: {_fmt(given)} is {_answers.plain_dimension(given)} but the question asks for "
            f"{_answers.plain_dimension(expected)} (for example in {formats.unit(expected.units) or 'a pure number'}).{extra}",
            list(question.hints[:1]),
        )
    in_expected = given.to(expected.units)
    shown = _fmt(given) if given.units == expected.units else f"{_fmt(given)} = {_fmt(in_expected)}"
    error = (in_expected.magnitude - expected.magnitude) / expected.magnitude if expected.magnitude else in_expected.magnitude
    tolerance = f"within {question.rel_tol * 100:g}%" if question.rel_tol else "exactly"
    if abs(error) <= question.rel_tol:
        return Feedback(True, f"✅ Correct: {shown} (expected {_fmt(expected)}, {tolerance}).", [], error)
    direction = "too high" if error > 0 else "too low"
    dims = expected.dimensionality
    kinds = frozenset(({"energy"} if dims.get("[mass]") == 1 and dims.get("[length]") == 2 else set())
                      | ({"time"} if dims.get("[time]") else set()))
    slip = _answers.diagnose(float(in_expected.magnitude), float(expected.magnitude),
                             pure_number=bool(expected.dimensionless), tol=max(question.rel_tol, 0.01), kinds=kinds)
    hints = list(question.hints[: 2 if abs(error) > 0.5 else 1])
    if slip:
        return Feedback(False, f"❌ Not yet: {shown} is {slip}.", hints, error)
    ratio = in_expected.magnitude / expected.magnitude if expected.magnitude else math.inf
    size = f"{abs(error):.0%}" if abs(error) < 2 else f"{formats.number(ratio, digits=3)} times the answer,"
    return Feedback(False, f"❌ Not yet: {shown} is {size} {direction} (expected {tolerance}).", hints, error)


def _evaluate_sorting(question: Question, expected: dict, answer: object) -> Feedback:
    if not isinstance(answer, Mapping):
        example = next(iter(expected.items()))
        return _not_read(f"the answer must pair each item with its group, such as {{{example[0]!r}: {example[1]!r}, ...}}.", question)
    given = {_answers.normalise(k): _answers.normalise(v) for k, v in answer.items()}
    wrong = [k for k, v in expected.items() if given.get(_answers.normalise(k)) != _answers.normalise(v)]
    if not wrong:
        return Feedback(True, f"✅ Correct: all {len(expected)} items are in the right place.")
    return Feedback(
        False,
        f"❌ Not yet: {len(expected) - len(wrong)} of {len(expected)} right. Look again at: {', '.join(sorted(map(str, wrong)))}.",
        list(question.hints[:1]),
    )


def _evaluate_list(question: Question, expected: list, answer: object) -> Feedback:
    """A list of words (in any order): says how many are right, missing or extra, never which."""
    if isinstance(answer, str):
        answer = [part for part in (p.strip() for p in answer.replace(";", ",").split(",")) if part]
    if not isinstance(answer, (list, tuple, set, frozenset)):
        return _not_read(f"the answer must be a list of words, such as [{expected[0]!r}, ...]; got {answer!r}.", question)
    options = {c: question.labels.get(c, c) for c in question.choices}

    def key(item: object) -> str:
        chosen = _answers.match_option(item, options) if options else None
        return _answers.normalise(chosen if chosen is not None else item)

    wanted, given = {key(e) for e in expected}, {key(a) for a in answer}
    if given == wanted:
        return Feedback(True, f"✅ Correct: all {len(wanted)} of them.")
    right, missing, extra = len(given & wanted), len(wanted - given), len(given - wanted)
    parts = [f"{right} of {len(wanted)} right"] + ([f"{missing} missing"] if missing else []) + (
        [f"{extra} that {'does' if extra == 1 else 'do'} not belong"] if extra else [])
    return Feedback(False, f"❌ Not yet: {', '.join(parts)}.", list(question.hints[:1]))


def _evaluate_choice(question: Question, expected: object, answer: object) -> Feedback:
    options = {c: question.labels.get(c, c) for c in question.choices} or {str(expected): str(expected)}
    # Short ids (letters a, b, c) are what a student types; long ones are shown by their labels.
    shown = options.keys() if all(len(c) <= 2 for c in options) else options.values()
    if not isinstance(answer, (str, numbers.Real)) or isinstance(answer, bool) or not str(answer).strip():
        return _not_read(f"the answer is {answer!r}; give one of the options: {_answers.listing(shown)}.", question)
    chosen = _answers.match_option(answer, options)
    if chosen is None and question.choices:
        near = checks.suggest(_answers.normalise(answer), [_answers.normalise(v) for v in options.values()] + list(options))
        return _not_read(f"{str(answer)!r} is not one of the options{near}: {_answers.listing(shown)}.", question)
    picked = chosen if chosen is not None else str(answer)
    if _answers.normalise(picked) == _answers.normalise(expected):
        why = question.explanations.get(picked, "")
        return Feedback(True, f"✅ Correct: {options.get(picked, picked)}." + (f" {why}" if why else ""))
    why_wrong = question.explanations.get(picked)
    if why_wrong:
        return Feedback(False, f"❌ Not yet: {options.get(picked, picked)} — {why_wrong}", [])
    return Feedback(False, f"❌ Not yet: {options.get(picked, str(answer))} is not the answer.", list(question.hints[:1]))


def _evaluate_reflection(question: Question, model_answer: str, answer: object) -> Feedback:
    """An open answer is not graded right or wrong: once written, the model answer is shown to compare."""
    words = len(answer.split()) if isinstance(answer, str) else 0
    if words < REFLECTION_WORDS:
        return _not_read(f"write your answer in a few sentences first (at least {REFLECTION_WORDS} words; "
                         f"you wrote {words}), then check again to compare with a model answer.", question)
    return Feedback(True, f"📝 Noted ({words} words). Compare with a model answer: {model_answer}")


def evaluate(question_id: str, answer: object, unit: str | None = None) -> Feedback:
    """Judge ``answer`` to question ``question_id`` and return a :class:`Feedback`.

    A student's answer never raises: text with a unit (``"2,9 kWh"``), a number typed as text, a
    label instead of an option id, even ``None`` gets a one-line verdict that says what is wanted.
    Only a question id that does not exist raises (``ValueError``): that is the author's mistake.

    >>> print(evaluate("start.food_day_kwh", "2,9 kWh"))
    ✅ Correct: 2.9 kWh (expected 2.906 kWh, within 2%).
    >>> print(evaluate("start.food_day_kwh", 10.46))  # MJ typed where kWh is asked
    ❌ Not yet: 10.46 kWh is 3.6 times the answer: kWh mixed with MJ: 1 kWh = 3.6 MJ.
       Hint: 1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ.
       Hint: Multiply 2,500 kcal by 4.184 kJ/kcal first, then divide by 3,600 kJ/kWh.
    >>> print(evaluate("start.food_day_kwh", None))
    ❌ Not yet: the answer is nothing; the question asks for a number of kWh.
    """
    question = _question(question_id)
    expected = question.expected()
    if question.kind == "reflection":
        return _evaluate_reflection(question, str(expected), answer)
    if isinstance(expected, pint.Quantity):
        return _evaluate_number(question, expected, answer, unit)
    if isinstance(expected, dict):
        return _evaluate_sorting(question, expected, answer)
    if isinstance(expected, (list, tuple, set, frozenset)):
        return _evaluate_list(question, list(expected), answer)
    return _evaluate_choice(question, expected, answer)


#: When this environment variable names a file, every :func:`check` call appends the question id
#: and the answer to it, one JSON object a line: the course's own recorder, which the grader
#: (``python -m course_lib.grade``) reads and scores in its own process.
ANSWER_LOG = "COURSE_ANSWER_LOG"


def _record(question_id: str, answer: object, unit: str | None) -> None:
    path = os.environ.get(ANSWER_LOG)
    if not path:
        return
    line = json.dumps({"id": question_id, "answer": _answers.to_record(answer), "unit": unit})
    with open(path, "a", encoding="utf-8") as log:
        log.write(line + "\n")


def check(question_id: str, answer: object, unit: str | None = None) -> None:
    """Print instant feedback on ``answer``: correct or not, how far off, which way, and a hint.

    ``unit`` says what unit a bare number is in (default: the question's unit). When the grader
    runs a notebook, the answer is also recorded (see :data:`ANSWER_LOG`).
    """
    _record(question_id, answer, unit)
    print(evaluate(question_id, answer, unit))
