"""course_lib.circular: the steady-state product-system model, its dynamics, charts, explorer, questions.

Closed forms are written out here independently (by hand, with the dataset's defaults of 1,000
products of 15 kg, 5.6 years, 40 % of sold products collected, 100 % of leased ones).
"""

import math
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import charts, circular, exercises
from course_lib.exercises import evaluate
from course_lib.units import Q_

S, M, L, C_SOLD, C_LEASED = 1000, 15, 5.6, 0.4, 1.0
DEMAND = S / L * M / 1000  # t/year entering use: 2.678571...
KCAL_J = 4184.0  # thermochemical kilocalorie, the course's convention


def virgin(lease=0.0, repair=0.0, reuse=0.0, recycle=0.0, y=1.0, phi=0.0, lifetime=L, c_sold=C_SOLD):
    k = lease * C_LEASED + (1 - lease) * c_sold
    return S / lifetime * M / 1000 * (1 - k * (repair + reuse) - k * recycle * y + k * repair * phi)


def test_defaults_come_from_the_dataset():
    d = circular.defaults()
    assert (d["stock"], d["mass"], d["lifetime"], d["collection_sold"], d["collection_leased"]) == (S, M, L, C_SOLD, C_LEASED)
    assert d["lease_share"] == d["repair"] == d["reuse"] == d["recycle"] == 0
    assert d["years"] == 30
    table = circular.parameters().set_index("name")
    assert table.loc["lifetime", "basis"] == "literature" and table.loc["collection_sold", "basis"] == "literature"
    assert table.loc["lifetime", ["low", "high", "step"]].tolist() == [1, 20, 0.1]
    assert table.loc["mass", "unit"] == "kg"


def test_linear_reference_every_product_is_replaced_by_virgin_material():
    r = circular.steady_state().iloc[0]
    assert r["products_leaving"] == pytest.approx(S / L)
    assert r["virgin_t"] == pytest.approx(DEMAND) == pytest.approx(2.678571, rel=1e-6)
    assert r["waste_t"] == pytest.approx(DEMAND)
    assert r["circulating_t"] == 0 and r["circularity"] == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"recycle": 0.8},
        {"lease_share": 1, "repair": 0.2, "reuse": 0.1, "recycle": 0.6},
        {"lease_share": 0.5, "repair": 0.3, "recycle": 0.5, "recycling_yield": 0.7},
        {"lease_share": 1, "repair": 1, "repair_parts": 0.25},
        {"reuse": 0.5, "collection_sold": 0.9, "lifetime": 11.2},
    ],
)
def test_closed_form(kwargs):
    r = circular.steady_state(**kwargs).iloc[0]
    expected = virgin(
        lease=kwargs.get("lease_share", 0), repair=kwargs.get("repair", 0), reuse=kwargs.get("reuse", 0),
        recycle=kwargs.get("recycle", 0), y=kwargs.get("recycling_yield", 1), phi=kwargs.get("repair_parts", 0),
        lifetime=kwargs.get("lifetime", L), c_sold=kwargs.get("collection_sold", C_SOLD),
    )
    assert r["virgin_t"] == pytest.approx(expected)
    assert r["waste_t"] == pytest.approx(expected)  # steady state: what comes in goes out
    assert r["virgin_t"] + r["circulating_t"] == pytest.approx(r["demand_t"])


def test_worked_examples():
    assert circular.steady_state(lease_share=1, repair=0.2, reuse=0.1, recycle=0.6).loc[0, "virgin_t"] == pytest.approx(0.1 * DEMAND)
    assert circular.steady_state(repair=0.2, reuse=0.1, recycle=0.6).loc[0, "virgin_t"] == pytest.approx((1 - 0.4 * 0.9) * DEMAND)
    # Every leased product fully repaired with a quarter of new parts: a quarter of the mass is virgin.
    assert circular.steady_state(lease_share=1, repair=1, repair_parts=0.25).loc[0, "virgin_t"] == pytest.approx(0.25 * DEMAND)


