"""Value streams in numbers: lead time, value-adding time and the value-added ratio.

A value-stream table has one row per step and the columns ``step``, ``lead_time`` (time spent in
the step, waiting included) and ``value_added_time`` (the part that adds value the customer pays
for). Times are numbers in the unit of ``frame.attrs["units"]`` or of the ``time_unit`` argument
(default hours).

>>> import pandas as pd
>>> bread = pd.DataFrame({"step": ["bake", "sell"], "lead_time": [2, 22], "value_added_time": [1, 1]})
>>> summarize(bread).loc[0, "ratio_percent"].round(2)
np.float64(8.33)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pint

from .. import checks, data, formats
from ..i18n import _
from ..units import Q_

__all__ = [
    "check_stream", "lead_time", "value_added_time", "value_added_ratio", "summarize",
    "cola_stream", "cola_figures", "cola_summary", "five_steps",
    "parse_value_stream", "review_value_stream", "EXAMPLE_STREAM",
]

_COLUMNS = ("lead_time", "value_added_time")

#: A made-up value stream for a shirt, the editor's starting text: an example of the format to
#: overwrite with your own product, not data about any real product (times in hours).
EXAMPLE_STREAM = """# one line per step: step, lead time, value-adding time  (times in the unit chosen below)
order the fabric, 240, 0
weave and dye, 120, 6
cut and sew, 72, 1
ship to the shop, 336, 0
on the shelf, 480, 0
"""

def duration(hours: float) -> str:
    """A lean time in words: minutes below an hour, days from 48 h on, never months (the cola can's
    story is told in days), with four digits so that 318.9 days of waiting stay short of 319.

    >>> duration(0.25), duration(3), duration(7653)
    ('15 min', '3 h', '318.9 days')
    """
    return formats.duration(hours, largest="days", digits=4)


_SUMMARY_UNITS = {
    "lead_time_h": "h", "lead_time_days": "day", "value_added_time_h": "h", "waiting_time_h": "h",
    "ratio": "dimensionless", "ratio_percent": "percent",
}


# ---- checking a value stream -------------------------------------------------------------------


def _time_unit(stream: pd.DataFrame, column: str, time_unit: Any) -> pint.Unit:
    """The unit of ``column``: ``time_unit`` when given, else the frame's ``attrs``, else hours."""
    if time_unit is not None:
        return checks.unit(time_unit, "time_unit", like="h")
    declared = stream.attrs.get("units", {}).get(column, "h")
    return checks.unit(declared, f"stream.attrs['units'][{column!r}]", like="h")


def check_stream(stream: pd.DataFrame, time_unit: str | None = None) -> pd.DataFrame:
    """Check a value-stream table and return a copy with times in hours (``lead_time_h``, ``value_added_time_h``).

    Empty times (NaN) are allowed here (the article prints none per step); negative times, a
    value-adding time longer than its step's lead time, or a missing column raise ``ValueError``.

    >>> check_stream(pd.DataFrame({"step": ["a"], "lead_time": [1], "value_added_time": [2]}))
    Traceback (most recent call last):
    ...
    ValueError: step 'a': value_added_time 2 h is longer than its lead_time 1 h; value-adding time is part of the lead time
    """
    try:
        checks.frame(stream, "stream", ("step", *_COLUMNS))
    except ValueError as error:
        raise ValueError(f"{error}; a value stream needs step, lead_time, value_added_time (see parse_value_stream)") from None
    if stream.empty:
        raise ValueError("stream has no rows: add at least one step")
    out = stream.copy()
    for column in _COLUMNS:
        values = pd.to_numeric(out[column], errors="coerce")
        bad = out[column].notna() & values.isna()
        if bad.any():
            raise ValueError(f"{column} must hold numbers; step {out.loc[bad, 'step'].iloc[0]!r} has {out.loc[bad, column].iloc[0]!r}")
        values = values.astype("float64")
        infinite = np.isinf(values)
        if infinite.any():
            raise ValueError(f"{column} must be finite; step {out.loc[infinite, 'step'].iloc[0]!r} has infinity")
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


