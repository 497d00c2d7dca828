"""Altair charts of a park: the network with a partner menu, the what-if, and the article's results.

Every chart works without a kernel (menus are Vega-Lite parameters).

>>> from course_lib.symbiosis.park import kalundborg
>>> spec = network_chart(kalundborg(), highlight="gyproc").to_dict()
>>> [p["value"] for p in spec["params"] if p["name"] == "partner"]
['gyproc']
"""

from __future__ import annotations

import functools
import json
from typing import Any

import altair as alt
import pandas as pd

from .. import charts, checks, formats
from ..flows import sum_by_unit
from ..i18n import _, language
from .layout import _geometry
from .network import hub_ranking
from .park import Park, _check_park, _outcome_text, _partner_ids, history, kalundborg, outcomes
from .spec import VegaLite

__all__ = ["network_chart", "what_if_chart", "profits_chart", "noveren_chart", "history_chart"]

#: The "nothing chosen" entries of the partner menus.
NONE = "(none)"
ALL = "(all partners)"

_CATEGORY_COLOURS = {"energy": charts.PALETTE[5], "water": charts.PALETTE[0], "wastewater": charts.PALETTE[4],
                     "by-product": charts.PALETTE[2], "waste": charts.PALETTE[1]}
#: A second channel for the categories, so that no flow is told apart by colour alone: a marker on
#: each arrow whose shape names the category in the legend ("flow category").
_CATEGORY_SHAPES = {"energy": "triangle-up", "water": "circle", "wastewater": "diamond", "by-product": "square",
                    "waste": "cross"}
_SPARE_SHAPES = ("triangle-down", "wedge", "triangle-left", "stroke")
_KIND_COLOURS = {"core": "#333333", "outside": "#767676", "environment": charts.PALETTE[0]}
_KIND_SHAPES = {"core": "circle", "outside": "square", "environment": "diamond"}
_LOST = "#D55E00"
_SCALE = alt.Scale(domain=[-1.4, 1.4], nice=False)
# Columns the network charts need (the rest of the geometry stays out of the saved notebook).
_EDGE_COLUMNS = ["source", "target", "from", "to", "material", "category", "status", "quantity",
                 "x", "y", "x2", "y2", "ax", "ay", "angle"]
_NODE_COLUMNS = ["id", "label", "name", "kind", "x", "y", "label_x", "label_y", "exchanges"]
def _edge_tooltip() -> dict[str, alt.Tooltip]:
    return {"from": alt.Tooltip("from:N", title=_("from")), "to": alt.Tooltip("to:N", title=_("to")),
            "material": alt.Tooltip("material:N", title=_("material")), "quantity": alt.Tooltip("quantity:N", title=_("quantity")),
            "status": alt.Tooltip("status:N", title=_("status")), "evidence": alt.Tooltip("evidence:N", title=_("the article says"))}
_OUTCOMES_SOURCE = "Wong-Swanson (2005), section B, 'The Profits' (from www.symbiosis.dk); course dataset kalundborg_outcomes"


def _axes() -> tuple[alt.X, alt.Y]:
    return alt.X("x:Q", axis=None, scale=_SCALE), alt.Y("y:Q", axis=None, scale=_SCALE)


def _categories(park: Park) -> tuple[alt.Color, alt.Shape, str]:
    """The flow categories as colour and as marker shape (one title, so the legends merge), and in
    words for descriptions: 'energy (triangle), water (circle), ...'."""
    categories = list(dict.fromkeys(park.exchanges["category"]))
    palette = [_CATEGORY_COLOURS.get(c, charts.PALETTE[(i + 3) % len(charts.PALETTE)]) for i, c in enumerate(categories)]
    spare = iter(_SPARE_SHAPES * len(categories))
    shapes = [_CATEGORY_SHAPES.get(c) or next(spare) for c in categories]
    legend: dict[str, Any] = dict(title=_("flow category"), legend=alt.Legend(orient="bottom", columns=5))
    words = {"triangle-up": _("triangle"), "circle": _("circle"), "diamond": _("diamond"), "square": _("square"), "cross": _("cross")}
    return (alt.Color("category:N", scale=alt.Scale(domain=categories, range=palette), **legend),
            alt.Shape("category:N", scale=alt.Scale(domain=categories, range=shapes), **legend),
            _(", ").join(_("{category} ({shape})").format(category=c, shape=words.get(shape, shape))
                         for c, shape in zip(categories, shapes)))


