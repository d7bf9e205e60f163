"""Letters: every document a case produces, as a correct, numbered, frozen and verifiable PDF (issue 4).

This module is the package's door: other packages import what they need from `disclosure.correspondence`, never
from its modules. Inside: `letters` issues, voids, corrects and delivers letters; `outcomes` is the table of
handling outcomes; `contexts` are the values each kind of letter prints; `responses` answer a request with a
letter; `rendering` turns `letters/` into PDF.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.correspondence import cli, views
from disclosure.correspondence.contexts import (
    AgencyConsultationContext,
    ApplicationFacts,
    ExtensionContext,
    FeeLine,
    FeeMethod,
    FeeNoticeContext,
    ItemOutcome,
    PetitionNoticeContext,
    ProofOfServiceContext,
    ReceiptContext,
    ReplyContext,
    SupplementationContext,
    ThirdPartyConsultationContext,
    ThirdPartyDisclosureNoticeContext,
)
from disclosure.correspondence.kinds import KINDS, LetterKind, kind_info
from disclosure.correspondence.letters import (
    LetterIncomplete,
    correct_letter,
    email_letter,
    issue_letter,
    letter_pdf,
    letters_for,
    missing_for,
    record_delivery,
    render_html,
    render_pdf,
    void_letter,
)
from disclosure.correspondence.models import DeliveryMethod, Letter, LetterStatus
from disclosure.correspondence.outcomes import (
    NEEDS_CHANNEL,
    NEEDS_LOCATION,
    NEEDS_REASONS,
    NEEDS_RESPONSIBLE_AGENCY,
    NEEDS_WITHHELD,
    OUTCOMES,
    Outcome,
    derive_case_outcome,
    letter_opening,
    remedy_for,
)
from disclosure.correspondence.outcomes import info as outcome_info
from disclosure.correspondence.rendering import RendererUnavailable, check_renderer, render_document_pdf
from disclosure.correspondence.rendering import jinja_env as letter_jinja_env
from disclosure.correspondence.responses import draft_pdf_response, pdf_download_response, preview_response
from disclosure.web import nav
from disclosure.web.templating import register_action_labels

__all__ = [
    "KINDS",
    "NEEDS_CHANNEL",
    "NEEDS_LOCATION",
    "NEEDS_REASONS",
    "NEEDS_RESPONSIBLE_AGENCY",
    "NEEDS_WITHHELD",
    "OUTCOMES",
    "AgencyConsultationContext",
    "ApplicationFacts",
    "DeliveryMethod",
    "ExtensionContext",
    "FeeLine",
    "FeeMethod",
    "FeeNoticeContext",
    "ItemOutcome",
    "Letter",
    "LetterIncomplete",
    "LetterKind",
    "LetterStatus",
    "Outcome",
    "PetitionNoticeContext",
    "ProofOfServiceContext",
    "ReceiptContext",
    "RendererUnavailable",
    "ReplyContext",
    "SupplementationContext",
    "ThirdPartyConsultationContext",
    "ThirdPartyDisclosureNoticeContext",
    "correct_letter",
    "derive_case_outcome",
    "draft_pdf_response",
    "email_letter",
    "init_app",
    "issue_letter",
    "kind_info",
    "letter_jinja_env",
    "letter_opening",
    "letter_pdf",
    "letters_for",
    "missing_for",
    "outcome_info",
    "pdf_download_response",
    "preview_response",
    "record_delivery",
    "remedy_for",
    "render_document_pdf",
    "render_html",
    "render_pdf",
    "void_letter",
]


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    cli.init_app(app)
    nav.register(app, "public", _l("Check a letter"), "letters.verify", order=80)
    nav.register(app, "staff", _l("Letters"), "letters.letter_list", roles=list(views.LETTER_ROLES), order=40)
    nav.register(app, "admin", _l("Letter settings"), "letters.settings", roles=[Role.AGENCY_ADMIN], order=30)
    signals.staff_warnings.connect(_public_address_warning)
    status_labels = {"issued": _l("Issued"), "void": _l("Void"), "superseded": _l("Corrected")}
    app.jinja_env.globals["letter_status_label"] = lambda s: status_labels.get(str(s), s)
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
