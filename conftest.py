"""pytest's set-up for the whole test command: course_lib's doctests, tests/ and the notebooks (nbval).

The command runs in parallel (pytest-xdist: ``-n auto --dist loadfile`` in pyproject.toml): each
file runs whole on one worker, so a notebook's cells run in order in one kernel, and a file's
server, browser or built site is made once. Here:

* nbval's cells start a kernel, so they are marked ``slow``: ``python -m pytest -m "not slow"``
  (the inner loop) leaves them out, with every other test that starts a kernel, a server, a
  browser or another program that takes seconds (those files mark their own tests);
* files with slow tests are handed out first (``--no-loadscope-reorder`` keeps this order): a
  long file started last would leave the other workers idle at the end.

It lives at the repository's root so that ``python -m pytest notebooks/02_natural_capital.ipynb``
gets the same treatment as the whole command.
"""

from __future__ import annotations

import os
import tempfile

import pytest


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
