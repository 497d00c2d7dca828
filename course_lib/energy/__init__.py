"""de Rosnay's Table 1 as data: energy as a universal unit of cost, and the table's own errors.

In *Le Macroscope* (1975) Joël de Rosnay proposed to price economic activities in energy, "a
universal unit" such as the kilocalorie. :mod:`~course_lib.energy.model` computes with his
Table 1, :mod:`~course_lib.energy.consistency` checks it against itself and later figures.

>>> from course_lib import energy
>>> print(energy.compare("aluminium", "car"))
Producing 1 t of aluminium uses the energy of 1.56 cars.
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
