#!/usr/bin/env python
"""The course's performance budget, measured side by side in one run.

    .venv/bin/python benchmarks/run.py            # full run (20-30 minutes): writes benchmarks/results.json and .md
    .venv/bin/python benchmarks/run.py --quick    # one repetition of everything, checks the benchmark works

What it measures, all discovered (nothing is listed by hand):

* **Run All cost**: every ``notebooks/*.ipynb`` executed through nbclient against an *import-only
  baseline*: a notebook holding just the notebook's own top-level import statements, run in the
  same kernel (a fresh one each time), alternately with the notebook, several times. Kernel start-up
  is left out of both. The budget is the median of the per-pair ratios: ≤ 1.5.
* **Interaction latency**: every control (slider, dropdown, checkbox, ...) of every explorer that
  ``course_lib.widgets.all_explorers()`` builds. Its ``.value`` is set many times, cycling through
  valid values, and each set is timed up to the new ``.result`` *and* its display data (the
  Vega-Lite spec or the HTML table that a live kernel would send). Budget: p95 ≤ 100 ms.
* **Weight**: each notebook's size with outputs (≤ 300 KB), its largest stored chart spec, and
  ``import course_lib`` against ``import pandas, altair`` in fresh interpreters (a ratio).
* **Suite time** (full mode only): wall time of the README test command split into unit tests,
  nbval and browser tests.

Budgets are reported, never asserted: a slow or busy machine must not fail CI. Timings are noisy on
a shared machine, which is why the headline figures are ratios taken in the same run and why the
load average is recorded with them.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import datetime as dt
import faulthandler
import io
import json
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"

#: The budgets of issue 10 (README "Performance").
BUDGETS = {"run_all_ratio": 1.5, "latency_p95_ms": 100.0, "notebook_kb": 300.0}
KB = 1024  # as tests/test_notebooks.py counts

# How much of each measurement a run takes.
MODES = {
    "full": {"repeat": 5, "import_repeat": 7, "sets_per_control": 40, "suite": True},
    "quick": {"repeat": 1, "import_repeat": 1, "sets_per_control": 3, "suite": False},
}


# --------------------------------------------------------------------------------------------
# The machine


def machine() -> dict:
    """Cores, CPU model, Python, package versions and the load average now."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("altair", "pandas", "ipywidgets", "nbclient", "ipykernel", "jsonschema"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # a missing package is reported, not fatal
            versions[package] = None
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_start": _load(),
        "versions": versions,
    }


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# --------------------------------------------------------------------------------------------
# Statistics


