"""The expected answers of notebook 06's exercises (:mod:`course_lib.exercises`), from
:func:`~course_lib.economics.appraise`, :func:`~course_lib.economics.sensitivity`,
:func:`~course_lib.economics.break_even`, :func:`~course_lib.economics.yearly_lines` and
:func:`~course_lib.economics.npv`.

>>> from course_lib.exercises import evaluate, expected
>>> evaluate("economics.hp_cradle", "recycling", student=None).correct
True
>>> expected("economics.sort_threads", None)
['kalundborg_novogro', 'kalundborg_tisso']
"""

from __future__ import annotations

import math

import pandas as pd
import pint

from .. import formats
from ..units import Q_
from ..variants import Slips, Variant
from .cases import kalundborg_quantities
from .finance import annuity_factor, npv
from .model import Appraisal, appraise, break_even, sensitivity, yearly_lines
from .prices import price_table
from .themes import SORTING_CASES, THREADS, cartridge_scenarios, thread_sorting


def _money(value: float, digits: int = 6) -> str:
    return formats.money(float(value), "EUR", digits=digits)


def _euros(value: float) -> pint.Quantity:
    """Money as the course checks it: a plain number (the course's units have no currency)."""
    return Q_(float(value), "")


# ---- predict: the discount rate and the size of the brewery -------------------------------------


def _rate_case(v: Variant) -> tuple[Appraisal, Appraisal]:
    now = appraise("zeri", discount_rate=v.number("rate", ""), zeri_operating_cost=v.number("opex"))
    doubled = appraise("zeri", discount_rate=2 * v.number("rate", ""), zeri_operating_cost=v.number("opex"))
    return now, doubled


def rate_doubles(v: Variant) -> str:
    now, doubled = _rate_case(v)
    if math.isclose(doubled.npv, now.npv, rel_tol=1e-9):
        return "same"
    if doubled.npv > now.npv:
        return "rises"
    if doubled.npv <= 0:
        return "turns_negative"
    return "more_than_half" if doubled.npv < now.npv / 2 else "less_than_half"


def rate_doubles_shows(v: Variant) -> dict[str, object]:
    now, _ = _rate_case(v)
    return {"opex": _money(v.number("opex")), "npv_now": _money(now.npv, 4),
            "rate2": f"{formats.number(2 * v.number('rate'), 6)} %"}


def _beer_default() -> float:
    return float(price_table("zeri").set_index("name").loc["zeri_beer_hl_per_year", "value"])


def brewery_size(v: Variant) -> str:
    base = appraise("zeri")
    other = appraise("zeri", zeri_beer_hl_per_year=v.number("beer_new"))
    if math.isinf(other.payback):
        return "never"
    in_proportion = base.payback * _beer_default() / v.number("beer_new")
    if math.isclose(other.payback, in_proportion, rel_tol=1e-6):
        return "exactly"
    if math.isclose(other.payback, base.payback, rel_tol=1e-6):
        return "same"
    return "more" if other.payback > in_proportion else "less"


def brewery_size_shows(v: Variant) -> dict[str, object]:
    return {"beer_now": formats.quantity(Q_(_beer_default(), "hL/year"), digits=6),
            "ratio": formats.number(_beer_default() / v.number("beer_new"), 3)}


# ---- reading the charts -------------------------------------------------------------------------


def deciding_price(v: Variant) -> list[str]:
    table = sensitivity("zeri", zeri_beer_hl_per_year=v.number("beer"), zeri_operating_cost=v.number("opex"))
    return [str(p) for p in table.loc[table["flips"], "parameter"]]


def deciding_price_shows(v: Variant) -> dict[str, object]:
    return {"opex": _money(v.number("opex"))}


