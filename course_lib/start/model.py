"""An energy written in every unit of the course, and the course map."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import checks, formats
from ..units import ENERGY_UNITS

__all__ = ["describe_energy", "course_map"]


def describe_energy(amount: float, unit: str) -> str:
    """One sentence giving ``amount`` ``unit`` in every course energy unit.

    >>> describe_energy(2500, "kcal")
    '2,500 kcal = 10,460 kJ = 10.46 MJ = 2.906 kWh = 1 food_day = 0.2972 Lge = 0.01046 GJ = 2.498×10^-4 toe'
    """
    energy_unit = checks.unit(unit, "unit", like="kWh")
    value = checks.quantity(amount, "amount", str(energy_unit), minimum=0)
    parts = [f"{formats.number(value.magnitude)} {unit}"]
    parts += [f"{formats.number(value.to(u).magnitude)} {u}" for u in ENERGY_UNITS if u != unit]
    return " = ".join(parts)


def _folder(folder: object) -> Path:
    """The folder holding the course's notebooks: ``folder``, else the current one, else the repository's."""
    if folder is None:
        here = Path.cwd()
        if any(here.glob("0*_*.ipynb")):
            return here
        return Path(__file__).resolve().parents[2] / "notebooks"
    return checks.folder(folder, "folder")


def course_map(folder: str | Path | None = None) -> pd.DataFrame:
    """The course's notebooks, each with its title, time and prerequisites, read from its front page.

    Every notebook states these in its own metadata (``metadata["course"]``, which its first cell
    repeats); reading them here keeps the map true when a notebook changes. ``folder`` defaults to
    the current folder (where the notebooks are) or the course's ``notebooks/`` folder.

    >>> course_map()["notebook"].iloc[0]
    '00_start_here'
    """
    rows = []
    for path in sorted(_folder(folder).glob("[0-9][0-9]_*.ipynb")):
        course = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("course", {})
        rows.append({"notebook": path.stem, "title": course.get("title", path.stem),
                     "time": course.get("time", ""), "needs": course.get("prerequisites", "")})
    return pd.DataFrame(rows, columns=["notebook", "title", "time", "needs"])


def error_message(function: Callable[..., object], *args: object, **kwargs: object) -> str:
    """The last line Python prints when ``function(*args, **kwargs)`` goes wrong ('' if it works).

    Notebook 00 uses it to show a student what an error message says without stopping the
    notebook: the kind of error, then the course's words naming the argument, the value and what is
    allowed.

    >>> error_message(describe_energy, 1, "kwhh")  # doctest: +ELLIPSIS
    "ValueError: unit='kwhh' is not a unit the course knows; ..."
    """
    if not callable(function):
        raise TypeError(f"function must be a function to call, got {function!r} of type {type(function).__name__}")
    try:
        function(*args, **kwargs)
    except Exception as error:  # a student's mistake, shown as Python would show its last line
        return f"{type(error).__name__}: {error}"
    return ""
