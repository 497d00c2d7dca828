"""course_lib.exercises: instant feedback with tolerances, units, directions and hints by attempt.

Questions are data (a topic's ``questions.toml``, read by :func:`exercises.from_data`): the tests
below build scratch questions the same way.
"""

import json
import math

import pint
import pytest

from course_lib import exercises
from course_lib.exercises import Question, check, evaluate
from course_lib.units import Q_, format_number

FOOD_DAY_KWH = 2500 * 4.184 / 3600  # 2.9056 kWh, derived by hand from the definitions
# The engine's behaviour is tested on a question of fixed numbers (the article's food-day, within
# 2 %), kept apart from the course's own start.food_day_kwh, whose numbers are each student's own.
FOOD = "units.food_day_kwh"


def test_a_number_in_the_question_unit_within_tolerance_is_correct():
    feedback = evaluate(FOOD, 2.9)
    assert feedback.correct and bool(feedback)
    assert feedback.relative_error == pytest.approx(2.9 / FOOD_DAY_KWH - 1)


def test_an_answer_in_another_unit_is_converted_first():
    assert evaluate(FOOD, 10.46, "MJ").correct
    assert evaluate(FOOD, Q_(2500, "kcal")).correct
    assert "10,460 kJ = 2.906 kWh" in evaluate(FOOD, 10460, "kJ").message


def test_wrong_answers_say_how_far_off_and_which_way():
    high = evaluate(FOOD, 3.5)
    assert not high.correct
    assert "20% too high" in high.message
    assert high.hints == []  # the first attempt gets the diagnosis only
    assert evaluate(FOOD, 3.5, attempt=2).hints == ["1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ."]
    assert len(evaluate(FOOD, 3.5, attempt=9).hints) == 2
    low = evaluate(FOOD, 2.0)
    assert "31% too low" in low.message


def test_an_answer_off_by_powers_of_ten_gets_the_prefix_diagnosis():
    feedback = evaluate(FOOD, 2906)  # Wh typed as kWh
    assert feedback.message == (
        "❌ Not yet: 2,906 kWh is 1,000 times the answer: check the unit prefixes (k, M, G) and the powers of ten."
    )


def test_an_answer_of_the_wrong_kind_says_so():
    feedback = evaluate(FOOD, 3, "kg")
    assert not feedback.correct
    assert "3 kg is a mass but the question asks for an energy (for example in kWh)" in feedback.message


def test_check_prints_the_feedback(capsys):
    check(FOOD, 2.9)
    assert capsys.readouterr().out.startswith("✅ Correct: 2.9 kWh")


@pytest.mark.parametrize(
    "answer, unit, right",
    [("2.9 kWh", None, True), ("2,9 kWh", None, True), ("2.9", None, True), (" 2.906kWh ", None, True),
     ("10,460 kJ", None, True), ("10460", "kJ", True), ("2500 kcal", None, True), ("3.5 kWh", None, False)],
)
def test_numbers_typed_as_text_with_or_without_units_are_read(answer, unit, right):
    assert evaluate(FOOD, answer, unit).correct is right


@pytest.mark.parametrize(
    "answer, unit, message",
    [
        (None, None, "⏳ Not answered yet: replace None with your answer, a number of kWh, and run the cell again."),
        ("", None, "⏳ Not answered yet: replace '' with your answer, a number of kWh"),
        ("about three", None, "❌ Not yet: 'about three' is not a number; the question asks for a number of kWh"),
        (float("nan"), None, "❌ Not yet: nan is not a finite number; the question asks for a number of kWh."),
        ([2.9], None, "❌ Not yet: the answer is [2.9]; the question asks for a number of kWh."),
        ({"a": 1}, None, "❌ Not yet: the answer is {'a': 1}; the question asks for a number of kWh."),
        (True, None, "❌ Not yet: the answer is True; the question asks for a number of kWh."),
        (3, "kcl", "❌ Not yet: unit='kcl' is not a unit the course knows"),
        (Q_(3, "kWh"), "kWh", "❌ Not yet: 3 kWh already has a unit, so leave out unit='kWh'."),
        ("2.9 kWhh", None, "❌ Not yet: the unit 'kWhh' is not a unit the course knows"),
    ],
)
def test_a_students_answer_never_raises_it_gets_a_one_line_verdict(answer, unit, message):
    feedback = evaluate(FOOD, answer, unit)
    assert not feedback.correct and not feedback.attempted
    assert feedback.message.startswith(message)
    assert "\n" not in feedback.message


