"""Small example parks written as CSV files, to show what checking a park's files gives.

A student's own park is two CSV files (``partners.csv`` and ``exchanges.csv``, see the template
next to notebook 05). :func:`example_park_files` writes one of two tiny invented parks — a saw mill
and a farm — to a folder of the computer's temporary files and returns the two paths, so a notebook
can show :func:`course_lib.symbiosis.check_park` at work without any file handling in sight.

>>> from course_lib.symbiosis.network import check_park
>>> print(check_park(*example_park_files("clean")).splitlines()[0])
✅ The park reads cleanly: 2 partners, 2 exchanges (1 with a quantity).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .. import checks

__all__ = ["EXAMPLE_PARKS", "example_park_files"]

_PARTNERS = "id,name\nmill,Saw mill (EXAMPLE - invented)\nfarm,Farm (EXAMPLE - invented)\n"

#: The example parks: name -> (partners.csv text, exchanges.csv text). The figures are invented
#: to show the file format; they describe no real park.
EXAMPLE_PARKS: dict[str, tuple[str, str]] = {
    # Four mistakes a first file often has: a misspelt partner id, a negative quantity, a word
    # where a number belongs, and a unit the course does not know.
    "broken": (_PARTNERS,
               "source,target,material,value,unit,period\n"
               "mill,fram,sawdust,-3,t,year\n"
               "mill,farm,bark,lots,truckloads,\n"),
    # The same park with the mistakes put right (a quantity that is not known stays empty).
    "clean": (_PARTNERS,
              "source,target,material,value,unit,period\n"
              "mill,farm,sawdust,3,t,year\n"
              "mill,farm,bark,,,\n"),
}


def example_park_files(name: str = "broken") -> tuple[Path, Path]:
    """Write example park ``name`` (``"broken"`` or ``"clean"``) as two CSV files; return their paths.

    The files go to a folder of the computer's temporary files (rewritten at each call), so
    nothing is written next to the notebook.

    >>> partners, exchanges = example_park_files("broken")
    >>> partners.name, exchanges.name, exchanges.read_text(encoding="utf-8").splitlines()[1]
    ('partners.csv', 'exchanges.csv', 'mill,fram,sawdust,-3,t,year')
    >>> example_park_files("brokn")
    Traceback (most recent call last):
    ...
    ValueError: name='brokn' is not allowed (did you mean 'broken'?); choose one of: 'broken', 'clean'
    """
    name = checks.choice(name, "name", tuple(EXAMPLE_PARKS))
    folder = Path(tempfile.gettempdir()) / "course_lib_example_parks" / name
    folder.mkdir(parents=True, exist_ok=True)
    partners_text, exchanges_text = EXAMPLE_PARKS[name]
    partners, exchanges = folder / "partners.csv", folder / "exchanges.csv"
    partners.write_text(partners_text, encoding="utf-8")
    exchanges.write_text(exchanges_text, encoding="utf-8")
    return partners, exchanges
