"""course_lib.economics: money as quantities x prices, payback and NPV by hand, units, the verdict's sensitivity, bad input."""

import json
import math
import re

import pandas as pd
import pytest

from course_lib import data, economics, exercises, symbiosis, variants, zeri
from course_lib.exercises import evaluate, expected, variant
from course_lib.units import Q_

# ---- payback and NPV, computed by hand -----------------------------------------------------------


def test_npv_of_a_two_year_project_by_hand():
    # -1000 + 600/1.1 + 600/1.1**2 = -1000 + 545.4545 + 495.8678
    assert economics.npv(1000, 600, 0.1, 2) == pytest.approx(41.3223, abs=1e-4)
    assert economics.annuity_factor(0.1, 2) == pytest.approx(1 / 1.1 + 1 / 1.21)


def test_npv_with_a_zero_rate_is_plain_addition_and_a_losing_project_is_negative():
    assert economics.npv(1000, 300, 0, 3) == pytest.approx(-100.0)
    assert economics.annuity_factor(0, 7) == 7.0
    assert economics.npv(5000, 100, 0.05, 10) < 0


def test_annuity_factor_matches_the_sum_of_discount_factors():
    by_hand = sum(1.06 ** -t for t in range(1, 16))
    assert economics.annuity_factor(0.06, 15) == pytest.approx(by_hand, rel=1e-12)
    assert economics.annuity_factor(0.06, 15) == pytest.approx(9.7122, abs=1e-4)


def test_simple_and_discounted_payback_by_hand():
    assert economics.simple_payback(1000, 400) == 2.5
    assert economics.simple_payback(1000, 0) == math.inf and economics.simple_payback(0, 10) == 0.0
    # Discounted: after year 1, -1000 + 545.45 = -454.55; year 2 adds 495.87: crosses at 1 + 454.55/495.87.
    assert economics.discounted_payback(1000, 600, 0.1, 2) == pytest.approx(1 + 454.5455 / 495.8678, rel=1e-6)
    assert economics.discounted_payback(1000, 100, 0.1, 5) == math.inf


def test_cash_flows_end_at_the_npv():
    flows = economics.cash_flows(1000, 600, 0.1, 2)
    assert flows["year"].tolist() == [0, 1, 2]
    assert flows["cash_flow"].tolist() == [-1000, 600, 600]
    assert flows["cumulative"].tolist() == [-1000, -400, 200]
    assert flows["cumulative_present_value"].iloc[-1] == pytest.approx(economics.npv(1000, 600, 0.1, 2))


# ---- quantities x prices, with units -------------------------------------------------------------


def _price(name, value, unit, quantity, role="price", currency="EUR"):
    return {"name": name, "label": name, "value": value, "unit": unit, "role": role, "quantity": quantity,
            "beneficiary": "someone", "currency": currency}


def test_yearly_lines_convert_units_with_pint():
    q = pd.DataFrame({"quantity": ["grain", "water", "gas"], "value": [2e6, 5000.0, 3600.0],
                      "unit": ["kg/year", "hL/year", "MJ/year"]})
    p = pd.DataFrame([_price("grain_price", 50, "1/t", "grain"),       # 2,000 t x 50 EUR/t = 100,000
                      _price("water_price", 2, "1/m**3", "water"),     # 500 m3 x 2 EUR/m3 = 1,000
                      _price("gas_price", 0.1, "1/kWh", "gas"),        # 1,000 kWh x 0.1 = 100
                      _price("staff", 30000, "1/year", "", role="fixed_cost")])
    lines = economics.yearly_lines(q, p).set_index("line")
    assert lines.loc["grain_price", "value"] == pytest.approx(100000)
    assert lines.loc["water_price", "value"] == pytest.approx(1000)
    assert lines.loc["gas_price", "value"] == pytest.approx(100)
    assert lines.loc["staff", "value"] == pytest.approx(-30000)
    assert lines.loc["grain_price", "amount"] == "2,000 t/yr" and lines.loc["grain_price", "price"] == "50 EUR/t"


