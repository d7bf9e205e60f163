"""The normative-documents library and the public annotations (issue 11 §2): valid documents of an agency and its
departments, filters, files, expired and repealed ones annotated when asked; interpretations on entry pages."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.catalog.models import EntryAttachment
from disclosure.catalog.operations import interpretations as interp
from disclosure.catalog.operations import validity
from disclosure.core.storage import store
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from tests.catalog.conftest import interpretation_input, publish_as_system

D = dt.date


def english(client):
    with client.session_transaction() as s:
        s["lang"] = "en"


@pytest.fixture
def shelf(cat, publish_on, make_agency):
    """Three documents of the agency (one repealed by another, one expired), one of a department, one other
    document, one document of an unrelated agency."""
    from disclosure.catalog.operations import entries as ops

    old = publish_on(D(2025, 3, 3), title="旧办法", document_number="测政规〔2025〕1号")
    new = publish_on(D(2026, 3, 10), title="新办法", document_number="测政规〔2026〕1号")
    gone = publish_on(D(2024, 3, 4), title="过期规定", document_number="测政规〔2024〕1号", valid_until="2026-01-01")
    validity.repeal(old, by=new, effective_on=D(2026, 3, 10), actor=cat.head, today=D(2026, 3, 10))
    validity.apply_due_changes(D(2026, 3, 11))
    dept = make_agency(parent_id=cat.agency.id)
    of_dept = publish_as_system(dept, D(2026, 4, 1), title="部门规定", document_number="测局规〔2026〕1号")
    publish_on(
        D(2026, 3, 10), doc_kind="other", category="art20_15", title="普通通知", document_number="测政办〔2026〕2号"
    )
    publish_as_system(cat.other, D(2026, 4, 1), title="无关机关的文件", document_number="外规〔2026〕1号")
    stored = store(
        b"%PDF-1.4 test", original_name="新办法.pdf", content_type="application/pdf", agency_id=cat.agency.id
    )
    ops.act(new, "revise", actor=cat.editor, today=D(2026, 3, 11))
    db.session.add(
        EntryAttachment(entry_id=new.id, file_id=stored.id, title="新办法全文", kind="pdf", created_at=utcnow())
    )
    db.session.flush()
    from tests.catalog.conftest import normative_input

    data = normative_input(title="新办法", document_number="测政规〔2026〕1号", made_on="2026-03-10")
    ops.update_entry(new, data, actor=cat.editor, expected_version=None)
    db.session.commit()
    return {"old": old, "new": new, "gone": gone, "dept": dept, "of_dept": of_dept}


def _titles(html, names):
    return [n for n in names if n in html]


NAMES = ["旧办法", "新办法", "过期规定", "部门规定", "普通通知", "无关机关的文件"]


def test_the_agency_library_lists_valid_documents_with_its_departments(cat, client, shelf):
    english(client)
    html = client.get(f"/catalog/{cat.agency.slug}/library").get_data(as_text=True)
    assert _titles(html, NAMES) == ["新办法", "部门规定"]
    assert "currently valid: 2" in html and shelf["dept"].full_name in html
    dept_html = client.get(f"/catalog/{shelf['dept'].slug}/library").get_data(as_text=True)
    assert _titles(dept_html, NAMES) == ["部门规定"]


def test_the_deployment_library_and_the_filters(cat, client, shelf):
    english(client)
    assert _titles(client.get("/catalog/library").get_data(as_text=True), NAMES) == [
        "新办法",
        "部门规定",
        "无关机关的文件",
    ]
    html = client.get(f"/catalog/{cat.agency.slug}/library?validity=all").get_data(as_text=True)
    assert _titles(html, NAMES) == ["旧办法", "新办法", "过期规定", "部门规定"]
    repealed = client.get(f"/catalog/{cat.agency.slug}/library?validity=repealed").get_data(as_text=True)
    assert _titles(repealed, NAMES) == ["旧办法", "新办法"]  # the repealing document is named in the annotation
    assert "since 2026-03-10" in repealed and f"/catalog/entries/{shelf['new'].index_number}" in repealed
    expired = client.get(f"/catalog/{cat.agency.slug}/library?validity=expired").get_data(as_text=True)
    assert _titles(expired, NAMES) == ["过期规定"] and "since 2026-01-02" in expired
    year = client.get(f"/catalog/{cat.agency.slug}/library?validity=all&year=2024").get_data(as_text=True)
    assert _titles(year, NAMES) == ["过期规定"]
    bad = client.get(f"/catalog/{cat.agency.slug}/library?validity=nope&year=abc&kind=x&page=999999999999999999999")
    assert bad.status_code == 200 and _titles(bad.get_data(as_text=True), NAMES) == ["新办法", "部门规定"]
    assert client.get("/catalog/no-such-agency/library").status_code == 404


def test_files_are_offered_for_download_from_the_published_version_only(cat, client, shelf):
    html = client.get(f"/catalog/{cat.agency.slug}/library").get_data(as_text=True)
    assert "新办法全文" not in html  # added in a revision not yet published


def test_the_entry_page_is_annotated_and_shows_interpretations(cat, client, shelf, take_to):
    from disclosure.catalog.operations import entries as ops

    english(client)
    old_html = client.get(f"/catalog/entries/{shelf['old'].index_number}").get_data(as_text=True)
    assert "This document was repealed on 2026-03-10." in old_html and "新办法" in old_html
    gone_html = client.get(f"/catalog/entries/{shelf['gone'].index_number}").get_data(as_text=True)
    assert "This document expired on 2026-01-02." in gone_html
    entry = ops.create_entry(cat.agency, interpretation_input(title="新办法解读"), actor=cat.editor)
    interp.link_interpretation(entry, shelf["gone"], actor=cat.editor)
    take_to(entry, "published", D(2026, 3, 12))
    db.session.commit()
    doc_html = client.get(f"/catalog/entries/{shelf['gone'].index_number}").get_data(as_text=True)
    assert "Policy interpretations" in doc_html and "新办法解读" in doc_html
    interp_html = client.get(f"/catalog/entries/{entry.index_number}").get_data(as_text=True)
    assert "Documents interpreted" in interp_html and "过期规定" in interp_html
