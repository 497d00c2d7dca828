"""Open the browser course in a real browser, run a notebook, and report what a student would see.

Used by the browser tests (``tests/browser/test_lite.py``) and the benchmark
(``benchmarks/lite_run.py``); needs Playwright (in ``requirements-dev.txt``) and a Chromium. The site
is served from 127.0.0.1 by :func:`serve`; :func:`run_notebook` opens one notebook in a fresh
browser context, waits for the Pyodide kernel, runs *Run All* (JupyterLab's own command), and
returns every cell's state, what was drawn, every request that left 127.0.0.1 and the timings.
The site exposes JupyterLab as ``window.jupyterapp`` (the tests drive its commands); to see every cell,
build it with JupyterLab's ``windowingMode`` ``"none"`` (:data:`TEST_SETTINGS`).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["OFFLINE_FLAGS", "TEST_SETTINGS", "serve", "launched", "LiteRun", "run_notebook", "open_notebook",
           "run_cell", "execute", "notebook_text"]

#: Chromium flags: headless-friendly, and every host but 127.0.0.1 resolves to nothing.
OFFLINE_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
#: JupyterLab settings for a site under test: every cell stays in the page, nothing autosaves.
TEST_SETTINGS = {
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}
_MIME = {".wasm": "application/wasm", ".js": "application/javascript", ".mjs": "application/javascript",
         ".json": "application/json", ".whl": "application/octet-stream", ".ipynb": "application/json"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **_MIME}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(folder: str | Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) for the ``with`` block; yields the base URL.

    A browser-course site is served by its own launcher (``python serve.py``, what a student runs
    from a stick), so every test and benchmark of the site goes through it; another folder (the
    static site) by a quiet standard-library server.
    """
    launcher = Path(folder) / "serve.py"
    if launcher.is_file():
        with launched(launcher) as url:
            yield url
        return
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def launched(launcher: Path, *args: str) -> Iterator[str]:
    """Run a site's ``serve.py`` (any free port, no browser) for the ``with`` block; yields its URL."""
    process = subprocess.Popen([sys.executable, str(launcher), "--no-browser", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found is None:
            raise RuntimeError(f"{launcher} did not start: {line}{process.communicate(timeout=10)[1] if process.poll() is not None else ''}")
        yield found.group(0)
    finally:
        process.terminate()
        process.wait(10)


@dataclass
class LiteRun:
    """What one notebook did in the browser: cells, drawings, requests, errors and seconds."""

    notebook: str
    cells: list[dict[str, Any]] = field(default_factory=list)
    charts_expected: int = 0
    charts_drawn: int = 0
    widgets_expected: int = 0
    widgets_drawn: int = 0
    error_texts: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    control: str = ""
    vega_control: str = ""
    storage: str = ""
    storage_note: str = ""
    storage_note_closed: bool = False
    finished: bool = False

    def problems(self) -> list[str]:
        """Everything a student would see go wrong, one line each (empty when all is well)."""
        found = []
        if not self.finished:
            found.append("Run All did not finish in time")
        for cell in self.cells:
            if cell["type"] != "code" or not cell["source"].strip():
                continue
            label = f"cell {cell['index'] + 1} (`{cell['source'].strip().splitlines()[0][:50]}`)"
            if cell["count"] is None:
                found.append(f"{label} did not run")
            allowed_error = "raises-exception" in cell["tags"]
            for output in cell["outputs"]:
                if output["type"] == "error" and not allowed_error:
                    found.append(f"{label} shows an error: {output['ename']}: {output['evalue'][:200]}")
                if output["type"] == "stream" and output["name"] == "stderr":
                    found.append(f"{label} wrote to stderr: {output['text'][:200]}")
        if self.charts_drawn < self.charts_expected:
            found.append(f"{self.charts_drawn} of {self.charts_expected} charts drawn")
        if self.widgets_drawn < self.widgets_expected:
            found.append(f"{self.widgets_drawn} of {self.widgets_expected} widgets drawn")
        for moved in (self.control, self.vega_control):
            if moved.startswith("no change"):
                found.append(f"moving a control changed nothing: {moved}")
        found += [f"error shown: {text[:200]}" for text in self.error_texts]
        found += [f"request outside 127.0.0.1: {url}" for url in self.outside_requests]
        found += [f"failed request: {url}" for url in self.failed_requests]
        return found


_READY = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!(kernel && kernel.status === 'idle' && panel.content && panel.content.widgets.length);
}"""

# Not awaited: the command's promise settles only when every cell has run.
_RUN_ALL = """() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }"""

_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.map((cell, index) => {
    const model = cell.model;
    const outputs = [];
    if (model.type === 'code') {
      for (let i = 0; i < model.outputs.length; i++) {
        const o = model.outputs.get(i).toJSON();
        const text = Array.isArray(o.text) ? o.text.join('') : (o.text || '');
        outputs.push({type: o.output_type, name: o.name || '', text, ename: o.ename || '', evalue: o.evalue || '',
                      mimes: Object.keys(o.data || {})});
      }
    }
    const prompt = cell.node.querySelector('.jp-InputPrompt');
    return {index, type: model.type, source: model.sharedModel.getSource(), tags: model.getMetadata('tags') || [],
            count: model.type === 'code' ? model.executionCount : null, outputs,
            running: !!(prompt && prompt.textContent.includes('*'))};
  });
  return {status: kernel ? kernel.status : 'none', cells};
}"""

