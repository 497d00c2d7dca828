"""The exercises of notebook 03 on lean thinking: the cola can's ratio, metal, energy and the five steps."""

from __future__ import annotations

import pint

from ..exercises import Question, register
from ..units import Q_
from .materials import back_calculate, energy_per_tonne_of_cans, stoichiometric_alumina_per_aluminium
from .model import cola_figures, cola_summary, five_steps


def _cola_ratio() -> pint.Quantity:
    return Q_(cola_summary().loc[0, "ratio_percent"], "percent")


def _waiting_days() -> pint.Quantity:
    return Q_(cola_summary().loc[0, "waiting_time_h"], "h").to("day")


def _stage(stage: str) -> pint.Quantity:
    return Q_(float(back_calculate().set_index("stage").loc[stage, "mass_t"]), "t")


def _energy_per_can() -> pint.Quantity:
    cans_per_tonne = (Q_(1, "t") / cola_figures()["can_mass"]).to("dimensionless").magnitude
    return (energy_per_tonne_of_cans("MJ") / cans_per_tonne).to("MJ")


# What a lean thinker would do, keyed by the step number in lean_five_steps (course wording).
_ACTIONS = {
    "ask customers which features of a television they actually pay for": 1,
    "walk the whole path of a can from the mine to the shelf and list every action": 2,
    "put the can maker next to the bottler so cans go straight from one to the other": 3,
    "make cans only when the shop signals that it has sold some": 4,
    "meet every month to find and remove one more source of waste": 5,
}


def _match_steps() -> dict[str, str]:
    steps = five_steps().set_index("step_no")["principle"]
    return {action: str(steps.loc[no]) for action, no in _ACTIONS.items()}


for _q in (
    Question(
        id="lean.cola_ratio",
        prompt="What percentage of the cola can's 319 days actually adds value (3 hours)?",
        expected=_cola_ratio,
        unit="percent",
        hints=("Put both times in the same unit first: 319 days × 24 h/day.", "ratio = 3 h / (319 × 24 h), then × 100 for a percentage."),
    ),
    Question(
        id="lean.waiting_days",
        prompt="For how many days of the 319 is the can's material waiting, being moved or stored, adding no value?",
        expected=_waiting_days,
        unit="day",
        rel_tol=0.001,
        hints=("Lead time minus value-adding time.", "3 hours is 3/24 of a day."),
    ),
    Question(
        id="lean.aluminium_per_tonne_of_cans",
        prompt="How many tonnes of aluminium must leave the smelter for 1 tonne of cans to reach the shelves, if 24 % of the smelter's output becomes scrap?",
        expected=lambda: _stage("aluminium from the smelter"),
        unit="t",
        hints=("The cans are the part that is not scrap: 76 % of the smelter's output.", "smelter output × 0.76 = 1 t, so smelter output = 1 t / 0.76."),
    ),
    Question(
        id="lean.alumina_per_tonne_of_cans",
        prompt="How many tonnes of alumina does the smelter reduce for 1 tonne of cans on the shelves?",
        expected=lambda: _stage("alumina to the smelter"),
        unit="t",
        hints=("Start from your answer for the aluminium the smelter must make.", "Two tonnes of alumina give one tonne of aluminium."),
    ),
    Question(
        id="lean.energy_per_tonne_of_cans",
        prompt="Using Table 1 (50×10^6 kcal per tonne of aluminium), how much energy, in GJ, goes into the aluminium for 1 tonne of cans on the shelves, scrap included?",
        expected=lambda: energy_per_tonne_of_cans("GJ"),
        unit="GJ",
        hints=("Multiply the aluminium leaving the smelter by 50×10^6 kcal/t.", "1 kcal = 4,184 J, and 1 GJ = 10^9 J."),
    ),
    Question(
        id="lean.energy_per_can",
        prompt="With a can of about 15 g of aluminium, how much Table-1 energy (in MJ) stands behind one can on the shelf, scrap included?",
        expected=_energy_per_can,
        unit="MJ",
        hints=("How many 15 g cans are in one tonne?", "Divide the energy per tonne of cans by the number of cans per tonne."),
    ),
    Question(
        id="lean.stoichiometric_alumina",
        prompt="Chemistry check: Al2O3 holds two aluminium atoms. How many tonnes of alumina contain exactly one tonne of aluminium (Al = 26.98 g/mol, O = 16.00 g/mol)?",
        expected=stoichiometric_alumina_per_aluminium,
        unit="t/t",
        rel_tol=0.01,
        hints=("Molar mass of Al2O3 = 2 × 26.98 + 3 × 16.00 g/mol.", "tonnes of Al2O3 per tonne of Al = M(Al2O3) / (2 × M(Al))."),
    ),
    Question(
        id="lean.match_steps",
        prompt="Match each action to the one of Womack and Jones's five steps it puts into practice (Value, Value stream, Flow, Pull, Perfection).",
        expected=_match_steps,
        hints=("Pull means nothing is made until a customer downstream asks for it.",),
    ),
):
    register(_q)
del _q
