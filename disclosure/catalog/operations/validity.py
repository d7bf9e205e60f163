"""Validity as a history (有效性; issue 11 §2, proactive-china §1.2 and §2.3): a document is 废止 or 修改 by a later
document that names it, becomes 失效 when its 有效期 runs out (the daily sweep) or when a cleanup declares it, and
each change is a `ValidityEvent` with its date and cause. The entry keeps the current value (`validity`,
`validity_since`); a change dated in the future waits, unapplied, until `apply_due_changes` reaches its date.

Expired and repealed documents stay public, annotated with their state, the date and the document that repealed
them (条例 Art. 26; 国办发〔2017〕47号: 在已发布的原文件上作出明确标注); `public_validity` says what the annotation
shows. Validity defaults: a normative document is valid `validity_years` from taking effect (暂行 / 试行 documents
`provisional_validity_years`), and is due for evaluation `review_months_before_expiry` before it runs out (local
rules ⚠, the agency's settings).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

import workflows.catalog as wf
from disclosure.accounts.models import User
from disclosure.catalog.models import (
    DocKind,
    Entry,
    EntryLink,
    EntryType,
    EntryVersion,
    LinkRelation,
    Validity,
    ValidityChange,
    ValidityEvent,
)
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.search import refresh_search_text
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.errors import NotAllowed, collect_errors
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from workflows.catalog import States

PROVISIONAL_WORDS = ("暂行", "试行")

# What each change makes of the document (an amendment or a 继续有效 keeps it valid).
RESULTING_VALIDITY = {
    ValidityChange.MADE: Validity.VALID,
    ValidityChange.AMENDED: Validity.VALID,
    ValidityChange.CONTINUED: Validity.VALID,
    ValidityChange.LISTED_FOR_AMENDMENT: Validity.VALID,
    ValidityChange.REPEALED: Validity.REPEALED,
    ValidityChange.EXPIRED: Validity.EXPIRED,
    ValidityChange.DECLARED_EXPIRED: Validity.EXPIRED,
}

CHANGE_LABELS = {
    ValidityChange.MADE.value: _l("Took effect"),
    ValidityChange.AMENDED.value: _l("Amended"),
    ValidityChange.REPEALED.value: _l("Repealed"),
    ValidityChange.EXPIRED.value: _l("Expired (end of its validity period)"),
    ValidityChange.DECLARED_EXPIRED.value: _l("Declared expired by a cleanup"),
    ValidityChange.CONTINUED.value: _l("Confirmed valid by a cleanup"),
    ValidityChange.LISTED_FOR_AMENDMENT.value: _l("Listed for amendment by a cleanup"),
    ValidityChange.IMPORTED.value: _l("Imported"),
}


# --- Defaults ---------------------------------------------------------------------------------------------------


def is_provisional(entry: Entry) -> bool:
    """暂行 / 试行: marked so, or named so in its title (暂行办法, 试行规定 …)."""
    return bool(entry.provisional) or any(word in (entry.title or "") for word in PROVISIONAL_WORDS)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February in a common year)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_valid_until(entry: Entry, *, start: dt.date | None = None) -> dt.date | None:
    """The last day of a normative document's default validity period: `validity_years` (暂行 / 试行:
    `provisional_validity_years`) from the day it takes effect (施行日期, else its publication), minus one day
    ("自2026年3月1日起施行，有效期5年" runs to 2031-02-28). None for other documents, or a setting of 0 years."""
    if entry.entry_type != EntryType.DOCUMENT.value or not DocKind(entry.doc_kind).normative:
        return None
    begin = start or entry.in_force_on or entry.first_published_on or entry.published_on or entry.made_on
    if begin is None:
        return None
    settings = ops.settings_for(entry.agency_id)
    years = settings.provisional_validity_years if is_provisional(entry) else settings.validity_years
    if years <= 0:
        return None
    return add_years(begin, years) - dt.timedelta(days=1)


def evaluation_due_on(entry: Entry) -> dt.date | None:
    """有效期届满前评估: `review_months_before_expiry` before the validity period ends."""
    if entry.valid_until is None:
        return None
    return add_months(entry.valid_until, -ops.settings_for(entry.agency_id).review_months_before_expiry)


def apply_defaults_on_publication(entry: Entry, *, actor: User | None) -> None:
    """At a normative document's first publication: its validity period when none was given (the frozen version's
    metadata is completed in the same transaction, so the public sees the period that applies)."""
    if entry.revision != 1 or entry.valid_until is not None or entry.source == "import":
        return
    until = default_valid_until(entry)
    if until is None:
        return
    entry.valid_until = until
    version = entry.published_version
    if version is not None:
        version.metadata_json = {**(version.metadata_json or {}), "valid_until": until.isoformat()}
    entry.log(
        "catalog.validity_default",
        after={"valid_until": until, "provisional": is_provisional(entry)},
        actor=actor,
    )


# --- Queries ----------------------------------------------------------------------------------------------------


def history(entry: Entry) -> list[ValidityEvent]:
    """Every validity change of the document, oldest first (scheduled ones included, marked unapplied)."""
    return list(
        db.session.execute(
            select(ValidityEvent)
            .where(ValidityEvent.entry_id == entry.id)
            .order_by(ValidityEvent.effective_on, ValidityEvent.id)
        ).scalars()
    )


def pending_changes(entry: Entry) -> list[ValidityEvent]:
    return [e for e in history(entry) if not e.applied]


@dataclass(frozen=True)
class PublicValidity:
    """The annotation on the published original: state, since when, the document that caused it, the latest
    amendment (a document stays valid when amended)."""

    validity: str
    since: dt.date | None
    cause: Entry | None
    amended_on: dt.date | None
    amended_by: Entry | None


def public_validity(entry: Entry) -> PublicValidity:
    applied = [e for e in history(entry) if e.applied]
    changes = [e for e in applied if e.validity != Validity.VALID.value]
    last_change = changes[-1] if changes else None
    amendments = [e for e in applied if e.change == ValidityChange.AMENDED.value]
    last_amend = amendments[-1] if amendments else None
    cause = last_change.cause if last_change is not None and entry.validity != Validity.VALID.value else None
    return PublicValidity(
        validity=entry.validity,
        since=entry.validity_since,
        cause=cause if cause is not None and cause.is_public else None,
        amended_on=last_amend.effective_on if last_amend else None,
        amended_by=last_amend.cause if last_amend and last_amend.cause and last_amend.cause.is_public else None,
    )


def _normative_scope(agency_id: int):
    return (
        Entry.agency_id == agency_id,
        Entry.entry_type == EntryType.DOCUMENT.value,
        Entry.doc_kind.in_([DocKind.REGULATION.value, DocKind.NORMATIVE.value]),
        Entry.published_version_id.is_not(None),
        Entry.withdrawn_at.is_(None),
    )


def valid_normative_documents(agency_id: int) -> list[Entry]:
    """The agency's published, valid normative documents (it is their lead issuer), oldest first."""
    return list(
        db.session.execute(
            select(Entry)
            .where(*_normative_scope(agency_id), Entry.validity == Validity.VALID.value)
            .order_by(Entry.first_published_on, Entry.id)
        ).scalars()
    )


