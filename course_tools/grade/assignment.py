"""What is graded: the submissions found, the assignment they answer, its questions and their points.

The questions of an assignment (the columns of ``grades.csv`` and its ``max``) are read from the
*course's own* notebook, never from a submission: a student who deletes an exercise cell must not
shrink the assignment. They are the ids of the ``check("<topic>.<name>", ...)`` calls in the cells
tagged ``exercise``, in the order they appear.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell('answer = 0\\ncheck("start.food_day_kwh", answer)', metadata={"tags": ["exercise"]}),
...     nbformat.v4.new_code_cell('check("energy.aluminium_kwh", 1)')])  # not an exercise cell
>>> question_ids(nb)
['start.food_day_kwh']
"""

from __future__ import annotations

import csv
import math
import re
import shutil
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from course_lib import checks, exercises, identity

from . import archive

__all__ = ["Submission", "find_submissions", "course_notebooks", "choose_assignment", "question_ids", "recorded_identity",
           "identity_from_name",
           "assignment_questions", "read_points", "read_notebook", "support_files", "copy_support_files"]

# check("energy.aluminium_kwh", ...) or exercises.check('energy.aluminium_kwh', ...)
_CHECK_CALL = re.compile(r"""\bcheck\(\s*(["'])([A-Za-z_][\w]*\.[\w]+)\1""")
_QUESTION_ID = re.compile(r"""(["'])([A-Za-z_][\w]*\.[\w]+)\1""")
# Beside a notebook, not copied into a submission's folder (as the student build does).
_NOT_SUPPORT = {"README.md", "__pycache__"}


@dataclass(frozen=True)
class Submission:
    """One submitted file: ``name`` is its row in ``grades.csv`` and its feedback file's name."""

    name: str
    path: Path


def _notebooks_in(folder: Path) -> list[Path]:
    """Every ``*.ipynb`` under ``folder`` (any depth), hidden folders such as checkpoints skipped."""
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(part.startswith(".") for part in parts):
            found.append(path)
    return found


def find_submissions(paths: Sequence[str | Path]) -> list[Submission]:
    """The submissions among ``paths``: files as given, folders and zip files searched for ``*.ipynb``.

    A notebook found in a folder is named by its path inside that folder without ``.ipynb``
    (``jdoe.ipynb`` -> ``jdoe``, ``jdoe/01_energy_tables.ipynb`` -> ``jdoe/01_energy_tables``), and
    so is one in a zip file, by its path inside the zip (unpacked safely: :mod:`~course_tools.grade.archive`),
    a file given by itself by its name without ``.ipynb``; names that would repeat keep the path
    as given. A file given by itself is graded whatever it holds (a PDF becomes "not a notebook").
    """
    if isinstance(paths, (str, Path)):
        raise TypeError(f"submissions must be a list of files or folders, got the single {type(paths).__name__} {str(paths)!r}: write [{str(paths)!r}]")
    found: list[tuple[str, Path, Path]] = []  # (name, path, as given)
    for given in paths:
        if not isinstance(given, (str, Path)):
            raise TypeError(f"each submission must be a file or folder path, got {given!r} of type {type(given).__name__}")
        path = Path(given)
        if path.is_dir():
            found += [(p.relative_to(path).with_suffix("").as_posix(), p, p) for p in _notebooks_in(path)]
        elif path.is_file() and path.suffix.lower() == ".zip":  # as a folder: each notebook by its path inside
            folder = archive.unpack(path)
            found += [(p.relative_to(folder).with_suffix("").as_posix(), p, path / p.relative_to(folder))
                      for p in _notebooks_in(folder)]
        elif path.is_file():
            found.append((path.stem if path.suffix == ".ipynb" else path.name, path, path))
        else:
            raise FileNotFoundError(f"submission {str(given)!r}: no such file or folder (working folder: {Path.cwd()})")
    seen: set[Path] = set()
    unique = []
    for name, path, given_path in found:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append((name, path, given_path))
    counts = Counter(name for name, _, _ in unique)
    submissions = []
    for name, path, given_path in unique:
        if counts[name] > 1:
            name = "/".join(part for part in given_path.with_suffix("").as_posix().split("/") if part not in ("", ".", ".."))
        submissions.append(Submission(name, path))
    return sorted(submissions, key=lambda s: s.name)


