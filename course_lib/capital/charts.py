"""Charts of natural capital: the stock under three harvest policies, the regrowth curve, the
reserves of *The Limits to Growth* and the long Gapminder trends.

:func:`income_capital_chart` and :func:`reserve_chart` work in a saved notebook without a
kernel: Vega-Lite params bound to sliders, the model computed in the browser.

>>> yield_curve_chart(0.5, 1000, 150).to_dict()["title"]["text"]
"Nature's income: regrowth per year at each stock"
"""

from __future__ import annotations

import functools
import math
from typing import Any

import altair as alt
import pandas as pd

from .. import checks, data, formats
from ..charts import PALETTE, finish
from ..i18n import _, language
from .stock import (
    POLICIES, TOL, _collapse_time, _harvest, _logistic, _table, defaults, maximum_sustainable_yield, msy_stock,
    sustainable_yield_curve,
)
from .reserves import _growth_row
from .trends import GROUP_ORDER, grouping_text, population_growth

__all__ = ["stock_chart", "yield_curve_chart", "income_capital_chart", "reserve_chart", "trends_chart",
           "life_growth_chart"]

_POLICY_SCALE = alt.Scale(domain=list(POLICIES), range=[PALETTE[5], PALETTE[0], PALETTE[2]])
# Each policy's line also has its own dash (legend "harvest policy" shows both), so no line is
# told apart by colour alone; the dashed grey rules (K/2, MSY) use a dash none of them uses.
_POLICY_DASH = alt.Scale(domain=list(POLICIES), range=[[1, 0], [12, 3], [2, 3]])
_SCENARIO_DASH = alt.Scale(domain=["constant use", "growing use"], range=[[1, 0], [8, 4]])
_GROUP_DASH = alt.Scale(domain=list(GROUP_ORDER), range=[[1, 0], [8, 4], [2, 3]])
N_ = str  # marks a message for the catalogue; translated where it is shown (i18n._)
_MODEL_SOURCE = N_("course model: logistic regrowth with the harvest policy chosen; parameters in "
                 "datasets/capital_model_defaults.csv (assumptions)")
_RESERVES_SOURCE = N_("Meadows et al. (1972), The Limits to Growth, Table 4, as reported by Wikipedia (grade B)")
_TRENDS_SOURCE = N_("Gapminder (www.gapminder.org, CC-BY), 142 countries, as shipped with plotly; population-weighted by the course")
_PATH_COLUMNS = ("year", "stock", "harvest", "policy", "cumulative_harvest")
_TREND_COLUMNS = ("group", "year", "population", "gdp_per_capita", "life_expectancy", "countries")


def _names(values: Any) -> Any:
    """A legend's labels in the course language: the data keep their English names (the model's)."""
    pairs = {str(v): _(str(v)) for v in values}
    if all(k == v for k, v in pairs.items()):
        return alt.Undefined
    return "{" + ", ".join(f"'{k}': '{v}'" for k, v in pairs.items()) + "}[datum.label] || datum.label"


def _csv(frame: pd.DataFrame) -> str:
    """A table as CSV text for a chart's named dataset.

    A saved notebook stores a chart's data as indented JSON, one line per value; as one CSV string
    the same table takes a fraction of the space (the charts declare ``format: csv`` and parse
    the numbers back).
    """
    return frame.to_csv(index=False, lineterminator="\n")


# ---- the stock model, drawn in Python (the explorer's chart) ------------------------------------


