"""Lean thinking in numbers: value streams, the value-added ratio and the material behind a cola can.

Womack and Jones followed a cola can from the bauxite mine to the grocery shelf: about 319 days,
of which only 3 hours add value (Wong-Swanson 2005, Lean Thinking passage). This module turns
such a story into numbers for *any* value stream, and traces the metal and energy behind the can.

A **value-stream table** is a DataFrame with one row per step and the columns

* ``step`` -- the step's name;
* ``lead_time`` -- the time the product spends in the step, waiting included;
* ``value_added_time`` -- the part of it that adds value the customer pays for.

Times are numbers in the unit given by ``frame.attrs["units"]`` (as for datasets loaded with
:func:`course_lib.data.load`) or by the ``time_unit`` argument (default hours).

>>> import pandas as pd
>>> toast = pd.DataFrame({"step": ["buy bread", "store", "toast"],
...                       "lead_time": [0.5, 48, 0.1], "value_added_time": [0, 0, 0.05]})
>>> summary = summarize(toast)
>>> float(round(summary.loc[0, "lead_time_h"], 2)), float(round(summary.loc[0, "ratio_percent"], 3))
(48.6, 0.103)

The article's own stream prints totals only, so the cola can's ratio comes from its figures:

>>> f"{cola_summary().loc[0, 'ratio_percent']:.3f} %"
'0.039 %'

Material and energy, from the shelf back to the mine (24 % scrap, 2 t alumina per t aluminium):

>>> flow = back_calculate()
>>> flow.set_index("stage").loc["aluminium from the smelter", "mass_t"].round(3)
np.float64(1.316)
>>> metal_energy(Q_(1, "t")).to("MJ")
<Quantity(209200.0, 'megajoule')>
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
from ..units import Q_, check_unit, quantity

__all__ = [
    "check_stream",
    "lead_time",
    "value_added_time",
    "value_added_ratio",
    "summarize",
    "cola_figures",
    "cola_summary",
    "cola_stream",
    "value_stream_template",
    "parse_value_stream",
    "review_value_stream",
    "back_calculate",
    "metal_energy",
    "energy_per_tonne_of_cans",
    "stoichiometric_alumina_per_aluminium",
    "days_grid_chart",
    "log_timeline_chart",
    "value_stream_chart",
    "material_chart",
    "ratio_slider_chart",
    "value_stream_editor",
    "five_steps",
    "EXAMPLE_STREAM",
]

_TIME = check_unit("h").dimensionality
_COLS = ("lead_time", "value_added_time")


# ---- checking inputs ---------------------------------------------------------------------------


def _number(value, argument: str, *, allow_zero: bool = True) -> float:
    """A finite, non-negative real number (bools and strings refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{argument} must be a number, got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{argument}={value!r} is not a finite number")
    if value < 0 or (value == 0 and not allow_zero):
        allowed = "a number >= 0" if allow_zero else "a number > 0"
        raise ValueError(f"{argument}={value!r} is not allowed: give {allowed}")
    return value


def _share(value, argument: str) -> float:
    value = _number(value, argument)
    if value > 1:
        raise ValueError(f"{argument}={value!r} is a share and must lie between 0 and 1 (24 % is 0.24)")
    return value


def _time(value, argument: str, default_unit: str = "h") -> pint.Quantity:
    """A non-negative time: a pint Quantity of dimension time, or a number in ``default_unit``."""
    if isinstance(value, pint.Quantity):
        if value.dimensionality != _TIME:
            raise ValueError(f"{argument}={value} is not a time (it is {value.dimensionality}); give e.g. Q_(3, 'h')")
        _number(value.magnitude, argument)
        return value
    return quantity(_number(value, argument), default_unit, argument)


def _mass(value, argument: str) -> pint.Quantity:
    if isinstance(value, pint.Quantity):
        if value.dimensionality != check_unit("t").dimensionality:
            raise ValueError(f"{argument}={value} is not a mass; give e.g. Q_(1, 't')")
        _number(value.magnitude, argument)
        return value.to("t")
    return quantity(_number(value, argument), "t", argument)


def _time_unit(stream: pd.DataFrame, column: str, time_unit) -> pint.Unit:
    unit = time_unit if time_unit is not None else stream.attrs.get("units", {}).get(column, "h")
    unit = check_unit(unit, "time_unit")
    if unit.dimensionality != _TIME:
        raise ValueError(f"time_unit={str(unit)!r} is not a unit of time; use 'min', 'h', 'day', 'week'")
    return unit


def check_stream(stream, time_unit: str | None = None) -> pd.DataFrame:
    """Check a value-stream table and return a copy with times in hours (``lead_time_h``, ``value_added_time_h``).

    Empty times (NaN) are allowed here (the article prints none per step); negative times, a
    value-adding time longer than its step's lead time, or a missing column raise ``ValueError``.

    >>> check_stream(pd.DataFrame({"step": ["a"], "lead_time": [120], "value_added_time": [30]}), "min")["lead_time_h"].item()
    2.0

    >>> check_stream(pd.DataFrame({"step": ["a"], "lead_time": [1], "value_added_time": [2]}))
    Traceback (most recent call last):
    ...
    ValueError: step 'a': value_added_time 2 h is longer than its lead_time 1 h; value-adding time is part of the lead time
    """
    if not isinstance(stream, pd.DataFrame):
        raise TypeError(f"stream must be a pandas DataFrame with columns step, lead_time, value_added_time; got {type(stream).__name__}")
    missing = [c for c in ("step", *_COLS) if c not in stream.columns]
    if missing:
        raise ValueError(f"stream lacks column(s) {missing}; a value stream needs step, lead_time, value_added_time (see value_stream_template)")
    if stream.empty:
        raise ValueError("stream has no rows: add at least one step")
    out = stream.copy()
    for column in _COLS:
        values = pd.to_numeric(out[column], errors="coerce")
        bad = out[column].notna() & values.isna()
        if bad.any():
            raise ValueError(f"{column} must hold numbers; step {out.loc[bad, 'step'].iloc[0]!r} has {out.loc[bad, column].iloc[0]!r}")
        values = values.astype("float64")
        if np.isinf(values).any():
            raise ValueError(f"{column} must be finite; step {out.loc[np.isinf(values), 'step'].iloc[0]!r} has infinity")
        negative = values < 0
        if negative.any():
            step, value = out.loc[negative, "step"].iloc[0], float(values[negative].iloc[0])
            raise ValueError(f"step {step!r}: {column}={value:g} is negative; durations must be >= 0")
        factor = Q_(1, _time_unit(stream, column, time_unit)).to("h").magnitude
        out[f"{column}_h"] = values * factor
    unit = _time_unit(stream, "lead_time", time_unit)
    longer = out["value_added_time_h"] > out["lead_time_h"] * (1 + 1e-12)
    if longer.any():
        row = out.loc[longer].iloc[0]
        va = Q_(row["value_added_time_h"], "h").to(unit).magnitude
        lt = Q_(row["lead_time_h"], "h").to(unit).magnitude
        raise ValueError(
            f"step {row['step']!r}: value_added_time {va:g} {unit:~P} is longer than its lead_time {lt:g} {unit:~P}; "
            "value-adding time is part of the lead time"
        )
    return out


def _total(stream, column: str, time_unit) -> pint.Quantity:
    checked = check_stream(stream, time_unit)
    empty = checked.loc[checked[f"{column}_h"].isna(), "step"].tolist()
    if empty:
        raise ValueError(f"{column} is empty for step(s) {empty}: fill them in, or use the printed totals (cola_summary) instead")
    return Q_(float(checked[f"{column}_h"].sum()), "h")


def lead_time(stream, time_unit: str | None = None) -> pint.Quantity:
    """Total lead time of a value stream: the sum of its steps' lead times, in hours.

    >>> lead_time(pd.DataFrame({"step": ["a", "b"], "lead_time": [1, 2], "value_added_time": [0, 1]}), "day")
    <Quantity(72.0, 'hour')>
    """
    return _total(stream, "lead_time", time_unit)


def value_added_time(stream, time_unit: str | None = None) -> pint.Quantity:
    """Total value-adding time of a value stream, in hours.

    >>> value_added_time(pd.DataFrame({"step": ["a", "b"], "lead_time": [60, 60], "value_added_time": [5, 10]}), "min")
    <Quantity(0.25, 'hour')>
    """
    return _total(stream, "value_added_time", time_unit)


def value_added_ratio(value_added, lead) -> float:
    """The share of the lead time that adds value, between 0 and 1.

    ``value_added`` and ``lead`` are pint times (or numbers in hours). The article's cola can:

    >>> round(value_added_ratio(Q_(3, "h"), Q_(319, "day")) * 100, 4)
    0.0392
    """
    va = _time(value_added, "value_added")
    lt = _time(lead, "lead")
    if lt.magnitude == 0:
        raise ValueError("lead=0: a value stream takes some time; give a lead time > 0")
    ratio = float((va / lt).to("dimensionless").magnitude)
    if ratio > 1 + 1e-12:
        raise ValueError(f"value_added={va} is longer than lead={lt}: value-adding time is part of the lead time")
    return min(ratio, 1.0)


def _summary_row(name, lt: pint.Quantity, va: pint.Quantity, steps: int, empty: int) -> dict:
    ratio = value_added_ratio(va, lt)
    return {
        "stream": name,
        "steps": steps,
        "steps_without_times": empty,
        "lead_time_h": lt.to("h").magnitude,
        "lead_time_days": lt.to("day").magnitude,
        "value_added_time_h": va.to("h").magnitude,
        "waiting_time_h": (lt - va).to("h").magnitude,
        "ratio": ratio,
        "ratio_percent": ratio * 100,
    }


_SUMMARY_UNITS = {"lead_time_h": "h", "lead_time_days": "day", "value_added_time_h": "h", "waiting_time_h": "h", "ratio": "dimensionless", "ratio_percent": "percent"}


def summarize(stream, time_unit: str | None = None, name: str = "value stream") -> pd.DataFrame:
    """One row: steps, lead time, value-adding time, waiting time and the value-added ratio.

    Every step needs both times (see the module example).
    """
    checked = check_stream(stream, time_unit)
    row = _summary_row(name, lead_time(stream, time_unit), value_added_time(stream, time_unit), len(checked), 0)
    frame = pd.DataFrame([row])
    frame.attrs["units"] = dict(_SUMMARY_UNITS)
    return frame


# ---- the article's cola can --------------------------------------------------------------------


def cola_stream() -> pd.DataFrame:
    """The cola-can value stream as the article tells it (times empty: none is printed per step)."""
    return data.load("lean_cola_value_stream")


def cola_figures() -> dict[str, pint.Quantity]:
    """The cola-can figures (``lean_cola_figures``) as pint quantities, by id.

    >>> cola_figures()["lead_time"]
    <Quantity(319.0, 'day')>
    """
    table = data.load("lean_cola_figures")
    return {row.id: Q_(float(row.value), check_unit(row.value_unit, f"lean_cola_figures.{row.id}.value_unit")) for row in table.itertuples()}


def cola_summary() -> pd.DataFrame:
    """The article's totals for the cola can: 319 days, 3 hours and the value-added ratio."""
    figures = cola_figures()
    steps = cola_stream()
    frame = pd.DataFrame([
        _summary_row("cola can (Womack & Jones)", figures["lead_time"], figures["value_added_time"], len(steps),
                     int(steps["lead_time"].isna().sum()))
    ])
    frame.attrs["units"] = dict(_SUMMARY_UNITS)
    return frame


def five_steps() -> pd.DataFrame:
    """Womack and Jones's five steps (``lean_five_steps``)."""
    return data.load("lean_five_steps")


# ---- your own value stream ---------------------------------------------------------------------


def value_stream_template(steps=None, time_unit: str = "h") -> pd.DataFrame:
    """An empty value-stream table to fill in: one row per step, times empty (NaN).

    >>> t = value_stream_template(["order", "make", "deliver"], "day")
    >>> t.columns.tolist(), t.attrs["units"]["lead_time"]
    (['step', 'lead_time', 'value_added_time'], 'day')
    """
    if steps is None:
        steps = ["step 1", "step 2", "step 3"]
    if isinstance(steps, str) or not all(isinstance(s, str) and s.strip() for s in steps):
        raise TypeError(f"steps must be a list of step names (non-empty strings), got {steps!r}")
    unit = check_unit(time_unit, "time_unit")
    if unit.dimensionality != _TIME:
        raise ValueError(f"time_unit={time_unit!r} is not a unit of time; use 'min', 'h', 'day', 'week'")
    frame = pd.DataFrame({"step": list(steps), "lead_time": np.nan, "value_added_time": np.nan})
    frame.attrs["units"] = {"lead_time": time_unit, "value_added_time": time_unit}
    return frame


def parse_value_stream(text: str, time_unit: str = "h") -> pd.DataFrame:
    """Read a value stream typed as lines ``step, lead time, value-adding time`` (``#`` starts a comment).

    >>> parse_value_stream("grow wheat, 2000, 500\\nbake, 3, 1").loc[1, "lead_time"]
    np.float64(3.0)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string of lines 'step, lead time, value-adding time', got {type(text).__name__}")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.rsplit(",", 2)]
        if len(parts) != 3 or not parts[0]:
            raise ValueError(f"line {number} ({line!r}) must read 'step, lead time, value-adding time'")
        try:
            lt, va = float(parts[1]), float(parts[2])
        except ValueError:
            raise ValueError(f"line {number} ({line!r}): the two times must be numbers") from None
        rows.append({"step": parts[0], "lead_time": lt, "value_added_time": va})
    if not rows:
        raise ValueError("text holds no step: write one line per step, 'step, lead time, value-adding time'")
    frame = pd.DataFrame(rows)
    frame.attrs["units"] = {"lead_time": time_unit, "value_added_time": time_unit}
    check_stream(frame)
    return frame


def review_value_stream(stream, time_unit: str | None = None) -> str:
    """Feedback on a value stream a student built: what is missing, the ratio, the biggest waiting step."""
    checked = check_stream(stream, time_unit)
    empty = checked.loc[checked["lead_time_h"].isna() | checked["value_added_time_h"].isna(), "step"].tolist()
    if empty:
        return f"Fill in both times for: {', '.join(map(str, empty))}. (Use 0 for a step that adds no value.)"
    s = summarize(stream, time_unit).iloc[0]
    waiting = (checked["lead_time_h"] - checked["value_added_time_h"])
    worst = checked.loc[waiting.idxmax(), "step"]
    lines = [
        f"{int(s['steps'])} steps; lead time {_human(s['lead_time_h'])}, value-adding time {_human(s['value_added_time_h'])}.",
        f"Value-added ratio: {s['ratio_percent']:.3g} % of the time adds value.",
        f"Most waiting: {worst!r} ({_human(float(waiting.max()))} without adding value).",
    ]
    if s["value_added_time_h"] == 0:
        lines.append("No step adds value? Then what does the customer pay for? Look again at lean's first step: value.")
    elif s["ratio"] > 0.5:
        lines.append("Over half the time adds value: unusually lean. Did you count transport, storage and waiting on shelves?")
    return "\n".join(lines)


def _human(hours: float) -> str:
    """A duration in the unit a person would use."""
    if hours >= 48:
        return f"{hours / 24:.4g} days"
    if hours >= 1:
        return f"{hours:.3g} h"
    return f"{hours * 60:.3g} min"


# ---- material and energy behind the can --------------------------------------------------------


def stoichiometric_alumina_per_aluminium() -> pint.Quantity:
    """The least alumina that can give one tonne of aluminium: M(Al2O3) / (2 M(Al)), from IUPAC atomic weights.

    >>> round(stoichiometric_alumina_per_aluminium().magnitude, 3)
    1.889
    """
    weights = data.load("lean_atomic_weights").set_index("symbol")["atomic_weight"]
    al, o = Q_(weights["Al"], "g/mol"), Q_(weights["O"], "g/mol")
    return Q_(float(((2 * al + 3 * o) / (2 * al)).to("dimensionless").magnitude), "t/t")


def back_calculate(cans=Q_(1, "t"), *, scrap_share=None, alumina_per_aluminium=None, bauxite_per_alumina=None) -> pd.DataFrame:
    """Metal needed upstream of ``cans`` tonnes of cans on the shelves, from the shelf back to the mine.

    24 % of the smelter's aluminium becomes scrap, so the smelter must make cans / (1 - 0.24);
    each tonne of it needs 2 t of alumina (the article), each tonne of alumina 2.34 t of dried
    bauxite (USGS). Defaults come from ``lean_cola_figures``; pass a share (0-1) or ratio to try
    others. Returns rows ``stage, material, mass_t, per_tonne_of_cans, basis``.

    >>> back_calculate(Q_(760, "kg"))["mass_t"].round(3).tolist()
    [4.68, 2.0, 1.0, 0.24, 0.76]
    """
    figures = cola_figures()
    cans_t = _mass(cans, "cans")
    scrap = _share(figures["scrap_share"].to("dimensionless").magnitude if scrap_share is None else scrap_share, "scrap_share")
    if scrap >= 1:
        raise ValueError("scrap_share=1 means no can ever reaches the shelf; give a share below 1")
    a_per_al = _number(figures["alumina_per_aluminium"].magnitude if alumina_per_aluminium is None else alumina_per_aluminium,
                       "alumina_per_aluminium", allow_zero=False)
    b_per_a = _number(figures["bauxite_per_alumina"].magnitude if bauxite_per_alumina is None else bauxite_per_alumina,
                      "bauxite_per_alumina", allow_zero=False)
    aluminium = cans_t / (1 - scrap)  # cans are the 76 % of smelter output that is not scrap
    alumina = aluminium * a_per_al
    bauxite = alumina * b_per_a
    scrap_t = aluminium * scrap
    rows = [
        ("bauxite mined", "bauxite", bauxite, "literature" if bauxite_per_alumina is None else "your input"),
        ("alumina to the smelter", "alumina", alumina, "seed" if alumina_per_aluminium is None else "your input"),
        ("aluminium from the smelter", "aluminium", aluminium, "seed" if scrap_share is None else "your input"),
        ("scrap", "aluminium", scrap_t, "seed" if scrap_share is None else "your input"),
        ("cans on the shelves", "aluminium", cans_t, "your input"),
    ]
    per = cans_t.magnitude
    frame = pd.DataFrame(
        [{"stage": s, "material": m, "mass_t": q.to("t").magnitude,
          "per_tonne_of_cans": (q.to("t").magnitude / per) if per else np.nan, "basis": b} for s, m, q, b in rows]
    )
    frame.attrs["units"] = {"mass_t": "t", "per_tonne_of_cans": "t/t"}
    return frame


@functools.lru_cache(maxsize=1)
def _aluminium_energy_per_tonne() -> pint.Quantity:
    table = data.load("energy_table").set_index("id")
    row = table.loc["aluminium"]
    return Q_(float(row["value_kcal"]), "kcal") / Q_(float(row["reference_amount"]), check_unit(row["reference_unit"]))


def metal_energy(aluminium, unit: str = "GJ") -> pint.Quantity:
    """Energy to produce ``aluminium`` (a mass) at Table 1's 50×10^6 kcal per tonne, in ``unit``.

    >>> round(metal_energy(Q_(2, "t"), "kWh").magnitude)
    116222
    """
    mass = _mass(aluminium, "aluminium")
    target = check_unit(unit, "unit")
    energy = (mass * _aluminium_energy_per_tonne()).to("kcal")
    if target.dimensionality != energy.dimensionality:
        raise ValueError(f"unit={unit!r} is not an energy unit; try 'GJ', 'kWh', 'kcal', 'food_day', 'toe'")
    return energy.to(target)


def energy_per_tonne_of_cans(unit: str = "GJ") -> pint.Quantity:
    """Table-1 energy of the aluminium the smelter makes for one tonne of cans on the shelves (scrap included).

    >>> round(energy_per_tonne_of_cans().magnitude, 1)
    275.3
    """
    aluminium = back_calculate().set_index("stage").loc["aluminium from the smelter", "mass_t"]
    return metal_energy(Q_(float(aluminium), "t"), unit)


# ---- charts ------------------------------------------------------------------------------------

_WAIT, _VALUE = charts.PALETTE[4], charts.PALETTE[5]


def days_grid_chart() -> alt.Chart:
    """319 squares, one per day of the cola can's journey; the 3 value-adding hours fill 1/8 of one.

    The grid is generated inside Vega-Lite (``sequence``), so the stored chart carries no data.
    """
    f = cola_figures()
    days = f["lead_time"].to("day").magnitude
    hours = f["value_added_time"].to("h").magnitude
    ncols = 29 if float(days).is_integer() and days % 29 == 0 else 30
    n = int(math.ceil(days))
    frac = f["value_added_time"].to("day").magnitude
    base = alt.Chart(alt.sequence(0, n, as_="day")).transform_calculate(
        col=f"datum.day % {ncols}", row=f"floor(datum.day / {ncols})",
        col2=f"datum.day % {ncols} + 0.9", row2=f"floor(datum.day / {ncols}) + 0.9",
    )
    caption = f"orange sliver, top left: all {hours:g} value-adding hours together ({hours:g}/24 of one day)"
    x = alt.X("col:Q", scale=alt.Scale(domain=[0, ncols]),
              axis=alt.Axis(title=caption, labels=False, ticks=False, domain=False, grid=False, orient="top"))
    y = alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[0, math.ceil(n / ncols)], reverse=True))
    squares = base.mark_rect(color=_WAIT).encode(x=x, x2="col2:Q", y=y, y2="row2:Q", tooltip=[alt.Tooltip("day:Q", title="day (0 = mine)")])
    # The sliver reuses the grid's data (filtered to day 0): separate one-row generators
    # tripped a Vega-Lite 5.20 bug when layers were combined.
    first = base.transform_filter("datum.day == 0")
    sliver = first.transform_calculate(sliver_end=f"{0.9 * frac}").mark_rect(color=_VALUE).encode(
        x=x, x2="sliver_end:Q", y=y, y2="row2:Q")
    chart = (squares + sliver).properties(width=580, height=260)
    return charts.finish(
        chart,
        title=f"The cola can's {days:g} days, one square per day",
        description=(f"A grid of {n} blue squares, one for each day between the bauxite mine and the grocery shelf. "
                     f"All {hours:g} value-adding hours together fill one eighth of the first square, in orange: "
                     f"{value_added_ratio(f['value_added_time'], f['lead_time']):.3%} of the time."),
        source="Womack & Jones (1996) as told by Wong-Swanson (2005), Lean Thinking passage; dataset lean_cola_figures",
    )


def log_timeline_chart() -> alt.Chart:
    """Value-adding time, waiting time and lead time of the cola can on a logarithmic time axis."""
    s = cola_summary().iloc[0]
    frame = pd.DataFrame({
        "what": ["value-adding time", "waiting (no value added)", "total lead time"],
        "hours": [s["value_added_time_h"], s["waiting_time_h"], s["lead_time_h"]],
        "kind": ["adds value", "adds no value", "total"],
    })
    frame["label"] = frame["hours"].map(_human)
    refs = pd.DataFrame({"hours": [1, 24, 24 * 7, 24 * 30.44, 24 * 365.25], "ref": ["1 hour", "1 day", "1 week", "1 month", "1 year"]})
    x = alt.X("hours:Q", scale=alt.Scale(type="log", domain=[0.5, 20000], nice=False),
              axis=alt.Axis(grid=False, values=[1, 10, 100, 1000, 10000]), title="hours (logarithmic scale: each step ×10)")
    y = alt.Y("what:N", sort=None, title=None)
    color = alt.Color("kind:N", scale=alt.Scale(domain=["adds value", "adds no value", "total"], range=[_VALUE, _WAIT, "#555"]), legend=None)
    rules = alt.Chart(refs).mark_rule(color="#bbb", strokeDash=[4, 3]).encode(x="hours:Q")
    ref_text = alt.Chart(refs).mark_text(angle=0, dy=-8, align="left", dx=3, color="#777", fontSize=12).encode(
        x="hours:Q", y=alt.value(0), text="ref:N")
    stems = alt.Chart(frame).mark_rule(strokeWidth=6).encode(x=x, x2=alt.datum(0.5), y=y, color=color)
    dots = alt.Chart(frame).mark_point(filled=True, size=160).encode(x=x, y=y, color=color, tooltip=["what", "label"])
    labels = alt.Chart(frame).mark_text(align="left", dx=10).encode(x=x, y=y, text="label:N")
    chart = (rules + ref_text + stems + dots + labels).properties(width=560, height=180)
    return charts.finish(
        chart,
        title="3 hours in 319 days, on a log scale",
        description=(f"Log-scale comparison: value-adding time {_human(s['value_added_time_h'])}, waiting time "
                     f"{_human(s['waiting_time_h'])}, lead time {_human(s['lead_time_h'])}. On a log axis each gridline is ten "
                     "times the previous one, so the tiny value-adding time becomes visible."),
        source="Womack & Jones (1996) as told by Wong-Swanson (2005); dataset lean_cola_figures",
    )


def value_stream_chart(stream, time_unit: str | None = None, *, title: str = "Your value stream",
                       source: str = "your own value-stream table") -> alt.Chart:
    """A timeline of any complete value stream: each step's waiting time and value-adding time, one after another."""
    checked = check_stream(stream, time_unit)
    if checked[["lead_time_h", "value_added_time_h"]].isna().any().any():
        raise ValueError("every step needs both times to be drawn; use review_value_stream(stream) to see which are empty")
    total = float(checked["lead_time_h"].sum())
    unit, scale = ("day", 24.0) if total >= 72 else ("h", 1.0)
    start = checked["lead_time_h"].cumsum() - checked["lead_time_h"]
    rows = []
    for i, (step, s0, lt, va) in enumerate(zip(checked["step"], start, checked["lead_time_h"], checked["value_added_time_h"])):
        rows.append({"order": i, "step": str(step), "part": "adds value", "start": s0 / scale, "end": (s0 + va) / scale, "hours": va})
        rows.append({"order": i, "step": str(step), "part": "waits (no value)", "start": (s0 + va) / scale, "end": (s0 + lt) / scale, "hours": lt - va})
    frame = pd.DataFrame(rows)
    frame["duration"] = frame["hours"].map(_human)
    ratio = value_added_ratio(Q_(float(checked["value_added_time_h"].sum()), "h"), Q_(total, "h")) if total else 0.0
    # A shallow copy of a chart built once: building and validating a new Altair chart on every
    # keystroke of the editor would cost tens of milliseconds.
    chart = _stream_template(unit).copy(deep=False)
    chart.data = frame
    chart.height = max(80, 30 * len(checked))
    chart.title = alt.Title(f"{title}: {ratio * 100:.3g} % of the time adds value", subtitle=f"Source: {source}")
    chart.description = (f"Timeline of {len(checked)} steps, total lead time {_human(total)}, of which "
                         f"{_human(float(checked['value_added_time_h'].sum()))} adds value (orange); the rest is waiting, "
                         "storage and transport (blue).")
    return chart


@functools.lru_cache(maxsize=4)
def _stream_template(unit: str) -> alt.Chart:
    frame = pd.DataFrame({"order": [0], "step": ["a"], "part": ["adds value"], "start": [0.0], "end": [1.0], "duration": ["1 h"]})
    bars = alt.Chart(frame).mark_bar(height=18).encode(
        x=alt.X("start:Q", title=f"time since the first step ({unit})"),
        x2="end:Q",
        y=alt.Y("step:N", sort=alt.SortField("order"), title=None),
        color=alt.Color("part:N", scale=alt.Scale(domain=["adds value", "waits (no value)"], range=[_VALUE, _WAIT]), title=None),
        tooltip=["step:N", "part:N", "duration:N"],
    ).properties(width=520, height=80)
    return charts.finish(bars, title="template", description="template", source="template")


def material_chart(flow: pd.DataFrame | None = None) -> alt.Chart:
    """Tonnes of material at each stage behind the cans (a frame from :func:`back_calculate`)."""
    flow = back_calculate() if flow is None else flow
    if not isinstance(flow, pd.DataFrame) or not {"stage", "material", "mass_t"} <= set(flow.columns):
        raise TypeError("flow must be a frame from back_calculate() with columns stage, material, mass_t")
    frame = flow.assign(label=flow["mass_t"].map(lambda t: f"{t:.3g} t"))
    y = alt.Y("stage:N", sort=None, title=None)
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("mass_t:Q", title="tonnes"), y=y,
        color=alt.Color("material:N", scale=alt.Scale(domain=["bauxite", "alumina", "aluminium"], range=[charts.PALETTE[5], charts.PALETTE[3], charts.PALETTE[0]]), title=None),
        tooltip=["stage", "material", alt.Tooltip("mass_t:Q", format=".3f", title="tonnes"), "basis"],
    )
    text = alt.Chart(frame).mark_text(align="left", dx=4).encode(x="mass_t:Q", y=y, text="label:N")
    cans = float(flow.loc[flow["stage"] == "cans on the shelves", "mass_t"].iloc[0]) if (flow["stage"] == "cans on the shelves").any() else float("nan")
    return charts.finish(
        (bars + text).properties(width=480, height=200),
        title=f"Behind {cans:g} t of cans on the shelves",
        description=("Tonnes at each stage, traced back from the cans: " +
                     "; ".join(f"{r.stage} {r.mass_t:.3g} t" for r in flow.itertuples()) + "."),
        source="Wong-Swanson (2005) Lean Thinking passage (24 % scrap, 2 t alumina per t); USGS, Bray (2020) (2.34 t bauxite per t alumina); datasets lean_cola_figures",
    )


