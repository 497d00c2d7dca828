"""Run one submission in a fresh kernel: the child process of :mod:`course_tools.grade.run`.

``python -P course_tools/grade/_worker.py NOTEBOOK --cell-timeout S --timeout S --memory MB [--pid-file PATH]
[--input DIR --file-size MB]``

The grader starts this module in a session of its own, in the submission's temporary folder, with
``COURSE_ANSWER_LOG`` naming the answer log. It

* caps the memory its data may take at ``--memory`` MB (``resource.setrlimit(RLIMIT_DATA)``: the
  heap and private writable mappings, where lists, arrays and bytearrays live); the kernel it
  starts inherits the cap, so a huge allocation raises ``MemoryError`` in the student's cell
  instead of taking the machine's memory. (Not the address space, ``RLIMIT_AS``: V8, which
  vl-convert runs to save charts, reserves tens of GB of it without using them.)
* in the sandbox (:mod:`course_tools.grade.sandbox`), first copies ``--input`` (the notebook and
  its support files, mounted read-only) into the notebook's writable folder, and caps the size of
  any file it or the kernel writes at ``--file-size`` MB (``RLIMIT_FSIZE``: the log files bound
  from outside are not in the sandbox's size-capped folder);
* runs every cell with nbclient in a fresh ``python3`` kernel, whatever the notebook's own
  kernelspec says, errors allowed (a cell that raises is the student's business: later cells still
  run); a cell that runs over ``--cell-timeout`` seconds is interrupted and the next cell runs;
* kills the kernel (and everything it started in its session) once ``--timeout`` seconds have
  passed since this process started;
* writes the kernel's process id to ``--pid-file`` (so the grader can stop it if this process is
  killed first) and prints one JSON line: ``{"status", "errors", "cells", "seconds"}``.

It never scores anything: the kernel is the student's, so what it prints or computes about its
own answers does not count. It imports nothing of the course (no pint, no pandas), to start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: ``ename`` of the error a timed-out cell gets (nbclient's ``error_on_timeout``).
CELL_TIMEOUT = "CellTimeout"
#: The marker of the result line on standard output.
RESULT_KEY = "course_lib.grade"


def _limit_memory(megabytes: int) -> None:
    """Cap the data memory of this process and of every process it starts (0: no cap)."""
    if megabytes <= 0:
        return
    wanted = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def _limit_file_size(megabytes: int) -> None:
    """Cap the size of every file this process and its children write (0: no cap).

    Python ignores ``SIGXFSZ``, so a write past the cap raises ``OSError`` (EFBIG) in the cell.
    """
    if megabytes > 0:
        cap = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))


def _kill_group(pid: int | None) -> None:
    """SIGKILL the process group led by ``pid`` (the kernel's: jupyter_client starts it in a new session)."""
    if not pid:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _first_line(source: str) -> str:
    line = next((text.strip() for text in source.splitlines() if text.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


def _where(nb: Any, index: int | None) -> str:
    """``cell 12 (`while True:`)``: the position a student sees (counting every cell from 1)."""
    if index is None:
        return "before the first cell"
    source = nb.cells[index].source if index < len(nb.cells) else ""
    first = _first_line(source)
    return f"cell {index + 1}" + (f" (`{first}`)" if first else "")


class _Run:
    """The state of one run, filled in by nbclient's hooks and by the watchdog."""

    def __init__(self, nb: Any, memory: int) -> None:
        self.nb = nb
        self.memory = memory
        self.kernel_pid: int | None = None
        self.cell: int | None = None
        self.cells = 0
        self.errors: list[dict[str, Any]] = []
        self.timed_out = False
        self.lock = threading.Lock()

    # nbclient hooks (called with keyword arguments) -------------------------------------------
    def executing(self, cell_index: int, **_: Any) -> None:
        self.cell = cell_index
        self.cells += 1

    def executed(self, cell: Any, **_: Any) -> None:
        cell.outputs = []  # nothing reads them: a notebook printing without end must not fill the memory

    def failed(self, cell_index: int, execute_reply: dict[str, Any], **_: Any) -> None:
        content = execute_reply.get("content", {})
        self.errors.append({"cell": cell_index + 1, "where": _where(self.nb, cell_index),
                            "ename": str(content.get("ename", "")), "evalue": str(content.get("evalue", ""))[:300]})

    # the verdict ------------------------------------------------------------------------------
    def status(self, died: BaseException | None) -> str:
        if self.timed_out:
            return "timeout"
        if died is not None:
            return f"error: the kernel died in {_where(self.nb, self.cell)}"
        if any(e["ename"] == CELL_TIMEOUT for e in self.errors):
            return "timeout"
        memory = next((e for e in self.errors if "MemoryError" in e["ename"]), None)
        if memory is not None:
            limit = f" (limit {self.memory:,} MB)" if self.memory else ""
            return f"error: out of memory in {memory['where']}{limit}"
        return "ok"


def run(path: Path, *, cell_timeout: float, timeout: float, memory: int, pid_file: Path | None) -> dict[str, Any]:
    """Execute the notebook at ``path`` and return the result (see the module's docstring)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    started = time.monotonic()
    nb = nbformat.read(path, as_version=4)  # the grader checked it is a notebook
    state = _Run(nb, memory)

    def kernel_started(**_: Any) -> None:
        provisioner = getattr(client.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        with state.lock:
            state.kernel_pid = getattr(process, "pid", None)
            if state.timed_out:  # the deadline passed while the kernel was starting
                _kill_group(state.kernel_pid)
        if pid_file is not None and state.kernel_pid:
            pid_file.write_text(str(state.kernel_pid), encoding="utf-8")

    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=max(1, round(cell_timeout)),
        startup_timeout=max(60, round(cell_timeout)),
        interrupt_on_timeout=True,
        error_on_timeout={"ename": CELL_TIMEOUT, "evalue": f"the cell ran over {cell_timeout:g} s and was interrupted",
                          "traceback": []},
        allow_errors=True,
        store_widget_state=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(path.parent)}},
        on_notebook_start=kernel_started,
        on_cell_execute=state.executing,
        on_cell_executed=state.executed,
        on_cell_error=state.failed,
    )

    def expire() -> None:
        with state.lock:
            state.timed_out = True
            _kill_group(state.kernel_pid)

    watchdog = threading.Timer(max(0.0, timeout - (time.monotonic() - started)), expire)
    watchdog.daemon = True
    watchdog.start()
    died: BaseException | None = None
    status: str | None = None
    try:
        # The kernel's own stdout/stderr (not the cells' output, which nbclient receives) go nowhere.
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    except DeadKernelError as error:
        died = error
    except Exception as error:  # the kernel did not start, or nbclient gave up: say why, in one line
        message = " ".join(str(error).split())[:300]
        status = "timeout" if state.timed_out else f"error: {type(error).__name__}: {message}"
        if state.kernel_pid is None and not state.timed_out:
            status = f"error: the kernel did not start: {message}"
    finally:
        watchdog.cancel()
        _kill_group(state.kernel_pid)  # anything the notebook left running
    return {
        RESULT_KEY: 1,
        "status": status or state.status(died),
        "errors": state.errors,
        "cells": state.cells,
        "seconds": round(time.monotonic() - started, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -P course_tools/grade/_worker.py")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--cell-timeout", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--memory", type=int, default=0)
    parser.add_argument("--pid-file", type=Path)
    parser.add_argument("--input", type=Path, help="copy this folder's files beside the notebook first")
    parser.add_argument("--file-size", type=int, default=0)
    args = parser.parse_args(argv)
    if args.input is not None:
        shutil.copytree(args.input, args.notebook.parent, dirs_exist_ok=True)
    _limit_memory(args.memory)
    _limit_file_size(args.file_size)
    result = run(args.notebook, cell_timeout=args.cell_timeout, timeout=args.timeout, memory=args.memory,
                 pid_file=args.pid_file)
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
