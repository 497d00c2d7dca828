"""Circular strategies in numbers: a steady-state product-system model (sale or lease, the 4R's).

The article's service economy (Stahel; Braungart): consumers lease goods, manufacturers keep
owning them and take them back, and goods are reused, repaired, reconditioned or recycled (the
4R's) at the end of their useful life. This module asks what that changes in tonnes.

The model
---------
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

``V`` is inversely proportional to ``lifetime``: doubling the lifetime halves virgin material
and waste, whatever the 4R's.

>>> ss = steady_state()   # the dataset's defaults: 1,000 TVs of 15 kg, 5.6 years, all sold, no 4R
>>> float(round(ss.loc[0, "virgin_t"], 3)), float(round(ss.loc[0, "waste_t"], 3))
(2.679, 2.679)
>>> lease = steady_state(lease_share=1, repair=0.2, reuse=0.1, recycle=0.6)
>>> float(round(lease.loc[0, "virgin_t"], 3)), float(round(lease.loc[0, "circularity"], 2))
(0.268, 0.9)
>>> lifetime_effect()["virgin_t"].round(3).tolist()
[2.679, 1.339]

Over time (:func:`simulate`), the leased share of the products in use approaches the new lease
share as old products leave: ``leased(t) = target + (start - target)·exp(-t / lifetime)``
(first-order outflow: each year a share ``1/lifetime`` of the stock leaves, whatever its age).
"""

from __future__ import annotations

import functools
import math
import numbers

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd
import pint

from .. import charts, data, widgets
from ..exercises import Question, register
from ..units import Q_, check_unit

__all__ = [
    "PARAMETERS",
    "RATES",
    "parameters",
    "defaults",
    "check_parameters",
    "steady_state",
    "scenarios",
    "lifetime_effect",
    "simulate",
    "frameworks",
    "compare_frameworks",
    "formula",
    "steady_state_chart",
    "policy_slider_chart",
    "timeline_chart",
    "product_life_explorer",
    "exercise_scenario",
]

#: The model's parameters, in the order of ``datasets/circular_product_parameters.csv``.
PARAMETERS = (
    "stock", "mass", "lifetime", "lease_share", "collection_sold", "collection_leased",
    "repair", "reuse", "recycle", "recycling_yield", "repair_parts",
)
#: Parameters that are shares (0 to 1).
RATES = PARAMETERS[3:]
# Canonical units the model computes in (flows come out in t/year).
_UNITS = {"stock": "dimensionless", "mass": "kg", "lifetime": "year"}

_OUTPUT_UNITS = {
    "products_leaving": "1/year", "collected": "1/year", "repaired": "1/year", "reused": "1/year",
    "recycled_products": "1/year", "new_products": "1/year",
    "demand_t": "t/year", "virgin_t": "t/year", "recycled_t": "t/year", "returned_t": "t/year",
    "parts_t": "t/year", "waste_t": "t/year", "circulating_t": "t/year", "circularity": "dimensionless",
}


# ---- parameters --------------------------------------------------------------------------------


def parameters() -> pd.DataFrame:
    """The parameter table (``circular_product_parameters``): defaults, units, slider ranges, sources."""
    return data.load("circular_product_parameters")


@functools.lru_cache(maxsize=4)
def _defaults(folder: str) -> tuple:
    table = parameters().set_index("parameter")
    out = {}
    for name in (*PARAMETERS, "years"):
        row = table.loc[name]
        unit = _UNITS.get(name, "year" if name == "years" else "dimensionless")
        out[name] = Q_(float(row["value"]), check_unit(row["value_unit"])).to(unit).magnitude
    return tuple(out.items())


def defaults() -> dict:
    """Default parameter values from the dataset, as plain numbers in the model's units (kg, year).

    >>> d = defaults()
    >>> d["stock"], d["mass"], d["lifetime"], d["collection_sold"]
    (1000.0, 15.0, 5.6, 0.4)
    """
    return dict(_defaults(str(data.data_dir())))


