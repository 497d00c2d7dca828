"""Colour contrast as WCAG 2.1 measures it, and colours adjusted until they reach it.

The site's code is coloured by Pygments, whose default style has a few colours just under the
4.5:1 that WCAG 2.1 AA asks of normal text (comments #3D7B7B on the code background: 4.45:1).
:func:`pygments_css` writes the style sheet with every such colour darkened just enough, keeping
its hue. The same measure checks the course's own colours in JupyterLab (light and dark themes).

>>> round(contrast_ratio("#767676", "#ffffff"), 2)
4.54
>>> readable("#3D7B7B", "#f5f5f2")
'#3c7a7a'
>>> contrast_ratio(readable("#3D7B7B", "#f5f5f2"), "#f5f5f2") >= 4.5
True
"""

from __future__ import annotations

import re

__all__ = ["AA_TEXT", "AA_LARGE_TEXT", "relative_luminance", "contrast_ratio", "readable", "pygments_css"]

AA_TEXT = 4.5  #: WCAG 2.1 AA (1.4.3), normal text
AA_LARGE_TEXT = 3.0  #: WCAG 2.1 AA, large text (24 px, or 18.66 px bold) and non-text contrast (1.4.11)

_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _rgb(colour: str) -> tuple[int, int, int]:
    if not isinstance(colour, str) or not _HEX.fullmatch(colour.strip()):
        raise ValueError(f"colour must be a hex colour such as '#1b1b1b' or '#fff', got {colour!r}")
    text = colour.strip()[1:]
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def relative_luminance(colour: str) -> float:
    """The relative luminance of a hex colour (0 for black, 1 for white), as WCAG 2.1 defines it."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1's contrast ratio of two hex colours, from 1 (same) to 21 (black on white)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(foreground: str, background: str, ratio: float = AA_TEXT) -> str:
    """``foreground`` if it reaches ``ratio`` on ``background``, else the nearest colour of the same hue
    that does: moved towards black on a light background, towards white on a dark one."""
    if contrast_ratio(foreground, background) >= ratio:
        return foreground
    r, g, b = _rgb(foreground)
    target = 0 if relative_luminance(background) > 0.18 else 255
    for step in range(1, 101):
        t = step / 100
        mixed = "#" + "".join(f"{round(v + (target - v) * t):02x}" for v in (r, g, b))
        if contrast_ratio(mixed, background) >= ratio:
            return mixed
    return "#000000" if target == 0 else "#ffffff"


def pygments_css(style: str = "default", background: str = "#f5f5f2", selector: str = ".highlight",
                 ratio: float = AA_TEXT + 0.1) -> str:
    """Pygments' style sheet for ``style`` with every text colour made :func:`readable` on ``background``
    (``ratio``: a little above 4.5:1 by default, so that rounding in a checker never tips it under).

    >>> css = pygments_css()
    >>> ".highlight .c1 { color: #3b7777" in css
    True
    """
    from pygments.formatters import HtmlFormatter

    css = HtmlFormatter(style=style).get_style_defs(selector)

    def fix(match: re.Match[str]) -> str:
        return f"{match.group(1)}{readable(match.group(2), background, ratio)}"

    return re.sub(r"((?<![-\w])color:\s*)(#[0-9a-fA-F]{3,6})\b", fix, css)
