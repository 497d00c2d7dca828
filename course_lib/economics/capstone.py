"""The capstone project, "your product": an everyday product traced through every lens of the course.

A student picks a product and answers one question per lens, each with a figure where the lens
asks for one and the source of every figure, then ties the lenses together in a synthesis.
:func:`capstone_template` gives the empty answer sheet, :func:`review_capstone` checks it for
completeness (it never grades the content: a figure must be a quantity with its unit, a source
must name a course dataset or an author and year, and filler such as one word repeated is
reported) and :func:`capstone_rubric` is the instructor's grading grid. When the grader runs the
notebook, the reviewed sheet is handed to it for the instructor's rubric sheet.

>>> sheet = capstone_template()
>>> sheet["energy"] = {"answer": "A 15 g aluminium can takes about 0.87 kWh to make at Table 1's figure for aluminium.",
...                    "figure": "0.87 kWh", "source": "Table 1 (de Rosnay 1975), course dataset energy_table"}
>>> review = review_capstone(sheet)
>>> review.set_index("lens").loc["energy", "status"], review.set_index("lens").loc["circular", "status"]
('complete', 'missing')
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .. import _answers, checks, data, exercises, identity
from ..i18n import N_, _

__all__ = ["LENSES", "SYNTHESIS", "capstone_template", "review_capstone", "capstone_rubric"]

#: The lenses of the course, in order: (id, title, question, where the tools are, a figure is required).
LENSES: tuple[tuple[str, str, str, str, bool], ...] = (
    ("energy", N_("Energy (Table 1)"),
     "How much energy does it take to make? Multiply the energy per tonne of its main material (Table 1) by its mass.",
     "notebook 01: energy.energy_of, energy.convert_table", True),
    ("natural_capital", N_("Natural capital"),
     "Which natural capital does it draw down (ores, oil, water, soil, forests), and is that a renewable stock living on "
     "its income or a reserve with no income at all?",
     "notebook 02: capital.static_index, capital.maximum_sustainable_yield; notebook 03: lean.back_calculate", False),
    ("value_stream", N_("Value stream"),
     "Which steps bring it from raw material to you? Estimate its lead time and the time that adds value.",
     "notebook 03: lean.parse_value_stream, lean.summarize", True),
    ("circular", N_("A circular alternative"),
     "Which of the 4R's, a lease, or a cradle-to-cradle design could keep it or its material in use, and how much virgin "
     "material would that save?",
     "notebook 03: circular.steady_state, circular.scenarios", True),
    ("local_partner", N_("A local partner for its waste"),
     "Who near you could use its waste or by-product as a raw material (a recycler, a farm, a plant), as in Kalundborg?",
     "notebook 05: park_template/, symbiosis.check_park", False),
    ("does_it_pay", N_("Does it pay, and for whom?"),
     "Does the circular alternative pay? Price one saving or revenue, estimate an investment, and say who gains.",
     "notebook 06: economics.npv, economics.simple_payback, economics.yearly_lines", True),
)
#: The closing slot after the lenses: (id, title, question); the rubric gives it two points.
SYNTHESIS = ("synthesis", N_("Synthesis"),
             "Tie the lenses together: which of the article's three threads (nature, systems, local) does the "
             "product's best alternative follow, and what did the lenses show together that none showed alone?")
_IDS = tuple(lens[0] for lens in LENSES) + (SYNTHESIS[0],)
_FIELDS = ("answer", "figure", "source")
_WORDS_MIN = 8
# A source names an author (or body) and a year: "(Jacobsen, 2006)", "de Rosnay 1975", "IEA 2023".
_AUTHOR_YEAR = re.compile(r"[A-Za-z][A-Za-z'’.\-]+(?:\s+(?:et al\.?|and|&)?\s*[A-Za-z'’.\-]+)*,?\s*\(?(?:1[5-9]|20)\d\d[a-z]?\b")


def _quantity(figure: str) -> bool:
    """Whether ``figure`` is a number with a unit ('0.87 kWh', '12 %', '3 years'), not a bare number."""
    try:
        value = _answers.read_number(figure).value
    except _answers.Unreadable:
        return False
    return hasattr(value, "units") and str(value.units) != "dimensionless"


def _sourced(source: str) -> bool:
    """Whether ``source`` names a course dataset or an author and a year."""
    names = {str(n).casefold() for n in data.datasets()["name"]}
    words = set(re.findall(r"[a-z0-9_]+", source.casefold()))
    return bool(names & words) or bool(_AUTHOR_YEAR.search(source))


def capstone_template() -> dict[str, dict[str, str]]:
    """An empty answer sheet: one entry per lens, each with ``answer``, ``figure`` and ``source``.

    >>> list(capstone_template())
    ['energy', 'natural_capital', 'value_stream', 'circular', 'local_partner', 'does_it_pay', 'synthesis']
    """
    return {lens: dict.fromkeys(_FIELDS, "") for lens in _IDS}


def _entry(lens: str, value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"answer": value, "figure": "", "source": ""}
    if not isinstance(value, dict):
        raise TypeError(f"answers[{lens!r}] must be a dict with 'answer', 'figure' and 'source' (or the answer as text), "
                        f"got {type(value).__name__}")
    unknown = [k for k in value if k not in _FIELDS]
    if unknown:
        raise ValueError(f"answers[{lens!r}] has the key {unknown[0]!r}{checks.suggest(str(unknown[0]), _FIELDS)}; "
                         f"allowed keys: {', '.join(_FIELDS)}")
    return {key: "" if value.get(key) is None else str(value.get(key)).strip() for key in _FIELDS}


def review_capstone(answers: Any) -> pd.DataFrame:
    """Check an answer sheet for completeness, lens by lens: what is there and what is missing.

    ``status`` is ``complete``, ``incomplete``, ``filler`` or ``missing``; ``feedback`` says what to
    add. It checks that each lens (and the synthesis) has an answer of a few sentences, a figure with
    its unit where the lens asks for one, and for every figure a source that names a course dataset
    or an author and year; an answer of one word repeated, or of fewer than a few distinct words, is
    ``filler``, never complete. Whether the answer is right is the instructor's call (see
    :func:`capstone_rubric`).

    >>> review_capstone({"energy": {"answer": "x x x x x x x x", "figure": "1", "source": "abcd"}}).loc[0, "status"]
    'filler'

    >>> review_capstone({"energy": "short"}).loc[0, "feedback"]
    'Write a few sentences (at least 8 words); Give a figure with its unit, such as 0.87 kWh; Say where every figure comes from: a course dataset by its name, or an author and year such as (Jacobsen, 2006).'
    >>> review_capstone({"energi": ""})
    Traceback (most recent call last):
    ...
    ValueError: answers has the lens 'energi' (did you mean 'energy'?); lenses: energy, natural_capital, value_stream, circular, local_partner, does_it_pay, synthesis
    """
    if not isinstance(answers, dict):
        raise TypeError(f"answers must be a dict such as economics.capstone_template() gives, got {type(answers).__name__}")
    for lens in answers:
        if lens not in _IDS:
            raise ValueError(f"answers has the lens {lens!r}{checks.suggest(str(lens), _IDS)}; lenses: {', '.join(_IDS)}")
    rows = []
    slots = [(lens, title, needs_figure) for lens, title, _question, _tools, needs_figure in LENSES]
    for lens, title, needs_figure in [*slots, (SYNTHESIS[0], SYNTHESIS[1], False)]:
        entry = _entry(lens, answers.get(lens, ""))
        todo = []
        filler = len(entry["answer"].split()) >= _WORDS_MIN and _answers.is_filler(entry["answer"])
        if filler:
            todo.append(_("Write real sentences: the answer repeats a word or has only a few different words"))
        elif len(entry["answer"].split()) < _WORDS_MIN:
            todo.append(_("Write a few sentences (at least {words} words)").format(words=_WORDS_MIN))
        if (needs_figure or entry["figure"]) and not _quantity(entry["figure"]):
            todo.append(_("Give a figure with its unit, such as 0.87 kWh"))
        if (entry["figure"] or needs_figure) and not _sourced(entry["source"]):
            todo.append(_("Say where every figure comes from: a course dataset by its name, or an author and year such as "
                          "(Jacobsen, 2006)"))
        empty = not any(entry.values())
        status = "missing" if empty else ("filler" if filler else "complete" if not todo else "incomplete")
        # The lens's title is one of LENSES' (their translations are in the catalogue too).
        feedback = (_("Nothing yet: {lens}.").format(lens=_(title).lower()) if empty else
                    _("{todo}.").format(todo=_("; ").join(todo)) if todo else _("All parts are there."))
        rows.append({"lens": lens, "title": title, "status": status, "feedback": feedback})
    # For the grader's rubric sheet: each slot's answer, review and rubric (written only when the grader
    # runs the notebook, see exercises.ANSWER_LOG), so that the grader needs no topic of its own.
    rubric = capstone_rubric().set_index("lens")
    sheet = [{"item": lens, "title": row["title"], **_entry(lens, answers.get(lens, "")), "status": row["status"],
              "feedback": row["feedback"], "points": int(rubric.loc[lens, "points"]),
              "rubric": " | ".join(f"{column}: {rubric.loc[lens, column]}" for column in rubric.columns[:3])}
             for lens, row in zip(_IDS, rows)]
    exercises._record("economics.capstone", sheet, None, identity.current(), None)
    return pd.DataFrame(rows)


def capstone_rubric() -> pd.DataFrame:
    """The instructor's grading grid: per lens, what a full, a partial and a missing answer contain.

    Two points for full, one for partial, none for missing; plus two for the synthesis (14 in all).

    >>> int(capstone_rubric()["points"].sum())
    14
    """
    rows = [
        ("energy", "A figure in a stated unit, computed from Table 1 (or a later cited value) and the product's mass, "
                   "with the material and the mass sourced; says what the figure leaves out (use, transport, recycling).",
         "A figure without the mass or the source, or a unit slip (kcal as kWh, per day as per tonne).", "No figure."),
        ("natural_capital", "Names the stock drawn down and says whether it is renewable (income) or a reserve (capital), "
                            "with one figure or source for its size or its use.",
         "Names the resource but not whether it has an income.", "Nothing about nature's stocks."),
        ("value_stream", "Lists the main steps from raw material to user with lead time and value-adding time, and the "
                         "value-added ratio, each estimate sourced or stated as an assumption.",
         "Steps without times, or times without steps.", "No value stream."),
        ("circular", "Picks a 4R, a lease or a cradle-to-cradle redesign, computes the change in virgin material with "
                     "the product-life model, and says whether it is recycling or a closed loop.",
         "A circular idea without a number, or recycling called cradle to cradle without saying why.", "No alternative."),
        ("local_partner", "Names a real or plausible local user of the waste, what it would replace there, and what "
                          "would have to be true for the exchange to last (quantity, quality, distance).",
         "A partner without what the waste would replace.", "No partner."),
        ("does_it_pay", "Prices one saving or revenue with a cited or reasoned price, an investment, a payback or NPV, "
                        "and says who gains; names the price that decides the verdict.",
         "A money figure without its source, or a verdict without saying for whom.", "No money."),
        ("synthesis", "A closing paragraph that ties the lenses together and names which of the article's three threads "
                      "(nature, systems, local) the product's best alternative follows.",
         "A summary that repeats the lenses without a conclusion.", "No closing paragraph."),
    ]
    return pd.DataFrame([{"lens": lens, "full (2 points)": full, "partial (1 point)": partial,
                          "missing (0 points)": missing, "points": 2} for lens, full, partial, missing in rows])
