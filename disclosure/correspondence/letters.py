"""The letter API the workflows call: preview, exact PDF, issue (number, freeze, verify), void, correct, email.

Issuing follows issue 4: validate everything and name what is missing *before* a number is taken; number per
agency, series and year through the gapless counter (`disclosure.core.numbering`) inside the caller's
transaction, so a rolled-back issue gives its number back and a voided letter keeps its number as void; render
PDF/A-3b; store it with its SHA-256; a verification code for the public check; one audit event. Operations only
flush: the request boundary (or the calling command) commits.

On SQLite, call `issue_letter` from a POST request or inside `disclosure.core.sqlite_tuning.immediate()` (jobs,
commands, threads): only those transactions take the write lock at BEGIN, which the gapless counter needs when
several staff issue at the same moment.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from disclosure.accounts.models import Agency
from disclosure.core import numbering, signals, storage
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.errors import DomainError
from disclosure.core.outbox import enqueue_email
from disclosure.core.timeutil import today_china, utcnow
from disclosure.core.validators import mask_name
from disclosure.correspondence import contexts as ctx
from disclosure.correspondence import paragraphs as para
from disclosure.correspondence.contexts import ItemOutcome
from disclosure.correspondence.kinds import LetterKind, addressee_of, kind_info
from disclosure.correspondence.models import DeliveryMethod, Letter, LetterDelivery, LetterSettings, LetterStatus
from disclosure.correspondence.outcomes import OUTCOMES, Outcome, format_citations, remedy_for
from disclosure.correspondence.rendering import PDF_VARIANT, RendererUnavailable, jinja_env, renderer
from disclosure.extensions import db

# Verification codes: 10 characters without look-alikes (0/O, 1/I/L), shown as XXXXX-XXXXX.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


class LetterIncomplete(DomainError):
    """Required values are missing; nothing was numbered."""

    def __init__(self, missing_labels: list):
        self.missing_labels = missing_labels
        super().__init__(
            _l("The letter cannot be issued because these are missing: %(fields)s", fields=ctx.LazyJoin(missing_labels))
        )


# ---------------------------------------------------------------------------------------------------------
# Settings and numbers
# ---------------------------------------------------------------------------------------------------------


def settings_for(agency) -> LetterSettings:
    """The agency's letter settings (an unsaved default row when the agency never edited them)."""
    row = db.session.execute(
        db.select(LetterSettings).where(LetterSettings.agency_id == agency.id)
    ).scalar_one_or_none()
    return row or LetterSettings(agency_id=agency.id, letterhead="", signatory="", contact_block="", paragraphs={})


def number_prefix(agency, kind: LetterKind) -> str:
    """`Agency.doc_number_prefixes[series]`, else the short name plus a suffix per series, so the series of one
    agency never print the same number."""
    info = kind_info(kind)
    configured = (agency.doc_number_prefixes or {}).get(info.series)
    return configured or f"{agency.short_name}{info.default_suffix}"


def format_number(prefix: str, year: int, serial: int) -> str:
    """GB/T 9704 发文字号: year in full inside 〔〕, serial without leading zeros or 第: X政公开答〔2026〕12号."""
    return f"{prefix}〔{year}〕{int(serial)}号"


def normalise_number(raw: str) -> str:
    """Accept [2026], ［2026］, (2026), 【2026】 and 〔2026〕, any width and spaces; return the printed form
    (rules-china §7.2). The project's one normalising function (core.docnumbers): a printed number is unchanged."""
    return normalise_document_number(raw)


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def verify_url() -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", "") if has_app_context() else ""
    return f"{base.rstrip('/')}/letters/verify"


# ---------------------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------------------


def _check_context(kind: LetterKind, context: Any) -> None:
    expected = kind_info(kind).context
    if not isinstance(context, expected):
        raise TypeError(f"a {kind.value} letter needs a {expected.__name__}, not {type(context).__name__}")


