"""Grade a class's submissions of one assignment: run each, score it, collect a gradebook.

The order of work: find the submissions; choose the assignment and read its questions from the
course's notebook (which loads the answer key *before* any student code runs); read the points;
set aside what is not a notebook or checks none of the assignment's questions; run the rest in
parallel (:mod:`~course_tools.grade.run`); score each from its answer log
(:mod:`~course_tools.grade.scoring`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib import _answers, checks, identity

from . import assignment as _assignment
from . import sandbox as _sandbox
from .attempts import Checked, cross_check, longer_histories, submitted_log, work_log
from .policy import Policy, item_kind, read_policy
from .run import Limits, Run, run_all
from .scoring import QuestionScore, score

__all__ = ["Grade", "Gradebook", "grade", "NOT_A_NOTEBOOK", "NOT_THIS_ASSIGNMENT", "CAPSTONE"]

NOT_A_NOTEBOOK = "not a notebook"
#: The id under which ``economics.review_capstone`` records the capstone for the grader.
CAPSTONE = "economics.capstone"
NOT_THIS_ASSIGNMENT = "error: it checks none of this assignment's questions (a notebook of another assignment or course?)"


@dataclass
class Grade:
    """One submission's row of the gradebook: its status, and the score of each question."""

    submission: str
    path: Path
    status: str
    scores: list[QuestionScore]
    errors: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    student: str | None = None
    identity_note: str = ""
    checked: dict[str, Checked] = field(default_factory=dict)
    capstone: object = None  # the capstone answer sheet the re-run reviewed, if any
    texts: dict[str, str] = field(default_factory=dict)  # the whole answer to each rubric item (reflections)

    @property
    def log_note(self) -> str:
        """What is wrong with the attempt log handed in, per question ("" when it is sound)."""
        bad: dict[str, list[str]] = {}
        for question, checked in self.checked.items():
            if checked.problem:
                bad.setdefault(checked.problem, []).append(question)
        if not bad:
            return ""
        parts = [f"{problem} for {', '.join(questions)}" for problem, questions in bad.items()]
        return "attempt log " + "; ".join(parts) + " (scored as attempts after the first)"

    @property
    def total(self) -> float:
        """Points earned."""
        return sum(s.earned for s in self.scores)

    @property
    def max(self) -> float:
        """Points the assignment is worth (the same for every submission)."""
        return sum(s.points for s in self.scores)


@dataclass
class Gradebook:
    """The grades of every submission of one assignment, and what they were graded against."""

    assignment: Path
    title: str
    questions: list[str]
    points: dict[str, float]
    limits: Limits
    grades: list[Grade]
    policy: Policy = field(default_factory=Policy)

    @property
    def ok(self) -> bool:
        """Whether every submission could be graded in full (status ``ok``)."""
        return all(g.status == "ok" for g in self.grades)


def _text(recorded: object) -> str:
    answer = _answers.from_record(recorded)
    return answer if isinstance(answer, str) else "" if answer is None else repr(answer)


def _limits(cell_timeout: Any, timeout: Any, memory: Any, sandbox: Any = True, disk: Any = 256) -> Limits:
    cell = checks.number(cell_timeout, "cell_timeout", minimum=0, inclusive=False, unit="s")
    whole = checks.number(timeout, "timeout", minimum=0, inclusive=False, unit="s")
    megabytes = checks.whole_number(memory, "memory", minimum=0)
    if 0 < megabytes < 256:
        raise ValueError(f"memory={memory!r} is not allowed: give at least 256 MB (a kernel needs about 150 MB), or 0 for no limit")
    if not isinstance(sandbox, bool):
        raise TypeError(f"sandbox={sandbox!r} is not allowed: give True (run each submission in the sandbox) or False")
    # A kernel writes a few MB (its runtime files, caches); the notebook and its support files are copied in too.
    folder = checks.whole_number(disk, "disk", minimum=16)
    if sandbox:
        _sandbox.require()
    return Limits(cell, whole, megabytes, sandbox, folder)


def _title(path: Path) -> str:
    nb = _assignment.read_notebook(path)
    course = nb.metadata.get("course", {}) if nb is not None else {}
    title = course.get("title") if isinstance(course, dict) else None
    return str(title) if title else path.stem


def _logged_student(records: list[dict[str, Any]], questions: Sequence[str]) -> str | None:
    """The one student a work zip's log judged answers of the assignment for, or None (none or several)."""
    named = {identity.normalise(r["student"]) for r in records
             if r.get("question") in questions and isinstance(r.get("student"), str) and r["student"].strip()}
    return named.pop() if len(named) == 1 else None


def _student(submission: _assignment.Submission, nb: Any, assignment: Path,
             logged: str | None = None) -> tuple[str, str]:
    """Whose numbers a submission is graded with, and a note when its names disagree.

    The identity the notebook recorded when the student ran it wins; then, for a work zip of the
    in-browser course, the one student its attempt log names (``logged``: the kernel judged the
    answers as that student); without either, the file name (``alice.ipynb`` -> ``alice``). A
    recorded identity that differs from the file name or from the hub user the notebook ran as is
    said in the gradebook, never silently accepted (a work zip still under the name it was
    downloaded with, ``course-work-2026-12-07.zip``, names nobody).
    """
    recorded, hub = _assignment.recorded_identity(nb)
    recorded = recorded or logged
    named = _assignment.identity_from_name(submission, assignment)
    if recorded is None:
        return named, ""
    notes = []
    unnamed = submission.bundle is not None and submission.bundle.name.split("/")[-1].startswith("course-work")
    if recorded != named and not unnamed:
        notes.append(f"the notebook was run as '{recorded}' but its file name says '{named}'")
    if hub is not None and hub != recorded:
        notes.append(f"the notebook was run as '{recorded}' by the hub user '{hub}'")
    note = "; ".join(notes)
    return recorded, (f"identity: {note}; graded with the numbers of '{recorded}'" if note else "")


