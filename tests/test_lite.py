"""The browser build's checks, fast and offline (``python -m course_lib.build lite``).

Each check must stop the build with a message naming the culprit: a wheel whose sha256 differs
from its pin or from the official Pyodide lock file, a file missing from the cache when offline,
a package version the requirements refuse, a notebook or a module of course_lib importing what
the site lacks. The whole build in a real browser is ``tests/browser/test_lite.py``.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest
from pyodide_lock import PyodideLockSpec

from course_lib import _lite_kernel as lite_kernel
from course_tools.build import cli, lite, lite_fetch, lite_imports, lite_versions, lite_wheels
from course_tools.build.lite_fetch import Cache
from course_tools.build.lite_imports import Availability
from course_tools.build.lite_versions import Pin
from course_tools.build.lite_wheels import LiteBuildError, WheelInfo

ROOT = Path(__file__).resolve().parent.parent


def make_wheel(path: Path, name: str, version: str, files: dict[str, str], requires: tuple[str, ...] = (),
               requires_python: str = "", tag: str = "py3-none-any") -> Path:
    """A small valid wheel with METADATA, WHEEL and RECORD."""
    info = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if requires_python:
        metadata += f"Requires-Python: {requires_python}\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    content = dict(files)
    content[f"{info}/METADATA"] = metadata
    content[f"{info}/WHEEL"] = f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: {tag}\n"
    content[f"{info}/RECORD"] = ""
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in content.items():
            archive.writestr(member, text)
    return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- sha256 of pinned files and of compiled wheels ---------------------------------------------

def test_a_wheel_whose_sha256_differs_from_its_pin_stops_the_build_naming_it(tmp_path):
    cache = Cache(tmp_path, offline=True)
    cache.wheels.mkdir(parents=True)
    (cache.wheels / "altair-5.5.0-py3-none-any.whl").write_bytes(b"not the pinned file")
    pin = Pin("altair", "5.5.0", "altair-5.5.0-py3-none-any.whl", "0" * 64)
    with pytest.raises(LiteBuildError, match=r"sha256 mismatch for altair-5\.5\.0-py3-none-any\.whl: .*0{64}.*"
                                             + sha(b"not the pinned file")):
        lite_fetch.fetch_pins([pin], cache)


def test_a_matching_cached_wheel_is_used_without_fetching(tmp_path):
    cache = Cache(tmp_path, offline=True)
    cache.wheels.mkdir(parents=True)
    path = cache.wheels / "comm-0.2.3-py3-none-any.whl"
    path.write_bytes(b"payload")
    found = lite_fetch.fetch_pins([Pin("comm", "0.2.3", path.name, sha(b"payload"))], cache)
    assert found == {path.name: path}


def test_a_wheel_missing_from_the_cache_offline_is_named(tmp_path):
    pin = Pin("pint", "0.25.3", "pint-0.25.3-py3-none-any.whl", "1" * 64)
    with pytest.raises(LiteBuildError, match=r"pint-0\.25\.3-py3-none-any\.whl is not in the cache .* offline"):
        lite_fetch.fetch_pins([pin], Cache(tmp_path, offline=True))


def test_the_npm_tarball_is_checked_against_its_integrity(tmp_path):
    path = tmp_path / "pyodide-0.27.7.tgz"
    path.write_bytes(b"tampered")
    with pytest.raises(LiteBuildError, match=r"integrity mismatch for pyodide-0\.27\.7\.tgz"):
        lite_fetch.verify_integrity(path, lite_versions.PYODIDE_NPM_INTEGRITY)


def compiled_source(tmp_path: Path, members: dict[str, bytes]) -> Path:
    source = tmp_path / "source.whl"
    with zipfile.ZipFile(source, "w") as archive:
        for name, payload in members.items():
            archive.writestr(lite_versions.COMPILED_FOLDER + name, payload)
    return source


OFFICIAL_INFO = {"arch": "wasm32", "platform": "emscripten_3_1_58", "version": lite_versions.PYODIDE,
                 "python": "3.12.7", "abi_version": "2024_0"}


def official(packages: dict[str, dict]) -> PyodideLockSpec:
    return PyodideLockSpec.model_validate({"info": OFFICIAL_INFO, "packages": packages})


def entry(name: str, file_name: str, payload: bytes, depends: list[str] | None = None) -> dict:
    return {"name": name, "version": "1.0", "file_name": file_name, "sha256": sha(payload), "depends": depends or [],
            "imports": [name], "package_type": "package", "install_dir": "site", "unvendored_tests": False}


def test_a_compiled_wheel_not_matching_the_official_lock_file_stops_the_build_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr(lite_versions, "COMPILED_ROOTS", ("pandas",))
    name = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
    lock = official({"pandas": entry("pandas", "pandas-2.2.3-cp312.whl", b"pandas", ["numpy"]),
                     "numpy": entry("numpy", name, b"the official numpy")})
    source = compiled_source(tmp_path, {"pandas-2.2.3-cp312.whl": b"pandas", name: b"another numpy"})
    with pytest.raises(LiteBuildError, match=rf"sha256 mismatch for {re.escape(name)}: the official Pyodide "
                                             r"0\.27\.7 lock file says " + sha(b"the official numpy")):
        lite_fetch.compiled_wheels(lock, source, Cache(tmp_path / "cache"))


def test_a_compiled_wheel_missing_from_its_source_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(lite_versions, "COMPILED_ROOTS", ("pandas",))
    lock = official({"pandas": entry("pandas", "pandas-2.2.3-cp312.whl", b"pandas", ["pytz"]),
                     "pytz": entry("pytz", "pytz-2024.1-py2.py3-none-any.whl", b"pytz")})
    source = compiled_source(tmp_path, {"pandas-2.2.3-cp312.whl": b"pandas"})
    with pytest.raises(LiteBuildError, match=r"pytz-2024\.1-py2\.py3-none-any\.whl \(Pyodide package pytz.*\) is missing"):
        lite_fetch.compiled_wheels(lock, source, Cache(tmp_path / "cache"))


def test_matching_compiled_wheels_are_taken_out_with_their_dependencies(tmp_path, monkeypatch):
    monkeypatch.setattr(lite_versions, "COMPILED_ROOTS", ("pandas",))
    lock = official({"pandas": entry("pandas", "pandas.whl", b"pandas", ["numpy"]),
                     "numpy": entry("numpy", "numpy.whl", b"numpy"), "scipy": entry("scipy", "scipy.whl", b"s")})
    source = compiled_source(tmp_path, {"pandas.whl": b"pandas", "numpy.whl": b"numpy"})
    found = lite_fetch.compiled_wheels(lock, source, Cache(tmp_path / "cache"))
    assert sorted(path.name for _, path in found) == ["numpy.whl", "pandas.whl"]
    assert all(path.read_bytes() == path.stem.encode() for _, path in found)


def test_a_package_missing_from_the_official_lock_file_cannot_be_shipped_as_compiled():
    with pytest.raises(LiteBuildError, match=r"scipy is not in the official Pyodide lock file"):
        lite_wheels.lock_closure({"pandas": ["scipy"]}, ["pandas"])


def test_the_lock_file_is_read_from_the_npm_tarball_and_its_release_checked(tmp_path):
    tarball = tmp_path / "pyodide.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        payload = json.dumps({"info": {"version": "0.26.0"}, "packages": {}}).encode()
        member = tarfile.TarInfo("package/pyodide-lock.json")
        member.size = len(payload)
        archive.addfile(member, io.BytesIO(payload))
    with pytest.raises(LiteBuildError, match=r"lock file of Pyodide 0\.26\.0, not 0\.27\.7"):
        lite_fetch.official_lock(tarball)


def npm_tarball_with_lock(path: Path, lock: dict) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        payload = json.dumps(lock).encode()
        member = tarfile.TarInfo("package/pyodide-lock.json")
        member.size = len(payload)
        archive.addfile(member, io.BytesIO(payload))
    return path


def test_the_official_lock_file_is_read_with_pyodide_locks_model_and_another_format_refused(tmp_path):
    numpy = entry("numpy", "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl", b"numpy")
    good = lite_fetch.official_lock(npm_tarball_with_lock(tmp_path / "good.tgz",
                                                          {"info": OFFICIAL_INFO, "packages": {"numpy": numpy}}))
    assert good.info.python == "3.12.7" and good.packages["numpy"].sha256 == sha(b"numpy")
    changed = {"info": OFFICIAL_INFO, "packages": {"numpy": {**numpy, "checksum": "md5:..."}}}
    with pytest.raises(LiteBuildError, match=r"changed\.tgz: its pyodide-lock\.json does not fit pyodide-lock's "
                                             r"model(.|\n)*checksum"):
        lite_fetch.official_lock(npm_tarball_with_lock(tmp_path / "changed.tgz", changed))


def test_the_lock_the_build_writes_validates_with_pyodide_locks_own_model(tmp_path):
    numpy_file = tmp_path / "numpy-1.0-cp312-cp312-pyodide_2024_0_wasm32.whl"  # entry() says version 1.0
    numpy_file.write_bytes(b"the official numpy")
    lock = official({"numpy": entry("numpy", numpy_file.name, b"the official numpy"),
                     "lzma": {**entry("lzma", "lzma-1.0-cp312-cp312-pyodide_2024_0_wasm32.whl", b"lzma"),
                              "package_type": "cpython_module"}})
    compiled = [(lock.packages["numpy"], numpy_file)]
    pint = make_wheel(tmp_path / "pint-0.25.3-py3-none-any.whl", "Pint", "0.25.3", {"pint/__init__.py": ""},
                      requires=("numpy>=1.23", "babel; python_version < '3'"))
    course = make_wheel(tmp_path / "course_lib-0.2.0-py3-none-any.whl", "course_lib", "0.2.0",
                        {"course_lib/__init__.py": ""}, requires=("pint>=0.24", "numpy", "vl-convert-python"))
    kernel = make_wheel(tmp_path / "piplite-0.6.1-py3-none-any.whl", "piplite", "0.6.1", {"piplite/__init__.py": ""},
                        requires=("micropip",))
    wheels = [(lite_wheels.read_wheel(pint), pint)]
    built = lite._lock(lock, compiled, wheels, (lite_wheels.read_wheel(course), course),
                       [(lite_wheels.read_wheel(kernel), kernel)])
    (tmp_path / "site").mkdir()
    path = lite._write_lock(built, tmp_path / "site")
    written = PyodideLockSpec.from_json(path)  # pyodide-lock's model refuses any field it does not know
    written.check_wheel_filenames()
    assert written == built
    raw = json.loads(path.read_text())
    assert sorted(raw["packages"]) == ["course-lib", "numpy", "pint", "piplite"]  # lzma is not shipped
    assert raw["info"] == OFFICIAL_INFO
    assert raw["packages"]["numpy"] == entry("numpy", numpy_file.name, b"the official numpy")
    for name, wheel in [("pint", pint), ("course-lib", course), ("piplite", kernel)]:
        assert raw["packages"][name]["sha256"] == sha(wheel.read_bytes())
        assert raw["packages"][name]["file_name"] == wheel.name and raw["packages"][name]["install_dir"] == "site"
    assert raw["packages"]["pint"]["depends"] == ["numpy"]  # babel's marker does not apply in the browser
    assert raw["packages"]["course-lib"]["depends"] == ["numpy", "pint"]  # vl-convert-python is not shipped
    assert raw["packages"]["piplite"]["depends"] == []  # the kernel's own wheels load as they are
    available = lite._availability(lock, built)
    assert available.modules["pint"] == "pint" and "lzma" in available.missing_stdlib


def test_a_wheel_whose_file_name_differs_from_its_lock_entry_stops_the_build(tmp_path):
    pint = make_wheel(tmp_path / "pint-0.24-py3-none-any.whl", "pint", "0.25.3", {"pint/__init__.py": ""})
    course = make_wheel(tmp_path / "course_lib-0.2.0-py3-none-any.whl", "course_lib", "0.2.0",
                        {"course_lib/__init__.py": ""})
    with pytest.raises(LiteBuildError, match=r"would not match its files(.|\n)*pint(.|\n)*'0\.24'"):
        lite._lock(official({}), [], [(lite_wheels.read_wheel(pint), pint)],
                   (lite_wheels.read_wheel(course), course), [])


# --- requirements and versions -----------------------------------------------------------------

def info(name: str, version: str, *requires: str, requires_python: str = "") -> WheelInfo:
    return WheelInfo(name, version, requires_python, tuple(requires), (name,), f"{name}-{version}-py3-none-any.whl")


def test_a_version_the_requirements_refuse_stops_the_build_naming_both():
    wheels = [info("altair", "5.5.0", "narwhals>=1.14.2", "typing-extensions>=4.10; python_version < '3.14'")]
    with pytest.raises(LiteBuildError, match=r"altair 5\.5\.0 \(altair-5\.5\.0-py3-none-any\.whl\) needs "
                                             r"narwhals>=1\.14\.2; the site has narwhals 1\.0"):
        lite_wheels.check_requirements(wheels, {"narwhals": "1.0", "typing-extensions": "4.16.0"}, "3.12.7", {})


def test_a_requirement_the_site_lacks_is_named():
    with pytest.raises(LiteBuildError, match=r"course_lib 0\.2\.0 .* needs scipy>=1\.10, which the site does not include"):
        lite_wheels.check_requirements([info("course_lib", "0.2.0", "scipy>=1.10")], {}, "3.12.7", {})


def test_a_wheel_for_another_python_is_refused():
    with pytest.raises(LiteBuildError, match=r"networkx 3\.6\.1 .* needs Python >=3\.13; the browser runs Python 3\.12\.7"):
        lite_wheels.check_requirements([info("networkx", "3.6.1", requires_python=">=3.13")], {}, "3.12.7", {})


def test_markers_that_do_not_apply_in_the_browser_and_left_out_packages_pass():
    wheels = [info("jsonschema", "4.17.3", "importlib-resources>=1.4; python_version < '3.9'", "pyrsistent>=0.14"),
              info("ipywidgets", "8.1.7", "jupyterlab_widgets~=3.0.15", "pywin32; sys_platform == 'win32'")]
    lite_wheels.check_requirements(wheels, {"pyrsistent": "0.20.0"}, "3.12.7",
                                   {"jupyterlab-widgets": "front end only"})


def test_every_course_lib_dependency_is_shipped_or_left_out_with_a_reason():
    """A dependency added to pyproject.toml must be decided for the browser too (fast, no network)."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    from packaging.requirements import Requirement

    shipped = {lite_wheels.canonical(p.name) for p in lite_versions.PURE_WHEELS}
    shipped |= {lite_wheels.canonical(d.pin.name) for d in lite_versions.DERIVED_WHEELS}
    shipped |= {"numpy", "pandas", "ipython"}  # official Pyodide packages (COMPILED_ROOTS and their closure)
    decided = shipped | {lite_wheels.canonical(n) for n in (*lite_versions.NOT_IN_BROWSER, *lite_versions.FRONTEND_ONLY)}
    undecided = [d for d in dependencies if lite_wheels.canonical(Requirement(d).name) not in decided]
    assert not undecided, f"add these to course_tools/build/lite_versions.py (a wheel or NOT_IN_BROWSER): {undecided}"


