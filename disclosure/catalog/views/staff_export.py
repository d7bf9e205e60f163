"""Staff export for archives and libraries (条例 Art. 25): the agency's entries published in a period as a ZIP of
their files with an XLSX of their metadata. Staff of the agency only (its own catalogue, never another's)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import InputRequired

from disclosure.catalog import export
from disclosure.catalog.views.common import READERS, own_agency, staff_bp
from disclosure.web.access import staff_required
from disclosure.web.downloads import send_download

MAX_DAYS = 366 * 5


class ExportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that changes nothing

    start = DateField(_l("Published from"), validators=[InputRequired(_l("Enter the first day of the period."))])
    end = DateField(_l("Published until"), validators=[InputRequired(_l("Enter the last day of the period."))])


@staff_bp.route("/export")
@staff_required(*READERS)
def archive_export():
    agency = own_agency()
    form = ExportForm(request.args)
    if not request.args:
        return render_template("catalog/public/staff_export.html", form=form, agency=agency)
    if form.validate():
        if form.end.data < form.start.data:
            form.end.errors = [*form.end.errors, _l("The period cannot end before it starts.")]
        elif (form.end.data - form.start.data).days > MAX_DAYS:
            form.end.errors = [*form.end.errors, _l("Choose a period of at most five years.")]
        else:
            try:
                data, _count = export.build_archive(agency, export.Period(form.start.data, form.end.data))
            except ValueError:
                form.end.errors = [
                    *form.end.errors,
                    _l(
                        "More than %(n)d entries were published in this period: choose a shorter one.",
                        n=export.MAX_ENTRIES,
                    ),
                ]
            else:
                stem = f"{agency.slug}-{form.start.data.isoformat()}-{form.end.data.isoformat()}"
                return send_download(
                    data,
                    mimetype="application/zip",
                    name=f"{agency.short_name}政府信息-{form.start.data.isoformat()}至{form.end.data.isoformat()}.zip",
                    ascii_name=f"catalog-{stem}.zip",
                )
    return render_template("catalog/public/staff_export.html", form=form, agency=agency), 422
