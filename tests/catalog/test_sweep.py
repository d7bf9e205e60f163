"""The catalogue's daily sweep: Art. 26 due dates recomputed set-based, validity changes applied, and the morning
digest to each agency's catalogue editors and office heads, delivered through the real SMTP test server."""

from __future__ import annotations

import datetime as dt

from disclosure.accounts.roles import Role
from disclosure.catalog import sweep
from disclosure.catalog.models import Entry
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.timeliness import publish_due
from disclosure.core.outbox import OutboxMessage
from disclosure.extensions import db
from tests.catalog.conftest import entry_input

MONDAY = dt.date(2026, 3, 2)  # a working day


def _made_on_due_soon(today: dt.date) -> dt.date:
    """A date whose Art. 26 due date is within the 'due soon' window of `today`."""
    day = today
    while not (today <= publish_due(day, 20) <= sweep.soon_limit(today)):
        day -= dt.timedelta(days=1)
    return day


def _draft(cat, n, **overrides):
    data = entry_input(document_number=f"测政办发〔2026〕{n}号", **overrides)
    return ops.create_entry(cat.agency, data, actor=cat.editor)


def test_digest_reaches_editors_and_heads_through_smtp(cat, runner, smtp_server, make_staff, publish_entry):
    overdue = _draft(cat, 1, title="逾期未公开的通知", made_on="2026-01-05")
    soon = _draft(cat, 2, title="即将到期的通知", made_on=_made_on_due_soon(MONDAY).isoformat())
    withheld = _draft(
        cat,
        3,
        title="依申请公开的文件",
        made_on="2026-01-05",
        attribute="on_request",
        attribute_basis="other",
        attribute_reason="内部事务",
    )
    other_editor = make_staff(cat.other, [Role.CATALOG_EDITOR])
    elsewhere = ops.create_entry(
        cat.other, entry_input(title="别的机关逾期的通知", made_on="2026-01-05"), actor=other_editor
    )
    db.session.commit()
    published = publish_entry(title="已经公开的通知", document_number="测政办发〔2026〕4号", made_on="2026-01-05")
    smtp_server.clear()
    result = runner.invoke(args=["catalog", "sweep", "--date", MONDAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "emails=" in result.output
    for user in (cat.editor, cat.head):
        (mail,) = smtp_server.to(user.email)
        body = mail.get_body(preferencelist=("plain",)).get_content()
        assert overdue.title in body and soon.title in body, body
        assert f"/staff/catalog/entries/{overdue.id}" in body
        for absent in (withheld.title, elsewhere.title, published.title):
            assert absent not in body
    assert smtp_server.to(cat.registrar.email) == [] and smtp_server.to(cat.secrecy.email) == []
    (theirs,) = smtp_server.to(other_editor.email)
    assert elsewhere.title in theirs.get_body(preferencelist=("plain",)).get_content()


def test_no_digest_on_a_holiday_and_none_without_work(cat):
    _draft(cat, 1, made_on="2026-01-05")
    db.session.commit()
    assert sweep.morning_emails(dt.date(2026, 10, 1)) == 0  # National Day
    db.session.execute(db.update(Entry).values(state="published"))
    db.session.commit()
    assert sweep.morning_emails(MONDAY) == 0


def test_due_dates_follow_the_setting_without_touching_versions(cat):
    entry = _draft(cat, 1, made_on="2026-03-02")
    db.session.commit()
    before, version = entry.due_on, entry.version
    ops.settings_for(cat.agency.id).publish_due_days = 10
    db.session.commit()
    assert sweep.recompute_due(MONDAY) == 1
    db.session.commit()
    db.session.refresh(entry)
    assert entry.due_on == publish_due(dt.date(2026, 3, 2), 10) < before
    assert entry.version == version  # a recomputation is not an edit: no open form becomes stale
    assert sweep.recompute_due(MONDAY) == 0  # idempotent


def test_an_entry_changed_meanwhile_is_left_for_the_next_run(cat, monkeypatch):
    entry = _draft(cat, 1, made_on="2026-03-02")
    db.session.commit()
    before = entry.due_on
    ops.settings_for(cat.agency.id).publish_due_days = 10
    db.session.commit()
    # the sweep "read" the rows before the entry's last change
    monkeypatch.setattr(sweep, "utcnow", lambda: entry.updated_at - dt.timedelta(seconds=5))
    assert sweep.recompute_due(MONDAY) == 0
    db.session.commit()
    db.session.refresh(entry)
    assert entry.due_on == before


def test_sweep_applies_validity_changes(cat, monkeypatch):
    seen = []
    monkeypatch.setattr(sweep.validity, "apply_due_changes", lambda today: seen.append(today) or {"expired": 2})
    stats = sweep.run(MONDAY, send_emails=False)
    assert seen == [MONDAY] and stats["validity_expired"] == 2 and "emails" not in stats


def test_sweep_command_refuses_a_bad_date(runner):
    result = runner.invoke(args=["catalog", "sweep", "--date", "2026-02-30"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_queued_digest_is_one_outbox_row_per_person(cat):
    _draft(cat, 1, made_on="2026-01-05")
    _draft(cat, 2, made_on="2026-01-06")
    db.session.commit()
    db.session.execute(db.delete(OutboxMessage))
    assert sweep.morning_emails(MONDAY) == 2  # the editor and the office head, one digest each
    rows = list(db.session.execute(db.select(OutboxMessage)).scalars())
    assert {r.recipient for r in rows} == {cat.editor.email, cat.head.email}
    db.session.rollback()