def due_for_evaluation(agency_id: int, today: dt.date) -> list[Entry]:
    """Valid normative documents whose evaluation is due (within `review_months_before_expiry` of the end of their
    validity period), soonest expiry first."""
    months = ops.settings_for(agency_id).review_months_before_expiry
    horizon = add_months(today, months)
    return list(
        db.session.execute(
            select(Entry)
            .where(
                *_normative_scope(agency_id),
                Entry.validity == Validity.VALID.value,
                Entry.valid_until.is_not(None),
                Entry.valid_until <= horizon,
            )
            .order_by(Entry.valid_until, Entry.id)
        ).scalars()
    )


# --- Changes ----------------------------------------------------------------------------------------------------


def _took_effect(document: Entry) -> dt.date:
    return document.in_force_on or document.first_published_on or document.made_on


def _require_office_head(document: Entry, actor: User | None) -> None:
    if actor is not None and wf.OFFICE_HEAD not in ops.actors_for(document, actor):
        raise NotAllowed(_l("Only the disclosure office head of the issuing agency changes a document's validity."))


def _check_changeable(document: Entry, effective_on: dt.date | None, errors) -> None:
    """The document is a published document, still valid, with no other change waiting; the date is not before
    it took effect."""
    if document.entry_type != EntryType.DOCUMENT.value:
        errors.add(_l("Only a document has a validity; an interpretation follows its documents."), field=None)
    elif document.published_version_id is None or document.state == States.WITHDRAWN.value:
        errors.add(_l("Only a published document can change its validity."), field=None)
    elif document.validity == Validity.REPEALED.value:
        errors.add(_l("This document is already repealed (since %(day)s).", day=document.validity_since), field=None)
    elif document.validity == Validity.EXPIRED.value:
        errors.add(_l("This document is already expired (since %(day)s).", day=document.validity_since), field=None)
    elif pending := [e for e in pending_changes(document) if e.validity != Validity.VALID.value]:
        errors.add(
            _l(
                "A change of this document's validity is already scheduled for %(day)s.",
                day=pending[0].effective_on.isoformat(),
            ),
            field=None,
        )
    if effective_on is None:
        errors.add(_l("Enter the date the change takes effect."), field="effective_on")
    elif effective_on < _took_effect(document):
        errors.add(
            _l(
                "The change cannot take effect before the document did (%(day)s).",
                day=_took_effect(document).isoformat(),
            ),
            field="effective_on",
        )


