"""The shape of course_lib and course_tools, checked on their source: a floor that never knows the
topics, tools that course_lib reaches only through its two entry points, no import cycle (not even
through imports inside functions), topics that load nothing heavy until asked, and no file too
long to read.

The import graph is read with ``ast`` from every file, every import statement included (top level,
inside functions, under ``if TYPE_CHECKING``), so an import hidden in a function cannot hide a cycle.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "course_lib"
#: The instructors' tools, beside course_lib in the repository and outside its wheel.
TOOLS_PACKAGE = PACKAGE.parent / "course_tools"

#: The floor: modules (or packages) every topic may use, which never import a topic.
FLOOR = {"_ureg", "_topics", "_speedups", "_answers", "attempts", "data", "units", "checks", "formats", "charts", "widgets", "exercises", "params",
         "flows", "identity", "variants", "_judge", "_numbers", "_lite_kernel", "i18n"}
#: The topics: one package each, found by the floor through their questions/explorers modules.
TOPICS = {p.parent.name for p in PACKAGE.glob("*/questions.py")}
#: course_lib's entry points of the tools (``python -m course_lib.build|grade``): they hand over to
#: course_tools, the only modules of course_lib that may name it.
ENTRY_POINTS = {"build", "grade"}
MAX_ENTRY_POINT_LINES = 50
#: The part every module of course_tools belongs to: it may use the floor, never a topic.
TOOLS = "course_tools"
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    files = [*sorted(PACKAGE.rglob("*.py")), *sorted(TOOLS_PACKAGE.rglob("*.py"))]
    return {_module_name(p): p for p in files if "datasets" not in p.parts}


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """Every course_lib module that ``name`` imports anywhere in its source."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules else module for alias in node.names]
        else:
            continue
        for target in targets:
            # `import course_lib.capital.model` -> the deepest course_lib module named.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> nx.DiGraph:
    sources = _sources()
    graph = nx.DiGraph()
    graph.add_nodes_from(sources)
    for name, path in sources.items():
        for target in _imports(name, path, set(sources)):
            graph.add_edge(name, target)
    return graph


def _part(module: str) -> str:
    parts = module.split(".")
    if parts[0] == TOOLS:
        return TOOLS
    return parts[1] if len(parts) > 1 else "course_lib"


def test_every_file_belongs_to_the_floor_a_topic_or_the_tools():
    parts = {_part(m) for m in _sources()} - {"course_lib", TOOLS}
    known = FLOOR | TOPICS | ENTRY_POINTS
    assert parts <= known, f"unclassified: {sorted(parts - known)}"
    assert {"start", "energy", "capital", "lean", "circular", "zeri", "symbiosis"} <= TOPICS


def test_the_floor_and_the_tools_never_import_a_topic():
    bad = [(a, b) for a, b in _graph().edges
           if _part(a) in FLOOR | ENTRY_POINTS | {"course_lib", TOOLS} and _part(b) in TOPICS]
    assert bad == []


def _names_the_tools(path: Path) -> bool:
    """Whether a file imports course_tools or names it to be imported (``importlib.import_module``)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if not node.level else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        else:
            continue
        if any(name == TOOLS or name.startswith(TOOLS + ".") for name in names):
            return True
    return False


def test_course_lib_reaches_the_tools_only_through_its_thin_entry_points(tmp_path):
    """The wheel a student installs has no course_tools: nothing a notebook imports may need it."""
    naming = sorted(m for m, path in _sources().items() if _part(m) != TOOLS and _names_the_tools(path))
    assert naming and {_part(m) for m in naming} <= ENTRY_POINTS, naming
    for name, path in _sources().items():
        if _part(name) in ENTRY_POINTS:
            lines = path.read_text(encoding="utf-8").count("\n")
            assert lines <= MAX_ENTRY_POINT_LINES, f"{name} has {lines} lines: an entry point only hands over"
    # A control: the reader sees an import hidden in a function and a name handed to importlib.
    (tmp_path / "a.py").write_text("def f():\n    from course_tools.grade import cli\n")
    (tmp_path / "b.py").write_text("import importlib\nimportlib.import_module('course_tools.build')\n")
    (tmp_path / "c.py").write_text('"""Mentions course_tools in prose only."""\n')
    assert [_names_the_tools(tmp_path / f) for f in ("a.py", "b.py", "c.py")] == [True, True, False]


def test_a_topic_uses_another_topic_only_through_its_public_package():
    """A synthesis topic may reuse another topic's models, never its private modules or its widgets."""
    bad = [(a, b) for a, b in _graph().edges
           if _part(a) in TOPICS and _part(b) in TOPICS and _part(a) != _part(b)
           and b.split(".")[-1] not in (_part(b), "model")]
    assert bad == []


