"""The course's one pint unit registry (private: use :mod:`course_lib.units`).

It lives in a module of its own so that :mod:`course_lib.checks` (which parses units) and
:mod:`course_lib.units` (which converts them, with checked arguments) can both use it without
importing each other. The course's own units (``food_day``, ``Lge``) are defined from
``energy_units.csv`` when this module is first imported.
"""

from __future__ import annotations

import math

import pint

from . import data

__all__ = ["ureg", "Q_"]

ureg: pint.UnitRegistry = pint.UnitRegistry()
ureg.formatter.default_format = "~P"
Q_ = ureg.Quantity
# Make pickled/unpickled quantities (and those made by other modules) use this registry.
pint.set_application_registry(ureg)


def _define_course_units() -> None:
    """Define the units of ``energy_units.csv`` (or check pint's, where it has them)."""
    for row in data.load("energy_units").itertuples():
        expected = Q_(row.value, row.value_unit)
        if row.unit in ureg:
            actual = Q_(1, row.unit).to(row.value_unit)
            if not math.isclose(actual.magnitude, expected.magnitude, rel_tol=1e-9):
                raise RuntimeError(f"pint's {row.unit} is {actual}, but energy_units.csv says {expected}")
        else:
            ureg.define(f"{row.unit} = {row.definition} = {row.symbol}")
            defined = Q_(1, row.unit).to(row.value_unit)
            if not math.isclose(defined.magnitude, expected.magnitude, rel_tol=1e-9):
                raise RuntimeError(f"{row.unit}: definition {row.definition!r} does not equal {expected}")


_define_course_units()
