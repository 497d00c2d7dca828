"""Charts of the ZERI cascade: the flow diagram, the linear-vs-cascade bars and the tornado chart.

Every chart is a plain Vega-Lite spec that renders offline (the diagram's dry matter / fresh mass
switch is a Vega-Lite radio button, no kernel needed).

>>> spec = cascade_diagram().to_dict()
>>> spec["params"][0]["bind"]["options"]
['dry matter', 'fresh mass (with water)']
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .. import checks, formats, params
from ..charts import finish
from ..flows import flow_diagram
from ..i18n import _
from ._cascade import tables
from .model import VIEWS, compare_linear_vs_cascade, diagram_views, run_cascade

__all__ = ["SOURCE", "cascade_diagram", "comparison_chart", "tornado_chart", "stage_labels", "kind_colours"]

#: The source line of the topic's charts (the datasets carry the full citations: data.cite).
SOURCE = ("Wong-Swanson (2005), section 'A. Beer' and Figure 3; course model course_lib.zeri with "
          "datasets zeri_links and zeri_parameters (sources in data.cite)")

# Colours of the flow kinds in the diagram (Okabe-Ito; losses grey).
_KIND_COLOURS = {
    "residue": "#E69F00", "input": "#56B4E9", "product": "#009E73", "water-borne": "#0072B2",
    "energy carrier": "#D55E00", "loss": "#888888", "stock": "#CC79A7", "waste": "#000000",
}


def stage_labels() -> dict[str, str]:
    """The label shown for each node of the diagram (``zeri_stages``: id -> label)."""
    return {node: row["label"] for node, row in tables()["stages"].items()}


def kind_colours(views: dict[str, pd.DataFrame]) -> dict[str, str]:
    """The colour of each kind of flow that appears in ``views`` (a dict of flow tables)."""
    kinds: set[str] = set()
    for table in views.values():
        kinds |= set(table["kind"])
    return {k: v for k, v in _KIND_COLOURS.items() if k in kinds}


def view_labels() -> dict[str, str]:
    """The words shown for each view of :data:`course_lib.zeri.VIEWS` (in the course language)."""
    return dict(zip(VIEWS, (_("dry matter"), _("fresh mass (with water)"))))


def _unit_text(unit: str) -> str:
    return unit.replace("**3", "³")


def cascade_diagram(flows: pd.DataFrame | None = None, *, title: str | None = None, width: int = 860,
                    height: int = 420) -> alt.TopLevelMixin:
    """The flow diagram of a cascade (or linear) flow table, with a dry matter / fresh mass switch.

    ``flows`` is a table of :func:`course_lib.zeri.run_cascade` (default: the default cascade);
    ``width`` and ``height`` are the diagram's size in pixels. The switch is a Vega-Lite radio
    button: it works in a saved notebook without a kernel.

    >>> cascade_diagram(width=0)
    Traceback (most recent call last):
    ...
    ValueError: width=0 is not allowed: give a whole number >= 100
    """
    if flows is None:
        flows = run_cascade()
    if title is not None:
        checks.text(title, "title")
    size = checks.whole_number(width, "width", minimum=100), checks.whole_number(height, "height", minimum=100)
    views = diagram_views(flows)
    dry = views["dry matter"]
    total = dry.loc[dry["source"] == "brewery", "value"].sum()
    description = _(
        "Flow diagram of the ZERI brewery cascade: band widths are proportional to the kilograms flowing "
        "between stages. Spent grain and wastewater leave the brewery ({total} kg of dry matter); "
        "bands are coloured by kind of flow (residue, input, product, water-borne, energy carrier, loss, stock), and "
        "every band wide enough to carry text is labelled with its kind. Buttons under the diagram switch between dry "
        "matter only and fresh mass with water: every band and total is redrawn for the mass chosen."
    ).format(total=formats.number(total))
    return flow_diagram(
        views, title=title or _("Where the brewery's kilograms go"), description=description,
        source=SOURCE, color="kind", colors=kind_colours(views), labels=stage_labels(),
        width=size[0], height=size[1], node_pad=26, view_name="show", view_labels=view_labels(),
        view_title=_("show"), legend_title=_("kind"),
    )


def comparison_chart(table: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """Bars: each outcome for the brewery alone and in the ZERI cluster (one panel per outcome).

    ``table`` is the table of :func:`course_lib.zeri.compare_linear_vs_cascade` (default: 100 hL,
    default parameters).
    """
    if table is None:
        table = compare_linear_vs_cascade()
    checks.frame(table, "table", ["outcome", "label", "unit", "linear", "cascade"])
    long = table.melt(id_vars=["outcome", "label", "unit"], value_vars=["linear", "cascade"],
                      var_name="scenario", value_name="value")
    scenarios = {"linear": _("brewery alone"), "cascade": _("ZERI cluster")}
    long["scenario"] = long["scenario"].map(scenarios)
    long["panel"] = [f"{_(label)} ({_unit_text(unit)})" for label, unit in zip(long["label"], long["unit"])]
    long["value"] = long["value"].round(2)
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("value:Q", title=None),
        y=alt.Y("scenario:N", title=None, sort=list(scenarios.values())),
        color=alt.Color("scenario:N", title=None, sort=list(scenarios.values()), legend=None),
        tooltip=[alt.Tooltip("panel:N", title=_("outcome")), alt.Tooltip("scenario:N", title=_("scenario")),
                 alt.Tooltip("value:Q", format=",.1f", title=_("value"))],
    ).properties(width=260, height=44)
    text = bars.mark_text(align="left", dx=3).encode(text=alt.Text("value:Q", format=",.0f"))
    chart = alt.layer(bars, text).facet(
        facet=alt.Facet("panel:N", title=None, sort=list(long["panel"].unique()), header=alt.Header(labelAnchor="start")),
        columns=2,
    ).resolve_scale(x="independent")
    return finish(
        chart, title=_("Brewery alone vs brewery in a ZERI cluster"),
        description=_("For each outcome, a bar for the brewery alone and one for the brewery in the ZERI cluster. "
                      "{figures}").format(figures=_("; ").join(
            _("{label}: {linear} vs {cascade} {unit}").format(label=_(label), linear=formats.number(linear),
                                                               cascade=formats.number(cascade), unit=_unit_text(unit))
            for label, linear, cascade, unit in zip(table["label"], table["linear"], table["cascade"], table["unit"]))),
        source=SOURCE,
    )


def tornado_chart(frame: pd.DataFrame, top: int = 10) -> alt.TopLevelMixin:
    """A tornado chart of a :func:`course_lib.zeri.sensitivity` table: the ``top`` parameters, largest swing first.

    >>> from course_lib.zeri.ranking import sensitivity
    >>> spec = tornado_chart(sensitivity("fish"), top=3).to_dict()
    >>> spec["description"].split("Largest swing: ")[1]
    'trophic_efficiency (18.22 to 72.87 kg).'
    >>> tornado_chart(sensitivity("fish"), top=0)
    Traceback (most recent call last):
    ...
    ValueError: top=0 is not allowed: give a whole number >= 1
    """
    checks.frame(frame, "frame", ["parameter", "unit", "low", "high", "outcome_low", "outcome_high",
                                  "outcome_default", "swing"])
    if not {"outcome", "label", "outcome_unit"} <= set(frame.attrs):
        raise ValueError("frame must be the table returned by sensitivity() (its attrs name the outcome); "
                         "it lost them, perhaps in a pandas operation: call sensitivity() again")
    head = frame.head(checks.whole_number(top, "top", minimum=1))
    label, unit = _(frame.attrs["label"]), _unit_text(frame.attrs["outcome_unit"])
    first: Any = head.iloc[0]
    return params.tornado_chart(
        head, axis=f"{label} ({unit})", title=_("Which assumption moves {outcome} most?").format(outcome=label.lower()),
        source=SOURCE, description=_("{label} with every parameter at its base value is {value} {unit}. Largest swing: "
                                     "{parameter} ({low} to {high} {unit}).").format(
            label=label, value=formats.number(first["outcome_default"]), unit=unit, parameter=first["parameter"],
            low=formats.number(first["outcome_low"]), high=formats.number(first["outcome_high"])),
    )
