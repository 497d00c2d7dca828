"""Every notebook, opened and run in JupyterLab in headless Chromium, offline.

nbval proves the kernel side only: a chart can be blank in the browser (renderer, CDN, trust) and
a widget can fail to load while nbval is green. Here the browser is the judge. For each notebook
(found by globbing ``notebooks/*.ipynb``, so a new notebook is tested without editing this file; a
translation, ``notebooks/<language>/*.ipynb``, gets (a) and (e): its code is the English notebook's):

(a) open it without running (untrusted, as after a clone): every stored chart is drawn (a Vega
    view of non-zero size with something painted), no error text; if a chart has a Vega-Lite
    bound control (kernel-free interactivity), moving it redraws the chart;
(b) when the notebook has a control that needs a kernel (an ipywidgets slider or dropdown: it
    stores a widget), clear the outputs and run all in the kernel JupyterLab started on opening
    (nothing has run in it yet): no error or stderr output, every cell ran, every chart drawn,
    every widget drawn;
(c) then move the first slider or dropdown and check that the output it drives changed. A
    notebook without ipywidgets is done after (a), where its Vega-Lite control was moved: nbval
    runs its cells already, and nothing in it needs a kernel in the browser;
(d) save a screenshot to tests/browser/artifacts/ (<notebook>.png) when something failed, and
    always with ``BROWSER_SCREENSHOTS=1`` (then also <notebook>-stored.png before running): a
    screenshot of a whole notebook takes seconds and proves nothing by itself;
(e) no console error, page error or failed request, and no request to any host but 127.0.0.1.

All problems found are reported together, each naming the notebook, the phase, the cell and what
was missing. Fixtures (server, browser) live in conftest.py.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT = 10  # s: the bound of every wait for something to appear or change
KERNEL_READY_TIMEOUT = 30  # s: first kernel start (imports nothing yet) on a loaded 2-core machine
RUN_ALL_TIMEOUT = 90  # s: restart + Run All of one notebook ("little more than importing course_lib")
KERNEL_STABLE = 1.5  # s the same kernel must stay connected and idle before Run All is sent
VIEWPORT = {"width": 1280, "height": 900}
MAX_SCREENSHOT_HEIGHT = 16000  # px: Chromium's limit for one capture
SCREENSHOTS = bool(os.environ.get("BROWSER_SCREENSHOTS"))  # also when nothing failed

CHART_MIME_PREFIXES = ("application/vnd.vegalite.", "application/vnd.vega.")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# Text that must never be shown in an output: what JupyterLab and ipywidgets print when rendering fails.
ERROR_TEXTS = (
    "Error displaying widget",
    "model not found",
    "Failed to load model class",
    "Javascript Error",
    "No renderer could be found",
    "Traceback (most recent call last)",
)

# ---------------------------------------------------------------------------------------------
# JavaScript run in the page. The notebook panel is found by its path in JupyterLab's shell.

JS_PANEL = """
const findPanel = (path) => {
    const app = window.jupyterapp;
    if (!app) return null;
    for (const w of app.shell.widgets('main')) {
        if (w.context && w.context.path === path && w.content && w.content.widgets) return w;
    }
    return null;
};
"""

JS_STATE = JS_PANEL + """
(path) => {
    const panel = findPanel(path);
    if (!panel || !panel.context.isReady) return null;
    const session = panel.sessionContext.session;
    const kernel = session && session.kernel;
    return {
        cells: panel.content.widgets.length,
        kernel: kernel ? kernel.id : null,
        status: kernel ? kernel.status : null,
        connection: kernel ? kernel.connectionStatus : null,
        ready: panel.sessionContext.isReady,
    };
}
"""

# One entry per cell: what the model holds and what the DOM shows.
JS_CELLS = JS_PANEL + """
(args) => {
    const [path, errorTexts] = args;
    const panel = findPanel(path);
    if (!panel) return null;
    const chartInfo = (embed) => {
        const marks = embed.querySelector('canvas.marks, svg.marks');
        const label = (embed.querySelector('[aria-label]') || embed).getAttribute('aria-label') || '';
        if (!marks) return {w: 0, h: 0, colours: 0, label, kind: 'none'};
        const r = marks.getBoundingClientRect();
        let colours = 0;
        if (marks.tagName.toLowerCase() === 'canvas') {
            if (marks.width > 0 && marks.height > 0) {
                const d = marks.getContext('2d').getImageData(0, 0, marks.width, marks.height).data;
                const seen = new Set();
                const step = 4 * Math.max(1, Math.floor(d.length / 4 / 40000));
                for (let k = 0; k < d.length && seen.size < 3; k += step) {
                    seen.add(`${d[k]},${d[k + 1]},${d[k + 2]},${d[k + 3]}`);
                }
                colours = seen.size;
            }
        } else {
            colours = marks.querySelectorAll('path, rect, line, text, circle').length > 0 ? 3 : 1;
        }
        return {w: r.width, h: r.height, colours, label, kind: marks.tagName.toLowerCase()};
    };
    return panel.content.widgets.map((cell, i) => {
        const model = cell.model;
        const source = model.sharedModel.getSource();
        const head = (source.split('\\n').find((line) => line.trim()) || '').trim().slice(0, 70);
        const tags = model.getMetadata('tags') || [];
        const info = {index: i + 1, type: model.type, head, empty: !source.trim(), tags};
        if (model.type !== 'code') return info;
        const prompt = cell.node.querySelector('.jp-InputPrompt');
        info.prompt = prompt ? prompt.innerText.trim() : '';
        info.count = model.executionCount;
        info.outputs = model.outputs.toJSON().map((o) => ({
            type: o.output_type, name: o.name || null, ename: o.ename || null, evalue: o.evalue || null,
            text: o.output_type === 'stream' ? String(o.text).slice(0, 300) : null,
            mimes: o.data ? Object.keys(o.data) : [],
        }));
        const area = cell.outputArea ? cell.outputArea.node : cell.node;
        info.charts = [...area.querySelectorAll('.vega-embed')].map(chartInfo);
        // Charts the cell displays itself (not drawn inside a widget, which needs a live kernel).
        info.ownCharts = [...area.querySelectorAll('.vega-embed')].filter((e) => !e.closest('.jupyter-widgets')).length;
        const tops = [...area.children].map((child) => child.querySelector('.jp-OutputArea-output')).filter(Boolean);
        info.widgets = tops.filter((o) => o.querySelector('.jupyter-widgets')).map((o) => {
            const r = o.getBoundingClientRect();
            return {w: r.width, h: r.height};
        });
        const text = area.innerText || '';
        info.errorText = errorTexts.filter((t) => text.includes(t));
        info.stderr = [...area.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
            .map((e) => e.innerText.trim().slice(0, 300));
        return info;
    });
}
"""

# Open dialogs and error notifications (JupyterLab's toasts), e.g. a kernel that failed to start.
JS_DIALOGS = """
() => [...document.querySelectorAll('.jp-Dialog, .Toastify__toast--error')]
    .map((d) => d.innerText.trim().replace(/\\s+/g, ' ').slice(0, 300))
"""

# A hash of everything the outputs show except the control being moved (its own readout always
# changes): canvases' pixels, SVG marks and text. Computed in the page to keep it small.
JS_FINGERPRINT = """
(root) => {
    const skip = '[data-moved-control]';
    const parts = [];
    const areas = root.matches('.vega-embed') ? [root] : [...root.querySelectorAll('.jp-Cell-outputArea')];
    for (const area of areas) {
        for (const c of area.querySelectorAll('canvas')) if (!c.closest(skip)) parts.push(c.toDataURL());
        for (const s of area.querySelectorAll('svg.marks')) parts.push(s.outerHTML);
        const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (!node.parentElement.closest(skip)) parts.push(node.nodeValue);
        }
    }
    const all = parts.join('\\u0001');
    let h = 2166136261;
    for (let i = 0; i < all.length; i++) { h ^= all.charCodeAt(i); h = Math.imul(h, 16777619); }
    return `${all.length}:${h >>> 0}`;
}
"""

JS_NOTEBOOK_HEIGHT = """
(nb) => Math.max(nb.scrollHeight, ...[...nb.querySelectorAll('.jp-WindowedPanel-outer')].map((e) => e.scrollHeight))
"""

JS_SCROLL_TO = """
(nb, top) => { for (const e of [nb, ...nb.querySelectorAll('.jp-WindowedPanel-outer')]) e.scrollTop = top; }
"""

# Mark the control (with its label and readout) that the fingerprint leaves out.
JS_MARK_CONTROL = "(el) => (el.closest('.vega-bind') || el).setAttribute('data-moved-control', '')"

JS_CELL_INDEX = """
(el) => {
    const cell = el.closest('.jp-Cell');
    if (!cell) return 0;
    return [...cell.parentElement.children].filter((c) => c.classList.contains('jp-Cell')).indexOf(cell) + 1;
}
"""


# ---------------------------------------------------------------------------------------------
# What the committed notebook stores: the reference for "every chart / widget rendered".


def stored_expectations(path: Path) -> dict[int, dict]:
    """Per cell (1-based, as JupyterLab counts them): stored charts, widgets and bad outputs."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = {}
    for index, cell in enumerate(notebook["cells"], start=1):
        if cell["cell_type"] != "code":
            continue
        entry = {"charts": 0, "widgets": 0, "scripts": 0, "errors": [], "stderr": []}
        # nbval's convention: a cell tagged raises-exception shows an error on purpose.
        expected_error = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            if any(m.startswith(CHART_MIME_PREFIXES) for m in data) or "vegaembed" in html.lower():
                entry["charts"] += 1  # an HTML chart (Altair's CDN renderer) must render like the others
            if WIDGET_MIME in data:
                entry["widgets"] += 1
            if "<script" in html.lower():
                entry["scripts"] += 1
            if output.get("output_type") == "error" and not expected_error:
                entry["errors"].append(f"{output.get('ename')}: {output.get('evalue')}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text", "")
                entry["stderr"].append(("".join(text) if isinstance(text, list) else text).strip()[:200])
        cells[index] = entry
    return cells


