"""Comments (issue 12 §2): received online or entered by staff, numbered without gaps, moderated, grouped,
answered; answers stay private until the feedback is published."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from typing import Any

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from disclosure.accounts.models import User
from disclosure.core import audit, numbering
from disclosure.core.documents import inspect_document
from disclosure.core.errors import DomainError, collect_errors
from disclosure.core.outbox import enqueue_email
from disclosure.core.storage import safe_display_name, store
from disclosure.core.timeutil import CHINA_TZ, as_utc, today_china, utcnow
from disclosure.core.validators import ValidationError, validate_resident_id
from disclosure.extensions import db
from disclosure.participation.articles import article_numbers
from disclosure.participation.models import (
    SEARCH_INDEX,
    Channel,
    Comment,
    CommentGroup,
    Consultation,
    Moderation,
    Result,
    SubmitterType,
)
from disclosure.participation.operations.consultations import settings_for
from workflows.consultation import States

MAX_COMMENT = 10_000
MAX_ATTACHMENT = 20 * 1024 * 1024
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")
PHONE = re.compile(r"^[0-9+\-() ]{5,40}$")
KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
ANSWERABLE = (States.OPEN.value, States.CLOSED.value)


def new_submission_key() -> str:
    """The token a comment form carries, so that posting it twice counts once."""
    return secrets.token_urlsafe(18)


def closing_text(c: Consultation) -> str:
    """`2026-06-01 24:00` (Beijing time): the end of the closing day, as the refusal names it."""
    return f"{c.closes_on.isoformat()} 24:00"


def accepts_comments(c: Consultation, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    return c.state == States.OPEN.value and as_utc(c.opens_at) <= now < as_utc(c.closes_at)


def clean_body(raw: Any) -> str:
    text = "" if raw is None else str(raw)
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def _clean(c: Consultation, data: Mapping[str, Any], *, staff: bool, errors) -> dict:
    settings = settings_for(c.agency_id)
    out: dict[str, Any] = {}
    body = clean_body(data.get("body"))
    if not body:
        errors.add(_l("Write your comment: the comment is empty."), field="body")
    elif len(body) > MAX_COMMENT:
        errors.add(
            _l(
                "Your comment has %(n)d characters; at most %(max)d are accepted. Shorten it, or attach the full "
                "text as a document.",
                n=len(body),
                max=MAX_COMMENT,
            ),
            field="body",
        )
    out["body"] = body
    try:
        article = int(str(data.get("article") or "0").strip() or "0")
    except (ValueError, OverflowError):
        article = -1
    if article != 0 and article not in article_numbers(c.draft_html):
        errors.add(_l("Choose the whole draft or one of its articles."), field="article")
    out["article"] = max(article, 0)
    out["paragraph"] = clean_body(data.get("paragraph"))
    if len(out["paragraph"]) > 60:
        errors.add(_l("At most %(n)d characters.", n=60), field="paragraph")
    kind = str(data.get("submitter_type") or SubmitterType.CITIZEN.value)
    if kind not in {k.value for k in SubmitterType}:
        errors.add(_l("Choose a value from the list."), field="submitter_type")
    out["submitter_type"] = kind
    name = clean_body(data.get("name"))
    if not name and settings.require_name and not staff:
        errors.add(_l("Enter your name (it is never published)."), field="name")
    elif len(name) > 100:
        errors.add(_l("At most %(n)d characters.", n=100), field="name")
    out["name"] = name
    email = clean_body(data.get("email"))
    if email and not EMAIL.match(email):
        errors.add(_l("Enter an email address like name@example.cn."), field="email")
    elif not email and settings.require_email and not staff:
        errors.add(_l("Enter your email address (it is never published)."), field="email")
    out["email"] = email
    phone = clean_body(data.get("phone"))
    if phone and not PHONE.match(phone):
        errors.add(_l("Enter a telephone number (digits, spaces, + and - only)."), field="phone")
    elif not phone and settings.require_phone and not staff:
        errors.add(_l("Enter your telephone number (it is never published)."), field="phone")
    out["phone"] = phone
    id_number = clean_body(data.get("id_number")).upper()
    if id_number:
        try:
            id_number = validate_resident_id(id_number)
        except ValidationError as exc:
            errors.add(exc.message, field="id_number")
    elif settings.require_id_number and not staff:
        errors.add(_l("Enter your resident ID number (it is never published)."), field="id_number")
    out["id_number"] = id_number
    return out


def _attachment(data: Mapping[str, Any], *, agency_id: int, user_id: int | None, errors) -> tuple[int | None, str]:
    upload = data.get("attachment")
    if upload is None:
        return None, ""
    content, filename = upload
    if not content:
        return None, ""
    with errors.check("attachment"):
        kind = inspect_document(content, filename, MAX_ATTACHMENT, field="attachment")
        stored = store(
            content,
            original_name=filename,
            content_type=kind.content_type,
            agency_id=agency_id,
            uploaded_by_id=user_id,
        )
        db.session.flush()
        return stored.id, safe_display_name(filename)
    return None, ""


def _existing(c: Consultation, key: str) -> Comment | None:
    return db.session.execute(
        select(Comment).where(Comment.consultation_id == c.id, Comment.submission_key == key)
    ).scalar_one_or_none()


def _insert(c: Consultation, comment: Comment) -> tuple[Comment, bool]:
    """Insert once per submission key: a concurrent twin waits on the unique index and then finds the first."""
    try:
        with db.session.begin_nested():
            db.session.add(comment)
            db.session.flush()
    except IntegrityError:
        first = _existing(c, comment.submission_key)
        if first is None:
            raise
        return first, False
    year = comment.received_on.year
    serial = numbering.next_value("participation_comment", c.agency_id, year)
    comment.number = f"{year}-{serial:05d}"
    db.session.flush()
    comment.log(
        "participation.comment",
        after={"number": comment.number, "article": comment.article, "channel": comment.channel},
        actor=comment.entered_by_id and db.session.get(User, comment.entered_by_id),
    )
    return comment, True


def submit_comment(
    c: Consultation, data: Mapping[str, Any], *, user: User | None, now: dt.datetime | None = None
) -> tuple[Comment, bool]:
    """A comment from the public page. Returns (comment, created); the same form posted again returns the first."""
    now = now or utcnow()
    key = str(data.get("submission_key") or "")
    if not KEY.match(key):
        key = new_submission_key()
    else:
        first = _existing(c, key)
        if first is not None:
            return first, False
    if not accepts_comments(c, now):
        if (c.state == States.OPEN.value and as_utc(c.opens_at) <= now) or c.closed_at is not None:
            raise DomainError(
                _l("Comments closed at %(when)s (Beijing time); this comment was not accepted.", when=closing_text(c))
            )
        raise DomainError(_l("This consultation is not open for comments."))
    if not c.accept_online:
        raise DomainError(_l("This consultation takes comments by the channels listed, not online."))
    settings = settings_for(c.agency_id)
    if settings.require_account and (user is None or not user.is_authenticated):
        raise DomainError(_l("Sign in to comment: this agency takes comments from registered users only."))
    with collect_errors() as errors:
        values = _clean(c, data, staff=False, errors=errors)
        file_id, file_name = _attachment(data, agency_id=c.agency_id, user_id=getattr(user, "id", None), errors=errors)
    comment = Comment(
        consultation_id=c.id,
        agency_id=c.agency_id,
        submission_key=key,
        access_key=secrets.token_urlsafe(24),
        channel=Channel.ONLINE.value,
        received_on=now.astimezone(CHINA_TZ).date(),
        submitted_at=now,
        user_id=getattr(user, "id", None) if user is not None and user.is_authenticated else None,
        attachment_id=file_id,
        attachment_name=file_name,
        moderation=Moderation.PENDING.value,
        **values,
    )
    comment, created = _insert(c, comment)
    if created and comment.email:
        _receipt_email(c, comment)
    return comment, created


def status_link(comment: Comment) -> str:
    """The commenter's status page on the public site, built without a request (tasks and commands send too)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/participation/comments/{comment.access_key}"


