"""The whole course in a browser tab: a JupyterLite site that runs offline, nothing to install.

``python -m course_lib.build lite`` writes ``build/lite/``: JupyterLab (JupyterLite's, 4.4) with
every notebook of the course (student versions; ``--instructor`` for the worked ones) and a Python
kernel that runs in the browser (Pyodide 0.27, Python 3.12) with ``course_lib``, its data and every
package the notebooks import. Serve the folder from any static web space, or open it from a USB
stick with any small web server: the site fetches nothing from anywhere else.

How the kernel gets its packages without a setup cell: the site's ``static/pyodide/pyodide-lock.json``
lists every package it ships (the official entries of the compiled ones, plus one entry per pure
wheel and for ``course_lib``, whose entry depends on what it needs), and the kernel loads the
packages a cell imports before running it. Each notebook starts with one hidden cell that imports
everything the notebook uses (:func:`~.lite_imports.setup_cell`), so the packages load at once and
anything missing is named there.

The build stops with a message naming the culprit when a file is missing or does not match its
sha256 (pins in :mod:`~.lite_versions`, compiled wheels against the official lock file), when a
package's requirements are not met by the versions shipped, or when a notebook or a module of
``course_lib`` imports something the site lacks. Fetching (npm for Pyodide, pip for wheels) happens
only for files missing from the cache (``build/lite-cache/``); ``offline=True`` forbids it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyodide_lock import PackageSpec, PyodideLockSpec

from . import lite_versions as pins
from .lite_fetch import (Cache, compiled_wheels, course_wheel, fetch_pins, kernel_wheels, official_lock,
                         npm_file, npm_tarball, pyodide_core, pyodide_tarball)
from .lite_bytecode import compile_bytecode
from .lite_imports import Availability, check_package, module_imports, notebook_needs, setup_cell
from .lite_wheels import LiteBuildError, WheelInfo, canonical, check_requirements, derive_pure_wheel, lock_entry, \
    marker_environment, read_wheel, sha256_of
from .sources import build_dir, copy_support_files, discover, notebook_paths, out_dir, read, safe_out
from .student import student_notebook
from .translate import LANGUAGES

__all__ = ["LiteReport", "build_lite", "KERNEL_PLUGIN", "KERNEL_SPEC"]

#: The Pyodide kernel's settings key in ``jupyter-lite.json``.
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
#: The kernelspec the site's notebooks carry (the Pyodide kernel's).
KERNEL_SPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
APP_NAME = "Sustainable Production and Consumption"
#: Modules the Pyodide kernel has without the lock file: Pyodide's own.
KERNEL_MODULES = {"pyodide": "pyodide", "pyodide_js": "pyodide", "js": "pyodide", "_pyodide": "pyodide"}
#: The kernel's own wheels (inside its front-end wheel), served next to Pyodide's packages.
KERNEL_WHEELS = ("piplite", "pyodide_kernel", "ipykernel")
#: What the Pyodide kernel installs when it starts (its worker's list, plus micropip and piplite),
#: loaded at once, in parallel, with Pyodide itself instead of one after the other.
KERNEL_PRELOAD = ["micropip", "piplite", "ssl", "sqlite3", "ipykernel", "comm", "pyodide_kernel", "jedi", "ipython"]
#: JupyterLab settings of every copy of the site: no request for news or updates.
SITE_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # Download All My Work (course-work.js) as a labelled button above the file list, where a
    # student looks for their files, as well as in the File menu.
    "@jupyterlab/filebrowser-extension:widget": {"toolbar": [
        {"name": "course-download-all", "command": "course:download-all-work", "rank": 60}]},
}
_JUPYTERLITE_TIMEOUT = 600  # s; the build takes about 5 s
#: The site's own launcher (standard library only): ``python serve.py`` in the built folder.
_LAUNCHER = Path(__file__).resolve().parent / "templates" / "lite" / "serve.py"
#: The scripts added to JupyterLab's page, in order: fflate (the zip writer, copied from its npm
#: package at build time), the persistent-storage note, and the student's work (course-work.js).
_PAGE_SCRIPTS = ("fflate.js", "course-storage.js", "course-work.js")
#: The site's manifest: its build id and the sha256 of every file it ships, read by course-work.js
#: to tell which notebooks a new version of the site changed.
MANIFEST = "course-site.json"


@dataclass
class LiteReport:
    """What :func:`build_lite` wrote: where, which notebooks, which packages, how big, how long."""

    out: Path
    notebooks: list[str]
    version: str
    packages: dict[str, str]
    sizes: dict[str, int] = field(default_factory=dict)
    files: int = 0
    seconds: float = 0.0

    @property
    def total_bytes(self) -> int:
        return sum(self.sizes.values())

    def summary(self) -> str:
        """A few lines for the terminal: where the site is, how big and what dominates its size."""
        parts = ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in
                          sorted(self.sizes.items(), key=lambda item: -item[1]))
        return (f"{len(self.notebooks)} notebooks ({self.version} versions) in {self.out}: "
                f"{self.total_bytes / 1e6:.1f} MB in {self.files} files ({parts}); built in {self.seconds:.0f} s.\n"
                f"Open it with `python {self.out / 'serve.py'}` (it serves the folder on 127.0.0.1 and opens "
                "the browser), or put the folder on any static web host.")


def _check_jupyterlite() -> None:
    try:
        have = importlib.metadata.version("jupyterlite-core")
    except importlib.metadata.PackageNotFoundError:
        raise LiteBuildError(f"jupyterlite-core is not installed (the browser build needs {pins.JUPYTERLITE_CORE}): "
                             "pip install -r requirements-dev.txt") from None
    if have != pins.JUPYTERLITE_CORE:
        raise LiteBuildError(f"jupyterlite-core {have} is installed; the browser build is pinned to "
                             f"{pins.JUPYTERLITE_CORE} (course_tools/build/lite_versions.py): pip install -r requirements-dev.txt")


def _applicable(wheel: WheelInfo, python: str, shipped: Mapping[str, str]) -> list[str]:
    """Canonical names of the requirements of ``wheel`` that apply in Pyodide and that the site ships."""
    from packaging.requirements import Requirement

    env = marker_environment(python)
    names = []
    for text in wheel.requires:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate(env):
            continue
        if canonical(requirement.name) in shipped:
            names.append(canonical(requirement.name))
    return names


def _lock(official: PyodideLockSpec, compiled: list[tuple[PackageSpec, Path]],
          wheels: list[tuple[WheelInfo, Path]], course: tuple[WheelInfo, Path],
          kernel: list[tuple[WheelInfo, Path]]) -> PyodideLockSpec:
    """The site's ``pyodide-lock.json``: the official entries of what it ships, plus its own wheels.

    Each wheel's file name must carry its entry's name and version (``pyodide-lock``'s check), as
    Pyodide finds a package by its entry and installs it by its file.
    """
    python = official.info.python
    packages: dict[str, PackageSpec] = {canonical(entry.name): entry for entry, _ in compiled}
    shipped = {name: entry.version for name, entry in packages.items()}
    shipped.update({canonical(w.name): w.version for w, _ in [*wheels, course]})
    for wheel, path in wheels:
        packages[canonical(wheel.name)] = lock_entry(wheel, sha256_of(path), _applicable(wheel, python, shipped))
    for wheel, path in kernel:  # their requirements are the kernel's business: loaded as they are
        packages[canonical(wheel.name)] = lock_entry(wheel, sha256_of(path), [])
    on_demand = {canonical(name) for name in pins.ON_DEMAND}
    course_info, course_path = course
    depends = [d for d in _applicable(course_info, python, shipped) if d not in on_demand]
    packages[canonical(course_info.name)] = lock_entry(course_info, sha256_of(course_path), depends)
    lock = PyodideLockSpec(info=official.info, packages=dict(sorted(packages.items())))
    try:
        lock.check_wheel_filenames()
    except ValueError as error:
        raise LiteBuildError(f"the site's pyodide-lock.json would not match its files: {error}") from None
    return lock


def _write_lock(lock: PyodideLockSpec, folder: Path) -> Path:
    """Write the site's ``pyodide-lock.json`` into ``folder`` the way ``pyodide-lock`` writes one."""
    path = folder / "pyodide-lock.json"
    lock.to_json(path, indent=1)
    return path


def _availability(official: PyodideLockSpec, lock: PyodideLockSpec) -> Availability:
    modules = dict(KERNEL_MODULES)
    for name, entry in lock.packages.items():
        modules.update({module: name for module in entry.imports})
    unvendored = {module for name, entry in official.packages.items()
                  if entry.package_type == "cpython_module" and canonical(name) not in lock.packages
                  for module in entry.imports}
    not_in_browser = {module: reason for modules_, reason in pins.NOT_IN_BROWSER.values() for module in modules_}
    return Availability(
        modules=modules, missing_stdlib=frozenset(pins.PYODIDE_REMOVED | unvendored),
        not_in_browser=not_in_browser, desktop_only=pins.DESKTOP_ONLY,
        on_demand={name: owner for name, (owner, _) in pins.ON_DEMAND.items()},
    )


def _package_sources(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith(".py") and name.startswith("course_lib/")}


def _notebooks(paths: list[Path], instructor: bool, available: Availability, modules: Iterable[str],
               target: Path) -> list[str]:
    """Write the site's copies of the notebooks into ``target``; stop if any imports what the site lacks."""
    known = set(modules)
    problems: list[str] = []
    copies = []
    for path in paths:
        nb = read(path)
        if not instructor:
            nb = student_notebook(nb)
        needs = notebook_needs(nb, path.name, available, known)
        problems += needs.problems
        nb.cells.insert(0, setup_cell(needs.packages))
        nb.metadata["kernelspec"] = dict(KERNEL_SPEC)
        copies.append((path.name, nb))
    if problems:
        raise LiteBuildError("notebooks import what the browser version does not include:\n  - "
                             + "\n  - ".join(problems) + "\n(add the package to course_tools/build/lite_versions.py)")
    import nbformat

    target.mkdir(parents=True, exist_ok=True)
    for name, nb in copies:
        nbformat.write(nb, target / name)
    copy_support_files(paths, target)
    names = [name for name, _ in copies]
    for folder in sorted({p.parent for p in paths}):  # the course in its other languages, in a folder each
        for code in LANGUAGES:
            if target.name != code and (folder / code).is_dir() and discover(folder / code):
                names += [f"{code}/{name}" for name in
                          _notebooks(discover(folder / code), instructor, available, known, target / code)]
    return names


def _interface_languages(built: Path) -> None:
    """JupyterLab's own words in every language whose pack is installed here (``requirements.txt``
    installs the Traditional Chinese one), offered in *Settings > Language*: what JupyterLite's
    translation step writes, which ``--ignore-sys-prefix`` (no extension of this environment in the
    site) switches off with the rest."""
    from jupyterlab_server.translation_utils import get_language_pack, get_language_packs

    packs, _ = get_language_packs()
    folder = built / "api" / "translations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "all.json").write_text(json.dumps({"data": packs, "message": ""}, indent=2), encoding="utf-8")
    for locale in packs:
        data = get_language_pack(locale)[0] if locale != "en" else {}
        (folder / f"{locale}.json").write_text(json.dumps({"data": data, "message": ""}), encoding="utf-8")


def _site_config() -> dict[str, Any]:
    data: dict[str, Any] = {
        "appName": APP_NAME,
        # window.jupyterapp: the site's own script (course-work.js: download all, restore, updates)
        # adds its commands to JupyterLab's menus and reads the student's files through it.
        "exposeAppInBrowser": "true",
        "litePluginSettings": {KERNEL_PLUGIN: {
            "pyodideUrl": "./static/pyodide/pyodide.js",
            "disablePyPIFallback": True,
            "loadPyodideOptions": {"packages": KERNEL_PRELOAD},
        }},
    }
    return {"jupyter-lite-schema-version": 0, "jupyter-config-data": data}


def _replace(target: Path, built: Path) -> None:
    """Put the new site at ``target``, replacing an earlier site there but nothing else."""
    if target.exists():
        if not target.is_dir() or any(target.iterdir()) and not (target / "jupyter-lite.json").is_file():
            raise LiteBuildError(f"out={str(target)!r} exists and is not an earlier browser build: choose a new or "
                                 "empty folder")
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), str(target))


