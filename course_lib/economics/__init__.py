"""Notebook 06: does it pay? Money for the article's two examples, its three threads, and your own product.

The article ends by claiming that "making money and being sensitive to the environment does not
have to be mutually exclusive", but prints no money figure. This topic prices its two worked
examples with the other topics' models (never copies of them) and a table of cited or reasoned
prices (``datasets/economics_prices.csv``), and asks what decides the verdict:

* :mod:`~course_lib.economics.finance`: payback and net present value, with the words defined;
* :mod:`~course_lib.economics.cases`: the yearly quantities of Kalundborg
  (:func:`course_lib.symbiosis.outcomes`) and of the ZERI cascade (:func:`course_lib.zeri.run_cascade`);
* :mod:`~course_lib.economics.prices`: the price table, checked (:func:`price_table`, :func:`check_prices`);
* :mod:`~course_lib.economics.model`: quantities x prices (:func:`yearly_lines`),
  :func:`appraise`, :func:`sensitivity`, :func:`break_even`, :func:`by_beneficiary`;
* :mod:`~course_lib.economics.themes`: the three threads, Benyus's examples, the course's cases by
  thread, the evidence others report, the ink-cartridge scenarios for notebook 03's model;
* :mod:`~course_lib.economics.capstone`: "your product" through every lens of the course;
* :mod:`~course_lib.economics.charts`, and :mod:`~course_lib.economics.questions` (the answers of
  notebook 06's exercises, whose words are in ``questions.toml``).

A worked example: a pipe costing 1,000 that saves 600 a year for two years, at a discount rate of
10 % a year, is worth 41.32 more than it cost; the ZERI cascade at the table's prices:

>>> from course_lib import economics
>>> round(economics.npv(1000, 600, 0.1, 2), 2)
41.32
>>> a = economics.appraise("zeri")
>>> a.lines.set_index("line").loc["zeri_fish_price", "amount"]
'36,435 kg/yr'
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
