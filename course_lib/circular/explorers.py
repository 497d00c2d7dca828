"""The circular topic's explorer: switch from selling to leasing, add the 4R's, and watch the years that follow."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..i18n import _
from ..widgets import Explorer, explorer
from .charts import timeline_chart
from .model import _table, check_parameters, defaults, simulate, steady_state

__all__ = ["product_life_explorer"]

_SLIDERS = ("lifetime", "lease_share", "collection_sold", "repair", "reuse", "recycle")


@explorer
def product_life_explorer(**start: Any) -> Explorer:
    """Sliders for lifetime, lease share, collection of sold products and the 4R's; the chart shows the years after the switch.

    The system starts in the dataset's default steady state (or ``start`` overrides, checked like
    :func:`~course_lib.circular.model.check_parameters`) and the slider values apply from year 0.
    Updates take a few milliseconds (the model is closed-form). Shares that add up to more than 1
    are explained instead of drawn.

    >>> box = product_life_explorer()
    >>> box.controls["recycle"].value = 0.5
    >>> box.controls["lease_share"].value = 1.0
    >>> box.result.to_dict()["title"]["text"]
    'Virgin material 2.68 → 1.34 t/yr (-50% after 30 years)'
    """
    base = check_parameters(**start)
    horizon = int(defaults()["years"])
    controls = {name: _table()[name].slider(value=base[name], readout_format=".2f", style={"description_width": "110px"},
                                            layout=w.Layout(width="330px")) for name in _SLIDERS}
    reference = steady_state(**start).iloc[0]

    def update(**values: Any) -> Any:
        total = values["repair"] + values["reuse"] + values["recycle"]
        if total > 1 + 1e-9:
            return _("repair + reuse + recycle = {total}: they are shares of the same collected products, "
                     "so together they cannot exceed 1. Lower one of them.").format(total=f"{total:.2f}")
        sim = simulate(horizon, start=start, **values)
        last = sim.iloc[-1]
        title = _("Virgin material {before} → {after} t/yr ({change} after {years} years)").format(
            before=f"{reference['virgin_t']:.3g}", after=f"{last['virgin_t']:.3g}", years=horizon,
            change=f"{last['virgin_t'] / reference['virgin_t'] - 1:+.0%}") if reference["virgin_t"] else None
        return timeline_chart(sim, title=title)

    return Explorer(controls, update, title=_("Product-life model: from selling to leasing, with the 4R's"))