def test_there_is_no_import_cycle_anywhere():
    cycles = list(nx.simple_cycles(_graph()))
    assert cycles == []


def test_the_checker_sees_imports_inside_functions_and_would_fail_on_a_cycle(tmp_path):
    """A control: the graph reader finds a function-level import and the cycle it closes."""
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from . import b\n")
    b.write_text("def f():\n    from .a import x\n")
    modules = {"course_lib.a", "course_lib.b"}
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path
    try:
        assert _imports("course_lib.b", b, modules) == {"course_lib.a"}
        assert _imports("course_lib.a", a, modules) == {"course_lib.b"}
    finally:
        PACKAGE = saved


@pytest.mark.parametrize("name", sorted(_sources()))
def test_no_file_is_too_long_to_read(name):
    lines = _sources()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines (at most {MAX_LINES})"


@pytest.mark.slow  # a fresh Python per topic
@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_importing_a_topic_and_its_model_loads_no_widgets_no_charts_and_no_data(topic):
    code = (
        "import sys, importlib, importlib.util, json, pathlib\n"
        "import pandas as pd\n"
        "read, original = [], pd.read_csv\n"
        "pd.read_csv = lambda path, *a, **k: (read.append(pathlib.Path(path).name), original(path, *a, **k))[1]\n"
        f"importlib.import_module('course_lib.{topic}')\n"
        f"if importlib.util.find_spec('course_lib.{topic}.model'): importlib.import_module('course_lib.{topic}.model')\n"
        "heavy = [m for m in ('ipywidgets', 'altair', 'IPython') if m in sys.modules]\n"
        "print(json.dumps([heavy, sorted(set(read))]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    heavy, read = json.loads(out)
    assert heavy == [], f"course_lib.{topic} imports {heavy}"
    # Only the unit registry's own table may be read (the course's units are defined from it).
    assert set(read) <= {"energy_units.csv"}, f"course_lib.{topic} reads {read} on import"


def test_every_topic_is_reachable_after_a_bare_import():
    """`import course_lib; course_lib.economics` works for every topic (the topics are found, not listed)."""
    code = ("import course_lib, types; print(' '.join(t for t in " + repr(sorted(TOPICS))
            + " if isinstance(getattr(course_lib, t), types.ModuleType)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == sorted(TOPICS)


def test_every_list_of_topics_agrees():
    """One discovery (course_lib._topics); the lists that must exist (the wheel's packages, one typed
    facade per topic) name the same topics."""
    import tomllib

    from course_lib import _topics

    found = set(_topics.topics())
    assert found == TOPICS and found <= set(_topics.modules())
    assert {p.parent.name for p in PACKAGE.glob("*/__init__.pyi")} == found
    packages = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    if isinstance(packages, list):  # a hand-kept list of packages (not `find`): every topic must be in the wheel
        assert {f"course_lib.{t}" for t in found} <= set(packages)
    assert set(_topics.topics("explorers")) <= found


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_a_topic_s_typed_facade_names_what_its_modules_define(topic):
    import importlib

    module = importlib.import_module(f"course_lib.{topic}")
    assert module.__all__ and [name for name in module.__all__ if not hasattr(module, name)] == []
