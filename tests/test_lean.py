"""course_lib.lean: value-added ratios, the cola can's material and energy, charts, explorer, questions.

Expected figures are worked out here by hand from the article's numbers (319 days, 3 hours,
24 % scrap, 2 t alumina per t aluminium, Table 1's 50×10^6 kcal per tonne), not copied from
the functions under test.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import charts, data, lean
from course_lib import _judge, exercises
from course_lib.exercises import evaluate
from course_lib.units import Q_
from tests import seed_passages as seed

KCAL_J = 4184.0  # thermochemical kilocalorie, the course's convention


def stream(lead, va, unit="h"):
    frame = pd.DataFrame({"step": [f"s{i}" for i in range(len(lead))], "lead_time": lead, "value_added_time": va})
    frame.attrs["units"] = {"lead_time": unit, "value_added_time": unit}
    return frame


# ---- the data as printed ----------------------------------------------------------------------


def test_cola_stream_is_the_articles_steps_with_no_invented_times():
    steps = lean.cola_stream()
    assert steps["step_id"].tolist()[0] == "bauxite_mine" and steps["step_id"].tolist()[-1] == "grocery_shelf"
    assert {"chemical_mill", "smelter", "rolling_mill"} <= set(steps["step_id"])
    assert steps["order"].tolist() == list(range(1, 10))
    # The article prints no time for any single step: every per-step time stays empty.
    assert steps["lead_time"].isna().all() and steps["value_added_time"].isna().all()
    # Every step the article names is seed; the gap between rolling mill and shelf is the course's
    # inference, marked as an assumption whose source gives the reasoning.
    basis = steps.set_index("step_id")["basis"]
    assert basis.drop("not_described").eq("seed").all()
    assert basis["not_described"] == "assumption"
    assert "inference" in steps.set_index("step_id").loc["not_described", "source"]


def test_five_steps_quote_the_article_word_for_word():
    text = data.load("lean_five_steps").set_index("step_no")["text"]
    # The article's passages (tests/seed_passages.toml, checked against the article where it is).
    printed = [seed.normalised(p) for p in seed.quoted("lean.five_steps")]
    for step_no, quoted in text.items():
        assert any(seed.normalised(quoted) in p for p in printed), f"step {step_no} is not the article's wording"


def test_cola_figures_are_the_printed_ones():
    f = lean.cola_figures()
    assert f["lead_time"] == Q_(319, "day")
    assert f["value_added_time"] == Q_(3, "h")
    assert f["scrap_share"].to("dimensionless").magnitude == pytest.approx(0.24)
    assert f["alumina_per_aluminium"].to("dimensionless").magnitude == 2
    assert f["thickness_in"].to("mm").magnitude == pytest.approx(1000)
    assert f["thickness_out"].to("mm").magnitude == pytest.approx(3)
    # Real can sheet is about a tenth of the article's 3 mm: a cited row, the article's figure kept as printed.
    assert f["can_sheet_thickness"].to("mm").magnitude == pytest.approx(0.3)
    table = data.load("lean_cola_figures").set_index("id")
    assert table.loc["bauxite_per_alumina", "basis"] == "literature"
    assert table.loc["can_mass", "basis"] == "assumption"


# ---- value-added ratio ------------------------------------------------------------------------


def test_the_cola_can_ratio_is_3_hours_in_319_days():
    s = lean.cola_summary().iloc[0]
    assert s["lead_time_h"] == 319 * 24 == 7656
    assert s["waiting_time_h"] == 7653
    assert s["ratio"] == pytest.approx(3 / 7656)
    assert s["ratio_percent"] == pytest.approx(0.0391849, rel=1e-5)
    assert f"{s['ratio_percent']:.3f}" == "0.039"
    assert s["steps_without_times"] == 9


def test_value_added_ratio_accepts_mixed_units():
    assert lean.value_added_ratio(Q_(30, "min"), Q_(2, "h")) == pytest.approx(0.25)
    assert lean.value_added_ratio(Q_(1, "day"), Q_(1, "week")) == pytest.approx(1 / 7)
    assert lean.value_added_ratio(2, 8) == pytest.approx(0.25)  # bare numbers are hours
    assert lean.value_added_ratio(Q_(0, "h"), Q_(5, "h")) == 0


@pytest.mark.parametrize(
    "va, lt, match",
    [
        (Q_(5, "h"), Q_(4, "h"), "longer than"),
        (Q_(-1, "h"), Q_(4, "h"), "value_added=-1 h is not allowed: give >= 0 h"),
        (Q_(1, "h"), Q_(0, "h"), "lead=0"),
        (Q_(1, "kg"), Q_(4, "h"), r"value_added=1 kg is a mass, but it must be a time \(for example in h\)"),
        (1, math.inf, "lead=inf is not a finite number"),
        (1, float("nan"), "lead=nan is not a finite number"),
    ],
)
def test_value_added_ratio_rejects_bad_times(va, lt, match):
    with pytest.raises(ValueError, match=match):
        lean.value_added_ratio(va, lt)


def test_value_added_ratio_rejects_non_numbers():
    with pytest.raises(TypeError, match=r"value_added must be a number \(in h\), got '3 h' \(text\)"):
        lean.value_added_ratio("3 h", Q_(1, "day"))
    with pytest.raises(TypeError, match="lead must be a number .*got True"):
        lean.value_added_ratio(1, True)


def test_totals_of_a_stream_use_its_units():
    s = stream([60, 120, 30], [10, 0, 20], unit="min")
    assert lean.lead_time(s) == Q_(3.5, "h")
    assert lean.value_added_time(s) == Q_(0.5, "h")
    summary = lean.summarize(s).iloc[0]
    assert summary["ratio"] == pytest.approx(30 / 210)
    assert summary["waiting_time_h"] == pytest.approx(3.0)
    # An explicit time_unit wins over attrs.
    assert lean.lead_time(s, time_unit="day") == Q_(210 * 24, "h")


def test_a_stream_without_units_is_read_in_hours():
    s = pd.DataFrame({"step": ["a", "b"], "lead_time": [1.5, 2.5], "value_added_time": [0.5, 0]})
    assert lean.lead_time(s).magnitude == 4.0


@pytest.mark.parametrize(
    "frame, error, match",
    [
        (stream([1, -2], [0, 0]), ValueError, "step 's1': lead_time=-2"),
        (stream([1, 2], [0, -1]), ValueError, "value_added_time=-1"),
        (stream([1, 2], [0, 3]), ValueError, "step 's1': value_added_time 3 h is longer than its lead_time 2 h"),
        (stream([1, math.inf], [0, 0]), ValueError, "finite"),
        (pd.DataFrame({"step": ["a"], "lead_time": [1]}), ValueError, r"stream lacks the column 'value_added_time'.*see parse_value_stream"),
        (pd.DataFrame({"step": ["a"], "lead_time": ["long"], "value_added_time": [0]}), ValueError, "must hold numbers; step 'a' has 'long'"),
        (pd.DataFrame(columns=["step", "lead_time", "value_added_time"]), ValueError, "no rows"),
        ([1, 2, 3], TypeError, r"stream must be a table \(a pandas DataFrame\), got list"),
    ],
)
def test_bad_streams_are_refused_with_the_step_named(frame, error, match):
    with pytest.raises(error, match=match):
        lean.check_stream(frame)


def test_bad_time_unit():
    with pytest.raises(ValueError, match=r"time_unit='kg' is a mass, but it must be a time"):
        lean.lead_time(stream([1], [0]), time_unit="kg")
    with pytest.raises(ValueError, match="time_unit='fortnights-ish' is not a unit the course knows"):
        lean.lead_time(stream([1], [0]), time_unit="fortnights-ish")


def test_empty_times_are_named_when_a_total_is_asked():
    with pytest.raises(ValueError, match=r"lead_time is empty for step\(s\) \['bauxite_mine'"):
        lean.lead_time(lean.cola_stream().assign(step=lean.cola_stream()["step_id"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e4), st.floats(0, 1)), min_size=1, max_size=12))
def test_ratio_is_between_0_and_1_and_lead_time_is_the_sum(pairs):
    lead = [lt for lt, _ in pairs]
    va = [lt * share for lt, share in pairs]  # value-adding time never exceeds the step's lead time
    s = stream(lead, va)
    total = lean.lead_time(s).magnitude
    assert total == pytest.approx(sum(lead))
    if total > 0:
        r = lean.summarize(s).loc[0, "ratio"]
        assert 0 <= r <= 1
        assert r == pytest.approx(sum(va) / sum(lead), abs=1e-12)


# ---- your own value stream ---------------------------------------------------------------------


def test_parse_and_review():
    t = pd.DataFrame({"step": ["order", "bake"], "lead_time": float("nan"), "value_added_time": float("nan")})
    t.attrs["units"] = {"lead_time": "day", "value_added_time": "day"}
    assert "Fill in both times for: order, bake" in lean.review_value_stream(t)
    t["lead_time"] = [2, 1]
    t["value_added_time"] = [0, 0.5]
    text = lean.review_value_stream(t)
    assert "Value-added ratio: 16.7 %" in text  # 0.5 day of 3 days
    assert "Most waiting: 'order'" in text
    parsed = lean.parse_value_stream("# comment\nwheat, field, 2000, 500\n\nbake, 3, 1  # oven", "h")
    assert parsed["step"].tolist() == ["wheat, field", "bake"]  # commas inside a step name survive
    assert lean.lead_time(parsed).magnitude == 2003


@pytest.mark.parametrize(
    "text, match",
    [("bake, 3", "must read 'step, lead time, value-adding time'"), ("bake, three, 1", "must be numbers"),
     ("# only a comment", "no step"), ("bake, 1, 3", "longer than")],
)
def test_parse_value_stream_errors(text, match):
    with pytest.raises(ValueError, match=match):
        lean.parse_value_stream(text)


# ---- material and energy ------------------------------------------------------------------------


def test_back_calculation_from_the_shelf_to_the_mine():
    flow = lean.back_calculate().set_index("stage")["mass_t"]
    aluminium = 1 / (1 - 0.24)  # cans are the 76 % of smelter output that is not scrap
    assert flow["cans on the shelves"] == 1
    assert flow["aluminium from the smelter"] == pytest.approx(1.315789, rel=1e-6) == pytest.approx(aluminium)
    assert flow["scrap"] == pytest.approx(0.24 * aluminium)
    assert flow["scrap"] + flow["cans on the shelves"] == pytest.approx(flow["aluminium from the smelter"])
    assert flow["alumina to the smelter"] == pytest.approx(2 * aluminium) == pytest.approx(2.631579, rel=1e-6)
    assert flow["bauxite mined"] == pytest.approx(2.34 * 2 * aluminium)


def test_back_calculation_with_other_inputs_and_units():
    flow = lean.back_calculate(Q_(500, "kg"), scrap_share=0, alumina_per_aluminium=1.889, bauxite_per_alumina=3).set_index("stage")
    assert flow.loc["aluminium from the smelter", "mass_t"] == pytest.approx(0.5)
    assert flow.loc["alumina to the smelter", "mass_t"] == pytest.approx(0.9445)
    assert flow.loc["bauxite mined", "mass_t"] == pytest.approx(2.8335)
    assert flow.loc["bauxite mined", "basis"] == "your input"


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"scrap_share": 1}, ValueError, "scrap_share=1 means no can ever reaches the shelf"),
        ({"scrap_share": 24}, ValueError, r"scrap_share=24 is a share and must lie between 0 and 1: write 24 % as 0.24"),
        ({"scrap_share": -0.1}, ValueError, "scrap_share=-0.1 is a share"),
        ({"alumina_per_aluminium": 0}, ValueError, "alumina_per_aluminium=0 is not allowed: give a number > 0"),
        ({"bauxite_per_alumina": "2"}, TypeError, "bauxite_per_alumina must be a number.*got '2' \\(text\\); write it without quotes: 2"),
        ({"cans": Q_(1, "h")}, ValueError, r"cans=1 h is a time, but it must be a mass \(for example in t\)"),
        ({"cans": -1}, ValueError, "cans=-1 is not allowed: give a number >= 0"),
    ],
)
def test_back_calculation_rejects_bad_inputs(kwargs, error, match):
    with pytest.raises(error, match=match):
        lean.back_calculate(**kwargs)


def test_smelter_output_is_the_back_calculations_row():
    assert lean.smelter_output().to("t").magnitude == pytest.approx(1 / 0.76)
    assert lean.smelter_output(Q_(250, "t"), scrap_share=Q_(20, "percent")).to("t").magnitude == pytest.approx(312.5)
    with pytest.raises(ValueError, match="scrap_share=1 means no can ever reaches the shelf"):
        lean.smelter_output(scrap_share=1)


def test_metal_energy_uses_table_1():
    assert lean.metal_energy(Q_(1, "t"), "kcal").magnitude == pytest.approx(50e6)
    assert lean.metal_energy(Q_(500, "kg"), "GJ").magnitude == pytest.approx(25e6 * KCAL_J / 1e9)
    assert lean.metal_energy(2, "kWh").magnitude == pytest.approx(100e6 * KCAL_J / 3.6e6)
    with pytest.raises(ValueError, match=r"unit='m' is a length, but it must be an energy \(for example GJ\)"):
        lean.metal_energy(1, "m")
    with pytest.raises(ValueError, match="aluminium=-2 is not allowed"):
        lean.metal_energy(-2)


def test_energy_behind_a_tonne_of_cans_includes_the_scrap():
    expected_gj = 50e6 / 0.76 * KCAL_J / 1e9  # 65.8 million kcal
    assert lean.energy_per_tonne_of_cans("GJ").magnitude == pytest.approx(expected_gj)
    assert round(expected_gj) == 275


def test_stoichiometry_says_less_than_two():
    al, o = 26.9815385, 15.999
    assert lean.stoichiometric_alumina_per_aluminium().to("dimensionless").magnitude == pytest.approx((2 * al + 3 * o) / (2 * al))
    assert 1.88 < lean.stoichiometric_alumina_per_aluminium().magnitude < 2


# ---- charts and explorer ------------------------------------------------------------------------


@pytest.mark.parametrize("build", [lean.days_grid_chart, lean.log_timeline_chart, lean.material_chart, lean.ratio_slider_chart])
def test_charts_render_offline_and_are_small(build):
    chart = build()
    spec = charts.check_offline(chart)
    assert len(str(spec)) < 20_000


def test_days_grid_is_generated_in_the_browser():
    spec = lean.days_grid_chart().to_dict()
    assert spec["data"] == {"sequence": {"start": 0, "stop": 319, "as": "day"}}
    assert "datasets" not in spec


def test_chart_texts_name_positions_and_series_not_colours():
    import re

    texts = [lean.days_grid_chart().to_dict()["description"], lean.value_stream_chart(stream([2, 6], [1, 0])).to_dict()["description"]]
    texts.append(lean.days_grid_chart().to_dict()["layer"][0]["encoding"]["x"]["axis"]["title"])
    for text in texts:
        assert not re.search(r"\b(orange|blue|grey|gray|green|red)\b", text), text
    assert "3/24 of the first square" in texts[0]


def test_ratio_slider_chart_has_two_bound_params():
    spec = lean.ratio_slider_chart().to_dict()
    names = {p["name"]: p for p in spec["params"]}
    assert names["lead_days"]["value"] == 319 and names["va_hours"]["value"] == 3
    assert all("bind" in p for p in names.values())


def test_value_stream_chart_draws_any_complete_stream():
    s = stream([2, 6, 16], [1, 1, 0], unit="h")
    spec = lean.value_stream_chart(s).to_dict()
    assert "8.33 %" in spec["title"]["text"]  # 2 h of 24 h
    with pytest.raises(ValueError, match="every step needs both times"):
        lean.value_stream_chart(pd.DataFrame({"step": ["a"], "lead_time": [float("nan")], "value_added_time": [float("nan")]}))


def test_value_stream_editor_redraws_on_every_change():
    box = lean.value_stream_editor()
    # The example stream: 7 value-adding hours in 1,248 hours.
    assert box.result.to_dict()["title"]["text"] == f"Your value stream: {7 / 1248 * 100:.3g} % of the time adds value"
    box.controls["text"].value = "make, 10, 5\nwait, 30, 0"
    assert "12.5 % of the time adds value" in box.result.to_dict()["title"]["text"]
    box.controls["text"].value = "make, 1, 5"
    assert box.result.startswith("Cannot draw this yet") and "longer than" in box.result
    box.controls["text"].value = "make, 10, 5"
    box.controls["unit"].value = "day"
    assert box.result.to_dict()["title"]["text"].endswith("50 % of the time adds value")


# ---- questions ----------------------------------------------------------------------------------
# Each exercise is a family: its expected answer is worked out here by hand from the student's own
# numbers (exercises.variant), for the default variant and for two students.

STUDENTS = (None, "alice", "bob")
AL, O = 26.9815385, 15.999  # IUPAC atomic weights (lean_atomic_weights)


def _mine(qid, student):
    return exercises.variant(qid, student)


def _ok(qid, answer, student, **kwargs):
    return evaluate(qid, answer, student=student, **kwargs).correct


@pytest.mark.parametrize("student", STUDENTS)
def test_another_streams_ratio(student):
    v = _mine("lean.cola_ratio", student)
    by_hand = v["va_hours"] / (v["lead_days"] * 24) * 100
    assert _ok("lean.cola_ratio", by_hand, student)
    assert not _ok("lean.cola_ratio", by_hand * 24, student)  # days taken for hours


@pytest.mark.parametrize("student", STUDENTS)
def test_the_predicted_lead_time(student):
    v = _mine("lean.lead_time_for_ratio", student)
    days = v["va_hours"] / (v["target"] / 100) / 24
    assert _ok("lean.lead_time_for_ratio", days, student)
    assert _ok("lean.lead_time_for_ratio", Q_(days * 24, "h"), student)
    verdict = evaluate("lean.lead_time_for_ratio", days * 24, student=student)  # hours typed as days
    assert not verdict.correct and "24" in verdict.message


@pytest.mark.parametrize("student", STUDENTS)
def test_the_smelter_output_and_the_percentage_of_the_wrong_amount(student):
    v = _mine("lean.aluminium_for_cans", student)
    cans, scrap = v["cans_t"], v["scrap"] / 100
    assert _ok("lean.aluminium_for_cans", cans / (1 - scrap), student)
    slip = evaluate("lean.aluminium_for_cans", cans * (1 + scrap), student=student)
    assert not slip.correct and "scrap share taken of the cans" in slip.message


@pytest.mark.parametrize("student", STUDENTS)
def test_the_energy_behind_the_cans_includes_the_scrap(student):
    v = _mine("lean.energy_behind_cans", student)
    metal_t = v["cans"] * v["can_mass"] / 1e6
    mj = metal_t / (1 - v["scrap"] / 100) * 50e6 * KCAL_J / 1e6
    assert _ok("lean.energy_behind_cans", mj, student)
    assert _ok("lean.energy_behind_cans", f"{mj / 3.6:.4g} kWh", student)
    left_out = evaluate("lean.energy_behind_cans", metal_t * 50e6 * KCAL_J / 1e6, student=student)
    assert not left_out.correct and "cans' own metal only" in left_out.message


@pytest.mark.parametrize("student", STUDENTS)
def test_the_chemical_floor_of_alumina(student):
    v = _mine("lean.stoichiometric_alumina", student)
    floor = v["aluminium_t"] * (2 * AL + 3 * O) / (2 * AL)
    assert _ok("lean.stoichiometric_alumina", floor, student)
    rounded = evaluate("lean.stoichiometric_alumina", 2 * v["aluminium_t"], student=student)
    assert not rounded.correct and "round figure" in rounded.message


def test_the_default_numbers_are_a_new_case_not_the_articles():
    assert exercises.variant("lean.cola_ratio", None)["lead_days"] != 319
    assert exercises.variant("lean.aluminium_for_cans", None)["scrap"] != 24
    assert exercises.expected("lean.aluminium_for_cans", None).to("t").magnitude != pytest.approx(1 / 0.76)


def test_hints_come_one_attempt_at_a_time_and_none_is_not_an_attempt():
    assert not evaluate("lean.aluminium_for_cans", None).attempted
    first = evaluate("lean.aluminium_for_cans", 1.0, attempt=1)
    second = evaluate("lean.aluminium_for_cans", 1.0, attempt=2)
    assert first.hints == [] and len(second.hints) == 1 and "share of what leaves the smelter" in second.hints[0]


def test_the_prediction_gets_no_formula_in_its_hints():
    for hint in exercises.question("lean.lead_time_for_ratio").hints:
        assert not any(sign in hint for sign in ("=", "×", " / ")), hint


def test_choice_question_explains_every_wrong_step():
    assert evaluate("lean.bakery_step", "pull").correct and evaluate("lean.bakery_step", " PULL ").correct
    flow = evaluate("lean.bakery_step", "Flow")
    assert not flow.correct and "who starts production" in flow.message
    for wrong in ("value", "Value stream", "perfection"):
        verdict = evaluate("lean.bakery_step", wrong)
        assert not verdict.correct and "—" in verdict.message  # an explanation, not a bare "not the answer"
        assert "pull" not in verdict.message.casefold()  # a wrong option's explanation does not give the answer away


def test_the_bakery_options_are_in_each_students_own_order_and_letters_follow_it():
    orders = {tuple(_judge._order(exercises.question("lean.bakery_step"), s)) for s in ("alice", "bob", "carol", "dan")}
    assert len(orders) > 1
    for student in ("alice", "bob"):
        letter = next(k for k, c in _judge._letters(exercises.question("lean.bakery_step"), student).items() if c == "pull")
        assert evaluate("lean.bakery_step", letter, student=student).correct


def test_every_lean_question_says_what_kind_of_exercise_it_is():
    ids = [q for q in exercises.questions() if q.startswith("lean.")]
    assert sorted(ids) == sorted(["lean.cola_ratio", "lean.lead_time_for_ratio", "lean.aluminium_for_cans",
                                  "lean.energy_behind_cans", "lean.stoichiometric_alumina", "lean.bakery_step"])
    kinds = {q: exercises.question(q).kind for q in ids}
    assert kinds["lean.cola_ratio"] == "recall" and kinds["lean.lead_time_for_ratio"] == "predict"
    assert all(kind in exercises.KINDS for kind in kinds.values())


@pytest.mark.parametrize("build", [lean.days_grid_chart, lean.log_timeline_chart, lean.material_chart, lean.ratio_slider_chart,
                                   lambda: lean.value_stream_chart(lean.parse_value_stream(lean.EXAMPLE_STREAM))])
def test_charts_draw_with_vega_lite_5(build):
    """vl-convert runs the same Vega-Lite 5 as JupyterLab: a spec it cannot draw would be a blank box."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(build().to_dict(), vl_version=charts._VL_VERSION)
    assert svg.startswith("<svg") and "<text" in svg


