"""What the notebooks and ``course_lib`` import, checked against what the browser site holds.

The Pyodide kernel loads a package when a cell's own ``import`` statement names it; anything the
site lacks would fail deep in some cell. So the build reads every import (of every code cell, and
of every module of ``course_lib`` the browser runs) and stops on one the site cannot satisfy,
naming the notebook and cell or the module. Each notebook of the site then starts with one hidden
cell (:func:`setup_cell`) that imports everything the notebook uses, so the packages load at once
and anything missing is named in that cell's output, before any other cell runs.

>>> sorted(cell_imports("import numpy as np\\nfrom course_lib import data, energy\\n%matplotlib inline"))
['course_lib', 'course_lib.data', 'course_lib.energy', 'numpy']
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import nbformat

from .lite_wheels import LiteBuildError

__all__ = [
    "SETUP_TAG", "cell_imports", "module_imports", "Availability", "check_package", "NotebookNeeds",
    "notebook_needs", "setup_cell",
]

#: Tag of the cell :func:`setup_cell` adds at the top of each notebook of the site.
SETUP_TAG = "lite-setup"


def _python_source(source: str) -> str:
    """Cell source as plain Python (IPython's ``%magic`` and ``!shell`` lines translated).

    A cell magic's body (``%%time`` ...) is read as Python; a body that is not (``%%bash``) then
    fails to parse and counts as importing nothing.
    """
    if source.lstrip().startswith("%%"):
        source = source.lstrip().split("\n", 1)[1] if "\n" in source.lstrip() else ""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # without IPython, lines starting with % or ! are dropped
        return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    return str(TransformerManager().transform_cell(source))


def cell_imports(source: str, package: str | None = None) -> set[str]:
    """Every module an import statement of ``source`` names, anywhere in it (functions included).

    ``import a.b`` and ``from a import b`` give ``a`` and ``a.b`` (``a.b`` may be a module or a name:
    callers look up what exists). Relative imports are resolved against ``package`` (the dotted
    name of the package the source belongs to) and dropped when it is None. Source that is not
    valid Python (a cell written to show an error) gives nothing.
    """
    try:
        tree = ast.parse(_python_source(source))
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                found.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if package is None:
                    continue
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            parts = base.split(".")
            found.update(".".join(parts[: i + 1]) for i in range(len(parts)))
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def module_imports(files: Mapping[str, str]) -> dict[str, set[str]]:
    """For each module of a package (``{path inside the wheel: source}``), what it imports.

    Paths like ``course_lib/energy/model.py`` become ``course_lib.energy.model``; relative imports
    are resolved.
    """
    result = {}
    for path, source in files.items():
        parts = path[:-3].split("/")
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        package = module if is_package else ".".join(parts[:-1])
        result[module] = cell_imports(source, package)
    return result


@dataclass(frozen=True)
class Availability:
    """What the browser can import: the site's packages, the standard library, and the exceptions.

    ``modules`` maps a top-level import name to the distribution that provides it; ``missing_stdlib``
    are standard-library modules Pyodide does not have (or has as packages the site does not ship);
    ``not_in_browser`` maps import names left out on purpose to the reason; ``desktop_only`` are
    parts of ``course_lib`` that only run on the desktop; ``on_demand`` maps an import name to the
    ``course_lib`` sub-package that alone may use it.
    """

    modules: Mapping[str, str]
    missing_stdlib: frozenset[str]
    not_in_browser: Mapping[str, str]
    desktop_only: tuple[str, ...]
    on_demand: Mapping[str, str]

    def problem(self, module: str) -> str | None:
        """None when ``module`` (a dotted name) can be imported in the browser, else why not."""
        top = module.split(".", 1)[0]
        if any(module == part or module.startswith(part + ".") for part in self.desktop_only):
            return f"{module} is a desktop tool and is not part of the browser version"
        if top in self.modules:
            return None
        if top in self.not_in_browser:
            return f"{top} is left out of the browser version ({self.not_in_browser[top]})"
        if top in self.missing_stdlib:
            return f"{top} is part of Python's standard library but not of this browser version (Pyodide)"
        if top in sys.stdlib_module_names:
            return None
        return f"{top} is not a package of this browser version"

    def is_third_party(self, module: str) -> bool:
        return module.split(".", 1)[0] in self.modules


def check_package(modules: Mapping[str, set[str]], available: Availability, package: str = "course_lib") -> None:
    """Every import of every browser module of ``package`` is satisfied, else :class:`LiteBuildError`.

    Imports of names in ``available.not_in_browser`` are allowed (the function that needs them says
    so when called); an ``on_demand`` package may only be imported inside its own sub-package.
    """
    problems = []
    for module, imported in sorted(modules.items()):
        if any(module == part or module.startswith(part + ".") for part in available.desktop_only):
            continue
        path = module.replace(".", "/") + ".py"
        for name in sorted(imported):
            top = name.split(".", 1)[0]
            if top == package:
                why = available.problem(name) if name in modules else None
                if why is not None:
                    problems.append(f"{path} imports {name}: {why}")
                continue
            if "." in name or top in available.not_in_browser:
                continue  # only top-level names matter; left-out packages fail when used, saying so
            owner = available.on_demand.get(top)
            if owner is not None and not (module == owner or module.startswith(owner + ".")):
                problems.append(f"{path} imports {top}, which the site loads only for notebooks that use {owner} "
                                "(ON_DEMAND in course_tools/build/lite_versions.py)")
                continue
            why = available.problem(name)
            if why is not None:
                problems.append(f"{path} imports {name}: {why}")
    if problems:
        raise LiteBuildError("course_lib cannot run in the browser as built:\n  - " + "\n  - ".join(problems)
                             + "\n(add the package to course_tools/build/lite_versions.py, or list it in "
                               "NOT_IN_BROWSER with the reason)")


@dataclass(frozen=True)
class NotebookNeeds:
    """The third-party packages a notebook imports (top-level names) and where problems are."""

    packages: tuple[str, ...]
    problems: tuple[str, ...]


def notebook_needs(nb: Any, name: str, available: Availability,
                   package_modules: Iterable[str] = (), package: str = "course_lib") -> NotebookNeeds:
    """What a notebook imports that the kernel must load, and each import the site cannot satisfy.

    Problems name the notebook, the cell (numbered as JupyterLab shows them, from 1) and the module.
    The sub-packages of ``package`` it imports add their ``on_demand`` packages.
    """
    known_modules = set(package_modules)
    packages: set[str] = set()
    problems = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        first_line = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
        for module in sorted(cell_imports(cell.source)):
            top = module.split(".", 1)[0]
            if "." in module:
                if top != package or module not in known_modules:
                    continue  # a sub-module of a package, or a name imported from a course_lib module
                why = available.problem(module)
                if why is not None:
                    problems.append(f"{name}, cell {number} (`{first_line}`): imports {module}: {why}")
                    continue
                packages.update(dep for dep, owner in available.on_demand.items()
                                if module == owner or module.startswith(owner + "."))
                continue
            why = available.problem(module)
            if why is not None:
                problems.append(f"{name}, cell {number} (`{first_line}`): imports {module}: {why}")
            elif available.is_third_party(module):
                packages.add(module)
    return NotebookNeeds(tuple(sorted(packages, key=str.lower)), tuple(problems))


def setup_cell(packages: Iterable[str]) -> Any:
    """The hidden first cell of a notebook of the site: import what it uses, name anything missing.

    It also imports :mod:`course_lib._lite_kernel`, so that *Run All* goes past the cells
    tagged ``raises-exception`` as on the desktop.
    """
    names = ", ".join(sorted({*packages, "course_lib"}, key=str.lower))
    source = (
        "# Browser version of the course (the desktop notebooks have no such cell): load every package\n"
        "# this notebook uses, so that anything missing is named here before any other cell runs, and\n"
        "# let Run All go on past the cells meant to show an error, as on the desktop.\n"
        "try:\n"
        f"    import {names}\n"
        "except ModuleNotFoundError as missing:\n"
        "    raise ModuleNotFoundError(\n"
        "        f\"This notebook needs the package {missing.name!r}, which this browser version of the \"\n"
        "        \"course does not include: run the notebook in the desktop course (see its README).\"\n"
        "    ) from None\n"
        "import course_lib._lite_kernel"
    )
    return nbformat.v4.new_code_cell(source, metadata={"tags": [SETUP_TAG], "jupyter": {"source_hidden": True}})
