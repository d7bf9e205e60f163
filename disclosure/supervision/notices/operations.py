"""Operations on supervision notices (督办, 条例 Art. 47; issue 14 §3): issue, answer, close, reissue, withdraw.
One verb per change, `flush()` only (the request boundary commits); each step moves the notice through
`workflows.supervision_notice`, writes one audit event on the notice and queues its emails in the outbox.

Every input is checked in full before anything is written, and every problem is reported beside its field
(`FieldErrors`); a refused step leaves the notice as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.core import numbering
from disclosure.core.documents import inspect_document
from disclosure.core.errors import Conflict, DomainError, NotAllowed, collect_errors
from disclosure.core.storage import safe_display_name, store
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.supervision import scope
from disclosure.supervision.notices import notify, problems
from disclosure.supervision.notices.access import actors_for
from disclosure.supervision.notices.models import OTHER, Notice, NoticeItem, NoticeRound
from disclosure.web.params import parse_int
from workflows.supervision_notice import SYSTEM, WORKFLOW, Facts, States, TransitionRefused

COUNTER = "supervision_notice"  # numbering scope: per issuing agency and year
PREFIX_SERIES = "supervision"  # Agency.doc_number_prefixes key of the notices' prefix
DEFAULT_SUFFIX = "督"
TEXT_MAX = 10_000
ITEM_TEXT_MAX = 1_000
MAX_ITEMS = 100
MAX_DUE_DAYS = 366  # a due date more than a year away is a typing mistake
MAX_ATTACHMENT = 20 * 1024 * 1024
MAX_ID = 2**31 - 1  # an id beyond a database integer names nothing
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

REFUSALS = {
    "state": _l("This notice cannot do that in its present state."),
    "role": _l("You may not do that to this notice."),
    "has_answer": _l("Write what was done, overall or for at least one item."),
    "has_comment": _l("Say why."),
    "due_after_today": _l("The new due date must be after today."),
}
CONFLICT = _l(
    "Someone else acted on this notice while you were reading it. Nothing was changed: review it and try again."
)


def clean(text: Any, limit: int) -> str:
    """Text as typed, without control characters, line breaks made uniform, trimmed (kept one past `limit`, so
    that a length check still sees it is too long)."""
    if not isinstance(text, str):
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n")).strip()[: limit + 1]


def number_prefix(agency: Agency) -> str:
    """`Agency.doc_number_prefixes["supervision"]` (e.g. 示政办督), else the short name followed by 督."""
    configured = (agency.doc_number_prefixes or {}).get(PREFIX_SERIES)
    return (configured or "").strip() or f"{agency.short_name}{DEFAULT_SUFFIX}"


def format_number(prefix: str, year: int, serial: int) -> str:
    """GB/T 9704 发文字号: the year in full inside 〔〕, the serial without leading zeros: 示政办督〔2026〕3号."""
    return f"{prefix}〔{year}〕{int(serial)}号"


def parse_due(text: Any, today: dt.date, errors, field: str) -> dt.date | None:
    """A due date typed as YYYY-MM-DD, after today and at most a year away; problems go to `errors` on `field`."""
    raw = text.strip() if isinstance(text, str) else ""
    if not raw:
        errors.add(_l("Enter the date the answer is due."), field=field)
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        errors.add(_l("Enter the due date as YYYY-MM-DD."), field=field)
        return None
    if day <= today:
        errors.add(_l("The due date must be after today (%(today)s).", today=today.isoformat()), field=field)
        return None
    if (day - today).days > MAX_DUE_DAYS:
        errors.add(_l("The due date may be at most a year away."), field=field)
        return None
    return day


def _required_text(value: Any, field: str, errors, empty, limit: int = TEXT_MAX) -> str:
    text = clean(value, limit)
    if not text:
        errors.add(empty, field=field)
    elif len(text) > limit:
        errors.add(_l("At most %(n)s characters.", n=f"{limit:,}"), field=field)
    return text


def check_version(notice: Notice, expected: int | None) -> None:
    if expected is not None and int(expected) != notice.version:
        raise Conflict(CONFLICT)


ALL_HOLD = Facts(has_answer=True, has_comment=True, due_after_today=True)


def _fire(notice: Notice, trigger: str, user: User | None, facts: Facts, fields: Mapping[str, str] | None = None):
    """The state after `trigger`, or the refusal as a message (beside the field the failed guard is about)."""
    actors = {SYSTEM} if user is None else actors_for(user, notice)
    try:
        return WORKFLOW.fire(notice.state, trigger, facts, actors)
    except TransitionRefused as exc:
        message = REFUSALS.get(exc.reason, REFUSALS["state"])
        if exc.reason == "role":
            raise NotAllowed(message) from None
        raise DomainError(message, field=(fields or {}).get(exc.reason)) from None


def _may(notice: Notice, trigger: str, user: User) -> None:
    """Refuse at once a step this user may not take, or that the notice's state does not allow, before the input is
    read (the guards on the input are checked with it)."""
    _fire(notice, trigger, user, ALL_HOLD)


# --- Issuing ------------------------------------------------------------------------------------------------------


def _agency(value: Any, user: User, errors) -> Agency | None:
    if not isinstance(value, int) and not (isinstance(value, str) and value.strip()):
        errors.add(_l("Choose the agency the notice goes to."), field="agency_id")
        return None
    agency_id = parse_int(value, min=1, max=MAX_ID)
    agency = db.session.get(Agency, agency_id) if agency_id is not None else None
    if agency is None:
        errors.add(_l("There is no such agency."), field="agency_id")
        return None
    if agency.id not in scope.supervised_agency_ids(user):
        errors.add(_l("You do not supervise %(agency)s.", agency=agency.full_name), field="agency_id")
        return None
    return agency


def _items(data: Mapping[str, Any], agency: Agency | None, today: dt.date, errors) -> list[dict]:
    """The notice's items: the chosen current problems (looked up again, kept as they are now) and the free-text
    matters, one a line."""
    raw_tokens = data.get("matters") or []
    tokens = [t for t in (raw_tokens if isinstance(raw_tokens, list | tuple) else [raw_tokens]) if isinstance(t, str)]
    other = data.get("other")
    lines = [clean(line, ITEM_TEXT_MAX) for line in (other.splitlines() if isinstance(other, str) else [])]
    lines = [line for line in lines if line]
    items: list[dict] = []
    if agency is not None and tokens:
        found, unknown = problems.resolve(problems.current_problems(agency.id, today), tokens)
        if unknown:
            errors.add(
                _l(
                    "%(n)s of the chosen matters are no longer among the agency's current problems; the list shows "
                    "them as they are now. Choose again.",
                    n=len(unknown),
                ),
                field="matters",
            )
        for p in found:
            items.append(
                {
                    "kind": p.measure.key,
                    "area": p.measure.area,
                    "reference": str(p.item.reference)[:200],
                    "title": str(p.item.title)[:1000] or str(p.item.reference)[:200],
                    "url": str(p.item.url or "")[:500],
                    "note": str(p.item.note or "")[:300],
                    "on_date": p.item.on,
                }
            )
    if any(len(line) > ITEM_TEXT_MAX for line in lines):
        errors.add(_l("Each other matter may be at most %(n)s characters long.", n=f"{ITEM_TEXT_MAX:,}"), field="other")
    for line in lines:
        items.append({"kind": OTHER, "area": OTHER, "reference": "", "title": line[:ITEM_TEXT_MAX]})
    if agency is not None and not items and "matters" not in errors and "other" not in errors:
        errors.add(_l("Choose at least one matter, or describe one under other matters."), field="matters")
    if len(items) > MAX_ITEMS:
        errors.add(_l("A notice may name at most %(n)s matters.", n=MAX_ITEMS), field="matters")
    return items


def issue_notice(user: User, data: Mapping[str, Any], *, today: dt.date | None = None) -> Notice:
    """A supervisor issues a notice to an agency they supervise about specific items, with a due date after today
    and a text (issue 14 §3). `data`: agency_id, matters (tokens of `problems`), other (free-text matters, one a
    line), due_on (YYYY-MM-DD), text. Numbered per issuing agency and year without gaps; emailed to the agency's
    office heads."""
    today = today or today_china()
    if not scope.is_supervisor(user):
        raise NotAllowed(REFUSALS["role"])
    issuer = db.session.get(Agency, user.agency_id) if user.agency_id else None
    if issuer is None:
        raise NotAllowed(_l("Only a supervisor who belongs to an agency can issue notices."))
    with collect_errors() as errors:
        agency = _agency(data.get("agency_id"), user, errors)
        items = _items(data, agency, today, errors)
        due_on = parse_due(data.get("due_on"), today, errors, "due_on")
        text = _required_text(data.get("text"), "text", errors, _l("Write what the agency must do."))
    assert agency is not None and due_on is not None
    year = today.year
    serial = numbering.next_value(COUNTER, issuer.id, year)  # the counter row stays locked until the commit
    notice = Notice(
        issuer_agency_id=issuer.id,
        agency_id=agency.id,
        year=year,
        serial=serial,
        number=format_number(number_prefix(issuer), year, serial),
        text=text,
        state=WORKFLOW.initial.value,
        issued_on=today,
        issued_by_id=user.id,
        due_on=due_on,
        round_number=1,
    )
    notice.items = [NoticeItem(position=i, **item) for i, item in enumerate(items, start=1)]
    notice.rounds = [
        NoticeRound(
            number=1, instruction=text, due_on=due_on, issued_on=today, issued_at=utcnow(), issued_by_id=user.id
        )
    ]
    db.session.add(notice)
    db.session.flush()
    notice.log(
        "supervision_notice.issued",
        after={
            "number": notice.number,
            "agency": agency.full_name,
            "due_on": due_on,
            "items": [f"{i.reference} {i.title}".strip() for i in notice.items],
        },
        reason=text,
        actor=user,
    )
    notify.to_office_heads("issued", notice)
    return notice


# --- Answering ----------------------------------------------------------------------------------------------------


def _attachment(data: Mapping[str, Any], notice: Notice, user: User, errors) -> tuple[int | None, str]:
    upload = data.get("attachment")
    if not upload:
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
            agency_id=notice.agency_id,
            uploaded_by_id=user.id,
        )
        db.session.flush()
        return stored.id, safe_display_name(filename)
    return None, ""


def answer_notice(
    notice: Notice,
    user: User,
    data: Mapping[str, Any],
    *,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Notice:
    """The agency's office head or administrator answers with what was done, overall (`answer`) or per item
    (`item_answers`: {item id: text}), with an optional attachment judged by its content (`attachment`:
    (bytes, filename)). Emailed to the supervisor who issued the notice."""
    today = today or today_china()
    check_version(notice, expected_version)
    _may(notice, "answer", user)
    file_id, file_name = None, ""
    with collect_errors() as errors:
        answer = clean(data.get("answer"), TEXT_MAX)
        if len(answer) > TEXT_MAX:
            errors.add(_l("At most %(n)s characters.", n=f"{TEXT_MAX:,}"), field="answer")
        raw = data.get("item_answers") or {}
        ids = {i.id for i in notice.items}
        per_item: dict[str, str] = {}
        for key, value in raw.items() if isinstance(raw, Mapping) else ():
            item_id = parse_int(key, min=1, max=MAX_ID)
            text = clean(value, ITEM_TEXT_MAX * 5)
            if item_id not in ids or not text:
                continue
            if len(text) > ITEM_TEXT_MAX * 5:
                errors.add(_l("At most %(n)s characters.", n=f"{ITEM_TEXT_MAX * 5:,}"), field=f"item-{item_id}")
                continue
            per_item[str(item_id)] = text
        with errors.check():
            _fire(notice, "answer", user, Facts(has_answer=bool(answer or per_item)), {"has_answer": "answer"})
        if not errors:
            file_id, file_name = _attachment(data, notice, user, errors)
    current = notice.current_round
    current.answer_text = answer
    current.item_answers = per_item
    current.answered_on = today
    current.answered_at = utcnow()
    current.answered_by_id = user.id
    current.attachment_id = file_id
    current.attachment_name = file_name
    notice.state = States.ANSWERED.value
    notice.answered_on = today
    db.session.flush()
    notice.log(
        "supervision_notice.answered",
        before={"state": States.ISSUED.value},
        after={
            "state": notice.state,
            "round": current.number,
            "late": current.answered_late,
            "items_answered": len(per_item),
            "attachment": file_name or None,
        },
        reason=answer or None,
        actor=user,
    )
    notify.to_issuer("answered", notice, round=current)
    return notice


# --- The supervisor's decisions ------------------------------------------------------------------------------------


def close_notice(
    notice: Notice,
    user: User,
    comment: Any = "",
    *,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Notice:
    """The supervisor accepts the answer and closes the notice (an optional comment). Emailed to the office
    heads."""
    today = today or today_china()
    check_version(notice, expected_version)
    _may(notice, "close", user)
    with collect_errors() as errors:
        text = clean(comment, TEXT_MAX)
        if len(text) > TEXT_MAX:
            errors.add(_l("At most %(n)s characters.", n=f"{TEXT_MAX:,}"), field="comment")
    before = notice.state
    notice.state = States.CLOSED.value
    notice.closed_on = today
    notice.closed_by_id = user.id
    db.session.flush()
    notice.log(
        "supervision_notice.closed",
        before={"state": before},
        after={"state": notice.state},
        reason=text or None,
        actor=user,
    )
    notify.to_office_heads("closed", notice, comment=text)
    return notice


def reissue_notice(
    notice: Notice,
    user: User,
    comment: Any,
    due_on: Any,
    *,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Notice:
    """The supervisor returns the answer with a comment and a new due date after today: a new round (the earlier
    rounds and their answers are kept). Emailed to the office heads."""
    today = today or today_china()
    check_version(notice, expected_version)
    _may(notice, "reissue", user)
    with collect_errors() as errors:
        text = _required_text(comment, "comment", errors, _l("Say what is still to be done."))
        due = parse_due(due_on, today, errors, "due_on")
        facts = Facts(has_comment=bool(text), due_after_today=due is not None and due > today)
        with errors.check():
            _fire(notice, "reissue", user, facts, {"has_comment": "comment", "due_after_today": "due_on"})
    assert due is not None
    before = {"state": notice.state, "due_on": notice.due_on, "round": notice.round_number}
    notice.round_number += 1
    notice.rounds.append(
        NoticeRound(
            number=notice.round_number,
            instruction=text,
            due_on=due,
            issued_on=today,
            issued_at=utcnow(),
            issued_by_id=user.id,
        )
    )
    notice.state = States.ISSUED.value
    notice.due_on = due
    db.session.flush()
    notice.log(
        "supervision_notice.reissued",
        before=before,
        after={"state": notice.state, "due_on": due, "round": notice.round_number},
        reason=text,
        actor=user,
    )
    notify.to_office_heads("reissued", notice, comment=text)
    return notice


def withdraw_notice(
    notice: Notice,
    user: User,
    reason: Any,
    *,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Notice:
    """The supervisor withdraws a notice that is not answered, saying why. Emailed to the office heads."""
    today = today or today_china()
    check_version(notice, expected_version)
    _may(notice, "withdraw", user)
    with collect_errors() as errors:
        text = _required_text(reason, "reason", errors, _l("Say why the notice is withdrawn."))
        with errors.check():
            _fire(notice, "withdraw", user, Facts(has_comment=bool(text)), {"has_comment": "reason"})
    before = notice.state
    notice.state = States.WITHDRAWN.value
    notice.withdrawn_on = today
    db.session.flush()
    notice.log(
        "supervision_notice.withdrawn", before={"state": before}, after={"state": notice.state}, reason=text, actor=user
    )
    notify.to_office_heads("withdrawn", notice, reason=text)
    return notice


# --- Reading ------------------------------------------------------------------------------------------------------


def load_for_update(notice_id: int) -> Notice | None:
    """The notice, its row locked until the commit (PostgreSQL; SQLite writes one transaction at a time), so two
    people acting at once act one after the other and the second sees the first's result."""
    return db.session.execute(select(Notice).where(Notice.id == notice_id).with_for_update()).scalar_one_or_none()


def allowed_actions(notice: Notice, user: User) -> list[str]:
    """The steps this user may take on the notice now (the sweep's own steps left out); the forms supply what the
    guards ask for, and the step checks it."""
    triggers = WORKFLOW.allowed_triggers(notice.state, ALL_HOLD, actors_for(user, notice))
    return [t for t in triggers if t not in ("remind", "mark_late")]


__all__ = [
    "allowed_actions",
    "answer_notice",
    "close_notice",
    "issue_notice",
    "load_for_update",
    "reissue_notice",
    "withdraw_notice",
]
