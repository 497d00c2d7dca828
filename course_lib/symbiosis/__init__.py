"""Industrial symbiosis as a network: load a park, check it, find its hub, ask what if a partner leaves.

An eco-industrial park is two tables, as in the field's flow tables:

* **partners** — one row per company, utility, receiver or resource: ``id`` and ``name`` (optional
  ``label`` for charts, ``kind`` such as ``core``/``outside``/``environment``, ``sector``, ...);
* **exchanges** — one row per flow: ``source`` gives ``material`` to ``target``; ``value`` and
  ``unit`` when a quantity is known (an empty value means "not known", never zero), optional
  ``period`` (``year`` makes the value a rate), ``category``, ``status`` (``active``/``former``),
  ``evidence`` and ``id``.

The same functions work on the Kalundborg park of the article (:func:`kalundborg`) and on any park
a student or instructor writes into two CSV files (:func:`read_park`, :func:`check_park`).

>>> park = kalundborg()
>>> len(park.partners), len(park.exchanges)
(24, 38)
>>> hub_ranking(park).iloc[0]["partner"]
'asnaes'
>>> result = what_if(park, "asnaes")
>>> len(result.lost), len(result.lost_supplies), result.quantities.loc[0, "quantity"]
(13, 10, '200,000 t/year')

Quantities are added only within one unit and period, through pint: tonnes are never added to
cubic metres, and a rate (t/year) never to an amount (m³).
"""

from __future__ import annotations

import copy
import csv
import difflib
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import ipywidgets as w
import networkx as nx
import pandas as pd
import pint

from .. import charts, data
from ..exercises import Question, register
from ..units import Q_, format_number, ureg
from ..widgets import Explorer, explorer

__all__ = [
    "PERIODS", "STATUSES", "PARTNER_COLUMNS", "EXCHANGE_COLUMNS", "Problem", "ParkError", "Park",
    "validate", "park_from_frames", "read_park", "check_park", "kalundborg", "outcomes", "history",
    "to_graph", "partner_flows", "partner_summary", "hub_ranking", "sum_by_unit", "totals_by_category",
    "WhatIf", "what_if", "layout", "network_chart", "what_if_chart", "profits_chart", "noveren_chart",
    "history_chart", "Panel", "partner_explorer", "what_if_explorer",
]

#: Periods a flow's value may be given per (empty: an amount, not a rate).
PERIODS = ("year", "month", "week", "day", "hour")
#: Allowed values of an exchange's ``status`` (empty means active).
STATUSES = ("active", "former")
#: Columns every partners file needs.
PARTNER_COLUMNS = ("id", "name")
#: Columns every exchanges file needs.
EXCHANGE_COLUMNS = ("source", "target", "material", "value", "unit")
_NONE = "(none)"
_ALL = "(all partners)"


# ---- Loading and checking a park ----------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a park file: where (file, spreadsheet row, column) and what."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ParkError(ValueError):
    """A park's files have problems; ``.problems`` lists them all, each with file, row and column."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(f"the park has {n} problem{'s' if n != 1 else ''} "
                         f"(rows are numbered as in a spreadsheet: the file's first line is row 1):\n{lines}")


def _text(value) -> str:
    """A cell as text: missing -> '', numbers without a spurious '.0'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(frame: pd.DataFrame, first_row: int) -> list[tuple[int, dict]]:
    """(spreadsheet row, {column: text}) for every row; a '_row' column overrides the numbering."""
    numbers = frame["_row"].tolist() if "_row" in frame.columns else range(first_row, first_row + len(frame))
    columns = [c for c in frame.columns if c != "_row"]
    return [(int(n), {c: _text(v) for c, v in zip(columns, values)})
            for n, values in zip(numbers, frame[columns].itertuples(index=False, name=None))]


def _suggest(value: str, known) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _unit_problem(unit: str) -> str | None:
    if unit.strip().lower() in ("ton", "tons"):
        # pint's ton is the US short ton (907 kg): a silent 9 % error for anyone meaning tonnes.
        return (f"{unit!r} is the US short ton (907 kg) in pint; write t or tonne for metric tonnes "
                "(or short_ton if you really mean 2,000 lb)")
    try:
        ureg.Unit(unit)
    except (pint.UndefinedUnitError, AttributeError, ValueError, TypeError, AssertionError, SyntaxError):
        return (f"{unit!r} is not a unit pint knows; write a unit such as t, kg, m**3, L, MWh or GJ "
                "(and put 'year' in the period column rather than '/yr' in the unit)")
    return None


def validate(partners: pd.DataFrame, exchanges: pd.DataFrame, *, partners_file: str = "partners",
             exchanges_file: str = "exchanges", first_row: int = 2) -> list[Problem]:
    """Every problem in a park's two tables, each naming the file, the row and the column.

    Rows count as in a spreadsheet: the header is row 1, so the first data row is ``first_row``
    (2) unless the frame has a ``_row`` column with the real row numbers (as :func:`read_park` gives).
    Checked: required columns, empty or duplicate ids, flows naming unknown partners or looping
    back to their source, values that are not numbers, negative or infinite, units pint does not
    know, values without a unit, unknown periods and statuses, duplicate exchange ids.

    >>> import pandas as pd
    >>> partners = pd.DataFrame({"id": ["mill", "farm"], "name": ["Saw mill", "Farm"]})
    >>> flows = pd.DataFrame({"source": ["mill"], "target": ["farn"], "material": ["sawdust"],
    ...                       "value": ["-3"], "unit": ["t"]})
    >>> for problem in validate(partners, flows):
    ...     print(problem)
    exchanges, row 2, column 'target': 'farn' is not a partner id in partners (did you mean 'farm'?)
    exchanges, row 2, column 'value': -3 is negative; a flow cannot be below zero
    """
    for argument, frame in (("partners", partners), ("exchanges", exchanges)):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{argument} must be a pandas DataFrame, got {type(frame).__name__}")
    problems: list[Problem] = []
    missing = False
    for frame, file, required in ((partners, partners_file, PARTNER_COLUMNS), (exchanges, exchanges_file, EXCHANGE_COLUMNS)):
        for column in required:
            if column not in frame.columns:
                missing = True
                problems.append(Problem(file, 1, column, f"required column is missing; the header must include {', '.join(required)}"))
    if missing:
        return problems

    ids: dict[str, int] = {}
    for row, cells in _rows(partners, first_row):
        pid = cells["id"]
        if not pid:
            problems.append(Problem(partners_file, row, "id", "empty id; give every partner a short unique id such as 'power_station'"))
        elif pid in ids:
            problems.append(Problem(partners_file, row, "id", f"duplicate id {pid!r} (first used in row {ids[pid]})"))
        else:
            ids[pid] = row
        if not cells["name"]:
            problems.append(Problem(partners_file, row, "name", "empty name"))
    if not ids and not problems:
        problems.append(Problem(partners_file, None, None, "no partners: add one row per partner below the header (rows starting with # are examples and are skipped)"))

    exchange_rows = _rows(exchanges, first_row)
    if not exchange_rows:
        problems.append(Problem(exchanges_file, None, None, "no exchanges: add one row per flow below the header (rows starting with # are examples and are skipped)"))
    seen: dict[str, int] = {}
    for row, cells in exchange_rows:
        def bad(column, message):
            problems.append(Problem(exchanges_file, row, column, message))

        for column in ("source", "target"):
            pid = cells[column]
            if not pid:
                bad(column, "empty; write the id of a partner from the partners file")
            elif pid not in ids:
                bad(column, f"{pid!r} is not a partner id in {partners_file}{_suggest(pid, ids)}")
        if cells["source"] and cells["source"] == cells["target"]:
            bad("target", f"a flow from {cells['source']!r} to itself is not an exchange; record recycling inside one partner elsewhere")
        if not cells["material"]:
            bad("material", "empty; say what flows (steam, gypsum, wastewater, ...)")
        value, unit = cells["value"], cells["unit"]
        if value:
            try:
                number = float(value)
            except ValueError:
                bad("value", f"{value!r} is not a number; write digits with a dot for decimals and no thousands separators "
                             "(leave the cell empty when the quantity is not known)")
            else:
                if not math.isfinite(number):
                    bad("value", f"{value!r} is not a finite number")
                elif number < 0:
                    bad("value", f"{value} is negative; a flow cannot be below zero")
            if not unit:
                bad("unit", f"the value {value} has no unit; write one such as t or m**3")
        if unit:
            message = _unit_problem(unit)
            if message:
                bad("unit", message)
        period = cells.get("period", "")
        if period and period not in PERIODS:
            bad("period", f"{period!r} is not a period; use one of {', '.join(PERIODS)} or leave it empty")
        status = cells.get("status", "")
        if status and status not in STATUSES:
            bad("status", f"{status!r} is not a status; use one of {', '.join(STATUSES)} or leave it empty (active)")
        eid = cells.get("id", "")
        if eid:
            if eid in seen:
                bad("id", f"duplicate exchange id {eid!r} (first used in row {seen[eid]})")
            else:
                seen[eid] = row
    return problems


