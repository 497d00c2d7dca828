"""Private helpers shared by the energy modules: Table 1 checked, its rows and their amounts.

Nothing here is read at import time: the table's metadata and the reference values are
:func:`course_lib.data.cached` functions, read once per data folder.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pint

from .. import checks, data, formats
from ..units import ureg

TABLE = "energy_table"
REFERENCE = "energy_reference_values"
THEN_AND_NOW = "energy_then_now"

ENERGY = ureg.get_dimensionality("[energy]")
POWER = ureg.get_dimensionality("[energy] / [time]")
TIME = ureg.get_dimensionality("[time]")

#: The columns every function of the topic reads; some need more (below).
BASIC = ("id", "label", "value_kcal", "reference_amount", "reference_unit", "amount_unit", "unit_plural")
#: The columns :func:`~course_lib.energy.compare` writes its sentence from.
PHRASES = ("subject_phrase", "verb", "object_phrase")
#: The columns of the table as printed, which the consistency checks read.
PRINTED = ("item", "value_printed", "unit_printed", "period")


def bare(frame: Any, columns: Sequence[str] = BASIC, argument: str = "frame") -> pd.DataFrame:
    """The energy table (loaded when ``frame`` is None), checked, as a light copy without ``attrs``.

    pandas deep-copies ``attrs`` (title, sources, field notes) on every operation; dropping them
    for the internal arithmetic makes the checks several times faster. Public functions that
    return a frame put the metadata back from :func:`attrs_of`.
    """
    if frame is None:  # the shipped table: read and stripped once per data folder
        return checks.frame(_shipped(), argument, columns).copy(deep=False)
    checked = checks.frame(frame, argument, columns)
    light = checked.copy(deep=False)
    light.attrs = {}
    return light


@data.cached
def _shipped() -> pd.DataFrame:
    """Table 1 without ``attrs``, read once per data folder (internal: :func:`bare` hands out shallow
    copies, which pandas' copy-on-write keeps from ever changing this one)."""
    light = data.load(TABLE)
    light.attrs = {}
    return light


def attrs_of(frame: Any) -> dict[str, Any]:
    """A copy of the metadata of ``frame`` (or of Table 1's when ``frame`` has none or is None)."""
    if isinstance(frame, pd.DataFrame) and frame.attrs:
        return copy.deepcopy(frame.attrs)
    return copy.deepcopy(table_attrs())


@data.cached
def table_attrs() -> dict[str, Any]:
    """Table 1's metadata (title, sources, units), read once per data folder."""
    return data.load(TABLE).attrs


@data.cached
def references() -> pd.DataFrame:
    """The reference values without attrs, read once per data folder (internal: never mutated)."""
    refs = data.load(REFERENCE)
    refs.attrs = {}
    return refs


def row(frame: pd.DataFrame, item: Any, argument: str = "item") -> pd.Series:
    """The row of ``frame`` whose id is ``item``; a wrong id gets a "did you mean" and the list."""
    ids = [str(i) for i in frame["id"]]
    checks.choice(item, argument, ids)
    return frame.iloc[ids.index(item)]


def needed_row(frame: pd.DataFrame, item: str) -> pd.Series:
    """A row a calculation needs (``'man_day'``, ``'sun'``...): says so when a custom frame lacks it."""
    ids = [str(i) for i in frame["id"]]
    if item not in ids:
        raise ValueError(f"frame lacks the row {item!r} of Table 1 that this calculation needs; its rows: {', '.join(ids)}")
    return frame.iloc[ids.index(item)]


def energy_unit(unit: Any, argument: str = "unit") -> pint.Unit:
    """``unit`` as a pint Unit of energy (any pint energy unit, not only the course's menu)."""
    return checks.unit(unit, argument, like="kWh")


def amount_unit(entry: pd.Series) -> str | None:
    """The unit a row is counted in (``'t'``, ``'day'``...), or None for a plain count (cars, trips)."""
    unit = entry["amount_unit"]
    return None if pd.isna(unit) or unit == "" else str(unit)


def amount_text(entry: pd.Series, amount: float) -> str:
    """``amount`` of a row in words: '1 t', '30 years', '2.5 passenger trips'."""
    text = formats.number(amount, digits=3)
    word = entry["reference_unit"] if text == "1" else entry["unit_plural"]
    return f"{text} {word}"


def per_text(entry: pd.Series) -> str:
    """What a row's value is for: 'per t', 'per 30 years', 'per passenger trip'."""
    amount = float(entry["reference_amount"])
    return f"per {amount_text(entry, amount)}" if amount != 1 else f"per {entry['reference_unit']}"


def amount(entry: pd.Series, value: Any, argument: str) -> float:
    """``value`` of a row in the row's own amount unit (a count for cars and passenger trips).

    None means the amount the table prints; a number is read in the row's unit; a pint Quantity
    must be of the same kind (a mass for tonnes, a time for days) and is converted.
    """
    if value is None:
        return float(entry["reference_amount"])
    unit = amount_unit(entry)
    if isinstance(value, pint.Quantity):
        target = ureg.Unit(unit) if unit else ureg.Unit("dimensionless")
        if value.dimensionality != target.dimensionality:
            wanted = f"{checks.dimension_words(target)} such as Q_(1, {unit!r})" if unit else "a plain number of them"
            raise ValueError(
                f"{argument}={formats.quantity(value)} is {checks.dimension_words(value)}, but {entry['id']!r} is "
                f"counted per {entry['reference_unit']}: give {wanted}"
            )
        return positive(value, argument, str(target), f"an amount > 0 (in {entry['unit_plural']})")
    return checks.number(value, argument, minimum=0, inclusive=False, unit=str(entry["unit_plural"]))


def positive(value: pint.Quantity, argument: str, unit: str, allowed: str) -> float:
    """The magnitude of quantity ``value`` in ``unit``, which must be finite and above zero.

    (The floor's bound messages print pint's symbols, 'a' for years and 'd' for days; this one
    writes the quantity as the course does.)
    """
    size = checks.magnitude(value, argument, unit)  # one finite quantity, converted
    if size <= 0:
        raise ValueError(f"{argument}={formats.quantity(value)} is not allowed: give {allowed}")
    return size
