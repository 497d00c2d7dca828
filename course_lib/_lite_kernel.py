"""In the browser course's kernel: *Run All* goes on past the cells meant to show an error.

Desktop JupyterLab runs past a cell tagged ``raises-exception`` (a cell that shows an error on
purpose, or a student's half-written exercise answer). JupyterLite 0.6 does not: the first cell
that fails cancels every cell queued after it, whatever its tags. The hidden first cell of each
notebook of the browser site imports this module; in the Pyodide kernel it makes a cell tagged
``raises-exception`` show its traceback (the same text, in the same red box) without failing, so
the cells after it run as on the desktop. Any other failing cell stops *Run All* as usual.
Anywhere but the Pyodide kernel, importing this module changes nothing.

>>> install()  # not in the Pyodide kernel here: nothing to do
False
"""

from __future__ import annotations

from typing import Any

__all__ = ["TAG", "STDERR_MIME", "install", "tagged"]

TAG = "raises-exception"
STDERR_MIME = "application/vnd.jupyter.stderr"


def tagged(parent: Any) -> bool:
    """True when the request being run (the kernel's parent message) is for a cell tagged :data:`TAG`."""
    try:
        tags = parent["metadata"]["tags"]
    except (KeyError, TypeError, IndexError):
        return False
    return isinstance(tags, (list, tuple)) and TAG in tags


def install() -> bool:
    """Let cells tagged ``raises-exception`` show their error without stopping *Run All*.

    Returns True when installed (now or before), False outside the Pyodide kernel.
    """
    try:
        import pyodide_kernel
    except ImportError:
        return False
    shell = pyodide_kernel.ipython_shell
    if getattr(shell, "_course_raises_exception", False):
        return True
    kernel = pyodide_kernel.kernel_instance
    record = shell._showtraceback

    def _showtraceback(etype: Any, evalue: Any, stb: Any) -> None:
        if not tagged(getattr(kernel, "_parent_header", None)):
            record(etype, evalue, stb)
            return
        from IPython.display import publish_display_data

        text = "\n".join(stb) if isinstance(stb, (list, tuple)) else str(stb)
        publish_display_data({STDERR_MIME: text + "\n", "text/plain": text})

    shell._showtraceback = _showtraceback
    shell._course_raises_exception = True
    return True


install()