def summary_ms(seconds: list[float]) -> dict:
    """Median, p95 and max of a list of durations in seconds, in milliseconds."""
    if not seconds:
        return {"n": 0, "median_ms": None, "p95_ms": None, "max_ms": None}
    ordered = sorted(seconds)
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(percentile(ordered, 95) * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile with linear interpolation between ranks (numpy's default method).

    >>> percentile([1, 2, 3, 4, 5], 50), percentile([1, 2, 3, 4, 5], 95), percentile([7], 95)
    (3.0, 4.8, 7.0)
    """
    ordered = sorted(values)
    if not ordered:
        raise ValueError("values must not be empty")
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(value, 12)


# --------------------------------------------------------------------------------------------
# Interaction latency


def control_values(control, n: int = 12) -> list:
    """Up to ``n`` distinct valid values for an ipywidgets control, spread over its whole range.

    Sliders and bounded number boxes: evenly from min to max on the step grid; log sliders: evenly
    in the exponent; range sliders: ranges growing from the middle; selections: every option
    (the *values*, also for ``(label, value)`` options); checkboxes/toggles: True and False.
    Returns ``[]`` for a control whose valid values cannot be known (free text): the caller reports
    it as skipped rather than guessing.

    >>> import ipywidgets as w
    >>> control_values(w.IntSlider(value=5, min=0, max=10, step=5))
    [0, 5, 10]
    >>> control_values(w.Dropdown(options=[("one", 1), ("two", 2)]))
    [1, 2]
    >>> control_values(w.Checkbox(value=True))
    [True, False]
    """
    import ipywidgets as w
    from ipywidgets.widgets.widget_selection import _MultipleSelection, _Selection

    if n < 2:
        raise ValueError(f"n must be at least 2 to change a control, got {n!r}")
    if isinstance(control, (w.Checkbox, w.ToggleButton)):
        return [True, False]
    if isinstance(control, w.SelectionRangeSlider):  # value is a (low, high) pair of option values
        values = list(control._options_values)
        middle = len(values) // 2
        pairs = [(values[max(middle - k, 0)], values[min(middle + k, len(values) - 1)]) for k in range(len(values))]
        return _spread(_distinct(pairs), n)
    if isinstance(control, _MultipleSelection):  # SelectMultiple: each option alone, then all of them
        values = list(control._options_values)
        return _spread([(v,) for v in values] + ([tuple(values)] if len(values) > 1 else []), n)
    if isinstance(control, _Selection):  # Dropdown, RadioButtons, ToggleButtons, SelectionSlider, Select
        return _spread(list(control._options_values), n)
    if isinstance(control, w.FloatLogSlider):
        exponents = _grid(control.min, control.max, control.step, n, integer=False)
        return _distinct([float(control.base) ** e for e in exponents])
    if isinstance(control, (w.IntRangeSlider, w.FloatRangeSlider)):
        integer = isinstance(control, w.IntRangeSlider)
        grid = _grid(control.min, control.max, control.step, max(n, 4), integer=integer)
        middle = len(grid) // 2
        pairs = [(grid[max(middle - k, 0)], grid[min(middle + k, len(grid) - 1)]) for k in range(len(grid))]
        return _spread(_distinct(pairs), n)
    if hasattr(control, "min") and hasattr(control, "max") and isinstance(control.value, (int, float)):
        integer = isinstance(control.value, int) and not isinstance(control.value, bool)
        return _grid(control.min, control.max, getattr(control, "step", None), n, integer=integer)
    return []


def _grid(low, high, step, n: int, *, integer: bool) -> list:
    """``n`` values from low to high (both included), snapped to the step grid, distinct."""
    if high <= low:
        return [low]
    raw = [low + (high - low) * i / (n - 1) for i in range(n)]
    if step and step > 0:
        raw = [min(high, low + round((x - low) / step) * step) for x in raw]
    if integer:
        raw = [int(round(x)) for x in raw]
    else:
        raw = [round(float(x), 12) for x in raw]
    return _distinct(raw)


def _distinct(values: list) -> list:
    seen, out = set(), []
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


def _spread(values: list, n: int) -> list:
    """At most ``n`` of ``values``, spread evenly, first and last kept."""
    if len(values) <= n:
        return values
    picks = sorted({round(i * (len(values) - 1) / (n - 1)) for i in range(n)})
    return [values[i] for i in picks]


class DisplayCapture:
    """An IPython shell whose display calls are captured, not printed: what a live kernel would send.

    ``data(result)`` returns the display bundles a kernel would publish for ``result``: its own
    mimebundle (an Altair chart's Vega-Lite spec, a DataFrame's HTML) or, for an object with
    ``_ipython_display_``, everything that method displays. If no shell exists (a script, a test),
    one is made, with history off, and removed on exit so ``get_ipython()`` is ``None`` again.
    """

    def __enter__(self):
        from IPython.core.displaypub import CapturingDisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        self._created = not InteractiveShell.initialized()
        if self._created:
            config = Config()
            config.HistoryManager.enabled = False
            self.shell = InteractiveShell.instance(config=config)
        else:
            self.shell = InteractiveShell.instance()
        self._publisher = self.shell.display_pub
        self.shell.display_pub = CapturingDisplayPublisher()
        return self

    def data(self, result) -> list[dict]:
        self.shell.display_pub.clear_output()
        bundle, _metadata = self.shell.display_formatter.format(result)
        return ([bundle] if bundle else []) + [output["data"] for output in self.shell.display_pub.outputs]

    def __exit__(self, *exc):
        from IPython.core.interactiveshell import InteractiveShell

        self.shell.display_pub = self._publisher
        if self._created:
            InteractiveShell.clear_instance()
        return False


def _bundle_bytes(bundles: list[dict]) -> int:
    """Size of the largest entry of the display bundles (the chart spec, usually)."""
    sizes = [len(json.dumps(value, separators=(",", ":")).encode()) if not isinstance(value, str) else len(value.encode())
             for bundle in bundles for value in bundle.values()]
    return max(sizes, default=0)


def time_control(box, name: str, sets: int, display: DisplayCapture) -> dict:
    """Set ``box.controls[name].value`` ``sets`` times, cycling through valid values; time each set.

    Each sample is the time from the assignment to ``box.result`` being recomputed (the explorer
    updates synchronously) plus the time to turn what the explorer shows for it
    (``box.displayed()``) into the display data a kernel would send. The control's
    value is restored afterwards so the next control starts from the defaults.
    """
    control = box.controls[name]
    row = {"control": name, "kind": type(control).__name__, "values_tried": 0, "sets": 0,
           **summary_ms([]), "update_ms": None, "render_ms": None, "largest_output_kb": None, "errors": [],
           "failed_sets": 0, "skipped": None}
    values = control_values(control, n=max(2, min(sets, 12)))
    original = control.value
    if not values:
        row["skipped"] = f"{row['kind']}: valid values unknown (free input)"
        return row
    if original not in values:  # the default is a valid value too (a slider default between grid points)
        values.append(original)
    if len(values) < 2:
        row["skipped"] = "only one valid value"
        return row
    start = values.index(original) + 1  # start just after the current value: every set is a change
    values = values[start:] + values[:start]
    row["values_tried"] = len(values)
    events = []
    watcher = lambda change: events.append(change)  # noqa: E731 - runs after the explorer's own observer
    control.observe(watcher, names="value")
    totals, updates, renders, largest = [], [], [], 0
    try:
        for i in range(sets):
            value = values[i % len(values)]
            before = len(events)
            try:
                t0 = time.perf_counter()
                control.value = value
                t1 = time.perf_counter()
                data = display.data(box.displayed() if hasattr(box, "displayed") else box.result)
                t2 = time.perf_counter()
            except Exception as exc:  # a failing update is a finding, not a crash of the benchmark
                row["failed_sets"] += 1
                if len(row["errors"]) < 3:
                    row["errors"].append(f"value={value!r}: {_error(exc, 200)}")
                continue
            if len(events) == before:
                row["failed_sets"] += 1
                if len(row["errors"]) < 3:
                    row["errors"].append(f"value={value!r}: setting it changed nothing (coerced to {control.value!r})")
                continue
            totals.append(t2 - t0)
            updates.append(t1 - t0)
            renders.append(t2 - t1)
            largest = max(largest, _bundle_bytes(data))
    finally:
        control.unobserve(watcher, names="value")
        try:
            control.value = original
        except Exception:
            pass
    row["sets"] = len(totals)
    row.update(summary_ms(totals))
    row["update_ms"] = summary_ms(updates)["median_ms"]
    row["render_ms"] = summary_ms(renders)["median_ms"]
    row["largest_output_kb"] = round(largest / KB, 1) if totals else None
    return row


def measure_explorers(builders: dict, sets: int) -> dict:
    """Build every explorer (timed) and time every one of its controls."""
    explorers, controls = [], []
    # Updates that print, and displays without a kernel, must not spill into the report.
    with DisplayCapture() as display, contextlib.redirect_stdout(io.StringIO()):
        for key, builder in sorted(builders.items()):
            _measure_explorer(key, builder, sets, display, explorers, controls)
    return {"explorers": explorers, "controls": controls}


def _measure_explorer(key, builder, sets, display, explorers, controls) -> None:
    entry = {"explorer": key, "build_ms": None, "controls": 0, "error": None}
    explorers.append(entry)
    try:
        t0 = time.perf_counter()
        box = builder()
        entry["build_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        entry["controls"] = len(box.controls)
    except Exception as exc:
        entry["error"] = _error(exc)
        return
    for name in box.controls:
        row = time_control(box, name, sets, display)
        row["explorer"] = key
        row["within_budget"] = None if row["p95_ms"] is None else row["p95_ms"] <= BUDGETS["latency_p95_ms"]
        controls.append(row)


def profile_control(target: str, sets: int = 20, top: int = 30) -> str:
    """cProfile of ``sets`` changes of one control, ``"<module>.<builder>:<control>"``: where the time goes.

    The report lists functions by cumulative time, then by own time, as ``pstats`` prints them.
    """
    import cProfile
    import pstats

    from course_lib import widgets

    key, _, name = target.partition(":")
    builders = widgets.all_explorers()
    if key not in builders:
        raise ValueError(f"--profile: no explorer {key!r}; explorers are {sorted(builders)}")
    profiler = cProfile.Profile()
    out = io.StringIO()
    with DisplayCapture() as display, contextlib.redirect_stdout(io.StringIO()):
        box = builders[key]()
        if name not in box.controls:
            raise ValueError(f"--profile: {key} has no control {name!r}; its controls are {list(box.controls)}")
        profiler.enable()
        row = time_control(box, name, sets, display)
        profiler.disable()
    out.write(f"{target}: {row['sets']} sets, median {row['median_ms']} ms, p95 {row['p95_ms']} ms "
              f"(update {row['update_ms']} ms, display {row['render_ms']} ms)\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top // 2)
    return out.getvalue()


def profile_notebook(path: Path, top: int = 30) -> str:
    """cProfile of one notebook's code cells run in this process, as a kernel runs them.

    Each cell goes through an IPython shell (``run_cell``), so displays are formatted exactly as in
    a kernel (the Altair chart turned into its spec, tables into HTML). The import-only baseline is
    run first and left out of the profile, so what remains is what Run All costs beyond imports.
    Also lists the slowest cells.
    """
    import cProfile
    import pstats

    import nbformat

    nb = nbformat.read(path, as_version=4)
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        with DisplayCapture() as display, contextlib.redirect_stdout(io.StringIO()):
            display.shell.run_cell(baseline_source(nb), store_history=False)
            profiler, timings = cProfile.Profile(), []
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t0 = time.perf_counter()
                profiler.enable()
                outcome = display.shell.run_cell(cell.source, store_history=False)
                profiler.disable()
                timings.append((time.perf_counter() - t0, index, _first_line(cell.source)))
                if not outcome.success:
                    timings[-1] = (*timings[-1][:2], f"{timings[-1][2]}  [error: {outcome.error_in_exec!r}]")
    finally:
        os.chdir(cwd)
    out.write(f"{path.name}: {sum(t for t, _, _ in timings):.2f} s in {len(timings)} code cells after the imports\n")
    for seconds, index, first in sorted(timings, reverse=True)[:10]:
        out.write(f"  cell {index:3d}  {seconds * 1000:7.0f} ms  {first}\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top // 2)
    return out.getvalue()


def _error(exc: BaseException, limit: int = 300) -> str:
    """``Type: message`` on one line, without terminal colours (nbclient's tracebacks carry them)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return f"{type(exc).__name__}: {(lines[-1] if lines else '')[:limit]}"


# --------------------------------------------------------------------------------------------
# Notebooks: weight and Run All


def notebook_paths(folder: Path, select: str | None = None) -> list[Path]:
    """Every ``*.ipynb`` in ``folder`` (sorted), optionally only those whose name contains ``select``."""
    paths = sorted(Path(folder).glob("*.ipynb"))
    return [p for p in paths if not select or select in p.name]


def notebook_weight(path: Path) -> dict:
    """Size of the notebook with its outputs, and its stored Vega-Lite charts (the largest named)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    charts, other = [], []
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []):
            for mimetype, payload in output.get("data", {}).items():
                size = len(json.dumps(payload, separators=(",", ":")) if not isinstance(payload, (str, list)) else "".join(payload).encode())
                if mimetype.startswith("application/vnd.vegalite"):
                    charts.append({"cell": index, "bytes": size, "title": _chart_title(payload), "rows": _inline_rows(payload)})
                elif mimetype != "text/plain":
                    other.append({"cell": index, "mimetype": mimetype, "bytes": size})
    largest = max(charts, key=lambda c: c["bytes"], default=None)
    largest_other = max(other, key=lambda c: c["bytes"], default=None)
    size = Path(path).stat().st_size
    widget_state = nb.get("metadata", {}).get("widgets")  # saved by nbconvert/nbclient with the outputs
    return {
        "notebook": Path(path).name,
        "size_kb": round(size / KB, 1),
        "charts": len(charts),
        "charts_kb": round(sum(c["bytes"] for c in charts) / KB, 1),
        "largest_chart_kb": round(largest["bytes"] / KB, 1) if largest else None,
        "largest_chart": largest,
        "largest_other_output": largest_other,
        "widget_state_kb": round(len(json.dumps(widget_state, separators=(",", ":"))) / KB, 1) if widget_state else 0.0,
        "size_within_budget": size <= BUDGETS["notebook_kb"] * KB,
    }


def _chart_title(spec) -> str | None:
    title = spec.get("title") if isinstance(spec, dict) else None
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return title


def _inline_rows(spec) -> int:
    """Rows of data inlined in a spec (top-level datasets plus any inline ``values``)."""
    rows = 0
    if isinstance(spec, dict):
        for values in (spec.get("datasets") or {}).values():
            rows += len(values) if isinstance(values, list) else 0
        for key, value in spec.items():
            if key == "datasets":
                continue
            if key == "values" and isinstance(value, list):
                rows += len(value)
            else:
                rows += _inline_rows(value)
    elif isinstance(spec, list):
        rows += sum(_inline_rows(item) for item in spec)
    return rows


def baseline_source(nb) -> str:
    """The notebook's top-level import statements, in order, deduplicated: the import-only baseline.

    Imports anywhere in the notebook count (a topic module imported in section 3 too), so the
    baseline pays every import the notebook pays and the ratio is the cost of everything else.
    IPython syntax (``%magic``, ``!shell``) is translated first; cells that do not parse are skipped.

    course_lib's packages load their modules lazily (``from course_lib import energy`` loads only
    the package's ``__init__``; the charts and explorers load on first use). The baseline loads
    every module of each course_lib package the notebook names, so the import cost still counts
    as import cost and the ratio measures the notebook's own work, as before the packages were lazy.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("%matplotlib inline\\nimport course_lib\\nfrom course_lib import data\\nx = 1"),
    ...     nbformat.v4.new_markdown_cell("import nothing"),
    ...     nbformat.v4.new_code_cell("def f():\\n    import os\\nimport course_lib\\nfrom course_lib import energy as e")])
    >>> print(baseline_source(nb))  # doctest: +ELLIPSIS
    import course_lib
    from course_lib import data
    from course_lib import energy as e
    import course_lib.energy._table
    import course_lib.energy.charts
    ...
    """
    from IPython.core.inputtransformer2 import TransformerManager

    transformer = TransformerManager()
    statements: list[str] = []
    lazy: list[str] = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        try:
            python = transformer.transform_cell(source)
            tree = ast.parse(python)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                statement = ast.get_source_segment(python, node)
                if statement not in statements:
                    statements.append(statement)
                for module in _lazy_modules(node):
                    if module not in lazy:
                        lazy.append(module)
    statements += [f"import {module}" for module in lazy]
    return "\n".join(statements) if statements else "pass"


def _lazy_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    """Every module of each course_lib package that ``node`` names (they load lazily)."""
    import importlib.util
    import pkgutil

    if isinstance(node, ast.ImportFrom):
        names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "course_lib" else [node.module or ""]
    else:
        names = [a.name for a in node.names]
    modules = []
    for name in names:
        if not name.startswith("course_lib."):
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for info in pkgutil.iter_modules(spec.submodule_search_locations):
            if not info.name.startswith("__"):
                modules.append(f"{name}.{info.name}")
    return sorted(modules)


def baseline_notebook(nb):
    """A notebook with one code cell, the import-only baseline, and the same kernel metadata."""
    import nbformat

    baseline = nbformat.v4.new_notebook(metadata=nb.get("metadata", {}))
    baseline.cells.append(nbformat.v4.new_code_cell(baseline_source(nb)))
    return baseline


def execute_seconds(nb, cwd: Path, timeout: int = 300, cells: list | None = None) -> tuple[float, float]:
    """Run every cell of ``nb`` in a fresh kernel: (kernel start seconds, cells seconds).

    The cells are timed from the first request to the last reply, so kernel start-up (which both
    the notebook and its baseline pay, and which a warm JupyterLab kernel does not) is kept apart.
    If ``cells`` is a list, (index, seconds) of every code cell is appended to it.
    """
    import copy

    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    client = NotebookClient(nb, timeout=timeout, kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
                            resources={"metadata": {"path": str(cwd)}}, allow_errors=False)
    t0 = time.perf_counter()
    # The kernel's stderr (ipykernel's start-up notices) is not the notebook's output: keep the table clean.
    with client.setup_kernel(cwd=str(cwd), stderr=subprocess.DEVNULL):
        client.wait_for_reply(client.kc.kernel_info())  # the kernel is up and answering
        t1 = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            c0 = time.perf_counter()
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            if cells is not None and cell.cell_type == "code":
                cells.append((index, time.perf_counter() - c0))
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def run_all_cost(path: Path, repeat: int, log=lambda text: None) -> dict:
    """Execute the notebook and its import-only baseline alternately ``repeat`` times; median ratio."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    baseline = baseline_notebook(nb)
    entry = {"baseline_source": baseline.cells[0].source, "notebook_s": [], "baseline_s": [], "ratios": [],
             "kernel_start_s": [], "error": None}
    per_cell: dict[int, list[float]] = {}
    for attempt in range(repeat):
        log(f"  {path.name}: repetition {attempt + 1} of {repeat}")
        cells: list = []
        try:
            start_b, base = execute_seconds(baseline, path.parent)
            start_n, full = execute_seconds(nb, path.parent, cells=cells)
        except Exception as exc:
            entry["error"] = _error(exc)
            break
        entry["baseline_s"].append(round(base, 3))
        entry["notebook_s"].append(round(full, 3))
        entry["kernel_start_s"] += [round(start_b, 3), round(start_n, 3)]
        entry["ratios"].append(round(full / base, 3))
        for index, seconds in cells:
            per_cell.setdefault(index, []).append(seconds)
    # Where the time goes: the slowest code cells (median over repetitions), for the notes.
    slowest = sorted(per_cell.items(), key=lambda item: statistics.median(item[1]), reverse=True)[:3]
    entry["slowest_cells"] = [{"cell": index, "seconds": round(statistics.median(times), 3),
                               "first_line": _first_line(nb.cells[index].source)} for index, times in slowest]
    if entry["ratios"]:
        entry["median_notebook_s"] = round(statistics.median(entry["notebook_s"]), 3)
        entry["median_baseline_s"] = round(statistics.median(entry["baseline_s"]), 3)
        entry["ratio"] = round(statistics.median(entry["ratios"]), 3)
        entry["within_budget"] = entry["ratio"] <= BUDGETS["run_all_ratio"]
    else:
        entry.update(median_notebook_s=None, median_baseline_s=None, ratio=None, within_budget=None)
    return entry


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip() and not line.startswith("# NBVAL")]
    return lines[0][:80] if lines else ""


