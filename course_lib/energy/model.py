"""Table 1 as numbers: its rows in any energy unit, two rows compared, then and now (pandas and pint).

>>> round(energy_of("aluminium", unit="kWh"))
<Quantity(58111, 'kilowatt_hour')>
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pint

from .. import checks, data, formats
from ..units import ENERGY_UNITS, Q_
from . import _table
from ._table import ENERGY, POWER, REFERENCE, TABLE, THEN_AND_NOW

__all__ = [
    "TABLE", "REFERENCE", "THEN_AND_NOW", "SOURCE", "UNIT_NAMES", "PER",
    "table", "unit_factors", "convert_table", "as_printed", "energy_of", "with_value",
    "Comparison", "compare", "sun_day_vs_world_year", "food_over_30_years", "then_and_now",
]

#: The short source line under Table 1 charts (the datasets' own citations are longer).
SOURCE = "de Rosnay (1975), Le Macroscope, Table 1 as reproduced in Wong-Swanson (2005)"

N_ = str  # marks a message for the catalogue; menus translate it when they show it (i18n._)
#: Plain names of the course's energy units, for menus and sentences (English; shown through i18n._).
UNIT_NAMES = {
    "kJ": N_("kilojoules (kJ)"),
    "kcal": N_("kilocalories (kcal)"),
    "MJ": N_("megajoules (MJ)"),
    "kWh": N_("kilowatt-hours (kWh)"),
    "food_day": N_("food-days"),
    "Lge": N_("litres of gasoline equivalent (Lge)"),
    "GJ": N_("gigajoules (GJ)"),
    "toe": N_("tonnes of oil equivalent (toe)"),
}

#: What :func:`~course_lib.energy.normalise` can divide by.
PER = ("tonne", "day", "person", "person-day")


# ---- the table and its units --------------------------------------------------------------------


def table() -> pd.DataFrame:
    """Table 1 as a DataFrame (a fresh copy; ``.attrs`` carries title, sources and units).

    >>> len(table()), table().attrs["units"]["value_kcal"]
    (13, 'kcal')
    """
    return data.load(TABLE)


def _per_kcal(unit: str) -> float:
    return float(Q_(1, "kcal").to(unit).magnitude)


def unit_factors(units: Iterable[str] = ENERGY_UNITS) -> pd.DataFrame:
    """How many of each unit make one kilocalorie: the factors behind every conversion.

    Columns: ``unit``, ``symbol``, ``name``, ``per_kcal`` (units in 1 kcal) and ``kcal`` (kcal in 1 unit).

    >>> f = unit_factors().set_index("unit")
    >>> float(f.loc["kJ", "per_kcal"]), round(f.loc["toe", "kcal"])
    (4.184, 10006692)
    """
    rows = []
    for unit in checks.names(units, "units", allow_empty=False):
        checked = _table.energy_unit(unit, "units")
        factor = _per_kcal(unit)
        rows.append({"unit": unit, "symbol": f"{checked:~P}", "name": UNIT_NAMES.get(unit, unit),
                     "per_kcal": factor, "kcal": 1 / factor})
    return pd.DataFrame(rows)


def convert_table(unit: str = "MJ", frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 1 with every value in ``unit``, in columns ``value`` and ``unit`` (plus ``per``).

    ``frame`` defaults to Table 1 (values read from ``value_kcal``). A frame that already has
    ``value`` and ``unit`` columns (the output of this function) is converted from those, so
    conversions chain and round-trip.

    >>> mj = convert_table("MJ")
    >>> mj.loc[mj["id"] == "aluminium", ["value", "unit", "per"]].values.tolist()
    [[209200.0, 'MJ', 'per t']]
    """
    target = _table.energy_unit(unit)
    attrs = _table.attrs_of(frame)
    light = _table.bare(frame)
    if {"value", "unit"} <= set(light.columns):
        values = light["value"].astype("float64")
        sources = light["unit"].astype(str)
    else:
        values = light["value_kcal"].astype("float64")
        sources = pd.Series("kcal", index=light.index)
    bad = light.loc[~values.map(math.isfinite) | (values < 0), "id"].tolist()
    if bad:
        raise ValueError(f"frame has missing, infinite or negative values in rows {bad}: energies must be >= 0")
    factors = {u: float(Q_(1, _table.energy_unit(u, "frame['unit']")).to(target).magnitude) for u in sources.unique()}
    out = light.copy()
    out["value"] = values * sources.map(factors)
    out["unit"] = unit
    out["per"] = [_table.per_text(entry) for _, entry in light.iterrows()]
    out.attrs = {**attrs, "units": {**attrs.get("units", {}), "value": unit}}
    return out


