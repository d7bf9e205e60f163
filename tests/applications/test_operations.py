"""Operations on the real database: filing, registration, handling, reviews, issue, delivery, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.applications import operations as ops
from disclosure.applications.models import Application, CaseEvent, Channel, EventKind
from disclosure.applications.uploads import Upload
from disclosure.core.errors import Conflict, DomainError, NotAllowed
from disclosure.core.outbox import OutboxMessage
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from tests.factories import application_input, decide_partial, issue_partial, to_in_handling
from workflows.application import States

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _actions(app):
    from disclosure.core.audit import events_for

    return [e.action for e in events_for("application", app.id)]


def test_online_filing_is_numbered_and_confirmed(world):
    app = ops.file_online(world.citizen, world.agency, application_input())
    assert app.state == States.SUBMITTED
    assert app.reference == f"{world.agency.slug.upper()}-{today_china().year}-00001"
    assert app.received_date is None
    ops.confirm(app, world.registrar)
    db.session.commit()
    assert app.state == States.REGISTERED
    assert app.received_date == today_china()
    assert app.due_date > app.received_date
    assert [i.position for i in app.items] == [1, 2]
    assert "application.submit" in _actions(app) and "application.confirm" in _actions(app)
    subjects = [m.subject for m in db.session.execute(db.select(OutboxMessage)).scalars()]
    assert len(subjects) == 2


def test_auto_confirming_agency_receives_at_once(world):
    world.agency.auto_confirm_online = True
    app = ops.file_online(world.citizen, world.agency, application_input())
    assert app.state == States.REGISTERED and app.received_date == today_china()


def test_references_have_no_gaps_per_agency(world, make_agency):
    refs = [ops.file_online(world.citizen, world.agency, application_input()).ref_serial for _ in range(3)]
    other = make_agency()
    assert ops.file_online(world.citizen, other, application_input()).ref_serial == 1
    assert refs == [1, 2, 3]


def test_staff_registration_per_channel_records_basis(world):
    app = ops.register(
        world.agency,
        world.registrar,
        application_input(),
        channel=Channel.REGISTERED_POST,
        received_date=today_china() - dt.timedelta(days=2),
        evidence="EMS1234567890",
    )
    assert app.state == States.REGISTERED
    assert app.received_evidence == "EMS1234567890"
    with pytest.raises(DomainError, match="future"):
        ops.register(
            world.agency,
            world.registrar,
            application_input(),
            channel=Channel.IN_PERSON,
            received_date=today_china() + dt.timedelta(days=1),
        )
    with pytest.raises(DomainError):
        ops.register(
            world.agency, world.registrar, application_input(), channel=Channel.FAX, received_date=today_china()
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"doc_number": "110105194912310021"}, "doc_number"),
        (
            {"applicant_type": "organisation", "applicant_category": "commercial", "org_credit_code": "91330100X"},
            "org_credit_code",
        ),
        ({"items": []}, "items"),
        ({"applicant_name": ""}, "applicant_name"),
        ({"email": "", "delivery_channel": "email"}, "email"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world, change, field):
    before = db.session.execute(db.select(db.func.count(Application.id))).scalar_one()
    with pytest.raises(DomainError) as exc:
        ops.file_online(world.citizen, world.agency, application_input(**change))
    assert exc.value.field == field
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count(Application.id))).scalar_one() == before


def test_disguised_upload_refused(world):
    exe = Upload("身份证.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(DomainError, match="accepted type"):
        ops.file_online(world.citizen, world.agency, application_input(files=[("identity", exe)]))
    png_as_pdf = Upload("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(DomainError, match="does not match"):
        ops.file_online(world.citizen, world.agency, application_input(files=[("identity", png_as_pdf)]))
    ok = ops.file_online(world.citizen, world.agency, application_input(files=[("identity", Upload("id.pdf", PDF))]))
    assert ok.attachments[0].file.content_type == "application/pdf"


def test_supplementation_only_once_and_restarts_clock(world, filed):
    ops.request_supplement(filed, world.registrar, what="请写明所需信息的年份")
    assert filed.state == States.SUPPLEMENTATION_REQUESTED
    ops.answer_supplement(filed, world.citizen, text="2025年")
    assert filed.state == States.REGISTERED
    assert [e.kind for e in filed.events] == [EventKind.SUPPLEMENT_REQUEST, EventKind.SUPPLEMENT_RECEIVED]
    with pytest.raises(DomainError, match="only one"):
        ops.request_supplement(filed, world.registrar, what="再次补正")


def test_abandonment_only_after_supplement_deadline(world, filed):
    ops.request_supplement(filed, world.registrar, what="补充身份证明")
    with pytest.raises(DomainError, match="not passed"):
        ops.abandon_unsupplemented(filed)
    ev = filed.events[-1]
    ops.abandon_unsupplemented(filed, today=ev.due_date + dt.timedelta(days=1))
    assert filed.state == States.ABANDONED and filed.outcome == "no_supplement"


def test_full_case_to_issue_and_delivery(world, filed, smtp_server):
    to_in_handling(world, filed)
    assert filed.state == States.IN_HANDLING
    with pytest.raises(DomainError, match="Decide every"):
        ops.draft_reply(filed, world.handler)
    decide_partial(world, filed)
    ops.draft_reply(filed, world.handler)
    ops.submit_for_review(filed, world.handler)
    with pytest.raises(DomainError, match="comments"):
        ops.review(filed, world.head, stage="office", approve=False, comment="")
    ops.review(filed, world.head, stage="office", approve=False, comment="理由需更具体")
    assert filed.state == States.IN_HANDLING and not filed.office_approved
    ops.draft_reply(filed, world.handler)
    ops.submit_for_review(filed, world.handler)
    ops.review(filed, world.head, stage="office", approve=True, comment="")
    with pytest.raises(NotAllowed):
        ops.review(filed, world.head, stage="legal", approve=True, comment="")
    ops.review(filed, world.legal, stage="legal", approve=True, comment="")
    assert filed.state == States.APPROVED
    letter = ops.issue(filed, world.registrar)
    assert filed.state == States.ISSUED and filed.reply_letter_id == letter.id
    assert filed.outcome == "partial"
    assert len(ops.reviews(filed)) == 3
    with pytest.raises(DomainError):
        ops.deliver(filed, world.registrar, channel="post", tracking_number="")
    ops.deliver(filed, world.registrar, channel="post", tracking_number="EMS1234567890")
    ops.archive(filed, world.registrar)
    db.session.commit()
    assert filed.state == States.ARCHIVED
    from disclosure.core.outbox import deliver_due

    deliver_due()
    mails = smtp_server.to("zhangsan@example.cn")
    assert any(part.get_filename() == "答复书.pdf" for m in mails for part in m.iter_attachments())


def test_extension_once_and_at_most_20_days(world, filed):
    to_in_handling(world, filed)
    before = filed.due_date
    with pytest.raises(DomainError, match="1 to 20"):
        ops.extend_deadline(filed, world.head, days=21, reason="数量大")
    with pytest.raises(NotAllowed):
        ops.extend_deadline(filed, world.handler, days=10, reason="数量大")
    ops.extend_deadline(filed, world.head, days=20, reason="涉及档案检索")
    assert filed.due_date > before
    with pytest.raises(DomainError, match="once"):
        ops.extend_deadline(filed, world.head, days=5, reason="再延")


def test_consultation_pauses_the_clock(world, filed):
    to_in_handling(world, filed)
    ops.start_consultation(filed, world.handler, kind="third_party", party="某公司", letter_date=today_china())
    assert filed.state == States.CONSULTING and filed.deadline_status == "paused"
    ops.end_consultation(filed, world.handler, answered_on=today_china(), answer="不同意公开")
    assert filed.state == States.IN_HANDLING
    ev = next(e for e in filed.events if e.kind == EventKind.CONSULTATION)
    assert ev.end_date == today_china()


def test_a_page_count_beyond_any_reply_is_refused_beside_the_field(world, filed):
    """A mistyped page count (or 2^63 from a hostile form) is a message, not an amount the database cannot hold."""
    to_in_handling(world, filed)
    for pages in (1_000_001, 2**63):
        with pytest.raises(DomainError) as exc:
            ops.notify_fee(filed, world.handler, method="per_page", pages=pages)
        assert exc.value.field == "pages"
    assert filed.state == States.IN_HANDLING


def test_fee_notice_payment_and_abandonment(world, filed):
    to_in_handling(world, filed)
    with pytest.raises(DomainError, match="No fee"):
        ops.notify_fee(filed, world.handler, method="per_item")
    ev = ops.notify_fee(filed, world.handler, method="per_page", pages=40)
    assert ev.amount == 100 and filed.state == States.FEE_NOTIFIED
    with pytest.raises(DomainError):
        ops.abandon_unpaid(filed)
    ops.abandon_unpaid(filed, today=ev.due_date + dt.timedelta(days=1))
    assert filed.state == States.ABANDONED and filed.outcome == "fee_unpaid"


def test_version_conflict_gives_clear_message(world, filed):
    stale = filed.version
    ops.assign(filed, world.registrar, department=world.department, handler=world.handler)
    db.session.flush()
    with pytest.raises(Conflict, match="Someone else"):
        ops.start_handling(filed, world.handler, expected_version=stale)


def test_repeat_warning_and_proactive_candidates(world, filed, make_applicant):
    issue_partial(world, filed)
    again = ops.file_online(world.citizen, world.agency, application_input())
    ops.confirm(again, world.registrar)
    assert again.repeat_of_id == filed.id
    assert ops.repeated_items(again)
    other = make_applicant()
    ops.file_online(other, world.agency, application_input())
    cands = ops.proactive_candidates(world.agency.id)
    assert cands and cands[0]["applicants"] == 2


def test_withdraw_by_applicant_only_before_issue(world, filed):
    with pytest.raises(NotAllowed):
        ops.withdraw(filed, world.handler)  # not the applicant; no staff role on withdraw
    ops.withdraw(filed, world.citizen, reason="不再需要")
    assert filed.state == States.WITHDRAWN


def test_remedies_are_recorded_by_the_disclosure_office_only(world, filed):
    """The standing book of reconsiderations and lawsuits (annual report table 4) is kept by the registrar and the
    office head; the handler and the legal reviewer, parties to the contested reply, cannot write to it."""
    issue_partial(world, filed)
    for outsider in (world.legal, world.handler):
        with pytest.raises(NotAllowed):
            ops.record_remedy(filed, outsider, kind="reconsideration", body="测试市人民政府", filed_date=today_china())
    r = ops.record_remedy(filed, world.head, kind="reconsideration", body="测试市人民政府", filed_date=today_china())
    with pytest.raises(NotAllowed):
        ops.update_remedy(r, world.legal, result="upheld", decided_date=today_china())
    ops.update_remedy(r, world.registrar, result="upheld", decided_date=today_china())
    assert r.result == "upheld"


def test_remedy_corrected_reopens_with_new_deadline(world, filed):
    issue_partial(world, filed)
    with pytest.raises(DomainError, match="Reopening"):
        ops.reopen(filed, world.head, received_on=today_china(), reason="复议决定")
    r = ops.record_remedy(
        filed, world.registrar, kind="reconsideration", body="测试市人民政府", filed_date=today_china()
    )
    ops.update_remedy(r, world.registrar, result="corrected", decided_date=today_china())
    ops.reopen(filed, world.head, received_on=today_china(), reason="复议决定责令重新答复")
    assert filed.state == States.IN_HANDLING and filed.reply_letter_id is None
    assert (
        db.session.execute(
            db.select(db.func.count(CaseEvent.id)).where(CaseEvent.kind == EventKind.REOPEN)
        ).scalar_one()
        == 1
    )


def test_received_date_bound_is_the_china_date_of_submission(world):
    """Submitted at 07:50 Beijing time (23:50 UTC the day before): it cannot have been received the day before."""
    import datetime as _dt

    from disclosure.core.errors import DomainError as _DomainError

    app = ops.file_online(world.citizen, world.agency, application_input())
    app.submitted_at = _dt.datetime(2026, 11, 22, 23, 50, tzinfo=_dt.UTC)
    with pytest.raises(_DomainError):
        ops.confirm(app, world.registrar, _dt.date(2026, 11, 22))
    db.session.rollback()


def test_fee_notice_without_payment_instructions_is_a_clear_error(world):
    from disclosure.applications.operations import settings_for
    from disclosure.core.errors import DomainError as _DomainError

    app = ops.file_online(world.citizen, world.agency, application_input())
    ops.confirm(app, world.registrar)
    settings_for(world.agency.id).fee_payment_instructions = ""
    to_in_handling(world, app)
    with pytest.raises(_DomainError, match="payment instructions"):
        ops.notify_fee(app, world.handler, method="per_page", pages=250)


def test_registration_issues_the_acknowledgement_receipt(world):
    import subprocess

    from disclosure import correspondence as letters_service

    app = ops.file_online(world.citizen, world.agency, application_input())
    ops.confirm(app, world.registrar)
    db.session.commit()
    receipts = [lt for lt in letters_service.letters_for("application", app.id) if lt.kind == "receipt"]
    assert len(receipts) == 1
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=letters_service.letter_pdf(receipts[0]),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert app.reference in text and "登记回执" in text.replace(" ", "")


def test_disclosed_items_need_the_information_or_the_place_to_inspect(world, filed):
    """Art. 36(2) and Art. 37: no disclosure reply goes forward without what it discloses."""
    from tests.factories import attach

    to_in_handling(world, filed)
    first, second = filed.items
    ops.decide_item(first, world.handler, outcome="granted")
    ops.decide_item(second, world.handler, outcome="not_exist", reasons="经检索未找到")
    with pytest.raises(DomainError, match=r"Item 1 is disclosed: attach the information provided"):
        ops.draft_reply(filed, world.handler)
    ops.decide_item(
        second,
        world.handler,
        outcome="partial",
        withheld_parts="投标人报价明细",
        withheld_outcome="deny_third_party",
        reasons="涉及第三方商业秘密",
    )
    attach(world, filed, purpose="provided", name="2025年资金使用情况.pdf")
    with pytest.raises(DomainError, match=r"Item 2 is partly disclosed: attach the redacted version"):
        ops.draft_reply(filed, world.handler)
    assert filed.state == States.IN_HANDLING
    attach(world, filed, purpose="redacted", name="scan-0042.pdf", title="招标文件（删除处理后）")
    ops.draft_reply(filed, world.handler)
    # the letter lists the files by title, or by name without the extension
    from disclosure.applications.letters import reply_context

    assert reply_context(filed).attachment_titles == ["2025年资金使用情况", "招标文件（删除处理后）"]


def test_inspection_on_site_needs_the_place_and_time_instead_of_files(world):
    app = ops.file_online(world.citizen, world.agency, application_input(provision_form="inspection"))
    ops.confirm(app, world.registrar)
    to_in_handling(world, app)
    for item in app.items:
        ops.decide_item(item, world.handler, outcome="granted")
    with pytest.raises(DomainError, match=r"Item 1: say where and when the applicant can inspect"):
        ops.draft_reply(app, world.handler)
    for item in app.items:
        ops.decide_item(
            item, world.handler, outcome="granted", public_location="2026年12月1日上午9时，本机关一楼政务公开查阅室"
        )
    ops.draft_reply(app, world.handler)
    assert app.state == States.REPLY_DRAFTED
    from disclosure.applications.letters import reply_context

    ctx = reply_context(app)
    phrase = ctx.items[0].provision_phrase("你")
    assert phrase == "请你按以下时间和地点查阅：2026年12月1日上午9时，本机关一楼政务公开查阅室"


def test_office_head_waives_a_notified_fee(world, filed):
    """109号 (rules §4.1 ⚠): the waiver is the agency's setting; the reason is recorded and the applicant told."""
    from disclosure.applications.models import AgencyApplicationSettings

    to_in_handling(world, filed)
    ev = ops.notify_fee(filed, world.handler, method="per_page", pages=40)
    assert "waive_fee" not in ops.allowed_actions(filed, world.handler)
    assert "waive_fee" in ops.allowed_actions(filed, world.head)
    with pytest.raises(NotAllowed):
        ops.waive_fee(filed, world.handler, reason="申请人为低保对象")
    with pytest.raises(DomainError, match="reason for waiving"):
        ops.waive_fee(filed, world.head, reason="  ")
    settings = db.session.execute(db.select(AgencyApplicationSettings)).scalar_one()
    settings.fee_waiver_allowed = False
    db.session.flush()
    assert "waive_fee" not in ops.allowed_actions(filed, world.head)
    with pytest.raises(DomainError):
        ops.waive_fee(filed, world.head, reason="申请人为低保对象")
    settings.fee_waiver_allowed = True
    db.session.flush()
    ops.waive_fee(filed, world.head, reason="申请人为低保对象")
    assert filed.state == States.IN_HANDLING
    assert ev.end_date == today_china() and ev.details["waived"] and ev.details["waiver_reason"] == "申请人为低保对象"
    assert filed.deadline_status != "paused"
    db.session.commit()
    subjects = [m.subject for m in db.session.execute(db.select(OutboxMessage)).scalars()]
    assert any("fee is waived" in s or "免" in s for s in subjects)
    events = [e.action for e in ops.timeline(filed)]
    assert "application.waive_fee" in events