def _no_legend(channel: Any) -> Any:
    """The same colour encoding without a legend (the lines already carry it)."""
    if isinstance(channel, alt.Color):
        return alt.Color(channel.shorthand, scale=channel["scale"], title=channel["title"], legend=None)
    return channel


# Label placement, in chart units (the 620 px wide chart spans 2.8 units: about 221 px per unit).
_PX = 2.8 / 620
_CHAR = 6.6 * _PX  # width of one character of the 12 px label font
_LINE = 15 * _PX  # height of a label
_DIRECTIONS = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))


def _crosses(segment: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    """Whether a line segment (x1, y1, x2, y2) passes through a box (left, bottom, right, top): Liang-Barsky."""
    x1, y1, x2, y2 = segment
    left, bottom, right, top = box
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - bottom), (dy, top - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _box_distance(box: tuple[float, float, float, float], x: float, y: float) -> float:
    """Distance from a point to a box (0 inside)."""
    return float(max(box[0] - x, 0, x - box[2]) ** 2 + max(box[1] - y, 0, y - box[3]) ** 2) ** 0.5


def _placed_labels(edges: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """``nodes`` with each label moved to the spot around its circle that crosses the fewest flows.

    Sixteen spots are tried per partner (above, below, beside, diagonal; next to the circle or a
    little further out), busiest partners first; a
    spot is scored by the flows (and their arrowheads and markers) it would cover, the circles and
    labels already placed that it would overlap, whether it leaves the drawing and whether it would
    sit nearer to another partner than to its own. Labels are then
    drawn over as few lines as possible, each with a white halo for the lines they must still cross.
    """
    segments = tuple(zip(edges["x"], edges["y"], edges["x2"], edges["y2"]))
    partners = tuple(zip(nodes["id"], nodes["label"], nodes["x"], nodes["y"], nodes["exchanges"]))
    spots = _label_spots(segments, partners)
    return nodes.assign(label_x=[round(spots[i][0], 3) for i in nodes["id"]],
                        label_y=[round(spots[i][1], 3) for i in nodes["id"]])


@functools.lru_cache(maxsize=16)
def _label_spots(segments: tuple[tuple[float, float, float, float], ...],
                 partners: tuple[tuple[Any, Any, float, float, int], ...]) -> dict[Any, tuple[float, float]]:
    """Where :func:`_placed_labels` puts each label, from the drawing's numbers alone (cached: the
    what-if chart and the what-if explorer draw the same active flows, so they place the labels once)."""
    nodes = pd.DataFrame(list(partners), columns=["id", "label", "x", "y", "exchanges"])
    radius = {row.id: (120 + 980 * row.exchanges / max(nodes["exchanges"].max(), 1)) ** 0.5 / 1.77 * _PX
              for row in nodes.itertuples()}
    circles = [(row.x, row.y, radius[row.id]) for row in nodes.itertuples()]
    placed: list[tuple[float, float, float, float]] = []
    spots: dict[Any, tuple[float, float]] = {}
    for row in nodes.sort_values("exchanges", ascending=False, kind="stable").itertuples():
        half_w, half_h = len(str(row.label)) * _CHAR / 2, _LINE / 2
        gap = radius[row.id] + 3 * _PX
        best: tuple[float, int, float, float] | None = None  # (score, rank, x, y)
        candidates = [(dx, dy, extra) for extra in (0.0, 14 * _PX) for dx, dy in _DIRECTIONS]
        for rank, (dx, dy, extra) in enumerate(candidates):
            cx = row.x + dx * (gap + extra + half_w)
            cy = row.y + dy * (gap + extra + half_h)
            box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
            score = sum(_crosses(seg, box) for seg in segments) + (0.5 if extra else 0.0)
            score += 5 * sum(box[0] - r < x < box[2] + r and box[1] - r < y < box[3] + r for x, y, r in circles)
            score += 5 * sum(not (box[2] < o[0] or o[2] < box[0] or box[3] < o[1] or o[3] < box[1]) for o in placed)
            score += 20 * (box[0] < -1.4 or box[2] > 1.4 or box[1] < -1.4 or box[3] > 1.4)
            # A label nearer to another partner's circle than to its own would name the wrong one.
            own = _box_distance(box, row.x, row.y)
            score += 3 * sum(_box_distance(box, x, y) < own for x, y, _ in circles)
            if best is None or (score, rank) < best[:2]:
                best = (score, rank, cx, cy)
        assert best is not None
        spots[row.id] = (best[2], best[3])
        placed.append((best[2] - half_w, best[3] - half_h, best[2] + half_w, best[3] + half_h))
    return spots


def _network(edges: pd.DataFrame, nodes: pd.DataFrame, *, edge_colour: Any, edge_opacity: Any, edge_width: Any,
             node_opacity: Any, node_stroke: dict[str, Any] | None = None, tooltip: bool = True,
             edge_shape: alt.Shape | None = None) -> alt.LayerChart:
    """The network's layers; ``edge_shape`` adds a marker on each flow whose shape shows its category."""
    x, y = _axes()
    nodes = _placed_labels(edges, nodes)
    # Tooltips only for the columns the (trimmed) data carries.
    edge_tooltip = [t for name, t in _edge_tooltip().items() if name in edges.columns] if tooltip else alt.Undefined
    base = alt.Chart(edges)
    # With category markers, their layer carries the "flow category" legend (colour and shape merged).
    lines = base.mark_rule().encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q", color=edge_colour if edge_shape is None else _no_legend(edge_colour),
        opacity=edge_opacity, strokeWidth=edge_width,
        strokeDash=alt.StrokeDash("status:N", scale=alt.Scale(domain=["active", "former"], range=[[1, 0], [5, 4]]),
                                  legend=alt.Legend(orient="bottom", title=_("status"))),
        tooltip=edge_tooltip)
    arrows = base.mark_point(shape="triangle-right", filled=True, size=110).encode(
        x=alt.X("ax:Q", axis=None, scale=_SCALE), y=alt.Y("ay:Q", axis=None, scale=_SCALE),
        angle=alt.Angle("angle:Q", scale=None), color=_no_legend(edge_colour), opacity=edge_opacity, tooltip=edge_tooltip)
    node_base = alt.Chart(nodes)
    node_tooltip = ([alt.Tooltip("name:N", title=_("partner")), alt.Tooltip("kind:N", title=_("kind")),
                     alt.Tooltip("exchanges:Q", title=_("active exchanges"))]
                    if tooltip else alt.Undefined)
    # A partner's kind is shown by its fill and its shape (legend "partner"): not by colour alone.
    circles = node_base.mark_point(filled=True, stroke="white", strokeWidth=1.5, opacity=1).encode(
        x=x, y=y, size=alt.Size("exchanges:Q", scale=alt.Scale(range=[120, 1100]), legend=None),
        fill=alt.Fill("kind:N", scale=alt.Scale(domain=list(_KIND_COLOURS), range=list(_KIND_COLOURS.values())),
                        legend=alt.Legend(orient="bottom", title=_("partner"))),
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=list(_KIND_SHAPES), range=list(_KIND_SHAPES.values())),
                        legend=alt.Legend(orient="bottom", title=_("partner"))),
        opacity=node_opacity, tooltip=node_tooltip)
    layers: list[Any] = [lines, arrows]
    if edge_shape is not None:
        # A marker two fifths of the way along each flow (the arrowhead sits past the middle).
        layers.append(base.transform_calculate(mx="datum.x + 0.4 * (datum.x2 - datum.x)",
                                               my="datum.y + 0.4 * (datum.y2 - datum.y)").mark_point(
            filled=True, size=70, stroke="white", strokeWidth=0.8).encode(
            x=alt.X("mx:Q", axis=None, scale=_SCALE), y=alt.Y("my:Q", axis=None, scale=_SCALE),
            shape=edge_shape, color=edge_colour, opacity=edge_opacity, tooltip=edge_tooltip))
    partners: list[Any] = [circles]
    if node_stroke is not None:
        partners.append(node_base.mark_circle(filled=False, size=1400, strokeWidth=3).encode(x=x, y=y, **node_stroke))
    label = dict(x=alt.X("label_x:Q", axis=None, scale=_SCALE), y=alt.Y("label_y:Q", axis=None, scale=_SCALE),
                 text="label:N", opacity=node_opacity)
    # A white halo under each label keeps it readable where arrows cross it.
    partners.append(node_base.mark_text(baseline="middle", fontSize=12, stroke="white", strokeWidth=4,
                                        strokeJoin="round").encode(**label))
    partners.append(node_base.mark_text(baseline="middle", fontSize=12).encode(**label))
    # Partners are told apart by fill and shape (their kind), flows by colour and marker shape (their
    # category). The partners form one sub-layer; the two shape (and colour) scales are resolved
    # apart, so that each legend merges colour and shape ("flow category", "partner").
    layers.append(alt.layer(*partners))
    return alt.layer(*layers).resolve_scale(shape="independent", color="independent", fill="independent").properties(
        width=620, height=620)


