"""Administration of the catalogue: an agency's settings (its administrator), and the deployment's 主题分类 and
体裁分类 (the system administrator)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.accounts.roles import Role
from disclosure.catalog.forms import ClassificationForm, ConfirmForm, SettingsForm
from disclosure.catalog.models import Genre, Theme
from disclosure.catalog.operations import settings as ops
from disclosure.catalog.operations.entries import settings_for
from disclosure.catalog.views.common import ADMINS, admin_bp, own_agency
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.web.access import staff_required
from disclosure.web.forms import choices, show_errors
from disclosure.web.params import parse_int


@admin_bp.route("/settings", methods=["GET", "POST"])
@staff_required(*ADMINS)
def settings():
    agency = own_agency()
    row = settings_for(agency.id)
    loose: list[str] = []
    if request.method == "GET":
        form = SettingsForm(
            formdata=None,
            data={
                "version": str(row.version),
                "index_format": row.index_format,
                **{name: str(getattr(row, name)) for name in ops.NUMBERS},
                "list_on_request_entries": row.list_on_request_entries,
            },
        )
    else:
        form = SettingsForm()
        if form.validate():
            data = {name: getattr(form, name).data for name in ops.SETTINGS_FIELDS}
            try:
                ops.save_settings(
                    agency, data, actor=current_user, expected_version=parse_int(form.version.data, min=0)
                )
            except DomainError as exc:
                db.session.rollback()
                loose = show_errors(form, exc)
            else:
                flash(_("The catalogue settings were saved."), "success")
                return redirect(url_for(".settings"))
    fmt = (form.index_format.data or "").strip()
    return render_template(
        "catalog/admin/settings.html",
        form=form,
        loose=loose,
        agency=agency,
        preview=ops.next_index_number(agency, fmt) if fmt else None,
        current_preview=ops.next_index_number(agency),
    ), (400 if request.method == "POST" else 200)


# --- Themes and genres -------------------------------------------------------------------------------------------

KINDS = {"theme": Theme, "genre": Genre}


def _add_form(kind: str, formdata=None) -> ClassificationForm:
    form = ClassificationForm(formdata=formdata, prefix="new")
    tops = [top for top, _subs in ops.themes_tree()] if kind == "theme" else []
    form.parent_id.choices = choices([("", _("— first level —")), *((str(t.id), t.name) for t in tops)])
    return form


def _row_form(obj, formdata=None) -> ClassificationForm:
    data = None if formdata else {"name": obj.name, "position": str(obj.position), "active": obj.active}
    form = ClassificationForm(formdata=formdata, prefix=f"row{obj.id}", data=data)
    form.parent_id.choices = choices([("", "")])
    return form


def _list_page(kind: str, *, add_form=None, row_forms=None, loose=None, status=200):
    row_forms = row_forms or {}
    if kind == "theme":
        rows = [(t, 0) for top, subs in ops.themes_tree() for t in (top, *subs)]
    else:
        rows = [(g, 0) for g in ops.genres()]
    rows = [(obj, ops.usage(kind, obj.id)) for obj, _n in rows]
    return render_template(
        "catalog/admin/classifications.html",
        kind=kind,
        rows=rows,
        add_form=add_form or _add_form(kind),
        row_forms={obj.id: row_forms.get(obj.id) or _row_form(obj) for obj, _n in rows},
        delete_form=ConfirmForm(formdata=None),
        loose=loose or [],
    ), status


def _add(kind: str):
    form = _add_form(kind, request.form)
    data = {"name": form.name.data, "position": form.position.data, "parent_id": form.parent_id.data}
    try:
        ops.add_classification(kind, data, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        return _list_page(kind, add_form=form, loose=show_errors(form, exc), status=400)
    flash(_("Added."), "success")
    return redirect(url_for(f".{kind}s"))


def _change(kind: str, obj_id: int):
    obj = db.session.get(KINDS[kind], obj_id)
    if obj is None:
        abort(404)
    form = _row_form(obj, request.form)
    data = {"name": form.name.data, "position": form.position.data, "active": form.active.data}
    try:
        ops.change_classification(kind, obj.id, data, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        return _list_page(kind, row_forms={obj_id: form}, loose=show_errors(form, exc), status=400)
    flash(_("Saved."), "success")
    return redirect(url_for(f".{kind}s"))


def _delete(kind: str, obj_id: int):
    if db.session.get(KINDS[kind], obj_id) is None:
        abort(404)
    ConfirmForm()
    ops.delete_classification(kind, obj_id, actor=current_user)  # refused (flashed) while entries use it
    flash(_("Deleted."), "success")
    return redirect(url_for(f".{kind}s"))


@admin_bp.route("/themes", methods=["GET", "POST"])
@staff_required(Role.SYS_ADMIN)
def themes():
    return _add("theme") if request.method == "POST" else _list_page("theme")


@admin_bp.route("/themes/<int:obj_id>", methods=["POST"])
@staff_required(Role.SYS_ADMIN)
def change_theme(obj_id: int):
    return _change("theme", obj_id)


@admin_bp.route("/themes/<int:obj_id>/delete", methods=["POST"])
@staff_required(Role.SYS_ADMIN)
def delete_theme(obj_id: int):
    return _delete("theme", obj_id)


@admin_bp.route("/genres", methods=["GET", "POST"])
@staff_required(Role.SYS_ADMIN)
def genres():
    return _add("genre") if request.method == "POST" else _list_page("genre")


@admin_bp.route("/genres/<int:obj_id>", methods=["POST"])
@staff_required(Role.SYS_ADMIN)
def change_genre(obj_id: int):
    return _change("genre", obj_id)


@admin_bp.route("/genres/<int:obj_id>/delete", methods=["POST"])
@staff_required(Role.SYS_ADMIN)
def delete_genre(obj_id: int):
    return _delete("genre", obj_id)
