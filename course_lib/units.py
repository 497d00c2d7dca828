"""One pint unit registry for the whole course, with the energy units the article needs.

Calorie convention
------------------
The course's ``kcal`` is pint's: the **thermochemical** kilocalorie, exactly 4,184 J. The tonne
of oil equivalent (``toe``) is defined by the IEA with the **international** calorie
(4.1868 J), so 1 toe = 41.868 GJ = 10.007×10^6 thermochemical kcal. The 0.07 % gap never
matters for de Rosnay's one- or two-digit figures, but it is stated so nobody is surprised.

Course units (defined from ``datasets/energy_units.csv``, each with its source):

* ``food_day`` — 2,500 kcal, "Energy needs of a man" in Table 1 of the article;
* ``litre_gasoline_equivalent`` (``Lge``) — 35.2 MJ, the higher heating value of a litre of
  gasoline (REN21 2014);
* ``toe`` — pint's own definition, checked against the dataset's 41.868 GJ.

>>> from course_lib.units import Q_
>>> Q_(50e6, "kcal").to("MJ")
<Quantity(209200.0, 'megajoule')>
>>> round(Q_(1, "toe").to("kcal").magnitude)
10006692
>>> Q_(5000, "kcal").to("food_day")
<Quantity(2.0, 'food_day')>
"""

from __future__ import annotations

import math
import numbers
import re

import pandas as pd
import pint

__all__ = [
    "ureg", "Q_", "ENERGY_UNITS", "quantity", "convert", "convert_column", "check_unit",
    "format_number", "format_quantity", "describe_energy", "unit_converter",
]

ureg = pint.UnitRegistry()
ureg.formatter.default_format = "~P"
Q_ = ureg.Quantity
# Make pickled/unpickled quantities (and those made by other modules) use this registry.
pint.set_application_registry(ureg)

#: The energy units offered in the course's unit selectors, smallest first.
ENERGY_UNITS = ("kJ", "kcal", "MJ", "kWh", "food_day", "Lge", "GJ", "toe")


def _define_course_units() -> None:
    """Define the units of ``datasets/energy_units.csv`` (or check pint's, where it has them)."""
    from . import data  # local import: data does not need pint, units needs data once

    for row in data.load("energy_units").itertuples():
        expected = Q_(row.value, row.value_unit)
        if row.unit in ureg:
            actual = Q_(1, row.unit).to(row.value_unit)
            if not math.isclose(actual.magnitude, expected.magnitude, rel_tol=1e-9):
                raise RuntimeError(
                    f"pint's {row.unit} is {actual}, but datasets/energy_units.csv says {expected}"
                )
        else:
            ureg.define(f"{row.unit} = {row.definition} = {row.symbol}")
            defined = Q_(1, row.unit).to(row.value_unit)
            if not math.isclose(defined.magnitude, expected.magnitude, rel_tol=1e-9):
                raise RuntimeError(f"{row.unit}: definition {row.definition!r} does not equal {expected}")


_define_course_units()


def format_number(x: float) -> str:
    """A number as a person writes it: 4 significant digits, thousands separators, ×10^n if huge.

    >>> format_number(10460.0), format_number(2.90556), format_number(3.7e18)
    ('10,460', '2.906', '3.7×10^18')
    """
    if x == 0 or not math.isfinite(x):
        return str(x)
    exponent = math.floor(math.log10(abs(x)))
    if -3 <= exponent < 6:
        rounded = round(x, 3 - exponent)
        text = f"{rounded:,.{max(0, 3 - exponent)}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    mantissa = f"{x / 10**exponent:.4g}"
    return f"{mantissa}×10^{exponent}"


def format_quantity(q: pint.Quantity) -> str:
    """A quantity as a person writes it, with the unit's short symbol.

    >>> format_quantity(Q_(209200, "MJ")), format_quantity(Q_(20000, "food_day"))
    ('209,200 MJ', '20,000 food_day')
    >>> format_quantity(Q_(1.5625, "")), format_quantity(Q_(125, "t/year")), format_quantity(Q_(2920, "kcal/day"))
    ('1.562', '125 t/yr', '2,920 kcal/day')
    """
    if not isinstance(q, pint.Quantity):
        raise TypeError(f"q must be a pint Quantity, got {type(q).__name__}")
    # pint's short symbols for the year and the day ("a", "d") read as typos to students.
    unit = re.sub(r"\ba\b", "yr", re.sub(r"\bd\b", "day", f"{q.units:~P}"))
    return f"{format_number(q.magnitude)} {unit}" if unit else format_number(q.magnitude)


