"""course_lib.checks and course_lib.formats: one way to check an argument and to write a number.

Every bad call names the argument, repeats the bad value and says what is allowed; a wrong kind of
value raises TypeError, a right kind with a bad value raises ValueError.
"""

import math

import pandas as pd
import pytest

from course_lib import charts, checks, data, formats, units
from course_lib.start import describe_energy
from course_lib.units import Q_


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: checks.number("10", "years"), TypeError, r"years must be a number, got '10' \(text\); write it without quotes: 10"),
        (lambda: checks.number("ten", "years"), TypeError, r"years must be a number, got 'ten' \(text\)$"),
        (lambda: checks.number(True, "r"), TypeError, r"r must be a number, got True of type True/False"),
        (lambda: checks.number(None, "r"), TypeError, r"r must be a number, got None of type NoneType"),
        (lambda: checks.number(float("nan"), "K"), ValueError, r"K=nan is not a finite number"),
        (lambda: checks.number(math.inf, "K"), ValueError, r"K=inf is not a finite number"),
        (lambda: checks.number(-1, "K", minimum=0, inclusive=False, unit="t"), ValueError, r"K=-1 is not allowed: give a number > 0 \(t\)"),
        (lambda: checks.number(5, "x", minimum=0, maximum=2), ValueError, r"x=5 is not allowed: give a number between 0 and 2"),
        (lambda: checks.number(Q_(3, "t"), "K"), TypeError, r"K must be a plain number, got the quantity 3 t"),
        (lambda: checks.whole_number(2.5, "years"), ValueError, r"years=2.5 must be a whole number"),
        (lambda: checks.whole_number(0, "years", minimum=1), ValueError, r"years=0 is not allowed: give a whole number >= 1"),
        (lambda: checks.share(24, "scrap_share"), ValueError, r"scrap_share=24 is a share and must lie between 0 and 1: write 24 % as 0.24"),
        (lambda: checks.share(-0.1, "s"), ValueError, r"s=-0.1 is a share and must lie between 0 and 1$"),
        (lambda: checks.share(0, "s", allow_zero=False), ValueError, r"s=0 is not allowed: give a share with 0 < s <= 1"),
        (lambda: checks.unit("tons", "unit"), ValueError, r"unit='tons' is ambiguous: it is the US short ton \(907 kg\)"),
        (lambda: checks.unit("ton"), ValueError, r"unit='ton' is ambiguous"),
        (lambda: checks.unit("parsecs_of_joy", "to"), ValueError, r"to='parsecs_of_joy' is not a unit the course knows"),
        (lambda: checks.unit("kg/", "unit"), ValueError, r"unit='kg/' is not a unit the course knows"),
        (lambda: checks.unit(3, "unit"), TypeError, r"unit must be a unit name such as 'kg' \(text\), got 3 of type int"),
        (lambda: checks.unit("kg", "unit", like="kWh"), ValueError, r"unit='kg' is a mass, but it must be an energy \(for example kWh\)"),
        (lambda: checks.quantity(Q_(3, "h"), "stock", "t"), ValueError, r"stock=3 h is a time, but it must be a mass \(for example in t\)"),
        (lambda: checks.quantity(Q_(-3, "kg"), "stock", "t", minimum=0), ValueError, r"stock=-3 kg is not allowed: give >= 0 t"),
        (lambda: checks.magnitude(Q_([1, 2], "kg"), "stock", "t"), TypeError, r"stock must be one quantity, got an array of 2"),
        (lambda: checks.choice("fixed amout", "policy", ("fixed amount", "income only")), ValueError,
         r"policy='fixed amout' is not allowed \(did you mean 'fixed amount'\?\); choose one of: 'fixed amount', 'income only'"),
        (lambda: checks.choice(1, "policy", ("a", "b")), TypeError, r"policy must be one of 'a', 'b' \(text\), got 1 of type int"),
        (lambda: checks.names("dry matter", "views"), TypeError, r"views must be a list of names such as \['dry matter'\], not the single string 'dry matter'"),
        (lambda: checks.names(["gyprok"], "partners", ["gyproc", "statoil"]), ValueError,
         r"partners contains 'gyprok', which is not allowed \(did you mean 'gyproc'\?\); allowed: 'gyproc', 'statoil'"),
        (lambda: checks.names([1], "partners"), TypeError, r"partners must contain names \(text\), got 1 of type int"),
        (lambda: checks.names(5, "partners"), TypeError, r"partners must be a list of names, got 5 of type int"),
        (lambda: checks.names([], "partners", allow_empty=False), ValueError, r"partners must name at least one item, got an empty list"),
        (lambda: checks.numbers_list(0.5, "shares"), TypeError, r"shares must be a list of numbers such as \[0.5\], not a single number"),
        (lambda: checks.numbers_list(["a"], "shares"), TypeError, r"shares\[0\] must be a number, got 'a' \(text\)"),
        (lambda: checks.frame({"a": [1]}, "table"), TypeError, r"table must be a table \(a pandas DataFrame\), got dict"),
        (lambda: checks.frame(pd.DataFrame({"a": [1]}), "table", ["a", "b", "c"]), ValueError, r"table lacks the columns 'b', 'c'; it has: 'a'"),
        (lambda: checks.text("  ", "title"), ValueError, r"title must not be empty"),
        (lambda: units.convert(3, "kg", to="MJ"), ValueError, r"cannot convert 3 kg to to='MJ': it is a mass, but MJ is an energy"),
        (lambda: describe_energy(3, "kg"), ValueError, r"unit='kg' is a mass, but it must be an energy"),
        (lambda: describe_energy(-3, "kWh"), ValueError, r"amount=-3 is not allowed: give a number >= 0 \(kWh\)"),
        (lambda: data.load("energy_tabel"), ValueError, r"name='energy_tabel' is not a course dataset"),
        (lambda: data.parameters("energy_table"), ValueError, r"name='energy_table' is not a parameter table; parameter tables: capital_model_defaults"),
        (lambda: charts.check_offline({"mark": "bar"}), ValueError, r"chart spec is None; JupyterLab draws Vega-Lite v5 offline"),
        (lambda: charts.check_offline("bar"), TypeError, r"chart must be an Altair chart or a Vega-Lite spec \(dict\), got str"),
    ],
)
def test_a_bad_call_says_what_is_wrong_and_what_is_allowed(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_quantities_in_any_compatible_unit_are_converted():
    assert checks.magnitude(Q_(500, "kg"), "stock", "t") == pytest.approx(0.5)
    assert checks.quantity(2, "stock", "t").to("kg").magnitude == pytest.approx(2000)


def test_whole_numbers_and_names_come_back_cleaned():
    assert checks.whole_number(10.0, "years") == 10 and isinstance(checks.whole_number(10.0, "years"), int)
    assert checks.names(("a", "b"), "xs") == ("a", "b")
    assert checks.names({"a"}, "xs") == ("a",)
    assert checks.numbers_list(range(3), "xs") == (0.0, 1.0, 2.0)
    assert checks.unit("t") == units.ureg.metric_ton


@pytest.mark.parametrize(
    "x, digits, text",
    [(10460.0, 4, "10,460"), (2.90556, 4, "2.906"), (3.7e18, 4, "3.7×10^18"), (0.0123, 4, "0.0123"), (0, 4, "0"),
     (-250.0, 4, "-250"), (1.5625, 3, "1.56"), (63.79, 3, "63.8"), (27393.75, 3, "27,394"), (9.996e18, 3, "1×10^19"),
     (2.498e-4, 4, "2.498×10^-4"), (999_999.4, 4, "999,999"), (0.00123456, 3, "0.00123")],
)
def test_numbers_are_written_as_people_write_them(x, digits, text):
    assert formats.number(x, digits) == text


def test_quantities_shares_lists_and_durations_are_written_one_way():
    assert formats.quantity(Q_(125, "t/year")) == "125 t/yr"
    assert formats.quantity(Q_(2920, "kcal/day")) == "2,920 kcal/day"
    assert formats.quantity(Q_(1.5625, "")) == "1.562"
    assert formats.percent(0.2437) == "24%" and formats.percent(0.0039, 2) == "0.39%"
    assert formats.listing(["water", "steam", "gypsum"]) == "water, steam and gypsum"
    assert formats.duration(3) == "3 h" and formats.duration(24 * 319) == "10.5 months"
    with pytest.raises(TypeError, match="q must be a pint Quantity, got 3 of type int"):
        formats.quantity(3)
    # The old names in units are the same functions, not copies.
    assert units.format_number is formats.number and units.format_quantity is formats.quantity
