"""Exercise families: every student gets their own numbers, fixed by who they are.

Measured here, on every question of the course:

* a numeric exercise shows two students different numbers and expects different answers, and
  one student's right answer is wrong for the other;
* over 200 identities, two students' numeric answers fall within the question's tolerance of each
  other in at most 1 % of the pairs;
* at least 80 % of all checked exercises (choices and reflections too) differ between two students;
* the same identity gives the same numbers after normalising, in another process, and in the
  grader (tests/test_grade.py); the answer key's expected answers are accepted by ``check()``;
* question data pass their schema, and no prompt, hint or explanation is left in Python.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pint
import pytest

from course_lib import _judge, exercises, identity, variants

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "course_lib"
IDENTITIES = [f"student-{i:03d}" for i in range(200)]
QUESTIONS = exercises.questions()
NUMERIC = [q for q in QUESTIONS if isinstance(exercises.expected(q, None), pint.Quantity)]


def _magnitude(question_id: str, student: str | None) -> float:
    q = exercises.question(question_id)
    answer = exercises.expected(question_id, student)
    assert isinstance(answer, pint.Quantity)
    return float(answer.to(q.unit).magnitude if q.unit not in (None, "") else answer.to("").magnitude)


# ---- identity ----------------------------------------------------------------------------------

def test_identity_order_env_then_stored_then_hub(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in (identity.STUDENT_ENV, identity.HUB_ENV):
        monkeypatch.delenv(name, raising=False)
    assert identity.current() is None
    monkeypatch.setenv(identity.HUB_ENV, "hubuser")
    assert identity.current() == "hubuser"
    assert identity.remember("  Alice   CHAN ") == "alice chan"
    assert (tmp_path / identity.STORE).read_text(encoding="utf-8").strip() == "alice chan"
    assert identity.remember(None) == "alice chan"  # None stores nothing, keeps what is there
    monkeypatch.setenv(identity.STUDENT_ENV, "Bob")
    assert identity.current() == "bob"
    assert identity.source()[1] == f"the environment variable {identity.STUDENT_ENV}"


def test_identity_is_normalised_case_spaces_and_unicode_form():
    q = "start.food_day_kwh"
    same = ["alice chan", "  ALICE   Chan ", "Ａｌｉｃｅ Ｃｈａｎ", "alice\tchan"]
    assert len({variants.seed(q, s) for s in same}) == 1
    assert variants.seed(q, "alice chan") != variants.seed(q, "alice chen")
    with pytest.raises(TypeError, match="identity must be text"):
        identity.normalise(1234)


@pytest.mark.slow  # a fresh Python
def test_the_same_identity_gives_the_same_variant_in_another_process():
    """Another Python process (as after a restart, or on another machine) draws the same numbers:
    SHA-256, never Python's salted hash() or a random stream."""
    here = {q: exercises.expected_text(q, "alice") for q in QUESTIONS}
    code = ("import json; from course_lib import exercises as e; "
            "print(json.dumps({q: e.expected_text(q) for q in e.questions()}))")
    env = {**os.environ, identity.STUDENT_ENV: " ALICE ", "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == here


def test_no_identity_gives_the_default_variant(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in (identity.STUDENT_ENV, identity.HUB_ENV):
        monkeypatch.delenv(name, raising=False)
    for q in QUESTIONS:
        v = exercises.variant(q)
        assert v.is_default and all(v[p.name] == p.default for p in variants.parameters(q))


# ---- per-student numbers -----------------------------------------------------------------------

def test_every_numeric_exercise_is_a_family():
    plain = [q for q in NUMERIC if not variants.parameters(q)]
    assert plain == [], f"numeric exercises without drawn numbers: {plain}"


@pytest.mark.parametrize("question_id", NUMERIC)
def test_two_students_get_different_numbers_and_answers(question_id):
    a, b = "alice", "bob"
    assert exercises.prompt(question_id, a) != exercises.prompt(question_id, b)
    assert exercises.expected_text(question_id, a) != exercises.expected_text(question_id, b)
    # Alice's right answer is not right for Bob.
    alice = exercises.expected(question_id, a)
    assert not exercises.evaluate(question_id, alice, student=b).correct
    assert exercises.evaluate(question_id, alice, student=a).correct


# One test per question (not per topic): each runs the question's model for 200 students, and the
# parallel workers share them out evenly. 200, not fewer: the shares measured are 0.2-0.8 %, and
# with 60 students the noise alone takes some over 1 %.
@pytest.mark.slow
@pytest.mark.parametrize("question_id", NUMERIC)
def test_at_most_one_percent_of_pairs_share_an_answer_within_tolerance(question_id):
    tol = max(exercises.question(question_id).rel_tol, 1e-9)
    values = sorted(_magnitude(question_id, s) for s in IDENTITIES)
    close = 0
    for i, x in enumerate(values):  # sorted: only neighbours can be close
        for y in values[i + 1:]:
            if abs(y - x) > tol * max(abs(x), abs(y)):
                break
            close += 1
    share = close / (len(values) * (len(values) - 1) / 2)
    assert share <= 0.01, f"{question_id}: {share:.2%} of pairs of students within tolerance"


@pytest.mark.slow  # every question's answer for 20 students
def test_at_least_80_percent_of_checked_exercises_differ_between_two_students():
    # Ten pairs of the first 20 identities, whose answers the answer key's test and the leak detector
    # (tests/test_exercise_design.py) compute too: exercises caches them. Whether a question differs
    # between two students hardly depends on which two (it has drawn numbers or it has not).
    pairs = [(IDENTITIES[2 * i], IDENTITIES[2 * i + 1]) for i in range(10)]
    shares = []
    for a, b in pairs:
        differ = [q for q in QUESTIONS if exercises.prompt(q, a) != exercises.prompt(q, b)
                  and exercises.expected_text(q, a) != exercises.expected_text(q, b)]
        shares.append(len(differ) / len(QUESTIONS))
    alice_bob = [q for q in QUESTIONS if exercises.prompt(q, "alice") != exercises.prompt(q, "bob")
                 and exercises.expected_text(q, "alice") != exercises.expected_text(q, "bob")]
    assert len(alice_bob) >= 0.8 * len(QUESTIONS), f"{len(alice_bob)} of {len(QUESTIONS)} differ for alice and bob"
    assert sum(shares) / len(shares) >= 0.8, f"on average {sum(shares) / len(shares):.0%} differ over {len(pairs)} pairs"


@pytest.mark.slow  # every question's answer for 20 students
@pytest.mark.parametrize("question_id", QUESTIONS)
def test_the_answer_key_is_accepted_for_every_student(question_id):
    for student in [None] + IDENTITIES[:20]:
        text = exercises.expected_text(question_id, student)
        if exercises.question(question_id).kind == "reflection":
            continue
        verdict = exercises.evaluate(question_id, text, student=student)
        assert verdict.correct, f"{question_id} for {student}: key {text!r} gives {verdict}"


def test_shuffled_options_are_named_not_lettered_in_reports():
    shuffled = [q for q in QUESTIONS if exercises.question(q).shuffle]
    for question_id in shuffled:
        q = exercises.question(question_id)
        orders = {tuple(_judge._order(q, s)) for s in IDENTITIES[:30]}
        assert len(orders) > 1, f"{question_id}: shuffle gives everyone the same order"
        for s in IDENTITIES[:5]:
            letter = next(letter for letter, c in _judge._letters(q, s).items() if c == exercises.expected(question_id, s))
            assert exercises.evaluate(question_id, letter, student=s).correct
            assert exercises.option_named(question_id, letter, s) == q.labels[exercises.expected(question_id, s)]


# ---- questions as data -------------------------------------------------------------------------

SCHEMA = json.loads((PACKAGE / "questions.schema.json").read_text(encoding="utf-8"))
TOML_FILES = sorted(PACKAGE.glob("*/questions.toml"))


@pytest.mark.parametrize("path", TOML_FILES, ids=lambda p: p.parent.name)
def test_question_data_pass_their_schema(path):
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(table, SCHEMA)
    assert table, f"{path}: no questions"


def test_every_topic_keeps_its_questions_as_data():
    topics = {p.parent.name for p in PACKAGE.glob("*/questions.py")}
    assert topics == {p.parent.name for p in TOML_FILES}
    from_data = {f"{p.parent.name}.{name}" for p in TOML_FILES for name in tomllib.loads(p.read_text(encoding="utf-8"))}
    assert from_data == set(QUESTIONS)


def test_the_schema_refuses_a_bad_question():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"x": {"kind": "essay", "prompt": "Why is the sky blue?"}}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"x": {"kind": "reflection", "prompt": "Why is the sky blue?"}}, SCHEMA)


