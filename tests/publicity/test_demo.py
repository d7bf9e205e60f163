"""`disclosure demo` gives the public site something to find: an approved catalogue, the responsibility form and
licensing and penalty decisions of the last months for the demo agencies, entered through the operations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from disclosure.core.audit import AuditEvent
from disclosure.core.timeutil import today_china
from disclosure.core.validators import mask_resident_id, validate_resident_id, validate_uscc
from disclosure.demo import load_demo
from disclosure.extensions import db
from disclosure.publicity import demo
from disclosure.publicity.models import (
    CatalogueVersion,
    PublicityMatter,
    PublicityRecord,
    Responsibility,
)
from disclosure.publicity.search import SearchQuery, search


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar()


def test_demo_identities_are_valid():
    for who in (demo.ZHOU_PERSON, demo.LI_PERSON):
        assert validate_resident_id(who[1]) == who[1]
    for who in (demo.HONGYUAN, demo.XIANWEI, demo.LAOWANG, demo.JIANXIN):
        assert validate_uscc(who[1]) == who[1]
    assert demo.make_resident_id("110105", dt.date(1949, 12, 31), 2) == "11010519491231002X"


def test_demo_publicity_data_found_by_the_public_and_loaded_once(app_ctx, client, login):
    load_demo()
    db.session.commit()
    records = db.session.execute(select(PublicityRecord)).scalars().all()
    by_name = {(r.counterpart_name, r.kind): r for r in records}
    assert {r.agency.slug for r in records} == {"demo-gov", "demo-finance"}
    assert db.session.execute(select(CatalogueVersion.status)).scalars().all() == ["approved", "approved"]
    assert _count(Responsibility) == 2

    # The life cycle the pages and the dashboard explain: each state and each timeliness is there.
    assert {r.status for r in records} == {"published", "withheld", "withdrawn", "repaired", "pending"}
    assert {r.timeliness for r in records} == {"on_time", "late", "overdue", "not_applicable"}
    assert {r.severity for r in records if r.kind == "penalty"} == {"minor", "general", "serious"}
    assert {r.counterpart_category for r in records} == {"法人及非法人组织", "个体工商户", "自然人"}
    revoked = by_name[("示例市星光广告传媒有限公司", "licensing")]
    assert revoked.licence_state == "2" and revoked.end_reason
    expired = by_name[("示例市绿源建设工程有限公司", "licensing")]
    assert expired.valid_to < today_china() and expired.status == "published"
    assert by_name[("示例市恒通物流有限公司", "penalty")].status == "repaired"
    withdrawn = by_name[("示例市禾丰食品有限公司", "penalty")]
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawal_kind == "revoked"
    published_on = {r.published_on for r in records if r.published_on}
    assert len(published_on) > 10 and min(published_on) < today_china() - dt.timedelta(days=150)

    # A two-character search finds several companies; the latest list holds only the last days' records.
    page = client.get("/publicity/?q=建设").get_data(as_text=True)
    for name in ("示例市宏远建设工程有限公司", "示例市城南建设集团有限公司", "示例市绿源建设工程有限公司"):
        assert name in page
    page = client.get("/publicity/?q=食品").get_data(as_text=True)
    assert "示例市鲜味食品有限公司" in page and "示例市百味食品贸易有限公司" in page
    latest = client.get("/publicity/latest").get_data(as_text=True)
    assert "示例市城南建设集团有限公司" in latest and "示例市鲜味食品有限公司" not in latest

    # A natural person's identity number is masked on the public page.
    person = by_name[("周建平", "penalty")]
    page = client.get(f"/publicity/records/{person.id}").get_data(as_text=True)
    assert mask_resident_id(demo.ZHOU_PERSON[1]) in page and demo.ZHOU_PERSON[1] not in page

    # The simplified-procedure warning is collected, never public.
    minor = by_name[("李晓燕", "penalty")]
    assert (minor.severity, minor.simplified_procedure, minor.status) == ("minor", True, "withheld")
    assert client.get(f"/publicity/records/{minor.id}").status_code == 404
    assert search(SearchQuery(q="李晓燕")).total == 0
    assert minor.decision_no not in client.get("/publicity/?q=李晓燕").get_data(as_text=True)

    # The credit supervisor's dashboard and the clerk's pages open on the demo data.
    from disclosure.accounts.models import User

    supervisor = db.session.execute(
        select(User).where(User.email == "credit-supervisor@demo-gov.example.cn")
    ).scalar_one()
    supervisor.set_password("demo-password-7x")
    db.session.commit()
    login(client, supervisor, "demo-password-7x")
    for url in ("/staff/publicity/dashboard", "/staff/publicity/", "/staff/publicity/matters"):
        assert client.get(url).status_code == 200, url
    for record in records[:25]:
        if record.agency.slug == "demo-gov":
            assert client.get(f"/staff/publicity/records/{record.id}").status_code == 200

    # A second run adds nothing, not even an audit event.
    counts = [_count(m) for m in (PublicityRecord, PublicityMatter, CatalogueVersion, AuditEvent)]
    assert load_demo() == []
    db.session.commit()
    assert [_count(m) for m in (PublicityRecord, PublicityMatter, CatalogueVersion, AuditEvent)] == counts
