"""Reading a student's answer and naming the usual slip: the private half of :mod:`course_lib.exercises`.

A student types ``"2,9 kWh"``, ``"1 922 W"``, ``"11.6 million cubic metres a year"``, ``"€54,652
per year"``, ``"(b)"`` or a word of an option's label. These functions turn what was typed into
something to compare, and when a number is wrong they look for the slip that explains it (×100,
a power of ten, ×3.6, ×4.184, ×24, ×365, inverted, squared, doubled) before falling back on "too
high" or "too low".

Numbers are read with Babel's locale-aware parser (a comma or a point between thousands, a
decimal comma, a space or an apostrophe between thousands, each checked for its grouping) and
units with pint's own parser, after the words people write for them ("a year", "cubic metres",
"per cent", ``kwh``, ``m3``) are put in pint's terms.
"""

from __future__ import annotations

import decimal
import functools
import itertools
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pint
from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal

from . import checks, formats
from ._ureg import Q_, ureg

__all__ = ["Unreadable", "Reading", "parse_number", "read_number", "normalise", "match_option", "choose_option",
           "diagnose", "plain_dimension", "precision_of", "words_of"]


class Unreadable(ValueError):
    """An answer that cannot be read as what the question asks for; the message says why."""


# ---- numbers ---------------------------------------------------------------------------------------

#: Babel locales whose number conventions students use: a comma between thousands and a decimal
#: point (en), a point between thousands and a decimal comma (de), a decimal comma with spaces
#: between thousands (fr). Spaces and apostrophes between thousands are read as en's and de's commas
#: and points (1 922.5, 1'922,5).
_CONVENTIONS = ("en", "de", "fr")
_DIGITS = frozenset("0123456789")
_SPACES = "\u00a0\u2009\u202f\u2007\u2008\u200a\u205f "
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SCALES = {"thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6, "mio": 1e6, "mln": 1e6, "mn": 1e6,
           "billion": 1e9, "billions": 1e9, "bn": 1e9, "trillion": 1e12}
#: Short scales written after an amount of money (€78.8m, 54k EUR) or a pure number (54k).
_SHORT_SCALES = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9}
_APPROXIMATELY = re.compile(r"^(?:≈|~|≃|=|about|approximately|approx\.?|around|roughly|ca\.|circa|nearly|almost)\s*", re.I)
#: Words that announce an answer ("the answer is b", "my answer: 2.9 kWh"), left out before reading it.
_ANNOUNCED = re.compile(r"^(?:(?:the|my)\s+)?(?:answer|option|choice|result)(?:\s+is)?\s*[:=\-]?\s*(?=\S)"
                        r"|^(?:i\s+think\s+)?(?:it|that)(?:'s|\s+is)\s+(?=\S)|^i\s+think\s+(?=\S)"
                        r"|^i(?:\s+would|'d)?\s+(?:choose|chose|pick|picked|select|selected|take|say|go\s+(?:for|with))\s+(?=\S)", re.I)
_CURRENCY = re.compile(r"[€$£]|\b(?:EUR|USD|DKK|GBP)(?=[\d\s./,]|$)|\b(?:EUR|euros?|USD|US\s+dollars?|dollars?|DKK|kroner|GBP)\b",
                       re.I)
