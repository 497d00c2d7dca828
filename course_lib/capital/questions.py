"""The exercises of notebook 02 (ids ``capital.<name>``).

Every expected answer is computed when it is checked, from the active data folder: an instructor
who changes ``capital_model_defaults`` (or points ``COURSE_DATA_DIR`` at adapted data) changes
the answers with it. The prompts therefore speak of "the default stock" rather than repeat its
numbers.

Two misconceptions are confronted on purpose: **stock vs flow** (judging a harvest against the
size of the stock, the capital, instead of against its regrowth, the income:
``capital.stock_flow``, ``capital.most_total_harvest``, ``capital.unpriced_capital`` and the
reflection) and **correlation vs causation** in the long trends (``capital.life_income_cause``).
"""

from __future__ import annotations

import pint

from .. import data
from ..exercises import Question, register
from ..units import Q_
from ._params import POLICIES, default_case, defaults
from .biosphere import oxygen_lost
from .reserves import exponential_index
from .stock import full_harvest_years, maximum_sustainable_yield, policy_summary, time_to_collapse, yearly_stock

__all__: list[str] = []


_default_start = default_case  # (r, K, harvest, starting stock) of the default stock, from the active data


# ---- 1. four capitals ---------------------------------------------------------------------------

register(Question(
    id="capital.unpriced_capital",
    kind="transfer",
    prompt=("A fishing company's yearly accounts show the wages of its crew, the interest on its bank loan, the "
            "boats and nets it bought, and the diesel it burns. Which capital does it use without any line in its "
            "accounts?"),
    expected=lambda: "fish",
    choices=("crew", "loan", "boats", "diesel", "fish"),
    labels={"crew": "the crew's work", "loan": "the bank loan", "boats": "the boats and nets",
            "diesel": "the diesel", "fish": "the fish in the sea"},
    explanations={
        "crew": "Human capital, and it is paid for: the wages are its price.",
        "loan": "Financial capital, and it is paid for: the interest is its price.",
        "boats": "Manufacturing capital, and it is paid for: the company bought them (and writes down their wear).",
        "diesel": ("Natural capital, but paid for: the company buys it, like the 'fuel and oil' of the article. "
                   "(The price pays for pumping and refining the oil, not for the reserve it came from.)"),
        "fish": ("Natural capital taken for free: nothing in the accounts records how many fish are left, so a catch "
                 "larger than the stock's regrowth shows as income while the capital shrinks."),
    },
    hints=("The article: we pay salaries for labour, interest on loans, rent or purchase for equipment, and for fuel "
           "and oil; 'the cleanliness of the air and water' has no price.",),
))


# ---- 2. a renewable stock -------------------------------------------------------------------------

def _policy_totals() -> dict[str, float]:
    r, K, H, N0 = _default_start()
    summary = policy_summary(r, K, H, years=int(defaults()["horizon"]), initial=N0)
    return {str(p): float(v) for p, v in summary["total_harvest"].items()}


def _most_total_harvest() -> str:
    totals = _policy_totals()
    return max(totals, key=lambda policy: totals[policy])


register(Question(
    id="capital.most_total_harvest",
    kind="predict",
    prompt=("Predict, before you look at the chart: the default stock starts at its default start and the three "
            "policies all take the default harvest in the first year. Which policy harvests the most in total over "
            "the years the chart shows?"),
    expected=_most_total_harvest,
    choices=POLICIES,
    explanations={
        "fixed amount": ("It takes the most in each of the first years, but it takes more than the stock regrows, so the "
                         "stock shrinks, regrows less, and is gone after about ten years: from then on it harvests "
                         "nothing."),
        "fixed fraction": ("Close, but its stock settles below half of K, where it regrows less than the most it could: "
                           "a smaller capital paying a smaller income for ever."),
        "income only": ("It never takes more than the regrowth, so the half-full stock pays its largest income, the "
                        "MSY, every year for ever."),
    },
    hints=("Compare what each policy takes in year 1 with what it can still take in year 30.",),
))


