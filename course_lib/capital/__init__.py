"""Natural capital: living on nature's income or drawing down its capital.

Schumacher's point, quoted in the article, is that we fail "to distinguish between income and
capital where this distinction matters most". This module makes the distinction computable:

* a **renewable stock** (fish, forest, any living population) regrows by logistic growth
  ``g(N) = r N (1 - N/K)``: that regrowth is nature's *income*; the stock ``N`` is the *capital*.
  Three harvest policies are modelled: a **fixed amount** per year, a **fixed fraction** of the
  stock per year, and **income only** (never take more than this year's regrowth). The classic
  results are computed, not asserted: the maximum sustainable yield (MSY, ``rK/4``), collapse
  when a fixed harvest exceeds it, and the time to collapse;
* a **non-renewable reserve** (oil, ores) has no income at all: the static reserve index (years
  left at today's use) and the exponential reserve index (years left when use grows) of
  *The Limits to Growth*;
* the long trends behind the article's Figures 1-2, from the Gapminder data that ships offline
  with plotly, grouped into "developed" and "developing" by a stated rule.

>>> from course_lib import capital
>>> print(capital.maximum_sustainable_yield(0.5, 1000))      # r = 0.5 per year, K = 1000 t
125.0 t/a
>>> round(capital.time_to_collapse(0.5, 1000, 150, initial=500).magnitude, 2)   # years
10.29
>>> round(capital.exponential_index(31, 0.039).magnitude, 1)   # petroleum, Limits to Growth
20.3

Units: stocks are in ``unit`` (default tonnes, ``"t"``), harvests in ``unit`` per year, growth
rates per year. Every function also accepts pint quantities in any compatible unit.
"""

from __future__ import annotations

import functools
import math
import numbers
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pint

from .. import charts, data, widgets
from ..units import Q_, check_unit

__all__ = [
    "POLICIES",
    "R_MAX",
    "defaults",
    "surplus_production",
    "sustainable_yield_curve",
    "maximum_sustainable_yield",
    "msy_stock",
    "equilibrium_stocks",
    "time_to_collapse",
    "stock_path",
    "compare_policies",
    "yearly_stock",
    "collapse_table",
    "static_index",
    "exponential_index",
    "reserve_path",
    "reserve_check",
    "sorting_answer",
    "read_gapminder",
    "development_group",
    "long_trends",
    "population_growth",
    "stock_chart",
    "yield_curve_chart",
    "income_capital_chart",
    "reserve_chart",
    "grouping_text",
    "trends_chart",
    "life_growth_chart",
    "stock_explorer",
    "reserve_explorer",
]

#: The harvest policies of the renewable stock model.
POLICIES = ("fixed amount", "fixed fraction", "income only")
#: Growth rates must stay below this (per year): above 2 the year-by-year logistic model
#: overshoots its equilibrium and turns chaotic, so the course keeps both versions below it.
R_MAX = 2.0
# Relative tolerance for "harvest equals MSY exactly" (a slider can hit it exactly).
_TOL = 1e-9


# ---- argument checking ----------------------------------------------------------------------


def _number(value, argument: str, unit: str, *, allow_zero: bool = True, allow_negative: bool = False) -> float:
    """``value`` (a number read in ``unit``, or a pint Quantity) as a float in ``unit``."""
    if isinstance(value, pint.Quantity):
        target = check_unit(unit, "unit")
        if value.dimensionality != target.dimensionality:
            raise ValueError(f"{argument}={value} has the wrong dimension: it must be convertible to {unit}")
        magnitude = value.to(target).magnitude
        shown = f"{value}"
    else:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{argument} must be a number (in {unit}) or a pint Quantity, got {value!r} of type {type(value).__name__}")
        magnitude = value
        shown = f"{value!r}"
    magnitude = float(magnitude)
    if not math.isfinite(magnitude):
        raise ValueError(f"{argument}={shown} is not a finite number")
    if magnitude < 0 and not allow_negative:
        raise ValueError(f"{argument}={shown} is negative; it must be 0 or more ({unit})")
    if magnitude == 0 and not allow_zero:
        raise ValueError(f"{argument}={shown} must be greater than 0 ({unit})")
    return magnitude


def _growth_rate(r) -> float:
    value = _number(r, "r", "1/year", allow_zero=False)
    if value >= R_MAX:
        raise ValueError(
            f"r={r!r} per year is outside the stable range 0 < r < {R_MAX:g} per year: above it the "
            "year-by-year logistic model overshoots and turns chaotic, so the course keeps r below it"
        )
    return value


def _capacity(K, unit: str) -> float:
    return _number(K, "K", unit, allow_zero=False)


def _initial(initial, K: float, unit: str) -> float:
    if initial is None:
        return K
    value = _number(initial, "initial", unit, allow_zero=False)
    if value > K * (1 + _TOL):
        raise ValueError(f"initial={initial!r} is above the capacity K={K:g} {unit}; the stock must start between 0 and K")
    return min(value, K)


def _years(years, argument: str = "years", maximum: int = 1000) -> int:
    if isinstance(years, bool) or not isinstance(years, numbers.Real):
        raise TypeError(f"{argument} must be a whole positive number of years, got {years!r} of type {type(years).__name__}")
    if not math.isfinite(years) or years != int(years) or years <= 0:
        raise ValueError(f"{argument}={years!r} must be a whole positive number of years (1, 2, ... {maximum})")
    if years > maximum:
        raise ValueError(f"{argument}={years!r} is more than the {maximum} years the model allows")
    return int(years)


def _policy(policy) -> str:
    if not isinstance(policy, str):
        raise TypeError(f"policy must be one of {POLICIES}, got {policy!r} of type {type(policy).__name__}")
    if policy not in POLICIES:
        raise ValueError(f"policy={policy!r} is not a harvest policy; choose one of {', '.join(POLICIES)}")
    return policy


def _unit(unit) -> str:
    check_unit(unit, "unit")
    return unit


@functools.lru_cache(maxsize=1)
def _defaults_table() -> pd.DataFrame:
    return data.load("capital_model_defaults").set_index("parameter")


def defaults() -> dict:
    """The stock model's default parameters from ``datasets/capital_model_defaults.csv``.

    >>> d = defaults()
    >>> d["growth_rate"], d["capacity"], d["harvest"], d["initial_share"], d["horizon"]
    (0.5, 1000.0, 150.0, 50.0, 60)
    """
    table = _defaults_table()
    values = {name: float(value) for name, value in table["value"].items()}
    values["horizon"] = int(values["horizon"])
    return values


# ---- renewable stock: regrowth and the sustainable yield ---------------------------------------


def surplus_production(stock, r, K):
    """Regrowth per year of a logistic stock: ``r N (1 - N/K)`` (works on numpy arrays).

    This is nature's *income*: what can be taken each year without shrinking the stock.

    >>> surplus_production(500.0, 0.5, 1000.0)
    125.0
    """
    r, K = _growth_rate(r), _capacity(K, "t")
    stock = np.asarray(stock, dtype=float)
    if np.any(~np.isfinite(stock)) or np.any(stock < 0):
        raise ValueError(f"stock={stock!r} must be finite and 0 or more")
    result = r * stock * (1.0 - stock / K)
    return float(result) if result.ndim == 0 else result


def _peak(function, low: float, high: float) -> float:
    """Where a single-peaked ``function`` on [low, high] is highest: bisection on its slope.

    The slope is a central difference; for a smooth peak it changes sign once, so halving the
    interval 100 times pins the peak down to rounding error (searching the function values
    themselves would stall at about 1e-8 relative, because the top of a peak is flat).
    """
    a, b = low, high
    for _ in range(100):
        middle = (a + b) / 2
        h = 1e-6 * (high - low)
        if function(middle + h) - function(middle - h) > 0:
            a = middle
        else:
            b = middle
    return (a + b) / 2


def msy_stock(r, K, unit: str = "t") -> pint.Quantity:
    """The stock at which regrowth is largest, found by searching the regrowth curve.

    The answer is K/2 for every r: a stock regrows fastest when it is half full.

    >>> print(msy_stock(0.5, 1000))
    500.0 t
    """
    unit = _unit(unit)
    r, K = _growth_rate(r), _capacity(K, unit)
    best = _peak(lambda n: r * n * (1 - n / K), 0.0, K)
    return Q_(float(f"{best:.10g}"), unit)  # 10 digits: the precision of the search


def maximum_sustainable_yield(r, K, unit: str = "t") -> pint.Quantity:
    """The largest harvest per year a logistic stock can give for ever (MSY).

    Computed as the maximum of the regrowth curve (not typed in as a formula); the tests check
    it against the closed form ``rK/4``.

    >>> print(maximum_sustainable_yield(0.5, 1000))
    125.0 t/a
    """
    unit = _unit(unit)
    r, K = _growth_rate(r), _capacity(K, unit)
    best = msy_stock(r, K, unit).magnitude
    return Q_(r * best * (1 - best / K), f"{unit}/year")


