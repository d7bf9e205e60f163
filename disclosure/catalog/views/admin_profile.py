"""The agency administrator edits the agency's statutory content (条例 Art. 20(2); issue 11 §4): functions,
leaders, the office receiving requests, archive and library points, the guide's own paragraphs. Address, hours and
contacts are the agency's details (accounts), shown here with a link to where they are edited. Saving republishes
the disclosure guide."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from disclosure.catalog.operations.guide import guide_entry
from disclosure.catalog.operations.profile import (
    LEADER_FIELDS,
    MAX_LEADERS,
    MAX_POINTS,
    POINT_FIELDS,
    profile_for,
    save_profile,
)
from disclosure.catalog.views.common import ADMINS, admin_bp, own_agency
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.web.access import staff_required
from disclosure.web.forms import show_errors
from disclosure.web.params import parse_int

LABELS = {
    "leader_name": _l("Leader's name"),  # a person's name (姓名), not the name of a place or thing (名称)
    "name": _l("Name"),
    "title": _l("Position"),
    "duties": _l("Duties"),
    "address": _l("Address"),
    "phone": _l("Phone"),
}


class ProfileForm(FlaskForm):
    functions_html = TextAreaField(_l("Functions (机构职能)"))
    request_office = StringField(_l("Office receiving requests"))
    guide_paragraphs_html = TextAreaField(_l("The agency's own paragraphs of the disclosure guide"))
    version = HiddenField()


for _n in range(1, MAX_LEADERS + 1):
    for _f in LEADER_FIELDS:
        setattr(ProfileForm, f"leader_{_n}_{_f}", StringField(LABELS["leader_name" if _f == "name" else _f]))
for _n in range(1, MAX_POINTS + 1):
    for _f in POINT_FIELDS:
        setattr(ProfileForm, f"point_{_n}_{_f}", StringField(LABELS[_f]))


def _fill(form: ProfileForm, profile) -> None:
    form.functions_html.data = profile.functions_html
    form.request_office.data = profile.request_office
    form.guide_paragraphs_html.data = profile.guide_paragraphs_html
    for prefix, rows in (("leader", profile.leaders or []), ("point", profile.archive_points or [])):
        for n, row in enumerate(rows, start=1):
            for key, value in row.items():
                field = getattr(form, f"{prefix}_{n}_{key}", None)
                if field is not None:
                    field.data = value
    form.version.data = profile.version


@admin_bp.route("/profile", methods=["GET", "POST"])
@staff_required(*ADMINS)
def profile():
    agency = own_agency()
    record = profile_for(agency)
    form = ProfileForm()
    status = 200
    if form.validate_on_submit():
        data = {name: field.data for name, field in form._fields.items() if name not in ("csrf_token", "version")}
        try:
            save_profile(agency, data, actor=current_user, expected_version=parse_int(form.version.data, min=1))
        except DomainError as exc:
            db.session.rollback()
            for message in show_errors(form, exc):
                flash(message, "error")
            status = 422
        else:
            flash(_("The profile was saved and the disclosure guide is up to date."), "success")
            return redirect(url_for("catalog_admin.profile"))
    elif form.is_submitted():
        status = 422
    else:
        _fill(form, record)
    return render_template(
        "catalog/admin/profile.html",
        form=form,
        agency=agency,
        guide=guide_entry(agency),
        leader_rows=range(1, MAX_LEADERS + 1),
        point_rows=range(1, MAX_POINTS + 1),
        leader_fields=list(LEADER_FIELDS),
        point_fields=list(POINT_FIELDS),
    ), status
