"""Filing: drafts, sending, portal filing, confirmation and registration (条例 Arts. 29–31), repeats (Art. 36(6)).

The reference number is the last write before the rest can wait. Gapless numbers keep the agency's counter row
locked from the moment a number is taken until the transaction commits (core.numbering), so every concurrent
filing with the same agency waits for that commit, and each round trip to the database while the row is held
lengthens everyone's wait. So the application, its items, attachments, deadline, repeat check and audit events are
written first (`_number_last`), the case's new state held back meanwhile (a case leaves 'draft' with its number:
the `reference` CHECK); then the counter, and only what needs the number follows it — the case's own row (its
state and reference, one UPDATE) and the applicant's email (it names the reference), inserted by the commit.
The receipt letter of a received case prints the reference: it is drawn after the commit (`_issue_receipt`).

A portal filing that waits for the office's confirmation has nothing to write but the case: on PostgreSQL it is
inserted already numbered, with its items, audit event and email, by the one statement that takes the number
(`newcase.insert_numbered_case`), so the counter row is held from that round trip to the commit, as before, and
the case is written once instead of inserted and then numbered. Elsewhere its rows are written by statements of
their own before the number (`newcase.insert_case`), not by an ORM flush."""

from __future__ import annotations

import datetime as dt
import functools
import re
import string

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, Text, bindparam, cast, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from disclosure.accounts.models import Agency, User
from disclosure.applications import letters
from disclosure.applications.models import Application, Channel, search_text_of
from disclosure.applications.operations import newcase
from disclosure.applications.operations.case import (
    APPLICANT_FIELDS,
    REFERENCE_SLOT,
    REFUSALS,
    ApplicantEmail,
    ApplicationInput,
    ItemInput,
    _apply_input,
    _check_past,
    _clean,
    _fire,
    _transition,
    applicant_email,
    check_version,
    notify_applicant,
    validate_input,
)
from disclosure.applications.queries import repeated_items
from disclosure.core import aftercommit, audit, numbering, outbox
from disclosure.core.errors import DomainError
from disclosure.core.outbox import OutboxMessage
from disclosure.core.timeutil import CHINA_TZ, today_china, utcnow
from disclosure.extensions import db
from workflows.application import States


def _number_last(
    app: Application, agency: Agency, on: dt.date, emails: tuple[str, ...] = (), state: str | None = None
) -> None:
    """Write the filing's changes, then take the reference; the case's row with it and its new state and the
    applicant's `emails` are written by the next flush (the commit's, for a filing that waits for confirmation).

    Called with the transition (and a confirmation) pending: the new state is held back while everything else is
    flushed, because a case past 'draft' must have its reference (the `reference` CHECK constraint). The emails
    name the reference: they are rendered first, with a slot for it, and queued once it is taken. `state`: the new
    state of a case held in 'draft' by its caller (a portal filing, inserted so)."""
    with db.session.no_autoflush:  # the pending state must not be flushed while the emails load what they show
        ahead = [email for email in (applicant_email(app, template) for template in emails) if email is not None]
    state = state or app.state
    if app.state != States.DRAFT:  # (setting it, even to the same value, would leave the case to flush)
        app.state = States.DRAFT
    if _pending_writes():  # (a portal filing has written everything already)
        db.session.flush()
    if _number_in_one_statement(app, agency, on, state, ahead):
        return
    _take_reference(app, agency, on)
    app.state = state
    for email in ahead:
        email.queue()


def _pending_writes() -> bool:
    """Whether the next flush would write anything (an empty flush still walks the session: about a millisecond)."""
    session = db.session
    return bool(session.new or session.deleted) or any(session.is_modified(obj) for obj in session.dirty)


def _reference_format() -> str:
    return current_app.config.get("APPLICATION_REFERENCE_FORMAT", "{slug}-{year}-{serial:05d}")


def _take_reference(app: Application, agency: Agency, on: dt.date) -> None:
    """Unique per agency and year, without gaps, also under concurrent submissions (core.numbering)."""
    serial = numbering.next_value("application", agency.id, on.year)
    app.ref_year, app.ref_serial = on.year, serial
    app.reference = _reference_format().format(slug=agency.slug.upper(), year=on.year, serial=serial)


