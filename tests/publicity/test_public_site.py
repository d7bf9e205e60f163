"""The public site: search by name (two characters and more), credit code and decision number, filters and
ranking; record pages and exports masked (rules §5.5); latest list; published catalogues only after review."""

from __future__ import annotations

import csv
import datetime as dt
import io

from disclosure.core.textsearch import index_text, tokens
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.publicity import operations
from disclosure.publicity.search import SearchQuery, search
from tests.factories import REAL_IDS, REAL_USCC, licensing_raw, penalty_raw, save


def _names(result):
    return [r.counterpart_name for r in result.rows]


def person(pub, number, name="王小明", **over):
    return penalty_raw(
        pub,
        CF_WSH=number,
        CF_XDR_MC=name,
        CF_XDR_LB="自然人",
        CF_XDR_SHXYM=None,
        CF_FRDB=None,
        CF_XDR_ZJLX="身份证",
        CF_XDR_ZJHM=REAL_IDS[0],
        **over,
    )


def test_tokens():
    assert tokens("北京市ABC科技（有限）公司") == "北 京 市 abc 科 技 有 限 公 司"
    assert index_text("北京科技") == "北 京 科 技 | 北京 京科 科技"


def test_search_by_two_and_four_characters_credit_code_and_decision_number(pub):
    save(pub, penalty_raw(pub, CF_WSH="罚1", CF_XDR_MC="杭州西湖科技有限公司"))
    save(pub, penalty_raw(pub, CF_WSH="罚2", CF_XDR_MC="湖州科技馆", CF_XDR_SHXYM=REAL_USCC[1]))
    save(pub, penalty_raw(pub, CF_WSH="罚3", CF_XDR_MC="宁波海湖贸易有限公司", CF_XDR_SHXYM=REAL_USCC[2]))
    save(pub, licensing_raw(pub, XK_XDR_MC="西湖餐饮店"), "licensing")
    db.session.commit()
    assert sorted(_names(search(SearchQuery(q="科技")))) == ["杭州西湖科技有限公司", "湖州科技馆"]
    # Relevance: the shorter name, where the query is a larger share, first.
    assert _names(search(SearchQuery(q="湖贸"))) == ["宁波海湖贸易有限公司"]
    assert _names(search(SearchQuery(q="西湖"))) == ["西湖餐饮店", "杭州西湖科技有限公司"]
    assert _names(search(SearchQuery(q="西湖科技"))) == ["杭州西湖科技有限公司"]
    assert _names(search(SearchQuery(q="湖州科技馆"))) == ["湖州科技馆"]
    assert _names(search(SearchQuery(q="州"))) == ["湖州科技馆", "杭州西湖科技有限公司"]
    by_code = search(SearchQuery(q=REAL_USCC[1].lower(), kind="penalty"))
    assert by_code.mode == "credit_code" and _names(by_code) == ["湖州科技馆"]
    by_no = search(SearchQuery(q="罚3"))
    assert by_no.mode == "decision_no" and _names(by_no) == ["宁波海湖贸易有限公司"]
    assert _names(search(SearchQuery(q="西湖", kind="penalty"))) == ["杭州西湖科技有限公司"]
    assert search(SearchQuery(q="（）")).total == 0


def test_filters_and_date_order(pub, make_agency):
    old = (today_china() - dt.timedelta(days=40)).isoformat()
    save(pub, penalty_raw(pub, CF_WSH="罚1", CF_XDR_MC="甲科技公司", CF_JDRQ=old))
    save(pub, penalty_raw(pub, CF_WSH="罚2", CF_XDR_MC="乙科技有限责任公司"))
    db.session.commit()
    result = search(SearchQuery(q="科技", order="date"))
    assert _names(result) == ["乙科技有限责任公司", "甲科技公司"]
    since = today_china() - dt.timedelta(days=10)
    assert _names(search(SearchQuery(q="科技", date_from=since))) == ["乙科技有限责任公司"]
    other = make_agency()
    assert search(SearchQuery(q="科技", agency_id=other.id)).total == 0


def test_only_public_records_are_found_and_shown(pub, client):
    shown = save(pub, penalty_raw(pub, CF_WSH="罚1", CF_XDR_MC="公开科技公司"))
    hidden = save(
        pub, penalty_raw(pub, CF_WSH="罚2", CF_XDR_MC="简易科技公司", SIMPLIFIED="是", CF_CFLB="罚款", CF_NR_FK="0.01")
    )
    pending = save(pub, penalty_raw(pub, CF_WSH="罚3", CF_XDR_MC="待公示科技公司"), publish=False)
    db.session.commit()
    assert _names(search(SearchQuery(q="科技"))) == ["公开科技公司"]
    assert client.get(f"/publicity/records/{shown.id}").status_code == 200
    for rec in (hidden, pending):
        assert client.get(f"/publicity/records/{rec.id}").status_code == 404
    page = client.get("/publicity/?q=科技").get_data(as_text=True)
    assert "公开科技公司" in page and "简易科技公司" not in page and "待公示科技公司" not in page


