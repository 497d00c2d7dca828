"""Tests of course_tools.build: student versions, the static site, handouts, the lecture outline.

Each build is checked on the demo notebook (``tests/harness/demo.py``, every feature, no kernel
needed to make it) and on whatever notebooks exist in ``notebooks/`` (discovered, never listed).
Student versions are checked without a kernel: nbval runs each notebook's instructor version, and
the student version differs from it only by the cells it leaves out, so no later cell may read a
name whose value came from a removed cell (a static check with ``ast``). Instructor notes (cells
tagged ``instructor``) reach no student build.
Front matter is read from each notebook's metadata (``metadata["course"]``); the tests check that
it agrees with what the notebook's first cell tells people.
"""

from __future__ import annotations

import ast
import builtins
import json
import re
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbclient
import nbformat
import pytest

from course_tools import build
from course_tools.build.markup import markdown
from tests.harness.demo import DEMO_SECRET, demo_notebook

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = build.discover(REPO / "notebooks")
IDS = [p.stem for p in NOTEBOOKS]
# How a note for instructors announces itself ("For instructors.", "Rubric for instructors", "For the instructor: ...").
INSTRUCTOR_TEXT = re.compile(r"\bfor (?:the )?instructors?\b", re.I)


@pytest.fixture
def demo(tmp_path) -> Path:
    path = tmp_path / "src" / "01_demo.ipynb"
    path.parent.mkdir()
    nbformat.write(demo_notebook(), path)
    return path


def _vegalite_specs(nb) -> list[dict]:
    """Every Vega-Lite spec in a notebook, found by walking the raw JSON (independent of build)."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == build.VEGALITE_MIME:
                    found.append(inner)
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk([c.get("outputs", []) for c in nb.cells])
    state = nb.metadata.get("widgets", {}).get(build.WIDGET_STATE_MIME, {}).get("state", {})
    walk(state)
    return found


def _solution_text(nb) -> set[str]:
    """Lines of solution cells (source and printed output) found nowhere else in ``nb``.

    "Elsewhere" includes other cells' outputs and the saved widget state: an explorer whose
    default view shows a figure that a solution also prints does not count as a leak.
    """
    inside, outside = set(), []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        texts = [cell.source] + [
            "".join(o.get("text", "")) if o.get("output_type") == "stream"
            else "".join(o.get("data", {}).get("text/plain", ""))
            for o in cell.get("outputs", [])
        ]
        if "solution" in tags:
            inside.update(line.strip() for text in texts for line in text.splitlines() if len(line.strip()) >= 8)
        else:
            outside += texts + [json.dumps(cell.get("outputs", []), ensure_ascii=False)]
    outside.append(json.dumps(nb.metadata.get("widgets", {}), ensure_ascii=False))
    blob = "\n".join(outside)
    return {line for line in inside if line not in blob}


# ------------------------------------------------------------------------------------ discover

def test_discover_finds_notebooks_sorted_and_skips_checkpoints(tmp_path):
    for name in ["02_b.ipynb", "00_a.ipynb", "notes.txt"]:
        (tmp_path / name).write_text("{}")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "00_a-checkpoint.ipynb").write_text("{}")
    assert [p.name for p in build.discover(tmp_path)] == ["00_a.ipynb", "02_b.ipynb"]


def test_discover_and_paths_validate_arguments(tmp_path):
    with pytest.raises(ValueError, match="is not a directory"):
        build.discover(tmp_path / "missing")
    with pytest.raises(TypeError, match="folder must be a path"):
        build.discover(3)
    with pytest.raises(ValueError, match="missing.ipynb"):
        build.build_student([tmp_path / "missing.ipynb"], tmp_path / "out")
    with pytest.raises(TypeError, match="notebooks must be paths"):
        build.build_student([3], tmp_path / "out")
    with pytest.raises(TypeError, match="out must be a folder path"):
        build.build_student([], out=3)
    with pytest.raises(TypeError, match="nb must be an nbformat NotebookNode"):
        build.student_notebook({"cells": []})


def test_builds_refuse_to_overwrite_the_course(demo, tmp_path):
    for command in (build.build_student, build.build_handouts, build.build_site):
        with pytest.raises(ValueError, match="would overwrite the course's own files"):
            command([demo], demo.parent)
        with pytest.raises(ValueError, match="would overwrite the course's own files"):
            command([demo], demo.parent.parent)  # the folder above the notebooks: the course's own
    with pytest.raises(ValueError, match="would overwrite the course's own files"):
        build.build_student(NOTEBOOKS[:1], REPO)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("keep me")
    with pytest.raises(ValueError, match="is a folder with other files in it"):
        build.build_site([demo], tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.txt").read_text() == "keep me"


def test_the_repository_notebooks_are_discovered():
    assert NOTEBOOKS == sorted((REPO / "notebooks").glob("*.ipynb"))
    assert any(p.name == "00_start_here.ipynb" for p in NOTEBOOKS)


def test_default_folders_follow_the_current_folder(demo, tmp_path, monkeypatch):
    """notebooks/ and build/ of the current folder; the checkout's notebooks/ when there is none."""
    (tmp_path / "course" / "notebooks").mkdir(parents=True)
    copy = tmp_path / "course" / "notebooks" / demo.name
    copy.write_bytes(demo.read_bytes())
    monkeypatch.chdir(tmp_path / "course")
    assert build.discover() == [Path.cwd() / "notebooks" / demo.name]
    written = build.build_student()
    assert written == [tmp_path / "course" / "build" / "student" / demo.name]
    monkeypatch.chdir(tmp_path)  # no notebooks/ here: the checkout's own
    assert build.discover() == NOTEBOOKS
    assert build.build_dir() == tmp_path / "build"


