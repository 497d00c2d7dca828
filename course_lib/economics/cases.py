"""The yearly quantities the two worked examples price, read from the other topics' models.

Nothing is copied: Kalundborg's quantities are the article's own figures as
:func:`course_lib.symbiosis.outcomes` gives them (a "yearly" figure has ``period`` ``year``), and
the ZERI quantities come from running :func:`course_lib.zeri.run_cascade` (and
:func:`course_lib.zeri.run_linear` for the landfill the cascade avoids) for one year's beer.

A quantity table has one row per quantity: ``quantity`` (an id), ``label``, ``value`` and
``unit`` (a pint rate, such as ``t/year``), and ``source``.

>>> q = zeri_quantities(100).set_index("quantity")   # 100 hL of beer a year
>>> round(float(q.loc["mushrooms", "value"]), 1), q.loc["mushrooms", "unit"]
(57.3, 'kg/year')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pint

from .. import checks, data

__all__ = ["CASES", "QUANTITY_COLUMNS", "kalundborg_quantities", "zeri_quantities", "quantities"]

#: The two worked examples of the article.
CASES = ("kalundborg", "zeri")
#: The columns of a quantity table.
QUANTITY_COLUMNS = ("quantity", "label", "value", "unit", "source")

_ZERI_OUTCOMES = ("bread", "mushrooms", "meat", "fish", "methane_energy")


def kalundborg_quantities(ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The article's yearly Kalundborg figures (``symbiosis.outcomes()``), one row per id.

    ``ids`` picks figures by their id in ``kalundborg_outcomes`` (default: every yearly figure
    with a quantity). Figures printed without "a year" cannot be priced per year and are refused.

    >>> q = kalundborg_quantities(["gypsum_received", "groundwater_saved"])
    >>> q[["quantity", "value", "unit"]].to_dict("records")
    [{'quantity': 'gypsum_received', 'value': 200000.0, 'unit': 't/year'}, {'quantity': 'groundwater_saved', 'value': 1900000.0, 'unit': 'm**3/year'}]
    >>> kalundborg_quantities(["reservoir_capacity"])
    Traceback (most recent call last):
    ...
    ValueError: ids contains 'reservoir_capacity', which the article does not give per year (220,000 m³): only yearly figures can be priced per year
    """
    if ids is None:  # every yearly figure: what each appraisal of the case prices
        return _every_kalundborg_quantity().copy()
    return _kalundborg_quantities(ids)


@data.cached
def _every_kalundborg_quantity() -> pd.DataFrame:
    return _kalundborg_quantities(None)


def _kalundborg_quantities(ids: Sequence[str] | None) -> pd.DataFrame:
    from .. import symbiosis  # the other topic's public package, loaded on first use

    table = symbiosis.outcomes().set_index("id")
    yearly = table[(table["period"] == "year") & (table["unit"] != "dimensionless") & (table["unit"] != "percent")]
    wanted = list(yearly.index) if ids is None else list(checks.names(ids, "ids", list(table.index), allow_empty=False))
    rows = []
    for oid in wanted:
        if oid not in yearly.index:
            printed = table.loc[oid, "quantity"]
            raise ValueError(f"ids contains {oid!r}, which the article does not give per year ({printed}): "
                             "only yearly figures can be priced per year")
        row = yearly.loc[oid]
        rows.append({"quantity": oid, "label": row["indicator"], "value": float(row["value"]),
                     "unit": f"{row['unit']}/{row['period']}", "source": f"kalundborg_outcomes ({row['source']})"})
    return pd.DataFrame(rows, columns=list(QUANTITY_COLUMNS))


@data.cached
def _zeri(beer_hl: float) -> pd.DataFrame:
    from .. import zeri  # the other topic's public package, loaded on first use

    cascade = zeri.run_cascade(beer_hl)
    outcomes = zeri.outcomes(cascade).set_index("outcome")
    linear = zeri.outcomes(zeri.run_linear(beer_hl)).set_index("outcome")
    source = f"course_lib.zeri.run_cascade({beer_hl:g} hL) at the defaults of zeri_parameters"
    rows = [{"quantity": name, "label": outcomes.loc[name, "label"], "value": float(outcomes.loc[name, "value"]),
             "unit": f"{outcomes.loc[name, 'unit']}/year", "source": source} for name in _ZERI_OUTCOMES]
    straw = cascade.loc[cascade["link"] == "straw_to_mushrooms"]
    if set(straw["unit"]) != {"kg"}:
        raise RuntimeError(f"the cascade's straw flows are in {sorted(set(straw['unit']))}, expected kg")
    rows.append({"quantity": "straw", "label": "Rice straw bought for the mushroom substrate (as delivered)",
                 "value": float(straw["value"].sum()), "unit": "kg/year", "source": source})
    avoided = float(linear.loc["landfill", "value"] - outcomes.loc["landfill", "value"])
    rows.append({"quantity": "landfill_avoided", "label": "Wet spent grain kept out of landfill",
                 "value": avoided, "unit": f"{outcomes.loc['landfill', 'unit']}/year",
                 "source": source + ", minus zeri.run_linear"})
    return pd.DataFrame(rows, columns=list(QUANTITY_COLUMNS))


def zeri_quantities(beer_hl_per_year: float | pint.Quantity) -> pd.DataFrame:
    """What the ZERI cascade makes, uses and avoids in a year, for ``beer_hl_per_year`` hL of beer.

    Rows: ``bread`` (spent-grain flour), ``mushrooms``, ``meat`` (live-weight gain), ``fish``
    (kg/year), ``methane_energy`` (kWh/year), ``straw`` bought (kg/year, as delivered) and
    ``landfill_avoided`` (wet spent grain the brewery alone would landfill, kg/year). Every flow
    is proportional to the beer (:func:`course_lib.zeri.run_cascade`).

    >>> zeri_quantities(-1)
    Traceback (most recent call last):
    ...
    ValueError: beer_hl_per_year=-1 is not allowed: give a number > 0 (hL/yr)
    """
    beer = checks.magnitude(beer_hl_per_year, "beer_hl_per_year", "hL/year", minimum=0, inclusive=False)
    return _zeri(beer).copy()


def quantities(case: str, scale: Any = None) -> pd.DataFrame:
    """The quantity table of ``case`` (``"kalundborg"`` or ``"zeri"``).

    ``scale`` is the ZERI brewery's beer per year (hL/year); Kalundborg has no scale (the
    article's figures are what they are).
    """
    checks.choice(case, "case", CASES)
    if case == "kalundborg":
        if scale is not None:
            raise ValueError("scale must be None for case='kalundborg': the article's figures have no scale to change")
        return kalundborg_quantities()
    if scale is None:
        raise ValueError("scale is required for case='zeri': give the beer brewed per year in hL")
    return zeri_quantities(scale)
