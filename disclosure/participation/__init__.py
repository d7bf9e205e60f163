"""Public participation (意见征集): consultations on drafts with their statutory periods, comments on the whole
draft or one article, moderation and answers, the adoption feedback published at once as a catalogue entry,
hearings and symposia, and the annual list of major administrative decisions (issue 12; proactive-china §1.4,
§2.5).

This module is the package's door: other packages import from `disclosure.participation` only. The reports
package calls `participation_figures(agency_id, year)` for the annual report's narrative.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.participation import cli, demo, display, models, oversight, standing_rows, views
from disclosure.participation.figures import participation_figures
from disclosure.participation.forms import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    EVENT_LABELS,
    MODERATION_LABELS,
    RESULT_LABELS,
    STATE_LABELS,
    SUBMITTER_LABELS,
    UNIT_LABELS,
)
from disclosure.web import nav
from disclosure.web.templating import register_action_labels

__all__ = ["init_app", "oversight", "participation_figures", "standing_rows"]

ACTION_WORDS = {
    "participation.create": _l("Consultation drafted"),
    "participation.update": _l("Consultation edited"),
    "participation.approve": _l("Consultation approved"),
    "participation.return_draft": _l("Consultation returned to draft"),
    "participation.open": _l("Consultation opened"),
    "participation.extend": _l("Consultation period extended"),
    "participation.close": _l("Consultation closed"),
    "participation.draft_feedback": _l("Feedback submitted for approval"),
    "participation.return_feedback": _l("Feedback returned"),
    "participation.approve_feedback": _l("Feedback approved"),
    "participation.publish_feedback": _l("Feedback and answers published"),
    "participation.conclude": _l("Consultation concluded"),
    "participation.withdraw": _l("Consultation withdrawn"),
    "participation.feedback_intro": _l("Feedback introduction edited"),
    "participation.comment": _l("Comment received"),
    "participation.moderate": _l("Comment moderated"),
    "participation.duplicate": _l("Comment marked as duplicate"),
    "participation.group": _l("Comment grouped"),
    "participation.group_create": _l("Comment group created"),
    "participation.group_answer": _l("Comment group answered"),
    "participation.answer": _l("Comment answered"),
    "participation.event_add": _l("Hearing or symposium scheduled"),
    "participation.event_publish": _l("Hearing or symposium announced"),
    "participation.event_minutes": _l("Minutes published"),
    "participation.matter_save": _l("Decision matter saved"),
    "participation.matter_list_publish": _l("List of major decisions published"),
    "participation.settings": _l("Participation settings changed"),
    "participation.kind_update": _l("Consultation kind changed"),
}


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        models.declare_postgres_search_index()  # the moderation search's GIN index, for the migration comparison
    app.register_blueprint(views.staff_bp)
    app.register_blueprint(views.public_bp)
    app.register_blueprint(views.admin_bp)
    cli.init_app(app)
    signals.demo_data.connect(_load_demo)
    signals.staff_panels.connect(views.staff.staff_panel)
    register_action_labels(app, ACTION_WORDS)
    app.jinja_env.globals.update(
        participation_states=STATE_LABELS,
        participation_results=RESULT_LABELS,
        participation_moderation=MODERATION_LABELS,
        participation_submitters=SUBMITTER_LABELS,
        participation_channels=CHANNEL_LABELS,
        participation_units=UNIT_LABELS,
        participation_event_kinds=EVENT_LABELS,
        participation_actions=ACTION_LABELS,
        participation_kind_name=display.kind_name,
        participation_article=display.article_text,
        participation_time=display.local_time,
        participation_date=display.local_date,
    )
    nav.register(app, "public", _l("Public consultations"), "participation_public.index", order=30)
    editors = [Role.CATALOG_EDITOR, Role.REGISTRAR, Role.OFFICE_HEAD, Role.AGENCY_ADMIN]
    nav.register(app, "staff", _l("Public consultations"), "participation.index", roles=editors, order=45)
    nav.register(app, "staff", _l("Major decisions list"), "participation.matters", roles=editors, order=46)
    nav.register(
        app, "admin", _l("Consultation settings"), "participation_admin.settings", roles=[Role.AGENCY_ADMIN], order=66
    )
    nav.register(
        app,
        "admin",
        _l("Consultation kinds and periods"),
        "participation_admin.kinds",
        roles=[Role.SYS_ADMIN],
        order=67,
    )


def _load_demo(app, *, objects) -> None:
    demo.load(objects)