def sustainable_yield_curve(r, K, points: int = 101, unit: str = "t") -> pd.DataFrame:
    """Regrowth per year for stocks from 0 to K: the curve whose top is the MSY.

    >>> sustainable_yield_curve(0.5, 1000, points=3)["regrowth"].tolist()
    [0.0, 125.0, 0.0]
    """
    unit = _unit(unit)
    r, K = _growth_rate(r), _capacity(K, unit)
    if isinstance(points, bool) or not isinstance(points, numbers.Integral) or points < 3:
        raise ValueError(f"points={points!r} must be a whole number of at least 3")
    stock = np.linspace(0.0, K, int(points))
    frame = pd.DataFrame({"stock": stock, "regrowth": r * stock * (1 - stock / K)})
    frame.attrs["units"] = {"stock": unit, "regrowth": f"{unit}/year"}
    return frame


def equilibrium_stocks(r, K, harvest, unit: str = "t") -> tuple:
    """The stocks at which a fixed harvest equals regrowth: ``(lower, upper)``, or ``()`` if none.

    Above the upper one the stock shrinks towards it, between them it grows towards the upper
    one, and below the lower one it collapses. A harvest above the MSY has none: the stock always
    shrinks.

    >>> [round(q.magnitude) for q in equilibrium_stocks(0.5, 1000, 120)]
    [400, 600]
    >>> equilibrium_stocks(0.5, 1000, 150)
    ()
    """
    unit = _unit(unit)
    r, K = _growth_rate(r), _capacity(K, unit)
    H = _number(harvest, "harvest", f"{unit}/year")
    D = K * K / 4 - K * H / r
    if D < -_TOL * K * K:
        return ()
    b = math.sqrt(max(D, 0.0))
    return (Q_(K / 2 - b, unit), Q_(K / 2 + b, unit))


# ---- renewable stock: closed-form paths ----------------------------------------------------------
#
# With a fixed harvest H, dN/dt = rN(1 - N/K) - H = -(r/K)[(N - K/2)^2 - D] with
# D = K^2/4 - KH/r. The sign of D (harvest below, at or above the MSY rK/4) decides the shape:
# D < 0: tangent (the stock always falls and hits zero), D = 0: hyperbola, D > 0: tanh-like
# approach to an equilibrium. The fixed-fraction policy is a logistic with r' = r - f. These
# closed forms make a path exact and fast (vectorised over time, no loop); the tests check them
# against an independent numerical integration.


def _collapse_time(r: float, K: float, H: float, N0: float) -> float:
    """Years until a fixed harvest H empties a stock starting at N0 (inf if it never does)."""
    if H <= 0:
        return math.inf
    D = K * K / 4 - K * H / r
    x0 = N0 - K / 2
    if D < -_TOL * K * K:
        a = math.sqrt(-D)
        return K / (r * a) * (math.atan(x0 / a) + math.atan(K / (2 * a)))
    if D <= _TOL * K * K:
        return math.inf if x0 >= 0 else (K / r) * (1 / (-x0) - 2 / K)
    b = math.sqrt(D)
    if x0 >= -b - _TOL * K:
        return math.inf  # at or above the lower equilibrium: the stock never empties
    start = (x0 - b) / (x0 + b)
    end = (K / 2 + b) / (K / 2 - b)
    return K / (2 * b * r) * math.log(start / end)


def _fixed_stock(t: np.ndarray, r: float, K: float, H: float, N0: float) -> np.ndarray:
    """The stock at times t under a fixed harvest H (zero from the collapse on)."""
    D = K * K / 4 - K * H / r
    x0 = N0 - K / 2
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if D < -_TOL * K * K:
            a = math.sqrt(-D)
            x = a * np.tan(math.atan(x0 / a) - r * a * t / K)
        elif D <= _TOL * K * K:
            x = x0 / (1 + r * x0 * t / K)
        else:
            b = math.sqrt(D)
            if abs(x0 + b) <= _TOL * K:
                x = np.full_like(t, x0)
            else:
                E = (x0 - b) / (x0 + b) * np.exp(-2 * b * r * t / K)
                x = b * (1 + E) / (1 - E)
    stock = np.clip(K / 2 + x, 0.0, None)
    stock[t >= _collapse_time(r, K, H, N0)] = 0.0
    return stock


def _fraction_stock(t: np.ndarray, r: float, K: float, f: float, N0: float) -> tuple[np.ndarray, np.ndarray]:
    """Stock and cumulative harvest at times t when a share f of the stock is taken per year."""
    rp = r - f
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if abs(rp) <= _TOL * r:
            stock = N0 / (1 + r * N0 * t / K)
            cumulative = f * K / r * np.log1p(r * N0 * t / K)
        else:
            Kp = K * rp / r  # the new equilibrium (negative when f > r: the stock dies out)
            c = (Kp - N0) / N0
            decay = np.exp(-rp * t)
            stock = Kp / (1 + c * decay)
            if rp > 0:  # written so that nothing overflows for long horizons
                cumulative = f * K / r * (rp * t + np.log((1 + c * decay) / (1 + c)))
            else:
                cumulative = f * K / r * np.log((np.exp(rp * t) + c) / (1 + c))
    return np.clip(stock, 0.0, None), cumulative


def time_to_collapse(r, K, harvest, initial=None, unit: str = "t") -> pint.Quantity:
    """Years until a fixed harvest per year empties the stock (``inf`` years if it never does).

    A harvest above the MSY always empties it, from any start; a harvest at or below the MSY
    empties it only if the stock starts below the lower equilibrium.

    >>> round(time_to_collapse(0.5, 1000, 150, initial=500).magnitude, 2)
    10.29
    >>> time_to_collapse(0.5, 1000, 100, initial=1000).magnitude
    inf
    """
    unit = _unit(unit)
    r, K = _growth_rate(r), _capacity(K, unit)
    H = _number(harvest, "harvest", f"{unit}/year")
    N0 = _initial(initial, K, unit)
    return Q_(_collapse_time(r, K, H, N0), "year")


def stock_path(r, K, harvest, policy: str = "fixed amount", years: int = 60, initial=None, *,
               fraction=None, points_per_year: int = 4, unit: str = "t") -> pd.DataFrame:
    """Stock, harvest and regrowth over time under one harvest policy (continuous time, exact).

    ``harvest`` is the target harvest per year. Policies:

    * ``"fixed amount"``: take ``harvest`` every year while anything is left;
    * ``"fixed fraction"``: take the share ``fraction`` of the stock per year; if ``fraction`` is
      not given, it is ``harvest / initial``, so that all three policies start with the same
      harvest;
    * ``"income only"``: take ``harvest`` but never more than the stock's regrowth, so the
      capital is never drawn down.

    ``initial`` defaults to K. Returns one row per time point: ``year``, ``stock``, ``harvest``
    and ``regrowth`` (rates per year), ``cumulative_harvest`` and ``policy``; ``attrs`` hold the
    units, the MSY and the ``collapse_year`` (``None`` if the stock never empties).

    >>> path = stock_path(0.5, 1000, 150, "fixed amount", years=20, initial=500)
    >>> round(path.attrs["collapse_year"], 2), float(path["stock"].iloc[-1])
    (10.29, 0.0)
    >>> float(stock_path(0.5, 1000, 150, "income only", years=20, initial=500)["stock"].iloc[-1])
    500.0
    """
    unit = _unit(unit)
    r, K = _growth_rate(r), _capacity(K, unit)
    H = _number(harvest, "harvest", f"{unit}/year")
    policy = _policy(policy)
    years = _years(years)
    N0 = _initial(initial, K, unit)
    if isinstance(points_per_year, bool) or not isinstance(points_per_year, numbers.Integral) or not 1 <= points_per_year <= 100:
        raise ValueError(f"points_per_year={points_per_year!r} must be a whole number from 1 to 100")
    if fraction is not None and policy != "fixed fraction":
        raise ValueError(f"fraction={fraction!r} only applies to policy='fixed fraction', not {policy!r}")

    t = np.linspace(0.0, years, years * int(points_per_year) + 1)
    collapse = None
    if policy == "fixed amount":
        T = _collapse_time(r, K, H, N0)
        if T <= years:
            collapse = T
            t = np.union1d(t, [T])  # so the line reaches zero exactly when the stock is gone
        stock = _fixed_stock(t, r, K, H, N0)
        harvest_rate = np.where(t < T, H, 0.0)
        cumulative = H * np.minimum(t, T)
    elif policy == "fixed fraction":
        f = H / N0 if fraction is None else _number(fraction, "fraction", "1/year")
        stock, cumulative = _fraction_stock(t, r, K, f, N0)
        harvest_rate = f * stock
    else:
        income = r * N0 * (1 - N0 / K)
        if H >= income:  # the target is more than the income: take the income, keep the capital
            stock, harvest_rate, cumulative = np.full_like(t, N0), np.full_like(t, income), income * t
        else:  # the target is within the income: the stock grows towards the upper equilibrium
            stock, harvest_rate, cumulative = _fixed_stock(t, r, K, H, N0), np.full_like(t, H), H * t
    frame = pd.DataFrame({
        "year": t,
        "stock": stock,
        "harvest": harvest_rate,
        "regrowth": r * stock * (1 - stock / K),
        "cumulative_harvest": cumulative,
        "policy": policy,
    })
    frame.attrs = {
        "units": {"year": "year", "stock": unit, "harvest": f"{unit}/year", "regrowth": f"{unit}/year",
                  "cumulative_harvest": unit},
        "r": r, "K": K, "harvest": H, "initial": N0, "msy": r * K / 4, "collapse_year": collapse,
    }
    return frame


