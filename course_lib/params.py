"""One shape for every model's parameters: a table read once, checked values, sliders and sensitivity.

Every topic keeps its model's parameters in a *parameter table* under ``datasets/``
(``"parameterTable": true`` in ``datapackage.json``), one row per parameter with the columns
:data:`course_lib.data.PARAMETER_FIELDS`: a ``label``, the default ``value`` and its ``unit``, the
plausible range ``low`` to ``high`` (the slider's ends and the sensitivity analysis's), a slider
``step``, and the bounds the model accepts, ``minimum`` and ``maximum`` (``exclusive`` names the
ones that are themselves refused). As with climlab's ``param`` dictionary, a model takes its
parameters as one dict of plain numbers: :meth:`ParameterTable.defaults` gives it and
:meth:`ParameterTable.check` applies a student's changes, each checked once, at the boundary,
against the table's own bounds (no bound is written in code).

>>> table = parameters("capital_model_defaults")
>>> table.defaults()["growth_rate"], table.check({"growth_rate": 0.8})["growth_rate"]
(0.5, 0.8)
>>> table.check({"growth_rate": 2})
Traceback (most recent call last):
...
ValueError: growth_rate=2 is not allowed: give a number > 0 and < 2 (1/yr) (Growth rate r; plausible: 0.05 to 1.95)
>>> table.check({"growth_rte": 0.8})
Traceback (most recent call last):
...
ValueError: 'growth_rte' is not a parameter of capital_model_defaults (did you mean 'growth_rate'?); the parameters are: growth_rate, capacity, harvest, initial_share, horizon

A row builds its own slider (:meth:`Parameter.slider` for an explorer, :meth:`Parameter.binding`
for a chart that works without a kernel). :func:`sensitivity` moves one parameter at a time from
the low to the high end of its range, :func:`joint_sensitivity` moves them all at once (random
draws), and :func:`tornado_chart` draws the first. Tables are cached per data folder
(``COURSE_DATA_DIR``), so adapted data change every default, check and slider with them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pint

from . import checks, data, formats
from ._ureg import Q_

if TYPE_CHECKING:
    import altair as alt
    import ipywidgets as w

__all__ = ["EXCLUSIVE", "Parameter", "ParameterTable", "parameters", "sensitivity", "joint_sensitivity", "flipping_combination",
           "tornado_chart"]

#: What the ``exclusive`` column may say: which of ``minimum`` and ``maximum`` is itself refused.
EXCLUSIVE = ("minimum", "maximum", "both")
#: The columns of a :func:`sensitivity` table, in order.
SENSITIVITY_COLUMNS = ("parameter", "label", "unit", "low", "value", "high", "outcome_low", "outcome_default",
                       "outcome_high", "swing")


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


@dataclass(frozen=True)
class Parameter:
    """One row of a parameter table; ``row["role"]`` reads any other column of the table too.

    ``minimum``/``maximum`` are -inf/inf where the table leaves them empty, ``step`` NaN.
    """

    name: str
    label: str
    value: float
    unit: str
    low: float
    high: float
    step: float
    minimum: float
    maximum: float
    exclusive: str
    table: str
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def __getitem__(self, column: str) -> Any:
        return self.extra[column] if column in self.extra else getattr(self, column)

    def _unit_words(self, unit: str) -> str:
        return "" if unit == "dimensionless" else f" ({formats.unit(unit) or unit})"

    def bounds_text(self, factor: float = 1.0) -> str:
        """The allowed values in words (``"> 0 and < 2"``, ``"between 0 and 1"``), bounds times ``factor``."""
        low, high = self.minimum * factor, self.maximum * factor
        strict_low, strict_high = self.exclusive in ("minimum", "both"), self.exclusive in ("maximum", "both")
        parts = [f"{'>' if strict_low else '>='} {low:g}"] if math.isfinite(low) else []
        parts += [f"{'<' if strict_high else '<='} {high:g}"] if math.isfinite(high) else []
        if len(parts) == 2 and not strict_low and not strict_high:
            return f"between {low:g} and {high:g}"
        return " and ".join(parts) or "any finite number"

    def allows(self, value: float) -> bool:
        """Whether ``value`` (in the table's unit) lies within ``minimum`` and ``maximum``."""
        strict_low, strict_high = self.exclusive in ("minimum", "both"), self.exclusive in ("maximum", "both")
        return ((value > self.minimum if strict_low else value >= self.minimum)
                and (value < self.maximum if strict_high else value <= self.maximum))

    def check(self, value: Any, argument: str | None = None, unit: str | None = None, *, whole: bool = False) -> float:
        """``value`` checked against this row's bounds: a number in ``unit`` (default the table's), or a
        quantity in any compatible unit; ``whole`` demands a whole number. Returns the number in ``unit``.
        Bounds of 0 (or none) hold in any unit, so a stock in m³ checks against a row in tonnes.

        >>> row = parameters("circular_product_parameters")["recycle"]
        >>> row.check(0.4), row.check(Q_(40, "percent"))
        (0.4, 0.4)
        """
        argument = self.name if argument is None else argument
        unit = self.unit if unit is None else unit
        if isinstance(value, pint.Quantity):
            number = checks.magnitude(value, argument, unit)
            shown = formats.quantity(value)
        else:
            number = checks.number(value, argument, unit=None if unit == "dimensionless" else formats.unit(unit) or unit)
            shown = repr(value)
        if whole and not number.is_integer():
            raise ValueError(f"{argument}={shown} must be a whole number (1, 2, 3, ...)")
        scaled = any(math.isfinite(b) and b != 0 for b in (self.minimum, self.maximum))
        factor = _factor(unit, self.unit) if unit != self.unit and scaled else 1.0
        if self.allows(number * factor):
            return number
        label = self.label.rstrip(".")
        # 6 for 6 %: a whole number that is allowed once divided by 100 (1.2 is more likely a typo).
        if unit == "dimensionless" and number.is_integer() and 2 <= number <= 100 and self.allows(number / 100):
            raise ValueError(f"{argument}={shown} looks like a percent: write {number:g} % as {number / 100:g} "
                             f"({label}; allowed: {self.bounds_text()})")
        raise ValueError(
            f"{argument}={shown} is not allowed: give a {'whole ' if whole else ''}number {self.bounds_text(1 / factor)}"
            f"{self._unit_words(unit)} "
            f"({label}; plausible: {formats.number(self.low / factor)} to {formats.number(self.high / factor)})"
        )

    def slider(self, description: str | None = None, *, value: float | None = None, log: bool = False,
               whole: bool = False, **options: Any) -> w.ValueWidget:
        """An ipywidgets slider over ``low`` to ``high`` with the table's ``step``, starting at the default.

        A start ``value`` outside the range widens the slider rather than being clamped; with no
        ``step`` in the table the slider takes 40 steps. ``log`` gives a slider in powers of ten
        (a quarter step each), ``whole`` one of whole numbers; ``options`` go to the widget.

        >>> s = parameters("capital_model_defaults")["capacity"].slider("capacity K (t)")
        >>> s.value, s.min, s.max, s.step, s.description
        (1000.0, 100.0, 5000.0, 100.0, 'capacity K (t)')
        """
        import ipywidgets as w

        start = self.value if value is None else float(value)
        low, high = min(self.low, start), max(self.high, start)
        step = self.step if math.isfinite(self.step) else (high - low) / 40
        options = {"description": description or self.name.replace("_", " "), "continuous_update": False,
                   "style": {"description_width": "initial"}, **options}
        if log:
            return w.FloatLogSlider(value=start, base=10, min=math.log10(low), max=math.log10(high), step=0.25, **options)
        if whole:
            return w.IntSlider(value=int(start), min=int(low), max=int(high), step=max(1, int(step)), **options)
        return w.FloatSlider(value=start, min=low, max=high, step=step, **options)

    def binding(self, description: str | None = None, *, name: str | None = None, value: float | None = None) -> alt.Parameter:
        """A Vega-Lite slider (an Altair parameter bound to a range) that works in a saved notebook.

        >>> p = parameters("circular_product_parameters")["lifetime"].binding().param.to_dict()
        >>> p["name"], p["value"], p["bind"]["min"], p["bind"]["max"]
        ('lifetime', 5.6, 1.0, 20.0)
        """
        import altair as alt

        step = self.step if math.isfinite(self.step) else (self.high - self.low) / 40
        return alt.param(name=name or self.name, value=self.value if value is None else value, bind=alt.binding_range(
            min=self.low, max=self.high, step=step, name=f"{description or self.label} "))


def _factor(unit: str, to: str) -> float:
    """How many ``to`` make one ``unit`` (pint, cached: the same few pairs come back on every check)."""
    key = (unit, to)
    if key not in _FACTORS:
        _FACTORS[key] = float(Q_(1.0, unit).to(to).magnitude)
    return _FACTORS[key]


_FACTORS: dict[tuple[str, str], float] = {}


@dataclass(frozen=True, eq=False)
class ParameterTable(Mapping[str, Parameter]):
    """A parameter table as a read-only mapping of name -> :class:`Parameter`, in the table's order."""

    name: str
    rows: Mapping[str, Parameter]

    def __getitem__(self, name: str) -> Parameter:
        return self.rows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<ParameterTable {self.name!r}: {', '.join(self.rows)}>"

    def names(self, **where: str) -> tuple[str, ...]:
        """The names of the rows whose columns have the given values (``names(role="parameter")``)."""
        return tuple(n for n, row in self.rows.items() if all(row[c] == v for c, v in where.items()))

    def defaults(self, names: Iterable[str] | None = None, units: Mapping[str, str] | None = None) -> dict[str, float]:
        """The default values (of ``names``, default all), in the table's units or converted to ``units``.

        >>> parameters("circular_product_parameters").defaults(["mass"], units={"mass": "g"})
        {'mass': 15000.0}
        """
        units = units or {}
        return {n: self.rows[n].value * self.factor(n, units.get(n)) for n in (self.rows if names is None else names)}

    def factor(self, name: str, unit: str | None) -> float:
        """How many ``unit`` make one of parameter ``name``'s unit in the table (1 for ``None``)."""
        table_unit = self.rows[name].unit
        return 1.0 if unit is None or unit == table_unit else _factor(table_unit, unit)

    def check(self, values: Mapping[str, Any], names: Iterable[str] | None = None, units: Mapping[str, str] | None = None,
              context: str | None = None, whole: Iterable[str] = ()) -> dict[str, float]:
        """The defaults of ``names`` (default all) with ``values`` applied, each checked by :meth:`Parameter.check`.

        Numbers are read in the table's units, quantities converted; the result is in ``units``
        (name -> unit) where given; the parameters ``whole`` names take whole numbers only. A name outside ``names`` is refused, with the parameters
        ``context`` accepts (default: the table) or, for a row of the table fixed here, its value.

        >>> table = parameters("circular_product_parameters")
        >>> table.check({"lifetime": Q_(120, "month")}, ["stock", "lifetime"])
        {'stock': 1000.0, 'lifetime': 10.0}
        >>> table.check({"years": 10}, ["stock", "lifetime"], context="steady_state")
        Traceback (most recent call last):
        ...
        ValueError: years is fixed in datasets/circular_product_parameters (30 year: Years shown after the switch), not a parameter of steady_state; its parameters are: stock, lifetime
        """
        allowed = tuple(self.rows if names is None else names)
        units = units or {}
        out = self.defaults(allowed, units)
        for name, value in values.items():
            if name not in out:
                raise ValueError(self._unknown(name, allowed, context))
            out[name] = self.rows[name].check(value, whole=name in whole) * self.factor(name, units.get(name))
        return out

    def _unknown(self, name: Any, allowed: tuple[str, ...], context: str | None) -> str:
        where, listing = context or self.name, ", ".join(allowed)
        row = self.rows.get(name) if isinstance(name, str) else None
        if row is not None:
            fixed = f"{formats.number(row.value)} {'' if row.unit == 'dimensionless' else row.unit}".strip()
            return (f"{name} is fixed in datasets/{self.name} ({fixed}: {row.label.rstrip('.')}), not a parameter of "
                    f"{where}; its parameters are: {listing}")
        return f"{name!r} is not a parameter of {where}{checks.suggest(str(name), allowed)}; the parameters are: {listing}"

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame with every column, sources included (a fresh copy)."""
        return data.parameters(self.name).reset_index()


@data.cached
def parameters(name: str) -> ParameterTable:
    """Parameter table ``name`` of the active data folder, every row checked once (cached per folder).

    A row's unit must be one pint knows and its ``value``, ``low`` and ``high`` must lie within its
    ``minimum`` and ``maximum``; a problem names the dataset, the row and the column.

    >>> parameters("zeri_parameters")["mushroom_be"].maximum
    1.5
    """
    frame = data.parameters(name)
    rows: dict[str, Parameter] = {}
    core = set(data.PARAMETER_FIELDS)
    for key, record in zip(frame.index, frame.to_dict("records")):
        where = f"{name}.{key}"
        exclusive = _text(record.get("exclusive"))  # a copy of the data made before the column existed has none
        if exclusive:
            checks.choice(exclusive, f"{where}.exclusive", EXCLUSIVE)
        checks.unit(record["unit"], f"{where}.unit")

        def bound(column: str, empty: float) -> float:
            return empty if pd.isna(record[column]) else float(record[column])

        row = Parameter(
            name=str(key), label=_text(record["label"]), value=float(record["value"]), unit=str(record["unit"]),
            low=float(record["low"]), high=float(record["high"]), step=bound("step", math.nan),
            minimum=bound("minimum", -math.inf), maximum=bound("maximum", math.inf), exclusive=exclusive, table=name,
            extra={c: (_text(v) if isinstance(v, str) or v is None or v is pd.NA else v)
                   for c, v in record.items() if c not in core},
        )
        for column in ("value", "low", "high"):
            row.check(getattr(row, column), f"{where}.{column}")
        rows[str(key)] = row
    return ParameterTable(name, rows)


# ---- sensitivity -------------------------------------------------------------------------------


def _outcome_at(outcome: Callable[[dict[str, float]], float], values: dict[str, float]) -> float:
    try:
        return float(outcome(values))
    except ValueError:
        return math.nan  # these values break a constraint between parameters


def sensitivity(table: ParameterTable, outcome: Callable[[dict[str, float]], float], names: Iterable[str],
                base: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One at a time: ``outcome`` with each of ``names`` at the low and the high end of its range.

    ``outcome`` maps a dict of parameter values (in the table's units) to a number; every parameter
    not being moved stays at ``base`` (default: the table's defaults). Returns one row per
    parameter whose range is not a single value (:data:`SENSITIVITY_COLUMNS`), sorted by
    ``swing`` = |outcome at high - outcome at low|, largest first: the data of a tornado chart.
    An end that breaks a constraint between parameters gives NaN.

    >>> table = parameters("capital_model_defaults")
    >>> msy = lambda p: p["growth_rate"] * p["capacity"] / 4
    >>> s = sensitivity(table, msy, ["growth_rate", "capacity"])
    >>> s[["parameter", "outcome_low", "outcome_high", "swing"]].values.tolist()
    [['capacity', 12.5, 625.0, 612.5], ['growth_rate', 12.5, 487.5, 475.0]]
    """
    start = dict(table.defaults() if base is None else base)
    reference = outcome(start)
    rows = []
    for name in names:
        row = table[name]
        if not row.low < row.high:
            continue
        at_low, at_high = (_outcome_at(outcome, {**start, name: end}) for end in (row.low, row.high))
        rows.append((name, row.label, row.unit, row.low, start[name], row.high, at_low, reference, at_high, abs(at_high - at_low)))
    frame = pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))
    return frame.sort_values("swing", ascending=False, kind="stable", ignore_index=True)


