"""Does it pay? Money as quantities times prices, then payback, net present value and what decides the verdict.

The article prints no money figure. Its quantities (tonnes of gypsum, cubic metres of water,
kilograms of mushrooms) come from the other topics' models; the prices come from
``datasets/economics_prices.csv``, one row per slider, each with its source or reasoning.

* a **price** row turns a yearly quantity into money: ``quantity x price`` (a saving or a revenue);
* a **cost** row does the same with the opposite sign (straw bought, steam raised);
* a **fixed_cost** row is money spent every year whatever the quantities (staff, upkeep);
* the **investment** is spent once, at the start; the **rate** and **lifetime** rows say how the
  years are counted (:mod:`course_lib.economics.finance`).

Units are checked with pint: a price per m³ cannot be put on tonnes. Money itself is a plain
number with a currency (``EUR``) beside it: the course's unit registry has no currency.

>>> a = appraise("zeri")
>>> a.currency, a.years, a.rate
('EUR', 15, 0.06)
>>> line = a.lines.set_index("line").loc["zeri_mushroom_price"]
>>> line["amount"], line["price"], round(float(line["value"]))      # 57.3 t of mushrooms x 3 EUR/kg
('57,300 kg/yr', '3 EUR/kg', 171900)
>>> appraise("zeri", zeri_mushroom_price=-3)
Traceback (most recent call last):
...
ValueError: zeri_mushroom_price=-3 is not allowed: give a number >= 0 (1/kg) (Price of fresh oyster mushrooms at the farm gate (EUR per kg); plausible: 1.5 to 6)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pint

from .. import checks, data, formats
from .. import params as _params
from ..formats import money
from ..i18n import _
from ..units import Q_, ureg
from . import cases
from .cases import CASES
from .finance import cash_flows, discounted_payback, npv, simple_payback
from .prices import (
    _PER_QUANTITY, ROLES, _case_rows, _prices, _per_unit, _rows_of, _text, check_prices, convert_currency, defaults, price_sheet,
    price_table,
)

__all__ = [
    "ROLES", "SENSITIVE_ROLES", "LINE_COLUMNS", "price_table", "price_sheet", "defaults", "check_prices", "yearly_lines", "Appraisal", "appraise",
    "sensitivity", "joint_sensitivity", "flipping_combination", "break_even", "by_beneficiary", "convert_currency", "money",
]

#: Roles on which the NPV depends in a straight line (so a break-even value can be solved for).
_LINEAR = ("price", "cost", "fixed_cost", "investment", "scale")
#: The columns of a table of yearly money lines.
LINE_COLUMNS = ("line", "label", "short", "quantity", "amount", "price", "kind", "beneficiary", "value", "per_unit_price", "currency")
_PRICE_COLUMNS = ("name", "label", "value", "unit", "role", "quantity", "beneficiary", "currency")


# ---- money lines -------------------------------------------------------------------------------


# The texts below (and prices._per_unit) are pure functions of their arguments (no data): cached,
# because every appraisal writes them again for the same units and prices (pint parses a unit each time).


@functools.lru_cache(maxsize=1024)
def _price_text(value: float, unit: str, currency: str) -> str:
    per = _per_unit(unit)
    return f"{money(value, currency)}/{per}" if per else money(value, currency)


def _amount_text(amount: pint.Quantity, price_unit: str) -> str:
    """A yearly quantity written in the unit its price is per (2,000 t/yr rather than 2×10^6 kg/yr)."""
    return _amount_text_of(amount.magnitude, amount.units, price_unit)


@functools.lru_cache(maxsize=256)
def _amount_text_of(magnitude: float, units: pint.Unit, price_unit: str) -> str:
    amount = Q_(magnitude, units)
    per_year = (1 / ureg.Unit(price_unit)) / ureg.Unit("year")
    shown = amount.to(per_year) if amount.dimensionality == per_year.dimensionality else amount
    return formats.quantity(shown)


def _quantity_map(table: pd.DataFrame) -> dict[str, tuple[pint.Quantity, str]]:
    frame = checks.frame(table, "quantities", ("quantity", "value", "unit"))
    out: dict[str, tuple[pint.Quantity, str]] = {}
    for i, row in enumerate(frame.to_dict("records")):
        qid = checks.text(row["quantity"], f"quantities row {i}: quantity")
        if qid in out:
            raise ValueError(f"quantities lists {qid!r} twice; give each quantity one row")
        amount = checks.number(row["value"], f"quantities row {qid!r}: value", minimum=0)
        unit = checks.unit(row["unit"], f"quantities row {qid!r}: unit")
        out[qid] = (Q_(amount, unit), str(row.get("label", "") or qid))
    return out


def yearly_lines(quantities: pd.DataFrame, prices: pd.DataFrame) -> pd.DataFrame:
    """Yearly money lines: every quantity times its price, plus the fixed yearly costs.

    ``quantities`` has one row per yearly quantity: ``quantity`` (id), ``value``, ``unit`` (a rate
    such as ``t/year``) and optionally ``label`` (:mod:`course_lib.economics.cases`); ``prices``
    holds rows of :func:`price_table`, of which those with role ``price``, ``cost`` and
    ``fixed_cost`` are used. One row per line (:data:`LINE_COLUMNS`): ``amount`` and ``price`` as
    text, ``kind`` (``saving or revenue`` / ``cost``), ``value`` (money per year: positive in,
    negative out) and ``per_unit_price`` (the line's slope: money per year for one more unit of
    the price).

    >>> q = pd.DataFrame({"quantity": ["water"], "value": [2e6], "unit": ["m**3/year"]})
    >>> p = pd.DataFrame({"name": ["water_price"], "label": ["water"], "value": [0.5], "unit": ["1/m**3"],
    ...                   "role": ["price"], "quantity": ["water"], "beneficiary": ["mill"], "currency": ["EUR"]})
    >>> yearly_lines(q, p)[["amount", "price", "value"]].to_dict("records")
    [{'amount': '2×10^6 m³/yr', 'price': '0.5 EUR/m³', 'value': 1000000.0}]
    """
    amounts = _quantity_map(quantities)
    frame = checks.frame(prices, "prices", _PRICE_COLUMNS)
    rows: list[dict[str, Any]] = []
    priced: set[str] = set()
    currencies: set[str] = set()
    for price in frame.to_dict("records"):
        role, name = _text(price["role"]), _text(price["name"])
        if role not in (*_PER_QUANTITY, "fixed_cost"):
            continue
        value = checks.number(price["value"], name, minimum=0)
        unit, currency = _text(price["unit"]), _text(price["currency"])
        currencies.add(currency)
        sign = 1.0 if role == "price" else -1.0
        kind = "saving or revenue" if role == "price" else "cost"
        short = _text(price.get("short", "")) or _text(price["label"])
        base = {"line": name, "label": _text(price["label"]), "short": short, "price": _price_text(value, unit, currency),
                "kind": kind, "beneficiary": _text(price["beneficiary"]), "currency": currency}
        if role == "fixed_cost":
            per_year = Q_(1, checks.unit(unit, f"{name}.unit"))
            if per_year.dimensionality != ureg.Unit("1/year").dimensionality:
                raise ValueError(f"{name} is a fixed yearly cost, so its unit must be a rate such as 1/year, not {unit!r}")
            rows.append(base | {"quantity": "", "amount": "every year", "value": -value * per_year.to("1/year").magnitude,
                                "per_unit_price": -per_year.to("1/year").magnitude})
            continue
        ids = [part.strip() for part in _text(price["quantity"]).split(";") if part.strip()]
        for qid in ids:
            if qid not in amounts:
                raise ValueError(f"{name} prices the quantity {qid!r}, which is not among the quantities "
                                 f"({formats.listing(sorted(amounts)) or 'none'})")
            amount, _label = amounts[qid]
            slope = amount * Q_(1, unit)
            if slope.dimensionality != ureg.Unit("1/year").dimensionality:
                raise ValueError(f"{name} is a price per {_per_unit(unit)}, but the quantity {qid!r} is "
                                 f"{formats.quantity(amount)} ({checks.dimension_words(amount)}): the units do not match")
            per_unit_price = sign * float(slope.to("1/year").magnitude)
            named = base | ({"short": f"{short} ({qid.split('_')[0]})"} if len(ids) > 1 else {})
            rows.append(named | {"quantity": qid, "amount": _amount_text(amount, unit), "value": per_unit_price * value,
                                "per_unit_price": per_unit_price})
            priced.add(qid)
    unpriced = [q for q in amounts if q not in priced]
    if unpriced:
        raise ValueError(f"the quantity {unpriced[0]!r} has no price: add a price row whose quantity column names "
                         f"{unpriced[0]!r}, or leave the quantity out")
    if len(currencies) > 1:
        raise ValueError(f"prices mix the currencies {formats.listing(sorted(currencies))}: convert them to one first")
    return pd.DataFrame(rows, columns=list(LINE_COLUMNS))


# ---- the appraisal -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Appraisal:
    """The money of one case at one set of prices: its yearly lines, investment and the verdict.

    Build it with :func:`appraise`. ``lines`` is a table of :func:`yearly_lines`; money is in
    ``currency``; ``values`` holds every parameter used.
    """

    case: str
    currency: str
    lines: pd.DataFrame
    investment: float
    rate: float
    years: int
    values: Mapping[str, float] = field(default_factory=dict)

    @property
    def revenue(self) -> float:
        """Money in each year: revenues and savings."""
        return float(self.lines.loc[self.lines["value"] > 0, "value"].sum())

    @property
    def costs(self) -> float:
        """Money out each year (a positive number)."""
        return float(-self.lines.loc[self.lines["value"] < 0, "value"].sum())

    @property
    def yearly_net(self) -> float:
        """Money in minus money out, each year."""
        return float(self.lines["value"].sum())

    @property
    def npv(self) -> float:
        """Net present value at :attr:`rate` over :attr:`years` (see :func:`course_lib.economics.finance.npv`)."""
        return npv(self.investment, self.yearly_net, self.rate, self.years)

    @property
    def payback(self) -> float:
        """Simple payback in years (``inf``: never)."""
        return simple_payback(self.investment, self.yearly_net)

    @property
    def discounted_payback(self) -> float:
        """Payback counting later money at its present value (``inf``: not within the lifetime)."""
        return discounted_payback(self.investment, self.yearly_net, self.rate, self.years)

    @property
    def pays(self) -> bool:
        """The verdict: True when the NPV is positive."""
        return self.npv > 0

    def cash_flows(self) -> pd.DataFrame:
        """Year by year money, present value and their running totals (:func:`~course_lib.economics.finance.cash_flows`)."""
        return cash_flows(self.investment, self.yearly_net, self.rate, self.years)

    def money(self, value: float) -> str:
        """``value`` written as an amount of this appraisal's currency ('1.2 million EUR')."""
        return money(value, self.currency)

    def summary(self) -> str:
        """The verdict in one paragraph, every figure computed."""
        payback = _("never") if math.isinf(self.payback) else _("after {years} years").format(years=formats.number(self.payback, 2))
        verdict = _("it pays") if self.pays else _("it does not pay")
        return _("Each year {revenue} come in (revenues and savings) and {costs} go out, a net {net} a year. The investment of "
                 "{investment} is back {payback} (simple payback). Net present value at {rate} a year over {years} years: {npv}, "
                 "so at these prices {verdict}.").format(
            revenue=self.money(self.revenue), costs=self.money(self.costs), net=self.money(self.yearly_net),
            investment=self.money(self.investment), payback=payback, years=self.years, npv=self.money(self.npv),
            rate=formats.percent(self.rate, 1 if self.rate * 100 % 1 else 0), verdict=verdict)

    def __str__(self) -> str:
        return self.summary()


