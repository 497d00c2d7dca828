"""The grader on the in-browser course's "Download all my work" zips: one student's, or a class's.

A work zip holds ``course-work.json`` (``{"kind": "course-work", ...}``), the attempt log
``.course_attempts.jsonl`` of every session of that browser, and every notebook the student
changed. The zips here are made of the course's real notebooks (their student versions, as the
in-browser course serves them) and the tiny assignment of ``test_grade``, filled and logged by
its helpers. The fast tests check the unpacking (a zip inside the zip, hostile names, a bomb),
the bundles (which notebook is graded, under which name, the assignment chosen), the log file
against the notebook's own history; one slow test grades a class zip with the real grader.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import nbformat
import pytest

from course_lib import _answers
from course_tools.build import student_notebook
from course_tools.grade import archive, assignment, grader, report, scoring
from course_tools.grade.attempts import cross_check, longer_histories, submitted_log, work_log
from tests.test_grade import (CHOICE, NUMBER, POINTS, QUESTIONS, REFLECTION, RIGHT, SANDBOX, _filled, _record, _value,
                              _with_log, course)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DAY = "2026-12-07"
__all__ = ["course"]  # the tiny assignment's fixture, shared with test_grade


def _work_zip(files: dict[str, str | bytes], log: list[dict] | None = None) -> bytes:
    """A work zip as the in-browser course's "Download all my work" makes it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as work:
        work.writestr(archive.WORK_MANIFEST, json.dumps({
            "kind": "course-work", "version": 1, "site": "test-site", "saved": f"{DAY}T20:00:00Z",
            "files": sorted(files), "log": archive.ATTEMPT_LOG}))
        if log is not None:
            work.writestr(archive.ATTEMPT_LOG, "".join(json.dumps(record) + "\n" for record in log))
        for name, content in files.items():
            work.writestr(name, content)
    return buffer.getvalue()


def _zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as class_zip:
        for name, content in members.items():
            class_zip.writestr(name, content)
    return path


@pytest.fixture(scope="module")
def real():
    """The student versions of two real course notebooks, as the in-browser course serves them."""
    return {name: nbformat.writes(student_notebook(nbformat.read(NOTEBOOKS / name, as_version=4)))
            for name in ("01_energy_tables.ipynb", "04_zeri_brewery.ipynb")}


# --- unpacking: a zip inside the zip, hostile names, a bomb --------------------------------------

def test_a_class_zip_of_work_zips_is_unpacked_one_level_deep_with_the_work_files(tmp_path, real):
    innermost = _work_zip({"01_energy_tables.ipynb": real["01_energy_tables.ipynb"]})
    alice = _work_zip({"01_energy_tables.ipynb": real["01_energy_tables.ipynb"], "04_zeri_brewery.ipynb": real["04_zeri_brewery.ipynb"],
                       "park_template/x.csv": "id\n1\n", "notes/.course_attempts.jsonl": "{}\n",
                       "notes/course-work.json": "{}", "older-course-work.zip": innermost}, log=[])
    bob = _work_zip({"04_zeri_brewery.ipynb": real["04_zeri_brewery.ipynb"]}, log=[])
    class_zip = _zip(tmp_path / "class.zip", {
        f"alice_12_34_course-work-{DAY}.zip": alice,  # Canvas: one file per student
        f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}.zip": bob,  # Moodle: a folder per student
        "carol_tiny_assignment.ipynb": real["01_energy_tables.ipynb"],
        archive.ATTEMPT_LOG: "{}\n", "stray/.course_attempts.jsonl": "{}\n"})
    folder = archive.unpack(class_zip)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == [".course_attempts.jsonl",  # at the zip's root: kept (a single work zip given as it is)
                     f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}/.course_attempts.jsonl",
                     f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}/04_zeri_brewery.ipynb",
                     f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}/course-work.json",
                     f"alice_12_34_course-work-{DAY}/.course_attempts.jsonl",
                     f"alice_12_34_course-work-{DAY}/01_energy_tables.ipynb",
                     f"alice_12_34_course-work-{DAY}/04_zeri_brewery.ipynb",
                     f"alice_12_34_course-work-{DAY}/course-work.json",
                     "carol_tiny_assignment.ipynb"]  # no CSV, no work files below a root, no zip in a zip in a zip
    inner = folder / f"alice_12_34_course-work-{DAY}" / "01_energy_tables.ipynb"
    assert inner.read_text(encoding="utf-8") == real["01_energy_tables.ipynb"]