def test_doubling_lifetime_halves_virgin_material_and_waste():
    for kwargs in ({}, {"lease_share": 1, "recycle": 0.5, "reuse": 0.2}):
        effect = circular.lifetime_effect(**kwargs)
        assert effect["lifetime"].tolist() == [pytest.approx(L), pytest.approx(2 * L)]
        assert effect.loc[1, "virgin_t"] == pytest.approx(effect.loc[0, "virgin_t"] / 2)
        assert effect.loc[1, "waste_t"] == pytest.approx(effect.loc[0, "waste_t"] / 2)
        assert effect.loc[1, "change"] == pytest.approx(0.5)
    assert circular.lifetime_effect(3, lifetime=2).loc[1, "virgin_t"] == pytest.approx(S / 6 * M / 1000)
    with pytest.raises(ValueError, match="factor=0 is not allowed: give a number > 0"):
        circular.lifetime_effect(0)


def test_quantities_in_other_units_are_converted():
    a = circular.steady_state(lifetime=Q_(120, "month"), mass=Q_(15000, "g")).iloc[0]
    assert a["lifetime"] == pytest.approx(10)
    assert a["virgin_t"] == pytest.approx(S / 10 * M / 1000)
    with pytest.raises(ValueError, match="lifetime=5 kg is a mass, but it must be a time"):
        circular.steady_state(lifetime=Q_(5, "kg"))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"recycle": 1.2}, ValueError, r"recycle=1.2 is not allowed: give a number between 0 and 1 \(Share of collected products recycled"),
        ({"lease_share": -0.1}, ValueError, r"lease_share=-0.1 is not allowed: give a number between 0 and 1"),
        ({"lifetime": 0}, ValueError, r"lifetime=0 is not allowed: give a number > 0 \(yr\)"),
        ({"lifetime": -3}, ValueError, r"lifetime=-3 is not allowed: give a number > 0"),
        ({"mass": -1}, ValueError, r"mass=-1 is not allowed: give a number >= 0 \(kg\)"),
        ({"stock": math.nan}, ValueError, "stock=nan is not a finite number"),
        ({"stock": math.inf}, ValueError, "stock=inf is not a finite number"),
        ({"mass": "15 kg"}, TypeError, r"mass must be a number \(in kg\), got '15 kg' \(text\)"),
        ({"reuse": True}, TypeError, "reuse must be a number, got True of type True/False"),
        ({"leasing": 1}, ValueError, "'leasing' is not a parameter of the model.*; the parameters are: stock, mass, lifetime, lease_share"),
        ({"repair": 0.5, "reuse": 0.3, "recycle": 0.4}, ValueError, r"repair \+ reuse \+ recycle = 1.2 > 1"),
    ],
)
def test_bad_parameters_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        circular.steady_state(**kwargs)


def test_scenarios():
    table = pd.DataFrame({"scenario": ["sold", "leased", "default"], "lease_share": [0, 1, None], "recycle": [0.8, 0.8, None]})
    out = circular.scenarios(table).set_index("scenario")
    assert out.loc["sold", "virgin_t"] == pytest.approx(virgin(recycle=0.8))
    assert out.loc["leased", "virgin_t"] == pytest.approx(virgin(lease=1, recycle=0.8))
    assert out.loc["default", "virgin_t"] == pytest.approx(DEMAND)  # empty cells keep the defaults
    with pytest.raises(ValueError, match="table has the column 'colour', which is not a parameter; allowed: 'scenario' and stock"):
        circular.scenarios(pd.DataFrame({"colour": [1]}))
    with pytest.raises(TypeError, match=r"table must be a table \(a pandas DataFrame\), got dict"):
        circular.scenarios({"lease_share": 1})