def compare_policies(r, K, harvest, years: int = 60, initial=None, *, points_per_year: int = 4,
                     unit: str = "t") -> pd.DataFrame:
    """:func:`stock_path` for all three policies, stacked (same start, same first-year harvest).

    >>> table = compare_policies(0.5, 1000, 150, years=60, initial=500)
    >>> table.groupby("policy")["cumulative_harvest"].last().round().to_dict()
    {'fixed amount': 1543.0, 'fixed fraction': 7334.0, 'income only': 7500.0}
    """
    paths = [stock_path(r, K, harvest, policy, years, initial, points_per_year=points_per_year, unit=unit)
             for policy in POLICIES]
    frame = pd.concat(paths, ignore_index=True)
    frame.attrs = {**paths[0].attrs, "collapse_year": paths[0].attrs["collapse_year"]}
    return frame


def yearly_stock(r, K, harvest, policy: str = "fixed amount", years: int = 10, initial=None, *,
                 fraction=None, unit: str = "t") -> pd.DataFrame:
    """The same model one year at a time, as you would do it by hand or in a spreadsheet.

    Each year: regrowth = r N (1 - N/K); harvest by the policy (never more than there is);
    next year's stock = stock + regrowth - harvest. One row per year: the stock at the start
    of the year, the regrowth and the harvest during it.

    >>> yearly_stock(0.5, 1000, 150, years=2, initial=500)[["year", "stock", "regrowth", "harvest"]].values.tolist()
    [[0.0, 500.0, 125.0, 150.0], [1.0, 475.0, 124.6875, 150.0], [2.0, 449.6875, 123.734326171875, 150.0]]
    """
    unit = _unit(unit)
    r, K = _growth_rate(r), _capacity(K, unit)
    H = _number(harvest, "harvest", f"{unit}/year")
    policy = _policy(policy)
    years = _years(years)
    N = _initial(initial, K, unit)
    if fraction is not None and policy != "fixed fraction":
        raise ValueError(f"fraction={fraction!r} only applies to policy='fixed fraction', not {policy!r}")
    f = (H / N if fraction is None else _number(fraction, "fraction", "1/year")) if policy == "fixed fraction" else None
    if f is not None and f > 1:
        raise ValueError(f"the harvest share per year is {f:g}; in the year-by-year model it must be at most 1 (all of the stock)")
    rows = []
    for year in range(years + 1):
        regrowth = r * N * (1 - N / K)
        if policy == "fixed amount":
            target = H
        elif policy == "fixed fraction":
            target = f * N
        else:
            target = min(H, max(regrowth, 0.0))
        taken = min(target, N + regrowth)  # cannot take more than there is
        rows.append({"year": float(year), "stock": N, "regrowth": regrowth, "harvest": taken})
        N = max(N + regrowth - taken, 0.0)
    frame = pd.DataFrame(rows)
    frame["policy"] = policy
    frame.attrs["units"] = {"year": "year", "stock": unit, "regrowth": f"{unit}/year", "harvest": f"{unit}/year"}
    return frame


def collapse_table(r, K, initial=None, shares=(0.5, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0), unit: str = "t") -> pd.DataFrame:
    """Years to collapse for fixed harvests given as multiples of the MSY.

    >>> collapse_table(0.5, 1000, 500, shares=(1.0, 1.2))["years_to_collapse"].round(2).tolist()
    [inf, 10.29]
    """
    unit = _unit(unit)
    r, K = _growth_rate(r), _capacity(K, unit)
    N0 = _initial(initial, K, unit)
    msy = maximum_sustainable_yield(r, K, unit).magnitude
    rows = []
    for share in shares:
        share = _number(share, "shares", "dimensionless")
        rows.append({"harvest_share_of_msy": share, "harvest": share * msy,
                     "years_to_collapse": _collapse_time(r, K, share * msy, N0)})
    frame = pd.DataFrame(rows)
    frame.attrs["units"] = {"harvest": f"{unit}/year", "years_to_collapse": "year"}
    return frame


# ---- non-renewable reserves --------------------------------------------------------------------


def static_index(reserve, use, unit: str = "t") -> pint.Quantity:
    """Years a reserve lasts at today's use: reserve / use (the 'static reserve index').

    >>> print(static_index(775e6, 1.85e6))   # chromium in 1970 (Limits to Growth): t and t/year
    418.9189189189189 a
    """
    unit = _unit(unit)
    R = _number(reserve, "reserve", unit)
    P = _number(use, "use", f"{unit}/year", allow_zero=False)
    return Q_(R / P, "year")


def _growth(growth) -> float:
    g = _number(growth, "growth", "1/year", allow_negative=True)
    if not -1 < g < 1:
        raise ValueError(
            f"growth={growth!r} per year is outside -1 < growth < 1: give 3.9 % a year as 0.039 or as "
            "Q_(3.9, 'percent/year')"
        )
    return g


def exponential_index(static, growth) -> pint.Quantity:
    """Years a reserve lasts when use grows exponentially: ``ln(1 + g s) / g``.

    ``static`` is the static index s (years at today's use), ``growth`` the yearly growth rate
    g of use (0.039 or ``Q_(3.9, "percent/year")``). Derivation: with use ``P0 e^(g t)`` the
    amount used by time t is ``P0 (e^(g t) - 1) / g``; setting it equal to the reserve
    ``R = s P0`` and solving for t gives the formula. A negative g (use shrinking) can make the
    reserve last for ever: then the result is ``inf`` years.

    >>> round(exponential_index(420, Q_(2.6, "percent/year")).magnitude)   # chromium
    95
    >>> exponential_index(50, 0).magnitude
    50.0
    """
    s = _number(static, "static", "year", allow_zero=False)
    g = _growth(growth)
    if abs(g) < 1e-12:
        return Q_(s, "year")
    inside = 1 + g * s
    if inside <= 0:
        return Q_(math.inf, "year")
    return Q_(math.log1p(g * s) / g, "year")  # log1p: exact also for a tiny growth


