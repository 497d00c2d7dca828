"""A park: a flow table of exchanges plus a table of partners, read from two CSV files and checked.

A :class:`Park` is a :class:`course_lib.flows.FlowSet` (the flows with the table of their nodes, as
the ZERI cascade is one): its ``exchanges`` are the flows and its ``partners`` the process table.

* **partners** — one row per company, utility, receiver or resource: ``id`` and ``name`` (optional
  ``label`` for charts, ``kind`` such as ``core``/``outside``/``environment``, ``sector``, ...);
* **exchanges** — a flow table (:data:`course_lib.flows.FLOW_COLUMNS`): ``source`` gives
  ``material`` to ``target``; ``value`` and ``unit`` when a quantity is known (an empty value means
  "not known", never zero), optional ``period`` (``year`` makes the value a rate), ``category``,
  ``status`` (``active``/``former``), ``evidence`` and ``id``.

The flow columns are checked by :func:`course_lib.flows.flow_problems`, the partner links here;
every problem names the file, the spreadsheet row and the column.

>>> import pandas as pd
>>> park = park_from_frames(pd.DataFrame({"id": ["mill", "farm"], "name": ["Saw mill", "Farm"]}),
...     pd.DataFrame({"source": ["mill"], "target": ["farm"], "material": ["sawdust"], "value": [3], "unit": ["t"],
...                   "period": ["year"]}))
>>> park, park.exchanges.loc[0, "quantity"]
(<Park 'park': 2 partners, 1 exchanges>, '3 t/year')
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import networkx as nx
import pandas as pd

from .. import checks, data, formats
from ..flows import FLOW_COLUMNS, PERIODS, FlowSet, flow_problems, unit_label, validate_flows
from . import _graph

__all__ = [
    "PERIODS", "STATUSES", "PARTNER_COLUMNS", "EXCHANGE_COLUMNS", "Problem", "ParkError", "Park",
    "validate", "park_from_frames", "read_park", "add_to_park", "kalundborg", "outcomes", "outcome_notes", "history",
]

#: Allowed values of an exchange's ``status`` (empty means active).
STATUSES = ("active", "former")
#: Columns every partners file needs.
PARTNER_COLUMNS = ("id", "name")
#: Columns every exchanges file needs: those of a flow table.
EXCHANGE_COLUMNS = FLOW_COLUMNS
# The order in which an exchange row's columns are checked (and its problems listed).
_COLUMN_ORDER = {c: i for i, c in enumerate(("source", "target", "material", "value", "unit", "period", "status", "id"))}


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


#: How the rows of a park's files are numbered in a problem report.
SPREADSHEET_ROWS = "rows are numbered as in a spreadsheet: the file's first line is row 1"


class ParkError(ValueError):
    """A park's files have problems; ``.problems`` lists them all, each with file, row and column.

    ``numbering`` says how the rows are counted (default: as in a spreadsheet).
    """

    def __init__(self, problems: Iterable[Problem], numbering: str = SPREADSHEET_ROWS):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(f"the park has {n} problem{'s' if n != 1 else ''} ({numbering}):\n{lines}")


_text = formats.cell


def _rows(frame: pd.DataFrame, first_row: int) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row, {column: text}) for every row; a '_row' column overrides the numbering."""
    numbers: Iterable[Any] = frame["_row"].tolist() if "_row" in frame.columns else range(first_row, first_row + len(frame))
    columns = [c for c in frame.columns if c != "_row"]
    return [(int(n), {str(c): _text(v) for c, v in zip(columns, values)})
            for n, values in zip(numbers, frame[columns].itertuples(index=False, name=None))]


