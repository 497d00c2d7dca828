"""The grader's sandbox against hostile submissions: each attack fails inside, the class's grades stand.

The tiny assignment of ``test_grade`` (three real course questions), answered right, with one
hostile cell before the exercises: a student trying to write outside its folder (the instructor's
``points.csv``, the folder of submissions), to read another student's submission or a file in the
instructor's home, to list the submissions or the machine's accounts, to reach a service listening on the machine's 127.0.0.1 or an outside address,
to leave a process running after the grading, or to fill its folder's disk or its answer log.
Each attack's cell reports what happened as the error it raises: the natural error of a refused
attempt (``FileNotFoundError``, ``ConnectionRefusedError``, ...), or ``RuntimeError("ESCAPED
...")`` if the attempt worked. One run of the grader, two submissions at a time, all in the sandbox.

Without bubblewrap these tests are skipped, except in CI (``CI`` set), where they fail:
``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import uuid
from pathlib import Path

import nbformat
import pytest

from course_tools.grade import grader, run, sandbox
from tests.test_grade import CHOICE, NUMBER, POINTS, RIGHT, _assignment_notebook, _cell_of, _filled, _student_version, _with_log

PYTHON = sys.executable
DISK_MB = 32
pytestmark = pytest.mark.slow


def _sandbox_or_skip() -> None:
    problem = sandbox.sandbox_problem()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)


class _Listener:
    """A TCP service on the machine's 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        self.socket.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.accepted += 1
            connection.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.socket.close()


def _attacks(points: Path, other: Path, secret: Path, port: int, marker: str) -> dict[str, str]:
    """The hostile cells, by submission name: each raises the error its attempt met, or ESCAPED."""
    def escaped(what: str) -> str:
        return f'raise RuntimeError("ESCAPED: {what}")'

    return {
        "writes_points": f'open({str(points)!r}, "a").write("hacked,99\\n")\n{escaped("wrote points.csv")}',
        "writes_beside": f'open({str(other.parent / "planted.ipynb")!r}, "w").write("{{}}")\n{escaped("wrote a file")}',
        "reads_other": f'text = open({str(other)!r}).read()\n{escaped("read another submission")}',
        "reads_home": f'text = open({str(secret)!r}).read()\n{escaped("read the home folder")}',
        "lists_submissions": f'names = __import__("os").listdir({str(other.parent)!r})\n{escaped("listed the submissions")}',
        # the machine's accounts: inside, only the sandbox's own user exists
        "reads_accounts": 'users = sorted(line.split(":")[0] for line in open("/etc/passwd"))\n'
                          'raise PermissionError(f"accounts seen: {users}")',
        "calls_local": f'import socket\nsocket.create_connection(("127.0.0.1", {port}), timeout=5)\n{escaped("reached 127.0.0.1")}',
        # TEST-NET-1 (RFC 5737): an outside address no one answers; inside, there is no route at all
        "calls_outside": f'import socket\nsocket.create_connection(("192.0.2.1", 80), timeout=5)\n{escaped("reached outside")}',
        "leaves_process": textwrap.dedent(f'''\
            import subprocess, sys
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", {marker!r}],
                                     start_new_session=True)
            raise RuntimeError(f"started {{child.pid}}, running: {{child.poll() is None}}")'''),
        "fills_disk": textwrap.dedent(f'''\
            with open("filler.bin", "wb") as handle:
                for _ in range({4 * DISK_MB}):
                    handle.write(bytes(1024 * 1024))
            {escaped("wrote past the cap")}'''),
        "fills_log": textwrap.dedent(f'''\
            import os
            with open(os.environ["COURSE_ANSWER_LOG"], "a") as handle:
                for _ in range({4 * DISK_MB}):
                    handle.write("x" * 1024 * 1024)
            {escaped("wrote past the cap")}'''),
    }


# The submissions and the attacks each makes (one cell each, before the first exercise). Attacks
# share submissions to keep the run short; the log flood has its own, as it costs that one its answers.
SUBMISSIONS = {
    "honest": [],
    "files": ["writes_points", "writes_beside", "reads_other", "reads_home", "lists_submissions", "reads_accounts",
              "fills_disk"],
    "network": ["calls_local", "calls_outside", "leaves_process"],
    "flood": ["fills_log"],
}


def _processes_with(needle: bytes) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "cmdline").read_bytes() or needle in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return [pid for pid in found if pid != os.getpid()]


