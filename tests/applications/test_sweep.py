"""The daily sweep: marks due-soon and overdue cases, emails the people responsible on working days."""

from __future__ import annotations

import datetime as dt

from disclosure.applications import sweep
from disclosure.core.outbox import OutboxMessage
from disclosure.extensions import db
from tests.factories import to_in_handling


def test_sweep_marks_overdue_and_emails_handler_and_head(world, filed):
    to_in_handling(world, filed)
    db.session.commit()
    late = filed.due_date + dt.timedelta(days=7)
    while not _is_working(late):
        late += dt.timedelta(days=1)
    db.session.execute(db.delete(OutboxMessage))
    stats = sweep.run(late)
    db.session.commit()
    db.session.refresh(filed)
    assert filed.deadline_status == "overdue" and stats["overdue"] == 1
    recipients = {m.recipient for m in db.session.execute(db.select(OutboxMessage)).scalars()}
    assert world.handler.email in recipients and world.head.email in recipients
    version = filed.version
    assert sweep.recompute_open(late)["changed"] == 0  # idempotent, and does not bump versions
    assert filed.version == version


def test_sweep_due_soon_and_no_email_on_holiday(world, filed):
    to_in_handling(world, filed)
    db.session.commit()
    soon = filed.due_date - dt.timedelta(days=1)
    sweep.recompute_open(soon)
    db.session.commit()
    db.session.refresh(filed)
    assert filed.deadline_status == "due_soon"
    assert sweep.morning_emails(dt.date(2026, 10, 1)) == 0  # National Day


def _is_working(d):
    from disclosure.workdays import is_working_day

    return is_working_day(d)


def test_registrars_warned_before_the_supplementation_window_closes(world, filed):
    from disclosure.applications import deadlines

    last_day = deadlines.supplement_notice_due(filed.received_date)
    day_before = last_day - dt.timedelta(days=1)
    while not _is_working(day_before):
        day_before -= dt.timedelta(days=1)
    assert [r.reference for r, _d in sweep.notice_window_closing(day_before)] == [filed.reference]
    db.session.execute(db.delete(OutboxMessage))
    sweep.morning_emails(day_before)
    mails = {m.recipient: m for m in db.session.execute(db.select(OutboxMessage)).scalars()}
    assert world.registrar.email in mails and filed.reference in mails[world.registrar.email].body_text
    assert world.handler.email not in mails
    assert sweep.notice_window_closing(last_day + dt.timedelta(days=1)) == []
