"""Exercises make students think: nothing before an exercise gives its answer, and each notebook
asks more than lookups.

**The leak detector.** The student version of each notebook is built (worked solutions removed,
exercise outputs cleared). For each checked exercise, everything a student sees before its check
call is read: markdown, code, stored outputs (text, tables, HTML) and chart specs with their data,
tooltips, descriptions and text alternatives (a chart's styling, ``config``, sizes, and bare
years such as "2010" are left out). The exercises ``ask()`` shows are rendered for each student as
that student sees them. An answer is *shown* when a number written there, of two significant
digits or more, equals the answer rounded to that precision in some unit the course converts to
(kWh or MJ, t or kg, a share or a percent). Three kinds of leak are looked for:

1. the default variant's answer (what the committed notebooks, the site and a student without an
   identity see) anywhere before its check;
2. a student's own answer in what is rendered for that student (their exercise prompts), for 20
   students;
3. a number of the text every student sees that writes the answer of a quarter or more of those
   20 students: an answer that does not really depend on the student's numbers, printed above.

A number that writes one student's answer by chance is not a leak: with hundreds of numbers on a
page and answers converted into a dozen units, a chance match at two significant digits happens
for about a quarter of (student, exercise) pairs, and it says nothing about what the page teaches.

**Demand.** Per notebook, at most a third of the checked exercises are ``recall`` (a lookup or one
step); at least a third are ``transfer``, ``predict`` or ``model``; every topic notebook has a
``model`` exercise (the student changes a model and reads what follows) and mixes the other kinds
that teach (predict, misconception, chart, reflection).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import nbformat
import pint
import pytest

from course_lib import exercises
from course_tools.build.student import student_notebook
from course_lib.units import Q_, ureg

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb"))
TOPIC_NOTEBOOKS = [p for p in NOTEBOOKS if not p.name.startswith("00")]
IDENTITIES = [None] + [f"student-{i:03d}" for i in range(20)]  # as in test_exercise_families (answers cached)
CHECK = re.compile(r"""check\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")
ASK = re.compile(r"""\bask\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")
YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
#: Chart spec keys (at any depth) that style or size a chart and never carry a figure of the course.
STYLE_KEYS = frozenset({"config", "$schema", "width", "height", "autosize", "padding", "background", "usermeta", "size",
                        "fontSize", "labelFontSize", "titleFontSize", "strokeWidth", "opacity", "fillOpacity",
                        "strokeDash", "cornerRadius", "labelLimit", "titlePadding", "labelPadding", "offset",
                        "symbolSize", "binSpacing", "step", "dx", "dy", "angle", "labelAngle", "tickCount"})
#: Drawing coordinates of a flow diagram's bands, nodes and labels (rows with a path, band or node):
#: where a shape sits on the page, not a figure a reader sees.
GEOMETRY_KEYS = frozenset({"path", "x", "y", "x0", "x1", "y0", "y1"})
NUMBER = re.compile(r"(?<![\w.#])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*×\s*10\^-?\d+|[eE][-+]?\d+)?")
#: The units an answer is also looked for in: every unit of the same dimension the course uses.
UNITS = ("kWh", "MWh", "GWh", "TWh", "Wh", "MJ", "GJ", "TJ", "PJ", "kJ", "J", "kcal", "toe", "Mtoe", "Lge", "food_day",
         "W", "kW", "MW", "GW", "TW", "kg", "t", "g", "kt", "Mt", "Gt", "t/yr", "kg/yr", "kt/yr", "Mt/yr", "kg/day",
         "t/day", "m**3", "L", "hL", "m**3/yr", "m**3/day", "L/day", "yr", "day", "h", "min", "s", "kg/hL", "kWh/kg",
         "MJ/kg", "GJ/t", "kWh/t", "MJ/t", "kg/t", "g/kg", "kg/m**3", "mg/L")


def numbers(text: str) -> list[tuple[float, int]]:
    """(value, significant digits) of every number written in ``text``.

    >>> numbers("2.91 kWh, 2,500 kcal, 0.050 and 1.3×10^6 t (Shirley, 2010)")
    [(2.91, 3), (2500.0, 2), (0.05, 2), (1300000.0, 2)]
    """
    found = []
    for token in NUMBER.findall(text):
        if YEAR.match(token):
            continue  # a year, not a figure
        mantissa, _, power = token.replace(" ", "").partition("×10^")
        digits = mantissa.lstrip("+-").lower().split("e")[0].replace(",", "")
        try:
            value = float(mantissa.replace(",", "")) * (10 ** int(power) if power else 1)
        except ValueError:
            continue
        if "." in digits:
            significant = len(digits.replace(".", "").lstrip("0"))
        else:
            significant = len(digits.lstrip("0").rstrip("0")) or 1
        found.append((value, significant))
    return found


def _round_sig(x: float, digits: int) -> float:
    return 0.0 if x == 0 else round(x, digits - 1 - math.floor(math.log10(abs(x))))


@lru_cache(maxsize=None)
def _units() -> tuple[pint.Unit, ...]:
    """:data:`UNITS`, parsed once (parsing a unit's name costs more than converting to it)."""
    return tuple(ureg.Unit(unit) for unit in UNITS)


def in_every_unit(answer: pint.Quantity) -> list[float]:
    """The magnitudes of ``answer`` in each unit of its dimension the course converts to (a share
    also as a percent)."""
    return list(_in_every_unit(answer.magnitude, answer.units))


@lru_cache(maxsize=None)
def _in_every_unit(magnitude: float, units: pint.Unit) -> tuple[float, ...]:
    # Cached: each student's answer is looked for in the page and in their own prompts.
    answer = Q_(magnitude, units)
    if answer.dimensionless:
        value = float(answer.to("").magnitude)
        return (value, value * 100)
    found = []
    for unit in _units():
        try:
            found.append(float(answer.to(unit).magnitude))
        except pint.DimensionalityError:
            continue
    return tuple(found or [float(answer.magnitude)])


@lru_cache(maxsize=None)
def _numbers_of(text: str) -> tuple[tuple[float, int], ...]:
    """:func:`numbers` of ``text``, once per text: the page before an exercise is read for 21 students."""
    return tuple(numbers(text))


def shown_in(answer: pint.Quantity, text: str) -> list[str]:
    """The numbers of ``text`` (two significant digits or more, or the exact whole number) that
    write ``answer`` in some unit, at their own precision.

    >>> shown_in(Q_(2.906, "kWh"), "one food-day is 10.46 MJ"), shown_in(Q_(2.906, "kWh"), "about 3 kWh")
    (['10.46'], [])
    >>> shown_in(Q_(0.2437, ""), "a share of 24 %"), shown_in(Q_(5e7, "kcal"), "50,000,000 kcal")
    (['24'], ['5e+07'])
    """
    targets = [m for m in in_every_unit(answer) if m and math.isfinite(m)]
    rounded: dict[int, list[float]] = {}  # digits -> the targets at that precision (a page repeats a few)
    hits = []
    for value, digits in _numbers_of(text):
        exact = value.is_integer() and abs(value) >= 10 and any(math.isclose(value, m, rel_tol=1e-9) for m in targets)
        if digits < 2 and not exact:
            continue
        if not exact and digits not in rounded:
            rounded[digits] = [_round_sig(m, digits) for m in targets]
        if exact or any(math.isclose(r, value, rel_tol=1e-9) for r in rounded[digits]):
            hits.append(f"{value:g}")
    return hits


def _unstyled(spec: object) -> object:
    if isinstance(spec, dict):
        drawn = any(key in spec for key in ("path", "band", "node"))
        return {k: _unstyled(v) for k, v in spec.items() if k not in STYLE_KEYS and not (drawn and k in GEOMETRY_KEYS)}
    if isinstance(spec, list):
        return [_unstyled(v) for v in spec]
    return spec


def _output_text(output: dict) -> str:
    parts = ["".join(output.get("text", [])) if isinstance(output.get("text"), list) else str(output.get("text", ""))]
    for mime, value in output.get("data", {}).items():
        if isinstance(value, dict):  # a chart spec: its data, tooltips and descriptions, not its styling
            value = json.dumps(_unstyled(value))
        elif isinstance(value, list):
            value = "".join(map(str, value))
        parts.append(str(value))
    return "\n".join(parts)


@lru_cache(maxsize=None)
def _student_cells(path: Path) -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    """(cell type, source, tags, stored outputs as text) of each cell of the student version."""
    nb = student_notebook(nbformat.read(path, as_version=4))
    return tuple((c.cell_type, c.source, tuple(c.get("metadata", {}).get("tags", [])),
                  "\n".join(_output_text(o) for o in c.get("outputs", []))) for c in nb.cells)


def exercises_in(path: Path) -> list[str]:
    """The ids the exercise cells of ``path`` check, in order."""
    return [q for _, source, tags, _ in _student_cells(path) if {"exercise", "worked"} & set(tags) for q in CHECK.findall(source)]


def seen_before(path: Path, question_id: str) -> tuple[str, list[str]]:
    """What every student sees before the check of ``question_id`` in the student version of
    ``path`` (text, code, stored outputs), and the ids of the exercises ``ask()`` shows there."""
    seen, asked = [], []
    for cell_type, source, tags, outputs in _student_cells(path):
        if {"exercise", "worked"} & set(tags) and question_id in CHECK.findall(source):
            seen.append(source[: source.find("check(")])  # the answer cell's own comments
            return "\n".join(seen), asked
        seen.append(source)
        shown = ASK.findall(source) if cell_type == "code" else []
        if shown:
            asked += shown  # rendered per student, in place of the stored (default) rendering
        else:
            seen.append(outputs)
    raise AssertionError(f"{path.name}: no exercise cell checks {question_id}")


def _inputs(question_id: str, student: str | None) -> list[float]:
    """The numbers the exercise itself gives (its drawn inputs and the values its prompt shows):
    a unit-conversion exercise gives its answer in another unit by definition."""
    q, v = exercises.question(question_id), exercises.variant(question_id, student)
    given = [float(x) for x in v.values() if isinstance(x, (int, float))]
    extra = q.shows(v) if q.shows else {}
    given += [float(x.magnitude) if isinstance(x, pint.Quantity) else float(x) for x in extra.values()
              if isinstance(x, (int, float, pint.Quantity)) and not isinstance(x, bool)]
    return given


def _leaked(question_id: str, student: str | None, text: str) -> list[str]:
    inputs = _inputs(question_id, student)
    return [hit for hit in shown_in(exercises.expected(question_id, student), text)
            if not any(math.isclose(float(hit), x, rel_tol=1e-9) for x in inputs)]


def _prompt(question_id: str, student: str | None) -> str:
    """``exercises.prompt``, once per exercise and student (and per prompt function: a test may replace it)."""
    return _prompt_of(exercises.prompt, question_id, student)


@lru_cache(maxsize=None)
def _prompt_of(prompt, question_id: str, student: str | None) -> str:
    return prompt(question_id, student)


def leaks(path: Path, question_id: str) -> dict[str, list[str]]:
    """The leaks of ``question_id``'s answer before its check (see the module's docstring): for the
    default variant (``"None"``), in what is rendered for each student (``"students"``: when a
    quarter of them or more see their own answer), in the text all see (``"all"``)."""
    if not isinstance(exercises.expected(question_id, None), pint.Quantity):
        return {}
    static, asked = seen_before(path, question_id)
    found = {}
    default = _leaked(question_id, None, static + "\n" + "\n".join(_prompt(q, None) for q in asked))
    if default:
        found["None"] = default
    students = [s for s in IDENTITIES if s is not None]
    own, counts = {}, {}
    for student in students:
        hits = _leaked(question_id, student, "\n".join(_prompt(q, student) for q in asked))
        if hits:
            own[student] = hits
        for hit in set(_leaked(question_id, student, static)):
            counts[hit] = counts.get(hit, 0) + 1
    if len(own) >= len(students) / 4:
        found["students"] = [f"{s}: {', '.join(h)}" for s, h in own.items()]
    systematic = sorted(hit for hit, n in counts.items() if n >= len(students) / 4)
    if systematic:
        found["all"] = systematic
    return found


@pytest.mark.slow  # every exercise's answer for 21 students, against everything shown before it
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_exercise_is_answered_before_it_is_tried(path):
    leaked = {q: found for q in exercises_in(path) if (found := leaks(path, q))}
    assert leaked == {}, f"{path.stem}: answers shown before their check (identity: numbers): {leaked}"


def test_the_leak_detector_catches_an_answer_in_a_tooltip(tmp_path):
    """A control: the same notebook with the first numeric exercise's answer (in another unit)
    hidden in a chart tooltip before it is caught, for every identity."""
    path = next(p for p in TOPIC_NOTEBOOKS if any(isinstance(exercises.expected(q, None), pint.Quantity) for q in exercises_in(p)))
    question_id = next(q for q in exercises_in(path) if isinstance(exercises.expected(q, None), pint.Quantity))
    assert leaks(path, question_id) == {}
    nb = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", []) and question_id in c.source)
    answer = exercises.expected(question_id, None)
    value = in_every_unit(answer)[-1]
    spec = {"mark": "bar", "encoding": {"tooltip": [{"field": "x", "title": f"about {value:.3g}"}]},
            "description": "A chart that says too much."}
    leaky = nbformat.v4.new_code_cell("chart", outputs=[nbformat.v4.new_output(
        "display_data", data={"application/vnd.vegalite.v5+json": spec, "text/plain": "chart"})])
    nb.cells.insert(index, leaky)
    copy = tmp_path / path.name
    nbformat.write(nb, copy)
    assert "None" in leaks(copy, question_id)


def test_the_leak_detector_catches_a_prompt_that_gives_each_student_their_answer(monkeypatch):
    """A control: if ask() printed each student's answer in their prompt, every student is caught."""
    path = next(p for p in TOPIC_NOTEBOOKS if any(isinstance(exercises.expected(q, None), pint.Quantity) for q in exercises_in(p)))
    question_id = next(q for q in exercises_in(path) if isinstance(exercises.expected(q, None), pint.Quantity)
                       and question_id_asked(path, q))
    honest = exercises.prompt
    monkeypatch.setattr(exercises, "prompt", lambda q, s=None: honest(q, s) + (
        f" (about {exercises.expected_text(q, s)})" if q == question_id else ""))
    assert "students" in leaks(path, question_id)


def question_id_asked(path: Path, question_id: str) -> bool:
    return question_id in seen_before(path, question_id)[1]


# ---- demand ------------------------------------------------------------------------------------

NEW_CASE = ("transfer", "predict", "model")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_few_lookups_and_many_new_cases(path):
    kinds = [exercises.question(q).kind for q in exercises_in(path)]
    recall = kinds.count("recall")
    new = sum(kinds.count(k) for k in NEW_CASE)
    assert recall <= len(kinds) / 3, f"{path.stem}: {recall} of {len(kinds)} are recall ({kinds})"
    assert new >= len(kinds) / 3, f"{path.stem}: {new} of {len(kinds)} are a new case ({kinds})"


@pytest.mark.parametrize("path", TOPIC_NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_mixes_the_kinds_of_exercise_that_teach(path):
    ids = exercises_in(path)
    kinds = [exercises.question(q).kind for q in ids]
    numeric = [isinstance(exercises.expected(q, None), pint.Quantity) for q in ids]
    assert len(ids) >= 6, f"{path.stem}: {len(ids)} checked exercises (at least 6)"
    assert sum(1 for k, n in zip(kinds, numeric) if k == "transfer" and n) >= 2, kinds
    for kind in ("model", "predict", "misconception", "chart", "reflection"):
        assert kind in kinds, f"{path.stem}: no {kind} exercise ({kinds})"


def test_every_misconception_question_explains_each_wrong_option():
    for question_id in exercises.questions():
        question = exercises.question(question_id)
        if question.kind == "misconception" and question.choices:
            for student in (None, "alice", "bob"):
                wrong = [c for c in question.choices if c != exercises.expected(question_id, student)]
                missing = [c for c in wrong if not question.explanations.get(c)]
                assert not missing, f"{question_id}: no explanation for {missing}"


def test_every_question_is_asked_in_a_notebook_with_its_numbers_shown():
    asked = {q for path in NOTEBOOKS for q in exercises_in(path)}
    assert sorted(set(exercises.questions()) - asked) == []
    for path in NOTEBOOKS:
        shown = {q for _, source, _, _ in _student_cells(path) for q in ASK.findall(source)}
        families = [q for q in exercises_in(path) if exercises.variant(q, None)]
        assert sorted(set(families) - shown) == [], f"{path.stem}: exercises whose own numbers ask() never shows"


def test_placeholders_are_none():
    """An untouched answer cell is 'not answered yet', never an attempt that is 100 % off."""
    bad = []
    for path in NOTEBOOKS:
        for _, source, tags, _ in _student_cells(path):
            if "exercise" in tags and CHECK.search(source):
                if re.search(r"^answer\s*=\s*(0|\"\?\"|'\?'|\"\"|'')\s*(#|$)", source, re.M):
                    bad.append((path.stem, source.splitlines()[0]))
    assert bad == []
