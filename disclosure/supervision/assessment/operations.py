"""Operations of the assessment (考核, issue 14 §4): edit the indicators, start an assessment for a period over the
agencies a supervisor supervises, compute its scores from the figures registry (each measure counted once for all
agencies, `measures.counts`), recompute while it is a draft, adjust a score with a reason, finalise (frozen),
publish, withdraw with a reason, reopen with a reason, discard a draft. One verb per change, `flush()` only; every
change logs an audit event; the state follows `workflows.assessment`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.accounts import tree
from disclosure.accounts.models import Agency, User
from disclosure.accounts.roles import Role
from disclosure.core.errors import Conflict, DomainError, FieldErrors, NotAllowed
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.supervision import measures, scope
from disclosure.supervision.assessment import indicators as indicator_rules
from disclosure.supervision.assessment.models import Assessment, AssessmentEntry, AssessmentScore, IndicatorScheme
from disclosure.supervision.assessment.scoring import RATIO, Figure, Indicator, ranks, score
from disclosure.supervision.periods import Period
from workflows.assessment import FROZEN, SUPERVISOR, WORKFLOW, Facts, States, TransitionRefused

TITLE_MAX = 200
REASON_MAX = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_POINTS = re.compile(r"\d{1,3}(\.\d{1,2})?")

REFUSALS = {
    "state": _l("This assessment cannot do that in its present state."),
    "role": _l("Only the assessing agency's supervisors may do that."),
    "has_results": _l("No agency has been scored: there is nothing to finalise or publish."),
    "has_reason": _l("Say why."),
}
CONFLICT = _l(
    "Someone else changed this assessment while you were working on it. Nothing was overwritten: review the current "
    "version and try again."
)
SCHEME_CONFLICT = _l("Someone else changed these indicators first. Nothing was saved: review them and try again.")


def _clean(text: str | None, limit: int) -> str:
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n")).strip()[: limit + 1]


# --- Who acts -----------------------------------------------------------------------------------------------------


def actors_for(user: User | None, assessment: Assessment) -> set[str]:
    """{"supervisor"} for a supervisor of the assessing agency or a system administrator; nobody else acts."""
    if user is None or not getattr(user, "is_staff", False):
        return set()
    if user.is_sys_admin or (user.has_role(Role.SUPERVISOR) and user.agency_id == assessment.agency_id):
        return {SUPERVISOR}
    return set()


def can_manage(user: User | None, assessment: Assessment) -> bool:
    """Sees the whole assessment, drafts included, and acts on it."""
    return bool(actors_for(user, assessment))


def can_see_entry(user: User | None, assessment: Assessment, agency_id: int) -> bool:
    """An assessed agency's office head (or administrator) sees their own agency's scores once finalised."""
    if can_manage(user, assessment):
        return True
    return (
        assessment.is_frozen
        and getattr(user, "is_staff", False)
        and user.agency_id == agency_id
        and user.has_role(*scope.AGENCY_VIEWERS)
    )


def can_edit_indicators(user: User | None, agency_id: int | None) -> bool:
    """The defaults (agency None): system administrators; an agency's set: its supervisors (and system
    administrators)."""
    if user is None or not getattr(user, "is_staff", False):
        return False
    if user.is_sys_admin:
        return True
    return agency_id is not None and user.agency_id == agency_id and user.has_role(Role.SUPERVISOR)


def _next(assessment: Assessment, trigger: str, user: User | None, facts: Facts) -> States:
    try:
        return WORKFLOW.fire(assessment.state, trigger, facts, actors_for(user, assessment))
    except TransitionRefused as exc:
        message = REFUSALS.get(exc.reason, REFUSALS["state"])
        raise (NotAllowed(message) if exc.reason == "role" else DomainError(message)) from None


def _may(assessment: Assessment, trigger: str, user: User | None) -> None:
    """Refuse now (state, role) before any input is looked at; the guards are checked when firing."""
    _next(assessment, trigger, user, Facts(has_results=True, has_reason=True))


def check_version(assessment: Assessment, expected: int | None) -> None:
    if expected is not None and int(expected) != assessment.version:
        raise Conflict(CONFLICT)


def _touch(assessment: Assessment) -> None:
    """A change to the scores alone changes the assessment too (its version: optimistic locking)."""
    assessment.updated_at = utcnow()


# --- Indicators ---------------------------------------------------------------------------------------------------


def scheme_of(agency_id: int | None) -> IndicatorScheme | None:
    """The agency's own indicator set, or (agency None) the stored defaults."""
    where = IndicatorScheme.is_default.is_(True) if agency_id is None else IndicatorScheme.agency_id == agency_id
    return db.session.execute(select(IndicatorScheme).where(where)).scalar_one_or_none()