def test_hostile_names_in_a_zip_inside_the_zip_stay_inside(tmp_path):
    nb = nbformat.writes(nbformat.v4.new_notebook())
    inner = _zip(tmp_path / "inner.zip", {"../../../outside.ipynb": nb, "/etc/absolute.ipynb": nb, "C:\\drive.ipynb": nb,
                                          "__MACOSX/._x.ipynb": nb, ".hidden/x.ipynb": nb, "sub/../../../climb.ipynb": nb,
                                          "../course-work.json": "{}"}).read_bytes()
    class_zip = _zip(tmp_path / "class.zip", {"../../evil_course-work.zip": inner, "/abs/other.zip": inner,
                                              "evil_course-work/taken.ipynb": nb})
    folder = archive.unpack(class_zip)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    inside = ["course-work.json", "drive.ipynb", "etc/absolute.ipynb", "outside.ipynb", "sub/climb.ipynb"]
    assert files == sorted([*(f"abs/other/{name}" for name in inside), *(f"evil_course-work-2/{name}" for name in inside),
                            "evil_course-work/taken.ipynb"])  # a folder already taken by the zip's own members: another name
    assert not any((folder.parent / name).exists() for name in ("outside.ipynb", "climb.ipynb", "evil_course-work"))


def test_a_bomb_or_a_broken_zip_inside_the_zip_stops_grading_naming_it(tmp_path, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("01_energy_tables.ipynb", b"0" * (archive.MAX_MEMBER_MB * 1024 * 1024 + 1))
    assert len(buffer.getvalue()) < 1024 * 1024  # it packs small: its header is not trusted
    _zip(tmp_path / "bomb.zip", {"alice_course-work.zip": buffer.getvalue()})
    with pytest.raises(ValueError, match=r"'alice_course-work.zip/01_energy_tables.ipynb' is larger than 64 MB unpacked"):
        assignment.find_submissions([tmp_path / "bomb.zip"])
    # many members each under the limit, together over the whole zip's limit (made 1 MB here)
    monkeypatch.setattr(archive, "MAX_TOTAL_MB", 1)
    many = _zip(tmp_path / "many.zip", {f"{n}.ipynb": b"0" * 300_000 for n in range(5)}).read_bytes()
    _zip(tmp_path / "total.zip", {"alice_course-work.zip": many})
    with pytest.raises(ValueError, match=r"more than 1 MB unpacked \(at 'alice_course-work.zip/3.ipynb'\)"):
        assignment.find_submissions([tmp_path / "total.zip"])
    _zip(tmp_path / "broken.zip", {"bob_course-work.zip": b"PK not really"})
    with pytest.raises(ValueError, match=r"'bob_course-work.zip' is not a zip file that can be read"):
        assignment.find_submissions([tmp_path / "broken.zip"])


# --- bundles: which notebook is graded, under which name, for which assignment -------------------

def test_only_the_assignments_notebook_of_a_work_zip_is_graded_named_by_the_zip(tmp_path, real):
    alice = _work_zip({"01_energy_tables.ipynb": real["01_energy_tables.ipynb"], "04_zeri_brewery.ipynb": real["04_zeri_brewery.ipynb"]})
    bob = _work_zip({"04_zeri_brewery.ipynb": real["04_zeri_brewery.ipynb"]})
    class_zip = _zip(tmp_path / "class.zip", {f"alice_12_34_course-work-{DAY}.zip": alice,
                                              f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}.zip": bob,
                                              "carol_01_energy_tables.ipynb": real["01_energy_tables.ipynb"]})
    found = assignment.find_submissions([class_zip])
    assert sum(s.bundle is not None for s in found) == 3 and {s.bundle.name for s in found if s.bundle} == {
        f"alice_12_34_course-work-{DAY}", f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}"}
    chosen = assignment.choose_assignment(found, folder=NOTEBOOKS)  # carol's name decides: the work zips do not tie it
    assert chosen == NOTEBOOKS / "01_energy_tables.ipynb"
    kept, missing = assignment.select_bundles(found, chosen)
    assert [(s.name, s.path.name) for s in kept] == [("alice_12_34_course-work-2026-12-07", "01_energy_tables.ipynb"),
                                                     ("carol_01_energy_tables", "carol_01_energy_tables.ipynb")]
    assert [(s.name, assignment.no_notebook_status(chosen)) for s in missing] == [
        (f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}", "error: this student's work zip holds no 01_energy_tables notebook")]
    assert [assignment.identity_from_name(s, chosen) for s in kept] == ["alice_12_34", "carol"]
    # the same for the zeri assignment: both work zips hold it
    kept, missing = assignment.select_bundles(found, NOTEBOOKS / "04_zeri_brewery.ipynb")
    assert [s.name for s in kept] == [f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}", f"alice_12_34_course-work-{DAY}",
                                      "carol_01_energy_tables"] and missing == []
    assert assignment.identity_from_name(kept[0], NOTEBOOKS / "04_zeri_brewery.ipynb") == "bob ross_77_assignsubmission_file_"


