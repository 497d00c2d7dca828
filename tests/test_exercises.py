"""course_lib.exercises: instant feedback with tolerances, units, directions and hints."""

import math

import pint
import pytest

from course_lib import exercises
from course_lib.exercises import Question, check, evaluate, register
from course_lib.units import Q_, format_number

FOOD_DAY_KWH = 2500 * 4.184 / 3600  # 2.9056 kWh, derived by hand from the definitions


def test_a_number_in_the_question_unit_within_tolerance_is_correct():
    feedback = evaluate("start.food_day_kwh", 2.9)
    assert feedback.correct and bool(feedback)
    assert feedback.relative_error == pytest.approx(2.9 / FOOD_DAY_KWH - 1)


def test_an_answer_in_another_unit_is_converted_first():
    assert evaluate("start.food_day_kwh", 10.46, "MJ").correct
    assert evaluate("start.food_day_kwh", Q_(2500, "kcal")).correct
    assert "10,460 kJ = 2.906 kWh" in evaluate("start.food_day_kwh", 10460, "kJ").message


def test_wrong_answers_say_how_far_off_and_which_way():
    high = evaluate("start.food_day_kwh", 3.5)
    assert not high.correct
    assert "20% too high" in high.message
    assert high.hints == ["1 kcal = 4.184 kJ and 1 kWh = 3,600 kJ."]
    low = evaluate("start.food_day_kwh", 2.0)
    assert "31% too low" in low.message


def test_an_answer_off_by_powers_of_ten_gets_the_prefix_hint():
    feedback = evaluate("start.food_day_kwh", 2906)  # Wh typed as kWh
    assert "2,906 kWh is 1,000 times the answer, too high" in feedback.message
    assert any("power of ten" in hint for hint in feedback.hints)


def test_an_answer_of_the_wrong_kind_says_so():
    feedback = evaluate("start.food_day_kwh", 3, "kg")
    assert not feedback.correct
    assert "is a mass but the question asks for an energy" in feedback.message


def test_check_prints_the_feedback(capsys):
    check("start.food_day_kwh", 2.9)
    assert capsys.readouterr().out.startswith("✅ Correct: 2.9 kWh")


@pytest.mark.parametrize(
    "args, error, pattern",
    [
        (("start.nope", 1), ValueError, r"question_id='start.nope' is not a course question; known questions: .*start.food_day_kwh"),
        ((42, 1), TypeError, "question_id must be a string"),
        (("start.food_day_kwh", "3"), TypeError, "answer must be a number or a pint Quantity"),
        (("start.food_day_kwh", float("nan")), ValueError, "answer=nan is not a finite number"),
        (("start.food_day_kwh", 3, "kcl"), ValueError, "unit='kcl' is not a unit the course knows"),
        (("start.food_day_kwh", Q_(3, "kWh"), "kWh"), ValueError, "unit must be None"),
    ],
)
def test_bad_input_is_named(args, error, pattern):
    with pytest.raises(error, match=pattern):
        evaluate(*args)


@pytest.fixture
def scratch_registry(monkeypatch):
    monkeypatch.setattr(exercises, "_REGISTRY", dict(exercises._REGISTRY))


def test_choice_and_sorting_questions(scratch_registry):
    register(Question("units.which", "Which?", lambda: "kWh", choices=("kWh", "kg"), hints=("energy",)))
    register(Question("units.sort", "Sort", lambda: {"air": "natural", "loan": "financial"}, hints=("look again",)))
    assert evaluate("units.which", "kwh ").correct
    assert not evaluate("units.which", "kg").correct
    with pytest.raises(ValueError, match="not one of the choices"):
        evaluate("units.which", "m")
    assert evaluate("units.sort", {"Air": "Natural", "loan": "financial"}).correct
    wrong = evaluate("units.sort", {"air": "financial", "loan": "financial"})
    assert "1 of 2 right" in wrong.message and "air" in wrong.message
    with pytest.raises(TypeError, match="answer must be a dict"):
        evaluate("units.sort", "air")


def test_register_refuses_bad_ids_duplicates_and_bad_units(scratch_registry):
    with pytest.raises(ValueError, match="question id 'nomodule' must read '<topic>.<name>'"):
        register(Question("nomodule", "?", lambda: Q_(1, "J")))
    with pytest.raises(ValueError, match="already registered"):
        register(Question("start.food_day_kwh", "other", lambda: Q_(1, "J")))
    with pytest.raises(ValueError, match="unit='parsecs_of_joy'"):
        register(Question("units.x", "?", lambda: Q_(1, "J"), unit="parsecs_of_joy"))
    with pytest.raises(TypeError, match="question must be a Question"):
        register("units.x")


def test_every_registered_question_has_a_computable_answer_and_a_hint():
    ids = exercises.questions()
    assert "start.food_day_kwh" in ids
    for question_id in ids:
        question = exercises._REGISTRY[question_id]
        expected = question.expected()
        if isinstance(expected, pint.Quantity):
            assert math.isfinite(expected.magnitude), question_id
            if question.unit is not None:
                assert expected.dimensionality == Q_(1, question.unit).dimensionality, question_id
        elif isinstance(expected, dict):
            assert expected and all(isinstance(v, str) and v for v in expected.values()), question_id
        else:
            assert isinstance(expected, str) and expected.strip(), question_id
            if question.choices:
                assert expected.lower() in [c.lower() for c in question.choices], question_id
        assert question.hints, f"{question_id} has no hint"
        assert len(question.prompt) > 10, question_id


@pytest.mark.parametrize(
    "x, text", [(10460.0, "10,460"), (2.90556, "2.906"), (3.7e18, "3.7×10^18"), (0.0123, "0.0123"), (0, "0"), (-250.0, "-250")]
)
def test_numbers_are_written_as_people_write_them(x, text):
    assert format_number(x) == text
