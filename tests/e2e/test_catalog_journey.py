"""A real browser through the catalogue's staff workspace: an editor drafts a normative document with its
attachment, the disclosure office confirms the attribute, the secrecy reviewer returns it once with a comment, the
editor resubmits, the legal reviewer records the legality review and the office head approves; then the public
finds it by a two-character search, opens it and downloads the attachment. axe runs on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from disclosure.core.timeutil import today_china
from tests.e2e.conftest import browser_login, browser_logout

pytestmark = pytest.mark.e2e

TITLE = "关于印发测试市政府信息公开规定的通知"


def _act(page, trigger, *, comment=None):
    form = page.locator(f"form[data-trigger='{trigger}']")
    if comment is not None:
        form.locator("textarea").first.fill(comment)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_normative_document_from_draft_to_publication(page, live_server, axe_check, make_agency, make_staff, tmp_path):
    import weasyprint

    from disclosure.accounts.roles import Role
    from disclosure.catalog.seeds import ensure_classifications
    from disclosure.extensions import db

    ensure_classifications(db.session)
    db.session.commit()
    agency = make_agency(full_name="测试市人民政府办公室")
    editor = make_staff(agency, [Role.CATALOG_EDITOR], email="editor@example.gov.cn")
    registrar = make_staff(agency, [Role.REGISTRAR], email="office@example.gov.cn")
    secrecy = make_staff(agency, [Role.SECRECY_REVIEWER], email="secrecy@example.gov.cn")
    legal = make_staff(agency, [Role.LEGAL_REVIEWER], email="legal@example.gov.cn")
    head = make_staff(agency, [Role.OFFICE_HEAD], email="head@example.gov.cn")
    pdf = tmp_path / "规定全文.pdf"
    pdf.write_bytes(weasyprint.HTML(string="<p>测试市政府信息公开规定</p><p>第一条 为了规范公开工作。</p>").write_pdf())
    made_on = (today_china() - dt.timedelta(days=3)).isoformat()

    # The editor drafts a normative document; its own fields appear once the type is chosen.
    browser_login(page, live_server, editor)
    page.goto(live_server.url + "/staff/catalog/new")
    expect(page.locator("fieldset[data-show-when='doc_kind']")).not_to_be_visible()
    axe_check(page, "new entry")  # the rich-text editor's heading picker included
    page.locator("#title").fill(TITLE)
    page.locator("#document_number").fill("测政办规〔2026〕1号")
    page.locator("#made_on").fill(made_on)
    page.locator("#doc_kind").select_option("normative")
    expect(page.locator("#registration_number")).to_be_visible()
    page.locator("#category").select_option("art20_1")
    page.locator("#theme_id").select_option(label="政务公开")
    page.locator("#genre_id").select_option(label="通知")
    page.locator("#registration_number").fill("CSGS-2026-001")
    page.locator("#in_force_on").fill(made_on)
    page.locator("#summary").fill("规范本市政府信息公开工作。")
    page.locator("#entry-form button[type=submit]").click()
    page.wait_for_selector("#entry-state")
    assert page.locator("#entry-state").get_attribute("data-state") == "draft"
    axe_check(page, "draft")
    entry_url = page.url

    page.set_input_files("#files", str(pdf))
    page.locator("#upload-form button[type=submit]").click()
    page.wait_for_selector("tr[data-attachment-id]")
    assert page.locator("tr[data-attachment-id]").count() == 1
    axe_check(page, "draft with its attachment")
    _act(page, "submit")
    assert page.locator("#entry-state").get_attribute("data-state") == "attribute_review"
    browser_logout(page)

    # The disclosure office confirms the attribute.
    browser_login(page, live_server, registrar)
    page.goto(entry_url)
    axe_check(page, "attribute review")
    _act(page, "confirm_attribute")
    assert page.locator("#entry-state").get_attribute("data-state") == "secrecy_review"
    browser_logout(page)

    # The secrecy reviewer returns it once: without a comment it is refused beside the field.
    browser_login(page, live_server, secrecy)
    page.goto(entry_url)
    axe_check(page, "secrecy review")
    _act(page, "return_secrecy", comment="")
    expect(page.locator("#return_secrecy-comment-error")).to_be_visible()
    axe_check(page, "return refused")
    _act(page, "return_secrecy", comment="第三条涉及内部工作安排，请删除后再报。")
    assert page.locator("#entry-state").get_attribute("data-state") == "draft"
    browser_logout(page)

    # The editor resubmits; the office confirms; the secrecy review passes.
    for user, trigger in ((editor, "submit"), (registrar, "confirm_attribute"), (secrecy, "pass_secrecy")):
        browser_login(page, live_server, user)
        page.goto(entry_url)
        _act(page, trigger)
        browser_logout(page)

    # The office head cannot approve before the legality review; the legal reviewer records it.
    browser_login(page, live_server, head)
    page.goto(entry_url)
    assert page.locator("form[data-trigger='publish']").count() == 0
    browser_logout(page)
    browser_login(page, live_server, legal)
    page.goto(entry_url)
    axe_check(page, "legality review")
    page.locator("#reviewer_name").fill("法制科 王某")
    page.locator("#reviewed_on").fill(today_china().isoformat())
    page.locator("#opinion").fill("经审核，符合法律法规规定。")
    page.locator("#legality-form button[type=submit]").click()
    page.wait_for_selector("#legality-recorded")
    browser_logout(page)

    browser_login(page, live_server, head)
    page.goto(entry_url)
    axe_check(page, "approval")
    _act(page, "publish", comment="同意发布")
    assert page.locator("#entry-state").get_attribute("data-state") == "published"
    index_number = page.locator("#entry-index-number").inner_text().strip()
    assert index_number.startswith(agency.org_code + "/")
    expect(page.get_by_text("第三条涉及内部工作安排").first).to_be_visible()  # the return stays in the reviews
    axe_check(page, "published")
    page.goto(live_server.url + "/staff/catalog/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    axe_check(page, "catalogue list")
    browser_logout(page)

    # The public finds it by a two-character search, opens it and downloads the attachment.
    page.goto(live_server.url + "/catalog/search")
    page.locator("#q").fill("公开")
    page.locator("form[role=search] button[type=submit]").click()
    axe_check(page, "public search")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_load_state()
    expect(page.get_by_text("测政办规〔2026〕1号").first).to_be_visible()
    axe_check(page, "public entry")
    with page.expect_download() as info:
        page.get_by_role("link", name="规定全文").first.click()
    assert info.value.suggested_filename.endswith(".pdf")