def course_notebooks() -> Path:
    """The course's notebooks: ``notebooks/`` in the current folder, else the course checkout's."""
    here = Path.cwd() / "notebooks"
    if here.is_dir():
        return here
    checkout = Path(__file__).resolve().parents[2]
    return checkout / "notebooks"


def choose_assignment(submissions: Sequence[Submission], assignment: str | Path | None = None,
                      folder: Path | None = None) -> Path:
    """The course notebook the submissions answer: ``assignment`` if given, else found by name.

    Each submission's file name is matched against the course notebooks' names (a learning
    platform's download keeps the name, often behind a prefix: ``jdoe_1234_01_energy_tables.ipynb``);
    the notebook most submissions match is the assignment. Submissions that match another one (or
    none) are still graded against it, and their status says when they answer none of its questions.
    """
    if assignment is not None:
        path = checks.file_path(assignment, "assignment")
        if path.suffix != ".ipynb":
            raise ValueError(f"assignment={str(assignment)!r} must be a notebook (.ipynb): the course's version of the assignment")
        return path
    folder = folder or course_notebooks()
    course = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not course:
        raise ValueError(f"no course notebooks in {folder}: name the assignment's notebook with --assignment")
    votes: Counter[Path] = Counter()
    for submission in submissions:
        matches = [nb for nb in course if nb.stem in submission.path.name]
        if matches:
            votes[max(matches, key=lambda nb: len(nb.stem))] += 1
    if not votes:
        raise ValueError(f"no submission's file name contains the name of a course notebook "
                         f"({', '.join(nb.name for nb in course)}): name the assignment with --assignment")
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        raise ValueError(f"the submissions' names match {ranked[0][0].name} and {ranked[1][0].name} equally often: "
                         "grade one assignment at a time, naming it with --assignment")
    return ranked[0][0]


def read_notebook(path: Path) -> nbformat.NotebookNode | None:
    """The notebook in ``path`` (as nbformat 4), or None if it is not one (bad JSON, not nbformat)."""
    try:
        text = path.read_text(encoding="utf-8")
        invalid: dict[str, Any] = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4, capture_validation_error=invalid)
    except Exception:  # anything that is not a readable notebook: not JSON, wrong shape, not text
        return None
    if invalid or not isinstance(nb.get("cells"), list):
        return None
    return nb


def _tags(cell: Any) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return tags if isinstance(tags, list) else []


def question_ids(nb: nbformat.NotebookNode) -> list[str]:
    """The ids of the questions the ``exercise`` cells of ``nb`` check, in order, each once."""
    found: list[str] = []
    for cell in nb.cells:
        if cell.get("cell_type") == "code" and "exercise" in _tags(cell):
            for match in _CHECK_CALL.finditer(cell.get("source", "")):
                if match.group(2) not in found:
                    found.append(match.group(2))
    return found


def recorded_identity(nb: nbformat.NotebookNode) -> tuple[str | None, str | None]:
    """The student identity a saved notebook was run under, and the hub user it ran as (or None).

    :func:`course_lib.exercises.ask` stores both in the metadata of the exercise it shows
    (``{"course": {"student": ..., "hub_user": ...}}``); the last exercise shown counts.
    """
    student = hub = None
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            course = output.get("metadata", {}).get("course") if isinstance(output.get("metadata"), dict) else None
            if not isinstance(course, dict):
                continue
            if isinstance(course.get("student"), str) and course["student"].strip():
                student = identity.normalise(course["student"])
            if isinstance(course.get("hub_user"), str) and course["hub_user"].strip():
                hub = identity.normalise(course["hub_user"])
    return student, hub


def identity_from_name(submission: Submission, assignment: Path) -> str:
    """The identity a submission's file name gives: ``alice.ipynb`` -> ``alice``.

    The assignment's own name and what follows it are taken out (``alice_01_energy_tables-1.ipynb``
    -> ``alice``); a notebook named only after the assignment (``alice/01_energy_tables.ipynb``)
    takes its folder's name.

    >>> identity_from_name(Submission("alice", Path("alice.ipynb")), Path("01_energy_tables.ipynb"))
    'alice'
    >>> identity_from_name(Submission("x", Path("Jdoe_12_01_energy_tables-1.ipynb")), Path("01_energy_tables.ipynb"))
    'jdoe_12'
    >>> identity_from_name(Submission("Bob/01_energy_tables", Path("Bob/01_energy_tables.ipynb")), Path("01_energy_tables.ipynb"))
    'bob'
    """
    # Platforms put the student before the assignment's name and a resubmission number after it
    # (jdoe_1234_01_energy_tables-1.ipynb): the part before the name, else the part after it.
    before, found, after = submission.path.name.removesuffix(".ipynb").partition(assignment.stem)
    name = before.strip(" _-.")
    if found and not name and not after.strip(" _-.").isdigit():
        name = after.strip(" _-.")  # 01_energy_tables_alice
    if not name:
        parts = submission.name.split("/")
        name = parts[-2] if len(parts) > 1 else submission.name
    return identity.normalise(name)


