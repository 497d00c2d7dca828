"""The figures the text of 01_energy_tables quotes that are not printed in a dataset: each is computed
here from course_lib, so tests/test_prose_figures.py fails when the data changes and the text does not."""

import math

from course_lib import energy, exercises
from course_lib.units import Q_


def _then(material: str) -> float:
    """De Rosnay's 1975 figure for a material, in MJ per kg (the then-and-now chart's first dot)."""
    then = energy.then_and_now()
    return float(then.loc[then["material"] == material, "then"].iloc[0])


def _per_tonne(item: str) -> float:
    """A row of Table 1 per tonne of product, in MJ (the table of notebook 01's per-tonne section)."""
    return float(energy.normalise("tonne", "MJ").set_index("id").loc[item, "value"])


FIGURES = {
    # Why a log scale, and the chart's description
    "powers of ten between the largest and the smallest row": lambda: math.log10(
        energy.table()["value_kcal"].max() / energy.table()["value_kcal"].min()),
    "a tonne of aluminium in food-days, as years of one person's food": lambda: (
        energy.energy_of("aluminium").to("food_day").magnitude * Q_(1, "day")).to("year"),
    "a car in days of a man's food (the worked reading of the log axis, before Exercise 2)": lambda: energy.compare(
        "car", "man_day").equivalent_b,
    # The article's comparison, per item
    "aluminium / car, per item": lambda: energy.compare("aluminium", "car").ratio,
    "aluminium / car, per item, minus one ('times more')": lambda: energy.compare("aluminium", "car").ratio - 1,
    # The article's sentence, worked per tonne before Exercise 3 (and in the summary)
    "a car's energy per tonne of car, in MJ": lambda: _per_tonne("car"),
    "aluminium / car, per tonne (the energy intensities)": lambda: _per_tonne("aluminium") / _per_tonne("car"),
    "a tonne of aluminium in MJ (comparison chart)": lambda: energy.energy_of("aluminium", unit="MJ"),
    "a car in MJ (comparison chart)": lambda: energy.energy_of("car", unit="MJ"),
    # Per person
    "France's food per person per day (midpoint of the population range)": lambda: energy.normalise(
        "person-day").set_index("id").loc["food_france", "value"],
    "world energy per person per day, in food-days": lambda: energy.normalise(
        "person-day", "food_day").set_index("id").loc["world_1974", "value"],
    # Energy and power
    "a day's food as a power": lambda: energy.power_of("man_day"),
    "a day's food in kWh": lambda: energy.energy_of("man_day", unit="kWh"),
    "a day's food in MJ": lambda: energy.energy_of("man_day", unit="MJ"),
    "joules in a kilocalorie": lambda: Q_(1, "kcal").to("J"),
    "seconds in a day": lambda: Q_(1, "day").to("s"),
    "the sun's power / the world's power in 1974": lambda: energy.power_of("sun") / energy.power_of("world_1974"),
    "one day of sunshine / one year of world consumption": lambda: energy.sun_day_vs_world_year(),
    # Then and now (the chart's description)
    **{f"{m} in 1975, MJ per kg": (lambda m=m: _then(m)) for m in ("aluminium", "paper", "steel", "cement",
                                                                    "petroleum")},
    # The reflection
    "words a reflection needs before check shows the model answer": lambda: exercises.REFLECTION_WORDS,
}

ALLOWED = {
    "75": "minutes: the time this notebook takes (its first cell and metadata)",
    "100": "minutes: the time the notebook's core path takes, recomputed by tests/test_lesson_timing.py from datasets/lesson_timing.csv",
    "90": "minutes: the length of a lecture session in the instructors' note",
    "2.5": "the literal reading of the article's words '1.5 times more' (one plus one and a half)",
}
