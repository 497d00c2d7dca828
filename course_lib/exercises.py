"""Exercises: each student's own numbers, and instant feedback that diagnoses.

A topic's questions are *data*: ``course_lib/<topic>/questions.toml`` holds every prompt, hint,
option, explanation and rubric, keyed by the question's name, and the topic's ``questions``
module holds only the functions that compute the expected answers from a student's variant
(:mod:`course_lib.variants`; the ranges are in ``datasets/exercise_variants_<topic>.csv``), with
the topic's own models, never a copy of them, so adapted data give consistent answers. Beside
``<name>``, ``<name>_slips`` gives likely wrong answers (each diagnosis named by its key in the
question's ``explanations``) and ``<name>_shows`` the derived values a prompt needs. Question
ids read ``"<topic>.<name>"``; the topic is loaded on demand, found on disk, never listed here.
``course_lib/questions.schema.json`` says what a question file may hold.

In a notebook, :func:`ask` shows an exercise with the student's own numbers and returns them;
:func:`check` judges an answer to that variant:

>>> from course_lib.exercises import check, evaluate
>>> check("start.food_day_kwh", 2.32)
✅ Correct: 2.32 kWh (expected 2.324 kWh, within 0.4%).
>>> check("start.food_day_kwh", 8368, "kJ")
✅ Correct: 8,368 kJ = 2.324 kWh (expected 2.324 kWh, within 0.4%).

The first wrong attempt gets the diagnosis; each later one adds the next hint. An untouched
placeholder (``answer = None``) is not an attempt:

>>> print(evaluate("start.food_day_kwh", 3.5, attempt=1))
❌ Not yet: 3.5 kWh is 51% too high (expected within 0.4%).
>>> print(evaluate("start.food_day_kwh", 3.5, attempt=2))
❌ Not yet: 3.5 kWh is 51% too high (expected within 0.4%).
   Hint: 1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ.
>>> print(evaluate("start.food_day_kwh", None))
⏳ Not answered yet: replace None with your answer, a number of kWh, and run the cell again.

Numbers without a unit are read in the question's unit; pint quantities in any unit of the same
dimension are converted first, so an answer in MJ is right if it equals the expected kWh.
"""

from __future__ import annotations

import copy
import importlib
import importlib.resources
import json
import os
import tomllib
from collections.abc import Mapping
from types import ModuleType
from typing import Any, Callable

import pint

from . import _answers, _topics, attempts, checks, data, formats, i18n, identity, variants
from ._judge import KINDS, REFLECTION_WORDS, Feedback, Question, _fill, _letters, _values, judge, option_of
from .i18n import _
from .variants import Variant

__all__ = ["Question", "Feedback", "REFLECTION_WORDS", "check", "evaluate", "ask", "variant", "expected", "expected_text",
           "question", "questions", "from_data", "prompt", "option_named", "KINDS", "FIELDS", "ANSWER_LOG", "CURRENT"]

_REGISTRY: dict[str, "Question"] = {}

#: The keys a question may have in a topic's ``questions.toml`` (see ``questions.schema.json``).
FIELDS = ("kind", "title", "prompt", "unit", "rel_tol", "hints", "choices", "explanations", "shuffle",
          "answer", "expected", "also", "slips", "shows", "aliases", "rubric", "model_answer")
class _Current:
    """The marker for "the identity in force" (:func:`course_lib.identity.current`)."""

    def __repr__(self) -> str:
        return "CURRENT"


#: Default of every ``student`` argument: the identity in force where the call runs.
CURRENT: Any = _Current()


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
    for key in [k for k in _ANSWERS if k[1] == question.id]:
        del _ANSWERS[key]
    return question


def _constant(answer: object) -> Callable[[Variant], object]:
    """An answer that is the same for every variant: an option id, a list, a model answer's text."""
    def same(v: Variant) -> object:
        return answer
    return same


def _function(functions: object, name: str, question_id: str, key: str) -> Callable[..., Any]:
    found = getattr(functions, name, None) if not isinstance(functions, Mapping) else functions.get(name)
    if not callable(found):
        raise ValueError(f"question {question_id!r}: {key} = {name!r} names no function of its questions module")
    return found


