"""The exercises of notebook 04 (ZERI brewery cascade); every answer is computed from the datasets.

Each question says what it asks a student to do (``kind``): a value recalled from the model worked
in the text, a transfer to a case the text did not work (a bigger brewery, more straw, methane as
energy), a prediction checked with the explorer, a value read off the tornado chart, a
misconception confronted (the protein claim) and a reflection with a rubric. Answers are numbers,
numbers with units as text (``"15.7 %"``) or one option's letter or label.
"""

from __future__ import annotations

import pint

from ..exercises import Question, register
from ..units import Q_
from ._cascade import compute
from ._params import default, parameter_rows, resolve, tables
from .model import compare_linear_vs_cascade
from .ranking import sensitivity

#: The four links of the reading exercise: option letter -> link id of ``zeri_links``.
LINK_OPTIONS = {"a": "bsg_to_livestock", "b": "manure_to_digester", "c": "fish_to_market", "d": "biogas_co2"}


def _quantity(name: str, column: str = "value") -> pint.Quantity:
    row = parameter_rows()[name]
    return Q_(row[column], row["unit"])


def _bsg_dry_matter() -> pint.Quantity:
    return Q_(default("beer_hl") * default("bsg_per_hl") * (1 - default("bsg_moisture")), "kg")


def _bsg_dry_matter_large() -> pint.Quantity:
    """Ten times the example's beer, spent grain at the high ends of its two ranges (more, and wetter)."""
    rows = parameter_rows()
    beer = 10 * default("beer_hl")
    return Q_(beer * rows["bsg_per_hl"]["high"] * (1 - rows["bsg_moisture"]["high"]), "kg")


def _cascade_outcome(name: str, **params: float) -> float:
    table = compare_linear_vs_cascade(None, **params).set_index("outcome")
    return float(table.loc[name, "cascade"])


def _mushrooms_more_straw() -> pint.Quantity:
    return Q_(_cascade_outcome("mushrooms", straw_per_bsg=parameter_rows()["straw_per_bsg"]["high"]), "kg")


def _methane_kwh_per_kg_cod() -> pint.Quantity:
    """Energy of the methane 1 kg of COD removed can give: 16.04 g CH4 per 64 g COD, times the LHV."""
    ch4_per_cod = _quantity("ch4_molar_mass") / _quantity("cod_per_mol_ch4")
    return (ch4_per_cod * _quantity("ch4_lhv")).to("kWh/kg")


def _more_mushroom_meat() -> str:
    """'more', 'less' or 'same': meat when share_mushroom goes from its default to the top of its range."""
    before = _cascade_outcome("meat")
    after = _cascade_outcome("meat", share_mushroom=parameter_rows()["share_mushroom"]["high"])
    if abs(after - before) <= 0.005 * max(abs(before), 1e-9):
        return "same"
    return "more" if after > before else "less"


def _protein_shares() -> dict[str, float]:
    """Protein shares (fractions of dry matter) at the defaults: spent grain, the mix in, the substrate out."""
    beer, p = resolve(None, {})
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
    }


def _sms_protein() -> pint.Quantity:
    return Q_(_protein_shares()["substrate_out"], "").to("percent")


def _protein_claim() -> str:
    shares = _protein_shares()
    return "b" if shares["substrate_out"] > shares["mix_in"] else "a"


def _tornado_reading() -> pint.Quantity:
    table = sensitivity("methane_energy").set_index("parameter")
    return Q_(float(table.loc["feed_digestibility", "outcome_high"]), "kWh")


def _link_stated() -> str:
    links = tables()["links"]
    stated = [letter for letter, link in LINK_OPTIONS.items() if links[link]["stated"] == "stated"]
    if len(stated) != 1:
        raise RuntimeError(f"the reading exercise needs exactly one stated link among its options, found {stated}")
    return stated[0]


