"""Charts of the lean topic: the cola can's days, its log-scale timeline, any value stream, the metal.

>>> chart = days_grid_chart()
>>> chart.to_dict()["data"]
{'sequence': {'start': 0, 'stop': 319, 'as': 'day'}}
"""

from __future__ import annotations

import functools
import math

import altair as alt
import pandas as pd

from .. import charts as course_charts
from .. import checks
from ..i18n import _, language
from ..params import parameters
from ..units import Q_
from .materials import back_calculate
from .model import check_stream, cola_figures, cola_summary, duration, value_added_ratio

__all__ = ["days_grid_chart", "log_timeline_chart", "value_stream_chart", "material_chart", "ratio_slider_chart"]

_WAIT, _VALUE = course_charts.PALETTE[4], course_charts.PALETTE[5]
N_ = str  # marks a message for the catalogue; translated where it is shown (i18n._)
_COLA_SOURCE = N_("Womack & Jones (1996) as told by Wong-Swanson (2005); dataset lean_cola_figures")


def days_grid_chart() -> alt.LayerChart:
    """One square per day of the cola can's journey; the value-adding hours fill a sliver of the first square.

    The grid is generated inside Vega-Lite (``sequence``), so the stored chart carries no data.
    """
    f = cola_figures()
    days = f["lead_time"].to("day").magnitude
    hours = f["value_added_time"].to("h").magnitude
    ncols = 29 if float(days).is_integer() and days % 29 == 0 else 30
    n = int(math.ceil(days))
    frac = f["value_added_time"].to("day").magnitude
    base = alt.Chart(alt.sequence(0, n, as_="day")).transform_calculate(
        col=f"datum.day % {ncols}", row=f"floor(datum.day / {ncols})",
        col2=f"datum.day % {ncols} + 0.9", row2=f"floor(datum.day / {ncols}) + 0.9",
    )
    caption = _("the sliver in the first square, top left: all {hours} value-adding hours together ({hours}/24 of one day)").format(hours=f"{hours:g}")
    x = alt.X("col:Q", scale=alt.Scale(domain=[0, ncols]),
              axis=alt.Axis(title=caption, labels=False, ticks=False, domain=False, grid=False, orient="top"))
    y = alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[0, math.ceil(n / ncols)], reverse=True))
    squares = base.mark_rect(color=_WAIT).encode(x=x, x2="col2:Q", y=y, y2="row2:Q", tooltip=[alt.Tooltip("day:Q", title=_("day (0 = mine)"))])
    # The sliver reuses the grid's data (filtered to day 0): separate one-row generators
    # tripped a Vega-Lite 5.20 bug when layers were combined.
    first = base.transform_filter("datum.day == 0")
    sliver = first.transform_calculate(sliver_end=f"{0.9 * frac}").mark_rect(color=_VALUE).encode(
        x=x, x2="sliver_end:Q", y=y, y2="row2:Q")
    chart = (squares + sliver).properties(width=580, height=260)
    return course_charts.finish(
        chart,
        title=_("The cola can's {days} days, one square per day").format(days=f"{days:g}"),
        description=_("A grid of {n} squares, one for each day between the bauxite mine and the grocery shelf. "
                      "All {hours} value-adding hours together fill {hours}/24 of the first square, a thin sliver at its "
                      "left edge: {share} of the time.").format(
            n=n, hours=f"{hours:g}", share=f"{value_added_ratio(f['value_added_time'], f['lead_time']):.3%}"),
        source=_("Womack & Jones (1996) as told by Wong-Swanson (2005), Lean Thinking passage; dataset lean_cola_figures"),
    )


def log_timeline_chart() -> alt.LayerChart:
    """Value-adding time, waiting time and lead time of the cola can on a logarithmic time axis."""
    s = cola_summary().iloc[0]
    frame = pd.DataFrame({
        "what": [_("value-adding time"), _("waiting (no value added)"), _("total lead time")],
        "hours": [s["value_added_time_h"], s["waiting_time_h"], s["lead_time_h"]],
        "kind": ["adds value", "adds no value", "total"],
    })
    frame["label"] = frame["hours"].map(duration)
    refs = pd.DataFrame({"hours": [1, 24, 24 * 7, 24 * 30.44, 24 * 365.25], "ref": [_("1 hour"), _("1 day"), _("1 week"), _("1 month"), _("1 year")]})
    x = alt.X("hours:Q", scale=alt.Scale(type="log", domain=[0.5, 20000], nice=False),
              axis=alt.Axis(grid=False, values=[1, 10, 100, 1000, 10000]), title=_("hours (logarithmic scale: each step ×10)"))
    y = alt.Y("what:N", sort=None, title=None)
    # Coloured by row (the y axis names each), so no row is told apart by colour alone.
    color = alt.Color("what:N", scale=alt.Scale(domain=list(frame["what"]), range=[_VALUE, _WAIT, "#555"]), legend=None)
    rules = alt.Chart(refs).mark_rule(color="#bbb", strokeDash=[4, 3]).encode(x="hours:Q")
    ref_text = alt.Chart(refs).mark_text(angle=0, dy=-8, align="left", dx=3, color="#555", fontSize=12).encode(
        x="hours:Q", y=alt.value(0), text="ref:N")
    stems = alt.Chart(frame).mark_rule(strokeWidth=6).encode(x=x, x2=alt.datum(0.5), y=y, color=color)
    dots = alt.Chart(frame).mark_point(filled=True, size=160).encode(x=x, y=y, color=color, tooltip=[
        alt.Tooltip("what:N", title=_("time")), alt.Tooltip("label:N", title=_("duration"))])
    labels = alt.Chart(frame).mark_text(align="left", dx=10).encode(x=x, y=y, text="label:N")
    chart = (rules + ref_text + stems + dots + labels).properties(width=560, height=180)
    return course_charts.finish(
        chart,
        title=_("3 hours in 319 days, on a log scale"),
        description=_("Log-scale comparison: value-adding time {value_added}, waiting time {waiting}, lead time {lead}. "
                      "On a log axis each gridline is ten times the previous one, so the tiny value-adding time becomes visible.").format(
            value_added=duration(s["value_added_time_h"]), waiting=duration(s["waiting_time_h"]), lead=duration(s["lead_time_h"])),
        source=_(_COLA_SOURCE),
    )