def test_only_the_authors_mistakes_raise():
    with pytest.raises(ValueError, match=r"question_id='start.food_dy_kwh' is not a course question \(did you mean 'start.food_day_kwh'\?\)"):
        evaluate("start.food_dy_kwh", 1)
    with pytest.raises(TypeError, match="question_id must be a string such as 'start.food_day_kwh', got 42"):
        evaluate(42, 1)


@pytest.fixture(autouse=True)
def scratch_registry(monkeypatch):
    """A copy of the question bank, with the fixed food-day question, for each test."""
    monkeypatch.setattr(exercises, "_REGISTRY", dict(exercises._REGISTRY))
    monkeypatch.setattr(exercises, "_ANSWERS", {})
    food = exercises.question("start.food_day_kwh")
    register(FOOD, {"prompt": "How many kWh are 2,500 kcal?", "unit": "kWh", "kind": "transfer", "hints": list(food.hints)},
             {"food_day_kwh": lambda v: Q_(2500, "kcal").to("kWh")})


def register(question_id: str, entry: dict, functions: dict | None = None) -> None:
    """Add a scratch question as a topic's questions.toml would hold it."""
    topic, name = question_id.split(".")
    for q in exercises.from_data(topic, {name: {"kind": "recall", **entry}}, functions or {}):
        exercises._register(q)


def test_choice_and_sorting_questions(scratch_registry):
    register("units.which", {"prompt": "Which unit is an energy?", "answer": "kWh", "choices": {"kWh": "kWh", "kg": "kg"},
                             "hints": ["energy"]})
    register("units.sort", {"prompt": "Sort the capitals.", "answer": {"air": "natural", "loan": "financial"},
                            "hints": ["look again"]})
    assert evaluate("units.which", "kwh ").correct
    assert not evaluate("units.which", "kg").correct
    assert evaluate("units.which", "m").message == "❌ Not yet: 'm' is not one of the options: 'a' or 'b'."
    assert evaluate("units.sort", {"Air": "Natural", "loan": "financial"}).correct
    wrong = evaluate("units.sort", {"air": "financial", "loan": "financial"})
    assert wrong.message == "❌ Not yet: 1 of 2 right. Look again at: air."
    assert evaluate("units.sort", "air").message == (
        "❌ Not yet: the answer must pair each item with its group, such as {'air': 'natural', ...}."
    )


def test_choices_accept_labels_and_explain_each_misconception(scratch_registry):
    register("units.hub", {
        "prompt": "Which partner is the hub?", "answer": "asnaes", "kind": "misconception",
        "choices": {"asnaes": "Asnæs Power Station", "gyproc": "Gyproc", "statoil": "Statoil refinery"},
        "explanations": {"gyproc": "Gyproc only receives: a hub gives to many partners.",
                         "asnaes": "It gives steam, heat, gypsum and ash to most partners."},
        "hints": ["count the arrows"]})
    right = evaluate("units.hub", "asnaes power station")
    assert right.correct and right.message == "✅ Correct: Asnæs Power Station. It gives steam, heat, gypsum and ash to most partners."
    assert evaluate("units.hub", "ASNÆS").correct and evaluate("units.hub", "Asnaes Power Station.").correct
    wrong = evaluate("units.hub", "Gyproc")
    assert wrong.message == "❌ Not yet: Gyproc — Gyproc only receives: a hub gives to many partners."
    near = evaluate("units.hub", "statoil refinry")
    assert near.message.startswith("❌ Not yet: 'statoil refinry' is not one of the options (did you mean 'statoil refinery'?)")
    assert evaluate("units.hub", 3.5).message.startswith("❌ Not yet: '3.5' is not one of the options")
    assert evaluate("units.hub", "b").message.startswith("❌ Not yet: Gyproc")  # options are lettered in order
    assert evaluate("units.hub", "(a)").correct


@pytest.mark.parametrize(
    "given, diagnosis",
    [
        (2906.0, "1,000 times the answer: check the unit prefixes"),
        (0.002906, "1/1,000 of the answer: check the unit prefixes"),
        (2.906e6, "1×10^6 times the answer: check the unit prefixes"),
        (10.46, "3.6 times the answer: kWh mixed with MJ"),
        (12.16, "4.184 times the answer: kcal mixed with kJ"),
        (69.73, "24 times the answer: per day mixed with per hour"),
        (1060.6, "365 times the answer: per year mixed with per day"),
        (0.00796, "1/365 of the answer: per year mixed with per day"),
        (5.811, "2 times the answer: a doubled (or halved) answer"),
        (8.443, "the answer squared"),
    ],
)
def test_the_usual_slips_are_named_before_too_high_or_too_low(given, diagnosis):
    feedback = evaluate(FOOD, given)
    assert not feedback.correct
    assert diagnosis in feedback.message


