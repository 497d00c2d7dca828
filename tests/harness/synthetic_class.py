"""A synthetic class: students of known ability answering every checked question of notebooks 01-06.

For the item analysis' tests and the grading benchmark. Each student has an ability θ drawn from a
normal distribution N(0, 1); each question a difficulty b and a discrimination a; a student is right at
the first attempt with the probability of the two-parameter logistic model (item response theory)

    P(right) = 1 / (1 + exp(-a (θ - b)))

and at each later attempt with the same model made easier by :data:`RETRY_BONUS` per attempt (the
hints), giving up after a wrong attempt with probability :data:`GIVE_UP`. A wrong answer is the
course's own: a wrong option of the question, or one of the slips its ``questions.toml`` diagnoses
(numeric questions), chosen at known rates; an answer no slip explains otherwise. Three things are
planted, for the analysis to find: an item with *negative* discrimination (a < 0: the weaker students
do better), an option nobody picks, and one question whose wrong answers are mostly one slip.

:func:`synthetic_class` gives the class table directly (one row per attempt, the columns of the
attempt log's class table), fast, without running anything. :func:`write_submissions` writes, for
the grader, each student's notebooks: the student version with the final answers typed into the
``answer = None`` cells and the attempt history in the check outputs' metadata.

>>> c = synthetic_class(20, seed=1)
>>> sorted(c.table.columns)[:4], bool(c.table["verdict"].isin(["right", "wrong"]).all())
(['answer', 'attempt', 'option', 'question'], True)
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["RETRY_BONUS", "GIVE_UP", "MAX_ATTEMPTS", "PLANTED", "Item", "SyntheticClass", "course_items",
           "synthetic_class", "write_submissions"]

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = ("01", "02", "03", "04", "05", "06")
RETRY_BONUS = 1.0    # logits added per attempt after the first: each hint makes the question easier
GIVE_UP = 0.1        # the chance a student stops after a wrong attempt
MAX_ATTEMPTS = 5
#: What is planted, by default: the question with negative discrimination, the option nobody picks
#: (question, option id) and the question whose wrong answers are mostly one slip (question, slip id).
PLANTED: Mapping[str, object] = {
    "negative": "capital.next_year_stock",
    "dead_option": ("capital.stock_flow", None),          # None: its first wrong option
    "dominant_slip": ("symbiosis.cut_percent_larger", "ratio_as_percent"),
    "dominant_rate": 0.85,                                # the planted slip's share of the wrong answers
}


@dataclass(frozen=True)
class Item:
    """One question as the model answers it: ``kind`` 'option' (choice and predict questions), 'slip'
    (numbers with diagnosed slips) or 'plain' (lists, sortings, numbers without slips); ``key`` the
    right option (options only); ``wrong`` the wrong answers' ids (None: a wrong answer no slip names)
    with their ``rates`` (summing to 1); ``a`` and ``b`` the model's discrimination and difficulty."""

    question: str
    notebook: str
    kind: str
    key: str | None
    wrong: tuple[str | None, ...]
    rates: tuple[float, ...]
    a: float
    b: float

    def p_right(self, theta: np.ndarray | float, attempt: int = 1) -> np.ndarray:
        """The model's probability of a right answer at ``attempt`` for abilities ``theta``."""
        slope = self.a if attempt == 1 else abs(self.a)
        return 1.0 / (1.0 + np.exp(-(slope * (np.asarray(theta, dtype=float) - self.b) + RETRY_BONUS * (attempt - 1))))


@dataclass
class SyntheticClass:
    """A class made by :func:`synthetic_class`: its students, their abilities, the items with their
    true parameters, what was planted, and the class table (one row per attempt)."""

    students: list[str]
    ability: np.ndarray
    items: list[Item]
    planted: dict[str, object]
    table: pd.DataFrame
    seed: int = 0
    true_difficulty: dict[str, float] = field(default_factory=dict)


# check("energy.aluminium_kwh", ...): the pattern of course_tools.grade.assignment, whose module
# imports nbformat (seconds, for its URL grammar); these notebooks are read as plain JSON instead.
_CHECK_CALL = re.compile(r"""\bcheck\(\s*(["'])([A-Za-z_][\w]*\.[\w]+)\1""")


def _question_ids(notebook: Path) -> list[str]:
    """The questions checked in the cells tagged ``exercise``, in order, each once (as the grader reads them)."""
    found: list[str] = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell.get("cell_type") == "code" and "exercise" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            found += [m.group(2) for m in _CHECK_CALL.finditer(source) if m.group(2) not in found]
    return found


