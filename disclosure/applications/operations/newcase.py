"""A new case's rows written by statements of their own (issue 10, speed): the case, its requested items and the
audit event of its first transition — one statement on PostgreSQL (common table expressions), three on SQLite —
instead of the ORM's flush, which cost about a quarter of a portal filing's Python. The case and its items are the
session's afterwards, persistent and clean, as after a flush (`core.ormrows`): what follows (the reference number,
the emails, a confirmation) works on them as before.

The rows are the ones the flush would write: each column from the objects as the flush reads it
(`ormrows.insert_values`), and the case's search text as `models._refresh_search_text` computes it in a flush."""

from __future__ import annotations

import functools

from sqlalchemy import String, bindparam, cast, insert, select

from disclosure.applications.models import Application, RequestedItem, search_text_of
from disclosure.core import ormrows
from disclosure.core.audit import AuditEvent
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db


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
        params = {f"a_{key}": value for key, value in case_values.items()}
        for n, values in enumerate(item_values):
            params.update({f"i{n}_{key}": value for key, value in values.items() if key != "application_id"})
        params.update({f"e_{key}": value for key, value in event.items() if key != "object_id"})
        case_id, *item_ids = db.session.execute(_statement(len(items)), params).one()
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


@functools.lru_cache(maxsize=64)
def _statement(n_items: int):
    """PostgreSQL: the case, `n_items` items and the event in one statement, built once per number of items (its
    values are parameters: `a_<column>` of the case, `i<n>_<column>` of item n, `e_<column>` of the event).
    Returns the case's id, then each item's id in order."""
    apps, items, events = Application.__table__, RequestedItem.__table__, AuditEvent.__table__
    case = (
        insert(apps)
        .values({c.key: bindparam(f"a_{c.key}", type_=c.type) for c in apps.c if not c.primary_key})
        .returning(apps.c.id)
        .cte("new_case")
    )
    item_columns = [c for c in items.c if not c.primary_key and c.key != "application_id"]
    returned = [case.c.id]
    for n in range(n_items):
        item = (
            insert(items)
            .from_select(
                ["application_id", *(c.key for c in item_columns)],
                select(case.c.id, *(bindparam(f"i{n}_{c.key}", type_=c.type) for c in item_columns)),
            )
            .returning(items.c.id)
            .cte(f"new_item_{n}")
        )
        returned.append(select(item.c.id).scalar_subquery())
    event_columns = [c for c in events.c if not c.primary_key and c.key != "object_id"]
    event = insert(events).from_select(
        ["object_id", *(c.key for c in event_columns)],
        select(cast(case.c.id, String), *(bindparam(f"e_{c.key}", type_=c.type) for c in event_columns)),
    )
    return select(*returned).add_cte(event.cte("new_event"))
