"""The column pages: an agency's columns on a day (who sees which agency: `scope.visible_agency_ids`), the
overview of every visible agency, the supervisor's editor of an agency's update classes, and the system
administrator's defaults and thresholds."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.accounts.roles import Role
from disclosure.catalog.classification import CATEGORIES
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision import scope
from disclosure.supervision.blueprints import admin_bp, staff_bp
from disclosure.supervision.columns import forms, monitor, operations
from disclosure.supervision.columns.rules import (
    DEFAULTS,
    FLAG_LABELS,
    GUESSES,
    STATUS_LABELS,
    THRESHOLDS,
    UPDATE_CLASSES,
    Threshold,
    applies_by_default,
)
from disclosure.supervision.periods import FIRST_YEAR
from disclosure.web.access import staff_required
from disclosure.web.forms import show_errors
from disclosure.web.params import arg_id

VIEWERS = scope.DASHBOARD_ROLES


def _day() -> tuple[dt.date, str | None]:
    """The day asked for (`day`, YYYY-MM-DD), today when absent; a bad one is today with the message why."""
    today = today_china()
    text = (request.args.get("day") or "").strip()
    if not text:
        return today, None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return today, _("Enter the day as YYYY-MM-DD.")
    if day.year < FIRST_YEAR:
        return today, _("Enter a day from %(year)d on.", year=FIRST_YEAR)
    if day > today:
        return today, _("Enter a day that is not in the future.")
    return day, None


@staff_bp.route("/columns")
@staff_required(*VIEWERS)
def columns():
    """One agency's columns (`agency`), or, for a user who sees several and names none, the overview."""
    day, day_error = _day()
    visible = scope.visible_agency_ids(current_user)
    agency_id = arg_id("agency")
    if agency_id is None and request.args.get("agency"):
        abort(404)
    if agency_id is None and len(visible) != 1:
        results = monitor.monitor(visible, day)
        return render_template(
            "supervision/columns/overview.html",
            agencies=scope.agencies(visible),
            results=results,
            day=day,
            day_error=day_error,
            is_today=day == today_china(),
        ), (400 if day_error else 200)
    agency = scope.agency_or_404(current_user, agency_id if agency_id is not None else (visible or [None])[0])
    result = monitor.for_agency(agency.id, day)
    return render_template(
        "supervision/columns/agency.html",
        agency=agency,
        result=result,
        day=day,
        day_error=day_error,
        is_today=day == today_china(),
        choices=scope.agencies(visible) if len(visible) > 1 else [],
        can_edit=agency.id in scope.supervised_agency_ids(current_user),
    ), (400 if day_error else 200)


@staff_bp.route("/columns/frequencies", methods=["GET", "POST"])
@staff_required(Role.SUPERVISOR)
def column_frequencies():
    """The update class, maximum gap and applicability of each column of an agency the user supervises."""
    agency_id = arg_id("agency")
    if agency_id is None or agency_id not in scope.supervised_agency_ids(current_user):
        abort(404)
    agency = scope.agency_or_404(current_user, agency_id)
    form = forms.AgencyColumnsForm(data=operations.agency_input(agency) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changes = operations.save_agency_columns(agency, request.form, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            for message in show_errors(form, exc):
                flash(message, "error")
        else:
            flash(_("The column settings were saved.") if changes else _("Nothing was changed."), "success")
            return redirect(url_for("supervision.columns", agency=agency.id))
    defaults = monitor.default_rules()
    return render_template(
        "supervision/columns/frequencies.html",
        agency=agency,
        form=form,
        defaults=defaults,
        default_applies={c: applies_by_default(c, agency) for c in CATEGORIES},
        events=operations.agency_events(agency.id),
    ), (400 if request.method == "POST" else 200)


@admin_bp.route("/columns", methods=["GET", "POST"])
@staff_required(Role.SYS_ADMIN)
def column_defaults():
    """The deployment's default class and gap of each column, and the 19号 thresholds."""
    form = forms.DefaultsForm(data=operations.defaults_input() if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changes = operations.save_defaults(request.form, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            for message in show_errors(form, exc):
                flash(message, "error")
        else:
            flash(_("The defaults were saved.") if changes else _("Nothing was changed."), "success")
            return redirect(url_for("supervision_admin.column_defaults"))
    return render_template(
        "supervision/columns/defaults.html",
        form=form,
        builtin=DEFAULTS,
        guesses=GUESSES,
        thresholds=THRESHOLDS,
        events=operations.defaults_events(),
    ), (400 if request.method == "POST" else 200)


def template_globals() -> dict:
    return {
        "column_categories": CATEGORIES,
        "column_classes": UPDATE_CLASSES,
        "column_status_labels": STATUS_LABELS,
        "column_flag_labels": FLAG_LABELS,
        "column_threshold": Threshold,
    }