def missing_for(kind: LetterKind | str, agency, context: Any) -> list[str]:
    """Human labels of everything the letter still needs: the context's required values and item details,
    and the agency settings the letter prints (remedy bodies, 复议法 Art. 20; letterhead)."""
    kind = LetterKind(kind)
    _check_context(kind, context)
    keys = ctx.missing_fields(context)
    if kind is LetterKind.REPLY:
        # An inspection needs a place and a time: the item's own, or the agency's address and office hours.
        for i, item in enumerate(context.items or [], start=1):
            if isinstance(item, ItemOutcome) and item.form() == "inspection":
                if not (item.inspection_place or getattr(agency, "address", "") or "").strip():
                    keys.append(f"items[{i}].inspection_place")
                if not (item.inspection_time or getattr(agency, "office_hours", "") or "").strip():
                    keys.append(f"items[{i}].inspection_time")
    labels = ctx.describe_missing(keys)
    if not (agency.full_name or "").strip():
        labels.append(_l("agency name (letterhead)"))
    if kind_info(kind).has_remedy:
        ordinary, _refused = _remedy_parts(kind, context)
        if not (agency.reconsideration_body or "").strip():
            labels.append(_l("reconsideration body (agency letter settings)"))
        if ordinary and not (agency.litigation_court or "").strip():
            labels.append(_l("court for litigation (agency letter settings)"))
    return labels


def _remedy_parts(kind: LetterKind, context: Any) -> tuple[bool, bool]:
    if kind is LetterKind.REPLY:
        if not context.items:
            return True, False
        return remedy_for([i.outcome for i in context.items])
    return True, False


# ---------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------


def _seal_data_uri(settings: LetterSettings) -> str | None:
    if not settings.seal_file_id:
        return None
    stored = db.session.get(storage.StoredFile, settings.seal_file_id)
    if stored is None:
        return None
    return f"data:{stored.content_type};base64,{base64.b64encode(stored.read_bytes()).decode('ascii')}"


def default_contact_block(agency) -> str:
    parts = []
    if agency.address:
        postal = f"（邮政编码：{agency.postal_code}）" if agency.postal_code else ""
        parts.append(f"通讯地址：{agency.address}{postal}")
    if agency.phone:
        parts.append(f"联系电话：{agency.phone}")
    if agency.fax:
        parts.append(f"传真：{agency.fax}")
    if agency.email:
        parts.append(f"电子邮箱：{agency.email}")
    if agency.office_hours:
        parts.append(f"办公时间：{agency.office_hours}")
    return "\n".join(parts)


def _address_paragraphs(paragraphs: dict[str, str], context: Any) -> dict[str, str]:
    """Standard paragraphs say 你（单位）; a letter to a known person or organisation says 你 or 你单位."""
    you = getattr(context, "you", None)
    if not you:
        return paragraphs
    return {key: (text or "").replace("你（单位）", you) for key, text in paragraphs.items()}


def template_vars(
    kind: LetterKind,
    agency,
    context: Any,
    *,
    number: str | None = None,
    verification_code: str | None = None,
    issue_date: dt.date | None = None,
    corrects: Letter | None = None,
    draft: bool = False,
) -> dict:
    info = kind_info(kind)
    settings = settings_for(agency)
    year = (issue_date or today_china()).year
    ordinary, refused = _remedy_parts(kind, context) if info.has_remedy else (False, False)
    return {
        "kind": kind.value,
        "title": info.title,
        "ctx": context,
        "agency": agency,
        "letterhead": settings.letterhead or agency.full_name,
        "signatory": settings.signatory or agency.full_name,
        "contact_block": settings.contact_block or default_contact_block(agency),
        "seal": _seal_data_uri(settings),
        "number": number or f"{number_prefix(agency, kind)}〔{year}〕　号",
        "verification_code": display_code(verification_code) if verification_code else "",
        "verify_url": verify_url(),
        "issue_date": issue_date or today_china(),
        "corrects": corrects,
        "draft": draft,
        "p": _address_paragraphs(para.resolve(kind, settings.paragraphs), context),
        "remedy": {
            "ordinary": ordinary,
            "refused": refused,
            "body": agency.reconsideration_body,
            "court": agency.litigation_court,
        },
        "OUTCOMES": OUTCOMES,
        "Outcome": Outcome,
        "cite": format_citations,
    }


