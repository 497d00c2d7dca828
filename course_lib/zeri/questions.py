"""The expected answers of notebook 04's exercises (the ZERI brewery cascade; :mod:`course_lib.exercises`),
from :func:`~course_lib.zeri.run_cascade`, :func:`~course_lib.zeri.compare_linear_vs_cascade` and
:func:`~course_lib.zeri.sensitivity`. A variant's number whose name is a parameter of
``zeri_parameters`` (``beer_hl``, ``bsg_per_hl``, ...) goes to the model as an override, converted
to that table's unit (an exercise may give a share in g/kg where the table has kg/kg).
"""

from __future__ import annotations

from collections.abc import Mapping

import pint

from .. import formats
from ..units import Q_
from ..variants import Variant
from ._cascade import Rows, checked_outcomes, checked_rows, compute, default, parameter_rows, resolve, tables
from .model import compare_linear_vs_cascade, run_cascade
from .ranking import sensitivity

#: How close (relative) the meat before and after must be for the prediction "the same".
SAME_MEAT = 0.005


# ---- helpers: the student's numbers into the model ------------------------------------------------

def _split(v: Variant, **override: float) -> tuple[float | None, dict[str, float]]:
    """The beer volume (hL) and the model parameters of a variant, in the parameter table's units
    (a variant may give a share in g/kg or kg/t where the table has kg/kg), plus ``override``."""
    rows = parameter_rows()
    params = {}
    for name in v:
        row = rows.get(name)
        if row is not None and row["role"] == "parameter":
            unit = "" if row["unit"] == "dimensionless" else row["unit"]
            params[name] = v.number(name, unit)
    params.update(override)
    beer = v.number("beer_hl", "hL") if "beer_hl" in v else None
    return beer, params


# The answers come from the model's rows as plain floats (checked_rows: the checks run_cascade makes),
# not from its DataFrames: the figures are the same to the last digit (tests/test_zeri.py compares
# them) and each student's answer costs a fraction of a millisecond instead of tens.

def _outcome(v: Variant, name: str, scenario: str = "cascade", **override: float) -> float:
    """Outcome ``name`` of :func:`~course_lib.zeri.compare_linear_vs_cascade` (column ``scenario``)."""
    beer, p = resolve(*_split(v, **override))
    both = {s: checked_outcomes(beer, p, s) for s in ("linear", "cascade")}  # both checked, as the comparison does
    return both[scenario][name]


def _rows(v: Variant, **override: float) -> Rows:
    """The cascade's checked rows for the student's variant: ``(link, component, value)``."""
    return checked_rows(*resolve(*_split(v, **override)))


def _flow(v: Variant, link: str, component: str = "dry matter", **override: float) -> float:
    return sum((value for name, comp, value in _rows(v, **override) if name == link and comp == component), 0.0)


def _percent(share: float) -> pint.Quantity:
    return Q_(share, "").to("percent")


def _number(x: float) -> str:
    """A table value as the exercise prints it (0.3 -> '0.3', 0.191 -> '0.191')."""
    return formats.number(x, 6)


def _two_decimals(q: pint.Quantity) -> str:
    """A share in percent with two decimals, trailing zeros kept: '18.00 %'."""
    return f"{float(q.to('percent').magnitude):.2f} %"


def _rounded(q: pint.Quantity, decimals: int) -> str:
    """A computed figure as a model answer or a prompt prints it: '151.6 kg', '13 %'."""
    return formats.quantity(Q_(round(float(q.magnitude), decimals), q.units), digits=9)


# ---- exercise 1: read your own tornado chart --------------------------------------------------------

def _feed_digestibility_bar(v: Variant) -> Mapping[str, float]:
    beer, params = _split(v)
    table = sensitivity("methane_energy", beer, **params).set_index("parameter")
    return table.loc["feed_digestibility"].to_dict()


def tornado_methane(v: Variant) -> pint.Quantity:
    """How far apart the two ends of the feed_digestibility bar are: the swing, kWh."""
    return Q_(float(_feed_digestibility_bar(v)["swing"]), "kWh")


def tornado_methane_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    bar = _feed_digestibility_bar(v)
    one_end = "one_end"
    return [(Q_(float(bar["outcome_low"]), "kWh"), one_end), (Q_(float(bar["outcome_high"]), "kWh"), one_end),
            (Q_(float(bar["outcome_default"]), "kWh"), "base")]


