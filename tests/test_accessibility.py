"""Accessibility checks that need no browser (the browser's are in tests/browser/test_accessibility.py).

* contrast: the measure of WCAG 2.1 (``course_tools.build.contrast``), the site's code colours, the
  style sheet's own colour pairs, the charts' theme (white card, dark text in any JupyterLab theme)
  and the styled table's shaded rows;
* the site's HTML: page language, skip link, landmarks, figures named and captioned by each chart's
  text alternative, scroll boxes reachable by keyboard, slides as labelled groups; the student site;
* handouts: the text alternative in the listing and inside every SVG;
* charts: no category told apart by colour alone, slider charts saying what their controls change,
  the Kalundborg network's labels off its flows;
* explorers: every control has a label a screen reader reads.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_tools import build
from course_tools.build.contrast import AA_TEXT, contrast_ratio, pygments_css, readable
from tests.harness.demo import DEMO_SECRET, demo_notebook

STATIC = Path(build.__file__).resolve().parent / "templates" / "course" / "static"


# ---------------------------------------------------------------------------------------- contrast


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#fff") == pytest.approx(4.54, abs=0.01)  # the lightest grey passing AA
    assert contrast_ratio("#777777", "#ffffff") < AA_TEXT


def test_readable_darkens_on_light_and_lightens_on_dark_backgrounds():
    dark = readable("#3D7B7B", "#f5f5f2")
    assert contrast_ratio(dark, "#f5f5f2") >= AA_TEXT and dark != "#3D7B7B"
    light = readable("#0072B2", "#1b1b1b")
    assert contrast_ratio(light, "#1b1b1b") >= AA_TEXT
    assert readable("#1b1b1b", "#ffffff") == "#1b1b1b"  # already readable: unchanged


@pytest.mark.parametrize("bad", ["red", "#12345", "rgb(0,0,0)", None])
def test_contrast_refuses_what_is_not_a_hex_colour(bad):
    with pytest.raises(ValueError, match=r"colour must be a hex colour such as '#1b1b1b' or '#fff', got"):
        contrast_ratio(bad, "#ffffff")


def test_every_code_colour_reaches_aa_on_the_code_background():
    css = pygments_css("default", background="#f5f5f2")
    colours = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})\b", css)
    assert len(colours) > 30
    weak = sorted({c for c in colours if contrast_ratio(c, "#f5f5f2") < AA_TEXT})
    assert weak == [], f"code colours under 4.5:1 on #f5f5f2: {weak}"


@pytest.mark.parametrize("foreground, background, what", [
    ("#1b1b1b", "#fff", "text"),
    ("#555", "#fff", "muted text, notes, figure captions"),
    ("#555", "#fafafa", "explorer placeholder note"),
    ("#0072b2", "#fff", "links, 'Text description'"),
    ("#fff", "#0b3d5c", "header and slide bar"),
    ("#0b3d5c", "#fff", "skip link"),
    ("#1b1b1b", "#fdd", "error output"),
    ("#1b1b1b", "#f5f5f2", "code"),
    ("#b00", "#fff", "a chart that failed"),
])
def test_the_style_sheets_colour_pairs_reach_aa(foreground, background, what):
    css = (STATIC / "course.css").read_text(encoding="utf-8").lower()
    for colour in (foreground, background):
        assert re.search(re.escape(colour) + r"\b", css), f"{colour} ({what}) is no longer in course.css: update this test"
    assert contrast_ratio(foreground, background) >= AA_TEXT, what


def test_chart_theme_is_a_white_card_with_dark_text_in_any_jupyterlab_theme():
    import altair as alt

    from course_lib import charts

    config = alt.theme.get()()["config"]
    assert config["background"] == "white"
    texts = [config["title"]["color"], config["title"]["subtitleColor"], config["text"]["color"]]
    for part in ("axis", "legend", "header"):
        texts += [config[part]["labelColor"], config[part]["titleColor"]]
    assert all(contrast_ratio(c, "#ffffff") >= AA_TEXT for c in texts), texts
    assert charts.PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")  # still Okabe-Ito


def test_styled_table_marks_flagged_rows_in_words_and_keeps_their_contrast():
    from course_lib import energy

    styler = energy.styled_table()
    markup = styler.to_html()
    flagged = [item for item in styler.data["item"] if item.startswith("⚠ ")]
    assert flagged, "no row of Table 1 is flagged any more: the check below tests nothing"
    assert "marked ⚠" in styler.caption
    assert re.search(r"background-color: #fde8d7;\s*color: #1b1b1b;", markup)
    assert contrast_ratio("#1b1b1b", "#fde8d7") >= AA_TEXT


# ---------------------------------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    demo = src / "01_demo.ipynb"
    nbformat.write(demo_notebook(), demo)
    out = tmp_path_factory.mktemp("sites")
    return demo, build.build_site([demo], out / "site"), build.build_site([demo], out / "student", student=True)


def _figures(page: str) -> list[tuple[str, dict[str, Any], str]]:
    """(aria-label, spec, caption text) of every chart figure of a page."""
    found = []
    for match in re.finditer(r'<figure class="chart"[^>]*aria-label="([^"]*)"[^>]*>(.*?)</figure>', page, re.S):
        spec = json.loads(re.search(r'class="chart-spec">(.*?)</script>', match.group(2), re.S).group(1))
        caption = re.search(r"<figcaption.*?<p>(.*?)</p>", match.group(2), re.S).group(1)
        found.append((html.unescape(match.group(1)), spec, html.unescape(caption)))
    return found


@pytest.mark.slow  # builds two sites of the demo (once for the file)
def test_pages_have_language_skip_link_and_landmarks(demo_site):
    _, site, _ = demo_site
    for name in ("index.html", "01_demo.html", "01_demo.slides.html"):
        page = (site.out / name).read_text(encoding="utf-8")
        assert '<html lang="en">' in page, name
        body = page.split("<body", 1)[1]
        first_link = re.search(r"<a\b[^>]*>", body).group()
        assert 'class="skip-link" href="#content"' in first_link, name  # the first thing a Tab reaches
        assert body.count('<main id="content" tabindex="-1"') == 1, name
    page = (site.out / "01_demo.html").read_text(encoding="utf-8")
    assert '<header class="site">' in page and '<nav aria-label="This notebook">' in page
    assert '<nav class="pager" aria-label="Previous and next notebook">' in page


@pytest.mark.slow  # builds two sites of the demo (once for the file)
def test_every_figure_is_named_and_captioned_by_its_text_alternative(demo_site):
    from course_lib.charts import text_alternative

    _, site, _ = demo_site
    for name in ("01_demo.html", "01_demo.slides.html"):
        figures = _figures((site.out / name).read_text(encoding="utf-8"))
        assert len(figures) == site.pages[name] == 2
        for label, spec, caption in figures:
            assert label == caption == text_alternative(spec)
            assert label.startswith("Chart: ") and "Source: made up for the demo" in label


@pytest.mark.slow  # builds two sites of the demo (once for the file)
def test_boxes_that_may_scroll_are_reachable_by_keyboard(demo_site):
    _, site, _ = demo_site
    page = (site.out / "01_demo.html").read_text(encoding="utf-8")
    boxes = re.findall(r"<(?:div|span) class=\"(cell-input|output-html|chart-scroll|table-scroll|formula-scroll)\"([^>]*)>", page)
    assert {kind for kind, _ in boxes} >= {"cell-input", "output-html", "chart-scroll", "formula-scroll"}
    for kind, attributes in boxes:
        assert 'tabindex="0"' in attributes and 'role="region"' in attributes, kind
        assert re.search(r'aria-label="[^"]+ \(scrolls sideways\)"', attributes), kind
        assert "data-scroll-box=" in attributes, kind  # course.js keeps them focusable while they overflow


@pytest.mark.slow  # builds two sites of the demo (once for the file)
def test_slides_are_labelled_groups_with_a_live_status(demo_site):
    _, site, _ = demo_site
    slides = (site.out / "01_demo.slides.html").read_text(encoding="utf-8")
    groups = re.findall(r'<div class="slide" id="slide-(\d+)" role="group" aria-roledescription="slide" '
                        r'aria-label="Slide (\d+) of 6" tabindex="0">', slides)
    assert [a for a, _ in groups] == [b for _, b in groups] == [str(i) for i in range(1, 7)]
    assert 'aria-live="polite"' in slides and '<nav class="slides-bar" aria-label="Slide controls">' in slides
    assert '<button class="fullscreen" type="button">Full screen</button>' in slides


@pytest.mark.slow  # builds two sites of the demo (once for the file)
def test_student_site_leaves_out_the_worked_solutions(demo_site):
    demo, site, student = demo_site
    assert set(student.pages) == set(site.pages)
    for name in student.pages:
        text = (student.out / name).read_text(encoding="utf-8")
        assert DEMO_SECRET not in text, name
        assert "For instructors" not in text, name  # the instructor's note too
    assert DEMO_SECRET in (site.out / "01_demo.html").read_text(encoding="utf-8")
    assert "For instructors" in (site.out / "01_demo.slides.html").read_text(encoding="utf-8")
    assert "(student version)" in (student.out / "index.html").read_text(encoding="utf-8")
    downloaded = nbformat.read(student.out / "notebooks" / "01_demo.ipynb", as_version=4)
    assert downloaded.metadata["course"]["version"] == "student"
    assert DEMO_SECRET not in json.dumps(downloaded)


@pytest.mark.slow  # builds two sites of the demo (once for the file)
def test_site_student_option_on_the_command_line(tmp_path, monkeypatch, demo_site):
    demo, _, _ = demo_site
    monkeypatch.chdir(tmp_path)
    assert build.main(["site", "--student", str(demo)]) == 0
    assert (tmp_path / "build" / "site-student" / "01_demo.html").is_file()
    assert not (tmp_path / "build" / "site").exists()
    with pytest.raises(TypeError, match="student must be True or False, got 'yes'"):
        build.build_site([demo], tmp_path / "other", student="yes")


def test_empty_header_cells_of_tables_become_plain_cells():
    from course_tools.build.markup import accessible_html, markdown

    assert accessible_html("<table><tr><th></th><th>kWh</th></tr></table>") == "<table><tr><td></td><th>kWh</th></tr></table>"
    assert accessible_html('<th class="blank level0" >&nbsp;</th>') == '<td class="blank level0"></td>'
    table = markdown("| | kWh |\n|---|---|\n| a | 1 |")
    assert 'class="table-scroll"' in table and "<th></th>" not in table and "<td></td>" in table


# ---------------------------------------------------------------------------------------- handouts


@pytest.mark.slow  # builds two sites of the demo (once for the file)
def test_handouts_carry_each_charts_text_alternative(demo_site, tmp_path):
    from course_lib.charts import text_alternative

    demo, _, _ = demo_site
    build.build_handouts([demo], tmp_path, formats="svg")
    folder = tmp_path / demo.stem
    listing = (folder / "README.md").read_text(encoding="utf-8")
    for chart in build.charts_in(nbformat.read(demo, as_version=4)):
        alt_text = text_alternative(chart.spec)
        assert f"Text alternative: {alt_text}" in listing
    svg = (folder / "01-scaled-bars.svg").read_text(encoding="utf-8")
    assert svg.startswith('<svg role="img" aria-label="Chart: Scaled bars.')
    assert "<title>Scaled bars</title><desc>Chart: Scaled bars." in svg


# ---------------------------------------------------------------------------------------- charts

_OTHER_CHANNELS = ("shape", "strokeDash", "size", "fillOpacity", "strokeWidth")
_POSITIONS = ("x", "y", "xOffset", "yOffset", "row", "column", "facet")


def _units(spec: dict, facets: tuple = ()) -> list[tuple[dict, tuple]]:
    """Every single-mark part of a spec, with the fields its facets split it by."""
    found: list[tuple[dict, tuple]] = []
    facet = spec.get("facet", {})
    fields = facets + tuple(f["field"] for f in ([facet] if "field" in facet else facet.values()) if isinstance(f, dict) and "field" in f)
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for inner in spec.get(key, []):
            found += _units(inner, fields)
    if "spec" in spec:
        found += _units(spec["spec"], fields)
    if "mark" in spec:
        found.append((spec, fields))
    return found


def _texts_name(spec: dict, units: list, field: str, text_field: str) -> bool:
    """Whether some table of the chart has both fields, each text naming its row's category."""
    tables = [rows for rows in spec.get("datasets", {}).values() if isinstance(rows, list)]
    tables += [u["data"]["values"] for u, _ in units if isinstance(u.get("data"), dict) and "values" in u["data"]]
    return any(rows and all(isinstance(r, dict) and field in r and text_field in r and str(r[field]) in str(r[text_field])
                            for r in rows) for rows in tables)