def _total(stream: pd.DataFrame, column: str, time_unit: str | None) -> pint.Quantity:
    checked = check_stream(stream, time_unit)
    empty = checked.loc[checked[f"{column}_h"].isna(), "step"].tolist()
    if empty:
        raise ValueError(f"{column} is empty for step(s) {empty}: fill them in, or use the printed totals (cola_summary) instead")
    return Q_(float(checked[f"{column}_h"].sum()), "h")


def lead_time(stream: pd.DataFrame, time_unit: str | None = None) -> pint.Quantity:
    """Total lead time of a value stream: the sum of its steps' lead times, in hours.

    >>> lead_time(pd.DataFrame({"step": ["a", "b"], "lead_time": [1, 2], "value_added_time": [0, 1]}), "day")
    <Quantity(72.0, 'hour')>
    """
    return _total(stream, "lead_time", time_unit)


def value_added_time(stream: pd.DataFrame, time_unit: str | None = None) -> pint.Quantity:
    """Total value-adding time of a value stream, in hours.

    >>> value_added_time(pd.DataFrame({"step": ["a", "b"], "lead_time": [60, 60], "value_added_time": [5, 10]}), "min")
    <Quantity(0.25, 'hour')>
    """
    return _total(stream, "value_added_time", time_unit)


def value_added_ratio(value_added: pint.Quantity | float, lead: pint.Quantity | float) -> float:
    """The share of the lead time that adds value, between 0 and 1.

    ``value_added`` and ``lead`` are pint times (or numbers in hours). The article's cola can:

    >>> round(value_added_ratio(Q_(3, "h"), Q_(319, "day")) * 100, 4)   # the article's cola can
    0.0392
    """
    va = checks.quantity(value_added, "value_added", "h", minimum=0)
    lt = checks.quantity(lead, "lead", "h", minimum=0)
    if lt.magnitude == 0:
        raise ValueError("lead=0: a value stream takes some time; give a lead time > 0")
    ratio = float(va.magnitude / lt.magnitude)
    if ratio > 1 + 1e-12:
        raise ValueError(f"value_added={duration(va.magnitude)} is longer than lead={duration(lt.magnitude)}: "
                         "value-adding time is part of the lead time")
    return min(ratio, 1.0)


def _summary_row(name: str, lt: pint.Quantity, va: pint.Quantity, steps: int, empty: int) -> dict[str, Any]:
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


def summarize(stream: pd.DataFrame, time_unit: str | None = None, name: str = "value stream") -> pd.DataFrame:
    """One row: steps, lead time, value-adding time, waiting time and the value-added ratio.

    Every step needs both times.

    >>> toast = pd.DataFrame({"step": ["buy bread", "store", "toast"],
    ...                       "lead_time": [0.5, 48, 0.1], "value_added_time": [0, 0, 0.05]})
    >>> float(round(summarize(toast).iloc[0]["ratio_percent"], 3))
    0.103
    """
    name = checks.text(name, "name")
    checked = check_stream(stream, time_unit)
    row = _summary_row(name, lead_time(stream, time_unit), value_added_time(stream, time_unit), len(checked), 0)
    frame = pd.DataFrame([row])
    frame.attrs["units"] = dict(_SUMMARY_UNITS)
    return frame


# ---- the article's cola can --------------------------------------------------------------------


def cola_stream() -> pd.DataFrame:
    """The cola-can value stream as the article tells it (times empty: none is printed per step).

    >>> cola_stream()["step_id"].iloc[[0, -1]].tolist()
    ['bauxite_mine', 'grocery_shelf']
    """
    return data.load("lean_cola_value_stream")


def cola_figures() -> dict[str, pint.Quantity]:
    """The cola-can figures (``lean_cola_figures``) as pint quantities, by id.

    >>> cola_figures()["lead_time"]
    <Quantity(319.0, 'day')>
    """
    return {name: Q_(value, unit) for name, value, unit in _cola_figures()}


