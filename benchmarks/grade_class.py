#!/usr/bin/env python
"""How fast the grader marks a synthetic class and writes its item analysis, on 2 cores.

    .venv/bin/python benchmarks/grade_class.py              # 200 students, 01_energy_tables, --jobs 2
    .venv/bin/python benchmarks/grade_class.py --quick      # 4 students, no single-run median: checks it works
    .venv/bin/python benchmarks/grade_class.py --students 60 --notebook 02_natural_capital

What it does:

1. makes a synthetic class (``tests/harness/synthetic_class.py``: abilities from N(0, 1), answers by
   a two-parameter item-response model, the course's own slips at known rates) and writes each
   student's submission of the notebook: the student version with their final answers typed in and
   their attempt history in each check() output;
2. runs one submission top to bottom in a fresh kernel with nbclient, as "Restart & Run All" would
   (kernel start included), ``--repeat`` times: the median is *the time of running it once*;
3. grades every submission with ``python -m course_lib.grade --jobs J --report DIR``, sampling the
   memory of the whole process tree, and times the report alone (``write_report`` on the class
   table of the whole synthetic class, every checked question of 01-06).

Reported (printed, and written to ``--results``, default ``benchmarks/grade_class_results.json``):
the wall time per submission, its ratio to the single run, the report's own time, peak memory, the
statuses and whether the report was written. Nothing is asserted: the load average is recorded with
the figures.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "grade_class_results.json"
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("grade_load", ROOT / "benchmarks" / "grade_load.py")
grade_load = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(grade_load)  # type: ignore[union-attr]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--notebook", default="01_energy_tables", help="course notebook (name without .ipynb)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="single runs to take the median of")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="4 students, one single run: checks it works")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--keep", type=Path, help="copy the reports and grades.csv here (for the README's picture)")
    args = parser.parse_args(argv)
    if args.quick:
        args.students, args.repeat = 4, 1
    from course_tools.grade.items import write_report
    from tests.harness.synthetic_class import synthetic_class, write_submissions

    notebook = ROOT / "notebooks" / f"{args.notebook}.ipynb"
    klass = synthetic_class(args.students, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="grade-class-") as temporary:
        work = Path(temporary)
        started = time.perf_counter()
        submissions = write_submissions(klass, work / "submissions", args.notebook)
        made = time.perf_counter() - started
        load_before = grade_load.load_average()
        single = work / "single" / submissions[0].name
        single.parent.mkdir()
        single.write_bytes(submissions[0].read_bytes())
        singles = [grade_load.run_once(single) for _ in range(args.repeat)]
        out, report = work / "grades.csv", work / "report"
        command = [sys.executable, "-m", "course_lib.grade", str(work / "submissions"), "--out", str(out),
                   "--assignment", str(notebook), "--jobs", str(args.jobs), "--report", str(report)]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with grade_load.TreeMemory(process.pid) as memory:
            stdout, stderr = process.communicate()
        wall = time.perf_counter() - started
        rows = list(csv.DictReader(out.open(encoding="utf-8", newline=""))) if out.is_file() else []
        report_written = (report / "index.html").is_file() and (report / "items.csv").is_file()
        started = time.perf_counter()
        write_report(klass.table, work / "whole-class-report")
        report_alone = time.perf_counter() - started
        if args.keep:
            import shutil

            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(work / "whole-class-report", args.keep / "whole-class")
            if report.is_dir():
                shutil.copytree(report, args.keep / "graded")
            if out.is_file():
                shutil.copyfile(out, args.keep / "grades.csv")
        load_after = grade_load.load_average()

    single_time = statistics.median(singles)
    statuses = collections.Counter(r["status"] for r in rows)
    figures = {
        "date": dt.date.today().isoformat(), "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(), "notebook": notebook.name, "students": args.students, "jobs": args.jobs,
        "seed": args.seed, "quick": args.quick, "submissions_made_s": round(made, 1),
        "single_run_s": round(single_time, 2), "single_runs_s": [round(s, 2) for s in singles],
        "grading_wall_s": round(wall, 1), "seconds_per_submission": round(wall / args.students, 2),
        "ratio_to_single_run": round(wall / args.students / single_time, 2),
        "report_written_by_grader": report_written,
        "report_alone_s": round(report_alone, 2), "report_alone_rows": len(klass.table),
        "report_alone_questions": int(klass.table["question"].nunique()),
        "peak_tree_mb": round(memory.peak_total / 2**20), "peak_process_mb": round(memory.peak_single / 2**20),
        "statuses": dict(statuses), "exit_code": process.returncode,
        "load_before": load_before, "load_after": load_after,
    }
    print(json.dumps(figures, indent=1))
    if process.returncode != 0 or not report_written:
        print(stdout[-2000:] + stderr[-3000:], file=sys.stderr)
    if args.results:
        args.results.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0 if rows and len(rows) == args.students else 1


if __name__ == "__main__":
    raise SystemExit(main())