def render_html(
    kind: LetterKind | str, agency, context: Any, *, stylesheet_urls: list[str] | None = None, **kwargs
) -> str:
    """The letter as HTML: the staff preview while drafting (with `stylesheet_urls` for a browser), and the
    input of `render_pdf` (stylesheets are then passed to WeasyPrint, already parsed)."""
    kind = LetterKind(kind)
    _check_context(kind, context)
    kwargs.setdefault("draft", kwargs.get("number") is None)
    variables = template_vars(kind, agency, context, **kwargs)
    if stylesheet_urls:
        variables["stylesheet_urls"] = stylesheet_urls
    return jinja_env().get_template(f"{kind.value}/letter.html").render(**variables)


def render_pdf(kind: LetterKind | str, agency, context: Any, *, variant: str | None = PDF_VARIANT, **kwargs) -> bytes:
    """The exact PDF: the reviewers see what will be issued (without number and code until it is issued)."""
    kind = LetterKind(kind)
    html = render_html(kind, agency, context, **kwargs)
    try:
        return renderer().write_pdf(html, kind.value, variant=variant)
    except RendererUnavailable as exc:
        raise DomainError(_l("Letters cannot be rendered on this server: %(problem)s", problem=str(exc))) from exc


# ---------------------------------------------------------------------------------------------------------
# Issue, void, correct
# ---------------------------------------------------------------------------------------------------------


def _live_key(agency_id: int, related: tuple[str, Any] | None, kind: LetterKind, addressee: str) -> str | None:
    if related is None:
        return None
    raw = f"{agency_id}\x1f{related[0]}\x1f{related[1]}\x1f{kind.value}\x1f{addressee.strip()}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_letter(
    kind: LetterKind | str,
    agency,
    context: Any,
    *,
    related: tuple[str, Any] | None = None,
    addressee: str | None = None,
    corrects: Letter | None = None,
    issued_by=None,
    issue_date: dt.date | None = None,
    correction_reason: str | None = None,
) -> Letter:
    """Number, render, freeze and record one letter (issue 4; GB/T 9704 发文字号; 条例 Art. 45 archiving).

    Refuses, before anything is numbered, when a required value is missing (naming it) or when the same
    letter (same related object, kind and addressee) is already issued and not void — use `correct_letter`.
    """
    kind = LetterKind(kind)
    info = kind_info(kind)
    missing = missing_for(kind, agency, context)
    if missing:
        raise LetterIncomplete(missing)
    addressee = (addressee or addressee_of(kind, context)).strip()
    live_key = _live_key(agency.id, related, kind, addressee)
    if corrects is not None:
        if corrects.agency_id != agency.id or corrects.kind != kind.value:
            raise DomainError(_l("A correction must be a letter of the same kind from the same agency."))
        if corrects.status != LetterStatus.ISSUED:
            raise DomainError(_l("Only an issued letter that is not void or already corrected can be corrected."))
        corrects.status = LetterStatus.SUPERSEDED
        corrects.live_key = None
        db.session.flush()
    elif live_key is not None:
        existing = db.session.execute(
            db.select(Letter.number).where(Letter.agency_id == agency.id, Letter.live_key == live_key)
        ).scalar_one_or_none()
        if existing:
            raise DomainError(
                _l(
                    "This letter has already been issued as %(number)s. Correct or void it instead of issuing "
                    "it again.",
                    number=existing,
                )
            )

    issue_date = issue_date or today_china()
    serial = numbering.next_value(f"letter:{info.series}", agency.id, issue_date.year)
    number = format_number(number_prefix(agency, kind), issue_date.year, serial)
    code = new_verification_code()
    pdf = render_pdf(
        kind, agency, context, number=number, verification_code=code, issue_date=issue_date, corrects=corrects
    )
    stored = storage.store(
        pdf,
        original_name=f"{info.file_stem}.pdf",
        content_type="application/pdf",
        agency_id=agency.id,
        uploaded_by_id=getattr(issued_by, "id", None),
    )
    db.session.flush()
    letter = Letter(
        agency_id=agency.id,
        kind=kind.value,
        title=info.title,
        series=info.series,
        year=issue_date.year,
        serial=serial,
        number=number,
        status=LetterStatus.ISSUED,
        issue_date=issue_date,
        related_type=related[0] if related else None,
        related_id=str(related[1]) if related else None,
        addressee_name=addressee,
        file_id=stored.id,
        sha256=stored.sha256,
        size=stored.size,
        verification_code=code,
        corrects_id=corrects.id if corrects else None,
        context=ctx.to_json(context),
        issued_by_id=getattr(issued_by, "id", None),
        live_key=live_key,
    )
    try:
        with db.session.begin_nested():
            db.session.add(letter)
    except IntegrityError:
        raise DomainError(_l("This letter was issued by someone else at the same moment. Reload the page.")) from None
    after = {
        "number": number,
        "kind": kind.value,
        "sha256": stored.sha256,
        "addressee": addressee,
        "corrects": corrects.number if corrects else None,
    }
    letter.log("letter.issued", after=after, reason=correction_reason, actor=issued_by)
    letter.log_on_related("letter.issued", after=after, actor=issued_by)
    return letter