def appraise(case: str, quantities: pd.DataFrame | None = None, **prices: Any) -> Appraisal:
    """Appraise ``case`` (``"kalundborg"`` or ``"zeri"``): money lines, investment, payback and NPV.

    ``prices`` override rows of :func:`price_table` by name (``zeri_mushroom_price=4``,
    ``discount_rate=0.08``); see :func:`check_prices`. ``quantities`` replaces the case's own
    quantity table (:mod:`course_lib.economics.cases`), for instance with a park of your own:
    every quantity needs a price row.

    >>> a = appraise("kalundborg")
    >>> a.pays, a.years
    (True, 20)
    >>> appraise("kalundborg", discount_rate=0.8)
    Traceback (most recent call last):
    ...
    ValueError: discount_rate=0.8 is not allowed: give a number between 0 and 0.5 (Real discount rate: how much less a euro next year is worth than a euro today, prices held at 2024 levels (per year); plausible: 0.02 to 0.12)
    """
    values = check_prices(case, **prices)
    rows = _case_rows(case)
    by_role = _by_role(case)
    if quantities is None:
        lines = _case_lines(case, values)
    else:
        checks.frame(quantities, "quantities", ("quantity", "value", "unit"))
        table = price_table(case)
        table["value"] = table["name"].map(values)
        lines = yearly_lines(quantities, table)
    currency = sorted({row["currency"] for row in rows.values() if row["role"] in ("price", "cost", "fixed_cost", "investment")})[0]
    investment = sum(values[n] for n in by_role["investment"])
    return Appraisal(case=case, currency=currency, lines=lines, investment=investment,
                     rate=values[by_role["rate"][0]], years=int(values[by_role["lifetime"][0]]), values=values)