def indicators_for(agency_id: int | None) -> tuple[list[dict], str]:
    """The indicators an agency assesses by and where they come from: its own set ("agency"), the defaults a system
    administrator stored ("default"), or the built-in defaults ("built-in")."""
    if agency_id is not None and (own := scheme_of(agency_id)) is not None:
        return list(own.indicators), "agency"
    if (stored := scheme_of(None)) is not None:
        return list(stored.indicators), "default"
    return indicator_rules.default_indicators(), "built-in"


def save_indicators(
    agency_id: int | None, user: User, rows: list[dict], *, expected_version: int | None = None
) -> IndicatorScheme:
    """Replace an agency's indicator set (agency None: the defaults) with the typed rows. Every problem is reported
    at once beside its field, and nothing saved changes (weights that do not add up to 100, unknown figures,
    targets not above floors, rules that do not fit the figure)."""
    if not can_edit_indicators(user, agency_id):
        raise NotAllowed(
            _l("Only the agency's supervisors may change its indicators; the defaults, a system administrator.")
        )
    items = indicator_rules.check(rows)
    row = scheme_of(agency_id)
    if row is None:
        if expected_version:
            raise Conflict(SCHEME_CONFLICT)
        row = IndicatorScheme(agency_id=agency_id, is_default=agency_id is None, indicators=[])
        db.session.add(row)
    elif expected_version is not None and int(expected_version) != row.version:
        raise Conflict(SCHEME_CONFLICT)
    before = list(row.indicators or [])
    row.indicators = items
    row.updated_at = utcnow()
    db.session.flush()
    row.log("assessment_indicators.saved", before={"indicators": before}, after={"indicators": items}, actor=user)
    return row


# --- Starting and computing ---------------------------------------------------------------------------------------


def default_title(period: Period) -> str:
    """The title the published table carries, in Chinese: 2025年度政务公开工作考核."""
    return f"{period.zh_label}政务公开工作考核"


def assessed_ids(agency_id: int, include_own: bool) -> list[int]:
    """The active agencies under the assessing agency (条例 Art. 47: the competent department supervises the
    agencies below it), the assessing agency itself only when chosen."""
    ids = [i for i in tree.subtree_ids(agency_id) if include_own or i != agency_id]
    if not ids:
        return []
    return list(
        db.session.execute(
            select(Agency.id).where(Agency.id.in_(ids), Agency.active.is_(True)).order_by(Agency.id)
        ).scalars()
    )


def _snapshot(stored: list[dict]) -> list[dict]:
    try:
        return [i.as_json() for i in indicator_rules.resolved(stored)]
    except KeyError as exc:
        raise DomainError(
            _l(
                "The indicator “%(name)s” reads a figure that is no longer registered: correct the indicators first.",
                name=exc.args[0],
            )
        ) from None


def start(
    agency: Agency,
    user: User,
    *,
    title: str = "",
    period: Period,
    include_own: bool = False,
    today: dt.date | None = None,
) -> Assessment:
    """Start an assessment of `period` by `agency` over the agencies it supervises, with its indicators as they are
    now, and compute its scores."""
    today = today or today_china()
    if not (user.is_sys_admin or (user.has_role(Role.SUPERVISOR) and user.agency_id == agency.id)):
        raise NotAllowed(REFUSALS["role"])
    errors: dict[str, object] = {}
    title = _clean(title, TITLE_MAX) or default_title(period)
    if len(title) > TITLE_MAX:
        errors["title"] = _l("At most %(n)s characters.", n=TITLE_MAX)
    if period.start > today:
        errors["period"] = _l("The period has not begun yet: choose one that has.")
    elif existing(agency.id, period) is not None:
        errors["period"] = _l("An assessment of this period exists already: open it from the list.")
    ids = assessed_ids(agency.id, include_own)
    if not ids:
        errors["include_own"] = _l(
            "No agency is under yours to assess: include your own agency, or ask the system administrator to place "
            "the agencies you supervise under it."
        )
    stored, _source = indicators_for(agency.id)
    if not stored:
        errors.setdefault(None, _l("Define the indicators first: the assessment has nothing to score by."))
    if errors:
        raise FieldErrors(errors)
    snapshot = _snapshot(stored)
    names = {a.id: a.full_name for a in scope.agencies(ids)}
    assessment = Assessment(
        agency_id=agency.id,
        title=title,
        period_kind=period.kind.value,
        period_start=period.start,
        period_end=period.end,
        include_own=include_own,
        state=States.DRAFT.value,
        indicators=snapshot,
        created_by_id=user.id,
    )
    assessment.entries = [AssessmentEntry(agency_id=i, agency_name=names[i]) for i in ids]
    db.session.add(assessment)
    db.session.flush()
    _compute(assessment, today)
    assessment.log(
        "assessment.started",
        after={
            "title": title,
            "period": f"{period.start.isoformat()}..{period.end.isoformat()}",
            "agencies": ids,
            "indicators": [i["name"] for i in snapshot],
        },
        actor=user,
    )
    db.session.flush()
    return assessment