def _on_step(row: Parameter, u: float) -> float:
    """The value a share ``u`` (0 to 1) of the way from ``low`` to ``high``, on the row's steps if it has them."""
    value = row.low + u * (row.high - row.low)
    return row.low + round((value - row.low) / row.step) * row.step if math.isfinite(row.step) and row.step > 0 else value


def joint_sensitivity(table: ParameterTable, outcome: Callable[[dict[str, float]], float], names: Iterable[str],
                      base: Mapping[str, float] | None = None, samples: int = 200, seed: int = 1,
                      corners: bool = False) -> pd.DataFrame:
    """All of ``names`` at once: ``samples`` random draws, each parameter uniform over ``low`` to ``high``
    (on the slider's steps when the table gives a ``step``: a lifetime stays a whole number of years).
    With ``corners=True`` the draws are instead every corner of the box of ranges (each parameter at its
    low or its high end: 2**n cases for n parameters, at most 2**16; ``samples`` is then ignored).

    One-at-a-time ranges miss what parameters do together; here every draw moves them all. Returns
    one row per parameter (``parameter, label, correlation``), where ``correlation`` is the rank
    correlation between the parameter and the outcome over the draws (its sign: the direction; its
    size, from 0 to 1: how much of the outcome's spread follows that parameter), sorted by its size.
    ``attrs`` hold ``outcome_default``, the outcome's 5th percentile, median and 95th percentile
    (``outcome_p5``, ``outcome_median``, ``outcome_p95``), ``share_positive`` (the share of draws
    with an outcome above 0), ``samples`` (draws kept: a draw that breaks a constraint between
    parameters is dropped) and ``outcomes`` (the outcome of every draw kept, for a histogram). The
    same ``seed`` gives the same draws.

    >>> table = parameters("capital_model_defaults")
    >>> j = joint_sensitivity(table, lambda p: p["growth_rate"] * p["capacity"] / 4, ["growth_rate", "capacity"])
    >>> j["parameter"].tolist(), j.attrs["samples"]
    (['capacity', 'growth_rate'], 200)
    >>> corners = joint_sensitivity(table, lambda p: p["growth_rate"] * p["capacity"] / 4 - 100,
    ...                             ["growth_rate", "capacity"], corners=True)
    >>> corners.attrs["samples"], corners.attrs["share_positive"]      # 4 corners, 1 of them above 0
    (4, 0.25)
    """
    if not isinstance(corners, bool):
        raise TypeError(f"corners must be True or False, got {corners!r}")
    chosen = [n for n in checks.names(list(names), "names", list(table)) if table[n].low < table[n].high]
    start = dict(table.defaults() if base is None else base)
    if corners:
        if len(chosen) > 16:
            raise ValueError(f"corners=True with {len(chosen)} parameters would mean 2**{len(chosen)} cases: "
                             "give at most 16 names, or use random draws (corners=False)")
        draws = np.array(list(itertools.product((0.0, 1.0), repeat=len(chosen)))).reshape(-1, len(chosen))
    else:
        count = checks.whole_number(samples, "samples", minimum=10, maximum=100_000)
        draws = np.random.default_rng(checks.whole_number(seed, "seed", minimum=0)).uniform(size=(count, len(chosen)))
    rows = []
    for draw in draws:
        values = {**start, **{n: _on_step(table[n], u) for n, u in zip(chosen, draw)}}
        rows.append([values[n] for n in chosen] + [_outcome_at(outcome, values)])
    sampled = pd.DataFrame(rows, columns=[*chosen, "__outcome"]).dropna()
    ranks = sampled.rank()
    correlation = ranks[chosen].corrwith(ranks["__outcome"]).fillna(0.0)
    frame = pd.DataFrame({"parameter": chosen, "label": [table[n].label for n in chosen],
                          "correlation": correlation.to_numpy()})
    frame = frame.reindex(frame["correlation"].abs().sort_values(ascending=False, kind="stable").index).reset_index(drop=True)
    result = sampled["__outcome"]
    frame.attrs.update(outcome_default=float(outcome(start)), outcome_p5=float(result.quantile(0.05)),
                       outcome_median=float(result.median()), outcome_p95=float(result.quantile(0.95)),
                       share_positive=float((result > 0).mean()), samples=len(sampled),
                       outcomes=[float(x) for x in result])
    return frame