def _add_page_scripts(site: Path, fflate: Path) -> None:
    """Load the site's own scripts in JupyterLab's pages (:data:`_PAGE_SCRIPTS`).

    ``course-storage.js`` asks the browser to keep the student's work (persistent storage) and
    says in one line whether it will; ``course-work.js`` adds *Download All My Work* and *Restore
    the Original* to the File menu, keeps the attempt log in the browser's storage, and puts a new
    version of a notebook the student changed beside the student's copy (see each script).
    """
    npm_file(fflate, "umd/index.js", site / "fflate.js")
    for name in _PAGE_SCRIPTS[1:]:
        shutil.copy2(_LAUNCHER.with_name(name), site / name)
    for page in sorted((site / "lab").rglob("index.html")):  # lab/ and lab/tree/: JupyterLab's own pages
        html = page.read_text(encoding="utf-8")
        if "</head>" not in html:
            raise LiteBuildError(f"{page} has no </head>: the site's scripts cannot be added (a changed JupyterLite?)")
        tags = "".join(f'<script src="{Path(os.path.relpath(site / name, page.parent)).as_posix()}" defer></script>\n'
                       for name in _PAGE_SCRIPTS)
        page.write_text(html.replace("</head>", f"{tags}</head>", 1), encoding="utf-8")