def _partner_problems(partners: pd.DataFrame, file: str, first_row: int) -> tuple[list[Problem], dict[str, int]]:
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    for row, cells in _rows(partners, first_row):
        pid = cells["id"]
        if not pid:
            problems.append(Problem(file, row, "id", "empty id; give every partner a short unique id such as 'power_station'"))
        elif pid in ids:
            problems.append(Problem(file, row, "id", f"duplicate id {pid!r} (first used in row {ids[pid]})"))
        else:
            ids[pid] = row
        if not cells["name"]:
            problems.append(Problem(file, row, "name", "empty name"))
    if not ids and not problems:
        problems.append(Problem(file, None, None, "no partners: add one row per partner below the header "
                                                  "(rows starting with # are examples and are skipped)"))
    return problems, ids


def _exchange_problems(exchanges: pd.DataFrame, file: str, first_row: int, ids: dict[str, int],
                       partners_file: str) -> list[Problem]:
    rows = _rows(exchanges, first_row)
    if not rows:
        return [Problem(file, None, None, "no exchanges: add one row per flow below the header "
                                          "(rows starting with # are examples and are skipped)")]
    # The flow columns are a flow table: checked by course_lib.flows, rows renumbered as in the file.
    table = pd.DataFrame([cells for _, cells in rows], columns=list(FLOW_COLUMNS))
    problems = [Problem(file, rows[p.position][0], p.column, p.message) for p in flow_problems(table, unknown_values=True)]
    seen: dict[str, int] = {}
    for row, cells in rows:
        def bad(column: str, message: str) -> None:
            problems.append(Problem(file, row, column, message))

        for column in ("source", "target"):
            pid = cells[column]
            if pid and pid not in ids:
                bad(column, f"{pid!r} is not a partner id in {partners_file}{checks.suggest(pid, ids)}")
        if cells["source"] and cells["source"] == cells["target"]:
            bad("target", f"a flow from {cells['source']!r} to itself is not an exchange; record recycling inside one partner elsewhere")
        period = cells.get("period", "")
        if period and period not in PERIODS:
            bad("period", f"{period!r} is not a period{checks.suggest(period, PERIODS)}; use one of "
                          f"{', '.join(PERIODS)} or leave it empty")
        status = cells.get("status", "")
        if status and status not in STATUSES:
            bad("status", f"{status!r} is not a status{checks.suggest(status, STATUSES)}; use one of "
                          f"{', '.join(STATUSES)} or leave it empty (active)")
        eid = cells.get("id", "")
        if eid:
            if eid in seen:
                bad("id", f"duplicate exchange id {eid!r} (first used in row {seen[eid]})")
            else:
                seen[eid] = row
    return sorted(problems, key=lambda p: (p.row or 0, _COLUMN_ORDER.get(p.column or "", len(_COLUMN_ORDER))))


def validate(partners: pd.DataFrame, exchanges: pd.DataFrame, *, partners_file: str = "partners",
             exchanges_file: str = "exchanges", first_row: int = 2) -> list[Problem]:
    """Every problem in a park's two tables, each naming the file, the row and the column.

    Rows count as in a spreadsheet: the header is row 1, so the first data row is ``first_row``
    (2) unless the frame has a ``_row`` column with the real row numbers (as :func:`read_park` gives).
    Checked: required columns, empty or duplicate ids, everything :func:`course_lib.flows.flow_problems`
    checks in a flow table (empty names, values that are not numbers, negative or infinite, units
    the course does not know, values without a unit), flows naming unknown partners or looping
    back to their source, unknown periods and statuses, duplicate exchange ids.

    >>> import pandas as pd
    >>> partners = pd.DataFrame({"id": ["mill", "farm"], "name": ["Saw mill", "Farm"]})
    >>> flows = pd.DataFrame({"source": ["mill"], "target": ["farn"], "material": ["sawdust"],
    ...                       "value": ["-3"], "unit": ["t"]})
    >>> for problem in validate(partners, flows):
    ...     print(problem)
    exchanges, row 2, column 'target': 'farn' is not a partner id in partners (did you mean 'farm'?)
    exchanges, row 2, column 'value': -3 is negative; a flow cannot be below zero
    """
    checks.frame(partners, "partners")
    checks.frame(exchanges, "exchanges")
    checks.text(partners_file, "partners_file")
    checks.text(exchanges_file, "exchanges_file")
    first_row = checks.whole_number(first_row, "first_row", minimum=1)
    problems: list[Problem] = []
    for frame, file, required in ((partners, partners_file, PARTNER_COLUMNS), (exchanges, exchanges_file, EXCHANGE_COLUMNS)):
        for column in required:
            if column not in frame.columns:
                problems.append(Problem(file, 1, column, f"required column is missing; the header must include {', '.join(required)}"))
    if problems:
        return problems
    problems, ids = _partner_problems(partners, partners_file, first_row)
    return problems + _exchange_problems(exchanges, exchanges_file, first_row, ids, partners_file)


