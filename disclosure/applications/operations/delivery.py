"""The reply by email: the letter and the information provided reach the applicant in one message (条例 Art. 40).

An applicant who chose delivery by email gets the reply letter (答复书.pdf) and the files provided (the
attachments of purpose `provided` and `redacted`, named as the letter lists them under 附件). When the files
together pass the mail size limit (`MAIL_MAX_ATTACHMENT_BYTES`, 15 MB by default), the message carries the letter
and a signed link with an expiry instead (`APPLICATION_FILES_LINK_DAYS`, 30 days by default).

Why a signed link and not the applicant's own page: a case registered from a letter, a fax or a visit has no
applicant account, so "log in and download" reaches nobody; the link itself is the permission, limited to that
case's provided files, to the reply letter it was sent with (it stops working once that letter is corrected or
voided) and to its expiry. itsdangerous signs it with a salt of its own, so no other signed value of the
application (a reset or confirmation link) can be passed off as one.

`send_reply_email` is the one function both paths use: `issue` (the applicant chose email) and `deliver` (staff
record delivery by email). It queues the message once per reply letter, so recording the delivery after the
issue points at the message already queued rather than sending it again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from disclosure.applications import letters
from disclosure.applications.models import Application, Attachment, AttachmentPurpose
from disclosure.applications.operations.case import applicant_language
from disclosure.core.errors import DomainError
from disclosure.core.outbox import OutboxMessage, enqueue_email
from disclosure.core.timeutil import today_china
from disclosure.correspondence import Letter, LetterStatus
from disclosure.extensions import db

# The outbox's `related` of the email that delivers a reply letter: (REPLY_EMAIL, letter id), one per letter.
REPLY_EMAIL = "application_reply"
DEFAULT_MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024
DEFAULT_LINK_DAYS = 30
_SALT = "disclosure.applications.provided-files"
LINK_PATH = "/provided-files"  # the public view's prefix (views/provided.py)
PROVIDED = (AttachmentPurpose.PROVIDED, AttachmentPurpose.REDACTED)


def provided_files(app: Application) -> list[tuple[Attachment, str]]:
    """The information provided, in the reply letter's order, each with the title the letter lists it by (附件,
    `ReplyContext.attachment_titles`)."""
    files = [a for a in app.attachments if a.purpose in PROVIDED]
    titles = letters.reply_context(app).attachment_titles  # built from the same attachments, in the same order
    return list(zip(files, titles, strict=True))


def file_name(att: Attachment, title: str) -> str:
    """The name a provided file is sent under: its title and the extension of the upload."""
    return f"{title}{PurePath(att.file.original_name).suffix}"


def link_days() -> int:
    return int(current_app.config.get("APPLICATION_FILES_LINK_DAYS", DEFAULT_LINK_DAYS))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def files_token(app: Application, letter: Letter) -> str:
    return _serializer().dumps([app.id, letter.id])


@dataclass(frozen=True)
class FilesLink:
    """What a download link opens: the case and the reply letter it was sent with; or why it opens nothing
    (`refused`: 'expired', 'invalid' or 'withdrawn' once the letter was corrected or voided)."""

    app: Application | None = None
    letter: Letter | None = None
    refused: str | None = None


def read_files_token(token: str) -> FilesLink:
    try:
        data = _serializer().loads(token, max_age=link_days() * 86400)
    except SignatureExpired:
        return FilesLink(refused="expired")
    except BadSignature:
        return FilesLink(refused="invalid")
    if not (isinstance(data, list) and len(data) == 2 and all(type(v) is int for v in data)):
        return FilesLink(refused="invalid")
    app = db.session.get(Application, data[0])
    letter = db.session.get(Letter, data[1])
    if app is None or letter is None:
        return FilesLink(refused="invalid")
    if app.reply_letter_id != letter.id or letter.status != LetterStatus.ISSUED:
        return FilesLink(refused="withdrawn")
    return FilesLink(app=app, letter=letter)


def queued_reply_email(letter: Letter) -> OutboxMessage | None:
    """The email already queued to deliver this reply letter, if any."""
    return db.session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.related_type == REPLY_EMAIL, OutboxMessage.related_id == str(letter.id))
        .order_by(OutboxMessage.id)
        .limit(1)
    ).scalar_one_or_none()


def send_reply_email(app: Application, letter: Letter) -> OutboxMessage:
    """Queue the email that delivers the reply to the applicant's address, once per reply letter: the letter and
    the information provided as attachments; over the size limit, the letter and a download link with its
    expiry. Returns the message (the one already queued, when there is one)."""
    existing = queued_reply_email(letter)
    if existing is not None:
        return existing
    if not app.email:
        raise DomainError(_l("The applicant gave no email address: choose post or collection."), field="channel")
    files = [(a, file_name(a, title)) for a, title in provided_files(app)]
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    limit = current_app.config.get("MAIL_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES)
    attachments = letters.email_attachments(letter)
    ctx: dict = {"letter": letter, "files": [name for _, name in files], "link": None, "expires": None}
    if letter.size + sum(a.file.size for a, _ in files) <= limit:
        attachments += [{"file_id": a.file_id, "filename": name} for a, name in files]
    elif files:
        ctx["link"] = f"{base}{LINK_PATH}/{files_token(app, letter)}"
        ctx["expires"] = today_china() + dt.timedelta(days=link_days())
    with applicant_language(app):
        subject = render_template("emails/applications/issued.subject.txt", app=app, **ctx).strip()
        body = render_template("emails/applications/issued.txt", app=app, base_url=base, **ctx)
    msg = enqueue_email(
        to=app.email,
        subject=subject,
        body_text=body,
        attachments=attachments,
        agency_id=app.agency_id,
        related=(REPLY_EMAIL, letter.id),
    )
    db.session.flush()
    return msg


def email_reply_from_letter_page(_related_type: str, *, letter: Letter, to: str) -> OutboxMessage | None:
    """The reply letter emailed from its own page to the applicant's address goes as the reply by email does, with
    the information provided (signals.letter_email); any other letter or address: the letter alone."""
    app = db.session.get(Application, int(letter.related_id)) if (letter.related_id or "").isdigit() else None
    if app is None or app.reply_letter_id != letter.id or (app.email or "").lower() != to.lower():
        return None
    return send_reply_email(app, letter)
