"""How long a notebook's core path takes a first-year student, from the course's own counts.

The counts are stated once, with their reasons, in ``datasets/lesson_timing.csv``: a reading speed
(words a minute of what a student sees), minutes to look at a chart, and minutes per exercise kind
(the ``kind`` of each question in the topics' ``questions.toml``). The core path is what a student
sees in class: cells for instructors, worked solutions and optional *Going further* parts (cells
tagged :data:`GOING_FURTHER`) are left out. An exercise is a ``check("topic.name", ...)`` call in a
cell tagged ``exercise``; the prompt its ``ask`` cell shows is part of the exercise's minutes.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("one two three four")])
>>> core_path(nb, speed=2.0).reading_minutes
2.0
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from course_lib import data

__all__ = ["GOING_FURTHER", "LEFT_OUT", "CorePath", "timing_figures", "core_path", "exercise_minutes", "stated_minutes",
           "session_plan", "numbered_exercises", "notebook_core_path"]

#: The tag of a cell in an optional "Going further" part (its heading says so to the student).
GOING_FURTHER = "going-further"
#: Cells a student does not meet on the core path.
LEFT_OUT = frozenset({"instructor", "solution", GOING_FURTHER})

_WORD = re.compile(r"[^\W_]")  # a token counts as a word when it holds a letter or digit
_CHECK = re.compile(r"""\bcheck\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")
_EXERCISE_CELL = re.compile(r"""\b(?:ask|check)\(\s*["']""")
_CHART_MIMES = ("application/vnd.vegalite.v5+json", "application/vnd.jupyter.widget-view+json")
_MINUTES = re.compile(r"(\d+)[\s-]*(?:minutes|minute|min)\b")
_SESSION = re.compile(r"(\d+)-minute session")
_EXERCISE_HEADING = re.compile(r"^(?:#+\s*|\*\*)Exercise\s+(\d+)\b", re.M)
_HOMEWORK = re.compile(r"\bexercises?\s+(\d+(?:(?:\s*,\s*|\s+and\s+|\s+to\s+)\d+)*)")


@dataclass
class CorePath:
    """What a student meets on a notebook's core path, and the minutes it takes."""

    words: int = 0
    charts: int = 0
    exercises: dict[str, str] = field(default_factory=dict)  # question id -> kind
    reading_minutes: float = 0.0
    chart_minutes: float = 0.0
    exercise_minutes: float = 0.0

    @property
    def minutes(self) -> float:
        return self.reading_minutes + self.chart_minutes + self.exercise_minutes


def timing_figures() -> dict[str, float]:
    """The figures of ``lesson_timing.csv``: name -> value (words a minute, or minutes)."""
    table = data.load("lesson_timing")
    return {str(name): float(value) for name, value in zip(table["name"], table["value"])}


def _words(text: str) -> int:
    return sum(1 for token in text.split() if _WORD.search(token))


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _shown_text(cell: Any) -> tuple[str, int]:
    """(the text a code cell's outputs show, how many charts or explorers they hold)."""
    texts, charts = [], 0
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            texts.append(str(output.get("text", "")))
            continue
        shown = output.get("data", {})
        if any(mime in shown for mime in _CHART_MIMES):
            charts += 1
        elif "text/plain" in shown:
            texts.append(str(shown["text/plain"]) if isinstance(shown["text/plain"], str) else "".join(shown["text/plain"]))
    return "\n".join(texts), charts


def core_path(nb: Any, figures: Mapping[str, float] | None = None, speed: float | None = None) -> CorePath:
    """Count a notebook's core path and turn it into minutes with :func:`timing_figures`.

    ``figures`` replaces the dataset's figures (a test can pass its own); ``speed`` only the
    reading speed. Exercise kinds come from the course's questions.
    """
    from course_lib import exercises

    figures = dict(timing_figures() if figures is None else figures)
    if speed is not None:
        figures["reading_speed"] = speed
    path = CorePath()
    for cell in nb.get("cells", []):
        if _tags(cell) & LEFT_OUT:
            continue
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") != "code":
            path.words += _words(source)
            continue
        path.words += _words(source)
        if "exercise" in _tags(cell):
            for question_id in _CHECK.findall(source):
                path.exercises[question_id] = exercises.question(question_id).kind
        if _EXERCISE_CELL.search(source):
            continue  # the prompt and the feedback are read within the exercise's minutes
        text, charts = _shown_text(cell)
        path.words += _words(text)
        path.charts += charts
    path.reading_minutes = path.words / figures["reading_speed"]
    path.chart_minutes = path.charts * figures.get("chart_view", 0.0)
    path.exercise_minutes = sum(exercise_minutes(question_id, kind, figures) for question_id, kind in path.exercises.items())
    return path


