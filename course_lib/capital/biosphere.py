"""Biosphere 2: how much of the oxygen was lost when its share of the air fell.

Severinghaus et al. (1994) report that oxygen in Biosphere 2 "decreased during the first 16
months of closure from the ambient 21% to 14%". Those are shares of the air, so the share of the
*oxygen* that was lost depends on what happened to the rest of the air:

* if the amount of air had stayed the same, (21 - 14) / 21 = 33 % of the oxygen was lost;
* but the carbon dioxide the soil microbes made from that oxygen went into the concrete, so the
  air shrank; the nitrogen and argon (the other 79 % at the start) stayed. Oxygen per unit of
  nitrogen fell from 21/79 to 14/86: 39 % of the oxygen was lost.

>>> round(oxygen_lost(21, 14).magnitude, 1), round(oxygen_lost(21, 14, nitrogen_kept=False).magnitude, 1)
(38.8, 33.3)
"""

from __future__ import annotations

from typing import Any

import pint

from .. import checks
from ..units import Q_

__all__ = ["oxygen_lost"]


def oxygen_lost(start: Any, after: Any, *, nitrogen_kept: bool = True) -> pint.Quantity:
    """The share of the oxygen lost when oxygen's share of the air falls from ``start`` to ``after``.

    ``start`` and ``after`` are oxygen's shares of the air, in percent (21 is 21 %; a quantity
    such as ``Q_(0.21, "")`` or ``Q_(21, "percent")`` works too). With ``nitrogen_kept`` (the
    default) the other gases stay while the air shrinks: the oxygen left, per unit of the
    other gases, is compared before and after. Without it the amount of air is taken to stay
    the same, so the drop in percentage points is divided by the share at the start.

    >>> oxygen_lost(14, 21)
    Traceback (most recent call last):
    ...
    ValueError: after=21 is above start=14: give the share after the loss, at most the share at the start
    """
    begin = checks.magnitude(start, "start", "percent", minimum=0, maximum=100, inclusive=False)
    end = checks.magnitude(after, "after", "percent", minimum=0, maximum=100)
    if end > begin:
        raise ValueError(f"after={after!r} is above start={start!r}: give the share after the loss, "
                         "at most the share at the start")
    if checks.flag(nitrogen_kept, "nitrogen_kept"):
        left = (end / (100 - end)) / (begin / (100 - begin))
    else:
        left = end / begin
    return Q_(100 * (1 - left), "percent")