@functools.lru_cache(maxsize=None)
def _course_questions() -> tuple[tuple[str, str], ...]:
    """(notebook stem, question id) of every question checked in the exercise cells of 01-06, reflections left out."""
    from course_lib import exercises

    found = []
    for number in NOTEBOOKS:
        (notebook,) = sorted((REPO / "notebooks").glob(f"{number}_*.ipynb"))
        for question in _question_ids(notebook):
            if exercises.question(question).kind != "reflection":
                found.append((notebook.stem, question))
    return tuple(found)


def _shape(question: str) -> tuple[str, str | None, list[str]]:
    """(kind, key, the ids of the question's wrong answers) as the question data define them."""
    from course_lib import exercises

    q = exercises.question(question)
    if q.choices:
        key = str(exercises.expected(question, None))
        if key in q.choices:
            return "option", key, [c for c in q.choices if c != key]
        return "plain", None, []  # a list or a table of options: scored, but no single option to count
    if q.slips is not None and q.unit is not None:  # a number (its unit known): slips are numbers
        return "slip", None, list(q.explanations)
    return "plain", None, []


def course_items(seed: int = 0, planted: Mapping[str, object] = PLANTED) -> list[Item]:
    """Every checked question of notebooks 01-06 as an :class:`Item` with known parameters drawn
    from ``seed``: difficulties spread evenly over [-2.2, 2.2] in a random order, discriminations
    uniform in [0.8, 2], wrong answers' rates from a Dirichlet(2) distribution; then ``planted``."""
    rng = np.random.default_rng(seed)
    questions = _course_questions()
    ids = [q for _, q in questions]
    negative = str(planted["negative"])
    dead_q, dead_option = planted["dead_option"]  # type: ignore[misc]
    dom_q, dom_slip = planted["dominant_slip"]  # type: ignore[misc]
    for name, question in (("negative", negative), ("dead_option", dead_q), ("dominant_slip", dom_q)):
        if question not in ids:
            raise ValueError(f"planted {name} names {question!r}, not a checked question of notebooks 01-06")
    bs = rng.permutation(np.linspace(-2.2, 2.2, len(ids)))
    items = []
    for (notebook, question), b in zip(questions, bs):
        kind, key, wrong = _shape(question)
        a = float(rng.uniform(0.8, 2.0))
        rates = rng.dirichlet(np.full(len(wrong), 2.0)) if wrong else np.zeros(0)
        ids_wrong: list[str | None] = list(wrong)
        if kind == "slip":  # some wrong numbers fit no slip the question names
            ids_wrong.append(None)
            rates = np.append(rates * 0.8, 0.2)
        if question == negative:
            a, b = -1.5, 0.0
        if question == dead_q:
            if kind != "option" or len(wrong) < 2:
                raise ValueError(f"planted dead_option: {dead_q!r} needs at least two wrong options")
            dead = dead_option or wrong[0]
            if dead not in wrong:
                raise ValueError(f"planted dead_option: {dead!r} is no wrong option of {dead_q!r}; they are {wrong}")
            rates = np.array([0.0 if w == dead else r for w, r in zip(ids_wrong, rates)])
            rates = rates / rates.sum()
        if question == dom_q:
            if dom_slip not in ids_wrong:
                raise ValueError(f"planted dominant_slip: {dom_slip!r} is no slip of {dom_q!r}; they are {wrong}")
            share = float(planted["dominant_rate"])  # type: ignore[arg-type]
            others = np.array([0.0 if w == dom_slip else r for w, r in zip(ids_wrong, rates)])
            others = others / others.sum() * (1 - share) if others.sum() else others
            rates = np.array([share if w == dom_slip else r for w, r in zip(ids_wrong, others)])
            b = 0.8  # wrong often enough for the slip to show
        items.append(Item(question, notebook, kind, key, tuple(ids_wrong), tuple(float(r) for r in rates), a, float(b)))
    return items


def _true_difficulty(item: Item) -> float:
    """The share of a whole population (θ ~ N(0, 1)) right at the first attempt: the difficulty a
    perfect analysis would find (for a < 0 it is not ordered like b, hence this)."""
    grid = np.linspace(-6, 6, 1201)
    weight = np.exp(-grid**2 / 2)
    return float((item.p_right(grid) * weight).sum() / weight.sum())


