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
from disclosure.core import ormrows
from disclosure.core.audit import AuditEvent
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


@functools.cache
def _statement():
    """PostgreSQL: the case, its items and its event in one statement of five parameters whatever the number of
    items (each row one JSON object, `ormrows.json_record`, the event's JSON columns typed parameters). Returns the
    case's id and its items' ids in their order."""

    def columns(table, *leave_out: str) -> list[str]:
        names = [c.name for c in table.c if not c.primary_key and c.name not in leave_out]
        assert all(_IDENTIFIER.fullmatch(n) for n in names), names  # written into the SQL as they are
        return names

    case = columns(_CASE)
    items = columns(_ITEMS, "application_id")
    event = columns(_EVENT, "object_id", *_EVENT_JSON)
    # (the model's own table and column names, checked above, are written into the SQL; no input is)
    sql = f"""
        WITH new_case AS (
            INSERT INTO {_CASE.name} ({", ".join(case)})
            SELECT {", ".join(case)} FROM json_populate_record(NULL::{_CASE.name}, CAST(:case AS json))
            RETURNING id
        ), new_items AS (
            INSERT INTO {_ITEMS.name} (application_id, {", ".join(items)})
            SELECT new_case.id, {", ".join("r." + n for n in items)}
            FROM new_case, json_populate_recordset(NULL::{_ITEMS.name}, CAST(:items AS json)) AS r
            RETURNING id, position
        ), new_event AS (
            INSERT INTO {_EVENT.name} (object_id, {", ".join((*_EVENT_JSON, *event))})
            SELECT CAST(new_case.id AS VARCHAR), {", ".join(f":{n}" for n in _EVENT_JSON)},
                {", ".join("r." + n for n in event)}
            FROM new_case, json_populate_record(NULL::{_EVENT.name}, CAST(:event AS json)) AS r
        )
        SELECT new_case.id, ARRAY(SELECT id FROM new_items ORDER BY position) FROM new_case
    """  # noqa: S608
    return text(" ".join(sql.split())).bindparams(*(bindparam(n, type_=_EVENT.c[n].type) for n in _EVENT_JSON))