# Stands for the serial in a reference written by the database (`_number_in_one_statement`): digits, as the serial,
# so that the reference splits into the same search tokens whatever the serial; it is checked to occur once.
SERIAL_SLOT = 9081726354


@functools.lru_cache(maxsize=8)
def _serial_width(fmt: str) -> int | None:
    """The width of the serial in a reference format whose serial is a zero-padded number of 2 to 9 digits
    (`{serial:05d}`), which the database can write as `lpad`; None for any other format (numbered in Python)."""
    serials = [(spec, conv) for _text, name, spec, conv in string.Formatter().parse(fmt) if name == "serial"]
    if len(serials) != 1 or serials[0][1] is not None:
        return None
    match = re.fullmatch(r"0([2-9])d", serials[0][0] or "")
    return int(match.group(1)) if match else None


@functools.lru_cache(maxsize=8)
def _numbering_statement(n_emails: int):
    """The statement of `_number_in_one_statement` for a case with `n_emails` emails, built once (its values are
    parameters): the counter's increment, the case's row with the serial filled into its reference and search text,
    and each email with the reference filled into its subject and body. No parameter is named as a column: the
    parameters of an executed UPDATE named so would be written into that column."""
    apps, outbox_table = Application.__table__, OutboxMessage.__table__
    counter = numbering.next_value_cte(bindparam("n_scope"), bindparam("n_owner_id"), bindparam("n_year"))
    serial_text = cast(counter.c.value, String)
    serial_text = func.lpad(
        serial_text, func.greatest(bindparam("n_width", type_=Integer), func.length(serial_text)), "0"
    )
    slot = bindparam("n_serial_slot", type_=String)
    numbered = (
        update(apps)
        .where(
            apps.c.id == bindparam("n_app_id"),
            apps.c.version == bindparam("n_version"),
            apps.c.agency_id == counter.c.owner_id,
        )
        .values(
            ref_year=bindparam("n_year"),
            ref_serial=counter.c.value,
            reference=func.replace(bindparam("n_reference", type_=String), slot, serial_text),
            search_text=func.replace(bindparam("n_search_text", type_=Text), slot, serial_text),
            state=bindparam("n_state"),
            version=bindparam("n_new_version"),
            updated_at=bindparam("n_now", type_=apps.c.updated_at.type),
        )
        .returning(apps.c.reference, apps.c.ref_serial, apps.c.search_text)
        .cte("numbered")
    )
    query = select(numbered.c.reference, numbered.c.ref_serial, numbered.c.search_text)
    reference_slot = bindparam("n_reference_slot", type_=String)
    for n in range(n_emails):
        columns = list(outbox.pending_values(to="", subject="", body_text="", agency_id=None, related=None))
        row = [bindparam(f"email{n}_{column}", type_=outbox_table.c[column].type) for column in columns]
        for text_column in ("subject", "body_text"):
            position = columns.index(text_column)
            row[position] = func.replace(row[position], reference_slot, numbered.c.reference)
        query = query.add_cte(insert(outbox_table).from_select(columns, select(*row)).cte(f"email_{n}"))
    return query