def _lost_network(edges: pd.DataFrame, nodes: pd.DataFrame, lost: str, *, shown: str, pale: float, closed: str,
                  ringed: str, tooltip: bool = True) -> alt.LayerChart:
    """The network with the flows matching ``lost`` thick and dark (those not ``shown`` pale), the
    ``closed`` partners faded and the ``ringed`` ones (they lose a supply) ringed: Vega expressions."""
    return _network(
        edges, nodes, tooltip=tooltip,
        edge_colour=alt.condition(lost, alt.value(_LOST), alt.value("#9a9a9a")),
        edge_opacity=alt.condition(shown, alt.value(0.9), alt.value(pale)),
        edge_width=alt.condition(lost, alt.value(3.5), alt.value(1.5)),
        node_opacity=alt.condition(closed, alt.value(0.15), alt.value(1.0)),
        node_stroke={"stroke": alt.condition(ringed, alt.value(_LOST), alt.value("transparent"))},
    ).properties(width=520, height=520)


def _partner_menu(park: Park, name: str, first: str, chosen: str | None, argument: str, label: str) -> alt.Parameter:
    """A Vega-Lite menu of the park's partners (plus a ``first`` entry such as "(none)"), kernel-free."""
    if chosen is not None and not isinstance(chosen, str):
        raise TypeError(f"{argument} must be one partner id (text), got {chosen!r} of type {type(chosen).__name__}")
    value = first if chosen is None else _partner_ids(park, chosen, argument)[0]
    return alt.param(name=name, value=value, bind=alt.binding_select(
        options=[first] + list(park.partners["id"]), name=label,
        labels=[{NONE: _("(none)"), ALL: _("(all partners)")}.get(first, first)] + list(park.partners["label"])))


