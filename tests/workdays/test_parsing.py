"""Dates, ranges and lists typed by people."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.workdays import parsing

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-02:2026-03-06",
        "2026-03-02 ~ 2026-03-06",
        "2026-03-02至2026-03-06",
        "2026-03-02 to 2026-03-06",
        "2026-03-02～2026-03-06",
        " 2026-03-02—2026-03-06 ",
    ],
)
def test_range_separators(text):
    assert parsing.parse_range(text) == (D("2026-03-02"), D("2026-03-06"))


def test_single_day_lists_and_lines():
    assert parsing.parse_range("2026-03-02") == (D("2026-03-02"), D("2026-03-02"))
    assert parsing.parse_ranges("2026-01-01~2026-01-03\n\n2026-04-05；2026-05-01:2026-05-05") == [
        (D("2026-01-01"), D("2026-01-03")),
        (D("2026-04-05"), D("2026-04-05")),
        (D("2026-05-01"), D("2026-05-05")),
    ]
    assert parsing.parse_dates("2026-02-14, 2026-02-28\n2026-05-09、2026-09-20") == [
        D("2026-02-14"),
        D("2026-02-28"),
        D("2026-05-09"),
        D("2026-09-20"),
    ]
    assert parsing.parse_ranges("  \n") == [] and parsing.parse_dates("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026/03/02", "is not a date"),
        ("20260302", "is not a date"),
        ("2026-02-29", "is not a date"),
        ("1989-12-31", "outside the calendar"),
        ("2026-03-06:2026-03-02", "ends before it starts"),
        ("2026-03-02:2026-03-04:2026-03-06", "is not a range"),
        ("next week", "is not a date"),
    ],
)
def test_mistakes_get_a_clear_message(text, message):
    with pytest.raises(parsing.InputError) as err:
        parsing.parse_range(text)
    assert message in str(err.value)