_DRAWN = """() => {
  const root = window.jupyterapp.shell.currentWidget.node;
  const sized = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const charts = [...root.querySelectorAll('.vega-embed')].filter(
      (el) => [...el.querySelectorAll('canvas, svg')].some(sized)).length;
  const widgets = [...root.querySelectorAll('.jp-OutputArea-output .jupyter-widgets')].filter(
      (el) => !el.parentElement.closest('.jupyter-widgets') && sized(el)).length;
  const texts = [...root.querySelectorAll('.jp-OutputArea-output')].map((el) => el.innerText)
      .filter((t) => /Error displaying widget|Javascript Error|Unsatisfied version|Failed to load model class/.test(t));
  return {charts, widgets, texts};
}"""


# What the cell holding a control shows, without the control itself: its text, SVG and canvases.
_OUTPUT_PRINT = """(control) => {
  const cell = control.closest('.jp-Cell');
  const clone = cell.querySelector('.jp-Cell-outputWrapper').cloneNode(true);
  clone.querySelectorAll('.widget-slider, .widget-dropdown').forEach((e) => e.remove());
  const canvases = [...cell.querySelectorAll('.jp-Cell-outputWrapper canvas')].map((c) => c.toDataURL().length + ':' + c.toDataURL().slice(-64));
  return clone.innerText + [...clone.querySelectorAll('svg')].map((e) => e.outerHTML).join('') + canvases.join('|');
}"""


def _move_control(page: Any) -> str:
    """Pick another option of the first ipywidgets dropdown, or drag the first slider; say what changed."""
    dropdown = page.locator(".jp-OutputArea .widget-dropdown select")
    slider = page.locator(".jp-OutputArea .widget-slider")
    if dropdown.count():
        control = dropdown.first
        control.scroll_into_view_if_needed()
        before = control.evaluate(_OUTPUT_PRINT)
        count = control.evaluate("(s) => s.options.length")
        control.select_option(index=(control.evaluate("(s) => s.selectedIndex") + 1) % max(count, 1))
        what = "dropdown"
    elif slider.count():
        control = slider.first
        control.scroll_into_view_if_needed()
        before = control.evaluate(_OUTPUT_PRINT)
        handle = control.locator(".noUi-handle").first.bounding_box()
        track = control.locator(".noUi-target").first.bounding_box()
        if handle is None or track is None:
            return "no change: the slider has no visible handle"
        x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
        shift = track["width"] / 4 * (-1 if x > track["x"] + track["width"] / 2 else 1)
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + shift, y, steps=5)
        page.mouse.up()
        what = "slider"
    else:
        return ""
    started = time.monotonic()
    while time.monotonic() - started < 15:
        if control.evaluate(_OUTPUT_PRINT) != before:
            return f"{what} moved: its output changed in {round((time.monotonic() - started) * 1000)} ms"
        time.sleep(0.1)
    return f"no change: {what} moved, its output stayed the same for 15 s"


