"""Start a student's Jupyter server without two costs it never needs: a server start 3.5x cheaper.

JupyterHub runs ``jupyterhub-singleuser`` for each student. Profiled (cProfile and the CPU time of
the process and its children, docs/hub.md "A class clicking at the same minute"), a start on this
course's environment cost 5.0 CPU-seconds, of which:

* 3.0 s: jupyter_events imports jsonschema's format checkers, which import ``rfc3987_syntax``
  when it is installed (jsonschema's ``format-nongpl`` extra). It builds about forty grammars with
  Lark at import. It only serves the ``iri`` and ``iri-reference`` formats, which no schema of
  Jupyter, JupyterLab or Vega-Lite uses (``uri`` is checked by another package).
* 0.6 s: JupyterLab's import asks ``node yarn.js config --json`` for the npm registry (a child
  process), to show its version; a student's server never builds or installs an extension.

This command blocks the first import (jsonschema then goes without those two checkers, the case
it handles when the package is missing) and answers the second as JupyterLab does when Node.js is
not installed, then runs ``jupyterhub-singleuser`` unchanged: 1.4 CPU-seconds a start.

    python lean_server.py [jupyterhub-singleuser's arguments]   # what jupyterhub_config.py runs

The kernel side is ``lean_kernel.py`` (the same block, and no debugger).
"""

from __future__ import annotations

import sys
from typing import Any

#: Imports a student's server and kernels never need, blocked (``import x`` raises ImportError).
BLOCKED = ("rfc3987_syntax",)


def block_unneeded_imports() -> None:
    """Make the imports in ``BLOCKED`` fail fast, as if the packages were not installed.

    >>> block_unneeded_imports()
    >>> import rfc3987_syntax  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ModuleNotFoundError: import of rfc3987_syntax halted; None in sys.modules
    """
    for name in BLOCKED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def skip_yarn_config() -> bool:
    """Give JupyterLab an empty yarn configuration instead of running Node.js for it; True if done.

    JupyterLab returns the same empty configuration when Node.js is not installed; it then uses the
    default npm registry, which only matters to building or installing extensions.
    """
    try:
        import jupyterlab.commands as commands
    except ImportError:
        return False
    if not callable(getattr(commands, "_yarn_config", None)):
        return False  # another JupyterLab: leave it as it is

    def empty(_logger: Any) -> dict[str, dict[str, Any]]:
        return {"yarn config": {}, "npm config": {}}

    commands._yarn_config = empty
    return True


if __name__ == "__main__":
    block_unneeded_imports()
    skip_yarn_config()
    from jupyterhub.singleuser import main

    sys.exit(main())
