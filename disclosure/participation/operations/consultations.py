"""Consultations: kinds and settings, drafting, the workflow's steps, the periodic opening and closing, extension
and hearings (issue 12 §1). Every change is audited through the object; nothing commits here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from disclosure.accounts.models import Agency, User
from disclosure.core import audit
from disclosure.core.errors import Conflict, DomainError, NotAllowed, collect_errors
from disclosure.core.timeutil import CHINA_TZ, as_utc, utcnow
from disclosure.extensions import db
from disclosure.participation.models import (
    Comment,
    CommentGroup,
    Consultation,
    ConsultationKind,
    DecisionMatter,
    ParticipationSettings,
    PeriodUnit,
)
from disclosure.participation.operations.links import catalog_entry
from disclosure.participation.periods import china_date, end_date, end_instant, minimum_for
from disclosure.web.richtext import sanitise_html
from workflows import consultation as wf
from workflows.consultation import States, TransitionRefused

DEFAULT_KINDS = (
    # code, 中文, English, minimum, unit, legal basis
    (
        "major_decision",
        "重大行政决策",
        "Major administrative decision",
        30,
        "days",
        "《重大行政决策程序暂行条例》第十五条",
    ),
    ("rule", "规章草案", "Draft rule (规章)", 30, "days", "《规章制定程序条例》第十五条"),
    ("normative", "行政规范性文件草案", "Draft normative document", 7, "working_days", "国办发〔2018〕37号"),
    ("plan", "规划、计划草案", "Draft plan", 30, "days", "参照《重大行政决策程序暂行条例》第十五条"),
    ("other", "其他事项", "Other matter", 7, "days", ""),
)

SNAPSHOT_FIELDS = (
    "state",
    "title",
    "kind_id",
    "opens_at",
    "period_length",
    "period_unit",
    "closes_on",
    "shortened_reason",
    "catalog_draft_id",
    "final_entry_id",
    "feedback_entry_id",
    "withdrawn_reason",
)

TEXT_LIMITS = {
    "title": 300,
    "summary": 2000,
    "questions": 5000,
    "email_address": 200,
    "postal_address": 300,
    "fax": 40,
    "contact": 200,
    "shortened_reason": 2000,
}

REFUSALS = {
    "state": _l("This action is not possible in the consultation's current state."),
    "role": _l("Your role does not allow this action on this consultation."),
    "unknown": _l("Unknown action."),
    "period_justified": _l(
        "The period is shorter than the minimum for its kind: state the reason for the shorter period."
    ),
    "start_reached": _l("The consultation's start time has not come yet."),
    "end_reached": _l("The consultation's period has not ended yet."),
    "all_answered": _l("Every comment (or its group) needs an answer before the feedback is drafted or approved."),
    "has_reason": _l("Give the reason."),
    "has_final_document": _l("Choose the final document in the catalogue first."),
}

CONFLICT = _l("Someone else changed this consultation while you were working on it. Reload it and try again.")


# --- Kinds and settings ------------------------------------------------------------------------------------------


def ensure_kinds() -> None:
    """The default kinds, when the table is empty (the migration seeds them; tests empty every table)."""
    if db.session.execute(select(func.count(ConsultationKind.id))).scalar_one():
        return
    for position, (code, zh, en, minimum, unit, basis) in enumerate(DEFAULT_KINDS):
        db.session.add(
            ConsultationKind(
                code=code,
                name_zh=zh,
                name_en=en,
                min_period=minimum,
                unit=unit,
                legal_basis=basis,
                position=position,
                roll_to_working_day=True,
            )
        )
    db.session.flush()


def kinds(*, active_only: bool = True) -> list[ConsultationKind]:
    q = select(ConsultationKind).order_by(ConsultationKind.position, ConsultationKind.id)
    if active_only:
        q = q.where(ConsultationKind.active.is_(True))
    return list(db.session.execute(q).scalars())


def kind_by_code(code: str) -> ConsultationKind | None:
    return db.session.execute(select(ConsultationKind).where(ConsultationKind.code == code)).scalar_one_or_none()


def update_kind(kind: ConsultationKind, data: Mapping[str, Any], *, actor: User) -> ConsultationKind:
    """An administrator edits a kind's minimum period and how it is counted."""
    fields = ("name_zh", "name_en", "min_period", "unit", "roll_to_working_day", "legal_basis", "active")
    before = audit.snapshot(kind, fields)
    with collect_errors() as errors:
        try:
            minimum = int(str(data.get("min_period", "")).strip())
        except ValueError:
            minimum = -1
        if not 1 <= minimum <= 365:
            errors.add(_l("Enter a whole number of days from 1 to 365."), field="min_period")
        unit = str(data.get("unit") or "")
        if unit not in {u.value for u in PeriodUnit}:
            errors.add(_l("Choose a value from the list."), field="unit")
        for name, limit in (("name_zh", 60), ("name_en", 100)):
            value = str(data.get(name) or "").strip()
            if not value:
                errors.add(_l("Enter the name."), field=name)
            elif len(value) > limit:
                errors.add(_l("At most %(n)d characters.", n=limit), field=name)
        basis = str(data.get("legal_basis") or "").strip()
        if len(basis) > 200:
            errors.add(_l("At most %(n)d characters.", n=200), field="legal_basis")
    kind.name_zh, kind.name_en = str(data["name_zh"]).strip(), str(data["name_en"]).strip()
    kind.min_period, kind.unit, kind.legal_basis = minimum, unit, basis
    kind.roll_to_working_day = bool(data.get("roll_to_working_day"))
    kind.active = bool(data.get("active"))
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(kind, fields))
    kind.log("participation.kind_update", before=old, after=new, actor=actor)
    return kind


