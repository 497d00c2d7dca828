"""The package's template folder, and a Jinja environment for its text (markdown) templates.

HTML pages are rendered by the nbconvert exporters of :mod:`course_tools.build.exporters`, from the
``templates/course/`` folder; the markdown files (lecture outline, handout listings) by
:func:`render_text`, from ``templates/text/``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

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
