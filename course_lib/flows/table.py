"""The flow table: its columns, its checks and unit-aware sums.

A **flow table** is a DataFrame with one row per flow: ``source`` gives ``value`` ``unit`` of
``material`` to ``target`` (:data:`FLOW_COLUMNS`). Any other columns ride along, such as
``period`` (``year`` makes the value a rate: 200,000 t/year), ``component``, ``kind``, ``status``
or ``evidence``.

>>> import pandas as pd
>>> flows = pd.DataFrame({"source": ["mill", "mill"], "target": ["farm", "plant"],
...                       "material": ["sawdust", "bark"], "value": [2.0, 500.0], "unit": ["t", "kg"],
...                       "period": ["year", "year"]})
>>> in_unit(flows, "kg")["value"].tolist()
[2000.0, 500.0]
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pint

from .. import checks, formats
from ..units import Q_

__all__ = [
    "FLOW_COLUMNS", "PERIODS", "FlowProblem", "flow_problems", "validate_flows", "in_unit",
    "unit_label", "sum_by_unit",
]

#: The columns every flow table has.
FLOW_COLUMNS = ("source", "target", "material", "value", "unit")
#: What a flow's ``period`` may be (empty: the value is an amount, not a rate).
PERIODS = ("year", "month", "week", "day", "hour")

_TEXT_COLUMNS = ("source", "target", "material")
_EMPTY_HINTS = {
    "source": "every flow needs a source (the name of the process or partner that gives it)",
    "target": "every flow needs a target (the name of the process or partner that receives it)",
    "material": "say what flows (steam, gypsum, wastewater, ...)",
}


@dataclass(frozen=True)
class FlowProblem:
    """One thing wrong in a flow table: the row's position (0 for the first row), the column, what."""

    position: int
    column: str
    message: str


