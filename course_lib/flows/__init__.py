"""Tidy flow tables: check them, add them up by unit, check their mass balance and draw them.

A **flow table** (floWeaver's and ODYM's model) has one row per flow: ``source, target,
material, value, unit`` (:data:`FLOW_COLUMNS`); any other columns, such as ``period``, ``kind``
or ``component``, ride along. Every topic that moves material or energy between processes or
partners uses this one table:

* :mod:`course_lib.flows.table` — the schema, :func:`validate_flows` (friendly errors, all
  problems at once), :func:`in_unit` and :func:`sum_by_unit` (pint: tonnes never join m³);
* :mod:`course_lib.flows.balance` — :func:`stage_balance` and :func:`check_balance`:
  inputs = outputs + losses + stock change at every process, with an *environment* node
  receiving losses and *stock* nodes receiving what accumulates;
* :mod:`course_lib.flows.flowset` — :class:`FlowSet` (:func:`flow_set`): the flows together with
  the table of their processes (floWeaver's dataset), which says which nodes are processes,
  environment or stocks: the one shape of the ZERI cascade and of an industrial park;
* :mod:`course_lib.flows.sankey` — :func:`sankey_layout`, :func:`flow_diagram` and
  :func:`concat` (Altair is imported only when a diagram is drawn).

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
"""

from typing import TYPE_CHECKING

import lazy_loader as _lazy

from .balance import MassBalanceError, check_balance, stage_balance
from .flowset import PROCESS_COLUMNS, FlowSet, flow_set
from .table import (
    FLOW_COLUMNS, PERIODS, FlowProblem, flow_problems, in_unit, sum_by_unit, unit_label, validate_flows,
)

if TYPE_CHECKING:  # the drawing is imported on first use (it needs Altair)
    from .sankey import concat, flow_diagram, sankey_layout

_DRAWING = ["sankey_layout", "flow_diagram", "concat"]

__getattr__, _lazy_dir, _ = _lazy.attach(__name__, submod_attrs={"sankey": _DRAWING})

__all__ = [
    "FLOW_COLUMNS", "PERIODS", "FlowProblem", "flow_problems", "validate_flows", "in_unit", "unit_label",
    "sum_by_unit", "MassBalanceError", "stage_balance", "check_balance", "PROCESS_COLUMNS", "FlowSet", "flow_set",
    *_DRAWING,
]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
