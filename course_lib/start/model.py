"""An energy written in every unit of the course."""

from __future__ import annotations

from .. import checks, formats
from ..units import ENERGY_UNITS

__all__ = ["describe_energy"]


def describe_energy(amount: float, unit: str) -> str:
    """One sentence giving ``amount`` ``unit`` in every course energy unit.

    >>> describe_energy(2500, "kcal")
    '2,500 kcal = 10,460 kJ = 10.46 MJ = 2.906 kWh = 1 food_day = 0.2972 Lge = 0.01046 GJ = 2.498×10^-4 toe'
    >>> describe_energy(3, "kg")
    Traceback (most recent call last):
    ...
    ValueError: unit='kg' is a mass, but it must be an energy (for example kWh)
    """
    energy_unit = checks.unit(unit, "unit", like="kWh")
    value = checks.quantity(amount, "amount", str(energy_unit), minimum=0)
    parts = [f"{formats.number(value.magnitude)} {unit}"]
    parts += [f"{formats.number(value.to(u).magnitude)} {u}" for u in ENERGY_UNITS if u != unit]
    return " = ".join(parts)
