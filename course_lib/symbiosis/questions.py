"""The exercises of notebook 05 (Kalundborg), each answer computed from the datasets when checked.

Every answer is a number (with or without its unit), a partner's name or id, a letter, or a few
sentences: no table, attribute or Python structure is ever needed to answer.

* ``asnaes_exchanges`` (transfer): the worked example counts Gyproc's exchanges; the student
  counts the power station's (a former pipeline does not count);
* ``asnaes_receivers`` (predict): who loses a supply if the power station closes — core partners
  and outside receivers alike — checked, then seen in the what-if chart's menu;
* ``novozymes_closes`` (chart): a total read off the what-if chart;
* ``broker`` (misconception): the hub is not necessarily the broker (degree vs betweenness);
* ``water_cut_points`` (misconception): percent vs percentage points;
* ``water_before_cut``, ``so2_per_tonne_oil``, ``waste_per_household`` (transfer): figures the
  article never computes, from figures it prints;
* ``wood_chips`` (reflection): what a fuel change does to a by-product exchange.
"""

from __future__ import annotations

import pandas as pd
import pint

from .. import _answers, data, formats
from ..exercises import Question, register
from ..units import Q_
from .network import hub_ranking, what_if
from .park import kalundborg


def _outcome(oid: str) -> pint.Quantity:
    """Figure ``oid`` of kalundborg_outcomes as a pint Quantity (a rate when it has a period)."""
    row = data.load("kalundborg_outcomes").set_index("id").loc[oid]
    unit = row["unit"] if pd.isna(row["period"]) else f"{row['unit']}/{row['period']}"
    return Q_(float(row["value"]), unit)


def _percent(oid: str) -> str:
    return f"{formats.number(_outcome(oid).to('percent').magnitude)} %"


# ---- Counting exchanges and receivers ------------------------------------------------------------


def _asnaes_exchanges() -> pint.Quantity:
    ranking = hub_ranking(kalundborg()).set_index("partner")
    return Q_(int(ranking.loc["asnaes", "exchanges"]), "dimensionless")


def _asnaes_receivers() -> pint.Quantity:
    return Q_(len(what_if(kalundborg(), "asnaes").lost_supplies), "dimensionless")


def _receivers_hint() -> str:
    """Why a count of core partners alone falls short (the count from the data; no names given away)."""
    park = kalundborg()
    lost = what_if(park, "asnaes").lost_supplies
    kinds = dict(zip(park.partners["id"], park.partners["kind"]))
    core = sum(1 for p in lost["partner"] if kinds[p] == "core")
    return (f"The question counts every remaining partner that loses an input, core partner or not. If you got {core}, "
            "you counted only the core partners: look again at the outer ring of the network chart.")


def _novozymes_closes() -> pint.Quantity:
    quantities = what_if(kalundborg(), "novozymes").quantities
    row = quantities[quantities["unit"] == "m**3"].iloc[0]
    unit = row["unit"] if not row["period"] else f"{row['unit']}/{row['period']}"
    return Q_(float(row["total"]), unit)


# ---- Who is the broker? -----------------------------------------------------------------------------

_BROKER_OPTIONS = ("asnaes", "noveren", "novozymes", "municipality")


def _broker() -> str:
    ranking = hub_ranking(kalundborg())
    return str(ranking.sort_values("betweenness", ascending=False).iloc[0]["partner"])


def _broker_labels() -> dict[str, str]:
    """What a student may type for each option besides its id: the short label, or the full name
    when the label is the id itself ('Noveren I/S' for noveren)."""
    park = kalundborg()
    rows = park.partners.set_index("id")
    return {p: str(rows.loc[p, "label"]) if _answers.normalise(rows.loc[p, "label"]) != _answers.normalise(p)
            else str(rows.loc[p, "name"]) for p in _BROKER_OPTIONS}


_BROKER_WHY = {
    "asnaes": ("the power station supplies the most partners — the hub in the article's sense — but betweenness counts how "
               "often a partner lies on the shortest route between two others. Most of its flows end at receivers that "
               "pass nothing on (the households, the fish farm, the cement maker), so few routes run through it: being "
               "the hub by one measure does not make it the broker."),
    "novozymes": ("Novozymes is a go-between on a few routes (treated lake water in, NovoGro out to the farmers, Novo "
                  "Nordisk's wastewater passed on to the municipality), but it links far fewer partners than the waste "
                  "company, which collects from everyone and sends out many streams."),
    "municipality": ("the municipality passes lake water on to Novozymes and its sludge on to Soilrem, so it brokers a few "
                     "routes, but far fewer than the waste company, which collects from every company and sends out many "
                     "streams."),
    "noveren": ("The waste company collects from every company and sends the waste on in many streams, so more shortest routes "
                "between two other partners pass through it than through anyone else. Part of this comes from how the "
                "table records waste: one row per company and one per stream."),
}


