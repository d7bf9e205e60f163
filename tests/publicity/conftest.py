"""Fixtures for the 双公示 tests: an agency with a catalogue, staff in each role, valid records by field code."""

from __future__ import annotations

import pytest

from tests.factories import LICENSING_MATTER, PENALTY_MATTER


@pytest.fixture
def pub(app_ctx, make_agency, make_staff):
    """An agency with one licensing and one penalty matter, and a clerk, a supervisor and a secrecy reviewer."""
    from disclosure.accounts.roles import Role
    from disclosure.extensions import db
    from disclosure.publicity import operations
    from disclosure.publicity.rules import ensure_defaults

    ensure_defaults()  # the suite empties every table after each test, seeded ones included
    agency = make_agency()
    lic = operations.save_matter(agency, dict(LICENSING_MATTER))
    pen = operations.save_matter(agency, dict(PENALTY_MATTER))
    db.session.commit()

    class Ctx:
        pass

    ctx = Ctx()
    ctx.agency, ctx.licensing_matter, ctx.penalty_matter = agency, lic, pen
    ctx.clerk = make_staff(agency, [Role.PUBLICITY_CLERK])
    ctx.supervisor = make_staff(agency, [Role.CREDIT_SUPERVISOR])
    ctx.reviewer = make_staff(agency, [Role.SECRECY_REVIEWER])
    return ctx


@pytest.fixture
def en(app_ctx):
    """Messages in English, so tests can assert their exact wording."""
    from flask_babel import force_locale

    with app_ctx.test_request_context("/"), force_locale("en"):
        yield


@pytest.fixture
def validator(pub):
    from disclosure.core.timeutil import today_china
    from disclosure.publicity.fields import Kind
    from disclosure.publicity.rules import load_rules
    from disclosure.publicity.validation import RecordValidator, matter_refs, organ_refs

    def make(kind="penalty", today=None):
        k = Kind(kind)
        return RecordValidator(
            k, load_rules(), matter_refs(pub.agency.id, k), organs=organ_refs(pub.agency), today=today or today_china()
        )

    return make