_EXPONENT = re.compile(r"""^(?:
      [eE](?P<e>[+-]\d+|\d+(?![A-Za-z]))                              # 1.5e3, 1.5e+03kg
    | \s*[×xX*·]\s*10\s*(?:\^|\*\*)\s*(?P<caret>[+-]?\d+)                # 1.5×10^3, 1.5 x 10^3, 1.5*10**3
    | \s*[×xX*·]\s*10(?P<sup>[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)                         # 1.5·10³
)""", re.X)
_POWER_ONLY = re.compile(r"^\s*(?:\^|\*\*)\s*(?P<caret>[+-]?\d+)|^(?P<sup>[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


@functools.cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@dataclass(frozen=True)
class Reading:
    """What a typed answer says: its value (a float when no unit was written, else a Quantity),
    notes on how it was read (``"'2,344' read as 2.344"``), and the precision it was typed with
    (half a unit of its last digit, relative to the value: 0.005 / 2.56 for ``"2.56"``)."""

    value: pint.Quantity | float
    notes: tuple[str, ...] = ()
    precision: float | None = None


def precision_of(digits: str) -> float | None:
    """Half a unit of the last significant digit of ``digits``, relative to its value.

    >>> round(precision_of("2.56"), 5), round(precision_of("831000"), 6), precision_of("0")
    (0.00195, 0.000602, None)
    """
    text = digits.strip().lstrip("+-").lower()
    mantissa, _, exponent = text.partition("e")
    mantissa = mantissa.strip("0") if "." in mantissa else mantissa.lstrip("0")
    whole, _, fraction = mantissa.partition(".")
    if not (whole + fraction).strip("0"):
        return None
    try:
        value = float(f"{whole or '0'}.{fraction or '0'}")
    except ValueError:
        return None
    if fraction:
        last = -len(fraction)
    else:  # trailing zeros of a whole number are not significant: 831000 is typed to the thousand
        last = len(whole) - len(whole.rstrip("0"))
    return 0.5 * 10.0**last / value if value else None


def _plain(value: float) -> str:
    """A number without separators between thousands, which no convention reads two ways."""
    text = f"{value:.10g}"
    if "e" in text:
        return formats.number(value, 6)
    return text


def _readings(token: str) -> list[tuple[float, str]]:
    """Every value ``token`` (digits with separators) has in one of the conventions people use,
    as ``(value, the digits as they count)``; one entry when all conventions agree.

    >>> _readings("2,344"), _readings("1 922,5"), _readings("4'180'000")
    ([(2344.0, '2344'), (2.344, '2.344')], [(1922.5, '1922.5')], [(4180000.0, '4180000')])
    """
    token = token.replace("’", "'").replace("\u2032", "'")
    sign = -1.0 if token.startswith("-") else 1.0
    token = token.lstrip("+-")
    tries: list[tuple[str, str]] = []
    for separator in (_SPACES, "'"):
        if any(c in separator for c in token):  # spaces or apostrophes between thousands
            tries += [("en", "".join("," if c in separator else c for c in token)),
                      ("de", "".join("." if c in separator else c for c in token))]
            break
    else:
        tries = [(name, token) for name in _CONVENTIONS]
    found: list[tuple[float, str]] = []
    for name, text in tries:
        try:
            number = parse_decimal(text, locale=_locale(name), strict=True)
        except (NumberFormatError, decimal.InvalidOperation, ValueError):
            continue
        value = sign * float(number)
        if math.isfinite(value) and all(value != v for v, _ in found):
            found.append((value, ("-" if sign < 0 else "") + format(number, "f")))
    if len(found) > 1:
        # Nobody writes 33,000 for 33 or 28,400 for 28.4: a reading whose decimals end in a zero is dropped.
        plausible = [(v, d) for v, d in found if not re.search(r"\.\d*0$", d)]
        found = plausible or found
    return found


def _scan_number(text: str) -> tuple[str, str]:
    """The leading number of ``text`` (a sign, digits and the separators between them) and the rest.

    >>> _scan_number("1 922 W"), _scan_number("2 h 45 min"), _scan_number("-1,5e3")
    (('1 922', ' W'), ('2', ' h 45 min'), ('-1,5', 'e3'))
    """
    i, n = 0, len(text)
    if i < n and text[i] in "+-":
        i += 1
    begin = i
    while i < n:
        c = text[i]
        if c in _DIGITS:
            i += 1
        elif c in ".,'’" and i + 1 < n and text[i + 1] in _DIGITS and (i > begin or c in ".,"):
            i += 1
        elif c in _SPACES and i > begin and text[i - 1] in _DIGITS and re.match(r"\d{3}(?!\d)", text[i + 1:]):
            i += 1  # a space between thousands: three digits follow it
        else:
            break
    number = text[:i]
    if not any(c in _DIGITS for c in number):
        return "", text
    return number, text[i:]


@functools.cache
def _context_words(context: str) -> frozenset[str]:
    """The words of a question's prompt, as compared with words typed after a number."""
    text = context.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
    return frozenset(_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text))


