"""Reading a student's answer and naming the usual slip: the private half of :mod:`course_lib.exercises`.

A student types ``"2,9 kWh"``, ``"35 %"``, ``2906`` (Wh typed as kWh) or an option's label
instead of its id. These functions turn what was typed into something to compare, and when a
number is wrong they look for the slip that explains it (×100, ×1000, ×24, ×365, ×3.6, ×4.184,
inverted, squared, doubled) before falling back on "too high" or "too low".
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pint

from . import checks, formats
from ._ureg import Q_

__all__ = ["parse_number", "normalise", "match_option", "diagnose", "plain_dimension"]

# A comma followed by exactly three digits (and no other comma or point after) groups thousands:
# "10,460" is ten thousand; "2,9" is a decimal comma.
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class Unreadable(ValueError):
    """An answer that cannot be read as what the question asks for; the message says why."""


def parse_number(text: str) -> pint.Quantity | float:
    """A number (or a number with a unit) typed as text.

    >>> parse_number("54,652 EUR"), parse_number("€ 120"), parse_number("50 EUR/t")
    (54652.0, 120.0, <Quantity(50.0, '1 / metric_ton')>)
    >>> parse_number("11.6 million m**3/yr"), parse_number("2 thousand")
    (<Quantity(11600000.0, 'meter ** 3 / year')>, 2000.0)
    >>> parse_number("2,9 kWh"), parse_number("10,460"), parse_number(" 35 % ")
    (<Quantity(2.9, 'kilowatt_hour')>, 10460.0, <Quantity(35.0, 'percent')>)
    >>> parse_number("about three")
    Traceback (most recent call last):
    ...
    course_lib._answers.Unreadable: 'about three' is not a number
    """
    cleaned = text.strip().replace("\u2212", "-").replace("\u00a0", " ").replace("×10^", "e").replace("x10^", "e")
    # Money: the course keeps amounts as plain numbers with the currency named in the question,
    # so a currency written with the answer ("54,652 EUR", "€ 120") is read and set aside.
    cleaned = re.sub(r"^[€$£]\s*", "", cleaned)
    cleaned = re.sub(r"\s*(?:EUR|euros?|€|DKK|kr|USD|US\$|\$|£|GBP)(?=\s*(?:/|per\b|$))", "", cleaned, flags=re.I)
    cleaned = re.sub(r"^([+-]?[\d.,]+(?:[eE][+-]?\d+)?)\s*(?:/|per\s)\s*", r"\1 1/", cleaned)
    scale = 1.0
    words = re.match(r"^([+-]?[\d.,]+)\s+(thousand|million|billion)\b\s*(.*)$", cleaned, re.I)
    if words:  # "11.6 million m3/yr"
        scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9}[words.group(2).lower()]
        cleaned = f"{words.group(1)} {words.group(3)}".strip()
    match = re.match(r"^([+-]?[\d.,]+(?:[eE][+-]?\d+)?)\s*(.*)$", cleaned)
    if not match:
        raise Unreadable(f"{text!r} is not a number")
    digits, unit_text = match.group(1), match.group(2).strip()
    if _THOUSANDS.match(digits):
        digits = digits.replace(",", "")
    elif digits.count(",") == 1 and "." not in digits:
        digits = digits.replace(",", ".")  # a decimal comma
    try:
        value = float(digits) * scale
    except ValueError:
        raise Unreadable(f"{text!r} is not a number") from None
    if not unit_text:
        return value
    try:
        unit = checks.unit(unit_text, "unit")
    except (TypeError, ValueError) as exc:
        raise Unreadable(str(exc).replace("unit=", "the unit ")) from None
    return Q_(value, unit)


def normalise(text: object) -> str:
    """Text compared the forgiving way: case, spaces, punctuation at the ends and accents ignored.

    >>> normalise("  Asnæs Power  Station. "), normalise("Novo-Nordisk")
    ('asnaes power station', 'novo-nordisk')
    """
    value = str(text).replace("æ", "ae").replace("Æ", "AE").replace("ø", "o").replace("Ø", "O").replace("å", "a")
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    return " ".join(value.casefold().split()).strip(" .,;:!?'\"")


def match_option(answer: object, options: dict[str, str]) -> str | None:
    """The option id ``answer`` names, by id or by label (forgiving), or None.

    >>> match_option("Asnaes power station", {"asnaes": "Asnæs Power Station", "gyproc": "Gyproc"})
    'asnaes'
    """
    wanted = normalise(answer)
    for option, label in options.items():
        if wanted in (normalise(option), normalise(label)):
            return option
    return None


def plain_dimension(value: pint.Quantity | pint.Unit) -> str:
    """What kind of quantity this is, in plain words ('an energy', 'a mass per year', ...)."""
    words = checks.dimension_words(value)
    if not words.startswith("a quantity measured in"):
        return words
    # Rates the dimension table lacks: say "X per year/day" from the units themselves.
    units = value.units if isinstance(value, pint.Quantity) else value
    dims = units.dimensionality
    if dims.get("[time]", 0) == -1:
        per_time = Q_(1, units) * Q_(1, "year")
        inner = checks.dimension_words(per_time)
        if not inner.startswith("a quantity measured in"):
            return f"{inner} per time"
    return words


# (factor, what it usually means). A ratio that matches factor (or 1/factor) within tolerance is
# explained before the generic "too high/low". Order matters: the first match is reported.
_SLIPS: tuple[tuple[float, str, str], ...] = (
    # factor, explanation, the kind of quantity it can happen to: "pure" (shares, ratios),
    # "energy" (the unit slips of energy), "time" (rates and durations) or "any"
    (100.0, "a percent where a share is asked, or a share where a percent is asked: 35 % is 0.35", "pure"),
    (3.6, "kWh mixed with MJ: 1 kWh = 3.6 MJ", "energy"),
    (4.184, "kcal mixed with kJ: 1 kcal = 4.184 kJ", "energy"),
    (24.0, "per day mixed with per hour: a day has 24 hours", "time"),
    (365.0, "per year mixed with per day: a year has 365 days", "time"),
    (365.25, "per year mixed with per day: a year has 365 days", "time"),
    (12.0, "per year mixed with per month: a year has 12 months", "time"),
    (60.0, "minutes mixed with hours (or seconds with minutes): 60 to one", "time"),
    (2.0, "a doubled (or halved) answer: check whether something was counted twice or only once", "any"),
)


def _close(ratio: float, factor: float, tol: float) -> bool:
    return abs(ratio / factor - 1) <= tol


def diagnose(given: float, expected: float, *, pure_number: bool, tol: float,
             kinds: frozenset[str] = frozenset({"energy", "time"})) -> str | None:
    """The usual slip that turns ``expected`` into ``given`` (same unit), or None.

    ``kinds`` says which unit slips the quantity can suffer: ``"energy"`` (kWh/MJ, kcal/kJ) and
    ``"time"`` (per hour/day/month/year); a pure number suffers neither (0.64 for 2.34 is not
    "kWh mixed with MJ").

    >>> diagnose(0.64, 2.34, pure_number=True, tol=0.02) is None  # not a unit slip: no unit
    True
    >>> diagnose(2906.0, 2.906, pure_number=False, tol=0.02)
    '1,000 times the answer: check the unit prefixes (k, M, G) and the powers of ten'
    >>> diagnose(0.64, 1.5625, pure_number=True, tol=0.02)
    'the inverted ratio (1 divided by the answer): check which quantity goes on top'
    >>> diagnose(35.0, 0.35, pure_number=True, tol=0.02)
    '100 times the answer: a percent where a share is asked, or a share where a percent is asked: 35 % is 0.35'
    """
    if not (math.isfinite(given) and math.isfinite(expected)) or expected == 0 or given == 0:
        return None
    tol = max(tol, 0.005)
    ratio = given / expected
    if pure_number and abs(given * expected - 1) <= tol and abs(expected - 1) > tol:
        return "the inverted ratio (1 divided by the answer): check which quantity goes on top"
    allowed = {"any"} | ({"pure"} if pure_number else set(kinds))
    for factor, meaning, kind in _SLIPS:
        if kind not in allowed:
            continue
        for f, words in ((factor, "times the answer"), (1 / factor, "of the answer")):
            if _close(ratio, f, tol):
                amount = formats.number(factor, 4) if f >= 1 else f"1/{formats.number(factor, 4)}"
                return f"{amount} {words}: {meaning}"
    exponent = math.log10(abs(ratio))
    if abs(exponent) >= 0.9 and abs(exponent - round(exponent)) <= math.log10(1 + tol) and ratio > 0:
        power = round(exponent)
        amount = formats.number(10.0 ** abs(power), 4)
        words = "times the answer" if power > 0 else "of the answer"
        amount = amount if power > 0 else f"1/{amount}"
        return f"{amount} {words}: check the unit prefixes (k, M, G) and the powers of ten"
    if abs(expected) != 1 and _close(given, expected**2, tol):
        return "the answer squared: check whether you multiplied by it twice"
    if expected > 0 and given > 0 and abs(expected) != 1 and _close(given, math.sqrt(expected), tol):
        return "the square root of the answer: check whether a multiplication is missing"
    return None


def is_real_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def listing(values: Iterable[str]) -> str:
    return formats.listing([f"'{v}'" for v in values], "or")



def to_record(answer: object) -> object:
    """``answer`` as JSON data that :func:`from_record` turns back into an equal answer.

    >>> from course_lib.units import Q_
    >>> to_record(Q_(2.9, "kWh")), to_record({"air": "natural"}), to_record([1, "a"])
    ({'quantity': [2.9, 'kilowatt_hour']}, {'mapping': [['air', 'natural']]}, [1.0, 'a'])
    >>> from_record(to_record(Q_(2.9, "kWh"))) == Q_(2.9, "kWh")
    True
    """
    if answer is None or isinstance(answer, (bool, str)):
        return answer
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