# ---- bad calls: every message names the argument, the bad value and what is allowed --------------


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: lean.summarize(stream([1], [0]), name=3), TypeError, "name must be text, got 3"),
        (lambda: lean.parse_value_stream(["make, 1, 0"]), TypeError, r"text must be text, got \['make, 1, 0'\]"),
        (lambda: lean.parse_value_stream("make, 1, 0", "kg"), ValueError, "time_unit='kg' is a mass, but it must be a time"),
        (lambda: lean.parse_value_stream("make, inf, 0"), ValueError, r"line 1 \('make, inf, 0'\): the two times must be finite"),
        (lambda: lean.value_added_ratio(Q_(2, "day"), Q_(1, "day")), ValueError,
         "value_added=2 days is longer than lead=24 h: value-adding time is part of the lead time"),
        (lambda: lean.review_value_stream({"step": ["a"]}), TypeError, "stream must be a table .*got dict"),
        (lambda: lean.metal_energy("2 t"), TypeError, r"aluminium must be a number \(in t\), got '2 t' \(text\)"),
        (lambda: lean.metal_energy(1, "tons"), ValueError, "unit='tons' is ambiguous: it is the US short ton"),
        (lambda: lean.energy_per_tonne_of_cans("kg"), ValueError, "unit='kg' is a mass, but it must be an energy"),
        (lambda: lean.back_calculate(alumina_per_aluminium=Q_(2, "t")), ValueError,
         "alumina_per_aluminium=2 t is a mass, but it must be a pure number"),
        (lambda: lean.back_calculate(scrap_share=Q_(100, "percent")), ValueError, "scrap_share=100 % means no can ever reaches the shelf"),
        (lambda: lean.material_chart([1, 2]), TypeError, r"flow must be a table \(a pandas DataFrame\), got list"),
        (lambda: lean.material_chart(pd.DataFrame({"stage": ["a"]})), ValueError, "flow lacks the columns 'material', 'mass_t'"),
        (lambda: lean.value_stream_chart(stream([1], [0]), title=""), ValueError, "title must not be empty"),
        (lambda: lean.value_stream_editor(time_unit="hours"), ValueError,
         "time_unit='hours' is not allowed.*; choose one of: 'min', 'h', 'day', 'week'"),
    ],
)
def test_bad_calls_are_explained(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_unit_declared_in_attrs_is_checked_under_its_own_name():
    s = stream([1], [0], unit="kg")
    with pytest.raises(ValueError, match=r"stream.attrs\['units'\]\['lead_time'\]='kg' is a mass, but it must be a time"):
        lean.lead_time(s)


def test_scrap_share_may_be_a_percentage_quantity():
    flow = lean.back_calculate(scrap_share=Q_(24, "percent")).set_index("stage")["mass_t"]
    assert flow["aluminium from the smelter"] == pytest.approx(1 / 0.76)
    assert lean.back_calculate(alumina_per_aluminium=Q_(2, "t/t")).set_index("stage").loc["alumina to the smelter", "mass_t"] == pytest.approx(2 / 0.76)


def test_durations_read_in_minutes_hours_or_days():
    text = lean.review_value_stream(stream([0.5, 100], [0.25, 0]))
    assert text.splitlines()[0] == "2 steps; lead time 4.188 days, value-adding time 15 min."
    assert text.splitlines()[2] == "Most waiting: 's1' (4.167 days without adding value)."


def test_switching_the_data_folder_switches_the_energy_of_the_metal(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "datasets"
    shutil.copytree(data.data_dir(), copy)
    table = (copy / "energy_table.csv").read_text(encoding="utf-8")
    assert table.count(",5.0e7,material,") == 1
    (copy / "energy_table.csv").write_text(table.replace(",5.0e7,material,", ",2.5e7,material,"), encoding="utf-8")
    assert lean.metal_energy(1, "kcal").magnitude == pytest.approx(50e6)
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    assert lean.metal_energy(1, "kcal").magnitude == pytest.approx(25e6)
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert lean.metal_energy(1, "kcal").magnitude == pytest.approx(50e6)
