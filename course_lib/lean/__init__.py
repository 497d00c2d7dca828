"""Lean thinking in numbers: value streams, the value-added ratio and the material behind a cola can.

Womack and Jones followed a cola can from the bauxite mine to the grocery shelf: about 319 days,
of which only 3 hours add value (Wong-Swanson 2005, Lean Thinking passage). This topic turns
such a story into numbers for *any* value stream (:mod:`~course_lib.lean.model`), and traces the
metal and energy behind the can (:mod:`~course_lib.lean.materials`).

>>> from course_lib import lean
>>> f"{lean.cola_summary().loc[0, 'ratio_percent']:.3f} %"
'0.039 %'
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
