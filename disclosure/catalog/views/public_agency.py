"""The agency's statutory content (条例 Art. 20(2)) and its disclosure guide, public (issue 11 §4)."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from disclosure.accounts.models import Department
from disclosure.catalog.models import AgencyProfile
from disclosure.catalog.operations.guide import FLOW_TITLE, guide_entry, request_flow_svg
from disclosure.catalog.views.common import public_bp
from disclosure.catalog.views.public_platform import agency_or_404
from disclosure.extensions import db
from disclosure.web.access import public


@public_bp.route("/<slug>/about")
@public
def about(slug: str):
    """机构职能, 内设机构 (the departments kept in accounts), address, hours, contacts, leaders."""
    agency = agency_or_404(slug)
    departments = db.session.execute(
        select(Department)
        .where(Department.agency_id == agency.id, Department.active.is_(True))
        .order_by(Department.name)
    ).scalars()
    return render_template(
        "catalog/public/about.html",
        agency=agency,
        profile=db.session.get(AgencyProfile, agency.id),
        departments=list(departments),
    )


@public_bp.route("/<slug>/guide")
@public
def guide(slug: str):
    """The current guide (its published version) with the request flow chart inline."""
    agency = agency_or_404(slug)
    entry = guide_entry(agency)
    if entry is None or not entry.is_public:
        abort(404)
    return render_template(
        "catalog/public/guide.html",
        agency=agency,
        entry=entry,
        version=entry.published_version,
        flowchart=request_flow_svg(),
        flow_title=FLOW_TITLE,
    )