def test_every_pin_names_its_own_file_and_a_sha256():
    for pin in (*lite_versions.PURE_WHEELS, *(d.pin for d in lite_versions.DERIVED_WHEELS),
                *lite_versions.FRONTEND_WHEELS, lite_versions.COMPILED_SOURCE):
        assert re.fullmatch(r"[0-9a-f]{64}", pin.sha256), pin
        assert lite_wheels.canonical(pin.file.split("-")[0]) == lite_wheels.canonical(pin.name), pin
        assert pin.file.split("-")[1] == pin.version, pin


# --- slimmed wheels ----------------------------------------------------------------------------

def test_a_slimmed_wheel_drops_the_speedup_and_is_retagged_pure(tmp_path):
    source = make_wheel(tmp_path / "MarkupSafe-3.0.2-cp312-cp312-manylinux_2_17_x86_64.whl", "MarkupSafe", "3.0.2",
                        {"markupsafe/__init__.py": "X = 1\n", "markupsafe/_speedups.cpython-312.so": "\0ELF",
                         "markupsafe/_speedups.pyi": "", "markupsafe/_native.py": "Y = 2\n"},
                        tag="cp312-cp312-manylinux_2_17_x86_64")
    first = lite_wheels.derive_pure_wheel(source, tmp_path / "a", ["markupsafe/_speedups*"])
    again = lite_wheels.derive_pure_wheel(source, tmp_path / "b", ["markupsafe/_speedups*"])
    assert first.name == "markupsafe-3.0.2-py3-none-any.whl"
    assert first.read_bytes() == again.read_bytes()  # the same bytes on every build
    with zipfile.ZipFile(first) as archive:
        names = set(archive.namelist())
        wheel = archive.read("MarkupSafe-3.0.2.dist-info/WHEEL").decode()
        record = archive.read("MarkupSafe-3.0.2.dist-info/RECORD").decode()
    assert names == {"markupsafe/__init__.py", "markupsafe/_native.py", "MarkupSafe-3.0.2.dist-info/METADATA",
                     "MarkupSafe-3.0.2.dist-info/WHEEL", "MarkupSafe-3.0.2.dist-info/RECORD"}
    assert "Tag: py3-none-any" in wheel and "Root-Is-Purelib: true" in wheel and "manylinux" not in wheel
    assert "markupsafe/__init__.py,sha256=" in record and "_speedups" not in record


