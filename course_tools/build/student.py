"""Student versions: the same notebooks with the worked solutions and the instructor notes taken out.

Each step is an nbconvert preprocessor, so the same conversion also runs from nbconvert itself::

    jupyter nbconvert --to course_tools.build.student.StudentExporter notebooks/01_energy_tables.ipynb

* :class:`RemoveInstructorNotes`: cells tagged ``instructor`` (notes on where to pause, grading
  rubrics) are left out, and so are the notes and lesson plans of the front matter
  (``metadata["course"]["instructors"]`` and ``["sessions"]``);
* :class:`RemoveSolutions`: cells tagged ``solution`` get a blank stub (:data:`STUB_CODE` or
  :data:`STUB_MARKDOWN`), lose outputs and attachments, and are re-tagged ``solution-removed``;
* :class:`OpenExercises`: cells tagged ``exercise`` lose their stored outputs and are tagged
  ``raises-exception`` too, so a half-written answer that raises does not stop "Run All" in
  JupyterLab (nbval honours the tag as well);
* :class:`PruneWidgetState`: saved widget state is kept only for widgets a remaining output shows;
* :class:`MarkStudentVersion`: ``metadata["course"]["version"] = "student"``.

Everything else (text, charts, other outputs, slide metadata) is kept as it is.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("answer = 0  # your answer here", metadata={"tags": ["exercise"]}),
...     nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]}),
...     nbformat.v4.new_markdown_cell("For instructors: pause here.", metadata={"tags": ["instructor"]})])
>>> student = student_notebook(nb)
>>> "42" in student.cells[1].source, student.cells[1].metadata["tags"], student.cells[0].metadata["tags"]
(False, ['solution-removed'], ['exercise', 'raises-exception'])
>>> len(student.cells)
2
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import Exporter, NotebookExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, List, default

from . import _widgets
from .front_matter import METADATA_KEY
from .sources import build_dir, copy_support_files, notebook_paths, out_dir, read, safe_out, tags

__all__ = [
    "STUB_CODE", "STUB_MARKDOWN", "INSTRUCTOR_TAG", "RemoveInstructorNotes", "RemoveSolutions", "OpenExercises",
    "PruneWidgetState", "MarkStudentVersion",
    "StudentExporter", "student_notebook", "build_student",
]

STUB_CODE = (
    "# your answer here\n"
    "# (scratch space: the worked solution is in the instructor version of this notebook)\n"
)
STUB_MARKDOWN = "*Worked solution: in the instructor version of this notebook.*"
INSTRUCTOR_TAG = "instructor"  # a cell for instructors only: left out of every student build
# Front-matter fields that speak to instructors (where to pause, lesson plans): not for students.
INSTRUCTOR_FIELDS = ("instructors", "sessions")


class _Step(Preprocessor):
    enabled = Bool(True).tag(config=True)  # every step of the student version is on by default


class RemoveInstructorNotes(_Step):
    """Leave out each cell tagged ``instructor`` and the front matter's notes for instructors."""

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        # The whole cell goes, not a stub: a student has nothing to write there.
        nb.cells = [cell for cell in nb.cells if INSTRUCTOR_TAG not in tags(cell)]
        course = nb.metadata.get(METADATA_KEY)
        if isinstance(course, dict):
            for field in INSTRUCTOR_FIELDS:
                course.pop(field, None)
        return nb, resources


class RemoveSolutions(_Step):
    """Replace each cell tagged ``solution`` by a stub (code or markdown), tagged ``solution-removed``."""

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        found = tags(cell)
        if "solution" not in found:
            return cell, resources
        cell.source = STUB_CODE if cell.cell_type == "code" else STUB_MARKDOWN
        cell.pop("attachments", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata["tags"] = sorted((found - {"solution"}) | {"solution-removed"})
        return cell, resources


class OpenExercises(_Step):
    """Clear the stored answer of each cell tagged ``exercise`` and tag it ``raises-exception``."""

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        found = tags(cell)
        if "exercise" not in found or {"solution", "solution-removed"} & found:
            return cell, resources
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata["tags"] = sorted(found | {"raises-exception"})
        return cell, resources


class PruneWidgetState(_Step):
    """Drop saved widget models that no remaining output displays (e.g. one a solution showed)."""

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        _widgets.prune(nb)
        return nb, resources


class MarkStudentVersion(_Step):
    """Record in the notebook's metadata that it is the student version."""

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        nb.metadata.setdefault(METADATA_KEY, {})["version"] = "student"
        return nb, resources


STEPS = (RemoveInstructorNotes, RemoveSolutions, OpenExercises, PruneWidgetState, MarkStudentVersion)


class StudentExporter(NotebookExporter):
    """nbconvert exporter writing the student version of a notebook (``--to`` this class's path)."""

    preprocessors: List[Any] = List(help="The steps of the student version, in order.").tag(config=True)

    @default("preprocessors")
    def _default_steps(self) -> list:
        return list(STEPS)


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` for students: instructor notes left out, worked solutions replaced by a stub,
    exercise outputs cleared.

    The instructor version ``nb`` is not changed. See the module's docstring for each step.
    """
    if not isinstance(nb, nbformat.NotebookNode):
        raise TypeError(f"nb must be an nbformat NotebookNode, got {type(nb).__name__}")
    student, _ = Exporter(preprocessors=list(STEPS)).from_notebook_node(nb)
    return student


def build_student(notebooks: str | Path | Iterable[str | Path] | None = None,
                  out: str | Path | None = None) -> list[Path]:
    """Write the student version of each notebook into ``out`` (default ``build/student/``).

    Files beside the notebooks (templates a notebook opens by relative path) are copied too; the
    datasets are not: ``course_lib`` finds its datasets by itself. Returns the notebooks written.
    """
    paths = notebook_paths(notebooks)
    target = safe_out(out_dir(out, build_dir() / "student"), paths)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nbformat.write(student_notebook(read(path)), target / path.name)
        written.append(target / path.name)
    copy_support_files(paths, target)
    return written
