"""Flow (Sankey-like) diagrams of a flow table, drawn with Altair.

Vega-Lite has no Sankey mark, so :func:`sankey_layout` computes the geometry itself (node
columns, node boxes, and each flow as a band whose width follows its value, given both as a
polygon and as an SVG path) and :func:`flow_diagram` draws it with Altair in pixel coordinates
(each band a custom point symbol with its SVG path, each node a rectangle): a plain Vega-Lite v5
spec that renders offline, in an untrusted notebook, in static pages and in PNG/SVG exports.
Any flow table works, as long as its values share one dimension (all masses, or all energies):
pint converts t and kg, and refuses to add tonnes to cubic metres.

>>> import pandas as pd
>>> f = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "material": ["x", "y"],
...                   "value": [3.0, 1.0], "unit": ["kg", "kg"]})
>>> nodes, bands = sankey_layout(f, height=100, node_pad=0)
>>> bands["width"].round(1).tolist()  # widths follow the values: 3 to 1
[75.0, 25.0]
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from .. import checks, formats
from ..charts import PALETTE, finish
from ..i18n import _
from .table import _factors, _unit, validate_flows

__all__ = ["sankey_layout", "flow_diagram", "concat"]

_ALIGNS = ("left", "center", "justify")


def _columns(nodes: list[str], edges: list[tuple[str, str]], align: str,
             fixed: dict[str, int]) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """Column of each node: longest path from the sources, with back edges of cycles ignored."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in edges:
        succ[s].append(t)
    # Depth-first search in appearance order: an edge to a node still on the stack closes a cycle.
    back: set[tuple[str, str]] = set()
    state: dict[str, str] = {}

    def visit(start: str) -> None:
        stack = [(start, iter(succ[start]))]
        state[start] = "open"
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == "open":
                    back.add((node, child))
                elif child not in state:
                    state[child] = "open"
                    stack.append((child, iter(succ[child])))
                    break
            else:
                state[node] = "done"
                stack.pop()

    for n in nodes:
        if n not in state:
            visit(n)
    dag = [(s, t) for s, t in edges if (s, t) not in back and s != t]
    preds: dict[str, list[str]] = {n: [s for s, t in dag if t == n] for n in nodes}
    col: dict[str, int] = {}

    def depth(n: str) -> int:
        if n not in col:
            col[n] = 0 if not preds[n] else 1 + max(depth(p) for p in preds[n])
        return col[n]

    for n in nodes:
        depth(n)
    targets = {n: [t for s, t in dag if s == n] for n in nodes}
    if align in ("center", "justify"):
        for n in nodes:  # pull pure sources right, next to their first target
            if not preds[n] and targets[n]:
                col[n] = max(0, min(col[t] for t in targets[n]) - 1)
    if align == "justify":
        last = max(col.values()) if col else 0
        for n in nodes:
            if not targets[n] and preds[n]:
                col[n] = last
    col.update(fixed)
    return col, back