def test_a_cost_row_is_negative_and_a_monthly_fixed_cost_is_counted_twelve_times():
    q = pd.DataFrame({"quantity": ["straw"], "value": [10.0], "unit": ["t/year"]})
    p = pd.DataFrame([_price("straw_cost", 60, "1/t", "straw", role="cost"),
                      _price("rent", 100, "1/month", "", role="fixed_cost")])
    lines = economics.yearly_lines(q, p).set_index("line")
    assert lines.loc["straw_cost", "value"] == pytest.approx(-600)
    assert lines.loc["rent", "value"] == pytest.approx(-1200)


def test_zeri_lines_are_the_cascade_outcomes_times_the_table_prices():
    table = data.parameters("economics_prices")
    beer = float(table.loc["zeri_beer_hl_per_year", "value"])
    outcomes = zeri.outcomes(zeri.run_cascade(beer)).set_index("outcome")["value"]
    lines = economics.appraise("zeri").lines.set_index("line")["value"]
    assert lines["zeri_mushroom_price"] == pytest.approx(outcomes["mushrooms"] * table.loc["zeri_mushroom_price", "value"])
    assert lines["zeri_fish_price"] == pytest.approx(outcomes["fish"] * table.loc["zeri_fish_price", "value"])
    assert lines["zeri_methane_price"] == pytest.approx(outcomes["methane_energy"] * table.loc["zeri_methane_price", "value"])


def test_kalundborg_lines_are_the_articles_figures_times_the_table_prices():
    table = data.parameters("economics_prices")
    figures = symbiosis.outcomes().set_index("id")["value"]
    lines = economics.appraise("kalundborg").lines
    gypsum = lines[(lines["line"] == "kalundborg_natural_gypsum_price")]["value"].item()
    assert gypsum == pytest.approx(figures["gypsum_received"] * table.loc["kalundborg_natural_gypsum_price", "value"])
    landfill = lines[lines["line"] == "kalundborg_landfill_cost"].set_index("quantity")["value"]
    assert landfill["ash_used"] == pytest.approx(figures["ash_used"] * table.loc["kalundborg_landfill_cost", "value"])
    # by default the gypsum and the ash would be sold elsewhere: no landfill is avoided on them
    assert table.loc["kalundborg_landfill_cost", "value"] == 0 and (landfill == 0).all()
    scenario = economics.scenario("landfill")
    assert scenario == {"kalundborg_landfill_cost": 50.0}
    landfilled = economics.appraise("kalundborg", **scenario).lines
    landfilled = landfilled[landfilled["line"] == "kalundborg_landfill_cost"].set_index("quantity")["value"]
    assert landfilled["gypsum_received"] == pytest.approx(200_000 * 50) and landfilled["ash_used"] == pytest.approx(80_000 * 50)


def test_appraisal_npv_and_payback_follow_the_formulas():
    a = economics.appraise("zeri")
    assert a.yearly_net == pytest.approx(a.revenue - a.costs)
    assert a.npv == pytest.approx(-a.investment + a.yearly_net * economics.annuity_factor(a.rate, a.years))
    assert a.payback == pytest.approx(a.investment / a.yearly_net)
    assert a.pays == (a.npv > 0)
    assert economics.by_beneficiary(a)["value"].sum() == pytest.approx(a.yearly_net)


def test_prices_may_be_given_as_quantities_in_other_units():
    per_kg = economics.appraise("zeri", zeri_fish_price=3).npv
    per_g = economics.appraise("zeri", zeri_fish_price=Q_(0.003, "1/g")).npv
    assert per_g == pytest.approx(per_kg)
    assert economics.appraise("zeri", zeri_beer_hl_per_year=Q_(1e7, "L/year")).values["zeri_beer_hl_per_year"] == pytest.approx(1e5)


def test_a_price_changes_the_npv_by_quantity_times_annuity():
    a = economics.appraise("zeri")
    b = economics.appraise("zeri", zeri_mushroom_price=a.values["zeri_mushroom_price"] + 1)
    mushrooms = economics.zeri_quantities(a.values["zeri_beer_hl_per_year"]).set_index("quantity").loc["mushrooms", "value"]
    assert b.npv - a.npv == pytest.approx(mushrooms * economics.annuity_factor(a.rate, a.years))


