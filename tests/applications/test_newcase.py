"""A portal filing writes its case, items and audit event by statements of its own instead of the ORM's flush
(issue 10, speed: `operations.newcase`, `core.ormrows`). The rows are the ones the flush writes, and the objects
are afterwards the session's, persistent and clean, as after a flush."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, inspect

from tests.factories import application_input

# Written by the database or at the moment of writing: not compared between the two ways of writing a case.
_MOMENT = {"id", "application_id", "object_id", "created_at", "updated_at", "occurred_at", "submitted_at"}


def _case(world, *, portal: str = "api:test"):
    """A portal filing's case, items and first event as `file_via_portal` builds them, before anything is written:
    (case, event values)."""
    from disclosure.applications.models import Application, Channel
    from disclosure.applications.operations.case import _apply_input, _fire
    from disclosure.core.timeutil import today_china, utcnow
    from disclosure.extensions import db
    from workflows.application import States

    app = Application(
        state=States.DRAFT,
        events=[],
        agency=world.agency,
        agency_id=world.agency.id,
        applicant_id=None,
        channel=Channel.API,
        received_evidence=portal,
    )
    _apply_input(app, application_input(legal_representative=None, contact_person="李四"), None)
    app.submitted_at = utcnow()
    with db.session.no_autoflush:
        _new, log = _fire(app, "file_via_portal", None, today=today_china(), extra={"portal": portal})
        app.state = States.DRAFT
    return app, log


def _rows(app_id: int) -> tuple[dict, list[dict], list[dict]]:
    from disclosure.applications.models import Application, RequestedItem
    from disclosure.core.audit import AuditEvent
    from disclosure.extensions import db

    def plain(table, row) -> dict:
        return {c.key: row[c.key] for c in table.c if c.key not in _MOMENT}

    apps, items, events = Application.__table__, RequestedItem.__table__, AuditEvent.__table__
    case = db.session.execute(apps.select().where(apps.c.id == app_id)).mappings().one()
    its = db.session.execute(items.select().where(items.c.application_id == app_id).order_by(items.c.position))
    evs = db.session.execute(
        events.select().where(events.c.object_type == "application", events.c.object_id == str(app_id))
    )
    return plain(apps, case), [plain(items, r) for r in its.mappings()], [plain(events, r) for r in evs.mappings()]


def test_the_statements_write_the_rows_the_flush_writes(world):
    from disclosure.applications.operations import newcase
    from disclosure.extensions import db

    flushed, log = _case(world)
    db.session.add(flushed)
    db.session.flush()
    log(write_now=True)
    inserted, log = _case(world)
    newcase.insert_case(inserted, log(values=True))
    db.session.commit()

    case_a, items_a, events_a = _rows(flushed.id)
    case_b, items_b, events_b = _rows(inserted.id)
    assert case_b == case_a and items_b == items_a and events_b == events_a
    assert len(items_b) == 2 and [e["action"] for e in events_b] == ["application.file_via_portal"]
    assert case_b["search_text"] and case_b["state"] == "draft" and case_b["version"] == 1


def test_the_inserted_case_is_the_sessions_as_after_a_flush(world):
    from disclosure.applications.models import Application, RequestedItem
    from disclosure.applications.operations import newcase
    from disclosure.applications.operations.filing import _pending_writes
    from disclosure.extensions import db

    app, log = _case(world)
    newcase.insert_case(app, log(values=True))
    assert inspect(app).persistent and all(inspect(i).persistent for i in app.items)
    assert not _pending_writes()  # nothing for the next flush to write
    assert db.session.get(Application, app.id) is app
    assert db.session.get(RequestedItem, app.items[0].id) is app.items[0]
    assert app.items[0].application is app and app.items[1].application_id == app.id
    assert app.agency is world.agency and app.events == [] and app.version == 1

    assert app.applicant is None and app.attachments == []  # loaded as after a flush
    statements: list[str] = []
    engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        app.phone = "13900000000"  # a later change is an UPDATE checked against the version, as after a flush
        db.session.flush()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert [s.split()[0].upper() for s in statements] == ["UPDATE"], statements
    assert app.version == 2
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Application, app.id).phone == "13900000000"


def test_a_portal_filing_through_the_api_is_the_same_case(world, client):
    """Through `POST /api/v1/applications`: the case, its two items in order, its event and its email."""
    from disclosure.api import issue_token
    from disclosure.applications.models import Application
    from disclosure.core.audit import events_for
    from disclosure.core.outbox import OutboxMessage
    from disclosure.extensions import db

    _token, secret = issue_token(world.agency, name="portal", scopes=["applications:write"])
    db.session.commit()
    body = {
        "applicant": {"type": "person", "name": "张三", "doc_type": "resident_id", "doc_number": "11010519491231002X"},
        "items": [{"description": "甲项"}, {"description": "乙项", "document_ref": "测财〔2025〕3号"}],
        "provision_form": "electronic",
        "delivery_channel": "email",
    }
    body["applicant"]["email"] = "zhangsan@example.cn"
    resp = client.post("/api/v1/applications", json=body, headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 201, resp.get_json()
    reference = resp.get_json()["reference"]
    db.session.expire_all()
    app = db.session.execute(db.select(Application).where(Application.reference == reference)).scalar_one()
    assert (app.state, app.channel, app.received_evidence) == ("submitted", "api", "api:portal")
    # PostgreSQL inserts it numbered (one version); SQLite inserts it, then numbers it (a second)
    assert app.version == (1 if db.engine.dialect.name == "postgresql" else 2)
    assert [(i.position, i.description, i.document_ref) for i in app.items] == [
        (1, "甲项", ""),
        (2, "乙项", "测财〔2025〕3号"),
    ]
    assert [e.action for e in events_for("application", app.id)] == ["application.file_via_portal"]
    assert isinstance(app.submitted_at, dt.datetime) and app.created_at <= app.updated_at
    email = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.related_id == str(app.id))).scalar_one()
    assert reference in email.subject and reference in email.body_text


def test_a_json_record_refuses_what_it_cannot_write_exactly(app_ctx):
    import pytest

    from disclosure.applications.models import Application
    from disclosure.core import ormrows
    from disclosure.core.audit import AuditEvent

    with pytest.raises(ValueError, match="JSON column"):
        ormrows.json_record(AuditEvent.__table__, {"after": None})
    with pytest.raises(ValueError, match="naive"):
        ormrows.json_record(Application.__table__, {"submitted_at": dt.datetime(2026, 12, 7, 8, 0)})
    aware = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
    assert ormrows.json_record(Application.__table__, {"submitted_at": aware, "received_date": aware.date()}) == (
        '{"submitted_at": "2026-12-07T08:00:00+00:00", "received_date": "2026-12-07"}'
    )


def test_a_case_inserted_numbered_is_the_case_inserted_then_numbered(world):
    """PostgreSQL inserts a portal filing already numbered, with its items, event and email, in the statement that
    takes the number (`newcase.insert_numbered_case`); the same filing inserted, then numbered (as SQLite and a
    confirming agency do) gives the same rows but for the serial."""
    from disclosure.applications.models import Application, search_text_of
    from disclosure.applications.operations import file_via_portal, newcase
    from disclosure.applications.operations.filing import _number_last
    from disclosure.core.outbox import OutboxMessage
    from disclosure.extensions import db

    two_steps, log = _case(world, portal="api:t")
    newcase.insert_case(two_steps, log(values=True))
    _number_last(two_steps, world.agency, two_steps.submitted_at.date(), ("submitted",), state="submitted")
    data = application_input(legal_representative=None, contact_person="李四")
    one_step = file_via_portal(world.agency, data, portal="api:t")
    db.session.commit()

    def comparable(app) -> tuple:
        case, items, events = _rows(app.id)
        requested = [(i["description"], i["document_ref"]) for i in items]
        names = (case["applicant_name"], None, "李四")
        assert case.pop("search_text") == search_text_of(case["reference"], *names, requested)
        serial = (case.pop("reference"), case.pop("ref_serial"), case.pop("version"))
        email = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.related_id == str(app.id))).scalar_one()
        mail = (email.recipient, email.subject.replace(serial[0], "#"), email.body_text.replace(serial[0], "#"))
        return case, items, events, mail, serial

    *rows_a, serial_a = comparable(db.session.get(Application, two_steps.id))
    *rows_b, serial_b = comparable(db.session.get(Application, one_step.id))
    assert rows_b == rows_a
    assert serial_b[1] == serial_a[1] + 1 and serial_b[0].endswith(f"{serial_b[1]:05d}")
    assert rows_b[0]["state"] == "submitted" and len(rows_b[1]) == 2 and "#" in rows_b[3][1]
