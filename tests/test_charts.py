"""course_lib.charts: offline renderer, course theme, titles/sources/descriptions, static export."""

import altair as alt
import pandas as pd
import pytest

from course_lib import charts, data


@pytest.fixture
def bars():
    frame = pd.DataFrame({"item": ["a", "b"], "kcal": [1.0, 2.0]})
    return alt.Chart(frame).mark_bar().encode(x="item", y="kcal")


def test_import_enables_the_offline_renderer_with_a_text_alternative_and_the_course_theme(bars):
    assert alt.renderers.active == charts.THEME
    assert alt.theme.active == charts.THEME
    chart = charts.finish(bars, title="Two bars", description="Bar b is twice as tall as bar a.", source="a test")
    bundle, _metadata = alt.renderers.get()(chart.to_dict())
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain"}  # no HTML: no CDN, no trust
    # What GitHub's preview, nbviewer or a screen reader gets instead of the chart: its words.
    assert bundle["text/plain"] == "Chart: Two bars. Bar b is twice as tall as bar a. Source: a test"


def test_theme_uses_the_colour_blind_safe_palette_and_large_type():
    config = alt.theme.get()()["config"]
    assert config["range"]["category"][:3] == ["#0072B2", "#E69F00", "#009E73"]
    assert config["axis"]["labelFontSize"] >= 14


def test_finish_adds_title_source_line_and_description(bars):
    spec = charts.finish(bars, title="T", description="Two bars.", source="the seed").to_dict()
    assert spec["title"] == {"text": "T", "subtitle": "Source: the seed"}
    assert spec["description"] == "Two bars."


def test_finish_takes_the_source_from_a_loaded_dataset(bars):
    spec = charts.finish(bars, title="T", description="D", data=data.load("energy_table")).to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Wong-Swanson" in subtitle and "de Rosnay" in subtitle
    assert "2005.;" not in subtitle  # sources are joined without doubled punctuation


def test_long_source_lines_wrap_instead_of_being_cut_off(bars):
    source = "A very long citation, " * 12
    lines = charts.finish(bars, title="T", description="D", source=source).to_dict()["title"]["subtitle"]
    assert isinstance(lines, list) and len(lines) >= 3
    assert all(len(line) <= 110 for line in lines)
    assert " ".join(lines) == f"Source: {source}".strip()


def test_finish_refuses_a_chart_without_source_title_or_description(bars):
    with pytest.raises(ValueError, match="every chart names its source"):
        charts.finish(bars, title="T", description="D")
    with pytest.raises(ValueError, match="title must be a non-empty string"):
        charts.finish(bars, title=" ", description="D", source="s")
    with pytest.raises(ValueError, match="description must be a non-empty string"):
        charts.finish(bars, title="T", description="", source="s")
    with pytest.raises(TypeError, match="chart must be an Altair chart"):
        charts.finish({"mark": "bar"}, title="T", description="D", source="s")
    with pytest.raises(ValueError, match="carries no sources"):
        charts.source_line(pd.DataFrame({"x": [1]}))


def test_check_offline_accepts_finished_charts_and_refuses_urls(bars):
    spec = charts.check_offline(charts.finish(bars, title="T", description="D", source="s"))
    assert spec["$schema"].endswith("v5.20.1.json")
    remote = alt.Chart("https://example.org/data.csv").mark_bar().encode(x="a:Q")
    with pytest.raises(ValueError, match="loads data from a URL"):
        charts.check_offline(charts.finish(remote, title="T", description="D", source="s"))
    with pytest.raises(ValueError, match="no title or description"):
        charts.check_offline(bars)


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<svg"), (".pdf", b"%PDF")])
def test_save_writes_static_images_offline(tmp_path, bars, suffix, magic):
    path = charts.save(charts.finish(bars, title="T", description="D", source="s"), tmp_path / f"chart{suffix}")
    assert path.read_bytes()[:4] == magic[:4]
    assert path.stat().st_size > 500


def test_save_refuses_unknown_formats(tmp_path, bars):
    with pytest.raises(ValueError, match=r"must end in .png, .svg or .pdf"):
        charts.save(bars, tmp_path / "chart.gif")
