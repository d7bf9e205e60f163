"""Supervision part: assessment (考核, issue 14 §4; proactive-china §1.7). The competent department scores the
agencies it supervises by indicators it edits as data (weights adding up to 100, each reading a figure of the
registry with a rule: rate, deduction or single veto), adjusts a score with a reason, finalises (frozen) and
publishes the results table on the public platform. Wired by the package door through `init_app`; it registers no
figures, it reads them.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.supervision import scope
from disclosure.supervision.assessment import demo, views  # noqa: F401  (views attach to the part's blueprints)
from disclosure.supervision.assessment.indicators import NO_DATA_LABELS, figure_label
from disclosure.supervision.assessment.scoring import DEDUCT, FLAG, RATE, Indicator
from disclosure.web import nav
from disclosure.web.templating import register_action_labels

STATE_LABELS = {
    "draft": _l("Draft"),
    "finalised": _l("Finalised"),
    "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
    "discarded": _l("Discarded"),
}

ACTION_WORDS = {
    "assessment_indicators.saved": _l("Assessment indicators changed"),
    "assessment.started": _l("Assessment started"),
    "assessment.recomputed": _l("Assessment scores computed again"),
    "assessment.adjusted": _l("Assessment score adjusted"),
    "assessment.adjustment_removed": _l("Assessment score adjustment removed"),
    "assessment.finalised": _l("Assessment finalised"),
    "assessment.reopened": _l("Assessment reopened"),
    "assessment.published": _l("Assessment results published"),
    "assessment.withdrawn": _l("Assessment results withdrawn"),
    "assessment.discarded": _l("Assessment discarded"),
}


def _n(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def rule_text(ind: Indicator) -> str:
    """An indicator's scoring rule in words, in the interface language."""
    if ind.rule == RATE:
        if ind.lower_is_better:
            return _(
                "Rate, lower is better: full marks at %(target)s %% or less, none at %(floor)s %% or more",
                target=_n(ind.target),
                floor=_n(ind.floor),
            )
        return _(
            "Rate: full marks at %(target)s %% or more, none at %(floor)s %% or less",
            target=_n(ind.target),
            floor=_n(ind.floor),
        )
    if ind.rule == DEDUCT:
        return _("%(points)s points off per counted item, down to zero", points=_n(ind.per_item))
    if ind.rule == FLAG:
        return _("Single veto: full marks only when the count is zero")
    return ind.rule


def points_text(value: Decimal | None) -> str:
    """Points as printed: two decimals (95.50)."""
    return "" if value is None else f"{value:.2f}"


def init_app(app: Flask) -> None:
    nav.register(
        app,
        "staff",
        _l("Assessment"),
        "supervision.assessments",
        roles=[Role.SUPERVISOR, *scope.AGENCY_VIEWERS],
        order=84,
    )
    nav.register(
        app,
        "admin",
        _l("Default assessment indicators"),
        "supervision_admin.assessment_indicators",
        roles=[Role.SYS_ADMIN],
        order=84,
    )
    nav.register(app, "public", _l("Assessment results"), "supervision_public.assessments", order=84)
    register_action_labels(app, ACTION_WORDS)
    app.jinja_env.globals.update(
        assessment_state_label=lambda s: STATE_LABELS.get(str(s), s),
        assessment_rule_text=rule_text,
        assessment_no_data_label=lambda v: NO_DATA_LABELS.get(str(v), v),
        assessment_figure_label=figure_label,
        assessment_points=points_text,
    )
    signals.demo_data.connect(demo.on_demo_data)
