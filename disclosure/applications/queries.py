"""Read-only questions about cases: the staff workbench list (queues per role, filters, search, sorting by deadline,
server-side paging), the agency's settings, repeated requests and proactive-disclosure candidates, and what the case
page lists (reviews, notes, remedies, the audit trail).

Every query is scoped to the user's agency (system administrators see all) and uses the indexes declared on
`Application` (agency, state, due date), so a page costs one indexed range scan plus a count.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, load_only

from disclosure.accounts.models import User
from disclosure.applications.models import (
    SEARCH_INDEX,
    AgencyApplicationSettings,
    Application,
    DeadlineStatus,
    Note,
    Remedy,
    RequestedItem,
    Review,
)
from disclosure.core import audit
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.web.paging import Page
from workflows.application import States

S = States

QUEUES: dict[str, tuple[str, ...]] = {
    "to_register": (S.SUBMITTED,),
    "to_supplement": (S.REGISTERED, S.SUPPLEMENTATION_REQUESTED),
    "to_handle": (S.ASSIGNED, S.IN_HANDLING, S.CONSULTING, S.FEE_NOTIFIED, S.REPLY_DRAFTED),
    "to_review": (S.OFFICE_REVIEW,),
    "to_approve_legally": (S.LEGAL_REVIEW,),
    "to_issue": (S.APPROVED, S.ISSUED),
    "overdue": (),
    "open": tuple(
        s.value
        for s in (
            S.REGISTERED,
            S.SUPPLEMENTATION_REQUESTED,
            S.ASSIGNED,
            S.IN_HANDLING,
            S.CONSULTING,
            S.FEE_NOTIFIED,
            S.REPLY_DRAFTED,
            S.OFFICE_REVIEW,
            S.LEGAL_REVIEW,
            S.APPROVED,
        )
    ),
    "all": (),
}


# What the list shows (the rest of the row is loaded only on the case page).
LIST_COLUMNS = (
    Application.id,
    Application.agency_id,
    Application.reference,
    Application.applicant_name,
    Application.state,
    Application.received_date,
    Application.due_date,
    Application.due_provisional,
    Application.deadline_status,
    Application.issued_date,
    Application.closed_date,
    Application.handler_id,
    Application.version,
)
COUNT_PAGES_AHEAD = 10  # the list's count stops this many pages past the current one
DEFAULT_REFERENCE_FORMAT = "{slug}-{year}-{serial:05d}"
# What each field of APPLICATION_REFERENCE_FORMAT can hold (agency slugs are upper-cased in references).
_REFERENCE_FIELDS = {"slug": r"[A-Z0-9][A-Z0-9-]*", "year": r"\d{4}", "serial": r"\d+"}


@functools.lru_cache(maxsize=8)
def reference_pattern(fmt: str = DEFAULT_REFERENCE_FORMAT) -> re.Pattern[str]:
    """A regular expression for the references `fmt` produces ("{slug}-{year}-{serial:05d}" -> BENCH-3-2026-01234)."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(fmt):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(_REFERENCE_FIELDS.get(name, r".+?"))
    return re.compile("".join(parts))


def as_reference(term: str) -> str | None:
    """The reference a search term names (upper-cased), when it has the shape of one."""
    candidate = (term or "").strip().upper()
    fmt = current_app.config.get("APPLICATION_REFERENCE_FORMAT", DEFAULT_REFERENCE_FORMAT)
    return candidate if candidate and reference_pattern(fmt).fullmatch(candidate) else None


@dataclass
class Filters:
    queue: str = "open"
    q: str = ""
    state: str = ""
    department_id: int | None = None
    handler_id: int | None = None
    channel: str = ""
    due_within: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    sort: str = "due"
    mine: bool = False


def workbench_query(
    agency_id: int | None, f: Filters, *, user_id: int | None = None, today: dt.date | None = None
) -> Select:
    """The cases matching the filters, ordered by deadline (cases without one last) then reference."""
    q = select(Application).options(
        load_only(*LIST_COLUMNS), joinedload(Application.handler).load_only(User.id, User.name)
    )
    return _filtered(q, agency_id, f, user_id=user_id, today=today)