@data.cached
def _case_template(case: str, scale: float | None) -> pd.DataFrame:
    """The case's own money lines at the table's prices for ``scale`` (cached: copy before changing).

    A line's ``per_unit_price`` (its quantity, converted) does not depend on the price, so
    :func:`_case_lines` only has to multiply: this is what lets :func:`sensitivity` and the slider
    charts appraise a case dozens of times.
    """
    table = price_table(case)
    priced = {q.strip() for q in ";".join(table["quantity"]).split(";") if q.strip()}
    quantities = cases.quantities(case, scale)
    quantities = quantities[quantities["quantity"].isin(priced)]
    return yearly_lines(quantities, table)


@data.cached
def _by_role(case: str) -> dict[str, list[str]]:
    """The names of the case's rows for each role (read only)."""
    rows = _case_rows(case)
    return {r: [n for n, row in rows.items() if row["role"] == r] for r in ROLES}


def _line_values(case: str, values: Mapping[str, float]) -> tuple[pd.DataFrame, pd.Series]:
    """The case's template of money lines for ``values`` and each line's money per year (``value``)."""
    rows, by_role = _case_rows(case), _by_role(case)
    for name, row in rows.items():  # the check yearly_lines makes on every price, in the table's order
        if row["role"] in (*_PER_QUANTITY, "fixed_cost"):
            checks.number(values[name], name, minimum=0)
    scale = values[by_role["scale"][0]] if by_role["scale"] else None
    template = _case_template(case, scale)
    prices = pd.Series([values[name] for name in template["line"]], index=template.index, dtype="float64")
    return template, template["per_unit_price"] * prices


