"""Administration: the publicity settings, code lists and publicity periods (system administrators)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from disclosure.accounts.roles import Role
from disclosure.extensions import db
from disclosure.publicity import forms, operations
from disclosure.publicity.models import PublicityCode, PublicityPeriod
from disclosure.publicity.rules import DEFAULT_CODES, load_rules
from disclosure.publicity.views.common import admin_bp, id_arg, on_form
from disclosure.web.access import staff_required
from disclosure.web.forms import choices


@admin_bp.route("/", methods=["GET", "POST"])
@staff_required(Role.SYS_ADMIN)
def settings():
    rules = load_rules()
    form = forms.SettingsForm(prefix="s")
    code_form = forms.CodeForm(prefix="c")
    code_form.list_name.choices = choices((n, n) for n in DEFAULT_CODES)
    period_form = forms.PeriodForm(prefix="p")
    if request.method == "GET":
        form.due_working_days.data = rules.setting("due_working_days")
        form.withdraw_working_days.data = rules.setting("withdraw_working_days")
        form.latest_days.data = rules.setting("latest_days")
        form.long_term_date.data = rules.long_term
    elif "s-due_working_days" in request.form and form.validate_on_submit():
        for key in ("due_working_days", "withdraw_working_days", "latest_days"):
            operations.update_setting(key, getattr(form, key).data)
        operations.update_setting("long_term_date", form.long_term_date.data.isoformat())
        flash(_("The settings were saved."), "success")
        return redirect(url_for(".settings"))
    elif "c-value" in request.form and code_form.validate_on_submit():
        code_id = id_arg("code_id", request.form)
        code = db.session.get(PublicityCode, code_id) if code_id else None
        saved = on_form(
            code_form,
            lambda: operations.save_code(
                code_form.list_name.data,
                code_form.value.data,
                code_form.label.data,
                meaning=code_form.meaning.data,
                active=code_form.active.data,
                code=code,
            ),
            field="value",
        )
        if saved is not None:
            flash(_("The code was saved."), "success")
            return redirect(url_for(".settings"))
    elif "p-severity" in request.form and period_form.validate_on_submit():
        saved = on_form(
            period_form,
            lambda: operations.save_period(
                period_form.severity.data,
                period_form.effective_from.data,
                published=period_form.published.data,
                min_months=period_form.min_months.data,
                max_months=period_form.max_months.data,
                basis=period_form.basis.data,
            ),
            field="max_months",
        )
        if saved is not None:
            flash(_("The publicity period was saved."), "success")
            return redirect(url_for(".settings"))
    codes = (
        db.session.execute(select(PublicityCode).order_by(PublicityCode.list_name, PublicityCode.sort_order))
        .scalars()
        .all()
    )
    periods = (
        db.session.execute(
            select(PublicityPeriod).order_by(PublicityPeriod.effective_from.desc(), PublicityPeriod.severity)
        )
        .scalars()
        .all()
    )
    status = 400 if request.method == "POST" else 200
    return render_template(
        "publicity/settings.html", form=form, code_form=code_form, period_form=period_form, codes=codes, periods=periods
    ), status
