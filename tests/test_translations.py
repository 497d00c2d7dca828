"""The course in Traditional Chinese stays in step with the English.

A translated notebook (``notebooks/zh-Hant/<notebook>.ipynb``) is built from the English one and
its catalogue (``notebooks/locale/zh_Hant/<notebook>.po``) by ``python -m course_lib.build zh-Hant``
(course_tools/build/translate.py). Here, for every notebook and for the exercises' texts:

* every segment has a translation made from the English as it is now: a changed English cell is
  named *stale*, a new one *missing*, until a translator updates it (the control test below shows
  a changed cell failing and then passing once translated);
* each translation says who translated and who reviewed it;
* each keeps the English's code, link targets, math, HTML tags, placeholders and headings, and
  renders every checked term of the terminology table as the table does;
* the committed Chinese notebook is the build of the English one and the catalogue: same code,
  translated text, and the language file that makes its kernel answer in Chinese;
* the compiled catalogues the package ships (``.mo``) hold exactly the current translations.
"""

from __future__ import annotations

import csv
import gettext
import shutil
from pathlib import Path

import nbformat
import pytest
from babel.messages.pofile import read_po, write_po

from course_lib import i18n
from course_tools.build import translate

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ENGLISH = sorted(NOTEBOOKS.glob("*.ipynb"))
LANGUAGE = "zh-Hant"
TRANSLATED = NOTEBOOKS / LANGUAGE
TERMS = translate.terminology()
LOCALE = ROOT / "course_lib" / "locale" / translate.LANGUAGES[LANGUAGE] / "LC_MESSAGES"


def _catalogue(path: Path):
    return translate.read_catalogue(translate.catalogue_path(path, LANGUAGE), LANGUAGE)


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_every_segment_is_translated_from_the_english_as_it_is_now(path):
    status = translate.status(nbformat.read(path, as_version=4), _catalogue(path))
    assert status, status.describe(path.name)


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_each_translation_keeps_code_links_math_headings_and_terms(path):
    english = dict(translate.segments(nbformat.read(path, as_version=4)))
    problems = [f"{m.context}: {p}" for m in _catalogue(path) if m.id and m.string and m.context in english
                for p in translate.segment_problems(m.id, m.string, TERMS)]
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_the_committed_translation_is_the_build_of_the_english_and_its_catalogue(path):
    committed = nbformat.read(TRANSLATED / path.name, as_version=4)
    built = translate.translated(nbformat.read(path, as_version=4), _catalogue(path))
    assert [(c.cell_type, c.get("id")) for c in committed.cells] == [(c.cell_type, c.get("id")) for c in built.cells]
    changed = [c.get("id") for c, b in zip(committed.cells, built.cells) if c.source != b.source]
    assert not changed, f"{path.name}: cells differ from the build (run `python -m course_lib.build {LANGUAGE}`): {changed}"
    assert committed.metadata["course"] == built.metadata["course"]
    code = [c for c in committed.cells if c.cell_type == "code" and c.source.strip()]
    assert all(c.execution_count is not None for c in code), f"{path.name} in {LANGUAGE} is committed unexecuted"
    assert i18n._stored(TRANSLATED) == LANGUAGE  # its kernels answer in Chinese, wherever they are started


