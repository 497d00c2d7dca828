"""Figures written in the prose of notebook 04 (the ZERI brewery), computed from course_lib.

Each entry computes, from the datasets through the model, a figure that the notebook's markdown or
a stored chart description states; tests/test_prose_figures.py checks every number of the prose
against these, the zeri datasets and the answers of the zeri questions.
"""

from course_lib import exercises, zeri
from course_lib.units import Q_


def _outcome(name: str, scenario: str) -> float:
    return float(zeri.compare_linear_vs_cascade().set_index("outcome").loc[name, scenario])


def _cut(name: str) -> float:
    """The share by which the cascade lowers an outcome of the brewery alone."""
    return 1 - _outcome(name, "cascade") / _outcome(name, "linear")


def _dry_matter_to_air() -> float:
    flows = zeri.run_cascade()
    dry = flows[flows["component"] == "dry matter"]
    entering = dry[dry["source"].isin(["brewery", "straw_supply", "air"])]["value"].sum()
    to_air = dry[(dry["target"] == "environment") & (dry["kind"] == "loss")]["value"].sum()
    return float(to_air / entering)


def _protein_of_the_mix() -> float:
    p = zeri.defaults()
    return (p["bsg_protein"] + p["straw_per_bsg"] * p["straw_protein"]) / (1 + p["straw_per_bsg"])


def _protein_of_the_substrate() -> float:
    """The protein share of the spent substrate at the table's defaults (the text's case)."""
    p = zeri.defaults()
    rows = zeri.parameters().set_index("name")["value"]
    straw = p["straw_per_bsg"]
    mushrooms_dm = p["mushroom_be"] * (1 + straw) * (1 - p["mushroom_moisture"])
    protein = p["bsg_protein"] + straw * p["straw_protein"] - mushrooms_dm * rows["mushroom_protein"]
    return protein / ((1 + straw) * (1 - p["substrate_dm_loss"]))


def _own_tornado(column: str, row: int | None = None) -> float:
    """Exercise 1's tornado chart for the default variant (the one the committed notebook draws):
    its base outcome, or an end of its largest swing."""
    v = exercises.variant("zeri.tornado_methane", None)
    table = zeri.sensitivity("methane_energy", v["beer_hl"], bsg_per_hl=v["bsg_per_hl"], wastewater_cod=v["wastewater_cod"])
    return float(table[column].iloc[0 if row is None else row])


def _parameter(name: str) -> Q_:
    row = zeri.parameters().set_index("name").loc[name]
    return Q_(float(row["value"]), row["unit"])


def _swing(outcome: str, end: str) -> float:
    return float(zeri.sensitivity(outcome).iloc[0][f"outcome_{end}"])


FIGURES = {
    "the example's beer in litres (section 3)": lambda: _parameter("beer_hl").to("L"),
    "theoretical methane per kg of COD removed (sections 8 and 9)":
        lambda: (_parameter("molar_volume") / _parameter("cod_per_mol_ch4")).to("m**3/kg"),
    "share of the entering dry matter returned to the air (summary)": _dry_matter_to_air,
    "protein share of the spent grain + straw mix going in (summary)": _protein_of_the_mix,
    "protein share of the spent substrate coming out, table defaults (summary)": _protein_of_the_substrate,
    "cut in dry matter discharged with water (section 5, summary)": lambda: _cut("discharged_solids"),
    "cut in organic matter discharged with water (section 5, summary)": lambda: _cut("discharged_organic"),
    # The comparison chart's description names every outcome for both scenarios.
    **{
        f"{name}, {scenario} (comparison chart)": (lambda name=name, scenario=scenario: _outcome(name, scenario))
        for name in zeri.OUTCOMES for scenario in ("linear", "cascade")
    },
    # The tornado charts' descriptions: the default outcome and the largest swing.
    **{
        f"{outcome} at the {end} end of its largest swing (tornado chart)": (lambda o=outcome, e=end: _swing(o, e))
        for outcome in ("fish", "methane_energy") for end in ("low", "high")
    },
    # Exercise 1 draws the tornado chart of the default student's brewery: its description.
    **{
        f"exercise 1's own tornado chart: {column} (chart description)": (lambda column=column: _own_tornado(column))
        for column in ("outcome_default", "outcome_low", "outcome_high")
    },
    "dry matter leaving the brewery (flow diagram)": lambda: float(
        zeri.run_cascade().query("source == 'brewery' and component == 'dry matter'")["value"].sum()),
}

ALLOWED = {
    "90": "the notebook's working time, in minutes",
    "105": "minutes: the time the notebook's core path takes, recomputed by tests/test_lesson_timing.py from datasets/lesson_timing.csv",
}