def flipping_combination(table: ParameterTable, outcome: Callable[[dict[str, float]], float], names: Iterable[str],
                         base: Mapping[str, float] | None = None, threshold: float = 0.0,
                         most: int = 4) -> dict[str, Any] | None:
    """The fewest of ``names`` that, moved *together* to their ends, carry ``outcome`` across ``threshold``.

    A one-at-a-time analysis (:func:`sensitivity`) can find that no single parameter flips a verdict
    while a few of them together do. Each parameter goes to its *adverse* end (the end of its range
    that moves the outcome towards the threshold); sets of 1, 2, ... up to ``most`` parameters are
    tried, and among the smallest sets that cross, the one that crosses farthest is returned:
    ``{"parameters": (...), "values": {name: value}, "outcome": ..., "size": k}``. ``None`` when no
    set of up to ``most`` parameters crosses.

    >>> table = parameters("capital_model_defaults")
    >>> msy = lambda p: p["growth_rate"] * p["capacity"] / 4 - 200      # 0.5 x 1000 / 4 - 200 = -75 at the defaults
    >>> found = flipping_combination(table, msy, ["growth_rate", "capacity"])
    >>> found["parameters"], found["size"]
    (('capacity',), 1)
    >>> flipping_combination(table, msy, ["growth_rate", "capacity"], most=0)
    Traceback (most recent call last):
    ...
    ValueError: most=0 is not allowed: give a whole number >= 1
    """
    limit = checks.whole_number(most, "most", minimum=1)
    level = checks.number(threshold, "threshold")
    chosen = [n for n in checks.names(list(names), "names", list(table)) if table[n].low < table[n].high]
    start = dict(table.defaults() if base is None else base)
    reference = float(outcome(start))
    above = reference > level
    adverse: dict[str, float] = {}
    for name in chosen:
        ends = [(v, _outcome_at(outcome, {**start, name: v})) for v in (table[name].low, table[name].high)]
        ends = [(v, o) for v, o in ends if not math.isnan(o)]
        if ends:
            adverse[name] = (min if above else max)(ends, key=lambda e: e[1])[0]
    for size in range(1, min(limit, len(adverse)) + 1):
        best: tuple[float, tuple[str, ...]] | None = None
        for combo in itertools.combinations(adverse, size):
            value = _outcome_at(outcome, {**start, **{n: adverse[n] for n in combo}})
            if math.isnan(value) or (value > level) == above:
                continue
            gap = -value if above else value
            if best is None or gap > best[0]:
                best = (gap, combo)
        if best is not None:
            combo = best[1]
            values = {n: adverse[n] for n in combo}
            return {"parameters": combo, "values": values, "size": size,
                    "outcome": float(outcome({**start, **values}))}
    return None


