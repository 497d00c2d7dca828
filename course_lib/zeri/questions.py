"""The exercises of notebook 04 (ZERI brewery cascade); every answer is computed from the datasets."""

from __future__ import annotations

from collections.abc import Callable

import pint

from ..exercises import Question, register
from ..units import Q_
from ._cascade import compute
from ._params import default, model_parameters, parameter_rows, resolve, tables
from .model import outcomes, run_cascade
from .ranking import sensitivity

#: The links whose evidence the sorting exercise asks about.
EVIDENCE_QUIZ = ("bsg_to_livestock", "manure_to_digester", "fish_to_market", "biogas_co2", "substrate_to_livestock",
                 "co2_to_algae")


def _bsg_dry_matter() -> pint.Quantity:
    return Q_(default("beer_hl") * default("bsg_per_hl") * (1 - default("bsg_moisture")), "kg")


def _quantity(name: str) -> pint.Quantity:
    row = parameter_rows()[name]
    return Q_(row["value"], row["unit"])


def _ch4_per_cod() -> pint.Quantity:
    return (_quantity("molar_volume") / _quantity("cod_per_mol_ch4")).to("m**3/kg")


def _outcome(name: str) -> Callable[[], pint.Quantity]:
    def expected() -> pint.Quantity:
        row = outcomes(run_cascade()).set_index("outcome").loc[name]
        return Q_(float(row["value"]), str(row["unit"]))
    return expected


def _sms_protein() -> pint.Quantity:
    beer, p = resolve(None, {})
    rows = {(link, component): value for link, component, value in compute(beer, p)}
    m_dm = rows[("bsg_to_mushrooms", "dry matter")]
    straw_dm = rows[("straw_to_mushrooms", "dry matter")]
    mush_dm = rows[("mushrooms_to_market", "dry matter")]
    sms_dm = rows[("substrate_to_livestock", "dry matter")]
    protein = m_dm * p["bsg_protein"] + straw_dm * p["straw_protein"] - mush_dm * p["mushroom_protein"]
    return Q_(100 * protein / sms_dm, "percent")


def _fish_top() -> str:
    return str(sensitivity("fish").iloc[0]["parameter"])


def _evidence() -> dict[str, str]:
    links = tables()["links"]
    return {link: links[link]["stated"] for link in EVIDENCE_QUIZ}


register(Question(
    id="zeri.bsg_dry_matter",
    prompt="How many kilograms of dry matter are in the spent grain from 100 hL of beer (default parameters)?",
    expected=_bsg_dry_matter, unit="kg",
    hints=("Wet spent grain = beer volume x kg of spent grain per hL.",
           "Dry matter = wet mass x (1 - moisture)."),
))
register(Question(
    id="zeri.ch4_per_kg_cod",
    prompt="Derive the theoretical methane yield, in m³ of CH4 (0 °C, 1 atm) per kg of COD removed.",
    expected=_ch4_per_cod, unit="m**3/kg", rel_tol=0.01,
    hints=("CH4 + 2 O2 -> CO2 + 2 H2O: one mole of methane 'carries' 64 g of COD.",
           "One mole of gas takes 22.414 L at 0 °C and 1 atm: divide by 64 g and convert to m³/kg."),
))
register(Question(
    id="zeri.mushrooms_kg",
    prompt="With Wang et al.'s biological efficiency, how many kg of fresh mushrooms grow from the spent grain of 100 hL?",
    expected=_outcome("mushrooms"), unit="kg",
    hints=("Biological efficiency = fresh mushrooms / dry substrate.",
           "Dry substrate = spent-grain dry matter sent to the farm + the straw mixed in (same dry mass at the default)."),
))
register(Question(
    id="zeri.methane_kwh",
    prompt="How much energy (kWh, lower heating value) does the cascade's methane carry for 100 hL of beer?",
    expected=_outcome("methane_energy"), unit="kWh", rel_tol=0.03,
    hints=("Methane comes from manure volatile solids and from the wastewater COD removed; add both volumes.",
           "m³ -> kg with 16.04 g per 22.414 L, then x 50.0 MJ/kg, then MJ -> kWh (÷ 3.6)."),
))
register(Question(
    id="zeri.fish_top_parameter",
    prompt="Which parameter moves the fish harvest most over its plausible range? (its name in the parameter table)",
    expected=_fish_top,
    choices=tuple(sorted(model_parameters())),
    hints=("Read the tornado chart for fish: the longest bar.",),
))
register(Question(
    id="zeri.sms_protein",
    prompt="The article says mushrooms raise the protein content of the spent grain. What is the protein share (%) "
           "of the spent mushroom substrate's dry matter at the default parameters?",
    expected=_sms_protein, unit="percent", rel_tol=0.03,
    hints=("Protein in = spent grain x bsg_protein + straw x straw_protein; the mushrooms take some away.",
           "Divide the protein left by the substrate dry matter left (after the dry-matter loss)."),
))
register(Question(
    id="zeri.link_evidence",
    prompt="Sort each link: 'stated' (the article says it), 'implied' (follows from what it says) or 'model' "
           "(only the mass balance needs it).",
    expected=_evidence,
    hints=("Read the evidence sentence of each link in zeri_links; no sentence means the model added it.",),
))
