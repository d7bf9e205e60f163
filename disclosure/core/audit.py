"""The append-only audit log (条例 Art. 45: registration, handling and archiving must be traceable).

Every operation that changes data appends one event in the same transaction. The ORM refuses to update or
delete an event, and no view offers to, so an office can reconstruct who did what, when, from where.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any, ClassVar

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from disclosure.core.models import UTCDateTime
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_label: Mapped[str] = mapped_column(String(200), default="system", nullable=False)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    object_type: Mapped[str] = mapped_column(String(60), nullable=False)
    object_id: Mapped[str] = mapped_column(String(60), nullable=False)
    action: Mapped[str] = mapped_column(String(80), nullable=False)
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id", "id"),
        Index("ix_audit_events_agency_time", "agency_id", "occurred_at"),
    )


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):  # pragma: no cover - exercised by tests via flush
    raise PermissionError("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise PermissionError("audit events are append-only")


def jsonable(value: Any) -> Any:
    """`value` as JSON can store it: dates as ISO text, decimals as text, enums by value."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _current_actor() -> tuple[int | None, str]:
    if not has_request_context():
        return None, "system"
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.display_name
    return None, "anonymous"


def event_values(
    action: str,
    *,
    object_type: str,
    object_id: Any,
    agency_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
    actor: Any = None,
) -> dict:
    """The columns of the event `record` appends (all but `id` and `occurred_at`), for a caller that inserts it with
    a statement of its own (a portal filing writes its case, items and event in one)."""
    if actor is not None:
        actor_id, actor_label = actor.id, actor.display_name
    else:
        actor_id, actor_label = _current_actor()
    return {
        "actor_id": actor_id,
        "actor_label": actor_label,
        "agency_id": agency_id,
        "object_type": object_type,
        "object_id": str(object_id),
        "action": action,
        "before": jsonable(before) if before is not None else None,
        "after": jsonable(after) if after is not None else None,
        "reason": reason,
        "ip_address": request.remote_addr if has_request_context() else None,
    }


def record(
    action: str,
    *,
    object_type: str,
    object_id: Any,
    agency_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
    actor: Any = None,
    write_now: bool = False,
) -> AuditEvent | None:
    """Append one audit event to the current transaction (it commits or rolls back with the change).

    `write_now` inserts it at once with one statement instead of adding it to the session for the next flush, and
    returns nothing: for an operation whose flushes are all written already (an ORM flush of one row costs several
    times its INSERT)."""
    values = event_values(
        action,
        object_type=object_type,
        object_id=object_id,
        agency_id=agency_id,
        before=before,
        after=after,
        reason=reason,
        actor=actor,
    )
    if write_now:
        with db.session.no_autoflush:  # what is pending stays so (an operation may hold a change back on purpose)
            db.session.execute(AuditEvent.__table__.insert(), {"occurred_at": utcnow(), **values})
        return None
    ev = AuditEvent(**values)
    db.session.add(ev)
    return ev


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict:
    """The named attributes of an object, for an event's before/after."""
    return {f: jsonable(getattr(obj, f)) for f in fields}


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys that changed, so events stay readable."""
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def events_for(object_type: str, object_id: Any) -> list[AuditEvent]:
    return (
        db.session.execute(
            db.select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.id)
        )
        .scalars()
        .all()
    )


class Audited:
    """Mixin for models whose changes are audited: `record.log("publicity.publish", before=…, after=…)`.

    A model names its `audit_type`, the events' object_type (stored in every event: never rename it). Events land
    in the log of the object's agency (`agency_id`); a model whose agency lives elsewhere overrides
    `audit_agency_id`, one whose events belong to another object overrides `audit_object_id`.
    """

    audit_type: ClassVar[str]

    @property
    def audit_agency_id(self) -> int | None:
        return getattr(self, "agency_id", None)

    @property
    def audit_object_id(self) -> Any:
        return self.id

    def log(
        self,
        action: str,
        *,
        before: dict | None = None,
        after: dict | None = None,
        reason: str | None = None,
        actor: Any = None,
        write_now: bool = False,
    ) -> AuditEvent | None:
        """Append one event about this object to the current transaction (`write_now`: see `record`)."""
        return record(
            action,
            object_type=self.audit_type,
            object_id=self.audit_object_id,
            agency_id=self.audit_agency_id,
            before=before,
            after=after,
            reason=reason,
            actor=actor,
            write_now=write_now,
        )

    def audit_events(self) -> list[AuditEvent]:
        """This object's events, oldest first."""
        return events_for(self.audit_type, self.audit_object_id)
