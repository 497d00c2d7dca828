"""Judging one answer: the private half of :mod:`course_lib.exercises`.

A :class:`Question` (read from a topic's ``questions.toml``) and a student's variant go in; a
:class:`Feedback` comes out: correct or not, the slip named at the first wrong attempt, one more
hint at each later one, never a traceback. :mod:`course_lib._answers` reads what was typed.
"""

from __future__ import annotations

import ast
import difflib
import math
import numbers
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

import pint

from . import _answers, checks, formats, variants
from ._ureg import Q_
from .i18n import _
from .variants import Variant

__all__ = ["Question", "Feedback", "KINDS", "REFLECTION_WORDS", "judge", "option_of"]

#: What an exercise asks a student to do (exercise-design patterns): a new case, a prediction
#: checked with a control, a misconception confronted, a value read off a chart, an open
#: reflection with a rubric, a value recalled from the text, or a change to a model whose
#: consequence the student reads (a row of a parameter table, a new exchange, a new stage).
KINDS = ("transfer", "predict", "misconception", "chart", "reflection", "recall", "model")#: A reflection is acknowledged (and its model answer shown) once it has this many words.
REFLECTION_WORDS = 15


@dataclass(frozen=True)
class Question:
    """One checkable question, as read from its topic's ``questions.toml``.

    ``expected(variant)`` returns the answer for a student's variant (a pint Quantity for
    numbers, an option id for a choice, a list or a dict for sorting). ``choices`` are the option
    ids in their shown order, ``labels`` their text, ``explanations`` what each option means when
    chosen (for a wrong one: the misconception it shows). ``also(variant)`` returns other right
    answers with a note, ``slips(variant)`` the question's own likely wrong answers with their
    diagnosis (a number for a numeric question; for a choice, a number or a text that is no
    option), ``shows(variant)`` extra named values for the prompt's placeholders, ``aliases(variant)``
    other names of the options (option id -> names, such as the article's own row labels). ``shuffle``
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
    slips: Callable[[Variant], Sequence[tuple[Any, str]]] | None = field(default=None, hash=False)
    shows: Callable[[Variant], Mapping[str, object]] | None = field(default=None, hash=False)
    aliases: Callable[[Variant], Mapping[str, Sequence[str]]] | None = field(default=None, hash=False)
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
    placeholder, text that is no number): such an answer uses up no attempt. ``str(feedback)`` is
    at most three lines: the verdict and the two newest of the hints earned.
    """

    correct: bool
    message: str
    hints: list[str] = field(default_factory=list)
    relative_error: float | None = None
    attempted: bool = True
    slip: str | None = None  # the id of the slip diagnosed (a key of the question's explanations, or a family)
    option: str | None = None  # the option chosen, by its id (never a letter)
    credit: float | None = None  # lists and sortings: the share right (items wrong or extra taken off), 0 to 1

    def __str__(self) -> str:
        # At most three lines: the verdict and the two newest hints (the older ones were shown before).
        lines = [self.message] + ["   " + _("Hint: {hint}").format(hint=hint) for hint in self.hints[-2:]]
        return "\n".join(lines)

    def __bool__(self) -> bool:
        return self.correct


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

    @property
    def prompt(self) -> str:
        """The prompt as this student reads it (its words may follow a number: '0.82 cars')."""
        try:
            return self.text(self.question.prompt)
        except (ValueError, KeyError, IndexError):
            return self.question.prompt

    @property
    def asked(self) -> str:
        """The sentence that asks the question (the one with the question mark), else the prompt."""
        sentences = re.findall(r"[^.?!]*\?", self.prompt)
        return sentences[-1] if sentences else self.prompt


def _not_read(message: str) -> Feedback:
    """A one-line verdict for an answer that cannot be read: never a traceback for a student.

    Not an attempt, so no hint: a hint could give a prediction away.
    """
    return Feedback(False, _("❌ Not yet: {reason}").format(reason=message), [], attempted=False)


def _asked_for(expected: pint.Quantity) -> str:
    unit = formats.unit(expected.units)
    return _("a number of {unit}").format(unit=unit) if unit else _("a number")