def _explained(found: Callable[[Variant], Any], explanations: Mapping[str, str]) -> Callable[[Variant], list]:
    """A slips or also function whose diagnoses may name a key of the question's ``explanations``:
    the key is replaced by its words, so each sentence is written once, in the question file."""
    def resolved(v: Variant) -> list:
        return [(value, explanations.get(said, said)) for value, said in found(v)]
    return resolved


#: How many variants' slips, shows, also and aliases each question keeps (then it starts afresh).
_PER_VARIANT_KEPT = 4096


def _per_variant(found: Callable[[Variant], Any]) -> Callable[[Variant], Any]:
    """``found`` computed once per variant and data folder, a copy handed out each time.

    Judging an answer computes the question's slips, its shown values and its other right answers
    for the student's numbers, each a model run; a student's next attempt, the grader's re-run and
    the feedback tests ask for the same ones again. Only what ``found`` returns for one variant is
    kept, so a question registered again (new functions) starts with nothing kept.
    """
    kept: dict[tuple, Any] = {}

    def once(v: Variant) -> Any:
        try:
            key = (str(data.data_dir()), v.question, v.student, tuple(v.numbers.items()), tuple(v.units.items()),
                   tuple(v.labels.items()))
            hash(key)
        except (AttributeError, TypeError):  # not a Variant, or numbers that cannot be a key: computed each time
            return found(v)
        if key not in kept:
            if len(kept) >= _PER_VARIANT_KEPT:
                kept.clear()
            kept[key] = found(v)
        value = kept[key]
        return copy.copy(value) if isinstance(value, (list, dict)) else value

    return once


def from_data(topic: str, table: Mapping[str, Mapping[str, Any]], functions: object) -> list[Question]:
    """The questions of ``topic`` from its question data (a parsed ``questions.toml``).

    ``functions`` is the topic's ``questions`` module (or a mapping of names to functions): the
    expected answer of question ``name`` is ``functions.name(variant)`` unless the data give a
    fixed ``answer``, another function (``expected``) or a ``model_answer`` (reflections). A
    ``slips`` or ``also`` function may give each diagnosis as a key of the question's
    ``explanations``.
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
            compute = _constant(fixed)
        elif "model_answer" in entry:
            compute = _constant(str(entry["model_answer"]).strip())  # filled with the question's `shows` values
        else:
            compute = _function(functions, entry.get("expected", name), question_id, "expected")
        choices = entry.get("choices", {})
        explanations = dict(entry.get("explanations", {}))
        optional = {key: _function(functions, entry[key], question_id, key) for key in ("also", "slips", "shows", "aliases")
                    if key in entry}
        for key in ("also", "slips"):
            if key in optional:
                optional[key] = _explained(optional[key], explanations)
        optional = {key: _per_variant(function) for key, function in optional.items()}
        found.append(Question(
            id=question_id, prompt=str(entry["prompt"]).strip(), expected=compute,
            unit=entry.get("unit"), rel_tol=float(entry.get("rel_tol", 0.02)),
            hints=tuple(entry.get("hints", ())), choices=tuple(choices), labels=dict(choices),
            explanations=explanations, kind=str(entry["kind"]),
            rubric=tuple(entry.get("rubric", ())), shuffle=bool(entry.get("shuffle", False)),
            title=str(entry.get("title", "")), **optional))
    return found


#: The fields of a question that a student reads: each text is translated on its own, keyed
#: ``<question id>/<field>[/<item>]`` in the ``questions`` catalogue (:mod:`course_lib.i18n`).
TEXT_FIELDS = ("title", "prompt", "hints", "choices", "explanations", "rubric", "model_answer")


def texts(topic: str, table: dict[str, Any], translate: Callable[[str, str], str] | None = None) -> list[tuple[str, str]]:
    """Every text of ``topic``'s question data ``table`` as ``(context, English)``; with
    ``translate``, each is also replaced in ``table`` by ``translate(context, English)``.

    >>> texts("t", {"q": {"kind": "number", "prompt": "How much?", "hints": ["Add."]}})
    [('t.q/prompt', 'How much?'), ('t.q/hints/0', 'Add.')]
    """
    found = []
    for name, entry in table.items():
        for field in TEXT_FIELDS:
            value = entry.get(field)
            items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else [(None, value)]
            for key, text in list(items):
                if not isinstance(text, str):
                    continue
                context = f"{topic}.{name}/{field}" + ("" if key is None else f"/{key}")
                found.append((context, text))
                if translate is not None:
                    if key is None:
                        entry[field] = translate(context, text)
                    else:
                        value[key] = translate(context, text)
    return found


def _load(topic: str) -> None:
    if topic not in _topics.topics("questions"):
        return
    module: ModuleType = importlib.import_module(f"{_PACKAGE}.{topic}.questions")
    try:
        text = importlib.resources.files(f"{_PACKAGE}.{topic}").joinpath("questions.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    table = tomllib.loads(text)
    if i18n.language() != "en":
        texts(topic, table, lambda context, english: i18n.pgettext(context, english))
    for q in from_data(topic, table, module):
        if q.id not in _REGISTRY:
            _register(q)


_LANGUAGE = ["en"]  # the language the registered questions are in


def _in_language() -> None:
    """Questions are read again when the course language changes (their texts are translated as read)."""
    if _LANGUAGE[0] != i18n.language():
        _REGISTRY.clear()
        _ANSWERS.clear()
        _LANGUAGE[0] = i18n.language()


_PACKAGE = __name__.rsplit(".", 1)[0]


def _question(question_id: object) -> Question:
    if not isinstance(question_id, str):
        raise TypeError(f"question_id must be a string such as 'start.food_day_kwh', got {question_id!r}")
    _in_language()
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
    _in_language()
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
    2000.0
    """
    _question(question_id)
    return variants.draw(question_id, _who(student))