# ---- exercise 2: predict, then check with the explorer --------------------------------------------

def _meat(v: Variant) -> tuple[float, float]:
    """Meat at the table's share of spent grain to mushrooms, and at the student's share."""
    before = _outcome(v, "meat", share_mushroom=default("share_mushroom"))
    after = _outcome(v, "meat")
    return before, after


def more_mushroom_meat(v: Variant) -> str:
    """'more', 'less' or 'same' (within 0.5 %): the meat when the farm takes the student's share."""
    before, after = _meat(v)
    if abs(after - before) <= SAME_MEAT * abs(before):
        return "same"
    return "more" if after > before else "less"


def more_mushroom_meat_shows(v: Variant) -> dict[str, object]:
    return {"share_today": _number(default("share_mushroom"))}


# ---- exercise 3: dry spent grain (worked) ------------------------------------------------------------

def _spent_grain(v: Variant, component: str) -> float:
    return sum((value for link, comp, value in _rows(v) if link.startswith("bsg_to") and comp == component), 0.0)


def bsg_dry_matter(v: Variant) -> pint.Quantity:
    return Q_(_spent_grain(v, "dry matter"), "kg")


def bsg_dry_matter_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    dry, water = _spent_grain(v, "dry matter"), _spent_grain(v, "water")
    return [(Q_(dry + water, "kg"), "wet"), (Q_(water, "kg"), "water")]


# ---- exercise 4: the bakery's drying (half worked) ---------------------------------------------------

def bakery_water(v: Variant) -> pint.Quantity:
    """Water evaporated when the bakery dries its share of spent grain to flour moisture, kg."""
    return Q_(_flow(v, "drying_loss", "water"), "kg")


def bakery_water_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    water_in = _flow(v, "bsg_to_bakery", "water")
    dry = _flow(v, "bsg_to_bakery")
    flour_as_share_of_dry = water_in - dry * v.number("flour_moisture")
    all_grain = bakery_water(v) / v.number("share_bread")
    return [(Q_(water_in, "kg"), "all_water"),
            (Q_(flour_as_share_of_dry, "kg"), "share_of_dry"),
            (all_grain, "all_grain")]


# ---- exercise 5: the mushroom harvest ------------------------------------------------------------------

def mushroom_harvest(v: Variant) -> pint.Quantity:
    return Q_(_outcome(v, "mushrooms"), "kg")


def mushroom_harvest_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    grain = _flow(v, "bsg_to_mushrooms")
    wet = grain + _flow(v, "bsg_to_mushrooms", "water")
    be = v.number("mushroom_be")
    straw = v.number("straw_per_bsg")
    return [(Q_(be * grain, "kg"), "no_straw"), (Q_(be * wet * (1 + straw), "kg"), "wet")]


# ---- exercise 6: methane from the brewery's wastewater -------------------------------------------------

def wastewater_methane(v: Variant) -> pint.Quantity:
    """The methane energy from the wastewater alone: the cascade's methane energy minus the same
    cascade's with COD-free wastewater (the manure's share does not depend on the COD)."""
    total = _outcome(v, "methane_energy")
    manure_only = _outcome(v, "methane_energy", wastewater_cod=0.0)
    return Q_(total - manure_only, "kWh")


def wastewater_methane_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    energy = wastewater_methane(v)
    removal = v.number("cod_removal")
    share = v.number("wastewater_share")
    return [(energy / removal, "no_removal"),
            (energy / share, "all_water"),
            (_outcome(v, "methane_energy"), "with_manure")]


# ---- exercises 7 and 8: protein in the spent mushroom substrate ----------------------------------------

def _protein_shares(v: Variant) -> dict[str, float]:
    """Protein shares (fractions of dry matter): spent grain, the mix going in, the substrate coming out."""
    beer, p = resolve(None, _split(v)[1])
    rows = {(link, component): value for link, component, value in compute(beer, p)}
    grain = rows[("bsg_to_mushrooms", "dry matter")]
    straw = rows[("straw_to_mushrooms", "dry matter")]
    mushrooms = rows[("mushrooms_to_market", "dry matter")]
    substrate_out = rows[("substrate_to_livestock", "dry matter")]
    protein_in = grain * p["bsg_protein"] + straw * p["straw_protein"]
    return {
        "spent_grain": p["bsg_protein"],
        "mix_in": protein_in / (grain + straw),
        "substrate_out": (protein_in - mushrooms * p["mushroom_protein"]) / substrate_out,
        "no_mushrooms": protein_in / substrate_out,
    }


