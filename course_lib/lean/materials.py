"""The metal and energy behind the cola can, traced from the shelf back to the mine.

24 % of the smelter's aluminium becomes scrap, each tonne of aluminium needs 2 t of alumina (the
article) and each tonne of alumina 2.34 t of dried bauxite (USGS); Table 1 gives 50×10^6 kcal
per tonne of aluminium.

>>> metal_energy(Q_(1, "t")).to("MJ")
<Quantity(209200.0, 'megajoule')>
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from .. import checks, data
from ..units import Q_
from .model import cola_figures

__all__ = ["stoichiometric_alumina_per_aluminium", "back_calculate", "smelter_output", "metal_energy", "energy_per_tonne_of_cans"]


def stoichiometric_alumina_per_aluminium() -> pint.Quantity:
    """The least alumina that can give one tonne of aluminium: M(Al2O3) / (2 M(Al)), from IUPAC atomic weights.

    >>> round(stoichiometric_alumina_per_aluminium().magnitude, 3)
    1.889
    """
    return Q_(_alumina_per_aluminium(), "t/t")


@data.cached
def _alumina_per_aluminium() -> float:
    weights = data.load("lean_atomic_weights").set_index("symbol")["atomic_weight"]
    al, o = Q_(weights["Al"], "g/mol"), Q_(weights["O"], "g/mol")
    return float(((2 * al + 3 * o) / (2 * al)).to("dimensionless").magnitude)


def _ratio(value: Any, argument: str) -> float:
    """A ratio > 0: a number, or a dimensionless quantity such as ``Q_(2, "t/t")``."""
    return checks.magnitude(value, argument, "dimensionless", minimum=0, inclusive=False)


def _scrap_share(value: Any) -> float:
    """A share of the smelter's output: a number from 0 to below 1, or a quantity such as ``Q_(24, "percent")``."""
    shown = f"{value:~P}" if isinstance(value, pint.Quantity) else repr(value)
    if isinstance(value, pint.Quantity):
        value = checks.magnitude(value, "scrap_share", "dimensionless")
    share = checks.share(value, "scrap_share")
    if share >= 1:
        raise ValueError(f"scrap_share={shown} means no can ever reaches the shelf; give a share below 1")
    return share


def back_calculate(
    cans: pint.Quantity | float = Q_(1, "t"),
    *,
    scrap_share: pint.Quantity | float | None = None,
    alumina_per_aluminium: pint.Quantity | float | None = None,
    bauxite_per_alumina: pint.Quantity | float | None = None,
) -> pd.DataFrame:
    """Metal needed upstream of ``cans`` tonnes of cans on the shelves, from the shelf back to the mine.

    24 % of the smelter's aluminium becomes scrap, so the smelter must make cans / (1 - 0.24);
    each tonne of it needs 2 t of alumina (the article), each tonne of alumina 2.34 t of dried
    bauxite (USGS). Defaults come from ``lean_cola_figures``; pass a share (0-1) or ratio to try
    others. Returns rows ``stage, material, mass_t, per_tonne_of_cans, basis``.

    ``cans`` is the cans on the shelves (a mass, or tonnes); ``scrap_share`` the share of the
    smelter's aluminium that becomes scrap (0.24 = 24 %); the two ratios are tonnes of alumina per
    tonne of aluminium and of bauxite per tonne of alumina.

    >>> back_calculate(Q_(760, "kg"))["mass_t"].round(3).tolist()
    [4.68, 2.0, 1.0, 0.24, 0.76]
    """
    figures = cola_figures()
    cans_t = checks.quantity(cans, "cans", "t", minimum=0)
    scrap = _scrap_share(figures["scrap_share"] if scrap_share is None else scrap_share)
    a_per_al = _ratio(figures["alumina_per_aluminium"] if alumina_per_aluminium is None else alumina_per_aluminium,
                      "alumina_per_aluminium")
    b_per_a = _ratio(figures["bauxite_per_alumina"] if bauxite_per_alumina is None else bauxite_per_alumina,
                     "bauxite_per_alumina")
    aluminium = cans_t / (1 - scrap)  # cans are the 76 % of smelter output that is not scrap
    alumina = aluminium * a_per_al
    bauxite = alumina * b_per_a
    scrap_t = aluminium * scrap
    rows = [
        ("bauxite mined", "bauxite", bauxite, "literature" if bauxite_per_alumina is None else "your input"),
        ("alumina to the smelter", "alumina", alumina, "seed" if alumina_per_aluminium is None else "your input"),
        ("aluminium from the smelter", "aluminium", aluminium, "seed" if scrap_share is None else "your input"),
        ("scrap", "aluminium", scrap_t, "seed" if scrap_share is None else "your input"),
        ("cans on the shelves", "aluminium", cans_t, "your input"),
    ]
    per = cans_t.magnitude
    frame = pd.DataFrame(
        [{"stage": s, "material": m, "mass_t": q.to("t").magnitude,
          "per_tonne_of_cans": (q.to("t").magnitude / per) if per else np.nan, "basis": b} for s, m, q, b in rows]
    )
    frame.attrs["units"] = {"mass_t": "t", "per_tonne_of_cans": "t/t"}
    return frame


def smelter_output(cans: pint.Quantity | float = Q_(1, "t"), *, scrap_share: pint.Quantity | float | None = None) -> pint.Quantity:
    """Aluminium that must leave the smelter for ``cans`` on the shelves (the row of :func:`back_calculate`), in t.

    >>> round(smelter_output(250, scrap_share=Q_(20, "percent")).magnitude, 3)
    312.5
    """
    flow = back_calculate(cans, scrap_share=scrap_share).set_index("stage")
    return Q_(float(flow.loc["aluminium from the smelter", "mass_t"]), "t")


@data.cached
def _aluminium_energy_per_tonne() -> pint.Quantity:
    """Table 1's energy per tonne of aluminium (``energy_table``, row ``aluminium``)."""
    row = data.load("energy_table").set_index("id").loc["aluminium"]
    reference = checks.unit(row["reference_unit"], "energy_table.aluminium.reference_unit")
    return Q_(float(row["value_kcal"]), "kcal") / Q_(float(row["reference_amount"]), reference)


def metal_energy(aluminium: pint.Quantity | float, unit: str = "GJ") -> pint.Quantity:
    """Energy to produce ``aluminium`` (a mass, or a number of tonnes) at Table 1's 50×10^6 kcal per tonne, in ``unit``.

    >>> round(metal_energy(Q_(2, "t"), "kWh").magnitude)
    116222
    """
    mass = checks.quantity(aluminium, "aluminium", "t", minimum=0)
    target = checks.unit(unit, "unit", like="GJ")
    return (mass * _aluminium_energy_per_tonne()).to("kcal").to(target)


def energy_per_tonne_of_cans(unit: str = "GJ") -> pint.Quantity:
    """Table-1 energy of the aluminium the smelter makes for one tonne of cans on the shelves (scrap included).

    >>> round(energy_per_tonne_of_cans().magnitude, 1)
    275.3
    """
    checks.unit(unit, "unit", like="GJ")
    return metal_energy(smelter_output(), unit)
