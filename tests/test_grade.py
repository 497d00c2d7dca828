"""python -m course_lib.grade: a gradebook from the course's own checks, safe against bad submissions.

The slow tests (marked ``slow``: they start Jupyter kernels) build a tiny assignment of three real
course questions (a number, an option, a reflection), make its student version with the course's
build, fill it in the ways students do (right, wrong, cheating, broken, looping, memory-hungry,
crashing, file-deleting, run under another student's name) and grade the lot with the real
command, checking every cell of ``grades.csv``, each status, the feedback files and the exit code.
Every student has numbers of their own: a right answer is computed in the notebook from the
student's own variant, as a student would, and the grader must run it under the same identity. The fast tests check the parts
(scoring from a log, the questions of an assignment, points, naming, argument errors) without a kernel.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import nbformat
import pytest

from course_lib import exercises
from course_tools.grade import archive as archive_module
from course_tools.grade import assignment, cli, grader, report, run, sandbox, scoring

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# In the sandbox where the machine has one (CI always: .ci/run installs it; its own tests are in
# test_grade_sandbox); elsewhere these tests of grading itself run without.
SANDBOX = [] if sandbox.sandbox_problem() is None or os.environ.get("CI") else ["--no-sandbox"]


# --- the tiny assignment: three real course questions -------------------------------------------

def _pick_questions() -> tuple[str, str, str]:
    """A number question, an option question and a reflection of the course (start and energy)."""
    ids = exercises.questions()
    bank = exercises._REGISTRY
    choice = next(i for i in ids if i.startswith("energy.") and bank[i].kind != "reflection"
                  and isinstance(exercises.expected(i, None), str) and len(bank[i].choices) > 1)
    reflection = next((i for i in ids if i.startswith("energy.") and bank[i].kind == "reflection"),
                      next(i for i in ids if bank[i].kind == "reflection"))
    return "start.food_day_kwh", choice, reflection


NUMBER, CHOICE, REFLECTION = _pick_questions()
QUESTIONS = [NUMBER, CHOICE, REFLECTION]
ESSAY = ("A kilocalorie figure hides where the energy comes from, its quality, the emissions, "
         "the water and land used, and the human labour.")
# Answers as the code a student writes in the answer cell: the right number from their own numbers.
RIGHT = {NUMBER: f'ask("{NUMBER}")["kcal"] * 4.184 / 3600', CHOICE: f'expected("{CHOICE}")', REFLECTION: repr(ESSAY)}
WRONG = {NUMBER: "99.0", CHOICE: f'next(c for c in question("{CHOICE}").choices if c != expected("{CHOICE}"))',
         REFLECTION: repr("It is fine.")}


def _value(question: str, student: str | None, right: bool = True) -> object:
    """What the answer cell computes for ``student``: the same as RIGHT or WRONG in the kernel."""
    if question == NUMBER:
        return exercises.variant(NUMBER, student)["kcal"] * 4.184 / 3600 if right else 99.0
    if question == CHOICE:
        answer = exercises.expected(CHOICE, student)
        return answer if right else next(c for c in exercises.question(CHOICE).choices if c != answer)
    return ESSAY if right else "It is fine."
POINTS = {NUMBER: 2.0, CHOICE: 1.0, REFLECTION: 0.5}


def _verdict(question: str, answer: object, student: str | None = None) -> str:
    return str(exercises.evaluate(question, answer, student=student))


def _assignment_notebook() -> nbformat.NotebookNode:
    """The instructor version: an exercise cell and a solution cell per question."""
    code, md = nbformat.v4.new_code_cell, nbformat.v4.new_markdown_cell
    cells = [md("# A tiny assignment"), code("from course_lib.exercises import ask, check, expected, question")]
    starts = {NUMBER: "answer = None  # your answer here, in kWh", CHOICE: 'answer = None  # your answer here',
              REFLECTION: 'answer = None  # a few sentences'}
    for question in QUESTIONS:
        cells.append(code(f'{starts[question]}\ncheck("{question}", answer)', metadata={"tags": ["exercise"]}))
        cells.append(code(f'check("{question}", {RIGHT[question]})', metadata={"tags": ["solution"]}))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["course"] = {"title": "A tiny assignment"}
    return nb


def _student_version(instructor: Path, folder: Path) -> nbformat.NotebookNode:
    """The student version, made by the course's own build (its public function, else its command)."""
    try:
        from course_tools.build import student_notebook
    except ImportError:
        subprocess.run([PYTHON, "-m", "course_lib.build", "student", str(instructor), "--out", str(folder)],
                       check=True, capture_output=True)
        return nbformat.read(folder / instructor.name, as_version=4)
    return student_notebook(nbformat.read(instructor, as_version=4))


