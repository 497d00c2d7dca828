"""The price table of the economics topic: every number an appraisal uses, checked, with its source.

``datasets/economics_prices.csv`` has one row per number (a slider of the charts): a price or a
cost per unit of a yearly quantity, a fixed yearly cost, the investment, the discount rate, the
years counted, the size of the brewery, and the exchange rate between kroner and euros. Its
``case`` column says which worked example a row belongs to (``kalundborg``, ``zeri`` or ``all``).
:mod:`course_lib.economics.model` turns the rows into money.

>>> table = price_table("zeri")
>>> row = table.set_index("name").loc["zeri_mushroom_price"]
>>> float(row["value"]), row["unit"], row["role"]
(3.0, '1/kg', 'price')
>>> check_prices("zeri", zeri_mushroom_price=4)["zeri_mushroom_price"]
4.0
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from .. import checks, data, formats, params
from ..params import _text  # a cell as clean text: empty for a missing one
from ..units import Q_, ureg  # Q_: the examples below use it
from .cases import CASES

__all__ = ["ROLES", "price_table", "price_sheet", "defaults", "check_prices", "convert_currency", "scenarios", "scenario"]

_TABLE = "economics_prices"
#: What a row of the price table does (column ``role``).
ROLES = ("price", "cost", "fixed_cost", "investment", "rate", "lifetime", "scale", "exchange")
#: Roles whose rows multiply a quantity.
_PER_QUANTITY = ("price", "cost")


# ---- the price table ---------------------------------------------------------------------------


def _prices() -> params.ParameterTable:
    """The price table as parameters (:mod:`course_lib.params`): defaults, bounds and sliders."""
    return params.parameters(_TABLE)


@data.cached
def _table() -> pd.DataFrame:
    """The price table, checked once per data folder: every problem names the dataset and the row."""
    table = _prices().frame()
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
    if case is None:
        return _table().copy()
    checks.choice(case, "case", CASES)
    return _case_table(case).copy()


@data.cached
def _case_table(case: str) -> pd.DataFrame:
    """The rows of ``case`` and the shared ones, without the exchange rate (cached: copy before changing)."""
    table = _table()
    keep = table["case"].isin([case, "all"]) & (table["role"] != "exchange")
    return table[keep].reset_index(drop=True)


@data.cached
def _case_rows(case: str) -> dict[str, params.Parameter]:
    """The rows of :func:`price_table` for ``case`` by name, in the table's order (read only).

    :func:`appraise` runs once per slider move and many times in :func:`sensitivity`; reading
    rows spares it pandas' row look-ups (each of which deep-copies the table's metadata).
    """
    prices = _prices()
    return {str(name): prices[str(name)] for name in _case_table(case)["name"]}


def _rows_of(case: str) -> dict[str, params.Parameter]:
    checks.choice(case, "case", CASES)
    return _case_rows(case)


def _sheet_unit(row: Any) -> str:
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
    ['0', '0', '100', 'EUR/t']
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
    (0.0, 0.06, 20.0)
    """
    return _prices().defaults(_rows_of(case))


def check_prices(case: str, **prices: Any) -> dict[str, float]:
    """Every parameter of ``case`` at its default, with ``prices`` applied and checked.

    Numbers are read in the table's units (``zeri_mushroom_price=3`` is 3 EUR per kg); pint
    quantities in any compatible unit are converted (``Q_(0.003, "1/g")`` is 3 per kg). Each value
    must lie within its row's ``minimum`` and ``maximum`` (prices and costs not negative, the
    discount rate a share per year from 0 to 0.5) and the lifetime is a whole number of years.

    >>> check_prices("zeri", zeri_fish_price=Q_(0.003, "1/g"))["zeri_fish_price"]
    3.0
    """
    rows = _rows_of(case)
    years = [name for name, row in rows.items() if row["role"] == "lifetime"]
    return _prices().check(prices, rows, context=f"case {case!r}", whole=years)


def convert_currency(value: Any, currency: str, to: str = "EUR") -> float:
    """``value`` in ``currency`` expressed in ``to`` (EUR and DKK, at the fixed ERM II central rate).

    >>> round(convert_currency(90e6, "DKK"), -5)                    # Tissø II's DKK 90 million
    12100000.0
    """
    amount = checks.number(value, "value")
    rates = {"EUR": 1.0, "DKK": float(price_table().set_index("name").loc["dkk_per_eur", "value"])}
    source, target = checks.choice(currency, "currency", tuple(rates)), checks.choice(to, "to", tuple(rates))
    return amount / rates[source] * rates[target]


@functools.lru_cache(maxsize=256)
def _per_unit(unit: str) -> str:
    """'1/m**3' -> 'm³' (what a price is per); 'dimensionless' -> ''. A pure function of its argument: cached."""
    inverse = (1 / ureg.Unit(unit)) if unit != "dimensionless" else ureg.Unit("dimensionless")
    return formats.unit(inverse)


# ---- named scenarios ---------------------------------------------------------------------------


@data.cached
def _scenarios() -> pd.DataFrame:
    """``datasets/economics_scenarios.csv``, checked once: every parameter is a row of the case's price table."""
    table = data.load("economics_scenarios")
    for row in table.itertuples():
        where = f"economics_scenarios, scenario {row.scenario!r}"
        checks.choice(row.case, f"{where}: case", CASES)
        _prices()[str(row.parameter)].check(row.value, f"{where}: {row.parameter}")
        if row.parameter not in _case_rows(row.case):
            raise ValueError(f"{where}: {row.parameter!r} is not a parameter of case {row.case!r}")
    return table


def scenarios(case: str | None = None) -> pd.DataFrame:
    """The named scenarios (``datasets/economics_scenarios.csv``): one row per scenario and parameter, with its reasoning.

    The default appraisal is the counterfactual the course defends; a scenario asks "what if" with
    other values for a few rows of the price table.

    >>> scenarios("kalundborg")[["scenario", "parameter", "value"]].to_dict("records")
    [{'scenario': 'landfill', 'parameter': 'kalundborg_landfill_cost', 'value': 50.0}]
    """
    table = _scenarios()
    if case is not None:
        table = table[table["case"] == checks.choice(case, "case", CASES)]
    return table.reset_index(drop=True).copy()


def scenario(name: str) -> dict[str, float]:
    """The values of scenario ``name``, to pass on: ``appraise("kalundborg", **scenario("landfill"))``.

    >>> scenario("landfill")
    {'kalundborg_landfill_cost': 50.0}
    >>> scenario("landfil")
    Traceback (most recent call last):
    ...
    ValueError: name='landfil' is not allowed (did you mean 'landfill'?); choose one of: 'landfill'
    """
    table = _scenarios()
    checks.choice(name, "name", tuple(dict.fromkeys(table["scenario"])))
    rows = table[table["scenario"] == name]
    return {str(r.parameter): float(r.value) for r in rows.itertuples()}
