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
