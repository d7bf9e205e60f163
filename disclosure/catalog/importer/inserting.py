"""Writing an import's new entries in bulk (issue 11 §6): a chunk's entries, issuers, frozen versions, search
index, validity history and audit events as a few multi-row statements, in the state `workflows.catalog` gives
them (`import_published` for 主动公开, `import_recorded` otherwise, the system acting).

What each row costs is kept to the row itself: the Art. 26 due dates of the whole chunk come from one calendar
look-up, the version's metadata is built from the row's values and the import's cached look-ups
(`entries.version_metadata`, no transient `Entry`), and the search columns are those `search.refresh_search_text`
writes (`search.search_columns`), so an imported entry is found exactly as a published one. The statements are
Core statements (no ORM unit of work): the entries as an executemany, their ids read back by the rows' import keys
(unique per agency); the versions and the other rows as multi-row INSERTs with RETURNING; one UPDATE per chunk on
PostgreSQL, so the statement-level rollup triggers run a few times per chunk, not once per row.
On SQLite the full-text index is filled by its update trigger when the order key is set, once per entry.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Integer, Text, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY

import workflows.catalog as wf
from disclosure.accounts.models import Agency, Department
from disclosure.catalog.index_numbers import format_number
from disclosure.catalog.models import (
    DocKind,
    Entry,
    EntryIssuer,
    EntryVersion,
    SearchIssuer,
    Validity,
    ValidityChange,
    ValidityEvent,
)
from disclosure.catalog.operations.entries import version_metadata
from disclosure.catalog.search import search_columns, search_key
from disclosure.catalog.timeliness import publish_dues
from disclosure.core.audit import AuditEvent, jsonable
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from disclosure.web.richtext import html_to_text

ENTRIES = Entry.__table__
# Every column a new entry row names: the model's scalar defaults, overwritten by the row's values.
# Columns with a callable default (none is left to it: the row sets them) are not named, so Core would run it.
ENTRY_DEFAULTS = {
    c.key: c.default.arg if c.default is not None else None
    for c in ENTRIES.columns
    if c.key != "id" and (c.default is None or c.default.is_scalar)
}


def inserted_ids(table, rows: list[dict]) -> list:
    """Insert `rows` as multi-row INSERTs and return their first key column's values, in the rows' order.
    RETURNING is what makes SQLAlchemy batch the rows into a few multi-row statements ("insertmanyvalues") instead
    of one statement per row: on PostgreSQL each statement runs the statement-level rollup triggers
    (`core.rollups`) and is a round trip; on SQLite it saves reading the new ids back."""
    key = table.primary_key.columns[0]
    return list(db.session.execute(table.insert().returning(key, sort_by_parameter_order=True), rows).scalars())


def update_entries(rows: list[dict]) -> None:
    """The chunk's entries' version, order key and search texts (`NewEntries._indexed` rows): on PostgreSQL in one
    statement rather than one per entry (it runs the rollup triggers once per statement)."""
    if db.session.get_bind().dialect.name != "postgresql":
        # SQLite's triggers are per row and a prepared statement executed many times costs nothing more.
        db.session.execute(
            ENTRIES.update()
            .where(ENTRIES.c.id == bindparam("b_id"))
            .values(
                published_version_id=bindparam("b_version"),
                search_key=bindparam("b_key"),
                search_title=bindparam("b_title"),
                search_text=bindparam("b_text"),
                search_counts=bindparam("b_counts"),
            ),
            rows,
        )
        return
    # PostgreSQL: the rows as arrays, unnested, in one statement (a few parameters, whatever the chunk's size).
    db.session.execute(
        text(
            "UPDATE catalog_entries SET published_version_id = given.version, search_key = given.key, "
            "search_title = given.title, search_text = given.text, search_counts = given.counts "
            "FROM unnest(:ids, :versions, :keys, :titles, :texts, :counts) "
            "AS given(id, version, key, title, text, counts) WHERE catalog_entries.id = given.id"
        ).bindparams(
            bindparam("ids", [r["b_id"] for r in rows], type_=ARRAY(Integer)),
            bindparam("versions", [r["b_version"] for r in rows], type_=ARRAY(Integer)),
            bindparam("keys", [r["b_key"] for r in rows], type_=ARRAY(BigInteger)),
            bindparam("titles", [r["b_title"] for r in rows], type_=ARRAY(Text)),
            bindparam("texts", [r["b_text"] for r in rows], type_=ARRAY(Text)),
            bindparam("counts", [r["b_counts"] for r in rows], type_=ARRAY(Text)),
        )
    )


class Lookups:
    """The agencies and departments an import's versions name, each read once."""

    def __init__(self):
        self._agencies: dict[int, Agency | None] = {}
        self._departments: dict[int, Department | None] = {}

    def agency(self, agency_id: int) -> Agency | None:
        if agency_id not in self._agencies:
            self._agencies[agency_id] = db.session.get(Agency, agency_id)
        return self._agencies[agency_id]

    def department(self, department_id: int | None) -> Department | None:
        if department_id is None:
            return None
        if department_id not in self._departments:
            self._departments[department_id] = db.session.get(Department, department_id)
        return self._departments[department_id]


