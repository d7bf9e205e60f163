"""The adoption feedback (采纳情况说明), published once with every answer, and the annual list of major
administrative decisions (重大行政决策事项目录), both published as catalogue entries; hearings and symposia."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.core import audit
from disclosure.core.errors import DomainError, NotAllowed, collect_errors
from disclosure.core.outbox import enqueue_email
from disclosure.core.timeutil import as_utc, today_china, utcnow
from disclosure.extensions import db
from disclosure.participation.articles import article_label
from disclosure.participation.models import (
    Comment,
    CommentGroup,
    Consultation,
    DecisionMatter,
    EventKind,
    HearingEvent,
    MatterList,
    Result,
    SubmitterType,
)
from disclosure.participation.operations import consultations as ops
from disclosure.participation.operations.comments import status_link
from disclosure.participation.operations.links import catalog_entry, publish_generated
from disclosure.web.richtext import sanitise_html
from workflows import consultation as wf
from workflows.consultation import States, TransitionRefused

RESULT_ZH = {
    Result.ADOPTED.value: "采纳",
    Result.PARTLY.value: "部分采纳",
    Result.NOT_ADOPTED.value: "未采纳",
    Result.EXPLAINED.value: "已有相关规定/说明",
}
SUBMITTER_ZH = {
    SubmitterType.CITIZEN.value: "公民",
    SubmitterType.ENTERPRISE.value: "企业",
    SubmitterType.ORGANISATION.value: "社会组织",
    SubmitterType.ASSOCIATION.value: "行业协会商会",
    SubmitterType.EXPERT.value: "专家",
    SubmitterType.OTHER.value: "其他",
}
MATERIALS_DAYS_BEFORE = 7  # 重大行政决策程序暂行条例 Art. 16


def set_feedback_intro(c: Consultation, html: str, *, actor: User) -> Consultation:
    if c.state not in (States.CLOSED.value, States.FEEDBACK_DRAFTED.value):
        raise DomainError(_l("The feedback's introduction is written after the close and before its approval."))
    before = {"feedback_intro_html": c.feedback_intro_html}
    c.feedback_intro_html = sanitise_html(html or "")
    db.session.flush()
    c.log(
        "participation.feedback_intro", before=before, after={"feedback_intro_html": c.feedback_intro_html}, actor=actor
    )
    return c


def report_rows(c: Consultation) -> list[dict]:
    """One row per group and per comment outside a group (duplicates are counted with their original): what
    the feedback publishes. No names, no contact details."""
    comments = list(
        db.session.execute(select(Comment).where(Comment.consultation_id == c.id).order_by(Comment.id)).scalars()
    )
    groups = {
        g.id: g for g in db.session.execute(select(CommentGroup).where(CommentGroup.consultation_id == c.id)).scalars()
    }
    duplicates: dict[int, int] = {}
    for cm in comments:
        if cm.duplicate_of_id is not None:
            duplicates[cm.duplicate_of_id] = duplicates.get(cm.duplicate_of_id, 0) + 1
    rows: list[dict] = []
    group_rows: dict[int, dict] = {}
    for cm in comments:
        if cm.duplicate_of_id is not None:
            continue
        if cm.group_id is not None and cm.group_id in groups:
            g = groups[cm.group_id]
            row = group_rows.get(g.id)
            if row is None:
                row = {
                    "numbers": [],
                    "articles": set(),
                    "summary": g.title,
                    "submitters": set(),
                    "result": g.result or cm.result,
                    "reason": g.reason if g.result else cm.reason,
                    "count": 0,
                }
                group_rows[g.id] = row
                rows.append(row)
        else:
            row = {
                "numbers": [],
                "articles": set(),
                "summary": cm.body if len(cm.body) <= 300 else cm.body[:300] + "…",
                "submitters": set(),
                "result": cm.result,
                "reason": cm.reason,
                "count": 0,
            }
            rows.append(row)
        row["numbers"].append(cm.number)
        row["articles"].add(cm.article)
        row["submitters"].add(cm.submitter_type)
        row["count"] += 1 + duplicates.get(cm.id, 0)
    for row in rows:
        row["article_text"] = "、".join(article_label(a) or "全文" for a in sorted(row["articles"]))
        row["submitter_text"] = "、".join(SUBMITTER_ZH.get(s, s) for s in sorted(row["submitters"]))
        row["result_text"] = RESULT_ZH.get(row["result"], "")
    return rows


def report_html(c: Consultation, agency: Agency) -> str:
    rows = report_rows(c)
    total = sum(r["count"] for r in rows)
    head = (
        f"<p>{escape(agency.full_name)}于{escape(ops.china_date(c.opens_at).isoformat())}至"
        f"{escape(c.closes_on.isoformat())}就《{escape(c.title)}》公开征求意见，共收到意见{total}条。"
        "现将意见采纳情况说明如下。</p>"
    )
    table = [
        "<table><thead><tr><th>序号</th><th>意见编号</th><th>条款</th><th>意见摘要</th><th>提出人类别</th>"
        "<th>处理结果</th><th>理由</th></tr></thead><tbody>"
    ]
    for i, r in enumerate(rows, start=1):
        table.append(
            "<tr>"
            + "".join(
                f"<td>{escape(v)}</td>"
                for v in (
                    i,
                    "、".join(n for n in r["numbers"] if n),
                    r["article_text"],
                    r["summary"],
                    r["submitter_text"],
                    r["result_text"],
                    r["reason"],
                )
            )
            + "</tr>"
        )
    table.append("</tbody></table>")
    return sanitise_html(c.feedback_intro_html + head + "".join(table))


def publish_feedback(c: Consultation, *, actor: User | None, now: dt.datetime | None = None) -> Consultation:
    """All answers become public at once; the report becomes a catalogue entry; every commenter who left an email
    is told (outbox, after the commit)."""
    now = now or utcnow()
    try:
        wf.fire(c.state, "publish_feedback", ops.actors_for(c, actor), ops.facts_for(c, now=now))
    except TransitionRefused as exc:
        cls = NotAllowed if exc.reason == "role" else DomainError
        raise cls(ops.REFUSALS.get(exc.reason, ops.REFUSALS["state"])) from None
    agency = db.session.get(Agency, c.agency_id)
    kind = c.kind
    data = {
        "title": f"关于《{c.title}》公开征求意见采纳情况的说明"[:300],
        "summary": f"《{c.title}》公开征求意见的意见采纳情况。"[:2000],
        "made_on": today_china().isoformat(),
        "category": "art20_1" if kind.code in ("rule", "normative") else "art20_15",
        "doc_kind": "other",
        "attribute": "proactive",
        "keywords": "意见征集,采纳情况",
        "body_html": report_html(c, agency),
    }
    existing = None
    if c.feedback_entry_id:
        existing = catalog_entry(c.feedback_entry_id, c.agency_id)
    entry = publish_generated(
        agency, data, existing=existing, source="participation", note=f"意见征集 #{c.id} 采纳情况"
    )
    c.feedback_entry_id = entry.id
    c.answers_published_at = now
    before = {"state": c.state}
    c.state = States.FEEDBACK_PUBLISHED.value
    db.session.flush()
    c.log(
        "participation.publish_feedback",
        before=before,
        after={"state": c.state, "feedback_entry_id": entry.id},
        actor=actor,
    )
    _tell_commenters(c, entry)
    return c


def _tell_commenters(c: Consultation, entry) -> None:
    comments = db.session.execute(
        select(Comment).where(Comment.consultation_id == c.id, Comment.email != "").order_by(Comment.id)
    ).scalars()
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    report_url = f"{base}/catalog/entries/{entry.index_number}" if entry.index_number else ""
    for cm in comments:
        link = status_link(cm)
        enqueue_email(
            to=cm.email,
            subject=f"意见采纳情况已公布 · Feedback published: {cm.number}",
            body_text=render_template(
                "emails/participation/feedback.txt", consultation=c, comment=cm, link=link, report_url=report_url
            ),
            agency_id=c.agency_id,
            related=("participation_comment", cm.id),
        )


# --- Hearings and symposia ---------------------------------------------------------------------------------------

EVENT_FIELDS = ("kind", "starts_at", "place", "selection_method", "participants", "materials_published_at")


def add_event(c: Consultation, data: Mapping[str, Any], *, actor: User) -> HearingEvent:
    if c.state in (States.CONCLUDED.value, States.WITHDRAWN.value):
        raise DomainError(_l("This consultation is over."))
    with collect_errors() as errors:
        kind = str(data.get("kind") or "")
        if kind not in {k.value for k in EventKind}:
            errors.add(_l("Choose a value from the list."), field="kind")
        starts_at = ops.parse_moment(data.get("starts_at"))
        if starts_at is None:
            errors.add(_l("Enter the start as YYYY-MM-DD HH:MM (Beijing time)."), field="starts_at")
        place = str(data.get("place") or "").strip()
        if not place:
            errors.add(_l("Enter the place."), field="place")
        elif len(place) > 300:
            errors.add(_l("At most %(n)d characters.", n=300), field="place")
        selection = str(data.get("selection_method") or "").strip()
        if not selection:
            errors.add(_l("Say how participants are chosen."), field="selection_method")
        participants = str(data.get("participants") or "").strip()
        for name, value in (("selection_method", selection), ("participants", participants)):
            if len(value) > 5000:
                errors.add(_l("At most %(n)d characters.", n=5000), field=name)
    event = HearingEvent(
        consultation_id=c.id,
        kind=kind,
        starts_at=starts_at,
        place=place,
        selection_method=selection,
        participants=participants,
        materials_html=sanitise_html(str(data.get("materials_html") or "")),
    )
    db.session.add(event)
    db.session.flush()
    event.log("participation.event_add", after=audit.snapshot(event, EVENT_FIELDS), actor=actor)
    return event


def publish_event(event: HearingEvent, *, actor: User, now: dt.datetime | None = None) -> HearingEvent:
    """Announce the event: its participant list and materials, at least 7 days before it (Art. 16)."""
    now = now or utcnow()
    if event.materials_published_at is not None:
        raise DomainError(_l("This event is already announced."))
    with collect_errors() as errors:
        if not event.participants.strip():
            errors.add(_l("List the participants: the list is published in advance."), field="participants")
        if not event.materials_html.strip():
            errors.add(_l("Add the materials: they are available 7 days before."), field="materials_html")
        if as_utc(event.starts_at) - now < dt.timedelta(days=MATERIALS_DAYS_BEFORE):
            errors.add(
                _l("The materials must be available at least %(n)d days before the event.", n=MATERIALS_DAYS_BEFORE),
                field="starts_at",
            )
    event.materials_published_at = now
    db.session.flush()
    event.log("participation.event_publish", after={"materials_published_at": now.isoformat()}, actor=actor)
    return event


def record_minutes(event: HearingEvent, html: str, *, actor: User, now: dt.datetime | None = None) -> HearingEvent:
    now = now or utcnow()
    if as_utc(event.starts_at) > now:
        raise DomainError(_l("Minutes are published after the event."), field="minutes_html")
    html = sanitise_html(html or "")
    if not html.strip():
        raise DomainError(_l("Enter the minutes."), field="minutes_html")
    event.minutes_html, event.minutes_published_at = html, now
    db.session.flush()
    event.log("participation.event_minutes", after={"minutes_published_at": now.isoformat()}, actor=actor)
    return event


# --- The list of major administrative decisions --------------------------------------------------------------------

MATTER_FIELDS = ("year", "title", "lead_unit", "description", "planned_time", "methods")


def save_matter(agency: Agency, data: Mapping[str, Any], *, actor: User, matter: DecisionMatter | None = None):
    with collect_errors() as errors:
        values: dict[str, Any] = {}
        for name, limit in (
            ("title", 300),
            ("lead_unit", 200),
            ("planned_time", 60),
            ("methods", 300),
            ("description", 5000),
        ):
            values[name] = str(data.get(name) or "").strip()
            if len(values[name]) > limit:
                errors.add(_l("At most %(n)d characters.", n=limit), field=name)
        if not values["title"]:
            errors.add(_l("Enter the matter."), field="title")
        try:
            values["year"] = int(str(data.get("year") or "").strip())
        except ValueError:
            values["year"] = 0
        if not 2000 <= values["year"] <= 2100:
            errors.add(_l("Enter the year, e.g. 2026."), field="year")
    before = audit.snapshot(matter, MATTER_FIELDS) if matter else {}
    if matter is None:
        matter = DecisionMatter(agency_id=agency.id, **values)
        db.session.add(matter)
    else:
        for k, v in values.items():
            setattr(matter, k, v)
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(matter, MATTER_FIELDS))
    matter.log("participation.matter_save", before=old, after=new, actor=actor)
    return matter


def matters_for(agency_id: int, year: int | None = None) -> list[DecisionMatter]:
    q = select(DecisionMatter).where(DecisionMatter.agency_id == agency_id)
    if year is not None:
        q = q.where(DecisionMatter.year == year)
    return list(
        db.session.execute(q.order_by(DecisionMatter.year.desc(), DecisionMatter.position, DecisionMatter.id)).scalars()
    )


def matter_consultations(matter_ids: list[int]) -> dict[int, list[Consultation]]:
    out: dict[int, list[Consultation]] = {}
    if not matter_ids:
        return out
    rows = db.session.execute(
        select(Consultation).where(Consultation.matter_id.in_(matter_ids), Consultation.state != States.DRAFT.value)
    ).scalars()
    for c in rows:
        out.setdefault(c.matter_id, []).append(c)
    return out


def publish_matter_list(agency: Agency, year: int, *, actor: User) -> MatterList:
    """Publish (or republish as a new version) the year's list as a catalogue entry."""
    matters = matters_for(agency.id, year)
    if not matters:
        raise DomainError(_l("The list for this year is empty."))
    rows = "".join(
        f"<tr><td>{i}</td><td>{escape(m.title)}</td><td>{escape(m.lead_unit)}</td><td>{escape(m.planned_time)}</td>"
        f"<td>{escape(m.methods)}</td></tr>"
        for i, m in enumerate(matters, start=1)
    )
    body = sanitise_html(
        f"<p>根据《重大行政决策程序暂行条例》第三条，现将{escape(agency.full_name)}{year}年度重大行政决策事项目录公布如下。</p>"
        "<table><thead><tr><th>序号</th><th>决策事项</th><th>承办单位</th><th>计划完成时间</th><th>公众参与方式</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    row = db.session.execute(
        select(MatterList).where(MatterList.agency_id == agency.id, MatterList.year == year)
    ).scalar_one_or_none()
    existing = None
    if row is not None and row.entry_id:
        existing = catalog_entry(row.entry_id, agency.id)
    data = {
        "title": f"{agency.full_name}{year}年度重大行政决策事项目录"[:300],
        "summary": f"{year}年度重大行政决策事项目录。",
        "made_on": today_china().isoformat(),
        "category": "art20_15",
        "doc_kind": "other",
        "attribute": "proactive",
        "keywords": "重大行政决策,事项目录",
        "body_html": body,
    }
    entry = publish_generated(agency, data, existing=existing, source="participation", note=f"{year}年度事项目录")
    if row is None:
        row = MatterList(agency_id=agency.id, year=year)
        db.session.add(row)
    row.entry_id, row.published_at = entry.id, utcnow()
    db.session.flush()
    row.log("participation.matter_list_publish", after={"year": year, "entry_id": entry.id}, actor=actor)
    return row
