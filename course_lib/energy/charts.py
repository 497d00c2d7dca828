"""Charts of Table 1 (Altair): the whole table with a kernel-free unit menu, two axes, comparisons.

>>> spec = table_chart().to_dict()
>>> spec["params"][0]["bind"]["input"], spec["params"][0]["value"]
('select', 'kcal')
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping

import altair as alt
import pandas as pd

from .. import charts, checks, formats
from ..i18n import _
from ..units import ENERGY_UNITS
from . import _table
from .model import SOURCE, Comparison, then_and_now, unit_factors

__all__ = ["table_chart", "scale_chart", "comparison_chart", "then_and_now_chart"]

_DECADE_LABEL = "'10^' + round(log(datum.value) / LN10)"


_SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-left", "triangle-right")


def _num(x: float) -> str:
    return formats.number(x, digits=3)


def _js(mapping: Mapping[str, float]) -> str:
    """A Vega expression object literal {'kJ': 4.184, ...} (numbers in full precision)."""
    return "{" + ", ".join(f"'{k}': {float(v)!r}" for k, v in mapping.items()) + "}"


def table_chart(frame: pd.DataFrame | None = None, units: Iterable[str] = ENERGY_UNITS,
                start: str = "kcal") -> alt.LayerChart:
    """Table 1 as a log-scale bar chart with a unit menu that works without a kernel.

    The menu is a Vega-Lite parameter; the conversion factors are computed here
    (:func:`~course_lib.energy.unit_factors`) and a ``calculate`` transform multiplies each row's
    kilocalories by the chosen factor inside the browser, so a saved, untrusted notebook still
    converts.

    >>> table_chart(start="furlong")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: start='furlong' is not allowed; choose one of: 'kJ', 'kcal', ...
    """
    light = _table.bare(frame, (*_table.BASIC, "category"))
    factors = unit_factors(units)
    checks.choice(start, "start", list(factors["unit"]))
    per = [_table.per_text(entry) for _, entry in light.iterrows()]
    source = pd.DataFrame({"label": light["label"], "category": light["category"],
                           "value_kcal": light["value_kcal"].astype(float), "per": per})
    unit = alt.param(
        name="unit", value=start,
        bind=alt.binding_select(options=list(factors["unit"]), labels=[_(n) for n in factors["name"]], name=_("Show energy in ")),
    )
    factor = f"{_js(dict(zip(factors['unit'], factors['per_kcal'])))}[unit]"
    symbols = "{" + ", ".join(f"'{u}': '{s.replace('_', '-')}'" for u, s in zip(factors["unit"], factors["symbol"])) + "}"
    names = "{" + ", ".join(f"'{u}': '{_(n)}'" for u, n in zip(factors["unit"], factors["name"])) + "}"
    # A log axis has no zero: bars start at the power of ten strictly below the smallest row; the axis
    # ends 300 times above the largest so the value labels fit. Both follow the chosen unit.
    low = f"pow(10, ceil(log({float(source['value_kcal'].min())!r} * {factor}) / LN10) - 1)"
    high = f"{float(source['value_kcal'].max())!r} * {factor} * 300"
    exponent = "replace(replace(format(datum.value, '.2~e'), 'e+', '×10^'), 'e-', '×10^-')"
    plain = "format(datum.value, ',.3~r')"
    base = alt.Chart(source).transform_calculate(
        value=f"datum.value_kcal * {factor}",
        baseline=low,
    ).transform_calculate(
        shown=f"(datum.value >= 1e5 || datum.value < 0.01 ? {exponent} : {plain}) + ' ' + {symbols}[unit]",
    )
    y = alt.Y("label:N", sort=alt.EncodingSortField("value_kcal", order="descending"), title=None)
    categories = sorted(set(source["category"]))
    decades = [10.0**k for k in range(-9, 25, 3)]  # gridlines every 1,000 times; Vega drops those off-scale
    bars = base.mark_bar().encode(
        x=alt.X("value:Q",
                scale=alt.Scale(type="log", domainMin=alt.ExprRef(low), domainMax=alt.ExprRef(high), nice=False),
                axis=alt.Axis(title=_("energy, log scale: each gridline is 1,000 times the one before"),
                              values=decades, labelExpr=_DECADE_LABEL)),
        x2="baseline:Q",
        y=y,
        color=alt.Color("category:N", title=_("kind of row"), scale=alt.Scale(domain=categories),
                        legend=alt.Legend(orient="bottom", columns=4)),
        tooltip=[alt.Tooltip("label:N", title=_("row")), alt.Tooltip("shown:N", title=_("energy")),
                 alt.Tooltip("per:N", title=_("for")), alt.Tooltip("category:N", title=_("kind"))],
    )
    # The kind of row also as a marker shape at the tip of each bar (legend "kind of row" shows both):
    # no row is told apart by colour alone.
    tips = base.mark_point(filled=True, size=110, stroke="white", strokeWidth=0.8, opacity=1).encode(
        x="value:Q", y=y,
        shape=alt.Shape("category:N", title=_("kind of row"), scale=alt.Scale(
            domain=categories, range=[_SHAPES[i % len(_SHAPES)] for i in range(len(categories))]),
            legend=alt.Legend(orient="bottom", columns=4)),
        color=alt.Color("category:N", title=_("kind of row"), scale=alt.Scale(domain=categories),
                        legend=alt.Legend(orient="bottom", columns=4)))
    labels = base.mark_text(align="left", dx=9, fontSize=12).encode(x="value:Q", y=y, text="shown:N")
    unit_word = _("Unit: ")  # outside the f-string below, where pybabel can find it
    caption = base.transform_aggregate(n="count()").transform_calculate(
        text=f"'{unit_word}' + {names}[unit]"
    ).mark_text(align="left", fontSize=14, fontWeight="bold").encode(
        x=alt.value(0), y=alt.value(-12), text="text:N"
    )
    chart = alt.layer(bars, tips, labels, caption).add_params(unit).properties(width=520, height=390)
    largest, smallest = source.loc[source["value_kcal"].idxmax()], source.loc[source["value_kcal"].idxmin()]
    return charts.finish(
        chart,
        title=_("Table 1: energy of human activities and products"),
        description=_(
            "Horizontal bars on a logarithmic axis, one per row of de Rosnay's Table 1, longest first: "
            "{largest} ({largest_kcal} kcal) down to {smallest} ({smallest_kcal} kcal), {powers} "
            "powers of ten apart. Each bar's kind of row is shown by its colour and by the marker at its tip "
            "(legend 'kind of row'). A menu under the chart changes the unit of every bar "
            "({units}); the bars keep their lengths relative to each other."
        ).format(largest=largest["label"], largest_kcal=_num(largest["value_kcal"]), smallest=smallest["label"],
                 smallest_kcal=_num(smallest["value_kcal"]), units=", ".join(factors["symbol"]),
                 powers=f"{math.log10(largest['value_kcal'] / smallest['value_kcal']):.0f}"),
        source=SOURCE,
    )


def scale_chart(frame: pd.DataFrame | None = None) -> alt.HConcatChart:
    """The same Table 1 on a linear and on a log axis, side by side: why the course uses a log scale.

    >>> len(scale_chart().to_dict()["hconcat"])
    2
    """
    light = _table.bare(frame)
    source = pd.DataFrame({"label": light["label"], "value_kcal": light["value_kcal"].astype(float)})
    y = alt.Y("label:N", sort=alt.EncodingSortField("value_kcal", order="descending"), title=None)
    linear = alt.Chart(source, title=_("linear axis")).mark_bar().encode(
        x=alt.X("value_kcal:Q", title=_("kcal (linear)"), axis=alt.Axis(format=".0e", tickCount=3)), y=y,
        tooltip=[alt.Tooltip("label:N", title=_("row")), alt.Tooltip("value_kcal:Q", format=".2e", title="kcal")],
    ).properties(width=230, height=330)
    log = alt.Chart(source, title=_("log axis")).mark_bar().encode(
        x=alt.X("value_kcal:Q", title=_("kcal (log)"), scale=alt.Scale(type="log"),
                axis=alt.Axis(values=[10.0**k for k in range(0, 21, 5)], labelExpr=_DECADE_LABEL)),
        x2=alt.X2("baseline:Q"),
        y=alt.Y("label:N", sort=alt.EncodingSortField("value_kcal", order="descending"), title=None,
                axis=alt.Axis(labels=False)),
        tooltip=[alt.Tooltip("label:N", title=_("row")), alt.Tooltip("value_kcal:Q", format=".2e", title="kcal")],
    ).transform_joinaggregate(smallest="min(value_kcal)").transform_calculate(
        baseline="pow(10, ceil(log(datum.smallest) / LN10) - 1)"
    ).properties(width=230, height=330)
    return charts.finish(
        alt.hconcat(linear, log),
        title=_("One table, two axes"),
        description=_(
            "Left, Table 1 on a linear axis: only the sun's bar is visible, every other row is a sliver of zero "
            "width. Right, the same rows on a logarithmic axis: every row is visible; the gridlines mark "
            "1, 10^5, 10^10, 10^15 and 10^20 kcal, each 100,000 times the one before."
        ),
        source=SOURCE,
    )


def comparison_chart(result: Comparison, unit: str = "kcal", frame: pd.DataFrame | None = None) -> alt.LayerChart:
    """Two bars for a :func:`~course_lib.energy.compare` result, in ``unit``; the sentence is the title.

    The axis turns logarithmic when one bar is more than 100 times the other. (Channels are built
    from keyword arguments, not "field:Q" shorthands: parsing shorthands made a redraw ten times
    slower, and the comparator redraws on every keystroke.)

    >>> from course_lib.energy.model import compare
    >>> comparison_chart(compare("aluminium", "car"), "MJ").to_dict()["title"]["text"]
    ['Producing 1 t of aluminium uses the energy of 1.56', 'cars.']
    """
    if not isinstance(result, Comparison):
        raise TypeError(
            f"result must be a Comparison from energy.compare(...), got {result!r} of type {type(result).__name__}"
        )
    target = _table.energy_unit(unit)
    light = _table.bare(frame)
    symbol = formats.unit(target)
    labels, yours = dict(zip(light["id"], light["label"])), _("your quantity")
    values = [result.energy_a.to(target).magnitude, result.energy_b.to(target).magnitude]
    source = pd.DataFrame({
        "side": [f"A: {labels.get(result.a, yours)}", f"B: {labels.get(result.b, yours)}"],
        "energy": values,
        "shown": [f"{_num(v)} {symbol}" for v in values],
    })
    big = max(result.ratio, 1 / result.ratio) > 100
    x = alt.X(field="energy", type="quantitative", title=(_("energy, {unit} (log scale)") if big else _("energy, {unit}")).format(unit=symbol),
              scale=alt.Scale(type="log") if big else alt.Scale(zero=True),
              axis=alt.Axis(values=[10.0**k for k in range(-12, 25)], labelExpr=_DECADE_LABEL) if big
              else alt.Axis(format="~s"))
    y = alt.Y(field="side", type="nominal", sort=None, title=None)
    base = alt.Chart(source)
    extra = []
    if big:  # a log axis has no zero: start the bars at the power of ten below the smaller one
        base = base.transform_joinaggregate(smallest="min(energy)").transform_calculate(
            baseline="pow(10, ceil(log(datum.smallest) / LN10) - 1)")
        extra = [alt.X2(field="baseline")]
    bars = base.mark_bar().encode(
        x, y, *extra, alt.Color(field="side", type="nominal", legend=None),
        tooltip=[alt.Tooltip(field="side", type="nominal", title=_("bar")), alt.Tooltip(field="shown", type="nominal", title=_("energy"))],
    )
    text = base.mark_text(align="left", dx=4).encode(
        alt.X(field="energy", type="quantitative"), y, alt.Text(field="shown", type="nominal"))
    chart = charts.finish(
        alt.LayerChart(layer=[bars, text], width=420, height=120),
        title=result.sentence,
        description=result.sentence + _(" Bar A: {a}; bar B: {b}; ratio A/B = {ratio}.").format(
            a=source["shown"][0], b=source["shown"][1], ratio=_num(result.ratio)),
        source=SOURCE,
    )
    # finish() writes the title on one line; a sentence needs several to fit the chart's width.
    chart.title = alt.Title(textwrap.wrap(result.sentence, 52), subtitle=chart.title.subtitle)
    return chart


def then_and_now_chart(frame: pd.DataFrame | None = None) -> alt.LayerChart:
    """Dots for 1975 (Table 1) and later published figures per material; missing ones say so.

    >>> then_and_now_chart().to_dict()["description"].startswith("For each material")
    True
    """
    t = then_and_now(frame)
    firsts = t.drop_duplicates("material")
    then = firsts[["label", "then"]].rename(columns={"then": "value"})
    then["figure"] = _("1975: de Rosnay, Table 1")
    then["detail"] = _("as printed; boundary and feedstock not stated")
    later = t.dropna(subset=["later"])
    later = pd.DataFrame({
        "label": later["label"], "value": later["later"],
        "figure": [_("{source} (grade {grade})").format(source=c, grade=g) for c, g in zip(later["cite_as"], later["grade"])],
        "detail": later["product"] + ", " + later["boundary"] + ", " + later["feedstock"] + ", " + later["convention"],
    })
    points = pd.concat([then, later], ignore_index=True)
    missing = t[t["later"].isna()][["label", "then"]].assign(text=_("no citable later figure"))
    y = alt.Y("label:N", title=None, sort=list(firsts["label"]))
    dots = alt.Chart(points).mark_point(filled=True, size=160, opacity=0.85).encode(
        x=alt.X("value:Q", title=_("energy to produce, MJ per kg"), scale=alt.Scale(zero=True)),
        y=y,
        color=alt.Color("figure:N", title=_("figure"), legend=alt.Legend(orient="bottom", columns=1)),
        shape=alt.Shape("figure:N", title=_("figure")),
        tooltip=[alt.Tooltip("label:N", title=_("material")), alt.Tooltip("figure:N", title=_("figure")),
                 alt.Tooltip("value:Q", format=".1f", title="MJ/kg"), alt.Tooltip("detail:N", title=_("detail"))],
    )
    gaps = alt.Chart(missing).mark_text(align="left", dx=12, fontStyle="italic", color="#555").encode(
        x="then:Q", y=y, text="text:N")
    cited = "; ".join(dict.fromkeys(_("{source}, grade {grade}").format(source=c, grade=g)
                                    for c, g in t.dropna(subset=["later"])[["cite_as", "grade"]].itertuples(index=False)))
    facts = " ".join(
        (_("{material}: {then} in 1975, later {later}.").format(material=label, then=_num(g["then"].iloc[0]), later=", ".join(
            _("{value} ({product}, {source}, grade {grade})").format(value=_num(v), product=p, source=c, grade=gr)
            for v, p, c, gr in zip(g["later"], g["product"], g["cite_as"], g["grade"]))) if g["later"].notna().any()
         else _("{material}: {then} in 1975, no citable later figure.").format(material=label, then=_num(g["then"].iloc[0])))
        for label, g in t.groupby("label", sort=False)
    )
    return charts.finish(
        alt.layer(dots, gaps).properties(width=480, height=220),
        title=_("Then and now: energy to produce a kilogram of material"),
        description=(
            _("For each material of Table 1, a dot for de Rosnay's 1975 figure and dots for later published "
              "cradle-to-gate figures, in MJ per kg.") + " " + facts
        ),
        source=f"{SOURCE}; {cited}",
    )
