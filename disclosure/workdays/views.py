"""The administrators' calendar (per year, notices, overrides) and the staff deadline calculator."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.accounts.roles import Role
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.web.access import staff_required
from disclosure.workdays import calendar
from disclosure.workdays import operations as ops
from disclosure.workdays.forms import CalculatorForm, DeleteForm, NoticeForm, OverrideForm
from disclosure.workdays.models import CalendarNotice, CalendarOverride

bp = Blueprint("workdays", __name__)


def _form_error(form, exc: DomainError, default_field: str) -> None:
    db.session.rollback()
    getattr(form, exc.field or default_field, getattr(form, default_field)).errors.append(exc.message)


def _notice_for(year: int) -> CalendarNotice | None:
    return db.session.execute(db.select(CalendarNotice).where(CalendarNotice.year == year)).scalar_one_or_none()


def _checked_year(year: int) -> int:
    if not calendar.FIRST_YEAR <= year <= calendar.LAST_YEAR:
        abort(404)
    return year


@bp.route("/admin/calendar/")
@bp.route("/admin/calendar/<int:year>")
@staff_required(Role.SYS_ADMIN)
def year(year: int | None = None):
    year = _checked_year(today_china().year if year is None else year)
    notice = _notice_for(year)
    overrides = {
        ov.day: ov
        for ov in db.session.execute(
            db.select(CalendarOverride).where(CalendarOverride.day.between(*ops.notice_window(year)))
        ).scalars()
    }
    return render_template(
        "workdays/year.html",
        year=year,
        status=calendar.year_status(year),
        notice=notice,
        days=calendar.year_days(year),
        overrides=overrides,
        outside=[ov for d, ov in sorted(overrides.items()) if d.year != year],
        events=notice.audit_events() if notice else [],
        delete_form=DeleteForm(),
    )


@bp.route("/admin/calendar/<int:year>/notice", methods=["GET", "POST"])
@staff_required(Role.SYS_ADMIN)
def notice(year: int):
    year = _checked_year(year)
    existing = _notice_for(year)
    form = NoticeForm(obj=existing)
    if request.method == "GET" and existing:
        form.issued_on.data = existing.issued_on.isoformat() if existing.issued_on else ""
        form.holidays.data = "\n".join(_ranges([ov.day for ov in existing.overrides if not ov.is_working]))
        form.workdays.data = "\n".join(ov.day.isoformat() for ov in existing.overrides if ov.is_working)
    if form.validate_on_submit():
        try:
            ops.record_notice(
                year,
                reference=form.reference.data,
                title=form.title.data,
                issued_on=form.issued_on.parsed,
                holidays=form.holidays.parsed,
                workdays=form.workdays.parsed,
                actor=current_user,
                accept_differences=form.accept_differences.data,
            )
        except DomainError as exc:
            _form_error(form, exc, "holidays")
        else:
            flash(_("The notice for %(year)s has been recorded; open deadlines were recomputed.", year=year), "success")
            return redirect(url_for(".year", year=year))
    return render_template(
        "workdays/notice.html",
        form=form,
        year=year,
        existing=existing,
        suggested=_ranges(sorted(calendar.statutory_holidays(year))),
    )


def _ranges(days) -> list[str]:
    """Consecutive days written as START~END, one range per entry."""
    out: list[list] = []
    for d in sorted(days):
        if out and (d - out[-1][1]).days == 1:
            out[-1][1] = d
        else:
            out.append([d, d])
    return [a.isoformat() if a == b else f"{a.isoformat()}~{b.isoformat()}" for a, b in out]


@bp.route("/admin/calendar/<int:year>/notice/delete", methods=["POST"])
@staff_required(Role.SYS_ADMIN)
def notice_delete(year: int):
    existing = _notice_for(_checked_year(year))
    if existing is None:
        abort(404)
    form = DeleteForm()
    if form.validate_on_submit():
        ops.delete_notice(existing, reason=form.reason.data or "")
        flash(_("The notice for %(year)s has been deleted.", year=year), "success")
    return redirect(url_for(".year", year=year))


@bp.route("/admin/calendar/days/new", methods=["GET", "POST"])
@bp.route("/admin/calendar/days/<int:override_id>", methods=["GET", "POST"])
@staff_required(Role.SYS_ADMIN)
def override_edit(override_id: int | None = None):
    override = db.session.get(CalendarOverride, override_id) if override_id else None
    if override_id and override is None:
        abort(404)
    form = OverrideForm(obj=override)
    if request.method == "GET":
        if override:
            form.day.data = override.day.isoformat()
            form.status.data = "work" if override.is_working else "holiday"
        elif request.args.get("day"):
            form.day.data = request.args["day"][:10]
    if form.validate_on_submit():
        try:
            saved = ops.set_override(
                form.day.parsed,
                is_working=form.status.data == "work",
                source=form.source.data,
                note=form.note.data or "",
                actor=current_user,
                override=override,
            )
        except DomainError as exc:
            _form_error(form, exc, "day")
        else:
            flash(_("%(date)s has been saved; open deadlines were recomputed.", date=saved.day.isoformat()), "success")
            return redirect(url_for(".year", year=saved.day.year))
    return render_template(
        "workdays/override.html",
        form=form,
        override=override,
        events=override.audit_events() if override else [],
        delete_form=DeleteForm(),
    )


@bp.route("/admin/calendar/days/<int:override_id>/delete", methods=["POST"])
@staff_required(Role.SYS_ADMIN)
def override_delete(override_id: int):
    override = db.session.get(CalendarOverride, override_id)
    if override is None:
        abort(404)
    year, form = override.day.year, DeleteForm()
    if form.validate_on_submit():
        ops.delete_override(override, reason=form.reason.data or "")
        flash(_("The entry has been deleted; open deadlines were recomputed."), "success")
    return redirect(url_for(".year", year=year))


@bp.route("/staff/deadline")
@staff_required()
def calculator():
    form = CalculatorForm(formdata=request.args or None)
    result = steps = error = None
    if request.args and form.validate():
        try:
            result = calendar.calculate(
                form.received.parsed, form.days.data, form.extension.data or 0, form.pauses.parsed
            )
            steps = list(calendar.timeline(result.received, result.final.due, form.pauses.parsed))
        except DomainError as exc:
            error = exc.message
    return render_template("workdays/calculator.html", form=form, result=result, steps=steps, error=error)