def _untouched(answer: object) -> bool:
    """An answer cell run before anything was written in it: ``None``, ``"?"`` or empty text."""
    return answer is None or (isinstance(answer, str) and answer.strip() in ("", "?", "..."))


def _what(expected: object, case: _Case) -> str:
    if isinstance(expected, pint.Quantity):
        return _asked_for(expected)
    if case.question.kind == "reflection":
        return _("a few sentences")
    if isinstance(expected, Mapping):
        return _("each item paired with its group")
    if isinstance(expected, (list, tuple, set, frozenset)):
        return _("a list of words")
    q = case.question
    letters = _letters(q, case.variant.student)
    shown = list(letters) if letters else [c if len(c) <= 2 else q.labels.get(c, c) for c in q.choices]
    return _("one of the options {options}").format(options=_answers.listing(shown)) if shown else _("one of the options")


@dataclass(frozen=True)
class _Given:
    """An answer read as a quantity: the value, how it was read, and the precision it was typed with."""

    value: pint.Quantity
    notes: tuple[str, ...] = ()
    precision: float | None = None


def _given_quantity(case: _Case, expected: pint.Quantity, answer: object, unit: str | None) -> _Given | Feedback:
    """The answer as a quantity, or the verdict saying why it cannot be read."""
    notes: tuple[str, ...] = ()
    precision: float | None = None
    q = case.question
    if isinstance(answer, str):
        try:
            reading = _answers.read_number(answer, expected=expected, unit=q.unit if unit is None else unit,
                                           context=case.prompt)
        except _answers.Unreadable as exc:
            return _not_read(_("{problem}; the question asks for {asked}, such as {example}.").format(
                problem=exc, asked=_asked_for(expected), example=_fmt(Q_(1, expected.units))))
        answer, notes, precision = reading.value, reading.notes, reading.precision
        if isinstance(answer, pint.Quantity) and unit is not None:
            return _not_read(_("{answer} already has a unit, so leave out unit={unit}.").format(answer=_fmt(answer), unit=repr(unit)))
        if not isinstance(answer, pint.Quantity):
            unit = q.unit if unit is None else unit
            answer = float(answer)
            if unit is None:
                return _Given(Q_(answer, expected.units), notes, precision)
    if isinstance(answer, pint.Quantity):
        if unit is not None:
            return _not_read(_("{answer} already has a unit, so leave out unit={unit}.").format(answer=_fmt(answer), unit=repr(unit)))
        if not (_answers.is_real_number(answer.magnitude) and math.isfinite(float(answer.magnitude))):
            return _not_read(_("{answer} is not a finite number; the question asks for {asked}.").format(answer=repr(answer), asked=_asked_for(expected)))
        if precision is None and _answers.is_real_number(answer.magnitude):
            precision = _answers.precision_of(repr(float(answer.magnitude)))
        return _Given(answer, notes, precision)
    if not _answers.is_real_number(answer):
        return _not_read(_("the answer is {answer}; the question asks for {asked}.").format(
            answer=repr(answer), asked=_asked_for(expected)))
    try:
        value = float(answer)  # type: ignore[arg-type]
    except OverflowError:  # an integer beyond any float
        value = math.inf
    if not math.isfinite(value):
        return _not_read(_("{answer} is not a finite number; the question asks for {asked}.").format(answer=repr(answer), asked=_asked_for(expected)))
    try:
        read_in = checks.unit(unit, "unit") if unit is not None else (q.unit or expected.units)
    except (TypeError, ValueError):
        return _not_read(_answers.unit_problem(unit))
    if precision is None:
        precision = _answers.precision_of(repr(value))
    return _Given(Q_(value, read_in), notes, precision)


def _gap(given: pint.Quantity, other: pint.Quantity) -> float:
    value = given.to(other.units).magnitude
    return (value - other.magnitude) / other.magnitude if other.magnitude else (0.0 if value == 0 else math.inf)