def ratio_slider_chart() -> alt.LayerChart:
    """A kernel-free view: sliders for lead time (days) and value-adding time (hours) redraw the ratio.

    Vega-Lite params run in the browser, so this works in a saved notebook without a kernel.
    """
    s = cola_summary().iloc[0]
    days0, hours0 = float(s["lead_time_days"]), float(s["value_added_time_h"])
    lead = alt.param("lead_days", value=days0, bind=alt.binding_range(min=1, max=400, step=1, name="lead time (days) "))
    va = alt.param("va_hours", value=hours0, bind=alt.binding_range(min=0.5, max=48, step=0.5, name="value-adding time (hours) "))
    base = alt.Chart(pd.DataFrame({"what": ["value-adding time", "total lead time"]})).transform_calculate(
        hours=f"datum.what == 'total lead time' ? max(lead_days * 24, va_hours) : va_hours",
        ratio="min(va_hours / (lead_days * 24), 1)",
    )
    y = alt.Y("what:N", sort=["value-adding time", "total lead time"], title=None)
    x = alt.X("hours:Q", scale=alt.Scale(type="log", domain=[0.5, 10000], nice=False),
              axis=alt.Axis(values=[1, 10, 100, 1000, 10000]), title="hours (log scale)")
    bars = base.mark_bar(height=26).encode(
        x=x, x2=alt.datum(0.5), y=y,
        color=alt.Color("what:N", scale=alt.Scale(domain=["value-adding time", "total lead time"], range=[_VALUE, _WAIT]), legend=None),
    )
    text = base.transform_filter("datum.what == 'value-adding time'").transform_calculate(
        label="'value-added ratio: ' + format(datum.ratio * 100, '.3~f') + ' %   (' + format(va_hours, '.3~f') + ' h in ' + format(lead_days, '.0f') + ' days)'"
    ).mark_text(align="left", dy=-32, x=0, fontSize=16, fontWeight="bold").encode(text="label:N", y=y)
    chart = (bars + text).add_params(lead, va).properties(width=520, height=110)
    return charts.finish(
        chart,
        title="Shorten the wait: move the sliders (works without a kernel)",
        description=(f"Two bars on a log scale: value-adding time ({hours0:g} h) and total lead time ({days0:g} days), with the "
                     "value-added ratio written above. Sliders change both; the ratio is value-adding hours / (lead days × 24)."),
        source="Womack & Jones (1996) as told by Wong-Swanson (2005); dataset lean_cola_figures",
    )


