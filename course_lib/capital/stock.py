"""A renewable stock: logistic regrowth (nature's income) under three harvest policies.

The stock ``N`` is the capital; its regrowth ``g(N) = r N (1 - N/K)`` is the income. A fixed
harvest above the maximum sustainable yield (``rK/4``) draws the capital down until it is gone.

>>> round(time_to_collapse(0.5, 1000, 150, initial=500).magnitude, 2)   # years
10.29

Stocks are in ``unit`` (default tonnes, ``"t"``), harvests in ``unit`` per year, growth rates per
year; every argument also accepts a pint quantity in any compatible unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pint

from .. import checks
from ..params import ParameterTable, parameters
from ..units import Q_

__all__ = [
    "POLICIES", "defaults", "default_case", "sustainable_yield_curve",
    "maximum_sustainable_yield", "msy_stock", "time_to_collapse", "stock_path", "compare_policies", "policy_summary",
    "yearly_stock", "full_harvest_years", "collapse_table",
]


#: The harvest policies of the renewable stock model.
N_ = str  # marks a message for the catalogue; charts and menus translate the names they show (i18n._)
POLICIES = (N_("fixed amount"), N_("fixed fraction"), N_("income only"))
#: Relative tolerance for "harvest equals MSY exactly" (a slider can hit it exactly).
TOL = 1e-9


# ---- the parameters and the checks of every call ----------------------------------------------


def _table() -> ParameterTable:
    """``datasets/capital_model_defaults.csv``: defaults, slider ranges and the bounds of r, K and the years."""
    return parameters("capital_model_defaults")


def defaults() -> dict[str, float]:
    """The stock model's default parameters from ``datasets/capital_model_defaults.csv``.

    Read from the active data folder (``COURSE_DATA_DIR``), so adapted data change every default.
    ``horizon`` is a whole number of years; ``initial_share`` is in percent of K.

    >>> d = defaults()
    >>> d["growth_rate"], d["capacity"], d["harvest"], d["initial_share"], d["horizon"]
    (0.5, 1000.0, 150.0, 50.0, 60)
    """
    values: dict[str, float] = _table().defaults()
    values["horizon"] = int(values["horizon"])
    return values


def default_case() -> tuple[float, float, float, float]:
    """The default stock as ``(r, K, harvest, start)``: the start in tonnes, not as a share of K.

    >>> default_case()
    (0.5, 1000.0, 150.0, 500.0)
    """
    d = defaults()
    return d["growth_rate"], d["capacity"], d["harvest"], d["initial_share"] / 100 * d["capacity"]


def _unit(unit: Any) -> str:
    """``unit`` checked (a unit pint knows; never the ambiguous 'ton'), as the text to print."""
    checked = checks.unit(unit, "unit")
    return unit if isinstance(unit, str) else f"{checked}"


def _logistic(r: Any, K: Any, unit: Any) -> tuple[str, float, float]:
    """The checked unit, r per year and K in that unit, within the bounds of ``capital_model_defaults``."""
    name, table = _unit(unit), _table()
    return name, table["growth_rate"].check(r, "r", "1/year"), table["capacity"].check(K, "K", name)


def _harvest(value: Any, unit: str, argument: str = "harvest") -> float:
    return _table()["harvest"].check(value, argument, f"{unit}/year")


def _initial(value: Any, K: float, unit: str) -> float:
    """The starting stock in ``unit``: more than 0 and at most K (K itself when ``None``)."""
    if value is None:
        return K
    stock = checks.magnitude(value, "initial", unit, minimum=0, inclusive=False)
    if stock > K * (1 + TOL):
        raise ValueError(f"initial={value!r} is above the capacity K={K:g} {unit}; the stock must start between 0 and K")
    return min(stock, K)


def _case(r: Any, K: Any, harvest: Any, initial: Any, unit: Any) -> tuple[str, float, float, float, float]:
    """The checked (unit, r, K, harvest, initial stock) of a stock-model call, checked in that order."""
    name, rate, cap = _logistic(r, K, unit)
    return name, rate, cap, _harvest(harvest, name), _initial(initial, cap, name)


def _years(value: Any, argument: str = "years") -> int:
    """A whole number of years within the bounds of the horizon in ``capital_model_defaults``."""
    return int(_table()["horizon"].check(value, argument, whole=True))


def _points(value: Any) -> int:
    """Time points per year of a path: a whole number from 1 to 100."""
    return checks.whole_number(value, "points_per_year", minimum=1, maximum=100)


def _fraction(value: Any, policy: str) -> float | None:
    """The share of the stock taken per year (only for the fixed-fraction policy), or ``None``."""
    if value is None:
        return None
    if policy != "fixed fraction":
        raise ValueError(f"fraction={value!r} only applies to policy='fixed fraction', not {policy!r}")
    return checks.magnitude(value, "fraction", "1/year", minimum=0)


def _policy_case(r: Any, K: Any, harvest: Any, policy: Any, years: Any, initial: Any, fraction: Any,
                 unit: Any) -> tuple[str, float, float, float, str, int, float, float | None]:
    """The checked (unit, r, K, harvest, policy, years, initial stock, fraction) of a path."""
    name, rate, cap = _logistic(r, K, unit)
    H = _harvest(harvest, name)
    policy = checks.choice(policy, "policy", POLICIES)
    span = _years(years)
    return name, rate, cap, H, policy, span, _initial(initial, cap, name), _fraction(fraction, policy)


# ---- regrowth and the sustainable yield -------------------------------------------------------


def _peak(function: Callable[[float], float], low: float, high: float) -> float:
    """Where a single-peaked ``function`` on [low, high] is highest: bisection on its slope.

    The slope is a central difference; for a smooth peak it changes sign once, so halving the
    interval 100 times pins the peak down to rounding error (searching the function values
    themselves would stall at about 1e-8 relative, because the top of a peak is flat).
    """
    a, b = low, high
    h = 1e-6 * (high - low)
    for _ in range(100):
        middle = (a + b) / 2
        if function(middle + h) - function(middle - h) > 0:
            a = middle
        else:
            b = middle
    return (a + b) / 2


def msy_stock(r: Any, K: Any, unit: str = "t") -> pint.Quantity:
    """The stock at which regrowth is largest, found by searching the regrowth curve.

    The answer is K/2 for every r: a stock regrows fastest when it is half full.

    >>> print(msy_stock(0.5, 1000))
    500.0 t
    """
    unit, rate, cap = _logistic(r, K, unit)
    best = _peak(lambda n: rate * n * (1 - n / cap), 0.0, cap)
    return Q_(float(f"{best:.10g}"), unit)  # 10 digits: the precision of the search


def maximum_sustainable_yield(r: Any, K: Any, unit: str = "t") -> pint.Quantity:
    """The largest harvest per year a logistic stock can give for ever (MSY).

    Computed as the maximum of the regrowth curve (not typed in as a formula); the tests check
    it against the closed form ``rK/4``.

    >>> print(maximum_sustainable_yield(0.5, 1000))
    125.0 t/a
    """
    unit, rate, cap = _logistic(r, K, unit)
    best = msy_stock(rate, cap, unit).magnitude
    return Q_(rate * best * (1 - best / cap), f"{unit}/year")


def sustainable_yield_curve(r: Any, K: Any, points: int = 101, unit: str = "t") -> pd.DataFrame:
    """Regrowth per year for stocks from 0 to K: the curve whose top is the MSY.

    >>> sustainable_yield_curve(0.5, 1000, points=3)["regrowth"].tolist()
    [0.0, 125.0, 0.0]
    """
    unit, rate, cap = _logistic(r, K, unit)
    count = checks.whole_number(points, "points", minimum=3, maximum=100_000)
    stock = np.linspace(0.0, cap, count)
    frame = pd.DataFrame({"stock": stock, "regrowth": rate * stock * (1 - stock / cap)})
    frame.attrs["units"] = {"stock": unit, "regrowth": f"{unit}/year"}
    return frame


# ---- closed-form paths ------------------------------------------------------------------------
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
    if D < -TOL * K * K:
        a = math.sqrt(-D)
        return K / (r * a) * (math.atan(x0 / a) + math.atan(K / (2 * a)))
    if D <= TOL * K * K:
        return math.inf if x0 >= 0 else (K / r) * (1 / (-x0) - 2 / K)
    b = math.sqrt(D)
    if x0 >= -b - TOL * K:
        return math.inf  # at or above the lower equilibrium: the stock never empties
    start = (x0 - b) / (x0 + b)
    end = (K / 2 + b) / (K / 2 - b)
    return K / (2 * b * r) * math.log(start / end)


def _fixed_stock(t: np.ndarray, r: float, K: float, H: float, N0: float) -> np.ndarray:
    """The stock at times t under a fixed harvest H (zero from the collapse on)."""
    D = K * K / 4 - K * H / r
    x0 = N0 - K / 2
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if D < -TOL * K * K:
            a = math.sqrt(-D)
            x = a * np.tan(math.atan(x0 / a) - r * a * t / K)
        elif D <= TOL * K * K:
            x = x0 / (1 + r * x0 * t / K)
        else:
            b = math.sqrt(D)
            if abs(x0 + b) <= TOL * K:
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
        if abs(rp) <= TOL * r:
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


def time_to_collapse(r: Any, K: Any, harvest: Any, initial: Any = None, unit: str = "t") -> pint.Quantity:
    """Years until a fixed harvest per year empties the stock (``inf`` years if it never does).

    A harvest above the MSY always empties it, from any start; a harvest at or below the MSY
    empties it only if the stock starts below the lower equilibrium.

    >>> time_to_collapse(0.5, 1000, 100, initial=1000).magnitude
    inf
    """
    unit, rate, cap, H, N0 = _case(r, K, harvest, initial, unit)
    return Q_(_collapse_time(rate, cap, H, N0), "year")


def stock_path(r: Any, K: Any, harvest: Any, policy: str = "fixed amount", years: int = 60, initial: Any = None, *,
               fraction: Any = None, points_per_year: int = 4, unit: str = "t") -> pd.DataFrame:
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
    """
    unit, rate, cap, H, policy, span, N0, share = _policy_case(r, K, harvest, policy, years, initial, fraction, unit)
    per_year = _points(points_per_year)

    t = np.linspace(0.0, span, span * per_year + 1)
    collapse = None
    if policy == "fixed amount":
        T = _collapse_time(rate, cap, H, N0)
        if T <= span:
            collapse = T
            t = np.union1d(t, [T])  # so the line reaches zero exactly when the stock is gone
        stock = _fixed_stock(t, rate, cap, H, N0)
        harvest_rate = np.where(t < T, H, 0.0)
        cumulative = H * np.minimum(t, T)
    elif policy == "fixed fraction":
        f = H / N0 if share is None else share
        stock, cumulative = _fraction_stock(t, rate, cap, f, N0)
        harvest_rate = f * stock
    else:
        income = rate * N0 * (1 - N0 / cap)
        if H >= income:  # the target is more than the income: take the income, keep the capital
            stock, harvest_rate, cumulative = np.full_like(t, N0), np.full_like(t, income), income * t
        else:  # the target is within the income: the stock grows towards the upper equilibrium
            stock, harvest_rate, cumulative = _fixed_stock(t, rate, cap, H, N0), np.full_like(t, H), H * t
    frame = pd.DataFrame({
        "year": t,
        "stock": stock,
        "harvest": harvest_rate,
        "regrowth": rate * stock * (1 - stock / cap),
        "cumulative_harvest": cumulative,
        "policy": policy,
    })
    frame.attrs = {
        "units": {"year": "year", "stock": unit, "harvest": f"{unit}/year", "regrowth": f"{unit}/year",
                  "cumulative_harvest": unit},
        "r": rate, "K": cap, "harvest": H, "initial": N0, "msy": rate * cap / 4, "collapse_year": collapse,
    }
    return frame