def attachment_title(name: str) -> str:
    """An attachment's title from its file name (what `add_attachments` stores and the search indexes)."""
    return name.rsplit(".", 1)[0][:200]


def current_validity(row, values: dict) -> tuple[str, dt.date | None]:
    """The validity an imported entry has now, and since when."""
    if row.validity in (Validity.EXPIRED.value, Validity.REPEALED.value):
        return row.validity, row.ended_on
    return Validity.VALID.value, values.get("in_force_on") or row.published_on


def validity_events(entry_id: int, entry_row: dict, row, now) -> list[dict]:
    """The history an imported document comes with (change IMPORTED): valid from its publication, then 失效 or
    废止 from the 废止日期. Only for normative documents and rows that state a validity."""
    if not row.validity and not DocKind(entry_row["doc_kind"]).normative:
        return []
    start = entry_row.get("in_force_on") or entry_row["published_on"]
    base = {"entry_id": entry_id, "change": ValidityChange.IMPORTED.value, "applied": True, "created_at": now}
    base.update(cause_entry_id=None, cleanup_id=None, reason="")
    events = [{**base, "validity": Validity.VALID.value, "effective_on": start}]
    if entry_row["validity"] != Validity.VALID.value:
        events.append({**base, "validity": entry_row["validity"], "effective_on": entry_row["validity_since"]})
    return events


