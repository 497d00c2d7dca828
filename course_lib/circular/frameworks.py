"""The article's four lists side by side: lean's five steps, the 4R's, natural capitalism, cradle to cradle."""

from __future__ import annotations

import pandas as pd

from .. import data

__all__ = ["frameworks", "compare_frameworks"]


def frameworks() -> pd.DataFrame:
    """The four lists of the article, one row per item: ``framework``, ``authors``, ``no``, ``item``, ``summary``.

    >>> frameworks().groupby("framework", sort=False).size().tolist()
    [5, 4, 4, 4]
    """
    lean = data.load("lean_five_steps")
    rs = data.load("circular_4rs")
    nc = data.load("capital_strategies")  # one list of the four strategies for the whole course
    cc = data.load("circular_cradle_visions")
    parts = [
        pd.DataFrame({"framework": "Lean thinking", "authors": "Womack & Jones (1996)", "no": lean["step_no"],
                      "item": lean["principle"], "summary": lean["summary"]}),
        pd.DataFrame({"framework": "Service economy: the 4R's", "authors": "Stahel (1982); Braungart", "no": rs["r_no"],
                      "item": rs["r"].str.capitalize(), "summary": rs["meaning"]}),
        pd.DataFrame({"framework": "Natural capitalism", "authors": "Hawken, Lovins & Lovins (1999)", "no": nc["no"],
                      "item": nc["strategy"], "summary": nc["summary"]}),
        pd.DataFrame({"framework": "Cradle to cradle", "authors": "McDonough & Braungart (2002)", "no": cc["no"],
                      "item": cc["vision"], "summary": cc["summary"]}),
    ]
    return pd.concat(parts, ignore_index=True)


def compare_frameworks() -> pd.DataFrame:
    """One row per framework: its items in one cell, for a side-by-side table.

    >>> compare_frameworks().set_index("framework").loc["Lean thinking", "items"]
    'Value · Value stream · Flow · Pull · Perfection'
    """
    table = frameworks()
    return (table.groupby("framework", sort=False)
            .agg(authors=("authors", "first"), items=("item", lambda s: " · ".join(s)), count=("item", "size"))
            .reset_index())