def correct_letter(old: Letter, agency, context: Any, *, reason: str, issued_by=None) -> Letter:
    """A correction is a new letter (new number) that refers to the old one; the old one stays on record as
    superseded and still verifies as genuine but corrected."""
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for the correction."), field="reason")
    related = (old.related_type, old.related_id) if old.related_type else None
    return issue_letter(
        old.kind,
        agency,
        context,
        related=related,
        addressee=old.addressee_name,
        corrects=old,
        issued_by=issued_by,
        correction_reason=reason,
    )


def void_letter(letter: Letter, reason: str, *, actor=None) -> Letter:
    """Cancel an issued letter. Its number stays recorded as void and is never reused (issue 4)."""
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for voiding the letter."), field="reason")
    if letter.status == LetterStatus.VOID:
        raise DomainError(_l("This letter is already void."))
    if letter.deliveries:
        # Served on the addressee, it is a legal act: it stays as it is, and a correction is a new letter.
        raise DomainError(_l("A letter that has been delivered cannot be voided. Issue a correction instead."))
    before = {"status": letter.status}
    letter.status = LetterStatus.VOID
    letter.live_key = None
    letter.voided_at = utcnow()
    letter.void_reason = reason.strip()
    db.session.flush()
    letter.log(
        "letter.voided",
        before=before,
        after={"status": letter.status, "number": letter.number},
        reason=reason,
        actor=actor,
    )
    letter.log_on_related("letter.voided", after={"number": letter.number}, reason=reason, actor=actor)
    return letter


# ---------------------------------------------------------------------------------------------------------
# Reading, verifying, delivering
# ---------------------------------------------------------------------------------------------------------


def letter_pdf(letter: Letter) -> bytes:
    """The frozen bytes of an issued letter; refuses to serve a file whose checksum no longer matches."""
    stored = db.session.get(storage.StoredFile, letter.file_id)
    data = stored.read_bytes()
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        raise DomainError(_l("The stored letter file is damaged (checksum mismatch). Contact the administrator."))
    return data


