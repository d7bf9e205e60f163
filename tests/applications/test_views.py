"""The pages: applicant filing and tracking, staff registration, queues, the case page and its actions."""

from __future__ import annotations

import io
import re

import pytest

from disclosure.applications.models import Application
from disclosure.extensions import db
from tests.factories import MINI_PDF, filing_form
from workflows.application import States


def _case(ref=None):
    db.session.expire_all()
    q = db.select(Application).order_by(Application.id.desc())
    if ref:
        q = q.where(Application.reference == ref)
    return db.session.execute(q).scalars().first()


def _post(client, case, action, **data):
    resp = client.post(f"/staff/applications/{case.id}/act/{action}", data={"version": case.version, **data})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return resp


def test_citizen_files_drafts_and_submits(world, client, login):
    login(client, world.citizen)
    page = client.get("/my/applications/new")
    assert page.status_code == 200 and "item_1_description" in page.get_data(as_text=True)
    resp = client.post("/my/applications/new", data=filing_form(world.agency, action="draft"))
    assert resp.status_code == 302 and "/drafts/" in resp.headers["Location"]
    draft = _case()
    assert draft.state == States.DRAFT and draft.reference is None
    resp = client.post(
        f"/my/applications/drafts/{draft.id}",
        data=filing_form(world.agency, action="submit", version=draft.version),
    )
    assert resp.status_code == 302
    app = _case()
    assert app.state == States.SUBMITTED and app.reference
    detail = client.get(f"/my/applications/{app.reference}")
    assert app.reference in detail.get_data(as_text=True)


def test_invalid_id_number_refused_with_message(world, client, login):
    login(client, world.citizen)
    resp = client.post(
        "/my/applications/new", data=filing_form(world.agency, action="submit", doc_number="110105194912310021")
    )
    assert resp.status_code == 422
    assert db.session.execute(db.select(db.func.count(Application.id))).scalar_one() == 0


def test_other_applicant_cannot_see_case(world, client, login, make_applicant, filed):
    login(client, make_applicant())
    assert client.get(f"/my/applications/{filed.reference}").status_code == 404


def test_staff_registers_and_case_moves_through_pages(world, client, login):
    login(client, world.registrar)
    form = filing_form(world.agency, channel="in_person", received_date="2026-11-20", evidence="")
    resp = client.post("/staff/applications/register", data=form)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:1000]
    case = _case()
    assert case.state == States.REGISTERED and case.channel == "in_person"
    page = client.get(f"/staff/applications/{case.id}").get_data(as_text=True)
    assert "Art. 31(1)" in page or "第三十一条" in page or "31" in page
    assert 'id="act-assign"' in page and 'id="act-start_handling"' not in page
    _post(client, case, "assign", department_id=world.department.id, handler_id=world.handler.id)
    assert _case().state == States.ASSIGNED
    # Stale version: the second person gets a clear message, nothing is overwritten.
    client.post("/logout")
    login(client, world.handler)
    resp = client.post(f"/staff/applications/{case.id}/act/start_handling", data={"version": 1})
    assert resp.status_code == 302 and _case().state == States.ASSIGNED
    _post(client, _case(), "start_handling")
    assert _case().state == States.IN_HANDLING
    listing = client.get("/staff/applications/?queue=to_handle").get_data(as_text=True)
    assert case.reference in listing
    search = client.get(f"/staff/applications/?queue=all&q={case.reference}").get_data(as_text=True)
    assert case.reference in search


def test_case_page_hides_other_agencies(world, client, login, make_agency, make_staff, filed):
    from disclosure.accounts.roles import Role

    outsider = make_staff(make_agency(), [Role.REGISTRAR])
    login(client, outsider)
    assert client.get(f"/staff/applications/{filed.id}").status_code == 404


