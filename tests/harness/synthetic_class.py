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


def write_submissions(cls: SyntheticClass, out_dir: str | Path, notebooks: Sequence[str] | None = None) -> list[Path]:
    """Write each student's submissions under ``out_dir``: see the module's docstring."""
    raise NotImplementedError("made in a later step")  # pragma: no cover