def sankey_layout(flows: pd.DataFrame, *, unit: str | None = None, width: float = 860, height: float = 420,
                  node_width: float = 12, node_pad: float = 16, align: str = "center",
                  columns: Mapping[str, int] | None = None, order: Sequence[str] | None = None,
                  samples: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute a flow diagram's geometry: node boxes and one polygon per flow.

    Parameters: ``unit`` (convert all values to it; default: the first row's unit), the drawing
    size in pixels, ``align`` (``"left"``: longest path from the sources; ``"center"``: sources
    sit just before their first target; ``"justify"``: also push sinks to the last column),
    ``columns`` (node -> column, to override), ``order`` (node names, top to bottom within a
    column; default: order of first appearance, then sorted to reduce crossings) and
    ``samples`` (points per polygon edge).

    Returns ``(nodes, bands)``: ``nodes`` has ``node, column, x0, x1, y0, y1, value_in,
    value_out, value``; ``bands`` has the flow columns plus ``y_source, y_target, width``,
    ``polygon`` (a closed list of ``[x, y]`` points, y pointing down) and ``path`` (the same band
    as an SVG path with exact cubic curves, in pixels). Zero flows are dropped.
    Flows closing a cycle are drawn right to left; consider splitting a node instead.

    >>> f = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "material": ["x", "y"],
    ...                   "value": [3.0, 1.0], "unit": ["kg", "kg"]})
    >>> sankey_layout(f, height=100, node_pad=0)[0].set_index("node")["value"].to_dict()
    {'a': 4.0, 'b': 3.0, 'c': 1.0}
    """
    table = validate_flows(flows)
    if unit is None:
        unit = str(table["unit"].iloc[0]) if len(table) else "kg"
    else:
        _unit(unit, "unit")
    width = checks.number(width, "width", minimum=0)
    height = checks.number(height, "height", minimum=0, inclusive=False)
    node_width = checks.number(node_width, "node_width", minimum=0)
    node_pad = checks.number(node_pad, "node_pad", minimum=0)
    if width <= node_width:
        raise ValueError(f"width={width:g} must exceed node_width={node_width:g}")
    checks.choice(align, "align", _ALIGNS)
    samples = checks.whole_number(samples, "samples", minimum=2)
    factors = _factors(list(table["unit"].unique()), unit)
    table["value"] = table["value"] * table["unit"].map(factors)
    table["unit"] = unit
    table = table[table["value"] > 0].reset_index(drop=True)
    if table.empty:
        raise ValueError("flows has no positive value to draw")
    # Plain Python from here on: a slider redraw must stay well under 100 ms.
    sources, targets = table["source"].tolist(), table["target"].tolist()
    values, materials = table["value"].tolist(), table["material"].tolist()
    nodes = list(dict.fromkeys(x for pair in zip(sources, targets) for x in pair))
    fixed: dict[str, int] = {}
    if columns is not None:
        if not isinstance(columns, Mapping):
            raise TypeError(f"columns must be a dict node -> column, got {type(columns).__name__}")
        for node, column in columns.items():
            if node not in nodes:
                raise ValueError(f"columns names node {node!r}, which is not in flows{checks.suggest(str(node), nodes)}; "
                                 f"nodes are {nodes}")
            fixed[node] = checks.whole_number(column, f"columns[{node!r}]", minimum=0)
    edges = list(dict.fromkeys(zip(sources, targets)))
    col, _back = _columns(nodes, edges, align, fixed)
    value_in, value_out = dict.fromkeys(nodes, 0.0), dict.fromkeys(nodes, 0.0)
    pairs: dict[tuple[str, str], float] = {}
    for a, b, v in zip(sources, targets, values):
        value_out[a] += v
        value_in[b] += v
        pairs[(a, b)] = pairs.get((a, b), 0.0) + v
    value = {n: max(value_in[n], value_out[n]) for n in nodes}
    n_columns = max(col.values()) + 1
    by_column = [[n for n in nodes if col[n] == c] for c in range(n_columns)]
    if order is not None:
        rank = {n: i for i, n in enumerate(checks.names(order, "order"))}
        by_column = [sorted(c, key=lambda n: rank.get(n, len(rank))) for c in by_column]
    # One vertical scale for all columns: the fullest column fills the height.
    ky = min(
        (height - node_pad * (len(c) - 1)) / sum(value[n] for n in c)
        for c in by_column if c and sum(value[n] for n in c) > 0
    )
    if ky <= 0:
        raise ValueError(f"height={height:g} is too small for node_pad={node_pad:g}; lower node_pad or raise height")
    dx = (width - node_width) / max(n_columns - 1, 1)
    y0: dict[str, float] = {}

    def stack(column_nodes: list[str]) -> None:
        total = sum(value[n] for n in column_nodes) * ky + node_pad * (len(column_nodes) - 1)
        y = (height - total) / 2
        for n in column_nodes:
            y0[n] = y
            y += value[n] * ky + node_pad

    for column_nodes in by_column:
        stack(column_nodes)
    if order is None:  # barycentre sweeps: place each node near the nodes it exchanges with
        neighbours: dict[str, list[tuple[float, str]]] = {n: [] for n in nodes}
        for (a, b), v in pairs.items():
            neighbours[a].append((v, b))
            neighbours[b].append((v, a))

        def centre(n: str) -> float:
            total = sum(v for v, _ in neighbours[n])
            if not total:
                return y0[n]
            return sum(v * (y0[o] + value[o] * ky / 2) for v, o in neighbours[n]) / total

        for _ in range(3):
            for sweep in (range(1, n_columns), range(n_columns - 2, -1, -1)):
                for c in sweep:
                    by_column[c] = sorted(by_column[c], key=centre)
                    stack(by_column[c])
    node_frame = pd.DataFrame([
        {"node": n, "column": col[n], "x0": col[n] * dx, "x1": col[n] * dx + node_width, "y0": y0[n],
         "y1": y0[n] + value[n] * ky, "value_in": value_in[n], "value_out": value_out[n], "value": value[n]}
        for n in nodes
    ])
    centre_y = {n: y0[n] + value[n] * ky / 2 for n in nodes}
    # Stack each node's outflows (ordered by the target's height) and inflows (by the source's).
    widths = [v * ky for v in values]
    y_source, y_target = [0.0] * len(values), [0.0] * len(values)
    next_out, next_in = dict(y0), dict(y0)
    for i in sorted(range(len(values)), key=lambda i: (centre_y[targets[i]], materials[i])):
        y_source[i] = next_out[sources[i]]
        next_out[sources[i]] += widths[i]
    for i in sorted(range(len(values)), key=lambda i: (centre_y[sources[i]], materials[i])):
        y_target[i] = next_in[targets[i]]
        next_in[targets[i]] += widths[i]
    t = np.linspace(0.0, 1.0, samples)
    # Cubic Bezier with horizontal tangents: (1-t)^3 P0 + 3(1-t)^2 t P1 + 3(1-t) t^2 P2 + t^3 P3.
    b0, b1, b2, b3 = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
    rise = b2 + b3  # share of the way from the source's height to the target's
    polygons, paths = [], []
    for a, b, ys, yt, w in zip(sources, targets, y_source, y_target, widths):
        xs, xt = col[a] * dx + node_width, col[b] * dx
        reach = (xt - xs) / 2 if xt > xs else max(abs(xt - xs) / 2, dx / 2)  # back edges loop around
        x = b0 * xs + b1 * (xs + reach) + b2 * (xt - reach) + b3 * xt
        top = ys + (yt - ys) * rise
        xy = np.round(np.concatenate([np.column_stack([x, top]), np.column_stack([x[::-1], top[::-1] + w])]), 1).tolist()
        polygons.append(xy + [xy[0]])
        c1, c2 = xs + reach, xt - reach
        paths.append(
            f"M{xs:.1f},{ys:.1f}C{c1:.1f},{ys:.1f} {c2:.1f},{yt:.1f} {xt:.1f},{yt:.1f}L{xt:.1f},{yt + w:.1f}"
            f"C{c2:.1f},{yt + w:.1f} {c1:.1f},{ys + w:.1f} {xs:.1f},{ys + w:.1f}Z"
        )
    table["width"], table["y_source"], table["y_target"] = widths, y_source, y_target
    table["polygon"], table["path"] = polygons, paths
    table.attrs["unit"] = unit
    node_frame.attrs["unit"] = unit
    return node_frame, table


_BAND_LABEL_MIN = 12.0  # px: a band at least this wide carries its category as text


def _band_labels(candidates: list[dict[str, Any]], node_texts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The band labels that fit: none may overlap a node's label (name above, amount below) or another band label."""
    def box(row: dict[str, Any]) -> tuple[float, float, float, float]:
        if row["band"]:
            return row["x"] - 5.8 * len(row["text"]), row["y"] - 7, row["x"], row["y"] + 7
        return row["x"], row["y"] - 17, row["x"] + 7.6 * max(len(row["text"]), len(row["amount"])), row["y"] + 16

    def apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
        return a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]

    taken = [box(row) for row in node_texts]
    kept = []
    for row in candidates:
        here = box(row)
        if all(apart(here, other) for other in taken):
            kept.append(row)
            taken.append(here)
    return kept


