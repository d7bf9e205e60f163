"""Legal citations read in the reader's language on pages (letters keep the Chinese text), and the provisional
deadline mark is a phrase in both languages."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from flask import render_template_string
from flask_babel import force_locale

from disclosure.correspondence import OUTCOMES, Outcome
from disclosure.correspondence.outcomes import R, citation_label, format_citations, format_citations_en
from disclosure.extensions import db

REGULATION_EN = "Regulations on the Disclosure of Government Information"


def test_citations_have_an_english_rendering_and_letters_keep_the_chinese(app_ctx):
    assert format_citations_en([R(36, item=2)]) == f"{REGULATION_EN}, Art. 36(2)"
    assert format_citations_en([R(16, paragraph=2)]) == f"{REGULATION_EN}, Art. 16(2)"
    with app_ctx.test_request_context("/"):
        with force_locale("en"):
            assert citation_label([R(36, item=2)]) == f"{REGULATION_EN}, Art. 36(2)"
            info = OUTCOMES[Outcome.NOT_EXIST]
            assert info.citation_label().startswith(REGULATION_EN)
            assert info.citation_text().startswith("《中华人民共和国政府信息公开条例》")  # what letters print
        with force_locale("zh_CN"):
            assert citation_label([R(36, item=2)]) == format_citations([R(36, item=2)])


def test_the_staff_case_page_cites_in_english_when_the_interface_is_english(world, client, login, filed):
    item = filed.items[0]
    item.outcome = Outcome.NOT_EXIST.value
    db.session.commit()
    login(client, world.handler)
    body = client.get(f"/staff/applications/{filed.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert OUTCOMES[Outcome.NOT_EXIST].citation_text() not in body
    assert REGULATION_EN in body


def test_the_provisional_deadline_mark_is_a_phrase(app_ctx):
    app = SimpleNamespace(
        deadline_status="ok",
        issued_date=None,
        closed_date=None,
        due_date=dt.date(2027, 1, 28),
        due_provisional=True,
    )
    tpl = '{% from "applications/_deadline.html" import badge %}{{ badge(app, 3) }}'
    with app_ctx.test_request_context("/"):
        with force_locale("en"):
            html = " ".join(render_template_string(tpl, app=app).split())
            assert "· date provisional (holiday calendar for 2027 not yet published)" in html
        with force_locale("zh_CN"):
            html = render_template_string(tpl, app=app)
            assert "日期暂定（2027年节假日安排尚未公布）" in html
