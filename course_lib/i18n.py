"""The course's language: English, or Traditional Chinese as Hong Kong writes it (``zh-Hant``).

What a student reads from ``course_lib`` (feedback, exercise prompts, hints and options, chart
titles) follows the *course language*, found in this order, like the student identity
(:mod:`course_lib.identity`):

1. the environment variable ``COURSE_LANG`` (``en`` or ``zh-Hant``);
2. the language stored beside the notebooks by :func:`remember`;
3. English.

Translations are gettext catalogues compiled into the package (``course_lib/locale/<locale>/
LC_MESSAGES/<domain>.mo``): ``course_lib`` for the library's own sentences, ``questions`` for the
exercises' texts. A sentence without a translation is shown in English, never as an error.

>>> import os; os.environ.pop(LANG_ENV, None) and None
>>> normalise("zh_HK"), normalise("EN-gb")
('zh-Hant', 'en')
>>> with_language("zh-Hant", pgettext, "start.food_day_kwh/title", "no such text")
'no such text'
"""

from __future__ import annotations

import functools
import gettext as _gettext
import importlib.resources
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["LANG_ENV", "STORE", "LANGUAGES", "normalise", "language", "remember", "gettext", "_", "N_", "pgettext",
           "with_language"]

#: The environment variable that sets the course language; it wins over a stored one.
LANG_ENV = "COURSE_LANG"
#: The file, in the folder the notebooks run in, that keeps the language chosen in notebook 00.
STORE = ".course_language"
#: The course's languages, and the gettext locale of each translation.
LANGUAGES = {"en": None, "zh-Hant": "zh_Hant"}
# What students and systems write for them (a browser's zh-HK or zh-TW, a locale's zh_Hant).
_SAME = {"zh": "zh-Hant", "zh-hant": "zh-Hant", "zh-hk": "zh-Hant", "zh-tw": "zh-Hant", "zh-mo": "zh-Hant",
         "zh-hant-hk": "zh-Hant", "zh-hant-tw": "zh-Hant", "繁體中文": "zh-Hant", "中文": "zh-Hant", "en": "en"}

T = TypeVar("T")


def normalise(code: str) -> str:
    """``code`` as one of :data:`LANGUAGES` (``zh_HK``, ``zh-TW``, ``繁體中文`` -> ``zh-Hant``; ``en-GB`` -> ``en``)."""
    if not isinstance(code, str):
        raise TypeError(f"language must be text such as 'en' or 'zh-Hant', got {code!r} of type {type(code).__name__}")
    key = code.strip().replace("_", "-").lower()
    found = _SAME.get(key) or _SAME.get(key.split("-")[0] if key.startswith("en") else key)
    if found is None:
        raise ValueError(f"language={code!r} is not one of the course's languages; use one of {', '.join(LANGUAGES)}")
    return found


def _stored(folder: Path | None = None) -> str | None:
    try:
        return normalise((folder or Path.cwd()).joinpath(STORE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def language() -> str:
    """The course language in force: ``COURSE_LANG``, else the stored one, else ``"en"``."""
    given = os.environ.get(LANG_ENV, "").strip()
    if given:
        try:
            return normalise(given)
        except ValueError:
            pass  # a wrong setting must not stop a notebook: the stored language or English
    return _stored() or "en"


def remember(code: str, folder: str | Path | None = None) -> str:
    """Keep the course language ``code`` beside the notebooks; returns the language in force
    afterwards (``COURSE_LANG``, when set, still wins)."""
    where = Path(folder) if folder is not None else Path.cwd()
    (where / STORE).write_text(normalise(code) + "\n", encoding="utf-8")
    return language()


@functools.lru_cache(maxsize=None)
def _catalogue(domain: str, code: str) -> _gettext.NullTranslations:
    locale = LANGUAGES.get(code)
    if locale is None:
        return _gettext.NullTranslations()
    folder = importlib.resources.files(__package__).joinpath("locale")
    return _gettext.translation(domain, localedir=str(folder), languages=[locale], fallback=True)


def gettext(message: str, domain: str = "course_lib") -> str:
    """``message`` in the course language (English when it has no translation)."""
    return _catalogue(domain, language()).gettext(message)


_ = gettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue where it is kept in a table; it is translated where shown."""
    return message


def pgettext(context: str, message: str, domain: str = "questions") -> str:
    """``message`` of ``context`` (an exercise's ``<id>/<field>``) in the course language."""
    return _catalogue(domain, language()).pgettext(context, message)


def with_language(code: str, function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` with the course language set to ``code`` for the call (tests, builds)."""
    saved = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = normalise(code)
    try:
        return function(*args)
    finally:
        if saved is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = saved