def _unit_label(unit: str, period: str) -> str:
    """'t', 'year' -> 't/year'; 'm**3', '' -> 'm³'."""
    if not unit:
        return ""
    symbol = f"{ureg.Unit(unit):~P}"
    return f"{symbol}/{period}" if period else symbol


def _quantity_text(value: float, label: str) -> str:
    return "" if pd.isna(value) else f"{format_number(value)} {label}"


@dataclass(frozen=True, eq=False)
class Park:
    """A checked park: ``partners`` (one row per partner) and ``exchanges`` (one row per flow).

    Build one with :func:`read_park`, :func:`park_from_frames` or :func:`kalundborg`; the frames are
    clean (ids stripped, ``value`` a float, NaN where unknown, ``status`` filled, ``quantity`` a
    readable text). Treat them as read-only: the park caches its graph.
    """

    name: str
    partners: pd.DataFrame
    exchanges: pd.DataFrame
    files: tuple[str, str] = ("partners", "exchanges")

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The active exchanges as a networkx MultiDiGraph (see :func:`to_graph`)."""
        return to_graph(self)

    def label(self, partner: str) -> str:
        """The short label of partner id ``partner``."""
        return self._labels[partner]

    @functools.cached_property
    def _labels(self) -> dict[str, str]:
        return dict(zip(self.partners["id"], self.partners["label"]))

    def __repr__(self) -> str:
        return f"<Park {self.name!r}: {len(self.partners)} partners, {len(self.exchanges)} exchanges>"


def park_from_frames(partners: pd.DataFrame, exchanges: pd.DataFrame, *, name: str = "park",
                     partners_file: str = "partners", exchanges_file: str = "exchanges", first_row: int = 2) -> Park:
    """Check two tables with :func:`validate` and return a :class:`Park`; raise :class:`ParkError` if not valid.

    >>> import pandas as pd
    >>> park = park_from_frames(pd.DataFrame({"id": ["mill", "farm"], "name": ["Saw mill", "Farm"]}),
    ...     pd.DataFrame({"source": ["mill"], "target": ["farm"], "material": ["sawdust"], "value": [3], "unit": ["t"]}))
    >>> park.exchanges.loc[0, ["id", "quantity", "status"]].tolist()
    ['mill-farm-1', '3 t', 'active']
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    problems = validate(partners, exchanges, partners_file=partners_file, exchanges_file=exchanges_file, first_row=first_row)
    if problems:
        raise ParkError(problems)
    p = pd.DataFrame([cells for _, cells in _rows(partners, first_row)])
    p["label"] = p["label"].where(p["label"] != "", p["name"]) if "label" in p.columns else p["name"]
    if "kind" not in p.columns:
        p["kind"] = "partner"
    p["kind"] = p["kind"].replace("", "partner")
    x = pd.DataFrame([cells for _, cells in _rows(exchanges, first_row)])
    for column, default in (("id", ""), ("category", "unspecified"), ("period", ""), ("status", "active"), ("evidence", "")):
        if column not in x.columns:
            x[column] = default
    x["category"] = x["category"].replace("", "unspecified")
    x["status"] = x["status"].replace("", "active")
    # Exchanges without an id get 'source-target-n', unique because n counts per pair.
    counter: dict[tuple[str, str], int] = {}
    ids = []
    for eid, src, tgt in zip(x["id"], x["source"], x["target"]):
        counter[(src, tgt)] = counter.get((src, tgt), 0) + 1
        ids.append(eid or f"{src}-{tgt}-{counter[(src, tgt)]}")
    x["id"] = ids
    x["value"] = pd.to_numeric(x["value"].replace("", None), errors="raise").astype("float64")
    x["unit_label"] = [_unit_label(u, pe) for u, pe in zip(x["unit"], x["period"])]
    x["quantity"] = [_quantity_text(v, lab) for v, lab in zip(x["value"], x["unit_label"])]
    return Park(name=name.strip(), partners=p.reset_index(drop=True), exchanges=x.reset_index(drop=True),
                files=(partners_file, exchanges_file))


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV as text cells with their spreadsheet row numbers; '#' rows and blank rows skipped.

    Accepts comma- or semicolon-separated files (spreadsheets in many countries save with ';')
    and a UTF-8 byte-order mark (Excel adds one).
    """
    text = path.read_text(encoding="utf-8-sig")
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    header, records = None, []
    for cells in reader:
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            continue
        row = reader.line_num
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise ParkError([Problem(path.name, row, None, f"{len(cells)} cells but the header has {len(header)} columns "
                                                           "(a comma inside a text must be quoted: \"a, b\")")])
        cells = (cells + [""] * len(header))[: len(header)]
        records.append({"_row": row, **dict(zip(header, cells))})
    if header is None:
        raise ParkError([Problem(path.name, None, None, "the file is empty: it needs a header row")])
    return pd.DataFrame(records, columns=["_row", *header])


def _path(value, argument: str) -> Path:
    if not isinstance(value, (str, Path)):
        raise TypeError(f"{argument} must be a file path (str or Path), got {value!r} of type {type(value).__name__}")
    path = Path(value)
    if not path.is_file():
        raise FileNotFoundError(f"{argument}={str(value)!r}: no such file (working folder: {Path.cwd()})")
    return path


def read_park(partners_path, exchanges_path, *, name: str | None = None) -> Park:
    """Read a park from two CSV files and check it; :class:`ParkError` lists every problem found.

    Errors name the file, the row (numbered as a spreadsheet or a text editor shows it: the
    file's first line is row 1) and the column. Rows whose first cell starts with ``#`` are
    comments (the template's notes and examples) and are skipped.
    """
    partners_path, exchanges_path = _path(partners_path, "partners_path"), _path(exchanges_path, "exchanges_path")
    problems, frames = [], []
    for path in (partners_path, exchanges_path):
        try:
            frames.append(_read_csv(path))
        except ParkError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ParkError(problems)
    return park_from_frames(*frames, name=name or partners_path.parent.name or "park",
                            partners_file=partners_path.name, exchanges_file=exchanges_path.name)


def check_park(partners_path, exchanges_path) -> str:
    """A report on a park's CSV files, for people: what is wrong (file, row, column), or what it shows.

    Never raises for a problem in the files themselves, so an exercise cell always runs.
    """
    try:
        park = read_park(partners_path, exchanges_path)
    except (ParkError, FileNotFoundError) as exc:
        return f"❌ Not yet: {exc}"
    ranking = hub_ranking(park)
    hub = ranking.iloc[0]
    lines = [f"✅ The park reads cleanly: {len(park.partners)} partners, {len(park.exchanges)} exchanges "
             f"({int(park.exchanges['value'].notna().sum())} with a quantity).",
             f"Hub by number of exchanges: {hub['label']} ({hub['exchanges']} exchanges, betweenness {hub['betweenness']:.2f})."]
    result = what_if(park, hub["partner"])
    lines.append(f"If {hub['label']} closed: {result.sentence()}")
    return "\n".join(lines)


@functools.lru_cache(maxsize=1)
def _kalundborg_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    park = park_from_frames(data.load("kalundborg_partners"), data.load("kalundborg_exchanges"), name="Kalundborg",
                            partners_file="kalundborg_partners.csv", exchanges_file="kalundborg_exchanges.csv")
    return park.partners, park.exchanges


@functools.lru_cache(maxsize=1)
def kalundborg() -> Park:
    """The Kalundborg park of the seed article (datasets ``kalundborg_partners`` and ``kalundborg_exchanges``).

    The same object is returned each time (its graph and layout are cached): do not modify its
    frames; copy them first.
    """
    partners, exchanges = _kalundborg_frames()
    return Park("Kalundborg", partners, exchanges, ("kalundborg_partners.csv", "kalundborg_exchanges.csv"))


def outcomes() -> pd.DataFrame:
    """Dataset ``kalundborg_outcomes`` with a readable ``quantity`` column ('200,000 t/year').

    >>> table = outcomes()
    >>> table.set_index("id").loc["so2_avoided", "quantity"]
    '380 t/year'
    """
    table = data.load("kalundborg_outcomes")
    table["quantity"] = [_outcome_text(v, u, p) for v, u, p in zip(table["value"], table["unit"], table["period"].fillna(""))]
    return table


def _outcome_text(value: float, unit: str, period: str) -> str:
    if unit == "dimensionless":
        return format_number(value) + (f" per {period}" if period else "")
    if unit == "percent":
        return f"{format_number(value)} %"
    return f"{format_number(value)} {_unit_label(unit, period)}"


def history() -> pd.DataFrame:
    """Dataset ``kalundborg_history`` (what happened after 2005), oldest first, with grades."""
    return data.load("kalundborg_history").sort_values(["year", "id"]).reset_index(drop=True)


# ---- The network ---------------------------------------------------------------------------


def _check_park(park) -> Park:
    if not isinstance(park, Park):
        raise TypeError(f"park must be a Park (from kalundborg(), read_park or park_from_frames), got {type(park).__name__}")
    return park


def _flows(park: Park, include_former: bool) -> pd.DataFrame:
    if not isinstance(include_former, bool):
        raise TypeError(f"include_former must be True or False, got {include_former!r}")
    x = park.exchanges
    return x if include_former else x[x["status"] == "active"]


def to_graph(park: Park, *, include_former: bool = False) -> nx.MultiDiGraph:
    """The park as a networkx MultiDiGraph: a node per partner, an edge (key = exchange id) per flow.

    Former exchanges are left out unless ``include_former``. Node attributes: ``name``, ``label``,
    ``kind``; edge attributes: every exchange column.

    >>> g = to_graph(kalundborg())
    >>> g.number_of_nodes(), g.number_of_edges(), g.number_of_edges("asnaes", "statoil")
    (24, 36, 2)
    """
    _check_park(park)
    graph = nx.MultiDiGraph(name=park.name)
    for row in park.partners.to_dict("records"):
        graph.add_node(row["id"], **{k: v for k, v in row.items() if k != "id"})
    for row in _flows(park, include_former).to_dict("records"):
        graph.add_edge(row["source"], row["target"], key=row["id"], **row)
    return graph


def _partner_ids(park: Park, partners, argument: str = "partner") -> list[str]:
    """Partner ids from an id, a label or a name (or a list of them); unknown ones raise ValueError."""
    if isinstance(partners, str):
        partners = [partners]
    elif not isinstance(partners, (list, tuple, set, frozenset)):
        raise TypeError(f"{argument} must be a partner id or a list of them, got {partners!r} of type {type(partners).__name__}")
    lookup = {}
    for pid, label, name in zip(park.partners["id"], park.partners["label"], park.partners["name"]):
        for key in (pid, label, name):
            lookup.setdefault(str(key).lower(), pid)
    ids = []
    for item in partners:
        if not isinstance(item, str):
            raise TypeError(f"{argument} must contain partner ids (str), got {item!r}")
        pid = lookup.get(item.strip().lower())
        if pid is None:
            known = ", ".join(park.partners["id"])
            raise ValueError(f"{argument}={item!r} is not a partner of {park.name}{_suggest(item, park.partners['id'])}; "
                             f"known partners: {known}")
        if pid not in ids:
            ids.append(pid)
    return ids


def partner_flows(park: Park, partner: str, *, include_former: bool = False) -> pd.DataFrame:
    """Every flow of one partner, as seen from it: direction (gives/receives), the other partner, what, how much.

    >>> partner_flows(kalundborg(), "gyproc")[["direction", "other"]].values.tolist()
    [['receives', 'Asnæs Power Station'], ['receives', 'Kalundborg Municipality'], ['gives', 'Noveren']]
    """
    _check_park(park)
    (pid,) = _partner_ids(park, partner)
    x = _flows(park, include_former)
    rows = []
    for direction, mine, other in (("receives", "target", "source"), ("gives", "source", "target")):
        part = x[x[mine] == pid]
        for r in part.to_dict("records"):
            rows.append({"direction": direction, "other": park.label(r[other]), "material": r["material"],
                         "category": r["category"], "quantity": r["quantity"], "status": r["status"],
                         "evidence": r["evidence"], "id": r["id"]})
    return pd.DataFrame(rows, columns=["direction", "other", "material", "category", "quantity", "status", "evidence", "id"])


def partner_summary(park: Park, *, include_former: bool = False) -> pd.DataFrame:
    """Per partner: how many flows it gives and receives, to how many partners, and which materials.

    ``outputs_reused`` counts the distinct materials the partner gives that another partner uses:
    its by-products (and utilities) that found a use.

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
    return frame.sort_values(["_total", "gives", "partner"], ascending=[False, False, True]).drop(columns="_total").reset_index(drop=True)


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

    >>> ranking = hub_ranking(kalundborg())
    >>> ranking[["partner", "supplies", "exchanges"]].head(2).values.tolist()
    [['asnaes', 10, 13], ['noveren', 8, 15]]
    """
    _check_park(park)
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


def sum_by_unit(flows: pd.DataFrame) -> pd.DataFrame:
    """Add up the known quantities of some flows, one total per unit and period (with pint).

    Flows are grouped by physical dimension and period, so tonnes never join cubic metres and a
    yearly rate never joins a one-off amount; within a group pint converts each value to the group's
    first unit (kg and t add up correctly). Flows without a value are counted in ``unquantified``.

    >>> import pandas as pd
    >>> flows = pd.DataFrame({"value": [2.0, 500.0, 3.0, None], "unit": ["t", "kg", "m**3", "t"],
    ...                       "period": ["year", "year", "year", "year"]})
    >>> sum_by_unit(flows)[["quantity", "total", "flows"]].values.tolist()
    [['2.5 t/year', 2.5, 2], ['3 m³/year', 3.0, 1]]
    """
    if not isinstance(flows, pd.DataFrame):
        raise TypeError(f"flows must be a DataFrame of exchanges, got {type(flows).__name__}")
    for column in ("value", "unit"):
        if column not in flows.columns:
            raise ValueError(f"flows has no column {column!r}; its columns are {list(flows.columns)}")
    periods = flows["period"].fillna("") if "period" in flows.columns else pd.Series("", index=flows.index)
    groups: dict[tuple, dict] = {}
    for value, unit, period in zip(flows["value"], flows["unit"], periods):
        if pd.isna(value):
            continue
        q = Q_(float(value), unit)
        key = (str(q.dimensionality), period)
        group = groups.setdefault(key, {"unit": unit, "period": period, "total": Q_(0.0, unit), "flows": 0})
        group["total"] = group["total"] + q.to(group["unit"])  # pint refuses to add different dimensions
        group["flows"] += 1
    rows = [{"unit": g["unit"], "period": g["period"], "unit_label": _unit_label(g["unit"], g["period"]),
             "total": g["total"].magnitude, "flows": g["flows"]} for g in groups.values()]
    frame = pd.DataFrame(rows, columns=["unit", "period", "unit_label", "total", "flows"])
    frame.insert(0, "quantity", [f"{format_number(t)} {lab}" for t, lab in zip(frame["total"], frame["unit_label"])])
    frame.attrs["unquantified"] = int(flows["value"].isna().sum())
    return frame


def totals_by_category(park: Park, *, include_former: bool = False) -> pd.DataFrame:
    """Per category of flow: how many flows, how many with a quantity, and the total per unit.

    One column per unit (such as ``t/year``, ``m³``); a total covers only the flows with a printed
    quantity, so read it next to ``quantified``.

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
    frame = pd.DataFrame(rows).sort_values(["flows", "category"], ascending=[False, True]).reset_index(drop=True)
    return frame


# ---- What if a partner leaves? -------------------------------------------------------------


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
            return "nothing is closed, nothing is lost."
        n_unq = int(self.lost["value"].isna().sum())
        amounts = "; ".join(self.quantities["quantity"]) or "none printed"
        def n(count, one, many):
            return f"{count} {one if count == 1 else many}"

        return (f"{n(len(self.lost), 'exchange is', 'exchanges are')} lost, "
                f"{n(len(self.lost_supplies), 'remaining partner loses', 'remaining partners lose')} a supply, "
                f"{n(len(self.new_waste), 'output of another partner loses', 'outputs of other partners lose')} its user; "
                f"known quantities lost: {amounts} (plus {n(n_unq, 'flow', 'flows')} with no printed quantity).")

    def __str__(self) -> str:
        names = ", ".join(self.park.label(p) for p in self.removed) or "nobody"
        lines = [f"Close {names}: {self.sentence()}"]
        for r in self.lost_supplies.to_dict("records"):
            lines.append(f"  - {r['label']}: loses {r['materials']}")
        for r in self.new_waste.to_dict("records"):
            lines.append(f"  - {r['label']}: must find a new user for its {r['material']}" + (f" ({r['quantity']})" if r["quantity"] else ""))
        for r in self.unused_resources.to_dict("records"):
            lines.append(f"  - {r['label']}: {r['material']} no longer drawn")
        if self.cut_off:
            lines.append("  Left with no exchange at all: " + ", ".join(self.park.label(p) for p in self.cut_off))
        return "\n".join(lines)


def what_if(park: Park, remove, *, include_former: bool = False) -> WhatIf:
    """What is lost if partner(s) ``remove`` (ids, labels or names) close.

    >>> result = what_if(kalundborg(), "gyproc")
    >>> result.new_waste[["label", "quantity"]].values.tolist()
    [['Asnæs Power Station', '200,000 t/year'], ['Kalundborg Municipality', '']]
    """
    _check_park(park)
    removed = _partner_ids(park, remove, "remove")
    x = _flows(park, include_former)
    touches = x["source"].isin(removed) | x["target"].isin(removed)
    lost = x[touches]
    gone_inputs = lost[~lost["target"].isin(removed)]
    supplies = [{"partner": t, "label": park.label(t), "flows": len(part),
                 "materials": "; ".join(f"{m} from {park.label(s)}" for m, s in zip(part["material"], part["source"]))}
                for t, part in gone_inputs.groupby("target", sort=False)]
    orphaned = lost[~lost["source"].isin(removed)]
    kinds = dict(zip(park.partners["id"], park.partners["kind"]))
    natural = orphaned["source"].map(kinds) == "environment"

    def table(part):
        return pd.DataFrame({"partner": part["source"], "label": [park.label(s) for s in part["source"]],
                             "material": part["material"], "quantity": part["quantity"],
                             "to": [park.label(t) for t in part["target"]], "id": part["id"]}).reset_index(drop=True)

    waste, resources = table(orphaned[~natural]), table(orphaned[natural])
    remaining = x[~touches]
    linked = set(remaining["source"]) | set(remaining["target"])
    before = set(x["source"]) | set(x["target"])
    cut_off = tuple(p for p in park.partners["id"] if p in before and p not in linked and p not in removed)
    return WhatIf(park=park, removed=tuple(removed), lost=lost.reset_index(drop=True),
                  lost_supplies=pd.DataFrame(supplies, columns=["partner", "label", "flows", "materials"]),
                  new_waste=waste, quantities=sum_by_unit(lost), unused_resources=resources, cut_off=cut_off)


# ---- Layout and charts ---------------------------------------------------------------------


def _circular_mean(angles: list[float]) -> float:
    return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))


