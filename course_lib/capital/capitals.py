"""The four capitals of the article: human, financial, manufacturing and natural.

>>> sorting_answer(["oil", "equipment"])
{'oil': 'natural', 'equipment': 'manufacturing'}
"""

from __future__ import annotations

from typing import Any

from .. import checks, data

__all__ = ["sorting_answer"]


def sorting_answer(items: Any = None) -> dict[str, str]:
    """The capital each example belongs to, from ``datasets/capital_examples.csv``.

    ``items`` is a list of example names; without it, the examples marked for the sorting
    exercise.

    >>> sorting_answer(["air", "loans from banks"])
    {'air': 'natural', 'loans from banks': 'financial'}
    """
    table = data.load("capital_examples")
    lookup = {str(item): str(capital) for item, capital in zip(table["item"], table["capital"])}
    if items is None:
        chosen = [str(item) for item in table.loc[table["in_sorting_exercise"].astype(bool), "item"]]
    else:
        chosen = list(checks.names(items, "items", list(lookup)))
    return {item: lookup[item] for item in chosen}
