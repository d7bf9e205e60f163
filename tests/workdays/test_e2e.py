"""In a real browser: an administrator enters the 2027 notice, staff use the calculator; axe finds no serious or
critical violation on the calendar pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_calendar_pages_in_a_browser(page, live_server, axe_check, make_agency, make_staff):
    from disclosure.accounts.roles import Role

    admin = make_staff(make_agency(), roles=[Role.SYS_ADMIN], email="calendar-admin@example.gov.cn")
    page.goto(live_server.url + "/login")
    page.get_by_label("电子邮箱").fill(admin.email)
    page.locator("#password").fill("correct-horse-7battery")
    page.get_by_role("button", name="登录").click()

    page.goto(live_server.url + "/admin/calendar/2027")
    expect(page.get_by_role("heading", name="2027年工作日历")).to_be_visible()
    expect(page.get_by_text("春节（补休）").first).to_be_visible()
    axe_check(page, "calendar 2027 (provisional)")

    page.get_by_role("link", name="录入2027年通知").click()
    axe_check(page, "notice form")
    page.get_by_label("通知文号").fill("国办发明电〔2026〕9号")
    page.get_by_label("标题").fill("国务院办公厅关于2027年部分节假日安排的通知")
    page.get_by_label("放假日期").fill("2027-01-01\n2027-02-30")
    page.get_by_role("button", name="录入通知").click()
    # beside the field, and again as a link in the error summary at the top of the form
    expect(page.locator("p.error", has_text="不是有效日期")).to_be_visible()
    axe_check(page, "notice form with errors")
    page.get_by_label("放假日期").fill(
        "2027-01-01~2027-01-03\n2027-02-05~2027-02-11\n2027-04-05\n2027-05-01~2027-05-05\n2027-06-09\n"
        "2027-09-15\n2027-10-01~2027-10-07"
    )
    page.get_by_label("调休上班日期").fill("2027-02-20")
    page.get_by_role("button", name="录入通知").click()
    expect(page.get_by_text("通知已录入")).to_be_visible()
    expect(page.get_by_text("正式：依据管理员录入的通知。")).to_be_visible()
    axe_check(page, "calendar 2027 (official)")

    page.goto(live_server.url + "/staff/deadline")
    axe_check(page, "calculator")
    page.get_by_label("收到日期").fill("2026-12-10")
    page.get_by_role("button", name="计算").click()
    assert page.locator("#due-date").inner_text() == "2027-01-08"
    axe_check(page, "calculator with result")
