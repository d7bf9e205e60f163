"""The catalogue entries of an agency and period, one row each, for the supervision standing book (台账, issue 14
§2; proactive-china §1.7: "one row per published item with 索引号, title, column, 公开属性, 生成日期, publish_due,
publication date, on-time flag, linked interpretation (and its lag in WD), validity"). Read here and exported
through the door, so the supervision package never reads these tables itself.

An entry is the agency's when the agency issued it, alone or jointly (each issuing organ sees a joint document in
its own catalogue). The rows are the entries the period touched: first published (主动公开) or recorded
(依申请公开 / 不予公开) in it, or whose current version was published in it. Each carries what the supervision
figures count, by the conditions of `oversight` (the dashboard's counts): first published in the period, and the
current publication judged against its Art. 26 due date as the catalogue judges it (`timeliness.judge`: the
entry's `due_on`, 20 working days from the day it was made or changed). A policy document (规章 / 行政规范性文件,
主动公开) names its public interpretations, the lag to the first of them in working days, and whether that came
by the interpretation due date (the lead issuer's `interpretation_due_days`, `operations.interpretations`); an
interpretation names the policy documents it interprets and whether it came by the due date of every one.
Rows are streamed (`yield_per`); the interpretations of a page of entries are read in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import and_, case, false, func, or_, select

from disclosure.catalog.classification import category_label
from disclosure.catalog.models import CatalogSettings, Entry, EntryIssuer, EntryLink, EntryType, LinkRelation
from disclosure.catalog.oversight import (
    Document,
    Interpretation,
    InterpretationVersion,
    _first_published,
    _judged,
    _policy_document,
    _public_interpretation,
)
from disclosure.extensions import db
from disclosure.workdays import add_working_days, working_days_between
from workflows.catalog import States

STREAM = 1000  # rows fetched at a time, and entries whose interpretations are read together
DEFAULT_INTERPRETATION_DAYS = CatalogSettings.interpretation_due_days.default.arg


@dataclass(frozen=True)
class StandingEntry:
    id: int
    index_number: str | None
    title: str
    entry_type: str  # EntryType
    state: str
    category: str  # Art. 20 / 21 code ("" for none)
    attribute: str  # Attribute
    made_on: dt.date
    due_on: dt.date | None  # Art. 26
    first_published_on: dt.date  # the first publication (or recording)
    published_on: dt.date | None  # the current version's publication
    first_published_in_period: bool  # 主动公开 and first published in the period: the dashboard's "published"
    on_time: bool | None  # the current publication judged against due_on; None when not judged
    validity: str  # Validity
    is_policy: bool  # a published 规章 / 行政规范性文件 disclosed proactively: it must be interpreted
    interpretations: tuple[str, ...] = ()  # a document's public interpretations, or the documents interpreted
    interpretation_lag: int | None = None  # working days from the document's publication to its interpretation's
    interpretation_on_time: bool | None = None
    interpretation_missing: bool = False  # a policy document without one, past its interpretation due date


def standing_category_label(code: str):
    """A catalogue column (an Art. 20 / 21 category) in words."""
    return category_label(code)


def _issued_by(agency_id: int):
    """The lead issuer's entries and those it issued jointly (as `oversight._by_issuer` counts them)."""
    joint = select(EntryIssuer.entry_id).where(EntryIssuer.agency_id == agency_id, EntryIssuer.lead == false())
    return or_(Entry.agency_id == agency_id, Entry.id.in_(joint))


def _scope(agency_id: int, start: dt.date, end: dt.date) -> tuple:
    return (
        _issued_by(agency_id),
        or_(
            Entry.first_published_on.between(start, end),
            and_(Entry.state == States.PUBLISHED.value, Entry.published_on.between(start, end)),
        ),
    )


def standing_entry_count(agency_id: int, start: dt.date, end: dt.date) -> int:
    """How many rows `standing_entries` gives (one count query)."""
    return db.session.execute(
        select(func.count()).select_from(Entry).where(*_scope(agency_id, start, end))
    ).scalar_one()


class _Dues:
    """The interpretation due dates, each agency's setting and each due date computed once."""

    def __init__(self):
        self._days: dict[int, int] = {}
        self._due: dict[tuple[dt.date, int], dt.date] = {}

    def due(self, agency_id: int, published: dt.date) -> dt.date:
        if agency_id not in self._days:
            days = db.session.execute(
                select(CatalogSettings.interpretation_due_days).where(CatalogSettings.agency_id == agency_id)
            ).scalar_one_or_none()
            self._days[agency_id] = DEFAULT_INTERPRETATION_DAYS if days is None else days
        key = (published, self._days[agency_id])
        if key not in self._due:
            self._due[key] = add_working_days(published, key[1]).due
        return self._due[key]


