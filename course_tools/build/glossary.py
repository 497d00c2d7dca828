"""The glossary page: every technical term of the course in plain words, from ``datasets/glossary.csv``.

``python -m course_lib.build glossary`` writes ``GLOSSARY.md`` beside the notebooks (readable in
JupyterLab, on GitHub and in any editor) and checks on the way that each term's ``first_used`` column
names the first notebook, in course order, in which a student reads one of the term's forms
(:func:`first_places` also names the section).

A form matches a whole word (case ignored; a plural ``s`` or ``es`` allowed), so "COD" is not found
in "code"; a form that ends in ``*`` matches the start of a word ("recondition*"). Cells for
instructors and solutions are not read: a student's own copy of the notebook leaves them out.

>>> from course_tools.build.glossary import forms_in
>>> forms_in("Net present value (NPV) counts money", ["net present value", "NPV"])
True
>>> forms_in("Write your code in the cell below.", ["chemical oxygen demand", "COD"])
False
>>> forms_in("Two reconditioned engines and three hubs", ["recondition*"]), forms_in("three hubs", ["hub"])
(True, True)
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from course_lib import data

from .sources import notebook_dir, notebook_paths, out_dir

__all__ = ["forms_in", "student_sections", "first_places", "first_uses", "glossary_markdown", "build_glossary"]

#: Cells a student's own copy of a notebook leaves out (see :mod:`course_tools.build.student`).
HIDDEN_TAGS = frozenset({"instructor", "solution"})

#: A section starts at a heading of level 1 (the notebook's title) or 2 (a numbered section).
_HEADING = re.compile(r"^(#{1,2})\s+(.+?)\s*#*\s*$", re.MULTILINE)

#: How the glossary names the part of a notebook before its first numbered section.
OPENING = "opening"


@functools.lru_cache(maxsize=512)
def _pattern(form: str) -> re.Pattern[str]:
    if form.endswith("*"):
        return re.compile(r"(?<![\w-])" + re.escape(form[:-1]), re.IGNORECASE)
    return re.compile(r"(?<![\w-])" + re.escape(form) + r"(?:s|es)?(?![\w-])", re.IGNORECASE)


def forms_in(text: str, forms: Sequence[str]) -> bool:
    """Does ``text`` write one of ``forms`` as a whole word (case ignored; ``form*`` for a word's start)?"""
    return any(_pattern(form.strip()).search(text) for form in forms if form.strip())


def student_sections(path: Path) -> Iterator[tuple[str, str]]:
    """(section, text) in reading order, for every part of a notebook a student sees.

    The section is the text of the last heading of level 2 above the part ("2. Income and
    capital: a renewable stock"), or :data:`OPENING` before the first one. A cell holding a heading
    is cut at it, so the text before the heading belongs to the section above.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    section = OPENING
    for cell in nb.get("cells", []):
        if HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") != "markdown":
            yield section, source
            continue
        start = 0
        for heading in _HEADING.finditer(source):
            yield section, source[start:heading.start()]
            section = OPENING if len(heading.group(1)) == 1 else heading.group(2).strip()
            start = heading.start()
        yield section, source[start:]


def first_places(table: pd.DataFrame, paths: Sequence[Path]) -> dict[str, tuple[str, str]]:
    """term -> (first notebook in course order, section) where a student first reads one of its forms.

    ``("", "")`` for a term no notebook writes.
    """
    parts = [(path.stem, section, text) for path in sorted(paths) for section, text in student_sections(path)]
    found = {}
    for term, forms in zip(table["term"], table["forms"]):
        split = str(forms).split(";")
        found[str(term)] = next(((stem, section) for stem, section, text in parts if forms_in(text, split)), ("", ""))
    return found


def first_uses(table: pd.DataFrame, paths: Sequence[Path]) -> dict[str, str]:
    """term -> the first notebook (in course order) that writes one of its forms ('' if none)."""
    return {term: stem for term, (stem, _) in first_places(table, paths).items()}


def stale_rows(table: pd.DataFrame, paths: Sequence[Path]) -> list[str]:
    """The terms whose ``first_used`` differs from the notebooks, each with both notebooks."""
    uses = first_uses(table, paths)
    return [f"{term}: dataset says {stated!r}, notebooks say {uses[term]!r}"
            for term, stated in zip(table["term"], table["first_used"]) if uses[term] != stated]


def glossary_markdown(table: pd.DataFrame) -> str:
    """The glossary as a Markdown page, terms in alphabetical order with where each first appears."""
    lines = [
        "# Glossary",
        "",
        "Every technical term the notebooks use, in plain words. *First met in* names the notebook in",
        "which the term first appears (a later notebook may explain it more fully). Generated from",
        "`datasets/glossary.csv` by `python -m course_lib.build glossary`: edit the dataset, not this page.",
        "",
        "| term | what it means | first met in |",
        "|---|---|---|",
    ]
    for row in table.sort_values("term", key=lambda s: s.str.lower()).itertuples():
        lines.append(f"| **{row.term}** | {row.definition} | `{row.first_used}` |")
    return "\n".join(lines) + "\n"


def build_glossary(notebooks: Sequence[str | Path] | None = None, out: str | Path | None = None) -> Path:
    """Write ``GLOSSARY.md`` (default: beside the notebooks) and return its path.

    Raises ``ValueError`` when a term's ``first_used`` is not where the notebooks first write it, or when no notebook writes it at all: the dataset is then out of date.
    """
    paths = notebook_paths(notebooks)
    table = data.load("glossary")
    stale = stale_rows(table, paths)
    if stale:
        raise ValueError("glossary.csv is out of date with the notebooks: " + "; ".join(stale))
    folder = paths[0].parent if paths else notebook_dir()
    target = out_dir(out, folder / "GLOSSARY.md")
    target.write_text(glossary_markdown(table), encoding="utf-8")
    return target
