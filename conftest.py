"""pytest's set-up for the whole test command: course_lib's doctests, tests/ and the notebooks (nbval).

The command runs in parallel (pytest-xdist: ``-n auto --dist loadfile`` in pyproject.toml): each
file runs whole on one worker, so a notebook's cells run in order in one kernel, and a file's
server, browser or built site is made once. Here:

* nbval's cells start a kernel, so they are marked ``slow``: ``python -m pytest -m "not slow"``
  (the inner loop) leaves them out, with every other test that starts a kernel, a server, a
  browser or another program that takes seconds (those files mark their own tests);
* files with slow tests are handed out first (``--no-loadscope-reorder`` keeps this order): a
  long file started last would leave the other workers idle at the end;
* the report ends with the CPU-seconds each file took (its tests, fixtures and the programs they
  ran and waited for: kernels, servers, browsers), the slowest 15 and the total: on two shared
  cores the command's time follows its CPU, which ``--durations`` (seconds of the clock) hides.
  The end of the session (session-scoped fixtures and the programs they started, reaped only
  then) has a row of its own;
* the tests listed in ``SPREAD`` are handed out one by one instead of with their file: each is long
  (seconds), needs nothing its file's other tests make, and together they would keep one worker
  busy for minutes while the other finishes.

It lives at the repository's root so that ``python -m pytest notebooks/02_natural_capital.ipynb``
gets the same treatment as the whole command.
"""

from __future__ import annotations

import collections
import os
import resource
import tempfile

import pytest

#: Tests (node id prefixes) that the parallel workers share out one by one rather than with their file.
SPREAD = (
    # 42 questions x 200 students' answers: about 50 CPU-seconds in all, 0.1-9 s each.
    "tests/test_exercise_families.py::test_at_most_one_percent_of_pairs_share_an_answer_within_tolerance[",
)


def pytest_configure(config: pytest.Config) -> None:
    # The attempt log of every check() the tests, doctests and notebooks make goes to a file of this
    # run (each worker its own; kernels inherit it), never beside the repository's notebooks.
    if "COURSE_ATTEMPT_LOG" not in os.environ:
        os.environ["COURSE_ATTEMPT_LOG"] = os.path.join(tempfile.mkdtemp(prefix="course-attempts-"), "attempts.jsonl")


def _is_notebook_cell(item: pytest.Item) -> bool:
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval missing: no notebook cells to mark
        return False
    return isinstance(item, IPyNbCell)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slow_files = set()
    for item in items:
        if _is_notebook_cell(item):
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("slow") is not None:
            slow_files.add(item.path)
    # Whole files move, in the order collected (a stable sort), so each stays together: the same
    # order on every worker.
    items.sort(key=lambda item: item.path not in slow_files)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:  # pytest-xdist's hook, for ``-n auto``
    """One worker per core, and one more when slow tests run: the browser, hub and grader tests
    spend much of their time waiting (a kernel starting in Chromium, a time limit running out), and
    the extra worker uses those waits. On the 2-core machine (2026-12-08): the whole command 565 s
    instead of 717 s; but the inner loop (``-m "not slow"``), which never waits, 98 s with the extra
    worker and 84 s without it, so it gets one worker per core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return cores if "not slow" in (config.getoption("markexpr") or "") else cores + 1


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):  # pytest-xdist's hook: the controller only
    """``--dist loadfile`` (pyproject.toml), except that each test of ``SPREAD`` is a unit of its own."""
    if config.getvalue("dist") != "loadfile":
        return None  # any other --dist given on the command line: xdist's own scheduler
    from xdist.scheduler import LoadFileScheduling

    class LoadFileSpreading(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid if nodeid.startswith(SPREAD) else super()._split_scope(nodeid)

    return LoadFileSpreading(config, log)


# ---- CPU-seconds per file ------------------------------------------------------------------------

_CPU: collections.Counter[str] = collections.Counter()  # file -> CPU-seconds (this process + finished children)


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


#: Where the last test of a worker puts the CPU of the session's end: session-scoped fixtures torn
#: down, and the programs they started (a JupyterLab server and its kernels) reaped only then. Counted
#: in the last file's row, they made a quick file look like the largest one.
SESSION_END = "(session end: session fixtures torn down, their programs reaped)"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    start = _cpu_seconds()
    yield
    _CPU[item.nodeid.split("::")[0]] += _cpu_seconds() - start


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    start = _cpu_seconds()
    yield
    spent = _cpu_seconds() - start
    if nextitem is None and spent > 0.05:  # this teardown ends the session too (xdist: the worker's last test)
        _CPU[item.nodeid.split("::")[0]] -= spent
        _CPU[SESSION_END] += spent


def pytest_sessionfinish(session: pytest.Session) -> None:
    output = getattr(session.config, "workeroutput", None)  # a pytest-xdist worker: hand the figures over
    if output is not None:
        output["cpu_seconds_by_file"] = dict(_CPU)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # pytest-xdist's controller: a worker finished
    _CPU.update(getattr(node, "workeroutput", {}).get("cpu_seconds_by_file", {}))


def pytest_terminal_summary(terminalreporter) -> None:
    if not _CPU:
        return
    terminalreporter.section("CPU-seconds per file (tests, fixtures and the programs they ran)")
    for path, seconds in _CPU.most_common(15):
        terminalreporter.write_line(f"{seconds:8.1f}  {path}")
    files = len(set(_CPU) - {SESSION_END})
    terminalreporter.write_line(f"{sum(_CPU.values()):8.1f}  in all {files} files (collection not included)")
