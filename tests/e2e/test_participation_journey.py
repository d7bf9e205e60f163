"""A real browser: a citizen comments on article 3 of an open draft and gets a receipt; staff answer the comment,
the consultation closes, the feedback is drafted, approved and published; the citizen's status page shows the
answer. axe runs on every page."""

import datetime as dt

import pytest

from tests.e2e.conftest import browser_login, browser_logout

pytestmark = pytest.mark.e2e


def test_citizen_comments_staff_answer_citizen_sees_the_answer(page, live_server, axe_check, make_agency, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.catalog.seeds import ensure_classifications
    from disclosure.core.timeutil import CHINA_TZ, utcnow
    from disclosure.extensions import db
    from disclosure.participation.operations import consultations as ops
    from disclosure.participation.tasks import open_and_close
    from tests.participation.conftest import consultation_input

    ensure_classifications(db.session)
    ops.ensure_kinds()
    agency = make_agency(full_name="示例市司法局")
    editor = make_staff(agency, roles=[Role.CATALOG_EDITOR], email="editor@example.gov.cn")
    head = make_staff(agency, roles=[Role.OFFICE_HEAD], email="head@example.gov.cn")
    start = (dt.datetime.now(CHINA_TZ) - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    c = ops.create_consultation(agency, consultation_input(opens_at=start, period_length="30"), actor=editor)
    ops.act(c, "approve", actor=head)
    db.session.commit()
    open_and_close()

    page.goto(live_server.url + "/participation/")
    axe_check(page, "open consultations")
    page.locator(f"a[href='/participation/c/{c.id}']").first.click()
    axe_check(page, "consultation page")
    page.locator("#article-3 a[href*='article=3']").click()
    assert page.locator("#article").input_value() == "3"
    page.locator("#body").fill("建议将室外排队区域也纳入禁止吸烟范围。")
    page.locator("#name").fill("王小明")
    page.locator("#email").fill("wang@example.cn")
    page.locator("#comment-form button[type=submit]").click()
    page.wait_for_selector("#receipt")
    axe_check(page, "receipt")
    status_url = page.url.split("?")[0]
    assert "建议将室外排队区域" in page.content()

    browser_login(page, live_server, editor)
    page.goto(f"{live_server.url}/staff/participation/{c.id}/comments")
    axe_check(page, "moderation list")
    page.locator("table tbody a").first.click()
    axe_check(page, "moderate")
    page.locator("#moderation").select_option("published")
    page.locator("#result").select_option("partly")
    page.locator("#reason").fill("室外排队区域纳入禁烟范围，其他室外区域暂不纳入。")
    page.locator("main form button[type=submit]").click()

    db.session.rollback()  # end the read transaction the server's writes made stale (SQLite)
    c = db.session.get(type(c), c.id)
    c.closes_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    open_and_close()
    page.goto(f"{live_server.url}/staff/participation/{c.id}")
    axe_check(page, "consultation staff page")
    page.locator("#action-draft_feedback button").click()
    browser_logout(page)

    browser_login(page, live_server, head)
    page.goto(f"{live_server.url}/staff/participation/{c.id}")
    page.locator("#action-approve_feedback button").click()
    page.locator("#action-publish_feedback button").click()
    assert page.locator("#state").inner_text().strip() != ""
    browser_logout(page)

    page.goto(status_url)
    assert "室外排队区域纳入禁烟范围" in page.locator("#answer").inner_text()
    axe_check(page, "status with the answer")
    page.goto(f"{live_server.url}/participation/c/{c.id}")
    assert "室外排队区域纳入禁烟范围" in page.locator("#feedback").inner_text()
    assert "王小明" not in page.content() and "wang@example.cn" not in page.content()
    axe_check(page, "consultation with feedback")