# --------------------------------------------------------------------------------------------
# Import cost (fresh interpreters)

_IMPORT_PROBE = """
import importlib, json, pkgutil, sys, time
t = time.perf_counter()
{statement}
result = {{"seconds": time.perf_counter() - t}}
if {topics}:
    import course_lib
    from course_lib import _topics
    # Every module of every topic (the packages load lazily: a notebook pays for what it uses).
    topics = {{}}
    for name in sorted(set(_topics.topics("questions")) | set(_topics.topics("explorers"))):
        package = importlib.import_module("course_lib." + name)
        t = time.perf_counter()
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("__"):
                importlib.import_module(f"course_lib.{{name}}.{{info.name}}")
        topics[name] = time.perf_counter() - t
    result["topics"] = topics
print(json.dumps(result))
"""


def _probe(statement: str, topics: bool = False) -> dict:
    code = _IMPORT_PROBE.format(statement=statement, topics=topics)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{statement!r} failed in a fresh interpreter: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_cost(repeat: int) -> dict:
    """``import course_lib`` vs ``import pandas, altair``, alternating fresh interpreters; median ratios.

    Two ratios: against ``import pandas, altair`` as a plain notebook pays it, and against the same
    import without the IRI grammar build that ``course_lib`` defers (see ``course_lib/_speedups.py``),
    which is course_lib's own weight on top of its two big dependencies.
    Also: what each topic module adds when a notebook imports it (in alphabetical order, so a
    dependency shared by two modules is charged to the first), and the heaviest single modules under
    ``import course_lib`` (``python -X importtime``).
    """
    course, plain, deferred, topics = [], [], [], {}
    for _ in range(repeat):
        plain.append(_probe("import pandas, altair")["seconds"])
        deferred.append(_probe("sys.modules['rfc3987_syntax'] = None\nimport pandas, altair")["seconds"])
        probe = _probe("import course_lib", topics=True)
        course.append(probe["seconds"])
        for name, seconds in probe["topics"].items():
            topics.setdefault(name, []).append(seconds)
    return {
        "course_lib_s": round(statistics.median(course), 3),
        "pandas_altair_s": round(statistics.median(plain), 3),
        "pandas_altair_without_iri_grammar_s": round(statistics.median(deferred), 3),
        "ratio": round(statistics.median(c / b for c, b in zip(course, plain)), 3),
        "own_ratio": round(statistics.median(c / b for c, b in zip(course, deferred)), 3),
        "repeat": repeat,
        "module_extra_ms": {name: round(statistics.median(s) * 1000, 1) for name, s in topics.items()},
        "heaviest_imports": heaviest_imports("import course_lib"),
    }


