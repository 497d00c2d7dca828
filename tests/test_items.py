"""Item analysis (course_tools.grade.items) on a synthetic class whose truth is known.

The synthetic class (tests/harness/synthetic_class.py) answers every checked question of notebooks
01-06 by a two-parameter item-response model with known difficulties, makes the course's own slips
at known rates, and has three things planted: a question with negative discrimination, an option
nobody picks and a question whose wrong answers are mostly one slip. The analysis must find them.
"""

from __future__ import annotations

import ast
import csv
import math

import numpy as np
import pandas as pd
import pytest

from course_lib import exercises
from course_tools.grade import items
from tests.harness.synthetic_class import PLANTED, synthetic_class, write_submissions


@pytest.fixture(scope="module")
def klass():
    return synthetic_class(200, seed=0)


@pytest.fixture(scope="module")
def found(klass):
    return items.analyse(klass.table)


def test_recovers_the_true_order_of_difficulty(klass, found):
    true = [klass.true_difficulty[q] for q in found.items["question"]]
    assert items.spearman(found.items["difficulty"], true) >= 0.9
    # And the model's own difficulty parameter b, for the items whose discrimination is positive.
    b = {i.question: i.b for i in klass.items if i.a > 0}
    kept = found.items[found.items["question"].isin(b)]
    assert items.spearman(kept["difficulty"], [-b[q] for q in kept["question"]]) >= 0.9


def test_flags_the_planted_negative_discrimination(found):
    row = found.items.set_index("question").loc[PLANTED["negative"]]
    assert row["discrimination"] < 0 and row["upper_lower"] < 0
    assert "negative discrimination" in row["flags"]
    flagged = found.items[found.items["flags"].str.contains("negative discrimination")]["question"].tolist()
    assert flagged == [PLANTED["negative"]]  # the other items all discriminate positively (a >= 0.8)


def test_flags_the_planted_option_nobody_picks(klass, found):
    question, _ = PLANTED["dead_option"]
    (item,) = [i for i in klass.items if i.question == question]
    (dead,) = [w for w, r in zip(item.wrong, item.rates) if r == 0]
    row = found.items.set_index("question").loc[question]
    label = " ".join(exercises.question(question).labels[dead].split())
    assert f'option nobody picks: {dead} ("{label}")' in row["flags"]
    assert dead in row["unpicked"] and item.key not in row["unpicked"]


def test_names_the_planted_dominant_slip_in_words(found, klass):
    question, slip = PLANTED["dominant_slip"]
    row = found.items.set_index("question").loc[question]
    diagnosis = " ".join(exercises.question(question).explanations[slip].split())
    assert row["dominant_id"] == f"slip:{slip}"
    assert row["dominant_slip"] == diagnosis  # the question's own words (no placeholder in this one)
    # Its share of the wrong first attempts is the planted rate, within sampling error.
    first = klass.table[(klass.table["question"] == question) & (klass.table["attempt"] == 1)]
    wrong = first[first["verdict"] == "wrong"]
    assert abs((wrong["slip"] == slip).mean() - PLANTED["dominant_rate"]) < 0.1


def test_slips_come_from_the_course_at_known_rates(klass):
    """Every slip of the synthetic class is one the question's data diagnose, at about its rate."""
    first = klass.table[(klass.table["attempt"] == 1) & (klass.table["verdict"] == "wrong")]
    for item in [i for i in klass.items if i.kind == "slip"][:10]:
        seen = first[first["question"] == item.question]["slip"]
        assert set(seen.dropna()) <= set(exercises.question(item.question).explanations)
        if len(seen) >= 60:
            for slip, rate in zip(item.wrong, item.rates):
                share = seen.isna().mean() if slip is None else (seen == slip).mean()
                assert abs(share - rate) < 4 * math.sqrt(rate * (1 - rate) / len(seen)) + 0.02, (item.question, slip)


def _tiny() -> pd.DataFrame:
    rows = []
    # Five students, three questions; q.c is answered right by the weaker students only.
    marks = {"a": (1, 1, 0), "b": (1, 1, 0), "c": (1, 0, 0), "d": (0, 0, 1), "e": (0, 0, 1)}
    for student, row in marks.items():
        for question, right in zip(("q.a", "q.b", "q.c"), row):
            rows.append({"student": student, "question": question, "attempt": 1, "verdict": "right" if right else "wrong",
                         "slip": None if right else "per_item", "option": None, "answer": None, "time": None})
            if not right:
                rows.append({"student": student, "question": question, "attempt": 2, "verdict": "right",
                             "slip": None, "option": None, "answer": None, "time": None})
    return pd.DataFrame(rows)


