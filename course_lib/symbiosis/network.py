"""A park as a network (networkx): who trades with whom, the hub, and what is lost if partners close.

>>> from course_lib.symbiosis.park import kalundborg
>>> result = what_if(kalundborg(), "asnaes")
>>> len(result.lost), len(result.lost_supplies), result.quantities.loc[0, "quantity"]
(13, 10, '200,000 t/year')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pandas as pd

from ..flows import sum_by_unit
from ..i18n import _
from . import _graph
from .park import Park, ParkError, _check_park, _flows, _partner_ids, read_park

__all__ = [
    "to_graph", "partner_flows", "partner_summary", "hub_ranking", "sum_by_unit", "totals_by_category",
    "WhatIf", "what_if", "check_park",
]


def to_graph(park: Park, *, include_former: bool = False) -> nx.MultiDiGraph:
    """The park as a networkx MultiDiGraph: a node per partner, an edge (key = exchange id) per flow.

    Former exchanges are left out unless ``include_former``. Node attributes: ``name``, ``label``,
    ``kind``; edge attributes: every exchange column.

    >>> from course_lib.symbiosis.park import kalundborg
    >>> to_graph(kalundborg()).number_of_edges("asnaes", "statoil")
    2
    """
    _check_park(park)
    return _graph.build(park.name, park.partners, _flows(park, include_former))


def partner_flows(park: Park, partner: str, *, include_former: bool = False) -> pd.DataFrame:
    """Every flow of one partner, as seen from it: direction (gives/receives), the other partner, what, how much.

    >>> from course_lib.symbiosis.park import kalundborg
    >>> partner_flows(kalundborg(), "gyproc")[["direction", "other"]].values.tolist()
    [['receives', 'Asnæs Power Station'], ['receives', 'Kalundborg Municipality'], ['gives', 'Noveren']]
    """
    _check_park(park)
    if not isinstance(partner, str):
        raise TypeError(f"partner must be one partner id (text), got {partner!r} of type {type(partner).__name__}")
    (pid,) = _partner_ids(park, partner)
    x = _flows(park, include_former)
    rows = []
    for direction, mine, other in (("receives", "target", "source"), ("gives", "source", "target")):
        for r in x[x[mine] == pid].to_dict("records"):
            rows.append({"direction": direction, "other": park.label(r[other]), "material": r["material"],
                         "category": r["category"], "quantity": r["quantity"], "status": r["status"],
                         "evidence": r["evidence"], "id": r["id"]})
    return pd.DataFrame(rows, columns=["direction", "other", "material", "category", "quantity", "status", "evidence", "id"])


def partner_summary(park: Park, *, include_former: bool = False) -> pd.DataFrame:
    """Per partner: how many flows it gives and receives, to how many partners, and which materials.

    ``outputs_reused`` counts the distinct materials the partner gives that another partner uses:
    its by-products (and utilities) that found a use.

    >>> from course_lib.symbiosis.park import kalundborg
    >>> s = partner_summary(kalundborg()).set_index("partner")
    >>> s.loc["asnaes", ["gives", "receives", "outputs_reused"]].tolist()
    [11, 2, 9]
    """
    _check_park(park)
    x = _flows(park, include_former)
    rows = []
    for p in park.partners.to_dict("records"):
        out, inn = x[x["source"] == p["id"]], x[x["target"] == p["id"]]
        rows.append({
            "partner": p["id"], "label": p["label"], "kind": p["kind"],
            "gives": len(out), "receives": len(inn),
            "partners_linked": len(set(out["target"]) | set(inn["source"])),
            "outputs_reused": out["material"].nunique(),
            "materials_given": "; ".join(dict.fromkeys(out["material"])),
            "materials_received": "; ".join(dict.fromkeys(inn["material"])),
        })
    frame = pd.DataFrame(rows)
    frame["_total"] = frame["gives"] + frame["receives"]
    return (frame.sort_values(["_total", "gives", "partner"], ascending=[False, False, True])
            .drop(columns="_total").reset_index(drop=True))


def hub_ranking(park: Park, *, include_former: bool = False) -> pd.DataFrame:
    """Partners ranked as hubs, with the usual network measures side by side.

    * ``supplies`` — how many different partners it gives something to (the partners that lose a
      supply if it closes); the ranking uses this first, then ``exchanges``, then ``betweenness``;
    * ``exchanges`` — its flows in and out (the degree; parallel flows count: steam *and* water to
      the refinery);
    * ``partners_linked`` and ``degree_centrality`` — how many partners it trades with, and that
      as a share of all the others;
    * ``betweenness`` — the share of the shortest flow paths between two other partners that pass
      through it, following the direction of the flows: a broker between givers and receivers.

    The measures need not agree: in Kalundborg the waste company Noveren has the most exchanges and
    the highest betweenness (waste in from everyone, eight material streams out), while the power
    station supplies the most partners.

    >>> from course_lib.symbiosis.park import kalundborg
    >>> hub_ranking(kalundborg())[["partner", "supplies", "exchanges"]].head(2).values.tolist()
    [['asnaes', 10, 13], ['noveren', 8, 15]]
    """
    graph = to_graph(park, include_former=include_former)
    simple = nx.DiGraph(graph)  # shortest paths ignore parallel flows
    betweenness = nx.betweenness_centrality(simple, normalized=True)
    undirected = nx.Graph(simple)
    n = max(len(simple) - 1, 1)
    rows = [{
        "partner": node, "label": graph.nodes[node]["label"], "supplies": simple.out_degree(node),
        "exchanges": graph.degree(node), "gives": graph.out_degree(node), "receives": graph.in_degree(node),
        "partners_linked": undirected.degree(node), "degree_centrality": undirected.degree(node) / n,
        "betweenness": betweenness[node],
    } for node in graph.nodes]
    frame = pd.DataFrame(rows)
    frame = frame.sort_values(["supplies", "exchanges", "betweenness", "partner"],
                              ascending=[False, False, False, True]).reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


def totals_by_category(park: Park, *, include_former: bool = False) -> pd.DataFrame:
    """Per category of flow: how many flows, how many with a quantity, and the total per unit.

    One column per unit (such as ``t/year``, ``m³``); a total covers only the flows with a printed
    quantity, so read it next to ``quantified``.

    >>> from course_lib.symbiosis.park import kalundborg
    >>> waste = totals_by_category(kalundborg()).set_index("category").loc["waste"]
    >>> int(waste["flows"]), int(waste["quantified"]), float(waste["t/year"])
    (14, 7, 100800.0)
    """
    _check_park(park)
    x = _flows(park, include_former)
    rows = []
    for category, part in x.groupby("category", sort=False):
        row = {"category": category, "flows": len(part), "quantified": int(part["value"].notna().sum())}
        for r in sum_by_unit(part).to_dict("records"):
            row[r["unit_label"]] = r["total"]
        rows.append(row)
    return pd.DataFrame(rows).sort_values(["flows", "category"], ascending=[False, True]).reset_index(drop=True)


# ---- What if a partner leaves? -------------------------------------------------------------


def _count(count: int, one: str, many: str) -> str:
    """``one`` or ``many`` (messages with an ``{n}``), as ``count`` asks, with the count in it."""
    return (one if count == 1 else many).format(n=count)


@dataclass(frozen=True)
class WhatIf:
    """What a park loses when some partners close (first-order effects: no knock-on closures).

    * ``lost`` — every exchange to or from a closed partner;
    * ``lost_supplies`` — partners that stay but lose an input, and which;
    * ``new_waste`` — by-products the remaining partners gave to a closed partner: they lose their
      outlet and become waste unless a new user is found;
    * ``quantities`` — the known quantities of the lost flows, per unit (:func:`sum_by_unit`);
    * ``unused_resources`` — flows from natural resources (partners of kind ``environment``, such as
      a lake) that are no longer drawn: not waste, so kept apart from ``new_waste``;
    * ``cut_off`` — partners left with no exchange at all.
    """

    park: Park
    removed: tuple[str, ...]
    lost: pd.DataFrame
    lost_supplies: pd.DataFrame
    new_waste: pd.DataFrame
    quantities: pd.DataFrame
    unused_resources: pd.DataFrame = field(default_factory=pd.DataFrame)
    cut_off: tuple[str, ...] = field(default=())

    def sentence(self) -> str:
        """The result in one sentence."""
        if not self.removed:
            return _("nothing is closed, nothing is lost.")
        n_unq = int(self.lost["value"].isna().sum())
        amounts = _("; ").join(self.quantities["quantity"]) or _("none printed")
        return _("{lost}, {supplies}, {outputs}; known quantities lost: {amounts} (plus {unquantified} with no printed "
                 "quantity).").format(
            lost=_count(len(self.lost), _("{n} exchange is lost"), _("{n} exchanges are lost")),
            supplies=_count(len(self.lost_supplies), _("{n} remaining partner loses a supply"),
                            _("{n} remaining partners lose a supply")),
            outputs=_count(len(self.new_waste), _("{n} output of another partner loses its user"),
                           _("{n} outputs of other partners lose their user")),
            amounts=amounts, unquantified=_count(n_unq, _("{n} flow"), _("{n} flows")))

    def __str__(self) -> str:
        names = _(", ").join(self.park.label(p) for p in self.removed) or _("nobody")
        lines = [_("Close {partners}: {result}").format(partners=names, result=self.sentence())]
        for r in self.lost_supplies.to_dict("records"):
            lines.append("  - " + _("{partner}: loses {materials}").format(partner=r["label"], materials=r["materials"]))
        for r in self.new_waste.to_dict("records"):
            lines.append("  - " + (_("{partner}: must find a new user for its {material} ({quantity})") if r["quantity"] else
                                   _("{partner}: must find a new user for its {material}")).format(
                partner=r["label"], material=r["material"], quantity=r["quantity"]))
        for r in self.unused_resources.to_dict("records"):
            lines.append("  - " + _("{partner}: {material} no longer drawn").format(partner=r["label"], material=r["material"]))
        if self.cut_off:
            lines.append("  " + _("Left with no exchange at all: {partners}").format(
                partners=_(", ").join(self.park.label(p) for p in self.cut_off)))
        return "\n".join(lines)


def what_if(park: Park, remove: str | Sequence[str], *, include_former: bool = False) -> WhatIf:
    """What is lost if partner(s) ``remove`` (ids, labels or names) close.

    >>> from course_lib.symbiosis.park import kalundborg
    >>> what_if(kalundborg(), "gyproc").new_waste[["label", "quantity"]].values.tolist()
    [['Asnæs Power Station', '200,000 t/year'], ['Kalundborg Municipality', '']]
    """
    _check_park(park)
    removed = _partner_ids(park, remove, "remove")
    x = _flows(park, include_former)
    touches = x["source"].isin(removed) | x["target"].isin(removed)
    lost = x[touches]
    gone_inputs = lost[~lost["target"].isin(removed)]
    supplies = [{"partner": t, "label": park.label(t), "flows": len(part),
                 "materials": _("; ").join(_("{material} from {partner}").format(material=m, partner=park.label(s))
                                           for m, s in zip(part["material"], part["source"]))}
                for t, part in gone_inputs.groupby("target", sort=False)]
    orphaned = lost[~lost["source"].isin(removed)]
    kinds = dict(zip(park.partners["id"], park.partners["kind"]))
    natural = orphaned["source"].map(kinds) == "environment"

    def table(part: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"partner": part["source"], "label": [park.label(s) for s in part["source"]],
                             "material": part["material"], "quantity": part["quantity"],
                             "to": [park.label(t) for t in part["target"]], "id": part["id"]}).reset_index(drop=True)

    remaining = x[~touches]
    linked = set(remaining["source"]) | set(remaining["target"])
    before = set(x["source"]) | set(x["target"])
    cut_off = tuple(p for p in park.partners["id"] if p in before and p not in linked and p not in removed)
    return WhatIf(park=park, removed=tuple(removed), lost=lost.reset_index(drop=True),
                  lost_supplies=pd.DataFrame(supplies, columns=["partner", "label", "flows", "materials"]),
                  new_waste=table(orphaned[~natural]), quantities=sum_by_unit(lost),
                  unused_resources=table(orphaned[natural]), cut_off=cut_off)


def check_park(partners_path: str | Path, exchanges_path: str | Path) -> str:
    """A report on a park's CSV files, for people: what is wrong (file, row, column), or what it shows.

    Never raises for a problem in the files themselves, so an exercise cell always runs.

    >>> print(check_park("no_partners.csv", "no_exchanges.csv"))  # doctest: +ELLIPSIS
    ❌ Not yet: partners_path='no_partners.csv': no such file (working folder: ...)
    """
    try:
        park = read_park(partners_path, exchanges_path)
    except (ParkError, FileNotFoundError) as exc:
        return _("❌ Not yet: {problem}").format(problem=exc)
    hub = hub_ranking(park).iloc[0]
    lines = [_("✅ The park reads cleanly: {partners} partners, {exchanges} exchanges ({quantified} with a quantity).").format(
                 partners=len(park.partners), exchanges=len(park.exchanges), quantified=int(park.exchanges["value"].notna().sum())),
             _("Hub (supplies the most partners): {hub} (supplies {supplies}, {exchanges} exchanges in and out, betweenness "
               "{betweenness}).").format(hub=hub["label"], supplies=hub["supplies"], exchanges=hub["exchanges"],
                                         betweenness=f"{hub['betweenness']:.2f}")]
    result = what_if(park, hub["partner"])
    lines.append(_("If {hub} closed: {result}").format(hub=hub["label"], result=result.sentence()))
    return "\n".join(lines)
