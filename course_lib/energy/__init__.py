"""de Rosnay's Table 1 as data: energy as a universal unit of cost, and the table's own errors.

In *Le Macroscope* (1975) Joël de Rosnay proposed to price economic activities in energy, "a
universal unit" such as the kilocalorie. The seed article reproduces his Table 1 (13 rows, from
the sun's daily delivery to one passenger's transatlantic flight). This module turns that table
into something a student can compute with:

* :func:`convert_table` gives every row in any course unit (kJ, kcal, MJ, kWh, food-days, litres
  of gasoline equivalent, GJ, toe); :func:`unit_factors` gives the conversion factors that the
  kernel-free unit menu of :func:`table_chart` uses;
* :func:`energy_of` and :func:`compare` put two rows (or any energies) side by side, with a
  plain-language sentence;
* :func:`normalise` puts rows on a common footing: per tonne, per day, per person;
* :func:`checks` and :func:`inconsistencies` test the table against itself and against later
  published figures (``datasets/energy_reference_values.csv``);
* :func:`then_and_now` sets the 1975 material figures beside later embodied-energy figures
  (``datasets/energy_then_now.csv``).

Every figure comes from the datasets; nothing here is typed in.

>>> result = compare("aluminium", "car")
>>> print(result)
Producing 1 t of aluminium uses the energy of 1.56 cars.
>>> round(result.ratio, 4)
1.5625
>>> round(sun_day_vs_world_year(), 1)
63.8
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import textwrap
from dataclasses import dataclass

import altair as alt
import ipywidgets as w
import pandas as pd
import pint

from .. import charts, data
from ..exercises import Question, register
from ..units import ENERGY_UNITS, Q_, check_unit, ureg
from ..widgets import Explorer, explorer

__all__ = [
    "TABLE", "REFERENCE", "THEN_AND_NOW", "SOURCE", "UNIT_NAMES", "PER",
    "table", "item_ids", "unit_factors", "convert_table", "as_printed", "energy_of",
    "Comparison", "compare", "sun_day_vs_world_year", "food_over_30_years", "normalise",
    "reference_values", "checks", "inconsistencies", "derived_facts", "then_and_now", "styled_table",
    "table_chart", "scale_chart", "comparison_chart", "then_and_now_chart", "comparator", "reflect",
]

TABLE = "energy_table"
REFERENCE = "energy_reference_values"
THEN_AND_NOW = "energy_then_now"
#: The short source line under Table 1 charts (the datasets' own citations are longer).
SOURCE = "de Rosnay (1975), Le Macroscope, Table 1 as reproduced in Wong-Swanson (2005)"

#: Plain names of the course's energy units, for menus and sentences.
UNIT_NAMES = {
    "kJ": "kilojoules (kJ)",
    "kcal": "kilocalories (kcal)",
    "MJ": "megajoules (MJ)",
    "kWh": "kilowatt-hours (kWh)",
    "food_day": "food-days",
    "Lge": "litres of gasoline equivalent (Lge)",
    "GJ": "gigajoules (GJ)",
    "toe": "tonnes of oil equivalent (toe)",
}

#: What :func:`normalise` can divide by.
PER = ("tonne", "day", "person", "person-day")

_ENERGY = ureg.get_dimensionality("[energy]")
_POWER = ureg.get_dimensionality("[energy] / [time]")
_TIME = ureg.get_dimensionality("[time]")
_REQUIRED = ("id", "label", "value_kcal", "reference_amount", "reference_unit", "amount_unit", "unit_plural")


# ---- small helpers ------------------------------------------------------------------------------


def _num(x: float) -> str:
    """A number with three significant digits, as a person writes it.

    >>> _num(1.5625), _num(63.79), _num(27393.75), _num(3.7e18), _num(0.0157)
    ('1.56', '63.8', '27,394', '3.7×10^18', '0.0157')
    """
    if x == 0 or not math.isfinite(x):
        return str(x)
    exponent = math.floor(math.log10(abs(x)))
    if -3 <= exponent < 6:
        text = f"{x:,.{max(0, 2 - exponent)}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    mantissa = float(f"{x / 10**exponent:.3g}")
    if abs(mantissa) >= 10:  # 9.996e18 rounds up to 10×10^18
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:g}×10^{exponent}"


def _qty(q: pint.Quantity) -> str:
    return f"{_num(q.magnitude)} {q.units:~P}"


def _frame(frame, argument: str = "table") -> pd.DataFrame:
    """The energy table (loaded when ``frame`` is None), checked, as a light copy without ``attrs``.

    pandas deep-copies ``attrs`` (title, sources, field notes) on every operation; dropping them
    for the internal arithmetic makes the checks several times faster. Public functions that
    return a frame put the metadata back from :func:`_attrs`.
    """
    if frame is None:
        frame = data.load(TABLE)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{argument} must be a DataFrame such as data.load('{TABLE}'), got {type(frame).__name__}")
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"{argument} lacks the columns {missing}; pass data.load('{TABLE}') or a copy of it")
    bare = frame.copy(deep=False)
    bare.attrs = {}
    return bare


def _attrs(frame) -> dict:
    """The metadata of ``frame`` (or of Table 1 when ``frame`` is None)."""
    if isinstance(frame, pd.DataFrame) and frame.attrs:
        return frame.attrs
    return _table_attrs(str(data.data_dir()))


@functools.lru_cache(maxsize=4)
def _table_attrs(folder: str) -> dict:
    return data.load(TABLE).attrs


@functools.lru_cache(maxsize=4)
def _references(folder: str) -> pd.DataFrame:
    """The reference values without attrs, read once per data folder (internal, never mutated)."""
    refs = data.load(REFERENCE)
    refs.attrs = {}
    return refs


def _row(frame: pd.DataFrame, item, argument: str = "item") -> pd.Series:
    if not isinstance(item, str):
        raise TypeError(f"{argument} must be a row id of Table 1 (str), got {item!r} of type {type(item).__name__}")
    matches = frame.index[frame["id"] == item]
    if len(matches) == 0:
        raise ValueError(f"{argument}={item!r} is not a row of Table 1; known rows: {', '.join(frame['id'])}")
    return frame.loc[matches[0]]


def _energy_unit(unit, argument: str = "unit") -> pint.Unit:
    checked = check_unit(unit, argument)
    if checked.dimensionality != _ENERGY:
        raise ValueError(
            f"{argument}={unit!r} is not an energy unit; use one of {', '.join(ENERGY_UNITS)} (or any pint energy unit)"
        )
    return checked


def _positive_number(value, argument: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{argument} must be a number, got {value!r} of type {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{argument}={value!r} must be a positive, finite number")
    return float(value)


def _amount_unit(row: pd.Series) -> str | None:
    unit = row["amount_unit"]
    return None if pd.isna(unit) or unit == "" else str(unit)


def _amount_text(row: pd.Series, amount: float) -> str:
    text = _num(amount)
    word = row["reference_unit"] if text == "1" else row["unit_plural"]
    return f"{text} {word}"


def _words(dimensionality) -> str:
    if dimensionality == _ENERGY:
        return "an energy"
    if dimensionality == _POWER:
        return "an energy per time (a power)"
    for name, dim in (("a time", "[time]"), ("a mass", "[mass]"), ("a volume", "[length] ** 3")):
        if dimensionality == ureg.get_dimensionality(dim):
            return name
    if dimensionality == ureg.get_dimensionality(""):
        return "a pure number (a count)"
    return f"a quantity of dimension {dimensionality}"


def _amount(row: pd.Series, amount, argument: str) -> float:
    """``amount`` of ``row`` in the row's own amount unit (a count for cars and passenger trips)."""
    if amount is None:
        return float(row["reference_amount"])
    unit = _amount_unit(row)
    if isinstance(amount, pint.Quantity):
        target = ureg.Unit(unit) if unit else ureg.Unit("dimensionless")
        if amount.dimensionality != target.dimensionality:
            wanted = f"{_words(target.dimensionality)} such as Q_(1, {unit!r})" if unit else "a plain number of them"
            raise ValueError(
                f"{argument}={amount:~P} is {_words(amount.dimensionality)}, but {row['id']!r} is counted per "
                f"{row['reference_unit']}: give {wanted}"
            )
        return _positive_number(float(amount.to(target).magnitude), argument)
    return _positive_number(amount, argument)