def test_half_the_beer_halves_the_products_but_not_the_fixed_costs():
    a = economics.appraise("zeri")
    half = economics.appraise("zeri", zeri_beer_hl_per_year=a.values["zeri_beer_hl_per_year"] / 2)
    assert half.revenue == pytest.approx(a.revenue / 2)
    fixed = -a.lines.loc[a.lines["quantity"] == "", "value"].sum()
    assert half.yearly_net == pytest.approx((a.yearly_net + fixed) / 2 - fixed)


def test_break_even_makes_the_npv_zero_and_matches_the_sensitivity_table():
    value = economics.break_even("zeri", "zeri_operating_cost")
    assert economics.appraise("zeri", zeri_operating_cost=value).npv == pytest.approx(0, abs=1e-3)
    table = economics.sensitivity("zeri").set_index("parameter")
    assert table.loc["zeri_operating_cost", "break_even"] == pytest.approx(value)
    for name, row in table.iterrows():
        if not math.isnan(row["break_even"]):
            assert row["flips"] == (row["low"] <= row["break_even"] <= row["high"]), name


def test_sensitivity_moves_one_parameter_at_a_time():
    table = economics.sensitivity("kalundborg").set_index("parameter")
    row = table.loc["kalundborg_landfill_cost"]
    assert row["npv_low"] == pytest.approx(economics.appraise("kalundborg", kalundborg_landfill_cost=row["low"]).npv)
    assert table["swing"].is_monotonic_decreasing
    assert "kalundborg_investment" in table.index and "dkk_per_eur" not in table.index


def test_currency_conversion_uses_the_fixed_erm_rate():
    rate = data.parameters("economics_prices").loc["dkk_per_eur", "value"]
    assert economics.convert_currency(rate, "DKK") == pytest.approx(1.0)
    assert economics.convert_currency(2, "EUR", to="DKK") == pytest.approx(2 * rate)


def test_the_slider_chart_computes_the_same_npv_in_the_browser():
    vl_convert = pytest.importorskip("vl_convert")
    spec = economics.npv_slider_chart("zeri").to_dict()
    moved = {"zeri_operating_cost": 300000, "zeri_beer_hl_per_year": 50000, "discount_rate": 0.1, "zeri_lifetime": 10}
    for param in spec["params"]:
        param["value"] = moved.get(param["name"], param["value"])
    svg = vl_convert.vegalite_to_svg(spec, vl_version="5.20")
    shown = re.search(r"after 10 years: ([−\-\d,]+) EUR", svg).group(1).replace("−", "-").replace(",", "")
    expected = economics.appraise("zeri", **moved).npv
    assert float(shown) == pytest.approx(expected, abs=1)
    assert (expected > 0) == ("(it pays)" in svg)


# ---- the datasets --------------------------------------------------------------------------------


def test_no_money_figure_is_marked_seed_and_every_assumption_has_a_range():
    table = data.parameters("economics_prices")
    assert not (table["basis"] == "seed").any()
    money = table[table["role"].isin(["price", "cost", "fixed_cost", "investment"])]
    assumed = money[money["basis"] == "assumption"]
    assert (assumed["low"] < assumed["high"]).all()
    assert money["source"].str.contains("range|Range").all()


def test_threads_biomimicry_and_cases_are_the_articles():
    threads = economics.threads()
    assert sorted(threads.groupby("thread").size().tolist()) == [3, 3, 3]
    assert economics.biomimicry()["model"].tolist()[-1] == "a redwood forest"
    cases = economics.course_cases()
    assert (cases["basis"] == "seed").all() and set(cases["thread"]) == set(economics.THREADS)


def test_the_hp_cartridge_saves_no_virgin_material_for_cartridges_and_leasing_saves_most():
    circular = pytest.importorskip("course_lib.circular")
    table = economics.cartridge_scenarios()
    virgin = circular.scenarios(table.drop(columns=["label"])).set_index("scenario")["virgin_t"]
    assert virgin["hp_recycling"] == pytest.approx(virgin["linear"])
    assert virgin["service_economy"] < virgin["cradle_to_cradle"] < virgin["hp_recycling"]


