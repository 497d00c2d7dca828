"""The unit converter of notebook 00."""

from __future__ import annotations

import ipywidgets as w

from ..i18n import _
from ..units import ENERGY_UNITS
from ..widgets import Explorer, explorer
from .model import describe_energy

__all__ = ["unit_converter"]


@explorer
def unit_converter() -> Explorer:
    """A slider and a unit menu that write an energy in every course unit.

    It starts at 1 toe, so it does not show the answer to the start-here exercise.

    >>> box = unit_converter()
    >>> box.controls["unit"].value = "food_day"
    >>> box.result.split(" = ")[:2]
    ['1 food_day', '10,460 kJ']
    """
    return Explorer(
        {
            "amount": w.FloatLogSlider(value=1, base=10, min=0, max=12, step=0.01, description=_("amount"), readout_format=",.4g"),
            "unit": w.Dropdown(options=list(ENERGY_UNITS), value="toe", description=_("unit")),
        },
        describe_energy,
        title=_("An energy in every unit of the course"),
    )
