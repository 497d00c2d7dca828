"""The exercises of notebook 05 (Kalundborg), each answer computed from the datasets when checked."""

from __future__ import annotations

import pandas as pd
import pint

from .. import data
from ..exercises import Question, register
from ..flows import sum_by_unit
from ..units import Q_
from .network import hub_ranking, what_if
from .park import kalundborg, outcomes


def _outcome(oid: str) -> pint.Quantity:
    """Figure ``oid`` of kalundborg_outcomes as a pint Quantity (a rate when it has a period)."""
    row = data.load("kalundborg_outcomes").set_index("id").loc[oid]
    unit = row["unit"] if pd.isna(row["period"]) else f"{row['unit']}/{row['period']}"
    return Q_(float(row["value"]), unit)


def _asnaes_exchanges() -> pint.Quantity:
    return Q_(int(hub_ranking(kalundborg()).set_index("partner").loc["asnaes", "exchanges"]), "dimensionless")


def _noveren_total() -> pint.Quantity:
    total = sum_by_unit(outcomes().query("kind == 'waste received'"))
    return Q_(total.loc[0, "total"], f"{total.loc[0, 'unit']}/{total.loc[0, 'period']}")


def _water_saved() -> pint.Quantity:
    return _outcome("groundwater_saved") + _outcome("surface_water_saved")


def _so2_per_oil() -> pint.Quantity:
    return (_outcome("so2_avoided") / _outcome("oil_saved")).to("kg/t")


def _gyproc_waste() -> pint.Quantity:
    q = what_if(kalundborg(), "gyproc").quantities
    return Q_(q.loc[0, "total"], f"{q.loc[0, 'unit']}/{q.loc[0, 'period']}")


def _broker() -> str:
    ranking = hub_ranking(kalundborg())
    return str(ranking.sort_values("betweenness", ascending=False).iloc[0]["partner"])


def _ash_gap() -> pint.Quantity:
    return _outcome("ash_used") - _outcome("fly_ash_output")


def _waste_per_household() -> pint.Quantity:
    tonnes = _outcome("combustible_waste") * Q_(1, "year")
    return tonnes / _outcome("combustible_waste_households").magnitude


def _receivers_lose_asnaes() -> pint.Quantity:
    return Q_(len(what_if(kalundborg(), "asnaes").lost_supplies), "dimensionless")


for _q in (
    Question("symbiosis.asnaes_exchanges", "How many active exchanges (in and out) does Asnæs Power Station take part in?",
             _asnaes_exchanges, unit="dimensionless", rel_tol=0.0,
             hints=("Count the rows of the exchanges table whose source or target is 'asnaes' and whose status is active.",
                    "11 flows leave Asnæs; count the ones that arrive too.")),
    Question("symbiosis.noveren_total", "How many tonnes of waste a year does Noveren receive in the six streams of 'The Profits'?",
             _noveren_total, unit="t/year",
             hints=("Add the six 'Other Waste' figures: paper/cardboard, rubble/concrete, garden refuse, bio waste, metal, glass.",)),
    Question("symbiosis.water_saved", "How many cubic metres of water a year do the Symbiosis companies save in total?",
             _water_saved, unit="m**3/year",
             hints=("'The Profits' gives ground water and surface water separately; both are per year.", "1.9 million + 1 million.")),
    Question("symbiosis.so2_per_tonne_oil", "How many kilograms of SO₂ are avoided per tonne of oil saved?",
             _so2_per_oil, unit="kg/t",
             hints=("Divide the SO₂ reduction by the oil reduction; both are tonnes a year.", "380 t / 20,000 t, then tonnes to kilograms.")),
    Question("symbiosis.gyproc_closes", "If BPB Gyproc closed, how many tonnes a year of by-products with a printed quantity would lose their outlet?",
             _gyproc_waste, unit="t/year",
             hints=("Use symbiosis.what_if(park, 'gyproc') and look at .new_waste and .quantities.",)),
    Question("symbiosis.broker", "Which partner has the highest betweenness centrality (the biggest broker of flows)? Give its id.",
             _broker, choices=tuple(kalundborg().partners["id"]),
             hints=("symbiosis.hub_ranking(park) has a 'betweenness' column: sort by it.",)),
    Question("symbiosis.ash_gap", "The Ash section gives 30,000 t of fly ash a year; 'The Profits' gives 80,000 t of ash a year. "
             "If both are right, how many tonnes a year of ash are not fly ash?",
             _ash_gap, unit="t/year", hints=("Subtract: both figures are tonnes a year.",)),
    Question("symbiosis.waste_per_household", "Noveren's combustible waste equals the power and heat of about 6,500 households. "
             "How many tonnes of waste is that per household per year?",
             _waste_per_household, unit="t", hints=("56,000 t a year shared by 6,500 households.",)),
    Question("symbiosis.asnaes_receivers", "If Asnæs Power Station closed, how many of the remaining partners would lose at least one supply?",
             _receivers_lose_asnaes, unit="dimensionless", rel_tol=0.0,
             hints=("Count the distinct targets of Asnæs's outgoing flows.",)),
):
    register(_q)