def tornado_chart(frame: pd.DataFrame, *, axis: str, title: str, description: str, source: str, top: int | None = None,
                  threshold: float | None = None, flip: str = "can flip the verdict", number_format: str = ",.2f") -> alt.LayerChart:
    """A tornado chart of a :func:`sensitivity` table: one bar per parameter, the widest on top.

    Each bar runs from the outcome with the parameter at the low end of its range to the outcome at
    the high end, in two halves on either side of the black line (every parameter at its value);
    each end is labelled ``low end: 0.05`` or ``high end: 0.2`` with the parameter's value there (so the ends
    differ by more than colour). Bars are named by the frame's ``name`` column when it has one,
    else by ``parameter``; a ``setting_unit`` column overrides the unit of the labels. ``threshold``
    draws a dashed line (NPV = 0, say) and adds ``flip`` in words to the name of each bar that
    crosses it. ``axis`` titles the outcome's axis; the caller's ``description`` follows the chart's own.
    """
    import altair as alt

    from .charts import finish

    checks.frame(frame, "frame", SENSITIVITY_COLUMNS)
    head = frame if top is None else frame.head(checks.whole_number(top, "top", minimum=1))
    if head.empty:
        raise ValueError("frame has no rows: pass a table made by a sensitivity analysis")
    names = list(head["name"] if "name" in head.columns else head["parameter"])
    widest = names[0]  # named in the description without its marker: which bars cross is for the reader to see
    if threshold is not None:
        names = [f"{n} ({flip})" if min(a, b) < threshold < max(a, b) else n
                 for n, a, b in zip(names, head["outcome_low"], head["outcome_high"])]
    units = head["setting_unit"] if "setting_unit" in head.columns else [
        "" if u == "dimensionless" else formats.unit(u) for u in head["unit"]]
    base = float(head["outcome_default"].iloc[0])
    long = pd.concat([
        pd.DataFrame({"name": names, "end": f"{end} end", "value": head[f"outcome_{end}"], "base": base,
                      "text": [f"{end} end: {formats.number(v)} {u}".strip() for v, u in zip(head[end], units)]})
        for end in ("low", "high")
    ])
    order = list(names)
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=420))
    # Room for the end labels (a money axis may run below zero; a physical one starts at it).
    x = alt.X("base:Q", title=axis, scale=alt.Scale(padding=110) if threshold is not None else alt.Undefined,
              axis=alt.Axis(format="~s") if threshold is not None else alt.Undefined)
    bars = alt.Chart(long).mark_bar(height=16).encode(
        y=y, x=x, x2="value:Q",
        color=alt.Color("end:N", title="parameter at its", sort=["low end", "high end"], legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("name:N", title="parameter"), "text:N", alt.Tooltip("value:Q", format=number_format, title="outcome")],
    )
    layers: list[Any] = [bars, alt.Chart(pd.DataFrame({"base": [base]})).mark_rule(color="black").encode(x="base:Q")]
    layers += [alt.Chart(long).transform_filter(test).mark_text(align=align, dx=dx, fontSize=11).encode(x="value:Q", y=y, text="text:N")
               for test, align, dx in (("datum.value < datum.base", "right", -3), ("datum.value >= datum.base", "left", 3))]
    if threshold is not None:
        layers.append(alt.Chart(pd.DataFrame({"x": [threshold]})).mark_rule(color="#555555", strokeDash=[4, 4]).encode(x="x:Q"))
    own = (f"Tornado chart, one horizontal bar per parameter, widest first ({widest}): each bar spans the outcome when "
           "that parameter goes from the low to the high end of its plausible range, everything else at its value "
           "(the black line); each end is labelled 'low end' or 'high end' with the parameter's value there.")
    if threshold is not None:
        own += f" A dashed line marks a threshold; the name of each bar that crosses it ends in '({flip})'."
    chart = alt.layer(*layers).properties(width=480, height=alt.Step(30))
    return finish(chart, title=title, description=f"{own} {description}".strip(), source=source)