def _stem(word: str) -> str:
    word = word.casefold()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


#: Words that may follow a number without being a unit: what the amount is, or which way it goes.
_QUALIFIERS = frozenset({"of", "the", "in", "more", "less", "fewer", "larger", "smaller", "higher", "lower", "above",
                         "below", "up", "down", "extra", "total", "fresh", "dry", "net", "only", "about", "approx",
                         "approximately", "roughly", "around", "saved", "lost", "avoided", "rise", "fall", "gain",
                         "loss", "increase", "decrease", "bigger", "greater", "over", "under", "than", "some", "all",
                         "and", "per", "each", "every"})

#: Phrases people write for units, put in pint's terms (applied in order, case-insensitive).
_UNIT_PHRASES: tuple[tuple[str, str], ...] = (
    (r"(?<=[A-Za-z])-(?=[A-Za-z])", " "),  # kilowatt-hours
    (r"\bpercentage\s+points?\b|\bpp\b|%\s*-?\s*points?\b|\bpoints?\b", "%"),
    (r"\bper\s*cent\b|\bpercent(?:age)?\b|\bpct\b", "%"),
    (r"\bp\.\s?a\.?(?=\W|$)", "/ year"),
    (r"\b(?:a|an|per|each|every|in\s+a|in\s+one|in\s+the)\s+(year|annum|month|week|day|hour|minute|second)s?\b", r"/ \1"),
    (r"\b(?:yearly|annually|annual)\b", "/ year"),
    (r"\bdaily\b", "/ day"), (r"\bmonthly\b", "/ month"), (r"\bweekly\b", "/ week"), (r"\bhourly\b", "/ hour"),
    (r"(?:[*·]\s*)?\b(?:yr|y|a)\s*(?:\^|\*\*)?\s*-\s*1\b", "/ year"),
    (r"\bcubic\s+([A-Za-z]+)", r"\1^3"), (r"\bsquare\s+([A-Za-z]+)", r"\1^2"),
    (r"\bmetric\s+tons?\b|\btonnes?\b", "t"),
)
#: Names pint reads otherwise (or not at all) that mean a unit of the course: 'kt' is a knot to pint.
_ALIASES = {"y": "year", "yrs": "year", "annum": "year", "wk": "week", "wks": "week", "mins": "minute", "sec": "second",
            "secs": "second", "hrs": "hour",
            "kt": "kilotonne", "Mt": "megatonne", "Gt": "gigatonne", "ton": "tonne", "tons": "tonne",
            "l": "liter", "ltr": "liter", "ltrs": "liter"}
#: Units typed in the wrong case are matched against these (prefix + symbol) and their pint names.
_PREFIXES = {"": "", "k": "kilo", "M": "mega", "G": "giga", "T": "tera", "m": "milli", "h": "hecto", "c": "centi",
             "µ": "micro"}
_SYMBOLS = {"J": "joule", "Wh": "watt_hour", "W": "watt", "t": "tonne", "g": "gram", "L": "liter", "m": "meter",
            "s": "second", "cal": "calorie", "toe": "toe", "Lge": "Lge", "N": "newton", "Pa": "pascal"}


@functools.cache
def _case_free() -> dict[str, tuple[str, ...]]:
    """Lower-case symbol -> the pint names it may stand for (``'mw'`` -> megawatt or milliwatt)."""
    table: dict[str, list[str]] = {}
    for (p, pname), (s, sname) in itertools.product(_PREFIXES.items(), _SYMBOLS.items()):
        name = pname + sname
        try:
            ureg.parse_units(name)
        except Exception:  # noqa: BLE001 - a combination pint lacks is simply not offered
            continue
        table.setdefault((p + s).casefold(), []).append(name)
    for word in ("kcal", "Kcal", "min", "h", "day", "year", "percent"):
        table.setdefault(word.casefold(), []).append(word.lower() if word != "Kcal" else "kcal")
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