def _receipt_email(c: Consultation, comment: Comment) -> None:
    link = status_link(comment)
    enqueue_email(
        to=comment.email,
        subject=f"意见已收到 · Comment received: {comment.number}",
        body_text=render_template("emails/participation/receipt.txt", consultation=c, comment=comment, link=link),
        agency_id=c.agency_id,
        related=("participation_comment", comment.id),
    )


def enter_comment(c: Consultation, data: Mapping[str, Any], *, actor: User) -> Comment:
    """A comment received by email, post, fax or at a hearing, entered by staff with its received date."""
    if c.state not in ANSWERABLE:
        raise DomainError(_l("Comments can be entered while the consultation is open or closed, before its feedback."))
    with collect_errors() as errors:
        values = _clean(c, data, staff=True, errors=errors)
        channel = str(data.get("channel") or "")
        if channel not in {ch.value for ch in Channel} or channel == Channel.ONLINE.value:
            errors.add(_l("Choose how the comment came in."), field="channel")
        received = data.get("received_on")
        try:
            received = received if isinstance(received, dt.date) else dt.date.fromisoformat(str(received).strip())
        except ValueError:
            received = None
            errors.add(_l("Enter a date as YYYY-MM-DD."), field="received_on")
        if received is not None:
            opened = as_utc(c.opens_at).astimezone(CHINA_TZ).date()
            if received > today_china():
                errors.add(_l("The date received cannot be in the future."), field="received_on")
            elif received < opened:
                errors.add(_l("The consultation opened on %(d)s.", d=opened.isoformat()), field="received_on")
            elif received > c.closes_on:
                errors.add(
                    _l(
                        "Comments closed at %(when)s (Beijing time); this comment was not accepted.",
                        when=closing_text(c),
                    ),
                    field="received_on",
                )
        file_id, file_name = _attachment(data, agency_id=c.agency_id, user_id=actor.id, errors=errors)
    key = str(data.get("submission_key") or "")
    if KEY.match(key) and (first := _existing(c, key)) is not None:
        return first
    comment = Comment(
        consultation_id=c.id,
        agency_id=c.agency_id,
        submission_key=key if KEY.match(key) else new_submission_key(),
        access_key=secrets.token_urlsafe(24),
        channel=channel,
        received_on=received,
        submitted_at=utcnow(),
        entered_by_id=actor.id,
        attachment_id=file_id,
        attachment_name=file_name,
        moderation=Moderation.PENDING.value,
        **values,
    )
    comment, _created = _insert(c, comment)
    return comment