def where(cell: dict) -> str:
    return f"cell {cell['index']} (`{cell['head']}`)" if cell.get("head") else f"cell {cell['index']}"


def chart_ok(chart: dict) -> bool:
    return chart["w"] > 0 and chart["h"] > 0 and chart["colours"] >= 2


def chart_problems(phase: str, cells: list[dict], stored: dict[int, dict]) -> list[str]:
    """Every stored chart drawn in its cell; every chart on the page drawn, not blank."""
    found = []
    for cell in cells:
        if cell["type"] != "code":
            continue
        expected = stored.get(cell["index"], {}).get("charts", 0)
        drawn = [c for c in cell["charts"] if chart_ok(c)]
        if len(drawn) < expected:
            found.append(
                f"{phase}: {where(cell)} stores {expected} chart(s) but {len(drawn)} rendered "
                f"(a Vega view of non-zero size with something drawn)"
            )
        for number, chart in enumerate(cell["charts"], start=1):
            if not chart_ok(chart):
                found.append(
                    f"{phase}: {where(cell)} chart {number} {chart['label']!r} not drawn: "
                    f"{chart['kind']} {chart['w']:.0f}x{chart['h']:.0f} px, {chart['colours']} colour(s)"
                )
    return found


def unsaved_chart_problems(cells: list[dict], stored: dict[int, dict]) -> list[str]:
    """Charts a cell draws when run but the saved file lacks: a reader without a kernel misses them."""
    missing = [
        (cell, stored.get(cell["index"], {}).get("charts", 0))
        for cell in cells
        if cell["type"] == "code" and cell["ownCharts"] > stored.get(cell["index"], {}).get("charts", 0)
    ]
    if not missing:
        return []
    if not any(entry["charts"] or entry["widgets"] for entry in stored.values()):
        return [
            f"(a) the saved notebook stores no chart, yet {len(missing)} cell(s) draw one when run "
            f"(first: {where(missing[0][0])}): commit it executed, or readers without a kernel see no chart"
        ]
    return [
        f"(a) {where(cell)} draws {cell['ownCharts']} chart(s) when run but the saved notebook stores {count}: "
        "a reader without a kernel does not see it (re-execute and commit the notebook)"
        for cell, count in missing
    ]