_PERIODS = {"year": "year", "yr": "year", "annum": "year", "annual": "year", "yearly": "year", "month": "month",
            "monthly": "month", "week": "week", "day": "day", "daily": "day", "hour": "hour",
            "年": "year", "月": "month", "星期": "week", "週": "week", "日": "day", "天": "day", "小時": "hour"}  # 每年: a year
_PER_PERIOD = re.compile(r"\b(?:a|an|per|each|every|in\s+a|in\s+one)\s+(year|annum|month|week|day|hour)\b|\b(yearly|annual|monthly|daily)\b"
                         r"|/\s*(yr|year)\b|(?:每|/)\s*(年|月|星期|週|日|天|小時)")


def _period_asked(case: _Case) -> str | None:
    """The period the question asks its answer per ('How many euros a year ...?', or a day's food
    in 'A person eats 2,000 kcal in a day'), if any: the question's sentence first, then its prompt."""
    match = _PER_PERIOD.search(case.asked) or _PER_PERIOD.search(case.prompt)
    if not match:
        return None
    return _PERIODS[next(g for g in match.groups() if g)]


def _period_of(units: Any) -> str | None:
    """The time unit an answer's unit is per (year for t/yr), if its unit names one."""
    for name, power in units._units.items():  # noqa: SLF001 - pint's public API has no per-unit view
        if power == -1 and Q_(1, name).dimensionality == {"[time]": 1}:
            return str(name)
    return None


def _as_asked(case: _Case, expected: pint.Quantity, given: _Given) -> _Given:
    """An amount where the question asks a rate (or the other way round), read at the question's period.

    '326 t' where t/yr is asked is read as 326 t/yr; '54,652 EUR/yr' where the prompt asks euros a
    year for a plain number is read as 54,652. Other answers are returned as they are.
    """
    value = given.value
    if value.dimensionality == expected.dimensionality:
        return given
    try:
        return _at_period(case, expected, given)
    except pint.errors.PintError:  # an offset unit (°C) has no rate: the answer is judged as it is
        return given


def _at_period(case: _Case, expected: pint.Quantity, given: _Given) -> _Given:
    value = given.value
    period = _period_of(expected.units)
    if period is not None and (value / Q_(1, period)).dimensionality == expected.dimensionality:
        note = _("read per {unit}, as the question asks").format(unit=formats.unit(period))  # '326 t' for t/yr
        return _Given(value / Q_(1, period), (*given.notes, note), given.precision)
    period = _period_asked(case)
    if period is not None and (value * Q_(1, period)).dimensionality == expected.dimensionality:
        adjusted = (value * Q_(1, period)).to(expected.units)
        per = {"year": _("year"), "month": _("month"), "week": _("week"), "day": _("day"), "hour": _("hour")}[period]
        return _Given(adjusted, (*given.notes, _("read as the figure per {period} the question asks for").format(period=per)),
                      given.precision)
    return given


_ENERGY_WORDS = re.compile(r"(?<![A-Za-z])(?:[kMGTP]?Wh|[kMGTP]?J|k?cal|Kcal|toe|Lge|joules?|calories?|watt-?hours?|焦耳|千瓦時|千卡|卡路里|能量)(?![A-Za-z])")
_TIME_WORDS = {"hour": r"\b(?:h|hours?|hourly)\b|小時", "day": r"\b(?:days?|daily)\b|[日天]", "year": r"\b(?:years?|yr|annual|yearly)\b|年",
               "month": r"\b(?:months?|monthly)\b|月", "minute": r"\b(?:min|minutes?)\b|分鐘", "second": r"\b(?:seconds?)\b|秒"}
_TIME_PAIRS = {("day", "hour"): "days-hours", ("year", "day"): "years-days", ("year", "month"): "years-months",
               ("hour", "minute"): "hours-minutes", ("hour", "second"): "hours-seconds"}
_PERCENT_WORDS = re.compile(r"%|\bper\s*cent|\bpercent|\bshare\b|百分|比例")
_FALL_WORDS = re.compile(r"\b(?:fall|falls|fallen|fell|lose|loses|lost|drop|drops|dropped|decrease|decreases|decreased|fewer)\b|下降|減少|降低|跌")


