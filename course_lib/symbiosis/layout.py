"""Where to draw each partner and each flow: the hub in the centre, rings around it (no random seed).

>>> from course_lib.symbiosis.park import kalundborg
>>> positions = layout(kalundborg()).set_index("id")
>>> positions.loc["asnaes", "ring"], positions.loc["gyproc", "ring"], positions.loc["farmers", "ring"]
('hub', 'inner', 'outer')
"""

from __future__ import annotations

import functools
import math

import networkx as nx
import pandas as pd

from .network import hub_ranking, to_graph
from .park import Park, _check_park, _partner_ids

__all__ = ["layout"]


def _circular_mean(angles: list[float]) -> float:
    return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))


@functools.lru_cache(maxsize=8)
def _layout(park: Park, hub: str | None) -> pd.DataFrame:
    graph = nx.Graph(to_graph(park, include_former=True))
    centre: str = hub or hub_ranking(park).iloc[0]["partner"]
    kinds = dict(zip(park.partners["id"], park.partners["kind"]))
    if (park.partners["kind"] == "core").any():
        inner = [p for p in park.partners["id"] if kinds[p] == "core" and p != centre]
    else:  # no 'core' column: partners linked to two or more others form the inner ring
        inner = [p for p in park.partners["id"] if p != centre and graph.degree(p) >= 2]
    outer = [p for p in park.partners["id"] if p != centre and p not in inner]
    pos: dict[str, tuple[float, float]] = {centre: (0.0, 0.0)}
    angle: dict[str, float] = {}
    for i, p in enumerate(inner):
        a = math.pi / 2 - 2 * math.pi * i / max(len(inner), 1)
        angle[p] = a
        pos[p] = (0.55 * math.cos(a), 0.55 * math.sin(a))
    # Outer partners sit near the inner partners they trade with; those linked only to the hub
    # fill the widest gaps. Then all are spread evenly in that order round the outer ring.
    anchors = {p: _circular_mean([angle[q] for q in graph.neighbors(p) if q in angle]) for p in outer
               if any(q in angle for q in graph.neighbors(p))}
    for p in outer:
        if p in anchors:
            continue
        taken = sorted(a % (2 * math.pi) for a in anchors.values()) or [math.pi / 2]
        gaps = [((taken[(i + 1) % len(taken)] - t) % (2 * math.pi) or 2 * math.pi, t) for i, t in enumerate(taken)]
        width, start = max(gaps)
        anchors[p] = start + width / 2
    order = sorted(outer, key=lambda p: (anchors[p] % (2 * math.pi), outer.index(p)))
    if order:
        step = 2 * math.pi / len(order)
        best = min((sum(abs(math.remainder(anchors[p] - (k + i * step), 2 * math.pi)) for i, p in enumerate(order)), k)
                   for k in [anchors[order[0]] + j * step / 8 for j in range(-8, 9)])[1]
        for i, p in enumerate(order):
            a = best + i * step
            pos[p] = (math.cos(a), math.sin(a))
    degree = dict(to_graph(park).degree())
    rows = []
    for p in park.partners.to_dict("records"):
        x, y = pos[p["id"]]
        ring = "hub" if p["id"] == centre else ("inner" if p["id"] in inner else "outer")
        r = math.hypot(x, y) or 1.0
        push = 0.07 if ring == "outer" else 0.0
        lx, ly = (x + push * x / r, y + push * y / r) if ring == "outer" else (x, y + 0.075)
        align = "center" if ring != "outer" or abs(lx) < 0.15 else ("left" if lx > 0 else "right")
        # Labels are drawn centred: shift side labels by half their width (about 0.0145 chart
        # units per character at the course's 12 px label font) so they start next to the node.
        if align != "center":
            lx += (1 if align == "left" else -1) * 0.0145 * len(str(p["label"]))
        rows.append({"id": p["id"], "label": p["label"], "name": p["name"], "kind": p["kind"], "ring": ring,
                     "x": round(x, 3), "y": round(y, 3), "label_x": round(lx, 3), "label_y": round(ly, 3),
                     "align": align, "exchanges": degree.get(p["id"], 0)})
    return pd.DataFrame(rows)