def _missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA (an empty cell)."""
    if value is None:
        return True
    if isinstance(value, str):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_cell = formats.cell


@functools.lru_cache(maxsize=256)
def _parse_unit(text: str) -> pint.Unit | str:
    """The unit ``text`` names, or the reason it is refused (``checks.unit``'s words); parsed once."""
    try:
        return checks.unit(text, "unit")
    except ValueError as exc:
        return str(exc).removeprefix("unit=")


def _number(value: Any) -> float | str:
    """A cell as a float, or the reason it is not a number."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    text = _cell(value)
    try:
        return float(text)
    except ValueError:
        return (f"{text!r} is not a number; write digits with a dot for decimals and no thousands "
                "separators (leave the cell empty when the quantity is not known)")


def _check_frame(flows: Any, argument: str = "flows") -> pd.DataFrame:
    if not isinstance(flows, pd.DataFrame):
        raise TypeError(f"{argument} must be a flow table (a pandas DataFrame with columns "
                        f"{', '.join(FLOW_COLUMNS)}), got {type(flows).__name__}")
    missing = [c for c in FLOW_COLUMNS if c not in flows.columns]
    if missing:
        raise ValueError(f"{argument} lacks column(s) {missing}; a flow table needs {list(FLOW_COLUMNS)}; "
                         f"it has {list(flows.columns)}")
    return flows


def flow_problems(flows: pd.DataFrame, *, unknown_values: bool = False) -> list[FlowProblem]:
    """Every problem in a flow table's rows, in row order, without raising.

    Checked: empty ``source``, ``target`` or ``material``; a ``value`` that is not a number, is
    negative or infinite; a value without a unit; units the course does not know (and ``"ton"``,
    which pint reads as the US short ton). With ``unknown_values=True`` an empty value means "not
    known" and is allowed (its unit may then be empty too); otherwise every flow needs a value.

    >>> flows = pd.DataFrame({"source": ["mill"], "target": [""], "material": ["bark"], "value": ["2"], "unit": ["t"]})
    >>> [(p.position, p.column) for p in flow_problems(flows)]
    [(0, 'target')]
    """
    _check_frame(flows)
    if not isinstance(unknown_values, bool):
        raise TypeError(f"unknown_values must be True or False, got {unknown_values!r}")
    problems: list[FlowProblem] = []
    columns = {c: flows[c].tolist() for c in FLOW_COLUMNS}
    for i in range(len(flows)):
        for column in _TEXT_COLUMNS:
            if not _cell(columns[column][i]):
                problems.append(FlowProblem(i, column, f"the {column} is empty; {_EMPTY_HINTS[column]}"))
        raw, unit = columns["value"][i], _cell(columns["unit"][i])
        if _missing(raw) or (isinstance(raw, str) and not raw.strip()):
            if not unknown_values:
                problems.append(FlowProblem(i, "value", "the value is empty; every flow of this table needs a number"))
        else:
            value = _number(raw)
            shown = _cell(raw) if isinstance(raw, str) else formats.number(value) if isinstance(value, float) else ""
            if isinstance(value, str):
                problems.append(FlowProblem(i, "value", value))
            elif not math.isfinite(value):
                problems.append(FlowProblem(i, "value", f"{shown!r} is not a finite number" if isinstance(raw, str)
                                            else f"{value} is not a finite number"))
            elif value < 0:
                problems.append(FlowProblem(i, "value", f"{shown} is negative; a flow cannot be below zero"))
            if not unit:
                problems.append(FlowProblem(i, "unit", f"the value {shown} has no unit; write one such as t or m**3"))
        if unit:
            parsed = _parse_unit(unit)
            if isinstance(parsed, str):
                problems.append(FlowProblem(i, "unit", parsed))
    return problems


def _row_name(flows: pd.DataFrame, position: int) -> str:
    row = flows.iloc[position]
    return f"row {flows.index[position]!r} ({_cell(row['source'])} -> {_cell(row['target'])}, {_cell(row['material'])})"


def validate_flows(flows: pd.DataFrame, *, unknown_values: bool = False) -> pd.DataFrame:
    """Check a flow table and return a clean copy (``value`` as float, text columns as str).

    Raises ``TypeError`` if ``flows`` is not a DataFrame and ``ValueError`` for a missing column
    or for any problem :func:`flow_problems` finds, listing them all (rows are named by their
    index label). With ``unknown_values=True`` an empty value is kept as NaN (and its unit as '').

    >>> validate_flows(pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["x"],
    ...                              "value": [-1.0], "unit": ["kg"]}))
    Traceback (most recent call last):
    ...
    ValueError: flows, row 0 (a -> b, x), column 'value': -1 is negative; a flow cannot be below zero
    """
    problems = flow_problems(flows, unknown_values=unknown_values)
    if problems:
        lines = [f"{_row_name(flows, p.position)}, column '{p.column}': {p.message}" for p in problems[:10]]
        if len(problems) > 10:
            lines.append(f"... and {len(problems) - 10} more")
        if len(problems) == 1:
            raise ValueError(f"flows, {lines[0]}")
        raise ValueError(f"flows has {len(problems)} problems:\n" + "\n".join(f"  - {line}" for line in lines))
    out = flows.copy()
    for column in (*_TEXT_COLUMNS, "unit"):
        values = out[column].tolist()
        if not all(type(v) is str for v in values):
            out[column] = [_cell(v) for v in values]
    out["value"] = [math.nan if _missing(v) or (isinstance(v, str) and not v.strip()) else float(_number(v))
                    for v in out["value"].tolist()]
    out["value"] = out["value"].astype("float64")
    return out


def _unit(unit: Any, argument: str) -> pint.Unit:
    """``unit`` checked by ``checks.unit`` (parsed once per text)."""
    if isinstance(unit, str):
        parsed = _parse_unit(unit)
        if isinstance(parsed, str):
            raise ValueError(f"{argument}={parsed}")
        return parsed
    return checks.unit(unit, argument)


@functools.lru_cache(maxsize=256)
def _factors_cached(units: tuple[str, ...], to: str) -> tuple[tuple[str, float], ...]:
    target = _unit(to, "unit")
    factors = []
    for unit in units:
        source = _unit(unit, "flows.unit")
        if source.dimensionality != target.dimensionality:
            raise ValueError(
                f"flows mixes units: {unit!r} ({checks.dimension_words(source)}) cannot be converted to {to!r} "
                f"({checks.dimension_words(target)}); select rows of one kind first, e.g. "
                f"flows[flows['unit'] == {unit!r}]"
            )
        factors.append((unit, float(Q_(1.0, source).to(target).magnitude)))
    return tuple(factors)


def _factors(units: Sequence[str], to: str) -> dict[str, float]:
    """Conversion factor of each unit in ``units`` to unit ``to`` (pint, once per set of units)."""
    return dict(_factors_cached(tuple(units), to))


def in_unit(flows: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The flow table with every value converted to ``unit`` (all rows must convert).

    >>> in_unit(pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["x"],
    ...                       "value": [2.0], "unit": ["t"]}), "m**3")
    Traceback (most recent call last):
    ...
    ValueError: flows mixes units: 't' (a mass) cannot be converted to 'm**3' (a volume); select rows of one kind first, e.g. flows[flows['unit'] == 't']
    """
    _unit(unit, "unit")
    out = validate_flows(flows)
    factors = _factors(list(out["unit"].unique()), unit)
    out["value"] = out["value"] * out["unit"].map(factors)
    out["unit"] = unit
    return out


