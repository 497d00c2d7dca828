"""Run submissions, each in a temporary folder of its own, in a fresh kernel, several at a time.

For each submission the grader makes a temporary folder holding

* ``work/``: the kernel's working folder, with a copy of the notebook (outputs stripped) and the
  files that sit beside the assignment (:func:`~course_tools.grade.assignment.support_files`);
* ``home/`` and ``tmp/``: the kernel's ``HOME`` and ``TMPDIR``, so a notebook writing to ``~``
  or to temporary files writes into the folder that is thrown away;
* ``answers.jsonl``: the answer log (``COURSE_ANSWER_LOG``), outside the working folder, so a cell
  that deletes every file it can see there does not delete its answers with them; and
  ``attempts.jsonl``, the run's own attempt log (``COURSE_ATTEMPT_LOG``).

In the sandbox (the default, :mod:`course_tools.grade.sandbox`) the worker and its kernel see
that folder differently: ``work/`` read-only, copied by the worker into a size-capped in-memory
folder of their own that holds ``HOME`` and ``TMPDIR`` too; the two logs bound writable; nothing
else of the machine but the course and Python; no network; a process space that ends with them.

It then starts :mod:`course_tools.grade._worker` in a session of its own and waits for it: the
worker runs the notebook with nbclient under the cell and notebook time limits and the memory
limit. If the worker itself does not finish in time, it is killed with its whole session, and so
is the kernel it started. The submitted file is only ever read.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from course_lib import attempts, exercises, identity

from . import _worker, sandbox
from .assignment import Submission, copy_support_files
from .scoring import Record, read_log

__all__ = ["Limits", "Run", "run_notebook", "run_all", "GRACE_SECONDS"]

#: The variable naming, in every process of a run, the run's temporary folder on the grader's side.
RUN_ENV = "COURSE_GRADE_RUN"
#: How long after the notebook's time limit the grader waits before killing its runner.
GRACE_SECONDS = 20.0
# The runners at work (runner pid -> its kernel's pid file and answer log), to stop them on Ctrl-C.
_LIVE: dict[int, tuple[Path, Path]] = {}
_LOCK = threading.Lock()
# Libraries that start one thread per core would fight the other submissions for the same cores.
_ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                      "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}


@dataclass(frozen=True)
class Limits:
    """Time limits in seconds (per cell, per notebook), the memory limit in MB (0: none), and the
    sandbox (:mod:`~course_tools.grade.sandbox`) with its disk cap in MB for the submission's folder."""

    cell_timeout: float = 60.0
    timeout: float = 600.0
    memory: int = 2048
    sandbox: bool = True
    disk: int = 256


