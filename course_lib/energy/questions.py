"""The exercises of notebook 01 (expected answers computed from Table 1) and its open question.

>>> from course_lib.exercises import evaluate
>>> evaluate("energy.aluminium_car_ratio", 1.5625).correct
True
"""

from __future__ import annotations

import re

import pint

from .. import checks
from ..exercises import Question, register
from ..units import Q_
from .consistency import checks as table_checks
from .consistency import normalise
from .model import compare, energy_of, food_over_30_years, item_ids, sun_day_vs_world_year

__all__ = ["reflect"]

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


def reflect(answer: str) -> None:
    """Feedback on the open question "what does a kcal figure leave out?" (not a grade).

    Prints which of six themes the answer touches and which it does not yet; the worked
    solution cell has a model answer.

    >>> reflect("It ignores CO2 emissions, and whether the fuel burnt was coal or hydro.")
    You touched on 2 of 6 themes: where the energy comes from: renewable or fossil, local or imported; the emissions and pollution released while producing.
    Also think about: the quality of energy: a kcal of electricity can do more than a kcal of low-temperature heat; the other resources used up: water, land, ores; the system boundary: transport, use, recycling and disposal are left out; human labour, time, place and social value, which energy does not price.
    >>> reflect(42)
    Traceback (most recent call last):
    ...
    TypeError: answer must be text, got 42 of type int
    """
    text = checks.text(answer, "answer", allow_empty=True).lower()
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
    failed = table_checks()
    failed = failed[(failed["check"] == check) & (failed["verdict"] == "inconsistent")]
    rows = [r for ids in failed["rows"] for r in ids if r != other]
    return rows[0] if rows else ""


def _first_failing(check: str) -> str:
    failed = table_checks()
    failed = failed[(failed["check"] == check) & (failed["verdict"] == "inconsistent")]
    return str(failed["rows"].iloc[0][0]) if len(failed) else ""


def _world_food_days() -> pint.Quantity:
    per_person = normalise("person-day", "food_day").set_index("id")
    return Q_(float(per_person.loc["world_1974", "value"]), "food_day/day")


def _car_mj_per_kg() -> pint.Quantity:
    per_tonne = normalise("tonne", "MJ").set_index("id")
    return Q_(float(per_tonne.loc["car", "value"]), "MJ/t").to("MJ/kg")


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
        expected=_world_food_days,
        unit="food_day/day",
        rel_tol=0.05,
        hints=("Divide 58×10^15 kcal by 4×10^9 people and by 365.25 days, then by 2,500 kcal per food-day.",),
    ),
    Question(
        id="energy.car_per_tonne_mj_kg",
        prompt="Producing a 1.5 t car takes 32×10^6 kcal. How many MJ is that per kilogram of car?",
        expected=_car_mj_per_kg,
        unit="MJ/kg",
        hints=("First kcal per tonne of car (divide by 1.5), then 1 kcal = 4.184 kJ and 1 t = 1,000 kg.",),
    ),
):
    register(_question)
