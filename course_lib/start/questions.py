"""The exercise of notebook 00, worked in the notebook: how many kilowatt-hours in a food-day?"""

from __future__ import annotations

import pint

from ..exercises import Question, register
from ..units import Q_


def _food_day() -> pint.Quantity:
    return Q_(1, "food_day").to("kWh")


register(
    Question(
        id="start.food_day_kwh",
        prompt="How many kilowatt-hours are in one food-day (the 2,500 kcal a person needs in a day)?",
        expected=_food_day,
        unit="kWh",
        kind="transfer",
        hints=(
            "1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ.",
            "Multiply 2,500 kcal by 4.184 kJ/kcal first, then divide by 3,600 kJ/kWh.",
        ),
    )
)


# ---- "Python in ten minutes": one tiny checked exercise per idea --------------------------------
# Each checks a step of reading and running code, not a figure about the world; the numbers are
# those of the example cells in notebook 00.

register(Question(
    id="start.run_a_cell",
    prompt="Run the cell `6 * 7`: what number does it show below it?",
    expected=lambda: Q_(6 * 7, ""),
    unit="",
    rel_tol=0,
    kind="recall",
    hints=("Click the cell, press Shift+Enter, and read the line that appears under it.",),
))

register(Question(
    id="start.variable_hours",
    prompt="Set `minutes = 150` in the cell with `hours = minutes / 60`, run it: how many hours?",
    expected=lambda: Q_(150, "min").to("h"),
    unit="h",
    kind="transfer",
    hints=("A variable keeps the last value you gave it: change the number after `minutes =` and run that cell again.",),
))

register(Question(
    id="start.function_lge_kwh",
    prompt="Call `start.describe_energy(1, \"Lge\")`: how many kWh is the energy of one litre of gasoline?",
    expected=lambda: Q_(1, "Lge").to("kWh"),
    unit="kWh",
    kind="transfer",
    hints=("Copy the example call, change \"kWh\" to \"Lge\" and look for the part that ends in kWh.",),
))

register(Question(
    id="start.error_argument",
    prompt="Read the error message of the cell that asks for the unit \"kwhh\": which argument does it say is wrong?",
    expected=lambda: "unit",
    choices=("amount", "unit"),
    explanations={"amount": "The amount, 1, is fine: the message starts with the argument it complains about.",
                  "unit": "The last line of an error names the argument (unit='kwhh') and what is allowed."},
    kind="recall",
    hints=("Read the last line of the error first: it names the argument, its value and what is allowed.",),
))

register(Question(
    id="start.minutes_in_hours",
    prompt="Numbers with units: how many minutes are 1.5 hours? (answer with the unit, e.g. \"45 min\")",
    expected=lambda: Q_(1.5, "h").to("min"),
    unit="min",
    kind="transfer",
    hints=("`Q_(1.5, \"h\").to(\"min\")` converts it, or multiply by 60 minutes per hour.",),
))
