"""Each notebook's stated time is what its core path takes, by the course's own counts.

The counts (a reading speed, minutes per chart, minutes per exercise kind) are stated once, with
their reasons, in ``datasets/lesson_timing.csv``; ``course_tools.build.timing`` applies them to what a
student sees on the core path (no instructor notes, no worked solutions, no *Going further* parts).
"""

from pathlib import Path

import nbformat
import pytest

from course_lib import data
from course_lib.exercises import question, questions
from course_tools.build import timing

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: Notebooks whose plan is checked: all of them.
CHECKED = {p.stem for p in NOTEBOOKS}
#: "about N minutes": the plan may be off by this share either way.
TOLERANCE = 0.10


def test_the_figures_are_stated_once_for_every_exercise_kind():
    table = data.load("lesson_timing").set_index("name")
    assert table.loc["reading_speed", "value"] == 200
    kinds = {question(q).kind for q in questions()}
    assert {f"exercise_{kind}" for kind in kinds} <= set(table.index), "an exercise kind without its minutes"
    assert (table["value"] > 0).all()


def test_the_count_follows_the_figures_on_a_small_notebook():
    """Words, charts and exercises counted by hand: going-further, instructor and solution cells left out."""
    cells = [
        nbformat.v4.new_markdown_cell("## 1. Stocks\nOne two three four five six."),                     # 8 words ("##" is none)
        nbformat.v4.new_markdown_cell("Optional words here.", metadata={"tags": ["going-further"]}),
        nbformat.v4.new_markdown_cell("For instructors only.", metadata={"tags": ["instructor"]}),
        nbformat.v4.new_code_cell("x = 6 * 7", outputs=[nbformat.v4.new_output("stream", text="42 t\n")]),  # 3 + 2
        nbformat.v4.new_code_cell("chart()", outputs=[nbformat.v4.new_output(
            "execute_result", data={"application/vnd.vegalite.v5+json": {}, "text/plain": "alt.Chart(...)"})]),  # 1 and a chart
        nbformat.v4.new_code_cell('mine = ask("capital.msy_fraction")', outputs=[nbformat.v4.new_output(
            "display_data", data={"text/plain": "a long prompt " * 50})]),                              # 2, its prompt not read twice
        nbformat.v4.new_code_cell('answer = None\ncheck("capital.msy_fraction", answer)', metadata={"tags": ["exercise"]}),  # 4
        nbformat.v4.new_code_cell('check("capital.stock_flow", "a")', metadata={"tags": ["solution"]}),
    ]
    figures = {"reading_speed": 11.0, "chart_view": 2.0, "exercise_transfer": 7.0}
    path = timing.core_path(nbformat.v4.new_notebook(cells=cells), figures)
    assert (path.words, path.charts, path.exercises) == (20, 1, {"capital.msy_fraction": "transfer"})
    assert path.minutes == pytest.approx(20 / 11 + 2 + 7)


def test_the_plan_states_its_first_figure():
    nb = {"metadata": {"course": {"time": "about 110 minutes: a 90-minute session, with exercises 9 and 12 as homework"}}}
    assert timing.stated_minutes(nb) == 110
    with pytest.raises(ValueError, match="states no minutes"):
        timing.stated_minutes({"metadata": {"course": {"time": "an afternoon"}}})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_takes_the_time_its_plan_states(path):
    nb = nbformat.read(path, as_version=4)
    found = timing.core_path(nb)
    stated = timing.stated_minutes(nb)
    report = (f"{path.stem}: core path {found.minutes:.0f} min ({found.words} words = {found.reading_minutes:.0f} min, "
              f"{found.charts} charts = {found.chart_minutes:.0f} min, {len(found.exercises)} exercises = "
              f"{found.exercise_minutes:.0f} min) against a plan of {stated} min")
    if path.stem not in CHECKED:
        pytest.skip("computed, not checked: " + report)
    assert abs(found.minutes / stated - 1) <= TOLERANCE, report


def test_02_keeps_its_advanced_parts_off_the_core_path():
    nb = nbformat.read(ROOT / "notebooks" / "02_natural_capital.ipynb", as_version=4)
    further = [c.source for c in nb.cells if timing.GOING_FURTHER in c.metadata.get("tags", [])]
    core = "\n".join(c.source for c in nb.cells if not set(c.metadata.get("tags", [])) & timing.LEFT_OUT)
    assert any("arctan" in s for s in further) and "arctan" not in core
    assert any("P_0 e^{gt}" in s for s in further) and "P_0 e^{gt}" not in core
    assert any(s.startswith("## 5. Going further (optional)") for s in further)
    assert 'check("capital.life_income_cause"' not in core  # the long trends' exercise is optional with them
    tagged = [timing.GOING_FURTHER in c.metadata.get("tags", []) for c in nb.cells]
    starts = [c.source for i, c in enumerate(nb.cells) if tagged[i] and not tagged[i - 1]]
    assert len(starts) == 3 and all("Going further (optional)" in s.splitlines()[0] for s in starts), starts
    assert "math.log" in core  # what exercise 9 needs is in sight


SESSION_PLANS = [p for p in NOTEBOOKS if timing.session_plan(nbformat.read(p, as_version=4)) is not None]


def test_the_notebooks_planned_as_a_session_are_found():
    assert {p.stem for p in SESSION_PLANS} >= {"01_energy_tables", "02_natural_capital", "04_zeri_brewery"}


@pytest.mark.parametrize("path", SESSION_PLANS, ids=lambda p: p.stem)
def test_the_class_session_fits_once_its_homework_is_sent_home(path):
    """"In a 90-minute session, exercises 9 and 12 are homework": what stays in class fits the session."""
    nb = nbformat.read(path, as_version=4)
    session, homework = timing.session_plan(nb)
    found, numbered, figures = timing.core_path(nb), timing.numbered_exercises(nb), timing.timing_figures()
    assert set(homework) <= set(numbered), f"the plan sends home exercises the notebook does not have: {homework}"
    at_home = sum(timing.exercise_minutes(numbered[n], found.exercises[numbered[n]], figures)
                  for n in homework if numbered[n] in found.exercises)
    in_class = found.minutes - at_home
    assert in_class <= session * (1 + TOLERANCE), (
        f"{path.stem}: {in_class:.0f} min stay in class ({found.minutes:.0f} on the core path, {at_home:.0f} sent home) "
        f"for a {session}-minute session")


def test_the_session_plan_is_read_from_the_words_of_the_front_matter():
    nb = {"metadata": {"course": {"time": "about 100 minutes; in a 90-minute session, exercises 7 and 10 are homework"}}}
    assert timing.session_plan(nb) == (90, [7, 10])
    assert timing.session_plan({"metadata": {"course": {"time": "about 40 minutes"}}}) is None
