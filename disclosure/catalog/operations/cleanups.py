"""Cleanups (清理) of an agency's normative documents (issue 11 §2; proactive-china §1.2 and §2.3).

An agency administrator opens a cleanup: every valid normative document the agency issued (as lead issuer) becomes
an item. Legal reviewers or the office head decide each (继续有效 / 修改 / 废止 / 宣布失效) with a reason; once all
are decided the office head approves them with the date they take effect, then publishes the result list (three
lists 继续有效 / 废止 / 失效, and 修改) as a catalogue entry of its own, generated from the approved decisions and
published through the entry operations (`publish_generated`: an index number and a version). Every decided
document then changes state on the effective date (a scheduled `ValidityEvent` while that date is ahead, applied by
the daily sweep). The workflow is `workflows.cleanup`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import select

import workflows.cleanup as cwf
from disclosure.accounts.models import Agency, User
from disclosure.catalog.models import Cleanup, CleanupItem, Entry, Genre, Validity, ValidityChange
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.operations import validity
from disclosure.core import audit
from disclosure.core.errors import DomainError, NotAllowed, collect_errors
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from workflows.cleanup import Decision, States, TransitionRefused

SCOPES = {
    "periodic": _l("Periodic cleanup (定期清理)"),
    "special": _l("Special cleanup (专项清理)"),
    "full": _l("Full cleanup (全面清理)"),
}

DECISION_LABELS = {
    Decision.CONTINUE.value: _l("Remains valid (继续有效)"),
    Decision.AMEND.value: _l("To be amended (修改)"),
    Decision.REPEAL.value: _l("Repealed (废止)"),
    Decision.EXPIRE.value: _l("Declared expired (宣布失效)"),
}

# The result list, in the order it is published (Chinese content: it is a published document, not the interface).
RESULT_LISTS = (
    (Decision.CONTINUE, "继续有效的规范性文件目录"),
    (Decision.REPEAL, "决定废止的规范性文件目录"),
    (Decision.EXPIRE, "宣布失效的规范性文件目录"),
    (Decision.AMEND, "需要修改的规范性文件目录"),
)
CHINESE_ORDINALS = "一二三四五六七八九十"

CHANGES = {
    Decision.CONTINUE.value: ValidityChange.CONTINUED,
    Decision.AMEND.value: ValidityChange.LISTED_FOR_AMENDMENT,
    Decision.REPEAL.value: ValidityChange.REPEALED,
    Decision.EXPIRE.value: ValidityChange.DECLARED_EXPIRED,
}

REFUSALS = {
    "state": _l("This action is not possible in the cleanup's current state."),
    "role": _l("Your role does not allow this action on this cleanup."),
    "unknown": _l("Unknown action."),
    "all_decided": _l("Every document needs its decision and reason first."),
    "has_comment": _l("Say what is to be reconsidered."),
    "has_reason": _l("Give the reason."),
    "has_effective_date": _l("Enter the date the decisions take effect (today or later)."),
}

SNAPSHOT_FIELDS = ("state", "title", "scope", "effective_on", "result_entry_id")


def actors_for(cleanup: Cleanup, user: User | None) -> set[str]:
    if user is None:
        return {cwf.SYSTEM}
    if not user.is_staff or user.agency_id != cleanup.agency_id:
        return set()
    return {r.value for r in user.roles}


def facts_for(cleanup: Cleanup, *, comment: str = "", reason: str = "", today: dt.date | None = None) -> cwf.Facts:
    today = today or today_china()
    return cwf.Facts(
        all_decided=bool(cleanup.items) and all(i.decision and i.reason.strip() for i in cleanup.items),
        has_comment=bool(comment.strip()),
        has_reason=bool(reason.strip()),
        has_effective_date=cleanup.effective_on is not None and cleanup.effective_on >= today,
    )


def allowed_actions(cleanup: Cleanup, user: User | None) -> list[str]:
    facts = dataclasses.replace(facts_for(cleanup, comment="-", reason="-"), has_effective_date=True)  # asked then
    return cwf.allowed_triggers(cleanup.state, actors_for(cleanup, user), facts)


def _fire(cleanup: Cleanup, trigger: str, actor: User | None, facts: cwf.Facts) -> str:
    try:
        return cwf.fire(cleanup.state, trigger, actors_for(cleanup, actor), facts).value
    except TransitionRefused as exc:
        cls = NotAllowed if exc.reason == "role" else DomainError
        raise cls(REFUSALS.get(exc.reason, REFUSALS["state"])) from None


def _step(cleanup: Cleanup, trigger: str, actor: User | None, facts: cwf.Facts, reason: str = "") -> None:
    before = audit.snapshot(cleanup, SNAPSHOT_FIELDS)
    cleanup.state = _fire(cleanup, trigger, actor, facts)
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(cleanup, SNAPSHOT_FIELDS))
    cleanup.log(f"cleanup.{trigger}", before=old, after=new, reason=reason.strip() or None, actor=actor)


def active_cleanup(agency_id: int) -> Cleanup | None:
    return db.session.execute(
        select(Cleanup).where(Cleanup.agency_id == agency_id, Cleanup.state.in_([s.value for s in cwf.ACTIVE]))
    ).scalar_one_or_none()


def cleanups_of(agency_id: int | None) -> list[Cleanup]:
    query = select(Cleanup).order_by(Cleanup.id.desc())
    if agency_id is not None:
        query = query.where(Cleanup.agency_id == agency_id)
    return list(db.session.execute(query).scalars())


# --- Operations -------------------------------------------------------------------------------------------------


def open_cleanup(agency: Agency, data: Mapping[str, Any], *, actor: User | None) -> Cleanup:
    """An agency administrator opens a cleanup: every valid normative document of the agency is listed."""
    if actor is not None and not (
        actor.is_staff and actor.agency_id == agency.id and cwf.AGENCY_ADMIN in {r.value for r in actor.roles}
    ):
        raise NotAllowed(_l("Only the agency administrator opens a cleanup."))
    title = str(data.get("title") or "").strip()
    scope = str(data.get("scope") or "").strip() or "periodic"
    documents = [d for d in validity.valid_normative_documents(agency.id) if not validity.pending_changes(d)]
    with collect_errors() as errors:
        if not title:
            errors.add(_l("Enter the cleanup's title (e.g. 2026年度规范性文件清理)."), field="title")
        elif len(title) > 200:
            errors.add(_l("At most %(n)d characters.", n=200), field="title")
        if scope not in SCOPES:
            errors.add(_l("Choose a value from the list."), field="scope")
        running = active_cleanup(agency.id)
        if running is not None:
            errors.add(
                _l("The cleanup “%(title)s” is still under way; finish or cancel it first.", title=running.title),
                field=None,
            )
        if not documents:
            errors.add(_l("The agency has no valid rule or normative document to clean up."), field=None)
    cleanup = Cleanup(agency_id=agency.id, title=title, scope=scope, state=States.OPEN.value)
    db.session.add(cleanup)
    db.session.flush()
    for document in documents:
        db.session.add(CleanupItem(cleanup_id=cleanup.id, entry_id=document.id))
    db.session.flush()
    db.session.refresh(cleanup)
    cleanup.log(
        "cleanup.open",
        after={**audit.snapshot(cleanup, SNAPSHOT_FIELDS), "documents": [d.id for d in documents]},
        actor=actor,
    )
    return cleanup


def decide(item: CleanupItem, decision: str, reason: str, *, actor: User | None) -> CleanupItem:
    """One document's decision and its reason (may be changed while the cleanup is open)."""
    cleanup = item.cleanup
    _fire(cleanup, "decide", actor, facts_for(cleanup))
    decision = (decision or "").strip()
    reason = (reason or "").strip()
    with collect_errors() as errors:
        if decision not in DECISION_LABELS:
            errors.add(
                _l("Choose the decision: remains valid, to be amended, repealed or declared expired."), field="decision"
            )
        if not reason:
            errors.add(_l("Give the reason for the decision."), field="reason")
        elif len(reason) > 2000:
            errors.add(_l("At most %(n)d characters.", n=2000), field="reason")
    before = {"decision": item.decision, "reason": item.reason}
    item.decision, item.reason = decision, reason
    item.decided_by_id, item.decided_at = getattr(actor, "id", None), utcnow()
    db.session.flush()
    cleanup.log(
        "cleanup.decide",
        before=before,
        after={"entry_id": item.entry_id, "decision": decision, "reason": reason},
        actor=actor,
    )
    return item


