"""Issue 10, what citizens and staff hit on the reply: the preview and draft PDF while items are undecided, the
decision form per outcome, the extension reason, the history and the rating in words."""

from __future__ import annotations

import pytest

from disclosure.applications import operations as ops
from disclosure.applications.models import Application
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from tests.factories import decide_partial, issue_partial, to_in_handling


def _reload(app):
    db.session.expire_all()
    return db.session.get(Application, app.id)


@pytest.mark.parametrize("page", ["reply/preview", "reply/draft.pdf"])
def test_reply_preview_while_items_are_undecided_says_what_is_missing(world, filed, client, login, page):
    to_in_handling(world, filed)
    ops.decide_item(filed.items[0], world.handler, outcome="granted")
    db.session.commit()
    login(client, world.handler)
    resp = client.get(f"/staff/applications/{filed.id}/{page}")
    assert resp.status_code == 302  # never "None is not a valid Outcome"
    assert resp.headers["Location"].endswith(f"/staff/applications/{filed.id}#items-h")
    shown = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "第2项" in shown and "作出决定" in shown


def test_reply_preview_once_every_item_is_decided(world, filed, client, login):
    to_in_handling(world, filed)
    decide_partial(world, filed)
    db.session.commit()
    login(client, world.handler)
    resp = client.get(f"/staff/applications/{filed.id}/reply/preview")
    assert resp.status_code == 200 and "答复" in resp.get_data(as_text=True)


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_extension_reason_is_required_on_the_form_and_by_the_operation(world, filed, client, login):
    to_in_handling(world, filed)
    db.session.commit()
    with pytest.raises(DomainError) as exc:
        ops.extend_deadline(filed, world.head, days=10, reason="  ")
    assert getattr(exc.value, "field", None) == "reason"
    db.session.rollback()
    login(client, world.head)
    form = _section(client.get(f"/staff/applications/{filed.id}").get_data(as_text=True), "act-extend_deadline")
    assert "可选" not in form and "optional" not in form.lower()
    assert "必填" in form and 'name="reason" required' in form
    # sent without a reason: refused, and the message stands beside the field
    app = _reload(filed)
    resp = client.post(f"/staff/applications/{app.id}/act/extend_deadline", data={"version": app.version, "days": 10})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#act-extend_deadline")
    form = _section(client.get(resp.headers["Location"]).get_data(as_text=True), "act-extend_deadline")
    assert 'id="reason-error"' in form and "请写明延期理由。" in form
    assert not [e for e in _reload(filed).events if e.kind == "extension"]
    # a rule of the operation (at most 20 working days) is shown beside its field too
    app = _reload(filed)
    resp = client.post(
        f"/staff/applications/{app.id}/act/extend_deadline", data={"version": app.version, "days": 25, "reason": "量大"}
    )
    form = _section(client.get(resp.headers["Location"]).get_data(as_text=True), "act-extend_deadline")
    assert 'id="days-error"' in form and "延长期限为1至20个工作日" in form
    # and once: the next visit shows the form clean
    form = _section(client.get(f"/staff/applications/{app.id}").get_data(as_text=True), "act-extend_deadline")
    assert "-error" not in form


def test_staff_see_the_rating_and_the_history_in_words(world, filed, client, login):
    issue_partial(world, filed)
    ops.rate(filed, world.citizen, satisfied=False, comment="答复太慢")
    db.session.commit()
    login(client, world.registrar)
    html = client.get(f"/staff/applications/{filed.id}").get_data(as_text=True)
    rating = html[html.index('id="case-rating"') :]
    rating = rating[: rating.index("</p>")]
    assert "不满意" in rating and "答复太慢" in rating and "False" not in rating
    history = html[html.index('id="audit-h"') :]
    # the state change reads in words: 状态 答复书起草中 → 公开办审核中, not reply_drafted → office_review
    assert "<dt>状态</dt>" in history and "<del>答复书起草中</del> → 公开办审核中" in history
    for code in ("reply_drafted", "office_review", "<dt>state</dt>", "<dt>satisfied</dt>", "handler_id", "False"):
        assert code not in history, code
    assert "<dt>评价</dt><dd>不满意</dd>" in history
    assert world.handler.name in history  # the handler by name, not by id


def test_decision_fields_per_outcome():
    fields = ops.decision_fields
    assert fields("granted", "electronic") == (("reasons", "pages"), frozenset())
    assert fields("granted", "inspection")[0] == ("reasons", "public_location", "pages")
    assert fields("already_public") == (("public_location",), frozenset({"public_location"}))
    assert "reasons" not in fields("publication")[0]
    shown, required = fields("partial")
    assert shown == ("reasons", "withheld_parts", "withheld_outcome", "pages")
    assert required == {"reasons", "withheld_parts", "withheld_outcome"}
    assert fields("not_ours") == (
        ("reasons", "responsible_agency", "responsible_contact"),
        frozenset({"reasons", "responsible_agency"}),
    )
    assert fields("petition")[0] == ("reasons", "redirect_channel")
    assert fields("deny_secret") == (("reasons",), frozenset({"reasons"}))


def test_decide_item_requires_and_keeps_only_the_outcomes_fields(world, filed):
    to_in_handling(world, filed)
    item = filed.items[0]
    with pytest.raises(DomainError) as exc:  # the letter would name no agency (Art. 36(5))
        ops.decide_item(item, world.handler, outcome="not_ours", reasons="该信息由市住建局制作")
    assert exc.value.field == "responsible_agency"
    # fields typed for another outcome are not kept (the form without its script sends them all)
    ops.decide_item(
        item,
        world.handler,
        outcome="already_public",
        public_location="本机关门户网站“政府信息公开”栏目",
        reasons="经审查，该信息已公开",
        withheld_parts="无",
        responsible_agency="市住建局",
        pages=3,
    )
    assert item.public_location.startswith("本机关门户网站")
    assert (item.reasons, item.withheld_parts, item.responsible_agency, item.pages) == ("", "", "", None)


def test_the_decision_form_shows_the_fields_per_outcome_and_what_the_letter_already_says(world, filed, client, login):
    to_in_handling(world, filed)
    ops.decide_item(filed.items[0], world.handler, outcome="not_exist")
    db.session.commit()
    login(client, world.handler)
    html = client.get(f"/staff/applications/{filed.id}").get_data(as_text=True)
    assert "js/decision.js" in html and "<script>" not in html  # a file of our own: the CSP allows no inline script
    at = html.index(f'id="item{filed.items[0].id}-reasons"')
    form = html[html.rindex("<form", 0, at) : html.index("</form>", at)]
    assert "data-decision-fields=" in form and "data-openings=" in form
    # the letter's own opening for the chosen outcome, beside the reasons
    assert "答复书将写：「经本机关检索查找，」，请只填写其后的内容" in form
    # without the script every field says which outcomes it applies to
    assert form.count('class="applies"') == 8
