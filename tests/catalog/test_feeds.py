"""Atom feeds and the sitemap (issue 11 §5): well-formed XML, public entries only, escaping."""

from __future__ import annotations

from defusedxml import ElementTree as ET

from disclosure.catalog import feeds
from disclosure.catalog.operations import entries as ops
from disclosure.extensions import db

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_agency_feed_parses_and_escapes(cat, client, publish_entry):
    entry = publish_entry(title="关于<b>“标题”</b> & 其他\x07的通知")
    hidden = publish_entry(title="撤回的通知", document_number="测〔2026〕8号")
    ops.act(hidden, "withdraw", actor=cat.head, reason="错误")
    db.session.commit()
    resp = client.get(f"/catalog/{cat.agency.slug}/feed.atom")
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(resp.data)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == ["关于<b>“标题”</b> & 其他的通知"]
    link = root.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.endswith(f"/catalog/entries/{entry.index_number}")


def test_category_feed(cat, client, publish_entry):
    stats = publish_entry(title="统计公报", category="art20_4", document_number="")
    publish_entry(title="其他", category="art20_15", document_number="")
    root = ET.fromstring(client.get(f"/catalog/{cat.agency.slug}/art20_4/feed.atom").data)
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == [stats.title]
    assert client.get(f"/catalog/{cat.agency.slug}/art99/feed.atom").status_code == 404
    assert client.get("/catalog/no-such-agency/feed.atom").status_code == 404


def test_sitemap_lists_platform_pages_and_public_entries(cat, client, publish_entry):
    entry = publish_entry()
    withheld = publish_entry(
        attribute="not_disclosed", attribute_basis="other", attribute_reason="内部", title="内部", document_number=""
    )
    root = ET.fromstring(client.get("/sitemap.xml").data)
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert any(loc.endswith(f"/catalog/entries/{entry.index_number}") for loc in locs)
    assert not any(withheld.index_number in loc for loc in locs)
    assert any(loc.endswith(f"/catalog/{cat.agency.slug}/guide") for loc in locs)


def test_sitemap_becomes_an_index_beyond_the_limit(cat, client, publish_entry, monkeypatch):
    entries = [publish_entry(document_number=f"测〔2026〕{n}号", title=f"文件{n}") for n in range(1, 4)]
    pages = len(ET.fromstring(client.get("/sitemap.xml").data).findall(f"{SM}url")) - 3
    monkeypatch.setattr(feeds, "SITEMAP_MAX_URLS", pages + 1)  # the pages and one entry, then two more files
    root = ET.fromstring(client.get("/sitemap.xml").data)
    assert root.tag == f"{SM}sitemapindex"
    parts = [s.findtext(f"{SM}loc") for s in root.findall(f"{SM}sitemap")]
    assert len(parts) == 2
    seen = []
    for part in parts:
        path = part.split("localhost", 1)[-1]
        urls = ET.fromstring(client.get(path).data).findall(f"{SM}url")
        seen += [u.findtext(f"{SM}loc") for u in urls]
    assert sum(1 for e in entries for loc in seen if loc.endswith(e.index_number)) == 3
    assert client.get("/sitemap-3.xml").status_code == 404