#: The choice id of each money line of Kalundborg's appraisal: (price row, quantity) -> id.
_LINE_IDS = {
    ("kalundborg_groundwater_price", "groundwater_saved"): "groundwater",
    ("kalundborg_surface_water_price", "surface_water_saved"): "surface_water",
    ("kalundborg_fuel_oil_price", "oil_saved"): "fuel_oil",
    ("kalundborg_steam_fuel_cost", "oil_saved"): "steam_fuel",
    ("kalundborg_natural_gypsum_price", "gypsum_received"): "natural_gypsum",
    ("kalundborg_landfill_cost", "gypsum_received"): "landfill_gypsum",
    ("kalundborg_landfill_cost", "ash_used"): "landfill_ash",
    ("kalundborg_ash_value", "ash_used"): "ash_value",
    ("kalundborg_operating_cost", ""): "running_costs",
}


def _biggest_case(v: Variant) -> Appraisal:
    return appraise("kalundborg", kalundborg_landfill_cost=v.number("fee"), kalundborg_fuel_oil_price=v.number("oil_price"),
                    kalundborg_natural_gypsum_price=v.number("gypsum_price"))


def biggest_line(v: Variant) -> str:
    top = _biggest_case(v).lines.sort_values("value", ascending=False).iloc[0]
    return _LINE_IDS[(str(top["line"]), str(top["quantity"]))]


# ---- misconceptions -----------------------------------------------------------------------------


def hp_cradle(v: Variant) -> str:
    hp = cartridge_scenarios().set_index("scenario").loc["hp_recycling"]
    if hp["lease_share"] >= 0.5:
        return "service_economy"
    return "cradle_to_cradle" if hp["recycle"] > 0 and hp["recycling_yield"] > 0 else "recycling"


def payback_vs_npv(v: Variant) -> str:
    # A project whose yearly net is 1 and whose investment is its payback: the NPV has the sign of
    # the annuity factor minus the payback, whatever the money involved.
    worth = npv(v.number("payback"), 1.0, v.number("rate", ""), int(v.number("life")))
    return "pays_here" if worth > 0 else "not_here"


# ---- sorting the cases by thread ----------------------------------------------------------------


def sort_threads(v: Variant) -> list[str]:
    return [case for case, thread in thread_sorting(SORTING_CASES).items() if thread == v["thread"]]


def sort_threads_shows(v: Variant) -> dict[str, object]:
    return {"thread_words": THREADS[str(v["thread"])]}


# ---- transfer: another price, another landfill fee and investment, another rate -------------------


def _fish_line(beer: float, price: float) -> float:
    lines = appraise("zeri", zeri_beer_hl_per_year=beer, zeri_fish_price=price).lines
    return float(lines.loc[lines["line"] == "zeri_fish_price", "value"].sum())


def fish_revenue(v: Variant) -> pint.Quantity:
    return _euros(_fish_line(v.number("beer"), v.number("fish_price")))


def fish_revenue_slips(v: Variant) -> Slips:
    table = price_table("zeri").set_index("name")
    return [(_euros(_fish_line(_beer_default(), v.number("fish_price"))), "default_beer"),
            (_euros(_fish_line(v.number("beer"), float(table.loc["zeri_fish_price", "value"]))), "default_price")]


def _npv_case(v: Variant, fee: float | None = None, investment: float | None = None) -> Appraisal:
    return appraise("kalundborg", kalundborg_landfill_cost=v.number("fee") if fee is None else fee,
                    kalundborg_investment=v.number("investment") if investment is None else investment)


def kalundborg_npv(v: Variant) -> pint.Quantity:
    return _euros(_npv_case(v).npv)


def kalundborg_npv_shows(v: Variant) -> dict[str, object]:
    table = appraise("kalundborg")
    return {"investment": _money(v.number("investment")), "rate": f"{formats.number(100 * table.rate, 6)} %",
            "years": formats.quantity(Q_(table.years, "year"))}


