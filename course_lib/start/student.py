"""Notebook 00's "Your own numbers": tell the course who is working, and hear back whose numbers it shows."""

from __future__ import annotations

import numbers

from .. import identity
from ..i18n import _

__all__ = ["who_am_i"]


def who_am_i(student: object = None) -> None:
    """Remember ``student`` (a name or student number) and print, in plain words, whose numbers the
    exercises now show and where that identity comes from.

    ``None`` (or empty text) stores nothing: the course keeps the identity already in force (the
    class hub's user name, or one given before), else shows its default numbers. A problem (a
    folder that cannot be written, a name too long) is printed as a sentence, never a traceback.

    >>> import os, tempfile
    >>> saved = {name: os.environ.pop(name) for name in ("COURSE_STUDENT", "JUPYTERHUB_USER") if name in os.environ}
    >>> here = os.getcwd(); os.chdir(tempfile.mkdtemp())
    >>> who_am_i("  S1234567 ")
    The course now knows you as 's1234567' (from the file .course_student beside the notebooks).
    Every exercise shows your own numbers, the same on every device and after a restart.
    >>> os.chdir(here); os.environ.update(saved)
    """
    given = student
    if isinstance(student, numbers.Integral) and not isinstance(student, bool):
        given = str(student)  # a student number typed without quotes
    elif student is not None and not isinstance(student, str):
        print(_("Not stored: {given} is not a name or a student number. Write it between quotes, "
                'for example student = "s1234567", and run this cell again.').format(given=repr(student)))
        given = None
    try:
        identity.remember(given)  # type: ignore[arg-type]
    except (OSError, ValueError) as problem:
        print(_("Not stored: {problem}.").format(problem=problem))
    who, where = identity.source()
    if who is None:
        print(_("No name or student number given yet: the exercises show the course's default numbers, "
                "the same for everyone.\nWrite your name or student number between quotes after student = "
                "and run this cell again."))
        return
    print(_("The course now knows you as {who} (from {where}).\n"
            "Every exercise shows your own numbers, the same on every device and after a restart.").format(
        who=repr(who), where=where))
    if isinstance(given, str) and given.strip() and identity.normalise(given) != who:
        print(_("The name you gave, {given}, is stored, but {where} comes first, "
                "so the course uses that one.").format(given=repr(identity.normalise(given)), where=where))
