"""Numbers, quantities, shares and lists written as a person writes them: one place for all of it.

Every sentence, table caption, chart description and exercise verdict of the course formats its
figures here, so a number reads the same everywhere (Data 8's ``datascience`` keeps formatting in
one place for the same reason).

>>> from course_lib import formats
>>> formats.number(10460.0), formats.number(2.90556), formats.number(3.7e18)
('10,460', '2.906', '3.7×10^18')
"""

from __future__ import annotations

import decimal
import functools
import math
import re
from collections.abc import Iterable

import pint

from .i18n import _

__all__ = ["number", "quantity", "unit", "percent", "listing", "duration", "cell", "money", "significant"]


def number(x: float, digits: int = 4) -> str:
    """``x`` with ``digits`` significant digits, thousands separators, and ×10^n when huge or tiny.

    >>> number(27393.75, digits=3), number(0.0157, digits=3), number(9.996e18, digits=3), number(5e-324)
    ('27,394', '0.0157', '1×10^19', '4.941×10^-324')
    """
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return str(int(x)) if x == 0 else str(x)
    exponent = math.floor(math.log10(abs(x)))
    if -3 <= exponent < 6:
        decimals = max(0, digits - 1 - exponent)
        text = f"{round(x, decimals):,.{decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    # Below about 1e-300 the power of ten underflows to 0 (a subnormal such as 5e-324): scale in decimal.
    scaled = x / 10**exponent if exponent > -300 else float(decimal.Decimal(x).scaleb(-exponent))
    mantissa = float(f"{scaled:.{digits}g}")
    if abs(mantissa) >= 10:  # 9.996e18 rounds up to 10×10^18
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:g}×10^{exponent}"


def unit(u: object) -> str:
    """A unit's short symbol, with ``yr`` and ``day`` for pint's ``a`` and ``d`` (read as typos).

    >>> from course_lib.units import Q_
    >>> unit(Q_(2920, "kcal/day")), unit("t/year"), unit(Q_(1.5, "")), unit("kg/hL"), unit("L/mol")
    ('kcal/day', 't/yr', '', 'kg/hL', 'L/mol')
    """
    if isinstance(u, pint.Quantity):
        u = u.units
    if isinstance(u, str):
        # Parsing a unit's name is most of the cost, and a model checks the same few names on every run.
        return _unit_text(pint.get_application_registry().get(), u)
    return _symbol(u)


@functools.lru_cache(maxsize=512)
def _unit_text(registry: pint.UnitRegistry, name: str) -> str:
    """:func:`unit` of a unit's name in ``registry`` (cached per registry: the same names come back)."""
    return _symbol(registry.Unit(name))


def _symbol(u: object) -> str:
    text = format(u, "~P")
    text = re.sub(r"\b([kMmhcdµ]?)l\b", r"\1L", text)  # litres as L (hL, mL): a lone l reads as 1
    return re.sub(r"\ba\b", "yr", re.sub(r"\bd\b", "day", text))


def quantity(q: pint.Quantity, digits: int = 4) -> str:
    """A quantity with its short unit symbol.

    >>> from course_lib.units import Q_
    >>> quantity(Q_(209200, "MJ")), quantity(Q_(20000, "food_day")), quantity(Q_(1.5625, ""))
    ('209,200 MJ', '20,000 food_day', '1.562')
    """
    if not isinstance(q, pint.Quantity):
        raise TypeError(f"q must be a pint Quantity, got {q!r} of type {type(q).__name__}")
    symbol = unit(q.units)
    return f"{number(q.magnitude, digits)} {symbol}" if symbol else number(q.magnitude, digits)


def percent(share: float, decimals: int = 0) -> str:
    """A share (0.24) as a percent ('24%').

    >>> percent(0.5), percent(0.0039, decimals=2), percent(1.2)
    ('50%', '0.39%', '120%')
    """
    return f"{float(share) * 100:,.{decimals}f}%"


def listing(items: Iterable[object], conjunction: str = "and") -> str:
    """Items as an English list: 'a', 'a and b', 'a, b and c'.

    >>> listing([]), listing(["a"]), listing(["a", "b"]), listing(["a", "b", "c"], "or")
    ('', 'a', 'a and b', 'a, b or c')
    """
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    joined = {"and": _("{items} and {last}"), "or": _("{items} or {last}")}.get(conjunction, f"{{items}} {conjunction} {{last}}")
    # Chinese lists with 、, not a comma: the separator is a message too.
    return joined.format(items=_(", ").join(words[:-1]), last=words[-1])


_SPANS = ("hours", "days", "months", "years")


def duration(hours: float, largest: str = "years", digits: int = 3) -> str:
    """A time span in the largest unit that reads well: minutes, hours, days, months or years.

    ``largest`` caps the unit: ``"days"`` keeps 319 days as days rather than 10.5 months.

    >>> duration(0.25), duration(72), duration(24 * 319), duration(24 * 319, largest="days")
    ('15 min', '3 days', '10.5 months', '319 days')
    """
    if largest not in _SPANS:
        raise ValueError(f"largest={largest!r} is not allowed; choose one of: {', '.join(_SPANS)}")
    hours = float(hours)
    cap = _SPANS.index(largest)
    if hours < 1:
        return f"{number(hours * 60, digits)} min"
    if hours < 48 or cap == 0:
        return f"{number(hours, digits)} h"
    days = hours / 24
    if days < 60 or cap == 1:
        return _("{n} days").format(n=number(days, digits))
    if days < 365.25 * 1.5 or cap == 2:
        return _("{n} months").format(n=number(days / (365.25 / 12), digits))
    return _("{n} years").format(n=number(days / 365.25, digits))


def cell(value: object) -> str:
    """A table cell as text: an empty or missing cell is '', a whole float loses its '.0'.

    >>> cell(None), cell(float("nan")), cell(3.0), cell(" t "), cell(2.5)
    ('', '', '3', 't', '2.5')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if not isinstance(value, str):
        try:
            import pandas as pd

            if pd.isna(value):
                return ""
        except (TypeError, ValueError):
            pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def significant(x: float, digits: int = 3) -> float:
    """``x`` rounded to ``digits`` significant digits (182,345 -> 182,000).

    >>> significant(182345), significant(-0.061234, 2)
    (182000.0, -0.061)
    """
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def money(value: float, currency: str = "EUR", digits: int = 3) -> str:
    """An amount of money as people write it: three significant digits, millions and billions in words.

    >>> money(50e6), money(182345), money(-1.234e6, "DKK"), money(0.0624), money(999999)
    ('50 million EUR', '182,000 EUR', '-1.23 million DKK', '0.0624 EUR', '1 million EUR')
    """
    x = significant(float(value), digits)
    if not math.isfinite(x):
        return f"{x} {currency}"
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(x) >= size:
            return f"{number(x / size, digits)} {word} {currency}"
    return f"{number(x, digits)} {currency}"
