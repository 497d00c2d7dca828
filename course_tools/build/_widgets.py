"""Reading the widget state JupyterLab saves in a notebook (``metadata.widgets``).

A saved explorer is a tree of widget models: boxes list their children as ``IPY_MODEL_<id>``,
Output widgets hold the outputs last shown in them. Without a kernel, that saved state is all
there is of an explorer: its controls' default values and its default view.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .sources import WIDGET_STATE_MIME

_REFERENCE = "IPY_MODEL_"
_NOT_CONTROLS = ("HTMLModel", "LabelModel", "OutputModel")


def state(nb: Any) -> dict[str, Any]:
    """The saved widget models of ``nb``, by model id ({} when none were saved)."""
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME, {}).get("state", {})


def ids_in(value: Any) -> set[str]:
    """Widget model ids mentioned anywhere in ``value`` (outputs or widget state)."""
    text = json.dumps(value)
    found = set(re.findall(_REFERENCE + r"([0-9a-f]+)", text))
    found.update(re.findall(r'"model_id": "([0-9a-f]+)"', text))
    return found


def _children(models: dict[str, Any], model_id: str) -> list[str]:
    children = models[model_id].get("state", {}).get("children", [])
    return [c[len(_REFERENCE):] for c in children if isinstance(c, str) and c.startswith(_REFERENCE)]


def _walk(models: dict[str, Any], model_id: str, seen: set[str]) -> list[str]:
    """``model_id`` and every model below it, depth first in display order (each once)."""
    if model_id in seen or model_id not in models:
        return []
    seen.add(model_id)
    order = [model_id]
    for child in _children(models, model_id):
        order += _walk(models, child, seen)
    return order


def outputs(models: dict[str, Any], model_id: str) -> list[dict[str, Any]]:
    """The outputs shown inside widget ``model_id`` (its Output widgets), in display order."""
    found: list[dict[str, Any]] = []
    for key in _walk(models, model_id, set()):
        if models[key].get("model_name") == "OutputModel":
            found += models[key].get("state", {}).get("outputs", [])
    return found


def controls(models: dict[str, Any], model_id: str) -> list[dict[str, Any]]:
    """The controls (models with a ``value``) inside widget ``model_id``, in display order.

    Each is the model's saved state plus ``kind`` (``"IntSlider"``, ``"Dropdown"``, ...).
    """
    found = []
    for key in _walk(models, model_id, set()):
        entry = models[key]
        model = entry.get("state", {})
        if "value" in model and entry.get("model_name") not in _NOT_CONTROLS:
            found.append({"kind": entry.get("model_name", "").removesuffix("Model"), **model})
    return found


def prune(nb: Any) -> None:
    """Keep only the widget models that an output of ``nb`` displays (and the models below them)."""
    saved = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME)
    if not saved:
        return
    models = saved.get("state", {})
    todo = ids_in([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])
    keep: set[str] = set()
    while todo:
        model = todo.pop()
        if model in keep or model not in models:
            continue
        keep.add(model)
        todo |= ids_in(models[model]) - keep
    saved["state"] = {k: v for k, v in models.items() if k in keep}
