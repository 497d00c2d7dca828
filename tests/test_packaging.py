"""The course installs from a wheel, away from the checkout: data inside the package, every
dependency declared and none of the instructors' tools', and every notebook runs from the
installed package.

The wheel is built with ``pip wheel`` from a copy of the checkout (offline: no build isolation, the
setuptools of this environment). It is installed with pip into a new virtual environment next to
exactly what its metadata requires (``Requires-Dist``, followed through each dependency's own), no
more: those distributions are linked in file by file from this environment's installed copies, the
versions the suite runs with, with no network and in seconds. A dependency missing from
``pyproject.toml`` is missing there too, and a notebook's import fails. The notebooks 00-06 then
run there, one after the other in one Python process (an IPython shell, as a kernel runs cells),
each in a fresh namespace: what is proven is that the installed package and its declared
dependencies run them; the kernel, the browser and the cells' outputs are the other tests' work.
"""

from __future__ import annotations

import email.parser
import json
import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: What the instructors' tools need and a student's installation must not pull in.
TOOLS_ONLY = {"nbconvert", "nbclient", "jinja2", "latex2mathml", "plotly"}

pytestmark = pytest.mark.slow  # pip, a new environment and seven notebooks: a minute


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """course_lib's wheel, built from a copy of the checkout (the checkout gets no build folders)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    folders = {"course_lib", *config["tool"]["setuptools"].get("package-dir", {}).values()}
    for item in ROOT.iterdir():
        if item.is_file() and not item.name.startswith("."):
            shutil.copy2(item, source / item.name)
    for folder in folders:
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--disable-pip-version-check", "-q", "-w", str(out), str(source)],
                   check=True, capture_output=True, text=True)
    (found,) = out.glob("course_lib-*.whl")
    return found


def test_the_wheel_carries_every_dataset_and_the_type_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    package = json.loads((ROOT / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert f"course_lib/datasets/{resource['path']}" in names
    assert "course_lib/datasets/datapackage.json" in names and "course_lib/py.typed" in names
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "course_lib").rglob("*.py")}
    assert sources <= names, f"missing from the wheel: {sorted(sources - names)}"
    compiled = {p.relative_to(ROOT).as_posix() for p in (ROOT / "course_lib" / "locale").rglob("*.mo")}
    assert compiled and compiled <= names, f"translations missing from the wheel: {sorted(compiled - names)}"
    assert not [n for n in names if n.startswith(("course_tools/", "tests/"))]  # the tools stay in the checkout


def test_the_wheel_requires_none_of_the_tools_packages(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        lines = archive.read(metadata).decode().splitlines()
    required = {canonicalize_name(Requirement(line.split(":", 1)[1]).name) for line in lines
                if line.startswith("Requires-Dist:")}
    assert {"pandas", "pint", "altair", "ipywidgets"} <= required  # the reader sees the requirements
    assert required & TOOLS_ONLY == set()


def test_a_students_requirements_leave_the_tools_out_and_the_test_command_installs_both():
    student = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    names = {canonicalize_name(Requirement(line).name) for line in student.splitlines()
             if line.strip() and not line.startswith(("#", "-"))}
    assert names & TOOLS_ONLY == set() and "jupyterlab" in names
    assert "-r requirements.txt" in dev.splitlines() and "plotly" not in dev.lower()
    command = ("python3 -m venv .venv && .venv/bin/python -m pip install -r requirements-dev.txt && "
               ".venv/bin/python -m pytest")
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()  # CI runs it verbatim


def _requirements(dist_metadata, extras: frozenset[str]) -> list[Requirement]:
    """The requirements of a distribution that apply here, for the extras asked of it."""
    found = []
    for text in dist_metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(text)
        if requirement.marker is None or any(requirement.marker.evaluate({"extra": e}) for e in extras | {""}):
            found.append(requirement)
    return found


def dependency_closure(wheel: Path) -> list[metadata.Distribution]:
    """This environment's installed distributions that the wheel requires, directly or through others."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        todo = _requirements(email.parser.Parser().parsestr(archive.read(name).decode("utf-8")), frozenset())
    seen: dict[str, metadata.Distribution] = {}
    asked: dict[str, frozenset[str]] = {}
    while todo:
        requirement = todo.pop()
        key = canonicalize_name(requirement.name)
        extras = asked.get(key, frozenset()) | frozenset(requirement.extras)
        if key in seen and extras == asked[key]:
            continue
        asked[key] = extras
        try:
            seen[key] = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"course_lib requires {requirement}, which this environment lacks: pip install -r requirements.txt")
        todo += _requirements(seen[key].metadata, extras)
    return list(seen.values())


