"""Reading a typed number, with its unit: the private part of :mod:`course_lib._answers` that reads.

Numbers are read with Babel's locale-aware parser (a comma or a point between thousands, a
decimal comma, a space or an apostrophe between thousands, each checked for its grouping) and
units with pint's own parser, after the words people write for them ("a year", "cubic metres",
"per cent", ``kwh``, ``m3``) are put in pint's terms. What cannot be read two ways is read
without the answer; what can (``'2,344'``) is settled by the expected answer's size.
"""

from __future__ import annotations

import csv
import decimal
import functools
import itertools
import math
import re
from dataclasses import dataclass

import pint
from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal

from . import data, formats
from ._ureg import Q_, ureg
from .i18n import _

__all__ = ["Unreadable", "Reading", "parse_number", "read_number", "precision_of"]


class Unreadable(ValueError):
    """An answer that cannot be read as what the question asks for; the message says why."""


class _AnotherNumber(Unreadable):
    """A unit that holds a second number ('2 kWh 3'): the answer is not one number."""


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
           "billion": 1e9, "billions": 1e9, "bn": 1e9, "trillion": 1e12, "萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8}
#: Short scales written after an amount of money (€78.8m, 54k EUR) or a pure number (54k).
_SHORT_SCALES = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9}
_APPROXIMATELY = re.compile(r"^(?:≈|~|≃|=|about|approximately|approx\.?|around|roughly|ca\.|circa|nearly|almost)\s*", re.I)
#: Words that announce an answer ("the answer is b", "my answer: 2.9 kWh"), left out before reading it.
_ANNOUNCED = re.compile(r"^(?:(?:the|my)\s+)?(?:answer|option|choice|result)(?:\s+is)?\s*[:=\-]?\s*(?=\S)"
                        r"|^(?:i\s+think\s+)?(?:it|that)(?:'s|\s+is)\s+(?=\S)|^i\s+think\s+(?=\S)"
                        r"|^i(?:\s+would|'d)?\s+(?:choose|chose|pick|picked|select|selected|take|say|go\s+(?:for|with))\s+(?=\S)"
                        r"|^(?:我的)?答案(?:是)?\s*[:：]?\s*(?=\S)|^我(?:選|揀|認為是)\s*(?=\S)", re.I)  # 答案是 b, 我選 b
_CURRENCY = re.compile(r"[€$£]|\b(?:EUR|USD|DKK|GBP)(?=[\d\s./,]|$)|\b(?:EUR|euros?|USD|US\s+dollars?|dollars?|DKK|kroner|GBP)\b",
                       re.I)
_EXPONENT = re.compile(r"""^(?:
      [eE](?P<e>[+-]\d+|\d+(?![A-Za-z]))                              # 1.5e3, 1.5e+03kg
    | \s*[×xX*·]\s*10\s*(?:\^|\*\*)\s*(?P<caret>[+-]?\d+)                # 1.5×10^3, 1.5 x 10^3, 1.5*10**3
    | \s*[×xX*·]\s*10(?P<sup>[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)                         # 1.5·10³
)""", re.X)
_POWER_ONLY = re.compile(r"^\s*(?:\^|\*\*)\s*(?P<caret>[+-]?\d+)|^(?P<sup>[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


#: Full-width digits, signs and letters (１２．５, －３, ％, ｋＷｈ) as ASCII, the ideographic space as a space.
_HALF_WIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}
_CJK = "\u3400-\u9fff\uf900-\ufaff"


@data.cached
def _unit_words() -> tuple[tuple[str, str], ...]:
    """The Chinese words for units (``unit_words_zh_hant.csv``) and what each is read as, longest first."""
    with open(data.data_dir() / "unit_words_zh_hant.csv", encoding="utf-8", newline="") as handle:
        rows = [(row["word"], row["reads_as"]) for row in csv.DictReader(handle)]
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


def _from_chinese(text: str) -> str:
    """An answer written the Hong Kong way, in the words the reader knows: full-width digits and
    signs as ASCII, 百分之35 as 35 %, and each Chinese unit word as its symbol (千瓦時 as kWh).

    >>> _from_chinese("２．３２ 千瓦時"), _from_chinese("－３％"), _from_chinese("1.2萬噸/年")
    ('2.32  kWh ', '-3%', '1.2萬 t / year ')
    """
    text = text.translate(_HALF_WIDTH)
    if not re.search(f"[{_CJK}]", text):
        return text
    text = re.sub(r"百分之\s*([-+]?[\d.,]+)", r"\1 %", text)
    for word, reads_as in _unit_words():
        text = text.replace(word, f" {reads_as} ")
    return text


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


_TOKEN = re.compile(rf"[A-Za-zµ°%][A-Za-z0-9µ°%_]*|-?\d+(?:\.\d+)?|\*\*|[/*^·()]|[{_CJK}]+|\S")


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
                raise _AnotherNumber(text.strip())
            pieces.append((token, (token,)))
            continue
        if re.match(f"[{_CJK}]", token) and token in context:
            continue  # a word of the question, as a Chinese prompt writes it: "0.82 輛汽車"
        if not re.match(r"[A-Za-zµ°%]", token):
            raise Unreadable(_("the unit {unit} is not a unit the course knows").format(unit=repr(text.strip())))
        if token.casefold() in _QUALIFIERS:
            continue
        candidates = _unit_candidates(token)
        if candidates:
            pieces.append((token, candidates))
        elif _stem(token) in words:
            continue  # a word of the question: "households", "t of Al2O3"
        else:
            raise Unreadable(_("the unit {unit} is not a unit the course knows").format(unit=repr(token)))
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
    match = re.match(r"^\s*([A-Za-z]+|[萬万億亿])\.?(?=[\s/]|$)", rest)
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
    cleaned = _ANNOUNCED.sub("", _from_chinese(text).strip()).replace("\u2212", "-").replace("\u2013", "-")
    for _round in range(2):
        cleaned = _APPROXIMATELY.sub("", cleaned).strip()
    cleaned, money = _money(cleaned)
    compound = _compound(cleaned)
    if compound is not None:
        return Reading(compound)
    number, rest = _scan_number(cleaned)
    if not number:
        raise Unreadable(_("{answer} is not a number").format(answer=repr(original)))
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
        raise Unreadable(_("{answer} is not a number").format(answer=repr(original)))
    units: list[tuple[pint.Unit | None, bool]] = [(None, False)]
    if rest:
        try:
            pieces = _unit_options(rest, context)
        except _AnotherNumber:
            raise Unreadable(_("{answer} is not one number").format(answer=repr(original))) from None
        if pieces:
            units = [(u, c) for u, c in _units(pieces)]
            if not units:
                raise Unreadable(_("the unit {unit} is not a unit the course knows").format(unit=repr(rest)))
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
        raise Unreadable(_("{answer} is too large a number").format(answer=repr(original))) from None
    if not math.isfinite(scale) or not all(math.isfinite(value * scale) for value, _ in readings):
        raise Unreadable(_("{answer} is too large a number").format(answer=repr(original)))
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
    _score, magnitude, chosen_unit, changed, digits = best
    notes = []
    if len(readings) > 1:
        notes.append(_("'{typed}' read as {value}").format(typed=number.strip(), value=_plain(float(digits) * scale)))
    if changed and sum(1 for u, c in units if c) > 1 and chosen_unit is not None:
        notes.append(_("'{typed}' read as {value}").format(typed=rest, value=formats.unit(chosen_unit)))
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
    course_lib._numbers.Unreadable: 'about three' is not a number
    """
    return read_number(text).value