def _slip_kinds(case: _Case, expected: pint.Quantity) -> set[str]:
    """Which slips of the general catalogue this question's answer can suffer (see _answers.diagnose)."""
    dims = expected.dimensionality
    prompt = case.prompt
    kinds: set[str] = set()
    if (dims.get("[mass]") == 1 and dims.get("[length]") == 2) or _ENERGY_WORDS.search(prompt):
        kinds.add("energy")
    if dims == {"[time]": 1}:
        kinds.add("duration")
    elif dims.get("[time]") or _period_asked(case):
        kinds.add("rate")
    mentioned = {name for name, pattern in _TIME_WORDS.items() if re.search(pattern, prompt)}
    kinds |= {kind for pair, kind in _TIME_PAIRS.items() if set(pair) <= mentioned}
    if _PERCENT_WORDS.search(prompt) or case.question.unit == "percent":
        kinds.add("percent" if expected.dimensionless else "percent of units")
    return kinds


def _with_notes(shown: str, notes: Sequence[str]) -> str:
    return _("{shown} ({notes})").format(shown=shown, notes=_("; ").join(notes)) if notes else shown


def _evaluate_number(case: _Case, expected: pint.Quantity, answer: object, unit: str | None) -> Feedback:
    q = case.question
    read = _given_quantity(case, expected, answer, unit)
    if isinstance(read, Feedback):
        return read
    read = _as_asked(case, expected, read)
    given = read.value
    for other, note in (q.also(case.variant) if q.also else ()):
        other = other if isinstance(other, pint.Quantity) else Q_(float(other), expected.units)
        if other.dimensionality == given.dimensionality and abs(_gap(given, other)) <= q.rel_tol:
            shown_other = _fmt(given) if given.units == other.units else f"{_fmt(given)} = {_fmt(given.to(other.units))}"
            read_as = "".join(_("; ") + n for n in read.notes)
            return Feedback(True, _("✅ Correct: {shown} ({note}; the course's own figure is {expected}{notes}).").format(
                shown=shown_other, note=case.text(note), expected=_fmt(expected), notes=read_as), [], _gap(given, other))
    if given.dimensionality != expected.dimensionality:
        inverse = given.dimensionality == (1 / expected).dimensionality and not expected.dimensionless
        text = (_("❌ Not yet: {answer} is {kind} but the question asks for {asked} (for example in {unit}). It is the "
                  "inverse: check which quantity goes on top.") if inverse else
                _("❌ Not yet: {answer} is {kind} but the question asks for {asked} (for example in {unit})."))
        return Feedback(False, text.format(answer=_fmt(given), kind=_answers.plain_dimension(given), asked=_answers.plain_dimension(
            expected), unit=formats.unit(expected.units) or _("a pure number")), case.hints())
    in_expected = given.to(expected.units)
    plain = _fmt(given) if given.units == expected.units else f"{_fmt(given)} = {_fmt(in_expected)}"
    shown = _with_notes(plain, read.notes)
    error = _gap(given, expected)
    tolerance = _("within {percent}%").format(percent=f"{q.rel_tol * 100:g}") if q.rel_tol else _("exactly")
    read_as = "".join(_("; ") + note for note in read.notes)
    if abs(error) <= q.rel_tol:
        return Feedback(True, _("✅ Correct: {shown} (expected {expected}, {tolerance}{notes}).").format(
            shown=plain, expected=_fmt(expected), tolerance=tolerance, notes=read_as), [], error)
    flipped = Q_(-given.magnitude, given.units)
    if expected.magnitude and abs(_gap(flipped, expected)) <= q.rel_tol and _FALL_WORDS.search(case.asked) \
            and "negative" not in case.prompt and "負" not in case.prompt:
        return Feedback(True, _("✅ Correct: {shown}, a fall written with a minus sign (expected {expected}, {tolerance}{notes}).")
                        .format(shown=plain, expected=_fmt(expected), tolerance=tolerance, notes=read_as), [], _gap(flipped, expected))
    # The question's own likely wrong answers first: they name the slip this exercise invites.
    # Two of them that fit the answer equally name nothing: a guess between them would mislead.
    own = []
    for wrong, meaning in (q.slips(case.variant) if q.slips else ()):
        wrong = wrong if isinstance(wrong, pint.Quantity) else Q_(float(wrong), expected.units)  # a bare number: the answer's unit
        if wrong.dimensionality == given.dimensionality and abs(_gap(given, wrong)) <= max(q.rel_tol, 0.005):
            own.append(case.text(meaning))
    own = list(dict.fromkeys(own))
    if len(own) == 1:
        return Feedback(False, _("❌ Not yet: {shown} looks like {slip}").format(shown=shown, slip=own[0]), case.hints(), error,
                        slip=_slip_id(case, own[0]))
    slip = None if own else _answers.diagnosis(
        float(in_expected.magnitude), float(expected.magnitude), pure_number=bool(expected.dimensionless),
        tol=max(q.rel_tol, 0.01), kinds=_slip_kinds(case, expected), precision=read.precision,
        ratio_units="/" in format(expected.units, "D"))
    if slip:
        return Feedback(False, _("❌ Not yet: {shown} is {slip}.").format(shown=shown, slip=slip[1]), case.hints(), error,
                        slip=slip[0])
    ratio = in_expected.magnitude / expected.magnitude if expected.magnitude else math.inf
    # Four whole sentences, so that each language orders the size and the direction its own way.
    text = [[_("❌ Not yet: {shown} is {size} too low (expected {tolerance})."),
             _("❌ Not yet: {shown} is {size} too high (expected {tolerance}).")],
            [_("❌ Not yet: {shown} is {size} times the answer, too low (expected {tolerance})."),
             _("❌ Not yet: {shown} is {size} times the answer, too high (expected {tolerance}).")]][abs(error) >= 2][error > 0]
    size = f"{abs(error):.0%}" if abs(error) < 2 else formats.number(ratio, digits=3)
    return Feedback(False, text.format(shown=shown, size=size, tolerance=tolerance), case.hints(), error)


