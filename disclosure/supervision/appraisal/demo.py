"""Public appraisal's demo data, entered through the operations (idempotent): both demo agencies open their
satisfaction survey and have a few dozen answers over the last months, and the applicant whose demo reply was
delivered rates it (through the applications package's own operation)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from disclosure.accounts.models import Agency, User
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision.appraisal import operations
from disclosure.supervision.appraisal.models import SurveyResponse
from disclosure.supervision.appraisal.questions import ASPECT_KEYS

COMMENTS = (
    "网站栏目分类清楚，很快找到了需要的文件。",
    "建议政策解读多用图表，更容易看懂。",
    "依申请公开的答复比较及时，工作人员态度也好。",
    "部分历史文件的附件无法下载，希望尽快修复。",
    "希望在手机上浏览时页面排版更友好。",
    "检索功能不太好用，搜索文号找不到结果。",
    "",
    "",
    "",
)
# (agency slug, answers, how the overall score leans: weights of 5, 4, 3, 2, 1)
PLAN = (("demo-gov", 26, (6, 9, 3, 1, 1)), ("demo-finance", 14, (3, 6, 3, 2, 1)))


def on_demo_data(app, *, objects) -> None:
    """`signals.demo_data`: the demo loader asks every package for its examples."""
    load(objects)


def _user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def load(objects: dict) -> None:
    today = today_china()
    rng = random.Random(14)
    for slug, count, weights in PLAN:
        agency = db.session.execute(select(Agency).where(Agency.slug == slug)).scalar_one_or_none()
        admin = _user(f"agency-admin@{slug}.example.cn")
        if agency is None or admin is None:
            continue
        if not operations.survey_open(agency.id):
            operations.save_settings(agency, survey_open=True, actor=admin)
        if db.session.execute(
            select(func.count(SurveyResponse.id)).where(SurveyResponse.agency_id == agency.id)
        ).scalar():
            continue
        for n in range(count):
            overall = rng.choices((5, 4, 3, 2, 1), weights=weights)[0]
            data = {"overall": str(overall), "comment": rng.choice(COMMENTS)}
            for key in ASPECT_KEYS:
                if rng.random() < 0.8:  # some visitors leave an aspect out
                    data[key] = str(max(1, min(5, overall + rng.choice((-1, 0, 0, 1)))))
            day = today - dt.timedelta(days=rng.randrange(0, 150))
            operations.submit_response(agency, data, address=f"203.0.113.{n + 1}", today=day)
    _rate_the_delivered_reply()
    db.session.flush()


def _rate_the_delivered_reply() -> None:
    """The law firm rates the reply it received (the applications demo's delivered case), once."""
    from disclosure.applications.models import Application, Rating  # noqa: PLC0415
    from disclosure.applications.operations import rate  # noqa: PLC0415

    firm = _user("law@example-firm.cn")
    if firm is None:
        return
    case = db.session.execute(
        select(Application)
        .where(Application.applicant_id == firm.id, Application.state == "delivered")
        .order_by(Application.id)
        .limit(1)
    ).scalar_one_or_none()
    if case is None or db.session.execute(select(Rating.id).where(Rating.application_id == case.id)).first():
        return
    try:
        rate(case, firm, satisfied=True, comment="答复及时，提供的采购意向目录完整。")
    except DomainError:
        return
