"""The expected answers of notebook 00's exercises (:mod:`course_lib.exercises`)."""

from __future__ import annotations

import pint

from .. import formats
from ..units import Q_
from ..variants import Slips, Variant


def run_a_cell(v: Variant) -> pint.Quantity:
    return Q_(v["a"] * v["b"], "")  # type: ignore[operator]


def variable_hours(v: Variant) -> pint.Quantity:
    return v.quantity("minutes").to("h")


def variable_hours_slips(v: Variant) -> Slips:
    minutes = v.number("minutes", "min")
    whole, rest = divmod(minutes, 60)
    found = [(Q_(minutes * 60, "h"), "times_60")]
    if rest:  # 2 h 30 min written 2.30
        found.append((Q_(whole + rest / 100, "h"), "hours_minutes"))
    return found


def function_lge_kwh(v: Variant) -> pint.Quantity:
    return v.quantity("litres").magnitude * Q_(1, "Lge").to("kWh")


def minutes_in_hours(v: Variant) -> pint.Quantity:
    return v.quantity("hours").to("min")


def minutes_in_hours_slips(v: Variant) -> Slips:
    hours = v.number("hours", "h")
    if hours.is_integer():
        return []
    return [(Q_(100 * hours, "min"), "decimal_hours")]  # 2.75 h read as 2 h 75 min


def food_day_kwh(v: Variant) -> pint.Quantity:
    return v.quantity("kcal").to("kWh")


def plain_numbers(v: Variant) -> dict[str, str]:
    """The student's numbers as they are typed in code (``150``, not ``150 min``)."""
    return {f"{name}_number": formats.number(float(v[name]), 6).replace(",", "") for name in v}  # type: ignore[arg-type]