def _case_lines(case: str, values: Mapping[str, float]) -> pd.DataFrame:
    """``yearly_lines(cases.quantities(case, scale), price table at values)``, from the cached template.

    The same table, row for row and bit for bit: ``value`` is ``per_unit_price x price`` in both.
    """
    rows = _case_rows(case)
    template, value = _line_values(case, values)
    lines = template.copy()
    prices = [values[name] for name in lines["line"]]
    lines["value"] = value
    lines["price"] = [_price_text(price, _text(rows[name]["unit"]), _text(rows[name]["currency"]))
                      for name, price in zip(lines["line"], prices)]
    return lines


#: The roles :func:`sensitivity` varies by default: every price and the money and time assumptions.
SENSITIVE_ROLES = ("price", "cost", "fixed_cost", "investment", "rate", "lifetime")


def sensitivity(case: str, roles: Any = SENSITIVE_ROLES, **prices: Any) -> pd.DataFrame:
    """How the verdict depends on each parameter: NPV with it at the low and high end of its range.

    One parameter moves at a time, the others stay at their defaults (or at ``prices``); ``roles``
    says which kinds of rows are varied (add ``"scale"`` to vary the size of the brewery). Rows are
    sorted by ``swing`` (how far the NPV moves). ``break_even`` is the value at which the NPV is
    zero (the NPV is a straight line in prices, costs, the investment and the scale; NaN for the
    rate and the lifetime); ``flips`` says whether the verdict changes within the range.

    >>> table = sensitivity("zeri")
    >>> list(table.columns)[:8]
    ['parameter', 'label', 'short', 'role', 'unit', 'low', 'value', 'high']
    """
    varied = checks.names(roles, "roles", ROLES, allow_empty=False)
    if not prices:  # the table's own defaults: the same answer every time (the notebook and its questions ask twice)
        checks.choice(case, "case", CASES)
        return _default_sensitivity(case, tuple(varied)).copy()
    return _sensitivity(case, varied, prices)


