"""The charts, explorers and printed summaries of zeri, symbiosis, economics and flows (and the floor's
charts, widgets, formats and data) speak the course language.

Each test builds a chart or an explorer twice: with ``COURSE_LANG=zh-Hant`` and a catalogue compiled
here from a few of the translations (so the test does not wait for the package's catalogue), and
with ``COURSE_LANG=en``, where every word must be the English one.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from course_lib import charts, data, formats, i18n
from course_lib.economics import capstone, charts as eco_charts
from course_lib.economics import model as eco_model
from course_lib.symbiosis import charts as sym_charts
from course_lib.symbiosis import explorers as sym_explorers
from course_lib.symbiosis import network
from course_lib.symbiosis.park import kalundborg
from course_lib.widgets import Explorer
from course_lib.zeri import charts as zeri_charts
from course_lib.zeri import explorers as zeri_explorers
from course_lib.zeri.ranking import sensitivity

#: English message -> Traditional Chinese, as in the translators' catalogue.
ZH = {
    "Source: {source}": "資料來源：{source}",
    "Chart: {title}.": "圖表：{title}。",
    "Interactive explorer": "互動探索器",
    "[{title}: controls {controls}. Run this cell in a live kernel to use them.]":
        "[{title}：控制項 {controls}。請在運作中的核心內執行這個儲存格以使用它們。]",
    "{items} and {last}": "{items}和{last}",
    ", ": "、",
    "{n} days": "{n} 天",
    "{title}. Dataset '{name}' (datasets/{path}) in: {course}. Sources: {sources}.":
        "{title}。數據集「{name}」（datasets/{path}），載於：{course}。資料來源：{sources}。",
    "from": "由",
    "to": "至",
    "Where the brewery's kilograms go": "啤酒廠的每一公斤去了哪裏",
    "dry matter": "乾物質",
    "fresh mass (with water)": "鮮質量（連水分）",
    "show": "顯示",
    "kind": "類型",
    "{name}: ": "{name}：",
    "Brewery alone vs brewery in a ZERI cluster": "單獨運作的啤酒廠與 ZERI 集群中的啤酒廠",
    "brewery alone": "單獨運作的啤酒廠",
    "ZERI cluster": "ZERI 集群",
    "Fish (fresh)": "魚（新鮮）",
    "Which assumption moves {outcome} most?": "哪一項假設對{outcome}影響最大？",
    "ZERI cascade explorer": "ZERI 梯級利用探索器",
    "beer (hL)": "啤酒（hL）",
    "{park}: who gives what to whom": "{park}：誰把甚麼給誰",
    "Highlight a partner: ": "突出顯示一個夥伴：",
    "(all partners)": "（所有夥伴）",
    "flow category": "流量類別",
    "{park}: what if one partner closes?": "{park}：如果一個夥伴關閉會怎樣？",
    "+ {n} flows with no printed quantity": "+ {n} 項沒有印出數量的流量",
    "Closed: {partners}": "已關閉：{partners}",
    "Partner": "夥伴",
    "Partner explorer: pick a partner, see its flows": "夥伴探索器：選取一個夥伴，查看它的流量",
    "What if partners close? Tick them": "如果夥伴關閉會怎樣？剔選它們",
    "Close {partners}: {result}": "關閉 {partners}：{result}",
    "{n} exchanges are lost": "失去 {n} 項交換",
    "✅ The park reads cleanly: {partners} partners, {exchanges} exchanges ({quantified} with a quantity).":
        "✅ 園區讀取無誤：{partners} 個夥伴，{exchanges} 項交換（{quantified} 項有數量）。",
    "Does the ZERI cascade pay?": "ZERI 梯級利用划算嗎？",
    "{question} Move the sliders (works without a kernel)": "{question}移動滑桿（無需核心也能運作）",
    "after {years} years: {money} {currency} (it pays)": "{years} 年後：{money} {currency}（划算）",
    "after {years} years: {money} {currency} (it does not pay)": "{years} 年後：{money} {currency}（不划算）",
    "Which number decides the verdict?": "哪一個數字決定結論？",
    "Who gains what each year: {case}": "每年誰得益多少：{case}",
    "the ZERI cascade": "ZERI 梯級利用",
    "it does not pay": "不划算",
    "The ink cartridge: where the material goes each year": "墨盒：物料每年的去向",
    "virgin material": "原生物料",
    "Give a figure with its unit, such as 0.87 kWh": "請給出一個附單位的數字，例如 0.87 kWh",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(tmp_path, monkeypatch) -> Iterator[None]:
    """The course language set to zh-Hant, with a catalogue compiled from :data:`ZH`."""
    catalog = Catalog(locale="zh_Hant", domain="course_lib")
    for english, chinese_text in ZH.items():
        catalog.add(english, chinese_text)
    path = tmp_path / "course_lib.mo"
    with open(path, "wb") as handle:
        write_mo(handle, catalog)
    with open(path, "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    def catalogue(domain: str, code: str) -> gettext.NullTranslations:
        return translations if domain == "course_lib" and code == "zh-Hant" else gettext.NullTranslations()

    monkeypatch.setattr(i18n, "_catalogue", catalogue)
    monkeypatch.setenv(i18n.LANG_ENV, "zh-Hant")
    yield


@pytest.fixture
def english(monkeypatch) -> None:
    monkeypatch.setenv(i18n.LANG_ENV, "en")


def _title(spec: dict) -> str:
    title = spec["title"]
    return title["text"] if isinstance(title, dict) else title


def _bind_names(spec: dict) -> list[dict]:
    return [p["bind"] for p in spec.get("params", []) if "bind" in p]


def test_floor_in_chinese(chinese) -> None:
    import altair as alt
    import pandas as pd

    bars = alt.Chart(pd.DataFrame({"x": ["a"], "y": [1]})).mark_bar().encode(x="x", y="y")
    spec = charts.finish(bars, title="T", source="a test", description="D").to_dict()
    assert spec["title"]["subtitle"] == "資料來源：a test"
    assert charts.text_alternative(spec) == "圖表：T。 D 資料來源：a test"
    box = Explorer({"n": __import__("ipywidgets").IntSlider(value=2)}, lambda n: n)
    assert box.title == "互動探索器" and repr(box).startswith("[互動探索器：控制項 n。")
    assert formats.listing(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert formats.duration(72) == "3 天"
    assert "數據集「energy_table」" in data.cite("energy_table")


def test_floor_in_english(english) -> None:
    assert formats.listing(["a", "b", "c"]) == "a, b and c"
    assert formats.duration(72) == "3 days"
    assert "Dataset 'energy_table' (datasets/" in data.cite("energy_table")
    assert charts.text_alternative({"title": {"text": "T", "subtitle": "Source: s"}, "description": "D"}) == "Chart: T. D Source: s"


def test_zeri_in_chinese(chinese) -> None:
    spec = zeri_charts.cascade_diagram().to_dict()
    assert _title(spec) == "啤酒廠的每一公斤去了哪裏"
    (bind,) = _bind_names(spec)
    assert bind["options"] == ["dry matter", "fresh mass (with water)"]  # the values the filters test stay
    assert bind["labels"] == ["乾物質", "鮮質量（連水分）"] and bind["name"] == "顯示："
    tooltips = [t["title"] for layer in spec["layer"] for t in layer.get("encoding", {}).get("tooltip", [])
                if isinstance(t, dict)]
    assert "由" in tooltips and "至" in tooltips
    comparison = zeri_charts.comparison_chart().to_dict()
    assert _title(comparison) == "單獨運作的啤酒廠與 ZERI 集群中的啤酒廠"
    values = {row["scenario"] for rows in comparison["datasets"].values() for row in rows if "scenario" in row}
    assert values == {"單獨運作的啤酒廠", "ZERI 集群"}
    assert _title(zeri_charts.tornado_chart(sensitivity("fish"), top=3).to_dict()) == "哪一項假設對魚（新鮮）影響最大？"
    box = zeri_explorers.cascade_explorer(["share_mushroom"])
    assert box.title == "ZERI 梯級利用探索器"
    assert box.controls["beer_hl"].description == "啤酒（hL）"
    assert box.controls["view"].options == (("乾物質", "dry matter"), ("鮮質量（連水分）", "fresh mass (with water)"))
    box.controls["view"].value = "fresh mass (with water)"
    assert _title(box.result.to_dict()).endswith("鮮質量（連水分）")


def test_zeri_in_english(english) -> None:
    spec = zeri_charts.cascade_diagram().to_dict()
    assert _title(spec) == "Where the brewery's kilograms go" and not _CJK.search(spec["description"])
    (bind,) = _bind_names(spec)
    assert bind["labels"] == bind["options"] == ["dry matter", "fresh mass (with water)"] and bind["name"] == "show: "
    assert _title(zeri_charts.tornado_chart(sensitivity("fish"), top=3).to_dict()) == "Which assumption moves fish (fresh) most?"
    box = zeri_explorers.cascade_explorer(["share_mushroom"])
    assert box.title == "ZERI cascade explorer" and box.controls["beer_hl"].description == "beer (hL)"


def test_symbiosis_in_chinese(chinese) -> None:
    park = kalundborg()
    spec = sym_charts.network_chart(park).to_dict()
    assert _title(spec) == "Kalundborg：誰把甚麼給誰"
    (bind,) = _bind_names(spec)
    assert bind["name"] == "突出顯示一個夥伴：" and bind["labels"][0] == "（所有夥伴）" and bind["options"][0] == "(all partners)"
    what_if = sym_charts.what_if_chart(park).to_dict()
    assert _title(what_if) == "Kalundborg：如果一個夥伴關閉會怎樣？"
    assert '"+ " + datum.n + " 項沒有印出數量的流量"' in str(what_if)
    box = sym_explorers.partner_explorer("gyproc")
    assert box.title == "夥伴探索器：選取一個夥伴，查看它的流量" and box.controls["partner"].description == "夥伴"
    closing = sym_explorers.what_if_explorer(close=("asnaes",))
    assert closing.title == "如果夥伴關閉會怎樣？剔選它們"
    assert closing.result.text.startswith("關閉 Asnæs Power Station：失去 13 項交換")
    assert closing.result.chart.to_dict()["title"]["text"] == "已關閉：Asnæs Power Station"
    assert str(network.what_if(park, "asnaes")).startswith("關閉 Asnæs Power Station：")


def test_symbiosis_in_english(english) -> None:
    park = kalundborg()
    spec = sym_charts.network_chart(park).to_dict()
    assert _title(spec) == "Kalundborg: who gives what to whom" and not _CJK.search(spec["description"])
    assert _bind_names(spec)[0]["labels"][0] == "(all partners)"
    closing = sym_explorers.what_if_explorer(close=("asnaes",))
    assert closing.result.text.startswith("Close Asnæs Power Station: 13 exchanges are lost")
    assert closing.result.chart.to_dict()["title"]["text"] == "Closed: Asnæs Power Station"
    for chart in (sym_charts.profits_chart(), sym_charts.noveren_chart(), sym_charts.history_chart()):
        spec = chart.to_dict()
        assert not _CJK.search(_title(spec) + spec["description"])


def test_economics_in_chinese(chinese) -> None:
    spec = eco_charts.npv_slider_chart("zeri").to_dict()
    assert _title(spec) == "ZERI 梯級利用划算嗎？移動滑桿（無需核心也能運作）"
    assert "（不划算）" in str(spec) and "(it pays)" not in str(spec)
    appraisal = eco_model.appraise("zeri")
    assert _title(eco_charts.lines_chart(appraisal).to_dict()) == "每年誰得益多少：ZERI 梯級利用"
    assert _title(eco_charts.sensitivity_chart(eco_model.sensitivity("zeri")).to_dict()) == "哪一個數字決定結論？"
    assert "不划算" in appraisal.summary()
    review = capstone.review_capstone({"energy": "short"})
    assert "請給出一個附單位的數字，例如 0.87 kWh" in review.loc[0, "feedback"]


def test_economics_in_english(english) -> None:
    spec = eco_charts.npv_slider_chart("zeri").to_dict()
    assert _title(spec) == "Does the ZERI cascade pay? Move the sliders (works without a kernel)"
    assert "(it does not pay)" in str(spec) and not _CJK.search(str(spec))
    assert eco_model.appraise("zeri").summary().endswith("so at these prices it does not pay.")
    review = capstone.review_capstone({"energy": "short"})
    assert review.loc[1, "feedback"] == "Nothing yet: natural capital."