@functools.cache
def _unit_candidates(token: str) -> tuple[str, ...]:
    """The pint units a word typed as a unit may be, exact reading first."""
    if token in _ALIASES:
        return (_ALIASES[token],)
    if token.casefold() in _ALIASES and token.casefold() not in ("l", "kt", "mt", "gt"):
        return (_ALIASES[token.casefold()],)
    found: list[str] = []
    try:
        ureg.parse_units(token)
        found.append(token)
    except Exception:  # noqa: BLE001 - pint raises several kinds of error for a word it lacks
        powered = re.fullmatch(r"([A-Za-zµ]+)([23])", token)
        if powered and _unit_candidates(powered.group(1)):
            return tuple(f"{base}**{powered.group(2)}" for base in _unit_candidates(powered.group(1)))
        if len(token) > 3 and token != token.lower():  # a unit's name with a capital: 'Liters', 'Megawatt'
            try:
                ureg.parse_units(token.lower())
                found.append(token.lower())
            except Exception:  # noqa: BLE001 - not a name pint knows in any case
                pass
    for name in _case_free().get(token.casefold(), ()):
        if name not in found and name != token:
            found.append(name)
    return tuple(found)


_TOKEN = re.compile(r"[A-Za-zµ°%][A-Za-z0-9µ°%_]*|-?\d+(?:\.\d+)?|\*\*|[/*^·()]|\S")