def _slip_id(case: _Case, words: str) -> str:
    """The id of a question's own slip: the key of its explanations that says ``words``."""
    return next((key for key, text in case.question.explanations.items() if case.text(text) == words), "own")


def _evaluate_sorting(case: _Case, expected: Mapping, answer: object) -> Feedback:
    if not isinstance(answer, Mapping):
        example = next(iter(expected.items()))
        return _not_read(_("the answer must pair each item with its group, such as {example}.").format(
            example=f"{{{example[0]!r}: {example[1]!r}, ...}}"))
    given = {_answers.normalise(k): _answers.normalise(v) for k, v in answer.items()}
    wrong = [k for k, v in expected.items() if given.get(_answers.normalise(k)) != _answers.normalise(v)]
    if not wrong:
        return Feedback(True, _("✅ Correct: all {count} items are in the right place.").format(count=len(expected)), credit=1.0)
    return Feedback(
        False,
        _("❌ Not yet: {right} of {total} right. Look again at: {items}.").format(
            right=len(expected) - len(wrong), total=len(expected), items=_(", ").join(sorted(map(str, wrong)))),
        case.hints(), credit=(len(expected) - len(wrong)) / len(expected),
    )


def _options(case: _Case) -> dict[str, str]:
    q = case.question
    return {c: case.text(q.labels.get(c, c)) for c in q.choices}


def _aliases(case: _Case) -> dict[str, list[str]]:
    q = case.question
    found = q.aliases(case.variant) if q.aliases else {}
    return {str(option): [case.text(str(name)) for name in names] for option, names in found.items()}


def option_of(q: Question, v: Variant, answer: object) -> str | None:
    """The option id ``answer`` names for the student of variant ``v`` (their letters), or None."""
    case = _Case(q, v, _values(q, v), 1)
    return _answers.choose_option(answer, _options(case), _letters(q, v.student), _aliases(case), case.prompt)