def heaviest_imports(statement: str, top: int = 8) -> list[dict]:
    """The modules with the largest *self* import time under ``statement`` (``-X importtime``)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            rows.append({"module": match.group(4), "self_ms": int(match.group(1)) / 1000,
                         "cumulative_ms": int(match.group(2)) / 1000})
    rows.sort(key=lambda r: r["self_ms"], reverse=True)
    return rows[:top]


# --------------------------------------------------------------------------------------------
# Suite time

SUITE_PARTS = {
    "unit tests and doctests": ["course_lib", "tests", "-m", "not browser"],
    "nbval (every notebook)": ["notebooks"],
    "browser tests": ["tests", "-m", "browser"],
}


def suite_time(timeout: int = 3600) -> list[dict]:
    """Wall time of the README test command's three parts, each a separate pytest run."""
    rows = []
    for part, args in SUITE_PARTS.items():
        command = [sys.executable, "-m", "pytest", "-q", *args]
        t0 = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
            summary = _pytest_summary(done.stdout)
            code = done.returncode
        except subprocess.TimeoutExpired:
            summary, code = f"timed out after {timeout} s", None
        rows.append({"part": part, "command": "python -m pytest " + " ".join(_quote(a) for a in args),
                     "seconds": round(time.perf_counter() - t0, 1), "exit_code": code, "summary": summary})
    return rows


