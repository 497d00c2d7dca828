"""Feedback measured on a corpus of student answers (``tests/feedback_corpus/<topic>.toml``).

Each student has numbers of their own, so the corpus holds no answers, only *forms* of answers:
templates that write the student's expected answer (or a likely wrong one) the way people type
it, such as ``"{x|sig3|group: } {unit|lower}"`` (three significant digits, a space between
thousands, the unit in lower case) or ``"({letter})"`` (the option's letter in parentheses).
The corpus is run for several students, and three shares are measured and printed:

* right answers accepted (target: at least 97 %);
* slips named correctly: the reply holds the diagnosis a teacher would give, or one of the
  diagnoses listed where two fit equally (target: at least 85 %);
* misleading replies, among all replies: a wrong diagnosis, a wrong option suggested (or an
  internal id), a right answer called wrong (target: at most 1 %);

and no answer may raise or get a reply of more than three lines.

The template language (see ``tests/feedback_corpus/README.md``): ``{source|op|op...}``.
Sources: ``x`` (the expected number, in the question's unit), ``slip:KEY`` (the question's own
likely wrong answer whose diagnosis is ``explanations.KEY``), ``also:KEY`` (another right answer),
``unit``, ``letter``, ``id``, ``label``, ``otherN`` (the N-th wrong option as the student sees the
options), ``data:TABLE:COLUMN`` (the dataset row of the expected option), ``items`` (a list
answer). A template may start with ``float:``, ``int:``, ``quantity:``, ``unit=U:``, ``list:`` or
``py:`` to give a Python object instead of text. A slip form that is a right answer for a student's
numbers (within the tolerance), or that two of the question's own slips share, is left out for
that student: no diagnosis can be asked of it.
"""

from __future__ import annotations

import ast
import functools
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pint
import pytest

from course_lib import _judge, data, exercises, formats, variants
from course_lib.units import Q_

CORPUS = Path(__file__).resolve().parent / "feedback_corpus"
#: The default numbers (no identity) and a handful of students, each with numbers of their own.
STUDENTS: tuple[str | None, ...] = (None, "alice", "bob", "carol", "dmitri", "eun-ji park", "s1234567")
TARGETS = {"right": 0.97, "slips": 0.85, "misleading": 0.01}
#: Words that mark a diagnosis in a reply: one that names the wrong slip misleads.
DIAGNOSIS_MARKS = ("looks like", "times the answer:", "of the answer:", "inverted", "squared", "square root",
                   "it is the inverse", "mixed with")
STOP_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "and", "or", "is", "it", "its", "as", "by", "for",
              "be", "not", "no", "but", "so", "that", "this", "with", "from", "than", "more", "less", "each", "every"}


class CorpusError(ValueError):
    """A corpus entry that cannot be written for a student (a fault of the corpus, not of the engine)."""


class NotApplicable(Exception):
    """A form that does not exist for this student's numbers (no unique word, no thousands, ...)."""


# ---- numbers written as people write them ----------------------------------------------------

