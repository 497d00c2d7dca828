"""The exercises of notebook 02 (ids ``capital.<name>``).

Every expected answer is computed when it is checked, from the active data folder: an instructor
who changes ``capital_model_defaults`` (or points ``COURSE_DATA_DIR`` at adapted data) changes
the answers with it. The prompts therefore speak of "the default stock" rather than repeat its
numbers.
"""

from __future__ import annotations

import pint

from .. import data
from ..exercises import Question, register
from ..units import Q_
from ._params import POLICIES, defaults
from .capitals import sorting_answer
from .reserves import exponential_index
from .stock import maximum_sustainable_yield, time_to_collapse, yearly_stock

__all__: list[str] = []


def _default_start() -> tuple[float, float, float, float]:
    """(r, K, harvest, starting stock) of the default stock, from the active data."""
    d = defaults()
    return d["growth_rate"], d["capacity"], d["harvest"], d["initial_share"] / 100 * d["capacity"]


def _msy() -> pint.Quantity:
    r, K, _, _ = _default_start()
    return maximum_sustainable_yield(r, K)


def _next_year_stock() -> pint.Quantity:
    r, K, H, N0 = _default_start()
    return Q_(float(yearly_stock(r, K, H, "fixed amount", years=1, initial=N0)["stock"].iloc[1]), "t")


def _collapse_years() -> pint.Quantity:
    r, K, H, N0 = _default_start()
    return time_to_collapse(r, K, H, N0)


def _petroleum_index() -> pint.Quantity:
    row = data.load("capital_reserves").set_index("resource").loc["petroleum"]
    return exponential_index(float(row["static_index"]), Q_(float(row["growth_rate"]), "percent/year"))


def _biosphere(fact: str) -> pint.Quantity:
    table = data.load("capital_biosphere2").set_index("id")
    return Q_(float(table.loc[fact, "value"]), str(table.loc[fact, "unit"]))


def _oxygen_lost() -> pint.Quantity:
    start, after = _biosphere("oxygen_start"), _biosphere("oxygen_after_16_months")
    return ((start - after) / start).to("percent")


def _diet_share() -> pint.Quantity:
    return (_biosphere("diet_high") / Q_(1, "food_day/day")).to("percent")


def _gdp_gap_1997() -> pint.Quantity:
    table = data.load("capital_trends").set_index(["group", "year"])["gdp_per_capita"]
    return Q_(float(table["developed", 1997]) / float(table["developing", 1997]), "dimensionless")


register(Question(
    id="capital.sort_capitals",
    prompt=("Sort the examples of the sorting exercise (capital.sorting_answer() lists them) into the four capitals "
            "(human, financial, manufacturing, natural). Answer with a dict such as {'air': 'natural', ...}."),
    expected=sorting_answer,
    hints=("The article: we pay salaries for labour (human), interest on loans (financial), rent for equipment and "
           "facilities (manufacturing), and nothing for clean air and water (natural).",),
))

register(Question(
    id="capital.msy",
    prompt=("What is the maximum sustainable yield of the default stock (growth rate r and capacity K from "
            "capital.defaults()), in t per year?"),
    expected=_msy,
    unit="t/year",
    hints=("Regrowth r N (1 - N/K) is largest at N = K/2.", "Put N = K/2 into r N (1 - N/K): you get r K / 4."),
))

register(Question(
    id="capital.next_year_stock",
    prompt=("Year by year: the default stock stands at its default start and the default harvest is taken this year "
            "(capital.defaults()). How big is the stock next year (in t)?"),
    expected=_next_year_stock,
    unit="t",
    rel_tol=0.005,
    hints=("Next year = stock + regrowth - harvest.", "Regrowth = r N (1 - N/K) with N the stock this year."),
))

register(Question(
    id="capital.collapse_years",
    prompt=("The default harvest is taken every year as a fixed amount from the default stock at its default start "
            "(capital.defaults()). After how many years is it gone?"),
    expected=_collapse_years,
    unit="year",
    rel_tol=0.03,
    hints=("Use capital.time_to_collapse, or read where the fixed-amount line hits zero in the chart.",),
))

register(Question(
    id="capital.never_collapses",
    prompt="Which harvest policy can never empty the stock, whatever the harvest you ask for?",
    expected=lambda: "income only",
    choices=POLICIES,
    hints=("Which policy never takes more than the stock regrows?",),
))

register(Question(
    id="capital.exponential_index_petroleum",
    prompt=("The Limits to Growth gives petroleum a static index of 31 years and a use growing 3.9 % a year. "
            "How many years do the reserves last at that growth (the exponential index)?"),
    expected=_petroleum_index,
    unit="year",
    rel_tol=0.03,
    hints=("Exponential index = ln(1 + g s) / g, with g = 0.039 per year and s the static index.",),
))

register(Question(
    id="capital.biosphere_oxygen_lost",
    prompt="In Biosphere 2 oxygen fell from 21 % to 14 % of the air. What share of the oxygen was lost (in percent)?",
    expected=_oxygen_lost,
    unit="percent",
    hints=("Lost share = (before - after) / before.", "It is not 7 %: that is the drop in percentage points."),
))

register(Question(
    id="capital.biosphere_diet_share",
    prompt=("The crew of Biosphere 2 ate at most 2,100 kcal a day. What share of de Rosnay's 'energy needs of a man' "
            "(one food-day, Table 1 of the article) is that (in percent)?"),
    expected=_diet_share,
    unit="percent",
    hints=("One food-day is 2,500 kcal (notebook 00).",),
))

register(Question(
    id="capital.gdp_gap_1997",
    prompt=("In the course's grouping of the Gapminder data, how many times larger was GDP per person in the developed "
            "group than in the developing group in 1997 (the end of the article's Figure 2)?"),
    expected=_gdp_gap_1997,
    unit="dimensionless",
    hints=("Divide the two values for 1997 in data.load('capital_trends').",),
))