def _park_source(park: Park) -> str:
    if park is kalundborg():
        return "Wong-Swanson (2005), section B (from www.symbiosis.dk); course datasets kalundborg_partners, kalundborg_exchanges"
    return f"park files {park.files[0]} and {park.files[1]}"


def network_chart(park: Park, *, highlight: str | None = None, evidence: bool = True) -> alt.LayerChart:
    """The park as a network: partners as circles, squares or diamonds (core, outside, environment;
    size = number of exchanges), flows as arrows
    coloured by category, dashed when former. Hover a flow for material, quantity and the sentence
    of evidence. A menu under the chart highlights one partner's flows; it works without a kernel.

    ``highlight`` preselects a partner in the menu; ``evidence=False`` leaves the sentences out of
    the tooltips (a lighter chart).

    >>> from course_lib.symbiosis.park import kalundborg
    >>> network_chart(kalundborg(), highlight="gyprok")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: highlight='gyprok' is not a partner of Kalundborg (did you mean 'gyproc'?); known partners: ...
    """
    _check_park(park)
    checks.flag(evidence, "evidence")
    partner = _partner_menu(park, "partner", ALL, highlight, "highlight", _("Highlight a partner: "))
    edges, nodes = _geometry(park)
    edges = edges[_EDGE_COLUMNS + (["evidence"] if evidence else [])]
    nodes = nodes[_NODE_COLUMNS + ["neighbours"]]
    mine = f"partner == '{ALL}' || datum.source == partner || datum.target == partner"
    near = f"partner == '{ALL}' || datum.id == partner || indexof(datum.neighbours, '|' + partner + '|') >= 0"
    colour, shape, in_words = _categories(park)
    chart = _network(
        edges, nodes, edge_colour=colour, edge_shape=shape,
        edge_opacity=alt.condition(mine, alt.value(0.85), alt.value(0.08)),
        edge_width=alt.condition(f"partner != '{ALL}' && ({mine})", alt.value(3.5), alt.value(2)),
        node_opacity=alt.condition(near, alt.value(1.0), alt.value(0.2))).add_params(partner)
    n_unknown = int(park.exchanges["value"].isna().sum())
    return charts.finish(
        chart, title=_("{park}: who gives what to whom").format(park=park.name),
        description=_("Network of {partners} partners and {exchanges} exchanges "
                      "({unknown} of them without a printed quantity). The hub, {hub}, "
                      "is in the centre, the core partners (circles) on the inner ring, outside receivers (squares) and resources "
                      "(diamonds) on the outer ring. "
                      "Arrows point from giver to receiver. Each flow's category is shown twice, by its colour and by the shape "
                      "of the marker on its arrow (legend 'flow category': {categories}); dashed arrows are "
                      "former exchanges. A menu under the chart highlights one partner: its flows are drawn thick, its "
                      "neighbours stay clear and everything else fades.").format(
            partners=len(park.partners), exchanges=len(park.exchanges), unknown=n_unknown,
            hub=park.label(hub_ranking(park).iloc[0]["partner"]), categories=in_words),
        source=_park_source(park))