@functools.lru_cache(maxsize=8)
def _layout(park: Park, hub: str | None) -> pd.DataFrame:
    graph = nx.Graph(to_graph(park, include_former=True))
    ranking = hub_ranking(park)
    hub = hub or ranking.iloc[0]["partner"]
    kinds = dict(zip(park.partners["id"], park.partners["kind"]))
    if (park.partners["kind"] == "core").any():
        inner = [p for p in park.partners["id"] if kinds[p] == "core" and p != hub]
    else:  # no 'core' column: partners linked to two or more others form the inner ring
        inner = [p for p in park.partners["id"] if p != hub and graph.degree(p) >= 2]
    outer = [p for p in park.partners["id"] if p != hub and p not in inner]
    pos, angle = {hub: (0.0, 0.0)}, {}
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
        ring = "hub" if p["id"] == hub else ("inner" if p["id"] in inner else "outer")
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

    >>> positions = layout(kalundborg()).set_index("id")
    >>> positions.loc["asnaes", "ring"], positions.loc["asnaes", ["x", "y"]].astype(float).tolist()
    ('hub', [0.0, 0.0])
    """
    _check_park(park)
    if hub is not None:
        (hub,) = _partner_ids(park, hub, "hub")
    return _layout(park, hub).copy()


_CATEGORY_COLOURS = {"energy": charts.PALETTE[5], "water": charts.PALETTE[0], "wastewater": charts.PALETTE[4],
                     "by-product": charts.PALETTE[2], "waste": charts.PALETTE[1]}
_KIND_COLOURS = {"core": "#333333", "outside": "#999999", "environment": charts.PALETTE[0]}


@functools.lru_cache(maxsize=8)
def _geometry(park: Park) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Edge and node tables for the network charts (cached: they do not depend on any control)."""
    nodes = _layout(park, None)
    pos = {r["id"]: (r["x"], r["y"]) for r in nodes.to_dict("records")}
    x = park.exchanges
    rows = []
    pair_count: dict[frozenset, int] = {}
    for r in x.to_dict("records"):
        pair_count[frozenset((r["source"], r["target"]))] = pair_count.get(frozenset((r["source"], r["target"])), 0) + 1
    pair_seen: dict[frozenset, int] = {}
    for r in x.to_dict("records"):
        (x1, y1), (x2, y2) = pos[r["source"]], pos[r["target"]]
        pair = frozenset((r["source"], r["target"]))
        k, i = pair_count[pair], pair_seen.get(pair, 0)
        pair_seen[pair] = i + 1
        # Parallel flows between the same two partners are drawn side by side, 0.035 apart.
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        a, b = sorted((r["source"], r["target"]))
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
    neighbours = {p: set() for p in nodes["id"]}
    suppliers = {p: set() for p in nodes["id"]}
    for s, t in zip(x["source"], x["target"]):
        neighbours[s].add(t)
        neighbours[t].add(s)
        suppliers[t].add(s)
    nodes = nodes.assign(neighbours=["|" + "|".join(sorted(neighbours[p])) + "|" for p in nodes["id"]],
                         suppliers=["|" + "|".join(sorted(suppliers[p])) + "|" for p in nodes["id"]])
    return edges, nodes