def test_point_biserial_uses_the_rest_score():
    found = items.analyse(_tiny(), min_students=1).items.set_index("question")
    # q.c: right (1) for d, e; the rest-scores (q.a + q.b) are a 2, b 2, c 1, d 0, e 0.
    expected = np.corrcoef([0, 0, 0, 1, 1], [2, 2, 1, 0, 0])[0, 1]
    assert found.loc["q.c", "discrimination"] == pytest.approx(expected, abs=1e-4)
    assert found.loc["q.c", "difficulty"] == pytest.approx(0.4)
    assert found.loc["q.c", "attempts_to_success"] == pytest.approx((2 + 2 + 2 + 1 + 1) / 5)
    assert "negative discrimination" in found.loc["q.c", "flags"]
    assert found.loc["q.a", "discrimination"] == pytest.approx(np.corrcoef([1, 1, 1, 0, 0], [1, 1, 0, 1, 1])[0, 1], abs=1e-4)
    assert math.isnan(found.loc["q.b", "discrimination"])  # every rest-score is 1: no correlation to speak of


def test_rest_score_takes_the_graders_points_when_given():
    table = _tiny()
    # Give q.b many points to d and e: q.c's rest-score now rises with q.c itself.
    table["score"] = [5.0 if (s in "de" and q == "q.b") else 0.0 for s, q in zip(table["student"], table["question"])]
    found = items.analyse(table, min_students=1).items.set_index("question")
    assert found.loc["q.c", "discrimination"] > 0


def test_unread_attempts_and_reflections_are_left_out():
    table = _tiny()
    extra = pd.DataFrame([{"student": "a", "question": "q.a", "attempt": None, "verdict": "unread", "slip": None,
                           "option": None, "answer": None, "time": None},
                          {"student": "a", "question": "zeri.reflection", "attempt": 1, "verdict": "right", "slip": None,
                           "option": None, "answer": "text", "time": None}])
    found = items.analyse(pd.concat([extra, table]), min_students=1)
    assert found.items["question"].tolist() == ["q.a", "q.b", "q.c"]
    assert found.items.set_index("question").loc["q.a", "difficulty"] == pytest.approx(0.6)


def test_a_wrong_option_the_stronger_students_prefer_points_to_the_key():
    rows = []
    for i in range(10):
        strong = i < 5
        student = f"p{i}"
        for question in ("q.a", "q.b"):
            rows.append({"student": student, "question": question, "attempt": 1,
                         "verdict": "right" if strong else "wrong", "slip": None, "option": None})
        # q.k's key is 'x', but the strong students mostly choose 'y' first: a wrong key, most likely.
        chosen = ("y" if i < 4 else "x") if strong else ("x" if i % 2 else "z")
        rows.append({"student": student, "question": "q.k", "attempt": 1, "verdict": "right" if chosen == "x" else "wrong",
                     "slip": None, "option": chosen})
    found = items.analyse(pd.DataFrame(rows)).items.set_index("question")
    assert 'the stronger students prefer y ("y") to the key' in found.loc["q.k", "flags"]
    assert "prefer" not in found.loc["q.a", "flags"]


def test_misuse_is_named():
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        items.analyse([{"student": "a"}])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lacks the columns verdict"):
        items.analyse(_tiny().drop(columns=["verdict"]))
    with pytest.raises(ValueError, match="verdict column holds \\['maybe'\\]"):
        items.analyse(_tiny().assign(verdict="maybe"))