def _policy_panels(lines: alt.Chart, x: str, stock_rule: tuple[alt.Chart, str, str],
                   harvest_rule: tuple[alt.Chart, str, str], totals: alt.Chart, total: str, total_title: str,
                   unit: str) -> list[Any]:
    """The three panels of both stock charts: the stock and the harvest per year over time, each
    with a dashed rule and its label (``(chart, value field, label field)``: K/2, the MSY), and one
    bar per policy, the total harvest. ``lines`` and ``totals`` carry the data (named datasets, or
    the browser's model); ``x`` is the time field."""
    color = alt.Color("policy:N", scale=_POLICY_SCALE, title=_("harvest policy"), legend=alt.Legend(labelExpr=_names(POLICIES)))
    dash = alt.StrokeDash("policy:N", scale=_POLICY_DASH, title=_("harvest policy"), legend=alt.Legend(labelExpr=_names(POLICIES)))

    def panel(field: str, title: str, fmt: str, rule: tuple[alt.Chart, str, str], height: int) -> alt.LayerChart:
        marks, value, label = rule
        line = lines.mark_line().encode(
            x=alt.X(f"{x}:Q", title=_("years from now")), y=alt.Y(f"{field}:Q", title=title), color=color, strokeDash=dash,
            tooltip=[alt.Tooltip("policy:N", title=_("harvest policy")), alt.Tooltip(f"{x}:Q", title=_("year"), format=".1f"),
                     alt.Tooltip(f"{field}:Q", format=fmt, title=title)])
        # The dashed rule under the lines: a policy sitting on it stays visible.
        return alt.layer(marks.mark_rule(strokeDash=[6, 4], color="#444").encode(y=f"{value}:Q"), line,
                         marks.mark_text(align="right", dy=-8, color="#444").encode(
                             x=alt.value(556), y=f"{value}:Q", text=f"{label}:N")).properties(height=height)

    bars = totals.mark_bar().encode(
        y=alt.Y("policy:N", title=None, sort=list(POLICIES), axis=alt.Axis(labelExpr=_names(POLICIES))),
        x=alt.X(f"{total}:Q", title=total_title), color=color,
        tooltip=[alt.Tooltip("policy:N", title=_("policy")), alt.Tooltip(f"{total}:Q", format=",.1f", title=_("total"))]
    ).properties(height=72)
    return [panel("stock", _("stock ({unit})").format(unit=unit), ",.0f", stock_rule, 200),
            panel("harvest", _("harvest ({unit}/yr)").format(unit=unit), ",.1f", harvest_rule, 150), bars]


@functools.lru_cache(maxsize=8)
def _stock_template(unit: str, lang: str = "en") -> Any:
    """The stock chart without its data, built once per unit and reused by every redraw.

    Building and validating an Altair chart of three layered panels takes several tenths of a
    second; a slider must answer in under 0.1 s. So the marks are built once, reading named
    datasets, and :func:`stock_chart` only attaches the numbers (``datasets``), the title and
    the description to a shallow copy.
    """
    paths, stock_marks, harvest_marks, totals = (
        alt.NamedData(name=name, format=alt.DataFormat(type="csv", parse={field: "number" for field in fields}))
        for name, fields in (("paths", ("year", "stock", "harvest")), ("stock_marks", ("value",)),
                             ("harvest_marks", ("value",)), ("totals", ("cumulative_harvest",))))
    panels = _policy_panels(alt.Chart(paths), "year", (alt.Chart(stock_marks), "value", "label"),
                            (alt.Chart(harvest_marks), "value", "label"), alt.Chart(totals), "cumulative_harvest",
                            _("total harvest over the years shown ({unit})").format(unit=unit), unit)
    return finish(alt.vconcat(*panels).resolve_scale(color="shared"), title="Harvesting a renewable stock", description="(set by stock_chart)", source=_(_MODEL_SOURCE))


