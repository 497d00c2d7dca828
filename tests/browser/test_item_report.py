"""The item analysis page (``python -m course_lib.grade ... --report DIR``) in Debian's Chromium.

The page is made from a synthetic class of 40 students (tests/harness/synthetic_class.py), served
from 127.0.0.1. axe-core runs its WCAG 2.0/2.1 A and AA rules and best practices (colour contrast
included): no critical or serious violation. The tables sort by keyboard alone (Tab to a column's
heading, Enter or Space), say how they are sorted (``aria-sort`` and a status line read out), and the
page asks for nothing beyond its own file.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from course_tools.grade.items import write_report
from tests.browser.test_accessibility import FAILING, _axe, _axe_script
from tests.harness.synthetic_class import synthetic_class

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def report_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("item-report")
    write_report(synthetic_class(40, seed=2).table, folder)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser, report_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    outside, errors = [], []
    page.on("request", lambda r: None if r.url.startswith(report_url.rsplit("/", 1)[0]) else outside.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report_url, wait_until="load")
    yield page
    context.close()
    assert outside == [], f"the report asked for files beyond itself: {outside}"
    assert errors == [], errors


def test_report_page_has_no_serious_axe_violation(page):
    violations = _axe(page, _axe_script())
    failures = [f"{v['id']} [{v['impact']}] at {n['target']}" for v in violations if v["impact"] in FAILING for n in v["nodes"]]
    assert failures == [], f"{len(failures)} critical or serious axe violations:\n" + "\n".join(failures[:20])
    # The charts are named by their text alternatives in the accessibility tree.
    caption = page.locator("#chart0-text").text_content()
    assert caption.startswith("Chart: ") and page.get_by_role("img", name=caption, exact=True).count() == 1


def _column(page, table: str, index: int) -> list[str]:
    return page.eval_on_selector_all(f"#{table} tbody tr", f"rows => rows.map(r => r.cells[{index}].dataset.value)")


def test_tables_sort_by_keyboard(page):
    heads = page.eval_on_selector_all("#items-table thead button", "bs => bs.map(b => b.textContent)")
    column = heads.index("Difficulty")
    for _ in range(60):  # Tab through the page to the column's heading: the keyboard alone
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Difficulty" and \
                page.evaluate("document.activeElement.closest('table') && document.activeElement.closest('table').id") == "items-table":
            break
    else:
        pytest.fail("Tab never reached the heading 'Difficulty' of the items table")
    page.keyboard.press("Enter")
    values = [float(v) for v in _column(page, "items-table", column)]
    assert values == sorted(values)
    th = page.locator("#items-table thead th").nth(column)
    assert th.get_attribute("aria-sort") == "ascending"
    assert page.locator("#items-table-status").text_content() == "Sorted by Difficulty, ascending."
    page.keyboard.press("Space")
    values = [float(v) for v in _column(page, "items-table", column)]
    assert values == sorted(values, reverse=True) and th.get_attribute("aria-sort") == "descending"
    # Only one column is marked as sorted; text columns sort as text.
    assert page.locator("#items-table thead th[aria-sort]").count() == 1
    page.locator("#students-table thead button").first.focus()
    page.keyboard.press("Enter")
    names = _column(page, "students-table", 0)
    assert names == sorted(names) and len(names) == 40