def reserve_path(static, growth, years: int = 100, points_per_year: int = 2) -> pd.DataFrame:
    """What is left of a reserve over time, at constant use and at growing use.

    The reserve is measured in percent of today's, use in percent of today's reserve per year.
    One row per time point and scenario (``"constant use"``, ``"growing use"``); ``attrs`` give
    both indices.

    >>> path = reserve_path(31, 0.039, years=40)
    >>> round(path.attrs["exponential_index"], 1), round(path.attrs["static_index"], 1)
    (20.3, 31.0)
    >>> path[(path.scenario == "growing use") & (path.year == 40)]["remaining"].item()
    0.0
    """
    s = _number(static, "static", "year", allow_zero=False)
    g = _growth(growth)
    years = _years(years)
    if isinstance(points_per_year, bool) or not isinstance(points_per_year, numbers.Integral) or not 1 <= points_per_year <= 100:
        raise ValueError(f"points_per_year={points_per_year!r} must be a whole number from 1 to 100")
    e = exponential_index(s, g).magnitude
    t = np.linspace(0.0, years, years * int(points_per_year) + 1)
    t = np.union1d(t, [x for x in (s, e) if x <= years])  # include the moments the reserve runs out
    use0 = 100.0 / s  # percent of today's reserve used per year
    frames = []
    for scenario, rate in (("constant use", 0.0), ("growing use", g)):
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

    >>> check = reserve_check()
    >>> check.set_index("resource").loc["petroleum", ["exponential_index", "computed"]].round(1).tolist()
    [20.0, 20.3]
    """
    table = data.load("capital_reserves") if table is None else table
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a DataFrame like data.load('capital_reserves'), got {type(table).__name__}")
    missing = {"resource", "static_index", "growth_rate", "exponential_index", "exponential_index_5x"} - set(table.columns)
    if missing:
        raise ValueError(f"table lacks the columns {sorted(missing)}")
    out = table[["resource", "static_index", "growth_rate", "exponential_index", "exponential_index_5x"]].copy()
    growth = [Q_(float(g), "percent/year") for g in out["growth_rate"]]
    out["computed"] = [exponential_index(float(s), g).magnitude for s, g in zip(out["static_index"], growth)]
    out["computed_5x"] = [exponential_index(5 * float(s), g).magnitude for s, g in zip(out["static_index"], growth)]
    out["difference"] = out["computed"] - out["exponential_index"]
    out["difference_5x"] = out["computed_5x"] - out["exponential_index_5x"]
    out.attrs = {**table.attrs, "units": {c: "year" for c in out.columns if c not in ("resource", "growth_rate")}}
    return out


# ---- the four capitals -----------------------------------------------------------------------------


def sorting_answer(items=None) -> dict:
    """The capital each example belongs to, from ``datasets/capital_examples.csv``.

    Without ``items``: the examples marked for the sorting exercise.

    >>> sorting_answer(["oil", "equipment"])
    {'oil': 'natural', 'equipment': 'manufacturing'}
    """
    table = data.load("capital_examples")
    lookup = dict(zip(table["item"], table["capital"]))
    if items is None:
        items = table.loc[table["in_sorting_exercise"].astype(bool), "item"].tolist()
    elif isinstance(items, str) or not all(isinstance(i, str) for i in items):
        raise TypeError(f"items must be a list of example names (strings), got {items!r}")
    unknown = [i for i in items if i not in lookup]
    if unknown:
        raise ValueError(f"items {unknown} are not in capital_examples; known items: {', '.join(lookup)}")
    return {item: str(lookup[item]) for item in items}


# ---- long trends (Figures 1-2): Gapminder data shipped with plotly ---------------------------------

_GROUP_ORDER = ("developed", "developing", "all 142 countries")


def _gapminder_file() -> Path:
    try:
        import plotly
    except ModuleNotFoundError as exc:  # plotly is in requirements.txt; say so if it is missing
        raise ModuleNotFoundError("the Gapminder data ships with plotly: pip install -r requirements.txt") from exc
    return Path(plotly.__file__).resolve().parent / "package_data" / "datasets" / "gapminder.csv.gz"


def read_gapminder() -> pd.DataFrame:
    """Gapminder's excerpt (142 countries, 1952-2007 every 5 years) as shipped inside plotly.

    Columns: country, continent, year, lifeExp (years), pop (people), gdpPercap (US$ per person,
    inflation-adjusted). Data: Gapminder (www.gapminder.org), CC-BY; the excerpt is J. Bryan's
    ``gapminder`` R package, which plotly copies.
    """
    frame = pd.read_csv(_gapminder_file())
    return frame[["country", "continent", "year", "lifeExp", "pop", "gdpPercap"]]


def development_group(frame: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.Series:
    """The course's 'developed'/'developing' label for each row of ``frame`` (country, continent).

    Rules come from ``datasets/capital_development_groups.csv`` (UN M49 'common practice'):
    continent rules first, then country rules, which win; every other country is 'developing'.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"country": ["France", "Turkey", "Japan", "Brazil"],
    ...                      "continent": ["Europe", "Europe", "Asia", "Americas"]})
    >>> development_group(rows).tolist()
    ['developed', 'developing', 'developed', 'developing']
    """
    if not isinstance(frame, pd.DataFrame) or not {"country", "continent"} <= set(frame.columns):
        raise TypeError("frame must be a DataFrame with 'country' and 'continent' columns")
    rules = data.load("capital_development_groups") if rules is None else rules
    group = pd.Series("developing", index=frame.index, dtype="object")
    for level in ("continent", "country"):
        for row in rules[rules["level"] == level].itertuples():
            group[frame[level] == row.name] = str(row.group)
    return group


def long_trends(raw: pd.DataFrame | None = None, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Population-weighted GDP per capita and life expectancy per group and year.

    Groups: 'developed', 'developing' (:func:`development_group`) and 'all 142 countries'.
    A group's GDP per capita is its total GDP (sum of GDP per capita x population) divided by
    its population; life expectancy is weighted by population the same way. This is how
    ``datasets/capital_trends.csv`` was made (the tests recompute it).
    """
    raw = read_gapminder() if raw is None else raw
    frame = raw.assign(group=development_group(raw, rules), gdp=raw["gdpPercap"] * raw["pop"],
                       life_people=raw["lifeExp"] * raw["pop"])
    everyone = frame.assign(group=_GROUP_ORDER[2])
    totals = (pd.concat([frame, everyone])
              .groupby(["group", "year"], as_index=False)
              .agg(countries=("country", "nunique"), population=("pop", "sum"), gdp=("gdp", "sum"),
                   life_people=("life_people", "sum")))
    totals["gdp_per_capita"] = totals["gdp"] / totals["population"]
    totals["life_expectancy"] = totals["life_people"] / totals["population"]
    totals["group"] = pd.Categorical(totals["group"], _GROUP_ORDER, ordered=True)
    totals = totals.sort_values(["group", "year"]).reset_index(drop=True)
    totals["group"] = totals["group"].astype(str)
    return totals[["group", "year", "countries", "population", "gdp_per_capita", "life_expectancy"]]


def population_growth(trends: pd.DataFrame | None = None) -> pd.DataFrame:
    """Average population growth per 1,000 people per year between successive Gapminder years.

    Population growth = births - deaths + net migration: the gap between the two curves of
    the article's Figure 1, plus migration. Plotted at the middle of each 5-year step.

    >>> growth = population_growth()
    >>> sorted(growth["group"].unique())
    ['all 142 countries', 'developed', 'developing']
    """
    trends = data.load("capital_trends") if trends is None else trends
    rows = []
    for group, part in trends.sort_values("year").groupby("group"):
        years = part["year"].to_numpy(dtype=float)
        people = part["population"].to_numpy(dtype=float)
        rate = np.log(people[1:] / people[:-1]) / np.diff(years) * 1000
        rows.append(pd.DataFrame({"group": group, "year": (years[1:] + years[:-1]) / 2, "growth_per_1000": rate}))
    frame = pd.concat(rows, ignore_index=True)
    frame.attrs = {**trends.attrs, "units": {"year": "year", "growth_per_1000": "permille/year"}}
    return frame


# ---- charts --------------------------------------------------------------------------------------

_POLICY_SCALE = alt.Scale(domain=list(POLICIES), range=[charts.PALETTE[5], charts.PALETTE[0], charts.PALETTE[2]])
_MODEL_SOURCE = ("course model: logistic regrowth with the harvest policy chosen; parameters in "
                 "datasets/capital_model_defaults.csv (assumptions)")


def _csv(frame: pd.DataFrame) -> str:
    """A table as CSV text for a chart's named dataset.

    A saved notebook stores a chart's data as indented JSON, one line per value; as one CSV string
    the same table takes a fraction of the space (the charts declare ``format: csv`` and parse
    the numbers back).
    """
    return frame.to_csv(index=False, lineterminator="\n")


@functools.lru_cache(maxsize=8)
def _stock_template(unit: str):
    """The stock chart without its data, built once per unit and reused by every redraw.

    Building and validating an Altair chart of three layered panels takes several tenths of a
    second; a slider must answer in under 0.1 s. So the marks are built once, reading named
    datasets, and :func:`stock_chart` only attaches the numbers (``datasets``), the title and
    the description to a shallow copy.
    """
    paths, stock_marks, harvest_marks, totals = (
        alt.NamedData(name=name, format=alt.DataFormat(type="csv", parse={field: "number" for field in numbers}))
        for name, numbers in (("paths", ("year", "stock", "harvest")), ("stock_marks", ("value",)),
                              ("harvest_marks", ("value",)), ("totals", ("cumulative_harvest",))))
    x = alt.X("year:Q", title="years from now")
    color = alt.Color("policy:N", scale=_POLICY_SCALE, title="harvest policy")
    dashed = dict(strokeDash=[6, 4], color="#444")
    label = dict(align="right", dy=-8, color="#444")

    def panel(field, title, marks, fmt):
        line = alt.Chart(paths).mark_line().encode(
            x=x, y=alt.Y(f"{field}:Q", title=title), color=color,
            tooltip=["policy:N", alt.Tooltip("year:Q", format=".1f"), alt.Tooltip(f"{field}:Q", format=fmt)])
        rule = alt.Chart(marks).mark_rule(**dashed).encode(y="value:Q")
        text = alt.Chart(marks).mark_text(**label).encode(x=alt.value(556), y="value:Q", text="label:N")
        return alt.layer(rule, line, text)  # dashed rule under the lines: a policy sitting on it stays visible

    bars = alt.Chart(totals).mark_bar().encode(
        y=alt.Y("policy:N", title=None, sort=list(POLICIES)),
        x=alt.X("cumulative_harvest:Q", title=f"total harvest over the years shown ({unit})"),
        color=alt.Color("policy:N", scale=_POLICY_SCALE, title="harvest policy"),
        tooltip=["policy:N", alt.Tooltip("cumulative_harvest:Q", format=",.0f")]).properties(height=72)
    chart = alt.vconcat(panel("stock", f"stock ({unit})", stock_marks, ",.0f").properties(height=200),
                        panel("harvest", f"harvest ({unit}/yr)", harvest_marks, ",.1f").properties(height=150),
                        bars).resolve_scale(color="shared")
    return charts.finish(chart, title="Harvesting a renewable stock", description="(set by stock_chart)", source=_MODEL_SOURCE)


