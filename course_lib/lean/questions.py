"""The expected answers of notebook 03's lean exercises (:mod:`course_lib.exercises`), from
:mod:`~course_lib.lean.model` and :mod:`~course_lib.lean.materials`."""

from __future__ import annotations

import pint

from .. import formats
from ..units import Q_
from ..variants import Variant
from .materials import metal_energy, smelter_output, stoichiometric_alumina_per_aluminium
from .model import value_added_ratio


# ---- Exercise 1: another value stream's ratio ------------------------------------------------------

def cola_ratio(v: Variant) -> pint.Quantity:
    return Q_(value_added_ratio(v.quantity("va_hours"), v.quantity("lead_days")), "").to("percent")


def cola_ratio_shows(v: Variant) -> dict[str, str]:
    return {"days": formats.number(v.number("lead_days", "day"))}


# ---- Exercise 2: predict the lead time for a target ratio -----------------------------------------

def lead_time_for_ratio(v: Variant) -> pint.Quantity:
    return (v.quantity("va_hours") / v.quantity("target")).to("day")


# ---- Exercise 3: the smelter's output for a tonnage of cans ----------------------------------------

def aluminium_for_cans(v: Variant) -> pint.Quantity:
    return smelter_output(v.quantity("cans_t"), scrap_share=v.quantity("scrap"))


def aluminium_for_cans_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    cans, scrap = v.quantity("cans_t"), v.number("scrap", "")
    return [(cans * (1 + scrap), "scrap_of_the_cans"),
            (cans * (1 - scrap), "cans_minus_scrap"),
            (cans * scrap / (1 - scrap), "scrap_alone")]


# ---- Exercise 4: the energy behind a number of cans -----------------------------------------------

def _cans_mass(v: Variant) -> pint.Quantity:
    return (v["cans"] * v.quantity("can_mass")).to("t")


def energy_behind_cans(v: Variant) -> pint.Quantity:
    return metal_energy(smelter_output(_cans_mass(v), scrap_share=v.quantity("scrap")), "MJ")


def energy_behind_cans_shows(v: Variant) -> dict[str, str]:
    return {"table_1": formats.quantity(metal_energy(Q_(1, "t"), "kcal") / Q_(1, "t"))}


def energy_behind_cans_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    scrap = v.number("scrap", "")
    return [(metal_energy(_cans_mass(v), "MJ"), "scrap_left_out"),
            (metal_energy(_cans_mass(v) * (1 + scrap), "MJ"), "scrap_of_the_cans")]


# ---- Exercise 5: the chemistry of alumina -------------------------------------------------------------

def stoichiometric_alumina(v: Variant) -> pint.Quantity:
    return (v.quantity("aluminium_t") * stoichiometric_alumina_per_aluminium()).to("t")


def stoichiometric_alumina_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    aluminium = v.quantity("aluminium_t")
    per_tonne = stoichiometric_alumina_per_aluminium().to("").magnitude
    return [(aluminium * 2, "round_figure"),
            (aluminium / per_tonne, "upside_down"),
            (aluminium * 2 * per_tonne, "one_atom")]
