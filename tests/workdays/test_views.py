"""The administrators' calendar pages and the staff deadline calculator."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.accounts.roles import Role
from disclosure.core.audit import AuditEvent
from disclosure.extensions import db
from disclosure.workdays import calendar
from disclosure.workdays.models import CalendarNotice, CalendarOverride

D = dt.date.fromisoformat

NOTICE_2027 = {
    "reference": "国办发明电〔2026〕9号",
    "title": "国务院办公厅关于2027年部分节假日安排的通知",
    "issued_on": "2026-11-05",
    "holidays": "2027-01-01~2027-01-03\n2027-02-05~2027-02-13\n2027-04-03至2027-04-05\n2027-05-01:2027-05-05\n"
    "2027-06-09\n2027-09-15\n2027-10-01 to 2027-10-07",
    "workdays": "2027-02-20, 2027-05-08\n2027-09-26 2027-10-09",
}


@pytest.fixture
def admin_client(client, login, sys_admin):
    login(client, sys_admin)
    return client


@pytest.fixture
def handler_client(client, login, make_agency, make_staff):
    login(client, make_staff(make_agency(), roles=[Role.HANDLER]))
    return client


def test_access(client, handler_client):
    for url in ("/admin/calendar/", "/admin/calendar/2027", "/admin/calendar/2027/notice", "/admin/calendar/days/new"):
        assert handler_client.get(url).status_code == 403, url
    assert handler_client.post("/admin/calendar/2027/notice", data=NOTICE_2027).status_code == 403
    assert handler_client.get("/staff/deadline").status_code == 200
    handler_client.post("/logout")
    assert client.get("/staff/deadline").status_code == 302
    assert client.get("/admin/calendar/2027").status_code == 302


def test_year_page_lists_days_and_sources(admin_client):
    body = admin_client.get("/admin/calendar/2026", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "2026-02-14" in body and "2026-02-16" in body and "chinesecalendar" in body
    body = admin_client.get("/admin/calendar/2027").get_data(as_text=True)
    assert "2027-02-10" in body and "春节（补休）" in body
    assert admin_client.get("/admin/calendar/2101").status_code == 404
    assert admin_client.get("/admin/calendar/0").status_code == 404
    assert admin_client.get("/admin/calendar/").status_code == 200


def test_admins_are_warned_about_provisional_years(admin_client):
    from disclosure.core.timeutil import today_china
    from disclosure.workdays.banner import provisional_years

    year = today_china().year
    assert provisional_years() == [y for y in (year, year + 1) if y >= 2027]
    body = admin_client.get("/admin/calendar/2026", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"The holiday arrangement for {year + 1} has not been entered" in body


def test_no_warning_for_other_staff(handler_client):
    assert "banner-warning" not in handler_client.get("/staff/deadline").get_data(as_text=True)


def test_entering_the_notice(admin_client, recompute_calls, app_ctx):
    page = admin_client.get("/admin/calendar/2027/notice").get_data(as_text=True)
    assert "2027-02-05~2027-02-10" in page  # the statutory days are suggested
    resp = admin_client.post("/admin/calendar/2027/notice", data=NOTICE_2027)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert calendar.year_status(2027).official
    assert recompute_calls and recompute_calls[0][1] == frozenset({2027})
    notice = db.session.execute(db.select(CalendarNotice)).scalar_one()
    assert notice.issued_on == D("2026-11-05") and len(notice.overrides) == 3 + 9 + 3 + 5 + 1 + 1 + 7 + 4
    body = admin_client.get("/admin/calendar/2027").get_data(as_text=True)
    assert "国办发明电〔2026〕9号" in body and "calendar.notice_recorded" in body
    # the form comes back filled in for corrections
    page = admin_client.get("/admin/calendar/2027/notice").get_data(as_text=True)
    assert "2027-02-05~2027-02-13" in page and "2027-02-20" in page
    resp = admin_client.post("/admin/calendar/2027/notice/delete", data={"reason": "test"})
    assert resp.status_code == 302
    assert not calendar.year_status(2027).official


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("holidays", "2027-02-30", "is not a date"),
        ("holidays", "2027-02-05~2027-02-01", "ends before it starts"),
        ("holidays", "2027-01-01", "not among the holidays entered"),
        ("workdays", "2027-02-18", "weekday"),
        ("reference", "", "document number"),
        ("issued_on", "yesterday", "is not a date"),
    ],
)
def test_a_bad_notice_is_refused_with_a_clear_message(admin_client, app_ctx, field, value, message):
    resp = admin_client.post(
        "/admin/calendar/2027/notice", data={**NOTICE_2027, field: value}, headers={"Accept-Language": "en"}
    )
    assert resp.status_code == 200
    assert message in resp.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(CalendarOverride.id))).scalar() == 0


def test_editing_and_deleting_a_day(admin_client, app_ctx):
    en = {"Accept-Language": "en"}
    assert "2026-03-02" in admin_client.get("/admin/calendar/days/new?day=2026-03-02").get_data(as_text=True)
    resp = admin_client.post(
        "/admin/calendar/days/new",
        data={"day": "2026-03-02", "status": "holiday", "source": "某省人民政府通知", "note": ""},
    )
    assert resp.status_code == 302
    ov_id = db.session.execute(db.select(CalendarOverride.id)).scalar_one()
    assert not calendar.is_working_day(D("2026-03-02"))
    resp = admin_client.post(
        f"/admin/calendar/days/{ov_id}", data={"day": "2026-03-02", "status": "work", "source": "更正", "note": ""}
    )
    assert resp.status_code == 302 and calendar.is_working_day(D("2026-03-02"))
    body = admin_client.get(f"/admin/calendar/days/{ov_id}").get_data(as_text=True)
    assert "calendar.override_updated" in body
    # bad input is refused, nothing changes
    resp = admin_client.post(
        "/admin/calendar/days/new", data={"day": "2026-13-01", "status": "work", "source": "x"}, headers=en
    )
    assert resp.status_code == 200 and "YYYY-MM-DD" in resp.get_data(as_text=True)
    resp = admin_client.post("/admin/calendar/days/new", data={"day": "2026-03-10", "status": "holiday", "source": "y"})
    assert resp.status_code == 302
    resp = admin_client.post(
        f"/admin/calendar/days/{ov_id}", headers=en, data={"day": "2026-03-10", "status": "work", "source": "x"}
    )
    assert resp.status_code == 200 and "already has an entry" in resp.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(CalendarOverride.id))).scalar() == 2
    assert admin_client.post(f"/admin/calendar/days/{ov_id}/delete", data={}).status_code == 302
    assert db.session.execute(db.select(db.func.count(CalendarOverride.id))).scalar() == 1
    assert admin_client.get(f"/admin/calendar/days/{ov_id}").status_code == 404
    actions = [
        e.action
        for e in db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()
        if e.object_type == "calendar_override" and e.object_id == str(ov_id)
    ]
    assert actions == ["calendar.override_created", "calendar.override_updated", "calendar.override_deleted"]


def test_the_calculator(handler_client):
    body = handler_client.get("/staff/deadline?received=2026-02-10&days=20&extension=20").get_data(as_text=True)
    assert 'datetime="2026-04-14"' in body and "2026-03-16" in body and ">40<" in body
    body = handler_client.get("/staff/deadline?received=2026-02-10&days=20&pauses=2026-03-02%3A2026-03-06").get_data(
        as_text=True
    )
    assert 'datetime="2026-03-23"' in body
    body = handler_client.get("/staff/deadline?received=2026-12-10&days=20").get_data(as_text=True)
    assert 'datetime="2027-01-08"' in body and "status-provisional" in body
    body = handler_client.get("/staff/deadline").get_data(as_text=True)
    assert 'value="20"' in body and "due-date" not in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("received=2026-02-30&days=20", "is not a date"),
        ("received=&days=20", "Enter a date"),
        ("received=2026-02-10&days=-3", "from 0 to 400"),
        ("received=2026-02-10&days=20&pauses=2026-03-06:2026-03-01", "ends before it starts"),
        ("received=1980-01-01&days=20", "outside the calendar"),
        ("received=2100-12-20&days=20", "outside them"),
    ],
)
def test_the_calculator_explains_bad_input(handler_client, query, message):
    resp = handler_client.get(f"/staff/deadline?{query}", headers={"Accept-Language": "en"})
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert message in body and "due-date" not in body


def test_chinese_by_default(handler_client):
    body = handler_client.get("/staff/deadline?received=2026-02-30").get_data(as_text=True)
    assert "期限计算器" in body and "不是有效日期" in body
    body = handler_client.get("/staff/deadline?received=2026-12-10").get_data(as_text=True)
    assert "暂定" in body and "元旦" in body
