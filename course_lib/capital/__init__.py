"""Natural capital: living on nature's income or drawing down its capital (notebook 02).

Schumacher's point, quoted in the article, is that we fail "to distinguish between income and
capital where this distinction matters most". This package makes the distinction computable:

* :mod:`~course_lib.capital.stock`: a **renewable stock** (fish, forest, any living population)
  regrows by logistic growth ``g(N) = r N (1 - N/K)``: that regrowth is nature's *income*; the
  stock ``N`` is the *capital*. Three harvest policies are modelled: a **fixed amount** per year,
  a **fixed fraction** of the stock per year, and **income only** (never take more than this
  year's regrowth). The classic results are computed, not asserted: the maximum sustainable
  yield (MSY, ``rK/4``), collapse when a fixed harvest exceeds it, and the time to collapse;
* :mod:`~course_lib.capital.reserves`: a **non-renewable reserve** (oil, ores) has no income at
  all: the static reserve index (years left at today's use) and the exponential reserve index
  (years left when use grows) of *The Limits to Growth*;
* :mod:`~course_lib.capital.biosphere`: Biosphere 2's oxygen, as a share of the air and as a
  share of the oxygen itself;
* :mod:`~course_lib.capital.trends`: the long trends behind the article's Figures 1-2, from the
  Gapminder data (``datasets/capital_gapminder.csv``), grouped into "developed" and "developing" by a
  stated rule;
* :mod:`~course_lib.capital.capitals`: the four capitals (human, financial, manufacturing,
  natural) and the examples of each;
* :mod:`~course_lib.capital.charts` (Altair), :mod:`~course_lib.capital.explorers` (ipywidgets)
  and :mod:`~course_lib.capital.questions` (the exercises).

Every name below is loaded on first use: ``from course_lib.capital import time_to_collapse``
imports neither Altair nor ipywidgets and reads no data.

>>> from course_lib import capital
>>> print(capital.maximum_sustainable_yield(0.5, 1000))      # r = 0.5 per year, K = 1000 t
125.0 t/a
>>> round(capital.time_to_collapse(0.5, 1000, 150, initial=500).magnitude, 2)   # years
10.29
>>> round(capital.exponential_index(31, 0.039).magnitude, 1)   # petroleum, Limits to Growth
20.3

Units: stocks are in ``unit`` (default tonnes, ``"t"``), harvests in ``unit`` per year, growth
rates per year. Every function also accepts pint quantities in any compatible unit.
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
