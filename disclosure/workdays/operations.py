"""Changing the calendar: yearly notices and single-day overrides (rules-china §9.2–9.3).

Every change is audited, bumps the calendar token (other processes reload their tables) and then calls the
registered recompute callbacks in the same transaction, so open deadlines never disagree with the calendar they
were computed from. Operations flush only; the request boundary or the command commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from disclosure.core import audit
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.workdays import calendar, statutory
from disclosure.workdays.models import CalendarNotice, CalendarOverride

_ONE_DAY = dt.timedelta(days=1)


def _actor_id(actor) -> int | None:
    return getattr(actor, "id", None)


def notice_window(year: int) -> tuple[dt.date, dt.date]:
    """A yearly notice may reach into the neighbouring months (the 2012 notice made 2011-12-31 a working day)."""
    return dt.date(year - 1, 12, 1), dt.date(year + 1, 1, 31)


def _check_window(year: int, days: Iterable[dt.date]) -> None:
    lo, hi = notice_window(year)
    for d in days:
        if not lo <= d <= hi:
            raise DomainError(
                _l("%(date)s is too far from %(year)s for this year's notice.", date=d.isoformat(), year=year),
                field="holidays",
            )


def _expand(ranges: Iterable[tuple[dt.date, dt.date]]) -> list[dt.date]:
    days: set[dt.date] = set()
    for start, end in ranges:
        if end < start:
            raise DomainError(
                _l(
                    "The range %(start)s to %(end)s ends before it starts.",
                    start=start.isoformat(),
                    end=end.isoformat(),
                ),
                field="holidays",
            )
        d = start
        while d <= end:
            days.add(d)
            d += _ONE_DAY
    return sorted(days)


def _recompute_and_audit(years: Iterable[int], reason: str) -> dict:
    """Run the registered recompute callbacks and audit what they did (called after every change)."""
    calendar.mark_changed()
    years = sorted(set(years))
    results = calendar.run_recompute(years)
    audit.record(
        "calendar.deadlines_recomputed",
        object_type="calendar",
        object_id=",".join(map(str, years)),
        after={"years": years, "callbacks": results},
        reason=reason,
    )
    return results


def record_notice(
    year: int,
    *,
    reference: str,
    title: str,
    issued_on: dt.date | None,
    holidays: Iterable[tuple[dt.date, dt.date]] | None,
    workdays: Iterable[dt.date] | None,
    actor=None,
    accept_differences: bool = False,
) -> CalendarNotice:
    """Enter (or correct) the State Council's notice for `year`: its days off and make-up working days become
    overrides linked to the notice, and the year counts as official from now on (rules-china §9.3).
    With `holidays` and `workdays` both None, the days already set one by one for the year are adopted."""
    calendar.check_year(year)
    reference, title = (reference or "").strip(), (title or "").strip()
    if not reference:
        raise DomainError(_l("Enter the notice's document number."), field="reference")
    if not title:
        raise DomainError(_l("Enter the notice's title."), field="title")
    if holidays is None and workdays is None:
        adopted = (
            db.session.execute(db.select(CalendarOverride).where(CalendarOverride.day.between(*notice_window(year))))
            .scalars()
            .all()
        )
        off = sorted(ov.day for ov in adopted if not ov.is_working)
        work = sorted(ov.day for ov in adopted if ov.is_working)
    else:
        holidays, work = list(holidays or ()), sorted(set(workdays or ()))
        _check_window(year, [d for span in holidays for d in span] + work)
        off = _expand(holidays)
    if not off:
        raise DomainError(_l("Enter at least one holiday range."), field="holidays")
    both = sorted(set(off) & set(work))
    if both:
        raise DomainError(
            _l("%(date)s is entered both as a holiday and as a working day.", date=both[0].isoformat()),
            field="workdays",
        )
    weekdays = [d for d in work if d.weekday() < 5]
    if weekdays:
        raise DomainError(
            _l(
                "%(date)s is a weekday, which is a working day anyway: make-up working days are Saturdays or Sundays.",
                date=weekdays[0].isoformat(),
            ),
            field="workdays",
        )
    if not accept_differences:
        # Compensation days (补休) are where the notice has a choice; the holidays themselves are fixed by law.
        statutory_days = {
            d
            for d, name in calendar.statutory_holidays(year).items()
            if not name.endswith(statutory.COMPENSATION_SUFFIX)
        }
        missing = sorted(statutory_days - set(off))
        if missing:
            raise DomainError(
                _l(
                    "The statutory holidays on %(dates)s are not among the holidays entered. Check "
                    "the notice, or confirm that it really differs.",
                    dates=", ".join(d.isoformat() for d in missing),
                ),
                field="holidays",
            )

    notice = db.session.execute(db.select(CalendarNotice).where(CalendarNotice.year == year)).scalar_one_or_none()
    before = None
    if notice is None:
        notice = CalendarNotice(
            year=year, reference=reference, title=title, issued_on=issued_on, entered_by_id=_actor_id(actor)
        )
        db.session.add(notice)
    else:
        before = _notice_state(notice)
        notice.reference, notice.title, notice.issued_on = reference, title, issued_on
        notice.entered_by_id = _actor_id(actor)
        for ov in list(notice.overrides):
            db.session.delete(ov)
    db.session.flush()

    # Days set one by one before give way to the notice; the audit keeps what they were.
    days = [(d, False) for d in off] + [(d, True) for d in work]
    replaced = (
        db.session.execute(db.select(CalendarOverride).where(CalendarOverride.day.in_([d for d, _ in days])))
        .scalars()
        .all()
    )
    replaced_before = [_override_state(ov) for ov in replaced]
    for ov in replaced:
        db.session.delete(ov)
    db.session.flush()
    names = calendar.statutory_holidays(year)
    for d, is_working in days:
        db.session.add(
            CalendarOverride(
                day=d,
                is_working=is_working,
                notice_id=notice.id,
                source=reference,
                note="" if is_working else names.get(d, "").removesuffix(statutory.COMPENSATION_SUFFIX),
                entered_by_id=_actor_id(actor),
            )
        )
    db.session.flush()
    db.session.refresh(notice)
    after = _notice_state(notice)
    if replaced_before:
        after["replaced_overrides"] = replaced_before
    notice.log("calendar.notice_updated" if before else "calendar.notice_recorded", before=before, after=after)
    _recompute_and_audit({year} | {d.year for d, _ in days}, reason=f"{year}: {reference}")
    return notice


def _notice_state(notice: CalendarNotice) -> dict:
    """A notice as its events show it: its fields and the days it sets."""
    return {
        **audit.snapshot(notice, CalendarNotice.AUDIT_FIELDS),
        "holidays": [ov.day.isoformat() for ov in notice.overrides if not ov.is_working],
        "workdays": [ov.day.isoformat() for ov in notice.overrides if ov.is_working],
    }


def _override_state(override: CalendarOverride) -> dict:
    return audit.snapshot(override, CalendarOverride.AUDIT_FIELDS)


def delete_notice(notice: CalendarNotice, *, reason: str = "") -> None:
    """Withdraw a notice entered by mistake: its days go, and the year falls back to the library or to the
    provisional statutory calendar."""
    before = _notice_state(notice)
    years = {notice.year} | {ov.day.year for ov in notice.overrides}
    for ov in list(notice.overrides):
        db.session.delete(ov)
    db.session.delete(notice)
    db.session.flush()
    notice.log("calendar.notice_deleted", before=before, reason=reason or None)
    _recompute_and_audit(years, reason=f"{notice.year}: {before['reference']} deleted")


def set_override(
    day: dt.date, *, is_working: bool, source: str, note: str = "", actor=None, override: CalendarOverride | None = None
) -> CalendarOverride:
    """Fix one day as a holiday or a working day, citing the notice it comes from. Editing an existing
    override may move it to another day."""
    calendar.check_date(day)
    source, note = (source or "").strip(), (note or "").strip()
    if not source:
        raise DomainError(_l("Name the notice this day comes from."), field="source")
    clash = db.session.execute(db.select(CalendarOverride).where(CalendarOverride.day == day)).scalar_one_or_none()
    if override is None:
        override = clash
    elif clash is not None and clash.id != override.id:
        raise DomainError(
            _l("%(date)s already has an entry; edit that one instead.", date=day.isoformat()), field="day"
        )
    years = {day.year}
    if override is None:
        override = CalendarOverride(
            day=day, is_working=is_working, source=source, note=note, entered_by_id=_actor_id(actor)
        )
        db.session.add(override)
        db.session.flush()
        override.log("calendar.override_created", after=_override_state(override))
    else:
        before = _override_state(override)
        years.add(override.day.year)
        override.day, override.is_working, override.source, override.note = day, is_working, source, note
        if source != (override.notice.reference if override.notice else None):
            override.notice_id = None  # no longer what the recorded notice says
        override.entered_by_id = _actor_id(actor)
        db.session.flush()
        changed_before, changed_after = audit.diff(before, _override_state(override))
        if not changed_after:
            return override
        override.log("calendar.override_updated", before=changed_before, after=changed_after)
    _recompute_and_audit(years, reason=f"{day.isoformat()}: {source}")
    return override


def delete_override(override: CalendarOverride, *, reason: str = "") -> None:
    before = _override_state(override)
    db.session.delete(override)
    db.session.flush()
    override.log("calendar.override_deleted", before=before, reason=reason or None)
    _recompute_and_audit({override.day.year}, reason=f"{override.day.isoformat()} deleted")
