"""Issue 10, delivery: an applicant who chose email gets the reply letter and the information provided in one
message (or, over the mail size limit, the letter and a signed download link with its expiry); recording
"delivered by email" points at that message, and queues it when none was queued. Mail is read back from a real
SMTP server on loopback."""

from __future__ import annotations

import re
import time

from flask import current_app
from itsdangerous import TimestampSigner

from disclosure import correspondence as letters_service
from disclosure.applications import operations as ops
from disclosure.applications.operations import delivery
from disclosure.applications.uploads import Upload
from disclosure.core.outbox import deliver_due
from disclosure.extensions import db
from tests.factories import MINI_PDF, application_input, decide_partial, to_in_handling

TO = "zhangsan@example.cn"
BIG = MINI_PDF + b"%" + b"0" * 300_000 + b"\n"


def _issue(world, app, *, big: bool = False):
    """Item 1 granted with the information (titled as the letter lists it), item 2 partly disclosed with its
    redacted version; reviewed and issued."""
    to_in_handling(world, app)
    decide_partial(world, app)
    ops.attach_information(
        app,
        world.handler,
        upload=Upload("scan_0001.pdf", BIG if big else MINI_PDF),
        purpose="provided",
        title="2025年道路维修资金使用情况",
    )
    ops.draft_reply(app, world.handler)
    ops.submit_for_review(app, world.handler)
    ops.review(app, world.head, stage="office", approve=True, comment="")
    ops.review(app, world.legal, stage="legal", approve=True, comment="")
    return ops.issue(app, world.registrar)


def _send():
    db.session.commit()
    deliver_due()


def _reply_mails(smtp_server):
    """The messages to the applicant that carry the reply letter, each as (attachment names, body, message)."""
    out = []
    for m in smtp_server.to(TO):
        names = [p.get_filename() for p in m.iter_attachments()]
        if "答复书.pdf" in names:
            out.append((names, m.get_body(("plain",)).get_content(), m))
    return out


FILES = ["答复书.pdf", "招标文件（删除处理后）.pdf", "2025年道路维修资金使用情况.pdf"]


def test_email_delivery_at_issue_carries_the_files_and_recording_it_sends_nothing_more(world, filed, smtp_server):
    letter = _issue(world, filed)
    _send()
    ((names, body, mail),) = _reply_mails(smtp_server)
    assert sorted(names) == sorted(FILES)
    assert "2025年道路维修资金使用情况.pdf" in body and "一并作为附件" in body
    attached = {p.get_filename(): p.get_content() for p in mail.iter_attachments()}
    assert attached["2025年道路维修资金使用情况.pdf"] == MINI_PDF

    ops.deliver(filed, world.registrar, channel="email")  # recorded on the case page after the issue
    _send()
    assert len(_reply_mails(smtp_server)) == 1  # recorded twice (queued at issue, recorded now): sent once
    (row,) = letter.deliveries
    assert row.outbox_message_id == delivery.queued_reply_email(letter).id
    assert row.method == "email" and row.recipient == TO


def test_recording_email_delivery_queues_the_email_when_none_was(world, smtp_server):
    app = ops.file_online(world.citizen, world.agency, application_input(delivery_channel="post"))
    ops.confirm(app, world.registrar)
    letter = _issue(world, app)
    _send()
    ((names, _, _),) = _reply_mails(smtp_server)
    assert names == ["答复书.pdf"]  # the notice of the issue: post was chosen
    assert delivery.queued_reply_email(letter) is None

    ops.deliver(app, world.registrar, channel="email")
    _send()
    mails = _reply_mails(smtp_server)
    assert len(mails) == 2 and sorted(mails[1][0]) == sorted(FILES)
    (row,) = letter.deliveries
    assert row.outbox_message_id == delivery.queued_reply_email(letter).id


def _link_mail(world, filed, smtp_server, monkeypatch):
    monkeypatch.setitem(current_app.config, "MAIL_MAX_ATTACHMENT_BYTES", 250_000)
    letter = _issue(world, filed, big=True)
    _send()
    ((names, body, _),) = _reply_mails(smtp_server)
    return letter, names, body


def test_over_the_size_limit_the_email_carries_a_link_with_its_expiry(world, filed, smtp_server, client, monkeypatch):
    letter, names, body = _link_mail(world, filed, smtp_server, monkeypatch)
    assert names == ["答复书.pdf"]
    link = re.search(r"http://localhost(/provided-files/\S+)", body).group(1)
    expires = delivery.today_china() + delivery.dt.timedelta(days=30)
    assert f"{expires.year}年{expires.month}月{expires.day}日" in body
    assert "2025年道路维修资金使用情况.pdf" in body

    page = client.get(link)  # no login: a case registered from paper has no account
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "2025年道路维修资金使用情况" in html and "招标文件" in html and letter.number in html
    hrefs = re.findall(r'href="(/provided-files/[^"]+/\d+)"', html)
    assert len(hrefs) == 2
    got = [client.get(h) for h in hrefs]
    assert all(r.status_code == 200 for r in got)
    assert BIG in [r.data for r in got]
    assert "no-store" in got[0].headers["Cache-Control"]

    # a file that is not this case's information provided, through this case's link: not found
    receipt_like = filed.attachments[0].id - 1
    assert client.get(f"{link}/{receipt_like}").status_code == 404
    assert client.get(f"{link}/999999").status_code == 404
    assert client.get(f"{link}/{2**63}").status_code == 404


def test_expired_tampered_and_withdrawn_links_are_refused_with_a_page(world, filed, smtp_server, client, monkeypatch):
    letter = _issue(world, filed)
    db.session.commit()
    token = delivery.files_token(filed, letter)
    assert client.get(f"/provided-files/{token}").status_code == 200

    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 31 * 86400)
        old = delivery.files_token(filed, letter)
    expired = client.get(f"/provided-files/{old}")
    assert expired.status_code == 410 and "此下载链接已过期" in expired.get_data(as_text=True)
    first_file = delivery.provided_files(filed)[0][0].id
    assert client.get(f"/provided-files/{old}/{first_file}").status_code == 410

    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "not-a-token", "%09", "x" * 500):
        resp = client.get(f"/provided-files/{bad}")
        assert resp.status_code == 404 and "此下载链接无效" in resp.get_data(as_text=True)
    assert client.get(f"/provided-files/{tampered}/{first_file}").status_code == 404

    letters_service.void_letter(db.session.get(letters_service.Letter, letter.id), "文号有误", actor=world.head)
    db.session.commit()
    withdrawn = client.get(f"/provided-files/{token}")
    assert withdrawn.status_code == 410 and "已被更正或作废" in withdrawn.get_data(as_text=True)
    assert client.get(f"/provided-files/{token}/{first_file}").status_code == 410


def test_the_reply_emailed_from_the_letter_page_carries_the_files(world, smtp_server, client, login):
    """The letter's own page ("Email the letter") sends the reply to the applicant as the case page does."""
    app = ops.file_online(world.citizen, world.agency, application_input(delivery_channel="post"))
    ops.confirm(app, world.registrar)
    letter = _issue(world, app)
    _send()
    login(client, world.registrar)
    resp = client.post(f"/staff/letters/{letter.id}/email", data={"to": TO})
    assert resp.status_code == 302
    deliver_due()
    mails = _reply_mails(smtp_server)
    assert len(mails) == 2 and sorted(mails[1][0]) == sorted(FILES)
    db.session.expire_all()
    assert app.state == "delivered"
