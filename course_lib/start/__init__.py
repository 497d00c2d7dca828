"""Notebook 00, *Start here*: the course map, a set-up check, who is working, an energy in every unit, the first exercises.

>>> from course_lib import start
>>> start.describe_energy(1, "food_day").split(" = ")[:3]
['1 food_day', '10,460 kJ', '2,500 kcal']
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={
        "model": ["describe_energy", "course_map", "error_message"],
        "charts": ["environment", "test_chart"],
        "explorers": ["unit_converter"],
        "student": ["who_am_i"],
    },
)
