"""Tidy flow tables: check their mass balance and draw them as flow diagrams.

A **flow table** has one row per flow: ``source, target, material, value, unit`` (any other
columns, such as ``kind`` or ``component``, ride along). This is the convention of material flow
analysis (ODYM, flodym): every process must balance,

    inputs = outputs + losses + stock change,

with an explicit *environment* node at the system boundary receiving the losses and a *stock*
node receiving what accumulates. :func:`check_balance` checks that, stage by stage, and raises
:class:`MassBalanceError` when a stage does not close:

>>> import pandas as pd
>>> flows = pd.DataFrame({
...     "source": ["mine", "mill", "mill", "mill"],
...     "target": ["mill", "market", "environment", "mill stock"],
...     "material": ["ore", "metal", "dust", "ore"],
...     "value": [10.0, 6.0, 1.0, 3.0],
...     "unit": ["t", "t", "t", "t"]})
>>> check_balance(flows, stocks=["mill stock"])[["stage", "inputs", "outputs", "losses", "stock_change"]]
  stage   inputs  outputs  losses  stock_change
0  mill  10000.0   6000.0  1000.0        3000.0
>>> check_balance(flows.assign(value=[10.0, 6.0, 1.0, 2.0]), stocks=["mill stock"])
Traceback (most recent call last):
...
course_lib.flows.MassBalanceError: mass balance violated at stage 'mill': inputs 10,000 kg but outputs + losses + stock change = 9,000 kg (1,000 kg missing, 10% of inputs)

Vega-Lite has no Sankey mark, so :func:`sankey_layout` computes the geometry itself (node
columns, node boxes, and each flow as a band whose width follows its value, given both as a
polygon and as an SVG path) and :func:`flow_diagram` draws it with Altair in pixel coordinates
(each band a custom point symbol with its SVG path, each node a rectangle): a plain Vega-Lite v5
spec that renders offline, in an untrusted notebook, in static pages and in PNG/SVG exports. Any flow table works (the Kalundborg notebook can reuse it), as long as its
values share one dimension (all masses, or all energies): pint converts t and kg, and refuses to
add tonnes to cubic metres.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import numbers

import altair as alt
import numpy as np
import pandas as pd

from .charts import PALETTE, finish
from .units import Q_, check_unit, ureg

__all__ = [
    "FLOW_COLUMNS",
    "MassBalanceError",
    "validate_flows",
    "in_unit",
    "stage_balance",
    "check_balance",
    "sankey_layout",
    "flow_diagram",
    "concat",
]

#: The columns every flow table has.
FLOW_COLUMNS = ("source", "target", "material", "value", "unit")

_MASS = ureg.get_dimensionality("[mass]")


class MassBalanceError(ValueError):
    """A stage's inputs do not equal its outputs + losses + stock change."""


