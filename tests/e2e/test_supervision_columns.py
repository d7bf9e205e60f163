"""A real browser on the column-update pages (issue 14 §1): a supervisor reads the overview, an agency's columns
with its single-veto checks, and mistypes a gap in the editor; axe runs on every page."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from disclosure.core.timeutil import today_china
from tests.e2e.conftest import browser_login
from tests.supervision.builders.columns import build

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(make_agency, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.extensions import db

    office = make_agency(full_name="示例市人民政府办公室", short_name="示例市政府办")
    bureau = make_agency(full_name="示例市教育局", short_name="示例市教育局")
    bureau2 = make_agency(full_name="示例市民政局", short_name="示例市民政局")
    outsider = make_agency(full_name="另一市财政局", short_name="另一市财政局")
    bureau.parent_id = bureau2.parent_id = office.id
    db.session.commit()
    tree = SimpleNamespace(
        office=office,
        bureau=bureau,
        bureau2=bureau2,
        outsider=outsider,
        supervisor=make_staff(office, roles=[Role.SUPERVISOR], email="supervisor@example.gov.cn"),
        head2=make_staff(bureau2, roles=[Role.OFFICE_HEAD]),
    )
    build(tree, today_china())
    return tree


def test_columns_overview_agency_page_and_editor(page, live_server, axe_check, world):
    browser_login(page, live_server, world.supervisor)
    page.goto(f"{live_server.url}/staff/supervision/columns")
    assert page.locator(f"tr[data-agency='{world.bureau.id}']").count() == 1
    axe_check(page, "the columns overview")

    page.locator(f"tr[data-agency='{world.bureau.id}'] a").click()
    page.wait_for_url(f"**agency={world.bureau.id}**")
    assert page.locator("#column-art20_11 [data-status]").get_attribute("data-status") == "overdue"
    axe_check(page, "an agency's columns")

    page.locator("a[href*='/columns/frequencies']").click()
    page.locator("#art20_9_gap").fill("-5")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("#art20_9_gap-error")).to_be_visible()
    assert page.locator("#art20_9_gap").get_attribute("aria-invalid") == "true"
    axe_check(page, "the column editor with an error")
