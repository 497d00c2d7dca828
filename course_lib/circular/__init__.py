"""Circular strategies in numbers: a steady-state product-system model (sale or lease, the 4R's).

The article's service economy (Stahel; Braungart): consumers lease goods, manufacturers keep
owning them and take them back, and goods are reused, repaired, reconditioned or recycled (the
4R's) at the end of their useful life. This topic asks what that changes in tonnes.

* :mod:`~course_lib.circular.model`: the stock-and-flow model (its formulas are in that module's
  docstring), its parameters and defaults (``circular_product_parameters``), scenarios, the
  effect of a longer life and the years after a policy change (:func:`simulate`);
* :mod:`~course_lib.circular.frameworks`: the article's four lists side by side;
* :mod:`~course_lib.circular.charts`, :mod:`~course_lib.circular.explorers`
  (``product_life_explorer``) and :mod:`~course_lib.circular.questions` (notebook 03's exercises).

Virgin material is inversely proportional to the lifetime: doubling the lifetime halves virgin
material and waste, whatever the 4R's.

>>> from course_lib import circular
>>> float(round(circular.steady_state().loc[0, "virgin_t"], 3))   # 1,000 TVs of 15 kg, 5.6 years, all sold
2.679
>>> lease = circular.steady_state(lease_share=1, repair=0.2, reuse=0.1, recycle=0.6)
>>> float(round(lease.loc[0, "virgin_t"], 3)), float(round(lease.loc[0, "circularity"], 2))
(0.268, 0.9)
>>> circular.lifetime_effect()["virgin_t"].round(3).tolist()
[2.679, 1.339]
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
