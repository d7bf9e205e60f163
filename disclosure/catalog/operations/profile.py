"""The agency's statutory content (条例 Art. 20(2); issue 11 §4): functions, leaders, the office receiving
requests, the archive and library points, and the agency's own paragraphs of the disclosure guide.

Address, office hours, phones, fax and e-mail stay on `Agency` (accounts; the letters use them): this profile
never copies them. Saving the profile republishes the guide (`guide.publish_guide`), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import Agency, User
from disclosure.catalog.models import AgencyProfile
from disclosure.core import audit
from disclosure.core.errors import Conflict, collect_errors
from disclosure.extensions import db
from disclosure.web.richtext import sanitise_html

MAX_LEADERS = 12
MAX_POINTS = 6
LEADER_FIELDS = {"name": 60, "title": 100, "duties": 1000}
POINT_FIELDS = {"name": 100, "address": 200, "phone": 40}
HTML_LIMIT = 50_000
CONFLICT = _l(
    "Someone else saved this profile while you were editing it. Nothing was overwritten: review the current "
    "profile and try again."
)
SNAPSHOT = ("functions_html", "leaders", "request_office", "archive_points", "guide_paragraphs_html")


def profile_for(agency: Agency) -> AgencyProfile:
    """The agency's profile (an empty one until the administrator saves it)."""
    profile = db.session.get(AgencyProfile, agency.id)
    if profile is None:
        profile = AgencyProfile(agency_id=agency.id, leaders=[], archive_points=[])
        db.session.add(profile)
        db.session.flush()
    return profile


def _rows(data: Mapping[str, Any], prefix: str, count: int, fields: dict[str, int], required: str, errors) -> list:
    """Numbered rows `<prefix>_<n>_<field>` of a form: blank rows are dropped, a row needs its `required` field,
    every value within its length."""
    rows = []
    for n in range(1, count + 1):
        row = {f: str(data.get(f"{prefix}_{n}_{f}") or "").strip() for f in fields}
        if not any(row.values()):
            continue
        for f, limit in fields.items():
            if len(row[f]) > limit:
                errors.add(_l("At most %(n)d characters.", n=limit), field=f"{prefix}_{n}_{f}")
        if not row[required]:
            errors.add(_l("Enter the name, or clear the row."), field=f"{prefix}_{n}_{required}")
        rows.append(row)
    return rows


def clean_profile_input(data: Mapping[str, Any]) -> dict:
    """Every field checked at once (FieldErrors beside each field); rich text sanitised."""
    out: dict[str, Any] = {}
    with collect_errors() as errors:
        for name in ("functions_html", "guide_paragraphs_html"):
            raw = str(data.get(name) or "")
            if len(raw) > HTML_LIMIT:
                errors.add(_l("At most %(n)d characters.", n=HTML_LIMIT), field=name)
            out[name] = sanitise_html(raw[:HTML_LIMIT])
        office = str(data.get("request_office") or "").strip()
        if len(office) > 200:
            errors.add(_l("At most %(n)d characters.", n=200), field="request_office")
        out["request_office"] = office
        out["leaders"] = _rows(data, "leader", MAX_LEADERS, LEADER_FIELDS, "name", errors)
        out["archive_points"] = _rows(data, "point", MAX_POINTS, POINT_FIELDS, "name", errors)
    return out


def save_profile(
    agency: Agency, data: Mapping[str, Any], *, actor: User | None, expected_version: int | None = None
) -> AgencyProfile:
    """Save the agency's statutory content and republish its disclosure guide (a new version when it changed)."""
    from disclosure.catalog.operations.guide import publish_guide  # noqa: PLC0415 - guide reads the profile

    profile = profile_for(agency)
    if expected_version is not None and expected_version != profile.version:
        raise Conflict(CONFLICT)
    values = clean_profile_input(data)
    before = audit.snapshot(profile, SNAPSHOT)
    for name, value in values.items():
        setattr(profile, name, value)
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(profile, SNAPSHOT))
    if new:
        profile.log("catalog.profile_saved", before=old, after=new, actor=actor)
    publish_guide(agency, note="机构信息更新")
    return profile