def _quantity_text(value: float, label: str) -> str:
    return "" if pd.isna(value) else f"{formats.number(value)} {label}"


@dataclass(frozen=True, eq=False)
class Park(FlowSet):
    """A checked park: ``partners`` (one row per partner) and ``exchanges`` (one row per flow).

    Build one with :func:`read_park`, :func:`park_from_frames` or :func:`kalundborg`; the frames are
    clean (ids stripped, ``value`` a float, NaN where unknown, ``status`` filled, ``quantity`` a
    readable text). Treat them as read-only: the park caches its graph. As a flow set, its
    ``processes`` are the partners (their ``kind``: ``core``, ``outside``, ``environment`` or
    ``partner``) and its ``flows`` the exchanges.

    >>> kalundborg().label("asnaes")
    'Asnæs Power Station'
    """

    files: tuple[str, str] = ("partners", "exchanges")
    NODE: ClassVar[str] = "partner"

    @property
    def partners(self) -> pd.DataFrame:
        """One row per partner: ``id``, ``name``, ``label``, ``kind`` and the file's other columns."""
        return self.processes

    @property
    def exchanges(self) -> pd.DataFrame:
        """One row per exchange (a flow table with ``id``, ``status``, ``quantity``, ...)."""
        return self.flows

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The active exchanges as a networkx MultiDiGraph (see :func:`course_lib.symbiosis.to_graph`)."""
        return _graph.build(self.name, self.partners, _flows(self, False))

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
    name = checks.text(name, "name").strip()
    problems = validate(partners, exchanges, partners_file=partners_file, exchanges_file=exchanges_file, first_row=first_row)
    if problems:
        raise ParkError(problems)
    p = _clean_partners(partners, first_row)
    x = _clean_exchanges(exchanges, first_row)
    return Park(name=name, processes=p.reset_index(drop=True), flows=x.reset_index(drop=True),
                files=(partners_file, exchanges_file))


def _clean_partners(partners: pd.DataFrame, first_row: int) -> pd.DataFrame:
    """Checked partner rows as clean text, with a ``label`` (the name if none) and a ``kind``."""
    p = pd.DataFrame([cells for _, cells in _rows(partners, first_row)])
    p["label"] = p["label"].where(p["label"] != "", p["name"]) if "label" in p.columns else p["name"]
    if "kind" not in p.columns:
        p["kind"] = "partner"
    p["kind"] = p["kind"].replace("", "partner")
    return p


def _clean_exchanges(exchanges: pd.DataFrame, first_row: int, taken: Iterable[str] = ()) -> pd.DataFrame:
    """Checked exchange rows: text cells, ``value`` a float (NaN where not known), an ``id`` each
    (none of ``taken``), and the readable ``unit_label`` and ``quantity``."""
    x = pd.DataFrame([cells for _, cells in _rows(exchanges, first_row)])
    for column, default in (("id", ""), ("category", "unspecified"), ("period", ""), ("status", "active"), ("evidence", "")):
        if column not in x.columns:
            x[column] = default
    x["category"] = x["category"].replace("", "unspecified")
    x["status"] = x["status"].replace("", "active")
    # Exchanges without an id get 'source-target-n', unique because n counts per pair (and skips ids in use).
    used = set(taken) | {eid for eid in x["id"] if eid}
    counter: dict[tuple[str, str], int] = {}
    ids = []
    for eid, src, tgt in zip(x["id"], x["source"], x["target"]):
        counter[(src, tgt)] = counter.get((src, tgt), 0) + 1
        if not eid:
            while f"{src}-{tgt}-{counter[(src, tgt)]}" in used:
                counter[(src, tgt)] += 1
            eid = f"{src}-{tgt}-{counter[(src, tgt)]}"
            used.add(eid)
        ids.append(eid)
    x["id"] = ids
    x = validate_flows(x, unknown_values=True)  # value as a float, NaN where not known
    x["unit_label"] = [unit_label(u, pe) for u, pe in zip(x["unit"], x["period"])]
    x["quantity"] = [_quantity_text(v, lab) for v, lab in zip(x["value"], x["unit_label"])]
    return x


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV as text cells with their spreadsheet row numbers; '#' rows and blank rows skipped.

    Accepts comma- or semicolon-separated files (spreadsheets in many countries save with ';')
    and a UTF-8 byte-order mark (Excel adds one).
    """
    text = path.read_text(encoding="utf-8-sig")
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    header: list[str] | None = None
    records = []
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


