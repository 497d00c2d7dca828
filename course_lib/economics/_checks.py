"""Checks and formats the economics topic needs and the floor does not have yet (private).

* :func:`rate`: a discount rate, a share per year within a sane range, with the percent slip named;
* :func:`years`: a whole number of years;
* :func:`money`: an amount of money as people write it ("50 million EUR", "182,000 EUR").
"""

from __future__ import annotations

import math
from typing import Any

from .. import checks, formats

__all__ = ["MAX_RATE", "rate", "years", "money", "significant"]

#: The largest discount rate the course accepts: 50 % a year is already far beyond any appraisal.
MAX_RATE = 0.5


def rate(value: Any, argument: str = "rate") -> float:
    """A discount rate as a share per year, from 0 to :data:`MAX_RATE`.

    >>> rate(0.06)
    0.06
    >>> rate(6)
    Traceback (most recent call last):
    ...
    ValueError: rate=6 looks like a percent: write 6 % as 0.06 (a discount rate is a share per year)
    >>> rate(0.8)
    Traceback (most recent call last):
    ...
    ValueError: rate=0.8 is outside the sane range of discount rates: give a share per year between 0 and 0.5 (0 % to 50 %)
    """
    result = checks.number(value, argument)
    if 1 < result <= 100:
        raise ValueError(f"{argument}={value!r} looks like a percent: write {result:g} % as {result / 100:g} "
                         "(a discount rate is a share per year)")
    if result < 0 or result > MAX_RATE:
        raise ValueError(f"{argument}={value!r} is outside the sane range of discount rates: give a share per year "
                         f"between 0 and {MAX_RATE:g} (0 % to {MAX_RATE * 100:g} %)")
    return result


def years(value: Any, argument: str = "years") -> int:
    """A number of years counted: a whole number from 1 to 100.

    >>> years(15.0)
    15
    """
    return checks.whole_number(value, argument, minimum=1, maximum=100)


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
            return f"{formats.number(x / size, digits)} {word} {currency}"
    return f"{formats.number(x, digits)} {currency}"