def synthetic_class(n: int = 200, *, seed: int = 0, planted: Mapping[str, object] = PLANTED) -> SyntheticClass:
    """``n`` students ``s001``, ``s002``, ... answering every item of :func:`course_items` by the model.

    Deterministic for a given ``seed``. The table has the class table's columns (``student, question,
    attempt, verdict, slip, option, answer, time``); ``answer`` holds the option id for options and
    is empty otherwise (the written answers are made for submissions: :func:`write_submissions`).
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise ValueError(f"n={n!r} must be a whole number of students, at least 2")
    items = course_items(seed, planted)
    rng = np.random.default_rng(seed + 1)
    students = [f"s{i:03d}" for i in range(1, n + 1)]
    theta = rng.normal(0.0, 1.0, n)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    rows: list[tuple] = []
    for item in items:
        for s, student in enumerate(students):
            tried: set[str] = set()
            when = start + timedelta(minutes=int(rng.integers(0, 60 * 24 * 5)))
            for attempt in range(1, MAX_ATTEMPTS + 1):
                slope = item.a if attempt == 1 else abs(item.a)
                p = 1.0 / (1.0 + math.exp(-(slope * (theta[s] - item.b) + RETRY_BONUS * (attempt - 1))))
                right = rng.random() < p
                left = [(w, r) for w, r in zip(item.wrong, item.rates) if r > 0 and (w is None or w not in tried)]
                if item.kind == "option" and not left:
                    right = True  # every option the student would pick was tried: what is left is the key
                option = slip = None
                if right:
                    option = item.key
                elif left:
                    total, pick, choice = sum(r for _, r in left), rng.random(), left[-1][0]
                    for w, r in left:
                        pick -= r / total
                        if pick < 0:
                            choice = w
                            break
                    if item.kind == "option":
                        option = choice
                    else:
                        slip = choice
                    if choice is not None:
                        tried.add(choice)
                rows.append((student, item.question, attempt, "right" if right else "wrong", slip, option,
                             option if item.kind == "option" else None, when.isoformat().replace("+00:00", "Z")))
                when += timedelta(seconds=int(rng.integers(20, 300)))
                if right or rng.random() < GIVE_UP:
                    break
    table = pd.DataFrame(rows, columns=["student", "question", "attempt", "verdict", "slip", "option", "answer", "time"])
    return SyntheticClass(students, theta, items, dict(planted), table, seed,
                          {item.question: _true_difficulty(item) for item in items})


#: A reflection as a synthetic student writes it (reflections are read with the rubric, not modelled).
REFLECTION = ("A single figure says how much energy but not which: its source, its quality, the emissions, "
              "the water and land used, and the people's work behind it.")
_UNTOUCHED = re.compile(r"^answer = None\b.*$", re.M)


def _number(value: object, unit: str | None) -> object:
    """A quantity as a student gives it: a plain number in the question's unit when it converts (a
    text such as '713.182 L' would be read with a thousands separator), else a text in scientific
    notation with its own unit."""
    import pint

    if not isinstance(value, pint.Quantity):
        return float(f"{float(value):.6g}")  # type: ignore[arg-type]
    try:
        return float(f"{float(value.to(unit or '').magnitude):.6g}")
    except pint.errors.DimensionalityError:
        return f"{float(value.magnitude):.5e} {value.units:~}".strip()


_WRONG_BY = (1.37, 0.71, 1.9, 0.55, 2.6)  # an undiagnosed wrong number at each attempt: never the same twice


def _answer(question: str, student: str, item: Item | None, row: Any, number: int) -> tuple[object, str | None, str | None]:
    """The answer a student types whose attempt ``row`` (the ``number``-th) was right or wrong (which
    option, which slip), with the slip and the option meant."""
    from course_lib import exercises

    q = exercises.question(question)
    if q.kind == "reflection":
        return REFLECTION, None, None
    expected = exercises.expected(question, student)
    if row.verdict == "right":
        if isinstance(expected, (list, dict)):
            return expected, None, None
        if q.choices:
            return str(expected), None, str(expected)  # the option by its id, as check() takes it from everyone
        return _number(expected, q.unit), None, None
    if isinstance(row.option, str):
        # The model's options are the default variant's; where this student's key is another option,
        # the two trade places, so a wrong answer stays wrong.
        option = item.key if item is not None and row.option == str(expected) and item.key else row.option
        return option, None, option
    if isinstance(row.slip, str) and q.slips is not None:
        meaning = q.explanations[row.slip]
        for value, why in q.slips(exercises.variant(question, student)):
            if why == meaning:
                return _number(value, q.unit), row.slip, None
    if isinstance(expected, list):
        return expected[:-1] or ["nothing"], None, None  # one item left out
    if isinstance(expected, dict):
        keys = list(expected)
        return ({**expected, keys[0]: expected[keys[-1]], keys[-1]: expected[keys[0]]} if len(keys) > 1 else {}), None, None
    if isinstance(expected, str):
        wrong = next((c for c in q.choices if c != expected), "none of them")
        return wrong, None, wrong
    return _number(expected * _WRONG_BY[(number - 1) % len(_WRONG_BY)], q.unit), None, None


def _records(cls: SyntheticClass, student: str, question: str, rows: list) -> tuple[list[dict], object, str]:
    """The attempt records of ``student`` at ``question`` (each answer judged by the course, as
    check() would), the final answer and the last verdict's text."""
    from course_lib import _answers, exercises

    items = {i.question: i for i in cls.items}
    variant = {k: (v if isinstance(v, (str, int, float, bool)) or v is None else str(v))
               for k, v in exercises.variant(question, student).items()}
    if not rows:  # a reflection: written once
        rows = [pd.Series({"verdict": "right", "option": None, "slip": None, "time": "2026-12-01T09:00:00Z"})]
    records, answer, text, number = [], None, "", 0
    for row in rows:
        answer, slip, option = _answer(question, student, items.get(question), row, number + 1)
        feedback = exercises.evaluate(question, answer, student=student, attempt=number + 1)
        attempted = getattr(feedback, "attempted", True)
        number += 1 if attempted else 0
        records.append({"question": question, "student": student, "variant": variant, "answer": _answers.to_record(answer),
                        "unit": None, "verdict": ("right" if feedback.correct else "wrong") if attempted else "unread",
                        # What the course diagnosed (the slip meant where the judge names none by id).
                        "slip": getattr(feedback, "slip", slip), "option": getattr(feedback, "option", option),
                        "attempt": number if attempted else None, "time": row.time})
        text = str(feedback)
    return records, answer, text