# ---- Percent and percentage points ---------------------------------------------------------------


def _cut_figures() -> tuple[float, float]:
    return (float(_outcome("asnaes_water_cut").to("percent").magnitude),
            float(_outcome("water_cut").to("percent").magnitude))


def _points_labels() -> dict[str, str]:
    asnaes, park = _cut_figures()
    gap, ratio = formats.number(asnaes - park), formats.number(asnaes / park, 3)
    return {
        "a": f"The report is right: {formats.number(asnaes)} % − {formats.number(park)} % = {gap} %, so the cut was {gap} % larger",
        "b": (f"The cut was {gap} percentage points larger; as a ratio it was {ratio} times the park's cut "
              f"({formats.number((asnaes / park - 1) * 100, 3)} % larger)"),
        "c": f"Together the two cuts make {formats.number(asnaes + park)} %: most of the water is now saved",
        "d": f"The cut was {ratio} % larger ({formats.number(asnaes)} ÷ {formats.number(park)} = {ratio})",
    }


def _points_why() -> dict[str, str]:
    asnaes, park = _cut_figures()
    gap = formats.number(asnaes - park)
    return {
        "a": (f"subtracting two percentages gives a difference in percentage points, not a percent change. "
              f"'{gap} % larger' than a {formats.number(park)} % cut would be a cut of {formats.number(park * (1 + (asnaes - park) / 100), 3)} %, "
              f"not {formats.number(asnaes)} %."),
        "b": ("A difference between two percentages is counted in percentage points; how much larger one is than the other, "
              "relative to it, is a ratio or a percent change."),
        "c": ("percentages of different totals cannot be added: Asnæs's cut is a share of its own water use, the park's cut a "
              "share of all the companies' use (Asnæs's included). Neither total is 'most of the water'."),
        "d": (f"{formats.number(asnaes / park, 3)} is a ratio ('times as large'), not a percent: "
              f"{formats.number(asnaes / park, 3)} times as large is {formats.number((asnaes / park - 1) * 100, 3)} % larger."),
    }


# ---- Figures the article never computes ------------------------------------------------------------


def _water_before_cut() -> pint.Quantity:
    saved = _outcome("groundwater_saved") + _outcome("surface_water_saved")
    return (saved / _outcome("water_cut")).to("m**3/year")


def _so2_per_oil() -> pint.Quantity:
    return (_outcome("so2_avoided") / _outcome("oil_saved")).to("kg/t")


def _waste_per_household() -> pint.Quantity:
    return (_outcome("combustible_waste") / _outcome("combustible_waste_households").magnitude).to("t/year")


# ---- Reflection ---------------------------------------------------------------------------------------


def _wood_chips_answer() -> str:
    gypsum = formats.quantity(_outcome("gypsum_received"))
    return (
        "The power station's gypsum exists only because its flue gas held sulphur dioxide from coal and orimulsion, which the "
        "desulphurisation plant turns into gypsum. Wood chips hold very little sulphur, so after the conversion the plant makes "
        f"far less gypsum, and Gyproc, which received up to {gypsum} (most of what it uses), would have to buy natural gypsum "
        "or find another by-product source; the small flow from the municipal recycling station cannot replace it. The ash "
        "changes too: coal fly ash for Aalborg Portland and orimulsion ash for the plant in Great Britain stop, and wood ash "
        "needs a new outlet. Steam and district heat can go on from the new wood-chip plant. The lesson: a by-product exchange "
        "ties the receiver to the process that makes the by-product, so cutting CO2 at one partner can break another "
        "partner's supply; the partners have to plan such changes together."
    )


