"""The expected answers of notebook 02's exercises (:mod:`course_lib.exercises`), from the topic's
models :mod:`~course_lib.capital.stock`, :mod:`~course_lib.capital.reserves` and
:mod:`~course_lib.capital.biosphere`: new cases of them, never a figure printed in the notebook.

Two misconceptions are confronted on purpose: **stock vs flow** (judging a harvest against the
size of the stock, the capital, instead of against its regrowth, the income: ``stock_flow``,
``best_harvest``, ``unpriced_capital`` and the reflection) and **correlation vs causation** in
the long trends (``life_income_cause``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import pandas as pd

import pint

from .. import data
from ..units import Q_
from ..variants import Slips, Variant, parameters
from .biosphere import oxygen_lost
from .reserves import exponential_index
from .stock import (full_harvest_years, maximum_sustainable_yield, msy_stock, policy_summary, stock_path,
                    time_to_collapse, yearly_stock)
from .trends import read_gapminder

__all__: list[str] = []


def _tonnes(value: float) -> pint.Quantity:
    return Q_(value, "t")


def _per_year(value: float) -> pint.Quantity:
    return Q_(value, "t/year")


def _msy(r: float, K: float) -> float:
    return float(maximum_sustainable_yield(r, K).magnitude)


# ---- unpriced_capital: the natural capital a business uses without a line in its accounts ---------------

#: The free natural capital of each business, in the order of the business options in the variants table.
_FREE_CAPITAL = ("fish", "river", "air", "bees")


def _option_index(v: Variant, name: str) -> int:
    """The position of the student's option among the parameter's options (the table's order)."""
    parameter = next(p for p in parameters(v.question) if p.name == name)
    return parameter.values.index(v[name])


def unpriced_capital(v: Variant) -> str:
    return _FREE_CAPITAL[_option_index(v, "business")]


# ---- best_harvest: predict which of three fixed harvests catches the most over the years ------------------

def _floor_to(value: float, step: float) -> float:
    return step * math.floor(value / step + 1e-9)


def _harvest_case(v: Variant) -> tuple[float, float, tuple[float, float, float], int]:
    """(r, K, the three harvests, years): harvests rounded down to the harvest slider's steps of 5 t.

    Rounding down keeps a harvest drawn at 100 % of the MSY at or below it; the next share drawn
    is 110 %, so no harvest lies just above the MSY.
    """
    r, K = v.number("r"), v.number("capacity")
    msy, base, spacing = _msy(r, K), v.number("base", ""), v.number("spacing", "")
    harvests = [_floor_to(base * msy, 5)]
    for k in (1, 2):
        harvests.append(max(harvests[-1] + 5, _floor_to((base + k * spacing) * msy, 5)))
    return r, K, (harvests[0], harvests[1], harvests[2]), int(v.number("years"))


def _fixed_total(r: float, K: float, harvest: float, years: int) -> float:
    """Total catch of a fixed harvest from a full stock over ``years`` (the continuous model)."""
    return float(stock_path(r, K, harvest, "fixed amount", years, K, points_per_year=1)["cumulative_harvest"].iloc[-1])


_HARVESTS = ("low", "middle", "high")


def best_harvest(v: Variant) -> str:
    r, K, harvests, years = _harvest_case(v)
    totals = [_fixed_total(r, K, h, years) for h in harvests]
    return _HARVESTS[totals.index(max(totals))]


def best_harvest_shows(v: Variant) -> dict[str, pint.Quantity]:
    _, _, harvests, _ = _harvest_case(v)
    return {name: _per_year(h) for name, h in zip(_HARVESTS, harvests)}


# ---- msy_fraction: the fixed fraction that gives the largest lasting harvest ------------------------

def msy_fraction(v: Variant) -> pint.Quantity:
    r, K = v.number("r"), v.number("capacity")
    return (maximum_sustainable_yield(r, K) / msy_stock(r, K) * Q_(1, "year")).to("percent")


def msy_fraction_slips(v: Variant) -> Slips:
    r, K = v.number("r"), v.number("capacity")
    msy = maximum_sustainable_yield(r, K)
    return [(Q_(100 * r, "percent"), "growth_rate"),
            ((msy / Q_(K, "t") * Q_(1, "year")).to("percent"), "over_capacity"),
            (Q_(msy.magnitude, "percent"), "msy_itself")]


# ---- policy_gap: read the student's own chart of the three policies -----------------------------------

def _policy_case(v: Variant) -> tuple[float, float, float, float, int]:
    """(r, K, first-year harvest, start, years) of the chart exercise."""
    r, K = v.number("r"), v.number("capacity")
    return r, K, v.number("harvest_share", "") * K, v.number("start_share", "") * K, int(v.number("years"))


def _policy_totals(v: Variant) -> dict[str, float]:
    r, K, harvest, start, years = _policy_case(v)
    summary = policy_summary(r, K, harvest, years=years, initial=start)
    return {str(p): float(total) for p, total in summary["total_harvest"].items()}


def policy_gap(v: Variant) -> pint.Quantity:
    totals = _policy_totals(v)
    return _tonnes(max(totals.values()) - min(totals.values()))


def policy_gap_shows(v: Variant) -> dict[str, pint.Quantity]:
    _, _, harvest, start, _ = _policy_case(v)
    return {"harvest": _per_year(harvest), "start": _tonnes(start)}


def policy_gap_slips(v: Variant) -> Slips:
    totals = sorted(_policy_totals(v).values())
    return [(_tonnes(totals[2]), "largest_alone"), (_tonnes(totals[2] - totals[1]), "middle_bar")]


# ---- collapse_harvest (model): the harvest that empties the student's stock within N years ------------

def _collapse_case(v: Variant) -> tuple[float, float, float, float]:
    r, K = v.number("r"), v.number("capacity")
    return r, K, v.number("start_share", "") * K, v.number("years")


def _smallest_harvest(years_for: Callable[[float], float], r: float, K: float, years: float) -> float:
    """The smallest harvest for which ``years_for(harvest)`` is at most ``years``: bisection.

    ``years_for`` is one of the stock model's own functions of the harvest (more harvest, fewer
    years), so the answer is whatever the model says, to rounding error.
    """
    low, high = _msy(r, K), 2.0 * K  # at or below the MSY these starts never empty; 2 K empties any stock within a year
    for _ in range(200):
        middle = (low + high) / 2
        if years_for(middle) <= years:
            high = middle
        else:
            low = middle
        if high - low <= 1e-12 * high:
            break
    return high


def collapse_harvest(v: Variant) -> pint.Quantity:
    r, K, start, years = _collapse_case(v)
    return _per_year(_smallest_harvest(lambda h: time_to_collapse(r, K, h, initial=start).magnitude, r, K, years))


def collapse_harvest_shows(v: Variant) -> dict[str, pint.Quantity]:
    _, _, start, _ = _collapse_case(v)
    return {"start": _tonnes(start)}


def collapse_harvest_slips(v: Variant) -> Slips:
    r, K, start, years = _collapse_case(v)
    year_by_year = _smallest_harvest(lambda h: full_harvest_years(r, K, h, initial=start).magnitude + 1, r, K, years)
    return [(_per_year(_msy(r, K)), "msy"),
            (_per_year(start / years), "no_regrowth"),
            (_per_year(year_by_year), "year_by_year")]


# ---- next_year_stock: two years of the year-by-year model, by hand -----------------------------------

def _yearly_case(v: Variant) -> tuple[float, float, float, float]:
    r, K = v.number("r"), v.number("capacity")
    return r, K, v.number("harvest_share", "") * K, v.number("start_share", "") * K


def next_year_stock(v: Variant) -> pint.Quantity:
    r, K, harvest, start = _yearly_case(v)
    return _tonnes(float(yearly_stock(r, K, harvest, "fixed amount", years=2, initial=start)["stock"].iloc[2]))


def next_year_stock_shows(v: Variant) -> dict[str, pint.Quantity]:
    _, _, harvest, start = _yearly_case(v)
    return {"harvest": _per_year(harvest), "start": _tonnes(start)}


def next_year_stock_slips(v: Variant) -> Slips:
    r, K, harvest, start = _yearly_case(v)
    table = yearly_stock(r, K, harvest, "fixed amount", years=2, initial=start)
    first_regrowth, second_regrowth = float(table["regrowth"].iloc[0]), float(table["regrowth"].iloc[1])
    return [(_tonnes(float(table["stock"].iloc[1])), "one_year"),
            (_tonnes(start + 2 * first_regrowth - 2 * harvest), "same_regrowth"),
            (_tonnes(start + first_regrowth + second_regrowth - harvest), "one_harvest")]


# ---- stock_flow: a small share of the stock, judged against the regrowth -------------------------------

def _flow_case(v: Variant) -> tuple[float, float, float]:
    r, K = v.number("r"), v.number("capacity")
    return r, K, v.number("harvest_share", "") * K


def stock_flow(v: Variant) -> str:
    r, K, harvest = _flow_case(v)
    return "not_sustainable" if harvest > _msy(r, K) else "sustainable"


def stock_flow_shows(v: Variant) -> dict[str, pint.Quantity]:
    _, _, harvest = _flow_case(v)
    return {"harvest": _per_year(harvest)}


# ---- reserves: five times the reserve, and slower growth of use ----------------------------------------

def _reserve(v: Variant) -> tuple[pint.Quantity, pint.Quantity]:
    return v.quantity("static"), v.quantity("growth")


def reserves_five_times(v: Variant) -> str:
    static, growth = _reserve(v)
    ratio = float(exponential_index(5 * static, growth) / exponential_index(static, growth))
    return "five_times" if ratio >= 4 else "two_to_four" if ratio >= 2 else "under_two"


def reserve_productivity(v: Variant) -> pint.Quantity:
    static, growth = _reserve(v)
    return (exponential_index(static, growth / 2) - exponential_index(static, growth)).to("year")


def reserve_productivity_slips(v: Variant) -> Slips:
    static, growth = _reserve(v)
    slower, faster = exponential_index(static, growth / 2), exponential_index(static, growth)
    return [(slower, "years_not_gain"),
            (static - faster, "against_static"),
            (exponential_index(static, growth * 2) - faster, "doubled")]


# ---- Biosphere-2-like oxygen loss --------------------------------------------------------------------

def _ambient() -> pint.Quantity:
    table = data.load("capital_biosphere2").set_index("id")
    return Q_(float(table.loc["oxygen_start", "value"]), str(table.loc["oxygen_start", "unit"]))


def biosphere_oxygen_lost(v: Variant) -> pint.Quantity:
    return oxygen_lost(_ambient(), v.quantity("after"))


def biosphere_oxygen_lost_shows(v: Variant) -> dict[str, pint.Quantity]:
    return {"ambient": _ambient()}


def biosphere_oxygen_lost_slips(v: Variant) -> Slips:
    drop = (_ambient() - v.quantity("after")).to("percent")
    kept = Q_(100, "percent") - biosphere_oxygen_lost(v).to("percent")
    # Dividing the drop by the ambient share is the method the prompt rules out (the air shrank):
    # a slip with its diagnosis, never a second right answer.
    same_air = oxygen_lost(_ambient(), v.quantity("after"), nitrogen_kept=False).to("percent")
    return [(drop, "points"), (kept, "kept"), (same_air, "same_air")]


# ---- life_income_cause: a pair of countries against a claim about causes ------------------------------

@functools.lru_cache(maxsize=1)
def _gapminder() -> pd.DataFrame:
    """Gapminder's excerpt indexed by country and year (read once)."""
    return read_gapminder().set_index(["country", "year"])


def _pair(v: Variant) -> tuple[tuple[float, float], tuple[float, float]]:
    """((GDP per person, life expectancy) of the first country, the same of the second) in the year drawn."""
    table = _gapminder()
    year = int(str(v["year"]))
    first, second = (table.loc[(str(v[name]), year)] for name in ("country_a", "country_b"))
    return ((float(first["gdpPercap"]), float(first["lifeExp"])), (float(second["gdpPercap"]), float(second["lifeExp"])))


def life_income_cause(v: Variant) -> str:
    first, second = _pair(v)
    richer, poorer = (first, second) if first[0] > second[0] else (second, first)
    return "fits" if richer[1] > poorer[1] else "against"


def life_income_cause_shows(v: Variant) -> dict[str, str]:
    first, second = _pair(v)
    return {"gdp_a": f"{first[0]:,.0f}", "life_a": f"{first[1]:.1f}", "gdp_b": f"{second[0]:,.0f}",
            "life_b": f"{second[1]:.1f}"}


# ---- the reflection, on the student's own fishery ----------------------------------------------------

def reflect_income_capital_shows(v: Variant) -> dict[str, object]:
    r, K = v.number("r"), v.number("capacity")
    msy = _msy(r, K)
    catch = round(v.number("excess", "") * msy)
    full = full_harvest_years(r, K, catch, initial=K).magnitude
    return {"catch": _per_year(catch), "msy": _per_year(round(msy)), "full_years": f"{full:.0f}",
            "total": _tonnes(catch * full)}