def prompt(question_id: str, student: object = CURRENT) -> str:
    """The exercise as ``student`` sees it (Markdown): the prompt with their numbers, then the
    options lettered in their order.

    >>> print(prompt("start.food_day_kwh", None))
    A person eats 2,000 kcal in a day. How many kilowatt-hours is that? (three significant digits)
    """
    q, who = _question(question_id), _who(student)
    v = variants.draw(question_id, who)
    values = _values(q, v)
    text = _fill(q.prompt, values)
    if q.lettered:
        text += "\n\n" + "\n".join(_("* ({letter}) {option}").format(letter=letter, option=_fill(q.labels.get(c, c), values))
                                   for letter, c in _letters(q, who).items())
    return text


def _display(text: str, metadata: dict) -> None:
    """Show Markdown in a notebook (with ``metadata`` saved in the output), else print it."""
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is not None:
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
        whose = (_("*Your own numbers (for {student}).*").format(student=who) if who else
                 _("*The course's default numbers: give your name in notebook 00 to get your own.*"))
        text = f"{text}\n\n{whose}"
    title = f"**{q.title}** " if q.title else ""
    hub = os.environ.get(identity.HUB_ENV) or None
    _display(title + text, {"course": {"question": question_id, "student": who, "identity_from": where, "hub_user": hub}})
    return v


# Expected answers already computed, per data folder, question and student: a model run can take a
# tenth of a second, and check(), the grader and the answer key ask for the same answer again.
_ANSWERS: dict[tuple[str, str, str | None], object] = {}
_ANSWERS_KEPT = 50_000


#: The slip an answer looked up with :func:`expected` or :func:`expected_text` is logged with.
LOOKED_UP = "looked_up"


def _looked_up(q: Question, who: str | None) -> None:
    """Log a student's own answer looked up in their kernel as a wrong attempt: it leaves no clean first one."""
    v = variants.draw(q.id, who)
    attempts.record(q.id, who, v, "(looked up)", None, Feedback(False, "answer looked up", [], slip=LOOKED_UP))


def expected(question_id: str, student: object = CURRENT) -> object:
    """The expected answer of ``question_id`` for ``student``'s variant.

    Called for the student of this kernel (no ``student`` given), the look-up is written to the
    attempt log as a wrong attempt (slip :data:`LOOKED_UP`): the answer key is for the grader and
    the tests, and a student who reads it first has no first attempt left to score.
    """
    q = _question(question_id)
    who = _who(student)
    if student is CURRENT:
        _looked_up(q, who)
    key = (str(data.data_dir()), q.id, who)
    if key not in _ANSWERS:
        v = variants.draw(question_id, who)
        answer = q.expected(v)
        if isinstance(answer, str) and q.kind == "reflection":
            answer = _fill(answer, _values(q, v))
        if len(_ANSWERS) >= _ANSWERS_KEPT:
            _ANSWERS.clear()
        _ANSWERS[key] = answer
    answer = _ANSWERS[key]
    return copy.deepcopy(answer) if isinstance(answer, (list, dict)) else answer


