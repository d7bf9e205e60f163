"""What each letter of a case must say, and when it is produced (the letters service renders and freezes).

- 补正通知书 with the supplementation request (条例 Art. 30);
- 延期答复告知书 with the extension (Art. 33);
- 收费通知书 with the fee notice (109号 Art. 6);
- 答复书 at issue (Arts. 36–39), each item with its outcome and basis, the remedy clause chosen by the
  letters service from the outcomes (复议法 Art. 23 for refusals).
"""

from __future__ import annotations

import datetime as dt
import decimal

from flask_babel import force_locale
from sqlalchemy import String, and_, cast, or_, select

from disclosure import correspondence as svc
from disclosure.applications.models import (
    DELIVERY_LABELS,
    PROVISION_LABELS,
    Application,
    AttachmentPurpose,
    CaseEvent,
    Channel,
    EventKind,
)
from disclosure.correspondence import Outcome
from disclosure.extensions import db

# Letters print the receipt channel in Chinese (contexts.CHANNEL_LABELS_ZH; unknown values print as given).
_LETTER_CHANNEL = {
    Channel.ONLINE: "online",
    Channel.API: "online",
    Channel.IN_PERSON: "in_person",
    Channel.REGISTERED_POST: "post_signed",
    Channel.ORDINARY_LETTER: "letter",
    Channel.FAX: "fax",
    Channel.EMAIL: "电子邮件",
    Channel.ORAL: "oral",
}


EVENT_LETTERS = "application_event"


def _facts(app: Application) -> dict:
    return {
        "applicant_name": app.applicant_name,
        "reference": app.reference or "",
        "received_date": app.received_date,
        "channel": _LETTER_CHANNEL.get(app.channel, app.channel),
        "applicant_is_organisation": app.applicant_type == "organisation",
    }


def _provision(app: Application, item, you: str) -> dict:
    """How the information reaches the applicant (条例 Art. 40): the form asked for; for an inspection, the place
    and time the handler set for the item (one text), else the agency's address and office hours."""
    if app.provision_form == "inspection" and item.public_location:
        return {"provision": f"请{you}按以下时间和地点查阅：{item.public_location.strip().rstrip('。')}"}
    return {"provision_form": app.provision_form}


def reply_context(app: Application):
    # The letter lists them by title, or by the file name tidied (contexts.attachment_title).
    provided = [
        a.title or a.file.original_name
        for a in app.attachments
        if a.purpose in (AttachmentPurpose.PROVIDED, AttachmentPurpose.REDACTED)
    ]
    you = "你单位" if app.applicant_type == "organisation" else "你"
    supplemented = [e.start_date for e in app.events if e.kind == EventKind.SUPPLEMENT_RECEIVED]
    items = [
        svc.ItemOutcome(
            description=i.description + (f"（{i.document_ref}）" if i.document_ref else ""),
            outcome=Outcome(i.outcome),
            reasons=i.reasons,
            responsible_agency=i.responsible_agency,
            responsible_contact=i.responsible_contact,
            public_location=i.public_location,
            redirect_channel=i.redirect_channel,
            withheld_parts=i.withheld_parts,
            withheld_outcome=Outcome(i.withheld_outcome) if i.withheld_outcome else None,
            **_provision(app, i, you),
        )
        for i in app.items
    ]
    return svc.ReplyContext(
        **_facts(app), items=items, supplemented_date=supplemented[-1] if supplemented else None, attachments=provided
    )


def issue_reply(app: Application, staff):
    """The reply letter; after a reopening the new reply formally corrects the earlier one."""
    earlier = [
        lt
        for lt in svc.letters_for("application", app.id)
        if lt.kind == svc.LetterKind.REPLY and lt.status == svc.LetterStatus.ISSUED
    ]
    if earlier:
        reopen = [e for e in app.events if e.kind == EventKind.REOPEN]
        reason = reopen[-1].note if reopen else "重新答复"
        return svc.correct_letter(earlier[-1], app.agency, reply_context(app), reason=reason, issued_by=staff)
    return svc.issue_letter(
        svc.LetterKind.REPLY, app.agency, reply_context(app), related=("application", app.id), issued_by=staff
    )


def receipt_context(app: Application):
    with force_locale("zh_CN"):  # letters are in Chinese whatever the staff member's language
        form = "，".join(
            str(label)
            for label in (PROVISION_LABELS.get(app.provision_form), DELIVERY_LABELS.get(app.delivery_channel))
            if label
        )
    return svc.ReceiptContext(
        **_facts(app), items=[i.description for i in app.items], reply_due=app.due_date, delivery_form=form
    )


def check_receipt(app: Application) -> None:
    """Refuse now (LetterIncomplete, naming what is missing) what `issue_receipt` would refuse later."""
    missing = svc.missing_for(svc.LetterKind.RECEIPT, app.agency, receipt_context(app))
    if missing:
        raise svc.LetterIncomplete(missing)


