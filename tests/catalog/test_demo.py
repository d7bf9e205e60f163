"""The demo catalogue (issue 11 §6): entered through the operations for each demo agency, loaded twice without
duplicating, and visible on the public platform and in the normative-documents library."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(app_ctx):
    from disclosure.catalog.tasks import dispatch_extractions
    from disclosure.demo import load_demo
    from disclosure.extensions import db

    load_demo()
    db.session.commit()
    dispatch_extractions()  # what the worker does after the commit: the attachment's text is read
    return db


def _entries(agency_slug):
    from disclosure.accounts.models import Agency
    from disclosure.catalog.models import Entry
    from disclosure.extensions import db

    agency = db.session.execute(db.select(Agency).where(Agency.slug == agency_slug)).scalar_one()
    return agency, list(db.session.execute(db.select(Entry).where(Entry.agency_id == agency.id)).scalars())


def test_demo_catalogue_goes_through_the_workflow_and_loads_once(demo):
    from disclosure.catalog.models import Cleanup, Entry, EntryAttachment, EntryIssuer, EntryReview
    from disclosure.catalog.operations import guide, interpretations
    from disclosure.catalog.timeliness import judge
    from disclosure.core.timeutil import today_china
    from disclosure.demo import load_demo

    db = demo
    gov, entries = _entries("demo-gov")
    finance, finance_entries = _entries("demo-finance")
    published = [e for e in entries if e.state == "published"]
    assert len({e.category for e in published}) >= 4
    assert len({e.theme_id for e in published}) >= 4 and len({e.genre_id for e in published}) >= 4
    assert {e.validity for e in entries if e.kind.normative} == {"valid", "repealed", "expired"}
    assert {e.source for e in entries} >= {"form", "guide", "cleanup"}
    # Every step was taken by the demo staff: the reviews are recorded.
    steps = set(
        db.session.execute(
            db.select(EntryReview.step).where(EntryReview.entry_id.in_([e.id for e in entries]))
        ).scalars()
    )
    assert steps == {"attribute", "secrecy", "approval", "legality"}
    # Art. 26: on time, late, overdue and due soon.
    today = today_china()
    verdicts = {
        judge(e.due_on, e.first_published_on, today)
        for e in entries
        if e.source == "form" and e.attribute == "proactive"
    }
    assert {"on_time", "late", "overdue", "due_soon"} <= {v.value for v in verdicts if v}
    assert [late.interpretation.title for late in interpretations.late_interpretations(gov.id)] == [
        "《示例市城市道路占用挖掘管理办法》政策解读"
    ]
    assert guide.guide_entry(gov).is_public and guide.guide_entry(finance).is_public
    cleanup = db.session.execute(db.select(Cleanup).where(Cleanup.agency_id == gov.id)).scalar_one()
    assert cleanup.state == "published" and db.session.get(Entry, cleanup.result_entry_id).is_public
    withheld = next(e for e in entries if e.attribute == "not_disclosed")
    assert withheld.state == "recorded" and withheld.index_number and not withheld.is_public
    joint = db.session.execute(db.select(EntryIssuer).where(EntryIssuer.agency_id == finance.id)).scalars().all()
    assert any(db.session.get(Entry, i.entry_id).agency_id == gov.id for i in joint)
    (attachment,) = db.session.execute(db.select(EntryAttachment)).scalars().all()
    assert attachment.text_status in ("done", "failed")
    assert attachment.text_status == "failed" or "地区生产总值" in attachment.text

    count = db.session.execute(db.select(db.func.count(Entry.id))).scalar_one()
    assert load_demo() == []
    db.session.commit()
    assert db.session.execute(db.select(db.func.count(Entry.id))).scalar_one() == count
    assert len(finance_entries) >= 6


def test_demo_platform_and_library_show_the_catalogue(demo, client):
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get("/catalog/demo-gov/").get_data(as_text=True)
    assert "示例市城市道路占用挖掘管理办法" in page or "2025年示例市国民经济和社会发展统计公报" in page
    browse = client.get("/catalog/demo-gov/browse").get_data(as_text=True)
    assert "示例市人民政府办公室2026年公开招聘事业单位工作人员公告" in browse
    assert "示例市2026年防汛抗旱指挥部成员通讯录" not in browse  # 不予公开: never public
    repealed = client.get("/catalog/demo-gov/library?validity=repealed").get_data(as_text=True)
    assert "示例市城市道路占用挖掘管理办法（试行）" in repealed
    expired = client.get("/catalog/demo-gov/library?validity=expired").get_data(as_text=True)
    assert "示例市老旧小区改造专项资金管理暂行办法" in expired
    assert "示例市机动车停车场管理规定" in expired  # declared expired by the cleanup
    finance = client.get("/catalog/demo-finance/browse").get_data(as_text=True)
    assert "关于进一步加强政府性债务管理的通知" in finance  # the joint document, in both catalogues
    assert client.get("/catalog/demo-gov/guide").status_code == 200