def _text_lines(value: Iterable[str] | str, argument: str) -> list[str]:
    """Lines of text: a list of strings (one string is one line, never split into letters)."""
    if isinstance(value, str):
        return [value]
    return list(checks.names(value, argument))


def flow_diagram(flows: pd.DataFrame | Mapping[str, pd.DataFrame], *, title: str, description: str,
                 source: str | None = None, data: pd.DataFrame | None = None, unit: str | None = None,
                 color: str = "material", colors: Mapping[str, str] | None = None,
                 labels: Mapping[str, str] | None = None, view_name: str = "view", width: float = 860,
                 height: float = 420, node_width: float = 12, node_pad: float = 16, align: str = "center",
                 columns: Mapping[str, int] | None = None, order: Sequence[str] | None = None,
                 label_width: float = 170, footnotes: Iterable[str] = (), view_labels: Mapping[Any, str] | None = None,
                 view_title: str | None = None, legend_title: str | None = None) -> alt.LayerChart:
    """An Altair flow (Sankey-like) diagram whose band widths follow the flows' values.

    ``flows`` is a flow table, or a dict ``{view name: flow table}``: then each view is laid out
    on its own and a radio button (a Vega-Lite parameter, no kernel needed) switches between
    them. ``color`` names the column that colours the bands (``colors`` maps its values to
    colours); ``labels`` maps node names to the text shown. ``title``, ``description`` and
    ``source``/``data`` go to :func:`course_lib.charts.finish`. Layout options are those of
    :func:`sankey_layout`; ``label_width`` is the room kept right of the last column for labels;
    ``footnotes`` are lines of text printed under the diagram (in the same chart, so a redraw
    stays one chart). ``view_labels`` (view -> text), ``view_title`` and ``legend_title`` are the words
    shown for the radio buttons, their name and the colour legend (default: the names themselves).

    Each band is one SVG path (drawn as a custom point symbol, in pixels), so the stored chart
    stays small; nodes are rectangles and labels text, all in pixel coordinates.

    >>> f = pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["x"], "value": [1.0], "unit": ["t"]})
    >>> spec = flow_diagram(f, title="One flow", description="a sends 1 t of x to b.", source="example").to_dict()
    >>> spec["layer"][0]["mark"]["type"], spec["layer"][0]["encoding"]["shape"]["field"], len(spec["datasets"])
    ('point', 'path', 3)
    """
    views: Mapping[Any, Any] = flows if isinstance(flows, Mapping) else {None: flows}
    if not views:
        raise ValueError("flows must be a flow table or a non-empty dict of them")
    checks.text(title, "title")
    checks.text(description, "description")
    checks.text(view_name, "view_name")
    if not isinstance(color, str):
        raise TypeError(f"color must be a column name (text), got {color!r}")
    label_width = checks.number(label_width, "label_width", minimum=0)
    if labels is not None and not isinstance(labels, Mapping):
        raise TypeError(f"labels must be a dict node -> label, got {type(labels).__name__}")
    if colors is not None and not isinstance(colors, Mapping):
        raise TypeError(f"colors must be a dict value -> colour, got {type(colors).__name__}")
    label_of = dict(labels or {})
    notes = _text_lines(footnotes, "footnotes")
    band_rows: list[dict[str, Any]] = []
    node_rows: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    band_texts: list[dict[str, Any]] = []
    domain: list[str] = []
    for view, table in views.items():
        if isinstance(table, pd.DataFrame) and color not in table.columns:
            checks.choice(color, "color", [str(c) for c in table.columns])
        nodes, bands = sankey_layout(table, unit=unit, width=width, height=height, node_width=node_width,
                                     node_pad=node_pad, align=align, columns=columns, order=order, samples=2)
        shown_unit = bands.attrs["unit"]
        for source_node, target_node, material, value, key, path, polygon, band_width in zip(
                bands["source"], bands["target"], bands["material"], bands["value"], bands[color].astype(str), bands["path"],
                bands["polygon"], bands["width"]):
            if key not in domain:
                domain.append(key)
            # A band wide enough for text is labelled with its category where it enters its target, so
            # that no band is told apart by colour alone (thinner ones: the tooltip and the legend).
            (x_start, _y), (x_end, y_end) = polygon[0], polygon[1]
            if band_width >= _BAND_LABEL_MIN and x_end > x_start:
                band_texts.append({"view": view, "x": round(x_end - 4, 1), "y": round(y_end + band_width / 2, 1),
                                   "text": key, "amount": "", "band": 1})
            band_rows.append({
                "view": view, "key": key, "from": label_of.get(source_node, source_node),
                "to": label_of.get(target_node, target_node), "material": material,
                "amount": f"{formats.number(value, 3)} {shown_unit}", "path": path,
            })
        view_texts = len(texts)
        for row in nodes.itertuples():
            name = label_of.get(row.node, row.node)
            node_rows.append({
                "view": view, "node": name, "x0": round(row.x0, 1), "x1": round(row.x1, 1), "y0": round(row.y0, 1),
                "y1": round(max(row.y1, row.y0 + 1), 1),  # at least a pixel, so tiny nodes stay visible
                "in": f"{formats.number(row.value_in, 3)} {shown_unit}",
                "out": f"{formats.number(row.value_out, 3)} {shown_unit}",
            })
            texts.append({"view": view, "x": round(row.x1 + 4, 1), "y": round((row.y0 + row.y1) / 2, 1),
                          "text": name, "amount": f"{formats.number(row.value, 3)} {shown_unit}", "band": 0})
        texts += _band_labels(band_texts, texts[view_texts:])
        band_texts = []
    if colors is not None:
        unknown = [k for k in colors if k not in domain]
        if unknown:
            raise ValueError(f"colors names {unknown}, which are not values of flows[{color!r}]: {domain}")
    palette = [colors[k] if colors and k in colors else PALETTE[i % len(PALETTE)] for i, k in enumerate(domain)]
    # Named datasets keep Altair from deep-copying the data at every step (a redraw must be fast);
    # they are attached to the finished chart (combine it with others through concat()).
    key = hashlib.sha1(json.dumps([title, band_rows[:1], len(band_rows), len(texts)]).encode()).hexdigest()[:10]
    names = {"bands": f"flow_bands_{key}", "nodes": f"flow_nodes_{key}", "labels": f"flow_labels_{key}"}
    # Channel objects, not "x:Q" shorthands: Altair resolves a shorthand against its whole schema,
    # which costs tens of milliseconds per channel. scale=None means the values are pixels.
    pixel_x, pixel_y = alt.X("x:Q", scale=None, axis=None), alt.Y("y:Q", scale=None, axis=None)
    # A custom point symbol draws its SVG path scaled by sqrt(size) / 2: size 4 keeps pixels.
    bands_chart = alt.Chart(alt.NamedData(name=names["bands"])).mark_point(
        filled=True, size=4, opacity=0.7, strokeWidth=0,
    ).encode(
        alt.X(datum=0, scale=None, axis=None), alt.Y(datum=0, scale=None, axis=None),
        alt.Shape("path:N", scale=None, legend=None),
        alt.Color("key:N", title=legend_title or color, scale=alt.Scale(domain=domain, range=palette),
                  legend=alt.Legend(orient="bottom", columns=4, symbolType="square")),
        [alt.Tooltip("from:N", title=_("from")), alt.Tooltip("to:N", title=_("to")),
         alt.Tooltip("material:N", title=_("material")), alt.Tooltip("amount:N", title=_("amount"))],
    )
    nodes_chart = alt.Chart(alt.NamedData(name=names["nodes"])).mark_rect(color="#333333").encode(
        alt.X("x0:Q", scale=None, axis=None), alt.X2("x1:Q"), alt.Y("y0:Q", scale=None, axis=None), alt.Y2("y1:Q"),
        [alt.Tooltip("node:N", title=_("node")), alt.Tooltip("in:N", title=_("in")), alt.Tooltip("out:N", title=_("out"))],
    )
    base = alt.Chart(alt.NamedData(name=names["labels"])).encode(pixel_x, pixel_y)
    nodes_text = base.transform_filter("!datum.band")
    bands_text = base.transform_filter("datum.band")
    # Every label is drawn twice: first as a white halo, then as text, so it stays readable over a band.
    halo: dict[str, Any] = {"stroke": "white", "strokeWidth": 3.5, "strokeJoin": "round"}
    name_mark: dict[str, Any] = {"align": "left", "baseline": "bottom", "fontSize": 13, "fontWeight": "bold"}
    amount_mark: dict[str, Any] = {"align": "left", "baseline": "top", "fontSize": 12, "dy": 1}
    band_mark: dict[str, Any] = {"align": "right", "baseline": "middle", "fontSize": 11, "fontStyle": "italic"}
    text_layers = [
        bands_text.mark_text(**band_mark, **halo).encode(alt.Text("text:N")),
        bands_text.mark_text(**band_mark, color="#1b1b1b").encode(alt.Text("text:N")),
        nodes_text.mark_text(**name_mark, **halo).encode(alt.Text("text:N")),
        nodes_text.mark_text(**name_mark, color="#1b1b1b").encode(alt.Text("text:N")),
        nodes_text.mark_text(**amount_mark, **halo).encode(alt.Text("amount:N")),
        nodes_text.mark_text(**amount_mark, color="#333").encode(alt.Text("amount:N")),
    ]
    line_height = 19
    if notes:
        for i, line in enumerate(notes):
            texts.append({"view": "__notes__", "x": 0.0, "y": height + 14 + i * line_height, "text": line, "amount": "",
                          "band": 0})
        text_layers.append(base.mark_text(align="left", baseline="top", fontSize=13).encode(alt.Text("text:N")))
    layers: list[Any] = [bands_chart, nodes_chart, *text_layers]
    shown = 2 + 6  # the layers that draw a view (bands, nodes, their labels); the rest are footnotes
    view_names = list(views)
    several = view_names != [None]
    if several or notes:
        drawn = f"datum.view == {view_name}" if several else "datum.view != '__notes__'"
        layers = [layer.transform_filter(drawn) for layer in layers[:shown]] + [
            layer.transform_filter("datum.view == '__notes__'") for layer in layers[shown:]]
    if several:
        layers[0] = layers[0].add_params(alt.param(name=view_name, value=view_names[0], bind=alt.binding_radio(
            options=view_names, labels=[(view_labels or {}).get(v, str(v)) for v in view_names],
            name=_("{name}: ").format(name=view_title or view_name))))
    total_height = height + (14 + line_height * len(notes) if notes else 0)
    chart = alt.layer(*layers).properties(width=width + label_width, height=total_height)
    chart = finish(chart, title=title, description=description, source=source, data=data)
    chart.datasets = {names["bands"]: band_rows, names["nodes"]: node_rows, names["labels"]: texts}
    return chart