def _msy_fraction() -> pint.Quantity:
    r, K, _, _ = _default_start()
    return (maximum_sustainable_yield(r, K) / Q_(K / 2, "t") * Q_(1, "year")).to("percent")


register(Question(
    id="capital.msy_fraction",
    kind="transfer",
    prompt=("A fixed-fraction harvest settles where the stock's regrowth equals the harvest. Which fixed fraction "
            "(the share of the stock taken each year, in percent) gives the largest harvest in the long run, for the "
            "default stock?"),
    expected=_msy_fraction,
    unit="percent",
    hints=("The largest harvest that can last is the MSY, and the stock must then stay at K/2.",
           "Divide the MSY (r K / 4 per year) by the stock that gives it (K / 2): the answer is r / 2."),
))


def _next_year_stock() -> pint.Quantity:
    r, K, H, N0 = _default_start()
    return Q_(float(yearly_stock(r, K, H, "fixed amount", years=2, initial=N0)["stock"].iloc[2]), "t")


register(Question(
    id="capital.next_year_stock",
    kind="transfer",
    prompt=("Year by year, with the default stock, start and harvest: the worked example took the stock through the "
            "first year. Take the next step: how big is the stock after the second year, in t?"),
    expected=_next_year_stock,
    unit="t",
    rel_tol=0.005,
    hints=("Start from the stock after the first year (the worked example): regrowth = r N (1 - N/K) with that N.",
           "Stock after the second year = N + regrowth - harvest."),
))


def _collapse_years() -> pint.Quantity:
    r, K, H, N0 = _default_start()
    return full_harvest_years(r, K, H, initial=N0)


def _collapse_continuous() -> list[tuple[pint.Quantity, str]]:
    r, K, H, N0 = _default_start()
    return [(time_to_collapse(r, K, H, N0),
             "that is the continuous model of the chart, where the harvest is taken bit by bit through the year; "
             "the question asks year by year, as in the table")]


register(Question(
    id="capital.collapse_years",
    kind="chart",
    prompt=("Year by year (the table of the year-by-year model, extended to more years), the default harvest is "
            "taken as a fixed amount from the default stock at its default start. For how many years in a row can "
            "the full harvest be taken?"),
    expected=_collapse_years,
    also=_collapse_continuous,
    unit="year",
    rel_tol=0.02,
    hints=("Read the harvest column: count the rows in which the full harvest is taken (the table starts at year 0).",
           "Once the stock plus its regrowth is less than the harvest, only what is left can be taken: that year "
           "does not count."),
))


def _stock_flow() -> str:
    r, K, H, _ = _default_start()
    return "not_sustainable" if H > maximum_sustainable_yield(r, K).magnitude else "sustainable"


register(Question(
    id="capital.stock_flow",
    kind="misconception",
    prompt=("A fishery takes the default harvest every year from a stock at its full capacity K. The company says: "
            "'We take only a small share of the fish each year, so our fishing is sustainable.' Who is right?"),
    expected=_stock_flow,
    choices=("sustainable", "not_sustainable", "while_big", "regrows"),
    labels={"sustainable": "the company: a small share of the stock leaves plenty of fish",
            "not_sustainable": "not sustainable: the harvest is more than the stock can ever regrow in a year",
            "while_big": "sustainable as long as the stock stays above half of K",
            "regrows": "sustainable, because only oil and minerals run out: fish regrow"},
    explanations={
        "sustainable": ("This compares the harvest with the stock (the capital). What lasts depends on the regrowth "
                        "(the income): a harvest above the largest regrowth, the MSY, shrinks any stock, however big, "
                        "until it is gone."),
        "not_sustainable": ("The harvest is above the MSY, the most the stock can regrow in a year at any size, so "
                            "the stock shrinks every year and is gone in the end, even from full capacity."),
        "while_big": ("Half of K is where the stock regrows fastest, not a safe zone: with a harvest above the MSY the "
                      "stock shrinks at every size, passes K/2 and keeps falling, faster and faster."),
        "regrows": ("Fish regrow only as fast as the regrowth curve allows. Take more than that, and a living stock is "
                    "used up like a mineral: the capital is drawn down."),
    },
    hints=("Compare the harvest with the top of the regrowth curve, not with the size of the stock.",),
))