_SCALE = alt.Scale(domain=[-1.4, 1.4], nice=False)


# Columns the network charts need (the rest of the geometry stays out of the saved notebook).
_EDGE_COLUMNS = ["source", "target", "from", "to", "material", "category", "status", "quantity",
                 "x", "y", "x2", "y2", "ax", "ay", "angle"]
_NODE_COLUMNS = ["id", "label", "name", "kind", "x", "y", "label_x", "label_y", "exchanges"]


def _axes():
    return alt.X("x:Q", axis=None, scale=_SCALE), alt.Y("y:Q", axis=None, scale=_SCALE)


def _category_colour(park: Park, title: str = "flow category"):
    categories = list(dict.fromkeys(park.exchanges["category"]))
    palette = [_CATEGORY_COLOURS.get(c, charts.PALETTE[(i + 3) % len(charts.PALETTE)]) for i, c in enumerate(categories)]
    return alt.Color("category:N", scale=alt.Scale(domain=categories, range=palette), title=title,
                     legend=alt.Legend(orient="bottom", columns=5))


_EDGE_TOOLTIP = [alt.Tooltip("from:N", title="from"), alt.Tooltip("to:N", title="to"), alt.Tooltip("material:N"),
                 alt.Tooltip("quantity:N"), alt.Tooltip("status:N"), alt.Tooltip("evidence:N", title="the article says")]


