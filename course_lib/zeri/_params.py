"""What the ZERI modules share: the three datasets read into plain dicts (cached per data folder),
the outcomes the model reports, and the check of a beer volume and parameter overrides.

The parameter table ``zeri_parameters`` has the course's parameter layout (``name, label, value,
unit, low, high, step, minimum, maximum``) plus ``stage`` and ``role``: ``parameter`` (a model
input a student may change), ``constant`` (a physical constant) or ``scenario`` (the beer volume).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import pandas as pd
import pint

from .. import checks, data, formats
from ..units import Q_

__all__ = ["OUTCOMES", "Row", "Params", "tables", "parameter_rows", "default", "hl_in_m3", "resolve", "model_parameters"]

#: The outcomes the comparison and the sensitivity analysis report: id -> (label, unit).
OUTCOMES: dict[str, tuple[str, str]] = {
    "landfill": ("Spent grain landfilled", "kg"),
    "discharged_solids": ("Dry matter discharged with water (organic and mineral)", "kg"),
    "discharged_organic": ("Organic matter discharged with water (dry, minerals left out)", "kg"),
    "bread": ("Spent-grain flour for bread", "kg"),
    "mushrooms": ("Fresh mushrooms", "kg"),
    "meat": ("Meat (live-weight gain)", "kg"),
    "fish": ("Fish (fresh)", "kg"),
    "methane": ("Methane (0 °C, 1 atm)", "m**3"),
    "methane_energy": ("Methane energy (lower heating value)", "kWh"),
}

# The unit each parameter is used in inside the model; the CSV may give it in any compatible unit.
_MODEL_UNITS = {
    "beer_hl": "hL", "bsg_per_hl": "kg/hL", "water_use_hl_per_hl": "dimensionless",
    "wastewater_cod": "kg/m**3", "manure_ch4_yield": "m**3/kg", "molar_volume": "m**3/mol",
    "cod_per_mol_ch4": "kg/mol", "ch4_molar_mass": "kg/mol", "co2_molar_mass": "kg/mol",
    "ch4_lhv": "kWh/kg", "water_density": "kg/m**3",
}

#: One row of the parameter table: role, label, unit, factor (CSV unit -> model unit), value,
#: low, high, minimum, maximum (the last two never NaN: 0 and infinity when the table leaves them empty).
Row = dict[str, Any]
#: Parameters in model units, by name.
Params = dict[str, float]


@data.cached
def tables() -> dict[str, dict[str, Any]]:
    """Parameters (with their factor to model units), stages and links, read once per data folder."""
    table = data.parameters("zeri_parameters")
    rows: dict[str, Row] = {}
    for name, row in table.iterrows():
        unit = checks.unit(row["unit"], f"zeri_parameters.unit of {name}")
        factor = Q_(1.0, unit).to(_MODEL_UNITS.get(str(name), unit)).magnitude
        rows[str(name)] = {
            "role": str(row["role"]), "label": str(row["label"]), "unit": str(row["unit"]),
            "factor": float(factor), "value": float(row["value"]),
            "low": float(row["low"]), "high": float(row["high"]),
            "minimum": 0.0 if pd.isna(row["minimum"]) else float(row["minimum"]),
            "maximum": math.inf if pd.isna(row["maximum"]) else float(row["maximum"]),
        }
    # Plain dicts: pandas would deep-copy the datasets' metadata (attrs) on every lookup.
    links = {row["id"]: row for row in data.load("zeri_links").to_dict("records")}
    stages = {row["id"]: row for row in data.load("zeri_stages").to_dict("records")}
    return {"parameters": rows, "links": links, "stages": stages}


def parameter_rows() -> dict[str, Row]:
    """The rows of the parameter table, by name (see :data:`Row`)."""
    return tables()["parameters"]


def model_parameters() -> tuple[str, ...]:
    """The names a student may change: the rows whose role is ``parameter``."""
    return tuple(name for name, row in parameter_rows().items() if row["role"] == "parameter")


def default(name: str) -> float:
    """The table's value of parameter ``name`` (in the table's unit)."""
    return float(parameter_rows()[name]["value"])


@functools.lru_cache(maxsize=1)
def hl_in_m3() -> float:
    """Cubic metres in a hectolitre (pint, once): 0.1."""
    return float(Q_(1.0, "hL").to("m**3").magnitude)


def _checked(name: str, value: Any, row: Row) -> float:
    """``value`` of parameter ``name`` in the table's unit: a number, or a quantity in a compatible unit."""
    unit = None if row["unit"] == "dimensionless" else row["unit"]
    maximum = row["maximum"] if math.isfinite(row["maximum"]) else None
    try:
        if isinstance(value, pint.Quantity):
            return checks.magnitude(value, name, row["unit"], minimum=row["minimum"], maximum=maximum)
        return checks.number(value, name, minimum=row["minimum"], maximum=maximum, unit=unit)
    except ValueError as error:
        if "is not allowed" not in str(error):
            raise
        raise ValueError(
            f"{error}, its physical range (plausible: {formats.number(row['low'])} to "
            f"{formats.number(row['high'])}; {row['label'].rstrip('.')})"
        ) from None


