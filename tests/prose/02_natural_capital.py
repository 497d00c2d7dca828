"""Figures in the prose of notebook 02 that course_lib computes (see tests/test_prose_figures.py)."""

from course_lib import capital, data


def _default():
    return capital.default_case()  # r, K, harvest, start


def _oxygen(fact):
    return float(data.load("capital_biosphere2").set_index("id").loc[fact, "value"])


def _petroleum():
    row = data.load("capital_reserves").set_index("resource").loc["petroleum"]
    return float(row["static_index"]), float(row["growth_rate"]) / 100


FIGURES = {
    "the default stock's maximum sustainable yield (chart description)":
        lambda: capital.maximum_sustainable_yield(*_default()[:2]),
    "years until the default fixed harvest empties the default stock, continuous model (chart description)":
        lambda: capital.time_to_collapse(*_default()[:3], initial=_default()[3]),
    "the default harvest as a share of the capacity K (exercise 6)":
        lambda: _default()[2] / _default()[1],
    "petroleum's exponential index at the book's growth of use (reserve chart description)":
        lambda: capital.exponential_index(*_petroleum()),
    "the rest of the air (nitrogen, argon) at closure, in percent (exercise 9)":
        lambda: 100 - _oxygen("oxygen_start"),
    "the rest of the air after 16 months, in percent (exercise 9)":
        lambda: 100 - _oxygen("oxygen_after_16_months"),
}

ALLOWED = {
    "90": "the time the notebook takes, in minutes",
    "40": "the minutes of reading and charts in that time",
    "45": "the length of a class session, in minutes (instructor box)",
}
