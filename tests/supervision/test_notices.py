"""Supervision notices (督办, 条例 Art. 47; issue 14 §3): issuing about an agency's current problems (the registry's
now, lower-is-better figures) and free-text matters, the items kept as issued, the gap-free numbers per issuing
agency and year, the workflow per role through the pages (answer with per-item answers and an attachment, reissue
with the rounds kept, close, withdraw), the emails read back from the SMTP server, the daily sweep (reminder the day
before, late mark), who sees what, every bad input beside its field with nothing saved, the figures, the workbench
panel and banner, and the demo data."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from tests.factories import MINI_PDF
from tests.supervision.conftest import in_english

D = dt.date
NEW = "/staff/supervision/notices/new"


def url(notice, tail: str = "") -> str:
    return f"/staff/supervision/notices/{notice.id}{tail}"


def today():
    from disclosure.core.timeutil import today_china

    return today_china()


# --- A controllable figure: the agency's "current problems" -------------------------------------------------------


class Problems:
    """A now, lower-is-better measure whose records the test sets: {agency id: [(reference, title), …]}."""

    key = "test.overdue"

    def __init__(self):
        self.records: dict[int, list[tuple[str, str]]] = {}

    def items(self, scope, limit, offset):
        from disclosure.supervision.measures import Item

        out = [
            Item(
                agency_id=a,
                reference=ref,
                title=title,
                on=D(2026, 1, 5),
                url=f"/staff/test/{ref}",
                note="逾期3个工作日",
            )
            for a in scope.agency_ids
            for ref, title in self.records.get(a, [])
        ]
        return out[offset:] if limit is None else out[offset : offset + limit]

    def count(self, scope):
        return {a: len(self.records[a]) for a in scope.agency_ids if self.records.get(a)}

    def token(self, ref: str) -> str:
        from disclosure.supervision.notices.problems import token

        title = next(t for records in self.records.values() for r, t in records if r == ref)
        return token(self.key, ref, title)


@pytest.fixture
def figures(app, monkeypatch):
    """The registry as these tests see it: the test figure, one that is not a problem (a count of the period), and
    the notices' own figures; whatever the other parts register is left out, so the lists are exactly known."""
    from disclosure.supervision.measures import REGISTRY, Measure

    fake = Problems()
    measures = {
        fake.key: Measure(
            key=fake.key,
            area="requests",
            label="Overdue requests (test)",
            count=fake.count,
            items=fake.items,
            now=True,
            lower_is_better=True,
        ),
        "test.received": Measure(
            key="test.received", area="requests", label="Received (test)", count=fake.count, items=fake.items
        ),
        **{k: m for k, m in REGISTRY.measures.items() if m.area == "notices"},
    }
    monkeypatch.setattr(REGISTRY, "measures", measures)
    return fake


def issue_form(agency, matters=(), other="", due=None, text="请于期限内整改并报送整改情况。"):
    return {
        "agency_id": str(agency.id),
        "matters": list(matters),
        "other": other,
        "due_on": (due or today() + dt.timedelta(days=10)).isoformat(),
        "text": text,
    }


def issue(tree, agency=None, *, on=None, due=None, other="栏目长期未更新", matters=()):
    from disclosure.supervision.notices import operations as ops

    on = on or today()
    return ops.issue_notice(
        tree.supervisor,
        {
            "agency_id": (agency or tree.bureau).id,
            "matters": list(matters),
            "other": other,
            "due_on": (due or on + dt.timedelta(days=10)).isoformat(),
            "text": "请于期限内整改。",
        },
        today=on,
    )


def reload(notice):
    from disclosure.extensions import db
    from disclosure.supervision.notices.models import Notice

    db.session.expire_all()
    return db.session.get(Notice, notice.id)


def notices():
    from sqlalchemy import select

    from disclosure.extensions import db
    from disclosure.supervision.notices.models import Notice

    db.session.expire_all()
    return list(db.session.execute(select(Notice).order_by(Notice.id)).scalars())


def delivered():
    from disclosure.core.outbox import deliver_due
    from disclosure.extensions import db

    db.session.commit()
    deliver_due()


def english(*users):
    from disclosure.extensions import db

    for user in users:
        user.locale = "en"
    db.session.commit()


# --- Issuing ------------------------------------------------------------------------------------------------------


