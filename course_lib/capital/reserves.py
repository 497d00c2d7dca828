"""A non-renewable reserve has no income: how long it lasts at constant and at growing use.

The static reserve index (years left at today's use) and the exponential reserve index (years
left when use grows) of *The Limits to Growth* (Meadows et al., 1972, Table 4).

>>> round(exponential_index(31, 0.039).magnitude, 1)   # petroleum: 31 years become about 20
20.3
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pint

from .. import checks, data
from ..params import Parameter, parameters
from ..units import Q_
from .stock import _points, _unit, _years

__all__ = ["static_index", "exponential_index", "reserve_path", "reserve_check"]

N_ = str  # marks a message for the catalogue; charts translate the names they show (i18n._)
_RESERVE_COLUMNS = ("resource", "static_index", "growth_rate", "exponential_index", "exponential_index_5x")


def static_index(reserve: Any, use: Any, unit: str = "t") -> pint.Quantity:
    """Years a reserve lasts at today's use: reserve / use (the 'static reserve index').

    >>> print(static_index(775e6, 1.85e6))   # chromium in 1970 (Limits to Growth): t and t/year
    418.9189189189189 a
    """
    unit = _unit(unit)
    R = checks.magnitude(reserve, "reserve", unit, minimum=0)
    P = checks.magnitude(use, "use", f"{unit}/year", minimum=0, inclusive=False)
    return Q_(R / P, "year")


def _growth_row() -> Parameter:
    """The growth of use in ``capital_reserve_parameters``: its default, slider range and bounds."""
    return parameters("capital_reserve_parameters")["growth"]


def _growth(growth: Any) -> float:
    """The yearly growth rate of use as a fraction (3.9 % a year is 0.039), within the table's bounds."""
    g = checks.magnitude(growth, "growth", "1/year")
    row = _growth_row()
    if not row.allows(float(Q_(g, "1/year").to(row.unit).magnitude)):
        raise ValueError(f"growth={growth!r} per year must be {row.bounds_text(float(Q_(1, row.unit).to('1/year').magnitude))}: "
                         "give 3.9 % a year as 0.039 or as Q_(3.9, 'percent/year')")
    return g


def exponential_index(static: Any, growth: Any) -> pint.Quantity:
    """Years a reserve lasts when use grows exponentially: ``ln(1 + g s) / g``.

    ``static`` is the static index s (years at today's use), ``growth`` the yearly growth rate
    g of use (0.039 or ``Q_(3.9, "percent/year")``). Derivation: with use ``P0 e^(g t)`` the
    amount used by time t is ``P0 (e^(g t) - 1) / g``; setting it equal to the reserve
    ``R = s P0`` and solving for t gives the formula. A negative g (use shrinking) can make the
    reserve last for ever: then the result is ``inf`` years.

    >>> round(exponential_index(420, Q_(2.6, "percent/year")).magnitude)   # chromium
    95
    """
    s = checks.magnitude(static, "static", "year", minimum=0, inclusive=False)
    g = _growth(growth)
    if abs(g) < 1e-12:
        return Q_(s, "year")
    if 1 + g * s <= 0:
        return Q_(math.inf, "year")
    return Q_(math.log1p(g * s) / g, "year")  # log1p: exact also for a tiny growth


def reserve_path(static: Any, growth: Any, years: int = 100, points_per_year: int = 2) -> pd.DataFrame:
    """What is left of a reserve over time, at constant use and at growing use.

    The reserve is measured in percent of today's, use in percent of today's reserve per year.
    One row per time point and scenario (``"constant use"``, ``"growing use"``); ``attrs`` give
    both indices.

    >>> round(reserve_path(31, 0.039, years=40).attrs["exponential_index"], 1)
    20.3
    """
    s = checks.magnitude(static, "static", "year", minimum=0, inclusive=False)
    g = _growth(growth)
    span = _years(years)
    per_year = _points(points_per_year)
    e = exponential_index(s, g).magnitude
    t = np.linspace(0.0, span, span * per_year + 1)
    t = np.union1d(t, [x for x in (s, e) if x <= span])  # include the moments the reserve runs out
    use0 = 100.0 / s  # percent of today's reserve used per year
    frames = []
    for scenario, rate in ((N_("constant use"), 0.0), (N_("growing use"), g)):
        with np.errstate(over="ignore"):
            used = use0 * t if rate == 0 else use0 * np.expm1(rate * t) / rate
            use = use0 * np.exp(rate * t)
        remaining = np.clip(100.0 - used, 0.0, None)
        use = np.where(remaining > 0, use, 0.0)  # nothing left, nothing used
        frames.append(pd.DataFrame({"year": t, "scenario": scenario, "remaining": remaining, "use": use}))
    frame = pd.concat(frames, ignore_index=True)
    frame.attrs = {"units": {"year": "year", "remaining": "percent", "use": "percent/year"},
                   "static_index": s, "exponential_index": e, "growth": g}
    return frame


def reserve_check(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recompute the exponential indices of *The Limits to Growth* (Table 4) from its own inputs.

    Adds ``computed`` and ``computed_5x`` (five times the reserves, so a static index 5 s) next
    to the printed values, and their differences. The book rounded to whole years.

    >>> reserve_check().set_index("resource").loc["petroleum", ["exponential_index", "computed"]].round(1).tolist()
    [20.0, 20.3]
    """
    table = data.load("capital_reserves") if table is None else checks.frame(table, "table", _RESERVE_COLUMNS)
    out = table[list(_RESERVE_COLUMNS)].copy()
    growth = [Q_(float(g), "percent/year") for g in out["growth_rate"]]
    out["computed"] = [exponential_index(float(s), g).magnitude for s, g in zip(out["static_index"], growth)]
    out["computed_5x"] = [exponential_index(5 * float(s), g).magnitude for s, g in zip(out["static_index"], growth)]
    out["difference"] = out["computed"] - out["exponential_index"]
    out["difference_5x"] = out["computed_5x"] - out["exponential_index_5x"]
    out.attrs = {**table.attrs, "units": {c: "year" for c in out.columns if c not in ("resource", "growth_rate")}}
    return out