def test_simulation_leased_share_follows_the_closed_form():
    sim = circular.simulate(30, lease_share=1.0, recycle=0.5).set_index("year")
    for t in (0, 1, 5, 17, 30):
        assert sim.loc[t, "leased_in_use"] == pytest.approx(1 - math.exp(-t / L))
    assert sim.loc[-1, "virgin_t"] == pytest.approx(DEMAND)  # before the switch: the old steady state
    # Year t: collected share k(t) = leased(t)·1 + (1 - leased(t))·0.4.
    k5 = sim.loc[5, "leased_in_use"] + (1 - sim.loc[5, "leased_in_use"]) * 0.4
    assert sim.loc[5, "virgin_t"] == pytest.approx(DEMAND * (1 - 0.5 * k5))
    assert (sim["waste_t"] - sim["virgin_t"]).abs().max() < 1e-12


def test_simulation_converges_to_the_new_steady_state():
    policy = {"lease_share": 0.7, "reuse": 0.2, "recycle": 0.5, "lifetime": 8}
    sim = circular.simulate(200, start={"recycle": 0.3}, **policy)
    assert sim.iloc[0]["virgin_t"] == pytest.approx(circular.steady_state(recycle=0.3).loc[0, "virgin_t"])
    assert sim.iloc[-1]["virgin_t"] == pytest.approx(circular.steady_state(**policy).loc[0, "virgin_t"], rel=1e-9)


@pytest.mark.parametrize("kwargs, match", [
    ({"years": 0}, "years=0 is not allowed: give a whole number between 1 and 1000"),
    ({"years": 2.5}, r"years=2.5 must be a whole number \(1, 2, 3, ...\)"),
    ({"before": -1}, "before=-1 is not allowed: give a whole number between 0 and 1000"),
])
def test_simulation_rejects_bad_horizons(kwargs, match):
    with pytest.raises(ValueError, match=match):
        circular.simulate(**kwargs)


def test_simulation_refuses_text_and_lists_where_numbers_and_dicts_belong():
    with pytest.raises(TypeError, match="years must be a number .in yr., got '10' .text.; write it without quotes: 10"):
        circular.simulate(years="10")
    with pytest.raises(TypeError, match=r"start must be a dict of parameter overrides .*got \[1\] of type list"):
        circular.simulate(5, start=[1])


rates = st.floats(0, 1)


@settings(max_examples=80, deadline=None)
@given(
    stock=st.floats(0, 1e6), mass=st.floats(0, 1e3), lifetime=st.floats(0.01, 100), lease=rates,
    c_sold=rates, c_leased=rates, a=rates, b=rates, c=rates, y=rates, phi=rates,
)
def test_mass_is_conserved_whatever_the_parameters(stock, mass, lifetime, lease, c_sold, c_leased, a, b, c, y, phi):
    total = a + b + c
    repair, reuse, recycle = (a / total, b / total, c / total) if total > 1 else (a, b, c)
    repair, reuse, recycle = repair * 0.999999, reuse * 0.999999, recycle * 0.999999
    params = dict(stock=stock, mass=mass, lifetime=lifetime, lease_share=lease, collection_sold=c_sold,
                  collection_leased=c_leased, repair=repair, reuse=reuse, recycle=recycle, recycling_yield=y, repair_parts=phi)
    r = circular.steady_state(**params).iloc[0]
    scale = max(r["demand_t"], 1e-12)
    assert r["virgin_t"] >= -1e-9 * scale
    assert r["virgin_t"] + r["circulating_t"] == pytest.approx(r["demand_t"], rel=1e-9, abs=1e-12)
    assert r["waste_t"] == pytest.approx(r["virgin_t"], rel=1e-9, abs=1e-12)
    assert r["virgin_t"] + r["recycled_t"] + r["returned_t"] == pytest.approx(r["demand_t"], rel=1e-9, abs=1e-12)
    assert 0 <= r["circularity"] <= 1 + 1e-12
    # The closed-form string (the one the browser evaluates) agrees with the model.
    namespace = {**params, "min": min}
    for output in ("virgin_t", "waste_t", "circulating_t", "demand_t"):
        assert eval(circular.formula(output), {"__builtins__": {}}, namespace) == pytest.approx(r[output], rel=1e-9, abs=1e-12)
    # A longer life never needs more virgin material.
    longer = circular.steady_state(**{**params, "lifetime": lifetime * 1.5}).loc[0, "virgin_t"]
    assert longer <= r["virgin_t"] + 1e-12