def value_stream_chart(stream: pd.DataFrame, time_unit: str | None = None, *, title: str | None = None,
                       source: str | None = None) -> alt.Chart:
    """A timeline of any complete value stream: each step's waiting time and value-adding time, one after another.

    >>> stream = pd.DataFrame({"step": ["make", "wait"], "lead_time": [10, 30], "value_added_time": [5, 0]})
    >>> value_stream_chart(stream).to_dict()["title"]["text"]
    'Your value stream: 12.5 % of the time adds value'
    """
    title = _("Your value stream") if title is None else checks.text(title, "title")  # default in the course language
    source = _("your own value-stream table") if source is None else checks.text(source, "source")
    checked = check_stream(stream, time_unit)
    if checked[["lead_time_h", "value_added_time_h"]].isna().any().any():
        raise ValueError("every step needs both times to be drawn; use review_value_stream(stream) to see which are empty")
    total = float(checked["lead_time_h"].sum())
    unit, scale = ("day", 24.0) if total >= 72 else ("h", 1.0)
    start = checked["lead_time_h"].cumsum() - checked["lead_time_h"]
    rows = []
    for i, (step, s0, lt, va) in enumerate(zip(checked["step"], start, checked["lead_time_h"], checked["value_added_time_h"])):
        rows.append({"order": i, "step": str(step), "part": _("adds value"), "start": s0 / scale, "end": (s0 + va) / scale, "hours": va})
        rows.append({"order": i, "step": str(step), "part": _("waits (no value)"), "start": (s0 + va) / scale, "end": (s0 + lt) / scale, "hours": lt - va})
    frame = pd.DataFrame(rows)
    frame["duration"] = frame["hours"].map(duration)
    ratio = value_added_ratio(Q_(float(checked["value_added_time_h"].sum()), "h"), Q_(total, "h")) if total else 0.0
    # A shallow copy of a chart built once: building and validating a new Altair chart on every
    # keystroke of the editor would cost tens of milliseconds.
    chart = _stream_template(unit, language()).copy(deep=False)
    chart.data = frame
    chart.height = max(80, 30 * len(checked))
    chart.title = alt.Title(_("{title}: {share} % of the time adds value").format(title=title, share=f"{ratio * 100:.3g}"),
                            subtitle=_("Source: {source}").format(source=source))
    chart.description = _("Timeline of {steps} steps, total lead time {lead}, of which {value_added} adds value (thick bars "
                          "'adds value'); the rest is waiting, storage and transport (thin bars 'waits (no value)').").format(
        steps=len(checked), lead=duration(total), value_added=duration(float(checked["value_added_time_h"].sum())))
    return chart


@functools.lru_cache(maxsize=8)
def _stream_template(unit: str, lang: str = "en") -> alt.Chart:
    """The value-stream timeline built once per time unit and language, from a constant one-row frame (no dataset)."""
    parts = [_("adds value"), _("waits (no value)")]
    frame = pd.DataFrame({"order": [0], "step": ["a"], "part": parts[:1], "start": [0.0], "end": [1.0], "duration": ["1 h"]})
    bars = alt.Chart(frame).mark_bar(height=18).encode(
        x=alt.X("start:Q", title=_("time since the first step ({unit})").format(unit=unit)),
        x2="end:Q",
        y=alt.Y("step:N", sort=alt.SortField("order"), title=None),
        color=alt.Color("part:N", scale=alt.Scale(domain=parts, range=[_VALUE, _WAIT]), title=None),
        # Thick bars add value, thin bars wait: the two parts differ by thickness too, not by colour alone.
        size=alt.Size("part:N", scale=alt.Scale(domain=parts, range=[20, 9]), title=None),
        tooltip=[alt.Tooltip("step:N", title=_("step")), alt.Tooltip("part:N", title=_("part")),
                 alt.Tooltip("duration:N", title=_("duration"))],
    ).properties(width=520, height=80)
    return course_charts.finish(bars, title="template", description="template", source="template")


