"""Exercises: each student's own numbers, and instant feedback that diagnoses.

A topic's questions are *data*: ``course_lib/<topic>/questions.toml`` holds every prompt, hint,
option, explanation and rubric, keyed by the question's name, and the topic's ``questions``
module holds only the functions that compute the expected answers from a student's variant
(:mod:`course_lib.variants`). Question ids read ``"<topic>.<name>"``; the topic is loaded on
demand, found on disk, never listed here. ``course_lib/questions.schema.json`` says what a
question file may hold.

In a notebook, :func:`ask` shows an exercise with the student's own numbers and returns them;
:func:`check` judges an answer to that variant:

>>> from course_lib.exercises import check, evaluate
>>> check("start.food_day_kwh", 2.9)
✅ Correct: 2.9 kWh (expected 2.906 kWh, within 0.4%).
>>> check("start.food_day_kwh", 10460, "kJ")
✅ Correct: 10,460 kJ = 2.906 kWh (expected 2.906 kWh, within 0.4%).

The first wrong attempt gets the diagnosis; each later one adds the next hint. An untouched
placeholder (``answer = None``) is not an attempt:

>>> print(evaluate("start.food_day_kwh", 3.5, attempt=1))
❌ Not yet: 3.5 kWh is 20% too high (expected within 0.4%).
>>> print(evaluate("start.food_day_kwh", 3.5, attempt=2))
❌ Not yet: 3.5 kWh is 20% too high (expected within 0.4%).
   Hint: 1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ.
>>> print(evaluate("start.food_day_kwh", None))
⏳ Not answered yet: replace None with your answer, a number of kWh, and run the cell again.

Numbers without a unit are read in the question's unit; pint quantities in any unit of the same
dimension are converted first, so an answer in MJ is right if it equals the expected kWh.
"""

from __future__ import annotations

import importlib
import importlib.resources
import json
import math
import numbers
import os
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

import pint

from . import _answers, _topics, checks, formats, identity, variants
from .units import Q_
from .variants import Variant

__all__ = ["Question", "Feedback", "check", "evaluate", "ask", "variant", "expected", "expected_text",
           "question", "questions", "from_data", "prompt", "option_named", "KINDS", "FIELDS", "ANSWER_LOG", "CURRENT"]

_REGISTRY: dict[str, "Question"] = {}

#: What an exercise asks a student to do (exercise-design patterns): a new case, a prediction
#: checked with a control, a misconception confronted, a value read off a chart, an open
#: reflection with a rubric, a value recalled from the text, or a change to a model whose
#: consequence the student reads (a row of a parameter table, a new exchange, a new stage).
KINDS = ("transfer", "predict", "misconception", "chart", "reflection", "recall", "model")
#: The keys a question may have in a topic's ``questions.toml`` (see ``questions.schema.json``).
FIELDS = ("kind", "title", "prompt", "unit", "rel_tol", "hints", "choices", "explanations", "shuffle",
          "answer", "expected", "also", "slips", "shows", "rubric", "model_answer")
#: A reflection is acknowledged (and its model answer shown) once it has this many words.
REFLECTION_WORDS = 15


class _Current:
    """The marker for "the identity in force" (:func:`course_lib.identity.current`)."""

    def __repr__(self) -> str:
        return "CURRENT"


#: Default of every ``student`` argument: the identity in force where the call runs.
CURRENT: Any = _Current()


@dataclass(frozen=True)
class Question:
    """One checkable question, as read from its topic's ``questions.toml``.

    ``expected(variant)`` returns the answer for a student's variant (a pint Quantity for
    numbers, an option id for a choice, a list or a dict for sorting). ``choices`` are the option
    ids in their shown order, ``labels`` their text, ``explanations`` what each option means when
    chosen (for a wrong one: the misconception it shows). ``also(variant)`` returns other right
    answers with a note, ``slips(variant)`` the question's own likely wrong answers with their
    diagnosis, ``shows(variant)`` extra named values for the prompt's placeholders. ``shuffle``
    lets each student see the options in an order of their own (only where order means nothing).
    """

    id: str
    prompt: str
    expected: Callable[[Variant], object]
    unit: str | None = None  # the unit a bare number is read in
    rel_tol: float = 0.02
    hints: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    explanations: Mapping[str, str] = field(default_factory=dict, hash=False)
    also: Callable[[Variant], Sequence[tuple[pint.Quantity, str]]] | None = field(default=None, hash=False)
    slips: Callable[[Variant], Sequence[tuple[pint.Quantity, str]]] | None = field(default=None, hash=False)
    shows: Callable[[Variant], Mapping[str, object]] | None = field(default=None, hash=False)
    kind: str = ""
    rubric: tuple[str, ...] = ()
    shuffle: bool = False
    title: str = ""

    def __post_init__(self) -> None:
        if self.kind and self.kind not in KINDS:
            raise ValueError(f"kind={self.kind!r} is not an exercise kind; choose one of: {', '.join(KINDS)}")
        if self.kind == "reflection" and not self.rubric:
            raise ValueError(f"question {self.id!r} is a reflection: give its rubric (what a full, a partial and a missing answer hold)")

    @property
    def lettered(self) -> bool:
        """Are the options shown with letters (a), (b), ... that stand for ids of more than a letter?"""
        return bool(self.choices) and not all(len(c) <= 2 for c in self.choices)