def test_a_folder_stands_for_its_notebooks(demo, tmp_path):
    written = build.build_student(demo.parent, tmp_path / "student")
    assert written == [tmp_path / "student" / demo.name]


# --------------------------------------------------------------------------------- front matter

def _first_cell_text(nb, tag: str | None = None) -> str:
    """The first markdown cell (with ``tag``: the first one so tagged) as plain words: no quote
    marks, list markers or line breaks."""
    first = next(c for c in nb.cells if c.cell_type == "markdown"
                 and (tag is None or tag in c.metadata.get("tags", []))).source
    lines = [re.sub(r"^\s*(?:>\s?)?\s*(?:(?:[-*+]|\d+[.)])\s+)?", "", line) for line in first.splitlines()]
    return " ".join(" ".join(lines).split())


def test_front_matter_reads_the_notebook_metadata():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Cell title\n\nText.")])
    nb.metadata["course"] = {"title": "01 · T", "time": "30 min", "prerequisites": "00",
                             "objectives": ["one", " two "], "instructors": "Pause twice.", "version": "student"}
    assert build.front_matter(nb) == {"title": "01 · T", "time": "30 min", "prerequisites": "00",
                                      "objectives": ["one", "two"], "instructors": "Pause twice.", "sessions": {}}


def test_front_matter_without_a_title_takes_the_first_heading():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# a comment, not a heading"),
                                         nbformat.v4.new_markdown_cell("Intro\n\n# The title\n\n# Another")])
    nb.metadata["course"] = {"time": "5 min"}
    meta = build.front_matter(nb)
    assert (meta["title"], meta["time"], meta["objectives"]) == ("The title", "5 min", [])