def complete(cleanup: Cleanup, *, actor: User | None) -> Cleanup:
    _step(cleanup, "complete", actor, facts_for(cleanup))
    return cleanup


def reopen(cleanup: Cleanup, *, actor: User | None, comment: str) -> Cleanup:
    _step(cleanup, "reopen", actor, facts_for(cleanup, comment=comment), reason=comment)
    return cleanup


def cancel(cleanup: Cleanup, *, actor: User | None, reason: str) -> Cleanup:
    _step(cleanup, "cancel", actor, facts_for(cleanup, reason=reason), reason=reason)
    return cleanup


def revoke_approval(cleanup: Cleanup, *, actor: User | None, comment: str) -> Cleanup:
    _step(cleanup, "revoke_approval", actor, facts_for(cleanup, comment=comment), reason=comment)
    return cleanup


def approve(
    cleanup: Cleanup, *, actor: User | None, effective_on: dt.date | None, today: dt.date | None = None
) -> Cleanup:
    """The office head approves the decisions and the date they take effect (today or later)."""
    today = today or today_china()
    if effective_on is None:
        raise DomainError(_l("Enter the date the decisions take effect."), field="effective_on")
    if effective_on < today:
        raise DomainError(_l("The decisions cannot take effect before today."), field="effective_on")
    previous = cleanup.effective_on
    cleanup.effective_on = effective_on
    try:
        _step(cleanup, "approve", actor, facts_for(cleanup, today=today))
    except DomainError:
        cleanup.effective_on = previous
        raise
    cleanup.approved_by_id, cleanup.approved_at = getattr(actor, "id", None), utcnow()
    db.session.flush()
    return cleanup