def settings_for(agency_id: int) -> ParticipationSettings:
    """The agency's settings (defaults until an administrator saves them; not added to the session)."""
    return db.session.get(ParticipationSettings, agency_id) or ParticipationSettings(
        agency_id=agency_id,
        require_account=False,
        require_name=True,
        require_email=False,
        require_phone=False,
        require_id_number=False,
        publish_comments=True,
    )


SETTING_FIELDS = (
    "require_account",
    "require_name",
    "require_email",
    "require_phone",
    "require_id_number",
    "publish_comments",
)


def save_settings(agency: Agency, data: Mapping[str, Any], *, actor: User) -> ParticipationSettings:
    row = db.session.get(ParticipationSettings, agency.id)
    if row is None:
        row = settings_for(agency.id)
        db.session.add(row)
    before = audit.snapshot(row, SETTING_FIELDS)
    for name in SETTING_FIELDS:
        setattr(row, name, bool(data.get(name)))
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(row, SETTING_FIELDS))
    row.log("participation.settings", before=old, after=new, actor=actor)
    return row


# --- Drafting ----------------------------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def row_id(value: Any) -> int | None:
    """A row id from input, or None (never a number beyond the column's range)."""
    text = "" if value is None else str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number < 2**31 else None


def parse_moment(value: Any) -> dt.datetime | None:
    """A moment entered in Beijing time (`2026-05-01T09:00` or a date), as UTC."""
    if isinstance(value, dt.datetime):
        return as_utc(value) if value.tzinfo else value.replace(tzinfo=CHINA_TZ).astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0, 0), tzinfo=CHINA_TZ).astimezone(dt.UTC)
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return None
    if not 2000 <= moment.year <= 2100:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(dt.UTC)