def kalundborg_npv_slips(v: Variant) -> Slips:
    table = price_table("kalundborg").set_index("name")
    default_fee = float(table.loc["kalundborg_landfill_cost", "value"])
    default_investment = float(table.loc["kalundborg_investment", "value"])
    mine = _npv_case(v)
    ash = mine.lines[(mine.lines["line"] == "kalundborg_landfill_cost") & (mine.lines["quantity"] == "ash_used")]
    ash_at_default = float(ash["per_unit_price"].sum()) * default_fee
    gypsum_only = mine.yearly_net - float(ash["value"].sum()) + ash_at_default
    return [
        (_euros(_npv_case(v, fee=default_fee).npv), "default_fee"),
        (_euros(_npv_case(v, investment=default_investment).npv), "default_investment"),
        (_euros(npv(mine.investment, gypsum_only, mine.rate, mine.years)), "gypsum_only"),
        (_euros(mine.yearly_net * mine.years - mine.investment), "undiscounted"),
    ]


def _break_even_case(v: Variant) -> dict[str, float]:
    return {"discount_rate": v.number("rate", ""), "zeri_investment": v.number("investment"),
            "zeri_beer_hl_per_year": v.number("beer")}


def opex_break_even(v: Variant) -> pint.Quantity:
    return _euros(break_even("zeri", "zeri_operating_cost", **_break_even_case(v)))


def opex_break_even_shows(v: Variant) -> dict[str, object]:
    mine = appraise("zeri", **_break_even_case(v))
    return {"investment": _money(v.number("investment")), "years": formats.quantity(Q_(mine.years, "year")),
            "factor": formats.number(annuity_factor(mine.rate, mine.years), 4)}


def opex_break_even_slips(v: Variant) -> Slips:
    mine = appraise("zeri", **_break_even_case(v))
    running = mine.values["zeri_operating_cost"]
    return [
        (_euros(mine.npv / annuity_factor(mine.rate, mine.years)), "rise_only"),
        (_euros(running + mine.npv / mine.years), "undiscounted"),
        (_euros(break_even("zeri", "zeri_operating_cost")), "table_case"),
    ]


# ---- model: a new exchange in Kalundborg -----------------------------------------------------------


def _municipal_gypsum_appraisal(v: Variant, landfill: bool = True) -> tuple[pd.DataFrame, float]:
    """The park's money lines and NPV with the recycling station's gypsum added as a new exchange."""
    base = appraise("kalundborg")
    priced = [str(q) for q in base.lines["quantity"].unique() if q]  # the yearly figures the park's appraisal prices
    quantities = pd.concat([kalundborg_quantities(priced), pd.DataFrame([{
        "quantity": "gypsum_municipal", "label": "gypsum_municipal",
        "value": v.number("tonnes"), "unit": "t/year"}])], ignore_index=True)
    new_rows = [{"name": "municipal_natural_gypsum", "label": "municipal_natural_gypsum",
                 "value": v.number("gypsum_price"), "unit": "1/t", "role": "price", "quantity": "gypsum_municipal",
                 "beneficiary": "Gyproc", "currency": base.currency}]
    if landfill:
        new_rows.append({"name": "municipal_landfill", "label": "municipal_landfill",
                         "value": v.number("fee"), "unit": "1/t", "role": "price", "quantity": "gypsum_municipal",
                         "beneficiary": "municipality", "currency": base.currency})
    prices = pd.concat([price_table("kalundborg"), pd.DataFrame(new_rows)], ignore_index=True)
    lines = yearly_lines(quantities, prices)
    return lines, npv(base.investment, float(lines["value"].sum()), base.rate, base.years)


def municipal_gypsum(v: Variant) -> pint.Quantity:
    _, with_it = _municipal_gypsum_appraisal(v)
    return _euros(with_it - appraise("kalundborg").npv)


def municipal_gypsum_slips(v: Variant) -> Slips:
    base = appraise("kalundborg")
    lines, with_it = _municipal_gypsum_appraisal(v)
    yearly = float(lines.loc[lines["quantity"] == "gypsum_municipal", "value"].sum())
    _, gypsum_only = _municipal_gypsum_appraisal(v, landfill=False)
    return [
        (_euros(yearly), "one_year"),
        (_euros(yearly * base.years), "undiscounted"),
        (_euros(gypsum_only - base.npv), "gypsum_only"),
        (_euros(with_it), "whole_npv"),
    ]


# ---- the reflection -----------------------------------------------------------------------------