# --- Moderation --------------------------------------------------------------------------------------------------

MODERATION_FIELDS = ("moderation", "duplicate_of_id", "group_id", "result", "reason")


def _change(comment: Comment, action: str, actor: User, apply) -> Comment:
    before = audit.snapshot(comment, MODERATION_FIELDS)
    apply()
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(comment, MODERATION_FIELDS))
    if old or new:
        comment.log(action, before=old, after=new, actor=actor)
    return comment


def set_moderation(comment: Comment, value: str, *, actor: User) -> Comment:
    if value not in {m.value for m in Moderation}:
        raise DomainError(_l("Choose a value from the list."), field="moderation")
    return _change(comment, "participation.moderate", actor, lambda: setattr(comment, "moderation", value))


def find_by_number(c: Consultation, number: str) -> Comment | None:
    return db.session.execute(
        select(Comment).where(Comment.consultation_id == c.id, Comment.number == number.strip())
    ).scalar_one_or_none()


def mark_duplicate(comment: Comment, original_number: str, *, actor: User) -> Comment:
    """A duplicate (the same text sent again, a campaign) is kept and counted, answered by its original."""
    original = None
    if original_number.strip():
        original = find_by_number(comment.consultation, original_number)
        if original is None or original.id == comment.id:
            raise DomainError(_l("No other comment of this consultation has this number."), field="duplicate_of")
        if original.duplicate_of_id is not None:
            original = db.session.get(Comment, original.duplicate_of_id)
    return _change(
        comment, "participation.duplicate", actor, lambda: setattr(comment, "duplicate_of_id", original and original.id)
    )


