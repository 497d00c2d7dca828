"""Every student's own exercise numbers and the answers they expect: the instructor's answer key.

Each student's exercises carry numbers of their own (:mod:`course_lib.variants`). The key lists,
for each student and question, the expected answer (as text with its unit, in a form ``check()``
accepts) and the numbers that student was given:

>>> rows = answer_key(["alice"], ["start.food_day_kwh"])
>>> rows[0]["student"], rows[0]["question"], rows[0]["expected"].endswith("kWh")
('alice', 'start.food_day_kwh', True)
>>> rows[0]["parameters"].startswith("kcal = ")
True
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from course_lib import exercises, identity

__all__ = ["answer_key", "write_answer_key", "read_students", "KEY_COLUMNS"]

#: The columns of the answer key, in order.
KEY_COLUMNS = ("student", "question", "expected", "parameters")


def read_students(given: str) -> list[str]:
    """The identities in ``given``: names separated by commas, or a file with one a line (a
    class list; in a CSV, the first column, its header skipped when it says student, name or id)."""
    path = Path(given)
    if path.is_file():
        names = []
        for line, row in enumerate(csv.reader(path.read_text(encoding="utf-8-sig").splitlines())):
            if not row or not row[0].strip():
                continue
            if line == 0 and row[0].strip().casefold() in ("student", "name", "id", "user", "username"):
                continue
            names.append(row[0])
    else:
        names = given.split(",")
    students = [identity.normalise(n) for n in names if n.strip()]
    if not students:
        raise ValueError(f"answer key: no student identities in {given!r}; give names separated by commas or a file with one a line")
    return list(dict.fromkeys(students))


def answer_key(students: Iterable[str], questions: Sequence[str] | None = None) -> list[dict[str, str]]:
    """One row per student and question: ``student``, ``question``, ``expected``, ``parameters``."""
    ids = list(questions) if questions is not None else exercises.questions()
    rows = []
    for student in students:
        who = identity.normalise(student)
        for question in ids:
            v = exercises.variant(question, who)
            rows.append({"student": who, "question": question,
                         "expected": exercises.expected_text(question, who),
                         "parameters": "; ".join(f"{name} = {v.shown(name)}" for name in v)})
    return rows


def write_answer_key(students: Iterable[str], path: str | Path, questions: Sequence[str] | None = None) -> Path:
    """Write :func:`answer_key` as CSV at ``path`` (folders made as needed); returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=KEY_COLUMNS)
        writer.writeheader()
        writer.writerows(answer_key(students, questions))
    return target
