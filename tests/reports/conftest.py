"""Cases, remedies and fees written as rows (as a ledger import or years of handling leave them), for the
annual report's tests."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

_serial = itertools.count(1)


@pytest.fixture
def make_case(app_ctx):
    from disclosure.applications.models import Application
    from disclosure.extensions import db

    def factory(agency, received, concluded=None, *, outcome="granted", category="natural_person", state=None):
        n = next(_serial)
        state = state or ("registered" if concluded is None else "archived")
        app = Application(
            agency_id=agency.id,
            reference=f"R-{agency.id}-{n:05d}",
            ref_year=received.year if received else 2026,
            ref_serial=n,
            state=state,
            applicant_category=category,
            applicant_name=f"申请人{n}",
            received_date=received,
            due_date=(received + dt.timedelta(days=28)) if received else None,
            closed_date=concluded,
            issued_date=concluded if state != "withdrawn" else None,
            outcome=None if state == "withdrawn" else (outcome if concluded else None),
        )
        db.session.add(app)
        db.session.commit()
        return app

    return factory


@pytest.fixture
def make_remedy(app_ctx):
    from disclosure.applications.models import Remedy
    from disclosure.extensions import db

    def factory(case, kind, filed, result="pending", decided=None):
        row = Remedy(
            application_id=case.id,
            agency_id=case.agency_id,
            kind=kind,
            body="测试市人民政府",
            filed_date=filed,
            decided_date=decided,
            result=result,
        )
        db.session.add(row)
        db.session.commit()
        return row

    return factory


@pytest.fixture
def office(make_agency, make_staff):
    from disclosure.accounts.roles import Role

    agency = make_agency()
    return (
        agency,
        make_staff(agency, roles=[Role.REGISTRAR]),
        make_staff(agency, roles=[Role.OFFICE_HEAD]),
    )


# Real catalogue documents and 双公示 records for table 2 and section 一: the catalogue's and publicity's own fixtures.
from tests.catalog.conftest import cat, publish_on, take_to  # noqa: E402, F401
from tests.publicity.conftest import pub  # noqa: E402, F401
