"""course_lib: the data and calculations behind the course on sustainable production and consumption.

The package has two storeys. The **floor** knows no topic: :mod:`~course_lib.data` (datasets and
their sources), :mod:`~course_lib.params` (every model's parameter table: defaults, checks,
sliders, sensitivity), :mod:`~course_lib.units` (one pint registry), :mod:`~course_lib.checks` and
:mod:`~course_lib.formats` (argument checks and number formatting used everywhere),
:mod:`~course_lib.charts`, :mod:`~course_lib.widgets`, :mod:`~course_lib.exercises` with
:mod:`~course_lib.variants` and :mod:`~course_lib.identity` (each student's own numbers) and
:mod:`~course_lib.attempts` (the log of every answer checked), and :mod:`~course_lib.flows`. The **topics** stand on it, one package each (``start``, ``energy``,
``capital``, ``lean``, ``circular``, ``zeri``, ``symbiosis``, ``economics``), found on disk by
:mod:`course_lib._topics`, each with its models, its ``questions`` (data in ``questions.toml``,
answers in ``questions.py``) and, where it has them, ``charts`` and ``explorers`` modules. ``build``
and ``grade`` are only the entry points of the instructors' tools (``course_tools``, outside the
wheel). A topic re-exports its public names lazily (the names are listed once, in its
``__init__.pyi``, which type checkers read too), so ``from course_lib.capital import
time_to_collapse`` loads neither widgets nor charts:

>>> from course_lib import capital
>>> capital.maximum_sustainable_yield(0.5, 1000)
<Quantity(125.0, 'metric_ton / year')>

Charts are drawn with Altair's offline ``mimetype`` renderer and the course theme, switched on
when :mod:`course_lib.charts` is first imported (every chart-making function imports it). The map
of the whole repository, and how to add a topic: ``docs/architecture.md``.
"""

from . import _speedups, _topics

# Before anything imports jsonschema (Altair does): see course_lib._speedups.
_speedups.defer_iri_parser()

__version__ = "0.2.0"
__all__ = ["__version__"]

import lazy_loader as _lazy  # noqa: E402

# `course_lib.data`, `course_lib.economics`, ... work after a bare `import course_lib`, each module
# loaded on first use (scientific-python's SPEC 1 lazy loading). The modules are found on disk, in
# one place (course_lib._topics), so a new topic needs no list here.
__getattr__, __dir__, _ = _lazy.attach(__name__, submodules=_topics.modules())
