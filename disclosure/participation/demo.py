"""Demo data entered through the operations (idempotent): a consultation open for comments with a few
comments, one closed with its feedback published, and the year's list of major decisions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from disclosure.accounts.models import User
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.participation.models import Consultation
from disclosure.participation.operations import comments as cops
from disclosure.participation.operations import consultations as ops
from disclosure.participation.operations import feedback as fops

DRAFT = (
    "<p>示例市公共场所控制吸烟管理办法（征求意见稿）</p>"
    "<p>第一条 为了减少烟草烟雾危害，保障公众健康，制定本办法。</p>"
    "<p>第二条 本办法适用于本市行政区域内公共场所的控制吸烟工作。</p>"
    "<p>第三条 室内公共场所、室内工作场所、公共交通工具内禁止吸烟。</p>"
    "<p>第四条 经营者和管理者应当在醒目位置设置禁止吸烟标识。</p>"
    "<p>第五条 本办法自2027年1月1日起施行。</p>"
)
COMMENTS = (
    (3, "建议将室外排队区域也纳入禁止吸烟范围。", "citizen"),
    (4, "禁止吸烟标识应当包含投诉举报电话。", "association"),
    (0, "建议设置过渡期，便于经营者调整。", "enterprise"),
)


def _staff(slug: str, role: str) -> User | None:
    email = f"{role.replace('_', '-')}@{slug}.example.cn"
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def load(objects: dict) -> None:
    ops.ensure_kinds()
    agencies = objects.get("agencies") or []
    if not agencies:
        return
    agency = agencies[0]
    title = "示例市公共场所控制吸烟管理办法（征求意见稿）"
    exists = db.session.execute(
        select(Consultation.id).where(Consultation.agency_id == agency.id, Consultation.title == title)
    ).first()
    if exists:
        return
    head = _staff(agency.slug, "office_head")
    editor = _staff(agency.slug, "catalog_editor") or head
    if head is None:
        return
    year = today_china().year
    matter = fops.save_matter(
        agency,
        {
            "year": year,
            "title": "公共场所控制吸烟管理办法制定",
            "lead_unit": "市卫生健康委",
            "planned_time": f"{year}年12月",
            "methods": "公开征求意见、座谈会",
        },
        actor=editor,
    )
    kind = ops.kind_by_code("normative")
    c = ops.create_consultation(
        agency,
        {
            "title": title,
            "kind_id": kind.id,
            "matter_id": matter.id,
            "summary": "就公共场所控制吸烟管理办法公开征求社会公众意见。",
            "draft_html": DRAFT,
            "explanation_html": "<p>一、起草背景</p><p>为落实健康城市建设要求，起草了本办法。</p>",
            "questions": "禁止吸烟的范围是否合适？",
            "opens_at": utcnow() - dt.timedelta(days=1),
            "period_length": 30,
            "accept_online": "y",
            "email_address": "yijian@demo-gov.example.cn",
            "postal_address": "示例市人民路1号 市司法局（信封注明“意见征集”）",
            "contact": "市司法局立法处 0571-00000000",
        },
        actor=editor,
    )
    ops.act(c, "approve", actor=head)
    ops.open_due()
    for article, body, kind_value in COMMENTS:
        cops.submit_comment(
            c,
            {"article": str(article), "body": body, "submitter_type": kind_value, "name": "示例公众"},
            user=None,
        )