def test_formula_rejects_unknown_outputs():
    with pytest.raises(ValueError, match="output='energy' is not allowed.*; choose one of: 'circulating_t', 'demand_t', 'k', 'virgin_t', 'waste_t'"):
        circular.formula("energy")


# ---- frameworks ---------------------------------------------------------------------------------


def test_frameworks_table():
    table = circular.frameworks()
    assert table.groupby("framework").size().to_dict() == {
        "Lean thinking": 5, "Service economy: the 4R's": 4, "Natural capitalism": 4, "Cradle to cradle": 4}
    assert set(table.loc[table["framework"] == "Service economy: the 4R's", "item"]) == {"Reuse", "Repair", "Recondition", "Recycle"}
    compare = circular.compare_frameworks()
    assert compare["count"].tolist() == [5, 4, 4, 4]
    assert "Biomimicry" in compare.set_index("framework").loc["Natural capitalism", "items"]


# ---- charts and explorer ------------------------------------------------------------------------


def test_charts_render_offline():
    for chart in (circular.policy_slider_chart(), circular.steady_state_chart(circular.lifetime_effect()),
                  circular.timeline_chart(circular.simulate(10, lease_share=1))):
        spec = charts.check_offline(chart)
        assert len(str(spec)) < 30_000


def _labels(spec, **values):
    """Render the chart with its params set to ``values`` and return the bar labels (t/yr) in the SVG."""
    import vl_convert as vlc

    for p in spec["params"]:
        if p["name"] in values:
            p["value"] = values[p["name"]]
    svg = vlc.vegalite_to_svg(spec, vl_version=charts._VL_VERSION)
    return [float(x) for x in re.findall(r">([\d.]+) t/yr<", svg)]


def test_kernel_free_chart_computes_what_the_model_computes():
    spec = circular.policy_slider_chart().to_dict()
    settings_ = {"lifetime": 8, "lease_share": 0.5, "repair": 0.2, "reuse": 0.1, "recycle": 0.6, "recycling_yield": 0.7}
    labels = _labels(spec, **settings_)
    model = circular.steady_state(**settings_).iloc[0]
    reference = circular.steady_state().iloc[0]
    for value in (model["virgin_t"], model["circulating_t"], reference["virgin_t"]):
        assert any(abs(label - round(value, 3)) < 1e-9 for label in labels), (value, labels)
    # Shares adding to more than 1 are capped in order (repair, reuse, recycle) instead of failing.
    capped = _labels(spec, lease_share=1, repair=0.5, reuse=0.5, recycle=0.5)
    assert 0 in capped  # virgin material = 0: everything goes round


def test_the_kernel_free_chart_has_a_recycling_yield_slider():
    """The 'recycling is free' exercise is checked by lowering the yield: a lossy recycling leaves virgin material."""
    spec = circular.policy_slider_chart().to_dict()
    assert "recycling_yield" in {p["name"] for p in spec["params"]}
    labels = _labels(spec, lease_share=1, recycle=1, recycling_yield=0.7)
    assert any(abs(label - round(0.3 * DEMAND, 3)) < 1e-9 for label in labels), labels


def test_the_timeline_can_be_read_by_hovering_and_names_no_colour():
    sim = circular.simulate(10, lease_share=1)
    spec = circular.timeline_chart(sim).to_dict()
    tooltips = [layer["encoding"].get("tooltip") for layer in spec["layer"] if "encoding" in layer]
    assert any(t and {"year", "flow", "t"} <= {f["field"] for f in t} for t in tooltips)
    for chart in (circular.policy_slider_chart(), circular.timeline_chart(sim), circular.steady_state_chart(circular.lifetime_effect())):
        description = chart.to_dict()["description"]
        assert not re.search(r"\b(orange|blue|grey|gray|green|red)\b", description), description


