"""Administration: the agency's application handling settings (on the staff blueprint, as before)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.accounts.roles import Role
from disclosure.applications import forms, operations
from disclosure.applications.views.common import version_of
from disclosure.applications.views.staff import staff_bp
from disclosure.web.access import staff_required


@staff_bp.route("/settings", methods=["GET", "POST"])
@staff_required(Role.OFFICE_HEAD, Role.AGENCY_ADMIN)
def settings():
    if not current_user.agency_id:
        abort(403)
    row = operations.settings_for(current_user.agency_id)
    form = forms.SettingsForm(obj=row if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = row.version
    if form.validate_on_submit():
        operations.save_settings(
            current_user.agency_id,
            current_user,
            fee_wait_pauses_clock=form.fee_wait_pauses_clock.data,
            due_soon_days=form.due_soon_days.data,
            candidate_threshold=form.candidate_threshold.data,
            supplement_days=form.supplement_days.data,
            fee_payment_instructions=form.fee_payment_instructions.data or "",
            fee_waiver_allowed=form.fee_waiver_allowed.data,
            expected_version=version_of(form),
        )
        flash(_("Settings saved."), "success")
        return redirect(url_for("applications_staff.settings"))
    return render_template("applications/settings.html", form=form), (422 if request.method == "POST" else 200)
