"""Reading a student's answer and naming the usual slip: the private half of :mod:`course_lib.exercises`.

A student types ``"2,9 kWh"``, ``"1 922 W"``, ``"11.6 million cubic metres a year"``, ``"€54,652
per year"``, ``"(b)"`` or a word of an option's label. These functions turn what was typed into
something to compare, and when a number is wrong they look for the slip that explains it (×100,
a power of ten, ×3.6, ×4.184, ×24, ×365, inverted, squared, doubled) before falling back on "too
high" or "too low". Numbers and units are read by :mod:`course_lib._numbers`.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pint

from . import checks, formats
from ._numbers import (_ANNOUNCED, _APPROXIMATELY, _HALF_WIDTH, Reading, Unreadable, _context_words, _readings, parse_number,
                       precision_of, read_number)
from ._ureg import Q_
from .i18n import _

N_ = str  # marks a message for the catalogue: it is translated where it is shown, in the course language

__all__ = ["Unreadable", "Reading", "parse_number", "read_number", "normalise", "match_option", "choose_option",
           "diagnose", "diagnosis", "is_filler", "plain_dimension", "precision_of", "words_of"]


# ---- options -----------------------------------------------------------------------------------------

def normalise(text: object) -> str:
    """Text compared the forgiving way: case, spaces, punctuation at the ends and accents ignored.

    >>> normalise("  Asnæs Power  Station. "), normalise("Novo-Nordisk")
    ('asnaes power station', 'novo-nordisk')
    """
    value = str(text).replace("æ", "ae").replace("Æ", "AE").replace("ø", "o").replace("Ø", "O").replace("å", "a")
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    return " ".join(value.casefold().split()).strip(" .,;:!?'\"。，；：！？「」")


#: Words that say nothing about which option is meant.
_STOP = frozenset("a an the of in on at to and or is it its as by for be but so that this with from than each every "
                  "them they their there these those which what option answer choice one my i think "
                  "row step bar line case".split())
#: Words that compare, count or name a period: alone they cannot tell options apart ('twice' is not
#: 'less than twice'; 'year' is not 'Food eaten in France (per year)'). Digits neither.
_WEAK = frozenset("less more most least twice half never only same both neither all none times about much many few "
                  "yes than per year years day days month week hour time total part".split())
_NUMBER_WORDS = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}


def words_of(text: object) -> list[str]:
    """The words of ``text`` as options are compared: normalised, number words as digits.

    >>> words_of("Three to five (per year)"), words_of("Asnæs Power Station")
    (['3', 'to', '5', 'per', 'year'], ['asnaes', 'power', 'station'])
    """
    return [_NUMBER_WORDS.get(w, w) for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", normalise(text))]


def _content(words: Sequence[str]) -> set[str]:
    return {w for w in words if w not in _STOP and (len(w) > 2 or w.isdigit())}


_LETTER = re.compile(r"""^(?:(?:option|answer|choice|letter)\s*[:\-]?\s*)?
    (?:[(\[{'"]\s*(?P<a>[a-z])\s*[)\]}'"]|(?P<b>[a-z])\s*[).:\]\-]|(?P<c>[a-z])$)\s*(?P<rest>.*)$""", re.X | re.I | re.S)


def _number_in(text: str) -> float | None:
    match = re.match(r"^\s*[-+]?\d[\d,.]*", text)
    if not match:
        return None
    readings = _readings(match.group(0).strip())
    return readings[0][0] if readings else None


def choose_option(answer: object, options: Mapping[str, str], letters: Mapping[str, str] | None = None,
                  aliases: Mapping[str, Sequence[str]] | None = None, context: str = "") -> str | None:
    """The option id ``answer`` names, or None when it names none (or more than one).

    Read in order: a letter in any wrapping (``b``, ``(b)``, ``b)``, ``b.``, ``option b``), alone
    or before the option's label; the id or the label; another name of the option (``aliases``,
    such as the article's own row label); a number matching an option's number; the first words
    of exactly one label; words that only one option's label has (``'the fish'``), where other
    words typed are the option's too or words of the question (``context``: 'the unit argument').

    >>> options = {"fish": "the fish in the sea", "diesel": "the diesel", "river": "a river that carries waste"}
    >>> letters = {"a": "fish", "b": "diesel", "c": "river"}
    >>> [choose_option(a, options, letters) for a in ("(b)", "c)", "The fish", "the fish in", "sea", "the")]
    ['diesel', 'river', 'fish', 'fish', 'fish', None]
    """
    if not isinstance(answer, (str, numbers.Real)) or isinstance(answer, bool):
        return None
    letters = letters or {}
    aliases = aliases or {}
    text = _ANNOUNCED.sub("", str(answer).strip().translate(_HALF_WIDTH)) if isinstance(answer, str) else str(answer)
    if re.search(r"\b(?:all|none|both|neither|any)\s+of\s+the\s+(?:above|options|answers)\b", text, re.I):
        return None  # an answer about the options, not one of them
    names = {option: [label, *aliases.get(option, ())] for option, label in options.items()}
    wanted = normalise(text)
    for option in options:  # the id, a label or another name, written whole
        if wanted == normalise(option) or any(wanted == normalise(n) for n in names[option]):
            return option
    letter = _LETTER.match(text)
    if letter and letters:
        key = (letter.group("a") or letter.group("b") or letter.group("c")).lower()
        rest = letter.group("rest").strip()
        by_letter = letters.get(key)
        if by_letter is not None:
            if not rest:
                return by_letter
            by_words = choose_option(rest, options, None, aliases, context)
            return by_letter if by_words in (None, by_letter) else None
    approximate = _APPROXIMATELY.sub("", text).strip()  # 'about 3' powers of ten
    number = _number_in(approximate)
    if number is not None:
        text = approximate
        if all(re.fullmatch(r"\d+", o) for o in options):  # options that are counts: 1, 2, 3 ...
            if float(number).is_integer() and str(int(number)) in options:
                rest = _content(words_of(text)[1:])
                if not rest or rest <= _content(words_of(options[str(int(number))])) | {"power", "powers", "order",
                                                                                         "orders", "magnitude", "about"}:
                    return str(int(number))
            return None
        numbered = [o for o, label in options.items() if _number_in(label) is not None
                    and math.isclose(_number_in(label) or 0.0, number, rel_tol=0.005)]
        if len(numbered) == 1:
            return numbered[0]
        if re.fullmatch(r"\s*[-+]?[\d.,]+\s*", text):
            return None  # a bare number names no option whose label holds no number
    typed = words_of(text)
    if not typed:
        return None
    starts = [o for o in options if any(words_of(n)[: len(typed)] == typed for n in names[o])]
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        return None
    content = _content(typed)
    if not content:
        return None
    owned = {o: set().union(*(_content(words_of(n)) for n in names[o])) | _content(words_of(o.replace("_", " ")))
             for o in options}
    unique = {o: words - set().union(*(w for p, w in owned.items() if p != o)) for o, words in owned.items()}
    anyone = set().union(*owned.values())
    content -= {w for w in content if w not in anyone and w in _context_words(context)}  # 'the unit argument'
    hits = {o for o in options if {w for w in content & unique[o] if not w.isdigit()} - _WEAK}
    if len(hits) != 1:
        return None
    (option,) = hits
    # Every word typed must be one of the option's: a word no option has may be a typo of another's.
    return option if content <= owned[option] else None


def match_option(answer: object, options: dict[str, str]) -> str | None:
    """The option id ``answer`` names, by id or by label (forgiving), or None.

    >>> match_option("Asnaes power station", {"asnaes": "Asnæs Power Station", "gyproc": "Gyproc"})
    'asnaes'
    """
    return choose_option(answer, options)


def unit_problem(unit: object) -> str:
    """Why ``unit=`` (given with an answer) cannot be used, as :func:`course_lib.checks.unit` says it, in the course language.

    >>> unit_problem("kcl")
    "unit='kcl' is not a unit the course knows; write a unit such as 'kg', 't', 'm**3', 'kWh', 'MJ', 'kcal', 'food_day', 'year'."
    """
    if not isinstance(unit, str):
        return _("unit must be a unit name such as 'kg' (text), got {value} of type {kind}.").format(
            value=repr(unit), kind=checks._kind(unit))  # noqa: SLF001
    if unit.strip().lower() in checks._AMBIGUOUS_UNITS:  # noqa: SLF001 - the same units checks.unit refuses
        return _("unit={value} is ambiguous: it is the US short ton (907 kg) in pint; write 't' for metric tonnes (or "
                 "'short_ton' for 2,000 lb).").format(value=repr(unit))
    return _("unit={value} is not a unit the course knows; write a unit such as 'kg', 't', 'm**3', 'kWh', 'MJ', 'kcal', "
             "'food_day', 'year'.").format(value=repr(unit))


# ---- slips ---------------------------------------------------------------------------------------------

def plain_dimension(value: pint.Quantity | pint.Unit) -> str:
    """What kind of quantity this is, in plain words ('an energy', 'a mass per year', ...)."""
    words = checks.dimension_words(value)
    if not words.startswith("a quantity measured in"):
        return _(words)  # the table's words are marked for the catalogue in course_lib.checks
    # Rates the dimension table lacks: say "X per year/day" from the units themselves.
    units = value.units if isinstance(value, pint.Quantity) else value
    dims = units.dimensionality
    if dims.get("[time]", 0) == -1:
        per_time = Q_(1, units) * Q_(1, "year")
        inner = checks.dimension_words(per_time)
        if not inner.startswith("a quantity measured in"):
            return _("{kind} per time").format(kind=_(inner))
    return _("a quantity measured in {unit}").format(unit=formats.unit(units))


# (factor, what it usually means, the kind of quantity it can happen to). ``kinds`` (see diagnose)
# say which kinds a question's answer can suffer; a ratio that matches factor (or 1/factor) is
# named only when exactly one slip fits.
_SLIPS: tuple[tuple[float, str, str, str], ...] = (
    # factor, what it means, the kind of quantity it can happen to, the family (one diagnosis per family)
    (100.0, N_("a percent where a share is asked, or a share where a percent is asked: 35 % is 0.35"), "percent", "percent"),
    (100.0, N_("a percent figure used as a share, or a share as a percent: 20 % is 0.2, not 20"), "percent of units", "percent"),
    (3.6, N_("kWh mixed with MJ: 1 kWh = 3.6 MJ"), "energy", "kWh-MJ"),
    (4.184, N_("kcal mixed with kJ: 1 kcal = 4.184 kJ"), "energy", "kcal-kJ"),
    (3600.0, N_("kWh mixed with kJ (or Wh with J): 1 kWh = 3,600 kJ"), "energy", "3600"),
    (24.0, N_("per day mixed with per hour: a day has 24 hours"), "rate", "day-hour"),
    (365.0, N_("per year mixed with per day: a year has 365 days"), "rate", "year-day"),
    (365.25, N_("per year mixed with per day: a year has 365 days"), "rate", "year-day"),
    (12.0, N_("per year mixed with per month: a year has 12 months"), "rate", "year-month"),
    (60.0, N_("minutes mixed with hours (or seconds with minutes): 60 to one"), "rate", "hour-minute"),
    (24.0, N_("days mixed with hours: a day has 24 hours"), "days-hours", "day-hour"),
    (365.0, N_("years mixed with days: a year has 365 days"), "years-days", "year-day"),
    (365.25, N_("years mixed with days: a year has 365 days"), "years-days", "year-day"),
    (12.0, N_("years mixed with months: a year has 12 months"), "years-months", "year-month"),
    (60.0, N_("minutes mixed with hours (or seconds with minutes): 60 to one"), "hours-minutes", "hour-minute"),
    (3600.0, N_("hours mixed with seconds: an hour has 3,600 seconds"), "hours-seconds", "3600"),
)
_DURATION = frozenset({"days-hours", "years-days", "years-months", "hours-minutes", "hours-seconds"})
_DOUBLED = N_("a doubled (or halved) answer: check whether something was counted twice or only once")


def _close(ratio: float, factor: float, tol: float) -> bool:
    return abs(ratio / factor - 1) <= tol


def diagnose(given: float, expected: float, *, pure_number: bool, tol: float,
             kinds: Iterable[str] | None = None, precision: float | None = None, ratio_units: bool = False) -> str | None:
    """The words of :func:`diagnosis` (the usual slip that turns ``expected`` into ``given``), or None."""
    found = diagnosis(given, expected, pure_number=pure_number, tol=tol, kinds=kinds, precision=precision,
                      ratio_units=ratio_units)
    return found[1] if found else None


def diagnosis(given: float, expected: float, *, pure_number: bool, tol: float,
              kinds: Iterable[str] | None = None, precision: float | None = None,
              ratio_units: bool = False) -> tuple[str, str] | None:
    """The usual slip that turns ``expected`` into ``given`` (same unit), as (its id, its words), or None.

    The id names the slip's family (``"ten"``, ``"kWh-MJ"``, ``"percent"``, ``"inverted"``,
    ``"doubled"``...), the way attempt logs and reports name it. that turns ``expected`` into ``given`` (same unit), or None.

    A slip is named only where it cannot be a coincidence. ``kinds`` says which slips the
    quantity can suffer: ``"energy"`` (kWh/MJ, kcal/kJ), ``"rate"`` (per hour/day/month/year),
    ``"duration"`` (hours, days, years), ``"percent"`` (a share for a percent), ``"percent of
    units"`` (a quantity computed from a percent), or one conversion between time units the
    question mentions (``"days-hours"``). By default a pure number suffers only the percent slip
    and a quantity with units the energy and rate slips. ``precision`` is half a unit of the
    answer's last typed digit (relative): a squared, a square-rooted, a doubled or an inverted
    answer must agree to it (at most 0.5 %), the other slips to within 1 %. When two slips fit,
    none is named.

    >>> diagnose(0.64, 2.34, pure_number=True, tol=0.02) is None  # not a unit slip: no unit
    True
    >>> diagnosis(35.0, 0.35, pure_number=True, tol=0.02)[0]
    'percent'
    >>> diagnose(2906.0, 2.906, pure_number=False, tol=0.02)
    '1,000 times the answer: check the unit prefixes (k, M, G) and the powers of ten'
    >>> diagnose(0.64, 1.5625, pure_number=True, tol=0.02)
    'the inverted ratio (1 divided by the answer): check which quantity goes on top'
    >>> diagnose(35.0, 0.35, pure_number=True, tol=0.02)
    '100 times the answer: a percent where a share is asked, or a share where a percent is asked: 35 % is 0.35'
    >>> diagnose(2.56, 1.27, pure_number=False, tol=0.02, precision=precision_of("2.56")) is None  # 2.016: no
    True
    """
    if not (math.isfinite(given) and math.isfinite(expected)) or expected == 0 or given == 0 \
            or not math.isfinite(given / expected) or given / expected == 0:
        return None
    allowed = set(kinds) if kinds is not None else ({"percent"} if pure_number else {"energy", "rate"})
    allowed = {"rate" if k == "time" else k for k in allowed}
    if "duration" in allowed:
        allowed |= _DURATION
    typed = precision if precision is not None else 0.0
    loose = min(max(tol, 0.005), 0.01) if precision is None else min(max(0.003, 2.5 * typed + 0.001), 0.01)
    tight = min(max(0.001, 1.5 * typed), 0.005)
    ratio = given / expected
    found: dict[str, str] = {}  # family -> the diagnosis; the first of a family is kept

    def fits(factor: float, meaning: str, tolerance: float, family: str) -> None:
        for f, words in ((factor, _("{amount} times the answer: {meaning}")), (1 / factor, _("{amount} of the answer: {meaning}"))):
            if _close(ratio, f, tolerance):
                amount = formats.number(factor, 4) if f >= 1 else f"1/{formats.number(factor, 4)}"
                found.setdefault(family, words.format(amount=amount, meaning=_(meaning)))

    if (pure_number or ratio_units) and abs(math.log10(abs(expected))) > 0.05 and abs(given * expected - 1) <= tight:
        found["inverted"] = _("the inverted ratio (1 divided by the answer): check which quantity goes on top")
    for factor, meaning, kind, family in _SLIPS:
        if kind in allowed:
            fits(factor, meaning, loose, family)
    exponent = math.log10(abs(ratio))
    if ratio > 0 and abs(exponent) >= 0.9 and abs(exponent - round(exponent)) <= math.log10(1 + loose):
        power = round(exponent)
        if not (abs(power) == 2 and "percent" in found):
            amount = formats.number(10.0 ** abs(power), 4)
            words = _("{amount} times the answer: {meaning}") if power > 0 else _("{amount} of the answer: {meaning}")
            amount = amount if power > 0 else f"1/{amount}"
            found["ten"] = words.format(amount=amount, meaning=_("check the unit prefixes (k, M, G) and the powers of ten"))
    fits(2.0, _DOUBLED, tight, "doubled")
    if abs(math.log10(abs(expected))) >= 0.3:
        if _close(given, expected**2, tight):
            found["squared"] = _("the answer squared: check whether you multiplied by it twice")
        if expected > 0 and given > 0 and _close(given, math.sqrt(expected), tight):
            found["root"] = _("the square root of the answer: check whether a multiplication is missing")
    return next(iter(found.items())) if len(found) == 1 else None


# ---- filler --------------------------------------------------------------------------------------------

#: A word: letters and digits together, or one Chinese character (Chinese puts no spaces between words).
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u9fff\uf900-\ufaff]+")


def word_count(text: str) -> int:
    """How many words ``text`` holds; two Chinese characters count as one word (a Chinese word's usual length).

    >>> word_count("Energy is a cost."), word_count("能源是一種成本。")
    (4, 4)
    """
    chinese = len(re.findall(r"[\u3400-\u9fff\uf900-\ufaff]", text))
    return len(re.findall(_WORD, text)) - chinese + (chinese + 1) // 2 if chinese else len(text.split())

#: An open answer with fewer distinct words than this is filler, whatever its length.
FILLER_DISTINCT = 5


def is_filler(text: object) -> bool:
    """Whether an open answer is filler: fewer than :data:`FILLER_DISTINCT` distinct words, or one
    word making up more than half of its words ("blah" fifteen times, "x x x x x x x x").

    >>> is_filler("blah " * 15), is_filler("Energy is the universal unit of cost in this table.")
    (True, False)
    """
    words = re.findall(_WORD, str(text).casefold())
    if not words:
        return False
    most = max(words.count(w) for w in set(words))
    return len(set(words)) < FILLER_DISTINCT or (len(words) > 3 and most > len(words) / 2)


# ---- records ---------------------------------------------------------------------------------------

def is_real_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def listing(values: Iterable[str]) -> str:
    shown = [_("'{option}'").format(option=v) for v in values]
    return _("{options} or {last}").format(options=_(", ").join(shown[:-1]), last=shown[-1]) if len(shown) > 1 else "".join(shown)


def to_record(answer: object) -> object:
    """``answer`` as JSON data that :func:`from_record` turns back into an equal answer.

    >>> from course_lib.units import Q_
    >>> to_record(Q_(2.9, "kWh")), to_record({"air": "natural"}), to_record([1, "a"])
    ({'quantity': [2.9, 'kilowatt_hour']}, {'mapping': [['air', 'natural']]}, [1, 'a'])
    >>> from_record(to_record(Q_(2.9, "kWh"))) == Q_(2.9, "kWh")
    True
    """
    if answer is None or isinstance(answer, (bool, str)):
        return answer
    if isinstance(answer, numbers.Integral):  # 7 stays 7: the option "7" is read from it, never from 7.0
        return int(answer)
    if is_real_number(answer):
        value = float(answer)  # type: ignore[arg-type]
        return value if math.isfinite(value) else {"float": str(value)}
    if isinstance(answer, pint.Quantity) and not hasattr(answer.magnitude, "__len__"):
        return {"quantity": [float(answer.magnitude), format(answer.units, "D")]}
    if isinstance(answer, dict):
        return {"mapping": [[to_record(k), to_record(v)] for k, v in answer.items()]}
    if isinstance(answer, (list, tuple)):
        return [to_record(item) for item in answer]
    return {"repr": repr(answer)[:200]}


def from_record(record: object) -> object:
    """The answer that :func:`to_record` wrote (something unreadable comes back as its text)."""
    if isinstance(record, list):
        return [from_record(item) for item in record]
    if isinstance(record, dict):
        if "quantity" in record:
            magnitude, unit = record["quantity"]
            try:
                return Q_(float(magnitude), str(unit))
            except Exception:  # a unit this registry lacks: the text is all that is left
                return f"{magnitude} {unit}"
        if "mapping" in record:
            return {from_record(k): from_record(v) for k, v in record["mapping"]}
        if "float" in record:
            return float(record["float"])
        return str(record.get("repr", record))
    return record