def write_submissions(cls: SyntheticClass, out_dir: str | Path, notebook: str = "01_energy_tables",
                      students: Sequence[str] | None = None) -> list[Path]:
    """Write each student's submission of ``notebook`` to ``out_dir/<student>.ipynb``: the student
    version (``course_tools.build``) with the student's final answer typed into each ``answer = None``
    exercise cell, and that cell's output as ``check()`` leaves it, with the student's whole history
    at the question in its metadata (``{"course": {"question": ..., "attempts": [...]}}``).

    The answers are the course's own for the student's variant (their file name is their identity):
    the right value, the wrong option chosen, the value a slip gives. Each is judged by
    :func:`course_lib.exercises.evaluate` as check() would, and the record says what the course says.
    """
    import copy
    import os
    import tempfile

    import nbformat

    from course_tools.build.student import student_notebook

    source = REPO / "notebooks" / f"{notebook}.ipynb"
    if not source.is_file():
        raise ValueError(f"notebook={notebook!r} is no course notebook (no {source})")
    template = student_notebook(nbformat.read(source, as_version=4))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    chosen = list(cls.students if students is None else students)
    unknown = sorted(set(chosen) - set(cls.students))
    if unknown:
        raise ValueError(f"students {unknown} are not in the class (s001 ... s{len(cls.students):03d})")
    rows = {key: [r for r in group.itertuples()] for key, group in
            cls.table[cls.table["student"].isin(chosen)].groupby(["student", "question"])}
    written = []
    saved = os.environ.get("COURSE_ATTEMPT_LOG")
    with tempfile.TemporaryDirectory(prefix="synthetic-class-") as scratch:
        # Judging an answer logs it where the course keeps attempt logs: here, a scratch file.
        os.environ["COURSE_ATTEMPT_LOG"] = str(Path(scratch) / "attempts.jsonl")
        try:
            for student in chosen:
                nb = copy.deepcopy(template)
                for count, cell in enumerate(c for c in nb.cells if c.cell_type == "code"
                                             and "exercise" in c.metadata.get("tags", [])):
                    ids = list(dict.fromkeys(m.group(2) for m in _CHECK_CALL.finditer(cell.source)))
                    if len(ids) != 1 or not _UNTOUCHED.search(cell.source):
                        continue
                    records, answer, text = _records(cls, student, ids[0], rows.get((student, ids[0]), []))
                    cell.source = _UNTOUCHED.sub(lambda _: f"answer = {answer!r}", cell.source, count=1)
                    cell.execution_count = count + 1
                    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": text},
                                                           metadata={"course": {"question": ids[0], "attempts": records}})]
                path = out / f"{student}.ipynb"
                nbformat.write(nb, path)
                written.append(path)
        finally:
            if saved is None:
                os.environ.pop("COURSE_ATTEMPT_LOG", None)
            else:
                os.environ["COURSE_ATTEMPT_LOG"] = saved
    return written
