"""The two explorers of notebook 02: a renewable stock under three policies, and a reserve's years left.

Both start at the values of the active data folder (``capital_model_defaults``, ``capital_reserves``).

>>> box = stock_explorer()
>>> box.controls["harvest"].value, box.controls["policy"].value
(150.0, 'all three')
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from .. import data
from ..i18n import _
from ..units import Q_
from ..widgets import Explorer, explorer
from .charts import _reserve_path_chart, stock_chart
from .reserves import _growth_row, reserve_path
from .stock import POLICIES, _table, compare_policies, stock_path

__all__ = ["stock_explorer", "reserve_explorer"]


@explorer
def stock_explorer() -> Explorer:
    """Sliders for r, K, harvest, start and horizon plus a policy menu, redrawing the stock chart.

    Every slider starts at :func:`~course_lib.capital.defaults` and spans the range given in
    ``datasets/capital_model_defaults.csv`` (``low`` to ``high``).
    """
    table = _table()
    controls = {
        "r": table["growth_rate"].slider(_("growth rate r (per year)"), readout_format=".2f"),
        "K": table["capacity"].slider(_("capacity K (t)"), readout_format=",.0f"),
        "harvest": table["harvest"].slider(_("harvest (t/yr)"), readout_format=",.0f"),
        "start": table["initial_share"].slider(_("start (% of K)"), readout_format=".0f"),
        "years": table["horizon"].slider(_("years"), whole=True),
        "policy": w.Dropdown(options=[(_("all three"), "all three"), *((_(p), p) for p in POLICIES)], value="all three", description=_("policy")),
    }

    def update(r: float, K: float, harvest: float, start: float, years: int, policy: str) -> Any:
        initial = start / 100 * K
        points = max(1, min(4, 120 // years))  # about 120 points per line: smooth, and light to send
        if policy == "all three":
            paths = compare_policies(r, K, harvest, years, initial, points_per_year=points)
        else:
            paths = stock_path(r, K, harvest, policy, years, initial, points_per_year=points)
        return stock_chart(paths)

    return Explorer(controls, update, title=_("Income or capital: a renewable stock under three harvest policies"))


@explorer
def reserve_explorer() -> Explorer:
    """A resource menu, a growth slider and a reserve multiplier, redrawing the reserve path.

    It starts at petroleum (or the first resource of ``capital_reserves``) and its printed
    growth of use.
    """
    table = data.load("capital_reserves").set_index("resource")
    resources = [str(r) for r in table.index]
    start = "petroleum" if "petroleum" in resources else resources[0]
    controls = {
        "resource": w.Dropdown(options=resources, value=start, description=_("resource")),
        "growth": _growth_row().slider(_("growth of use (% per year)"), value=float(table.loc[start, "growth_rate"])),
        "multiple": w.RadioButtons(options=[1, 5], value=1, description=_("reserves x")),
    }

    def update(resource: str, growth: float, multiple: int) -> Any:
        s = float(table.loc[resource, "static_index"]) * multiple
        path = reserve_path(s, Q_(growth, "percent/year"), years=int(min(max(1.1 * s, 10), 1000)))
        return _reserve_path_chart(resource, path, growth)

    return Explorer(controls, update, title=_("Years left in a non-renewable reserve"))
