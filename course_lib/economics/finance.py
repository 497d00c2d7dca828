"""Payback and net present value: the two questions "how fast do I get my money back?" and "is it worth it?".

The words, in plain language:

* an **investment** is money spent once, at the start (year 0): pipes, ponds, a digester;
* the **yearly net** is what comes in each year (revenues and savings) minus what goes out each
  year (running costs);
* the **simple payback** is investment / yearly net: the years until the money spent is back,
  counting a euro in ten years as worth a euro today;
* the **discount rate** says how much less a euro next year is worth than a euro today (money
  today can earn interest, and the future is uncertain): at a rate ``r`` a euro in ``t`` years is
  worth ``1 / (1 + r)**t`` euros today, its **present value**;
* the **net present value** (NPV) adds up every year's money at its present value, investment
  included: ``NPV = -investment + yearly_net * A``, with the **annuity factor**
  ``A = (1 - (1 + r)**-years) / r`` (the present value of one euro a year for ``years`` years).
  A positive NPV means the project earns more than the discount rate: it pays.

>>> round(annuity_factor(0.1, 2), 4)            # 1/1.1 + 1/1.21
1.7355
>>> round(npv(1000, 600, 0.1, 2), 2)            # -1000 + 600 * 1.7355
41.32
>>> simple_payback(1000, 400)
2.5
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .. import checks, params

__all__ = ["annuity_factor", "capital_recovery_factor", "npv", "simple_payback", "discounted_payback", "cash_flows"]


def annuity_factor(rate: Any, years: Any) -> float:
    """The present value of one unit of money a year for ``years`` years at discount rate ``rate``.

    ``(1 - (1 + rate)**-years) / rate``; with ``rate = 0`` it is simply ``years``.

    >>> annuity_factor(0, 10), round(annuity_factor(0.06, 15), 4)
    (10.0, 9.7122)
    """
    r, n = _rate(rate), checks.whole_number(years, "years", minimum=1)
    return float(n) if r == 0 else (1 - (1 + r) ** -n) / r


def capital_recovery_factor(rate: Any, years: Any) -> float:
    """The equal yearly payment, per unit of money invested now, that repays it with interest over ``years``.

    It is ``1 / annuity_factor(rate, years)``: the way to spread an investment over the years it serves
    (counting it once, and discounted), rather than dividing it by the years.

    >>> round(capital_recovery_factor(0.06, 20), 4)       # 12 million EUR -> 1.05 million EUR a year
    0.0872
    >>> capital_recovery_factor(0, 10)
    0.1
    """
    return 1.0 / annuity_factor(rate, years)


def _rate(value: Any) -> float:
    """A discount rate within the bounds of the price table's ``discount_rate`` (a share per year)."""
    return params.parameters("economics_prices")["discount_rate"].check(value, "rate")


def npv(investment: Any, yearly_net: Any, rate: Any, years: Any) -> float:
    """Net present value: ``-investment`` now plus ``yearly_net`` each year for ``years`` years, discounted.

    ``investment`` is spent once at the start (0 or more); ``yearly_net`` (money in minus money out,
    in the same currency) may be negative; ``rate`` is a share per year (0.06 for 6 %) within the
    bounds of ``discount_rate`` in the price table; ``years`` a whole number from 1.

    A pipe costing 1,000 that saves 600 a year for 2 years, at 10 %: the first year's 600 is
    worth 545.45 today, the second's 495.87, so the NPV is 1,041.32 - 1,000:

    >>> round(npv(1000, 600, 0.1, 2), 2)
    41.32
    >>> npv(1000, 600, 10, 2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: rate=10 looks like a percent: write 10 % as 0.1 (Real discount rate: ...; allowed: between 0 and 0.5)
    >>> npv(-5, 600, 0.1, 2)
    Traceback (most recent call last):
    ...
    ValueError: investment=-5 is not allowed: give a number >= 0
    """
    spent = checks.number(investment, "investment", minimum=0)
    net = checks.number(yearly_net, "yearly_net")
    return -spent + net * annuity_factor(rate, years)


def simple_payback(investment: Any, yearly_net: Any) -> float:
    """Years until the yearly net has paid the investment back (``inf`` if it never does).

    >>> simple_payback(1000, 400), simple_payback(1000, -50)
    (2.5, inf)
    """
    spent = checks.number(investment, "investment", minimum=0)
    net = checks.number(yearly_net, "yearly_net")
    if spent == 0:
        return 0.0
    return spent / net if net > 0 else math.inf


def cash_flows(investment: Any, yearly_net: Any, rate: Any, years: Any) -> pd.DataFrame:
    """Year by year: the money, its present value, and both added up (cumulative).

    Columns ``year`` (0 = the investment), ``cash_flow``, ``discount_factor``
    (``1 / (1 + rate)**year``), ``present_value``, ``cumulative`` and ``cumulative_present_value``
    (its last value is the NPV).

    >>> cash_flows(1000, 600, 0.1, 2).round(2).to_dict("list")["cumulative_present_value"]
    [-1000.0, -454.55, 41.32]
    """
    spent = checks.number(investment, "investment", minimum=0)
    net = checks.number(yearly_net, "yearly_net")
    r, n = _rate(rate), checks.whole_number(years, "years", minimum=1)
    frame = pd.DataFrame({"year": range(n + 1)})
    frame["cash_flow"] = [-spent] + [net] * n
    frame["discount_factor"] = (1 + r) ** -frame["year"].astype(float)
    frame["present_value"] = frame["cash_flow"] * frame["discount_factor"]
    frame["cumulative"] = frame["cash_flow"].cumsum()
    frame["cumulative_present_value"] = frame["present_value"].cumsum()
    return frame


def discounted_payback(investment: Any, yearly_net: Any, rate: Any, years: Any = 100) -> float:
    """Years until the *discounted* yearly nets have paid the investment back (``inf`` if not within ``years``).

    Between two whole years the point is found by straight-line interpolation. It is never
    shorter than the simple payback: later euros count for less.

    >>> round(discounted_payback(1000, 600, 0.1, 2), 2), simple_payback(1000, 600)
    (1.92, 1.6666666666666667)
    """
    flows = cash_flows(investment, yearly_net, rate, years)
    cumulative = flows["cumulative_present_value"].tolist()
    if cumulative[0] >= 0:
        return 0.0
    for year in range(1, len(cumulative)):
        if cumulative[year] >= 0:
            before, after = cumulative[year - 1], cumulative[year]
            return year - 1 + (-before) / (after - before)
    return math.inf
