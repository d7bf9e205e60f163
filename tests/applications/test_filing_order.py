"""Filing takes the reference number as the last write before commit (issue 10, speed): the agency's counter row
stays locked from that moment until the commit, so only what needs the number follows it."""

from __future__ import annotations

import re

from sqlalchemy import event

from tests.factories import application_input


def _writes_after_counter(run):
    """The tables written after the application counter's UPDATE, in order, while `run()` files."""
    from disclosure.extensions import db

    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).lower())

    engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        result = run()
        db.session.flush()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    taken = [i for i, s in enumerate(statements) if _takes_number(s)]
    assert taken, statements
    # On PostgreSQL the statement that takes the number also writes the case and its emails (one round trip).
    first = taken[0]
    if first + 2 < len(statements) and statements[first + 1].startswith("insert into counters"):
        first += 2  # a year's first number creates its counter row, then takes it
    tables = [table for _verb, table in _written(statements[first]) if table != "counters"]
    return result, tables + [table for s in statements[first + 1 :] for _verb, table in _written(s)]


_WRITE = re.compile(r"\b(insert into|update|delete from) (\w+)")


def _takes_number(statement: str) -> bool:
    return statement.startswith("update counters") or statement.startswith("with counter as (update counters")


def _written(statement: str) -> list[tuple[str, str]]:
    """The (verb, table) of each write of a statement, in order (several for a PostgreSQL statement whose common
    table expressions write)."""
    if not statement.startswith(("insert", "update", "delete", "with")):
        return []
    return [(verb.split()[0], table) for verb, table in _WRITE.findall(statement)]


def test_portal_filing_takes_the_number_last(world):
    from disclosure.applications import operations as ops
    from disclosure.core.audit import events_for
    from disclosure.extensions import db

    app, tables = _writes_after_counter(lambda: ops.file_via_portal(world.agency, application_input(), portal="api:t"))
    if db.engine.dialect.name == "postgresql":
        # The statement that takes the number inserts the case already numbered, with its items, its audit event
        # and the email that names the number; nothing is written after it (the commit follows).
        assert tables == ["applications", "application_items", "audit_events", "outbox_messages"], tables
    else:
        # Only the case's own row (its number and state) and the email that names the number: the audit event,
        # the items and the deadline were written before the counter was taken.
        assert sorted(tables) == ["applications", "outbox_messages"], tables
    assert app.reference and app.state == "submitted"
    assert [e.action for e in events_for("application", app.id)][-1] == "application.file_via_portal"


def test_registration_takes_the_number_before_only_the_receipt_and_email(world):
    import datetime as dt

    from disclosure.applications import operations as ops
    from disclosure.core.timeutil import today_china

    app, tables = _writes_after_counter(
        lambda: ops.register(
            world.agency,
            world.registrar,
            application_input(),
            channel="in_person",
            received_date=today_china() - dt.timedelta(days=1),
        )
    )
    # The case's row and the email (both name the number), then the receipt letter (it prints it); its items,
    # attachments and its own audit event were written before the counter was taken.
    assert {"application_items", "application_attachments"}.isdisjoint(tables), tables
    assert sorted(tables[:2]) == ["applications", "outbox_messages"] and tables.count("applications") == 1, tables
    assert app.state == "registered" and app.reference


def test_auto_confirmed_submission_keeps_its_events_in_order(world):
    from disclosure.applications import operations as ops
    from disclosure.core.audit import events_for
    from disclosure.extensions import db

    world.agency.auto_confirm_online = True
    db.session.commit()
    app, tables = _writes_after_counter(lambda: ops.file_online(world.citizen, world.agency, application_input()))
    assert app.state == "registered" and app.received_date is not None and app.due_date is not None
    actions = [e.action for e in events_for("application", app.id)]
    assert actions.index("application.submit") < actions.index("application.confirm")
    assert "application_items" not in tables


def _registration_statements(client, form) -> tuple[list[str], object]:
    """The statements of one registration request, COMMITs included, in order."""
    from disclosure.extensions import db

    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).lower())

    def committed(_conn):
        statements.append("commit")

    event.listen(db.engine, "before_cursor_execute", seen)
    event.listen(db.engine, "commit", committed)
    try:
        resp = client.post("/staff/applications/register", data=form)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
        event.remove(db.engine, "commit", committed)
    return statements, resp


def test_a_registration_commits_its_number_before_the_receipt_is_drawn(world, client, login):
    """Through the request boundary the receipt (its PDF, its own letter number) is issued after the commit that
    releases the agency's application counter; the case still has it when the page answers."""
    from disclosure.applications.letters import receipt_of
    from disclosure.applications.models import Application
    from disclosure.extensions import db
    from tests.factories import filing_form

    login(client, world.registrar)
    form = filing_form(world.agency, channel="in_person", received_date="2026-11-20", evidence="")
    statements, resp = _registration_statements(client, form)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    first = next(i for i, s in enumerate(statements) if _takes_number(s))
    first_commit = statements.index("commit", first)  # (the test client commits the test's session before)
    taken = max(i for i, s in enumerate(statements[:first_commit]) if _takes_number(s))
    # (a year's first number creates its counter row, then takes it: the last UPDATE is the one that holds it)
    held = [f"{verb} {table}" for s in statements[taken:first_commit] for verb, table in _written(s)]
    assert sorted(held) == ["insert outbox_messages", "update applications", "update counters"], held
    assert any(s.startswith("insert into letters") for s in statements[first_commit:])  # after the commit
    case = db.session.execute(db.select(Application)).scalar_one()
    assert case.reference and receipt_of(case.id) is not None


def test_a_registration_the_receipt_would_refuse_is_refused_whole(world, client, login):
    """What the receipt needs is checked before the commit: a missing letterhead still refuses the registration
    and leaves no case, as when the receipt was drawn inside the transaction."""
    from disclosure.applications.models import Application
    from disclosure.extensions import db
    from tests.factories import filing_form

    world.agency.full_name = ""
    db.session.commit()
    login(client, world.registrar)
    form = filing_form(world.agency, channel="in_person", received_date="2026-11-20", evidence="")
    client.post("/staff/applications/register", data=form)
    assert db.session.execute(db.select(db.func.count(Application.id))).scalar_one() == 0


def test_a_receipt_lost_between_commits_is_issued_by_the_sweep(world):
    """A process that dies between a registration's commit and its receipt's leaves the case without one: the
    ten-minute job issues it (and never a second one)."""
    import datetime as dt

    from disclosure.applications import operations as ops
    from disclosure.applications.letters import receipt_of
    from disclosure.core import aftercommit
    from disclosure.core.timeutil import today_china
    from disclosure.extensions import db

    aftercommit.collect()  # as the request boundary does; the deferred receipt is then never run
    app = ops.register(
        world.agency,
        world.registrar,
        application_input(),
        channel="in_person",
        received_date=today_china() - dt.timedelta(days=1),
    )
    db.session.commit()
    aftercommit.discard()
    assert receipt_of(app.id) is None
    assert ops.issue_missing_receipts() == 1
    db.session.commit()
    assert receipt_of(app.id) is not None
    assert ops.issue_missing_receipts() == 0
