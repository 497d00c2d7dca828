"""The scoring policy: how a question's attempts become points (one policy, set per course).

Every item is scored from the student's attempts in order (the attempt log, see
:mod:`~course_tools.grade.attempts`), each re-judged by the grader:

* **choice** (multiple choice and predictions: the answer is one option): the first attempt only.
  Trying every letter scores 0.
* **numeric** (a number with its unit): full points on the first right attempt, ``penalty`` of the
  points less for each wrong attempt before it, never below ``floor``.
* **list** and **sorting**: partial credit, the share right (for a list: items right minus items
  that do not belong, over the items asked; for a sorting: items in their right group), with the
  same ``penalty`` per earlier attempt: the best of ``share × (1 - penalty × earlier attempts)``.
* **rubric** (reflections, the capstone): 0 automatic points; the instructor scores them on the
  rubric sheet (:mod:`~course_tools.grade.rubric`), merged into ``grades.csv`` afterwards.
* **worked examples** are never scored: their cells are tagged ``worked``, not ``exercise``.

A course sets the numbers in ``scoring.toml`` beside its ``points.csv``::

    [numeric]
    penalty = 0.25   # share of the points lost per wrong attempt before the right one
    floor = 0.0      # never below this share of the points

>>> policy = Policy()
>>> policy.points("numeric", [0.0, 0.0, 1.0], 2.0), policy.points("numeric", [1.0], 2.0)
(1.0, 2.0)
>>> policy.points("choice", [0.0, 1.0], 1.0), policy.points("list", [0.5], 2.0)
(0.0, 1.0)
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pint

from course_lib import checks, exercises

__all__ = ["Policy", "KINDS", "read_policy", "item_kind", "POLICY_FILE"]

#: The kinds of item, as scored.
KINDS = ("choice", "numeric", "list", "sorting", "rubric")
#: The policy file's name, looked for beside the points file.
POLICY_FILE = "scoring.toml"


@dataclass(frozen=True)
class Policy:
    """The numbers of the scoring policy (see the module's docstring)."""

    penalty: float = 0.25
    floor: float = 0.0

    def factor(self, earlier: int) -> float:
        """The share of the points left after ``earlier`` wrong attempts."""
        return max(self.floor, 1.0 - self.penalty * earlier)

    def points(self, kind: str, credits: Sequence[float], worth: float) -> float:
        """The points of an item of ``kind`` worth ``worth``, from the credit of each real attempt in
        order (1 right, 0 wrong, a share for a list or a sorting)."""
        if kind not in KINDS:
            raise ValueError(f"kind={kind!r} is not an item kind; choose one of: {', '.join(KINDS)}")
        if kind == "rubric" or not credits:
            return 0.0
        if kind == "choice":
            return worth if credits[0] >= 1.0 else 0.0
        best = max(min(1.0, max(0.0, c)) * self.factor(i) for i, c in enumerate(credits))
        return round(worth * best, 6)


def read_policy(path: str | Path | None = None, points: str | Path | None = None) -> Policy:
    """The policy in ``path`` (a ``scoring.toml``), else in ``scoring.toml`` beside ``points``, else the default."""
    file = Path(path) if path is not None else (Path(points).parent / POLICY_FILE if points is not None else None)
    if file is None or (path is None and not file.is_file()):
        return Policy()
    file = checks.file_path(file, "scoring")
    try:
        table = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"scoring={str(file)!r} is not valid TOML: {error}") from None
    numeric = table.get("numeric", {})
    unknown = sorted(set(table) - {"numeric"}) + sorted(set(numeric) - {"penalty", "floor"})
    if unknown:
        raise ValueError(f"scoring={str(file)!r}: unknown keys {unknown}; it may set [numeric] penalty and floor")
    values = {}
    for key in ("penalty", "floor"):
        if key in numeric:
            value = numeric[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not 0 <= value <= 1:
                raise ValueError(f"scoring={str(file)!r}: {key}={value!r} must be a number from 0 to 1")
            values[key] = float(value)
    return Policy(**values)


def item_kind(question_id: str) -> str:
    """How ``question_id`` is scored: ``choice``, ``numeric``, ``list``, ``sorting`` or ``rubric``.

    >>> item_kind("start.food_day_kwh"), item_kind("start.error_argument")
    ('numeric', 'choice')
    """
    if exercises.question(question_id).kind == "reflection":
        return "rubric"
    answer = exercises.expected(question_id, None)
    if isinstance(answer, (pint.Quantity, int, float)) and not isinstance(answer, bool):
        return "numeric"
    if isinstance(answer, dict):
        return "sorting"
    if isinstance(answer, (list, tuple, set, frozenset)):
        return "list"
    return "choice"