def stated_minutes(nb: Any) -> int:
    """The minutes a notebook's plan states: the first figure of the ``time`` of its front matter.

    That figure is the whole core path, homework included; what follows it may split it up.

    >>> stated_minutes({"metadata": {"course": {"time": "about 105 minutes: a 90-minute session and 15 minutes of homework"}}})
    105
    """
    time = str(nb.get("metadata", {}).get("course", {}).get("time", ""))
    first = _MINUTES.search(time)
    if first is None:
        raise ValueError(f"the notebook's metadata['course']['time'] states no minutes: {time!r}")
    return int(first.group(1))


def numbered_exercises(nb: Any) -> dict[int, str]:
    """Exercise number -> question id: the first ``check`` after each "Exercise N" heading.

    >>> import nbformat
    >>> cells = [nbformat.v4.new_markdown_cell("### Exercise 3 (a new case)"),
    ...          nbformat.v4.new_code_cell('answer = None\\ncheck("capital.msy_fraction", answer)')]
    >>> numbered_exercises(nbformat.v4.new_notebook(cells=cells))
    {3: 'capital.msy_fraction'}
    """
    found: dict[int, str] = {}
    waiting: int | None = None
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", []))
        heading = _EXERCISE_HEADING.search(source) if cell.get("cell_type") == "markdown" else None
        if heading:
            waiting = int(heading.group(1))
        elif waiting is not None and cell.get("cell_type") == "code" and _CHECK.search(source):
            found[waiting] = _CHECK.findall(source)[0]
            waiting = None
    return found


def session_plan(nb: Any) -> tuple[int, list[int]] | None:
    """(the minutes of the class session the ``time`` front matter names, the exercises it sends home).

    ``None`` when the plan names no session. The words after "N-minute session" list the homework
    as "exercises 9 and 12", "exercises 1 to 3 and 6 to 12" or "(exercise 10)".

    >>> session_plan({"metadata": {"course": {"time": "about 110 minutes: a 90-minute session, with exercises 9 and 12 as homework"}}})
    (90, [9, 12])
    >>> session_plan({"metadata": {"course": {"time": "about 105 minutes; in a 90-minute session, exercises 9 to 11 are homework"}}})
    (90, [9, 10, 11])
    >>> session_plan({"metadata": {"course": {"time": "in a 90-minute session, exercises 1 to 3, 6 and 8 to 9 are homework"}}})
    (90, [1, 2, 3, 6, 8, 9])
    """
    time = str(nb.get("metadata", {}).get("course", {}).get("time", ""))
    session = _SESSION.search(time)
    if session is None:
        return None
    homework: list[int] = []
    for listed in _HOMEWORK.findall(time[session.end():]):
        for part in re.split(r"\s*,\s*|\s+and\s+", listed):
            first, _, last = part.partition(" to ")
            homework += list(range(int(first), int(last or first) + 1))
    return int(session.group(1)), homework


def exercise_minutes(question_id: str, kind: str, figures: Mapping[str, float]) -> float:
    """Minutes for one exercise: ``exercise_<kind>_<topic>`` if the dataset gives one, else ``exercise_<kind>``.

    A topic's own row is for exercises of a kind that are much smaller there than elsewhere (the
    one-line drills of notebook 00's Python primer), with its reason in the dataset.

    >>> exercise_minutes("start.run_a_cell", "recall", {"exercise_recall": 3, "exercise_recall_start": 2})
    2
    >>> exercise_minutes("energy.x", "recall", {"exercise_recall": 3, "exercise_recall_start": 2})
    3
    """
    topic = question_id.split(".", 1)[0]
    if f"exercise_{kind}_{topic}" in figures:
        return figures[f"exercise_{kind}_{topic}"]
    if f"exercise_{kind}" not in figures:
        raise ValueError(f"lesson_timing gives no minutes for exercise kind {kind!r} (question {question_id})")
    return figures[f"exercise_{kind}"]


def notebook_core_path(path: str | Path) -> CorePath:
    """:func:`core_path` of a notebook file."""
    return core_path(nbformat.read(str(path), as_version=4))
