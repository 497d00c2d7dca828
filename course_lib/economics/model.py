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
ValueError: zeri_mushroom_price=-3 is not allowed: give a number >= 0 (1/kg)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pint

from .. import checks, data, formats
from ..units import Q_, ureg
from . import _checks, cases
from ._checks import money
from .cases import CASES
from .finance import cash_flows, discounted_payback, npv, simple_payback

__all__ = [
    "ROLES", "SENSITIVE_ROLES", "LINE_COLUMNS", "price_table", "price_sheet", "defaults", "check_prices", "yearly_lines", "Appraisal", "appraise",
    "sensitivity", "break_even", "by_beneficiary", "convert_currency", "money",
]

_TABLE = "economics_prices"
#: What a row of the price table does (column ``role``).
ROLES = ("price", "cost", "fixed_cost", "investment", "rate", "lifetime", "scale", "exchange")
#: Roles whose rows multiply a quantity.
_PER_QUANTITY = ("price", "cost")
#: Roles on which the NPV depends in a straight line (so a break-even value can be solved for).
_LINEAR = ("price", "cost", "fixed_cost", "investment", "scale")
#: The columns of a table of yearly money lines.
LINE_COLUMNS = ("line", "label", "short", "quantity", "amount", "price", "kind", "beneficiary", "value", "per_unit_price", "currency")
_PRICE_COLUMNS = ("name", "label", "value", "unit", "role", "quantity", "beneficiary", "currency")


# ---- the price table ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


@data.cached
def _table() -> pd.DataFrame:
    """The price table, checked once per data folder: every problem names the dataset and the row."""
    table = data.parameters(_TABLE).reset_index()
    for column in ("case", "role", "short", "quantity", "beneficiary", "currency"):
        table[column] = [_text(v) for v in table[column]]
    for row in table.itertuples():
        where = f"{_TABLE}, row {row.name!r}"
        checks.choice(row.case, f"{where}: case", (*CASES, "all"))
        checks.choice(row.role, f"{where}: role", ROLES)
        checks.unit(row.unit, f"{where}: unit")
        if row.role in _PER_QUANTITY and not row.quantity:
            raise ValueError(f"{where}: a {row.role} row must name the quantity it prices (column quantity)")
        if row.role in (*_PER_QUANTITY, "fixed_cost", "investment") and not row.currency:
            raise ValueError(f"{where}: a {row.role} row needs a currency")
    for case in CASES:
        part = table[table["case"].isin([case, "all"])]
        for role in ("rate", "lifetime", "investment"):
            if (part["role"] == role).sum() != 1:
                raise ValueError(f"{_TABLE}: case {case!r} needs exactly one row with role {role!r}, "
                                 f"found {(part['role'] == role).sum()}")
        money = set(part.loc[part["role"].isin([*_PER_QUANTITY, "fixed_cost", "investment"]), "currency"])
        if len(money) != 1:
            raise ValueError(f"{_TABLE}: case {case!r} mixes currencies {sorted(money)}; convert them to one first")
    return table


def price_table(case: str | None = None) -> pd.DataFrame:
    """The price table (``datasets/economics_prices.csv``) with its sources, for one case or all.

    Columns: ``name, label, value, unit, low, high, step, minimum, maximum, case, role, quantity,
    beneficiary, currency, basis, source``. ``case`` ``"kalundborg"`` or ``"zeri"`` keeps that
    case's rows and the shared ones (``all``), without the exchange rate.

    >>> row = price_table("zeri").set_index("name").loc["zeri_methane_price"]
    >>> float(row["value"]), row["unit"], row["basis"]
    (0.0624, '1/kWh', 'literature')
    """
    table = _table().copy()
    if case is None:
        return table
    checks.choice(case, "case", CASES)
    keep = table["case"].isin([case, "all"]) & (table["role"] != "exchange")
    return table[keep].reset_index(drop=True)