def create_group(c: Consultation, title: str, *, actor: User) -> CommentGroup:
    title = clean_body(title)
    if not title:
        raise DomainError(_l("Summarise the group's comments (意见摘要)."), field="group_title")
    if len(title) > 300:
        raise DomainError(_l("At most %(n)d characters.", n=300), field="group_title")
    group = CommentGroup(consultation_id=c.id, agency_id=c.agency_id, title=title)
    db.session.add(group)
    db.session.flush()
    group.log("participation.group_create", after={"title": title, "consultation_id": c.id}, actor=actor)
    return group


def set_group(comment: Comment, group: CommentGroup | None, *, actor: User) -> Comment:
    if group is not None and group.consultation_id != comment.consultation_id:
        raise DomainError(_l("Choose a group of this consultation."), field="group_id")
    return _change(comment, "participation.group", actor, lambda: setattr(comment, "group_id", group and group.id))


def clean_answer(result: str, reason: str) -> tuple[str, str]:
    reason = clean_body(reason)
    if result not in {r.value for r in Result}:
        raise DomainError(_l("Choose the result."), field="result")
    if result == Result.NOT_ADOPTED.value and not reason:
        raise DomainError(_l("Give the reason a comment is not adopted (未采纳)."), field="reason")
    if len(reason) > 2000:
        raise DomainError(_l("At most %(n)d characters.", n=2000), field="reason")
    return result, reason


def _check_answerable(c: Consultation) -> None:
    if c.state not in ANSWERABLE:
        raise DomainError(_l("Answers can change only until the feedback is drafted."))


def answer_comment(comment: Comment, result: str, reason: str, *, actor: User) -> Comment:
    _check_answerable(comment.consultation)
    result, reason = clean_answer(result, reason)

    def apply():
        comment.result, comment.reason = result, reason
        comment.answered_at, comment.answered_by_id = utcnow(), actor.id

    return _change(comment, "participation.answer", actor, apply)


def answer_group(group: CommentGroup, result: str, reason: str, *, actor: User) -> CommentGroup:
    _check_answerable(db.session.get(Consultation, group.consultation_id))
    result, reason = clean_answer(result, reason)
    before = audit.snapshot(group, ("result", "reason"))
    group.result, group.reason = result, reason
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(group, ("result", "reason")))
    group.log("participation.group_answer", before=old, after=new, actor=actor)
    return group


# --- Reading -----------------------------------------------------------------------------------------------------


def moderation_query(c: Consultation, filters: Mapping[str, str]):
    """The staff list's comment ids, newest first, filtered by moderation, article, channel, answer or text (paged
    and loaded by `moderation_page`). Each filter has an index beginning with the consultation (models.Comment),
    so the ids are read and counted from it without the rows; the text is searched through the comments' search
    index as a phrase of characters, or equals a comment's number."""
    q = select(Comment.id).where(Comment.consultation_id == c.id)
    value = filters.get("moderation") or ""
    if value in {m.value for m in Moderation}:
        q = q.where(Comment.moderation == value)
    value = filters.get("article") or ""
    if value.isascii() and value.isdigit() and len(value) < 6:
        q = q.where(Comment.article == int(value))
    value = filters.get("channel") or ""
    if value in {ch.value for ch in Channel}:
        q = q.where(Comment.channel == value)
    value = filters.get("answer") or ""
    if value == "unanswered":
        # Not answered by itself nor by its group (a duplicate is answered by its original).
        answered_groups = select(CommentGroup.id).where(CommentGroup.consultation_id == c.id, CommentGroup.result != "")
        q = q.where(
            # Written as the partial index's condition (models.UNANSWERED), the empty string inline, so that a
            # prepared statement's generic plan still matches the index.
            Comment.result == literal_column("''"),
            Comment.duplicate_of_id.is_(None),
            or_(Comment.group_id.is_(None), Comment.group_id.not_in(answered_groups)),
        )
    elif value in {r.value for r in Result}:
        q = q.where(Comment.result == value)
    elif value == "duplicate":
        q = q.where(Comment.duplicate_of_id.is_not(None))
    text = (filters.get("q") or "").strip()[:100]
    if text:
        # A phrase of the comments' text through the search index, or a comment's number. The number is looked up
        # first (the agency's unique index): an OR of the two on every row would make the engine evaluate the
        # search index's expression row by row instead of reading the index.
        dialect = db.session.get_bind().dialect.name
        condition = SEARCH_INDEX.condition(dialect, Comment.id, Comment.search_text, text)
        numbered = db.session.execute(
            select(Comment.id).where(
                Comment.agency_id == c.agency_id, Comment.number == text, Comment.consultation_id == c.id
            )
        ).scalar_one_or_none()
        q = q.where(or_(Comment.id == numbered, condition) if numbered is not None else condition)
    return q.order_by(Comment.id.desc())


