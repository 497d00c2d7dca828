"""Tests for course_lib.energy: Table 1 as data, conversions, comparisons, checks, charts, questions.

Expected figures are derived here by hand from the printed table and physical constants (4,184 J
per kcal, 3.6 MJ per kWh, 365.25-day years), never copied from the module's own output.
"""

import json
import math
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import vl_convert as vlc
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import charts, data, energy, exercises, formats, start
from course_lib.exercises import evaluate
from course_lib.units import ENERGY_UNITS, Q_

KCAL_J = 4184.0
YEAR_DAYS = 365.25


def printed_to_number(text: str) -> float:
    """'3.7×10^18' -> 3.7e18, '2,500' -> 2500: read the printed value independently of value_kcal."""
    text = text.replace(",", "")
    match = re.fullmatch(r"([\d.]+)×10\^(\d+)", text)
    return float(match[1]) * 10 ** int(match[2]) if match else float(text)


# ---- the dataset --------------------------------------------------------------------------------


def test_all_13_rows_load_with_their_source():
    t = energy.table()
    assert len(t) == 13
    assert set(t["basis"]) == {"seed"}
    assert t["source"].str.contains("Table 1").all()
    assert t.attrs["sources"] and "Wong-Swanson" in t.attrs["sources"][0]["title"]


def test_value_kcal_matches_the_printed_value():
    t = energy.table()
    for printed, kcal in zip(t["value_printed"], t["value_kcal"]):
        assert math.isclose(printed_to_number(printed), kcal, rel_tol=1e-12), printed


def test_printed_anomalies_are_noted_not_fixed():
    t = energy.table().set_index("id")
    assert t.loc["gasoline_litre", "unit_printed"] == "Kcal/day"
    assert t.loc["gasoline_litre", "value_kcal"] == 10_000
    assert "slip" in t.loc["gasoline_litre", "note"].lower()
    assert t.loc["man_30_years", "value_kcal"] == 32e6
    assert "2,500" in t.loc["man_30_years", "note"]


def test_new_datasets_have_honest_basis_and_sources():
    for name in ("energy_reference_values", "energy_then_now"):
        frame = data.load(name)
        assert set(frame["basis"]) <= set(data.BASES)
        assert frame["source"].str.len().min() > 20
        assert set(frame["grade"]) <= {"A", "B"}
        citation = data.cite(name)
        assert f"Dataset '{name}'" in citation and "Sources: " in citation


def test_energy_datasets_validate_as_frictionless_resources():
    """Each energy resource, read from datapackage.json, validates on its own (schema and CSV agree)."""
    frictionless = pytest.importorskip("frictionless")
    folder = data.data_dir()
    resources = {r["name"]: r for r in json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    for name in ("energy_table", "energy_reference_values", "energy_then_now"):
        resource = frictionless.Resource(resources[name], basepath=str(folder))
        report = resource.validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
        assert report.task.stats["rows"] == len(data.load(name))


# ---- units and conversion -----------------------------------------------------------------------


def test_unit_factors_match_hand_conversions():
    f = energy.unit_factors().set_index("unit")
    assert list(f.index) == list(ENERGY_UNITS)
    assert math.isclose(f.loc["kJ", "per_kcal"], 4.184)
    assert math.isclose(f.loc["kWh", "per_kcal"], KCAL_J / 3.6e6)
    assert math.isclose(f.loc["food_day", "kcal"], 2500)
    assert math.isclose(f.loc["toe", "kcal"], 41.868e9 / KCAL_J)


@pytest.mark.parametrize(
    "unit, expected",
    [
        ("MJ", 50e6 * KCAL_J / 1e6),
        ("kWh", 50e6 * KCAL_J / 3.6e6),
        ("GJ", 50e6 * KCAL_J / 1e9),
        ("toe", 50e6 * KCAL_J / 41.868e9),
        ("food_day", 50e6 / 2500),
        ("Lge", 50e6 * KCAL_J / 35.2e6),
    ],
)
def test_aluminium_in_every_course_unit(unit, expected):
    t = energy.convert_table(unit).set_index("id")
    assert math.isclose(t.loc["aluminium", "value"], expected, rel_tol=1e-9)
    assert t.loc["aluminium", "unit"] == unit and t.loc["aluminium", "per"] == "per t"
    assert t.attrs["units"]["value"] == unit


def test_convert_table_says_what_each_row_is_for():
    per = energy.convert_table("kcal").set_index("id")["per"]
    assert per["man_30_years"] == "per 30 years"
    assert per["sun"] == "per day"
    assert per["transatlantic"] == "per passenger trip"


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(min_value=1e-3, max_value=1e20, allow_nan=False), min_size=13, max_size=13),
    first=st.sampled_from(ENERGY_UNITS),
    second=st.sampled_from(ENERGY_UNITS),
)
def test_conversions_round_trip(values, first, second):
    table = energy.table()
    table["value_kcal"] = values
    there = energy.convert_table(second, energy.convert_table(first, table))
    back = energy.convert_table("kcal", there)
    for original, returned in zip(values, back["value"]):
        assert math.isclose(original, returned, rel_tol=1e-9)


