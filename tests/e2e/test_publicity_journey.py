"""A real browser: a clerk imports a penalty file with errors, downloads the error report, fixes it and imports
it again; the public finds the record by a two-character search and opens it. axe runs on every page."""

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from disclosure.core.timeutil import today_china

pytestmark = pytest.mark.e2e

GOOD_CODE = "914403001922038216"


def _rows(agency):
    decided = (today_china() - dt.timedelta(days=2)).isoformat()
    base = {
        "CF_XDR_MC": "杭州青松餐饮有限公司",
        "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": GOOD_CODE,
        "CF_FRDB": "张三",
        "CF_WSH": "杭市监罚〔2026〕101号",
        "CF_WFXW": "销售过期食品",
        "CF_SY": "经查，当事人销售过期食品。",
        "CF_YJ": "《食品安全法》第一百二十四条",
        "CF_CFLB": "罚款",
        "CF_NR": "罚款2000元",
        "CF_NR_FK": "0.2",
        "CF_JDRQ": decided,
        "CF_YXQ": "2099-12-31",
        "CF_CFJG": agency.full_name,
        "CF_CFJGDM": agency.credit_code,
        "CF_SJLY": agency.full_name,
        "CF_SJLYDM": agency.credit_code,
    }
    bad = {
        **base,
        "CF_XDR_MC": "宁波松涛贸易有限公司",
        "CF_WSH": "杭市监罚〔2026〕102号",
        "CF_XDR_SHXYM": GOOD_CODE[:-1] + "7",
    }
    return [base, bad]


def _write(rows, path):
    wb = Workbook()
    wb.active.append(list(rows[0]))
    for r in rows:
        wb.active.append(list(r.values()))
    wb.save(path)


def _import(page, live_server, path):
    page.goto(live_server.url + "/staff/publicity/imports")
    page.check("#kind-1")
    page.set_input_files("#file", str(path))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_selector("#import-status")


def test_clerk_imports_fixes_and_public_finds(page, live_server, axe_check, make_agency, make_staff, tmp_path):
    from disclosure.accounts.roles import Role
    from disclosure.extensions import db
    from disclosure.publicity import operations
    from disclosure.publicity.rules import ensure_defaults

    ensure_defaults()
    agency = make_agency(full_name="杭州市市场监督管理局")
    operations.save_matter(
        agency,
        {
            "kind": "penalty",
            "code": "CF001",
            "name": "食品安全处罚",
            "legal_basis": "《食品安全法》",
            "counterpart_kinds": ["legal_person"],
            "scope": "public",
            "active": True,
        },
    )
    db.session.commit()
    clerk = make_staff(agency, roles=[Role.PUBLICITY_CLERK], email="clerk@example.gov.cn")

    page.goto(live_server.url + "/login")
    page.locator("#email").fill(clerk.email)
    page.locator("#password").fill("correct-horse-7battery")
    page.locator("form button[type=submit]").last.click()
    page.goto(live_server.url + "/staff/publicity/imports")
    axe_check(page, "imports")

    first = tmp_path / "处罚.xlsx"
    _write(_rows(agency), first)
    _import(page, live_server, first)
    assert page.locator("#import-created").inner_text() == "1"
    assert page.locator("#import-errors").inner_text() == "1"
    expect(page.get_by_text("CF_XDR_SHXYM").first).to_be_visible()
    axe_check(page, "import with errors")

    with page.expect_download() as info:
        page.locator("#error-file").click()
    report = tmp_path / "errors.xlsx"
    info.value.save_as(report)
    wb = load_workbook(report)
    sheet = wb["待修正数据"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("CF_XDR_SHXYM") + 1, value="91110000100017707H")
    fixed = tmp_path / "fixed.xlsx"
    wb.save(fixed)
    _import(page, live_server, fixed)
    assert page.locator("#import-created").inner_text() == "1"
    assert page.locator("#import-errors").inner_text() == "0"
    _import(page, live_server, first)  # the first file again: nothing duplicated
    assert page.locator("#import-created").inner_text() == "0"
    assert page.locator("#import-unchanged").inner_text() == "1"

    page.locator("form[action='/logout'] button").click()
    page.goto(live_server.url + "/publicity/")
    axe_check(page, "public search")
    page.locator("#q").fill("松涛")
    page.locator("form[role=search] button[type=submit]").click()
    axe_check(page, "public results")
    page.get_by_role("link", name="宁波松涛贸易有限公司").click()
    assert (
        page.get_by_role("heading", name="宁波松涛贸易有限公司").count() == 1
        or page.get_by_text("宁波松涛贸易有限公司").first.is_visible()
    )
    expect(page.get_by_text("91110000100017707H")).to_be_visible()
    axe_check(page, "public record")
