"""The cascade explorer of notebook 04: move the spent-grain shares and the key parameters, watch the flows."""

from __future__ import annotations

from typing import Any

import altair as alt
import ipywidgets as w

from .. import checks, formats
from ..flows import flow_diagram
from ..i18n import _
from ..widgets import Explorer, explorer
from ._cascade import OUTCOMES, fast_outcomes, parameter_rows, resolve
from .charts import SOURCE, kind_colours, stage_labels, view_labels
from .model import VIEWS, diagram_views, run_cascade
from .ranking import key_parameters

__all__ = ["cascade_explorer"]


@explorer
def cascade_explorer(controls: Any = None) -> Explorer:
    """Sliders for the beer volume, the two spent-grain shares and the most sensitive parameters.

    Each change reruns the mass-balanced model and redraws the flow diagram, with the outcomes of
    the brewery alone and of the ZERI cluster printed under it. ``controls`` is a list of the
    parameters to expose (names from :func:`course_lib.zeri.defaults`); the default is the two
    shares and the four of :func:`course_lib.zeri.key_parameters`.

    >>> box = cascade_explorer(["share_mushroom"])
    >>> list(box.controls)
    ['beer_hl', 'share_mushroom', 'view']
    """
    table = parameter_rows()
    if controls is None:
        shares = ["share_bread", "share_mushroom"]
        names = shares + [n for n in key_parameters(6) if n not in shares][:4]
    else:
        names = list(dict.fromkeys(checks.names(controls, "controls", table.names(role="parameter"))))
    sliders: dict[str, Any] = {"beer_hl": table["beer_hl"].slider(_("beer (hL)"), log=True)}
    for name in names:
        sliders[name] = table[name].slider(name, readout_format=".3g")
    sliders["view"] = w.Dropdown(options=[(view_labels()[v], v) for v in VIEWS], value=VIEWS[0], description=_("show"))

    def update(beer_hl: float, view: str, **params: float) -> str | alt.TopLevelMixin:
        try:
            flows = run_cascade(beer_hl, **params)
        except ValueError as exc:  # e.g. the two shares above 1: say so instead of drawing
            return f"⚠️ {exc}"
        hl, p = resolve(beer_hl, params)
        linear, cascade = fast_outcomes(hl, p, "linear"), fast_outcomes(hl, p)
        shown = diagram_views(flows, (view,))[view]
        lines = [
            _("{label}: {linear} → {cascade} {unit}").format(label=_(label), linear=formats.number(linear[key], 3),
                                                             cascade=formats.number(cascade[key], 3), unit=unit.replace("**3", "³"))
            for key, (label, unit) in OUTCOMES.items()
        ]
        volume, seen = formats.number(beer_hl, 3), view_labels()[view]
        return flow_diagram(
            shown, title=_("ZERI cascade explorer: {volume} hL of beer, {view}").format(volume=volume, view=seen),
            description=_("Flow diagram ({view}) for {volume} hL of beer with the chosen parameters, then each outcome for "
                          "the brewery alone and in the ZERI cluster: {outcomes}.").format(
                view=seen, volume=volume, outcomes=_("; ").join(lines)),
            source=SOURCE, color="kind", colors=kind_colours({view: shown}), labels=stage_labels(), legend_title=_("kind"),
            width=760, height=360, node_pad=26, footnotes=[_("Brewery alone → ZERI cluster:"), *lines],
        )

    return Explorer(sliders, update, title=_("ZERI cascade explorer"))
