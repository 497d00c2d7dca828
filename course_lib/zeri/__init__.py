"""Notebook 04: the ZERI brewery cascade (Figure 3 of the article) as a mass-balanced flow model.

The article tells the story without a single number: spent grain becomes bread and mushroom
substrate, the spent substrate feeds livestock, manure and brewery wastewater go to a biodigester
that makes methane and a nutrient solution, algae grow on the solution and feed fish. This topic
turns the story into flows of kilograms, with every parameter taken from
``datasets/zeri_parameters.csv`` (a value, a plausible range, a unit and a source for each) and
every link from ``datasets/zeri_links.csv`` (with the article's sentence as evidence).

* :mod:`~course_lib.zeri.model`: :func:`run_cascade`, :func:`run_linear`, :func:`balance`,
  :func:`outcomes`, :func:`compare_linear_vs_cascade`, the datasets (:func:`parameters`,
  :func:`defaults`, :func:`stages`, :func:`links`) and :func:`diagram_views`;
* :mod:`~course_lib.zeri.ranking`: :func:`sensitivity` (one at a time) and :func:`key_parameters`;
* :mod:`~course_lib.zeri.charts`: :func:`cascade_diagram`, :func:`comparison_chart`, :func:`tornado_chart`;
* :mod:`~course_lib.zeri.explorers`: :func:`cascade_explorer`.

A worked example: 100 hL of beer leave 2,000 kg of wet spent grain (20 kg per hL), 500 kg of it
dry matter; the brewery alone landfills all of it, the cluster none.

>>> from course_lib import zeri
>>> table = zeri.compare_linear_vs_cascade(100).set_index("outcome")
>>> table.loc["landfill", ["linear", "cascade"]].tolist()
[2000.0, 0.0]
>>> round(float(table.loc["mushrooms", "cascade"]), 1)   # 0.191 kg per kg x 300 kg of dry substrate
57.3

Every stage balances (inputs = outputs + losses + stock change) or :func:`run_cascade` raises
:class:`course_lib.flows.MassBalanceError`; :func:`balance` shows the stage-by-stage table.
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
