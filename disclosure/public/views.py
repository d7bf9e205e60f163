"""Public pages."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField

from disclosure.accounts.models import Agency
from disclosure.extensions import db
from disclosure.web.access import applicant_required, public
from disclosure.web.nav import items_for
from disclosure.web.redirects import safe_local_target

bp = Blueprint("public", __name__)


class LanguageForm(FlaskForm):
    lang = HiddenField()
    next = HiddenField()


@bp.route("/")
@public
def home():
    agencies = (
        db.session.execute(db.select(Agency).where(Agency.active.is_(True)).order_by(Agency.full_name)).scalars().all()
    )
    return render_template("public/home.html", agencies=agencies, services=items_for(current_app, "public"))


@bp.route("/lang", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
    return redirect(safe_local_target(form.next.data) or "/")


@bp.route("/my")
@applicant_required
def my_home():
    return render_template("public/my_home.html", entries=items_for(current_app, "applicant"))


@bp.route("/healthz")
@public
def healthz():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}


@bp.app_context_processor
def _language_form():
    def language_form():
        return LanguageForm(next=request.full_path.rstrip("?"))

    return {"language_form": language_form}