@dataclass
class Run:
    """What running one submission gave: its status, its recorded answers, the errors of its cells."""

    status: str
    records: dict[str, Record] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def _strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` without stored outputs and widget state: the run makes its own."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    nb.metadata.pop("widgets", None)
    return nb


def _environment(root: Path, student: str | None) -> dict[str, str]:
    # The student's own numbers: the identity the submission is graded as, and no other one
    # (a hub user name of the instructor's server must not leak into a student's variant).
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("JPY_") and key not in (identity.STUDENT_ENV, identity.HUB_ENV)}
    env.update(_ONE_THREAD)
    # The run's own attempt log, fresh: never the instructor's (COURSE_ATTEMPT_LOG) or a copied one.
    env.update({exercises.ANSWER_LOG: str(root / "answers.jsonl"), attempts.LOG_ENV: str(root / "attempts.jsonl"),
                "HOME": str(root / "home"),
                "TMPDIR": str(root / "tmp"), "PYTHONDONTWRITEBYTECODE": "1",
                # which run a process belongs to, seen from outside (a kernel left running would show)
                RUN_ENV: str(root)})
    if student:
        env[identity.STUDENT_ENV] = student
    return env


def _kill_kernel(pid_file: Path, log: Path) -> None:
    """Kill the kernel's session if the worker could not: the pid is trusted only if that process
    still carries this submission's answer log in its environment (a notebook can write the file)."""
    try:
        pid = int(pid_file.read_text(encoding="utf-8").strip())
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except (OSError, ValueError):
        return
    if f"{exercises.ANSWER_LOG}={log}".encode() in environ.split(b"\0"):
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _stop(worker: int, pid_file: Path, log: Path) -> None:
    try:
        os.killpg(worker, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _kill_kernel(pid_file, log)


def _result(stdout: str) -> dict[str, Any] | None:
    """The worker's result: the last line of its output that is its JSON result."""
    for line in reversed(stdout.splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and data.get(_worker.RESULT_KEY) == 1:
            return data
    return None


def run_notebook(nb: nbformat.NotebookNode, name: str, support: Iterable[Path], limits: Limits,
                 student: str | None = None) -> Run:
    """Run the notebook ``nb`` (a copy: the submitted file is not touched) and collect its answers.

    ``student`` is the identity it runs as (``COURSE_STUDENT``): the student's own exercise numbers.
    """
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="course-grade-", ignore_cleanup_errors=True) as temporary:
        root = Path(temporary)
        work = root / "work"
        for folder in (work, root / "home", root / "tmp"):
            folder.mkdir()
        copy_support_files(support, work)
        notebook = work / (name if name.endswith(".ipynb") else "submission.ipynb")
        nbformat.write(_strip(nb), notebook)
        pid_file, log = root / "kernel.pid", root / "answers.jsonl"
        limit_args = ["--cell-timeout", str(limits.cell_timeout), "--timeout", str(limits.timeout),
                      "--memory", str(limits.memory)]
        env = _environment(root, student)
        if limits.sandbox:
            # The worker and its kernel in the sandbox: the notebook copied into its capped folder
            # there; the two logs, bound from here, are what comes back.
            sandbox.prepare(root)
            command = sandbox.bwrap_command(root, [str(sandbox.INSIDE / "work" / notebook.name), "--input",
                                                   str(sandbox.INPUT), *limit_args, "--file-size", str(limits.disk)],
                                            disk_mb=limits.disk)
            env = sandbox.inside_environment(env, student)
        else:
            # By its file, with -P (its own folder not put on the path): it imports nothing of the course or
            # of the tools, so it runs wherever the tools are, installed or not.
            command = [sys.executable, "-P", _worker.__file__, str(notebook), *limit_args, "--pid-file", str(pid_file)]
        process = subprocess.Popen(command, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   errors="replace", start_new_session=True)
        with _LOCK:
            _LIVE[process.pid] = (pid_file, log)
        try:
            stdout, stderr = process.communicate(timeout=limits.timeout + GRACE_SECONDS)
            outcome = _result(stdout)
        except subprocess.TimeoutExpired:
            outcome = {"status": "timeout", "errors": []}
            stderr = ""
        finally:
            _stop(process.pid, pid_file, log)  # the worker's session and the kernel's, whatever is left of them
            process.wait()
            with _LOCK:
                _LIVE.pop(process.pid, None)
        if outcome is None:
            last = " ".join((stderr.strip().splitlines() or [""])[-1].split())[:200]
            outcome = {"status": f"error: the runner stopped without a result (exit code {process.returncode})"
                                 + (f": {last}" if last else ""), "errors": []}
        records = read_log(log)
        if limits.sandbox:
            full = [p.name for p in (log, root / "attempts.jsonl") if p.stat().st_size >= limits.disk * 1024 * 1024]
            if full:  # written full on purpose: the answers after that were lost, and the status says so
                outcome["status"] = f"{outcome['status']}; {' and '.join(full)} filled to the {limits.disk} MB limit"
    return Run(str(outcome["status"]), records, list(outcome.get("errors", [])), round(time.monotonic() - started, 3))


def run_all(jobs: Sequence[tuple[Submission, nbformat.NotebookNode, str | None]], support: Sequence[Path], limits: Limits,
            workers: int, done: Callable[[Submission, Run], None] | None = None) -> dict[str, Run]:
    """Run every ``(submission, notebook, student)``, ``workers`` at a time; ``done`` is told of each."""

    def one(job: tuple[Submission, nbformat.NotebookNode, str | None]) -> tuple[Submission, Run]:
        submission, nb, student = job
        try:
            result = run_notebook(nb, submission.path.name, support, limits, student)
        except Exception as error:  # a grader-side failure (disk full, ...) must not stop the others
            result = Run(f"error: the grader could not run it: {type(error).__name__}: {error}")
        if done is not None:
            done(submission, result)
        return submission, result

    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    try:
        return {submission.name: result for submission, result in pool.map(one, jobs)}
    except BaseException:  # Ctrl-C: start nothing more, stop what runs (runners live in sessions of their own)
        pool.shutdown(wait=False, cancel_futures=True)
        with _LOCK:
            running = list(_LIVE.items())
        for worker, (pid_file, log) in running:
            _stop(worker, pid_file, log)
        raise
    finally:
        pool.shutdown(wait=True)