def test_a_slimming_pattern_that_matches_nothing_is_refused(tmp_path):
    source = make_wheel(tmp_path / "plotly-7.1.0-py3-none-any.whl", "plotly", "7.1.0", {"plotly/__init__.py": ""})
    with pytest.raises(LiteBuildError, match=r"plotly-7\.1\.0-py3-none-any\.whl: nothing matches plotly/labextension/\*"):
        lite_wheels.derive_pure_wheel(source, tmp_path / "out", ["plotly/labextension/*"])


def test_wheel_metadata_and_import_names_are_read(tmp_path):
    path = make_wheel(tmp_path / "typing_extensions-4.16.0-py3-none-any.whl", "typing_extensions", "4.16.0",
                      {"typing_extensions.py": "", "pkg/__init__.py": ""}, requires=("attrs>=22",),
                      requires_python=">=3.9")
    found = lite_wheels.read_wheel(path)
    assert (found.name, found.version, found.requires, found.requires_python) == (
        "typing_extensions", "4.16.0", ("attrs>=22",), ">=3.9")
    assert found.imports == ("pkg", "typing_extensions")


# --- imports of notebooks and of course_lib ----------------------------------------------------

AVAILABLE = Availability(
    modules={"course_lib": "course-lib", "pandas": "pandas", "numpy": "numpy", "plotly": "plotly",
             "altair": "altair", "IPython": "ipython"},
    missing_stdlib=frozenset({"tkinter", "lzma"}),
    not_in_browser={"vl_convert": "handouts only"},
    desktop_only=("course_lib.build",),
    on_demand={"plotly": "course_lib.capital"},
)
MODULES = ["course_lib", "course_lib.data", "course_lib.capital", "course_lib.capital.trends", "course_lib.energy",
           "course_lib.exercises", "course_lib.build"]


