"""Fixtures for the catalogue tests: an agency with staff in every catalogue role, and a valid entry's input."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest


@pytest.fixture
def cat(app_ctx, make_agency, make_staff):
    """An agency, a second agency, and its editor, office staff, head, secrecy and legal reviewers."""
    from disclosure.accounts.roles import Role
    from disclosure.catalog.seeds import ensure_classifications
    from disclosure.extensions import db

    ensure_classifications(db.session)  # the suite empties every table after each test, seeded ones included
    db.session.commit()
    agency = make_agency()
    return SimpleNamespace(
        agency=agency,
        other=make_agency(),
        editor=make_staff(agency, [Role.CATALOG_EDITOR]),
        registrar=make_staff(agency, [Role.REGISTRAR]),
        head=make_staff(agency, [Role.OFFICE_HEAD]),
        secrecy=make_staff(agency, [Role.SECRECY_REVIEWER]),
        legal=make_staff(agency, [Role.LEGAL_REVIEWER]),
        admin=make_staff(agency, [Role.AGENCY_ADMIN]),
    )


def entry_input(**overrides) -> dict:
    """A valid 主动公开 document's input."""
    from disclosure.catalog.models import Genre, Theme
    from disclosure.extensions import db

    theme = db.session.execute(db.select(Theme).where(Theme.name == "政务公开")).scalar_one()
    genre = db.session.execute(db.select(Genre).where(Genre.name == "通知")).scalar_one()
    data = {
        "title": "关于做好2026年政务公开工作的通知",
        "summary": "部署本年度政务公开重点工作。",
        "made_on": dt.date(2026, 3, 2).isoformat(),
        "document_number": "测政办发〔2026〕5号",
        "theme_id": str(theme.id),
        "genre_id": str(genre.id),
        "category": "art20_15",
        "doc_kind": "other",
        "attribute": "proactive",
        "keywords": "政务公开",
        "body_html": "<p>各单位：</p><p>现将有关事项通知如下。</p>",
    }
    data.update(overrides)
    return data


@pytest.fixture
def publish_entry(cat):
    """Draft and take an entry through every review to publication; returns the entry."""
    from disclosure.catalog.operations import entries as ops
    from disclosure.extensions import db

    def run(**overrides):
        entry = ops.create_entry(cat.agency, entry_input(**overrides), actor=cat.editor)
        ops.act(entry, "submit", actor=cat.editor)
        ops.act(entry, "confirm_attribute", actor=cat.registrar)
        ops.act(entry, "pass_secrecy", actor=cat.secrecy)
        if entry.kind.normative:
            ops.record_legality_review(
                entry, actor=cat.legal, reviewer_name="法规科 王某", reviewed_on=dt.date(2026, 3, 3), opinion="合法"
            )
        trigger = "publish" if entry.attribute == "proactive" else "record"
        ops.act(entry, trigger, actor=cat.head)
        db.session.commit()
        return entry

    return run


# --- Normative documents, validity, cleanups, interpretations (part C) ---


def normative_input(**overrides) -> dict:
    """A valid 行政规范性文件's input (Art. 20 item (1))."""
    data = entry_input(
        title="测试市政府信息公开管理办法",
        document_number="测政规〔2026〕1号",
        category="art20_1",
        doc_kind="normative",
        keywords="规范性文件",
    )
    data.update(overrides)
    return data


def interpretation_input(**overrides) -> dict:
    """A valid interpretation's input (政策解读, 文字解读)."""
    data = entry_input(
        title="《测试市政府信息公开管理办法》政策解读",
        document_number="",
        category="",
        entry_type="interpretation",
        interpretation_form="text",
        interpreter="市政府办公室 张某",
        interpreter_contact="0000-12345678",
    )
    data.update(overrides)
    return data


@pytest.fixture
def take_to(cat):
    """Take a draft through the review path up to `state` ("approval" or "published"), on `day`."""
    from disclosure.catalog.operations import entries as ops

    def run(entry, state="published", day=None):
        day = day or dt.date(2026, 3, 10)
        ops.act(entry, "submit", actor=cat.editor, today=day)
        ops.act(entry, "confirm_attribute", actor=cat.registrar, today=day)
        ops.act(entry, "pass_secrecy", actor=cat.secrecy, today=day)
        if entry.kind.normative:
            ops.record_legality_review(
                entry, actor=cat.legal, reviewer_name="法规科 王某", reviewed_on=dt.date(2026, 3, 3), opinion="合法"
            )
        if state == "published":
            ops.act(entry, "publish", actor=cat.head, today=day)
        return entry

    return run


@pytest.fixture
def publish_on(cat, take_to):
    """Draft and publish an entry of the `cat` agency on `day` (a normative document unless told otherwise)."""
    from disclosure.catalog.operations import entries as ops
    from disclosure.extensions import db

    def run(day=None, **overrides):
        if day is not None:
            overrides.setdefault("made_on", day.isoformat())
        entry = ops.create_entry(cat.agency, normative_input(**overrides), actor=cat.editor)
        take_to(entry, "published", day)
        db.session.commit()
        return entry

    return run


def publish_as_system(agency, day, **overrides):
    """A published normative document of any agency, entered by the system (as an import is)."""
    from disclosure.catalog.operations import entries as ops

    overrides.setdefault("made_on", day.isoformat())
    entry = ops.create_entry(agency, normative_input(**overrides), actor=None, source="api")
    ops.act(entry, "import_published", actor=None, today=day)
    return entry


@pytest.fixture
def en(client):
    """The test client, reading the pages in English."""
    with client.session_transaction() as s:
        s["lang"] = "en"
    return client


@pytest.fixture
def use(en, login):
    """Log the English client in as this user, logging out whoever was in (`use(cat.head)`)."""

    def switch(user):
        en.post("/logout")
        login(en, user)
        with en.session_transaction() as s:  # after the login, which starts a new session
            s["lang"] = "en"

    return switch


def in_english(message) -> str:
    """A (lazy) message as an English reader sees it. Operations called outside a request speak the default
    language (Chinese), so a test that checks their wording reads it here, whatever the default."""
    from flask import current_app
    from flask_babel import force_locale

    with current_app.test_request_context("/"), force_locale("en"):
        return str(message)


def field_errors(html: str) -> dict[str, str]:
    """The errors a page shows beside its fields: field id → message."""
    import re

    return {
        m.group(1): re.sub(r"<[^>]+>", "", m.group(2)).strip()
        for m in re.finditer(r'<p class="error" id="([\w-]+)-error">(.*?)</p>', html, re.S)
    }