def stock_chart(paths: pd.DataFrame, *, title: str | None = None, description: str | None = None):
    """Stock and harvest over time for one or more policies, MSY marked (from :func:`stock_path`).

    Top: the stock, with a dashed line at K/2 (the stock that gives the MSY). Middle: the
    harvest per year, with a dashed line at the MSY. Bottom: the total harvest over the horizon.
    """
    if not isinstance(paths, pd.DataFrame) or "policy" not in paths.columns or "units" not in paths.attrs:
        raise TypeError("paths must be a DataFrame from stock_path or compare_policies")
    attrs = paths.attrs
    unit = attrs["units"]["stock"]
    horizon = float(paths["year"].max())
    msy, K, H, r = attrs["msy"], attrs["K"], attrs["harvest"], attrs["r"]
    template = _stock_template(unit)
    chart = template.copy(deep=False)  # cheap: the marks are shared, only the data and texts change
    totals = paths.groupby("policy", sort=False)["cumulative_harvest"].last().round(1)
    chart.datasets = {
        "paths": _csv(paths[["year", "stock", "harvest", "policy"]].round(2)),
        "stock_marks": _csv(pd.DataFrame({"value": [K / 2], "label": [f"K/2 = {K / 2:,.0f} {unit}: the stock that regrows fastest"]})),
        "harvest_marks": _csv(pd.DataFrame({"value": [msy], "label": [f"MSY = rK/4 = {msy:,.1f} {unit}/yr"]})),
        "totals": _csv(totals.rename("cumulative_harvest").reset_index()),
    }
    collapse = attrs.get("collapse_year")
    if description is None:
        fate = (f"the fixed-amount stock is gone after {collapse:.1f} years" if collapse is not None
                else "no policy empties the stock within the horizon")
        totals_text = "; ".join(f"{p}: {v:,.0f} {unit}" for p, v in totals.items())
        description = (f"Stock and harvest over {horizon:g} years for r = {r:g} per year, K = {K:,.0f} {unit}, "
                       f"a target harvest of {H:,.0f} {unit} per year and a start at {attrs['initial']:,.0f} {unit}. "
                       f"The maximum sustainable yield is {msy:,.1f} {unit} per year; {fate}. "
                       f"Total harvest over {horizon:g} years: {totals_text}.")
    chart.title = alt.Title(title or f"Harvesting {H:,.0f} {unit}/yr from a stock of at most {K:,.0f} {unit}",
                            subtitle=template.title.subtitle)
    chart.description = description
    return chart


def yield_curve_chart(r, K, harvest=None, unit: str = "t"):
    """The regrowth curve (nature's income at each stock), its top (the MSY) and a harvest line."""
    curve = sustainable_yield_curve(r, K, points=51, unit=unit)
    msy = maximum_sustainable_yield(r, K, unit).magnitude
    top = pd.DataFrame({"stock": [msy_stock(r, K, unit).magnitude], "regrowth": [msy],
                        "label": [f"MSY {msy:,.0f} {unit}/yr at N = K/2"]})
    base = alt.Chart(curve).mark_line().encode(
        x=alt.X("stock:Q", title=f"stock N ({unit})"), y=alt.Y("regrowth:Q", title=f"regrowth ({unit}/yr)"))
    layers = [base,
              alt.Chart(top).mark_point(filled=True, color="#000").encode(x="stock:Q", y="regrowth:Q"),
              alt.Chart(top).mark_text(dy=-14).encode(x="stock:Q", y="regrowth:Q", text="label:N")]
    if harvest is not None:
        H = _number(harvest, "harvest", f"{unit}/year")
        line = pd.DataFrame({"harvest": [H], "label": [f"harvest {H:,.0f} {unit}/yr"]})
        layers.append(alt.Chart(line).mark_rule(strokeDash=[6, 4], color=charts.PALETTE[5]).encode(y="harvest:Q"))
        layers.append(alt.Chart(line).mark_text(align="right", dy=-8, color=charts.PALETTE[5]).encode(
            x=alt.datum(float(_capacity(K, unit))), y="harvest:Q", text="label:N"))
    return charts.finish(
        alt.layer(*layers).properties(height=260),
        title="Nature's income: regrowth per year at each stock",
        description=(f"Logistic regrowth r N (1 - N/K) for r = {float(_growth_rate(r)):g} per year and K = {float(_capacity(K, unit)):,.0f} {unit}: "
                     f"zero for an empty and for a full stock, largest ({msy:,.0f} {unit} per year) at half of K. "
                     "A fixed harvest above the top of the curve is more than any stock can regrow."),
        source=_MODEL_SOURCE)


# -- the kernel-free version: the same closed forms as Vega expressions, driven by Vega-Lite params --

#: Names of the Vega-Lite params of :func:`income_capital_chart` (they become Vega signals).
_P = {"r": "growth_rate", "K": "capacity", "H": "harvest", "share": "initial_share", "policy": "policy_shown",
      "horizon": "years_shown"}


def _vega_stock_fields() -> list[tuple[str, str]]:
    """(field, Vega expression) pairs computing the stock model per row (``datum.t``, ``datum.policy``).

    They mirror :func:`stock_path` formula by formula; the tests evaluate them in Python and
    compare with it. Only ``if(test, a, b)`` is used for branching (no ``&&``/``||``); Vega has no ``Infinity``, so
    ``MAX_VALUE`` (the largest float) stands for 'never'.
    """
    r, K, H, share = _P["r"], _P["K"], _P["H"], _P["share"]
    tol = f"{_TOL} * {K} * {K}"
    return [
        ("N0", f"{share} / 100 * {K}"),
        ("g0", f"{r} * datum.N0 * (1 - datum.N0 / {K})"),
        ("D", f"{K} * {K} / 4 - {K} * {H} / {r}"),
        ("x0", f"datum.N0 - {K} / 2"),
        ("sa", "sqrt(abs(datum.D))"),
        ("T", f"if({H} <= 0, MAX_VALUE, if(datum.D < -{tol}, {K} / ({r} * datum.sa) * (atan(datum.x0 / datum.sa) + atan({K} / (2 * datum.sa))), "
              f"if(datum.D <= {tol}, if(datum.x0 >= 0, MAX_VALUE, ({K} / {r}) * (1 / (-datum.x0) - 2 / {K})), "
              f"if(datum.x0 >= -datum.sa - {_TOL} * {K}, MAX_VALUE, {K} / (2 * datum.sa * {r}) * log(((datum.x0 - datum.sa) / (datum.x0 + datum.sa)) / (({K} / 2 + datum.sa) / ({K} / 2 - datum.sa)))))))"),
        ("E", f"((datum.x0 - datum.sa) / (datum.x0 + datum.sa)) * exp(-2 * datum.sa * {r} * datum.t / {K})"),
        ("xfix", f"if(datum.D < -{tol}, datum.sa * tan(atan(datum.x0 / datum.sa) - {r} * datum.sa * datum.t / {K}), "
                 f"if(datum.D <= {tol}, datum.x0 / (1 + {r} * datum.x0 * datum.t / {K}), "
                 f"if(abs(datum.x0 + datum.sa) <= {_TOL} * {K}, datum.x0, datum.sa * (1 + datum.E) / (1 - datum.E))))"),
        ("Nfix", f"if(datum.t >= datum.T, 0, max(0, {K} / 2 + datum.xfix))"),
        ("f", f"{H} / datum.N0"),
        ("rp", f"{r} - datum.f"),
        ("Nfrac", f"max(0, if(abs(datum.rp) <= {_TOL} * {r}, datum.N0 / (1 + {r} * datum.N0 * datum.t / {K}), "
                  f"({K} * datum.rp / {r}) / (1 + (({K} * datum.rp / {r} - datum.N0) / datum.N0) * exp(-datum.rp * datum.t))))"),
        ("stock", f"if(datum.policy == 'fixed amount', datum.Nfix, if(datum.policy == 'fixed fraction', datum.Nfrac, "
                  f"if({H} >= datum.g0, datum.N0, datum.Nfix)))"),
        ("harvest", f"if(datum.policy == 'fixed amount', if(datum.t < datum.T, {H}, 0), if(datum.policy == 'fixed fraction', "
                    f"datum.f * datum.stock, if({H} >= datum.g0, datum.g0, {H})))"),
    ]


