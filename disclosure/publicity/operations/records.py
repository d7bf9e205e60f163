"""Operations on licensing and penalty records: entry (form, import, API), publication, withdrawal, credit
repair, licence revocation, and the nightly sweep. One verb per change; each flushes and audits, the caller's
boundary commits.

Legal anchors (rules-china §5): publication within 7 working days of the decision (国办发〔2015〕51号 item 18,
国发〔2016〕33号 item 17, 国办发〔2019〕35号 item 15); withdrawal of a changed, revoked, unlawful or void penalty
decision within 3 working days with its reason published (处罚法 Arts. 48, 85); penalty publicity periods and
credit repair (《信用修复管理办法》, 2026; 发改办财金〔2019〕527号); licences public while valid (行政许可法
Art. 40).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.core import audit
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.errors import DomainError
from disclosure.core.textsearch import index_text
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.publicity.fields import FIELDS, Kind, kind_prefix
from disclosure.publicity.models import (
    PublicityRecord,
    RecordStatus,
    Scope,
    Timeliness,
)
from disclosure.publicity.rules import Rules, add_months, load_rules
from disclosure.publicity.validation import RowResult
from disclosure.workdays import add_working_days
from workflows import publicity as workflow

RECORD_AUDIT_FIELDS = tuple(
    sorted(
        {f.attr for fs in FIELDS.values() for f in fs}
        | {"matter_id", "department_id", "severity", "simplified_procedure", "status", "min_until", "max_until"}
    )
)
WITHDRAWAL_KINDS = ("changed", "revoked", "unlawful", "void")


class DueDates:
    """`add_working_days` with a per-date cache: an import of 100,000 rows has a few hundred decision dates."""

    def __init__(self, working_days: int):
        self.n = working_days
        self._cache: dict[dt.date, tuple[dt.date, bool]] = {}

    def __call__(self, start: dt.date) -> tuple[dt.date, bool]:
        hit = self._cache.get(start)
        if hit is None:
            deadline = add_working_days(start, self.n)
            hit = self._cache[start] = (deadline.due, bool(deadline.provisional))
        return hit


@dataclass
class Outcome:
    status: str
    timeliness: str
    min_until: dt.date | None
    max_until: dt.date | None


def effective_end(period_end: dt.date | None, agency_end: dt.date | None) -> dt.date | None:
    """The day a penalty leaves the public site: the maximum of its severity, or the agency's own 公示截止期
    when that is earlier (validation refuses one before the minimum period)."""
    if agency_end is None:
        return period_end
    return agency_end if period_end is None else min(period_end, agency_end)


def publicity_outcome(values: dict, rules: Rules, *, publish: bool, due: dt.date, today: dt.date) -> Outcome:
    """Where a new record goes: published, withheld or pending, with its penalty periods (rules §5.4)."""
    min_until = max_until = None
    severity_published = True
    if values.get("kind", Kind.PENALTY) == Kind.PENALTY and values.get("severity"):
        period = rules.period(values["severity"], values["decision_date"])
        if period is not None:
            severity_published, lo, hi, _basis = period
            min_until = add_months(values["decision_date"], lo)
            max_until = add_months(values["decision_date"], hi)
    max_until = effective_end(max_until, values.get("publicity_end"))
    facts = workflow.Facts(
        scope_public=values.get("_scope", Scope.PUBLIC) == Scope.PUBLIC,
        simplified=bool(values.get("simplified_procedure")),
        severity_published=severity_published,
        today=today,
        max_until=max_until,
    )
    if not workflow.may_be_public(facts):
        return Outcome(
            _fire(RecordStatus.PENDING, ("withhold",), facts), Timeliness.NOT_APPLICABLE, min_until, max_until
        )
    if not publish:
        late = today > due
        return Outcome(RecordStatus.PENDING, Timeliness.OVERDUE if late else Timeliness.WAITING, min_until, max_until)
    # Entered after its maximum period, a penalty has nothing left to show (rules §5.4): publish, then expire.
    triggers = ("publish", "expire") if workflow.max_reached(facts) else ("publish",)
    status = _fire(RecordStatus.PENDING, triggers, facts)
    return Outcome(status, Timeliness.ON_TIME if today <= due else Timeliness.LATE, min_until, max_until)


def _fire(state: str, triggers: tuple[str, ...], facts: workflow.Facts) -> str:
    """The state after firing `triggers` in turn (the engine remembers each answer)."""
    for trigger in triggers:
        state = workflow.WORKFLOW.fire(state, trigger, facts).value
    return state


def column_values(kind: Kind, result: RowResult) -> dict:
    values = result.values.copy()
    values.pop("_scope", None)  # the matter's publicity scope travels with the values; it is not a column
    if kind is Kind.LICENSING:
        values.pop("severity", None)
        values.pop("simplified_procedure", None)
    values["search_text"] = index_text(values["counterpart_name"])
    values["content_hash"] = result.content_hash
    return values


def find_record(agency, kind: Kind, decision_no: str) -> PublicityRecord | None:
    """The agency's record of this kind with this decision number (the identity the credit platforms use),
    whatever brackets, width or spaces either was written with (core.docnumbers)."""
    return (
        db.session.execute(
            select(PublicityRecord)
            .where(
                PublicityRecord.agency_id == agency.id,
                PublicityRecord.kind == kind.value,
                PublicityRecord.decision_key == normalise_document_number(decision_no),
            )
            .order_by(PublicityRecord.id)
        )
        .scalars()
        .first()
    )


def _record_to_correct(
    agency, kind: Kind, decision_no: str, *, correcting: PublicityRecord | None, new_entry: bool
) -> PublicityRecord | None:
    """The record an entry with this decision number corrects, if any. The decision number identifies a record:
    a correction on its page cannot change it (the new decision is entered and this one withdrawn), and a new
    entry by form never overwrites a record with it (corrections go through that record's page); a file or the
    API correct the record they name."""
    field = f"{kind_prefix(kind)}_WSH"
    if correcting is not None:
        if normalise_document_number(decision_no) != correcting.decision_key:
            raise DomainError(
                _l(
                    "The decision number identifies the record and cannot be changed; "
                    "withdraw this record and enter the new decision instead."
                ),
                field=field,
            )
        return correcting
    existing = find_record(agency, kind, decision_no)
    if existing is not None and new_entry:
        raise DomainError(
            _l(
                "A record with this decision number exists already (%(name)s): open it from the list "
                "to correct it, or check the number.",
                name=existing.counterpart_name,
            ),
            field=field,
        )
    return existing


def save_record(
    agency,
    kind: Kind,
    result: RowResult,
    *,
    channel: str,
    publish: bool = True,
    rules: Rules | None = None,
    due_dates: DueDates | None = None,
    import_id: int | None = None,
    department_id: int | None = None,
    entered_on: dt.date | None = None,
    correcting: PublicityRecord | None = None,
    new_entry: bool = False,
) -> tuple[PublicityRecord, str]:
    """Create a record, or update the agency's record with the same decision number (the identity the
    credit platforms use). Returns (record, "created" | "updated" | "unchanged").

    A correction on the record's own page (`correcting`) keeps its decision number; a new entry by form
    (`new_entry`) never overwrites a record with the same number (`_record_to_correct`). `department_id` is one of
    the agency's departments (another is ignored); it is stored before the event is written, so the event has it.

    `entered_on` is the day the record was entered (and published, with `publish`), today by default; the demo
    replays the last months' entries with it, so their timeliness and the latest list are those of that day."""
    rules = rules or load_rules()
    due_dates = due_dates or DueDates(int(rules.setting("due_working_days")))
    values = column_values(kind, result)
    existing = _record_to_correct(agency, kind, values["decision_no"], correcting=correcting, new_entry=new_entry)
    if department_id is not None and department_id in {d.id for d in agency.departments}:
        values["department_id"] = department_id
    today = today_china()
    entered_at = utcnow()
    if entered_on is not None and entered_on != today:
        if entered_on > today or entered_on < values["decision_date"]:
            raise DomainError(_l("A record is entered between its decision date and today."))
        entered_at -= dt.timedelta(days=(today - entered_on).days)  # the same time of day, that many days ago
        today = entered_on
    if existing is not None:
        if existing.content_hash == values["content_hash"] and existing.department_id == values.get(
            "department_id", existing.department_id
        ):
            return existing, "unchanged"
        return update_record(existing, values, rules, due_dates, import_id=import_id), "updated"
    due, provisional = due_dates(values["decision_date"])
    outcome = publicity_outcome({**result.values, "kind": kind}, rules, publish=publish, due=due, today=today)
    record = PublicityRecord(
        kind=kind.value,
        agency_id=agency.id,
        channel=channel,
        import_id=import_id,
        due_date=due,
        due_provisional=provisional,
        status=outcome.status,
        timeliness=outcome.timeliness,
        min_until=outcome.min_until,
        max_until=outcome.max_until,
        created_at=entered_at,
        updated_at=entered_at,
        **values,
    )
    if outcome.status in (RecordStatus.PUBLISHED, RecordStatus.EXPIRED):
        record.published_at, record.published_on = entered_at, today
    if outcome.status == RecordStatus.EXPIRED:
        record.ended_at = record.published_at
    db.session.add(record)
    db.session.flush()
    record.log(
        f"publicity.{kind.value}.create",
        after={**audit.snapshot(record, RECORD_AUDIT_FIELDS), "channel": channel},
    )
    return record, "created"


