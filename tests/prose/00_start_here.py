"""The figures the text of 00_start_here quotes that are not printed in a dataset: unit conversions
computed here from course_lib's unit registry (itself defined from datasets/energy_units.csv)."""

from course_lib.units import Q_

FIGURES = {
    "joules in a (thermochemical) kilocalorie": lambda: Q_(1, "kcal").to("J"),
    "kilojoules in a kilocalorie": lambda: Q_(1, "kcal").to("kJ"),
    "a food-day in kilojoules": lambda: Q_(1, "food_day").to("kJ"),
    "kilojoules in a kilowatt-hour": lambda: Q_(1, "kWh").to("kJ"),
    "a food-day in kilowatt-hours (the worked example after the food-day exercise)": lambda: Q_(1, "food_day").to("kWh"),
    "international over thermochemical calorie, minus one (as a share)": lambda: (
        Q_(1, "international_calorie") / Q_(1, "calorie")).to("dimensionless") - 1,
}

ALLOWED = {
    "90": "the example value of the variable cell (minutes = 90), which Exercise 2 asks the student to change",
    "45": "an example of how to type an answer with its unit (\"45 min\"), not a figure",
    "20": "minutes: the time this notebook takes (its first cell, metadata and instructors' note)",
    "35": "minutes: the time the notebook's core path takes, recomputed by tests/test_lesson_timing.py from datasets/lesson_timing.csv",
    "5.5": "the Altair version in the name of a README section, not a figure",
}