def stock_chart(paths: pd.DataFrame, *, title: str | None = None, description: str | None = None,
                totals_in_description: bool = True) -> alt.TopLevelMixin:
    """Stock and harvest over time for one or more policies, MSY marked (from :func:`stock_path`).

    Top: the stock, with a dashed line at K/2 (the stock that gives the MSY). Middle: the
    harvest per year, with a dashed line at the MSY. Bottom: the total harvest over the horizon.
    With ``totals_in_description=False`` the description names the case and what each panel
    shows but not the totals or the year the stock is gone: for a chart an exercise asks the
    reader to read (the values are in the tooltips and in :func:`policy_summary`).

    >>> from course_lib.capital import compare_policies
    >>> stock_chart(compare_policies(0.5, 1000, 150, years=20, initial=500)).to_dict()["title"]["text"]
    'Harvesting 150 t/yr from a stock of at most 1,000 t'
    """
    paths = checks.frame(paths, "paths", _PATH_COLUMNS)
    if not {"units", "msy", "K", "harvest", "r", "initial"} <= set(paths.attrs):
        raise ValueError("paths must be a table made by stock_path or compare_policies (its attrs hold the model's parameters)")
    if title is not None:
        checks.text(title, "title")
    if description is not None:
        checks.text(description, "description")
    attrs = paths.attrs
    unit = attrs["units"]["stock"]
    horizon = float(paths["year"].max())
    msy, K, H, r = attrs["msy"], attrs["K"], attrs["harvest"], attrs["r"]
    template = _stock_template(unit, language())  # one template per language: its axis titles are words
    chart = template.copy(deep=False)  # cheap: the marks are shared, only the data and texts change
    totals = paths.groupby("policy", sort=False)["cumulative_harvest"].last().round(1)
    chart.datasets = {
        "paths": _csv(paths[["year", "stock", "harvest", "policy"]].round(2)),
        "stock_marks": _csv(pd.DataFrame({"value": [K / 2], "label": [_("K/2 = {half} {unit}: the stock that regrows fastest").format(half=f"{K / 2:,.0f}", unit=unit)]})),
        "harvest_marks": _csv(pd.DataFrame({"value": [msy], "label": [f"MSY = rK/4 = {msy:,.1f} {unit}/yr"]})),
        "totals": _csv(totals.rename("cumulative_harvest").reset_index()),
    }
    collapse = attrs.get("collapse_year")
    case = {"years": f"{horizon:g}", "r": f"{r:g}", "K": f"{K:,.0f}", "H": f"{H:,.0f}", "unit": unit, "start": f"{attrs['initial']:,.0f}"}
    checks.flag(totals_in_description, "totals_in_description")
    if description is None and not totals_in_description:
        description = _("Stock and harvest over {years} years for r = {r} per year, K = {K} {unit}, "
                        "a target harvest of {H} {unit} per year and a start at {start} {unit}. "
                        "Top: the stock under each policy, with a dashed line at K/2; middle: the harvest per year, "
                        "with a dashed line at the maximum sustainable yield; bottom: one bar per policy, the total "
                        "harvest over the {years} years (hover over a bar for its value, or print "
                        "capital.policy_summary for the same totals as a table).").format(**case)
    if description is None:
        fate = (_("the fixed-amount stock is gone after {years} years").format(years=f"{collapse:.1f}") if collapse is not None
                else _("no policy empties the stock within the horizon"))
        totals_text = "; ".join(f"{_(p)}: {v:,.0f} {unit}" for p, v in totals.items())
        description = _("Stock and harvest over {years} years for r = {r} per year, K = {K} {unit}, "
                        "a target harvest of {H} {unit} per year and a start at {start} {unit}. "
                        "The maximum sustainable yield is {msy} {unit} per year; {fate}. "
                        "Total harvest over {years} years: {totals}.").format(**case, msy=f"{msy:,.1f}", fate=fate, totals=totals_text)
    chart.title = alt.Title(title or _("Harvesting {H} {unit}/yr from a stock of at most {K} {unit}").format(**case),
                            subtitle=template.title.subtitle)
    chart.description = description
    return chart


def yield_curve_chart(r: Any, K: Any, harvest: Any = None, unit: str = "t") -> alt.TopLevelMixin:
    """The regrowth curve (nature's income at each stock), its top (the MSY) and a harvest line."""
    unit, rate, cap = _logistic(r, K, unit)
    H = None if harvest is None else _harvest(harvest, unit)
    curve = sustainable_yield_curve(rate, cap, points=51, unit=unit)
    msy = maximum_sustainable_yield(rate, cap, unit).magnitude
    top = pd.DataFrame({"stock": [msy_stock(rate, cap, unit).magnitude], "regrowth": [msy],
                        "label": [_("MSY {msy} {unit}/yr at N = K/2").format(msy=f"{msy:,.0f}", unit=unit)]})
    base = alt.Chart(curve).mark_line().encode(
        x=alt.X("stock:Q", title=_("stock N ({unit})").format(unit=unit)), y=alt.Y("regrowth:Q", title=_("regrowth ({unit}/yr)").format(unit=unit)))
    layers: list[Any] = [base,
                         alt.Chart(top).mark_point(filled=True, color="#000").encode(x="stock:Q", y="regrowth:Q"),
                         alt.Chart(top).mark_text(dy=-14).encode(x="stock:Q", y="regrowth:Q", text="label:N")]
    if H is not None:
        line = pd.DataFrame({"harvest": [H], "label": [_("harvest {H} {unit}/yr").format(H=f"{H:,.0f}", unit=unit)]})
        layers.append(alt.Chart(line).mark_rule(strokeDash=[6, 4], color=PALETTE[5]).encode(y="harvest:Q"))
        layers.append(alt.Chart(line).mark_text(align="right", dy=-8, color=PALETTE[5]).encode(
            x=alt.datum(cap), y="harvest:Q", text="label:N"))
    return finish(
        alt.layer(*layers).properties(height=260),
        title=_("Nature's income: regrowth per year at each stock"),
        description=_("Logistic regrowth r N (1 - N/K) for r = {r} per year and K = {K} {unit}: "
                      "zero for an empty and for a full stock, largest ({msy} {unit} per year) at half of K. "
                      "A fixed harvest above the top of the curve is more than any stock can regrow.").format(
            r=f"{rate:g}", K=f"{cap:,.0f}", unit=unit, msy=f"{msy:,.0f}"),
        source=_(_MODEL_SOURCE))