def test_the_form_lists_the_agencys_current_problems_and_issues_a_numbered_notice(tree, figures, use, smtp_server):
    figures.records = {
        tree.bureau.id: [("2026-0007", "关于道路维修资金的申请"), ("2026-0009", "关于拆迁补偿的申请")],
        tree.bureau2.id: [("2026-0100", "民政局的申请")],
    }
    english(tree.head)
    client = use(tree.supervisor)
    page = client.get(f"{NEW}?agency={tree.bureau.id}").get_data(as_text=True)
    assert "Overdue requests (test) (2)" in page
    assert "关于道路维修资金的申请" in page and "民政局的申请" not in page
    assert "Received (test)" not in page  # a count of the period, not a current problem
    assert figures.token("2026-0007") in page

    resp = client.post(NEW, data=issue_form(tree.bureau, [figures.token("2026-0007")], other="指南未更新\n\n  "))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    (notice,) = notices()
    year = today().year
    assert notice.number == f"测试市政府办督〔{year}〕1号"
    assert (notice.state, notice.agency_id, notice.issuer_agency_id) == ("issued", tree.bureau.id, tree.office.id)
    assert [(i.kind, i.area, i.reference, i.title, i.url, i.note, i.on_date) for i in notice.items] == [
        (
            "test.overdue",
            "requests",
            "2026-0007",
            "关于道路维修资金的申请",
            "/staff/test/2026-0007",
            "逾期3个工作日",
            D(2026, 1, 5),
        ),
        ("other", "other", "", "指南未更新", "", "", None),
    ]
    assert [e.action for e in notice.audit_events()] == ["supervision_notice.issued"]

    # The items are kept as they were: the figure's record changes (or goes away), the notice does not.
    figures.records[tree.bureau.id] = [("2026-0007", "改了标题")]
    page = client.get(url(notice)).get_data(as_text=True)
    assert "关于道路维修资金的申请" in page and "改了标题" not in page
    assert "Overdue requests (test)" in page and "Other matter" in page

    (mail,) = smtp_server.messages
    assert mail["To"] == tree.head.email  # the office heads, not the administrator or the handler
    assert notice.number in mail["Subject"] and "answer due by" in mail["Subject"]
    body = mail.get_content()
    assert "has issued a supervision notice to your agency" in body
    assert "关于道路维修资金的申请" in body and "http://localhost/staff/test/2026-0007" in body
    assert f"http://localhost/staff/supervision/notices/{notice.id}" in body


def test_records_that_share_a_reference_stay_apart(tree, figures, app_ctx):
    from disclosure.supervision.notices import problems

    figures.records = {tree.bureau.id: [("", "首页两周未更新"), ("", "新媒体两周未更新")]}
    (group,) = problems.current_problems(tree.bureau.id, D(2026, 3, 2))
    tokens = [p.token for p in group.problems]
    assert len(set(tokens)) == 2 and tokens[0] == problems.token("test.overdue", "", "首页两周未更新")
    notice = issue(tree, on=D(2026, 3, 2), matters=[tokens[1]], other="")
    assert [i.title for i in notice.items] == ["新媒体两周未更新"]


def test_numbers_run_per_issuing_agency_and_year_without_gaps(tree, figures, make_staff, app_ctx):
    from disclosure.accounts.roles import Role
    from disclosure.core.errors import DomainError
    from disclosure.extensions import db

    first = issue(tree, on=D(2025, 12, 30))
    second = issue(tree, tree.bureau2, on=D(2025, 12, 31))
    with pytest.raises(DomainError):  # refused: takes no number
        issue(tree, on=D(2026, 1, 2), due=D(2026, 1, 1))
    db.session.rollback()
    third = issue(tree, on=D(2026, 1, 2))
    # Another issuing agency has its own series, with the prefix it keeps as agency data.
    tree.outsider.doc_number_prefixes = {**tree.outsider.doc_number_prefixes, "supervision": "另财督"}
    other = make_staff(tree.outsider, roles=[Role.SUPERVISOR])
    db.session.commit()
    from disclosure.supervision.notices import operations as ops

    fourth = ops.issue_notice(
        other,
        {"agency_id": tree.outsider.id, "other": "事项", "due_on": "2026-01-20", "text": "整改"},
        today=D(2026, 1, 3),
    )
    fifth = issue(tree, on=D(2026, 1, 3))
    assert [n.number for n in (first, second, third, fourth, fifth)] == [
        "测试市政府办督〔2025〕1号",
        "测试市政府办督〔2025〕2号",
        "测试市政府办督〔2026〕1号",
        "另财督〔2026〕1号",
        "测试市政府办督〔2026〕2号",
    ]


