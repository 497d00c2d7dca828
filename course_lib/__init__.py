"""course_lib: the data and calculations behind the course on sustainable production and consumption.

Importing the package switches on the offline chart renderer and the course's chart theme
(:mod:`course_lib.charts`). Topic modules (``energy``, ``capital``, ``lean``, ``circular``,
``zeri``, ``symbiosis``) are imported by name when a notebook needs them.

>>> import course_lib
>>> from course_lib import data, units, exercises
"""

import importlib.util
import sys


def _defer_iri_parser() -> None:
    """Build ``rfc3987_syntax``'s IRI parser when an IRI is first validated, not at import.

    Altair imports jsonschema, whose format checkers import ``rfc3987_syntax`` when it is installed
    (JupyterLab's dependencies install it). That module compiles its Lark grammar at import time:
    1-2 s of every kernel's ``import course_lib`` on the course machine, half of the whole import,
    for a check the course never makes (python-jsonschema/jsonschema#1428). Here the module is
    registered unexecuted, with an ``is_valid_syntax`` (the one name jsonschema imports) that runs
    it on first call; any other attribute runs it too. Nothing changes if altair or jsonschema was
    imported already, or if the package is not installed.
    """
    if "rfc3987_syntax" in sys.modules or "jsonschema" in sys.modules:
        return
    spec = importlib.util.find_spec("rfc3987_syntax")
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    loaded = []

    def load():
        if not loaded:
            loaded.append(True)
            del module.__getattr__
            spec.loader.exec_module(module)  # replaces is_valid_syntax with the real one
        return module

    def is_valid_syntax(term, value):
        return load().is_valid_syntax(term, value)

    def __getattr__(name):
        if name.startswith("__"):  # dunder look-ups (pickle, inspect) must not build the parser
            raise AttributeError(name)
        return getattr(load(), name)

    module.is_valid_syntax = is_valid_syntax
    module.__getattr__ = __getattr__
    sys.modules["rfc3987_syntax"] = module


_defer_iri_parser()

from . import charts, data, exercises, units  # noqa: E402  (after the deferral above)

__version__ = "0.1.0"
__all__ = ["charts", "data", "exercises", "units", "__version__"]