PREVIEW = 306  # characters of a body the list reads: Jinja's truncate(300) keeps up to 305 whole


def moderation_page(c: Consultation, filters: Mapping[str, str], *, page: int, per_page: int = 50):
    """One page of the staff list in one statement: the ids that match are read once along the filters' indexes
    (kept apart, MATERIALIZED), counted, and the page's are joined to their comments with the beginning of each body
    (the list shows at most 300 characters; a body may have 10,000). Returns ([(comment, preview)], total); a page
    past the end counts apart. Load the consultation's groups first (`groups_of`): each comment's group is then
    found in the session."""
    matching = moderation_query(c, filters).order_by(None).cte("matching").prefix_with("MATERIALIZED")
    total = select(func.count()).select_from(matching).scalar_subquery()
    ids = select(matching.c.id).order_by(matching.c.id.desc()).limit(per_page).offset((page - 1) * per_page).subquery()
    rows = db.session.execute(
        select(Comment, func.substr(Comment.body, 1, PREVIEW), total.label("total"))
        .join(ids, ids.c.id == Comment.id)
        .options(defer(Comment.body), defer(Comment.search_text))
        .order_by(Comment.id.desc())
    ).all()
    if rows:
        return [(cm, preview) for cm, preview, _total in rows], rows[0].total
    matching = moderation_query(c, filters).order_by(None).subquery()
    return [], db.session.execute(select(func.count()).select_from(matching)).scalar_one()


def groups_of(c: Consultation) -> list[CommentGroup]:
    return list(
        db.session.execute(
            select(CommentGroup).where(CommentGroup.consultation_id == c.id).order_by(CommentGroup.id)
        ).scalars()
    )


def public_comments(c: Consultation, *, limit: int = 200) -> list[Comment]:
    """Comments moderated for publication, when the agency publishes comments at all."""
    if not settings_for(c.agency_id).publish_comments:
        return []
    return list(
        db.session.execute(
            select(Comment)
            .where(Comment.consultation_id == c.id, Comment.moderation == Moderation.PUBLISHED.value)
            .order_by(Comment.id)
            .limit(limit)
        ).scalars()
    )


def public_answer(comment: Comment) -> tuple[str, str] | None:
    """The answer the public (and the commenter) may see: none until the feedback is published."""
    c = comment.consultation
    if c.answers_published_at is None:
        return None
    if comment.duplicate_of_id is not None:
        original = db.session.get(Comment, comment.duplicate_of_id)
        return original.answer if original is not None else None
    return comment.answer


def by_access_key(key: str) -> Comment | None:
    if not KEY.match(key or ""):
        return None
    return db.session.execute(select(Comment).where(Comment.access_key == key)).scalar_one_or_none()


def comment_count(c: Consultation) -> int:
    return db.session.execute(select(func.count(Comment.id)).where(Comment.consultation_id == c.id)).scalar_one()
