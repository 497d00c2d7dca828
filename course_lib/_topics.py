"""Find the course's topics without naming them: the floor's side of the plug-in contract.

A *topic* is a sub-package of ``course_lib`` (``course_lib/energy/``, ``course_lib/capital/``,
...) that has a ``questions`` module. It takes part by convention, never by being listed here:

* its ``questions.toml`` holds its exercises as data and its ``questions`` module the functions
  that compute their answers; :mod:`course_lib.exercises` reads both the first time a question
  ``"<topic>.<name>"`` is asked for;
* its exercise families are ``datasets/exercise_variants_<topic>.csv``, found by that name
  (:mod:`course_lib.variants`);
* a module ``explorers`` marks the functions that build its explorers with
  :func:`course_lib.widgets.explorer`;
* its public names are listed once, in its ``__init__.pyi``, and ``course_lib/__init__.py``
  attaches every module :func:`modules` finds, so ``course_lib.<topic>`` works after a bare
  ``import course_lib``.

The floor (``data``, ``params``, ``units``, ``checks``, ``formats``, ``charts``, ``widgets``,
``exercises``, ``variants``, ``identity``, ``flows``) never imports a topic by name: :func:`load`
imports ``course_lib.<topic>.<part>`` for the topics found on disk, when a question or the list of
explorers is first asked for. How to add a topic, step by step: ``docs/architecture.md``.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from pathlib import Path

__all__ = ["modules", "topics", "load"]

_PACKAGE = __name__.rsplit(".", 1)[0]
_HERE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=None)
def modules() -> tuple[str, ...]:
    """Every public module and package of ``course_lib`` (the floor, the topics, the tools' entry points), found on disk.

    >>> {"data", "params", "zeri", "economics"} <= set(modules())
    True
    """
    return tuple(sorted(m.name for m in pkgutil.iter_modules([str(_HERE)]) if not m.name.startswith("_")))


@functools.lru_cache(maxsize=None)
def topics(part: str = "questions") -> tuple[str, ...]:
    """The names of the topic packages that have a module ``part`` (``"questions"``: every topic, ``"explorers"``).

    Found on disk, without importing anything. Only topics count (packages with a ``questions``
    module): the tools (``build``, ``grade``) may have modules of the same names.
    """
    found = []
    for info in pkgutil.iter_modules([str(_HERE)]):
        if not info.ispkg:
            continue
        modules = {m.name for m in pkgutil.iter_modules([str(_HERE / info.name)])}
        if "questions" in modules and part in modules:
            found.append(info.name)
    return tuple(sorted(found))


def load(part: str, names: tuple[str, ...] | None = None) -> None:
    """Import ``course_lib.<topic>.<part>`` for every topic that has it (or for ``names`` only)."""
    available = topics(part)
    for name in available if names is None else [n for n in names if n in available]:
        importlib.import_module(f"{_PACKAGE}.{name}.{part}")