def _slider(name: str, *, unit: str, label: str):
    row = _defaults_table().loc[name]
    return alt.binding_range(min=float(row["minimum"]), max=float(row["maximum"]), step=float(row["step"]),
                             name=f"{label} ({unit}) ")


def income_capital_chart(step: float = 0.25):
    """The income-vs-capital chart with Vega-Lite sliders: works with no kernel, even untrusted.

    The browser computes the model from the same closed forms as :func:`stock_path` (see
    :func:`_vega_stock_fields`), so the reader can move r, K, the harvest, the start and the
    policy in a saved notebook. Time runs in steps of ``step`` years (generated in the browser:
    the spec carries no data table).
    """
    step = _number(step, "step", "year", allow_zero=False)
    d = defaults()
    table = _defaults_table()
    params = [
        alt.param(name=_P["r"], value=d["growth_rate"], bind=_slider("growth_rate", unit="per year", label="growth rate r")),
        alt.param(name=_P["K"], value=d["capacity"], bind=_slider("capacity", unit="t", label="capacity K")),
        alt.param(name=_P["H"], value=d["harvest"], bind=_slider("harvest", unit="t/yr", label="harvest")),
        alt.param(name=_P["share"], value=d["initial_share"], bind=_slider("initial_share", unit="% of K", label="start")),
        alt.param(name=_P["horizon"], value=d["horizon"], bind=_slider("horizon", unit="years", label="years shown")),
        alt.param(name=_P["policy"], value="all three",
                  bind=alt.binding_select(options=["all three", *POLICIES], name="policy ")),
    ]
    top = float(table.loc["horizon", "maximum"])
    keep = f"{_P['policy']} == 'all three' || datum.policy == {_P['policy']}"
    # The time steps and the model are computed once, at the top of the chart, and shared by the
    # panels (each panel repeating them made the chart slow to build and to validate).
    flow = [{"calculate": f"{list(POLICIES)!r}".replace('"', "'"), "as": "policy"},
            {"flatten": ["policy"]},
            {"filter": f"datum.t <= {_P['horizon']}"},
            {"filter": keep},
            *({"calculate": expression, "as": field} for field, expression in _vega_stock_fields())]
    x = alt.X("t:Q", title="years from now")
    color = alt.Color("policy:N", scale=_POLICY_SCALE, title="harvest policy")
    stock_lines = alt.Chart().mark_line().encode(
        x=x, y=alt.Y("stock:Q", title="stock (t)"), color=color,
        tooltip=["policy:N", alt.Tooltip("t:Q", title="year"), alt.Tooltip("stock:Q", format=",.0f")])
    one = alt.Chart(alt.sequence(0, 1, 1, as_="i")).transform_calculate(
        half=f"{_P['K']} / 2", msy=f"{_P['r']} * {_P['K']} / 4",
        half_label=f"'K/2 = ' + format({_P['K']} / 2, ',.0f') + ' t: the stock that regrows fastest'",
        msy_label=f"'MSY = rK/4 = ' + format({_P['r']} * {_P['K']} / 4, ',.1f') + ' t/yr'")
    dashed = dict(strokeDash=[6, 4], color="#444")
    stock = alt.layer(one.mark_rule(**dashed).encode(y="half:Q"), stock_lines,
                      one.mark_text(align="right", dy=-8, color="#444").encode(x=alt.value(556), y="half:Q", text="half_label:N")
                      ).properties(height=200)
    harvest_lines = alt.Chart().mark_line().encode(
        x=x, y=alt.Y("harvest:Q", title="harvest (t/yr)"), color=color,
        tooltip=["policy:N", alt.Tooltip("t:Q", title="year"), alt.Tooltip("harvest:Q", format=",.1f")])
    harvest = alt.layer(one.mark_rule(**dashed).encode(y="msy:Q"), harvest_lines,
                        one.mark_text(align="right", dy=-8, color="#444").encode(x=alt.value(556), y="msy:Q", text="msy_label:N")
                        ).properties(height=150)
    totals = alt.Chart().transform_filter(f"datum.t < {_P['horizon']}").transform_aggregate(
        total="sum(harvest)", groupby=["policy"]).transform_calculate(total=f"datum.total * {step}").mark_bar().encode(
        y=alt.Y("policy:N", title=None, sort=list(POLICIES)),
        x=alt.X("total:Q", title="total harvest over the years shown (t, approx.)"),
        color=alt.Color("policy:N", scale=_POLICY_SCALE, title="harvest policy"),
        tooltip=["policy:N", alt.Tooltip("total:Q", format=",.0f")]).properties(height=72)
    chart = alt.vconcat(stock, harvest, totals, data=alt.sequence(0, top + step / 2, step, as_="t"),
                        transform=flow).resolve_scale(color="shared").add_params(*params)
    msy = d["growth_rate"] * d["capacity"] / 4
    collapse = _collapse_time(d["growth_rate"], d["capacity"], d["harvest"], d["initial_share"] / 100 * d["capacity"])
    fate = f"the fixed amount empties the stock in {collapse:.1f} years" if math.isfinite(collapse) else "no policy empties the stock"
    return charts.finish(
        chart, title="Income or capital? Move the sliders (works without a kernel)",
        description=("Stock (top) and harvest per year (middle) over time for a logistic renewable stock under three "
                     "harvest policies that start with the same harvest: a fixed amount, a fixed fraction of the stock, "
                     "and income only (never more than the regrowth). Dashed lines: K/2 and the maximum sustainable "
                     f"yield rK/4. Bottom: total harvest over the years shown. With the defaults (harvest {d['harvest']:,.0f} t "
                     f"per year, MSY {msy:,.1f} t per year) {fate}."),
        source=_MODEL_SOURCE)


_RESERVES_SOURCE = "Meadows et al. (1972), The Limits to Growth, Table 4, as reported by Wikipedia (grade B)"


def reserve_chart():
    """Years left in a non-renewable reserve: constant vs growing use, with Vega-Lite controls.

    Works without a kernel. A select picks a resource of *The Limits to Growth* (its static
    index), a slider sets the growth of use (starting at petroleum's printed rate), a radio
    button multiplies the reserves by 5 (the book's second scenario).
    """
    table = data.load("capital_reserves")
    start = "petroleum" if "petroleum" in set(table["resource"]) else str(table["resource"].iloc[0])
    first = table.set_index("resource").loc[start]
    resource = alt.param(name="resource", value=start,
                         bind=alt.binding_select(options=table["resource"].tolist(), name="resource "))
    growth = alt.param(name="growth_pct", value=float(first["growth_rate"]),
                       bind=alt.binding_range(min=-3, max=8, step=0.1, name="growth of use (% per year) "))
    multiple = alt.param(name="reserve_multiple", value=1, bind=alt.binding_radio(options=[1, 5], name="reserves x "))
    rows = table[["resource", "static_index", "growth_rate"]].assign(
        static_index=lambda t: t["static_index"].astype(float), growth_rate=lambda t: t["growth_rate"].astype(float))
    g = "(growth_pct / 100)"
    base = (alt.Chart(alt.Data(values=rows.to_dict("records")))
            .transform_filter("datum.resource == resource")
            .transform_calculate(s="datum.static_index * reserve_multiple")
            .transform_calculate(t="sequence(0, 1.15 * datum.s + datum.s / 400, datum.s / 200)")
            .transform_flatten(["t"])
            .transform_calculate(constant="max(0, 100 - 100 * datum.t / datum.s)",
                                 growing=f"if(abs({g}) < 1e-12, max(0, 100 - 100 * datum.t / datum.s), "
                                         f"max(0, 100 - 100 * (exp({g} * datum.t) - 1) / ({g} * datum.s)))")
            .transform_fold(["constant", "growing"], as_=["scenario_key", "remaining"])
            .transform_calculate(scenario="datum.scenario_key == 'constant' ? 'constant use' : 'growing use'"))
    lines = base.mark_line().encode(
        x=alt.X("t:Q", title="years from the book's base year (1970)"),
        y=alt.Y("remaining:Q", title="reserve left (% of today's)"),
        color=alt.Color("scenario:N", scale=alt.Scale(domain=["constant use", "growing use"],
                                                      range=[charts.PALETTE[0], charts.PALETTE[5]]), title=None),
        tooltip=["scenario:N", alt.Tooltip("t:Q", title="year"), alt.Tooltip("remaining:Q", format=".1f")])
    summary = (alt.Chart(alt.Data(values=rows.to_dict("records")))
               .transform_filter("datum.resource == resource")
               .transform_calculate(s="datum.static_index * reserve_multiple")
               .transform_calculate(e=f"if(abs({g}) < 1e-12, datum.s, if(1 + {g} * datum.s <= 0, MAX_VALUE, log(1 + {g} * datum.s) / {g}))")
               .transform_calculate(text="'static index: ' + format(datum.s, ',.0f') + ' years; exponential index at ' + "
                                         f"format(growth_pct, '.1f') + ' %/yr: ' + if(datum.e < 1e300, format(datum.e, ',.0f') + ' years', 'never runs out') + "
                                         "' (book: ' + format(datum.growth_rate, '.1f') + ' %/yr)'")
               .mark_text(align="left", fontSize=15).encode(x=alt.value(5), y=alt.value(-12), text="text:N"))
    chart = alt.layer(lines, summary).add_params(resource, growth, multiple).properties(height=300)
    return charts.finish(
        chart, title="A reserve has no income: years left at constant and at growing use",
        description=("Share of today's reserve left over time, for the resource chosen, at constant use (a straight line "
                     "reaching zero at the static index) and at use growing exponentially (reaching zero much sooner, at "
                     "the exponential index ln(1 + g s)/g). For petroleum, 31 years at constant use become about 20 at "
                     "3.9 % growth a year."),
        source=_RESERVES_SOURCE)


