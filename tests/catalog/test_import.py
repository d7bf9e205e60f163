# ruff: noqa: E501 - rows of Chinese test data read best on one line
"""Import of an existing catalogue (issue 11 §6): good files, every kind of bad row, re-imports, attachments from a
ZIP, hostile files, the command and the staff pages with the job."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

HEADER = ["索引号", "标题", "发文机关", "发文字号", "成文日期", "发布日期", "主题分类", "体裁分类", "文件类型", "公开方式",
          "有效性", "废止日期", "内容概述", "正文", "附件"]  # fmt: skip


def row(**kw):
    values = {
        "索引号": "",
        "标题": "关于做好2016年政务公开工作的通知",
        "发文机关": "",
        "发文字号": "钟政办发〔2016〕31号",
        "成文日期": dt.date(2016, 7, 29),
        "发布日期": "2016-07-30",
        "主题分类": "综合政务/政务公开",
        "体裁分类": "通知",
        "文件类型": "其他",
        "公开方式": "主动公开",
        "有效性": "",
        "废止日期": "",
        "内容概述": "部署政务公开工作。",
        "正文": "各单位：\n现将有关事项通知如下。",
        "附件": "",
    }
    values.update(kw)
    return [values[h] for h in HEADER]


def xlsx(*rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_bytes(text="test") -> bytes:
    body = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def run_import(cat):
    from disclosure.catalog.importer import start_import
    from disclosure.catalog.models import CatalogImport
    from disclosure.extensions import db

    def run(data, files=None, user=None, agency=None, locale="en"):
        job = start_import(
            agency or cat.agency,
            user,
            data=data,
            filename="目录.xlsx",
            files=files,
            files_name="附件.zip",
            locale=locale,
        )
        db.session.commit()
        return db.session.get(CatalogImport, job.id)

    return run


def entries(agency):
    from disclosure.catalog.models import Entry
    from disclosure.extensions import db

    return db.session.execute(select(Entry).where(Entry.agency_id == agency.id).order_by(Entry.id)).scalars().all()


def test_good_file_publishes_proactive_and_records_the_rest(cat, run_import):
    from disclosure.catalog.importer import IMPORTED_REASON

    data = xlsx(
        row(索引号="014119467/2016-00076"),
        row(标题="某项目审批材料", 发文字号="", 公开方式="依申请公开", 主题分类="政务公开"),
        row(标题="内部会议纪要", 发文字号="", 公开方式="不予公开", 成文日期="2016年8月1日", 发布日期="2016/8/2"),
    )
    job = run_import(data)
    assert (job.status, job.created_count, job.error_count) == ("done", 3, 0), job.errors_preview
    first, on_request, withheld = entries(cat.agency)
    assert first.state == "published" and first.is_public
    assert first.index_number == "014119467/2016-00076"
    assert first.published_on == first.first_published_on == dt.date(2016, 7, 30)
    assert first.published_version.published_on == dt.date(2016, 7, 30)
    assert first.published_version.body_html == "<p>各单位：</p><p>现将有关事项通知如下。</p>"
    assert first.theme.path == "综合政务/政务公开" and first.genre.name == "通知"
    assert first.source == "import" and first.search_text
    assert on_request.state == withheld.state == "recorded"
    assert not on_request.is_public and on_request.search_text == ""
    assert (withheld.attribute, withheld.attribute_basis, withheld.attribute_reason) == (
        "not_disclosed",
        "other",
        IMPORTED_REASON,
    )
    assert on_request.index_number and on_request.index_number.endswith("/2016-00001")
    actions = [e.action for e in first.audit_events()]
    assert actions == ["catalog.import_published"]
    assert [e.action for e in withheld.audit_events()] == ["catalog.import_recorded"]
    assert [e.action for e in job.audit_events()] == ["catalog.import.start", "catalog.import.done"]


def test_validity_and_joint_issuers(cat, run_import):
    data = xlsx(
        row(
            文件类型="行政规范性文件",
            有效性="废止",
            废止日期="2020-01-01",
            发文机关=f"{cat.agency.full_name}；{cat.other.full_name}",
        ),
        row(标题="某暂行办法", 发文字号="钟政规〔2017〕2号", 文件类型="规章", 有效性="失效", 废止日期="2019-12-31"),
        row(标题="某有效办法", 发文字号="钟政规〔2018〕3号", 文件类型="行政规范性文件"),
    )
    job = run_import(data)
    assert job.created_count == 3, job.errors_preview
    repealed, expired, valid = entries(cat.agency)
    assert (repealed.validity, repealed.validity_since) == ("repealed", dt.date(2020, 1, 1))
    assert repealed.category == "art20_1"
    assert [(i.agency_id, i.lead) for i in repealed.issuers] == [(cat.agency.id, True), (cat.other.id, False)]
    assert repealed.published_version.metadata_json["issuers"] == [cat.agency.full_name, cat.other.full_name]
    assert (expired.validity, valid.validity, valid.validity_since) == ("expired", "valid", dt.date(2016, 7, 30))
    from disclosure.catalog.models import ValidityEvent
    from disclosure.extensions import db

    events = db.session.execute(
        select(ValidityEvent.change, ValidityEvent.validity, ValidityEvent.effective_on)
        .where(ValidityEvent.entry_id == repealed.id)
        .order_by(ValidityEvent.id)
    ).all()
    assert events == [("imported", "valid", dt.date(2016, 7, 30)), ("imported", "repealed", dt.date(2020, 1, 1))]


BAD_ROWS = [
    (dict(标题=""), "标题", "Enter the title."),
    (dict(成文日期="yesterday"), "成文日期", "Enter a date as YYYY-MM-DD."),
    (dict(发布日期=""), "发布日期", "Enter the date the information was published (发布日期)."),
    (dict(发布日期="2016-07-01"), "发布日期", "The information cannot be published before it was made."),
    (dict(主题分类="不存在/的主题"), "主题分类", "Unknown theme 不存在/的主题: use a theme of the list (一级/二级)."),
    (dict(体裁分类="诗歌"), "体裁分类", "Unknown genre 诗歌: use a genre of the list."),
    (dict(文件类型="法律"), "文件类型", "Write 规章, 行政规范性文件 or 其他."),
    (dict(公开方式="部分公开"), "公开方式", "Write 主动公开, 依申请公开 or 不予公开."),
    (dict(有效性="作废"), "有效性", "Write 有效, 失效 or 废止."),
    (dict(有效性="废止"), "废止日期", "Enter the date the document stopped being valid (废止日期)."),
    (
        dict(有效性="有效", 废止日期="2020-01-01"),
        "废止日期",
        "Only a document that is 失效 or 废止 has this date; empty it or set 有效性.",
    ),
    (
        dict(发文机关="不存在的机关"),
        "发文机关",
        "不存在的机关 is not an agency of this system: write each issuer's full name.",
    ),
    (dict(索引号="索引号？"), "索引号", "This is not an index number (e.g. 014119467/2016-00076)."),
    (dict(附件="a.pdf"), "附件", "The row names attachments, but no ZIP of attachments was given."),
]


@pytest.mark.parametrize(("changes", "column", "message"), BAD_ROWS)
def test_every_bad_row_is_reported_by_row_and_column(cat, run_import, changes, column, message):
    job = run_import(xlsx(row(标题="好的一行", 发文字号="好〔2016〕1号"), row(**changes)))
    assert job.created_count == 1
    assert job.error_count == 1
    assert [3, column, message] in job.errors_preview
    assert len(entries(cat.agency)) == 1  # nothing of the bad row was written


def test_ambiguous_second_level_theme(cat, run_import):
    from disclosure.catalog.models import Theme
    from disclosure.extensions import db

    parent = db.session.execute(select(Theme).where(Theme.name == "综合政务")).scalar_one()
    db.session.add(Theme(parent_id=parent.id, name="统计", position=99))
    db.session.commit()
    job = run_import(xlsx(row(主题分类="统计"), row(标题="二", 发文字号="", 主题分类="综合政务/统计")))
    assert job.created_count == 1
    assert job.errors_preview == [
        [2, "主题分类", "The theme 统计 exists under several first levels: write it as 一级/二级."]
    ]


def test_every_problem_of_a_row_at_once(cat, run_import):
    job = run_import(xlsx(row(标题="", 体裁分类="诗歌", 成文日期="")), locale="zh_CN")
    assert {c for _r, c, _m in job.errors_preview} == {"标题", "体裁分类", "成文日期"}
    assert job.error_count == 1


def test_duplicates_in_file_and_catalogue(cat, run_import, publish_entry):
    publish_entry(document_number="钟政办发〔2016〕9号")
    job = run_import(
        xlsx(
            row(),
            row(标题="另一个", 发文字号="钟政办发[2016]31号"),
            row(标题="第三个", 发文字号="钟政办发(2016)9号"),
        )
    )
    assert job.created_count == 1
    found = {(r, c) for r, c, _m in job.errors_preview}
    assert found == {(3, "发文字号"), (4, "发文字号")}


def test_reimport_updates_instead_of_duplicating(cat, run_import):
    first = run_import(xlsx(row(), row(标题="无文号", 发文字号="")))
    assert first.created_count == 2
    again = run_import(xlsx(row(), row(标题="无文号", 发文字号="")))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    changed = run_import(xlsx(row(内容概述="更正后的概述。", 发布日期="2016-08-01"), row(标题="无文号", 发文字号="")))
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (0, 1, 1)
    entry = entries(cat.agency)[0]
    assert len(entries(cat.agency)) == 2
    assert entry.revision == 2 and entry.summary == "更正后的概述。"
    assert entry.published_version.published_on == dt.date(2016, 8, 1)
    assert entry.published_version.metadata_json["summary"] == "更正后的概述。"
    assert "catalog.import_update" in [e.action for e in entry.audit_events()]
    refused = run_import(xlsx(row(公开方式="不予公开")))
    assert refused.errors_preview == [
        [2, "公开方式", "An entry's disclosure attribute is changed on its page, not by an import."]
    ]


def test_zip_attachments_checked_and_text_extracted(cat, run_import):
    from disclosure.catalog.models import EntryAttachment
    from disclosure.extensions import db

    files = zip_of({"docs/通知.pdf": pdf_bytes("hello"), "fake.pdf": b"<html><script>1</script></html>"})
    job = run_import(
        xlsx(row(附件="通知.pdf"), row(标题="坏附件", 发文字号="", 附件="fake.pdf；missing.pdf")), files=files
    )
    assert job.status == "done" and job.created_count == 1
    messages = [m for _r, c, m in job.errors_preview if c == "附件"]
    assert len(messages) == 2 and any("missing.pdf" in m for m in messages)
    entry = entries(cat.agency)[0]
    attachment = db.session.execute(select(EntryAttachment).where(EntryAttachment.entry_id == entry.id)).scalar_one()
    assert (attachment.kind, attachment.title) == ("pdf", "通知")
    assert entry.published_version.attachment_ids == [attachment.id]
    assert attachment.text_status in ("done", "failed")  # read in the worker (huey runs tasks at once in tests)


def test_hostile_files_refused(cat, run_import):
    from disclosure.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        run_import(b"%PDF-1.4 not a sheet\x00")
    assert exc.value.field == "file"
    with pytest.raises(DomainError) as exc:
        run_import(xlsx(row()), files=b"not a zip")
    assert exc.value.field == "files"
    with pytest.raises(DomainError) as exc:
        run_import(xlsx(header=["x", "y", "z"]))
    assert "No header row found" in str(exc.value.message)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024))
    job = run_import(xlsx(row(附件="bomb.pdf")), files=bomb.getvalue())
    assert job.created_count == 0 and "compressed suspiciously well" in job.errors_preview[0][2]
    from disclosure.catalog.models import Entry
    from disclosure.extensions import db

    assert db.session.execute(select(func.count()).select_from(Entry)).scalar_one() == 0


def test_error_file_lists_refused_rows(cat, run_import):
    from disclosure.core.storage import StoredFile
    from disclosure.extensions import db

    job = run_import(xlsx(row(), row(标题="")))
    wb = load_workbook(io.BytesIO(db.session.get(StoredFile, job.error_file_id).read_bytes()))
    sheet = wb["待修正数据"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("原行号", "错误原因")
    assert rows[1][-2] == 3 and "标题" in rows[1][-1]


def test_template_has_notes_and_lists(cat, client, login):
    login(client, cat.editor)
    resp = client.get("/staff/catalog/import/template.xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][:15] == HEADER
    assert ws["B1"].comment is not None
    assert ws.data_validations.dataValidation
    assert wb["代码表"].sheet_state == "hidden"


def test_cli_import(cat, app, tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(xlsx(row(), row(标题="")))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["catalog", "import", str(path), "--agency", cat.agency.slug, "--locale", "en"])
    assert result.exit_code == 1, result.output
    assert "created 1" in result.output and "row 3 标题: Enter the title." in result.output
    result = runner.invoke(args=["catalog", "import", str(path), "--agency", "nobody"])
    assert result.exit_code == 2 and "no agency" in result.output


def test_staff_page_job_and_progress(cat, client, login):
    from disclosure.catalog.models import CatalogImport
    from disclosure.extensions import db

    login(client, cat.editor)
    with client.session_transaction() as s:
        s["lang"] = "en"
    assert client.get("/staff/catalog/import").status_code == 200
    resp = client.post(
        "/staff/catalog/import",
        data={
            "file": (io.BytesIO(xlsx(row())), "目录.xlsx"),
            "files": (io.BytesIO(zip_of({"a.pdf": pdf_bytes()})), "f.zip"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    job = db.session.execute(select(CatalogImport)).scalar_one()
    page = client.get(resp.headers["Location"])
    assert page.status_code == 200 and "job-progress" in page.get_data(as_text=True)
    status = client.get(f"/staff/catalog/import/{job.id}/status.json").get_json()
    assert status["done"] and status["created"] == 1 and status["percent"] == 100
    bad = client.post(
        "/staff/catalog/import", data={"file": (io.BytesIO(b"\x00\x01"), "x.xlsx")}, content_type="multipart/form-data"
    )
    assert bad.status_code == 400 and "not a spreadsheet" in bad.get_data(as_text=True)


def test_reviewers_may_not_import(cat, client, login):
    login(client, cat.secrecy)
    assert client.get("/staff/catalog/import").status_code == 403


def test_other_agency_cannot_see_job(cat, client, login, run_import, make_staff):
    from disclosure.accounts.roles import Role

    job = run_import(xlsx(row()))
    outsider = make_staff(cat.other, [Role.CATALOG_EDITOR])
    login(client, outsider)
    assert client.get(f"/staff/catalog/import/{job.id}").status_code == 404