def validate_flows(flows) -> pd.DataFrame:
    """Check a flow table and return a clean copy (``value`` as float, text columns as str).

    Raises ``TypeError`` if ``flows`` is not a DataFrame, ``ValueError`` for a missing column,
    an empty node name, a negative or non-finite value or an unknown unit.

    >>> validate_flows(pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["x"],
    ...                              "value": [-1.0], "unit": ["kg"]}))
    Traceback (most recent call last):
    ...
    ValueError: flows.value must be finite and >= 0 (a flow has a direction; reverse source and target instead); row 0 (a -> b, x) has -1.0
    """
    if not isinstance(flows, pd.DataFrame):
        raise TypeError(f"flows must be a pandas DataFrame with columns {FLOW_COLUMNS}, got {type(flows).__name__}")
    missing = [c for c in FLOW_COLUMNS if c not in flows.columns]
    if missing:
        raise ValueError(f"flows lacks column(s) {missing}; a flow table needs {list(FLOW_COLUMNS)}")
    out = flows.copy()
    for column in ("source", "target", "material", "unit"):
        values = out[column].tolist()
        for row, value in enumerate(values):
            if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip():
                raise ValueError(f"flows.{column} is empty in row {row}; every flow needs a {column}")
        if not all(type(v) is str for v in values):
            out[column] = [str(v) for v in values]
    try:
        out["value"] = pd.to_numeric(out["value"], errors="raise").astype("float64")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"flows.value must be numbers: {exc}") from exc
    bad = ~np.isfinite(out["value"].to_numpy()) | (out["value"].to_numpy() < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        row = out.iloc[i]
        raise ValueError(
            "flows.value must be finite and >= 0 (a flow has a direction; reverse source and target "
            f"instead); row {i} ({row['source']} -> {row['target']}, {row['material']}) has {float(row['value'])!r}"
        )
    for unit in out["unit"].unique():
        if not isinstance(unit, str):
            check_unit(unit, "flows.unit")  # raises the TypeError
        _unit(unit, "flows.unit")
    return out


@functools.lru_cache(maxsize=256)
def _unit(unit: str, argument: str):
    return check_unit(unit, argument)  # pint parses a unit string in ~0.1 ms: once is enough


def _factors(units, to) -> dict:
    """Conversion factor of each unit in ``units`` to unit ``to`` (pint, once per unit)."""
    return dict(_factors_cached(tuple(units), to))


@functools.lru_cache(maxsize=256)
def _factors_cached(units: tuple, to: str) -> tuple:
    target = _unit(to, "unit")
    factors = {}
    for unit in units:
        source = _unit(unit, "flows.unit")
        if source.dimensionality != target.dimensionality:
            raise ValueError(
                f"flows mixes units: {unit!r} ({source.dimensionality}) cannot be converted to {to!r} "
                f"({target.dimensionality}); select rows of one dimension first, e.g. "
                "flows[flows['unit'] == 'kg']"
            )
        factors[unit] = Q_(1.0, source).to(target).magnitude
    return tuple(factors.items())


def in_unit(flows, unit: str) -> pd.DataFrame:
    """Return the flow table with every value converted to ``unit`` (all rows must convert).

    >>> in_unit(pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["x"],
    ...                       "value": [2.0], "unit": ["t"]}), "kg")["value"].item()
    2000.0
    """
    out = validate_flows(flows)
    factors = _factors(out["unit"].unique(), unit)
    out["value"] = out["value"] * out["unit"].map(factors)
    out["unit"] = unit
    return out


def _names(value, argument) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        names = tuple(value)
    except TypeError:
        raise TypeError(f"{argument} must be a node name or a list of node names, got {value!r}") from None
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{argument} must contain node names (str), got {name!r}")
    return names


def stage_balance(flows, *, processes=None, environment="environment", stocks=(), by=None, unit="kg") -> pd.DataFrame:
    """The mass balance of each process: inputs, outputs, losses, stock change and imbalance.

    Only rows whose unit is a mass take part (converted to ``unit``); energy rows are ignored
    here. A flow into an ``environment`` node counts as a *loss*, a flow into a ``stocks`` node
    as a *stock change* (a flow out of it as a release from stock), any other outflow as an
    *output*. ``processes`` lists the stages to balance (default: every node with both
    inflows and outflows, except environment and stock nodes). ``by`` names a column (such as
    ``"component"``) to balance each of its values separately as well.

    ``imbalance = inputs - outputs - losses - stock_change``; ``relative`` divides it by the
    larger of inputs and outputs.
    """
    table = validate_flows(flows)
    environment = set(_names(environment, "environment"))
    stocks = set(_names(stocks, "stocks"))
    if _unit(unit, "unit").dimensionality != _MASS:
        raise ValueError(f"unit={unit!r} must be a mass unit such as 'kg' or 't'")
    if by is not None and by not in table.columns:
        raise ValueError(f"by={by!r} is not a column of flows; columns are {list(table.columns)}")
    is_mass = {u: _unit(u, "flows.unit").dimensionality == _MASS for u in table["unit"].unique()}
    mass = table[table["unit"].map(is_mass)].copy()
    factors = _factors(mass["unit"].unique(), unit)
    mass["value"] = mass["value"] * mass["unit"].map(factors)
    if processes is None:
        nodes = set(mass["source"]) & set(mass["target"])
        processes = sorted(nodes - environment - stocks, key=list(pd.unique(mass[["source", "target"]].to_numpy().ravel())).index)
    else:
        processes = list(_names(processes, "processes"))
        known = set(table["source"]) | set(table["target"])
        unknown = [p for p in processes if p not in known]
        if unknown:
            raise ValueError(f"processes {unknown} do not appear in flows; nodes are {sorted(known)}")
    groups = [(None, mass)] if by is None else [(None, mass)] + [(k, g) for k, g in mass.groupby(by, sort=False)]
    rows = []
    for key, frame in groups:
        src, tgt, val = frame["source"].to_numpy(), frame["target"].to_numpy(), frame["value"].to_numpy()
        to_env = np.isin(tgt, list(environment))
        to_stock = np.isin(tgt, list(stocks))
        from_stock = np.isin(src, list(stocks))
        for stage in processes:
            out_mask, in_mask = src == stage, tgt == stage
            inputs = val[in_mask & ~from_stock].sum()
            released = val[in_mask & from_stock].sum()
            losses = val[out_mask & to_env].sum()
            stock_in = val[out_mask & to_stock].sum()
            outputs = val[out_mask & ~to_env & ~to_stock].sum()
            stock_change = stock_in - released
            imbalance = inputs - outputs - losses - stock_change
            scale = max(inputs + released, outputs + losses + stock_in)
            row = {"stage": stage}
            if by is not None:
                row[by] = "all" if key is None else key
            row.update(
                inputs=inputs, outputs=outputs, losses=losses, stock_change=stock_change,
                imbalance=imbalance, relative=(abs(imbalance) / scale) if scale > 0 else 0.0,
                n_in=int(in_mask.sum()), n_out=int(out_mask.sum()),
            )
            rows.append(row)
    result = pd.DataFrame(rows)
    result.attrs["unit"] = unit
    return result


def check_balance(flows, *, processes=None, environment="environment", stocks=(), by=None, unit="kg", rel_tol=1e-9) -> pd.DataFrame:
    """Return :func:`stage_balance` after checking every stage closes within ``rel_tol``.

    Raises :class:`MassBalanceError` (a ``ValueError``) naming the first stage that does not
    balance, or a process that has inflows but no outflows (mass cannot vanish: send losses to
    the environment node).
    """
    if isinstance(rel_tol, bool) or not isinstance(rel_tol, numbers.Real) or not (0 <= rel_tol < 1):
        raise ValueError(f"rel_tol must be a number in [0, 1), got {rel_tol!r}")
    balance = stage_balance(flows, processes=processes, environment=environment, stocks=stocks, by=by, unit=unit)
    fmt = lambda x: f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"  # noqa: E731
    for row in balance.itertuples():
        if row.n_in and not row.n_out and (by is None or getattr(row, by) == "all"):
            raise MassBalanceError(
                f"stage {row.stage!r} has inputs ({fmt(row.inputs)} {unit}) but no outflows: route its "
                "losses to the environment node and its accumulation to a stock node"
            )
        if row.relative > rel_tol:
            where = f"stage {row.stage!r}" + (f" ({by} {getattr(row, by)!r})" if by is not None else "")
            total = row.outputs + row.losses + row.stock_change
            word = "missing" if row.imbalance > 0 else "too much"
            raise MassBalanceError(
                f"mass balance violated at {where}: inputs {fmt(row.inputs)} {unit} but outputs + losses + "
                f"stock change = {fmt(total)} {unit} ({fmt(abs(row.imbalance))} {unit} {word}, "
                f"{100 * abs(row.imbalance) / max(row.inputs, total):.2g}% of inputs)"
            )
    return balance


# ---- Layout ------------------------------------------------------------------------------------


def _columns(nodes, edges, align, fixed):
    """Column of each node: longest path from the sources, with back edges of cycles ignored."""
    succ = {n: [] for n in nodes}
    for s, t in edges:
        succ[s].append(t)
    # Depth-first search in appearance order: an edge to a node still on the stack closes a cycle.
    back, state = set(), {}

    def visit(start):
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
    preds = {n: [s for s, t in dag if t == n] for n in nodes}
    col = {}

    def depth(n, seen=()):
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


def sankey_layout(flows, *, unit=None, width=860, height=420, node_width=12, node_pad=16, align="center",
                  columns=None, order=None, samples=10):
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
    >>> nodes, bands = sankey_layout(f, height=100, node_pad=0)
    >>> nodes.set_index("node")["value"].to_dict()
    {'a': 4.0, 'b': 3.0, 'c': 1.0}
    >>> bands["width"].round(1).tolist()  # widths follow the values: 3 to 1
    [75.0, 25.0]
    """
    table = validate_flows(flows)
    if unit is None:
        unit = table["unit"].iloc[0] if len(table) else "kg"
    factors = _factors(table["unit"].unique(), unit)
    table["value"] = table["value"] * table["unit"].map(factors)
    table["unit"] = unit
    for name, value in (("width", width), ("height", height), ("node_width", node_width), ("node_pad", node_pad)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if width <= node_width or height <= 0:
        raise ValueError(f"width ({width}) must exceed node_width ({node_width}) and height ({height}) must be > 0")
    if align not in ("left", "center", "justify"):
        raise ValueError(f"align={align!r} must be 'left', 'center' or 'justify'")
    if not isinstance(samples, int) or samples < 2:
        raise ValueError(f"samples must be an integer >= 2, got {samples!r}")
    table = table[table["value"] > 0].reset_index(drop=True)
    if table.empty:
        raise ValueError("flows has no positive value to draw")
    # Plain Python from here on: a slider redraw must stay well under 100 ms.
    sources, targets = table["source"].tolist(), table["target"].tolist()
    values, materials = table["value"].tolist(), table["material"].tolist()
    nodes = list(dict.fromkeys(x for pair in zip(sources, targets) for x in pair))
    fixed = {}
    if columns is not None:
        if not isinstance(columns, dict):
            raise TypeError(f"columns must be a dict node -> column, got {type(columns).__name__}")
        for node, c in columns.items():
            if node not in nodes:
                raise ValueError(f"columns names node {node!r}, which is not in flows; nodes are {nodes}")
            if isinstance(c, bool) or not isinstance(c, numbers.Integral) or c < 0:
                raise ValueError(f"columns[{node!r}] must be an integer >= 0, got {c!r}")
            fixed[node] = int(c)
    edges = list(dict.fromkeys(zip(sources, targets)))
    col, _back = _columns(nodes, edges, align, fixed)
    value_in, value_out, pairs = dict.fromkeys(nodes, 0.0), dict.fromkeys(nodes, 0.0), {}
    for a, b, v in zip(sources, targets, values):
        value_out[a] += v
        value_in[b] += v
        pairs[(a, b)] = pairs.get((a, b), 0.0) + v
    value = {n: max(value_in[n], value_out[n]) for n in nodes}
    n_columns = max(col.values()) + 1
    by_column = [[n for n in nodes if col[n] == c] for c in range(n_columns)]
    if order is not None:
        rank = {n: i for i, n in enumerate(_names(order, "order"))}
        by_column = [sorted(c, key=lambda n: rank.get(n, len(rank))) for c in by_column]
    # One vertical scale for all columns: the fullest column fills the height.
    ky = min(
        (height - node_pad * (len(c) - 1)) / sum(value[n] for n in c)
        for c in by_column if c and sum(value[n] for n in c) > 0
    )
    if ky <= 0:
        raise ValueError(f"height={height} is too small for node_pad={node_pad}; lower node_pad or raise height")
    dx = (width - node_width) / max(n_columns - 1, 1)
    y0 = {}

    def stack(column_nodes):
        total = sum(value[n] for n in column_nodes) * ky + node_pad * (len(column_nodes) - 1)
        y = (height - total) / 2
        for n in column_nodes:
            y0[n] = y
            y += value[n] * ky + node_pad

    for c in by_column:
        stack(c)
    if order is None:  # barycentre sweeps: place each node near the nodes it exchanges with
        neighbours = {n: [] for n in nodes}
        for (a, b), v in pairs.items():
            neighbours[a].append((v, b))
            neighbours[b].append((v, a))

        def centre(n):
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
    bands = table
    bands.attrs["unit"] = unit
    node_frame.attrs["unit"] = unit
    return node_frame, bands


# ---- Drawing -----------------------------------------------------------------------------------


def _format(value: float) -> str:
    if value == 0:
        return "0"
    digits = max(0, 2 - int(math.floor(math.log10(abs(value)))))
    return f"{value:,.{digits}f}"


def flow_diagram(flows, *, title: str, description: str, source: str | None = None, data: pd.DataFrame | None = None,
                 unit=None, color: str = "material", colors: dict | None = None, labels: dict | None = None,
                 view_name: str = "view", width=860, height=420, node_width=12, node_pad=16, align="center",
                 columns=None, order=None, label_width: int = 170, footnotes=()):
    """An Altair flow (Sankey-like) diagram whose band widths follow the flows' values.

    ``flows`` is a flow table, or a dict ``{view name: flow table}``: then each view is laid out
    on its own and a radio button (a Vega-Lite parameter, no kernel needed) switches between
    them. ``color`` names the column that colours the bands (``colors`` maps its values to
    colours); ``labels`` maps node names to the text shown. ``title``, ``description`` and
    ``source``/``data`` go to :func:`course_lib.charts.finish`. Layout options are those of
    :func:`sankey_layout`; ``label_width`` is the room kept right of the last column for labels;
    ``footnotes`` are lines of text printed under the diagram (in the same chart, so a redraw
    stays one chart).

    Each band is one SVG path (drawn as a custom point symbol, in pixels), so the stored chart
    stays small; nodes are rectangles and labels text, all in pixel coordinates.

    >>> f = pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["x"], "value": [1.0], "unit": ["t"]})
    >>> spec = flow_diagram(f, title="One flow", description="a sends 1 t of x to b.", source="example").to_dict()
    >>> spec["layer"][0]["mark"]["type"], spec["layer"][0]["encoding"]["shape"]["field"], len(spec["datasets"])
    ('point', 'path', 3)
    """
    views = flows if isinstance(flows, dict) else {None: flows}
    if not views:
        raise ValueError("flows must be a flow table or a non-empty dict of them")
    if not isinstance(color, str):
        raise TypeError(f"color must be a column name (str), got {color!r}")
    if isinstance(label_width, bool) or not isinstance(label_width, numbers.Real) or label_width < 0:
        raise ValueError(f"label_width must be a number >= 0, got {label_width!r}")
    labels = dict(labels or {})
    band_rows, node_rows, texts = [], [], []
    domain = []
    for view, table in views.items():
        if isinstance(table, pd.DataFrame) and color not in table.columns:
            raise ValueError(f"color={color!r} is not a column of flows; columns are {list(table.columns)}")
        nodes, bands = sankey_layout(table, unit=unit, width=width, height=height, node_width=node_width,
                                     node_pad=node_pad, align=align, columns=columns, order=order, samples=2)
        shown_unit = bands.attrs["unit"]
        for source_node, target_node, material, value, key, path in zip(
                bands["source"], bands["target"], bands["material"], bands["value"], bands[color].astype(str), bands["path"]):
            if key not in domain:
                domain.append(key)
            band_rows.append({
                "view": view, "key": key, "from": labels.get(source_node, source_node),
                "to": labels.get(target_node, target_node), "material": material,
                "amount": f"{_format(value)} {shown_unit}", "path": path,
            })
        for row in nodes.itertuples():
            name = labels.get(row.node, row.node)
            node_rows.append({
                "view": view, "node": name, "x0": round(row.x0, 1), "x1": round(row.x1, 1), "y0": round(row.y0, 1),
                "y1": round(max(row.y1, row.y0 + 1), 1),  # at least a pixel, so tiny nodes stay visible
                "in": f"{_format(row.value_in)} {shown_unit}", "out": f"{_format(row.value_out)} {shown_unit}",
            })
            texts.append({"view": view, "x": round(row.x1 + 4, 1), "y": round((row.y0 + row.y1) / 2, 1),
                          "text": name, "amount": f"{_format(row.value)} {shown_unit}"})
    if colors is not None:
        unknown = [k for k in colors if k not in domain]
        if unknown:
            raise ValueError(f"colors names {unknown}, which are not values of flows[{color!r}]: {domain}")
    palette = [colors.get(k) if colors and k in colors else PALETTE[i % len(PALETTE)] for i, k in enumerate(domain)]
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
        alt.Color("key:N", title=color, scale=alt.Scale(domain=domain, range=palette),
                  legend=alt.Legend(orient="bottom", columns=4, symbolType="square")),
        alt.Tooltip(["from:N", "to:N", "material:N", "amount:N"]),
    )
    nodes_chart = alt.Chart(alt.NamedData(name=names["nodes"])).mark_rect(color="#333333").encode(
        alt.X("x0:Q", scale=None, axis=None), alt.X2("x1:Q"), alt.Y("y0:Q", scale=None, axis=None), alt.Y2("y1:Q"),
        alt.Tooltip(["node:N", "in:N", "out:N"]),
    )
    base = alt.Chart(alt.NamedData(name=names["labels"])).encode(pixel_x, pixel_y)
    text_layers = [
        base.mark_text(align="left", baseline="bottom", fontSize=13, fontWeight="bold").encode(alt.Text("text:N")),
        base.mark_text(align="left", baseline="top", fontSize=12, dy=1, color="#333").encode(alt.Text("amount:N")),
    ]
    footnotes = [str(line) for line in footnotes]
    line_height = 19
    if footnotes:
        for i, line in enumerate(footnotes):
            texts.append({"view": "__notes__", "x": 0.0, "y": height + 14 + i * line_height, "text": line, "amount": ""})
        text_layers.append(base.mark_text(align="left", baseline="top", fontSize=13).encode(alt.Text("text:N")))
    layers = [bands_chart, nodes_chart, *text_layers]
    view_names = list(views)
    if view_names != [None]:
        param = alt.param(name=view_name, value=view_names[0], bind=alt.binding_radio(options=view_names, name=f"{view_name}: "))
        layers = [layer.transform_filter(f"datum.view == {view_name}") for layer in layers[:4]] + [
            layer.transform_filter("datum.view == '__notes__'") for layer in layers[4:]]
        layers[0] = layers[0].add_params(param)
    if footnotes and view_names == [None]:
        layers = [layer.transform_filter("datum.view != '__notes__'") for layer in layers[:4]] + [
            layer.transform_filter("datum.view == '__notes__'") for layer in layers[4:]]
    total_height = height + (14 + line_height * len(footnotes) if footnotes else 0)
    chart = alt.layer(*layers).properties(width=width + label_width, height=total_height)
    chart = finish(chart, title=title, description=description, source=source, data=data)
    chart.datasets = {names["bands"]: band_rows, names["nodes"]: node_rows, names["labels"]: texts}
    return chart


def concat(*charts, direction: str = "vertical", title: str | None = None, description: str | None = None,
           source: str | None = None):
    """Concatenate charts that may carry named datasets (such as :func:`flow_diagram`'s).

    Vega-Lite allows datasets only at the top level, and Altair would deep-copy them while
    concatenating: they are lifted off (shallow copies of) the parts and attached to the result.
    With ``title`` (and ``description``, ``source``) the result goes through
    :func:`course_lib.charts.finish` first.
    """
    if direction not in ("vertical", "horizontal"):
        raise ValueError(f"direction={direction!r} must be 'vertical' or 'horizontal'")
    datasets, parts = {}, []
    for chart in charts:
        if not isinstance(chart, alt.TopLevelMixin):
            raise TypeError(f"charts must be Altair charts, got {type(chart).__name__}")
        if isinstance(getattr(chart, "datasets", alt.Undefined), dict):
            datasets.update(chart.datasets)
            chart = chart.copy(deep=False)
            chart.datasets = alt.Undefined
        parts.append(chart)
    combined = alt.vconcat(*parts) if direction == "vertical" else alt.hconcat(*parts)
    if title is not None:
        combined = finish(combined, title=title, description=description, source=source)
    if datasets:
        combined.datasets = datasets
    return combined
