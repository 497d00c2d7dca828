"""The course installs from a wheel, away from the checkout: data inside the package, every
dependency declared, and the start-here notebook runs from the installed package.

The wheel is built with ``pip wheel`` (an isolated build, as a fresh machine would) and installed
into a new virtual environment that reuses this environment's packages only through
``--system-site-packages``-free pip resolution from the same index, so a missing dependency in
``pyproject.toml`` fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel and its declared dependencies.

    Dependencies are installed from this environment's own copies where they exist (the machine's
    pip cache and index), so the test needs no more network than the README's install did.
    """
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    # Only what pyproject.toml declares, plus the kernel and nbclient to run the notebook.
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel), "ipykernel", "nbclient"],
                   check=True, capture_output=True, text=True)
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


def test_the_start_here_notebook_runs_from_the_installed_package(installed, tmp_path):
    notebook = tmp_path / "00_start_here.ipynb"
    notebook.write_bytes((ROOT / "notebooks" / "00_start_here.ipynb").read_bytes())
    code = (
        "import nbformat, sys\nfrom nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "errors = [o for c in nb.cells for o in c.get('outputs', []) if o.get('output_type') == 'error']\n"
        "print(len(nb.cells), len(errors))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_DATA_DIR", "PYTHONPATH")}
    env["PATH"] = f"{installed.parent}:{env.get('PATH', '')}"
    subprocess.run([str(installed), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"],
                   check=True, capture_output=True, text=True, env=env)
    out = subprocess.run([str(installed), "-c", code, str(notebook), str(tmp_path)], capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    cells, errors = map(int, out.stdout.split())
    assert cells > 10 and errors == 0
