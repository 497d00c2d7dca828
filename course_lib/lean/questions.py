"""The exercises of notebook 03 on lean thinking: the cola can's ratio, its metal, the energy in one can, a lean step.

Every expected answer is computed from the datasets (``lean_cola_figures``, ``lean_atomic_weights``,
``energy_table``), so an instructor who adapts a figure gets consistent answers. Prompts and hints
name no figure that a dataset holds: the notebook shows the figures, read from the data.
"""

from __future__ import annotations

import pint

from ..exercises import Question, register
from ..units import Q_
from .materials import back_calculate, energy_per_tonne_of_cans, stoichiometric_alumina_per_aluminium
from .model import cola_figures, cola_summary

#: The value-added ratio the prediction exercise aims at (a round target, not a figure of the article).
TARGET_RATIO = Q_(1, "percent")


def _cola_ratio() -> pint.Quantity:
    return Q_(cola_summary().loc[0, "ratio_percent"], "percent")


def _lead_time_for_target() -> pint.Quantity:
    """The lead time at which the article's value-adding hours make up ``TARGET_RATIO`` of it."""
    return (cola_figures()["value_added_time"] / TARGET_RATIO).to("day")


def _smelter_output() -> pint.Quantity:
    return Q_(float(back_calculate().set_index("stage").loc["aluminium from the smelter", "mass_t"]), "t")


def _energy_per_can() -> pint.Quantity:
    cans_per_tonne = (Q_(1, "t") / cola_figures()["can_mass"]).to("dimensionless").magnitude
    return (energy_per_tonne_of_cans("MJ") / cans_per_tonne).to("MJ")


_STEPS = {"value": "Value", "value_stream": "Value stream", "flow": "Flow", "pull": "Pull", "perfection": "Perfection"}

for _q in (
    Question(
        id="lean.cola_ratio",
        prompt="What percentage of the cola can's lead time (bauxite mine to shelf) actually adds value?",
        expected=_cola_ratio,
        unit="percent",
        kind="recall",
        hints=("Put both times in the same unit first: a day has 24 hours.",
               "ratio = value-adding hours / lead time in hours, then × 100 for a percentage."),
    ),
    Question(
        id="lean.lead_time_for_one_percent",
        prompt=("Predict: keeping the article's value-adding hours, how short (in days) must the cola can's lead time "
                "become for the value-added ratio to reach 1 %? Then check it with the sliders."),
        expected=_lead_time_for_target,
        unit="day",
        rel_tol=0.05,  # the slider moves in whole days
        kind="predict",
        hints=("If the value-adding hours are 1 % of the lead time, the lead time is 100 times the value-adding hours.",
               "Multiply the value-adding hours by 100, then divide by 24 hours per day."),
    ),
    Question(
        id="lean.aluminium_per_tonne_of_cans",
        prompt=("How many tonnes of aluminium must leave the smelter for 1 tonne of cans to reach the shelves, "
                "given the share of the smelter's output that becomes scrap?"),
        expected=_smelter_output,
        unit="t",
        kind="misconception",  # the base of a percentage: a share of the output, not of the cans
        hints=("The scrap share is a share of what leaves the smelter, not of the cans: adding it on top of 1 t "
               "takes the percentage of the wrong amount.",
               "smelter output × (1 − scrap share) = 1 t of cans; solve for the smelter output."),
    ),
    Question(
        id="lean.energy_per_can",
        prompt=("Table 1 gives the energy to produce one tonne of aluminium. How much of that energy, in MJ, stands "
                "behind one empty can on the shelf, scrap included (use the course's can mass)?"),
        expected=_energy_per_can,
        unit="MJ",
        kind="transfer",
        hints=("First the energy for 1 t of cans: the smelter's output for 1 t of cans × Table 1's energy per tonne.",
               "Then divide by the number of cans in one tonne (1 t = 1,000,000 g, divided by the mass of one can)."),
    ),
    Question(
        id="lean.stoichiometric_alumina",
        prompt=("Chemistry check: alumina is Al2O3, two aluminium atoms and three oxygen atoms. With the atomic weights "
                "in the table, how many tonnes of alumina contain exactly one tonne of aluminium?"),
        expected=stoichiometric_alumina_per_aluminium,
        unit="t/t",
        rel_tol=0.01,
        kind="transfer",
        hints=("Molar mass of Al2O3 = 2 × M(Al) + 3 × M(O), in g/mol.",
               "tonnes of Al2O3 per tonne of Al = M(Al2O3) / (2 × M(Al))."),
    ),
    Question(
        id="lean.bakery_step",
        prompt=("A bakery stops baking a full oven of rolls every morning; it now bakes the next tray only when the shelf "
                "in the shop is half empty. Which of Womack and Jones's five steps does this put into practice?"),
        expected=lambda: "pull",
        choices=tuple(_STEPS),
        labels=_STEPS,
        explanations={
            "value": "Value is deciding what the customer actually pays for (warm rolls, say); it does not say when to bake.",
            "value_stream": "The value stream is the list of every action from flour to the customer's bag; mapping it "
                            "comes before deciding what triggers the baking.",
            "flow": "Flow removes the waiting between steps (dough going straight from mixer to oven); here the change is "
                    "who starts production, and that is pull.",
            "pull": "The customers' purchases, not the oven's capacity, now decide when the next tray is baked.",
            "perfection": "Perfection is the endless search for the next waste to remove; this rule is one specific "
                          "practice: pull.",
        },
        kind="transfer",
        hints=("Ask what now starts the baking: the oven being free, or a customer taking rolls?",),
    ),
):
    register(_q)
del _q