def _prose(path: Path) -> list[str]:
    """String constants of three words or more in ``path``, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and len(node.value.split()) >= 3]


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*/questions.py")), ids=lambda p: p.parent.name)
def test_no_prompt_hint_or_explanation_is_left_in_python(path):
    assert _prose(path) == []
    assert "register(" not in path.read_text(encoding="utf-8")


def test_the_prose_detector_can_fail(tmp_path):
    sample = tmp_path / "questions.py"
    sample.write_text('"""Doc string of three words."""\nHINT = "Divide the two rows."\nKEY = "a"\n', encoding="utf-8")
    assert _prose(sample) == ["Divide the two rows."]


# ---- hints -------------------------------------------------------------------------------------

def _numbers_at_two_digits(value: float) -> set[str]:
    out = set()
    for digits in (2, 3, 4):
        text = f"{value:.{digits}g}"
        if "e" not in text:
            out.add(text)
    return out


@pytest.mark.parametrize("question_id", QUESTIONS)
def test_no_hint_or_explanation_states_the_answer(question_id):
    q = exercises.question(question_id)
    for student in [None, "alice", "bob"]:
        v = exercises.variant(question_id, student)
        values = _judge._values(q, v)
        texts = [_judge._fill(h, values) for h in q.hints]
        answer = exercises.expected(question_id, student)
        if isinstance(answer, pint.Quantity):
            shown = {t.replace(",", "") for t in _numbers_at_two_digits(_magnitude(question_id, student))}
            for text in texts:
                numbers = {w.strip(".,;:()%").replace(",", "") for w in text.split()}
                assert not (shown & numbers) - {"0", "1", "10", "100"}, f"{question_id} ({student}): a hint gives the answer: {text}"
        elif isinstance(answer, str) and q.choices:
            right = _judge._fill(q.labels.get(answer, answer), values)
            wrong_words = [_judge._fill(q.explanations.get(c, ""), values) for c in q.choices if c != answer]
            for text in texts + wrong_words:
                assert not (len(right.split()) >= 3 and right.casefold() in text.casefold()), \
                    f"{question_id} ({student}): a hint or a wrong option's explanation quotes the right option: {text}"


def test_predictions_get_no_formula_in_their_hints():
    formula = ("=", "×", "multiply", "divide", " / ", " * ")
    bad = {q: h for q in QUESTIONS if exercises.question(q).kind == "predict"
           for h in exercises.question(q).hints if any(f in h.casefold() for f in formula)}
    assert bad == {}


def test_hints_come_one_attempt_at_a_time(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(identity.STUDENT_ENV, "hint-tester")
    monkeypatch.setenv("COURSE_ATTEMPT_LOG", str(tmp_path / "attempts.jsonl"))  # a fresh attempt log
    q = "start.food_day_kwh"
    wrong = 10 * exercises.expected(q, "hint-tester").magnitude + 1  # named: a look-up by the student would be logged
    exercises.check(q, None)
    first = capsys.readouterr().out
    assert first.startswith("⏳ Not answered yet") and "Hint" not in first
    counts = []
    for _ in range(3):
        exercises.check(q, wrong)
        counts.append(capsys.readouterr().out.count("Hint:"))
    assert counts == [0, 1, 2]
