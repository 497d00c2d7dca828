"""The only two places where course_lib changes a third-party library's behaviour: both for speed.

Each is measured (``benchmarks/run.py``; the README's Performance section gives the figures),
guarded by the exact versions it was written and tested against (any other version: nothing is
changed, the course is only slower), and tested (``tests/test_speedups.py``). Set the environment
variable ``COURSE_NO_SPEEDUPS=1`` to switch both off, e.g. to measure what they buy.

1. :func:`defer_iri_parser` -- ``rfc3987_syntax`` compiles a Lark grammar when imported; jsonschema
   imports it (when installed, as JupyterLab's dependencies install it) while Altair loads. That is
   1-2 s of every kernel's ``import course_lib`` for a format check the course never makes
   (python-jsonschema/jsonschema#1428). The module is registered unexecuted and runs on first use.
2. :func:`share_altair_class_table` -- Altair 5.5's ``SchemaBase.from_dict``, which every shorthand
   encoding such as ``x="year:Q"`` goes through, rebuilds a table of all ~570 schema classes on
   every call (about 5 ms per encoding channel). The table depends only on the classes, so it is
   built once and shared; charts come out the same.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import sys
import types
from typing import Any

__all__ = ["defer_iri_parser", "share_altair_class_table", "TESTED_WITH"]

#: The exact versions each speed-up was tested with; with any other it does nothing.
TESTED_WITH = {
    "defer_iri_parser": {"rfc3987-syntax": ("1.1.0",)},
    "share_altair_class_table": {"altair": ("5.5.0",)},
}


def _allowed(name: str) -> bool:
    if os.environ.get("COURSE_NO_SPEEDUPS"):
        return False
    for distribution, versions in TESTED_WITH[name].items():
        try:
            if importlib.metadata.version(distribution) not in versions:
                return False
        except importlib.metadata.PackageNotFoundError:
            return False
    return True


def defer_iri_parser() -> bool:
    """Build ``rfc3987_syntax``'s IRI parser when an IRI is first validated, not at import.

    Returns True when the deferral was installed. Nothing changes if altair or jsonschema was
    imported already, if the package is not installed, or if its version was not tested.
    """
    if "rfc3987_syntax" in sys.modules or "jsonschema" in sys.modules or not _allowed("defer_iri_parser"):
        return False
    spec = importlib.util.find_spec("rfc3987_syntax")
    if spec is None or spec.loader is None:
        return False
    loader = spec.loader
    module = importlib.util.module_from_spec(spec)
    loaded: list[bool] = []

    def load() -> types.ModuleType:
        if not loaded:
            loaded.append(True)
            delattr(module, "__getattr__")
            loader.exec_module(module)  # replaces is_valid_syntax with the real one
        return module

    def is_valid_syntax(term: str, value: str) -> Any:
        return load().is_valid_syntax(term, value)

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):  # dunder look-ups (pickle, inspect) must not build the parser
            raise AttributeError(name)
        return getattr(load(), name)

    setattr(module, "is_valid_syntax", is_valid_syntax)
    setattr(module, "__getattr__", __getattr__)
    sys.modules["rfc3987_syntax"] = module
    return True


def share_altair_class_table() -> bool:
    """Build Altair's schema-to-class table once, not on every shorthand encoding.

    Returns True when the table is shared (now or already). Measured with
    ``benchmarks/run.py --profile <notebook>``: 8-24 % of a notebook's Run All after its imports.
    """
    if not _allowed("share_altair_class_table"):
        return False
    from altair.utils import schemapi

    table_class: Any = getattr(schemapi, "_FromDict", None)
    if table_class is None:
        return False
    if getattr(table_class, "_course_shared", False):
        return True
    build = table_class.__init__
    tables: dict[tuple[type, ...], Any] = {}

    def __init__(self: Any, wrapper_classes: Any, /) -> None:
        key = tuple(wrapper_classes)
        if key not in tables:
            build(self, key)
            tables[key] = self.class_dict
        self.class_dict = tables[key]

    table_class.__init__ = __init__
    table_class._course_shared = True
    return True
