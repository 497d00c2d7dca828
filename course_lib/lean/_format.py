"""How the lean topic writes a duration: minutes, hours or days, never months.

The cola can's story is told in days (319 days, 3 hours), so a lead time stays in days however
long it is; below an hour, minutes read better than a fraction of an hour.
"""

from __future__ import annotations

from .. import formats

__all__ = ["duration"]


def duration(hours: float) -> str:
    """``hours`` in the unit a person would use: minutes below 1 h, days from 48 h on.

    >>> duration(0.25), duration(3), duration(7653)
    ('15 min', '3 h', '318.9 days')
    """
    hours = float(hours)
    if hours >= 48:
        return f"{formats.number(hours / 24, 4)} days"
    if hours >= 1:
        return formats.duration(hours)
    return f"{formats.number(hours * 60, 3)} min"