# ---- questions: each student's own numbers, answers from the model ------------------------------------


def test_questions_have_data_computed_answers_and_name_misconceptions():
    assert evaluate("economics.hp_cradle", "recycling", student=None).correct
    wrong = evaluate("economics.hp_cradle", "service_economy", student=None)
    assert not wrong.correct and "Free postage is not a lease" in wrong.message
    # the default numbers: a cascade of 175,000 EUR a year of running costs at 5 % loses more than half its NPV at 10 %
    assert expected("economics.rate_doubles", None) == "more_than_half"
    assert evaluate("economics.rate_doubles", "it falls by more than half, but stays positive", student=None).correct
    assert expected("economics.brewery_size", None) == "never"  # 65,000 hL cannot carry 280,000 EUR of running costs
    assert expected("economics.payback_vs_npv", None) == "not_here"       # 8.5 years' payback, 15 years at 9 %
    assert expected("economics.biggest_line", None) == "fuel_oil"         # oil at 415 EUR/t beats landfill at 35 EUR/t
    assert evaluate("economics.biggest_line", "fuel oil not burnt", student=None).correct


def test_the_fish_exercise_is_the_models_fish_times_the_students_price():
    for student in (None, "alice", "bob"):
        v = variant("economics.fish_revenue", student)
        fish_kg = zeri.outcomes(zeri.run_cascade(v["beer"])).set_index("outcome").loc["fish", "value"]
        by_hand = fish_kg * v["fish_price"]
        assert evaluate("economics.fish_revenue", by_hand, student=student).correct
        assert evaluate("economics.fish_revenue", f"{by_hand:,.0f}", student=student).correct  # typed with a thousands comma
    table = data.parameters("economics_prices")
    v = variant("economics.fish_revenue", None)
    at_default_price = zeri.outcomes(zeri.run_cascade(v["beer"])).set_index("outcome").loc["fish", "value"] * table.loc["zeri_fish_price", "value"]
    verdict = evaluate("economics.fish_revenue", at_default_price, student=None)
    assert not verdict.correct and "default fish price" in verdict.message  # the slip is named


def test_the_kalundborg_npv_is_the_three_steps_of_the_exercise():
    table = data.parameters("economics_prices")
    default_fee = table.loc["kalundborg_landfill_cost", "value"]
    base = economics.appraise("kalundborg")
    landfill = base.lines.loc[base.lines["line"] == "kalundborg_landfill_cost", "value"].sum()
    # the two landfill lines are the article's gypsum and ash tonnes at the default fee
    tonnes = symbiosis.outcomes().set_index("id").loc[["gypsum_received", "ash_used"], "value"].sum()
    assert landfill == pytest.approx(tonnes * default_fee)
    for student in (None, "alice", "bob"):
        v = variant("economics.kalundborg_npv", student)
        net = base.yearly_net + tonnes * (v["fee"] - default_fee)
        by_hand = -v["investment"] + net * economics.annuity_factor(base.rate, base.years)
        assert evaluate("economics.kalundborg_npv", by_hand, student=student).correct
    assert not evaluate("economics.kalundborg_npv", base.npv, student=None).correct  # the text's own NPV


def test_the_new_exchange_raises_the_npv_by_its_money_times_the_annuity_factor():
    base = economics.appraise("kalundborg")
    for student in (None, "alice", "bob"):
        v = variant("economics.municipal_gypsum", student)
        by_hand = v["tonnes"] * (v["gypsum_price"] + v["fee"]) * economics.annuity_factor(base.rate, base.years)
        assert expected("economics.municipal_gypsum", student).magnitude == pytest.approx(by_hand, rel=1e-9)
    one_year = evaluate("economics.municipal_gypsum", v["tonnes"] * (v["gypsum_price"] + v["fee"]), student="bob")
    assert not one_year.correct and "one year's money" in one_year.message