class NewEntries:
    """One chunk's new entries: `add` each valid row, then `write` them all."""

    def __init__(self, writer, serials: dict[int, list[int]]):
        self.writer = writer
        self.agency = writer.agency
        self.now = utcnow()
        self.serials = serials
        self.rows: list[tuple[int, object, dict, dict, list]] = []  # (row no, parsed row, entry row, extra, files)

    def add(self, row_no: int, row, key: str, values: dict, files: list) -> None:
        values = dict(values)
        issuer_ids = values.pop("issuer_ids")
        trigger = "import_published" if values["attribute"] == wf.Attribute.PROACTIVE.value else "import_recorded"
        state = wf.fire(wf.States.DRAFT, trigger, {wf.SYSTEM}, wf.Facts(attribute=values["attribute"]))
        out = dict(ENTRY_DEFAULTS)
        out.update(values)
        out.update(
            agency_id=self.agency.id,
            state=state.value,
            published_on=row.published_on,
            first_published_on=row.published_on,
            revision=1,
            source="import",
            import_key=key,
            created_by_id=self.writer.job.created_by_id,
            version=1,
            created_at=self.now,
            updated_at=self.now,
            withdrawn_reason="",
        )
        out["validity"], out["validity_since"] = current_validity(row, values)
        self.rows.append((row_no, row, out, {"issuer_ids": issuer_ids, "trigger": trigger}, files))

    def write(self) -> dict[int, int]:
        """Insert everything; {entry id: version id}."""
        if not self.rows:
            return {}
        writer = self.writer
        made = [out["changed_on"] or out["made_on"] for _n, _r, out, _x, _f in self.rows]
        dues = publish_dues(made, writer.settings.publish_due_days)
        versions_meta = []
        for (_n, row, out, extra, files), start in zip(self.rows, made, strict=True):
            out["due_on"] = dues[start]
            self._number(row, out)
            meta = version_metadata(
                out,
                theme=writer.themes.get(out["theme_id"]) if out["theme_id"] else None,
                genre=writer.genres.get(out["genre_id"]) if out["genre_id"] else None,
                issuers=[writer.lookups.agency(a) for a in [self.agency.id, *extra["issuer_ids"]]],
                department=writer.lookups.department(out["department_id"]),
            )
            versions_meta.append(meta)
            if out["state"] == wf.States.PUBLISHED.value:
                # clean_entry_input sanitised the body
                words = [out["summary"], out["keywords"], html_to_text(out["body_html"], sanitised=True)]
                words += [attachment_title(name) for name, _data, _kind in files]
                extra["search"] = search_columns(out["title"], out["document_number"], words)
                out.update(
                    public_theme_id=meta.get("theme_id"),
                    public_genre_id=meta.get("genre_id"),
                    public_category=meta.get("category") or "",
                    public_doc_kind=meta.get("doc_kind") or "",
                )
        session = db.session
        # The entries as one executemany (a row has some sixty columns: multi-row INSERTs would cost the driver more
        # than they save), their ids read back by the rows' import keys (unique per agency).
        session.execute(ENTRIES.insert(), [out for _n, _r, out, _x, _f in self.rows])
        keys = [out["import_key"] for _n, _r, out, _x, _f in self.rows]
        ids_by_key = dict(
            session.execute(
                select(Entry.import_key, Entry.id).where(Entry.agency_id == self.agency.id, Entry.import_key.in_(keys))
            ).all()
        )
        ids = [ids_by_key[k] for k in keys]
        version_ids = inserted_ids(
            EntryVersion.__table__,
            [
                {
                    "entry_id": entry_id,
                    "revision": 1,
                    "published_at": self.now,
                    "published_on": out["published_on"],
                    "attribute": out["attribute"],
                    "title": out["title"],
                    "document_number": out["document_number"],
                    "body_html": out["body_html"],
                    "metadata_json": meta,
                    "attachment_ids": [],
                    "change_note": "",
                    "published_by_id": None,
                }
                for entry_id, (_n, _r, out, _x, _f), meta in zip(ids, self.rows, versions_meta, strict=True)
            ],
        )
        version_of = dict(zip(ids, version_ids, strict=True))
        # The version, the search texts and the index's order key, in one update (the entry was inserted without
        # its texts, so each engine indexes them once: the FTS update trigger on SQLite, the GIN index on
        # PostgreSQL, which would index the inserted row and then its updated copy again).
        update_entries(
            [
                self._indexed(entry_id, version_of[entry_id], out, extra.get("search"))
                for entry_id, (_n, _r, out, extra, _f) in zip(ids, self.rows, strict=True)
            ]
        )
        self._children(ids, versions_meta)
        return {entry_id: version_of[entry_id] for entry_id in ids}

    @staticmethod
    def _indexed(entry_id: int, version_id: int, out: dict, columns) -> dict:
        """The update's values for one entry: its version, and its search columns while it is public."""
        if columns is None:  # recorded (依申请公开 / 不予公开): never indexed
            return dict(b_id=entry_id, b_version=version_id, b_key=None, b_title="", b_text="", b_counts="")
        return {
            "b_id": entry_id,
            "b_version": version_id,
            "b_key": search_key(out["published_on"], entry_id),
            "b_title": columns.title,
            "b_text": columns.text,
            "b_counts": columns.counts,
        }

    def _number(self, row, out: dict) -> None:
        """The row's 索引号, or the next of the agency's series for the year the information was made."""
        if row.index_number:
            out["index_number"] = row.index_number
            return
        made = out["made_on"]
        serial = self.serials[made.year].pop(0)
        number = format_number(
            self.writer.settings.index_format, org=self.agency.org_code, year=made.year, month=made.month, serial=serial
        )
        out.update(index_number=number, index_year=made.year, index_serial=serial)

    def _children(self, ids: list[int], metas: list[dict]) -> None:
        issuers, searchable, events, audits = [], [], [], []
        for entry_id, (row_no, row, out, extra, _files), meta in zip(ids, self.rows, metas, strict=True):
            issuers.append({"entry_id": entry_id, "agency_id": self.agency.id, "lead": True, "position": 0})
            for position, agency_id in enumerate(extra["issuer_ids"], start=1):
                issuers.append({"entry_id": entry_id, "agency_id": agency_id, "lead": False, "position": position})
            if out["state"] == wf.States.PUBLISHED.value:
                searchable.extend(
                    {"entry_id": entry_id, "agency_id": a} for a in {*(meta.get("issuer_ids") or []), self.agency.id}
                )
            events.extend(validity_events(entry_id, out, row, self.now))
            audits.append(self._audit(entry_id, out, row_no, extra["trigger"]))
        inserted_ids(EntryIssuer.__table__, issuers)
        if searchable:
            inserted_ids(SearchIssuer.__table__, searchable)
        if events:
            inserted_ids(ValidityEvent.__table__, events)
        inserted_ids(AuditEvent.__table__, audits)

    def _audit(self, entry_id: int, out: dict, row_no: int, trigger: str) -> dict:
        actor = self.writer.actor
        return {
            "occurred_at": self.now,
            "actor_id": getattr(actor, "id", None),
            "actor_label": actor.display_name if actor else "system",
            "agency_id": self.agency.id,
            "object_type": Entry.audit_type,
            "object_id": str(entry_id),
            "action": f"catalog.{trigger}",
            "before": None,
            "after": jsonable(
                {
                    "import": self.writer.job.id,
                    "row": row_no,
                    "state": out["state"],
                    "index_number": out["index_number"],
                    "title": out["title"],
                    "document_number": out["document_number"],
                    "attribute": out["attribute"],
                    "published_on": out["published_on"],
                    "validity": out["validity"],
                }
            ),
            "reason": None,
            "ip_address": None,
        }