def test_work_zips_alone_need_the_assignment_named(tmp_path, real):
    both = {name: real[name] for name in ("01_energy_tables.ipynb", "04_zeri_brewery.ipynb")}
    class_zip = _zip(tmp_path / "class.zip", {f"alice_course-work-{DAY}.zip": _work_zip(both), f"bob_course-work-{DAY}.zip": _work_zip(both)})
    found = assignment.find_submissions([class_zip])
    with pytest.raises(ValueError, match=r"work zips of the in-browser course .* name the assignment to grade with --assignment"):
        assignment.choose_assignment(found, folder=NOTEBOOKS)
    # one student's own work zip, given as it is (or unzipped into a folder): the zip is the bundle
    single = tmp_path / f"course-work-{DAY}.zip"
    single.write_bytes(_work_zip(both, log=[]))
    found = assignment.find_submissions([single])
    assert {s.bundle.name for s in found if s.bundle} == {f"course-work-{DAY}"}
    assert [s.name for s in assignment.select_bundles(found, NOTEBOOKS / "04_zeri_brewery.ipynb")[0]] == [f"course-work-{DAY}"]


def test_a_class_whose_work_zips_hold_no_notebook_of_the_assignment_gets_a_row_each(tmp_path, real, course):
    """Nothing to run: no kernel starts; each work zip's row and feedback say what is missing."""
    zeri = {"04_zeri_brewery.ipynb": real["04_zeri_brewery.ipynb"]}
    class_zip = _zip(tmp_path / "class.zip", {"dave_9_9_course-work.zip": _work_zip(zeri, log=[]), "erin_course-work.zip": _work_zip({})})
    book = grader.grade([class_zip], assignment=course["assignment"], sandbox=False, jobs=1)
    status = "error: this student's work zip holds no tiny_assignment notebook"
    assert [(g.submission, g.student, g.total, g.status) for g in book.grades] == [
        ("dave_9_9_course-work", None, 0.0, status), ("erin_course-work", None, 0.0, status)]
    assert "holds no notebook of A tiny assignment" in report.feedback_markdown(book, book.grades[0])


# --- the attempt log: the work zip's file against the notebook's own history ---------------------

def _scores(log: list[dict], student: str) -> dict[str, float]:
    """The points of NUMBER and CHOICE when both are answered right in the re-run, from ``log``."""
    lines = [json.dumps({"id": q, "answer": _answers.to_record(_value(q, student)), "unit": None}) for q in (NUMBER, CHOICE)]
    records = scoring.read_records(lines)
    final = {q: (r.answer, r.unit) for q, r in records.items()}
    checked = cross_check(log, final, [NUMBER, CHOICE], student)
    return {s.question: s.earned for s in scoring.score(records, [NUMBER, CHOICE], POINTS, student=student, checked=checked)}


def test_a_wrong_first_attempt_in_the_log_file_counts_though_the_notebook_forgot_it(tmp_path, course):
    """After a page reload the notebook's history shows only a right "attempt 1"; the work zip's
    log file still holds the wrong attempt of the session before: an attempt after the first."""
    student = "alice_12_34"
    nb = _with_log(_filled(course["student"], RIGHT), student)  # every history: one right attempt, numbered 1
    embedded = submitted_log(nb)
    assert [(r["question"], r["attempt"], r["verdict"]) for r in embedded] == [(NUMBER, 1, "right"), (CHOICE, 1, "right")]
    earlier = {**_record(NUMBER, 99.0, student, 1), "time": f"{DAY}T09:30:00Z"}  # the session before the reload
    first_try = _scores(embedded, student)
    assert first_try == {NUMBER: POINTS[NUMBER], CHOICE: POINTS[CHOICE]}  # the notebook alone: full first-attempt credit
    second_try = _scores([_record(NUMBER, 99.0, student, 1), _record(NUMBER, _value(NUMBER, student), student, 2),
                          _record(CHOICE, _value(CHOICE, student), student, 1)], student)
    assert second_try[NUMBER] < POINTS[NUMBER]
    for file_log in ([earlier, *embedded],  # numbered as the reloaded kernel numbered it
                     [earlier, {**embedded[0], "attempt": 2}, embedded[1]]):  # numbered on across sessions
        folder = tmp_path / f"bundle{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        other = {**_record(NUMBER, 1.0, "someone else", 1), "time": f"{DAY}T08:00:00Z"}  # a shared browser
        (folder / archive.ATTEMPT_LOG).write_text("".join(json.dumps(r) + "\n" for r in [other, *file_log]) + "not json\n",
                                                  encoding="utf-8")
        merged = longer_histories(work_log(folder), embedded, QUESTIONS, student)
        assert [(r["question"], r["verdict"]) for r in merged] == [(NUMBER, "wrong"), (NUMBER, "right"), (CHOICE, "right")]
        assert _scores(merged, student) == second_try  # an attempt after the first, never the first
    # a line deleted from the file: the notebook's longer history counts
    (folder / archive.ATTEMPT_LOG).write_text(json.dumps(embedded[1]) + "\n", encoding="utf-8")
    longer = [earlier, {**embedded[0], "attempt": 2}, embedded[1]]
    assert longer_histories(work_log(folder), longer, QUESTIONS, student) == longer
    assert work_log(tmp_path / "no_such_folder") == []