def _check_later_document(document: Entry, by: Entry | None, errors) -> None:
    """The repealing or amending document: published, public, of the same agency or one of the joint issuers."""
    if by is None:
        errors.add(_l("Name the later document by its index number or document number."), field="by")
        return
    if by.id == document.id:
        errors.add(_l("A document cannot repeal or amend itself."), field="by")
    elif by.entry_type != EntryType.DOCUMENT.value:
        errors.add(_l("An interpretation cannot repeal or amend a document."), field="by")
    elif not by.is_public:
        errors.add(_l("The later document must be published first (it is what the public reads)."), field="by")
    elif not (ops.issuing_agency_ids(by) & ops.issuing_agency_ids(document)):
        errors.add(
            _l(
                "A document of another agency cannot be repealed or amended here, unless that agency issued it jointly."
            ),
            field="by",
        )


def _link(source: Entry, target: Entry, relation: LinkRelation) -> None:
    exists = db.session.execute(
        select(EntryLink.id).where(
            EntryLink.source_id == source.id, EntryLink.target_id == target.id, EntryLink.relation == relation.value
        )
    ).scalar_one_or_none()
    if exists is None:
        db.session.add(
            EntryLink(source_id=source.id, target_id=target.id, relation=relation.value, created_at=utcnow())
        )


