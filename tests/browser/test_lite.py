"""The course in a browser tab (``python -m course_lib.build lite``), run in headless Chromium, offline.

The site is built once for this module into a temporary folder (from the fetched-file cache
``build/lite-cache/``: the first run on a machine fetches Pyodide from npm and the wheels from PyPI),
served from 127.0.0.1 and opened in the suite's Chromium (``tests/browser/conftest.py``: every host
but 127.0.0.1 unresolvable). Every notebook of the site is checked as a file (the student version,
the hidden setup cell first, no solution and no note for instructors). One notebook runs in the
browser: Run All, then every code cell ran, the charts and widgets drew, no error (except in cells
tagged ``raises-exception``) or stderr output, no request left 127.0.0.1, moving a widget changes
its output, and moving a chart's own slider or menu redraws it with no kernel. One, not all seven:
each costs a Pyodide start and a Run All, and the desktop runs every notebook already (nbval, and
JupyterLab in tests/browser/test_notebooks_in_browser.py); what only this site can get wrong is a
package Pyodide lacks or loads on demand (the build checks every notebook's imports, and the test below the lock file) and the kernel's widgets
and charts, which 01 has (an explorer, a unit menu, a Vega-Lite control) at about half the cost of
the larger notebooks. ``benchmarks/lite_run.py`` runs all seven and measures them; timings are
printed here, never asserted.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest

from course_lib import exercises
from course_tools.build.lite import KERNEL_PLUGIN, build_lite
from course_tools.build.lite_wheels import sha256_of
from course_tools.grade import grader, sandbox
from tests.harness.lite_browser import (TEST_SETTINGS, execute, launched, notebook_text, open_notebook, run_cell,
                                        run_notebook, serve)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = ("01_energy_tables",)  # run in the browser; every notebook is checked as a file


@pytest.fixture(scope="module")
def site(chromium_path, tmp_path_factory):
    # chromium_path first: without Chromium the module skips (or fails in CI) before building.
    out = tmp_path_factory.mktemp("lite") / "site"
    return build_lite(REPO / "notebooks", out, cache=REPO / "build" / "lite-cache",
                      lab_settings=TEST_SETTINGS)


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site.out) as url:
        yield url


def test_the_site_holds_everything_it_loads(site):
    config = json.loads((site.out / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"][KERNEL_PLUGIN]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js" and kernel["disablePyPIFallback"] is True
    pyodide = site.out / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    for name, entry in lock["packages"].items():
        path = pyodide / entry["file_name"]
        assert path.is_file(), f"{name}: {entry['file_name']} is not in the site"
        assert sha256_of(path) == entry["sha256"], f"{name}: {entry['file_name']} does not match the lock file"
    assert {"course-lib", "numpy", "pandas", "altair", "ipywidgets", "pint"} <= set(lock["packages"])
    assert "plotly" not in lock["packages"]  # Gapminder's data ships in course_lib's own datasets
    stems = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb"))
    assert sorted(p.stem for p in (site.out / "files").glob("*.ipynb")) == stems
    for stem in stems:  # student versions, each with the hidden setup cell first
        nb = nbformat.read(site.out / "files" / f"{stem}.ipynb", as_version=4)
        assert nb.cells[0].metadata["tags"] == ["lite-setup"], stem
        assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells), stem
        assert nb.metadata["kernelspec"]["name"] == "python"
    for path in sorted((site.out / "files").glob("*.ipynb")):  # every notebook: no note for instructors
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bfor (?:the )?instructors?\b", text, re.I), path.name
        assert not any("instructor" in c.metadata.get("tags", []) for c in nbformat.reads(text, as_version=4).cells)
    assert (site.out / "files" / "park_template" / "partners.csv").is_file()
    # the course in Traditional Chinese beside the English, its folder's language file with it, and
    # JupyterLab's own menus in Chinese (the zh-TW language pack, offered in Settings > Language)
    assert sorted(p.stem for p in (site.out / "files" / "zh-Hant").glob("*.ipynb")) == stems
    assert (site.out / "files" / "zh-Hant" / ".course_language").read_text().strip() == "zh-Hant"
    for path in sorted((site.out / "files" / "zh-Hant").glob("*.ipynb")):  # the notes for instructors left out there too
        assert "給導師" not in path.read_text(encoding="utf-8"), path.name
    assert "zh_TW" in json.loads((site.out / "api" / "translations" / "all.json").read_text())["data"]
    assert (site.out / "serve.py").is_file()  # the launcher for a stick (file:// cannot run the site)
    for page in ("lab/index.html", "lab/tree/index.html"):  # JupyterLab's pages load the site's own scripts
        html = (site.out / page).read_text(encoding="utf-8")
        assert all(f'{name}" defer></script>' in html for name in ("fflate.js", "course-storage.js", "course-work.js")), page
    assert "zipSync" in (site.out / "fflate.js").read_text(encoding="utf-8")  # fflate's browser build, from npm
    manifest = json.loads((site.out / "course-site.json").read_text())  # what a new version is compared with
    shipped = {p.relative_to(site.out / "files").as_posix(): p for p in (site.out / "files").rglob("*") if p.is_file()}
    assert {path: sha256_of(file) for path, file in shipped.items()} == manifest["files"]
    print(f"\n{site.summary()}")


def test_the_sites_own_launcher_serves_it_on_127_0_0_1_with_the_types_it_needs(site, tmp_path):
    """``python serve.py`` in the built folder: standard library only, this computer only, WebAssembly typed."""
    source = (site.out / "serve.py").read_text(encoding="utf-8")
    imports = set(re.findall(r"^(?:import|from) (\w+)", source, re.M))
    assert imports <= {"__future__", *sys.stdlib_module_names}, imports - set(sys.stdlib_module_names)
    with launched(site.out / "serve.py") as url:
        with urllib.request.urlopen(url, timeout=30) as page:
            assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
        wasm = next((site.out / "static" / "pyodide").glob("*.wasm")).relative_to(site.out).as_posix()
        with urllib.request.urlopen(url + wasm, timeout=30) as response:
            assert response.headers["Content-Type"] == "application/wasm"
            assert response.headers["Cache-Control"] == "no-cache"  # a rebuilt site is seen at once
        port = urllib.parse.urlsplit(url).port
        # the same port again: one line saying what to do, not a traceback
        taken = subprocess.run([sys.executable, str(site.out / "serve.py"), "--no-browser", "--port", str(port)],
                               capture_output=True, text=True, timeout=30)
        assert taken.returncode == 1 and "python serve.py --port" in taken.stderr and "Traceback" not in taken.stderr


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_run_all_in_the_browser(stem, site, base_url, browser):
    result = run_notebook(browser, base_url, f"{stem}.ipynb", kernel_timeout=150)
    print(f"\n{stem}: {result.timings}; charts {result.charts_drawn}/{result.charts_expected}, "
          f"widgets {result.widgets_drawn}/{result.widgets_expected}; {result.control}; {result.vega_control}; "
          f"persistent storage: {result.storage}")
    problems = result.problems()
    assert not problems, f"{stem} in the browser:\n  - " + "\n  - ".join(problems)
    code = [c for c in result.cells if c["type"] == "code" and c["source"].strip()]
    assert code and all(c["count"] is not None for c in code)
    assert result.charts_expected > 0 and result.widgets_expected > 0, "these notebooks draw charts and widgets"
    assert result.control.endswith("ms"), f"no ipywidgets control to move in {stem}"
    assert result.vega_control.endswith("ms"), f"no Vega-Lite slider or menu to move in {stem}"
    assert not result.outside_requests
    # persistent storage asked for on load, and the answer said in one line the student can close
    assert result.storage in ("granted", "denied"), result.storage
    assert ("it has agreed not to clear" if result.storage == "granted" else "may clear your work") in result.storage_note
    assert "\n" not in result.storage_note.strip() and result.storage_note_closed


def test_bytecode_is_compiled_by_the_browsers_own_python_beside_the_source(site, tmp_path):
    """A wheel gets ``__pycache__/<module>.cpython-312.pyc`` beside each module, the standard
    library's zip ``<module>.pyc``; each unchecked-hash (PEP 552: used without looking at the
    source's time, which unpacking in the browser loses), the source kept; a second build reuses them.
    The site's own packages: every one carries its bytecode."""
    pyodide = site.out / "static" / "pyodide"
    for path in [*pyodide.glob("*.whl"), pyodide / "python_stdlib.zip"]:
        with zipfile.ZipFile(path) as served:
            assert any(n.endswith(".pyc") for n in served.namelist()), f"{path.name} has no bytecode"
    from course_tools.build import lite_versions as pins
    from course_tools.build.lite_bytecode import compile_bytecode

    tarball = REPO / "build" / "lite-cache" / "npm" / f"pyodide-{pins.PYODIDE}.tgz"  # fetched by the site's build
    wheel, stdlib = tmp_path / "demo-1.0-py3-none-any.whl", tmp_path / "python_stdlib.zip"
    with zipfile.ZipFile(wheel, "w") as out:
        out.writestr("demo/__init__.py", "ANSWER = 42\n")
        out.writestr("demo/broken.py", "def broken(:\n")
        out.writestr("demo-1.0.dist-info/METADATA", "Name: demo\nVersion: 1.0\n")
    with zipfile.ZipFile(stdlib, "w") as out:
        out.writestr("json/__init__.py", "X = 1\n")
    copies = compile_bytecode(tarball, pins.PYODIDE, [wheel], stdlib, tmp_path / "cache")
    with zipfile.ZipFile(copies[wheel]) as built:
        names = set(built.namelist())
        pyc = built.read("demo/__pycache__/__init__.cpython-312.pyc")
    assert {"demo/__init__.py", "demo/broken.py", "demo-1.0.dist-info/METADATA"} <= names
    assert not any("broken" in n and n.endswith(".pyc") for n in names)  # not Python: left as source only
    assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, source never checked
    assert pyc[:4] != importlib.util.MAGIC_NUMBER or sys.version_info[:2] == (3, 12)  # Pyodide's Python made it
    with zipfile.ZipFile(copies[stdlib]) as built:
        assert {"json/__init__.py", "json/__init__.pyc"} <= set(built.namelist())
    before = copies[wheel].stat().st_mtime_ns
    assert compile_bytecode(tarball, pins.PYODIDE, [wheel], stdlib, tmp_path / "cache") == copies
    assert copies[wheel].stat().st_mtime_ns == before  # cached by the source's sha256: not compiled again


