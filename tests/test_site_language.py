"""The site's own words in the notebook's language: a Chinese notebook's page, slides and map say
the skip link, navigation, slide controls, chart captions and the scripts' messages in Traditional
Chinese (from ``course_tools/build/locale/zh_Hant/LC_MESSAGES/site.po``); an English notebook's
site keeps its English words; the catalogue is complete, current and compiled."""

from __future__ import annotations

import gettext
import json
import re
import shutil
from html.parser import HTMLParser

import nbformat
import pytest
from babel.messages.pofile import read_po

from course_tools import build
from course_tools.build import _templates, translate
from tests.harness.demo import demo_notebook

LANGUAGE = "zh-Hant"
PO = _templates.site_catalogue(LANGUAGE)
CREDITS = ["translated-by: course maintainers (machine-assisted draft, 2026-12-08)",
           "reviewed-by: pending (awaiting a Hong Kong reviewer)"]
COURSE = "可持續生產及消費"
_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # CJK characters and full-width punctuation


def _catalogue():
    with open(PO, "rb") as handle:
        return read_po(handle, locale="zh_Hant")


def _messages() -> dict[str, str]:
    return {m.id: m.string for m in _catalogue() if m.id}


def _chinese_notebook() -> nbformat.NotebookNode:
    """The demo notebook marked Chinese, its front matter in Chinese (its cells stay as they are:
    they are the notebook's own content, which the checks below leave aside)."""
    nb = demo_notebook()
    nb.metadata["course"].update({"language": LANGUAGE, "title": "示範筆記本", "time": "10 分鐘", "prerequisites": "無",
                                  "objectives": ["閱讀附有滑桿的圖表", "回答一個練習"], "instructors": "圖表之後停下來回答問題。"})
    return nb


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(Chinese site, its student version, English site): each built from a folder of one notebook."""
    built = {}
    for key, nb, student in (("zh", _chinese_notebook(), False), ("zh-student", _chinese_notebook(), True),
                             ("en", demo_notebook(), False)):
        src = tmp_path_factory.mktemp(f"src-{key}")
        nbformat.write(nb, src / "01_demo.ipynb")
        built[key] = build.build_site([src / "01_demo.ipynb"], tmp_path_factory.mktemp(key) / "site",
                                      course=COURSE if key.startswith("zh") else "Course", student=student)
    return built


def _pages(report) -> dict[str, str]:
    return {name: (report.out / name).read_text(encoding="utf-8") for name in ("index.html", "01_demo.html",
                                                                               "01_demo.slides.html")}


class _TemplateText(HTMLParser):
    """The words of a page that its templates wrote: text and the attributes a reader hears
    (aria-label, aria-roledescription, data-scroll-box), leaving out the notebook's own content
    (markdown cells, code, outputs, chart specs and text alternatives, explorer controls)."""

    SKIP = {"cell-markdown", "cell-input", "chart-spec", "output-stream", "output-stderr", "output-text", "output-error",
            "output-html", "output-image", "output-markdown", "widget-controls"}
    VOID = {"meta", "link", "br", "img", "input", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.words: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        in_caption = any(t == "figcaption" for t, _ in self.stack)
        skipped = self._skipped() or bool(classes & self.SKIP) or (tag == "p" and in_caption) or \
            (tag == "script" and attributes.get("id") != "course-words") or tag == "title"
        if not skipped:
            for name in ("aria-label", "aria-roledescription", "data-scroll-box"):
                if attributes.get(name) and tag != "figure":  # a figure is named by its chart's text alternative
                    self.words.append(attributes[name])
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "script" and not self._skipped():
            self.words += json.loads(data).values()  # the words handed to the scripts
        elif not self._skipped() and data.strip():
            self.words.append(data)


def _template_text(page: str) -> str:
    parser = _TemplateText()
    parser.feed(page)
    return "\n".join(parser.words)


def _english_pieces(message: str) -> list[str]:
    """The English words of a message: its text between placeholders and tags, pieces with a word in them."""
    plain = re.sub(r"<[^>]+>", "\n", message)
    pieces = (piece.strip(" “”:.()") for part in _PLACEHOLDER.split(plain) for piece in part.split("\n"))
    return [piece for piece in pieces if re.search(r"[A-Za-z]{2}", piece) and piece != "ipynb"]  # a file's suffix stays


# ---------------------------------------------------------------------------------------- the pages


@pytest.mark.slow  # three sites built (about 20 s with the chart library's import)
def test_chinese_pages_are_marked_and_say_the_site_words_in_chinese(sites):
    messages = _messages()
    for report in (sites["zh"], sites["zh-student"]):
        pages = _pages(report)
        for name, page in pages.items():
            assert '<html lang="zh-Hant">' in page, name
            assert f'<a class="skip-link" href="#content">{messages["Skip to content"]}</a>' in page, name
        page, deck, index = pages["01_demo.html"], pages["01_demo.slides.html"], pages["index.html"]
        assert f'<nav aria-label="{messages["This notebook"]}"><a href="01_demo.slides.html">{messages["Slides"]}</a>' in page
        assert f'download>{messages["Download notebook"]}</a></nav>' in page
        assert f'aria-label="{messages["Previous and next notebook"]}"' in page
        summary = messages['Text description<span class="visually-hidden"> of the chart “%(name)s”</span>']
        assert "<summary>" + summary.split("<span")[0] + "<span" in page, "the chart's caption is not in Chinese"
        assert f'<title>{messages["%(title)s (slides)"] % {"title": "示範筆記本"}}</title>' in deck
        count = len(re.findall(r'<div class="slide" id=', deck))
        assert f'aria-label="{messages["Slide %(number)s of %(count)s"] % {"number": 1, "count": count}}"' in deck
        for english in ("Slide controls", "Back (previous step or slide)", "← Back", "Next (next step or slide)", "Next →",
                        "Full screen", "keys: ← → · Home · End · f full screen", "Page"):
            assert messages[english] and messages[english] in deck, english
        assert f"<h1>{COURSE}" in index and messages["Course map"] in index
        assert messages["Built by <code>%(command)s</code>."].split("<code>")[0] in index
    student = _pages(sites["zh-student"])
    assert messages["(student version)"] in student["index.html"]
    assert messages[" In this version the worked\nsolutions are left out: the exercises are yours to answer."] in student["index.html"]
    assert messages["Exercise: your answer goes here"] in student["01_demo.html"]
    assert messages["Worked solution"] in _pages(sites["zh"])["01_demo.html"]


@pytest.mark.slow  # three sites built (about 20 s with the chart library's import)
def test_no_english_template_sentence_is_left_on_a_chinese_page(sites):
    pieces = sorted({piece for message in _messages() for piece in _english_pieces(message)})
    assert "Skip to content" in pieces and "Text description" in pieces and "Live explorer" in pieces
    for key in ("zh", "zh-student"):
        for name, page in _pages(sites[key]).items():
            text = _template_text(page)
            assert _CJK.search(text), f"{key}/{name}: no Chinese in the template's words"
            left = [piece for piece in pieces if re.search(rf"(?<![A-Za-z]){re.escape(piece)}(?![A-Za-z])", text)]
            assert not left, f"{key}/{name} still says in English: {left}"


@pytest.mark.slow  # three sites built (about 20 s with the chart library's import)
def test_the_scripts_get_their_words_in_chinese(sites):
    """course.js and slides.js write a few messages themselves (a scroll box's name, a chart that
    failed, the slide shown): a Chinese page hands them their translations."""
    script = (_templates.TEMPLATES / "course" / "static" / "course.js").read_text(encoding="utf-8")
    english = dict(re.findall(r'^\s+(\w+): "([^"]+)"', script.split("const english = {")[1].split("};")[0], re.M))
    messages = _messages()
    assert set(english.values()) <= set(messages), "a message of course.js is missing from the site's catalogue"
    for name, page in _pages(sites["zh"]).items():
        found = re.search(r'<script type="application/json" id="course-words">(.*?)</script>', page, re.S)
        assert found, f"{name}: no words for the scripts"
        given = json.loads(found.group(1))
        assert given == {key: messages[text] for key, text in english.items()}, name
        for key, text in given.items():
            assert _CJK.search(text) and set(_PLACEHOLDER.findall(text)) == set(_PLACEHOLDER.findall(english[key]))
    assert "say(" in (_templates.TEMPLATES / "course" / "static" / "slides.js").read_text(encoding="utf-8")


@pytest.mark.slow  # three sites built (about 20 s with the chart library's import)
def test_the_english_site_keeps_its_english_words(sites):
    chinese = [text for text in _messages().values() if _CJK.search(text)]
    for name, page in _pages(sites["en"]).items():
        assert '<html lang="en">' in page and 'id="course-words"' not in page, name
        assert '<a class="skip-link" href="#content">Skip to content</a>' in page
        assert not _CJK.search(page), f"{name}: Chinese on an English page"
    page, deck, index = (_pages(sites["en"])[n] for n in ("01_demo.html", "01_demo.slides.html", "index.html"))
    assert '<nav aria-label="This notebook"><a href="01_demo.slides.html">Slides</a>' in page
    assert "<summary>Text description<span class=\"visually-hidden\"> of the chart" in page
    assert '<p class="widget-note"><b>Live explorer.</b> In JupyterLab with a running kernel,\n' in page
    assert '<button class="fullscreen" type="button">Full screen</button>' in deck
    assert 'aria-label="Slide 1 of ' in deck and "<title>Demo notebook (slides)</title>" in deck
    assert "01_demo.ipynb · 2 charts</span>" in index
    assert chinese and not any(text in index for text in chinese)


# -------------------------------------------------------------------------------------- the catalogue


def test_site_catalogue_is_complete_current_credited_and_compiled(tmp_path, monkeypatch):
    catalogue = _catalogue()
    working = tmp_path / "site.po"
    shutil.copy2(PO, working)
    monkeypatch.setattr(_templates, "site_catalogue", lambda language: working)
    path, left = translate.update_site(LANGUAGE)
    assert path == working
    assert not left.missing and not left.stale and not left.unreviewed, left.describe("site.po")
    with open(working, "rb") as handle:
        fresh = read_po(handle, locale="zh_Hant")
    assert {m.id: (m.string, sorted(m.flags)) for m in fresh if m.id} == \
        {m.id: (m.string, sorted(m.flags)) for m in catalogue if m.id}, \
        "site.po is not what the templates say now: run python -m course_lib.build translations"
    for message in catalogue:
        if message.id:
            assert [c.strip() for c in message.user_comments] == CREDITS, message.id
            assert _CJK.search(message.string) and "\n" not in message.string, message.id
            assert sorted(_PLACEHOLDER.findall(message.string)) == sorted(_PLACEHOLDER.findall(message.id)), message.id
    with open(PO.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stored = {key: value for key, value in compiled._catalog.items() if key}  # type: ignore[attr-defined]
    assert stored == {m.id: m.string for m in catalogue if m.id}, "site.mo does not match site.po: recompile it"


def test_a_changed_english_message_keeps_its_translation_marked_stale(tmp_path, monkeypatch):
    working = tmp_path / "site.po"
    working.write_text(PO.read_text(encoding="utf-8").replace('msgid "Skip to content"', 'msgid "Skip to the content"'),
                       encoding="utf-8")
    monkeypatch.setattr(_templates, "site_catalogue", lambda language: working)
    _, left = translate.update_site(LANGUAGE)
    assert left.stale == ["Skip to content"] and not left.missing
    with open(working, "rb") as handle:
        message = read_po(handle, locale="zh_Hant").get("Skip to content")
    assert message is not None and message.fuzzy and message.string == _messages()["Skip to content"]
    assert '#| msgid "Skip to the content"\nmsgid "Skip to content"' in working.read_text(encoding="utf-8")
    with open(working.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.gettext("Skip to content") == "Skip to content", "a stale translation was compiled"