def test_a_changed_english_cell_is_named_stale_until_it_is_translated(tmp_path):
    """The control: the sync test fails on a changed English markdown cell, naming it, and passes
    once a translator has updated the cell's translation."""
    english = next(p for p in ENGLISH if translate.status(nbformat.read(p, as_version=4), _catalogue(p)))
    copy = tmp_path / english.name
    shutil.copy(english, copy)
    po = translate.catalogue_path(copy, LANGUAGE)
    po.parent.mkdir(parents=True)
    shutil.copy(translate.catalogue_path(english, LANGUAGE), po)
    shutil.copy(english.parent / "locale" / po.parent.name / "GLOSSARY.po", po.parent)  # built beside them
    nb = nbformat.read(copy, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown")
    cell.source += "\n\nOne more sentence."
    nbformat.write(nb, copy)
    status = translate.update_catalogue(copy, LANGUAGE)
    assert status.stale == [f"cell:{cell.id}"] and not status.missing, status
    assert f"cell:{cell.id}" in status.describe(copy.name)
    message = next(m for m in translate.read_catalogue(po, LANGUAGE) if m.context == f"cell:{cell.id}")
    assert message.fuzzy and message.previous_id  # gettext's mark, and the English it was made from
    with pytest.raises(ValueError, match=f"cell:{cell.id}"):  # no build from a stale translation
        translate.build_translation(LANGUAGE, [copy], tmp_path / "out", execute=False)

    catalogue = translate.read_catalogue(po, LANGUAGE)  # the translator updates the cell
    updated = catalogue.get(message.id, context=message.context)
    updated.string += "\n\n再多一句。"
    updated.flags.discard("fuzzy")
    with open(po, "wb") as handle:
        write_po(handle, catalogue, width=0)
    assert translate.status(nb, translate.read_catalogue(po, LANGUAGE))
    (built,) = translate.build_translation(LANGUAGE, [copy], tmp_path / "out", execute=False)
    assert nbformat.read(built, as_version=4).cells[nb.cells.index(cell)].source.endswith("再多一句。")


def test_the_terminology_gives_one_rendering_per_term_and_covers_the_glossary():
    english = [t["english"] for t in TERMS]
    chinese = [t["chinese"] for t in TERMS]
    assert len(set(english)) == len(english) and len(set(chinese)) == len(chinese)
    with open(ROOT / "datasets" / "glossary.csv", encoding="utf-8", newline="") as handle:
        glossary = [row["term"] for row in csv.DictReader(handle)]
    assert not set(glossary) - set(english), f"glossary terms without a rendering: {sorted(set(glossary) - set(english))}"


def test_every_exercise_text_is_translated_from_the_english_as_it_is_now():
    with open(LOCALE / "questions.po", "rb") as handle:
        catalogue = read_po(handle, locale=translate.LANGUAGES[LANGUAGE])
    found = translate.question_segments()
    status = translate._status_of(found, catalogue)
    assert status, status.describe("questions.po")
    english = dict(found)
    problems = [f"{m.context}: {p}" for m in catalogue if m.id and m.context in english
                for p in translate.segment_problems(m.id, m.string, TERMS)]
    assert not problems, "\n".join(problems)


def test_every_glossary_definition_is_translated_from_the_english_as_it_is_now():
    path = NOTEBOOKS / "locale" / translate.LANGUAGES[LANGUAGE] / "GLOSSARY.po"
    catalogue = translate.read_catalogue(path, LANGUAGE)
    status = translate._status_of(translate.glossary_segments(), catalogue)
    assert status, status.describe(path.name)
    page = (TRANSLATED / "GLOSSARY.md").read_text(encoding="utf-8")
    assert page == translate.glossary_page(NOTEBOOKS, LANGUAGE)  # built from the table and the catalogue
    glossary = [segment.removeprefix("glossary:") for segment, _ in translate.glossary_segments()]
    rendering = {t["english"]: t["chinese"] for t in TERMS}
    assert [term for term in glossary if f"**{rendering[term]}**（{term}）" not in page] == []  # the table's words


@pytest.mark.parametrize("po", sorted(LOCALE.glob("*.po")), ids=lambda p: p.name)
def test_the_shipped_compiled_catalogue_holds_exactly_the_current_translations(po):
    with open(po, "rb") as handle:
        catalogue = read_po(handle, locale=translate.LANGUAGES[LANGUAGE])
    current = {(m.context, m.id): m.string for m in catalogue if m.id and m.string and not m.fuzzy}
    with open(po.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    shipped = {k for k in compiled._catalog if k}  # type: ignore[attr-defined]
    keys = {f"{c}\x04{i}" if c else i for c, i in current}
    assert shipped == keys, f"{po.name}: run `python -m course_lib.build translations` to compile it"
    for (context, message), string in current.items():
        assert (compiled.pgettext(context, message) if context else compiled.gettext(message)) == string
