"""What supervision counts in the catalogue (条例 Art. 47; issue 14 §1, proactive disclosure): per issuing organ
over a list of agencies and a period (or today, for states now), each figure as one grouped count and as the
ordered list of the very records it counts, each with its staff page.

An entry counts for every organ that issued it, as each sees it in its own catalogue: its lead issuer
(`Entry.agency_id`) and each joint issuer of a joint document (联合发文, `EntryIssuer` rows not marked lead). The
rules are the catalogue's own, read from what the catalogue keeps: the Art. 26 due date (`Entry.due_on`, kept by
the entry operations and the daily sweep), "overdue" as the sweep means it (`sweep.timeliness_condition`), the
interpretation rule of `operations.interpretations` (N working days after the document's first publication, the
lead issuer's `interpretation_due_days`), and the evaluation window of `operations.validity`
(`review_months_before_expiry` before `valid_until`).

Counts are single statements grouped by agency over the whole list (a competent department's 500 agencies cost
one statement, not 500), read from indexes declared on the models (migration supervision_0007): the period counts
from covering indexes; the policy documents and the interpretations from partial indexes, whose conditions the
queries write as literals (`is_policy`, `is_interpretation`: a database matches a partial index only so); the
joint issuers from a partial index of the rows not marked lead. Two figures compare working days that SQL cannot
count: interpretations on time and late are classified in Python over the period's interpretations (few);
"missing" and "due for evaluation" turn the working-day or month rule into a cut-off date per setting value, so
SQL compares dates only.

First publications, changed versions and the Art. 26 judgement are also kept per issuing organ and month by the
database (`core.rollups`, `ROLLUPS` at the end: the same conditions in SQL, a joint document for each issuer): a
period's whole months are read from there, its partial months from the entries, exact at every commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, false, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from disclosure.catalog import sweep
from disclosure.catalog.models import (
    CatalogSettings,
    DocKind,
    Entry,
    EntryIssuer,
    EntryLink,
    EntryType,
    EntryVersion,
    LinkRelation,
    Validity,
)
from disclosure.catalog.operations.validity import add_months
from disclosure.core import rollups
from disclosure.core.idlists import in_ids
from disclosure.extensions import db
from disclosure.workdays import add_working_days, add_working_days_many
from workflows.catalog import Attribute, States

__all__ = [
    "Record",
    "changes_counts",
    "changes_records",
    "evaluation_due_counts",
    "evaluation_due_records",
    "interpretation_counts",
    "interpretation_records",
    "missing_interpretation_counts",
    "missing_interpretation_records",
    "overdue_counts",
    "overdue_records",
    "published_counts",
    "published_records",
    "timeliness_counts",
    "timeliness_records",
]

POLICY_KINDS = (DocKind.REGULATION.value, DocKind.NORMATIVE.value)
TIMELINESS = ("on_time", "late", "all")


def _literal(value):
    """A value written into the statement (the partial indexes' conditions must be literals to be matched)."""
    return literal(value, literal_execute=True)


def is_policy(entity=Entry):
    """规章 / 行政规范性文件: the condition of the partial index `ix_catalog_entries_policy`."""
    return entity.doc_kind.in_([_literal(k) for k in POLICY_KINDS])


def is_interpretation(entity=Entry):
    """The condition of the partial index `ix_catalog_entries_interpretations`."""
    return entity.entry_type == _literal(EntryType.INTERPRETATION.value)


@dataclass(frozen=True)
class Record:
    """One record behind a count, for a drill-down: the organ it is counted for, its index number (or draft
    number), title, the date that put it in the count, its staff page and a short note."""

    agency_id: int
    entry_id: int
    reference: str
    title: str
    on: dt.date | None
    url: str
    note: str = ""


# --- The issuing organs ------------------------------------------------------------------------------------------


def _branches(agency_ids: Sequence[int], columns: Iterable, conditions: Iterable, joins: Iterable = ()):
    """The two selects behind every figure: the entries meeting `conditions` whose lead issuer (the entry's agency)
    is in `agency_ids`, and those with a joint issuer in `agency_ids` (one row per such issuer). `columns` are
    selected beside `agency_id`; `joins` are (target, on clause[, outer]) the conditions or columns need."""
    ids = list(agency_ids)
    columns, conditions, joins = list(columns), list(conditions), list(joins)
    lead = select(Entry.agency_id.label("agency_id"), *columns).select_from(Entry)
    joint = (
        select(EntryIssuer.agency_id.label("agency_id"), *columns)
        .select_from(EntryIssuer)
        .join(Entry, Entry.id == EntryIssuer.entry_id)
    )
    for target, on, *outer in joins:
        isouter = bool(outer and outer[0])
        lead, joint = lead.join(target, on, isouter=isouter), joint.join(target, on, isouter=isouter)
    lead = lead.where(in_ids(Entry.agency_id, ids), *conditions)
    joint = joint.where(
        EntryIssuer.lead == false(), in_ids(EntryIssuer.agency_id, ids), EntryIssuer.agency_id != Entry.agency_id
    ).where(*conditions)
    return lead, joint


def _by_issuer(agency_ids: Sequence[int], columns: Iterable, conditions: Iterable, joins: Iterable = ()):
    """The entries meeting `conditions`, once for each of their issuing organs in `agency_ids` (`_branches`)."""
    return union_all(*_branches(agency_ids, columns, conditions, joins)).subquery("issued")


def _grouped(agency_ids: Sequence[int], sums: Iterable, conditions: Iterable, joins: Iterable = ()) -> list:
    """Per issuing organ: the number of entries meeting `conditions` and the sum of each of `sums` over them; each
    branch grouped on its own (the lead one along its index), then added up."""
    sums = list(sums)
    columns = [func.count().label("n"), *(func.sum(e).label(f"s{i}") for i, e in enumerate(sums))]
    lead, joint = _branches(agency_ids, columns, conditions, joins)
    issued = union_all(lead.group_by(Entry.agency_id), joint.group_by(EntryIssuer.agency_id)).subquery("issued")
    totals = [func.sum(issued.c.n), *(func.sum(issued.c[f"s{i}"]) for i in range(len(sums)))]
    return db.session.execute(select(issued.c.agency_id, *totals).group_by(issued.c.agency_id)).all()


def _count(agency_ids: Sequence[int], conditions: Iterable, joins: Iterable = ()) -> dict[int, int]:
    if not agency_ids:
        return {}
    return {row[0]: int(row[1]) for row in _grouped(agency_ids, [], conditions, joins)}


def _rows(
    agency_ids: Sequence[int],
    on,
    conditions: Iterable,
    limit: int | None,
    offset: int,
    *,
    extra: Iterable = (),
    joins: Iterable = (),
    order=None,
) -> list:
    """The rows behind `_count`, ordered by `order` (default: the date `on`), then entry and organ."""
    if not agency_ids:
        return []
    columns = [
        Entry.id.label("entry_id"),
        Entry.index_number.label("index_number"),
        Entry.title.label("title"),
        on.label("on"),
        *extra,
    ]
    issued = _by_issuer(agency_ids, columns, conditions, joins)
    key = issued.c.on if order is None else issued.c[order]
    query = select(issued).order_by(key, issued.c.entry_id, issued.c.agency_id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return db.session.execute(query).all()


def _reference(row) -> str:
    return row.index_number or _("draft #%(id)d", id=row.entry_id)


def _record(row, note: str = "", on: dt.date | None = None) -> Record:
    return Record(
        agency_id=row.agency_id,
        entry_id=row.entry_id,
        reference=_reference(row),
        title=row.title,
        on=row.on if on is None else on,
        url=url_for("catalog.entry", entry_id=row.entry_id),
        note=note,
    )


# --- Published in the period ------------------------------------------------------------------------------------


def _first_published(start: dt.date, end: dt.date) -> list:
    return [Entry.attribute == Attribute.PROACTIVE.value, Entry.first_published_on.between(start, end)]


def _kept(rollup: str, agency_ids: Sequence[int], start: dt.date, end: dt.date, live) -> rollups.Counts:
    """A rollup's counts over the period: its whole months kept by the database, its partial months from the entries
    (`live(ids, a, b)`: {agency: [n, …]})."""

    def from_entries(a: dt.date, b: dt.date) -> rollups.Counts:
        return {(agency, "", ""): values for agency, values in live(agency_ids, a, b).items()}

    return rollups.gather(rollup, agency_ids, start, end, from_entries)


def published_counts(agency_ids: Sequence[int], start: dt.date, end: dt.date, *, live: bool = False) -> dict[int, int]:
    """Entries disclosed proactively (主动公开; documents and interpretations) first published from `start` to
    `end`, both included — a later withdrawal does not undo a publication (as `reports.yearly_figures` counts).
    `live`: counted from the entries only (the whole months otherwise come from the rollup)."""
    if live:
        return _count(agency_ids, _first_published(start, end))
    if not agency_ids:
        return {}

    def from_entries(ids, a, b):
        return {agency: [n] for agency, n in published_counts(ids, a, b, live=True).items()}

    counts = _kept(ROLLUP_PUBLISHED, agency_ids, start, end, from_entries)
    return {agency: values[0] for (agency, _k1, _k2), values in counts.items() if values[0]}


def published_records(
    agency_ids: Sequence[int], start: dt.date, end: dt.date, limit: int | None = None, offset: int = 0
) -> list[Record]:
    return [
        _record(r) for r in _rows(agency_ids, Entry.first_published_on, _first_published(start, end), limit, offset)
    ]


def _changes(start: dt.date, end: dt.date) -> tuple[list, list]:
    conditions = [
        EntryVersion.revision > 1,
        EntryVersion.published_on.between(start, end),
        EntryVersion.attribute == Attribute.PROACTIVE.value,
    ]
    return conditions, [(EntryVersion, EntryVersion.entry_id == Entry.id)]


def changes_counts(agency_ids: Sequence[int], start: dt.date, end: dt.date, *, live: bool = False) -> dict[int, int]:
    """Changed versions (修改后重新发布: revision 2 onwards) of proactively disclosed entries published in the
    period, each version once (条例 Art. 26: a change restarts the 20 working days). `live`: counted from the
    versions only."""
    if live:
        conditions, joins = _changes(start, end)
        return _count(agency_ids, conditions, joins)
    if not agency_ids:
        return {}

    def from_versions(ids, a, b):
        return {agency: [n] for agency, n in changes_counts(ids, a, b, live=True).items()}

    counts = _kept(ROLLUP_CHANGES, agency_ids, start, end, from_versions)
    return {agency: values[0] for (agency, _k1, _k2), values in counts.items() if values[0]}


def changes_records(
    agency_ids: Sequence[int], start: dt.date, end: dt.date, limit: int | None = None, offset: int = 0
) -> list[Record]:
    conditions, joins = _changes(start, end)
    rows = _rows(
        agency_ids,
        EntryVersion.published_on,
        conditions,
        limit,
        offset,
        extra=[EntryVersion.revision.label("revision")],
        joins=joins,
    )
    return [_record(r, _("Version %(n)d", n=r.revision)) for r in rows]


# --- Art. 26 timeliness -----------------------------------------------------------------------------------------


def _judged(start: dt.date, end: dt.date, which: str = "all") -> list:
    """Published entries (主动公开) whose current version was published in the period, judged as the catalogue
    judges them (`timeliness.judge`): on time when published by the due date kept on the entry."""
    if which not in TIMELINESS:
        raise ValueError(which)
    conditions = [
        Entry.state == States.PUBLISHED.value,
        Entry.attribute == Attribute.PROACTIVE.value,
        Entry.due_on.is_not(None),
        Entry.published_on.between(start, end),
    ]
    if which == "on_time":
        conditions.append(Entry.published_on <= Entry.due_on)
    elif which == "late":
        conditions.append(Entry.published_on > Entry.due_on)
    return conditions


def timeliness_counts(
    agency_ids: Sequence[int], start: dt.date, end: dt.date, *, live: bool = False
) -> dict[str, dict[int, int]]:
    """Publications judged against 条例 Art. 26 in the period: `{"all", "on_time", "late"}`, each `{agency: n}`.
    `live`: counted from the entries only, in one statement (the whole months otherwise come from the rollup)."""
    out: dict[str, dict[int, int]] = {which: {} for which in TIMELINESS}
    if not agency_ids:
        return out
    if live:
        on_time = case((Entry.published_on <= Entry.due_on, 1), else_=0)
        judged = [(a, n, t) for a, n, t in _grouped(agency_ids, [on_time], _judged(start, end))]
    else:

        def from_entries(ids, a, b):
            counted = timeliness_counts(ids, a, b, live=True)
            return {agency: [n, counted["on_time"].get(agency, 0)] for agency, n in counted["all"].items()}

        counts = _kept(ROLLUP_JUDGED, agency_ids, start, end, from_entries)
        judged = [(agency, values[0], values[1]) for (agency, _k1, _k2), values in counts.items()]
    for agency_id, n, timely in judged:
        n, timely = int(n), int(timely or 0)
        if not n:
            continue
        out["all"][agency_id] = n
        if timely:
            out["on_time"][agency_id] = timely
        if n - timely:
            out["late"][agency_id] = n - timely
    return out


def timeliness_records(
    agency_ids: Sequence[int], start: dt.date, end: dt.date, which: str, limit: int | None = None, offset: int = 0
) -> list[Record]:
    rows = _rows(
        agency_ids,
        Entry.published_on,
        _judged(start, end, which),
        limit,
        offset,
        extra=[Entry.due_on.label("due_on")],
    )
    return [_record(r, _("Due %(day)s", day=r.due_on.isoformat())) for r in rows]


def overdue_counts(agency_ids: Sequence[int], today: dt.date) -> dict[int, int]:
    """Entries disclosed proactively still being prepared (or revised) past their Art. 26 due date today: the
    sweep's and the catalogue list's "overdue"."""
    return _count(agency_ids, [sweep.timeliness_condition("overdue", today)])


def overdue_records(
    agency_ids: Sequence[int], today: dt.date, limit: int | None = None, offset: int = 0
) -> list[Record]:
    rows = _rows(agency_ids, Entry.due_on, [sweep.timeliness_condition("overdue", today)], limit, offset)
    return [_record(r, _("Due %(day)s", day=r.on.isoformat())) for r in rows]


# --- Settings read without creating rows ------------------------------------------------------------------------


def _setting(column, agency_ids: Iterable[int]) -> dict[int, int]:
    """A catalogue setting of these agencies; agencies that never saved their settings have the column default."""
    ids = list(set(agency_ids))
    default = column.default.arg
    found: dict[int, int] = {}
    if ids:
        found = dict(
            db.session.execute(
                select(CatalogSettings.agency_id, column).where(in_ids(CatalogSettings.agency_id, ids))
            ).all()
        )
    return {a: found.get(a, default) for a in ids}


def _by_setting(column, condition: Callable[[int], object]):
    """`condition(value)` for the value of the setting of the entry's lead issuer: the default for every agency
    but the few that set another value (read first, one small statement), so the common case is a plain date
    comparison an index can range over."""
    default = column.default.arg
    others: dict[int, list[int]] = {}
    for agency_id, value in db.session.execute(
        select(CatalogSettings.agency_id, column).where(column != default).order_by(CatalogSettings.agency_id)
    ).all():
        others.setdefault(value, []).append(agency_id)
    if not others:
        return condition(default)
    special = [a for ids in others.values() for a in ids]
    return or_(
        and_(Entry.agency_id.not_in(special), condition(default)),
        *(and_(Entry.agency_id.in_(ids), condition(value)) for value, ids in sorted(others.items())),
    )


# --- Interpretations (政策解读) ----------------------------------------------------------------------------------

Document = aliased(Entry, name="document")
Interpretation = aliased(Entry, name="interpretation")
InterpretationVersion = aliased(EntryVersion, name="interpretation_version")


def _policy_document(document) -> list:
    """A published policy document (规章 / 行政规范性文件 disclosed proactively, not withdrawn): the documents whose
    interpretations the catalogue checks (`interpretations._published_policy_documents`)."""
    return [
        document.entry_type == EntryType.DOCUMENT.value,
        is_policy(document),
        document.attribute == Attribute.PROACTIVE.value,
        document.published_version_id.is_not(None),
        document.withdrawn_at.is_(None),
        document.first_published_on.is_not(None),
    ]


def _public_interpretation(interpretation, version) -> list:
    """A public interpretation (its published version 主动公开, not withdrawn), as the catalogue's
    `interpretations._public_interpretations` reads it; `version` is joined on its published version."""
    return [
        is_interpretation(interpretation),
        interpretation.withdrawn_at.is_(None),
        version.attribute == Attribute.PROACTIVE.value,
    ]


@dataclass(frozen=True)
class _Judged:
    agency_id: int
    entry_id: int
    index_number: str | None
    title: str
    on: dt.date
    late: bool
    due_on: dt.date  # the earliest due date among its documents
    documents: int


def _interpretations(agency_ids: Sequence[int], start: dt.date, end: dt.date) -> list[_Judged]:
    """Interpretations first published in the period that interpret at least one published policy document, per
    issuing organ, each late when published after the due date of any document it interprets (counted once, as
    `reports.yearly_figures` counts late interpretations)."""
    if not agency_ids:
        return []
    issued = _by_issuer(
        agency_ids,
        [
            Entry.id.label("entry_id"),
            Entry.index_number.label("index_number"),
            Entry.title.label("title"),
            Entry.first_published_on.label("on"),
            Document.first_published_on.label("document_on"),
            Document.agency_id.label("document_agency_id"),
        ],
        [
            *_public_interpretation(Entry, InterpretationVersion),
            Entry.first_published_on.between(start, end),
            EntryLink.relation == LinkRelation.INTERPRETS.value,
            *_policy_document(Document),
        ],
        joins=[
            (InterpretationVersion, InterpretationVersion.id == Entry.published_version_id),
            (EntryLink, EntryLink.source_id == Entry.id),
            (Document, Document.id == EntryLink.target_id),
        ],
    )
    rows = db.session.execute(select(issued)).all()
    days = _setting(CatalogSettings.interpretation_due_days, [r.document_agency_id for r in rows])
    dues: dict[tuple[dt.date, int], dt.date] = {}
    for n in set(days.values()):
        starts = {r.document_on for r in rows if days[r.document_agency_id] == n}
        dues.update({(d, n): deadline.due for d, deadline in add_working_days_many(starts, n).items()})
    judged: dict[tuple[int, int], _Judged] = {}
    for r in rows:
        due = dues[(r.document_on, days[r.document_agency_id])]
        key = (r.agency_id, r.entry_id)
        before = judged.get(key)
        judged[key] = _Judged(
            agency_id=r.agency_id,
            entry_id=r.entry_id,
            index_number=r.index_number,
            title=r.title,
            on=r.on,
            late=(before is not None and before.late) or r.on > due,
            due_on=due if before is None else min(before.due_on, due),
            documents=1 if before is None else before.documents + 1,
        )
    return sorted(judged.values(), key=lambda j: (j.on, j.entry_id, j.agency_id))


def _pick(judged: list[_Judged], which: str) -> list[_Judged]:
    if which not in TIMELINESS:
        raise ValueError(which)
    return [j for j in judged if which == "all" or j.late == (which == "late")]


def interpretation_counts(agency_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, dict[int, int]]:
    """Interpretations of policy documents first published in the period: `{"all", "on_time", "late"}`, each
    `{agency: n}` — on time when published by the due date of every document they interpret."""
    out: dict[str, dict[int, int]] = {which: {} for which in TIMELINESS}
    for j in _interpretations(agency_ids, start, end):
        for which in ("all", "late" if j.late else "on_time"):
            out[which][j.agency_id] = out[which].get(j.agency_id, 0) + 1
    return out


def interpretation_records(
    agency_ids: Sequence[int], start: dt.date, end: dt.date, which: str, limit: int | None = None, offset: int = 0
) -> list[Record]:
    picked = _pick(_interpretations(agency_ids, start, end), which)
    picked = picked[offset:] if limit is None else picked[offset : offset + limit]
    return [
        Record(
            agency_id=j.agency_id,
            entry_id=j.entry_id,
            reference=j.index_number or _("draft #%(id)d", id=j.entry_id),
            title=j.title,
            on=j.on,
            url=url_for("catalog.entry", entry_id=j.entry_id),
            note=_("Due %(day)s", day=j.due_on.isoformat()),
        )
        for j in picked
    ]


def interpretation_cutoff(days: int, today: dt.date) -> dt.date:
    """The last publication day of a document whose interpretation, due `days` working days later, is past due
    today: the due date grows with the publication day, so "due before today" holds up to this day and no later."""
    day = today - dt.timedelta(days=1)
    while add_working_days(day, days).due >= today:
        day -= dt.timedelta(days=1)
    return day


def _missing(today: dt.date) -> list:
    public = (
        select(EntryLink.id)
        .join(Interpretation, Interpretation.id == EntryLink.source_id)
        .join(InterpretationVersion, InterpretationVersion.id == Interpretation.published_version_id)
        .where(
            EntryLink.target_id == Entry.id,
            EntryLink.relation == LinkRelation.INTERPRETS.value,
            *_public_interpretation(Interpretation, InterpretationVersion),
        )
    )
    return [
        *_policy_document(Entry),
        _by_setting(
            CatalogSettings.interpretation_due_days,
            lambda n: Entry.first_published_on <= interpretation_cutoff(n, today),
        ),
        ~exists(public),
    ]


def missing_interpretation_counts(agency_ids: Sequence[int], today: dt.date) -> dict[int, int]:
    """Published policy documents still without a public interpretation once their interpretation was due (N
    working days after their first publication): the catalogue's `missing_interpretations`, today."""
    return _count(agency_ids, _missing(today))


def missing_interpretation_records(
    agency_ids: Sequence[int], today: dt.date, limit: int | None = None, offset: int = 0
) -> list[Record]:
    rows = _rows(agency_ids, Entry.first_published_on, _missing(today), limit, offset)
    if not rows:
        return []
    lead = dict(
        db.session.execute(select(Entry.id, Entry.agency_id).where(Entry.id.in_({r.entry_id for r in rows}))).all()
    )
    days = _setting(CatalogSettings.interpretation_due_days, lead.values())
    out = []
    for r in rows:
        due = add_working_days(r.on, days[lead[r.entry_id]]).due
        out.append(_record(r, _("Interpretation due %(day)s", day=due.isoformat()), on=due))
    return out


# --- Normative documents due for evaluation ---------------------------------------------------------------------


def _evaluation_due(today: dt.date) -> list:
    return [
        Entry.entry_type == EntryType.DOCUMENT.value,
        is_policy(Entry),
        Entry.published_version_id.is_not(None),
        Entry.withdrawn_at.is_(None),
        Entry.validity == Validity.VALID.value,
        Entry.valid_until.is_not(None),
        _by_setting(
            CatalogSettings.review_months_before_expiry,
            lambda months: Entry.valid_until <= add_months(today, months),
        ),
    ]


def evaluation_due_counts(agency_ids: Sequence[int], today: dt.date) -> dict[int, int]:
    """Valid normative documents whose validity period ends within the lead issuer's
    `review_months_before_expiry` (有效期届满前评估; ended ones not yet marked expired included): the catalogue's
    `validity.due_for_evaluation`, today."""
    return _count(agency_ids, _evaluation_due(today))


def evaluation_due_records(
    agency_ids: Sequence[int], today: dt.date, limit: int | None = None, offset: int = 0
) -> list[Record]:
    rows = _rows(agency_ids, Entry.valid_until, _evaluation_due(today), limit, offset)
    return [_record(r, _("Valid until %(day)s", day=r.on.isoformat())) for r in rows]


# --- The rollups (core.rollups) ---------------------------------------------------------------------------------
# First publications, changed versions and the Art. 26 judgement per issuing organ and month, kept by the database
# under the conditions of `_first_published`, `_changes` and `_judged`: for the lead issuer and for each joint
# issuer (an issuer row not marked lead, of another agency), as `_branches` counts them. Each table's triggers
# write what a change of its rows does to the counts: a change of an entry (for its lead and joint issuers), of a
# version (for its entry's issuers), of an issuer row (the entry's counts for that issuer).

ROLLUP_PUBLISHED = "catalog.published"
ROLLUP_CHANGES = "catalog.changes"
ROLLUP_JUDGED = "catalog.judged"

_PROACTIVE = f"'{Attribute.PROACTIVE.value}'"
_JOINT = "NOT {i}.lead AND {i}.agency_id <> {e}.agency_id"


def _entry_parts(e: str, i: str | None, *, rebuild: bool) -> tuple[rollups.Part, ...]:
    """First publication and judgement of entry `e`, for its lead (`i` None) or for the joint issuer rows `i`."""
    agency = f"{e}.agency_id" if i is None else f"{i}.agency_id"
    joint = "" if i is None else f" AND {_JOINT.format(i=i, e=e)}"
    return (
        rollups.Part(
            ROLLUP_PUBLISHED,
            agency,
            f"{e}.first_published_on",
            f"{e}.attribute = {_PROACTIVE}{joint}",
            rebuild=rebuild,
        ),
        rollups.Part(
            ROLLUP_JUDGED,
            agency,
            f"{e}.published_on",
            f"{e}.state = '{States.PUBLISHED.value}' AND {e}.attribute = {_PROACTIVE} AND {e}.due_on IS NOT NULL"
            + joint,
            sums=(f"CASE WHEN {e}.published_on <= {e}.due_on THEN 1 ELSE 0 END",),
            rebuild=rebuild,
        ),
    )


def _change_part(e: str, v: str, i: str | None, *, rebuild: bool) -> rollups.Part:
    """A changed version `v` of entry `e`, for its lead (`i` None) or for the joint issuer rows `i`."""
    agency = f"{e}.agency_id" if i is None else f"{i}.agency_id"
    joint = "" if i is None else f" AND {_JOINT.format(i=i, e=e)}"
    return rollups.Part(
        ROLLUP_CHANGES,
        agency,
        f"{v}.published_on",
        f"{v}.entry_id = {e}.id AND {v}.revision > 1 AND {v}.attribute = {_PROACTIVE}{joint}",
        rebuild=rebuild,
    )


def _reading(part: rollups.Part, tables: str, join: str = "") -> rollups.Part:
    """`part` reading `tables` (FROM items), joined to the changed row by `join`."""
    return dataclasses.replace(part, tables=tables, where=f"{join} AND {part.where}" if join else part.where)


ROLLUPS = (
    rollups.Source(
        "catalog_entries",
        (
            *_entry_parts("{r}", None, rebuild=True),
            *(
                _reading(p, "catalog_entry_issuers i", "i.entry_id = {r}.id")
                for p in _entry_parts("{r}", "i", rebuild=True)
            ),
            # A change of an entry's lead issuer moves its versions' counts (never done, but counted right).
            _reading(_change_part("{r}", "v", None, rebuild=False), "catalog_versions v"),
            _reading(
                _change_part("{r}", "v", "i", rebuild=False),
                "catalog_versions v, catalog_entry_issuers i",
                "i.entry_id = {r}.id",
            ),
        ),
        columns=("agency_id", "attribute", "first_published_on", "state", "due_on", "published_on"),
    ),
    rollups.Source(
        "catalog_versions",
        (
            _reading(_change_part("e", "{r}", None, rebuild=True), "catalog_entries e"),
            _reading(
                _change_part("e", "{r}", "i", rebuild=True),
                "catalog_entries e, catalog_entry_issuers i",
                "i.entry_id = e.id",
            ),
        ),
        columns=("entry_id", "revision", "attribute", "published_on"),
    ),
    rollups.Source(
        "catalog_entry_issuers",
        (
            *(_reading(p, "catalog_entries e", "e.id = {r}.entry_id") for p in _entry_parts("e", "{r}", rebuild=False)),
            _reading(
                _change_part("e", "v", "{r}", rebuild=False),
                "catalog_entries e, catalog_versions v",
                "e.id = {r}.entry_id",
            ),
        ),
        columns=("entry_id", "agency_id", "lead"),
    ),
)
rollups.register(*ROLLUPS)
