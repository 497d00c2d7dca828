"""The exercises of notebook 06 (expected answers computed from the data) and its reflection.

Kinds, as in the course's exercise design: transfer (a case the text did not work), predict (an
answer before the slider moves), misconception (each wrong option names a wrong idea), chart
reading, a list of cases by thread, and a reflection (``economics.does_it_pay``) with a model answer
and a rubric. For a reflection, :func:`reflect` also lists the ideas an answer touches, and
:func:`reflection_rubric` gives the instructor the rubric as a table.

>>> from course_lib.exercises import evaluate
>>> evaluate("economics.hp_cradle", "recycling").correct
True
>>> evaluate("economics.sort_threads", "kalundborg_tisso, kalundborg_novogro").correct
True
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pint

from .. import checks
from ..exercises import Question, register
from ..units import Q_
from . import _checks
from .model import appraise, break_even, price_table, sensitivity
from .themes import cartridge_scenarios, thread_sorting

__all__ = ["REFLECTIONS", "reflect", "reflection_rubric", "SORTING_CASES", "SORTING_THREAD"]

#: The cases of the sorting exercise (ids of ``economics_cases``).
SORTING_CASES = ("zeri_fishpond", "kalundborg_gypsum", "kalundborg_novogro", "buildings_trees", "tv_lease", "kalundborg_tisso")
#: The thread whose cases the sorting exercise asks for (an id of :data:`~course_lib.economics.themes.THREADS`).
SORTING_THREAD = "local"


# ---- expected answers --------------------------------------------------------------------------


def _price_end(case: str, name: str, end: str) -> float:
    """The ``end`` (``"low"`` or ``"high"``) of parameter ``name``'s plausible range in the price table."""
    return float(price_table(case).set_index("name").loc[name, end])


def _fish_revenue() -> pint.Quantity:
    low = appraise("zeri", zeri_fish_price=_price_end("zeri", "zeri_fish_price", "low")).lines
    return Q_(float(low.loc[low["line"] == "zeri_fish_price", "value"].sum()), "")


def _kalundborg_payback() -> pint.Quantity:
    low = _price_end("kalundborg", "kalundborg_landfill_cost", "low")
    return Q_(appraise("kalundborg", kalundborg_landfill_cost=low).payback, "year")


def _rate_doubles() -> str:
    base = appraise("zeri")
    doubled = appraise("zeri", discount_rate=min(2 * base.rate, _checks.MAX_RATE))
    if math.isclose(doubled.npv, base.npv, rel_tol=1e-9):
        return "same"
    if doubled.npv > base.npv:
        return "rises"
    return "falls_positive" if doubled.npv > 0 else "turns_negative"


def _half_brewery() -> str:
    base = appraise("zeri")
    scale = next(n for n in base.values if n.endswith("beer_hl_per_year"))
    half = appraise("zeri", **{scale: base.values[scale] / 2})
    if math.isinf(half.payback):
        return "never"
    ratio = half.payback / base.payback
    if math.isclose(ratio, 1, rel_tol=0.02):
        return "same"
    if math.isclose(ratio, 2, rel_tol=0.05):
        return "twice"
    return "more_than_twice" if ratio > 2 else "less_than_twice"


def _hp_answer() -> str:
    hp = cartridge_scenarios().set_index("scenario").loc["hp_recycling"]
    if hp["lease_share"] >= 0.5:
        return "service_economy"
    return "cradle_to_cradle" if hp["recycle"] > 0 and hp["recycling_yield"] > 0 else "recycling"


def _payback_vs_npv() -> str:
    base = appraise("kalundborg")
    at_most = appraise("kalundborg", discount_rate=_checks.MAX_RATE)
    shortest = appraise("kalundborg", kalundborg_lifetime=1)
    return "rate" if base.pays and not (at_most.pays and shortest.pays) else "true"


def _deciding() -> str:
    table = sensitivity("zeri")
    flips = table[table["flips"]]
    return str(flips.iloc[0]["parameter"]) if len(flips) else "none"


def _biggest_line() -> str:
    lines = appraise("kalundborg").lines
    return str(lines.sort_values("value", ascending=False).iloc[0]["short"])


def _local_cases() -> list[str]:
    return [case for case, thread in thread_sorting(SORTING_CASES).items() if thread == SORTING_THREAD]


def _opex_break_even() -> pint.Quantity:
    return Q_(break_even("zeri", "zeri_operating_cost"), "")


