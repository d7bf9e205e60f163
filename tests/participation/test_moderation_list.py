"""The staff moderation list (issue 12): every filter lists the comments it names, newest first, 50 to a page, with
the count of all it found; the text search finds a phrase of the comments' text or a comment's number; each row
shows the comment's beginning, its commenter and its answer (a group's answer when it is in an answered group)."""

from __future__ import annotations

import re

import pytest

from disclosure.core.timeutil import CHINA_TZ, as_utc

PHRASES = ["建议扩大禁烟范围", "建议设置过渡期", "罚款标准过高", "应当明确监管部门"]


@pytest.fixture
def listed(part, open_consultation):
    """56 comments on the open consultation: articles, channels, moderation, answers, a group and duplicates."""
    from disclosure.extensions import db
    from disclosure.participation.operations import comments as cops

    c = open_consultation
    out = []
    for i in range(56):
        # The fourth is longer than the list shows.
        body = "很长的意见" * 100 if i == 3 else f"{PHRASES[i % 4]}。第{i}号意见。"
        data = {"body": body, "article": str(i % 6), "name": f"评论人{i}"}
        if i % 7 == 0:
            data.update(channel="post", received_on=as_utc(c.opens_at).astimezone(CHINA_TZ).date().isoformat())
            out.append(cops.enter_comment(c, data, actor=part.registrar))
        else:
            out.append(cops.submit_comment(c, data, user=None)[0])
    group = cops.create_group(c, "关于罚款的意见", actor=part.registrar)
    cops.answer_group(group, "adopted", "", actor=part.registrar)
    open_group = cops.create_group(c, "尚未答复的一组", actor=part.registrar)
    for i, cm in enumerate(out):
        cops.set_moderation(cm, ("pending", "published", "hidden")[i % 3], actor=part.registrar)
        if i % 5 == 0:
            cops.answer_comment(cm, ("adopted", "partly", "not_adopted")[i % 3], "理由。", actor=part.registrar)
        if i % 4 == 2:
            cops.set_group(cm, group if i % 8 == 2 else open_group, actor=part.registrar)
    for i in (11, 13):
        cops.mark_duplicate(out[i], out[1].number, actor=part.registrar)
    db.session.commit()
    return c


def _expected(c, keep):
    from disclosure.participation.models import Comment

    rows = Comment.query.filter_by(consultation_id=c.id).order_by(Comment.id.desc()).all()
    return [cm.number for cm in rows if keep(cm)]


def _listed(client, c, query: str) -> tuple[list[str], int, str]:
    resp = client.get(f"/staff/participation/{c.id}/comments?{query}")
    assert resp.status_code == 200, query
    page = resp.get_data(as_text=True)
    numbers = re.findall(rf'href="/staff/participation/{c.id}/comments/\d+">([^<]+)</a>', page)
    total = int(re.search(r"<p>(\d+) comments?</p>", page).group(1))  # "1 comment", "2 comments"
    return numbers, total, page


def _unanswered(cm) -> bool:
    return cm.duplicate_of_id is None and not cm.result and not (cm.group is not None and cm.group.result)


FILTERS = [
    ("", lambda cm: True),
    ("moderation=pending", lambda cm: cm.moderation == "pending"),
    ("moderation=hidden", lambda cm: cm.moderation == "hidden"),
    ("article=3", lambda cm: cm.article == 3),
    ("article=0", lambda cm: cm.article == 0),
    ("channel=post", lambda cm: cm.channel == "post"),
    ("channel=online", lambda cm: cm.channel == "online"),
    ("answer=unanswered", _unanswered),
    ("answer=adopted", lambda cm: cm.result == "adopted"),
    ("answer=not_adopted", lambda cm: cm.result == "not_adopted"),
    ("answer=duplicate", lambda cm: cm.duplicate_of_id is not None),
    ("q=过渡期", lambda cm: "过渡期" in cm.body),
    ("q=罚款", lambda cm: "罚款" in cm.body),
    ("q=罚", lambda cm: "罚" in cm.body),
    ("q=建议设置过渡期", lambda cm: "建议设置过渡期" in cm.body),
    ("q=过渡期罚款", lambda cm: False),
    ("q=%25", lambda cm: False),
    ("q=_", lambda cm: False),
    (
        "q=过渡期&article=1&moderation=pending",
        lambda cm: "过渡期" in cm.body and cm.article == 1 and cm.moderation == "pending",
    ),
    (
        "answer=unanswered&channel=online&q=建议",
        lambda cm: _unanswered(cm) and cm.channel == "online" and "建议" in cm.body,
    ),
    ("moderation=bogus&article=x&answer=nothing&channel=fax1", lambda cm: True),
]


