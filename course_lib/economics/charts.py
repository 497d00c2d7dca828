"""Charts of the economics topic: a kernel-free NPV slider chart, the tornado of the verdict, who gains, reported totals.

>>> chart = npv_slider_chart("zeri")
>>> spec = chart.to_dict()
>>> spec["title"]["text"], len(spec["params"]) >= 3
('Does the ZERI cascade pay? Move the sliders (works without a kernel)', True)
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from .. import charts as course_charts
from .. import checks, formats
from ..formats import money as _money
from ..i18n import _
from ..params import tornado_chart
from .model import Appraisal, appraise, convert_currency, price_table, sensitivity
from .prices import _prices, _sheet_unit
from .themes import evidence

__all__ = ["SOURCE", "npv_slider_chart", "sensitivity_chart", "joint_chart", "lines_chart", "reported_chart", "cartridge_chart"]

SOURCE = ("quantities: Wong-Swanson (2005) via course_lib.symbiosis and course_lib.zeri; prices: dataset economics_prices "
          "(assumptions with ranges; Eurostat 2024-2025; USGS 2020; AHDB 2015-2019; ECB 1998)")
_SLIDER_ROLES = ("price", "cost", "fixed_cost", "investment", "scale", "rate", "lifetime")


def _names() -> dict[str, str]:
    return {"kalundborg": _("the Kalundborg exchanges"), "zeri": _("the ZERI cascade")}


def _questions() -> dict[str, str]:
    return {"kalundborg": _("Do the Kalundborg exchanges pay?"), "zeri": _("Does the ZERI cascade pay?")}


def _expression(template: str, **values: str) -> str:
    """A Vega expression writing ``template``, each ``{name}`` in it replaced by the expression ``values[name]``."""
    parts = re.split(r"\{(\w+)\}", template)
    return " + ".join(f"({values[p]})" if i % 2 else json.dumps(p, ensure_ascii=False) for i, p in enumerate(parts))


def _short(label: str) -> str:
    """'Price of fresh oyster mushrooms at the farm gate (EUR per kg)' -> 'Price of fresh oyster mushrooms at the farm gate'."""
    return label.split(" (")[0].split(":")[0]


def _slider_label(row: Any) -> str:
    return {"rate": _("discount rate (share per year)"), "lifetime": _("years counted")}.get(
        row["role"], f"{row['short']} ({_sheet_unit(row)})")


def npv_slider_chart(case: str = "zeri", parameters: Sequence[str] | None = None) -> alt.LayerChart:
    """Money so far, year by year, at today's value: move the price sliders and watch the verdict (no kernel needed).

    The line is the cumulative present value of the case's cash flows (:meth:`Appraisal.cash_flows`):
    it starts at minus the investment and ends at the NPV. Because yearly money is quantity x price,
    the chart recomputes it in the browser from the slopes of :func:`course_lib.economics.appraise`.
    ``parameters`` picks the sliders (default: the five that move the NPV most, the discount rate
    and the years counted).
    """
    base = appraise(case)
    table = price_table(case).set_index("name", drop=False)
    allowed = [n for n in table.index if table.loc[n, "role"] in _SLIDER_ROLES]
    if parameters is None:
        ranked = sensitivity(case)
        linear = [p for p, r in zip(ranked["parameter"], ranked["role"]) if r not in ("rate", "lifetime")]
        chosen = ([n for n in allowed if table.loc[n, "role"] == "scale"] + linear[:5]
                  + [n for n in allowed if table.loc[n, "role"] in ("rate", "lifetime")])
    else:
        chosen = list(checks.names(parameters, "parameters", allowed, allow_empty=False))
    role = {n: str(table.loc[n, "role"]) for n in table.index}
    lines = base.lines
    variable = float(lines.loc[lines["quantity"] != "", "value"].sum())
    fixed = float(lines.loc[lines["quantity"] == "", "value"].sum())
    default = {n: float(base.values[n]) for n in chosen}

    def delta(name: str) -> str:
        slope = float(lines.loc[lines["line"] == name, "per_unit_price"].sum())
        return f" + ({slope!r}) * ({name} - {default[name]!r})"

    var_expr = f"({variable!r}" + "".join(delta(n) for n in chosen if role[n] in ("price", "cost")) + ")"
    scale = [n for n in chosen if role[n] == "scale"]
    if scale:
        var_expr = f"{var_expr} * {scale[0]} / {default[scale[0]]!r}"
    fix_expr = f"({fixed!r}" + "".join(delta(n) for n in chosen if role[n] == "fixed_cost") + ")"
    invest = next((n for n in chosen if role[n] == "investment"), None)
    rate = next((n for n in chosen if role[n] == "rate"), None)
    life = next((n for n in chosen if role[n] == "lifetime"), None)
    inv_expr = invest or repr(base.investment)
    rate_expr = rate or repr(base.rate)
    life_expr = life or repr(base.years)
    most = max(int(table.loc[life, "high"]) if life else base.years, base.years)

    sliders = [_prices()[name].binding(_slider_label(_prices()[name]), value=default[name]) for name in chosen]

    annuity = f"({rate_expr} == 0 ? datum.year : (1 - pow(1 + {rate_expr}, -datum.year)) / {rate_expr})"
    frame = pd.DataFrame({"year": range(most + 1)})
    chart_base = alt.Chart(frame).transform_filter(f"datum.year <= {life_expr}").transform_calculate(
        net=f"{var_expr} + {fix_expr}", invest=inv_expr,
    ).transform_calculate(money=f"-datum.invest + datum.net * {annuity}")
    money_title = _("money so far, at today's value ({currency})").format(currency=base.currency)
    line = chart_base.mark_line(point=True).encode(
        x=alt.X("year:Q", title=_("year (0 = the investment)"), axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("money:Q", title=money_title, axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("year:Q", title=_("year")), alt.Tooltip("money:Q", format=",.0f", title=money_title),
                 alt.Tooltip("net:Q", format=",.0f", title=_("net each year ({currency})").format(currency=base.currency))],
    )
    # The sentence at the top, written in the browser: a Vega expression around the year and the money.
    said = dict(years="datum.year", money="format(datum.money, ',.0f')", currency=json.dumps(base.currency))
    pays = _expression(_("after {years} years: {money} {currency} (it pays)"), **said)
    fails = _expression(_("after {years} years: {money} {currency} (it does not pay)"), **said)
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#555555", strokeDash=[4, 4]).encode(y="y:Q")
    verdict = chart_base.transform_filter(f"datum.year == {life_expr}").transform_calculate(
        text=f"datum.money > 0 ? {pays} : {fails}",
    ).mark_text(align="left", x=8, y=14, fontSize=14, fontWeight="bold").encode(
        text="text:N",
        color=alt.condition("datum.money > 0", alt.value(course_charts.PALETTE[2]), alt.value(course_charts.PALETTE[5])))
    chart = alt.layer(zero, line, verdict).add_params(*sliders).properties(width=520, height=300)
    return course_charts.finish(
        chart,
        title=_("{question} Move the sliders (works without a kernel)").format(question=_questions()[case]),
        description=_("A line of the money so far at today's value, from year 0 (minus the investment of "
                      "{investment}) to year {years}, where it ends at the net present value "
                      "({npv} at the table's prices); it crosses zero at the discounted payback. Sliders "
                      "under the chart change {sliders}: the line "
                      "is recomputed in the browser and the sentence at the top gives the money after the last year and "
                      "whether it pays.").format(investment=base.money(base.investment), years=base.years, npv=base.money(base.npv),
                                                 sliders=formats.listing(str(table.loc[n, "short"]) for n in chosen)),
        source=SOURCE,
    )


def sensitivity_chart(table: pd.DataFrame, currency: str = "EUR") -> alt.LayerChart:
    """A tornado chart: for each parameter, the NPV with it at the low and the high end of its range.

    ``table`` is a frame of :func:`course_lib.economics.sensitivity`. Bars that cross the dashed
    line (NPV = 0) can flip the verdict; they are marked in words.
    """
    frame = checks.frame(table, "table", ("parameter", "label", "npv_low", "npv_high", "npv_default", "flips", "break_even"))
    if frame.empty:
        raise ValueError("table has no rows: pass a frame made by economics.sensitivity")
    rows = _prices()
    data = frame.rename(columns={"npv_low": "outcome_low", "npv_default": "outcome_default", "npv_high": "outcome_high"}).assign(
        name=frame["short"] if "short" in frame.columns else [_short(str(label)) for label in frame["label"]],
        setting_unit=[_sheet_unit(rows[name]) if name in rows else "" for name in frame["parameter"]])
    # The description gives the chart's shape, not which bars cross zero: reading that off the chart
    # is an exercise of notebook 06. The same numbers are a table (economics.sensitivity, column flips).
    return tornado_chart(
        data, axis=_("net present value ({currency})").format(currency=currency), title=_("Which number decides the verdict?"),
        threshold=0.0, source=SOURCE, number_format=",.0f",
        description=(_("The outcome is the net present value (NPV): {npv} with every number at its value; the dashed line is "
                       "NPV = 0.").format(npv=_money(float(frame["npv_default"].iloc[0]), currency)) + " "
                     + (_("The table economics.sensitivity gives the same numbers, with a column flips.") if frame["flips"].any()
                        else _("No bar crosses it: no number moved alone flips the verdict, but several moved together "
                               "still can (economics.joint_sensitivity, economics.flipping_combination)."))),
    )


def lines_chart(appraisal: Appraisal) -> alt.LayerChart:
    """Each year's money line by line, coloured by who gains or pays (before payments between partners)."""
    if not isinstance(appraisal, Appraisal):
        raise TypeError(f"appraisal must be an Appraisal made by economics.appraise, got {type(appraisal).__name__}")
    data = appraisal.lines.assign(
        name=appraisal.lines["short"],
        text=[_("{amount} × {price}").format(amount=amount, price=price) if amount != "every year" else price
              for amount, price in zip(appraisal.lines["amount"], appraisal.lines["price"])],
    )
    order = data.sort_values("value", ascending=False)["name"].tolist()
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=380))
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("value:Q", title=_("money each year ({currency}; costs below zero)").format(currency=appraisal.currency),
                axis=alt.Axis(format="~s")),
        y=y, color=alt.Color("beneficiary:N", title=_("who gains or pays"), legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("name:N", title=_("line")), alt.Tooltip("text:N", title=_("quantity × price")),
                 alt.Tooltip("value:Q", format=",.0f", title=_("{currency} a year").format(currency=appraisal.currency)),
                 alt.Tooltip("beneficiary:N", title=_("who gains or pays"))],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#555555").encode(x="x:Q")
    # Who gains or pays, also in words beside each bar (not by colour alone).
    who = alt.Chart(data).transform_calculate(end="max(datum.value, 0)").mark_text(align="left", dx=4, fontSize=12).encode(
        x="end:Q", y=y, text="beneficiary:N")
    chart = alt.layer(bars, zero, who).properties(width=420, height=alt.Step(24))
    # The description gives the chart's shape and totals, not which line is largest: reading that off
    # the chart is an exercise of notebook 06. The same numbers are the appraisal's table of lines.
    return course_charts.finish(
        chart,
        title=_("Who gains what each year: {case}").format(case=_names()[appraisal.case]),
        description=_("Horizontal bars, one per money line (quantity times price), coloured and labelled by who gains or pays, largest "
                      "first; costs are bars below zero. In total {revenue} come in and "
                      "{costs} go out each year. The appraisal's table of lines gives the same numbers.").format(
            revenue=appraisal.money(appraisal.revenue), costs=appraisal.money(appraisal.costs)),
        source=SOURCE,
    )


