"""The charts, explorers and printed summaries of start, energy, capital, lean and circular in
Traditional Chinese: built with a catalogue compiled from the translations, and unchanged in English."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from course_lib import capital, circular, energy, i18n, lean, start
from course_lib.circular.model import simulate

CATALOGUE = Path(i18n.__file__).resolve().parent / "locale" / "zh_Hant" / "LC_MESSAGES" / "course_lib.po"


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Course language zh-Hant, with the package's own compiled catalogue; returns its translations."""
    with CATALOGUE.open("rb") as handle:
        table = {m.id: m.string for m in read_po(handle) if m.id and m.string and not m.fuzzy}
    monkeypatch.setenv(i18n.LANG_ENV, "zh-Hant")
    return table


def _title(chart: Any) -> str:
    text = chart.to_dict()["title"]["text"]
    return " ".join(text) if isinstance(text, list) else text


def test_energy_charts_and_comparator_speak_chinese(zh):
    spec = energy.table_chart().to_dict()
    assert spec["title"]["text"] == "表1：人類活動及產品的能量"
    assert spec["description"].startswith("對數座標軸上的橫向棒形")
    assert spec["params"][0]["bind"]["name"] == "能量單位："
    assert "千卡（kcal）" in spec["params"][0]["bind"]["labels"]
    assert _title(energy.scale_chart()) == "同一個表，兩種座標軸"
    assert "1975年為" in energy.then_and_now_chart().to_dict()["description"]
    box: Any = energy.comparator()
    assert box.title == "比較表1的兩行" and box.controls["amount_a"].description.startswith("數量，以")
    assert "比率 A/B" in box.result.to_dict()["description"]
    headings = energy.styled_table().to_html()
    assert "印出的數值" in headings and "千卡（整理後）" in headings and "資料來源：" in headings
    assert "但表中印的是" in energy.table_checks(0.10).set_index("check").loc["food_30_years", "explanation"]


def test_start_capital_lean_circular_speak_chinese(zh, capsys):
    assert start.test_chart().to_dict()["title"]["text"].startswith("測試圖表：")
    assert start.unit_converter().controls["unit"].description == "單位"
    assert start.environment().splitlines()[1].startswith("圖表顯示方式：")
    stock = capital.stock_chart(capital.compare_policies(0.5, 1000, 150, years=20, initial=500)).to_dict()
    assert stock["title"]["text"] == "從最多 1,000 t 的存量每年採收 150 t" and "最大可持續產量" in stock["description"]
    assert "固定數量" in json.dumps(stock, ensure_ascii=False)  # the legend names the policies in Chinese
    assert capital.income_capital_chart().to_dict()["title"]["text"].startswith("收入還是資本？")
    assert _title(capital.reserve_chart()).startswith("儲量沒有收入")
    assert capital.trends_chart().to_dict()["title"]["subtitle"][-1].startswith("分組：已發展 = ")
    explorer: Any = capital.stock_explorer()
    assert explorer.controls["policy"].label == "全部三個" and explorer.controls["r"].description == "增長率 r（每年）"
    assert capital.reserve_explorer().result.to_dict()["title"]["text"].startswith("petroleum：")
    assert _title(lean.log_timeline_chart()) == "319 日中的 3 小時，以對數刻度顯示"
    assert lean.value_stream_editor("make, 10, 5\nwait, 30, 0").result.to_dict()["title"]["text"] == "你的價值流：12.5 % 的時間增值"
    assert lean.review_value_stream(lean.parse_value_stream("bake, 2, 1\nsell, 22, 1")).startswith("2 個步驟；前置時間")
    assert _title(lean.ratio_slider_chart()).startswith("縮短等待")
    assert circular.timeline_chart(simulate(10, lease_share=1, recycle=0.5)).to_dict()["title"]["text"] == "原生物料：2.68 → 1.47 噸/年"
    slider = circular.policy_slider_chart().to_dict()
    assert slider["title"]["text"].startswith("按你的方式實行服務經濟") and "你的選擇" in json.dumps(slider, ensure_ascii=False)
    assert circular.product_life_explorer().title.startswith("產品壽命模型")
    start.who_am_i(3.5)
    assert capsys.readouterr().out.startswith("未有儲存：3.5 不是姓名或學號")


def test_english_is_unchanged(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    assert energy.table_chart().to_dict()["title"]["text"] == "Table 1: energy of human activities and products"
    assert energy.comparator().controls["unit"].description == "unit:"
    assert capital.stock_chart(capital.compare_policies(0.5, 1000, 150, years=20, initial=500)).to_dict()["title"]["text"] == (
        "Harvesting 150 t/yr from a stock of at most 1,000 t")
    assert "labelExpr" not in json.dumps(capital.trends_chart().to_dict())  # English legends as before
    assert lean.value_stream_editor("make, 10, 5\nwait, 30, 0").result.to_dict()["title"]["text"] == (
        "Your value stream: 12.5 % of the time adds value")
    assert circular.policy_slider_chart().to_dict()["title"]["text"].startswith("Service economy, your way")
    assert start.environment().splitlines()[1].startswith("Chart display:")
