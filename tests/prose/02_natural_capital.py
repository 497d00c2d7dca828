"""Figures in the prose of notebook 02 that course_lib computes (see tests/test_prose_figures.py)."""

from course_lib import capital, data, exercises


def _default():
    return capital.default_case()  # r, K, harvest, start


def _oxygen(fact):
    return float(data.load("capital_biosphere2").set_index("id").loc[fact, "value"])


def _petroleum():
    row = data.load("capital_reserves").set_index("resource").loc["petroleum"]
    return float(row["static_index"]), float(row["growth_rate"]) / 100


def _own_chart(share):
    """A tonnage of exercise 4's default fishery: a share of its K (the chart it draws describes them)."""
    v = exercises.variant("capital.policy_gap", None)
    return v.quantity(share).to("").magnitude * v["capacity"]


#: Exercise 4 draws the chart of the student's own fishery; the committed notebook shows the
#: default variant's, whose description names its parameters (rows of this table).
DATASETS = ["exercise_variants_capital"]

FIGURES = {
    "the default stock's maximum sustainable yield (chart description)":
        lambda: capital.maximum_sustainable_yield(*_default()[:2]),
    "years until the default fixed harvest empties the default stock, continuous model (chart description)":
        lambda: capital.time_to_collapse(*_default()[:3], initial=_default()[3]),
    "petroleum's exponential index at the book's growth of use (reserve chart description)":
        lambda: capital.exponential_index(*_petroleum()),
    "the rest of the air (nitrogen, argon) at closure, in percent (Biosphere 2's worked example)":
        lambda: 100 - _oxygen("oxygen_start"),
    "the rest of the air after 16 months, in percent (Biosphere 2's worked example)":
        lambda: 100 - _oxygen("oxygen_after_16_months"),
    "exercise 4's default first-year harvest, t per year (its chart's description)":
        lambda: _own_chart("harvest_share"),
    "exercise 4's default starting stock, t (its chart's description)":
        lambda: _own_chart("start_share"),
}

ALLOWED = {
    "90": "the time the notebook takes, in minutes",
    "110": "minutes: the time the notebook's core path takes, recomputed by tests/test_lesson_timing.py from datasets/lesson_timing.csv",
}