def has_receipt(app_id):
    """An EXISTS clause: the case (an id, or a column of ids) has its receipt letter."""
    return (
        select(svc.Letter.id)
        .where(
            svc.Letter.related_type == "application",
            svc.Letter.related_id == cast(app_id, String),
            svc.Letter.kind == svc.LetterKind.RECEIPT,
        )
        .exists()
    )


def receipt_of(app_id: int):
    """The case's receipt letter, if it has one."""
    return db.session.execute(
        select(svc.Letter).where(
            svc.Letter.related_type == "application",
            svc.Letter.related_id == str(app_id),
            svc.Letter.kind == svc.LetterKind.RECEIPT,
        )
    ).scalar()


def issue_receipt(app: Application, staff):
    """登记回执 (条例 Arts. 29–31, 33): the application's reference, received date and channel, the items and the
    reply deadline, issued when the case is registered or an online application is confirmed."""
    return svc.issue_letter(
        svc.LetterKind.RECEIPT, app.agency, receipt_context(app), related=("application", app.id), issued_by=staff
    )


def issue_supplementation_notice(app: Application, event: CaseEvent, staff):
    context = svc.SupplementationContext(**_facts(app), missing=[event.note], supplement_due=event.due_date)
    return svc.issue_letter(
        svc.LetterKind.SUPPLEMENTATION_NOTICE, app.agency, context, related=_event_key(event), issued_by=staff
    )


def issue_extension_notice(app: Application, event: CaseEvent, original_due: dt.date | None, staff):
    context = svc.ExtensionContext(
        **_facts(app),
        original_due=original_due,
        extended_due=app.due_date,
        reason=event.note,
        extension_days=event.days or 0,
    )
    return svc.issue_letter(
        svc.LetterKind.EXTENSION_NOTICE, app.agency, context, related=_event_key(event), issued_by=staff
    )


def issue_fee_notice(app: Application, event: CaseEvent, instructions: str, staff):
    method = svc.FeeMethod.PER_REQUEST if event.details.get("method") == "per_item" else svc.FeeMethod.PER_VOLUME
    unit = "件" if method is svc.FeeMethod.PER_REQUEST else "页"
    lines = [
        svc.FeeLine(
            band=f"第{lo}—{hi}{unit}" if lo != hi else f"第{lo}{unit}",
            quantity=count,
            rate=decimal.Decimal(rate),
            amount=decimal.Decimal(sub),
        )
        for lo, hi, rate, count, sub in event.details.get("lines", [])
    ]
    context = svc.FeeNoticeContext(
        **_facts(app), method=method, fee_lines=lines, pay_by=event.due_date, payment_instructions=instructions
    )
    return svc.issue_letter(svc.LetterKind.FEE_NOTICE, app.agency, context, related=_event_key(event), issued_by=staff)


def issue_consultation_letter(app: Application, event: CaseEvent, staff):
    """Art. 32: the written consultation of the third party (15 working days, the applicant not named);
    Art. 34 / another agency: the consultation letter."""
    described = "；".join(i.description for i in app.items)
    party = event.details.get("party", "")
    if event.details.get("kind") == "agency":
        context = svc.AgencyConsultationContext(
            consulted_agency_name=party,
            reference=app.reference or "",
            information_description=described,
            question="上述信息是否可以公开，请提出意见。",
            reply_due=event.due_date,
        )
        kind = svc.LetterKind.AGENCY_CONSULTATION
    else:
        context = svc.ThirdPartyConsultationContext(
            third_party_name=party,
            reference=app.reference or "",
            information_description=described,
            reason=event.note or "",
            reply_due=event.due_date,
        )
        kind = svc.LetterKind.THIRD_PARTY_CONSULTATION
    return svc.issue_letter(kind, app.agency, context, related=_event_key(event), addressee=party, issued_by=staff)


def letter_number(letter) -> str:
    return letter.number


def email_attachments(letter) -> list[dict]:
    return [{"file_id": letter.file_id, "filename": letter.download_name}]


def _event_key(event: CaseEvent) -> tuple[str, int]:
    """Notices and consultation letters belong to the event that caused them, so a case can carry several of
    one kind (a second consultation of the same party, a new fee notice after reopening) without one letter
    ever being issued twice for the same event."""
    db.session.flush()
    return (EVENT_LETTERS, event.id)


def letters_for(app: Application, *, applicant_view: bool = False) -> list:
    """Every letter of the case in issue order; for the applicant only those addressed to them (a consultation
    letter goes to the third party or the other agency, Arts. 32, 34)."""
    event_ids = [str(e.id) for e in app.events if e.id is not None]
    rows = (
        db.session.execute(
            select(svc.Letter)
            .where(
                or_(
                    and_(svc.Letter.related_type == "application", svc.Letter.related_id == str(app.id)),
                    and_(svc.Letter.related_type == EVENT_LETTERS, svc.Letter.related_id.in_(event_ids)),
                )
            )
            .order_by(svc.Letter.id)
        )
        .scalars()
        .all()
    )
    if applicant_view:
        rows = [lt for lt in rows if svc.kind_info(lt.kind).addressed_to_applicant]
    return rows