_PARAMETER_LABELS = {
    "zeri_lifetime": "years counted", "zeri_operating_cost": "running costs", "zeri_landfill_fee": "landfill avoided",
    "zeri_investment": "investment", "zeri_mushroom_price": "mushrooms", "discount_rate": "discount rate",
    "zeri_fish_price": "fish", "zeri_meat_price": "meat (live-weight gain)", "zeri_methane_price": "methane (replaces gas)",
    "zeri_bread_flour_price": "spent-grain flour", "zeri_straw_price": "straw bought", "none": "none of them",
}

_QUESTIONS = (
    Question(
        "economics.fish_revenue",
        "The cascade's table priced the fish at the default fish price. Suppose the fish farm can only sell at the low end "
        "of the fish price's plausible range, everything else unchanged: how many euros a year do the fish bring then? "
        "Give a plain number of euros.",
        _fish_revenue, unit="", rel_tol=0.02, kind="transfer",
        hints=("Kilograms of fish a year (the cascade's table in section 5) times the low end of the fish price (EUR per kg).",
               "Only the price changes: the pond makes as much fish as before."),
    ),
    Question(
        "economics.kalundborg_payback",
        "Landfill is the widest bar of Kalundborg's tornado chart. If landfilling a tonne of gypsum or ash cost only the low "
        "end of its plausible range, everything else unchanged, how many years would the priced exchanges take to pay back "
        "their investment (simple payback)?",
        _kalundborg_payback, unit="year", rel_tol=0.02, kind="transfer",
        hints=("Both landfill lines (gypsum and ash) shrink in proportion to the fee: at the low fee they bring "
               "low fee / default fee of what they bring now.",
               "New yearly net = yearly net now - landfill avoided now x (1 - low fee / default fee); payback = investment / new yearly net."),
    ),
    Question(
        "economics.rate_doubles",
        "Predict before you move the discount-rate slider: if the discount rate doubles from its default, what happens "
        "to the ZERI cascade's net present value?",
        _rate_doubles, choices=("rises", "same", "falls_positive", "turns_negative"), kind="predict",
        labels={"rises": "it rises", "same": "it stays the same", "falls_positive": "it falls but stays positive",
                "turns_negative": "it turns negative"},
        explanations={
            "rises": "A higher rate makes every future euro worth less today, never more: the NPV cannot rise when the yearly net is positive.",
            "same": "The discount rate is not only about loans: it is how much less a future euro counts, and it weighs every future year.",
            "falls_positive": "Future money counts for less, the investment (paid now) does not: the NPV falls. Check how far with the slider.",
            "turns_negative": "Future money counts for less, so the NPV falls; whether it crosses zero depends on how large it was. Check with the slider.",
        },
        hints=("At a higher rate each future year's money is divided by a larger (1 + rate) ** year.",),
    ),
    Question(
        "economics.half_brewery",
        "Predict before you move the beer slider: if the brewery brewed half as much beer, with the same investment and "
        "running costs, the simple payback of the ZERI cascade would be ...",
        _half_brewery, choices=("same", "less_than_twice", "twice", "more_than_twice", "never"), kind="predict",
        labels={"same": "the same", "less_than_twice": "longer, but less than twice as long", "twice": "twice as long",
                "more_than_twice": "more than twice as long", "never": "never: it would not pay back at all"},
        explanations={
            "same": "The products halve with the beer, the investment does not: the payback cannot stay the same.",
            "twice": "That would be true if everything halved; the running costs do not, so the net falls by more than half.",
            "less_than_twice": "The investment stays and the yearly net falls by more than half (running costs stay), so payback more than doubles.",
            "more_than_twice": "Revenues halve but the running costs stay, so the yearly net falls by more than half: payback more than doubles.",
            "never": "Payback is 'never' only when the yearly net is zero or negative; compare the halved revenues with the running costs.",
        },
        hints=("Which lines of the appraisal grow with the beer, and which stay the same?",),
    ),
    Question(
        "economics.hp_cradle",
        "The article calls HP's postage-paid envelope for used ink cartridges 'cradle to cradle' production. What is it, "
        "in the course's terms?",
        _hp_answer, choices=("cradle_to_cradle", "recycling", "service_economy", "waste_free"), kind="misconception",
        labels={"cradle_to_cradle": "cradle to cradle: the cartridge goes back to its maker",
                "recycling": "recycling: the material goes into other products, each cartridge is still sold and used once",
                "service_economy": "a service economy: HP pays the postage",
                "waste_free": "waste-free: everything returned is recycled, so nothing is wasted"},
        explanations={
            "cradle_to_cradle": "Going back to the maker is only collection. Cradle to cradle means a product designed so that its "
                                "material returns as high-quality raw material for new products, or safely to nature; HP's "
                                "cartridges become 'new consumer products', not new cartridges.",
            "recycling": "The material leaves the cartridge system for other products: in notebook 03's model the virgin material "
                         "for cartridges does not fall at all.",
            "service_economy": "In a service economy you lease and the maker owns the product for its whole life; here you buy "
                               "the cartridge and own it. Free postage is not a lease.",
            "waste_free": "Only the cartridges that are mailed back are recycled, recycling loses material and energy, and every "
                          "new cartridge still needs virgin material.",
        },
        hints=("Compare the HP scenario with the cradle-to-cradle one in economics.cartridge_scenarios().",),
    ),
    Question(
        "economics.payback_vs_npv",
        "A classmate says: 'The Kalundborg exchanges pay back within a few years, so their net present value is positive "
        "whatever the discount rate and however long they last.' Which answer is right?",
        _payback_vs_npv, choices=("true", "rate", "same", "investment"), kind="misconception",
        labels={"true": "right: a short payback guarantees a positive NPV",
                "rate": "wrong: a high enough discount rate or a short enough life can make the NPV negative; payback ignores both",
                "same": "payback and NPV are the same measure in different units",
                "investment": "the NPV leaves out the investment, so it is always higher"},
        explanations={
            "true": "Payback counts euros without discounting and stops at the payback year. The NPV discounts every year and "
                    "counts only the years the project lasts: try a discount rate of 0.5 or a life of one year.",
            "rate": "Payback answers 'how fast', the NPV 'how much, at today's value': a high rate or a short life shrinks the NPV.",
            "same": "Payback is a time (years), the NPV an amount of money: they answer different questions.",
            "investment": "The investment is the first term of the NPV (year 0, not discounted).",
        },
        hints=("Payback does not discount and stops counting at the payback year. What is the NPV of exchanges that last "
               "only one year, or whose later years count for almost nothing?",),
    ),
    Question(
        "economics.deciding_price",
        "Read the tornado chart of the ZERI cascade: which parameter can flip the verdict (its bar crosses NPV = 0) "
        "within its plausible range? Answer with its name as in the chart, or 'none of them'.",
        _deciding, choices=tuple(_PARAMETER_LABELS), labels=_PARAMETER_LABELS, kind="chart",
        explanations={"none": "Look for an orange bar: its range crosses the dashed line at NPV = 0."},
        hints=("Orange bars cross the dashed line at NPV = 0.",),
    ),
    Question(
        "economics.biggest_line",
        "Read the 'who gains' chart of the Kalundborg exchanges: which money line brings the most each year? Answer with "
        "its name as in the chart.",
        _biggest_line,
        choices=("ground water not drawn", "lake and recycled water instead", "lake water saved by recycling", "fuel oil not burnt",
                 "fuel to raise the steam", "natural gypsum not bought", "landfill avoided (gypsum)", "landfill avoided (ash)",
                 "ash sold as raw material", "running costs"),
        kind="chart",
        explanations={"natural gypsum not bought": "The by-product's own value is smaller than the landfill its producer avoids: "
                                                   "compare the bars (Jacobsen's point about motives)."},
        hints=("The longest bar to the right of zero.",),
    ),
    Question(
        "economics.opex_break_even",
        "Running costs can flip the ZERI verdict. Up to how many euros a year of running costs does the cascade still "
        "break even (NPV = 0), everything else at the defaults? Give a plain number of euros a year.",
        _opex_break_even, unit="", rel_tol=0.02, kind="transfer",
        hints=("Each extra euro a year of running costs lowers the NPV by the annuity factor (economics.annuity_factor).",
               "break-even = today's running costs + NPV / annuity factor."),
    ),
    Question(
        "economics.sort_threads",
        "Which of the six cases does its sentence in the article show best as the thread 'local needs' (the course's id "
        "local)? Answer with a list of their ids, the first column of the table.",
        _local_cases, choices=SORTING_CASES, kind="transfer",
        hints=("Read each sentence in the evidence column: does it speak of copying nature, of parts linked into one system, "
               "or of a place, its people and its limited resources?",),
    ),
)