def test_front_matter_of_a_notebook_without_metadata_or_heading_is_empty():
    meta = build.front_matter(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
    assert meta == {"title": "", "time": "", "prerequisites": "", "objectives": [], "instructors": "", "sessions": {}}


@pytest.mark.parametrize(("course", "message"), [
    ({"objectives": "read a table"}, r'metadata\["course"\]\["objectives"\] must be a list of texts, got \'read a table\''),
    ({"objectives": ["ok", 3]}, r'\["objectives"\] must be a list of texts, got \[\'ok\', 3\]'),
    ({"time": 45}, r'metadata\["course"\]\["time"\] must be text, got 45 \(int\)'),
    ("45 min", r'metadata\["course"\] must be a mapping of front-matter fields, got \'45 min\''),
])
def test_front_matter_refuses_malformed_metadata(course, message):
    nb = nbformat.v4.new_notebook()
    nb.metadata["course"] = course
    with pytest.raises(TypeError, match=message):
        build.front_matter(nb)
    with pytest.raises(TypeError, match="nb must be an nbformat NotebookNode, got dict"):
        build.front_matter({"cells": [], "metadata": {}})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_notebook_has_front_matter_that_its_first_cell_repeats(path):
    """The course map and the lecture outline are built from the metadata; readers see the first
    cell, instructors their own note (a cell tagged ``instructor``). Both must say the same: edit
    one, edit the other."""
    nb = nbformat.read(path, as_version=4)
    assert set(nb.metadata.get("course", {})) >= {"title", "time", "objectives", "instructors"}, path.name
    meta = build.front_matter(nb)
    assert meta["title"] and meta["time"] and meta["instructors"], f"{path.name}: incomplete front matter {meta}"
    assert len(meta["objectives"]) >= 3, f"{path.name}: objectives {meta['objectives']}"
    first = next(c for c in nb.cells if c.cell_type == "markdown").source
    assert first.splitlines()[0] == f"# {meta['title']}", f"{path.name}: title differs from the first cell's"
    words = _first_cell_text(nb)
    for text in [meta["time"], meta["prerequisites"], *meta["objectives"]]:
        assert " ".join(text.split()) in words, f"{path.name}: front matter {text!r} is not in the first cell"
    assert not re.search(INSTRUCTOR_TEXT, words), f"{path.name}: a note for instructors in the first cell, untagged"
    note = _first_cell_text(nb, tag=build.INSTRUCTOR_TAG)
    assert " ".join(meta["instructors"].split()) in note, f"{path.name}: front matter's note for instructors is not in its cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_notebook_has_slides(path):
    """The first cell and every section (``## `` heading) start a slide, so no section runs on as one long slide."""
    nb = nbformat.read(path, as_version=4)

    def kind(cell):
        return cell.metadata.get("slideshow", {}).get("slide_type")

    assert kind(nb.cells[0]) == "slide", f"{path.name}: the first cell is not a slide"
    sections = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert len(sections) >= 3, f"{path.name}: {len(sections)} sections"
    loose = [c.source.splitlines()[0] for c in sections if kind(c) != "slide"]
    assert not loose, f"{path.name}: sections that start no slide (slideshow.slide_type 'slide'): {loose}"


# ----------------------------------------------------------------------------- student versions

def test_student_version_of_demo_removes_solutions_and_keeps_the_rest(demo, tmp_path):
    written = build.build_student([demo], tmp_path / "student")
    assert written == [tmp_path / "student" / "01_demo.ipynb"]
    original = nbformat.read(demo, as_version=4)
    student = nbformat.read(written[0], as_version=4)
    text = written[0].read_text(encoding="utf-8")
    assert DEMO_SECRET in demo.read_text(encoding="utf-8")  # the source keeps its solutions
    assert DEMO_SECRET not in text
    notes = [c for c in original.cells if build.INSTRUCTOR_TAG in c.metadata.get("tags", [])]
    assert len(notes) == 1 and len(student.cells) == len(original.cells) - 1  # the note for instructors is left out
    assert not re.search(INSTRUCTOR_TEXT, text) and "instructors" not in student.metadata["course"]
    original.cells.remove(notes[0])
    removed = [c for c in student.cells if "solution-removed" in c.metadata.get("tags", [])]
    assert [c.cell_type for c in removed] == ["code", "markdown"]
    assert removed[0].source == build.STUB_CODE and removed[0].outputs == []
    assert removed[0].source.startswith("# your answer here")
    assert removed[1].source == build.STUB_MARKDOWN
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    exercise = next(c for c in student.cells if "exercise" in c.metadata.get("tags", []))
    assert exercise.outputs == [] and exercise.execution_count is None
    assert "raises-exception" in exercise.metadata["tags"]
    assert exercise.source == next(c for c in original.cells if "exercise" in c.metadata.get("tags", [])).source
    # Everything else is kept: both charts (one inside the explorer's saved state), slides, text.
    assert len(_vegalite_specs(student)) == 2
    for kept, source in zip(student.cells, original.cells):
        if not {"solution", "exercise"} & set(source.metadata.get("tags", [])):
            assert kept.source == source.source and kept.get("outputs") == source.get("outputs")
            assert kept.metadata.get("slideshow") == source.metadata.get("slideshow")
    assert student.metadata["course"]["version"] == "student"


@pytest.mark.slow  # two builds: seconds
def test_files_beside_the_notebooks_are_copied_to_student_and_site(demo, tmp_path):
    (demo.parent / "park_template").mkdir()
    (demo.parent / "park_template" / "exchanges.csv").write_text("a,b\n1,2\n")
    (demo.parent / "README.md").write_text("instructors only")
    (demo.parent / ".ipynb_checkpoints").mkdir()
    for out in (tmp_path / "student", tmp_path / "site"):
        if out.name == "student":
            build.build_student([demo], out)
        else:
            build.build_site([demo], out)
        assert (out / "park_template" / "exchanges.csv").read_text() == "a,b\n1,2\n"
        assert not (out / "README.md").exists() and not (out / ".ipynb_checkpoints").exists()


def test_student_version_through_nbconvert(demo):
    """The same steps run as an nbconvert exporter (``jupyter nbconvert --to <class path>``)."""
    from nbconvert.exporters import get_exporter

    exporter = get_exporter("course_tools.build.student.StudentExporter")()
    text, _ = exporter.from_filename(str(demo))
    assert DEMO_SECRET not in text and DEMO_SECRET in demo.read_text(encoding="utf-8")
    assert nbformat.reads(text, as_version=4) == build.student_notebook(nbformat.read(demo, as_version=4))


def test_student_version_drops_widget_state_only_solutions_showed():
    nb = demo_notebook()
    state = nb.metadata["widgets"][build.WIDGET_STATE_MIME]["state"]
    secret_id = "f" * 32
    state[secret_id] = {"model_name": "HTMLModel", "state": {"value": f"answer: {DEMO_SECRET}"}}
    solution = next(c for c in nb.cells if "solution" in c.metadata.get("tags", []) and c.cell_type == "code")
    solution.outputs.append(nbformat.v4.new_output(
        "display_data", data={build.WIDGET_VIEW_MIME: {"model_id": secret_id}, "text/plain": "HTML()"}))
    student = build.student_notebook(nb)
    kept = student.metadata["widgets"][build.WIDGET_STATE_MIME]["state"]
    assert secret_id not in kept
    assert len(kept) == 4  # the explorer: box, row, slider, output
    assert secret_id in state  # the instructor version is untouched


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_solution_text_survives_in_student_version(path, tmp_path):
    original = nbformat.read(path, as_version=4)
    secret = _solution_text(original)
    if any("solution" in c.metadata.get("tags", []) for c in original.cells):
        assert secret, f"{path.name}: its solution cells hold nothing to look for"  # the check has teeth
    (written,) = build.build_student([path], tmp_path)
    text = written.read_text(encoding="utf-8")
    student = nbformat.read(written, as_version=4)
    leaked = sorted(line for line in secret if line in text)
    assert not leaked, f"solution text left in the student version of {path.name}: {leaked[:3]}"
    for cell in student.cells:
        if "exercise" in cell.metadata.get("tags", []) and cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: an exercise cell kept its output"


def _run(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError on an error outside cells tagged raises-exception
    return nb


def _errors(nb) -> list[str]:
    """Errors a student would meet, leaving out a cell that shows one on purpose (00 teaches reading an
    error message: tagged raises-exception, not an exercise)."""
    def on_purpose(cell) -> bool:
        tags = cell.metadata.get("tags", [])
        return "raises-exception" in tags and "exercise" not in tags
    return [f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
            for i, c in enumerate(nb.cells) if not on_purpose(c) for o in c.get("outputs", []) if o.get("output_type") == "error"]


@pytest.mark.slow
def test_student_version_of_demo_runs(demo, tmp_path):
    """The stubs are valid code and an exercise as handed out prints feedback (the demo, in a kernel)."""
    (written,) = build.build_student([demo], tmp_path / "student")
    nb = _run(written)
    assert _errors(nb) == []
    exercise = next(c for c in nb.cells if "exercise" in c.metadata.get("tags", []))
    shown = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in exercise.outputs)
    assert "Not yet" in shown  # the check showed feedback (a display output carrying the attempt log)


REMOVED = ("solution", build.INSTRUCTOR_TAG)  # cells a student version leaves out or replaces by a stub
BUILTINS = set(dir(builtins)) | {"display", "get_ipython", "In", "Out", "_", "__", "___"}


def _bound_and_read(source: str) -> tuple[set[str], set[str]]:
    """Names a code cell binds (assigns, imports, defines, or changes in place: ``x[k] = v``,
    ``x.a = v``) and names it reads from earlier cells. IPython's ``%magic`` and ``!shell`` lines
    are turned into Python first, as the kernel does."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    bound, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            base = node.value
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if isinstance(base, ast.Name):
                bound.add(base.id)  # changed in place: its value now comes from this cell too
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            loaded.add(node.target.id)  # x += 1 reads x first
    augmented = {n.target.id for n in ast.walk(tree) if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)}
    return bound, (loaded - bound) | augmented


def dependencies_on_removed_cells(nb: nbformat.NotebookNode) -> list[str]:
    """Cells a student version keeps that read a name it would not have, or only as a placeholder.

    Walks the instructor version (the one nbval runs, top to bottom) remembering, for each name,
    the last code cell that bound it, and the last one the student version keeps. A kept cell that
    reads a name last bound by a cell tagged ``solution`` or ``instructor`` fails in the student
    version when no kept cell bound it before (NameError), or gets an exercise's placeholder
    (``answer = None``) when that is the last kept cell to bind it. A name that earlier kept code
    sets to a working value (the park a student extends in an exercise) is the student's own and
    may differ. Returns one line per such read.
    """
    origin: dict[str, tuple[int, str]] = {}  # name -> (cell number, tag of the removed cell or "")
    kept: dict[str, tuple[int, bool]] = {}  # name -> (cell number, bound in a cell tagged exercise)
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        removed = next((t for t in REMOVED if t in tags), "")
        bound, read = _bound_and_read(cell.source)
        if not removed:
            for name in sorted(read - BUILTINS):
                where, tag = origin.get(name, (0, ""))
                if not tag:
                    continue
                if name not in kept:
                    found.append(f"cell {number} reads {name!r}, set only by cell {where} (tagged {tag!r})")
                elif kept[name][1]:
                    found.append(f"cell {number} reads {name!r}, set by cell {where} (tagged {tag!r}); "
                                 f"a student has the placeholder of exercise cell {kept[name][0]}")
        for name in bound:
            origin[name] = (number, removed)
            if not removed:
                kept[name] = (number, "exercise" in tags)
    return found


def test_the_dependency_check_finds_a_cell_reading_a_solution():
    code, md = nbformat.v4.new_code_cell, nbformat.v4.new_markdown_cell
    nb = nbformat.v4.new_notebook(cells=[
        code("import pandas as pd\nanswer = None  # your answer", metadata={"tags": ["exercise"]}),
        code("answer = 42\ntotal = answer * 2\nframe = pd.DataFrame()", metadata={"tags": ["solution"]}),
        md("Text."),
        code("frame2 = pd.DataFrame()\nframe2['x'] = 1"),
        code("table = {}\ntable['k'] = 1", metadata={"tags": ["instructor"]}),
        code("%time y = 1\nprint(answer, frame2, y)"),
        code("def show(answer):\n    return answer\nprint(total + len(table))"),
        code("total = 3\nprint(total)"),
        code("park = frame2.copy()  # a student's own, to extend"),
        code("park = frame2.assign(y=2)", metadata={"tags": ["solution"]}),
        code("print(park)"),
    ])
    assert dependencies_on_removed_cells(nb) == [
        "cell 6 reads 'answer', set by cell 2 (tagged 'solution'); a student has the placeholder of exercise cell 1",
        "cell 7 reads 'table', set only by cell 5 (tagged 'instructor')",
        "cell 7 reads 'total', set only by cell 2 (tagged 'solution')",
    ]
    assert dependencies_on_removed_cells(demo_notebook()) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_version_needs_nothing_a_removed_cell_set(path):
    """No later cell depends on a removed solution or instructor cell; with nbval running the
    instructor version, each student version then runs as handed out (exercise cells included)."""
    nb = nbformat.read(path, as_version=4)
    assert dependencies_on_removed_cells(nb) == [], path.name
    student = build.student_notebook(nb)
    kept = [c.source for c in nb.cells if c.cell_type == "code" and not set(REMOVED) & set(c.metadata.get("tags", []))]
    assert [c.source for c in student.cells if c.cell_type == "code" and "solution-removed" not in c.metadata.get("tags", [])] == kept
    for cell in student.cells:  # the stubs are comments only: they run and set nothing
        if "solution-removed" in cell.metadata.get("tags", []) and cell.cell_type == "code":
            assert _bound_and_read(cell.source) == (set(), set())


def test_no_instructor_note_reaches_a_student_build(tmp_path):
    """Student notebooks of the course: no cell tagged ``instructor``, no "For instructors" text
    (the student site: tests/browser/test_accessibility.py, which builds it; the in-browser
    notebooks: tests/browser/test_lite.py)."""
    tagged = {p.name: sum(build.INSTRUCTOR_TAG in c.metadata.get("tags", []) for c in nbformat.read(p, as_version=4).cells)
              for p in NOTEBOOKS}
    assert all(tagged.values()), f"every notebook has a note for instructors, tagged: {tagged}"
    for path in NOTEBOOKS:  # the instructor version: every such note tagged (or in a removed solution)
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
            if INSTRUCTOR_TEXT.search(cell.source):
                assert set(REMOVED) & set(cell.metadata.get("tags", [])), f"{path.name} cell {number}: an untagged note for instructors"
    for written in build.build_student(NOTEBOOKS, tmp_path / "student"):
        text = written.read_text(encoding="utf-8")
        assert not INSTRUCTOR_TEXT.search(text), f"{written.name}: {INSTRUCTOR_TEXT.search(text).group()!r}"
        nb = nbformat.read(written, as_version=4)
        assert not any(build.INSTRUCTOR_TAG in c.metadata.get("tags", []) for c in nb.cells), written.name
        assert "instructors" not in nb.metadata["course"] and "sessions" not in nb.metadata["course"], written.name


# ------------------------------------------------------------------------------------ handouts

def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_handouts_export_every_chart_of_the_demo(demo, tmp_path):
    out = tmp_path / "handouts"
    files = build.build_handouts([demo], out)
    folder = out / "01_demo"
    assert sorted(p.name for p in files) == sorted(
        f"{stem}.{fmt}" for stem in ("01-scaled-bars", "02-2-points") for fmt in ("png", "svg", "pdf"))
    svg = (folder / "01-scaled-bars.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Scaled bars" in svg
    width, height = (int(float(v)) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', svg).groups())
    png_width, png_height = _png_size((folder / "01-scaled-bars.png").read_bytes())
    assert (png_width, png_height) == (2 * width, 2 * height)  # scale 2: sharp on slides
    assert (folder / "01-scaled-bars.pdf").read_bytes()[:5] == b"%PDF-"
    listing = (folder / "README.md").read_text(encoding="utf-8")
    assert "## 1. Scaled bars" in listing and "Three bars; a slider scales them." in listing
    assert "## 2. 2 points (default view of a live explorer)" in listing


def test_handouts_formats_and_stale_files(demo, tmp_path):
    out = tmp_path / "handouts"
    build.build_handouts([demo], out, formats="svg,pdf")
    (out / "01_demo" / "99-old.png").write_bytes(b"old")
    files = build.build_handouts([demo], out, formats=["png"])
    assert sorted(p.name for p in (out / "01_demo").iterdir()) == ["01-scaled-bars.png", "02-2-points.png", "README.md"]
    assert len(files) == 2
    with pytest.raises(ValueError, match=r"\['jpg'\] not supported; choose from png, svg, pdf"):
        build.build_handouts([demo], out, formats="png,jpg")
    with pytest.raises(ValueError, match="formats must be a non-empty list"):
        build.build_handouts([demo], out, formats=[])


# ---------------------------------------------------------------------------------------- site

def test_tex_in_markdown_becomes_mathml():
    html = markdown(r"Growth $$ \text{regrowth} = r\,N\left(1 - \frac{N}{K}\right) $$ at $N_0 < K$.")
    block, inline = re.findall(r"<math\b.*?</math>", html, re.S)
    assert 'display="block"' in block and "<mtext>regrowth</mtext>" in block
    assert "<mfrac><mrow><mi>N</mi></mrow><mrow><mi>K</mi></mrow></mfrac>" in block
    assert block.count('stretchy="true"') == 2  # \left( ... \right) grow with the fraction
    assert 'display="inline"' in inline and "<msub><mi>N</mi><mn>0</mn></msub><mo>&#x0003C;</mo><mi>K</mi>" in inline
    assert "$" not in html and "\\" not in html


def test_tex_outside_what_mathml_shows_and_code_stay_text():
    html = markdown(r"A $\unknowncommand{X}$, `$HOME`, $\frac{1}{2$, $x^$ and $\mathcal{X}$.")
    assert '<code class="tex">\\unknowncommand{X}</code>' in html  # latex2mathml would print it bare
    assert "<code>$HOME</code>" in html
    assert '<code class="tex">\\frac{1}{2</code>' in html  # unbalanced: kept as written
    assert '<code class="tex">x^</code>' in html  # latex2mathml raises
    assert html.count("<math") == 1  # \mathcal is MathML's script X


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.figures = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "figure" and "chart" in (attrs.get("class") or "").split():
            self.figures += 1


def _check_site(out: Path, report) -> dict[str, _Links]:
    """Every page parses, every local link resolves, nothing points off the machine."""
    parsed = {}
    assert len(list(out.rglob("vega-bundle.js"))) == 1  # one shared copy of Vega for the site
    bundle_size = (out / "_static" / "vega-bundle.js").stat().st_size
    assert bundle_size > 300_000
    for page in sorted(out.rglob("*.html")):
        relative = page.relative_to(out).as_posix()
        assert relative in report.pages, f"{relative} not reported"
        text = page.read_text(encoding="utf-8")
        assert len(text) < bundle_size / 2 or "vegaEmbed" not in text  # no page inlines Vega
        assert build.WIDGET_VIEW_MIME not in text
        links = _Links()
        links.feed(text)
        for link in links.links:
            url = urlparse(link)
            assert url.scheme in ("", "data"), f"{relative} links off the site: {link}"
            assert not link.startswith("//"), f"{relative} links off the site: {link}"
            if url.scheme == "" and url.path:
                target = (page.parent / unquote(url.path)).resolve()
                assert target.exists(), f"{relative}: broken link {link}"
        assert links.figures == report.pages[relative], relative
        parsed[relative] = links
    return parsed


def test_site_of_the_demo(demo, tmp_path):
    out = tmp_path / "site"
    report = build.build_site([demo], out)
    assert set(report.pages) == {"index.html", "01_demo.html", "01_demo.slides.html"}
    assert report.pages["01_demo.html"] == 2 and report.widgets == 1
    _check_site(out, report)
    page = (out / "01_demo.html").read_text(encoding="utf-8")
    specs = [json.loads(s) for s in
             re.findall(r'<script type="application/json" class="chart-spec">(.*?)</script>', page, re.S)]
    assert specs == _vegalite_specs(demo_notebook())
    assert "Live explorer." in page and "<b>points</b>: 2 (from 1 to 5)" in page
    assert "Worked solution" in page and DEMO_SECRET in page  # readers get the solutions
    assert (out / "notebooks" / "01_demo.ipynb").read_bytes() == demo.read_bytes()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01_demo.html"' in index and "Demo notebook" in index and "10 min" in index
    assert "read a chart with a slider" in index

    slides = (out / "01_demo.slides.html").read_text(encoding="utf-8")
    assert slides.count('<div class="slide"') == 6  # first cell + slide, subslide, slide, slide, slide
    assert slides.count('<div class="fragment">') == 2
    assert slides.count('<aside class="notes">') == 2  # the note for instructors is a speaker note
    assert re.search(r'<aside class="notes"><section [^>]*tag-instructor"><p><strong>For instructors\.', slides)
    assert "import ipywidgets as w" not in slides  # the setup cell is marked skip
    assert "nbval" not in page.lower() and "nbval" not in slides.lower()  # test plumbing, not the lesson
    assert page.count('<table border="1" class="dataframe">') == 1  # ... the tagged cell itself stays
    assert 'src="_static/vega-bundle.js"' in slides


@pytest.mark.slow  # two builds: seconds
def test_site_rebuild_removes_pages_of_deleted_notebooks(demo, tmp_path):
    out = tmp_path / "site"
    other = demo.parent / "02_other.ipynb"
    other.write_bytes(demo.read_bytes())
    build.build_site([demo, other], out)
    assert (out / "02_other.html").exists()
    build.build_site([demo], out)
    assert not (out / "02_other.html").exists() and not (out / "02_other.slides.html").exists()


@pytest.mark.slow  # a site of the whole course: seconds
def test_site_of_the_course_notebooks(tmp_path):
    out = tmp_path / "site"
    notebooks = build.discover()
    report = build.build_site(notebooks, out)
    pages = _check_site(out, report)
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        assert report.pages[f"{path.stem}.html"] == len(_vegalite_specs(nb)), path.name
        assert f'href="{path.stem}.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert len(pages) == 1 + 2 * len(notebooks)


# ------------------------------------------------------------------------------------- outline

def test_outline_of_the_demo(demo, tmp_path):
    written = build.build_outline([demo], tmp_path / "README.md")
    text = written.read_text(encoding="utf-8")
    assert "## `01_demo.ipynb` — Demo notebook" in text
    assert "- **Time:** 10 min" in text and "  - answer an exercise" in text
    assert "Pause after the chart for questions." in text
    # slide the section starts on | section | charts | explorers | exercises
    assert "| 2 | A chart with a slider | 1 | 0 | 0 |" in text
    assert "| 4 | A live explorer | 0 | 1 | 0 |" in text
    assert "| 5 | Exercise | 0 | 0 | 1 |" in text


def test_outline_goes_beside_the_notebooks_by_default(demo):
    written = build.build_outline([demo])
    assert written == demo.parent / "README.md"
    assert written.read_text(encoding="utf-8").startswith("# Lecture outlines (for instructors)")
    with pytest.raises(ValueError, match="must be a markdown file"):
        build.build_outline([demo], demo)


def test_notebooks_readme_is_the_lecture_outline():
    text = (REPO / "notebooks" / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# Lecture outlines (for instructors)")
    assert "python -m course_lib.build outline" in text
    for path in NOTEBOOKS:
        title = build.front_matter(nbformat.read(path, as_version=4))["title"]
        assert f"## `{path.name}` — {title}" in text, f"{path.name} is missing from notebooks/README.md"


# ----------------------------------------------------------------------------------------- CLI

@pytest.mark.slow  # a fresh Python per command
def test_command_line(demo, tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "course_lib.build", *args], capture_output=True, text=True,
                              timeout=120, cwd=REPO)

    done = run("student", str(demo), "--out", str(tmp_path / "student"))
    assert done.returncode == 0, done.stderr
    assert "1 student notebooks in" in done.stdout and (tmp_path / "student" / "01_demo.ipynb").exists()
    done = run("handouts", str(demo), "--out", str(tmp_path / "h"), "--formats", "gif")
    assert done.returncode == 2 and "error: formats ['gif'] not supported" in done.stderr
    done = run("nonsense")
    assert done.returncode == 2 and "invalid choice" in done.stderr