def _filled(student: nbformat.NotebookNode, answers: dict[str, object], extra: dict[int, str] | None = None,
            drop: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    """A copy of the student version with ``answers`` written into the exercise cells.

    ``extra`` inserts code cells before the n-th exercise (n = len(QUESTIONS): at the end);
    questions in ``drop`` lose their exercise cell (a student who deleted it).
    """
    nb = nbformat.from_dict(json.loads(json.dumps(student)))
    cells, exercise = [], 0
    for cell in nb.cells:
        if "exercise" in cell.metadata.get("tags", []):
            if extra and exercise in extra:
                cells.append(nbformat.v4.new_code_cell(extra[exercise]))
            question = QUESTIONS[exercise]
            exercise += 1
            if question in drop:
                continue
            if question in answers:
                cell.source = f'answer = {answers[question]}\ncheck("{question}", answer)'
        cells.append(cell)
    if extra and len(QUESTIONS) in extra:
        cells.append(nbformat.v4.new_code_cell(extra[len(QUESTIONS)]))
    nb.cells = cells
    return nb


CHEAT = textwrap.dedent(f'''\
    import dataclasses
    import course_lib.exercises as ex
    from course_lib.units import Q_
    # the question bank edited: 99 kWh becomes "right" in this kernel
    ex.evaluate("{NUMBER}", None)  # the question loaded first
    ex._REGISTRY["{NUMBER}"] = dataclasses.replace(ex._REGISTRY["{NUMBER}"], expected=lambda v: Q_(99.0, "kWh"))
    ex.check("{NUMBER}", 99.0)
    # every verdict faked
    ex.evaluate = lambda *args, **kwargs: ex.Feedback(True, "✅ Correct: well done")
    ex.check("{CHOICE}", {WRONG[CHOICE].replace("expected(", "ex.expected(").replace("question(", "ex.question(")})
    print("✅ Correct: 2.324 kWh (expected 2.324 kWh, within 0.4%).")
    # and check itself redefined: prints a verdict, records nothing
    def check(question_id, answer, unit=None):
        print("✅ Correct:", answer)
    ''')
DELETE = textwrap.dedent('''\
    import os, shutil
    assert os.path.isfile("park/partners.csv")  # the assignment's support file was copied here
    for name in os.listdir("."):
        (shutil.rmtree if os.path.isdir(name) else os.remove)(name)
    print(os.listdir("."))
    ''')
# The limits the graded run sets. The longest cell of an honest submission here (the import of
# course_lib) ran 1.2 s alone and 1.7 s two at a time on two loaded cores (load 3); a whole honest
# submission, its kernel's start included, 6-14 s two at a time (load 2-4): 5 s a cell leaves the
# import three times its time, and the notebook's 30 s twice the slowest. The looping submission is
# interrupted at 5 s as surely as at 10 (its notebook needs its honest cells plus that limit: 25 s are left).
CELL_LIMIT, NOTEBOOK_LIMIT = 5, 30
LOOP = "import time\nwhile True:\n    time.sleep(0.01)"
# Ignores interrupts; sleeps rather than spins, so the wait for the notebook's limit costs no CPU.
STUCK = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.01)"
ALLOCATE = "x = bytearray(50 * 1024**3)"
DIE = "import os; os._exit(1)"


def _ran_as(nb: nbformat.NotebookNode, student: str) -> nbformat.NotebookNode:
    """``nb`` as saved after ``student`` ran it: ask() stores the identity in its output's metadata."""
    cell = nbformat.v4.new_code_cell(f'ask("{NUMBER}")', outputs=[nbformat.v4.new_output(
        "display_data", data={"text/plain": "the exercise"}, metadata={"course": {"question": NUMBER, "student": student}})])
    nb.cells.insert(2, cell)
    return nb


def _record(question: str, value: object, student: str | None, attempt: int) -> dict:
    """The attempt record check() writes for ``value`` (see course_lib.attempts), judged by the course."""
    from course_lib import _answers, attempts

    verdict, v = exercises._judged(question, value, None, student, 1)
    return {"question": question, "student": student, "variant": dict(v.numbers), "answer": _answers.to_record(value),
            "unit": None, "verdict": attempts.verdict_of(verdict), "slip": verdict.slip, "option": verdict.option,
            "attempt": attempt, "time": f"2026-12-07T10:{attempt:02d}:00Z"}


def _with_log(nb: nbformat.NotebookNode, student: str, right: bool = True,
              tries: dict[str, list[object]] | None = None) -> nbformat.NotebookNode:
    """``nb`` as saved after ``student`` worked it: each exercise's check() output carries the
    question's attempt history (by default the one answer the cell gives, at the first attempt)."""
    for cell in nb.cells:
        question = next((q for q in (NUMBER, CHOICE) if f'check("{q}"' in cell.source), None)
        if question is None or "exercise" not in cell.metadata.get("tags", []) or "answer = None" in cell.source:
            continue
        answers = (tries or {}).get(question, [_value(question, student, right)])
        history = [_record(question, a, student, i) for i, a in enumerate(answers, start=1)]
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "the verdict"},
                                               metadata={"course": {"question": question, "attempts": history}})]
    return nb