def read_park(partners_path: str | Path, exchanges_path: str | Path, *, name: str | None = None) -> Park:
    """Read a park from two CSV files and check it; :class:`ParkError` lists every problem found.

    Errors name the file, the row (numbered as a spreadsheet or a text editor shows it: the
    file's first line is row 1) and the column. Rows whose first cell starts with ``#`` are
    comments (the template's notes and examples) and are skipped.

    >>> read_park(42, "exchanges.csv")
    Traceback (most recent call last):
    ...
    TypeError: partners_path must be a file path (str or Path), got 42 of type int
    """
    partners = checks.file_path(partners_path, "partners_path")
    exchanges = checks.file_path(exchanges_path, "exchanges_path")
    if name is not None:
        checks.text(name, "name")
    problems: list[Problem] = []
    frames = []
    for path in (partners, exchanges):
        try:
            frames.append(_read_csv(path))
        except ParkError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ParkError(problems)
    return park_from_frames(*frames, name=name or partners.parent.name or "park",
                            partners_file=partners.name, exchanges_file=exchanges.name)


#: How the rows given to :func:`add_to_park` are numbered in a problem report.
ADDED_ROWS = "your rows are counted from 1, in the order you gave them"


def _added_rows(rows: object, argument: str) -> pd.DataFrame:
    """Rows to add to a park: one row (a dict), a list of rows, or a table (a DataFrame)."""
    if isinstance(rows, pd.DataFrame):
        return rows.reset_index(drop=True)
    if isinstance(rows, Mapping):
        rows = [rows]
    if isinstance(rows, (list, tuple)) and all(isinstance(r, Mapping) for r in rows):
        return pd.DataFrame([dict(r) for r in rows])
    raise TypeError(f"{argument} must be one row (a dict such as {{'id': 'biogas', 'name': 'Biogas plant'}}), "
                    f"a list of such rows or a table (a pandas DataFrame), got {rows!r} of type {type(rows).__name__}")


