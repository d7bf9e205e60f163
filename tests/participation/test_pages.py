"""Every staff and admin page renders with real data in each state, and the forms behind them work through the
views: drafting, approval, extension, groups, the feedback introduction, events, the list of matters and its
publication, settings and kinds."""

from __future__ import annotations

import re

from tests.participation.conftest import close_now, consultation_input


def _english(client):
    with client.session_transaction() as s:
        s["lang"] = "en"


def test_drafting_and_approving_through_the_pages(part, client, login, app):
    from disclosure.participation.models import Consultation

    login(client, part.editor)
    _english(client)
    assert client.get("/staff/participation/new").status_code == 200
    data = consultation_input(opens_at="2030-01-02T09:00", period_length="3")
    resp = client.post("/staff/participation/new", data=data)
    assert resp.status_code == 400 and "state publicly why the period is shorter" in resp.get_data(as_text=True)
    resp = client.post("/staff/participation/new", data={**data, "shortened_reason": "时间紧迫"})
    assert resp.status_code == 302
    c = Consultation.query.one()
    assert client.get(f"/staff/participation/{c.id}/edit").status_code == 200
    page = client.get(f"/staff/participation/{c.id}").get_data(as_text=True)
    assert "action-approve" not in page  # the editor may not approve
    client = app.test_client()
    login(client, part.head)
    _english(client)
    assert 'id="action-approve"' in client.get(f"/staff/participation/{c.id}").get_data(as_text=True)
    assert client.post(f"/staff/participation/{c.id}/act/approve", data={"version": str(c.version)}).status_code == 302
    c = Consultation.query.one()
    assert c.state == "approved"
    assert client.get(f"/participation/c/{c.id}").status_code == 404  # not public before it opens


def test_staff_pages_in_every_state(part, open_consultation, client, login):
    from disclosure.extensions import db
    from disclosure.participation.models import Comment, CommentGroup
    from disclosure.participation.operations import comments as cops

    c = open_consultation
    cm, _ = cops.submit_comment(c, {"body": "意见", "name": "甲", "id_number": "11010519491231002X"}, user=None)
    db.session.commit()
    login(client, part.head)
    _english(client)
    base = f"/staff/participation/{c.id}"
    resp = client.post(f"{base}/act/extend", data={"reason": "延长", "period_length": "40", "version": str(c.version)})
    assert resp.status_code == 302
    resp = client.post(f"{base}/act/extend", data={"reason": "", "period_length": "50"})
    assert resp.status_code == 303
    assert client.post(f"{base}/groups", data={"group_title": "关于范围的意见"}).status_code == 302
    group = CommentGroup.query.one()
    assert client.get(f"{base}/groups/{group.id}").status_code == 200
    assert client.post(f"{base}/groups/{group.id}", data={"result": "not_adopted", "reason": ""}).status_code == 400
    assert client.post(f"{base}/groups/{group.id}", data={"result": "adopted"}).status_code == 302
    resp = client.post(f"{base}/comments/{cm.id}", data={"moderation": "published", "group_id": str(group.id)})
    assert resp.status_code == 302
    assert db.session.get(Comment, cm.id).group_id == group.id
    for url in (
        base,
        f"{base}/comments",
        f"{base}/comments?answer=unanswered&q=%25",
        f"{base}/comments/{cm.id}",
        f"{base}/comments/new",
        "/staff/participation/",
        "/staff/participation/matters",
    ):
        assert client.get(url).status_code == 200, url
    resp = client.post(
        f"{base}/events",
        data={
            "kind": "symposium",
            "starts_at": "2030-03-01T09:00",
            "place": "第一会议室",
            "selection_method": "邀请",
            "participants": "企业代表",
            "materials_html": "<p>材料</p>",
        },
    )
    assert resp.status_code == 302
    db.session.expire_all()
    from disclosure.participation.models import HearingEvent

    event_id = HearingEvent.query.one().id
    assert client.post(f"{base}/events/{event_id}/publish", data={}).status_code == 302
    close_now(c)
    assert client.post(f"{base}/feedback-intro", data={"feedback_intro_html": "<p>说明</p>"}).status_code == 302
    for trigger in ("draft_feedback", "approve_feedback", "publish_feedback"):
        assert client.post(f"{base}/act/{trigger}", data={}).status_code == 302, trigger
        page = client.get(base).get_data(as_text=True)
        assert 'class="flash flash-error"' not in page, (trigger, re.findall(r"flash-error\">([^<]*)", page))
    assert "Feedback published" in client.get(base).get_data(as_text=True)
    assert client.get(f"{base}/export.xlsx").status_code == 200


def test_matters_settings_and_kinds(part, client, login, make_staff, app):
    from disclosure.accounts.roles import Role
    from disclosure.participation.models import ConsultationKind, MatterList

    login(client, part.head)
    _english(client)
    resp = client.post(
        "/staff/participation/matters", data={"year": "2026", "title": "控烟办法制定", "lead_unit": "卫健委"}
    )
    assert resp.status_code == 302
    assert client.post("/staff/participation/matters/publish", data={"year": "2026"}).status_code == 302
    assert MatterList.query.one().entry_id
    assert client.post("/staff/participation/matters/publish", data={"year": "2026"}).status_code == 302  # new version
    assert "控烟办法制定" in client.get("/participation/matters").get_data(as_text=True)
    client = app.test_client()
    login(client, part.admin)
    assert client.get("/admin/participation/settings").status_code == 200
    assert client.post("/admin/participation/settings", data={"require_email": "y"}).status_code == 302
    sysadmin = make_staff(part.agency, [Role.SYS_ADMIN])
    client = app.test_client()
    login(client, sysadmin)
    assert client.get("/admin/participation/kinds").status_code == 200
    kind = ConsultationKind.query.filter_by(code="other").one()
    assert client.get(f"/admin/participation/kinds/{kind.id}").status_code == 200
    resp = client.post(
        f"/admin/participation/kinds/{kind.id}",
        data={"name_zh": "其他事项", "name_en": "Other", "min_period": "10", "unit": "working_days", "active": "y"},
    )
    assert resp.status_code == 302
    kind = ConsultationKind.query.filter_by(code="other").one()
    assert (kind.min_period, kind.unit, kind.roll_to_working_day) == (10, "working_days", False)
    assert client.post(f"/admin/participation/kinds/{kind.id}", data={"min_period": "0"}).status_code == 400


def test_the_workbench_panel(part, open_consultation, client, login):
    login(client, part.head)
    _english(client)
    page = client.get("/staff/").get_data(as_text=True)
    assert "Public consultations" in page and "Open for comments" in page