_issued = issue_partial


@pytest.mark.parametrize("channel", ["email", "post"])
def test_case_delivery_is_recorded_once_on_the_reply_letter(world, filed, channel):
    letter = _issued(world, filed)
    db.session.flush()
    ops.deliver(filed, world.registrar, channel=channel, tracking_number="EMS1234567890")
    assert filed.state == States.DELIVERED
    (row,) = letter.deliveries
    assert row.method == ("email" if channel == "email" else "post")
    if channel == "email":
        sent = db.session.get(OutboxMessage, row.outbox_message_id)
        assert sent.recipient == filed.email and sent.attachments[0]["file_id"] == letter.file_id
    else:
        assert row.tracking_number == "EMS1234567890"
    assert row.recorded_by_id == world.registrar.id


def test_delivery_recorded_on_the_letter_moves_the_case(world, filed):
    from disclosure import correspondence as service

    letter = _issued(world, filed)
    db.session.commit()
    with pytest.raises(NotAllowed):  # a handler may record letters, but not deliver the case
        service.record_delivery(letter, "post", tracking_number="EMS1234567890", actor=world.handler)
    db.session.rollback()
    filed = db.session.get(Application, filed.id)
    assert filed.state == States.ISSUED
    letter = db.session.get(service.Letter, filed.reply_letter_id)
    service.record_delivery(letter, "in_person", recipient="张三", actor=world.registrar)
    assert filed.state == States.DELIVERED and filed.delivery_note.startswith("in_person")
    # a later delivery of the same letter (a second copy) leaves the case alone
    service.record_delivery(letter, "post", tracking_number="EMS0000000001", actor=world.registrar)
    assert filed.state == States.DELIVERED and len(letter.deliveries) == 2


