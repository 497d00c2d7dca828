"""The economics topic's own argument checks, built on :mod:`course_lib.checks` (private).

* :func:`rate`: a discount rate, a share per year within a sane range, with the percent slip named;
* :func:`years`: a whole number of years.
"""

from __future__ import annotations

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


# Money is written by the floor's formats module (one place for every figure the course prints).
money = formats.money
significant = formats.significant