def record_change(
    document: Entry,
    change: ValidityChange,
    *,
    effective_on: dt.date,
    today: dt.date,
    reason: str = "",
    cause: Entry | None = None,
    cleanup_id: int | None = None,
    actor: User | None = None,
) -> ValidityEvent:
    """Write the event; apply it now when its date has come, else leave it scheduled for the sweep."""
    event = ValidityEvent(
        entry_id=document.id,
        change=change.value,
        validity=RESULTING_VALIDITY[change].value,
        effective_on=effective_on,
        applied=False,
        cause_entry_id=cause.id if cause is not None else None,
        cleanup_id=cleanup_id,
        reason=reason.strip(),
        created_at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    if effective_on <= today:
        _apply(document, event, actor=actor)
    else:
        document.log(
            "catalog.validity_scheduled",
            after={"change": change.value, "effective_on": effective_on, "cause": getattr(cause, "index_number", None)},
            reason=event.reason or None,
            actor=actor,
        )
    return event


def _apply(document: Entry, event: ValidityEvent, *, actor: User | None) -> None:
    before = {"validity": document.validity, "validity_since": document.validity_since}
    event.applied = True
    if document.validity != event.validity:
        document.validity = event.validity
        document.validity_since = event.effective_on
    refresh_search_text(document)
    db.session.flush()
    cause = db.session.get(Entry, event.cause_entry_id) if event.cause_entry_id else None
    document.log(
        f"catalog.validity_{event.change}",
        before=before,
        after={
            "validity": document.validity,
            "validity_since": document.validity_since,
            "effective_on": event.effective_on,
            "cause": cause.index_number if cause is not None else None,
            "cleanup_id": event.cleanup_id,
        },
        reason=event.reason or None,
        actor=actor,
    )


def repeal(
    document: Entry,
    *,
    by: Entry | None,
    effective_on: dt.date | None,
    reason: str = "",
    actor: User | None,
    today: dt.date | None = None,
) -> ValidityEvent:
    """废止 by a later document that names it: both linked (the later one REPEALS this one), each page showing the
    other; the document stays public, annotated as repealed from `effective_on`."""
    _require_office_head(document, actor)
    today = today or today_china()
    with collect_errors() as errors:
        _check_changeable(document, effective_on, errors)
        _check_later_document(document, by, errors)
    _link(by, document, LinkRelation.REPEALS)
    return record_change(
        document, ValidityChange.REPEALED, effective_on=effective_on, today=today, reason=reason, cause=by, actor=actor
    )


def amend(
    document: Entry,
    *,
    by: Entry | None,
    effective_on: dt.date | None,
    note: str = "",
    actor: User | None,
    today: dt.date | None = None,
) -> ValidityEvent:
    """修改 by a later document (a 修改决定): both linked (the later one AMENDS this one); the document stays valid,
    annotated with the amendment."""
    _require_office_head(document, actor)
    today = today or today_china()
    with collect_errors() as errors:
        _check_changeable(document, effective_on, errors)
        _check_later_document(document, by, errors)
        if by is not None and effective_on is not None and by.id != document.id:
            twice = db.session.execute(
                select(EntryLink.id).where(
                    EntryLink.source_id == by.id,
                    EntryLink.target_id == document.id,
                    EntryLink.relation == LinkRelation.AMENDS.value,
                )
            ).scalar_one_or_none()
            if twice is not None:
                errors.add(_l("This amendment is already recorded."), field="by")
    _link(by, document, LinkRelation.AMENDS)
    return record_change(
        document, ValidityChange.AMENDED, effective_on=effective_on, today=today, reason=note, cause=by, actor=actor
    )


def declare_by_cleanup(
    document: Entry,
    change: ValidityChange,
    *,
    cleanup_id: int,
    result_entry: Entry,
    effective_on: dt.date,
    reason: str,
    actor: User | None,
    today: dt.date,
) -> ValidityEvent | None:
    """A cleanup's decision on one document, from its effective date (宣布失效, 废止, 继续有效, 修改). A document
    that changed meanwhile (repealed by another document) is left as it is: None."""
    if document.validity != Validity.VALID.value or document.withdrawn_at is not None:
        return None
    if any(e.validity != Validity.VALID.value for e in pending_changes(document)):
        return None
    if change == ValidityChange.REPEALED:
        _link(result_entry, document, LinkRelation.REPEALS)
    return record_change(
        document,
        change,
        effective_on=max(effective_on, _took_effect(document)),
        today=today,
        reason=reason,
        cause=result_entry,
        cleanup_id=cleanup_id,
        actor=actor,
    )


def declare_expired(
    document: Entry, *, cleanup_id: int, result_entry: Entry, effective_on: dt.date, reason: str, actor, today
):
    """宣布失效 by a cleanup."""
    return declare_by_cleanup(
        document,
        ValidityChange.DECLARED_EXPIRED,
        cleanup_id=cleanup_id,
        result_entry=result_entry,
        effective_on=effective_on,
        reason=reason,
        actor=actor,
        today=today,
    )


def expire_due(today: dt.date) -> list[Entry]:
    """Documents whose validity period ended before `today` (`valid_until` is the last valid day) become 失效 from
    the next day. Returns them."""
    rows = list(
        db.session.execute(
            select(Entry)
            .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
            .where(
                Entry.entry_type == EntryType.DOCUMENT.value,
                Entry.validity == Validity.VALID.value,
                Entry.valid_until.is_not(None),
                Entry.valid_until < today,
                Entry.withdrawn_at.is_(None),
            )
            .order_by(Entry.id)
        ).scalars()
    )
    expired = []
    for document in rows:
        if any(e.validity != Validity.VALID.value for e in pending_changes(document)):
            continue  # a repeal is scheduled; it decides
        event = ValidityEvent(
            entry_id=document.id,
            change=ValidityChange.EXPIRED.value,
            validity=Validity.EXPIRED.value,
            effective_on=document.valid_until + dt.timedelta(days=1),
            applied=False,
            created_at=utcnow(),
        )
        db.session.add(event)
        db.session.flush()
        _apply(document, event, actor=None)
        expired.append(document)
    return expired


def apply_due_changes(today: dt.date) -> dict[str, int]:
    """The daily sweep: scheduled changes whose date has come are applied (in date order), then documents past
    their validity period expire. Returns how many of each."""
    events = list(
        db.session.execute(
            select(ValidityEvent)
            .where(ValidityEvent.applied.is_(False), ValidityEvent.effective_on <= today)
            .order_by(ValidityEvent.effective_on, ValidityEvent.id)
        ).scalars()
    )
    applied = 0
    for event in events:
        document = db.session.get(Entry, event.entry_id)
        if document.validity != Validity.VALID.value and event.validity != Validity.VALID.value:
            event.applied = True  # already ended by an earlier change: kept in the history, nothing to change
            continue
        _apply(document, event, actor=None)
        applied += 1
    expired = expire_due(today)
    return {"applied": applied, "expired": len(expired)}


def later_document(agency_id: int, text: str) -> Entry | None:
    """The document staff name as repealing or amending one: by its index number or its document number in any
    bracket variant, among the entries this agency issued (alone or jointly)."""
    text = (text or "").strip()
    if not text or len(text) > 80:
        return None
    key = normalise_document_number(text)
    query = select(Entry).where(
        or_(Entry.index_number == text, Entry.document_number_key == key) if key else Entry.index_number == text,
        Entry.state != States.ABANDONED.value,
    )
    rows = list(db.session.execute(query.order_by(Entry.id)).scalars())
    own = [e for e in rows if agency_id in ops.issuing_agency_ids(e)]
    return (own or rows or [None])[0]
