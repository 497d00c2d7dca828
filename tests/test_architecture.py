"""The shape of course_lib, checked on its source: a floor that never knows the topics, no import
cycle (not even through imports inside functions), topics that load nothing heavy until asked,
and no file too long to read.

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

#: The floor: modules (or packages) every topic may use, which never import a topic.
FLOOR = {"_ureg", "_topics", "_speedups", "_answers", "data", "units", "checks", "formats", "charts", "widgets", "exercises",
         "flows", "identity", "variants", "_judge"}
#: The topics: one package each, found by the floor through their questions/explorers modules.
TOPICS = {p.parent.name for p in PACKAGE.glob("*/questions.py")}
#: Tooling that builds the course from the notebooks: may use the floor, never a topic.
TOOLS = {"build", "grade"}
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "datasets" not in p.parts}


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
    return parts[1] if len(parts) > 1 else "course_lib"


def test_every_file_belongs_to_the_floor_a_topic_or_the_tools():
    parts = {_part(m) for m in _sources()} - {"course_lib"}
    assert parts <= FLOOR | TOPICS | TOOLS, f"unclassified: {sorted(parts - FLOOR - TOPICS - TOOLS)}"
    assert {"start", "energy", "capital", "lean", "circular", "zeri", "symbiosis"} <= TOPICS


def test_the_floor_and_the_tools_never_import_a_topic():
    bad = [(a, b) for a, b in _graph().edges if _part(a) in FLOOR | TOOLS | {"course_lib"} and _part(b) in TOPICS]
    assert bad == []


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
