"""The outbox: email written in the same transaction as the change that causes it, delivered after commit.

A failed request never sends mail and a committed change always sends its mail: the worker delivers rows in
state `pending` whose time has come, with exponential backoff on SMTP errors. A message is claimed before it is
sent and marked sent right after, so an SMTP outage loses nothing and sends nothing twice. Only a worker that
dies between the SMTP server's acceptance and the next statement can leave a message `sending`; such a message
is retried after SENDING_STALE (at-least-once in that one case, which the Message-ID lets mail clients dedupe).
"""

from __future__ import annotations

import datetime as dt
import enum
import mimetypes

from flask import current_app
from flask_mail import Message
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from disclosure.core import signals
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.core.storage import StoredFile
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db, mail

SENDING_STALE = dt.timedelta(minutes=15)


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after OUTBOX_MAX_ATTEMPTS; staff can requeue


class OutboxMessage(TimestampMixin, db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True, index=True)
    recipient: Mapped[str] = mapped_column(String(254), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    # [{"file_id": StoredFile.id, "filename": "答复书.pdf"}]
    attachments: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    related_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    related_id: Mapped[str | None] = mapped_column(String(60), nullable=True)
    state: Mapped[str] = mapped_column(String(20), default=OutboxState.PENDING, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_outbox_due", "state", "next_attempt_at"),
        Index("ix_outbox_related", "related_type", "related_id"),
    )

    @property
    def message_id(self) -> str:
        host = current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].strip(">") or "localhost"
        return f"<outbox-{self.id}@{host}>"


def enqueue_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    attachments: list[dict] | None = None,
    agency_id: int | None = None,
    related: tuple[str, object] | None = None,
) -> OutboxMessage:
    """Write an email into the current transaction; the worker sends it after the commit."""
    msg = OutboxMessage(
        recipient=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
        agency_id=agency_id,
        related_type=related[0] if related else None,
        related_id=str(related[1]) if related else None,
    )
    db.session.add(msg)
    db.session.info["outbox_dirty"] = True
    return msg


def pending_values(
    *,
    to: str,
    subject,
    body_text,
    agency_id: int | None,
    related: tuple[str, object] | None,
    attachments: list[dict] | None = None,
) -> dict:
    """The columns of a message as `enqueue_email` writes it, for a caller that inserts it with a statement of its
    own (`subject` and `body_text` may be SQL expressions); the caller then calls `queued_by_statement()`."""
    now = utcnow()
    return {
        "agency_id": agency_id,
        "recipient": to,
        "subject": subject,
        "body_text": body_text,
        "body_html": None,
        "attachments": attachments or [],
        "related_type": related[0] if related else None,
        "related_id": str(related[1]) if related else None,
        "state": OutboxState.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }


def queued_by_statement() -> None:
    """Mail was inserted by the caller's own statement (`pending_values`): it is delivered after the commit, as what
    `enqueue_email` writes."""
    db.session.info["outbox_dirty"] = True


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    """Mail queued in a committed transaction may now be delivered: `kick()` does it once the commit is over."""
    if session.info.pop("outbox_dirty", False):
        session.info["outbox_committed"] = True


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("outbox_dirty", None)


def kick() -> None:
    """Side effect after commit: ask the worker to deliver what the committed transaction queued.

    Called by the request boundary after its commit (and by commands after theirs). Never inside the
    transaction: a failed request must send nothing. If the worker queue is unreachable, the periodic sweep
    delivers the messages anyway.
    """
    if not db.session.info.pop("outbox_committed", False):
        return
    try:
        signals.outbox_committed.send(current_app._get_current_object())
    except Exception:
        current_app.logger.exception("could not enqueue outbox delivery")


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes, capped at 6 hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _build(msg: OutboxMessage) -> Message:
    m = Message(
        subject=msg.subject,
        recipients=[msg.recipient],
        body=msg.body_text,
        html=msg.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    m.msgId = msg.message_id  # stable per outbox row: a resend after a crash carries the same Message-ID
    for att in msg.attachments:
        stored = db.session.get(StoredFile, att["file_id"])
        name = att.get("filename") or stored.original_name
        ctype = stored.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        m.attach(filename=name, content_type=ctype, data=stored.read_bytes())
    return m


def deliver_due(now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Deliver every due message once. Commits after each state change. Returns counts."""
    now = now or utcnow()
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    stats = {"sent": 0, "retry": 0, "failed": 0}
    due = (
        db.session.execute(
            db.select(OutboxMessage.id)
            .where(
                ((OutboxMessage.state == OutboxState.PENDING) & (OutboxMessage.next_attempt_at <= now))
                | ((OutboxMessage.state == OutboxState.SENDING) & (OutboxMessage.claimed_at < now - SENDING_STALE))
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    db.session.commit()
    for msg_id in due:
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == msg_id,
                (OutboxMessage.state == OutboxState.PENDING)
                | ((OutboxMessage.state == OutboxState.SENDING) & (OutboxMessage.claimed_at < now - SENDING_STALE)),
            )
            .values(state=OutboxState.SENDING, claimed_at=utcnow(), attempts=OutboxMessage.attempts + 1)
        ).rowcount
        db.session.commit()
        if not claimed:
            continue  # another worker has it
        msg = db.session.get(OutboxMessage, msg_id)
        try:
            mail.send(_build(msg))
        except Exception as exc:
            msg.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            msg.claimed_at = None
            if msg.attempts >= max_attempts:
                msg.state = OutboxState.FAILED
                stats["failed"] += 1
            else:
                msg.state = OutboxState.PENDING
                msg.next_attempt_at = utcnow() + backoff(msg.attempts)
                stats["retry"] += 1
            db.session.commit()
            continue
        msg.state = OutboxState.SENT
        msg.sent_at = utcnow()
        msg.last_error = None
        db.session.commit()
        stats["sent"] += 1
    return stats


def requeue(msg: OutboxMessage) -> None:
    """Staff action: try a failed message again now."""
    msg.state = OutboxState.PENDING
    msg.next_attempt_at = utcnow()
    msg.claimed_at = None
    db.session.info["outbox_dirty"] = True
