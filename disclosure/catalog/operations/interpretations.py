"""Policy interpretations (政策解读; issue 11 §3, rules-china §8.5, proactive-china §1.3 and §2.4).

An interpretation is its own catalogue entry (entry_type interpretation) linked to the documents it interprets
(`EntryLink` INTERPRETS, interpretation → document). "同步起草、同步审批、同步发布": an interpretation marked
`publish_with_documents` that waits in `approval` is published with its document, in the same transaction and by
the same office head (`after_act`, called at the end of every entry step). It is due N working days after its
document's first publication (the agency's `interpretation_due_days`, default 3: 浙江 2016 circular ⚠); the lag is
counted in working days on the calendar. The workbench lists policy documents (规章 / 行政规范性文件, 主动公开,
published) still without a published interpretation after N working days, and interpretations published late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import workflows.catalog as wf
from disclosure.accounts.models import User
from disclosure.catalog.models import DocKind, Entry, EntryLink, EntryType, EntryVersion, LinkRelation
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.operations import validity
from disclosure.core.errors import NotAllowed, collect_errors
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from disclosure.workdays import add_working_days, working_days_between
from workflows.catalog import Attribute, States

CLOSED = (States.WITHDRAWN.value, States.ABANDONED.value)
PUBLISHING = ("publish", "import_published", "publish_generated")


# --- Links ------------------------------------------------------------------------------------------------------


def _require_editor(entry: Entry, actor: User | None) -> None:
    if actor is not None and not ({wf.CATALOG_EDITOR, wf.OFFICE_HEAD} & ops.actors_for(entry, actor)):
        raise NotAllowed(_l("Only a catalogue editor or the office head of the agency links entries."))


def link_interpretation(interpretation: Entry, document: Entry | None, *, actor: User | None) -> EntryLink:
    """Say that `interpretation` interprets `document`: a document (not another interpretation, not itself) of the
    same agency or one the agency issued jointly."""
    _require_editor(interpretation, actor)
    with collect_errors() as errors:
        if interpretation.entry_type != EntryType.INTERPRETATION.value:
            errors.add(_l("Only an interpretation entry interprets documents."), field=None)
        if interpretation.state in CLOSED:
            errors.add(_l("This entry is withdrawn or abandoned."), field=None)
        if document is None:
            errors.add(_l("Name the document by its index number or document number."), field="document")
        elif document.id == interpretation.id:
            errors.add(_l("An interpretation cannot interpret itself."), field="document")
        elif document.entry_type == EntryType.INTERPRETATION.value:
            errors.add(_l("An interpretation interprets a document, not another interpretation."), field="document")
        elif document.state in CLOSED:
            errors.add(_l("That document is withdrawn or abandoned."), field="document")
        elif interpretation.agency_id not in ops.issuing_agency_ids(document):
            errors.add(
                _l("Only a document of this agency, or one it issued jointly, can be interpreted here."),
                field="document",
            )
        elif _link_of(interpretation, document) is not None:
            errors.add(_l("This interpretation is already linked to that document."), field="document")
    link = EntryLink(
        source_id=interpretation.id,
        target_id=document.id,
        relation=LinkRelation.INTERPRETS.value,
        created_at=utcnow(),
    )
    db.session.add(link)
    db.session.flush()
    interpretation.log(
        "catalog.link_interpretation",
        after={"document": document.index_number or document.id, "title": document.title},
        actor=actor,
    )
    return link


def unlink_interpretation(interpretation: Entry, document: Entry, *, actor: User | None) -> None:
    _require_editor(interpretation, actor)
    link = _link_of(interpretation, document)
    if link is None:
        raise NotAllowed(_l("This interpretation is not linked to that document."))
    db.session.delete(link)
    db.session.flush()
    interpretation.log(
        "catalog.unlink_interpretation",
        before={"document": document.index_number or document.id, "title": document.title},
        actor=actor,
    )


def _link_of(interpretation: Entry, document: Entry) -> EntryLink | None:
    return db.session.execute(
        select(EntryLink).where(
            EntryLink.source_id == interpretation.id,
            EntryLink.target_id == document.id,
            EntryLink.relation == LinkRelation.INTERPRETS.value,
        )
    ).scalar_one_or_none()


def interpretations_of(document: Entry, *, public_only: bool = False) -> list[Entry]:
    rows = db.session.execute(
        select(Entry)
        .join(EntryLink, EntryLink.source_id == Entry.id)
        .where(EntryLink.target_id == document.id, EntryLink.relation == LinkRelation.INTERPRETS.value)
        .order_by(Entry.first_published_on, Entry.id)
    ).scalars()
    return [e for e in rows if e.is_public or (not public_only and e.state not in CLOSED)]


def documents_of(interpretation: Entry, *, public_only: bool = False) -> list[Entry]:
    rows = db.session.execute(
        select(Entry)
        .join(EntryLink, EntryLink.target_id == Entry.id)
        .where(EntryLink.source_id == interpretation.id, EntryLink.relation == LinkRelation.INTERPRETS.value)
        .order_by(Entry.first_published_on, Entry.id)
    ).scalars()
    return [e for e in rows if e.is_public or (not public_only and e.state not in CLOSED)]


# --- Timeliness -------------------------------------------------------------------------------------------------


def is_policy_document(entry: Entry) -> bool:
    """A document that must have an interpretation: a 规章 or 行政规范性文件 disclosed proactively."""
    return (
        entry.entry_type == EntryType.DOCUMENT.value
        and DocKind(entry.doc_kind).normative
        and entry.attribute == Attribute.PROACTIVE.value
    )


def interpretation_due(document: Entry) -> dt.date | None:
    """The last day for its interpretation: N working days after the document's first publication."""
    if document.first_published_on is None:
        return None
    days = ops.settings_for(document.agency_id).interpretation_due_days
    return add_working_days(document.first_published_on, days).due