def what_if_chart(park: Park, *, close: str | None = None) -> alt.HConcatChart:
    """What-if without a kernel: pick a partner to close in the menu; its flows are drawn thick and
    dark (the others thin and pale), partners that lose a supply are ringed, and the panel on the
    right counts the lost flows per category and adds up the lost quantities per unit (never across
    units).

    ``close`` preselects a partner.

    >>> from course_lib.symbiosis.park import kalundborg
    >>> what_if_chart(kalundborg(), close=["asnaes"])
    Traceback (most recent call last):
    ...
    TypeError: close must be one partner id (text), got ['asnaes'] of type list
    """
    _check_park(park)
    closed = _partner_menu(park, "closed", NONE, close, "close", _("Close a partner: "))
    edges, nodes = _geometry(park)
    # Tooltips: material and quantity only (the network chart above has the sentences); keeps the saved notebook small.
    edges = edges.loc[edges["status"] == "active", ["source", "target", "material", "category", "status", "quantity",
                                                     "x", "y", "x2", "y2", "ax", "ay", "angle", "value", "unit_label"]]
    nodes = nodes[_NODE_COLUMNS + ["suppliers"]]
    lost = "datum.source == closed || datum.target == closed"
    network = _lost_network(edges, nodes, lost, shown=f"closed == '{NONE}' || ({lost})", pale=0.25,
                            closed="datum.id == closed", ringed="indexof(datum.suppliers, '|' + closed + '|') >= 0",
                            ).add_params(closed)
    lost_flows = alt.Chart(edges).transform_filter(lost)
    bars = lost_flows.mark_bar(color=_LOST).encode(
        y=alt.Y("category:N", title=None, sort="-x"),
        x=alt.X("count():Q", title=_("exchanges lost"), axis=alt.Axis(tickMinStep=1, format="d")),
    ).properties(width=220, height=150, title=_("Exchanges lost, by category"))
    amounts = lost_flows.transform_filter("isValid(datum.value)").transform_aggregate(
        total="sum(value)", flows="count()", groupby=["unit_label"]
    ).transform_calculate(text="format(datum.total, ',') + ' ' + datum.unit_label").mark_text(align="left", fontSize=15).encode(
        y=alt.Y("unit_label:N", axis=None), text="text:N",
    ).properties(width=220, height=60, title=_("Known quantities lost (per unit)"))
    before, after = _("+ {n} flows with no printed quantity").split("{n}")  # a Vega expression around the count
    words = f"{json.dumps(before, ensure_ascii=False)} + datum.n + {json.dumps(after, ensure_ascii=False)}"
    unquantified = lost_flows.transform_filter("!isValid(datum.value)").transform_aggregate(n="count()").transform_calculate(
        text=words).mark_text(align="left", fontSize=13).encode(text="text:N").properties(width=220, height=30)
    chart = alt.hconcat(network, alt.vconcat(bars, amounts, unquantified)).resolve_scale(color="independent")
    return charts.finish(
        chart, title=_("{park}: what if one partner closes?").format(park=park.name),
        description=_("Pick a partner in the menu to close it. Its lost exchanges are drawn as thick dark lines while the others "
                      "turn thin and pale, partners that lose a supply get a ring around their circle, and the panel on the right "
                      "counts the exchanges lost per category (by name) and adds up the known quantities lost, one line per unit. "
                      "First-order effects only."),
        source=_park_source(park))


