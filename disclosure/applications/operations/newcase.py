"""A new case's rows written by statements of their own (issue 10, speed): the case, its requested items and the
audit event of its first transition — one statement on PostgreSQL (common table expressions), three on SQLite —
instead of the ORM's flush, which cost about a quarter of a portal filing's Python. The case and its items are the
session's afterwards, persistent and clean, as after a flush (`core.ormrows`): what follows (the reference number,
the emails, a confirmation) works on them as before.

The rows are the ones the flush would write: each column from the objects as the flush reads it
(`ormrows.insert_values`), and the case's search text as `models._refresh_search_text` computes it in a flush."""

from __future__ import annotations

import functools
import re

from sqlalchemy import JSON, bindparam, insert, text

from disclosure.applications.models import Application, RequestedItem, search_text_of
from disclosure.applications.operations.case import REFERENCE_SLOT, ApplicantEmail
from disclosure.core import numbering, ormrows, outbox
from disclosure.core.audit import AuditEvent
from disclosure.core.outbox import OutboxMessage
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def insert_case(app: Application, event: dict) -> None:
    """Insert the transient `app` with its items and its audit `event` (`audit.event_values`; its object id is the
    case's id, given by the database). Only a case without attachments (a portal filing's)."""
    if app.attachments:
        raise ValueError("a case with attachments is flushed by the ORM")
    items = list(app.items)
    app.search_text = search_text_of(
        app.reference,
        app.applicant_name,
        app.legal_representative,
        app.contact_person,
        [(i.description, i.document_ref) for i in items],
    )
    case_values = ormrows.insert_values(app)
    item_values = [ormrows.insert_values(item) for item in items]
    event = {**event, "occurred_at": utcnow()}
    if db.session.get_bind().dialect.name == "postgresql":
        items_json = "[" + ",".join(ormrows.json_record(_ITEMS, values) for values in item_values) + "]"
        json_columns = {key: event.pop(key) for key in _EVENT_JSON}
        event.pop("object_id")  # the case's id, written by the statement
        params = {"case": ormrows.json_record(_CASE, case_values), "items": items_json, **json_columns}
        params["event"] = ormrows.json_record(_EVENT, event)
        case_id, item_ids = db.session.execute(_statement(), params).one()
    else:
        apps = Application.__table__
        case_id = db.session.execute(insert(apps).returning(apps.c.id), case_values).scalar_one()
        item_ids = []
        if items:
            table = RequestedItem.__table__
            rows = [{**values, "application_id": case_id} for values in item_values]
            returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            item_ids = db.session.execute(returning, rows).scalars().all()
        db.session.execute(insert(AuditEvent.__table__), {**event, "object_id": str(case_id)})
    ormrows.adopt(
        (app, case_values, {"id": case_id}),
        *(
            (item, values, {"id": item_id, "application_id": case_id})
            for item, values, item_id in zip(items, item_values, item_ids, strict=True)
        ),
    )


_CASE, _ITEMS, _EVENT = Application.__table__, RequestedItem.__table__, AuditEvent.__table__
_EVENT_JSON = tuple(c.key for c in _EVENT.c if isinstance(c.type, JSON))


def _columns(table, *leave_out: str) -> list[str]:
    names = [c.name for c in table.c if not c.primary_key and c.name not in leave_out]
    assert all(_IDENTIFIER.fullmatch(n) for n in names), names  # written into the SQL as they are
    return names


def _children() -> str:
    """The common table expressions that insert the items (`:items`, a JSON array) and the audit event (`:event`
    and its JSON columns as typed parameters) of the case inserted by `new_case`, in both statements."""
    items = _columns(_ITEMS, "application_id")
    event = _columns(_EVENT, "object_id", *_EVENT_JSON)
    return f"""new_items AS (
            INSERT INTO {_ITEMS.name} (application_id, {", ".join(items)})
            SELECT new_case.id, {", ".join("r." + n for n in items)}
            FROM new_case, json_populate_recordset(NULL::{_ITEMS.name}, CAST(:items AS json)) AS r
            RETURNING id, position
        ), new_event AS (
            INSERT INTO {_EVENT.name} (object_id, {", ".join((*_EVENT_JSON, *event))})
            SELECT CAST(new_case.id AS VARCHAR), {", ".join(f":{n}" for n in _EVENT_JSON)},
                {", ".join("r." + n for n in event)}
            FROM new_case, json_populate_record(NULL::{_EVENT.name}, CAST(:event AS json)) AS r
        )"""  # noqa: S608 - the model's own table and column names, checked by _columns


@functools.cache
def _statement():
    """PostgreSQL: the case, its items and its event in one statement of five parameters whatever the number of
    items (each row one JSON object, `ormrows.json_record`, the event's JSON columns typed parameters). Returns the
    case's id and its items' ids in their order."""
    case = _columns(_CASE)
    # (the model's own table and column names, checked by _columns, are written into the SQL; no input is)
    sql = f"""
        WITH new_case AS (
            INSERT INTO {_CASE.name} ({", ".join(case)})
            SELECT {", ".join(case)} FROM json_populate_record(NULL::{_CASE.name}, CAST(:case AS json))
            RETURNING id
        ), {_children()}
        SELECT new_case.id, ARRAY(SELECT id FROM new_items ORDER BY position) FROM new_case
    """  # noqa: S608
    return text(" ".join(sql.split())).bindparams(*(bindparam(n, type_=_EVENT.c[n].type) for n in _EVENT_JSON))