def colour_alone(spec: dict) -> list[str]:
    """Categories (nominal fields on colour, fill or stroke) that nothing but colour tells apart.

    A category is also told apart when the same field is encoded as a shape, dash, size or fill
    opacity, is on a position axis or a facet (its labels name it), or a text mark writes it
    (the field itself, or a text that contains it).
    """
    units = _units(spec)
    alone = []
    for unit, facets in units:
        for channel in ("color", "fill", "stroke"):
            encoding = unit.get("encoding", {}).get(channel)
            if not isinstance(encoding, dict) or encoding.get("type") not in ("nominal", "ordinal") or "field" not in encoding:
                continue
            field = encoding["field"]
            told = field in facets
            for other, _ in units:
                for name, channel_spec in other.get("encoding", {}).items():
                    if not isinstance(channel_spec, dict):
                        continue
                    same = channel_spec.get("field") == field and not ("scale" in channel_spec and channel_spec["scale"] is None)
                    if same and name in _OTHER_CHANNELS + _POSITIONS + ("text",):
                        told = True
                    elif name == "text" and _texts_name(spec, units, field, channel_spec.get("field", "")):
                        told = True
            if not told:
                alone.append(field)
    return alone


def _chart_makers() -> dict[str, Any]:
    from course_lib import capital, circular, economics, energy, lean, symbiosis, zeri
    from course_lib.energy.model import compare
    from course_lib.symbiosis.park import kalundborg

    return {
        "capital.income_capital_chart": capital.income_capital_chart,
        "capital.stock_chart": lambda: capital.stock_chart(capital.compare_policies(0.5, 1000, 150, years=20, initial=500)),
        "capital.reserve_chart": capital.reserve_chart,
        "capital.trends_chart": capital.trends_chart,
        "capital.life_growth_chart": capital.life_growth_chart,
        "circular.steady_state_chart": lambda: circular.steady_state_chart(circular.lifetime_effect()),
        "circular.timeline_chart": lambda: circular.timeline_chart(circular.simulate(10, lease_share=1, recycle=0.5)),
        "circular.policy_slider_chart": circular.policy_slider_chart,
        "economics.npv_slider_chart": economics.npv_slider_chart,
        "economics.sensitivity_chart": lambda: economics.sensitivity_chart(economics.sensitivity("zeri")),
        "economics.lines_chart": lambda: economics.lines_chart(economics.appraise("zeri")),
        "economics.reported_chart": economics.reported_chart,
        "energy.table_chart": energy.table_chart,
        "energy.scale_chart": energy.scale_chart,
        "energy.comparison_chart": lambda: energy.comparison_chart(compare("aluminium", "car"), "MJ"),
        "energy.then_and_now_chart": energy.then_and_now_chart,
        "lean.days_grid_chart": lean.days_grid_chart,
        "lean.log_timeline_chart": lean.log_timeline_chart,
        "lean.value_stream_chart": lambda: lean.value_stream_chart(
            __import__("pandas").DataFrame({"step": ["make", "wait"], "lead_time": [10, 30], "value_added_time": [5, 0]})),
        "lean.material_chart": lean.material_chart,
        "lean.ratio_slider_chart": lean.ratio_slider_chart,
        "symbiosis.network_chart": lambda: symbiosis.network_chart(kalundborg()),
        "symbiosis.what_if_chart": lambda: symbiosis.what_if_chart(kalundborg(), close="asnaes"),
        "symbiosis.profits_chart": symbiosis.profits_chart,
        "symbiosis.noveren_chart": symbiosis.noveren_chart,
        "symbiosis.history_chart": symbiosis.history_chart,
        "zeri.comparison_chart": zeri.comparison_chart,
        "zeri.tornado_chart": lambda: zeri.tornado_chart(zeri.sensitivity("fish")),
        "zeri.cascade_diagram": zeri.cascade_diagram,
    }


