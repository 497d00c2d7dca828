"""The article's synthesis as data: three threads, Benyus's examples, the course's cases, the evidence, the cartridge.

* :func:`threads`: the three threads in the article's own words, in the three passages that
  state them (``datasets/economics_threads.csv``);
* :func:`biomimicry`: Benyus's six examples (``datasets/economics_biomimicry.csv``);
* :func:`course_cases`: cases of notebooks 03-05 with the sentence that shows a thread, and
  :func:`thread_sorting` for the sorting exercise (``datasets/economics_cases.csv``);
* :func:`evidence`: what the article claims and what others report (``datasets/economics_evidence.csv``);
* :func:`cartridge_scenarios`: the HP cartridge and three alternatives as parameters of notebook
  03's product-life model (``datasets/economics_cartridge_scenarios.csv``).

>>> threads().pivot(index="thread", columns="passage", values="wording").loc["nature", "two examples"]
'imitating nature'
>>> biomimicry()["example"].iloc[1]
'gathering energy like a leaf'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import checks, data

__all__ = ["THREADS", "SORTING_CASES", "threads", "biomimicry", "course_cases", "thread_sorting", "evidence", "cartridge_scenarios"]

#: The course's short ids of the three threads, with the words of the article's "two examples" passage.
THREADS = {
    "nature": "imitating nature",
    "systems": "a systems and interconnectedness perspective",
    "local": "local needs and the local environment",
}

#: The cases of notebook 06's sorting exercise (ids of ``economics_cases``): two for each thread.
SORTING_CASES = ("zeri_fishpond", "kalundborg_gypsum", "kalundborg_novogro", "buildings_trees", "tv_lease", "kalundborg_tisso")


def threads() -> pd.DataFrame:
    """The three threads as the article words them, one row per thread and passage.

    Columns ``id, thread, passage, position, wording, basis, source``; ``passage`` is
    ``common points``, ``two examples`` or ``summary``.
    """
    return data.load("economics_threads")


def biomimicry() -> pd.DataFrame:
    """Benyus's examples of biomimicry as the article lists them: ``example, activity, model``."""
    return data.load("economics_biomimicry")


def course_cases(thread: str | None = None) -> pd.DataFrame:
    """Cases of the course with the article's sentence that shows a thread (the thread is the course's reading).

    ``thread`` keeps one thread (``"nature"``, ``"systems"`` or ``"local"``).

    >>> course_cases("nature")["id"].tolist()
    ['zeri_fishpond', 'zeri_algae', 'buildings_trees']
    >>> course_cases("natur")
    Traceback (most recent call last):
    ...
    ValueError: thread='natur' is not allowed (did you mean 'nature'?); choose one of: 'nature', 'systems', 'local'
    """
    table = data.load("economics_cases")
    if thread is None:
        return table
    checks.choice(thread, "thread", tuple(THREADS))
    return table[table["thread"] == thread].reset_index(drop=True)


def thread_sorting(ids: Any = None) -> dict[str, str]:
    """The course's thread for each case id: the answer key of the sorting exercise.

    >>> thread_sorting(["zeri_fishpond", "kalundborg_gypsum"])
    {'zeri_fishpond': 'nature', 'kalundborg_gypsum': 'systems'}
    """
    table = course_cases().set_index("id")
    chosen = list(table.index) if ids is None else list(checks.names(ids, "ids", list(table.index), allow_empty=False))
    return {case: str(table.loc[case, "thread"]) for case in chosen}


def evidence(case: str | None = None) -> pd.DataFrame:
    """The article's claims about money next to what others report (``economics_evidence``).

    ``case`` keeps ``"kalundborg"`` or ``"zeri"`` (rows for both are always kept). ``grade`` A was
    read in the source or its abstract, B only in a secondary copy: quote B rows as "reported".

    >>> evidence("zeri")["id"].tolist()
    ['claim_not_exclusive', 'claim_revenue_costs', 'claim_zeri_income', 'namibia_claim', 'okeyo_ponds']
    """
    table = data.load("economics_evidence")
    if case is None:
        return table
    checks.choice(case, "case", ("kalundborg", "zeri"))
    return table[table["case"].isin([case, "both"])].reset_index(drop=True)


def cartridge_scenarios() -> pd.DataFrame:
    """The ink cartridge's scenarios as one row each, ready for :func:`course_lib.circular.scenarios`.

    Columns ``scenario``, ``label`` and one per parameter of the product-life model (shares from
    0 to 1). Only shares are given: comparisons between scenarios do not depend on the stock,
    mass or lifetime, which stay at the model's defaults.

    >>> table = cartridge_scenarios().set_index("scenario")
    >>> table.loc["hp_recycling", ["lease_share", "recycle", "recycling_yield"]].tolist()
    [0.0, 1.0, 0.0]
    """
    long = data.load("economics_cartridge_scenarios")
    order = list(dict.fromkeys(long["scenario"]))
    labels = long.drop_duplicates("scenario").set_index("scenario")["label"]
    wide = long.pivot(index="scenario", columns="parameter", values="value").reindex(order)
    wide.columns.name = None
    wide.insert(0, "label", labels.reindex(order).astype(str))
    return wide.reset_index().astype({c: "float64" for c in wide.columns if c != "label"})