BAD_INPUT = [
    ({"matters": [], "other": ""}, "matters", "Choose at least one matter, or describe one under other matters."),
    ({"due_on": ""}, "due_on", "Enter the date the answer is due."),
    ({"due_on": "31/12/2026"}, "due_on", "Enter the due date as YYYY-MM-DD."),
    ({"due_on": "today"}, "due_on", "The due date must be after today"),
    ({"due_on": "past"}, "due_on", "The due date must be after today"),
    ({"due_on": "far"}, "due_on", "The due date may be at most a year away."),
    ({"text": "   "}, "text", "Write what the agency must do."),
    ({"agency_id": ""}, "agency_id", "Choose the agency the notice goes to."),
    ({"agency_id": "987654"}, "agency_id", "There is no such agency."),
    ({"agency_id": "9223372036854775808"}, "agency_id", "There is no such agency."),
    ({"agency_id": "outsider"}, "agency_id", "You do not supervise 另一市财政局."),
    ({"matters": ["test.overdue|gone"]}, "matters", "1 of the chosen matters are no longer among"),
    ({"other": "x" * 1001}, "other", "Each other matter may be at most 1,000 characters long."),
]


def test_bad_input_is_named_beside_its_field_and_nothing_is_saved(tree, figures, use):
    from disclosure.core import numbering

    figures.records = {tree.bureau.id: [("2026-0007", "关于道路维修资金的申请")]}
    client = use(tree.supervisor)
    day = today()
    special = {"today": day, "past": day - dt.timedelta(days=3), "far": day + dt.timedelta(days=400)}
    for change, field, message in BAD_INPUT:
        data = issue_form(tree.bureau, [figures.token("2026-0007")], other="指南未更新", text="整改要求原文")
        data.update(change)
        if data["due_on"] in special:
            data["due_on"] = special[data["due_on"]].isoformat()
        if data["agency_id"] == "outsider":
            data["agency_id"] = str(tree.outsider.id)
        resp = client.post(NEW, data=data)
        assert resp.status_code == 422, change
        page = resp.get_data(as_text=True)
        # beside its field: the field's own error paragraph (the matters' fieldset for the chosen items)
        assert re.search(rf'id="{field}-error">[^<]*{re.escape(message[:20])}', page), change
        assert "整改要求原文" in page or field == "text", change  # what was typed is kept
    assert notices() == [] and numbering.current_value("supervision_notice", tree.office.id, day.year) == 0


def test_every_problem_at_once(tree, figures, use):
    resp = use(tree.supervisor).post(
        NEW, data={"agency_id": str(tree.bureau.id), "matters": [], "other": "", "due_on": "", "text": ""}
    )
    page = resp.get_data(as_text=True)
    for message in (
        "Choose at least one matter, or describe one under other matters.",
        "Enter the date the answer is due.",
        "Write what the agency must do.",
    ):
        assert message in page
    assert notices() == []


def test_choosing_an_agency_shows_precise_messages(tree, figures, use):
    client = use(tree.supervisor)
    page = client.get(f"{NEW}?agency={tree.outsider.id}").get_data(as_text=True)
    assert "You do not supervise 另一市财政局." in page
    assert "There is no such agency." in client.get(f"{NEW}?agency=abc").get_data(as_text=True)
    page = client.get(NEW).get_data(as_text=True)
    assert "测试市教育局" in page and "另一市财政局" not in page  # only the agencies supervised are offered


def test_the_real_registry_feeds_the_form(tree, use):
    """Whatever the other parts register: the form lists only now, lower-is-better figures outside the notices'
    own, and a notice can be issued from it (or from a free-text matter when nothing is counted)."""
    from flask import current_app

    from disclosure.supervision.notices import problems

    with current_app.test_request_context("/"):  # as the form's page lists them
        groups = problems.current_problems(tree.bureau.id, today())
    assert all(g.measure.now and g.measure.lower_is_better and g.measure.area != "notices" for g in groups)
    client = use(tree.supervisor)  # reading English: the records are listed, and kept, in Chinese all the same
    page = client.get(f"{NEW}?agency={tree.bureau.id}").get_data(as_text=True)
    tokens = re.findall(r'name="matters" id="[^"]+" value="([^"]+)"', page)[:2]
    assert tokens == [p.token for g in groups for p in g.problems][:2]
    resp = client.post(NEW, data=issue_form(tree.bureau, tokens, other="" if tokens else "其他事项"))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    (notice,) = notices()
    assert len(notice.items) == (len(tokens) or 1)