@pytest.mark.slow
def test_handler_decides_and_reviews_issue_letter(world, client, login, filed):
    from tests.factories import to_in_handling

    to_in_handling(world, filed)
    db.session.commit()
    login(client, world.handler)
    case = _case(filed.reference)
    first, second = case.items
    _post(
        client,
        case,
        "decide_item",
        prefix=f"item{first.id}",
        **{
            f"item{first.id}-item_id": first.id,
            f"item{first.id}-outcome": "granted",
            f"item{first.id}-version": case.version,
        },
    )
    case = _case(filed.reference)
    _post(
        client,
        case,
        "decide_item",
        prefix=f"item{second.id}",
        **{
            f"item{second.id}-item_id": second.id,
            f"item{second.id}-outcome": "partial",
            f"item{second.id}-withheld_parts": "报价明细",
            f"item{second.id}-withheld_outcome": "deny_third_party",
            f"item{second.id}-reasons": "涉及商业秘密",
            f"item{second.id}-version": case.version,
        },
    )
    case = _case(filed.reference)
    assert [i.outcome for i in case.items] == ["granted", "partial"]
    # Art. 37: a partial disclosure cannot go forward without its redacted version
    _post(client, case, "draft_reply")
    assert _case(filed.reference).state == States.IN_HANDLING
    flashed = client.get(f"/staff/applications/{case.id}").get_data(as_text=True)
    assert "Art. 37" in flashed or "第三十七条" in flashed or "删除" in flashed or "redacted" in flashed
    case = _case(filed.reference)
    resp = client.post(
        f"/staff/applications/{case.id}/act/attach",
        data={
            "version": case.version,
            "purpose": "redacted",
            "title": "招标文件（删除处理后）",
            "file": (io.BytesIO(MINI_PDF), "scan-0042.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    case = _case(filed.reference)
    assert [(a.purpose, a.title) for a in case.attachments if a.purpose == "redacted"] == [
        ("redacted", "招标文件（删除处理后）")
    ]
    _post(client, case, "draft_reply")
    _post(client, _case(filed.reference), "submit_for_review")
    client.post("/logout")
    login(client, world.head)
    # the office head reviews the exact PDF that will be issued (issue 4)
    case = _case(filed.reference)
    assert f"/staff/applications/{case.id}/reply/draft.pdf" in client.get(f"/staff/applications/{case.id}").get_data(
        as_text=True
    )
    draft = client.get(f"/staff/applications/{case.id}/reply/draft.pdf")
    assert draft.status_code == 200 and draft.data.startswith(b"%PDF")
    assert client.get(f"/staff/applications/{case.id}/reply/preview").status_code == 200
    _post(client, _case(filed.reference), "office_review", decision="approve")
    client.post("/logout")
    login(client, world.legal)
    _post(client, _case(filed.reference), "legal_review", decision="approve")
    client.post("/logout")
    login(client, world.registrar)
    _post(client, _case(filed.reference), "issue")
    case = _case(filed.reference)
    assert case.state == States.ISSUED
    # a closed case no longer shows a running clock, but when it was answered and whether on time
    staff_page = client.get(f"/staff/applications/{case.id}").get_data(as_text=True)
    assert "已于" in staff_page and "答复" in staff_page and "按期" in staff_page
    assert "第二十三条" in staff_page  # a partial refusal: reconsideration first (复议法 Art. 23)
    assert "个工作日" not in staff_page.split('id="deadline-h"')[1].split("</p>")[0]
    client.post("/logout")
    login(client, world.citizen)
    detail = client.get(f"/my/applications/{case.reference}").get_data(as_text=True)
    assert "按期" in detail and "未计算期限" not in detail
    m = re.search(r'/letters/(\d+)"', detail)
    pdf = client.get(f"/my/applications/{case.reference}/letters/{m.group(1)}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # the same letter through the generic applicant route
    assert client.get(f"/my/letters/{m.group(1)}.pdf").data == pdf.data


def test_office_head_edits_settings(world, client, login):
    from disclosure.applications.operations import settings_for

    login(client, world.head)
    assert client.get("/staff/applications/settings").status_code == 200
    resp = client.post(
        "/staff/applications/settings",
        data={
            "due_soon_days": 3,
            "candidate_threshold": 3,
            "supplement_days": 10,
            "fee_payment_instructions": "请至财务室缴纳",
            "version": settings_for(world.agency.id).version,
        },
    )
    assert resp.status_code == 302
    db.session.expire_all()
    s = settings_for(world.agency.id)
    assert (s.due_soon_days, s.fee_wait_pauses_clock, s.supplement_days) == (3, False, 10)
    client.post("/logout")
    login(client, world.handler)
    assert client.get("/staff/applications/settings").status_code == 403


def test_workbench_count_stops_ten_pages_ahead(world, client, login, monkeypatch):
    """The list counts at most COUNT_PAGES_AHEAD pages past the current one and says "more than" beyond."""
    from disclosure.applications import operations as ops
    from disclosure.applications import queries
    from tests.factories import application_input

    for _ in range(4):
        ops.confirm(ops.file_online(world.citizen, world.agency, application_input()), world.registrar)
    db.session.commit()
    monkeypatch.setattr(queries, "COUNT_PAGES_AHEAD", 2)
    first = queries.list_page(world.agency.id, queries.Filters(queue="all"), page=1, per_page=1)
    assert (first.total, first.more, len(first.items), first.has_next) == (3, True, 1, True)
    last = queries.list_page(world.agency.id, queries.Filters(queue="all"), page=3, per_page=1)
    assert (last.total, last.more, last.pages, last.has_next) == (4, False, 4, True)
    login(client, world.head)
    html = client.get("/staff/applications/?queue=all").get_data(as_text=True)
    assert "4 件" in html or "4 cases" in html or "共4" in html or "4" in html


def test_registrar_corrects_applicant_details_on_the_case_page(world, client, login, filed):
    login(client, world.registrar)
    page = client.get(f"/staff/applications/{filed.id}").get_data(as_text=True)
    assert 'id="act-correct_applicant"' in page and "11010519491231002X" not in page
    resp = client.post(
        f"/staff/applications/{filed.id}/act/correct_applicant",
        data={
            "version": filed.version,
            "applicant_name": "张山",
            "doc_type": "resident_id",
            "doc_number": "",
            "contact_person": "",
            "phone": "13800000000",
            "email": "zhangsan@example.cn",
            "postal_address": "测试市幸福路1号",
            "postal_code": "",
            "delivery_channel": "email",
            "reason": "申请人来电更正姓名",
        },
    )
    assert resp.status_code == 302
    case = _case(filed.reference)
    assert case.applicant_name == "张山" and case.doc_number == "11010519491231002X"
    client.post("/logout")
    login(client, world.handler)
    assert 'id="act-correct_applicant"' not in client.get(f"/staff/applications/{filed.id}").get_data(as_text=True)


def test_information_reaches_the_applicant_only_with_the_reply_and_can_be_taken_back(world, client, login, filed):
    """A file attached while handling stays with the office until the reply is issued; a wrong one is removed."""
    from disclosure.applications import operations as ops
    from tests.factories import attach, to_in_handling

    to_in_handling(world, filed)
    wrong = attach(world, filed, purpose="provided", name="原件-未删除.pdf")
    db.session.commit()
    login(client, world.citizen)
    assert "原件-未删除" not in client.get(f"/my/applications/{filed.reference}").get_data(as_text=True)
    assert client.get(f"/my/applications/{filed.reference}/files/{wrong.id}").status_code == 404
    client.post("/logout")
    login(client, world.handler)
    case = _case(filed.reference)
    assert "remove_file" in client.get(f"/staff/applications/{case.id}").get_data(as_text=True)
    _post(client, case, "remove_file", attachment_id=wrong.id)
    case = _case(filed.reference)
    assert all(a.id != wrong.id for a in case.attachments)
    assert any(e.action == "application.file_removed" for e in ops.timeline(case))


def test_publicity_staff_do_not_see_the_disclosure_letters(world, client, login, make_staff, filed):
    from disclosure.accounts.roles import Role
    from disclosure.applications import letters

    clerk = make_staff(world.agency, [Role.PUBLICITY_CLERK])
    receipt = letters.letters_for(filed)[0]
    login(client, clerk)
    assert client.get("/staff/letters/").status_code == 403
    assert client.get(f"/staff/letters/{receipt.id}").status_code == 403
    assert client.get(f"/staff/letters/{receipt.id}.pdf").status_code == 403


def test_withdrawal_needs_the_box_ticked_and_cases_open_by_reference(world, client, login, filed):
    login(client, world.citizen)
    url = f"/my/applications/{filed.reference}/withdraw"
    client.post(url, data={"version": filed.version, "reason": "不需要了"})
    assert _case(filed.reference).state != States.WITHDRAWN
    client.post(url, data={"version": filed.version, "reason": "不需要了", "sure": "y"})
    assert _case(filed.reference).state == States.WITHDRAWN
    client.post("/logout")
    login(client, world.registrar)
    resp = client.get(f"/staff/applications/{filed.reference.lower()}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/staff/applications/{filed.id}")
    assert client.get("/staff/applications/NOPE-2026-00001").status_code == 404


def test_applicant_deletes_an_unsent_draft(world, client, login, filed):
    filed_id = filed.id
    login(client, world.citizen)
    client.post("/my/applications/new", data=filing_form(world.agency, action="draft"))
    draft_id = db.session.execute(db.select(Application.id).where(Application.state == States.DRAFT)).scalar_one()
    assert "Delete this draft" in client.get(
        f"/my/applications/drafts/{draft_id}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert client.post(f"/my/applications/drafts/{draft_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, draft_id) is None
    # a sent application is not a draft: nothing happens to it
    resp = client.post(f"/my/applications/drafts/{filed_id}/delete")
    assert resp.status_code in (302, 400, 409) and _case(filed.reference) is not None
