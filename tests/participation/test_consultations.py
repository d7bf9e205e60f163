"""Drafting a consultation, its period against the kind's minimum, automatic opening and closing by the task
functions, extension, withdrawal; hearings; the annual figures."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.core.errors import DomainError, FieldErrors, NotAllowed
from tests.participation.conftest import consultation_input


def test_the_period_is_computed_on_the_calendar(part):
    from disclosure.participation.operations import consultations as ops

    c = ops.create_consultation(part.agency, consultation_input(), actor=part.editor)
    assert c.state == "draft"
    assert (c.period_unit, c.closes_on) == ("working_days", dt.date(2026, 5, 13))
    assert c.closes_at == dt.datetime(2026, 5, 13, 16, 0, tzinfo=dt.UTC) or c.closes_at.replace(
        tzinfo=dt.UTC
    ) == dt.datetime(2026, 5, 13, 16, 0, tzinfo=dt.UTC)
    c2 = ops.create_consultation(
        part.agency,
        consultation_input("major_decision", opens_at="2026-09-01T09:00", period_length="30"),
        actor=part.editor,
    )
    assert (c2.period_unit, c2.closes_on) == ("days", dt.date(2026, 10, 8))


def test_a_shortened_period_needs_a_reason(part):
    from disclosure.participation.operations import consultations as ops

    with pytest.raises(FieldErrors) as err:
        ops.create_consultation(part.agency, consultation_input(period_length="5"), actor=part.editor)
    assert "shortened_reason" in err.value.errors
    c = ops.create_consultation(
        part.agency, consultation_input(period_length="5", shortened_reason="上级部署时间紧迫"), actor=part.editor
    )
    assert c.shortened_reason == "上级部署时间紧迫"
    ops.act(c, "approve", actor=part.head)
    assert c.state == "approved"


def test_a_market_related_normative_draft_needs_thirty_days(part):
    from disclosure.participation.operations import consultations as ops

    with pytest.raises(FieldErrors) as err:
        ops.create_consultation(
            part.agency, consultation_input(market_related="y", period_length="20"), actor=part.editor
        )
    assert "shortened_reason" in err.value.errors


def test_whole_input_is_checked_at_once(part):
    from disclosure.participation.operations import consultations as ops

    with pytest.raises(FieldErrors) as err:
        ops.create_consultation(
            part.agency,
            {"title": "", "kind_id": "x", "opens_at": "tomorrow", "period_length": "9223372036854775808"},
            actor=part.editor,
        )
    assert {"title", "kind_id", "opens_at", "period_length", "draft_html", "explanation_html"} <= set(err.value.errors)


def test_opening_and_closing_are_automatic(part):
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db
    from disclosure.participation.operations import consultations as ops
    from disclosure.participation.tasks import open_and_close

    c = ops.create_consultation(part.agency, consultation_input(opens_at="2030-01-02T09:00"), actor=part.editor)
    ops.act(c, "approve", actor=part.head)
    db.session.commit()
    assert open_and_close() == {"opened": 0, "closed": 0}
    at_start = c.opens_at + dt.timedelta(seconds=1)
    assert open_and_close(at_start) == {"opened": 1, "closed": 0}
    db.session.refresh(c)
    assert c.state == "open" and c.opened_at is not None
    assert open_and_close(c.closes_at - dt.timedelta(seconds=1))["closed"] == 0
    assert open_and_close(c.closes_at) == {"opened": 0, "closed": 1}
    db.session.refresh(c)
    assert c.state == "closed"
    actions = [e.action for e in c.audit_events()]
    assert actions[-2:] == ["participation.open", "participation.close"]
    assert utcnow()  # the clock is not frozen: the task takes `now` from the caller


def test_only_the_system_opens_and_closes(part, open_consultation):
    from disclosure.participation.operations import consultations as ops

    with pytest.raises(NotAllowed):
        ops.act(open_consultation, "close", actor=part.head)


def test_extension_is_recorded_and_announced(part, open_consultation, client):
    from disclosure.participation.operations import consultations as ops

    c = open_consultation
    old = c.closes_on
    with pytest.raises(DomainError):
        ops.extend(c, new_length=40, reason="", actor=part.head)
    with pytest.raises(NotAllowed):
        ops.extend(c, new_length=40, reason="x", actor=part.editor)
    with pytest.raises(DomainError):
        ops.extend(c, new_length=20, reason="shorter", actor=part.head)
    ops.extend(c, new_length=40, reason="应社会各界要求延长", actor=part.head)
    assert c.closes_on > old and c.extensions[-1]["reason"] == "应社会各界要求延长"
    from disclosure.extensions import db

    db.session.commit()
    page = client.get(f"/participation/c/{c.id}").get_data(as_text=True)
    assert "应社会各界要求延长" in page and c.closes_on.isoformat() in page
    assert "应社会各界要求延长" in client.get("/participation/feed.atom").get_data(as_text=True)


def test_withdrawal_needs_a_reason_and_is_shown(part, open_consultation, client):
    from disclosure.extensions import db
    from disclosure.participation.operations import consultations as ops

    with pytest.raises(DomainError):
        ops.act(open_consultation, "withdraw", actor=part.head)
    ops.act(open_consultation, "withdraw", actor=part.head, reason="上位法修改，暂缓制定")
    db.session.commit()
    assert "上位法修改，暂缓制定" in client.get(f"/participation/c/{open_consultation.id}").get_data(as_text=True)


def test_only_drafts_are_edited(part, open_consultation):
    from disclosure.participation.operations import consultations as ops

    with pytest.raises(DomainError):
        ops.update_consultation(open_consultation, consultation_input(), actor=part.editor)


def test_hearing_materials_seven_days_before(part, open_consultation, client):
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db
    from disclosure.participation.operations import feedback as fops

    soon = (utcnow() + dt.timedelta(days=3)).isoformat()
    event = fops.add_event(
        open_consultation,
        {
            "kind": "hearing",
            "starts_at": soon,
            "place": "市政府第一会议室",
            "selection_method": "自愿报名、随机抽取",
            "participants": "张三（市民代表）",
            "materials_html": "<p>听证材料</p>",
        },
        actor=part.editor,
    )
    with pytest.raises(FieldErrors) as err:
        fops.publish_event(event, actor=part.editor)
    assert "starts_at" in err.value.errors
    event.starts_at = utcnow() + dt.timedelta(days=10)
    fops.publish_event(event, actor=part.editor)
    with pytest.raises(DomainError):
        fops.record_minutes(event, "<p>会议纪要</p>", actor=part.editor)
    fops.record_minutes(event, "<p>会议纪要</p>", actor=part.editor, now=utcnow() + dt.timedelta(days=11))
    db.session.commit()
    page = client.get(f"/participation/c/{open_consultation.id}").get_data(as_text=True)
    assert "自愿报名、随机抽取" in page and "张三（市民代表）" in page and "会议纪要" in page
