"""benchmarks/run.py still works: it finds every notebook and every control, and reports, never fails.

No test here asserts a timing (a busy CI machine must not fail the suite): they check that each
measurement runs, covers what it should, and records failures instead of crashing. The quick
end-to-end run is what CI uses to keep the benchmark alive.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import altair as alt
import ipywidgets as w
import nbformat
import pandas as pd
import pytest

from course_lib import widgets

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("benchmarks_run", ROOT / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


# --- control values -------------------------------------------------------------------------

CONTROLS = {
    "int slider": (lambda: w.IntSlider(value=3, min=0, max=100, step=1), 0, 100),
    "float slider on a step grid": (lambda: w.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.05), 0.0, 1.0),
    "log slider": (lambda: w.FloatLogSlider(value=10, base=10, min=-2, max=3), 0.01, 1000.0),
    "bounded float box": (lambda: w.BoundedFloatText(value=1, min=0, max=4), 0.0, 4.0),
    "play": (lambda: w.Play(value=0, min=0, max=20), 0, 20),
}


@pytest.mark.parametrize("name", CONTROLS)
def test_numeric_controls_are_sampled_from_min_to_max_with_valid_distinct_values(name):
    make, low, high = CONTROLS[name]
    control = make()
    values = bench.control_values(control, n=12)
    assert values[0] == pytest.approx(low) and values[-1] == pytest.approx(high)
    assert len(values) == len(set(values)) >= 6
    for value in values:
        control.value = value  # every value is accepted as it is
        assert control.value == pytest.approx(value)


def test_a_slider_narrower_than_n_gives_every_step():
    assert bench.control_values(w.IntSlider(min=1, max=4), n=12) == [1, 2, 3, 4]
    assert bench.control_values(w.FloatSlider(min=0, max=1, step=0.25), n=12) == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_selections_use_option_values_not_labels():
    assert bench.control_values(w.Dropdown(options=[("one kilo", 1), ("two kilos", 2), ("ten", 10)])) == [1, 2, 10]
    assert bench.control_values(w.RadioButtons(options=["a", "b"])) == ["a", "b"]
    assert bench.control_values(w.ToggleButtons(options=["x", "y", "z"])) == ["x", "y", "z"]
    assert bench.control_values(w.SelectionSlider(options=list("abcdefghijklmnop")), n=4) == ["a", "f", "k", "p"]
    assert bench.control_values(w.SelectMultiple(options=[1, 2])) == [(1,), (2,), (1, 2)]


def test_checkboxes_and_range_sliders():
    assert bench.control_values(w.Checkbox(value=False)) == [True, False]
    assert bench.control_values(w.ToggleButton(value=True)) == [True, False]
    ranges = bench.control_values(w.IntRangeSlider(value=(2, 5), min=0, max=10))
    assert ranges[0] == (5, 5) and ranges[-1] == (0, 10) and all(lo <= hi for lo, hi in ranges)
    slider = w.SelectionRangeSlider(options=list("abcde"), index=(0, 1))
    pairs = bench.control_values(slider)
    assert pairs == [("c", "c"), ("b", "d"), ("a", "e")]
    for pair in pairs:
        slider.value = pair


def test_free_text_is_not_guessed_and_n_is_checked():
    assert bench.control_values(w.Text(value="x")) == []
    with pytest.raises(ValueError, match="n must be at least 2"):
        bench.control_values(w.IntSlider(), n=1)


def test_percentile_matches_numpy_linear_method():
    values = [5.0, 1.0, 9.0, 3.0, 7.0, 2.0]  # sorted: 1 2 3 5 7 9; rank 0.95*5 = 4.75 -> 7 + 0.75*2
    assert bench.percentile(values, 95) == pytest.approx(8.5)
    assert bench.percentile(values, 50) == pytest.approx(4.0)
    with pytest.raises(ValueError):
        bench.percentile([], 95)


# --- interaction latency ----------------------------------------------------------------------


def _synthetic_explorer(calls):
    frame = pd.DataFrame({"x": range(10)})

    def update(n, scale, show):
        calls.append((n, scale, show))
        chart = alt.Chart(frame.head(n + 1)).mark_bar().encode(x="x:Q", y=alt.datum(scale))
        return chart if show else frame.head(n + 1)

    controls = {
        "n": w.IntSlider(value=4, min=0, max=9),
        "scale": w.Dropdown(options=[("small", 1.0), ("large", 10.0)], value=1.0),
        "show": w.Checkbox(value=True),
    }
    return widgets.Explorer(controls, update)


def test_every_control_is_set_many_times_and_restored():
    calls = []
    result = bench.measure_explorers({"demo.synthetic": lambda: _synthetic_explorer(calls)}, sets=7)
    assert [e["explorer"] for e in result["explorers"]] == ["demo.synthetic"]
    assert result["explorers"][0]["error"] is None and result["explorers"][0]["controls"] == 3
    rows = {row["control"]: row for row in result["controls"]}
    assert set(rows) == {"n", "scale", "show"}
    for row in rows.values():
        assert row["sets"] == row["n"] == 7 and row["errors"] == [] and row["skipped"] is None
        assert row["median_ms"] <= row["p95_ms"] <= row["max_ms"]
    # The slider went from its minimum to its maximum, the dropdown through both values, the
    # checkbox both ways: the values the update saw prove the real callback ran for every set.
    seen_n = {c[0] for c in calls}
    assert {0, 9} <= seen_n
    assert {c[1] for c in calls} == {1.0, 10.0}
    assert {c[2] for c in calls} == {True, False}
    # 1 build + 7 sets per control + 1 restore for a control whose cycle ended away from its default.
    assert 1 + 3 * 7 <= len(calls) <= 1 + 3 * 7 + 3
    assert calls[-1] == (4, 1.0, True)  # defaults restored
    assert rows["n"]["largest_output_kb"] > 0  # the chart spec was produced for every set


def test_failures_are_reported_not_raised():
    def flaky():
        def update(n):
            if n > 5:
                raise ValueError(f"n={n} is too large")
            return f"n is {n}"

        return widgets.Explorer({"n": w.IntSlider(value=1, min=0, max=9), "note": w.Text(value="free")},
                                lambda n, note: update(n))

    def broken():
        raise RuntimeError("cannot build")

    result = bench.measure_explorers({"demo.flaky": flaky, "demo.broken": broken}, sets=12)
    errors = {e["explorer"]: e["error"] for e in result["explorers"]}
    assert errors == {"demo.broken": "RuntimeError: cannot build", "demo.flaky": None}
    rows = {row["control"]: row for row in result["controls"]}
    assert rows["n"]["failed_sets"] > 0 and "too large" in rows["n"]["errors"][0]
    assert rows["n"]["sets"] + rows["n"]["failed_sets"] == 12
    assert rows["note"]["skipped"].startswith("Text") and rows["note"]["sets"] == 0
    found = bench.misses({**result, "notebooks": []})
    assert any("demo.broken" in m and "cannot build" in m for m in found)
    assert any(m.startswith("demo.flaky.n:") for m in found)


# --- notebooks ------------------------------------------------------------------------------


def test_baseline_takes_every_top_level_import_and_nothing_else():
    nb = nbformat.v4.new_notebook(metadata=KERNEL, cells=[
        nbformat.v4.new_code_cell("%load_ext autoreload\nimport course_lib\nfrom course_lib import data\nx = data.load('energy_table')"),
        nbformat.v4.new_code_cell("answer = (  # a student's unfinished cell"),
        nbformat.v4.new_code_cell("!ls\nif x is None:\n    import os\nimport math, json\nfrom course_lib import data"),
    ])
    assert bench.baseline_source(nb) == "import course_lib\nfrom course_lib import data\nimport math, json"
    baseline = bench.baseline_notebook(nb)
    assert [c.cell_type for c in baseline.cells] == ["code"] and baseline.metadata["kernelspec"]["name"] == "python3"
    assert bench.baseline_source(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])) == "pass"


def _chart_output(rows):
    chart = alt.Chart(pd.DataFrame({"x": range(rows)})).mark_point().encode(x="x:Q")
    return nbformat.v4.new_output("display_data", data={"application/vnd.vegalite.v5+json": chart.properties(title=f"{rows} rows").to_dict(),
                                                         "text/plain": "<VegaLite 5 object>"})


def test_weight_finds_the_largest_chart_and_its_inlined_rows(tmp_path):
    small, big = nbformat.v4.new_code_cell("small"), nbformat.v4.new_code_cell("big")
    small.outputs = [_chart_output(3)]
    big.outputs = [_chart_output(200), nbformat.v4.new_output("display_data", data={"text/html": "<p>table</p>"})]
    nb = nbformat.v4.new_notebook(metadata=KERNEL, cells=[small, nbformat.v4.new_markdown_cell("text"), big])
    path = tmp_path / "07_weight.ipynb"
    nbformat.write(nb, path)
    weight = bench.notebook_weight(path)
    assert weight["notebook"] == "07_weight.ipynb" and weight["charts"] == 2
    assert weight["largest_chart"]["cell"] == 2 and weight["largest_chart"]["rows"] == 200
    assert weight["largest_chart"]["title"] == "200 rows"
    assert weight["largest_other_output"] == {"cell": 2, "mimetype": "text/html", "bytes": len("<p>table</p>")}
    assert weight["size_kb"] == round(path.stat().st_size / 1024, 1) and weight["size_within_budget"]


def test_weight_reads_every_real_notebook():
    paths = bench.notebook_paths(ROOT / "notebooks")
    assert paths == sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        weight = bench.notebook_weight(path)
        assert weight["size_kb"] > 0 and weight["charts"] >= 0


# --- quick mode, end to end (what CI runs) ---------------------------------------------------


@pytest.mark.slow  # runs a notebook in a kernel and every explorer's controls
def test_quick_mode_covers_every_notebook_and_every_control(tmp_path, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook(metadata=KERNEL, cells=[
        nbformat.v4.new_markdown_cell("# A synthetic notebook"),
        nbformat.v4.new_code_cell("import course_lib\nfrom course_lib import data"),
        nbformat.v4.new_code_cell("data.load('energy_table').shape")])
    nbformat.write(nb, folder / "01_first.ipynb")
    (folder / "notes.md").write_text("not a notebook")
    output = tmp_path / "results.json"
    assert bench.main(["--quick", "--notebooks", str(folder), "--output", str(output)]) == 0
    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["mode"] == "quick" and "suite" not in results
    machine = results["machine"]
    assert machine["cores"] >= 1 and machine["python"] and len(machine["load_average_start"]) == 3
    assert [nb["notebook"] for nb in results["notebooks"]] == ["01_first.ipynb"]
    for nb in results["notebooks"]:
        run = nb["run_all"]
        assert run["error"] is None and run["ratio"] > 0 and len(run["ratios"]) == 1
        assert run["baseline_source"] == "import course_lib\nfrom course_lib import data"
        assert run["slowest_cells"][0]["cell"] in (1, 2)
    # Every control of every explorer course_lib builds has a row: discovery, not a list.
    expected = {(key, name) for key, build in widgets.all_explorers().items() for name in build().controls}
    assert {(row["explorer"], row["control"]) for row in results["controls"]} == expected
    assert results["import"]["course_lib_s"] > 0 and results["import"]["pandas_altair_s"] > 0
    assert (tmp_path / "results.md").read_text(encoding="utf-8").startswith("Measured ")
    printed = capsys.readouterr().out
    assert "| `01_first.ipynb` |" in printed and "ratio (≤ 1.5)" in printed
    for key, name in expected:
        assert f"| `{key}` | `{name}` |" in printed


def test_quick_mode_writes_nothing_unless_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "RESULTS", tmp_path / "never.json")
    assert bench.main(["--quick", "--sections", "controls", "--select", "no-such-explorer"]) == 0
    assert not (tmp_path / "never.json").exists()
    with pytest.raises(SystemExit):
        bench.main(["--quick", "--sections", "controls,bogus"])


# --- import course_lib stays light --------------------------------------------------------------


@pytest.mark.slow  # a fresh Python
def test_import_course_lib_defers_the_iri_parser_and_iri_checks_still_work():
    """course_lib postpones rfc3987_syntax's grammar build (1-2 s) until an IRI is checked (_speedups)."""
    code = (
        "import sys, course_lib, course_lib.charts, altair\n"
        "print('rfc3987_syntax.syntax_helpers' in sys.modules)\n"
        "import jsonschema\n"
        "checker = jsonschema.Draft7Validator.FORMAT_CHECKER\n"
        "print(checker.conforms('https://example.org/ä', 'iri'), checker.conforms('not an iri', 'iri'))\n"
        "print('rfc3987_syntax.syntax_helpers' in sys.modules)\n"
        "print(altair.renderers.active, altair.theme.active)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    if importlib.util.find_spec("rfc3987_syntax") is not None:
        assert lines[0] == "False"  # not built by the import
        assert lines[1] == "True False"  # a valid IRI passes, an invalid one fails, as without course_lib
        assert lines[2] == "True"  # built on first use
    assert lines[3] == "course course"  # the offline renderer and theme are still switched on


# --- explorers redraw without re-checking the chart schema (course_lib/widgets.py) --------------


def test_explorer_checks_a_chart_on_its_first_draw_and_then_sends_the_same_spec_unchecked():
    frame = pd.DataFrame({"x": [1, 2, 3]})

    def update(width):
        chart = alt.Chart(frame).mark_bar().encode(x="x:Q")
        chart.width = width if width >= 0 else "not a width"  # assignment is not validated; to_dict() is
        return chart

    box = widgets.Explorer({"width": w.IntSlider(value=200, min=-1, max=400)}, update)
    assert box.displayed() is box.result  # first draw: Altair validates the spec when it displays it
    box.controls["width"].value = 300
    shown = box.displayed()
    assert shown is not box.result
    assert shown._repr_mimebundle_() == box.result._repr_mimebundle_()  # same bundle, same renderer
    assert shown.spec["width"] == 300
    box.controls["width"].value = -1  # an invalid spec still reaches the tests through .result
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        box.result.to_dict()
    assert box.displayed().spec["width"] == "not a width"  # the redraw itself does not re-check


def test_explorer_shows_anything_else_as_it_is():
    box = widgets.Explorer({"n": w.IntSlider(value=2)}, lambda n: pd.DataFrame({"n": [n]}))
    box.controls["n"].value = 3
    assert box.displayed() is box.result


# --- Altair's schema-to-class table is built once (course_lib/_speedups.py) ----------------------

_CHARTS = """
import json, sys
import altair as alt, pandas as pd
if sys.argv[1] == "course":
    import course_lib.charts
from altair.utils import schemapi
tables = []  # every class table handed out (kept alive, so ids stay distinct)
original = schemapi._FromDict.__init__
def counting(self, *args):
    original(self, *args)
    tables.append(self.class_dict)
schemapi._FromDict.__init__ = counting
frame = pd.DataFrame({"year": [2000, 2010], "value": [1.5, 2.5], "kind": ["a", "b"]})
base = alt.Chart(frame)
charts = [
    base.mark_line().encode(x="year:O", y=alt.Y("value:Q", title="Value"), color="kind:N"),
    base.mark_bar().encode(x="sum(value):Q", y="kind", tooltip=["year:O", "value:Q"]),
    base.mark_point().encode(x="year:Q", y="value:Q").transform_filter("datum.value > 2") + base.mark_rule().encode(y="mean(value):Q"),
]
specs = [c.to_dict(validate=True) for c in charts]
for spec in specs:
    spec.pop("config", None)  # course_lib's theme adds a config; compare the rest
print(json.dumps({"specs": specs, "lookups": len(tables), "builds": len({id(t) for t in tables})}, sort_keys=True))
"""


@pytest.mark.slow  # a fresh Python per mode
def test_shared_class_table_gives_the_same_charts_and_is_built_once():
    runs = {}
    for mode in ("plain", "course"):
        done = subprocess.run([sys.executable, "-c", _CHARTS, mode], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
        runs[mode] = json.loads(done.stdout)
    assert runs["course"]["specs"] == runs["plain"]["specs"]
    assert runs["plain"]["lookups"] == runs["course"]["lookups"] >= 8  # one per shorthand channel
    assert runs["plain"]["builds"] == runs["plain"]["lookups"]  # Altair alone: a new table each time
    assert runs["course"]["builds"] == 1  # with course_lib: built once, then shared
