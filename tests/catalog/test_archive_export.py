"""The Art. 25 export for archives and libraries: a ZIP of the published files with an XLSX of their metadata."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from disclosure.catalog.models import EntryAttachment
from disclosure.catalog.operations import entries as ops
from disclosure.core.spreadsheets import cell_text
from disclosure.core.storage import store
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db


def _with_attachment(cat, entry):
    stored = store(
        b"%PDF-1.4 body", original_name="附件/1.pdf", content_type="application/pdf", agency_id=cat.agency.id
    )
    db.session.flush()
    att = EntryAttachment(entry_id=entry.id, file_id=stored.id, kind="pdf", title="附件", created_at=utcnow())
    db.session.add(att)
    db.session.flush()
    ops.act(entry, "revise", actor=cat.editor)
    for trigger, who in (
        ("submit", cat.editor),
        ("confirm_attribute", cat.registrar),
        ("pass_secrecy", cat.secrecy),
        ("publish", cat.head),
    ):
        ops.act(entry, trigger, actor=who)
    db.session.commit()


def test_export_zip_holds_files_and_a_neutralised_catalogue(cat, client, login, publish_entry):
    entry = publish_entry(title='=HYPERLINK("http://evil")', summary="@SUM(A1)")
    _with_attachment(cat, entry)
    hidden = publish_entry(
        attribute="not_disclosed",
        attribute_basis="other",
        attribute_reason="内部",
        title="内部文件",
        document_number="",
    )
    login(client, cat.editor)
    today = today_china().isoformat()
    resp = client.get(f"/staff/catalog/export?start=2026-01-01&end={today}")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    names = zf.namelist()
    assert "目录.xlsx" in names
    files = [n for n in names if n.startswith("附件/")]
    assert len(files) == 1 and zf.read(files[0]) == b"%PDF-1.4 body" and ".." not in files[0]
    ws = load_workbook(io.BytesIO(zf.read("目录.xlsx"))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "索引号" and len(rows) == 2
    assert rows[1][0] == entry.index_number
    assert rows[1][1] == '\'=HYPERLINK("http://evil")' and rows[1][10] == "'@SUM(A1)"
    assert hidden.index_number not in str(rows)


def test_export_input_and_access(cat, client, login):
    login(client, cat.editor)
    with client.session_transaction() as s:
        s["lang"] = "en"
    assert client.get("/staff/catalog/export").status_code == 200
    bad = client.get("/staff/catalog/export?start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 422 and "cannot end before it starts" in bad.get_data(as_text=True)
    assert client.get("/staff/catalog/export?start=x&end=").status_code == 422


def test_other_agencies_staff_export_only_their_own(cat, client, login, make_staff, publish_entry):
    from disclosure.accounts.roles import Role

    entry = publish_entry()
    outsider = make_staff(cat.other, [Role.CATALOG_EDITOR])
    login(client, outsider)
    resp = client.get(f"/staff/catalog/export?start=2026-01-01&end={today_china().isoformat()}")
    assert resp.status_code == 200
    rows = list(load_workbook(io.BytesIO(zipfile.ZipFile(io.BytesIO(resp.data)).read("目录.xlsx"))).active.values)
    assert len(rows) == 1 and entry.index_number not in str(rows)


def test_cell_text():
    assert cell_text("=1+1") == "'=1+1"
    assert cell_text("\t-2") == "'\t-2"
    assert cell_text("普通文本") == "普通文本"