def test_the_break_even_exercise_is_economics_break_even_for_each_student():
    for student in (None, "alice", "bob"):
        v = variant("economics.opex_break_even", student)
        limit = economics.break_even("zeri", "zeri_operating_cost", zeri_beer_hl_per_year=v["beer"],
                                     zeri_investment=v["investment"], discount_rate=v["rate"] / 100)
        assert evaluate("economics.opex_break_even", limit, student=student).correct
        assert economics.appraise("zeri", zeri_beer_hl_per_year=v["beer"], zeri_investment=v["investment"],
                                  discount_rate=v["rate"] / 100, zeri_operating_cost=limit).npv == pytest.approx(0, abs=1e-2)


def test_every_grid_point_keeps_the_exercises_well_posed():
    """Over each family's whole grid: the NPV is positive before the rate doubles, some number always
    flips the student's own tornado chart, and no two 'who gains' lines tie for the largest."""
    rates, opex = (variants.parameters("economics.rate_doubles")[i].values for i in (0, 1))
    for rate in rates:
        for cost in opex:
            assert economics.appraise("zeri", discount_rate=rate / 100, zeri_operating_cost=cost).npv > 0, (rate, cost)
    beers, costs = (variants.parameters("economics.deciding_price")[i].values for i in (0, 1))
    for beer in beers[::9]:
        for cost in costs[::8]:
            table = economics.sensitivity("zeri", zeri_beer_hl_per_year=beer, zeri_operating_cost=cost)
            assert table["flips"].any(), (beer, cost)
    fees, oils, gypsums = (variants.parameters("economics.biggest_line")[i].values for i in range(3))
    for fee in fees:
        for oil in oils:
            for gypsum in gypsums:
                lines = sorted([fee * 200000, oil * 20000, gypsum * 200000])
                assert lines[-1] != lines[-2], (fee, oil, gypsum)


def test_a_payback_within_the_life_does_not_decide_the_npv():
    answers = {expected("economics.payback_vs_npv", f"s{i}") for i in range(40)}
    assert answers == {"pays_here", "not_here"}
    for student in ("alice", "bob"):
        v = variant("economics.payback_vs_npv", student)
        assert v["payback"] < v["life"]
        factor = economics.annuity_factor(v["rate"] / 100, int(v["life"]))
        assert expected("economics.payback_vs_npv", student) == ("pays_here" if factor > v["payback"] else "not_here")


def test_the_price_sheet_writes_the_price_table_for_reading():
    table = economics.price_table("zeri").set_index("short")
    sheet = economics.price_sheet("zeri")
    assert list(sheet.index) == list(table.index)
    assert sheet.loc["fish", "unit"] == "EUR/kg" and sheet.loc["running costs", "unit"] == "EUR/yr"
    assert sheet.loc["investment", "unit"] == "EUR" and sheet.loc["discount rate", "unit"] == "share a year"
    # every number written reads back as the table's number (millions in words)
    for column, source in (("default", "value"), ("low", "low"), ("high", "high")):
        for short, text in sheet[column].items():
            number, _, word = text.partition(" ")
            value = float(number.replace(",", "")) * (1e6 if word == "million" else 1)
            assert value == pytest.approx(float(table.loc[short, source]), rel=1e-3), (short, column, text)


def test_the_thread_exercise_is_answered_with_a_list_of_ids():
    assert variant("economics.sort_threads", None)["thread"] == "local"
    local = [case for case in economics.SORTING_CASES if economics.thread_sorting([case])[case] == "local"]
    assert sorted(local) == ["kalundborg_novogro", "kalundborg_tisso"]
    assert evaluate("economics.sort_threads", local, student=None).correct
    assert evaluate("economics.sort_threads", "kalundborg_tisso, kalundborg_novogro", student=None).correct
    extra = evaluate("economics.sort_threads", local + ["tv_lease"], student=None)
    assert not extra.correct and "1 that does not belong" in extra.message
    assert "0 of 2 right, 2 missing" in evaluate("economics.sort_threads", [], student=None).message
    # another student, another thread: the answer follows it
    for student in ("alice", "carol", "dave"):
        thread = variant("economics.sort_threads", student)["thread"]
        assert expected("economics.sort_threads", student) == [c for c in economics.SORTING_CASES
                                                              if economics.thread_sorting([c])[c] == thread]