def notebook(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"),
                                           *(nbformat.v4.new_code_cell(s) for s in sources)])


def test_a_notebook_importing_a_package_the_site_lacks_is_named_with_its_cell():
    nb = notebook("from course_lib import data", "x = 1", "import scipy.stats as st\nst.norm")
    needs = lite_imports.notebook_needs(nb, "07_new.ipynb", AVAILABLE, MODULES)
    assert needs.problems == ("07_new.ipynb, cell 4 (`import scipy.stats as st`): imports scipy: "
                              "scipy is not a package of this browser version",)


def test_the_build_stops_on_such_a_notebook_naming_it_and_the_package(tmp_path):
    path = tmp_path / "07_new.ipynb"
    nbformat.write(notebook("import course_lib", "%matplotlib inline\nimport lzma"), path)
    with pytest.raises(LiteBuildError, match=r"07_new\.ipynb, cell 3 \(`%matplotlib inline`\): imports lzma: lzma is part "
                                             r"of Python's standard library but not of this browser version"):
        lite._notebooks([path], False, AVAILABLE, MODULES, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written


def test_a_notebook_using_a_desktop_tool_is_refused():
    needs = lite_imports.notebook_needs(notebook("from course_lib import build"), "x.ipynb", AVAILABLE, MODULES)
    assert needs.problems == ("x.ipynb, cell 2 (`from course_lib import build`): imports course_lib.build: "
                              "course_lib.build is a desktop tool and is not part of the browser version",)


def test_a_notebook_gets_the_packages_of_its_imports_and_of_the_topics_it_uses():
    nb = notebook("import pandas as pd\nfrom course_lib import capital, data\nfrom course_lib.exercises import check",
                  "import math, json", "from IPython.display import Markdown")
    needs = lite_imports.notebook_needs(nb, "02.ipynb", AVAILABLE, MODULES)
    assert needs.problems == ()
    assert needs.packages == ("course_lib", "IPython", "pandas", "plotly")  # plotly: on demand, for capital
    assert lite_imports.notebook_needs(notebook("from course_lib import energy"), "01.ipynb", AVAILABLE,
                                       MODULES).packages == ("course_lib",)


def test_course_lib_importing_what_the_site_lacks_is_named_by_file():
    modules = {"course_lib.energy.model": {"numpy", "scipy", "course_lib", "course_lib.data"},
               "course_lib.charts": {"altair", "vl_convert"},  # left out on purpose: allowed
               "course_lib.build.site": {"nbconvert"}}  # a desktop tool: not checked
    with pytest.raises(LiteBuildError, match=r"course_lib/energy/model\.py imports scipy: scipy is not a package"):
        lite_imports.check_package(modules, AVAILABLE)


def test_an_on_demand_package_used_outside_its_topic_is_refused():
    with pytest.raises(LiteBuildError, match=r"course_lib/energy/charts\.py imports plotly, which the site loads only "
                                             r"for notebooks that use course_lib\.capital"):
        lite_imports.check_package({"course_lib.energy.charts": {"plotly"}}, AVAILABLE)
    lite_imports.check_package({"course_lib.capital.trends": {"plotly", "numpy"}}, AVAILABLE)


def test_imports_are_read_through_magics_relative_imports_and_functions():
    source = "%%time\nfrom .. import data\ndef f():\n    import pint\n    from .model import g\n"
    assert lite_imports.cell_imports(source, "course_lib.energy") == {
        "course_lib", "course_lib.data", "pint", "course_lib.energy", "course_lib.energy.model",
        "course_lib.energy.model.g"}
    assert lite_imports.cell_imports("this is not python (") == set()


def test_the_setup_cell_imports_every_package_and_names_a_missing_one():
    cell = lite_imports.setup_cell(["pandas", "IPython", "plotly"])
    assert cell.metadata["tags"] == ["lite-setup"] and cell.metadata["jupyter"]["source_hidden"] is True
    assert "    import course_lib, IPython, pandas, plotly\n" in cell.source
    assert "import course_lib._lite_kernel" in cell.source
    compile(cell.source, "setup", "exec")
    namespace: dict = {}
    broken = cell.source.replace("import course_lib, IPython, pandas, plotly", "import course_lib_absent")
    with pytest.raises(ModuleNotFoundError, match=r"This notebook needs the package 'course_lib_absent', which this "
                                                  r"browser version of the course does not include"):
        exec(compile(broken, "setup", "exec"), namespace)


# --- the kernel side and the command line ------------------------------------------------------

def test_only_cells_tagged_raises_exception_go_on_past_their_error():
    assert lite_kernel.tagged({"metadata": {"tags": ["exercise", "raises-exception"]}})
    assert not lite_kernel.tagged({"metadata": {"tags": ["exercise"]}})
    assert not lite_kernel.tagged({"header": {}}) and not lite_kernel.tagged(None)
    assert lite_kernel.install() is False  # outside the Pyodide kernel: nothing changes


def test_the_command_line_has_the_lite_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["lite", "--help"])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    assert "--instructor" in shown and "--offline" in shown and "--cache" in shown


