"""Notebook 00, *Start here*: an energy in every unit of the course, and the first checked exercise.

>>> from course_lib import start
>>> start.describe_energy(1, "food_day").split(" = ")[:3]
['1 food_day', '10,460 kJ', '2,500 kcal']
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={
        "model": ["describe_energy"],
        "explorers": ["unit_converter"],
    },
)