def _value(name: str, value) -> float:
    """One parameter as a float in the model's unit; pint quantities are converted, bad values refused."""
    if isinstance(value, pint.Quantity):
        unit = _UNITS.get(name, "dimensionless")
        target = check_unit(unit)
        if value.dimensionality != target.dimensionality:
            raise ValueError(f"{name}={value} has the wrong dimension: give it in {unit} (or a compatible unit)")
        value = value.to(target).magnitude
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name}={value!r} is not a finite number")
    if name in RATES and not 0 <= value <= 1:
        raise ValueError(f"{name}={value!r} is a share and must lie between 0 and 1 (40 % is 0.4)")
    if name == "lifetime" and value <= 0:
        raise ValueError(f"lifetime={value!r} must be > 0 years: a product must be in use for some time")
    if value < 0:
        raise ValueError(f"{name}={value!r} must be >= 0")
    return value


def check_parameters(**overrides) -> dict:
    """The defaults with ``overrides`` applied, every value checked.

    Unknown names, shares outside 0-1, lifetimes <= 0 and 4R shares adding to more than 1 raise
    ``ValueError``:

    >>> check_parameters(repair=0.5, reuse=0.3, recycle=0.4)
    Traceback (most recent call last):
    ...
    ValueError: repair + reuse + recycle = 1.2 > 1: they are shares of the same collected products
    """
    unknown = sorted(set(overrides) - set(PARAMETERS))
    if unknown:
        raise ValueError(f"unknown parameter(s) {unknown}; the model's parameters are {list(PARAMETERS)}")
    params = {name: v for name, v in defaults().items() if name in PARAMETERS}
    for name, value in overrides.items():
        params[name] = _value(name, value)
    total = params["repair"] + params["reuse"] + params["recycle"]
    if total > 1 + 1e-9:
        raise ValueError(
            f"repair + reuse + recycle = {total:.3g} > 1: they are shares of the same collected products"
        )
    return params


# ---- the model ---------------------------------------------------------------------------------


def _flows(p: dict, leased: float | None = None) -> dict:
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


