"""Table 1 against itself and against later published figures: normalisation, power, checks.

>>> inconsistencies()["id"].tolist()
['man_30_years', 'man_day', 'gasoline_litre']
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import pandas as pd
import pint

# styled_table returns a Styler: load pandas' Styler (and its jinja2 templates) with this module, as
# the rest of its imports, rather than in the middle of the notebook's first table.
from pandas.io.formats.style import Styler

from .. import checks as validate
from .. import data, formats
from ..i18n import _, language
from ..units import Q_, ureg
from . import _table
from ._table import REFERENCE, TIME
from .model import PER, SOURCE, food_over_30_years

__all__ = [
    "HEATING_VALUES", "reference_values", "gasoline_heating_value", "normalise", "power_of", "table_checks",
    "inconsistencies", "styled_table",
]

#: The two heating values of a fuel: "lower" (net, the water formed leaves as vapour) and "higher"
#: (gross, the heat of that water condensing is counted too). The course's unit Lge is the higher one.
HEATING_VALUES = ("lower", "higher")

# Everything the checks read: the columns of compare()'s sentences and of the table as printed.
_CHECKED = (*_table.BASIC, *_table.PHRASES, *_table.PRINTED)


def reference_values() -> pd.DataFrame:
    """The published figures Table 1 is checked against (``datasets/energy_reference_values.csv``).

    >>> float(reference_values().set_index("id").loc["world_population_1974", "low"])
    4000000000.0
    """
    return data.load(REFERENCE)


def gasoline_heating_value(kind: str = "higher") -> pint.Quantity:
    """The energy released by burning one litre of gasoline, in MJ per litre.

    ``kind`` is ``"higher"`` (the course's convention, the unit ``Lge``: it counts the heat given
    back when the water formed in burning condenses) or ``"lower"`` (that heat left out; the
    convention of energy statistics and of the tonne of oil equivalent). Both come from
    ``datasets/energy_reference_values.csv``, row ``gasoline_heating_value``.

    >>> gasoline_heating_value(), gasoline_heating_value("lower")
    (<Quantity(35.2, 'megajoule / liter')>, <Quantity(33.2, 'megajoule / liter')>)
    """
    validate.choice(kind, "kind", HEATING_VALUES)
    low, high, _ = _reference("gasoline_heating_value")
    return (low if kind == "lower" else high).to("MJ/L")


def _reference(name: str) -> tuple[pint.Quantity, pint.Quantity, pd.Series]:
    refs = _table.references().set_index("id")
    entry = refs.loc[name]
    unit = str(entry["unit"])
    return Q_(float(entry["low"]), unit), Q_(float(entry["high"]), unit), entry


@data.cached
def _populations() -> dict[str, tuple[float, float, str]]:
    """Row id -> (low, high, source note) of every published population, read once per data folder."""
    refs = _table.references()
    found: dict[str, tuple[float, float, str]] = {}
    for _, entry in refs[refs["unit"] == "count"].iterrows():
        found.setdefault(str(entry["compares_with"]), (
            float(entry["low"]), float(entry["high"]), f"{entry['basis']} (grade {entry['grade']}): {entry['quantity']}"))
    return found


_PER_WORDS = {"tonne": "per tonne", "day": "per day", "person": "per person", "person-day": "per person per day"}


def _divisors(entry: pd.Series, per: str, notes: list[str]) -> tuple[float, float] | str:
    """What to divide the row's energy by for the lowest and highest value, or why it cannot be."""
    if per == "tonne":
        mass = entry.get("item_mass_t")
        if pd.notna(mass) and mass > 0:
            notes.append(f"seed: printed mass {formats.number(float(mass), digits=3)} t")
            return float(mass), float(mass)
        return "no mass printed for this row"
    people = None
    if per in ("person", "person-day"):
        persons = entry.get("persons")
        if pd.notna(persons) and persons > 0:
            people = (float(persons), float(persons))
            notes.append("seed: printed for one person")
        else:
            population = _populations().get(str(entry["id"]))
            if population is None:
                return "the table gives no number of people for this row"
            people = population[:2]
            notes.append(population[2])
    low, high = (people[1], people[0]) if people is not None else (1.0, 1.0)  # more people -> less each
    if per in ("day", "person-day"):
        unit = _table.amount_unit(entry)
        if unit is None or ureg.Unit(unit).dimensionality != TIME:
            return "not a flow over time: there is nothing to divide by days"
        days = float(Q_(float(entry["reference_amount"]), unit).to("day").magnitude)
        notes.append(f"over {formats.number(days, digits=6)} {'day' if days == 1 else 'days'}")
        low, high = low * days, high * days
    return low, high