def _closed_spec(park: Park) -> VegaLite:
    """The network with partners closed by two parameters (lists of ids), built once per park and language."""
    return _closed_spec_in(park, language())


@functools.lru_cache(maxsize=8)
def _closed_spec_in(park: Park, lang: str) -> VegaLite:
    edges, nodes = _geometry(park)
    # No tooltips here: the explorer's table next to the chart lists every lost flow with its sentence,
    # and a saved notebook stores this chart in its widget state, so it is kept small.
    edges = edges.loc[edges["status"] == "active", ["source", "target", "x", "y", "x2", "y2", "ax", "ay", "angle", "status"]]
    nodes = nodes[["id", "label", "kind", "x", "y", "label_x", "label_y", "exchanges"]]
    lost = "indexof(closed, datum.source) >= 0 || indexof(closed, datum.target) >= 0"
    chart = _lost_network(edges, nodes, lost, shown=lost, pale=0.35, closed="indexof(closed, datum.id) >= 0",
                          ringed="indexof(hit, datum.id) >= 0", tooltip=False,
                          ).add_params(alt.param(name="closed", value=[]), alt.param(name="hit", value=[]))
    chart = charts.finish(chart, title=_("Closed: {partners}").format(partners=_("nobody")),
                          description=_("The park's network; exchanges lost by the closed partners are drawn as thick dark lines, "
                                        "partners that lose a supply get a ring around their circle, closed partners are faded."),
                          source=_park_source(park))
    return VegaLite(chart.to_dict())


def _removed_chart(park: Park, removed: tuple[str, ...]) -> VegaLite:
    """Network with several partners closed (for the kernel-side explorer): a fast copy of one spec."""
    x = park.exchanges[park.exchanges["status"] == "active"]
    hit = sorted(set(x.loc[x["source"].isin(removed), "target"]) - set(removed))
    names = _(", ").join(park.label(p) for p in removed) or _("nobody")
    return _closed_spec(park).with_params(title=_("Closed: {partners}").format(partners=names), closed=list(removed), hit=hit)


def _bars(frame: pd.DataFrame, title: str, unit_label: str, colour: str) -> alt.LayerChart:
    base = alt.Chart(frame).encode(
        y=alt.Y("indicator:N", title=None, sort="-x", axis=alt.Axis(labelLimit=300)),
        x=alt.X("value:Q", title=unit_label, axis=alt.Axis(format="~s", tickCount=4)),
        tooltip=[alt.Tooltip("indicator:N", title=_("indicator")), alt.Tooltip("quantity:N", title=_("quantity")),
                 alt.Tooltip("evidence:N", title=_("the article says"))],
    )
    bars = base.mark_bar(color=colour)
    text = base.mark_text(align="left", dx=4).encode(text="quantity:N")
    return alt.layer(bars, text).properties(width=300, height=alt.Step(26), title=title)


_OUTCOME_COLUMNS = ("section", "kind", "indicator", "value", "unit", "period", "quantity", "evidence")


def profits_chart(table: pd.DataFrame | None = None) -> alt.VConcatChart:
    """'The Profits' of the article as bars, one panel per unit (water, mass, area, shares).

    ``table`` defaults to :func:`course_lib.symbiosis.outcomes`; Noveren's waste breakdown has its
    own chart (:func:`noveren_chart`).

    >>> profits_chart([1, 2])
    Traceback (most recent call last):
    ...
    TypeError: table must be a table (a pandas DataFrame), got list
    """
    table = outcomes() if table is None else checks.frame(table, "table", _OUTCOME_COLUMNS)
    p = table[(table["section"] == "The Profits") & (table["kind"] != "waste received")].copy()
    p["unit_label"] = [_outcome_text(1, u, pe).split(" ", 1)[1] if u != "dimensionless" else "count"
                       for u, pe in zip(p["unit"], p["period"].fillna(""))]
    words = {"m³/year": _("Water saved each year"), "t/year": _("Tonnes a year: oil and SO2 saved, ash and gypsum used"),
             "ha": _("Farmland where NovoGro replaces lime and fertilizer"), "%": _("Cut in overall water consumption")}
    order = {label: i for i, label in enumerate(words)}
    groups = sorted(p.groupby("unit_label", sort=False), key=lambda g: order.get(str(g[0]), len(order)))
    panels = [_bars(part, words.get(str(unit_label), str(unit_label)), str(unit_label), charts.PALETTE[i % 4])
              for i, (unit_label, part) in enumerate(groups)]
    chart = alt.vconcat(*panels).resolve_scale(x="independent")
    return charts.finish(
        chart, title=_("The Profits of the Kalundborg symbiosis, as printed"),
        description=_("Bars of every figure in the article's 'The Profits', one panel per unit so that tonnes, cubic metres, "
                      "hectares and percentages are never on one axis: water saved (1.9 million m³ of ground water and 1 million m³ "
                      "of surface water a year), tonnes a year (gypsum 200,000, ash 80,000, oil 20,000, SO2 380), 20,000 hectares "
                      "of farmland on NovoGro, and a 25 % cut in water consumption."),
        source=_OUTCOMES_SOURCE)