def steady_state(**overrides) -> pd.DataFrame:
    """Yearly flows of the product system in a steady state: one row, units in ``attrs["units"]``.

    Columns: products leaving use, collected, repaired, reused, recycled and new (per year); the
    material entering use (``demand_t``), virgin material, recycled material, material of
    products returned to use, new repair parts, waste and material circulating (t/year); and the
    circularity (circulating / demand). See the module docstring for the formulas.
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
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a DataFrame with one row per scenario, got {type(table).__name__}")
    names = table["scenario"].tolist() if "scenario" in table.columns else table.index.tolist()
    unknown = sorted(set(table.columns) - set(PARAMETERS) - {"scenario"})
    if unknown:
        raise ValueError(f"table has column(s) {unknown} that are not parameters; allowed: {list(PARAMETERS)} and 'scenario'")
    rows = []
    for name, (_, row) in zip(names, table.iterrows()):
        overrides = {k: v for k, v in row.items() if k in PARAMETERS and not pd.isna(v)}
        rows.append(steady_state(**overrides).assign(scenario=name))
    out = pd.concat(rows, ignore_index=True)
    out = out[["scenario", *[c for c in out.columns if c != "scenario"]]]
    out.attrs["units"] = rows[0].attrs["units"]
    return out


def lifetime_effect(factor: float = 2.0, **overrides) -> pd.DataFrame:
    """Steady states with the lifetime as given and multiplied by ``factor`` (default: doubled).

    Adds ``change`` = each flow relative to the first row (0.5 = halved).
    """
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not math.isfinite(factor) or factor <= 0:
        raise ValueError(f"factor={factor!r} must be a finite number > 0 (2 doubles the lifetime)")
    base = check_parameters(**overrides)
    table = pd.DataFrame({"scenario": ["lifetime as given", f"lifetime × {factor:g}"],
                          "lifetime": [base["lifetime"], base["lifetime"] * factor]})
    out = scenarios(table.assign(**{k: v for k, v in overrides.items() if k != "lifetime"}))
    out["change"] = out["virgin_t"] / out.loc[0, "virgin_t"] if out.loc[0, "virgin_t"] else np.nan
    return out


def simulate(years: int | None = None, *, start: dict | None = None, before: int = 5, **policy) -> pd.DataFrame:
    """Year-by-year flows when a new policy starts at year 0 in a system that was in steady state.

    ``start`` holds the overrides of the situation before (default: the dataset's defaults, all
    sold, no 4R); ``policy`` the overrides from year 0 on. Lifetime and 4R shares act at once;
    the leased share of the products in use moves towards the new lease share as products are
    replaced (exactly ``exp(-1/lifetime)`` of the gap remains after each year).

    >>> sim = simulate(10, lease_share=1.0)
    >>> float(round(sim.set_index("year").loc[5, "leased_in_use"], 3))   # 1 - exp(-5 / 5.6)
    0.591
    """
    years = int(defaults()["years"]) if years is None else years
    if isinstance(years, bool) or not isinstance(years, numbers.Integral) or years < 1:
        raise ValueError(f"years={years!r} must be a whole number >= 1")
    if isinstance(before, bool) or not isinstance(before, numbers.Integral) or before < 0:
        raise ValueError(f"before={before!r} must be a whole number >= 0")
    if start is not None and not isinstance(start, dict):
        raise TypeError(f"start must be a dict of parameter overrides, got {type(start).__name__}")
    old = check_parameters(**(start or {}))
    new = check_parameters(**{**(start or {}), **policy})
    leased = old["lease_share"]  # the old system was in steady state
    rows = []
    for year in range(-before, years + 1):
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

    The same string is evaluated by Vega-Lite in :func:`policy_slider_chart` and checked against
    :func:`steady_state` in the tests.

    >>> formula("demand_t")
    '(stock / lifetime * mass / 1000)'
    """
    if output not in _FORMULAS:
        raise ValueError(f"output={output!r} has no formula; choose one of {sorted(_FORMULAS)}")
    return _FORMULAS[output]


# ---- frameworks --------------------------------------------------------------------------------


def frameworks() -> pd.DataFrame:
    """The four lists of the article side by side: lean's five steps, the 4R's, natural capitalism, cradle to cradle.

    One row per item: ``framework``, ``authors``, ``no``, ``item``, ``summary``.
    """
    lean = data.load("lean_five_steps")
    rs = data.load("circular_4rs")
    nc = data.load("capital_strategies")  # one list of the four strategies for the whole course
    cc = data.load("circular_cradle_visions")
    parts = [
        pd.DataFrame({"framework": "Lean thinking", "authors": "Womack & Jones (1996)", "no": lean["step_no"],
                      "item": lean["principle"], "summary": lean["summary"]}),
        pd.DataFrame({"framework": "Service economy: the 4R's", "authors": "Stahel (1982); Braungart", "no": rs["r_no"],
                      "item": rs["r"].str.capitalize(), "summary": rs["meaning"]}),
        pd.DataFrame({"framework": "Natural capitalism", "authors": "Hawken, Lovins & Lovins (1999)", "no": nc["no"],
                      "item": nc["strategy"], "summary": nc["summary"]}),
        pd.DataFrame({"framework": "Cradle to cradle", "authors": "McDonough & Braungart (2002)", "no": cc["no"],
                      "item": cc["vision"], "summary": cc["summary"]}),
    ]
    return pd.concat(parts, ignore_index=True)


def compare_frameworks() -> pd.DataFrame:
    """One row per framework: its items in one cell, for a side-by-side table."""
    table = frameworks()
    return (table.groupby("framework", sort=False)
            .agg(authors=("authors", "first"), items=("item", lambda s: " · ".join(s)), count=("item", "size"))
            .reset_index())


