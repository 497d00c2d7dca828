"""Grades that mean something: the attempt log, the scoring policy, the rubric sheet (no kernel).

Each test is one line of issue 27's "done when": trying every letter scores 0; a number right at the
third attempt scores less than at the first; a deleted or edited log is reported and earns no
first-attempt credit; fifteen repeated words are flagged as filler; a worked cell is never scored;
a filled rubric sheet merges into grades.csv. The answers go through the course's own ``check()``
and ``evaluate()`` (in this process, with an attempt log of the test's own), so what is scored is
what a student's kernel would have logged.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import nbformat
import pytest

from course_lib import _answers, _judge, attempts, exercises, identity, variants
from course_tools.grade import assignment, grader, policy, report, rubric, scoring
from course_tools.grade.attempts import class_table, cross_check, submitted_log

ROOT = Path(__file__).resolve().parent.parent
NUMBER, CHOICE, REFLECTION, LIST = "start.food_day_kwh", "start.error_argument", "energy.what_kcal_leaves_out", "economics.sort_threads"
POINTS = {NUMBER: 2.0, CHOICE: 1.0, REFLECTION: 3.0, LIST: 2.0}


@pytest.fixture
def log(tmp_path, monkeypatch):
    """A fresh attempt log and the default identity, as in a new student's folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(identity.STUDENT_ENV, raising=False)
    monkeypatch.delenv(identity.HUB_ENV, raising=False)
    monkeypatch.delenv(exercises.ANSWER_LOG, raising=False)
    path = tmp_path / "attempts.jsonl"
    monkeypatch.setenv(attempts.LOG_ENV, str(path))
    return path


def _graded(questions: list[str], finals: dict[str, object], student: str | None = None,
            submitted: list[dict] | None = None, rules: policy.Policy | None = None) -> dict[str, scoring.QuestionScore]:
    """Score the re-run's final answers ``finals`` with the log (default: the one the checks wrote)."""
    records = {q: scoring.Record(q, _answers.to_record(a), None) for q, a in finals.items()}
    found = attempts.read() if submitted is None else submitted
    checked = cross_check(found, {q: (r.answer, r.unit) for q, r in records.items()}, questions, student)
    scores = scoring.score(records, questions, POINTS, student=student, checked=checked, policy=rules)
    return {s.question: s for s in scores}


def _wrong_options(question: str) -> list[str]:
    right = exercises.expected(question, None)
    return [c for c in exercises.question(question).choices if c != right]


def _letters(question: str) -> dict[str, str]:
    return _judge._letters(exercises.question(question), None)


# ---- the attempt log ---------------------------------------------------------------------------

def test_every_judged_answer_is_logged_and_attempts_continue_after_a_restart(log, capsys):
    exercises.check(NUMBER, None)  # the placeholder: no attempt used
    exercises.check(NUMBER, 3.5)
    exercises.evaluate(NUMBER, 2.0, attempt=1)  # another public function that judges: logged all the same
    first = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(r["verdict"], r["attempt"]) for r in first] == [("unread", None), ("wrong", 1), ("wrong", 2)]
    assert set(first[1]) == set(attempts.FIELDS) and first[1]["variant"] == {"kcal": 2000.0}
    assert first[1]["student"] is None and first[1]["slip"] is None and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first[1]["time"])
    # A new kernel knows nothing but the file: the count goes on from it, and so do the hints.
    exercises.check(NUMBER, 3.5)
    assert attempts.history(NUMBER, None)[-1]["attempt"] == 3 and "Hint:" in capsys.readouterr().out


def test_a_wrong_option_and_a_slip_are_logged_by_id(log):
    letter = next(k for k, v in _letters(CHOICE).items() if v == _wrong_options(CHOICE)[0]) if _letters(CHOICE) else _wrong_options(CHOICE)[0]
    exercises.evaluate(CHOICE, letter)
    exercises.evaluate(NUMBER, exercises.expected(NUMBER, None).to("kWh").magnitude * 1000)  # a prefix slip
    chosen, slipped = attempts.read()
    assert chosen["option"] == _wrong_options(CHOICE)[0] and chosen["verdict"] == "wrong"
    assert slipped["slip"] == "ten" and slipped["option"] is None