def update_record(
    record: PublicityRecord,
    values: dict,
    rules: Rules,
    due_dates: DueDates,
    *,
    import_id: int | None = None,
    flush: bool = True,
    actor=None,
) -> PublicityRecord:
    """A correction of the stored decision (same agency and decision number): every changed field audited.
    An import corrects a chunk's records and flushes them together (`flush=False`)."""
    before = audit.snapshot(record, RECORD_AUDIT_FIELDS)
    for key, value in values.items():
        setattr(record, key, value)
    if import_id is not None:
        record.import_id = import_id
    record.due_date, record.due_provisional = due_dates(record.decision_date)
    if record.kind == Kind.PENALTY and record.severity:
        period = rules.period(record.severity, record.decision_date)
        if period is not None:
            record.min_until = add_months(record.decision_date, period[1])
            record.max_until = effective_end(add_months(record.decision_date, period[2]), record.publicity_end)
    if flush:
        db.session.flush()
    old, new = audit.diff(before, audit.snapshot(record, RECORD_AUDIT_FIELDS))
    record.log(f"publicity.{record.kind}.correct", before=old, after=new, actor=actor)
    return record


def publish_record(record: PublicityRecord, *, matter_scope: str | None = None) -> PublicityRecord:
    """Publish a pending record now; its timeliness is judged against the due date (rules §5.1)."""
    rules = load_rules()
    published = True
    if record.kind == Kind.PENALTY and record.severity:
        period = rules.period(record.severity, record.decision_date)
        published = period[0] if period else True
    try:
        record.status = workflow.fire(
            record.status,
            "publish",
            scope_public=(matter_scope or record.matter.scope) == Scope.PUBLIC,
            simplified=record.simplified_procedure,
            severity_published=published,
        )
    except workflow.TransitionRefused:
        raise DomainError(
            _l(
                "This record cannot be published: it is not pending, or it may never be public "
                "(simplified procedure, minor severity or government-only scope)."
            )
        ) from None
    today = today_china()
    record.published_at, record.published_on = utcnow(), today
    record.timeliness = Timeliness.ON_TIME if today <= record.due_date else Timeliness.LATE
    db.session.flush()
    record.log("publicity.publish", after={"status": record.status, "timeliness": record.timeliness})
    return record