def does_it_pay_shows(v: Variant) -> dict[str, object]:
    mine = appraise("zeri", zeri_beer_hl_per_year=v.number("beer"), zeri_operating_cost=v.number("opex"))
    return {"opex": _money(v.number("opex")), "npv": _money(mine.npv, 3), "net": _money(mine.yearly_net, 3)}


# ---- practice where it is taught: sections 1-4 of notebook 06 -------------------------------------


def real_rate(v: Variant) -> str:
    """The kind of discount rate that goes with the price table: the one its rate row states."""
    return str(price_table().set_index("name").loc["discount_rate", "rate_basis"])


def _oil_lines(v: Variant) -> tuple[float, float]:
    """The fuel oil saved and the fuel to raise the steam, in euros a year, at the student's two prices."""
    lines = appraise("kalundborg", kalundborg_fuel_oil_price=v.number("oil_price"),
                     kalundborg_steam_fuel_cost=v.number("steam_cost")).lines.set_index("line")["value"]
    return float(lines["kalundborg_fuel_oil_price"]), float(lines["kalundborg_steam_fuel_cost"])


def oil_line(v: Variant) -> pint.Quantity:
    return _euros(sum(_oil_lines(v)))


def oil_line_slips(v: Variant) -> Slips:
    saved, steam = _oil_lines(v)
    return [(_euros(saved), "gross"),
            (_euros(saved - steam), "added_cost"),
            (_euros(saved * 1000 + steam * 1000), "kilograms")]


def _net_case(v: Variant, **more: float) -> Appraisal:
    return appraise("kalundborg", kalundborg_groundwater_price=v.number("water_price"),
                    kalundborg_natural_gypsum_price=v.number("gypsum_price"),
                    kalundborg_fuel_oil_price=v.number("oil_price"), **more)


def kalundborg_net(v: Variant) -> pint.Quantity:
    return _euros(_net_case(v).yearly_net)


def kalundborg_net_slips(v: Variant) -> Slips:
    mine = _net_case(v)
    from .prices import scenario

    return [(_euros(mine.revenue), "revenue_only"),
            (_euros(_net_case(v, **scenario("landfill")).yearly_net), "landfill"),
            (_euros(appraise("kalundborg").yearly_net), "defaults")]


def payback_by_hand(v: Variant) -> pint.Quantity:
    from .finance import simple_payback

    return Q_(simple_payback(v.number("investment"), v.number("savings") - v.number("running")), "year")


def payback_by_hand_slips(v: Variant) -> Slips:
    investment, savings, running = v.number("investment"), v.number("savings"), v.number("running")
    return [(Q_(investment / savings, "year"), "savings_only"),
            (Q_((savings - running) / investment, "year"), "upside_down"),
            (Q_(investment / (savings + running), "year"), "costs_added")]


def _flows(v: Variant) -> tuple[float, list[float], float]:
    return v.number("investment"), [v.number(f"net{t}") for t in (1, 2, 3)], v.number("rate", "")


def npv_by_hand(v: Variant) -> pint.Quantity:
    """Minus the investment now, plus each year's money times its discount factor 1 / (1 + rate)**year."""
    investment, nets, rate = _flows(v)
    return _euros(-investment + sum(net * (1 + rate) ** -year for year, net in enumerate(nets, start=1)))


def npv_by_hand_shows(v: Variant) -> dict[str, object]:
    return {"factor1": formats.number(1 / (1 + v.number("rate", "")), 4)}


def npv_by_hand_slips(v: Variant) -> Slips:
    investment, nets, rate = _flows(v)
    return [(_euros(sum(nets) - investment), "undiscounted"),
            (_euros(-investment + sum(net * (1 + rate) ** -(year - 1) for year, net in enumerate(nets, start=1))),
             "year_zero"),
            (_euros(-investment + sum(net / (1 + rate * year) for year, net in enumerate(nets, start=1))),
             "simple_interest"),
            (_euros(sum(net * (1 + rate) ** -year for year, net in enumerate(nets, start=1))),
             "no_investment")]