# ---- the kernel-free version: the same closed forms as Vega expressions, driven by Vega-Lite params --

#: Names of the Vega-Lite params of :func:`income_capital_chart` (they become Vega signals).
_P = {"r": "growth_rate", "K": "capacity", "H": "harvest", "share": "initial_share", "policy": "policy_shown",
      "horizon": "years_shown"}


def _vega_stock_fields() -> list[tuple[str, str]]:
    """(field, Vega expression) pairs computing the stock model per row (``datum.t``, ``datum.policy``).

    They mirror :func:`~course_lib.capital.stock.stock_path` formula by formula; the tests evaluate
    them in Python and compare with it. Only ``if(test, a, b)`` is used for branching (no
    ``&&``/``||``); Vega has no ``Infinity``, so ``MAX_VALUE`` (the largest float) stands for 'never'.
    """
    r, K, H, share = _P["r"], _P["K"], _P["H"], _P["share"]
    tol = f"{TOL} * {K} * {K}"
    return [
        ("N0", f"{share} / 100 * {K}"),
        ("g0", f"{r} * datum.N0 * (1 - datum.N0 / {K})"),
        ("D", f"{K} * {K} / 4 - {K} * {H} / {r}"),
        ("x0", f"datum.N0 - {K} / 2"),
        ("sa", "sqrt(abs(datum.D))"),
        ("T", f"if({H} <= 0, MAX_VALUE, if(datum.D < -{tol}, {K} / ({r} * datum.sa) * (atan(datum.x0 / datum.sa) + atan({K} / (2 * datum.sa))), "
              f"if(datum.D <= {tol}, if(datum.x0 >= 0, MAX_VALUE, ({K} / {r}) * (1 / (-datum.x0) - 2 / {K})), "
              f"if(datum.x0 >= -datum.sa - {TOL} * {K}, MAX_VALUE, {K} / (2 * datum.sa * {r}) * log(((datum.x0 - datum.sa) / (datum.x0 + datum.sa)) / (({K} / 2 + datum.sa) / ({K} / 2 - datum.sa)))))))"),
        ("E", f"((datum.x0 - datum.sa) / (datum.x0 + datum.sa)) * exp(-2 * datum.sa * {r} * datum.t / {K})"),
        ("xfix", f"if(datum.D < -{tol}, datum.sa * tan(atan(datum.x0 / datum.sa) - {r} * datum.sa * datum.t / {K}), "
                 f"if(datum.D <= {tol}, datum.x0 / (1 + {r} * datum.x0 * datum.t / {K}), "
                 f"if(abs(datum.x0 + datum.sa) <= {TOL} * {K}, datum.x0, datum.sa * (1 + datum.E) / (1 - datum.E))))"),
        ("Nfix", f"if(datum.t >= datum.T, 0, max(0, {K} / 2 + datum.xfix))"),
        ("f", f"{H} / datum.N0"),
        ("rp", f"{r} - datum.f"),
        ("Nfrac", f"max(0, if(abs(datum.rp) <= {TOL} * {r}, datum.N0 / (1 + {r} * datum.N0 * datum.t / {K}), "
                  f"({K} * datum.rp / {r}) / (1 + (({K} * datum.rp / {r} - datum.N0) / datum.N0) * exp(-datum.rp * datum.t))))"),
        ("stock", "if(datum.policy == 'fixed amount', datum.Nfix, if(datum.policy == 'fixed fraction', datum.Nfrac, "
                  f"if({H} >= datum.g0, datum.N0, datum.Nfix)))"),
        ("harvest", f"if(datum.policy == 'fixed amount', if(datum.t < datum.T, {H}, 0), if(datum.policy == 'fixed fraction', "
                    f"datum.f * datum.stock, if({H} >= datum.g0, datum.g0, {H})))"),
    ]


