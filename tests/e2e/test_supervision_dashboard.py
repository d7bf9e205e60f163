"""A real browser on the supervision dashboard (issue 14 §1): a supervisor opens the competent department's
dashboard, changes the period, reads a chart's table, follows a number to the records it counts; the charts are
drawn by ECharts under the real CSP; axe runs on every page.

The figures are the dashboard tests' own measures (tests/supervision/dashboard_figures.py), registered for this
journey beside whatever the area modules register."""

import math
from types import SimpleNamespace

import pytest

from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.e2e

ROOT_URL = "/staff/supervision/"


@pytest.fixture
def world(make_agency, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.extensions import db
    from tests.supervision.dashboard_figures import FakeFigures, fill

    office = make_agency(full_name="示例市人民政府办公室", short_name="示例市政府办")
    bureau = make_agency(full_name="示例市教育局", short_name="示例市教育局")
    bureau2 = make_agency(full_name="示例市民政局", short_name="示例市民政局")
    outsider = make_agency(full_name="另一市财政局", short_name="另一市财政局")
    bureau.parent_id = bureau2.parent_id = office.id
    db.session.commit()
    supervisor = make_staff(office, roles=[Role.SUPERVISOR], email="supervisor@example.gov.cn")
    tree = SimpleNamespace(office=office, bureau=bureau, bureau2=bureau2, outsider=outsider, supervisor=supervisor)
    figures = FakeFigures()
    figures.register()
    fill(figures, tree)
    yield tree
    figures.unregister()


def _echarts_drew(page, chart_id: str) -> bool:
    page.wait_for_selector(f"#chart-{chart_id} canvas", timeout=5000)
    return page.locator(f"#chart-{chart_id}").is_visible()


def test_dashboard_period_chart_table_and_drill_down(page, live_server, axe_check, world):
    browser_login(page, live_server, world.supervisor)
    page.goto(f"{live_server.url}{ROOT_URL}?period=year&year=2025")
    assert page.locator("h1").count() == 1
    assert _echarts_drew(page, "on-time")
    axe_check(page, "the competent department's dashboard")

    # Change the period through the form: the first quarter of 2025.
    page.locator("#period").select_option("quarter")
    page.locator("#year").fill("2025")
    page.locator("#quarter").select_option("1")
    page.locator("form.period-picker button[type=submit]").click()
    page.wait_for_url("**quarter=1**")
    received = page.locator(".figure-value a[href*='figure=requests.zz_received&'][href*='agency=&']")
    assert received.inner_text() == "5"  # office Jan, Feb; bureau Jan ×2, Mar
    assert "period=quarter" in received.get_attribute("href")

    # A chart's table: the on-time rates by agency, the same figures the chart draws.
    table = page.locator("#chart-on-time-table")
    assert table.locator("caption").inner_text().strip()
    headers = table.locator("thead th").all_inner_texts()
    column = headers.index("ZZ on-time rate")
    rows = {
        r.locator("th").inner_text(): r.locator("td").nth(column - 1).inner_text()
        for r in table.locator("tbody tr").all()
    }
    assert rows[world.office.short_name] == "100.0%"  # 1 of 1 concluded on time in Q1... in February
    assert world.outsider.short_name not in rows
    assert _echarts_drew(page, "trend")

    # A bad period: the message beside its field, the page still showing Q1.
    page.locator("#period").select_option("custom")
    page.locator("#from").fill("2025-05-01")
    page.locator("#to").fill("2025-04-01")
    page.locator("form.period-picker button[type=submit]").click()
    page.wait_for_selector("#to-error")
    assert page.locator("#to").get_attribute("aria-invalid") == "true"
    assert page.locator(".figure-value a[href*='figure=requests.zz_received&'][href*='agency=&']").inner_text() == "5"
    axe_check(page, "a refused period")

    # Follow a number to its records.
    page.locator(".figure-value a[href*='figure=requests.zz_received&'][href*='agency=&']").click()
    page.wait_for_selector("#records")
    assert page.locator("#records tbody tr").count() == 5
    axe_check(page, "the records behind a number")

    # One agency's dashboard from the overview table.
    page.go_back()
    page.locator(f"#by-agency a:text-is('{world.bureau.short_name}')").click()
    page.wait_for_selector(".attention")
    axe_check(page, "one agency's dashboard")


@pytest.fixture
def strict_page(browser):
    """A page that obeys the CSP (the shared browser context bypasses it so that axe can be injected), asking for
    reduced motion (the charts are drawn at once, without animation)."""
    context = browser.new_context(bypass_csp=False, locale="zh-CN", reduced_motion="reduce")
    page = context.new_page()
    page.violations = []
    page.errors = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.violations.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_the_charts_are_drawn_under_the_real_csp_and_a_click_opens_the_records(strict_page, live_server, world):
    page = strict_page
    browser_login(page, live_server, world.supervisor)
    response = page.goto(f"{live_server.url}{ROOT_URL}?period=year&year=2025")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for chart in ("on-time", "outcomes", "trend"):
        assert _echarts_drew(page, chart), chart
    # A tooltip is drawn on the canvas (rich text), not as HTML with inline styles the CSP would refuse; a click on
    # a slice opens the records it counts. The first slice (ZZ granted … or the first outcome with records) starts
    # at twelve o'clock: aim a little clockwise of it, in the middle of the ring (radius 35 %–62 %, centre 50 %/45 %).
    page.locator("#chart-outcomes").scroll_into_view_if_needed()
    box = page.locator("#chart-outcomes").bounding_box()
    size = min(box["width"], box["height"]) / 2
    middle = (0.35 + 0.62) / 2 * size
    x = box["x"] + box["width"] / 2 + middle * math.sin(math.radians(15))
    y = box["y"] + box["height"] * 0.45 - middle * math.cos(math.radians(15))
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    assert page.violations == [] and page.errors == []
    page.mouse.click(x, y)
    page.wait_for_url("**/staff/supervision/records?figure=requests.**")
    assert page.locator("#records tbody tr").count() >= 1
    assert page.violations == [] and page.errors == []