def _filtered(q: Select, agency_id: int | None, f: Filters, *, user_id: int | None, today: dt.date | None) -> Select:
    today = today or today_china()
    q = q.where(Application.state != S.DRAFT)  # a draft is the applicant's own
    if agency_id is not None:
        q = q.where(Application.agency_id == agency_id)
    reference = _existing_reference(agency_id, f.q)
    if reference is not None:
        # A reference typed into the search opens that case whatever the queue and filters: a submitted case
        # waiting for confirmation, a closed one. One indexed look-up.
        return q.where(Application.reference == reference).order_by(Application.id)
    states = QUEUES.get(f.queue, ())
    if f.queue == "overdue":
        q = q.where(Application.deadline_status == DeadlineStatus.OVERDUE)
    elif states:
        q = q.where(Application.state.in_([str(s) for s in states]))
    if f.state:
        q = q.where(Application.state == f.state)
    if f.mine and user_id is not None:
        q = q.where(Application.handler_id == user_id)
    if f.department_id:
        q = q.where(Application.department_id == f.department_id)
    if f.handler_id:
        q = q.where(Application.handler_id == f.handler_id)
    if f.channel:
        q = q.where(Application.channel == f.channel)
    if f.due_within is not None:
        q = q.where(Application.due_date <= today + dt.timedelta(days=f.due_within))
    if f.received_from:
        q = q.where(Application.received_date >= f.received_from)
    if f.received_to:
        q = q.where(Application.received_date <= f.received_to)
    if f.q and f.q.strip():
        # Reference, applicant, organisation, legal representative, contact person and requested items, as a
        # phrase of characters through the search index (models.SEARCH_INDEX).
        dialect = db.session.get_bind().dialect.name
        q = q.where(SEARCH_INDEX.condition(dialect, Application.id, Application.search_text, f.q))
    if f.sort == "new":
        return q.order_by(Application.id.desc())
    # NULLS LAST is the index's own order on PostgreSQL, so the (agency, due date, id) index serves the sort.
    return q.order_by(Application.due_date.asc().nulls_last(), Application.id)


def _existing_reference(agency_id: int | None, term: str) -> str | None:
    """The search term, when it is the reference of a (non-draft) case the user may see."""
    reference = as_reference(term)
    if reference is None:
        return None
    found = select(Application.id).where(Application.reference == reference, Application.state != S.DRAFT)
    if agency_id is not None:
        found = found.where(Application.agency_id == agency_id)
    return reference if db.session.execute(found.limit(1)).first() is not None else None


