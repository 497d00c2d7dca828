"""The ZERI brewery cascade as a mass-balanced flow table: run it, balance it, sum its outcomes.

Each stream is split into its **dry matter** (everything that is not water, gases included) and its
**water**. Respiration is counted as the dry matter oxidised (the oxygen it combines with comes
from and returns to the air), photosynthesis as the dry matter fixed from the air. Every parameter
comes from ``datasets/zeri_parameters.csv``, every link from ``datasets/zeri_links.csv``.

>>> flows = run_cascade(100)                      # 100 hL of beer, default parameters
>>> spent = flows[flows["link"].str.startswith("bsg_to")]
>>> round(spent["value"].sum())                  # 100 hL x 20 kg wet spent grain per hL
2000
>>> compare_linear_vs_cascade(100).set_index("outcome").loc["landfill", ["linear", "cascade"]].tolist()
[2000.0, 0.0]

The flow tables follow :mod:`course_lib.flows` (``source, target, material, value, unit`` plus
``component``, ``kind`` and ``link``), which checks their balance and their units.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pint

from .. import checks, data
from ..flows import FLOW_COLUMNS, FlowSet, in_unit
from ..flows import flow_set as _flow_set
from ._cascade import OUTCOMES, Rows, check_row, check_rows, compute, parameter_rows, resolve, summarise

__all__ = [
    "OUTCOMES", "VIEWS", "parameters", "defaults", "stages", "links", "run_cascade", "run_linear",
    "flow_set", "balance", "outcomes", "compare_linear_vs_cascade", "diagram_views",
]

#: The views of a flow table that the diagram offers (see :func:`diagram_views`).
VIEWS = ("dry matter", "fresh mass (with water)")

# The columns of the model's flow tables: the course's flow-table columns and three of the model's own.
_COLUMNS = (*FLOW_COLUMNS, "component", "kind", "link")


# ---- The datasets ------------------------------------------------------------------------------


def parameters() -> pd.DataFrame:
    """The parameter table (``datasets/zeri_parameters.csv``) with its sources (:mod:`course_lib.params`).

    Besides a parameter table's columns: ``stage``, ``role`` (``parameter``, ``constant`` or
    ``scenario``), ``basis`` and ``source``.

    >>> row = parameters().set_index("name").loc["mushroom_be"]
    >>> float(row["value"]), float(row["maximum"]), row["basis"]
    (0.191, 1.5, 'literature')
    """
    return parameter_rows().frame()


def stages() -> pd.DataFrame:
    """The cascade's nodes (``datasets/zeri_stages.csv``): id, label, role, evidence, source."""
    return data.load("zeri_stages")


def links() -> pd.DataFrame:
    """The cascade's links (``datasets/zeri_links.csv``) with the article's sentence as evidence."""
    return data.load("zeri_links")


def defaults() -> dict[str, float]:
    """The default value of every parameter :func:`run_cascade` accepts (in the table's units).

    >>> defaults()["bsg_per_hl"], defaults()["mushroom_be"]
    (20.0, 0.191)
    """
    table = parameter_rows()
    return table.defaults(table.names(role="parameter"))


# ---- The flow tables ---------------------------------------------------------------------------


def _frame(rows: Rows, scenario: str) -> pd.DataFrame:
    records = []
    for link, component, value in rows:
        info = check_row(link, component, value, scenario)
        records.append({
            "source": info["from_node"], "target": info["to_node"], "material": info["material"],
            "value": float(value), "unit": "kWh" if component == "energy" else "kg",
            "component": component, "kind": info["kind"], "link": link,
        })
    return pd.DataFrame(records, columns=list(_COLUMNS))


