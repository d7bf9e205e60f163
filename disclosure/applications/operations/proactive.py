"""Requests and proactive disclosure (issue 11 §6): 条例 Art. 44 — information several applicants asked for becomes
a catalogue draft in one action, linked to every request that asked for it — and Art. 36(1) — a requested item
already published is answered as 已主动公开 with the catalogue entry it is in. The catalogue is reached through its
door only (`disclosure.catalog`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.applications.models import Application, RequestedItem
from disclosure.applications.operations import reply
from disclosure.applications.queries import proactive_candidates
from disclosure.catalog import (
    DraftResult,
    LinkedEntry,
    RequestRef,
    create_draft_from_request,
    find_public_entry,
    link_answer,
    linked_entries,
)
from disclosure.core.errors import DomainError
from disclosure.correspondence import Outcome
from disclosure.extensions import db
from workflows.application import States

_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


@dataclass
class Candidate:
    """A proactive-disclosure candidate (Art. 44) and the catalogue entries already made or linked for it."""

    fingerprint: str
    applicants: int
    description: str
    document_ref: str
    last_received: object
    entries: list[LinkedEntry] = field(default_factory=list)


def _requests_for(agency_id: int, fingerprint: str) -> list[tuple[RequestedItem, Application]]:
    """Every filed request of the agency asking for this information (drafts are not requests yet)."""
    rows = db.session.execute(
        select(RequestedItem, Application)
        .join(Application, RequestedItem.application_id == Application.id)
        .where(
            Application.agency_id == agency_id,
            Application.state.notin_([States.DRAFT]),
            RequestedItem.fingerprint == fingerprint,
        )
        .order_by(Application.id, RequestedItem.position)
    ).all()
    return [(r[0], r[1]) for r in rows]


def candidates(agency_id: int) -> list[Candidate]:
    """The agency's candidates (queries.proactive_candidates) with the entries linked to their requests."""
    rows = [Candidate(**row) for row in proactive_candidates(agency_id)]
    if not rows:
        return rows
    by_item = dict(
        db.session.execute(
            select(RequestedItem.id, RequestedItem.fingerprint)
            .join(Application, RequestedItem.application_id == Application.id)
            .where(Application.agency_id == agency_id, RequestedItem.fingerprint.in_([r.fingerprint for r in rows]))
        ).all()
    )
    found: dict[str, dict[int, LinkedEntry]] = {}
    for link in linked_entries(item_ids=by_item):
        found.setdefault(by_item[link.item_id], {}).setdefault(link.entry_id, link)
    for row in rows:
        row.entries = list(found.get(row.fingerprint, {}).values())
    return rows


def draft_from_candidate(agency: Agency, actor: User, fingerprint: str) -> DraftResult:
    """Art. 44: the candidate's information as a catalogue draft, linked to every request that asked for it (or
    those requests linked to the entry already made for it)."""
    fingerprint = (fingerprint or "").strip()
    if not _FINGERPRINT.fullmatch(fingerprint):
        raise DomainError(_l("Choose a candidate from the list."))
    rows = _requests_for(agency.id, fingerprint)
    if not rows:
        raise DomainError(_l("No request of this agency asks for this information."))
    refs, seen = [], set()
    for item, app in rows:
        if app.id not in seen:
            seen.add(app.id)
            refs.append(RequestRef(app.id, item.id, app.reference or ""))
    first = rows[0][0]
    document_ref = next((item.document_ref for item, _app in rows if item.document_ref.strip()), "")
    return create_draft_from_request(
        agency, actor, description=first.description, document_ref=document_ref, requests=refs
    )


def decide_item(item: RequestedItem, handler: User, *, public_entry: str = "", outcome: str, **decision):
    """`reply.decide_item`, citing a published catalogue entry when one is named: the item is then answered as
    已主动公开 (Art. 36(1)) with the entry's title, index number and public address as where to obtain it, and the
    entry is linked to the request. An entry is looked up only for the handler who may decide the item."""
    text = (public_entry or "").strip()
    previous = item.outcome
    cited = None
    if text and reply.may_decide_items(item.application, handler):
        if outcome and outcome != Outcome.ALREADY_PUBLIC.value:
            raise DomainError(
                _l(
                    "A catalogue entry answers only an item decided as already proactively disclosed: choose "
                    "that outcome or leave the entry empty."
                ),
                field="public_entry",
            )
        cited = find_public_entry(item.application.agency_id, text)
        outcome = Outcome.ALREADY_PUBLIC.value
        decision["public_location"] = cited.location
    decided = reply.decide_item(item, handler, outcome=outcome, **decision)
    if cited is not None:
        link_answer(item.application_id, item.id, cited.id, actor=handler)
    elif previous == Outcome.ALREADY_PUBLIC.value and decided.outcome != previous:
        link_answer(item.application_id, item.id, None, actor=handler)
    return decided


def catalog_links(app: Application) -> list[LinkedEntry]:
    """The catalogue entries drafted from or answering this case (the case page)."""
    return linked_entries(application_ids=[app.id])