def verify(number: str, code: str) -> Letter | None:
    """The letter with this number and verification code, or None. A wrong code reveals nothing: the
    answer is the same as for a number that does not exist."""
    number = normalise_number(number)
    code = re.sub(r"[\s-]", "", code or "").upper()
    if not number or len(code) != CODE_LENGTH:
        return None
    candidates = db.session.execute(db.select(Letter).where(Letter.number == number)).scalars().all()
    found = None
    for letter in candidates:
        if hmac.compare_digest(letter.verification_code, code):
            found = letter
    return found


def public_summary(letter: Letter) -> dict:
    """What the public verification page may show (issue 4): agency, date, masked addressee, checksum."""
    agency = db.session.get(Agency, letter.agency_id)
    return {
        "number": letter.number,
        "title": letter.title,
        "agency": agency.full_name if agency else "",
        "issue_date": letter.issue_date,
        "addressee": mask_name(letter.addressee_name),
        "sha256": letter.sha256,
        "status": letter.status,
    }


def email_letter(
    letter: Letter, to: str, *, subject: str | None = None, body_text: str | None = None, actor=None
) -> LetterDelivery:
    """Queue the frozen PDF by email through the outbox (sent after commit) and record the delivery."""
    if letter.status == LetterStatus.VOID:
        raise DomainError(_l("A void letter cannot be sent."))
    to = (to or "").strip()
    if not to or "@" not in to:
        raise DomainError(_l("Enter a valid email address."), field="to")
    subject = subject or f"{letter.title}（{letter.number}）"
    body_text = body_text or (
        f"{letter.addressee_name}：\n\n附件为{letter.title}（{letter.number}），请查收。\n"
        f"本文书验证码：{display_code(letter.verification_code)}，可在 {verify_url()} 查验真伪。\n"
    )
    # The domain the letter belongs to may deliver it its own way (a reply goes with the information provided).
    handled = signals.values_from(signals.letter_email.send(letter.related_type or "", letter=letter, to=to))
    msg = handled[0] if handled else None
    if msg is None:
        msg = enqueue_email(
            to=to,
            subject=subject,
            body_text=body_text,
            attachments=[{"file_id": letter.file_id, "filename": letter.download_name}],
            agency_id=letter.agency_id,
            related=("letter", letter.id),
        )
    db.session.flush()
    return record_delivery(letter, DeliveryMethod.EMAIL, recipient=to, outbox_message_id=msg.id, actor=actor)


def record_delivery(
    letter: Letter,
    method: DeliveryMethod | str,
    *,
    recipient: str = "",
    tracking_number: str = "",
    delivered_on: dt.date | None = None,
    note: str = "",
    outbox_message_id: int | None = None,
    actor=None,
) -> LetterDelivery:
    """Record how a letter was delivered: email (via the outbox), post, collection at the office, in person."""
    method = DeliveryMethod(method)
    if method is DeliveryMethod.POST and not tracking_number.strip():
        raise DomainError(_l("Enter the postal tracking number."), field="tracking_number")
    if letter.status == LetterStatus.VOID:
        raise DomainError(_l("A void letter cannot be delivered."))
    row = LetterDelivery(
        letter=letter,
        method=method.value,
        recipient=recipient.strip(),
        tracking_number=tracking_number.strip(),
        delivered_on=delivered_on,
        note=note.strip(),
        outbox_message_id=outbox_message_id,
        recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(row)
    db.session.flush()
    letter.log(
        "letter.delivery_recorded",
        after={
            "method": method.value,
            "recipient": row.recipient,
            "tracking_number": row.tracking_number,
            "delivered_on": delivered_on,
        },
        actor=actor,
    )
    signals.letter_delivered.send(letter, delivery=row, actor=actor)
    return row


def letters_for(related_type: str, related_id: Any) -> list[Letter]:
    return (
        db.session.execute(
            db.select(Letter)
            .where(Letter.related_type == related_type, Letter.related_id == str(related_id))
            .order_by(Letter.id)
        )
        .scalars()
        .all()
    )
