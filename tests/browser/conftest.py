"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per session.

The server runs on 127.0.0.1 with a free port and a random token (auth stays on), serves a
temporary copy of the notebooks (the repository is never touched), keeps its settings, workspaces
and runtime files in a temporary folder, and opens every notebook *untrusted*
(``NotebookNotary.db_file=:memory:``), as a student gets it after cloning. Chromium is Debian's
(``/usr/bin/chromium``; Playwright's own download cannot run here) and every host name except
127.0.0.1 resolves to nothing, so any request to the internet fails at once and is reported.

Without Chromium (or Playwright) the tests skip with the reason, except when ``CI`` is set: CI
must never skip them, so there they fail.

Environment variables (all optional):

* ``BROWSER_TEST_NOTEBOOKS``: test the ``*.ipynb`` of another folder instead of ``notebooks/``
  (used to prove the suite fails on a deliberately broken copy).
* ``CHROMIUM``: path of the Chromium binary (default ``/usr/bin/chromium``, else ``chromium`` on PATH).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = Path(os.environ.get("BROWSER_TEST_NOTEBOOKS") or REPO / "notebooks")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SERVER_START_TIMEOUT = 40  # s; JupyterLab is usually ready in about 4 s

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A true offline test: every host but 127.0.0.1 resolves to nothing, so a chart or widget that
    # needs a CDN fails here exactly as it would for a student without internet.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

# User settings of the test server (a temporary JUPYTERLAB_SETTINGS_DIR: nobody's own settings).
LAB_SETTINGS = {
    # Keep every cell in the DOM so every output can be inspected (no virtual scrolling).
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # No news/update pop-ups over the notebook (and no request to jupyter.org).
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Never write Run All's outputs back into the copy while a test runs.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}

_TIMINGS: dict[str, dict] = {}
# Talk to the local server directly, whatever http_proxy a CI machine sets.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def notebook_files() -> list[Path]:
    """Every notebook the suite covers: ``notebooks/*.ipynb`` and the course's translations
    (``notebooks/<language>/*.ipynb``), found anew on each run."""
    return sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(NOTEBOOKS.glob("*/*.ipynb"))


def pytest_generate_tests(metafunc):
    if "notebook" in metafunc.fixturenames:
        found = notebook_files()
        params = [pytest.param(path, id=str(path.relative_to(NOTEBOOKS).with_suffix(""))) for path in found]
        if not params:  # an empty parameter set would only skip: say it instead
            params = [pytest.param(None, id="no-notebooks")]
        metafunc.parametrize("notebook", params)


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _skip_or_fail(reason: str):
    """Skip on a developer's machine; fail in CI, which must never skip the browser tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests fail instead of skipping)", pytrace=False)
    pytest.skip(f"{reason}; install it (`apt-get install chromium`) or deselect with -m 'not browser'")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium()
    if path is None:
        _skip_or_fail("no Chromium found at /usr/bin/chromium (or $CHROMIUM, or on PATH)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _skip_or_fail("Python playwright is not installed (pip install -r requirements.txt)")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A running JupyterLab: ``url(path)`` opens a notebook, ``api(...)`` calls its REST API."""

    def __init__(self, root: Path, port: int, token: str, process: subprocess.Popen, log: Path):
        self.root, self.port, self.token, self.process, self.log = root, port, token, process, log
        self.base = f"http://127.0.0.1:{port}"
        self.notebooks, self.artifacts = NOTEBOOKS, ARTIFACTS  # for the tests

    def url(self, relative_path: str, workspace: str) -> str:
        # A workspace of its own + ?reset: no tab restored from an earlier page confuses selectors.
        path = urllib.parse.quote(relative_path)
        return f"{self.base}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.base}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with _NO_PROXY.open(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels_of(self, relative_path: str) -> None:
        """Free the kernel a test started (two cores are shared: idle kernels cost memory)."""
        for session in self.api("/api/sessions"):
            if session.get("path") == relative_path:
                self.api(f"/api/sessions/{session['id']}", method="DELETE")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def lab_server(chromium_path, tmp_path_factory):
    """JupyterLab on 127.0.0.1:<free port> with a random token, serving a copy of the notebooks."""
    base = tmp_path_factory.mktemp("browser-lab")
    root = base / "root"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    settings = base / "settings"
    for plugin, values in LAB_SETTINGS.items():
        target = settings / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()  # the folder shows the last run only, not notebooks since renamed or removed
    log = ARTIFACTS / "jupyterlab.log"
    port, token = _free_port(), secrets.token_hex(24)
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        # Every notebook opens untrusted, as a fresh clone does: stored charts must show anyway.
        "--NotebookNotary.db_file=:memory:",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # window.jupyterapp: the tests run JupyterLab's own commands (the ones the menus run)
        # and read cells from the notebook model rather than guessing from pixels.
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI containers run as root; JupyterLab refuses otherwise
    with log.open("w") as log_file:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = LabServer(root, port, token, process, log)
    started = time.monotonic()
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {process.returncode}:\n{server.log_tail()}", pytrace=False)
            try:
                server.api("/api/status")
                break
            except OSError:
                if time.monotonic() - started > SERVER_START_TIMEOUT:
                    pytest.fail(
                        f"JupyterLab not ready after {SERVER_START_TIMEOUT} s:\n{server.log_tail()}", pytrace=False
                    )
                time.sleep(0.25)
        _TIMINGS["_server_start_s"] = round(time.monotonic() - started, 1)
        yield server
    finally:
        try:
            server.api("/api/shutdown", method="POST")  # shuts its kernels down too
            process.wait(timeout=15)
        except Exception:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def course_sites(tmp_path_factory):
    """The course's site and student site (every notebook plus the demo), built once per test run:
    ``{"site": SiteReport, "student": SiteReport}`` (``tests/harness/sites.py``). The folder is the
    run's, shared by its pytest-xdist workers: the first to ask builds, the others wait and read.
    Read only: a test that changes a site builds its own."""
    from tests.harness.sites import build_sites

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # .../pytest-N/ holds popen-gw*/
    return build_sites(shared / "course-sites")


@pytest.fixture(scope="session")
def course_site_urls(course_sites):
    """Each of ``course_sites`` served on 127.0.0.1 (a free port each): ``{"site": url, "student": url}``."""
    from tests.harness.lite_browser import serve

    with contextlib.ExitStack() as stack:
        yield {kind: stack.enter_context(serve(report.out)) for kind, report in course_sites.items()}


@pytest.fixture(scope="module")
def browser(chromium_path):
    # Module scope, not session: Playwright's sync API allows one running instance per thread,
    # and other browser test modules (test_site.py) start their own after this one has closed.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def timings(request):
    """A dict the test fills with its phase timings; printed in the terminal summary."""
    record: dict = {}
    yield record
    if record:
        _TIMINGS[request.node.callspec.id if hasattr(request.node, "callspec") else request.node.name] = record


def pytest_terminal_summary(terminalreporter):
    rows = {name: t for name, t in _TIMINGS.items() if not name.startswith("_")}
    if not rows:
        return
    write = terminalreporter.write_line
    terminalreporter.section("browser tests: seconds per notebook")
    if "_server_start_s" in _TIMINGS:
        write(f"JupyterLab ready in {_TIMINGS['_server_start_s']} s")
    columns = ["open", "stored_charts", "kernel_ready", "run_all", "charts_after_run", "control_ms", "screenshots", "total"]
    write(f"{'notebook':28}" + "".join(f"{c:>{len(c) + 2}}" for c in columns))
    for name, t in rows.items():
        write(f"{name:28}" + "".join(f"{t.get(c, ''):>{len(c) + 2}}" for c in columns))


def pytest_sessionfinish(session):
    """Keep the timings in artifacts/timings.json: also from a pytest-xdist worker, whose terminal
    summary nobody sees (the table above is printed with ``-n 0``)."""
    if any(not name.startswith("_") for name in _TIMINGS):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "timings.json").write_text(json.dumps(_TIMINGS, indent=2) + "\n")