def material_chart(flow: pd.DataFrame | None = None) -> alt.LayerChart:
    """Tonnes of material at each stage behind the cans (a frame from :func:`back_calculate`).

    >>> material_chart().to_dict()["title"]["text"]
    'Behind 1 t of cans on the shelves'
    """
    flow = back_calculate() if flow is None else checks.frame(flow, "flow", ("stage", "material", "mass_t"))
    # The material also in words beside each bar (not by colour alone).
    frame = flow.assign(label=[_("{tonnes} t of {material}").format(tonnes=f"{t:.3g}", material=m) for t, m in zip(flow["mass_t"], flow["material"])])
    y = alt.Y("stage:N", sort=None, title=None)
    palette = course_charts.PALETTE
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("mass_t:Q", title=_("tonnes")), y=y,
        color=alt.Color("material:N", scale=alt.Scale(domain=["bauxite", "alumina", "aluminium"], range=[palette[5], palette[3], palette[0]]), title=None),
        tooltip=[alt.Tooltip("stage:N", title=_("stage")), alt.Tooltip("material:N", title=_("material")),
                 alt.Tooltip("mass_t:Q", format=".3f", title=_("tonnes")), alt.Tooltip("basis:N", title=_("basis"))],
    )
    text = alt.Chart(frame).mark_text(align="left", dx=4).encode(x="mass_t:Q", y=y, text="label:N")
    shelves = flow["stage"] == "cans on the shelves"
    cans = float(flow.loc[shelves, "mass_t"].iloc[0]) if shelves.any() else float("nan")
    return course_charts.finish(
        (bars + text).properties(width=480, height=200),
        title=_("Behind {tonnes} t of cans on the shelves").format(tonnes=f"{cans:g}"),
        description=_("Tonnes at each stage, traced back from the cans: {stages}.").format(
            stages="; ".join(f"{r.stage} {r.mass_t:.3g} t" for r in flow.itertuples())),
        source=_("Wong-Swanson (2005) Lean Thinking passage (24 % scrap, 2 t alumina per t); USGS, Bray (2020) (2.34 t bauxite per t alumina); datasets lean_cola_figures"),
    )


def ratio_slider_chart() -> alt.LayerChart:
    """A kernel-free view: sliders for lead time (days) and value-adding time (hours) redraw the ratio.

    Vega-Lite params run in the browser, so this works in a saved notebook without a kernel.
    """
    s = cola_summary().iloc[0]
    days0, hours0 = float(s["lead_time_days"]), float(s["value_added_time_h"])
    rows = parameters("lean_ratio_parameters")  # the sliders' ranges
    lead = rows["lead_days"].binding(_("lead time (days)"), value=days0)
    va = rows["va_hours"].binding(_("value-adding time (hours)"), value=hours0)
    names = [_("value-adding time"), _("total lead time")]  # the bars' names, in the course language
    base = alt.Chart(pd.DataFrame({"what": names})).transform_calculate(
        hours=f"datum.what == '{names[1]}' ? max(lead_days * 24, va_hours) : va_hours",
        ratio="min(va_hours / (lead_days * 24), 1)",
    )
    y = alt.Y("what:N", sort=names, title=None)
    x = alt.X("hours:Q", scale=alt.Scale(type="log", domain=[0.5, 10000], nice=False),
              axis=alt.Axis(values=[1, 10, 100, 1000, 10000]), title=_("hours (log scale)"))
    bars = base.mark_bar(height=26).encode(
        x=x, x2=alt.datum(0.5), y=y,
        color=alt.Color("what:N", scale=alt.Scale(domain=names, range=[_VALUE, _WAIT]), legend=None),
    )
    text = base.transform_filter(f"datum.what == '{names[0]}'").transform_calculate(
        label="'{0}' + format(datum.ratio * 100, '.3~f') + ' %   (' + format(va_hours, '.3~f') + '{1}' + format(lead_days, '.0f') + '{2}'".format(
            _("value-added ratio: "), _(" h in "), _(" days)"))
    ).mark_text(align="left", dy=-32, x=0, fontSize=16, fontWeight="bold").encode(text="label:N", y=y)
    chart = (bars + text).add_params(lead, va).properties(width=520, height=110)
    return course_charts.finish(
        chart,
        title=_("Shorten the wait: move the sliders (works without a kernel)"),
        description=_("Two bars on a log scale: value-adding time ({hours} h) and total lead time ({days} days), with the "
                      "value-added ratio written above. Sliders under the chart set the lead time "
                      "({days_low} to {days_high} days) and the value-adding time "
                      "({hours_low} to {hours_high} hours): both bars and the ratio follow; the ratio is value-adding "
                      "hours / (lead days × 24).").format(
            hours=f"{hours0:g}", days=f"{days0:g}", days_low=f"{rows['lead_days'].low:g}", days_high=f"{rows['lead_days'].high:g}",
            hours_low=f"{rows['va_hours'].low:g}", hours_high=f"{rows['va_hours'].high:g}"),
        source=_(_COLA_SOURCE),
    )