@data.cached
def _default_sensitivity(case: str, varied: tuple[str, ...]) -> pd.DataFrame:
    return _sensitivity(case, varied, {})


def _npv(case: str, prices: Mapping[str, Any]) -> float:
    """``appraise(case, **prices).npv``, the same float, without building the table of money lines.

    The yearly net is the same products summed by the same pandas reduction as
    :attr:`Appraisal.yearly_net`; :func:`sensitivity` needs dozens of these.
    """
    values = check_prices(case, **prices)
    by_role = _by_role(case)
    _, value = _line_values(case, values)
    investment = sum(values[n] for n in by_role["investment"])
    return npv(investment, float(value.sum()), values[by_role["rate"][0]], int(values[by_role["lifetime"][0]]))


def _sensitivity(case: str, varied: tuple[str, ...], prices: Mapping[str, Any]) -> pd.DataFrame:
    base = appraise(case, **prices)
    rows = _case_rows(case)
    frame = _params.sensitivity(_prices(), lambda values: _npv(case, values),
                                [n for n, row in rows.items() if row["role"] in varied], base.values)
    frame.insert(2, "short", [rows[n]["short"] for n in frame["parameter"]])
    frame.insert(3, "role", [rows[n]["role"] for n in frame["parameter"]])
    frame = frame.rename(columns={"outcome_low": "npv_low", "outcome_default": "npv_default", "outcome_high": "npv_high"})
    slope = (frame["npv_high"] - frame["npv_low"]) / (frame["high"] - frame["low"])
    linear = frame["role"].isin(_LINEAR) & (slope != 0)
    frame["break_even"] = (frame["value"] - base.npv / slope).where(linear)
    frame["flips"] = ((frame["npv_low"] > 0) != base.pays) | ((frame["npv_high"] > 0) != base.pays)
    return frame


def _varied(case: str, hold: Any) -> list[str]:
    """The case's numbers a joint analysis moves: every sensitive one except those in ``hold``."""
    rows = _rows_of(case)
    held = checks.names(list(hold) if not isinstance(hold, str) else [hold], "hold", tuple(rows))
    return [n for n, row in rows.items() if row["role"] in SENSITIVE_ROLES and n not in held]


def joint_sensitivity(case: str, samples: int = 200, corners: bool = False, hold: Any = (), **prices: Any) -> pd.DataFrame:
    """Every number of :func:`sensitivity` at once: the NPV over random draws within the ranges, or over every corner.

    One row per parameter with its rank correlation with the NPV (:func:`course_lib.params.joint_sensitivity`);
    ``attrs["share_positive"]`` is the share of the cases in which the project pays, ``attrs`` also hold the
    NPV's 5th percentile, median and 95th percentile. ``corners=True`` takes every corner of the box of
    ranges (each number at its low or its high end: 2**n cases) instead of ``samples`` random draws.
    ``hold`` names numbers kept at their value (a scenario's switch, such as the landfill fee, is a
    question of which story is true, not a price one is unsure of).

    >>> j = joint_sensitivity("kalundborg", samples=100)
    >>> 0 <= j.attrs["share_positive"] <= 1, j.attrs["samples"]
    (True, 100)
    """
    base = appraise(case, **prices)
    names = _varied(case, hold)
    return _params.joint_sensitivity(_prices(), lambda values: _npv(case, values), names, base.values, samples,
                                     corners=corners)


