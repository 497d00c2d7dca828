"""Tidy flow tables: check them, add them up by unit, check their mass balance and draw them.

A **flow table** (floWeaver's and ODYM's model) has one row per flow: ``source, target,
material, value, unit`` (:data:`FLOW_COLUMNS`); other columns ride along. Every topic that moves
material or energy between processes or partners uses it: :mod:`~course_lib.flows.table` (checks,
unit-aware sums), :mod:`~course_lib.flows.balance` (mass balance), :mod:`~course_lib.flows.flowset`
(the flows with their process table) and :mod:`~course_lib.flows.sankey` (the diagram, importing
Altair only when drawn).

>>> FLOW_COLUMNS
('source', 'target', 'material', 'value', 'unit')
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