def _sheet_unit(row: pd.Series) -> str:
    """What a number of the price table is, in words a reader knows: 'EUR/t', 'EUR/yr', 'EUR', 'share a year'."""
    if row["role"] == "rate":
        return "share a year"
    if row["role"] in ("lifetime", "scale"):
        return formats.unit(ureg.Unit(row["unit"]))
    per = _per_unit(row["unit"])
    return f"{row['currency']}/{per}" if per else str(row["currency"])


def price_sheet(case: str) -> pd.DataFrame:
    """The price table of ``case`` to read: one row per number, written out, with its unit and basis.

    Columns ``default, low, high`` (the plausible range), ``unit`` (``EUR/t``: euros per tonne;
    ``EUR/yr``: euros every year; ``EUR``: an amount spent once) and ``basis``; the index is the
    short name the charts use. :func:`price_table` has the same rows as numbers, with sources.

    >>> sheet = price_sheet("kalundborg")
    >>> sheet.loc["landfill avoided", ["default", "low", "high", "unit"]].tolist()
    ['50', '15', '100', 'EUR/t']
    >>> sheet.loc["investment", "default"], sheet.loc["investment", "unit"], sheet.loc["discount rate", "unit"]
    ('50 million', 'EUR', 'share a year')
    """
    table = price_table(case)

    def written(value: Any) -> str:  # millions in words, as people write money
        return "" if pd.isna(value) else formats.money(float(value), "", digits=4).strip()

    sheet = pd.DataFrame({
        "default": table["value"].map(written), "low": table["low"].map(written), "high": table["high"].map(written),
        "unit": table.apply(_sheet_unit, axis=1), "basis": table["basis"],
    })
    sheet.index = pd.Index(table["short"], name="number")
    return sheet


def defaults(case: str) -> dict[str, float]:
    """The default value of every parameter :func:`appraise` accepts for ``case``, in the table's units.

    >>> d = defaults("kalundborg")
    >>> d["kalundborg_landfill_cost"], d["discount_rate"], d["kalundborg_lifetime"]
    (50.0, 0.06, 20.0)
    """
    table = price_table(case)
    return dict(zip(table["name"], table["value"].astype(float)))


def _check_one(row: pd.Series, value: Any) -> float:
    name, unit = str(row["name"]), str(row["unit"])
    if row["role"] == "rate":
        return _checks.rate(checks.magnitude(value, name, unit) if isinstance(value, pint.Quantity) else value, name)
    if row["role"] == "lifetime":
        return float(_checks.years(checks.magnitude(value, name, unit) if isinstance(value, pint.Quantity) else value, name))
    minimum = 0.0 if pd.isna(row["minimum"]) else float(row["minimum"])
    maximum = None if pd.isna(row["maximum"]) else float(row["maximum"])
    inclusive_min = not (row["role"] == "scale" and minimum == 0)
    return checks.magnitude(value, name, unit, minimum=minimum, maximum=maximum, inclusive=inclusive_min)


def check_prices(case: str, **prices: Any) -> dict[str, float]:
    """Every parameter of ``case`` at its default, with ``prices`` applied and checked.

    Numbers are read in the table's units (``zeri_mushroom_price=3`` is 3 EUR per kg); pint
    quantities in any compatible unit are converted (``Q_(0.003, "1/g")`` is 3 per kg). Prices and
    costs may not be negative, the discount rate must be a share per year from 0 to 0.5 and the
    lifetime a whole number of years.

    >>> check_prices("zeri", zeri_fish_price=Q_(0.003, "1/g"))["zeri_fish_price"]
    3.0
    >>> check_prices("zeri", zeri_fihs_price=3)
    Traceback (most recent call last):
    ...
    ValueError: zeri_fihs_price is not a parameter of case 'zeri' (did you mean 'zeri_fish_price'?); see economics.price_table('zeri')['name']
    >>> check_prices("zeri", discount_rate=6)
    Traceback (most recent call last):
    ...
    ValueError: discount_rate=6 looks like a percent: write 6 % as 0.06 (a discount rate is a share per year)
    """
    table = price_table(case).set_index("name", drop=False)
    values = dict(zip(table.index, table["value"].astype(float)))
    for name, value in prices.items():
        if name not in table.index:
            raise ValueError(f"{name} is not a parameter of case {case!r}{checks.suggest(name, table.index)}; "
                             f"see economics.price_table({case!r})['name']")
        values[name] = _check_one(table.loc[name], value)
    return values


