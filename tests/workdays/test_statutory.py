"""The provisional calendar from 《全国年节及纪念日放假办法》 (2024 revision; rules-china §9.1)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from lunar_python import Lunar

from disclosure.workdays import statutory

D = dt.date.fromisoformat


def _solar(lunar) -> dt.date:
    s = lunar.getSolar()
    return dt.date(s.getYear(), s.getMonth(), s.getDay())


def test_2027_holidays_from_the_lunar_calendar():
    days = statutory.provisional_holidays(2027)
    new_year = _solar(Lunar.fromYmd(2027, 1, 1))
    assert new_year == D("2027-02-06")  # a Saturday
    eve = new_year - dt.timedelta(days=1)
    # 春节: New Year's Eve and days 1–3 = 2027-02-05 (Fri) to 02-08 (Mon) ...
    for i in range(4):
        assert days[eve + dt.timedelta(days=i)] == "春节"
    # ... and Art. 6: the Saturday and Sunday among them are compensated on the next weekdays, 02-09 and 02-10
    assert days[D("2027-02-09")] == days[D("2027-02-10")] == "春节" + statutory.COMPENSATION_SUFFIX
    assert D("2027-02-11") not in days
    assert days[D("2027-01-01")] == "元旦"
    assert days[D("2027-04-05")] == "清明节"  # the Qingming solar term
    assert _solar(Lunar.fromYmd(2027, 5, 5)) == D("2027-06-09") and days[D("2027-06-09")] == "端午节"
    assert _solar(Lunar.fromYmd(2027, 8, 15)) == D("2027-09-15") and days[D("2027-09-15")] == "中秋节"
    assert [days[D(f"2027-05-0{i}")] for i in (1, 2)] == ["劳动节", "劳动节"]  # Sat, Sun → 5/3, 5/4 off
    assert D("2027-05-03") in days and D("2027-05-04") in days
    assert all(days[D(f"2027-10-0{i}")] == "国庆节" for i in (1, 2, 3))
    assert D("2027-10-04") in days and D("2027-10-05") in days
    statutory_only = [d for d, n in days.items() if not n.endswith(statutory.COMPENSATION_SUFFIX)]
    assert len(statutory_only) == 13  # 13 nationwide holidays since 2025


def test_statutory_days_are_holidays_in_the_official_2025_and_2026_schedules():
    for year in (2025, 2026):
        for d, name in statutory.provisional_holidays(year).items():
            if not name.endswith(statutory.COMPENSATION_SUFFIX):
                assert chinese_calendar.is_holiday(d), (d, name)


def test_earlier_rule_sets_match_the_library():
    # 2014–2024: 春节 days 1–3; 2008–2013: New Year's Eve and days 1–2 (the library's data agree)
    for year in (2012, 2019, 2024):
        for d, name in statutory.provisional_holidays(year).items():
            if not name.endswith(statutory.COMPENSATION_SUFFIX):
                assert chinese_calendar.is_holiday(d), (d, name)


def test_rules_are_configurable_data():
    custom = [
        {
            "from_year": 2027,
            "source": "test",
            "compensate_weekends": False,
            "holidays": [{"key": "x", "name": "测试节", "kind": "solar", "month": 3, "day": 1, "length": 2}],
        }
    ]
    rules = statutory.freeze_rules(custom)
    days = statutory.provisional_holidays(2027, rules)
    assert days == {D("2027-03-01"): "测试节", D("2027-03-02"): "测试节"}


def test_every_year_computes():
    for year in range(1990, 2101):
        assert statutory.provisional_holidays(year)
