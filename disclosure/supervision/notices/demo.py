"""Demo data entered through the operations (idempotent): the demo supervisor of 示例市人民政府办公室 issues a notice
to 示例市财政局 about its real current problems (whatever the demo's figures count), which the bureau's office head
answers and the supervisor closes; and a second notice that is still open."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision.notices import operations, problems
from disclosure.supervision.notices.models import Notice

FIRST_TEXT = (
    "经监测，你单位存在以下政务公开工作问题。请对照《中华人民共和国政府信息公开条例》有关规定逐项整改，"
    "并于期限内将整改情况书面报送市政府办公室。"
)
SECOND_TEXT = "请你单位于期限内完成政府信息公开指南的更新，并报送更新后的指南文本。"
FALLBACK = "政府信息公开指南中的办公地址和联系电话未及时更新。"


def _user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def _agency(objects: dict, slug: str) -> Agency | None:
    return next((a for a in objects.get("agencies") or [] if a.slug == slug), None)


def on_demo_data(_app, *, objects) -> None:
    load(objects)


def load(objects: dict, today: dt.date | None = None) -> None:
    gov, finance = _agency(objects, "demo-gov"), _agency(objects, "demo-finance")
    supervisor = _user("supervisor@demo-gov.example.cn")
    head = _user("office-head@demo-finance.example.cn")
    if gov is None or finance is None or supervisor is None or head is None:
        return
    exists = db.session.execute(
        select(Notice.id).where(Notice.issuer_agency_id == gov.id, Notice.agency_id == finance.id).limit(1)
    ).first()
    if exists:
        return
    today = today or today_china()
    # The problems are listed, and the notices issued, as from the form's page: inside a request, where every
    # figure can build its records' links.
    with current_app.test_request_context("/"):
        _issue(supervisor, head, finance, today)


def _issue(supervisor: User, head: User, finance: Agency, today: dt.date) -> None:
    found = [p for group in problems.current_problems(finance.id, today) for p in group.problems]
    first, rest = found[:3], found[3:6]
    closed = operations.issue_notice(
        supervisor,
        {
            "agency_id": finance.id,
            "matters": [p.token for p in first],
            "other": "" if first else FALLBACK,
            "due_on": (today + dt.timedelta(days=15)).isoformat(),
            "text": FIRST_TEXT,
        },
        today=today,
    )
    operations.answer_notice(
        closed,
        head,
        {
            "answer": "已对照通知逐项完成整改，相关信息已在政府信息公开平台发布，并建立了每周自查机制。",
            "item_answers": {str(item.id): "已整改完毕。" for item in closed.items},
        },
        today=today,
    )
    operations.close_notice(closed, supervisor, "整改到位，予以办结。", today=today)
    operations.issue_notice(
        supervisor,
        {
            "agency_id": finance.id,
            "matters": [p.token for p in rest],
            "other": FALLBACK,
            "due_on": (today + dt.timedelta(days=10)).isoformat(),
            "text": SECOND_TEXT,
        },
        today=today,
    )