def test_product_life_explorer_redraws_and_explains_bad_settings():
    box = circular.product_life_explorer()
    assert box.result.to_dict()["title"]["text"] == "Virgin material 2.68 → 2.68 t/yr (+0% after 30 years)"
    slider = box.controls["lifetime"]
    assert (slider.min, slider.max, slider.step, slider.value) == (1, 20, 0.1, L)  # from the parameter table
    for name, value in (("lease_share", 1.0), ("recycle", 0.6), ("repair", 0.2), ("lifetime", 11.2)):
        box.controls[name].value = value
    expected = virgin(lease=1 - math.exp(-30 / 11.2), repair=0.2, recycle=0.6, lifetime=11.2)
    title = box.result.to_dict()["title"]["text"]
    assert f"→ {expected:.3g} t/yr" in title
    box.controls["reuse"].value = 0.5
    assert isinstance(box.result, str) and "cannot exceed 1" in box.result


# ---- questions ----------------------------------------------------------------------------------
# Each exercise is a family: its expected answer is worked out here by hand from the student's own
# numbers (exercises.variant), for the default variant and for two students.

STUDENTS = (None, "alice", "bob")


def _mine(qid, student):
    return exercises.variant(qid, student)


def _ok(qid, answer, student, **kwargs):
    return evaluate(qid, answer, student=student, **kwargs).correct


@pytest.mark.parametrize("student", STUDENTS)
def test_the_leased_system_of_another_product(student):
    v = _mine("circular.virgin_leased_4r", student)
    loops = (v["repair"] + v["reuse"] + v["recycle"]) / 100
    by_hand = v["stock"] / v["lifetime"] * v["mass"] / 1000 * (1 - loops)
    assert _ok("circular.virgin_leased_4r", by_hand, student)
    assert _ok("circular.virgin_leased_4r", Q_(by_hand * 1000, "kg/year"), student)
    sold = evaluate("circular.virgin_leased_4r", v["stock"] / v["lifetime"] * v["mass"] / 1000 * (1 - C_SOLD * loops), student=student)
    assert not sold.correct and "every product sold" in sold.message


@pytest.mark.parametrize("student", STUDENTS)
def test_recycling_that_loses_material(student):
    v = _mine("circular.virgin_recycling_losses", student)
    by_hand = S / v["lifetime"] * M / 1000 * (1 - v["recovered"] / 100)
    assert _ok("circular.virgin_recycling_losses", by_hand, student)
    lossless = evaluate("circular.virgin_recycling_losses", 0.0, student=student)
    assert not lossless.correct and "lossless" in lossless.message


@pytest.mark.parametrize("student", STUDENTS)
def test_repairs_that_need_new_parts(student):
    v = _mine("circular.repair_parts", student)
    by_hand = v["stock"] / v["lifetime"] * v["mass"] * v["repair"] / 100 * v["parts"] / 100  # kg/year
    assert _ok("circular.repair_parts", by_hand, student)
    assert _ok("circular.repair_parts", Q_(by_hand / 1000, "t/year"), student)
    total = v["stock"] / v["lifetime"] * v["mass"] * (1 - v["repair"] / 100 + v["repair"] / 100 * v["parts"] / 100)
    verdict = evaluate("circular.repair_parts", total, student=student)
    assert not verdict.correct and "how much the parts add" in verdict.message


@pytest.mark.parametrize("student", STUDENTS)
def test_the_fall_read_off_the_students_own_chart(student):
    v = _mine("circular.virgin_fall_in_year", student)
    leased = 1 - math.exp(-v["year"] / v["lifetime"])  # simulate's closed form, one step per year
    collected = leased * C_LEASED + (1 - leased) * C_SOLD
    fall = collected * (v["repair"] + v["reuse"] + v["recycle"])  # in %: V(t) = D (1 - k(t) (repair + reuse + recycle))
    assert _ok("circular.virgin_fall_in_year", fall, student)
    left = evaluate("circular.virgin_fall_in_year", 100 - fall, student=student)
    assert not left.correct and "not the fall" in left.message


