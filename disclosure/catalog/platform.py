"""What the public disclosure platform lists (issue 11 §5): the public entries of the deployment or of one agency,
always read from their published versions (what was approved), never from the working copy a revision is changing.

An entry is public when it has a published version of attribute 主动公开 and is not withdrawn (`Entry.is_public`);
a joint document (联合发文) belongs to each of its issuers' platforms. The classification the public browses by
(Art. 20 category, theme, genre) and the issuing organs are the published version's, as the search keeps them on
the entry (`search.refresh_search_text` writes `public_category`, `public_theme_id`, `public_genre_id`,
`search_key` and the `SearchIssuer` rows from the frozen version, in the transaction that publishes, revises or
withdraws): plain indexed columns instead of the version's JSON, so browsing 200,000 entries walks an index
(category, theme or genre, then `search_key`, the publication day and id) newest first and stops at the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import Select, String, cast, extract, func, or_, select

from disclosure.accounts.models import Agency
from disclosure.catalog.models import Entry, EntryLink, EntryVersion, Genre, LinkRelation, SearchIssuer, Theme
from disclosure.catalog.search import search_key
from disclosure.extensions import db
from workflows.catalog import Attribute


def version_field(name: str):
    """A field of the published version's frozen metadata, as text (JSON on SQLite and PostgreSQL alike)."""
    return EntryVersion.metadata_json[name].as_string()


def public_condition():
    return (
        Entry.published_version_id.is_not(None),
        Entry.withdrawn_at.is_(None),
        EntryVersion.attribute == Attribute.PROACTIVE.value,
    )


def issued_by(agency_id: int):
    """The public entries an agency issued, alone or jointly, as their published versions name the issuers (each
    joint issuer sees the entry in its own catalogue; a revision in progress changes nothing until published)."""
    return Entry.id.in_(select(SearchIssuer.entry_id).where(SearchIssuer.agency_id == agency_id))


# Newest publication first: the order key is the publication day then the id (search.search_key).
NEWEST_FIRST = (Entry.search_key.desc(),)


@dataclass(frozen=True)
class Browse:
    """The public browse filters (each optional): the agency, an Art. 20 category, a theme (a first-level theme
    includes its second levels), a genre, a year of publication, an issuing organ."""

    agency_id: int | None = None
    category: str | None = None
    theme_id: int | None = None
    genre_id: int | None = None
    year: int | None = None
    issuer_id: int | None = None
    entry_type: str | None = None


def public_rows(browse: Browse = Browse()) -> Select:
    """(Entry, EntryVersion) of the public entries matching the filters, newest publication first."""
    query = (
        select(Entry, EntryVersion)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(*public_condition())
    )
    return filtered(query, browse).order_by(*NEWEST_FIRST)


def filtered(query: Select, browse: Browse) -> Select:
    if browse.agency_id is not None:
        query = query.where(issued_by(browse.agency_id))
    if browse.issuer_id is not None:
        query = query.where(issued_by(browse.issuer_id))
    if browse.category:
        query = query.where(Entry.public_category == browse.category)
    if browse.theme_id is not None:
        children = select(Theme.id).where(Theme.parent_id == browse.theme_id)
        query = query.where(or_(Entry.public_theme_id == browse.theme_id, Entry.public_theme_id.in_(children)))
    if browse.genre_id is not None:
        query = query.where(Entry.public_genre_id == browse.genre_id)
    if browse.year is not None:
        first, last = dt.date(browse.year, 1, 1), dt.date(browse.year, 12, 31)
        query = query.where(Entry.search_key.between(search_key(first, 0), search_key(last + dt.timedelta(1), 0) - 1))
    if browse.entry_type:
        query = query.where(version_field("entry_type") == browse.entry_type)
    return query


def _counts(column, browse: Browse) -> dict:
    query = (
        select(column.label("key"), func.count())
        .select_from(Entry)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(*public_condition())
    )
    rows = db.session.execute(filtered(query, browse).group_by(column)).all()
    return {key: n for key, n in rows if key not in (None, "")}