def existing(agency_id: int, period: Period) -> Assessment | None:
    return db.session.execute(
        select(Assessment)
        .where(
            Assessment.agency_id == agency_id,
            Assessment.period_start == period.start,
            Assessment.period_end == period.end,
            Assessment.state != States.DISCARDED.value,
        )
        .limit(1)
    ).scalar_one_or_none()


def _figures(indicators: list[Indicator], counted: dict[str, dict[int, int]], agency_id: int) -> list[Figure]:
    out = []
    for ind in indicators:
        figure = measures.REGISTRY.get(ind.figure)
        if isinstance(figure, measures.Ratio):
            out.append(
                Figure(
                    numerator=counted[figure.numerator].get(agency_id, 0),
                    denominator=counted[figure.denominator].get(agency_id, 0),
                )
            )
        else:
            out.append(Figure(count=counted[ind.figure].get(agency_id, 0)))
    return out


def _compute(assessment: Assessment, today: dt.date) -> list[dict]:
    """Score every assessed agency on every indicator from the registry, each measure counted once for all of
    them; adjustments are kept (within the indicator's new maximum; dropped where the indicator is now left out for
    want of data). Returns the adjustments that changed, for the audit event."""
    indicators = [Indicator.from_json(i) for i in assessment.indicators]
    for ind in indicators:
        figure = measures.REGISTRY.get(ind.figure)
        if figure is None or isinstance(figure, measures.Ratio) != (ind.kind == RATIO):
            raise DomainError(
                _l(
                    "The indicator “%(name)s” reads a figure that is no longer registered as it was: this assessment "
                    "cannot be computed again. Discard it and start a new one.",
                    name=ind.name,
                )
            )
    ids = tuple(e.agency_id for e in assessment.entries)
    counted = measures.counts([i.figure for i in indicators], measures.Scope(ids, assessment.period, today))
    changed = []
    for entry in assessment.entries:
        lines, _total = score(indicators, _figures(indicators, counted, entry.agency_id))
        existing = {s.position: s for s in entry.scores}
        for position, line in enumerate(lines):
            row = existing.get(position)
            if row is None:
                row = AssessmentScore(position=position)
                entry.scores.append(row)
            f = line.figure
            row.count, row.numerator, row.denominator = f.count, f.numerator, f.denominator
            row.percent = f.percent
            row.has_data, row.excluded = line.has_data, line.excluded
            row.max_points, row.points = line.max_points, line.points
            if row.adjusted_points is not None and (line.excluded or row.adjusted_points > line.max_points):
                was = row.adjusted_points
                row.adjusted_points = None if line.excluded else line.max_points
                changed.append(
                    {
                        "agency": entry.agency_name,
                        "indicator": indicators[position].name,
                        "before": was,
                        "after": row.adjusted_points,
                    }
                )
                if row.adjusted_points is None:
                    row.adjust_reason, row.adjusted_by_id, row.adjusted_at = "", None, None
        for position in [p for p in existing if p >= len(lines)]:
            entry.scores.remove(existing[position])
    _totals(assessment)
    assessment.computed_at = utcnow()
    assessment.computed_on = today
    return changed


def _totals(assessment: Assessment) -> None:
    """Each agency's total (the points that count, adjustments included) and its rank."""
    for entry in assessment.entries:
        counted = [s.final_points for s in entry.scores if not s.excluded]
        entry.total = sum(counted, Decimal(0)).quantize(Decimal("0.01")) if counted else None
    for entry, rank in zip(
        assessment.entries, ranks({e.agency_id: e.total for e in assessment.entries}).values(), strict=True
    ):
        entry.rank = rank