def run_cascade(beer_hl: float | pint.Quantity | None = None, **params: float | pint.Quantity) -> pd.DataFrame:
    """Flows of the ZERI cascade for ``beer_hl`` hectolitres of beer (default: the table's 100).

    ``params`` override the table's parameters (role ``parameter``), in its units or as quantities,
    within its bounds. The flow table has ``source, target, material, value, unit`` plus
    ``component`` (dry matter, water or energy), ``kind`` and ``link`` (an id of ``zeri_links``);
    masses in kg, the methane's energy in kWh. Every stage is checked to balance first.

    >>> f = run_cascade(100)
    >>> f.loc[(f["link"] == "methane_to_use") & (f["component"] == "energy"), "unit"].item()
    'kWh'
    >>> run_cascade(100, share_bread=0.7, share_mushroom=0.5)
    Traceback (most recent call last):
    ...
    ValueError: share_bread + share_mushroom = 0.7 + 0.5 = 1.2 exceeds 1: the two shares of spent grain cannot add up to more than all of it (the rest, 1 - share_bread - share_mushroom, feeds livestock directly)
    >>> run_cascade(-5)
    Traceback (most recent call last):
    ...
    ValueError: beer_hl=-5 is not allowed: give a number >= 0 (hL) (Beer brewed (the scale of the example); every flow is proportional to it; plausible: 10 to 100,000)
    """
    beer, p = resolve(beer_hl, params)
    return _run("cascade", beer, tuple(p.items())).copy()


def run_linear(beer_hl: float | pint.Quantity | None = None, **params: float | pint.Quantity) -> pd.DataFrame:
    """Flows of the brewery alone: spent grain to landfill, wastewater discharged.

    Takes the arguments of :func:`run_cascade` (only the brewery's parameters matter here).

    >>> run_linear(100).groupby("target")["value"].sum().round().to_dict()
    {'environment': 35000.0, 'landfill': 2000.0}
    """
    beer, p = resolve(beer_hl, params)
    return _run("linear", beer, tuple(p.items())).copy()


@data.cached
def _run(scenario: str, beer: float, items: tuple[tuple[str, float], ...]) -> pd.DataFrame:
    """The flow table of ``scenario`` for checked values in model units (cached: copy before handing it out).

    The notebook, its exercises and the economics topic ask for the same few cascades again and
    again; building the table is the expensive part. Every stage's balance is checked on the rows,
    with plain floats (:func:`check_rows`, the checks of :func:`balance`, at a small share of its cost).
    """
    return _frame(check_rows(compute(beer, dict(items), scenario), scenario), scenario)


@data.cached
def _processes() -> pd.DataFrame:
    """The stages as a process table (``id, label, kind``): their role is their kind (read only)."""
    return stages().rename(columns={"role": "kind"})[["id", "label", "kind"]]


def flow_set(flows: pd.DataFrame | None = None) -> FlowSet:
    """A cascade flow table (default: :func:`run_cascade`) with the stages of ``zeri_stages`` as its processes.

    The stages' roles are the process table's kinds: ``process`` stages must balance, losses go to
    ``environment`` and the pond sediment is a ``stock`` (:class:`course_lib.flows.FlowSet`).

    >>> flow_set().nodes("stock"), flow_set().label("algae_basins")
    (['pond_sediment'], 'Algae basins')
    """
    return _flow_set(run_cascade() if flows is None else flows, _processes(), name="ZERI cascade")


def balance(flows: pd.DataFrame, rel_tol: float = 1e-9) -> pd.DataFrame:
    """Stage-by-stage mass balance of a cascade flow table; raises if a stage does not close.

    Checks the total mass and, when the table has a ``component`` column, dry matter and water
    separately: :meth:`course_lib.flows.FlowSet.balance` of the table's :func:`flow_set`, where the
    ``process`` stages balance, ``environment`` receives losses and ``pond_sediment`` is a stock.
    Raises :class:`course_lib.flows.MassBalanceError` when a stage is off by more than ``rel_tol``
    of its inputs.

    >>> b = balance(run_cascade(100))
    >>> b.loc[b["component"] == "all", "stage"].tolist()
    ['bakery', 'mushroom_farm', 'livestock', 'biodigester', 'algae_basins', 'fish_pond']
    >>> bool((b["relative"] < 1e-9).all())
    True
    """
    checks.frame(flows, "flows", FLOW_COLUMNS)
    tolerance = checks.number(rel_tol, "rel_tol", minimum=0, maximum=1)
    return flow_set(flows).balance(by="component" if "component" in flows.columns else None, rel_tol=tolerance)


