"""Fixtures for application cases: an agency with one staff member per role and a registered citizen."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import application_input


@dataclass
class World:
    agency: object
    registrar: object
    handler: object
    head: object
    legal: object
    citizen: object
    department: object


@pytest.fixture
def request_ctx(app_ctx):
    """Operations raise translated messages; the locale selector reads the request, so give them one."""
    with app_ctx.test_request_context("/", headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def world(request_ctx, make_agency, make_staff, make_applicant):
    from disclosure.accounts.roles import Role
    from disclosure.applications.models import AgencyApplicationSettings
    from disclosure.extensions import db

    agency = make_agency()
    dept = agency.departments[0]
    w = World(
        agency=agency,
        registrar=make_staff(agency, [Role.REGISTRAR]),
        handler=make_staff(agency, [Role.HANDLER], department=dept),
        head=make_staff(agency, [Role.OFFICE_HEAD]),
        legal=make_staff(agency, [Role.LEGAL_REVIEWER]),
        citizen=make_applicant(),
        department=dept,
    )
    db.session.add(AgencyApplicationSettings(agency_id=agency.id, fee_payment_instructions="请至本机关财务室缴纳。"))
    db.session.commit()
    return w


@pytest.fixture
def filed(world):
    """An online application, confirmed by the office (received today)."""
    from disclosure.applications import operations as ops
    from disclosure.extensions import db

    app = ops.file_online(world.citizen, world.agency, application_input())
    ops.confirm(app, world.registrar)
    db.session.commit()
    return app


def pytest_collection_modifyitems(items):
    # WeasyPrint 70 leaves its sRGB profile open when it renders PDF/A (the letters service); reported to the
    # letters owner. Only this one warning is tolerated.
    mark = pytest.mark.filterwarnings("ignore:Exception ignored in.*sRGB2014:pytest.PytestUnraisableExceptionWarning")
    for item in items:
        if "/tests/applications/" in str(item.fspath) or "test_application_" in item.name:
            item.add_marker(mark)
