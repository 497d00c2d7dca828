"""Circular strategies in numbers: a steady-state product-system model (sale or lease, the 4R's).

The article's service economy (Stahel; Braungart): consumers lease goods, manufacturers keep
owning them and take them back, and goods are reused, repaired, reconditioned or recycled (the
4R's). :mod:`~course_lib.circular.model` asks what that changes in tonnes.

>>> from course_lib import circular
>>> circular.lifetime_effect()["virgin_t"].round(3).tolist()   # doubling the lifetime halves virgin material
[2.679, 1.339]
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
