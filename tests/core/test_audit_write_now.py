"""An audit event written at once (`write_now`, one INSERT instead of the next flush) is the event the session would
have written, and goes with the transaction like any other (issue 10, speed)."""

import datetime as dt

from disclosure.core import audit
from disclosure.core.audit import AuditEvent
from disclosure.extensions import db

COLUMNS = ("actor_id", "actor_label", "agency_id", "object_type", "object_id", "action", "before", "after", "reason")


def _event(action: str) -> AuditEvent:
    return db.session.execute(db.select(AuditEvent).where(AuditEvent.action == action)).scalar_one()


def test_an_event_written_now_equals_one_flushed(app_ctx, make_agency, make_staff):
    from disclosure.accounts.roles import Role

    agency = make_agency()
    staff = make_staff(agency, roles=[Role.REGISTRAR])
    details = dict(
        object_type="thing",
        object_id=7,
        agency_id=agency.id,
        before={"day": dt.date(2026, 12, 7)},
        after={"n": 1},
        reason="why",
        actor=staff,
    )
    assert audit.record("thing.flushed", **details) is not None
    assert audit.record("thing.written", write_now=True, **details) is None
    db.session.commit()
    flushed, written = _event("thing.flushed"), _event("thing.written")
    assert [getattr(written, c) for c in COLUMNS if c != "action"] == [
        getattr(flushed, c) for c in COLUMNS if c != "action"
    ]
    assert written.before == {"day": "2026-12-07"} and written.actor_label == staff.display_name
    assert written.occurred_at is not None and written.occurred_at.tzinfo is not None


def test_an_event_written_now_leaves_pending_changes_pending_and_rolls_back(app_ctx, make_agency):
    agency = make_agency()
    agency_id = agency.id
    agency.short_name = "改了"  # pending: a statement of its own must not flush it
    audit.record("thing.written", object_type="thing", object_id=1, agency_id=agency_id, write_now=True)
    assert db.session.is_modified(agency)
    db.session.rollback()
    assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "thing.written")).first() is None