def _lever_by_hand(v, c_sold=C_SOLD, lifetime=L):
    virgin = {"lease": 1.0, "recycle": 1 - c_sold * v["recycle"] / 100, "longer_life": 1 / v["factor"]}
    return min(virgin, key=virgin.get)


@pytest.mark.parametrize("student", STUDENTS)
def test_the_strongest_lever_depends_on_the_students_numbers(student):
    v = _mine("circular.strongest_lever", student)
    right = _lever_by_hand(v)
    assert exercises.expected("circular.strongest_lever", student) == right
    assert _ok("circular.strongest_lever", right, student)
    lease = evaluate("circular.strongest_lever", "lease", student=student)
    assert not lease.correct and f"{DEMAND:.3g} t/yr" in lease.message  # leasing alone changes nothing


def test_the_right_lever_flips_across_the_students():
    answers = {exercises.expected("circular.strongest_lever", f"student-{i:03d}") for i in range(60)}
    assert answers == {"recycle", "longer_life"}


def test_the_strongest_lever_follows_the_data(tmp_path, monkeypatch):
    """If sold products were nearly all collected, recycling would win more often: the answer is computed."""
    copy = _adapted(tmp_path, "collection_sold,Share of sold products collected at end of use,0.4,",
                    "collection_sold,Share of sold products collected at end of use,0.95,")
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    for i in range(30):
        student = f"student-{i:03d}"
        assert exercises.expected("circular.strongest_lever", student) == _lever_by_hand(_mine("circular.strongest_lever", student), 0.95)
    assert "only 95 % of sold televisions are collected" in evaluate("circular.strongest_lever", "recycle").message


@pytest.mark.parametrize("student", STUDENTS)
def test_percent_and_percentage_points_are_told_apart(student):
    v = _mine("circular.collection_rise", student)
    old, new = v["old"], v["new"]
    claimed = {"points": new - old, "relative": (new - old) / old * 100, "times": new / old * 100}[v["says"]]
    assert f"rose by {claimed:.3g} %" in exercises.prompt("circular.collection_rise", student)
    assert _ok("circular.collection_rise", v["says"], student)
    impossible = evaluate("circular.collection_rise", "impossible", student=student)
    assert not impossible.correct and "far more than 100 %" in impossible.message
    points = evaluate("circular.collection_rise", "points", student=student)
    assert f"{new - old:.3g} percentage points" in points.message


def test_the_reading_of_the_report_flips_across_the_students():
    answers = {exercises.expected("circular.collection_rise", f"student-{i:03d}") for i in range(30)}
    assert answers == {"points", "relative", "times"}


@pytest.mark.parametrize("student", STUDENTS)
def test_recycle_everything_or_repair_part(student):
    v = _mine("circular.recycling_is_free", student)
    lost_recycling, lost_repair = 1 - v["recovered"] / 100, 1 - v["repair"] / 100
    right = "same" if math.isclose(lost_recycling, lost_repair) else ("recycling" if lost_recycling < lost_repair else "repair")
    assert _ok("circular.recycling_is_free", right, student)
    closed = evaluate("circular.recycling_is_free", "zero", student=student)
    assert not closed.correct and "energy" in closed.message and "virgin material" in closed.message


def test_the_recycling_yield_comes_from_the_eu_target():
    from course_lib import data

    assert circular.reference_figures()["weee_screens_recycling_target"].to("percent").magnitude == pytest.approx(70)
    table = data.load("circular_reference_figures").set_index("id")
    assert table.loc["weee_screens_recycling_target", "basis"] == "literature"
    assert "2012/19/EU" in table.loc["weee_screens_recycling_target", "source"]


