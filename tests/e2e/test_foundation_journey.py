"""A real browser: a citizen registers and confirms the email, staff log in, the language switches; axe runs on
every page visited and finds no serious or critical violation."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _confirm_link(smtp_server, address: str) -> str:
    mail = smtp_server.to(address)[-1]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_citizen_registers_staff_logs_in_language_switches(
    page, live_server, smtp_server, axe_check, make_agency, make_staff
):
    from disclosure.accounts.roles import Role

    agency = make_agency(full_name="示例市财政局")
    staff = make_staff(agency, roles=[Role.AGENCY_ADMIN, Role.HANDLER], email="admin@example.gov.cn")

    page.goto(live_server.url + "/")
    axe_check(page, "home")
    page.get_by_role("link", name="注册", exact=True).first.click()
    axe_check(page, "register")
    page.get_by_label("电子邮箱").fill("wang@example.cn")
    page.locator("#password").fill("browser-passw0rd")
    page.get_by_label("再次输入密码").fill("browser-passw0rd")
    page.get_by_label("姓名（组织请填写联系人）").fill("王小明")
    page.get_by_label("证件号码").fill("11010519491231002Y")  # a wrong check character first
    page.get_by_label("电话").fill("13800000000")
    page.get_by_role("button", name="注册").click()
    # the message stands beside its field (and again as a link in the summary at the top of the form)
    assert "公民身份号码应为17位" in page.locator("#doc_number-error").inner_text()
    expect(page.get_by_role("link", name="公民身份号码应为17位数字加1位数字或X。")).to_be_visible()
    axe_check(page, "register with errors")
    page.locator("#password").fill("browser-passw0rd")
    page.get_by_label("再次输入密码").fill("browser-passw0rd")
    page.get_by_label("证件号码").fill("11010519491231002X")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("确认链接已发送")).to_be_visible()

    page.goto(live_server.url + _confirm_link(smtp_server, "wang@example.cn"))
    expect(page.get_by_text("电子邮箱已确认")).to_be_visible()
    axe_check(page, "login after confirmation")
    page.get_by_label("电子邮箱").fill("wang@example.cn")
    page.locator("#password").fill("browser-passw0rd")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="欢迎您，王小明")).to_be_visible()
    axe_check(page, "applicant home")
    page.get_by_role("link", name="个人资料").click()
    axe_check(page, "profile")
    page.get_by_role("button", name="退出").click()

    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("电子邮箱").fill(staff.email)
    page.locator("#password").fill("correct-horse-7battery")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    axe_check(page, "workbench")
    page.get_by_role("link", name="工作人员账号").click()
    axe_check(page, "staff users")
    page.get_by_role("link", name="新建工作人员账号").click()
    axe_check(page, "new staff user")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name="New staff user")).to_be_visible()
    axe_check(page, "new staff user in English")
    page.get_by_role("link", name="Workbench").click()
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    axe_check(page, "audit log in English")
    page.get_by_role("link", name="Workbench").click()
    page.get_by_role("link", name="Outbox").click()
    axe_check(page, "outbox in English")
    page.get_by_role("button", name="简体中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_keyboard_can_reach_the_main_content(page, live_server):
    page.goto(live_server.url + "/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "跳到主要内容" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
