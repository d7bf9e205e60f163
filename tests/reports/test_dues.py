"""When the annual report is due: the daily reminder to the office heads from 1 December until the report is
published (the huey task, delivered through the test SMTP server), and the workbench warning once overdue (after
31 January for a department, 31 March for a government)."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.accounts.roles import Role
from disclosure.extensions import db
from disclosure.reports import dues, operations
from disclosure.reports.tasks import annual_report_reminders

D = dt.date


@pytest.fixture
def on_day(monkeypatch):
    """Make the reports package believe today (in China) is `day`."""

    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(dues, "today_china", lambda: day)

    return set_day


def _publish(agency, registrar, head, year):
    report = operations.start_report(agency, year, registrar)
    operations.save_sections(
        report, registrar, {"overview": report.overview, "problems": "问题。", "other_matters": "无。"}
    )
    operations.save_figures(
        report,
        registrar,
        {"coercion_decisions": "0", "coercion_source": "执法台账", "fees_yuan": "0", "fees_source": "财务科"},
    )
    operations.submit(report, registrar)
    operations.approve(report, head)
    operations.publish(report, head)
    db.session.commit()
    return report


def test_office_heads_reminded_daily_from_1_december_until_published(
    office, make_staff, make_agency, smtp_server, on_day
):
    agency, registrar, head = office
    second_head = make_staff(agency, roles=[Role.OFFICE_HEAD])
    elsewhere = make_staff(make_agency(), roles=[Role.OFFICE_HEAD])
    _publish(agency, registrar, head, 2024)
    smtp_server.clear()

    on_day(D(2025, 11, 30))  # the 2024 report is published here, not in the other agency: overdue, it is reminded
    assert annual_report_reminders.call_local() == 1
    assert smtp_server.to(head.email) == [] and len(smtp_server.to(elsewhere.email)) == 1

    on_day(D(2025, 12, 1))
    assert annual_report_reminders.call_local() == 3  # both heads here, the other agency's head
    (mail,) = smtp_server.to(head.email)
    assert "2025年政府信息公开工作年度报告" in mail["Subject"] and "2026年1月31日" in mail["Subject"]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert agency.full_name in body and "/staff/reports/" in body and "第四十九条" in body
    assert len(smtp_server.to(second_head.email)) == 1 and len(smtp_server.to(elsewhere.email)) == 2
    assert smtp_server.to(registrar.email) == []
    assert annual_report_reminders.call_local() == 0  # once a day

    on_day(D(2026, 1, 20))  # still the 2025 report, not published yet
    assert annual_report_reminders.call_local() == 3
    assert len(smtp_server.to(head.email)) == 2

    _publish(agency, registrar, head, 2025)
    on_day(D(2026, 1, 21))
    assert annual_report_reminders.call_local() == 1  # only the agency that has not published
    assert len(smtp_server.to(head.email)) == 2 and len(smtp_server.to(elsewhere.email)) == 4


def _warnings(client, login, user):
    client.post("/logout")
    login(client, user)
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get("/staff/reports/" if user.has_role(Role.REGISTRAR, Role.OFFICE_HEAD) else "/staff/")
    assert page.status_code == 200
    return page.get_data(as_text=True)


WARNING = "annual report on government information disclosure was due on"


def test_overdue_warning_after_31_january_for_a_department(office, make_staff, client, login, on_day):
    agency, registrar, head = office
    on_day(D(2026, 1, 31))
    assert WARNING not in _warnings(client, login, head)
    on_day(D(2026, 2, 1))
    text = _warnings(client, login, head)
    assert f"The 2025 {WARNING} 2026-01-31" in text
    assert WARNING in _warnings(client, login, registrar)
    assert dues.overdue_warning(make_staff(agency, roles=[Role.CATALOG_EDITOR])) == []
    _publish(agency, registrar, head, 2025)
    assert WARNING not in _warnings(client, login, head)


def test_overdue_warning_after_31_march_for_a_government(office, client, login, on_day):
    agency, _registrar, head = office
    operations.save_settings(agency.id, head, agency_kind="government")
    db.session.commit()
    on_day(D(2026, 3, 31))
    assert WARNING not in _warnings(client, login, head)
    on_day(D(2026, 4, 1))
    assert f"The 2025 {WARNING} 2026-03-31" in _warnings(client, login, head)