def concat(*charts: Any, direction: str = "vertical", title: str | None = None,
           description: str | None = None, source: str | None = None) -> alt.VConcatChart | alt.HConcatChart:
    """Concatenate charts that may carry named datasets (such as :func:`flow_diagram`'s).

    Vega-Lite allows datasets only at the top level, and Altair would deep-copy them while
    concatenating: they are lifted off (shallow copies of) the parts and attached to the result.
    With ``title`` (and ``description``, ``source``) the result goes through
    :func:`course_lib.charts.finish` first.

    >>> concat(direction="diagonal")
    Traceback (most recent call last):
    ...
    ValueError: direction='diagonal' is not allowed; choose one of: 'vertical', 'horizontal'
    """
    checks.choice(direction, "direction", ("vertical", "horizontal"))
    datasets: dict[str, Any] = {}
    parts: list[Any] = []
    for chart in charts:
        if not isinstance(chart, alt.TopLevelMixin):
            raise TypeError(f"charts must be Altair charts, got {type(chart).__name__}")
        part: Any = chart
        if isinstance(getattr(part, "datasets", alt.Undefined), dict):
            datasets.update(part.datasets)
            part = part.copy(deep=False)
            part.datasets = alt.Undefined
        parts.append(part)
    if not parts:
        raise TypeError("concat needs at least one chart")
    combined: Any = alt.vconcat(*parts) if direction == "vertical" else alt.hconcat(*parts)
    if title is not None:
        if description is None:
            raise ValueError("give description='...' with title: every course chart describes itself in words")
        combined = finish(combined, title=title, description=description, source=source)
    if datasets:
        combined.datasets = datasets
    return combined