def test_the_command_line_reports_a_bad_notebook_with_exit_status_2(tmp_path, capsys):
    assert cli.main(["lite", str(tmp_path / "missing.ipynb"), "--offline"]) == 2
    assert re.search(r"error: notebook '.*missing\.ipynb' is not an existing \.ipynb file", capsys.readouterr().err)


def test_an_offline_build_with_an_empty_cache_names_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(notebook("1 + 1"), notebooks / "a.ipynb")
    with pytest.raises(LiteBuildError, match=r"pyodide-0\.27\.7\.tgz is not in the cache .* the build is offline"):
        lite.build_lite(notebooks, tmp_path / "site", cache=tmp_path / "cache", offline=True)


def test_an_unrelated_folder_is_never_replaced_by_a_site(tmp_path):
    target = tmp_path / "documents"
    target.mkdir()
    (target / "thesis.tex").write_text("keep me")
    built = tmp_path / "built"
    built.mkdir()
    with pytest.raises(LiteBuildError, match=r"exists and is not an earlier browser build"):
        lite._replace(target, built)
    assert (target / "thesis.tex").read_text() == "keep me"


def test_in_the_browser_the_kernel_reads_the_log_once_and_sends_each_record_to_the_page(tmp_path, monkeypatch):
    """Under Pyodide (``sys.platform == "emscripten"``) the kernel never appends to the log file, which
    stalled check(): it reads what earlier visits logged once, keeps its own records in memory, and
    posts each on the BroadcastChannel the page's course-work.js writes to the browser's storage."""
    import types

    from course_lib import attempts, exercises

    posted: list[str] = []

    class Channel:
        @staticmethod
        def new(name):
            assert name == "course-attempts"
            return types.SimpleNamespace(postMessage=posted.append)

    monkeypatch.setitem(sys.modules, "js", types.SimpleNamespace(BroadcastChannel=Channel))
    monkeypatch.setattr(attempts, "_IN_BROWSER", True)
    monkeypatch.setattr(attempts, "_channel", None)
    monkeypatch.setattr(attempts, "_UNSAVED", [])
    monkeypatch.setattr(attempts, "_SEEN", {})
    log = tmp_path / ".course_attempts.jsonl"
    question = "start.food_day_kwh"
    earlier = {"question": question, "student": "alice", "variant": {}, "answer": 1, "unit": None,
               "verdict": "wrong", "slip": None, "option": None, "attempt": 1, "time": "2026-12-07T10:00:00Z"}
    log.write_text(json.dumps(earlier) + "\n", encoding="utf-8")
    monkeypatch.setenv(attempts.LOG_ENV, str(log))
    before = log.read_bytes()
    entry = attempts.record(question, "alice", {}, 2.0, None, exercises.Feedback(False, "Not yet"))
    assert entry["attempt"] == 2  # counted on from the earlier visit's record
    assert [json.loads(line) for line in posted] == [entry]
    assert log.read_bytes() == before  # the page writes the file, never the kernel
    log.write_text("", encoding="utf-8")  # read once per kernel: a later change is not read again
    assert attempts.next_attempt(question, "alice") == 3
    monkeypatch.setattr(attempts, "_SEEN", {})  # a new kernel reads the file as the page left it
    monkeypatch.setattr(attempts, "_UNSAVED", [])
    assert attempts.next_attempt(question, "alice") == 1