def _snapshot(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    _sandbox_or_skip()
    root = tmp_path_factory.mktemp("sandbox")
    checkout = root / "instructor" / "notebooks"  # the instructor's checkout: the assignment and its points
    checkout.mkdir(parents=True)
    assignment = checkout / "tiny_assignment.ipynb"
    nbformat.write(_assignment_notebook(), assignment)
    points = checkout / "points.csv"
    points.write_text("question,points\n" + "".join(f"{q},{p:g}\n" for q, p in POINTS.items()), encoding="utf-8")
    (checkout / "grades.csv").write_text("submission,total\nlast_year,3\n", encoding="utf-8")  # an earlier gradebook
    home = root / "home"  # the instructor's home, with a file no submission may read
    home.mkdir()
    secret = home / "secret.txt"
    secret.write_text("the exam's answers\n", encoding="utf-8")
    student = _student_version(assignment, root / "student")
    submitted = root / "submitted"
    submitted.mkdir()
    honest = submitted / "honest.ipynb"
    listener, marker = _Listener(), f"left-running-{uuid.uuid4().hex}"
    attacks = _attacks(points, honest, secret, listener.port, marker)
    cells = {}  # attack -> (submission, number of its cell)
    for name, group in SUBMISSIONS.items():
        extra = {0: "\n# ---\n".join(attacks[a] for a in group)} if group else None
        nb = _with_log(_filled(student, RIGHT, extra=extra), name)
        if group:  # one cell per attack, so that each raises its own error
            at = _cell_of(nb, extra[0]) - 1
            nb.cells[at:at + 1] = [nbformat.v4.new_code_cell(attacks[a]) for a in group]
            cells.update({a: (name, _cell_of(nb, attacks[a])) for a in group})
        nbformat.write(nb, submitted / f"{name}.ipynb")
    before = _snapshot(submitted, checkout, home)
    temporary = root / "tmp"  # the grader's temporary folders go here: a process left running would show
    temporary.mkdir()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tempfile, "tempdir", str(temporary))
            book = grader.grade([submitted], assignment=assignment, points=points, jobs=2, cell_timeout=20,
                                timeout=90, memory=1024, disk=DISK_MB, sandbox=True)
    finally:
        listener.close()
    return {"book": book, "cells": cells, "grades": {g.submission: g for g in book.grades}, "attacks": attacks, "listener": listener,
            "marker": marker, "before": before, "after": _snapshot(submitted, checkout, home),
            "left": _processes_with(marker.encode()) + _processes_with(f"{run.RUN_ENV}={temporary}".encode()),
            "temporary": temporary}


def _attack_error(hostile: dict, attack: str) -> dict:
    """The error the cell of ``attack`` raised (there is always one: see _attacks)."""
    submission, cell = hostile["cells"][attack]
    (error,) = [e for e in hostile["grades"][submission].errors if e["cell"] == cell]
    return error


@pytest.mark.parametrize("name, ename, says", [
    ("writes_points", "FileNotFoundError", "No such file or directory"),  # the checkout is not there at all
    ("writes_beside", "FileNotFoundError", "No such file or directory"),
    ("reads_other", "FileNotFoundError", "No such file or directory"),
    ("reads_home", "FileNotFoundError", "No such file or directory"),
    ("lists_submissions", "FileNotFoundError", "No such file or directory"),
    ("reads_accounts", "PermissionError", "accounts seen: ['student']"),
    ("calls_local", "ConnectionRefusedError", "Connection refused"),  # the sandbox's own loopback: nobody listens
    ("calls_outside", "OSError", "Network is unreachable"),
    ("fills_disk", "OSError", "No space left on device"),
    ("fills_log", "OSError", "File too large"),
])
def test_each_attack_fails_inside_the_sandbox(hostile, name, ename, says):
    error = _attack_error(hostile, name)
    assert "ESCAPED" not in error["evalue"]
    assert (error["ename"], says in error["evalue"]) == (ename, True), error


def test_nothing_outside_was_touched_and_nothing_was_reached(hostile):
    assert hostile["after"] == hostile["before"]  # submissions, points.csv, earlier gradebook, home: same bytes
    assert hostile["listener"].accepted == 0


def test_a_process_started_by_a_submission_does_not_outlive_its_run(hostile):
    error = _attack_error(hostile, "leaves_process")
    assert error["ename"] == "RuntimeError" and error["evalue"].endswith("running: True")  # it did start
    assert hostile["left"] == []  # neither it nor any kernel of the run is left
    assert list(hostile["temporary"].iterdir()) == []  # every run's folder removed