# ---- explorer ----------------------------------------------------------------------------------

#: A made-up value stream for a shirt, the editor's starting text: an example of the format to
#: overwrite with your own product, not data about any real product (times in hours).
EXAMPLE_STREAM = """# one line per step: step, lead time, value-adding time  (times in the unit chosen below)
order the fabric, 240, 0
weave and dye, 120, 6
cut and sew, 72, 1
ship to the shop, 336, 0
on the shelf, 480, 0
"""


@widgets.explorer
def value_stream_editor(text: str | None = None, time_unit: str = "h") -> widgets.Explorer:
    """Type your own value stream (one line per step) and see its timeline and ratio update.

    The starting text is an example to overwrite, not data about any real product.
    """
    area = w.Textarea(value=EXAMPLE_STREAM if text is None else text, description="steps", continuous_update=False,
                      layout=w.Layout(width="640px", height="170px"))
    unit = w.Dropdown(options=["min", "h", "day", "week"], value=time_unit, description="times in")

    def update(text, unit):
        try:
            stream = parse_value_stream(text, unit)
            return value_stream_chart(stream, source="your own entries in the editor (an example until you change it)")
        except (ValueError, TypeError) as exc:
            return f"Cannot draw this yet: {exc}"

    return widgets.Explorer({"text": area, "unit": unit}, update, title="Build your own value stream")


