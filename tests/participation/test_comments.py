"""Comments: online with a receipt, once per form, refused after the close with the closing time, precise
messages for empty and oversized text, hostile input kept as text; staff entries; moderation, groups and answers
hidden until the feedback is published and then all visible at once; the feedback as a catalogue entry and the
commenters told; privacy on every public page, the feed and the export; other agencies' staff get 404."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from disclosure.core.errors import DomainError, FieldErrors
from tests.participation.conftest import close_now

ID_NUMBER = "11010519491231002X"


def _english(client):
    with client.session_transaction() as s:
        s["lang"] = "en"


def _form(client, c, **data):
    page = client.get(f"/participation/c/{c.id}").get_data(as_text=True)
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="submission_key"', page
    )
    form = {
        "submission_key": key.group(1),
        "article": "3",
        "paragraph": "第二款",
        "body": "建议将室外排队区域也纳入禁止吸烟范围。",
        "submitter_type": "citizen",
        "name": "王小明",
        "email": "wang@example.cn",
        "phone": "13800000000",
        "id_number": ID_NUMBER,
    }
    form.update(data)
    return form


def test_a_citizen_comments_on_an_article_and_gets_a_receipt(part, open_consultation, client, smtp_server):
    from disclosure.core.outbox import deliver_due
    from disclosure.participation.models import Comment

    _english(client)
    c = open_consultation
    page = client.get(f"/participation/c/{c.id}?article=3").get_data(as_text=True)
    assert 'id="article-3"' in page and '<option selected value="3">' in page
    resp = client.post(f"/participation/c/{c.id}/comment", data=_form(client, c))
    assert resp.status_code == 302
    receipt = client.get(resp.headers["Location"]).get_data(as_text=True)
    cm = Comment.query.one()
    assert cm.number and cm.number in receipt and "Thank you" in receipt
    assert cm.article == 3 and cm.paragraph == "第二款" and cm.channel == "online"
    deliver_due()
    mails = smtp_server.to("wang@example.cn")
    assert mails and cm.number in mails[0]["Subject"]


def test_the_same_form_twice_counts_once(part, open_consultation, client):
    from disclosure.participation.models import Comment

    form = _form(client, open_consultation)
    first = client.post(f"/participation/c/{open_consultation.id}/comment", data=form)
    second = client.post(f"/participation/c/{open_consultation.id}/comment", data=form)
    assert first.headers["Location"].split("?")[0] == second.headers["Location"].split("?")[0]
    assert Comment.query.count() == 1


def test_numbers_are_gapless_per_agency(part, open_consultation):
    from disclosure.participation.operations import comments as cops

    numbers = [
        cops.submit_comment(open_consultation, {"body": f"意见{i}", "name": "甲"}, user=None)[0].number
        for i in range(3)
    ]
    year = numbers[0][:4]
    assert numbers == [f"{year}-00001", f"{year}-00002", f"{year}-00003"]


def test_empty_and_oversized_comments_get_precise_messages(part, open_consultation, client):
    _english(client)
    c = open_consultation
    resp = client.post(f"/participation/c/{c.id}/comment", data=_form(client, c, body="   "))
    assert resp.status_code == 400 and "the comment is empty" in resp.get_data(as_text=True)
    long = "意" * 20000
    resp = client.post(f"/participation/c/{c.id}/comment", data=_form(client, c, body=long))
    text = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "20000 characters; at most 10000" in text
    assert long in text  # nothing typed is lost


def test_after_the_close_comments_are_refused_with_the_closing_time(part, open_consultation, client):
    _english(client)
    c = open_consultation
    form = _form(client, c)
    close_now(c)
    resp = client.post(f"/participation/c/{c.id}/comment", data=form)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert f"Comments closed at {c.closes_on.isoformat()} 24:00" in text


def test_hostile_input_is_kept_as_text(part, open_consultation, client):
    from disclosure.extensions import db
    from disclosure.participation.models import Comment
    from disclosure.participation.operations import comments as cops

    c = open_consultation
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>=HYPERLINK("http://evil")'
    client.post(f"/participation/c/{c.id}/comment", data=_form(client, c, body=hostile, paragraph="<b>x</b>"))
    cm = Comment.query.one()
    assert cm.body == hostile
    cops.set_moderation(cm, "published", actor=part.editor)
    db.session.commit()
    page = client.get(f"/participation/c/{c.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_disguised_attachments_are_refused(part, open_consultation, client):
    c = open_consultation
    form = _form(client, c)
    form["attachment"] = (io.BytesIO(b"MZ\x90\x00 not a pdf"), "意见.pdf")
    resp = client.post(f"/participation/c/{c.id}/comment", data=form, content_type="multipart/form-data")
    assert resp.status_code == 400


def test_settings_decide_the_required_details(part, open_consultation, client):
    from disclosure.extensions import db
    from disclosure.participation.operations import comments as cops
    from disclosure.participation.operations import consultations as ops

    ops.save_settings(
        part.agency, {"require_name": True, "require_email": True, "require_id_number": True}, actor=part.admin
    )
    with pytest.raises(FieldErrors) as err:
        cops.submit_comment(open_consultation, {"body": "意见"}, user=None)
    assert {"name", "email", "id_number"} <= set(err.value.errors)
    with pytest.raises(FieldErrors) as err:
        cops.submit_comment(
            open_consultation,
            {"body": "意见", "name": "甲", "email": "a@example.cn", "id_number": "110105194912310021"},
            user=None,
        )
    assert set(err.value.errors) == {"id_number"}
    ops.save_settings(part.agency, {"require_account": True}, actor=part.admin)
    db.session.commit()
    with pytest.raises(DomainError):
        cops.submit_comment(open_consultation, {"body": "意见"}, user=None)


def test_staff_enter_a_posted_comment_with_its_channel_and_date(part, open_consultation, client, login):
    from disclosure.core.timeutil import today_china
    from disclosure.participation.models import Comment

    login(client, part.editor)
    page = client.get(f"/staff/participation/{open_consultation.id}/comments/new").get_data(as_text=True)
    key = re.search(r'id="submission_key" name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {
        "submission_key": key,
        "channel": "post",
        "received_on": today_china().isoformat(),
        "article": "0",
        "body": "来信意见：建议增加过渡期。",
        "submitter_type": "enterprise",
    }
    assert client.post(f"/staff/participation/{open_consultation.id}/comments/new", data=data).status_code == 302
    cm = Comment.query.one()
    assert (cm.channel, cm.received_on, cm.entered_by_id) == ("post", today_china(), part.editor.id)


def _answer_all_and_publish(part, c):
    from disclosure.extensions import db
    from disclosure.participation.models import Comment
    from disclosure.participation.operations import comments as cops
    from disclosure.participation.operations import consultations as ops

    comments = Comment.query.order_by(Comment.id).all()
    group = cops.create_group(c, "关于禁烟范围的意见", actor=part.editor)
    cops.set_group(comments[0], group, actor=part.editor)
    cops.answer_group(group, "partly", "室外排队区域纳入，其他室外区域不纳入。", actor=part.editor)
    with pytest.raises(DomainError):
        cops.answer_comment(comments[1], "not_adopted", "", actor=part.editor)
    cops.answer_comment(comments[1], "not_adopted", "与上位法不一致。", actor=part.editor)
    cops.mark_duplicate(comments[2], comments[1].number, actor=part.editor)
    db.session.commit()
    ops.act(c, "draft_feedback", actor=part.editor)
    ops.act(c, "approve_feedback", actor=part.head)
    db.session.commit()
    return comments


def test_answers_are_hidden_until_the_feedback_is_published_then_all_visible(
    part, open_consultation, client, smtp_server
):
    from disclosure.core.outbox import deliver_due
    from disclosure.extensions import db
    from disclosure.participation.operations import comments as cops
    from disclosure.participation.operations import consultations as ops
    from disclosure.participation.operations import feedback as fops

    _english(client)
    c = open_consultation
    keys = []
    for body, email in (
        ("建议扩大禁烟范围。", "a@example.cn"),
        ("建议删除第四条。", "b@example.cn"),
        ("建议删除第四条。", ""),
    ):
        cm, _ = cops.submit_comment(c, {"body": body, "name": "甲", "email": email, "article": "4"}, user=None)
        cops.set_moderation(cm, "published", actor=part.editor)
        keys.append(cm.access_key)
    db.session.commit()
    close_now(c)
    with pytest.raises(DomainError):
        ops.act(c, "draft_feedback", actor=part.editor)  # not every comment has an answer
    _answer_all_and_publish(part, c)
    for key in keys:
        assert "与上位法不一致" not in client.get(f"/participation/comments/{key}").get_data(as_text=True)
    page = client.get(f"/participation/c/{c.id}").get_data(as_text=True)
    assert "与上位法不一致" not in page and "室外排队区域纳入" not in page
    smtp_server.clear()
    fops.publish_feedback(c, actor=part.head)
    db.session.commit()
    deliver_due()
    assert c.state == "feedback_published" and c.feedback_entry_id
    page = client.get(f"/participation/c/{c.id}").get_data(as_text=True)
    assert "与上位法不一致" in page and "室外排队区域纳入" in page and "Adoption feedback" in page
    assert "与上位法不一致" in client.get(f"/participation/comments/{keys[2]}").get_data(as_text=True)  # duplicate
    assert "室外排队区域纳入" in client.get(f"/participation/comments/{keys[0]}").get_data(as_text=True)
    assert {m["To"] for m in smtp_server.messages} == {"a@example.cn", "b@example.cn"}
    from disclosure.catalog import models as catalog_models

    entry = db.session.get(catalog_models.Entry, c.feedback_entry_id)
    assert entry.state == "published" and "采纳情况" in entry.title
    entry_page = client.get(f"/catalog/entries/{entry.index_number}").get_data(as_text=True)
    assert "与上位法不一致" in entry_page and "甲" not in entry_page.split("<main", 1)[-1]
    with pytest.raises(DomainError):
        cops.answer_comment(cops.by_access_key(keys[0]), "adopted", "", actor=part.editor)
    ops.act(c, "conclude", actor=part.editor, final_entry_id=entry.id)
    assert c.state == "concluded"


def test_no_commenter_detail_on_any_public_page_feed_or_export(part, open_consultation, client, login):
    from disclosure.extensions import db
    from disclosure.participation.models import Comment
    from disclosure.participation.operations import comments as cops
    from disclosure.participation.operations import feedback as fops

    c = open_consultation
    client.post(f"/participation/c/{c.id}/comment", data=_form(client, c))
    cm = Comment.query.one()
    cops.set_moderation(cm, "published", actor=part.editor)
    db.session.commit()
    close_now(c)
    _answer_all_and_publish_single(part, c, cm)
    fops.publish_feedback(c, actor=part.head)
    fops.save_matter(part.agency, {"year": 2026, "title": "控烟办法制定"}, actor=part.editor)
    db.session.commit()
    secrets = ("王小明", "wang@example.cn", "13800000000", ID_NUMBER, "110105")
    urls = [
        "/participation/",
        "/participation/closed",
        f"/participation/a/{part.agency.slug}/",
        "/participation/matters",
        f"/participation/c/{c.id}",
        f"/participation/comments/{cm.access_key}",
        "/participation/feed.atom",
    ]
    from disclosure.catalog import models as catalog_models

    entry = db.session.get(catalog_models.Entry, c.feedback_entry_id)
    urls.append(f"/catalog/entries/{entry.index_number}")
    for url in urls:
        text = client.get(url).get_data(as_text=True)
        for secret in secrets:
            assert secret not in text, (url, secret)
    login(client, part.editor)
    staff_list = client.get(f"/staff/participation/{c.id}/comments").get_data(as_text=True)
    assert "110105********002X" in staff_list and ID_NUMBER not in staff_list
    data = client.get(f"/staff/participation/{c.id}/export.xlsx").data
    cells = [str(v) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for v in row if v]
    assert not any(secret in cell for cell in cells for secret in secrets)
    assert "第三条" in cells and "部分采纳" in cells


def _answer_all_and_publish_single(part, c, cm):
    from disclosure.extensions import db
    from disclosure.participation.operations import comments as cops
    from disclosure.participation.operations import consultations as ops

    cops.answer_comment(cm, "partly", "部分采纳。", actor=part.editor)
    ops.act(c, "draft_feedback", actor=part.editor)
    ops.act(c, "approve_feedback", actor=part.head)
    db.session.commit()


def test_export_neutralises_formulas(part, open_consultation):
    from disclosure.participation.export import comments_xlsx
    from disclosure.participation.operations import comments as cops

    cops.submit_comment(open_consultation, {"body": '=HYPERLINK("http://evil","x")', "name": "甲"}, user=None)
    ws = load_workbook(io.BytesIO(comments_xlsx(open_consultation))).active
    body = next(row[6] for row in ws.iter_rows(min_row=2, values_only=True))
    assert body.startswith("'=")


def test_other_agencies_staff_get_404(part, open_consultation, client, login, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.participation.operations import comments as cops

    cm, _ = cops.submit_comment(open_consultation, {"body": "意见", "name": "甲"}, user=None)
    from disclosure.extensions import db

    db.session.commit()
    outsider = make_staff(part.other, [Role.OFFICE_HEAD, Role.CATALOG_EDITOR])
    login(client, outsider)
    base = f"/staff/participation/{open_consultation.id}"
    for url in (base, f"{base}/comments", f"{base}/export.xlsx", f"{base}/comments/{cm.id}", f"{base}/edit"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/act/withdraw", data={"reason": "x"}).status_code == 404


def test_figures_for_the_annual_report(part, open_consultation):
    from disclosure.participation import participation_figures
    from disclosure.participation.operations import comments as cops

    cops.submit_comment(open_consultation, {"body": "意见", "name": "甲"}, user=None)
    year = open_consultation.opened_at.year
    figures = participation_figures(part.agency.id, year)
    assert figures["consultations_held"] == 1 and figures["comments_received"] == 1
    assert figures["adopted"] == 0 and participation_figures(part.other.id, year)["comments_received"] == 0


def test_floods_are_rate_limited_with_a_clear_message(part, open_consultation, app):
    from disclosure import create_app
    from disclosure.extensions import db, limiter

    limited = create_app({**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
    try:
        client = limited.test_client()
        _english(client)
        statuses = []
        for i in range(11):
            form = _form(client, open_consultation, body=f"意见{i}")
            statuses.append(client.post(f"/participation/c/{open_consultation.id}/comment", data=form).status_code)
        assert statuses[:10] == [302] * 10
        assert statuses[10] == 429
        resp = client.post(f"/participation/c/{open_consultation.id}/comment", data=_form(client, open_consultation))
        assert resp.status_code == 429 and "Too many attempts" in resp.get_data(as_text=True)
    finally:
        limiter.reset()
        limiter.enabled = app.config["RATELIMIT_ENABLED"]  # the extension object is shared by both apps
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()