@data.cached
def _cola_figures() -> tuple[tuple[str, float, pint.Unit], ...]:
    """The figures read and their units checked once per data folder (notebook 03 asks seven times)."""
    table = data.load("lean_cola_figures")
    return tuple((str(row.id), float(row.value), checks.unit(row.value_unit, f"lean_cola_figures.{row.id}.value_unit"))
                 for row in table.itertuples())


def cola_summary() -> pd.DataFrame:
    """The article's totals for the cola can: 319 days, 3 hours and the value-added ratio.

    >>> f"{cola_summary().loc[0, 'ratio_percent']:.3f} %"
    '0.039 %'
    """
    figures = cola_figures()
    steps = cola_stream()
    frame = pd.DataFrame([
        _summary_row("cola can (Womack & Jones)", figures["lead_time"], figures["value_added_time"], len(steps),
                     int(steps["lead_time"].isna().sum()))
    ])
    frame.attrs["units"] = dict(_SUMMARY_UNITS)
    return frame


def five_steps() -> pd.DataFrame:
    """Womack and Jones's five steps (``lean_five_steps``).

    >>> five_steps()["principle"].tolist()
    ['Value', 'Value stream', 'Flow', 'Pull', 'Perfection']
    """
    return data.load("lean_five_steps")


# ---- your own value stream ---------------------------------------------------------------------


def parse_value_stream(text: str, time_unit: str = "h") -> pd.DataFrame:
    """Read a value stream typed as lines ``step, lead time, value-adding time`` (``#`` starts a comment).

    Commas inside a step's name are kept: only the last two commas of a line separate the times.

    >>> parse_value_stream("bake, 3")
    Traceback (most recent call last):
    ...
    ValueError: line 1 ('bake, 3') must read 'step, lead time, value-adding time'
    """
    checks.text(text, "text", allow_empty=True)
    checks.unit(time_unit, "time_unit", like="h")
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
        if not (math.isfinite(lt) and math.isfinite(va)):
            raise ValueError(f"line {number} ({line!r}): the two times must be finite numbers")
        rows.append({"step": parts[0], "lead_time": lt, "value_added_time": va})
    if not rows:
        raise ValueError("text holds no step: write one line per step, 'step, lead time, value-adding time'")
    frame = pd.DataFrame(rows)
    frame.attrs["units"] = {"lead_time": time_unit, "value_added_time": time_unit}
    check_stream(frame)
    return frame


def review_value_stream(stream: pd.DataFrame, time_unit: str | None = None) -> str:
    """Feedback on a value stream a student built: what is missing, the ratio, the biggest waiting step.

    >>> print(review_value_stream(parse_value_stream("bake, 2, 1\\nsell, 22, 1")))
    2 steps; lead time 24 h, value-adding time 2 h.
    Value-added ratio: 8.33 % of the time adds value.
    Most waiting: 'sell' (21 h without adding value).
    """
    checked = check_stream(stream, time_unit)
    empty = checked.loc[checked["lead_time_h"].isna() | checked["value_added_time_h"].isna(), "step"].tolist()
    if empty:
        return _("Fill in both times for: {steps}. (Use 0 for a step that adds no value.)").format(steps=", ".join(map(str, empty)))
    s = summarize(stream, time_unit).iloc[0]
    waiting = checked["lead_time_h"] - checked["value_added_time_h"]
    worst = checked.loc[waiting.idxmax(), "step"]
    lines = [
        _("{steps} steps; lead time {lead}, value-adding time {value_added}.").format(
            steps=int(s["steps"]), lead=duration(s["lead_time_h"]), value_added=duration(s["value_added_time_h"])),
        _("Value-added ratio: {share} % of the time adds value.").format(share=f"{s['ratio_percent']:.3g}"),
        _("Most waiting: {step} ({waiting} without adding value).").format(step=repr(worst), waiting=duration(float(waiting.max()))),
    ]
    if s["value_added_time_h"] == 0:
        lines.append(_("No step adds value? Then what does the customer pay for? Look again at lean's first step: value."))
    elif s["ratio"] > 0.5:
        lines.append(_("Over half the time adds value: unusually lean. Did you count transport, storage and waiting on shelves?"))
    return "\n".join(lines)
