"""Start the course's Python kernel without the visual debugger: a student's kernel a little cheaper.

ipykernel imports debugpy (and its pydevd bundle, about 110 modules) at start-up so that JupyterLab's
debugger panel can attach to any kernel. Students of this course change numbers and run cells; they
do not open the debugger. Blocking that one import leaves ipykernel running without its debugger
(the case ipykernel handles when debugpy is not installed) and saves about 7-8 MiB of resident memory
per kernel (measured: docs/hub.md, "A cheaper student").

It also blocks ``rfc3987_syntax``, as ``lean_server.py`` does for the server: Altair imports
jsonschema, whose optional IRI checker builds about forty grammars at import (``import altair`` in a
kernel: 3.2 CPU-seconds with it, about 0.6 without); no chart schema uses it.

With ``COURSE_KERNEL_NICE`` set (the class hub sets 19), the kernel lowers its own CPU priority once
it has started: when a whole class logs in at the same minute, the hub and the servers still
starting get the cores first, and the cells of the students already in run with what is left. On an
idle machine the priority changes nothing. Linux's autogroup scheduling shares the CPU between
sessions first, and Jupyter starts every kernel in a session of its own, so the process's nice value
alone did nothing against the hub (measured: kernels at nice 10 still took 55% of the CPU while 40
students logged in); the kernel also lowers its session's priority (``/proc/self/autogroup``).

    python lean_kernel.py -f CONNECTION_FILE      # what the kernelspec runs
    python lean_kernel.py --install SHARE_DIR     # write SHARE_DIR/kernels/python3/kernel.json

The kernelspec it installs is named ``python3`` like the standard one (so notebooks need no change),
says ``"debugger": false`` (so JupyterLab hides the debugger switch) and runs this file with the
Python that installs it. ``deploy/hub/start.py --kernel lean`` and the Kubernetes image
(``deploy/kubernetes/appendix.Dockerfile``) use it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def install(share: Path) -> Path:
    """Write a ``python3`` kernelspec running this file into ``share/kernels/python3``; return its folder."""
    spec = share / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    kernel = {
        "argv": [sys.executable, str(Path(__file__).resolve()), "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec / "kernel.json").write_text(json.dumps(kernel, indent=1) + "\n")
    return spec


if __name__ == "__main__":
    if sys.argv[1:2] == ["--install"]:
        if len(sys.argv) != 3:
            sys.exit("usage: lean_kernel.py --install SHARE_DIR (e.g. $PREFIX/share/jupyter)")
        print(f"installed {install(Path(sys.argv[2]))}")
        sys.exit(0)
    sys.modules["debugpy"] = None  # type: ignore[assignment]  # `import debugpy` now raises ImportError
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # jsonschema then skips its IRI checker
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize()  # started (and answering) at the priority it was given
    nice = min(int(os.environ.get("COURSE_KERNEL_NICE", "0") or 0), 19)
    if nice > 0:
        os.nice(nice)  # its cells yield the cores to logins in progress, never the reverse
        try:  # the session's share too (autogroup scheduling); absent on other kernels and systems
            with open("/proc/self/autogroup", "w") as autogroup:
                autogroup.write(str(nice))
        except OSError:
            pass
    app.start()
