"""The exercises of notebook 01: expected answers, option labels and explanations from the data.

Each question says what it asks a student to do (``kind``): predict before a chart's menu shows
the answer, read a chart, confront a misconception (energy per item vs per tonne; energy vs
power), transfer a method to a new case, or reflect in a few sentences (with a rubric).

>>> from course_lib.exercises import evaluate
>>> print(evaluate("energy.aluminium_car_per_tonne", 1.5625).message)
❌ Not yet: 1.562 is 33% too low (expected within 2%).
>>> evaluate("energy.food_power_choice", "121 W").correct
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping

import pint

from .. import formats
from ..exercises import Question, register
from ..units import Q_
from . import _table
from .consistency import checks as table_checks
from .consistency import gasoline_heating_value, normalise, power_of
from .model import energy_of, item_ids

__all__: list[str] = []


def _num(x: float, digits: int = 3) -> str:
    return formats.number(x, digits=digits)


class _Live(Mapping[str, str]):
    """Option texts written from the data when they are shown, so they follow an adapted dataset."""

    def __init__(self, texts: dict[str, Callable[[], str]]) -> None:
        self._texts = texts

    def __getitem__(self, key: str) -> str:
        return self._texts[key]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def _labels() -> dict[str, str]:
    table = _table.bare(None)
    return {str(i): str(label) for i, label in zip(table["id"], table["label"])}


# ---- expected answers (computed from the data each time a question is checked) ------------------


def _petroleum_share() -> float:
    """Energy to produce a tonne of petroleum, in tonnes of oil equivalent (what a tonne holds)."""
    return float(energy_of("petroleum", unit="toe").magnitude)


def _petroleum_option() -> str:
    """(a) more than a tonne holds, (b) as much, (c) a tenth, (d) a hundredth: the nearest by Table 1."""
    share = _petroleum_share()
    if share >= 2:
        return "a"
    if share >= 0.5:
        return "b"
    return "c" if share >= 0.05 else "d"


def _powers_of_ten(a: str, b: str) -> pint.Quantity:
    return Q_(math.log10(energy_of(a).magnitude / energy_of(b).magnitude), "dimensionless")


def _per_tonne_ratio() -> pint.Quantity:
    per_tonne = normalise("tonne").set_index("id")["value"]
    return Q_(float(per_tonne["aluminium"] / per_tonne["car"]), "dimensionless")


def _litres(kind: str) -> pint.Quantity:
    return (energy_of("transatlantic", unit="MJ") / gasoline_heating_value(kind)).to("L")


def _inconsistent_with(check: str, other: str) -> str:
    failed = table_checks()
    failed = failed[(failed["check"] == check) & (failed["verdict"] == "inconsistent")]
    rows = [r for ids in failed["rows"] for r in ids if r != other]
    return rows[0] if rows else ""


def _first_failing(check: str) -> str:
    failed = table_checks()
    failed = failed[(failed["check"] == check) & (failed["verdict"] == "inconsistent")]
    return str(failed["rows"].iloc[0][0]) if len(failed) else ""


def _day_kcal() -> float:
    return float(energy_of("man_day").magnitude)


def _food_w() -> float:
    return float(power_of("man_day").magnitude)


def _food_mj() -> float:
    return float(energy_of("man_day", unit="MJ").magnitude)


def _petroleum(why: str) -> Callable[[], str]:
    return lambda: (f"{why} Table 1: producing a tonne of petroleum takes {_num(_petroleum_share(), 2)} toe, and a "
                    "tonne of oil holds about 1 toe (that is how the toe is defined).")


# ---- figures the prompts quote (read when the questions are loaded; options and explanations are
# ---- written from the data each time they are shown) ---------------------------------------------

_IDS = tuple(item_ids())
_LABELS = _labels()
_J_PER_KCAL = Q_(1, "kcal").to("J").magnitude
_SECONDS_PER_DAY = Q_(1, "day").to("s").magnitude
_POPULATION = float(_table.references().set_index("id").loc["world_population_1974", "low"])
_HHV = gasoline_heating_value("higher").magnitude
_LHV = gasoline_heating_value("lower").magnitude

REFLECTION_MODEL = (
    "A kilocalorie figure says how much energy, not which energy: a kilocalorie of electricity from coal and one "
    "of heat from wood count the same, though their quality, source and carbon dioxide differ. It leaves out the "
    "other resources used (water, land, the bauxite ore and the mines' damage to rivers) and everything outside "
    "'to produce': transport, use, recycling (which would cut aluminium's energy sharply) and disposal. It says "
    "nothing about people: labour, time, place and the social value of the product. And it is one undated, "
    "unsourced number with no boundary or convention stated, so it cannot be compared with later figures "
    "without care."
)

for _question in (
    Question(
        id="energy.petroleum_toe_predict",
        kind="predict",
        prompt="Producing a tonne of petroleum (finding, extracting and refining it) costs energy. A tonne of oil "
               "holds about 1 tonne of oil equivalent (toe). Predict, before you switch the chart's menu to toe: "
               "producing the tonne takes about (a) more energy than it holds, (b) as much as it holds, (c) a "
               "tenth of it, (d) a hundredth of it?",
        expected=_petroleum_option,
        choices=("a", "b", "c", "d"),
        labels={"a": "more than it holds", "b": "as much as it holds", "c": "a tenth of it", "d": "a hundredth of it"},
        explanations=_Live({
            "a": _petroleum("More than it holds would make oil a net loss of energy: nobody would produce it as a fuel."),
            "b": _petroleum("As much as it holds would leave nothing to gain: nobody would produce it as a fuel either."),
            "c": _petroleum("A tenth is a large cost, yet oil still gives back several times the energy spent on it."),
            "d": _petroleum("A hundredth would make producing oil almost free in energy."),
        }),
        hints=("Answer with a letter (a, b, c or d) or the option as written.",),
    ),
    Question(
        id="energy.car_food_powers_of_ten",
        kind="chart",
        prompt="On the log chart of Table 1, about how many powers of ten separate the bar 'Car of 1.5 t (1 car)' "
               "from the bar 'A man's needs (per day)'? (A number such as 2 or 3.5.)",
        expected=lambda: _powers_of_ten("car", "man_day"),
        rel_tol=0.10,
        hints=("Find where each bar ends on the axis. Each gridline is 1,000 times the one before: from one "
               "gridline to the next is three powers of ten.",
               "Count powers of ten, not the ratio itself: a ratio of 1,000 is three powers of ten."),
    ),
    Question(
        id="energy.aluminium_car_per_tonne",
        kind="misconception",
        prompt="The article says producing one tonne of aluminium is 'over 1.5 times more energy intensive' than "
               "producing an entire car. Energy intensity is energy per tonne of product. Per tonne, how many "
               "times as energy-intensive as the car is aluminium?",
        expected=_per_tonne_ratio,
        hints=("Dividing the two printed rows compares one tonne of aluminium with a whole car, which weighs more "
               "than a tonne: that is energy per item. Divide the car's energy by its mass first.",
               "Energy per tonne of aluminium, divided by the car's energy per tonne of car."),
    ),
    Question(
        id="energy.food_power_choice",
        kind="misconception",
        prompt=f"A person eats {_num(_day_kcal())} kcal a day. What is that as a power, the rate at which the "
               "body uses energy? Answer a, b, c or d (the options are in the notebook).",
        expected=lambda: "b",
        choices=("a", "b", "c", "d"),
        labels=_Live({"a": lambda: f"{_num(_day_kcal())} W", "b": lambda: f"{_num(_food_w())} W",
                      "c": lambda: f"{_num(energy_of('man_day', unit='kWh').magnitude, 2)} kWh",
                      "d": lambda: f"{_num(_food_mj(), 2)} MJ"}),
        explanations=_Live({
            "a": lambda: f"This writes watts where kilocalories per day belong. A watt is one joule per second: turn "
                         f"the kilocalories into joules (× {_num(_J_PER_KCAL, 4)}) and the day into seconds "
                         f"(÷ {_num(_SECONDS_PER_DAY, 5)}) first.",
            "b": lambda: f"{_num(_day_kcal())} kcal is {_num(_food_mj())} MJ; spread over the "
                         f"{_num(_SECONDS_PER_DAY, 5)} seconds of a day, that is {_num(_food_w())} joules every "
                         f"second: {_num(_food_w())} W.",
            "c": lambda: "That is an energy, the day's food in kilowatt-hours, not a power. A power is an energy per "
                         "unit of time: divide by the hours of the day to get kilowatts.",
            "d": lambda: "That is an energy too, the day's food in megajoules. Divide it by the seconds in a day to "
                         "get a power in watts (joules per second).",
        }),
        hints=("Answer with a letter (a, b, c or d) or the option as written.",),
    ),
    Question(
        id="energy.world_power_per_person",
        kind="transfer",
        prompt=f"In 1974 the world used {_num(energy_of('world_1974').magnitude)} kcal of energy, and there were "
               f"about {_num(_POPULATION)} people. As a power per person, in watts, how much is that?",
        expected=lambda: power_of("world_1974", per_person=True),
        unit="W",
        rel_tol=0.03,
        hints=("A watt is one joule per second: take one person's share of the year's energy, in joules, and "
               "divide it by the seconds in a year.",
               "Per person and per day the world used "
               f"{_num(float(normalise('person-day').set_index('id').loc['world_1974', 'value']))} kcal: turn it "
               "into joules and divide by the seconds in a day."),
    ),
    Question(
        id="energy.unit_slip_row",
        kind="predict",
        prompt="Which row of Table 1 is printed in a unit that cannot be right for what it measures? "
               "Answer with its id or its label.",
        expected=lambda: _first_failing("printed_unit"),
        choices=_IDS,
        labels=_LABELS,
        explanations={key: why for key, why in {
            "sun": "The sun's 'per day' is right: sunshine is a flow, energy delivered day after day.",
            "man_day": "'Per day' is right here: a person needs that much food every day.",
            "world_1974": "No period is printed for this row ('Kcal' only): unclear, but not impossible. The course "
                          "reads it as one year.",
            "food_france": "No period is printed for this row: unclear, but not impossible. The course reads it as "
                           "one year.",
        }.items() if key in _IDS},
        hints=("A rate (per day) only makes sense for a flow over time. Which row is an amount per thing, but "
               "printed per day?",),
    ),
    Question(
        id="energy.inconsistent_food_row",
        kind="predict",
        prompt="Which row of Table 1 contradicts the table's own 'Energy needs of a man' per day? "
               "Answer with its id or its label.",
        expected=lambda: _inconsistent_with("food_30_years", "man_day"),
        choices=_IDS,
        labels=_LABELS,
        explanations={key: why for key, why in {
            "man_day": "That is the row the other is checked against. Which row about feeding a person disagrees "
                       "with it once you multiply by its period?",
            "car": "The car prints the same value as one of the food rows, which deserves a second look, but a car "
                   "is not food: it cannot contradict a daily food need.",
            "food_france": "France's food, divided by its population, lands close to the daily need: this row "
                           "agrees with it.",
        }.items() if key in _IDS},
        hints=("Look for another row about feeding a person, and multiply the daily need by its period.",),
    ),
    Question(
        id="energy.transatlantic_litres",
        prompt="How many litres of gasoline hold the energy of one passenger's transatlantic flight (Table 1)? "
               f"Use the course's convention, the higher heating value ({_num(_HHV)} MJ per litre, the unit Lge); "
               f"an answer with the lower heating value ({_num(_LHV)} MJ per litre) counts too. Not the table's own "
               "litre, which is too high.",
        kind="transfer",
        expected=lambda: _litres("higher"),
        unit="L",
        also=lambda: [(_litres("lower"), f"with the lower heating value, {_num(_LHV)} MJ per litre; the course "
                                         f"counts the higher one, {_num(_HHV)} MJ per litre")],
        hints=(f"Divide the flight's energy in MJ by the energy of one litre: {_num(_HHV)} MJ at the higher "
               f"heating value (or {_num(_LHV)} MJ at the lower).",
               "First the flight in MJ: kilocalories × 4.184 kJ per kcal, then ÷ 1,000 kJ per MJ."),
    ),
    Question(
        id="energy.what_kcal_leaves_out",
        kind="reflection",
        prompt="De Rosnay wanted the kilocalorie as a universal unit of cost. In a few sentences: what does a "
               "single figure such as Table 1's kilocalories per tonne of aluminium leave out, and why does it matter "
               "when you compare rows?",
        expected=lambda: REFLECTION_MODEL,
        rubric=(
            "Full: names at least three different things the figure leaves out, each with a reason or an "
            "example (quality or source of the energy; emissions; other resources such as water, land, ore; "
            "the boundary: transport, use, recycling, disposal; people: labour, place, social value; no "
            "boundary, date or source stated), and says why that matters when rows are compared.",
            "Partial: names one or two of these, or lists several without saying why they matter.",
            "Missing: restates the figure, or says only that energy is important.",
        ),
    ),
):
    register(_question)
