"""Start a student's Jupyter server without the slow URL-grammar import: a server start 3x cheaper.

JupyterHub runs ``jupyterhub-singleuser`` for each student. That server imports jupyter_events,
which imports jsonschema's format checkers, which import ``rfc3987_syntax`` when it is installed
(jsonschema's ``format-nongpl`` extra, pulled in by jupyter_events). ``rfc3987_syntax`` builds about
forty grammars with Lark at import: about 3 CPU-seconds, on every server start and in every kernel
that imports Altair (jsonschema again). It only serves the ``iri`` and ``iri-reference`` formats,
which no schema of Jupyter, JupyterLab or Vega-Lite uses (``uri`` is checked by another package).
Blocking that one import leaves jsonschema without those two checkers (the case it handles when the
package is missing) and takes a server start from about 4.3 to 1.4 CPU-seconds (measured:
docs/hub.md, "A class clicking at the same minute").

    python lean_server.py [jupyterhub-singleuser's arguments]   # what jupyterhub_config.py runs

The kernel side is ``lean_kernel.py`` (the same block, and no debugger).
"""

from __future__ import annotations

import sys

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


if __name__ == "__main__":
    block_unneeded_imports()
    from jupyterhub.singleuser import main

    sys.exit(main())
