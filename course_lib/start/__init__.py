"""Notebook 00, *Start here*: the course map, a set-up check, who is working, an energy in every unit, the first exercises.

>>> from course_lib import start
>>> start.describe_energy(1, "food_day").split(" = ")[:3]
['1 food_day', '10,460 kJ', '2,500 kcal']
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
