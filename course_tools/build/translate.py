"""The course in another language, built from the English notebooks and their translations.

A translated notebook is never edited by hand and its code is never forked: it is *built* from
the English notebook, whose code cells it shares unchanged, and one gettext catalogue per
notebook, ``notebooks/locale/<locale>/<notebook>.po``. Each entry is one *segment*:

* a markdown cell, keyed by its cell id (``msgctxt "cell:<id>"``);
* a text of the front matter a reader sees (``msgctxt "course:/objectives/0"``; a heading of the
  lesson plans: ``"course-key:/sessions/90 minutes"``).

Its ``msgid`` is the English text the translation was made from: when the English changes, the
entry no longer matches and the segment is *stale* until a translator updates it. (gettext keeps
the whole source text rather than a hash of it, which is stronger: :func:`update_catalogue` marks
the entry ``fuzzy`` and keeps the text it was made from as ``#| msgid``, so the translator sees
what changed.) Each entry says who translated it and who reviewed it, as translator comments
(``# translated-by: ...``, ``# reviewed-by: ...``), which gettext's own tools keep.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Energy is a cost.", id="intro"),
...                                      nbformat.v4.new_code_cell("x = 1", id="code")])
>>> catalogue = template(nb, "zh-Hant")
>>> [(m.context, m.id) for m in catalogue if m.id]
[('cell:intro', 'Energy is a cost.')]
>>> status(nb, catalogue)
Status(missing=['cell:intro'], stale=[], unreviewed=[])
>>> catalogue.get("Energy is a cost.", context="cell:intro").string = "能源是一種成本。"
>>> translated(nb, catalogue, strict=False).cells[0].source
'能源是一種成本。'
"""

from __future__ import annotations

import copy
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, unescape, write_po

from course_lib import i18n

from .sources import copy_support_files, notebook_paths, read

__all__ = ["LANGUAGES", "TRANSLATED_BY", "REVIEWED_BY", "Status", "catalogue_path", "segments", "template",
           "read_catalogue", "update_catalogue", "status", "translated", "build_translation", "question_segments",
           "update_questions", "compile_catalogues", "terminology", "segment_problems", "glossary_segments",
           "update_glossary", "glossary_page", "update_site"]

#: The course's languages besides English: the code a student sets (``COURSE_LANG``) -> the
#: gettext locale of its catalogues. A third language is one more line here and its catalogues.
LANGUAGES = {"zh-Hant": "zh_Hant"}
#: The translator comments every translated entry carries (a name, or a team and a date).
TRANSLATED_BY, REVIEWED_BY = "translated-by:", "reviewed-by:"
#: Front-matter fields that are identifiers or numbers, not text a reader sees.
_NOT_TEXT = ("/version",)


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language={language!r} is not one of the course's translations; use one of {sorted(LANGUAGES)}")
    return LANGUAGES[language]


def catalogue_path(notebook: Path, language: str) -> Path:
    """Where the translations of ``notebook`` into ``language`` live: ``locale/<locale>/<stem>.po`` beside it."""
    return notebook.parent / "locale" / _language(language) / f"{notebook.stem}.po"