# ---- the table and its units --------------------------------------------------------------------


def table() -> pd.DataFrame:
    """Table 1 as a DataFrame (a fresh copy; ``.attrs`` carries title, sources and units).

    >>> len(table()), table().attrs["units"]["value_kcal"]
    (13, 'kcal')
    """
    return data.load(TABLE)


def item_ids(frame: pd.DataFrame | None = None) -> list[str]:
    """The row ids of Table 1, in printed order.

    >>> item_ids()[:3]
    ['sun', 'world_1974', 'food_france']
    """
    return list(_frame(frame)["id"])


@functools.lru_cache(maxsize=32)
def _factor(unit: str) -> float:
    return float(Q_(1, "kcal").to(unit).magnitude)


def unit_factors(units=ENERGY_UNITS) -> pd.DataFrame:
    """How many of each unit make one kilocalorie: the factors behind every conversion.

    Columns: ``unit``, ``symbol``, ``name``, ``per_kcal`` (units in 1 kcal) and ``kcal`` (kcal in 1 unit).

    >>> f = unit_factors().set_index("unit")
    >>> float(f.loc["kJ", "per_kcal"]), round(f.loc["toe", "kcal"])
    (4.184, 10006692)
    """
    if isinstance(units, str) or not hasattr(units, "__iter__"):
        raise TypeError(f"units must be a list of unit names, got {units!r}")
    rows = []
    for unit in units:
        _energy_unit(unit, "units")
        rows.append(
            {
                "unit": unit,
                "symbol": f"{ureg.Unit(unit):~P}",
                "name": UNIT_NAMES.get(unit, unit),
                "per_kcal": _factor(unit),
                "kcal": 1 / _factor(unit),
            }
        )
    if not rows:
        raise ValueError("units must name at least one energy unit")
    return pd.DataFrame(rows)


def _per_text(row: pd.Series) -> str:
    amount = float(row["reference_amount"])
    return f"per {_amount_text(row, amount)}" if amount != 1 else f"per {row['reference_unit']}"


def convert_table(unit: str = "MJ", frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 1 with every value in ``unit``, in columns ``value`` and ``unit`` (plus ``per``).

    ``frame`` defaults to Table 1 (values read from ``value_kcal``). A frame that already has
    ``value`` and ``unit`` columns (the output of this function) is converted from those, so
    conversions chain and round-trip.

    >>> mj = convert_table("MJ")
    >>> mj.loc[mj["id"] == "aluminium", ["value", "unit", "per"]].values.tolist()
    [[209200.0, 'MJ', 'per t']]
    >>> back = convert_table("kcal", convert_table("toe"))
    >>> round(float(back.loc[back["id"] == "aluminium", "value"].item()), 6)
    50000000.0
    """
    target = _energy_unit(unit)
    attrs = _attrs(frame)
    frame = _frame(frame, "frame")
    if {"value", "unit"} <= set(frame.columns):
        values = frame["value"].astype("float64")
        sources = frame["unit"].astype(str)
    else:
        values = frame["value_kcal"].astype("float64")
        sources = pd.Series("kcal", index=frame.index)
    bad = frame.loc[~values.map(math.isfinite) | (values < 0), "id"].tolist()
    if bad:
        raise ValueError(f"frame has missing, infinite or negative values in rows {bad}: energies must be >= 0")
    factors = {u: float(Q_(1, _energy_unit(u, "frame['unit']")).to(target).magnitude) for u in sources.unique()}
    out = frame.copy()
    out["value"] = values * sources.map(factors)
    out["unit"] = unit
    out["per"] = [_per_text(row) for _, row in frame.iterrows()]
    out.attrs = {**attrs, "units": {**attrs.get("units", {}), "value": unit}}
    return out


def as_printed(item: str, frame: pd.DataFrame | None = None) -> pint.Quantity:
    """Row ``item`` as the article prints it, unit and all ("Kcal/day" stays a rate).

    >>> as_printed("gasoline_litre")
    <Quantity(10000.0, 'kilocalorie / day')>
    """
    row = _row(_frame(frame), item)
    return Q_(float(row["value_kcal"]), str(row["unit_printed"]).lower())


def energy_of(item: str, amount=None, unit: str = "kcal", frame: pd.DataFrame | None = None) -> pint.Quantity:
    """The energy of ``amount`` of row ``item``, in ``unit``.

    ``amount`` is a number in the row's own unit (tonnes, days, years, litres, cars, passenger
    trips; default: the amount the table prints, e.g. 30 years) or a pint Quantity of the same kind.

    >>> round(energy_of("aluminium", unit="kWh"))
    <Quantity(58111, 'kilowatt_hour')>
    >>> energy_of("man_day", Q_(1, "year"))
    <Quantity(913125.0, 'kilocalorie')>
    """
    target = _energy_unit(unit)
    row = _row(_frame(frame), item)
    size = _amount(row, amount, "amount")
    return Q_(float(row["value_kcal"]) * size / float(row["reference_amount"]), "kcal").to(target)


# ---- comparisons --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`: two energies, their ratio and a sentence that says it."""

    a: str
    b: str
    energy_a: pint.Quantity
    energy_b: pint.Quantity
    ratio: float
    equivalent_b: float
    sentence: str

    def __str__(self) -> str:
        return self.sentence


def _side(frame, item, amount, name: str):
    """(id, energy in kcal, subject text, verb, a function amount -> object text, the amount)."""
    if isinstance(item, pint.Quantity):
        if amount is not None:
            raise ValueError(f"amount_{name} must be None when {name} is already a quantity ({item:~P})")
        if item.dimensionality != _ENERGY:
            hint = " Multiply it by a duration first." if item.dimensionality == _POWER else ""
            raise ValueError(f"{name}={item:~P} is {_words(item.dimensionality)}, not an energy: only energies compare.{hint}")
        size = _positive_number(float(item.magnitude), name)
        units = item.units
        return ("quantity", Q_(size, units).to("kcal"), _qty(item), "is",
                lambda n: f"{_num(n)} {units:~P}", size)
    if not isinstance(item, str):
        raise TypeError(f"{name} must be a row id of Table 1 (str) or a pint energy, got {item!r} of type {type(item).__name__}")
    row = _row(frame, item, name)
    size = _amount(row, amount, f"amount_{name}")
    energy = Q_(float(row["value_kcal"]) * size / float(row["reference_amount"]), "kcal")
    subject = str(row["subject_phrase"]).format(amount=_amount_text(row, size))
    return (item, energy, subject, str(row["verb"]),
            lambda n: str(row["object_phrase"]).format(amount=_amount_text(row, n)), size)