def test_same_party_consulted_twice_and_letters_kept_from_the_applicant(world, filed, client, login):
    """Art. 32: each consultation has its own letter; the letters go to the third party, not the applicant."""
    from disclosure.applications import letters

    to_in_handling(world, filed)
    for answer in ("需补充材料后再答复", "不同意公开"):
        ops.start_consultation(filed, world.handler, kind="third_party", party="某建设公司", letter_date=today_china())
        ops.end_consultation(filed, world.handler, answered_on=today_china(), answer=answer)
    db.session.commit()
    staff_view = letters.letters_for(filed)
    consultation = [lt for lt in staff_view if lt.kind == "third_party_consultation"]
    assert len(consultation) == 2 and consultation[0].number != consultation[1].number
    mine = letters.letters_for(filed, applicant_view=True)
    assert [lt.kind for lt in mine] == ["receipt"]
    login(client, world.citizen)
    assert client.get(f"/my/letters/{consultation[0].id}.pdf").status_code == 404
    assert client.get(f"/my/applications/{filed.reference}/letters/{consultation[0].id}").status_code == 404
    assert client.get(f"/my/letters/{mine[0].id}.pdf").status_code == 200
    assert "某建设公司" not in client.get(f"/my/applications/{filed.reference}").get_data(as_text=True)


