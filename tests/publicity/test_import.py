"""Bulk import of national-template files: mixed valid and invalid rows, re-import, Chinese headers and field
codes, CSV encodings, and files refused before they are read (not a spreadsheet, truncated, zip bomb, too large)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.publicity import importer
from disclosure.publicity.models import ImportJob, JobStatus, PublicityRecord
from tests.factories import REAL_USCC, crafted_xlsx, error_rows, licensing_raw, penalty_raw, run_import, workbook


def mixed_rows(pub) -> list[dict]:
    return [
        penalty_raw(pub, CF_WSH="罚〔2026〕1号"),
        penalty_raw(pub, CF_WSH="罚〔2026〕2号", CF_XDR_SHXYM="914403001922038217"),  # wrong check character
        penalty_raw(pub, CF_WSH="罚〔2026〕3号", CF_XDR_MC="杭州第三科技有限公司", CF_XDR_SHXYM=REAL_USCC[2]),
        penalty_raw(pub, CF_WSH="罚〔2026〕4号", CF_JDRQ="2026-13-01"),  # not a date
        penalty_raw(pub, CF_WSH="罚〔2026〕1号"),  # repeated decision number
    ]


def test_mixed_file_keeps_valid_rows_and_reports_every_invalid_one(pub, en):
    job = run_import(pub, workbook(mixed_rows(pub)))
    assert job.status == JobStatus.DONE
    assert (job.created_count, job.updated_count, job.unchanged_count, job.error_count) == (2, 0, 0, 3)
    listing, refused = error_rows(job)
    assert [(r[0], r[1]) for r in listing] == [(3, "CF_XDR_SHXYM"), (5, "CF_JDRQ"), (6, "CF_WSH")]
    assert "The check character of the credit code is wrong." in listing[0][3]
    assert listing[2][3] == "The decision number is repeated from row 2."
    # The first sheet holds the refused rows in their own columns, ready to be fixed and imported again.
    assert refused[0][-2:] == ["原行号", "错误原因"] and [r[-2] for r in refused[1:]] == [3, 5, 6]
    assert db.session.query(PublicityRecord).count() == 2


def test_same_file_again_updates_instead_of_duplicating(pub, en):
    rows = [penalty_raw(pub, CF_WSH=f"罚〔2026〕{i}号") for i in range(1, 4)]
    run_import(pub, workbook(rows))
    again = run_import(pub, workbook(rows))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    rows[1]["CF_NR_FK"] = "0.5"
    third = run_import(pub, workbook(rows))
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 1, 2)
    assert db.session.query(PublicityRecord).count() == 3
    changed = db.session.execute(
        db.select(PublicityRecord).where(PublicityRecord.decision_no == "罚〔2026〕2号")
    ).scalar_one()
    from disclosure.core.audit import events_for

    correction = [e for e in events_for("publicity_record", changed.id) if e.action == "publicity.penalty.correct"]
    assert (
        correction
        and Decimal(correction[0].before["fine_amount"]) == Decimal("0.2")
        and Decimal(correction[0].after["fine_amount"]) == Decimal("0.5")
    )


def test_fixed_error_sheet_imports(pub, en):
    """The error file's first sheet, corrected, imports as it is (its extra columns are ignored)."""
    from openpyxl import Workbook

    job = run_import(pub, workbook(mixed_rows(pub)[:2]))
    _listing, refused = error_rows(job)
    header, row = refused[0], refused[1]
    row[header.index("CF_XDR_SHXYM")] = REAL_USCC[1]
    wb = Workbook()
    wb.active.append(header)
    wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    fixed = run_import(pub, buf.getvalue())
    assert (fixed.created_count, fixed.error_count) == (1, 0)


@pytest.mark.parametrize("headers", ["names", "codes"])
def test_chinese_names_or_field_codes_in_the_header(pub, en, headers):
    job = run_import(pub, workbook([licensing_raw(pub)], "licensing", headers=headers), kind="licensing")
    assert (job.created_count, job.error_count) == (1, 0)


