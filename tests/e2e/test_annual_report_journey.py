"""A real browser: the office head opens the submitted annual report, follows a figure of table 3 to the cases it
counts, approves and publishes it; the public reads it on the platform's 年报 column. axe runs on every page."""

import datetime as dt

import pytest

from disclosure.core.timeutil import today_china
from tests.reports.conftest import make_case  # noqa: F401 - the cases fixture of the report tests

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-7battery"
D = dt.date


def _login(page, live_server, user):
    page.goto(live_server.url + "/login")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()


def test_head_follows_a_figure_approves_publishes_public_reads(
    page,
    live_server,
    axe_check,
    make_agency,
    make_staff,
    make_case,  # noqa: F811
):
    from disclosure.accounts.roles import Role
    from disclosure.extensions import db
    from disclosure.reports import operations

    agency = make_agency(full_name="示例市交通运输局")
    registrar = make_staff(agency, roles=[Role.REGISTRAR], email="registrar@example.gov.cn")
    head = make_staff(agency, roles=[Role.OFFICE_HEAD], email="head@example.gov.cn")
    year = today_china().year - 1
    partial = make_case(agency, D(year, 3, 1), D(year, 3, 20), outcome="partial", category="research")
    make_case(agency, D(year, 12, 31), D(year + 1, 1, 6))  # received on 31 December, answered in January
    make_case(agency, D(year, 5, 6), D(year, 5, 25))
    report = operations.start_report(agency, year, registrar)
    operations.save_sections(
        report, registrar, {"overview": report.overview, "problems": "解读形式单一。", "other_matters": "无。"}
    )
    operations.save_figures(
        report,
        registrar,
        {"coercion_decisions": "3", "coercion_source": "执法台账", "fees_yuan": "1200", "fees_source": "财务科"},
    )
    operations.submit(report, registrar)
    db.session.commit()

    _login(page, live_server, head)
    page.goto(live_server.url + "/staff/reports/")
    axe_check(page, "reports list")
    page.locator(f"a[href='/staff/reports/{report.id}']").click()
    page.wait_for_selector(".checks")
    axe_check(page, "submitted report")
    cell = page.locator(f"a[href='/staff/reports/{report.id}/cells/table3/partial/research']").first
    assert cell.inner_text().strip() == "1"
    cell.click()
    page.wait_for_selector(f"text={partial.reference}")
    axe_check(page, "cases behind a figure")
    assert page.locator(f"a:has-text('{partial.reference}')").count() == 1
    page.go_back()

    page.locator(f"form[action='/staff/reports/{report.id}/approve'] button").click()
    page.wait_for_selector(f"form[action='/staff/reports/{report.id}/publish']")
    assert page.locator(".report-state").inner_text() == "已批准"
    page.locator(f"form[action='/staff/reports/{report.id}/publish'] button").click()
    page.wait_for_selector(".report-state:has-text('已发布')")
    axe_check(page, "published report (staff)")
    page.locator("form[action='/logout'] button").click()

    page.goto(f"{live_server.url}/catalog/{agency.slug}/annual-reports")
    axe_check(page, "public list of annual reports")
    page.locator(f"a:has-text('{year}年政府信息公开工作年度报告')").click()
    page.wait_for_selector("h1")
    axe_check(page, "public annual report")
    text = page.content()
    assert "示例市交通运输局" in text and "部分公开" in text and "解读形式单一" in text
    assert f"/staff/reports/{report.id}/cells" not in text  # the public report links to no case
    pdf = page.request.get(f"{live_server.url}/catalog/{agency.slug}/annual-reports/{report.id}/report.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
