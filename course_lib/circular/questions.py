"""The expected answers of notebook 03's circular exercises (:mod:`course_lib.exercises`), from
:func:`~course_lib.circular.model.steady_state` and :func:`~course_lib.circular.model.simulate`."""

from __future__ import annotations

from typing import Any

import pint

from .. import formats, lean
from ..units import Q_
from ..variants import Variant
from .model import defaults, simulate, steady_state


def _virgin(**overrides: Any) -> pint.Quantity:
    return Q_(float(steady_state(**overrides).loc[0, "virgin_t"]), "t/year")


def _t(value: pint.Quantity) -> str:
    return formats.quantity(value.to("t/year"), 3)


def _share(value: float | pint.Quantity) -> str:
    share = value.to("").magnitude if isinstance(value, pint.Quantity) else value
    return formats.quantity(Q_(share * 100, "percent"), 3)


# ---- Exercise 7: which single lever cuts virgin material most? --------------------------------------

def _levers(v: Variant) -> dict[str, pint.Quantity]:
    return {
        "lease": _virgin(lease_share=1),
        "recycle": _virgin(recycle=v.quantity("recycle")),
        "longer_life": _virgin(lifetime=defaults()["lifetime"] * v["factor"]),  # type: ignore[operator]
    }


def strongest_lever(v: Variant) -> str:
    virgin = _levers(v)
    return min(virgin, key=lambda lever: virgin[lever].magnitude)


def strongest_lever_shows(v: Variant) -> dict[str, str]:
    virgin = _levers(v)
    d = defaults()
    return {
        "reference": _t(_virgin()), "virgin_lease": _t(virgin["lease"]), "virgin_recycle": _t(virgin["recycle"]),
        "virgin_life": _t(virgin["longer_life"]), "collection": _share(d["collection_sold"]),
        "lifetime": formats.quantity(Q_(d["lifetime"], "year"), 3),
        "longer": formats.quantity(Q_(d["lifetime"] * v["factor"], "year"), 3),  # type: ignore[operator]
    }


# ---- Exercise 8: the leased system of another product ---------------------------------------------

def _product(v: Variant) -> dict[str, Any]:
    return {"stock": v["stock"], "mass": v.quantity("mass"), "lifetime": v.quantity("lifetime")}


def _four_r(v: Variant) -> dict[str, pint.Quantity]:
    return {name: v.quantity(name) for name in ("repair", "reuse", "recycle")}


def virgin_leased_4r(v: Variant) -> pint.Quantity:
    return _virgin(lease_share=1, **_product(v), **_four_r(v))


def virgin_leased_4r_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    return [
        (_virgin(lease_share=0, **_product(v), **_four_r(v)), "sold"),
        (_virgin(lease_share=1, **_product(v), recycle=v.quantity("recycle")), "recycling_only"),
        (_virgin(**_product(v)), "no_loop"),
    ]


# ---- Exercise 9: percent or percentage points? ------------------------------------------------------

def collection_rise(v: Variant) -> str:
    return str(v["says"])  # the option ids are the three readings, named like the variant's options


def _collection_figures(v: Variant) -> dict[str, float]:
    old, new = v.number("old", ""), v.number("new", "")
    return {"points": (new - old) * 100, "relative": (new - old) / old * 100, "times": new / old * 100}


def collection_rise_shows(v: Variant) -> dict[str, str]:
    figures = {name: formats.number(value, 3) for name, value in _collection_figures(v).items()}
    return {**figures, "claimed": figures[str(v["says"])]}


# ---- Exercise 10: recycling loses material --------------------------------------------------------

def virgin_recycling_losses(v: Variant) -> pint.Quantity:
    return _virgin(lease_share=1, recycle=1, recycling_yield=v.quantity("recovered"), lifetime=v.quantity("lifetime"))


def virgin_recycling_losses_shows(v: Variant) -> dict[str, str]:
    d = defaults()
    return {"stock": formats.number(d["stock"]), "mass": formats.quantity(Q_(d["mass"], "kg"))}