def withdraw_record(
    record: PublicityRecord, *, withdrawal_kind: str, reason: str, changed_on: dt.date
) -> PublicityRecord:
    """Take a decision off the public site with its reason published (处罚法 Art. 48: a changed, revoked,
    unlawful or void decision, within 3 working days of the change, Art. 85)."""
    if withdrawal_kind not in WITHDRAWAL_KINDS:
        raise DomainError(_l("Choose why the decision is withdrawn."), field="withdrawal_kind")
    if changed_on > today_china() or changed_on < record.decision_date:
        raise DomainError(
            _l("The date of the change must lie between the decision date and today."), field="changed_on"
        )
    before = {"status": record.status}
    try:
        record.status = workflow.fire(record.status, "withdraw", reason=reason)
    except workflow.TransitionRefused as exc:
        if exc.invalid_source:
            raise DomainError(_l("This record has already left the public site.")) from None
        raise DomainError(_l("The reason for the withdrawal is required; it is published."), field="reason") from None

    rules = load_rules()
    record.withdraw_due = add_working_days(changed_on, int(rules.setting("withdraw_working_days"))).due
    record.withdrawal_kind = withdrawal_kind
    record.end_reason = reason.strip()
    record.ended_at = utcnow()
    db.session.flush()
    record.log(
        "publicity.withdraw",
        before=before,
        after={
            "status": record.status,
            "withdrawal_kind": withdrawal_kind,
            "withdraw_due": record.withdraw_due,
            "late": today_china() > record.withdraw_due,
        },
        reason=record.end_reason,
    )
    return record


