"""The comparator of notebook 01: two rows of Table 1, how much of each, a sentence and two bars."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from .. import checks
from ..i18n import _
from ..units import ENERGY_UNITS
from ..widgets import Explorer, explorer
from . import _table
from .charts import comparison_chart
from .model import UNIT_NAMES, compare, table

__all__ = ["comparator"]


@explorer
def comparator(a: str = "aluminium", b: str = "car", unit: str = "kcal") -> Explorer:
    """Pick two rows of Table 1 and how much of each: the ratio, a sentence and two bars.

    >>> box = comparator()
    >>> box.controls["amount_a"].value = 2
    >>> box.result.to_dict()["description"].split(" Bar")[0]
    'Producing 2 t of aluminium uses the energy of 3.12 cars.'
    """
    frame = table()
    for name, item in (("a", a), ("b", b)):
        _table.row(frame, item, name)
    checks.choice(unit, "unit", ENERGY_UNITS)
    rows = frame.set_index("id")
    options = [(str(label), str(i)) for i, label in zip(frame["id"], frame["label"])]

    def amount_control(item: str) -> w.BoundedFloatText:
        return w.BoundedFloatText(value=float(rows.loc[item, "reference_amount"]), min=1e-6, max=1e15, step=1,
                                  description="", layout=w.Layout(width="120px"))

    style = {"description_width": "initial"}
    item_a = w.Dropdown(options=options, value=a, description="A:", style=style)
    amount_a = amount_control(a)
    item_b = w.Dropdown(options=options, value=b, description="B:", style=style)
    amount_b = amount_control(b)
    units = w.Dropdown(options=[(_(UNIT_NAMES.get(u, u)), u) for u in ENERGY_UNITS], value=unit, description=_("unit:"),
                       style=style)

    def how_much(item: str) -> str:
        return _("amount, in {unit}").format(unit=rows.loc[item, "unit_plural"])

    amount_a.description, amount_b.description = how_much(a), how_much(b)
    amount_a.style.description_width = amount_b.style.description_width = "initial"
    # Keep each amount's label in the unit of the row picked (registered before the Explorer's own
    # observer, so the label is right when the chart redraws).
    item_a.observe(lambda change: setattr(amount_a, "description", how_much(change["new"])), names="value")
    item_b.observe(lambda change: setattr(amount_b, "description", how_much(change["new"])), names="value")

    def update(item_a: str, amount_a: float, item_b: str, amount_b: float, unit: str) -> Any:
        try:
            result = compare(item_a, item_b, amount_a, amount_b, frame)
        except ValueError as exc:
            return f"⚠️ {exc}"
        return comparison_chart(result, unit, frame)

    return Explorer(
        {"item_a": item_a, "amount_a": amount_a, "item_b": item_b, "amount_b": amount_b, "unit": units},
        update,
        title=_("Compare two rows of Table 1"),
    )