def insert_numbered_case(
    app: Application,
    event: dict,
    emails: list[ApplicantEmail],
    *,
    year: int,
    reference: str,
    search_text: str,
    width: int,
    serial_slot: str,
    state: str,
) -> None:
    """PostgreSQL: take the agency's next number and insert the transient `app` with it, in its new `state`, with
    its items, its audit `event` and the applicant's `emails`, all in one statement (a portal filing that waits for
    the office's confirmation: nothing else to write). The counter row stays locked from this statement to the
    commit, as with any number; the case is written once, already numbered, instead of inserted and then numbered
    by a second statement (one round trip, and one pass of its indexes and rollup trigger, fewer).

    `reference` and `search_text` carry `serial_slot` where the serial goes (`filing._slotted_reference`), written
    by the database as `lpad` (`{serial:0Nd}`); the emails carry `REFERENCE_SLOT` for the reference."""
    items = list(app.items)
    app.reference, app.ref_year, app.search_text, app.state = reference, year, search_text, state
    case_values = ormrows.insert_values(app)
    item_values = [ormrows.insert_values(item) for item in items]
    event = {**event, "occurred_at": utcnow()}
    json_columns = {key: event.pop(key) for key in _EVENT_JSON}
    event.pop("object_id")  # the case's id, written by the statement
    params = {
        "n_scope": "application",
        "n_owner_id": app.agency_id,
        "n_year": year,
        "n_width": width,
        "n_slot": serial_slot,
        "n_reference_slot": REFERENCE_SLOT,
        "case": ormrows.json_record(_CASE, case_values),
        "items": "[" + ",".join(ormrows.json_record(_ITEMS, values) for values in item_values) + "]",
        "event": ormrows.json_record(_EVENT, event),
        **json_columns,
    }
    for n, email in enumerate(emails):
        values = email.pending_values("0")  # the case's id, written by the statement
        params.update({f"email{n}_{key}": values.pop(key) for key in _OUTBOX_JSON})
        params[f"email{n}"] = ormrows.json_record(_OUTBOX, values)
    statement = _numbered_statement(len(emails))
    row = db.session.execute(statement, params).one_or_none()
    if row is None:  # the year's first number for the agency: no counter row yet
        numbering.ensure("application", app.agency_id, year)
        row = db.session.execute(statement, params).one()
    case_id, number, serial, search, item_ids = row
    ormrows.adopt(
        (app, case_values, {"id": case_id, "reference": number, "ref_serial": serial, "search_text": search}),
        *(
            (item, values, {"id": item_id, "application_id": case_id})
            for item, values, item_id in zip(items, item_values, item_ids, strict=True)
        ),
    )
    if emails:
        outbox.queued_by_statement()


_OUTBOX = OutboxMessage.__table__
_OUTBOX_JSON = tuple(c.key for c in _OUTBOX.c if isinstance(c.type, JSON))


@functools.cache
def _numbered_statement(n_emails: int):
    """The statement of `insert_numbered_case` for `n_emails` emails, built once (its values are parameters).
    Returns the case's id, reference, serial and search text and its items' ids in their order; no row when the
    agency has no counter row for the year yet (then nothing was written)."""

    written = {  # the case's columns the database writes (the serial and what names it)
        "reference": "replace(r.reference, :n_slot, serial.digits)",
        "ref_serial": "serial.value",
        "search_text": "replace(r.search_text, :n_slot, serial.digits)",
    }
    case = _columns(_CASE)
    outbox_columns = _columns(_OUTBOX, "related_id", *_OUTBOX_JSON)
    named = {"subject", "body_text"}  # an email's columns that name the reference
    emails = [
        f"""new_email_{n} AS (
            INSERT INTO {_OUTBOX.name} (related_id, {", ".join((*_OUTBOX_JSON, *outbox_columns))})
            SELECT CAST(new_case.id AS VARCHAR), {", ".join(f":email{n}_{c}" for c in _OUTBOX_JSON)},
                {
            ", ".join(
                f"replace(e.{c}, :n_reference_slot, new_case.reference)" if c in named else "e." + c
                for c in outbox_columns
            )
        }
            FROM new_case, json_populate_record(NULL::{_OUTBOX.name}, CAST(:email{n} AS json)) AS e
        )"""  # noqa: S608
        for n in range(n_emails)
    ]
    # (the model's own table and column names, checked by _columns, are written into the SQL; no input is)
    sql = f"""
        WITH counter AS (UPDATE counters SET value = value + 1
            WHERE scope = :n_scope AND owner_id = :n_owner_id AND year = :n_year
            RETURNING value
        ), serial AS (
            SELECT value, lpad(CAST(value AS VARCHAR), greatest(:n_width, length(CAST(value AS VARCHAR))), '0')
                AS digits
            FROM counter
        ), new_case AS (
            INSERT INTO {_CASE.name} ({", ".join(case)})
            SELECT {", ".join(written.get(n, "r." + n) for n in case)}
            FROM serial, json_populate_record(NULL::{_CASE.name}, CAST(:case AS json)) AS r
            RETURNING id, reference, ref_serial, search_text
        ), {_children()}{"".join(", " + e for e in emails)}
        SELECT new_case.id, new_case.reference, new_case.ref_serial, new_case.search_text,
            ARRAY(SELECT id FROM new_items ORDER BY position)
        FROM new_case
    """  # noqa: S608
    json_params = [bindparam(n, type_=_EVENT.c[n].type) for n in _EVENT_JSON]
    for n in range(n_emails):
        json_params += [bindparam(f"email{n}_{c}", type_=_OUTBOX.c[c].type) for c in _OUTBOX_JSON]
    return text(" ".join(sql.split())).bindparams(*json_params)
