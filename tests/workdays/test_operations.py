"""Notices and overrides: validated, audited, official from then on, open deadlines recomputed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from disclosure.core.audit import AuditEvent
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.workdays import calendar
from disclosure.workdays import operations as ops
from disclosure.workdays.models import CalendarNotice, CalendarOverride, CalendarState

D = dt.date.fromisoformat

# A plausible 2027 arrangement (the real notice is not out yet): the statutory days plus bridges and make-up days.
HOLIDAYS_2027 = [
    (D("2027-01-01"), D("2027-01-03")),
    (D("2027-02-05"), D("2027-02-13")),
    (D("2027-04-03"), D("2027-04-05")),
    (D("2027-05-01"), D("2027-05-05")),
    (D("2027-06-09"), D("2027-06-09")),
    (D("2027-09-15"), D("2027-09-15")),
    (D("2027-10-01"), D("2027-10-07")),
]
WORKDAYS_2027 = [D("2027-02-20"), D("2027-05-08"), D("2027-09-26"), D("2027-10-09")]


def _record(**kw):
    data = dict(
        reference="国办发明电〔2026〕9号",
        title="国务院办公厅关于2027年部分节假日安排的通知",
        issued_on=D("2026-11-05"),
        holidays=HOLIDAYS_2027,
        workdays=WORKDAYS_2027,
    )
    data.update(kw)
    return ops.record_notice(2027, **data)


def _events(action):
    return db.session.execute(db.select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


def test_entering_the_2027_notice_makes_deadlines_official_and_recomputes(app_ctx, sys_admin, recompute_calls):
    assert calendar.add_working_days(D("2026-12-10"), 20) == calendar.Deadline(D("2027-01-08"), True)
    notice = _record(actor=sys_admin)
    # the callbacks ran inside the transaction, with the new calendar already in force
    assert [c[0] for c in recompute_calls] == ["with_years", "without_args"]
    assert recompute_calls[0][1] == frozenset({2027})
    assert recompute_calls[0][2] == calendar.Deadline(D("2027-01-08"), False)
    db.session.commit()
    assert calendar.year_status(2027) == calendar.YearStatus(2027, True, "notice")
    assert calendar.add_working_days(D("2026-12-10"), 20) == calendar.Deadline(D("2027-01-08"), False)
    # 2027-02-11 (Thu) is a bridge day of the notice, 2027-02-20 (Sat) a make-up working day
    assert not calendar.is_working_day(D("2027-02-11"))
    info = calendar.day_info(D("2027-02-20"))
    assert info.is_working and not info.provisional and info.source == calendar.Source("override", notice.reference)
    # an ordinary 2027 weekday without an entry is official too (the notice lists every change)
    assert calendar.day_info(D("2027-03-02")) == calendar.DayInfo(
        True, False, calendar.Source("notice", notice.reference)
    )
    assert calendar.add_working_days(D("2027-01-29"), 10).due == D("2027-02-20")  # 2/1–2/4, 2/15–2/19, Sat 2/20
    assert notice.entered_by_id == sys_admin.id
    (event,) = _events("calendar.notice_recorded")
    assert event.after["reference"] == notice.reference and "2027-02-20" in event.after["workdays"]
    (recomputed,) = _events("calendar.deadlines_recomputed")
    assert recomputed.after["years"] == [2027]
    assert 3 in recomputed.after["callbacks"].values()


def test_correcting_and_deleting_a_notice(app_ctx, recompute_calls):
    _record()
    db.session.commit()
    notice = _record(
        reference="国办发明电〔2026〕10号",
        holidays=HOLIDAYS_2027[:1] + HOLIDAYS_2027[2:] + [(D("2027-02-05"), D("2027-02-11"))],
        workdays=WORKDAYS_2027,
    )
    db.session.commit()
    assert calendar.is_working_day(D("2027-02-12"))  # no longer in the corrected notice
    assert db.session.execute(db.select(db.func.count(CalendarOverride.id))).scalar() == len(notice.overrides)
    (updated,) = _events("calendar.notice_updated")
    assert updated.before["reference"] == "国办发明电〔2026〕9号"
    ops.delete_notice(notice, reason="entered twice")
    db.session.commit()
    assert not calendar.year_status(2027).official
    assert calendar.add_working_days(D("2026-12-10"), 20).provisional
    assert db.session.execute(db.select(db.func.count(CalendarOverride.id))).scalar() == 0
    assert len([c for c in recompute_calls if c[0] == "with_years"]) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reference": " "}, "document number"),
        ({"holidays": []}, "at least one holiday"),
        ({"workdays": [D("2027-02-10")]}, "both as a holiday and as a working day"),
        ({"workdays": [D("2027-02-18")]}, "weekday"),
        ({"holidays": [(D("2027-01-01"), D("2027-01-03")), (D("2027-02-05"), D("2027-02-13"))]}, "2027-04-05"),
        ({"holidays": [*HOLIDAYS_2027, (D("2028-03-01"), D("2028-03-01"))]}, "too far"),
    ],
)
def test_a_bad_notice_changes_nothing(app_ctx, recompute_calls, change, message):
    with pytest.raises(DomainError) as err:
        _record(**change)
    assert message in str(err.value.message)
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count(CalendarNotice.id))).scalar() == 0
    assert not recompute_calls
    assert not calendar.year_status(2027).official


def test_a_notice_may_differ_from_the_statutory_days_when_confirmed(app_ctx):
    _record(holidays=[(D("2027-01-01"), D("2027-01-01"))], workdays=[], accept_differences=True)
    db.session.commit()
    assert calendar.year_status(2027).official
    assert calendar.is_working_day(D("2027-04-05"))


def test_overrides_win_and_are_audited(app_ctx, sys_admin, recompute_calls):
    d = D("2026-03-02")  # an ordinary Monday
    ov = ops.set_override(d, is_working=False, source="某省人民政府通知", note="local holiday", actor=sys_admin)
    db.session.commit()
    assert not calendar.is_working_day(d)
    assert calendar.add_working_days(D("2026-02-10"), 20).due == D("2026-03-17")
    assert calendar.day_info(d).source == calendar.Source("override", "某省人民政府通知")
    ops.set_override(d, is_working=False, source="某省人民政府通知", note="local holiday", override=ov)
    assert not _events("calendar.override_updated")  # nothing changed, nothing recorded
    ops.set_override(D("2026-03-03"), is_working=False, source="更正", override=ov)
    db.session.commit()
    assert calendar.is_working_day(d) and not calendar.is_working_day(D("2026-03-03"))
    (upd,) = _events("calendar.override_updated")
    assert upd.before == {"day": "2026-03-02", "source": "某省人民政府通知"} | {"note": "local holiday"}
    ops.delete_override(ov, reason="withdrawn")
    db.session.commit()
    assert calendar.is_working_day(D("2026-03-03"))
    assert [e.action for e in _events("calendar.override_deleted")] == ["calendar.override_deleted"]
    assert len(_events("calendar.deadlines_recomputed")) == 3
    with pytest.raises(DomainError):
        ops.set_override(d, is_working=True, source="  ")


def test_one_off_overrides_in_a_provisional_year_are_not_provisional(app_ctx):
    ops.set_override(D("2027-02-20"), is_working=True, source="预告")
    db.session.commit()
    assert calendar.day_info(D("2027-02-20")) == calendar.DayInfo(True, False, calendar.Source("override", "预告"))
    assert calendar.day_info(D("2027-02-22")).provisional


def test_adopting_days_entered_one_by_one(app_ctx):
    for start, end in HOLIDAYS_2027:
        d = start
        while d <= end:
            ops.set_override(d, is_working=False, source="国办发明电〔2026〕9号")
            d += dt.timedelta(days=1)
    notice = _record(holidays=None, workdays=None)
    db.session.commit()
    assert len(notice.overrides) == sum((b - a).days + 1 for a, b in HOLIDAYS_2027)


def test_a_rolled_back_change_does_not_stay_cached(app_ctx):
    ops.set_override(D("2026-03-02"), is_working=False, source="x")
    assert not calendar.is_working_day(D("2026-03-02"))  # visible inside the transaction
    db.session.rollback()
    assert calendar.is_working_day(D("2026-03-02"))


def test_other_processes_notice_a_change_by_its_token(app, app_ctx):
    """Another process changed the data: our cached table is re-validated after the check interval."""
    app.config["CALENDAR_CACHE_CHECK_SECONDS"] = 3600
    try:
        assert calendar.is_working_day(D("2026-03-02"))
        db.session.add(CalendarOverride(day=D("2026-03-02"), is_working=False, source="elsewhere", note=""))
        db.session.add(CalendarState(id=1, token="from-another-process"))
        db.session.commit()
        assert calendar.is_working_day(D("2026-03-02"))  # still cached: the interval has not passed
        app.extensions["workdays_calendar"].checked_at = float("-inf")  # ... now it has
        assert not calendar.is_working_day(D("2026-03-02"))
        db.session.execute(update(CalendarState).values(token="again"))
        db.session.execute(db.delete(CalendarOverride))
        db.session.commit()
        app.extensions["workdays_calendar"].checked_at = float("-inf")
        assert calendar.is_working_day(D("2026-03-02"))
    finally:
        del app.config["CALENDAR_CACHE_CHECK_SECONDS"]


def test_uncommitted_changes_stay_private_to_their_transaction(app, app_ctx):
    assert calendar.is_working_day(D("2026-03-02"))  # the shared table is built
    ops.set_override(D("2026-03-02"), is_working=False, source="x")
    assert not calendar.is_working_day(D("2026-03-02"))
    with app.app_context():  # another request meanwhile (its own session) still sees the committed calendar
        assert calendar.is_working_day(D("2026-03-02"))
    db.session.commit()
    with app.app_context():
        assert not calendar.is_working_day(D("2026-03-02"))


def test_a_closed_session_forgets_its_uncommitted_change(app, app_ctx):
    ops.set_override(D("2026-03-02"), is_working=False, source="x")
    assert app.extensions["workdays_calendar"].changing == 1
    db.session.remove()  # closed without commit or rollback, as at the end of an app context
    assert app.extensions["workdays_calendar"].changing == 0
    assert calendar.is_working_day(D("2026-03-02"))
