"""Notebook hygiene: committed executed top to bottom, no CDN/script outputs, charts titled, small.

nbval (run by the same pytest command) re-executes every notebook; these checks read the stored
files, which is what a self-paced reader opens without a kernel.
"""

import json
from pathlib import Path

import pytest

from course_lib import charts

NOTEBOOKS = sorted(p for p in (Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
MAX_KB = 512  # hard cap here; the performance budget (300 KB) is reported by benchmarks/run.py
FORBIDDEN = ("<script", "cdn.jsdelivr", "unpkg.com", "cdnjs", "require.js", "vega@", "application/javascript")


def _code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    return request.param, json.loads(request.param.read_text(encoding="utf-8"))


def test_there_is_a_start_here_notebook():
    assert any(p.name == "00_start_here.ipynb" for p in NOTEBOOKS)


def test_committed_executed_top_to_bottom(notebook):
    path, nb = notebook
    counts = [c.get("execution_count") for c in _code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: run 'Restart kernel and run all' before committing (counts {counts})"


def test_no_errors_or_warnings_stored(notebook):
    path, nb = notebook
    for i, cell in enumerate(_code_cells(nb), start=1):
        # A cell tagged raises-exception shows an error on purpose (00 teaches reading one): it must
        # be one of the course's own errors, which say what is wrong in words.
        on_purpose = "raises-exception" in cell.get("metadata", {}).get("tags", []) and "exercise" not in cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if on_purpose and output["output_type"] == "error":
                assert output["ename"] in ("ValueError", "TypeError"), f"{path.name} code cell {i}: {output['ename']}"
                continue
            assert output["output_type"] != "error", f"{path.name} code cell {i}: stored error {output.get('ename')}"
            if output["output_type"] == "stream":
                assert output["name"] != "stderr", f"{path.name} code cell {i}: printed to stderr: {''.join(output['text'])[:200]}"


def test_outputs_need_no_cdn_and_no_trust(notebook):
    path, nb = notebook
    for i, cell in enumerate(_code_cells(nb), start=1):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert "application/javascript" not in data, f"{path.name} code cell {i}: JavaScript output needs trust"
            assert not any(k.startswith("application/vnd.vegalite.v6") for k in data), f"{path.name} cell {i}: Vega-Lite v6 is blank in JupyterLab 4.6"
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            for marker in FORBIDDEN:
                assert marker not in html, f"{path.name} code cell {i}: HTML output contains {marker!r}: blank offline or untrusted"


def test_every_stored_chart_is_titled_sourced_and_described(notebook):
    path, nb = notebook
    for i, cell in enumerate(_code_cells(nb), start=1):
        for output in cell.get("outputs", []):
            spec = output.get("data", {}).get("application/vnd.vegalite.v5+json")
            if spec is None:
                continue
            assert spec.get("description"), f"{path.name} code cell {i}: chart without a description (use charts.finish)"
            title = spec.get("title")
            subtitle = title.get("subtitle", "") if isinstance(title, dict) else ""
            assert "Source:" in str(subtitle), f"{path.name} code cell {i}: chart without a source line (use charts.finish)"
            # The text stored beside it is what a reader without JupyterLab gets: the chart in words.
            plain = "".join(output["data"].get("text/plain", ""))
            assert plain == charts.text_alternative(spec), f"{path.name} code cell {i}: text/plain is not the chart's text alternative"


def test_notebook_is_small(notebook):
    path, _ = notebook
    assert path.stat().st_size <= MAX_KB * 1024, f"{path.name} is {path.stat().st_size // 1024} KB: keep data in datasets/"


def test_notebook_opens_with_objectives_and_ends_with_sources(notebook):
    path, nb = notebook
    first = "".join(nb["cells"][0]["source"])
    assert nb["cells"][0]["cell_type"] == "markdown" and first.lstrip().startswith("# "), f"{path.name}: first cell must be the title"
    assert "objective" in first.lower() or "you will" in first.lower(), f"{path.name}: first cell states no learning objectives"
    text = json.dumps(nb)
    assert "cite(" in text, f"{path.name}: no Sources section citing its datasets"


def test_solutions_are_tagged(notebook):
    path, nb = notebook
    tags = [t for c in nb["cells"] for t in c.get("metadata", {}).get("tags", [])]
    checks = sum("check(" in "".join(c["source"]) for c in _code_cells(nb))
    if checks:
        assert "solution" in tags, f"{path.name}: has exercise checks but no cell tagged 'solution'"


def test_the_readme_course_map_lists_every_notebook_with_its_stated_time():
    """The README's map and each notebook's own time (metadata.course.time) say the same."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        row = re.search(rf"^\| `{re.escape(path.name)}` \|.*\| ([^|]+) \|[^|]+\|$", readme, re.M)
        assert row, f"{path.name} is not in the README's course map"
        stated = re.search(r"\d+", nb["metadata"]["course"]["time"]).group(0)
        assert row.group(1).strip().startswith(f"{stated} min"), f"{path.name}: README says {row.group(1)!r}, the notebook {stated} min"
