"""The expected answers of notebook 00's exercises, computed from each student's variant.

Prompts, hints and options are in ``questions.toml`` beside this file; each function here takes
the student's :class:`~course_lib.variants.Variant` and returns the answer for those numbers.
"""

from __future__ import annotations

import pint

from .. import formats
from ..units import Q_
from ..variants import Variant


def run_a_cell(v: Variant) -> pint.Quantity:
    return Q_(v["a"] * v["b"], "")  # type: ignore[operator]


def variable_hours(v: Variant) -> pint.Quantity:
    return v.quantity("minutes").to("h")


def function_lge_kwh(v: Variant) -> pint.Quantity:
    return v.quantity("litres").magnitude * Q_(1, "Lge").to("kWh")


def minutes_in_hours(v: Variant) -> pint.Quantity:
    return v.quantity("hours").to("min")


def food_day_kwh(v: Variant) -> pint.Quantity:
    return v.quantity("kcal").to("kWh")


def plain_numbers(v: Variant) -> dict[str, str]:
    """The student's numbers as they are typed in code (``150``, not ``150 min``)."""
    return {f"{name}_number": formats.number(float(v[name]), 6).replace(",", "") for name in v}  # type: ignore[arg-type]