def compare(a, b, amount_a=None, amount_b=None, frame: pd.DataFrame | None = None) -> Comparison:
    """Compare the energy of ``amount_a`` of row ``a`` with ``amount_b`` of row ``b``.

    ``a`` and ``b`` are row ids of Table 1 (or pint energies such as ``Q_(10, "kWh")``); amounts
    default to what the table prints and follow :func:`energy_of`. ``ratio`` is energy a / energy
    b; ``equivalent_b`` is how much of ``b`` has the energy of ``a``.

    >>> print(compare("sun", "world_1974"))
    1 day of sunshine on the Earth delivers the energy of 63.8 years of world energy consumption at the 1974 rate.
    >>> print(compare("transatlantic", "gasoline_litre"))
    1 passenger trip across the Atlantic uses the energy of 600 L of gasoline.
    >>> print(compare(Q_(10, "kWh"), "man_day"))
    10 kWh is the energy of feeding one person for 3.44 days.
    """
    frame = _frame(frame)
    id_a, energy_a, subject, verb, _, _ = _side(frame, a, amount_a, "a")
    id_b, energy_b, _, _, object_text, size_b = _side(frame, b, amount_b, "b")
    ratio = float(energy_a.magnitude / energy_b.magnitude)
    equivalent = ratio * size_b
    sentence = f"{subject[0].upper()}{subject[1:]} {verb} the energy of {object_text(equivalent)}."
    return Comparison(id_a, id_b, energy_a, energy_b, ratio, equivalent, sentence)


def sun_day_vs_world_year(frame: pd.DataFrame | None = None) -> float:
    """How many times the world's 1974 energy consumption the sun delivers to the Earth in one day.

    >>> round(sun_day_vs_world_year())
    64
    """
    return compare("sun", "world_1974", Q_(1, "day"), Q_(1, "year"), frame).ratio


def food_over_30_years(frame: pd.DataFrame | None = None) -> dict:
    """The table's "2,500 kcal/day" over 30 years, against its own "32×10^6 kcal for 30 years".

    Returns ``daily`` and ``years`` (the two printed inputs), ``from_daily`` (2,500 kcal/day ×
    30 years of 365.25 days), ``printed``,
    ``implied_daily`` (printed / 30 years) and ``relative_difference`` (printed / from_daily - 1).

    >>> f = food_over_30_years()
    >>> _qty(f["from_daily"]), _qty(f["implied_daily"]), round(f["relative_difference"], 3)
    ('2.74×10^7 kcal', '2,920 kcal/d', 0.168)
    """
    frame = _frame(frame)
    thirty = _row(frame, "man_30_years")
    years = Q_(float(thirty["reference_amount"]), str(thirty["amount_unit"]))
    from_daily = energy_of("man_day", years, "kcal", frame)
    printed = Q_(float(thirty["value_kcal"]), "kcal")
    return {
        "daily": Q_(float(_row(frame, "man_day")["value_kcal"]), "kcal/day"),
        "years": years,
        "from_daily": from_daily.to("kcal"),
        "printed": printed,
        "implied_daily": (printed / years).to("kcal/day"),
        "relative_difference": float(printed.magnitude / from_daily.magnitude - 1),
    }


# ---- reference values, normalisation, checks ----------------------------------------------------


def reference_values() -> pd.DataFrame:
    """The published figures Table 1 is checked against (``datasets/energy_reference_values.csv``)."""
    return data.load(REFERENCE)


def _reference(name: str) -> tuple[pint.Quantity, pint.Quantity, pd.Series]:
    refs = _references(str(data.data_dir())).set_index("id")
    row = refs.loc[name]
    unit = str(row["unit"])
    return Q_(float(row["low"]), unit), Q_(float(row["high"]), unit), row


def _population(item: str):
    """(low, high, source note) of the population behind a national or world row, or None."""
    refs = _references(str(data.data_dir()))
    match = refs[(refs["compares_with"] == item) & (refs["unit"] == "count")]
    if match.empty:
        return None
    row = match.iloc[0]
    return float(row["low"]), float(row["high"]), f"{row['basis']} (grade {row['grade']}): {row['quantity']}"


def normalise(per: str = "tonne", unit: str = "kcal", frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every row of Table 1 divided by a common denominator: ``per`` is one of :data:`PER`.

    * ``"tonne"``: rows with a printed mass (the five materials, the 1.5 t car);
    * ``"day"``: rows that are flows over time (the sun, the world, France, the man);
    * ``"person"``: rows for a number of people (printed, or a published population for the
      world and France, grade in ``denominator``), over the row's own period;
    * ``"person-day"``: per person and per day.

    Rows that cannot be divided stay in the frame with an empty ``value`` and the reason in
    ``missing``. Population ranges give ``low`` and ``high``; ``value`` is their midpoint.

    >>> t = normalise("tonne").set_index("id")
    >>> _num(t.loc["car", "value"]), t.loc["car", "per"]
    ('2.13×10^7', 'kcal per tonne')
    >>> d = normalise("person-day").set_index("id")
    >>> _num(d.loc["food_france", "low"]), _num(d.loc["food_france", "high"])
    ('2,317', '2,382')
    """
    if per not in PER:
        raise ValueError(f"per={per!r} is not allowed; choose one of {PER}")
    target = _energy_unit(unit)
    attrs = _attrs(frame)
    frame = _frame(frame)
    factor = float(Q_(1, "kcal").to(target).magnitude)
    rows = []
    for _, row in frame.iterrows():
        energy = float(row["value_kcal"])
        low = high = None
        notes, missing = [], ""
        amount_unit = _amount_unit(row)
        is_time = amount_unit is not None and ureg.Unit(amount_unit).dimensionality == _TIME
        days = Q_(float(row["reference_amount"]), amount_unit).to("day").magnitude if is_time else None
        if per == "tonne":
            mass = row.get("item_mass_t")
            if pd.notna(mass) and mass > 0:
                low = high = energy / float(mass)
                notes.append(f"seed: printed mass {_num(float(mass))} t")
            else:
                missing = "no mass printed for this row"
        else:
            people = None
            if per in ("person", "person-day"):
                persons = row.get("persons")
                if pd.notna(persons) and persons > 0:
                    people = (float(persons), float(persons))
                    notes.append("seed: printed for one person")
                else:
                    population = _population(str(row["id"]))
                    if population is not None:
                        people = population[:2]
                        notes.append(population[2])
                    else:
                        missing = "the table gives no number of people for this row"
            needs_days = per in ("day", "person-day")
            if needs_days and days is None:
                missing = missing or "not a flow over time: there is nothing to divide by days"
            if not missing:
                divide_low = divide_high = 1.0
                if people is not None:
                    divide_low, divide_high = people[1], people[0]  # more people -> less each
                if needs_days:
                    divide_low, divide_high = divide_low * days, divide_high * days
                    notes.append(f"over {days:,.2f}".rstrip("0").rstrip(".") + (" day" if days == 1 else " days"))
                low, high = energy / divide_low, energy / divide_high
        label = {"tonne": "per tonne", "day": "per day", "person": "per person", "person-day": "per person per day"}[per]
        if per == "person" and is_time and not missing:
            label = f"per person, {_per_text(row)}"
        rows.append(
            {
                "id": row["id"],
                "label": row["label"],
                "value": None if low is None else (low + high) / 2 * factor,
                "low": None if low is None else low * factor,
                "high": None if high is None else high * factor,
                "per": f"{unit} {label}",
                "denominator": "; ".join(notes),
                "missing": missing,
            }
        )
    out = pd.DataFrame(rows).astype({"value": "float64", "low": "float64", "high": "float64"})
    out.attrs = {"title": f"Table 1, {unit} per {per}", "sources": attrs.get("sources", []),
                 "units": {"value": f"{unit} {per}"}}
    return out


def _gap(stated: float, low: float, high: float) -> float:
    """0 inside [low, high]; else the relative distance to the nearest end."""
    if low <= stated <= high:
        return 0.0
    return (stated - high) / high if stated > high else (stated - low) / low


def checks(tolerance: float = 0.10, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every consistency check on Table 1: within itself and against published figures.

    Columns: ``check``, ``rows`` (the ids involved), ``stated`` and ``expected_low``/``high`` (in
    ``unit``), ``gap`` (0 inside the expected range, else the relative distance to it),
    ``verdict`` (``consistent``, ``inconsistent`` or ``unclear``) and ``explanation``. A gap
    within ``tolerance`` counts as consistent: the table's figures carry one or two digits.

    >>> c = checks().set_index("check")
    >>> c.loc["food_30_years", "verdict"], round(float(c.loc["food_30_years", "gap"]), 3)
    ('inconsistent', 0.168)
    >>> c.loc["sun_power", "verdict"]
    'consistent'
    """
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) or not 0 <= tolerance < 1:
        raise ValueError(f"tolerance={tolerance!r} must be a number from 0 to below 1 (0.10 means 10 %)")
    frame = _frame(frame)
    # The checks are pure in the table's values: remember them by content, so the exercise checks
    # and the notebook's cells do not recompute them (a changed table gives a new key).
    key = (float(tolerance), str(data.data_dir()), int(pd.util.hash_pandas_object(frame, index=True).sum()))
    if key not in _CHECKS:
        if len(_CHECKS) > 16:
            _CHECKS.clear()
        _CHECKS[key] = _checks(float(tolerance), frame)
    return _CHECKS[key].copy()