def income_capital_chart(step: float = 0.25) -> alt.TopLevelMixin:
    """The income-vs-capital chart with Vega-Lite sliders: works with no kernel, even untrusted.

    The browser computes the model from the same closed forms as :func:`stock_path` (see
    :func:`_vega_stock_fields`), so the reader can move r, K, the harvest, the start and the
    policy in a saved notebook. Time runs in steps of ``step`` years (generated in the browser:
    the spec carries no data table). The sliders start at :func:`defaults`.

    >>> income_capital_chart(step=0)
    Traceback (most recent call last):
    ...
    ValueError: step=0 is not allowed: give a number > 0 and < 10 (year)
    """
    step = checks.number(step, "step", minimum=0, maximum=10, inclusive=False, unit="year")
    d = defaults()
    table = _table()
    top = table["horizon"].high
    params = [table[name].binding(label, name=_P[key]) for name, key, label in (
        ("growth_rate", "r", _("growth rate r (per year)")), ("capacity", "K", _("capacity K (t)")), ("harvest", "H", _("harvest (t/yr)")),
        ("initial_share", "share", _("start (% of K)")), ("horizon", "horizon", _("years shown (years)")))] + [
        alt.param(name=_P["policy"], value="all three",
                  bind=alt.binding_select(options=["all three", *POLICIES], labels=[_(p) for p in (N_("all three"), *POLICIES)],
                                          name=_("policy") + " ")),
    ]
    keep = f"{_P['policy']} == 'all three' || datum.policy == {_P['policy']}"
    # The time steps and the model are computed once, at the top of the chart, and shared by the
    # panels (each panel repeating them made the chart slow to build and to validate).
    flow = [{"calculate": f"{list(POLICIES)!r}".replace('"', "'"), "as": "policy"},
            {"flatten": ["policy"]},
            {"filter": f"datum.t <= {_P['horizon']}"},
            {"filter": keep},
            *({"calculate": expression, "as": field} for field, expression in _vega_stock_fields())]
    fastest = _(": the stock that regrows fastest")  # outside the f-string, where pybabel can find it
    one = alt.Chart(alt.sequence(0, 1, 1, as_="i")).transform_calculate(
        half=f"{_P['K']} / 2", msy=f"{_P['r']} * {_P['K']} / 4",
        half_label=f"'K/2 = ' + format({_P['K']} / 2, ',.0f') + ' t' + '{fastest}'",
        msy_label=f"'MSY = rK/4 = ' + format({_P['r']} * {_P['K']} / 4, ',.1f') + ' t/yr'")
    totals = alt.Chart().transform_filter(f"datum.t < {_P['horizon']}").transform_aggregate(
        total="sum(harvest)", groupby=["policy"]).transform_calculate(total=f"datum.total * {step}")
    panels = _policy_panels(alt.Chart(), "t", (one, "half", "half_label"), (one, "msy", "msy_label"), totals, "total",
                            _("total harvest over the years shown (t, approx.)"), "t")
    chart = alt.vconcat(*panels, data=alt.sequence(0, top + step / 2, step, as_="t"),
                        transform=flow).resolve_scale(color="shared").add_params(*params)
    msy = d["growth_rate"] * d["capacity"] / 4
    collapse = _collapse_time(d["growth_rate"], d["capacity"], d["harvest"], d["initial_share"] / 100 * d["capacity"])
    fate = (_("the fixed amount empties the stock in {years} years").format(years=f"{collapse:.1f}") if math.isfinite(collapse)
            else _("no policy empties the stock"))
    return finish(
        chart, title=_("Income or capital? Move the sliders (works without a kernel)"),
        description=_("Stock (top) and harvest per year (middle) over time for a logistic renewable stock under three "
                      "harvest policies that start with the same harvest: a fixed amount, a fixed fraction of the stock, "
                      "and income only (never more than the regrowth). Dashed lines: K/2 and the maximum sustainable "
                      "yield rK/4. Bottom: total harvest over the years shown. With the defaults (harvest {harvest} t "
                      "per year, MSY {msy} t per year) {fate}. Sliders under the chart change the growth rate r, the "
                      "capacity K, the harvest, the starting stock (% of K) and the years shown, and a menu shows one policy "
                      "or all three: the lines, the dashed K/2 and MSY lines and the totals are recomputed at once. Lines: "
                      "fixed amount solid, fixed fraction long dashes, income only dotted.").format(
            harvest=f"{d['harvest']:,.0f}", msy=f"{msy:,.1f}", fate=fate),
        source=_(_MODEL_SOURCE))


# ---- reserves --------------------------------------------------------------------------------------


