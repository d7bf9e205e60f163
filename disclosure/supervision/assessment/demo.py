"""Demo assessment: the demo government's supervisor (`supervisor@demo-gov.example.cn`) keeps the default indicators
as the general office's own, assesses last year over the finance bureau and the office itself, adjusts one score
with its reason, finalises and publishes the results table — all through the operations. Idempotent: an office that
has its indicators keeps them, and a year already assessed gets nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from disclosure.accounts.models import User
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision import periods
from disclosure.supervision.assessment import operations

SLUG = "demo-gov"
ADJUST_REASON = "经年度抽查，该局2件依申请公开答复书未完整告知救济途径，按考核细则酌情扣2分。"


def on_demo_data(app, *, objects) -> None:
    """`signals.demo_data`: the supervision package is wired after the others, so their demo records are counted."""
    load(objects)


def load(objects: dict, today: dt.date | None = None) -> None:
    today = today or today_china()
    office = next((a for a in objects["agencies"] if a.slug == SLUG), None)
    if office is None:
        return
    supervisor = db.session.execute(
        select(User).where(User.email == f"supervisor@{SLUG}.example.cn")
    ).scalar_one_or_none()
    if supervisor is None:
        return
    if operations.scheme_of(office.id) is None:
        defaults, _source = operations.indicators_for(None)
        if not defaults:
            return  # no figure registered: nothing to assess by
        operations.save_indicators(office.id, supervisor, defaults)
    period = periods.year(today.year - 1)
    if operations.existing(office.id, period) is not None:
        return
    # Computed as from the supervisor's page: inside a request, where every figure can build its records' links.
    with current_app.test_request_context("/"):
        _assess(office, supervisor, period, today)


def _assess(office, supervisor: User, period: periods.Period, today: dt.date) -> None:
    assessment = operations.start(office, supervisor, period=period, include_own=True, today=today)
    bureau = next((e for e in assessment.entries if e.agency_id != office.id), None)
    if bureau is not None:
        score = next((s for s in bureau.scores if not s.excluded and s.points), None)
        if score is not None:
            operations.adjust(
                assessment,
                supervisor,
                agency_id=bureau.agency_id,
                position=score.position,
                points=str(max(Decimal(0), score.points - 2)),
                reason=ADJUST_REASON,
            )
    operations.finalise(assessment, supervisor)
    operations.publish(assessment, supervisor)
    db.session.flush()
