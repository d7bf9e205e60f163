"""Atom feeds per agency and per statutory category, and `/sitemap.xml` (issue 11 §5)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, url_for

from disclosure.catalog import feeds, platform
from disclosure.catalog.classification import CATEGORIES, category_label
from disclosure.catalog.views.common import public_bp
from disclosure.catalog.views.public_platform import agency_or_404
from disclosure.web.access import public

# /sitemap.xml lives at the site's root, outside the /catalog prefix.
sitemap_bp = Blueprint("catalog_sitemap", __name__)

ATOM = "application/atom+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"


def _entry_url(entry) -> str:
    return url_for("catalog_public.entry", index_number=entry.index_number, _external=True)


def _feed_response(data: bytes) -> Response:
    resp = Response(data, mimetype="application/atom+xml")
    resp.headers["Content-Type"] = ATOM
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@public_bp.route("/<slug>/feed.atom")
@public
def agency_feed(slug: str):
    agency = agency_or_404(slug)
    return _feed_response(
        feeds.atom_feed(
            title=f"{agency.full_name} 政府信息公开",
            feed_url=url_for("catalog_public.agency_feed", slug=slug, _external=True),
            page_url=url_for("catalog_public.agency_home", slug=slug, _external=True),
            author=agency.full_name,
            browse=platform.Browse(agency_id=agency.id),
            entry_url=_entry_url,
        )
    )


@public_bp.route("/<slug>/<category>/feed.atom")
@public
def category_feed(slug: str, category: str):
    agency = agency_or_404(slug)
    if category not in CATEGORIES:
        abort(404)
    return _feed_response(
        feeds.atom_feed(
            title=f"{agency.full_name} · {category_label(category)}",
            feed_url=url_for("catalog_public.category_feed", slug=slug, category=category, _external=True),
            page_url=url_for("catalog_public.agency_browse", slug=slug, category=category, _external=True),
            author=agency.full_name,
            browse=platform.Browse(agency_id=agency.id, category=category),
            entry_url=_entry_url,
        )
    )


def _page_urls() -> list[str]:
    """The platform pages: its home, the browse, the interpretations, and each agency's pages."""
    urls = [
        url_for("catalog_public.platform_home", _external=True),
        url_for("catalog_public.browse", _external=True),
        url_for("catalog_public.interpretations", _external=True),
    ]
    for agency in platform.public_agencies():
        for endpoint in ("agency_home", "agency_browse", "agency_interpretations", "guide", "about"):
            urls.append(url_for(f"catalog_public.{endpoint}", slug=agency.slug, _external=True))
    return urls


def _entry_url_by_number(number: str) -> str:
    return url_for("catalog_public.entry", index_number=number, _external=True)


@sitemap_bp.route("/sitemap.xml")
@public
def sitemap():
    pages = _page_urls()
    files = feeds.sitemap_files(len(pages), feeds.sitemap_entry_count())
    if files > 1:
        urls = [url_for("catalog_sitemap.sitemap_part", number=n, _external=True) for n in range(1, files + 1)]
        return Response(feeds.sitemap_index(urls), content_type=XML)
    return Response("".join(feeds.stream_urlset(pages, _entry_url_by_number)), content_type=XML)


@sitemap_bp.route("/sitemap-<int(min=1, max=10000):number>.xml")
@public
def sitemap_part(number: int):
    pages = _page_urls()
    if number > feeds.sitemap_files(len(pages), feeds.sitemap_entry_count()):
        abort(404)
    with_pages, offset, limit = feeds.sitemap_slice(number, len(pages))
    body = feeds.stream_urlset(pages if with_pages else [], _entry_url_by_number, offset=offset, limit=limit)
    return Response("".join(body), content_type=XML)
