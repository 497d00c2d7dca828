"""The sandbox each submission runs in: Linux namespaces through bubblewrap (``bwrap``).

A submitted notebook is code from someone else. The grader runs its worker (the kernel and
nbclient, which drives it) inside ``bwrap``, with

* **one writable place**: a fresh, empty in-memory ``/tmp`` (tmpfs) with a size cap (``--disk``
  MB), holding the submission's own folder ``/tmp/submission``: the working folder the notebook
  runs in (a copy of it and of the assignment's support files), ``HOME`` and ``TMPDIR``; and,
  bound from the grader's temporary folder, the two log files the scoring reads afterwards
  (``answers.jsonl``, ``attempts.jsonl``: each capped at the same size by ``RLIMIT_FSIZE``).
  Besides, ``/dev/shm`` is a tmpfs of 8 MB (semaphores live there);
* **everything else read-only or absent**: only the system's programs and libraries (``/usr``),
  the Python environment, the course package and its data, and the worker's own file are
  mounted, read-only (at their own paths, even under ``/tmp``). Home folders, the other
  submissions, the instructor's checkout with its ``points.csv`` and gradebooks, the machine's
  ``/tmp`` and ``/etc/shadow`` do not exist inside;
* **no network**: a network namespace of its own, with only a private loopback (the kernel and
  nbclient talk over it); nothing listening on the machine's ``127.0.0.1`` is reachable, and no
  outside address;
* **its own process space**: a PID namespace, so when the worker ends (or the grader kills it at
  the time limit) every process the notebook started ends with it, ``setsid`` or not;
* a clean environment: only the variables the course needs (no tokens or secrets of the
  instructor's session leak in).

What it does not protect against: it shares the machine's CPU and memory (the time limits and
the memory limit still apply, and the tmpfs counts towards memory); a bug in the Linux kernel or
in bubblewrap; and it cannot stop a student from computing an answer with the course's own
functions, which are mounted for the notebook to use.

Needs ``bwrap`` (Debian and Ubuntu: ``apt install bubblewrap``) and unprivileged user
namespaces, which most Linux distributions allow. On macOS and Windows there is none: grade on a
Linux hub or in a container, or pass ``--no-sandbox`` knowingly.

>>> sandbox_problem() is None or sandbox_problem().startswith("no sandbox:")
True
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["INSIDE", "WORKER", "INPUT", "SandboxUnavailable", "sandbox_problem", "require", "bwrap_command",
           "inside_environment", "prepare"]

#: The submission's folder inside the sandbox, in its only writable place (a capped /tmp of its own).
INSIDE = Path("/tmp/submission")
#: Where the worker's file and the submission's input (read-only) appear inside.
WORKER = Path("/grader/worker.py")
INPUT = Path("/grader/input")
#: Variables passed into the sandbox from the grader's environment (everything else is dropped).
_PASS = ("PATH", "LANG", "LANGUAGE", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED", "TZ")
_PASS_PREFIXES = ("COURSE_", "LC_", "OMP_", "OPENBLAS_", "MKL_", "NUMEXPR_", "VECLIB_")
# System folders whose programs and libraries a Python kernel may load; Debian links most to /usr.
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# The few files of /etc a kernel reads (the dynamic linker's cache, time zone, fonts, program links).
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "fonts", "alternatives",
        "mime.types", "nsswitch.conf", "ssl")
_UID = 1000
#: MB of the shared-memory folder ``/dev/shm`` (kept apart from the submission's folder: it must be a tmpfs of its own).
SHM_MB = 8


class SandboxUnavailable(RuntimeError):
    """The machine cannot run the sandbox; the message says why and what to do, in one line."""


@functools.lru_cache(maxsize=1)
def sandbox_problem() -> str | None:
    """None when the sandbox works on this machine; else one line saying why not and what to do.

    It is tried once per process: a real ``bwrap`` run with every namespace the grader uses.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return ("no sandbox: bubblewrap (bwrap) is not installed; on Debian or Ubuntu `apt install bubblewrap`, "
                "on macOS or Windows grade on a Linux hub or in a container, or pass --no-sandbox to grade "
                "without one (submissions then run with your rights, files and network)")
    try:
        probe = subprocess.run([bwrap, "--unshare-all", "--unshare-user", "--die-with-parent", "--ro-bind", "/", "/",
                                "true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"no sandbox: bwrap could not run ({error}); pass --no-sandbox to grade without one"
    if probe.returncode != 0:
        why = " ".join((probe.stderr.strip().splitlines() or ["no message"])[-1].split())[:200]
        return (f"no sandbox: bwrap cannot create namespaces here ({why}); allow unprivileged user namespaces "
                "(sysctl kernel.unprivileged_userns_clone=1) or pass --no-sandbox to grade without one")
    return None


def require() -> None:
    """Raise :class:`SandboxUnavailable` (saying why) unless the sandbox works on this machine."""
    problem = sandbox_problem()
    if problem is not None:
        raise SandboxUnavailable(problem)


def _ro(path: str | Path) -> list[str]:
    """The arguments that mount ``path`` read-only at the same place (a symbolic link stays a link)."""
    path = Path(path)
    if path.is_symlink():
        return ["--symlink", os.readlink(path), str(path)]
    return ["--ro-bind", str(path), str(path)] if path.exists() else []


def _course_paths() -> list[Path]:
    """What a course notebook imports and reads: the course package, its data and the Python in use."""
    import course_lib
    from course_lib import data

    paths = [Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(course_lib.__file__).parent,
             data.data_dir(), Path(os.path.realpath(sys.executable)).parent]
    return [Path(os.path.realpath(p)) for p in paths]


def _outermost(paths: Iterable[Path]) -> list[Path]:
    """``paths`` without duplicates and without those inside another one (a mount covers its inside)."""
    kept: list[Path] = []
    for path in sorted(set(paths), key=lambda p: len(p.parts)):
        if not any(path == k or k in path.parents for k in kept):
            kept.append(path)
    return kept


def inside_environment(environment: Mapping[str, str], student: str | None) -> dict[str, str]:
    """The sandbox's environment: the course's variables from ``environment``, its own paths, no secrets."""
    env = {k: v for k, v in environment.items() if k in _PASS or k.startswith(_PASS_PREFIXES)}
    env.pop("COURSE_STUDENT", None)
    env.update({"HOME": str(INSIDE / "home"), "TMPDIR": str(INSIDE / "tmp"), "USER": "student",
                "LOGNAME": "student", "COURSE_ANSWER_LOG": str(INSIDE / "answers.jsonl"),
                "COURSE_ATTEMPT_LOG": str(INSIDE / "attempts.jsonl"), "PYTHONDONTWRITEBYTECODE": "1"})
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    if student:
        env["COURSE_STUDENT"] = student
    return env


def bwrap_command(root: Path, worker_args: list[str], *, disk_mb: int) -> list[str]:
    """The ``bwrap`` command that runs the worker for the submission prepared in ``root``.

    ``root`` (on the grader's side) holds ``work/`` (the notebook and support files: mounted
    read-only at :data:`INPUT` and copied by the worker into the writable folder),
    ``answers.jsonl`` and ``attempts.jsonl`` (bound writable: the scoring reads them), and
    ``passwd``/``group`` (the sandbox user's name). ``worker_args`` follow the worker's file.
    """
    require()
    bwrap = shutil.which("bwrap") or "bwrap"
    args = [bwrap, "--unshare-all", "--unshare-user", "--uid", str(_UID), "--gid", str(_UID),
            "--hostname", "submission", "--die-with-parent", "--new-session",
            # The one writable place, capped: a fresh /tmp holding the submission's folder. First, so
            # that what is mounted below it (a Python environment or a checkout under /tmp) stays visible.
            "--size", str(disk_mb * 1024 * 1024), "--tmpfs", "/tmp"]
    for system in _SYSTEM:
        args += _ro(system)
    for name in _ETC:
        args += _ro(Path("/etc") / name)
    args += ["--ro-bind", str(root / "passwd"), "/etc/passwd", "--ro-bind", str(root / "group"), "/etc/group"]
    for path in _outermost(_course_paths()):
        args += ["--ro-bind", str(path), str(path)]
    from . import _worker  # its file, mounted alone: the worker imports nothing of the course or the tools

    args += ["--ro-bind", _worker.__file__, str(WORKER), "--ro-bind", str(root / "work"), str(INPUT),
             "--proc", "/proc",
             # a read-only /dev, but for a small shared-memory folder (POSIX semaphores live there)
             "--dev", "/dev", "--size", str(SHM_MB * 1024 * 1024), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
             "--dir", str(INSIDE / "work"), "--dir", str(INSIDE / "home"), "--dir", str(INSIDE / "tmp"),
             "--bind", str(root / "answers.jsonl"), str(INSIDE / "answers.jsonl"),
             "--bind", str(root / "attempts.jsonl"), str(INSIDE / "attempts.jsonl"),
             "--remount-ro", "/", "--chdir", str(INSIDE / "work"),
             sys.executable, "-P", str(WORKER), *worker_args]
    return args


def prepare(root: Path) -> None:
    """Create in ``root`` the files :func:`bwrap_command` binds: empty logs, the sandbox user's name."""
    for log in ("answers.jsonl", "attempts.jsonl"):
        (root / log).touch()
    (root / "passwd").write_text(f"student:x:{_UID}:{_UID}:student:{INSIDE / 'home'}:/bin/sh\n", encoding="utf-8")
    (root / "group").write_text(f"student:x:{_UID}:\n", encoding="utf-8")