def _link_into(target: Path, dist: metadata.Distribution) -> int:
    """Link every file a distribution installed into site-packages (its RECORD) into ``target``."""
    count = 0
    for file in dist.files or []:
        if file.parts[0] == "..":  # console scripts in bin/: the notebooks need none
            continue
        source = Path(str(dist.locate_file(file)))
        if source.is_file():
            (target / file).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(source, target / file)
            count += 1
    return count


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A new virtual environment outside the checkout: the wheel and what its metadata requires, nothing else."""
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    closure = dependency_closure(wheel)
    assert {"pandas", "altair", "pint", "ipywidgets"} <= {canonicalize_name(d.metadata["Name"]) for d in closure}
    assert all(canonicalize_name(d.metadata["Name"]) != "course-lib" for d in closure)
    for dist in closure:
        _link_into(site, dist)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--disable-pip-version-check", "-q", str(wheel)], check=True, capture_output=True, text=True)
    return python


def test_the_environment_holds_only_the_declared_dependencies(installed, wheel):
    """What the wheel does not require is not there: nbval, pytest, JupyterLab (for example)."""
    code = "import importlib.util, json; print(json.dumps([importlib.util.find_spec(m) is not None for m in "
    code += "['course_lib', 'pandas', 'nbval', 'pytest', 'jupyterlab']]))"
    out = subprocess.run([str(installed), "-c", code], capture_output=True, text=True, check=True, env=_clean_env())
    assert json.loads(out.stdout) == [True, True, False, False, False]


def _clean_env() -> dict[str, str]:
    """This process's environment without what points at the checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("COURSE_DATA_DIR", "PYTHONPATH", "COURSE_STUDENT")}


def test_every_dataset_loads_from_the_installed_package(installed, tmp_path):
    code = (
        "import course_lib, json\nfrom course_lib import data\n"
        "names = data.datasets()['name'].tolist()\n"
        "rows = {n: len(data.load(n)) for n in names}\n"
        "print(json.dumps({'dir': str(data.data_dir()), 'rows': rows}))"
    )
    out = subprocess.run([str(installed), "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                         env=_clean_env())
    result = json.loads(out.stdout)
    assert "site-packages/course_lib/datasets" in result["dir"]
    package = json.loads((ROOT / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    assert set(result["rows"]) == {r["name"] for r in package["resources"]}
    assert all(n > 0 for n in result["rows"].values())


# Run in the installed environment: every code cell of each notebook named, in order, in one IPython
# shell, each notebook in a fresh namespace from its own folder. Prints one JSON line per notebook.
RUN_NOTEBOOKS = r"""
import json, os, sys, time
from pathlib import Path
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance()
for name in sys.argv[1:]:
    path = Path(name).resolve()
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    os.chdir(path.parent)
    shell.reset(new_session=True)
    started, ran, errors = time.perf_counter(), 0, []
    for number, cell in enumerate(cells, start=1):
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or not source.strip():
            continue
        result = shell.run_cell(source)
        ran += 1
        if not result.success and "raises-exception" not in cell.get("metadata", {}).get("tags", []):
            error = result.error_in_exec or result.error_before_exec
            errors.append(f"cell {number}: {type(error).__name__}: {str(error)[:300]}")
    print("NOTEBOOK " + json.dumps({"notebook": path.name, "cells": ran, "errors": errors,
                                    "seconds": round(time.perf_counter() - started, 1)}), flush=True)
"""


def test_every_notebook_runs_from_the_installed_package(installed, tmp_path):
    folder = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    notebooks = sorted(folder.glob("*.ipynb"))
    assert len(notebooks) >= 7
    env = {**_clean_env(), "IPYTHONDIR": str(tmp_path / "ipython")}  # no history in the user's home
    out = subprocess.run([str(installed), "-c", RUN_NOTEBOOKS, *map(str, notebooks)], capture_output=True,
                         text=True, cwd=tmp_path, env=env, timeout=280)
    assert out.returncode == 0, out.stderr[-3000:]
    runs = {r["notebook"]: r for r in (json.loads(line.split(" ", 1)[1]) for line in out.stdout.splitlines()
                                        if line.startswith("NOTEBOOK "))}
    assert sorted(runs) == [p.name for p in notebooks], out.stdout[-3000:] + out.stderr[-3000:]
    for path in notebooks:
        code = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                if c["cell_type"] == "code" and "".join(c["source"]).strip()]
        run = runs[path.name]
        assert run["cells"] == len(code) > 10, run
        assert run["errors"] == [], f"{path.name} from the installed wheel: {run['errors']}"