def noveren_chart(table: pd.DataFrame | None = None) -> alt.LayerChart:
    """Noveren's yearly waste intake by material (tonnes a year), with the total."""
    table = outcomes() if table is None else checks.frame(table, "table", _OUTCOME_COLUMNS)
    part = table[table["kind"] == "waste received"]
    total = sum_by_unit(part)
    return charts.finish(
        _bars(part, "", _("tonnes a year"), charts.PALETTE[1]).properties(width=420),
        title=_("Waste Noveren receives each year: {total} in six streams").format(total=total.loc[0, "quantity"]),
        description=_("Horizontal bars, tonnes a year: garden and park refuse 15,000; newspaper and cardboard 13,000; "
                      "rubble and concrete 7,000; bio waste 4,000; iron and metal 4,000; glass and bottles 1,800."),
        source=_OUTCOMES_SOURCE + " ('Other Waste')")


def _history_line(date: str, event: str, value: float, unit: str) -> str:
    if pd.isna(value):
        return f"{date}: {event}"
    amount = formats.number(value) + ("" if unit in ("dimensionless", "") else f" {unit}")
    return f"{date}: {event} ({amount})"


def history_chart(table: pd.DataFrame | None = None) -> alt.Chart:
    """A timeline of what happened after the article, one row per fact; its grade is shown by colour and shape."""
    columns = ("date", "event", "value", "unit", "year", "grade", "source", "caveat")
    table = history() if table is None else checks.frame(table, "table", columns)
    frame = table.assign(line=[_history_line(d, e, v, u) for d, e, v, u in
                               zip(table["date"], table["event"], table["value"], table["unit"].fillna(""))])
    chart = alt.Chart(frame).mark_point(filled=True, size=160).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(domain=[1955, 2030])),
        y=alt.Y("line:N", title=None, sort=alt.EncodingSortField("year"), axis=alt.Axis(labelLimit=620, labelFontSize=12)),
        color=alt.Color("grade:N", scale=alt.Scale(domain=["A", "B"], range=[charts.PALETTE[0], charts.PALETTE[1]]),
                        legend=alt.Legend(title=_("grade"), orient="bottom")),
        shape=alt.Shape("grade:N", scale=alt.Scale(domain=["A", "B"], range=["circle", "diamond"]),
                        legend=alt.Legend(title=_("grade"), orient="bottom")),
        tooltip=[alt.Tooltip("date:N", title=_("date")), alt.Tooltip("event:N", title=_("event")), alt.Tooltip("grade:N", title=_("grade")),
                 alt.Tooltip("source:N", title=_("source")), alt.Tooltip("caveat:N", title=_("caveat"))],
    ).properties(width=260, height=alt.Step(24))
    return charts.finish(
        chart, title=_("Kalundborg after the article: what happened next"),
        description=_("Dated events from 1961 to 2024, oldest first: refinery built 1961, Statoil owner from 1986, 2017 agreement to "
                      "convert Asnæs from coal to wood chips (grade B: reported), 2018 company figures and a biogas plant, refinery "
                      "sold to Klesch Group at the end of 2021, Novozymes part of Novonesis by 2024. Grade A facts (circles) were read in "
                      "the source, grade B facts (diamonds) only in trade news quoting a press release. Hover a point for the source."),
        source="course dataset kalundborg_history (Equinor 2021; Novozymes 2018; Kalundborg Symbiosis 2024; Reuters 2017; "
               "State of Green 2017 and Bioenergy International 2017, grade B)")