def test_percent_share_and_inverted_ratio_slips_are_named(scratch_registry):
    register("units.share", {"prompt": "What share is it?", "unit": "", "hints": ["a share"]}, {"share": lambda v: Q_(0.35, "")})
    register("units.ratio", {"prompt": "How many times more?", "unit": "", "hints": ["divide"]}, {"ratio": lambda v: Q_(1.5625, "")})
    assert "100 times the answer: a percent where a share is asked" in evaluate("units.share", 35).message
    assert evaluate("units.share", "35 %").correct and evaluate("units.share", "35%").correct
    assert "the inverted ratio" in evaluate("units.ratio", 0.64).message
    assert evaluate("units.share", 0.5).message == "❌ Not yet: 0.5 is 43% too high (expected within 2%)."


def test_an_inverse_unit_is_named(scratch_registry):
    register("units.per_t", {"prompt": "Energy per tonne?", "hints": ["divide"]}, {"per_t": lambda v: Q_(50, "GJ/t")})
    assert "It is the inverse: check which quantity goes on top." in evaluate("units.per_t", Q_(0.02, "t/GJ")).message
    assert "a mass per time (a mass flow)" in evaluate("units.per_t", Q_(2, "t/year")).message


def test_other_right_answers_are_accepted_with_their_note(scratch_registry):
    register("units.litres", {"prompt": "How many litres?", "hints": ["divide"], "also": "lower"},
             {"litres": lambda v: Q_(100, "L"), "lower": lambda v: [(Q_(110, "L"), "with the lower heating value")]})
    other = evaluate("units.litres", 110)
    assert other.correct and other.message == "✅ Correct: 110 L (with the lower heating value; the course's own figure is 100 L)."
    assert not evaluate("units.litres", 120).correct


def test_question_data_refuse_bad_ids_duplicates_units_keys_and_functions(scratch_registry):
    joule = {"x": lambda v: Q_(1, "J"), "food_day_kwh": lambda v: Q_(1, "J")}
    with pytest.raises(ValueError, match="question id 'nomodule' must read '<topic>.<name>'"):
        exercises._register(Question("nomodule", "?", lambda v: Q_(1, "J")))
    with pytest.raises(ValueError, match="already registered"):
        register("start.food_day_kwh", {"prompt": "another prompt"}, joule)
    with pytest.raises(ValueError, match="unit='parsecs_of_joy'"):
        register("units.x", {"prompt": "How much?", "unit": "parsecs_of_joy"}, joule)
    with pytest.raises(ValueError, match=r"unknown keys \['promt'\]"):
        register("units.x", {"promt": "How much?"}, joule)
    with pytest.raises(ValueError, match="expected = 'y' names no function"):
        register("units.y", {"prompt": "How much?"}, joule)


def test_every_registered_question_has_a_computable_answer_and_a_hint():
    ids = exercises.questions()
    assert "start.food_day_kwh" in ids
    for question_id in ids:
        question = exercises._REGISTRY[question_id]
        expected = exercises.expected(question_id, None)
        if isinstance(expected, pint.Quantity):
            assert math.isfinite(expected.magnitude), question_id
            if question.unit is not None:
                assert expected.dimensionality == Q_(1, question.unit).dimensionality, question_id
        elif isinstance(expected, dict):
            assert expected and all(isinstance(v, str) and v for v in expected.values()), question_id
        elif isinstance(expected, (list, tuple)):
            assert expected and all(isinstance(v, str) and v for v in expected), question_id
        else:
            assert isinstance(expected, str) and expected.strip(), question_id
            if question.choices:
                assert expected.lower() in [c.lower() for c in question.choices], question_id
        assert question.hints or question.kind == "reflection", f"{question_id} has no hint"
        assert len(question.prompt) > 10, question_id


@pytest.mark.parametrize(
    "x, text", [(10460.0, "10,460"), (2.90556, "2.906"), (3.7e18, "3.7×10^18"), (0.0123, "0.0123"), (0, "0"), (-250.0, "-250")]
)
def test_numbers_are_written_as_people_write_them(x, text):
    assert format_number(x) == text


