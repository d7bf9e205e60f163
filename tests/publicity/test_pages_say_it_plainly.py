"""What the pages and files say: the end of a penalty's publicity is one date everywhere; staff pages in words and
China time; the public export of both types; minor penalties say why they are not public; the long-term sentinel
comes from the setting; import errors name their field once; catalogue editors keep the matter catalogue."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from openpyxl import load_workbook

from disclosure.accounts.roles import Role
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.publicity import operations
from disclosure.publicity.models import PublicityMatter, PublicityRecord
from disclosure.publicity.rules import add_months
from tests.factories import licensing_raw, penalty_raw, save, workbook

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def _csv(resp) -> list[list[str]]:
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- 3. the end of the publicity period ------------------------------------------------------------------


def test_publicity_end_is_the_same_date_on_every_page_and_export(pub, client, login):
    decided = today_china() - dt.timedelta(days=3)
    computed = save(pub, penalty_raw(pub, CF_WSH="罚1", CF_XDR_MC="宁波一号贸易有限公司", CF_JDRQ=decided.isoformat()))
    own_end = add_months(decided, 6)
    given = save(
        pub,
        penalty_raw(
            pub,
            CF_WSH="罚2",
            CF_XDR_MC="宁波二号贸易有限公司",
            CF_JDRQ=decided.isoformat(),
            CF_GSJZQ=own_end.isoformat(),
        ),
    )
    db.session.commit()
    # General severity: 3 months to 1 year. Without a 公示截止期 the maximum applies; an earlier one is kept.
    assert computed.publicity_ends_on == computed.max_until == add_months(decided, 12)
    assert given.publicity_ends_on == given.max_until == own_end
    for rec in (computed, given):
        end = rec.publicity_ends_on.isoformat()
        public = _text(client.get(f"/publicity/records/{rec.id}", headers=ZH).get_data(as_text=True))
        assert f"公示截止期 {end}" in public
        rows = _csv(client.get(f"/publicity/export.csv?kind=penalty&q={rec.decision_no}"))
        assert rows[1][rows[0].index("CF_GSJZQ")] == end
    login(client, pub.clerk)
    staff = client.get(f"/staff/publicity/records/{computed.id}", headers=EN).get_data(as_text=True)
    assert re.search(r'id="publicity-end">' + computed.publicity_ends_on.isoformat(), staff)


def test_publicity_end_before_the_minimum_period_is_refused(pub, validator, en):
    decided = today_china() - dt.timedelta(days=3)
    too_early = (decided + dt.timedelta(days=30)).isoformat()
    result = validator().validate(penalty_raw(pub, CF_JDRQ=decided.isoformat(), CF_GSJZQ=too_early))
    earliest = add_months(decided, 3).isoformat()
    assert result.errors == [
        ("CF_GSJZQ", f"The publicity cannot end before the minimum period of its severity, {earliest}.")
    ]


def test_expiry_sweep_uses_the_date_the_pages_show(pub):
    decided = today_china() - dt.timedelta(days=100)
    end = decided + dt.timedelta(days=110)  # after the 3-month minimum, long before the 1-year maximum
    rec = save(pub, penalty_raw(pub, CF_JDRQ=decided.isoformat(), CF_GSJZQ=end.isoformat()))
    db.session.commit()
    assert rec.status == "published" and rec.publicity_ends_on == end
    assert operations.expire_penalties(end - dt.timedelta(days=1)) == 0
    assert operations.expire_penalties(end) == 1
    assert rec.status == "expired"


# -- 4. staff pages in words and in China time -----------------------------------------------------------


def test_staff_pages_show_words_and_china_time(pub, client, login):
    rec = save(pub, penalty_raw(pub, CF_WSH="罚3"))
    db.session.commit()
    login(client, pub.clerk)
    page = client.get(f"/staff/publicity/records/{rec.id}", headers=ZH).get_data(as_text=True)
    text = _text(page)
    assert "一般" in text and "录入表单" in text
    assert "form" not in re.findall(r"<dd>([^<]*)</dd>", page)
    local = rec.published_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    assert local in text and "+00:00" not in text and "T0" not in text
    job_resp = client.post(
        "/staff/publicity/imports",
        data={"kind": "penalty", "file": (io.BytesIO(workbook([penalty_raw(pub, CF_WSH="罚4")])), "a.xlsx")},
        headers=ZH,
    )
    job_page = client.get(job_resp.headers["Location"], headers=ZH).get_data(as_text=True)
    assert re.search(r'id="import-status">\s*已完成', job_page)
    assert ">done<" not in client.get("/staff/publicity/imports", headers=ZH).get_data(as_text=True)
    status = client.get(job_resp.headers["Location"] + "/status.json", headers=ZH).json
    assert status["status"] == "done" and status["status_label"] == "已完成"


# -- 5. public export without a type ---------------------------------------------------------------------


def test_public_export_of_both_types(pub, client):
    save(pub, penalty_raw(pub, CF_WSH="罚5", CF_XDR_MC="绍兴双类贸易有限公司"))
    save(pub, licensing_raw(pub, XK_WSH="许5", XK_XDR_MC="绍兴双类贸易有限公司"), "licensing")
    db.session.commit()
    page = client.get("/publicity/?q=绍兴双类", headers=EN).get_data(as_text=True)
    assert "XLSX (one sheet per type)" in page and "kind=licensing" in page and "kind=penalty" in page
    wb = load_workbook(io.BytesIO(client.get("/publicity/export.xlsx?q=绍兴双类").data))
    assert wb.sheetnames == ["行政许可", "行政处罚"]
    lic, pen = (list(wb[n].iter_rows(values_only=True)) for n in wb.sheetnames)
    assert lic[0][0] == "XK_XDR_MC" and [r[lic[0].index("XK_WSH")] for r in lic[1:]] == ["许5"]
    assert pen[0][0] == "CF_XDR_MC" and [r[pen[0].index("CF_WSH")] for r in pen[1:]] == ["罚5"]
    choose = client.get("/publicity/export.csv?q=绍兴双类", headers=EN)
    assert choose.status_code == 400 and "A CSV file holds one table" in choose.get_data(as_text=True)
    rows = _csv(client.get("/publicity/export.csv?kind=licensing&q=绍兴双类"))
    assert rows[0][0] == "XK_XDR_MC" and len(rows) == 2


def test_public_export_keeps_the_date_filter(pub, client):
    old = (today_china() - dt.timedelta(days=40)).isoformat()
    save(pub, penalty_raw(pub, CF_WSH="罚6", CF_XDR_MC="台州旧案贸易有限公司", CF_JDRQ=old))
    save(pub, penalty_raw(pub, CF_WSH="罚7", CF_XDR_MC="台州新案贸易有限公司"))
    db.session.commit()
    since = (today_china() - dt.timedelta(days=10)).isoformat()
    rows = _csv(client.get(f"/publicity/export.csv?kind=penalty&q=台州&from={since}"))
    assert [r[rows[0].index("CF_WSH")] for r in rows[1:]] == ["罚7"]


# -- 6. minor penalties are not published, and say so ----------------------------------------------------


def test_minor_penalty_page_says_it_is_not_published_and_why(pub, client, login):
    rec = save(pub, penalty_raw(pub, CF_WSH="罚8", CF_CFLB="警告", CF_NR_FK=None, CF_NR="警告"))
    simplified = save(pub, penalty_raw(pub, CF_WSH="罚9", SIMPLIFIED="是"))
    db.session.commit()
    assert rec.status == simplified.status == "withheld" and rec.severity == "minor"
    assert rec.publicity_ends_on is None
    login(client, pub.clerk)
    page = client.get(f"/staff/publicity/records/{rec.id}", headers=EN).get_data(as_text=True)
    notice = _text(page[page.index('id="not-public-notice"') :][:800])
    assert "not published on the public site and has no publication deadline" in notice
    assert "penalties of this severity (minor) are not published" in notice
    summary = _text(page[page.index('<dl class="summary">') :].split("</dl>", 1)[0])
    for absent in ("Credit repair possible from", "End of the publicity period", "Deadline", "due "):
        assert absent not in summary, absent
    page = client.get(f"/staff/publicity/records/{simplified.id}", headers=EN).get_data(as_text=True)
    assert "simplified procedure" in _text(page[page.index('id="not-public-notice"') :][:800])
    assert client.get(f"/publicity/records/{rec.id}").status_code == 404
    rows = _csv(client.get("/publicity/export.csv?kind=penalty&q=罚8"))
    assert len(rows) == 1


# -- 7. the long-term sentinel is data ---------------------------------------------------------------------


def test_long_term_comes_from_the_setting(pub, client):
    rec = save(pub, penalty_raw(pub, CF_WSH="罚10", CF_XDR_MC="衢州长期贸易有限公司"))
    db.session.commit()
    page = _text(client.get(f"/publicity/records/{rec.id}", headers=ZH).get_data(as_text=True))
    assert "处罚有效期 长期" in page
    operations.update_setting("long_term_date", "2199-12-31")
    db.session.commit()
    page = _text(client.get(f"/publicity/records/{rec.id}", headers=ZH).get_data(as_text=True))
    assert "处罚有效期 2099-12-31" in page and "长期" not in page.split("处罚有效期", 1)[1][:20]


# -- 8. each import error names its field once -------------------------------------------------------------


def test_import_errors_name_the_field_once(pub, client, login):
    login(client, pub.clerk)
    rows = [penalty_raw(pub, CF_WSH="罚11", CF_XDR_MC=None, CF_NR_FK="两千")]
    resp = client.post(
        "/staff/publicity/imports",
        data={"kind": "penalty", "file": (io.BytesIO(workbook(rows)), "bad.xlsx")},
        headers=ZH,
    )
    job_url = resp.headers["Location"]
    page = _text(client.get(job_url, headers=ZH).get_data(as_text=True))
    assert page.count("行政相对人名称") == 1
    errors = client.get(job_url + "/errors.xlsx")
    wb = load_workbook(io.BytesIO(errors.data))
    reasons = list(wb["待修正数据"].iter_rows(values_only=True))[1][-1]
    assert reasons == "罚款金额（万元）：“两千”不是以万元为单位的金额；行政相对人名称：必填，不能为空。"
    listing = list(wb["错误清单"].iter_rows(values_only=True))[1:]
    assert [(r[1], r[2], r[3]) for r in listing] == [
        ("CF_NR_FK", "罚款金额（万元）", "“两千”不是以万元为单位的金额。"),
        ("CF_XDR_MC", "行政相对人名称", "必填，不能为空。"),
    ]
    for _row, _code, _label, message in listing:
        assert _label not in message


# -- 9. catalogue editors keep the matter catalogue ---------------------------------------------------------


def test_catalogue_editor_keeps_the_matter_catalogue_but_not_the_records(pub, client, login, make_staff):
    editor = make_staff(pub.agency, [Role.CATALOG_EDITOR])
    login(client, editor)
    assert client.get("/staff/publicity/matters").status_code == 200
    resp = client.post(
        "/staff/publicity/matters/new",
        data={
            "kind": "penalty",
            "code": "CF002",
            "name": "违反广告法规定的处罚",
            "legal_basis": "《广告法》第五十五条",
            "counterpart_kinds": ["legal_person"],
            "scope": "public",
            "active": "y",
        },
    )
    assert resp.status_code == 302
    assert db.session.execute(db.select(PublicityMatter).where(PublicityMatter.code == "CF002")).scalar_one()
    assert client.post("/staff/publicity/catalogue/submit").status_code == 302
    for url in ("/staff/publicity/", "/staff/publicity/imports", "/staff/publicity/new/penalty"):
        assert client.get(url).status_code == 403, url
    assert db.session.query(PublicityRecord).count() == 0


# -- bad input on the public pages -------------------------------------------------------------------------


def test_out_of_range_numbers_in_the_address_are_ignored_not_errors(pub, client):
    save(pub, penalty_raw(pub, CF_WSH="罚12", CF_XDR_MC="丽水范围贸易有限公司"))
    db.session.commit()
    huge = "9" * 25
    for url in (
        f"/publicity/?q=丽水范围&agency={huge}",
        f"/publicity/?q=丽水范围&page={huge}",
        "/publicity/?q=丽水范围&page=-3",
        f"/publicity/export.csv?kind=penalty&q=丽水范围&agency={huge}",
        f"/publicity/export.xlsx?q=丽水范围&agency={huge}",
    ):
        assert client.get(url).status_code == 200, url
    assert "丽水范围" in client.get(f"/publicity/?q=丽水范围&agency={huge}").get_data(as_text=True)
