"""course_lib: the data and calculations behind the course on sustainable production and consumption.

Importing the package switches on the offline chart renderer and the course's chart theme
(:mod:`course_lib.charts`). Topic modules (``energy``, ``capital``, ``lean``, ``circular``,
``zeri``, ``symbiosis``) are imported by name when a notebook needs them.

>>> import course_lib
>>> from course_lib import data, units, exercises
"""

from . import charts, data, exercises, units

__version__ = "0.1.0"
__all__ = ["charts", "data", "exercises", "units", "__version__"]