def test_staff_correct_the_applicants_details_with_a_reason(world, filed):
    """A typo in the name or ID number, a new address: corrected with the filing checks, the reason audited;
    once the reply is drafted only the contact details can change."""
    with pytest.raises(DomainError, match="reason"):
        ops.correct_applicant(filed, world.registrar, changes={"applicant_name": "张山"}, reason="")
    with pytest.raises(DomainError, match=r"check digit|校验"):
        ops.correct_applicant(filed, world.registrar, changes={"doc_number": "110105194912310021"}, reason="笔误")
    with pytest.raises(NotAllowed):
        ops.correct_applicant(filed, world.handler, changes={"applicant_name": "张山"}, reason="笔误")
    changed = ops.correct_applicant(
        filed,
        world.registrar,
        changes={"applicant_name": "张山", "postal_address": "测试市幸福路2号", "doc_number": None},
        reason="申请人来电更正姓名和地址",
    )
    assert changed == {"applicant_name": "张山", "postal_address": "测试市幸福路2号"}
    assert filed.doc_number == "11010519491231002X"
    event = next(e for e in ops.timeline(filed) if e.action == "application.applicant_corrected")
    assert event.reason == "申请人来电更正姓名和地址" and event.before == {
        "applicant_name": "张三",
        "postal_address": "测试市幸福路1号",
    }
    with pytest.raises(DomainError, match="email address"):  # delivery by email needs one
        ops.correct_applicant(filed, world.registrar, changes={"email": ""}, reason="申请人注销邮箱")
    to_in_handling(world, filed)
    decide_partial(world, filed)
    ops.draft_reply(filed, world.handler)
    with pytest.raises(DomainError, match="only the contact details"):
        ops.correct_applicant(filed, world.registrar, changes={"applicant_name": "张三丰"}, reason="更正")
    ops.correct_applicant(filed, world.registrar, changes={"phone": "13900000000"}, reason="新电话")
    assert filed.phone == "13900000000" and filed.applicant_name == "张山"


