"""The report from draft to publication: frozen numbers and PDF byte-identical after the data change, corrections
as new versions, the CLI's JSON, access, PDF text and the XLSX grid."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess

import pytest
from openpyxl import load_workbook

from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.reports import operations
from disclosure.reports.grid import ROW_KEYS

D = dt.date
YEAR = 2025


def _ready(agency, registrar, make_case):
    make_case(agency, D(YEAR, 12, 31), D(YEAR + 1, 1, 6))
    make_case(agency, D(YEAR, 3, 1), D(YEAR, 3, 20), outcome="partial", category="research")
    report = operations.start_report(agency, YEAR, registrar)
    operations.save_sections(
        report,
        registrar,
        {"overview": report.overview, "problems": "问题与改进。", "other_matters": "=cmd|' /C calc'!A0"},
    )
    operations.save_figures(
        report,
        registrar,
        {
            "coercion_decisions": "54",
            "coercion_source": "执法台账",
            "fees_yuan": "59490886.67",
            "fees_source": "财务科",
        },
    )
    db.session.commit()
    return report


def _publish(report, registrar, head):
    operations.submit(report, registrar)
    operations.approve(report, head)
    operations.publish(report, head)
    db.session.commit()


def test_frozen_report_survives_data_changes_and_corrections(office, make_case, client, login):
    agency, registrar, head = office
    report = _ready(agency, registrar, make_case)
    with pytest.raises(DomainError):
        operations.approve(report, head)  # not submitted yet
    db.session.rollback()
    _publish(report, registrar, head)
    assert report.state == "published"
    assert report.frozen_numbers["table2"]["fees"]["amount_10k_yuan"] == "5949.088667"
    pdf_before = client.get(f"/catalog/{agency.slug}/annual-reports/{report.id}/report.pdf").data
    page_before = client.get(f"/catalog/{agency.slug}/annual-reports/{report.id}").data
    assert pdf_before.startswith(b"%PDF")

    make_case(agency, D(YEAR, 5, 5), D(YEAR, 5, 9), outcome="deny_secret")  # the data change afterwards
    assert client.get(f"/catalog/{agency.slug}/annual-reports/{report.id}/report.pdf").data == pdf_before
    assert client.get(f"/catalog/{agency.slug}/annual-reports/{report.id}").data == page_before
    assert operations.numbers_of(report)["table3"]["deny_secret"]["total"] == 0

    with pytest.raises(DomainError):
        operations.start_correction(report, registrar, "")
    db.session.rollback()
    fixed = operations.start_correction(report, registrar, "漏报一件不予公开申请")
    db.session.commit()
    assert fixed.number == 2 and fixed.state == "draft" and fixed.fees_yuan == report.fees_yuan
    _publish(fixed, registrar, head)
    db.session.refresh(report)
    assert report.state == "superseded"
    changes = fixed.frozen_numbers["correction"]["changes"]
    assert {"where": "table3.deny_secret.total", "before": 0, "after": 1} in changes
    listing = client.get(f"/catalog/{agency.slug}/annual-reports").get_data(as_text=True)
    assert "第2版" in listing and f"{YEAR}年" in listing
    assert client.get(f"/catalog/{agency.slug}/annual-reports/{report.id}/report.pdf").data == pdf_before


def test_submission_refused_while_checks_fail(office, make_case):
    agency, registrar, _head = office
    make_case(agency, D(YEAR, 3, 1), D(YEAR, 3, 2), category="alien")
    report = operations.start_report(agency, YEAR, registrar)
    with pytest.raises(DomainError):
        operations.submit(report, registrar)
    db.session.rollback()
    assert report.state == "draft"


def test_return_needs_a_comment(office, make_case):
    agency, registrar, head = office
    report = _ready(agency, registrar, make_case)
    operations.submit(report, registrar)
    with pytest.raises(DomainError):
        operations.return_report(report, head, "  ")
    operations.return_report(report, head, "第五部分太简略")
    assert report.state == "draft" and report.return_comment == "第五部分太简略"


def test_figures_validated_at_once_and_nothing_lost(office, make_case, client, login):
    agency, registrar, _head = office
    report = _ready(agency, registrar, make_case)
    login(client, registrar)
    with client.session_transaction() as s:
        s["lang"] = "en"
    resp = client.post(
        f"/staff/reports/{report.id}/figures",
        data={"version": report.version, "coercion_decisions": "-3", "fees_yuan": "12.345", "fees_source": "我的来源"},
    )
    assert resp.status_code == 422
    text = resp.get_data(as_text=True)
    assert "A whole number of decisions" in text and "at most two decimals" in text and "我的来源" in text


def test_cli_json_shape(office, make_case, runner):
    agency, _registrar, _head = office
    make_case(agency, D(YEAR, 3, 1), D(YEAR, 3, 9))
    result = runner.invoke(args=["report", "annual", "--agency", agency.slug, "--year", str(YEAR), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"agency", "year", "table2", "table3", "table4", "checks"}
    assert list(data["table3"]) == list(ROW_KEYS)
    assert data["table3"]["granted"]["natural_person"] == 1
    assert data["table2"]["fees"]["amount_10k_yuan"] == "0.0000"
    assert set(data["table2"]) == {"regulations", "normative_documents", "licensing", "penalty", "coercion", "fees"}
    assert set(data["table4"]) == {"reconsideration", "litigation_direct", "litigation_after_reconsideration"}
    assert all({"rule", "ok", "detail"} <= set(c) for c in data["checks"])


def test_access(app, office, make_case, make_agency, make_staff, client, login):
    from disclosure.accounts.roles import Role

    agency, registrar, _head = office
    report = _ready(agency, registrar, make_case)
    assert client.get(f"/catalog/{agency.slug}/annual-reports/{report.id}").status_code == 404  # a draft
    other = make_staff(make_agency(), roles=[Role.OFFICE_HEAD])
    login(client, other)
    assert client.get(f"/staff/reports/{report.id}").status_code == 404
    assert client.get(f"/staff/reports/{report.id}/cells/table3/new/total").status_code == 404
    fresh = app.test_client()
    login(fresh, registrar)
    client = fresh
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    cell = f"/staff/reports/{report.id}/cells/table3/partial/research"
    assert cell in page
    listed = client.get(cell).get_data(as_text=True)
    assert "申请人" in listed


def test_pdf_text_and_xlsx_grid(office, make_case, tmp_path, runner):
    agency, registrar, head = office
    report = _ready(agency, registrar, make_case)
    _publish(report, registrar, head)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report.pdf_file.read_bytes())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60).stdout
    text = text.decode("utf-8")
    for heading in (
        "二、主动公开政府信息情况",
        "申请人情况",
        "法人或其他组织",
        "（二）部分公开",
        "四、结转下年度继续办理",
        "行政复议",
        "复议后起诉",
        "5949.088667",
    ):
        assert heading in text.replace(" ", ""), heading
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, timeout=60).stdout.decode()
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())  # embedded

    out = tmp_path / "r.xlsx"
    result = runner.invoke(args=["report", "annual", "--agency", agency.slug, "--year", str(YEAR), "--xlsx", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    t3 = wb["表三"]
    assert "D2:J2" in t3.merged_cells and "A2:C4" in t3.merged_cells
    assert t3["A7"].value == "三、本年度办理结果"
    assert wb["表二"]["B14"].value == "5949.088667" or "5949.088667" in [
        c.value for row in wb["表二"].iter_rows() for c in row
    ]
    text_cells = [c.value for row in wb["正文"].iter_rows() for c in row]
    assert "'=cmd|' /C calc'!A0" in text_cells  # neutralised


def test_a_drafts_pdf_links_each_figure_to_its_cases_and_the_published_one_links_nowhere(
    office, make_case, client, login
):
    agency, registrar, head = office
    report = _ready(agency, registrar, make_case)
    login(client, registrar)
    draft = client.get(f"/staff/reports/{report.id}/report.pdf")
    assert draft.status_code == 200
    cell = f"/staff/reports/{report.id}/cells/table3/partial/research"
    assert any(uri.endswith(cell) for uri in _link_targets(draft.data))  # the figure links to its cases
    _publish(report, registrar, head)
    published = client.get(f"/catalog/{agency.slug}/annual-reports/{report.id}/report.pdf").data
    assert not [uri for uri in _link_targets(published) if "/staff/" in uri]


def _link_targets(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    targets = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if action.get("/URI"):
                targets.append(str(action["/URI"]))
    return targets
