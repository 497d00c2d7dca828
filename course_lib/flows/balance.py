"""Mass balance of a flow table, process by process: inputs = outputs + losses + stock change.

This is the convention of material flow analysis (ODYM, flodym): every process must balance,
with an explicit *environment* node at the system boundary receiving the losses and a *stock*
node receiving what accumulates.

>>> import pandas as pd
>>> flows = pd.DataFrame({
...     "source": ["mine", "mill", "mill", "mill"],
...     "target": ["mill", "market", "environment", "mill stock"],
...     "material": ["ore", "metal", "dust", "ore"],
...     "value": [10.0, 6.0, 1.0, 3.0],
...     "unit": ["t", "t", "t", "t"]})
>>> stage_balance(flows, stocks=["mill stock"], unit="t")[["stage", "inputs", "losses", "imbalance"]]
  stage  inputs  losses  imbalance
0  mill    10.0     1.0        0.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import checks, formats
from .table import _factors, _unit, validate_flows

__all__ = ["MassBalanceError", "stage_balance", "check_balance"]


class MassBalanceError(ValueError):
    """A stage's inputs do not equal its outputs + losses + stock change."""


MassBalanceError.__module__ = "course_lib.flows"  # its public home, as tracebacks show it

_MASS = _unit("kg", "unit").dimensionality


def _node_names(value: Any, argument: str) -> tuple[str, ...]:
    """One node name or a list of them (``None``: none)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return checks.names(value, argument)


def stage_balance(flows: pd.DataFrame, *, processes: str | Sequence[str] | None = None,
                  environment: str | Sequence[str] = "environment", stocks: str | Sequence[str] = (),
                  by: str | None = None, unit: str = "kg") -> pd.DataFrame:
    """The mass balance of each process: inputs, outputs, losses, stock change and imbalance.

    Only rows whose unit is a mass take part (converted to ``unit``); energy rows are ignored
    here. A flow into an ``environment`` node counts as a *loss*, a flow into a ``stocks`` node
    as a *stock change* (a flow out of it as a release from stock), any other outflow as an
    *output*. ``processes`` lists the stages to balance (default: every node with both
    inflows and outflows, except environment and stock nodes). ``by`` names a column (such as
    ``"component"``) to balance each of its values separately as well.

    ``imbalance = inputs - outputs - losses - stock_change``; ``relative`` divides it by the
    larger of inputs and outputs. The result's ``attrs["unit"]`` is ``unit``.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "material": ["x", "x"],
    ...                   "value": [2.0, 1500.0], "unit": ["t", "kg"]})
    >>> stage_balance(f)[["stage", "inputs", "outputs", "imbalance"]].values.tolist()
    [['b', 2000.0, 1500.0, 500.0]]
    """
    table = validate_flows(flows)
    environment_nodes = set(_node_names(environment, "environment"))
    stock_nodes = set(_node_names(stocks, "stocks"))
    checks.unit(unit, "unit", like="kg")
    if by is not None:
        checks.choice(by, "by", [str(c) for c in table.columns])
    is_mass = {u: _unit(u, "flows.unit").dimensionality == _MASS for u in table["unit"].unique()}
    mass = table[table["unit"].map(is_mass)].copy()
    factors = _factors(list(mass["unit"].unique()), unit)
    mass["value"] = mass["value"] * mass["unit"].map(factors)
    if processes is None:
        nodes = set(mass["source"]) & set(mass["target"])
        appearance = list(pd.unique(mass[["source", "target"]].to_numpy().ravel()))
        stages = sorted(nodes - environment_nodes - stock_nodes, key=appearance.index)
    else:
        stages = list(_node_names(processes, "processes"))
        known = set(table["source"]) | set(table["target"])
        unknown = [p for p in stages if p not in known]
        if unknown:
            raise ValueError(f"processes {unknown} do not appear in flows{checks.suggest(unknown[0], known)}; "
                             f"nodes are {sorted(known)}")
    groups: list[tuple[Any, pd.DataFrame]] = [(None, mass)]
    if by is not None:
        groups += [(k, g) for k, g in mass.groupby(by, sort=False)]
    rows = []
    environment_list, stock_list = list(environment_nodes), list(stock_nodes)
    for key, frame in groups:
        src, tgt, val = frame["source"].to_numpy(), frame["target"].to_numpy(), frame["value"].to_numpy()
        to_env = np.isin(tgt, environment_list)
        to_stock = np.isin(tgt, stock_list)
        from_stock = np.isin(src, stock_list)
        for stage in stages:
            out_mask, in_mask = src == stage, tgt == stage
            inputs = float(val[in_mask & ~from_stock].sum())
            released = float(val[in_mask & from_stock].sum())
            losses = float(val[out_mask & to_env].sum())
            stock_in = float(val[out_mask & to_stock].sum())
            outputs = float(val[out_mask & ~to_env & ~to_stock].sum())
            stock_change = stock_in - released
            imbalance = inputs - outputs - losses - stock_change
            scale = max(inputs + released, outputs + losses + stock_in)
            row: dict[str, Any] = {"stage": stage}
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


def _amount(x: float) -> str:
    """A mass in a message: four significant digits, every digit of the whole part."""
    whole = int(math.log10(abs(x))) + 1 if x and math.isfinite(x) and abs(x) >= 1 else 0
    return formats.number(x, digits=max(4, whole))


def check_balance(flows: pd.DataFrame, *, processes: str | Sequence[str] | None = None,
                  environment: str | Sequence[str] = "environment", stocks: str | Sequence[str] = (),
                  by: str | None = None, unit: str = "kg", rel_tol: float = 1e-9) -> pd.DataFrame:
    """:func:`stage_balance` after checking that every stage closes within ``rel_tol``.

    Raises :class:`MassBalanceError` (a ``ValueError``) naming the first stage that does not
    balance, or a process that has inflows but no outflows (mass cannot vanish: send losses to
    the environment node).

    >>> import pandas as pd
    >>> flows = pd.DataFrame({"source": ["mine", "mill", "mill"], "target": ["mill", "market", "environment"],
    ...                       "material": ["ore", "metal", "dust"], "value": [10.0, 6.0, 1.0], "unit": ["t", "t", "t"]})
    >>> check_balance(flows)
    Traceback (most recent call last):
    ...
    course_lib.flows.MassBalanceError: mass balance violated at stage 'mill': inputs 10,000 kg but outputs + losses + stock change = 7,000 kg (3,000 kg missing, 30% of inputs)
    """
    tolerance = checks.share(rel_tol, "rel_tol", allow_one=False)
    balance = stage_balance(flows, processes=processes, environment=environment, stocks=stocks, by=by, unit=unit)
    for row in balance.itertuples():
        if row.n_in and not row.n_out and (by is None or getattr(row, by) == "all"):
            raise MassBalanceError(
                f"stage {row.stage!r} has inputs ({_amount(row.inputs)} {unit}) but no outflows: route its "
                "losses to the environment node and its accumulation to a stock node"
            )
        if row.relative > tolerance:
            where = f"stage {row.stage!r}" + (f" ({by} {getattr(row, by)!r})" if by is not None else "")
            total = row.outputs + row.losses + row.stock_change
            word = "missing" if row.imbalance > 0 else "too much"
            share = 100 * abs(row.imbalance) / max(row.inputs, total)
            raise MassBalanceError(
                f"mass balance violated at {where}: inputs {_amount(row.inputs)} {unit} but outputs + losses + "
                f"stock change = {_amount(total)} {unit} ({_amount(abs(row.imbalance))} {unit} {word}, "
                f"{formats.number(share, 2)}% of inputs)"
            )
    return balance
