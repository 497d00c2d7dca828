"""Feedback in the course language: check() and ask() in Traditional Chinese (Hong Kong), answers
written the Hong Kong way, and the course_lib catalogue complete and credited.

Each feedback path is run with ``COURSE_LANG=zh-Hant`` on questions whose own texts are Chinese
(scratch questions, as a translated ``questions.toml`` gives them), so every English word left in
a verdict is one of course_lib's own sentences that missed the catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from course_lib import _answers, exercises, i18n
from course_lib.exercises import ask, check, evaluate
from course_lib.units import Q_

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "course_lib" / "locale" / "course_lib.pot"
PO = ROOT / "course_lib" / "locale" / "zh_Hant" / "LC_MESSAGES" / "course_lib.po"
TRANSLATED_BY = "translated-by: course maintainers (machine-assisted draft, 2026-12-08)"
REVIEWED_BY = "reviewed-by: pending (awaiting a Hong Kong reviewer)"
FOOD = "start.food_day_kwh"  # 2,000 kcal a day in kWh: 2.324 kWh, within 0.4 %

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Words of course_lib's English sentences: none may be left in a Chinese verdict.
ENGLISH = re.compile(r"\b(?:Not yet|Correct|Noted|Hint|the question asks|asks|expected|within|exactly|too high|too low|"
                     r"times|answer|options?|number|unit|right|missing|belong|words?|replace|run|cell|read|looks|like|"
                     r"is|are|not|of|the|and|or|a|an|per|energy|mass|give|write|check|mixed|with)\b", re.I)


def chinese(text: str) -> str:
    """``text`` after checking it is Chinese: Chinese characters, and no English word of a sentence
    (code the student typed, ``unit='kWh'``, and unit symbols are not sentences)."""
    assert CHINESE.search(text), f"no Chinese in {text!r}"
    bare = re.sub(r"unit=\S+|\bunit(?= [\u4e00-\u9fff])|'[^']*'|「[^」]*」|\"[^\"]*\"|\b(?:kWh|kJ|MJ|GJ|kcal|kg|t|yr|GJ/t|t/GJ)\b", " ", text)
    found = ENGLISH.findall(bare)
    assert not found, f"English words {found} in {text!r}"
    return text


def register(question_id: str, entry: dict, functions: dict | None = None) -> None:
    """Add a scratch question as a topic's (translated) questions.toml would hold it."""
    topic, name = question_id.split(".")
    for q in exercises.from_data(topic, {name: {"kind": "recall", **entry}}, functions or {}):
        exercises._register(q)


