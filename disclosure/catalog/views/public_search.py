"""The public search page (issue 11 §5): `/catalog/search`. Words of any length ranked by relevance or newest
first, the filters of the platform (issuing agency, theme, genre, year, validity, category, document kind, only
documents in force), highlighted snippets and paging; an index number or a document number in any bracket variant
goes straight to its entry. Works without JavaScript (one GET form)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from disclosure.catalog import platform
from disclosure.catalog import search as search_mod
from disclosure.catalog.classification import CATEGORIES
from disclosure.catalog.models import DocKind, Genre, Theme, Validity
from disclosure.catalog.views.common import public_bp
from disclosure.extensions import db
from disclosure.web.access import public
from disclosure.web.params import parse_id, parse_int

MAX_QUERY = 200
DOC_KIND_LABELS = {
    DocKind.REGULATION.value: _l("Rules (规章)"),
    DocKind.NORMATIVE.value: _l("Normative documents"),
    DocKind.OTHER.value: _l("Other documents"),
}
SORT_LABELS = {"relevance": _l("Most relevant first"), "time": _l("Newest first")}


def query_from_args(args) -> search_mod.SearchQuery:
    """The search from the query string; a value that is malformed or unknown is ignored (a public page answers
    every link, however edited)."""
    theme_id = parse_id(args.get("theme"))
    genre_id = parse_id(args.get("genre"))
    agency_id = parse_id(args.get("agency"))
    validity = args.get("validity", "")
    category = args.get("category", "")
    doc_kind = args.get("doc_kind", "")
    return search_mod.SearchQuery(
        q=args.get("q", "")[:MAX_QUERY],
        sort=args.get("sort") if args.get("sort") in search_mod.SORTS else "relevance",
        agency_id=agency_id,
        theme_id=theme_id if theme_id and db.session.get(Theme, theme_id) else None,
        genre_id=genre_id if genre_id and db.session.get(Genre, genre_id) else None,
        year=parse_int(args.get("year"), min=1949, max=2999),
        validity=validity if validity in {v.value for v in Validity} else None,
        category=category if category in CATEGORIES else None,
        doc_kind=doc_kind if doc_kind in DOC_KIND_LABELS else None,
        current_only=args.get("current") == "1",
        page=parse_int(args.get("page"), min=1, max=search_mod.MAX_PAGE) or 1,
    )


@public_bp.route("/search")
@public
def search():
    query = query_from_args(request.args)
    searched = any(
        (query.q.strip(), query.agency_id, query.theme_id, query.genre_id, query.year, query.validity)
    ) or any((query.category, query.doc_kind, query.current_only))
    result = search_mod.search(query) if searched else None
    if result is not None and result.mode in ("index_number", "document_number") and len(result.hits) == 1:
        return redirect(url_for("catalog_public.entry", index_number=result.hits[0].entry.index_number))
    agencies = {a.id: a for a in platform.public_agencies()}
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "catalog/public/search.html",
        query=query,
        result=result,
        args=args,
        agencies=agencies,
        themes=platform.theme_tree(),
        genres=platform.genres(),
        categories=CATEGORIES,
        doc_kinds=DOC_KIND_LABELS,
        validity_labels=platform.VALIDITY_LABELS,
        sort_labels=SORT_LABELS,
    )
