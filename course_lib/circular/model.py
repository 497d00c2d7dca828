"""The product-system model: a stock of products in use, sold or leased, with the 4R's.

A stock of ``stock`` products of ``mass`` each stays in use; each use cycle lasts ``lifetime``
years on average, so ``D = stock / lifetime`` products leave use every year and as many must
enter. Of those leaving, a share ``k`` is collected: leased ones at ``collection_leased``, sold
ones at ``collection_sold``, so ``k = lease_share·collection_leased + (1-lease_share)·collection_sold``.
Of the collected products a share ``repair`` is repaired or reconditioned and a share ``reuse``
is reused (both go back into use), a share ``recycle`` is recycled (its material, times
``recycling_yield``, replaces virgin material). Everything else becomes waste. Repairs need new
parts (``repair_parts``, a share of the product's mass), whose old counterparts become waste.

In a steady state (stock constant), per year, with ``m = mass``:

* virgin material ``V = D·m·[1 - k·(repair + reuse) - k·recycle·recycling_yield + k·repair·repair_parts]``
* waste ``W = V`` (what enters from nature must leave as waste when nothing accumulates)
* material circulating ``C = D·m·k·[repair·(1 - repair_parts) + reuse + recycle·recycling_yield]``
* mass balance: ``V + C = D·m`` (the material entering use each year).

>>> ss = steady_state()   # the dataset's defaults: 1,000 TVs of 15 kg, 5.6 years, all sold, no 4R
>>> float(round(ss.loc[0, "virgin_t"], 3)), float(round(ss.loc[0, "waste_t"], 3))
(2.679, 2.679)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pint

from .. import checks, data, params
from ..units import Q_

__all__ = [
    "PARAMETERS", "RATES", "parameters", "defaults", "check_parameters", "steady_state", "scenarios",
    "lifetime_effect", "simulate", "formula", "exercise_scenario", "reference_figures",
]

#: The model's parameters, in the order of ``datasets/circular_product_parameters.csv``.
PARAMETERS = (
    "stock", "mass", "lifetime", "lease_share", "collection_sold", "collection_leased",
    "repair", "reuse", "recycle", "recycling_yield", "repair_parts",
)
#: Parameters that are shares (0 to 1).
RATES = PARAMETERS[3:]
# Canonical units the model computes in (flows come out in t/year).
_UNITS = {"stock": "dimensionless", "mass": "kg", "lifetime": "year", "years": "year"}
_TABLE = "circular_product_parameters"

_OUTPUT_UNITS = {
    "products_leaving": "1/year", "collected": "1/year", "repaired": "1/year", "reused": "1/year",
    "recycled_products": "1/year", "new_products": "1/year",
    "demand_t": "t/year", "virgin_t": "t/year", "recycled_t": "t/year", "returned_t": "t/year",
    "parts_t": "t/year", "waste_t": "t/year", "circulating_t": "t/year", "circularity": "dimensionless",
}


# ---- parameters --------------------------------------------------------------------------------


def parameters() -> pd.DataFrame:
    """The parameter table (``circular_product_parameters``): one row per parameter, with its sources.

    Columns ``name, label, value, unit, low, high, step, minimum, maximum, exclusive, note, basis,
    source`` (:mod:`course_lib.params`; ``low``/``high``/``step``: the sliders' range and step).

    >>> row = parameters().set_index("name").loc["lifetime"]
    >>> float(row["value"]), row["unit"], float(row["low"]), float(row["high"]), row["basis"]
    (5.6, 'year', 1.0, 20.0, 'literature')
    """
    return _table().frame()


def _table() -> params.ParameterTable:
    return params.parameters(_TABLE)


def defaults() -> dict[str, float]:
    """Default parameter values from the dataset, as plain numbers in the model's units (kg, year).

    Read once per data folder (``COURSE_DATA_DIR``), so an instructor's adapted table is used.

    >>> d = defaults()
    >>> d["stock"], d["mass"], d["lifetime"], d["collection_sold"], d["years"]
    (1000.0, 15.0, 5.6, 0.4, 30.0)
    """
    return _table().defaults([*PARAMETERS, "years"], _UNITS)


def check_parameters(**overrides: Any) -> dict[str, float]:
    """The defaults with ``overrides`` applied, every value checked against the table's bounds.

    Numbers are read in the table's units (kg, years, shares from 0 to 1); pint quantities in any
    compatible unit are converted. Unknown names, values outside the table's ``minimum`` and
    ``maximum`` and 4R shares adding to more than 1 raise ``ValueError``:

    >>> check_parameters(repair=0.5, reuse=0.3, recycle=0.4)
    Traceback (most recent call last):
    ...
    ValueError: repair + reuse + recycle = 1.2 > 1: they are shares of the same collected products
    """
    values = _table().check(overrides, PARAMETERS, _UNITS, context="the model")
    total = values["repair"] + values["reuse"] + values["recycle"]
    if total > 1 + 1e-9:
        raise ValueError(
            f"repair + reuse + recycle = {total:.3g} > 1: they are shares of the same collected products"
        )
    return values


# ---- the model ---------------------------------------------------------------------------------


def _flows(p: dict[str, float], leased: float | None = None) -> dict[str, float]:
    """Yearly flows for parameters ``p`` (already checked); ``leased`` = leased share of the products leaving."""
    leased = p["lease_share"] if leased is None else leased
    leaving = p["stock"] / p["lifetime"]  # first-order outflow: stock / mean life
    k = leased * p["collection_leased"] + (1 - leased) * p["collection_sold"]
    collected = leaving * k
    repaired, reused = collected * p["repair"], collected * p["reuse"]
    recycled_products = collected * p["recycle"]
    m_t = p["mass"] / 1000.0  # kg -> t
    new_products = leaving - repaired - reused
    recycled_t = recycled_products * m_t * p["recycling_yield"]
    parts_t = repaired * m_t * p["repair_parts"]  # new parts fitted during repair: virgin material
    virgin_t = new_products * m_t - recycled_t + parts_t
    returned_t = (repaired * (1 - p["repair_parts"]) + reused) * m_t  # old material back in use
    demand_t = leaving * m_t
    waste_t = demand_t - returned_t - recycled_t  # uncollected, unrecovered, recycling losses, old parts
    circulating_t = returned_t + recycled_t
    return {
        "products_leaving": leaving, "collected": collected, "repaired": repaired, "reused": reused,
        "recycled_products": recycled_products, "new_products": new_products,
        "demand_t": demand_t, "virgin_t": virgin_t, "recycled_t": recycled_t, "returned_t": returned_t,
        "parts_t": parts_t, "waste_t": waste_t, "circulating_t": circulating_t,
        "circularity": circulating_t / demand_t if demand_t else 0.0,
    }


def steady_state(**overrides: Any) -> pd.DataFrame:
    """Yearly flows of the product system in a steady state: one row, units in ``attrs["units"]``.

    Columns: the parameters; products leaving use, collected, repaired, reused, recycled and new
    (per year); the material entering use (``demand_t``), virgin material, recycled material,
    material of products returned to use, new repair parts, waste and material circulating
    (t/year); and the circularity (circulating / demand). See the module docstring for the formulas.

    >>> lease = steady_state(lease_share=1, repair=0.2, reuse=0.1, recycle=0.6)
    >>> float(round(lease.loc[0, "virgin_t"], 3)), float(round(lease.loc[0, "circularity"], 2))
    (0.268, 0.9)
    """
    params = check_parameters(**overrides)
    frame = pd.DataFrame([{**params, **_flows(params)}])
    frame.attrs["units"] = {**{k: _UNITS.get(k, "dimensionless") for k in PARAMETERS}, **_OUTPUT_UNITS}
    return frame


def scenarios(table: pd.DataFrame) -> pd.DataFrame:
    """Steady states for several scenarios: one row of parameter overrides per scenario.

    Columns named like parameters override the defaults; a ``scenario`` column (or the index)
    names the rows. Empty cells keep the default.

    >>> s = scenarios(pd.DataFrame({"scenario": ["sold", "leased"], "lease_share": [0, 1], "recycle": [0.8, 0.8]}))
    >>> s.set_index("scenario")["virgin_t"].round(3).to_dict()
    {'sold': 1.821, 'leased': 0.536}
    """
    checks.frame(table, "table")
    for column in table.columns:
        if column != "scenario" and column not in PARAMETERS:
            raise ValueError(
                f"table has the column {column!r}, which is not a parameter{checks.suggest(str(column), PARAMETERS)}; "
                f"allowed: 'scenario' and {', '.join(PARAMETERS)}"
            )
    if table.empty:
        raise ValueError("table has no rows: give one row of parameter values per scenario")
    names = table["scenario"].tolist() if "scenario" in table.columns else table.index.tolist()
    rows = []
    for name, (_, row) in zip(names, table.iterrows()):
        overrides = {str(k): v for k, v in row.items() if k in PARAMETERS and not _empty(v)}
        rows.append(steady_state(**overrides).assign(scenario=name))
    out = pd.concat(rows, ignore_index=True)
    out = out[["scenario", *[c for c in out.columns if c != "scenario"]]]
    out.attrs["units"] = rows[0].attrs["units"]
    return out


def _empty(value: Any) -> bool:
    """An empty cell (None, NaN, <NA>) keeps the default; anything else is checked as a value."""
    return value is None or (pd.api.types.is_scalar(value) and not isinstance(value, str) and bool(pd.isna(value)))


def lifetime_effect(factor: float = 2.0, **overrides: Any) -> pd.DataFrame:
    """Steady states with the lifetime as given and multiplied by ``factor`` (default: doubled).

    Adds ``change`` = virgin material relative to the first row (0.5 = halved). ``V`` is inversely
    proportional to the lifetime: doubling it halves virgin material and waste, whatever the 4R's.

    >>> lifetime_effect()["virgin_t"].round(3).tolist()
    [2.679, 1.339]
    """
    factor = checks.number(factor, "factor", minimum=0, inclusive=False)
    base = check_parameters(**overrides)
    table = pd.DataFrame({"scenario": ["lifetime as given", f"lifetime × {factor:g}"],
                          **{name: [value, value] for name, value in base.items()}})
    table["lifetime"] = [base["lifetime"], base["lifetime"] * factor]
    out = scenarios(table)
    out["change"] = out["virgin_t"] / out.loc[0, "virgin_t"] if out.loc[0, "virgin_t"] else np.nan
    return out


def simulate(years: int | None = None, *, start: dict[str, Any] | None = None, before: int = 5, **policy: Any) -> pd.DataFrame:
    """Year-by-year flows when a new policy starts at year 0 in a system that was in steady state.

    ``start`` holds the overrides of the situation before (default: the dataset's defaults, all
    sold, no 4R); ``policy`` the overrides from year 0 on. Lifetime and 4R shares act at once;
    the leased share of the products in use moves towards the new lease share as products are
    replaced: ``leased(t) = target + (start - target)·exp(-t / lifetime)`` (first-order outflow:
    each year a share ``1/lifetime`` of the stock leaves, whatever its age).

    ``years`` are shown after the switch (default: the dataset's ``years``) and ``before`` years
    before it (the old steady state); ``start`` overrides parameters before the switch,
    ``policy`` from year 0 on.

    >>> sim = simulate(10, lease_share=1.0)
    >>> float(round(sim.set_index("year").loc[5, "leased_in_use"], 3))   # 1 - exp(-5 / 5.6)
    0.591
    """
    longest = _table()["years"]  # years a simulation may show on either side of the switch
    horizon = int(defaults()["years"] if years is None else longest.check(years, "years", whole=True))
    before = checks.whole_number(before, "before", minimum=0, maximum=int(longest.maximum))
    if start is not None and not isinstance(start, dict):
        raise TypeError(f"start must be a dict of parameter overrides such as {{'lease_share': 0.5}}, got {start!r} of type {type(start).__name__}")
    old = check_parameters(**(start or {}))
    new = check_parameters(**{**(start or {}), **policy})
    leased = old["lease_share"]  # the old system was in steady state
    rows = []
    for year in range(-before, horizon + 1):
        p = old if year < 0 else new
        rows.append({"year": year, "leased_in_use": leased, **_flows(p, leased)})
        # Products leaving this year are replaced by products placed under the current policy.
        keep = math.exp(-1.0 / p["lifetime"])
        leased = p["lease_share"] + (leased - p["lease_share"]) * keep
    frame = pd.DataFrame(rows)
    frame.attrs["units"] = {**_OUTPUT_UNITS, "year": "year", "leased_in_use": "dimensionless"}
    return frame


# ---- formulas shared with the kernel-free chart --------------------------------------------------

# One expression per output, in a syntax that is both Python and Vega (names are parameters).
_FORMULAS = {
    "k": "(lease_share * collection_leased + (1 - lease_share) * collection_sold)",
    "demand_t": "(stock / lifetime * mass / 1000)",
}
_FORMULAS["virgin_t"] = (
    f"{_FORMULAS['demand_t']} * (1 - {_FORMULAS['k']} * (repair + reuse) "
    f"- {_FORMULAS['k']} * recycle * recycling_yield + {_FORMULAS['k']} * repair * repair_parts)"
)
_FORMULAS["waste_t"] = _FORMULAS["virgin_t"]
_FORMULAS["circulating_t"] = (
    f"{_FORMULAS['demand_t']} * {_FORMULAS['k']} * (repair * (1 - repair_parts) + reuse + recycle * recycling_yield)"
)


def formula(output: str) -> str:
    """The closed-form expression of ``output`` (``virgin_t``, ``waste_t``, ``circulating_t``, ``demand_t``, ``k``).

    The same string is evaluated by Vega-Lite in :func:`~course_lib.circular.charts.policy_slider_chart`
    and checked against :func:`steady_state` in the tests.

    >>> formula("demand_t")
    '(stock / lifetime * mass / 1000)'
    """
    return _FORMULAS[checks.choice(output, "output", tuple(sorted(_FORMULAS)))]


# ---- the exercises' scenario ---------------------------------------------------------------------


def exercise_scenario() -> dict[str, float]:
    """The 4R shares of the exercises' service-economy scenario (``circular_exercise_scenario``).

    >>> exercise_scenario()
    {'repair': 0.2, 'reuse': 0.1, 'recycle': 0.6}
    """
    return dict(_exercise_scenario())


@data.cached
def _exercise_scenario() -> tuple[tuple[str, float], ...]:
    """The scenario read and checked once per data folder (notebook 03 and its questions ask often)."""
    table = data.load("circular_exercise_scenario")
    out = []
    for row in table.itertuples():
        where = f"circular_exercise_scenario.{row.parameter}"
        share = Q_(float(row.value), checks.unit(row.value_unit, f"{where}.value_unit", like="dimensionless"))
        out.append((str(row.parameter), _table()[str(row.parameter)].check(float(share.to("dimensionless").magnitude), f"{where}.value")))
    return tuple(out)


def reference_figures() -> dict[str, pint.Quantity]:
    """Published figures the exercises need beyond the model's parameters (``circular_reference_figures``), by id.

    >>> reference_figures()["weee_screens_recycling_target"].to("dimensionless")
    <Quantity(0.7, 'dimensionless')>
    """
    return {name: Q_(value, unit) for name, value, unit in _reference_figures()}


@data.cached
def _reference_figures() -> tuple[tuple[str, float, pint.Unit], ...]:
    table = data.load("circular_reference_figures")
    return tuple((str(row.id), float(row.value), checks.unit(row.value_unit, f"circular_reference_figures.{row.id}.value_unit"))
                 for row in table.itertuples())