def site_manifest(site: Path) -> dict[str, Any]:
    """The manifest of a built site: the sha256 of every file under ``files/`` and an id for the whole.

    A notebook's hash changes when its text changes; the id when any file does. A student's
    browser remembers the manifest it last saw: on a visit to a new version, a notebook whose hash
    changed and which the student had changed too gets the new version beside the student's copy.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> (site / "files").mkdir(); _ = (site / "files" / "a.ipynb").write_text("{}")
    >>> manifest = site_manifest(site)
    >>> manifest["files"]["a.ipynb"][:12], len(manifest["site"])
    ('44136fa355b3', 16)
    """
    files = {path.relative_to(site / "files").as_posix(): sha256_of(path)
             for path in sorted((site / "files").rglob("*")) if path.is_file()}
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    return {"kind": "course-site", "version": 1, "site": digest, "files": files}


def _sizes(out: Path, official_files: set[str]) -> tuple[dict[str, int], int]:
    """Bytes of the site by part (the official Pyodide packages named by ``official_files``)."""
    sizes = {"Pyodide core": 0, "official Pyodide packages": 0, "PyPI wheels and course_lib": 0,
             "JupyterLab app": 0, "notebooks and files": 0}
    count = 0
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        count += 1
        relative = path.relative_to(out).as_posix()
        if relative.startswith("static/pyodide/"):
            key = ("official Pyodide packages" if path.name in official_files
                   else "PyPI wheels and course_lib" if path.suffix == ".whl" else "Pyodide core")
        elif relative.startswith("files/"):
            key = "notebooks and files"
        else:
            key = "JupyterLab app"
        sizes[key] += path.stat().st_size
    return sizes, count