def recompute(
    assessment: Assessment, user: User, *, expected_version: int | None = None, today: dt.date | None = None
) -> None:
    """Compute the draft's scores again from the figures as they are now."""
    check_version(assessment, expected_version)
    _next(assessment, "recompute", user, Facts())
    today = today or today_china()
    changed = _compute(assessment, today)
    _touch(assessment)
    assessment.log(
        "assessment.recomputed",
        after={"computed_on": today, "totals": {e.agency_name: e.total for e in assessment.entries}}
        | ({"adjustments_changed": changed} if changed else {}),
        actor=user,
    )
    db.session.flush()


# --- Adjusting ----------------------------------------------------------------------------------------------------


def parse_points(text: str | None) -> Decimal | None:
    """Points with at most two decimals; None when blank; ValueError otherwise."""
    raw = (text or "").strip().replace("，", ".")
    if not raw:
        return None
    if not _POINTS.fullmatch(raw):
        raise ValueError(raw)
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        raise ValueError(raw) from None


def entry_of(assessment: Assessment, agency_id: int | None) -> AssessmentEntry | None:
    return next((e for e in assessment.entries if e.agency_id == agency_id), None)


def adjust(
    assessment: Assessment,
    user: User,
    *,
    agency_id: int | None,
    position: int | None,
    points: str | None,
    reason: str | None,
    expected_version: int | None = None,
) -> AssessmentScore:
    """Set an agency's score on one indicator by hand, with a reason (blank points: back to the computed score). The
    page shows the score as adjusted, with the reason, beside the computed one."""
    check_version(assessment, expected_version)
    _may(assessment, "adjust", user)
    errors: dict[str, object] = {}
    entry = entry_of(assessment, agency_id)
    if entry is None:
        errors["agency_id"] = _l("This agency is not assessed here.")
    row = None
    if position is None or not 0 <= position < len(assessment.indicators):
        errors["position"] = _l("Choose one of the assessment's indicators.")
    elif entry is not None:
        row = next((s for s in entry.scores if s.position == position), None)
        if row is None or row.excluded:
            errors["position"] = _l(
                "This indicator was left out for the agency (its figure has no data): its weight went to the other "
                "indicators, so there is no score to adjust."
            )
    try:
        value = parse_points(points)
    except ValueError:
        value = None
        errors["points"] = _l("Points with at most two decimals, from 0 up.")
    if value is not None and row is not None and not row.excluded and value > row.max_points:
        errors["points"] = _l("At most the indicator's %(max)s points.", max=format(row.max_points.normalize(), "f"))
    reason = _clean(reason, REASON_MAX)
    if not reason:
        errors["reason"] = _l("Say why the score is adjusted: the reason is shown beside it.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _l("At most %(n)s characters.", n=REASON_MAX)
    if errors:
        raise FieldErrors(errors)
    if value is None and row.adjusted_points is None:
        raise DomainError(_l("This score is not adjusted: enter the points it should have."), field="points")
    _next(assessment, "adjust", user, Facts(has_reason=True))
    name = assessment.indicators[position]["name"]
    before = {"agency": entry.agency_name, "indicator": name, "points": row.final_points, "adjusted": row.adjusted}
    row.adjusted_points = value
    row.adjust_reason = reason if value is not None else ""
    row.adjusted_by_id = user.id if value is not None else None
    row.adjusted_at = utcnow() if value is not None else None
    _totals(assessment)
    _touch(assessment)
    assessment.log(
        "assessment.adjusted" if value is not None else "assessment.adjustment_removed",
        before=before,
        after={"agency": entry.agency_name, "indicator": name, "points": row.final_points, "total": entry.total},
        reason=reason,
        actor=user,
    )
    db.session.flush()
    return row


# --- The workflow -------------------------------------------------------------------------------------------------


def _has_results(assessment: Assessment) -> bool:
    return assessment.computed_at is not None and any(e.scores for e in assessment.entries)


def finalise(assessment: Assessment, user: User, *, expected_version: int | None = None) -> None:
    """Freeze the scores and the figures they came from: later data changes no longer move them."""
    check_version(assessment, expected_version)
    assessment.state = _next(assessment, "finalise", user, Facts(has_results=_has_results(assessment))).value
    assessment.finalised_at = utcnow()
    assessment.log(
        "assessment.finalised",
        after={"state": assessment.state, "totals": {e.agency_name: e.total for e in assessment.entries}},
        actor=user,
    )
    db.session.flush()


def _reason_step(assessment: Assessment, trigger: str, user: User, reason: str | None) -> tuple[States, str]:
    _may(assessment, trigger, user)
    reason = _clean(reason, REASON_MAX)
    if not reason:
        raise DomainError(REFUSALS["has_reason"], field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("At most %(n)s characters.", n=REASON_MAX), field="reason")
    return _next(assessment, trigger, user, Facts(has_reason=True, has_results=_has_results(assessment))), reason


def reopen(assessment: Assessment, user: User, reason: str | None, *, expected_version: int | None = None) -> None:
    """Back to a draft, with a reason: the scores may be recomputed and adjusted again (a withdrawn table must be
    finalised and published again)."""
    check_version(assessment, expected_version)
    state, reason = _reason_step(assessment, "reopen", user, reason)
    assessment.state = state.value
    assessment.finalised_at = None
    assessment.log("assessment.reopened", after={"state": assessment.state}, reason=reason, actor=user)
    db.session.flush()


def publish(assessment: Assessment, user: User, *, expected_version: int | None = None) -> None:
    """The results table (agency, total, rank, per-indicator scores) goes on the public platform, read from the
    frozen scores."""
    check_version(assessment, expected_version)
    assessment.state = _next(assessment, "publish", user, Facts(has_results=_has_results(assessment))).value
    assessment.published_at = utcnow()
    assessment.withdrawn_at, assessment.withdraw_reason = None, ""
    assessment.log("assessment.published", after={"state": assessment.state}, actor=user)
    db.session.flush()


def withdraw(assessment: Assessment, user: User, reason: str | None, *, expected_version: int | None = None) -> None:
    """The table leaves the platform; its address says that it was withdrawn, when and why."""
    check_version(assessment, expected_version)
    state, reason = _reason_step(assessment, "withdraw", user, reason)
    assessment.state = state.value
    assessment.withdrawn_at, assessment.withdraw_reason = utcnow(), reason
    assessment.log("assessment.withdrawn", after={"state": assessment.state}, reason=reason, actor=user)
    db.session.flush()


def discard(assessment: Assessment, user: User, *, expected_version: int | None = None) -> None:
    """A draft started by mistake is set aside (kept for the record, never shown to the assessed agencies)."""
    check_version(assessment, expected_version)
    assessment.state = _next(assessment, "discard", user, Facts()).value
    assessment.log("assessment.discarded", after={"state": assessment.state}, actor=user)
    db.session.flush()


# --- Reading ------------------------------------------------------------------------------------------------------


def managed(user: User) -> list[Assessment]:
    """The assessments a user manages: a system administrator's, every one; a supervisor's, their agency's."""
    q = select(Assessment).order_by(Assessment.period_start.desc(), Assessment.id.desc())
    if not user.is_sys_admin:
        if not (user.has_role(Role.SUPERVISOR) and user.agency_id):
            return []
        q = q.where(Assessment.agency_id == user.agency_id)
    return list(db.session.execute(q).scalars())


def assessed(agency_id: int | None) -> list[tuple[Assessment, AssessmentEntry]]:
    """The finalised assessments that scored this agency, newest first, each with the agency's entry."""
    if agency_id is None:
        return []
    rows = db.session.execute(
        select(Assessment, AssessmentEntry)
        .join(AssessmentEntry, AssessmentEntry.assessment_id == Assessment.id)
        .where(AssessmentEntry.agency_id == agency_id, Assessment.state.in_([s.value for s in FROZEN]))
        .order_by(Assessment.period_start.desc(), Assessment.id.desc())
    ).all()
    return [(a, e) for a, e in rows]


def published() -> list[Assessment]:
    """What the public platform lists: the published tables, newest first."""
    return list(
        db.session.execute(
            select(Assessment)
            .where(Assessment.state == States.PUBLISHED.value)
            .order_by(Assessment.published_at.desc(), Assessment.id.desc())
        ).scalars()
    )


def ranked(assessment: Assessment) -> list[AssessmentEntry]:
    """The entries as the results table reads: by rank, unscored agencies last, then by name."""
    return sorted(assessment.entries, key=lambda e: (e.rank is None, e.rank or 0, e.agency_name))
