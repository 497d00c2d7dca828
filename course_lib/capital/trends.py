"""The long trends behind the article's Figures 1-2, from Gapminder's data (``datasets/capital_gapminder.csv``).

142 countries, 1952-2007 every 5 years, grouped into 'developed' and 'developing' by a stated
rule (``datasets/capital_development_groups.csv``, UN M49 'common practice') and aggregated with
population weights.

>>> long_trends().groupby("group")["countries"].max().to_dict()
{'all 142 countries': 142, 'developed': 34, 'developing': 108}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import checks, data
from ..i18n import _

__all__ = ["GROUP_ORDER", "read_gapminder", "development_group", "long_trends", "population_growth", "grouping_text"]

#: The groups of :func:`long_trends`, in the order the charts show them.
N_ = str  # marks a message for the catalogue; charts translate the names they show (i18n._)
GROUP_ORDER = (N_("developed"), N_("developing"), N_("all 142 countries"))

_RAW_COLUMNS = ("country", "continent", "year", "lifeExp", "pop", "gdpPercap")
_RULE_COLUMNS = ("level", "name", "group")
_TREND_COLUMNS = ("group", "year", "population")


def read_gapminder() -> pd.DataFrame:
    """Gapminder's excerpt (142 countries, 1952-2007 every 5 years): the dataset ``capital_gapminder``.

    Columns: country, continent, year, lifeExp (years), pop (people), gdpPercap (US$ per person,
    inflation-adjusted). Data: Gapminder (www.gapminder.org), CC BY 4.0; the excerpt is J. Bryan's
    ``gapminder`` R package, as plotly ships it (``datasets/capital_gapminder.csv`` keeps its data
    columns under their original names).

    >>> raw = read_gapminder()
    >>> raw["country"].nunique(), int(raw["year"].min()), int(raw["year"].max())
    (142, 1952, 2007)
    """
    frame = data.load("capital_gapminder")[list(_RAW_COLUMNS)]
    # Plain NumPy types, as the aggregations below were written for (no nullable Int64 arithmetic).
    return frame.astype({"country": object, "continent": object, "year": "int64", "lifeExp": "float64",
                         "pop": "int64", "gdpPercap": "float64"})


def _rules(rules: pd.DataFrame | None) -> pd.DataFrame:
    if rules is None:
        return data.load("capital_development_groups")
    return checks.frame(rules, "rules", _RULE_COLUMNS)


def development_group(frame: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.Series:
    """The course's 'developed'/'developing' label for each row of ``frame`` (country, continent).

    Rules come from ``datasets/capital_development_groups.csv`` (UN M49 'common practice'):
    continent rules first, then country rules, which win; every other country is 'developing'.

    >>> import pandas as pd
    >>> development_group(pd.DataFrame({"country": ["Turkey", "Japan"], "continent": ["Europe", "Asia"]})).tolist()
    ['developing', 'developed']
    """
    frame = checks.frame(frame, "frame", ("country", "continent"))
    table = _rules(rules)
    group = pd.Series("developing", index=frame.index, dtype="object")
    for level in ("continent", "country"):
        for row in table[table["level"] == level].itertuples():
            group[frame[level] == row.name] = str(row.group)
    return group


def long_trends(raw: pd.DataFrame | None = None, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Population-weighted GDP per capita and life expectancy per group and year.

    Groups: 'developed', 'developing' (:func:`development_group`) and 'all 142 countries'.
    A group's GDP per capita is its total GDP (sum of GDP per capita x population) divided by
    its population; life expectancy is weighted by population the same way. This is how
    ``datasets/capital_trends.csv`` was made (the tests recompute it).
    """
    raw = read_gapminder() if raw is None else checks.frame(raw, "raw", _RAW_COLUMNS)
    frame = raw.assign(group=development_group(raw, rules), gdp=raw["gdpPercap"] * raw["pop"],
                       life_people=raw["lifeExp"] * raw["pop"])
    everyone = frame.assign(group=GROUP_ORDER[2])
    totals = (pd.concat([frame, everyone])
              .groupby(["group", "year"], as_index=False)
              .agg(countries=("country", "nunique"), population=("pop", "sum"), gdp=("gdp", "sum"),
                   life_people=("life_people", "sum")))
    totals["gdp_per_capita"] = totals["gdp"] / totals["population"]
    totals["life_expectancy"] = totals["life_people"] / totals["population"]
    totals["group"] = pd.Categorical(totals["group"], GROUP_ORDER, ordered=True)
    totals = totals.sort_values(["group", "year"]).reset_index(drop=True)
    totals["group"] = totals["group"].astype(str)
    return totals[["group", "year", "countries", "population", "gdp_per_capita", "life_expectancy"]]


def population_growth(trends: pd.DataFrame | None = None) -> pd.DataFrame:
    """Average population growth per 1,000 people per year between successive Gapminder years.

    Population growth = births - deaths + net migration: the gap between the two curves of
    the article's Figure 1, plus migration. Plotted at the middle of each 5-year step.

    >>> sorted(population_growth()["group"].unique())
    ['all 142 countries', 'developed', 'developing']
    """
    trends = data.load("capital_trends") if trends is None else checks.frame(trends, "trends", _TREND_COLUMNS)
    rows = []
    for group, part in trends.sort_values("year").groupby("group"):
        years = part["year"].to_numpy(dtype=float)
        people = part["population"].to_numpy(dtype=float)
        rate = np.log(people[1:] / people[:-1]) / np.diff(years) * 1000
        rows.append(pd.DataFrame({"group": group, "year": (years[1:] + years[:-1]) / 2, "growth_per_1000": rate}))
    frame = pd.concat(rows, ignore_index=True)
    frame.attrs = {**trends.attrs, "units": {"year": "year", "growth_per_1000": "permille/year"}}
    return frame


def grouping_text(rules: pd.DataFrame | None = None) -> str:
    """The course's developed/developing rule in words, from ``capital_development_groups``.

    >>> grouping_text()
    'developed = Europe (except Turkey), United States, Canada, Japan, Australia, New Zealand; developing = all other countries (UN M49 practice)'
    """
    table = _rules(rules)
    continents = [str(n) for n in table[(table["level"] == "continent") & (table["group"] == "developed")]["name"]]
    exceptions = [str(n) for n in table[(table["level"] == "country") & (table["group"] == "developing")]["name"]]
    countries = [str(n) for n in table[(table["level"] == "country") & (table["group"] == "developed")]["name"]]
    parts = [_("{place} (except {countries})").format(place=c, countries=", ".join(exceptions)) if exceptions else c
             for c in continents] + countries
    return _("developed = {places}; developing = all other countries (UN M49 practice)").format(places=", ".join(parts))