@pytest.mark.parametrize(("query", "keep"), FILTERS, ids=[q or "all" for q, _ in FILTERS])
def test_each_filter_lists_what_it_names_newest_first(listed, client, login, part, query, keep):
    from tests.participation.test_pages import _english

    login(client, part.registrar)
    _english(client)
    numbers, total, _page = _listed(client, listed, query)
    expected = _expected(listed, keep)
    assert numbers == expected[:50]
    assert total == len(expected)


def test_search_by_number_and_the_second_page(listed, client, login, part):
    from tests.participation.test_pages import _english

    login(client, part.registrar)
    _english(client)
    everything = _expected(listed, lambda cm: True)
    numbers, total, _ = _listed(client, listed, f"q={everything[10]}")
    assert (numbers, total) == ([everything[10]], 1)
    numbers, total, page = _listed(client, listed, "page=2")
    assert numbers == everything[50:] and total == 56
    assert "2 / 2" in page
    numbers, _total, _ = _listed(client, listed, "page=3")
    assert numbers == []


def test_rows_show_the_beginning_the_commenter_and_the_answer(listed, client, login, part):
    from disclosure.participation.models import Comment
    from tests.participation.test_pages import _english

    login(client, part.registrar)
    _english(client)
    page = _listed(client, listed, "")[2] + _listed(client, listed, "page=2")[2]
    long = Comment.query.filter(Comment.body.startswith("很长的意见")).one()
    row = page.split(f">{long.number}</a>", 1)[1].split("</tr>", 1)[0]
    assert ("很长的意见" * 60)[:297] + "..." in row and "很长的意见" * 61 not in row
    assert "评论人3" in row and "Online" in row
    in_group = Comment.query.filter_by(name="评论人2").one()
    row = page.split(f">{in_group.number}</a>", 1)[1].split("</tr>", 1)[0]
    assert "关于罚款的意见" in row and "Adopted" in row  # the group's answer
    posted = Comment.query.filter_by(name="评论人7").one()
    row = page.split(f">{posted.number}</a>", 1)[1].split("</tr>", 1)[0]
    assert "Post" in row and "Whole draft" not in row and "duplicate" not in row
    dup = Comment.query.filter_by(name="评论人13").one()
    row = page.split(f">{dup.number}</a>", 1)[1].split("</tr>", 1)[0]
    assert "duplicate" in row


def test_the_page_costs_the_same_statements_for_one_row_or_fifty(listed, client, login, part, app):
    """No query per row: groups, labels and the bodies' beginnings come with the page."""
    from sqlalchemy import event

    from disclosure.extensions import db
    from tests.participation.test_pages import _english

    login(client, part.registrar)
    _english(client)
    statements = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    _listed(client, listed, "")  # the session's first page loads more than a page
    event.listen(engine, "before_cursor_execute", count)
    try:
        sizes = []
        for query in ("", "answer=duplicate&article=5"):
            statements.clear()
            numbers, _total, _ = _listed(client, listed, query)
            sizes.append((len(numbers), len(statements)))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    (many, at_fifty), (few, at_few) = sizes
    assert many == 50 and few <= 1
    assert at_fifty == at_few, statements