def test_a_reflection_is_acknowledged_with_a_model_answer_once_written(scratch_registry):
    register("units.think", {"prompt": "Why does it matter?", "kind": "reflection",
                             "model_answer": "Because energy has a quality as well as a quantity.",
                             "rubric": ["full: names quality", "partial: vague", "missing: nothing"]})
    short = evaluate("units.think", "no idea")
    assert not short.correct and "at least 15 words; you wrote 2" in short.message
    essay = ("A kilocalorie says nothing of where the energy comes from, how clean it is, what it costs the land, "
             "or who does the work.")
    long = evaluate("units.think", essay)
    assert long.correct and long.message == (
        "📝 Noted (24 words). Compare with a model answer: Because energy has a quality as well as a quantity.")
    filler = evaluate("units.think", " ".join(["blah"] * 15))  # fifteen words, one of them: never acknowledged
    assert not filler.correct and not filler.attempted and "filler" in filler.message
    with pytest.raises(ValueError, match="is a reflection: give its rubric"):
        Question("units.bad", "Why?", lambda v: "x", kind="reflection")
    with pytest.raises(ValueError, match="kind='essay' is not an exercise kind; choose one of: transfer, predict"):
        Question("units.bad", "Why?", lambda v: "x", kind="essay")


def test_check_records_each_answer_for_the_grader_when_asked(tmp_path, monkeypatch, capsys):
    from course_lib import _answers

    monkeypatch.delenv("COURSE_STUDENT", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COURSE_ATTEMPT_LOG", str(tmp_path / "attempts.jsonl"))  # a fresh attempt log
    log = tmp_path / "answers.jsonl"
    check(FOOD, 2.0)  # not recorded: no log asked for
    monkeypatch.setenv(exercises.ANSWER_LOG, str(log))
    check(FOOD, Q_(2.9, "kWh"))
    check(FOOD, "10460", "kJ")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["id"] for line in lines] == [FOOD] * 2
    assert _answers.from_record(lines[0]["answer"]) == Q_(2.9, "kWh") and lines[0]["unit"] is None
    assert lines[1]["answer"] == "10460" and lines[1]["unit"] == "kJ"
    assert evaluate(lines[1]["id"], _answers.from_record(lines[1]["answer"]), lines[1]["unit"]).correct
    assert [line["attempt"] for line in lines] == [2, 3] and lines[0]["student"] is None


def test_a_list_answer_is_compared_in_any_order_and_counted_not_revealed(scratch_registry):
    register("units.flows", {"prompt": "Which flows leave?", "answer": ["steam", "gypsum", "fly ash"], "hints": ["look"]})
    assert evaluate("units.flows", ["Gypsum", "fly ash", "steam"]).correct
    assert evaluate("units.flows", "steam, gypsum, Fly Ash").correct
    wrong = evaluate("units.flows", ["steam", "water"])
    assert wrong.message == "❌ Not yet: 1 of 3 right, 2 missing, 1 that does not belong."
    assert evaluate("units.flows", 3).message.startswith("❌ Not yet: give the names separated by commas")


def test_an_empty_choice_lists_the_letters_a_student_types(scratch_registry):
    register("units.letter", {"prompt": "Which option?", "answer": "b",
                              "choices": {"a": "A long first option", "b": "A long second option"}, "hints": ["read"]})
    assert evaluate("units.letter", "").message == (
        "⏳ Not answered yet: replace '' with your answer, one of the options 'a' or 'b', and run the cell again.")
    assert evaluate("units.letter", "A long second option").correct


def test_slips_and_shown_values_are_computed_once_per_variant_and_handed_out_as_copies():
    """Judging every attempt runs the question's slips and shows again: kept per variant (and data
    folder), a fresh list or dict each time, another student's numbers computed for them."""
    calls = []

    def slips(v):
        calls.append(("slips", v.student))
        return [(Q_(3.6 * v["kcal"], "kWh"), "kJ_as_kWh")]

    def shows(v):
        calls.append(("shows", v.student))
        return {"twice": 2 * v["kcal"]}

    register("units.kcal_kwh", {"prompt": "How many kWh are {kcal} kcal? ({twice})", "unit": "kWh",
                                "explanations": {"kJ_as_kWh": "kJ read as kWh"}, "slips": "slips", "shows": "shows"},
             {"kcal_kwh": lambda v: Q_(v["kcal"], "kcal").to("kWh"), "slips": slips, "shows": shows})
    q = exercises.question("units.kcal_kwh")
    v = exercises.variants.Variant("units.kcal_kwh", "alice", {"kcal": 2000.0}, {"kcal": "kcal"})
    first = q.slips(v)
    first.append("changed by a caller")
    assert q.slips(v) == [(Q_(7200.0, "kWh"), "kJ read as kWh")]
    assert q.shows(v) == {"twice": 4000.0} and q.shows(v) is not q.shows(v)
    assert calls == [("slips", "alice"), ("shows", "alice")]
    other = exercises.variants.Variant("units.kcal_kwh", "bob", {"kcal": 2500.0}, {"kcal": "kcal"})
    assert q.slips(other) == [(Q_(9000.0, "kWh"), "kJ read as kWh")]
    assert calls[-1] == ("slips", "bob")
