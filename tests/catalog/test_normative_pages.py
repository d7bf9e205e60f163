"""Staff pages of normative documents: the entry page's validity, links and interpretation parts and their forms,
the overview, the workbench panel and the cleanup pages (issue 11 §2, §3)."""

from __future__ import annotations

import datetime as dt

from disclosure.catalog.models import Cleanup, EntryLink
from disclosure.catalog.operations import entries as ops
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from tests.catalog.conftest import interpretation_input

D = dt.date


def english(client):
    with client.session_transaction() as s:
        s["lang"] = "en"


def test_the_office_head_records_a_repeal_and_errors_stand_beside_their_fields(cat, client, login, publish_on):
    old = publish_on(D(2026, 3, 10))
    new = publish_on(D(2026, 6, 1), title="新办法", document_number="测政规〔2026〕5号")
    login(client, cat.head)
    english(client)
    page = client.get(f"/staff/catalog/entries/{old.id}").get_data(as_text=True)
    assert "Record a repeal" in page and "Validity history" in page
    assert "This rule or normative document has no interpretation yet." in page
    bad = client.post(
        f"/staff/catalog/entries/{old.id}/validity/repeal",
        data={"repeal-by": "无此文", "repeal-effective_on": "2026-02-30", "repeal-reason": ""},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert 'id="repeal-by-error"' in html and "index number or document number" in html
    assert 'id="repeal-effective_on-error"' in html and "YYYY-MM-DD" in html
    ok = client.post(
        f"/staff/catalog/entries/{old.id}/validity/repeal",
        data={"repeal-by": "测政规[2026]5号", "repeal-effective_on": "2026-06-01", "repeal-reason": "被新办法取代"},
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert old.validity == "repealed"
    page = client.get(f"/staff/catalog/entries/{new.id}").get_data(as_text=True)
    assert "Repeals" in page and old.title in page


def test_only_the_office_head_changes_validity(cat, client, login, publish_on):
    old = publish_on(D(2026, 3, 10))
    login(client, cat.editor)
    english(client)
    assert "Record a repeal" not in client.get(f"/staff/catalog/entries/{old.id}").get_data(as_text=True)
    resp = client.post(f"/staff/catalog/entries/{old.id}/validity/repeal", data={"repeal-by": "x"})
    assert resp.status_code == 403


def test_editors_link_an_interpretation_from_either_page(cat, client, login, publish_on):
    doc = publish_on(D(2026, 3, 10))
    entry = ops.create_entry(cat.agency, interpretation_input(), actor=cat.editor)
    db.session.commit()
    login(client, cat.editor)
    english(client)
    bad = client.post(f"/staff/catalog/entries/{doc.id}/links", data={"link-document": doc.index_number})
    assert bad.status_code == 400 and "Name an interpretation entry" in bad.get_data(as_text=True)
    ok = client.post(f"/staff/catalog/entries/{doc.id}/links", data={"link-document": f"#{entry.id}"})
    assert ok.status_code == 302
    link = db.session.execute(db.select(EntryLink)).scalar_one()
    assert (link.source_id, link.target_id, link.relation) == (entry.id, doc.id, "interprets")
    page = client.get(f"/staff/catalog/entries/{entry.id}").get_data(as_text=True)
    assert "Documents this interpretation interprets" in page and doc.title in page
    removed = client.post(f"/staff/catalog/entries/{entry.id}/links/{link.id}/remove")
    assert removed.status_code == 302 and db.session.execute(db.select(EntryLink)).first() is None


def test_the_overview_and_the_workbench_panel(cat, client, login, publish_on):
    publish_on(D(2026, 3, 10), valid_until="2027-01-31")
    login(client, cat.legal)
    english(client)
    html = client.get("/staff/catalog/normative").get_data(as_text=True)
    assert "测试市政府信息公开管理办法" in html and "2027-01-31" in html  # due for evaluation, missing interpretation
    assert "Documents missing an interpretation" in html
    home = client.get("/staff/").get_data(as_text=True)
    assert "Normative documents and interpretations" in home


def test_a_cleanup_through_its_pages(cat, client, login, publish_on):
    docs = [publish_on(D(2026, 3, 10), document_number=f"测政规〔2026〕{n}号", title=f"规范性文件{n}") for n in (1, 2)]
    english(client)
    login(client, cat.admin)
    bad = client.post("/staff/catalog/cleanups", data={"title": "", "scope": "periodic"})
    assert bad.status_code == 400 and 'id="title-error"' in bad.get_data(as_text=True)
    assert (
        client.post("/staff/catalog/cleanups", data={"title": "2026年度清理", "scope": "periodic"}).status_code == 302
    )
    cleanup = db.session.execute(db.select(Cleanup)).scalar_one()
    client.post("/logout")
    login(client, cat.legal)
    english(client)
    items = cleanup.items
    bad = client.post(
        f"/staff/catalog/cleanups/{cleanup.id}/items/{items[0].id}", data={f"item{items[0].id}-decision": "continue"}
    )
    assert bad.status_code == 400 and "Give the reason for the decision." in bad.get_data(as_text=True)
    for item, decision in zip(items, ("continue", "repeal"), strict=True):
        resp = client.post(
            f"/staff/catalog/cleanups/{cleanup.id}/items/{item.id}",
            data={f"item{item.id}-decision": decision, f"item{item.id}-reason": "依据上位法"},
        )
        assert resp.status_code == 302
    assert client.post(f"/staff/catalog/cleanups/{cleanup.id}/act/complete").status_code == 302
    assert (
        client.post(
            f"/staff/catalog/cleanups/{cleanup.id}/act/approve", data={"approve-effective_on": "2099-01-01"}
        ).status_code
        == 403
    )
    client.post("/logout")
    login(client, cat.head)
    english(client)
    past = client.post(f"/staff/catalog/cleanups/{cleanup.id}/act/approve", data={"approve-effective_on": "2020-01-01"})
    assert past.status_code == 400 and "before today" in past.get_data(as_text=True)
    today = today_china().isoformat()
    assert (
        client.post(
            f"/staff/catalog/cleanups/{cleanup.id}/act/approve", data={"approve-effective_on": today}
        ).status_code
        == 302
    )
    assert client.post(f"/staff/catalog/cleanups/{cleanup.id}/act/publish").status_code == 302
    db.session.expire_all()
    assert cleanup.state == "published" and [d.validity for d in docs] == ["valid", "repealed"]
    page = client.get(f"/staff/catalog/cleanups/{cleanup.id}").get_data(as_text=True)
    assert "关于公布2026年度清理结果的通知" in page
    assert "2026年度清理" in client.get("/staff/catalog/cleanups").get_data(as_text=True)
