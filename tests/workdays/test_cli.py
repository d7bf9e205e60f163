"""`disclosure deadline` and `disclosure calendar …` through Flask's CLI runner."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.core.audit import AuditEvent
from disclosure.extensions import db
from disclosure.workdays import calendar

D = dt.date.fromisoformat


def _last(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "last"),
    [
        (["--received", "2026-02-10"], "2026-03-16"),
        (["--received", "2026-02-10", "--extension", "20"], "2026-04-14"),
        (["--received", "2026-09-28"], "2026-10-30"),
        (["--received", "2026-09-28", "--days", "20", "--extension", "20"], "2026-11-27"),
        (["--received", "2026-02-10", "--days", "7"], "2026-02-26"),
        (["--received", "2026-02-10", "--days", "15"], "2026-03-09"),
        (["--received", "2026-02-10", "--pause", "2026-03-02:2026-03-06"], "2026-03-23"),
        (
            ["--received", "2026-02-10", "--pause", "2026-03-02:2026-03-04", "--pause", "2026-03-05:2026-03-06"],
            "2026-03-23",
        ),
        (["--received", "2026-02-10", "--pause", "2026-03-06"], "2026-03-17"),  # a one-day pause
        (["--received", "2026-12-10"], "2027-01-08 provisional"),
        (["--received", "2026-11-10", "--extension", "20"], "2027-01-06 provisional"),
    ],
)
def test_deadline_command(runner, args, last):
    assert _last(runner.invoke(args=["deadline", *args])) == last


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--received", "2026-02-30"],
        ["--received", "10/02/2026"],
        ["--received", "2101-01-01"],
        ["--received", "2026-02-10", "--days", "-1"],
        ["--received", "2026-02-10", "--days", "x"],
        ["--received", "2026-02-10", "--pause", "2026-03-06:2026-03-02"],
        ["--received", "2026-02-10", "--pause", "soon"],
        ["--received", "2100-12-20"],
    ],
)
def test_deadline_command_refuses_bad_input(runner, args):
    result = runner.invoke(args=["deadline", *args])
    assert result.exit_code != 0
    assert "Error" in result.output
    assert "Traceback" not in result.output


def test_calendar_commands(runner, app_ctx):
    out = runner.invoke(args=["calendar", "show", "2026"])
    assert out.exit_code == 0 and "2026-02-14\tSat\twork\tchinesecalendar" in out.output
    out = runner.invoke(args=["calendar", "show", "2027"])
    assert "PROVISIONAL" in out.output
    assert "2027-02-10\tWed\tholiday\tprovisional\t春节（补休） provisional" in out.output

    out = runner.invoke(args=["calendar", "set", "2027-02-20", "work", "--notice", "国办发明电〔2026〕9号"])
    assert out.exit_code == 0, out.output
    assert calendar.is_working_day(D("2027-02-20"))
    assert runner.invoke(args=["calendar", "set", "2027-02-31", "work", "--notice", "x"]).exit_code != 0
    assert runner.invoke(args=["calendar", "set", "2027-02-21", "maybe", "--notice", "x"]).exit_code != 0

    # marking 2027 official with only a make-up day entered fails: a notice has holidays
    out = runner.invoke(args=["calendar", "notice", "2027", "--title", "通知", "--reference", "国办发明电〔2026〕9号"])
    assert out.exit_code != 0 and "Error" in out.output
    # ... and all the statutory ones
    out = runner.invoke(
        args=[
            "calendar",
            "notice",
            "2027",
            "--title",
            "通知",
            "--reference",
            "国办发明电〔2026〕9号",
            "--holiday",
            "2027-01-01",
        ]
    )
    assert out.exit_code != 0 and "2027-02-05" in out.output
    out = runner.invoke(
        args=[
            "calendar",
            "notice",
            "2027",
            "--title",
            "国务院办公厅关于2027年部分节假日安排的通知",
            "--reference",
            "国办发明电〔2026〕9号",
            "--issued",
            "2026-11-05",
            "--holiday",
            "2027-01-01",
            "--holiday",
            "2027-02-05:2027-02-12",
            "--holiday",
            "2027-04-05",
            "--holiday",
            "2027-05-01:2027-05-05",
            "--holiday",
            "2027-06-09",
            "--holiday",
            "2027-09-15",
            "--holiday",
            "2027-10-01:2027-10-07",
            "--workday",
            "2027-02-20",
        ]
    )
    assert out.exit_code == 0, out.output
    assert _last(runner.invoke(args=["deadline", "--received", "2026-12-10"])) == "2027-01-08"
    assert "PROVISIONAL" not in runner.invoke(args=["calendar", "show", "2027"]).output

    assert runner.invoke(args=["calendar", "unset", "2027-02-20"]).exit_code == 0
    assert not calendar.is_working_day(D("2027-02-20"))
    assert runner.invoke(args=["calendar", "unset", "2027-02-20"]).exit_code != 0
    assert runner.invoke(args=["calendar", "delete-notice", "2027"]).exit_code == 0
    assert _last(runner.invoke(args=["deadline", "--received", "2026-12-10"])) == "2027-01-08 provisional"
    actions = set(db.session.execute(db.select(AuditEvent.action)).scalars())
    assert {
        "calendar.override_created",
        "calendar.notice_recorded",
        "calendar.override_deleted",
        "calendar.notice_deleted",
        "calendar.deadlines_recomputed",
    } <= actions