def test_convert_table_rejects_bad_units_and_values():
    with pytest.raises(ValueError, match="unit='parsnip' is not a unit the course knows"):
        energy.convert_table("parsnip")
    with pytest.raises(ValueError, match=re.escape("unit='parsec' is a length, but it must be an energy")):
        energy.convert_table("parsec")
    with pytest.raises(ValueError, match=re.escape("unit='kg' is a mass, but it must be an energy")):
        energy.convert_table("kg")
    with pytest.raises(TypeError, match="unit must be a unit name such as 'kg' .text., got 3 of type int"):
        energy.convert_table(3)
    bad = energy.table()
    bad.loc[0, "value_kcal"] = -1.0
    with pytest.raises(ValueError, match=re.escape("negative values in rows ['sun']: energies must be >= 0")):
        energy.convert_table("MJ", bad)
    with pytest.raises(TypeError, match=re.escape("frame must be a table (a pandas DataFrame), got list")):
        energy.convert_table("MJ", [1, 2])
    with pytest.raises(ValueError, match="frame lacks the columns 'id', 'label', .*; it has: 'x'"):
        energy.convert_table("MJ", pd.DataFrame({"x": [1]}))


def test_energy_of_accepts_amounts_in_any_unit_of_the_right_kind():
    assert math.isclose(energy.energy_of("aluminium", Q_(500, "kg")).magnitude, 25e6)
    assert math.isclose(energy.energy_of("man_day", Q_(1, "year")).magnitude, 2500 * YEAR_DAYS)
    assert math.isclose(energy.energy_of("car", 3).magnitude, 96e6)
    assert math.isclose(energy.energy_of("man_30_years").magnitude, 32e6)  # default: the printed 30 years
    assert math.isclose(energy.energy_of("man_30_years", 15).magnitude, 16e6)


# ---- compare ------------------------------------------------------------------------------------


def test_aluminium_against_a_car():
    result = energy.compare("aluminium", "car")
    assert math.isclose(result.ratio, 50 / 32)
    assert result.sentence == "Producing 1 t of aluminium uses the energy of 1.56 cars."
    assert str(result) == result.sentence
    assert math.isclose(result.equivalent_b, 50 / 32)


def test_sun_day_against_world_year_is_about_64():
    expected = 3.7e18 / 58e15
    assert math.isclose(energy.sun_day_vs_world_year(), expected)
    assert round(expected) == 64
    assert "63.8 years" in energy.compare("sun", "world_1974").sentence


def test_compare_follows_amounts_and_converts_periods():
    assert math.isclose(energy.compare("aluminium", "car", Q_(500, "kg")).ratio, 25 / 32)
    assert math.isclose(energy.compare("sun", "world_1974", Q_(1, "year")).ratio, YEAR_DAYS * 3.7e18 / 58e15)
    result = energy.compare("man_30_years", "man_day")
    assert math.isclose(result.equivalent_b, 32e6 / 2500)
    assert result.sentence.endswith("12,800 days.")


