"""Administrators' pages: the agency's comment settings, and the kinds of draft with their minimum periods
(deployment-wide data, as the law counts them)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user

from disclosure.accounts.roles import Role
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.participation.forms import KindForm, SettingsForm
from disclosure.participation.models import ConsultationKind
from disclosure.participation.operations import consultations as ops
from disclosure.participation.views.common import admin_bp, own_agency
from disclosure.web.access import staff_required
from disclosure.web.forms import show_errors


@admin_bp.route("/settings", methods=["GET", "POST"])
@staff_required(Role.AGENCY_ADMIN)
def settings():
    agency = own_agency()
    row = ops.settings_for(agency.id)
    form = SettingsForm(obj=row if request.method == "GET" else None)
    if form.validate_on_submit():
        ops.save_settings(agency, form.data, actor=current_user)
        flash(_("The settings were saved."), "success")
        return redirect(url_for("participation_admin.settings"))
    return render_template("participation/admin/settings.html", form=form), 400 if request.method == "POST" else 200


@admin_bp.route("/kinds")
@staff_required(Role.SYS_ADMIN)
def kinds():
    ops.ensure_kinds()
    return render_template("participation/admin/kinds.html", kinds=ops.kinds(active_only=False))


@admin_bp.route("/kinds/<int:kind_id>", methods=["GET", "POST"])
@staff_required(Role.SYS_ADMIN)
def kind(kind_id: int):
    k = db.session.get(ConsultationKind, kind_id) if 0 < kind_id < 2**31 else None
    if k is None:
        abort(404)
    form = KindForm(obj=k if request.method == "GET" else None)
    if request.method == "GET":
        form.min_period.data = str(k.min_period)
    if form.validate_on_submit():
        try:
            ops.update_kind(k, form.data, actor=current_user)
        except DomainError as exc:
            for message in show_errors(form, exc):
                flash(message, "error")
        else:
            flash(_("The kind was saved."), "success")
            return redirect(url_for("participation_admin.kinds"))
    return render_template("participation/admin/kind.html", form=form, k=k), 400 if request.method == "POST" else 200
