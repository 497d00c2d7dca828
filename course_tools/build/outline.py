"""The lecture outline: per notebook its front matter and sections, as markdown for instructors.

``python -m course_lib.build outline`` writes it to the notebooks' ``README.md``. A section is a
``##`` heading; its slide is the number the offline slides give it (:mod:`course_tools.build.slides`).

>>> from tests.harness.demo import demo_notebook
>>> print(outline(demo_notebook(), "01_demo.ipynb").split("| slide |")[1])
 section | charts | explorers | exercises |
|---:|---|---:|---:|---:|
| 1 | Introduction | 0 | 0 | 0 |
| 2 | A chart with a slider | 1 | 0 | 0 |
| 4 | A live explorer | 0 | 1 | 0 |
| 5 | Exercise | 0 | 0 | 1 |
| 6 | Sources | 0 | 0 | 0 |
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ._templates import render_text
from .front_matter import front_matter
from .slides import group
from .sources import VEGALITE_MIME, WIDGET_VIEW_MIME, notebook_dir, notebook_paths, out_dir, read, tags

__all__ = ["outline", "build_outline"]

_SECTION = re.compile(r"^##\s+(.+)$", re.M)


def _rows(nb: Any) -> list[dict[str, Any]]:
    """One row per section: the slide it starts on, its title, its charts, explorers, exercises."""
    rows: list[dict[str, Any]] = []
    for number, blocks in enumerate(group(nb.cells), 1):
        for block in blocks:
            for cell in (nb.cells[i] for i in block.cells):
                heading = _SECTION.search(cell.source) if cell.cell_type == "markdown" else None
                if heading or not rows:
                    title = heading.group(1).strip() if heading else "Introduction"
                    rows.append({"slide": number, "title": title, "charts": 0, "explorers": 0, "exercises": 0})
                row = rows[-1]
                for output in cell.get("outputs", []):
                    row["charts"] += VEGALITE_MIME in output.get("data", {})
                    row["explorers"] += WIDGET_VIEW_MIME in output.get("data", {})
                row["exercises"] += "exercise" in tags(cell)
    return rows


def outline(nb: Any, name: str) -> str:
    """The lecture outline of one notebook, as markdown: front matter, then one row per section."""
    if not isinstance(name, str):
        raise TypeError(f"name must be the notebook's file name as text, got {name!r}")
    return render_text("outline_section.md.j2", name=name, meta=front_matter(nb), rows=_rows(nb))


def build_outline(notebooks: str | Path | Iterable[str | Path] | None = None,
                  out: str | Path | None = None) -> Path:
    """Write the lecture outline of every notebook to ``out`` (default: ``README.md`` in the
    notebooks' folder). Returns the path written."""
    paths = notebook_paths(notebooks)
    folders = {p.parent for p in paths}
    default = (folders.pop() if len(folders) == 1 else notebook_dir()) / "README.md"
    target = out_dir(out, default)
    if target.suffix == ".ipynb" or target.is_dir():
        raise ValueError(f"out={str(target)!r} must be a markdown file, e.g. notebooks/README.md")
    text = render_text("outline.md.j2", sections=[outline(read(p), p.name) for p in paths])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    return target
