"""Supervision-notice figures (督办, issue 14 §3: 'open and late notices show on the dashboard'), per agency the
notices were sent to: open now, late now (open past the due date, not answered), and answered late within the
period. Each lists the notices it counts, linked to their pages. One grouped query per figure, along the notices'
(agency_id, state, due_on) index and the rounds' answered_on index."""

from __future__ import annotations

from flask import has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from disclosure.core.idlists import in_ids
from disclosure.extensions import db
from disclosure.supervision.blueprints import staff_bp
from disclosure.supervision.measures import Item, Measure, Scope, register
from disclosure.supervision.notices.models import Notice, NoticeRound
from workflows.supervision_notice import OPEN, States

OPEN_STATES = [s.value for s in OPEN]
TITLE_CHARS = 80


def notice_url(notice_id: int) -> str:
    if has_request_context():
        return url_for("supervision.notice", notice_id=notice_id)
    return f"{staff_bp.url_prefix}/notices/{notice_id}"


def _title(text: str) -> str:
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"


def _page(rows: list, limit: int | None, offset: int) -> list:
    return rows[offset:] if limit is None else rows[offset : offset + limit]


def _grouped(condition, scope: Scope) -> dict[int, int]:
    rows = db.session.execute(
        select(Notice.agency_id, func.count(Notice.id))
        .where(in_ids(Notice.agency_id, scope.agency_ids), condition)
        .group_by(Notice.agency_id)
    ).all()
    return {agency_id: n for agency_id, n in rows}


def _listed(condition, scope: Scope, limit: int | None, offset: int, note) -> list[Item]:
    q = (
        select(Notice.id, Notice.agency_id, Notice.number, Notice.text, Notice.due_on, Notice.state)
        .where(in_ids(Notice.agency_id, scope.agency_ids), condition)
        .order_by(Notice.due_on, Notice.id)
        .offset(offset)
    )
    if limit is not None:
        q = q.limit(limit)
    return [
        Item(
            agency_id=r.agency_id,
            reference=r.number,
            title=_title(r.text),
            on=r.due_on,
            url=notice_url(r.id),
            note=note(r, scope),
        )
        for r in db.session.execute(q).all()
    ]


# --- Open now -----------------------------------------------------------------------------------------------------


def _open(scope: Scope):
    return Notice.state.in_(OPEN_STATES)


def _open_note(r, scope: Scope) -> str:
    if r.state == States.ANSWERED.value:
        return _("Answered, waiting for the supervisor")
    if r.due_on < scope.today:
        return _("Late: due on %(date)s", date=r.due_on.isoformat())
    return _("Due on %(date)s", date=r.due_on.isoformat())


def open_count(scope: Scope) -> dict[int, int]:
    return _grouped(_open(scope), scope)


def open_items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
    return _listed(_open(scope), scope, limit, offset, _open_note)


# --- Late now -----------------------------------------------------------------------------------------------------


def _late(scope: Scope):
    return (Notice.state == States.ISSUED.value) & (Notice.due_on < scope.today)


def _late_note(r, scope: Scope) -> str:
    days = (scope.today - r.due_on).days
    return ngettext("%(num)d day past the due date", "%(num)d days past the due date", days)


def late_count(scope: Scope) -> dict[int, int]:
    return _grouped(_late(scope), scope)


def late_items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
    return _listed(_late(scope), scope, limit, offset, _late_note)


# --- Answered late in the period ------------------------------------------------------------------------------------


def _answered_late_rows(scope: Scope):
    """The notices with a round answered within the period after that round's due date, one row each with the
    latest such answer."""
    last = func.max(NoticeRound.answered_on).label("answered_on")
    return (
        select(Notice.id, Notice.agency_id, Notice.number, Notice.text, last)
        .join(NoticeRound, NoticeRound.notice_id == Notice.id)
        .where(
            in_ids(Notice.agency_id, scope.agency_ids),
            NoticeRound.answered_on >= scope.period.start,
            NoticeRound.answered_on <= scope.period.end,
            NoticeRound.answered_on > NoticeRound.due_on,
        )
        .group_by(Notice.id, Notice.agency_id, Notice.number, Notice.text)
    )


def answered_late_count(scope: Scope) -> dict[int, int]:
    inner = _answered_late_rows(scope).subquery()
    rows = db.session.execute(select(inner.c.agency_id, func.count()).group_by(inner.c.agency_id)).all()
    return {agency_id: n for agency_id, n in rows}


def answered_late_items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
    inner = _answered_late_rows(scope).subquery()
    q = select(inner).order_by(inner.c.answered_on.desc(), inner.c.id.desc()).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    return [
        Item(
            agency_id=r.agency_id,
            reference=r.number,
            title=_title(r.text),
            on=r.answered_on,
            url=notice_url(r.id),
            note=_("Answered on %(date)s, after the due date", date=r.answered_on.isoformat()),
        )
        for r in db.session.execute(q).all()
    ]


register(
    Measure(
        key="notices.open",
        area="notices",
        label=_l("Supervision notices open"),
        count=open_count,
        items=open_items,
        definition=_l(
            "Supervision notices sent to the agency that are neither closed nor withdrawn: waiting for its answer, "
            "or answered and waiting for the supervisor."
        ),
        now=True,
        lower_is_better=True,
    ),
    Measure(
        key="notices.late",
        area="notices",
        label=_l("Supervision notices late"),
        count=late_count,
        items=late_items,
        definition=_l("Supervision notices the agency has not answered by their due date (open past due)."),
        now=True,
        lower_is_better=True,
    ),
    Measure(
        key="notices.answered_late",
        area="notices",
        label=_l("Supervision notices answered late"),
        count=answered_late_count,
        items=answered_late_items,
        definition=_l(
            "Supervision notices with an answer given within the period after its due date (each notice once)."
        ),
        lower_is_better=True,
    ),
)
