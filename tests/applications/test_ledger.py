"""The request ledger import (依申请公开台账, issue 13 §2): a file mixing concluded and open requests with invalid
rows; the valid rows become archived and live cases, the invalid ones are reported by row and column and not
written; the annual report counts them (tables 3 and 4); the same file again updates instead of duplicating."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

HEADER = [
    "申请编号",
    "收到日期",
    "申请人类别",
    "申请人",
    "申请内容",
    "答复日期",
    "办理结果",
    "行政复议结果",
    "复议申请日期",
    "诉讼类型",
    "诉讼结果",
    "起诉日期",
]
D = dt.date

# (申请编号, 收到, 类别, 申请人, 内容, 答复, 结果, 复议结果, 复议日期, 诉讼类型, 诉讼结果, 起诉日期)
GOOD = [
    (
        "TZ-001",
        D(2025, 3, 1),
        "自然人",
        "张三",
        "2024年财政预算",
        D(2025, 3, 20),
        "予以公开",
        None,
        None,
        None,
        None,
        None,
    ),
    (
        "TZ-002",
        D(2025, 4, 2),
        "商业企业",
        "某公司",
        "规划许可",
        D(2025, 4, 28),
        "部分公开",
        "结果维持",
        D(2025, 6, 1),
        "复议后起诉",
        "尚未审结",
        D(2025, 8, 1),
    ),
    (
        "TZ-003",
        "2025/5/6",
        "科研机构",
        "某研究所",
        "统计数据",
        "2025年5月30日",
        "本机关不掌握相关政府信息",
        None,
        None,
        "未经复议直接起诉",
        "结果纠正",
        "2025-07-01",
    ),
    (
        "TZ-004",
        D(2025, 12, 31),
        "自然人",
        "李四",
        "征收补偿方案",
        D(2026, 1, 10),
        "2.重复申请",
        None,
        None,
        None,
        None,
        None,
    ),
    (
        "TZ-005",
        D(2025, 6, 1),
        "法律服务机构",
        "某律所",
        "执法案卷",
        D(2025, 6, 20),
        "deny_case_file",
        "结果纠正",
        D(2025, 7, 1),
        None,
        None,
        None,
    ),
    (
        "TZ-006",
        D(2025, 7, 1),
        "社会公益组织",
        "某基金会",
        "环境监测",
        D(2025, 7, 15),
        "3.其他",
        None,
        None,
        None,
        None,
        None,
    ),
    # Open: no reply date.
    ("TZ-007", D(2026, 11, 20), "自然人", "王五", "道路工程合同", None, None, None, None, None, None, None),
    ("TZ-008", D(2025, 11, 3), "其他", "某协会", "会议纪要", None, None, None, None, None, None, None),
]
BAD = [
    ("TZ-101", D(2025, 3, 1), "个体户", "赵六", "内容", D(2025, 3, 5), "予以公开", None, None, None, None, None),
    ("TZ-102", D(2025, 3, 1), "自然人", "赵七", "内容", D(2025, 3, 5), "同意公开", None, None, None, None, None),
    ("TZ-103", D(2025, 3, 10), "自然人", "赵八", "内容", D(2025, 3, 5), "予以公开", None, None, None, None, None),
    ("TZ-104", D(2099, 1, 1), "自然人", "赵九", "内容", None, None, None, None, None, None, None),
    ("TZ-105", D(2025, 3, 1), "自然人", "钱一", "内容", D(2025, 3, 5), "予以公开", "结果维持", None, None, None, None),
    (
        "TZ-106",
        D(2025, 3, 1),
        "自然人",
        "钱二",
        "内容",
        D(2025, 3, 5),
        "予以公开",
        None,
        None,
        "未经复议直接起诉",
        "尚未审结",
        None,
    ),
    ("TZ-107", D(2025, 3, 1), "自然人", "钱三", "内容", D(2025, 3, 5), "予以公开", None, None, None, None, None),
    ("TZ-107", D(2025, 3, 2), "自然人", "钱四", "内容", D(2025, 3, 6), "予以公开", None, None, None, None, None),
]


def ledger_file(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def imported(world):
    from disclosure.applications import ledger
    from disclosure.extensions import db

    job = ledger.start_import(world.agency, world.registrar, data=ledger_file(GOOD + BAD), filename="台账.xlsx")
    db.session.commit()
    return job


def in_job_language(job, message: str, **params) -> str:
    """A message as the import writes it: in the language the job was started in (its `locale`)."""
    from flask import current_app
    from flask_babel import force_locale, gettext

    with current_app.test_request_context("/"), force_locale(job.locale):
        return gettext(message, **params)


def _cases(agency):
    from sqlalchemy import select

    from disclosure.applications.models import Application
    from disclosure.extensions import db

    return {
        a.reference: a
        for a in db.session.execute(select(Application).where(Application.agency_id == agency.id)).scalars()
    }


def test_valid_rows_become_cases_and_invalid_rows_are_reported(world, imported):
    assert imported.status == "done"
    assert (imported.created_count, imported.open_count, imported.error_count) == (8, 2, 8)
    cases = _cases(world.agency)
    assert set(cases) == {f"TZ-00{n}" for n in range(1, 9)}  # nothing of an invalid row is written
    done = cases["TZ-002"]
    assert (done.state, done.channel, done.outcome, done.closed_date) == (
        "archived",
        "ledger",
        "partial",
        D(2025, 4, 28),
    )
    assert done.applicant_category == "commercial" and done.applicant_type == "organisation"
    assert cases["TZ-003"].received_date == D(2025, 5, 6) and cases["TZ-003"].outcome == "not_exist"
    assert cases["TZ-004"].outcome == "repeat" and cases["TZ-006"].outcome == "other"
    live = cases["TZ-007"]
    assert live.state == "registered" and live.received_date == D(2026, 11, 20)
    from disclosure.applications import deadlines

    assert live.due_date == deadlines.add_working_days(D(2026, 11, 20), 20).due
    assert cases["TZ-008"].deadline_status == "overdue"  # received in 2025, still open
    by_row = {}
    for row, column, message in imported.errors_preview:
        by_row.setdefault(row, []).append((column, message))
    assert by_row[2 + len(GOOD)][0][0] == "申请人类别" and "个体户" in by_row[2 + len(GOOD)][0][1]
    assert by_row[3 + len(GOOD)][0][0] == "办理结果"
    assert by_row[4 + len(GOOD)] == [("答复日期", by_row[4 + len(GOOD)][0][1])]
    # The reasons are written in the importer's language (the job's locale): the same words here.
    assert by_row[4 + len(GOOD)][0][1] == in_job_language(
        imported,
        "The reply (%(reply)s) is dated before the request was received (%(received)s).",
        reply="2025-03-05",
        received="2025-03-10",
    )
    assert by_row[5 + len(GOOD)][0][1] == in_job_language(
        imported, "The date %(date)s is in the future.", date="2099-01-01"
    )
    assert by_row[6 + len(GOOD)][0][0] == "复议申请日期"
    assert by_row[7 + len(GOOD)][0][0] == "起诉日期"
    assert by_row[8 + len(GOOD)][0][0] == by_row[9 + len(GOOD)][0][0] == "申请编号"  # both rows of TZ-107
    # The error file holds the refused rows with their reasons.
    from disclosure.core.storage import StoredFile
    from disclosure.extensions import db

    wb = load_workbook(io.BytesIO(db.session.get(StoredFile, imported.error_file_id).read_bytes()))
    refused = list(wb["待修正数据"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in refused] == [r[0] for r in BAD]
    assert refused[0][-2] == 2 + len(GOOD) and "申请人类别" in refused[0][-1]


def test_live_case_is_in_the_registrars_queue(world, imported):
    from disclosure.applications import queries

    counts = queries.queue_counts(world.agency.id)
    assert counts["to_supplement"] == 2


def test_report_counts_the_ledger(world, imported):
    from disclosure.reports.compute import compute

    n25 = compute(world.agency, 2025)
    t3 = n25["table3"]
    assert t3["new"]["total"] == 7  # TZ-001…006 and the open TZ-008
    assert t3["granted"]["natural_person"] == 1
    assert t3["partial"]["commercial"] == 1
    assert t3["na_not_held"]["research"] == 1
    assert t3["deny_case_file"]["legal_service"] == 1
    assert t3["oth_other"]["social_welfare"] == 1
    assert t3["total"]["total"] == 5
    assert t3["carried_out"]["total"] == 2  # TZ-004 (received 31 December, answered in January) and TZ-008
    t4 = n25["table4"]
    assert t4["reconsideration"] == {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2}
    assert t4["litigation_direct"]["corrected"] == 1
    assert t4["litigation_after_reconsideration"]["pending"] == 1
    assert all(c["ok"] for c in n25["checks"] if c["rule"].startswith("table3")), n25["checks"]
    n26 = compute(world.agency, 2026)["table3"]
    assert n26["carried_in"]["total"] == 2 and n26["np_repeat"]["natural_person"] == 1
    assert n26["new"]["total"] == 1  # TZ-007


def test_same_file_again_updates_instead_of_duplicating(world, imported):
    from disclosure.applications import ledger
    from disclosure.applications.models import Remedy
    from disclosure.extensions import db

    again = ledger.start_import(world.agency, world.registrar, data=ledger_file(GOOD), filename="台账.xlsx")
    db.session.commit()
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 8)
    changed = list(GOOD)
    changed[6] = (
        "TZ-007",
        D(2026, 11, 20),
        "自然人",
        "王五",
        "道路工程合同",
        D(2026, 12, 1),
        "予以公开",
        "尚未审结",
        D(2026, 12, 3),
        None,
        None,
        None,
    )
    third = ledger.start_import(world.agency, world.registrar, data=ledger_file(changed), filename="台账.xlsx")
    db.session.commit()
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 1, 7)
    cases = _cases(world.agency)
    assert len(cases) == 8
    assert cases["TZ-007"].state == "archived" and cases["TZ-007"].outcome == "granted"
    assert db.session.query(Remedy).filter_by(application_id=cases["TZ-007"].id).count() == 1
    actions = [e.action for e in cases["TZ-007"].audit_events()]
    assert actions == ["application.ledger_imported", "application.ledger_updated"]
    assert [e.action for e in third.audit_events()] == [
        "application.ledger_import.start",
        "application.ledger_import.done",
    ]


def test_reference_of_a_case_filed_here_is_refused(world, filed):
    from disclosure.applications import ledger
    from disclosure.extensions import db

    row = (filed.reference, D(2025, 3, 1), "自然人", "张三", "内容", None, None, None, None, None, None, None)
    job = ledger.start_import(world.agency, world.registrar, data=ledger_file([row]), filename="t.xlsx")
    db.session.commit()
    assert job.created_count == 0 and job.error_count == 1
    assert job.errors_preview[0][2] == in_job_language(
        job, "The 申请编号 %(ref)s is already the reference of a case registered in the system.", ref=filed.reference
    )


def test_outcome_labels_follow_table3():
    from disclosure.applications.ledger.columns import OUTCOME_LABELS, outcome_row
    from disclosure.reports.grid import OUTCOME_ROWS, ROW_LABELS

    assert tuple(OUTCOME_LABELS) == OUTCOME_ROWS
    for key in OUTCOME_ROWS:
        assert outcome_row(ROW_LABELS[key]) == key
        assert outcome_row(OUTCOME_LABELS[key]) == key
        assert outcome_row(key) == key
    assert outcome_row("部分公开") == "partial"
    assert outcome_row("不予公开") is None


def test_missing_column_fails_the_file(world):
    from disclosure.applications import ledger
    from disclosure.core.errors import DomainError

    wb = Workbook()
    wb.active.append(HEADER[:5])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(DomainError) as exc:
        ledger.start_import(world.agency, world.registrar, data=buf.getvalue(), filename="t.xlsx")
    assert "答复日期" in str(exc.value.message)


def test_cli_imports_a_ledger(world, runner, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(ledger_file(GOOD))
    result = runner.invoke(args=["applications", "import-ledger", str(path), "--agency", world.agency.slug])
    assert result.exit_code == 0, result.output
    assert "created 8 (2 open)" in result.output


def test_staff_pages_import_with_progress(world, client, login):
    from disclosure.applications.ledger.models import LedgerImport
    from disclosure.extensions import db

    login(client, world.registrar)
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get("/staff/applications/ledger")
    assert page.status_code == 200 and "Import the request ledger" in page.text
    template = client.get("/staff/applications/ledger/template.xlsx")
    wb = load_workbook(io.BytesIO(template.data))
    assert [c.value for c in wb.worksheets[0][1]] == HEADER
    assert wb.worksheets[0].data_validations.dataValidation  # drop-down lists
    resp = client.post(
        "/staff/applications/ledger",
        data={"file": (io.BytesIO(ledger_file(GOOD + BAD[:1])), "台账.xlsx")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    job = db.session.query(LedgerImport).one()
    status = client.get(f"/staff/applications/ledger/{job.id}/status.json").json
    assert status["done"] and status["percent"] == 100 and status["created"] == 8 and status["errors"] == 1
    page = client.get(f"/staff/applications/ledger/{job.id}")
    assert "Unknown applicant category" in page.text and "Download the error file" in page.text
    assert client.get(f"/staff/applications/ledger/{job.id}/errors.xlsx").status_code == 200


def test_a_large_file_runs_in_the_background(world):
    from disclosure.applications import ledger
    from disclosure.applications.ledger.models import LedgerImport
    from disclosure.extensions import db

    job = ledger.start_import(world.agency, world.registrar, data=ledger_file(GOOD), filename="t.xlsx", background=True)
    db.session.commit()
    job = db.session.get(LedgerImport, job.id)
    db.session.refresh(job)
    assert job.status == "done" and job.created_count == 8