def test_check_output_carries_the_whole_history_in_its_metadata(log, monkeypatch):
    shown = []
    monkeypatch.setattr(exercises, "_show", lambda text, metadata: shown.append((text, metadata)))
    exercises.check(NUMBER, 3.5)
    exercises.check(NUMBER, exercises.expected(NUMBER, None))
    text, metadata = shown[-1]
    assert text.startswith("✅ Correct")
    history = metadata["course"]["attempts"]
    assert [(r["attempt"], r["verdict"]) for r in history] == [(1, "wrong"), (2, "right")] and history == attempts.read()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"text/plain": t}, metadata=m)]) for t, m in shown])
    assert submitted_log(nb) == history  # the longest history of the question counts


# ---- the scoring policy ------------------------------------------------------------------------

def test_trying_every_letter_of_a_multiple_choice_item_scores_0(log):
    right = exercises.expected(CHOICE, None)
    letters = {v: k for k, v in _letters(CHOICE).items()}
    for option in [*_wrong_options(CHOICE), right]:
        exercises.check(CHOICE, letters.get(option, option))
    assert _graded([CHOICE], {CHOICE: right})[CHOICE].earned == 0.0
    # The same through evaluate() first, then a "clean" check(): the log has the tries.
    log.unlink()
    for option in _wrong_options(CHOICE):
        exercises.evaluate(CHOICE, option)
    exercises.check(CHOICE, right)
    assert _graded([CHOICE], {CHOICE: right})[CHOICE].earned == 0.0
    log.unlink()
    exercises.check(CHOICE, right)  # the control: right at the first attempt
    assert _graded([CHOICE], {CHOICE: right})[CHOICE].earned == POINTS[CHOICE]


def test_an_answer_looked_up_before_the_check_leaves_no_clean_first_attempt(log):
    """exercises.expected() and expected_text() in a student's kernel are logged as a wrong attempt."""
    right = exercises.expected(CHOICE)  # the student's own kernel: no student given
    exercises.check(CHOICE, right)
    looked = attempts.history(CHOICE, None)
    assert [(r["verdict"], r["slip"], r["attempt"]) for r in looked] == [("wrong", exercises.LOOKED_UP, 1), ("right", None, 2)]
    scored = _graded([CHOICE], {CHOICE: right})[CHOICE]
    assert scored.earned == 0.0 and scored.log is None  # an honest log of a look-up, not a rewritten one
    log.unlink()
    exercises.check(NUMBER, exercises.expected_text(NUMBER))
    assert _graded([NUMBER], {NUMBER: exercises.expected(NUMBER, None)})[NUMBER].earned < POINTS[NUMBER]
    log.unlink()
    exercises.expected(NUMBER, None)  # the grader and the tests name the student: nothing logged
    assert not log.exists()


def test_a_number_right_at_the_third_attempt_scores_less_than_at_the_first(log):
    right = exercises.expected(NUMBER, None)
    exercises.check(NUMBER, right)
    first = _graded([NUMBER], {NUMBER: right})[NUMBER].earned
    log.unlink()
    for answer in (3.5, 9.0, right):
        exercises.check(NUMBER, answer)
    third = _graded([NUMBER], {NUMBER: right})[NUMBER]
    assert first == POINTS[NUMBER] and third.earned == POINTS[NUMBER] * (1 - 2 * policy.Policy().penalty) < first
    assert third.attempts == 3
    assert _graded([NUMBER], {NUMBER: right}, rules=policy.Policy(penalty=0.5, floor=0.2))[NUMBER].earned == pytest.approx(0.4)


