"""nbconvert exporters for the static site: a notebook as a page, and as offline slides.

Both are :class:`nbconvert.TemplateExporter` subclasses rendering the Jinja templates of
``templates/course/`` (``page.html.j2``, ``slides.html.j2``; cells and outputs in
``cells.html.j2``; style sheet and scripts in ``static/``). Their preprocessors prepare a copy of
the notebook for a page that runs no Python:

* :class:`HideTestMarkers`: nbval's tags and ``# NBVAL_...`` lines (test plumbing) are left out;
* :class:`~course_tools.build.explorers.ExplorerPlaceholders`: explorers become their default view;
* :class:`NumberCharts`: charts get ids ``chart-1``, ``chart-2``, ... in the order shown, and
  ``resources["charts"]`` their number;
* for slides, first :class:`~course_tools.build.slides.SlideGroups`.

Charts are drawn in the browser by ``_static/course.js`` with the local Vega bundle
(:mod:`course_tools.build.vega`); formulas are MathML (:mod:`course_tools.build.markup`).

>>> from tests.harness.demo import demo_notebook
>>> page, charts = render_page(demo_notebook(), name="01_demo")
>>> charts, page.count('<figure class="chart"'), "nbval" in page.lower()
(2, 2, False)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from nbconvert.exporters import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, List, default

from ._templates import TEMPLATES, install_site_words
from .explorers import EXPLORER_MIME, ExplorerPlaceholders
from .front_matter import front_matter
from .markup import accessible_html, inline_markdown, markdown
from .slides import SlideGroups
from .sources import VEGALITE_MIME

__all__ = ["HideTestMarkers", "NumberCharts", "CoursePageExporter", "CourseSlidesExporter", "output_kind",
           "text_alternative", "chart_title", "accessible_html", "exporter", "export", "render_page", "render_slides"]

_TEST_MARKER = re.compile(r"^\s*#\s*NBVAL_\w*.*(?:\n|$)", re.M)
# HTML that would run code or load from elsewhere is not copied into a page.
_UNSAFE_HTML = re.compile(
    r"<script|<iframe|\bsrc\s*=\s*[\"']?(?:https?:)?//|\bhref\s*=\s*[\"']?(?:https?:)?//[^\"' >]*\.(?:css|js)\b", re.I)
_IMAGES = ("image/png", "image/jpeg", "image/gif")
_MIMES = {"explorer": EXPLORER_MIME, "chart": VEGALITE_MIME}


class HideTestMarkers(Preprocessor):
    """Remove nbval's markers, tags (``nbval-check-output``) and comment lines
    (``# NBVAL_CHECK_OUTPUT``): plumbing of the tests, not part of the lesson.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\\nx = 1", metadata={"tags": ["nbval-check-output", "exercise"]})
    >>> cell, _ = HideTestMarkers().preprocess_cell(cell, {}, 0)
    >>> cell.source, cell.metadata.tags
    ('x = 1', ['exercise'])
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        if cell.cell_type == "code":
            cell.source = _TEST_MARKER.sub("", cell.source)
        if "tags" in cell.metadata:
            cell.metadata.tags = [t for t in cell.metadata.tags if not t.lower().startswith("nbval-")]
        return cell, resources


class NumberCharts(Preprocessor):
    """Give each chart (explorers' default views included) the id its figure gets on the page."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        count = 0

        def number(outputs: list) -> None:
            nonlocal count
            for output in outputs:
                data = output.get("data", {})
                if VEGALITE_MIME in data:
                    count += 1
                    output.setdefault("metadata", {})["course_chart"] = f"chart-{count}"
                elif EXPLORER_MIME in data:
                    number(data[EXPLORER_MIME]["outputs"])

        for cell in nb.cells:
            number(cell.get("outputs", []))
        resources["charts"] = count
        return nb, resources


def _as_text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def output_kind(output: dict) -> str:
    """How a static page shows an output: ``stream``, ``error``, ``explorer``, ``chart``, ``html``,
    ``svg``, an image MIME type, ``markdown``, ``latex``, ``live-only``, ``text`` or ``''``.

    >>> output_kind({"output_type": "display_data", "data": {"text/html": "<script>x()</script>", "text/plain": "x"}})
    'live-only'
    """
    kind = output.get("output_type")
    if kind in ("stream", "error"):
        return str(kind)
    data = output.get("data", {})
    if EXPLORER_MIME in data:
        return "explorer"
    if VEGALITE_MIME in data:
        return "chart"
    if "text/html" in data and not _UNSAFE_HTML.search(_as_text(data["text/html"])):
        return "html"
    if "image/svg+xml" in data:
        return "svg"
    for mime in _IMAGES:
        if mime in data:
            return mime
    if "text/markdown" in data:
        return "markdown"
    if "text/latex" in data:
        return "latex"
    if "application/javascript" in data or "text/html" in data:
        return "live-only"
    return "text" if _as_text(data.get("text/plain", "")) else ""


def _payload(output: dict) -> Any:
    """The data a chart or an explorer output carries."""
    return output["data"][_MIMES[output_kind(output)]]


def _css_name(tag: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", tag.lower())


def text_alternative(spec: dict) -> str:
    """A chart's text alternative (title, description, source line): what the page's figure is named
    and captioned with, the same text the notebook stores as the chart's ``text/plain``."""
    from course_lib.charts import text_alternative as course_text_alternative  # Altair: only when a page has a chart

    return course_text_alternative(spec)


def chart_title(spec: dict) -> str:
    """A chart's title as one line of text ('' when it has none).

    >>> chart_title({"title": {"text": ["Two", "lines"], "subtitle": "Source: x"}})
    'Two lines'
    """
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return str(title)


class CoursePageExporter(TemplateExporter):
    """A notebook as one page of the course's static site (template ``course/page.html.j2``).

    Pass ``resources={"course": {"name", "course", "title", "previous", "following"}}``; after
    the export, ``resources["charts"]`` and ``resources["explorers"]`` count what the page shows.
    """

    output_mimetype = "text/html"
    preprocessors: List[Any] = List(help="Steps preparing the notebook for a static page.").tag(config=True)

    @default("file_extension")
    def _default_file_extension(self) -> str:
        return ".html"

    @default("template_name")
    def _default_template_name(self) -> str:
        return "course"

    @default("template_file")
    def _default_template_file(self) -> str:
        return "page.html.j2"

    @default("extra_template_basedirs")
    def _default_basedirs(self) -> list[str]:
        return [str(TEMPLATES)]

    @default("preprocessors")
    def _default_preprocessors(self) -> list:
        return [HideTestMarkers, ExplorerPlaceholders, NumberCharts]

    def _create_environment(self) -> Any:
        """nbconvert's environment, speaking the language of the notebook rendered (the site's catalogue)."""
        environment = super()._create_environment()
        install_site_words(environment)
        return environment

    def default_filters(self) -> Iterator[tuple[str, Any]]:
        """nbconvert's filters, plus the course's own (see ``cells.html.j2``)."""
        yield from super().default_filters()
        yield ("highlight_code", Highlight2HTML(pygments_lexer="ipython3", parent=self))
        yield ("course_markdown", markdown)
        yield ("inline_markdown", inline_markdown)
        yield ("output_kind", output_kind)
        yield ("payload", _payload)
        yield ("as_text", _as_text)
        yield ("css_name", _css_name)
        yield ("text_alternative", text_alternative)
        yield ("chart_title", chart_title)
        yield ("accessible_html", accessible_html)


class CourseSlidesExporter(CoursePageExporter):
    """A notebook as offline slides (template ``course/slides.html.j2``); see
    :mod:`course_tools.build.slides` for how cells become slides."""


    @default("template_file")
    def _default_template_file(self) -> str:
        return "slides.html.j2"

    @default("preprocessors")
    def _default_preprocessors(self) -> list:
        return [SlideGroups, HideTestMarkers, ExplorerPlaceholders, NumberCharts]


@functools.lru_cache(maxsize=None)
def exporter(kind: str) -> CoursePageExporter:
    """One shared exporter per kind (``"page"`` or ``"slides"``): loading templates takes time."""
    return CourseSlidesExporter() if kind == "slides" else CoursePageExporter()


Link = tuple[str, str]  # (href, title)


def export(kind: str, nb: Any, *, name: str, course: str = "Course", previous: Link | None = None,
           following: Link | None = None) -> tuple[str, dict[str, Any]]:
    """Render ``nb`` as a ``"page"`` or as ``"slides"``: the HTML and the exporter's resources
    (``charts``, ``explorers``; for slides also ``slides``)."""
    if kind not in ("page", "slides"):
        raise ValueError(f"kind must be 'page' or 'slides', got {kind!r}")
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be the notebook's file name without .ipynb, got {name!r}")
    title = front_matter(nb)["title"] or name
    page = {"name": name, "course": course, "title": title, "previous": previous, "following": following,
            "language": nb.metadata.get("course", {}).get("language", "en")}  # the page's lang attribute
    return exporter(kind).from_notebook_node(nb, {"course": page})


def render_page(nb: Any, *, name: str, course: str = "Course", previous: Link | None = None,
                following: Link | None = None) -> tuple[str, int]:
    """The HTML page of one notebook (to sit at the site's top level) and its number of charts.

    ``previous``/``following`` are ``(href, title)`` pairs for the pager, or None.
    """
    html, resources = export("page", nb, name=name, course=course, previous=previous, following=following)
    return html, resources["charts"]


def render_slides(nb: Any, *, name: str, course: str = "Course") -> tuple[str, int, int]:
    """Offline slides of one notebook (``<name>.slides.html`` beside its page): HTML, slides, charts.

    Keys: → / space / PageDown next, ← / PageUp back, Home, End, f for full screen.
    """
    html, resources = export("slides", nb, name=name, course=course)
    return html, len(resources["slides"]), resources["charts"]
