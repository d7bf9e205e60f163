"""When each column of an agency's catalogue was last updated, for the supervision of column updates (栏目更新,
国办秘函〔2019〕19号; proactive-china §1.7, §2.8; issue 14 §1).

A column is a statutory category (`classification.CATEGORIES`, as the public platform shows them). Its last update
is the latest publication of a public entry in that category that the agency issued: the day of the entry's
published version (a new version of an entry is an update of its column), as the public platform reads it. A
joint document (联合发文) counts for each of its issuers, as it stands in each issuer's catalogue. Only what is
public counts: an entry withdrawn or recorded as not disclosed proactively updates no column.

The public search keeps exactly these facts on each public entry (`search.refresh_search_text`): the published
version's category (`public_category`), its issuers (`SearchIssuer`) and its order key (`search_key`: the
publication day and the id, NULL while the entry is not public). The latest key names both the day and the entry
that made it, and is read in two branches, each from an index that holds it:

- the lead issuer (`Entry.agency_id`, always among the published issuers): one seek per agency and column in
  `COLUMN_INDEX` (agency, category, key), whatever the size of the catalogue;
- the joint issuers: the entry's issuers not marked lead (`EntryIssuer`, its partial index of the few joint rows)
  that the published version also names (`SearchIssuer`). An issuer taken off a joint document in a revision not
  yet published is therefore no longer counted for it, as the proactive figures (`oversight`) count the issuers.

The catalogue as it stands now is read: on a past `today`, an entry whose current version was published after that
day does not count, even if an earlier version of it was public then (the platform no longer shows that version).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Index, String, column, false, func, select, true, values

from disclosure.accounts.models import Agency
from disclosure.catalog.classification import CATEGORIES
from disclosure.catalog.models import Entry, EntryIssuer, EntryVersion, SearchIssuer
from disclosure.catalog.search import KEY_SHIFT, search_key
from disclosure.core.idlists import in_ids
from disclosure.extensions import db

__all__ = ["COLUMN_INDEX", "LastUpdate", "last_updates"]

# The lead issuer's latest publication per column in one seek (made by migration supervision_0002).
COLUMN_INDEX = Index("ix_catalog_entries_agency_column", Entry.agency_id, Entry.public_category, Entry.search_key)

# An IN list longer than this is split: SQLite refuses more than 32,766 bound parameters, and long lists plan badly.
CHUNK = 900


@dataclass(frozen=True)
class LastUpdate:
    """The latest publication in one column of one agency's catalogue: the day, and the entry published that day
    (the highest id when several were)."""

    agency_id: int
    category: str  # "" for entries without a statutory category
    published_on: dt.date
    entry_id: int
    index_number: str
    title: str


def _decode(key: int) -> tuple[dt.date, int]:
    return dt.date.fromordinal(key >> KEY_SHIFT), key & ((1 << KEY_SHIFT) - 1)


def last_updates(
    agency_ids: Iterable[int], today: dt.date, *, entries: bool = True
) -> dict[tuple[int, str], LastUpdate]:
    """{(agency_id, category): LastUpdate} of these agencies on `today` (publications after it are left out), for
    the statutory categories and "" (entries without one, such as interpretations). A column without any public
    entry of the agency is missing from the result (a blank column). Without `entries`, the entries' index numbers
    and titles are not read (left empty): counting needs only the days."""
    ids = sorted(set(agency_ids))
    if not ids:
        return {}
    bound = search_key(today + dt.timedelta(days=1), 0)  # every key of a day up to `today` is below it
    latest: dict[tuple[int, str], int] = {}

    def keep(agency_id: int, category: str | None, key: int | None) -> None:
        if key is not None and key > latest.get((agency_id, category or ""), -1):
            latest[(agency_id, category or "")] = key

    columns = (
        values(column("category", String(20)), name="columns").data([(c,) for c in (*CATEGORIES, "")]).cte("columns")
    )
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        newest = (
            select(func.max(Entry.search_key))
            .where(
                Entry.agency_id == Agency.id,
                Entry.public_category == columns.c.category,
                Entry.search_key < bound,
            )
            .scalar_subquery()
        )
        each = select(Agency.id, columns.c.category, newest).join(columns, true()).where(in_ids(Agency.id, chunk))
        for row in db.session.execute(each):
            keep(*row)
        # Whether the published version names the joint issuer: a lookup of SearchIssuer's key per joint row, written
        # as a scalar subquery on purpose (as EXISTS, PostgreSQL estimates the two-column semi-join at a handful of
        # rows and hashes the whole of SearchIssuer instead).
        published = (
            select(SearchIssuer.agency_id)
            .where(SearchIssuer.entry_id == EntryIssuer.entry_id, SearchIssuer.agency_id == EntryIssuer.agency_id)
            .scalar_subquery()
        )
        joint = (
            select(EntryIssuer.agency_id, Entry.public_category, func.max(Entry.search_key))
            .join(Entry, Entry.id == EntryIssuer.entry_id)
            .where(
                EntryIssuer.lead == false(),
                in_ids(EntryIssuer.agency_id, chunk),
                Entry.search_key < bound,
                published.is_not(None),
            )
            .group_by(EntryIssuer.agency_id, Entry.public_category)
        )
        for row in db.session.execute(joint):
            keep(*row)
    facts = _entry_facts(sorted({_decode(key)[1] for key in latest.values()})) if entries else {}
    out: dict[tuple[int, str], LastUpdate] = {}
    for (agency_id, category), key in latest.items():
        day, entry_id = _decode(key)
        number, title = facts.get(entry_id, ("", ""))
        out[(agency_id, category)] = LastUpdate(agency_id, category, day, entry_id, number, title)
    return out


def _entry_facts(entry_ids: list[int]) -> dict[int, tuple[str, str]]:
    """{entry_id: (index number, title)}: the published version's title, what the public sees (not a revision
    being drafted)."""
    out: dict[int, tuple[str, str]] = {}
    for start in range(0, len(entry_ids), CHUNK):
        rows = db.session.execute(
            select(Entry.id, Entry.index_number, EntryVersion.title)
            .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
            .where(Entry.id.in_(entry_ids[start : start + CHUNK]))
        ).all()
        out.update({entry_id: (number or "", title) for entry_id, number, title in rows})
    return out
