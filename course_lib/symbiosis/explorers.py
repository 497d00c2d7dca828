"""The explorers of notebook 05: one partner's flows, and what is lost when partners close."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import pandas as pd

from ..i18n import _
from ..widgets import Explorer, explorer
from .charts import NONE, _closed_spec, _removed_chart
from .network import partner_flows, partner_summary, what_if
from .park import _partner_ids, kalundborg

__all__ = ["Panel", "partner_explorer", "what_if_explorer"]


class Panel:
    """What an explorer shows: a sentence, a table and a chart, displayed one under the other."""

    def __init__(self, text: str = "", table: pd.DataFrame | None = None, chart: Any = None):
        self.text, self.table, self.chart = text, table, chart

    def _ipython_display_(self) -> None:
        from IPython.display import Markdown, display

        if self.text:
            display(Markdown(self.text))
        if self.table is not None:
            display(self.table.rename(columns=_headings()))  # the headings in the course language, the data as it is
        if self.chart is not None:
            display(self.chart)

    def __repr__(self) -> str:
        return self.text


def _headings() -> dict[str, str]:
    """The words shown above the columns of the explorers' tables."""
    return {"direction": _("direction"), "other": _("other partner"), "source": _("from"), "target": _("to"),
            "material": _("material"), "category": _("category"), "quantity": _("quantity"), "status": _("status"),
            "evidence": _("the article says")}


@explorer
def partner_explorer(partner: str = "gyproc") -> Explorer:
    """A menu of partners; shows what the chosen partner gives and receives, with the article's
    sentences, former exchanges included.

    The highlighted network needs no kernel: it is the menu of :func:`network_chart`. This
    explorer adds the table (kept light, since a saved notebook stores what it shows).

    >>> box = partner_explorer("asnaes")
    >>> box.controls["partner"].value = "gyproc"
    >>> box.result.table["material"].tolist()[:2]
    ['surplus refinery gas', 'gypsum (from flue-gas desulphurisation)']
    """
    park = kalundborg()
    if not isinstance(partner, str):
        raise TypeError(f"partner must be one partner id (text), got {partner!r} of type {type(partner).__name__}")
    (chosen,) = _partner_ids(park, partner)
    summary = partner_summary(park).set_index("partner")

    def update(partner: str) -> Panel:
        s = summary.loc[partner]
        text = _("**{partner}** gives {gives} and receives {receives} active flows, linking it to {linked} partners.").format(
            partner=park.label(partner), gives=s["gives"], receives=s["receives"], linked=s["partners_linked"])
        return Panel(text, partner_flows(park, partner, include_former=True).drop(columns=["id"]))

    menu = w.Dropdown(options=list(zip(park.partners["label"], park.partners["id"])), value=chosen, description=_("Partner"))
    return Explorer({"partner": menu}, update, title=_("Partner explorer: pick a partner, see its flows"))


@explorer
def what_if_explorer(close: str | Sequence[str] = ()) -> Explorer:
    """Tick partners to close: the lost exchanges as a table, what breaks in words, and the network.

    One checkbox per core partner, and a menu for one outside partner.

    >>> box = what_if_explorer(close=("asnaes",))
    >>> box.controls["gyproc"].value = True
    >>> len(box.result.table), box.result.chart.params()["closed"]
    (15, ['asnaes', 'gyproc'])
    """
    park = kalundborg()
    closing = _partner_ids(park, close, "close")
    core = [p for p, k in zip(park.partners["id"], park.partners["kind"]) if k == "core"]
    others = [(park.label(p), p) for p in park.partners["id"] if p not in core]
    outside = [p for p in closing if p not in core]
    if len(outside) > 1:
        raise ValueError(f"close names {len(outside)} outside partners ({', '.join(outside)}); the menu closes one at a time")
    controls: dict[str, Any] = {p: w.Checkbox(value=p in closing, description=park.label(p), indent=False,
                                              layout=w.Layout(width="210px")) for p in core}
    controls["other"] = w.Dropdown(options=[(_("(none)"), NONE)] + others, value=outside[0] if outside else NONE,
                                   description=_("and close"))
    columns = ["source", "target", "material", "category", "quantity", "evidence"]
    _closed_spec(park)  # build the chart once, before any control moves

    def update(other: str, **ticks: bool) -> Panel:
        removed = tuple(p for p in core if ticks[p]) + (() if other == NONE else (other,))
        if not removed:
            # No chart until something is closed: the network is drawn above, and the saved notebook stays small.
            return Panel(_("Tick a partner to close it."), park.exchanges.iloc[0:0][columns])
        result = what_if(park, list(removed))
        table = result.lost[columns].assign(source=lambda t: t["source"].map(park.label),
                                            target=lambda t: t["target"].map(park.label))
        # Markdown: "  - " lines as a list, the last "  " line (partners left with no exchange) as a paragraph.
        return Panel(str(result).replace("\n  - ", "\n- ").replace("\n  ", "\n\n"), table, _removed_chart(park, removed))

    return Explorer(controls, update, title=_("What if partners close? Tick them"))
