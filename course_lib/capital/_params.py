"""What the capital modules share: the policies, the stable range of r, the argument checks of the
stock model and its default parameters (read from the data, cached per data folder)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import checks, data

__all__ = ["POLICIES", "R_MAX", "TOL", "defaults", "defaults_table", "default_case"]

#: The harvest policies of the renewable stock model.
POLICIES = ("fixed amount", "fixed fraction", "income only")
#: Growth rates must stay below this (per year): above 2 the year-by-year logistic model
#: overshoots its equilibrium and turns chaotic, so the course keeps both versions below it.
R_MAX = 2.0
#: Relative tolerance for "harvest equals MSY exactly" (a slider can hit it exactly).
TOL = 1e-9
#: The longest horizon (years) the stock and reserve models accept.
MAX_YEARS = 1000


def unit_name(unit: Any) -> str:
    """``unit`` checked (a unit pint knows; never the ambiguous 'ton'), as the text to print."""
    checked = checks.unit(unit, "unit")
    return unit if isinstance(unit, str) else f"{checked}"


def growth_rate(r: Any) -> float:
    """The growth rate r per year: 0 < r < R_MAX (a number per year or a quantity per time)."""
    value = checks.magnitude(r, "r", "1/year", minimum=0, inclusive=False)
    if value >= R_MAX:
        raise ValueError(
            f"r={r!r} per year is outside the stable range 0 < r < {R_MAX:g} per year: above it the "
            "year-by-year logistic model overshoots and turns chaotic, so the course keeps r below it"
        )
    return value


def capacity(K: Any, unit: str) -> float:
    """The capacity K in ``unit``, more than 0."""
    return checks.magnitude(K, "K", unit, minimum=0, inclusive=False)


def harvest(value: Any, unit: str, argument: str = "harvest") -> float:
    """A harvest per year in ``unit`` per year, 0 or more."""
    return checks.magnitude(value, argument, f"{unit}/year", minimum=0)


def initial(value: Any, K: float, unit: str) -> float:
    """The starting stock in ``unit``: more than 0 and at most K (K itself when ``None``)."""
    if value is None:
        return K
    stock = checks.magnitude(value, "initial", unit, minimum=0, inclusive=False)
    if stock > K * (1 + TOL):
        raise ValueError(f"initial={value!r} is above the capacity K={K:g} {unit}; the stock must start between 0 and K")
    return min(stock, K)


def case(r: Any, K: Any, harvest_: Any, initial_: Any, unit_: Any) -> tuple[str, float, float, float, float]:
    """The checked (unit, r, K, harvest, initial stock) of a stock-model call, checked in that order."""
    name = unit_name(unit_)
    rate, cap = growth_rate(r), capacity(K, name)
    return name, rate, cap, harvest(harvest_, name), initial(initial_, cap, name)


def years(value: Any, argument: str = "years") -> int:
    """A whole number of years from 1 to MAX_YEARS."""
    return checks.whole_number(value, argument, minimum=1, maximum=MAX_YEARS)


def points_per_year(value: Any) -> int:
    """Time points per year of a path: a whole number from 1 to 100."""
    return checks.whole_number(value, "points_per_year", minimum=1, maximum=100)


def policy(value: Any) -> str:
    """One of :data:`POLICIES`."""
    return checks.choice(value, "policy", POLICIES)


def fraction(value: Any, policy_name: str) -> float | None:
    """The share of the stock taken per year (only for the fixed-fraction policy), or ``None``."""
    if value is None:
        return None
    if policy_name != "fixed fraction":
        raise ValueError(f"fraction={value!r} only applies to policy='fixed fraction', not {policy_name!r}")
    return checks.magnitude(value, "fraction", "1/year", minimum=0)


@data.cached
def defaults_table() -> pd.DataFrame:
    """``capital_model_defaults`` as a parameter table (indexed by name), cached per data folder."""
    return data.parameters("capital_model_defaults")


def defaults() -> dict[str, float]:
    """The stock model's default parameters from ``datasets/capital_model_defaults.csv``.

    Read from the active data folder (``COURSE_DATA_DIR``), so adapted data change every default.
    ``horizon`` is a whole number of years; ``initial_share`` is in percent of K.

    >>> d = defaults()
    >>> d["growth_rate"], d["capacity"], d["harvest"], d["initial_share"], d["horizon"]
    (0.5, 1000.0, 150.0, 50.0, 60)
    """
    table = defaults_table()
    values: dict[str, float] = {str(name): float(value) for name, value in table["value"].items()}
    values["horizon"] = int(values["horizon"])
    return values


def default_case() -> tuple[float, float, float, float]:
    """The default stock as ``(r, K, harvest, start)``: the start in tonnes, not as a share of K.

    >>> default_case()
    (0.5, 1000.0, 150.0, 500.0)
    """
    d = defaults()
    return d["growth_rate"], d["capacity"], d["harvest"], d["initial_share"] / 100 * d["capacity"]