def _unit_options(text: str, context: str) -> list[tuple[str, tuple[str, ...]]]:
    """The unit text as tokens, each as typed and with the units it may be (the exact reading first).

    Words of the question's prompt (``context``) and words such as "more" or "of" are left out."""
    text = text.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
    text = re.sub(r"[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), text)  # yr⁻¹
    for pattern, replacement in _UNIT_PHRASES:
        text = re.sub(pattern, replacement, text, flags=re.I)
    words = _context_words(context)
    pieces: list[tuple[str, tuple[str, ...]]] = []
    for token in _TOKEN.findall(text):
        if token in ("/", "*", "^", "**", "·", "(", ")"):
            op = "*" if token == "·" else token
            pieces.append((op, (op,)))
            continue
        if re.fullmatch(r"-?\d+(?:\.\d+)?", token):
            if not pieces or pieces[-1][0] not in ("^", "**"):
                raise Unreadable(f"{text.strip()!r} holds another number")
            pieces.append((token, (token,)))
            continue
        if not re.match(r"[A-Za-zµ°%]", token):
            raise Unreadable(f"the unit {text.strip()!r} is not a unit the course knows")
        if token.casefold() in _QUALIFIERS:
            continue
        candidates = _unit_candidates(token)
        if candidates:
            pieces.append((token, candidates))
        elif _stem(token) in words:
            continue  # a word of the question: "households", "t of Al2O3"
        else:
            raise Unreadable(f"the unit {token!r} is not a unit the course knows")
    # Operators left dangling by the words taken out ("t of SO2 / yr" -> "t / yr") go too.
    while pieces and pieces[-1][0] in ("/", "*", "^", "**", "("):
        pieces.pop()
    while pieces and pieces[0][0] in ("*", "^", "**", ")"):
        pieces.pop(0)
    if pieces and pieces[0][0] == "/":
        pieces.insert(0, ("1", ("1",)))
    return pieces


def _units(pieces: list[tuple[str, tuple[str, ...]]]) -> list[tuple[pint.Unit, bool]]:
    """Every unit the pieces can make, the exact reading first; True where a word was read otherwise."""
    found: list[tuple[pint.Unit, bool]] = []
    for combination in itertools.islice(itertools.product(*(c for _, c in pieces)), 16):
        expression = " ".join(combination).replace("^", "**").replace("** ", "**").replace(" **", "**")
        try:
            unit = ureg.parse_units(expression)
        except Exception:  # noqa: BLE001 - pint raises several kinds of error for an expression it cannot read
            continue
        changed = any(c != typed for c, (typed, _) in zip(combination, pieces))
        if all(unit != u for u, _ in found):
            found.append((unit, changed))
    return found


def _money(text: str) -> tuple[str, bool]:
    """``text`` without a currency, and whether it had one (the course keeps money as plain numbers)."""
    stripped = _CURRENCY.sub(" ", text)
    return " ".join(stripped.split()), stripped != text


def _scale(rest: str, short: bool) -> tuple[float, str]:
    """A word of scale after the number ('11.6 million m3') as a factor, and the rest of the text."""
    match = re.match(r"^\s*([A-Za-z]+)\.?(?=[\s/]|$)", rest)
    if match:
        word = match.group(1)
        if word.casefold() in _SCALES:
            return _SCALES[word.casefold()], rest[match.end():]
        if short and word in _SHORT_SCALES:
            return _SHORT_SCALES[word], rest[match.end():]
    return 1.0, rest


_COMPOUND = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([A-Za-z]+)\s*(?:,|and)?\s*(\d+(?:[.,]\d+)?)\s*([A-Za-z]+)\s*$")


def _compound(text: str) -> pint.Quantity | None:
    """Two amounts of one kind written together: '2 h 45 min', '2 hours and 45 minutes'."""
    match = _COMPOUND.match(text)
    if not match:
        return None
    total = None
    for number, unit in ((match.group(1), match.group(2)), (match.group(3), match.group(4))):
        candidates = _unit_candidates(unit)
        if not candidates:
            return None
        part = Q_(float(number.replace(",", ".")), candidates[0])
        if total is not None and part.dimensionality != total.dimensionality:
            return None
        total = part if total is None else total + part.to(total.units)
    return total


def _same_kind(unit: pint.Unit, expected: pint.Quantity) -> bool:
    return Q_(1, unit).dimensionality == expected.dimensionality


def _closeness(value: float, target: float | None) -> float:
    if target is None or not value or not target or not math.isfinite(target):
        return 0.0
    return abs(math.log(abs(value / target))) + (0.0 if (value > 0) == (target > 0) else 10.0)


def read_number(text: str, *, expected: pint.Quantity | None = None, unit: str | None = None,
                context: str = "") -> Reading:
    """What a typed answer says, read the way the question needs.

    ``expected`` (the answer) settles what can be read two ways: a comma or a point that may
    group thousands (``'2,344'`` is 2.344 when the answer is about 2, 2344 when it is about
    2,000), a unit typed in the wrong case (``'mw'``). ``unit`` is the unit a bare number is read
    in; ``context`` is the question's prompt, whose words may follow the number
    (``'0.82 cars'``).

    >>> read_number("1 922 W").value, read_number("11.6 million cubic metres a year").value
    (<Quantity(1922.0, 'watt')>, <Quantity(11600000.0, 'meter ** 3 / year')>)
    >>> r = read_number("2,344", expected=Q_(2.344, "kWh"), unit="kWh")
    >>> r.value, r.notes
    (2.344, ("'2,344' read as 2.344",))
    >>> read_number("€54,652 per year").value, read_number("7.88×10^7").value, read_number("2 h 45 min").value
    (<Quantity(54652.0, '1 / year')>, 78800000.0, <Quantity(2.75, 'hour')>)
    """
    original = text
    cleaned = _ANNOUNCED.sub("", text.strip()).replace("\u2212", "-").replace("\u2013", "-")
    for _ in range(2):
        cleaned = _APPROXIMATELY.sub("", cleaned).strip()
    cleaned, money = _money(cleaned)
    compound = _compound(cleaned)
    if compound is not None:
        return Reading(compound)
    number, rest = _scan_number(cleaned)
    if not number:
        raise Unreadable(f"{original!r} is not a number")
    exponent = 0
    power = _EXPONENT.match(rest)
    if power:
        exponent = int(power.group("e") or power.group("caret") or power.group("sup").translate(_SUPERSCRIPTS))
        rest = rest[power.end():]
    elif number in ("10", "+10", "-10"):
        alone = _POWER_ONLY.match(rest)
        if alone:  # 10^4 written without a mantissa
            exponent = int((alone.group("caret") or alone.group("sup").translate(_SUPERSCRIPTS)))
            rest = rest[alone.end():]
            number = number.replace("10", "1")
    expected_pure = expected is not None and expected.dimensionless and unit in (None, "")
    factor, rest = _scale(rest, short=money or expected_pure)
    rest = rest.strip().rstrip(".").strip()
    readings = _readings(number)
    if exponent and number.count(".") + number.count(",") == 1 and not any(c in _SPACES + "'" for c in number):
        # Nobody groups thousands in a power of ten: '5.340e+03' is 5.340 (and '5,34e3' 5.34) times 1,000.
        mantissa = number.replace(",", ".")
        readings = [(float(mantissa), mantissa.lstrip("+"))]
    if not readings:
        raise Unreadable(f"{original!r} is not a number")
    units: list[tuple[pint.Unit | None, bool]] = [(None, False)]
    if rest:
        try:
            pieces = _unit_options(rest, context)
        except Unreadable as exc:
            if "another number" in str(exc):
                raise Unreadable(f"{original!r} is not one number") from None
            raise
        if pieces:
            units = [(u, c) for u, c in _units(pieces)]
            if not units:
                raise Unreadable(f"the unit {rest!r} is not a unit the course knows")
    read_in = ureg.parse_units(unit) if unit not in (None, "") else (expected.units if expected is not None else None)
    if expected is not None and len(units) > 1:
        # A unit read as typed is kept when it is of the kind asked (MW stays MW); another case
        # ('mw' read as MW) only where the unit as typed is unknown or of another kind.
        exact: list[tuple[pint.Unit | None, bool]] = [(u, c) for u, c in units if not c and u is not None
                                                       and _same_kind(u, expected)]
        units = exact or units
    best: tuple[float, float, pint.Unit | None, bool, str] | None = None
    try:
        scale = factor * 10.0**exponent
    except OverflowError:
        raise Unreadable(f"{original!r} is too large a number") from None
    if not math.isfinite(scale) or not all(math.isfinite(value * scale) for value, _ in readings):
        raise Unreadable(f"{original!r} is too large a number")
    for (value, digits), (candidate_unit, changed) in itertools.product(readings, units):
        magnitude = value * scale
        target = None
        if expected is not None:
            in_unit = candidate_unit if candidate_unit is not None else read_in
            try:
                target = float(expected.to(in_unit).magnitude) if in_unit is not None else float(expected.magnitude)
                fits = 0.0
            except pint.errors.PintError:
                fits = 100.0  # a unit of another kind: used only when nothing fits
        else:
            fits = 0.0
        score = fits + _closeness(magnitude, target) + (0.001 if changed else 0.0)
        if best is None or score < best[0] - 1e-12:
            best = (score, magnitude, candidate_unit, changed, digits)
    assert best is not None
    _, magnitude, chosen_unit, changed, digits = best
    notes = []
    if len(readings) > 1:
        notes.append(f"'{number.strip()}' read as {_plain(float(digits) * scale)}")
    if changed and sum(1 for u, c in units if c) > 1 and chosen_unit is not None:
        notes.append(f"'{rest}' read as {formats.unit(chosen_unit)}")
    precision = precision_of(digits.lstrip("-"))
    result: pint.Quantity | float = magnitude if chosen_unit is None else Q_(magnitude, chosen_unit)
    return Reading(result, tuple(notes), precision)


def parse_number(text: str) -> pint.Quantity | float:
    """A number (or a number with a unit) typed as text, read without knowing the answer.

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
    return read_number(text).value


# ---- options -----------------------------------------------------------------------------------------

def normalise(text: object) -> str:
    """Text compared the forgiving way: case, spaces, punctuation at the ends and accents ignored.

    >>> normalise("  Asnæs Power  Station. "), normalise("Novo-Nordisk")
    ('asnaes power station', 'novo-nordisk')
    """
    value = str(text).replace("æ", "ae").replace("Æ", "AE").replace("ø", "o").replace("Ø", "O").replace("å", "a")
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    return " ".join(value.casefold().split()).strip(" .,;:!?'\"")


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
    text = _ANNOUNCED.sub("", str(answer).strip()) if isinstance(answer, str) else str(answer)
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


# ---- slips ---------------------------------------------------------------------------------------------

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


# (factor, what it usually means, the kind of quantity it can happen to). ``kinds`` (see diagnose)
# say which kinds a question's answer can suffer; a ratio that matches factor (or 1/factor) is
# named only when exactly one slip fits.
_SLIPS: tuple[tuple[float, str, str, str], ...] = (
    # factor, what it means, the kind of quantity it can happen to, the family (one diagnosis per family)
    (100.0, "a percent where a share is asked, or a share where a percent is asked: 35 % is 0.35", "percent", "percent"),
    (100.0, "a percent figure used as a share, or a share as a percent: 20 % is 0.2, not 20", "percent of units", "percent"),
    (3.6, "kWh mixed with MJ: 1 kWh = 3.6 MJ", "energy", "kWh-MJ"),
    (4.184, "kcal mixed with kJ: 1 kcal = 4.184 kJ", "energy", "kcal-kJ"),
    (3600.0, "kWh mixed with kJ (or Wh with J): 1 kWh = 3,600 kJ", "energy", "3600"),
    (24.0, "per day mixed with per hour: a day has 24 hours", "rate", "day-hour"),
    (365.0, "per year mixed with per day: a year has 365 days", "rate", "year-day"),
    (365.25, "per year mixed with per day: a year has 365 days", "rate", "year-day"),
    (12.0, "per year mixed with per month: a year has 12 months", "rate", "year-month"),
    (60.0, "minutes mixed with hours (or seconds with minutes): 60 to one", "rate", "hour-minute"),
    (24.0, "days mixed with hours: a day has 24 hours", "days-hours", "day-hour"),
    (365.0, "years mixed with days: a year has 365 days", "years-days", "year-day"),
    (365.25, "years mixed with days: a year has 365 days", "years-days", "year-day"),
    (12.0, "years mixed with months: a year has 12 months", "years-months", "year-month"),
    (60.0, "minutes mixed with hours (or seconds with minutes): 60 to one", "hours-minutes", "hour-minute"),
    (3600.0, "hours mixed with seconds: an hour has 3,600 seconds", "hours-seconds", "3600"),
)
_DURATION = frozenset({"days-hours", "years-days", "years-months", "hours-minutes", "hours-seconds"})
_DOUBLED = "a doubled (or halved) answer: check whether something was counted twice or only once"


def _close(ratio: float, factor: float, tol: float) -> bool:
    return abs(ratio / factor - 1) <= tol


def diagnose(given: float, expected: float, *, pure_number: bool, tol: float,
             kinds: Iterable[str] | None = None, precision: float | None = None, ratio_units: bool = False) -> str | None:
    """The usual slip that turns ``expected`` into ``given`` (same unit), or None.

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
        for f, words in ((factor, "times the answer"), (1 / factor, "of the answer")):
            if _close(ratio, f, tolerance):
                amount = formats.number(factor, 4) if f >= 1 else f"1/{formats.number(factor, 4)}"
                found.setdefault(family, f"{amount} {words}: {meaning}")

    if (pure_number or ratio_units) and abs(math.log10(abs(expected))) > 0.05 and abs(given * expected - 1) <= tight:
        found["inverted"] = "the inverted ratio (1 divided by the answer): check which quantity goes on top"
    for factor, meaning, kind, family in _SLIPS:
        if kind in allowed:
            fits(factor, meaning, loose, family)
    exponent = math.log10(abs(ratio))
    if ratio > 0 and abs(exponent) >= 0.9 and abs(exponent - round(exponent)) <= math.log10(1 + loose):
        power = round(exponent)
        if not (abs(power) == 2 and "percent" in found):
            amount = formats.number(10.0 ** abs(power), 4)
            words = "times the answer" if power > 0 else "of the answer"
            amount = amount if power > 0 else f"1/{amount}"
            found["ten"] = f"{amount} {words}: check the unit prefixes (k, M, G) and the powers of ten"
    fits(2.0, _DOUBLED, tight, "doubled")
    if abs(math.log10(abs(expected))) >= 0.3:
        if _close(given, expected**2, tight):
            found["squared"] = "the answer squared: check whether you multiplied by it twice"
        if expected > 0 and given > 0 and _close(given, math.sqrt(expected), tight):
            found["root"] = "the square root of the answer: check whether a multiplication is missing"
    return next(iter(found.values())) if len(found) == 1 else None


# ---- records ---------------------------------------------------------------------------------------

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
