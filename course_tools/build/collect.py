"""The charts stored in a notebook: its Vega-Lite outputs and the default views of its explorers.

Charts are read from the stored outputs (``application/vnd.vegalite.v5+json``), so nothing is
run; an explorer's default view comes from the widget state JupyterLab saved with the notebook.

>>> from tests.harness.demo import demo_notebook
>>> [(chart.title, chart.in_widget) for chart in charts_in(demo_notebook())]
[('Scaled bars', False), ('2 points', True)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _widgets
from .sources import VEGALITE_MIME, WIDGET_VIEW_MIME

__all__ = ["Chart", "charts_in"]


@dataclass
class Chart:
    """One chart stored in a notebook: its Vega-Lite spec and where it came from."""

    spec: dict[str, Any]
    cell: int  # index of the cell in the notebook
    in_widget: bool = False  # the default view of a live explorer, taken from saved widget state

    @property
    def title(self) -> str:
        """The chart's title as one line of text ('' when it has none)."""
        title = self.spec.get("title", "")
        if isinstance(title, dict):
            title = title.get("text", "")
        if isinstance(title, list):
            title = " ".join(map(str, title))
        return str(title)

    @property
    def description(self) -> str:
        """The chart's text description (its alt text), '' when it has none."""
        return str(self.spec.get("description", ""))

    def to_dict(self) -> dict[str, Any]:
        """The Vega-Lite spec (what ``course_lib.charts.save`` asks of a chart)."""
        return self.spec


def charts_in(nb: Any) -> list[Chart]:
    """Every chart stored in ``nb``'s outputs, in order, including explorers' saved default views."""
    models = _widgets.state(nb)
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VEGALITE_MIME in data:
                found.append(Chart(dict(data[VEGALITE_MIME]), index))
            elif WIDGET_VIEW_MIME in data:
                for inner in _widgets.outputs(models, data[WIDGET_VIEW_MIME].get("model_id", "")):
                    if VEGALITE_MIME in inner.get("data", {}):
                        found.append(Chart(dict(inner["data"][VEGALITE_MIME]), index, in_widget=True))
    return found
