"""Python bytecode for the browser course, compiled at build time by the browser's own Python.

No wheel the site ships, and not Pyodide's standard library, holds compiled bytecode (``.pyc``):
in the browser, Python compiled every module from its source on every visit, and a notebook's
start spent most of its time there (measured in headless Chromium: ``import IPython`` 3.9 s
from source, 2.3 s from bytecode; ``import pandas, altair, pint`` 7.5 s and 3.4 s). Bytecode is
tied to the exact Python that reads it (3.12 in Pyodide 0.27), which the build machine need not
have, so the build runs Pyodide itself, in Node.js (the one that ``requirements-dev.txt``
installs with npm), and lets it compile:

* each wheel gets, beside every ``x.py``, ``__pycache__/x.cpython-312.pyc``; the source stays (a
  traceback still shows its lines);
* the standard library's zip gets ``x.pyc`` beside every ``x.py`` (where ``zipimport`` looks).

Every ``.pyc`` is *unchecked-hash* (PEP 552): Python uses it without comparing it with the
source's time, which unpacking in the browser does not keep. The compiled copies are cached
(``bytecode/`` in the build's cache) by the sha256 of their source, so a build compiles only
what changed (``course_lib``'s own wheel). A compiled copy is a different file from the one the
official lock file or a pin names: the build checks the original first, and the site's
``pyodide-lock.json`` gives the sha256 of the copy it serves.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .lite_wheels import LiteBuildError, sha256_of

__all__ = ["compile_bytecode"]

_TIMEOUT = 600  # s: compiling everything once takes about 20 s

# Run by Node: load Pyodide from the release's own files, give it the work folder, compile.
_NODE = """
const path = require("path");
const {loadPyodide} = require(path.join(process.argv[2], "pyodide.js"));
(async () => {
  const pyodide = await loadPyodide({indexURL: process.argv[2] + path.sep, stdout: () => {}, stderr: console.error});
  pyodide.FS.mkdir("/work");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, {root: process.argv[3]}, "/work");
  pyodide.runPython(require("fs").readFileSync(path.join(process.argv[3], "compile.py"), "utf8"));
})().catch((error) => { console.error(String(error)); process.exit(1); });
"""

# Run by Pyodide's Python: each job is (source zip, target zip, layout), layout "wheel" or "stdlib".
_PYTHON = """
import importlib.util, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

TAG = sys.implementation.cache_tag
for source, target, layout in json.load(open("/work/jobs.json")):
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target + ".part", "w", zipfile.ZIP_DEFLATED) as zout:
        names = set(zin.namelist())
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data)
            if not info.filename.endswith(".py"):
                continue
            folder, _, name = info.filename.rpartition("/")
            if layout == "stdlib":
                pyc, shown = info.filename + "c", "/lib/python312.zip/" + info.filename
            else:
                pyc = (folder + "/" if folder else "") + "__pycache__/" + name[:-3] + "." + TAG + ".pyc"
                shown = info.filename  # put right when the module is imported (its real path)
            if pyc in names:
                continue
            try:
                code = compile(data, shown, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):  # a template or test file that is not Python 3.12: left as it is
                continue
            stamp = zipfile.ZipInfo(pyc, date_time=(1980, 1, 1, 0, 0, 0))
            stamp.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(stamp, _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
"""


def _node() -> str:
    node = shutil.which("node") or shutil.which("node", path=str(Path(sys.executable).parent))
    if node is None:
        raise LiteBuildError("the browser build compiles Python bytecode with Node.js, which it cannot find "
                             "(pip install -r requirements-dev.txt installs it beside Python)")
    return node


def compile_bytecode(tarball: Path, pyodide_version: str, wheels: Iterable[Path], stdlib: Path | None,
                     cache: Path) -> dict[Path, Path]:
    """Copies of ``wheels`` (and of the standard library's zip ``stdlib``) with compiled bytecode.

    ``tarball`` is Pyodide's npm package (the Python that compiles), ``cache`` a folder of earlier
    copies, found by the sha256 of their source and ``pyodide_version``. Returns each source's copy.

    >>> compile_bytecode(Path("pyodide.tgz"), "0.27.7", [], None, Path("cache"))
    {}
    """
    wanted = [*wheels, *([stdlib] if stdlib is not None else [])]
    copies: dict[Path, Path] = {}
    jobs: list[tuple[Path, Path, str]] = []
    for source in wanted:
        target = cache / pyodide_version / sha256_of(source)[:20] / source.name
        copies[source] = target
        if not target.is_file():
            jobs.append((source, target, "stdlib" if source == stdlib else "wheel"))
    if not jobs:
        return copies
    with tempfile.TemporaryDirectory(prefix="lite-bytecode-") as tmp:
        work = Path(tmp)
        core = work / "core"
        core.mkdir()
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                name = member.name.removeprefix("package/")
                extracted = archive.extractfile(member) if "/" not in name else None
                if extracted is not None:
                    (core / name).write_bytes(extracted.read())
        inputs = work / "in"
        inputs.mkdir()
        plan = []
        for n, (source, target, layout) in enumerate(jobs):
            shutil.copy2(source, inputs / f"{n}-{source.name}")
            plan.append([f"/work/in/{n}-{source.name}", f"/work/in/{n}-out.zip", layout])
        (work / "jobs.json").write_text(json.dumps(plan))
        (work / "compile.py").write_text(_PYTHON)
        (work / "compile.js").write_text(_NODE)
        result = subprocess.run([_node(), str(work / "compile.js"), str(core), str(work)],
                                capture_output=True, text=True, timeout=_TIMEOUT)
        if result.returncode != 0:
            raise LiteBuildError(f"compiling the site's Python bytecode with Pyodide in Node.js failed:\n"
                                 f"{(result.stderr or result.stdout).strip()[-2000:]}")
        for n, (source, target, _) in enumerate(jobs):
            built = inputs / f"{n}-out.zip.part"
            if not built.is_file():
                raise LiteBuildError(f"compiling the bytecode of {source.name} wrote nothing")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(built), str(target))
    return copies