def _no_legend(channel):
    """The same colour encoding without a legend (the lines already carry it)."""
    if isinstance(channel, alt.Color):
        return alt.Color(channel.shorthand, scale=channel["scale"], title=channel["title"], legend=None)
    return channel


def _network(park: Park, edges: pd.DataFrame, nodes: pd.DataFrame, *, edge_colour, edge_opacity, edge_width,
             node_opacity, node_stroke=None, tooltip: bool = True):
    x, y = _axes()
    # Tooltips only for the columns the (trimmed) data carries.
    edge_tooltip = [t for t in _EDGE_TOOLTIP if t.to_dict()["field"] in edges.columns] if tooltip else alt.Undefined
    base = alt.Chart(edges)
    lines = base.mark_rule().encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q", color=edge_colour, opacity=edge_opacity, strokeWidth=edge_width,
        strokeDash=alt.StrokeDash("status:N", scale=alt.Scale(domain=["active", "former"], range=[[1, 0], [5, 4]]),
                                  legend=alt.Legend(orient="bottom", title="status")),
        tooltip=edge_tooltip)
    arrows = base.mark_point(shape="triangle-right", filled=True, size=110).encode(
        x=alt.X("ax:Q", axis=None, scale=_SCALE), y=alt.Y("ay:Q", axis=None, scale=_SCALE),
        angle=alt.Angle("angle:Q", scale=None), color=_no_legend(edge_colour), opacity=edge_opacity, tooltip=edge_tooltip)
    node_base = alt.Chart(nodes)
    node_tooltip = ([alt.Tooltip("name:N", title="partner"), alt.Tooltip("kind:N"), alt.Tooltip("exchanges:Q", title="active exchanges")]
                    if tooltip else alt.Undefined)
    circles = node_base.mark_circle(stroke="white", strokeWidth=1.5).encode(
        x=x, y=y, size=alt.Size("exchanges:Q", scale=alt.Scale(range=[120, 1100]), legend=None),
        color=alt.Color("kind:N", scale=alt.Scale(domain=list(_KIND_COLOURS), range=list(_KIND_COLOURS.values())),
                        legend=alt.Legend(orient="bottom", title="partner")),
        opacity=node_opacity, tooltip=node_tooltip)
    layers = [lines, arrows, circles]
    if node_stroke is not None:
        layers.append(node_base.mark_circle(filled=False, size=1400, strokeWidth=3).encode(x=x, y=y, **node_stroke))
    label = dict(x=alt.X("label_x:Q", axis=None, scale=_SCALE), y=alt.Y("label_y:Q", axis=None, scale=_SCALE),
                 text="label:N", opacity=node_opacity)
    # A white halo under each label keeps it readable where arrows cross it.
    layers.append(node_base.mark_text(baseline="middle", fontSize=12, stroke="white", strokeWidth=4,
                                      strokeJoin="round").encode(**label))
    layers.append(node_base.mark_text(baseline="middle", fontSize=12).encode(**label))
    return alt.layer(*layers).properties(width=620, height=620).resolve_scale(color="independent")


def _partner_menu(park: Park, name: str, first: str, chosen: str | None, argument: str, label: str):
    """A Vega-Lite menu of the park's partners (plus a ``first`` entry such as "(none)"), kernel-free."""
    value = first if chosen is None else _partner_ids(park, chosen, argument)[0]
    return alt.param(name=name, value=value, bind=alt.binding_select(
        options=[first] + list(park.partners["id"]), labels=[first] + list(park.partners["label"]), name=label))