def lag_working_days(document: Entry, interpretation: Entry) -> int | None:
    """Working days from the document's publication to the interpretation's (0: published together)."""
    if document.first_published_on is None or interpretation.first_published_on is None:
        return None
    return working_days_between(document.first_published_on, interpretation.first_published_on)


def needs_interpretation(document: Entry) -> bool:
    """The staff warning: a policy document with no interpretation published (or being prepared)."""
    return is_policy_document(document) and not interpretations_of(document)


@dataclass(frozen=True)
class Missing:
    document: Entry
    due_on: dt.date
    working_days_late: int


@dataclass(frozen=True)
class Late:
    interpretation: Entry
    document: Entry
    due_on: dt.date
    lag: int


def _published_policy_documents(agency_id: int) -> list[Entry]:
    return list(
        db.session.execute(
            select(Entry)
            .where(
                Entry.agency_id == agency_id,
                Entry.entry_type == EntryType.DOCUMENT.value,
                Entry.doc_kind.in_([DocKind.REGULATION.value, DocKind.NORMATIVE.value]),
                Entry.attribute == Attribute.PROACTIVE.value,
                Entry.published_version_id.is_not(None),
                Entry.withdrawn_at.is_(None),
                Entry.first_published_on.is_not(None),
            )
            .order_by(Entry.first_published_on, Entry.id)
        ).scalars()
    )


def _public_interpretations(document_ids: list[int]) -> dict[int, list[Entry]]:
    """The published, public interpretations of these documents, in one query: {document id: [interpretation]}."""
    out: dict[int, list[Entry]] = {d: [] for d in document_ids}
    if not document_ids:
        return out
    rows = db.session.execute(
        select(EntryLink.target_id, Entry)
        .join(Entry, Entry.id == EntryLink.source_id)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(
            EntryLink.relation == LinkRelation.INTERPRETS.value,
            EntryLink.target_id.in_(document_ids),
            Entry.withdrawn_at.is_(None),
            EntryVersion.attribute == Attribute.PROACTIVE.value,
        )
        .order_by(Entry.first_published_on, Entry.id)
    ).all()
    for document_id, interpretation in rows:
        out[document_id].append(interpretation)
    return out


def missing_interpretations(agency_id: int, today: dt.date) -> list[Missing]:
    """Published policy documents still without a published interpretation once N working days have passed."""
    documents = _published_policy_documents(agency_id)
    published = _public_interpretations([d.id for d in documents])
    out = []
    for document in documents:
        due = interpretation_due(document)
        if due is None or today <= due or published[document.id]:
            continue
        out.append(Missing(document, due, working_days_between(due, today)))
    return out


def late_interpretations(agency_id: int) -> list[Late]:
    """Interpretations published more than N working days after their document (once per document they
    interpret)."""
    documents = _published_policy_documents(agency_id)
    published = _public_interpretations([d.id for d in documents])
    out = []
    for document in documents:
        due = interpretation_due(document)
        for interpretation in published[document.id]:
            if interpretation.first_published_on and interpretation.first_published_on > due:
                out.append(Late(interpretation, document, due, lag_working_days(document, interpretation)))
    return out


# --- The publication hook ---------------------------------------------------------------------------------------


def publish_with_document(document: Entry, *, actor: User | None, today: dt.date) -> list[Entry]:
    """同步发布: the document's interpretations marked `publish_with_documents`, waiting in `approval`, whose other
    documents are public already, published now by the same office head (when that person may publish them)."""
    published = []
    for interpretation in interpretations_of(document):
        if not interpretation.publish_with_documents or interpretation.state != States.APPROVAL.value:
            continue
        others = [d for d in documents_of(interpretation) if d.id != document.id]
        if any(not d.is_public for d in others):
            continue  # published with the last of its documents
        if "publish" not in ops.allowed_actions(interpretation, actor):
            continue
        ops.act(interpretation, "publish", actor=actor, comment="", today=today)
        published.append(interpretation)
    return published


def after_act(entry: Entry, trigger: str, *, actor: User | None, today: dt.date) -> None:
    """Called at the end of every entry step (`operations.entries.act`), in its transaction: on a publication, the
    normative document's default validity period and its interpretations published with it (同步发布)."""
    if trigger not in PUBLISHING or entry.state != States.PUBLISHED.value:
        return
    validity.apply_defaults_on_publication(entry, actor=actor)
    if entry.entry_type == EntryType.DOCUMENT.value and trigger == "publish":
        publish_with_document(entry, actor=actor, today=today)