#: Charts whose categories are told apart otherwise than the check above can see, and how.
_TOLD_OTHERWISE = {
    "zeri.cascade_diagram": "bands wide enough for text carry their kind (test_flow_bands_carry_their_category)",
}


@pytest.fixture(scope="module")
def chart_specs() -> dict[str, dict]:
    return {name: make().to_dict() for name, make in _chart_makers().items()}


@pytest.mark.slow  # draws every chart of the course (once for the file)
def test_no_course_chart_tells_categories_apart_by_colour_alone(chart_specs):
    found = {name: colour_alone(spec) for name, spec in chart_specs.items() if name not in _TOLD_OTHERWISE}
    assert {name: fields for name, fields in found.items() if fields} == {}


def test_the_colour_alone_check_catches_a_colour_only_legend():
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame({"t": [0, 1, 0, 1], "v": [1, 2, 2, 1], "series": ["a", "a", "b", "b"]})
    lines = alt.Chart(frame).mark_line().encode(x="t:Q", y="v:Q", color="series:N")
    assert colour_alone(lines.to_dict()) == ["series"]
    assert colour_alone(lines.encode(strokeDash="series:N").to_dict()) == []
    labelled = frame.assign(label=[f"{s}: {v}" for s, v in zip(frame["series"], frame["v"])])
    text = alt.Chart(labelled).mark_text().encode(x="t:Q", y="v:Q", text="label:N")
    assert colour_alone(alt.layer(lines.properties(data=labelled), text).to_dict()) == []