def resolve(beer_hl: Any, params: dict[str, Any]) -> tuple[float, Params]:
    """Check the beer volume and the parameter overrides; return them in model units.

    ``beer_hl`` is ``None`` (the table's value), a number of hectolitres or a volume quantity.
    """
    table = parameter_rows()
    beer = table["beer_hl"]
    hl = beer["value"] if beer_hl is None else checks.magnitude(beer_hl, "beer_hl", beer["unit"], minimum=0)
    accepted = model_parameters()
    values: dict[str, float] = {}
    for name, value in params.items():
        row = table.get(name)
        if row is not None and row["role"] == "constant":
            raise ValueError(
                f"{name} is a physical constant ({formats.number(row['value'])} {row['unit']}), not a model "
                "parameter; change it in datasets/zeri_parameters.csv if you really must"
            )
        if row is None or row["role"] != "parameter":
            raise ValueError(
                f"unknown parameter {name!r}{checks.suggest(name, accepted)}; run_cascade accepts: {', '.join(accepted)}"
            )
        values[name] = _checked(name, value, row)
    p = {n: values.get(n, r["value"]) * r["factor"] for n, r in table.items() if r["role"] != "scenario"}
    _check_joint(p)
    return hl * beer["factor"], p


def _check_joint(p: Params) -> None:
    """The constraints between parameters (each one alone may be in range while the pair is not)."""
    g = formats.number
    shares = p["share_bread"] + p["share_mushroom"]
    if shares > 1 + 1e-12:
        raise ValueError(
            f"share_bread + share_mushroom = {g(p['share_bread'])} + {g(p['share_mushroom'])} = {g(shares)} exceeds 1: "
            "the two shares of spent grain cannot add up to more than all of it "
            "(the rest, 1 - share_bread - share_mushroom, feeds livestock directly)"
        )
    if p["flour_moisture"] > p["bsg_moisture"]:
        raise ValueError(
            f"flour_moisture={g(p['flour_moisture'])} exceeds bsg_moisture={g(p['bsg_moisture'])}: drying cannot "
            "add water; choose flour_moisture <= bsg_moisture"
        )
    mushroom_dm = p["mushroom_be"] * (1 - p["mushroom_moisture"])
    if mushroom_dm > p["substrate_dm_loss"]:
        raise ValueError(
            f"mushroom_be={g(p['mushroom_be'])} with mushroom_moisture={g(p['mushroom_moisture'])} puts "
            f"{g(mushroom_dm, 3)} kg of mushroom dry matter per kg of substrate, more than substrate_dm_loss="
            f"{g(p['substrate_dm_loss'])} allows: raise substrate_dm_loss or lower mushroom_be"
        )
    retained = p["gain_dry_matter"] / p["feed_per_gain"]
    if retained > p["feed_digestibility"]:
        raise ValueError(
            f"gain_dry_matter / feed_per_gain = {g(retained, 3)} kg retained per kg of feed exceeds "
            f"feed_digestibility={g(p['feed_digestibility'])}: animals cannot keep more than they digest"
        )
