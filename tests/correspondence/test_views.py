"""Web: public verification (rate limited, reveals nothing on a wrong code), staff pages, downloads with the same
bytes, agency letter settings with a seal upload checked by content, previews, applicant downloads."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.core.audit import events_for
from disclosure.correspondence import _public_address_warning, draft_pdf_response, letters, samples
from disclosure.correspondence.kinds import LetterKind
from disclosure.correspondence.models import Letter, LetterSettings, LetterStatus
from disclosure.extensions import db
from tests.correspondence.conftest import flat, pdf_text


@pytest.fixture
def letter(app, agency):
    with app.test_request_context("/", method="POST"):
        row = letters.issue_letter(
            LetterKind.REPLY, agency, samples.sample_context(LetterKind.REPLY), related=("application", 5)
        )
        db.session.commit()
        return db.session.get(Letter, row.id)


def _png(size=(300, 300), color=(200, 0, 0, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, format="PNG")
    return out.getvalue()


def test_verify_page(client, letter):
    code = letter.verification_code
    resp = client.get("/letters/verify", query_string={"number": letter.number, "code": code[:5] + "-" + code[5:]})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "测试市住房和城乡建设局" in page and letter.sha256 in page and "张**" in page
    assert "张晓明" not in page
    wrong = client.get("/letters/verify", query_string={"number": letter.number, "code": "ZZZZZ-ZZZZZ"})
    unknown = client.get("/letters/verify", query_string={"number": "无此〔2026〕9号", "code": "ZZZZZ-ZZZZZ"})
    for resp in (wrong, unknown):
        body = resp.get_data(as_text=True)
        assert resp.status_code == 200 and letter.sha256 not in body and "测试市住房和城乡建设局" not in body
        # The wrong-code answer is the unknown-number answer: plainly "no such letter", nothing else.
        assert "不存在该文号和验证码对应的文书" in body and "<dl>" not in body


def test_verify_is_rate_limited(database_url, letter):
    """A second application with rate limiting on (the shared test app runs with it off)."""
    from disclosure import create_app
    from disclosure.extensions import limiter

    number, code = letter.number, letter.verification_code
    limited = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    try:
        client = limited.test_client()
        codes = [
            client.get("/letters/verify", query_string={"number": number, "code": "AAAAA-AAAAA"}).status_code
            for _ in range(12)
        ]
        assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
        assert client.get("/letters/verify").status_code == 200  # the empty form is not counted
        # Even the right code is refused while the limit holds: guessing cannot continue.
        assert client.get("/letters/verify", query_string={"number": number, "code": code}).status_code == 429
    finally:
        limiter.reset()
        limiter.enabled = False
        with limited.app_context():
            db.engine.dispose()


def test_staff_download_same_bytes_and_access(client, login, make_staff, make_agency, agency, letter):
    handler = make_staff(agency, roles=[Role.HANDLER])
    login(client, handler)
    first = client.get(f"/staff/letters/{letter.id}.pdf")
    second = client.get(f"/staff/letters/{letter.id}.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == second.data and first.headers["ETag"].strip('"') == letter.sha256
    assert client.get(f"/staff/letters/{letter.id}").status_code == 200
    assert letter.number in client.get("/staff/letters/").get_data(as_text=True)
    client.post("/logout")
    other = make_staff(make_agency(), roles=[Role.HANDLER, Role.OFFICE_HEAD])
    login(client, other)
    assert client.get(f"/staff/letters/{letter.id}.pdf").status_code == 404
    assert client.post(f"/staff/letters/{letter.id}/void", data={"reason": "x"}).status_code == 404


def test_void_through_the_page_needs_office_head(client, login, make_staff, agency, letter):
    handler = make_staff(agency, roles=[Role.HANDLER])
    login(client, handler)
    assert client.post(f"/staff/letters/{letter.id}/void", data={"reason": "写错"}).status_code == 403
    client.post("/logout")
    head = make_staff(agency, roles=[Role.OFFICE_HEAD])
    login(client, head)
    assert client.post(f"/staff/letters/{letter.id}/void", data={"reason": "申请人姓名写错"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Letter, letter.id).status == LetterStatus.VOID


def test_email_and_post_delivery_pages(client, login, make_staff, agency, letter, smtp_server):
    login(client, make_staff(agency, roles=[Role.REGISTRAR]))
    assert client.post(f"/staff/letters/{letter.id}/email", data={"to": "zhang@example.cn"}).status_code == 302
    [msg] = smtp_server.to("zhang@example.cn")
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "答复书.pdf"
    resp = client.post(
        f"/staff/letters/{letter.id}/delivery", data={"method": "post", "tracking_number": "", "recipient": "张晓明"}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert [d.method for d in db.session.get(Letter, letter.id).deliveries] == ["email"]  # refused: no number
    client.post(
        f"/staff/letters/{letter.id}/delivery",
        data={"method": "post", "tracking_number": "EMS1234567890", "delivered_on": "2026-03-06"},
    )
    db.session.expire_all()
    assert [d.method for d in db.session.get(Letter, letter.id).deliveries] == ["email", "post"]


def test_settings_form_saves_audits_and_checks_the_seal(client, login, make_staff, agency, app):
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    login(client, admin)
    assert client.get("/admin/letters/settings").status_code == 200
    data = {
        "letterhead": "测试市住房和城乡建设局",
        "signatory": "测试市住房和城乡建设局（政府信息公开专用章）",
        "contact_block": "联系人：李四\n电话：0571-12345678",
        "reconsideration_body": "测试市人民政府",
        "litigation_court": "测试市西湖区人民法院",
        "prefix_reply": "测建公答",
        "prefix_notice": "",
        "para_reply_closing": "特此答复。如有疑问请与我们联系。",
    }
    bad = client.post(
        "/admin/letters/settings",
        data={**data, "seal": (io.BytesIO(b"<svg onload=x>"), "seal.png")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200 and "PNG" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.execute(db.select(LetterSettings)).scalar_one_or_none() is None  # nothing half-written
    ok = client.post(
        "/admin/letters/settings",
        data={**data, "seal": (io.BytesIO(_png()), "章.png")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    db.session.expire_all()
    row = db.session.execute(db.select(LetterSettings)).scalar_one()
    assert row.seal_file_id and row.paragraphs == {"reply": {"closing": "特此答复。如有疑问请与我们联系。"}}
    from disclosure.accounts.models import Agency

    fresh = db.session.get(Agency, agency.id)
    assert fresh.litigation_court == "测试市西湖区人民法院" and fresh.doc_number_prefixes["reply"] == "测建公答"
    [event] = [e for e in events_for("agency", agency.id) if e.action == "letter_settings.updated"]
    assert event.after["litigation_court"] == "测试市西湖区人民法院"
    # The sample PDF shows the new settings, with the seal image embedded.
    pdf = client.get("/admin/letters/sample/reply.pdf")
    assert pdf.status_code == 200
    text = flat(pdf_text(pdf.data))
    assert "测试市西湖区人民法院" in text and "如有疑问请与我们联系" in text and "联系人：李四" in text
    assert b"/Subtype /Image" in pdf.data or b"/Image" in pdf.data
    html = client.get("/admin/letters/sample/receipt")
    body = html.get_data(as_text=True)
    assert html.status_code == 200 and "/letters/style/receipt.css" in body
    # The preview works under the strict CSP: no inline styles or scripts, the seal as a data: image.
    assert "style=" not in body and "<script" not in body and "<style" not in body
    assert 'src="data:image/png;base64,' in body
    assert "style-src 'self'" in html.headers["Content-Security-Policy"]
    assert client.get("/letters/style/receipt.css").mimetype == "text/css"


def test_settings_need_agency_admin(client, login, make_staff, agency):
    login(client, make_staff(agency, roles=[Role.HANDLER]))
    assert client.get("/admin/letters/settings").status_code == 403


def test_applicant_downloads_own_letters_only(client, login, make_applicant, agency, letter):
    owner = make_applicant()
    stranger = make_applicant()

    def owner_of(_related_type, *, related_id):
        return owner.id if related_id == "5" else None

    with signals.letter_owner.connected_to(owner_of, sender="application"):
        login(client, stranger)
        assert client.get(f"/my/letters/{letter.id}.pdf").status_code == 404
        client.post("/logout")
        login(client, owner)
        resp = client.get(f"/my/letters/{letter.id}.pdf")
        assert resp.status_code == 200 and resp.data == letters.letter_pdf(letter)


def _disposition(header: str) -> tuple[str, str, str]:
    """(disposition, filename as an RFC 6266 parser reads it (filename* wins), the ASCII filename fallback)."""
    import re

    from werkzeug.http import parse_options_header

    disposition, params = parse_options_header(header)
    ascii_name = re.search(r'(?:^|;)\s*filename="([^"]*)"', header).group(1)
    return disposition, params["filename"], ascii_name


def test_download_names_chinese_with_meaningful_ascii_fallback(client, login, make_staff, agency, letter):
    login(client, make_staff(agency, roles=[Role.HANDLER]))
    resp = client.get(f"/staff/letters/{letter.id}.pdf")
    header = resp.headers["Content-Disposition"]
    header.encode("ascii")  # the header itself is plain ASCII
    disposition, name, fallback = _disposition(header)
    assert disposition == "attachment"
    assert name == f"答复书-{letter.number}.pdf" and "〔2026〕" in name
    assert fallback == f"reply-{letter.year}-{letter.serial}.pdf"
    assert "filename*=UTF-8''" in header


def test_draft_pdf_is_inline_with_chinese_name(req, fixed):
    kind = LetterKind.SUPPLEMENTATION_NOTICE
    resp = draft_pdf_response(kind, fixed, samples.sample_context(kind))
    disposition, name, fallback = _disposition(resp.headers["Content-Disposition"])
    assert (disposition, name, fallback) == ("inline", "补正通知书-草稿.pdf", "supplementation-notice-draft.pdf")


def test_administrators_are_warned_while_letters_print_a_local_address(app, monkeypatch, make_staff, agency):
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    handler = make_staff(agency, roles=[Role.HANDLER])
    monkeypatch.setattr(app, "testing", False)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    with app.test_request_context("/"):
        assert "PUBLIC_BASE_URL" in str(_public_address_warning(admin)[0])
        assert _public_address_warning(handler) == []
        monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://gk.example.gov.cn")
        assert _public_address_warning(admin) == []