def normalise(per: str = "tonne", unit: str = "kcal", frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every row of Table 1 divided by a common denominator: ``per`` is one of :data:`PER`.

    * ``"tonne"``: rows with a printed mass (the five materials, the 1.5 t car);
    * ``"day"``: rows that are flows over time (the sun, the world, France, the man);
    * ``"person"``: rows for a number of people (printed, or a published population for the
      world and France, grade in ``denominator``), over the row's own period;
    * ``"person-day"``: per person and per day.

    Rows that cannot be divided stay in the frame with an empty ``value`` and the reason in
    ``missing``. Population ranges give ``low`` and ``high``; ``value`` is their midpoint.

    >>> d = normalise("person-day").set_index("id")
    >>> formats.number(d.loc["food_france", "low"], 4), formats.number(d.loc["food_france", "high"], 4)
    ('2,317', '2,382')
    """
    validate.choice(per, "per", PER)
    target = _table.energy_unit(unit)
    if frame is None:  # Table 1 itself: computed once per data folder (notebook 01 asks 13 times)
        return _shipped_normalised(per, unit).copy()
    return _normalise(per, unit, target, frame)


@data.cached
def _shipped_normalised(per: str, unit: Any) -> pd.DataFrame:
    """:func:`normalise` of the shipped Table 1 (cached: copy before handing it out)."""
    return _normalise(per, unit, _table.energy_unit(unit), None)


def _normalise(per: str, unit: Any, target: pint.Unit, frame: pd.DataFrame | None) -> pd.DataFrame:
    attrs = _table.attrs_of(frame)
    light = _table.bare(frame)
    factor = float(Q_(1, "kcal").to(target).magnitude)
    rows = []
    for _, entry in light.iterrows():
        energy = float(entry["value_kcal"])
        notes: list[str] = []
        divisors = _divisors(entry, per, notes)
        label = _PER_WORDS[per]
        if isinstance(divisors, str):
            values: dict[str, float | None] = {"value": None, "low": None, "high": None}
        else:
            low, high = energy / divisors[0], energy / divisors[1]
            values = {"value": (low + high) / 2 * factor, "low": low * factor, "high": high * factor}
            unit_of_row = _table.amount_unit(entry)
            if per == "person" and unit_of_row is not None and ureg.Unit(unit_of_row).dimensionality == TIME:
                label = f"per person, {_table.per_text(entry)}"
        rows.append({"id": entry["id"], "label": entry["label"], **values, "per": f"{unit} {label}",
                     "denominator": "; ".join(notes), "missing": divisors if isinstance(divisors, str) else ""})
    out = pd.DataFrame(rows).astype({"value": "float64", "low": "float64", "high": "float64"})
    out.attrs = {"title": f"Table 1, {unit} per {per}", "sources": attrs.get("sources", []),
                 "units": {"value": f"{unit} {per}"}}
    return out


def power_of(item: str, unit: str = "W", per_person: bool = False, frame: pd.DataFrame | None = None) -> pint.Quantity:
    """Row ``item`` as a power: its energy divided by the time it is spread over, in ``unit``.

    Only rows that are flows over time have a power (the sun per day, the world per year, a
    person's food per day or over 30 years); an amount of energy per thing (a tonne of
    aluminium, a car) has none. ``per_person=True`` divides by the number of people the row is
    for (printed, or the published population of :func:`normalise`, midpoint of its range).

    >>> round(power_of("world_1974", "TW"), 2)
    <Quantity(7.69, 'terawatt')>
    """
    target = validate.unit(unit, "unit", like="W")
    flag = validate.flag(per_person, "per_person")
    per = "person-day" if flag else "day"
    if frame is None:  # Table 1 itself: its flows per day, computed once per data folder
        rows = _shipped_flows(per)
        validate.choice(item, "item", [str(i) for i in rows.index])
    else:
        light = _table.bare(frame)
        _table.row(light, item)
        rows = normalise(per, "kcal", light).set_index("id")
    entry = rows.loc[item]
    if pd.isna(entry["value"]):
        having = ", ".join(repr(i) for i in rows.index[rows["value"].notna()])
        raise ValueError(f"item={item!r} has no power: {entry['missing']}. A power is an energy per unit of time; "
                         f"rows that have one: {having}")
    return Q_(float(entry["value"]), "kcal/day").to(target)


@data.cached
def _shipped_flows(per: str) -> pd.DataFrame:
    """Table 1 per ``per`` in kcal, indexed by id, without attrs (internal: read only)."""
    rows = _shipped_normalised(per, "kcal").set_index("id")
    rows.attrs = {}
    return rows


def _gap(stated: float, low: float, high: float) -> float:
    """0 inside [low, high]; else the relative distance to the nearest end."""
    if low <= stated <= high:
        return 0.0
    return (stated - high) / high if stated > high else (stated - low) / low


def table_checks(tolerance: float = 0.10, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every consistency check on Table 1: within itself and against published figures.

    Columns: ``check``, ``rows`` (the ids involved), ``stated`` and ``expected_low``/``high`` (in
    ``unit``), ``gap`` (0 inside the expected range, else the relative distance to it),
    ``verdict`` (``consistent``, ``inconsistent`` or ``unclear``) and ``explanation``. A gap
    within ``tolerance`` (a share: 0.10 means 10 %) counts as consistent: the table's figures
    carry one or two digits.

    >>> c = table_checks().set_index("check")
    >>> c.loc["food_30_years", "verdict"], round(float(c.loc["food_30_years", "gap"]), 3)
    ('inconsistent', 0.168)
    """
    share = validate.share(tolerance, "tolerance")
    light = _table.bare(frame, _CHECKED)
    # The checks are pure in the table's values: remember them by content (Table 1 itself too), so
    # the exercise checks and the notebook's cells do not recompute them (a changed table gives a new key).
    key = (share, str(data.data_dir()), int(pd.util.hash_pandas_object(light, index=True).sum()), language())
    if key not in _CHECKS:
        if len(_CHECKS) > 16:
            _CHECKS.clear()
        _CHECKS[key] = _checks(share, light)
    return _CHECKS[key].copy()


_CHECKS: dict[tuple[float, str, int, str], pd.DataFrame] = {}  # the explanations are in the course language


def _checks(tolerance: float, frame: pd.DataFrame) -> pd.DataFrame:
    rows = []

    def add(check: str, ids: list[str], stated: float | None, low: float | None, high: float | None, unit: str,
            explanation: str, verdict: str | None = None) -> None:
        gap = _gap(stated, low, high) if stated is not None and low is not None and high is not None else float("nan")
        if verdict is None:
            verdict = "consistent" if abs(gap) <= tolerance else "inconsistent"
        rows.append({"check": check, "rows": tuple(ids), "stated": stated, "expected_low": low,
                     "expected_high": high, "unit": unit, "gap": gap, "verdict": verdict,
                     "explanation": explanation})

    def num(x: float) -> str:
        return formats.number(x, digits=3)

    # 1. A printed rate must belong to a row that is a flow over time, and a flow should say so.
    for _row, entry in frame.iterrows():
        printed_rate = "/" in str(entry["unit_printed"])
        period = entry["period"]
        if printed_rate and (pd.isna(period) or period == ""):
            add("printed_unit", [entry["id"]], None, None, None, str(entry["unit_printed"]),
                _("'{item}' is printed in {unit}, a rate, but it is an amount of energy "
                  "per {per}: the '/day' cannot be right.").format(item=entry["item"], unit=entry["unit_printed"],
                                                                   per=entry["reference_unit"]), "inconsistent")
        elif not printed_rate and pd.notna(period) and period != "":
            add("printed_unit", [entry["id"]], None, None, None, str(entry["unit_printed"]),
                _("'{item}' is printed in {unit} with no period; the course reads it as one "
                  "{period}.").format(item=entry["item"], unit=entry["unit_printed"], period=period), "unclear")

    # 2. Feeding a man: 30 years at the table's own daily need vs the printed 30-year figure.
    food = food_over_30_years(frame)
    add("food_30_years", ["man_day", "man_30_years"], food["printed"].magnitude, food["from_daily"].magnitude,
        food["from_daily"].magnitude, "kcal",
        _("{daily} kcal/day for {years} years is {from_daily}, but the table prints {printed}: that implies "
          "{implied}.").format(daily=num(food["daily"].magnitude), years=num(food["years"].magnitude),
                               from_daily=formats.quantity(food["from_daily"], 3), printed=formats.quantity(food["printed"], 3),
                               implied=formats.quantity(food["implied_daily"], 3)))

    # 3. Gasoline: the printed 10,000 kcal per litre vs published heating values.
    gas = _table.needed_row(frame, "gasoline_litre")
    low_q, high_q, ref = _reference("gasoline_heating_value")
    low, high = low_q.to("kcal/L").magnitude, high_q.to("kcal/L").magnitude
    add("gasoline_heating_value", ["gasoline_litre"], float(gas["value_kcal"]) / float(gas["reference_amount"]),
        low, high, "kcal/L",
        _("Published heating values of gasoline are {low}-{high} kcal per litre, from the lower to the higher heating "
          "value ({basis}, grade {grade}); the table prints {printed}.").format(
            low=num(low), high=num(high), basis=ref["basis"], grade=ref["grade"], printed=num(float(gas["value_kcal"]))))

    # 4. The sun: irradiance × the Earth's cross-section × one day.
    sun = _table.needed_row(frame, "sun")
    s_low, s_high, s_ref = _reference("solar_irradiance")
    r_low, r_high, _radius = _reference("earth_mean_radius")
    day = Q_(1, "day")
    e_low = (s_low * math.pi * r_low**2 * day).to("kcal").magnitude
    e_high = (s_high * math.pi * r_high**2 * day).to("kcal").magnitude
    add("sun_power", ["sun"], float(sun["value_kcal"]), e_low, e_high, "kcal",
        _("Solar irradiance × π × Earth radius² × 1 day = {low}-{high} kcal at the top of the atmosphere "
          "({basis}, grade {grade}).").format(low=num(e_low), high=num(e_high), basis=s_ref["basis"], grade=s_ref["grade"]))

    # 5. France: food per person per day vs the table's 2,500 kcal/day.
    per_day = normalise("person-day", "kcal", frame).set_index("id")
    if "food_france" in per_day.index and pd.notna(per_day.loc["food_france", "value"]):
        man_day = float(_table.needed_row(frame, "man_day")["value_kcal"])
        f_low, f_high = float(per_day.loc["food_france", "low"]), float(per_day.loc["food_france", "high"])
        add("france_food_per_person", ["food_france", "man_day"], man_day, f_low, f_high, "kcal/day",
            _("France's food divided by its population is {low}-{high} kcal per person per day, "
              "close to the table's {need} kcal/day need.").format(low=num(f_low), high=num(f_high), need=num(man_day)))

    # 6. Two different things with exactly the same printed value deserve a second look.
    for value, group in frame.groupby("value_kcal"):
        if len(group) > 1:
            add("same_value", list(group["id"]), None, None, None, "kcal",
                _("{items} print the same value ({value} kcal): a coincidence or a copying slip?").format(
                    items=_(" and ").join(repr(i) for i in group["item"]), value=num(float(value))), "unclear")
    return pd.DataFrame(rows)


def inconsistencies(tolerance: float = 0.10, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of Table 1 that fail a check of :func:`table_checks`, with the ``problem`` in words.

    Both rows of a pair that disagree are returned: the table cannot tell which one is wrong.

    >>> inconsistencies()["id"].tolist()
    ['man_30_years', 'man_day', 'gasoline_litre']
    """
    attrs = _table.attrs_of(frame)
    light = _table.bare(frame, _CHECKED)
    failed = table_checks(tolerance, light)
    failed = failed[failed["verdict"] == "inconsistent"]
    problems: dict[str, list[str]] = {}
    for _, check in failed.iterrows():
        for item in check["rows"]:
            problems.setdefault(item, []).append(check["explanation"])
    out = light[light["id"].isin(problems)].copy()
    out["problem"] = out["id"].map(lambda i: " ".join(problems[i]))
    out.attrs = attrs
    return out


def styled_table(frame: pd.DataFrame | None = None, notes: bool = True) -> Styler:
    """Table 1 as printed, for reading: printed value and unit, kilocalories, notes; source as caption.

    Rows that fail a check of :func:`inconsistencies` are marked ⚠ and shaded. ``notes=False`` shows the
    table as the article prints it, without the course's notes and marks (notebook 01 shows it so
    before its exercises ask the student to find the table's errors). The styler has a fixed id, so the
    stored notebook does not change from one run to the next.

    >>> "note" in styled_table(notes=False).data.columns
    False
    """
    validate.flag(notes, "notes")
    light = _table.bare(frame, (*_CHECKED, "note"))
    flagged = set(inconsistencies(frame=light)["id"]) if notes else set()
    shown = light[["id", "item", "value_printed", "unit_printed", "value_kcal", "note"]].copy()
    shown["note"] = shown["note"].fillna("")
    kcal, note = _("kcal (clean)"), _("note")
    shown = shown.rename(columns={"value_printed": _("printed value"), "unit_printed": _("printed unit"), "value_kcal": kcal})
    if not notes:
        shown = shown.drop(columns="note")

    # Flagged rows are marked in words (a sign before the item), not by their shade alone, and the
    # shade sets its own dark text so that it keeps its contrast in JupyterLab's dark theme too.
    shown["item"] = [f"⚠ {item}" if row_id in flagged else item for row_id, item in zip(shown["id"], shown["item"])]

    def shade(entry: pd.Series) -> list[str]:
        colour = "background-color: #fde8d7; color: #1b1b1b" if entry["id"] in flagged else ""
        return [colour] * len(entry)

    caption = (_("Source: {source}. Rows marked ⚠ (shaded) fail a consistency check (see the data-quality section).")
               if notes else _("Source: {source}. As printed, with the course's value in kilocalories; the course's "
                               "notes on each row come later.")).format(source=SOURCE)
    styler = (
        shown.style.set_uuid(_uuid(frame, notes, light))
        .apply(shade, axis=1)
        .format({kcal: "{:,.0f}"})
        .hide(axis="index")
        .set_caption(caption)
    )
    if notes:
        styler = styler.set_properties(subset=["note"], **{"text-align": "left", "max-width": "28em"})
    # Headings in the course language last: the code above names the columns by their English keys.
    return styler.relabel_index([{"id": "id", "item": _("item"), "note": note}.get(c, c) for c in shown.columns], axis=1)


def _uuid(frame: pd.DataFrame | None, notes: bool, light: pd.DataFrame) -> str:
    """A fixed id for a styled table: the same on every run (the stored notebook does not change), and
    another for another table (a changed row), so that two tables in one notebook never share styles."""
    if frame is None:
        return "energy-table-1" if notes else "energy-table-1-printed"
    content = repr((notes, light[["id", "value_kcal", "unit_printed"]].to_numpy().tolist()))
    return "energy-table-" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:10]
