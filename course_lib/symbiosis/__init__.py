"""Industrial symbiosis as a network: load a park, check it, find its hub, ask what if a partner leaves.

An eco-industrial park is two tables, as in the field's flow tables: **partners** (one row per
company, utility, receiver or resource) and **exchanges** (a :mod:`course_lib.flows` flow table:
``source`` gives ``material`` to ``target``, with ``value`` and ``unit`` when a quantity is known).
The same functions work on the Kalundborg park of the article (:func:`kalundborg`) and on any park
a student or instructor writes into two CSV files (:func:`read_park`, :func:`check_park`).

* ``park`` — :class:`Park`, reading and checking (:func:`read_park`, :func:`validate`, :class:`ParkError`),
  and growing a park by new partners and exchanges (:func:`add_to_park`);
* ``network`` — :func:`to_graph`, :func:`hub_ranking`, :func:`what_if`, :func:`totals_by_category`;
* ``layout`` and ``charts`` — :func:`network_chart`, :func:`what_if_chart` and the article's results;
* ``examples`` — :func:`example_park_files`: a small broken (or clean) park as two CSV files, to try
  :func:`check_park` on;
* ``explorers`` and ``questions`` — notebook 05's explorers and exercises.

>>> from course_lib import symbiosis
>>> park = symbiosis.kalundborg()
>>> len(park.partners), len(park.exchanges)
(24, 38)
>>> symbiosis.hub_ranking(park).iloc[0]["partner"]
'asnaes'
>>> result = symbiosis.what_if(park, "asnaes")
>>> len(result.lost), len(result.lost_supplies), result.quantities.loc[0, "quantity"]
(13, 10, '200,000 t/year')

Quantities are added only within one unit and period, through pint: tonnes are never added to
cubic metres, and a rate (t/year) never to an amount (m³).
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
