"""The exercises of notebook 03 on the service economy: virgin material, waste and the four frameworks."""

from __future__ import annotations

from typing import Any

import pint

from ..exercises import Question, register
from ..units import Q_
from .frameworks import frameworks
from .model import defaults, exercise_scenario, steady_state


def _t(output: str, **overrides: Any) -> pint.Quantity:
    return Q_(float(steady_state(**overrides).loc[0, output]), "t/year")


def _framework_items() -> dict[str, str]:
    table = frameworks()
    # Five items, one or two per framework, picked by their number in the datasets.
    pick = [("Lean thinking", 4), ("Service economy: the 4R's", 3), ("Natural capitalism", 3),
            ("Cradle to cradle", 2), ("Natural capitalism", 2)]
    out = {}
    for framework, no in pick:
        row = table[(table["framework"] == framework) & (table["no"] == no)].iloc[0]
        out[str(row["item"])] = framework
    return out


for _q in (
    Question(
        id="circular.virgin_linear",
        prompt="1,000 televisions of 15 kg are in use, each for 5.6 years, all sold, none collected for the 4R's. How many tonnes of virgin material does keeping them in use take per year?",
        expected=lambda: _t("virgin_t"),
        unit="t/year",
        hints=("How many televisions reach the end of their use each year? stock / lifetime.", "Each one is replaced by a new one of 15 kg made from virgin material."),
    ),
    Question(
        id="circular.virgin_double_lifetime",
        prompt="Same system, but each television is used twice as long (11.2 years). Virgin material per year?",
        expected=lambda: _t("virgin_t", lifetime=2 * defaults()["lifetime"]),
        unit="t/year",
        hints=("Half as many televisions leave use each year.",),
    ),
    Question(
        id="circular.virgin_sold_4r",
        prompt="All televisions sold (40 % collected), and of the collected ones 20 % repaired, 10 % reused, 60 % recycled. Virgin material per year?",
        expected=lambda: _t("virgin_t", **exercise_scenario()),
        unit="t/year",
        hints=("Only collected televisions can be repaired, reused or recycled: 40 % of those leaving use.",
               "virgin = (leaving × 15 kg) × (1 − 0.4 × (0.2 + 0.1 + 0.6))."),
    ),
    Question(
        id="circular.virgin_leased_4r",
        prompt="The same 4R shares, but every television is leased, so the manufacturer takes every one back. Virgin material per year?",
        expected=lambda: _t("virgin_t", lease_share=1.0, **exercise_scenario()),
        unit="t/year",
        hints=("Leased televisions are all collected: the share collected is 1.", "virgin = (leaving × 15 kg) × (1 − 0.2 − 0.1 − 0.6)."),
    ),
    Question(
        id="circular.waste_leased_4r",
        prompt="In that leased system, how many tonnes of waste per year? (Think before you compute.)",
        expected=lambda: _t("waste_t", lease_share=1.0, **exercise_scenario()),
        unit="t/year",
        hints=("The stock in use does not grow: what enters from nature each year must leave somewhere.",),
    ),
    Question(
        id="circular.circulating_leased_4r",
        prompt="In that leased system, how many tonnes of material go round again each year (products repaired or reused plus recycled material)?",
        expected=lambda: _t("circulating_t", lease_share=1.0, **exercise_scenario()),
        unit="t/year",
        hints=("Material entering use = virgin + circulating.",),
    ),
    Question(
        id="circular.match_frameworks",
        prompt="Which framework does each idea come from: 'Lean thinking', \"Service economy: the 4R's\", 'Natural capitalism' or 'Cradle to cradle'?",
        expected=_framework_items,
        hints=("Lean's five steps: value, value stream, flow, pull, perfection.",),
    ),
):
    register(_q)
del _q
