"""The catalogue's daily sweep (条例 Art. 26: published within 20 working days of being made or changed).

Each morning it (1) recomputes the due date of every entry still being prepared (a holiday notice entered since
may have moved it), set-based and skipping any entry changed since the sweep read it; (2) applies the validity
changes that fall due (`apply_validity`: the normative-documents module's `apply_due_changes`); and
(3) on working days emails each agency's catalogue editors and office heads a digest of its overdue and
due-soon entries. The queries here also serve the workbench panel and the catalogue list's timeliness filter, so
"overdue" means one thing everywhere: a 主动公开 entry still being prepared whose due date has passed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import and_, func, select, update

from disclosure.accounts.models import User, UserRole
from disclosure.accounts.roles import Role
from disclosure.catalog.models import CatalogSettings, Entry, EntryIssuer
from disclosure.catalog.operations import validity
from disclosure.catalog.timeliness import DUE_SOON_WORKING_DAYS, publish_due
from disclosure.core.outbox import enqueue_email
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.workdays import add_working_days, is_working_day
from workflows.catalog import EDITING, Attribute

CHUNK = 1000
DIGEST_ROWS = 100
DIGEST_ROLES = (Role.CATALOG_EDITOR.value, Role.OFFICE_HEAD.value)
EDITING_STATES = [s.value for s in EDITING]


# --- What is due -------------------------------------------------------------------------------------------------


def soon_limit(today: dt.date) -> dt.date:
    """The last due date that counts as "due soon" (within 5 working days)."""
    return add_working_days(today, DUE_SOON_WORKING_DAYS).due


def timeliness_condition(which: str, today: dt.date):
    """The SQL condition of `overdue` or `due_soon` (None for any other word)."""
    base = and_(
        Entry.state.in_(EDITING_STATES),
        Entry.attribute == Attribute.PROACTIVE.value,
        Entry.due_on.is_not(None),
    )
    if which == "overdue":
        return and_(base, Entry.due_on < today)
    if which == "due_soon":
        return and_(base, Entry.due_on >= today, Entry.due_on <= soon_limit(today))
    return None


def in_catalogue_of(agency_id: int):
    """Entries an agency sees in its catalogue: as the lead issuer or a joint one (联合发文)."""
    joint = select(EntryIssuer.entry_id).where(EntryIssuer.agency_id == agency_id)
    return (Entry.agency_id == agency_id) | Entry.id.in_(joint)


def due_counts(agency_id: int, today: dt.date) -> dict[str, int]:
    """How many of the agency's entries (as lead issuer: the one that publishes) are overdue and due soon."""
    out = {}
    for which in ("overdue", "due_soon"):
        out[which] = db.session.execute(
            select(func.count()).where(Entry.agency_id == agency_id, timeliness_condition(which, today))
        ).scalar_one()
    return out


# --- 1. Due dates ------------------------------------------------------------------------------------------------


def recompute_due(today: dt.date | None = None) -> int:
    """Recompute the Art. 26 due date of every entry being prepared; write only those that moved, skipping any
    changed since the read (its editor's save recomputed it anyway). Neither the version nor `updated_at` moves:
    a recomputation is not an edit, so no open form becomes stale. Flushes only; returns how many moved."""
    days = {s.agency_id: s.publish_due_days for s in db.session.execute(select(CatalogSettings)).scalars()}
    read_at = utcnow()
    rows = db.session.execute(
        select(Entry.id, Entry.agency_id, Entry.made_on, Entry.changed_on, Entry.due_on).where(
            Entry.state.in_(EDITING_STATES)
        )
    ).all()
    dues: dict[tuple[dt.date, int], dt.date] = {}
    groups: dict[dt.date, list[int]] = defaultdict(list)
    for r in rows:
        start = r.changed_on or r.made_on
        if start is None:
            continue
        key = (start, days.get(r.agency_id, 20))
        if key not in dues:
            dues[key] = publish_due(*key)
        if dues[key] != r.due_on:
            groups[dues[key]].append(r.id)
    t = Entry.__table__
    moved = 0
    for due, ids in groups.items():
        for k in range(0, len(ids), CHUNK):
            moved += db.session.execute(
                update(t)
                .where(t.c.id.in_(ids[k : k + CHUNK]), t.c.updated_at <= read_at)
                .values(due_on=due, updated_at=t.c.updated_at)
            ).rowcount
    return moved


def recompute_after_calendar_change(years) -> int:
    """`signals.calendar_changed`: a holiday notice moved working days, so due dates move with it."""
    return recompute_due()


# --- 2. Validity -------------------------------------------------------------------------------------------------


def apply_validity(today: dt.date) -> dict[str, int]:
    """Validity changes that fall due today (scheduled repeals and cleanup decisions, expiry dates), applied by the
    normative-documents library (`operations.validity.apply_due_changes`), counted by kind."""
    return {f"validity_{key}": int(value) for key, value in validity.apply_due_changes(today).items()}


# --- 3. The morning digest ---------------------------------------------------------------------------------------


def morning_emails(today: dt.date | None = None) -> int:
    """One digest per catalogue editor and office head of each agency with overdue or due-soon entries, on
    working days only. Returns how many emails were queued."""
    today = today or today_china()
    if not is_working_day(today):
        return 0
    rows = db.session.execute(
        select(Entry.id, Entry.agency_id, Entry.title, Entry.document_number, Entry.due_on, Entry.state)
        .where(
            timeliness_condition("overdue", today) | timeliness_condition("due_soon", today),
        )
        .order_by(Entry.due_on, Entry.id)
    ).all()
    by_agency: dict[int, list] = defaultdict(list)
    for r in rows:
        by_agency[r.agency_id].append(r)
    if not by_agency:
        return 0
    users = (
        db.session.execute(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.agency_id.in_(list(by_agency)), User.active.is_(True), UserRole.role.in_(DIGEST_ROLES))
            .order_by(User.id)
        )
        .scalars()
        .unique()
        .all()
    )
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    sent = 0
    for user in users:
        entries = by_agency[user.agency_id]
        overdue = [r for r in entries if r.due_on < today]
        soon = [r for r in entries if r.due_on >= today]
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject = render_template(
                "emails/catalog/digest.subject.txt", overdue=overdue, soon=soon, today=today
            ).strip()
            body = render_template(
                "emails/catalog/digest.txt",
                user=user,
                overdue=overdue[:DIGEST_ROWS],
                soon=soon[:DIGEST_ROWS],
                more=max(0, len(overdue) - DIGEST_ROWS) + max(0, len(soon) - DIGEST_ROWS),
                today=today,
                base_url=base,
            )
        enqueue_email(
            to=user.email, subject=subject, body_text=body, agency_id=user.agency_id, related=("user", user.id)
        )
        sent += 1
    return sent


def run(today: dt.date | None = None, *, send_emails: bool = True) -> dict[str, int | None]:
    """The whole sweep. Flushes only; the caller (the periodic task, the CLI command) commits."""
    today = today or today_china()
    stats: dict[str, int | None] = {"due_moved": recompute_due(today)}
    stats.update(apply_validity(today))
    stats["overdue"] = db.session.execute(
        select(func.count()).where(timeliness_condition("overdue", today))
    ).scalar_one()
    if send_emails:
        stats["emails"] = morning_emails(today)
    return stats