def facet_counts(browse: Browse) -> dict[str, dict]:
    """How many public entries fall under each category, theme, genre, year and issuing organ, within `browse`
    (the facet being counted is left out of its own filter, so each list offers its other values)."""
    year_col = cast(extract("year", EntryVersion.published_on), String)
    themes = _counts(Entry.public_theme_id, _without(browse, "theme_id"))
    parents = dict(db.session.execute(select(Theme.id, Theme.parent_id)).all())
    theme_totals: dict[int, int] = {}
    for theme_id, n in themes.items():
        theme_totals[theme_id] = theme_totals.get(theme_id, 0) + n
        parent = parents.get(theme_id)
        if parent is not None:
            theme_totals[parent] = theme_totals.get(parent, 0) + n
    issuer_query = (
        select(SearchIssuer.agency_id, func.count(func.distinct(Entry.id)))
        .select_from(Entry)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .join(SearchIssuer, SearchIssuer.entry_id == Entry.id)
        .where(*public_condition())
        .group_by(SearchIssuer.agency_id)
    )
    issuers = dict(db.session.execute(filtered(issuer_query, _without(browse, "issuer_id"))).all())
    return {
        "category": _counts(Entry.public_category, _without(browse, "category")),
        "theme": theme_totals,
        "genre": _counts(Entry.public_genre_id, _without(browse, "genre_id")),
        "year": {int(float(k)): n for k, n in _counts(year_col, _without(browse, "year")).items()},
        "issuer": issuers,
    }


def _without(browse: Browse, name: str) -> Browse:
    values = {f: getattr(browse, f) for f in Browse.__dataclass_fields__}
    values[name] = None
    return Browse(**values)


def public_count(browse: Browse = Browse()) -> int:
    query = (
        select(func.count())
        .select_from(Entry)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(*public_condition())
    )
    return db.session.execute(filtered(query, browse)).scalar_one()


def theme_tree() -> list[tuple[Theme, list[Theme]]]:
    themes = db.session.execute(select(Theme).where(Theme.active.is_(True)).order_by(Theme.position)).scalars().all()
    tops = [t for t in themes if t.parent_id is None]
    return [(t, [c for c in themes if c.parent_id == t.id]) for t in tops]


def genres() -> list[Genre]:
    return list(db.session.execute(select(Genre).where(Genre.active.is_(True)).order_by(Genre.position)).scalars())


def public_agencies() -> list[Agency]:
    return list(db.session.execute(select(Agency).where(Agency.active.is_(True)).order_by(Agency.full_name)).scalars())


def agency_by_slug(slug: str) -> Agency | None:
    if not slug or len(slug) > 40:
        return None
    return db.session.execute(select(Agency).where(Agency.slug == slug, Agency.active.is_(True))).scalar_one_or_none()


def entry_by_index_number(index_number: str) -> Entry | None:
    if not index_number or len(index_number) > 80:
        return None
    return db.session.execute(select(Entry).where(Entry.index_number == index_number)).scalar_one_or_none()


VALIDITY_LABELS = {
    "valid": _l("Valid"),
    "expired": lazy_pgettext("catalog", "Expired"),
    "repealed": _l("Repealed"),
}


def related_entries(entry: Entry) -> list[tuple[str, Entry]]:
    """The public documents linked to this one (amends, repeals, related, in both directions), with the relation
    as seen from this page; interpretations have their own section."""
    rows = db.session.execute(
        select(EntryLink).where(
            or_(EntryLink.source_id == entry.id, EntryLink.target_id == entry.id),
            EntryLink.relation != LinkRelation.INTERPRETS.value,
        )
    ).scalars()
    out = []
    for link in rows:
        outgoing = link.source_id == entry.id
        other = link.target if outgoing else link.source
        if other.is_public and other.index_number:
            out.append((RELATION_LABELS[(link.relation, outgoing)], other))
    return out


RELATION_LABELS = {
    ("amends", True): _l("Amends"),
    ("amends", False): _l("Amended by"),
    ("repeals", True): _l("Repeals"),
    ("repeals", False): _l("Repealed by"),
    ("related", True): _l("Related"),
    ("related", False): _l("Related"),
}
