"""Issue 10: the applicant's clarification (Art. 30) becomes the request — on the case page, the applicant's page
and the reply letter — with the first wording kept in the history; the notice hint goes once the notice was sent."""

from __future__ import annotations

import pytest

from disclosure.applications import letters
from disclosure.applications import operations as ops
from disclosure.applications.models import Application
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from tests.factories import to_in_handling

FIRST = "道路维修招标文件"
CLEAR = "2025年幸福路维修工程的招标公告和中标结果公告"


def _reload(app):
    db.session.expire_all()
    return db.session.get(Application, app.id)


def _ask(world, app):
    ops.request_supplement(app, world.registrar, what="请明确所需招标文件的工程名称和年份")
    db.session.commit()
    return _reload(app)


def test_the_notice_hint_disappears_once_the_notice_was_sent(world, filed, client, login):
    login(client, world.registrar)
    html = client.get(f"/staff/applications/{filed.id}").get_data(as_text=True)
    assert "补正通知" in html[html.index('id="deadline-h"') : html.index('id="applicant-h"')]
    app = _ask(world, filed)
    ops.receive_supplement(app, world.registrar, received_on=ops.today_china(), note="电话补正")
    db.session.commit()
    assert _reload(filed).state == "registered"
    html = client.get(f"/staff/applications/{filed.id}").get_data(as_text=True)
    assert "补正通知" not in html[html.index('id="deadline-h"') : html.index('id="applicant-h"')]


def test_the_applicants_answer_becomes_the_request(world, filed, client, login, app):
    staff = app.test_client()
    case = _ask(world, filed)
    first_id, second = case.items[0].description, case.items[1]
    assert second.description == FIRST
    login(client, world.citizen)
    page = client.get(f"/my/applications/{case.reference}").get_data(as_text=True)
    assert 'name="clarified_2"' in page and FIRST in page
    resp = client.post(
        f"/my/applications/{case.reference}/supplement",
        data={"version": case.version, "text": "", "clarified_1": first_id, "clarified_2": CLEAR},
    )
    assert resp.status_code == 302
    case = _reload(filed)
    assert case.state == "registered"
    assert [i.description for i in case.items] == [first_id, CLEAR]  # item 1 unchanged, item 2 clarified
    assert case.items[1].fingerprint == ops.fingerprint(CLEAR)
    (event,) = [e for e in ops.timeline(case) if e.action == "application.item_clarified"]
    assert event.before == {"item": 2, "description": FIRST} and event.after == {"item": 2, "description": CLEAR}
    # the applicant's page reads as clarified
    page = client.get(f"/my/applications/{case.reference}").get_data(as_text=True)
    requested = page[page.index("<ol>") : page.index("</ol>")]
    assert CLEAR in requested and FIRST not in requested
    # the case page too, with the first wording in the history as 原申请内容
    login(staff, world.registrar)
    html = staff.get(f"/staff/applications/{case.id}").get_data(as_text=True)
    items = html[html.index('id="items-h"') : html.index('id="actions-h"')]
    assert CLEAR in items and FIRST not in items
    history = html[html.index('id="audit-h"') :]
    assert f"<dt>原申请内容</dt><dd>{FIRST}</dd>" in history
    assert f"<dt>补正后的申请内容</dt><dd>{CLEAR}</dd>" in history
    # and the reply letter
    to_in_handling(world, case)
    for item in case.items:
        ops.decide_item(item, world.handler, outcome="not_exist")
    context = letters.reply_context(case)
    assert context.items[1].description == CLEAR
    assert context.supplemented_date == ops.today_china()


def test_staff_record_the_clarified_request_received_on_paper(world, filed, client, login):
    app = _ask(world, filed)
    login(client, world.registrar)
    html = client.get(f"/staff/applications/{app.id}").get_data(as_text=True)
    form = html[html.index('id="act-receive_supplement"') :]
    assert 'name="clarified_2"' in form[: form.index("</section>")]
    resp = client.post(
        f"/staff/applications/{app.id}/act/receive_supplement",
        data={"version": app.version, "received_on": ops.today_china().isoformat(), "clarified_2": CLEAR},
    )
    assert resp.status_code == 302
    app = _reload(filed)
    assert app.state == "registered" and app.items[1].description == CLEAR
    (event,) = [e for e in ops.timeline(app) if e.action == "application.item_clarified"]
    assert event.before["description"] == FIRST and event.actor_id == world.registrar.id


def test_an_answer_needs_some_content(world, filed):
    app = _ask(world, filed)
    with pytest.raises(DomainError, match="supplement"):
        ops.answer_supplement(app, world.citizen, text="", items={2: FIRST})  # unchanged wording is no answer
    db.session.rollback()
    app = _reload(filed)
    ops.answer_supplement(app, world.citizen, text="", items={"2": CLEAR})
    assert app.items[1].description == CLEAR