def _cell_of(nb: nbformat.NotebookNode, source: str) -> int:
    return next(i for i, c in enumerate(nb.cells, start=1) if c.source == source)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The tiny assignment (with a support folder beside it) and its student version."""
    root = tmp_path_factory.mktemp("grade")
    folder = root / "notebooks"
    (folder / "park").mkdir(parents=True)
    (folder / "park" / "partners.csv").write_text("id,label\na,A\n", encoding="utf-8")
    instructor = folder / "tiny_assignment.ipynb"
    nbformat.write(_assignment_notebook(), instructor)
    return {"root": root, "assignment": instructor, "student": _student_version(instructor, root / "student")}


def _snapshot(*folders: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


def _kernels_left(folder: Path) -> list[int]:
    """Processes of a run whose temporary folder lies under ``folder`` (the grader's): kernels left running."""
    left, marker = [], f"{run.RUN_ENV}={folder}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if any(v.startswith(marker) for v in (entry / "environ").read_bytes().split(b"\0")):
                    left.append(int(entry.name))
            except OSError:
                pass
    return left


@pytest.fixture(scope="module")
def graded(course):
    """Every kind of submission, graded in one run of the real command (2 at a time)."""
    root, student = course["root"], course["student"]
    submitted = root / "submitted"
    (submitted / "group_b").mkdir(parents=True)
    wrong_options = [c for c in exercises.question(CHOICE).choices if c != exercises.expected(CHOICE, "letters")]
    notebooks = {
        "right": _with_log(_filled(student, RIGHT), "right"),
        "wrong": _with_log(_filled(student, WRONG), "wrong", right=False),
        # every option tried before the right one: no point for a multiple-choice item
        "letters": _with_log(_filled(student, RIGHT), "letters",
                             tries={CHOICE: [*wrong_options, exercises.expected(CHOICE, "letters")]}),
        # the log edited: the first (wrong) attempt at the number deleted, the right one left as attempt 2
        "edited": _with_log(_filled(student, RIGHT), "edited", tries={NUMBER: [99.0, _value(NUMBER, "edited")]}),
        # last answer counts: NUMBER wrong then right, CHOICE right then wrong; the reflection's cell deleted
        "mixed": _filled(student, {NUMBER: WRONG[NUMBER], CHOICE: RIGHT[CHOICE]}, drop=(REFLECTION,),
                         extra={len(QUESTIONS): f'check("{NUMBER}", {RIGHT[NUMBER]})\ncheck("{CHOICE}", {WRONG[CHOICE]})'}),
        # the faked questions score 0; the honest answer, given through the course's check, counts
        "cheat": _filled(student, {}, extra={0: CHEAT, len(QUESTIONS): f'ex.check("{REFLECTION}", {RIGHT[REFLECTION]})'}),
        "loop": _with_log(_filled(student, RIGHT, extra={1: LOOP}), "loop"),
        # ignores interrupts. Named to sort second: the grader starts submissions in name order, and this
        # one waits out the notebook's whole limit, beside the others rather than alone at the end.
        "asleep": _with_log(_filled(student, RIGHT, extra={1: STUCK}), "asleep"),
        "memory": _with_log(_filled(student, RIGHT, extra={1: ALLOCATE}), "memory"),
        "dies": _with_log(_filled(student, RIGHT, extra={1: DIE}), "dies"),
        "group_b/deletes": _with_log(_filled(student, RIGHT, extra={1: DELETE}), "deletes"),
        # run and saved by bob, handed in as alice: graded with bob's numbers, and the status says so
        "alice": _ran_as(_with_log(_filled(student, RIGHT), "bob"), "bob"),
        "other_course": nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import math\nprint(math.tau)")],
                                                 metadata={"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}}),
    }
    edited = notebooks["edited"]
    for cell in edited.cells:  # the deletion
        for output in cell.get("outputs", []):
            history = output.get("metadata", {}).get("course", {}).get("attempts", [])
            if history and history[0]["question"] == NUMBER:
                del history[0]
    for name, nb in notebooks.items():
        nbformat.write(nb, submitted / f"{name}.ipynb")
    (submitted / "not_json.ipynb").write_text('{"cells": [ this is not JSON', encoding="utf-8")
    (submitted / "not_nbformat.ipynb").write_text('{"hello": "world"}', encoding="utf-8")
    (submitted / ".ipynb_checkpoints").mkdir()
    (submitted / ".ipynb_checkpoints" / "right-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    points = root / "points.csv"
    points.write_text("question,points\n" + "".join(f"{q},{p:g}\n" for q, p in POINTS.items())
                      + "zeri.reflection,3\n", encoding="utf-8")  # a question of another assignment: ignored
    before = _snapshot(submitted, course["assignment"].parent)
    out = root / "out" / "grades.csv"
    command = [PYTHON, "-m", "course_lib.grade", str(submitted), "--out", str(out), "--points", str(points),
               "--assignment", str(course["assignment"]), "--jobs", "2", "--cell-timeout", str(CELL_LIMIT),
               "--timeout", str(NOTEBOOK_LIMIT), "--memory", "1024", *SANDBOX]
    temporary = root / "tmp"  # the grader's temporary folders go here: a kernel left running would show
    temporary.mkdir()
    result = subprocess.run(command, capture_output=True, text=True, cwd=root, timeout=400,
                            env={**os.environ, "TMPDIR": str(temporary)})
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return {"result": result, "rows": rows, "header": rows[0], "table": {r[0]: r[2:] for r in rows[1:]},
            "students": {r[0]: r[1] for r in rows[1:]},
            "notebooks": notebooks, "before": before, "after": _snapshot(submitted, course["assignment"].parent),
            "feedback": root / "out" / "feedback", "left": _kernels_left(temporary), "temporary": temporary}


def _expected_table(nbs: dict[str, nbformat.NotebookNode]) -> dict[str, list[str]]:
    n, c, _ = (report.points_text(POINTS[q]) for q in QUESTIONS)
    r = "0"  # a reflection earns no automatic points: it goes to the rubric sheet
    full = report.points_text(sum(POINTS.values()))

    def row(earned: tuple[str, str, str], status: str) -> list[str]:
        total = sum(float(x) for x in earned)
        return [*earned, report.points_text(total), full, status]

    died_in = _cell_of(nbs["dies"], DIE)
    memory_in = _cell_of(nbs["memory"], ALLOCATE)
    return {
        "right": row((n, c, r), "ok"),
        "wrong": row(("0", "0", "0"), "ok"),
        "letters": row((n, "0", r), "ok"),
        "edited": row(("1.5", c, r), f"ok; attempt log rewritten for {NUMBER} (scored as attempts after the first)"),
        # no log handed in (a notebook never saved after its checks ran): no first-attempt credit
        "mixed": row(("1.5", "0", "0"), f"ok; attempt log missing for {NUMBER}, {CHOICE} (scored as attempts after the first)"),
        "cheat": row(("0", "0", r), f"ok; attempt log missing for {NUMBER}, {CHOICE} (scored as attempts after the first)"),
        "loop": row((n, c, r), "timeout"),  # the loop was interrupted; the cells after it still ran
        "asleep": row((n, "0", "0"), "timeout"),  # ignores interrupts: killed at the notebook's limit
        "memory": row((n, c, r), f"error: out of memory in cell {memory_in} (`{ALLOCATE}`) (limit 1,024 MB)"),
        "dies": row((n, "0", "0"), f"error: the kernel died in cell {died_in} (`{DIE}`)"),
        "group_b/deletes": row((n, c, r), "ok"),
        "alice": row((n, c, r), "ok; identity: the notebook was run as 'bob' but its file name says 'alice'; "
                                "graded with the numbers of 'bob'"),
        "other_course": row(("0", "0", "0"), grader.NOT_THIS_ASSIGNMENT),
        "not_json": row(("0", "0", "0"), "not a notebook"),
        "not_nbformat": row(("0", "0", "0"), "not a notebook"),
    }


@pytest.mark.slow
def test_every_cell_of_the_gradebook(graded):
    assert graded["result"].returncode == 1, graded["result"].stderr  # some submissions not graded in full
    assert graded["header"] == ["submission", "student", *QUESTIONS, "total", "max", "status"]
    assert graded["table"] == _expected_table(graded["notebooks"]), graded["result"].stderr
    assert graded["students"]["right"] == "right" and graded["students"]["group_b/deletes"] == "deletes"
    assert graded["students"]["alice"] == "bob" and graded["students"]["not_json"] == ""
    assert [r[0] for r in graded["rows"][1:]] == sorted(graded["table"])  # one row each, checkpoints skipped


@pytest.mark.slow
def test_grading_touches_no_submitted_file_and_leaves_no_kernel(graded):
    assert graded["after"] == graded["before"]  # submissions and the assignment's folder: same bytes, same times
    assert graded["left"] == []
    assert list(graded["temporary"].iterdir()) == []  # every temporary folder removed


@pytest.mark.slow
def test_feedback_gives_the_verdicts_check_prints(graded):
    folder = graded["feedback"]
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md")) == sorted(f"{n}.md" for n in graded["table"])
    right = (folder / "right.md").read_text(encoding="utf-8")
    assert "# Feedback: A tiny assignment" in right and f"Score: **3 / 3.5** points" in right
    for question in QUESTIONS:
        assert _verdict(question, _value(question, "right"), "right") in right
    assert "Graded with the exercise numbers of: `right`" in right
    wrong = (folder / "wrong.md").read_text(encoding="utf-8")
    for question in QUESTIONS:
        text = _verdict(question, _value(question, "wrong", right=False), "wrong")
        assert text.startswith("❌ Not yet") and text in wrong  # the verdict of a first attempt
    cheat = (folder / "cheat.md").read_text(encoding="utf-8")
    assert "Cells that raised an error" not in cheat  # the cheating code ran to its end
    assert _verdict(NUMBER, 99.0, "cheat") in cheat  # what the course says of 99 kWh, not what the notebook printed
    assert f'No answer recorded: no cell ran check("{CHOICE}"' not in cheat
    assert _verdict(CHOICE, _value(CHOICE, "cheat", right=False), "cheat") in cheat
    mixed = (folder / "mixed.md").read_text(encoding="utf-8")
    assert f'No answer recorded: no cell ran check("{REFLECTION}", ...)' in mixed
    assert "scores it with its rubric" in right
    sheet = list(csv.DictReader((folder.parent / "rubric" / "rubric.csv").open(encoding="utf-8", newline="")))
    flags = {row["submission"]: row["flag"] for row in sheet if row["item"] == REFLECTION}
    assert flags["right"] == "" and flags["wrong"] == "too short" and (folder.parent / "rubric" / "right.html").is_file()
    broken = (folder / "not_json.md").read_text(encoding="utf-8")
    assert "Status: not a notebook" in broken and "could not be read as a Jupyter notebook" in broken
    other = (folder / "other_course.md").read_text(encoding="utf-8")
    assert "checks none of the questions of A tiny assignment" in other and "it was not run" in other
    dies = (folder / "dies.md").read_text(encoding="utf-8")
    assert "the kernel died in cell" in dies and "still count" in dies
    memory = (folder / "memory.md").read_text(encoding="utf-8")
    assert "## Cells that raised an error" in memory and "MemoryError" in memory
    loop = (folder / "loop.md").read_text(encoding="utf-8")
    assert f"a cell may run at most {CELL_LIMIT} s" in loop and "CellTimeout" in loop


@pytest.mark.slow
def test_the_command_reports_each_submission_and_the_ones_not_graded_in_full(graded):
    result = graded["result"]
    assert "15 submissions of tiny_assignment.ipynb graded" in result.stdout
    for name in ("loop", "asleep", "memory", "dies", "other_course", "not_json", "not_nbformat"):
        assert f"  {name}: " in result.stderr
    assert "  right: " not in result.stderr


@pytest.mark.slow
def test_all_ok_exits_0_and_the_assignment_is_found_by_the_submissions_names(course, tmp_path):
    """Canvas-style names (``<student>_<id>_<notebook>.ipynb``) name the course notebook, in a zip."""
    work = tmp_path / "course"
    (work / "notebooks").mkdir(parents=True)
    nbformat.write(_assignment_notebook(), work / "notebooks" / "tiny_assignment.ipynb")
    nbformat.write(_assignment_notebook(), work / "notebooks" / "another_assignment.ipynb")
    # as Canvas's "Download Submissions" gives them: one zip, one file per student
    with zipfile.ZipFile(work / "submissions.zip", "w") as archive:
        archive.writestr("doejane_1234_5678_tiny_assignment.ipynb",
                         nbformat.writes(_with_log(_filled(course["student"], RIGHT), "doejane_1234_5678")))
        archive.writestr("roejim_4321_8765_tiny_assignment-1.ipynb",
                         nbformat.writes(_with_log(_filled(course["student"], {NUMBER: RIGHT[NUMBER]}), "roejim_4321_8765")))
    # --no-sandbox: the instructor's explicit choice runs as before (the sandbox's tests are elsewhere)
    result = subprocess.run([PYTHON, "-m", "course_lib.grade", "submissions.zip", "--out", "grades.csv", "--jobs", "2",
                             "--quiet", "--no-sandbox"], capture_output=True, text=True, cwd=work, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader((work / "grades.csv").open(encoding="utf-8", newline="")))
    assert rows == [["submission", "student", *QUESTIONS, "total", "max", "status"],
                    ["doejane_1234_5678_tiny_assignment", "doejane_1234_5678", "1", "1", "0", "2", "3", "ok"],
                    ["roejim_4321_8765_tiny_assignment-1", "roejim_4321_8765", "1", "0", "0", "1", "3", "ok"]]
    assert (work / "feedback" / "roejim_4321_8765_tiny_assignment-1.md").is_file()
    assert result.stderr == ""  # --quiet


# --- scoring from the answer log (no kernel) ----------------------------------------------------

def _line(question: str, answer: object, unit: str | None = None) -> str:
    from course_lib import _answers
    return json.dumps({"id": question, "answer": _answers.to_record(answer), "unit": unit})


def test_the_last_answer_counts_and_unanswered_questions_score_0():
    records = scoring.read_records([_line(NUMBER, _value(NUMBER, None)), _line(CHOICE, _value(CHOICE, None)), _line(NUMBER, 3.5)])
    scores = scoring.score(records, QUESTIONS, POINTS)
    assert [(s.question, s.earned, s.answered, s.correct) for s in scores] == [
        (NUMBER, 0.0, True, False), (CHOICE, 1.0, True, True), (REFLECTION, 0.0, False, False)]
    assert scores[0].feedback == _verdict(NUMBER, 3.5) and scores[0].answer == "3.5"
    assert scores[2].feedback == f'No answer recorded: no cell ran check("{REFLECTION}", ...) to the end.'


def test_units_and_quantities_are_judged_as_check_judges_them():
    from course_lib.units import Q_
    kilojoules = round(Q_(_value(NUMBER, None), "kWh").to("kJ").magnitude)  # the default numbers, in kJ
    records = scoring.read_records([_line(NUMBER, kilojoules, "kJ"), _line(CHOICE, Q_(1, "kWh"))])
    number, choice, _ = scoring.score(records, QUESTIONS, {})
    assert number.correct and number.earned == 1.0 and number.answer == f"{kilojoules} (unit='kJ')"
    assert number.feedback == str(exercises.evaluate(NUMBER, kilojoules, "kJ"))
    assert not choice.correct and choice.answer == "1 kWh"


def test_a_reflection_earns_no_automatic_points_it_goes_to_the_rubric_sheet():
    records = scoring.read_records([_line(REFLECTION, ESSAY)])
    (written,) = scoring.score(records, [REFLECTION], {REFLECTION: 2})
    assert (written.earned, written.reflection, written.kind, written.points) == (0.0, True, "rubric", 2.0)
    (short,) = scoring.score(scoring.read_records([_line(REFLECTION, "Too short.")]), [REFLECTION], {})
    assert short.earned == 0 and "at least 15 words" in short.feedback


def test_forged_or_broken_log_lines_give_no_credit_and_no_crash(tmp_path):
    lines = ["not json", "[1, 2]", json.dumps({"answer": 2.9}), json.dumps({"id": 7, "answer": 2.9}),
             json.dumps({"id": NUMBER, "answer": {"quantity": "oops"}, "unit": None}),
             json.dumps({"id": CHOICE, "answer": {"quantity": [1, "no_such_unit_xyz"]}, "unit": 5}),
             json.dumps({"id": REFLECTION, "answer": {"mapping": [[1]]}})]
    log = tmp_path / "answers.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scores = scoring.score(scoring.read_log(log), QUESTIONS, {})
    assert [(s.answered, s.earned) for s in scores] == [(True, 0.0), (True, 0.0), (True, 0.0)]
    assert all(s.feedback.startswith("❌ Not yet") for s in scores)
    assert scoring.read_log(tmp_path / "never_written.jsonl") == {}


# --- the assignment, its questions, points and submissions ----------------------------------------

def test_questions_come_from_the_exercise_cells_in_order_each_once():
    nb = _assignment_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(f'check("{NUMBER}", 1)\ncheck("energy.not_here", 2)'))  # not an exercise
    nb.cells.append(nbformat.v4.new_code_cell(f"exercises.check('{CHOICE}', 1)", metadata={"tags": ["exercise"]}))
    assert assignment.question_ids(nb) == QUESTIONS


def test_an_assignment_with_an_unknown_question_or_none_is_refused(tmp_path):
    nb = _assignment_notebook()
    nb.cells[2].source = 'check("start.food_day_kwhh", 1)'
    nbformat.write(nb, tmp_path / "typo.ipynb")
    with pytest.raises(ValueError, match=r"question_id='start.food_day_kwhh' is not a course question.*did you mean 'start.food_day_kwh'"):
        assignment.assignment_questions(tmp_path / "typo.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), tmp_path / "empty.ipynb")
    with pytest.raises(ValueError, match=r"has no cell tagged 'exercise' that calls check\(.*nothing to grade"):
        assignment.assignment_questions(tmp_path / "empty.ipynb")
    (tmp_path / "broken.ipynb").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken.ipynb' is not a readable notebook"):
        assignment.assignment_questions(tmp_path / "broken.ipynb")


def test_points_file_sets_points_and_refuses_mistakes(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(f"question,points\n{NUMBER},2.5\nzeri.reflection,4\n", encoding="utf-8")
    assert assignment.read_points(path, QUESTIONS) == {NUMBER: 2.5, CHOICE: 1.0, REFLECTION: 1.0}
    assert assignment.read_points(None, QUESTIONS) == dict.fromkeys(QUESTIONS, 1.0)
    for text, message in [
        ("question,points\nstart.food_day_kwhh,2\n", r"line 2: 'start.food_day_kwhh' is not a course question \(did you mean 'start.food_day_kwh'\?\)"),
        (f"question,points\n{NUMBER},two\n", rf"line 2: points='two' for '{NUMBER}' is not a number"),
        (f"question,points\n{NUMBER},-1\n", rf"line 2: points='-1' for '{NUMBER}' must be a number >= 0"),
        (f"id,score\n{NUMBER},1\n", r"must be a CSV file with the columns question,points; its header is \['id', 'score'\]"),
    ]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            assignment.read_points(path, QUESTIONS)
    with pytest.raises(FileNotFoundError, match=r"points='nowhere.csv': no such file"):
        assignment.read_points("nowhere.csv", QUESTIONS)


def test_submissions_are_named_by_their_path_inside_the_folder(tmp_path):
    for name in ("b.ipynb", "a/x.ipynb", ".ipynb_checkpoints/b-checkpoint.ipynb", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    found = assignment.find_submissions([tmp_path, tmp_path / "b.ipynb", tmp_path / "notes.txt"])
    assert [(s.name, s.path.relative_to(tmp_path).as_posix()) for s in found] == [
        ("a/x", "a/x.ipynb"), ("b", "b.ipynb"), ("notes.txt", "notes.txt")]  # b once; a file given is graded


def test_a_zip_of_submissions_is_read_like_a_folder_and_cannot_escape_or_explode(tmp_path):
    """Moodle's layout (a folder per student), a path that tries to climb out, hidden and macOS
    copies skipped; a member that unpacks huge stops the grading naming it, before the disk fills."""
    nb = nbformat.writes(nbformat.v4.new_notebook())
    with zipfile.ZipFile(tmp_path / "moodle.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Jane Doe_123_assignsubmission_file_/01_energy_tables.ipynb", nb)
        archive.writestr("../../outside/evil.ipynb", nb)
        archive.writestr("bob/.ipynb_checkpoints/x-checkpoint.ipynb", nb)
        archive.writestr("__MACOSX/bob/._x.ipynb", "")
        archive.writestr("bob/notes.txt", "not a notebook")
    found = assignment.find_submissions([tmp_path / "moodle.zip"])
    assert [s.name for s in found] == ["Jane Doe_123_assignsubmission_file_/01_energy_tables", "outside/evil"]
    folder = found[0].path.parents[1]
    assert all(folder in s.path.parents for s in found) and not (folder.parent / "outside").exists()
    assert assignment.find_submissions([tmp_path / "moodle.zip"])[0].path == found[0].path  # unpacked once
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.ipynb", b"0" * (archive_module.MAX_MEMBER_MB * 1024 * 1024 + 1))
    assert (tmp_path / "bomb.zip").stat().st_size < 1024 * 1024  # it packs small: its header is not trusted
    with pytest.raises(ValueError, match=r"'bomb.ipynb' is larger than 64 MB unpacked"):
        assignment.find_submissions([tmp_path / "bomb.zip"])
    (tmp_path / "broken.zip").write_bytes(b"PK not really")
    with pytest.raises(ValueError, match="is not a zip file that can be read"):
        assignment.find_submissions([tmp_path / "broken.zip"])


def test_submissions_with_the_same_name_keep_their_paths(tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "hw.ipynb").write_text("{}", encoding="utf-8")
    found = assignment.find_submissions([tmp_path / "one" / "hw.ipynb", tmp_path / "two" / "hw.ipynb"])
    assert len({s.name for s in found}) == 2 and all(s.name.endswith(("one/hw", "two/hw")) for s in found)


def test_bad_submission_arguments_are_refused(tmp_path):
    with pytest.raises(TypeError, match=r"submissions must be a list of files or folders, got the single str 'hw.ipynb'"):
        assignment.find_submissions("hw.ipynb")
    with pytest.raises(FileNotFoundError, match=r"submission 'nowhere.ipynb': no such file or folder"):
        assignment.find_submissions(["nowhere.ipynb"])
    with pytest.raises(TypeError, match=r"each submission must be a file or folder path, got 3 of type int"):
        assignment.find_submissions([3])


def test_the_assignment_is_the_course_notebook_most_names_name(tmp_path):
    course = tmp_path / "notebooks"
    course.mkdir()
    for name in ("01_energy.ipynb", "01_energy_tables.ipynb", "02_capital.ipynb"):
        (course / name).write_text("{}", encoding="utf-8")
    subs = [assignment.Submission(n, tmp_path / f"{n}.ipynb") for n in ("ann_1_01_energy_tables", "bob_2_01_energy_tables-1", "essay")]
    assert assignment.choose_assignment(subs, folder=course) == course / "01_energy_tables.ipynb"  # longest name wins
    tie = [assignment.Submission(n, tmp_path / f"{n}.ipynb") for n in ("a_01_energy_tables", "b_02_capital")]
    with pytest.raises(ValueError, match=r"match 01_energy_tables.ipynb and 02_capital.ipynb equally often: .*--assignment"):
        assignment.choose_assignment(tie, folder=course)
    with pytest.raises(ValueError, match=r"no submission's file name contains the name of a course notebook .*--assignment"):
        assignment.choose_assignment(subs[2:], folder=course)
    (tmp_path / "x.txt").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x.txt' must be a notebook \(.ipynb\)"):
        assignment.choose_assignment(subs, tmp_path / "x.txt")


def test_not_a_notebook_is_recognised(tmp_path):
    cases = {"text.ipynb": "hello", "list.ipynb": "[1, 2]", "wrong.ipynb": '{"cells": 5, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
             "binary.ipynb": b"\xff\xfe\x00"}
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        assert assignment.read_notebook(path) is None, name
    nbformat.write(_assignment_notebook(), tmp_path / "fine.ipynb")
    assert assignment.read_notebook(tmp_path / "fine.ipynb") is not None


def test_support_files_leave_out_notebooks_and_earlier_results(tmp_path):
    (tmp_path / "park").mkdir()
    (tmp_path / "park" / "partners.csv").write_text("x", encoding="utf-8")
    (tmp_path / "submissions").mkdir()
    (tmp_path / "submissions" / "jdoe.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "grades.csv").write_text("x", encoding="utf-8")
    for name in ("hw.ipynb", "README.md", ".secret", "logo.png"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = assignment.support_files(tmp_path / "hw.ipynb", exclude=[tmp_path / "out" / "grades.csv"])
    assert [p.name for p in found] == ["logo.png", "park"]


# --- arguments, names, numbers -----------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"jobs": 0}, ValueError, r"jobs=0 is not allowed: give a whole number"),
    ({"memory": 100}, ValueError, r"memory=100 is not allowed: give at least 256 MB .* or 0 for no limit"),
    ({"cell_timeout": "10"}, TypeError, r"cell_timeout must be a number \(in s\), got '10' \(text\)"),
    ({"timeout": -5}, ValueError, r"timeout=-5 is not allowed: give a number > 0 \(s\)"),
    ({"assignment": "no_such.ipynb"}, FileNotFoundError, r"assignment='no_such.ipynb': no such file"),
])
def test_bad_grading_arguments_are_refused_before_anything_runs(tmp_path, kwargs, error, message):
    nbformat.write(_assignment_notebook(), tmp_path / "hw.ipynb")
    with pytest.raises(error, match=message):
        grader.grade([tmp_path / "hw.ipynb"], **{"assignment": tmp_path / "hw.ipynb", **kwargs})


def test_the_command_refuses_to_overwrite_a_submission_and_reports_usage_errors(tmp_path, capsys):
    nbformat.write(_assignment_notebook(), tmp_path / "hw.ipynb")
    (tmp_path / "essay.csv").write_text("x", encoding="utf-8")
    assert cli.main([str(tmp_path / "hw.ipynb"), "--out", str(tmp_path / "hw.ipynb")]) == 2
    assert "would overwrite a notebook" in capsys.readouterr().err
    assert cli.main([str(tmp_path / "essay.csv"), "--out", str(tmp_path / "essay.csv")]) == 2
    assert "must not name a submitted file" in capsys.readouterr().err
    assert (tmp_path / "essay.csv").read_text(encoding="utf-8") == "x"
    assert cli.main([str(tmp_path / "hw.ipynb"), "--out", str(tmp_path / "g.csv"), "--assignment", str(tmp_path / "nope.ipynb")]) == 2
    assert "assignment=" in capsys.readouterr().err and not (tmp_path / "g.csv").exists()


def test_feedback_files_stay_inside_their_folder(tmp_path):
    assert report.feedback_path(tmp_path, "group/jdoe") == tmp_path / "group" / "jdoe.md"
    assert report.feedback_path(tmp_path, "../../etc/passwd") == tmp_path / "etc" / "passwd.md"
    assert report.feedback_path(tmp_path, "..") == tmp_path / "submission.md"


def test_points_are_written_as_plain_numbers():
    assert [report.points_text(x) for x in (0.0, 1.0, 2.5, 1 / 3, 12.0)] == ["0", "1", "2.5", "0.3333", "12"]


@pytest.mark.slow
def test_the_benchmark_runs_in_its_smoke_mode(tmp_path):
    result = subprocess.run([PYTHON, str(ROOT / "benchmarks" / "grade_load.py"), "--smoke", "--results", str(tmp_path / "r.md")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "seconds per submission" in text and "peak memory" in text
    assert "The sandbox's cost" in text and "| `--no-sandbox` |" in text  # graded both ways, side by side


# --- the answer key: every student's numbers and answers ----------------------------------------

def test_the_answer_key_lists_each_students_numbers_and_answers(tmp_path, capsys):
    out = tmp_path / "key.csv"
    assert cli.main(["--answer-key", "Alice, bob", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    questions = exercises.questions()
    assert list(rows[0]) == ["student", "question", "expected", "parameters"]
    assert len(rows) == 2 * len(questions) and {r["student"] for r in rows} == {"alice", "bob"}
    for row in rows:
        if exercises.question(row["question"]).kind != "reflection":
            assert exercises.evaluate(row["question"], row["expected"], student=row["student"]).correct, row
    food = {r["student"]: r for r in rows if r["question"] == NUMBER}
    assert food["alice"]["expected"] != food["bob"]["expected"]
    assert food["alice"]["parameters"] == f"kcal = {exercises.variant(NUMBER, 'alice').shown('kcal')}"
    roster = tmp_path / "class.csv"
    roster.write_text("student,email\ns001,a@b\n S002 ,c@d\n\n", encoding="utf-8")
    nbformat.write(_assignment_notebook(), tmp_path / "hw.ipynb")
    assert cli.main(["--answer-key", str(roster), "--assignment", str(tmp_path / "hw.ipynb"), "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [(r["student"], r["question"]) for r in rows] == [(s, q) for s in ("s001", "s002") for q in QUESTIONS]
    assert cli.main(["--answer-key", " , ", "--out", str(out)]) == 2
    assert "no student identities" in capsys.readouterr().err
    assert cli.main(["--out", str(out)]) == 2  # neither submissions nor --answer-key


def test_a_submission_is_graded_as_its_recorded_identity_else_its_file_name():
    nb = _ran_as(_assignment_notebook(), "bob")
    assert assignment.recorded_identity(nb) == ("bob", None)
    assert assignment.recorded_identity(_assignment_notebook()) == (None, None)
    hw = Path("tiny_assignment.ipynb")
    named = assignment.Submission("alice", Path("alice.ipynb"))
    assert grader._student(named, _assignment_notebook(), hw) == ("alice", "")
    student, note = grader._student(named, nb, hw)
    assert student == "bob" and "run as 'bob' but its file name says 'alice'" in note
    nb.cells[2].outputs[0].metadata["course"]["hub_user"] = "carol"
    assert "by the hub user 'carol'" in grader._student(named, nb, hw)[1]
    records = scoring.read_records([_line(NUMBER, _value(NUMBER, "bob"))])
    assert scoring.score(records, [NUMBER], {}, student="bob")[0].correct
    assert not scoring.score(records, [NUMBER], {}, student="alice")[0].correct
