"""Atom feeds (RFC 4287) of an agency's public entries, and the sitemap (sitemaps.org 0.9) of the platform: XML
built with the standard library's ElementTree, which escapes every text and attribute; characters XML 1.0 cannot
carry (control characters a pasted title may hold) are dropped first, so a feed always parses.

The sitemap holds at most `SITEMAP_MAX_URLS` (50,000, the protocol's limit) URLs per file (a few megabytes);
beyond that `/sitemap.xml` is a sitemap index of numbered files, each read from the database in id order in
batches by keyset.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import func, select

from disclosure.catalog import platform
from disclosure.catalog.models import Entry, EntryVersion
from disclosure.core.timeutil import as_utc
from disclosure.extensions import db

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50
SITEMAP_MAX_URLS = 50_000
BATCH = 2_000
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Text XML 1.0 can hold (ElementTree escapes &, < and >, but writes control characters as they are)."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def _iso(value: dt.datetime) -> str:
    return as_utc(value).isoformat().replace("+00:00", "Z")


def _sub(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(
    *,
    title: str,
    feed_url: str,
    page_url: str,
    author: str,
    browse: platform.Browse,
    entry_url: Callable[[Entry], str],
) -> bytes:
    """The newest `FEED_SIZE` public entries matching `browse`, as an Atom document."""
    rows = db.session.execute(platform.public_rows(browse).limit(FEED_SIZE)).all()
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", feed_url)
    _sub(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=page_url, type="text/html")
    newest = max((as_utc(v.published_at) for _e, v in rows), default=None)
    _sub(feed, "updated", _iso(newest) if newest else "1970-01-01T00:00:00Z")
    _sub(_sub(feed, "author"), "name", author)
    for entry, version in rows:
        meta = version.metadata_json or {}
        item = _sub(feed, "entry")
        url = entry_url(entry)
        _sub(item, "title", version.title)
        _sub(item, "id", url)
        _sub(item, "link", rel="alternate", href=url, type="text/html")
        _sub(item, "updated", _iso(version.published_at))
        _sub(item, "published", f"{version.published_on.isoformat()}T00:00:00+08:00")
        for name in meta.get("issuers") or [author]:
            _sub(_sub(item, "author"), "name", name)
        summary = " ".join(p for p in (version.document_number, meta.get("summary", "")) if p)
        if summary:
            _sub(item, "summary", summary)
        if meta.get("category"):
            _sub(item, "category", term=meta["category"])
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def sitemap_entry_count() -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Entry)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(*platform.public_condition(), Entry.index_number.is_not(None))
    ).scalar_one()


def _entries(offset: int, limit: int) -> Iterator[tuple[str, dt.date]]:
    """(index number, date published) of the public entries in id order, from `offset`, read in batches by
    keyset (no growing OFFSET scan)."""
    first = db.session.execute(
        select(Entry.id)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(*platform.public_condition(), Entry.index_number.is_not(None))
        .order_by(Entry.id)
        .offset(offset)
        .limit(1)
    ).scalar_one_or_none()
    if first is None:
        return
    after, left = first - 1, limit
    while left > 0:
        rows = db.session.execute(
            select(Entry.id, Entry.index_number, EntryVersion.published_on)
            .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
            .where(*platform.public_condition(), Entry.index_number.is_not(None), Entry.id > after)
            .order_by(Entry.id)
            .limit(min(BATCH, left))
        ).all()
        if not rows:
            return
        for _id, number, day in rows:
            yield number, day
        after, left = rows[-1][0], left - len(rows)


def _url(loc: str, lastmod: dt.date | None = None) -> str:
    mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(xml_text(loc))}</loc>{mod}</url>\n"


def stream_urlset(
    page_urls: list[str], entry_url: Callable[[str], str], *, offset: int = 0, limit: int = SITEMAP_MAX_URLS
) -> Iterator[str]:
    """A `<urlset>`: the platform pages, then public entries `offset`…`offset+limit` by index number."""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns={quoteattr(SITEMAP_NS)}>\n'
    for url in page_urls:
        yield _url(url)
    for number, day in _entries(offset, limit - len(page_urls)):
        yield _url(entry_url(number), day)
    yield "</urlset>\n"


def sitemap_index(file_urls: list[str]) -> str:
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns={quoteattr(SITEMAP_NS)}>\n']
    parts += [f"<sitemap><loc>{escape(xml_text(u))}</loc></sitemap>\n" for u in file_urls]
    parts.append("</sitemapindex>\n")
    return "".join(parts)


def sitemap_files(page_count: int, entry_count: int) -> int:
    """How many files the sitemap needs: the pages go in the first file with the first entries."""
    return max(1, -(-(page_count + entry_count) // SITEMAP_MAX_URLS))


def sitemap_slice(number: int, page_count: int) -> tuple[bool, int, int]:
    """(has the pages, entry offset, entry limit) of sitemap file `number` (1-based)."""
    if number == 1:
        return True, 0, SITEMAP_MAX_URLS
    return False, number * SITEMAP_MAX_URLS - SITEMAP_MAX_URLS - page_count, SITEMAP_MAX_URLS