# --- a student's work: kept, downloaded, restored, and kept again through a new version of the site ---

# The grader's sandbox where it can run (always in CI, which installs bubblewrap), as tests/test_grade.py.
SANDBOXED = sandbox.sandbox_problem() is None or bool(os.environ.get("CI"))
QUESTION = "energy.powers_of_ten_chart"  # notebook 01: a whole number read off a chart
STUDENT = "alice"


def _cell_of(text: str, needle: str) -> int:
    nb = nbformat.reads(text, as_version=4)
    return next(i for i, c in enumerate(nb.cells) if needle in c.source)


def _import_cell(text: str) -> int:
    nb = nbformat.reads(text, as_version=4)
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                and re.search(r"from course_lib.exercises import .*\bcheck\b", c.source))


def _answer(page, site_text: str, answer: object) -> list:
    """Answer QUESTION in its own exercise cell, after the hidden setup cell and the imports ran."""
    run_cell(page, 0)
    run_cell(page, _import_cell(site_text))
    return run_cell(page, _cell_of(site_text, f'check("{QUESTION}"'), f'answer = {answer!r}\ncheck("{QUESTION}", answer)')


def _save(page) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")


def test_a_students_work_survives_a_visit_a_download_a_restore_and_a_new_version(site, browser, tmp_path):
    """Edit and answer, come back: the edit is there and attempts go on counting (the log lives in
    the browser's storage); Download All My Work gives the notebook and the log; Restore the
    Original brings the site's version back and keeps the student's; a rebuilt site with a changed
    notebook puts its new version beside the student's edited one, which stays as it was."""
    served = tmp_path / "served"  # the address stays; the folder behind it is rebuilt below
    shutil.copytree(site.out, served, symlinks=True)
    notebook = "01_energy_tables.ipynb"
    site_text = (served / "files" / notebook).read_text(encoding="utf-8")
    right = exercises.expected(QUESTION, STUDENT)
    wrong = int(right) + 4
    with serve(served) as url:
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            open_notebook(page, url, notebook)
            execute(page, f"from course_lib import identity; identity.remember({STUDENT!r})")
            outputs = _answer(page, site_text, wrong)
            assert outputs and not any(o["type"] == "error" for o in outputs), outputs
            page.evaluate("""() => { const cells = window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells;
                const md = cells.find((c) => c.cell_type === 'markdown'); md.setSource(md.getSource() + '\\n\\nMY OWN NOTE 1'); }""")
            _save(page)
            page.wait_for_function("() => window.courseWork.logged >= 1 && window.courseWork.pending === 0", timeout=30_000)

            # A later visit (a new kernel): the edit is there, and the next answer is attempt 2.
            open_notebook(page, url, notebook)
            assert "MY OWN NOTE 1" in notebook_text(page)
            _answer(page, site_text, right)
            _save(page)
            page.wait_for_function("() => window.courseWork.logged >= 1 && window.courseWork.pending === 0", timeout=30_000)

            # Download All My Work (the button above the file list; also in the File menu): the
            # edited notebook, the log with both attempts, what the zip is.
            menu = page.evaluate("() => [...window.jupyterapp.shell.widgets('menu')].find((w) => w.fileMenu)"
                                 ".fileMenu.items.map((i) => i.command)")
            assert {"course:download-all-work", "course:restore-original"} <= set(menu)
            with page.expect_download() as info:
                page.get_by_role("button", name="Download All My Work (zip)").click()
            work = tmp_path / info.value.suggested_filename
            info.value.save_as(work)
            assert re.fullmatch(r"course-work-\d{4}-\d{2}-\d{2}\.zip", work.name)
            with zipfile.ZipFile(work) as zipped:
                names = set(zipped.namelist())
                assert {notebook, ".course_attempts.jsonl", "course-work.json"} <= names, names
                about = json.loads(zipped.read("course-work.json"))
                log = [json.loads(line) for line in zipped.read(".course_attempts.jsonl").decode().splitlines()]
                kept = zipped.read(notebook).decode()
            assert about["kind"] == "course-work" and notebook in about["files"] and about["log"] == ".course_attempts.jsonl"
            assert about["site"] == json.loads((served / "course-site.json").read_text())["site"]
            mine = [(r["attempt"], r["verdict"]) for r in log if r["question"] == QUESTION]
            assert mine == [(1, "wrong"), (2, "right")], mine
            assert {r["student"] for r in log if r["question"] == QUESTION} == {STUDENT}
            assert "MY OWN NOTE 1" in kept
            saved = nbformat.reads(kept, as_version=4)
            shown = [o.get("metadata", {}).get("course", {}).get("attempts") for c in saved.cells if c.cell_type == "code"
                     for o in c.get("outputs", []) if QUESTION in json.dumps(o.get("metadata", {}))]
            assert shown and [a["attempt"] for a in shown[-1]] == [1, 2]  # the notebook carries the whole history

            # The grader scores the zip as it is: right at the second attempt, the log honest, the
            # student the one the log names (the zip keeps the name it was downloaded with).
            book = grader.grade([work], assignment=REPO / "notebooks" / notebook, jobs=1, cell_timeout=120, timeout=600,
                                memory=2048, sandbox=SANDBOXED)
            (row,) = book.grades
            scored = {s.question: s for s in row.scores}[QUESTION]
            assert (row.student, row.status, row.log_note) == (STUDENT, "ok", ""), (row.student, row.status, row.log_note)
            # an option question: the first attempt counts, so a right second attempt earns nothing
            assert scored.correct and scored.earned == 0.0 < scored.points, scored

            # Restore the Original: the site's version back in the open tab, the student's kept beside it.
            page.evaluate("() => window.jupyterapp.commands.execute('course:restore-original')")
            page.wait_for_function("() => window.courseWork.restored.length === 1", timeout=30_000)
            copy = page.evaluate("() => window.courseWork.restored[0].copy")
            assert re.fullmatch(r"01_energy_tables \(my copy \d{4}-\d{2}-\d{2} \d{2}\.\d{2}\)\.ipynb", copy), copy
            page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells"
                                   ".some((c) => c.getSource().includes('MY OWN NOTE 1'))", timeout=15_000)
            copied = page.evaluate("async (path) => JSON.stringify((await window.jupyterapp.serviceManager.contents"
                                   ".get(path, {content: true})).content)", copy)
            assert "MY OWN NOTE 1" in copied
            assert copy in page.locator("#course-work-note").inner_text()

            # The student edits the original again; then the course publishes a new version of it.
            page.evaluate("""() => { const cells = window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells;
                const md = cells.find((c) => c.cell_type === 'markdown'); md.setSource(md.getSource() + '\\n\\nMY OWN NOTE 2'); }""")
            _save(page)
            page.wait_for_timeout(500)
            source = tmp_path / "notebooks"
            shutil.copytree(REPO / "notebooks", source)
            changed = nbformat.read(source / notebook, as_version=4)
            first = next(c for c in changed.cells if c.cell_type == "markdown")
            first.source += "\n\nA NEW VERSION OF THE COURSE"
            nbformat.write(changed, source / notebook)
            build_lite(source, served, cache=REPO / "build" / "lite-cache", lab_settings=TEST_SETTINGS, offline=True)

            open_notebook(page, url, notebook, kernel_timeout=0)
            updated = page.evaluate("() => window.courseWork.updated")
            assert [u["path"] for u in updated] == [notebook], updated  # only the notebook both changed
            beside = updated[0]["beside"]
            assert re.fullmatch(r"01_energy_tables \(new version \d{4}-\d{2}-\d{2}\)\.ipynb", beside), beside
            text = notebook_text(page)
            assert "MY OWN NOTE 2" in text and "A NEW VERSION OF THE COURSE" not in text  # the student's, untouched
            new = page.evaluate("async (path) => JSON.stringify((await window.jupyterapp.serviceManager.contents"
                                ".get(path, {content: true})).content)", beside)
            assert "A NEW VERSION OF THE COURSE" in new and "MY OWN NOTE" not in new
            assert beside in page.locator("#course-work-note").inner_text()
        finally:
            context.close()