_CHART_PRINT = """(control) => {
  const chart = control.closest('.vega-embed');
  return [...chart.querySelectorAll('canvas')].map((c) => c.toDataURL().length + ':' + c.toDataURL().slice(-64)).join('|')
      + [...chart.querySelectorAll('svg')].map((e) => e.outerHTML).join('');
}"""


def _move_vega_control(page: Any) -> str:
    """Move the first slider or menu a Vega-Lite chart is bound to (no kernel involved); say what changed."""
    controls = page.locator(".vega-bindings :is(input[type=range], select)")
    if not controls.count():
        return ""
    control = controls.first
    control.scroll_into_view_if_needed()
    before = control.evaluate(_CHART_PRINT)
    if control.evaluate("(e) => e.tagName") == "SELECT":
        count = control.evaluate("(s) => s.options.length")
        control.select_option(index=(control.evaluate("(s) => s.selectedIndex") + 1) % max(count, 1))
        what = "Vega-Lite menu"
    else:
        box = control.bounding_box()
        if box is None:
            return "no change: the Vega-Lite slider is not visible"
        right = control.evaluate("(i) => (i.value - i.min) / ((i.max - i.min) || 1) > 0.5")
        control.click(position={"x": box["width"] * (0.1 if right else 0.9), "y": box["height"] / 2})
        what = "Vega-Lite slider"
    started = time.monotonic()
    while time.monotonic() - started < 10:
        if control.evaluate(_CHART_PRINT) != before:
            return f"{what} moved: its chart redrew in {round((time.monotonic() - started) * 1000)} ms"
        time.sleep(0.1)
    return f"no change: {what} moved, its chart stayed the same for 10 s"


def _outside(url: str) -> bool:
    parsed = urllib.parse.urlparse(url)
    return parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in ("127.0.0.1",)


def run_notebook(browser: Any, base_url: str, notebook: str, *, kernel_timeout: float = 90,
                 run_timeout: float = 240, move_control: bool = True, context: Any = None) -> LiteRun:
    """Open ``notebook`` (a path in the site's files) in a fresh context, Run All, and report.

    With ``context`` (a browser context, left open), the visit is made in it: a second visit in
    the same context is a student's return, with the browser's cache as the first visit left it.

    Timings (seconds from opening the page): ``app`` (JupyterLab shown), ``kernel_ready`` (the
    Pyodide kernel idle), ``setup_done`` (the hidden first cell, which loads the notebook's packages,
    finished), ``import_done`` (the notebook's own first cell that imports course_lib finished),
    ``run_all_done``; and ``run_all`` (from starting Run All). Measured by polling every 0.2 s.
    With ``move_control``, the first ipywidgets dropdown or slider is then moved as a user would,
    and its cell's output must change (``control`` says how long it took); so is the first slider
    or menu bound to a Vega-Lite chart, which must redraw with no kernel (``vega_control``).
    """
    result = LiteRun(notebook)
    owned = context is None
    if context is None:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()

        def on_request(request: Any) -> None:
            if _outside(request.url):
                result.outside_requests.append(request.url)

        context.on("request", on_request)
        context.on("requestfailed", lambda request: result.failed_requests.append(request.url))
        context.on("response", lambda response: result.http_errors.append(f"{response.status} {response.url}")
                   if response.status >= 400 else None)
        page.on("console", lambda message: result.console_errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: result.console_errors.append(f"page error: {error}"))
        started = time.monotonic()
        page.goto(f"{base_url}lab/index.html?path={urllib.parse.quote(notebook)}", wait_until="load")
        page.wait_for_function("() => !!(window.jupyterapp && window.jupyterapp.shell.currentWidget)",
                               timeout=60_000)
        result.timings["app"] = round(time.monotonic() - started, 2)
        # The site's note on keeping the student's work (course-storage.js): the browser's answer
        # and the line shown; closed with its button, as a student would, so it covers nothing.
        page.wait_for_function("() => window.courseStorage !== undefined", timeout=30_000)
        result.storage = page.evaluate("() => window.courseStorage")
        note = page.locator("#course-storage-note")
        if note.count():
            result.storage_note = note.locator("span").inner_text()
            note.get_by_role("button").click()
            result.storage_note_closed = note.count() == 0
        page.wait_for_function(_READY, timeout=kernel_timeout * 1000, polling=100)
        result.timings["kernel_ready"] = round(time.monotonic() - started, 2)
        run_started = time.monotonic()
        page.evaluate(_RUN_ALL)
        deadline = run_started + run_timeout
        quiet_since = None
        state: dict[str, Any] = {}
        while time.monotonic() < deadline:
            state = page.evaluate(_STATE)
            code = [c for c in state["cells"] if c["type"] == "code"]
            now = round(time.monotonic() - started, 2)
            if "setup_done" not in result.timings and code and code[0]["count"] is not None:
                result.timings["setup_done"] = now
            first = next((c for c in code[1:] if "course_lib" in c["source"]), None)
            if "import_done" not in result.timings and first is not None and first["count"] is not None:
                result.timings["import_done"] = now
            busy = state["status"] != "idle" or any(c["running"] for c in code)
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > 1.5:
                result.finished = True
                break
            time.sleep(0.2)
        if result.finished and quiet_since is not None:
            result.timings["run_all_done"] = round(quiet_since - started, 2)
            result.timings["run_all"] = round(quiet_since - run_started, 2)
        result.cells = state.get("cells", [])
        for cell in result.cells:
            for output in cell["outputs"]:
                result.charts_expected += any(m.startswith("application/vnd.vegalite") for m in output["mimes"])
                result.widgets_expected += "application/vnd.jupyter.widget-view+json" in output["mimes"]
        with contextlib.suppress(Exception):  # charts draw asynchronously after the last cell
            page.wait_for_function(f"() => ({_DRAWN})().charts >= {result.charts_expected}", timeout=15_000)
        drawn = page.evaluate(_DRAWN)
        result.charts_drawn, result.widgets_drawn, result.error_texts = drawn["charts"], drawn["widgets"], drawn["texts"]
        if move_control and result.finished:
            result.control = _move_control(page)
            result.vega_control = _move_vega_control(page)
    finally:
        if owned:
            context.close()
        else:
            page.close()
    return result


