"""The package's template folder, and a Jinja environment for its text (markdown) templates.

HTML pages are rendered by the nbconvert exporters of :mod:`course_tools.build.exporters`, from the
``templates/course/`` folder; the markdown files (lecture outline, handout listings) by
:func:`render_text`, from ``templates/text/``.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime

TEMPLATES = Path(__file__).resolve().with_name("templates")


@functools.lru_cache(maxsize=1)
def _text_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "text"),
        autoescape=False,  # markdown, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_text(template: str, **context: Any) -> str:
    """Render the markdown template ``templates/text/<template>`` with ``context``."""
    return _text_environment().get_template(template).render(**context)


# ---- the site's own words in the notebook's language ----------------------------------------
#: The site's gettext catalogues: ``locale/<locale>/LC_MESSAGES/site.po`` (+ ``site.mo``), domain ``site``.
SITE_LOCALE = Path(__file__).resolve().with_name("locale")
SITE_DOMAIN = "site"


def site_catalogue(language: str) -> Path:
    """Where the site's words in ``language`` (a course language such as ``"zh-Hant"``) are kept.

    >>> site_catalogue("zh-Hant").relative_to(SITE_LOCALE).as_posix()
    'zh_Hant/LC_MESSAGES/site.po'
    """
    return SITE_LOCALE / language.replace("-", "_") / "LC_MESSAGES" / f"{SITE_DOMAIN}.po"


@functools.lru_cache(maxsize=None)
def site_translations(language: str) -> gettext.NullTranslations:
    """The compiled site catalogue of ``language`` (English, or a language without one: the words as written)."""
    compiled = site_catalogue(language).with_suffix(".mo") if language and language != "en" else None
    if compiled is None or not compiled.is_file():
        return gettext.NullTranslations()
    with open(compiled, "rb") as handle:
        return gettext.GNUTranslations(handle)


@jinja2.pass_context
def site_language(context: jinja2.runtime.Context) -> str:
    """The language of what is being rendered: the page's notebook (``resources.course.language``),
    else the map's ``language``, else English."""
    resources = context.get("resources")
    found = resources.get("course", {}).get("language") if isinstance(resources, dict) else context.get("language")
    return str(found or "en")


@jinja2.pass_context
def _site_gettext(context: jinja2.runtime.Context, message: str) -> str:
    return site_translations(site_language(context)).gettext(message)


@jinja2.pass_context
def _site_ngettext(context: jinja2.runtime.Context, singular: str, plural: str, number: int) -> str:
    return site_translations(site_language(context)).ngettext(singular, plural, number)


def install_site_words(environment: jinja2.Environment) -> None:
    """Let ``environment``'s templates say their words in the language of what they render:
    jinja's i18n extension (``{% trans %}``, ``_()``) reading the site catalogue chosen per render
    (:func:`site_language`); ``site_language()`` is a template global too."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(_site_gettext, _site_ngettext, newstyle=True)  # type: ignore[attr-defined]
    environment.globals["site_language"] = site_language