# ---- questions ---------------------------------------------------------------------------------


def _cola_ratio() -> pint.Quantity:
    return Q_(cola_summary().loc[0, "ratio_percent"], "percent")


def _waiting_days() -> pint.Quantity:
    return Q_(cola_summary().loc[0, "waiting_time_h"], "h").to("day")


def _stage(stage: str) -> pint.Quantity:
    return Q_(float(back_calculate().set_index("stage").loc[stage, "mass_t"]), "t")


def _energy_per_can() -> pint.Quantity:
    cans_per_tonne = (Q_(1, "t") / cola_figures()["can_mass"]).to("dimensionless").magnitude
    return (energy_per_tonne_of_cans("MJ") / cans_per_tonne).to("MJ")


# What a lean thinker would do, keyed by the step number in lean_five_steps (course wording).
_ACTIONS = {
    "ask customers which features of a television they actually pay for": 1,
    "walk the whole path of a can from the mine to the shelf and list every action": 2,
    "put the can maker next to the bottler so cans go straight from one to the other": 3,
    "make cans only when the shop signals that it has sold some": 4,
    "meet every month to find and remove one more source of waste": 5,
}


def _match_steps() -> dict:
    steps = five_steps().set_index("step_no")["principle"]
    return {action: str(steps.loc[no]) for action, no in _ACTIONS.items()}


