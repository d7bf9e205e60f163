"""Fixtures for the participation tests: an agency with staff in every role that takes part, a second agency,
and a consultation's valid input (a draft with five articles)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

DRAFT = (
    "<p>示例市控制吸烟办法（征求意见稿）</p>"
    "<p>第一条 为了保障公众健康，制定本办法。</p>"
    "<p>第二条 本办法适用于本市公共场所。</p>"
    "<p>第三条 室内公共场所禁止吸烟。</p>"
    "<p>本条所称室内，包括有顶部覆盖的场所。</p>"
    "<p>第四条 经营者应当设置禁止吸烟标识。</p>"
    "<p>第五条 本办法自2027年1月1日起施行。</p>"
)


@pytest.fixture
def part(app_ctx, make_agency, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.catalog.seeds import ensure_classifications
    from disclosure.extensions import db
    from disclosure.participation.operations.consultations import ensure_kinds

    ensure_classifications(db.session)
    ensure_kinds()
    db.session.commit()
    agency = make_agency()
    return SimpleNamespace(
        agency=agency,
        other=make_agency(),
        editor=make_staff(agency, [Role.CATALOG_EDITOR]),
        registrar=make_staff(agency, [Role.REGISTRAR]),
        head=make_staff(agency, [Role.OFFICE_HEAD]),
        admin=make_staff(agency, [Role.AGENCY_ADMIN]),
        handler=make_staff(agency, [Role.HANDLER]),
    )


def consultation_input(kind_code: str = "normative", **overrides) -> dict:
    from disclosure.participation.operations.consultations import kind_by_code

    data = {
        "title": "示例市控制吸烟办法（征求意见稿）",
        "kind_id": str(kind_by_code(kind_code).id),
        "summary": "公开征求意见。",
        "draft_html": DRAFT,
        "explanation_html": "<p>起草说明：为落实健康城市建设要求。</p>",
        "questions": "范围是否合适？",
        "opens_at": "2026-04-30T09:00",
        "period_length": "7",
        "accept_online": "y",
        "email_address": "yijian@example.gov.cn",
        "postal_address": "示例市人民路1号",
    }
    data.update(overrides)
    return data


@pytest.fixture
def open_consultation(part):
    """A normative-document consultation opened yesterday for 30 working days; returns it (committed)."""
    from disclosure.core.timeutil import CHINA_TZ
    from disclosure.extensions import db
    from disclosure.participation.operations import consultations as ops

    start = (dt.datetime.now(CHINA_TZ) - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    c = ops.create_consultation(part.agency, consultation_input(opens_at=start, period_length="30"), actor=part.editor)
    ops.act(c, "approve", actor=part.head)
    ops.open_due()
    db.session.commit()
    assert c.state == "open"
    return c


def close_now(c):
    """Move the consultation's end into the past and run the closing task."""
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db
    from disclosure.participation.tasks import open_and_close

    c.closes_at = utcnow() - dt.timedelta(seconds=1)
    c.closes_on = (utcnow() - dt.timedelta(days=1)).date()
    db.session.commit()
    open_and_close()
    db.session.refresh(c)
    assert c.state == "closed"
    return c