# ---- Outcomes ----------------------------------------------------------------------------------


def outcomes(flows: pd.DataFrame) -> pd.DataFrame:
    """The headline outcomes of a flow table: products, landfill, discharge, methane.

    ``flows`` is a table of :func:`run_cascade` or :func:`run_linear` (masses in any mass unit,
    energy rows in any energy unit). Returns one row per outcome of :data:`OUTCOMES`:
    ``outcome, label, unit, value``.

    >>> o = outcomes(run_linear(100)).set_index("outcome")["value"]
    >>> float(o["landfill"]), float(o["fish"])
    (2000.0, 0.0)
    """
    checks.frame(flows, "flows", (*FLOW_COLUMNS, "kind", "component"))
    energy = flows["component"] == "energy"
    parts = [in_unit(flows[~energy], "kg"), in_unit(flows[energy], "kWh")]
    p = resolve(None, {})[1]
    columns = ("source", "target", "kind", "component", "value")
    values = summarise((r for part in parts for r in zip(*(part[c].tolist() for c in columns))), p)
    return pd.DataFrame(
        [{"outcome": k, "label": OUTCOMES[k][0], "unit": OUTCOMES[k][1], "value": v} for k, v in values.items()]
    )


def compare_linear_vs_cascade(beer_hl: float | pint.Quantity | None = None, **params: float | pint.Quantity) -> pd.DataFrame:
    """Brewery alone vs brewery in a ZERI cluster: one row per outcome, both scenarios side by side.

    Takes the arguments of :func:`run_cascade`. Columns: ``outcome, label, unit, linear, cascade,
    change`` (cascade minus linear).

    >>> c = compare_linear_vs_cascade(100).set_index("outcome")
    >>> round(float(c.loc["mushrooms", "cascade"]), 1)  # 0.191 x (150 kg spent-grain DM + 150 kg straw DM)
    57.3
    """
    beer, p = resolve(beer_hl, params)
    return _comparison(beer, tuple(p.items())).copy()


@data.cached
def _comparison(beer: float, items: tuple[tuple[str, float], ...]) -> pd.DataFrame:
    linear, cascade = outcomes(_run("linear", beer, items)), outcomes(_run("cascade", beer, items))
    table = linear.rename(columns={"value": "linear"})
    table["cascade"] = cascade["value"].to_numpy()
    table["change"] = table["cascade"] - table["linear"]
    return table


# ---- Views for the diagram ---------------------------------------------------------------------


def diagram_views(flows: pd.DataFrame, views: Any = VIEWS) -> dict[str, pd.DataFrame]:
    """The views of a cascade flow table the diagram offers: dry matter only, and fresh mass.

    ``views`` is a list of names from :data:`VIEWS`. "fresh mass (with water)" adds each link's
    dry matter and water; energy rows are left out of both (they are not masses).

    >>> views = diagram_views(run_cascade(100), ["fresh mass (with water)"])
    >>> list(views), round(float(views["fresh mass (with water)"]["value"].max()))
    (['fresh mass (with water)'], 38180)
    """
    checks.frame(flows, "flows", (*FLOW_COLUMNS, "component", "kind", "link"))
    chosen = checks.names(views, "views", VIEWS, allow_empty=False)
    mass = flows[flows["component"] != "energy"]
    out = {}
    for view in chosen:
        if view == "dry matter":
            out[view] = mass[mass["component"] == "dry matter"]
        else:
            keys = ["source", "target", "material", "unit", "kind", "link"]
            out[view] = mass.groupby(keys, sort=False, as_index=False)["value"].sum()
    return out
