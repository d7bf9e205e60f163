"""The disclosure guide (政府信息公开指南, 条例 Art. 12; issue 11 §4; proactive-china §1.5): generated for each
agency from its own data, in Chinese, in the structure of real guides (平潭 2024): 一、主动公开 (the office, the
scope, the 编排体系 from the agency's 索引号 format, the channels with the archive and library points, the time
limit), 二、依申请公开 (the receiving body and its contacts and hours, how to apply and the channels, the time
limits, fees under 国办函〔2020〕109号, the flow chart), 三、监督方式 (reconsideration body and court), then the
agency's own paragraphs.

The guide is a catalogue entry of genre 政府信息公开指南, published by the system (`entries.publish_generated`,
source "guide"), and republished as a new version with a change note when what it says changes: when the profile
is saved and when the agency's details are saved (signal `agency_changed`). The request flow chart is drawn from
`workflows.application` by `web.flowchart.workflow_svg` (inline SVG) where the guide is shown.
"""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import select

import workflows.application as application_workflow
from disclosure.accounts.models import Agency
from disclosure.applications import request_terms
from disclosure.catalog.index_numbers import format_number
from disclosure.catalog.models import AgencyProfile, Entry, Genre, Theme
from disclosure.catalog.operations.entries import publish_generated, settings_for
from disclosure.catalog.operations.profile import profile_for
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.web.flowchart import workflow_svg
from disclosure.web.richtext import sanitise_html

GUIDE_GENRE = "政府信息公开指南"
GUIDE_THEME = "政务公开"
GUIDE_CATEGORY = "art20_15"

# The request's path as a citizen follows it (条例 Arts. 29–36), in Chinese: the guide is a published document.
FLOW_STATES = {
    "submitted": "提交申请",
    "registered": "登记受理",
    "supplementation_requested": "告知补正",
    "in_handling": "办理",
    "consulting": "征求第三方或其他机关意见",
    "fee_notified": "通知缴纳信息处理费",
    "issued": "作出答复",
    "delivered": "送达申请人",
}
FLOW_TRIGGERS = {
    "submit": "在线提交",
    "confirm": "确认收到",
    "register": "书面、口头申请登记",
    "request_supplement": "内容不明确",
    "answer_supplement": "补正",
    "receive_supplement": "补正",
    "start_handling": "分办",
    "start_consultation": "涉及第三方",
    "end_consultation": "意见反馈",
    "notify_fee": "超出合理范围",
    "record_payment": "缴费",
    "issue": "审核签发",
    "deliver": "送达",
}
FLOW_TITLE = "依申请公开办理流程图"


def request_flow_svg() -> str:
    """The request flow chart (inline SVG, remembered by `workflow_svg` for the same inputs)."""
    return workflow_svg(
        application_workflow.WORKFLOW,
        FLOW_STATES,
        include=tuple(FLOW_STATES),
        triggers=FLOW_TRIGGERS,
        title=FLOW_TITLE,
    )


def index_scheme(agency: Agency) -> dict:
    """The 编排体系 of the agency's 索引号: its format and an example number."""
    fmt = settings_for(agency.id).index_format
    year = today_china().year
    return {
        "format": fmt,
        "example": format_number(fmt, org=agency.org_code, year=year, month=1, serial=1),
        "org": agency.org_code,
        "has_month": "{month" in fmt,
    }


def guide_html(agency: Agency, profile: AgencyProfile) -> str:
    """The guide's body (Chinese), rendered with autoescaping from the agency's data."""
    return render_template(
        "catalog/guide/body.html",
        agency=agency,
        profile=profile,
        office=profile.request_office or agency.full_name,
        scheme=index_scheme(agency),
        publish_days=settings_for(agency.id).publish_due_days,
        terms=request_terms(agency.id),  # the time limits the cases run on, the fees and the agency's fee settings
        platform_url=public_url("catalog_public.agency_home", slug=agency.slug),
        apply_url=public_url("applications.new", agency=agency.slug),
    )


def public_url(endpoint: str, **values) -> str:
    """An address on the public site (PUBLIC_BASE_URL), built without a request: the guide is a document, also
    published from a command or a signal receiver, and quotes the site's public address, not the request's host."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def guide_title(agency: Agency) -> str:
    return f"{agency.full_name}政府信息公开指南"


def _named(model, name: str):
    return db.session.execute(select(model).where(model.name == name).limit(1)).scalars().first()


def guide_entry(agency: Agency) -> Entry | None:
    profile = db.session.get(AgencyProfile, agency.id)
    if profile is None or profile.guide_entry_id is None:
        return None
    return db.session.get(Entry, profile.guide_entry_id)


def publish_guide(agency: Agency, *, note: str = "") -> Entry | None:
    """Publish the agency's guide, or its next version when what it says changed; None when nothing changed."""
    profile = profile_for(agency)
    body = sanitise_html(guide_html(agency, profile))  # as the entry will keep it
    title = guide_title(agency)
    existing = guide_entry(agency)
    version = existing.published_version if existing is not None else None
    if version is not None and version.title == title and existing.body_html == body and existing.withdrawn_at is None:
        return None
    if existing is not None and existing.withdrawn_at is not None:
        existing = None  # a withdrawn guide stays withdrawn; the agency's guide starts again
    genre, theme = _named(Genre, GUIDE_GENRE), _named(Theme, GUIDE_THEME)
    today = today_china()
    data = {
        "title": title,
        "summary": f"{agency.full_name}政府信息公开的方式、渠道、时限和监督方式。",
        "made_on": (existing.made_on if existing is not None else today).isoformat(),
        "changed_on": today.isoformat() if existing is not None else "",
        "category": GUIDE_CATEGORY,
        "doc_kind": "other",
        "attribute": "proactive",
        "theme_id": str(theme.id) if theme is not None else "",
        "genre_id": str(genre.id) if genre is not None else "",
        "keywords": "政府信息公开指南",
        "body_html": body,
    }
    entry = publish_generated(
        agency, data, existing=existing, source="guide", note=(note or "指南内容更新") if existing else ""
    )
    profile.guide_entry_id = entry.id
    db.session.flush()
    return entry


def on_agency_changed(agency: Agency, **_kwargs) -> None:
    """Signal receiver (`agency_changed`): the guide quotes the agency's address, contacts and remedies. An agency
    without a guide yet gets none here (the administrator publishes it by saving the profile)."""
    if agency.id is None or guide_entry(agency) is None:
        return
    publish_guide(agency, note="机关信息更新")
