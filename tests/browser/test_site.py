"""The static site in headless Chromium, offline: every page, every chart drawn, no request out.

The site (``python -m course_lib.build site``) is built from every notebook in ``notebooks/`` plus
the demo notebook (a chart with a Vega-Lite slider and menu, a live explorer, slides with a
fragment), served from 127.0.0.1 and opened in Chromium with every non-local host unresolvable.
The ``browser`` fixture is the browser suite's (``tests/browser/conftest.py``): Debian's Chromium
with the offline flags, skipped with the reason when Chromium or Playwright is missing, except in
CI (env CI set), where that is a failure.
"""

from __future__ import annotations

import warnings

import pytest

from tests.harness.sites import DEMO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 15_000  # bounded: a chart that never comes costs this, not the whole CI


@pytest.fixture(scope="module")
def site(course_sites):
    """The course's site, built once per run for every browser test file (tests/browser/conftest.py)."""
    return course_sites["site"]


@pytest.fixture(scope="module")
def base_url(course_site_urls):
    return course_site_urls["site"]


class Visit:
    """A page opened on the site, with every request and every console or page error it made."""

    def __init__(self, browser, base_url: str, path: str):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.goto(base_url + path, wait_until="load", timeout=WAIT_MS)
        if self.page.evaluate("typeof window.__course") == "object":
            self.page.wait_for_function("window.__course.done", timeout=WAIT_MS)

    def _console(self, message):
        # Vega-Lite's compile warnings ("WARN ...") concern a chart's spec, which still draws: they
        # are reported to the notebook's author (pytest's warnings summary), not failed on here.
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")
        elif message.type == "warning":
            (self.warnings if message.text.startswith("WARN ") else self.errors).append(message.text)

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, base_url):
    opened = []

    def open_page(path: str) -> Visit:
        opened.append(Visit(browser, base_url, path))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def test_every_page_draws_every_chart_offline(site, visit, base_url):
    assert len(site.pages) == 1 + 2 * len(site.notebooks)
    for path, expected in sorted(site.pages.items()):
        page = visit(path)
        outside = [url for url in page.requests if not url.startswith(base_url) and not url.startswith("data:")]
        assert outside == [], f"{path} asked the network for {outside}"
        assert page.errors == [], f"{path}: {page.errors}"
        for text in sorted(set(page.warnings)):
            warnings.warn(f"{path}: Vega-Lite warns: {text}", stacklevel=1)
        if expected == 0:
            continue
        status = page.page.evaluate("window.__course")
        assert status["failed"] == [] and status["rendered"] == status["total"] == expected, f"{path}: {status}"
        # Drawn means an SVG with a real size in every chart (slides: check the figures' SVG sizes
        # from their attributes, since charts on slides not shown are hidden).
        sizes = page.page.eval_on_selector_all(
            "figure.chart .chart-view svg.marks",
            "els => els.map(e => [Number(e.getAttribute('width')), Number(e.getAttribute('height'))])")
        assert len(sizes) == expected and all(w > 50 and h > 20 for w, h in sizes), f"{path}: {sizes}"


def test_vega_lite_params_work_without_a_kernel(visit):
    page = visit(f"{DEMO}.html").page
    figure = page.locator("figure.chart").first
    bars = "() => Array.from(document.querySelectorAll('#chart-1 .mark-rect path')).map(p => p.getAttribute('d'))"
    colours = "() => Array.from(document.querySelectorAll('#chart-1 .mark-rect path')).map(p => p.getAttribute('fill'))"
    before, fill_before = page.evaluate(bars), page.evaluate(colours)
    assert len(before) == 3 and set(fill_before) == {"#0072B2"}
    slider = figure.locator("input[type=range]")
    slider.evaluate("el => { el.value = 3; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_function(f"({bars})().join() !== {before!r}.join()", timeout=WAIT_MS)
    assert page.evaluate("document.querySelector('#chart-1').__view.signal('factor')") == 3
    figure.locator("select").select_option("#D55E00")
    page.wait_for_function(f"({colours})().every(c => c === '#D55E00')", timeout=WAIT_MS)


def test_formulas_are_drawn_as_mathml(visit):
    page = visit(f"{DEMO}.html").page
    formulas = page.locator("math")
    assert formulas.count() == 2
    box = page.locator('math[display="block"] mfrac').bounding_box()
    assert box and box["height"] > 20  # a built fraction is two lines high: the browser laid it out


def test_explorer_is_replaced_by_its_default_view(visit):
    page = visit(f"{DEMO}.html").page
    widget = page.locator(".widget-static")
    assert widget.count() == 1
    assert "Live explorer." in widget.inner_text()
    assert widget.locator("figure.chart[data-status=rendered] svg").count() == 1


def test_slides_step_through_fragments_and_slides(visit):
    page = visit(f"{DEMO}.slides.html").page
    state = "() => [window.__slides.index, window.__slides.count, location.hash]"
    assert page.evaluate(state) == [0, 6, "#1"]
    assert page.locator(".slide.current h1").inner_text().startswith("Demo notebook")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(state) == [1, 6, "#2"]
    assert page.locator(".slide.current figure.chart svg").is_visible()
    fragment = page.locator(".slide.current .fragment")
    assert not fragment.is_visible()
    page.keyboard.press("ArrowRight")  # the fragment appears, the slide stays
    assert page.evaluate(state)[0] == 1 and fragment.is_visible()
    page.keyboard.press("ArrowLeft")
    assert not fragment.is_visible()
    page.keyboard.press("End")
    assert page.evaluate(state) == [5, 6, "#6"]
    page.keyboard.press("Home")
    assert page.evaluate(state)[0] == 0
    assert page.locator("aside.notes").first.is_hidden()


def test_course_map_links_every_notebook(site, visit):
    page = visit("index.html").page
    names = site.notebooks
    hrefs = page.eval_on_selector_all("table.course-map a", "els => els.map(e => e.getAttribute('href'))")
    for name in names:
        assert {f"{name}.html", f"{name}.slides.html", f"notebooks/{name}.ipynb"} <= set(hrefs), name
    page.click(f"a[href='{DEMO}.html']")
    page.wait_for_function("window.__course && window.__course.done", timeout=WAIT_MS)
    assert page.evaluate("window.__course.rendered") == 2