def option_named(question_id: str, answer: object, student: object = CURRENT) -> object:
    """The option an answer names, by its words (a letter means another option to each student
    when options are shuffled, so logs and reports name the option itself); other answers as given.

    >>> option_named("start.error_argument", "b", None)
    'unit'
    """
    q = _question(question_id)
    if not q.choices or not isinstance(answer, str):
        return answer
    chosen = option_of(q, variants.draw(question_id, _who(student)), answer)
    return q.labels.get(chosen, chosen) if chosen is not None else answer


def expected_text(question_id: str, student: object = CURRENT) -> str:
    """The expected answer as a student would type it, in a form :func:`check` accepts:
    ``'2.906 kWh'``, ``'unit'`` (an option by its id, never by a letter that differs between
    students), ``'steam, gypsum'``."""
    q, who = _question(question_id), _who(student)
    if student is CURRENT:
        _looked_up(q, who)
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


def evaluate(question_id: str, answer: object, unit: str | None = None, *,
             student: object = CURRENT, attempt: int = 1) -> Feedback:
    """Judge ``answer`` to ``student``'s variant of question ``question_id``.

    ``attempt`` is the how-many-th real attempt this is: the first wrong one gets the diagnosis
    only, each later one the next hint as well. Like :func:`check`, every call is written to the
    attempt log (:mod:`course_lib.attempts`), numbered as the log counts, whatever ``attempt`` says:
    trying options here first leaves no clean first attempt. A student's answer never raises: text with a
    unit (``"2,9 kWh"``), a number typed as text, a label or a letter instead of an option id,
    even ``None`` gets a one-line verdict. Only a question id that does not exist raises
    (``ValueError``): that is the author's mistake.

    >>> print(evaluate("start.food_day_kwh", "2,32 kWh"))
    ✅ Correct: 2.32 kWh (expected 2.324 kWh, within 0.4%).
    >>> print(evaluate("start.food_day_kwh", 8.368, attempt=2))  # MJ typed where kWh is asked
    ❌ Not yet: 8.368 kWh is 3.6 times the answer: kWh mixed with MJ: 1 kWh = 3.6 MJ.
       Hint: 1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ.
    """
    feedback, v = _judged(question_id, answer, unit, _who(student), attempt)
    attempts.record(v.question, v.student, v, answer, unit, feedback)
    return feedback


def _judged(question_id: str, answer: object, unit: str | None, who: str | None, attempt: int) -> tuple[Feedback, Variant]:
    """The verdict and the variant judged, logging nothing: for check() (which logs itself) and the grader."""
    q = _question(question_id)
    if not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 1:
        raise ValueError(f"attempt={attempt!r} must be a whole number from 1")
    v = variants.draw(q.id, who)
    return judge(q, v, expected(q.id, v.student), answer, unit, attempt), v


#: When this environment variable names a file, every :func:`check` call appends the question id
#: and the answer to it, one JSON object a line: the course's own recorder, which the grader
#: (``python -m course_lib.grade``) reads and scores in its own process.
ANSWER_LOG = "COURSE_ANSWER_LOG"


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
    is counted in the attempt log (:mod:`course_lib.attempts`, kept beside the notebooks, so the
    count goes on after a restart): the first wrong one gets the diagnosis, later ones a hint more
    each. The output carries the question's whole history in its metadata (``{"course":
    {"attempts": [...]}}``), so a saved notebook holds it. When the grader runs a notebook, the
    answer is also recorded for it (see :data:`ANSWER_LOG`).
    """
    q = _question(question_id)
    who = identity.current()
    past = attempts.history(q.id, who)
    tried = attempts.next_attempt(q.id, who, past)
    verdict, v = _judged(q.id, answer, unit, who, tried)
    entry = attempts.record(q.id, who, v, answer, unit, verdict, tried)
    _record(question_id, answer, unit, who, entry["attempt"])
    text = str(verdict)
    _show(text, {"course": {"question": q.id, "attempts": [*past, entry]}})


def _show(text: str, metadata: dict) -> None:
    """Show plain text in a notebook (with ``metadata`` saved in the output), else print it."""
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is not None:
        display({"text/plain": text}, raw=True, metadata=metadata)
    else:
        print(text)
