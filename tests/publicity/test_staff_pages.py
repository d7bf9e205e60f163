"""Staff pages: entry form with inline validation, import through the browser form with the error file,
catalogue review, responsibility form, supervision dashboard and statistics, credit-platform export, settings;
access to another agency's records refused."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from disclosure.accounts.roles import Role
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.publicity.models import (
    CatalogueVersion,
    ExportRun,
    ImportJob,
    PublicityCode,
    PublicityRecord,
    Responsibility,
)
from tests.factories import REAL_IDS, REAL_USCC, form_data, penalty_raw, save, workbook


def test_entry_form_saves_and_shows_errors_beside_fields(pub, client, login):
    login(client, pub.clerk)
    page = client.get("/staff/publicity/new/penalty")
    assert page.status_code == 200 and "CF_XDR_SHXYM" in page.get_data(as_text=True)
    bad = form_data(penalty_raw(pub), f_CF_XDR_SHXYM=REAL_USCC[0][:-1] + "0")
    resp = client.post("/staff/publicity/new/penalty", data=bad, headers={"Accept-Language": "en"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="f_CF_XDR_SHXYM-error"' in body
    assert "The check character of the credit code is wrong." in body
    assert db.session.query(PublicityRecord).count() == 0
    resp = client.post("/staff/publicity/new/penalty", data=form_data(penalty_raw(pub)))
    assert resp.status_code == 302
    rec = db.session.execute(db.select(PublicityRecord)).scalar_one()
    assert rec.channel == "form" and rec.status == "published"
    page = client.get(f"/staff/publicity/records/{rec.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert rec.decision_no in page and "Record entered" in page
    # a new entry with the same decision number is refused beside the field; nothing is overwritten
    other = form_data(penalty_raw(pub), f_CF_XDR_MC="另一家公司有限公司")
    resp = client.post("/staff/publicity/new/penalty", data=other, headers={"Accept-Language": "en"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="f_CF_WSH-error"' in body and "exists already" in body
    assert db.session.execute(db.select(PublicityRecord)).scalar_one().counterpart_name == rec.counterpart_name


def test_inline_validation_endpoint(pub, client, login):
    login(client, pub.clerk)
    resp = client.post(
        "/staff/publicity/validate/penalty",
        data=form_data(penalty_raw(pub), f_CF_NR_FK="abc"),
        headers={"Accept-Language": "en"},
    )
    assert resp.json == {"valid": False, "errors": {"f_CF_NR_FK": ["abc is not an amount in 万元."]}}
    ok = client.post("/staff/publicity/validate/penalty", data=form_data(penalty_raw(pub)))
    assert ok.json == {"valid": True, "errors": {}}


def test_staff_see_full_values_public_does_not(pub, client, login):
    rec = save(
        pub,
        penalty_raw(
            pub,
            CF_XDR_MC="王二",
            CF_XDR_LB="自然人",
            CF_XDR_SHXYM=None,
            CF_FRDB=None,
            CF_XDR_ZJLX="身份证",
            CF_XDR_ZJHM=REAL_IDS[0],
        ),
    )
    db.session.commit()
    login(client, pub.supervisor)
    assert REAL_IDS[0] in client.get(f"/staff/publicity/records/{rec.id}").get_data(as_text=True)


def test_correction_through_the_form_is_audited(pub, client, login):
    rec = save(pub, penalty_raw(pub))
    db.session.commit()
    login(client, pub.clerk)
    assert client.get(f"/staff/publicity/records/{rec.id}/edit").status_code == 200
    resp = client.post(
        f"/staff/publicity/records/{rec.id}/edit",
        data=form_data(penalty_raw(pub), f_CF_NR="警告并处罚款3000元", f_CF_NR_FK="0.3"),
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(PublicityRecord, rec.id).content == "警告并处罚款3000元"
    changed_no = form_data(penalty_raw(pub), f_CF_WSH="另一个文号")
    assert client.post(f"/staff/publicity/records/{rec.id}/edit", data=changed_no).status_code == 400


def test_withdraw_and_repair_through_pages(pub, client, login):
    rec = save(pub, penalty_raw(pub))
    db.session.commit()
    login(client, pub.clerk)

    resp = client.post(
        f"/staff/publicity/records/{rec.id}/withdraw",
        data={"withdrawal_kind": "revoked", "changed_on": today_china().isoformat(), "reason": "复议撤销"},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(PublicityRecord, rec.id).status == "withdrawn"
    # A clerk may not repair credit: that is the supervisor's.
    assert client.post(f"/staff/publicity/records/{rec.id}/repair", data={"basis": "x"}).status_code == 403


def test_import_through_the_page_with_error_file(pub, client, login):
    login(client, pub.clerk)
    rows = [penalty_raw(pub, CF_WSH="罚A"), penalty_raw(pub, CF_WSH="罚B", CF_XDR_SHXYM="123")]
    resp = client.post(
        "/staff/publicity/imports",
        data={
            "kind": "penalty",
            "publish": "y",
            "matter": "",
            "file": (io.BytesIO(workbook(rows, headers="names")), "处罚.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    job = db.session.execute(db.select(ImportJob)).scalar_one()
    assert (job.created_count, job.error_count, job.status) == (1, 1, "done")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "CF_XDR_SHXYM" in page
    download = client.get(f"/staff/publicity/imports/{job.id}/errors.xlsx")
    assert download.status_code == 200
    wb = load_workbook(io.BytesIO(download.data))
    assert wb.sheetnames == ["待修正数据", "错误清单"]
    status = client.get(f"/staff/publicity/imports/{job.id}/status.json").json
    assert status["done"] and status["percent"] == 100
    template = client.get("/staff/publicity/template/penalty.xlsx?codes=1")
    assert template.status_code == 200


def test_import_refuses_non_spreadsheet_and_oversized(pub, client, login, app):
    login(client, pub.clerk)
    resp = client.post(
        "/staff/publicity/imports",
        data={"kind": "penalty", "file": (io.BytesIO(b"%PDF-1.4\x00\x00"), "x.xlsx")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    assert resp.status_code == 400 and "The file is not a spreadsheet (XLSX or CSV)." in resp.get_data(as_text=True)
    app.config["PUBLICITY_IMPORT_MAX_BYTES"] = 10
    try:
        resp = client.post(
            "/staff/publicity/imports",
            data={"kind": "penalty", "file": (io.BytesIO(b"x" * 100_000), "big.csv")},
            content_type="multipart/form-data",
        )
        assert resp.status_code == 303
    finally:
        del app.config["PUBLICITY_IMPORT_MAX_BYTES"]
    assert db.session.query(ImportJob).count() == 0


def test_other_agencies_records_are_invisible(pub, client, login, make_agency, make_staff):
    rec = save(pub, penalty_raw(pub))
    db.session.commit()
    other = make_staff(make_agency(), [Role.PUBLICITY_CLERK, Role.CREDIT_SUPERVISOR])
    login(client, other)
    for url in (f"/staff/publicity/records/{rec.id}", f"/staff/publicity/records/{rec.id}/edit"):
        assert client.get(url).status_code == 404
    assert client.post(f"/staff/publicity/records/{rec.id}/publish").status_code == 404
    assert rec.decision_no not in client.get("/staff/publicity/").get_data(as_text=True)


def test_catalogue_and_review_pages(pub, client, login):
    login(client, pub.clerk)
    resp = client.post(
        "/staff/publicity/matters/new",
        data={
            "kind": "licensing",
            "code": "XK009",
            "name": "药品经营许可",
            "legal_basis": "《药品管理法》",
            "counterpart_kinds": ["legal_person"],
            "scope": "public",
            "active": "y",
        },
    )
    assert resp.status_code == 302
    dup = client.post(
        "/staff/publicity/matters/new",
        data={
            "kind": "licensing",
            "name": "药品经营许可",
            "legal_basis": "x",
            "counterpart_kinds": ["legal_person"],
            "scope": "public",
        },
    )
    assert dup.status_code == 400
    assert client.post("/staff/publicity/catalogue/submit").status_code == 302
    version = db.session.execute(db.select(CatalogueVersion)).scalar_one()
    # The clerk may read but not review.
    assert client.post(f"/staff/publicity/catalogue/{version.id}", data={"decision": "approve"}).status_code == 403
    client.post("/logout")
    login(client, pub.reviewer)
    resp = client.post(f"/staff/publicity/catalogue/{version.id}", data={"decision": "approve", "comment": "ok"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(CatalogueVersion, version.id).status == "approved"


def test_responsibility_dashboard_statistics_and_export(pub, client, login):
    save(pub, penalty_raw(pub))
    save(pub, penalty_raw(pub, CF_WSH="罚〔2026〕2号", CF_JDRQ="2026-01-05"))
    db.session.commit()
    login(client, pub.supervisor)
    resp = client.post(
        "/staff/publicity/responsibility",
        data={
            "leader_name": "赵局长",
            "leader_title": "副局长",
            "section_name": "法规科",
            "person_name": "钱科长",
            "person_phone": "0571-88888888",
        },
    )
    assert resp.status_code == 302 and db.session.query(Responsibility).count() == 1
    page = client.get("/staff/publicity/dashboard?by=month").get_data(as_text=True)
    assert "2026-01" in page and "50.0%" in page
    for by in ("department", "county", "agency"):
        assert client.get(f"/staff/publicity/dashboard?by={by}").status_code == 200
    xlsx = client.get("/staff/publicity/dashboard.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.data))
    assert wb.sheetnames == ["按区县", "按部门", "按机关", "按月份"]
    county = list(wb["按区县"].iter_rows(values_only=True))
    assert county[1][:5] == ("330100", 2, 1, 1, 0)
    assert client.post("/staff/publicity/export", data={"kind": "penalty", "fmt": "csv"}).status_code == 302
    first = db.session.execute(db.select(ExportRun)).scalar_one()
    assert first.row_count == 2
    data = client.get(f"/staff/publicity/export/{first.id}").get_data(as_text=True)
    assert data.lstrip("\ufeff").startswith("CF_XDR_MC,") and "CF_FR_ZJHM" in data
    client.post("/staff/publicity/export", data={"kind": "penalty", "fmt": "xlsx", "changed_only": "y"})
    second = db.session.execute(db.select(ExportRun).order_by(ExportRun.id.desc())).scalars().first()
    assert second.changed_only and second.row_count == 0


def test_administrator_edits_code_lists_and_periods(pub, client, login, make_staff):
    admin = make_staff(pub.agency, [Role.SYS_ADMIN])
    login(client, admin)
    assert client.get("/admin/publicity/").status_code == 200
    resp = client.post(
        "/admin/publicity/",
        data={"c-list_name": "licence_category", "c-value": "备案", "c-label": "备案", "c-active": "y"},
    )
    assert resp.status_code == 302
    assert db.session.execute(db.select(PublicityCode).where(PublicityCode.value == "备案")).scalar_one()
    resp = client.post(
        "/admin/publicity/",
        data={
            "p-severity": "serious",
            "p-effective_from": "2027-01-01",
            "p-published": "y",
            "p-min_months": "30",
            "p-max_months": "12",
            "p-basis": "测试",
        },
    )
    assert resp.status_code == 400
    resp = client.post(
        "/admin/publicity/",
        data={
            "s-due_working_days": "5",
            "s-withdraw_working_days": "3",
            "s-latest_days": "15",
            "s-long_term_date": "2099-12-31",
        },
    )
    assert resp.status_code == 302
    client.post("/logout")
    from flask_login import current_user  # noqa: F401  (the clerk may not open the administration)

    login(client, pub.clerk)
    assert client.get("/admin/publicity/").status_code == 403


def test_downloads_carry_a_chinese_name_and_a_meaningful_ascii_fallback(pub, client, login):
    import re
    from urllib.parse import unquote

    login(client, pub.clerk)
    for url, chinese, ascii_name in (
        ("/staff/publicity/template/penalty.xlsx", "行政处罚-模板.xlsx", "penalty-template.xlsx"),
        ("/publicity/export.xlsx?kind=licensing", "行政许可.xlsx", "licensing-"),
        ("/publicity/export.xlsx", "行政许可和行政处罚.xlsx", "licensing-and-penalties-"),
    ):
        header = client.get(url).headers["Content-Disposition"]
        assert unquote(re.search(r"filename\*=UTF-8''([^;]+)", header).group(1)) == chinese, header
        assert re.search(r'filename="([^"]+)"', header).group(1).startswith(ascii_name), header


def test_amounts_read_without_trailing_zeros(app):
    import decimal

    with app.test_request_context("/"):
        macro = app.jinja_env.get_template("publicity/_macros.html").module.field_value
        assert str(macro(decimal.Decimal("0.200000"))) == "0.2"
        assert str(macro(decimal.Decimal("100.000000"))) == "100"