@pytest.mark.slow  # draws every chart of the course (once for the file)
def test_flow_bands_carry_their_category(chart_specs):
    spec = chart_specs["zeri.cascade_diagram"]
    bands = next(rows for name, rows in spec["datasets"].items() if name.startswith("flow_bands"))
    texts = next(rows for name, rows in spec["datasets"].items() if name.startswith("flow_labels"))
    labelled = {row["text"] for row in texts if row.get("band")}
    kinds = {row["key"] for row in bands}
    assert len(labelled) >= 4 and labelled <= kinds
    assert '"stroke": "white"' in json.dumps(spec)  # labels are drawn over a white halo


@pytest.mark.slow  # draws every chart of the course (once for the file)
def test_slider_charts_say_what_their_controls_change(chart_specs):
    control = re.compile(r"\b(sliders?|menu|buttons?|switch)\b", re.I)
    change = re.compile(r"\b(change|changes|sets?|picks?|shows?|highlights|multipl\w+|switch|scales|close)\b", re.I)
    bound = {name: spec for name, spec in chart_specs.items() if any("bind" in p for p in spec.get("params", []))}
    assert len(bound) >= 8
    for name, spec in bound.items():
        sentences = re.split(r"(?<=[.;:])\s+", spec["description"])
        assert any(control.search(s) and change.search(s) for s in sentences), (name, spec["description"])
    from course_lib.charts import text_alternative

    demo = text_alternative(build.charts_in(demo_notebook())[0].spec)
    assert "The slider (factor, 0 to 4) multiplies every bar" in demo