def _slotted_reference(app: Application, agency: Agency, on: dt.date) -> tuple[str, str, int] | None:
    """On PostgreSQL, for a reference format the database can write: the case's reference and search text with
    `SERIAL_SLOT` for the serial, and the serial's width; None otherwise (the case is numbered in Python)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    fmt, slug = _reference_format(), agency.slug.upper()
    width = _serial_width(fmt)
    if width is None:
        return None
    slot = str(SERIAL_SLOT)
    reference = fmt.format(slug=slug, year=on.year, serial=SERIAL_SLOT)
    # The slot must stand for the serial alone: each serial written over it gives the reference Python would write.
    for serial in (1, 10**width + 7):
        if reference.replace(slot, f"{serial:0{width}d}") != fmt.format(slug=slug, year=on.year, serial=serial):
            return None
    items = [(i.description, i.document_ref) for i in app.items]
    search = search_text_of(reference, app.applicant_name, app.legal_representative, app.contact_person, items)
    if search.count(slot) != 1:
        return None
    return reference, search, width


def _number_in_one_statement(
    app: Application, agency: Agency, on: dt.date, state: str, emails: list[ApplicantEmail]
) -> bool:
    """On PostgreSQL: take the number, write the case's row with it and its new state, and insert the applicant's
    emails with the reference filled in, in one statement, then return (False: not done, the caller numbers the case
    in Python). The counter row stays locked until the commit in any case; what this saves is the round trips (and
    the Python between them) while it is held, which every concurrent filing with the same agency waits for.

    The database fills the serial into the reference and the search text rendered in Python with `SERIAL_SLOT` in
    its place (`lpad`, as `{serial:0Nd}` formats it), and the reference into the emails' `REFERENCE_SLOT`."""
    numbered = _slotted_reference(app, agency, on)
    if numbered is None:
        return False
    reference, search, width = numbered
    slot = str(SERIAL_SLOT)

    now = utcnow()
    params = {
        "n_scope": "application",
        "n_owner_id": agency.id,
        "n_year": on.year,
        "n_app_id": app.id,
        "n_version": app.version,
        "n_new_version": app.version + 1,
        "n_width": width,
        "n_serial_slot": slot,
        "n_reference": reference,
        "n_search_text": search,
        "n_state": state,
        "n_now": now,
        "n_reference_slot": REFERENCE_SLOT,
    }
    for n, email in enumerate(emails):
        params.update({f"email{n}_{column}": value for column, value in email.pending_values(app.id).items()})
    query = _numbering_statement(len(emails))
    row = db.session.execute(query, params).one_or_none()
    if row is None:  # the year's first number for the agency (no counter row yet), or the case changed meanwhile
        numbering.ensure("application", agency.id, on.year)
        row = db.session.execute(query, params).one_or_none()
        if row is None:
            raise StaleDataError(f"application {app.id} changed while it was being numbered")
    for attr, value in (
        ("ref_year", on.year),
        ("ref_serial", row.ref_serial),
        ("reference", row.reference),
        ("search_text", row.search_text),
        ("state", state),
        ("version", app.version + 1),
        ("updated_at", now),
    ):
        set_committed_value(app, attr, value)
    if emails:
        outbox.queued_by_statement()
    return True


def _new_case(**values) -> Application:
    """A new case in the draft state, added to the session but not flushed: its details and items are filled in
    first and inserted with it (no insert-then-update). Its events start empty and known, so the workflow's facts
    do not query them."""
    app = Application(state=States.DRAFT, events=[], **values)
    db.session.add(app)
    return app


def save_draft(
    applicant: User,
    agency: Agency,
    data: ApplicationInput,
    draft: Application | None = None,
    expected_version: int | None = None,
) -> Application:
    """An applicant saves an online application as a draft (nothing is sent)."""
    if not agency.active:
        raise DomainError(_l("This agency does not accept applications."), field="agency_id")
    data = validate_input(data, complete=False)
    if draft is None:
        draft = _new_case(agency_id=agency.id, applicant_id=applicant.id, channel=Channel.ONLINE)
    else:
        if draft.state != States.DRAFT or draft.applicant_id != applicant.id:
            raise DomainError(REFUSALS["state"])
        check_version(draft, expected_version)
        draft.agency_id = agency.id
    _apply_input(draft, data, applicant)
    db.session.flush()
    # A draft is the applicant's own until it is sent: it stays out of the agency's audit log (`audit_agency_id`).
    draft.log("application.draft_saved", after=audit.snapshot(draft, APPLICANT_FIELDS), actor=applicant)
    db.session.flush()
    return draft


def delete_draft(draft: Application, applicant: User) -> None:
    """The applicant throws away a draft that was never sent (it has no reference number and no case)."""
    if draft.state != States.DRAFT or draft.applicant_id != applicant.id:
        raise DomainError(REFUSALS["state"])
    draft.log("application.draft_deleted", before=audit.snapshot(draft, APPLICANT_FIELDS), actor=applicant)
    db.session.delete(draft)
    db.session.flush()


