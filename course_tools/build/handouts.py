"""Handouts: every chart of a notebook as PNG, SVG and PDF files, for slides or print.

Charts come from the stored outputs (:func:`course_tools.build.collect.charts_in`) and are drawn
by vl-convert (``course_lib.charts.save``), offline; the notebooks are not run.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from ._templates import render_text
from .collect import charts_in
from .sources import build_dir, notebook_paths, out_dir, read, safe_out

__all__ = ["FORMATS", "build_handouts"]

FORMATS = ("png", "svg", "pdf")


def _slug(text: str, limit: int = 40) -> str:
    """``text`` as a file-name stem: lower case, words joined by '-', cut at a word boundary.

    >>> _slug("Energy of 1 t of aluminium, in cars (and more words than fit)")
    'energy-of-1-t-of-aluminium-in-cars-and'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:limit]
    return slug or "chart"


def _label_svg(path: Path, alt: str, title: str) -> None:
    """Give an SVG file its text alternative: ``role="img"``, ``aria-label``, ``<title>`` and ``<desc>``.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "chart.svg"
    >>> _ = path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10"><g/></svg>')
    >>> _label_svg(path, "Chart: A & B. Two bars.", "A & B")
    >>> path.read_text()
    '<svg role="img" aria-label="Chart: A &amp; B. Two bars." xmlns="http://www.w3.org/2000/svg" width="10"><title>A &amp; B</title><desc>Chart: A &amp; B. Two bars.</desc><g/></svg>'
    """
    text = path.read_text(encoding="utf-8")
    start = re.search(r"<svg\b[^>]*>", text)
    if start is None:
        return
    label = html.escape(alt, quote=True)
    opening = start.group().replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
    inner = f"<title>{html.escape(title or alt, quote=False)}</title><desc>{html.escape(alt, quote=False)}</desc>"
    path.write_text(text[:start.start()] + opening + inner + text[start.end():], encoding="utf-8")


def _formats(formats: str | Sequence[str]) -> list[str]:
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    if not isinstance(formats, (list, tuple)) or not formats:
        raise ValueError(f"formats must be a non-empty list drawn from {FORMATS}, got {formats!r}")
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"formats {bad!r} not supported; choose from {', '.join(FORMATS)}")
    return list(formats)


def build_handouts(notebooks: str | Path | Iterable[str | Path] | None = None, out: str | Path | None = None,
                   formats: str | Sequence[str] = FORMATS) -> list[Path]:
    """Export every chart of each notebook as files for slides or print.

    Writes ``out/<notebook>/NN-<title>.<format>`` (default ``build/handouts/``) and a
    ``README.md`` per notebook listing each figure with its title and its text alternative (title,
    description and source: :func:`course_lib.charts.text_alternative`; use it as alt text). SVG
    files carry the text alternative themselves (``<title>``, ``<desc>``, ``aria-label``). ``formats``: a list or a comma-separated text drawn from png, svg, pdf. Charts come
    from the stored outputs, so run a notebook first if it has none. Returns the figure files.
    """
    from course_lib import charts as course_charts  # Altair and vl-convert: only when handouts are built

    chosen = _formats(formats)
    paths = notebook_paths(notebooks)
    target = safe_out(out_dir(out, build_dir() / "handouts"), paths)
    written = []
    for path in paths:
        folder = target / path.stem
        if folder.exists():
            shutil.rmtree(folder)  # no stale figures from an earlier version of the notebook
        folder.mkdir(parents=True)
        figures = []
        for number, chart in enumerate(charts_in(read(path)), 1):
            stem = f"{number:02d}-{_slug(chart.title)}"
            files = [course_charts.save(chart, folder / f"{stem}.{fmt}") for fmt in chosen]
            alt = course_charts.text_alternative(chart.spec)
            for file in files:
                if file.suffix == ".svg":
                    _label_svg(file, alt, chart.title)
            written += files
            figures.append({"chart": chart, "files": [f.name for f in files], "alt": alt})
        listing = render_text("handouts.md.j2", notebook=path.name, figures=figures)
        (folder / "README.md").write_text(listing.rstrip("\n") + "\n", encoding="utf-8")
    return written