def flipping_combination(case: str, most: int = 4, hold: Any = (), **prices: Any) -> dict[str, Any] | None:
    """The fewest numbers that, moved together within their ranges, flip the verdict of ``case``.

    Each number goes to the end of its range that is worse for the verdict (better, if the case does
    not pay); sets of one, two, ... ``most`` numbers are tried (:func:`course_lib.params.flipping_combination`).
    ``hold`` names numbers kept at their value (see :func:`joint_sensitivity`).
    Returns ``None`` if no set of up to ``most`` numbers flips it, else a dict with ``parameters``
    (names), ``shorts`` (the chart's short names), ``values`` (name -> value at its end), ``size``,
    ``npv`` (the NPV with all of them moved) and ``payback`` (simple payback then, in years).

    If the gypsum and ash would otherwise be landfilled (the scenario), no single number flips
    Kalundborg's verdict, but two together do:

    >>> from course_lib.economics import scenario
    >>> found = flipping_combination("kalundborg", hold=["kalundborg_landfill_cost"], **scenario("landfill"))
    >>> found["shorts"], found["npv"] < 0
    (('investment', 'years counted'), True)
    """
    base = appraise(case, **prices)
    rows = _case_rows(case)
    names = _varied(case, hold)
    found = _params.flipping_combination(_prices(), lambda values: _npv(case, values), names, base.values, 0.0, most)
    if found is None:
        return None
    moved = appraise(case, **(dict(prices) | found["values"]))
    return {"parameters": found["parameters"], "shorts": tuple(rows[n]["short"] for n in found["parameters"]),
            "values": found["values"], "size": found["size"], "npv": moved.npv, "payback": moved.payback}


def break_even(case: str, parameter: str, **prices: Any) -> float:
    """The value of ``parameter`` at which ``case`` just breaks even (NPV = 0), others as given.

    Only for parameters on which the NPV depends in a straight line (prices, costs, the
    investment, the scale). A negative result means the case pays even when that price is zero.

    >>> p = break_even("zeri", "zeri_mushroom_price")
    >>> abs(appraise("zeri", zeri_mushroom_price=p).npv) < 1e-3 if p >= 0 else True
    True
    """
    rows = _rows_of(case)
    checks.choice(parameter, "parameter", tuple(rows))
    role = rows[parameter]["role"]
    if role not in _LINEAR:
        raise ValueError(f"parameter={parameter!r} has role {role!r}: the NPV is not a straight line in it, "
                         "so no break-even is solved; move its slider instead")
    base = appraise(case, **prices)
    value = base.values[parameter]
    other = value + 1.0
    slope = _npv(case, dict(prices) | {parameter: other}) - base.npv
    if slope == 0:
        raise ValueError(f"the NPV of {case!r} does not depend on {parameter}: no value of it makes the case break even")
    return value - base.npv / slope


def by_beneficiary(appraisal: Appraisal) -> pd.DataFrame:
    """Who gains (or pays) what each year: the lines of ``appraisal`` added up per beneficiary.

    Payments between partners (the price Gyproc pays Asnæs for gypsum, say) are left out: they
    move money from one partner to another and change nobody's total but theirs.

    >>> by_beneficiary(appraise("kalundborg")).columns.tolist()
    ['beneficiary', 'value', 'lines', 'share']
    """
    if not isinstance(appraisal, Appraisal):
        raise TypeError(f"appraisal must be an Appraisal made by economics.appraise, got {type(appraisal).__name__}")
    lines = appraisal.lines
    grouped = lines.groupby("beneficiary", sort=False).agg(value=("value", "sum"), lines=("label", lambda s: "; ".join(s)))
    grouped = grouped.reset_index().sort_values("value", ascending=False, ignore_index=True)
    total_in = appraisal.revenue
    grouped["share"] = grouped["value"] / total_in if total_in else math.nan
    return grouped