def list_page(
    agency_id: int | None,
    f: Filters,
    *,
    page: int,
    per_page: int = 50,
    user_id: int | None = None,
    today: dt.date | None = None,
) -> Page:
    """One page of the list as plain rows (the listed columns and the handler's name; no ORM objects to build)
    and the count. The count stops ten pages past this one (`Page.more` says there are more): counting a whole
    queue of thousands costs more than the page itself and nobody pages through it."""
    cap = (page + COUNT_PAGES_AHEAD) * per_page
    ids = _filtered(select(Application.id), agency_id, f, user_id=user_id, today=today).order_by(None)
    total = db.session.execute(select(func.count()).select_from(ids.limit(cap + 1).subquery())).scalar_one()
    more = total > cap
    total = min(total, cap)
    listed = (
        select(*LIST_COLUMNS, User.name.label("handler_name"))
        .select_from(Application)
        .outerjoin(User, User.id == Application.handler_id)
    )
    rows = db.session.execute(
        _filtered(listed, agency_id, f, user_id=user_id, today=today).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(rows, page, per_page, total, more)


def queue_counts(agency_id: int | None) -> dict[str, int]:
    rows = select(Application.state, func.count()).where(Application.state != S.DRAFT)
    if agency_id is not None:
        rows = rows.where(Application.agency_id == agency_id)
    by_state = dict(db.session.execute(rows.group_by(Application.state)).all())
    out = {k: sum(by_state.get(str(s), 0) for s in v) for k, v in QUEUES.items() if v}
    overdue = select(func.count()).select_from(Application).where(Application.deadline_status == DeadlineStatus.OVERDUE)
    if agency_id is not None:
        overdue = overdue.where(Application.agency_id == agency_id)
    out["overdue"] = db.session.execute(overdue).scalar_one()
    return out


# --- The case's agency settings, repeats and candidates -------------------------------------------------------


def settings_for(agency_id: int) -> AgencyApplicationSettings:
    row = db.session.execute(
        select(AgencyApplicationSettings).where(AgencyApplicationSettings.agency_id == agency_id)
    ).scalar_one_or_none()
    return row or AgencyApplicationSettings(
        agency_id=agency_id,
        fee_wait_pauses_clock=True,
        due_soon_days=5,
        candidate_threshold=2,
        supplement_days=15,
        fee_waiver_allowed=True,
    )


def _identity_clause(app: Application):
    if app.applicant_id:
        return Application.applicant_id == app.applicant_id
    if app.org_credit_code:
        return Application.org_credit_code == app.org_credit_code
    if app.doc_number:
        return Application.doc_number == app.doc_number
    return None


def repeated_items(app: Application) -> list[tuple[RequestedItem, Application]]:
    """Items this applicant already asked this agency for, in a case that was answered (Art. 36(6))."""
    clause = _identity_clause(app)
    if clause is None or not app.items:
        return []
    rows = db.session.execute(
        select(RequestedItem, Application)
        .join(Application, RequestedItem.application_id == Application.id)
        .where(
            clause,
            Application.agency_id == app.agency_id,
            Application.id != app.id,
            Application.state.in_([States.ISSUED, States.DELIVERED, States.ARCHIVED]),
            RequestedItem.fingerprint.in_([i.fingerprint for i in app.items]),
        )
        .order_by(Application.id)
    ).all()
    return [(r[0], r[1]) for r in rows]


def applicant_items_this_month(app: Application, month_of: dt.date) -> int:
    """Items the same applicant filed with this agency earlier in the same natural month (109号 Art. 4)."""
    clause = _identity_clause(app)
    if clause is None:
        return 0
    first = month_of.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return db.session.execute(
        select(func.count(RequestedItem.id))
        .join(Application, RequestedItem.application_id == Application.id)
        .where(
            clause,
            Application.agency_id == app.agency_id,
            Application.id != app.id,
            Application.received_date >= first,
            Application.received_date < nxt,
            Application.received_date.is_not(None),
            (Application.received_date < app.received_date)
            | ((Application.received_date == app.received_date) & (Application.id < app.id)),
        )
    ).scalar_one()


def proactive_candidates(agency_id: int, threshold: int | None = None) -> list[dict]:
    """Information asked for by several applicants: candidates for proactive disclosure (Art. 44)."""
    threshold = threshold or settings_for(agency_id).candidate_threshold
    who = func.coalesce(
        func.cast(Application.applicant_id, db.String),
        Application.org_credit_code,
        Application.doc_number,
        func.cast(Application.id, db.String),
    )
    rows = db.session.execute(
        select(
            RequestedItem.fingerprint,
            func.count(func.distinct(who)),
            func.min(RequestedItem.id),
            func.max(Application.received_date),
        )
        .join(Application, RequestedItem.application_id == Application.id)
        .where(Application.agency_id == agency_id, Application.state.notin_([States.DRAFT]))
        .group_by(RequestedItem.fingerprint)
        .having(func.count(func.distinct(who)) >= threshold)
        .order_by(func.count(func.distinct(who)).desc())
    ).all()
    out = []
    for fp, applicants, first_id, last in rows:
        item = db.session.get(RequestedItem, first_id)
        out.append(
            {
                "fingerprint": fp,
                "applicants": applicants,
                "description": item.description,
                "document_ref": item.document_ref,
                "last_received": last,
            }
        )
    return out


# --- What the case page lists --------------------------------------------------------------------------------


def by_reference(reference: str) -> Application | None:
    return db.session.execute(select(Application).where(Application.reference == reference)).scalar_one_or_none()


def timeline(app: Application) -> list[audit.AuditEvent]:
    return app.audit_events()


def reviews(app: Application) -> list[Review]:
    return list(db.session.execute(select(Review).where(Review.application_id == app.id).order_by(Review.id)).scalars())


def notes(app: Application) -> list[Note]:
    return list(db.session.execute(select(Note).where(Note.application_id == app.id).order_by(Note.id)).scalars())


def remedies(app: Application) -> list[Remedy]:
    return list(db.session.execute(select(Remedy).where(Remedy.application_id == app.id).order_by(Remedy.id)).scalars())


def items_outcomes(apps: Iterable[Application]) -> dict[int, list[str]]:
    return {a.id: [i.outcome for i in a.items] for a in apps}