def test_title_row_above_the_header_and_unknown_columns(pub, en):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    raw = penalty_raw(pub)
    ws.append(["行政处罚信息公示表（2026年11月）"])
    ws.append([*raw.keys(), "内部编号"])
    ws.append([*raw.values(), "A-1"])
    buf = io.BytesIO()
    wb.save(buf)
    job = run_import(pub, buf.getvalue())
    assert job.created_count == 1
    assert job.errors_preview == [[2, "", "Unknown column 内部编号 was ignored."]]


def test_csv_in_utf8_and_gb18030(pub, en):
    import csv

    for encoding, number in (("utf-8-sig", "罚〔2026〕8号"), ("gb18030", "罚〔2026〕9号")):
        raw = penalty_raw(pub, CF_WSH=number)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(raw.keys())
        w.writerow(raw.values())
        job = run_import(pub, buf.getvalue().encode(encoding))
        assert (job.created_count, job.error_count) == (1, 0), job.errors_preview


def test_wrong_record_type_is_named(pub, en):
    with pytest.raises(DomainError) as exc:
        run_import(pub, workbook([licensing_raw(pub)], "licensing"), kind="penalty")
    assert str(exc.value.message) == "The header row belongs to the other record type: choose the right type."


def test_refused_before_reading(pub, app, en):
    cases = {
        b"%PDF-1.7\n" + b"\x00" * 100: "The file is not a spreadsheet (XLSX or CSV).",
        b"": "The file is empty.",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50: "This is an old Excel (.xls) file. Save it as .xlsx or "
        ".csv and upload it again.",
        workbook([penalty_raw(pub)])[:900]: "The spreadsheet is damaged or incomplete (truncated). Save it again "
        "and retry.",
    }
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("readme.txt", "hello")
    cases[plain_zip.getvalue()] = "The file is a zip archive but not an Excel workbook (XLSX)."
    for data, message in cases.items():
        with pytest.raises(DomainError) as exc:
            importer.inspect_upload(data)
        assert str(exc.value.message) == message


def test_zip_bomb_is_refused_from_its_directory(pub, en):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    data = bomb.getvalue()
    assert len(data) < 200 * 1024
    with pytest.raises(DomainError) as exc:
        importer.inspect_upload(data)
    assert str(exc.value.message) == "The workbook is compressed suspiciously well (a zip bomb?) and is refused."


COLUMN_LIMIT = "The sheet uses column %s, beyond the 64 columns a file may have."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Issue 10: 5.5 KB that asked the reader for a grid of 16,384 x 1,048,576 cells (512 GB, SIGABRT) …
        (lambda: crafted_xlsx(["A1", "XFD1048576"]), COLUMN_LIMIT % "XFD"),
        # … and one that cost 620 MB.
        (lambda: crafted_xlsx(["A1", "CV200000"]), COLUMN_LIMIT % "CV"),
        (lambda: crafted_xlsx(["A1", "B300000"]), "The sheet reaches row 300000: a file has at most 200000 rows."),
        # The declared dimension alone is enough to refuse.
        (lambda: crafted_xlsx(["A1", "B2"], dimension="A1:XFD1048576"), COLUMN_LIMIT % "XFD"),
        # Cells written otherwise than `<c r="B2"`: the XML parser places them as the reader does.
        (
            lambda: crafted_xlsx(sheet_data='<row r="1"><c t="s" r="XFD1"><v>0</v></c></row>'),
            COLUMN_LIMIT % "XFD",
        ),
        (
            lambda: crafted_xlsx(sheet_data='<row r="1"><c r="&#88;FD1"><v>1</v></c></row>'),
            COLUMN_LIMIT % "XFD",
        ),
        (lambda: crafted_xlsx(sheet_data='<row r="1">' + "<c><v>1</v></c>" * 65 + "</row>"), COLUMN_LIMIT % "BM"),
        (
            lambda: crafted_xlsx(sheet_data='<row r="1"><c r="A1"/></row><row r="1048576"><c><v>1</v></c></row>'),
            "The sheet reaches row 1048576: a file has at most 200000 rows.",
        ),
    ],
)
def test_sheet_too_large_for_the_reader_is_refused_before_reading(pub, en, data, message):
    """The first sheet's declared dimension and every cell's position are checked in its XML before the reader
    (which allocates one dense grid spanning all cells) opens the file."""
    with pytest.raises(DomainError) as exc:
        importer.inspect_upload(data())
    assert str(exc.value.message).startswith(message)