@pytest.mark.slow  # draws every chart of the course (once for the file)
def test_descriptions_name_series_as_legends_do_not_by_colour(chart_specs):
    colours = re.compile(r"\b(orange|blue|red|green|grey|gray|yellow|purple|pink)\b", re.I)
    assert {n: s["description"] for n, s in chart_specs.items() if colours.search(s["description"])} == {}


def test_network_labels_keep_off_the_flows():
    from course_lib.symbiosis import charts as network
    from course_lib.symbiosis.layout import _geometry
    from course_lib.symbiosis.park import kalundborg

    edges, nodes = _geometry(kalundborg())
    segments = list(zip(edges["x"], edges["y"], edges["x2"], edges["y2"]))

    def crossings(frame) -> int:
        total = 0
        for row in frame.itertuples():
            half_w, half_h = len(row.label) * network._CHAR / 2, network._LINE / 2
            box = (row.label_x - half_w, row.label_y - half_h, row.label_x + half_w, row.label_y + half_h)
            total += sum(network._crosses(s, box) for s in segments)
        return total

    before, after = crossings(nodes), crossings(network._placed_labels(edges, nodes))
    assert after <= 10 and after * 3 <= before, (before, after)


# ---------------------------------------------------------------------------------------- explorers


def test_explorer_gives_every_control_a_label():
    import ipywidgets as w

    from course_lib.widgets import Explorer

    box = Explorer({"growth_rate": w.FloatSlider(value=1.0), "unit": w.Dropdown(options=["kWh"], description="unit")},
                   lambda growth_rate, unit: f"{growth_rate} {unit}", title="A <test> & more")
    assert box.controls["growth_rate"].description == "growth rate"
    assert box.controls["unit"].description == "unit"
    assert box.children[0].value == "<b>A &lt;test&gt; &amp; more</b>"


def test_every_course_explorer_control_has_a_label():
    from course_lib import widgets

    unlabelled = {}
    for name, make in widgets.all_explorers().items():
        missing = [key for key, control in make().controls.items() if not str(control.description).strip()]
        if missing:
            unlabelled[name] = missing
    assert unlabelled == {}
