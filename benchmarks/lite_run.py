#!/usr/bin/env python
"""The course in the browser: how long until a student can work, and how big the site is.

    .venv/bin/python benchmarks/lite_run.py                          # every notebook, once
    .venv/bin/python benchmarks/lite_run.py 00_start_here --repeat 3 # one notebook, three times
    .venv/bin/python benchmarks/lite_run.py --json /tmp/lite.json    # also keep the figures

It builds the browser site (``course_tools.build.build_lite``, student versions, from the fetched-file
cache ``build/lite-cache/``) into a temporary folder, serves it on 127.0.0.1 and opens each notebook
in headless Chromium (``/usr/bin/chromium`` or ``$CHROMIUM``) with every other host unresolvable,
each time in a fresh browser context (nothing cached: a student's first visit). Measured, in
seconds from opening the page:

* **kernel ready**: the Pyodide kernel idle (Pyodide and the kernel's packages loaded);
* **packages loaded**: the hidden first cell done (it loads the notebook's packages: numpy, pandas,
  Altair, ipywidgets, pint, course_lib, ...);
* **import course_lib**: the notebook's own first cell that imports course_lib done;
* **Run All done**; and **Run All**, its own duration from the moment it was started.

Plus the site's size by part. Budgets (2 cores): kernel ready <= 10 s, Run All of 00 <= 20 s, site
<= 60 MB. It reports, never fails on a budget; exit code 1 only when a notebook shows a problem
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

BUDGETS = {"kernel_ready": 10.0, "run_all_00": 20.0, "site_mb": 60.0}
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
        runs: dict[str, list[dict]] = {}
        problems: dict[str, list[str]] = {}
        with serve(report.out) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=_chromium(), args=OFFLINE_FLAGS)
            try:
                for stem in stems:
                    for attempt in range(args.repeat):
                        result = run_notebook(browser, base, f"{stem}.ipynb", kernel_timeout=180, run_timeout=300)
                        runs.setdefault(stem, []).append(result.timings)
                        problems.setdefault(stem, []).extend(result.problems())
                        print(f"{stem} run {attempt + 1}: {result.timings}", flush=True)
            finally:
                browser.close()
    load_after = os.getloadavg()

    rows = {stem: {key: _median([t[key] for t in timings if key in t]) for key, _ in COLUMNS}
            for stem, timings in runs.items()}
    site_mb = round(report.total_bytes / 1e6, 1)
    print()
    print("| notebook | " + " | ".join(label for _, label in COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for stem, row in rows.items():
        print(f"| {stem} | " + " | ".join("" if row[k] is None else f"{row[k]:.1f} s" for k, _ in COLUMNS) + " |")
    print(f"\nSite: {site_mb} MB in {report.files} files; by part: "
          + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(report.sizes.items(), key=lambda i: -i[1])))
    kernel = [row["kernel_ready"] for row in rows.values() if row["kernel_ready"] is not None]
    start_here = rows.get("00_start_here", {}).get("run_all")
    print(f"Budgets: kernel ready <= {BUDGETS['kernel_ready']} s (median over notebooks "
          f"{_median(kernel)} s); Run All of 00 <= {BUDGETS['run_all_00']} s ({start_here} s); "
          f"site <= {BUDGETS['site_mb']} MB ({site_mb} MB)")
    print(f"Load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f} on {os.cpu_count()} cores")
    failed = {stem: found for stem, found in problems.items() if found}
    for stem, found in failed.items():
        print(f"PROBLEMS in {stem}:\n  - " + "\n  - ".join(found))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "load_average": [load_before[0], load_after[0]], "runs": runs, "medians": rows,
            "site_bytes": report.total_bytes, "site_files": report.files, "site_parts": report.sizes,
            "problems": failed,
        }, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