def build_lite(notebooks: str | Path | Iterable[str | Path] | None = None, out: str | Path | None = None, *,
               instructor: bool = False, cache: str | Path | None = None, offline: bool = False,
               lab_settings: Mapping[str, Mapping[str, Any]] | None = None) -> LiteReport:
    """Build the JupyterLite site of the course into ``out`` (default ``build/lite/``).

    Parameters
    ----------
    notebooks
        Notebooks or folders of notebooks (default: every notebook of ``notebooks/``).
    out
        The site's folder; an earlier build there is replaced, any other non-empty folder refused.
    instructor
        Ship the notebooks with their worked solutions (default: the student versions).
    cache
        Where fetched files are kept (default ``build/lite-cache/``).
    offline
        Fetch nothing: every file must be in the cache already.
    lab_settings
        JupyterLab settings for every visitor of the site, by plugin id.

    Returns
    -------
    LiteReport
        Where the site is, its notebooks, packages and size by part.
    """
    started = time.monotonic()
    paths = notebook_paths(notebooks)
    if not paths:
        raise LiteBuildError("no notebooks to put in the site")
    target = safe_out(out_dir(out, build_dir() / "lite"), paths)
    if not isinstance(instructor, bool) or not isinstance(offline, bool):
        raise TypeError("instructor and offline must be True or False")
    _check_jupyterlite()
    store = Cache(Path(cache) if cache is not None else build_dir() / "lite-cache", offline=offline)

    tarball = pyodide_tarball(store)
    official = official_lock(tarball)
    fetched = fetch_pins([*pins.PURE_WHEELS, *(d.pin for d in pins.DERIVED_WHEELS), *pins.FRONTEND_WHEELS,
                          pins.COMPILED_SOURCE], store)
    compiled = compiled_wheels(official, fetched[pins.COMPILED_SOURCE.file], store)
    wheel_paths = [fetched[p.file] for p in pins.PURE_WHEELS]
    wheel_paths += [derive_pure_wheel(fetched[d.pin.file], store.folder / "derived", d.drop, d.keep)
                    for d in pins.DERIVED_WHEELS]
    wheels = [(read_wheel(p), p) for p in wheel_paths]
    course_path = course_wheel(store.folder / "course")
    course = (read_wheel(course_path), course_path)

    python = official.info.python
    shipped = {canonical(e.name): e.version for e, _ in compiled}
    shipped.update({canonical(w.name): w.version for w, _ in [*wheels, course]})
    not_needed = {canonical(k): v for k, v in pins.FRONTEND_ONLY.items()}
    not_needed.update({canonical(k): v[1] for k, v in pins.NOT_IN_BROWSER.items()})
    check_requirements([w for w, _ in [*wheels, course]], shipped, python, not_needed)
    kernel_paths = kernel_wheels(fetched[pins.FRONTEND_WHEELS[0].file], KERNEL_WHEELS, store)
    kernel = [(read_wheel(p), p) for p in kernel_paths]
    # Bytecode, compiled by Pyodide's own Python (lite_bytecode): the originals are checked above,
    # the site serves the compiled copies, and its lock file names their sha256.
    stdlib = store.folder / "core" / pins.PYODIDE / "python_stdlib.zip"
    if not stdlib.is_file():
        stdlib.parent.mkdir(parents=True, exist_ok=True)
        npm_file(tarball, "python_stdlib.zip", stdlib)
    compiled_copy = compile_bytecode(tarball, pins.PYODIDE, [p for _, p in [*compiled, *wheels, course, *kernel]],
                                     stdlib, store.folder / "bytecode")
    compiled = [(entry.model_copy(update={"sha256": sha256_of(compiled_copy[p])}), compiled_copy[p]) for entry, p in compiled]
    wheels = [(info, compiled_copy[p]) for info, p in wheels]
    course = (course[0], compiled_copy[course[1]])
    kernel = [(info, compiled_copy[p]) for info, p in kernel]
    lock = _lock(official, compiled, wheels, course, kernel)
    available = _availability(official, lock)
    package_modules = module_imports(_package_sources(course_path))
    check_package(package_modules, available)

    with tempfile.TemporaryDirectory(prefix="lite-stage-") as tmp:
        stage = Path(tmp)
        lite_dir, files, built = stage / "lite", stage / "files", stage / "site"
        lite_dir.mkdir()
        names = _notebooks(paths, instructor, available, package_modules, files)
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(_site_config(), indent=2))
        settings = {**SITE_SETTINGS, **{k: dict(v) for k, v in (lab_settings or {}).items()}}
        (lite_dir / "overrides.json").write_text(json.dumps(settings, indent=2))
        extensions = [str(fetched[p.file]) for p in pins.FRONTEND_WHEELS]
        (lite_dir / "jupyter_lite_config.json").write_text(
            json.dumps({"LiteBuildConfig": {"federated_extensions": extensions}}, indent=2))
        command = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir),
                   "--output-dir", str(built), "--contents", str(files), "--ignore-sys-prefix", "--no-sourcemaps",
                   "--apps", "lab", "--no-unused-shared-packages"]
        result = subprocess.run(command, cwd=lite_dir, capture_output=True, text=True, timeout=_JUPYTERLITE_TIMEOUT)
        if result.returncode != 0:
            raise LiteBuildError(f"jupyter lite build failed:\n{(result.stderr or result.stdout).strip()[-3000:]}")
        _interface_languages(built)
        pyodide_dir = built / "static" / "pyodide"
        pyodide_core(tarball, pyodide_dir)
        shutil.copy2(compiled_copy[stdlib], pyodide_dir / "python_stdlib.zip")
        for _, path in [*compiled, *wheels, course, *kernel]:
            shutil.copy2(path, pyodide_dir / path.name)
        _write_lock(lock, pyodide_dir)
        (built / ".nojekyll").write_text("")  # GitHub Pages: serve every file as it is
        # The launcher for a stick or a folder (file:// cannot run the site): python serve.py
        shutil.copy2(_LAUNCHER, built / "serve.py")
        (built / MANIFEST).write_text(json.dumps(site_manifest(built), indent=1))
        _add_page_scripts(built, npm_tarball("fflate", pins.FFLATE, pins.FFLATE_NPM_INTEGRITY, store, "the zip writer"))
        if (built / "lab" / "favicon.ico").is_file():  # browsers ask for /favicon.ico by themselves
            shutil.copy2(built / "lab" / "favicon.ico", built / "favicon.ico")
        _replace(target, built)

    sizes, count = _sizes(target, {path.name for _, path in compiled})
    packages = {entry.name: entry.version for entry in lock.packages.values()}
    return LiteReport(out=target, notebooks=names, version="instructor" if instructor else "student",
                      packages=packages, sizes=sizes, files=count, seconds=time.monotonic() - started)