def text_problems(phase: str, cells: list[dict]) -> list[str]:
    """Error text shown in outputs, including inside widgets (an explorer's failed update)."""
    found = []
    for cell in cells:
        if cell["type"] != "code":
            continue
        # The cell's own error/stderr outputs are reported from the model, with their message.
        own = any(o["type"] == "error" or o["name"] == "stderr" for o in cell["outputs"])
        own = own or "raises-exception" in cell["tags"]
        for text in cell["errorText"]:
            if not (own and text.startswith("Traceback")):
                found.append(f"{phase}: {where(cell)} shows error text {text!r}")
        if not own:
            for text in cell["stderr"]:
                first = text.splitlines()[0] if text else ""
                found.append(f"{phase}: {where(cell)} shows error/stderr output: {first!r}")
    return found


# ---------------------------------------------------------------------------------------------


class Abort(Exception):
    """A step failed so that the next ones cannot run (the notebook did not open, Run All hung)."""


class Done(Exception):
    """Nothing is left to check: the notebook has no control that needs a kernel."""


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for every notebook: JupyterLab's files come from its cache after the
    first notebook. Each notebook still gets its own page and its own workspace (``Lab.url``)."""
    shared = browser.new_context(viewport=VIEWPORT)
    shared.set_default_timeout(WAIT * 1000)
    yield shared
    shared.close()


class Watcher:
    """Console errors, page errors, failed requests and any request that leaves 127.0.0.1."""

    def __init__(self, page):
        self.events: list[str] = []
        self.warnings: list[str] = []  # not failures; kept in artifacts/timings.json
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("request", lambda request: self._check_host(request.url, "request"))
        page.on("websocket", lambda socket: self._check_host(socket.url, "websocket"))
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.events.append(f"console error: {message.text[:300]}")
        elif message.type == "warning":
            self.warnings.append(message.text[:300])

    def _failed(self, request):
        if _is_local(request.url):
            self.events.append(f"failed request: {request.method} {_short(request.url)} ({request.failure})")

    def _response(self, response):
        if response.status >= 400 and _is_local(response.url):
            self.events.append(f"HTTP {response.status}: {response.request.method} {_short(response.url)}")

    def _check_host(self, url, kind):
        if not _is_local(url):
            self.events.append(f"{kind} outside 127.0.0.1 (the course must work offline): {url[:200]}")


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme not in ("http", "https", "ws", "wss") or parsed.hostname == "127.0.0.1"


def _short(url: str) -> str:
    return url.split("?", 1)[0][:200]  # drop the token


class Lab:
    """One notebook open in JupyterLab in one page."""

    def __init__(self, page, path: str):
        self.page, self.path = page, path
        self.panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")

    def state(self):
        return self.page.evaluate(JS_STATE, self.path)

    def cells(self) -> list[dict]:
        return self.page.evaluate(JS_CELLS, [self.path, list(ERROR_TEXTS)])

    def dialogs(self) -> list[str]:
        return self.page.evaluate(JS_DIALOGS)

    def command(self, name: str) -> None:
        # Do not return the promise: it resolves only once a confirmation dialog is answered.
        self.page.evaluate("(name) => { window.jupyterapp.commands.execute(name); }", name)

    def poll(self, condition, timeout: float, interval: float = 0.2):
        """Call ``condition()`` until it returns something truthy or ``timeout`` s pass."""
        end = time.monotonic() + timeout
        while True:
            value = condition()
            if value or time.monotonic() > end:
                return value
            time.sleep(interval)

    def fingerprint(self, root=None) -> str:
        return (root or self.panel.locator(".jp-Notebook")).evaluate(JS_FINGERPRINT)

    def wait_changed(self, before: str, root=None) -> float | None:
        """Milliseconds until the fingerprint differs from ``before``; None if not within WAIT."""
        start = time.monotonic()
        changed = self.poll(lambda: self.fingerprint(root) != before, WAIT, interval=0.05)
        return round((time.monotonic() - start) * 1000) if changed else None

    def screenshot(self, path: Path) -> list[Path]:
        """The whole notebook as PNGs: the viewport grown to the notebook's height.

        A notebook taller than Chromium's capture limit is saved in parts: ``<name>.png``,
        ``<name>-part2.png``, ... Returns the files written.
        """
        self.page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")
        notebook = self.panel.locator(".jp-Notebook")
        # The notebook scrolls inside .jp-WindowedPanel-outer: its scrollHeight is the full length.
        height = notebook.evaluate(JS_NOTEBOOK_HEIGHT)
        chrome = 150  # px of menu, toolbar and status bar around the notebook
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height + chrome, MAX_SCREENSHOT_HEIGHT)})
        self.page.wait_for_timeout(300)
        step = max(MAX_SCREENSHOT_HEIGHT - 2 * chrome, 1)  # parts overlap a little
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{path.stem}-part*.png"):
            old.unlink()  # from a longer version of the notebook
        written = []
        for number, offset in enumerate(range(0, max(height, 1), step), start=1):
            notebook.evaluate(JS_SCROLL_TO, offset)
            self.page.wait_for_timeout(100)
            target = path if number == 1 else path.with_name(f"{path.stem}-part{number}{path.suffix}")
            self.page.screenshot(path=str(target))
            written.append(target)
        self.page.set_viewport_size(VIEWPORT)
        return written


def move_control(lab: Lab, control, kind: str) -> str:
    """Move a slider with the mouse (drag the handle, click on a Vega track) or pick another option.

    Returns a description "<what> in cell N: <old> -> <new>"; raises AssertionError if the
    control's own value did not change.
    """
    cell = control.evaluate(JS_CELL_INDEX)
    if kind == "widget-slider":
        # Drag the handle with the mouse, as a user would, a quarter of the track towards the
        # middle. (Arrow keys move a log slider by too little to show and can be taken by
        # JupyterLab's shortcuts.) The value read is the readout, i.e. the widget's model value.
        handle = control.locator(".noUi-handle").first
        readout = control.locator(".widget-readout")
        value = lambda: (readout.first.inner_text() if readout.count() else handle.get_attribute("aria-valuenow"))  # noqa: E731
        old = value()
        control.scroll_into_view_if_needed()
        track = control.locator(".noUi-target").first.bounding_box()
        grip = handle.bounding_box()
        x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
        shift = track["width"] / 4 * (-1 if x > track["x"] + track["width"] / 2 else 1)
        lab.page.mouse.move(x, y)
        lab.page.mouse.down()
        lab.page.mouse.move(x + shift, y, steps=5)
        lab.page.mouse.up()
        lab.poll(lambda: value() != old, 2, 0.05)
        labels = control.locator(".widget-label")
        what = f"slider {labels.first.inner_text().strip()!r}" if labels.count() else "slider"
    elif kind in ("widget-dropdown", "vega-select"):
        select = control if kind == "vega-select" else control.locator("select").first
        count = select.evaluate("(s) => s.options.length")
        if count < 2:
            raise AssertionError(f"dropdown in cell {cell} has {count} option(s): nothing to pick")
        value = lambda: select.evaluate("(s) => s.value")  # noqa: E731
        old = value()
        select.select_option(index=(select.evaluate("(s) => s.selectedIndex") + 1) % count)
        what = "dropdown" if kind == "widget-dropdown" else "Vega-Lite dropdown"
    elif kind == "vega-range":
        value = lambda: control.evaluate("(i) => i.value")  # noqa: E731
        old = value()
        # Click on the track, as a user would (JupyterLab's notebook shortcuts take the arrow keys):
        # near the right end, or near the left end when the value is already in the right half.
        low, high = (float(control.get_attribute(a) or d) for a, d in (("min", 0), ("max", 100)))
        box = control.bounding_box()
        right_half = high > low and (float(old) - low) / (high - low) > 0.5
        control.click(position={"x": box["width"] * (0.1 if right_half else 0.9), "y": box["height"] / 2})
        label = control.evaluate("(i) => ((i.closest('label') || i).innerText || i.name || '').trim()")
        what = f"Vega-Lite slider {label!r}"
    else:
        raise ValueError(f"kind={kind!r} is not a known control")
    new = value()
    if new == old:
        raise AssertionError(f"{what} in cell {cell} did not move (value stays {old!r})")
    return f"{what} in cell {cell}: {old} -> {new}"


# ---------------------------------------------------------------------------------------------


def test_notebook_in_browser(notebook, lab_server, context, timings):
    """(a)-(e) for one notebook; see the module docstring."""
    if notebook is None:
        pytest.fail(f"no notebook found in {lab_server.notebooks}: nothing proven in a browser", pytrace=False)
    name = notebook.name
    relative = str(notebook.relative_to(lab_server.notebooks))
    # Expectations from the server's copy: the very file the browser opens, even if the
    # repository's notebook is being rewritten while the suite runs.
    stored = stored_expectations(lab_server.root / relative)
    artifacts = lab_server.artifacts
    problems: list[str] = []
    t_start = time.monotonic()

    def fail_now(reason: str):
        raise Abort(reason)  # stop driving this notebook; still screenshot and read the log

    # (a) problems the file itself carries, whatever the browser does
    for index, entry in stored.items():
        for error in entry["errors"]:
            problems.append(f"(a) cell {index} stores an error output: {error}")
        for text in entry["stderr"]:
            problems.append(f"(a) cell {index} stores stderr output: {text!r}")
        if entry["scripts"]:
            problems.append(
                f"(a) cell {index} stores an HTML output with <script> (blank offline and when untrusted; "
                "charts must use the mimetype renderer)"
            )

    page = context.new_page()
    watcher = Watcher(page)
    lab = Lab(page, relative)
    step = "(a)"  # for an unexpected exception: which step it interrupted
    try:
        # (a) open without running ------------------------------------------------------------
        t0 = time.monotonic()
        page.goto(lab_server.url(relative, workspace=notebook.stem), timeout=WAIT * 3000)
        if not lab.poll(lambda: (s := lab.state()) and s["cells"] > 0, WAIT * 2):
            fail_now(f"(a) the notebook did not open in JupyterLab within {WAIT * 2} s (dialogs: {lab.dialogs()})")
        timings["open"] = round(time.monotonic() - t0, 1)

        t0 = time.monotonic()

        def stored_charts_drawn():
            cells = lab.cells()
            return cells if not chart_problems("", cells, stored) else None

        cells = lab.poll(stored_charts_drawn, WAIT) or lab.cells()
        timings["stored_charts"] = round(time.monotonic() - t0, 1)
        problems += chart_problems("(a) opened without running", cells, stored)
        problems += text_problems("(a) opened without running", cells)
        problems += [f"(a) dialog shown: {text}" for text in lab.dialogs()]

        # Kernel-free interactivity: a Vega-Lite bound control must redraw its chart untrusted.
        bound = lab.panel.locator(".vega-bindings :is(input[type=range], select)")
        if bound.count():
            control = bound.first
            kind = "vega-range" if control.evaluate("(e) => e.tagName") == "INPUT" else "vega-select"
            embed = control.locator("xpath=ancestor::div[contains(@class, 'vega-embed')]").first
            control.evaluate(JS_MARK_CONTROL)
            before = lab.fingerprint(embed)
            try:
                moved = move_control(lab, control, kind)
                if lab.wait_changed(before, embed) is None:
                    problems.append(f"(a) {moved}, but its chart did not redraw within {WAIT} s (no kernel)")
            except AssertionError as error:
                problems.append(f"(a) {error}")
        if SCREENSHOTS:
            t0 = time.monotonic()
            lab.screenshot(artifacts / f"{notebook.stem}-stored.png")
            timings["screenshots"] = round(time.monotonic() - t0, 1)

        if not any(entry["widgets"] for entry in stored.values()):
            if not bound.count():
                problems.append("(a) no control to move: no ipywidget stored and no Vega-Lite bound input; "
                                "every notebook should let the reader move something")
            raise Done  # (a) moved its Vega-Lite control without a kernel; nothing here needs one
        if notebook.parent != lab_server.notebooks:
            # A translation: its code cells are the English notebook's, run here in full; what is
            # its own (its text, stored charts and widgets, in its language) is proven by (a).
            raise Done

        step = "(b)"
        # (b) restart and run all ---------------------------------------------------------------
        t0 = time.monotonic()
        seen = {"kernel": None, "since": time.monotonic()}

        def kernel_settled():
            # JupyterLab may replace the kernel just after opening and drop a Run All sent too
            # early: wait until the same kernel has been connected and idle for KERNEL_STABLE s.
            s = lab.state()
            key = s and s["ready"] and s["status"] == "idle" and s["connection"] == "connected" and s["kernel"]
            if key != seen["kernel"]:
                seen.update(kernel=key, since=time.monotonic())
            return bool(key) and time.monotonic() - seen["since"] >= KERNEL_STABLE

        if not lab.poll(kernel_settled, KERNEL_READY_TIMEOUT):
            fail_now(f"(b) kernel not connected and idle within {KERNEL_READY_TIMEOUT} s: {lab.state()}; dialogs: {lab.dialogs()}")
        timings["kernel_ready"] = round(time.monotonic() - t0, 1)

        t0 = time.monotonic()
        # Clear first, so every output checked below comes from this run, not from the file.
        lab.command("notebook:clear-all-cell-outputs")

        def cleared():
            code = [c for c in lab.cells() if c["type"] == "code"]
            return not any(c["outputs"] or c["count"] for c in code)

        if not lab.poll(cleared, WAIT):  # "did not run" below relies on counts being cleared
            fail_now("(b) Clear All Outputs left outputs or execution counts behind")

        def started():
            cells = lab.cells()
            return any(c.get("prompt") == "[*]:" or c.get("count") for c in cells)

        # The kernel JupyterLab started on opening has run nothing: Run All in it is a run in a fresh
        # kernel, as Restart & Run All gives, without starting a second kernel.
        for _attempt in range(2):  # a command (like a menu click) can be lost: check, retry once
            lab.command("notebook:run-all-cells")
            if lab.poll(started, WAIT):
                break
        else:
            fail_now(f"(b) Run All did not start within {WAIT} s (twice); dialogs: {lab.dialogs()}")

        stable = {"n": 0}

        def finished():
            s, cells = lab.state(), lab.cells()
            running = any(c.get("prompt") == "[*]:" for c in cells)
            failed = any(
                o["type"] == "error" and "raises-exception" not in c["tags"]
                for c in cells if c["type"] == "code" for o in c["outputs"]
            )
            all_ran = all(c["count"] for c in cells if c["type"] == "code" and not c["empty"])
            done = s and s["status"] == "idle" and not running and (all_ran or failed)
            stable["n"] = stable["n"] + 1 if done else 0
            return cells if stable["n"] >= 3 else None  # idle on three polls in a row

        cells = lab.poll(finished, RUN_ALL_TIMEOUT)
        if cells is None:
            cells = lab.cells()
            waiting = [where(c) for c in cells if c.get("prompt") == "[*]:"]
            fail_now(f"(b) Run All not finished after {RUN_ALL_TIMEOUT} s; still queued or running: {waiting[:5]}")
        timings["run_all"] = round(time.monotonic() - t0, 1)

        t0 = time.monotonic()

        def charts_drawn_after_run():
            cells = lab.cells()
            return cells if not chart_problems("", cells, stored) else None

        cells = lab.poll(charts_drawn_after_run, WAIT) or lab.cells()
        timings["charts_after_run"] = round(time.monotonic() - t0, 1)
        phase = "(b) after Run All"
        not_run: list[dict] = []
        for cell in cells:
            if cell["type"] != "code":
                continue
            for output in cell["outputs"]:
                if output["type"] == "error" and "raises-exception" not in cell["tags"]:
                    problems.append(f"{phase}: {where(cell)} raised {output['ename']}: {output['evalue']}")
                elif output["type"] == "stream" and output["name"] == "stderr":
                    problems.append(f"{phase}: {where(cell)} wrote to stderr: {output['text'].strip()[:200]!r}")
            if not cell["empty"] and not cell["count"]:
                not_run.append(cell)
            expected_widgets = stored.get(cell["index"], {}).get("widgets", 0)
            shown = [w for w in cell["widgets"] if w["w"] > 0 and w["h"] > 0]
            if len(shown) < expected_widgets:
                problems.append(
                    f"{phase}: {where(cell)} stores {expected_widgets} widget(s) but {len(shown)} rendered"
                )
        if not_run:
            problems.append(
                f"{phase}: {len(not_run)} cell(s) did not run (Run All stopped before them): "
                f"{where(not_run[0])}" + (f", then cells {', '.join(str(c['index']) for c in not_run[1:])}" if not_run[1:] else "")
            )
        problems += chart_problems(phase, cells, stored)
        problems += text_problems(phase, cells)
        problems += [f"{phase}: dialog shown: {text}" for text in lab.dialogs()]
        problems += unsaved_chart_problems(cells, stored)

        step = "(c)"
        # (c) move one slider or dropdown ---------------------------------------------------------
        widget_controls = lab.panel.locator(":is(.widget-slider, .widget-dropdown)")
        vega_controls = lab.panel.locator(".vega-bindings :is(input[type=range], select)")
        if widget_controls.count():
            control = widget_controls.first
            kind = "widget-slider" if "widget-slider" in (control.get_attribute("class") or "") else "widget-dropdown"
        elif vega_controls.count():
            control = vega_controls.first
            kind = "vega-range" if control.evaluate("(e) => e.tagName") == "INPUT" else "vega-select"
        else:
            control = None
            problems.append(
                "(c) no slider or dropdown found (no .widget-slider/.widget-dropdown, no Vega-Lite bound input): "
                "every notebook should let the reader move something"
            )
        if control is not None:
            control.evaluate(JS_MARK_CONTROL)
            before = lab.fingerprint()
            try:
                moved = move_control(lab, control, kind)
                timings["control"] = moved
                elapsed = lab.wait_changed(before)
                if elapsed is None:
                    problems.append(f"(c) {moved}, but no output changed within {WAIT} s")
                else:
                    timings["control_ms"] = elapsed
                    after = lab.cells()
                    problems += chart_problems("(c) after moving the control", after, {})
                    problems += text_problems("(c) after moving the control", after)
            except AssertionError as error:
                problems.append(f"(c) {error}")
    except Done:
        pass
    except Abort as reason:
        problems.append(str(reason))
    except Exception as error:  # a Playwright timeout, a crashed page: report it with the rest
        problems.append(f"{step} unexpected {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    finally:
        # (d) the screenshot when something failed: it shows what the student would see
        if problems or SCREENSHOTS:
            try:
                t0 = time.monotonic()
                lab.screenshot(artifacts / f"{notebook.stem}.png")
                timings["screenshots"] = round(timings.get("screenshots", 0) + time.monotonic() - t0, 1)
            except Exception as error:
                problems.append(f"(d) screenshot failed: {type(error).__name__}: {error}")
        page.close()
        try:
            lab_server.shut_down_kernels_of(relative)
        except OSError:
            pass
        timings["total"] = round(time.monotonic() - t_start, 1)

    # (e) console errors, page errors, failed or non-local requests -------------------------------
    # Warnings (e.g. "The input spec uses Vega-Lite v5.20.1, but the current version of Vega-Lite
    # is v5.6.1": JupyterLab bundles an older Vega-Lite than Altair writes) are recorded, not failed.
    timings["console_warnings"] = {text: watcher.warnings.count(text) for text in dict.fromkeys(watcher.warnings)}
    problems += [f"(e) {event}" for event in dict.fromkeys(watcher.events)]
    if problems:
        pytest.fail(f"{name}:\n  - " + "\n  - ".join(problems), pytrace=False)