for _question in _QUESTIONS:
    register(_question)


# ---- the reflection ----------------------------------------------------------------------------

#: Open questions: prompt, the ideas looked for (name -> word stems), a model answer and a rubric.
REFLECTIONS: dict[str, dict[str, object]] = {
    "does_it_pay": {
        "prompt": ("In five to eight sentences: does the article's claim that making money and caring for the environment are "
                   "'not mutually exclusive' hold for Kalundborg and for the ZERI brewery? For whom does it pay, and which "
                   "number would you measure first to be sure?"),
        "ideas": {
            "for whom": ("whom", "who ", "asnæs", "asnaes", "gyproc", "partner", "brewery", "farm", "beneficiar"),
            "assumed prices": ("assum", "price", "uncertain", "range", "estimate"),
            "the deciding number": ("decid", "running cost", "labour", "labor", "landfill", "break-even", "break even", "sensitiv", "tornado"),
            "motives beyond the by-product": ("jacobsen", "motive", "upstream", "downstream", "disposal", "supply", "secure"),
            "time and money": ("discount", "npv", "present value", "payback", "invest"),
        },
        "model_answer": (
            "At the price table's values both examples pay, but for different reasons and different people. In Kalundborg most "
            "of the money is landfill the power station avoids and oil the steam buyers no longer burn; the gypsum's own value is "
            "small, which fits Jacobsen's (2006) finding that companies' motives lie upstream and downstream rather than in the "
            "by-product. Who gains depends on the prices partners charge each other, which move money between them but not the "
            "park's total. The ZERI cascade pays at the defaults, but its verdict hangs on the running costs (and the brewery's "
            "size), not on the price of mushrooms or fish: the claim holds only where labour is cheap enough or the cluster "
            "large enough. Every price here is an assumption or a dated, cited figure, so the verdict is conditional; I would "
            "measure the cascade's real running costs first, because that is the number whose range crosses break-even."),
        "rubric": (
            ("for whom", "Names who gains in each example (power station, steam buyers, Gyproc; farms and brewery) and that "
                         "payments between partners move money without changing the total.",
             "Says it pays without saying for whom.", "No beneficiary."),
            ("evidence", "Says the prices are assumptions or dated citations, so the verdict is conditional; cites Jacobsen "
                         "(2006) or the reported totals with their grade.",
             "Mentions uncertainty in general terms.", "Treats the model's figures as facts."),
            ("deciding number", "Names the number that decides each verdict (from the tornado chart) and what to measure.",
             "Names a number without showing it decides.", "No number."),
            ("claim", "Answers the article's claim explicitly: where it holds, where it does not, and why.",
             "Agrees or disagrees without reasons.", "Does not address the claim."),
        ),
    },
}