def repair_record(record: PublicityRecord, *, basis: str) -> PublicityRecord:
    """Credit repair: once the minimum period has run, the penalty leaves the public site early, with the
    basis recorded (《信用修复管理办法》 2026; 谁认定、谁修复)."""
    if record.kind != Kind.PENALTY:
        raise DomainError(_l("Only penalty information can be repaired."))
    try:
        record.status = workflow.fire(
            record.status, "repair", min_until=record.min_until, today=today_china(), reason=basis
        )
    except workflow.TransitionRefused as exc:
        if exc.invalid_source:
            raise DomainError(_l("Only a published penalty can be repaired.")) from None
        if not (basis or "").strip():
            raise DomainError(_l("Give the basis of the credit repair."), field="basis") from None
        raise DomainError(
            _l(
                "Credit repair is possible only after the minimum publicity period, on %(date)s.",
                date=record.min_until.isoformat() if record.min_until else "—",
            )
        ) from None
    record.end_reason = basis.strip()
    record.ended_at = utcnow()
    db.session.flush()
    record.log(
        "publicity.repair",
        before={"status": RecordStatus.PUBLISHED},
        after={"status": record.status},
        reason=record.end_reason,
    )
    return record


def revoke_licence(record: PublicityRecord, *, reason: str) -> PublicityRecord:
    """A revoked licence stays on the public site with state 无效 (rules §5.4, ⚠ practice)."""
    if record.kind != Kind.LICENSING:
        raise DomainError(_l("Only a licence can be revoked here."))
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for the revocation."), field="reason")
    if record.licence_state == "2":
        raise DomainError(_l("This licence is already invalid."))
    before = {"licence_state": record.licence_state}
    record.licence_state = "2"
    record.end_reason = reason.strip()
    db.session.flush()
    record.log("publicity.licence.revoke", before=before, after={"licence_state": "2"}, reason=reason.strip())
    return record


# -- periodic work (tasks.py calls these and commits) ----------------------------------------------------


def _sweep(action: str, conditions, change) -> int:
    """Apply `change(record) -> after` to every record matching `conditions`, one audit event each."""
    n = 0
    for record in db.session.execute(select(PublicityRecord).where(*conditions)).scalars():
        after = change(record)
        record.log(action, after=after)
        n += 1
    db.session.flush()
    return n


def expire_penalties(today: dt.date) -> int:
    """Remove penalties whose maximum publicity period has run (rules §5.4: publication stops automatically)."""

    def change(record):
        record.status = workflow.fire(record.status, "expire", max_until=record.max_until, today=today)
        record.ended_at = utcnow()
        return {"status": record.status, "max_until": record.max_until}

    return _sweep(
        "publicity.expire",
        (
            PublicityRecord.status == RecordStatus.PUBLISHED,
            PublicityRecord.kind == Kind.PENALTY,
            PublicityRecord.max_until.is_not(None),
            PublicityRecord.max_until <= today,
        ),
        change,
    )


def mark_overdue(today: dt.date) -> int:
    """Pending records past their due date are overdue (rules §5.1)."""

    def change(record):
        record.timeliness = Timeliness.OVERDUE
        return {"timeliness": Timeliness.OVERDUE, "due": record.due_date}

    return _sweep(
        "publicity.overdue",
        (
            PublicityRecord.status == RecordStatus.PENDING,
            PublicityRecord.timeliness == Timeliness.WAITING,
            PublicityRecord.due_date < today,
        ),
        change,
    )


def expire_licences(today: dt.date) -> int:
    """A licence past its 有效期至 switches to 无效 and stays public showing that state (rules §5.4 ⚠)."""

    def change(record):
        record.licence_state = "2"
        return {"licence_state": "2", "valid_to": record.valid_to}

    return _sweep(
        "publicity.licence.expire",
        (
            PublicityRecord.kind == Kind.LICENSING,
            PublicityRecord.licence_state == "1",
            PublicityRecord.valid_to.is_not(None),
            PublicityRecord.valid_to < today,
        ),
        change,
    )


def recompute_due_dates(since: dt.date | None = None) -> int:
    """Recompute provisional due dates once the calendar knows the year (workdays.register_recompute)."""
    rules = load_rules()
    due_dates = DueDates(int(rules.setting("due_working_days")))
    stmt = select(PublicityRecord).where(PublicityRecord.due_provisional.is_(True))
    if since is not None:
        stmt = stmt.where(PublicityRecord.decision_date >= since)
    n = 0
    for record in db.session.execute(stmt).scalars():
        due, provisional = due_dates(record.decision_date)
        if (due, provisional) != (record.due_date, record.due_provisional):
            record.log(
                "publicity.due.recompute",
                before={"due_date": record.due_date},
                after={"due_date": due, "provisional": provisional},
            )
            record.due_date, record.due_provisional = due, provisional
            n += 1
    db.session.flush()
    return n