# ---- 3. non-renewable reserves --------------------------------------------------------------------

def _petroleum() -> tuple[float, pint.Quantity]:
    row = data.load("capital_reserves").set_index("resource").loc["petroleum"]
    return float(row["static_index"]), Q_(float(row["growth_rate"]), "percent/year")


def _five_times() -> str:
    s, g = _petroleum()
    ratio = float(exponential_index(5 * s, g) / exponential_index(s, g))
    return "five_times" if ratio >= 4 else "two_to_four" if ratio >= 2 else "under_two"


register(Question(
    id="capital.reserves_five_times",
    kind="predict",
    prompt=("Predict, then check with the 'reserves x' buttons of the chart: if petroleum's reserves were five times "
            "larger and use kept growing at the book's rate, how much longer would they last?"),
    expected=_five_times,
    choices=("five_times", "two_to_four", "under_two"),
    labels={"five_times": "about five times as long", "two_to_four": "two to four times as long",
            "under_two": "less than twice as long"},
    explanations={
        "five_times": ("That holds at constant use (the static index). With use growing every year, each extra year "
                       "uses more than the one before, so five times the reserves buy far fewer than five times the "
                       "years."),
        "two_to_four": ("Growing use eats the extra reserves ever faster: the years grow only with the logarithm "
                        "of the reserve, ln(1 + g s) / g."),
        "under_two": ("Growth is strong, but not that strong: at the book's rate the extra reserves still buy a good "
                      "many years. Move the buttons and read the years."),
    },
    hints=("Exponential index = ln(1 + g s) / g: what happens to it when s is five times larger?",),
))


def _petroleum_half_growth() -> pint.Quantity:
    s, g = _petroleum()
    return exponential_index(s, g / 2)


register(Question(
    id="capital.exponential_index_petroleum",
    kind="transfer",
    prompt=("Radical resource productivity: suppose petroleum use had grown at half the rate the book gives. How many "
            "years would the reserves (the book's static index) then last: the exponential index?"),
    expected=_petroleum_half_growth,
    unit="year",
    rel_tol=0.03,
    hints=("Exponential index = ln(1 + g s) / g, with s the static index and g half the book's growth, as a fraction "
           "(1 % a year is 0.01).",
           "With the book's full growth rate the formula gives about 20 years; half the growth must give more."),
))


# ---- 4. Biosphere 2 --------------------------------------------------------------------------------

def _biosphere(fact: str) -> pint.Quantity:
    table = data.load("capital_biosphere2").set_index("id")
    return Q_(float(table.loc[fact, "value"]), str(table.loc[fact, "unit"]))


def _oxygen_lost() -> pint.Quantity:
    return oxygen_lost(_biosphere("oxygen_start"), _biosphere("oxygen_after_16_months"))


def _oxygen_same_air() -> list[tuple[pint.Quantity, str]]:
    same = oxygen_lost(_biosphere("oxygen_start"), _biosphere("oxygen_after_16_months"), nitrogen_kept=False)
    return [(same, "right if the amount of air had stayed the same. It did not: the nitrogen stayed while the oxygen "
                   "was used and its carbon dioxide went into the concrete, so the air shrank and a larger share of the "
                   "oxygen was lost")]


register(Question(
    id="capital.biosphere_oxygen_lost",
    kind="transfer",
    prompt=("In Biosphere 2 oxygen fell from its ambient share of the air to the share measured after 16 months. The "
            "carbon dioxide the soil microbes made went into the concrete, and the nitrogen and argon (the rest of the "
            "air) stayed. What share of the oxygen that was there at the start was lost, in percent?"),
    expected=_oxygen_lost,
    also=_oxygen_same_air,
    unit="percent",
    hints=("Not the drop in percentage points: that is a share of the air, not of the oxygen.",
           "Compare oxygen per unit of nitrogen: before, start / (100 - start); after, after / (100 - after). "
           "Lost share = 1 - after-ratio / before-ratio."),
))