# --- the real grader on a class zip: two students' work zips and a plain notebook ----------------

@pytest.mark.slow
def test_a_class_zip_of_work_zips_is_graded_end_to_end(tmp_path, course, real):
    student = course["student"]
    alice, bob = "alice_12_34", "bob ross_77_assignsubmission_file_"
    # alice: a wrong answer before a page reload, then right; the notebook remembers only the right one
    alice_nb = _with_log(_filled(student, RIGHT), alice)
    alice_log = [{**_record(NUMBER, 99.0, alice, 1), "time": f"{DAY}T09:30:00Z"}, *submitted_log(alice_nb)]
    # bob: the choice wrong first, then right, all in one session; the file holds someone else's attempts too
    bob_tries = {CHOICE: [_value(CHOICE, bob, right=False), _value(CHOICE, bob)]}
    bob_nb = _with_log(_filled(student, RIGHT), bob, tries=bob_tries)
    bob_log = [_record(NUMBER, 99.0, "visitor", 1), *submitted_log(bob_nb)]
    class_zip = _zip(tmp_path / "class.zip", {
        f"alice_12_34_course-work-{DAY}.zip": _work_zip(
            {"tiny_assignment.ipynb": nbformat.writes(alice_nb), **real}, log=alice_log),
        f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}.zip": _work_zip(
            {"tiny_assignment.ipynb": nbformat.writes(bob_nb), "04_zeri_brewery.ipynb": real["04_zeri_brewery.ipynb"]}, log=bob_log),
        "carol_tiny_assignment.ipynb": nbformat.writes(_with_log(_filled(student, RIGHT), "carol")),
        f"dave_9_9_course-work-{DAY}.zip": _work_zip({"01_energy_tables.ipynb": real["01_energy_tables.ipynb"]}, log=[])})
    points = tmp_path / "points.csv"
    points.write_text("question,points\n" + "".join(f"{q},{p:g}\n" for q, p in POINTS.items()), encoding="utf-8")
    book = grader.grade([class_zip], assignment=course["assignment"], points=points, jobs=2, cell_timeout=10, timeout=30,
                        memory=1024, sandbox=not SANDBOX)
    rows = {g.submission: (g.student, {s.question: s.earned for s in g.scores}, g.status, g.log_note) for g in book.grades}
    full = {NUMBER: POINTS[NUMBER], CHOICE: POINTS[CHOICE], REFLECTION: 0.0}  # a reflection goes to the rubric sheet
    after_first = _scores([_record(NUMBER, 99.0, alice, 1), _record(NUMBER, _value(NUMBER, alice), alice, 2),
                           _record(CHOICE, _value(CHOICE, alice), alice, 1)], alice)[NUMBER]
    assert rows == {
        # the file's longer history: the wrong attempt counts; numbered 1 again (a site from before attempts went on counting across visits), so "rewritten"
        f"alice_12_34_course-work-{DAY}": (alice, {**full, NUMBER: after_first}, "ok",
                                           f"attempt log rewritten for {NUMBER} (scored as attempts after the first)"),
        f"Bob Ross_77_assignsubmission_file_/course-work-{DAY}": (bob, {**full, CHOICE: 0.0}, "ok", ""),  # an option: first attempt only
        "carol_tiny_assignment": ("carol", full, "ok", ""),
        f"dave_9_9_course-work-{DAY}": (None, dict.fromkeys(QUESTIONS, 0.0),
                                        "error: this student's work zip holds no tiny_assignment notebook", ""),
    }
    assert after_first < POINTS[NUMBER]