@pytest.mark.slow  # vl-convert starts its JavaScript engine: seconds on a busy machine
def test_report_writes_the_page_and_the_tables(tmp_path):
    small = synthetic_class(40, seed=3)
    page = items.write_report(small.table, tmp_path / "report")
    text = page.read_text(encoding="utf-8")
    assert page.name == "index.html" and '<html lang="en">' in text
    assert text.count('<table class="sortable"') == 3 and text.count("<svg") == 2
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text  # offline
    with open(tmp_path / "report" / "items.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {"question", "difficulty", "discrimination", "dominant_slip", "flags"} <= set(rows[0])
    assert len(rows) == small.table["question"].nunique()
    choices = pd.read_csv(tmp_path / "report" / "choices.csv")
    assert set(choices["type"]) == {"option", "slip"} and (choices["share"] > 0).all()
    students = pd.read_csv(tmp_path / "report" / "students.csv")
    assert len(students) == 40 and students["summary"].str.startswith(tuple(small.students)).all()
    # Each chart's text alternative is stored with it and names what it shows.
    for i in range(2):
        assert f'<svg role="img" aria-labelledby="chart{i}-text"' in text
        caption = text.split(f'<figcaption id="chart{i}-text">')[1].split("</figcaption>")[0]
        assert caption.startswith("Chart: ") and len(caption) > 100


def test_grader_command_writes_the_report(tmp_path, monkeypatch, capsys):
    """``--report DIR``: the grader hands its gradebook to the attempts' class table, and the item
    analysis of that table lands in DIR (grading itself is the grader's tests' business: faked here)."""
    import sys
    import types

    from course_tools.grade import cli
    from course_tools.grade.grader import Grade, Gradebook
    from course_tools.grade.run import Limits

    small = synthetic_class(30, seed=5)
    submission = tmp_path / "s001.ipynb"
    submission.write_text("{}", encoding="utf-8")
    book = Gradebook(assignment=tmp_path / "01_energy_tables.ipynb", title="01", questions=[], points={},
                     limits=Limits(), grades=[Grade("s001", submission, "ok", [])])
    handed = []
    fake = types.ModuleType("course_tools.grade.attempts")
    fake.class_table = lambda source: handed.append(source) or small.table  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "course_tools.grade.attempts", fake)
    monkeypatch.setattr(cli, "grade", lambda *args, **kwargs: book)
    status = cli.main([str(submission), "--out", str(tmp_path / "grades.csv"), "--report", str(tmp_path / "report"),
                       "--quiet"])
    assert status == 0 and handed == [book]
    assert (tmp_path / "report" / "index.html").is_file()
    assert len(pd.read_csv(tmp_path / "report" / "items.csv")) == small.table["question"].nunique()
    assert "Item analysis:" in capsys.readouterr().out
    # A class with no judged attempt: the command says so and fails, the gradebook is written all the same.
    fake.class_table = lambda source: small.table.iloc[:0]  # type: ignore[attr-defined]
    status = cli.main([str(submission), "--out", str(tmp_path / "g2.csv"), "--report", str(tmp_path / "r2"), "--quiet"])
    assert status == 2 and (tmp_path / "g2.csv").is_file()
    assert "item analysis not written: table holds no judged attempt" in capsys.readouterr().err


@pytest.mark.slow
def test_synthetic_submissions_carry_their_attempt_logs(tmp_path):
    """The submissions the grader runs: answers filled in, each check() output with the history
    the class table says, every record what the course's judge says of its answer."""
    import json

    from course_lib import _answers

    small = synthetic_class(6, seed=7)
    (path,) = write_submissions(small, tmp_path, "01_energy_tables", students=["s002"])
    nb = json.loads(path.read_text(encoding="utf-8"))
    seen = 0
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            course = output.get("metadata", {}).get("course", {})
            if "attempts" not in course:
                continue
            seen += 1
            question, records = course["question"], course["attempts"]
            source = "".join(cell["source"])
            assert "answer = None" not in source and f'check("{question}", answer)' in source
            final = ast.literal_eval(source.split("answer = ", 1)[1].split("\n", 1)[0])  # the literal typed in
            assert _answers.from_record(records[-1]["answer"]) == final
            assert [r["attempt"] for r in records] == list(range(1, len(records) + 1))
            assert all(r["student"] == "s002" and r["verdict"] in ("right", "wrong") for r in records)
            modelled = small.table[(small.table["student"] == "s002") & (small.table["question"] == question)]
            if len(modelled):
                assert len(records) == len(modelled)
            for record in records:
                feedback = exercises.evaluate(question, _answers.from_record(record["answer"]), student="s002")
                assert (record["verdict"] == "right") == feedback.correct, (question, record)
                if record["slip"]:
                    assert record["slip"] in exercises.question(question).explanations
    assert seen == 10  # the 9 checked questions of notebook 01 and its reflection
    try:
        from course_tools.grade.attempts import submitted_log
    except ImportError:  # the grader's reader of attempt logs: only where it exists
        return
    assert len(submitted_log(path)) == sum(len(c.get("outputs", [{}])[0].get("metadata", {}).get("course", {})
                                               .get("attempts", [])) for c in nb["cells"] if c.get("outputs"))