def test_the_reflection_names_the_students_own_can_and_shows_a_model_answer():
    assert not evaluate("circular.lean_or_cradle", "recycling").correct
    answer = "Cradle to cradle, because the energy is in the metal and lean only shortens the waiting time of the can."
    for student in STUDENTS:
        v = _mine("circular.lean_or_cradle", student)
        per_can = v["can_mass"] / 1e6 / (1 - v["scrap"] / 100) * 50e6 * KCAL_J / 1e6  # MJ
        assert f"{per_can:.3g} MJ" in exercises.prompt("circular.lean_or_cradle", student)
        verdict = evaluate("circular.lean_or_cradle", answer, student=student)
        assert verdict.correct and "technical nutrient" in verdict.message and f"{per_can:.3g} MJ" in verdict.message
    assert len(exercises.question("circular.lean_or_cradle").rubric) >= 3


def test_every_circular_question_says_what_kind_of_exercise_it_is():
    ids = [q for q in exercises.questions() if q.startswith("circular.")]
    assert len(ids) == 8
    kinds = {exercises.question(q).kind for q in ids}
    assert kinds == {"predict", "transfer", "misconception", "chart", "reflection", "model"}
    assert exercises.question("circular.repair_parts").kind == "model"


def test_the_predictions_get_no_formula_in_their_hints():
    for qid in ("circular.strongest_lever", "circular.virgin_recycling_losses"):
        for hint in exercises.question(qid).hints:
            assert not any(sign in hint for sign in ("=", "×", " / ")), hint


def test_exercise_scenario_comes_from_the_dataset():
    assert circular.exercise_scenario() == {"repair": 0.2, "reuse": 0.1, "recycle": 0.6}