def open_notebook(page: Any, base_url: str, notebook: str, *, kernel_timeout: float = 150) -> None:
    """Open ``notebook`` in ``page`` (a visit: the student's storage is the context's), wait for the
    site's own script (``window.courseWork.ready``) and, with ``kernel_timeout``, the kernel idle."""
    page.goto(f"{base_url}lab/index.html?path={urllib.parse.quote(notebook)}", wait_until="load")
    page.wait_for_function("() => !!(window.courseWork && window.courseWork.ready)", timeout=60_000)
    page.wait_for_function("() => { const w = window.jupyterapp.shell.currentWidget;"
                           " return !!(w && w.context && w.context.isReady); }", timeout=60_000)
    if kernel_timeout:
        page.wait_for_function(_READY, timeout=kernel_timeout * 1000, polling=100)


def run_cell(page: Any, index: int, source: str | None = None) -> list[dict[str, Any]]:
    """Run cell ``index`` of the open notebook (its text first replaced by ``source``), as a student
    would (select it, Run); return its outputs as :func:`run_notebook` reports them."""
    page.evaluate("""async ([index, source]) => {
      const app = window.jupyterapp, notebook = app.shell.currentWidget.content;
      if (source !== null) { notebook.model.sharedModel.cells[index].setSource(source); }
      notebook.activeCellIndex = index;
      await app.commands.execute('notebook:run-cell');
    }""", [index, source])
    page.wait_for_function(_READY, timeout=60_000, polling=100)
    return page.evaluate(_STATE)["cells"][index]["outputs"]


def execute(page: Any, code: str) -> None:
    """Run ``code`` in the open notebook's kernel, outside any cell (what a student's setup does)."""
    page.evaluate("""async (code) => {
      const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
      await kernel.requestExecute({code}).done;
    }""", code)


def notebook_text(page: Any) -> str:
    """The text of every cell of the open notebook, as JupyterLab holds it now."""
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells"
                         ".map((c) => c.getSource()).join('\\n')")