for _q in (
    Question(
        id="lean.cola_ratio",
        prompt="What percentage of the cola can's 319 days actually adds value (3 hours)?",
        expected=_cola_ratio,
        unit="percent",
        hints=("Put both times in the same unit first: 319 days × 24 h/day.", "ratio = 3 h / (319 × 24 h), then × 100 for a percentage."),
    ),
    Question(
        id="lean.waiting_days",
        prompt="For how many days of the 319 is the can's material waiting, being moved or stored, adding no value?",
        expected=_waiting_days,
        unit="day",
        rel_tol=0.001,
        hints=("Lead time minus value-adding time.", "3 hours is 3/24 of a day."),
    ),
    Question(
        id="lean.aluminium_per_tonne_of_cans",
        prompt="How many tonnes of aluminium must leave the smelter for 1 tonne of cans to reach the shelves, if 24 % of the smelter's output becomes scrap?",
        expected=lambda: _stage("aluminium from the smelter"),
        unit="t",
        hints=("The cans are the part that is not scrap: 76 % of the smelter's output.", "smelter output × 0.76 = 1 t, so smelter output = 1 t / 0.76."),
    ),
    Question(
        id="lean.alumina_per_tonne_of_cans",
        prompt="How many tonnes of alumina does the smelter reduce for 1 tonne of cans on the shelves?",
        expected=lambda: _stage("alumina to the smelter"),
        unit="t",
        hints=("Start from your answer for the aluminium the smelter must make.", "Two tonnes of alumina give one tonne of aluminium."),
    ),
    Question(
        id="lean.energy_per_tonne_of_cans",
        prompt="Using Table 1 (50×10^6 kcal per tonne of aluminium), how much energy, in GJ, goes into the aluminium for 1 tonne of cans on the shelves, scrap included?",
        expected=lambda: energy_per_tonne_of_cans("GJ"),
        unit="GJ",
        hints=("Multiply the aluminium leaving the smelter by 50×10^6 kcal/t.", "1 kcal = 4,184 J, and 1 GJ = 10^9 J."),
    ),
    Question(
        id="lean.energy_per_can",
        prompt="With a can of about 15 g of aluminium, how much Table-1 energy (in MJ) stands behind one can on the shelf, scrap included?",
        expected=_energy_per_can,
        unit="MJ",
        hints=("How many 15 g cans are in one tonne?", "Divide the energy per tonne of cans by the number of cans per tonne."),
    ),
    Question(
        id="lean.stoichiometric_alumina",
        prompt="Chemistry check: Al2O3 holds two aluminium atoms. How many tonnes of alumina contain exactly one tonne of aluminium (Al = 26.98 g/mol, O = 16.00 g/mol)?",
        expected=stoichiometric_alumina_per_aluminium,
        unit="t/t",
        rel_tol=0.01,
        hints=("Molar mass of Al2O3 = 2 × 26.98 + 3 × 16.00 g/mol.", "tonnes of Al2O3 per tonne of Al = M(Al2O3) / (2 × M(Al))."),
    ),
    Question(
        id="lean.match_steps",
        prompt="Match each action to the one of Womack and Jones's five steps it puts into practice (Value, Value stream, Flow, Pull, Perfection).",
        expected=_match_steps,
        hints=("Pull means nothing is made until a customer downstream asks for it.",),
    ),
):
    register(_q)
del _q
