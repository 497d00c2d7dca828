"""The glossary page: every technical term of the course in plain words, from ``datasets/glossary.csv``.

``python -m course_lib.build glossary`` writes ``GLOSSARY.md`` beside the notebooks (readable in
JupyterLab, on GitHub and in any editor) and checks on the way that each term's ``first_used``
column names the first notebook, in course order, that writes one of its forms.

>>> from course_tools.build.glossary import forms_in
>>> forms_in("Net present value (NPV) counts money", ["net present value", "NPV"])
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from course_lib import data

from .sources import notebook_dir, notebook_paths, out_dir

__all__ = ["forms_in", "first_uses", "glossary_markdown", "build_glossary"]


def forms_in(text: str, forms: Sequence[str]) -> bool:
    """Does ``text`` write one of ``forms`` (case ignored, at the start of a word)?"""
    return any(re.search(r"(?<![\w-])" + re.escape(form.strip()), text, re.IGNORECASE) for form in forms if form.strip())


def _texts(paths: Iterable[Path]) -> dict[str, str]:
    texts = {}
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        texts[path.stem] = "\n".join("".join(c.get("source", [])) for c in nb.get("cells", []))
    return texts


def first_uses(table: pd.DataFrame, paths: Sequence[Path]) -> dict[str, str]:
    """term -> the first notebook (in course order) that writes one of its forms ('' if none)."""
    texts = _texts(sorted(paths))
    found = {}
    for term, forms in zip(table["term"], table["forms"]):
        split = str(forms).split(";")
        found[str(term)] = next((stem for stem, text in texts.items() if forms_in(text, split)), "")
    return found


def glossary_markdown(table: pd.DataFrame) -> str:
    """The glossary as a Markdown page, terms in alphabetical order with where each first appears."""
    lines = [
        "# Glossary",
        "",
        "Every technical term the notebooks use, in plain words. *First used in* names the notebook",
        "where the term first appears; it is defined there too. Generated from `datasets/glossary.csv`",
        "by `python -m course_lib.build glossary`: edit the dataset, not this page.",
        "",
        "| term | what it means | first used in |",
        "|---|---|---|",
    ]
    for row in table.sort_values("term", key=lambda s: s.str.lower()).itertuples():
        lines.append(f"| **{row.term}** | {row.definition} | `{row.first_used}` |")
    return "\n".join(lines) + "\n"


def build_glossary(notebooks: Sequence[str | Path] | None = None, out: str | Path | None = None) -> Path:
    """Write ``GLOSSARY.md`` (default: beside the notebooks) and return its path.

    Raises ``ValueError`` when a term's ``first_used`` is not where the notebooks first write it, or
    when no notebook writes it at all: the dataset is then out of date.
    """
    paths = notebook_paths(notebooks)
    table = data.load("glossary")
    uses = first_uses(table, paths)
    stale = [f"{term}: dataset says {stated!r}, notebooks say {uses[term]!r}"
             for term, stated in zip(table["term"], table["first_used"]) if uses[term] != stated]
    if stale:
        raise ValueError("glossary.csv is out of date with the notebooks: " + "; ".join(stale))
    folder = paths[0].parent if paths else notebook_dir()
    target = out_dir(out, folder / "GLOSSARY.md")
    target.write_text(glossary_markdown(table), encoding="utf-8")
    return target