for _q in (
    Question("symbiosis.asnaes_exchanges",
             "The worked example counted Gyproc's exchanges. Now Asnæs Power Station: how many active exchanges (flows in "
             "and out) does it take part in?",
             _asnaes_exchanges, unit="dimensionless", rel_tol=0.0, kind="transfer",
             hints=("The partner explorer lists former exchanges too: count only the rows whose status is 'active' (the "
                    "refinery-gas pipeline to the power station is no longer used).",
                    "Count the flows the power station receives and the flows it gives; each flow counts once, even when "
                    "two flows go to the same partner (steam and water to the refinery).")),
    Question("symbiosis.asnaes_receivers",
             "Predict: if Asnæs Power Station closed, how many of the remaining partners — core partners and outside "
             "receivers alike (households, the fish farm, companies outside the cooperation) — would lose at least one supply?",
             _asnaes_receivers, unit="dimensionless", rel_tol=0.0, kind="predict",
             hints=(_receivers_hint(),
                    "In the network chart, pick Asnæs in the menu and count the partners at the end of an arrow leaving it, "
                    "each once (the refinery gets two flows but is one partner).")),
    Question("symbiosis.novozymes_closes",
             "In the what-if chart, close Novozymes. How many cubic metres of known quantities are lost (the panel "
             "'Known quantities lost')?",
             _novozymes_closes, unit="m**3", kind="chart",
             hints=("Read the line in m³ of the panel 'Known quantities lost (per unit)' after picking Novozymes in the menu.",
                    "Neither flow has a period: the total is an amount of cubic metres, not cubic metres a year.")),
    Question("symbiosis.broker",
             "Before you run the ranking: which partner do you expect to have the highest betweenness, the biggest "
             "go-between of flows? Answer with its name: Asnæs Power Station, Noveren, Novozymes or Kalundborg Municipality.",
             _broker, choices=_BROKER_OPTIONS, labels=_broker_labels(), explanations=_BROKER_WHY, kind="misconception",
             hints=("Betweenness counts how often a partner lies on the shortest route between two other partners.",)),
    Question("symbiosis.water_cut_points",
             "Asnæs cut its total water consumption by {a} and the Symbiosis companies together cut theirs by {p}. A report "
             "writes that Asnæs's cut was {d} % larger than the park's. Which correction is right: a, b, c or d?".format(
                 a=_percent("asnaes_water_cut"), p=_percent("water_cut"),
                 d=formats.number(_cut_figures()[0] - _cut_figures()[1])),
             lambda: "b", choices=("a", "b", "c", "d"), labels=_points_labels(), explanations=_points_why(),
             kind="misconception",
             hints=("A difference between two percentages is counted in percentage points.",)),
    Question("symbiosis.water_before_cut",
             "The Symbiosis companies cut their overall water consumption by {p} and save {g} of ground water and {s} of "
             "surface water. If those savings are the {p} cut, how many cubic metres a year did the companies use "
             "before?".format(p=_percent("water_cut"), g=formats.quantity(_outcome("groundwater_saved")),
                              s=formats.quantity(_outcome("surface_water_saved"))),
             _water_before_cut, unit="m**3/year", kind="transfer",
             hints=("The water saved is the cut: a known share of the water used before. Which number is that share of what?",
                    "Add the two savings, then divide by the cut written as a fraction (a quarter is 0.25, not 25).")),
    Question("symbiosis.so2_per_tonne_oil",
             "The partners burn less oil and so emit less sulphur dioxide. How many kilograms of SO₂ are avoided per tonne "
             "of oil saved?",
             _so2_per_oil, unit="kg/t", kind="transfer",
             hints=("Divide the SO₂ reduction by the oil reduction; both are tonnes a year, so the years cancel.",
                    "{so2} / {oil}, then tonnes of SO₂ to kilograms.".format(
                        so2=formats.quantity(_outcome("so2_avoided")), oil=formats.quantity(_outcome("oil_saved"))))),
    Question("symbiosis.waste_per_household",
             "Noveren's combustible waste equals the power and district heat of a number of private households. How many "
             "tonnes a year of waste is that per household?",
             _waste_per_household, unit="t/year", kind="transfer",
             hints=("{w} shared by {h} households.".format(
                 w=formats.quantity(_outcome("combustible_waste")),
                 h=formats.number(_outcome("combustible_waste_households").magnitude)),)),
    Question("symbiosis.wood_chips",
             "Asnæs's gypsum comes from removing sulphur dioxide from the flue gas of its coal and orimulsion. What would you "
             "expect to happen to that flow after the conversion to wood chips, and who in the network would have to adapt? "
             "Answer in a few sentences.",
             _wood_chips_answer, kind="reflection",
             rubric=("Full: the gypsum comes from sulphur in the fuel, so a low-sulphur fuel (wood chips) means far less gypsum; "
                     "names Gyproc as the partner that must adapt (natural gypsum or another source) and at least one other "
                     "change (the coal and orimulsion ash for Aalborg Portland and the plant in Great Britain; steam and heat "
                     "continue); draws a lesson about depending on another partner's process, or a trade-off between CO2 and "
                     "by-products.",
                     "Partial: says the gypsum flow shrinks or stops and names Gyproc, but gives no reason (sulphur in the "
                     "fuel) or no wider lesson.",
                     "Missing: assumes the flows stay as they are, or discusses CO2 only.")),
):
    register(_q)
