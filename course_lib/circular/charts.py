"""Charts of the circular topic: flows per scenario, flows over the years, and a kernel-free policy view.

>>> from course_lib.circular.model import lifetime_effect
>>> steady_state_chart(lifetime_effect()).to_dict()["title"]["text"]
'Virgin material, waste and material circulating per year'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from .. import charts as course_charts
from .. import checks, data
from ..i18n import _, language
from .model import PARAMETERS, _table, defaults, formula, steady_state

__all__ = ["steady_state_chart", "timeline_chart", "policy_slider_chart"]

N_ = str  # marks a message for the catalogue; translated where it is shown (i18n._)
_COLORS = {"virgin material": course_charts.PALETTE[5], "waste": "#555555", "material circulating": course_charts.PALETTE[2]}
_FLOW_NAMES = {"virgin_t": "virgin material", "waste_t": "waste", "circulating_t": "material circulating"}


def _flows() -> dict[str, str]:
    """The flows' names as a chart shows them, in the course language (the same order as ``_FLOW_NAMES``)."""
    return {"virgin_t": _("virgin material"), "waste_t": _("waste"), "circulating_t": _("material circulating")}


_SOURCE = N_("course_lib.circular model; dataset circular_product_parameters "
           "(UBA & Oeko-Institut 2015; Eurostat 2024; stated assumptions)")
_SLIDERS = ("lifetime", "lease_share", "repair", "reuse", "recycle", "recycling_yield")


def _checked(table: object, argument: str, columns: tuple[str, ...], made_by: str) -> pd.DataFrame:
    frame = checks.frame(table, argument, columns)
    if frame.empty:
        raise ValueError(f"{argument} has no rows: pass a table made by {made_by}")
    return frame


def steady_state_chart(table: pd.DataFrame) -> alt.FacetChart:
    """Bars of virgin material, waste and material circulating per scenario (a frame from :func:`scenarios`).

    ``table`` needs the columns ``scenario``, ``virgin_t``, ``waste_t`` and ``circulating_t``, as
    made by :func:`~course_lib.circular.model.scenarios` or :func:`~course_lib.circular.model.lifetime_effect`.
    """
    table = _checked(table, "table", ("scenario", "virgin_t", "waste_t", "circulating_t"), "scenarios() or lifetime_effect()")
    chart = course_charts.flow_bars(table, _flows(), list(_COLORS.values()), width=420, height=100)
    return course_charts.finish(
        chart,
        title=_("Virgin material, waste and material circulating per year"),
        description="; ".join(_("{scenario}: virgin {virgin} t/yr, waste {waste} t/yr, circulating {circulating} t/yr").format(
            scenario=r.scenario, virgin=f"{r.virgin_t:.3g}", waste=f"{r.waste_t:.3g}", circulating=f"{r.circulating_t:.3g}")
            for r in table.itertuples()) + ".",
        source=_(_SOURCE),
    )


def _timeline_long(sim: pd.DataFrame) -> pd.DataFrame:
    """Long format (year, flow, t) built from arrays: several times faster than DataFrame.melt."""
    years = sim["year"].to_numpy()
    return pd.DataFrame({
        "year": np.tile(years, len(_FLOW_NAMES)),
        "flow": np.repeat(list(_flows().values()), len(years)),
        "t": np.concatenate([sim[c].to_numpy(dtype=float) for c in _FLOW_NAMES]),
    })


