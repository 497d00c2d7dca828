"""One pint unit registry for the whole course, with the energy units the article needs.

Calorie convention
------------------
The course's ``kcal`` is pint's: the **thermochemical** kilocalorie, exactly 4,184 J. The tonne
of oil equivalent (``toe``) is defined by the IEA with the **international** calorie
(4.1868 J), so 1 toe = 41.868 GJ = 10.007×10^6 thermochemical kcal. The 0.07 % gap never
matters for de Rosnay's one- or two-digit figures, but it is stated so nobody is surprised.

The registry itself is built in the private ``course_lib._ureg`` (shared with
:mod:`course_lib.checks`); this module adds conversions with checked arguments.

Course units (defined from ``datasets/energy_units.csv``, each with its source):

* ``food_day`` — 2,500 kcal, "Energy needs of a man" in Table 1 of the article;
* ``litre_gasoline_equivalent`` (``Lge``) — 35.2 MJ, the higher heating value of a litre of
  gasoline (REN21 2014);
* ``toe`` — pint's own definition, checked against the dataset's 41.868 GJ.

>>> from course_lib.units import Q_
>>> Q_(5000, "kcal").to("food_day")
<Quantity(2.0, 'food_day')>
"""

from __future__ import annotations

import pint

from . import checks, formats
from ._ureg import Q_, ureg

__all__ = [
    "ureg", "Q_", "ENERGY_UNITS", "quantity", "convert",
    "format_number", "format_quantity",
]

#: The energy units offered in the course's unit selectors, smallest first.
ENERGY_UNITS = ("kJ", "kcal", "MJ", "kWh", "food_day", "Lge", "GJ", "toe")

# The course formats numbers in one place (course_lib.formats); these names stay for notebooks.
format_number = formats.number
format_quantity = formats.quantity


def quantity(value: object, unit: str, argument: str = "value") -> pint.Quantity:
    """A checked pint Quantity: ``value`` must be a finite real number, ``unit`` a known unit.

    >>> quantity(2.5, "t")
    <Quantity(2.5, 'metric_ton')>
    """
    return Q_(checks.number(value, argument), checks.unit(unit))


def convert(value: object, from_unit: str | None = None, to: str = "MJ") -> pint.Quantity:
    """Convert a quantity (or a number and its unit) to unit ``to``.

    >>> convert(1, "toe", to="GJ")
    <Quantity(41.868, 'gigajoule')>
    """
    target = checks.unit(to, "to")
    if isinstance(value, pint.Quantity):
        if from_unit is not None:
            raise ValueError("from_unit must be None when value is already a pint Quantity")
        q = value
    else:
        if from_unit is None:
            raise ValueError("from_unit is required when value is a plain number")
        q = quantity(value, from_unit)
    if q.dimensionality != target.dimensionality:
        raise ValueError(
            f"cannot convert {formats.quantity(q)} to to={to!r}: it is {checks.dimension_words(q)}, "
            f"but {to} is {checks.dimension_words(target)}"
        )
    return q.to(target)
