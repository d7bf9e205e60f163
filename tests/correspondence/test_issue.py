"""Issuing letters: numbering, freezing, refusals before numbering, void, correction, email, verification."""

from __future__ import annotations

import hashlib

import pytest

from disclosure.core import numbering
from disclosure.core.audit import events_for
from disclosure.core.errors import DomainError
from disclosure.correspondence import letters, samples
from disclosure.correspondence.contexts import ItemOutcome, ReplyContext
from disclosure.correspondence.kinds import LetterKind
from disclosure.correspondence.models import Letter, LetterStatus
from disclosure.correspondence.outcomes import Outcome
from disclosure.extensions import db
from tests.correspondence.conftest import flat, pdf_text


def issue(agency, kind=LetterKind.REPLY, context=None, related=("application", 1), **kw):
    return letters.issue_letter(kind, agency, context or samples.sample_context(kind), related=related, **kw)


def test_issue_numbers_freezes_and_audits(req, agency):
    letter = issue(agency)
    db.session.commit()
    year = letter.issue_date.year
    assert letter.number == f"测住建公开答〔{year}〕1号"
    assert letter.status == LetterStatus.ISSUED
    pdf = letters.letter_pdf(letter)
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256 and len(pdf) == letter.size
    text = flat(pdf_text(pdf))
    assert letter.number in text
    assert f"{letter.verification_code[:5]}-{letter.verification_code[5:]}" in text
    assert f"{year}年{letter.issue_date.month}月{letter.issue_date.day}日" in text
    assert letters.letter_pdf(letter) == pdf  # the same bytes every time
    assert [e.action for e in events_for("letter", letter.id)] == ["letter.issued"]
    assert [e.action for e in events_for("application", 1)] == ["letter.issued"]
    # The next reply takes the next number; another series has its own counter and prefix.
    second = issue(agency, related=("application", 2))
    notice = issue(agency, LetterKind.EXTENSION_NOTICE, related=("application", 2))
    assert second.number == f"测住建公开答〔{year}〕2号"
    assert notice.number == f"测住建公开告〔{year}〕1号"
    receipt = issue(agency, LetterKind.RECEIPT, related=("application", 2))
    assert receipt.number == f"{agency.short_name}公开回执〔{year}〕1号"


def test_missing_fields_are_named_before_numbering(req, make_agency):
    agency = make_agency(reconsideration_body="", litigation_court="")
    ctx = ReplyContext(
        **samples.facts(applicant_name=" "),
        items=[
            ItemOutcome(description="施工合同", outcome=Outcome.NOT_OURS),
            ItemOutcome(description="合同", outcome=Outcome.PARTIAL, withheld_parts="账户"),
        ],
    )
    with pytest.raises(letters.LetterIncomplete) as err:
        issue(agency, context=ctx)
    message = str(err.value.message)
    for expected in (
        "applicant name",
        "reconsideration body",
        "court for litigation",
        "item 1: reasons",
        "item 1: responsible agency",
        "item 2: the exemption for the withheld parts",
    ):
        assert expected in message, message
    db.session.rollback()
    assert numbering.current_value("letter:reply", agency.id, 2026) == 0
    assert db.session.execute(db.select(Letter)).first() is None


def test_missing_message_in_chinese(app, agency):
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        ctx = ReplyContext(**samples.facts(applicant_name=""), items=[])
        with pytest.raises(letters.LetterIncomplete) as err:
            issue(agency, context=ctx)
        assert "申请人姓名" in str(err.value.message)


def test_issuing_twice_is_impossible(req, agency):
    first = issue(agency)
    db.session.commit()
    with pytest.raises(DomainError) as err:
        issue(agency)
    assert first.number in str(err.value.message)
    db.session.rollback()
    # A different addressee for the same case and kind is a different letter (e.g. two third parties).
    issue(agency, LetterKind.THIRD_PARTY_CONSULTATION)
    other = samples.sample_context(LetterKind.THIRD_PARTY_CONSULTATION)
    other.third_party_name = "另一家公司"
    issue(agency, LetterKind.THIRD_PARTY_CONSULTATION, context=other)