def as_printed(item: str, frame: pd.DataFrame | None = None) -> pint.Quantity:
    """Row ``item`` as the article prints it, unit and all ("Kcal/day" stays a rate).

    >>> as_printed("gasoline_litre")
    <Quantity(10000.0, 'kilocalorie / day')>
    """
    entry = _table.row(_table.bare(frame, (*_table.BASIC, "unit_printed")), item)
    return Q_(float(entry["value_kcal"]), str(entry["unit_printed"]).lower())


def energy_of(item: str, amount: Any = None, unit: str = "kcal", frame: pd.DataFrame | None = None) -> pint.Quantity:
    """The energy of ``amount`` of row ``item``, in ``unit``.

    ``amount`` is a number in the row's own unit (tonnes, days, years, litres, cars, passenger
    trips; default: the amount the table prints, e.g. 30 years) or a pint Quantity of the same kind.

    >>> energy_of("man_day", Q_(1, "year"))
    <Quantity(913125.0, 'kilocalorie')>
    """
    target = _table.energy_unit(unit)
    entry = _table.row(_table.bare(frame), item)
    size = _table.amount(entry, amount, "amount")
    return Q_(float(entry["value_kcal"]) * size / float(entry["reference_amount"]), "kcal").to(target)


def with_value(item: str, value: Any, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of Table 1 (or of ``frame``) with the energy of row ``item`` changed to ``value``.

    ``value`` is the row's energy for the amount the table prints (a day, a tonne, a car, 30 years),
    as a number of kcal or a pint energy. The clean value and the printed value both change, so every
    function of the topic (comparisons, normalising, power, the consistency checks and the table's ⚠
    marks) follows the new figure; the original table is left as it was.

    >>> mine = with_value("man_day", 2000)
    >>> float(energy_of("man_day", frame=mine).magnitude), mine.set_index("id").loc["man_day", "value_printed"]
    (2000.0, '2,000')
    """
    attrs = _table.attrs_of(frame)
    source = _table.bare(None, _table.BASIC) if frame is None else checks.frame(frame, "frame", _table.BASIC)
    _table.row(source, item)
    kcal = checks.magnitude(value, "value", "kcal", minimum=0, inclusive=False)
    out = source.copy()
    where = out["id"] == item
    out.loc[where, "value_kcal"] = kcal
    if "value_printed" in out.columns:
        out.loc[where, "value_printed"] = formats.number(kcal)
    out.attrs = attrs
    return out


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


@dataclass(frozen=True)
class _Side:
    """One side of a comparison: its id, energy (kcal), words, and how to write an amount of it."""

    id: str
    energy: pint.Quantity
    subject: str
    verb: str
    object_text: Callable[[float], str]
    size: float


def _side(frame: pd.DataFrame, item: Any, amount: Any, name: str) -> _Side:
    if isinstance(item, pint.Quantity):
        if amount is not None:
            raise ValueError(f"amount_{name} must be None when {name} is already a quantity ({formats.quantity(item)})")
        if item.dimensionality != ENERGY:
            hint = " Multiply it by a duration first." if item.dimensionality == POWER else ""
            raise ValueError(
                f"{name}={formats.quantity(item)} is {checks.dimension_words(item)}, not an energy: "
                f"only energies compare.{hint}"
            )
        size = _table.positive(item, name, str(item.units), "an energy > 0")
        symbol = formats.unit(item)
        return _Side("quantity", Q_(size, item.units).to("kcal"), f"{formats.number(size, digits=3)} {symbol}", "is",
                     lambda n: f"{formats.number(n, digits=3)} {symbol}", size)
    if not isinstance(item, str):
        raise TypeError(
            f"{name} must be a row id of Table 1 (str) or a pint energy, got {item!r} of type {type(item).__name__}"
        )
    entry = _table.row(frame, item, name)
    size = _table.amount(entry, amount, f"amount_{name}")
    energy = Q_(float(entry["value_kcal"]) * size / float(entry["reference_amount"]), "kcal")
    subject = str(entry["subject_phrase"]).format(amount=_table.amount_text(entry, size))
    return _Side(item, energy, subject, str(entry["verb"]),
                 lambda n: str(entry["object_phrase"]).format(amount=_table.amount_text(entry, n)), size)


def compare(a: str | pint.Quantity, b: str | pint.Quantity, amount_a: Any = None, amount_b: Any = None,
            frame: pd.DataFrame | None = None) -> Comparison:
    """Compare the energy of ``amount_a`` of row ``a`` with ``amount_b`` of row ``b``.

    ``a`` and ``b`` are row ids of Table 1 (or pint energies such as ``Q_(10, "kWh")``); amounts
    default to what the table prints and follow :func:`energy_of`. ``ratio`` is energy a / energy
    b; ``equivalent_b`` is how much of ``b`` has the energy of ``a``.

    >>> print(compare(Q_(10, "kWh"), "man_day"))
    10 kWh is the energy of feeding one person for 3.44 days.
    """
    light = _table.bare(frame, (*_table.BASIC, *_table.PHRASES))
    side_a = _side(light, a, amount_a, "a")
    side_b = _side(light, b, amount_b, "b")
    ratio = float(side_a.energy.magnitude / side_b.energy.magnitude)
    equivalent = ratio * side_b.size
    subject = side_a.subject
    sentence = f"{subject[0].upper()}{subject[1:]} {side_a.verb} the energy of {side_b.object_text(equivalent)}."
    return Comparison(side_a.id, side_b.id, side_a.energy, side_b.energy, ratio, equivalent, sentence)


def sun_day_vs_world_year(frame: pd.DataFrame | None = None) -> float:
    """How many times the world's 1974 energy consumption the sun delivers to the Earth in one day.

    >>> round(sun_day_vs_world_year())
    64
    """
    light = _table.bare(frame, (*_table.BASIC, *_table.PHRASES))
    _table.needed_row(light, "sun")
    _table.needed_row(light, "world_1974")
    return compare("sun", "world_1974", Q_(1, "day"), Q_(1, "year"), light).ratio


def food_over_30_years(frame: pd.DataFrame | None = None) -> dict[str, Any]:
    """The table's "2,500 kcal/day" over 30 years, against its own "32×10^6 kcal for 30 years".

    Returns ``daily`` and ``years`` (the two printed inputs), ``from_daily`` (2,500 kcal/day ×
    30 years of 365.25 days), ``printed``,
    ``implied_daily`` (printed / 30 years) and ``relative_difference`` (printed / from_daily - 1).

    >>> f = food_over_30_years()
    >>> formats.quantity(f["from_daily"], 3), formats.quantity(f["implied_daily"], 3)
    ('2.74×10^7 kcal', '2,920 kcal/day')
    """
    light = _table.bare(frame)
    thirty = _table.needed_row(light, "man_30_years")
    daily = _table.needed_row(light, "man_day")
    years = Q_(float(thirty["reference_amount"]), str(thirty["amount_unit"]))
    from_daily = energy_of("man_day", years, "kcal", light)
    printed = Q_(float(thirty["value_kcal"]), "kcal")
    return {
        "daily": Q_(float(daily["value_kcal"]), "kcal/day"),
        "years": years,
        "from_daily": from_daily,
        "printed": printed,
        "implied_daily": (printed / years).to("kcal/day"),
        "relative_difference": float(printed.magnitude / from_daily.magnitude - 1),
    }


# ---- then and now -------------------------------------------------------------------------------


def then_and_now(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 1975 material figures of Table 1 beside later published ones, in MJ/kg.

    One row per later figure; a material with no citable later figure keeps one row with an
    empty ``later`` and ``status`` "no citable later figure" (shown as missing, never guessed).

    >>> t = then_and_now()
    >>> t.loc[t["material"] == "paper", "status"].item()
    'no citable later figure'
    """
    attrs = _table.attrs_of(frame)
    light = _table.bare(frame, (*_table.BASIC, "category", "item_mass_t"))
    later = data.load(THEN_AND_NOW)
    rows = []
    for _, material in light[light["category"] == "material"].iterrows():
        then = Q_(float(material["value_kcal"]) / float(material["item_mass_t"]), "kcal/t").to("MJ/kg").magnitude
        found = later[later["material"] == material["id"]]
        base = {"material": material["id"], "label": material["label"], "then": then, "then_year": 1975}
        if found.empty:
            rows.append({**base, "later": None, "product": "", "published": None, "cite_as": "", "grade": "",
                         "boundary": "", "feedstock": "", "convention": "", "caveat": "", "source": "",
                         "status": "no citable later figure"})
            continue
        for _, figure in found.iterrows():
            value = Q_(float(figure["value"]), str(figure["unit"])).to("MJ/kg").magnitude
            rows.append({**base, "later": value, "product": figure["product"], "published": int(figure["published"]),
                         "cite_as": figure["cite_as"], "grade": figure["grade"], "boundary": figure["boundary"],
                         "feedstock": figure["feedstock"], "convention": figure["convention"],
                         "caveat": "" if pd.isna(figure["caveat"]) else figure["caveat"], "source": figure["source"],
                         "status": "reported by (grade B): use as a range" if figure["grade"] == "B" else "cited"})
    out = pd.DataFrame(rows).astype({"then": "float64", "later": "float64", "published": "Int64"})
    out["later_over_then"] = out["later"] / out["then"]
    out.attrs = {"title": "Then and now: energy to produce materials, MJ/kg",
                 "sources": attrs.get("sources", []) + later.attrs.get("sources", []),
                 "units": {"then": "MJ/kg", "later": "MJ/kg"}}
    return out