@dataclass
class Feedback:
    """The verdict on one answer; ``str(feedback)`` is what ``check`` prints.

    ``attempted`` is False for an answer not yet given or that cannot be read (an empty
    placeholder, text that is no number): such an answer uses up no attempt.
    """

    correct: bool
    message: str
    hints: list[str] = field(default_factory=list)
    relative_error: float | None = None
    attempted: bool = True

    def __str__(self) -> str:
        lines = [self.message] + [f"   Hint: {hint}" for hint in self.hints]
        return "\n".join(lines)

    def __bool__(self) -> bool:
        return self.correct


# ---- questions as data ----------------------------------------------------------------------

def _register(question: Question) -> Question:
    topic, _, name = question.id.partition(".")
    if not topic or not name:
        raise ValueError(f"question id {question.id!r} must read '<topic>.<name>', such as 'energy.aluminium_kwh'")
    if question.id in _REGISTRY and _REGISTRY[question.id] != question:
        raise ValueError(f"question id {question.id!r} is already registered")
    if question.unit is not None:
        checks.unit(question.unit, "unit")
    _REGISTRY[question.id] = question
    return question


def register(question: Question) -> Question:  # TRANSITION: removed once every topic reads questions.toml
    import inspect
    if len(inspect.signature(question.expected).parameters) == 0:
        import dataclasses
        f, a = question.expected, question.also
        question = dataclasses.replace(question, expected=lambda v, f=f: f(), also=(lambda v, a=a: a()) if a else None)
    return _register(question)


def _function(functions: object, name: str, question_id: str, key: str) -> Callable[..., Any]:
    found = getattr(functions, name, None) if not isinstance(functions, Mapping) else functions.get(name)
    if not callable(found):
        raise ValueError(f"question {question_id!r}: {key} = {name!r} names no function of its questions module")
    return found


def from_data(topic: str, table: Mapping[str, Mapping[str, Any]], functions: object) -> list[Question]:
    """The questions of ``topic`` from its question data (a parsed ``questions.toml``).

    ``functions`` is the topic's ``questions`` module (or a mapping of names to functions): the
    expected answer of question ``name`` is ``functions.name(variant)`` unless the data give a
    fixed ``answer``, another function (``expected``) or a ``model_answer`` (reflections).
    """
    found = []
    for name, entry in table.items():
        question_id = f"{topic}.{name}"
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise ValueError(f"question {question_id!r}: unknown keys {unknown}; a question may have: {', '.join(FIELDS)}")
        for key in ("kind", "prompt"):
            if key not in entry:
                raise ValueError(f"question {question_id!r} has no {key}")
        compute: Callable[[Variant], object]
        if "answer" in entry:
            fixed = entry["answer"]
            compute = lambda v, fixed=fixed: fixed  # noqa: E731 (a constant answer: an option id)
        elif "model_answer" in entry:
            text = str(entry["model_answer"]).strip()
            compute = lambda v, text=text: text  # noqa: E731 (filled with the question's `shows` values)
        else:
            compute = _function(functions, entry.get("expected", name), question_id, "expected")
        choices = entry.get("choices", {})
        optional = {key: _function(functions, entry[key], question_id, key) for key in ("also", "slips", "shows") if key in entry}
        found.append(Question(
            id=question_id, prompt=str(entry["prompt"]).strip(), expected=compute,
            unit=entry.get("unit"), rel_tol=float(entry.get("rel_tol", 0.02)),
            hints=tuple(entry.get("hints", ())), choices=tuple(choices), labels=dict(choices),
            explanations=dict(entry.get("explanations", {})), kind=str(entry["kind"]),
            rubric=tuple(entry.get("rubric", ())), shuffle=bool(entry.get("shuffle", False)),
            title=str(entry.get("title", "")), **optional))
    return found