def add_to_park(park: Park, *, partners: object = (), exchanges: object = (), name: str | None = None) -> Park:
    """``park`` with more partners and exchanges: a new, checked :class:`Park` (``park`` itself is not changed).

    ``partners`` and ``exchanges`` are rows with the columns of the park's two files: one row as a
    dict, a list of dicts, or a DataFrame. A new partner needs an ``id`` of its own and a ``name``;
    a new exchange needs ``source``, ``target``, ``material``, ``value`` and ``unit`` (``value``
    ``None`` when the quantity is not known), and may have ``period`` (``"year"`` makes the value a
    rate), ``category`` and ``evidence``. Every problem is reported at once, naming the row you
    gave (your first exchange is row 1) and the column; nothing is added until all are right.

    >>> park = kalundborg()
    >>> add_to_park(park, partners={"id": "biogas", "name": "Biogas plant"},
    ...     exchanges=[{"source": "novozymes", "target": "biogas", "material": "residue", "value": 40000,
    ...                 "unit": "t", "period": "year"}])
    <Park 'Kalundborg, grown': 25 partners, 39 exchanges>
    """
    _check_park(park)
    if name is not None:
        name = checks.text(name, "name").strip()
    new_partners = _added_rows(partners, "partners")
    new_exchanges = _added_rows(exchanges, "exchanges")
    if new_partners.empty and new_exchanges.empty:
        raise ValueError("nothing to add: give partners=[...] (rows with an id and a name) and/or exchanges=[...] "
                         "(rows with source, target, material, value and unit)")
    files = ("your partners", "your exchanges")
    problems: list[Problem] = []
    for frame, file, required in ((new_partners, files[0], PARTNER_COLUMNS), (new_exchanges, files[1], EXCHANGE_COLUMNS)):
        if not frame.empty:
            problems += [Problem(file, None, c, f"every row needs a value for {c!r}; give it in each row ({', '.join(required)})")
                         for c in required if c not in frame.columns]
    if problems:
        raise ParkError(problems, ADDED_ROWS)
    ids = {pid: 0 for pid in park.partners["id"]}
    if not new_partners.empty:
        found, new_ids = _partner_problems(new_partners, files[0], 1)
        for pid, row in new_ids.items():
            if pid in ids:
                found.append(Problem(files[0], row, "id", f"{pid!r} is already a partner of {park.name}; "
                                                           "give your new partner an id of its own"))
        problems += sorted(found, key=lambda p: (p.row or 0, p.column != "id"))
        ids.update({pid: row for pid, row in new_ids.items() if pid not in ids})
    if not new_exchanges.empty:
        where = f"of {park.name} or of your new partners"
        for problem in _exchange_problems(new_exchanges, files[1], 1, ids, "partners"):
            message = problem.message.replace("is not a partner id in partners", f"is not a partner id {where}")
            problems.append(Problem(problem.file, problem.row, problem.column, message))
        taken = set(park.exchanges["id"])
        if "id" in new_exchanges.columns:
            for row, eid in enumerate(new_exchanges["id"].map(_text), start=1):
                if eid in taken:
                    problems.append(Problem(files[1], row, "id", f"exchange id {eid!r} is already used in {park.name}; "
                                                                 "choose another or leave the id empty"))
    if problems:
        raise ParkError(problems, ADDED_ROWS)
    # The park's own rows are clean already: only the new rows are cleaned, then put after them.
    partners_now = park.partners if new_partners.empty else _joined(park.partners, _clean_partners(new_partners, 1))
    exchanges_now = park.exchanges if new_exchanges.empty else _joined(
        park.exchanges, _clean_exchanges(new_exchanges, 1, taken=park.exchanges["id"]))
    grown = park.name if park.name.endswith(", grown") else f"{park.name}, grown"
    sources = [f if f.endswith(" + added rows") else f"{f} + added rows" for f in park.files]
    return Park(name=name or grown, processes=partners_now, flows=exchanges_now, files=(sources[0], sources[1]))


