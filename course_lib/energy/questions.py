"""The expected answers of notebook 01's exercises (:mod:`course_lib.exercises`), from Table 1
through :func:`~course_lib.energy.energy_of`, :func:`~course_lib.energy.compare`,
:func:`~course_lib.energy.normalise`, :func:`~course_lib.energy.power_of` and
:func:`~course_lib.energy.table_checks`.

>>> from course_lib.exercises import evaluate, expected
>>> expected("energy.material_toe_predict", None), expected("energy.powers_of_ten_chart", None)
('share', '3')
>>> print(evaluate("energy.town_power_mw", "96.1 MW", student=None).message)
✅ Correct: 96.1 MW (expected 96.12 MW, within 0.5%).
"""

from __future__ import annotations

import math

import pandas as pd
import pint

from .. import data, formats
from ..units import Q_
from ..variants import Slips, Variant
from . import _table
from .consistency import gasoline_heating_value, normalise, power_of, table_checks
from .model import compare, energy_of, food_over_30_years, with_value


def _q(value: pint.Quantity, digits: int = 3) -> str:
    return formats.quantity(value, digits)


def _labels() -> dict[str, str]:
    table = _table.bare(None)
    return {str(i): str(label) for i, label in zip(table["id"], table["label"])}


def _seconds_per_day() -> str:
    return formats.number(Q_(1, "day").to("s").magnitude, 6)


# ---- Exercise 1: predict a bar of Table 1 in tonnes of oil equivalent ----------------------------

#: The answer bands of Exercise 1: the band named holds energies of at least ``low`` toe.
_BANDS = (("more", 2.0), ("same", 0.5), ("share", 0.01), ("nothing", 0.0))


def material_toe_predict(v: Variant) -> str:
    toe = float(energy_of(str(v["row"]), unit="toe").magnitude)
    return next(band for band, low in _BANDS if toe >= low)


def material_toe_predict_shows(v: Variant) -> dict[str, str]:
    return {"bar": _labels()[str(v["row"])]}


# ---- Exercise 2: powers of ten between two bars of the log chart ----------------------------------

def _pair(v: Variant) -> tuple[str, str]:
    a, _, b = str(v["pair"]).partition("/")
    return a, b


def powers_of_ten_chart(v: Variant) -> str:
    a, b = _pair(v)
    return str(round(math.log10(compare(a, b).ratio)))


def powers_of_ten_chart_slips(v: Variant) -> list[tuple[float, str]]:
    """Answers that are no count of powers of ten: the ratio itself (10^n, or as read off the chart),
    and the gridlines counted (three powers of ten each)."""
    a, b = _pair(v)
    count = int(powers_of_ten_chart(v))
    found = [(10.0**count, "ratio"), (float(compare(a, b).ratio), "ratio")]
    if count > 3 and count % 3 == 0:
        found.append((count / 3, "gridlines"))
    return found


def powers_of_ten_chart_shows(v: Variant) -> dict[str, str]:
    a, b = _pair(v)
    labels = _labels()
    return {"label_a": labels[a], "label_b": labels[b]}


# ---- Exercise 3: from a ratio per tonne to a number of cars ---------------------------------------

def _intensity(material: str) -> float:
    """The material's energy per tonne divided by the car's (Table 1's energy intensities)."""
    per_tonne = normalise("tonne", "MJ").set_index("id")["value"]
    return float(per_tonne[material] / per_tonne["car"])


def per_tonne_cars(v: Variant) -> pint.Quantity:
    return Q_(compare(str(v["material"]), "car", v.number("tonnes")).equivalent_b, "")


def _car_mass() -> float:
    """The mass of Table 1's car, in tonnes (printed in its label)."""
    return float(_table.row(_table.bare(None, (*_table.BASIC, "item_mass_t")), "car")["item_mass_t"])


def per_tonne_cars_shows(v: Variant) -> dict[str, str]:
    return {"intensity": formats.number(_intensity(str(v["material"])), 3),
            "car_mass": _q(Q_(_car_mass(), "t")), "car_mass_number": formats.number(_car_mass())}


def per_tonne_cars_slips(v: Variant) -> Slips:
    ratio_times_tonnes = _intensity(str(v["material"])) * v.number("tonnes")
    car_mass = _car_mass()
    return [(Q_(ratio_times_tonnes, ""), "per_tonne_as_item"),
            (Q_(ratio_times_tonnes * car_mass, ""), "times_car_mass")]


# ---- Exercise 4: a household's food as a power -------------------------------------------------

def _household_day(v: Variant) -> pint.Quantity:
    return v.quantity("kcal") * v.number("people")


def food_power_w(v: Variant) -> pint.Quantity:
    return (_household_day(v) / Q_(1, "day")).to("W")


def food_power_w_shows(v: Variant) -> dict[str, str]:
    return {"seconds_per_day": _seconds_per_day()}


def food_power_w_slips(v: Variant) -> Slips:
    day = _household_day(v)
    return [(Q_(day.to("kcal").magnitude, "W"), "kcal_as_watts"),
            (Q_(day.to("kWh").magnitude, "W"), "kwh"),
            (Q_(day.to("MJ").magnitude, "W"), "mj"),
            (food_power_w(v) / v.number("people"), "one_person")]


# ---- Exercise 5: a town at the world's 1974 rate --------------------------------------------------

def _people(v: Variant) -> float:
    return v.number("people")


def town_power_mw(v: Variant) -> pint.Quantity:
    return (power_of("world_1974", per_person=True) * _people(v)).to("MW")


