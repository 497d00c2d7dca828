"""A flow set: a flow table and the table of its processes, kept together (floWeaver's dataset).

The **flows** are a flow table (:data:`FLOW_COLUMNS`: ``source, target, material, value, unit``);
the **processes** name every node the flows touch, one row each: ``id``, ``label`` (for charts) and
``kind``. Three kinds mean something to the mass balance: ``process`` (a stage that must balance),
``environment`` (receives losses) and ``stock`` (receives what accumulates); any other word (a
source, a sink, a core partner of a park) just describes the node. The ZERI cascade
(:func:`course_lib.zeri.flow_set`) and an industrial park (:class:`course_lib.symbiosis.Park`) are
both flow sets.

>>> import pandas as pd
>>> mill = flow_set(
...     pd.DataFrame({"source": ["mine", "mill", "mill"], "target": ["mill", "market", "environment"],
...                   "material": ["ore", "metal", "dust"], "value": [10.0, 9.0, 1.0], "unit": ["t", "t", "t"]}),
...     pd.DataFrame({"id": ["mine", "mill", "market", "environment"], "label": ["Mine", "Mill", "Market", "Air"],
...                   "kind": ["source", "process", "sink", "environment"]}), name="mill")
>>> mill.balance(unit="t")[["stage", "inputs", "outputs", "losses"]].values.tolist()
[['mill', 10.0, 9.0, 1.0]]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from .. import checks
from .balance import check_balance
from .table import FLOW_COLUMNS, validate_flows

__all__ = ["PROCESS_COLUMNS", "FlowSet", "flow_set"]

#: The columns every process table has.
PROCESS_COLUMNS = ("id", "label", "kind")


@dataclass(frozen=True, eq=False)
class FlowSet:
    """``flows`` (a flow table) and ``processes`` (``id, label, kind``, one row per node) under a ``name``.

    Build one with :func:`flow_set`, which checks both tables; treat them as read-only.
    """

    name: str
    processes: pd.DataFrame
    flows: pd.DataFrame
    #: What a node is called in messages (a park calls its nodes partners).
    NODE: ClassVar[str] = "node"

    def nodes(self, kind: str) -> list[str]:
        """The ids of the nodes of ``kind`` (``"process"``, ``"environment"``, ``"stock"``, ...), in table order."""
        return self.processes.loc[self.processes["kind"] == kind, "id"].tolist()

    def label(self, node: str) -> str:
        """The label of node ``node`` (an id of the process table)."""
        try:
            return self._labels[node]
        except (KeyError, TypeError):
            raise ValueError(f"{self.NODE}={node!r} is not a {self.NODE} id of {self.name}"
                             f"{checks.suggest(str(node), self._labels)}; known ids: {', '.join(self._labels)}") from None

    @functools.cached_property
    def _labels(self) -> dict[str, str]:
        return dict(zip(self.processes["id"], self.processes["label"]))

    def balance(self, *, by: str | None = None, unit: str = "kg", rel_tol: float = 1e-9) -> pd.DataFrame:
        """:func:`course_lib.flows.check_balance` of the flows: every ``process`` node that the flows touch
        balances, losses going to the ``environment`` nodes and accumulation to the ``stock`` nodes."""
        present = set(self.flows["source"]) | set(self.flows["target"])
        return check_balance(self.flows, processes=[p for p in self.nodes("process") if p in present],
                             environment=self.nodes("environment"), stocks=self.nodes("stock"), by=by, unit=unit,
                             rel_tol=rel_tol)


def flow_set(flows: pd.DataFrame, processes: pd.DataFrame, *, name: str = "flows") -> FlowSet:
    """Check a flow table and its process table and put them together.

    The flows must be a valid flow table (:func:`validate_flows`); the processes need the columns
    :data:`PROCESS_COLUMNS`, one row per id, and every source and target of the flows among them.

    >>> f = pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["x"], "value": [1.0], "unit": ["t"]})
    >>> flow_set(f, pd.DataFrame({"id": ["a"], "label": ["A"], "kind": ["process"]}))
    Traceback (most recent call last):
    ...
    ValueError: flows name the node 'b', which is not in processes (ids: a)
    """
    table = validate_flows(checks.frame(flows, "flows", FLOW_COLUMNS))
    nodes = checks.frame(processes, "processes", PROCESS_COLUMNS)
    if nodes["id"].duplicated().any():
        raise ValueError(f"processes lists the id {nodes.loc[nodes['id'].duplicated(), 'id'].iloc[0]!r} twice; give each node one row")
    unknown = [n for n in pd.unique(table[["source", "target"]].to_numpy().ravel()) if n not in set(nodes["id"])]
    if unknown:
        raise ValueError(f"flows name the node {unknown[0]!r}{checks.suggest(str(unknown[0]), nodes['id'])}, which is "
                         f"not in processes (ids: {', '.join(map(str, nodes['id']))})")
    return FlowSet(checks.text(name, "name"), nodes.reset_index(drop=True), table)
