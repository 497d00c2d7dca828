"""The expected answers of notebook 05's exercises (Kalundborg; :mod:`course_lib.exercises`), from
:func:`~course_lib.symbiosis.partner_flows`, :func:`~course_lib.symbiosis.what_if`,
:func:`~course_lib.symbiosis.hub_ranking`, :func:`~course_lib.symbiosis.add_to_park` and pint.

>>> from course_lib.variants import draw
>>> partner_links(draw("symbiosis.partner_links", None))
['Asnæs Power Station', 'Fertilizer maker', 'Noveren']
>>> round(water_after_cut(draw("symbiosis.water_after_cut", None)).to("m**3/year").magnitude)
7200000
"""

from __future__ import annotations

import functools
import math

import pandas as pd
import pint

from .. import data, formats
from ..units import Q_
from ..variants import Slips, Variant
from .network import hub_ranking, partner_flows, what_if
from .park import Park, add_to_park, kalundborg

#: Conventional atomic weights of sulphur and oxygen, g/mol (Meija, J. et al. (2016). Atomic weights of
#: the elements 2013 (IUPAC Technical Report). Pure and Applied Chemistry 88(3): 265-291).
SULPHUR, OXYGEN = 32.06, 15.999
#: Mass of sulphur dioxide formed per mass of sulphur burnt, M(SO2) / M(S): about two.
SO2_PER_SULPHUR = (SULPHUR + 2 * OXYGEN) / SULPHUR


def _outcome(oid: str) -> pint.Quantity:
    """Figure ``oid`` of kalundborg_outcomes as a pint Quantity (a rate when it has a period)."""
    row = data.load("kalundborg_outcomes").set_index("id").loc[oid]
    unit = row["unit"] if pd.isna(row["period"]) else f"{row['unit']}/{row['period']}"
    return Q_(float(row["value"]), unit)


# ---- The network: who trades with whom, what breaks --------------------------------------------


def partner_links(v: Variant) -> list[str]:
    """The partners the student's partner trades with (active flows in or out), each once, as labelled."""
    flows = partner_flows(kalundborg(), str(v["partner"]))
    return sorted(dict.fromkeys(flows["other"]))


#: The answer ranges of ``closure_receivers``: option id -> the counts it holds.
RECEIVER_RANGES = {"one_two": range(1, 3), "three_five": range(3, 6), "six_eight": range(6, 9), "nine_more": range(9, 10_000)}


def closure_receivers(v: Variant) -> str:
    """The range holding the number of remaining partners that lose a supply when the partner closes."""
    count = len(what_if(kalundborg(), str(v["partner"])).lost_supplies)
    return next(option for option, counts in RECEIVER_RANGES.items() if count in counts)


def broker(v: Variant) -> str:
    """The partner with the highest betweenness (the biggest go-between of flows)."""
    ranking = hub_ranking(kalundborg())
    return str(ranking.sort_values("betweenness", ascending=False).iloc[0]["partner"])


# ---- Percent and percentage points -----------------------------------------------------------------


def cut_percent_larger(v: Variant) -> pint.Quantity:
    """By how many percent the plant's cut is larger than the park's (a percent change, not points)."""
    return Q_((v.number("plant_cut", "") / v.number("park_cut", "") - 1) * 100, "percent")


def cut_percent_larger_shows(v: Variant) -> dict[str, object]:
    """The report's figure: the difference of the two cuts, written (wrongly) as a percent."""
    return {"report": formats.number(v.number("plant_cut") - v.number("park_cut"), 4)}


def cut_percent_larger_slips(v: Variant) -> Slips:
    plant, park = v.number("plant_cut"), v.number("park_cut")
    return [
        (Q_(plant - park, "percent"), "points"),
        (Q_(plant / park, "percent"), "ratio"),
        (Q_(plant / park * 100, "percent"), "ratio_as_percent"),
        (Q_(plant + park, "percent"), "added"),
        (Q_((plant - park) / plant * 100, "percent"), "wrong_base"),
    ]


# ---- Water, sulphur dioxide, households: yardsticks on a new case --------------------------------------


def _water_saved(v: Variant) -> pint.Quantity:
    return (v.quantity("ground_saved") + v.quantity("surface_saved")).to("m**3/year")


def water_after_cut(v: Variant) -> pint.Quantity:
    """Water used after the cut: the savings are the cut's share of the use before."""
    saved, cut = _water_saved(v), v.number("cut", "")
    return (saved / cut - saved).to("m**3/year")


def water_after_cut_slips(v: Variant) -> Slips:
    saved, cut = _water_saved(v), v.number("cut", "")
    ground = v.quantity("ground_saved").to("m**3/year")
    return [
        (saved / cut, "before"),
        (saved / (cut * 100), "percent_figure"),
        (saved / (cut * 100) - saved, "percent_figure"),
        (saved * (1 - cut), "multiplied"),
        (ground / cut - ground, "ground_only"),
    ]


def so2_avoided(v: Variant) -> pint.Quantity:
    """SO2 no longer emitted: the fuel's sulphur, burnt to sulphur dioxide (no desulphurisation)."""
    return (v.quantity("fuel_saved") * v.number("sulphur", "") * SO2_PER_SULPHUR).to("t/year")


def so2_avoided_slips(v: Variant) -> Slips:
    fuel, share = v.quantity("fuel_saved").to("t/year"), v.number("sulphur", "")
    article = (_outcome("so2_avoided") / _outcome("oil_saved")).to("")
    return [
        (fuel * share, "sulphur_only"),
        (fuel * share * 100 * SO2_PER_SULPHUR, "percent_as_share"),
        (fuel * article, "article_ratio"),
    ]


