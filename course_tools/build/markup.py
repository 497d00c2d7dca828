"""Markdown cells as HTML, with their TeX as MathML (drawn by the browser: no MathJax, no internet).

Markdown goes through nbconvert's mistune renderer; ``$...$`` and ``$$...$$`` then go through
latex2mathml. A formula latex2mathml cannot read, or one using a command it does not know (which
it would print as a bare ``\\command``), is kept as TeX in ``<code class="tex">``.

>>> markdown("Area $a = b^2$.")
'<p>Area <math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><mi>a</mi><mo>&#x0003D;</mo><msup><mi>b</mi><mn>2</mn></msup></mrow></math>.</p>\\n'
>>> markdown(r"Kept: $\\frac{1}{2$")
'<p>Kept: <code class="tex">\\\\frac{1}{2</code></p>\\n'
"""

from __future__ import annotations

import html
import re
from typing import Any

from latex2mathml.converter import convert

__all__ = ["TexUnsupported", "tex_to_mathml", "markdown", "inline_markdown", "accessible_html"]

# Outside code, $$display$$ or $inline$ (not \$, not an empty $$).
_FORMULA = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$", re.S)
_CODE = re.compile(r"(<pre[\s>].*?</pre>|<code[\s>].*?</code>)", re.S)
# latex2mathml writes a command it does not know as the text of an element: <mi>\mathbb</mi>.
_UNKNOWN_COMMAND = re.compile(r">\\[A-Za-z]+<")
_FORMULA_BOX = ('<span class="formula-scroll" data-scroll-box="Formula" tabindex="0" role="region" '
                'aria-label="Formula (scrolls sideways)">{}</span>')
_TABLE = re.compile(r"<table\b.*?</table>", re.S)
#: The box around a markdown table: it scrolls sideways on a narrow screen, reachable by keyboard
#: (course.js keeps tabindex, role and label only while the table overflows).
_TABLE_BOX = ('<div class="table-scroll" data-scroll-box="Table" tabindex="0" role="region" '
              'aria-label="Table (scrolls sideways)">{}</div>')


class TexUnsupported(ValueError):
    """A formula that cannot be shown as MathML (it is then kept as TeX)."""


def _balanced(tex: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\.|[{}]", tex):
        token = match.group()
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            return False
    return depth == 0


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """``tex`` as a MathML ``<math>`` element; raises :class:`TexUnsupported` when it cannot.

    >>> tex_to_mathml(r"x^2")
    '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>'
    """
    if not _balanced(tex):
        raise TexUnsupported(f"unbalanced braces in {tex!r}")
    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml's errors share no base class beyond Exception
        raise TexUnsupported(f"{tex!r}: {type(error).__name__} {error}") from error
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise TexUnsupported(f"{tex!r}: unknown command {unknown.group()[1:-1]}")
    return mathml


def _math(markup: str) -> str:
    """Replace the formulas in rendered markdown (outside code) by MathML; keep what fails as TeX."""

    def convert_one(match: re.Match[str]) -> str:
        display = match.group(1) is not None
        tex = html.unescape(match.group(1) if display else match.group(2)).strip()
        try:
            mathml = tex_to_mathml(tex, display)
        except TexUnsupported:
            return f'<code class="tex">{html.escape(tex)}</code>'
        # A displayed formula wider than a phone's screen scrolls in a box of its own (a span: it may sit in a <p>).
        return _FORMULA_BOX.format(mathml) if display else mathml

    parts = _CODE.split(markup)
    return "".join(part if i % 2 else _FORMULA.sub(convert_one, part) for i, part in enumerate(parts))


# An empty header cell of a table (pandas' corner cell: <th></th>; Styler's: class="blank" &nbsp;).
_EMPTY_HEADER = re.compile(r"<th((?:\s+class=\"[^\"]*\")?)\s*>(?:\s|&nbsp;)*</th>")


def accessible_html(markup: str) -> str:
    """HTML (an output, a markdown cell) with its tables' empty header cells made plain empty cells:
    a header that names nothing would be announced as a nameless column or row header.

    >>> accessible_html('<table><thead><tr><th></th><th>kWh</th></tr></thead></table>')
    '<table><thead><tr><td></td><th>kWh</th></tr></thead></table>'
    """
    return _EMPTY_HEADER.sub(r"<td\1></td>", markup)


def markdown(source: str, attachments: dict[str, Any] | None = None) -> str:
    """A markdown cell's ``source`` as HTML, its attachments inlined, its TeX as MathML and its tables
    in boxes that scroll sideways (:func:`_scroll_tables`)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    for name, bundle in (attachments or {}).items():
        for mime, payload in bundle.items():
            if mime.startswith("image/"):
                source = source.replace(f"attachment:{name}", f"data:{mime};base64,{payload}")
                break
    return _scroll_tables(accessible_html(_math(markdown2html_mistune(source))))


def _scroll_tables(markup: str) -> str:
    """Put each table in a box of its own that scrolls sideways, so a wide table never widens the page.

    >>> _scroll_tables("<p>x</p><table><tr><td>1</td></tr></table>")  # doctest: +ELLIPSIS
    '<p>x</p><div class="table-scroll" ... aria-label="Table (scrolls sideways)"><table><tr><td>1</td></tr></table></div>'
    """
    return _TABLE.sub(lambda match: _TABLE_BOX.format(match.group()), markup)


def inline_markdown(source: str) -> str:
    """One line of markdown (a list item, a table cell) as HTML, without the paragraph around it.

    >>> inline_markdown("read a **log** axis")
    'read a <strong>log</strong> axis'
    """
    return markdown(source).strip().removeprefix("<p>").removesuffix("</p>")
