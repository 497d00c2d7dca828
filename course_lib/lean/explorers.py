"""The lean topic's explorer: type your own value stream and watch its timeline and ratio."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from .. import checks
from ..i18n import _
from ..widgets import Explorer, explorer
from .charts import value_stream_chart
from .model import EXAMPLE_STREAM, parse_value_stream

__all__ = ["value_stream_editor"]

_TIME_UNITS = ("min", "h", "day", "week")


@explorer
def value_stream_editor(text: str | None = None, time_unit: str = "h") -> Explorer:
    """Type your own value stream (one line per step) and see its timeline and ratio update.

    The starting text (:data:`EXAMPLE_STREAM`) is an example to overwrite, not data about any
    real product. A line the editor cannot read is explained instead of drawn.

    >>> box = value_stream_editor("make, 10, 5\\nwait, 30, 0")
    >>> box.result.to_dict()["title"]["text"]
    'Your value stream: 12.5 % of the time adds value'
    """
    start = EXAMPLE_STREAM if text is None else checks.text(text, "text", allow_empty=True)
    unit = checks.choice(time_unit, "time_unit", _TIME_UNITS)
    area = w.Textarea(value=start, description=_("steps"), continuous_update=False,
                      layout=w.Layout(width="640px", height="170px"))
    menu = w.Dropdown(options=list(_TIME_UNITS), value=unit, description=_("times in"))

    def update(text: str, unit: str) -> Any:
        try:
            stream = parse_value_stream(text, unit)
            return value_stream_chart(stream, source=_("your own entries in the editor (an example until you change it)"))
        except (ValueError, TypeError) as exc:
            return _("Cannot draw this yet: {problem}").format(problem=exc)

    return Explorer({"text": area, "unit": menu}, update, title=_("Build your own value stream"))