def clean_input(agency: Agency, data: Mapping[str, Any], *, consultation: Consultation | None = None) -> dict:
    """Every field checked at once; the period computed on the calendar and compared with the kind's minimum."""
    out: dict[str, Any] = {}
    with collect_errors() as errors:
        for name, limit in TEXT_LIMITS.items():
            out[name] = _text(data, name)
            if len(out[name]) > limit:
                errors.add(_l("At most %(n)d characters.", n=limit), field=name)
        if not out["title"]:
            errors.add(_l("Enter the title of the draft."), field="title")
        out["draft_html"] = sanitise_html(str(data.get("draft_html") or ""))
        out["explanation_html"] = sanitise_html(str(data.get("explanation_html") or ""))
        if not out["draft_html"].strip():
            errors.add(_l("Enter the text of the draft."), field="draft_html")
        if not out["explanation_html"].strip():
            errors.add(_l("Enter the drafting explanation (起草说明)."), field="explanation_html")
        out["market_related"] = _text(data, "market_related").lower() in ("1", "y", "yes", "on", "true")
        out["accept_online"] = _text(data, "accept_online").lower() in ("1", "y", "yes", "on", "true")
        kind_id = row_id(data.get("kind_id"))
        kind = db.session.get(ConsultationKind, kind_id) if kind_id else None
        if kind is None or not kind.active:
            errors.add(_l("Choose the kind of draft."), field="kind_id")
        out["kind_id"] = kind.id if kind else None
        out["matter_id"] = None
        if _text(data, "matter_id"):
            matter_id = row_id(data.get("matter_id"))
            matter = db.session.get(DecisionMatter, matter_id) if matter_id else None
            if matter is None or matter.agency_id != agency.id:
                errors.add(_l("Choose a matter of this agency's list."), field="matter_id")
            else:
                out["matter_id"] = matter.id
        out["catalog_draft_id"] = None
        if _text(data, "catalog_draft_id"):
            entry = catalog_entry(_text(data, "catalog_draft_id"), agency.id)
            if entry is None:
                errors.add(_l("No catalogue entry of this agency has this number."), field="catalog_draft_id")
            else:
                out["catalog_draft_id"] = entry.id
        opens_at = parse_moment(data.get("opens_at"))
        if opens_at is None:
            errors.add(_l("Enter the start as YYYY-MM-DD HH:MM (Beijing time)."), field="opens_at")
        out["opens_at"] = opens_at
        try:
            length = int(_text(data, "period_length"))
        except (ValueError, OverflowError):
            length = 0
        if not 1 <= length <= 365:
            errors.add(_l("Enter the period as a whole number from 1 to 365."), field="period_length")
        out["period_length"] = length
        if kind is not None and opens_at is not None and "period_length" not in errors:
            minimum = minimum_for(kind, market_related=out["market_related"])
            out["period_unit"] = minimum.unit
            out["closes_on"] = end_date(china_date(opens_at), length, minimum.unit, roll=kind.roll_to_working_day)
            out["closes_at"] = end_instant(out["closes_on"])
            if length < minimum.length and not out["shortened_reason"]:
                errors.add(
                    _l(
                        "The minimum for this kind is %(n)d %(unit)s: state publicly why the period is shorter.",
                        n=minimum.length,
                        unit=unit_label(minimum.unit),
                    ),
                    field="shortened_reason",
                )
            if length >= minimum.length:
                out["shortened_reason"] = ""
        if not (out["accept_online"] or out["email_address"] or out["postal_address"] or out["fax"]):
            errors.add(_l("Offer at least one way to comment."), field="accept_online")
    return out


def unit_label(unit: str):
    return _l("working days") if unit == PeriodUnit.WORKING_DAYS.value else _l("days")


def create_consultation(agency: Agency, data: Mapping[str, Any], *, actor: User | None) -> Consultation:
    values = clean_input(agency, data)
    c = Consultation(agency_id=agency.id, created_by_id=getattr(actor, "id", None), extensions=[], **values)
    db.session.add(c)
    db.session.flush()
    c.log("participation.create", after=audit.snapshot(c, SNAPSHOT_FIELDS), actor=actor)
    return c


def check_version(c: Consultation, expected: int | None) -> None:
    if expected is not None and expected != c.version:
        raise Conflict(CONFLICT)


def update_consultation(
    c: Consultation, data: Mapping[str, Any], *, actor: User | None, expected_version: int | None = None
) -> Consultation:
    if c.state != States.DRAFT.value:
        raise DomainError(_l("Only a draft consultation can be edited; extend an open one instead."))
    check_version(c, expected_version)
    before = audit.snapshot(c, SNAPSHOT_FIELDS)
    for name, value in clean_input(db.session.get(Agency, c.agency_id), data, consultation=c).items():
        setattr(c, name, value)
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(c, SNAPSHOT_FIELDS))
    c.log("participation.update", before=old, after=new, actor=actor)
    return c


# --- The workflow ------------------------------------------------------------------------------------------------


def actors_for(c: Consultation, user: User | None) -> set[str]:
    if user is None:
        return {wf.SYSTEM}
    if not user.is_staff or not user.can_see_agency(c.agency_id):
        return set()
    return {r for r in (wf.CATALOG_EDITOR, wf.REGISTRAR, wf.OFFICE_HEAD) if user.has_role(r)}


def unanswered_count(c: Consultation) -> int:
    return db.session.execute(
        select(func.count(Comment.id))
        .outerjoin(CommentGroup, CommentGroup.id == Comment.group_id)
        .where(
            Comment.consultation_id == c.id,
            Comment.duplicate_of_id.is_(None),
            Comment.result == "",
            func.coalesce(CommentGroup.result, "") == "",
        )
    ).scalar_one()


