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
import json
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

__all__ = ["Submission", "Bundle", "find_submissions", "read_work_manifest", "select_bundles", "identity_from_bundle", "course_notebooks", "choose_assignment", "question_ids", "recorded_identity",
           "identity_from_name", "no_notebook_status",
           "assignment_questions", "read_points", "read_notebook", "support_files", "copy_support_files"]

# check("energy.aluminium_kwh", ...) or exercises.check('energy.aluminium_kwh', ...)
_CHECK_CALL = re.compile(r"""\bcheck\(\s*(["'])([A-Za-z_][\w]*\.[\w]+)\1""")
_QUESTION_ID = re.compile(r"""(["'])([A-Za-z_][\w]*\.[\w]+)\1""")
# Beside a notebook, not copied into a submission's folder (as the student build does).
_NOT_SUPPORT = {"README.md", "__pycache__"}


@dataclass(frozen=True)
class Bundle:
    """One student's work zip of the in-browser course ("Download all my work"), as unpacked: the
    ``folder`` holding its :data:`~course_tools.grade.archive.WORK_MANIFEST`, and the ``name`` its
    row takes (the folder's path in what was given: ``alice_12_34_course-work-2026-12-07``)."""

    name: str
    folder: Path


@dataclass(frozen=True)
class Submission:
    """One submitted file: ``name`` is its row in ``grades.csv`` and its feedback file's name.

    ``bundle`` is the work zip the notebook came from, if any (see :func:`select_bundles`).
    """

    name: str
    path: Path
    bundle: Bundle | None = None


def read_work_manifest(folder: Path) -> dict[str, Any] | None:
    """The description of a work zip unpacked in ``folder`` (its ``course-work.json``, of kind
    ``"course-work"``), or None when ``folder`` holds none (or one that cannot be read)."""
    path = folder / archive.WORK_MANIFEST
    try:
        if not path.is_file() or path.stat().st_size > archive.MAX_MEMBER_MB * 1024 * 1024:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # unreadable, not UTF-8, not JSON: not a work zip
        return None
    return data if isinstance(data, dict) and data.get("kind") == "course-work" else None


def _bundles_under(root: Path, named: str) -> dict[Path, Bundle]:
    """Every work zip unpacked under ``root`` (``root`` itself included, then named ``named``)."""
    found = {}
    for manifest in sorted(root.rglob(archive.WORK_MANIFEST)):
        folder = manifest.parent
        if any(part.startswith(".") for part in folder.relative_to(root).parts) or read_work_manifest(folder) is None:
            continue
        found[folder] = Bundle(folder.relative_to(root).as_posix() if folder != root else named, folder)
    return found