def compare_policies(r: Any, K: Any, harvest: Any, years: int = 60, initial: Any = None, *, points_per_year: int = 4,
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


def policy_summary(r: Any, K: Any, harvest: Any, years: int = 60, initial: Any = None, unit: str = "t") -> pd.DataFrame:
    """What each harvest policy leaves and yields after ``years``: one row per policy.

    Columns: ``stock_at_the_end`` (in ``unit``), ``harvest_per_year_at_the_end`` and
    ``total_harvest`` (the sum over the years). ``attrs["collapse_year"]`` is when the fixed
    amount empties the stock (``None`` if it does not within the years).

    >>> policy_summary(0.5, 1000, 150, years=60, initial=500)["total_harvest"].round().to_dict()
    {'fixed amount': 1543.0, 'fixed fraction': 7334.0, 'income only': 7500.0}
    """
    paths = compare_policies(r, K, harvest, years, initial, unit=unit)
    summary = paths.groupby("policy", sort=False).agg(
        stock_at_the_end=("stock", "last"), harvest_per_year_at_the_end=("harvest", "last"),
        total_harvest=("cumulative_harvest", "last"))
    summary.attrs = {"units": {"stock_at_the_end": unit, "harvest_per_year_at_the_end": f"{unit}/year",
                               "total_harvest": unit},
                     "collapse_year": paths.attrs["collapse_year"], "msy": paths.attrs["msy"]}
    return summary


def yearly_stock(r: Any, K: Any, harvest: Any, policy: str = "fixed amount", years: int = 10, initial: Any = None, *,
                 fraction: Any = None, unit: str = "t") -> pd.DataFrame:
    """The same model one year at a time, as you would do it by hand or in a spreadsheet.

    Each year: regrowth = r N (1 - N/K); harvest by the policy (never more than there is);
    next year's stock = stock + regrowth - harvest. One row per year: the stock at the start
    of the year, the regrowth and the harvest during it.

    >>> yearly_stock(0.5, 1000, 150, years=2, initial=500)[["year", "stock", "regrowth", "harvest"]].values.tolist()
    [[0.0, 500.0, 125.0, 150.0], [1.0, 475.0, 124.6875, 150.0], [2.0, 449.6875, 123.734326171875, 150.0]]
    """
    unit, rate, cap, H, policy, span, N, share = _policy_case(r, K, harvest, policy, years, initial, fraction, unit)
    f = (H / N if share is None else share) if policy == "fixed fraction" else 0.0
    if f > 1:
        raise ValueError(f"the harvest share per year is {f:g}; in the year-by-year model it must be at most 1 (all of the stock)")
    rows = []
    for year in range(span + 1):
        regrowth = rate * N * (1 - N / cap)
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


def full_harvest_years(r: Any, K: Any, harvest: Any, initial: Any = None, unit: str = "t") -> pint.Quantity:
    """Year by year: for how many years in a row the full harvest can be taken (``inf`` if for ever).

    The model of :func:`yearly_stock` (each year: stock + regrowth - harvest). In the first
    year that the stock plus its regrowth is less than the harvest, only what is left can be
    taken and the stock is gone: the years before it are counted. A stock that still gives the
    full harvest after 1000 years is taken to give it for ever (it has settled on a balance).

    With the defaults the full 150 t can be taken 11 years in a row; in the 12th only the last
    few tonnes are left. (In continuous time, :func:`time_to_collapse`, the stock is gone after
    10.3 years: there the harvest is taken bit by bit through the year, so the stock has less
    time to regrow before each bit is taken.)

    >>> full_harvest_years(0.5, 1000, 150, initial=500).magnitude
    11.0
    """
    unit, rate, cap, H, N = _case(r, K, harvest, initial, unit)
    if H <= 0:
        return Q_(math.inf, "year")
    for year in range(int(_table()["horizon"].maximum)):
        available = N + rate * N * (1 - N / cap)
        if available < H:
            return Q_(float(year), "year")
        N = available - H
    return Q_(math.inf, "year")


def collapse_table(r: Any, K: Any, initial: Any = None, shares: Any = (0.5, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0),
                   unit: str = "t") -> pd.DataFrame:
    """Years to collapse for fixed harvests given as multiples of the MSY (``shares``, a list).

    >>> collapse_table(0.5, 1000, 500, shares=(1.0, 1.2))["years_to_collapse"].round(2).tolist()
    [inf, 10.29]
    """
    unit, rate, cap = _logistic(r, K, unit)
    N0 = _initial(initial, cap, unit)
    multiples = checks.numbers_list(shares, "shares", minimum=0)
    msy = maximum_sustainable_yield(rate, cap, unit).magnitude
    rows = [{"harvest_share_of_msy": share, "harvest": share * msy,
             "years_to_collapse": _collapse_time(rate, cap, share * msy, N0)} for share in multiples]
    frame = pd.DataFrame(rows, columns=["harvest_share_of_msy", "harvest", "years_to_collapse"])
    frame.attrs["units"] = {"harvest": f"{unit}/year", "years_to_collapse": "year"}
    return frame