def layout(park: Park, *, hub: str | None = None) -> pd.DataFrame:
    """Node positions for drawing the park: the hub in the centre, core partners on an inner ring,
    the others on an outer ring next to the partners they trade with. Deterministic (no random seed).

    Without a ``kind`` of ``core`` in the partners file, the inner ring holds the partners linked to
    two or more others. Columns: id, label, kind, ring, x, y, label_x, label_y, align, exchanges.

    >>> from course_lib.symbiosis.park import kalundborg
    >>> positions = layout(kalundborg()).set_index("id")
    >>> positions.loc["asnaes", "ring"], positions.loc["asnaes", ["x", "y"]].astype(float).tolist()
    ('hub', [0.0, 0.0])
    """
    _check_park(park)
    if hub is not None:
        if not isinstance(hub, str):
            raise TypeError(f"hub must be one partner id (text), got {hub!r} of type {type(hub).__name__}")
        (hub,) = _partner_ids(park, hub, "hub")
    return _layout(park, hub).copy()


@functools.lru_cache(maxsize=8)
def _geometry(park: Park) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Edge and node tables for the network charts (cached: they do not depend on any control)."""
    nodes = _layout(park, None)
    pos = {r["id"]: (r["x"], r["y"]) for r in nodes.to_dict("records")}
    x = park.exchanges
    pair_count: dict[frozenset[str], int] = {}
    for s, t in zip(x["source"], x["target"]):
        pair_count[frozenset((s, t))] = pair_count.get(frozenset((s, t)), 0) + 1
    pair_seen: dict[frozenset[str], int] = {}
    rows = []
    for r in x.to_dict("records"):
        (x1, y1), (x2, y2) = pos[r["source"]], pos[r["target"]]
        pair = frozenset((r["source"], r["target"]))
        k, i = pair_count[pair], pair_seen.get(pair, 0)
        pair_seen[pair] = i + 1
        # Parallel flows between the same two partners are drawn side by side, 0.035 apart.
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        a, _ = sorted((r["source"], r["target"]))
        sign = 1 if r["source"] == a else -1  # the same side of the pair whichever way the flow goes
        off = (i - (k - 1) / 2) * 0.035 * sign
        ox, oy = -dy / length * off, dx / length * off
        t = 0.58  # arrowhead a little past the middle, pointing at the receiver
        rows.append({
            "id": r["id"], "source": r["source"], "target": r["target"],
            "from": park.label(r["source"]), "to": park.label(r["target"]),
            "material": r["material"], "category": r["category"], "status": r["status"],
            "quantity": r["quantity"] or "not printed", "value": None if pd.isna(r["value"]) else r["value"],
            "unit_label": r["unit_label"], "evidence": r["evidence"],
            "x": round(x1 + ox, 3), "y": round(y1 + oy, 3), "x2": round(x2 + ox, 3), "y2": round(y2 + oy, 3),
            "ax": round(x1 + ox + t * dx, 3), "ay": round(y1 + oy + t * dy, 3),
            "angle": round((-math.degrees(math.atan2(dy, dx))) % 360),
        })
    edges = pd.DataFrame(rows)
    neighbours: dict[str, set[str]] = {p: set() for p in nodes["id"]}
    suppliers: dict[str, set[str]] = {p: set() for p in nodes["id"]}
    for s, t in zip(x["source"], x["target"]):
        neighbours[s].add(t)
        neighbours[t].add(s)
        suppliers[t].add(s)
    nodes = nodes.assign(neighbours=["|" + "|".join(sorted(neighbours[p])) + "|" for p in nodes["id"]],
                         suppliers=["|" + "|".join(sorted(suppliers[p])) + "|" for p in nodes["id"]])
    return edges, nodes
