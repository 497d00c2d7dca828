"""The exercises of notebook 03 on the service economy: levers, collection, recycling losses, the years after a switch.

Expected answers, option labels and explanations are computed from the datasets when a question is
checked (``circular_product_parameters``, ``circular_exercise_scenario``, ``circular_reference_figures``),
so an instructor who adapts a figure never leaves a stale number in a label or an explanation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pint

from .. import data, formats
from ..exercises import Question, register
from ..units import Q_
from .model import defaults, exercise_scenario, reference_figures, simulate, steady_state

#: The year after the switch to leasing at which the chart exercise reads virgin material.
CHART_YEAR = 5


class _Computed(Mapping[str, str]):
    """Option labels or explanations built from the data each time they are read."""

    def __init__(self, build: Callable[[], dict[str, str]]) -> None:
        self._build = build

    def __getitem__(self, key: str) -> str:
        return self._build()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())


def _t(output: str, **overrides: Any) -> pint.Quantity:
    return Q_(float(steady_state(**overrides).loc[0, output]), "t/year")


def _tonnes(value: pint.Quantity) -> str:
    return f"{formats.number(value.to('t/year').magnitude, 3)} t/yr"


def _share(value: float) -> str:
    return f"{formats.number(value * 100, 3)} %"


def _recycling_target() -> float:
    return float(reference_figures()["weee_screens_recycling_target"].to("dimensionless").magnitude)


# ---- which single lever cuts virgin material most? ------------------------------------------------

def _lever_settings() -> dict[str, dict[str, float]]:
    return {
        "a": {"lease_share": 1.0},
        "b": {"recycle": exercise_scenario()["recycle"]},
        "c": {"lifetime": 2 * defaults()["lifetime"]},
    }


def _lever_labels() -> dict[str, str]:
    return {
        "a": "lease every television (no repair, reuse or recycling)",
        "b": f"keep selling, but recycle {_share(exercise_scenario()['recycle'])} of the televisions collected",
        "c": "make every television last twice as long",
    }


def _strongest_lever() -> str:
    virgin = {option: _t("virgin_t", **settings).magnitude for option, settings in _lever_settings().items()}
    return min(virgin, key=lambda option: virgin[option])


def _lever_explanations() -> dict[str, str]:
    d = defaults()
    reference = _tonnes(_t("virgin_t"))
    v = {option: _tonnes(_t("virgin_t", **settings)) for option, settings in _lever_settings().items()}
    return {
        "a": (f"Leasing alone leaves virgin material at {v['a']} (reference {reference}): the maker takes every "
              "television back, but with no repair, reuse or recycling each one is still thrown away. Leasing works only "
              "through what is done with the products that come back."),
        "b": (f"Recycling sold televisions brings virgin material only to {v['b']}: just {_share(d['collection_sold'])} of "
              "sold televisions are collected, and only the collected ones can be recycled."),
        "c": (f"Twice the life means half as many televisions to replace each year: virgin material falls from {reference} "
              f"to {v['c']}, whatever happens at the end of life."),
    }


# ---- percent or percentage points? ----------------------------------------------------------------

def _collection_change() -> tuple[float, float]:
    d = defaults()
    return d["collection_sold"], d["collection_leased"]


def _collection_labels() -> dict[str, str]:
    old, new = _collection_change()
    points = formats.number((new - old) * 100, 3)
    relative = formats.number((new - old) / old * 100, 3) if old else "infinitely many"
    times = formats.number(new / old * 100, 3) if old else "infinitely many"
    return {
        "a": f"{points} %",
        "b": f"{points} percentage points, that is {relative} % more than before",
        "c": f"{relative} percentage points",
        "d": f"{times} % more",
    }


def _collection_explanations() -> dict[str, str]:
    old, new = _collection_change()
    points = formats.number((new - old) * 100, 3)
    relative = formats.number((new - old) / old * 100, 3) if old else "infinitely many"
    times = formats.number(new / old * 100, 3) if old else "infinitely many"
    return {
        "a": (f"{points} is the difference between two percentages, {_share(old)} and {_share(new)}: that is "
              f"{points} percentage points. Measured against the old {_share(old)}, the rise is {relative} %."),
        "b": (f"The difference of two shares is counted in percentage points ({points}); the change relative to the "
              f"old share is a percent ({relative} % more)."),
        "c": (f"{relative} % is the rise relative to the old {_share(old)}; in points the share moves only from "
              f"{_share(old)} to {_share(new)}. A share can never rise by more than 100 percentage points."),
        "d": (f"The new share is {times} % of the old one, which is {relative} % more, not {times} % more: "
              "'as much as' and 'more than' differ by the 100 % you started with."),
    }


# ---- recycling is not free ------------------------------------------------------------------------

def _recycling_settings() -> dict[str, float]:
    return {"lease_share": 1.0, "recycle": 1.0, "recycling_yield": _recycling_target()}


def _free_labels() -> dict[str, str]:
    return {
        "a": "Virgin material falls to zero: every television comes back as material, so the loop is closed",
        "b": "Recycling is the best of the 4R's, because it returns all of the material",
        "c": ("Virgin material falls but not to zero: part of each television's mass is lost in recycling, and "
              "collecting, taking apart and re-melting use energy of their own"),
        "d": "Once everything is recycled, a longer life no longer matters: the material comes back anyway",
    }


def _free_explanations() -> dict[str, str]:
    target = _share(_recycling_target())
    return {
        "a": (f"Recycling loses material: EU law asks only that {target} of a waste screen's mass be prepared for re-use "
              "and recycled. The lost part must be replaced by virgin material every year."),
        "b": ("Recycling keeps only the material; the product's shape, its parts and the energy and work built into them "
              "are lost. Repair and reuse keep the whole product, so they come first among the 4R's."),
        "c": ("Recycling closes part of the material loop, at a cost: material lost at every pass, and energy for "
              "collection, dismantling and re-melting (less than making new metal from ore, but not zero)."),
        "d": ("A longer life halves the number of televisions to make, collect and recycle each year; every pass "
              "through recycling loses material and uses energy, so fewer passes still save both."),
    }


# ---- read off the chart of the years after the switch ------------------------------------------------

def _virgin_in_chart_year() -> pint.Quantity:
    policy: dict[str, Any] = {"lease_share": 1.0, **exercise_scenario()}
    years = simulate(**policy).set_index("year")
    return Q_(float(years.loc[CHART_YEAR, "virgin_t"]), "t/year")


# ---- the reflection ---------------------------------------------------------------------------------

def _model_answer() -> str:
    """A model answer whose figures are read from the data: the cola can's scrap share and Table 1's aluminium."""
    cola = data.load("lean_cola_figures").set_index("id").loc["scrap_share"]
    scrap = formats.quantity(Q_(float(cola["value"]), str(cola["value_unit"])).to("percent"), 2)
    table_1 = Q_(float(data.load("energy_table").set_index("id").loc["aluminium", "value_kcal"]), "kcal").to("GJ")
    return (
        "Lean thinking attacks the cola can's waiting: shorter lead times, less metal in stock, fewer damaged or "
        "scrapped sheets. But the energy behind a can sits in the metal itself (Table 1: "
        f"{formats.quantity(table_1, 3)} per tonne of aluminium): smelting alumina into aluminium, and remaking the "
        f"{scrap} of the smelter's output that ends as scrap. Lean cuts that energy only by cutting scrap. Cradle to "
        "cradle and the 4R's attack the material: a can designed to come back as high-quality aluminium (a "
        "'technical nutrient') avoids new smelting for every can that returns, which cuts far more energy, though "
        "recycling itself loses some metal and needs energy for collection and re-melting. The two work together: "
        "lean for time and cost in the stream, cradle to cradle for material and energy across product lives."
    )

for _q in (
    Question(
        id="circular.strongest_lever",
        prompt=("Predict before you move the sliders: starting from the reference case (all sold, no 4R), which single "
                "lever cuts virgin material most?"),
        expected=_strongest_lever,
        choices=("a", "b", "c"),
        labels=_Computed(_lever_labels),
        explanations=_Computed(_lever_explanations),
        kind="predict",
        hints=("Ask, for each lever, how many televisions it keeps from being made new each year.",),
    ),
    Question(
        id="circular.virgin_leased_4r",
        prompt=("The exercises' 4R shares (repair, reuse, recycle), but every television is leased, so the maker "
                "takes every one back. Virgin material per year?"),
        expected=lambda: _t("virgin_t", lease_share=1.0, **exercise_scenario()),
        unit="t/year",
        kind="transfer",
        hints=("Every leased television comes back to its owner, the maker: all of them are collected.",
               "virgin = material entering use × (1 − collected share × (repair + reuse + recycle))."),
    ),
    Question(
        id="circular.collection_rise",
        prompt=("Leasing raises the share of televisions collected at the end of use from that of sold ones to that of "
                "leased ones. How big is that rise?"),
        expected=lambda: "b",
        choices=("a", "b", "c", "d"),
        labels=_Computed(_collection_labels),
        explanations=_Computed(_collection_explanations),
        kind="misconception",  # percent vs percentage points
        hints=("The difference of two percentages is counted in percentage points; a change relative to the old value "
               "is a percent.",),
    ),
    Question(
        id="circular.virgin_recycling_losses",
        prompt=("Predict: every television is leased and every one that comes back is recycled, but only the EU's minimum "
                "share of its mass comes back as material. Virgin material per year? Then check it with the sliders."),
        expected=lambda: _t("virgin_t", **_recycling_settings()),
        unit="t/year",
        kind="predict",
        hints=("Only the recovered part of each recycled television replaces virgin material; the rest is lost and "
               "must be replaced by new material.",
               "virgin = material entering use × (1 − recovered share)."),
    ),
    Question(
        id="circular.recycling_is_free",
        prompt="Every television is leased and every one that comes back is recycled. Which statement is right?",
        expected=lambda: "c",
        choices=("a", "b", "c", "d"),
        labels=_Computed(_free_labels),
        explanations=_Computed(_free_explanations),
        kind="misconception",  # "recycling is free"
        hints=("Does recycling give back all of a television's mass, for nothing?",),
    ),
    Question(
        id="circular.virgin_after_five_years",
        prompt=(f"Read it off the chart: after the switch to leasing (with the exercises' 4R shares), how much virgin "
                f"material is still needed in year {CHART_YEAR}?"),
        expected=_virgin_in_chart_year,
        unit="t/year",
        rel_tol=0.1,  # read off a chart
        kind="chart",
        hints=(f"Find year {CHART_YEAR} on the horizontal axis, go up to the line 'virgin material' and read the "
               "vertical axis (hover over the line for the exact value).",),
    ),
    Question(
        id="circular.lean_or_cradle",
        prompt=("Lean thinking or cradle to cradle: which would cut the energy behind a cola can more, and why? Use at "
                "least one figure from this notebook, and say what the other approach would still contribute."),
        expected=_model_answer,
        kind="reflection",
        rubric=(
            "Full: says that lean cuts time (waiting, stock) and only the energy of scrap, while the energy sits in "
            "the primary metal, so keeping the material in use (recycling, design for return) cuts more energy; "
            "cites a figure (scrap share, energy per can, Table 1); notes that recycling still loses metal and uses "
            "energy; and gives lean a role (time, cost, less scrap).",
            "Partial: describes both approaches correctly but does not link them to where the energy is, or uses no "
            "figure, or treats recycling as free.",
            "Missing: only restates definitions, or picks one approach without a reason.",
        ),
    ),
):
    register(_q)
del _q
