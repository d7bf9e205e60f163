"""The audit log is append-only; the outbox survives an SMTP outage and delivers every message exactly once."""

import datetime as dt

import pytest

from disclosure.core import audit
from disclosure.core.audit import AuditEvent
from disclosure.core.outbox import OutboxMessage, OutboxState, deliver_due, enqueue_email
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db


def test_audit_events_cannot_be_changed_or_deleted(app_ctx, make_agency):
    agency = make_agency()
    ev = db.session.execute(db.select(AuditEvent).where(AuditEvent.agency_id == agency.id)).scalars().first()
    assert ev.action == "agency.created" and ev.after["full_name"] == agency.full_name
    ev.action = "tampered"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    ev = db.session.get(AuditEvent, ev.id)
    db.session.delete(ev)
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_audit_records_actor_ip_and_diff(client, make_agency, make_staff, login, app_ctx):
    from disclosure.accounts.roles import Role

    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    login(client, admin)
    data = {
        "slug": agency.slug,
        "full_name": agency.full_name,
        "short_name": "新简称",
        "credit_code": agency.credit_code,
        "division_code": "330100",
        "parent_id": 0,
        "reconsideration_body": "测试市人民政府",
        "litigation_court": "测试市上城区人民法院",
        "doc_number_prefixes": "reply=测公开",
        "active": "y",
    }
    assert client.post(f"/admin/agencies/{agency.id}", data=data).status_code == 302
    ev = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "agency.updated")).scalar_one()
    assert ev.actor_id == admin.id and ev.ip_address == "127.0.0.1"
    assert ev.before["short_name"] != "新简称" and ev.after["short_name"] == "新简称"
    page = client.get(f"/admin/agencies/{agency.id}").get_data(as_text=True)
    assert "agency.updated" in page  # staff read the trail on the object's page


def test_a_failed_request_writes_no_audit_event_and_no_mail(client, make_agency, make_staff, login, app_ctx):
    from disclosure.accounts.roles import Role

    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    login(client, admin)
    before = db.session.execute(db.select(db.func.count()).select_from(AuditEvent)).scalar_one()
    resp = client.post(f"/admin/agencies/{agency.id}/departments", data={"dep-name": "政务公开科"})  # duplicate
    assert resp.status_code == 302
    after = db.session.execute(db.select(db.func.count()).select_from(AuditEvent)).scalar_one()
    assert after == before


def _queue(n: int) -> None:
    for i in range(n):
        enqueue_email(to=f"person{i}@example.cn", subject=f"通知{i}", body_text=f"正文{i}")
    db.session.commit()


def test_outbox_survives_an_smtp_outage_and_sends_each_message_once(app_ctx, smtp_server):
    smtp_server.stop()
    try:
        _queue(3)
        stats = deliver_due()
        assert stats == {"sent": 0, "retry": 3, "failed": 0}
        msgs = db.session.execute(db.select(OutboxMessage)).scalars().all()
        assert all(m.state == OutboxState.PENDING and m.attempts == 1 and m.last_error for m in msgs)
        # not due yet: backoff
        assert deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    finally:
        smtp_server.start()
    later = utcnow() + dt.timedelta(minutes=5)
    assert deliver_due(now=later) == {"sent": 3, "retry": 0, "failed": 0}
    assert deliver_due(now=later + dt.timedelta(hours=1)) == {"sent": 0, "retry": 0, "failed": 0}
    received = smtp_server.messages
    assert sorted(m["Subject"] for m in received) == ["通知0", "通知1", "通知2"]
    assert len({m["Message-ID"] for m in received}) == 3
    assert all(m.state == OutboxState.SENT for m in db.session.execute(db.select(OutboxMessage)).scalars())


def test_outbox_gives_up_after_max_attempts_and_can_be_requeued(app, app_ctx, smtp_server):
    from disclosure.core.outbox import requeue

    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    smtp_server.stop()
    try:
        _queue(1)
        deliver_due()
        deliver_due(now=utcnow() + dt.timedelta(hours=1))
        msg = db.session.execute(db.select(OutboxMessage)).scalar_one()
        assert msg.state == OutboxState.FAILED and msg.attempts == 2
    finally:
        smtp_server.start()
        app.config["OUTBOX_MAX_ATTEMPTS"] = 12
    requeue(msg)
    db.session.commit()
    assert deliver_due()["sent"] == 1
    assert len(smtp_server.messages) == 1


def test_rolled_back_transaction_sends_nothing(app_ctx, smtp_server):
    enqueue_email(to="x@example.cn", subject="不应发送", body_text="x")
    db.session.rollback()
    assert deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    assert smtp_server.messages == []


def test_concurrent_workers_do_not_send_twice(app, smtp_server):
    """Two workers sweeping at the same time: each message is claimed by one of them only."""
    import threading

    from disclosure.core.sqlite_tuning import immediate

    with app.app_context():
        _queue(10)
    results = []

    def work():
        with app.app_context(), immediate():
            results.append(deliver_due())
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["sent"] for r in results) == 10
    assert len(smtp_server.messages) == 10


def test_staff_see_delivery_state(client, make_agency, make_staff, login, app_ctx):
    from disclosure.accounts.roles import Role

    agency = make_agency()
    enqueue_email(to="someone@example.cn", subject="投递状态", body_text="x", agency_id=agency.id)
    db.session.commit()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    login(client, admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "投递状态" in page and "someone@example.cn" in page


def test_snapshot_and_diff():
    before = {"a": 1, "b": dt.date(2026, 1, 1)}
    after = {"a": 1, "b": "2026-01-02"}
    assert audit.diff(audit.jsonable(before), after) == ({"b": "2026-01-01"}, {"b": "2026-01-02"})


def test_an_audited_object_logs_its_own_events(app_ctx, make_agency):
    """`obj.log(action, …)` names the object's type, id and agency once, in the model."""
    agency = make_agency()

    class Thing(audit.Audited):
        audit_type = "thing"

        def __init__(self, id, agency_id):
            self.id, self.agency_id = id, agency_id

    thing = Thing(7, agency.id)
    thing.log("thing.renamed", before={"name": "a"}, after={"name": dt.date(2026, 1, 2)}, reason="typo")
    db.session.flush()
    (ev,) = thing.audit_events()
    assert (ev.object_type, ev.object_id, ev.agency_id, ev.action) == ("thing", "7", agency.id, "thing.renamed")
    assert ev.after == {"name": "2026-01-02"} and ev.reason == "typo" and ev.actor_label == "system"