def unit_label(unit: str, period: str = "") -> str:
    """A unit as a short label, with its period when the value is a rate: ``'t', 'year'`` -> ``'t/year'``.

    >>> unit_label("m**3"), unit_label("t", "year"), unit_label("")
    ('m³', 't/year', '')
    """
    if not isinstance(unit, str) or not isinstance(period, str):
        raise TypeError(f"unit and period must be text, got {unit!r} and {period!r}")
    if not unit:
        return ""
    if period and period not in PERIODS:
        checks.choice(period, "period", PERIODS)
    symbol = formats.unit(_unit(unit, "unit"))
    return f"{symbol}/{period}" if period else symbol


def sum_by_unit(flows: pd.DataFrame) -> pd.DataFrame:
    """Add up the known values of some flows, one total per kind of unit and period (with pint).

    ``flows`` needs ``value`` and ``unit`` (and may have ``period``); other columns are ignored.
    Flows are grouped by physical dimension and period, so tonnes never join cubic metres and a
    yearly rate never joins a one-off amount; within a group each value is converted to the
    group's first unit (kg and t add up correctly). Rows without a value are counted in
    ``result.attrs["unquantified"]``.

    >>> flows = pd.DataFrame({"value": [2.0, 500.0, 3.0, None], "unit": ["t", "kg", "m**3", "t"],
    ...                       "period": ["year", "year", "year", "year"]})
    >>> sum_by_unit(flows)[["quantity", "total", "flows"]].values.tolist()
    [['2.5 t/year', 2.5, 2], ['3 m³/year', 3.0, 1]]
    """
    checks.frame(flows, "flows", ["value", "unit"])
    periods = flows["period"].tolist() if "period" in flows.columns else [""] * len(flows)
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    unquantified = 0
    for label, value, unit, period in zip(flows.index, flows["value"], flows["unit"], periods):
        if _missing(value):
            unquantified += 1
            continue
        try:
            magnitude = checks.number(value, "flows.value", minimum=0)
            text = _cell(unit)
            if not text:
                raise ValueError(f"flows.unit is empty, but the value is {formats.number(magnitude)}; "
                                 "write a unit such as t or m**3")
            parsed = _unit(text, "flows.unit")
            period = _cell(period)
            if period:
                checks.choice(period, "flows.period", PERIODS)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"row {label!r} of flows: {exc}") from None
        key = (str(parsed.dimensionality), period)
        group = groups.setdefault(key, {"unit": text, "parsed": parsed, "period": period, "total": 0.0, "flows": 0})
        factor = 1.0 if parsed == group["parsed"] else float(Q_(1.0, parsed).to(group["parsed"]).magnitude)
        group["total"] += magnitude * factor
        group["flows"] += 1
    rows = [{"unit": g["unit"], "period": g["period"], "unit_label": unit_label(g["unit"], g["period"]),
             "total": g["total"], "flows": g["flows"]} for g in groups.values()]
    frame = pd.DataFrame(rows, columns=["unit", "period", "unit_label", "total", "flows"])
    frame.insert(0, "quantity", [f"{formats.number(t)} {lab}" for t, lab in zip(frame["total"], frame["unit_label"])])
    frame.attrs["unquantified"] = unquantified
    return frame