def _rubric_lines(name: str) -> tuple[str, ...]:
    """The rubric of reflection ``name`` as three lines (full, partial, missing), each naming its criteria."""
    rows = REFLECTIONS[name]["rubric"]
    assert isinstance(rows, tuple)
    return tuple(f"{level}: " + " ".join(f"[{row[0]}] {row[column]}" for row in rows)
                 for column, level in ((1, "Full"), (2, "Partial"), (3, "Missing")))


register(Question(
    "economics.does_it_pay",
    str(REFLECTIONS["does_it_pay"]["prompt"]),
    lambda: str(REFLECTIONS["does_it_pay"]["model_answer"]),
    kind="reflection", rubric=_rubric_lines("does_it_pay"),
))


def reflection_rubric(name: str = "does_it_pay") -> pd.DataFrame:
    """The rubric of a reflection, for the instructor: what a full, a partial and a missing answer contain.

    >>> reflection_rubric()["criterion"].tolist()
    ['for whom', 'evidence', 'deciding number', 'claim']
    """
    checks.choice(name, "name", tuple(REFLECTIONS))
    rubric = REFLECTIONS[name]["rubric"]
    assert isinstance(rubric, tuple)
    return pd.DataFrame(list(rubric), columns=["criterion", "full", "partial", "missing"])


def reflect(name: str, answer: str) -> None:
    """Acknowledge a written answer to reflection ``name``: the ideas it touches, then the model answer.

    Not a grade: an open question has no single right answer. The instructor grades with
    :func:`reflection_rubric`.

    >>> reflect("does_it_pay", "")
    Write your answer first (a few sentences between the quotes), then run the cell again.
    >>> reflect("does_it_pay", 42)
    Traceback (most recent call last):
    ...
    TypeError: answer must be text, got 42 of type int
    """
    checks.choice(name, "name", tuple(REFLECTIONS))
    text = checks.text(answer, "answer", allow_empty=True).lower()
    if not text.strip():
        print("Write your answer first (a few sentences between the quotes), then run the cell again.")
        return
    ideas = REFLECTIONS[name]["ideas"]
    assert isinstance(ideas, dict)
    found = [idea for idea, stems in ideas.items() if any(re.search(rf"{re.escape(stem)}", text) for stem in stems)]
    missing = [idea for idea in ideas if idea not in found]
    print(f"Thank you: {len(text.split())} words. You touched on {len(found)} of {len(ideas)} ideas"
          + (f": {', '.join(found)}." if found else "."))
    if missing:
        print(f"Ideas you might add: {', '.join(missing)}.")
    print(f"\nA model answer, to compare with yours:\n{REFLECTIONS[name]['model_answer']}")
