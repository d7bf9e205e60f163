"""A real browser: a citizen files online → staff confirm and assign → the handler drafts a partial disclosure →
office and legal review approve → the letter is issued → the citizen sees and downloads it and receives the email
on the real SMTP server. axe finds no serious or critical violation on the pages visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

MINI_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-7battery"


def _login(page, base, email):
    page.goto(base + "/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form").filter(has=page.locator("#password")).get_by_role("button").click()


def _logout(page):
    page.get_by_role("button", name="退出").click()


def _act(page, section, fill=None):
    sec = page.locator(f"#act-{section}")
    for selector, value in (fill or {}).items():
        el = sec.locator(selector)
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        elif el.get_attribute("type") == "radio":
            el.check()
        else:
            el.fill(value)
    sec.get_by_role("button").click()


def test_citizen_to_issued_letter(page, live_server, smtp_server, axe_check, make_agency, make_staff, make_applicant):
    from disclosure.accounts.roles import Role
    from disclosure.applications.models import AgencyApplicationSettings
    from disclosure.extensions import db

    agency = make_agency(full_name="示例市财政局")
    dept = agency.departments[0]
    registrar = make_staff(agency, [Role.REGISTRAR])
    handler = make_staff(agency, [Role.HANDLER], department=dept, name="承办人甲")
    head = make_staff(agency, [Role.OFFICE_HEAD])
    legal = make_staff(agency, [Role.LEGAL_REVIEWER])
    citizen = make_applicant(email="wang@example.cn", name="王小明")
    db.session.add(AgencyApplicationSettings(agency_id=agency.id))
    db.session.commit()
    base = live_server.url

    # The citizen files online.
    _login(page, base, citizen.email)
    page.goto(base + "/my/applications/new")
    axe_check(page, "application form")
    page.locator("#agency_id").select_option(str(agency.id))
    page.locator("#applicant_name").fill("王小明")
    page.locator("#email").fill("wang@example.cn")
    page.locator("#item_1_description").fill("2025年道路维修资金使用情况")
    page.locator("#item_1_document_ref").fill("示财〔2025〕3号")
    page.locator("#item_2_description").fill("道路维修招标文件")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("您的申请已提交").first).to_be_visible()
    axe_check(page, "application detail")
    reference = page.locator("h1").inner_text().replace("申请", "").strip()
    _logout(page)

    # The registrar confirms receipt and assigns.
    _login(page, base, registrar.email)
    page.goto(base + "/staff/applications/?queue=to_register")
    axe_check(page, "workbench")
    page.get_by_role("link", name=reference).click()
    axe_check(page, "case page (submitted)")
    _act(page, "confirm")
    _act(page, "assign", {"select[name=department_id]": str(dept.id), "select[name=handler_id]": str(handler.id)})
    assert "已分配" in page.locator("#case-state").inner_text()
    _logout(page)

    # The handler decides a partial disclosure and sends it to review.
    _login(page, base, handler.email)
    page.goto(base + "/staff/applications/?queue=to_handle")
    page.get_by_role("link", name=reference).click()
    _act(page, "start_handling")
    items = page.locator("article.item")
    first, second = items.nth(0), items.nth(1)
    first.locator("select[name$='-outcome']").select_option("granted")
    first.get_by_role("button", name="保存决定").click()
    second = page.locator("article.item").nth(1)
    second.locator("select[name$='-outcome']").select_option("partial")
    second.locator("select[name$='-withheld_outcome']").select_option("deny_third_party")
    second.locator("textarea[name$='-withheld_parts']").fill("投标人报价明细")
    second.locator("textarea[name$='-reasons']").fill("涉及第三方商业秘密，第三方不同意公开")
    second.get_by_role("button", name="保存决定").click()
    axe_check(page, "case page (handling)")
    # Art. 37: the redacted version is attached before the draft goes on.
    page.locator("#act-attach select[name=purpose]").select_option("redacted")
    page.locator("#act-attach input[name=title]").fill("道路维修招标文件（删除处理后）")
    page.locator("#act-attach input[type=file]").set_input_files(
        files=[{"name": "scan-0042.pdf", "mimeType": "application/pdf", "buffer": MINI_PDF}]
    )
    page.locator("#act-attach button[type=submit]").click()
    assert "道路维修招标文件（删除处理后）" in page.content()
    _act(page, "draft_reply")
    _act(page, "submit_for_review")
    _logout(page)

    for reviewer, section in ((head, "office_review"), (legal, "legal_review")):
        _login(page, base, reviewer.email)
        page.goto(base + "/staff/applications/?queue=all&q=" + reference)
        page.get_by_role("link", name=reference).click()
        _act(page, section, {"input[value=approve]": "approve"})
        _logout(page)

    _login(page, base, registrar.email)
    page.goto(base + "/staff/applications/?queue=to_issue")
    page.get_by_role("link", name=reference).click()
    _act(page, "issue")
    assert "已出具答复" in page.locator("#case-state").inner_text()
    axe_check(page, "case page (issued)")
    _logout(page)

    # The citizen sees the letter, downloads it and has the email.
    _login(page, base, citizen.email)
    page.goto(base + f"/my/applications/{reference}")
    assert "已出具答复" in page.locator("#app-state").inner_text()
    axe_check(page, "application detail (issued)")
    with page.expect_download() as dl:
        page.locator("ul.letters a").first.click()
    path = dl.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    mails = smtp_server.to("wang@example.cn")
    assert any(part.get_filename() == "答复书.pdf" for m in mails for part in m.iter_attachments())