def _bundle_of(path: Path, bundles: dict[Path, Bundle]) -> Bundle | None:
    """The work zip the notebook ``path`` came from: the nearest folder above it holding one."""
    return next((bundles[folder] for folder in path.parents if folder in bundles), None)


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

    A notebook from a student's work zip of the in-browser course (a folder holding its
    ``course-work.json``, a zip inside the zip unpacked, or the zip given) carries that
    :class:`Bundle`; a work zip holding no notebook at all is one submission whose path is its
    folder, so that its row says so (:func:`select_bundles`).
    """
    if isinstance(paths, (str, Path)):
        raise TypeError(f"submissions must be a list of files or folders, got the single {type(paths).__name__} {str(paths)!r}: write [{str(paths)!r}]")
    found: list[tuple[str, Path, Path, Bundle | None]] = []  # (name, path, as given, work zip)

    def search(folder: Path, shown: Path, named: str) -> None:
        bundles = _bundles_under(folder, named)
        notebooks = _notebooks_in(folder)
        found.extend((p.relative_to(folder).with_suffix("").as_posix(), p, shown / p.relative_to(folder),
                      _bundle_of(p, bundles)) for p in notebooks)
        for bundle in bundles.values():  # a work zip with no notebook in it: a row of its own
            if not any(bundle.folder in p.parents for p in notebooks):
                found.append((bundle.name, bundle.folder, shown / bundle.folder.relative_to(folder), bundle))

    for given in paths:
        if not isinstance(given, (str, Path)):
            raise TypeError(f"each submission must be a file or folder path, got {given!r} of type {type(given).__name__}")
        path = Path(given)
        if path.is_dir():
            search(path, path, path.resolve().name)
        elif path.is_file() and path.suffix.lower() == ".zip":  # as a folder: each notebook by its path inside
            search(archive.unpack(path), path, path.stem)
        elif path.is_file():
            found.append((path.stem if path.suffix == ".ipynb" else path.name, path, path, None))
        else:
            raise FileNotFoundError(f"submission {str(given)!r}: no such file or folder (working folder: {Path.cwd()})")
    seen: set[Path] = set()
    unique = []
    for name, path, given_path, bundle in found:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append((name, path, given_path, bundle))
    counts = Counter(name for name, _, _, _ in unique)
    submissions = []
    for name, path, given_path, bundle in unique:
        if counts[name] > 1:
            name = "/".join(part for part in given_path.with_suffix("").as_posix().split("/") if part not in ("", ".", ".."))
        submissions.append(Submission(name, path, bundle))
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
    A notebook from a work zip does not vote (each work zip holds the notebooks of several
    assignments): with only work zips, ``assignment`` must be given.
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
        if matches and submission.bundle is None:
            votes[max(matches, key=lambda nb: len(nb.stem))] += 1
    if not votes and any(s.bundle is not None for s in submissions):
        raise ValueError("the submissions are work zips of the in-browser course (\"Download all my work\"), each holding "
                         "the notebooks of several assignments: name the assignment to grade with --assignment, for example "
                         f"--assignment {folder / course[min(1, len(course) - 1)].name} (the course's notebooks: "
                         f"{', '.join(nb.name for nb in course)})")
    if not votes:
        raise ValueError(f"no submission's file name contains the name of a course notebook "
                         f"({', '.join(nb.name for nb in course)}): name the assignment with --assignment")
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        raise ValueError(f"the submissions' names match {ranked[0][0].name} and {ranked[1][0].name} equally often: "
                         "grade one assignment at a time, naming it with --assignment")
    return ranked[0][0]


#: How the status of a work zip that holds no notebook of the assignment begins.
NO_NOTEBOOK = "error: this student's work zip holds no "


def no_notebook_status(assignment: Path) -> str:
    """The status of a work zip that holds no notebook of ``assignment``."""
    return f"{NO_NOTEBOOK}{assignment.stem} notebook"


def select_bundles(submissions: Sequence[Submission], assignment: Path) -> tuple[list[Submission], list[Submission]]:
    """The submissions to grade for ``assignment``, and the work zips that hold none of its notebook.

    A work zip's notebooks other than the assignment's (by file name: it contains the assignment
    notebook's name, ``01_energy_tables``; those named exactly like it win) are left out; its
    notebook takes the work zip's name (``alice_12_34_course-work-2026-12-07``), or, when it holds
    several, each the work zip's name and its path inside. A work zip without one is given back
    as one submission (named by it, its path the folder) so that its row says so
    (:func:`no_notebook_status`). Submissions not from a work zip pass unchanged.

    >>> alice = Bundle("alice_course-work", Path("alice_course-work"))
    >>> subs = [Submission("alice_course-work/01_energy_tables", Path("alice_course-work/01_energy_tables.ipynb"), alice),
    ...         Submission("alice_course-work/04_zeri_brewery", Path("alice_course-work/04_zeri_brewery.ipynb"), alice),
    ...         Submission("bob_01_energy_tables", Path("bob_01_energy_tables.ipynb"))]
    >>> kept, missing = select_bundles(subs, Path("01_energy_tables.ipynb"))
    >>> [s.name for s in kept], missing
    (['alice_course-work', 'bob_01_energy_tables'], [])
    >>> [s.name for s in select_bundles(subs, Path("04_zeri_brewery.ipynb"))[0]]
    ['alice_course-work', 'bob_01_energy_tables']
    >>> [s.name for s in select_bundles(subs, Path("02_natural_capital.ipynb"))[1]]
    ['alice_course-work']
    """
    plain = [s for s in submissions if s.bundle is None]
    bundles: dict[Bundle, list[Submission]] = {}
    for submission in submissions:
        if submission.bundle is not None:
            bundles.setdefault(submission.bundle, []).append(submission)
    taken = Counter(s.name for s in submissions)
    kept, missing = list(plain), []
    for bundle, members in bundles.items():
        notebooks = [s for s in members if s.path != bundle.folder and assignment.stem in s.path.name]
        exact = [s for s in notebooks if s.path.name == assignment.name]
        notebooks = exact or notebooks
        if not notebooks:
            missing.append(Submission(bundle.name, bundle.folder, bundle))
            continue
        for submission in notebooks:
            name = bundle.name if len(notebooks) == 1 else f"{bundle.name}/{submission.path.relative_to(bundle.folder).with_suffix('').as_posix()}"
            if name != submission.name and taken[name] > 0:
                name = submission.name  # a name already taken by another submission: the notebook keeps its path
            taken[name] += 1
            kept.append(Submission(name, submission.path, bundle))
    return sorted(kept, key=lambda s: s.name), sorted(missing, key=lambda s: s.name)


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

    A notebook from a work zip takes the work zip's name instead (:func:`identity_from_bundle`).
    """
    if submission.bundle is not None:
        return identity_from_bundle(submission.bundle.name)
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


def identity_from_bundle(name: str) -> str:
    """The identity a work zip's name gives: what comes before ``course-work`` in it, else its folder's name.

    >>> identity_from_bundle("alice_12_34_course-work-2026-12-07")
    'alice_12_34'
    >>> identity_from_bundle("Jane Doe_123_assignsubmission_file_/course-work-2026-12-07 (1)")
    'jane doe_123_assignsubmission_file_'
    """
    parts = name.split("/")
    before = parts[-1].partition("course-work")[0].strip(" _-.")
    if not before and len(parts) > 1:
        before = parts[-2]
    return identity.normalise(before or parts[-1])


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
