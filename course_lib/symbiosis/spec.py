"""A finished chart kept as its Vega-Lite spec, redrawn fast by changing parameter values (no Altair).

>>> chart = VegaLite({"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "point",
...                   "params": [{"name": "closed", "value": []}], "title": {"text": "Closed: nobody"}})
>>> chart.with_params(title="Closed: Gyproc", closed=["gyproc"]).params()
{'closed': ['gyproc']}
>>> chart.params()  # the original is never changed
{'closed': []}
"""

from __future__ import annotations

import copy
from typing import Any

from .. import charts

__all__ = ["VegaLite"]


def _walk_params(node: Any, visit: Any) -> None:
    """Call ``visit(param)`` for every named parameter in a spec (datasets are not searched)."""
    if isinstance(node, dict):
        for param in node.get("params", []) or []:
            if isinstance(param, dict) and "name" in param:
                visit(param)
        for key, value in node.items():
            if key != "datasets":
                _walk_params(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk_params(value, visit)


class VegaLite:
    """A finished chart stored as its Vega-Lite spec (a dict): shows like an Altair chart, offline.

    Explorers use it to redraw fast: the spec is built once with Altair and
    :func:`course_lib.charts.finish`, and each update only changes parameter values in a copy.
    """

    def __init__(self, spec: dict[str, Any]):
        if not isinstance(spec, dict) or "/vega-lite/v5" not in spec.get("$schema", ""):
            raise TypeError("spec must be a Vega-Lite v5 spec (a dict from chart.to_dict())")
        self.spec = spec

    def to_dict(self) -> dict[str, Any]:
        """The spec (a deep copy)."""
        return copy.deepcopy(self.spec)

    def params(self) -> dict[str, Any]:
        """Every parameter of the spec, by name, with its value."""
        found: dict[str, Any] = {}
        _walk_params(self.spec, lambda param: found.__setitem__(param["name"], param.get("value")))
        return found

    def with_params(self, title: str | None = None, **values: Any) -> VegaLite:
        """A copy with parameter values (and optionally the title text) replaced."""
        if title is not None and not isinstance(title, str):
            raise TypeError(f"title must be text, got {title!r} of type {type(title).__name__}")
        spec = copy.deepcopy({k: v for k, v in self.spec.items() if k != "datasets"})
        spec["datasets"] = self.spec.get("datasets", {})  # data is shared, never changed
        pending = dict(values)

        def replace(param: dict[str, Any]) -> None:
            if param["name"] in values:
                param["value"] = values[param["name"]]
                pending.pop(param["name"], None)

        _walk_params(spec, replace)
        if pending:
            raise ValueError(f"the chart has no parameter(s) {sorted(pending)}; it has {sorted(self.params())}")
        if title is not None:
            spec["title"] = {**spec.get("title", {}), "text": title}
        return VegaLite(spec)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"application/vnd.vegalite.v5+json": self.spec, "text/plain": charts.text_alternative(self.spec)}
