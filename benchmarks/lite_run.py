#!/usr/bin/env python
"""The course in the browser: how long until a student can work, and how big the site is.

    .venv/bin/python benchmarks/lite_run.py                          # every notebook, once
    .venv/bin/python benchmarks/lite_run.py 00_start_here --repeat 3 # one notebook, three times
    .venv/bin/python benchmarks/lite_run.py --json /tmp/lite.json    # also keep the figures

It builds the browser site (``course_tools.build.build_lite``, student versions, from the fetched-file
cache ``build/lite-cache/``) into a temporary folder, serves it on 127.0.0.1 and opens each notebook
in headless Chromium (``/usr/bin/chromium`` or ``$CHROMIUM``) with every other host unresolvable,
twice in one browser profile (a fresh one on disk each time): a student's **first visit** (nothing
cached) and their **second visit** (the browser's cache, with Pyodide's compiled WebAssembly, as
the first visit left it). Measured, in seconds from opening the page:

* **kernel ready**: the Pyodide kernel idle (Pyodide and the kernel's packages loaded);
* **packages loaded**: the hidden first cell done (it loads the notebook's packages: numpy, pandas,
  Altair, ipywidgets, pint, course_lib, ...);
* **import course_lib**: the notebook's own first cell that imports course_lib done;
* **Run All done**; and **Run All**, its own duration from the moment it was started.

Plus the site's size by part. Targets (2 cores), for every notebook: kernel ready <= 8 s on a
first visit and <= 5 s on a second; Run All done <= 15 s after opening (first visit); site <= 60 MB. It reports, never fails on a budget; exit code 1 only when a notebook shows a problem
(an error, a cell that did not run, a chart not drawn, a request leaving 127.0.0.1).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from course_tools.build import discover  # noqa: E402
from course_tools.build.lite import build_lite  # noqa: E402
from tests.harness.lite_browser import OFFLINE_FLAGS, TEST_SETTINGS, run_notebook, serve  # noqa: E402

BUDGETS = {"kernel_ready_first": 8.0, "kernel_ready_second": 5.0, "run_all_done": 15.0, "site_mb": 60.0}
VISITS = ("first", "second")
COLUMNS = [("kernel_ready", "kernel ready"), ("setup_done", "packages loaded"), ("import_done", "import course_lib"),
           ("run_all_done", "Run All done"), ("run_all", "Run All")]


def _chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    sys.exit("no Chromium found (/usr/bin/chromium, $CHROMIUM or on PATH): apt-get install chromium")


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebook names (stems); default: every notebook")
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook (the median is reported)")
    parser.add_argument("--cache", default=str(REPO / "build" / "lite-cache"), help="fetched-file cache")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    stems = args.notebooks or [p.stem for p in discover(REPO / "notebooks")]
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lite-bench-") as tmp:
        report = build_lite(REPO / "notebooks", Path(tmp) / "site", cache=args.cache,
                            lab_settings=TEST_SETTINGS)
        print(report.summary().splitlines()[0])
        runs: dict[str, dict[str, list[dict]]] = {}
        problems: dict[str, list[str]] = {}
        with serve(report.out) as base, sync_playwright() as playwright:
            for stem in stems:
                for attempt in range(args.repeat):
                    # A browser profile of its own on disk, as a student's browser has: its cache
                    # (and Chromium's cache of compiled WebAssembly) serves the second visit.
                    with tempfile.TemporaryDirectory(prefix="lite-profile-") as profile:
                        context = playwright.chromium.launch_persistent_context(
                            profile, executable_path=_chromium(), args=OFFLINE_FLAGS,
                            viewport={"width": 1280, "height": 900})
                        try:
                            for visit in VISITS:
                                result = run_notebook(None, base, f"{stem}.ipynb", kernel_timeout=180,
                                                      run_timeout=300, context=context)
                                runs.setdefault(stem, {}).setdefault(visit, []).append(result.timings)
                                problems.setdefault(stem, []).extend(result.problems())
                                print(f"{stem} run {attempt + 1}, {visit} visit: {result.timings}", flush=True)
                        finally:
                            context.close()
    load_after = os.getloadavg()

    rows = {stem: {visit: {key: _median([t[key] for t in timings if key in t]) for key, _ in COLUMNS}
                   for visit, timings in by_visit.items()} for stem, by_visit in runs.items()}
    site_mb = round(report.total_bytes / 1e6, 1)
    print()
    print("| notebook | visit | " + " | ".join(label for _, label in COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 2) + "|")
    for stem, by_visit in rows.items():
        for visit, row in by_visit.items():
            print(f"| {stem} | {visit} | " + " | ".join("" if row[k] is None else f"{row[k]:.1f} s" for k, _ in COLUMNS) + " |")
    print(f"\nSite: {site_mb} MB in {report.files} files; by part: "
          + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(report.sizes.items(), key=lambda i: -i[1])))
    missed = [f"{stem} {visit} visit: kernel ready {row['kernel_ready']} s > {BUDGETS['kernel_ready_' + visit]} s"
              for stem, by_visit in rows.items() for visit, row in by_visit.items()
              if row["kernel_ready"] is None or row["kernel_ready"] > BUDGETS["kernel_ready_" + visit]]
    missed += [f"{stem}: Run All done {by_visit['first']['run_all_done']} s > {BUDGETS['run_all_done']} s"
               for stem, by_visit in rows.items()
               if by_visit["first"]["run_all_done"] is None or by_visit["first"]["run_all_done"] > BUDGETS["run_all_done"]]
    if site_mb > BUDGETS["site_mb"]:
        missed.append(f"site {site_mb} MB > {BUDGETS['site_mb']} MB")
    print("Targets: kernel ready <= 8 s (first visit), <= 5 s (second); Run All done <= 15 s; site <= 60 MB: "
          + ("all met" if not missed else "missed by " + "; ".join(missed)))
    print(f"Load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f} on {os.cpu_count()} cores")
    failed = {stem: found for stem, found in problems.items() if found}
    for stem, found in failed.items():
        print(f"PROBLEMS in {stem}:\n  - " + "\n  - ".join(found))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "load_average": [load_before[0], load_after[0]], "runs": runs, "medians": rows, "missed": missed,
            "site_bytes": report.total_bytes, "site_files": report.files, "site_parts": report.sizes,
            "problems": failed,
        }, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
