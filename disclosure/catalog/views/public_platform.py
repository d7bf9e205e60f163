"""The public disclosure platform (政府信息公开平台, 国办公开办函〔2019〕61号; issue 11 §5): for the whole deployment
(`/catalog/`) and per agency (`/catalog/<slug>/`), the four first-level columns (政府信息公开指南 · 政府信息公开制度 ·
法定主动公开内容 · 政府信息公开工作年度报告) with the normative-documents library, policy interpretations and the
link to file a request; the browse of 法定主动公开内容 by Art. 20 category, theme, genre, year and issuing organ.
"""

from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import func, select

from disclosure.accounts.models import Agency
from disclosure.catalog import platform
from disclosure.catalog.classification import CATEGORIES
from disclosure.catalog.models import AgencyProfile, EntryType, Genre
from disclosure.catalog.views.common import public_bp
from disclosure.extensions import db
from disclosure.web.access import public
from disclosure.web.paging import Page, page_number
from disclosure.web.params import arg_int, parse_id

PER_PAGE = 20
RULES_GENRE = "政府信息公开制度"
MIN_YEAR, MAX_YEAR = 1949, 2200


def agency_or_404(slug: str) -> Agency:
    agency = platform.agency_by_slug(slug)
    if agency is None:
        abort(404)
    return agency


def genre_named(name: str) -> Genre | None:
    return db.session.execute(select(Genre).where(Genre.name == name)).scalar_one_or_none()


def page_of(query, per_page: int = PER_PAGE) -> Page:
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    page = min(page_number(), max(1, -(-total // per_page)))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page([tuple(r) for r in rows], page, per_page, total)


def browse_args(agency: Agency | None) -> platform.Browse:
    """The browse filters from the query string; a value that is not one of the lists is ignored."""
    category = request.args.get("category", "")
    theme_id = parse_id(request.args.get("theme"))
    genre_id = parse_id(request.args.get("genre"))
    return platform.Browse(
        agency_id=agency.id if agency else None,
        category=category if category in CATEGORIES else None,
        theme_id=theme_id,
        genre_id=genre_id,
        year=arg_int("year", None, min=MIN_YEAR, max=MAX_YEAR),
        issuer_id=parse_id(request.args.get("issuer")),
    )


def _columns(agency: Agency | None) -> dict:
    """What the four columns and the other sections show on a platform home page."""
    scope = platform.Browse(agency_id=agency.id if agency else None)
    rules_genre = genre_named(RULES_GENRE)
    rules = []
    if rules_genre is not None:
        rules_scope = platform.Browse(agency_id=scope.agency_id, genre_id=rules_genre.id)
        rules = db.session.execute(platform.public_rows(rules_scope).limit(10)).all()
    interpretations = db.session.execute(
        platform.public_rows(
            platform.Browse(agency_id=scope.agency_id, entry_type=EntryType.INTERPRETATION.value)
        ).limit(5)
    ).all()
    return {
        "latest": db.session.execute(platform.public_rows(scope).limit(10)).all(),
        "rules": rules,
        "rules_genre": rules_genre,
        "interpretations": interpretations,
        "categories": platform.facet_counts(scope)["category"],
        "category_labels": CATEGORIES,
        "validity_labels": platform.VALIDITY_LABELS,
        "total": platform.public_count(scope),
    }


@public_bp.route("/")
@public
def platform_home():
    agencies = platform.public_agencies()
    guides = dict(
        db.session.execute(
            select(AgencyProfile.agency_id, AgencyProfile.guide_entry_id).where(
                AgencyProfile.guide_entry_id.is_not(None)
            )
        ).all()
    )
    return render_template(
        "catalog/public/platform.html", agency=None, agencies=agencies, guides=guides, **_columns(None)
    )


@public_bp.route("/<slug>/")
@public
def agency_home(slug: str):
    agency = agency_or_404(slug)
    profile = db.session.get(AgencyProfile, agency.id)
    return render_template(
        "catalog/public/platform.html",
        agency=agency,
        agencies=[],
        guides={agency.id: profile.guide_entry_id} if profile and profile.guide_entry_id else {},
        **_columns(agency),
    )


@public_bp.route("/browse")
@public
def browse():
    return _browse(None)


@public_bp.route("/<slug>/browse")
@public
def agency_browse(slug: str):
    return _browse(agency_or_404(slug))


def _browse(agency: Agency | None):
    """法定主动公开内容: the public entries by category, theme, genre, year and issuing organ, with counts."""
    filters = browse_args(agency)
    facets = platform.facet_counts(filters)
    issuers = {
        a.id: a for a in db.session.execute(select(Agency).where(Agency.id.in_(list(facets["issuer"])))).scalars()
    }
    return render_template(
        "catalog/public/browse.html",
        agency=agency,
        filters=filters,
        facets=facets,
        page=page_of(platform.public_rows(filters)),
        theme_tree=platform.theme_tree(),
        genres=platform.genres(),
        issuers=issuers,
        category_labels=CATEGORIES,
        validity_labels=platform.VALIDITY_LABELS,
        endpoint="catalog_public.agency_browse" if agency else "catalog_public.browse",
    )


@public_bp.route("/interpretations")
@public
def interpretations():
    return _interpretations(None)


@public_bp.route("/<slug>/interpretations")
@public
def agency_interpretations(slug: str):
    return _interpretations(agency_or_404(slug))


def _interpretations(agency: Agency | None):
    """政策解读: the published interpretations, newest first."""
    filters = platform.Browse(agency_id=agency.id if agency else None, entry_type=EntryType.INTERPRETATION.value)
    return render_template(
        "catalog/public/interpretations.html",
        agency=agency,
        page=page_of(platform.public_rows(filters)),
        validity_labels=platform.VALIDITY_LABELS,
    )