def test_compare_with_plain_energies():
    result = energy.compare(Q_(10, "kWh"), "man_day")
    assert math.isclose(result.ratio, 10 * 3.6e6 / KCAL_J / 2500)
    assert result.sentence.startswith("10 kWh is the energy of feeding one person for")
    assert math.isclose(energy.compare("gasoline_litre", Q_(1, "kcal")).ratio, 10_000)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: energy.compare("unobtainium", "car"), ValueError, "a='unobtainium' is not allowed (did you mean 'aluminium'?); choose one of: 'sun', 'world_1974'"),
        (lambda: energy.compare("aluminum", "car"), ValueError, "a='aluminum' is not allowed (did you mean 'aluminium'?)"),
        (lambda: energy.compare("car", "moon"), ValueError, "b='moon' is not allowed"),
        (lambda: energy.compare(3, "car"), TypeError, "a must be a row id of Table 1 (str) or a pint energy, got 3"),
        (lambda: energy.compare("aluminium", "car", 0), ValueError, "amount_a=0 is not allowed: give a number > 0 (t)"),
        (lambda: energy.compare("aluminium", "car", -2), ValueError, "amount_a=-2 is not allowed"),
        (lambda: energy.compare("aluminium", "car", 1, float("nan")), ValueError, "amount_b=nan is not a finite number"),
        (lambda: energy.compare("aluminium", "car", True), TypeError, "amount_a must be a number (in t), got True"),
        (lambda: energy.compare("aluminium", "car", "1 t"), TypeError, "amount_a must be a number (in t), got '1 t' (text)"),
        (lambda: energy.compare("sun", "car", Q_(1, "t")), ValueError, "is a mass, but 'sun' is counted per day"),
        (lambda: energy.compare("car", "sun", Q_(2, "kg")), ValueError, "a plain number"),
        (lambda: energy.compare(Q_(10_000, "kcal/day"), "aluminium"), ValueError, "a=10,000 kcal/day is a power"),
        (lambda: energy.compare(Q_(3, "kg"), "aluminium"), ValueError, "a=3 kg is a mass, not an energy"),
        (lambda: energy.compare(Q_(-3, "kWh"), "aluminium"), ValueError, "a=-3 kWh is not allowed: give an energy > 0"),
        (lambda: energy.compare(Q_(float("inf"), "kWh"), "car"), ValueError, "a=inf kWh is not a finite number"),
        (lambda: energy.compare(Q_([1, 2], "kWh"), "car"), TypeError, "a must be one quantity, got an array of 2"),
        (lambda: energy.compare(Q_(3, "kWh"), "aluminium", 2), ValueError, "amount_a must be None"),
    ],
)
def test_compare_rejects_bad_input(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_the_printed_gasoline_unit_cannot_be_compared_with_an_energy():
    printed = energy.as_printed("gasoline_litre")
    assert printed.dimensionality == Q_(1, "W").dimensionality
    with pytest.raises(ValueError, match="Multiply it by a duration"):
        energy.compare(printed, "aluminium")
    assert energy.as_printed("aluminium") == Q_(50e6, "kcal")


# ---- derived facts, normalisation, checks -------------------------------------------------------


def test_food_over_30_years():
    f = energy.food_over_30_years()
    assert math.isclose(f["from_daily"].magnitude, 2500 * 30 * YEAR_DAYS)
    assert math.isclose(f["implied_daily"].to("kcal/day").magnitude, 32e6 / (30 * YEAR_DAYS))
    assert math.isclose(f["relative_difference"], 32e6 / 27_393_750 - 1)


def test_normalise_per_tonne_day_and_person():
    tonne = energy.normalise("tonne").set_index("id")
    assert math.isclose(tonne.loc["car", "value"], 32e6 / 1.5)
    assert math.isclose(tonne.loc["steel", "value"], 7.5e6)
    assert pd.isna(tonne.loc["sun", "value"]) and tonne.loc["sun", "missing"]

    day = energy.normalise("day", "MJ").set_index("id")
    assert math.isclose(day.loc["world_1974", "value"], 58e15 / YEAR_DAYS * KCAL_J / 1e6)
    assert math.isclose(day.loc["man_30_years", "value"], 32e6 / (30 * YEAR_DAYS) * KCAL_J / 1e6)
    assert pd.isna(day.loc["aluminium", "value"])

    person_day = energy.normalise("person-day").set_index("id")
    assert math.isclose(person_day.loc["world_1974", "value"], 58e15 / 4e9 / YEAR_DAYS)
    assert math.isclose(person_day.loc["food_france", "low"], 45e12 / 53_165_019 / YEAR_DAYS)
    assert math.isclose(person_day.loc["food_france", "high"], 45e12 / 51_732_000 / YEAR_DAYS)
    assert "grade B" in person_day.loc["world_1974", "denominator"]

    person = energy.normalise("person").set_index("id")
    assert math.isclose(person.loc["transatlantic", "value"], 6e6)
    assert pd.isna(person.loc["aluminium", "value"])


def test_normalise_rejects_unknown_denominators_and_units():
    with pytest.raises(ValueError, match="per='week' is not allowed; choose one of: 'tonne', 'day', 'person', 'person-day'"):
        energy.normalise("week")
    with pytest.raises(ValueError, match=re.escape("unit='m**3' is a volume, but it must be an energy")):
        energy.normalise("tonne", "m**3")


def test_inconsistent_rows_are_the_food_pair_and_gasoline():
    rows = energy.inconsistencies()
    assert set(rows["id"]) == {"man_30_years", "man_day", "gasoline_litre"}
    gasoline = rows.set_index("id").loc["gasoline_litre", "problem"]
    assert "/day" in gasoline and "heating value" in gasoline


def test_checks_against_published_figures():
    c = energy.table_checks().set_index("check")
    gas = c.loc["gasoline_heating_value"]
    assert math.isclose(gas["expected_low"], 33.2e6 / KCAL_J, rel_tol=1e-9)  # lower heating value, kcal per litre
    assert math.isclose(gas["expected_high"], 35.2e6 / KCAL_J, rel_tol=1e-9)  # higher heating value
    assert math.isclose(gas["gap"], 10_000 / (35.2e6 / KCAL_J) - 1)
    assert gas["verdict"] == "inconsistent" and "lower to the higher heating value" in gas["explanation"]

    sun = c.loc["sun_power"]
    disc = math.pi * 6_371_008.7714**2
    assert math.isclose(sun["expected_low"], 1360.3 * disc * 86_400 / KCAL_J, rel_tol=1e-9)
    assert sun["verdict"] == "consistent" and 0.03 < sun["gap"] < 0.035

    france = c.loc["france_food_per_person"]
    assert france["verdict"] == "consistent"
    assert math.isclose(france["gap"], 2500 / (45e12 / 51_732_000 / YEAR_DAYS) - 1)
    unclear = energy.table_checks().query("verdict == 'unclear'")
    assert {r for rows in unclear["rows"] for r in rows} >= {"world_1974", "food_france", "car", "man_30_years"}


def test_checks_follow_the_data_and_the_tolerance():
    assert set(energy.inconsistencies(tolerance=0.25)["id"]) == {"gasoline_litre"}  # still the '/day' slip
    fixed = energy.table()
    fixed.loc[fixed["id"] == "man_30_years", "value_kcal"] = 2500 * 30 * YEAR_DAYS
    assert set(energy.inconsistencies(frame=fixed)["id"]) == {"gasoline_litre"}
    with pytest.raises(ValueError, match="tolerance=2 is a share and must lie between 0 and 1"):
        energy.table_checks(2)
    with pytest.raises(TypeError, match="tolerance must be a number, got True"):
        energy.table_checks(True)


# ---- energy and power; the gasoline convention --------------------------------------------------


def test_power_of_divides_a_flow_by_its_period():
    assert math.isclose(energy.power_of("man_day").magnitude, 2500 * KCAL_J / 86_400)
    assert round(energy.power_of("man_day").magnitude) == 121
    assert math.isclose(energy.power_of("man_30_years").to("W").magnitude, 32e6 * KCAL_J / (30 * YEAR_DAYS * 86_400))
    assert math.isclose(energy.power_of("sun", "TW").magnitude, 3.7e18 * KCAL_J / 86_400 / 1e12)
    assert math.isclose(energy.power_of("world_1974", per_person=True).magnitude,
                        58e15 * KCAL_J / 4e9 / (YEAR_DAYS * 86_400))
    assert math.isclose(energy.power_of("man_day", per_person=True).magnitude, energy.power_of("man_day").magnitude)
    assert math.isclose(energy.power_of("man_day", "kcal/day").magnitude, 2500)


def test_the_course_counts_gasoline_at_one_heating_value_everywhere():
    """One convention: the unit Lge, the check of Table 1 and the exercise use the same higher heating
    value; the lower one is stated beside it, and every text quotes the same range."""
    higher, lower = energy.gasoline_heating_value("higher"), energy.gasoline_heating_value("lower")
    assert higher == Q_(1, "Lge") / Q_(1, "L")
    assert math.isclose(lower.to("MJ/L").magnitude, 44.3 * 0.75, rel_tol=0.002)  # IPCC net value x REN21 density
    assert math.isclose(higher.to("MJ/L").magnitude, 47.0 * 0.75, rel_tol=0.002)  # REN21's gross value x density
    units = data.load("energy_units").set_index("unit")
    assert "higher (gross) heating value" in units.loc["litre_gasoline_equivalent", "meaning"]
    assert "33.2 MJ per litre" in units.loc["litre_gasoline_equivalent", "meaning"]
    kcal_range = [f"{round(q.to('kcal/L').magnitude, -2):,.0f}" for q in (lower, higher)]
    assert kcal_range == ["7,900", "8,400"]
    note = energy.table().set_index("id").loc["gasoline_litre", "note"]
    assert "7,900-8,400 kcal per litre" in note
    refs = energy.reference_values().set_index("id")
    assert "REN21 (2014)" in refs.loc["gasoline_heating_value", "source"]
    assert "IPCC (2006)" in refs.loc["gasoline_heating_value", "source"]


def test_world_population_cites_the_united_nations_not_a_newspaper():
    source = energy.reference_values().set_index("id").loc["world_population_1974", "source"]
    assert "Population Division (1999). The World at Six Billion" in source
    assert "Times" not in source and "news" not in source.lower()
    titles = " ".join(s["title"] for s in energy.reference_values().attrs["sources"])
    assert "The World at Six Billion" in titles and "Los Angeles" not in titles


def test_then_and_now():
    t = energy.then_and_now()
    alu = t[t["material"] == "aluminium"]
    assert set(alu["later"]) == {170.0, 218.0}
    assert math.isclose(alu["then"].iloc[0], 50e6 * KCAL_J / 1e9)  # kcal/t -> MJ/kg
    for material in ("paper", "petroleum"):
        row = t[t["material"] == material]
        assert len(row) == 1 and pd.isna(row["later"].item()) and row["status"].item() == "no citable later figure"
    later = t.dropna(subset=["later"])
    assert (later["boundary"] == "cradle-to-gate").all() and later["source"].str.len().min() > 20
    assert (later.loc[later["grade"] == "B", "status"].str.contains("reported by")).all()


# ---- charts -------------------------------------------------------------------------------------


def _texts(spec: dict) -> list[str]:
    svg = vlc.vegalite_to_svg(spec, vl_version=charts._VL_VERSION)
    return re.findall(r"<text[^>]*>([^<]+)</text>", svg)


def test_table_chart_is_offline_and_its_unit_menu_changes_the_chart():
    chart = energy.table_chart()
    spec = charts.check_offline(chart)
    param = spec["params"][0]
    assert param["bind"]["input"] == "select" and param["bind"]["options"] == list(ENERGY_UNITS)
    as_kcal = _texts(spec)
    spec["params"][0]["value"] = "kWh"
    as_kwh = _texts(spec)
    assert "5×10^7 kcal" in as_kcal and "Unit: kilocalories (kcal)" in as_kcal
    # 50e6 kcal = 58,111 kWh, written with three significant digits by the chart itself
    assert "58,100 kWh" in as_kwh and "Unit: kilowatt-hours (kWh)" in as_kwh
    # the log axis moves with the unit: it starts at the power of ten below 2,500 kcal = 2.9 kWh
    assert as_kcal[0] == "10^3" and as_kwh[0] == "10^0"


def test_other_charts_are_titled_sourced_and_offline():
    for chart in (energy.scale_chart(), energy.then_and_now_chart(),
                  energy.comparison_chart(energy.compare("sun", "man_day"), "GJ")):
        spec = charts.check_offline(chart)
        assert str(spec["title"]["subtitle"]).count("Source: de Rosnay (1975), Le Macroscope, Table 1") == 1
    then_now = _texts(energy.then_and_now_chart().to_dict())
    assert then_now.count("no citable later figure") == 2


def test_table_chart_rejects_bad_units():
    with pytest.raises(ValueError, match="start='furlong' is not allowed; choose one of: 'kJ', 'kcal'"):
        energy.table_chart(start="furlong")
    with pytest.raises(ValueError, match="start='MJ' is not allowed; choose one of: 'kcal', 'kWh'$"):
        energy.table_chart(units=["kcal", "kWh"], start="MJ")
    with pytest.raises(ValueError, match="units='kg' is a mass, but it must be an energy"):
        energy.table_chart(units=["kcal", "kg"])


# ---- the comparator widget ----------------------------------------------------------------------


def _sentence(box) -> str:
    return box.result.to_dict()["description"].split(" Bar A")[0]


def test_comparator_defaults_to_aluminium_against_a_car():
    box = energy.comparator()
    assert _sentence(box) == "Producing 1 t of aluminium uses the energy of 1.56 cars."


def test_comparator_follows_its_controls():
    box = energy.comparator()
    box.controls["amount_a"].value = 3
    assert _sentence(box).endswith("4.69 cars.")  # 3 × 50/32 = 4.6875
    box.controls["item_b"].value = "man_day"
    assert box.controls["amount_b"].description == "amount, in days"
    assert "60,000 days" in _sentence(box)  # 3 × 50e6 / 2,500
    box.controls["unit"].value = "GJ"
    spec = box.result.to_dict()
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"  # 60,000 : 1
    assert spec["layer"][0]["encoding"]["x"]["title"] == "energy, GJ (log scale)"
    box.controls["amount_b"].value = 20
    description = box.result.to_dict()["description"]
    assert _sentence(box).endswith("60,000 days.")  # the equivalent in B does not depend on B's amount
    assert description.endswith("ratio A/B = 3,000.")  # 60,000 days / 20 days
    assert "bar B: 0.209 GJ" in description  # 20 × 2,500 kcal × 4,184 J


def test_comparator_rejects_bad_defaults():
    with pytest.raises(ValueError, match="a='moon' is not allowed; choose one of: 'sun'"):
        energy.comparator(a="moon")
    with pytest.raises(ValueError, match="unit='kg' is not allowed; choose one of: 'kJ', 'kcal'"):
        energy.comparator(unit="kg")


# ---- questions ----------------------------------------------------------------------------------
# The default variant (no identity: the committed notebook) is checked against figures derived here by
# hand; other students' variants are checked by tests/test_exercise_families.py.

ENERGY_QUESTIONS = [f"energy.{name}" for name in tomllib.loads(
    (Path(energy.__file__).parent / "questions.toml").read_text(encoding="utf-8"))]
GAP_2000 = 32e6 / (2000 * 30 * YEAR_DAYS) - 1  # the 30-year row against 30 years of 2,000 kcal a day


@pytest.mark.parametrize(
    "question, right, wrong",
    [
        ("energy.material_toe_predict", "c", "a"),  # petroleum: 1.3×10^6 kcal is 0.13 toe, a small share
        ("energy.material_toe_predict", "a small share of a tonne of oil's energy (a hundredth to half a toe)", "d"),
        ("energy.powers_of_ten_chart", "3", "4"),  # cement over a man's day: 880 times, 2.94 powers of ten
        ("energy.powers_of_ten_chart", 3, 2.94),  # a whole number, as asked
        ("energy.per_tonne_cars", 3.5 * 7.5e6 / 32e6, 3.5 * 7.5e6 / (32e6 / 1.5)),  # per tonne taken as per item
        ("energy.food_power_w", 3 * 2000 * KCAL_J / 86_400, 3 * 2000),  # kilocalories written as watts
        ("energy.town_power_mw", 50_000 * 58e15 * KCAL_J / 4e9 / (YEAR_DAYS * 86_400) / 1e6, 50_000 * 2500 * KCAL_J / 86_400 / 1e6),
        ("energy.unit_slip_row", "gasoline_litre", "sun"),
        ("energy.unit_slip_row", "Gasoline (1 L)", "A man's needs (per day)"),
        ("energy.inconsistent_food_row", "food_france", "man_30_years"),  # 2,900 kcal a day: 30 years of it fits
        ("energy.transatlantic_litres", 180 * 6e6 * KCAL_J / 35.2e6, 180 * 6e6 / 10_000),  # the table's own litre is wrong
        ("energy.daily_need_check", f"{100 * GAP_2000:.3g} %", f"{100 * (32e6 / (2500 * 30 * YEAR_DAYS) - 1):.3g} %"),
        ("energy.daily_need_check", 100 * GAP_2000, GAP_2000),  # a share where a percent is asked
    ],
)
def test_questions_accept_the_right_answer_and_reject_a_wrong_one(question, right, wrong):
    assert evaluate(question, right, student=None).correct
    assert not evaluate(question, wrong, student=None).correct
    assert exercises.expected_text(question, None)  # the answer key exists for the default variant


def test_every_energy_question_says_what_kind_of_exercise_it_is():
    kinds = {q: exercises.question(q).kind for q in ENERGY_QUESTIONS}
    assert len(kinds) >= 6 and set(kinds.values()) <= set(exercises.KINDS)
    assert {"transfer", "predict", "misconception", "chart", "reflection", "model"} <= set(kinds.values())
    assert list(kinds.values()).count("recall") <= len(kinds) / 3


def test_the_questions_module_keeps_only_functions_that_compute():
    source = (Path(energy.__file__).parent / "questions.py").read_text(encoding="utf-8")
    assert "_Live" not in source and "register(" not in source and "Question(" not in source


def test_transatlantic_accepts_the_lower_heating_value_and_says_which_is_which():
    lower = 180 * 6e6 * KCAL_J / 33.2e6  # litres at the lower heating value, 33.2 MJ/L
    feedback = evaluate("energy.transatlantic_litres", lower, student=None)
    assert feedback.correct and "lower heating value, 33.2 MJ per litre" in feedback.message
    assert "the course counts the higher one, 35.2 MJ per litre" in feedback.message
    higher = evaluate("energy.transatlantic_litres", f"{180 * 6e6 * KCAL_J / 35.2e6:.0f} L", student=None)
    assert higher.correct and "lower" not in higher.message
    between = evaluate("energy.transatlantic_litres", 180 * 6e6 * KCAL_J / 34.2e6, student=None)  # 3 % off each
    assert not between.correct
    one = evaluate("energy.transatlantic_litres", 6e6 * KCAL_J / 35.2e6, student=None)
    assert not one.correct and "one passenger" in one.message


def test_per_tonne_misconception_is_diagnosed_and_hints_come_one_at_a_time():
    per_item = 3.5 * 7.5e6 / (32e6 / 1.5)  # the ratio per tonne taken as if it compared 3.5 t with one car
    first = evaluate("energy.per_tonne_cars", per_item, student=None, attempt=1)
    assert not first.correct and "as if it compared items" in first.message and first.hints == []
    second = evaluate("energy.per_tonne_cars", per_item, student=None, attempt=2)
    assert len(second.hints) == 1 and "1.5 t" in second.hints[0]


def test_energy_and_power_slips_name_the_misconception():
    day_kcal = 3 * 2000  # the default household: three people, 2,000 kcal each
    for answer, words in [(day_kcal, "watts written where kilocalories per day belong"),
                          (day_kcal * KCAL_J / 3.6e6, "kilowatt-hours, an energy"),
                          (day_kcal * KCAL_J / 1e6, "megajoules, an energy"),
                          (2000 * KCAL_J / 86_400, "one person's food")]:
        feedback = evaluate("energy.food_power_w", answer, student=None)
        assert not feedback.correct and words in feedback.message, (answer, feedback.message)


def test_choice_explanations_name_the_wrong_idea_and_never_the_answer():
    assert "flow" in evaluate("energy.unit_slip_row", "sun", student=None).message
    wrong = evaluate("energy.inconsistent_food_row", "man_30_years", student=None).message
    assert "30 years" in wrong and "France" not in wrong
    toe = evaluate("energy.material_toe_predict", "a", student=None).message
    assert "0.13" not in toe and "Petroleum (1 t)" in toe  # points at the bar to read, not at its value


def test_which_food_rows_disagree_follows_the_daily_need():
    from course_lib.energy import questions
    from course_lib.variants import Variant

    def rows(kcal: str) -> str:
        return questions.inconsistent_food_row(Variant("energy.inconsistent_food_row", None, {"kcal": kcal}))

    # 30 years of the need against 32×10^6 kcal; France's 2,317-2,382 kcal per person per day; 10 % each
    assert [rows(k) for k in ("1800", "2200", "2900")] == ["both", "man_30_years", "food_france"]
    assert 32e6 / (2200 * 30 * YEAR_DAYS) - 1 > 0.10 and abs(2200 / 2317 - 1) < 0.10
    assert abs(32e6 / (2900 * 30 * YEAR_DAYS) - 1) < 0.10 and 2900 / 2382 - 1 > 0.10


def test_predicted_toe_band_follows_the_data(tmp_path, monkeypatch):
    folder = tmp_path / "datasets"
    shutil.copytree(data.data_dir(), folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    table = pd.read_csv(folder / "energy_table.csv", dtype=str, keep_default_na=False)
    table.loc[table["id"] == "petroleum", "value_kcal"] = "25000000"  # more than twice the 10^7 kcal a tonne holds
    table.to_csv(folder / "energy_table.csv", index=False)
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    assert exercises.expected("energy.material_toe_predict", None) == "more"
    assert evaluate("energy.material_toe_predict", "a", student=None).correct


def test_the_reflection_names_the_students_material_and_has_a_rubric():
    question = exercises.question("energy.what_kcal_leaves_out")
    assert question.kind == "reflection" and len(question.rubric) == 3
    assert [r.split(":")[0] for r in question.rubric] == ["Full", "Partial", "Missing"]
    assert "aluminium" in exercises.prompt("energy.what_kcal_leaves_out", None)
    short = evaluate("energy.what_kcal_leaves_out", "It ignores CO2, water, quality, boundary, labour and source.",
                     student=None)
    assert not short.correct and "at least 15 words" in short.message  # a one-line list of themes is not enough
    written = ("A kilocalorie figure hides where the energy comes from, coal or hydro, and the carbon dioxide it "
               "released, and leaves out the water and the ore that were used.")
    feedback = evaluate("energy.what_kcal_leaves_out", written, student=None)
    assert feedback.correct and "model answer" in feedback.message and "boundary" in feedback.message
    assert "aluminium" in feedback.message and "Car of 1.5 t" in feedback.message


# ---- a changed row: every function follows it ----------------------------------------------------


def test_with_value_changes_one_row_and_the_checks_and_marks_follow():
    mine = energy.with_value("man_day", 2000)
    assert energy.energy_of("man_day", frame=mine).magnitude == 2000
    assert energy.energy_of("man_day").magnitude == 2500  # Table 1 itself is unchanged
    gap = energy.table_checks(0.10, mine).set_index("check").loc["food_30_years", "gap"]
    assert math.isclose(gap, GAP_2000, rel_tol=1e-9)
    assert math.isclose(energy.power_of("man_day", frame=mine).magnitude, 2000 * KCAL_J / 86_400)
    marked = {i for i, item in zip(mine["id"], energy.styled_table(mine).data["item"]) if item.startswith("⚠")}
    assert marked == {"food_france", "man_30_years", "man_day", "gasoline_litre"}  # France now fails too
    assert energy.styled_table(mine).uuid != energy.styled_table().uuid  # two tables never share styles


def test_the_printed_table_shows_no_notes_and_no_marks():
    printed = energy.styled_table(notes=False)
    assert "note" not in printed.data.columns
    assert not any(item.startswith("⚠") for item in printed.data["item"])
    assert "marked ⚠" not in printed.caption and "notes" in printed.caption


# ---- bad calls: every message names the argument, repeats the value and says what is allowed -----


def _without(column=None, row=None) -> pd.DataFrame:
    frame = energy.table()
    if column is not None:
        frame = frame.drop(columns=column)
    if row is not None:
        frame = frame[frame["id"] != row]
    return frame


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: energy.energy_of("aluminum"), ValueError,
         "item='aluminum' is not allowed (did you mean 'aluminium'?); choose one of: 'sun', 'world_1974'"),
        (lambda: energy.energy_of("aluminium", Q_(2, "h")), ValueError,
         "amount=2 h is a time, but 'aluminium' is counted per t: give a mass such as Q_(1, 't')"),
        (lambda: energy.energy_of("man_day", Q_(-1, "year")), ValueError, "amount=-1 yr is not allowed: give an amount > 0 (in days)"),
        (lambda: energy.energy_of("car", unit="kg"), ValueError, "unit='kg' is a mass, but it must be an energy"),
        (lambda: energy.energy_of("car", unit="tons"), ValueError, "unit='tons' is ambiguous"),
        (lambda: energy.as_printed(3), TypeError, "item must be one of 'sun', "),
        (lambda: energy.unit_factors("kcal"), TypeError,
         "units must be a list of names such as ['kcal'], not the single string 'kcal'"),
        (lambda: energy.unit_factors([]), ValueError, "units must name at least one item, got an empty list"),
        (lambda: energy.unit_factors(["kcal", 4]), TypeError, "units must contain names (text), got 4 of type int"),
        (lambda: energy.normalise(3), TypeError, "per must be one of 'tonne', 'day', 'person', 'person-day' (text), got 3"),
        (lambda: energy.table_checks("0.1"), TypeError, "tolerance must be a number, got '0.1' (text); write it without quotes"),
        (lambda: energy.inconsistencies(-0.1), ValueError, "tolerance=-0.1 is a share and must lie between 0 and 1"),
        (lambda: energy.table_checks(frame=_without(row="sun")), ValueError,
         "frame lacks the row 'sun' of Table 1 that this calculation needs"),
        (lambda: energy.food_over_30_years(_without(row="man_30_years")), ValueError,
         "frame lacks the row 'man_30_years'"),
        (lambda: energy.then_and_now(_without(column="category")), ValueError,
         "frame lacks the column 'category'; it has: 'id'"),
        (lambda: energy.styled_table(_without(column="note")), ValueError, "frame lacks the column 'note'"),
        (lambda: energy.compare("aluminium", "car", frame=_without(column="verb")), ValueError,
         "frame lacks the column 'verb'"),
        (lambda: energy.scale_chart(pd.DataFrame({"x": [1]})), ValueError, "frame lacks the columns 'id', 'label'"),
        (lambda: energy.comparison_chart("aluminium"), TypeError,
         "result must be a Comparison from energy.compare(...), got 'aluminium' of type str"),
        (lambda: energy.comparison_chart(energy.compare("sun", "car"), "kg"), ValueError,
         "unit='kg' is a mass, but it must be an energy"),
        (lambda: energy.table_chart(units="kcal"), TypeError, "units must be a list of names such as ['kcal']"),
        (lambda: energy.comparator(b="cars"), ValueError, "b='cars' is not allowed (did you mean 'car'?)"),
        (lambda: energy.power_of("car"), ValueError,
         "item='car' has no power: not a flow over time: there is nothing to divide by days. A power is an energy "
         "per unit of time; rows that have one: 'sun', 'world_1974'"),
        (lambda: energy.power_of("aluminum"), ValueError, "item='aluminum' is not allowed (did you mean 'aluminium'?)"),
        (lambda: energy.power_of("man_day", "kWh"), ValueError, "unit='kWh' is an energy, but it must be a power (for example W)"),
        (lambda: energy.power_of("man_day", per_person="yes"), TypeError, "per_person must be True or False, got 'yes'"),
        (lambda: energy.power_of("aluminium", per_person=True), ValueError, "item='aluminium' has no power"),
        (lambda: energy.gasoline_heating_value("net"), ValueError,
         "kind='net' is not allowed; choose one of: 'lower', 'higher'"),
        (lambda: energy.gasoline_heating_value(1), TypeError, "kind must be one of 'lower', 'higher' (text), got 1"),
        (lambda: energy.with_value("man_day", Q_(3, "h")), ValueError, "value=3 h is a time, but it must be an energy"),
        (lambda: energy.with_value("moon", 1), ValueError, "item='moon' is not allowed; choose one of: 'sun'"),
        (lambda: energy.with_value("man_day", -5), ValueError, "value=-5 is not allowed: give a number > 0"),
        (lambda: energy.styled_table(notes="no"), TypeError, "notes must be True or False, got 'no'"),
        (lambda: start.course_map(3), TypeError, "folder must be a folder path (text), got 3 of type int"),
        (lambda: start.course_map("no-such-folder"), ValueError,
         "folder='no-such-folder' is not a folder (working folder: "),
    ],
)
def test_bad_calls_say_what_is_wrong_and_what_is_allowed(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_table_defaults_follow_the_data_folder(tmp_path, monkeypatch):
    """Table 1's metadata and the reference values are cached per data folder, not once per process."""
    folder = tmp_path / "datasets"
    shutil.copytree(data.data_dir(), folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["name"] == "energy_table":
            resource["title"] = "An adapted Table 1"
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    refs = pd.read_csv(folder / "energy_reference_values.csv")
    refs.loc[refs["id"] == "gasoline_heating_value", ["low", "high"]] = [40, 45]  # MJ/L: 9,560-10,760 kcal/L
    refs.to_csv(folder / "energy_reference_values.csv", index=False)

    shipped = energy.table().attrs["title"]
    assert energy.table_checks().set_index("check").loc["gasoline_heating_value", "verdict"] == "inconsistent"
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    bare = energy.table()
    bare.attrs = {}
    assert energy.convert_table("MJ", bare).attrs["title"] == "An adapted Table 1" != shipped
    gas = energy.table_checks().set_index("check").loc["gasoline_heating_value"]
    assert gas["expected_low"] == pytest.approx(40e6 / KCAL_J)
    assert gas["verdict"] == "consistent"  # 10,000 kcal/L now lies inside the (made-up) range
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert energy.table_checks().set_index("check").loc["gasoline_heating_value", "verdict"] == "inconsistent"


# ---- notebook 00 (course_lib.start): the course map and the set-up checks ------------------------


def test_course_map_reads_each_notebooks_front_page(tmp_path):
    course = {"title": "07 · A test", "time": "about 20 minutes", "prerequisites": "none"}
    (tmp_path / "07_test.ipynb").write_text(json.dumps({"cells": [], "metadata": {"course": course}}))
    (tmp_path / "notes.ipynb").write_text("{}")  # not a course notebook: no number in front
    frame = start.course_map(tmp_path)
    assert frame.to_dict("records") == [{"notebook": "07_test", "title": "07 · A test",
                                         "time": "about 20 minutes", "needs": "none"}]
    shipped = start.course_map()
    assert shipped["notebook"].tolist()[:2] == ["00_start_here", "01_energy_tables"]
    assert shipped["time"].str.startswith("about").all()


def test_the_test_chart_describes_the_data_it_draws(tmp_path, monkeypatch):
    spec = start.test_chart().to_dict()
    assert spec["description"] == ("Horizontal bars, longest first: Aluminium 50 million kcal per tonne, Paper 10 "
                                   "million, Steel 7.5 million, Cement 2.2 million, Petroleum 1.3 million.")
    assert spec["title"]["text"] == "Test chart: energy to produce one tonne of 5 materials"
    folder = tmp_path / "datasets"
    shutil.copytree(data.data_dir(), folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    table = pd.read_csv(folder / "energy_table.csv", dtype=str, keep_default_na=False)
    table.loc[table["id"] == "steel", "value_kcal"] = "8000000"
    table.to_csv(folder / "energy_table.csv", index=False)
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    assert "Steel 8 million" in start.test_chart().to_dict()["description"]


def test_environment_names_the_versions_and_the_offline_chart_display():
    lines = start.environment().splitlines()
    assert lines[0].startswith("Python ") and "course_lib " in lines[0] and "altair 5." in lines[0]
    assert lines[1] == "Chart display: course"


def test_who_am_i_remembers_the_student_and_says_so_in_plain_words(tmp_path, monkeypatch, capsys):
    from course_lib import identity

    monkeypatch.chdir(tmp_path)
    for name in (identity.STUDENT_ENV, identity.HUB_ENV):
        monkeypatch.delenv(name, raising=False)
    start.who_am_i(None)
    assert "default numbers" in capsys.readouterr().out and not (tmp_path / identity.STORE).exists()
    start.who_am_i(1234567)  # a student number typed without quotes is kept as text
    assert "'1234567'" in capsys.readouterr().out and identity.current() == "1234567"
    monkeypatch.setenv(identity.HUB_ENV, "hub-user")
    start.who_am_i(None)
    assert "'1234567'" in capsys.readouterr().out  # the name given in notebook 00 wins over the hub's
    monkeypatch.setenv(identity.STUDENT_ENV, "graded")
    start.who_am_i("Alice")
    out = capsys.readouterr().out
    assert "'graded'" in out and "'alice', is stored" in out and "Traceback" not in out
    start.who_am_i(["not", "a", "name"])
    assert capsys.readouterr().out.startswith("Not stored: ['not', 'a', 'name'] is not a name")