def test_too_many_cells_for_the_reader_is_refused(pub, app, en):
    app.config["PUBLICITY_IMPORT_MAX_CELLS"] = 100
    try:
        with pytest.raises(DomainError) as exc:
            importer.inspect_upload(crafted_xlsx(["A1", "K10"]))
        assert str(exc.value.message).startswith(
            "The sheet spans 10 rows and 11 columns, more than the 100 cells a file may have."
        )
        importer.inspect_upload(crafted_xlsx(["A1", "J10"]))  # 100 cells: accepted
    finally:
        del app.config["PUBLICITY_IMPORT_MAX_CELLS"]


def test_hostile_sheet_is_refused_on_the_import_page_within_bounded_memory(client, login, pub):
    """The upload is refused beside the file field; the process never asks for the reader's huge grid (a
    subprocess under a 2 GB address-space limit would abort if it did)."""
    import subprocess
    import sys
    import textwrap

    login(client, pub.clerk)
    hostile = crafted_xlsx(["A1", "XFD1048576"])
    assert len(hostile) < 6 * 1024
    page = client.post(
        "/staff/publicity/imports",
        data={"kind": "penalty", "matter": "", "file": (io.BytesIO(hostile), "hostile.xlsx")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 400
    assert "XFD" in page.get_data(as_text=True)
    assert db.session.execute(db.select(ImportJob)).first() is None
    script = textwrap.dedent(
        """
        import io, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        from flask import Flask
        from disclosure.core.errors import DomainError
        from disclosure.publicity import importer
        with Flask("limited").app_context():
            data = sys.stdin.buffer.read()
            try:
                importer.read_rows(data, importer.inspect_upload(data))
            except DomainError:
                print("refused")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], input=hostile, capture_output=True, timeout=120, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, b"refused"), done.stderr[-2000:]


def test_oversized_file_is_refused(pub, app, en):
    app.config["PUBLICITY_IMPORT_MAX_BYTES"] = 1024
    try:
        with pytest.raises(DomainError) as exc:
            importer.inspect_upload(b"a,b\n" * 1000)
        assert str(exc.value.message) == "The file is larger than 0 MB. Split it into several files."
    finally:
        del app.config["PUBLICITY_IMPORT_MAX_BYTES"]


def test_background_job_reports_progress(pub, en):
    """A queued job runs with the worker's entry point and commits its progress."""
    from disclosure.core.storage import store
    from disclosure.publicity.jobs import process_import

    data = workbook([penalty_raw(pub, CF_WSH=f"罚〔2026〕{i}号") for i in range(1, 2502)])
    stored = store(data, original_name="big.xlsx", content_type="", agency_id=pub.agency.id)
    db.session.flush()
    job = ImportJob(agency_id=pub.agency.id, kind="penalty", file_id=stored.id, filename="big.xlsx", locale="en")
    db.session.add(job)
    db.session.commit()
    assert process_import(job.id) == JobStatus.DONE
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert (job.created_count, job.processed_rows, job.progress_percent) == (2501, 2501, 100)
    assert process_import(987654) is None


def test_row_outside_the_working_day_calendar_is_reported_not_fatal(pub, en):
    rows = [penalty_raw(pub, CF_WSH="罚〔1985〕1号", CF_JDRQ="1985-03-01"), penalty_raw(pub, CF_WSH="罚〔2026〕2号")]
    job = run_import(pub, workbook(rows))
    assert (job.created_count, job.error_count, job.status) == (1, 1, JobStatus.DONE)
    listing, _refused = error_rows(job)
    assert listing[0][:2] == [2, "CF_JDRQ"] and "1985-03-01" in listing[0][3]


def test_imported_records_are_searchable_and_the_index_trigger_is_back(pub, en):
    """The bulk path fills the full-text index itself (SQLite pauses the per-row trigger only inside the
    importing transaction); records saved one by one afterwards are indexed by the trigger again."""
    from disclosure.publicity.search import SearchQuery, search
    from tests.factories import save

    rows = [
        penalty_raw(pub, CF_WSH=f"罚〔2026〕{i}号", CF_XDR_MC=f"宁波{n}贸易有限公司") for i, n in enumerate("甲乙丙", 1)
    ]
    run_import(pub, workbook(rows))
    found = search(SearchQuery(q="宁波乙"))
    assert [r.decision_no for r in found.rows] == ["罚〔2026〕2号"]
    assert search(SearchQuery(q="贸易")).total == 3
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(db.text("SELECT count(*) FROM publicity_fts_pause")).scalar() == 0
    save(pub, penalty_raw(pub, CF_WSH="罚〔2026〕9号", CF_XDR_MC="温州丁贸易有限公司"))
    db.session.commit()
    assert [r.decision_no for r in search(SearchQuery(q="温州丁")).rows] == ["罚〔2026〕9号"]
    # A correction re-indexes the new name.
    rows[0]["CF_XDR_MC"] = "嘉兴戊贸易有限公司"
    run_import(pub, workbook(rows))
    assert [r.decision_no for r in search(SearchQuery(q="嘉兴戊")).rows] == ["罚〔2026〕1号"]
    assert search(SearchQuery(q="宁波甲")).total == 0


def test_each_chunk_is_audited_with_what_it_created_and_updated(pub, en):
    from disclosure.core.audit import events_for

    rows = [penalty_raw(pub, CF_WSH=f"罚〔2026〕{i}号") for i in range(1, 4)]
    first = run_import(pub, workbook(rows), created_by_id=pub.clerk.id)
    rows[2]["CF_NR_FK"] = "0.7"
    rows.append(penalty_raw(pub, CF_WSH="罚〔2026〕4号", CF_JDRQ="2026-13-01"))
    second = run_import(pub, workbook(rows), created_by_id=pub.clerk.id)
    batch = [e for e in events_for("publicity_import", first.id) if e.action == "publicity.import.rows"]
    assert len(batch) == 1 and batch[0].after["created"] == ["罚〔2026〕1号", "罚〔2026〕2号", "罚〔2026〕3号"]
    assert batch[0].actor_id == pub.clerk.id and batch[0].after["rows"] == [2, 4]
    events = events_for("publicity_import", second.id)
    batch = [e for e in events if e.action == "publicity.import.rows"]
    assert batch[0].after["created"] == [] and batch[0].after["updated"] == ["罚〔2026〕3号"]
    assert (batch[0].after["unchanged"], batch[0].after["invalid"]) == (2, 1)
    summary = [e for e in events if e.action == "publicity.import"]
    assert summary[0].actor_id == pub.clerk.id and summary[0].after["updated"] == 1
    record = db.session.execute(
        db.select(PublicityRecord).where(PublicityRecord.decision_no == "罚〔2026〕3号")
    ).scalar_one()
    correction = [e for e in events_for("publicity_record", record.id) if e.action == "publicity.penalty.correct"]
    assert correction[0].actor_id == pub.clerk.id and correction[0].after["fine_amount"] == "0.7"


def test_imported_values_read_back_exactly(pub, en):
    """The driver-level insert stores what the ORM would: dates, amounts, flags, times and states."""
    from tests.factories import save

    raw = penalty_raw(pub, CF_WSH="罚〔2026〕1号", CF_NR_FK="123.456789", SEVERITY="严重", CF_GSJZQ="2099-12-31")
    run_import(pub, workbook([raw]))
    save(pub, {**raw, "CF_WSH": "罚〔2026〕2号"})
    db.session.commit()
    db.session.expire_all()
    a, b = db.session.execute(db.select(PublicityRecord).order_by(PublicityRecord.decision_no)).scalars().all()
    skip = {
        "id",
        "decision_no",
        "decision_key",
        "channel",
        "import_id",
        "created_at",
        "updated_at",
        "published_at",
        "content_hash",
    }
    for column in PublicityRecord.__table__.columns:
        if column.key not in skip:
            assert getattr(a, column.key) == getattr(b, column.key), column.key
    assert a.fine_amount == Decimal("123.456789") and a.severity == "serious" and a.status == "published"
    assert a.published_at.tzinfo is not None and abs((a.published_at - b.published_at).total_seconds()) < 60