def _interpretations_of(document_ids: list[int]) -> dict[int, list[tuple[str, dt.date]]]:
    """The public interpretations of these documents: {document: [(index number, first published)]}, first
    published first (one query)."""
    out: dict[int, list[tuple[str, dt.date]]] = {}
    if not document_ids:
        return out
    rows = db.session.execute(
        select(EntryLink.target_id, Interpretation.index_number, Interpretation.first_published_on)
        .join(Interpretation, Interpretation.id == EntryLink.source_id)
        .join(InterpretationVersion, InterpretationVersion.id == Interpretation.published_version_id)
        .where(
            EntryLink.relation == LinkRelation.INTERPRETS.value,
            EntryLink.target_id.in_(document_ids),
            Interpretation.first_published_on.is_not(None),
            *_public_interpretation(Interpretation, InterpretationVersion),
        )
        .order_by(EntryLink.target_id, Interpretation.first_published_on, Interpretation.id)
    ).all()
    for target, number, published in rows:
        out.setdefault(target, []).append((number or "", published))
    return out


def _documents_of(interpretation_ids: list[int]) -> dict[int, list[tuple[str, dt.date, int]]]:
    """The published policy documents these interpretations interpret: {interpretation: [(index number, first
    published, lead issuer)]} (one query)."""
    out: dict[int, list[tuple[str, dt.date, int]]] = {}
    if not interpretation_ids:
        return out
    rows = db.session.execute(
        select(EntryLink.source_id, Document.index_number, Document.first_published_on, Document.agency_id)
        .join(Document, Document.id == EntryLink.target_id)
        .where(
            EntryLink.relation == LinkRelation.INTERPRETS.value,
            EntryLink.source_id.in_(interpretation_ids),
            *_policy_document(Document),
        )
        .order_by(EntryLink.source_id, Document.first_published_on, Document.id)
    ).all()
    for source, number, published, agency in rows:
        out.setdefault(source, []).append((number or "", published, agency))
    return out


def _rows(page: list, today: dt.date, dues: _Dues) -> Iterator[StandingEntry]:
    documents = _interpretations_of([r.id for r in page if r.is_policy])
    interpreted = _documents_of([r.id for r in page if r.entry_type == EntryType.INTERPRETATION.value])
    for r in page:
        numbers: tuple[str, ...] = ()
        lag = timely = None
        missing = False
        if r.is_policy:
            due = dues.due(r.agency_id, r.first_published_on)
            found = documents.get(r.id, [])
            numbers = tuple(n for n, _day in found)
            if found:
                lag = working_days_between(r.first_published_on, found[0][1])
                timely = found[0][1] <= due
            else:
                missing = today > due
        elif r.id in interpreted:
            found = interpreted[r.id]
            numbers = tuple(n for n, _day, _agency in found)
            lag = max(working_days_between(day, r.first_published_on) for _n, day, _agency in found)
            timely = all(r.first_published_on <= dues.due(agency, day) for _n, day, agency in found)
        yield StandingEntry(
            id=r.id,
            index_number=r.index_number,
            title=r.title,
            entry_type=r.entry_type,
            state=r.state,
            category=r.category,
            attribute=r.attribute,
            made_on=r.made_on,
            due_on=r.due_on,
            first_published_on=r.first_published_on,
            published_on=r.published_on,
            first_published_in_period=bool(r.published_in_period),
            on_time=None if not r.judged else bool(r.on_time),
            validity=r.validity,
            is_policy=bool(r.is_policy),
            interpretations=numbers,
            interpretation_lag=lag,
            interpretation_on_time=timely,
            interpretation_missing=missing,
        )


def _flag(conditions):
    return case((and_(*conditions), 1), else_=0)


def standing_entries(agency_id: int, start: dt.date, end: dt.date, *, today: dt.date) -> Iterator[StandingEntry]:
    """The period's entries in order of first publication; `today` says whether a missing interpretation is past
    its due date yet."""
    everything = (dt.date.min, dt.date.max)
    stmt = (
        select(
            Entry.id,
            Entry.agency_id,
            Entry.index_number,
            Entry.title,
            Entry.entry_type,
            Entry.state,
            Entry.category,
            Entry.attribute,
            Entry.made_on,
            Entry.due_on,
            Entry.first_published_on,
            Entry.published_on,
            Entry.validity,
            _flag(_first_published(start, end)).label("published_in_period"),
            _flag(_judged(*everything, "all")).label("judged"),
            _flag(_judged(*everything, "on_time")).label("on_time"),
            _flag(_policy_document(Entry)).label("is_policy"),
        )
        .where(*_scope(agency_id, start, end))
        .order_by(Entry.first_published_on, Entry.id)
        .execution_options(yield_per=STREAM)
    )
    dues = _Dues()
    result = db.session.execute(stmt)
    try:
        for page in result.partitions():
            yield from _rows(page, today, dues)
    finally:
        result.close()
