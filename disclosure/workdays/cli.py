"""`disclosure deadline …` and `disclosure calendar …` (rules-china §9). Commands commit explicitly."""

from __future__ import annotations

import functools

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale

from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.workdays import calendar as cal
from disclosure.workdays import operations as ops
from disclosure.workdays import parsing
from disclosure.workdays.models import CalendarNotice, CalendarOverride

calendar = AppGroup("calendar", help="Show and maintain the working-day calendar.")


def init_app(app: Flask) -> None:
    app.cli.add_command(calendar)
    app.cli.add_command(deadline)


def _default_locale(fn):
    """Messages in the deployment's default language (there is no request to choose one from)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            return fn(*args, **kwargs)

    return wrapper


def _fail(exc) -> None:
    db.session.rollback()
    raise click.ClickException(str(getattr(exc, "message", exc)))


class _DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        try:
            return parsing.parse_date(value)
        except parsing.InputError as exc:
            self.fail(str(exc.message), param, ctx)


class _RangeType(click.ParamType):
    name = "START:END"

    def convert(self, value, param, ctx):
        try:
            return parsing.parse_range(value)
        except parsing.InputError as exc:
            self.fail(str(exc.message), param, ctx)


DATE, RANGE = _DateType(), _RangeType()


def _flag(provisional: bool) -> str:
    return " provisional" if provisional else ""


@click.command("deadline")
@click.option("--received", type=DATE, required=True, help="The day the application was received.")
@click.option("--days", type=click.IntRange(0, 400), default=20, show_default=True, help="Working days.")
@click.option(
    "--extension",
    type=click.IntRange(0, 400),
    default=0,
    show_default=True,
    help="Working days added after the original due date.",
)
@click.option(
    "--pause",
    "pauses",
    type=RANGE,
    multiple=True,
    help="Days START to END (both included) that do not count; repeatable.",
)
@with_appcontext
@_default_locale
def deadline(received, days, extension, pauses):
    """Compute a deadline; the last line is the due date (ISO), with ' provisional' when it depends on a
    provisional calendar."""
    try:
        result = cal.calculate(received, days, extension, pauses)
    except DomainError as exc:
        _fail(exc)
    click.echo(
        f"received {received.isoformat()}, {days} working days"
        + "".join(f", pause {a.isoformat()}:{b.isoformat()}" for a, b in pauses)
    )
    if extension:
        click.echo(
            f"original due {result.original.due.isoformat()}{_flag(result.original.provisional)}, "
            f"extended by {extension} working days"
        )
    if result.final.provisional:
        click.echo("warning: depends on a provisional calendar (no official holiday notice for some days)")
    click.echo(f"{result.final.due.isoformat()}{_flag(result.final.provisional)}")


@calendar.command("show")
@click.argument("year", type=click.IntRange(cal.FIRST_YEAR, cal.LAST_YEAR))
@_default_locale
def calendar_show(year):
    """List a year's holidays and make-up working days with their source."""
    status = cal.year_status(year)
    notice = db.session.execute(db.select(CalendarNotice).where(CalendarNotice.year == year)).scalar_one_or_none()
    click.echo(
        f"{year}: {status.kind}"
        + ("" if status.official else " (PROVISIONAL: enter the year's notice)")
        + (f" — {notice.reference} {notice.title}" if notice else "")
    )
    for d, info in cal.year_days(year):
        kind = "work" if info.is_working else "holiday"
        flag = " provisional" if info.provisional else ""
        click.echo(f"{d.isoformat()}\t{d.strftime('%a')}\t{kind}\t{info.source.kind}\t{info.source.detail}{flag}")


@calendar.command("set")
@click.argument("day", type=DATE)
@click.argument("status", type=click.Choice(["work", "holiday"]))
@click.option("--notice", "source", required=True, help="The notice this day comes from.")
@click.option("--note", default="", help="For example the holiday's name.")
@_default_locale
def calendar_set(day, status, source, note):
    """Fix DAY as a working day or a holiday (wins over every other source)."""
    try:
        ops.set_override(day, is_working=status == "work", source=source, note=note)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"{day.isoformat()} {status} ({source})")


@calendar.command("unset")
@click.argument("day", type=DATE)
@click.option("--reason", default="")
@_default_locale
def calendar_unset(day, reason):
    """Remove the entry fixed for DAY."""
    override = db.session.execute(db.select(CalendarOverride).where(CalendarOverride.day == day)).scalar_one_or_none()
    if override is None:
        raise click.ClickException(f"no entry for {day.isoformat()}")
    ops.delete_override(override, reason=reason)
    db.session.commit()
    click.echo(f"{day.isoformat()} removed")


@calendar.command("notice")
@click.argument("year", type=click.IntRange(cal.FIRST_YEAR, cal.LAST_YEAR))
@click.option("--title", required=True)
@click.option("--reference", required=True, help="Document number, e.g. 国办发明电〔2026〕X号.")
@click.option("--issued", type=DATE, default=None)
@click.option(
    "--holiday",
    "holidays",
    type=RANGE,
    multiple=True,
    help="Days off START:END; repeatable. Without any, the days already set for the year are used.",
)
@click.option("--workday", "workdays", type=DATE, multiple=True, help="A make-up working day; repeatable.")
@click.option("--accept-differences", is_flag=True, help="Accept a notice that omits a statutory holiday.")
@_default_locale
def calendar_notice(year, title, reference, issued, holidays, workdays, accept_differences):
    """Record YEAR's holiday notice: the year becomes official and open deadlines are recomputed."""
    adopt = not holidays and not workdays
    try:
        notice = ops.record_notice(
            year,
            reference=reference,
            title=title,
            issued_on=issued,
            holidays=None if adopt else holidays,
            workdays=None if adopt else workdays,
            accept_differences=accept_differences,
        )
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    off = sum(1 for ov in notice.overrides if not ov.is_working)
    click.echo(f"{year}: official ({reference}), {off} days off, {len(notice.overrides) - off} make-up working days")


@calendar.command("delete-notice")
@click.argument("year", type=click.IntRange(cal.FIRST_YEAR, cal.LAST_YEAR))
@click.option("--reason", default="")
@_default_locale
def calendar_delete_notice(year, reason):
    """Withdraw YEAR's notice (the year becomes provisional again unless the library covers it)."""
    notice = db.session.execute(db.select(CalendarNotice).where(CalendarNotice.year == year)).scalar_one_or_none()
    if notice is None:
        raise click.ClickException(f"no notice recorded for {year}")
    ops.delete_notice(notice, reason=reason)
    db.session.commit()
    click.echo(f"{year}: notice deleted")