def test_void_keeps_number_and_allows_reissue(req, agency):
    letter = issue(agency)
    db.session.commit()
    letters.void_letter(letter, "申请人姓名写错")
    db.session.commit()
    assert letter.status == LetterStatus.VOID
    again = issue(agency)
    db.session.commit()
    assert again.serial == letter.serial + 1  # the void number is never reused
    with pytest.raises(DomainError):
        letters.void_letter(letter, "again")
    with pytest.raises(DomainError):
        letters.void_letter(again, "  ")
    assert [e.action for e in events_for("letter", letter.id)] == ["letter.issued", "letter.voided"]


def test_correction_is_a_new_letter_referring_to_the_old(req, agency):
    old = issue(agency)
    db.session.commit()
    ctx = samples.sample_context(LetterKind.REPLY)
    ctx.applicant_name = "张晓鸣"
    new = letters.correct_letter(old, agency, ctx, reason="申请人姓名更正")
    db.session.commit()
    assert new.corrects_id == old.id and new.number != old.number
    assert old.status == LetterStatus.SUPERSEDED
    text = flat(pdf_text(letters.letter_pdf(new)))
    assert "的更正，原文书以本文书为准" in text and old.number in text
    assert letters.verify(old.number, old.verification_code).status == LetterStatus.SUPERSEDED


def test_rollback_gives_the_number_back(req, agency):
    issue(agency)
    db.session.rollback()
    letter = issue(agency)
    assert letter.serial == 1


def test_verify(req, agency):
    letter = issue(agency)
    db.session.commit()
    code = letter.verification_code
    assert letters.verify(letter.number, code) == letter
    assert (
        letters.verify(letter.number.replace("〔", "[").replace("〕", "]"), f"{code[:5]}-{code[5:]}".lower()) == letter
    )
    wrong = ("2" if code[0] != "2" else "3") + code[1:]
    assert letters.verify(letter.number, wrong) is None
    assert letters.verify("不存在〔2026〕1号", code) is None
    summary = letters.public_summary(letter)
    assert summary["addressee"] == "张**" and summary["sha256"] == letter.sha256
    assert summary["agency"] == "测试市住房和城乡建设局"


def test_email_with_chinese_attachment_name(req, agency, smtp_server):
    letter = issue(agency)
    db.session.commit()
    delivery = letters.email_letter(letter, "zhang@example.cn")
    db.session.commit()
    if not smtp_server.to("zhang@example.cn"):  # the worker delivers after commit; outside a request, run it
        from disclosure.core.outbox import deliver_due

        assert deliver_due()["sent"] == 1
    [msg] = smtp_server.to("zhang@example.cn")
    assert letter.number in msg["Subject"]
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "答复书.pdf"
    assert att.get_content_type() == "application/pdf"
    assert att.get_content() == letters.letter_pdf(letter)
    assert delivery.method == "email" and delivery.outbox_message_id


def test_record_post_delivery(req, agency):
    letter = issue(agency)
    with pytest.raises(DomainError):
        letters.record_delivery(letter, "post")
    letters.record_delivery(letter, "post", tracking_number="EMS1234567890", recipient="张晓明")
    db.session.commit()
    assert [d.method for d in letter.deliveries] == ["post"]


def test_extension_limits(req, agency):
    """条例 Art. 33 para 2: at most 20 working days, after the original deadline."""
    import datetime as dt

    ctx = samples.sample_context(LetterKind.EXTENSION_NOTICE)
    ctx.extension_days = 0
    ctx.extended_due = dt.date(2026, 3, 1)
    with pytest.raises(letters.LetterIncomplete) as err:
        issue(agency, LetterKind.EXTENSION_NOTICE, context=ctx)
    message = str(err.value.message)
    assert "1 to 20 working days" in message and "after the original one" in message


def test_a_delivered_letter_cannot_be_voided(req, agency):
    letter = issue(agency)
    letters.record_delivery(letter, "post", recipient="申请人", tracking_number="EMS1234567890")
    db.session.commit()
    with pytest.raises(DomainError, match="delivered"):
        letters.void_letter(letter, "想作废")
    db.session.rollback()
    assert db.session.get(type(letter), letter.id).status != LetterStatus.VOID