def grade(submissions: Sequence[str | Path], *, assignment: str | Path | None = None, points: str | Path | None = None,
          jobs: int | None = None, cell_timeout: float = 60.0, timeout: float = 600.0, memory: int = 2048,
          exclude: Iterable[str | Path] = (), progress: Callable[[str, str, float], None] | None = None,
          policy: str | Path | Policy | None = None, sandbox: bool = True, disk: int = 256) -> Gradebook:
    """Run and score every submission (files or folders of ``.ipynb``) of one assignment.

    ``assignment`` is the course's notebook the submissions answer (default: the course notebook
    their file names name, see :func:`~course_tools.grade.assignment.choose_assignment`); its
    exercise cells say which questions count. ``points`` is a CSV file ``question,points``
    (default 1 point each). ``jobs`` submissions run at a time (default: the number of cores),
    each in a fresh kernel with ``cell_timeout`` and ``timeout`` seconds (per cell, per notebook)
    and ``memory`` MB for its data (0: no limit). ``exclude`` names files and folders never copied
    into a submission's folder (the gradebook and feedback of an earlier run). ``progress`` is
    called as each submission finishes, with its name, status and seconds. ``policy`` is the
    scoring policy (a :class:`~course_tools.grade.policy.Policy` or a ``scoring.toml``; default: the
    ``scoring.toml`` beside ``points``, else the course's default). Each submission's attempt log
    (its ``check()`` outputs; for a notebook from a work zip of the in-browser course, the longer
    of that and the zip's log file, per question) is checked against its run
    (:mod:`~course_tools.grade.attempts`). Of a work zip only the assignment's notebook is graded,
    named by the work zip (:func:`~course_tools.grade.assignment.select_bundles`).
    Each submission runs in the sandbox (:mod:`~course_tools.grade.sandbox`: only its own folder
    writable, at most ``disk`` MB; no network; nothing it starts outlives it); where the machine
    has none, :class:`~course_tools.grade.sandbox.SandboxUnavailable` is raised unless ``sandbox=False``.

    Nothing is written: see :func:`~course_tools.grade.report.write_grades` and
    :func:`~course_tools.grade.report.write_feedback`.
    """
    limits = _limits(cell_timeout, timeout, memory, sandbox, disk)
    workers = (os.cpu_count() or 1) if jobs is None else checks.whole_number(jobs, "jobs", minimum=1)
    found = _assignment.find_submissions(submissions)
    if not found:
        raise ValueError(f"no notebooks (*.ipynb) among submissions={[str(s) for s in submissions]}")
    notebook = _assignment.choose_assignment(found, assignment)
    questions = _assignment.assignment_questions(notebook)  # loads the answer key before any student code runs
    worth = _assignment.read_points(points, questions)
    rules = policy if isinstance(policy, Policy) else read_policy(policy, points)
    support = _assignment.support_files(notebook, [*map(Path, exclude), *(s.path for s in found)])

    statuses: dict[str, str] = {}
    students: dict[str, tuple[str, str]] = {}
    jobs_to_run = []
    logs: dict[str, list[dict[str, Any]]] = {}
    # A work zip's other notebooks are not this assignment's: left out; one without its notebook is a row saying so.
    found, missing = _assignment.select_bundles(found, notebook)
    for bundle in missing:
        statuses[bundle.name] = _assignment.no_notebook_status(notebook)
    for submission in found:
        nb = _assignment.read_notebook(submission.path)
        if nb is None:
            statuses[submission.name] = NOT_A_NOTEBOOK
        elif not _assignment.mentions_any(nb, questions):
            statuses[submission.name] = NOT_THIS_ASSIGNMENT
        else:
            logged = work_log(submission.bundle.folder) if submission.bundle is not None else []
            students[submission.name] = _student(submission, nb, notebook, _logged_student(logged, questions))
            logs[submission.name] = submitted_log(nb)
            if submission.bundle is not None:  # the work zip's log file: every session of the browser
                logs[submission.name] = longer_histories(logged, logs[submission.name],
                                                         questions, students[submission.name][0] or None)
            jobs_to_run.append((submission, nb, students[submission.name][0]))
    for name, status in statuses.items():
        if progress is not None:
            progress(name, status, 0.0)

    def done(submission: _assignment.Submission, run: Run) -> None:
        if progress is not None:
            progress(submission.name, run.status, run.seconds)

    runs = run_all(jobs_to_run, support, limits, workers, done)
    grades = []
    for submission in sorted([*found, *missing], key=lambda s: s.name):
        run = runs.get(submission.name) or Run(statuses[submission.name])
        student, note = students.get(submission.name, (None, ""))
        checked = {}
        if submission.name in logs:
            final = {q: (r.answer, r.unit) for q, r in run.records.items() if q in questions}
            scored = [q for q in questions if item_kind(q) != "rubric"]  # reflections: the rubric sheet
            checked = cross_check(logs[submission.name], final, scored, student or None)
        capstone = run.records.get(CAPSTONE)
        texts = {q: _text(run.records[q].answer) for q in questions if q in run.records and item_kind(q) == "rubric"}
        grades.append(Grade(submission.name, submission.path, run.status,
                            score(run.records, questions, worth, student=student or None, checked=checked, policy=rules),
                            run.errors, run.seconds, student, note, checked,
                            _answers.from_record(capstone.answer) if capstone is not None else None, texts))
    return Gradebook(notebook, _title(notebook), questions, worth, limits, grades, rules)
