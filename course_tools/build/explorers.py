"""Explorer placeholders: what a static page shows where a notebook has a live explorer.

An explorer (ipywidgets) needs a running kernel. On a page without one, its saved widget state
still gives its controls' default values and its default view (the outputs last shown inside
it); :class:`ExplorerPlaceholders` puts those in place of the widget output, under
:data:`EXPLORER_MIME`, for the template to draw as a note, a list of controls and the view.

>>> from tests.harness.demo import demo_notebook
>>> nb, resources = ExplorerPlaceholders().preprocess(demo_notebook(), {})
>>> (view,) = [o["data"][EXPLORER_MIME] for c in nb.cells for o in c.get("outputs", []) if EXPLORER_MIME in o.get("data", {})]
>>> view["controls"], len(view["outputs"]), resources["explorers"]
([{'label': 'points', 'value': '2', 'extra': ' (from 1 to 5)'}], 1, 1)
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from . import _widgets
from .sources import WIDGET_VIEW_MIME

__all__ = ["EXPLORER_MIME", "control_summary", "ExplorerPlaceholders"]

EXPLORER_MIME = "application/vnd.course.explorer-placeholder+json"


def control_summary(control: dict[str, Any]) -> dict[str, str]:
    """A control's label, default value and range or choices, as text for a page."""
    extra = ""
    if "min" in control and "max" in control:
        extra = f" (from {control['min']} to {control['max']})"
    elif control.get("_options_labels"):
        extra = " (choices: " + ", ".join(map(str, control["_options_labels"])) + ")"
    label = control.get("description") or control.get("kind", "control")
    return {"label": str(label), "value": str(control.get("value")), "extra": extra}


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


class ExplorerPlaceholders(Preprocessor):
    """Replace each widget output by its placeholder (:data:`EXPLORER_MIME`); count them in
    ``resources["explorers"]``. The widget's own data is dropped: a static page cannot use it."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        models = _widgets.state(nb)
        resources["explorers"] = 0
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if WIDGET_VIEW_MIME not in data:
                    continue
                model_id = data[WIDGET_VIEW_MIME].get("model_id", "")
                output["data"] = {EXPLORER_MIME: {
                    "controls": [control_summary(c) for c in _widgets.controls(models, model_id)],
                    "outputs": _widgets.outputs(models, model_id),
                    "fallback": _text(data.get("text/plain", "")),
                }}
                resources["explorers"] += 1
        return nb, resources