def publish(cleanup: Cleanup, *, actor: User | None, today: dt.date | None = None) -> Entry:
    """The office head publishes the result list: a catalogue entry generated from the approved decisions and
    published through the entry operations (`publish_generated`: its index number, its version), then every
    decided document changes state on the effective date (or on publication, when that comes later).
    Returns the result entry."""
    today = today or today_china()
    _step(cleanup, "publish", actor, facts_for(cleanup, today=today))
    if cleanup.effective_on is None or cleanup.effective_on < today:
        cleanup.effective_on = today  # not retroactive: the list takes effect when the public can read it
    agency = db.session.get(Agency, cleanup.agency_id)
    result = ops.publish_generated(agency, _result_data(cleanup, agency, today), source="cleanup")
    cleanup.result_entry_id = result.id
    db.session.flush()
    _apply_decisions(cleanup, result, actor=actor, today=today)
    return result


def _apply_decisions(cleanup: Cleanup, result: Entry, *, actor: User | None, today: dt.date) -> None:
    skipped = []
    for item in cleanup.items:
        event = validity.declare_by_cleanup(
            item.entry,
            CHANGES[item.decision],
            cleanup_id=cleanup.id,
            result_entry=result,
            effective_on=cleanup.effective_on,
            reason=item.reason,
            actor=actor,
            today=today,
        )
        if event is None:
            skipped.append(item.entry_id)
    if skipped:
        cleanup.log("cleanup.skipped", after={"entries": skipped}, reason="changed since the decision", actor=actor)


# --- The result list --------------------------------------------------------------------------------------------


def result_lists(cleanup: Cleanup) -> list[tuple[Decision, str, list[CleanupItem]]]:
    return [(d, heading, [i for i in cleanup.items if i.decision == d.value]) for d, heading in RESULT_LISTS]


def result_title(cleanup: Cleanup) -> str:
    return f"关于公布{cleanup.title}结果的通知"


def result_body_html(cleanup: Cleanup, agency: Agency) -> str:
    """The published result list (Chinese): an opening paragraph and one table per list, numbered."""
    day = cleanup.effective_on
    parts = [
        f"<p>根据规范性文件管理有关规定，{escape(agency.full_name)}对本机关制定的规章和行政规范性文件进行了清理。"
        f"现将清理结果公布如下，自{day.year}年{day.month}月{day.day}日起执行。"
        "未列入继续有效目录的文件，不再作为行政管理的依据。</p>"
    ]
    lists = [entry for entry in result_lists(cleanup) if entry[2]]
    for n, (_decision, heading, items) in enumerate(lists):
        parts.append(f"<h2>{CHINESE_ORDINALS[n]}、{heading}（{len(items)}件）</h2>")
        rows = "".join(
            f"<tr><td>{k}</td><td>{escape(i.entry.title)}</td><td>{escape(i.entry.document_number)}</td>"
            f"<td>{escape(i.entry.index_number or '')}</td><td>{escape(i.reason)}</td></tr>"
            for k, i in enumerate(items, start=1)
        )
        parts.append(
            "<table><thead><tr><th>序号</th><th>文件名称</th><th>发文字号</th><th>索引号</th><th>清理理由</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
    return "".join(parts)


def _result_data(cleanup: Cleanup, agency: Agency, today: dt.date) -> dict:
    counts = {d: len(items) for d, _h, items in result_lists(cleanup)}
    genre = db.session.execute(select(Genre).where(Genre.name == "通知", Genre.active.is_(True))).scalar_one_or_none()
    return {
        "title": result_title(cleanup),
        "summary": (
            f"公布规范性文件清理结果：继续有效{counts[Decision.CONTINUE]}件，废止{counts[Decision.REPEAL]}件，"
            f"宣布失效{counts[Decision.EXPIRE]}件，需要修改{counts[Decision.AMEND]}件。"
        ),
        "made_on": today.isoformat(),
        "category": "art20_1",
        "doc_kind": "other",
        "attribute": "proactive",
        "keywords": "规范性文件清理",
        "genre_id": str(genre.id) if genre is not None else "",
        "body_html": result_body_html(cleanup, agency),
    }


def decided_validity(item: CleanupItem) -> str:
    """What the document becomes (for the page): 有效 for 继续有效 and 修改."""
    return validity.RESULTING_VALIDITY[CHANGES[item.decision]].value if item.decision else Validity.VALID.value
