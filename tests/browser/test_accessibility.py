"""WCAG 2.1 AA in the browser: axe-core over the pages of the site, the student site and the slides.

axe-core (the ``axe.min.js`` that the PyPI package ``axe-playwright-python`` ships) runs its rules
tagged WCAG 2.0/2.1 A and AA, plus its best practices, in Debian's Chromium on pages served from
127.0.0.1 (the suite's offline browser: ``tests/browser/conftest.py``). A test fails on any
*critical* or *serious* violation, naming rule, page and element; every violation found (any
impact) is written to ``artifacts/axe.json``. Slides are checked twice: as shown (the current slide
and the control bar) and with every slide and step laid out, as printed.

Which pages: every cell of the course is checked once in each layout, not once per copy. axe runs
on the site's course map and every notebook's page (the instructor version holds every cell a
student gets, and the solutions); the slides and the student site are the same cells in the same
templates, so there axe runs on the course map and the demo notebook (its slides, in both modes, and
its student version with the stubs that replace solutions). Reflow is checked on every page and
every slide of the site, where slides lay the cells out at their own size, and on the student
site's course map and demo.

Colour contrast, axe's slowest rule by far (three quarters of its time on a notebook page, where
every chart label and every highlighted token of code is a text to measure), runs on the course
map and the demo, which hold every kind of element the templates make (text, code, tables, charts,
an explorer, slides). Its colours come from the style sheet, Pygments' style and the chart theme,
which tests/test_accessibility.py checks pair by pair without a browser; on the notebook pages axe
runs every other rule.

The other tests do what axe cannot: the keyboard (skip link, scrolling boxes, a chart's slider and
menu, slides by keys alone, a slide taller than the screen), the text alternative as the accessible
name of every chart figure, reflow at 320 CSS px (a phone, WCAG 1.4.10) and at 640 CSS px (200 %
zoom of a 1280 px window) with nothing wider than the screen outside a box that scrolls by itself.
"""

from __future__ import annotations

import collections
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from course_tools import build
from tests.harness.sites import DEMO, TRANSLATED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 15_000
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING = ("critical", "serious")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
_FOUND: dict[str, list] = {}


def _axe_script() -> str:
    try:
        return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.fail("axe-core is missing: pip install -r requirements.txt (package axe-playwright-python)", pytrace=False)


@pytest.fixture(scope="module")
def sites(course_sites, course_site_urls):
    """The site and the student site of every notebook plus the demo, each served on 127.0.0.1: built
    once per run for every browser test file (``course_sites`` in tests/browser/conftest.py)."""
    return {kind: (report, course_site_urls[kind]) for kind, report in course_sites.items()}


def _open(browser, url: str, width: int = 1280, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url, wait_until="load", timeout=WAIT_MS)
    if page.evaluate("typeof window.__course") == "object":
        page.wait_for_function("window.__course.done", timeout=WAIT_MS)
    return context, page


def _axe(page, script: str, contrast: bool = True) -> list[dict]:
    if page.evaluate("typeof window.axe") == "undefined":
        page.add_script_tag(content=script)
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    result = page.evaluate("options => axe.run(document, options)", options)
    return result["violations"]


def _sample(report, kind: str) -> list[str]:
    """The pages checked (see the module's docstring): on the site every page but the course's slides,
    on the student site the course map and the demo; on the Chinese site every page and the first
    notebook's slides (the same templates with other words: the words and the lang attribute are new)."""
    if kind == TRANSLATED:
        first = min(p for p in report.pages if p.endswith(".slides.html"))
        return sorted(p for p in report.pages if not p.endswith(".slides.html") or p == first)
    if kind == "student":
        return sorted(p for p in report.pages if p == "index.html" or p.startswith(DEMO))
    return sorted(p for p in report.pages if not p.endswith(".slides.html") or p.startswith(DEMO))


def _figures(page) -> dict:
    """What a page's chart figures are named: each figure's label, spec and caption, whether the
    browser's accessibility tree names the first by its label, and how many Vega-Lite controls lack a name."""
    figures = page.eval_on_selector_all(
        "figure.chart", "els => els.map(f => [f.getAttribute('aria-label'), f.querySelector('script.chart-spec').textContent,"
        " f.querySelector('figcaption p').textContent])")
    return {
        "figures": figures,
        # The browser's own accessibility tree names each figure with it.
        "named_in_tree": page.get_by_role("figure", name=figures[0][0], exact=True).count() if figures else 0,
        # Vega-Lite's controls under a chart are named.
        "unnamed": page.evaluate("""() => Array.from(document.querySelectorAll('.vega-bind input, .vega-bind select'))
            .filter(i => i.type !== 'radio' && !i.getAttribute('aria-label')).length"""),
        "groups": page.evaluate("""() => Array.from(document.querySelectorAll('.vega-bind-radio'))
            .filter(g => g.getAttribute('role') !== 'radiogroup' || !g.getAttribute('aria-label')).length"""),
    }