def network_chart(park: Park, *, highlight: str | None = None, evidence: bool = True):
    """The park as a network: partners as circles (size = number of exchanges), flows as arrows
    coloured by category, dashed when former. Hover a flow for material, quantity and the sentence
    of evidence. A menu under the chart highlights one partner's flows; it works without a kernel.

    ``highlight`` preselects a partner in the menu; ``evidence=False`` leaves the sentences out of
    the tooltips (a lighter chart).
    """
    _check_park(park)
    if not isinstance(evidence, bool):
        raise TypeError(f"evidence must be True or False, got {evidence!r}")
    partner = _partner_menu(park, "partner", _ALL, highlight, "highlight", "Highlight a partner: ")
    edges, nodes = _geometry(park)
    edges = edges[_EDGE_COLUMNS + (["evidence"] if evidence else [])]
    nodes = nodes[_NODE_COLUMNS + ["neighbours"]]
    mine = f"partner == '{_ALL}' || datum.source == partner || datum.target == partner"
    near = f"partner == '{_ALL}' || datum.id == partner || indexof(datum.neighbours, '|' + partner + '|') >= 0"
    chart = _network(
        park, edges, nodes, edge_colour=_category_colour(park),
        edge_opacity=alt.condition(mine, alt.value(0.85), alt.value(0.08)),
        edge_width=alt.condition(f"partner != '{_ALL}' && ({mine})", alt.value(3.5), alt.value(2)),
        node_opacity=alt.condition(near, alt.value(1.0), alt.value(0.2))).add_params(partner)
    n_quant = int(park.exchanges["value"].notna().sum())
    return charts.finish(
        chart, title=f"{park.name}: who gives what to whom",
        description=(f"Network of {len(park.partners)} partners and {len(park.exchanges)} exchanges "
                     f"({n_quant} with a printed quantity). The hub, {park.label(hub_ranking(park).iloc[0]['partner'])}, "
                     "is in the centre, the core partners on the inner ring, outside receivers and resources on the outer ring. "
                     "Arrows point from giver to receiver, coloured by category; dashed arrows are former exchanges."),
        source=_park_source(park))


def _park_source(park: Park) -> str:
    if park is kalundborg():
        return "Wong-Swanson (2005), section B (from www.symbiosis.dk); course datasets kalundborg_partners, kalundborg_exchanges"
    return f"park files {park.files[0]} and {park.files[1]}"


def what_if_chart(park: Park, *, close: str | None = None):
    """What-if without a kernel: pick a partner to close in the menu; its flows turn red, partners
    that lose a supply are ringed, and the panel on the right counts the lost flows per category
    and adds up the lost quantities per unit (never across units).

    ``close`` preselects a partner.
    """
    _check_park(park)
    closed = _partner_menu(park, "closed", _NONE, close, "close", "Close a partner: ")
    edges, nodes = _geometry(park)
    # Tooltips: material and quantity only (the network chart above has the sentences); keeps the saved notebook small.
    edges = edges.loc[edges["status"] == "active", ["source", "target", "material", "category", "status", "quantity",
                                                     "x", "y", "x2", "y2", "ax", "ay", "angle", "value", "unit_label"]]
    nodes = nodes[_NODE_COLUMNS + ["suppliers"]]
    lost = "datum.source == closed || datum.target == closed"
    network = _network(
        park, edges, nodes,
        edge_colour=alt.condition(lost, alt.value("#D55E00"), alt.value("#9a9a9a")),
        edge_opacity=alt.condition(f"closed == '{_NONE}' || ({lost})", alt.value(0.9), alt.value(0.25)),
        edge_width=alt.condition(lost, alt.value(3.5), alt.value(1.5)),
        node_opacity=alt.condition("datum.id == closed", alt.value(0.15), alt.value(1.0)),
        node_stroke={"stroke": alt.condition("indexof(datum.suppliers, '|' + closed + '|') >= 0",
                                             alt.value("#D55E00"), alt.value("transparent"))},
    ).properties(width=520, height=520).add_params(closed)
    lost_flows = alt.Chart(edges).transform_filter(lost)
    bars = lost_flows.mark_bar(color="#D55E00").encode(
        y=alt.Y("category:N", title=None, sort="-x"),
        x=alt.X("count():Q", title="exchanges lost", axis=alt.Axis(tickMinStep=1, format="d")),
    ).properties(width=220, height=150, title="Exchanges lost, by category")
    amounts = lost_flows.transform_filter("isValid(datum.value)").transform_aggregate(
        total="sum(value)", flows="count()", groupby=["unit_label"]
    ).transform_calculate(text="format(datum.total, ',') + ' ' + datum.unit_label").mark_text(align="left", fontSize=15).encode(
        y=alt.Y("unit_label:N", axis=None), text="text:N",
    ).properties(width=220, height=60, title="Known quantities lost (per unit)")
    unquantified = lost_flows.transform_filter("!isValid(datum.value)").transform_aggregate(n="count()").transform_calculate(
        text="'+ ' + datum.n + ' flows with no printed quantity'").mark_text(align="left", fontSize=13).encode(text="text:N").properties(
        width=220, height=30)
    chart = alt.hconcat(network, alt.vconcat(bars, amounts, unquantified)).resolve_scale(color="independent")
    return charts.finish(
        chart, title=f"{park.name}: what if one partner closes?",
        description=("Pick a partner in the menu to close it. Its exchanges turn red, partners that lose a supply get a red ring, "
                     "and the panel counts the exchanges lost per category and adds up the known quantities lost, one line per unit. "
                     "First-order effects only."),
        source=_park_source(park))


class VegaLite:
    """A finished chart stored as its Vega-Lite spec (a dict): shows like an Altair chart, offline.

    Explorers use it to redraw fast: the spec is built once with Altair and
    :func:`course_lib.charts.finish`, and each update only changes parameter values in a copy.
    """

    def __init__(self, spec: dict):
        if not isinstance(spec, dict) or "/vega-lite/v5" not in spec.get("$schema", ""):
            raise TypeError("spec must be a Vega-Lite v5 spec (a dict from chart.to_dict())")
        self.spec = spec

    def to_dict(self) -> dict:
        """The spec (a deep copy)."""
        return copy.deepcopy(self.spec)

    def params(self) -> dict:
        """Every parameter of the spec, by name, with its value."""
        found = {}

        def walk(node):
            if isinstance(node, dict):
                for param in node.get("params", []) or []:
                    if isinstance(param, dict) and "name" in param:
                        found[param["name"]] = param.get("value")
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.spec)
        return found

    def with_params(self, title: str | None = None, **values) -> "VegaLite":
        """A copy with parameter values (and optionally the title text) replaced."""
        spec = {k: v for k, v in self.spec.items() if k != "datasets"}  # data is shared, never changed
        spec = copy.deepcopy(spec)
        spec["datasets"] = self.spec.get("datasets", {})
        pending = dict(values)

        def walk(node):
            if isinstance(node, dict):
                for param in node.get("params", []) or []:
                    if isinstance(param, dict) and param.get("name") in values:
                        param["value"] = values[param["name"]]
                        pending.pop(param["name"], None)
                for key, value in node.items():
                    if key != "datasets":
                        walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(spec)
        if pending:
            raise ValueError(f"the chart has no parameter(s) {sorted(pending)}; it has {sorted(self.params())}")
        if title is not None:
            spec["title"] = {**spec.get("title", {}), "text": title}
        return VegaLite(spec)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"application/vnd.vegalite.v5+json": self.spec, "text/plain": f"<chart: {self.spec.get('title', {}).get('text', '')}>"}


