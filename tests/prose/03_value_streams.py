"""Figures that notebook 03's prose states, computed from course_lib (see tests/test_prose_figures.py).

Each figure is a number a sentence or a worked solution of the notebook writes out: the prose test
finds it here at the precision printed, so a changed dataset that changes the figure makes the test
fail until the prose is updated.
"""

import math

from course_lib import circular, exercises, lean
from course_lib.units import Q_


def _cola():
    return lean.cola_summary().iloc[0]


def _scrap() -> float:
    return float(lean.cola_figures()["scrap_share"].to("dimensionless").magnitude)


def _stage(stage: str) -> float:
    return float(lean.back_calculate().set_index("stage").loc[stage, "mass_t"])


def _cans_per_tonne() -> float:
    return float((Q_(1, "t") / lean.cola_figures()["can_mass"]).to("dimensionless").magnitude)


def _weights():
    from course_lib import data

    return data.load("lean_atomic_weights").set_index("symbol")["atomic_weight"]


def _virgin(**overrides) -> float:
    return float(circular.steady_state(**overrides).loc[0, "virgin_t"])


def _scenario(output: str, **overrides) -> float:
    return float(circular.steady_state(**overrides).loc[0, output])


def _switch():
    return circular.simulate(lease_share=1.0, **circular.exercise_scenario()).set_index("year")


_FOUR_R = circular.exercise_scenario


def _your_switch():
    """The switch Exercise 13 draws for the default variant (the stored chart's description)."""
    mine = exercises.variant("circular.virgin_fall_in_year", None)
    return circular.simulate(start={"lifetime": mine.quantity("lifetime")}, lease_share=1, repair=mine.quantity("repair"),
                             reuse=mine.quantity("reuse"), recycle=mine.quantity("recycle"))


FIGURES = {
    # section 1: the cola can's time
    "hours of lead time per value-adding hour": lambda: _cola()["lead_time_h"] / _cola()["value_added_time_h"],
    "waiting time in days (log chart)": lambda: Q_(_cola()["waiting_time_h"], "h").to("day"),
    "value-added ratio of the cola can, % (the worked example)": lambda: _cola()["ratio_percent"],
    # section 2: metal and energy
    "scrap share as a fraction": _scrap,
    "share of the smelter's output that reaches cans": lambda: 1 - _scrap(),
    "the slip: 1 t of cans plus the scrap share of it": lambda: 1 + _scrap(),
    "scrap as a share of that slip's output": lambda: _scrap() / (1 + _scrap()),
    "aluminium from the smelter per t of cans (a percentage of what?)": lambda: _stage("aluminium from the smelter"),
    "bauxite mined per t of cans": lambda: _stage("bauxite mined"),
    "alumina per t of cans": lambda: _stage("alumina to the smelter"),
    "scrap per t of cans": lambda: _stage("scrap"),
    "energy per t of cans, kcal": lambda: lean.energy_per_tonne_of_cans("kcal"),
    "energy per t of cans, GJ": lambda: lean.energy_per_tonne_of_cans("GJ"),
    "cans per tonne": _cans_per_tonne,
    "energy per can, MJ (the worked example)": lambda: lean.energy_per_tonne_of_cans("MJ") / _cans_per_tonne(),
    "energy per can, kWh": lambda: lean.energy_per_tonne_of_cans("kWh") / _cans_per_tonne(),
    "molar mass of Al2O3, g/mol": lambda: 2 * _weights()["Al"] + 3 * _weights()["O"],
    "aluminium in one mole of Al2O3, g": lambda: 2 * _weights()["Al"],
    "the chemical floor, t of alumina per t of aluminium": lean.stoichiometric_alumina_per_aluminium,
    "lead time of the editor's made-up example, days": lambda: lean.lead_time(lean.parse_value_stream(lean.EXAMPLE_STREAM)).to("day"),
    # section 6: the product system
    "televisions leaving use per year": lambda: _scenario("products_leaving"),
    "virgin material, reference case": lambda: _virgin(),
    "lifetime doubled, years": lambda: 2 * circular.defaults()["lifetime"],
    "virgin material, lifetime doubled": lambda: _virgin(lifetime=2 * circular.defaults()["lifetime"]),
    "virgin material, sold with recycling only": lambda: _virgin(recycle=_FOUR_R()["recycle"]),
    "virgin material, leased with the 4R's (the worked example before Exercise 8)": lambda: _virgin(lease_share=1, **_FOUR_R()),
    "virgin material, sold with the 4R's": lambda: _virgin(**_FOUR_R()),
    "circulating, sold with the 4R's": lambda: _scenario("circulating_t", **_FOUR_R()),
    "circulating, leased with the 4R's": lambda: _scenario("circulating_t", lease_share=1, **_FOUR_R()),
    "virgin material, leased, 4R's, life doubled": lambda: _virgin(lease_share=1, lifetime=2 * circular.defaults()["lifetime"], **_FOUR_R()),
    "circulating, leased, 4R's, life doubled": lambda: _scenario("circulating_t", lease_share=1, lifetime=2 * circular.defaults()["lifetime"], **_FOUR_R()),
    "share of leaving products going back into use (repair + reuse)": lambda: _FOUR_R()["repair"] + _FOUR_R()["reuse"],
    "collection leased / collection sold": lambda: circular.defaults()["collection_leased"] / circular.defaults()["collection_sold"],
    "relative rise of the collection share": lambda: (circular.defaults()["collection_leased"] - circular.defaults()["collection_sold"]) / circular.defaults()["collection_sold"],
    "EU recycling target as a share": lambda: circular.reference_figures()["weee_screens_recycling_target"].to("dimensionless"),
    "share of a recycled television lost at the EU target": lambda: 1 - circular.reference_figures()["weee_screens_recycling_target"].to("dimensionless"),
    "leased share of the stock after one lifetime, 1 - exp(-1) (simulate's closed form)": lambda: 1 - math.exp(-1),
    "leased share of the stock 5 years after the switch": lambda: _switch().loc[5, "leased_in_use"],
    "virgin material at the end of the switch chart": lambda: _switch()["virgin_t"].iloc[-1],
    "circulating at the end of the switch chart": lambda: _switch()["circulating_t"].iloc[-1],
    # Exercise 13's own chart, drawn for the default variant: its stored description
    "virgin material before the switch, Exercise 13's chart": lambda: _your_switch()["virgin_t"].iloc[0],
    "virgin material at the end of Exercise 13's chart": lambda: _your_switch()["virgin_t"].iloc[-1],
    "circulating at the end of Exercise 13's chart": lambda: _your_switch()["circulating_t"].iloc[-1],
}

ALLOWED = {
    "45": "the length of a teaching session, in minutes",
    "140": "minutes: the time the notebook's core path takes, recomputed by tests/test_lesson_timing.py from datasets/lesson_timing.csv",
    "0.5": "the lower end of the ratio chart's value-adding-time slider (hours), a choice of the chart, not a figure about the world",
    "48": "the upper end of the ratio chart's value-adding-time slider (hours), a choice of the chart, not a figure about the world",
}