def submit(draft: Application, applicant: User, expected_version: int | None = None) -> Application:
    """The applicant sends the draft. It becomes a case when the office confirms it (Art. 31(3)); agencies
    that confirm automatically receive it at once."""
    check_version(draft, expected_version)
    data = ApplicationInput(
        **{f: getattr(draft, f) for f in APPLICANT_FIELDS},
        items=[ItemInput(i.description, i.document_ref) for i in draft.items],
    )
    validate_input(data, complete=True)
    today = today_china()
    draft.submitted_at = utcnow()
    confirming = draft.agency.auto_confirm_online
    with db.session.no_autoflush:
        _transition(draft, "submit", applicant, today=today, flush=False)
        if confirming:
            _confirm_changes(draft, None, today, today)
    _number_last(draft, draft.agency, today, _emails(confirming))
    if confirming:
        _issue_receipt(draft, None)
    return draft


def file_online(applicant: User, agency: Agency, data: ApplicationInput) -> Application:
    """Save and send in one step (the API and the form's "submit" button)."""
    draft = save_draft(applicant, agency, data)
    return submit(draft, applicant)


def file_via_portal(agency: Agency, data: ApplicationInput, *, portal: str) -> Application:
    """An external portal files an application on behalf of an applicant (token-authenticated API). The same
    validation as the online form; received when the office confirms it (Art. 31(3)), or at once when the
    agency confirms automatically."""
    if not agency.active:
        raise DomainError(_l("This agency does not accept applications."), field="agency_id")
    data = validate_input(data, complete=True)
    values = {"agency_id": agency.id, "applicant_id": None, "channel": Channel.API}
    values["received_evidence"] = _clean(portal, 300)
    # Without attachments the case, its items and its audit event are written by statements of their own
    # (newcase.insert_case), not by the ORM's flush; the case is kept out of the session until then.
    lean = not data.files
    app = Application(state=States.DRAFT, events=[], agency=agency, **values) if lean else _new_case(**values)
    _apply_input(app, data, None)
    today = today_china()
    app.submitted_at = utcnow()
    confirming = agency.auto_confirm_online
    with db.session.no_autoflush:
        # The case is inserted with the transition's dates and deadline (not inserted, then updated), its state held
        # back until it has its number; its audit event needs its id.
        _new, log = _fire(app, "file_via_portal", None, today=today, extra={"portal": portal})
        state, app.state = app.state, States.DRAFT
    numbered = _slotted_reference(app, agency, today) if lean and not confirming else None
    if numbered is not None:
        # PostgreSQL, nothing else to write: the case is inserted already numbered, with its items, event and
        # email, by the one statement that takes the number (the counter row is held from there to the commit).
        reference, search, width = numbered
        ahead = [e for e in (applicant_email(app, template) for template in _emails(False)) if e is not None]
        newcase.insert_numbered_case(
            app,
            log(values=True),
            ahead,
            year=today.year,
            reference=reference,
            search_text=search,
            width=width,
            serial_slot=str(SERIAL_SLOT),
            state=state,
        )
        return app
    if lean:
        newcase.insert_case(app, log(values=True))
    else:
        db.session.flush()
        log(write_now=True)  # no other write waits for a flush before the number is taken
    if confirming:
        app.state = state
        with db.session.no_autoflush:
            _confirm_changes(app, None, today, today)
        state = app.state
    _number_last(app, agency, today, _emails(confirming), state=state)
    if confirming:
        _issue_receipt(app, None)
    return app


def confirm(
    app: Application, user: User | None, confirmed_on: dt.date | None = None, *, expected_version: int | None = None
) -> Application:
    """Art. 31(3): an online application is received on the day the office confirms it (it has its reference
    since it was sent)."""
    check_version(app, expected_version)
    today = today_china()
    with db.session.no_autoflush:
        _confirm_changes(app, user, confirmed_on or today, today)
    db.session.flush()
    _issue_receipt(app, user)
    notify_applicant(app, "received")
    return app


def _emails(confirmed: bool) -> tuple[str, ...]:
    """The applicant's emails of a sent application: sent, and received when the agency confirms at once."""
    return ("submitted", "received") if confirmed else ("submitted",)