@functools.lru_cache(maxsize=8)
def _closed_spec(park: Park) -> VegaLite:
    """The network with partners closed by two parameters (lists of ids), built once per park."""
    edges, nodes = _geometry(park)
    # No tooltips here: the explorer's table next to the chart lists every lost flow with its sentence,
    # and a saved notebook stores this chart in its widget state, so it is kept small.
    edges = edges.loc[edges["status"] == "active", ["source", "target", "x", "y", "x2", "y2", "ax", "ay", "angle", "status"]]
    nodes = nodes[["id", "label", "kind", "x", "y", "label_x", "label_y", "exchanges"]]
    lost = "indexof(closed, datum.source) >= 0 || indexof(closed, datum.target) >= 0"
    chart = _network(
        park, edges, nodes,
        edge_colour=alt.condition(lost, alt.value("#D55E00"), alt.value("#9a9a9a")),
        edge_opacity=alt.condition(lost, alt.value(0.9), alt.value(0.35)),
        edge_width=alt.condition(lost, alt.value(3.5), alt.value(1.5)),
        node_opacity=alt.condition("indexof(closed, datum.id) >= 0", alt.value(0.15), alt.value(1.0)),
        node_stroke={"stroke": alt.condition("indexof(hit, datum.id) >= 0", alt.value("#D55E00"), alt.value("transparent"))},
        tooltip=False,
    ).properties(width=520, height=520).add_params(alt.param(name="closed", value=[]), alt.param(name="hit", value=[]))
    chart = charts.finish(chart, title="Closed: nobody",
                          description="The park's network; exchanges lost by the closed partners are red, partners that lose "
                                      "a supply are ringed in red, closed partners are faded.",
                          source=_park_source(park))
    return VegaLite(chart.to_dict())


def _removed_chart(park: Park, removed: tuple[str, ...]) -> VegaLite:
    """Network with several partners closed (for the kernel-side explorer): a fast copy of one spec."""
    x = park.exchanges[park.exchanges["status"] == "active"]
    hit = sorted(set(x.loc[x["source"].isin(removed), "target"]) - set(removed))
    names = ", ".join(park.label(p) for p in removed) or "nobody"
    return _closed_spec(park).with_params(title=f"Closed: {names}", closed=list(removed), hit=hit)


_OUTCOMES_SOURCE = "Wong-Swanson (2005), section B, 'The Profits' (from www.symbiosis.dk); course dataset kalundborg_outcomes"


def _bars(frame: pd.DataFrame, title: str, unit_label: str, colour: str):
    base = alt.Chart(frame).encode(
        y=alt.Y("indicator:N", title=None, sort="-x", axis=alt.Axis(labelLimit=300)),
        x=alt.X("value:Q", title=unit_label, axis=alt.Axis(format="~s", tickCount=4)),
        tooltip=[alt.Tooltip("indicator:N"), alt.Tooltip("quantity:N"), alt.Tooltip("evidence:N", title="the article says")],
    )
    bars = base.mark_bar(color=colour)
    text = base.mark_text(align="left", dx=4).encode(text="quantity:N")
    return alt.layer(bars, text).properties(width=300, height=alt.Step(26), title=title)


def profits_chart(table: pd.DataFrame | None = None):
    """'The Profits' of the article as bars, one panel per unit (water, mass, area, shares).

    ``table`` defaults to :func:`outcomes`; Noveren's waste breakdown has its own chart
    (:func:`noveren_chart`).
    """
    table = outcomes() if table is None else table
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be the outcomes DataFrame, got {type(table).__name__}")
    p = table[(table["section"] == "The Profits") & (table["kind"] != "waste received")].copy()
    p["unit_label"] = [_outcome_text(1, u, pe).split(" ", 1)[1] if u != "dimensionless" else "count"
                       for u, pe in zip(p["unit"], p["period"].fillna(""))]
    words = {"m³/year": "Water saved each year", "t/year": "Tonnes a year: oil and SO2 saved, ash and gypsum used",
             "ha": "Farmland where NovoGro replaces lime and fertilizer", "%": "Cut in overall water consumption"}
    order = {label: i for i, label in enumerate(words)}
    panels = []
    groups = sorted(p.groupby("unit_label", sort=False), key=lambda g: order.get(g[0], len(order)))
    for i, (unit_label, part) in enumerate(groups):
        panels.append(_bars(part, words.get(unit_label, unit_label), unit_label, charts.PALETTE[i % 4]))
    chart = alt.vconcat(*panels).resolve_scale(x="independent")
    return charts.finish(
        chart, title="The Profits of the Kalundborg symbiosis, as printed",
        description=("Bars of every figure in the article's 'The Profits', one panel per unit so that tonnes, cubic metres, "
                     "hectares and percentages are never on one axis: water saved (1.9 million m³ of ground water and 1 million m³ "
                     "of surface water a year), tonnes a year (gypsum 200,000, ash 80,000, oil 20,000, SO2 380), 20,000 hectares "
                     "of farmland on NovoGro, and a 25 % cut in water consumption."),
        source=_OUTCOMES_SOURCE)


def noveren_chart(table: pd.DataFrame | None = None):
    """Noveren's yearly waste intake by material (tonnes a year), with the total."""
    table = outcomes() if table is None else table
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be the outcomes DataFrame, got {type(table).__name__}")
    part = table[table["kind"] == "waste received"]
    total = sum_by_unit(part.assign(period=part["period"].fillna("")))
    return charts.finish(
        _bars(part, "", "tonnes a year", charts.PALETTE[1]).properties(width=420),
        title=f"Waste Noveren receives each year: {total.loc[0, 'quantity']} in six streams",
        description="Horizontal bars, tonnes a year: garden and park refuse 15,000; newspaper and cardboard 13,000; "
                    "rubble and concrete 7,000; bio waste 4,000; iron and metal 4,000; glass and bottles 1,800.",
        source=_OUTCOMES_SOURCE + " ('Other Waste')")


def history_chart(table: pd.DataFrame | None = None):
    """A timeline of what happened after the article, one row per fact, coloured by its grade."""
    table = history() if table is None else table
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be the history DataFrame, got {type(table).__name__}")
    frame = table.assign(
        line=[f"{d}: {e}" + (f" ({format_number(v)} {u if u != 'dimensionless' else ''})".replace(" )", ")") if pd.notna(v) else "")
              for d, e, v, u in zip(table["date"], table["event"], table["value"], table["unit"].fillna(""))])
    chart = alt.Chart(frame).mark_point(filled=True, size=160).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(domain=[1955, 2030])),
        y=alt.Y("line:N", title=None, sort=alt.EncodingSortField("year"), axis=alt.Axis(labelLimit=620, labelFontSize=12)),
        color=alt.Color("grade:N", scale=alt.Scale(domain=["A", "B"], range=[charts.PALETTE[0], charts.PALETTE[1]]),
                        legend=alt.Legend(title="grade", orient="bottom")),
        tooltip=[alt.Tooltip("date:N"), alt.Tooltip("event:N"), alt.Tooltip("grade:N"), alt.Tooltip("source:N"), alt.Tooltip("caveat:N")],
    ).properties(width=260, height=alt.Step(24))
    return charts.finish(
        chart, title="Kalundborg after the article: what happened next",
        description="Dated events from 1961 to 2024, oldest first: refinery built 1961, Statoil owner from 1986, 2017 agreement to "
                    "convert Asnæs from coal to wood chips (grade B: reported), 2018 company figures and a biogas plant, refinery "
                    "sold to Klesch Group at the end of 2021, Novozymes part of Novonesis by 2024. Grade A facts were read in the "
                    "source, grade B only in secondary copies. Hover a point for the source.",
        source="course dataset kalundborg_history (Equinor 2021; Novozymes 2018; symbiosis.dk 2024; secondary reports 2017)")


# ---- Explorers -----------------------------------------------------------------------------


