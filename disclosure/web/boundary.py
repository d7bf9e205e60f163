"""The request boundary: one commit per request, rollback on any error, domain errors shown plainly."""

from __future__ import annotations

import io

from flask import Flask, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import ImmutableMultiDict

from disclosure.core import aftercommit, outbox
from disclosure.core.errors import DomainError, field_errors
from disclosure.extensions import db
from disclosure.web import jsonbody, params


def init_app(app: Flask) -> None:
    # What comes in is parsed here, before any blueprint registers its rules: `<int:…>` within 64 bits.
    params.init_app(app)
    # request.get_json() parses strictly, and a refused body is a 400 that says why (web/jsonbody.py)
    app.json = jsonbody.StrictJSONProvider(app)
    app.request_class = jsonbody.Request

    @app.before_request
    def _collect():
        aftercommit.collect()  # work an operation defers runs after this request's commit

    @app.after_request
    def _commit(response):
        if response.status_code < 400:
            db.session.commit()
            aftercommit.run()  # each in a transaction of its own, once the locks of the first are released
            outbox.kick()
        else:
            db.session.rollback()
            aftercommit.discard()
        return response

    @app.teardown_request
    def _rollback(exc):
        if exc is not None:
            db.session.rollback()
        aftercommit.discard()

    @app.errorhandler(DomainError)
    def _domain_error(err: DomainError):
        db.session.rollback()
        if request.path.startswith("/api/"):
            problems = [{"field": name, "message": str(message)} for name, message in field_errors(err).items()]
            return {"error": str(err.message), "field": err.field, "errors": problems}, err.status_code
        flash(str(err.message), "error")
        return redirect(_back())

    @app.errorhandler(StaleDataError)
    def _stale(err):
        db.session.rollback()
        msg = _(
            "Someone else changed this record while you were working on it. "
            "Nothing was overwritten: review the current version and try again."
        )
        if request.path.startswith("/api/"):
            return {"error": msg}, 409
        flash(msg, "error")
        return redirect(_back())

    @app.errorhandler(CSRFError)
    def _csrf(err):
        db.session.rollback()
        return render_template(
            "errors/error.html",
            code=400,
            title=_("The form has expired"),
            message=_(
                "The page was open too long or was sent from elsewhere. "
                "Go back, reload the page and submit again. Nothing was changed."
            ),
        ), 400

    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, _http_error)
    app.register_error_handler(413, _too_large)


def _back() -> str:
    ref = request.referrer
    if ref and ref.startswith(request.host_url):
        return ref
    return request.path if request.method == "GET" else "/"


def _too_large(err):
    """Over MAX_CONTENT_LENGTH: say what the limit is. The body was refused unread, and anything that reads it
    again (a form built while the page renders, such as the language switch) would raise the same error inside this
    handler: so the request's body is empty from here on."""
    db.session.rollback()
    request.stream = io.BytesIO()  # cached properties: assigning replaces what would be read from the client
    request.form = ImmutableMultiDict()
    request.files = ImmutableMultiDict()
    limit = request.max_content_length or current_app.config.get("MAX_CONTENT_LENGTH") or 0
    size = f"{limit / (1024 * 1024):.3g} MB" if limit >= 1024 * 1024 else f"{-(-limit // 1024)} KB"
    message = _("The request is larger than the limit of %(size)s. Nothing was saved.", size=size)
    if request.path.startswith("/api/"):
        return {"error": message, "errors": [{"field": "", "message": message}], "limit_bytes": limit}, 413
    return render_template("errors/error.html", code=413, title=_("The upload is too large"), message=message), 413


def _http_error(err):
    db.session.rollback()
    code = getattr(err, "code", 500) or 500
    titles = {
        400: _("Bad request"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
    }
    messages = {
        403: _("You do not have permission to see this page."),
        404: _("The page or record does not exist, or you may not see it."),
        429: _("Too many attempts in a short time. Please wait a few minutes and try again."),
        500: _("The error was logged. Nothing was saved; please try again."),
    }
    if request.path.startswith("/api/"):
        # Our own description (abort(400, "…"), a refused JSON body) says more than the title; Werkzeug's stock
        # descriptions are English boilerplate.
        described = getattr(err, "description", None)
        own = described if described and described != type(err).description else None
        message = str(own or titles.get(code, "error"))
        field = getattr(err, "field", None)
        if own is None:
            return {"error": message}, code
        return {"error": message, "field": field, "errors": [{"field": field or "", "message": message}]}, code
    return render_template(
        "errors/error.html",
        code=code,
        title=titles.get(code, _("Error")),
        message=messages.get(code, getattr(err, "description", "")),
    ), code
