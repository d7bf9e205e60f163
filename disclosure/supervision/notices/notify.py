"""The notices' emails, written to the outbox in the step's transaction and sent after its commit (issue 14 §3):
issue, close, reissue, withdrawal, the day-before reminder and the late notice go to the agency's office heads;
an answer goes to the supervisor who issued the notice; the late notice goes to them too.

Bodies are `templates/emails/supervision/<step>.txt` (subject `<step>.subject.txt`), rendered in each recipient's
language (Chinese unless they chose otherwise)."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from disclosure.accounts.models import User, UserRole
from disclosure.accounts.roles import Role
from disclosure.core.outbox import enqueue_email
from disclosure.extensions import db
from disclosure.supervision.notices.models import Notice

RELATED = "supervision_notice"


def office_heads(agency_id: int) -> list[User]:
    """The agency's active office heads (公开办负责人), who receive the notices."""
    return list(
        db.session.execute(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.agency_id == agency_id, User.active.is_(True), UserRole.role == Role.OFFICE_HEAD.value)
            .order_by(User.id)
        )
        .scalars()
        .unique()
    )


def notice_url(notice: Notice) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    return f"{base}/staff/supervision/notices/{notice.id}"


def absolute(url: str) -> str:
    """An item's link as an email can carry it (the registry's links are paths on this site)."""
    if url.startswith("/"):
        return current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + url
    return url


def send(step: str, notice: Notice, recipients: Iterable[User], **ctx) -> int:
    """Queue the step's email to each recipient (each address once); returns how many were queued."""
    sent, seen = 0, set()
    for user in recipients:
        if user is None or not user.active or not user.email or user.email in seen:
            continue
        seen.add(user.email)
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject = render_template(f"emails/supervision/{step}.subject.txt", notice=notice, **ctx).strip()
            body = render_template(
                f"emails/supervision/{step}.txt",
                notice=notice,
                user=user,
                link=notice_url(notice),
                absolute=absolute,
                **ctx,
            )
        enqueue_email(
            to=user.email,
            subject=" ".join(subject.split()),
            body_text=body,
            agency_id=notice.agency_id,
            related=(RELATED, notice.id),
        )
        sent += 1
    return sent


def to_office_heads(step: str, notice: Notice, **ctx) -> int:
    return send(step, notice, office_heads(notice.agency_id), **ctx)


def to_issuer(step: str, notice: Notice, **ctx) -> int:
    return send(step, notice, [notice.issued_by], **ctx)