def _reserve_lines(base: alt.Chart, x: str) -> alt.Chart:
    """What is left of a reserve over time (field ``x``, in years) at constant and at growing use."""
    return base.mark_line().encode(
        x=alt.X(f"{x}:Q", title=_("years from the book's base year (1970)")),
        y=alt.Y("remaining:Q", title=_("reserve left (% of today's)")),
        color=alt.Color("scenario:N", title=None, scale=alt.Scale(domain=["constant use", "growing use"], range=[PALETTE[0], PALETTE[5]]),
                        legend=alt.Legend(labelExpr=_names(["constant use", "growing use"]))),
        strokeDash=alt.StrokeDash("scenario:N", scale=_SCENARIO_DASH, title=None, legend=alt.Legend(labelExpr=_names(["constant use", "growing use"]))),
        tooltip=[alt.Tooltip("scenario:N", title=_("use")), alt.Tooltip(f"{x}:Q", title=_("year"), format=".1f"),
                 alt.Tooltip("remaining:Q", format=".1f", title=_("reserve left (% of today's)"))])


def reserve_chart() -> alt.TopLevelMixin:
    """Years left in a non-renewable reserve: constant vs growing use, with Vega-Lite controls.

    Works without a kernel. A select picks a resource of *The Limits to Growth* (its static
    index), a slider sets the growth of use (starting at petroleum's printed rate), a radio
    button multiplies the reserves by 5 (the book's second scenario).
    """
    table = data.load("capital_reserves")
    start = "petroleum" if "petroleum" in set(table["resource"]) else str(table["resource"].iloc[0])
    first = table.set_index("resource").loc[start]
    resource = alt.param(name="resource", value=start,
                         bind=alt.binding_select(options=[str(r) for r in table["resource"]], name=_("resource") + " "))
    slider = _growth_row()
    growth = slider.binding(_("growth of use (% per year)"), name="growth_pct", value=float(first["growth_rate"]))
    multiple = alt.param(name="reserve_multiple", value=1, bind=alt.binding_radio(options=[1, 5], name=_("reserves x") + " "))
    rows = table[["resource", "static_index", "growth_rate"]].assign(
        static_index=lambda t: t["static_index"].astype(float), growth_rate=lambda t: t["growth_rate"].astype(float),
        resource=lambda t: t["resource"].astype(str))
    g = "(growth_pct / 100)"
    base = (alt.Chart(alt.Data(values=rows.to_dict("records")))
            .transform_filter("datum.resource == resource")
            .transform_calculate(s="datum.static_index * reserve_multiple")
            .transform_calculate(t="sequence(0, 1.15 * datum.s + datum.s / 400, datum.s / 200)")
            .transform_flatten(["t"])
            .transform_calculate(constant="max(0, 100 - 100 * datum.t / datum.s)",
                                 growing=f"if(abs({g}) < 1e-12, max(0, 100 - 100 * datum.t / datum.s), "
                                         f"max(0, 100 - 100 * (exp({g} * datum.t) - 1) / ({g} * datum.s)))")
            .transform_fold(["constant", "growing"], as_=["scenario_key", "remaining"])
            .transform_calculate(scenario="datum.scenario_key == 'constant' ? 'constant use' : 'growing use'"))
    lines = _reserve_lines(base, "t")
    summary = (alt.Chart(alt.Data(values=rows.to_dict("records")))
               .transform_filter("datum.resource == resource")
               .transform_calculate(s="datum.static_index * reserve_multiple")
               .transform_calculate(e=f"if(abs({g}) < 1e-12, datum.s, if(1 + {g} * datum.s <= 0, MAX_VALUE, log(1 + {g} * datum.s) / {g}))")
               .transform_calculate(text="'{0}' + format(datum.s, ',.0f') + '{1}' + format(growth_pct, '.1f') + ' %/yr: ' + "
                                         "if(datum.e < 1e300, format(datum.e, ',.0f') + '{2}', '{3}') + '{4}' + format(datum.growth_rate, '.1f') + ' %/yr)'".format(
                                             _("static index: "), _(" years; exponential index at "), _(" years"), _("never runs out"), _(" (book: ")))
               .mark_text(align="left", fontSize=15).encode(x=alt.value(5), y=alt.value(-12), text="text:N"))
    chart = alt.layer(lines, summary).add_params(resource, growth, multiple).properties(height=300)
    return finish(
        chart, title=_("A reserve has no income: years left at constant and at growing use"),
        description=_("Share of today's reserve left over time, for the resource chosen, at constant use (a straight line "
                      "reaching zero at the static index) and at use growing exponentially (reaching zero much sooner, at "
                      "the exponential index ln(1 + g s)/g; dashed line). For petroleum, 31 years at constant use become about "
                      "20 at 3.9 % growth a year. Controls under the chart: a menu picks the resource, a slider sets the growth "
                      "of use ({low} to {high} % a year) and buttons multiply the reserves by 1 or 5; both lines and the sentence "
                      "above them (static and exponential index) follow.").format(low=formats.number(slider.low), high=formats.number(slider.high)),
        source=_(_RESERVES_SOURCE))