def _front_matter(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, list) and pointer:  # a named list (a lesson plan): its name is read too
                yield f"course-key:{pointer}/{key}", key
            yield from _front_matter(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _front_matter(item, f"{pointer}/{i}")
    elif isinstance(value, str) and value.strip() and not pointer.endswith(_NOT_TEXT):
        yield f"course:{pointer}", value


def segments(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """Every text of ``nb`` a reader sees, as ``(context, English text)``, in reading order."""
    found = list(_front_matter(nb.metadata.get("course", {})))
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            if not cell.get("id"):
                raise ValueError("every markdown cell needs a cell id (nbformat 4.5) to be translated; "
                                 "open and save the notebook in JupyterLab 3 or later")
            found.append((f"cell:{cell.id}", cell.source))
    return found


def template(nb: nbformat.NotebookNode, language: str, name: str = "") -> Catalog:
    """An empty catalogue of ``nb``'s segments for ``language`` (what a translator fills in)."""
    catalogue = Catalog(locale=_language(language), project="course", fuzzy=False)
    for context, text in segments(nb):
        catalogue.add(text, "", locations=[(name or "notebook", 0)], context=context)
    return catalogue


def read_catalogue(path: Path, language: str) -> Catalog:
    """The catalogue at ``path`` (an empty one when there is none yet), with the English each
    stale entry was translated from (its ``#| msgid``, which Babel writes but does not read back)."""
    if not path.is_file():
        return Catalog(locale=_language(language), project="course", fuzzy=False)
    with open(path, "rb") as handle:
        catalogue = read_po(handle, locale=_language(language))
    previous = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.splitlines()
        was = [line[2:].strip().removeprefix("msgid ") for line in lines if line.startswith("#|")]
        context = [line[len("msgctxt "):] for line in lines if line.startswith("msgctxt ")]
        if was and context:
            previous[unescape(context[0])] = "".join(unescape(part) for part in was)
    for message in catalogue:
        if message.context in previous:
            message.previous_id = [previous[message.context]]
    return catalogue


def _by_context(catalogue: Catalog) -> dict[str, Message]:
    return {str(m.context): m for m in catalogue if m.id and m.context}


def _credited(message: Message) -> bool:
    comments = [c.strip() for c in message.user_comments]
    return all(any(c.startswith(tag) and c[len(tag):].strip() for c in comments) for tag in (TRANSLATED_BY, REVIEWED_BY))


@dataclass
class Status:
    """What keeps a translation from being current: segments named by their context."""

    missing: list[str] = field(default_factory=list)  #: no translation yet
    stale: list[str] = field(default_factory=list)  #: made from English text that has changed since, or marked fuzzy
    unreviewed: list[str] = field(default_factory=list)  #: translated, but not saying who translated and reviewed it

    def __bool__(self) -> bool:
        return not (self.missing or self.stale or self.unreviewed)

    def describe(self, name: str) -> str:
        """One line per kind of problem, each naming the segments."""
        kinds = (("missing", self.missing), ("stale (the English changed since)", self.stale),
                 ("without translated-by and reviewed-by", self.unreviewed))
        return "\n".join(f"{name}: {len(items)} {what}: {', '.join(items)}" for what, items in kinds if items)


def status(nb: nbformat.NotebookNode, catalogue: Catalog) -> Status:
    """Which of ``nb``'s segments ``catalogue`` lacks, has stale, or has without credits."""
    return _status_of(segments(nb), catalogue)


def _merge(path: Path, fresh: Catalog, language: str) -> Catalog:
    """Write ``fresh`` (every current segment, untranslated) at ``path``, keeping what the catalogue
    there already holds: a segment whose English changed keeps its translation, marked ``fuzzy``
    with the English it was made from as ``#| msgid``; segments gone are dropped."""
    old = _by_context(read_catalogue(path, language))
    for message in fresh:
        before = old.get(message.context) if message.id and message.context else None
        if before is None:
            continue
        message.string, message.user_comments = before.string, list(before.user_comments)
        if before.id != message.id:
            message.flags.add("fuzzy")
            message.previous_id = [str(before.previous_id[0] if before.previous_id and before.fuzzy else before.id)]
        elif before.fuzzy:
            message.flags.add("fuzzy")
            message.previous_id = list(before.previous_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, fresh, width=0, include_previous=True, omit_header=False)
    return fresh


def update_catalogue(notebook: Path, language: str) -> Status:
    """Bring ``notebook``'s catalogue in step with the English (what a translator runs first):
    new segments are added empty, changed ones marked stale (:func:`_merge`). Returns what is left."""
    nb = read(notebook)
    fresh = _merge(catalogue_path(notebook, language), template(nb, language, notebook.name), language)
    return status(nb, fresh)


# ---- the library's own texts: the exercises' questions, and its sentences --------------------

def _package_locale(language: str) -> Path:
    from course_lib import i18n

    return Path(i18n.__file__).resolve().parent / "locale" / _language(language) / "LC_MESSAGES"


def question_segments() -> list[tuple[str, str]]:
    """Every text of every topic's question data, as ``(context, English)`` (:func:`course_lib.exercises.texts`)."""
    import tomllib

    from course_lib import _topics, exercises

    found = []
    for topic in _topics.topics("questions"):
        path = Path(exercises.__file__).resolve().parent / topic / "questions.toml"
        if path.is_file():
            found += exercises.texts(topic, tomllib.loads(path.read_text(encoding="utf-8")))
    return found


def update_questions(language: str) -> tuple[Path, Status]:
    """Bring the exercises' catalogue (``course_lib/locale/<locale>/LC_MESSAGES/questions.po``) in step."""
    catalogue = Catalog(locale=_language(language), project="course", fuzzy=False)
    for context, text in question_segments():
        catalogue.add(text, "", locations=[(context.split("/", 1)[0], 0)], context=context)
    path = _package_locale(language) / "questions.po"
    fresh = _merge(path, catalogue, language)
    return path, _status_of(question_segments(), fresh)


def _status_of(found: list[tuple[str, str]], catalogue: Catalog) -> Status:
    known, result = _by_context(catalogue), Status()
    for context, text in found:
        message = known.get(context)
        if message is None or not message.string:
            result.missing.append(context)
        elif message.id != text or message.fuzzy:
            result.stale.append(context)
        elif not _credited(message):
            result.unreviewed.append(context)
    return result


def compile_catalogues(language: str) -> list[Path]:
    """Compile the library's catalogues (``*.po`` -> ``*.mo``, what :mod:`course_lib.i18n` reads):
    current translations only; a stale or missing one is left out, so it shows in English."""
    from babel.messages.mofile import write_mo

    written = []
    for po in sorted(_package_locale(language).glob("*.po")):
        catalogue = read_catalogue(po, language)
        for message in list(catalogue):
            if message.id and (message.fuzzy or not message.string):
                catalogue.delete(message.id, context=message.context)
        with open(po.with_suffix(".mo"), "wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
        written.append(po.with_suffix(".mo"))
    return written


def glossary_segments() -> list[tuple[str, str]]:
    """Every definition of the glossary (``datasets/glossary.csv``), as ``("glossary:<term>", English)``."""
    from course_lib import data

    table = data.load("glossary")
    return [(f"glossary:{term}", str(text)) for term, text in zip(table["term"], table["definition"])]


def update_glossary(folder: Path, language: str) -> tuple[Path, Status]:
    """Bring the glossary's catalogue (``<folder>/locale/<locale>/GLOSSARY.po``) in step with the dataset."""
    catalogue = Catalog(locale=_language(language), project="course", fuzzy=False)
    for context, text in glossary_segments():
        catalogue.add(text, "", locations=[("glossary.csv", 0)], context=context)
    path = folder / "locale" / _language(language) / "GLOSSARY.po"
    return path, _status_of(glossary_segments(), _merge(path, catalogue, language))


def glossary_page(folder: Path, language: str) -> str:
    """The glossary in ``language``: each term as the terminology table renders it (the English
    beside it), its translated definition, the notebook where it is first met."""
    from course_lib import data

    rendering = {t["english"]: t["chinese"] for t in terminology()}
    known = _by_context(read_catalogue(folder / "locale" / _language(language) / "GLOSSARY.po", language))
    lines = ["# 詞彙表", "",
             "課程筆記本用到的每個專門詞彙，以淺白的文字解釋。*首次出現於* 指出詞彙第一次出現的筆記本（後面的筆記本",
             "或會解釋得更詳細）。由 `python -m course_lib.build zh-Hant` 根據 `datasets/glossary.csv`、",
             "`datasets/terminology_zh_hant.csv` 及其翻譯產生：請修改數據集及翻譯，而不是這一頁。", "",
             "| 詞彙 | 意思 | 首次出現於 |", "|---|---|---|"]
    table = data.load("glossary")
    for row in table.sort_values("term", key=lambda s: s.str.lower()).itertuples():
        message = known.get(f"glossary:{row.term}")
        definition = message.string if message is not None and message.string and not message.fuzzy else row.definition
        lines.append(f"| **{rendering.get(str(row.term), row.term)}**（{row.term}） | {definition} | `{row.first_used}` |")
    return "\n".join(lines) + "\n"


def _set_front_matter(course: dict, pointer: str, text: str, key: bool) -> None:
    *parents, last = pointer.strip("/").split("/")
    node: Any = course
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if key:
        node[text] = node.pop(last)
    elif isinstance(node, list):
        node[int(last)] = text
    else:
        node[last] = text


def translated(nb: nbformat.NotebookNode, catalogue: Catalog, *, strict: bool = True) -> nbformat.NotebookNode:
    """``nb`` with every segment replaced by its translation in ``catalogue``; code cells unchanged.

    ``strict`` (the default) refuses a catalogue that is not current (:func:`status`); with
    ``strict=False`` a segment without a current translation stays in English.
    """
    problems = status(nb, catalogue)
    if strict and (problems.missing or problems.stale):
        raise ValueError("the translation is not current; run `python -m course_lib.build translations` "
                         "and translate what it lists:\n" + problems.describe("notebook"))
    out, known = copy.deepcopy(nb), _by_context(catalogue)
    skip = set(problems.missing) | set(problems.stale)
    by_id = {c.get("id"): c for c in out.cells}
    keys = []  # renamed last, so that the pointers of the values below them still work
    for context, _text in segments(nb):
        if context in skip:
            continue
        kind, _, where = context.partition(":")
        string = str(known[context].string)
        if kind == "cell":
            by_id[where].source = string
        elif kind == "course-key":
            keys.append((where, string))
        else:
            _set_front_matter(out.metadata["course"], where, string, key=False)
    for where, string in sorted(keys, key=lambda k: -k[0].count("/")):
        _set_front_matter(out.metadata["course"], where, string, key=True)
    locale = str(catalogue.locale_identifier)
    out.metadata.setdefault("course", {})["language"] = {v: k for k, v in LANGUAGES.items()}.get(locale, locale)
    return out


def build_translation(language: str, notebooks: Any = None, out: str | Path | None = None, *,
                      execute: bool = True, timeout: int = 600) -> list[Path]:
    """Write ``notebooks/<language>/<notebook>.ipynb`` for every English notebook, run top to
    bottom with the course language set (``COURSE_LANG``), as a committed notebook is.

    Refuses (``ValueError`` naming every stale or missing segment) unless every catalogue is current.
    """
    _language(language)
    paths = notebook_paths(notebooks)
    problems = [status(read(p), read_catalogue(catalogue_path(p, language), language)).describe(p.name)
                for p in paths]
    for folder in sorted({p.parent for p in paths}):
        glossary = folder / "locale" / _language(language) / "GLOSSARY.po"
        problems.append(_status_of(glossary_segments(), read_catalogue(glossary, language)).describe(str(glossary)))
    problems = [p for p in problems if p]
    if any("missing" in p or "stale" in p for p in problems):
        raise ValueError("these translations are not current; run `python -m course_lib.build translations "
                         f"--language {language}` and translate what it lists:\n" + "\n".join(problems))
    written = []
    for path in paths:
        target = Path(out) if out is not None else path.parent / language
        target.mkdir(parents=True, exist_ok=True)
        copy_support_files([path], target)  # the data templates a notebook opens beside itself
        (target / i18n.STORE).write_text(language + "\n", encoding="utf-8")  # a kernel started here speaks it
        nb = translated(read(path), read_catalogue(catalogue_path(path, language), language))
        if execute:
            nb = _run(nb, target, language, timeout)
        nbformat.write(nb, target / path.name)
        (target / "GLOSSARY.md").write_text(glossary_page(path.parent, language), encoding="utf-8")
        written.append(target / path.name)
    return written


def _run(nb: nbformat.NotebookNode, folder: Path, language: str, timeout: int) -> nbformat.NotebookNode:
    """Run ``nb`` in ``folder`` (where it is written, beside its data files and the language file
    that makes its kernel speak ``language``) with no student set: the committed outputs are the
    course's default numbers, in that language."""
    from nbclient import NotebookClient

    saved = {k: os.environ.get(k) for k in (i18n.LANG_ENV, "COURSE_STUDENT", "COURSE_ATTEMPT_LOG")}
    os.environ.pop(i18n.LANG_ENV, None)  # the folder's language file decides, as it will for a student
    os.environ.pop("COURSE_STUDENT", None)
    try:
        with tempfile.TemporaryDirectory() as scratch:  # the worked answers' log: not beside the notebooks
            os.environ["COURSE_ATTEMPT_LOG"] = os.path.join(scratch, "attempts.jsonl")
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return nb


# ---- what a translation must keep -----------------------------------------------------------

_KEPT = {  # what a translated segment must carry over exactly, each found by a pattern
    "code": re.compile(r"`[^`\n]+`"),
    "link target": re.compile(r"\]\(([^)\s]+)\)"),
    "math": re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S),
    "HTML tag": re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b"),
    "placeholder": re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}"),  # filled in by the course
}
_HEADING = re.compile(r"^(#{1,6})\s", re.M)


def terminology(path: Path | None = None) -> list[dict[str, str]]:
    """The terminology table (``datasets/terminology_zh_hant.csv``): English term, Chinese, checked, note."""
    import csv

    from course_lib import data

    path = path or Path(data.__file__).resolve().parent.parent / "datasets" / "terminology_zh_hant.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _term_forms(english: str) -> list[str]:
    """The way a term is written in English prose: its name without the bracketed short form (a
    short form such as GDP may stand in a Chinese sentence as it is)."""
    return [re.sub(r"\s*\(.*?\)", "", english).strip()]


def segment_problems(english: str, chinese: str, terms: list[dict[str, str]] | None = None) -> list[str]:
    """What a translation lost: code, link targets, math, HTML tags, headings, or a checked term's rendering.

    >>> segment_problems("Run `x = 1` ([the data](data.csv)).", "執行 `x = 1`（[數據](data.csv)）。")
    []
    >>> segment_problems("## Natural capital", "## 自然", [{"english": "natural capital", "chinese": "自然資本", "checked": "yes"}])
    ["the term 'natural capital' is not rendered '自然資本'"]
    """
    problems = []
    for what, pattern in _KEPT.items():
        before, after = sorted(pattern.findall(english)), sorted(pattern.findall(chinese))
        if before != after:
            lost = sorted(set(before) - set(after)) or sorted(set(after) - set(before))
            problems.append(f"{what} not kept as in the English: {', '.join(map(repr, lost[:5]))}")
    if _HEADING.findall(english) != _HEADING.findall(chinese):
        problems.append(f"headings {_HEADING.findall(english)} became {_HEADING.findall(chinese)}")
    for term in terms or []:
        if term["checked"] != "yes":
            continue
        plain = _KEPT["code"].sub("", english)
        if any(re.search(rf"\b{re.escape(form)}(?:s|es)?\b", plain, re.I if form.lower() == form else 0)
               for form in _term_forms(term["english"])) and term["chinese"] not in chinese:
            problems.append(f"the term {term['english']!r} is not rendered {term['chinese']!r}")
    return problems


# ---- the site's own words: skip link, navigation, course map, slide controls ----------------

def update_site(language: str) -> tuple[Path, Status]:
    """Bring the site's catalogue (``course_tools/build/locale/<locale>/LC_MESSAGES/site.po``) in step
    with the words its templates say (``_()`` and ``{% trans %}`` in ``templates/course/*.j2``, the
    scripts' words among them), and compile it (``site.mo``: current translations only, as
    :func:`compile_catalogues` does). Returns the catalogue's path and what is left to translate,
    each message named by the start of its English.

    A site message has no context: it is its English, as gettext's own catalogues are. So a message
    whose English changed is matched here, before :func:`_merge` writes the catalogue, to the old
    message closest to it (``difflib``, as ``msgmerge`` does): its translation is kept, marked
    ``fuzzy`` with the English it was made from as ``#| msgid``. (It writes the catalogue, so its
    worked example is ``tests/test_site_language.py``.)
    """
    import difflib

    from babel.messages.extract import DEFAULT_KEYWORDS, extract
    from babel.messages.mofile import write_mo

    from ._templates import TEMPLATES, site_catalogue

    locale = _language(language)
    fresh = Catalog(locale=locale, project="course", fuzzy=False)
    for template_path in sorted((TEMPLATES / "course").glob("*.j2")):
        with open(template_path, "rb") as handle:
            for line, text, _comments, _context in extract("jinja2.ext:babel_extract", handle, keywords=DEFAULT_KEYWORDS,
                                                           options={"extensions": "jinja2.ext.i18n",
                                                                    "newstyle_gettext": "true"}):
                where = (f"templates/course/{template_path.name}", line)
                if text in fresh:
                    fresh[text].locations.append(where)
                else:
                    fresh.add(text, "", locations=[where])
    path = site_catalogue(language)
    old = {str(m.id): m for m in read_catalogue(path, language) if m.id and m.string}
    unmatched = [text for text in old if text not in fresh]
    for message in fresh:
        if not message.id:
            continue
        before = old.get(str(message.id))
        if before is None:
            close = difflib.get_close_matches(str(message.id), unmatched, n=1, cutoff=0.6)
            if not close:
                continue
            before = old[close[0]]
            message.flags.add("fuzzy")
            message.previous_id = [before.previous_id[0] if before.previous_id and before.fuzzy else str(before.id)]
        elif before.fuzzy:
            message.flags.add("fuzzy")
            message.previous_id = list(before.previous_id)
        message.string, message.user_comments = before.string, list(before.user_comments)
    _merge(path, fresh, language)  # writes it as every catalogue is written (it keys by context: none here)
    left = Status()
    for message in fresh:
        if not message.id:
            continue
        name = str(message.id)[:40].replace("\n", " ")
        if not message.string:
            left.missing.append(name)
        elif message.fuzzy:
            left.stale.append(name)
        elif not _credited(message):
            left.unreviewed.append(name)
    compiled = Catalog(locale=locale, project="course", fuzzy=False)
    for message in fresh:
        if message.id and message.string and not message.fuzzy:
            compiled.add(message.id, message.string)
    with open(path.with_suffix(".mo"), "wb") as handle:
        write_mo(handle, compiled, use_fuzzy=False)
    return path, left
