"""Lean thinking in numbers: value streams, the value-added ratio and the material behind a cola can.

Womack and Jones followed a cola can from the bauxite mine to the grocery shelf: about 319 days,
of which only 3 hours add value (Wong-Swanson 2005, Lean Thinking passage). This topic turns
such a story into numbers for *any* value stream, and traces the metal and energy behind the can.

* :mod:`~course_lib.lean.model`: value-stream tables (``step``, ``lead_time``,
  ``value_added_time``), their totals and value-added ratio, the cola can's figures, a template
  and a parser for your own stream, and a review of it;
* :mod:`~course_lib.lean.materials`: bauxite, alumina and aluminium behind the cans, and the
  energy of the metal (Table 1);
* :mod:`~course_lib.lean.charts`, :mod:`~course_lib.lean.explorers` (``value_stream_editor``)
  and :mod:`~course_lib.lean.questions` (notebook 03's exercises).

>>> from course_lib import lean
>>> stream = lean.parse_value_stream("cut, 2, 1\\nwait, 20, 0\\nsew, 2, 1")
>>> lean.lead_time(stream), f"{lean.summarize(stream).loc[0, 'ratio_percent']:.3g} %"
(<Quantity(24.0, 'hour')>, '8.33 %')
>>> f"{lean.cola_summary().loc[0, 'ratio_percent']:.3f} %"
'0.039 %'
>>> lean.back_calculate().set_index("stage").loc["aluminium from the smelter", "mass_t"].round(3)
np.float64(1.316)
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