@functools.lru_cache(maxsize=2)
def _reserve_template(lang: str = "en") -> Any:
    """The reserve explorer's chart without data (built once: see :func:`_stock_template`)."""
    path = alt.NamedData(name="path", format=alt.DataFormat(type="csv", parse={"year": "number", "remaining": "number"}))
    return finish(_reserve_lines(alt.Chart(path), "year").properties(height=300), title="Years left in a reserve", description="(set by the explorer)",
                  source=_(_RESERVES_SOURCE))


def _reserve_path_chart(resource: str, path: pd.DataFrame, growth_pct: float) -> Any:
    """The reserve explorer's redraw: a path from ``reserve_path`` on a copy of the shared template.

    About 250 points per line are plenty for a smooth curve; the moments the reserve runs out
    are always kept.
    """
    s, e = path.attrs["static_index"], path.attrs["exponential_index"]
    every = max(1, math.ceil(path["year"].nunique() / 250))
    keep = (path.groupby("scenario").cumcount() % every == 0) | path["year"].isin([s, e])
    template = _reserve_template(language())
    chart = template.copy(deep=False)  # the marks are built once; only data and texts change
    chart.datasets = {"path": _csv(path.loc[keep, ["year", "scenario", "remaining"]].round(2))}
    ends = _("never runs out") if math.isinf(e) else _("runs out after {years} years").format(years=f"{e:,.0f}")
    case = {"resource": resource, "static": f"{s:,.0f}", "growth": f"{growth_pct:.1f}", "ends": ends}
    chart.title = alt.Title(_("{resource}: {static} years at constant use; at {growth} %/yr growth it {ends}").format(**case),
                            subtitle=template.title.subtitle)
    chart.description = _("Share of today's {resource} reserve left over time: at constant use it lasts {static} "
                          "years (the static index); with use growing {growth} % a year it {ends}.").format(**case)
    return chart


# ---- long trends -----------------------------------------------------------------------------------


def _trends(trends: pd.DataFrame | None) -> pd.DataFrame:
    return data.load("capital_trends") if trends is None else checks.frame(trends, "trends", _TREND_COLUMNS)


def _with_grouping(chart: Any) -> Any:
    """Add the grouping rule as a second subtitle line under the source line that finish() wrote."""
    title = chart.title
    source = title.subtitle if isinstance(title.subtitle, list) else [title.subtitle]
    chart.title = alt.Title(title.text, subtitle=[*source, _("Grouping: {rule}").format(rule=grouping_text())])
    return chart