def _quote(arg: str) -> str:
    return f'"{arg}"' if " " in arg else arg


def _pytest_summary(stdout: str) -> str:
    """The last line of pytest's output without the ``=`` rule: '12 passed, 1 skipped in 3.2s'."""
    lines = [line.strip("= ").strip() for line in stdout.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


# --------------------------------------------------------------------------------------------
# Report


def _ok(flag) -> str:
    return {True: "ok", False: "**over**", None: "—"}[flag]


def _slowest(run: dict) -> str:
    """The slowest code cell that is not an import line: where a notebook's Run All goes."""
    for cell in run.get("slowest_cells", []):
        if not re.match(r"(import|from)\s", cell["first_line"]):
            return f"{cell['seconds']:.2f}: cell {cell['cell']} `{cell['first_line'][:50]}`"
    return "—"


def _fmt(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def markdown(results: dict) -> str:
    """The tables of README "Performance", from a results dict."""
    m = results["machine"]
    lines = [
        f"Measured {results['date']} ({results['mode']} mode) on {m['cores']} cores ({m['cpu']}), "
        f"Python {m['python']}, load average at start {m['load_average_start']}, at end {m.get('load_average_end')}.",
        "",
    ]
    notebooks = results.get("notebooks", [])
    if notebooks:
        lines += [
            "| notebook | Run All (s) | import-only baseline (s) | ratio (≤ 1.5) | slowest cell beyond imports (s) | size KB (≤ 300) | of which widget state KB | charts | largest chart KB | verdict |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|---|",
        ]
        for nb in notebooks:
            run = nb.get("run_all") or {}
            verdicts = [v for v in (run.get("within_budget"), nb["size_within_budget"]) if v is not None]
            verdict = "error: " + run["error"] if run.get("error") else _ok(all(verdicts) if verdicts else None)
            lines.append(
                f"| `{nb['notebook']}` | {_fmt(run.get('median_notebook_s'), 2)} | {_fmt(run.get('median_baseline_s'), 2)} "
                f"| {_fmt(run.get('ratio'), 2)} | {_slowest(run)} | {_fmt(nb['size_kb'])} | {_fmt(nb['widget_state_kb'])} | {nb['charts']} | {_fmt(nb['largest_chart_kb'])} | {verdict} |"
            )
        lines.append("")
    controls = results.get("controls", [])
    explorers = results.get("explorers", [])
    if explorers:
        lines += [
            "| explorer | control | kind | values | sets | median ms | p95 ms (≤ 100) | of which update / display ms | output KB | verdict |",
            "|---|---|---|---:|---:|---:|---:|---|---:|---|",
        ]
        for entry in explorers:
            if entry["error"]:
                lines.append(f"| `{entry['explorer']}` | — | — | — | — | — | — | — | — | error building: {entry['error']} |")
        for row in controls:
            if row["skipped"]:
                verdict = "skipped: " + row["skipped"]
            elif row["errors"] and not row["sets"]:
                verdict = "error: " + row["errors"][0]
            else:
                verdict = _ok(row["within_budget"]) + (f" ({row['failed_sets']} failed sets: {row['errors'][0]})" if row["errors"] else "")
            lines.append(
                f"| `{row['explorer']}` | `{row['control']}` | {row['kind']} | {row['values_tried']} | {row['sets']} "
                f"| {_fmt(row['median_ms'])} | {_fmt(row['p95_ms'])} | {_fmt(row['update_ms'])} / {_fmt(row['render_ms'])} "
                f"| {_fmt(row['largest_output_kb'])} | {verdict} |"
            )
        builds = ", ".join(f"`{e['explorer']}` {_fmt(e['build_ms'], 0)}" for e in explorers if not e["error"])
        if builds:
            lines += ["", f"Explorer build time (ms, includes the first update): {builds}."]
        lines.append("")
    elif "explorers" in results:
        lines += ["No explorer is registered yet (`course_lib.widgets.all_explorers()` is empty).", ""]
    imp = results.get("import")
    if imp:
        extra = ", ".join(f"`{k}` +{v:.0f}" for k, v in imp["module_extra_ms"].items())
        heavy = ", ".join(f"`{r['module']}` {r['self_ms']:.0f}" for r in imp["heaviest_imports"][:5])
        lines += [
            "| weight | value |",
            "|---|---|",
            f"| `import course_lib` (fresh interpreter, median of {imp['repeat']}) | {imp['course_lib_s']:.2f} s |",
            f"| `import pandas, altair` | {imp['pandas_altair_s']:.2f} s (ratio {imp['ratio']:.2f}) |",
            f"| `import pandas, altair` without the IRI grammar build that course_lib defers "
            f"| {imp['pandas_altair_without_iri_grammar_s']:.2f} s (ratio {imp['own_ratio']:.2f}: course_lib's own weight) |",
            f"| modules a notebook imports on top (ms) | {extra or '—'} |",
            f"| heaviest single imports under `import course_lib` (self ms, one run) | {heavy} |",
            "",
        ]
    suite = results.get("suite")
    if suite:
        lines += ["| test suite part | command | wall time (s) | result |", "|---|---|---:|---|"]
        for row in suite:
            lines.append(f"| {row['part']} | `{row['command']}` | {row['seconds']:.0f} | {row['summary']} |")
        lines += [f"| total | `python -m pytest` | {sum(r['seconds'] for r in suite):.0f} | |", ""]
    return "\n".join(lines)


def misses(results: dict) -> list[str]:
    """Every measurement over its budget or failing, one sentence each."""
    found = []
    for nb in results.get("notebooks", []):
        run = nb.get("run_all") or {}
        if run.get("error"):
            found.append(f"{nb['notebook']}: Run All failed: {run['error']}")
        elif run.get("within_budget") is False:
            found.append(f"{nb['notebook']}: Run All is {run['ratio']:.2f}× its import-only baseline (budget 1.5×)")
        if not nb["size_within_budget"]:
            found.append(f"{nb['notebook']}: {nb['size_kb']:.0f} KB with outputs (budget 300 KB)")
    for entry in results.get("explorers", []):
        if entry["error"]:
            found.append(f"{entry['explorer']}: building the explorer failed: {entry['error']}")
    for row in results.get("controls", []):
        if row["within_budget"] is False:
            found.append(f"{row['explorer']}.{row['control']}: p95 {row['p95_ms']:.0f} ms (budget 100 ms)")
        if row["errors"]:
            found.append(f"{row['explorer']}.{row['control']}: {row['errors'][0]}")
    return found


def run(*, mode: str = "full", notebooks_dir: Path = ROOT / "notebooks", builders: dict | None = None,
        select: str | None = None, sections: tuple = ("import", "notebooks", "controls", "suite"),
        repeat: int | None = None, sets: int | None = None, log=print) -> dict:
    """Measure everything ``sections`` names; return the results dict (see ``main`` for the CLI)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {sorted(MODES)}, got {mode!r}")
    settings = dict(MODES[mode])
    if repeat is not None:
        settings["repeat"] = settings["import_repeat"] = repeat
    if sets is not None:
        settings["sets_per_control"] = sets
    results = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "mode": mode,
               "settings": settings, "budgets": BUDGETS, "machine": machine()}
    log(f"load average at start: {results['machine']['load_average_start']}")
    if "import" in sections:
        log("import cost: fresh interpreters ...")
        results["import"] = import_cost(settings["import_repeat"])
    if "controls" in sections:
        if builders is None:
            from course_lib import widgets

            builders = widgets.all_explorers()
        if select:
            builders = {k: v for k, v in builders.items() if select in k}
        log(f"interaction latency: {len(builders)} explorers ...")
        results.update(measure_explorers(builders, settings["sets_per_control"]))
    if "notebooks" in sections:
        paths = notebook_paths(notebooks_dir, select)
        results["notebooks"] = []
        if paths and mode == "full":
            execute_seconds(baseline_notebook(_read(paths[0])), paths[0].parent)  # warm-up: disk caches
        for path in paths:
            log(f"Run All: {path.name} ...")
            entry = notebook_weight(path)
            entry["run_all"] = run_all_cost(path, settings["repeat"], log)
            results["notebooks"].append(entry)
    if "suite" in sections and settings["suite"]:
        log("suite time: unit, nbval, browser ...")
        results["suite"] = suite_time()
    results["machine"]["load_average_end"] = _load()
    results["misses"] = misses(results)
    return results


def _read(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one repetition, 3 sets per control, no suite time (CI)")
    parser.add_argument("--output", type=Path, default=None,
                        help="where to write the JSON (default: benchmarks/results.json in full mode; nothing in quick mode)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="folder of notebooks to measure")
    parser.add_argument("--select", default=None, help="only notebooks/explorers whose name contains this text")
    parser.add_argument("--sections", default="import,notebooks,controls,suite",
                        help="comma-separated subset of import,notebooks,controls,suite")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions of Run All and import timings")
    parser.add_argument("--sets", type=int, default=None, help="value changes per control")
    parser.add_argument("--profile", metavar="EXPLORER:CONTROL or NOTEBOOK", default=None,
                        help="profile one control (e.g. zeri.cascade_explorer:beer_hl) or one notebook "
                             "(e.g. 03_value_streams.ipynb) with cProfile, print where the time goes, and stop")
    args = parser.parse_args(argv)
    if args.profile:
        target = Path(args.profile)
        if target.suffix == ".ipynb":
            print(profile_notebook(target if target.is_file() else ROOT / "notebooks" / target))
        else:
            print(profile_control(args.profile, sets=args.sets or 20))
        return 0
    sections = tuple(s.strip() for s in args.sections.split(",") if s.strip())
    unknown = set(sections) - {"import", "notebooks", "controls", "suite"}
    if unknown:
        parser.error(f"--sections has unknown parts {sorted(unknown)}")
    mode = "quick" if args.quick else "full"
    results = run(mode=mode, notebooks_dir=args.notebooks, select=args.select, sections=sections,
                  repeat=args.repeat, sets=args.sets, log=lambda text: print(text, file=sys.stderr))
    print(markdown(results))
    if results["misses"]:
        print("Over budget or failing:\n" + "\n".join(f"- {m}" for m in results["misses"]))
    else:
        print("Everything measured is within budget.")
    output = args.output or (RESULTS if mode == "full" else None)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        # The same tables as printed, for the README's "Performance" section.
        output.with_suffix(".md").write_text(markdown(results) + "\n", encoding="utf-8")
        print(f"wrote {output} and {output.with_suffix('.md').name}", file=sys.stderr)
    return 0  # budgets are reported, not enforced: a busy machine must not fail CI


if __name__ == "__main__":
    if hasattr(faulthandler, "register"):  # not on Windows
        faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1 <pid>`: where is a long run?
    sys.exit(main())
