"""``python -m course_lib.build ...``: the course's publishing commands, handed over to the tools.

The tools (student versions, site, slides, handouts, outline, glossary, the course in the browser)
are :mod:`course_tools.build`, in the course's repository beside ``course_lib`` and not in the
wheel a student installs; they need ``requirements-dev.txt``. This entry point finds them (the
checkout this package sits in) and hands over, so instructors' commands and scripts keep working:
``from course_lib import build`` gives the tools' names.

>>> import course_tools.build
>>> from course_lib import build
>>> build.student_notebook is course_tools.build.student_notebook
True
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["tools"]


def tools(name: str) -> ModuleType:
    """``course_tools.<name>``, from the checkout that holds this ``course_lib`` if not importable already."""
    try:
        return importlib.import_module(f"course_tools.{name}")
    except ModuleNotFoundError as missing:
        if missing.name != "course_tools":
            raise  # the tools are there, one of their dependencies is not: pip's message says which
    checkout = Path(__file__).resolve().parents[2]
    if not (checkout / "course_tools" / "__init__.py").is_file():
        raise ModuleNotFoundError(
            f"python -m course_lib.{name} is an instructors' tool: run it from a checkout of the course's "
            "repository after `pip install -r requirements-dev.txt` (an installed course_lib has no tools)",
            name="course_tools")
    sys.path.append(str(checkout))
    return importlib.import_module(f"course_tools.{name}")


def __getattr__(name: str) -> Any:
    return getattr(tools("build"), name)
