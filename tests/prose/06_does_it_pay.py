"""Figures of notebook 06's prose that course_lib computes, and the few numbers that need no source."""

from course_lib import circular, economics, exercises


def _cartridge(scenario: str, column: str) -> float:
    """Notebook 03's product-life model run on the ink-cartridge scenarios (section 7's chart)."""
    flows = circular.scenarios(economics.cartridge_scenarios().drop(columns=["label"])).set_index("scenario")
    return float(flows.loc[scenario, column])


def _own(case: str, question_id: str, **prices: str) -> economics.Appraisal:
    """The appraisal an exercise draws its chart from, at the exercise's default numbers (those of the
    committed notebook): ``prices`` maps a row of the price table to the exercise's number."""
    v = exercises.variant(question_id, None)
    return economics.appraise(case, **{price: v[name] for price, name in prices.items()})


def _joint(key: str) -> float:
    """Section 3's joint analysis of Kalundborg (the histogram's description): 500 draws, landfill fee held."""
    return float(economics.joint_sensitivity("kalundborg", samples=500, hold=["kalundborg_landfill_cost"]).attrs[key])


def _leaves(scenario: str, part: str) -> float:
    """What leaves the cartridge's system (section 7's chart): never collected, or collected but not back in cartridges."""
    flows = circular.scenarios(economics.cartridge_scenarios().drop(columns=["label"])).set_index("scenario").loc[scenario]
    never = (flows["products_leaving"] - flows["collected"]) * flows["demand_t"] / flows["products_leaving"]
    return float(never if part == "never" else flows["waste_t"] - never)


FIGURES = {
    **{f"Kalundborg, every number at once: {key} (histogram)": (lambda key=key: _joint(key))
       for key in ("share_positive", "outcome_median", "outcome_p5", "outcome_p95")},
    **{f"cartridge, {scenario}: {part} (section 7's chart)": (lambda scenario=scenario, part=part: _leaves(scenario, part))
       for scenario in ("linear", "hp_recycling", "cradle_to_cradle", "service_economy") for part in ("never", "elsewhere")},
    "Kalundborg: money in each year (who-gains and reported charts)": lambda: economics.appraise("kalundborg").revenue,
    "Kalundborg: money out each year (who-gains chart)": lambda: economics.appraise("kalundborg").costs,
    "Kalundborg: yearly net (reported chart)": lambda: economics.appraise("kalundborg").yearly_net,
    "Kalundborg: net present value (tornado chart)": lambda: economics.appraise("kalundborg").npv,
    "ZERI cascade: net present value (slider and tornado charts)": lambda: economics.appraise("zeri").npv,
    # The charts exercises 3 and 11 draw from their default numbers (their descriptions give the NPV and the totals, not the answers).
    "exercise 3's own cascade: NPV (its tornado chart)": lambda: _own(
        "zeri", "economics.deciding_price", zeri_beer_hl_per_year="beer", zeri_operating_cost="opex").npv,
    "exercise 11's prices: money in each year (its who-gains chart)": lambda: _own(
        "kalundborg", "economics.biggest_line", kalundborg_landfill_cost="fee", kalundborg_fuel_oil_price="oil_price",
        kalundborg_natural_gypsum_price="gypsum_price").revenue,
    "exercise 11's prices: money out each year (its who-gains chart)": lambda: _own(
        "kalundborg", "economics.biggest_line", kalundborg_landfill_cost="fee", kalundborg_fuel_oil_price="oil_price",
        kalundborg_natural_gypsum_price="gypsum_price").costs,
    "cartridge, thrown away: virgin material (= waste) a year": lambda: _cartridge("linear", "virgin_t"),
    "cartridge, cradle to cradle: virgin material (= waste) a year": lambda: _cartridge("cradle_to_cradle", "virgin_t"),
    "cartridge, cradle to cradle: material circulating": lambda: _cartridge("cradle_to_cradle", "circulating_t"),
    "cartridge, service economy: virgin material (= waste) a year": lambda: _cartridge("service_economy", "virgin_t"),
    "cartridge, service economy: material circulating": lambda: _cartridge("service_economy", "circulating_t"),
}

ALLOWED = {
    "170": "the notebook's working time in minutes, recomputed by tests/test_lesson_timing.py from datasets/lesson_timing.csv",
    "50": "minutes of reading in the time estimate (the same count)",
    "110": "minutes of the seventeen exercises in the time estimate (the same count)",
    "60": "minutes of exercises in the time estimate",
    "500": "combinations the joint sensitivity analysis draws (an argument of economics.joint_sensitivity in the code beside it)",
    "25": "minutes with charts and sliders in the time estimate",
    "239": "page numbers of a cited journal article (Further reading)",
    "255": "page numbers of a cited journal article (Further reading)",
    "6535": "page numbers of a cited journal article (Further reading)",
    "6541": "page numbers of a cited journal article (Further reading)",
    "39": "volume number of a cited journal (Further reading)",
    "17": "issue number of a cited journal (Further reading)",
}
