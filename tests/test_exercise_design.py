"""Exercises make students think: few ask for a number already shown above them, and each notebook
mixes the kinds of exercise that teach (transfer, predict-then-check, misconception, chart reading,
reflection). Read from the notebooks themselves: the exercise cells (tag ``exercise``), the question
each one checks, and what a student has seen before it in the student version (every earlier cell
that is not a worked solution: text, code and stored outputs).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pint
import pytest

from course_lib import exercises

ROOT = Path(__file__).resolve().parent.parent
TOPIC_NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("0[1-9]_*.ipynb"))
CHECK = re.compile(r"""check\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*×\s*10\^-?\d+|[eE][-+]?\d+)?")


def _text(cell: dict) -> str:
    parts = ["".join(cell.get("source", []))]
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", [])))
        data = output.get("data", {})
        for mime in ("text/plain", "text/markdown", "text/html"):
            value = data.get(mime, "")
            parts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


def _numbers(text: str) -> list[tuple[float, int]]:
    """(value, significant digits) of every number written in ``text``."""
    found = []
    for token in NUMBER.findall(text):
        mantissa, _, power = token.replace(" ", "").partition("×10^")
        digits = mantissa.lstrip("+-").replace(",", "")
        try:
            value = float(mantissa.replace(",", "")) * (10 ** int(power) if power else 1)
        except ValueError:
            continue
        significant = len(digits.replace(".", "").lstrip("0").split("e")[0].split("E")[0])
        if "." not in digits:
            significant = len(digits.rstrip("0")) or 1
        found.append((value, significant))
    return found


def _round_sig(x: float, digits: int) -> float:
    if x == 0:
        return 0.0
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def shown_before(expected: float, text: str, *, share: bool = False) -> bool:
    """Is ``expected`` written in ``text`` at the precision printed there (two digits or more)?

    >>> shown_before(2.906, "one food-day is 2.91 kWh"), shown_before(2.906, "about 3 kWh")
    (True, False)
    >>> shown_before(0.2437, "a share of 24 %", share=True), shown_before(50e6, "50,000,000 kcal")
    (True, True)
    """
    targets = [expected] + ([expected * 100] if share else [])
    for value, digits in _numbers(text):
        if digits < 2 and not (float(value).is_integer() and abs(value) >= 10 and value == expected):
            continue
        for target in targets:
            if target and math.isclose(_round_sig(target, max(digits, 1)), value, rel_tol=1e-9):
                return True
    return False


def _exercises(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    seen: list[str] = []
    found = []
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        source = "".join(cell.get("source", []))
        if "exercise" in tags:
            for question_id in CHECK.findall(source):
                found.append({"id": question_id, "before": "\n".join(seen)})
        if "solution" not in tags:
            seen.append(_text(cell) if "exercise" not in tags else source)
    return found


def _numeric(question_id: str) -> tuple[float, bool] | None:
    question = exercises.question(question_id)
    expected = question.expected()
    if not isinstance(expected, pint.Quantity):
        return None
    value = expected.to(question.unit).magnitude if question.unit not in (None, "") else expected.magnitude
    return float(value), bool(expected.dimensionless)


def _tally() -> dict[str, dict]:
    tally = {}
    for path in TOPIC_NOTEBOOKS:
        rows = []
        for item in _exercises(path):
            numeric = _numeric(item["id"])
            shown = numeric is not None and shown_before(numeric[0], item["before"], share=numeric[1])
            rows.append({"id": item["id"], "numeric": numeric is not None, "shown": shown,
                         "kind": exercises.question(item["id"]).kind})
        tally[path.stem] = {"rows": rows}
    return tally


def test_at_most_a_third_of_numeric_exercises_ask_for_a_value_shown_above():
    tally = _tally()
    numeric = [r for t in tally.values() for r in t["rows"] if r["numeric"]]
    shown = [f"{r['id']}" for r in numeric if r["shown"]]
    assert numeric and len(shown) <= len(numeric) / 3, f"{len(shown)} of {len(numeric)} shown above: {shown}"
    for stem, t in tally.items():
        mine = [r for r in t["rows"] if r["numeric"]]
        mine_shown = [r["id"] for r in mine if r["shown"]]
        assert len(mine_shown) <= len(mine) / 2, f"{stem}: {len(mine_shown)} of {len(mine)} shown above: {mine_shown}"


@pytest.mark.parametrize("path", TOPIC_NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_mixes_the_kinds_of_exercise_that_teach(path):
    rows = _tally()[path.stem]["rows"]
    kinds = [r["kind"] for r in rows]
    assert len(rows) >= 6, f"{path.stem}: {len(rows)} checked exercises (at least 6)"
    assert sum(1 for r in rows if r["kind"] == "transfer" and r["numeric"]) >= 2, kinds
    for kind in ("predict", "misconception", "chart", "reflection"):
        assert kind in kinds, f"{path.stem}: no {kind} exercise ({kinds})"


def test_every_misconception_question_explains_each_wrong_option():
    for question_id in exercises.questions():
        question = exercises.question(question_id)
        if question.kind == "misconception" and question.choices:
            wrong = [c for c in question.choices if c != question.expected()]
            missing = [c for c in wrong if not question.explanations.get(c)]
            assert not missing, f"{question_id}: no explanation for {missing}"


def test_every_registered_question_is_asked_in_a_notebook():
    asked = {item["id"] for path in sorted((ROOT / "notebooks").glob("*.ipynb")) for item in _exercises(path)}
    unused = sorted(set(exercises.questions()) - asked)
    assert unused == []


def test_the_shown_above_detector_can_fail():
    """A control: an exercise whose answer is printed just above it is caught."""
    assert shown_before(1.5625, "The ratio is 1.56.")
    assert not shown_before(1.5625, "Divide the two rows.")
