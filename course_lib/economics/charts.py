"""Charts of the economics topic: a kernel-free NPV slider chart, the tornado of the verdict, who gains, reported totals.

>>> chart = npv_slider_chart("zeri")
>>> spec = chart.to_dict()
>>> spec["title"]["text"], len(spec["params"]) >= 3
('Does the ZERI cascade pay? Move the sliders (works without a kernel)', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from .. import charts as course_charts
from .. import checks, formats
from ..formats import money as _money
from ..params import tornado_chart
from .model import Appraisal, appraise, convert_currency, price_table, sensitivity
from .prices import _prices, _sheet_unit
from .themes import evidence

__all__ = ["SOURCE", "npv_slider_chart", "sensitivity_chart", "joint_chart", "lines_chart", "reported_chart", "cartridge_chart"]

SOURCE = ("quantities: Wong-Swanson (2005) via course_lib.symbiosis and course_lib.zeri; prices: dataset economics_prices "
          "(assumptions with ranges; Eurostat 2024-2025; USGS 2020; AHDB 2015-2019; ECB 1998)")
_NAMES = {"kalundborg": "the Kalundborg exchanges", "zeri": "the ZERI cascade"}
_QUESTIONS = {"kalundborg": "Do the Kalundborg exchanges pay?", "zeri": "Does the ZERI cascade pay?"}
_SLIDER_ROLES = ("price", "cost", "fixed_cost", "investment", "scale", "rate", "lifetime")


def _short(label: str) -> str:
    """'Price of fresh oyster mushrooms at the farm gate (EUR per kg)' -> 'Price of fresh oyster mushrooms at the farm gate'."""
    return label.split(" (")[0].split(":")[0]


def _slider_label(row: Any) -> str:
    return {"rate": "discount rate (share per year)", "lifetime": "years counted"}.get(
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
    money_title = f"money so far, at today's value ({base.currency})"
    line = chart_base.mark_line(point=True).encode(
        x=alt.X("year:Q", title="year (0 = the investment)", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("money:Q", title=money_title, axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("year:Q"), alt.Tooltip("money:Q", format=",.0f", title=money_title),
                 alt.Tooltip("net:Q", format=",.0f", title=f"net each year ({base.currency})")],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#555555", strokeDash=[4, 4]).encode(y="y:Q")
    verdict = chart_base.transform_filter(f"datum.year == {life_expr}").transform_calculate(
        text=("'after ' + datum.year + ' years: ' + format(datum.money, ',.0f') + ' " + base.currency
              + "' + (datum.money > 0 ? ' (it pays)' : ' (it does not pay)')"),
    ).mark_text(align="left", x=8, y=14, fontSize=14, fontWeight="bold").encode(
        text="text:N",
        color=alt.condition("datum.money > 0", alt.value(course_charts.PALETTE[2]), alt.value(course_charts.PALETTE[5])))
    chart = alt.layer(zero, line, verdict).add_params(*sliders).properties(width=520, height=300)
    return course_charts.finish(
        chart,
        title=f"{_QUESTIONS[case]} Move the sliders (works without a kernel)",
        description=(f"A line of the money so far at today's value, from year 0 (minus the investment of "
                     f"{base.money(base.investment)}) to year {base.years}, where it ends at the net present value "
                     f"({base.money(base.npv)} at the table's prices); it crosses zero at the discounted payback. Sliders "
                     f"under the chart change {formats.listing(str(table.loc[n, 'short']) for n in chosen)}: the line "
                     "is recomputed in the browser and the sentence at the top gives the money after the last year and "
                     "whether it pays."),
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
        data, axis=f"net present value ({currency})", title="Which number decides the verdict?", threshold=0.0,
        source=SOURCE, number_format=",.0f",
        description=(f"The outcome is the net present value (NPV): {_money(float(frame['npv_default'].iloc[0]), currency)} "
                     "with every number at its value; the dashed line is NPV = 0. "
                     + ("The table economics.sensitivity gives the same numbers, with a column flips." if frame["flips"].any()
                        else "No bar crosses it: no number moved alone flips the verdict, but several moved together "
                             "still can (economics.joint_sensitivity, economics.flipping_combination).")),
    )


def lines_chart(appraisal: Appraisal) -> alt.LayerChart:
    """Each year's money line by line, coloured by who gains or pays (before payments between partners)."""
    if not isinstance(appraisal, Appraisal):
        raise TypeError(f"appraisal must be an Appraisal made by economics.appraise, got {type(appraisal).__name__}")
    data = appraisal.lines.assign(
        name=appraisal.lines["short"],
        text=[f"{amount} × {price}" if amount != "every year" else price
              for amount, price in zip(appraisal.lines["amount"], appraisal.lines["price"])],
    )
    order = data.sort_values("value", ascending=False)["name"].tolist()
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=380))
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("value:Q", title=f"money each year ({appraisal.currency}; costs below zero)", axis=alt.Axis(format="~s")),
        y=y, color=alt.Color("beneficiary:N", title="who gains or pays", legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("name:N", title="line"), alt.Tooltip("text:N", title="quantity × price"),
                 alt.Tooltip("value:Q", format=",.0f", title=f"{appraisal.currency} a year"), alt.Tooltip("beneficiary:N")],
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
        title=f"Who gains what each year: {_NAMES[appraisal.case]}",
        description=(f"Horizontal bars, one per money line (quantity times price), coloured and labelled by who gains or pays, largest "
                     f"first; costs are bars below zero. In total {appraisal.money(appraisal.revenue)} come in and "
                     f"{appraisal.money(appraisal.costs)} go out each year. The appraisal's table of lines gives the same numbers."),
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
        {"name": "this course: money in each year (the article's quantities × the price table)", "low": appraisal.revenue,
         "high": appraisal.revenue, "grade": "estimate"},
        {"name": "this course: net each year (after yearly costs)", "low": appraisal.yearly_net, "high": appraisal.yearly_net,
         "grade": "estimate"},
    ]
    for row in evidence("kalundborg").to_dict("records"):
        if row["kind"] != "reported savings":
            continue
        low = convert_currency(float(row["value"]), str(row["currency"]), appraisal.currency)
        high = low if pd.isna(row["value_high"]) else convert_currency(float(row["value_high"]), str(row["currency"]), appraisal.currency)
        year = "n.d." if pd.isna(row["year"]) else str(int(row["year"]))
        who = str(row["source"]).split(" (")[0]
        rows.append({"name": f"reported: {who} ({year}, grade {row['grade']})", "low": low, "high": high, "grade": f"grade {row['grade']}"})
    data = pd.DataFrame(rows)
    rate = convert_currency(1.0, "EUR", "DKK")
    data["label"] = [_money(lo, appraisal.currency) if lo == hi else
                     f"{_money(lo, appraisal.currency)} to {_money(hi, appraisal.currency)}"
                     for lo, hi in zip(data["low"], data["high"])]
    y = alt.Y("name:N", sort=data["name"].tolist(), title=None, axis=alt.Axis(labelLimit=460))
    x = alt.X("low:Q", title=f"{appraisal.currency} a year", axis=alt.Axis(format="~s"))
    bars = alt.Chart(data).mark_bar(height=14).encode(x=x, x2="high:Q", y=y, color=alt.Color("grade:N", title=None,
                                                      legend=alt.Legend(orient="bottom")))
    points = alt.Chart(data).mark_point(filled=True, size=90).encode(x=x, y=y, color="grade:N", shape=alt.Shape("grade:N", title=None))
    text = alt.Chart(data).mark_text(align="left", dx=8).encode(x="high:Q", y=y, text="label:N")
    chart = alt.layer(bars, points, text).properties(width=360, height=alt.Step(30))
    return course_charts.finish(
        chart,
        title="Kalundborg's savings: our estimate and what is reported",
        description=("Points and bars in euros a year: this course's estimate from the article's quantities and the price table "
                     f"({appraisal.money(appraisal.revenue)} in, {appraisal.money(appraisal.yearly_net)} net), and totals "
                     f"reported by others for later, larger versions of the park, converted at the fixed rate of {rate:g} DKK per euro."),
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
        x=alt.X("npv:Q", bin=alt.Bin(maxbins=40), title=f"net present value ({currency})", axis=alt.Axis(format="~s")),
        y=alt.Y("count():Q", title="combinations"),
        tooltip=[alt.Tooltip("count():Q", title="combinations")],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#555555", strokeDash=[4, 4]).encode(x="x:Q")
    p5, median, p95 = (_money(float(table.attrs[k]), currency) for k in ("outcome_p5", "outcome_median", "outcome_p95"))
    return course_charts.finish(
        alt.layer(bars, zero).properties(width=480, height=220), title=title, source=SOURCE,
        description=(f"Histogram of the net present value when every number moves at once within its range: of the {count} "
                     f"combinations, {formats.percent(share)} pay (NPV above the dashed line at zero). Median {median}; "
                     f"nine in ten combinations lie between {p5} and {p95}."),
    )


#: How cartridge_chart names the flows of notebook 03's model (none of them calls open-loop recycling waste).
_CARTRIDGE_FLOWS = {"virgin_t": "virgin material", "thrown_t": "thrown away (never collected)",
                    "elsewhere_t": "collected, not back in cartridges (recycled into other products, or lost)",
                    "circulating_t": "back in cartridges (material circulating)"}


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
    chart = course_charts.flow_bars(table, _CARTRIDGE_FLOWS, colours, width=360, height=120, label_limit=420)
    return course_charts.finish(
        chart, title="The ink cartridge: where the material goes each year",
        description="; ".join(f"{r.scenario}: virgin {r.virgin_t:.3g} t/yr, never collected {r.thrown_t:.3g} t/yr, collected but "
                              f"not back in cartridges {r.elsewhere_t:.3g} t/yr, back in cartridges {r.circulating_t:.3g} t/yr"
                              for r in table.itertuples()) + ".",
        source="notebook 03's product-life model (course_lib.circular) on dataset economics_cartridge_scenarios",
    )
