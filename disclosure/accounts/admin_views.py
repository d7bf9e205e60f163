"""Administration: agencies and departments, staff users, the audit log and the outbox."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.accounts import operations as ops
from disclosure.accounts.admin_forms import AgencyForm, DepartmentForm, StaffForm
from disclosure.accounts.models import Agency, Department, User
from disclosure.accounts.roles import Role, UserKind
from disclosure.core import audit as audit_log  # `audit` is the audit-log page below
from disclosure.core.audit import AuditEvent
from disclosure.core.errors import DomainError
from disclosure.core.outbox import OutboxMessage, OutboxState, requeue
from disclosure.extensions import db
from disclosure.web.access import staff_object, staff_required
from disclosure.web.forms import choices
from disclosure.web.paging import paginate

bp = Blueprint("accounts_admin", __name__, url_prefix="/admin")

ADMINS = (Role.SYS_ADMIN, Role.AGENCY_ADMIN)


def _visible_agencies():
    q = db.select(Agency).order_by(Agency.full_name)
    if not current_user.is_sys_admin:
        q = q.where(Agency.id == current_user.agency_id)
    return db.session.execute(q).scalars().all()


@bp.route("/agencies")
@staff_required(Role.SYS_ADMIN)
def agencies():
    return render_template("admin/agencies.html", agencies=_visible_agencies())


@bp.route("/agencies/new", methods=["GET", "POST"])
@staff_required(Role.SYS_ADMIN)
def agency_new():
    return _agency_form(None)


@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
@staff_required(*ADMINS)
def agency_edit(agency_id: int):
    return _agency_form(staff_object(db.session.get(Agency, agency_id), "id"))


def _agency_form(agency: Agency | None):
    form = AgencyForm(obj=agency)
    form.parent_id.choices = [(0, "—")] + [
        (a.id, a.full_name)
        for a in db.session.execute(db.select(Agency).order_by(Agency.full_name)).scalars()
        if agency is None or a.id != agency.id
    ]
    if request.method == "GET" and agency:
        form.doc_number_prefixes.data = AgencyForm.prefixes_text(agency.doc_number_prefixes)
        form.parent_id.data = agency.parent_id or 0
    if form.validate_on_submit():
        data = form.data_for_save()
        if not current_user.is_sys_admin:  # agency administrators cannot move their agency or rename its key
            data.pop("slug", None)
            data.pop("credit_code", None)
            data.pop("parent_id", None)
            data["credit_code"] = agency.credit_code
            data["slug"] = agency.slug
        try:
            saved = ops.save_agency(agency, data)
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field or "credit_code").errors.append(exc.message)
        else:
            flash(_("The agency has been saved."), "success")
            return redirect(url_for(".agency_edit", agency_id=saved.id))
    dep_form = DepartmentForm(prefix="dep")
    return render_template(
        "admin/agency_edit.html",
        form=form,
        agency=agency,
        dep_form=dep_form,
        events=agency.audit_events() if agency else [],
    )


@bp.route("/agencies/<int:agency_id>/departments", methods=["POST"])
@staff_required(*ADMINS)
def department_add(agency_id: int):
    agency = staff_object(db.session.get(Agency, agency_id), "id")
    form = DepartmentForm(prefix="dep")
    if form.validate_on_submit():
        ops.add_department(agency, form.name.data, is_legal=form.is_legal.data)
        flash(_("The department has been added."), "success")
    else:
        for errors in form.errors.values():
            for e in errors:
                flash(str(e), "error")
    return redirect(url_for(".agency_edit", agency_id=agency.id))


@bp.route("/users")
@staff_required(*ADMINS)
def users():
    q = db.select(User).where(User.kind == UserKind.STAFF).order_by(User.agency_id, User.name)
    if not current_user.is_sys_admin:
        q = q.where(User.agency_id == current_user.agency_id)
    page = paginate(q, per_page=50)
    return render_template("admin/users.html", page=page, may_manage=lambda u: ops.may_manage(current_user, u))


def _staff_form(user: User | None) -> StaffForm:
    form = StaffForm(obj=user)
    agencies = _visible_agencies()
    form.agency_id.choices = choices((a.id, a.full_name) for a in agencies)
    agency_ids = [a.id for a in agencies]
    deps = db.session.execute(
        db.select(Department).where(Department.agency_id.in_(agency_ids)).order_by(Department.name)
    ).scalars()
    form.department_id.choices = choices([(0, "—")] + [(d.id, f"{d.agency.short_name} · {d.name}") for d in deps])
    grant = {r.value for r in ops.grantable_roles(current_user)}
    form.roles.choices = [c for c in form.roles.choices if c.value in grant]
    if request.method == "GET" and user:
        form.roles.data = sorted(r.value for r in user.roles)
        form.department_id.data = user.department_id or 0
    return form


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@staff_required(*ADMINS)
def user_edit(user_id: int | None = None):
    user = None
    if user_id:
        user = staff_object(db.session.get(User, user_id))
        if not user.is_staff:
            abort(404)
        if not ops.may_manage(current_user, user):
            abort(403)  # e.g. an agency administrator opening a system administrator of their agency
    form = _staff_form(user)
    if user:
        form.email.render_kw = {"readonly": True}
    if form.validate_on_submit():
        roles = [Role(r) for r in form.roles.data]
        dep_id = form.department_id.data or None
        if dep_id and db.session.get(Department, dep_id).agency_id != form.agency_id.data:
            form.department_id.errors.append(_("The department belongs to another agency."))
        elif user is None and not form.password.data:
            form.password.errors.append(_("Give an initial password."))
        else:
            try:
                if user is None:
                    user = ops.create_staff(
                        agency=staff_object(db.session.get(Agency, form.agency_id.data), "id"),
                        email=form.email.data,
                        name=form.name.data,
                        password=form.password.data,
                        roles=roles,
                        department=db.session.get(Department, dep_id) if dep_id else None,
                        by=current_user,
                    )
                else:
                    ops.update_staff(
                        user,
                        name=form.name.data,
                        roles=roles,
                        department_id=dep_id,
                        active=form.active.data,
                        by=current_user,
                    )
            except DomainError as exc:
                db.session.rollback()
                getattr(form, exc.field or "roles").errors.append(exc.message)
            else:
                flash(_("The user has been saved."), "success")
                return redirect(url_for(".user_edit", user_id=user.id))
    return render_template("admin/user_edit.html", form=form, user=user, events=user.audit_events() if user else [])


@bp.route("/audit")
@staff_required(*ADMINS)
def audit():
    q = db.select(AuditEvent).order_by(AuditEvent.id.desc())
    if not current_user.is_sys_admin:
        q = q.where(AuditEvent.agency_id == current_user.agency_id)
    for arg in ("object_type", "object_id", "action"):
        if request.args.get(arg):
            q = q.where(getattr(AuditEvent, arg) == request.args[arg])
    page = paginate(q, per_page=50)
    return render_template("admin/audit.html", page=page)


@bp.route("/outbox")
@staff_required(*ADMINS)
def outbox():
    q = db.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if not current_user.is_sys_admin:
        q = q.where(OutboxMessage.agency_id == current_user.agency_id)
    if request.args.get("state") in {s.value for s in OutboxState}:
        q = q.where(OutboxMessage.state == request.args["state"])
    page = paginate(q, per_page=50)
    return render_template("admin/outbox.html", page=page, states=list(OutboxState))


@bp.route("/outbox/<int:msg_id>/requeue", methods=["POST"])
@staff_required(*ADMINS)
def outbox_requeue(msg_id: int):
    msg = db.session.get(OutboxMessage, msg_id)
    if msg is None or not (current_user.is_sys_admin or msg.agency_id == current_user.agency_id):
        abort(404)
    if msg.state != OutboxState.FAILED:
        flash(_("Only a message that failed can be sent again."), "error")
    else:
        requeue(msg)
        audit_log.record("outbox.requeued", object_type="outbox", object_id=msg.id, agency_id=msg.agency_id)
        flash(_("The message will be sent again."), "success")
    return redirect(url_for(".outbox"))