def test_placeholders_are_not_attempts_and_hints_come_one_attempt_at_a_time():
    assert not evaluate("economics.opex_break_even", None, student=None).attempted
    wrong = 2 * expected("economics.opex_break_even", None).magnitude
    first = evaluate("economics.opex_break_even", wrong, student=None, attempt=1)
    second = evaluate("economics.opex_break_even", wrong, student=None, attempt=2)
    assert first.hints == [] and len(second.hints) == 1
    assert "annuity factor" in second.hints[0]


def test_the_reflection_names_the_students_numbers_and_is_checked_with_a_three_line_rubric():
    question = exercises.question("economics.does_it_pay")
    assert question.kind == "reflection"
    assert [line.split(":")[0] for line in question.rubric] == ["Full", "Partial", "Missing"]
    assert all("[for whom]" in line and "[claim]" in line for line in question.rubric)
    short = evaluate("economics.does_it_pay", "It pays.", student=None)
    assert not short.correct and "at least 15 words" in short.message
    answer = ("It pays for the power station, which avoids landfill, more than for Gyproc; but every price is an "
              "assumption, and the running costs decide whether the ZERI cascade pays.")
    full = evaluate("economics.does_it_pay", answer, student="alice")
    assert full.correct and "Jacobsen" in full.message
    v = variant("economics.does_it_pay", "alice")
    mine = economics.appraise("zeri", zeri_beer_hl_per_year=v["beer"], zeri_operating_cost=v["opex"])
    assert economics.money(mine.npv) in full.message            # the model answer gives the student's own NPV
    assert exercises.prompt("economics.does_it_pay", "alice") != exercises.prompt("economics.does_it_pay", "bob")


def test_no_chart_description_or_tooltip_gives_an_exercise_away():
    table = economics.sensitivity("zeri")
    spec = economics.sensitivity_chart(table).to_dict()
    assert "break-even" not in json.dumps(spec)                            # the break-even exercise's answer
    described = spec["description"].split("widest first")[1]
    for short in table.loc[table["flips"], "short"]:                       # which bars flip: read off the chart
        assert f"{short} (can flip" not in described and f"{short}, " not in described
    lines = economics.lines_chart(economics.appraise("kalundborg")).to_dict()
    assert "landfill avoided" not in lines["description"]                  # which line is largest: read off the chart


def test_capstone_review_says_what_is_missing():
    sheet = economics.capstone_template()
    sheet["energy"] = {"answer": "One can takes this much energy to make, from Table 1 and its mass.", "figure": "0.87 kWh",
                       "source": "energy_table (de Rosnay 1975)"}
    sheet["local_partner"] = {"answer": "A scrap dealer two streets away could take the cans", "figure": "", "source": ""}
    review = economics.review_capstone(sheet).set_index("lens")
    assert review.loc["energy", "status"] == "complete"
    assert review.loc["local_partner", "status"] == "complete"   # no figure asked for this lens
    assert review.loc["value_stream", "status"] == "missing"
    assert int(economics.capstone_rubric()["points"].sum()) == 2 * (len(economics.LENSES) + 1)