def test_unsent_drafts_stay_out_of_the_agencys_audit_log(world):
    from disclosure.core.audit import AuditEvent

    draft = ops.save_draft(world.citizen, world.agency, application_input())
    db.session.commit()
    agency_events = db.session.execute(db.select(AuditEvent).where(AuditEvent.agency_id == world.agency.id)).scalars()
    assert not [e for e in agency_events if e.object_type == "application" and e.object_id == str(draft.id)]
    ops.submit(draft, world.citizen)
    db.session.commit()
    agency_events = db.session.execute(db.select(AuditEvent).where(AuditEvent.agency_id == world.agency.id)).scalars()
    assert any(e.action == "application.submit" for e in agency_events)


def test_the_same_document_number_is_the_same_information(world, make_applicant):
    """Art. 36(6) and Art. 44: two descriptions of the document 示政办〔2025〕12号 are one piece of information."""
    from tests.factories import application_input

    assert ops.fingerprint("老旧小区改造清单", "示政办〔2025〕12号") == ops.fingerprint("改造项目", "示政办[2025]12号")
    assert ops.fingerprint("道路维修资金") == ops.fingerprint(" 道路维修资金。")
    assert ops.fingerprint("道路维修资金") != ops.fingerprint("道路维修资金", "示财〔2025〕3号")
    other = make_applicant()
    for who, words in ((world.citizen, "老旧小区改造清单"), (other, "关于老旧小区改造的通知")):
        app = ops.file_online(who, world.agency, application_input(items=[ops.ItemInput(words, "示政办〔2025〕12号")]))
        ops.confirm(app, world.registrar)
    (candidate,) = ops.proactive_candidates(world.agency.id, threshold=2)
    assert candidate["applicants"] == 2 and candidate["document_ref"] == "示政办〔2025〕12号"