def sms_protein(v: Variant) -> pint.Quantity:
    """By how many per cent the spent substrate's protein share exceeds the share of the mix that
    went into the farm: the article's "increase the protein content", measured."""
    shares = _protein_shares(v)
    return _percent(shares["substrate_out"] / shares["mix_in"] - 1)


def sms_protein_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    shares = _protein_shares(v)
    out, mix = shares["substrate_out"], shares["mix_in"]
    return [(_percent(out - mix), "points"),
            (_percent(out / mix), "ratio"),
            (_percent(out), "share_out"),
            (_percent(shares["no_mushrooms"] / mix - 1), "no_mushrooms")]


def protein_claim(v: Variant) -> str:
    """Which reading explains the student's three shares: below or above pure spent grain."""
    shares = _protein_shares(v)  # over the whole grid the substrate ends richer than the mix (tests/test_zeri.py)
    return "above_spent_grain" if shares["substrate_out"] > shares["spent_grain"] else "below_spent_grain"


def protein_claim_shows(v: Variant) -> dict[str, object]:
    shares = _protein_shares(v)
    return {"grain_share": _two_decimals(_percent(shares["spent_grain"])),
            "mix_share": _two_decimals(_percent(shares["mix_in"])),
            "substrate_share": _two_decimals(_percent(shares["substrate_out"]))}


# ---- exercise 9: change the model: a better mushroom strain ---------------------------------------------

def fish_better_strain(v: Variant) -> pint.Quantity:
    """Fish lost when the mushrooms get the student's better strain: the fish with the table's
    strain minus the fish with the student's, everything else the same."""
    table_strain = _outcome(v, "fish", mushroom_be=default("mushroom_be"))
    better = _outcome(v, "fish")
    return Q_(table_strain - better, "kg")


def fish_better_strain_slips(v: Variant) -> list[tuple[pint.Quantity, str]]:
    return [(Q_(_outcome(v, "fish"), "kg"), "fish_itself"),
            (Q_(_outcome(v, "fish", mushroom_be=default("mushroom_be")), "kg"), "table_fish")]


# ---- exercise 10: what does the article really say? ------------------------------------------------------

def link_stated(v: Variant) -> str:
    """'stated', 'implied' or 'model': the link's ``stated`` column in ``zeri_links``."""
    return str(tables()["links"][str(v["link"])]["stated"])


def link_stated_shows(v: Variant) -> dict[str, object]:
    link = tables()["links"][str(v["link"])]
    stages = tables()["stages"]
    return {"source": stages[link["from_node"]]["label"], "target": stages[link["to_node"]]["label"],
            "material": link["material"]}


# ---- exercise 11: reflection -------------------------------------------------------------------------------

def reflection_shows(v: Variant) -> dict[str, object]:
    """The student's own figures for the model answer: the water's load and where the dry matter goes."""
    beer, params = _split(v)
    table = compare_linear_vs_cascade(beer, **params).set_index("outcome")
    solids, organic = table.loc["discharged_solids"], table.loc["discharged_organic"]
    flows = run_cascade(beer, **params)
    dry = flows[flows["component"] == "dry matter"]
    entering = float(dry.loc[dry["source"].isin(["brewery", "straw_supply", "air"]), "value"].sum())
    to_air = float(dry.loc[(dry["target"] == "environment") & (dry["kind"] == "loss"), "value"].sum())
    return {
        "solids_cascade": _rounded(Q_(float(solids["cascade"]), "kg"), 0),
        "solids_linear": _rounded(Q_(float(solids["linear"]), "kg"), 0),
        "solids_cut": _rounded(_percent(1 - float(solids["cascade"]) / float(solids["linear"])), 0),
        "organic_cut": _rounded(_percent(1 - float(organic["cascade"]) / float(organic["linear"])), 0),
        "to_air": _rounded(_percent(to_air / entering), 0),
    }