_TRENDS_SOURCE = "Gapminder (www.gapminder.org, CC-BY), 142 countries, as shipped with plotly; population-weighted by the course"


def grouping_text(rules: pd.DataFrame | None = None) -> str:
    """The course's developed/developing rule in words, from ``capital_development_groups``.

    >>> grouping_text()
    'developed = Europe (except Turkey), United States, Canada, Japan, Australia, New Zealand; developing = all other countries (UN M49 practice)'
    """
    rules = data.load("capital_development_groups") if rules is None else rules
    continents = rules[(rules["level"] == "continent") & (rules["group"] == "developed")]["name"].tolist()
    exceptions = rules[(rules["level"] == "country") & (rules["group"] == "developing")]["name"].tolist()
    countries = rules[(rules["level"] == "country") & (rules["group"] == "developed")]["name"].tolist()
    parts = [f"{c} (except {', '.join(exceptions)})" if exceptions else c for c in continents] + countries
    return f"developed = {', '.join(parts)}; developing = all other countries (UN M49 practice)"


def _with_grouping(chart):
    """Add the grouping rule as a second subtitle line under the source line that finish() wrote."""
    title = chart.title
    source = title.subtitle if isinstance(title.subtitle, list) else [title.subtitle]
    chart.title = alt.Title(title.text, subtitle=[*source, f"Grouping: {grouping_text()}"])
    return chart


def trends_chart(trends: pd.DataFrame | None = None):
    """GDP per capita for the course's 'developed' and 'developing' groups (Figure 2's question).

    The chart names its source and the grouping rule (:func:`grouping_text`) under the title.
    """
    trends = data.load("capital_trends") if trends is None else trends
    groups = trends[trends["group"].isin(["developed", "developing"])]
    ratio = groups.pivot(index="year", columns="group", values="gdp_per_capita")
    first, last = int(ratio.index.min()), int(ratio.index.max())
    x_scale = alt.Scale(domain=[1950, 2010], zero=False)
    band = pd.DataFrame({"start": [1965], "end": [1996], "label": ["years of the article's Figure 2"]})
    lines = alt.Chart(groups[["group", "year", "gdp_per_capita", "countries"]]).mark_line(point=True).encode(
        x=alt.X("year:Q", title="year", axis=alt.Axis(format="d"), scale=x_scale),
        y=alt.Y("gdp_per_capita:Q", title="GDP per person (US$, inflation-adjusted, log scale)", scale=alt.Scale(type="log")),
        color=alt.Color("group:N", title="group", scale=alt.Scale(range=[charts.PALETTE[0], charts.PALETTE[1]])),
        tooltip=["group:N", "year:Q", alt.Tooltip("gdp_per_capita:Q", format=",.0f"), "countries:Q"])
    shade = alt.Chart(band).mark_rect(opacity=0.12, color="#888").encode(x=alt.X("start:Q", scale=x_scale), x2="end:Q")
    note = alt.Chart(band).mark_text(align="left", baseline="top", dx=4, dy=4, color="#444").encode(
        x=alt.X("start:Q", scale=x_scale), y=alt.value(0), text="label:N")
    chart = charts.finish(
        alt.layer(shade, note, lines).properties(height=300),
        title="Producing more: GDP per person, 1952-2007",
        description=(f"Population-weighted GDP per person of the course's developed and developing groups, {first}-{last}, "
                     f"log scale. Developed: {ratio.loc[first, 'developed']:,.0f} to {ratio.loc[last, 'developed']:,.0f} US$; "
                     f"developing: {ratio.loc[first, 'developing']:,.0f} to {ratio.loc[last, 'developing']:,.0f} US$. "
                     f"Both rise; the gap between them widens in dollars. The shaded years are those of the article's Figure 2. "
                     f"Grouping: {grouping_text()}. Source: {_TRENDS_SOURCE}."),
        source=_TRENDS_SOURCE)
    return _with_grouping(chart)


def life_growth_chart(trends: pd.DataFrame | None = None):
    """Life expectancy and population growth per group: what the data supports of Figure 1."""
    trends = data.load("capital_trends") if trends is None else trends
    growth = population_growth(trends)
    color = alt.Color("group:N", title="group",
                      scale=alt.Scale(domain=list(_GROUP_ORDER), range=[charts.PALETTE[0], charts.PALETTE[1], "#000000"]))
    x = alt.X("year:Q", title="year", axis=alt.Axis(format="d"), scale=alt.Scale(domain=[1950, 2010], zero=False))
    life = alt.Chart(trends[["group", "year", "life_expectancy"]]).mark_line(point=True).encode(
        x=x, y=alt.Y("life_expectancy:Q", title="life expectancy at birth (years)", scale=alt.Scale(zero=False)),
        color=color, tooltip=["group:N", "year:Q", alt.Tooltip("life_expectancy:Q", format=".1f")]).properties(height=220, width=270)
    pop = alt.Chart(growth).mark_line(point=True).encode(
        x=x, y=alt.Y("growth_per_1000:Q", title="population growth per 1,000 per year"),
        color=color, tooltip=["group:N", "year:Q", alt.Tooltip("growth_per_1000:Q", format=".1f")]).properties(height=220, width=270)
    chart = charts.finish(
        alt.hconcat(life, pop),
        title="Living longer: life expectancy and population growth, 1952-2007",
        description=("Left: population-weighted life expectancy at birth of the developed and developing groups and of all "
                     "142 countries; it rises in every group. Right: average population growth per 1,000 people per year "
                     "over each 5-year step, which equals births minus deaths plus net migration (the gap between the two "
                     "curves of the article's Figure 1). Birth and death rates themselves are not in this data. "
                     f"Grouping: {grouping_text()}. Source: {_TRENDS_SOURCE}."),
        source=_TRENDS_SOURCE)
    return _with_grouping(chart)


# ---- explorers (live kernel) -----------------------------------------------------------------------


