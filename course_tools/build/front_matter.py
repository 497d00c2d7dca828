"""A notebook's front matter (title, time, prerequisites, objectives, note for instructors).

It is stored in the notebook's own metadata, ``metadata["course"]``, which JupyterLab keeps
through edits and runs (*Property Inspector → Advanced Tools → Notebook metadata*)::

    "course": {
      "title": "01 · Energy tables: de Rosnay's Table 1 as data",
      "time": "about 45 minutes",
      "prerequisites": "`00_start_here` (running cells, units, `check`)",
      "objectives": ["explain ...", "convert ..."],
      "instructors": "Four natural pauses: ...",
      "sessions": {"90 minutes": ["0-10 min: ...", ...], "2 × 45 minutes": ["Session A: ...", ...]}
    }

The first cell says the same for people; ``tests/test_build.py`` checks that the two agree. Fields
may be left out; without a title, the first ``# heading`` of the notebook is used.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Energy tables\\n\\nText.")])
>>> nb.metadata["course"] = {"time": "45 min", "objectives": ["read a table", "convert units"]}
>>> meta = front_matter(nb)
>>> meta["title"], meta["time"], meta["objectives"], meta["instructors"], meta["sessions"]
('Energy tables', '45 min', ['read a table', 'convert units'], '', {})
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

import nbformat

__all__ = ["FrontMatter", "FIELDS", "METADATA_KEY", "front_matter"]

METADATA_KEY = "course"


class FrontMatter(TypedDict):
    """What :func:`front_matter` returns: every field, empty when the notebook does not give it."""

    title: str
    time: str
    prerequisites: str
    objectives: list[str]
    instructors: str
    sessions: dict[str, list[str]]


FIELDS = tuple(FrontMatter.__annotations__)
_TEXT_FIELDS = ("title", "time", "prerequisites", "instructors")
_HEADING = re.compile(r"^#\s+(\S.*)$", re.M)


def _where(field: str) -> str:
    return f'metadata["{METADATA_KEY}"]["{field}"]'


def _text(stored: dict, field: str) -> str:
    value = stored.get(field, "")
    if not isinstance(value, str):
        raise TypeError(f"{_where(field)} must be text, got {value!r} ({type(value).__name__})")
    return value.strip()


def front_matter(nb: nbformat.NotebookNode) -> FrontMatter:
    """The front matter of ``nb`` from ``nb.metadata["course"]`` (see the module's docstring).

    Raises ``TypeError`` when a field holds the wrong kind of value (the message names the field).
    """
    if not isinstance(nb, nbformat.NotebookNode):
        raise TypeError(f"nb must be an nbformat NotebookNode, got {type(nb).__name__}")
    stored: Any = nb.metadata.get(METADATA_KEY, {})
    if not isinstance(stored, dict):
        raise TypeError(f'metadata["{METADATA_KEY}"] must be a mapping of front-matter fields, got {stored!r}')
    texts = {field: _text(stored, field) for field in _TEXT_FIELDS}
    objectives = stored.get("objectives", [])
    if not isinstance(objectives, list) or not all(isinstance(o, str) for o in objectives):
        raise TypeError(f"{_where('objectives')} must be a list of texts, got {objectives!r}")
    sessions = stored.get("sessions", {})
    if not isinstance(sessions, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(s, str) for s in v) for k, v in sessions.items()):
        raise TypeError(f"{_where('sessions')} must map a plan's name to a list of texts, got {sessions!r}")
    info = FrontMatter(title=texts["title"], time=texts["time"], prerequisites=texts["prerequisites"],
                       objectives=[o.strip() for o in objectives if o.strip()], instructors=texts["instructors"],
                       sessions={k: [s.strip() for s in v if s.strip()] for k, v in sessions.items()})
    if not info["title"]:
        info["title"] = _first_heading(nb)
    return info


def _first_heading(nb: nbformat.NotebookNode) -> str:
    """The first ``# heading`` of the notebook's markdown cells ('' if none)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _HEADING.search(cell.source)
            if match:
                return match.group(1).strip()
    return ""
