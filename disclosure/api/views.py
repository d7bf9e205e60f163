"""Administration of API tokens (agency administrators for their agency, system administrators for all)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from disclosure.accounts.admin_forms import MultiCheckboxField
from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.api import operations as ops
from disclosure.api.models import SCOPES, ApiToken
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.web.access import staff_object, staff_required
from disclosure.web.forms import choices

bp = Blueprint("api_admin", __name__, url_prefix="/admin/api-tokens")
ADMINS = (Role.SYS_ADMIN, Role.AGENCY_ADMIN)


class TokenForm(FlaskForm):
    agency_id = SelectField(_l("Agency"), coerce=int, choices=[])
    name = StringField(_l("System that uses the token"), validators=[DataRequired(), Length(max=120)])
    scopes = MultiCheckboxField(_l("Permissions"), choices=[])


@bp.route("/", methods=["GET", "POST"])
@staff_required(*ADMINS)
def tokens():
    q = db.select(Agency).order_by(Agency.full_name)
    if not current_user.is_sys_admin:
        q = q.where(Agency.id == current_user.agency_id)
    agencies = db.session.execute(q).scalars().all()
    form = TokenForm()
    form.agency_id.choices = choices((a.id, a.full_name) for a in agencies)
    form.scopes.choices = choices((k, k) for k in SCOPES)
    secret = None
    if form.validate_on_submit():
        agency = staff_object(db.session.get(Agency, form.agency_id.data), "id")
        try:
            _token, secret = ops.issue_token(
                agency, name=form.name.data, scopes=form.scopes.data, created_by=current_user
            )
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field or "name").errors.append(exc.message)
        else:
            flash(_("Copy the token now: it is shown only once."), "warning")
    tq = db.select(ApiToken).order_by(ApiToken.id.desc())
    if not current_user.is_sys_admin:
        tq = tq.where(ApiToken.agency_id == current_user.agency_id)
    return render_template(
        "api/tokens.html", form=form, tokens=db.session.execute(tq).scalars().all(), secret=secret, scopes=SCOPES
    )


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@staff_required(*ADMINS)
def revoke(token_id: int):
    token = staff_object(db.session.get(ApiToken, token_id))
    ops.revoke_token(token)
    flash(_("The token has been revoked."), "success")
    return redirect(url_for(".tokens"))