def check_unit(unit, argument: str = "unit") -> pint.Unit:
    """Return ``unit`` as a pint Unit, or raise an error that names ``argument`` and the value.

    >>> check_unit("kWh")
    <Unit('kilowatt_hour')>
    """
    if isinstance(unit, pint.Unit):
        return unit
    if not isinstance(unit, str):
        raise TypeError(f"{argument} must be a unit name (str), got {unit!r} of type {type(unit).__name__}")
    try:
        return ureg.Unit(unit)
    except (pint.UndefinedUnitError, AttributeError, ValueError, TypeError) as exc:
        raise ValueError(
            f"{argument}={unit!r} is not a unit the course knows; try one of {', '.join(ENERGY_UNITS)}, "
            "or any pint unit such as 't', 'm**3', 'kg/hL'"
        ) from exc


def quantity(value, unit: str, argument: str = "value") -> pint.Quantity:
    """A checked pint Quantity: ``value`` must be a finite real number, ``unit`` a known unit.

    >>> quantity(2.5, "t")
    <Quantity(2.5, 'metric_ton')>
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{argument} must be a number, got {value!r} of type {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{argument}={value!r} is not a finite number")
    return Q_(value, check_unit(unit))


def convert(value, from_unit: str | None = None, to: str = "MJ") -> pint.Quantity:
    """Convert a quantity (or a number and its unit) to unit ``to``.

    >>> convert(1, "toe", to="GJ")
    <Quantity(41.868, 'gigajoule')>
    >>> convert(Q_(2500, "kcal"), to="kWh").magnitude  # doctest: +ELLIPSIS
    2.9055...
    """
    target = check_unit(to, "to")
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
            f"cannot convert {q} to to={to!r}: {q.units} is {q.dimensionality} but {to} is {target.dimensionality}"
        )
    return q.to(target)


def convert_column(frame: pd.DataFrame, column: str, from_unit: str, to: str, new_column: str | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` with ``column`` (in ``from_unit``) converted to unit ``to``.

    The result goes to ``new_column`` (default ``"<column>_<to>"``); ``frame.attrs['units']``
    records the new column's unit.

    >>> import pandas as pd
    >>> convert_column(pd.DataFrame({"e": [1000.0]}), "e", "kcal", "MJ")["e_MJ"].item()
    4.184
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if column not in frame.columns:
        raise ValueError(f"column={column!r} is not in the frame; its columns are {list(frame.columns)}")
    source, target = check_unit(from_unit, "from_unit"), check_unit(to, "to")
    if source.dimensionality != target.dimensionality:
        raise ValueError(f"cannot convert from_unit={from_unit!r} to to={to!r}: different dimensions")
    factor = Q_(1, source).to(target).magnitude
    out = frame.copy()
    name = new_column or f"{column}_{to}"
    out[name] = out[column].astype("float64") * factor
    out.attrs = {**frame.attrs, "units": {**frame.attrs.get("units", {}), name: to}}
    return out


# ---- Questions for the start-here notebook -------------------------------------------------
from .exercises import Question, register  # noqa: E402  (after the registry exists)


def _food_day() -> pint.Quantity:
    return Q_(1, "food_day").to("kWh")


register(
    Question(
        id="units.food_day_kwh",
        prompt="How many kilowatt-hours are in one food-day (the 2,500 kcal a person needs in a day)?",
        expected=_food_day,
        unit="kWh",
        hints=(
            "1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ.",
            "Multiply 2,500 kcal by 4.184 kJ/kcal first, then divide by 3,600 kJ/kWh.",
        ),
    )
)


# ---- An explorer for the start-here notebook -----------------------------------------------
import ipywidgets as w  # noqa: E402

from .widgets import Explorer, explorer  # noqa: E402


def describe_energy(amount: float, unit: str) -> str:
    """One sentence giving ``amount`` ``unit`` in every course energy unit.

    >>> describe_energy(2500, "kcal")
    '2,500 kcal = 10,460 kJ = 10.46 MJ = 2.906 kWh = 1 food_day = 0.2972 Lge = 0.01046 GJ = 2.498×10^-4 toe'
    """
    value = quantity(amount, unit, "amount")
    if value.magnitude < 0:
        raise ValueError(f"amount={amount!r} must not be negative")
    if value.dimensionality != ureg.joule.dimensionality:
        raise ValueError(f"unit={unit!r} is not an energy unit; allowed: {', '.join(ENERGY_UNITS)}")
    parts = [f"{format_number(value.magnitude)} {unit}"]
    parts += [f"{format_number(value.to(u).magnitude)} {u}" for u in ENERGY_UNITS if u != unit]
    return " = ".join(parts)


@explorer
def unit_converter() -> Explorer:
    """A slider and a unit menu that write an energy in every course unit.

    >>> box = unit_converter()
    >>> box.controls["unit"].value = "food_day"
    >>> box.result.split(" = ")[:2]
    ['1 food_day', '10,460 kJ']
    """
    return Explorer(
        {
            "amount": w.FloatLogSlider(value=1, base=10, min=0, max=12, step=0.01, description="amount", readout_format=",.4g"),
            "unit": w.Dropdown(options=list(ENERGY_UNITS), value="toe", description="unit"),
        },
        describe_energy,
        title="An energy in every unit of the course",
    )
