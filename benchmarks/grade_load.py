#!/usr/bin/env python
"""How fast the grader marks a class: N copies of a student notebook, on the machine's cores.

    .venv/bin/python benchmarks/grade_load.py                 # 60 copies of 01_energy_tables, 2 at a time
    .venv/bin/python benchmarks/grade_load.py --smoke         # 2 copies of 00_start_here: checks it works
    .venv/bin/python benchmarks/grade_load.py --copies 30 --jobs 4 --notebook 02_natural_capital

What it does:

1. builds the student version of the notebook with the course's own command
   (``python -m course_lib.build student``) and fills every ``check(...)`` of its exercise cells
   with the right answer (computed from the question bank, as a student would type it: a number
   in the question's unit, an option, a pairing, a few sentences for a reflection);
2. runs that filled notebook once in a fresh kernel with nbclient, as "Restart & Run All" would
   (kernel start included), ``--repeat`` times: the median is *the time of running it once*;
3. grades ``--copies`` copies with ``python -m course_lib.grade --jobs J``, sampling the memory of
   the grader's whole process tree (grader, runners, kernels) every 0.2 s; ``--rounds`` times in
   the sandbox (the grader's default) and as many with ``--no-sandbox``, alternating, so the
   sandbox's cost is a ratio taken on the same machine in the same minutes (``--no-compare``:
   sandboxed only).

Reported (and written to ``--results``, default ``benchmarks/grade_results.md``): the wall time
per submission (total / copies, the median sandboxed grading), its ratio to the single run
(budget: <= 2), the sandboxed time against the unsandboxed, each submission's own
run time under load, the peak memory of the process tree and of the largest single process, and
whether every copy was graded ``ok`` with full marks. Nothing is asserted: a busy machine must not
fail anything; the load average is recorded with the figures.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "grade_results.md"
BUDGET = 2.0
REFLECTION = ("A single figure says how much energy but not which: its source, its quality, the emissions, "
              "the water and land used, and the people's work behind it.")
_CHECK = re.compile(r"""\bcheck\(\s*(["'])([\w]+\.[\w]+)\1""")


def _literal(question_id: str) -> str:
    """The right answer to ``question_id`` as Python source: computed in the kernel for the student
    it runs as (each student has numbers of their own), as a student who is right would have it."""
    from course_lib import exercises

    if exercises.question(question_id).kind == "reflection":
        return repr(REFLECTION)
    return f'__import__("course_lib.exercises", fromlist=["expected"]).expected("{question_id}")'


def fill(nb) -> int:
    """Write the right answer into each ``check(...)`` of the exercise cells; returns how many."""
    filled = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or "exercise" not in cell.metadata.get("tags", []):
            continue
        ids = list(dict.fromkeys(m.group(2) for m in _CHECK.finditer(cell.source)))
        if ids:
            cell.source = "\n".join(f'check("{q}", {_literal(q)})' for q in ids)
            filled += len(ids)
    return filled


def student_version(notebook: Path, folder: Path):
    import nbformat

    subprocess.run([sys.executable, "-m", "course_lib.build", "student", str(notebook), "--out", str(folder)],
                   check=True, capture_output=True, cwd=ROOT)
    return nbformat.read(folder / notebook.name, as_version=4)


def run_once(path: Path) -> float:
    """Seconds to run the notebook at ``path`` top to bottom in a fresh kernel (start included)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", timeout=600, allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute(stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


class TreeMemory:
    """Samples the resident memory of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_total, self.peak_single, self.peak_processes = pid, 0, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        parents, rss = {}, {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                status = (entry / "status").read_text()
            except (OSError, IndexError, ValueError):
                continue
            found = re.search(r"VmRSS:\s+(\d+) kB", status)
            rss[int(entry.name)] = int(found.group(1)) * 1024 if found else 0
        tree, grew = {self.pid}, True
        while grew:
            more = {p for p, parent in parents.items() if parent in tree} - tree
            tree |= more
            grew = bool(more)
        sizes = [rss.get(p, 0) for p in tree]
        self.peak_total = max(self.peak_total, sum(sizes))
        self.peak_single = max(self.peak_single, max(sizes, default=0))
        self.peak_processes = max(self.peak_processes, len(tree))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(0.2)


def _grade(submissions: Path, notebook: Path, jobs: int, out: Path, *, sandbox: bool) -> dict:
    """Grade every copy with the course's command (in the sandbox, or with ``--no-sandbox``), sampling memory."""
    command = [sys.executable, "-m", "course_lib.grade", str(submissions), "--out", str(out),
               "--assignment", str(notebook), "--jobs", str(jobs)] + ([] if sandbox else ["--no-sandbox"])
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline=""))) if out.is_file() else []
    return {"wall": wall, "rows": rows, "stdout": stdout, "stderr": stderr, "returncode": process.returncode,
            "memory": memory, "each": [float(m.group(1)) for m in re.finditer(r": ok \((\d+\.\d+) s\)", stderr)]}


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="01_energy_tables", help="course notebook (name without .ipynb)")
    parser.add_argument("--copies", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="single runs to take the median of")
    parser.add_argument("--rounds", type=int, default=2,
                        help="gradings of the copies in each mode (sandboxed, not), alternating; the median counts")
    parser.add_argument("--no-compare", action="store_true", help="grade in the sandbox only (no unsandboxed runs)")
    parser.add_argument("--smoke", action="store_true", help="2 copies of 00_start_here, one single run, one round")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.smoke:
        args.notebook, args.copies, args.repeat, args.rounds = "00_start_here", 2, 1, 1
    import nbformat

    notebook = ROOT / "notebooks" / f"{args.notebook}.ipynb"
    with tempfile.TemporaryDirectory(prefix="grade-load-") as temporary:
        work = Path(temporary)
        nb = student_version(notebook, work / "student")
        answers = fill(nb)
        single = work / "single" / notebook.name
        single.parent.mkdir()
        nbformat.write(nb, single)
        load_before = load_average()
        singles = [run_once(single) for _ in range(args.repeat)]
        submissions = work / "submissions"
        submissions.mkdir()
        for i in range(args.copies):
            shutil.copyfile(single, submissions / f"student{i:03d}_{notebook.name}")
        # Sandboxed (the grader's default) and not, alternating so that a change in the machine's load
        # weighs on both: on, off, off, on, ...
        modes = [True] if args.no_compare else [True, False]
        runs: dict[bool, list[dict]] = {mode: [] for mode in modes}
        for round_ in range(args.rounds):
            for mode in (modes if round_ % 2 == 0 else modes[::-1]):
                runs[mode].append(_grade(submissions, notebook, args.jobs, work / "grades.csv", sandbox=mode))
        load_after = load_average()

    single_time = statistics.median(singles)
    sandboxed = sorted(runs[True], key=lambda r: r["wall"])[len(runs[True]) // 2]  # the median run
    wall, rows, each, memory = sandboxed["wall"], sandboxed["rows"], sandboxed["each"], sandboxed["memory"]
    per_submission = wall / args.copies
    ratio = per_submission / single_time
    # "ok; attempt log missing ...": the copies carry no attempt log, yet ran to the end
    graded_ok = sum(r["status"].split(";")[0] == "ok" for r in rows)
    full = sum(r["status"].split(";")[0] == "ok" and r["total"] == r["max"] for r in rows)
    compare = None
    if not args.no_compare:
        per = {mode: [round(r["wall"] / args.copies, 2) for r in runs[mode]] for mode in modes}
        on, off = statistics.median(per[True]), statistics.median(per[False])
        compare = {"sandboxed_s": per[True], "unsandboxed_s": per[False], "median_sandboxed_s": round(on, 2),
                   "median_unsandboxed_s": round(off, 2), "ratio": round(on / off, 2),
                   "all_ok": all(sum(r2["status"].split(";")[0] == "ok" for r2 in r["rows"]) == args.copies
                                 for mode in modes for r in runs[mode])}
    figures = {
        "notebook": notebook.name, "copies": args.copies, "jobs": args.jobs, "cores": os.cpu_count(),
        "answers_filled": answers, "single_run_s": round(single_time, 2), "single_runs_s": [round(s, 2) for s in singles],
        "grading_wall_s": round(wall, 1), "seconds_per_submission": round(per_submission, 2), "ratio": round(ratio, 2),
        "budget": BUDGET, "within_budget": ratio <= BUDGET,
        "median_run_under_load_s": round(statistics.median(each), 2) if each else None,
        "peak_tree_mb": round(memory.peak_total / 2**20), "peak_process_mb": round(memory.peak_single / 2**20),
        "peak_processes": memory.peak_processes, "graded_ok": graded_ok, "full_marks": full,
        "exit_code": sandboxed["returncode"], "load_before": load_before, "load_after": load_after,
        "rounds": args.rounds, "sandbox_compare": compare,
    }
    print(json.dumps(figures, indent=1))
    if sandboxed["returncode"] != 0 or graded_ok != args.copies:
        print(sandboxed["stdout"] + sandboxed["stderr"][-3000:], file=sys.stderr)
    write_results(args.results, figures, smoke=args.smoke)
    return 0 if rows and graded_ok == args.copies else 1


def write_results(path: Path, f: dict, *, smoke: bool) -> None:
    verdict = "within budget" if f["within_budget"] else "OVER BUDGET"
    lines = [
        "# Grading load: " + ("smoke run" if smoke else f"{f['copies']} copies of a student notebook"),
        "",
        f"Measured by `benchmarks/grade_load.py` on {dt.date.today().isoformat()} ({platform.system()} "
        f"{platform.machine()}, {f['cores']} cores, Python {platform.python_version()}); load average "
        f"(1/5/15 min) {f['load_before']} before, {f['load_after']} after. Timings are wall-clock on a shared "
        "machine: read them as a ratio taken in the same run.",
        "",
        f"The notebook: the student version of `{f['notebook']}` (built with `python -m course_lib.build student`), "
        f"its {f['answers_filled']} checked answers filled in right.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| running the notebook once, fresh kernel (median of {len(f['single_runs_s'])}: {', '.join(map(str, f['single_runs_s']))} s) | {f['single_run_s']} s |",
        f"| grading {f['copies']} copies, `--jobs {f['jobs']}` (wall) | {f['grading_wall_s']} s |",
        f"| **seconds per submission** (wall / copies) | **{f['seconds_per_submission']} s** |",
        f"| ratio to running it once (budget <= {f['budget']:g}) | **{f['ratio']}**: {verdict} |",
        f"| one submission's own run while {f['jobs']} run at a time (median) | {f['median_run_under_load_s']} s |",
        f"| **peak memory**, whole process tree (grader + runners + kernels) | **{f['peak_tree_mb']} MB** |",
        f"| peak memory of the largest single process | {f['peak_process_mb']} MB |",
        f"| most processes at once | {f['peak_processes']} |",
        f"| graded `ok` / with full marks (the copies carry no attempt log: scored as attempts after the first, "
        f"so full marks are not expected) | {f['graded_ok']} / {f['full_marks']} of {f['copies']} |",
        f"| exit code of the grader | {f['exit_code']} |",
        "",
    ]
    c = f.get("sandbox_compare")
    if c:
        lines += [
            f"**The sandbox's cost.** The same copies graded {f['rounds']} time(s) in each mode, alternating "
            "(sandboxed, the grader's default, and with `--no-sandbox`); seconds per submission (wall / copies):",
            "",
            "| mode | each grading | median |",
            "|---|---|---|",
            f"| in the sandbox | {', '.join(map(str, c['sandboxed_s']))} s | **{c['median_sandboxed_s']} s** |",
            f"| `--no-sandbox` | {', '.join(map(str, c['unsandboxed_s']))} s | {c['median_unsandboxed_s']} s |",
            f"| sandboxed / not | | **{c['ratio']}** |",
            "",
            f"Every copy graded `ok` in every run: {'yes' if c['all_ok'] else 'NO'}.",
            "",
        ]
    if not smoke:
        lines += [
            "Where the time goes: each submission starts a fresh kernel and imports the course's libraries "
            "(the largest part of running a notebook once); the grader adds a runner process per submission "
            "(Python importing nbclient: about 0.2 s of CPU), loads the answer key once (a few seconds) and "
            "scores the answer logs at the end (each answer judged by `exercises.evaluate`, which recomputes "
            "the expected value: about 8 ms an answer, 0.07 s for a submission of 9 answers). Running two "
            "at a time on two cores roughly halves the wall time per submission.",
            "",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