def _load(topic: str) -> None:
    if topic not in _topics.topics("questions"):
        return
    module: ModuleType = importlib.import_module(f"{_PACKAGE}.{topic}.questions")
    try:
        text = importlib.resources.files(f"{_PACKAGE}.{topic}").joinpath("questions.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    for q in from_data(topic, tomllib.loads(text), module):
        if q.id not in _REGISTRY:
            _register(q)


_PACKAGE = __name__.rsplit(".", 1)[0]


def _question(question_id: object) -> Question:
    if not isinstance(question_id, str):
        raise TypeError(f"question_id must be a string such as 'start.food_day_kwh', got {question_id!r}")
    if question_id not in _REGISTRY:
        _load(question_id.split(".", 1)[0])
    if question_id not in _REGISTRY:
        known = questions()
        topic = question_id.split(".", 1)[0]
        same_topic = [q for q in known if q.split(".", 1)[0] == topic]
        listing = (f"the {topic} questions are: {', '.join(same_topic)}" if same_topic else
                   f"the topics are: {', '.join(sorted({q.split('.', 1)[0] for q in known}))}")
        raise ValueError(f"question_id={question_id!r} is not a course question{checks.suggest(question_id, known)}; {listing}")
    return _REGISTRY[question_id]


def question(question_id: str) -> Question:
    """The :class:`Question` ``question_id`` (its topic's questions are loaded on demand).

    >>> question("start.food_day_kwh").unit
    'kWh'
    """
    return _question(question_id)


def questions() -> list[str]:
    """The ids of every question the course defines (every topic's questions are loaded)."""
    for topic in _topics.topics("questions"):
        _load(topic)
    return sorted(_REGISTRY)


# ---- variants: each student's numbers ---------------------------------------------------------

def _who(student: object) -> str | None:
    if student is CURRENT:
        return identity.current()
    if student is None:
        return None
    if not isinstance(student, str):
        raise TypeError(f"student must be a name or student number (text) or None, got {student!r}")
    return identity.normalise(student) or None


def variant(question_id: str, student: object = CURRENT) -> Variant:
    """The numbers of ``question_id`` for ``student`` (default: the identity in force).

    >>> variant("start.food_day_kwh", None)["kcal"]
    2500.0
    """
    _question(question_id)
    return variants.draw(question_id, _who(student))


def _order(q: Question, student: str | None) -> list[str]:
    """The option ids in the order this student sees them (shuffled only where order means nothing)."""
    if not (q.shuffle and student):
        return list(q.choices)
    return sorted(q.choices, key=lambda c: variants.seed(q.id, student, f"option/{c}"))


def _letters(q: Question, student: str | None) -> dict[str, str]:
    """Letter -> option id, for options shown with letters."""
    return {string.ascii_lowercase[i]: c for i, c in enumerate(_order(q, student))} if q.lettered else {}


class _Values(dict):
    def __missing__(self, key: str) -> str:
        raise ValueError(f"a placeholder {{{key}}} names no number of this exercise; it has: {', '.join(self)}")


def _values(q: Question, v: Variant) -> _Values:
    values = _Values({name: v.shown(name) for name in v})
    for name, value in (q.shows(v) if q.shows else {}).items():
        values[name] = formats.quantity(value) if isinstance(value, pint.Quantity) else (
            formats.number(value) if isinstance(value, float) else str(value))
    return values


def _fill(text: str, values: Mapping[str, str]) -> str:
    return string.Formatter().vformat(text, (), values) if "{" in text else text


def prompt(question_id: str, student: object = CURRENT) -> str:
    """The exercise as ``student`` sees it (Markdown): the prompt with their numbers, then the
    options lettered in their order.

    >>> print(prompt("start.food_day_kwh", None))
    A person eats 2,500 kcal in a day. How many kilowatt-hours is that? (three significant digits)
    """
    q, who = _question(question_id), _who(student)
    v = variants.draw(question_id, who)
    values = _values(q, v)
    text = _fill(q.prompt, values)
    if q.lettered:
        text += "\n\n" + "\n".join(f"* ({letter}) {_fill(q.labels.get(c, c), values)}"
                                   for letter, c in _letters(q, who).items())
    return text


def _display(text: str, metadata: dict) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython is a dependency
        get_ipython = None  # type: ignore[assignment]
    if get_ipython is not None and get_ipython() is not None:
        display({"text/markdown": text, "text/plain": text}, raw=True, metadata=metadata)
    else:
        print(text)


def ask(question_id: str) -> Variant:
    """Show exercise ``question_id`` with the student's own numbers, and return those numbers.

    ``mine = ask("start.food_day_kwh")`` prints the exercise, and ``mine["kcal"]`` is the
    student's food energy (in the unit the exercise names). The output carries the identity
    in its metadata, so the grader knows whose numbers a saved notebook shows.
    """
    q = _question(question_id)
    who, where = identity.source()
    v = variants.draw(question_id, who)
    text = prompt(question_id, who)
    if v:
        whose = (f"*Your own numbers (for {who}).*" if who else
                 "*The course's default numbers: give your name in notebook 00 to get your own.*")
        text = f"{text}\n\n{whose}"
    title = f"**{q.title}** " if q.title else ""
    hub = os.environ.get(identity.HUB_ENV) or None
    _display(title + text, {"course": {"question": question_id, "student": who, "identity_from": where, "hub_user": hub}})
    return v


def expected(question_id: str, student: object = CURRENT) -> object:
    """The expected answer of ``question_id`` for ``student``'s variant."""
    q = _question(question_id)
    v = variants.draw(question_id, _who(student))
    answer = q.expected(v)
    if isinstance(answer, str) and q.kind == "reflection":
        return _fill(answer, _values(q, v))
    return answer


def option_named(question_id: str, answer: object, student: object = CURRENT) -> object:
    """The option an answer names, by its words (a letter means another option to each student
    when options are shuffled, so logs and reports name the option itself); other answers as given.

    >>> option_named("start.error_argument", "b", None)
    'unit'
    """
    q = _question(question_id)
    if not q.choices or not isinstance(answer, str):
        return answer
    letters = _letters(q, _who(student))
    chosen = letters.get(answer.strip().strip("()").strip().lower()) or _answers.match_option(answer, dict(q.labels))
    return q.labels.get(chosen, chosen) if chosen is not None else answer


def expected_text(question_id: str, student: object = CURRENT) -> str:
    """The expected answer as a student would type it, in a form :func:`check` accepts:
    ``'2.906 kWh'``, ``'unit'`` (an option by its id, never by a letter that differs between
    students), ``'steam, gypsum'``."""
    q, who = _question(question_id), _who(student)
    answer = expected(question_id, who)
    if isinstance(answer, pint.Quantity):
        shown = answer.to(q.unit) if q.unit not in (None, "") else answer
        if shown.dimensionless and q.unit in (None, ""):
            return formats.number(shown.to("").magnitude, 6).replace(",", "")
        return f"{formats.number(shown.magnitude, 6).replace(',', '')} {formats.unit(shown.units)}".strip()
    if isinstance(answer, Mapping):
        return "; ".join(f"{k}: {v}" for k, v in answer.items())
    if isinstance(answer, (list, tuple, set, frozenset)):
        return ", ".join(map(str, answer))
    return str(answer)  # the option's id: check() takes it from every student, whatever their letters


# ---- judging an answer ------------------------------------------------------------------------

_fmt = formats.quantity


@dataclass(frozen=True)
class _Case:
    """One answer being judged: the question, the student's variant, their values and the attempt."""

    question: Question
    variant: Variant
    values: Mapping[str, str]
    attempt: int

    def hints(self) -> list[str]:
        """The hints this attempt has earned: none at the first, then one more each time."""
        return [_fill(h, self.values) for h in self.question.hints[: max(0, self.attempt - 1)]]

    def text(self, text: str) -> str:
        return _fill(text, self.values)


def _not_read(message: str) -> Feedback:
    """A one-line verdict for an answer that cannot be read: never a traceback for a student.

    Not an attempt, so no hint: a hint could give a prediction away.
    """
    return Feedback(False, f"❌ Not yet: {message}", [], attempted=False)


def _asked_for(expected: pint.Quantity) -> str:
    unit = formats.unit(expected.units)
    return f"a number of {unit}" if unit else "a number"


def _untouched(answer: object) -> bool:
    """An answer cell run before anything was written in it: ``None``, ``"?"`` or empty text."""
    return answer is None or (isinstance(answer, str) and answer.strip() in ("", "?", "..."))


def _what(expected: object, case: _Case) -> str:
    if isinstance(expected, pint.Quantity):
        return _asked_for(expected)
    if case.question.kind == "reflection":
        return "a few sentences"
    if isinstance(expected, Mapping):
        return "each item paired with its group"
    if isinstance(expected, (list, tuple, set, frozenset)):
        return "a list of words"
    q = case.question
    letters = _letters(q, case.variant.student)
    shown = list(letters) if letters else [c if len(c) <= 2 else q.labels.get(c, c) for c in q.choices]
    return f"one of the options {_answers.listing(shown)}" if shown else "one of the options"


def _given_quantity(case: _Case, expected: pint.Quantity, answer: object, unit: str | None) -> pint.Quantity | Feedback:
    """The answer as a quantity, or the verdict saying why it cannot be read."""
    if isinstance(answer, str):
        try:
            answer = _answers.parse_number(answer)
        except _answers.Unreadable as exc:
            return _not_read(f"{exc}; the question asks for {_asked_for(expected)}, such as {_fmt(Q_(1, expected.units))}.")
    if isinstance(answer, pint.Quantity):
        if unit is not None:
            return _not_read(f"{_fmt(answer)} already has a unit, so leave out unit={unit!r}.")
        return answer
    if not _answers.is_real_number(answer):
        return _not_read(f"the answer is {answer!r}; the question asks for {_asked_for(expected)}.")
    value = float(answer)  # type: ignore[arg-type]
    if not math.isfinite(value):
        return _not_read(f"{answer!r} is not a finite number; the question asks for {_asked_for(expected)}.")
    try:
        read_in = checks.unit(unit, "unit") if unit is not None else (case.question.unit or expected.units)
    except (TypeError, ValueError) as exc:
        return _not_read(f"{exc}.")
    return Q_(value, read_in)


def _gap(given: pint.Quantity, other: pint.Quantity) -> float:
    value = given.to(other.units).magnitude
    return (value - other.magnitude) / other.magnitude if other.magnitude else (0.0 if value == 0 else math.inf)


def _evaluate_number(case: _Case, expected: pint.Quantity, answer: object, unit: str | None) -> Feedback:
    q = case.question
    given = _given_quantity(case, expected, answer, unit)
    if isinstance(given, Feedback):
        return given
    for other, note in (q.also(case.variant) if q.also else ()):
        if other.dimensionality == given.dimensionality and abs(_gap(given, other)) <= q.rel_tol:
            shown_other = _fmt(given) if given.units == other.units else f"{_fmt(given)} = {_fmt(given.to(other.units))}"
            return Feedback(True, f"✅ Correct: {shown_other} ({case.text(note)}; the course's own figure is {_fmt(expected)}).", [],
                            _gap(given, other))
    if given.dimensionality != expected.dimensionality:
        inverse = given.dimensionality == (1 / expected).dimensionality and not expected.dimensionless
        extra = " It is the inverse: check which quantity goes on top." if inverse else ""
        return Feedback(
            False,
            f"❌ Not yet: {_fmt(given)} is {_answers.plain_dimension(given)} but the question asks for "
            f"{_answers.plain_dimension(expected)} (for example in {formats.unit(expected.units) or 'a pure number'}).{extra}",
            case.hints())
    in_expected = given.to(expected.units)
    shown = _fmt(given) if given.units == expected.units else f"{_fmt(given)} = {_fmt(in_expected)}"
    error = _gap(given, expected)
    tolerance = f"within {q.rel_tol * 100:g}%" if q.rel_tol else "exactly"
    if abs(error) <= q.rel_tol:
        return Feedback(True, f"✅ Correct: {shown} (expected {_fmt(expected)}, {tolerance}).", [], error)
    # The question's own likely wrong answers first: they name the slip this exercise invites.
    for wrong, meaning in (q.slips(case.variant) if q.slips else ()):
        if wrong.dimensionality == given.dimensionality and abs(_gap(given, wrong)) <= max(q.rel_tol, 0.005):
            return Feedback(False, f"❌ Not yet: {shown} looks like {case.text(meaning)}", case.hints(), error)
    direction = "too high" if error > 0 else "too low"
    dims = expected.dimensionality
    kinds = frozenset(({"energy"} if dims.get("[mass]") == 1 and dims.get("[length]") == 2 else set())
                      | ({"time"} if dims.get("[time]") else set()))
    slip = _answers.diagnose(float(in_expected.magnitude), float(expected.magnitude),
                             pure_number=bool(expected.dimensionless), tol=max(q.rel_tol, 0.01), kinds=kinds)
    if slip:
        return Feedback(False, f"❌ Not yet: {shown} is {slip}.", case.hints(), error)
    ratio = in_expected.magnitude / expected.magnitude if expected.magnitude else math.inf
    size = f"{abs(error):.0%}" if abs(error) < 2 else f"{formats.number(ratio, digits=3)} times the answer,"
    return Feedback(False, f"❌ Not yet: {shown} is {size} {direction} (expected {tolerance}).", case.hints(), error)


def _evaluate_sorting(case: _Case, expected: Mapping, answer: object) -> Feedback:
    if not isinstance(answer, Mapping):
        example = next(iter(expected.items()))
        return _not_read(f"the answer must pair each item with its group, such as {{{example[0]!r}: {example[1]!r}, ...}}.")
    given = {_answers.normalise(k): _answers.normalise(v) for k, v in answer.items()}
    wrong = [k for k, v in expected.items() if given.get(_answers.normalise(k)) != _answers.normalise(v)]
    if not wrong:
        return Feedback(True, f"✅ Correct: all {len(expected)} items are in the right place.")
    return Feedback(
        False,
        f"❌ Not yet: {len(expected) - len(wrong)} of {len(expected)} right. Look again at: {', '.join(sorted(map(str, wrong)))}.",
        case.hints(),
    )


def _evaluate_list(case: _Case, expected: list, answer: object) -> Feedback:
    """A list of words (in any order): says how many are right, missing or extra, never which."""
    q = case.question
    if isinstance(answer, str):
        answer = [part for part in (p.strip() for p in answer.replace(";", ",").split(",")) if part]
    if not isinstance(answer, (list, tuple, set, frozenset)):
        return _not_read(f"the answer must be a list of words, such as [{expected[0]!r}, ...]; got {answer!r}.")
    options = {c: case.text(q.labels.get(c, c)) for c in q.choices}
    letters = _letters(q, case.variant.student)

    def key(item: object) -> str:
        item = letters.get(_answers.normalise(item), item)
        chosen = _answers.match_option(item, options) if options else None
        return _answers.normalise(chosen if chosen is not None else item)

    wanted, given = {key(e) for e in expected}, {key(a) for a in answer}
    if given == wanted:
        return Feedback(True, f"✅ Correct: all {len(wanted)} of them.")
    right, missing, extra = len(given & wanted), len(wanted - given), len(given - wanted)
    parts = [f"{right} of {len(wanted)} right"] + ([f"{missing} missing"] if missing else []) + (
        [f"{extra} that {'does' if extra == 1 else 'do'} not belong"] if extra else [])
    return Feedback(False, f"❌ Not yet: {', '.join(parts)}.", case.hints())


def _evaluate_choice(case: _Case, expected: object, answer: object) -> Feedback:
    q = case.question
    options = {c: case.text(q.labels.get(c, c)) for c in q.choices} or {str(expected): str(expected)}
    letters = _letters(q, case.variant.student)
    shown = list(letters) if letters else (options.keys() if all(len(c) <= 2 for c in options) else options.values())
    if not isinstance(answer, (str, numbers.Real)) or isinstance(answer, bool) or not str(answer).strip():
        return _not_read(f"the answer is {answer!r}; give one of the options: {_answers.listing(shown)}.")
    typed = str(answer).strip().strip("()").strip()
    chosen = letters.get(typed.lower()) or _answers.match_option(answer, options)
    if chosen is None and q.choices:
        near = checks.suggest(_answers.normalise(answer), [_answers.normalise(v) for v in options.values()] + list(letters or options))
        return _not_read(f"{str(answer)!r} is not one of the options{near}: {_answers.listing(shown)}.")
    picked = chosen if chosen is not None else str(answer)
    label = options.get(picked, picked)
    if _answers.normalise(picked) == _answers.normalise(expected):
        why = q.explanations.get(picked, "")
        return Feedback(True, f"✅ Correct: {label}." + (f" {case.text(why)}" if why else ""))
    why_wrong = q.explanations.get(picked)
    if why_wrong:
        return Feedback(False, f"❌ Not yet: {label} — {case.text(why_wrong)}", case.hints())
    return Feedback(False, f"❌ Not yet: {label} is not the answer.", case.hints())


def _evaluate_reflection(expected: str, answer: object) -> Feedback:
    """An open answer is not graded right or wrong: once written, the model answer is shown to compare."""
    words = len(answer.split()) if isinstance(answer, str) else 0
    if words < REFLECTION_WORDS:
        return _not_read(f"write your answer in a few sentences first (at least {REFLECTION_WORDS} words; "
                         f"you wrote {words}), then check again to compare with a model answer.")
    return Feedback(True, f"📝 Noted ({words} words). Compare with a model answer: {expected}")


def evaluate(question_id: str, answer: object, unit: str | None = None, *,
             student: object = CURRENT, attempt: int = 1) -> Feedback:
    """Judge ``answer`` to ``student``'s variant of question ``question_id``.

    ``attempt`` is the how-many-th real attempt this is: the first wrong one gets the diagnosis
    only, each later one the next hint as well. A student's answer never raises: text with a
    unit (``"2,9 kWh"``), a number typed as text, a label or a letter instead of an option id,
    even ``None`` gets a one-line verdict. Only a question id that does not exist raises
    (``ValueError``): that is the author's mistake.

    >>> print(evaluate("start.food_day_kwh", "2,9 kWh"))
    ✅ Correct: 2.9 kWh (expected 2.906 kWh, within 0.4%).
    >>> print(evaluate("start.food_day_kwh", 10.46, attempt=2))  # MJ typed where kWh is asked
    ❌ Not yet: 10.46 kWh is 3.6 times the answer: kWh mixed with MJ: 1 kWh = 3.6 MJ.
       Hint: 1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ.
    """
    q = _question(question_id)
    if not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 1:
        raise ValueError(f"attempt={attempt!r} must be a whole number from 1")
    v = variants.draw(question_id, _who(student))
    case = _Case(q, v, _values(q, v), attempt)
    answer_now = expected(question_id, v.student)
    if _untouched(answer):
        return Feedback(False, f"⏳ Not answered yet: replace {answer!r} with your answer, {_what(answer_now, case)}, "
                               "and run the cell again.", [], attempted=False)
    if q.kind == "reflection":
        return _evaluate_reflection(str(answer_now), answer)
    if isinstance(answer_now, pint.Quantity):
        return _evaluate_number(case, answer_now, answer, unit)
    if isinstance(answer_now, Mapping):
        return _evaluate_sorting(case, answer_now, answer)
    if isinstance(answer_now, (list, tuple, set, frozenset)):
        return _evaluate_list(case, list(answer_now), answer)
    return _evaluate_choice(case, answer_now, answer)


#: When this environment variable names a file, every :func:`check` call appends the question id
#: and the answer to it, one JSON object a line: the course's own recorder, which the grader
#: (``python -m course_lib.grade``) reads and scores in its own process.
ANSWER_LOG = "COURSE_ANSWER_LOG"
# Real attempts per (student, question) in this kernel: the hints a student has earned so far.
_ATTEMPTS: dict[tuple[str | None, str], int] = {}


def _record(question_id: str, answer: object, unit: str | None, student: str | None, attempt: int | None) -> None:
    path = os.environ.get(ANSWER_LOG)
    if not path:
        return
    line = json.dumps({"id": question_id, "answer": _answers.to_record(answer), "unit": unit,
                       "student": student, "attempt": attempt})
    with open(path, "a", encoding="utf-8") as log:
        log.write(line + "\n")


def check(question_id: str, answer: object, unit: str | None = None) -> None:
    """Print instant feedback on ``answer`` to the student's own variant of ``question_id``.

    ``unit`` says what unit a bare number is in (default: the question's unit). Each real attempt
    is counted: the first wrong one gets the diagnosis, later ones a hint more each. When the
    grader runs a notebook, the answer is also recorded (see :data:`ANSWER_LOG`).
    """
    q = _question(question_id)
    who = identity.current()
    key = (who, q.id)
    tried = _ATTEMPTS.get(key, 0)
    verdict = evaluate(question_id, answer, unit, student=who, attempt=tried + 1)
    if verdict.attempted:
        _ATTEMPTS[key] = tried + 1
    _record(question_id, answer, unit, who, tried + 1 if verdict.attempted else None)
    print(verdict)