_CHECKS: dict[tuple, pd.DataFrame] = {}


def _checks(tolerance: float, frame: pd.DataFrame) -> pd.DataFrame:
    rows = []

    def add(check, ids, stated, low, high, unit, explanation, verdict=None):
        gap = _gap(stated, low, high) if stated is not None else float("nan")
        if verdict is None:
            verdict = "consistent" if abs(gap) <= tolerance else "inconsistent"
        rows.append({"check": check, "rows": tuple(ids), "stated": stated, "expected_low": low,
                     "expected_high": high, "unit": unit, "gap": gap, "verdict": verdict,
                     "explanation": explanation})

    # 1. A printed rate must belong to a row that is a flow over time, and a flow should say so.
    for _, row in frame.iterrows():
        printed_rate = "/" in str(row["unit_printed"])
        period = row["period"]
        if printed_rate and (pd.isna(period) or period == ""):
            add("printed_unit", [row["id"]], None, None, None, str(row["unit_printed"]),
                f"'{row['item']}' is printed in {row['unit_printed']}, a rate, but it is an amount of energy "
                f"per {row['reference_unit']}: the '/day' cannot be right.", "inconsistent")
        elif not printed_rate and pd.notna(period) and period != "":
            add("printed_unit", [row["id"]], None, None, None, str(row["unit_printed"]),
                f"'{row['item']}' is printed in {row['unit_printed']} with no period; the course reads it as one "
                f"{period}.", "unclear")

    # 2. Feeding a man: 30 years at the table's own daily need vs the printed 30-year figure.
    food = food_over_30_years(frame)
    add("food_30_years", ["man_day", "man_30_years"], food["printed"].magnitude, food["from_daily"].magnitude,
        food["from_daily"].magnitude, "kcal",
        f"{_num(food['daily'].magnitude)} kcal/day for {_num(food['years'].magnitude)} years is "
        f"{_qty(food['from_daily'])}, but the table prints "
        f"{_qty(food['printed'])}: that implies {_qty(food['implied_daily'])}.")

    # 3. Gasoline: the printed 10,000 kcal per litre vs published heating values.
    gas = _row(frame, "gasoline_litre")
    low, high, ref = _reference("gasoline_heating_value")
    low, high = low.to("kcal/L").magnitude, high.to("kcal/L").magnitude
    add("gasoline_heating_value", ["gasoline_litre"], float(gas["value_kcal"]) / float(gas["reference_amount"]),
        low, high, "kcal/L",
        f"Published heating values of gasoline are {_num(low)}-{_num(high)} kcal per litre "
        f"({ref['basis']}, grade {ref['grade']}); the table prints {_num(float(gas['value_kcal']))}.")

    # 4. The sun: irradiance × the Earth's cross-section × one day.
    sun = _row(frame, "sun")
    s_low, s_high, s_ref = _reference("solar_irradiance")
    r_low, r_high, _ = _reference("earth_mean_radius")
    day = Q_(1, "day")
    e_low = (s_low * math.pi * r_low**2 * day).to("kcal").magnitude
    e_high = (s_high * math.pi * r_high**2 * day).to("kcal").magnitude
    add("sun_power", ["sun"], float(sun["value_kcal"]), e_low, e_high, "kcal",
        f"Solar irradiance × π × Earth radius² × 1 day = {_num(e_low)}-{_num(e_high)} kcal at the top of the "
        f"atmosphere ({s_ref['basis']}, grade {s_ref['grade']}).")

    # 5. France: food per person per day vs the table's 2,500 kcal/day.
    per_day = normalise("person-day", "kcal", frame).set_index("id")
    if pd.notna(per_day.loc["food_france", "value"]):
        man_day = float(_row(frame, "man_day")["value_kcal"])
        add("france_food_per_person", ["food_france", "man_day"], man_day,
            float(per_day.loc["food_france", "low"]), float(per_day.loc["food_france", "high"]), "kcal/day",
            f"France's food divided by its population is {_num(per_day.loc['food_france', 'low'])}-"
            f"{_num(per_day.loc['food_france', 'high'])} kcal per person per day, close to the table's "
            f"{_num(man_day)} kcal/day need.")

    # 6. Two different things with exactly the same printed value deserve a second look.
    for value, group in frame.groupby("value_kcal"):
        if len(group) > 1:
            add("same_value", list(group["id"]), None, None, None, "kcal",
                f"{' and '.join(repr(i) for i in group['item'])} print the same value ({_num(float(value))} kcal): "
                "a coincidence or a copying slip?", "unclear")
    return pd.DataFrame(rows)


