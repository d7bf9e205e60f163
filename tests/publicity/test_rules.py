"""Publicity rules: the 7-working-day deadline, penalty periods by severity and date, automatic removal, credit
repair, withdrawal with its reason, simplified-procedure penalties never public, licence states (rules §5.1, §5.4)."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.core.audit import events_for
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.publicity import operations
from disclosure.publicity.models import RecordStatus, Timeliness
from tests.factories import licensing_raw, penalty_raw, save


def test_due_date_is_seven_working_days_after_the_decision(pub):
    # 2026-09-25 (Friday) + 7 working days around the National Day holiday 10-01..10-07 with the make-up
    # working Saturday 10-10 (rules-china §9.2): 28, 29, 30 September, 8, 9, 10 (make-up), 12 October.
    rec = save(pub, penalty_raw(pub, CF_JDRQ="2026-09-25"))
    assert rec.due_date == dt.date(2026, 10, 12)
    assert rec.timeliness == Timeliness.LATE  # published today, long after
    fresh = save(pub, penalty_raw(pub, CF_WSH="罚〔2026〕99号"))
    assert fresh.timeliness == Timeliness.ON_TIME and fresh.status == RecordStatus.PUBLISHED


def test_pending_record_becomes_overdue_and_publishing_late_is_recorded(pub):
    decided = today_china() - dt.timedelta(days=30)
    rec = save(pub, penalty_raw(pub, CF_JDRQ=decided.isoformat()), publish=False)
    assert rec.status == RecordStatus.PENDING and rec.timeliness == Timeliness.OVERDUE
    waiting = save(pub, penalty_raw(pub, CF_WSH="罚〔2026〕7号"), publish=False)
    assert waiting.timeliness == Timeliness.WAITING
    assert operations.mark_overdue(waiting.due_date + dt.timedelta(days=1)) == 1
    assert waiting.timeliness == Timeliness.OVERDUE
    operations.publish_record(rec)
    assert rec.status == RecordStatus.PUBLISHED and rec.timeliness == Timeliness.LATE


def test_a_record_entered_on_an_earlier_day_is_judged_on_that_day(pub, en):
    """`entered_on` (the demo's past months): published that day, on time or late against its due date."""
    from disclosure.core.timeutil import today_china
    from disclosure.publicity.fields import Kind
    from disclosure.publicity.rules import load_rules
    from disclosure.publicity.validation import RecordValidator, matter_refs, organ_refs

    today = today_china()
    decided = today - dt.timedelta(days=60)
    v = RecordValidator(
        Kind.PENALTY, load_rules(), matter_refs(pub.agency.id, Kind.PENALTY), organs=organ_refs(pub.agency), today=today
    )

    def enter(number, days_after):
        result = v.validate(penalty_raw(pub, CF_WSH=number, CF_JDRQ=decided.isoformat()))
        on = decided + dt.timedelta(days=days_after)
        return operations.save_record(pub.agency, Kind.PENALTY, result, channel="form", entered_on=on)[0]

    on_time, late = enter("罚〔2026〕201号", 1), enter("罚〔2026〕202号", 30)
    assert (on_time.published_on, on_time.timeliness) == (decided + dt.timedelta(days=1), Timeliness.ON_TIME)
    assert (late.published_on, late.timeliness) == (decided + dt.timedelta(days=30), Timeliness.LATE)
    assert on_time.published_at.date() <= on_time.published_on + dt.timedelta(days=1)
    with pytest.raises(DomainError, match="between its decision date and today"):
        enter("罚〔2026〕203号", -1)


@pytest.mark.parametrize(
    ("decided", "severity", "min_until", "max_until"),
    [
        # 发改办财金〔2019〕527号: general 3 months / 1 year, serious 6 months / 3 years.
        ("2025-01-31", "一般", "2025-04-30", "2026-01-31"),
        ("2025-06-15", "严重", "2025-12-15", "2028-06-15"),
        # 《信用修复管理办法》 from 2026-04-01: serious 1 year / 3 years.
        ("2026-04-01", "严重", "2027-04-01", "2029-04-01"),
        ("2026-05-20", "一般", "2026-08-20", "2027-05-20"),
    ],
)
def test_penalty_periods_follow_the_rule_in_force_on_the_decision_date(pub, decided, severity, min_until, max_until):
    rec = save(pub, penalty_raw(pub, CF_JDRQ=decided, SEVERITY=severity))
    assert (rec.min_until.isoformat(), rec.max_until.isoformat()) == (min_until, max_until)


def test_penalty_past_its_maximum_is_removed_automatically(pub):
    rec = save(pub, penalty_raw(pub, CF_JDRQ=(today_china() - dt.timedelta(days=200)).isoformat()))
    assert rec.status == RecordStatus.PUBLISHED
    assert operations.expire_penalties(rec.max_until - dt.timedelta(days=1)) == 0
    assert operations.expire_penalties(rec.max_until) == 1
    assert rec.status == RecordStatus.EXPIRED
    old = save(pub, penalty_raw(pub, CF_WSH="罚〔2023〕5号", CF_JDRQ="2023-01-05"))
    assert old.status == RecordStatus.EXPIRED  # entered after its maximum: never shown


def test_credit_repair_only_after_the_minimum_with_its_basis(pub, en):
    rec = save(pub, penalty_raw(pub))
    with pytest.raises(DomainError) as exc:
        operations.repair_record(rec, basis="已履行行政处罚决定")
    assert str(exc.value.message).startswith("Credit repair is possible only after the minimum publicity period")
    old = save(
        pub, penalty_raw(pub, CF_WSH="罚〔2026〕50号", CF_JDRQ=(today_china() - dt.timedelta(days=120)).isoformat())
    )
    with pytest.raises(DomainError) as exc:
        operations.repair_record(old, basis="  ")
    assert str(exc.value.message) == "Give the basis of the credit repair."
    operations.repair_record(old, basis="当事人已履行处罚决定并提交信用承诺书")
    assert old.status == RecordStatus.REPAIRED and old.end_reason.startswith("当事人")
    assert [e.action for e in events_for("publicity_record", old.id)][-1] == "publicity.repair"


def test_withdrawal_within_three_working_days_with_reason(pub, en):
    rec = save(pub, penalty_raw(pub))
    with pytest.raises(DomainError) as exc:
        operations.withdraw_record(rec, withdrawal_kind="revoked", reason=" ", changed_on=today_china())
    assert str(exc.value.message) == "The reason for the withdrawal is required; it is published."
    changed_on = dt.date(2026, 9, 30)
    rec.decision_date = dt.date(2026, 9, 1)
    operations.withdraw_record(rec, withdrawal_kind="revoked", reason="经行政复议撤销", changed_on=changed_on)
    assert rec.status == RecordStatus.WITHDRAWN and rec.withdraw_due == dt.date(2026, 10, 10)
    event = events_for("publicity_record", rec.id)[-1]
    assert event.action == "publicity.withdraw" and event.reason == "经行政复议撤销"
    with pytest.raises(DomainError):
        operations.withdraw_record(rec, withdrawal_kind="revoked", reason="again", changed_on=changed_on)


def test_simplified_minor_and_government_only_are_never_public(pub, en):
    simplified = save(pub, penalty_raw(pub, SIMPLIFIED="是", CF_CFLB="罚款", CF_NR_FK="0.01"))
    assert (simplified.status, simplified.timeliness, simplified.severity) == (
        RecordStatus.WITHHELD,
        Timeliness.NOT_APPLICABLE,
        "minor",
    )
    warning = save(pub, penalty_raw(pub, CF_WSH="罚〔2026〕61号", CF_CFLB="警告", CF_NR_FK=None))
    assert warning.status == RecordStatus.WITHHELD
    with pytest.raises(DomainError):
        operations.publish_record(warning)
    pub.penalty_matter.scope = "government"
    db.session.flush()
    internal = save(pub, penalty_raw(pub, CF_WSH="罚〔2026〕62号"))
    assert internal.status == RecordStatus.WITHHELD


def test_licence_states(pub):
    lic = save(pub, licensing_raw(pub, XK_YXQZI=(today_china() + dt.timedelta(days=5)).isoformat()), "licensing")
    assert lic.status == RecordStatus.PUBLISHED and lic.licence_state == "1"
    assert operations.expire_licences(today_china()) == 0
    assert operations.expire_licences(today_china() + dt.timedelta(days=6)) == 1
    assert lic.licence_state == "2" and lic.status == RecordStatus.PUBLISHED  # stays public, showing its state
    other = save(pub, licensing_raw(pub, XK_WSH="许〔2026〕2号"), "licensing")
    operations.revoke_licence(other, reason="以欺骗手段取得许可，依法撤销")
    assert other.licence_state == "2"


def test_settings_change_the_rules(pub):
    """Periods and deadlines are data (rules §5 ⚠): an administrator's change applies to new records."""
    operations.update_setting("due_working_days", 10)
    operations.save_period(
        "general", dt.date(2026, 11, 1), published=True, min_months=6, max_months=24, basis="测试规则"
    )
    rec = save(pub, penalty_raw(pub))
    assert rec.max_until.year - rec.decision_date.year == 2
    from disclosure.workdays import add_working_days

    assert rec.due_date == add_working_days(rec.decision_date, 10).due


def test_daily_sweep_task(pub, app):
    from disclosure.publicity.tasks import daily_publicity_sweep

    rec = save(pub, penalty_raw(pub))
    rec.max_until = today_china() - dt.timedelta(days=1)
    db.session.commit()
    result = daily_publicity_sweep.call_local()
    assert result == {"expired_penalties": 1, "expired_licences": 0, "overdue": 0}