def _items(answer: str, options: Mapping[str, str]) -> list[str]:
    """A list typed as text: "a, c", "i, j and k", "['i', 'j']" (a list written as Python)."""
    text = answer.strip()
    if text[:1] in "[(" and text[-1:] in "])":
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            parsed = None
        if isinstance(parsed, (list, tuple)):
            return [str(item) for item in parsed]
        text = text[1:-1]
    parts = []
    for part in (p.strip() for p in re.split(r"[,;\n、，；]", text)):  # Chinese lists: 、 ， ； and 和 及 與 for "and"
        if not part:
            continue
        pieces = [p.strip() for p in re.split(r"\s+and\s+|^and\s+|\s*&\s*|\s*[和及與]\s*", part) if p.strip()]
        whole = _answers.choose_option(part, options) if options else None
        parts += [part] if len(pieces) == 1 or whole is not None else pieces
    return parts


def _evaluate_list(case: _Case, expected: list, answer: object) -> Feedback:
    """A list of words (in any order): says how many are right, missing or extra, never which."""
    q = case.question
    options = _options(case)
    if isinstance(answer, str):
        answer = _items(answer, options)
    letters = _letters(q, case.variant.student)
    if not isinstance(answer, (list, tuple, set, frozenset)):
        # An example that names no option: a student never sees an option's id, and a name could be an answer.
        example = '"a, c"' if letters else _('"one name, another name"')
        return _not_read(_("give the names separated by commas, such as {example}; got {answer}.").format(
            example=example, answer=repr(answer)))
    aliases = _aliases(case)

    def key(item: object) -> str:
        chosen = _answers.choose_option(item, options, letters, aliases, case.prompt) if options else None
        return _answers.normalise(chosen if chosen is not None else item)

    wanted, given = {key(e) for e in expected}, {key(a) for a in answer}
    if given == wanted:
        return Feedback(True, _("✅ Correct: all {count} of them.").format(count=len(wanted)), credit=1.0)
    right, missing, extra = len(given & wanted), len(wanted - given), len(given - wanted)
    text = {(True, 0): _("❌ Not yet: {right} of {total} right, {missing} missing."),
            (True, 1): _("❌ Not yet: {right} of {total} right, {missing} missing, {extra} that does not belong."),
            (True, 2): _("❌ Not yet: {right} of {total} right, {missing} missing, {extra} that do not belong."),
            (False, 1): _("❌ Not yet: {right} of {total} right, {extra} that does not belong."),
            (False, 2): _("❌ Not yet: {right} of {total} right, {extra} that do not belong.")}[(missing > 0, min(extra, 2))]
    share = max(0.0, (right - extra) / len(wanted)) if wanted else 0.0  # listing everything earns nothing
    return Feedback(False, text.format(right=right, total=len(wanted), missing=missing, extra=extra), case.hints(), credit=share)


def _choice_slip(case: _Case, answer: object) -> str | None:
    """The question's own diagnosis of an answer that is no option (the ratio typed for a count of
    powers of ten), or None."""
    q = case.question
    if not q.slips:
        return None
    number = None
    if _answers.is_real_number(answer):
        try:
            number = float(answer)  # type: ignore[arg-type]
        except OverflowError:
            return None
    elif isinstance(answer, str):
        try:
            value = _answers.read_number(answer).value
            number = float(value) if not isinstance(value, pint.Quantity) else None
        except _answers.Unreadable:
            number = None
    for wrong, meaning in q.slips(case.variant):
        if isinstance(wrong, pint.Quantity):
            wrong = float(wrong.magnitude)
        if isinstance(wrong, (int, float)) and number is not None and wrong and math.isclose(number, wrong, rel_tol=0.005):
            return case.text(meaning)
        if isinstance(wrong, str) and _answers.normalise(answer) == _answers.normalise(wrong):
            return case.text(meaning)
    return None


