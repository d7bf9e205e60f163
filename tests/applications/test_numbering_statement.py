"""Filing on PostgreSQL takes the reference number, writes it into the case and fills it into the applicant's emails
in one statement (issue 10, speed: the agency's counter row is held for one round trip and the commit); SQLite and
reference formats the database cannot write are numbered in Python. Either way the case ends up the same."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.factories import application_input


def _outbox_for(app_id: int):
    from disclosure.core.outbox import OutboxMessage
    from disclosure.extensions import db

    return (
        db.session.execute(
            db.select(OutboxMessage).where(OutboxMessage.related_id == str(app_id)).order_by(OutboxMessage.id)
        )
        .scalars()
        .all()
    )


def _check_numbered(app, expected_reference: str) -> None:
    """The case as the commit left it: its reference, serial, state, version and search text as Python writes them,
    and its emails naming the reference."""
    from disclosure.applications.models import Application, search_text_of
    from disclosure.applications.operations.case import REFERENCE_SLOT
    from disclosure.core import outbox
    from disclosure.extensions import db

    assert app.reference == expected_reference
    db.session.flush()  # nothing left to write on PostgreSQL; the case's number and state on SQLite
    version = app.version
    assert db.session.info.get("outbox_dirty") or not _outbox_for(app.id)
    db.session.commit()
    assert db.session.info.pop("outbox_committed", False)  # the worker is asked to deliver the emails
    outbox.kick()
    db.session.expire_all()
    stored = db.session.get(Application, app.id)
    assert (stored.reference, stored.state, stored.version) == (expected_reference, "submitted", version)
    assert stored.ref_serial == int(expected_reference.rsplit("-", 1)[-1].split("/")[-1])
    items = [(i.description, i.document_ref) for i in stored.items]
    assert stored.search_text == search_text_of(
        stored.reference, stored.applicant_name, stored.legal_representative, stored.contact_person, items
    )
    emails = _outbox_for(app.id)
    assert len(emails) == 1
    (email,) = emails
    assert expected_reference in email.subject and expected_reference in email.body_text
    assert REFERENCE_SLOT not in email.subject + email.body_text
    assert (email.state, email.attempts, email.recipient, email.agency_id) == (
        "pending",
        0,
        "zhangsan@example.cn",
        app.agency_id,
    )
    assert email.attachments == [] and email.related_type == "application"
    assert email.created_at is not None and email.next_attempt_at is not None


def test_a_filing_is_numbered_as_python_numbers_it(world):
    from disclosure.applications import operations as ops
    from disclosure.core.timeutil import today_china

    first = ops.file_via_portal(world.agency, application_input(), portal="api:t")
    year = today_china().year
    _check_numbered(first, f"{world.agency.slug.upper()}-{year}-00001")
    second = ops.file_via_portal(world.agency, application_input(), portal="api:t")
    _check_numbered(second, f"{world.agency.slug.upper()}-{year}-00002")


def test_a_serial_wider_than_its_format_is_written_whole(world):
    from disclosure.applications import operations as ops
    from disclosure.core import numbering
    from disclosure.core.timeutil import today_china
    from disclosure.extensions import db

    year = today_china().year
    numbering.ensure("application", world.agency.id, year)
    db.session.execute(
        text("UPDATE counters SET value = 99999 WHERE scope = 'application' AND owner_id = :a AND year = :y"),
        {"a": world.agency.id, "y": year},
    )
    app = ops.file_via_portal(world.agency, application_input(), portal="api:t")
    _check_numbered(app, f"{world.agency.slug.upper()}-{year}-100000")


@pytest.mark.parametrize("fmt", ["{slug}/{year}/{serial}", "{year}{serial:03d}-{slug}", "{slug}-{serial:d}"])
def test_other_reference_formats_are_numbered_alike(world, app, fmt):
    from disclosure.applications import operations as ops
    from disclosure.core.timeutil import today_china
    from disclosure.extensions import db

    app.config["APPLICATION_REFERENCE_FORMAT"] = fmt
    try:
        case = ops.file_via_portal(world.agency, application_input(), portal="api:t")
        db.session.flush()
        year = today_china().year
        expected = fmt.format(slug=world.agency.slug.upper(), year=year, serial=1)
        assert case.reference == expected and case.ref_serial == 1
        from disclosure.applications.models import search_text_of

        items = [(i.description, i.document_ref) for i in case.items]
        assert case.search_text == search_text_of(expected, case.applicant_name, None, None, items)
    finally:
        app.config["APPLICATION_REFERENCE_FORMAT"] = "{slug}-{year}-{serial:05d}"


def test_text_that_looks_like_the_serial_slot_is_left_alone(world):
    """An applicant who types the digits that stand for the serial gets them back as typed (numbered in Python)."""
    from disclosure.applications import operations as ops
    from disclosure.applications.operations import ItemInput
    from disclosure.applications.operations.filing import SERIAL_SLOT
    from disclosure.extensions import db

    data = application_input(items=[ItemInput(f"第{SERIAL_SLOT}号文件")])
    app = ops.file_via_portal(world.agency, data, portal="api:t")
    db.session.flush()
    assert app.items[0].description == f"第{SERIAL_SLOT}号文件"
    assert str(SERIAL_SLOT) in app.search_text and app.reference.endswith("-00001")


def test_a_case_changed_while_it_is_numbered_is_refused_and_takes_no_number(world, database_url):
    """The statement writes the case only at the version the operation read: otherwise nothing is written, the
    request fails as any concurrent change does, and the number goes back with the rollback."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the single numbering statement is PostgreSQL's")
    from sqlalchemy.orm.attributes import set_committed_value
    from sqlalchemy.orm.exc import StaleDataError

    from disclosure.applications import operations as ops
    from disclosure.applications.operations.filing import _number_in_one_statement
    from disclosure.core import numbering
    from disclosure.core.timeutil import today_china
    from disclosure.extensions import db

    draft = ops.save_draft(world.citizen, world.agency, application_input())
    db.session.commit()
    set_committed_value(draft, "version", draft.version + 5)  # as if another request had changed it since
    with pytest.raises(StaleDataError):
        _number_in_one_statement(draft, world.agency, today_china(), "submitted", [])
    db.session.rollback()
    assert numbering.current_value("application", world.agency.id, today_china().year) == 0
