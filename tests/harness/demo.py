"""A small notebook with one of everything the builds handle, for the tests and to try commands.

>>> nb = demo_notebook()
>>> from course_tools.build import charts_in, front_matter
>>> len(charts_in(nb)), front_matter(nb)["time"]
(2, '10 min')
"""

from __future__ import annotations

import nbformat

from course_tools.build.sources import VEGALITE_MIME, WIDGET_STATE_MIME, WIDGET_VIEW_MIME

__all__ = ["DEMO_SECRET", "demo_notebook"]

DEMO_SECRET = "DEMO-SOLUTION-7f3a"  # appears only in the demo's solution cells


def demo_notebook() -> nbformat.NotebookNode:
    """A small course-style notebook with its outputs filled in, without running a kernel.

    It has front matter, a note for instructors (tag ``instructor``, speaker notes on the slides), a
    skipped setup cell, slides and a fragment, a chart with a Vega-Lite
    slider and menu (kernel-free interactivity), a table, a live explorer with saved widget state,
    an exercise and two solution cells (code and markdown) containing :data:`DEMO_SECRET`, and a
    test marker (tag ``nbval-check-output``) that pages and slides leave out. The
    cells are real code: the notebook also runs in a kernel.
    """
    import altair as alt
    import pandas as pd

    from course_lib import charts as course_charts

    v4 = nbformat.v4
    frame = pd.DataFrame({"item": ["a", "b", "c"], "value": [1.0, 2.0, 4.0]})
    chart_code = (
        "frame = pd.DataFrame({'item': ['a', 'b', 'c'], 'value': [1.0, 2.0, 4.0]})\n"
        "factor = alt.param(name='factor', value=1, bind=alt.binding_range(min=0, max=4, step=1, name='factor '))\n"
        "mark = alt.param(name='mark_colour', value='#0072B2', bind=alt.binding_select(options=['#0072B2', '#D55E00'], name='colour '))\n"
        "chart = alt.Chart(frame).mark_bar().encode(x='item:N', y=alt.Y('scaled:Q', scale=alt.Scale(domain=[0, 16])),"
        " color=alt.value(alt.expr(mark.name))).transform_calculate(scaled='datum.value * factor').add_params(factor, mark)\n"
        "charts.finish(chart, title='Scaled bars', source='made up for the demo', description='Three bars; a slider scales them. The slider (factor, 0 to 4) multiplies every bar; the menu (colour) sets their colour.')"
    )
    factor = alt.param(name="factor", value=1, bind=alt.binding_range(min=0, max=4, step=1, name="factor "))
    mark = alt.param(name="mark_colour", value="#0072B2", bind=alt.binding_select(options=["#0072B2", "#D55E00"], name="colour "))
    chart = (alt.Chart(frame).mark_bar()
             .encode(x="item:N", y=alt.Y("scaled:Q", scale=alt.Scale(domain=[0, 16])), color=alt.value(alt.expr(mark.name)))
             .transform_calculate(scaled="datum.value * factor").add_params(factor, mark))
    spec = course_charts.finish(chart, title="Scaled bars", source="made up for the demo",
                                description="Three bars; a slider scales them. The slider (factor, 0 to 4) multiplies every bar; "
                                            "the menu (colour) sets their colour.").to_dict()
    points = course_charts.finish(
        alt.Chart(pd.DataFrame({"x": [0, 1]})).mark_point().encode(x="x:Q"),
        title="2 points", source="made up for the demo", description="Two points on a line.").to_dict()
    ids = {name: f"{i:032x}" for i, name in enumerate(["box", "row", "slider", "output"], 1)}
    state = {
        ids["box"]: {"model_name": "VBoxModel", "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
                     "state": {"children": [f"IPY_MODEL_{ids['row']}", f"IPY_MODEL_{ids['output']}"]}},
        ids["row"]: {"model_name": "HBoxModel", "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
                     "state": {"children": [f"IPY_MODEL_{ids['slider']}"]}},
        ids["slider"]: {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
                        "state": {"description": "points", "min": 1, "max": 5, "value": 2}},
        ids["output"]: {"model_name": "OutputModel", "model_module": "@jupyter-widgets/output", "model_module_version": "1.0.0",
                        "state": {"outputs": [{"output_type": "display_data", "metadata": {},
                                               "data": {VEGALITE_MIME: points, "text/plain": ["alt.Chart(...)"]}}]}},
    }
    explorer_code = (
        "def draw(points=2):\n"
        "    frame = pd.DataFrame({'x': list(range(points))})\n"
        "    return charts.finish(alt.Chart(frame).mark_point().encode(x='x:Q'), title=f'{points} points',\n"
        "                         source='made up for the demo', description='Points on a line.')\n"
        "widgets.Explorer({'points': w.IntSlider(value=2, min=1, max=5, description='points')}, draw)"
    )
    cells = [
        v4.new_markdown_cell(
            "# Demo notebook\n\n**Learning objectives**\n\n- read a chart with a slider\n- answer an exercise\n\n"
            "**Time:** 10 min · **Prerequisites:** none"),
        v4.new_markdown_cell("**For instructors.** Pause after the chart for questions.",
                             metadata={"tags": ["instructor"], "slideshow": {"slide_type": "notes"}}),
        v4.new_code_cell("import altair as alt\nimport pandas as pd\nimport ipywidgets as w\nimport course_lib\n"
                         "from course_lib import charts, widgets\nfrom course_lib.exercises import check",
                         metadata={"slideshow": {"slide_type": "skip"}}, execution_count=1),
        v4.new_markdown_cell("## A chart with a slider\n\nMove the slider: no kernel needed.",
                             metadata={"slideshow": {"slide_type": "slide"}}),
        v4.new_code_cell(chart_code, execution_count=2, outputs=[v4.new_output(
            "execute_result", data={VEGALITE_MIME: spec, "text/plain": "alt.Chart(...)"}, execution_count=2)]),
        v4.new_markdown_cell("The bars grow with the factor: $h = k \\cdot v$, and $$ \\frac{h}{v} = k. $$",
                             metadata={"slideshow": {"slide_type": "fragment"}}),
        v4.new_code_cell("frame", execution_count=3, outputs=[v4.new_output(
            "execute_result", data={"text/html": frame.to_html(), "text/plain": frame.to_string()}, execution_count=3)],
            metadata={"slideshow": {"slide_type": "subslide"}, "tags": ["nbval-check-output"]}),
        v4.new_markdown_cell("## A live explorer", metadata={"slideshow": {"slide_type": "slide"}}),
        v4.new_code_cell(explorer_code, execution_count=4, outputs=[v4.new_output(
            "execute_result", data={WIDGET_VIEW_MIME: {"version_major": 2, "version_minor": 0, "model_id": ids["box"]},
                                    "text/plain": "Explorer(...)"}, execution_count=4)]),
        v4.new_markdown_cell("Say here what to look for.", metadata={"slideshow": {"slide_type": "notes"}}),
        v4.new_markdown_cell("## Exercise\n\nHow many kWh are 2,500 kcal?", metadata={"slideshow": {"slide_type": "slide"}}),
        v4.new_code_cell("answer = 0  # your answer here\ncheck('start.food_day_kwh', answer)", execution_count=5,
                         metadata={"tags": ["exercise"]},
                         outputs=[v4.new_output("stream", name="stdout", text="❌ Not yet: 0 kWh.\n")]),
        v4.new_code_cell(f"answer = 2500 * 4.184 / 3600  # {DEMO_SECRET}\ncheck('start.food_day_kwh', answer)",
                         execution_count=6, metadata={"tags": ["solution"], "slideshow": {"slide_type": "fragment"}},
                         outputs=[v4.new_output("stream", name="stdout", text=f"✅ Correct ({DEMO_SECRET} output)\n")]),
        v4.new_markdown_cell(f"Why: 1 kcal = 4.184 kJ ({DEMO_SECRET} explanation).", metadata={"tags": ["solution"]}),
        v4.new_markdown_cell("## Sources", metadata={"slideshow": {"slide_type": "slide"}}),
    ]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["course"] = {
        "title": "Demo notebook", "time": "10 min", "prerequisites": "none",
        "objectives": ["read a chart with a slider", "answer an exercise"],
        "instructors": "Pause after the chart for questions.",
    }
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["widgets"] = {WIDGET_STATE_MIME: {"version_major": 2, "version_minor": 0, "state": state}}
    return nb