def reported_chart(appraisal: Appraisal | None = None) -> alt.LayerChart:
    """Kalundborg's yearly savings: this course's estimate next to the totals others report (in EUR).

    Reported totals cover other projects and years than the article's: compare orders of magnitude.
    """
    appraisal = appraise("kalundborg") if appraisal is None else appraisal
    if not isinstance(appraisal, Appraisal) or appraisal.case != "kalundborg":
        raise TypeError("appraisal must be an Appraisal of case 'kalundborg' made by economics.appraise")
    rows: list[dict[str, Any]] = [
        {"name": _("this course: money in each year (the article's quantities × the price table)"), "low": appraisal.revenue,
         "high": appraisal.revenue, "grade": _("estimate")},
        {"name": _("this course: net each year (after yearly costs)"), "low": appraisal.yearly_net, "high": appraisal.yearly_net,
         "grade": _("estimate")},
    ]
    for row in evidence("kalundborg").to_dict("records"):
        if row["kind"] != "reported savings":
            continue
        low = convert_currency(float(row["value"]), str(row["currency"]), appraisal.currency)
        high = low if pd.isna(row["value_high"]) else convert_currency(float(row["value_high"]), str(row["currency"]), appraisal.currency)
        year = "n.d." if pd.isna(row["year"]) else str(int(row["year"]))
        who = str(row["source"]).split(" (")[0]
        rows.append({"name": _("reported: {who} ({year}, grade {grade})").format(who=who, year=year, grade=row["grade"]),
                     "low": low, "high": high, "grade": _("grade {grade}").format(grade=row["grade"])})
    data = pd.DataFrame(rows)
    rate = convert_currency(1.0, "EUR", "DKK")
    data["label"] = [_money(lo, appraisal.currency) if lo == hi else
                     _("{low} to {high}").format(low=_money(lo, appraisal.currency), high=_money(hi, appraisal.currency))
                     for lo, hi in zip(data["low"], data["high"])]
    y = alt.Y("name:N", sort=data["name"].tolist(), title=None, axis=alt.Axis(labelLimit=460))
    x = alt.X("low:Q", title=_("{currency} a year").format(currency=appraisal.currency), axis=alt.Axis(format="~s"))
    bars = alt.Chart(data).mark_bar(height=14).encode(x=x, x2="high:Q", y=y, color=alt.Color("grade:N", title=None,
                                                      legend=alt.Legend(orient="bottom")))
    points = alt.Chart(data).mark_point(filled=True, size=90).encode(x=x, y=y, color="grade:N", shape=alt.Shape("grade:N", title=None))
    text = alt.Chart(data).mark_text(align="left", dx=8).encode(x="high:Q", y=y, text="label:N")
    chart = alt.layer(bars, points, text).properties(width=360, height=alt.Step(30))
    return course_charts.finish(
        chart,
        title=_("Kalundborg's savings: our estimate and what is reported"),
        description=_("Points and bars in euros a year: this course's estimate from the article's quantities and the price table "
                      "({revenue} in, {net} net), and totals reported by others for later, larger versions of the park, converted "
                      "at the fixed rate of {rate} DKK per euro.").format(
            revenue=appraisal.money(appraisal.revenue), net=appraisal.money(appraisal.yearly_net), rate=f"{rate:g}"),
        source=SOURCE + "; dataset economics_evidence (ENGIE Impact n.d.; News Øresund 2018)",
    )


