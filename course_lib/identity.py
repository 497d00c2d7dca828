"""Who is working: the student identity that fixes each student's own exercise numbers.

Every student gets their own numbers in the exercises (:mod:`course_lib.variants`). The numbers
follow from an *identity*, a name or student number, found in this order:

1. the environment variable ``COURSE_STUDENT`` (the grader sets it; an instructor can too);
2. the identity stored beside the notebooks by :func:`remember` (notebook 00 asks for it once);
3. on a JupyterHub, the hub's user name (``JUPYTERHUB_USER``);
4. none: the committed notebooks, the tests and the site show the article's default variant.

Identities are compared after :func:`normalise` (case, spaces and Unicode form do not matter), so
"Alice  Chan" on a laptop and "alice chan" in the browser course get the same numbers.

>>> normalise("  Alice   CHAN "), normalise("Ａｌｉｃｅ Chan") == normalise("alice chan")
('alice chan', True)
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

__all__ = ["STUDENT_ENV", "HUB_ENV", "STORE", "normalise", "current", "remember", "source"]

#: The environment variable that sets the identity; it wins over a stored one.
STUDENT_ENV = "COURSE_STUDENT"
#: Set by JupyterHub in every user's server: the identity when nothing else is set.
HUB_ENV = "JUPYTERHUB_USER"
#: The file, in the folder the notebooks run in, that keeps the identity given in notebook 00.
STORE = ".course_student"


def normalise(identity: str) -> str:
    """``identity`` as compared: Unicode NFKC, case folded, runs of spaces made one, ends trimmed."""
    if not isinstance(identity, str):
        raise TypeError(f"identity must be text such as 'alice' or 's1234567', got {identity!r} of type {type(identity).__name__}")
    return " ".join(unicodedata.normalize("NFKC", identity).casefold().split())


def _stored(folder: Path | None = None) -> str | None:
    path = (folder or Path.cwd()) / STORE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return normalise(text) or None


def source() -> tuple[str | None, str]:
    """The identity in force (normalised, or None) and where it came from, in plain words."""
    given = normalise(os.environ.get(STUDENT_ENV, ""))
    if given:
        return given, f"the environment variable {STUDENT_ENV}"
    stored = _stored()
    if stored:
        return stored, f"the file {STORE} beside the notebooks"
    hub = normalise(os.environ.get(HUB_ENV, ""))
    if hub:
        return hub, "your user name on the class hub"
    return None, "nobody yet: the course's default numbers"


def current() -> str | None:
    """The identity in force, normalised, or None (see the module's docstring for the order)."""
    return source()[0]


def remember(identity: str | None, folder: str | Path | None = None) -> str | None:
    """Keep ``identity`` beside the notebooks (in ``folder``, default the current folder).

    ``None`` or empty text stores nothing and returns the identity already in force. Returns the
    identity in force afterwards (``COURSE_STUDENT``, when set, still wins over the stored one).
    """
    if identity is None or (isinstance(identity, str) and not identity.strip()):
        return current()
    name = normalise(identity)
    if len(name) > 200:
        raise ValueError(f"identity has {len(name)} characters; give a name or student number of at most 200")
    where = Path(folder) if folder is not None else Path.cwd()
    (where / STORE).write_text(name + "\n", encoding="utf-8")
    return current()