def _confirm_changes(app: Application, user: User | None, on: dt.date, today: dt.date) -> None:
    """The confirmation's changes, left pending (the caller flushes): the received date, the transition with its
    deadline and audit event, the repeat check."""
    on = _check_past(
        on, "confirmed_on", not_before=(app.submitted_at.astimezone(CHINA_TZ).date() if app.submitted_at else None)
    )
    app.received_date = on
    # The basis (Art. 31(3): the day the office confirmed it) is shown with the date; no evidence to add.
    app.registered_by_id = user.id if user else None
    _transition(app, "confirm", user, today=today, flush=False)
    _warn_repeats(app, user)


def register(
    agency: Agency,
    staff: User,
    data: ApplicationInput,
    *,
    channel: str,
    received_date: dt.date,
    evidence: str = "",
    applicant: User | None = None,
) -> Application:
    """Staff register an application received in person, by post, by fax or email, or orally (Arts. 29, 31).

    The received date is the one Art. 31 fixes for the channel: the day handed in (in person, oral), the day
    signed for (registered post), the day confirmed with the applicant (ordinary letter) or the day both
    sides confirmed (fax, email). It cannot be in the future."""
    if channel not in set(Channel) or channel in (Channel.ONLINE, Channel.API):
        raise DomainError(_l("Choose the channel by which the application arrived."), field="channel")
    if channel in (Channel.REGISTERED_POST, Channel.ORDINARY_LETTER, Channel.FAX, Channel.EMAIL) and not evidence:
        raise DomainError(
            _l("Record how the received date was established (tracking number, confirmation call, …)."),
            field="evidence",
        )
    data = validate_input(data, complete=True)
    _check_past(received_date, "received_date", not_before=today_china() - dt.timedelta(days=366))
    app = _new_case(
        agency_id=agency.id,
        applicant_id=applicant.id if applicant else None,
        channel=channel,
        received_date=received_date,
        received_evidence=_clean(evidence, 300),
        registered_by_id=staff.id,
        submitted_at=utcnow(),
    )
    _apply_input(app, data, staff)
    db.session.flush()
    with db.session.no_autoflush:
        _transition(app, "register", staff, extra={"channel": channel, "received_date": received_date}, flush=False)
        _warn_repeats(app, staff)
    _number_last(app, agency, received_date, ("received",))
    _issue_receipt(app, staff)
    return app


def _issue_receipt(app: Application, staff: User | None) -> None:
    """Every registered application gets its 登记回执 (issue 4), shown to the applicant with the case.

    The receipt prints the reference, and drawing its PDF takes far longer than the rest of a filing: it is issued
    after the commit (core.aftercommit), so the agency's counter row is not held meanwhile. What it needs is checked
    now, so a registration the letter would refuse is refused whole, as before."""
    db.session.flush()
    letters.check_receipt(app)
    aftercommit.defer(functools.partial(issue_missing_receipt, app.id, staff.id if staff else None))


def issue_missing_receipt(app_id: int, staff_id: int | None = None):
    """Issue the case's receipt unless it has one: after the commit that registered it, and by
    `issue_missing_receipts` for a case whose process died in between."""
    if letters.receipt_of(app_id) is not None:
        return None
    app = db.session.get(Application, app_id)
    return letters.issue_receipt(app, db.session.get(User, staff_id) if staff_id else None)


def issue_missing_receipts(days: int = 7) -> int:
    """The receipts of cases received in the last `days` that have none (the process that registered them died
    between its commit and the receipt's). Returns how many were issued; the caller commits."""
    since = utcnow() - dt.timedelta(days=days)
    ids = db.session.execute(
        select(Application.id).where(
            Application.created_at >= since,
            Application.received_date.is_not(None),
            Application.reference.is_not(None),
            ~letters.has_receipt(Application.id),
        )
    ).scalars()
    return sum(issue_missing_receipt(app_id, None) is not None for app_id in list(ids))


def _warn_repeats(app: Application, user: User | None) -> None:
    repeats = repeated_items(app)
    if repeats:
        app.repeat_of_id = repeats[0][1].id
        app.log(
            "application.repeat_detected", after={"earlier": sorted({a.reference for _i, a in repeats})}, actor=user
        )