@functools.lru_cache(maxsize=2)
def _timeline_template(lang: str = "en") -> alt.LayerChart:
    """The timeline chart built once (from a constant frame, no dataset); :func:`timeline_chart` swaps its data.

    Building and validating an Altair chart takes tens of milliseconds; a shallow copy with new
    data takes about one, which keeps the explorer's updates far below 100 ms.
    """
    order = list(_flows().values())  # the names the chart shows, in the course language
    placeholder = pd.DataFrame({"year": [0, 0, 0], "flow": order, "t": [0.0, 0.0, 0.0]})
    lines = alt.Chart(placeholder).mark_line(interpolate="step-after", point=alt.OverlayMarkDef(size=18)).encode(
        x=alt.X("year:Q", title=_("years after the new policy starts")),
        y=alt.Y("t:Q", title=_("tonnes per year")),
        color=alt.Color("flow:N", scale=alt.Scale(domain=order, range=list(_COLORS.values())), title=None,
                        legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("flow:N", scale=alt.Scale(domain=order, range=[[1, 0], [6, 4], [2, 2]]), title=None,
                                  legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("year:Q", title=_("year after the switch")), alt.Tooltip("flow:N", title=_("flow")),
                 alt.Tooltip("t:Q", format=".4r", title=_("t/year"))],
    )
    rule = alt.Chart(pd.DataFrame({"year": [0]})).mark_rule(color="#999", strokeDash=[2, 2]).encode(x="year:Q")
    return course_charts.finish((rule + lines).properties(width=520, height=260), title="template",
                                description="template", source=_(_SOURCE))


def timeline_chart(sim: pd.DataFrame, *, title: str | None = None) -> alt.LayerChart:
    """Virgin material, waste and material circulating per year from :func:`simulate` (policy starts at year 0).

    >>> from course_lib.circular.model import simulate
    >>> timeline_chart(simulate(10, lease_share=1, recycle=0.5)).to_dict()["title"]["text"]
    'Virgin material: 2.68 → 1.47 t/yr'
    """
    sim = _checked(sim, "sim", ("year", "virgin_t", "waste_t", "circulating_t"), "simulate()")
    if title is not None:
        title = checks.text(title, "title")
    template = _timeline_template(language())
    lines = template.layer[1].copy(deep=False)
    lines.data = _timeline_long(sim)
    chart = template.copy(deep=False)
    chart.layer = [template.layer[0], lines]
    first, last = sim.iloc[0], sim.iloc[-1]
    chart.title = alt.Title(title or _("Virgin material: {before} → {after} t/yr").format(
        before=f"{first['virgin_t']:.3g}", after=f"{last['virgin_t']:.3g}"), subtitle=_("Source: {source}").format(source=_(_SOURCE)))
    chart.description = _(
        "Yearly flows before and after a policy change at year 0. Virgin material goes from {before} "
        "to {after} t per year, material circulating from {circulating_before} to "
        "{circulating_after} t per year (dotted line); waste (dashed) equals virgin material (solid) in every year "
        "because the stock is constant."
    ).format(before=f"{first['virgin_t']:.3g}", after=f"{last['virgin_t']:.3g}",
             circulating_before=f"{first['circulating_t']:.3g}", circulating_after=f"{last['circulating_t']:.3g}")
    return chart


def _replace_name(text: str, name: str, value: str) -> str:
    """Replace the whole word ``name`` in an expression (not inside longer names)."""
    return re.sub(rf"(?<![\w.]){re.escape(name)}(?!\w)", value, text)


def _copied(build: Callable[[], alt.LayerChart]) -> Callable[[], alt.LayerChart]:
    """Build the chart once per data folder and hand out deep copies (notebook 03 shows it twice).

    Only the chart objects are copied; the small data frame inside is shared and never changed.
    """
    cached = data.cached(lambda lang: build())  # per data folder and course language (the chart's words)

    @functools.wraps(build)
    def chart() -> alt.LayerChart:
        return cached(language()).copy(deep=True)

    return chart


@_copied
def policy_slider_chart() -> alt.LayerChart:
    """A kernel-free view of the steady state: sliders for lifetime, lease share, repair, reuse, recycling and its yield.

    The bars are computed in the browser from :func:`formula`; the other parameters are the
    dataset's defaults. Shares that add up to more than 1 are capped in order (repair, reuse,
    recycle), and the chart says so.
    """
    d = defaults()
    params = [_table()[n].binding(value=d[n]) for n in _SLIDERS]
    fixed = {k: d[k] for k in PARAMETERS if k not in _SLIDERS}
    # Capped shares so the sum never exceeds 1 (the Python model raises instead).
    capped = {"repair": "repair_c", "reuse": "reuse_c", "recycle": "recycle_c"}

    def expr(output: str, reference: bool) -> str:
        text = formula(output)
        names = {k: repr(v) for k, v in fixed.items()}
        if reference:
            names.update({k: repr(d[k]) for k in _SLIDERS})
        else:
            names.update({k: f"datum.{v}" for k, v in capped.items()})
        for name in sorted(names, key=len, reverse=True):
            text = _replace_name(text, name, names[name])
        return text

    cases = [_("reference: sold, no 4R"), _("your choices")]
    flows = _flows()
    rows = pd.DataFrame([(c, f) for c in cases for f in flows.values()], columns=["case", "flow"])

    def by_flow(reference: bool) -> str:
        inner = "0"
        for key, flow in flows.items():
            inner = f"(datum.flow == '{flow}' ? {expr(key, reference)} : {inner})"
        return inner

    capped_note = _(" (shares capped: repair + reuse + recycle must not exceed 1)")  # outside the f-string below
    base = alt.Chart(rows).transform_calculate(
        repair_c="min(repair, 1)",
        reuse_c="min(reuse, 1 - min(repair, 1))",
        recycle_c="min(recycle, 1 - min(repair, 1) - min(reuse, 1 - min(repair, 1)))",
    ).transform_calculate(
        t=f"datum.case == '{cases[1]}' ? {by_flow(False)} : {by_flow(True)}",
        capped=f"repair + reuse + recycle > 1 ? '{capped_note}' : ''",
    ).transform_calculate(label="format(datum.t, '.3~f') + ' t/yr'")
    y = alt.Y("flow:N", sort=list(flows.values()), title=None)
    bars = base.mark_bar().encode(
        x=alt.X("t:Q", title=_("tonnes per year"), axis=alt.Axis(tickCount=6)),
        y=y, yOffset=alt.YOffset("case:N", sort=cases),
        color=alt.Color("case:N", scale=alt.Scale(domain=cases, range=["#888888", course_charts.PALETTE[0]]), title=None,
                        legend=alt.Legend(orient="bottom")),
        # The reference bars are pale with a dashed outline, yours solid: the cases differ by more than colour.
        stroke=alt.Stroke("case:N", scale=alt.Scale(domain=cases, range=["#555555", course_charts.PALETTE[0]]), title=None,
                          legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("case:N", scale=alt.Scale(domain=cases, range=[[4, 2], [1, 0]]), title=None,
                                  legend=alt.Legend(orient="bottom")),
        fillOpacity=alt.FillOpacity("case:N", scale=alt.Scale(domain=cases, range=[0.35, 1.0]), title=None,
                                    legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("case:N", title=_("case")), alt.Tooltip("flow:N", title=_("flow")),
                 alt.Tooltip("t:Q", format=".3f", title=_("t/year"))],
    )
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(
        x="t:Q", y=y, yOffset=alt.YOffset("case:N", sort=cases), text="label:N")
    warn = base.transform_filter(f"datum.case == '{cases[1]}' && datum.flow == '{flows['virgin_t']}'").mark_text(
        align="left", x=0, y=-12, color=course_charts.PALETTE[5], fontSize=13).encode(text="capped:N")
    chart = (bars + text + warn).add_params(*params).properties(width=460, height=230)
    ref = steady_state()
    return course_charts.finish(
        chart,
        title=_("Service economy, your way: move the sliders (works without a kernel)"),
        description=_("Grouped bars of virgin material, waste and material circulating per year for {stock} products of "
                      "{mass} kg: the bars 'reference: sold, no 4R' (lifetime {lifetime} years: virgin "
                      "{virgin} t/yr; pale bars with a dashed outline) and the bars 'your choices' for "
                      "the slider settings (solid bars). Sliders under the chart change the lifetime, the lease share, the repair, reuse "
                      "and recycling shares and the recycling yield: the 'your choices' bars and their values are recomputed "
                      "in the browser, the reference bars stay, and a note appears if the shares add up to more than 1.").format(
            stock=f"{d['stock']:g}", mass=f"{d['mass']:g}", lifetime=f"{d['lifetime']:g}", virgin=f"{ref.loc[0, 'virgin_t']:.3g}"),
        source=_(_SOURCE),
    )