@widgets.explorer
def stock_explorer() -> widgets.Explorer:
    """Sliders for r, K, harvest, start and horizon plus a policy menu, redrawing the stock chart."""
    import ipywidgets as w

    table, d = _defaults_table(), defaults()

    def slider(name, description, kind=w.FloatSlider, fmt=None):
        row = table.loc[name]
        options = dict(value=d[name], min=float(row["minimum"]), max=float(row["maximum"]), step=float(row["step"]),
                       description=description, continuous_update=False, style={"description_width": "initial"})
        if kind is w.IntSlider:
            options = {k: int(v) if k in ("value", "min", "max", "step") else v for k, v in options.items()}
        if fmt:
            options["readout_format"] = fmt
        return kind(**options)

    controls = {
        "r": slider("growth_rate", "growth rate r (per year)", fmt=".2f"),
        "K": slider("capacity", "capacity K (t)", fmt=",.0f"),
        "harvest": slider("harvest", "harvest (t/yr)", fmt=",.0f"),
        "start": slider("initial_share", "start (% of K)", fmt=".0f"),
        "years": slider("horizon", "years", kind=w.IntSlider),
        "policy": w.Dropdown(options=["all three", *POLICIES], value="all three", description="policy"),
    }

    def update(r, K, harvest, start, years, policy):
        initial = start / 100 * K
        points = max(1, min(4, 120 // years))  # about 120 points per line: smooth, and light to send
        if policy == "all three":
            paths = compare_policies(r, K, harvest, years, initial, points_per_year=points)
        else:
            paths = stock_path(r, K, harvest, policy, years, initial, points_per_year=points)
        return stock_chart(paths)

    return widgets.Explorer(controls, update, title="Income or capital: a renewable stock under three harvest policies")


@functools.lru_cache(maxsize=1)
def _reserve_template():
    """The reserve explorer's chart without data (built once: see :func:`_stock_template`)."""
    path = alt.NamedData(name="path", format=alt.DataFormat(type="csv", parse={"year": "number", "remaining": "number"}))
    chart = alt.Chart(path).mark_line().encode(
        x=alt.X("year:Q", title="years from the book's base year (1970)"),
        y=alt.Y("remaining:Q", title="reserve left (% of today's)"),
        color=alt.Color("scenario:N", title=None, scale=alt.Scale(domain=["constant use", "growing use"],
                                                                  range=[charts.PALETTE[0], charts.PALETTE[5]])),
        tooltip=["scenario:N", alt.Tooltip("year:Q", format=".1f"), alt.Tooltip("remaining:Q", format=".1f")])
    return charts.finish(chart.properties(height=300), title="Years left in a reserve", description="(set by the explorer)",
                         source=_RESERVES_SOURCE)


@widgets.explorer
def reserve_explorer() -> widgets.Explorer:
    """A resource menu, a growth slider and a reserve multiplier, redrawing the reserve path."""
    import ipywidgets as w

    table = data.load("capital_reserves").set_index("resource")
    resources = table.index.tolist()
    start = "petroleum" if "petroleum" in resources else resources[0]
    controls = {
        "resource": w.Dropdown(options=resources, value=start, description="resource"),
        "growth": w.FloatSlider(value=float(table.loc[start, "growth_rate"]), min=-3.0, max=8.0, step=0.1,
                                description="growth of use (% per year)", continuous_update=False,
                                style={"description_width": "initial"}),
        "multiple": w.RadioButtons(options=[1, 5], value=1, description="reserves x"),
    }

    template = _reserve_template()

    def update(resource, growth, multiple):
        s = float(table.loc[resource, "static_index"]) * multiple
        path = reserve_path(s, Q_(growth, "percent/year"), years=int(min(max(1.1 * s, 10), 1000)))
        e = path.attrs["exponential_index"]
        # about 250 points per line are plenty for a smooth curve; keep the moments it runs out
        every = max(1, math.ceil(path["year"].nunique() / 250))
        keep = (path.groupby("scenario").cumcount() % every == 0) | path["year"].isin([s, e])
        chart = template.copy(deep=False)  # the marks are built once; only data and texts change
        chart.datasets = {"path": _csv(path.loc[keep, ["year", "scenario", "remaining"]].round(2))}
        ends = "never runs out" if math.isinf(e) else f"runs out after {e:,.0f} years"
        chart.title = alt.Title(f"{resource}: {s:,.0f} years at constant use; at {growth:.1f} %/yr growth it {ends}",
                                subtitle=template.title.subtitle)
        chart.description = (f"Share of today's {resource} reserve left over time: at constant use it lasts {s:,.0f} "
                             f"years (the static index); with use growing {growth:.1f} % a year it {ends}.")
        return chart

    return widgets.Explorer(controls, update, title="Years left in a non-renewable reserve")


# ---- exercises --------------------------------------------------------------------------------------
from ..exercises import Question, register  # noqa: E402


def _default(name: str) -> float:
    return defaults()[name]


def _biosphere(fact: str) -> pint.Quantity:
    table = data.load("capital_biosphere2").set_index("id")
    return Q_(float(table.loc[fact, "value"]), str(table.loc[fact, "unit"]))


def _trend(group: str, year: int) -> float:
    table = data.load("capital_trends")
    return float(table.loc[(table["group"] == group) & (table["year"] == year), "gdp_per_capita"].item())


_d = defaults()
_r, _K, _H = _d["growth_rate"], _d["capacity"], _d["harvest"]
_N0 = _d["initial_share"] / 100 * _K

register(Question(
    id="capital.sort_capitals",
    prompt=("Sort these examples into the four capitals (human, financial, manufacturing, natural): "
            + ", ".join(sorting_answer()) + ". Answer with a dict such as {'air': 'natural', ...}."),
    expected=sorting_answer,
    hints=("The article: we pay salaries for labour (human), interest on loans (financial), rent for equipment and "
           "facilities (manufacturing), and nothing for clean air and water (natural).",),
))

register(Question(
    id="capital.msy",
    prompt=f"What is the maximum sustainable yield of a stock with r = {_r:g} per year and K = {_K:,.0f} t (in t per year)?",
    expected=lambda: maximum_sustainable_yield(_default("growth_rate"), _default("capacity")),
    unit="t/year",
    hints=("Regrowth r N (1 - N/K) is largest at N = K/2.", "Put N = K/2 into r N (1 - N/K): you get r K / 4."),
))

register(Question(
    id="capital.next_year_stock",
    prompt=(f"Year by year: a stock of {_N0:,.0f} t with r = {_r:g} per year and K = {_K:,.0f} t; {_H:,.0f} t are "
            "harvested this year. How big is the stock next year (in t)?"),
    expected=lambda: Q_(yearly_stock(_r, _K, _H, "fixed amount", years=1, initial=_N0)["stock"].iloc[1], "t"),
    unit="t",
    rel_tol=0.005,
    hints=("Next year = stock + regrowth - harvest.", "Regrowth = r N (1 - N/K) with N the stock this year."),
))

register(Question(
    id="capital.collapse_years",
    prompt=(f"A fixed harvest of {_H:,.0f} t per year is taken from a stock that starts at {_N0:,.0f} t "
            f"(r = {_r:g} per year, K = {_K:,.0f} t). After how many years is it gone?"),
    expected=lambda: time_to_collapse(_r, _K, _H, _N0),
    unit="year",
    rel_tol=0.03,
    hints=("Use capital.time_to_collapse, or read where the fixed-amount line hits zero in the chart.",),
))

register(Question(
    id="capital.never_collapses",
    prompt="Which harvest policy can never empty the stock, whatever the harvest you ask for?",
    expected=lambda: "income only",
    choices=POLICIES,
    hints=("Which policy never takes more than the stock regrows?",),
))

register(Question(
    id="capital.exponential_index_petroleum",
    prompt=("The Limits to Growth gives petroleum a static index of 31 years and a use growing 3.9 % a year. "
            "How many years do the reserves last at that growth (the exponential index)?"),
    expected=lambda: exponential_index(
        float(data.load("capital_reserves").set_index("resource").loc["petroleum", "static_index"]),
        Q_(float(data.load("capital_reserves").set_index("resource").loc["petroleum", "growth_rate"]), "percent/year")),
    unit="year",
    rel_tol=0.03,
    hints=("Exponential index = ln(1 + g s) / g, with g = 0.039 per year and s the static index.",),
))

register(Question(
    id="capital.biosphere_oxygen_lost",
    prompt="In Biosphere 2 oxygen fell from 21 % to 14 % of the air. What share of the oxygen was lost (in percent)?",
    expected=lambda: ((_biosphere("oxygen_start") - _biosphere("oxygen_after_16_months")) / _biosphere("oxygen_start")).to("percent"),
    unit="percent",
    hints=("Lost share = (before - after) / before.", "It is not 7 %: that is the drop in percentage points."),
))

register(Question(
    id="capital.biosphere_diet_share",
    prompt=("The crew of Biosphere 2 ate at most 2,100 kcal a day. What share of de Rosnay's 'energy needs of a man' "
            "(one food-day, Table 1 of the article) is that (in percent)?"),
    expected=lambda: (_biosphere("diet_high") / Q_(1, "food_day/day")).to("percent"),
    unit="percent",
    hints=("One food-day is 2,500 kcal (notebook 00).",),
))

register(Question(
    id="capital.gdp_gap_1997",
    prompt=("In the course's grouping of the Gapminder data, how many times larger was GDP per person in the developed "
            "group than in the developing group in 1997 (the end of the article's Figure 2)?"),
    expected=lambda: Q_(_trend("developed", 1997) / _trend("developing", 1997), "dimensionless"),
    unit="dimensionless",
    hints=("Divide the two values for 1997 in data.load('capital_trends').",),
))
