"""Disclosure on request (依申请公开): every case from filing to archive, on statutory deadlines (issue 3)."""

from __future__ import annotations

from flask import Flask

from disclosure.applications import oversight, standing_rows
from disclosure.applications.fees import FeeSchedule
from disclosure.applications.labels import remedy_kind_label, remedy_result_label, state_label
from disclosure.applications.ratings import RatingCounts, RatingRef, rating_counts, ratings
from disclosure.applications.requested import RequestedCase, requested_cases
from disclosure.applications.terms import RequestTerms, fee_schedule, request_terms
from disclosure.applications.yearly import (
    CaseCounts,
    CaseRef,
    RemedyCounts,
    RemedyRef,
    fees_collected,
    yearly_case_counts,
    yearly_cases,
    yearly_remedies,
    yearly_remedy_counts,
)
from disclosure.core import signals

# What other packages may import (the annual report reads its yearly facts and the words for a case's state and
# a remedy here, issue 13; the disclosure guide its time limits and fees, issue 11; supervision the applicants'
# ratings, and its per-agency figures and the cases behind them in `oversight`, issue 14).
__all__ = [
    "CaseCounts",
    "CaseRef",
    "FeeSchedule",
    "RatingCounts",
    "RatingRef",
    "RemedyCounts",
    "RemedyRef",
    "RequestTerms",
    "RequestedCase",
    "fee_schedule",
    "fees_collected",
    "init_app",
    "oversight",
    "rating_counts",
    "ratings",
    "remedy_kind_label",
    "remedy_result_label",
    "request_terms",
    "requested_cases",
    "standing_rows",
    "state_label",
    "yearly_case_counts",
    "yearly_cases",
    "yearly_remedies",
    "yearly_remedy_counts",
]


def init_app(app: Flask) -> None:
    # import here: the package door stays light (importing `disclosure.applications.models` must not pull in the
    # blueprints, the API and the letters machinery), so the rooms are loaded when the app is built.
    from disclosure.applications import api, cli, demo, models, operations, sweep, views  # noqa: PLC0415
    from disclosure.applications.operations import delivery  # noqa: PLC0415

    app.config.setdefault("APPLICATION_REFERENCE_FORMAT", "{slug}-{year}-{serial:05d}")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        models.declare_postgres_search_index()  # the workbench search's GIN index, for the migration comparison
    cli.init_app(app)
    views.init_app(app)
    api.init_app(app)
    # A reply letter delivered anywhere (case page or letter page) moves its case to "delivered".
    signals.letter_delivered.connect(operations.on_letter_delivered)
    # The reply emailed from the letter's own page goes with the information provided, as from the case page.
    signals.letter_email.connect(delivery.email_reply_from_letter_page, sender="application")
    # When an administrator enters a year's holiday notice, every open deadline is recomputed.
    signals.calendar_changed.connect(sweep.recompute_after_calendar_change)
    signals.demo_data.connect(demo.on_demo_data)