@pytest.fixture(scope="module")
def visits(browser, sites):
    """``visits(kind)``: every page of ``_sample`` of that site opened once at 1280 x 800, with axe's
    findings per mode and, on the site's notebook pages with charts, their figures' names (read
    before axe runs). Made on first use per kind and shared by the tests that read them: a notebook
    page draws all its charts on opening, the largest part of a visit."""
    made: dict[str, dict] = {}

    def visit(kind: str) -> dict:
        if kind in made:
            return made[kind]
        report, base = sites[kind]
        script = _axe_script()
        found: dict = {"axe": {}, "figures": {}}
        for path in _sample(report, kind):
            context, page = _open(browser, base + path)
            try:
                found.setdefault("lang", {})[path] = page.evaluate("document.documentElement.lang")
                if kind == "site" and report.pages[path] and not path.endswith(".slides.html"):
                    found["figures"][path] = _figures(page)
                contrast = path == "index.html" or path.startswith(DEMO)  # see the module's docstring
                runs = [("as shown", _axe(page, script, contrast))]
                if path.endswith(".slides.html"):
                    page.emulate_media(media="print")  # every slide and every step laid out, as printed
                    page.evaluate("window.__courseScrollBoxes()")
                    runs.append(("every slide", _axe(page, script)))
            finally:
                context.close()
            found["axe"][path] = runs
        made[kind] = found
        return found

    return visit


@pytest.mark.parametrize("kind", ["site", "student", TRANSLATED])
def test_axe_finds_no_serious_violation_on_any_page(visits, sites, kind):
    report, _ = sites[kind]
    found, failures = [], []
    pages = _sample(report, kind)
    assert "index.html" in pages and (kind == TRANSLATED or f"{DEMO}.slides.html" in pages)
    # every page says its language (WCAG 3.1.1): the Chinese site's pages are read out in Chinese
    assert set(visits(kind)["lang"].values()) == {"zh-Hant" if kind == TRANSLATED else "en"}
    axe = visits(kind)["axe"]
    assert sorted(axe) == pages
    for path in pages:
        for mode, violations in axe[path]:
            for violation in violations:
                for node in violation["nodes"]:
                    row = {"page": path, "mode": mode, "rule": violation["id"], "impact": violation["impact"],
                           "target": node["target"], "summary": node.get("failureSummary", "")}
                    found.append(row)
                    if violation["impact"] in FAILING:
                        failures.append(f"{path} ({mode}): {violation['id']} [{violation['impact']}] at {node['target']}: "
                                        f"{row['summary'].splitlines()[-1].strip() if row['summary'] else violation['help']}")
    _FOUND[kind] = found
    assert len(report.pages) == 1 + 2 * (len(build.discover()) + (kind != TRANSLATED))
    assert failures == [], f"{len(failures)} critical or serious axe violations:\n" + "\n".join(failures[:40])


def test_no_note_for_instructors_reaches_the_student_site(sites):
    """Every page and downloadable notebook of the student site (built here for axe anyway)."""
    note = re.compile(r"\bfor (?:the )?instructors?\b", re.I)
    student, _ = sites["student"]
    for path in sorted(student.out.rglob("*")):
        if path.suffix in (".html", ".ipynb"):
            found = note.search(path.read_text(encoding="utf-8"))
            assert not found, f"student site {path.relative_to(student.out)}: {found.group()!r}"
    site, _ = sites["site"]  # the check has teeth: the instructor's site has every note
    assert all(note.search((site.out / f"{p.stem}.html").read_text(encoding="utf-8")) for p in build.discover())


def test_every_chart_figure_is_named_by_its_text_alternative(visits, sites):
    from course_lib.charts import text_alternative

    report, _ = sites["site"]
    seen = visits("site")["figures"]  # read on the visit axe makes anyway, before axe ran
    checked = 0
    for path, charts in sorted(report.pages.items()):
        if not charts or path.endswith(".slides.html"):
            continue
        found = seen[path]
        for label, spec, caption in found["figures"]:
            expected = text_alternative(json.loads(spec))
            assert label == caption == expected, path
        assert found["named_in_tree"] >= 1, path
        assert found["unnamed"] == found["groups"] == 0, path
        checked += len(found["figures"])
    assert checked == sum(n for p, n in report.pages.items() if not p.endswith(".slides.html"))