# ---- charts ------------------------------------------------------------------------------------

_COLORS = {"virgin material": charts.PALETTE[5], "waste": "#555555", "material circulating": charts.PALETTE[2]}
_SOURCE = ("course_lib.circular model; dataset circular_product_parameters "
           "(UBA & Oeko-Institut 2015; Eurostat 2024; stated assumptions)")


def steady_state_chart(table: pd.DataFrame) -> alt.Chart:
    """Bars of virgin material, waste and material circulating per scenario (a frame from :func:`scenarios`)."""
    if not isinstance(table, pd.DataFrame) or not {"scenario", "virgin_t", "waste_t", "circulating_t"} <= set(table.columns):
        raise TypeError("table must come from scenarios() or lifetime_effect(): columns scenario, virgin_t, waste_t, circulating_t")
    long = table.melt(id_vars="scenario", value_vars=["virgin_t", "waste_t", "circulating_t"], var_name="flow", value_name="t")
    long["flow"] = long["flow"].map({"virgin_t": "virgin material", "waste_t": "waste", "circulating_t": "material circulating"})
    long["label"] = long["t"].map(lambda t: f"{t:.3g} t/yr")
    order = list(_COLORS)
    y = alt.Y("flow:N", sort=order, title=None)
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("t:Q", title="tonnes per year", axis=alt.Axis(tickCount=6)), y=y,
        color=alt.Color("flow:N", scale=alt.Scale(domain=order, range=list(_COLORS.values())), legend=None),
        tooltip=["scenario", "flow", alt.Tooltip("t:Q", format=".3f", title="t/year")],
    )
    text = alt.Chart(long).mark_text(align="left", dx=4).encode(x="t:Q", y=y, text="label:N")
    chart = alt.layer(bars, text).properties(width=420, height=100).facet(
        row=alt.Row("scenario:N", sort=table["scenario"].tolist(), title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold"))
    )
    return charts.finish(
        chart,
        title="Virgin material, waste and material circulating per year",
        description="; ".join(f"{r.scenario}: virgin {r.virgin_t:.3g} t/yr, waste {r.waste_t:.3g} t/yr, circulating {r.circulating_t:.3g} t/yr"
                              for r in table.itertuples()) + ".",
        source=_SOURCE,
    )


_FLOW_NAMES = {"virgin_t": "virgin material", "waste_t": "waste", "circulating_t": "material circulating"}


def _timeline_long(sim: pd.DataFrame) -> pd.DataFrame:
    """Long format (year, flow, t) built from arrays: several times faster than DataFrame.melt."""
    years = sim["year"].to_numpy()
    return pd.DataFrame({
        "year": np.tile(years, len(_FLOW_NAMES)),
        "flow": np.repeat(list(_FLOW_NAMES.values()), len(years)),
        "t": np.concatenate([sim[c].to_numpy(dtype=float) for c in _FLOW_NAMES]),
    })


@functools.lru_cache(maxsize=1)
def _timeline_template() -> alt.LayerChart:
    """The timeline chart built once; :func:`timeline_chart` only swaps its data, title and description.

    Building and validating an Altair chart takes tens of milliseconds; a shallow copy with new
    data takes about one, which keeps the explorer's updates far below 100 ms.
    """
    order = list(_COLORS)
    lines = alt.Chart(_timeline_long(simulate(1, before=0))).mark_line(interpolate="step-after").encode(
        x=alt.X("year:Q", title="years after the new policy starts"),
        y=alt.Y("t:Q", title="tonnes per year"),
        color=alt.Color("flow:N", scale=alt.Scale(domain=order, range=list(_COLORS.values())), title=None,
                        legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("flow:N", scale=alt.Scale(domain=order, range=[[1, 0], [6, 4], [1, 0]]), title=None,
                                  legend=alt.Legend(orient="bottom")),
    )
    rule = alt.Chart(pd.DataFrame({"year": [0]})).mark_rule(color="#999", strokeDash=[2, 2]).encode(x="year:Q")
    return charts.finish((rule + lines).properties(width=520, height=260), title="template",
                         description="template", source=_SOURCE)


def timeline_chart(sim: pd.DataFrame, *, title: str | None = None) -> alt.LayerChart:
    """Virgin material, waste and material circulating per year from :func:`simulate` (policy starts at year 0)."""
    if not isinstance(sim, pd.DataFrame) or not {"year", "virgin_t", "waste_t", "circulating_t"} <= set(sim.columns) or sim.empty:
        raise TypeError("sim must come from simulate(): columns year, virgin_t, waste_t, circulating_t")
    template = _timeline_template()
    lines = template.layer[1].copy(deep=False)
    lines.data = _timeline_long(sim)
    chart = template.copy(deep=False)
    chart.layer = [template.layer[0], lines]
    first, last = sim.iloc[0], sim.iloc[-1]
    chart.title = alt.Title(title or f"Virgin material: {first['virgin_t']:.3g} → {last['virgin_t']:.3g} t/yr",
                            subtitle=f"Source: {_SOURCE}")
    chart.description = (
        f"Yearly flows before and after a policy change at year 0. Virgin material goes from {first['virgin_t']:.3g} "
        f"to {last['virgin_t']:.3g} t per year, material circulating from {first['circulating_t']:.3g} to "
        f"{last['circulating_t']:.3g} t per year; waste (dashed) equals virgin material in every year because the stock is constant."
    )
    return chart


def policy_slider_chart() -> alt.LayerChart:
    """A kernel-free view of the steady state: sliders for lifetime, lease share, repair, reuse and recycling.

    The bars are computed in the browser from :func:`formula`; the other parameters are the
    dataset's defaults. Shares that add up to more than 1 are capped in order (repair, reuse,
    recycle), and the chart says so.
    """
    d = defaults()
    table = parameters().set_index("parameter")

    def slider(name):
        row = table.loc[name]
        return alt.param(name, value=d[name], bind=alt.binding_range(
            min=float(row["slider_min"]), max=float(row["slider_max"]), step=float(row["slider_step"]), name=f"{row['label']} "))

    params = [slider(n) for n in ("lifetime", "lease_share", "repair", "reuse", "recycle")]
    fixed = {k: d[k] for k in PARAMETERS if k not in ("lifetime", "lease_share", "repair", "reuse", "recycle")}
    # Capped shares so the sum never exceeds 1 (the Python model raises instead).
    capped = {"repair": "repair_c", "reuse": "reuse_c", "recycle": "recycle_c"}

    def expr(output, reference: bool):
        text = formula(output)
        names = {**{k: repr(v) for k, v in fixed.items()}}
        if reference:
            names.update({k: repr(d[k]) for k in ("lifetime", "lease_share", "repair", "reuse", "recycle")})
        else:
            names.update({k: f"datum.{v}" for k, v in capped.items()})
        for name in sorted(names, key=len, reverse=True):
            text = _replace_name(text, name, names[name])
        return text

    rows = pd.DataFrame([(c, f) for c in ("reference: sold, no 4R", "your choices") for f in _COLORS], columns=["case", "flow"])
    keys = {"virgin material": "virgin_t", "waste": "waste_t", "material circulating": "circulating_t"}

    def by_flow(reference):
        inner = "0"
        for flow, key in keys.items():
            inner = f"(datum.flow == '{flow}' ? {expr(key, reference)} : {inner})"
        return inner

    base = alt.Chart(rows).transform_calculate(
        repair_c="min(repair, 1)",
        reuse_c="min(reuse, 1 - min(repair, 1))",
        recycle_c="min(recycle, 1 - min(repair, 1) - min(reuse, 1 - min(repair, 1)))",
    ).transform_calculate(
        t=f"datum.case == 'your choices' ? {by_flow(False)} : {by_flow(True)}",
        capped="repair + reuse + recycle > 1 ? ' (shares capped: repair + reuse + recycle must not exceed 1)' : ''",
    ).transform_calculate(label="format(datum.t, '.3~f') + ' t/yr'")
    y = alt.Y("flow:N", sort=list(_COLORS), title=None)
    bars = base.mark_bar().encode(
        x=alt.X("t:Q", title="tonnes per year", axis=alt.Axis(tickCount=6)),
        y=y, yOffset=alt.YOffset("case:N", sort=["reference: sold, no 4R", "your choices"]),
        color=alt.Color("case:N", scale=alt.Scale(domain=["reference: sold, no 4R", "your choices"], range=["#BBBBBB", charts.PALETTE[0]]), title=None,
                        legend=alt.Legend(orient="bottom")),
        tooltip=["case", "flow", alt.Tooltip("t:Q", format=".3f", title="t/year")],
    )
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(
        x="t:Q", y=y, yOffset=alt.YOffset("case:N", sort=["reference: sold, no 4R", "your choices"]), text="label:N")
    warn = base.transform_filter("datum.case == 'your choices' && datum.flow == 'virgin material'").mark_text(
        align="left", x=0, y=-12, color=charts.PALETTE[5], fontSize=13).encode(text="capped:N")
    chart = (bars + text + warn).add_params(*params).properties(width=460, height=230)
    ref = steady_state()
    return charts.finish(
        chart,
        title="Service economy, your way: move the sliders (works without a kernel)",
        description=(f"Grouped bars of virgin material, waste and material circulating per year for {d['stock']:g} products of "
                     f"{d['mass']:g} kg: the grey reference (all sold, no 4R, lifetime {d['lifetime']:g} years: virgin "
                     f"{ref.loc[0, 'virgin_t']:.3g} t/yr) and blue bars for the slider settings."),
        source=_SOURCE,
    )


def _replace_name(text: str, name: str, value: str) -> str:
    """Replace the whole word ``name`` in an expression (not inside longer names)."""
    import re

    return re.sub(rf"(?<![\w.]){re.escape(name)}(?!\w)", value, text)


# ---- explorer ----------------------------------------------------------------------------------


@widgets.explorer
def product_life_explorer(**start) -> widgets.Explorer:
    """Sliders for lifetime, lease share, collection of sold products and the 4R's; the chart shows the years after the switch.

    The system starts in the dataset's default steady state (or ``start`` overrides) and the
    slider values apply from year 0. Updates take a few milliseconds (the model is closed-form).
    """
    table = parameters().set_index("parameter")
    base = check_parameters(**start)
    horizon = int(defaults()["years"])

    def slider(name):
        row = table.loc[name]
        return w.FloatSlider(value=base[name], min=float(row["slider_min"]), max=float(row["slider_max"]),
                             step=float(row["slider_step"]), description=name.replace("_", " "),
                             continuous_update=False, readout_format=".2f",
                             style={"description_width": "110px"}, layout=w.Layout(width="330px"))

    names = ("lifetime", "lease_share", "collection_sold", "repair", "reuse", "recycle")
    controls = {name: slider(name) for name in names}
    reference = steady_state(**start).iloc[0]

    def update(**values):
        total = values["repair"] + values["reuse"] + values["recycle"]
        if total > 1 + 1e-9:
            return (f"repair + reuse + recycle = {total:.2f}: they are shares of the same collected products, "
                    "so together they cannot exceed 1. Lower one of them.")
        sim = simulate(horizon, start=start, **values)
        last = sim.iloc[-1]
        title = (f"Virgin material {reference['virgin_t']:.3g} → {last['virgin_t']:.3g} t/yr "
                 f"({last['virgin_t'] / reference['virgin_t'] - 1:+.0%} after {horizon} years)") if reference["virgin_t"] else None
        return timeline_chart(sim, title=title)

    return widgets.Explorer(controls, update, title="Product-life model: from selling to leasing, with the 4R's")


# ---- questions ---------------------------------------------------------------------------------

def exercise_scenario() -> dict:
    """The 4R shares of the exercises' service-economy scenario (``circular_exercise_scenario``).

    >>> exercise_scenario()
    {'repair': 0.2, 'reuse': 0.1, 'recycle': 0.6}
    """
    table = data.load("circular_exercise_scenario")
    return {str(r.parameter): float(Q_(float(r.value), check_unit(r.value_unit)).to("dimensionless").magnitude)
            for r in table.itertuples()}


def _t(output: str, **overrides) -> pint.Quantity:
    return Q_(float(steady_state(**overrides).loc[0, output]), "t/year")


def _framework_items() -> dict:
    table = frameworks()
    # Five items, one or two per framework, picked by their number in the datasets.
    pick = [("Lean thinking", 4), ("Service economy: the 4R's", 3), ("Natural capitalism", 3),
            ("Cradle to cradle", 2), ("Natural capitalism", 2)]
    out = {}
    for framework, no in pick:
        row = table[(table["framework"] == framework) & (table["no"] == no)].iloc[0]
        out[str(row["item"])] = framework
    return out


for _q in (
    Question(
        id="circular.virgin_linear",
        prompt="1,000 televisions of 15 kg are in use, each for 5.6 years, all sold, none collected for the 4R's. How many tonnes of virgin material does keeping them in use take per year?",
        expected=lambda: _t("virgin_t"),
        unit="t/year",
        hints=("How many televisions reach the end of their use each year? stock / lifetime.", "Each one is replaced by a new one of 15 kg made from virgin material."),
    ),
    Question(
        id="circular.virgin_double_lifetime",
        prompt="Same system, but each television is used twice as long (11.2 years). Virgin material per year?",
        expected=lambda: _t("virgin_t", lifetime=2 * defaults()["lifetime"]),
        unit="t/year",
        hints=("Half as many televisions leave use each year.",),
    ),
    Question(
        id="circular.virgin_sold_4r",
        prompt="All televisions sold (40 % collected), and of the collected ones 20 % repaired, 10 % reused, 60 % recycled. Virgin material per year?",
        expected=lambda: _t("virgin_t", **exercise_scenario()),
        unit="t/year",
        hints=("Only collected televisions can be repaired, reused or recycled: 40 % of those leaving use.",
               "virgin = (leaving × 15 kg) × (1 − 0.4 × (0.2 + 0.1 + 0.6))."),
    ),
    Question(
        id="circular.virgin_leased_4r",
        prompt="The same 4R shares, but every television is leased, so the manufacturer takes every one back. Virgin material per year?",
        expected=lambda: _t("virgin_t", lease_share=1.0, **exercise_scenario()),
        unit="t/year",
        hints=("Leased televisions are all collected: the share collected is 1.", "virgin = (leaving × 15 kg) × (1 − 0.2 − 0.1 − 0.6)."),
    ),
    Question(
        id="circular.waste_leased_4r",
        prompt="In that leased system, how many tonnes of waste per year? (Think before you compute.)",
        expected=lambda: _t("waste_t", lease_share=1.0, **exercise_scenario()),
        unit="t/year",
        hints=("The stock in use does not grow: what enters from nature each year must leave somewhere.",),
    ),
    Question(
        id="circular.circulating_leased_4r",
        prompt="In that leased system, how many tonnes of material go round again each year (products repaired or reused plus recycled material)?",
        expected=lambda: _t("circulating_t", lease_share=1.0, **exercise_scenario()),
        unit="t/year",
        hints=("Material entering use = virgin + circulating.",),
    ),
    Question(
        id="circular.match_frameworks",
        prompt="Which framework does each idea come from: 'Lean thinking', \"Service economy: the 4R's\", 'Natural capitalism' or 'Cradle to cradle'?",
        expected=_framework_items,
        hints=("Lean's five steps: value, value stream, flow, pull, perfection.",),
    ),
):
    register(_q)
del _q
