"""Letters: every document a case produces, as a correct, numbered, frozen and verifiable PDF (issue 4).

`letters` is the API the workflows call; `outcomes` is the table of handling outcomes.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.core import signals


def init_app(app: Flask) -> None:
    from disclosure.accounts.roles import Role
    from disclosure.correspondence import cli, models, views  # noqa: F401  (models: tables for the migrations)
    from disclosure.correspondence.rendering import RendererUnavailable, check_renderer
    from disclosure.web import nav

    app.register_blueprint(views.bp)
    cli.init_app(app)
    nav.register(app, "public", _l("Check a letter"), "letters.verify", order=80)
    nav.register(app, "staff", _l("Letters"), "letters.letter_list", roles=list(views.LETTER_ROLES), order=40)
    nav.register(app, "admin", _l("Letter settings"), "letters.settings", roles=[Role.AGENCY_ADMIN], order=30)
    signals.staff_warnings.connect(_public_address_warning)
    status_labels = {"issued": _l("Issued"), "void": _l("Void"), "superseded": _l("Corrected")}
    app.jinja_env.globals["letter_status_label"] = lambda s: status_labels.get(str(s), s)
    from disclosure.web.templating import register_action_labels

    register_action_labels(
        app,
        {
            "letter.issued": _l("Letter issued"),
            "letter.voided": _l("Letter voided"),
            "letter.delivery_recorded": _l("Letter delivery recorded"),
            "letter_settings.updated": _l("Letter settings changed"),
        },
    )

    # Start-up check (issue 4): without a CJK font or HarfBuzz subsetting the renderer refuses to start; the rest
    # of the application still runs, and every attempt to render says why.
    try:
        families = check_renderer()
    except RendererUnavailable as exc:
        app.logger.error("%s", exc)
        app.extensions["letters_renderer_error"] = str(exc)
    else:
        app.extensions["letters_cjk_fonts"] = families


def _public_address_warning(user) -> list:
    """Every letter prints the verification address: administrators are told while it is still the local
    default (PUBLIC_BASE_URL), before letters go out with an address nobody outside can reach."""
    from flask import current_app

    from disclosure.accounts.roles import Role

    base = current_app.config.get("PUBLIC_BASE_URL", "")
    local = any(host in base for host in ("127.0.0.1", "localhost", "[::1]"))
    if not local or current_app.testing or not getattr(user, "is_authenticated", False):
        return []
    if not (user.is_sys_admin or user.has_role(Role.AGENCY_ADMIN)):
        return []
    return [
        _l(
            "Letters print the verification address %(url)s, which only this computer can reach: set "
            "PUBLIC_BASE_URL to the site's public address.",
            url=base.rstrip("/") + "/letters/verify",
        )
    ]