def trends_chart(trends: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """GDP per capita for the course's 'developed' and 'developing' groups (Figure 2's question).

    The chart names its source and the grouping rule (:func:`grouping_text`) under the title.
    """
    trends = _trends(trends)
    groups = trends[trends["group"].isin(["developed", "developing"])]
    ratio = groups.pivot(index="year", columns="group", values="gdp_per_capita")
    first, last = int(ratio.index.min()), int(ratio.index.max())
    x_scale = alt.Scale(domain=[1950, 2010], zero=False)
    band = pd.DataFrame({"start": [1965], "end": [1996], "label": [_("years of the article's Figure 2")]})
    lines = alt.Chart(groups[["group", "year", "gdp_per_capita", "countries"]]).mark_line(point=True).encode(
        x=alt.X("year:Q", title=_("year"), axis=alt.Axis(format="d"), scale=x_scale),
        y=alt.Y("gdp_per_capita:Q", title=_("GDP per person (US$, inflation-adjusted, log scale)"), scale=alt.Scale(type="log")),
        color=alt.Color("group:N", title=_("group"), scale=alt.Scale(range=[PALETTE[0], PALETTE[1]]), legend=alt.Legend(labelExpr=_names(GROUP_ORDER))),
        strokeDash=alt.StrokeDash("group:N", title=_("group"), scale=alt.Scale(range=[[1, 0], [8, 4]]), legend=alt.Legend(labelExpr=_names(GROUP_ORDER))),
        shape=alt.Shape("group:N", title=_("group"), scale=alt.Scale(range=["circle", "square"]), legend=alt.Legend(labelExpr=_names(GROUP_ORDER))),
        tooltip=[alt.Tooltip("group:N", title=_("group")), alt.Tooltip("year:Q", title=_("year")),
                 alt.Tooltip("gdp_per_capita:Q", format=",.0f", title=_("GDP per person (US$)")), alt.Tooltip("countries:Q", title=_("countries"))])
    shade = alt.Chart(band).mark_rect(opacity=0.12, color="#888").encode(x=alt.X("start:Q", scale=x_scale), x2="end:Q")
    note = alt.Chart(band).mark_text(align="left", baseline="top", dx=4, dy=4, color="#444").encode(
        x=alt.X("start:Q", scale=x_scale), y=alt.value(0), text="label:N")
    chart = finish(
        alt.layer(shade, note, lines).properties(height=300),
        title=_("Producing more: GDP per person, 1952-2007"),
        description=_("Population-weighted GDP per person of the course's developed and developing groups, {first}-{last}, "
                      "log scale. Developed: {dev0} to {dev1} US$; developing: {ing0} to {ing1} US$. "
                      "Both rise; the gap between them widens in dollars. The shaded years are those of the article's Figure 2. "
                      "Grouping: {rule}. Source: {source}.").format(
            first=first, last=last, dev0=f"{ratio.loc[first, 'developed']:,.0f}", dev1=f"{ratio.loc[last, 'developed']:,.0f}",
            ing0=f"{ratio.loc[first, 'developing']:,.0f}", ing1=f"{ratio.loc[last, 'developing']:,.0f}", rule=grouping_text(),
            source=_(_TRENDS_SOURCE)),
        source=_(_TRENDS_SOURCE))
    return _with_grouping(chart)


def life_growth_chart(trends: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """Life expectancy and population growth per group: what the data supports of Figure 1."""
    trends = _trends(trends)
    growth = population_growth(trends)
    legend = alt.Legend(labelExpr=_names(GROUP_ORDER))
    color = alt.Color("group:N", title=_("group"), legend=legend,
                      scale=alt.Scale(domain=list(GROUP_ORDER), range=[PALETTE[0], PALETTE[1], "#000000"]))
    dash = alt.StrokeDash("group:N", title=_("group"), scale=_GROUP_DASH, legend=legend)
    shape = alt.Shape("group:N", title=_("group"), scale=alt.Scale(domain=list(GROUP_ORDER), range=["circle", "square", "diamond"]), legend=legend)
    x = alt.X("year:Q", title=_("year"), axis=alt.Axis(format="d"), scale=alt.Scale(domain=[1950, 2010], zero=False))
    life = alt.Chart(trends[["group", "year", "life_expectancy"]]).mark_line(point=True).encode(
        x=x, y=alt.Y("life_expectancy:Q", title=_("life expectancy at birth (years)"), scale=alt.Scale(zero=False)),
        color=color, strokeDash=dash, shape=shape,
        tooltip=[alt.Tooltip("group:N", title=_("group")), alt.Tooltip("year:Q", title=_("year")),
                 alt.Tooltip("life_expectancy:Q", format=".1f", title=_("life expectancy at birth (years)"))]).properties(height=220, width=270)
    pop = alt.Chart(growth).mark_line(point=True).encode(
        x=x, y=alt.Y("growth_per_1000:Q", title=_("population growth per 1,000 per year")),
        color=color, strokeDash=dash, shape=shape,
        tooltip=[alt.Tooltip("group:N", title=_("group")), alt.Tooltip("year:Q", title=_("year")),
                 alt.Tooltip("growth_per_1000:Q", format=".1f", title=_("population growth per 1,000 per year"))]).properties(height=220, width=270)
    chart = finish(
        alt.hconcat(life, pop),
        title=_("Living longer: life expectancy and population growth, 1952-2007"),
        description=_("Left: population-weighted life expectancy at birth of the developed and developing groups and of all "
                      "142 countries; it rises in every group. Right: average population growth per 1,000 people per year "
                      "over each 5-year step, which equals births minus deaths plus net migration (the gap between the two "
                      "curves of the article's Figure 1). Birth and death rates themselves are not in this data. "
                      "Grouping: {rule}. Source: {source}.").format(rule=grouping_text(), source=_(_TRENDS_SOURCE)),
        source=_(_TRENDS_SOURCE))
    return _with_grouping(chart)