# --- The workflow through the pages --------------------------------------------------------------------------------


def test_answer_reissue_answer_close_with_emails_and_history(tree, figures, use, smtp_server):
    figures.records = {tree.bureau.id: [("2026-0007", "关于道路维修资金的申请"), ("2026-0009", "关于拆迁补偿的申请")]}
    english(tree.head, tree.supervisor)
    client = use(tree.supervisor)
    client.post(NEW, data=issue_form(tree.bureau, [figures.token("2026-0007"), figures.token("2026-0009")]))
    (notice,) = notices()
    first, second = notice.items
    smtp_server.clear()

    # The office head answers, per item and overall, with an attachment judged by its content.
    client = use(tree.head)
    page = client.get(url(notice)).get_data(as_text=True)
    assert "Send the answer" in page and "Close the notice" not in page
    resp = client.post(
        url(notice, "/answer"),
        data={
            "version": str(notice.version),
            "answer": "已逐项整改。",
            f"item-{first.id}": "已答复申请人。",
            f"item-{second.id}": "",
            "attachment": (io.BytesIO(MINI_PDF), "整改报告.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    notice = reload(notice)
    r1 = notice.rounds[0]
    assert notice.state == "answered" and r1.answer_text == "已逐项整改。"
    assert r1.item_answers == {str(first.id): "已答复申请人。"} and r1.attachment_name == "整改报告.pdf"
    assert r1.answered_by_id == tree.head.id and r1.answered_on == today() and not r1.answered_late
    download = client.get(url(notice, "/rounds/1/attachment"))
    assert download.status_code == 200 and download.data == MINI_PDF
    (mail,) = smtp_server.messages
    assert mail["To"] == tree.supervisor.email and notice.number in mail["Subject"]
    assert "answered on" in mail.get_content() and "已逐项整改。" in mail.get_content()
    smtp_server.clear()

    # The supervisor reissues: a new round with its comment and due date; the first round stays.
    client = use(tree.supervisor)
    page = client.get(url(notice)).get_data(as_text=True)
    assert "Close the notice" in page and "Reissue with a new due date" in page and "Withdraw" not in page
    new_due = today() + dt.timedelta(days=7)
    resp = client.post(
        url(notice, "/reissue"),
        data={
            "reissue-version": str(notice.version),
            "reissue-comment": "第2项仍未整改。",
            "reissue-due_on": new_due.isoformat(),
        },
    )
    assert resp.status_code == 302
    notice = reload(notice)
    assert (notice.state, notice.round_number, notice.due_on) == ("issued", 2, new_due)
    assert [r.number for r in notice.rounds] == [1, 2] and notice.rounds[0].answer_text == "已逐项整改。"
    assert notice.rounds[1].instruction == "第2项仍未整改。"
    (mail,) = smtp_server.messages
    assert mail["To"] == tree.head.email and "reissued" in mail["Subject"]
    assert "第2项仍未整改。" in mail.get_content()
    smtp_server.clear()

    # The agency administrator may answer too.
    client = use(tree.admin)
    resp = client.post(url(notice, "/answer"), data={"version": str(notice.version), f"item-{second.id}": "已补偿。"})
    assert resp.status_code == 302
    notice = reload(notice)
    assert notice.state == "answered" and notice.rounds[1].item_answers == {str(second.id): "已补偿。"}
    smtp_server.clear()

    client = use(tree.supervisor)
    resp = client.post(url(notice, "/close"), data={"close-version": str(notice.version), "close-comment": "办结。"})
    assert resp.status_code == 302
    notice = reload(notice)
    assert (notice.state, notice.closed_on, notice.closed_by_id) == ("closed", today(), tree.supervisor.id)
    (mail,) = smtp_server.messages
    assert mail["To"] == tree.head.email and "is closed" in mail["Subject"] and "办结。" in mail.get_content()
    assert [e.action for e in notice.audit_events()] == [
        "supervision_notice.issued",
        "supervision_notice.answered",
        "supervision_notice.reissued",
        "supervision_notice.answered",
        "supervision_notice.closed",
    ]
    page = client.get(url(notice)).get_data(as_text=True)
    assert "Round 2" in page and "第2项仍未整改。" in page and "Supervision notice closed" in page
    assert "Send the answer" not in page and "Close the notice" not in page


def test_withdraw_before_the_answer_only_and_with_a_reason(tree, figures, use, smtp_server):
    english(tree.head)
    notice = issue(tree)
    delivered()
    smtp_server.clear()
    client = use(tree.supervisor)
    resp = client.post(url(notice, "/withdraw"), data={"withdraw-version": str(notice.version), "withdraw-reason": " "})
    assert resp.status_code == 422
    assert re.search(r'id="withdraw-reason-error">Say why the notice is withdrawn\.', resp.get_data(as_text=True))
    assert reload(notice).state == "issued"
    resp = client.post(
        url(notice, "/withdraw"), data={"withdraw-version": str(notice.version), "withdraw-reason": "已另行部署。"}
    )
    assert resp.status_code == 302
    notice = reload(notice)
    assert (notice.state, notice.withdrawn_on) == ("withdrawn", today())
    (mail,) = smtp_server.messages
    assert mail["To"] == tree.head.email and "withdrawn" in mail["Subject"] and "已另行部署。" in mail.get_content()

    answered = issue(tree)
    use(tree.head).post(url(answered, "/answer"), data={"version": str(answered.version), "answer": "已整改。"})
    answered = reload(answered)
    resp = use(tree.supervisor).post(
        url(answered, "/withdraw"), data={"withdraw-version": str(answered.version), "withdraw-reason": "撤回"}
    )
    assert resp.status_code == 422
    assert "This notice cannot do that in its present state." in resp.get_data(as_text=True)
    assert reload(answered).state == "answered"


def test_refused_steps_change_nothing(tree, figures, use):
    notice = issue(tree)
    client = use(tree.head)
    # no answer at all
    resp = client.post(url(notice, "/answer"), data={"version": str(notice.version), "answer": "  "})
    assert resp.status_code == 422
    assert re.search(
        r'id="answer-error">Write what was done, overall or for at least one item\.', resp.get_data(as_text=True)
    )
    # a disguised file: named .pdf, not a PDF
    resp = client.post(
        url(notice, "/answer"),
        data={
            "version": str(notice.version),
            "answer": "已整改。",
            "attachment": (io.BytesIO(b"MZ\x90 exe"), "报告.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422 and 'id="attachment-error"' in resp.get_data(as_text=True)
    assert "已整改。" in resp.get_data(as_text=True)  # what was typed is kept
    # a stale page: someone acted since
    resp = client.post(url(notice, "/answer"), data={"version": str(notice.version + 5), "answer": "已整改。"})
    assert "Someone else acted on this notice" in resp.get_data(as_text=True)
    notice = reload(notice)
    assert notice.state == "issued" and notice.rounds[0].answered_on is None
    assert [e.action for e in notice.audit_events()] == ["supervision_notice.issued"]

    use(tree.head).post(url(notice, "/answer"), data={"version": str(notice.version), "answer": "已整改。"})
    notice = reload(notice)
    client = use(tree.supervisor)
    for data, field, message in (
        (
            {"reissue-comment": "", "reissue-due_on": (today() + dt.timedelta(days=3)).isoformat()},
            "comment",
            "Say what is still to be done.",
        ),
        (
            {"reissue-comment": "继续", "reissue-due_on": today().isoformat()},
            "due_on",
            "The due date must be after today",
        ),
        ({"reissue-comment": "继续", "reissue-due_on": "2026-02-30"}, "due_on", "Enter the due date as YYYY-MM-DD."),
    ):
        resp = client.post(url(notice, "/reissue"), data={"reissue-version": str(notice.version), **data})
        assert resp.status_code == 422
        assert re.search(rf'id="reissue-{field}-error">{re.escape(message)}', resp.get_data(as_text=True))
    notice = reload(notice)
    assert (notice.state, notice.round_number) == ("answered", 1)


# --- Who sees and does what ----------------------------------------------------------------------------------------


def test_access_per_role(tree, figures, use, make_staff):
    from disclosure.accounts.roles import Role

    notice = issue(tree)
    other = issue(tree, tree.bureau2)
    # The issuing side and the agency see it; the other bureau, the outsider and a handler do not.
    assert use(tree.supervisor).get(url(notice)).status_code == 200
    assert use(tree.head).get(url(notice)).status_code == 200
    assert use(tree.admin).get(url(notice)).status_code == 200
    assert use(tree.head2).get(url(notice)).status_code == 404
    assert use(tree.outsider_head).get(url(notice)).status_code == 404
    assert use(tree.handler).get(url(notice)).status_code == 403
    outsider_supervisor = make_staff(tree.outsider, roles=[Role.SUPERVISOR])
    assert use(outsider_supervisor).get(url(notice)).status_code == 404
    # A supervisor of a bureau (under the office) did not issue it: not theirs to see.
    bureau_supervisor = make_staff(tree.bureau, roles=[Role.SUPERVISOR])
    assert use(bureau_supervisor).get(url(notice)).status_code == 404
    assert (
        "测试"
        not in use(bureau_supervisor)
        .get("/staff/supervision/notices/")
        .get_data(as_text=True)
        .split("<tbody>")[1]
        .split("</tbody>")[0]
    )
    # Steps by the wrong side: the policy refuses, or the notice is not theirs.
    assert use(tree.head).post(url(notice, "/close"), data={}).status_code == 403
    assert use(tree.supervisor).post(url(notice, "/answer"), data={"answer": "x"}).status_code == 403
    assert use(tree.head2).post(url(notice, "/answer"), data={"answer": "x"}).status_code == 404
    assert use(tree.outsider_head).get(url(notice, "/rounds/1/attachment")).status_code == 404
    assert use(tree.supervisor).get("/staff/supervision/notices/2147483648").status_code == 404
    assert reload(notice).state == "issued"
    # The lists: the supervisor's issued, each agency's received.
    page = use(tree.supervisor).get("/staff/supervision/notices/").get_data(as_text=True)
    assert notice.number in page and other.number in page
    page = use(tree.head).get("/staff/supervision/notices/received").get_data(as_text=True)
    assert notice.number in page and other.number not in page
    assert use(tree.head).get("/staff/supervision/notices/").status_code == 403
    assert use(tree.supervisor).get("/staff/supervision/notices/received").status_code == 403
    assert use(tree.head2).get(url(other)).status_code == 200


def test_the_supervisors_list_filters(tree, figures, use):
    late = issue(tree, on=today() - dt.timedelta(days=20), due=today() - dt.timedelta(days=2))
    fresh = issue(tree, tree.bureau2)
    client = use(tree.supervisor)

    def listed(query: str) -> set[str]:
        page = client.get(f"/staff/supervision/notices/?{query}").get_data(as_text=True)
        return {n.number for n in (late, fresh) if n.number in page}

    assert listed("") == {late.number, fresh.number}
    assert listed(f"agency={tree.bureau2.id}") == {fresh.number}
    assert listed("late=1") == {late.number}
    assert listed("state=answered") == set()
    page = client.get(f"/staff/supervision/notices/?agency={tree.outsider.id}&state=nonsense").get_data(as_text=True)
    assert "Choose one of the agencies you supervise." in page and "Choose one of the states listed." in page
    assert "Late" in client.get(url(late)).get_data(as_text=True)


# --- The daily sweep -------------------------------------------------------------------------------------------------


def test_the_sweep_reminds_the_day_before_and_marks_late_once(tree, figures, app_ctx, smtp_server):
    from disclosure.supervision.notices import operations as ops
    from disclosure.supervision.notices import sweep

    english(tree.head, tree.supervisor)
    notice = issue(tree, on=D(2026, 3, 2), due=D(2026, 3, 10))
    delivered()
    smtp_server.clear()
    assert sweep.run(D(2026, 3, 8)) == {"reminded": 0, "marked_late": 0, "emails": 0}
    assert sweep.run(D(2026, 3, 9)) == {"reminded": 1, "marked_late": 0, "emails": 1}
    assert sweep.run(D(2026, 3, 9))["reminded"] == 0 and sweep.run(D(2026, 3, 10))["reminded"] == 0
    delivered()
    (mail,) = smtp_server.messages
    assert mail["To"] == tree.head.email and "the answer is due on 2026-03-10" in mail["Subject"]
    smtp_server.clear()
    assert sweep.run(D(2026, 3, 11)) == {"reminded": 0, "marked_late": 1, "emails": 2}
    assert sweep.run(D(2026, 3, 12))["marked_late"] == 0
    delivered()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted([tree.head.email, tree.supervisor.email])
    assert all("is late" in m["Subject"] for m in smtp_server.messages)
    notice = reload(notice)
    assert notice.state == "issued" and notice.rounds[0].late and notice.rounds[0].reminded
    assert [e.action for e in notice.audit_events()][1:] == ["supervision_notice.reminded", "supervision_notice.late"]
    assert notice.audit_events()[-1].actor_label == "system"

    # Answered late, then reissued: the new round starts unmarked and is swept again.
    ops.answer_notice(notice, tree.head, {"answer": "已整改。"}, today=D(2026, 3, 13))
    assert notice.rounds[0].answered_late
    assert sweep.run(D(2026, 3, 20)) == {"reminded": 0, "marked_late": 0, "emails": 0}  # answered: nothing to do
    ops.reissue_notice(notice, tree.supervisor, "继续整改。", "2026-03-25", today=D(2026, 3, 20))
    assert (notice.rounds[1].late, notice.rounds[1].reminded) == (False, False)
    assert sweep.run(D(2026, 3, 26), send_emails=False) == {"reminded": 0, "marked_late": 1, "emails": 0}


def test_the_sweep_command(tree, figures, runner, app_ctx):
    issue(tree, on=D(2026, 3, 2), due=D(2026, 3, 10))
    from disclosure.extensions import db

    db.session.commit()
    result = runner.invoke(args=["supervision-notices", "sweep", "--date", "2026-03-11", "--no-email"])
    assert result.exit_code == 0 and "marked_late: 1" in result.output
    assert runner.invoke(args=["supervision-notices", "sweep", "--date", "11/03"]).exit_code != 0


# --- Figures, workbench, banner --------------------------------------------------------------------------------------


def test_the_figures_count_what_they_list(tree, app_ctx):
    from flask_babel import force_locale

    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY, Scope
    from tests.supervision.builders.notices import build

    day = D(2026, 5, 15)
    build(tree, day)
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id, tree.outsider.id)

    def scope_of(period):
        return Scope(ids, period, day)

    def figure(key, period):
        m = REGISTRY.measures[key]
        scope = scope_of(period)
        counts = m.count(scope)
        listed = m.items(scope, None, 0)
        assert sum(counts.values()) == len(listed)
        for a in ids:
            assert counts.get(a, 0) == len(m.items(scope.only(a), None, 0))
        assert m.items(scope, 2, 1) == listed[1:3]
        return counts, listed

    year = periods.year(2026)
    counts, listed = figure("notices.open", year)
    # bureau: answered on time (waiting for the supervisor), late and open, open; bureau2: reissued and answered, late
    assert counts == {tree.bureau.id: 3, tree.bureau2.id: 2}
    counts, listed = figure("notices.late", year)
    assert counts == {tree.bureau.id: 1, tree.bureau2.id: 1}
    assert all(i.url.startswith("/staff/supervision/notices/") for i in listed)
    with force_locale("en"):  # a note is in the interface language (Chinese by default)
        assert all(
            "past the due date" in i.note for i in REGISTRY.measures["notices.late"].items(scope_of(year), None, 0)
        )
    counts, listed = figure("notices.answered_late", year)
    assert counts == {tree.bureau.id: 1}  # answered 25 days before the day, in April
    counts, _listed = figure("notices.answered_late", periods.month(2026, 4))
    assert counts == {tree.bureau.id: 1}
    # bureau2 in 2025: one notice answered late, and one answered late in two rounds (November, December): once
    counts, _listed = figure("notices.answered_late", periods.year(2025))
    assert counts == {tree.bureau2.id: 2}
    counts, listed = figure("notices.answered_late", periods.quarter(2025, 4))
    assert counts == {tree.bureau2.id: 1} and listed[0].on == D(2025, 12, 19)
    assert REGISTRY.measures["notices.late"].now and not REGISTRY.measures["notices.answered_late"].now


def test_workbench_panel_and_late_banner(tree, figures, use):
    issue(tree, on=today() - dt.timedelta(days=20), due=today() - dt.timedelta(days=1))
    issue(tree)
    page = use(tree.head).get("/staff/").get_data(as_text=True)
    assert "Supervision notices" in page
    assert re.search(r"Notices to answer</a>: <strong>2</strong>", page)
    assert re.search(r"Notices to answer, past their due date</a>: <strong>1</strong>", page)
    assert "1 supervision notice to your agency is past its due date without an answer." in page
    page = use(tree.supervisor).get("/staff/").get_data(as_text=True)
    assert re.search(r"Notices issued, not answered by their due date</a>: <strong>1</strong>", page)
    assert "past its due date without an answer" not in page
    page = use(tree.head2).get("/staff/").get_data(as_text=True)
    assert re.search(r"Notices to answer</a>: <strong>0</strong>", page) and "past its due date" not in page
    assert "Supervision notices" not in use(tree.handler).get("/staff/").get_data(as_text=True)


def test_words_in_english(tree, app_ctx):
    from disclosure.supervision.notices.forms import ACTION_WORDS, STATE_LABELS

    assert in_english(STATE_LABELS["issued"]) == "Waiting for the agency's answer"
    assert in_english(ACTION_WORDS["supervision_notice.late"]) == "Marked late: not answered by its due date"


# --- Demo ------------------------------------------------------------------------------------------------------------


def test_demo_notices_are_entered_once(make_agency, make_staff, app_ctx):
    from disclosure.accounts.roles import Role
    from disclosure.extensions import db
    from disclosure.supervision.notices import demo

    gov = make_agency(slug="demo-gov", full_name="示例市人民政府办公室", short_name="示例市政府办")
    finance = make_agency(slug="demo-finance", full_name="示例市财政局", short_name="示例市财政局")
    finance.parent_id = gov.id
    db.session.commit()
    make_staff(gov, roles=[Role.SUPERVISOR], email="supervisor@demo-gov.example.cn")
    make_staff(finance, roles=[Role.OFFICE_HEAD], email="office-head@demo-finance.example.cn")
    objects = {"agencies": [gov, finance]}
    demo.load(objects, today=D(2026, 3, 2))
    db.session.commit()
    first = notices()
    assert [(n.number, n.state) for n in first] == [
        ("示例市政府办督〔2026〕1号", "closed"),
        ("示例市政府办督〔2026〕2号", "issued"),
    ]
    assert first[0].rounds[0].answer_text and first[1].items
    demo.load(objects, today=D(2026, 3, 2))
    db.session.commit()
    assert len(notices()) == 2


# --- Hostile input on real notices -----------------------------------------------------------------------------------

# Percent-encoded as a browser or an attacker sends them (tests/hostile/walk.py walks placeholders; this
# walks real notices in every state, and the forms on their pages, one field at a time).
HOSTILE = ["9223372036854775808", "%09", "1e309", "%ED%A0%80", "%25_%25", "-1", "x" * 300, ""]


def test_real_notices_and_their_forms_answer_hostile_input_without_a_server_error(tree, figures, use):
    from urllib.parse import quote_plus

    from tests.hostile.walk import _Forms

    figures.records = {tree.bureau.id: [("2026-0007", "关于道路维修资金的申请")]}
    issued = issue(tree, matters=[figures.token("2026-0007")])
    answered = issue(tree)
    from disclosure.supervision.notices import operations as ops

    ops.answer_notice(answered, tree.head, {"answer": "已整改。"})
    late = issue(tree, on=today() - dt.timedelta(days=30), due=today() - dt.timedelta(days=3))
    problems = []

    def check(client, method, target, body=None):
        kw = {"data": body, "content_type": "application/x-www-form-urlencoded"} if body is not None else {}
        with client.open(target, method=method, **kw) as resp:
            if resp.status_code >= 500:
                problems.append(f"{method} {target} {body}: {resp.status_code}")

    for who in (tree.supervisor, tree.head):
        client = use(who)
        pages = [url(n) for n in (issued, answered, late)] + [
            f"{NEW}?agency={tree.bureau.id}",
            "/staff/supervision/notices/",
            "/staff/supervision/notices/received",
        ]
        for page in pages:
            with client.open(page) as resp:
                if resp.status_code != 200:
                    continue
                parser = _Forms()
                parser.feed(resp.get_data(as_text=True))
            for action, fields in parser.forms:
                for name, _value in fields:
                    for value in HOSTILE:
                        body = "&".join(f"{quote_plus(n)}={value if n == name else quote_plus(v)}" for n, v in fields)
                        check(client, "POST", action, body)
            for value in HOSTILE:
                for param in ("agency", "state", "late", "page"):
                    check(client, "GET", f"{page}{'&' if '?' in page else '?'}{param}={value}")
        for value in ("9223372036854775807", "2147483648", "0"):
            check(client, "GET", f"/staff/supervision/notices/{value}")
            check(client, "GET", f"/staff/supervision/notices/{issued.id}/rounds/{value}/attachment")
            check(client, "POST", f"/staff/supervision/notices/{value}/answer", "answer=x")
    assert not problems, "\n".join(problems[:50])


def test_the_daily_job_runs_the_sweep_and_commits(tree, figures, app_ctx, smtp_server):
    from disclosure.supervision.notices import tasks

    english(tree.head)
    notice = issue(tree, due=today() + dt.timedelta(days=1))
    delivered()
    smtp_server.clear()
    stats = tasks.daily_notice_sweep.call_local()
    assert stats == {"reminded": 1, "marked_late": 0, "emails": 1}
    assert reload(notice).rounds[0].reminded
    delivered()
    assert [m["To"] for m in smtp_server.messages] == [tree.head.email]
