"""course_lib.units: the course's pint registry, its calorie convention and its converters."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import data
from course_lib.checks import unit as check_unit
from course_lib.units import ENERGY_UNITS, Q_, convert, quantity, ureg


def test_the_course_kcal_is_the_thermochemical_kilocalorie():
    assert Q_(1, "kcal").to("J").magnitude == pytest.approx(4184, abs=1e-9)


def test_toe_uses_the_international_calorie():
    # IEA: 1 toe = 10^7 kcal(IT) = 41.868 GJ, i.e. 10,006,692 thermochemical kcal.
    assert Q_(1, "toe").to("GJ").magnitude == pytest.approx(41.868)
    assert Q_(1, "toe").to("kcal").magnitude == pytest.approx(41.868e9 / 4184)
    assert Q_(1, "toe").to("kcal").magnitude == pytest.approx(1e7 * 4.1868 / 4.184)


def test_course_units_match_their_dataset():
    defined = data.load("energy_units").set_index("unit")
    for unit, row in defined.iterrows():
        assert Q_(1, unit).to(row["value_unit"]).magnitude == pytest.approx(row["value"])
    assert Q_(1, "food_day").to("kcal").magnitude == pytest.approx(2500)
    assert Q_(1, "Lge").to("MJ").magnitude == pytest.approx(35.2)
    # A litre of gasoline holds about 8,400 kcal (HHV): less than Table 1's printed 10,000.
    assert 8000 < Q_(1, "Lge").to("kcal").magnitude < 8500


def test_every_selector_unit_is_an_energy():
    for unit in ENERGY_UNITS:
        assert check_unit(unit).dimensionality == ureg.joule.dimensionality, unit


def test_table_1_aluminium_in_megajoules_per_kilogram():
    # 50e6 kcal per tonne = 209.2 MJ/kg (reference-facts: "the seed's 50e6 kcal/t = 209 MJ/kg").
    assert (Q_(50e6, "kcal") / Q_(1, "t")).to("MJ/kg").magnitude == pytest.approx(209.2)


def test_unknown_unit_names_the_argument_and_the_value():
    with pytest.raises(ValueError, match=r"to='kcl' is not a unit the course knows"):
        convert(1, "kcal", to="kcl")
    with pytest.raises(ValueError, match=r"unit='furlongs_of_joy'"):
        check_unit("furlongs_of_joy")
    with pytest.raises(TypeError, match="unit must be a unit name"):
        check_unit(4)


def test_convert_refuses_different_dimensions():
    with pytest.raises(ValueError, match="cannot convert 1 t to to='MJ'"):
        convert(1, "t", to="MJ")


def test_convert_needs_exactly_one_way_to_know_the_unit():
    with pytest.raises(ValueError, match="from_unit is required"):
        convert(1, to="MJ")
    with pytest.raises(ValueError, match="from_unit must be None"):
        convert(Q_(1, "kcal"), "kcal", to="MJ")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_quantity_rejects_non_finite_values(bad):
    with pytest.raises(ValueError, match="is not a finite number"):
        quantity(bad, "kcal")


@pytest.mark.parametrize("bad", ["12", None, True])
def test_quantity_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="value must be a number"):
        quantity(bad, "kcal")




@given(
    value=st.floats(min_value=1e-6, max_value=1e20, allow_nan=False),
    a=st.sampled_from(ENERGY_UNITS),
    b=st.sampled_from(ENERGY_UNITS),
)
def test_converting_there_and_back_returns_the_value(value, a, b):
    back = convert(convert(value, a, to=b), to=a)
    assert back.magnitude == pytest.approx(value, rel=1e-12)