def mentions_any(nb: nbformat.NotebookNode, ids: Iterable[str]) -> bool:
    """Whether some code cell of ``nb`` names one of the question ``ids`` (as a string)."""
    wanted = set(ids)
    return any(match.group(2) in wanted
               for cell in nb.cells if cell.get("cell_type") == "code"
               for match in _QUESTION_ID.finditer(str(cell.get("source", ""))))


def assignment_questions(path: Path) -> list[str]:
    """The question ids of the course notebook ``path``; each is checked to be a course question."""
    nb = read_notebook(path)
    if nb is None:
        raise ValueError(f"assignment={str(path)!r} is not a readable notebook")
    ids = question_ids(nb)
    if not ids:
        raise ValueError(f"assignment={str(path)!r} has no cell tagged 'exercise' that calls check(\"<topic>.<name>\", ...): "
                         "nothing to grade")
    for question_id in ids:
        exercises.question(question_id)  # raises ValueError for an id the course does not define
    return ids


def read_points(path: str | Path | None, questions: Sequence[str]) -> dict[str, float]:
    """Points per question: 1 each, or as a CSV file with columns ``question,points`` says.

    The file may list questions of other assignments too (one file for the whole course); a
    question id the course does not define is refused, as is a negative or non-numeric value.
    """
    points = {question: 1.0 for question in questions}
    if path is None:
        return points
    file = checks.file_path(path, "points")
    with open(file, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"question", "points"} <= {f.strip() for f in reader.fieldnames}:
            raise ValueError(f"points={str(path)!r} must be a CSV file with the columns question,points; "
                             f"its header is {reader.fieldnames}")
        known: list[str] | None = None
        for line, row in enumerate(reader, start=2):
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            question, value = row["question"], row["points"]
            if not question:
                continue
            try:
                number = float(value)
            except ValueError:
                raise ValueError(f"points={str(path)!r}, line {line}: points={value!r} for {question!r} is not a number") from None
            if not math.isfinite(number) or number < 0:
                raise ValueError(f"points={str(path)!r}, line {line}: points={value!r} for {question!r} must be a number >= 0")
            if question not in points:
                known = known if known is not None else exercises.questions()
                if question not in known:
                    raise ValueError(f"points={str(path)!r}, line {line}: {question!r} is not a course question"
                                     f"{checks.suggest(question, known)}")
                continue  # a question of another assignment
            points[question] = number
    return points


def support_files(assignment: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """What sits beside the assignment's notebook and is copied into each submission's folder.

    A notebook may open files by a path relative to its own folder (``park_template/...``); a
    submission runs in a folder of its own, so they are copied there. Left out: notebooks and
    folders holding notebooks (other students' work must never reach a submission), hidden
    entries, ``__pycache__``, ``README.md`` and whatever ``exclude`` names or holds (the grades and
    feedback of an earlier run).
    """
    excluded = [p.resolve() for p in exclude]
    found = []
    for item in sorted(assignment.resolve().parent.iterdir()):
        if item.suffix == ".ipynb" or item.name.startswith(".") or item.name in _NOT_SUPPORT:
            continue
        if any(item == p or item in p.parents for p in excluded):
            continue
        if item.is_dir() and next(item.rglob("*.ipynb"), None) is not None:
            continue
        found.append(item)
    return found


def copy_support_files(items: Iterable[Path], folder: Path) -> None:
    """Copy the files and folders ``items`` (see :func:`support_files`) into ``folder``."""
    for item in items:
        if item.is_dir():
            shutil.copytree(item, folder / item.name, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        elif item.is_file():
            shutil.copy2(item, folder / item.name)