@pytest.mark.parametrize("build", [
    circular.policy_slider_chart,
    lambda: circular.steady_state_chart(circular.lifetime_effect()),
    lambda: circular.timeline_chart(circular.simulate(20, lease_share=1, recycle=0.5)),
])
def test_charts_draw_with_vega_lite_5(build):
    """vl-convert runs the same Vega-Lite 5 as JupyterLab: a spec it cannot draw would be a blank box."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(build().to_dict(), vl_version=charts._VL_VERSION)
    assert svg.startswith("<svg") and "tonnes per year" in svg  # the axis title every one of them has


# ---- bad calls: every message names the argument, the bad value and what is allowed --------------


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: circular.steady_state(recycle=40), ValueError, "recycle=40 looks like a percent: write 40 % as 0.4"),
        (lambda: circular.steady_state(recycle=Q_(2, "kg")), ValueError, r"recycle=2 kg is a mass, but it must be a pure number \(no unit\)"),
        (lambda: circular.steady_state(recylce=0.5), ValueError, r"'recylce' is not a parameter of the model \(did you mean 'recycle'\?\)"),
        (lambda: circular.check_parameters(stock=-5), ValueError, "stock=-5 is not allowed: give a number >= 0"),
        (lambda: circular.lifetime_effect("2"), TypeError, r"factor must be a number, got '2' \(text\); write it without quotes: 2"),
        (lambda: circular.lifetime_effect(-1), ValueError, "factor=-1 is not allowed: give a number > 0"),
        (lambda: circular.lifetime_effect(2, lifetime=0), ValueError, "lifetime=0 is not allowed: give a number > 0"),
        (lambda: circular.scenarios(pd.DataFrame(columns=["scenario", "lease_share"])), ValueError, "table has no rows"),
        (lambda: circular.scenarios(pd.DataFrame({"scenario": ["a"], "recycle": ["half"]})), TypeError,
         "recycle must be a number, got 'half' \\(text\\)"),
        (lambda: circular.scenarios(pd.DataFrame({"scenario": ["a"], "recyle": [0.5]})), ValueError,
         r"table has the column 'recyle', which is not a parameter \(did you mean 'recycle'\?\)"),
        (lambda: circular.simulate(years=True), TypeError, "years must be a number .in yr., got True of type True/False"),
        (lambda: circular.simulate(5, before=1.5), ValueError, r"before=1.5 must be a whole number"),
        (lambda: circular.simulate(5, start={"leasing": 1}), ValueError, "'leasing' is not a parameter of the model"),
        (lambda: circular.simulate(5, recycle=0.7, reuse=0.7), ValueError, r"repair \+ reuse \+ recycle = 1.4 > 1"),
        (lambda: circular.formula(3), TypeError, "output must be one of 'circulating_t', .* got 3 of type int"),
        (lambda: circular.steady_state_chart([1]), TypeError, r"table must be a table \(a pandas DataFrame\), got list"),
        (lambda: circular.steady_state_chart(pd.DataFrame({"scenario": ["a"]})), ValueError,
         "table lacks the columns 'virgin_t', 'waste_t', 'circulating_t'; it has: 'scenario'"),
        (lambda: circular.timeline_chart(circular.simulate(5).iloc[0:0]), ValueError, r"sim has no rows: pass a table made by simulate\(\)"),
        (lambda: circular.timeline_chart(circular.simulate(5), title=5), TypeError, "title must be text, got 5"),
        (lambda: circular.product_life_explorer(lifetime=-1), ValueError, "lifetime=-1 is not allowed: give a number > 0"),
    ],
)
def test_bad_calls_are_explained(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_shares_may_be_percent_quantities():
    a = circular.steady_state(collection_sold=Q_(40, "percent"), recycle=Q_(50, "percent")).iloc[0]
    assert a["collection_sold"] == pytest.approx(0.4) and a["recycle"] == pytest.approx(0.5)
    assert a["virgin_t"] == pytest.approx(virgin(recycle=0.5))


def _adapted(tmp_path, old, new):
    """A copy of the datasets with one line of circular_product_parameters.csv changed."""
    import shutil

    from course_lib import data

    copy = tmp_path / "datasets"
    shutil.copytree(data.data_dir(), copy)
    csv = copy / "circular_product_parameters.csv"
    text = csv.read_text(encoding="utf-8")
    assert text.count(old) == 1
    csv.write_text(text.replace(old, new), encoding="utf-8")
    return copy


def test_switching_the_data_folder_switches_the_defaults(tmp_path, monkeypatch):
    copy = _adapted(tmp_path, "lifetime,Service life of one use cycle,5.6,year,", "lifetime,Service life of one use cycle,8,year,")
    assert circular.defaults()["lifetime"] == L
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    assert circular.defaults()["lifetime"] == 8
    assert circular.steady_state().loc[0, "virgin_t"] == pytest.approx(S / 8 * M / 1000)
    assert "instead of 8 yr" in exercises.prompt("circular.strongest_lever", None)  # the longer life starts from the data's
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert circular.defaults()["lifetime"] == L
    assert circular.steady_state().loc[0, "virgin_t"] == pytest.approx(DEMAND)


def test_an_adapted_default_in_another_unit_is_converted(tmp_path, monkeypatch):
    copy = _adapted(tmp_path, "mass,Mass of one television,15,kg,", "mass,Mass of one television,15000,g,")
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    assert circular.defaults()["mass"] == pytest.approx(15)


def test_a_bad_adapted_default_names_the_dataset_row(tmp_path, monkeypatch):
    copy = _adapted(tmp_path, "collection_sold,Share of sold products collected at end of use,0.4,",
                    "collection_sold,Share of sold products collected at end of use,40,")
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    with pytest.raises(ValueError, match="circular_product_parameters.collection_sold.value=40.0 looks like a percent"):
        circular.defaults()


def test_odd_cells_and_horizons_are_refused_with_a_message():
    with pytest.raises(TypeError, match=r"recycle must be a number, got \[0.5\] of type list"):
        circular.scenarios(pd.DataFrame({"scenario": ["a"], "recycle": [[0.5]]}))
    with pytest.raises(ValueError, match="years=100000 is not allowed: give a whole number between 1 and 1000"):
        circular.simulate(100_000)


def test_a_start_outside_the_slider_range_widens_the_slider():
    box = circular.product_life_explorer(lifetime=40)
    assert box.controls["lifetime"].value == 40 and box.controls["lifetime"].max == 40
    assert box.result.to_dict()["title"]["text"].startswith(f"Virgin material {S / 40 * M / 1000:.3g} → ")