# ---- bad input: clear errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: economics.appraise("zeri", zeri_mushroom_price=-3), ValueError,
         r"zeri_mushroom_price=-3 is not allowed: give a number >= 0"),
        (lambda: economics.appraise("zeri", discount_rate=6), ValueError,
         r"discount_rate=6 looks like a percent: write 6 % as 0.06"),
        (lambda: economics.npv(1000, 100, 0.8, 10), ValueError,
         r"rate=0.8 is not allowed: give a number between 0 and 0.5 \(Real discount rate"),
        (lambda: economics.npv(1000, 100, -0.01, 10), ValueError, r"rate=-0.01 is not allowed: give a number between 0 and 0.5"),
        (lambda: economics.npv(1000, 100, 0.05, 2.5), ValueError, r"years=2.5 must be a whole number"),
        (lambda: economics.npv(-1000, 100, 0.05, 10), ValueError, r"investment=-1000 is not allowed: give a number >= 0"),
        (lambda: economics.npv(1000, "100", 0.05, 10), TypeError, r"yearly_net must be a number, got '100' \(text\)"),
        (lambda: economics.appraise("zeri", zeri_fihs_price=3), ValueError,
         r"'zeri_fihs_price' is not a parameter of case 'zeri' \(did you mean 'zeri_fish_price'\?\)"),
        (lambda: economics.appraise("zery"), ValueError, r"case='zery' is not allowed \(did you mean 'zeri'\?\)"),
        (lambda: economics.appraise("zeri", zeri_lifetime=0), ValueError, r"zeri_lifetime=0 is not allowed: give a whole number between 1 and 100 \(yr\)"),
        (lambda: economics.appraise("zeri", zeri_fish_price=Q_(3, "kg")), ValueError,
         r"zeri_fish_price=3 kg is a mass, but it must be"),
        (lambda: economics.appraise("zeri", zeri_beer_hl_per_year=0), ValueError, r"zeri_beer_hl_per_year=0 is not allowed: give a number >= 1 \(hL/yr\)"),
        (lambda: economics.sensitivity("zeri", roles="price"), TypeError, r"roles must be a list of names such as \['price'\]"),
        (lambda: economics.break_even("zeri", "discount_rate"), ValueError, r"parameter='discount_rate' has role 'rate'"),
        (lambda: economics.convert_currency(1, "USD"), ValueError, r"currency='USD' is not allowed; choose one of: 'EUR', 'DKK'"),
        (lambda: economics.kalundborg_quantities(["reservoir_capacity"]), ValueError,
         r"'reservoir_capacity', which the article does not give per year"),
        (lambda: economics.zeri_quantities(-1), ValueError, r"beer_hl_per_year=-1 is not allowed"),
        (lambda: economics.by_beneficiary("zeri"), TypeError, r"appraisal must be an Appraisal made by economics.appraise"),
        (lambda: economics.review_capstone({"energi": ""}), ValueError, r"answers has the lens 'energi' \(did you mean 'energy'\?\)"),
        (lambda: economics.course_cases("natur"), ValueError, r"thread='natur' is not allowed \(did you mean 'nature'\?\)"),
        (lambda: economics.price_sheet("kalundborgg"), ValueError,
         r"case='kalundborgg' is not allowed \(did you mean 'kalundborg'\?\); choose one of: 'kalundborg', 'zeri'"),
    ],
)
def test_bad_calls_say_what_is_wrong(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_quantity_without_a_price_and_a_price_on_the_wrong_unit_are_refused():
    q = pd.DataFrame({"quantity": ["water", "steam"], "value": [2e6, 100.0], "unit": ["m**3/year", "t/year"]})
    p = pd.DataFrame([_price("water_price", 0.5, "1/m**3", "water")])
    with pytest.raises(ValueError, match=r"the quantity 'steam' has no price: add a price row whose quantity column names 'steam'"):
        economics.yearly_lines(q, p)
    with pytest.raises(ValueError, match=r"water_price is a price per m³, but the quantity 'water' is .* t/yr \(a mass per time"):
        economics.yearly_lines(q.iloc[:1].assign(unit="t/year"), p)
    with pytest.raises(ValueError, match=r"steam_price prices the quantity 'stam', which is not among the quantities \(steam and water\)"):
        economics.yearly_lines(q, pd.concat([p, pd.DataFrame([_price("steam_price", 1, "1/t", "stam")])]))
    with pytest.raises(ValueError, match=r"prices mix the currencies DKK and EUR: convert them to one first"):
        economics.yearly_lines(q, pd.concat([p, pd.DataFrame([_price("steam_price", 1, "1/t", "steam", currency="DKK")])]))
    with pytest.raises(ValueError, match=r"water_price=-0.5 is not allowed: give a number >= 0"):
        economics.yearly_lines(q.iloc[:1], p.assign(value=-0.5))
    with pytest.raises(ValueError, match=r"quantities lacks the column 'unit'"):
        economics.appraise("zeri", quantities=q.drop(columns=["unit"]))


def _by_hand(case_prices: dict, landfill_fee: float) -> tuple[float, float]:
    """Kalundborg's yearly net, payback and NPV written out line by line, with a loop over the years."""
    figures = symbiosis.outcomes().set_index("id")["value"]
    p = case_prices
    net = (figures["groundwater_saved"] * p["kalundborg_groundwater_price"]
           + figures["surface_water_saved"] * p["kalundborg_surface_water_price"]
           + figures["oil_saved"] * (p["kalundborg_fuel_oil_price"] - p["kalundborg_steam_fuel_cost"])
           + figures["gypsum_received"] * (p["kalundborg_natural_gypsum_price"] + landfill_fee)
           + figures["ash_used"] * (p["kalundborg_ash_value"] + landfill_fee)
           - p["kalundborg_operating_cost"])
    investment, rate, years = p["kalundborg_investment"], p["discount_rate"], int(p["kalundborg_lifetime"])
    npv = -investment + sum(net / (1 + rate) ** year for year in range(1, years + 1))
    return investment / net, npv


@pytest.mark.parametrize("scenario", [None, "landfill"])
def test_kalundborg_payback_and_npv_recomputed_by_hand(scenario):
    """The default (gypsum and ash sold elsewhere) and the landfill scenario, every line written out."""
    table = data.parameters("economics_prices")["value"]
    prices = {**table.to_dict(), **(economics.scenario(scenario) if scenario else {})}
    fee = prices["kalundborg_landfill_cost"]
    payback, npv = _by_hand(prices, fee)
    a = economics.appraise("kalundborg", **(economics.scenario(scenario) if scenario else {}))
    assert a.payback == pytest.approx(payback, rel=1e-12) and a.npv == pytest.approx(npv, rel=1e-9)
    if scenario is None:   # 6.3 million EUR a year for 50 million: about 8 years, a small positive NPV
        assert fee == 0 and 7 < payback < 9 and 0 < npv < 0.5 * a.investment
    else:                  # 280,000 t a year at 50 EUR/t more: payback about 2.5 years
        assert fee == 50 and 2 < payback < 3 and npv > 3 * a.investment


def test_every_money_row_states_its_currency_year_and_a_real_rate():
    table = economics.price_table()
    money = table[table["role"].isin(["price", "cost", "fixed_cost", "investment"])]
    assert len(money) > 10
    assert (money["currency_year"] == 2024).all() and (money["rate_basis"] == "real").all()
    rate = table.set_index("name").loc["discount_rate"]
    assert rate["rate_basis"] == "real" and rate["label"].startswith("Real discount rate")
    assert "kalundborg_replacement_water_cost" not in set(table["name"])  # the water is costed once, in running costs and investment


def test_joint_uncertainty_finds_what_one_at_a_time_misses():
    """In the landfill scenario no single number flips Kalundborg's verdict, but a few together do."""
    landfill = economics.scenario("landfill")
    one_at_a_time = economics.sensitivity("kalundborg", **landfill)
    assert not one_at_a_time["flips"].any()
    found = economics.flipping_combination("kalundborg", **landfill)
    assert found is not None and found["size"] >= 2 and found["npv"] < 0
    moved = economics.appraise("kalundborg", **(landfill | found["values"]))
    assert moved.npv == pytest.approx(found["npv"]) and not moved.pays
    for name, value in found["values"].items():   # every moved number stays within its own range
        row = economics.price_table("kalundborg").set_index("name").loc[name]
        assert row["low"] <= value <= row["high"]
    joint = economics.joint_sensitivity("kalundborg", samples=60, **landfill)
    assert 0 < joint.attrs["share_positive"] <= 1


def test_the_investment_row_annualises_tisso_with_the_capital_recovery_factor():
    """The source of kalundborg_investment spreads Tissø II's DKK 90 million with the CRF, not by dividing by the years."""
    source = economics.price_table().set_index("name").loc["kalundborg_investment", "source"]
    crf = economics.capital_recovery_factor(0.06, 20)
    yearly = economics.convert_currency(90e6, "DKK") * crf
    assert f"({crf:.4f})" in source
    assert f"about {yearly / 1e6:.2f} million EUR a year" in source and f"{yearly / 1.6e6:.2f} EUR per m³" in source
    assert crf > 1 / 20   # discounting makes the yearly charge larger than the undiscounted 1/20
