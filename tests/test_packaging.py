"""The course installs from a wheel, away from the checkout: data inside the package, every
dependency declared and none of the instructors' tools', and every notebook runs from the
installed package.

The wheel is built with ``pip wheel`` (an isolated build, as a fresh machine would) and installed
into a new virtual environment that reuses this environment's packages only through
``--system-site-packages``-free pip resolution from the same index, so a missing dependency in
``pyproject.toml`` fails here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: What the instructors' tools need and a student's installation must not pull in.
TOOLS_ONLY = {"nbconvert", "nbclient", "jinja2", "latex2mathml", "plotly"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
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


def _away_from_the_checkout(installed: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_DATA_DIR", "PYTHONPATH")}
    env["PATH"] = f"{installed.parent}:{env.get('PATH', '')}"
    return env


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel and its declared dependencies.

    Dependencies are installed from this environment's own copies where they exist (the machine's
    pip cache and index), so the test needs no more network than the README's install did.
    """
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    # Only what pyproject.toml declares, plus the kernel and nbclient to run the notebooks; with no
    # PYTHONPATH, which could show pip the checkout's course_lib as installed already.
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel), "ipykernel", "nbclient"],
                   check=True, capture_output=True, text=True, env=_away_from_the_checkout(python))
    return python


def test_every_dataset_loads_from_the_installed_package(installed, tmp_path):
    code = (
        "import course_lib, json\nfrom course_lib import data\n"
        "names = data.datasets()['name'].tolist()\n"
        "rows = {n: len(data.load(n)) for n in names}\n"
        "print(json.dumps({'dir': str(data.data_dir()), 'rows': rows}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_DATA_DIR", "PYTHONPATH")}
    out = subprocess.run([str(installed), "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path, env=env)
    result = json.loads(out.stdout)
    assert "site-packages/course_lib/datasets" in result["dir"]
    package = json.loads((ROOT / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    assert set(result["rows"]) == {r["name"] for r in package["resources"]}
    assert all(n > 0 for n in result["rows"].values())


@pytest.fixture(scope="module")
def notebooks(installed, tmp_path_factory) -> Path:
    """A copy of notebooks/ (with the files beside them) and the installed environment's kernel."""
    folder = tmp_path_factory.mktemp("notebooks") / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder)
    subprocess.run([str(installed), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"],
                   check=True, capture_output=True, text=True, env=_away_from_the_checkout(installed))
    return folder


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_runs_from_the_installed_package(installed, notebooks, name):
    code = (
        "import nbformat, sys\nfrom nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "errors = [c.source.splitlines()[:1] for c in nb.cells if c.cell_type == 'code' and 'raises-exception' not in "
        "c.metadata.get('tags', []) and any(o.get('output_type') == 'error' for o in c.get('outputs', []))]\n"
        "print(len(nb.cells), len(errors), errors)"
    )
    out = subprocess.run([str(installed), "-c", code, str(notebooks / name), str(notebooks)], capture_output=True,
                         text=True, cwd=notebooks, env=_away_from_the_checkout(installed))
    assert out.returncode == 0, out.stderr[-2000:]
    cells, errors, first_lines = out.stdout.split(" ", 2)
    assert int(cells) > 10 and int(errors) == 0, f"{name}: cells that failed: {first_lines}"