class Panel:
    """What an explorer shows: a sentence, a table and a chart, displayed one under the other."""

    def __init__(self, text: str = "", table: pd.DataFrame | None = None, chart=None):
        self.text, self.table, self.chart = text, table, chart

    def _ipython_display_(self):
        from IPython.display import Markdown, display

        if self.text:
            display(Markdown(self.text))
        if self.table is not None:
            display(self.table)
        if self.chart is not None:
            display(self.chart)

    def __repr__(self) -> str:
        return self.text


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
    (partner,) = _partner_ids(park, partner)
    summary = partner_summary(park).set_index("partner")

    def update(partner):
        s = summary.loc[partner]
        text = (f"**{park.label(partner)}** gives {s['gives']} and receives {s['receives']} active flows, "
                f"linking it to {s['partners_linked']} partners.")
        return Panel(text, partner_flows(park, partner, include_former=True).drop(columns=["id"]))

    menu = w.Dropdown(options=list(zip(park.partners["label"], park.partners["id"])), value=partner, description="Partner")
    return Explorer({"partner": menu}, update, title="Partner explorer: pick a partner, see its flows")


@explorer
def what_if_explorer(close: tuple[str, ...] = ()) -> Explorer:
    """Tick partners to close: the lost exchanges as a table, what breaks in words, and the network.

    One checkbox per core partner, and a menu for one outside partner.

    >>> box = what_if_explorer(close=("asnaes",))
    >>> box.controls["gyproc"].value = True
    >>> len(box.result.table), box.result.chart.params()["closed"]
    (15, ['asnaes', 'gyproc'])
    """
    park = kalundborg()
    close = _partner_ids(park, list(close), "close")
    core = [p for p, k in zip(park.partners["id"], park.partners["kind"]) if k == "core"]
    others = [(park.label(p), p) for p in park.partners["id"] if p not in core]
    controls = {p: w.Checkbox(value=p in close, description=park.label(p), indent=False,
                              layout=w.Layout(width="210px")) for p in core}
    controls["other"] = w.Dropdown(options=[(_NONE, _NONE)] + others,
                                   value=next((p for p in close if p not in core), _NONE), description="and close")
    columns = ["source", "target", "material", "category", "quantity", "evidence"]
    _closed_spec(park)  # build the chart once, before any control moves

    def update(other, **ticks):
        removed = tuple(p for p in core if ticks[p]) + (() if other == _NONE else (other,))
        result = what_if(park, list(removed)) if removed else None
        if result is None:
            # No chart until something is closed: the network is drawn above, and the saved notebook stays small.
            return Panel("Tick a partner to close it.", park.exchanges.iloc[0:0][columns])
        table = result.lost[columns].assign(source=lambda t: t["source"].map(park.label), target=lambda t: t["target"].map(park.label))
        return Panel(str(result).replace("\n  - ", "\n- ").replace("\n  Left", "\n\nLeft"), table, _removed_chart(park, removed))

    return Explorer(controls, update, title="What if partners close? Tick them")


# ---- Questions -----------------------------------------------------------------------------


def _outcome(oid: str) -> pint.Quantity:
    """Figure ``oid`` of kalundborg_outcomes as a pint Quantity (a rate when it has a period)."""
    row = data.load("kalundborg_outcomes").set_index("id").loc[oid]
    unit = row["unit"] if pd.isna(row["period"]) else f"{row['unit']}/{row['period']}"
    return Q_(float(row["value"]), unit)


def _asnaes_exchanges() -> pint.Quantity:
    return Q_(int(hub_ranking(kalundborg()).set_index("partner").loc["asnaes", "exchanges"]), "dimensionless")


def _noveren_total() -> pint.Quantity:
    part = outcomes().query("kind == 'waste received'")
    total = sum_by_unit(part.assign(period=part["period"].fillna("")))
    return Q_(total.loc[0, "total"], f"{total.loc[0, 'unit']}/{total.loc[0, 'period']}")


def _water_saved() -> pint.Quantity:
    return _outcome("groundwater_saved") + _outcome("surface_water_saved")


def _so2_per_oil() -> pint.Quantity:
    return (_outcome("so2_avoided") / _outcome("oil_saved")).to("kg/t")


def _gyproc_waste() -> pint.Quantity:
    q = what_if(kalundborg(), "gyproc").quantities
    return Q_(q.loc[0, "total"], f"{q.loc[0, 'unit']}/{q.loc[0, 'period']}")


def _broker() -> str:
    ranking = hub_ranking(kalundborg())
    return ranking.sort_values("betweenness", ascending=False).iloc[0]["partner"]


def _ash_gap() -> pint.Quantity:
    return _outcome("ash_used") - _outcome("fly_ash_output")


def _waste_per_household() -> pint.Quantity:
    tonnes = _outcome("combustible_waste") * Q_(1, "year")
    return tonnes / _outcome("combustible_waste_households").magnitude


def _receivers_lose_asnaes() -> pint.Quantity:
    return Q_(len(what_if(kalundborg(), "asnaes").lost_supplies), "dimensionless")


for _q in (
    Question("symbiosis.asnaes_exchanges", "How many active exchanges (in and out) does Asnæs Power Station take part in?",
             _asnaes_exchanges, unit="dimensionless", rel_tol=0.0,
             hints=("Count the rows of the exchanges table whose source or target is 'asnaes' and whose status is active.",
                    "11 flows leave Asnæs; count the ones that arrive too.")),
    Question("symbiosis.noveren_total", "How many tonnes of waste a year does Noveren receive in the six streams of 'The Profits'?",
             _noveren_total, unit="t/year",
             hints=("Add the six 'Other Waste' figures: paper/cardboard, rubble/concrete, garden refuse, bio waste, metal, glass.",)),
    Question("symbiosis.water_saved", "How many cubic metres of water a year do the Symbiosis companies save in total?",
             _water_saved, unit="m**3/year",
             hints=("'The Profits' gives ground water and surface water separately; both are per year.", "1.9 million + 1 million.")),
    Question("symbiosis.so2_per_tonne_oil", "How many kilograms of SO₂ are avoided per tonne of oil saved?",
             _so2_per_oil, unit="kg/t",
             hints=("Divide the SO₂ reduction by the oil reduction; both are tonnes a year.", "380 t / 20,000 t, then tonnes to kilograms.")),
    Question("symbiosis.gyproc_closes", "If BPB Gyproc closed, how many tonnes a year of by-products with a printed quantity would lose their outlet?",
             _gyproc_waste, unit="t/year",
             hints=("Use symbiosis.what_if(park, 'gyproc') and look at .new_waste and .quantities.",)),
    Question("symbiosis.broker", "Which partner has the highest betweenness centrality (the biggest broker of flows)? Give its id.",
             _broker, choices=tuple(kalundborg().partners["id"]),
             hints=("symbiosis.hub_ranking(park) has a 'betweenness' column: sort by it.",)),
    Question("symbiosis.ash_gap", "The Ash section gives 30,000 t of fly ash a year; 'The Profits' gives 80,000 t of ash a year. "
             "If both are right, how many tonnes a year of ash are not fly ash?",
             _ash_gap, unit="t/year", hints=("Subtract: both figures are tonnes a year.",)),
    Question("symbiosis.waste_per_household", "Noveren's combustible waste equals the power and heat of about 6,500 households. "
             "How many tonnes of waste is that per household per year?",
             _waste_per_household, unit="t", hints=("56,000 t a year shared by 6,500 households.",)),
    Question("symbiosis.asnaes_receivers", "If Asnæs Power Station closed, how many of the remaining partners would lose at least one supply?",
             _receivers_lose_asnaes, unit="dimensionless", rel_tol=0.0,
             hints=("Count the distinct targets of Asnæs's outgoing flows.",)),
):
    register(_q)