def test_every_submission_is_still_graded_and_the_honest_one_is_untouched(hostile):
    grades = hostile["grades"]
    honest = grades["honest"]
    assert (honest.status, honest.errors) == ("ok", [])
    assert honest.total == POINTS[NUMBER] + POINTS[CHOICE]  # full marks (the reflection goes to the rubric)
    for name in ("files", "network"):  # the attacks failed; every exercise after them ran and scored
        grade = grades[name]
        assert (grade.status, grade.total) == ("ok", honest.total), (name, grade.status, grade.errors)
        assert [e["cell"] for e in grade.errors] == [c for s, c in hostile["cells"].values() if s == name]
    # the flood: its answers after it were lost, and its status says why
    assert (grades["flood"].status, grades["flood"].total) == (f"ok; answers.jsonl filled to the {DISK_MB} MB limit", 0)


def test_without_bubblewrap_the_command_refuses_in_one_line_unless_told(tmp_path):
    """A PATH without bwrap stands for a machine without it: one line, exit 2, nothing written."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    nbformat.write(_assignment_notebook(), tmp_path / "tiny_assignment.ipynb")
    command = [PYTHON, "-m", "course_lib.grade", "tiny_assignment.ipynb", "--out", "grades.csv"]
    env = {**os.environ, "PATH": str(bin_dir)}
    assert shutil.which("bwrap", path=env["PATH"]) is None
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 2 and not (tmp_path / "grades.csv").exists()
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: no sandbox: bubblewrap (bwrap) is not installed") and "--no-sandbox" in line
    assert "apt install bubblewrap" in line and "container" in line


def test_without_user_namespaces_the_command_says_so_in_one_line(tmp_path):
    """A bwrap that cannot create namespaces (as where they are disabled) is named, with the way out."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace, likely because the kernel does "
                    "not allow non-privileged user namespaces.' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    nbformat.write(_assignment_notebook(), tmp_path / "tiny_assignment.ipynb")
    result = subprocess.run([PYTHON, "-m", "course_lib.grade", "tiny_assignment.ipynb", "--out", "grades.csv"],
                            capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"},
                            timeout=120)
    assert result.returncode == 2 and not (tmp_path / "grades.csv").exists()
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: no sandbox: bwrap cannot create namespaces here (bwrap: No permissions")
    assert "--no-sandbox" in line and "unprivileged" in line


def test_the_sandbox_is_refused_or_checked_by_the_python_api():
    with pytest.raises(TypeError, match="sandbox='yes'"):
        grader.grade(["x.ipynb"], sandbox="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="disk=8"):
        grader.grade(["x.ipynb"], disk=8)


def test_outside_the_sandbox_only_the_course_and_python_are_mounted(tmp_path):
    """What the sandbox mounts, read from the command it builds: no home, no checkout, no /tmp."""
    _sandbox_or_skip()
    (tmp_path / "work").mkdir()
    sandbox.prepare(tmp_path)
    command = sandbox.bwrap_command(tmp_path, ["notebook.ipynb"], disk_mb=DISK_MB)
    mounts = {command[i + 2]: (command[i], command[i + 1]) for i, a in enumerate(command[:-2]) if a in ("--ro-bind", "--bind")}
    writable = sorted(dest for dest, (kind, _) in mounts.items() if kind == "--bind")
    assert writable == [str(sandbox.INSIDE / "answers.jsonl"), str(sandbox.INSIDE / "attempts.jsonl")]
    assert not any(dest in ("/", "/tmp", "/home", "/root", str(Path.home()), "/etc") for dest in mounts)
    # what is mounted under the capped /tmp (an environment or a checkout there) comes after it
    assert command.index("/tmp") < min(i for i, a in enumerate(command) if a == "--ro-bind")
    assert "--unshare-all" in command and "--die-with-parent" in command and "--share-net" not in command
    sizes = {command[i + 3]: int(command[i + 1]) for i, a in enumerate(command) if a == "--size"}
    assert sizes == {"/tmp": DISK_MB * 1024 * 1024, "/dev/shm": sandbox.SHM_MB * 1024 * 1024}  # the capped places
    assert str(sandbox.INSIDE).startswith("/tmp/")  # the submission's folder lies in the capped /tmp