def test_lists_earn_a_share_of_their_points():
    rules = policy.Policy()
    assert rules.points("list", [0.5], 2.0) == 1.0 and rules.points("list", [0.5, 1.0], 2.0) == 1.5
    assert rules.points("sorting", [0.0, 0.0, 0.0, 0.0, 0.0], 2.0) == 0.0 and rules.points("rubric", [1.0], 3.0) == 0.0
    right = exercises.expected(LIST, None)
    half = exercises.evaluate(LIST, right[: len(right) // 2] or ["nothing"], student=None)
    assert 0 <= half.credit < 1 and exercises.evaluate(LIST, right, student=None).credit == 1.0
    everything = exercises.evaluate(LIST, list(exercises.question(LIST).choices), student=None)
    assert everything.credit < 1  # listing every option is not a way to full marks


def test_the_policy_is_read_from_scoring_toml_beside_the_points(tmp_path):
    (tmp_path / "points.csv").write_text("question,points\n", encoding="utf-8")
    assert policy.read_policy(None, tmp_path / "points.csv") == policy.Policy()
    (tmp_path / "scoring.toml").write_text("[numeric]\npenalty = 0.1\nfloor = 0.5\n", encoding="utf-8")
    assert policy.read_policy(None, tmp_path / "points.csv") == policy.Policy(penalty=0.1, floor=0.5)
    (tmp_path / "scoring.toml").write_text("[numeric]\npenalty = 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="penalty=2 must be a number from 0 to 1"):
        policy.read_policy(tmp_path / "scoring.toml")
    (tmp_path / "scoring.toml").write_text("[numerics]\npenalty = 0.1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unknown keys \['numerics'\]"):
        policy.read_policy(tmp_path / "scoring.toml")


# ---- a log deleted or edited -------------------------------------------------------------------

def _honest_log(log) -> list[dict]:
    exercises.check(NUMBER, 3.5)
    exercises.check(NUMBER, exercises.expected(NUMBER, None))
    exercises.check(CHOICE, exercises.expected(CHOICE, None))
    return attempts.read()


@pytest.mark.parametrize("edit, problem", [
    (lambda records: [], "missing"),
    (lambda records: records[1:], "rewritten"),  # the wrong first attempt deleted
    (lambda records: [dict(records[0], attempt=2), *records[1:]], "rewritten"),
    (lambda records: [dict(records[0], time="2099-01-01T00:00:00Z"), *records[1:]], "rewritten"),  # time goes backwards
    (lambda records: [dict(records[0], verdict="right"), *records[1:]], "inconsistent"),  # 3.5 kWh is not right
    (lambda records: [records[0], dict(records[1], answer=99.0)], "inconsistent"),  # not the re-run's answer
])
def test_a_deleted_or_edited_log_is_reported_and_earns_no_first_attempt_credit(log, edit, problem, tmp_path):
    honest = _honest_log(log)
    finals = {NUMBER: exercises.expected(NUMBER, None), CHOICE: exercises.expected(CHOICE, None)}
    fair = _graded([NUMBER, CHOICE], finals, submitted=honest)
    assert fair[NUMBER].earned == 1.5 and fair[CHOICE].earned == 1.0 and fair[NUMBER].log is None
    edited = edit([r for r in honest if r["question"] == NUMBER]) + [r for r in honest if r["question"] == CHOICE]
    if problem == "missing":
        edited = []
    scored = _graded([NUMBER, CHOICE], finals, submitted=edited)
    assert scored[NUMBER].log == problem and scored[NUMBER].earned == POINTS[NUMBER] * (1 - policy.Policy().penalty)
    if problem == "missing":
        assert scored[CHOICE].log == "missing" and scored[CHOICE].earned == 0.0
    # ... and the gradebook's status column says so.
    checked = cross_check(edited, {q: (_answers.to_record(a), None) for q, a in finals.items()}, [NUMBER, CHOICE], None)
    book = grader.Gradebook(tmp_path / "a.ipynb", "A", [NUMBER, CHOICE], POINTS, grader.Limits(),
                            [grader.Grade("sam", tmp_path / "sam.ipynb", "ok", list(scored.values()), checked=checked)])
    row = list(csv.reader(report.write_grades(book, tmp_path / "grades.csv").open(encoding="utf-8")))[1]
    assert row[-1].startswith(f"ok; attempt log {problem} for {NUMBER}") and row[2] == "1.5"


def test_records_of_another_student_do_not_count(log, monkeypatch):
    monkeypatch.setenv(identity.STUDENT_ENV, "bob")
    exercises.check(CHOICE, exercises.expected(CHOICE, "bob"))
    found = cross_check(attempts.read(), {CHOICE: (_answers.to_record(exercises.expected(CHOICE, "alice")), None)}, [CHOICE], "alice")
    assert found[CHOICE].problem == "missing"


def test_a_whole_number_given_for_an_option_is_logged_and_rejudged_as_that_option(log, monkeypatch):
    """Options named by numbers ("1" ... "15" powers of ten): ``answer = 7`` is logged as 7, never
    7.0, which the grader would re-judge as no option at all and call the honest log inconsistent."""
    question = "energy.powers_of_ten_chart"
    monkeypatch.setenv(identity.STUDENT_ENV, "alice")
    right = exercises.expected(question, "alice")
    wrong = next(int(c) for c in exercises.question(question).choices if c != right)
    exercises.check(question, wrong)
    exercises.check(question, int(right))
    logged = [(r["answer"], r["verdict"], r["attempt"]) for r in attempts.read() if r["question"] == question]
    assert logged == [(wrong, "wrong", 1), (int(right), "right", 2)] and isinstance(logged[0][0], int)
    found = cross_check(attempts.read(), {question: (_answers.to_record(int(right)), None)}, [question], "alice")
    assert found[question].problem is None, found[question].problem


def test_the_class_table_has_one_row_per_attempt(log):
    _honest_log(log)
    table = class_table({"sam": attempts.read()}, {("sam", NUMBER): 1.5})
    assert list(table.columns) == ["student", "question", "attempt", "verdict", "slip", "option", "answer", "time", "score"]
    assert table[["question", "attempt", "verdict"]].values.tolist() == [[NUMBER, 1, "wrong"], [NUMBER, 2, "right"], [CHOICE, 1, "right"]]
    assert table.loc[table["question"] == NUMBER, "score"].tolist() == [1.5, 1.5]


# ---- worked examples ---------------------------------------------------------------------------

def test_a_worked_cell_is_never_scored():
    worked = []
    for path in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        ids = assignment.question_ids(nb)
        for cell in nb.cells:
            if "worked" in cell.metadata.get("tags", []):
                found = re.findall(r"""check\(\s*["']([\w.]+)["']""", cell.source)
                worked += found
                assert not set(found) & set(ids), f"{path.name}: a worked example is scored"
            elif "exercise" in cell.metadata.get("tags", []) and "check(" in cell.source:
                # an exercise leaves the student something to write: a placeholder, never a worked answer
                assert re.search(r"=\s*None\b|\.\.\.|\"\"\"\s*\n\s*\"\"\"", cell.source), f"{path.name}: {cell.source[:80]}"
    assert "zeri.bsg_dry_matter" in worked


# ---- the rubric sheet --------------------------------------------------------------------------

def _capstone_sheet(log, monkeypatch, answers: dict) -> list:
    from course_lib import economics

    monkeypatch.setenv(exercises.ANSWER_LOG, str(log.parent / "answers.jsonl"))
    economics.review_capstone(answers)
    record = json.loads((log.parent / "answers.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert record["id"] == grader.CAPSTONE
    return _answers.from_record(record["answer"])


def _book(tmp_path, texts: dict, capstone: list | None) -> grader.Gradebook:
    records = {REFLECTION: scoring.Record(REFLECTION, texts[REFLECTION], None),
               NUMBER: scoring.Record(NUMBER, _answers.to_record(exercises.expected(NUMBER, "sam")), None)}
    scores = scoring.score(records, [NUMBER, REFLECTION], POINTS, student="sam")
    grade = grader.Grade("sam", tmp_path / "sam.ipynb", "ok", scores, student="sam", capstone=capstone, texts=texts)
    return grader.Gradebook(tmp_path / "a.ipynb", "A", [NUMBER, REFLECTION], POINTS, grader.Limits(), [grade])


def test_fifteen_repeated_words_are_flagged_as_filler_in_the_rubric_sheet(log, monkeypatch, tmp_path):
    blah = " ".join(["blah"] * 15)
    assert _answers.is_filler(blah) and not exercises.evaluate(REFLECTION, blah).correct  # check() never acknowledges it
    sheet = _capstone_sheet(log, monkeypatch, {"energy": {"answer": "x x x x x x x x", "figure": "1", "source": "abcd"},
                                               "synthesis": blah})
    rows = {r["item"]: r for r in rubric.rubric_rows(_book(tmp_path, {REFLECTION: blah}, sheet))}
    assert rows[REFLECTION]["flag"] == "filler" and rows[REFLECTION]["points"] == ""
    assert rows["economics.capstone/energy"]["flag"] == "filler" and rows["economics.capstone/synthesis"]["flag"] == "filler"
    assert rows["economics.capstone/energy"]["review"].startswith("filler:")  # never 'complete'
    assert rows["economics.capstone/value_stream"]["flag"] == "empty"


def test_the_capstone_review_wants_quantities_sources_and_a_synthesis():
    from course_lib import economics

    sheet = economics.capstone_template()
    assert "synthesis" in sheet
    sheet["energy"] = {"answer": "One can takes this much energy to make, from Table 1 and its mass.",
                       "figure": "1", "source": "abcd"}
    sheet["synthesis"] = {"answer": "The lenses agree: keeping the metal in use matters more than making the can lighter."}
    review = economics.review_capstone(sheet).set_index("lens")
    assert review.loc["energy", "status"] == "incomplete"
    assert "figure with its unit" in review.loc["energy", "feedback"] and "author and year" in review.loc["energy", "feedback"]
    assert review.loc["synthesis", "status"] == "complete"
    sheet["energy"].update(figure="0.5 kWh", source="energy_table")
    assert economics.review_capstone(sheet).set_index("lens").loc["energy", "status"] == "complete"
    sheet["energy"].update(source="(Jacobsen, 2006)")
    assert economics.review_capstone(sheet).set_index("lens").loc["energy", "status"] == "complete"


def test_a_filled_rubric_sheet_merges_into_grades_csv(log, monkeypatch, tmp_path):
    essay = "A kilocalorie says nothing of where the energy comes from, how clean it is, or what it costs the land."
    sheet = _capstone_sheet(log, monkeypatch, {"energy": {"answer": essay, "figure": "0.5 kWh", "source": "energy_table"}})
    book = _book(tmp_path, {REFLECTION: essay}, sheet)
    grades = report.write_grades(book, tmp_path / "out" / "grades.csv")
    written = rubric.write_rubric_sheet(book, tmp_path / "out" / "rubric")
    page = (tmp_path / "out" / "rubric" / "sam.html").read_text(encoding="utf-8")
    assert written[0].name == "rubric.csv" and '<html lang="en">' in page and "<script" not in page and "http" not in page
    assert html.escape(exercises.question(REFLECTION).rubric[0]) in page and html.escape(essay) in page
    with open(written[0], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["points"] = {REFLECTION: "2.5", "economics.capstone/energy": "2", "economics.capstone/synthesis": "1"}.get(row["item"], "")
    filled = tmp_path / "filled.csv"
    with open(filled, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=rubric.RUBRIC_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    rubric.merge_rubrics(grades, filled)
    header, row = list(csv.reader(grades.open(encoding="utf-8")))
    values = dict(zip(header, row))
    assert header == ["submission", "student", NUMBER, REFLECTION, "economics.capstone", "total", "max", "status"]
    assert (values[NUMBER], values[REFLECTION], values["economics.capstone"], values["total"]) == ("2", "2.5", "3", "7.5")
    assert values["max"] == "19" and values["status"] == "ok; rubric: 5 items not scored yet"  # 2 + 3 + 14
    rows[0]["points"] = "9"
    with open(filled, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=rubric.RUBRIC_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ValueError, match="points='9' must be a number from 0 to 3"):
        rubric.merge_rubrics(grades, filled)


# ---- explanations of wrong options -------------------------------------------------------------

def _leaks(question_id: str, students=(None, "alice", "bob", "s1234567", "zoe")) -> list[tuple]:
    """(student, wrong option) whose explanation states the right option's label."""
    q = exercises.question(question_id)
    found = []
    for student in students:
        right = exercises.expected(question_id, student)
        values = _judge._values(q, variants.draw(question_id, student))
        label = _judge._fill(q.labels.get(right, right), values).casefold()
        for option, text in q.explanations.items():
            if option != right and option in q.choices and re.search(
                    r"(?<![\w.])" + re.escape(label) + r"(?!\w)", _judge._fill(text, values).casefold()):
                found.append((student, option))
    return found


def test_no_wrong_options_explanation_states_the_right_answer():
    choice = [q for q in exercises.questions() if exercises.question(q).choices and policy.item_kind(q) == "choice"]
    assert len(choice) > 15
    assert {q: leaks for q in choice if (leaks := _leaks(q))} == {}


def test_the_leak_detector_catches_an_explanation_that_gives_the_answer(monkeypatch):
    import dataclasses

    monkeypatch.setattr(exercises, "_REGISTRY", dict(exercises._REGISTRY))
    q = exercises.question(CHOICE)
    right, wrong = exercises.expected(CHOICE, None), _wrong_options(CHOICE)[0]
    told = dict(q.explanations, **{wrong: f"No: the answer is {q.labels.get(right, right)}."})
    exercises._REGISTRY[CHOICE] = dataclasses.replace(q, explanations=told)
    assert (None, wrong) in _leaks(CHOICE)


def test_the_class_table_of_a_gradebook_holds_each_students_checked_attempts(log, tmp_path):
    honest = _honest_log(log)
    finals = {NUMBER: exercises.expected(NUMBER, None), CHOICE: exercises.expected(CHOICE, None)}
    scored = _graded([NUMBER, CHOICE], finals, submitted=honest)
    unlogged = _graded([NUMBER, CHOICE], finals, submitted=[])
    rerun = {q: (_answers.to_record(a), None) for q, a in finals.items()}
    grades = [grader.Grade(name, tmp_path / f"{name}.ipynb", "ok", list(scores.values()),
                           checked=cross_check(found, rerun, [NUMBER, CHOICE], None))
              for name, scores, found in (("sam", scored, honest), ("kim", unlogged, []))]
    book = grader.Gradebook(tmp_path / "a.ipynb", "A", [NUMBER, CHOICE], POINTS, grader.Limits(), grades)
    table = class_table(book)
    sam, kim = table[table["student"] == "sam"], table[table["student"] == "kim"]
    assert sam[["question", "attempt", "verdict", "score"]].values.tolist() == [
        [NUMBER, 1, "wrong", 1.5], [NUMBER, 2, "right", 1.5], [CHOICE, 1, "right", 1.0]]
    # no log: the first attempt is one nobody can vouch for, so the item analysis counts it as not right
    assert kim[["question", "attempt", "verdict"]].values.tolist() == [
        [NUMBER, 1, "wrong"], [NUMBER, 2, "right"], [CHOICE, 1, "wrong"], [CHOICE, 2, "right"]]


def test_the_log_follows_its_file_when_another_kernel_appends_or_it_is_deleted(tmp_path, monkeypatch):
    """The log is read incrementally; what another writer appends, or a deletion, is still seen."""
    from course_lib import attempts
    path = tmp_path / "attempts.jsonl"
    monkeypatch.setenv(attempts.LOG_ENV, str(path))
    q = "start.food_day_kwh"
    for answer in (3.5, 9.0):
        exercises.evaluate(q, answer, student="alice")
    assert attempts.next_attempt(q, "alice") == 3
    other = dict(attempts.history(q, "alice")[-1], attempt=3)
    with open(path, "a", encoding="utf-8") as handle:  # a second kernel in the same folder
        handle.write(json.dumps(other) + "\n")
    assert attempts.next_attempt(q, "alice") == 4
    path.unlink()
    assert attempts.next_attempt(q, "alice") == 1
    path.write_text(json.dumps(dict(other, attempt=1)) + "\n", encoding="utf-8")  # a new file, maybe the same inode
    assert attempts.next_attempt(q, "alice") == 2