def _reflection() -> str:
    table = compare_linear_vs_cascade().set_index("outcome")
    solids, organic = table.loc["discharged_solids"], table.loc["discharged_organic"]
    cut = 1 - solids["cascade"] / solids["linear"]
    organic_cut = 1 - organic["cascade"] / organic["linear"]
    return (
        "The model supports half of the claim. Nothing is landfilled any more: all the spent grain becomes bread, "
        "mushrooms, feed and then methane, fish and meat. But most of the dry matter goes back to the air as CO2 "
        "from respiration and biogas, and the pond's water still carries "
        f"{solids['cascade']:.0f} kg of dry matter against {solids['linear']:.0f} kg for the brewery alone "
        f"(only {cut:.0%} less; {organic_cut:.0%} less if the manure's minerals are left out), so 'purified' "
        "overstates what the model shows, although the model leaves out the bacteria that would clean the pond "
        "water further. Many of the numbers behind this are assumptions (the shares of spent grain, the straw, the "
        "feed conversion, the algae). At a real brewery I would first measure the COD of the water leaving the "
        "pond, then the mushroom yield on the spent-grain mix, because they decide whether the water is really "
        "clean and whether the mushroom link pays."
    )


register(Question(
    id="zeri.bsg_dry_matter",
    prompt="How many kilograms of dry matter are in the spent grain from the example's 100 hL of beer "
           "(default parameters)?",
    expected=_bsg_dry_matter, unit="kg", kind="recall",
    hints=("Wet spent grain = beer volume x kg of spent grain per hL.",
           "Dry matter = wet mass x (1 - moisture)."),
))
register(Question(
    id="zeri.bsg_dry_matter_large",
    prompt="A brewery brews ten times the example's beer, and its spent grain sits at the high end of both "
           "ranges in the parameter table: the most wet spent grain per hL, and the wettest. How many kg of "
           "dry matter does its spent grain hold?",
    expected=_bsg_dry_matter_large, unit="kg", kind="transfer",
    hints=("Take the 'high' column of the parameter table for bsg_per_hl and bsg_moisture.",
           "The dry share is 1 - the water share: wetter grain holds less dry matter per kg."),
))
register(Question(
    id="zeri.mushrooms_more_straw",
    prompt="The mushroom farm mixes in as much straw as the high end of its range (straw_per_bsg), everything "
           "else at the defaults and the biological efficiency unchanged. How many kg of fresh mushrooms grow?",
    expected=_mushrooms_more_straw, unit="kg", kind="transfer",
    hints=("Biological efficiency = kg of fresh mushrooms per kg of dry substrate.",
           "Dry substrate = the spent grain's dry matter sent to the farm x (1 + kg of straw per kg of it)."),
))
register(Question(
    id="zeri.methane_kwh_per_kg_cod",
    prompt="One kilogram of COD removed in the digester can give at most the theoretical yield of methane (about "
           "a third of a cubic metre). How much energy, in kWh (lower heating value), does that methane carry?",
    expected=_methane_kwh_per_kg_cod, unit="kWh/kg", kind="transfer",
    hints=("One mole of methane (ch4_molar_mass) carries the COD of cod_per_mol_ch4: divide the two to get kg of "
           "methane per kg of COD.",
           "Multiply by methane's lower heating value (ch4_lhv, in MJ/kg), then divide by 3.6 MJ per kWh."),
))
register(Question(
    id="zeri.more_mushroom_meat",
    prompt="Predict before you move the slider: if the mushroom farm takes a larger share of the spent grain "
           "(share_mushroom from its default to the top of its slider), does the livestock's meat go up, go down "
           "or stay the same?",
    expected=_more_mushroom_meat, kind="predict",
    choices=("more", "less", "same"),
    labels={"more": "more meat", "less": "less meat", "same": "the same meat"},
    explanations={
        "more": "The spent substrate still reaches the animals, with the straw mixed into it: the fungus respires "
                "part of it, but each kg of spent grain sent to the farm comes back as more feed than a kg fed "
                "directly.",
        "less": "It looks as if mushrooms take spent grain away from the animals, but the spent substrate goes on "
                "to them anyway, with the straw that was mixed in: feed goes up, not down. Move the slider to see it.",
        "same": "The spent grain does not simply pass through the mushroom farm unchanged: straw is added and part "
                "of the mix is respired, so the feed the animals get changes. Move the slider to see which way.",
    },
    hints=("Follow one kg of spent grain's dry matter through the farm: straw is added, a share is respired, "
           "the rest goes to the animals.",),
))
register(Question(
    id="zeri.sms_protein",
    prompt="What is the protein share (%) of the spent mushroom substrate's dry matter at the default parameters?",
    expected=_sms_protein, unit="percent", rel_tol=0.03, kind="transfer",
    hints=("Protein in = spent grain x bsg_protein + straw x straw_protein; the mushrooms carry some away "
           "(their dry matter x mushroom_protein).",
           "Divide the protein left by the substrate's dry matter left (after the dry-matter loss)."),
))
register(Question(
    id="zeri.protein_claim",
    prompt="Pure spent grain holds a larger share of protein than the spent substrate fed to the animals. What "
           "does this say about the article's claim that mushrooms 'increase the protein content'?",
    expected=_protein_claim, kind="misconception",
    choices=("a", "b", "c", "d"),
    labels={
        "a": "the mushrooms lower the protein content: the article is wrong",
        "b": "the straw dilutes the mix, and growing the mushrooms then raises its protein share",
        "c": "the fungus makes new protein, so the animals get more protein than went in",
        "d": "the two cannot be compared: one share is of fresh mass, the other of dry matter",
    },
    explanations={
        "a": "This compares the substrate with pure spent grain, but much of what went into the farm was straw, "
             "which is protein-poor. Compare like with like: the mix going in had a lower share than the "
             "substrate coming out.",
        "b": "The fair comparison is with the mix that went in (spent grain plus straw). The fungus respires "
             "carbohydrates to CO2 and water but keeps the nitrogen, so the same protein sits in less dry matter.",
        "c": "A fungus cannot make nitrogen, and protein is mostly nitrogen compounds: the model conserves it. "
             "The total protein even falls (the mushrooms carry some away); only its share of the dry matter rises.",
        "d": "Both shares are of dry matter: the model and the literature give protein as a share of dry matter, "
             "so they can be compared; the point is which mix to compare with.",
    },
    hints=("What went into the mushroom farm besides spent grain, and how much protein does it hold?",),
))
register(Question(
    id="zeri.tornado_methane",
    prompt="Read the tornado chart for methane energy: how many kWh of methane does the cascade give when the "
           "animals digest the most of their feed (feed_digestibility at the high end of its range)?",
    expected=_tornado_reading, unit="kWh", rel_tol=0.05, kind="chart",
    hints=("Find the feed_digestibility bar; the high end of the range is one of its two colours (see the legend).",
           "Hover the bar for its value, or read where it ends on the horizontal axis."),
))
register(Question(
    id="zeri.link_stated",
    prompt="Only one of these four links of the model is stated outright by the article; the others are implied "
           "or added by the model to close the mass balance. Which one does the article state?",
    expected=_link_stated, kind="recall",
    choices=tuple(LINK_OPTIONS),
    labels={
        "a": "spent grain fed straight to the animals",
        "b": "manure sent to the biodigester",
        "c": "fish harvested and sold",
        "d": "CO2 leaving the digester with the biogas",
    },
    explanations={
        "a": "Only implied: the article names feeding livestock and mushroom substrate that is 'more digestible "
             "to livestock', but never says raw spent grain goes to the animals.",
        "b": "Stated: 'Waste from livestock is mixed with waste water from the brewery and sent to a biodigester'.",
        "c": "Only implied: the algae 'become feed for fish', but the article never says the fish are harvested.",
        "d": "Added by the model: the article names only methane; biogas is also CO2, which a mass balance must count.",
    },
    hints=("Read the evidence column of zeri_links, or the article's paragraph, sentence by sentence.",),
))
register(Question(
    id="zeri.reflection",
    prompt="The article says the ZERI process eliminates waste and uses the water 'as a purification method'. "
           "Using this notebook's results, how far does the model support that claim, and what would you measure "
           "first at a real brewery to settle it? (4-6 sentences)",
    expected=_reflection, kind="reflection",
    rubric=(
        "Full: separates what the model supports (no landfill, products from every stream) from what it does "
        "not (most dry matter respired to the air; the pond water still carries nearly as much dry matter as "
        "the brewery alone; many numbers are assumptions), and names a measurement that would settle it "
        "(the COD of the pond's outflow, the mushroom yield on the real mix) with a reason.",
        "Partial: one side only (praise or criticism), or a measurement without a reason, or no figure from "
        "the notebook.",
        "Missing: repeats the article's claim, or answers with opinions that use none of the model's results.",
    ),
))