def test_skip_link_is_the_first_stop_and_leads_to_the_content(browser, sites):
    _, base = sites["site"]
    for path in ("index.html", f"{DEMO}.html", f"{DEMO}.slides.html"):
        context, page = _open(browser, base + path)
        try:
            page.keyboard.press("Tab")
            focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
            assert focused == ["skip-link", "Skip to content"], path
            box = page.locator(".skip-link").bounding_box()
            assert box and box["y"] >= 0 and box["width"] > 50, f"{path}: the focused skip link is not on screen"
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "content", path
        finally:
            context.close()


def test_a_box_wider_than_a_phone_scrolls_by_keyboard(browser, sites):
    report, base = sites["site"]
    pages = [f"{DEMO}.html"] + sorted(p for p, n in report.pages.items() if n and not p.endswith(".slides.html"))
    kinds_scrolled = set()
    for path in pages:
        context, page = _open(browser, base + path, width=320, height=640)
        try:
            labels = page.evaluate("""() => Array.from(document.querySelectorAll('[data-scroll-box][role=region]'))
                .map(b => [b.scrollWidth > b.clientWidth || b.scrollHeight > b.clientHeight, b.getAttribute('aria-label'),
                           b.getAttribute('tabindex')])""")
            # Boxes that fit lose their tab stop (and their landmark); those that scroll keep both, uniquely labelled.
            assert all(scrolls and tabindex == "0" for scrolls, _, tabindex in labels), path
            assert len({label for _, label, _ in labels}) == len(labels), path
            for selector in (".cell-input", ".chart-scroll"):
                box = page.locator(f"{selector}[role=region]").first
                if selector in kinds_scrolled or not box.count():
                    continue
                box.focus()
                page.keyboard.press("ArrowRight")
                page.keyboard.press("ArrowRight")
                box.evaluate("(b, ms) => new Promise(done => { const t0 = Date.now(); (function wait() {"
                             " if (b.scrollLeft > 0 || Date.now() - t0 > ms) done(); else requestAnimationFrame(wait); })(); })", 3000)
                assert box.evaluate("b => b.scrollLeft") > 0, f"{path}: {selector} did not scroll with the arrow key"
                kinds_scrolled.add(selector)
        finally:
            context.close()
        if kinds_scrolled == {".cell-input", ".chart-scroll"}:
            break
    assert kinds_scrolled == {".cell-input", ".chart-scroll"}, "no code box or chart wider than a phone was found"


def test_chart_controls_work_from_the_keyboard(browser, sites):
    _, base = sites["site"]
    context, page = _open(browser, base + f"{DEMO}.html")
    try:
        slider = page.locator("#chart-1 input[type=range]")
        assert slider.get_attribute("aria-label") == "factor"
        slider.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.querySelector('#chart-1').__view.signal('factor') === 2", timeout=WAIT_MS)
        menu = page.locator("#chart-1 select")
        assert menu.get_attribute("aria-label") == "colour"
        menu.focus()
        page.keyboard.press("ArrowDown")
        page.wait_for_function("document.querySelector('#chart-1').__view.signal('mark_colour') === '#D55E00'", timeout=WAIT_MS)
    finally:
        context.close()


def test_slides_by_keyboard_alone(browser, sites):
    _, base = sites["site"]
    context, page = _open(browser, base + f"{DEMO}.slides.html", width=1280, height=500)
    try:
        state = "() => [window.__slides.index, document.getElementById('slides-status').textContent]"
        assert page.evaluate(state) == [0, "Slide 1 of 6: Demo notebook"]
        page.keyboard.press("ArrowRight")
        assert page.evaluate(state) == [1, "Slide 2 of 6: A chart with a slider"]
        # Slide 2 is taller than this short window: ↓ scrolls it first, then moves on (fragment, slide).
        assert page.evaluate("(s => s.scrollHeight > s.clientHeight)(document.querySelector('.slide.current'))")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.querySelector('.slide.current').scrollTop") > 0
        assert page.evaluate(state)[0] == 1
        for _ in range(40):
            if page.evaluate("window.__slides.index") != 1:
                break
            page.keyboard.press("PageDown")
        assert page.evaluate("window.__slides.index") == 2
        # The buttons of the bar are reachable with Tab and pressed with Enter.
        page.locator(".slides-bar .previous").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("window.__slides.index") in (1, 2)
        page.keyboard.press("End")
        assert page.evaluate(state) == [5, "Slide 6 of 6: Sources"]
        page.keyboard.press("Home")
        assert page.evaluate("window.__slides.index") == 0
        # Focus follows the slide shown, so Tab goes on from there.
        page.locator("#content").focus()
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.id") == "slide-2"
    finally:
        context.close()


_WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('[data-scroll-box], .visually-hidden, .skip-link, script, style, .slide:not(.current), .vega-bindings') &&
        !el.matches('[data-scroll-box]')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) wide.push(el.tagName.toLowerCase() + '.' + el.className + ' (' + Math.round(box.right) + ' px)');
  }
  return {scroll: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5)};
}"""


REFLOW_WIDTHS = {"phone-320px": 320, "zoom-200pct": 640}  # CSS px; each window is twice as high as wide


def _reflow_problems(page, where: str, slides: int) -> list[str]:
    """What scrolls sideways on ``page`` as it is now laid out (each slide in turn, for slides)."""
    problems = []
    for index in range(max(slides, 1)):
        if slides:
            page.evaluate(f"""i => {{ document.querySelectorAll('.slide').forEach((s, k) => s.classList.toggle('current', k === i));
                              document.querySelectorAll('.slide')[i].querySelectorAll('.fragment').forEach(f => f.classList.add('shown'));
                              window.__courseScrollBoxes(); }}""", index)
        found = page.evaluate(_WIDER_THAN_SCREEN)
        if slides:
            found["scroll"] = page.evaluate("(s => s.scrollWidth - s.clientWidth)(document.querySelector('.slide.current'))")
        if found["scroll"] > 0 or found["wide"]:
            problems.append(f"{where}{f' slide {index + 1}' if slides else ''}: scrolls {found['scroll']} px sideways; {found['wide']}")
    if slides:  # the slide bar keeps every control on screen
        bar = page.evaluate("""() => Array.from(document.querySelectorAll('.slides-bar a, .slides-bar button'))
            .filter(e => { const b = e.getBoundingClientRect(); return b.right > innerWidth + 1 || b.bottom > innerHeight + 1; }).length""")
        if bar:
            problems.append(f"{where}: {bar} slide controls off screen")
    return problems


@pytest.fixture(scope="module")
def reflow(browser, sites) -> dict[str, list[str]]:
    """Every page of the site and the student site's sample, at each width of REFLOW_WIDTHS: the
    problems found, per width. One page load serves both widths: the page opens at the narrowest and
    the window then widens, as when a reader zooms out or turns a phone; the page lays itself out
    again (CSS, and course.js's resize handler, waited for)."""
    problems: dict[str, list[str]] = {name: [] for name in REFLOW_WIDTHS}
    widths = sorted(REFLOW_WIDTHS.items(), key=lambda item: item[1])
    for kind in ("site", "student"):
        report, base = sites[kind]
        for path in sorted(report.pages) if kind == "site" else _sample(report, kind):
            context, page = _open(browser, base + path, width=widths[0][1], height=2 * widths[0][1])
            try:
                slides = page.evaluate("document.querySelectorAll('.slide').length") if path.endswith(".slides.html") else 0
                for name, width in widths:
                    if (page.viewport_size or {}).get("width") != width:
                        page.set_viewport_size({"width": width, "height": 2 * width})
                        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
                        assert page.evaluate("document.documentElement.clientWidth") <= width
                    problems[name] += _reflow_problems(page, f"{kind}/{path}", slides)
            finally:
                context.close()
    return problems


@pytest.mark.parametrize("width", list(REFLOW_WIDTHS))
def test_every_page_reflows_without_sideways_scrolling(reflow, width):
    assert reflow[width] == [], "\n".join(reflow[width][:30])


def test_text_zoomed_to_200_percent_loses_nothing(browser, sites):
    """The reader's own font size (rem) doubled in a 1280 px window: still no sideways scroll."""
    report, base = sites["site"]
    problems = []
    for path in ("index.html", f"{DEMO}.html", f"{DEMO}.slides.html"):
        context, page = _open(browser, base + path)
        try:
            page.add_style_tag(content="html { font-size: 200% !important; }")
            page.evaluate("window.__courseScrollBoxes()")
            found = page.evaluate(_WIDER_THAN_SCREEN)
            if found["scroll"] > 0 or found["wide"]:
                problems.append(f"{path}: {found}")
            size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main li, .slide p') || document.body).fontSize)")
            assert size >= 30, f"{path}: text did not grow with the reader's font size ({size} px)"
        finally:
            context.close()
    assert problems == []


@pytest.fixture(scope="module", autouse=True)
def _axe_report():
    yield
    if not _FOUND:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    summary = {kind: dict(collections.Counter(f"{r['rule']} ({r['impact']})" for r in rows)) for kind, rows in _FOUND.items()}
    (ARTIFACTS / "axe.json").write_text(json.dumps({"counts": summary, "violations": _FOUND}, indent=1) + "\n")