def _evaluate_choice(case: _Case, expected: object, answer: object) -> Feedback:
    q = case.question
    options = _options(case) or {str(expected): str(expected)}
    letters = _letters(q, case.variant.student)
    short = all(len(c) <= 2 for c in options)
    shown = list(letters) if letters else (options.keys() if short else options.values())
    if not isinstance(answer, (str, numbers.Real)) or isinstance(answer, bool) or not str(answer).strip():
        return _not_read(_("the answer is {answer}; give one of the options: {options}.").format(
            answer=repr(answer), options=_answers.listing(shown)))
    chosen = _answers.choose_option(answer, options, letters, _aliases(case), case.prompt)
    if chosen is None or _answers.normalise(chosen) != _answers.normalise(expected):
        slip = _choice_slip(case, answer)
        if slip:
            return Feedback(False, _("❌ Not yet: {shown} looks like {slip}").format(shown=str(answer).strip(), slip=slip),
                            case.hints(), slip=_slip_id(case, slip))
    if chosen is None and q.choices:
        # Suggest only what the student sees: a label, or a letter (or a short id shown as it is).
        seen = [_answers.normalise(v) for v in options.values()] + list(letters or (options if short else []))
        near = difflib.get_close_matches(_answers.normalise(answer), seen, n=1, cutoff=0.6)
        text = _("{answer} is not one of the options (did you mean {near}?): {options}.") if near else \
            _("{answer} is not one of the options: {options}.")
        return _not_read(text.format(answer=repr(str(answer)), near=_answers.listing(near), options=_answers.listing(shown)))
    picked = chosen if chosen is not None else str(answer)
    label = options.get(picked, picked)
    if _answers.normalise(picked) == _answers.normalise(expected):
        why = q.explanations.get(picked, "")
        text = _("✅ Correct: {label}. {why}") if why else _("✅ Correct: {label}.")
        return Feedback(True, text.format(label=label, why=case.text(why) if why else ""), option=chosen)
    why_wrong = q.explanations.get(picked)
    if why_wrong:
        return Feedback(False, _("❌ Not yet: {label} — {why}").format(label=label, why=case.text(why_wrong)), case.hints(),
                        option=chosen)
    return Feedback(False, _("❌ Not yet: {label} is not the answer.").format(label=label), case.hints(), option=chosen)


def _evaluate_reflection(expected: str, answer: object) -> Feedback:
    """An open answer is not graded right or wrong: once written, the model answer is shown to compare."""
    words = _answers.word_count(answer) if isinstance(answer, str) else 0
    if words < REFLECTION_WORDS:
        return _not_read(_("write your answer in a few sentences first (at least {minimum} words; you wrote {count}), then "
                           "check again to compare with a model answer.").format(minimum=REFLECTION_WORDS, count=words))
    if _answers.is_filler(answer):
        return _not_read(_("this reads as filler (a word repeated, or only a few different words): write your own "
                           "sentences, then check again to compare with a model answer."))
    return Feedback(True, _("📝 Noted ({count} words). Compare with a model answer: {model}").format(count=words, model=expected))


def judge(q: Question, v: Variant, expected: object, answer: object, unit: str | None, attempt: int) -> Feedback:
    """The verdict on ``answer`` to ``q`` for the variant ``v`` whose answer is ``expected``, at
    the ``attempt``-th real attempt (see :func:`course_lib.exercises.evaluate`)."""
    case = _Case(q, v, _values(q, v), attempt)
    if _untouched(answer):
        return Feedback(False, _("⏳ Not answered yet: replace {answer} with your answer, {what}, and run the cell again.").format(
            answer=repr(answer), what=_what(expected, case)), [], attempted=False)
    if q.kind == "reflection":
        return _evaluate_reflection(str(expected), answer)
    if isinstance(expected, pint.Quantity):
        try:
            return _evaluate_number(case, expected, answer, unit)
        except (ArithmeticError, pint.errors.PintError):  # a number too large, or a unit no arithmetic fits
            return _not_read(_("{answer} cannot be read as {asked}.").format(answer=repr(answer), asked=_asked_for(expected)))
    if isinstance(expected, Mapping):
        return _evaluate_sorting(case, expected, answer)
    if isinstance(expected, (list, tuple, set, frozenset)):
        return _evaluate_list(case, list(expected), answer)
    return _evaluate_choice(case, expected, answer)