def convert_currency(value: Any, currency: str, to: str = "EUR") -> float:
    """``value`` in ``currency`` expressed in ``to`` (EUR and DKK, at the fixed ERM II central rate).

    >>> round(convert_currency(90e6, "DKK"), -5)                    # Tissø II's DKK 90 million
    12100000.0
    """
    amount = checks.number(value, "value")
    rates = {"EUR": 1.0, "DKK": float(price_table().set_index("name").loc["dkk_per_eur", "value"])}
    source, target = checks.choice(currency, "currency", tuple(rates)), checks.choice(to, "to", tuple(rates))
    return amount / rates[source] * rates[target]


# ---- money lines -------------------------------------------------------------------------------


def _per_unit(unit: str) -> str:
    """'1/m**3' -> 'm³' (what a price is per); 'dimensionless' -> ''."""
    inverse = (1 / ureg.Unit(unit)) if unit != "dimensionless" else ureg.Unit("dimensionless")
    return formats.unit(inverse)


def _price_text(value: float, unit: str, currency: str) -> str:
    per = _per_unit(unit)
    return f"{_checks.money(value, currency)}/{per}" if per else _checks.money(value, currency)


def _amount_text(amount: pint.Quantity, price_unit: str) -> str:
    """A yearly quantity written in the unit its price is per (2,000 t/yr rather than 2×10^6 kg/yr)."""
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

    Parameters
    ----------
    quantities
        One row per yearly quantity: ``quantity`` (id), ``value``, ``unit`` (a rate such as
        ``t/year``) and optionally ``label`` (see :mod:`course_lib.economics.cases`).
    prices
        Rows of :func:`price_table` (``name, label, value, unit, role, quantity, beneficiary,
        currency``); rows with role ``price``, ``cost`` and ``fixed_cost`` are used.

    Returns
    -------
    pandas.DataFrame
        One row per line: ``line`` (the price's name), ``label``, ``short`` (a few words: the
        price's ``short`` column when there is one), ``quantity``, ``amount`` and
        ``price`` (as text), ``kind`` (``saving or revenue`` / ``cost``), ``beneficiary``,
        ``value`` (money per year: positive in, negative out), ``per_unit_price`` (money per year
        for one more unit of the price: the line's slope) and ``currency``.

    Examples
    --------
    >>> q = pd.DataFrame({"quantity": ["water"], "value": [2e6], "unit": ["m**3/year"]})
    >>> p = pd.DataFrame({"name": ["water_price"], "label": ["water"], "value": [0.5], "unit": ["1/m**3"],
    ...                   "role": ["price"], "quantity": ["water"], "beneficiary": ["mill"], "currency": ["EUR"]})
    >>> yearly_lines(q, p)[["amount", "price", "value"]].to_dict("records")
    [{'amount': '2×10^6 m³/yr', 'price': '0.5 EUR/m³', 'value': 1000000.0}]
    >>> yearly_lines(q.assign(unit="t/year"), p)
    Traceback (most recent call last):
    ...
    ValueError: water_price is a price per m³, but the quantity 'water' is 2×10^6 t/yr (a mass per time (a mass flow)): the units do not match
    >>> yearly_lines(pd.concat([q, q.assign(quantity="steam")]), p)
    Traceback (most recent call last):
    ...
    ValueError: the quantity 'steam' has no price: add a price row whose quantity column names 'steam', or leave the quantity out
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
        return _checks.money(value, self.currency)

    def summary(self) -> str:
        """The verdict in one paragraph, every figure computed."""
        payback = "never" if math.isinf(self.payback) else f"after {formats.number(self.payback, 2)} years"
        verdict = "it pays" if self.pays else "it does not pay"
        return (f"Each year {self.money(self.revenue)} come in (revenues and savings) and {self.money(self.costs)} go out, "
                f"a net {self.money(self.yearly_net)} a year. The investment of {self.money(self.investment)} is back {payback} "
                f"(simple payback). Net present value at {formats.percent(self.rate, 1 if self.rate * 100 % 1 else 0)} a year "
                f"over {self.years} years: {self.money(self.npv)}, so at these prices {verdict}.")

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
    ValueError: discount_rate=0.8 is outside the sane range of discount rates: give a share per year between 0 and 0.5 (0 % to 50 %)
    """
    values = check_prices(case, **prices)
    table = price_table(case)
    table["value"] = table["name"].map(values)
    role = dict(zip(table["name"], table["role"]))
    by_role = {r: [n for n in table["name"] if role[n] == r] for r in ROLES}
    if quantities is None:
        scale = values[by_role["scale"][0]] if by_role["scale"] else None
        priced = {q.strip() for q in ";".join(table["quantity"]).split(";") if q.strip()}
        quantities = cases.quantities(case, scale)
        quantities = quantities[quantities["quantity"].isin(priced)]
    else:
        checks.frame(quantities, "quantities", ("quantity", "value", "unit"))
    lines = yearly_lines(quantities, table)
    currency = sorted(set(table.loc[table["role"].isin(["price", "cost", "fixed_cost", "investment"]), "currency"]))[0]
    investment = sum(values[n] for n in by_role["investment"])
    return Appraisal(case=case, currency=currency, lines=lines, investment=investment,
                     rate=values[by_role["rate"][0]], years=int(values[by_role["lifetime"][0]]), values=values)


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
    >>> list(table.columns)[:7]
    ['parameter', 'label', 'short', 'role', 'unit', 'low', 'value']
    """
    varied = checks.names(roles, "roles", ROLES, allow_empty=False)
    base = appraise(case, **prices)
    table = price_table(case)
    rows = []
    for row in table.to_dict("records"):
        name, low, high = row["name"], float(row["low"]), float(row["high"])
        if row["role"] not in varied or not low < high:
            continue
        at_low = appraise(case, **(dict(prices) | {name: low})).npv
        at_high = appraise(case, **(dict(prices) | {name: high})).npv
        value = base.values[name]
        slope = (at_high - at_low) / (high - low)
        even = value - base.npv / slope if row["role"] in _LINEAR and slope != 0 else math.nan
        flips = (at_low > 0) != base.pays or (at_high > 0) != base.pays
        rows.append({"parameter": name, "label": row["label"], "short": row["short"], "role": row["role"], "unit": row["unit"], "low": low,
                     "value": value, "high": high, "npv_low": at_low, "npv_default": base.npv, "npv_high": at_high,
                     "swing": abs(at_high - at_low), "break_even": even, "flips": flips})
    frame = pd.DataFrame(rows)
    return frame.sort_values("swing", ascending=False, ignore_index=True)


def break_even(case: str, parameter: str, **prices: Any) -> float:
    """The value of ``parameter`` at which ``case`` just breaks even (NPV = 0), others as given.

    Only for parameters on which the NPV depends in a straight line (prices, costs, the
    investment, the scale). A negative result means the case pays even when that price is zero.

    >>> p = break_even("zeri", "zeri_mushroom_price")
    >>> abs(appraise("zeri", zeri_mushroom_price=p).npv) < 1e-3 if p >= 0 else True
    True
    >>> break_even("zeri", "discount_rate")
    Traceback (most recent call last):
    ...
    ValueError: parameter='discount_rate' has role 'rate': the NPV is not a straight line in it, so no break-even is solved; move its slider instead
    """
    table = price_table(case).set_index("name")
    checks.choice(parameter, "parameter", tuple(table.index))
    role = table.loc[parameter, "role"]
    if role not in _LINEAR:
        raise ValueError(f"parameter={parameter!r} has role {role!r}: the NPV is not a straight line in it, "
                         "so no break-even is solved; move its slider instead")
    base = appraise(case, **prices)
    value = base.values[parameter]
    other = value + 1.0
    slope = appraise(case, **(dict(prices) | {parameter: other})).npv - base.npv
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