def inconsistencies(tolerance: float = 0.10, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of Table 1 that fail a check of :func:`checks`, with the ``problem`` in words.

    Both rows of a pair that disagree are returned: the table cannot tell which one is wrong.

    >>> inconsistencies()["id"].tolist()
    ['man_30_years', 'man_day', 'gasoline_litre']
    """
    attrs = _attrs(frame)
    frame = _frame(frame)
    failed = checks(tolerance, frame)
    failed = failed[failed["verdict"] == "inconsistent"]
    problems: dict[str, list[str]] = {}
    for _, check in failed.iterrows():
        for item in check["rows"]:
            problems.setdefault(item, []).append(check["explanation"])
    out = frame[frame["id"].isin(problems)].copy()
    out["problem"] = out["id"].map(lambda i: " ".join(problems[i]))
    out.attrs = attrs
    return out


def derived_facts(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Facts that follow from Table 1 (and, where marked, a published population), in words.

    >>> f = derived_facts().set_index("fact")
    >>> float(f.loc["aluminium_vs_car", "value"])
    1.5625
    """
    frame = _frame(frame)
    food = food_over_30_years(frame)
    per_day = normalise("person-day", "food_day", frame).set_index("id")
    per_tonne = normalise("tonne", "kcal", frame).set_index("id")
    petroleum = energy_of("petroleum", unit="toe", frame=frame)
    sun_power = (energy_of("sun", unit="J", frame=frame) / Q_(1, "day")).to("W")
    rows = [
        ("aluminium_vs_car", compare("aluminium", "car", frame=frame).ratio, "",
         "producing 1 t of aluminium / producing a 1.5 t car", "seed"),
        ("sun_day_vs_world_year", sun_day_vs_world_year(frame), "",
         "sunshine on the Earth in one day / world energy consumption in 1974", "seed"),
        ("man_30_years_from_daily", food["from_daily"].magnitude, "kcal",
         f"{_num(food['daily'].magnitude)} kcal/day × {_num(food['years'].magnitude)} years "
         f"(the table prints {_num(food['printed'].magnitude)})", "seed"),
        ("man_30_years_implied_daily", food["implied_daily"].magnitude, "kcal/day",
         f"{_num(food['printed'].magnitude)} kcal / {_num(food['years'].magnitude)} years", "seed"),
        ("car_per_tonne", per_tonne.loc["car", "value"], "kcal/t", "producing a car, per tonne of car", "seed"),
        ("petroleum_production_share", petroleum.magnitude, "toe",
         "energy to produce 1 t of petroleum, in tonnes of oil equivalent (the share of its own energy content)",
         "seed + toe definition"),
        ("sun_power", sun_power.magnitude, "W", "the sun's delivery as a power", "seed"),
        ("world_per_person_day", per_day.loc["world_1974", "value"], "food_day",
         "world consumption 1974 per person per day, in food-days", "seed + literature (grade B population)"),
        ("transatlantic_litres", energy_of("transatlantic", unit="Lge", frame=frame).magnitude, "Lge",
         f"one transatlantic passenger, in litres of gasoline equivalent ({_qty(Q_(1, 'Lge').to('MJ'))} each)",
         "seed + literature"),
    ]
    return pd.DataFrame(rows, columns=["fact", "value", "unit", "meaning", "basis"])


# ---- then and now -------------------------------------------------------------------------------


def then_and_now(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 1975 material figures of Table 1 beside later published ones, in MJ/kg.

    One row per later figure; a material with no citable later figure keeps one row with an
    empty ``later`` and ``status`` "no citable later figure" (shown as missing, never guessed).

    >>> t = then_and_now()
    >>> t.loc[t["material"] == "aluminium", "then"].round(1).unique().tolist()
    [209.2]
    >>> t.loc[t["material"] == "paper", "status"].item()
    'no citable later figure'
    """
    attrs = _attrs(frame)
    frame = _frame(frame)
    later = data.load(THEN_AND_NOW)
    materials = frame[frame["category"] == "material"]
    rows = []
    for _, m in materials.iterrows():
        then = Q_(float(m["value_kcal"]) / float(m["item_mass_t"]), "kcal/t").to("MJ/kg").magnitude
        found = later[later["material"] == m["id"]]
        base = {"material": m["id"], "label": m["label"], "then": then, "then_year": 1975}
        if found.empty:
            rows.append({**base, "later": None, "product": "", "published": None, "cite_as": "", "grade": "",
                         "boundary": "",
                         "feedstock": "", "convention": "", "caveat": "", "source": "",
                         "status": "no citable later figure"})
            continue
        for _, f in found.iterrows():
            value = Q_(float(f["value"]), str(f["unit"])).to("MJ/kg").magnitude
            rows.append({**base, "later": value, "product": f["product"], "published": int(f["published"]),
                         "cite_as": f["cite_as"], "grade": f["grade"], "boundary": f["boundary"], "feedstock": f["feedstock"],
                         "convention": f["convention"], "caveat": "" if pd.isna(f["caveat"]) else f["caveat"],
                         "source": f["source"],
                         "status": "reported by (grade B): use as a range" if f["grade"] == "B" else "cited"})
    out = pd.DataFrame(rows).astype({"then": "float64", "later": "float64", "published": "Int64"})
    out["later_over_then"] = out["later"] / out["then"]
    out.attrs = {"title": "Then and now: energy to produce materials, MJ/kg",
                 "sources": attrs.get("sources", []) + later.attrs.get("sources", []),
                 "units": {"then": "MJ/kg", "later": "MJ/kg"}}
    return out


def styled_table(frame: pd.DataFrame | None = None):
    """Table 1 as printed, for reading: printed value and unit, kilocalories, notes; source as caption.

    Rows that fail a check of :func:`inconsistencies` are shaded. The styler has a fixed id, so the
    stored notebook does not change from one run to the next.

    >>> styled_table().caption.startswith("Source: de Rosnay")
    True
    """
    frame = _frame(frame)
    flagged = set(inconsistencies(frame=frame)["id"])
    shown = frame[["id", "item", "value_printed", "unit_printed", "value_kcal", "note"]].copy()
    shown["note"] = shown["note"].fillna("")
    shown = shown.rename(columns={"value_printed": "printed value", "unit_printed": "printed unit",
                                  "value_kcal": "kcal (clean)"})

    def shade(row):
        colour = "background-color: #fde8d7" if row["id"] in flagged else ""
        return [colour] * len(row)

    return (
        shown.style.set_uuid("energy-table-1")
        .apply(shade, axis=1)
        .format({"kcal (clean)": "{:,.0f}"})
        .hide(axis="index")
        .set_caption(f"Source: {SOURCE}. Shaded rows fail a consistency check (see the data-quality section).")
        .set_properties(subset=["note"], **{"text-align": "left", "max-width": "28em"})
    )


# ---- charts -------------------------------------------------------------------------------------


_DECADE_LABEL = "'10^' + round(log(datum.value) / LN10)"


def _js(mapping: dict) -> str:
    """A Vega expression object literal {'kJ': 4.184, ...} (numbers in full precision)."""
    return "{" + ", ".join(f"'{k}': {float(v)!r}" for k, v in mapping.items()) + "}"


def table_chart(frame: pd.DataFrame | None = None, units=ENERGY_UNITS, start: str = "kcal"):
    """Table 1 as a log-scale bar chart with a unit menu that works without a kernel.

    The menu is a Vega-Lite parameter; the conversion factors are computed here
    (:func:`unit_factors`) and a ``calculate`` transform multiplies each row's kilocalories by
    the chosen factor inside the browser, so a saved, untrusted notebook still converts.

    >>> spec = table_chart().to_dict()
    >>> spec["params"][0]["bind"]["input"], spec["params"][0]["value"]
    ('select', 'kcal')
    """
    frame = _frame(frame)
    factors = unit_factors(units)
    if start not in set(factors["unit"]):
        raise ValueError(f"start={start!r} must be one of the chart's units {list(factors['unit'])}")
    per = [_per_text(row) for _, row in frame.iterrows()]
    source = pd.DataFrame({"label": frame["label"], "category": frame["category"],
                           "value_kcal": frame["value_kcal"].astype(float), "per": per})
    unit = alt.param(
        name="unit", value=start,
        bind=alt.binding_select(options=list(factors["unit"]), labels=list(factors["name"]), name="Show energy in "),
    )
    factor = f"{_js(dict(zip(factors['unit'], factors['per_kcal'])))}[unit]"
    symbols = "{" + ", ".join(f"'{u}': '{s.replace('_', '-')}'" for u, s in zip(factors["unit"], factors["symbol"])) + "}"
    names = "{" + ", ".join(f"'{u}': '{n}'" for u, n in zip(factors["unit"], factors["name"])) + "}"
    # A log axis has no zero: bars start at the power of ten strictly below the smallest row; the axis
    # ends 300 times above the largest so the value labels fit. Both follow the chosen unit.
    low = f"pow(10, ceil(log({float(source['value_kcal'].min())!r} * {factor}) / LN10) - 1)"
    high = f"{float(source['value_kcal'].max())!r} * {factor} * 300"
    exponent = "replace(replace(format(datum.value, '.2~e'), 'e+', '×10^'), 'e-', '×10^-')"
    plain = "format(datum.value, ',.3~r')"
    base = alt.Chart(source).transform_calculate(
        value=f"datum.value_kcal * {factor}",
        baseline=low,
    ).transform_calculate(
        shown=f"(datum.value >= 1e5 || datum.value < 0.01 ? {exponent} : {plain}) + ' ' + {symbols}[unit]",
    )
    y = alt.Y("label:N", sort=alt.EncodingSortField("value_kcal", order="descending"), title=None)
    decades = [10.0**k for k in range(-9, 25, 3)]  # gridlines every 1,000 times; Vega drops those off-scale
    bars = base.mark_bar().encode(
        x=alt.X("value:Q",
                scale=alt.Scale(type="log", domainMin=alt.ExprRef(low), domainMax=alt.ExprRef(high), nice=False),
                axis=alt.Axis(title="energy, log scale: each gridline is 1,000 times the one before",
                              values=decades, labelExpr=_DECADE_LABEL)),
        x2="baseline:Q",
        y=y,
        color=alt.Color("category:N", title="kind of row", legend=alt.Legend(orient="bottom", columns=4)),
        tooltip=[alt.Tooltip("label:N", title="row"), alt.Tooltip("shown:N", title="energy"),
                 alt.Tooltip("per:N", title="for"), alt.Tooltip("category:N", title="kind")],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(x="value:Q", y=y, text="shown:N")
    caption = base.transform_aggregate(n="count()").transform_calculate(
        text=f"'Unit: ' + {names}[unit]"
    ).mark_text(align="left", fontSize=14, fontWeight="bold").encode(
        x=alt.value(0), y=alt.value(-12), text="text:N"
    )
    chart = alt.layer(bars, labels, caption).add_params(unit).properties(width=520, height=390)
    largest, smallest = source.loc[source["value_kcal"].idxmax()], source.loc[source["value_kcal"].idxmin()]
    return charts.finish(
        chart,
        title="Table 1: energy of human activities and products",
        description=(
            f"Horizontal bars on a logarithmic axis, one per row of de Rosnay's Table 1, longest first: "
            f"{largest['label']} ({_num(largest['value_kcal'])} kcal) down to {smallest['label']} "
            f"({_num(smallest['value_kcal'])} kcal), {math.log10(largest['value_kcal'] / smallest['value_kcal']):.0f} "
            f"powers of ten apart. A menu under the chart changes the unit of every bar "
            f"({', '.join(factors['symbol'])}); the bars keep their lengths relative to each other."
        ),
        source=SOURCE,
    )


def scale_chart(frame: pd.DataFrame | None = None):
    """The same Table 1 on a linear and on a log axis, side by side: why the course uses a log scale.

    >>> len(scale_chart().to_dict()["hconcat"])
    2
    """
    frame = _frame(frame)
    source = pd.DataFrame({"label": frame["label"], "value_kcal": frame["value_kcal"].astype(float)})
    y = alt.Y("label:N", sort=alt.EncodingSortField("value_kcal", order="descending"), title=None)
    linear = alt.Chart(source, title="linear axis").mark_bar().encode(
        x=alt.X("value_kcal:Q", title="kcal (linear)", axis=alt.Axis(format=".0e", tickCount=3)), y=y,
        tooltip=["label:N", alt.Tooltip("value_kcal:Q", format=".2e")],
    ).properties(width=230, height=330)
    log = alt.Chart(source, title="log axis").mark_bar().encode(
        x=alt.X("value_kcal:Q", title="kcal (log)", scale=alt.Scale(type="log"),
                axis=alt.Axis(values=[10.0**k for k in range(0, 21, 5)], labelExpr=_DECADE_LABEL)),
        x2=alt.X2("baseline:Q"),
        y=alt.Y("label:N", sort=alt.EncodingSortField("value_kcal", order="descending"), title=None,
                axis=alt.Axis(labels=False)),
        tooltip=["label:N", alt.Tooltip("value_kcal:Q", format=".2e")],
    ).transform_joinaggregate(smallest="min(value_kcal)").transform_calculate(
        baseline="pow(10, ceil(log(datum.smallest) / LN10) - 1)"
    ).properties(width=230, height=330)
    return charts.finish(
        alt.hconcat(linear, log),
        title="One table, two axes",
        description=(
            "Left, Table 1 on a linear axis: only the sun's bar is visible, every other row is a sliver of zero "
            "width. Right, the same rows on a logarithmic axis: every row is visible; the gridlines mark "
            "1, 10^5, 10^10, 10^15 and 10^20 kcal, each 100,000 times the one before."
        ),
        source=SOURCE,
    )


def comparison_chart(result: Comparison, unit: str = "kcal", frame: pd.DataFrame | None = None):
    """Two bars for a :func:`compare` result, in ``unit``; the sentence is the title.

    The axis turns logarithmic when one bar is more than 100 times the other. (Channels are built
    from keyword arguments, not "field:Q" shorthands: parsing shorthands made a redraw ten times
    slower, and the comparator redraws on every keystroke.)

    >>> spec = comparison_chart(compare("aluminium", "car"), "MJ").to_dict()
    >>> spec["title"]["text"]
    ['Producing 1 t of aluminium uses the energy of 1.56', 'cars.']
    """
    if not isinstance(result, Comparison):
        raise TypeError(f"result must be a Comparison from energy.compare, got {type(result).__name__}")
    target = _energy_unit(unit)
    frame = _frame(frame)
    symbol = f"{target:~P}"
    labels = dict(zip(frame["id"], frame["label"]))
    values = [result.energy_a.to(target).magnitude, result.energy_b.to(target).magnitude]
    source = pd.DataFrame({
        "side": [f"A: {labels.get(result.a, 'your quantity')}", f"B: {labels.get(result.b, 'your quantity')}"],
        "energy": values,
        "shown": [f"{_num(v)} {symbol}" for v in values],
    })
    big = max(result.ratio, 1 / result.ratio) > 100
    x = alt.X(field="energy", type="quantitative", title=f"energy, {symbol}" + (" (log scale)" if big else ""),
              scale=alt.Scale(type="log") if big else alt.Scale(zero=True),
              axis=alt.Axis(values=[10.0**k for k in range(-12, 25)], labelExpr=_DECADE_LABEL) if big
              else alt.Axis(format="~s"))
    y = alt.Y(field="side", type="nominal", sort=None, title=None)
    base = alt.Chart(source)
    extra = []
    if big:  # a log axis has no zero: start the bars at the power of ten below the smaller one
        base = base.transform_joinaggregate(smallest="min(energy)").transform_calculate(
            baseline="pow(10, ceil(log(datum.smallest) / LN10) - 1)")
        extra = [alt.X2(field="baseline")]
    bars = base.mark_bar().encode(
        x, y, *extra, alt.Color(field="side", type="nominal", legend=None),
        tooltip=[alt.Tooltip(field="side", type="nominal"), alt.Tooltip(field="shown", type="nominal")],
    )
    text = base.mark_text(align="left", dx=4).encode(
        alt.X(field="energy", type="quantitative"), y, alt.Text(field="shown", type="nominal"))
    chart = charts.finish(
        alt.LayerChart(layer=[bars, text], width=420, height=120),
        title=result.sentence,
        description=f"{result.sentence} Bar A: {source['shown'][0]}; bar B: {source['shown'][1]}; "
                    f"ratio A/B = {_num(result.ratio)}.",
        source=SOURCE,
    )
    # finish() writes the title on one line; a sentence needs several to fit the chart's width.
    chart.title = alt.Title(textwrap.wrap(result.sentence, 52), subtitle=chart.title.subtitle)
    return chart


def then_and_now_chart(frame: pd.DataFrame | None = None):
    """Dots for 1975 (Table 1) and later published figures per material; missing ones say so.

    >>> then_and_now_chart().to_dict()["description"].startswith("For each material")
    True
    """
    t = then_and_now(frame)
    firsts = t.drop_duplicates("material")
    then = firsts[["label", "then"]].rename(columns={"then": "value"})
    then["figure"] = "1975: de Rosnay, Table 1"
    then["detail"] = "as printed; boundary and feedstock not stated"
    later = t.dropna(subset=["later"])
    later = pd.DataFrame({
        "label": later["label"], "value": later["later"],
        "figure": [f"{c} (grade {g})" for c, g in zip(later["cite_as"], later["grade"])],
        "detail": later["product"] + ", " + later["boundary"] + ", " + later["feedstock"] + ", " + later["convention"],
    })
    points = pd.concat([then, later], ignore_index=True)
    missing = t[t["later"].isna()][["label", "then"]].assign(text="no citable later figure")
    y = alt.Y("label:N", title=None, sort=list(firsts["label"]))
    dots = alt.Chart(points).mark_point(filled=True, size=160, opacity=0.85).encode(
        x=alt.X("value:Q", title="energy to produce, MJ per kg", scale=alt.Scale(zero=True)),
        y=y,
        color=alt.Color("figure:N", title="figure", legend=alt.Legend(orient="bottom", columns=1)),
        shape=alt.Shape("figure:N"),
        tooltip=["label:N", "figure:N", alt.Tooltip("value:Q", format=".1f", title="MJ/kg"), "detail:N"],
    )
    gaps = alt.Chart(missing).mark_text(align="left", dx=12, fontStyle="italic", color="#555").encode(
        x="then:Q", y=y, text="text:N")
    cited = "; ".join(dict.fromkeys(later["figure"].str.replace(r" \(grade (\w)\)", r", grade \1", regex=True)))
    return charts.finish(
        alt.layer(dots, gaps).properties(width=480, height=220),
        title="Then and now: energy to produce a kilogram of material",
        description=(
            "For each material of Table 1, a dot for de Rosnay's 1975 figure and dots for later published "
            "cradle-to-gate figures, in MJ per kg. " + " ".join(
                f"{label}: {_num(g['then'].iloc[0])} in 1975"
                + (", later " + ", ".join(f"{_num(v)} ({p}, {c}, grade {gr})" for v, p, c, gr in
                                          zip(g["later"], g["product"], g["cite_as"], g["grade"]))
                   if g["later"].notna().any() else ", no citable later figure") + "."
                for label, g in t.groupby("label", sort=False)
            )
        ),
        source=f"{SOURCE}; {cited}",
    )


# ---- the kernel-side comparator -----------------------------------------------------------------


@explorer
def comparator(a: str = "aluminium", b: str = "car", unit: str = "kcal") -> Explorer:
    """Pick two rows of Table 1 and how much of each: the ratio, a sentence and two bars.

    >>> box = comparator()
    >>> box.result.to_dict()["description"].split(" Bar")[0]
    'Producing 1 t of aluminium uses the energy of 1.56 cars.'
    >>> box.controls["amount_a"].value = 2
    >>> box.result.to_dict()["description"].split(" Bar")[0]
    'Producing 2 t of aluminium uses the energy of 3.12 cars.'
    """
    frame = table()
    rows = frame.set_index("id")
    options = [(str(label), str(i)) for i, label in zip(frame["id"], frame["label"])]
    for name, item in (("a", a), ("b", b)):
        _row(frame, item, name)
    _energy_unit(unit)

    def amount_control(item: str) -> w.BoundedFloatText:
        return w.BoundedFloatText(value=float(rows.loc[item, "reference_amount"]), min=1e-6, max=1e15, step=1,
                                  description="", layout=w.Layout(width="120px"))

    style = {"description_width": "initial"}
    item_a = w.Dropdown(options=options, value=a, description="A:", style=style)
    amount_a = amount_control(a)
    item_b = w.Dropdown(options=options, value=b, description="B:", style=style)
    amount_b = amount_control(b)
    units = w.Dropdown(options=[(UNIT_NAMES.get(u, u), u) for u in ENERGY_UNITS], value=unit, description="unit:",
                       style=style)

    def how_much(item: str) -> str:
        return f"amount, in {rows.loc[item, 'unit_plural']}"

    amount_a.description, amount_b.description = how_much(a), how_much(b)
    amount_a.style.description_width = amount_b.style.description_width = "initial"
    # Keep each amount's label in the unit of the row picked (registered before the Explorer's own
    # observer, so the label is right when the chart redraws).
    item_a.observe(lambda change: setattr(amount_a, "description", how_much(change["new"])), names="value")
    item_b.observe(lambda change: setattr(amount_b, "description", how_much(change["new"])), names="value")

    def update(item_a, amount_a, item_b, amount_b, unit):
        try:
            result = compare(item_a, item_b, amount_a, amount_b, frame)
        except ValueError as exc:
            return f"⚠️ {exc}"
        return comparison_chart(result, unit, frame)

    return Explorer(
        {"item_a": item_a, "amount_a": amount_a, "item_b": item_b, "amount_b": amount_b, "unit": units},
        update,
        title="Compare two rows of Table 1",
    )


# ---- the open question --------------------------------------------------------------------------

_THEMES = {
    "quality": (("quality", "exergy", "electric", "heat", "form of energy", "work"),
                "the quality of energy: a kcal of electricity can do more than a kcal of low-temperature heat"),
    "source": (("renewable", "fossil", "source", "coal", "oil", "solar", "hydro"),
               "where the energy comes from: renewable or fossil, local or imported"),
    "emissions": (("co2", "carbon", "emission", "pollut", "greenhouse", "sulph", "sulfur", "toxic"),
                  "the emissions and pollution released while producing"),
    "resources": (("water", "land", "mineral", "bauxite", "ore", "material", "biodiversity"),
                  "the other resources used up: water, land, ores"),
    "boundary": (("boundary", "transport", "recycl", "end of life", "disposal", "waste", "use phase", "cradle"),
                 "the system boundary: transport, use, recycling and disposal are left out"),
    "people": (("labour", "labor", "human", "social", "worker", "price", "money", "time", "place"),
               "human labour, time, place and social value, which energy does not price"),
}


def reflect(answer) -> None:
    """Feedback on the open question "what does a kcal figure leave out?" (not a grade).

    Prints which of six themes the answer touches and which it does not yet; the worked
    solution cell has a model answer.

    >>> reflect("It ignores CO2 emissions, and whether the fuel burnt was coal or hydro.")
    You touched on 2 of 6 themes: where the energy comes from: renewable or fossil, local or imported; the emissions and pollution released while producing.
    Also think about: the quality of energy: a kcal of electricity can do more than a kcal of low-temperature heat; the other resources used up: water, land, ores; the system boundary: transport, use, recycling and disposal are left out; human labour, time, place and social value, which energy does not price.
    """
    if not isinstance(answer, str):
        raise TypeError(f"answer must be your answer as text (a str), got {type(answer).__name__}")
    text = answer.lower()
    if not text.strip():
        print("Write a few sentences first: what does a single kilocalorie figure leave out?")
        return
    # Words match at their start ("pollut" finds "pollution"), never inside another word ("ore" in "more").
    found = {key: any(re.search(rf"\b{re.escape(word)}", text) for word in words) for key, (words, _) in _THEMES.items()}
    hit = [why for key, (_, why) in _THEMES.items() if found[key]]
    miss = [why for key, (_, why) in _THEMES.items() if not found[key]]
    print(f"You touched on {len(hit)} of {len(_THEMES)} themes: {'; '.join(hit) if hit else 'none yet'}.")
    if miss:
        print(f"Also think about: {'; '.join(miss)}.")


# ---- questions (expected answers computed from the data) -----------------------------------------


def _ratio(a: str, b: str) -> pint.Quantity:
    return Q_(compare(a, b).ratio, "dimensionless")


def _inconsistent_with(check: str, other: str) -> str:
    failed = checks().set_index("check")
    rows = [r for r in failed.loc[check, "rows"] if r != other] if check in failed.index else []
    return rows[0] if rows else ""


def _first_failing(check: str) -> str:
    c = checks()
    c = c[(c["check"] == check) & (c["verdict"] == "inconsistent")]
    return c["rows"].iloc[0][0] if len(c) else ""


_IDS = tuple(item_ids())

for _question in (
    Question(
        id="energy.aluminium_car_ratio",
        prompt="How many times the energy of producing a car does producing one tonne of aluminium take (Table 1)?",
        expected=lambda: _ratio("aluminium", "car"),
        hints=("Divide the aluminium row by the car row: both are in kcal.",
               "50×10^6 kcal / 32×10^6 kcal."),
    ),
    Question(
        id="energy.sun_day_world_year",
        prompt="How many times the world's 1974 energy consumption does the sun deliver to the Earth in one day?",
        expected=lambda: Q_(sun_day_vs_world_year(), "dimensionless"),
        hints=("The sun's row is per day; the world's row is for one year. One day of sun is simply 3.7×10^18 kcal.",
               "Divide 3.7×10^18 by 58×10^15 (mind the exponents: 10^18 / 10^15 = 1,000)."),
    ),
    Question(
        id="energy.aluminium_kwh",
        prompt="Producing one tonne of aluminium takes how many kilowatt-hours, by Table 1?",
        expected=lambda: energy_of("aluminium", unit="kWh"),
        unit="kWh",
        hints=("1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ.", "50×10^6 kcal × 4.184 kJ/kcal / 3,600 kJ/kWh."),
    ),
    Question(
        id="energy.transatlantic_litres",
        prompt="How many litres of gasoline hold the energy of one passenger's transatlantic flight? "
               "Use a published heating value, not the table's 10,000 kcal per litre.",
        expected=lambda: energy_of("transatlantic", unit="Lge"),
        unit="Lge",
        rel_tol=0.10,
        hints=("One litre of gasoline releases about 35 MJ (higher heating value): that is the course's unit Lge.",
               "6×10^6 kcal × 4.184 kJ/kcal = 25,104 MJ; divide by about 35 MJ per litre."),
    ),
    Question(
        id="energy.food_30_years_daily",
        prompt="The table says feeding a man for 30 years takes 32×10^6 kcal. How many kcal per day is that?",
        expected=lambda: food_over_30_years()["implied_daily"],
        unit="kcal/day",
        hints=("30 years is 30 × 365.25 days.", "32×10^6 kcal / 10,957.5 days."),
    ),
    Question(
        id="energy.inconsistent_food_row",
        prompt="Which row of Table 1 contradicts the table's own 'Energy needs of a man, 2,500 kcal/day'? "
               "Answer with its id.",
        expected=lambda: _inconsistent_with("food_30_years", "man_day"),
        choices=_IDS,
        hints=("Look for another row about feeding a person, and multiply 2,500 kcal/day by its period.",),
    ),
    Question(
        id="energy.unit_slip_row",
        prompt="Which row of Table 1 is printed in a unit that cannot be right for what it measures? Answer with its id.",
        expected=lambda: _first_failing("printed_unit"),
        choices=_IDS,
        hints=("A rate (per day) only makes sense for a flow over time. Which row is an amount per thing but "
               "printed per day?",),
    ),
    Question(
        id="energy.world_food_days_per_person",
        prompt="In 1974, about how many food-days of energy did the world use per person per day? "
               "(World population 1974: about 4 billion, reported by the UN.)",
        expected=lambda: Q_(normalise("person-day", "food_day").set_index("id").loc["world_1974", "value"],
                            "food_day/day"),
        unit="food_day/day",
        rel_tol=0.05,
        hints=("Divide 58×10^15 kcal by 4×10^9 people and by 365.25 days, then by 2,500 kcal per food-day.",),
    ),
    Question(
        id="energy.car_per_tonne_mj_kg",
        prompt="Producing a 1.5 t car takes 32×10^6 kcal. How many MJ is that per kilogram of car?",
        expected=lambda: Q_(normalise("tonne", "MJ").set_index("id").loc["car", "value"], "MJ/t").to("MJ/kg"),
        unit="MJ/kg",
        hints=("First kcal per tonne of car (divide by 1.5), then 1 kcal = 4.184 kJ and 1 t = 1,000 kg.",),
    ),
):
    register(_question)