def households_heated(v: Variant) -> pint.Quantity:
    """Households whose yearly heat the town's waste provides."""
    heat = v.quantity("waste") * v.quantity("heat_per_tonne")
    return (heat / v.quantity("household_heat")).to("")


def households_heated_slips(v: Variant) -> Slips:
    right = households_heated(v)
    per_household = (_outcome("combustible_waste") / _outcome("combustible_waste_households")).to("t/year")
    return [
        (right * 3.6, "not_converted"),
        (right / 3.6, "converted_backwards"),
        ((v.quantity("waste") / per_household).to(""), "article_ratio"),
    ]


# ---- The model: grow the park --------------------------------------------------------------------------

#: The new partner of the model and chart exercises, as a row of the park's partners file.
NEW_PARTNER = {"id": "biogas", "name": "Biogas plant", "label": "Biogas plant", "kind": "outside"}


def biogas_exchanges(energy: pint.Quantity, heat: pint.Quantity) -> list[dict[str, object]]:
    """The new plant's links to the park: biogas to the power station, heat back, digestate to the farmers
    (its quantity not known, so left empty)."""
    return [
        {"source": "biogas", "target": "asnaes", "material": "biogas", "value": energy.to("MWh/year").magnitude,
         "unit": "MWh", "period": "year", "category": "energy"},
        {"source": "asnaes", "target": "biogas", "material": "digester heat", "value": heat.to("MWh/year").magnitude,
         "unit": "MWh", "period": "year", "category": "energy"},
        {"source": "biogas", "target": "farmers", "material": "digestate", "value": None, "unit": None, "category": "by-product"},
    ]


def residue_exchanges(per_year: pint.Quantity, per_month: pint.Quantity) -> list[dict[str, object]]:
    """The residues the new plant takes: one rate a year, one a month, as given."""
    return [
        {"source": "novo_nordisk", "target": "biogas", "material": "fermentation residue",
         "value": per_year.to("t/year").magnitude, "unit": "t", "period": "year", "category": "by-product"},
        {"source": "novozymes", "target": "biogas", "material": "fermentation residue",
         "value": per_month.to("t/month").magnitude, "unit": "t", "period": "month", "category": "by-product"},
    ]


@functools.lru_cache(maxsize=256)
def _grown(energy: float, heat: float) -> Park:
    return add_to_park(kalundborg(), partners=NEW_PARTNER,
                       exchanges=biogas_exchanges(Q_(energy, "MWh/year"), Q_(heat, "MWh/year")))


def _lost(park: Park, partner: str) -> dict[str, float]:
    """Known quantities lost when ``partner`` closes: unit label -> total."""
    totals = what_if(park, partner).quantities
    return dict(zip(totals["unit_label"], totals["total"]))


def new_partner_hub(v: Variant) -> pint.Quantity:
    """Megawatt-hours a year lost when the hub closes, once the biogas plant has joined."""
    park = _grown(v.number("biogas_energy"), v.number("digester_heat"))
    return Q_(_lost(park, "asnaes")["MWh/year"], "MWh/year")


def new_partner_hub_slips(v: Variant) -> Slips:
    energy, heat = v.quantity("biogas_energy").to("MWh/year"), v.quantity("digester_heat").to("MWh/year")
    gypsum = _outcome("gypsum_received").to("t/year").magnitude
    return [
        (energy, "biogas_only"),
        (heat, "heat_only"),
        (energy - heat, "net"),
        (energy + heat + Q_(gypsum, "MWh/year"), "gypsum_added"),
    ]


def new_partner_chart(v: Variant) -> pint.Quantity:
    """Tonnes a year of residue lost when the biogas plant closes (the monthly rate turned into a yearly one)."""
    park = add_to_park(kalundborg(), partners=NEW_PARTNER,
                       exchanges=residue_exchanges(v.quantity("residue_year"), v.quantity("residue_month")))
    lost = _lost(park, "biogas")
    return (Q_(lost["t/year"], "t/year") + Q_(lost["t/month"], "t/month")).to("t/year")


def new_partner_chart_slips(v: Variant) -> Slips:
    year, month = v.quantity("residue_year").to("t/year"), v.quantity("residue_month").to("t/month")
    return [
        (Q_(year.magnitude + month.magnitude, "t/year"), "month_as_year"),
        (year, "yearly_only"),
        (month.to("t/year"), "monthly_only"),
    ]


# ---- Reflection ------------------------------------------------------------------------------------------


def wood_chips_shows(v: Variant) -> dict[str, object]:
    """The gypsum left after the change of fuel: it follows the sulphur burnt for the same heat."""
    sulphur_left = v.number("wood_sulphur", "") * v.number("wood_per_coal") / v.number("coal_sulphur", "")
    gypsum = _outcome("gypsum_received").to("t/year")
    return {"gypsum": formats.quantity(gypsum), "sulphur_left": f"{formats.number(sulphur_left * 100, 2)} %",
            "gypsum_left": formats.quantity(Q_(_rounded(gypsum.magnitude * sulphur_left, 2), "t/year"))}


def _rounded(x: float, digits: int) -> float:
    """``x`` to ``digits`` significant digits (11,765 -> 12,000): an estimate shown as one."""
    return round(x, digits - 1 - math.floor(math.log10(abs(x)))) if x else 0.0