def facts_for(
    c: Consultation, *, reason: str = "", now: dt.datetime | None = None, final_entry_id: int | None = None
) -> wf.Facts:
    now = now or utcnow()
    kind = db.session.get(ConsultationKind, c.kind_id)
    minimum = minimum_for(kind, market_related=c.market_related)
    return wf.Facts(
        period_justified=c.period_length >= minimum.length or bool(c.shortened_reason.strip()),
        start_reached=as_utc(c.opens_at) <= now,
        end_reached=as_utc(c.closes_at) <= now,
        all_answered=c.state in (States.CLOSED.value, States.FEEDBACK_DRAFTED.value) and unanswered_count(c) == 0,
        has_reason=bool(reason.strip()),
        has_final_document=bool(final_entry_id or c.final_entry_id),
    )


def allowed_actions(c: Consultation, user: User | None) -> list[str]:
    facts = facts_for(c, reason="x", final_entry_id=1)  # the page asks for reasons and documents in the form
    return wf.allowed_triggers(c.state, actors_for(c, user), facts)


def act(
    c: Consultation,
    trigger: str,
    *,
    actor: User | None,
    reason: str = "",
    now: dt.datetime | None = None,
    final_entry_id: int | None = None,
    expected_version: int | None = None,
) -> Consultation:
    """Fire one workflow step (not `extend` nor `publish_feedback`, which have their own operations)."""
    check_version(c, expected_version)
    now = now or utcnow()
    try:
        new_state = wf.fire(
            c.state, trigger, actors_for(c, actor), facts_for(c, reason=reason, now=now, final_entry_id=final_entry_id)
        )
    except TransitionRefused as exc:
        cls = NotAllowed if exc.reason == "role" else DomainError
        raise cls(REFUSALS.get(exc.reason, REFUSALS["state"])) from None
    before = audit.snapshot(c, SNAPSHOT_FIELDS)
    if trigger == "open":
        c.opened_at = now
    elif trigger == "close":
        c.closed_at = now
    elif trigger == "withdraw":
        c.withdrawn_reason = reason.strip()
    elif trigger == "conclude":
        c.final_entry_id = final_entry_id or c.final_entry_id
    c.state = new_state.value
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(c, SNAPSHOT_FIELDS))
    c.log(f"participation.{trigger}", before=old, after=new, reason=reason.strip() or None, actor=actor)
    return c


def extend(
    c: Consultation, *, new_length: int, reason: str, actor: User | None, now: dt.datetime | None = None
) -> Consultation:
    """Lengthen an open consultation's period (counted from the same start); the reason is shown publicly."""
    now = now or utcnow()
    try:
        wf.fire(c.state, "extend", actors_for(c, actor), facts_for(c, reason=reason, now=now))
    except TransitionRefused as exc:
        cls = NotAllowed if exc.reason == "role" else DomainError
        raise cls(REFUSALS.get(exc.reason, REFUSALS["state"])) from None
    if as_utc(c.closes_at) <= now:
        raise DomainError(_l("The period has already ended; it can no longer be extended."))
    if not isinstance(new_length, int) or not c.period_length < new_length <= 365:
        raise DomainError(
            _l("The new period must be longer than the current one (at most 365)."), field="period_length"
        )
    kind = db.session.get(ConsultationKind, c.kind_id)
    before = audit.snapshot(c, SNAPSHOT_FIELDS)
    new_end = end_date(china_date(c.opens_at), new_length, c.period_unit, roll=kind.roll_to_working_day)
    c.extensions = [
        *(c.extensions or []),
        {
            "from": c.closes_on.isoformat(),
            "to": new_end.isoformat(),
            "reason": reason.strip(),
            "at": now.isoformat(),
        },
    ]
    c.period_length, c.closes_on, c.closes_at = new_length, new_end, end_instant(new_end)
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(c, SNAPSHOT_FIELDS))
    c.log("participation.extend", before=old, after=new, reason=reason.strip(), actor=actor)
    return c


def _fire_due(trigger: str, state: States, column, now: dt.datetime | None) -> int:
    now = now or utcnow()
    due = (
        db.session.execute(select(Consultation).where(Consultation.state == state.value, column <= now)).scalars().all()
    )
    count = 0
    for c in due:
        act(c, trigger, actor=None, now=now)
        count += 1
    return count


def open_due(now: dt.datetime | None = None) -> int:
    """The periodic task: open every approved consultation whose start has come."""
    return _fire_due("open", States.APPROVED, Consultation.opens_at, now)


def close_due(now: dt.datetime | None = None) -> int:
    """The periodic task: close every open consultation whose period is over."""
    return _fire_due("close", States.OPEN, Consultation.closes_at, now)