@pytest.fixture
def zh(monkeypatch, tmp_path):
    """The course in Chinese for one test, with scratch questions whose own texts are Chinese."""
    monkeypatch.setattr(exercises, "_REGISTRY", dict(exercises._REGISTRY))
    monkeypatch.setattr(exercises, "_ANSWERS", {})
    monkeypatch.setattr(exercises, "_LANGUAGE", list(exercises._LANGUAGE))
    monkeypatch.chdir(tmp_path)  # no stored identity or language
    for name in ("COURSE_STUDENT", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COURSE_ATTEMPT_LOG", str(tmp_path / "attempts.jsonl"))
    monkeypatch.setenv(i18n.LANG_ENV, "zh-Hant")
    exercises.question(FOOD)  # the question bank, read again in Chinese
    register("units.per_t", {"prompt": "每噸的能量是多少？", "unit": "GJ/t"}, {"per_t": lambda v: Q_(50, "GJ/t")})
    register("units.share", {"prompt": "佔多少比例？", "unit": ""}, {"share": lambda v: Q_(0.35, "")})
    register("units.own", {"prompt": "一日的食物有多少千瓦時？", "unit": "kWh", "slips": "own_slips",
                           "explanations": {"kj": "把千焦耳當成了千瓦時。"}},
             {"own": lambda v: Q_(2.5, "kWh"), "own_slips": lambda v: [(Q_(9000, "kWh"), "kj")]})
    register("units.stock", {"prompt": "存量是多少？", "unit": "t/yr"}, {"stock": lambda v: Q_(12000, "t/yr")})
    register("units.big", {"prompt": "總能量是多少？", "unit": "kWh"}, {"big": lambda v: Q_(3.7e9, "kWh")})
    register("units.fall", {"prompt": "數量下降了多少？", "unit": "percent"}, {"fall": lambda v: Q_(-3, "percent")})
    register("units.hub", {"prompt": "哪一個夥伴是樞紐？", "answer": "asnaes", "kind": "misconception",
                           "choices": {"asnaes": "Asnæs 發電廠", "gyproc": "Gyproc 石膏板廠", "statoil": "Statoil 煉油廠"},
                           "explanations": {"gyproc": "Gyproc 只接收：樞紐要供給許多夥伴。"}})
    register("units.gives", {"prompt": "發電廠供給甚麼？", "answer": ["steam", "gypsum", "ash"],
                             "choices": {"steam": "蒸汽", "gypsum": "石膏", "ash": "粉煤灰", "water": "冷卻水"}})
    register("units.sort", {"prompt": "把資本分類。", "answer": {"空氣": "自然", "貸款": "金融"}})
    register("units.think", {"prompt": "為甚麼這很重要？", "kind": "reflection", "model_answer": "因為能量有質素，也有數量。",
                             "rubric": ["full: 質素", "partial: 含糊", "missing: 沒有"]})
    return tmp_path


# ---- right answers and every slip, in Chinese ---------------------------------------------------

def test_a_right_answer_is_praised_in_chinese(zh):
    feedback = evaluate(FOOD, 2.32)
    assert feedback.correct and chinese(feedback.message).startswith("✅ 正確：2.32 kWh")
    assert "預期答案 2.324 kWh" in feedback.message  # the figure formatted as Hong Kong writes it


@pytest.mark.parametrize("answer, words", [
    (3.5, "比答案高了 51%"),                 # too high, by a share
    (1.2, "比答案低了 48%"),                 # too low, by a share
    (80.0, "是答案的 34.4 倍，太高了"),      # too high, many times over
    (8.368, "混淆了千瓦時（kWh）和兆焦耳（MJ）"),  # the general catalogue: kWh for MJ
    (2324.0, "答案的 1,000 倍"),              # a power of ten
    (4.648, "答案加倍了"),                    # doubled
])
def test_every_slip_of_a_number_is_named_in_chinese(zh, answer, words):
    feedback = evaluate(FOOD, answer)
    assert not feedback.correct and feedback.attempted
    assert words in chinese(feedback.message), feedback.message


def test_the_question_s_own_slip_and_a_wrong_kind_of_quantity_in_chinese(zh):
    own = evaluate("units.own", 9000)
    assert own.slip == "kj" and chinese(own.message) == "❌ 還未正確：9,000 kWh 看來是把千焦耳當成了千瓦時。"
    mass = evaluate(FOOD, "2.32 kg")
    assert chinese(mass.message) == "❌ 還未正確：2.32 kg 是質量，但題目要求的是能量（例如以 kWh 為單位）。"
    inverse = evaluate("units.per_t", "0.02 t/GJ")
    assert "這是倒數" in chinese(inverse.message)
    assert "比率倒轉了" in chinese(evaluate("units.share", 1 / 0.35 * 1.0).message)
    assert "35% 即 0.35" in chinese(evaluate("units.share", 35).message)


@pytest.mark.parametrize("given, expected, kinds", [
    (35.0, 0.35, {"percent"}), (8.368, 2.324, {"energy"}), (2906.0, 2.906, None), (0.64, 1.5625, None),
    (4.648, 2.324, None), (5.4289, 2.33, None), (48.0, 2.0, {"rate"}), (730.0, 2.0, {"rate"}), (4.184, 1.0, {"energy"}),
])
def test_every_diagnosis_of_the_general_catalogue_is_chinese(zh, given, expected, kinds):
    words = _answers.diagnose(given, expected, pure_number=expected in (0.35, 1.5625), tol=0.01, kinds=kinds)
    assert words is not None and chinese(words)


def test_a_fall_written_with_a_minus_sign_and_another_right_figure_in_chinese(zh):
    assert chinese(evaluate("units.fall", 3).message).startswith("✅ 正確：3 %，以負號表示下降")


# ---- answers that cannot be read: every path of _not_read, in Chinese ------------------------------

@pytest.mark.parametrize("question, answer, unit, words", [
    (FOOD, "abc", None, "'abc' 不是數字；題目要求的是以 kWh 為單位的數字，例如 1 kWh。"),
    (FOOD, "2 xyz", None, "單位 'xyz' 不是本課程認識的單位"),
    (FOOD, "1 kWh 3", None, "不是單一個數字"),
    (FOOD, "2.32 kWh", "kWh", "已經帶有單位，所以請刪去 unit='kWh'"),
    (FOOD, float("inf"), None, "inf 不是有限的數字"),
    (FOOD, "1e999", None, "這個數字太大"),
    (FOOD, [2.32], None, "答案是 [2.32]；題目要求的是以 kWh 為單位的數字。"),
    (FOOD, 2.32, "xyz", "unit='xyz' 不是本課程認識的單位；請寫一個單位，例如 'kg'"),
    (FOOD, 2.32, "tons", "unit='tons' 有歧義：在 pint 中它是美制短噸（907 kg）"),
    (FOOD, 2.32, 5, "unit 必須是單位名稱（文字），例如 'kg'；收到的是 5"),
    ("units.hub", "zebra", None, "'zebra' 不是其中一個選項：「a」、「b」或「c」。"),
    ("units.hub", "(q)", None, "不是其中一個選項"),
    ("units.hub", [1], None, "答案是 [1]；請從這些選項中選一個：「a」、「b」或「c」。"),
    ("units.gives", 5, None, "請寫出各個名稱，以逗號分隔，例如 \"a, c\"；收到的是 5。"),
    ("units.sort", "空氣", None, "答案須把每一項配上它所屬的組別，例如 {'空氣': '自然', ...}。"),
    ("units.think", "我不知道。", None, "至少 15 個詞，兩個漢字算一個詞；你寫了 2 個"),
    ("units.think", "哈" * 40, None, "湊數的文字"),
])
def test_every_answer_that_cannot_be_read_is_explained_in_chinese(zh, question, answer, unit, words):
    feedback = evaluate(question, answer, unit)
    assert not feedback.correct and not feedback.attempted  # no attempt used up
    assert chinese(feedback.message).startswith("❌ 還未正確：") and words in feedback.message, feedback.message


@pytest.mark.parametrize("question", [FOOD, "units.hub", "units.gives", "units.sort", "units.think"])
def test_a_placeholder_left_says_what_to_write_in_chinese(zh, question):
    feedback = evaluate(question, "?")
    assert not feedback.attempted and chinese(feedback.message).startswith("⏳ 尚未作答：請把 '?' 換成你的答案")


def test_choices_lists_and_sortings_answer_in_chinese(zh):
    assert chinese(evaluate("units.hub", "Gyproc 石膏板廠").message) == (
        "❌ 還未正確：Gyproc 石膏板廠——Gyproc 只接收：樞紐要供給許多夥伴。")
    assert chinese(evaluate("units.hub", "Statoil 煉油廠").message) == "❌ 還未正確：Statoil 煉油廠 不是答案。"
    assert chinese(evaluate("units.hub", "Asnæs 發電廠").message) == "✅ 正確：Asnæs 發電廠。"
    partial = evaluate("units.gives", "蒸汽、冷卻水")
    assert chinese(partial.message) == "❌ 還未正確：3 個中對了 1 個，漏了 2 個，另有 1 個不屬於答案。"
    wrong = evaluate("units.sort", {"空氣": "金融", "貸款": "金融"})
    assert chinese(wrong.message) == "❌ 還未正確：2 項中對了 1 項。請再看看：空氣。"
    assert chinese(evaluate("units.sort", {"空氣": "自然", "貸款": "金融"}).message) == "✅ 正確：全部 2 項都放對了位置。"
    essay = "千卡只告訴我們能量的多少，卻沒有說明能量從哪裏來、有多潔淨、佔用多少土地，以及由誰付出勞力。"
    noted = evaluate("units.think", essay)
    assert noted.correct and chinese(noted.message).startswith("📝 已記下（21 個詞）。請與示範答案比較：因為能量有質素")


def test_hints_come_after_a_chinese_prefix(zh):
    register("units.hinted", {"prompt": "多少千瓦時？", "unit": "kWh", "hints": ["1 千瓦時 = 3,600 千焦耳。"]},
             {"hinted": lambda v: Q_(2, "kWh")})
    assert str(evaluate("units.hinted", 5, attempt=2)).splitlines()[1] == "   提示：1 千瓦時 = 3,600 千焦耳。"


def test_ask_and_check_speak_chinese(zh, capsys, monkeypatch):
    ask(FOOD)
    assert "*課程的預設數字：在筆記本 00 輸入你的名字，便會得到你自己的數字。*" in capsys.readouterr().out
    monkeypatch.setenv("COURSE_STUDENT", "alice")
    ask(FOOD)
    assert "*你自己的數字（alice 專用）。*" in capsys.readouterr().out
    monkeypatch.delenv("COURSE_STUDENT")
    check(FOOD, "２．３２ 千瓦時")
    assert capsys.readouterr().out.startswith("✅ 正確：2.32 kWh")


# ---- answers written the Hong Kong way ----------------------------------------------------------

@pytest.mark.parametrize("question, answer", [
    (FOOD, "２．３２ 千瓦時"), (FOOD, "8368 千焦耳"), (FOOD, "８３６８千焦耳"), (FOOD, "2.32度"), (FOOD, "約 2.32 千瓦時"),
    (FOOD, "2,000 千卡"), (FOOD, "8.37 兆焦耳"), (FOOD, "2.32千瓦時左右"),
    ("units.stock", "1.2萬噸/年"), ("units.stock", "12000 公噸 每年"), ("units.stock", "1.2 萬 噸 每 年"),
    ("units.big", "37億千瓦時"), ("units.big", "37 億 度"),
    ("units.fall", "－３％"), ("units.fall", "-3 百分比"), ("units.fall", "百分之－3"),
    ("units.hub", "（ａ）"), ("units.hub", "答案是 a"), ("units.hub", "我選ａ"), ("units.hub", "「Asnæs 發電廠」。"),
    ("units.gives", "蒸汽、石膏和粉煤灰"), ("units.gives", "粉煤灰，蒸汽及石膏"), ("units.gives", "石膏與蒸汽、粉煤灰"),
])
def test_answers_written_the_hong_kong_way_are_read(zh, question, answer):
    feedback = evaluate(question, answer)
    assert feedback.correct, feedback.message


def test_english_answers_and_feedback_are_unchanged_in_english(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    assert evaluate(FOOD, "２．３２ 千瓦時", student=None).correct  # Chinese units are read in either language
    assert evaluate(FOOD, 3.5, student=None).message == "❌ Not yet: 3.5 kWh is 51% too high (expected within 0.4%)."
    assert evaluate(FOOD, "abc", student=None).message == (
        "❌ Not yet: 'abc' is not a number; the question asks for a number of kWh, such as 1 kWh.")


def test_the_unit_words_table_reads_every_word_as_a_unit_pint_knows():
    from course_lib import _numbers

    words = dict(_numbers._unit_words())
    assert words["千瓦時"] == "kWh" and words["度"] == "kWh" and words["噸油當量"] == "toe"
    for word, reads_as in words.items():
        if reads_as not in ("per", "about", "EUR", "USD", "DKK"):
            assert _numbers.read_number(f"1 {word}").value == _numbers.read_number(f"1 {reads_as}").value, word


# ---- the catalogue ---------------------------------------------------------------------------------

def _read(path: Path, locale: str | None = None):
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def test_the_template_holds_every_message_of_the_source():
    found = {message for _, _, message, _, _ in extract_from_dir(str(ROOT / "course_lib"), [("**.py", "python")],
                                                              keywords=DEFAULT_KEYWORDS)}
    template = {m.id for m in _read(POT) if m.id}
    assert found - template == set(), "run pybabel extract (see babel.cfg) and pybabel update: messages not in the .pot"
    assert template - found == set(), "the .pot holds messages the source no longer has: run pybabel extract"


def test_every_message_has_a_current_credited_chinese_translation():
    catalogue = _read(PO, "zh_Hant")
    for message in (m for m in _read(POT) if m.id):
        translated = catalogue.get(message.id)
        assert translated is not None and translated.string, f"no Chinese for {message.id!r}"
        assert not translated.fuzzy, f"the Chinese for {message.id!r} is stale (fuzzy)"
        comments = [c.strip() for c in translated.user_comments]
        assert TRANSLATED_BY in comments and REVIEWED_BY in comments, f"{message.id!r} lacks its translator comments"
        placeholders = sorted(set(re.findall(r"\{\w*\}", message.id)))
        assert sorted(set(re.findall(r"\{\w*\}", translated.string))) == placeholders, f"placeholders of {message.id!r}"
        emoji = message.id[:1] if message.id[:1] in "✅❌⏳📝" else ""
        assert translated.string.startswith(emoji), f"{message.id!r}: the emoji stays first"
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", translated.string), f"a space between Chinese words: {message.id!r}"