def test_identity_numbers_masked_on_every_public_page_and_export(pub, client):
    rec = save(pub, person(pub, "罚9"))
    legal = save(
        pub, penalty_raw(pub, CF_WSH="罚10", CF_XDR_MC="法人科技公司", CF_FR_ZJLX="身份证", CF_FR_ZJHM=REAL_IDS[1])
    )
    db.session.commit()
    masked = "110105********002X"
    for url in (
        f"/publicity/records/{rec.id}",
        "/publicity/?q=王小明",
        "/publicity/latest",
        "/publicity/",
        f"/publicity/records/{legal.id}",
        "/publicity/export.csv?kind=penalty&q=王小明",
        "/publicity/export.csv?kind=penalty&q=法人",
    ):
        body = client.get(url).get_data(as_text=True)
        assert REAL_IDS[0] not in body and REAL_IDS[1] not in body, url
    assert masked in client.get(f"/publicity/records/{rec.id}").get_data(as_text=True)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/publicity/export.csv?kind=penalty&q=王小明").get_data(as_text=True).lstrip("\ufeff")
            )
        )
    )
    header = rows[0]
    assert "CF_FR_ZJHM" not in header and rows[1][header.index("CF_XDR_ZJHM")] == masked
    xlsx = client.get("/publicity/export.xlsx?kind=penalty&q=王小明")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_withdrawn_record_shows_its_reason_and_leaves_the_search(pub, client):
    rec = save(pub, penalty_raw(pub, CF_XDR_MC="撤销科技公司"))
    operations.withdraw_record(rec, withdrawal_kind="void", reason="经人民法院确认无效", changed_on=today_china())
    db.session.commit()
    assert search(SearchQuery(q="撤销科技")).total == 0
    body = client.get(f"/publicity/records/{rec.id}").get_data(as_text=True)
    assert "经人民法院确认无效" in body and "销售过期食品" not in body


def test_latest_list_is_configurable(pub, client):
    rec = save(pub, penalty_raw(pub, CF_XDR_MC="最新科技公司"))
    db.session.commit()
    assert "最新科技公司" in client.get("/publicity/latest").get_data(as_text=True)
    rec.published_at = rec.published_at - dt.timedelta(days=11)
    db.session.commit()
    assert "最新科技公司" not in client.get("/publicity/latest").get_data(as_text=True)
    operations.update_setting("latest_days", 20)
    db.session.commit()
    assert "最新科技公司" in client.get("/publicity/latest").get_data(as_text=True)
    assert "最新科技公司" in client.get("/publicity/?q=最新").get_data(as_text=True)  # still searchable


def test_licence_page_shows_its_state(pub, client):
    lic = save(pub, licensing_raw(pub), "licensing")
    operations.revoke_licence(lic, reason="依法撤销")
    db.session.commit()
    body = client.get(f"/publicity/records/{lic.id}").get_data(as_text=True)
    assert 'id="licence-state">无效' in body or "Invalid (revoked or expired)" in body


def test_catalogue_published_only_after_the_confidentiality_review(pub, client, en):
    from disclosure.publicity.models import CatalogueStatus

    slug = pub.agency.slug
    assert client.get(f"/publicity/catalogues/{slug}").status_code == 404
    version = operations.submit_catalogue(pub.agency, pub.clerk)
    db.session.commit()
    assert client.get(f"/publicity/catalogues/{slug}").status_code == 404
    import pytest

    from disclosure.core.errors import DomainError

    with pytest.raises(DomainError):
        operations.review_catalogue(version, pub.clerk, approve=True, comment="")
    operations.review_catalogue(version, pub.reviewer, approve=True, comment="无涉密内容")
    db.session.commit()
    assert version.status == CatalogueStatus.APPROVED
    body = client.get(f"/publicity/catalogues/{slug}").get_data(as_text=True)
    assert "食品经营许可" in body and "违反食品安全规定的处罚" in body
    assert pub.agency.full_name in client.get("/publicity/catalogues").get_data(as_text=True)
    # A later change is not public until the next version is approved.
    operations.save_matter(
        pub.agency,
        {
            "kind": "licensing",
            "code": "XK002",
            "name": "新增许可事项",
            "legal_basis": "某法",
            "counterpart_kinds": ["legal_person"],
            "scope": "public",
            "active": True,
        },
    )
    db.session.commit()
    assert "新增许可事项" not in client.get(f"/publicity/catalogues/{slug}").get_data(as_text=True)


def test_public_licence_page_states_the_licence_state_in_words(pub, client):
    rec = save(pub, licensing_raw(pub), kind="licensing")
    db.session.commit()
    page = client.get(f"/publicity/records/{rec.id}").get_data(as_text=True)
    assert 'id="licence-state"' in page
    assert "当前状态" not in page  # the raw XK_ZT code ("1") is not shown