# ---- 5. long trends --------------------------------------------------------------------------------

def _life_expectancy_gain() -> pint.Quantity:
    table = data.load("capital_trends")
    developing = table[table["group"] == "developing"].set_index("year")["life_expectancy"]
    first, last = int(developing.index.min()), int(developing.index.max())
    return Q_(float(developing[last] - developing[first]), "year")


register(Question(
    id="capital.life_expectancy_gain",
    kind="chart",
    prompt=("Read the left panel of the life-expectancy chart (hover over the points for their values): by how many "
            "years did life expectancy at birth rise in the developing group from the first year shown to the last?"),
    expected=_life_expectancy_gain,
    unit="year",
    rel_tol=0.06,
    hints=("Read the developing group's first and last points and subtract.",),
))


register(Question(
    id="capital.life_income_cause",
    kind="misconception",
    prompt=("From 1952 to 2007 GDP per person and life expectancy rose together in both groups (the two charts). "
            "What does this data support?"),
    expected=lambda: "cannot_tell",
    choices=("income_causes", "life_causes", "cannot_tell", "income_needed"),
    labels={"income_causes": "getting richer made people live longer",
            "life_causes": "living longer made people richer",
            "cannot_tell": "both rose together; this data alone cannot say whether one caused the other",
            "income_needed": "life expectancy rises only where income rises as much"},
    explanations={
        "income_causes": ("Two series that rise over the same years are correlated, with each other and with time; "
                          "many other things changed in those years too (vaccines, antibiotics, clean water, "
                          "schooling). This data cannot tell them apart: correlation is not causation."),
        "life_causes": ("The same trap the other way round: the data cannot say which way an influence runs, or "
                        "whether there is one at all."),
        "cannot_tell": ("A correlation over time is a starting point, not a proof. To find causes you need more: "
                        "comparisons that hold other things equal, or an experiment."),
        "income_needed": ("The data says otherwise: by 2007 the developing group lived about as long as the developed "
                          "group had in 1952, with a lower GDP per person than the developed group had then. "
                          "Income is not the whole story."),
    },
    hints=("Ask what else changed between 1952 and 2007, in both groups at once.",),
))


_REFLECTION_ANSWER = (
    "GDP counts a flow: what is produced and sold in a year, the harvest. Nothing in it records the stock the harvest "
    "came from. A fishery taking more than its stock regrows shows a high catch for years while the stock shrinks, "
    "and then nothing; petroleum drawn from a reserve shows rising output until the reserve runs out. So a rising GDP "
    "per person is what living on nature's income and drawing down its capital both look like for a while. To tell "
    "them apart you would need accounts of the stocks themselves (fish, forests, soils, clean air and water, reserves) "
    "and of their regrowth, and compare each year's harvest with the regrowth, as the stock model does. (And that "
    "life expectancy rose alongside GDP does not show that one caused the other.)")

register(Question(
    id="capital.reflect_income_capital",
    kind="reflection",
    prompt=("The article reads its Figures 1 and 2 as 'we are living longer and producing more'. Does a rising GDP per "
            "person show that we live on nature's income? Explain with this notebook's models, and say what you would "
            "need to measure to know."),
    expected=lambda: _REFLECTION_ANSWER,
    rubric=(
        "Full: says GDP measures a flow (the harvest, income) and not the stock (the capital); gives an example from "
        "the notebook (a fixed harvest above the MSY that yields well and then collapses, or a reserve drawn down); "
        "proposes measuring the stocks and their regrowth and comparing the harvest with the regrowth.",
        "Partial: says GDP ignores nature, or that growth can be unsustainable, without the flow/stock distinction or "
        "without saying what to measure.",
        "Missing: treats rising GDP (or rising life expectancy) as proof that we live on nature's income, or restates "
        "the trend without judging it.",
    ),
))