def town_power_mw_shows(v: Variant) -> dict[str, str]:
    per_day = normalise("person-day").set_index("id").loc["world_1974", "value"]
    return {"world_energy": _q(energy_of("world_1974"), 2), "population": formats.number(_world_population(), 3),
            "per_person_day": _q(Q_(float(per_day), "kcal")), "seconds_per_day": _seconds_per_day(),
            "food_day": _q(energy_of("man_day"))}


def town_power_mw_slips(v: Variant) -> Slips:
    people = _people(v)
    per_person_year = energy_of("world_1974") / _world_population()
    days_per_year = Q_(1, "year").to("day").magnitude
    return [
        ((power_of("man_day") * people).to("MW"), "food"),
        (Q_((per_person_year * people / days_per_year).to("J").magnitude, "W").to("MW"), "per_day"),
        (power_of("world_1974").to("MW"), "whole_world"),
    ]


def _world_population() -> float:
    return float(_table.references().set_index("id").loc["world_population_1974", "low"])


# ---- Exercises 6 and 7: find the table's own errors ---------------------------------------------

def row_labels(v: Variant) -> dict[str, str]:
    """Every row's label, for the options of the data-quality exercises (they follow the data)."""
    return _labels()


def row_aliases(v: Variant) -> dict[str, list[str]]:
    """Each row's label as the article prints it ('Energy from one liter of gasoline'): a student
    reading Table 1 may name a row so."""
    table = _table.bare(None, ("id", "item"))
    return {str(i): [str(item)] for i, item in zip(table["id"], table["item"])}


def _inconsistent(check: str, frame: pd.DataFrame | None = None) -> list[str]:
    failed = table_checks(0.10, frame)
    failed = failed[(failed["check"] == check) & (failed["verdict"] == "inconsistent")]
    return [str(r) for ids in failed["rows"] for r in ids]


def unit_slip_row(v: Variant) -> str:
    return _inconsistent("printed_unit")[0]


def inconsistent_food_row(v: Variant) -> str:
    return _food_rows_failing(v.number("kcal"))


@data.cached
def _food_rows_failing(kcal: float) -> str:
    """Which food rows disagree with a daily need of ``kcal`` (Table 1 with that one row changed)."""
    changed = with_value("man_day", kcal)
    failing = {row for check in ("food_30_years", "france_food_per_person")
               for row in _inconsistent(check, changed) if row != "man_day"}
    if len(failing) == 2:
        return "both"
    return failing.pop() if failing else "neither"


def inconsistent_food_row_shows(v: Variant) -> dict[str, str]:
    france = normalise("person-day").set_index("id").loc["food_france"]
    food = food_over_30_years()
    return {**_labels(), "kcal": _q(Q_(v.number("kcal"), "kcal")),
            "france_low": _q(Q_(float(france["low"]), "kcal"), 4), "france_high": _q(Q_(float(france["high"]), "kcal"), 4),
            "printed_30": _q(food["printed"], 2), "implied_daily": _q(food["implied_daily"] * Q_(1, "day"))}


# ---- Exercise 8: a group's flights in litres of gasoline ----------------------------------------

def _litres(v: Variant, kind: str) -> pint.Quantity:
    flights = energy_of("transatlantic", v.number("passengers"), unit="MJ")
    return (flights / gasoline_heating_value(kind)).to("L")


def transatlantic_litres(v: Variant) -> pint.Quantity:
    return _litres(v, "higher")


def transatlantic_litres_shows(v: Variant) -> dict[str, str]:
    return {"higher": _q(gasoline_heating_value("higher").to("MJ/L") * Q_(1, "L")),
            "lower": _q(gasoline_heating_value("lower").to("MJ/L") * Q_(1, "L"))}


def transatlantic_litres_also(v: Variant) -> Slips:
    return [(_litres(v, "lower"), "lower")]


def transatlantic_litres_slips(v: Variant) -> Slips:
    passengers = v.number("passengers")
    table_litre = energy_of("gasoline_litre") / Q_(1, "L")
    return [((energy_of("transatlantic", passengers) / table_litre).to("L"), "table_litre"),
            (_litres(v, "higher") / passengers, "one_passenger")]


# ---- Exercise 9: the reflection names the student's material and another row -------------------

def what_kcal_leaves_out_shows(v: Variant) -> dict[str, str]:
    return {"kcal": _q(energy_of(str(v["material"])), 2), "other": _labels()[str(v["other"])]}


# ---- Exercise 10 (model): the student's daily need in Table 1, and the checks that follow ---------

def _gap(kcal: float) -> pint.Quantity:
    """The gap of the check 'food_30_years' once the daily need is ``kcal``: the check compares the printed
    30-year figure with 30 years of the daily need (:func:`~course_lib.energy.food_over_30_years`)."""
    return Q_(100 * food_over_30_years(with_value("man_day", kcal))["relative_difference"], "percent")


def daily_need_check(v: Variant) -> pint.Quantity:
    return _gap(v.number("kcal"))


def daily_need_check_shows(v: Variant) -> dict[str, str]:
    return {"printed_30": _q(food_over_30_years()["printed"], 2)}


def daily_need_check_slips(v: Variant) -> Slips:
    share = daily_need_check(v).to("").magnitude
    return [(_gap(float(energy_of("man_day").magnitude)), "table_need"),
            (Q_(100 * (1 / (1 + share) - 1), "percent"), "other_way"),
            (Q_(1 + share, "percent"), "ratio")]  # the bare ratio, read in percent
