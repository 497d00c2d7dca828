"""The course's static sites (instructor and student), built once per test run for every test file.

Building both sites of every notebook plus the demo costs about 10 CPU-seconds each. Several
browser test files read them (``tests/browser/test_site.py``, ``tests/browser/test_accessibility.py``),
and pytest-xdist may run those files on different workers, so the sites are built in a folder
that every worker of the run shares, by whichever worker asks first, under a file lock; the others
wait for it and read what it wrote. The tests only read the sites (and serve them on 127.0.0.1).

Use it through the session fixture ``course_sites`` of ``tests/browser/conftest.py``; outside pytest,
``build_sites(Path("/tmp/sites"))["student"].out`` is the student site's folder (built there, or
found there from an earlier call), and ``["site"].pages`` maps each page to its number of charts.
"""

from __future__ import annotations

import contextlib
import fcntl
import pickle
from collections.abc import Iterator
from pathlib import Path

import nbformat

from course_tools import build
from course_tools.build.site import SiteReport
from tests.harness.demo import demo_notebook

DEMO = "99_demo"  # the demo notebook's name: a chart with a Vega-Lite slider and menu, an explorer, slides
KINDS = ("site", "student", "zh-Hant")
TRANSLATED = "zh-Hant"  # the course in Traditional Chinese: its student site, built from notebooks/zh-Hant/


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block: one process at
    a time, across pytest-xdist workers. The lock goes with the process, even if it dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_sites(folder: Path) -> dict[str, SiteReport]:
    """The site (``"site"``) and the student site (``"student"``) of every notebook of the course
    plus the demo, and the student site of the course in Traditional Chinese (``"zh-Hant"``),
    built into ``folder`` unless a finished build is there already.

    Each report's ``notebooks`` lists the notebooks' names as built (the demo last), so that tests
    compare with what was built even if a notebook appears meanwhile.
    """
    done = folder / "reports.pickle"
    with locked(folder / ".lock"):
        if not done.is_file():
            src = folder / "src"
            src.mkdir(parents=True, exist_ok=True)
            demo = src / f"{DEMO}.ipynb"
            nbformat.write(demo_notebook(), demo)
            notebooks = build.discover() + [demo]
            translated = build.discover(build.notebook_dir() / TRANSLATED)
            reports = {"site": build.build_site(notebooks, folder / "site"),
                       "student": build.build_site(notebooks, folder / "site-student", student=True),
                       TRANSLATED: build.build_site(translated, folder / f"site-{TRANSLATED}", student=True)}
            for kind, report in reports.items():
                built = translated if kind == TRANSLATED else notebooks
                report.notebooks = [p.stem for p in built]  # type: ignore[attr-defined]
            partial = done.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(reports))
            partial.replace(done)  # complete or absent: a build that failed is made again
        reports = pickle.loads(done.read_bytes())
    return reports
