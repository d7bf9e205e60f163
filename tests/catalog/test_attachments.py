"""An entry's files: uploaded on a draft and judged by content, described, reordered, removed (never deleted),
downloaded by staff, and their text read in the worker for the search."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from disclosure.accounts.roles import Role
from disclosure.catalog import tasks
from disclosure.catalog.models import Entry, EntryAttachment
from disclosure.catalog.operations import attachments as att_ops
from disclosure.catalog.operations import entries as ops
from disclosure.core.storage import StoredFile
from disclosure.extensions import db
from tests.catalog.conftest import entry_input
from tests.core.test_documents import make_docx, make_zip


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>关于印发政府信息公开办法的通知</p><p>附件专用词汇甲乙丙</p>").write_pdf()


@pytest.fixture
def draft(cat):
    entry = ops.create_entry(cat.agency, entry_input(), actor=cat.editor)
    db.session.commit()
    return entry


def _upload(client, entry, files, **fields):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], **fields}
    return client.post(f"/staff/catalog/entries/{entry.id}/attachments", data=data, content_type="multipart/form-data")


def _attachments(entry_id):
    db.session.expire_all()
    return list(
        db.session.execute(
            db.select(EntryAttachment).where(EntryAttachment.entry_id == entry_id).order_by(EntryAttachment.id)
        ).scalars()
    )


def test_upload_several_files_and_their_text_is_read_after_the_commit(cat, en, use, draft, pdf):
    use(cat.editor)
    docx = make_docx("第一条 为了规范政府信息公开工作", "第二条 本办法自印发之日起施行")
    resp = _upload(en, draft, [("办法全文.pdf", pdf), ("办法文字版.docx", docx)], role="text")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    rows = _attachments(draft.id)
    assert [(a.kind, a.role, a.position) for a in rows] == [("pdf", "text", 0), ("docx", "text", 1)]
    # the worker read both after the request committed (huey runs tasks at once in tests)
    assert [a.text_status for a in rows] == ["done", "done"]
    assert "附件专用词汇" in rows[0].text and "第二条" in rows[1].text
    assert rows[0].title == "办法全文"
    page = en.get(f"/staff/catalog/entries/{draft.id}").get_data(as_text=True)
    assert "办法全文" in page and 'data-text-status="done"' in page
    events = [e.action for e in db.session.get(Entry, draft.id).audit_events()]
    assert "catalog.attachment_add" in events


def test_hostile_and_oversized_uploads_are_refused_all_at_once(cat, en, use, draft, pdf, app):
    use(cat.editor)
    polyglot = pdf + make_zip({"evil.html": b"<script>alert(1)</script>"})
    macro = make_zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00" * 64,
        }
    )
    files = [
        ("fine.pdf", pdf),
        ("evil.pdf", polyglot),
        ("run.exe", b"MZ\x90\x00" + b"\x00" * 200),
        ("renamed.docx", pdf),
        ("macro.docx", macro),
        ("empty.pdf", b""),
    ]
    resp = _upload(en, draft, files)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    for name in ("evil.pdf", "run.exe", "renamed.docx", "macro.docx", "empty.pdf"):
        assert name in html, name
    assert 'id="files-error"' in html
    assert _attachments(draft.id) == []  # all or none: the good file waits for the others
    assert db.session.execute(db.select(StoredFile)).first() is None
    app.config["CATALOG_MAX_ATTACHMENT_BYTES"] = 1024
    try:
        resp = _upload(en, draft, [("big.pdf", pdf)])
    finally:
        app.config["CATALOG_MAX_ATTACHMENT_BYTES"] = 30 * 1024 * 1024
    assert resp.status_code == 400 and "larger than" in resp.get_data(as_text=True), re.sub(
        r"<[^>]+>|\s+", " ", resp.get_data(as_text=True)
    )[-1500:]
    assert _upload(en, draft, []).status_code == 400


def test_description_errors_beside_their_fields(cat, en, use, draft, pdf):
    use(cat.editor)
    resp = _upload(en, draft, [("a.pdf", pdf)], role="media", position="-3", title="x" * 201)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    for field in ("role", "position", "title"):
        assert f'id="{field}-error"' in html, field  # media is for interpretations only


def test_change_remove_and_download(cat, en, use, draft, pdf):
    use(cat.editor)
    _upload(en, draft, [("a.pdf", pdf), ("b.pdf", pdf)])
    first, _second = _attachments(draft.id)
    url = f"/staff/catalog/entries/{draft.id}/attachments/{first.id}"
    resp = en.post(
        url, data={f"att{first.id}-title": "", f"att{first.id}-role": "original", f"att{first.id}-position": "x"}
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert f'id="att{first.id}-title-error"' in html and f'id="att{first.id}-position-error"' in html
    ok = {f"att{first.id}-title": "全真版", f"att{first.id}-role": "original", f"att{first.id}-position": "5"}
    assert en.post(url, data=ok).status_code == 302
    assert en.post(f"{url}/remove").status_code == 302
    rows = _attachments(draft.id)
    assert rows[0].removed_at is not None and rows[0].title == "全真版" and rows[0].role == "original"
    assert db.session.get(Entry, draft.id).live_attachments() == [rows[1]]
    download = en.get(f"{url}/download")  # removed files stay downloadable for staff
    assert download.status_code == 200 and download.data == pdf
    assert "filename*=UTF-8''a.pdf" in download.headers["Content-Disposition"]
    assert en.post(f"{url}/remove").status_code == 400  # removed already


def test_who_may_upload(cat, en, use, draft, pdf, make_staff):
    for user in (cat.registrar, cat.secrecy, cat.legal, cat.admin):
        use(user)
        assert _upload(en, draft, [("a.pdf", pdf)]).status_code == 403
    other_editor = make_staff(cat.other, [Role.CATALOG_EDITOR])
    use(other_editor)
    assert _upload(en, draft, [("a.pdf", pdf)]).status_code == 404
    assert en.get(f"/staff/catalog/entries/{draft.id}/attachments/1/download").status_code == 404
    use(cat.editor)
    ops.act(db.session.get(Entry, draft.id), "submit", actor=cat.editor)
    db.session.commit()
    resp = _upload(en, draft, [("a.pdf", pdf)])
    assert resp.status_code == 400 and "while the entry is a draft" in resp.get_data(as_text=True)


def test_extraction_in_the_worker_refreshes_the_public_search_text(cat, draft, pdf, take_to):
    """The task itself, called as the worker calls it, after the entry was published with a file not read yet."""
    att = att_ops.add_attachments(draft, [att_ops.Upload(pdf, "通知.pdf")], {}, actor=cat.editor)[0]
    db.session.commit()  # no request: nothing was handed to the worker yet
    assert att_ops.ready_extractions() == [att.id]
    entry = take_to(db.session.get(Entry, draft.id), "published")
    db.session.commit()
    version_before = entry.version
    assert "附件" not in (entry.search_text or "")
    assert tasks.extract_attachment_text.call_local(att.id) == "done"
    db.session.expire_all()
    entry = db.session.get(Entry, draft.id)
    assert "附件" in entry.search_text  # the attachment's words are searchable now
    assert entry.version == version_before  # reading a file is not an edit
    assert tasks.extract_attachment_text.call_local(att.id) is None  # done once


def test_unreadable_text_is_marked_and_the_file_stays(cat, draft, pdf, monkeypatch):
    monkeypatch.setattr(att_ops, "extract_text", lambda data, kind, **kw: None)  # a file that hangs the reader
    att = att_ops.add_attachments(draft, [att_ops.Upload(pdf, "坏.pdf")], {}, actor=cat.editor)[0]
    db.session.commit()
    assert tasks.extract_attachment_text.call_local(att.id) == "failed"
    db.session.expire_all()
    assert db.session.get(EntryAttachment, att.id).text_status == "failed"


def test_images_need_no_reading(cat, draft):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, "PNG")
    att = att_ops.add_attachments(draft, [att_ops.Upload(out.getvalue(), "图解.png")], {}, actor=cat.editor)[0]
    db.session.commit()
    assert att.text_status == "none" and att_ops.ready_extractions() == []


def test_files_the_worker_missed_are_read_by_the_periodic_job(cat, draft, pdf):
    att = att_ops.add_attachments(draft, [att_ops.Upload(pdf, "漏读.pdf")], {}, actor=cat.editor)[0]
    db.session.commit()
    att_ops.ready_extractions()  # the hand-over after the commit was lost (the queue was down)
    assert tasks.extract_pending_texts.call_local() == 0  # too recent: its own job may still be coming
    att.created_at = att.created_at - dt.timedelta(minutes=11)
    db.session.commit()
    assert tasks.extract_pending_texts.call_local() == 1
    db.session.expire_all()
    assert db.session.get(EntryAttachment, att.id).text_status == "done"