def joint_chart(table: pd.DataFrame, title: str, currency: str = "EUR") -> alt.LayerChart:
    """A histogram of the NPV when every number moves at once (a frame of :func:`~course_lib.economics.joint_sensitivity`).

    The dashed line is NPV = 0; the description says, from the numbers, the share of the cases that pay.

    >>> from course_lib.economics import joint_sensitivity
    >>> spec = joint_chart(joint_sensitivity("zeri", samples=40), "The cascade, every number at once").to_dict()
    >>> "of the 40 combinations" in spec["description"]
    True
    """
    checks.frame(table, "table", ("parameter", "correlation"))
    outcomes = table.attrs.get("outcomes")
    if not outcomes:
        raise ValueError("table has no outcomes: pass a frame made by economics.joint_sensitivity")
    values = pd.DataFrame({"npv": outcomes})
    share, count = float(table.attrs["share_positive"]), int(table.attrs["samples"])
    bars = alt.Chart(values).mark_bar(color=course_charts.PALETTE[0]).encode(
        x=alt.X("npv:Q", bin=alt.Bin(maxbins=40), title=_("net present value ({currency})").format(currency=currency),
                axis=alt.Axis(format="~s")),
        y=alt.Y("count():Q", title=_("combinations")),
        tooltip=[alt.Tooltip("count():Q", title=_("combinations"))],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#555555", strokeDash=[4, 4]).encode(x="x:Q")
    p5, median, p95 = (_money(float(table.attrs[k]), currency) for k in ("outcome_p5", "outcome_median", "outcome_p95"))
    return course_charts.finish(
        alt.layer(bars, zero).properties(width=480, height=220), title=title, source=SOURCE,
        description=_("Histogram of the net present value when every number moves at once within its range: of the {count} "
                      "combinations, {share} pay (NPV above the dashed line at zero). Median {median}; "
                      "nine in ten combinations lie between {p5} and {p95}.").format(
            count=count, share=formats.percent(share), median=median, p5=p5, p95=p95),
    )


def _cartridge_flows() -> dict[str, str]:
    """How cartridge_chart names the flows of notebook 03's model (none of them calls open-loop recycling waste)."""
    return {"virgin_t": _("virgin material"), "thrown_t": _("thrown away (never collected)"),
            "elsewhere_t": _("collected, not back in cartridges (recycled into other products, or lost)"),
            "circulating_t": _("back in cartridges (material circulating)")}


def cartridge_chart(flows: pd.DataFrame) -> alt.FacetChart:
    """The ink cartridge's yearly flows per scenario, with what leaves the cartridge system split in two.

    ``flows`` is a frame of :func:`course_lib.circular.scenarios`. Notebook 03's model counts all
    material that leaves the product's own system as one flow; here it is split into cartridges
    never collected and material collected but not back in cartridges (recycled into other
    products, as HP's are, or lost in recycling): open-loop recycling is not waste, it leaves the
    cartridge's system.

    >>> from course_lib import circular
    >>> from course_lib.economics import cartridge_scenarios
    >>> flows = circular.scenarios(cartridge_scenarios().drop(columns=["label"]))
    >>> "waste" in cartridge_chart(flows).to_dict()["description"]
    False
    """
    table = checks.frame(flows, "flows", ("scenario", "virgin_t", "waste_t", "circulating_t", "products_leaving",
                                          "collected", "demand_t"))
    mass = table["demand_t"] / table["products_leaving"]
    table = table.assign(thrown_t=(table["products_leaving"] - table["collected"]) * mass)
    table = table.assign(elsewhere_t=table["waste_t"] - table["thrown_t"])
    colours = [course_charts.PALETTE[5], "#555555", "#999999", course_charts.PALETTE[2]]
    chart = course_charts.flow_bars(table, _cartridge_flows(), colours, width=360, height=120, label_limit=420)
    return course_charts.finish(
        chart, title=_("The ink cartridge: where the material goes each year"),
        description=_("{scenarios}.").format(scenarios=_("; ").join(
            _("{scenario}: virgin {virgin} t/yr, never collected {thrown} t/yr, collected but not back in cartridges {elsewhere} "
              "t/yr, back in cartridges {circulating} t/yr").format(
                scenario=r.scenario, virgin=f"{r.virgin_t:.3g}", thrown=f"{r.thrown_t:.3g}", elsewhere=f"{r.elsewhere_t:.3g}",
                circulating=f"{r.circulating_t:.3g}") for r in table.itertuples())),
        source="notebook 03's product-life model (course_lib.circular) on dataset economics_cartridge_scenarios",
    )
