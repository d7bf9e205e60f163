"""The public entry pages and the platform (issue 11 §5): what the public sees is the published version."""

from __future__ import annotations

from disclosure.catalog.models import EntryAttachment, EntryLink
from disclosure.catalog.operations import entries as ops
from disclosure.core.storage import store
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db


def english(client):
    with client.session_transaction() as s:
        s["lang"] = "en"


def url(entry):
    return f"/catalog/entries/{entry.index_number}"


def test_entry_page_shows_the_metadata_block_and_body(cat, client, publish_entry):
    entry = publish_entry()
    english(client)
    html = client.get(url(entry)).get_data(as_text=True)
    for text in (
        entry.index_number,
        "关于做好2026年政务公开工作的通知",
        "测政办发〔2026〕5号",
        "2026-03-02",
        "综合政务\\政务公开",
        cat.agency.full_name,
        "现将有关事项通知如下",
        "Valid",
        "Index number",
    ):
        assert text in html, text
    assert client.get(f"/catalog/print/{entry.index_number}").status_code == 200


def test_a_revision_in_progress_is_not_shown(cat, client, publish_entry):
    entry = publish_entry()
    ops.act(entry, "revise", actor=cat.editor)
    ops.update_entry(
        entry,
        {**_input(entry), "title": "修订中的标题", "body_html": "<p>草稿正文</p>"},
        actor=cat.editor,
        expected_version=None,
    )
    db.session.commit()
    html = client.get(url(entry)).get_data(as_text=True)
    assert "修订中的标题" not in html and "草稿正文" not in html
    assert "关于做好2026年政务公开工作的通知" in html
    listing = client.get(f"/catalog/{cat.agency.slug}/browse").get_data(as_text=True)
    assert "修订中的标题" not in listing and entry.index_number in listing


def _input(entry):
    from tests.catalog.conftest import entry_input

    return entry_input()


def test_drafts_recorded_and_withdrawn_entries(cat, client, publish_entry):
    draft = ops.create_entry(
        cat.agency, _input(None) | {"document_number": "测政办发〔2026〕9号", "title": "草稿文件"}, actor=cat.editor
    )
    withheld = publish_entry(
        attribute="not_disclosed",
        attribute_basis="other",
        attribute_reason="涉及内部事务",
        document_number="测〔2026〕1号",
        title="不予公开的文件",
    )
    on_request = publish_entry(
        attribute="on_request",
        attribute_basis="other",
        attribute_reason="涉及内部事务",
        document_number="测〔2026〕2号",
        title="依申请公开的文件",
    )
    gone = publish_entry(document_number="测〔2026〕3号", title="已撤回的文件", body_html="<p>撤回前正文</p>")
    ops.act(gone, "withdraw", actor=cat.head, reason="内容已过时")
    db.session.commit()
    english(client)
    assert client.get(url(withheld)).status_code == 404
    page = client.get(url(on_request)).get_data(as_text=True)
    assert "依申请公开的文件" in page and f"/applications/new?agency={cat.agency.slug}" in page
    withdrawn = client.get(url(gone))
    text = withdrawn.get_data(as_text=True)
    assert withdrawn.status_code == 200 and "内容已过时" in text and "撤回前正文" not in text
    assert "withdrawn on" in text
    assert client.get("/catalog/entries/nope/2026-00001").status_code == 404
    listing = client.get(f"/catalog/{cat.agency.slug}/browse").get_data(as_text=True)
    for title in ("草稿文件", "不予公开的文件", "依申请公开的文件", "已撤回的文件"):
        assert title not in listing
    assert draft.index_number is None


def test_on_request_entries_hidden_when_the_agency_does_not_list_them(cat, client, publish_entry):
    on_request = publish_entry(
        attribute="on_request", attribute_basis="other", attribute_reason="涉及内部事务", title="依申请公开的文件"
    )
    ops.settings_for(cat.agency.id).list_on_request_entries = False
    db.session.commit()
    assert client.get(url(on_request)).status_code == 404


def test_joint_issuers_list_the_entry_in_each_catalogue(cat, client, publish_entry):
    entry = publish_entry(issuer_ids=[str(cat.other.id)])
    for slug in (cat.agency.slug, cat.other.slug):
        assert entry.index_number in client.get(f"/catalog/{slug}/browse").get_data(as_text=True)
        assert entry.index_number in client.get(f"/catalog/{slug}/").get_data(as_text=True)
    english(client)
    html = client.get(url(entry)).get_data(as_text=True)
    assert cat.other.full_name in html
    third = client.get(f"/catalog/{cat.agency.slug}/browse?issuer={cat.other.id}").get_data(as_text=True)
    assert entry.index_number in third


def test_browse_filters_and_counts(cat, client, publish_entry):
    from disclosure.catalog.models import Genre

    a = publish_entry(title="统计公报", category="art20_4", document_number="")
    b = publish_entry(title="应急预案", category="art20_12", document_number="")
    english(client)
    html = client.get(f"/catalog/{cat.agency.slug}/browse?category=art20_4").get_data(as_text=True)
    assert a.index_number in html and b.index_number not in html
    assert "(1)" in html
    genre = db.session.execute(db.select(Genre).where(Genre.name == "通知")).scalar_one()
    html = client.get(f"/catalog/browse?genre={genre.id}&year=2026&theme=abc&page=99").get_data(as_text=True)
    assert a.index_number in html and b.index_number in html
    html = client.get("/catalog/browse?year=1990").get_data(as_text=True)
    assert a.index_number not in html
    home = client.get("/catalog/").get_data(as_text=True)
    assert "Annual reports" in home and cat.agency.full_name in home


def test_attachment_download_only_for_the_published_version(cat, client, publish_entry):
    entry = publish_entry()
    stored = store(b"%PDF-1.4 test", original_name="通知.pdf", content_type="application/pdf", agency_id=cat.agency.id)
    db.session.flush()
    att = EntryAttachment(entry_id=entry.id, file_id=stored.id, kind="pdf", title="通知全文", created_at=utcnow())
    db.session.add(att)
    db.session.commit()
    assert client.get(f"{url(entry)}/files/{att.id}").status_code == 404  # not in the published version
    ops.act(entry, "revise", actor=cat.editor)
    ops.act(entry, "submit", actor=cat.editor)
    ops.act(entry, "confirm_attribute", actor=cat.registrar)
    ops.act(entry, "pass_secrecy", actor=cat.secrecy)
    ops.act(entry, "publish", actor=cat.head, comment="增加附件")
    db.session.commit()
    resp = client.get(f"{url(entry)}/files/{att.id}")
    assert resp.status_code == 200 and resp.data == b"%PDF-1.4 test"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "通知全文" in client.get(url(entry)).get_data(as_text=True)


def test_related_documents_link_both_ways(cat, client, publish_entry):
    old = publish_entry(title="旧办法", document_number="测〔2025〕1号")
    new = publish_entry(title="新办法", document_number="测〔2026〕7号")
    db.session.add(EntryLink(source_id=new.id, target_id=old.id, relation="repeals", created_at=utcnow()))
    db.session.commit()
    english(client)
    assert "Repealed by" in client.get(url(old)).get_data(as_text=True)
    assert "旧办法" in client.get(url(new)).get_data(as_text=True)
