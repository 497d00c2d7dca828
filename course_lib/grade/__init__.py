"""``python -m course_lib.grade ...``: the grader, handed over to :mod:`course_tools.grade`.

Like :mod:`course_lib.build`, an entry point only: the grader lives in the course's repository
beside ``course_lib``, outside the wheel a student installs. ``from course_lib import grade``
gives its names.

>>> import course_tools.grade
>>> from course_lib import grade
>>> grade.score is course_tools.grade.score
True
"""

from __future__ import annotations

from typing import Any

from ..build import tools


def __getattr__(name: str) -> Any:
    return getattr(tools("grade"), name)