def _joined(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """``old`` then ``new`` rows; a column one of them lacks is empty text there (``value`` stays NaN)."""
    both = pd.concat([old, new], ignore_index=True)
    for column in both.columns:
        if column != "value":
            both[column] = both[column].fillna("")
    return both


@data.cached
def kalundborg() -> Park:
    """The Kalundborg park of the seed article (datasets ``kalundborg_partners`` and ``kalundborg_exchanges``).

    The same object is returned each time (its graph and layout are cached): do not modify its
    frames; copy them first.

    >>> len(kalundborg().partners), len(kalundborg().exchanges)
    (24, 38)
    """
    return park_from_frames(data.load("kalundborg_partners"), data.load("kalundborg_exchanges"), name="Kalundborg",
                            partners_file="kalundborg_partners.csv", exchanges_file="kalundborg_exchanges.csv")


def _outcome_text(value: float, unit: str, period: str = "") -> str:
    """A printed figure as text: ``20 per year``, ``25 %``, ``200,000 t/year``.

    >>> _outcome_text(25, "percent"), _outcome_text(200000, "t", "year"), _outcome_text(600, "dimensionless")
    ('25 %', '200,000 t/year', '600')
    """
    if unit == "dimensionless":
        return formats.number(value) + (f" per {period}" if period else "")
    if unit == "percent":
        return f"{formats.number(value)} %"
    return f"{formats.number(value)} {unit_label(unit, period)}"


def outcomes() -> pd.DataFrame:
    """Dataset ``kalundborg_outcomes`` with a readable ``quantity`` column ('200,000 t/year').

    >>> table = outcomes()
    >>> table.set_index("id").loc["so2_avoided", "quantity"]
    '380 t/year'
    """
    return _outcomes().copy()


@data.cached
def _outcomes() -> pd.DataFrame:
    """:func:`outcomes`, written once per data folder (cached: copy before handing it out)."""
    table = data.load("kalundborg_outcomes")
    table["quantity"] = [_outcome_text(v, u, p) for v, u, p in zip(table["value"], table["unit"], table["period"].fillna(""))]
    return table


def outcome_notes() -> pd.DataFrame:
    """The printed figures that need a caveat (a note in ``kalundborg_outcomes``): where the figure
    stands in the article, what it measures, the figure, and the note.

    >>> notes = outcome_notes().set_index("id")
    >>> notes.loc["reservoir_capacity", "note"]
    'A capacity (a volume held), not a yearly flow.'
    """
    table = outcomes()
    return table.loc[table["note"].notna(), ["id", "section", "indicator", "quantity", "note"]].reset_index(drop=True)


def history() -> pd.DataFrame:
    """Dataset ``kalundborg_history`` (what happened after 2005), oldest first, with grades.

    >>> history()["year"].is_monotonic_increasing
    True
    """
    return data.load("kalundborg_history").sort_values(["year", "id"]).reset_index(drop=True)


# ---- Shared by the analyses, the layout, the charts and the explorers -------------------------------


def _check_park(park: Any) -> Park:
    """``park`` if it is a :class:`Park`; otherwise a ``TypeError`` saying where parks come from."""
    if not isinstance(park, Park):
        raise TypeError(f"park must be a Park (from kalundborg(), read_park or park_from_frames), got {type(park).__name__}")
    return park


def _flows(park: Park, include_former: bool) -> pd.DataFrame:
    """The park's exchanges: the active ones, or all with ``include_former``."""
    checks.flag(include_former, "include_former")
    x = park.exchanges
    return x if include_former else x[x["status"] == "active"]


def _partner_ids(park: Park, partners: str | Sequence[str], argument: str = "partner") -> list[str]:
    """Partner ids from an id, a label or a name (or a list of them), case-insensitive.

    >>> _partner_ids(kalundborg(), ["Noveren I/S", "GYPROC"], "remove")
    ['noveren', 'gyproc']
    """
    if isinstance(partners, str):
        items: tuple[str, ...] = (partners,)
    elif isinstance(partners, (list, tuple, set, frozenset)):
        items = checks.names(partners, argument)
    else:
        raise TypeError(f"{argument} must be a partner id or a list of them, got {partners!r} of type {type(partners).__name__}")
    lookup: dict[str, str] = {}
    for pid, label, name in zip(park.partners["id"], park.partners["label"], park.partners["name"]):
        for key in (pid, label, name):
            lookup.setdefault(str(key).lower(), pid)
    ids: list[str] = []
    for item in items:
        pid = lookup.get(item.strip().lower())
        if pid is None:
            known = ", ".join(park.partners["id"])
            raise ValueError(f"{argument}={item!r} is not a partner of {park.name}{checks.suggest(item, park.partners['id'])}; "
                             f"known partners: {known}")
        if pid not in ids:
            ids.append(pid)
    return ids