def _plain(x: float, sig: int | None) -> str:
    """``x`` in plain decimals (never 1e+05), rounded to ``sig`` significant digits if given."""
    if sig is None:
        text = repr(float(x))
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
    else:
        text = format(Decimal(f"{float(x):.{sig}g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _group(text: str, sep: str) -> str:
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if len(whole) < 4:
        raise NotApplicable("no thousands to group")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + sep.join(groups) + ("." + frac if frac else "")


SEPARATORS = {"space": " ", "thin": "\u2009", "nbsp": "\u00a0", "nnbsp": "\u202f", "comma": ",", "dot": ".",
              "apostrophe": "'"}


def _scientific(x: float, sig: int, style: str) -> str:
    if x == 0:
        raise NotApplicable("zero has no exponent")
    exponent = math.floor(math.log10(abs(x)))
    mantissa = _plain(x / 10**exponent, sig)
    if mantissa.lstrip("-").startswith("10"):
        mantissa, exponent = _plain(float(mantissa) / 10, sig), exponent + 1
    return {"py": format(x, f".{sig - 1}e"), "e": f"{mantissa}e{exponent}", "E": f"{mantissa}E+{exponent:02d}" if exponent >= 0 else f"{mantissa}E{exponent:03d}",
            "x10": f"{mantissa}×10^{exponent}", "x": f"{mantissa} x 10^{exponent}", "*": f"{mantissa}*10**{exponent}",
            "sup": f"{mantissa}·10{str(exponent).translate(str.maketrans('-0123456789', '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'))}"}[style]


# ---- one student's view of one question ----------------------------------------------------------

@dataclass
class View:
    """What a student sees of a question, and what its answer is for them."""

    question_id: str
    student: str | None
    question: Any
    expected: Any
    values: dict = field(default_factory=dict)

    @functools.cached_property
    def variant(self) -> variants.Variant:
        return exercises.variant(self.question_id, self.student)

    @functools.cached_property
    def unit(self) -> str | None:
        q = self.question
        if not isinstance(self.expected, pint.Quantity):
            return None
        return q.unit if q.unit is not None else format(self.expected.units)

    def magnitude(self, value: pint.Quantity) -> float:
        unit = self.unit or ""
        return float(value.to(unit).magnitude)

    @functools.cached_property
    def order(self) -> list[str]:
        return _judge._order(self.question, self.student)

    @functools.cached_property
    def letters(self) -> dict[str, str]:
        """option id -> the letter this student sees (empty when options are not lettered)."""
        return {c: letter for letter, c in _judge._letters(self.question, self.student).items()}

    # What the question computes for this student's numbers (its text's values, its likely wrong
    # answers, its other right answers), computed once per student and question: each runs the
    # question's model, and every form of the corpus for this student reads them.
    @functools.cached_property
    def filled(self) -> dict:
        return _judge._values(self.question, self.variant)

    @functools.cached_property
    def slips(self) -> list:
        q = self.question
        return list(q.slips(self.variant)) if q.slips else []

    @functools.cached_property
    def also(self) -> list:
        q = self.question
        return list(q.also(self.variant)) if q.also else []

    @functools.cached_property
    def labels(self) -> dict[str, str]:
        q = self.question
        return {c: _judge._fill(q.labels.get(c, c), self.filled) for c in q.choices}

    def fill(self, text: str) -> str:
        return _judge._fill(text, self.filled)

    def own_slip(self, key: str) -> tuple[pint.Quantity, str]:
        q = self.question
        if key not in q.explanations:
            raise CorpusError(f"{self.question_id}: no explanation {key!r} (it has {sorted(q.explanations)})")
        meaning = q.explanations[key]
        found = [(value, text) for value, text in self.slips if text == meaning]
        found += [(value, text) for value, text in self.also if text == meaning]
        if not found:
            raise CorpusError(f"{self.question_id}: no slip or also whose diagnosis is explanations.{key}")
        value, text = found[0]
        if not isinstance(value, pint.Quantity):
            value = Q_(float(value), self.expected.units)
        return value, self.fill(text)

    def wrong_options(self) -> list[str]:
        return [c for c in self.order if c != self.expected]

    def shown(self, option: str) -> str:
        """How the student names an option most simply: its letter, else its id."""
        return self.letters.get(option, option)

    @functools.cached_property
    def names(self) -> dict[str, list[str]]:
        """Each option's label and its other names (the article's row labels)."""
        q = self.question
        found = getattr(q, "aliases", None)  # other names of the options, where the question gives them
        extra = found(self.variant) if found else {}
        return {c: [self.labels[c], *(str(n) for n in extra.get(c, ()))] for c in q.choices}

    def unique_word(self, option: str) -> str:
        words = _words(self.labels[option])
        others = set().union(*(_words(n) for c in self.question.choices if c != option for n in self.names[c]))
        unique = [w for w in words if w not in others and w not in STOP_WORDS and len(w) > 3 and not w.isdigit()]
        if not unique:
            raise NotApplicable(f"no word of {self.labels[option]!r} is unique")
        return max(unique, key=len)  # the word a person would pick: the longest (the first of equals)

    def explanation(self, option: str) -> str:
        text = self.question.explanations.get(option)
        return self.fill(text) if text else self.labels.get(option, option)


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.replace("æ", "ae").replace("ø", "o"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


@functools.cache
def _dataset(name: str) -> pd.DataFrame:
    return data.load(name)


# ---- the template language --------------------------------------------------------------------------

def _source(view: View, name: str) -> Any:
    if name == "x":
        return view.magnitude(view.expected)
    if name.startswith("slip:"):
        return view.magnitude(view.own_slip(name[5:])[0])
    if name.startswith("also:"):
        return view.magnitude(view.own_slip(name[5:])[0])
    if name == "unit":
        return formats.unit(view.unit or "")
    if name in ("letter", "id", "label"):
        if not view.question.choices:
            raise CorpusError(f"{view.question_id} has no options")
        return {"letter": view.letters.get(view.expected) or _na("options are not lettered"), "id": view.expected,
                "label": view.labels.get(view.expected)}[name]
    match = re.fullmatch(r"other(\d+)", name)
    if match:
        wrong = view.wrong_options()
        index = int(match.group(1)) - 1
        if index >= len(wrong):
            raise NotApplicable(f"only {len(wrong)} wrong options")
        return _Option(view, wrong[index])
    if name.startswith("data:"):
        _, table, column = name.split(":")
        frame = _dataset(table).set_index("id")
        if view.expected not in frame.index:
            raise NotApplicable(f"no row {view.expected!r} in {table}")
        return str(frame.loc[view.expected, column])
    if name == "items":
        return [str(item) for item in view.expected]
    if name == "word":
        return view.unique_word(view.expected)
    if name == "model":
        if view.question.kind != "reflection":
            raise CorpusError(f"{view.question_id} is no reflection")
        return str(view.expected)
    raise CorpusError(f"unknown source {name!r}")


def _na(why: str) -> Any:
    raise NotApplicable(why)


@dataclass
class _Option:
    view: View
    option: str


def _apply(view: View, value: Any, op: str) -> Any:
    head = re.match(r"[A-Za-z_]+|\*|/|\+", op)
    if not head:
        raise CorpusError(f"unknown operation {op!r}")
    name, arg = head.group(0), op[head.end():].removeprefix(":")
    if isinstance(value, _Option):
        option = value.option
        if name == "letter":
            return view.letters.get(option) or _na("options are not lettered")
        if name == "label":
            return view.labels[option]
        if name == "id":
            return option
        if name == "word":
            return view.unique_word(option)
        if name == "shown":
            return view.shown(option)
        raise CorpusError(f"unknown option operation {op!r}")
    if isinstance(value, list):  # a list answer
        if name == "letters":
            return [view.letters.get(v) or _na("options are not lettered") for v in value]
        if name == "labels":
            return [view.labels.get(v, v) for v in value]
        if name == "reverse":
            return list(reversed(value))
        if name == "drop":
            if len(value) < 2:
                raise NotApplicable("a single item")
            return value[1:]
        if name == "extra":  # a wrong option added
            wrong = [c for c in view.order if c not in view.expected] or _na("no wrong option")
            return value + [wrong[0]]
        if name == "swap":  # the last item replaced by a wrong option
            wrong = [c for c in view.order if c not in view.expected] or _na("no wrong option")
            return value[:-1] + [wrong[0]]
        if name == "plus":  # an item that is no answer at all
            return value + [arg]
        if name == "join":
            return (arg or ", ").join(value)
        if name == "and":
            return value[0] if len(value) == 1 else ", ".join(value[:-1]) + " and " + value[-1]
        if name in ("lower", "upper"):
            return [getattr(v, name)() for v in value]
        if name == "ascii":
            return [_ascii(v) for v in value]
        if name == "repr":
            return repr(value)
        raise CorpusError(f"unknown list operation {op!r}")
    if isinstance(value, float):
        if name == "*":
            return value * float(arg)
        if name == "/":
            return value / float(arg)
        if name == "sq":
            return value * value
        if name == "sqrt":
            return math.sqrt(value) if value > 0 else _na("no square root")
        if name == "inv":
            return 1 / value if value else _na("zero")
        if name == "neg":
            return -value
        if name == "+":
            return value + float(arg)
        if name == "hm":  # hours written as hours and minutes: 2 h 45 min
            hours, minutes = int(value), round((value - int(value)) * 60)
            if not hours or not minutes or minutes == 60:
                raise NotApplicable("whole hours, or less than one")
            return f"{hours} h {minutes} min"
        if name == "hmdot":  # the slip 2 h 30 min written 2.30
            hours, minutes = int(value), round((value - int(value)) * 60)
            if not minutes or minutes == 60:
                raise NotApplicable("whole hours")
            return f"{hours}.{minutes:02d}"
        if name == "in":
            return float(Q_(value, view.unit or "").to(arg).magnitude)
        if name == "sig":
            return _plain(value, int(arg))
        if name == "int":
            return str(int(round(value)))
        if name == "sci":
            style, _, sig = arg.partition(",")
            return _scientific(value, int(sig or 3), style)
        if name == "words":
            sig = int(arg or 3)
            for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
                if abs(value) >= size:
                    return f"{_plain(value / size, sig)} {word}"
            raise NotApplicable("too small for a word")
        return _apply(view, _plain(value, 4), op)
    if isinstance(value, str):
        if name == "group":
            return _group(value, SEPARATORS[arg])
        if name == "comma":
            if "." not in value:
                raise NotApplicable("no decimals for a decimal comma")
            return value.replace(".", "\u0000").replace(",", ".").replace("\u0000", ",")
        if name == "lower":
            return value.lower()
        if name == "upper":
            return value.upper()
        if name == "title":
            return value.title()
        if name == "ascii":
            return _ascii(value)
        if name == "prefix":
            words = value.split()
            if len(words) <= int(arg):
                raise NotApplicable("the label is that short")
            prefix = " ".join(words[: int(arg)]).rstrip(",:;")
            others = [view.labels[c] for c in view.question.choices if view.labels.get(c) != value]
            if any(_words(o)[: len(_words(prefix))] == _words(prefix) for o in others):
                raise NotApplicable("another option starts the same way")
            return prefix
        if name == "nopunct":
            return re.sub(r"[^\w\s]", "", value)
        if name == "pow10":  # '3' (powers of ten) as the ratio it counts: '1000'
            return str(10 ** int(value))
        if name == "gridlines":  # powers of ten counted as gridlines (three powers each)
            return str(int(value) // 3) if int(value) % 3 == 0 and int(value) > 3 else _na("not whole gridlines")
        if name == "words":  # the first N words of a text
            words = value.split()
            return " ".join(words[: int(arg)])
        if name == "number":  # the first number of a label such as '320 t/yr'
            found = re.search(r"-?\d[\d,.]*", value) or _na("no number in the label")
            return found.group(0).rstrip(".,")
        if name == "digits":  # 'three to five' written '3 to 5'
            numbers = dict(zip("one two three four five six seven eight nine ten eleven twelve".split(), range(1, 13)))
            changed = re.sub(r"\b(" + "|".join(numbers) + r")\b", lambda m: str(numbers[m.group(1)]), value)
            return changed if changed != value else _na("no number word")
        raise CorpusError(f"unknown text operation {op!r}")
    raise CorpusError(f"operation {op!r} on {value!r}")


def _ascii(text: str) -> str:
    text = text.replace("³", "3").replace("²", "2").replace("æ", "ae").replace("Æ", "Ae").replace("·", "*")
    text = text.replace("ø", "o").replace("Ø", "O").replace("å", "a")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def render(view: View, template: str) -> tuple[Any, str | None]:
    """The answer a template writes for this student, and the ``unit=`` argument if any."""
    kind, unit = "text", None
    head = re.match(r"^(float|int|quantity|list|py|unit=[^:]+):", template)
    if head:
        kind, template = head.group(1), template[head.end():]
        if kind.startswith("unit="):
            kind, unit = "float", kind[5:]
    if kind == "py":
        return ast.literal_eval(template) if template not in ("nan", "inf") else float(template), None

    def field_value(match: re.Match) -> str:
        source, *ops = match.group(1).split("|")
        value = _source(view, source.strip())
        for op in ops:
            value = _apply(view, value, op.strip())
        if isinstance(value, float):
            value = _plain(value, 4)
        if isinstance(value, _Option):
            value = view.shown(value.option)
        return value if isinstance(value, str) else repr(value)

    if kind == "list":
        match = re.fullmatch(r"\{([^{}]+)\}", template.strip())
        if not match:
            raise CorpusError(f"list: takes one field, got {template!r}")
        source, *ops = match.group(1).split("|")
        value = _source(view, source.strip())
        for op in ops:
            value = _apply(view, value, op.strip())
        return value, None
    text = re.sub(r"\{([^{}]+)\}", field_value, template)
    if kind == "float":
        return float(text), unit
    if kind == "int":
        return int(text), unit
    if kind == "quantity":
        magnitude, _, unit_text = text.partition(" ")
        return Q_(float(magnitude), unit_text or ""), None
    return text, None


# ---- judging one reply --------------------------------------------------------------------------

@dataclass
class Outcome:
    group: str  # right, slips, unusable
    kind: str  # number, option, list, text: what the question asks for
    question_id: str
    student: str | None
    template: str
    answer: Any
    reply: str = ""
    ok: bool = False
    misleading: str = ""
    error: str = ""

    def line(self) -> str:
        why = self.error or self.misleading or "not " + {"right": "accepted", "slips": "named", "unusable": "handled"}[self.group]
        return f"{self.question_id} [{self.student}] {self.group} {self.template!r} -> {self.answer!r}: {why} | {self.reply}"


def _suggestions(message: str) -> list[str]:
    return re.findall(r"did you mean '([^']*)'", message)


def _suggests_internal_id(view: View, message: str) -> str:
    shown = {v.casefold() for v in view.letters.values()} | {_norm(v) for v in view.labels.values()}
    for suggestion in _suggestions(message):
        if suggestion.casefold() not in shown and _norm(suggestion) not in shown:
            return f"suggests {suggestion!r}, which the student never saw"
    return ""


def _norm(text: str) -> str:
    return " ".join(_words(text))


def judge_right(view: View, answer: Any, unit: str | None, reply: _judge.Feedback) -> tuple[bool, str]:
    message = reply.message
    if reply.correct:
        return True, ""
    misled = _suggests_internal_id(view, message)
    if reply.attempted:
        misled = misled or "a right answer called wrong"
    elif "not a unit the course knows" in message or "but the question asks for" in message or _suggestions(message):
        misled = misled or "a right form called wrong"
    return False, misled


def judge_slip(view: View, says: list[str], reply: _judge.Feedback) -> tuple[bool, str]:
    message = reply.message
    if reply.correct:
        return False, "a slip called right"
    misled = _suggests_internal_id(view, message)
    named = any(phrase.casefold() in message.casefold() for phrase in says)
    if not named and any(mark in message.casefold() for mark in DIAGNOSIS_MARKS):
        misled = misled or "another diagnosis"
    return named, misled


def judge_unusable(view: View, reply: _judge.Feedback) -> tuple[bool, str]:
    message = reply.message
    if reply.correct:
        return False, "an unusable answer called right"
    misled = _suggests_internal_id(view, message)
    if any(mark in message.casefold() for mark in DIAGNOSIS_MARKS):
        misled = misled or "a diagnosis for an unusable answer"
    return True, misled


def _says(view: View, says: str, option: str | None) -> str:
    """The phrase the reply must hold: a catalogue phrase, a question's own diagnosis, an option's."""
    if says.startswith("own:"):
        if says[4:] not in view.question.explanations:  # a slip the question does not declare: never named
            return f"<the question declares no slip {says[4:]!r}>"
        return view.own_slip(says[4:])[1][:60]
    if says == "explanation":
        if option is None:
            raise CorpusError(f"{view.question_id}: 'explanation' names an option's explanation; the answer picks none")
        return view.explanation(option)[:60]
    if says == "label":
        if option is None:
            raise CorpusError(f"{view.question_id}: 'label' names an option; the answer picks none")
        return view.labels[option]
    return says


def _not_a_slip_here(view: View, template: str, says: str | list[str] | None) -> bool:
    """A slip form that, for this student's numbers, is a right answer (within the tolerance at the
    precision it is written with), or that two of the question's own slips share: no test of a diagnosis."""
    q = view.question
    right = view.magnitude(view.expected)
    tolerance = max(q.rel_tol, 0.005) * 2
    source = re.search(r"\{(slip:[a-z_0-9]+|x)([^}]*)\}", template)
    if source is None or not right:
        return False
    value = float(_source(view, source.group(1)))
    for op in [o for o in source.group(2).split("|") if o and not o.startswith(("sig", "group", "comma", "words", "sci"))]:
        value = float(_apply(view, value, op))
    suffix = template[source.end():].strip()
    try:  # the number is read in the unit written after it, if pint reads it as one of the kind asked
        value = float(Q_(value, suffix).to(view.unit or "").magnitude) if suffix else value
    except Exception:  # noqa: BLE001 - a unit pint does not read: the number is read in the question's unit
        pass
    if abs(value / right - 1) <= tolerance:
        return True
    if source.group(1).startswith("slip:"):
        key = source.group(1)[5:]
        meaning = q.explanations.get(key)
        for other, text in view.slips:
            other = other if isinstance(other, pint.Quantity) else Q_(float(other), view.expected.units)
            if text != meaning and other.dimensionality == view.expected.dimensionality:
                theirs = view.magnitude(other)
                if theirs and abs(value / theirs - 1) <= tolerance:
                    return True
    return False


def _picked_option(view: View, template: str) -> str | None:
    match = re.search(r"\{(other\d+)", template)
    if not match:
        return None
    wrong = view.wrong_options()
    index = int(match.group(1)[5:]) - 1
    return wrong[index] if index < len(wrong) else None


def run_entry(view: View, group: str, template: str, says: str | list[str] | None) -> Outcome | None:
    try:
        answer, unit = render(view, template)
    except NotApplicable:
        return None
    kind = ("number" if isinstance(view.expected, pint.Quantity) else "list" if isinstance(view.expected, (list, tuple))
            else "text" if view.question.kind == "reflection" else "option")
    outcome = Outcome(group, kind, view.question_id, view.student, template, answer)
    if group == "slips" and isinstance(view.expected, pint.Quantity) and _not_a_slip_here(view, template, says):
        return None
    try:
        reply = exercises.evaluate(view.question_id, answer, unit, student=view.student, attempt=1)
    except Exception as exc:  # noqa: BLE001 - an exception is what is measured
        outcome.error = f"raised {type(exc).__name__}: {exc}"
        return outcome
    outcome.reply = str(reply)
    if outcome.reply.count("\n") + 1 > 3:
        outcome.misleading = "more than three lines"
    if group == "right":
        outcome.ok, misled = judge_right(view, answer, unit, reply)
    elif group == "slips":
        phrases = [_says(view, one, _picked_option(view, template)) for one in ([says] if isinstance(says, str) else says or [])]
        outcome.ok, misled = judge_slip(view, phrases, reply)
    else:
        outcome.ok, misled = judge_unusable(view, reply)
    outcome.misleading = outcome.misleading or misled
    return outcome


# ---- the corpus -------------------------------------------------------------------------------------

@functools.cache
def corpus() -> dict[str, dict]:
    """Question id -> its corpus entry (right, slips, unusable), from every topic's file."""
    entries: dict[str, dict] = {}
    for path in sorted(CORPUS.glob("*.toml")):
        with path.open("rb") as handle:
            table = tomllib.load(handle)
        for name, entry in table.items():
            entries[f"{path.stem}.{name}"] = entry
    return entries


def run(students: tuple[str | None, ...] = STUDENTS) -> list[Outcome]:
    outcomes = []
    for question_id, entry in corpus().items():
        q = exercises.question(question_id)
        for student in students:
            view = View(question_id, student, q, exercises.expected(question_id, student))
            for template in entry.get("right", []):
                outcomes.append(run_entry(view, "right", template, None))
            for slip in entry.get("slips", []):
                outcomes.append(run_entry(view, "slips", slip["answer"], slip["says"]))
            for template in entry.get("unusable", []):
                outcomes.append(run_entry(view, "unusable", template, None))
    return [o for o in outcomes if o is not None]


def shares(outcomes: list[Outcome]) -> dict[str, Any]:
    right = [o for o in outcomes if o.group == "right"]
    slips = [o for o in outcomes if o.group == "slips"]
    return {
        "right": (sum(o.ok for o in right), len(right)),
        "slips": (sum(o.ok for o in slips), len(slips)),
        "number slips": (sum(o.ok for o in slips if o.kind == "number"), sum(o.kind == "number" for o in slips)),
        "number answers": (sum(o.ok for o in right if o.kind == "number"), sum(o.kind == "number" for o in right)),
        "misleading": (sum(bool(o.misleading) for o in outcomes), len(outcomes)),
        "exceptions": sum(bool(o.error) for o in outcomes),
        "max_lines": max((o.reply.count("\n") + 1 for o in outcomes if o.reply), default=0),
    }


def summary(found: dict[str, Any], who: str) -> str:
    def share(key: str) -> str:
        k, n = found[key]
        return f"{k}/{n} = {k / n:.1%}" if n else "0/0"

    return (f"{who}: right answers accepted {share('right')} (numbers {share('number answers')}); "
            f"slips named {share('slips')} (numbers {share('number slips')}); "
            f"misleading replies {share('misleading')}; exceptions {found['exceptions']}; "
            f"longest reply {found['max_lines']} lines")


@pytest.fixture(scope="module")
def outcomes() -> dict[str | None, list[Outcome]]:
    return {student: run((student,)) for student in STUDENTS}


def test_the_corpus_covers_every_question_with_enough_forms():
    entries = corpus()
    for question_id in exercises.questions():
        assert question_id in entries, f"{question_id} has no entry in tests/feedback_corpus/"
        entry = entries[question_id]
        reflection = exercises.question(question_id).kind == "reflection"
        assert len(entry.get("right", [])) >= (5 if reflection else 10), question_id
        assert reflection or len(entry.get("slips", [])) >= 5, question_id
        assert len(entry.get("unusable", [])) >= 5, question_id
    assert set(entries) <= set(exercises.questions()), set(entries) - set(exercises.questions())


def test_no_reply_is_longer_than_three_lines_at_any_attempt():
    """Later attempts add hints: the reply still fits in three lines (the verdict, the newest hints)."""
    for question_id in exercises.questions():
        q = exercises.question(question_id)
        expected = exercises.expected(question_id, None)
        wrong: Any
        if isinstance(expected, pint.Quantity):
            wrong = float(expected.magnitude) * 7.3 + 1
        elif isinstance(expected, list):
            wrong = [c for c in q.choices if c not in expected][:1] or ["nobody"]
        elif q.choices:
            wrong = next(c for c in q.choices if c != expected)
        else:
            wrong = "one two three"
        for attempt in range(1, len(q.hints) + 3):
            verdict = exercises.evaluate(question_id, wrong, student=None, attempt=attempt)
            reply = str(verdict)
            assert reply.count("\n") + 1 <= 3, f"{question_id}, attempt {attempt}: {reply}"
            assert reply.count("Hint:") == min(len(verdict.hints), 2), reply


def test_feedback_on_the_corpus_meets_its_targets(outcomes, capsys):
    every = [o for found in outcomes.values() for o in found]
    lines = [summary(shares(found), "default numbers" if student is None else f"student {student!r}")
             for student, found in outcomes.items()]
    total = shares(every)
    lines.append(summary(total, "all students"))
    failures = [o.line() for o in every if o.error or o.misleading or not o.ok]
    report = "\n".join(["", "Feedback corpus (tests/feedback_corpus):", *lines])
    with capsys.disabled():
        print(report)
    detail = report + "\nFirst failures:\n" + "\n".join(failures[:40])
    assert total["exceptions"] == 0, detail
    assert total["max_lines"] <= 3, detail
    for student, found in outcomes.items():
        measured = shares(found)
        k, n = measured["right"]
        assert k >= TARGETS["right"] * n, detail
        k, n = measured["slips"]
        assert k >= TARGETS["slips"] * n, detail
        k, n = measured["misleading"]
        assert k <= TARGETS["misleading"] * n, detail