def virgin_recycling_losses_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    lifetime = v.quantity("lifetime")
    recovered = v.number("recovered", "")
    return [
        (Q_(0, "t/year"), "lossless"),
        (_virgin(lease_share=1, recycle=1, recycling_yield=1 - recovered, lifetime=lifetime),
         "recovered_not_lost"),
        (_virgin(lifetime=lifetime), "nothing_recycled"),
    ]


# ---- Exercise 11: recycle everything, or repair part? ---------------------------------------------

def _recycle_or_repair(v: Variant) -> dict[str, pint.Quantity]:
    return {"recycling": _virgin(lease_share=1, recycle=1, recycling_yield=v.quantity("recovered")),
            "repair": _virgin(lease_share=1, repair=v.quantity("repair"))}


def recycling_is_free(v: Variant) -> str:
    virgin = _recycle_or_repair(v)
    gap = (virgin["recycling"] - virgin["repair"]).to("t/year").magnitude
    if abs(gap) < 1e-9 * virgin["recycling"].to("t/year").magnitude:
        return "same"
    return "recycling" if gap < 0 else "repair"


def recycling_is_free_shows(v: Variant) -> dict[str, str]:
    return {"lost": _share(1 - v.number("recovered", "")),
            "not_repaired": _share(1 - v.number("repair", ""))}


# ---- Exercise 12 (model): repairs that need new parts -------------------------------------------------

def _repair_system(v: Variant, parts: pint.Quantity | float) -> pint.Quantity:
    return _virgin(lease_share=1, repair=v.quantity("repair"), repair_parts=parts, **_product(v))


def repair_parts(v: Variant) -> pint.Quantity:
    return (_repair_system(v, v.quantity("parts")) - _repair_system(v, 0)).to("kg/year")


def repair_parts_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    parts = v.number("parts", "")
    demand = Q_(float(steady_state(**_product(v)).loc[0, "demand_t"]), "t/year")
    return [
        (_repair_system(v, v.quantity("parts")).to("kg/year"), "total"),
        ((demand * parts).to("kg/year"), "every_product"),
        (_repair_system(v, 0).to("kg/year"), "without_parts"),
    ]


# ---- Exercise 13 (chart): the years after the switch ------------------------------------------------

def _switch(v: Variant) -> Any:
    policy: dict[str, Any] = {"lease_share": 1, **_four_r(v)}
    return simulate(start={"lifetime": v.quantity("lifetime")}, **policy).set_index("year")


def virgin_fall_in_year(v: Variant) -> pint.Quantity:
    years = _switch(v)
    before, then = years.loc[-1, "virgin_t"], years.loc[int(v["year"]), "virgin_t"]  # type: ignore[call-overload]
    return Q_(float((before - then) / before), "").to("percent")


def virgin_fall_in_year_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    years = _switch(v)
    before = years.loc[-1, "virgin_t"]
    settled = steady_state(lease_share=1, lifetime=v.quantity("lifetime"), **_four_r(v)).loc[0, "virgin_t"]
    return [
        (Q_(100, "percent") - virgin_fall_in_year(v), "left"),
        (Q_(float((before - settled) / before), "").to("percent"), "settled"),
    ]


# ---- the reflection -----------------------------------------------------------------------------------

def lean_or_cradle_shows(v: Variant) -> dict[str, str]:
    can = v.quantity("can_mass")
    per_tonne = lean.metal_energy(lean.smelter_output(Q_(1, "t"), scrap_share=v.quantity("scrap")), "GJ")
    per_can = (per_tonne / (Q_(1, "t") / can).to("")).to("MJ")
    return {"per_can": formats.quantity(per_can, 3), "per_tonne": formats.quantity(per_tonne, 3),
            "table_1": formats.quantity(lean.metal_energy(Q_(1, "t"), "GJ"), 3)}
