"""Natural capital: living on nature's income or drawing down its capital (notebook 02).

Schumacher's point, quoted in the article, is that we fail "to distinguish between income and
capital where this distinction matters most": a renewable stock's regrowth is its income
(:mod:`~course_lib.capital.stock`), a reserve has none (:mod:`~course_lib.capital.reserves`).
Stocks are in ``unit`` (default tonnes), harvests per year; pint quantities are accepted too.

>>> from course_lib import capital
>>> print(capital.maximum_sustainable_yield(0.5, 1000))      # r = 0.5 per year, K = 1000 t
125.0 t/a
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
